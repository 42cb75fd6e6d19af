"""Redis materialized views: the write path of the count agent and the window closer.

Kafka is the source of truth; Redis holds counts that are idempotent per tweet id (see
``count_batch.lua``). The client is created by the caller (a service start hook) and passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import cast

import orjson
import redis.asyncio as aioredis

from streams.counting import Row, encode_rows, group_by_window, row_of
from streams.keys import ALL, Keys
from streams.model import EnrichedTweet
from streams.settings import Settings

COUNT_SCRIPT = resources.files("streams").joinpath("count_batch.lua").read_text("utf-8")

Source = tuple[int, int]
"""(tweets.enriched partition, offset) of the record a batch came from."""


def count_ttls(settings: Settings) -> tuple[int, int, int]:
    """TTLs (s) the count script gives minute buckets, hour buckets and other window state."""
    return (
        int(settings.minute_bucket_ttl.total_seconds()),
        int(settings.hour_bucket_ttl.total_seconds()),
        int(settings.window_state_ttl.total_seconds()),
    )


def count_args(
    settings: Settings,
    rows: list[Row],
    sources: Iterable[Source] = (),
    ttls: tuple[int, int, int] | None = None,
) -> list[int | str | bytes]:
    """ARGV of ``count_batch.lua`` for one window's rows (see the script's header)."""
    ttl_min, ttl_hour, ttl_state = ttls or count_ttls(settings)
    args: list[int | str | bytes] = [
        settings.top_tweets_per_topic,
        settings.top_terms,
        ttl_min,
        ttl_hour,
        ttl_state,
        encode_rows(rows),
    ]
    for partition, offset in sources:
        args += [partition, offset]
    return args


@dataclass(frozen=True, slots=True)
class ApplyResult:
    new: int = 0
    duplicates: int = 0
    late: int = 0

    def __add__(self, other: ApplyResult) -> ApplyResult:
        return ApplyResult(
            self.new + other.new, self.duplicates + other.duplicates, self.late + other.late
        )


class RedisStore:
    """Async write path used inside the Faust worker."""

    def __init__(self, client: aioredis.Redis, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.keys = Keys(settings.key_prefix)
        self._count = client.register_script(COUNT_SCRIPT)
        self._sum_minutes = client.register_script(_SUM_MINUTES_SCRIPT)
        self._sum_terms = client.register_script(_SUM_TERMS_SCRIPT)

    async def apply(self, items: Sequence[EnrichedTweet]) -> ApplyResult:
        """Count a batch of enriched tweets (see :meth:`apply_rows`)."""
        return await self.apply_rows([row_of(item) for item in items])

    async def apply_rows(
        self, rows: Iterable[tuple[datetime, Row]], source: Source | None = None
    ) -> ApplyResult:
        """Count a batch: one script call per day window in it (usually one). ``source`` is
        where in Kafka the batch came from; each window keeps its lowest offset per partition
        (``<window>:offsets``, where ``tweetpulse rebuild`` starts)."""
        s = self.settings
        result = ApplyResult()
        sources = () if source is None else (source,)
        for window, group in group_by_window(rows, s.zone, s.window_start_hour).items():
            new, dup, late, has_state = await self._count(
                keys=[self.keys.window_base(window.id)], args=count_args(s, group, sources)
            )
            result += ApplyResult(int(new), int(dup), int(late))
            if not int(has_state):
                # register the window so the closer knows it exists (NX: never move its end);
                # a closed window that gets a late tweet stays closed, out of the open set
                await self.client.zadd(
                    self.keys.open_windows, {window.id: window.end.timestamp()}, nx=True
                )
        return result

    async def mark_bursts_scored(self, through: datetime) -> None:
        """Burst events up to ``through`` are stored (never moves back; the report waits on it)."""
        await self.client.eval(
            _HMAX_SCRIPT, 1, self.keys.bursts_scored, "through", int(through.timestamp())
        )

    async def advance_watermark(self, partition: int, event_time: datetime, now: datetime) -> None:
        """Raise the partition's max event time (never lowers it) and mark it active."""
        ms = int(event_time.timestamp() * 1000)
        pipe = self.client.pipeline(transaction=False)
        pipe.eval(_HMAX_SCRIPT, 1, self.keys.watermarks, str(partition), ms)
        pipe.hset(self.keys.watermark_seen, str(partition), int(now.timestamp() * 1000))
        await pipe.execute()

    async def partition_clocks(self) -> tuple[dict[int, datetime], dict[int, datetime]]:
        """(max event time per partition, wall time of the last batch per partition)."""
        wm, seen = (
            await self.client.hgetall(self.keys.watermarks),
            await self.client.hgetall(self.keys.watermark_seen),
        )
        return _ms_map(wm), _ms_map(seen)

    async def open_windows(self) -> dict[str, datetime]:
        rows = cast(
            list[tuple[bytes, float]],
            await self.client.zrange(self.keys.open_windows, 0, -1, withscores=True),
        )
        return {_s(wid): datetime.fromtimestamp(end, UTC) for wid, end in rows}

    async def try_begin_close(self, window_id: str) -> bool:
        """``SET NX`` the window to *closing*; True for the one closer that wins."""
        ttl = int(self.settings.window_state_ttl.total_seconds())
        return bool(await self.client.set(self.keys.state(window_id), "closing", nx=True, ex=ttl))

    async def window_state(self, window_id: str) -> str | None:
        value = await self.client.get(self.keys.state(window_id))
        return None if value is None else _s(value)

    async def finish_close(self, window_id: str, end: datetime) -> None:
        ttl = int(self.settings.window_state_ttl.total_seconds())
        pipe = self.client.pipeline(transaction=True)
        pipe.set(self.keys.state(window_id), "closed", ex=ttl)
        pipe.zrem(self.keys.open_windows, window_id)
        pipe.zadd(self.keys.closed_windows, {window_id: end.timestamp()})
        await pipe.execute()

    async def window_snapshot(self, window_id: str) -> dict[str, object]:
        tot = await self.client.hgetall(self.keys.totals(window_id))
        topics = await self.client.hgetall(self.keys.topics(window_id))
        return {
            "total": int(tot.get(b"total", 0)),
            "ads": int(tot.get(b"ads", 0)),
            "topics": {_s(k): int(v) for k, v in topics.items()},
        }

    # --- live view and burst timer (reads) -------------------------------------------------
    async def minute_series(
        self, window_minutes: Mapping[str, Sequence[int]], topics: Sequence[str]
    ) -> dict[str, dict[int, int]]:
        """topic → {epoch minute: tweets} for the given minutes (window id → minutes)."""
        pipe = self.client.pipeline(transaction=False)
        asked = []
        for wid, minutes in window_minutes.items():
            if not minutes:
                continue
            fields = [str(m) for m in minutes]
            for topic in topics:
                pipe.hmget(self.keys.minutes(wid, topic), fields)
                asked.append((topic, minutes))
        out: dict[str, dict[int, int]] = {t: {} for t in topics}
        for (topic, minutes), values in zip(asked, await pipe.execute(), strict=True):
            series = out[topic]
            for minute, value in zip(minutes, values, strict=True):
                if value is not None:
                    series[minute] = int(value)
        return out

    async def minute_sums(
        self, window_ids: Sequence[str], topics: Sequence[str], bounds: Sequence[int]
    ) -> dict[str, list[int]]:
        """topic → tweets in each span ``[bounds[i], bounds[i+1])`` (epoch s), summed in Redis
        (one script call per window: the data never crosses the network minute by minute)."""
        out = {t: [0] * (len(bounds) - 1) for t in topics}
        for wid in window_ids:
            keys = [self.keys.minutes(wid, t) for t in topics]
            rows = await self._sum_minutes(keys=keys, args=list(bounds))
            for topic, sums in zip(topics, rows, strict=True):
                out[topic] = [a + int(b) for a, b in zip(out[topic], sums, strict=True)]
        return out

    async def term_sums(
        self, window_minutes: Mapping[str, Sequence[int]], split: int
    ) -> tuple[dict[str, int], dict[str, int]]:
        """(tweets per term in the minutes before ``split``, at or after it), for the terms with
        at least one tweet at or after ``split``; summed in Redis, one call per window."""
        earlier: dict[str, int] = {}
        recent: dict[str, int] = {}
        for wid, minutes in window_minutes.items():
            ordered = sorted(minutes)
            n_before = sum(1 for m in ordered if m < split)
            keys = [self.keys.term_minute(wid, m) for m in ordered]
            if not keys:
                continue
            flat = await self._sum_terms(keys=keys, args=[n_before])
            for i in range(0, len(flat), 3):
                term = _s(flat[i])
                earlier[term] = earlier.get(term, 0) + int(flat[i + 1])
                recent[term] = recent.get(term, 0) + int(flat[i + 2])
        return earlier, {t: n for t, n in recent.items() if n}

    async def term_series(
        self, window_minutes: Mapping[str, Sequence[int]]
    ) -> dict[str, dict[int, int]]:
        """term → {epoch minute: tweets} for the given minutes (window id → minutes)."""
        pipe = self.client.pipeline(transaction=False)
        asked = []
        for wid, minutes in window_minutes.items():
            for minute in minutes:
                pipe.hgetall(self.keys.term_minute(wid, minute))
                asked.append(minute)
        out: dict[str, dict[int, int]] = {}
        for minute, raw in zip(asked, await pipe.execute(), strict=True):
            for term, n in raw.items():
                out.setdefault(_s(term), {})[minute] = int(n)
        return out

    async def first_minute(self, window_ids: Sequence[str], since: int) -> int | None:
        """The earliest minute at or after ``since`` with any tweet counted, or None."""
        pipe = self.client.pipeline(transaction=False)
        for wid in window_ids:
            pipe.hkeys(self.keys.minutes(wid, ALL))
        found = [int(m) for fields in await pipe.execute() for m in fields if int(m) >= since]
        return min(found, default=None)

    async def unique_authors(self, window_id: str) -> int:
        """HyperLogLog estimate of the window's distinct authors (the day window only)."""
        return int(await self.client.pfcount(self.keys.authors(window_id)))

    # --- burst events ------------------------------------------------------------------------
    async def claim_burst(self, window_id: str, event_id: str, ttl: int) -> str | None:
        """``SET NX`` the event to *sending* for ``ttl`` s. None: this worker won and must send;
        else the state another worker left (``sending`` or ``sent``)."""
        key = self.keys.burst_claim(window_id, event_id)
        if await self.client.set(key, "sending", nx=True, ex=ttl):
            return None
        value = await self.client.get(key)
        return "sending" if value is None else _s(value)

    async def release_burst(self, window_id: str, event_id: str) -> None:
        """Give a claim back (the send failed; a later run retries)."""
        await self.client.delete(self.keys.burst_claim(window_id, event_id))

    async def record_burst(
        self, window_id: str, event_id: str, at: datetime, record: bytes
    ) -> None:
        """Store a sent event for the live view and the report, and mark it *sent*."""
        s = self.settings
        ttl = int(s.window_state_ttl.total_seconds())
        await self.client.eval(
            _RECORD_BURST_SCRIPT,
            3,
            self.keys.bursts(window_id),
            self.keys.burst_events(window_id),
            self.keys.burst_claim(window_id, event_id),
            event_id,
            at.timestamp(),
            record,
            s.burst_events_kept,
            ttl,
        )

    async def burst_records(self, window_ids: Sequence[str]) -> list[dict[str, object]]:
        """Every stored burst event of the windows (alerts.trends values), oldest first."""
        pipe = self.client.pipeline(transaction=False)
        for wid in window_ids:
            pipe.hvals(self.keys.burst_events(wid))
        out = [orjson.loads(v) for values in await pipe.execute() for v in values]
        out.sort(key=lambda r: str(r.get("at")))
        return out


# KEYS: minute hashes of ONE window; ARGV: ascending bounds b1..bn (epoch s)
# returns, per key, n-1 sums: the fields m with b[i] <= m < b[i+1]
_SUM_MINUTES_SCRIPT = """
local b = {}
for i = 1, #ARGV do b[i] = tonumber(ARGV[i]) end
local out = {}
for k = 1, #KEYS do
  local sums = {}
  for i = 1, #b - 1 do sums[i] = 0 end
  local flat = redis.call('HGETALL', KEYS[k])
  for j = 1, #flat, 2 do
    local m = tonumber(flat[j])
    if m >= b[1] and m < b[#b] then
      for i = 1, #b - 1 do
        if m < b[i + 1] then
          sums[i] = sums[i] + tonumber(flat[j + 1])
          break
        end
      end
    end
  end
  out[k] = sums
end
return out
"""

# KEYS: term-minute hashes of ONE window, oldest first; ARGV[1]: how many are "earlier"
# returns a flat list term, earlier, recent, ... (every term seen)
_SUM_TERMS_SCRIPT = """
local split = tonumber(ARGV[1])
local acc, order = {}, {}
for k = 1, #KEYS do
  local slot = (k <= split) and 1 or 2
  local flat = redis.call('HGETALL', KEYS[k])
  for j = 1, #flat, 2 do
    local term = flat[j]
    local e = acc[term]
    if not e then
      e = {0, 0}
      acc[term] = e
      order[#order + 1] = term
    end
    e[slot] = e[slot] + tonumber(flat[j + 1])
  end
end
local out = {}
for _, term in ipairs(order) do
  local e = acc[term]
  out[#out + 1] = term
  out[#out + 1] = e[1]
  out[#out + 1] = e[2]
end
return out
"""

_RECORD_BURST_SCRIPT = """
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local cap = tonumber(ARGV[4])
local n = redis.call('ZCARD', KEYS[1])
if n > cap then
  local old = redis.call('ZRANGE', KEYS[1], 0, n - cap - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - cap - 1)
  redis.call('HDEL', KEYS[2], unpack(old))
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[3], 'sent', 'EX', ARGV[5])
return 1
"""

_HMAX_SCRIPT = """
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if (not cur) or tonumber(cur) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 1
"""


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _ms_map(raw: Mapping[bytes | str, bytes | str]) -> dict[int, datetime]:
    return {int(k): datetime.fromtimestamp(int(v) / 1000, UTC) for k, v in raw.items()}
