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
    ("max_event", "last_seen", "live", "expected"),
    [
        ({}, {}, False, None),
        ({}, {}, True, NOW - LATE),
        ({0: T}, {0: FRESH}, False, T - LATE),
        # min over active partitions
        ({0: T, 1: T + timedelta(hours=1)}, {0: FRESH, 1: FRESH}, False, T - LATE),
        # an idle partition no longer holds the watermark back
        (
            {0: T, 1: T + timedelta(hours=1)},
            {0: STALE, 1: FRESH},
            False,
            T + timedelta(hours=1) - LATE,
        ),
        # every partition idle: the slowest counts again (silence alone closes nothing)
        ({0: T, 1: T + timedelta(hours=1)}, {0: STALE, 1: STALE}, False, T - LATE),
        # live mode: the wall clock is a floor
        ({0: T}, {0: FRESH}, True, NOW - LATE),
    ],
)
def test_compute_watermark(
    max_event: dict[int, datetime],
    last_seen: dict[int, datetime],
    live: bool,
    expected: datetime | None,
) -> None:
    got = compute_watermark(
        max_event, last_seen, now=NOW, lateness=LATE, idle_timeout=IDLE, live_mode=live
    )
    assert got == expected
