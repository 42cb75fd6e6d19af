"""The summarizer service: windows.closed in → one report file + one reports.daily record out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import orjson
import pytest
import redis
import redis.asyncio as aioredis

from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Tweet
from streams.settings import Settings
from streams.store import RedisStore
from streams.topics import REPORTS, WINDOWS_CLOSED
from summarizer.service import run_service

from .conftest import raw_producer, read_topic

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # window 20251107 in Asia/Shanghai


async def _fill(settings: Settings) -> None:
    client = aioredis.Redis.from_url(settings.redis_url)
    try:
        items = [
            EnrichedTweet(
                tweet=Tweet(
                    id=str(900 + i),
                    text=f"Gemini API adds managed RAG file search, test {i}",
                    created_at=T0 + timedelta(minutes=i),
                    author=Author(id=str(i), username=f"dev{i}"),
                    metrics=Metrics(like_count=i),
                ),
                ad=AdVerdict(score=0.0, is_ad=False),
                topics=("rag_search",),
            )
            for i in range(30)
        ]
        await RedisStore(client, settings).apply(items)
    finally:
        await client.aclose()


@pytest.mark.timeout(180)
def test_a_closed_window_becomes_a_report_file_and_a_reports_daily_record(
    settings: Settings, rdb: redis.Redis
) -> None:
    s = settings.model_copy(update={"report_burst_wait": 0.0})
    asyncio.run(_fill(s))
    producer = raw_producer(s)
    close = orjson.dumps({"window": "20251107"})
    for _ in range(2):  # windows.closed is at-least-once: a re-sent close must not break it
        producer.send(s.topic(WINDOWS_CLOSED), close, key=b"20251107")
    producer.flush()
    producer.close()
    assert run_service(s, max_reports=1) == 1  # returns after the first report
    post = s.out_dir / "_posts" / "2025-11-07-twitter_ai_20251107_20251108.md"
    assert post.exists()
    assert len(list((s.out_dir / "_posts").glob("wordcloud_*.jpg"))) == 1
    (published,) = [orjson.loads(v) for v in read_topic(s, REPORTS, expect=1, timeout=30)]
    assert published["window"] == "20251107"
    assert published["markdown"] == post.read_text("utf-8")
    assert "https://x.com/i/status/9" in published["markdown"]
