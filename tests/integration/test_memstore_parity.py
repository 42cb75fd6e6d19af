"""The in-memory store used by agent tests counts exactly what the Redis Lua script counts,
and keeps the same lowest Kafka offset per partition."""

from __future__ import annotations

import asyncio
from datetime import date

import redis
import redis.asyncio as aioredis

from producers.synthetic import generate_day
from streams.ads import AdClassifier
from streams.counting import row_of
from streams.enrich import Enricher, RecentIds
from streams.keys import Keys
from streams.memstore import MemoryStore
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import Tagger, load_taxonomy
from streams.views import topic_counts, window_totals


async def _apply_both(settings: Settings, rows: list) -> tuple:  # type: ignore[type-arg]
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        mem = MemoryStore(settings)
        red = RedisStore(client, settings)
        results = []
        for n, i in enumerate(range(0, len(rows), 97)):
            chunk = rows[i : i + 97]
            source = (n % 3, 1000 - n)  # where the batch came from: offsets fall, then repeat
            results.append(
                (await mem.apply_rows(chunk, source), await red.apply_rows(chunk, source))
            )
        return mem, results
    finally:
        await client.aclose()


def test_memory_store_matches_the_lua_script(settings: Settings, rdb: redis.Redis) -> None:
    tweets, truth = generate_day(date(2025, 11, 7), 4000, 9, settings.zone)
    enricher = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds(capacity=1))
    rows = [row_of(item) for item in enricher.enrich(tweets)[0]]
    mem, results = asyncio.run(_apply_both(settings, rows + rows[:500]))
    for in_memory, in_redis in results:
        assert in_memory == in_redis
    keys = Keys(settings.key_prefix)
    wid = truth.window_id
    w = mem.windows[wid]
    assert window_totals(rdb, keys, wid) == (w.total, w.ads)
    assert topic_counts(rdb, keys, wid) == dict(w.topics)
    offsets = {int(p): int(o) for p, o in rdb.hgetall(keys.offsets(wid)).items()}
    assert offsets == w.offsets and set(offsets) == {0, 1, 2}
    assert 0 < rdb.ttl(keys.offsets(wid)) <= settings.window_state_ttl.total_seconds()
