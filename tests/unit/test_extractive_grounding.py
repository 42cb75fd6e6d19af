"""The extractive report obeys the LLM path's grounding rules, checked by the same checker.

``summarizer.grounding.check`` and ``coverage_problems`` judge an LLM draft; here they judge the
extractive report of many windows (hand-made and seeded random ones): whenever the window has
an organic tweet record, every key point and every event cites the window's top tweets, the top
five topics are covered, and each citation supports its point. A window without records gets
uncited points that say plainly there is no data.
"""

from __future__ import annotations

import dataclasses
import random
import re
from datetime import timedelta

import pytest

from streams.aggregates import TweetRecord, WindowAggregates
from summarizer.extractive import build_extractive
from summarizer.grounding import check, coverage_problems
from summarizer.prompt import Draft, top_topics, topics_of
from summarizer.report import KEY_POINTS, Report
from tests.unit.test_report_render import (
    LABELS_EN,
    LABELS_ZH,
    TWEETS,
    WINDOW,
    empty_agg,
    make_agg,
    tweet,
)

HOURS = re.compile(r"(\d\d):00–\d\d:00")
LIMITED = ("数据有限", "Limited data")
NO_DATA = re.compile(r"没有|无讨论|未识别|数据不足|no |not enough", re.IGNORECASE)


def as_draft(report: Report) -> Draft:
    """The report in the shape the grounding checker reads (what an LLM would have answered)."""
    return Draft.model_validate(report.model_dump(include=set(Draft.model_fields)))


def records(agg: WindowAggregates) -> dict[str, TweetRecord]:
    return {tw.id: tw for tws in agg.top_tweets.values() for tw in tws}


def supports(
    point_text: str, ids: list[str], agg: WindowAggregates, labels: dict[str, str]
) -> bool:
    """Whether the cited tweets back the point: a "limited data" point cites every record; the
    terms point cites tweets containing a term it names; any other point quotes its first tweet
    (posted in the hour it names, if it names one) and cites further tweets of its topic."""
    recs = records(agg)
    cited = [recs[i] for i in ids]
    if point_text.startswith(LIMITED):
        return set(ids) == set(recs)
    if point_text.startswith(("热门词：", "Top terms:")):
        terms = [t.lstrip("#$").casefold() for t, _ in agg.terms]
        return all(any(t in tw.text.casefold() for t in terms) for tw in cited)
    first, *others = cited
    if f"@{first.author}" not in point_text:
        return False
    hour = HOURS.search(point_text)
    zone = agg.window.start.tzinfo
    if hour and f"{first.created_at.astimezone(zone):%H}" != hour.group(1):
        return False
    names = {labels.get(t, t): t for t in agg.top_tweets}
    topic = next((t for name, t in names.items() if point_text.startswith(name + "：")), None)
    if topic is None:
        topic = next((t for name, t in names.items() if point_text.startswith(name + ":")), "")
    return all(tw in agg.top_tweets.get(topic, []) for tw in others)


def assert_grounded(agg: WindowAggregates, labels: dict[str, str], lang: str = "zh") -> Report:
    report = build_extractive(agg, labels, lang)  # type: ignore[arg-type]  # tables pass zh/en
    texts = [p.text for p in report.key_points]
    assert len(texts) == len(set(texts)) == KEY_POINTS
    allowed = frozenset(records(agg))
    draft = as_draft(report)
    if not allowed:
        assert not report.cited_ids()
        assert all(NO_DATA.search(t) for t in texts), texts
        return report
    assert check(draft, allowed) == []  # every key point and event cites, only window tweets
    # a top topic without any record cannot be covered by anyone (the LLM is not given one
    # either); only the "topic counted without records" window has one
    top = [t for t in top_topics(agg) if agg.top_tweets.get(t)]
    assert coverage_problems(draft, allowed, top, topics_of(agg), labels) == []
    for point in report.key_points:
        assert supports(point.text, point.tweet_ids, agg, labels), point
    return report


# --- hand-made windows ------------------------------------------------------------------------
def many_topics() -> WindowAggregates:
    labels = {f"t{k:02d}": f"话题{k:02d}" for k in range(12)}
    tweets = [
        tweet(f"{500 + k}", f"第 {k} 个话题的讨论", (f"t{k:02d}",), 100 - k) for k in range(12)
    ]
    return make_agg(tweets, topics={t: 50 - k for k, t in enumerate(labels)}, previous={})


def no_events_no_terms() -> WindowAggregates:
    tweets = [
        tweet("201", "agents feel slow today", ("apps_agents",), 30),
        tweet("202", "inference costs keep falling", ("chips_inference",), 20, hour=7),
    ]
    counts = {"apps_agents": 4, "chips_inference": 2}
    return dataclasses.replace(make_agg(tweets, topics=counts), terms=[("#nomatch", 3.0)])


WINDOWS = {
    "hand-made": (make_agg(), LABELS_ZH),
    "one record": (make_agg([TWEETS[0]], total=3, ads=0, topics={"apps_agents": 3}), LABELS_ZH),
    "three records": (make_agg(TWEETS[:3], topics={"apps_agents": 5, "chips_inference": 2}), {}),
    "no events, no terms": (no_events_no_terms(), LABELS_ZH),
    "late and no previous": (dataclasses.replace(make_agg(previous={}), late=9), LABELS_ZH),
    "topic counted without records": (make_agg(topics={"apps_agents": 9, "ghost": 99}), LABELS_ZH),
    "empty": (empty_agg(), LABELS_ZH),
    "only ads": (make_agg([], total=5, ads=5, topics={}, previous={}), LABELS_ZH),
}


@pytest.mark.parametrize(("name"), sorted(WINDOWS))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_extractive_report_passes_the_grounding_checker(name: str, lang: str) -> None:
    agg, labels = WINDOWS[name]
    if lang == "en" and labels:
        labels = LABELS_EN
    assert_grounded(agg, labels, lang)


def test_more_topics_than_points_covers_the_top_five_and_cites_everywhere() -> None:
    agg = many_topics()
    labels = {f"t{k:02d}": f"话题{k:02d}" for k in range(12)}
    report = assert_grounded(agg, labels)
    assert [p.text.split("：")[0] for p in report.key_points] == [
        f"话题{k:02d}" for k in range(KEY_POINTS)
    ]


def test_no_event_like_tweet_still_gives_a_cited_event() -> None:
    report = assert_grounded(no_events_no_terms(), LABELS_ZH)
    (event,) = report.events
    assert event.text.startswith("热门推文中未识别到多位作者共同讨论的话题，也没有发布、上线、")
    assert event.tweet_ids == ["201"]
    assert not any(p.text.startswith("热门词") for p in report.key_points)  # no tweet backs it


def test_a_topic_without_records_is_left_to_the_overview() -> None:
    agg, labels = WINDOWS["topic counted without records"]
    report = assert_grounded(agg, labels)
    assert "ghost（99 条" in report.overview
    assert not any(p.text.startswith("ghost") for p in report.key_points)


# --- seeded random windows --------------------------------------------------------------------
def random_window(rng: random.Random) -> WindowAggregates:
    topics = list(LABELS_ZH)
    words = ["agents", "#AI", "$NVDA", "推理", "发布", "launch", "Kimi", "TPU", "稳定币", "监管"]
    tweets = [
        dataclasses.replace(
            tweet(
                str(rng.randrange(10**6, 10**7)),
                " ".join(rng.sample(words, 3)),
                tuple(rng.sample(topics, rng.randint(1, 2))),
                rng.randint(0, 50),
                author=rng.choice(["ann", "bob", "cai", "dee"]),
            ),
            created_at=WINDOW.start + timedelta(minutes=rng.randrange(24 * 60)),
        )
        for _ in range(rng.randint(0, 25))
    ]
    counts = {t: rng.randint(1, 40) for t in {t for tw in tweets for t in tw.topics}}
    start = int(WINDOW.start.timestamp()) // 3600 * 3600
    hourly = {start + h * 3600: rng.randint(1, 60) for h in rng.sample(range(24), 6)}
    terms = [(w, float(rng.randint(1, 30))) for w in rng.sample(words, 3)]
    total = len(tweets) + rng.randint(0, 20)
    agg = make_agg(tweets, total=max(total, 1), ads=rng.randint(0, 1), topics=counts)
    return dataclasses.replace(agg, hourly=hourly, terms=terms)


@pytest.mark.parametrize("seed", range(40))
def test_random_windows_pass_the_grounding_checker(seed: int) -> None:
    assert_grounded(random_window(random.Random(seed)), LABELS_ZH)
