"""Rolling-window maths over minute buckets, for the live view and the burst timer. Pure.

Redis keeps, per day window, minute buckets: ``{epoch second of a UTC minute: tweets}`` per topic
(and ``_all``, ``_ads``), and per minute ``{term: tweets}``. Everything here takes those maps and
an injected "now"; nothing reads the clock or does I/O.

Event time, not wall time: the live view's "now" is :func:`live_now` — the event-time watermark
plus the allowed lateness, i.e. the newest event time every active partition has reached. A replay
of last week therefore shows last week's rates, and in live mode (where the wall clock floors the
watermark) "now" is the wall clock. Rolling windows count whole minutes only: a window of length
``L`` covers the minutes starting in ``[floor(now) − L, floor(now))``; the minute holding "now"
is still filling and is left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from streams.bursts import BurstEvent, bucket_floor, score
from streams.errors import InputError
from streams.watermark import compute_watermark
from streams.windows import window_for

K = TypeVar("K")
BAD_PARAM = "bad_param"  # InputError.reason of a query parameter the live view rejects
MINUTE = timedelta(minutes=1)
LIVE_WINDOWS: dict[str, timedelta] = {
    "5m": timedelta(minutes=5),
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
}


def parse_window(value: str | None, default: str = "1h") -> tuple[str, timedelta]:
    """``5m``, ``1h`` or ``24h`` (``None`` → ``default``); InputError('bad_param') otherwise."""
    name = default if value is None else value.strip()
    if name not in LIVE_WINDOWS:
        msg = f"must be one of {', '.join(LIVE_WINDOWS)}; got {value!r}"
        raise InputError(BAD_PARAM, msg)
    return name, LIVE_WINDOWS[name]


def parse_limit(value: str | None, default: int, maximum: int) -> int:
    """A positive int up to ``maximum`` (``None`` → ``default``); InputError otherwise."""
    if value is None:
        return default
    text = value.strip()
    if not text.isdigit() or not 1 <= int(text) <= maximum:
        msg = f"must be an integer from 1 to {maximum}; got {value!r}"
        raise InputError(BAD_PARAM, msg)
    return int(text)


def live_now(watermark: datetime | None, lateness: timedelta, wall: datetime) -> datetime:
    """The live view's "now": watermark + lateness, or the wall clock before any data."""
    return wall if watermark is None else watermark + lateness


def minute_of(ts: datetime) -> int:
    """Epoch seconds of the UTC minute holding the aware ``ts``."""
    return int(bucket_floor(ts, MINUTE).timestamp())


# --- rolling windows ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rolling:
    """Tweets in a rolling window and in the window of the same length just before it."""

    count: int
    previous: int
    minutes: int  # the window's length

    @property
    def rate(self) -> float:
        """Tweets per minute over the window."""
        return self.count / self.minutes

    @property
    def change(self) -> float | None:
        """(count − previous) / previous, e.g. 0.25 for +25 %; None when previous is 0."""
        return None if self.previous == 0 else (self.count - self.previous) / self.previous

    def to_record(self) -> dict[str, Any]:
        change = self.change
        return {
            "count": self.count,
            "previous": self.previous,
            "rate_per_min": round(self.rate, 4),
            "change": None if change is None else round(change, 4),
        }


def window_sum(minutes: Mapping[int, int], start: int, end: int) -> int:
    """Tweets in the minute buckets that start in ``[start, end)`` (epoch seconds)."""
    return sum(n for minute, n in minutes.items() if start <= minute < end)


def rolling_bounds(now: datetime, length: timedelta) -> tuple[int, int, int]:
    """(previous start, start, end) in epoch s of the whole-minute window of ``length`` that
    ends at the minute holding ``now``, and of the window of the same length before it."""
    if length < MINUTE or length % MINUTE:
        msg = f"window length must be whole minutes, got {length}"
        raise ValueError(msg)
    span = int(length.total_seconds())
    end = minute_of(now)
    return end - 2 * span, end - span, end


def rolling(minutes: Mapping[int, int], now: datetime, length: timedelta) -> Rolling:
    """The whole-minute window of ``length`` ending at the minute holding ``now``."""
    before, start, end = rolling_bounds(now, length)
    return Rolling(
        window_sum(minutes, start, end), window_sum(minutes, before, start), length // MINUTE
    )


def minutes_between(start: datetime, end: datetime) -> list[int]:
    """Epoch minutes whose minute starts in ``[start, end)`` (both aligned or not)."""
    first = minute_of(start)
    if first < start.timestamp():
        first += 60
    return list(range(first, int((end - timedelta(microseconds=1)).timestamp()) + 1, 60))


def minutes_by_window(
    minutes: Iterable[int], zone: ZoneInfo, start_hour: int
) -> dict[str, list[int]]:
    """Group epoch minutes by the day window holding them (window id → minutes, in order)."""
    out: dict[str, list[int]] = defaultdict(list)
    hour_window: dict[int, str] = {}  # windows start on a whole local hour: one lookup per hour
    for minute in minutes:
        hour = minute // 3600
        wid = hour_window.get(hour)
        if wid is None:
            stamp = datetime.fromtimestamp(minute, UTC)
            wid = hour_window[hour] = window_for(stamp, zone, start_hour).id
        out[wid].append(minute)
    return dict(out)


def windows_between(start: datetime, end: datetime, zone: ZoneInfo, start_hour: int) -> list[str]:
    """Ids of the day windows overlapping ``[start, end)``, oldest first."""
    ids = []
    w = window_for(start, zone, start_hour)
    while w.start < end:
        ids.append(w.id)
        w = window_for(w.end, zone, start_hour)
    return ids


# --- burst buckets --------------------------------------------------------------------------------


def burst_watermark(
    max_event: Mapping[int, datetime],
    last_seen: Mapping[int, datetime],
    *,
    now: datetime,
    lateness: timedelta,
    idle_timeout: timedelta,
    live_mode: bool,
    partitions: int,
) -> datetime | None:
    """Up to when the burst detector may read buckets: they must be complete, because a bucket
    is scored once and never again.

    It is the closer's watermark (:func:`~streams.watermark.compute_watermark`): in replays it
    waits for every one of the ``partitions``, so no bucket is scored half counted.
    """
    return compute_watermark(
        max_event,
        last_seen,
        now=now,
        lateness=lateness,
        idle_timeout=idle_timeout,
        live_mode=live_mode,
        partitions=partitions,
    )


def buckets_to_feed(
    last: datetime | None,
    watermark: datetime,
    bucket: timedelta,
    *,
    first_data: datetime | None,
    limit: int,
) -> list[datetime]:
    """Starts of the closed buckets (end ≤ ``watermark``) the detector has not seen yet.

    After the detector's ``last`` bucket; a fresh detector (``last`` None) starts at the bucket
    holding ``first_data`` (None: no data yet, nothing to feed). At most ``limit``, oldest first.
    """
    newest = bucket_floor(watermark, bucket) - bucket  # the last bucket that has closed
    if last is not None:
        first = last + bucket
    elif first_data is not None:
        first = bucket_floor(first_data, bucket)
    else:
        return []
    out: list[datetime] = []
    start = first
    while start <= newest and len(out) < limit:
        out.append(start)
        start += bucket
    return out


def bucket_counts(
    series: Mapping[K, Mapping[int, int]], starts: Sequence[datetime], bucket: timedelta
) -> list[dict[K, int]]:
    """Per bucket of ``starts`` (consecutive or not), each key's tweets summed over its minutes.

    Keys with zero tweets in a bucket are left out (the detector reads absence as zero)."""
    index = {int(s.timestamp()): i for i, s in enumerate(starts)}
    width = int(bucket.total_seconds())
    out: list[dict[K, int]] = [{} for _ in starts]
    for key, minutes in series.items():
        for minute, n in minutes.items():
            i = index.get(minute - minute % width)
            if i is not None and n:
                counts = out[i]
                counts[key] = counts.get(key, 0) + n
    return out


def event_id(event: BurstEvent) -> str:
    """Stable id of a burst event: the same burst seen by two workers has the same id."""
    opened = int(event.opened_at.timestamp())
    return f"{event.event}:{event.key.kind}:{event.key.name}:{opened}"


def open_and_recent(
    events: Iterable[Mapping[str, Any]], limit: int
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(open bursts, the ``limit`` newest events) from stored event records.

    A burst is open when the newest event of its (kind, name) is an ``open``. Both lists are
    newest first."""
    ordered = sorted(events, key=lambda e: (e["at"], e["event"] == "open"))
    latest: dict[tuple[str, str], Mapping[str, Any]] = {}
    for ev in ordered:
        latest[(ev["kind"], ev["name"])] = ev
    opened = [ev for ev in latest.values() if ev["event"] == "open"]
    opened.sort(key=lambda e: (e["at"], e["z"]), reverse=True)
    return opened, ordered[::-1][:limit]


# --- trending terms -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trend:
    """A term's tweets in the last hour against its hourly mean over the baseline span."""

    term: str
    count: int
    baseline: float  # tweets per hour
    z: float  # Poisson z-score of ``count`` against ``baseline`` (floored)

    def to_record(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "count": self.count,
            "baseline_per_hour": round(self.baseline, 3),
            "z": round(self.z, 3),
        }


def trending(
    series: Mapping[str, Mapping[int, int]],
    now: datetime,
    *,
    baseline: timedelta,
    min_count: int,
    limit: int,
    floor: float = 1.0,
    recent: timedelta = timedelta(hours=1),
) -> list[Trend]:
    """Terms whose last-``recent`` count is highest above their hourly mean over the
    ``baseline`` span before it, scored like bursts (Poisson z, baseline floored at ``floor``
    tweets per ``recent``). Terms under ``min_count`` are left out. Best first."""
    end = minute_of(now)
    start = end - int(recent.total_seconds())
    base_start = start - int(baseline.total_seconds())
    return trending_scores(
        {t: window_sum(m, base_start, start) for t, m in series.items()},
        {t: window_sum(m, start, end) for t, m in series.items()},
        periods=baseline / recent,
        min_count=min_count,
        limit=limit,
        floor=floor,
    )


def trending_scores(
    earlier: Mapping[str, int],
    recent: Mapping[str, int],
    *,
    periods: float,
    min_count: int,
    limit: int,
    floor: float = 1.0,
) -> list[Trend]:
    """:func:`trending` from totals: tweets per term in the recent period and in the
    ``periods`` periods of the same length before it."""
    out = []
    for term, count in recent.items():
        if count < min_count:
            continue
        expected = earlier.get(term, 0) / periods
        out.append(Trend(term, count, expected, score(count, expected, floor)))
    out.sort(key=lambda t: (-t.z, -t.count, t.term))
    return out[:limit]
