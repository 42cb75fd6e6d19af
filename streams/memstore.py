"""An in-memory store with the count script's semantics, for agent tests (no Redis needed).

It mirrors ``count_batch.lua`` (exactly once per tweet id per window, ads apart, late counts,
the lowest Kafka offset per partition) and the closer's state machine; an integration test
checks both give the same counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from streams.counting import Row, group_by_window
from streams.rebuild import merge_min_offsets
from streams.settings import Settings
from streams.store import ApplyResult, Source


@dataclass
class WindowState:
    seen: set[str] = field(default_factory=set)
    total: int = 0
    ads: int = 0
    late: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    ad_reasons: Counter[str] = field(default_factory=Counter)
    minutes: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    terms: Counter[str] = field(default_factory=Counter)
    offsets: dict[int, int] = field(default_factory=dict)  # partition -> lowest offset
    end: datetime | None = None
    state: str | None = None


class MemoryStore:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.windows: dict[str, WindowState] = defaultdict(WindowState)
        self.max_event: dict[int, datetime] = {}
        self.last_seen: dict[int, datetime] = {}

    async def apply_rows(
        self, rows: Iterable[tuple[datetime, Row]], source: Source | None = None
    ) -> ApplyResult:
        s = self.settings
        result = ApplyResult()
        for window, group in group_by_window(rows, s.zone, s.window_start_hour).items():
            w = self.windows[window.id]
            w.end = window.end
            if source is not None:
                w.offsets = merge_min_offsets(w.offsets, [source])
            new = dup = late = 0
            for row in group:
                if row["i"] in w.seen:
                    dup += 1
                    continue
                w.seen.add(row["i"])
                new += 1
                w.total += 1
                if w.state is not None:
                    late += 1
                    w.late += 1
                w.minutes["_all"][row["m"]] += 1
                if row["ad"]:
                    w.ads += 1
                    w.ad_reasons.update(row["r"])
                else:
                    for topic in row["t"]:
                        w.topics[topic] += 1
                        w.minutes[topic][row["m"]] += 1
                    w.terms.update(row["x"])
            result += ApplyResult(new, dup, late)
        return result

    async def advance_watermark(self, partition: int, event_time: datetime, now: datetime) -> None:
        current = self.max_event.get(partition)
        if current is None or current < event_time:
            self.max_event[partition] = event_time
        self.last_seen[partition] = now

    async def partition_clocks(self) -> tuple[dict[int, datetime], dict[int, datetime]]:
        return dict(self.max_event), dict(self.last_seen)

    async def open_windows(self) -> dict[str, datetime]:
        return {wid: w.end for wid, w in self.windows.items() if w.end and w.state != "closed"}

    async def try_begin_close(self, window_id: str) -> bool:
        w = self.windows[window_id]
        if w.state is not None:
            return False
        w.state = "closing"
        return True

    async def window_state(self, window_id: str) -> str | None:
        return self.windows[window_id].state if window_id in self.windows else None

    async def finish_close(self, window_id: str, end: datetime) -> None:
        self.windows[window_id].state = "closed"

    async def window_snapshot(self, window_id: str) -> dict[str, object]:
        w = self.windows[window_id]
        return {"total": w.total, "ads": w.ads, "topics": dict(w.topics)}
