"""Integration fixtures: the real Kafka and Redis started by `make test` (tweetpulse local up).

Each test gets its own namespace — Kafka topic prefix, Redis key prefix, consumer group, output
folder — and it is removed afterwards. With CI=true a missing service FAILS the test run.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import redis
import redis.asyncio as aioredis
from kafka import KafkaConsumer, KafkaProducer

from producers.admin import delete_topics, ensure_topics
from streams.aggregates import WindowAggregates
from streams.keys import Keys
from streams.model import AdVerdict, EnrichedTweet, Tweet
from streams.settings import Settings
from streams.store import RedisStore
from streams.views import read_window
from streams.windows import window_by_id
from tweetpulse.demo import child_env
from tweetpulse.local import kafka_ready, redis_ready

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    settings = Settings.load()
    missing = []
    if not kafka_ready(settings.kafka_bootstrap):
        missing.append(f"Kafka at {settings.kafka_bootstrap}")
    if not redis_ready(settings.redis_url):
        missing.append(f"Redis at {settings.redis_url}")
    if missing:
        msg = f"{' and '.join(missing)} not reachable; run `make test` (it starts them)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return settings


@pytest.fixture
def settings(base_settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """A fresh namespace on the real services; topics created, cleaned up afterwards."""
    run = uuid.uuid4().hex[:10]
    s = base_settings.model_copy(
        update={
            "topic_prefix": f"it-{run}.",
            "key_prefix": f"tpit:{run}:",
            "app_id": f"tweetpulse-it-{run}",
            "out_dir": tmp_path / "out",
            "home": base_settings.home.resolve(),
            "worker_data_dir": tmp_path / "faust",
            "worker_web_port": free_port(),
            "partitions": 4,
            "partition_idle_timeout": timedelta(seconds=10),
            "broker_session_timeout": 10.0,
            "broker_heartbeat_interval": 1.0,
        }
    )
    ensure_topics(s)
    yield s
    delete_topics(s)
    client = redis.Redis.from_url(s.redis_url)
    for key in client.scan_iter(match=f"{s.key_prefix}*", count=1000):
        client.delete(key)
    client.close()


@pytest.fixture
def rdb(settings: Settings) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(settings.redis_url)
    yield client
    client.close()


@dataclass
class Worker:
    settings: Settings
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = field(default=0)

    def start(self) -> None:
        self.starts += 1
        env = child_env(self.settings)
        env["TWEETPULSE_WORKER_DATA_DIR"] = str(self.settings.faust_datadir)
        with self.log_path.open("ab") as fh:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tweetpulse.cli", "worker", "--loglevel", "warn"],
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no clean shutdown, no final commit
        self.proc.wait()

    def stop(self) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.terminate()
        try:
            return self.proc.wait(40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")[-6000:]


@pytest.fixture
def worker(settings: Settings, tmp_path: Path) -> Iterator[Worker]:
    w = Worker(settings, tmp_path / "worker.log")
    yield w
    w.stop()


def wait_until(
    check: Callable[[], bool], timeout: float, what: str, worker: Worker | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if worker is not None and worker.proc is not None and not worker.alive():
            pytest.fail(f"worker died while waiting for {what}:\n{worker.log()}")
        time.sleep(0.25)
    extra = f"\nworker log:\n{worker.log()}" if worker is not None else ""
    pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}{extra}")


def raw_producer(settings: Settings) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap, acks="all", max_request_size=8 * 1024 * 1024
    )


def read_topic(settings: Settings, name: str, expect: int, timeout: float = 30.0) -> list[bytes]:
    """Read ``name`` from the beginning until ``expect`` records (or the timeout)."""
    consumer = KafkaConsumer(
        settings.topic(name),
        bootstrap_servers=settings.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=1000,
    )
    out: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while len(out) < expect and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                out.extend(r.value for r in batch)
        # linger briefly: more than `expect` records is a failure the caller must see
        for batch in consumer.poll(timeout_ms=1500).values():
            out.extend(r.value for r in batch)
    finally:
        consumer.close()
    return out


def organic(tweet: Tweet, topics: Iterable[str] = ("rag_search",)) -> EnrichedTweet:
    """``tweet`` as the ingest agent passes an organic tweet on, tagged with ``topics``."""
    return EnrichedTweet(tweet=tweet, ad=AdVerdict(score=0.1, is_ad=False), topics=tuple(topics))


def count_batches(settings: Settings, wid: str, *batches: list[Tweet]) -> WindowAggregates:
    """Count each batch of organic tweets with the real store (one Lua call per batch, in
    order), then read window ``wid`` back as the summarizer does."""

    async def run() -> None:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            store = RedisStore(client, settings)
            for batch in batches:
                await store.apply([organic(tweet) for tweet in batch])
        finally:
            await client.aclose()

    asyncio.run(run())
    with redis.Redis.from_url(settings.redis_url) as client:
        return read_window(client, Keys(settings.key_prefix), window_by_id(wid, settings.zone))
