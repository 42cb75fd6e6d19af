"""Traffic adjustment of the burst detector (streams/bursts.py): a stream that grows as a whole
(the morning rise) opens no burst; one topic rising against a steady stream still does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from streams.bursts import BurstConfig, BurstDetector, BurstEvent, BurstKey

T0 = datetime(2025, 11, 7, 0, 0, tzinfo=UTC)
B = timedelta(minutes=5)
TOPICS = [BurstKey("topic", f"t{i}") for i in range(8)]


def run(config: BurstConfig, buckets: list[dict[BurstKey, int]]) -> list[BurstEvent]:
    detector = BurstDetector(config)
    events = []
    for i, counts in enumerate(buckets):
        events += detector.observe(T0 + i * B, counts)
    return events


def rise(factor_per_bucket: float, n: int, base: int = 30) -> list[dict[BurstKey, int]]:
    """Every topic grows by the same factor per bucket after two steady hours."""
    steady = [{t: base for t in TOPICS} for _ in range(24)]
    growing = [{t: round(base * factor_per_bucket**k) for t in TOPICS} for k in range(1, n + 1)]
    return steady + growing


def opened(events: list[BurstEvent]) -> set[str]:
    return {e.key.name for e in events if e.event == "open"}


def test_a_whole_stream_rising_opens_no_burst() -> None:
    buckets = rise(1.3, 6)
    assert opened(run(BurstConfig(traffic_adjust=False), buckets)), "the plain EWMA fires"
    assert opened(run(BurstConfig(), buckets)) == set()


def test_one_topic_rising_against_a_steady_stream_still_opens() -> None:
    buckets = [{t: 30 for t in TOPICS} for _ in range(24)]
    buckets += [{**{t: 30 for t in TOPICS}, TOPICS[2]: 90} for _ in range(3)]
    assert opened(run(BurstConfig(), buckets)) == {"t2"}


def test_one_topic_bursting_during_a_rise_still_opens() -> None:
    buckets = rise(1.2, 5)
    last = dict(buckets[-1])
    last[TOPICS[5]] *= 4
    buckets[-1] = last
    assert opened(run(BurstConfig(), buckets)) == {"t5"}


@pytest.mark.parametrize("adjust", [True, False])
def test_a_falling_stream_is_scored_like_the_plain_ewma(adjust: bool) -> None:
    """Growth is never below 1: a quiet night does not make the detector more sensitive."""
    buckets = [{t: 40 for t in TOPICS} for _ in range(24)]
    buckets += [{**{t: 10 for t in TOPICS}, TOPICS[0]: 80} for _ in range(2)]
    plain = run(BurstConfig(traffic_adjust=False), buckets)
    assert opened(plain) == {"t0"}
    assert [
        (e.event, e.key, round(e.z, 6)) for e in run(BurstConfig(traffic_adjust=adjust), buckets)
    ] == [(e.event, e.key, round(e.z, 6)) for e in plain]


def test_few_topics_with_a_baseline_mean_no_adjustment() -> None:
    """With fewer than 3 topics above the floor there is no stream to measure: plain EWMA."""
    two = TOPICS[:2]
    buckets = [{t: 30 for t in two} for _ in range(24)]
    buckets += [{t: round(30 * 1.3**k) for t in two} for k in range(1, 7)]
    assert run(BurstConfig(), buckets) == run(BurstConfig(traffic_adjust=False), buckets)
