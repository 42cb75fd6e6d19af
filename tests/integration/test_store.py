"""The count script on the real Redis: exactly once per tweet id, atomic per batch."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import redis
import redis.asyncio as aioredis

from streams.keys import Keys
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Tweet
from streams.settings import Settings
from streams.store import ApplyResult, RedisStore
from streams.views import read_window
from streams.windows import window_by_id

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251107


def item(
    i: int, *, ad: bool = False, topics: tuple[str, ...] = ("rag_search",), likes: int = 0
) -> EnrichedTweet:
    tweet = Tweet(
        id=str(500 + i),
        text=f"tweet number {i}",
        created_at=T0 + timedelta(minutes=i % 3),
        author=Author(id=str(i % 4), username=f"u{i % 4}"),
        metrics=Metrics(like_count=likes),
    )
    verdict = AdVerdict(score=0.9 if ad else 0.1, is_ad=ad, reasons=("promo_phrase",) if ad else ())
    return EnrichedTweet(tweet=tweet, ad=verdict, topics=() if ad else topics, terms=("#rag",))


async def _apply(settings: Settings, *batches: list[EnrichedTweet]) -> list[ApplyResult]:
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        store = RedisStore(client, settings)
        return [await store.apply(b) for b in batches]
    finally:
        await client.aclose()


def test_replayed_and_duplicated_tweets_count_once(settings: Settings, rdb: redis.Redis) -> None:
    batch = [item(i, likes=i) for i in range(10)] + [item(3, likes=3)] + [item(50, ad=True)]
    first, again = asyncio.run(_apply(settings, batch, batch))
    assert first == ApplyResult(new=11, duplicates=1, late=0)
    assert again == ApplyResult(new=0, duplicates=12, late=0)
    keys = Keys(settings.key_prefix)
    agg = read_window(rdb, keys, window_by_id("20251107", settings.zone))
    assert (agg.total, agg.ads, agg.organic) == (11, 1, 10)
    assert agg.topics == {"rag_search": 10}
    assert agg.ad_reasons == {"promo_phrase": 1}
    assert agg.unique_authors == 4
    assert [r.id for r in agg.top_tweets["rag_search"]][:3] == ["509", "508", "507"]
    assert agg.terms == [("#rag", 10.0)]  # ads never feed emerging terms
    assert sum(agg.hourly.values()) == 11
    assert rdb.ttl(keys.seen("20251107")) > 0, "window keys expire"


def test_top_tweets_are_capped(settings: Settings, rdb: redis.Redis) -> None:
    capped = settings.model_copy(update={"top_tweets_per_topic": 5})
    asyncio.run(_apply(capped, [item(i, likes=i) for i in range(30)]))
    keys = Keys(settings.key_prefix)
    assert rdb.zcard(keys.top("20251107", "rag_search")) == 5
    agg = read_window(rdb, keys, window_by_id("20251107", settings.zone))
    assert [r.engagement for r in agg.top_tweets["rag_search"]] == [29, 28, 27, 26, 25]


def test_tweets_after_close_are_counted_as_late(settings: Settings, rdb: redis.Redis) -> None:
    keys = Keys(settings.key_prefix)
    rdb.set(keys.state("20251107"), "closed")
    (res,) = asyncio.run(_apply(settings, [item(1), item(2)]))
    assert res == ApplyResult(new=2, duplicates=0, late=2)
    assert rdb.hget(keys.totals("20251107"), "late") == b"2"
