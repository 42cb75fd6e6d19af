"""Rebuilding a window's counts from Kafka: the pure part (no redis, no kafka imports).

``tweetpulse rebuild --window W`` (I/O in :mod:`tweetpulse.rebuild`) replays ``tweets.enriched``
from the lowest offset per partition that carried a tweet of W — recorded by the count script
in ``<window>:offsets`` with a min-update (:func:`merge_min_offsets` is that rule) — up to the
end offsets captured when it starts, keeps W's tweets (:func:`window_rows`) and counts them with
the same script into fresh keys. This module plans the ranges (:func:`plan_ranges`, which
refuses offsets Kafka's retention has already deleted), tallies a dry run (:class:`Tally`),
compares totals (:func:`compare_totals`) and formats progress (:func:`progress_line`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

import orjson

from streams.counting import Row, row_from_json
from streams.errors import TweetpulseError
from streams.windows import Window

RETENTION_SETTINGS = "retention.ms / retention.bytes (broker defaults log.retention.hours/bytes)"


class RebuildError(TweetpulseError):
    """A window cannot be rebuilt from Kafka (nothing recorded, or retention deleted its data).
    The message says why and what the operator can do."""


def merge_min_offsets(
    current: Mapping[int, int], sources: Iterable[tuple[int, int]]
) -> dict[int, int]:
    """``current`` lowered by each (partition, offset): the ``:offsets`` rule of the script."""
    out = dict(current)
    for partition, offset in sources:
        if partition not in out or offset < out[partition]:
            out[partition] = offset
    return out


@dataclass(frozen=True, slots=True)
class Range:
    """Offsets ``[start, end)`` of one ``tweets.enriched`` partition to replay."""

    partition: int
    start: int
    end: int

    @property
    def records(self) -> int:
        return max(0, self.end - self.start)


def plan_ranges(
    recorded: Mapping[int, int],
    log_start: Mapping[int, int],
    log_end: Mapping[int, int],
    *,
    window_id: str,
    topic: str,
    key: str = "<window>:offsets",
) -> list[Range]:
    """The ranges to replay: from each recorded offset to the partition's end offset.

    Raises :class:`RebuildError` when nothing was recorded, when a recorded offset is below the
    partition's log start (retention deleted the window's first records: a rebuild would count
    fewer tweets than the live keys hold) or above its end (the topic was recreated)."""
    if not recorded:
        msg = (
            f"no Kafka offsets are recorded for window {window_id} ({key} is empty): was it "
            "counted by a version before rebuild support, or has its window state expired "
            "(TWEETPULSE_WINDOW_STATE_TTL)? Nothing to replay from; the live counts are untouched."
        )
        raise RebuildError(msg)
    ranges, lost = [], []
    for partition in sorted(recorded):
        start = recorded[partition]
        if partition not in log_end:
            msg = f"{topic} has no partition {partition}, yet window {window_id} recorded one"
            raise RebuildError(msg)
        first, end = log_start.get(partition, 0), log_end[partition]
        if start < first:
            lost.append(f"partition {partition}: needs offset {start}, log starts at {first}")
        elif start >= end:  # that record was read by the worker, so it must still be there
            msg = (
                f"{topic} partition {partition} ends at offset {end} but window {window_id} "
                f"recorded offset {start}: the topic was deleted and recreated, so its old "
                "records are gone and the window cannot be rebuilt from Kafka"
            )
            raise RebuildError(msg)
        ranges.append(Range(partition, start, end))
    if lost:
        msg = (
            f"window {window_id} cannot be rebuilt: Kafka retention already deleted the start of "
            f"its data in {topic} ({'; '.join(lost)}). The topic's retention settings "
            f"{RETENTION_SETTINGS} decide how long records are kept: keep them longer than you "
            "may need to rebuild. The live counts are untouched."
        )
        raise RebuildError(msg)
    return ranges


def window_rows(value: bytes, window: Window) -> list[Row]:
    """The count-script rows of the tweets of ``window`` in one ``tweets.enriched`` record
    (a batch may hold tweets of two days around midnight; watermark-only records hold none)."""
    batch = orjson.loads(value)
    if not isinstance(batch, dict):
        msg = f"not a batch record: {type(batch).__name__}"
        raise ValueError(msg)
    out = []
    for obj in batch.get("tweets") or ():
        created_at, row = row_from_json(obj)
        if window.start <= created_at < window.end:
            out.append(row)
    return out


@dataclass
class Tally:
    """What the count script would count from rows (a dry run): exactly once per tweet id."""

    seen: set[str] = field(default_factory=set)
    total: int = 0
    ads: int = 0
    topics: Counter[str] = field(default_factory=Counter)

    def add(self, rows: Iterable[Row]) -> None:
        for row in rows:
            if row["i"] in self.seen:
                continue
            self.seen.add(row["i"])
            self.total += 1
            if row["ad"]:
                self.ads += 1
            else:
                self.topics.update(row["t"])

    def totals(self) -> Totals:
        return Totals(self.total, self.ads, dict(self.topics))


@dataclass(frozen=True)
class Totals:
    """A window's headline counts: tweets, ads, organic tweets per topic."""

    total: int
    ads: int
    topics: dict[str, int]


def compare_totals(live: Totals, rebuilt: Totals) -> list[str]:
    """Lines ``name  live  rebuilt  diff`` for the totals and every topic that either has."""
    rows = [("total", live.total, rebuilt.total), ("ads", live.ads, rebuilt.ads)]
    for topic in sorted(live.topics.keys() | rebuilt.topics.keys()):
        rows.append((f"topic {topic}", live.topics.get(topic, 0), rebuilt.topics.get(topic, 0)))
    width = max(len(name) for name, _, _ in rows)
    out = [f"{'':{width}}  {'live':>9}  {'rebuilt':>9}  {'diff':>7}"]
    for name, a, b in rows:
        diff = f"{b - a:+d}" if b != a else "="
        out.append(f"{name:{width}}  {a:>9,}  {b:>9,}  {diff:>7}")
    return out


def progress_line(window_id: str, done: int, total: int, tweets: int, elapsed: timedelta) -> str:
    """``rebuild W: 1,000/4,000 records (25%), 500 records/s, ETA 6s, 9,000 tweets of W``."""
    secs = elapsed.total_seconds()
    rate = done / secs if secs > 0 else 0.0
    pct = 100.0 * done / total if total else 100.0
    if done >= total:
        eta = "done"
    elif rate > 0:
        eta = f"ETA {_duration((total - done) / rate)}"
    else:
        eta = "ETA ?"
    return (
        f"rebuild {window_id}: {done:,}/{total:,} records ({pct:.0f}%), "
        f"{rate:,.0f} records/s, {eta}, {tweets:,} tweets of {window_id}"
    )


def _duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"
