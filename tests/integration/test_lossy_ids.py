"""Lossy tweet ids (read from a float) on the real Redis, Kafka and worker: counted under the id
as read, flagged in the record the count script keeps (and only there: a normal id's record is
stored byte for byte as the row carries it), read back flagged by the views, and cited without
a link by the written report. Invented tweets only."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import orjson
import redis

from producers.kafka_sink import BatchingProducer
from streams.aggregates import WindowAggregates
from streams.counting import row_of
from streams.keys import Keys
from streams.model import Author, Metrics, Reference, Tweet
from streams.settings import Settings
from streams.taxonomy import load_taxonomy
from streams.views import read_window
from streams.windows import window_by_id
from summarizer.service import Summarizer

from .conftest import Worker, count_batches, organic, wait_until

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251107
WID = "20251107"
TEXT = (
    "Our retrieval augmented generation pipeline now answers questions over the whole wiki; "
    "the vector search index was the hard part and reranking helped the most"
)
STATUS = re.compile(r"https://x\.com/i/status/([0-9]+)")


def tweet(tweet_id: str, username: str, likes: int, *, lossy: bool, rt: bool = False) -> Tweet:
    return Tweet(
        id=tweet_id,
        text=f"RT @rag_researcher: {TEXT}" if rt else TEXT,
        created_at=T0,
        lang="en",
        author=Author(id=f"id-{username}", username=username),
        metrics=Metrics(like_count=likes, retweet_count=10),
        references=(Reference(type="retweeted"),) if rt else (),  # original id unknown
        id_lossy=lossy,
    )


def _apply(settings: Settings, *batches: list[Tweet]) -> WindowAggregates:
    return count_batches(settings, WID, *batches)


def _ns(settings: Settings, n: int) -> Settings:
    return settings.model_copy(update={"key_prefix": f"{settings.key_prefix}{n}:"})


def test_records_of_normal_ids_are_stored_as_before_and_lossy_ones_flagged(
    settings: Settings, rdb: redis.Redis
) -> None:
    normal = tweet("8000", "eve", 5, lossy=False)
    lossy = tweet("8100", "alice", 50, lossy=True)
    agg = _apply(settings, [normal, lossy], [lossy])  # re-sent: still counted once
    assert agg.total == 2
    assert [(r.id, r.lossy_id) for r in agg.top_tweets["rag_search"]] == [
        ("8100", True),
        ("8000", False),
    ]
    stored = rdb.hget(Keys(settings.key_prefix).tweets(WID), "8000")
    assert stored == row_of(organic(normal))[1]["rec"].encode()  # byte-identical
    assert rdb.sismember(Keys(settings.key_prefix).seen(WID), "8100")


def test_the_flag_follows_the_retweet_that_stands_for_an_unknown_original(
    settings: Settings,
) -> None:
    # the earliest retweet (smallest id) stands for the original, whatever the counting order
    cases = [
        # (lossy 8001?, lossy 8002?, batches by index), expected flag of the entry 8001
        (True, False, [[1], [0]]),  # 8001 takes over from 8002: its own flag
        (False, True, [[1], [0]]),  # ... and 8002's flag does not come along
        (True, False, [[0], [1]]),  # 8002 outranks 8001's record: re-cited with 8001's flag
        (False, True, [[0], [1]]),
    ]
    for n, (first_lossy, second_lossy, order) in enumerate(cases):
        retweets = [
            tweet("8001", "fan_one", 300, lossy=first_lossy, rt=True),
            tweet("8002", "fan_two", 340, lossy=second_lossy, rt=True),  # fresher counts
        ]
        agg = _apply(_ns(settings, n), *([retweets[i] for i in batch] for batch in order))
        [entry] = agg.top_tweets["rag_search"]
        assert (entry.id, entry.engagement, entry.lossy_id) == ("8001", 360, first_lossy), n


def test_a_lossy_tweet_through_kafka_is_reported_without_a_link(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    keys = Keys(settings.key_prefix)
    lossy_id, normal_id = "1642693206365044736", "1642693206365044999"
    worker.start()
    with BatchingProducer(settings) as producer:
        producer.add(tweet(lossy_id, "alice", 900, lossy=True))
        producer.add(tweet(normal_id, "bob", 100, lossy=False).model_copy(update={"text": "RAG"}))
        producer.flush()

    def counted() -> bool:
        return rdb.hget(keys.totals(WID), "total") == b"2"

    wait_until(counted, 120, "both tweets to be counted", worker)
    agg = read_window(rdb, keys, window_by_id(WID, settings.zone))
    flags = {r.id: r.lossy_id for records in agg.top_tweets.values() for r in records}
    assert flags[lossy_id] is True
    assert flags.get(normal_id, False) is False
    raw = rdb.hget(keys.tweets(WID), lossy_id)
    assert raw is not None
    assert orjson.loads(raw)["l"] == 1

    published = datetime(2025, 11, 8, 0, 12, 30, tzinfo=UTC)
    result = Summarizer(settings, rdb, load_taxonomy(), clock=lambda: published).summarize(WID)
    markdown = result.markdown.read_text("utf-8")
    assert lossy_id not in STATUS.findall(markdown)
    assert re.search(r"[(,] ?@alice\b", markdown)  # cited by name, unlinked
    assert markdown.count("部分推文的 id 在源数据中不完整") == 1  # and the report says why, once
    assert f"status/{lossy_id}" not in markdown
