"""Event-time watermark over partitions (pure).

Replays and backfills (``live_mode`` off): the watermark is the slowest partition's newest
tweet minus the allowed lateness, and it waits until every one of the topic's partitions has
reported. A partition that has not been counted yet — a rebalance, a slow consumer, a worker
still starting — therefore holds every window open; producers end a replay with a watermark
record on every partition, so a finished replay still closes its days.

Live streams (``live_mode`` on): a partition whose last batch is older than ``idle_timeout``
(wall clock) no longer holds the watermark back, and the wall clock minus the lateness is a
floor, so a quiet stream still closes its day. Tweets that arrive after their day closed are
counted as late (and kept).
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
    partitions: int = 1,
) -> datetime | None:
    """The current watermark, or None when windows must not close yet."""
    if not live_mode:
        if len(max_event) < partitions:
            return None
        return min(max_event.values()) - lateness
    floor = now - lateness
    active = [
        ts
        for part, ts in max_event.items()
        if part in last_seen and now - last_seen[part] <= idle_timeout
    ]
    return max(min(active) - lateness, floor) if active else floor
