"""Window closers racing on the real Redis and Kafka emit exactly one windows.closed per window."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import orjson
import redis.asyncio as aioredis
from aiokafka import AIOKafkaProducer

from streams.closer import WindowCloser
from streams.model import AdVerdict, Author, EnrichedTweet, Tweet
from streams.settings import Settings
from streams.store import RedisStore
from streams.topics import WINDOWS_CLOSED

from .conftest import read_topic


def enriched(i: int, ts: datetime) -> EnrichedTweet:
    tw = Tweet(id=str(10_000 + i), text=f"tweet {i}", created_at=ts, author=Author(id=str(i)))
    return EnrichedTweet(tweet=tw, ad=AdVerdict(score=0.0, is_ad=False), topics=("markets",))


async def _race(settings: Settings, n_closers: int) -> list[list[str]]:
    client = aioredis.Redis.from_url(settings.redis_url)
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        store = RedisStore(client, settings)
        start = datetime(2025, 11, 1, 0, 0, tzinfo=UTC)
        # five days of tweets, then every partition far past the last day
        items = [enriched(i, start + timedelta(hours=6 * i)) for i in range(20)]
        await store.apply(items)
        late = start + timedelta(days=9)
        now = datetime.now(UTC)
        for partition in range(settings.partitions):
            await store.advance_watermark(partition, late, now)

        async def send(key: str, value: bytes) -> None:
            await producer.send_and_wait(settings.topic(WINDOWS_CLOSED), value, key=key.encode())

        closers = [
            WindowCloser(RedisStore(client, settings), send, settings) for _ in range(n_closers)
        ]
        return list(await asyncio.gather(*(c.run_once(now) for c in closers)))
    finally:
        await producer.stop()
        await client.aclose()


def test_racing_closers_emit_one_close_per_window(settings: Settings) -> None:
    results = asyncio.run(_race(settings, n_closers=4))
    closed_by_someone = sorted(w for r in results for w in r)
    assert len(closed_by_someone) == len(set(closed_by_someone)), "no window closed twice"
    messages = [
        orjson.loads(v) for v in read_topic(settings, WINDOWS_CLOSED, expect=len(closed_by_someone))
    ]
    windows = sorted(m["window"] for m in messages)
    assert windows == closed_by_someone
    assert len(windows) == len(set(windows))
    assert len(windows) >= 5  # 20 tweets every 6 h from Nov 1 cover 5-6 local days
    for m in messages:
        assert m["counts"]["total"] > 0
