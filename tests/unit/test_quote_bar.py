"""The quote bar: an organic tweet's ad score travels in its compact record (only when non-zero)
to ``TweetRecord.ad_score``; the extractive report and the LLM prompt never quote or offer a
top tweet at or above ``TWEETPULSE_QUOTE_MAX_AD_SCORE``, and still count it. Invented tweets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest

from streams.aggregates import TweetRecord, WindowAggregates
from streams.counting import row_from_json, row_of
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Tweet
from streams.settings import QUOTE_MAX_AD_SCORE, Settings
from streams.views import _record
from streams.windows import window_by_id
from summarizer.extractive import build_extractive
from summarizer.prompt import select_tweets

WINDOW = window_by_id("20251107", ZoneInfo("Asia/Shanghai"))
T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)
AD_TEXT = "Bulk accounts for sale, DM for price, limited slots this week only"
LABELS = {"apps_agents": "Apps & agents", "models_open_source": "Models"}


# --- the record -------------------------------------------------------------------------------


def enriched(
    score: float, *, is_ad: bool = False, topics: tuple[str, ...] = ("apps_agents",)
) -> EnrichedTweet:
    tweet = Tweet(
        id="101",
        text="Trying the new agent framework on our support queue",
        created_at=T0,
        lang="en",
        author=Author(id="42", username="alice"),
        metrics=Metrics(like_count=5),
    )
    reasons = ("promo_phrase",) if score else ()
    verdict = AdVerdict(score=score, is_ad=is_ad, reasons=reasons)
    return EnrichedTweet(tweet=tweet, ad=verdict, topics=topics)


def both_rows(item: EnrichedTweet) -> dict[str, Any]:
    _, typed = row_of(item)
    _, decoded = row_from_json(orjson.loads(item.model_dump_json()))
    assert typed == decoded
    return typed


@pytest.mark.parametrize(
    ("score", "stored"),
    [
        (0.0, None),  # a normal record stays as it was: no key at all
        (0.15, 0.15),
        (0.3, 0.3),
        (0.55, 0.55),
        (0.123456, 0.12),  # two decimals are enough for a bar
        (0.004, None),  # rounds to zero: not written
    ],
)
def test_an_organic_records_ad_score_is_written_only_when_non_zero(
    score: float, stored: float | None
) -> None:
    row = both_rows(enriched(score))
    rec = orjson.loads(row["rec"])
    assert rec.get("s") == stored
    assert ('"s":' in row["rec"]) is (stored is not None)
    assert _record(row["rec"]).ad_score == (stored or 0.0)


def test_an_ad_has_no_record_and_an_untagged_tweet_neither() -> None:
    assert both_rows(enriched(0.9, is_ad=True))["rec"] == ""
    assert both_rows(enriched(0.3, topics=()))["rec"] == ""


def test_a_record_written_before_the_field_reads_as_score_zero() -> None:
    old = (
        '{"id":"101","src":"101","text":"x","created_at":"2025-11-07T02:00:00+00:00",'
        '"author":"alice","engagement":5,"lang":"en","topics":["apps_agents"]}'
    )
    assert _record(old).ad_score == 0.0


# --- the setting ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("0", 0.0), ("0.5", 0.5), ("1", 1.0)])
def test_the_bar_setting_takes_zero_to_one(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: float
) -> None:
    monkeypatch.setenv("TWEETPULSE_QUOTE_MAX_AD_SCORE", value)
    assert Settings.load().quote_max_ad_score == expected


def test_the_bar_defaults_below_the_ad_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TWEETPULSE_QUOTE_MAX_AD_SCORE", raising=False)
    s = Settings.load()
    assert s.quote_max_ad_score == QUOTE_MAX_AD_SCORE
    assert 0 < s.quote_max_ad_score < s.ad_threshold


# (a bad bar stops start-up naming the setting: tests/unit/test_settings.py's table)


# --- the report and the prompt ----------------------------------------------------------------


def record(
    tweet_id: str, text: str, engagement: int, ad_score: float, topic: str = "apps_agents"
) -> TweetRecord:
    return TweetRecord(
        id=tweet_id,
        text=text,
        created_at=WINDOW.start + timedelta(hours=3),
        author=f"user{tweet_id}",
        engagement=engagement,
        lang="en",
        topics=(topic,),
        ad_score=ad_score,
    )


ORGANIC = [
    record("201", "Agent frameworks are changing how support teams triage tickets", 300, 0.0),
    record(
        "202", "We moved our evaluation harness to the new open model and it holds up", 200, 0.3
    ),
    record("203", "Open weights models close the gap on coding benchmarks this month", 100, 0.0),
]


def window_agg(top: list[TweetRecord]) -> WindowAggregates:
    topics: dict[str, list[TweetRecord]] = {}
    for tw in top:
        topics.setdefault(tw.topics[0], []).append(tw)
    return WindowAggregates(
        window=WINDOW,
        total=40,
        ads=5,
        ad_reasons={"promo_phrase": 5},
        topics={topic: 10 * len(tws) for topic, tws in topics.items()},
        unique_authors=30,
        top_tweets={t: sorted(tws, key=lambda tw: -tw.score) for t, tws in topics.items()},
        terms=[("agents", 4.0)],
        hourly={int((WINDOW.start + timedelta(hours=3)).timestamp()) // 3600 * 3600: 35},
    )


def cited_and_written(
    agg: WindowAggregates, bar: float = QUOTE_MAX_AD_SCORE
) -> tuple[set[str], str]:
    report = build_extractive(agg, LABELS, "en", quote_max_ad_score=bar)
    dump = report.model_dump()
    cited: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            cited.update(node.get("tweet_ids") or ())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(dump)
    return cited, report.model_dump_json()


@pytest.mark.parametrize("ad_score", [QUOTE_MAX_AD_SCORE, 0.5, 0.55])
def test_the_report_never_quotes_nor_cites_an_ad_like_top_tweet(ad_score: float) -> None:
    ad_like = record("299", AD_TEXT, 5_000, ad_score)  # the day's most engaged top tweet
    cited, written = cited_and_written(window_agg([ad_like, *ORGANIC]))
    assert "299" not in cited
    assert "accounts for sale" not in written
    assert {"201", "202", "203"} <= cited  # below the bar (0.3 included): quoted as before


def test_the_bar_leaves_the_counts_alone() -> None:
    ad_like = record("299", AD_TEXT, 5_000, 0.5)
    with_ad = build_extractive(window_agg([ad_like, *ORGANIC]), LABELS, "en")
    unfiltered = build_extractive(
        window_agg([ad_like, *ORGANIC]), LABELS, "en", quote_max_ad_score=1
    )
    assert with_ad.overview == unfiltered.overview  # volumes and shares: the same window
    assert with_ad.ad_note == unfiltered.ad_note


def test_a_bar_of_one_quotes_every_organic_top_tweet() -> None:
    ad_like = record("299", AD_TEXT, 5_000, 0.55)
    cited, written = cited_and_written(window_agg([ad_like, *ORGANIC]), bar=1.0)
    assert "299" in cited
    assert "accounts for sale" in written


def test_a_window_whose_top_tweets_are_all_ad_like_still_gets_a_report() -> None:
    top = [record("298", AD_TEXT, 900, 0.5), record("299", AD_TEXT + " again", 800, 0.4)]
    cited, written = cited_and_written(window_agg(top))
    assert not cited & {"298", "299"}
    assert "accounts for sale" not in written


def test_the_prompt_offers_no_ad_like_tweet() -> None:
    ad_like = record("299", AD_TEXT, 5_000, 0.5)
    other = record("301", "A new open model tops the leaderboard", 50, 0.0, "models_open_source")
    agg = window_agg([ad_like, *ORGANIC, other])
    assert select_tweets(agg, 10).ids == {"201", "202", "203", "301"}
    assert select_tweets(agg, 2).ids == {"201", "202", "301"}  # the next tweet takes its place
    assert "299" in select_tweets(agg, 10, max_ad_score=1.0).ids
