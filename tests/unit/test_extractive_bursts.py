"""The bursts the worker detected become the first points of 关键事件与发展 (extractive report)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from streams.aggregates import BurstRecord
from summarizer.extractive import MAX_BURSTS, MAX_EVENTS, build_extractive
from summarizer.render import render_markdown
from tests.unit.test_report_render import LABELS_EN, LABELS_ZH, TWEETS, WINDOW, make_agg, tweet

# TWEETS are posted at WINDOW.start + 3 h 05 (19:05 UTC the day before, 03:05 in Shanghai)
OPENED = WINDOW.start.astimezone(UTC) + timedelta(hours=3, minutes=10)


def burst(
    kind: str, name: str, z: float, opened: datetime = OPENED, closed: bool = True
) -> BurstRecord:
    return BurstRecord(
        kind=kind,
        name=name,
        opened_at=opened,
        closed_at=opened + timedelta(minutes=30) if closed else None,
        peak_z=z,
        rate=12.0,
        baseline=1.5,
    )


def test_bursts_lead_the_key_events_and_cite_a_tweet_posted_while_they_ran() -> None:
    hashtag = tweet("109", "the #AI wave keeps rising", ("apps_agents",), 50)
    agg = dataclasses.replace(
        make_agg([*TWEETS, hashtag]),
        bursts=[burst("topic", "apps_agents", 9.25), burst("term", "#ai", 5.0, closed=False)],
    )
    report = build_extractive(agg, LABELS_ZH, "zh")
    first, second = report.events[:2]
    assert first.text == (
        "应用与智能体讨论量突增：03:10 检测到，每分钟 12.0 条（基线 1.5 条），"
        "峰值 z 值 9.2，03:40 回落。"
    )
    assert first.tweet_ids == ["101"]  # the topic's top tweet, posted at 03:05
    assert second.text.startswith("#ai讨论量突增：03:10 检测到")
    assert second.text.endswith("窗口结束时仍在持续。")
    assert second.tweet_ids == ["109"]  # the only top tweet containing the term
    events = render_markdown(report, WINDOW).split("### 关键事件与发展")[1].split("###")[0]
    assert "应用与智能体讨论量突增" in events
    assert len(report.events) <= MAX_EVENTS


def test_topics_first_then_the_strongest_terms_up_to_the_cap() -> None:
    extra = [
        tweet("110", "Chip stocks slide after the close", ("markets",), 40, hour=5),
        tweet("111", "#strong opinions on agent frameworks", ("apps_agents",), 30),
    ]
    agg = dataclasses.replace(
        make_agg([*TWEETS, *extra]),
        bursts=[
            burst("term", "#weak", 4.1),
            burst("term", "#strong", 8.0),
            burst("topic", "markets", 5.0, opened=OPENED + timedelta(hours=2)),
            burst("term", "#middle", 6.0),
        ],
    )
    report = build_extractive(agg, LABELS_EN, "en")
    # the three selected bursts: the two a top tweet supports lead the events, citing it ...
    texts = [p.text for p in report.events[:2]]
    assert [t.split(":")[0] for t in texts] == ["Burst in Markets & stocks", "Burst in #strong"]
    assert [p.tweet_ids for p in report.events[:2]] == [["110"], ["111"]]
    assert texts[0].endswith("peak z-score 5.0; back to normal by 05:40.")
    # ... and the one no tweet supports is an (uncited) insight, never an uncited event
    assert report.insights[-1].text.startswith("Burst in #middle: detected at 03:10")
    assert report.insights[-1].tweet_ids == []
    assert all(p.tweet_ids for p in report.events)
    assert MAX_BURSTS == 3
    assert not any("#weak" in p.text for p in (*report.events, *report.insights))


def test_no_bursts_keeps_the_tweet_events_only() -> None:
    report = build_extractive(make_agg(), LABELS_ZH, "zh")
    assert not any("突增" in p.text for p in report.events)
    assert {i for p in report.events for i in p.tweet_ids} <= {t.id for t in TWEETS}
