"""Changes against a partial previous window, and trends and peaks on sampled data.

A window whose previous window the data covered only partly (a replay that starts mid-day)
says so next to every count change; a sampled window states topic changes as changes of share
(percentage points of the organic tweets) and names no "peak" hour; a whole previous window
and a live (unsampled) window read as before.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from streams.aggregates import PreviousWindow, TweetRecord, WindowAggregates
from streams.windows import window_by_id
from summarizer.extractive import Lang, build_extractive

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = window_by_id("20230404", SHANGHAI)
PREVIOUS = window_by_id("20230403", SHANGHAI)
LABELS = {"apps_agents": "应用与智能体", "policy_regulation": "政策与监管", "robotics": "机器人"}
LABELS_EN = {"apps_agents": "Apps", "policy_regulation": "Policy", "robotics": "Robots"}

NOW = {"apps_agents": 839, "policy_regulation": 46, "robotics": 10}
BEFORE = {"apps_agents": 526, "policy_regulation": 20, "robotics": 13}


def hourly(start: int, hours: range, n: int) -> dict[int, int]:
    """``n`` tweets in each of ``hours`` (hours after ``start``, epoch seconds)."""
    return {start + h * 3600: n for h in hours}


def tweet(tweet_id: str, topic: str, hour: int) -> TweetRecord:
    return TweetRecord(
        id=tweet_id,
        text=f"tweet {tweet_id} about {topic} and more words",
        created_at=WINDOW.start + timedelta(hours=hour, minutes=5),
        author=f"user{tweet_id}",
        engagement=100 - int(tweet_id),
        lang="en",
        topics=(topic,),
    )


def make_agg(
    *,
    previous_hours: range | None = range(24),
    minutes: int | None = None,
    previous_organic: int = 596,
) -> WindowAggregates:
    """04-04 against 04-03; ``previous_hours``: the hours of 04-03 with tweets (None: the
    previous window's volume was not read); ``minutes``: distinct minutes with a tweet."""
    tweets = [tweet("1", "apps_agents", 3), tweet("2", "policy_regulation", 8)]
    tweets.append(tweet("3", "robotics", 21))
    start = int(WINDOW.start.timestamp())
    per_hour = [30] * 24
    per_hour[8] = 90  # the busiest hour
    previous = None
    if previous_hours is not None:
        prev_start = int(PREVIOUS.start.timestamp())
        previous = PreviousWindow(
            organic=previous_organic, hourly=hourly(prev_start, previous_hours, 40)
        )
    return WindowAggregates(
        window=WINDOW,
        total=990,
        ads=36,
        ad_reasons={"promo_link": 36},
        topics=dict(NOW),
        unique_authors=983,
        top_tweets={tw.topics[0]: [tw] for tw in tweets},
        terms=[("#ai", 22.0)],
        hourly={start + h * 3600: n for h, n in enumerate(per_hour)},
        previous_topics=dict(BEFORE),
        minutes_with_tweets=minutes,
        previous=previous,
    )


def all_text(agg: WindowAggregates, lang: Lang = "zh") -> str:
    report = build_extractive(agg, LABELS if lang == "zh" else LABELS_EN, lang)
    parts = [report.overview, *(p.text for p in report.key_points)]
    parts += [p.text for p in report.insights]
    parts += [p.text for s in report.ai_sections for p in s.points]
    return "\n".join(parts)


# --- a partial previous window ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("hours", "partial"),
    [
        (range(8, 24), 16),  # the replay starts at 08:00 (+0800): 16 of 24 hours
        (range(4, 24), 20),  # 20 of 24: still a fifth short
        (range(3, 24), None),  # 21 of 24: whole enough
        (range(24), None),
        (range(0, 24, 3), None),  # quiet hours inside the day do not make it partial
        (None, None),  # the previous window's volume unknown: as before
    ],
)
def test_a_partial_previous_window_is_said_next_to_the_change(
    hours: range | None, partial: int | None
) -> None:
    agg = make_agg(previous_hours=hours)
    report = build_extractive(agg, LABELS)
    apps = report.key_points[0].text
    if partial is None:
        assert "较前一窗口 +60%）" in apps
        assert "仅覆盖" not in report.overview and "仅覆盖" not in apps
        return
    # every point states it beside its change; the overview once, then its changes plain
    assert f"较前一窗口 +60%，前一窗口仅覆盖 {partial} 小时）" in apps
    section = report.ai_sections[0].points[0].text
    assert f"较前一窗口 +60%，前一窗口仅覆盖 {partial} 小时" in section
    assert report.overview.count("仅覆盖") == 1
    first = PREVIOUS.start + timedelta(hours=24 - partial)
    assert (
        f"前一窗口的数据仅覆盖 {first:%m-%d %H:00}–{PREVIOUS.end:%m-%d %H:00}（{partial} 个小时）"
        in report.overview
    )
    assert "应用与智能体（839 条，87.9%，较前一窗口 +60%）" in report.overview
    trend = next(p.text for p in report.insights if p.text.startswith("与前一窗口相比"))
    assert (
        f"政策与监管升温最快（+130%，前一窗口仅覆盖 {partial} 小时）；机器人降温最明显（-23%）"
        in trend
    )


def test_a_partial_previous_window_in_english() -> None:
    report = build_extractive(make_agg(previous_hours=range(8, 24)), LABELS_EN, "en")
    assert "+60% vs the previous window, which covers only 16 hours)" in report.key_points[0].text
    assert "The previous window's data covers only 04-03 08:00–04-04 00:00 (16 hours)" in (
        report.overview
    )
    assert "Policy rose the most (+130%; the previous window covers only 16 hours)" in all_text(
        make_agg(previous_hours=range(8, 24)), "en"
    )


# --- a sampled window -------------------------------------------------------------------------
SAMPLED = 36  # 1.5 minutes an hour with tweets, for ~40 tweets an hour: a sample


def test_a_sampled_window_states_changes_of_share() -> None:
    """839/954 = 87.9 % against 526/596 = 88.3 %: −0.3 points, not "+60 %"; policy 4.8 %
    against 3.4 %: +1.5 points, the biggest gain of share; robots 1.0 % against 2.2 %: −1.1,
    the biggest loss (apps lost only 0.3 points, though they grew the most in tweets)."""
    report = build_extractive(make_agg(minutes=SAMPLED), LABELS)
    text = all_text(make_agg(minutes=SAMPLED))
    assert "%，较前一窗口 +" not in text and "%，较前一窗口 -" not in text
    assert "应用与智能体（839 条，87.9%，占比较前一窗口 -0.3 个百分点）" in report.overview
    assert "占比较前一窗口 -0.3 个百分点" in report.key_points[0].text
    assert "政策与监管占比升幅最大（3.4% → 4.8%，+1.5 个百分点）" in report.overview
    assert "机器人占比降幅最大（2.2% → 1.0%，-1.1 个百分点）" in report.overview
    assert "升温最快" not in text
    # the total of topic mentions: counts only (their growth is the sampling's)
    assert "话题标记总量 559 → 895。" in report.overview
    # shares do not depend on how much of the day the previous window covered
    partial = build_extractive(make_agg(minutes=SAMPLED, previous_hours=range(8, 24)), LABELS)
    assert "占比较前一窗口 -0.3 个百分点）" in partial.key_points[0].text
    assert partial.overview.count("仅覆盖") == 1


def test_a_sampled_window_in_english() -> None:
    text = all_text(make_agg(minutes=SAMPLED), "en")
    assert "share -0.3 points vs the previous window" in text
    assert "Policy gained the most share (3.4% → 4.8%, +1.5 points)" in text
    assert "peaked" not in text


def test_a_sampled_window_names_no_peak_hour() -> None:
    sampled = build_extractive(make_agg(minutes=SAMPLED), LABELS)
    assert "讨论高峰" not in sampled.overview
    assert not any("讨论高峰" in p.text for p in sampled.key_points)
    # the busiest hour is still listed, as a plain hour with its tweets
    assert any(p.text.startswith("08:00–09:00（+0800）共 90 条推文") for p in sampled.key_points)
    live = build_extractive(make_agg(minutes=24 * 30), LABELS)  # every tweet its own minute
    assert "讨论高峰出现在 08:00–09:00（90 条）" in live.overview
    assert any(p.text.startswith("讨论高峰在 08:00–09:00") for p in live.key_points)
    assert "较前一窗口 +60%" in live.key_points[0].text


def test_sampled_without_the_previous_volume_keeps_counts() -> None:
    """Shares need the previous window's organic tweets: without them, counts as before."""
    report = build_extractive(make_agg(minutes=SAMPLED, previous_hours=None), LABELS)
    assert "较前一窗口 +60%" in report.key_points[0].text
    assert "政策与监管升温最快（+130%）" in report.overview
