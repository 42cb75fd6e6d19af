from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from streams.watermark import compute_watermark

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
T = datetime(2025, 11, 7, 12, 0, tzinfo=UTC)
LATE = timedelta(minutes=10)
IDLE = timedelta(seconds=30)
FRESH = NOW - timedelta(seconds=1)
STALE = NOW - timedelta(minutes=5)


@pytest.mark.parametrize(
    ("max_event", "last_seen", "live", "partitions", "expected"),
    [
        ({}, {}, False, 1, None),
        ({}, {}, True, 1, NOW - LATE),
        ({0: T}, {0: FRESH}, False, 1, T - LATE),
        # replay: the slowest partition holds it, idle or not
        ({0: T, 1: T + timedelta(hours=1)}, {0: FRESH, 1: FRESH}, False, 2, T - LATE),
        ({0: T, 1: T + timedelta(hours=1)}, {0: STALE, 1: FRESH}, False, 2, T - LATE),
        # replay: a partition that has not reported yet (rebalance, start-up) holds everything
        ({0: T, 1: T + timedelta(hours=1)}, {0: FRESH, 1: FRESH}, False, 3, None),
        # live: an idle partition no longer holds the watermark back ...
        ({0: T, 1: NOW}, {0: STALE, 1: FRESH}, True, 2, NOW - LATE),
        # ... the wall clock is a floor, and a lagging active partition cannot go below it
        ({0: T}, {0: FRESH}, True, 1, NOW - LATE),
        ({0: NOW + timedelta(minutes=5)}, {0: FRESH}, True, 1, NOW + timedelta(minutes=5) - LATE),
        # live: everything idle: the wall clock alone
        ({0: T}, {0: STALE}, True, 1, NOW - LATE),
    ],
)
def test_compute_watermark(
    max_event: dict[int, datetime],
    last_seen: dict[int, datetime],
    live: bool,
    partitions: int,
    expected: datetime | None,
) -> None:
    got = compute_watermark(
        max_event,
        last_seen,
        now=NOW,
        lateness=LATE,
        idle_timeout=IDLE,
        live_mode=live,
        partitions=partitions,
    )
    assert got == expected
