"""Count enriched tweets into real Redis the way the worker does (one batch through
:class:`streams.store.RedisStore`), for integration tests that build windows directly."""

from __future__ import annotations

import asyncio

import redis.asyncio as aioredis

from streams.model import EnrichedTweet
from streams.settings import Settings
from streams.store import RedisStore


def count_batch(settings: Settings, batch: list[EnrichedTweet]) -> None:
    """Apply ``batch`` to the Redis at ``settings.redis_url`` (exactly once, as the worker)."""

    async def run() -> None:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            await RedisStore(client, settings).apply(batch)
        finally:
            await client.aclose()

    asyncio.run(run())
