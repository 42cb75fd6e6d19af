"""The worker: ingest agent, count agent, window-closer timer and the /metrics page.

    tweets.raw ──ingest──► tweets.enriched (same partition) ──count──► Redis (one Lua call)
                  ├──────► tweets.ads   (audit copy of ads)
                  └──────► tweets.dlq   (malformed input, with the reason)
    timer: watermark passed a window's end + lateness → windows.closed (once per window)

The agents decode, call the pure core (parse, Enricher) and write; nothing here computes.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

import faust
import orjson
import redis.asyncio as aioredis
from prometheus_client import generate_latest

from streams import metrics as m
from streams.ads import AdClassifier
from streams.app import Topics, create_app, declare_topics
from streams.closer import WindowCloser
from streams.counting import row_from_json
from streams.dlq import dlq_record
from streams.enrich import Enricher, RecentIds
from streams.model import EnrichedBatch
from streams.parse import Reject, parse_raw_record
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import Tagger, load_taxonomy

log = logging.getLogger("tweetpulse.worker")
PROMETHEUS_TEXT = "text/plain; version=0.0.4"


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
    async def dead_letter(reject: Reject, source: str) -> None:
        m.DLQ.labels(reject.reason).inc()
        await topics.dlq.send(value=dlq_record(reject, source=source, now=datetime.now(UTC)))

    @app.agent(topics.raw, name="ingest")
    async def ingest(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            msg = event.message
            source = f"{msg.topic}/{msg.partition}@{msg.offset}"
            try:
                parsed = parse_raw_record(msg.value, max_text_chars=settings.max_text_chars)
                for reject in parsed.rejects:
                    await dead_letter(reject, source)
                m.TWEETS_INGESTED.inc(len(parsed.tweets))
                enriched, dups = enricher.enrich(parsed.tweets)
            except Exception as exc:  # a bug must not stop the stream: keep the input
                log.exception("ingest failed on %s; sent to the DLQ", source)
                excerpt = msg.value[:2000].decode("utf-8", "backslashreplace")
                await dead_letter(Reject("internal_error", repr(exc), excerpt), source)
                continue
            if dups:
                m.TWEETS_DUPLICATE.labels("ingest").inc(dups)
            if not enriched and parsed.watermark is None:
                continue
            batch = EnrichedBatch(
                tweets=enriched, watermark=parsed.watermark, received_at=msg.timestamp
            )
            ads = [e for e in enriched if e.ad.is_ad]
            for item in enriched:
                if item.ad.is_ad:
                    m.ADS.inc()
                    for reason in item.ad.reasons:
                        m.AD_REASONS.labels(reason).inc()
                else:
                    for topic in item.topics:
                        m.TOPIC_MENTIONS.labels(topic).inc()
            if ads:
                await topics.ads.send(
                    key=msg.key, value=EnrichedBatch(tweets=ads).model_dump_json().encode()
                )
            # attached to this record: delivered before its offset is committed
            await topics.enriched.send(
                key=msg.key, value=batch.model_dump_json().encode(), partition=msg.partition
            )
            m.TWEETS_ENRICHED.inc(len(enriched))


def _register_count(app: faust.App, topics: Topics, store: RedisStore) -> None:
    @app.agent(topics.enriched, name="count")
    async def count(stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            batch = orjson.loads(event.message.value)
            rows = [row_from_json(obj) for obj in batch.get("tweets") or ()]
            now = datetime.now(UTC)
            mark = batch.get("watermark")
            newest = datetime.fromisoformat(mark) if mark else None
            if rows:
                started = time.perf_counter()
                result = await store.apply_rows(rows)
                m.REDIS_WRITE.observe(time.perf_counter() - started)
                m.BATCH_SIZE.observe(len(rows))
                m.TWEETS_COUNTED.inc(result.new)
                m.TWEETS_DUPLICATE.labels("count").inc(result.duplicates)
                m.LATE_TWEETS.inc(result.late)
                latest = max(created_at for created_at, _ in rows)
                newest = latest if newest is None else max(newest, latest)
                if received := batch.get("received_at"):
                    m.PIPELINE_LATENCY.observe(max(0.0, now.timestamp() - received))
            if newest is not None:
                await store.advance_watermark(event.message.partition, newest, now)


def _register_closer(app: faust.App, topics: Topics, store: RedisStore, settings: Settings) -> None:
    async def send_closed(window_id: str, value: bytes) -> None:
        await _send_and_wait(topics.windows_closed, key=window_id.encode(), value=value)

    closer = WindowCloser(store, send_closed, settings)
    recovered = False

    async def close_windows() -> None:
        nonlocal recovered
        if not recovered:
            await closer.recover()
            recovered = True
        closed = await closer.run_once(datetime.now(UTC))
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
