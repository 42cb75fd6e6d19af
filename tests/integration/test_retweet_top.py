"""Retweets in the window's top tweets, on the real Redis (and Kafka + a worker): a retweet
stands for its original — one top entry per original, credited to the original author, cited
by a real tweet id — while every retweet is still counted once. Invented texts only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import redis

from producers.kafka_sink import BatchingProducer
from streams.aggregates import WindowAggregates
from streams.keys import Keys
from streams.model import Author, Metrics, Reference, Tweet
from streams.settings import Settings
from streams.views import read_window
from streams.windows import window_by_id

from .conftest import Worker, count_batches, wait_until

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251107
WID = "20251107"
ORIGINAL = (
    "Our retrieval augmented generation pipeline now answers questions over the whole wiki; "
    "the vector search index was the hard part and reranking helped the m…"
)


def retweet(
    tweet_id: str, username: str, likes: int, original_id: str | None = None, minute: int = 0
) -> Tweet:
    return Tweet(
        id=tweet_id,
        text=f"RT @rag_researcher: {ORIGINAL}",
        created_at=T0 + timedelta(minutes=minute),
        author=Author(id=f"id-{username}", username=username),
        metrics=Metrics(like_count=likes, retweet_count=10),  # the ORIGINAL's counts
        references=(Reference(type="retweeted", id=original_id),),
    )


def _apply(settings: Settings, *batches: list[Tweet]) -> WindowAggregates:
    return count_batches(settings, WID, *batches)


def test_retweets_of_an_unknown_original_are_one_entry_cited_by_the_earliest(
    settings: Settings,
) -> None:
    own = Tweet(
        id="8000",
        text="Vector search tips for retrieval pipelines",
        created_at=T0,
        author=Author(id="id-eve", username="eve"),
        metrics=Metrics(like_count=5),
    )
    earliest = retweet("8001", "fan_one", 300)
    fresher = retweet("8002", "fan_two", 340)  # later, so the original's counts grew
    older = retweet("8003", "fan_three", 200)  # an older snapshot of the counts
    # the earliest retweet is counted after another: it takes over the entry
    agg = _apply(settings, [own, fresher], [earliest, fresher], [older])
    assert (agg.total, agg.topics) == (4, {"rag_search": 4})  # every retweet counted, once
    top = agg.top_tweets["rag_search"]
    assert [(r.id, r.author, r.text) for r in top] == [
        ("8001", "rag_researcher", ORIGINAL),  # cited by a real tweet id: the earliest retweet
        ("8000", "eve", own.text),
    ]
    assert top[0].engagement == 340 + 2 * 10  # the freshest counts seen (older ones lose)


def _views(settings: Settings) -> dict[str, object]:
    with redis.Redis.from_url(settings.redis_url) as client:
        base = Keys(settings.key_prefix).window_base(WID)
        out: dict[str, object] = {}
        for raw in client.scan_iter(match=f"{base}:*"):
            key = raw.decode()
            if ":top:" in key:
                out[key[len(base) :]] = client.zrange(key, 0, -1, withscores=True)
            elif key.endswith(":tw"):
                out[key[len(base) :]] = client.hgetall(key)
        return out


def test_the_top_entry_and_its_record_do_not_depend_on_counting_order(
    settings: Settings,
) -> None:
    tweets = [
        retweet("8011", "a", 300),
        retweet("8012", "b", 340),
        retweet("8013", "c", 340),  # same counts as 8012: the smaller id's record is kept
        retweet("8014", "d", 200),
        retweet("8021", "e", 90, original_id="8020"),
        retweet("8022", "f", 90, original_id="8020"),
    ]
    seen = []
    for n, order in enumerate([[0, 1, 2, 3, 4, 5], [3, 2, 5, 1, 0, 4], [2, 4, 0, 3, 5, 1]]):
        ns = settings.model_copy(update={"key_prefix": f"{settings.key_prefix}{n}:"})
        _apply(ns, *([tweets[i]] for i in order))
        seen.append(_views(ns))
    assert seen[0] == seen[1] == seen[2]
    agg = _apply(settings.model_copy(update={"key_prefix": f"{settings.key_prefix}0:"}))
    assert [(r.id, r.engagement) for r in agg.top_tweets["rag_search"]] == [
        ("8011", 360),
        ("8020", 110),
    ]


def test_retweets_of_a_known_original_share_its_id(settings: Settings) -> None:
    agg = _apply(
        settings, [retweet("8101", "fan_one", 300, "8100")], [retweet("8102", "b", 320, "8100")]
    )
    assert agg.total == 2
    [entry] = agg.top_tweets["rag_search"]
    assert (entry.id, entry.author, entry.text) == ("8100", "rag_researcher", ORIGINAL)


def test_two_retweets_by_two_accounts_through_kafka_give_one_entry_for_the_original(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    keys = Keys(settings.key_prefix)
    worker.start()
    with BatchingProducer(settings) as producer:
        producer.add(retweet("8201", "fan_one", 300))
        producer.flush()
        producer.add(retweet("8202", "fan_two", 320, minute=1))
        producer.flush()

    def counted() -> bool:
        return rdb.hget(keys.totals(WID), "total") == b"2"

    wait_until(counted, 120, "both retweets to be counted", worker)
    agg = read_window(rdb, keys, window_by_id(WID, settings.zone))
    assert agg.topics == {"rag_search": 2}
    assert agg.unique_authors == 2  # the retweeters are still the window's authors
    [entry] = agg.top_tweets["rag_search"]
    assert entry.author == "rag_researcher"
    assert entry.text == ORIGINAL
    assert entry.id in {"8201", "8202"}  # a real tweet id: the retweet counted first
    assert entry.engagement == 320 + 2 * 10
