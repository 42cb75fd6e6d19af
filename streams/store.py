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

import redis.asyncio as aioredis

from streams.counting import Row, encode_rows, group_by_window, row_of
from streams.keys import Keys
from streams.model import EnrichedTweet
from streams.settings import Settings

COUNT_SCRIPT = resources.files("streams").joinpath("count_batch.lua").read_text("utf-8")


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

    async def apply(self, items: Sequence[EnrichedTweet]) -> ApplyResult:
        """Count a batch of enriched tweets (see :meth:`apply_rows`)."""
        return await self.apply_rows([row_of(item) for item in items])

    async def apply_rows(self, rows: Iterable[tuple[datetime, Row]]) -> ApplyResult:
        """Count a batch: one script call per day window in it (usually one)."""
        s = self.settings
        result = ApplyResult()
        for window, group in group_by_window(rows, s.zone, s.window_start_hour).items():
            new, dup, late = await self._count(
                keys=[self.keys.window_base(window.id)],
                args=[
                    s.top_tweets_per_topic,
                    s.top_terms,
                    int(s.minute_bucket_ttl.total_seconds()),
                    int(s.hour_bucket_ttl.total_seconds()),
                    int(s.window_state_ttl.total_seconds()),
                    encode_rows(group),
                ],
            )
            result += ApplyResult(int(new), int(dup), int(late))
            # register the window so the closer knows it exists (NX: never move its end)
            await self.client.zadd(
                self.keys.open_windows, {window.id: window.end.timestamp()}, nx=True
            )
        return result

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
