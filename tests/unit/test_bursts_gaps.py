"""Gaps in the data (streams/bursts.py): a bucket in which a busy stream counted nothing is a gap
(baselines hold, nothing scored), not silence; a quiet stream's empty buckets still decay."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from streams.bursts import BurstConfig, BurstDetector, BurstKey
from streams.errors import ConfigError
from streams.settings import Settings

T0 = datetime(2025, 11, 7, 0, 0, tzinfo=UTC)
B = timedelta(minutes=5)
TOPICS = [BurstKey("topic", f"t{i}") for i in range(8)]
A, C = BurstKey("topic", "a"), BurstKey("topic", "c")
TERM = BurstKey("term", "#gpt5")

Bucket = tuple[dict[BurstKey, int], int | None]  # (counts, total; None: the topics' sum)
OUTAGE: list[Bucket | None] = [({}, 0)] * 12  # one hour in which the whole stream counted 0
SKIPPED: list[Bucket | None] = [None] * 12  # one hour never fed (observe skips ahead)


def steady(n: int, counts: dict[BurstKey, int], total: int | None = None) -> list[Bucket | None]:
    return [(counts, total)] * n


BUSY = {t: 30 for t in TOPICS}  # 240 tweets per bucket: an empty bucket is implausible
SPIKE = {**BUSY, TOPICS[2]: 90}
FEW = {A: 100, C: 50}  # two topics: the traffic adjustment needs 3, it cannot mask the decay
QUIET = {A: 8}  # 8 tweets per bucket in all: below the default gap threshold of 10


def run(
    config: BurstConfig, buckets: list[Bucket | None]
) -> tuple[list[tuple[int, str, str]], BurstDetector]:
    """Feed the buckets in order (None: not fed); (bucket index, key, event) of every event."""
    det = BurstDetector(config)
    got: list[tuple[int, str, str]] = []
    for i, bucket in enumerate(buckets):
        if bucket is None:
            continue
        counts, total = bucket
        for ev in det.observe(T0 + i * B, counts, total):
            got.append((round((ev.at - T0) / B) - 1, ev.key.name, ev.event))
    return got, det


LOW_MIN = {"min_count": 10}


@pytest.mark.parametrize(
    ("case", "config", "buckets", "events", "gaps"),
    [
        ("busy stream, 1-hour outage, same level after", {}, [*steady(24, BUSY), *OUTAGE,
            *steady(12, BUSY)], [], 12),
        ("the same outage never fed (skipped)", {}, [*steady(24, BUSY), *SKIPPED,
            *steady(12, BUSY)], [], 12),
        # the decay the old rule applied: 12 empty buckets leave 0.9¹² = 28% of the baseline
        ("few topics, outage: no burst after it", {}, [*steady(24, FEW), *OUTAGE,
            *steady(3, FEW)], [], 12),
        ("few topics, outage, gaps off: the old false burst", {"gap_min_expected": 0},
            [*steady(24, FEW), *OUTAGE, *steady(3, FEW)], [(36, "a", "open"),
            (36, "c", "open")], 0),
        ("few topics, skipped, gaps off: the old false burst", {"gap_min_expected": 0},
            [*steady(24, FEW), *SKIPPED, *steady(1, FEW)], [(36, "a", "open"),
            (36, "c", "open")], 0),
        # a collector restarting mid-bucket: the first bucket after the gap holds a third
        ("restart mid-bucket: a partial bucket, then the old level", {}, [*steady(24, FEW),
            *OUTAGE, ({A: 33, C: 17}, None), *steady(12, FEW)], [], 12),
        ("real spike right after a gap opens", {}, [*steady(24, BUSY), *OUTAGE,
            *steady(2, SPIKE)], [(36, "t2", "open")], 12),
        ("real spike an hour after a gap opens", {}, [*steady(24, BUSY), *OUTAGE,
            *steady(12, BUSY), *steady(1, SPIKE)], [(48, "t2", "open")], 12),
        # an open burst is neither closed nor fed by a gap: it stays open through the outage
        ("an open burst stays open through a gap", {}, [*steady(24, BUSY), *steady(2, SPIKE),
            *OUTAGE, *steady(1, SPIKE)], [(24, "t2", "open")], 12),
        ("gaps off: the outage closes it and it reopens", {"gap_min_expected": 0},
            [*steady(24, BUSY), *steady(2, SPIKE), *OUTAGE, *steady(1, SPIKE)],
            [(24, "t2", "open"), (26, "t2", "close"), (38, "t2", "open")], 0),
        # a quiet stream keeps the old rule: its silence decays the baseline (8 → 8·0.9²⁴ < the
        # floor of 5) and 14 tweets open (z = (14 − 5)/√5 = 4.0) ...
        ("quiet stream: empty buckets are silence", LOW_MIN, [*steady(24, QUIET),
            *([({}, 0)] * 24), *steady(1, {A: 14})], [(48, "a", "open")], 0),
        # ... while the same topic in a busy stream (total 200) holds its baseline of 8
        ("the same topic in a busy stream: a gap", LOW_MIN, [*steady(24, QUIET, 200),
            *([({}, 0)] * 24), *steady(1, {A: 14}, 200)], [], 24),
        ("threshold above the stream: silence", {**LOW_MIN, "gap_min_expected": 300.0},
            [*steady(24, QUIET, 200), *([({}, 0)] * 24), *steady(1, {A: 14}, 200)],
            [(48, "a", "open")], 0),
        # the total is the caller's: topics missing from a busy bucket are zero, not a gap
        ("a bucket with tweets but no topic is not a gap", LOW_MIN, [*steady(24, QUIET, 200),
            *([({}, 200)] * 24), *steady(1, {A: 14}, 200)], [(48, "a", "open")], 0),
        # gaps teach nothing, so they do not count towards warm-up (12 learned buckets)
        ("gaps are not warm-up", {}, [*steady(2, BUSY), *OUTAGE, *steady(1, SPIKE)], [], 12),
        ("warm-up done after 12 learned buckets", {}, [*steady(6, BUSY), *OUTAGE,
            *steady(6, BUSY), *steady(1, SPIKE)], [(24, "t2", "open")], 12),
    ],
)  # fmt: skip
def test_gap_table(
    case: str,
    config: dict[str, object],
    buckets: list[Bucket | None],
    events: list[tuple[int, str, str]],
    gaps: int,
) -> None:
    got, det = run(replace(BurstConfig(), **config), buckets)  # type: ignore[arg-type]
    assert got == events, case
    assert det.gap_buckets == gaps, case


def test_a_gap_holds_every_baseline_exactly() -> None:
    """After an outage the scores are those of a detector that never saw it."""
    with_gap = BurstDetector()
    without = BurstDetector()
    for i in range(24):
        with_gap.observe(T0 + i * B, FEW)
        without.observe(T0 + i * B, FEW)
    for i in range(24, 36):
        assert with_gap.observe(T0 + i * B, {}, 0) == []
    with_gap.observe(T0 + 36 * B, {A: 130, C: 50})
    without.observe(T0 + 24 * B, {A: 130, C: 50})
    assert with_gap.scores() == pytest.approx(without.scores())
    assert with_gap.expected_total() == pytest.approx(without.expected_total())
    assert with_gap.last_bucket == T0 + 36 * B


def test_scores_during_a_gap_are_the_last_bucket_ones() -> None:
    det = BurstDetector()
    for i in range(24):
        det.observe(T0 + i * B, SPIKE if i == 23 else BUSY)
    before, opened = det.scores(), det.open_bursts()
    for i in range(24, 30):
        det.observe(T0 + i * B, {})
    assert det.scores() == before and det.open_bursts() == opened
    assert det.last_bucket == T0 + 29 * B


@pytest.mark.parametrize(
    ("counts", "total", "expected"),
    [
        ({A: 4, C: 6}, None, 10.0),  # the topics' sum stands in for the total
        ({A: 4, C: 6, TERM: 50}, None, 10.0),  # terms are words of those tweets, not more
        ({A: 4}, 25, 25.0),
        ({TERM: 50}, None, 0.0),  # no topic: nothing says the stream is busy
    ],
)
def test_expected_total(counts: dict[BurstKey, int], total: int | None, expected: float) -> None:
    det = BurstDetector()
    assert det.expected_total() == 0.0
    for i in range(5):
        det.observe(T0 + i * B, counts, total)
    assert det.expected_total() == pytest.approx(expected)


def test_a_negative_total_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        BurstDetector().observe(T0, {A: 1}, -1)


@pytest.mark.parametrize(("value", "ok"), [(0.0, True), (3.0, True), (10.0, True), (2.5, False)])
def test_config_threshold(value: float, ok: bool) -> None:
    if ok:
        assert BurstConfig(gap_min_expected=value).gap_min_expected == value
    else:
        with pytest.raises(ValueError, match="gap_min_expected must be 0"):
            BurstConfig(gap_min_expected=value)


def test_threshold_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert BurstConfig.from_settings(Settings.load()).gap_min_expected == 10.0
    monkeypatch.setenv("TWEETPULSE_BURST_GAP_MIN_EXPECTED", "0")
    assert BurstConfig.from_settings(Settings.load()).gap_min_expected == 0.0
    monkeypatch.setenv("TWEETPULSE_BURST_GAP_MIN_EXPECTED", "20")
    assert BurstConfig.from_settings(Settings.load()).gap_min_expected == 20.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2", "or at least 3 "),
        ("-1", ">= 0|greater than or equal to 0"),
        ("many", "number"),
    ],
)
def test_bad_threshold_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.setenv("TWEETPULSE_BURST_GAP_MIN_EXPECTED", text)
    with pytest.raises(ConfigError, match="TWEETPULSE_BURST_GAP_MIN_EXPECTED") as err:
        Settings.load()
    assert re.search(message, str(err.value))
