"""Burst scoring and hysteresis (streams/bursts.py): tables of counts in, events out."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from streams.bursts import BurstConfig, BurstDetector, BurstKey, bucket_floor, score
from streams.settings import Settings

T0 = datetime(2025, 11, 7, 0, 0, tzinfo=UTC)
B = timedelta(minutes=5)
AI = BurstKey("topic", "models")
TERM = BurstKey("term", "#gpt5")


@pytest.mark.parametrize(
    ("count", "expected", "floor", "z"),
    [
        (40, 9.0, 5.0, (40 - 9) / 3),
        (9, 9.0, 5.0, 0.0),
        (0, 16.0, 5.0, -4.0),
        (15, 0.0, 5.0, (15 - 5) / math.sqrt(5)),  # the floor, not 0, is the expected count
        (15, 2.0, 5.0, (15 - 5) / math.sqrt(5)),
        (3, 0.0, 1.0, 2.0),
    ],
)
def test_score(count: int, expected: float, floor: float, z: float) -> None:
    assert score(count, expected, floor) == pytest.approx(z)


STEADY = [10] * 30  # the bias-corrected baseline after these is exactly 10


@pytest.mark.parametrize(
    ("case", "config", "counts", "events"),
    [
        # z(40 | 10) = 9.5 opens; z(25 | 13.1) = 3.3 stays open (between the thresholds);
        # z(20 | 14.3) = 1.5 closes.
        (
            "spike opens, hysteresis holds, falls closes",
            {},
            [*STEADY, 40, 25, 20],
            [(30, "open"), (32, "close")],
        ),
        # z(20 | 10) = 3.2 and z(21 | 11.0) = 3.0: above close, below open: never opens
        ("between thresholds never opens", {}, [*STEADY, 20, 21, 20], []),
        # baseline 0 is floored at 5: z(19) = 6.3 but 19 < min_count
        ("tiny counts never fire", {"warmup_buckets": 0}, [0] * 10 + [19, 19, 19], []),
        ("min count reached fires", {"warmup_buckets": 0}, [0] * 10 + [20], [(10, "open")]),
        ("default warm-up is an hour", {}, [0] * 11 + [50] + [0] * 11 + [50], [(23, "open")]),
        ("warm-up only learns", {"warmup_buckets": 6}, [0, 0, 50, 0, 0, 0, 0], []),
        (
            "first bucket after warm-up can open",
            {"warmup_buckets": 6},
            [0] * 6 + [50],
            [(6, "open")],
        ),
        ("no warm-up: the first bucket can open", {"warmup_buckets": 0}, [50], [(0, "open")]),
        # a lasting level shift to 60: the baseline catches up and the burst closes on its own,
        # after 13 buckets of 60 the baseline is ≈ 60 − 50·0.9¹³ = 47.3: the 14th scores z < 2
        (
            "level shift closes once the baseline catches up",
            {},
            [*STEADY] + [60] * 15,
            [(30, "open"), (43, "close")],
        ),
        # reopening needs the open threshold again, not just the close one
        (
            "closes then reopens",
            {},
            [*STEADY, 40, 5, 40],
            [(30, "open"), (31, "close"), (32, "open")],
        ),
        ("higher floor silences the same spike", {"baseline_floor": 100.0}, [*STEADY, 40], []),
    ],
)
def test_burst_table(
    case: str, config: dict[str, object], counts: list[int], events: list[tuple[int, str]]
) -> None:
    det = BurstDetector(replace(BurstConfig(), **config))  # type: ignore[arg-type]
    got = []
    for i, n in enumerate(counts):
        for ev in det.observe(T0 + i * B, {AI: n}):
            assert ev.key == AI
            assert ev.at == T0 + (i + 1) * B  # the deciding bucket's end
            got.append((i, ev.event))
    assert got == events, case


def test_event_fields() -> None:
    det = BurstDetector()
    for i, n in enumerate([*STEADY, 40, 25, 20]):
        events = det.observe(T0 + i * B, {AI: n})
        if i == 30:
            (opened,) = events
        if i == 32:
            (closed,) = events
    assert opened.z == pytest.approx(30 / math.sqrt(10))
    assert opened.count == 40
    assert opened.rate == pytest.approx(8.0)  # per minute
    assert opened.baseline == pytest.approx(2.0)  # 10 per 5-minute bucket
    assert opened.opened_at == opened.at == T0 + 31 * B
    assert opened.peak_z == opened.z
    assert closed.opened_at == opened.at
    assert closed.peak_z == opened.z  # 25 scored lower than 40
    assert closed.z < 2.0
    record = closed.to_record()
    assert json.loads(json.dumps(record)) == record
    assert record["event"] == "close" and record["kind"] == "topic" and record["name"] == "models"
    assert record["opened_at"] == "2025-11-07T02:35:00+00:00"


def test_open_bursts_and_scores() -> None:
    det = BurstDetector()
    for i, n in enumerate(STEADY):
        det.observe(T0 + i * B, {AI: n})
    assert det.open_bursts() == {}
    det.observe(T0 + 30 * B, {AI: 40, TERM: 30})
    assert det.open_bursts() == {AI: T0 + 31 * B, TERM: T0 + 31 * B}
    scores = det.scores()
    assert scores[AI] > 4 and scores[TERM] == pytest.approx((30 - 5) / math.sqrt(5))
    assert det.last_bucket == T0 + 30 * B


def test_absent_key_counts_as_zero_and_closes() -> None:
    det = BurstDetector(BurstConfig(warmup_buckets=0))
    (opened,) = det.observe(T0, {TERM: 50})
    assert opened.event == "open"
    (closed,) = det.observe(T0 + B, {AI: 3})  # the term is missing: zero tweets
    assert (closed.key, closed.event, closed.count) == (TERM, "close", 0)


def test_gap_closes_open_bursts_at_the_first_missing_bucket() -> None:
    det = BurstDetector(BurstConfig(warmup_buckets=0))
    det.observe(T0, {TERM: 50})
    events = det.observe(T0 + 4 * B, {TERM: 50})  # buckets 1..3 had no data
    assert [(e.event, e.at, e.count) for e in events] == [
        ("close", T0 + 2 * B, 0),
        ("open", T0 + 5 * B, 50),
    ]


@pytest.mark.parametrize(
    ("level", "gaps"),
    [
        (100, 4),  # a busy stream: a gap, every baseline holds (tests/unit/test_bursts_gaps.py)
        (5, 0),  # a quiet one (below gap_min_expected): zero buckets, the baseline decays
    ],
)
def test_skipped_buckets_are_like_empty_ones(level: int, gaps: int) -> None:
    cfg = BurstConfig(baseline_floor=1.0)  # the floor would hide a decayed baseline of 5
    a, b, steady = BurstDetector(cfg), BurstDetector(cfg), BurstDetector(cfg)
    for i in range(10):
        for det in (a, b, steady):
            det.observe(T0 + i * B, {AI: level})
    for i in range(10, 14):
        a.observe(T0 + i * B, {})
    a.observe(T0 + 14 * B, {AI: 40})
    b.observe(T0 + 14 * B, {AI: 40})  # buckets 10..13 skipped
    steady.observe(T0 + 10 * B, {AI: 40})  # never saw the 4 empty buckets
    assert a.scores()[AI] == pytest.approx(b.scores()[AI])
    assert a.gap_buckets == b.gap_buckets == gaps
    held = a.scores()[AI] == pytest.approx(steady.scores()[AI])
    assert held == (gaps > 0)


def test_old_or_repeated_buckets_are_ignored() -> None:
    det = BurstDetector(BurstConfig(warmup_buckets=0))
    det.observe(T0 + B, {AI: 3})
    before = det.scores()
    assert det.observe(T0 + B, {AI: 500}) == []
    assert det.observe(T0, {AI: 500}) == []
    assert det.scores() == before


def test_quiet_keys_are_forgotten() -> None:
    det = BurstDetector(BurstConfig(warmup_buckets=0, alpha=0.5))
    det.observe(T0, {TERM: 1})
    assert TERM in det.scores()
    for i in range(1, 10):  # 0.5 · 0.5⁸ < 0.05 after a few empty buckets
        det.observe(T0 + i * B, {})
    assert TERM not in det.scores()


def test_events_sorted_by_key() -> None:
    det = BurstDetector(BurstConfig(warmup_buckets=0))
    keys = [BurstKey("topic", "z"), BurstKey("term", "b"), BurstKey("term", "a")]
    events = det.observe(T0, dict.fromkeys(keys, 50))
    assert [e.key for e in events] == sorted(keys)


def test_times_in_other_zones_are_the_same_instant() -> None:
    det = BurstDetector(BurstConfig(warmup_buckets=0))
    (ev,) = det.observe(T0.astimezone(ZoneInfo("Asia/Shanghai")), {AI: 50})
    assert ev.at == T0 + B


@pytest.mark.parametrize(
    ("ts", "bucket", "start"),
    [
        (T0 + timedelta(minutes=7, seconds=3), B, T0 + B),
        (T0 + B, B, T0 + B),
        (T0 - timedelta(seconds=1), B, T0 - B),
        (T0 + timedelta(minutes=59), timedelta(hours=1), T0),
    ],
)
def test_bucket_floor(ts: datetime, bucket: timedelta, start: datetime) -> None:
    assert bucket_floor(ts, bucket) == start


@pytest.mark.parametrize(
    ("bucket_start", "counts", "message"),
    [
        (T0 + timedelta(minutes=1), {AI: 1}, "not aligned"),
        (T0.replace(tzinfo=None), {AI: 1}, "naive"),
        (T0, {AI: -1}, "negative"),
    ],
)
def test_bad_input(bucket_start: datetime, counts: dict[BurstKey, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BurstDetector().observe(bucket_start, counts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bucket": timedelta(seconds=90)}, "whole number of minutes"),
        ({"alpha": 1.0}, "alpha"),
        ({"close_threshold": 4.0}, "close_threshold < open_threshold"),
        ({"close_threshold": -1.0}, "close_threshold"),
        ({"min_count": 0}, "min_count"),
    ],
)
def test_bad_config(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BurstConfig(**kwargs)  # type: ignore[arg-type]


def test_config_from_settings() -> None:
    settings = Settings.load(burst_bucket=timedelta(minutes=10), burst_open_threshold=6.0)
    cfg = BurstConfig.from_settings(settings)
    assert cfg.bucket == timedelta(minutes=10) and cfg.open_threshold == 6.0
    assert cfg.close_threshold == settings.burst_close_threshold


@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.5])
def test_steady_rate_is_its_own_baseline_from_the_start(alpha: float) -> None:
    """The bias correction: an EWMA started at 0 would call a steady rate a burst."""
    det = BurstDetector(BurstConfig(alpha=alpha, warmup_buckets=1))
    for i in range(40):
        assert det.observe(T0 + i * B, {AI: 30}) == []
        if i:
            assert det.scores()[AI] == pytest.approx(0.0)
