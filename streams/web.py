"""The worker's HTTP pages: Prometheus ``/metrics``, liveness ``/healthz`` and the live JSON API.

Every ``/api`` answer is JSON (UTF-8). Times are ISO 8601 with offset (UTC); counts are tweets.
"now" is event time: the watermark plus the allowed lateness (see :mod:`streams.live`), so a
replayed day shows that day; ``now`` and ``watermark`` are in every answer. A bad query parameter
is a 400 ``{"error": "...", "param": "<name>"}``; Redis unreachable is a 503 ``{"error": ...}``.

``GET /api/topics?window=5m|1h|24h`` (default 1h)
    ``window``, ``minutes`` (its length), ``now``, ``watermark``;
    ``all`` and ``ads``: every counted tweet / the ads among them, as a rolling count;
    ``topics``: one row per taxonomy topic (organic tweets), most tweets first, with
    ``topic`` (id), ``label``, the rolling count, ``z`` (the topic's burst z-score in the last
    closed burst bucket; null before the detector has seen one) and ``burst`` (true while a
    burst is open). A rolling count is ``count`` (tweets in the window), ``previous`` (in the
    window of the same length just before), ``rate_per_min`` (count / minutes) and ``change``
    ((count − previous) / previous; null when previous is 0).
    ``day_windows``: the day windows the rolling window overlaps, oldest first, each with its
    ``id`` and ``unique_authors``, a HyperLogLog estimate over that whole day window (organic +
    ads). Unique authors are kept per day window only — not per topic nor per rolling window.
``GET /api/trending?limit=20`` (1..200)
    ``terms``: emerging terms (hashtags, cashtags, keyphrases), best first: ``term``,
    ``count`` (tweets in the last hour), ``baseline_per_hour`` (hourly mean over the
    ``baseline_hours`` before that hour) and ``z`` (Poisson z-score of count against the
    baseline, floored at 1 tweet/hour). Terms under ``TWEETPULSE_TRENDING_MIN_COUNT`` tweets in
    the hour are left out.
``GET /api/bursts?limit=50`` (1..1000)
    ``open``: bursts open now (their ``open`` event), newest first; ``recent``: the newest
    ``limit`` events of the last 48 h, newest first; ``scores``: topic → current z-score;
    ``scored_through``: end of the last bucket this worker's detector scored (null: none yet;
    events after it are not known yet — the detector waits for complete buckets). An
    event is the ``alerts.trends`` value: ``id``, ``window``, ``event`` (open|close), ``kind``
    (topic|term), ``name``, ``at`` (end of the deciding bucket), ``z``, ``count`` (tweets in that
    bucket), ``rate`` and ``baseline`` (tweets per minute), ``opened_at``, ``peak_z``.
``GET /api/health``
    200 when Kafka and Redis are reachable, else 503: ``ok``; ``kafka`` {``ok``, ``bootstrap``,
    ``error``} (a bootstrap server accepts a TCP connection within 2 s); ``redis`` {``ok``,
    ``error``} (PING); ``watermark``, ``watermark_lag_seconds`` (wall clock − watermark: large
    during a replay of old data, by design); ``partitions_assigned`` (this worker's).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import faust
import orjson
from prometheus_client import generate_latest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from streams import metrics as m
from streams.errors import InputError
from streams.keys import ADS, ALL
from streams.live import (
    Rolling,
    live_now,
    minute_of,
    minutes_between,
    minutes_by_window,
    open_and_recent,
    parse_limit,
    parse_window,
    rolling_bounds,
    trending_scores,
    windows_between,
)
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import Taxonomy

PROMETHEUS_TEXT = "text/plain; version=0.0.4"
JSON = "application/json"
RECENT_BURSTS = timedelta(hours=48)
KAFKA_CONNECT_TIMEOUT = 2.0
REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

Watermark = Callable[[], Awaitable[datetime | None]]
"""The current event-time watermark (reads the partitions' clocks in Redis)."""


class BurstState(Protocol):
    """What the pages show of the worker's burst detector."""

    def topic_scores(self) -> dict[str, float]: ...
    def open_topics(self) -> set[str]: ...
    def scored_through(self) -> datetime | None: ...


class LiveApi:
    """Builds the JSON answers; no Faust in here, so it is callable from tests and tools."""

    def __init__(
        self,
        store: RedisStore,
        settings: Settings,
        taxonomy: Taxonomy,
        watermark: Watermark,
        bursts: BurstState,
        assigned: Callable[[], int],
    ) -> None:
        self.store = store
        self.settings = settings
        self.taxonomy = taxonomy
        self.watermark = watermark
        self.bursts = bursts
        self.assigned = assigned

    async def _clock(self) -> tuple[datetime, datetime | None]:
        wm = await self.watermark()
        return live_now(wm, self.settings.allowed_lateness, datetime.now(UTC)), wm

    def _stamp(self, now: datetime, wm: datetime | None) -> dict[str, Any]:
        return {"now": now.isoformat(), "watermark": None if wm is None else wm.isoformat()}

    async def topics(self, query: Mapping[str, str]) -> dict[str, Any]:
        name, length = parse_window(query.get("window"))
        now, wm = await self._clock()
        s = self.settings
        ids = self.taxonomy.topic_ids
        bounds = rolling_bounds(now, length)
        first, last = (datetime.fromtimestamp(b, UTC) for b in (bounds[0], bounds[-1]))
        wids = windows_between(first, last, s.zone, s.window_start_hour)
        sums = await self.store.minute_sums(wids, [*ids, ALL, ADS], bounds)
        n = length // timedelta(minutes=1)

        def roll(topic: str) -> Rolling:
            previous, count = sums[topic]
            return Rolling(count, previous, n)

        scores, opened = self.bursts.topic_scores(), self.bursts.open_topics()
        rows = []
        for topic in ids:
            rows.append(
                {
                    "topic": topic,
                    "label": self.taxonomy.label(topic, s.report_lang),
                    **roll(topic).to_record(),
                    "z": None if topic not in scores else round(scores[topic], 3),
                    "burst": topic in opened,
                }
            )
        rows.sort(key=lambda r: (-r["count"], r["topic"]))
        days = windows_between(now - length, now, s.zone, s.window_start_hour)
        authors = [await self.store.unique_authors(wid) for wid in days]
        return {
            "window": name,
            "minutes": n,
            **self._stamp(now, wm),
            "all": roll(ALL).to_record(),
            "ads": roll(ADS).to_record(),
            "topics": rows,
            "day_windows": [
                {"id": wid, "unique_authors": a} for wid, a in zip(days, authors, strict=True)
            ],
        }

    async def trending(self, query: Mapping[str, str]) -> dict[str, Any]:
        limit = parse_limit(query.get("limit"), 20, 200)
        now, wm = await self._clock()
        s = self.settings
        hour = timedelta(hours=1)
        end = datetime.fromtimestamp(minute_of(now), UTC)
        minutes = minutes_between(end - hour - s.trending_baseline, end)
        earlier, recent = await self.store.term_sums(
            minutes_by_window(minutes, s.zone, s.window_start_hour),
            int((end - hour).timestamp()),
        )
        terms = trending_scores(
            earlier,
            recent,
            periods=s.trending_baseline / hour,
            min_count=s.trending_min_count,
            limit=limit,
        )
        return {
            **self._stamp(now, wm),
            "baseline_hours": s.trending_baseline / timedelta(hours=1),
            "terms": [t.to_record() for t in terms],
        }

    async def bursts_page(self, query: Mapping[str, str]) -> dict[str, Any]:
        limit = parse_limit(query.get("limit"), 50, 1000)
        now, wm = await self._clock()
        s = self.settings
        wids = windows_between(
            now - RECENT_BURSTS, now + timedelta(seconds=1), s.zone, s.window_start_hour
        )
        records = await self.store.burst_records(wids)
        through = self.bursts.scored_through()
        cutoff = now - RECENT_BURSTS
        opened, recent = open_and_recent(
            (r for r in records if datetime.fromisoformat(str(r["at"])) >= cutoff), limit
        )
        return {
            **self._stamp(now, wm),
            "open": opened,
            "recent": recent,
            "scores": {t: round(z, 3) for t, z in sorted(self.bursts.topic_scores().items())},
            "scored_through": None if through is None else through.isoformat(),
        }

    async def health(self) -> tuple[int, dict[str, Any]]:
        s = self.settings
        kafka_error = await _kafka_reachable(s.kafka_bootstrap)
        redis_error = None
        wm: datetime | None = None
        try:
            await self.store.client.ping()
            wm = await self.watermark()
        except REDIS_ERRORS as exc:
            redis_error = f"{type(exc).__name__}: {exc}"
        ok = kafka_error is None and redis_error is None
        body = {
            "ok": ok,
            "kafka": {
                "ok": kafka_error is None,
                "bootstrap": s.kafka_bootstrap,
                "error": kafka_error,
            },
            "redis": {"ok": redis_error is None, "error": redis_error},
            "watermark": None if wm is None else wm.isoformat(),
            "watermark_lag_seconds": None if wm is None else round(time.time() - wm.timestamp(), 3),
            "partitions_assigned": self.assigned(),
        }
        return (200 if ok else 503), body


async def _kafka_reachable(bootstrap: str) -> str | None:
    """None when a bootstrap server accepts a TCP connection, else the last error."""
    error = "no bootstrap server"
    for part in bootstrap.split(","):
        host, _, port = part.strip().rpartition(":")
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(host, int(port)), KAFKA_CONNECT_TIMEOUT
            )
        except (OSError, TimeoutError) as exc:
            error = f"{host}:{port}: {type(exc).__name__}: {exc}".rstrip(": ")
            continue
        writer.close()
        await writer.wait_closed()
        return None
    return error


def register_pages(app: faust.App, api: LiveApi) -> None:
    """Add the pages to the Faust ``app`` (its web server runs on settings.worker_web_port)."""

    def json(view: Any, body: object, status: int = 200) -> Any:
        return view.bytes(orjson.dumps(body), content_type=JSON, status=status)

    def guarded(
        build: Callable[[Mapping[str, str]], Awaitable[dict[str, Any]]], param: str
    ) -> Callable[[Any, Any], Awaitable[Any]]:
        """``build``'s answer as JSON; its one query parameter ``param`` rejected → 400."""

        async def page(view: Any, request: Any) -> Any:
            try:
                return json(view, await build(request.query))
            except InputError as exc:
                return json(view, {"error": f"{param}: {exc.detail}", "param": param}, 400)
            except REDIS_ERRORS as exc:
                m.REDIS_ERRORS.inc()
                return json(view, {"error": f"redis unavailable: {exc}"}, 503)

        return page

    topics = guarded(api.topics, "window")
    trend = guarded(api.trending, "limit")
    bursts = guarded(api.bursts_page, "limit")

    @app.page("/api/topics")
    async def api_topics(view: Any, request: Any) -> Any:
        return await topics(view, request)

    @app.page("/api/trending")
    async def api_trending(view: Any, request: Any) -> Any:
        return await trend(view, request)

    @app.page("/api/bursts")
    async def api_bursts(view: Any, request: Any) -> Any:
        return await bursts(view, request)

    @app.page("/api/health")
    async def api_health(view: Any, request: Any) -> Any:
        status, body = await api.health()
        return json(view, body, status)

    @app.page("/metrics")
    async def metrics_page(view: Any, request: Any) -> Any:
        # aiohttp rejects a charset inside content_type; Prometheus needs only the version
        return view.bytes(generate_latest(m.REGISTRY), content_type=PROMETHEUS_TEXT)

    @app.page("/healthz")
    async def healthz(view: Any, request: Any) -> Any:
        """Liveness only (the process answers); /api/health checks Kafka and Redis."""
        return json(view, {"ok": True})
