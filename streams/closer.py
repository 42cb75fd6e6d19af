"""The daily window closer: exactly one ``windows.closed`` per window, even when closers race.

Each run: compute the watermark from the partitions' clocks in Redis; every open window whose
end is at or before it is moved to *closing* with ``SET NX`` (only one closer wins), announced
on ``windows.closed``, and marked *closed* once the send is acknowledged. A closer that crashes
between the two leaves the window *closing*; :meth:`WindowCloser.recover` (run on start)
re-sends those, so the topic is at-least-once and the summarizer's per-window idempotence
makes it exactly one report.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Protocol

import orjson

from streams.settings import Settings
from streams.watermark import compute_watermark
from streams.windows import window_by_id

log = logging.getLogger("tweetpulse.closer")

SendClosed = Callable[[str, bytes], Awaitable[None]]
"""Send (key, value) to windows.closed and return once the broker acknowledged it."""


class CloserStore(Protocol):
    """The closer's view of the state store (RedisStore; MemoryStore in tests)."""

    async def partition_clocks(self) -> tuple[dict[int, datetime], dict[int, datetime]]: ...
    async def open_windows(self) -> dict[str, datetime]: ...
    async def try_begin_close(self, window_id: str) -> bool: ...
    async def window_state(self, window_id: str) -> str | None: ...
    async def finish_close(self, window_id: str, end: datetime) -> None: ...
    async def window_snapshot(self, window_id: str) -> dict[str, object]: ...


class WindowCloser:
    def __init__(self, store: CloserStore, send: SendClosed, settings: Settings) -> None:
        self.store = store
        self.send = send
        self.settings = settings
        self.last_watermark: datetime | None = None

    async def watermark(self, now: datetime) -> datetime | None:
        max_event, last_seen = await self.store.partition_clocks()
        s = self.settings
        wm = compute_watermark(
            max_event,
            last_seen,
            now=now,
            lateness=s.allowed_lateness,
            idle_timeout=s.partition_idle_timeout,
            live_mode=s.live_mode,
            partitions=s.partitions,
        )
        self.last_watermark = wm
        return wm

    async def recover(self) -> list[str]:
        """Re-send windows a crashed closer left *closing*."""
        resent = []
        for wid, end in sorted((await self.store.open_windows()).items()):
            if await self.store.window_state(wid) == "closing":
                log.warning("window %s was left closing by a crash; re-sending its close", wid)
                await self._announce(wid, end)
                resent.append(wid)
        return resent

    async def run_once(self, now: datetime | None = None) -> list[str]:
        """Close every window the watermark has passed; returns the ids this closer closed."""
        now = now or datetime.now(UTC)
        wm = await self.watermark(now)
        if wm is None:
            return []
        closed = []
        for wid, end in sorted((await self.store.open_windows()).items()):
            if end > wm:
                continue
            if not await self.store.try_begin_close(wid):
                continue  # another closer owns it (or it is already closed)
            await self._announce(wid, end)
            closed.append(wid)
            log.info("closed window %s (watermark %s)", wid, wm.isoformat())
        return closed

    async def _announce(self, wid: str, end: datetime) -> None:
        s = self.settings
        window = window_by_id(wid, s.zone, s.window_start_hour)
        payload = {
            "window": wid,
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "timezone": s.timezone,
            "counts": await self.store.window_snapshot(wid),
            "closed_at": datetime.now(UTC).isoformat(),
        }
        await self.send(wid, orjson.dumps(payload))
        await self.store.finish_close(wid, end)
