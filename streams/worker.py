"""The worker: ingest agent, count agent, window-closer timer and the /metrics page.

    tweets.raw ──ingest──► tweets.enriched (same partition) ──count──► Redis (one Lua call)
                  ├──────► tweets.ads   (audit copy of ads)
                  └──────► tweets.dlq   (malformed input, with the reason)
    timer: watermark passed a window's end + lateness → windows.closed (once per window)

The agents decode, call the pure core (parse, Enricher) and write; nothing here computes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

import faust
import orjson
import redis.asyncio as aioredis
from prometheus_client import generate_latest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from streams import metrics as m
from streams.ads import AdClassifier
from streams.app import Topics, create_app, declare_topics
from streams.closer import WindowCloser
from streams.enrich import Enricher, RecentIds
from streams.settings import Settings
from streams.steps import CountStore, IngestOutput, count_record, ingest_record
from streams.store import RedisStore
from streams.taxonomy import Tagger, load_taxonomy

log = logging.getLogger("tweetpulse.worker")
PROMETHEUS_TEXT = "text/plain; version=0.0.4"
T = TypeVar("T")


def build_worker(settings: Settings) -> faust.App:
    """The Faust app with every agent, timer and web page of the pipeline registered."""
    app = create_app(settings)
    topics = declare_topics(app, settings)
    # No I/O here: the Redis client connects on first use and is closed on shutdown.
    client = aioredis.Redis.from_url(settings.redis_url)
    store = RedisStore(client, settings)
    enricher = Enricher(
        AdClassifier(threshold=settings.ad_threshold),
        Tagger(load_taxonomy(settings.taxonomy_path)),
        RecentIds(),
    )
    _register_ingest(app, topics, enricher, settings)
    _register_count(app, topics, store)
    _register_closer(app, topics, store, settings)
    _register_web(app)

    async def _close_redis(sender: Any, **kwargs: Any) -> None:
        await client.aclose()

    app.on_before_shutdown.connect(_close_redis)  # type: ignore[arg-type]  # faust's stub wants a `signal` kwarg

    return app


async def _send_and_wait(topic: faust.TopicT, **kwargs: Any) -> None:
    """Send now (not attached to a record's offset) and wait for the broker's ack."""
    fut = await topic.send(force=True, **kwargs)
    await fut


def _register_ingest(
    app: faust.App, topics: Topics, enricher: Enricher, settings: Settings
) -> None:
    @app.agent(topics.raw, name="ingest")
    async def ingest(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            msg = event.message
            source = f"{msg.topic}/{msg.partition}@{msg.offset}"
            out = ingest_record(
                msg.value,
                source=source,
                enricher=enricher,
                max_text_chars=settings.max_text_chars,
                received_at=msg.timestamp,
                now=datetime.now(UTC),
            )
            if "internal_error" in out.rejects:
                log.error("ingest failed on %s; the record went to the DLQ", source)
            # Sends made here are attached to this record's offset: delivered before it commits.
            for record in out.dlq:
                await topics.dlq.send(value=record)
            if out.ads is not None:
                await topics.ads.send(key=msg.key, value=out.ads)
            if out.enriched is not None:
                await topics.enriched.send(key=msg.key, value=out.enriched, partition=msg.partition)
            _ingest_metrics(out)


def _ingest_metrics(out: IngestOutput) -> None:
    for reason in out.rejects:
        m.DLQ.labels(reason).inc()
    m.TWEETS_INGESTED.inc(out.tweets)
    m.TWEETS_ENRICHED.inc(out.enriched_count)
    if out.duplicates:
        m.TWEETS_DUPLICATE.labels("ingest").inc(out.duplicates)
    m.ADS.inc(out.ads_count)
    for reason in out.ad_reasons:
        m.AD_REASONS.labels(reason).inc()
    for topic in out.topics:
        m.TOPIC_MENTIONS.labels(topic).inc()


def _register_count(app: faust.App, topics: Topics, store: CountStore) -> None:
    @app.agent(topics.enriched, name="count")
    async def count(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            now = datetime.now(UTC)
            started = time.perf_counter()
            msg = event.message
            out = await _retry_redis(
                partial(count_record, msg.value, partition=msg.partition, store=store, now=now)
            )
            if out.rows:
                m.REDIS_WRITE.observe(time.perf_counter() - started)
                m.BATCH_SIZE.observe(out.rows)
                m.TWEETS_COUNTED.inc(out.result.new)
                m.TWEETS_DUPLICATE.labels("count").inc(out.result.duplicates)
                m.LATE_TWEETS.inc(out.result.late)
                if out.received_at:
                    m.PIPELINE_LATENCY.observe(max(0.0, now.timestamp() - out.received_at))


async def _retry_redis(call: Callable[[], Awaitable[T]], max_delay: float = 30.0) -> T:
    """Retry ``call`` while Redis is unreachable: the stream waits (back-pressure) rather than
    skipping a record. Replaying a half-applied record is safe: the count script is idempotent.
    Operator action: bring Redis back (TWEETPULSE_REDIS_URL); the worker resumes by itself."""
    delay = 0.5
    while True:
        try:
            return await call()
        except (RedisConnectionError, RedisTimeoutError) as exc:
            m.REDIS_ERRORS.inc()
            log.warning("Redis unavailable (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)


def _register_closer(app: faust.App, topics: Topics, store: RedisStore, settings: Settings) -> None:
    async def send_closed(window_id: str, value: bytes) -> None:
        await _send_and_wait(topics.windows_closed, key=window_id.encode(), value=value)

    closer = WindowCloser(store, send_closed, settings)
    recovered = False

    async def close_windows() -> None:
        nonlocal recovered
        try:
            if not recovered:
                await closer.recover()
                recovered = True
            closed = await closer.run_once(datetime.now(UTC))
        except (RedisConnectionError, RedisTimeoutError) as exc:
            m.REDIS_ERRORS.inc()
            log.warning(
                "window closer: Redis unavailable (%s); next try in %ss",
                exc,
                settings.close_interval,
            )
            return
        m.WINDOWS_CLOSED.inc(len(closed))
        if closer.last_watermark is not None:
            m.WATERMARK.set(closer.last_watermark.timestamp())
            m.WATERMARK_LAG.set(time.time() - closer.last_watermark.timestamp())

    app.timer(interval=settings.close_interval, name="window_closer")(close_windows)


def _register_web(app: faust.App) -> None:
    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        # aiohttp rejects a charset inside content_type; Prometheus needs only the version
        return web.bytes(generate_latest(m.REGISTRY), content_type=PROMETHEUS_TEXT)

    @app.page("/healthz")
    async def health(web: Any, request: Any) -> Any:
        return web.bytes(orjson.dumps({"ok": True}), content_type="application/json")
