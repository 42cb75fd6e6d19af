"""Event-time watermark over partitions (pure).

watermark = min over active partitions of (max event time seen) − allowed lateness.
A partition whose last batch is older than ``idle_timeout`` (wall clock) no longer holds the
watermark back; when every partition is idle the slowest one counts again (nothing is closed
on silence alone). In live mode the wall clock minus lateness is a floor, so a quiet stream
still closes its day.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta


def compute_watermark(
    max_event: Mapping[int, datetime],
    last_seen: Mapping[int, datetime],
    *,
    now: datetime,
    lateness: timedelta,
    idle_timeout: timedelta,
    live_mode: bool = False,
) -> datetime | None:
    """The current watermark, or None when nothing has been seen (and not in live mode)."""
    candidates: datetime | None = None
    if max_event:
        active = [
            ts
            for part, ts in max_event.items()
            if part in last_seen and now - last_seen[part] <= idle_timeout
        ]
        candidates = min(active) if active else min(max_event.values())
    floor = now - lateness if live_mode else None
    if candidates is None:
        return floor
    wm = candidates - lateness
    return max(wm, floor) if floor is not None else wm
