"""The counting contract of the report's top tweets and hot words (pure parts): the top sets
rank by the engagement an original gained IN the window, hot words count each voice (a text, its
retweets and its copies) once, and the summarizer ranks and shows the in-window number.
Invented texts only."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from datetime import UTC, datetime, timedelta

import pytest

from streams.aggregates import TweetRecord
from streams.counting import VOICE_CHARS, row_of, voice_key, window_engagement
from streams.memstore import MemoryStore
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Reference, Tweet
from streams.settings import Settings
from summarizer.extractive import build_extractive
from summarizer.prompt import select_tweets, tweet_line
from tests.unit.test_report_render import LABELS_EN, TWEETS, make_agg, tweet

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # window 20251107 in Asia/Shanghai
WID = "20251107"
VIRAL = "Old viral thread: ten prompts that changed how I write code with language models"
FRESH = "Today's launch: our open model tops the coding benchmark, weights on the hub"


@pytest.mark.parametrize(
    ("high", "low", "own", "retweets", "score"),
    [
        (900, 900, True, 0, 900),  # an original posted in the window: all of it is the window's
        (15_000, 15_000, False, 1, 2),  # an old viral tweet retweeted once: one retweet's worth
        (15_000, 14_000, False, 1, 1_000),  # its counts grew 1000 between two snapshots
        (300, 300, False, 17, 34),  # retweeted 17 times today, snapshots that never moved
        (500, 200, True, 3, 500),  # posted in the window and retweeted in it: its high
        (0, 0, True, 0, 0),
    ],
)
def test_window_engagement(high: int, low: int, own: bool, retweets: int, score: int) -> None:
    assert window_engagement(high, low, own, retweets) == score


def test_a_retweet_cut_by_twitter_its_original_and_copies_are_one_voice() -> None:
    original = FRESH + " and a long tail of details that Twitter cuts in a retweet"
    cut = original[: VOICE_CHARS + 5] + "…"
    assert voice_key(original, "1") == voice_key(cut, "2")
    assert voice_key("  " + original.upper(), "3") == voice_key(original, "1")  # copy
    assert voice_key(VIRAL, "1") != voice_key(FRESH, "1")
    assert voice_key(" … ", "77") == "77"  # nothing left: the tweet is its own voice


def window_tweet(
    tweet_id: str,
    text: str,
    engagement: int,
    *,
    retweet_of: str | None = None,
    minute: int = 0,
    author: str = "",
) -> Tweet:
    rt = retweet_of is not None
    return Tweet(
        id=tweet_id,
        text=f"RT @origin: {text}" if rt else text,
        created_at=T0 + timedelta(minutes=minute),
        author=Author(id=f"id-{author or tweet_id}", username=author or f"u{tweet_id}"),
        metrics=Metrics(retweet_count=engagement // 2) if rt else Metrics(like_count=engagement),
        references=(Reference(type="retweeted", id=retweet_of or None),) if rt else (),
    )


def _organic(tw: Tweet, terms: tuple[str, ...] = ("#llm", "benchmark")) -> EnrichedTweet:
    return EnrichedTweet(
        tweet=tw, ad=AdVerdict(score=0.0, is_ad=False), topics=("models_open_source",), terms=terms
    )


def _count(settings: Settings, *batches: list[EnrichedTweet]) -> MemoryStore:
    store = MemoryStore(settings)

    async def run() -> None:
        for batch in batches:
            await store.apply_rows([row_of(item) for item in batch])

    asyncio.run(run())
    return store


def test_rows_carry_a_voice_only_for_organic_tweets_with_terms() -> None:
    organic = row_of(_organic(window_tweet("1", FRESH, 10)))[1]
    retweet = row_of(_organic(window_tweet("2", FRESH, 10, retweet_of="")))[1]
    assert organic["v"] == retweet["v"] == voice_key(FRESH, "1")
    assert "v" not in row_of(_organic(window_tweet("3", FRESH, 10), terms=()))[1]
    ad = EnrichedTweet(
        tweet=window_tweet("4", FRESH, 10), ad=AdVerdict(score=1.0, is_ad=True), terms=("x",)
    )
    assert "v" not in row_of(ad)[1]


def test_hot_words_count_a_17_times_retweeted_tweet_once() -> None:
    settings = Settings()
    retweets = [
        _organic(window_tweet(str(100 + n), VIRAL, 300, retweet_of="", author=f"fan{n}"), ("diy",))
        for n in range(17)
    ]
    others = [_organic(window_tweet(str(200 + n), f"{FRESH} #{n}", 5), ("#llm",)) for n in range(3)]
    w = _count(settings, retweets, others, retweets[:5]).windows[WID]
    assert w.terms["diy"] == 17  # the volume (burst detector, /api/trending) counts every tweet
    assert w.voice_terms == {"diy": 1, "#llm": 3}  # the hot words count each voice once


def test_an_old_viral_retweet_ranks_below_a_tweet_retweeted_in_the_window() -> None:
    settings = Settings()
    viral = _organic(window_tweet("500", VIRAL, 15_000, retweet_of="400"))  # one retweet today
    spread = [  # 12 retweets today of a tweet whose counts barely moved
        _organic(window_tweet(str(600 + n), FRESH, 120 + n, retweet_of="450", minute=n))
        for n in range(12)
    ]
    own = _organic(window_tweet("700", "A small tweet posted today, liked a little", 9))
    scores = _count(settings, [viral, *spread, own]).top_scores(WID, "models_open_source")
    assert scores == {"450": 24, "700": 9, "400": 2}  # 2 per retweet beats the 11 it grew


def test_memory_store_state_does_not_depend_on_counting_order() -> None:
    settings = Settings()
    items = [
        _organic(window_tweet("800", VIRAL, 40)),  # the original itself, posted in the window
        _organic(window_tweet("801", VIRAL, 90, retweet_of="800")),
        _organic(window_tweet("803", FRESH, 70, retweet_of="")),  # unknown original: key
        _organic(window_tweet("802", FRESH, 50, retweet_of=""), ("#llm", "weights")),
        _organic(window_tweet("804", FRESH + " copy", 5), ("#llm",)),
    ]
    seen = set()
    for order in itertools.permutations(range(len(items))):
        store = _count(settings, [items[i] for i in order])
        scores = store.top_scores(WID, "models_open_source")
        terms = store.windows[WID].voice_terms
        seen.add((tuple(sorted(scores.items())), tuple(sorted(terms.items()))))
    [(top, hot)] = seen
    assert dict(top) == {"800": 90, "802": 20, "804": 5}  # 802: the earliest retweet cites
    assert dict(hot) == {"#llm": 3, "benchmark": 2, "weights": 1}  # 804 is its own voice


# --- the summarizer ranks and shows the in-window number ------------------------------------
def _records() -> list[TweetRecord]:
    old = dataclasses.replace(
        tweet("901", "Ten prompts that changed how I code", ("apps_agents",), 15_000),
        window_engagement=2,
    )
    today = dataclasses.replace(
        tweet("902", "Agents now book travel end to end, shipped today", ("apps_agents",), 400),
        window_engagement=400,
    )
    return [old, today]


def test_the_prompt_ranks_and_shows_the_in_window_engagement() -> None:
    old, today = _records()
    agg = make_agg([old, today], topics={"apps_agents": 120})
    [group] = select_tweets(agg, per_topic=2).groups
    assert [t.id for t in group.tweets] == ["902", "901"]
    assert 'engagement="2"' in tweet_line(old, 200)


def test_the_extractive_report_quotes_the_days_story_first_with_its_window_number() -> None:
    old, today = _records()
    report = build_extractive(make_agg([old, today, *TWEETS]), LABELS_EN, "en")
    points = [*report.key_points, *report.insights]
    cited = [p.tweet_ids[0] for p in points if p.tweet_ids and p.tweet_ids[0] in {"901", "902"}]
    assert cited[0] == "902"  # the day's own story before the old viral thread
    texts = [p.text for p in points]
    assert any("engagement score 400" in t and "user902" in t for t in texts)
    assert not any("15000" in t or "15,000" in t for t in texts)  # never its lifetime counts


def test_a_record_without_a_window_number_ranks_by_its_engagement() -> None:
    rec = tweet("903", "text", ("apps_agents",), 77)
    assert rec.window_engagement is None and rec.score == 77
    assert dataclasses.replace(rec, window_engagement=3).score == 3
