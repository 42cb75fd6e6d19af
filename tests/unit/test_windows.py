from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from streams.windows import hour_bucket, minute_bucket, window_by_id, window_for

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("ts", "zone", "start_hour", "wid"),
    [
        (datetime(2025, 11, 6, 16, 0, tzinfo=UTC), SH, 0, "20251107"),  # 00:00 +0800
        (datetime(2025, 11, 6, 15, 59, 59, tzinfo=UTC), SH, 0, "20251106"),
        (datetime(2025, 11, 7, 0, 59, tzinfo=UTC), SH, 9, "20251106"),  # 08:59 local < 09:00
        (datetime(2025, 11, 7, 1, 0, tzinfo=UTC), SH, 9, "20251107"),
        (datetime(2025, 3, 9, 12, 0, tzinfo=UTC), NY, 0, "20250309"),  # DST day
        (datetime(2025, 11, 7, 23, 59, tzinfo=UTC), ZoneInfo("UTC"), 0, "20251107"),
    ],
)
def test_window_for(ts: datetime, zone: ZoneInfo, start_hour: int, wid: str) -> None:
    w = window_for(ts, zone, start_hour)
    assert w.id == wid
    assert w.start <= ts < w.end
    assert window_by_id(wid, zone, start_hour) == w


def test_dst_day_is_23_hours() -> None:
    w = window_by_id("2025-03-09", NY)
    # aware datetimes sharing a tzinfo subtract as wall times; elapsed time is in UTC
    assert w.end.astimezone(UTC) - w.start.astimezone(UTC) == timedelta(hours=23)


def test_slug_and_offset_match_the_seed() -> None:
    w = window_by_id("20251107", SH)
    assert w.slug == "twitter_ai_20251107_20251108"
    assert w.utc_offset == "+0800"


@pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "2025110"])
def test_window_by_id_rejects_garbage(bad: str) -> None:
    with pytest.raises(ValueError, match="YYYYMMDD"):
        window_by_id(bad, SH)


def test_naive_datetime_is_a_bug() -> None:
    with pytest.raises(ValueError, match="aware"):
        window_for(datetime(2025, 1, 1), SH)


def test_buckets() -> None:
    ts = datetime(2025, 11, 7, 4, 5, 6, tzinfo=UTC)
    assert minute_bucket(ts) == int(datetime(2025, 11, 7, 4, 5, tzinfo=UTC).timestamp())
    assert hour_bucket(ts) == int(datetime(2025, 11, 7, 4, tzinfo=UTC).timestamp())
