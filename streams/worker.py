"""The worker: ingest and count agents, the closer, burst and lag timers, and the web pages.

    tweets.raw ──ingest──► tweets.enriched (same partition) ──count──► Redis (one Lua call)
                  ├──────► tweets.ads   (audit copy of ads)
                  └──────► tweets.dlq   (malformed input, with the reason)
    timer: watermark passed a window's end + lateness → windows.closed (once per window)
    timer: closed burst buckets (end ≤ watermark) → streams.bursts → alerts.trends (once per event)
    timer: committed vs end offsets of this worker's partitions → tweetpulse_consumer_lag_records
    web:   /metrics, /healthz, /api/{topics,trending,bursts,health} (streams/web.py)

The agents decode, call the pure core (parse, Enricher, BurstDetector, streams.live) and write;
nothing here computes.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import faust
import orjson
import redis.asyncio as aioredis
from aiokafka.errors import KafkaError
from faust.exceptions import ConsumerNotStarted
from faust.types import TP
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from streams import metrics as m
from streams import topics as names
from streams.ads import AdClassifier
from streams.app import Topics, create_app, declare_topics
from streams.bursts import BurstConfig, BurstDetector, BurstEvent, BurstKey
from streams.campaign_exchange import CampaignExchange
from streams.closer import WindowCloser
from streams.enrich import Enricher, RecentIds
from streams.keys import ALL
from streams.live import (
    bucket_counts,
    buckets_to_feed,
    burst_watermark,
    event_id,
    minutes_between,
    minutes_by_window,
    windows_between,
)
from streams.settings import Settings
from streams.steps import CountStore, IngestOutput, count_record, ingest_record
from streams.store import RedisStore
from streams.taxonomy import Tagger, load_taxonomy
from streams.web import LiveApi, register_pages
from streams.windows import window_for

log = logging.getLogger("tweetpulse.worker")
T = TypeVar("T")
SendEvent = Callable[[bytes, bytes], Awaitable[None]]
"""Send (key, value) to alerts.trends and return once the broker acknowledged it."""


def build_worker(settings: Settings) -> faust.App:
    """The Faust app with every agent, timer and web page of the pipeline registered."""
    app = create_app(settings)
    topics = declare_topics(app, settings)
    # No I/O here: the Redis client connects on first use and is closed on shutdown.
    client = aioredis.Redis.from_url(settings.redis_url)
    store = RedisStore(client, settings)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    enricher = Enricher(
        AdClassifier.from_settings(settings),  # thresholds + campaign detection
        Tagger(taxonomy),
        RecentIds(),
    )
    _register_ingest(app, topics, enricher, settings)
    detector = enricher.classifier.detector
    if detector is not None and settings.campaign_exchange_interval > 0:
        exchange = CampaignExchange(client, store.keys.campaign_exchange, detector)
        _register_campaign_exchange(app, exchange, settings.campaign_exchange_interval)
    _register_count(app, topics, store)
    closer = _register_closer(app, topics, store, settings)
    alerts = app.topic(
        settings.topic(names.ALERTS),
        key_serializer="raw",
        value_serializer="raw",
        partitions=names.partitions_of(names.ALERTS, settings),
    )

    async def send_alert(key: bytes, value: bytes) -> None:
        await _send_and_wait(alerts, key=key, value=value)

    monitor = BurstMonitor(store, send_alert, settings, taxonomy.topic_ids)
    _register_bursts(app, monitor, settings)
    _register_lag(app, settings)

    async def watermark() -> datetime | None:
        return await closer.watermark(datetime.now(UTC))

    api = LiveApi(store, settings, taxonomy, watermark, monitor, lambda: len(_assignment(app)))
    register_pages(app, api)

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
                partial(
                    count_record,
                    msg.value,
                    partition=msg.partition,
                    offset=msg.offset,
                    store=store,
                    now=now,
                )
            )
            if out.rows:
                m.REDIS_WRITE.observe(time.perf_counter() - started)
                m.BATCH_SIZE.observe(out.rows)
                m.TWEETS_COUNTED.inc(out.result.new)
                m.TWEETS_DUPLICATE.labels("count").inc(out.result.duplicates)
                m.LATE_TWEETS.inc(out.result.late)
                if out.received_at:
                    m.PIPELINE_LATENCY.observe(max(0.0, now.timestamp() - out.received_at))


def _register_campaign_exchange(
    app: faust.App, exchange: CampaignExchange, interval: float
) -> None:
    """Share campaign evidence with the other workers (streams/campaign_exchange.py). It runs
    on the agents' event loop, between records: the detector is never used by two at once."""

    async def exchange_campaigns() -> None:
        try:
            sent, received = await exchange.run_once()
        except (RedisConnectionError, RedisTimeoutError) as exc:
            m.REDIS_ERRORS.inc()
            log.warning("campaign exchange: Redis unavailable (%s); next try in %ss", exc, interval)
            return
        m.CAMPAIGN_POSTS_SENT.inc(sent)
        m.CAMPAIGN_POSTS_RECEIVED.inc(received)

    app.timer(interval=interval, name="campaign_exchange")(exchange_campaigns)


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


def _register_closer(
    app: faust.App, topics: Topics, store: RedisStore, settings: Settings
) -> WindowCloser:
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
    return closer


# --- bursts ----------------------------------------------------------------------------------


class BurstMonitor:
    """Feeds the detector every closed burst bucket of every topic and term, and sends its events.

    Each run reads, from Redis, the minute buckets of the buckets that closed since the last run
    (bucket end ≤ the event-time watermark, so replays run in event time) and feeds them in
    order. A fresh detector (worker start) first replays up to ``burst_history`` of buckets, from
    the first minute with data, so baselines survive restarts and warm-up is not a blind spot.
    Each bucket's total (the ``_all`` minutes: every counted tweet) tells the detector a gap in
    the data from a quiet bucket.

    Every worker runs its own detector on the same global counts, so all reach the same events;
    an event is sent by the one worker that wins ``SET NX`` on its id (then stored in Redis for
    the live view and the report, and marked sent). A failed send gives the claim back and is
    retried next run; a claim held by a worker that died expires after :attr:`CLAIM_TTL` s and
    another worker sends the event — ``alerts.trends`` is at least once; dedupe on ``id``.
    """

    CLAIM_TTL = 60
    MAX_PENDING = 1000

    def __init__(
        self, store: RedisStore, send: SendEvent, settings: Settings, topics: Sequence[str]
    ) -> None:
        self.store = store
        self.send = send
        self.settings = settings
        self.topics = list(topics)
        self.config = BurstConfig.from_settings(settings)
        self.detector = BurstDetector(self.config)
        self.pending: list[BurstEvent] = []
        self.max_buckets = max(1, 2 * (timedelta(days=1) // self.config.bucket))

    def topic_scores(self) -> dict[str, float]:
        """Topic → z-score in the last bucket fed (topics the detector tracks)."""
        return {k.name: z for k, z in self.detector.scores().items() if k.kind == "topic"}

    def open_topics(self) -> set[str]:
        return {k.name for k in self.detector.open_bursts() if k.kind == "topic"}

    def scored_through(self) -> datetime | None:
        """End of the last bucket scored (None before the first)."""
        last = self.detector.last_bucket
        return None if last is None else last + self.config.bucket

    async def watermark(self, now: datetime) -> datetime | None:
        """Up to when buckets are complete (see :func:`streams.live.burst_watermark`)."""
        s = self.settings
        max_event, last_seen = await self.store.partition_clocks()
        return burst_watermark(
            max_event,
            last_seen,
            now=now,
            lateness=s.allowed_lateness,
            idle_timeout=s.partition_idle_timeout,
            live_mode=s.live_mode,
            partitions=names.partitions_of(names.ENRICHED, s),
        )

    async def run_once(self, now: datetime) -> list[BurstEvent]:
        """Feed the buckets closed by the watermark; returns the events this worker sent."""
        watermark = await self.watermark(now)
        if watermark is not None:
            await self._feed(watermark)
        self._set_gauges()
        sent = await self._emit()
        through = self.scored_through()
        if through is not None and not self.pending:  # every event so far is stored
            await self.store.mark_bursts_scored(through)
        return sent

    async def _feed(self, watermark: datetime) -> None:
        s, bucket = self.settings, self.config.bucket
        first_data = None
        if self.detector.last_bucket is None:
            since = watermark - s.burst_history
            wids = windows_between(since, watermark, s.zone, s.window_start_hour)
            first = await self.store.first_minute(wids, int(since.timestamp()))
            first_data = None if first is None else datetime.fromtimestamp(first, UTC)
        starts = buckets_to_feed(
            self.detector.last_bucket,
            watermark,
            bucket,
            first_data=first_data,
            limit=self.max_buckets,
        )
        if not starts:
            return
        minutes = minutes_between(starts[0], starts[-1] + bucket)
        by_window = minutes_by_window(minutes, s.zone, s.window_start_hour)
        topics = await self.store.minute_series(by_window, [*self.topics, ALL])
        totals = bucket_counts({ALL: topics.pop(ALL)}, starts, bucket)  # every counted tweet
        terms = await self.store.term_series(by_window)
        series = {BurstKey("topic", t): v for t, v in topics.items()}
        series.update({BurstKey("term", t): v for t, v in terms.items()})
        gaps = self.detector.gap_buckets
        per_bucket = zip(starts, bucket_counts(series, starts, bucket), totals, strict=True)
        for start, counts, total in per_bucket:
            self.pending.extend(self.detector.observe(start, counts, total.get(ALL, 0)))
        m.BURST_GAP_BUCKETS.inc(self.detector.gap_buckets - gaps)
        if len(self.pending) > self.MAX_PENDING:
            dropped = len(self.pending) - self.MAX_PENDING
            log.warning("burst events: %d unsent events dropped (alerts.trends down?)", dropped)
            del self.pending[:dropped]

    def _set_gauges(self) -> None:
        scores, opened = self.topic_scores(), self.open_topics()
        for topic in self.topics:
            m.BURST_ZSCORE.labels(topic).set(scores.get(topic, 0.0))
            m.BURST_OPEN.labels(topic).set(1 if topic in opened else 0)

    async def _emit(self) -> list[BurstEvent]:
        s, sent, keep = self.settings, [], []
        for event in self.pending:
            wid = window_for(event.at - self.config.bucket, s.zone, s.window_start_hour).id
            eid = event_id(event)
            state = await self.store.claim_burst(wid, eid, self.CLAIM_TTL)
            if state == "sent":
                continue  # another worker (or this one before a restart) sent it
            if state is not None:
                keep.append(event)  # another worker is sending it: check again next run
                continue
            record = orjson.dumps({"id": eid, "window": wid, **event.to_record()})
            try:
                await self.send(event.key.name.encode(), record)
            except (KafkaError, TimeoutError) as exc:
                log.warning("burst event %s not sent (%s); retrying next run", eid, exc)
                await self.store.release_burst(wid, eid)
                keep.append(event)
                continue
            await self.store.record_burst(wid, eid, event.at, record)
            m.BURST_EVENTS.labels(event.key.kind, event.event).inc()
            sent.append(event)
            log.info(
                "burst %s: %s %s (z=%.1f)",
                event.event,
                event.key.kind,
                event.key.name,
                event.z,
            )
        self.pending = keep
        return sent


def _register_bursts(app: faust.App, monitor: BurstMonitor, settings: Settings) -> None:
    async def detect_bursts() -> None:
        try:
            await monitor.run_once(datetime.now(UTC))
        except (RedisConnectionError, RedisTimeoutError) as exc:
            m.REDIS_ERRORS.inc()
            log.warning(
                "burst detector: Redis unavailable (%s); next try in %ss",
                exc,
                settings.burst_interval,
            )

    app.timer(interval=settings.burst_interval, name="burst_detector")(detect_bursts)


# --- consumer lag ----------------------------------------------------------------------------


def _assignment(app: faust.App) -> set[TP]:
    """This worker's partitions (empty before the consumer has started)."""
    try:
        return set(app.consumer.assignment())
    except ConsumerNotStarted:
        return set()


def _register_lag(app: faust.App, settings: Settings) -> None:
    """``tweetpulse_consumer_lag_records{topic,partition}``: end offset − committed offset of
    each partition this worker owns (topic = logical name, e.g. ``tweets.raw``). Partitions
    with nothing committed yet count from the log start. Revoked partitions lose their series."""
    reported: set[tuple[str, str]] = set()
    prefix = settings.topic_prefix

    def labels(tp: TP) -> tuple[str, str]:
        topic = tp.topic[len(prefix) :] if prefix and tp.topic.startswith(prefix) else tp.topic
        return topic, str(tp.partition)

    def forget(keep: set[tuple[str, str]]) -> None:
        for gone in reported - keep:
            m.CONSUMER_LAG.remove(*gone)
        reported.intersection_update(keep)

    async def measure_lag() -> None:
        assigned = _assignment(app)
        if not assigned:
            forget(set())
            return
        consumer = app.consumer
        try:
            ends = await consumer.highwaters(*assigned)
            # faust's own record of what it committed (it seeds it from the group at assignment)
            committed: dict[TP, int | None] = {
                tp: consumer._committed_offset.get(tp)  # type: ignore[attr-defined]  # no public accessor
                for tp in assigned
            }
            missing = [tp for tp, off in committed.items() if off is None]
            if missing:
                committed.update(await consumer.earliest_offsets(*missing))
        except (KafkaError, TimeoutError) as exc:
            log.warning("consumer lag: offsets unavailable (%s)", exc)
            return
        now = set()
        for tp in assigned:
            end, done = ends.get(tp), committed.get(tp)
            if end is None or done is None:
                continue
            key = labels(tp)
            m.CONSUMER_LAG.labels(*key).set(max(0, end - done))
            now.add(key)
        reported.update(now)
        forget(now)

    async def on_revoked(sender: Any, revoked: set[TP], **kwargs: Any) -> None:
        forget(reported - {labels(tp) for tp in revoked})

    app.on_partitions_revoked.connect(on_revoked)  # type: ignore[arg-type]  # faust's stub wants a `signal` kwarg
    app.timer(interval=settings.lag_interval, name="consumer_lag")(measure_lag)
