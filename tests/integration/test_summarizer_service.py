"""The summarizer service: windows.closed in → one report file + one reports.daily record out."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import orjson
import pytest
import redis
import redis.asyncio as aioredis

from streams.errors import ReportError
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Tweet
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import load_taxonomy
from streams.topics import REPORTS, WINDOWS_CLOSED
from summarizer.service import Summarizer, run_service
from tweetpulse.demo import child_env

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


def test_summarize_window_refuses_an_empty_day_unless_asked(
    settings: Settings, rdb: redis.Redis
) -> None:
    """`summarize --window` with a day nothing was counted in (a typo) exits 2 with a clear
    message and writes nothing; --allow-empty writes the empty report on purpose."""
    env = child_env(settings)
    cmd = [sys.executable, "-m", "tweetpulse.cli", "summarize", "--window", "2031-01-01"]
    refused = subprocess.run([*cmd, "--extractive"], env=env, capture_output=True, text=True)
    assert refused.returncode == 2, refused.stderr
    assert "nothing was counted in window 2031-01-01" in refused.stderr
    assert "--allow-empty" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (settings.out_dir / "_posts").exists()
    allowed = subprocess.run(
        [*cmd, "--extractive", "--allow-empty"], env=env, capture_output=True, text=True
    )
    assert allowed.returncode == 0, allowed.stderr
    post = settings.out_dir / "_posts" / "2031-01-01-twitter_ai_20310101_20310102.md"
    assert f"{post} written" in allowed.stdout
    assert "未收到任何推文" in post.read_text("utf-8")
    garbage = subprocess.run(
        [sys.executable, "-m", "tweetpulse.cli", "summarize", "--window", "garbage"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert garbage.returncode == 2
    assert "argument --window: 'garbage' is not a window day YYYY-MM-DD" in garbage.stderr


def test_the_service_still_reports_an_empty_closed_window(
    settings: Settings, rdb: redis.Redis
) -> None:
    """A closed window is reported even when nothing was counted in it (the default)."""
    published = datetime(2025, 11, 8, 0, 12, 30, tzinfo=UTC)
    summarizer = Summarizer(settings, rdb, load_taxonomy(), clock=lambda: published)
    with pytest.raises(ReportError, match="nothing was counted"):
        summarizer.summarize("20251107", allow_empty=False)
    result = summarizer.summarize("20251107")
    assert result.written
    assert "未收到任何推文" in result.markdown.read_text("utf-8")


def test_the_post_date_is_the_day_at_the_publish_time_and_survives_a_rewrite(
    settings: Settings, rdb: redis.Redis
) -> None:
    s = settings.model_copy(update={"report_mode": "extractive"})
    asyncio.run(_fill(s))
    first = datetime(2025, 11, 8, 1, 15, 59, tzinfo=UTC)
    result = Summarizer(s, rdb, load_taxonomy(), clock=lambda: first).summarize("20251107")
    lines = result.markdown.read_text("utf-8").split("\n")
    assert lines[3:5] == [  # the report's day, at the time of day it was written
        'date: "2025-11-07 09:15:59 +0800"',
        'posttime: "2025-11-07 09:15:59 +0800"',
    ]
    later = first + timedelta(days=30)
    again = Summarizer(s, rdb, load_taxonomy(), clock=lambda: later).summarize(
        "20251107", force=True
    )
    assert again.written
    assert again.markdown.read_text("utf-8").split("\n")[3] == lines[3]  # same permalink
