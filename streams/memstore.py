"""An in-memory store with the count script's semantics, for agent tests (no Redis needed).

It mirrors ``count_batch.lua`` (exactly once per tweet id per window, ads apart, late counts,
the lowest Kafka offset per partition, the hot words counted once per voice, the top sets'
in-window engagement per original, uncapped) and the closer's state machine; an integration
test checks both give the same counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from streams.counting import Row, group_by_window, window_engagement
from streams.rebuild import merge_min_offsets
from streams.settings import Settings
from streams.store import ApplyResult, Source


@dataclass
class OriginalState:
    """What the window saw of one original (``:orig`` in the script)."""

    high: int
    low: int
    own: bool = False
    retweets: int = 0
    topics: set[str] = field(default_factory=set)

    @property
    def score(self) -> int:
        return window_engagement(self.high, self.low, self.own, self.retweets)


def _id_less(a: str, b: str) -> bool:
    return (len(a), a) < (len(b), b)


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
    voice_terms: Counter[str] = field(default_factory=Counter)  # term -> voices (``:oterms``)
    voice_pairs: set[tuple[str, str]] = field(default_factory=set)  # (voice, term) counted
    originals: dict[str, OriginalState] = field(default_factory=dict)  # o, k or own id
    key_members: dict[str, str] = field(default_factory=dict)  # k -> smallest retweet id
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
                    if row["t"]:
                        _count_original(w, row)
                    w.terms.update(row["x"])
                    voice = row.get("v") or row["i"]
                    for term in row["x"]:
                        if (voice, term) not in w.voice_pairs:
                            w.voice_pairs.add((voice, term))
                            w.voice_terms[term] += 1
            result += ApplyResult(new, dup, late)
        return result

    def top_scores(self, window_id: str, topic: str) -> dict[str, int]:
        """Member (the tweet id citing an original) -> in-window engagement, for every original
        with a tweet tagged ``topic`` (uncapped: the script keeps the highest, then the
        lexically greatest members)."""
        w = self.windows[window_id]
        return {
            w.key_members.get(ident, ident): state.score
            for ident, state in w.originals.items()
            if topic in state.topics
        }

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


def _count_original(w: WindowState, row: Row) -> None:
    """The script's ``window_state`` (and the member of an original of unknown id)."""
    ident = row.get("o") or row.get("k") or row["i"]
    engagement = int(row["e"])
    state = w.originals.get(ident)
    if state is None:
        state = w.originals[ident] = OriginalState(high=engagement, low=engagement)
    state.high, state.low = max(state.high, engagement), min(state.low, engagement)
    if row.get("o") or row.get("k"):
        state.retweets += 1
    else:
        state.own = True
    state.topics.update(row["t"])
    key = row.get("k")
    if key:
        held = w.key_members.get(key)
        if held is None or _id_less(row["i"], held):
            w.key_members[key] = row["i"]
