"""The Faust agents themselves, driven by Faust's test_context (no broker, memory:// store)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.app import create_app, declare_topics
from streams.memstore import MemoryStore
from streams.parse import encode_raw_batch
from streams.settings import Settings
from streams.worker import _register_count

NOW = datetime(2025, 11, 7, 3, 0, tzinfo=UTC)


def enriched_record(*ids: str) -> bytes:
    tweets = [
        {
            "tweet": {"id": i, "text": f"tweet {i}", "created_at": NOW.isoformat()},
            "ad": {"score": 0.0, "is_ad": False, "reasons": []},
            "topics": ["rag_search"],
            "terms": [],
        }
        for i in ids
    ]
    return orjson.dumps({"v": 1, "tweets": tweets})


async def test_count_agent_counts_each_tweet_id_once(tmp_path: Path) -> None:
    settings = Settings.load(worker_data_dir=tmp_path, worker_web_port=6067)
    app = create_app(settings)
    app.finalize()
    topics = declare_topics(app, settings)
    store = MemoryStore(settings)
    _register_count(app, topics, store)
    agent = app.agents["count"]
    async with agent.test_context() as ctx:
        await ctx.put(enriched_record("1", "2"), key=b"k", partition=0)
        await ctx.put(enriched_record("2", "3"), key=b"k", partition=0)  # "2" again
        await ctx.put(encode_raw_batch([], watermark=NOW), key=b"k", partition=0)
    (window,) = store.windows.values()
    assert (window.total, dict(window.topics)) == (3, {"rag_search": 3})
    assert store.max_event == {0: NOW}


async def test_redis_outage_makes_the_count_step_wait_not_skip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from redis.exceptions import ConnectionError as RedisConnectionError

    from streams import worker

    sleeps: list[float] = []

    async def no_sleep(delay: float) -> None:
        sleeps.append(delay)

    monkeypatch.setattr(worker.asyncio, "sleep", no_sleep)
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls <= 3:
            raise RedisConnectionError("connection refused")
        return "applied"

    assert await worker._retry_redis(flaky) == "applied"
    assert calls == 4
    assert sleeps == [0.5, 1.0, 2.0]
