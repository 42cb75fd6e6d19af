"""The summarizer service waits for the day's burst events before writing the report."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import redis
import redis.asyncio as aioredis

from streams.keys import Keys
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import load_taxonomy
from streams.windows import window_by_id
from summarizer.service import Summarizer


async def _mark(settings: Settings, through: float) -> None:
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        await RedisStore(client, settings).mark_bursts_scored(datetime.fromtimestamp(through, UTC))
    finally:
        await client.aclose()


def test_wait_for_bursts(settings: Settings, rdb: redis.Redis) -> None:
    window = window_by_id("20251107", settings.zone)
    summarizer = Summarizer(settings, rdb, load_taxonomy())
    started = time.monotonic()
    assert summarizer.wait_for_bursts(window, 0.5) is False  # nothing scored: gives up in time
    assert time.monotonic() - started < 5
    asyncio.run(_mark(settings, window.end.timestamp() - 300))
    assert summarizer.wait_for_bursts(window, 0.3) is False  # scored, but not to the end
    asyncio.run(_mark(settings, window.end.timestamp()))
    asyncio.run(_mark(settings, window.start.timestamp()))  # never moves back
    assert summarizer.wait_for_bursts(window, 0.3) is True
    assert int(rdb.hget(Keys(settings.key_prefix).bursts_scored, "through") or 0) == int(
        window.end.timestamp()
    )
