"""Rolling windows, burst-bucket planning and trending terms (streams/live.py), and the
`tweetpulse top` frame rendering — pure tables, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from streams.bursts import BurstEvent, BurstKey
from streams.errors import InputError
from streams.live import (
    Rolling,
    bucket_counts,
    buckets_to_feed,
    burst_watermark,
    event_id,
    live_now,
    minutes_between,
    minutes_by_window,
    open_and_recent,
    parse_limit,
    parse_window,
    rolling,
    trending,
    window_sum,
    windows_between,
)
from tweetpulse.top import Frame, render

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 11, 7, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai: the day window ends at 16:00
M0 = int(T0.timestamp())
FIVE = timedelta(minutes=5)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def minute(n: int) -> int:
    """Epoch second of the minute ``n`` minutes after T0."""
    return M0 + 60 * n


# --- query parameters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("1h", timedelta(hours=1))),
        ("5m", ("5m", timedelta(minutes=5))),
        (" 24h ", ("24h", timedelta(hours=24))),
    ],
)
def test_parse_window(value: str | None, expected: tuple[str, timedelta]) -> None:
    assert parse_window(value) == expected


@pytest.mark.parametrize("value", ["2h", "", "1H", "60m", "5"])
def test_parse_window_rejects(value: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_window(value)
    assert exc.value.reason == "bad_param"
    assert "5m, 1h, 24h" in exc.value.detail and repr(value) in exc.value.detail


@pytest.mark.parametrize(("value", "expected"), [(None, 20), ("1", 1), ("200", 200), (" 7 ", 7)])
def test_parse_limit(value: str | None, expected: int) -> None:
    assert parse_limit(value, 20, 200) == expected


@pytest.mark.parametrize("value", ["0", "201", "-1", "ten", "1.5", ""])
def test_parse_limit_rejects(value: str) -> None:
    with pytest.raises(InputError, match="from 1 to 200"):
        parse_limit(value, 20, 200)


def test_live_now_is_watermark_plus_lateness_or_the_wall_clock() -> None:
    wall = datetime(2030, 1, 1, tzinfo=UTC)
    assert live_now(T0, timedelta(minutes=10), wall) == at(10)
    assert live_now(None, timedelta(minutes=10), wall) == wall


# --- rolling windows ---------------------------------------------------------------------------

# tweets per minute around the end of the Shanghai day window 20251107 (16:00 UTC = minute 60)
SERIES = {minute(n): 1 for n in range(0, 120)} | {minute(58): 5, minute(61): 7}


@pytest.mark.parametrize(
    ("now", "length", "count", "previous"),
    [
        # the minute holding "now" is still filling: [55, 60) only
        (at(60.5), FIVE, 1 + 1 + 1 + 5 + 1, 5),
        # across the day-window boundary: minutes 58..62 come from two windows' hashes
        (at(63), FIVE, 5 + 1 + 1 + 7 + 1, 5),
        (at(63.999), FIVE, 15, 5),
        (at(120), timedelta(hours=1), 60 + 6, 60 + 4),
        # before the data: nothing now, nothing before
        (at(-60), FIVE, 0, 0),
        # the previous window runs off the data's start
        (at(5), FIVE, 5, 0),
    ],
)
def test_rolling(now: datetime, length: timedelta, count: int, previous: int) -> None:
    r = rolling(SERIES, now, length)
    assert (r.count, r.previous, r.minutes) == (count, previous, length // timedelta(minutes=1))


@pytest.mark.parametrize(
    ("count", "previous", "minutes", "rate", "change"),
    [
        (30, 20, 5, 6.0, 0.5),
        (10, 20, 60, 10 / 60, -0.5),
        (0, 0, 5, 0.0, None),
        (7, 0, 5, 1.4, None),
        (20, 20, 1440, 20 / 1440, 0.0),
    ],
)
def test_rate_and_change(
    count: int, previous: int, minutes: int, rate: float, change: float | None
) -> None:
    r = Rolling(count, previous, minutes)
    assert r.rate == pytest.approx(rate)
    assert r.change == (None if change is None else pytest.approx(change))
    record = r.to_record()
    assert record["count"] == count and record["previous"] == previous
    assert record["change"] == (None if change is None else round(change, 4))


def test_rolling_needs_whole_minutes() -> None:
    with pytest.raises(ValueError, match="whole minutes"):
        rolling(SERIES, T0, timedelta(seconds=90))


def test_window_sum_is_half_open() -> None:
    assert window_sum(SERIES, minute(58), minute(62)) == 5 + 1 + 7 + 1
    assert window_sum(SERIES, minute(58), minute(58)) == 0


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(0), at(3), [minute(0), minute(1), minute(2)]),
        (at(0.5), at(3), [minute(1), minute(2)]),
        (at(0), at(2.5), [minute(0), minute(1), minute(2)]),
        (at(1), at(1), []),
    ],
)
def test_minutes_between(start: datetime, end: datetime, expected: list[int]) -> None:
    assert minutes_between(start, end) == expected


def test_minutes_by_window_splits_at_the_local_day() -> None:
    groups = minutes_by_window([minute(n) for n in range(58, 63)], SH, 0)
    assert groups == {
        "20251107": [minute(58), minute(59)],
        "20251108": [minute(60), minute(61), minute(62)],
    }


@pytest.mark.parametrize(
    ("start", "end", "ids"),
    [
        (at(0), at(30), ["20251107"]),
        (at(0), at(61), ["20251107", "20251108"]),
        (at(-60 * 48), at(61), ["20251105", "20251106", "20251107", "20251108"]),
        (at(60), at(60 + 24 * 60), ["20251108"]),
    ],
)
def test_windows_between(start: datetime, end: datetime, ids: list[str]) -> None:
    assert windows_between(start, end, SH, 0) == ids


# --- burst buckets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "watermark", "first_data", "limit", "expected"),
    [
        # fresh, no data yet: nothing
        (None, at(30), None, 10, []),
        # fresh: from the bucket holding the first data, up to the last closed bucket
        (None, at(17), at(3), 10, [at(0), at(5), at(10)]),
        # a watermark exactly on a boundary closes the bucket ending there
        (None, at(15), at(3), 10, [at(0), at(5), at(10)]),
        # continuing after the last bucket fed
        (at(5), at(27), None, 10, [at(10), at(15), at(20)]),
        # nothing new closed
        (at(15), at(24), None, 10, []),
        # the watermark went back (a partition came back): nothing, no error
        (at(15), at(10), None, 10, []),
        # at most `limit` per run
        (at(0), at(60), None, 3, [at(5), at(10), at(15)]),
    ],
)
def test_buckets_to_feed(
    last: datetime | None,
    watermark: datetime,
    first_data: datetime | None,
    limit: int,
    expected: list[datetime],
) -> None:
    assert buckets_to_feed(last, watermark, FIVE, first_data=first_data, limit=limit) == expected


def test_bucket_counts_sums_minutes_per_bucket_and_key() -> None:
    series = {
        "a": {minute(0): 2, minute(4): 3, minute(5): 1, minute(9): 0, minute(20): 9},
        "b": {minute(7): 4},
        "c": {minute(-1): 8},  # before the first bucket asked: ignored
    }
    assert bucket_counts(series, [at(0), at(5)], FIVE) == [{"a": 5}, {"a": 1, "b": 4}]
    # non-consecutive buckets: minutes between them are ignored
    assert bucket_counts(series, [at(0), at(20)], FIVE) == [{"a": 5}, {"a": 9}]


def event(kind: str, name: str, what: str, at_min: float, opened_min: float) -> BurstEvent:
    return BurstEvent(
        event=what,  # type: ignore[arg-type]  # the table passes valid literals
        key=BurstKey(kind, name),  # type: ignore[arg-type]
        at=at(at_min),
        z=5.0,
        count=30,
        rate=6.0,
        baseline=1.0,
        opened_at=at(opened_min),
        peak_z=5.0,
    )


def test_event_id_is_stable_per_burst_and_kind() -> None:
    opened = event("topic", "markets", "open", 10, 10)
    closed = event("topic", "markets", "close", 30, 10)
    assert event_id(opened) == f"open:topic:markets:{minute(10)}"
    assert event_id(closed) == f"close:topic:markets:{minute(10)}"
    assert event_id(event("term", "#ai", "open", 10, 10)) != event_id(opened)
    assert event_id(opened) == event_id(event("topic", "markets", "open", 10, 10))


def rec(what: str, kind: str, name: str, at_min: int, z: float = 5.0) -> dict[str, Any]:
    return {"event": what, "kind": kind, "name": name, "at": at(at_min).isoformat(), "z": z}


def test_open_and_recent() -> None:
    events = [
        rec("open", "topic", "markets", 10),
        rec("close", "topic", "markets", 30),
        rec("open", "topic", "markets", 50),  # reopened: open again
        rec("open", "term", "#ai", 20, z=9.0),
        rec("open", "topic", "rag_search", 20),
        rec("close", "topic", "rag_search", 25),
        rec("open", "topic", "chips_inference", 20, z=4.5),
    ]
    opened, recent = open_and_recent(events, limit=3)
    assert [(e["name"], e["at"]) for e in opened] == [
        ("markets", at(50).isoformat()),
        ("#ai", at(20).isoformat()),
        ("chips_inference", at(20).isoformat()),
    ]
    assert [(e["event"], e["name"]) for e in recent] == [
        ("open", "markets"),
        ("close", "markets"),
        ("close", "rag_search"),
    ]


def test_a_close_and_a_reopen_in_the_same_bucket_leave_it_open() -> None:
    events = [
        rec("open", "topic", "x", 10),
        rec("open", "topic", "x", 30),
        rec("close", "topic", "x", 30),
    ]
    opened, _ = open_and_recent(events, limit=10)
    assert [e["at"] for e in opened] == [at(30).isoformat()]


# --- trending ----------------------------------------------------------------------------------


def spread(per_hour: int, hours: range) -> dict[int, int]:
    """``per_hour`` tweets in the first minute of each hour offset in ``hours`` (from T0)."""
    return {minute(60 * h): per_hour for h in hours if per_hour}


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        # steady: last hour equals the baseline mean → z 0
        ({"#steady": spread(10, range(-7, 0))}, [("#steady", 10, 10.0, 0.0)]),
        # emerging: 30 now against 5/h → z = (30 − 5) / √5
        (
            {"#new": spread(5, range(-6, -1)) | {minute(-60): 30}},
            [("#new", 30, 5 * 5 / 6, (30 - 5 * 5 / 6) / (5 * 5 / 6) ** 0.5)],
        ),
        # never seen before: the baseline floor (1/h) keeps z finite
        ({"#fresh": {minute(-30): 9}}, [("#fresh", 9, 0.0, 8.0)]),
        # under min_count (5) in the last hour: left out
        ({"#rare": {minute(-30): 4}}, []),
        # only old tweets: left out
        ({"#old": spread(50, range(-6, -1))}, []),
    ],
)
def test_trending(
    series: dict[str, dict[int, int]], expected: list[tuple[str, int, float, float]]
) -> None:
    got = trending(series, at(0), baseline=timedelta(hours=6), min_count=5, limit=10)
    assert [(t.term, t.count) for t in got] == [(e[0], e[1]) for e in expected]
    for t, (_, _, base, z) in zip(got, expected, strict=True):
        assert t.baseline == pytest.approx(base) and t.z == pytest.approx(z)


def test_trending_orders_by_score_and_limits() -> None:
    series = {
        "#a": {minute(-10): 20},
        "#b": {minute(-10): 40},
        "#c": {minute(-10): 20} | spread(20, range(-6, -1)),
    }
    got = trending(series, at(0), baseline=timedelta(hours=6), min_count=5, limit=2)
    assert [t.term for t in got] == ["#b", "#a"]
    assert got[0].to_record() == {"term": "#b", "count": 40, "baseline_per_hour": 0.0, "z": 39.0}


# --- the burst detector's watermark ------------------------------------------------------------

NOW = at(120)  # the wall clock, ahead of every partition
LATE = timedelta(minutes=10)
IDLE = timedelta(seconds=30)


@pytest.mark.parametrize(
    ("max_event", "seen_ago", "live", "expected"),
    [
        # replay: all 4 partitions reported → the slowest one minus lateness
        ({0: at(60), 1: at(30), 2: at(90), 3: at(45)}, 0, False, at(20)),
        # replay: a partition has not reported yet → wait
        ({0: at(60), 1: at(30), 2: at(90)}, 0, False, None),
        # replay: an idle partition still holds it back (it is behind, not finished)
        ({0: at(60), 1: at(30), 2: at(90), 3: at(45)}, 3600, False, at(20)),
        # live: the closer's watermark, floored by the wall clock
        ({0: at(60), 1: at(30), 2: at(90)}, 0, True, NOW - LATE),
        ({}, 0, True, NOW - LATE),
    ],
)
def test_burst_watermark(
    max_event: dict[int, datetime], seen_ago: int, live: bool, expected: datetime | None
) -> None:
    seen = {p: NOW - timedelta(seconds=seen_ago) for p in max_event}
    got = burst_watermark(
        max_event,
        seen,
        now=NOW,
        lateness=LATE,
        idle_timeout=IDLE,
        live_mode=live,
        partitions=4,
    )
    assert got == expected


# --- tweetpulse top ----------------------------------------------------------------------------


def topics_page(window: str, counts: dict[str, int], burst: str | None = None) -> dict[str, Any]:
    rows = [
        {
            "topic": t,
            "label": t.upper(),
            "count": n,
            "previous": 10,
            "rate_per_min": n / 60,
            "change": (n - 10) / 10,
            "z": 6.5 if t == burst else 0.2,
            "burst": t == burst,
        }
        for t, n in counts.items()
    ]
    return {
        "window": window,
        "now": T0.isoformat(),
        "watermark": (T0 - LATE).isoformat(),
        "all": {"count": sum(counts.values()) + 3},
        "ads": {"count": 3},
        "topics": rows,
        "day_windows": [{"id": "20251107", "unique_authors": 1234}],
    }


def test_top_renders_topics_terms_and_bursts() -> None:
    opened = {
        "event": "open",
        "kind": "topic",
        "name": "chips_inference",
        "at": T0.isoformat(),
        "opened_at": T0.isoformat(),
        "z": 6.5,
        "peak_z": 7.25,
        "rate": 12.0,
        "baseline": 2.0,
    }
    frame = Frame(
        topics={
            w: topics_page(w, {"chips_inference": 90 * k, "markets": 7 * k}, "chips_inference")
            for w, k in (("5m", 1), ("1h", 2), ("24h", 3))
        },
        trending={"terms": [{"term": "#b200", "count": 40, "baseline_per_hour": 2.5, "z": 23.7}]},
        bursts={"open": [opened], "recent": [opened], "scored_through": T0.isoformat()},
    )
    wide = Console(width=160, record=True, color_system=None)
    wide.print(render(frame, "http://w:6066", 160))
    text = wide.export_text()
    assert "chips_inference" in text and "CHIPS_INFERENCE" in text and "markets" in text
    assert "90" in text and "180" in text and "270" in text  # 5m / 1h / 24h
    assert "▲ burst" in text and "OPEN" in text and "7.2" in text
    assert "#b200" in text and "23.7" in text
    assert "20251107 ~1,234" in text and "11-07 15:00" in text
    # 80 columns: labels and dates go, numbers are never cut
    narrow = Console(width=80, record=True, color_system=None)
    narrow.print(render(frame, "http://w:6066", 80))
    lines = narrow.export_text().splitlines()
    assert all(len(line) <= 80 for line in lines)
    row = next(line for line in lines if line.strip().startswith("chips_inference"))
    assert row.split()[1:6] == ["90", "180", "270", "3.00", "+1700%"]
    assert "CHIPS_INFERENCE" not in "\n".join(lines)


def test_top_shows_times_in_the_report_zone() -> None:
    """A burst opened at 15:00 UTC reads 23:00 in Shanghai, as in the daily report."""
    burst = {
        "event": "open",
        "kind": "topic",
        "name": "markets",
        "at": T0.isoformat(),
        "opened_at": T0.isoformat(),
        "z": 6.5,
        "peak_z": 7.0,
        "rate": 9.0,
        "baseline": 1.0,
    }
    frame = Frame(
        topics={w: topics_page(w, {"markets": 9}, "markets") for w in ("5m", "1h", "24h")},
        trending={"terms": []},
        bursts={"open": [burst], "recent": [], "scored_through": T0.isoformat()},
    )  # fmt: skip
    console = Console(width=160, record=True, color_system=None)
    console.print(render(frame, "http://w:6066", 160, ZoneInfo("Asia/Shanghai")))
    text = console.export_text()
    assert "11-07 23:00" in text and "(times Asia/Shanghai)" in text
    assert "11-07 15:00" not in text


def test_top_shows_an_unreachable_worker() -> None:
    console = Console(width=100, record=True, color_system=None)
    console.print(render(Frame(error="connection refused"), "http://w:6066"))
    assert "cannot read the worker: connection refused" in console.export_text()
