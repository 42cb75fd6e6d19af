"""Burst detection: is a topic's (or an emerging term's) rate far above its usual level? Pure.

Counts arrive per closed, epoch-aligned bucket (default 5 minutes). For every key (a taxonomy
topic or a term) the bucket's count ``x`` is scored against the key's baseline ``λ``, an EWMA of
the key's past bucket counts, as a Poisson z-score::

    z = (x − λ') / √λ'        with λ' = max(λ, baseline_floor)

The floor keeps a key with a near-zero baseline from scoring huge z-scores on a handful of
tweets; ``min_count`` is a second guard: a bucket with fewer tweets never opens a burst.

Hysteresis: a quiet key opens a burst when ``x ≥ min_count`` and ``z ≥ open_threshold``; an open
burst closes when ``z < close_threshold``. Between the two thresholds the state is kept, so a
rate hovering around one threshold does not flap.

Baseline: after scoring, ``m ← (1 − α)·m + α·x`` for every tracked key, also while a burst is open
(so a lasting level shift ends its burst once the baseline has caught up), and
``λ = m / (1 − (1 − α)ⁿ)`` after the detector's first ``n`` buckets, gaps (below) excluded (the
bias correction of an EWMA started at 0: a steady rate is its own baseline from the first
buckets on, not a fraction of it). A key missing from a bucket's counts had zero tweets in it,
so its baseline decays; a key first seen later had zeros before. The detector's first
``warmup_buckets`` buckets only learn baselines and never open a burst; to avoid that blind spot
after a restart, feed it the last hours of buckets first (they are kept in Redis), the same way
it would have seen them live.

Gaps: a bucket in which the *whole stream* counted nothing is not always a quiet bucket. When
the stream's own baseline (the same bias-corrected EWMA, of each bucket's total tweets) is at
least ``gap_min_expected``, an empty bucket is implausible for a Poisson stream and means no
data: the collector stopped (network, rate limit, restart) or the source is sampled (a corpus
with tweets only at minutes :58–:59 of each hour). Such a bucket is a *gap*: every baseline
holds (no decay), nothing is scored, no burst opens or closes (an open one stays open through
the outage), and it does not count towards warm-up; :attr:`BurstDetector.gap_buckets` counts
them. A run of buckets never fed (a caller skipping ahead) after a busy stream is a gap the same
way. A stream whose baseline is below the threshold (tens of tweets a day) keeps the old rule:
its empty buckets are silence and decay every baseline. The total is the caller's (the worker
reads the ``_all`` minute counts: every counted tweet, ads included); without one, the sum of
the topic counts stands in. The default of 10: P(0) = e^−λ is 4.5·10⁻⁵ at 10 (~5 of a year's
105k buckets) and 2·10⁻⁹ at 20; a quiet bucket taken for a gap costs little (the baselines hold
one bucket), and a stream below 10 tweets per bucket can hardly burst anyway (a burst needs
``min_count``, 20, tweets of one key in a bucket). Below 3 (P(0) ≈ 5%) is refused. Measured
with ``python -m tests.bench.bursts``: on the sampled ChatGPT corpus (5 days, 120 buckets with
data) topic / term openings fell from 119 / 110 (one or two an hour) to 1 / 1; over the 30
synthetic days below with no tweets 21:00–22:00, false alarms fell from 22 (on 19 days) to 7 (on
6 days), as without the outage, and with none 07:00–08:00 (in the morning rise) from 15 (13) to
9 (8); all 43 planted bursts were found either way, and days without an outage are unchanged.

The first bucket after a gap, and the last one before it, are usually partial (a collector stops
and restarts mid-bucket). They are scored and learned from like any bucket: a partial bucket
scores low, so it cannot open a false burst; it may close an open burst early (a burst still
running reopens at the open threshold); and it pulls each baseline down by at most ``alpha`` of
the shortfall, so the next full bucket at the old level scores z ≤ α·√λ (below the open
threshold of 4 for λ < 1600 tweets of a key per bucket; the traffic adjustment below absorbs it
too). Holding partial buckets as well would stop a sampled source (where every bucket with data
follows a gap) from ever learning.

Traffic adjustment: AI Twitter has a strong daily rhythm, and in the morning rise every topic
runs ahead of its EWMA at once — that is the stream growing, not a topic bursting. So each
bucket's expected counts are scaled by the stream's growth: the median, over the topics with a
baseline of at least ``baseline_floor``, of ``count / λ`` (at least 3 such topics, else 1), and
only upwards (``max(1, median)``): one topic bursting moves the median of eleven little, and the
scaling never makes the detector more sensitive than the plain EWMA. Over 30 seeded synthetic
days (20k tweets, 1–2 planted bursts each; ``python -m tests.bench.bursts synthetic``) it cut
false alarms from 36 (on 23 days) to 7 (on 6 days) and missed none of the 43 planted bursts
either way (``traffic_adjust=False`` restores the plain EWMA).

Only feed *closed* buckets (bucket end ≤ watermark): a half-filled bucket would score low.
Time is injected: nothing here reads the clock; there is no I/O.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from streams.settings import Settings

KeyKind = Literal["topic", "term"]
EventKind = Literal["open", "close"]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GAP_MIN_EXPECTED_LOWEST = 3.0
"""Lowest gap threshold other than 0 (off): below it a quiet bucket (P(0) = e^−3 ≈ 5%) would
too often be taken for a gap."""


@dataclass(frozen=True, order=True)
class BurstKey:
    """What bursts: a taxonomy topic id or an emerging term."""

    kind: KeyKind
    name: str


@dataclass(frozen=True)
class BurstConfig:
    """Windows and thresholds (from Settings: ``TWEETPULSE_BURST_*``)."""

    bucket: timedelta = timedelta(minutes=5)
    alpha: float = 0.1  # EWMA weight of the newest bucket
    open_threshold: float = 4.0
    close_threshold: float = 2.0
    min_count: int = 20  # tweets in a bucket below which a burst never opens
    baseline_floor: float = 5.0  # λ used in the z-score is at least this
    warmup_buckets: int = 12  # first buckets of a detector only learn baselines
    forget_below: float = 0.05  # a quiet key whose baseline decays below this is dropped
    traffic_adjust: bool = True  # scale baselines up when the whole stream rises (see module doc)
    gap_min_expected: float = 10.0  # expected stream total above which an empty bucket is a gap

    def __post_init__(self) -> None:
        problems = []
        if self.bucket < timedelta(minutes=1) or self.bucket % timedelta(minutes=1):
            problems.append(f"bucket must be a whole number of minutes, got {self.bucket}")
        if not 0 < self.alpha < 1:
            problems.append(f"alpha must be in (0, 1), got {self.alpha}")
        if not 0 <= self.close_threshold < self.open_threshold:
            problems.append(
                f"need 0 <= close_threshold < open_threshold, got "
                f"{self.close_threshold} and {self.open_threshold}"
            )
        if self.min_count < 1 or self.baseline_floor <= 0 or self.warmup_buckets < 0:
            problems.append("min_count >= 1, baseline_floor > 0 and warmup_buckets >= 0 required")
        if self.gap_min_expected != 0 and self.gap_min_expected < GAP_MIN_EXPECTED_LOWEST:
            problems.append(
                f"gap_min_expected must be 0 (off) or >= {GAP_MIN_EXPECTED_LOWEST:g}, "
                f"got {self.gap_min_expected}"
            )
        if problems:
            msg = "invalid burst config: " + "; ".join(problems)
            raise ValueError(msg)

    @classmethod
    def from_settings(cls, settings: Settings) -> BurstConfig:
        return cls(
            bucket=settings.burst_bucket,
            alpha=settings.burst_alpha,
            open_threshold=settings.burst_open_threshold,
            close_threshold=settings.burst_close_threshold,
            min_count=settings.burst_min_count,
            baseline_floor=settings.burst_baseline_floor,
            warmup_buckets=settings.burst_warmup_buckets,
            gap_min_expected=settings.burst_gap_min_expected,
        )


@dataclass(frozen=True)
class BurstEvent:
    """A burst opening or closing (the value sent to ``alerts.trends``).

    ``count`` is the tweets in the deciding bucket; ``rate`` and ``baseline`` are the same
    bucket's rate and the expected rate (EWMA before that bucket, not floored), both in tweets
    per minute. ``at`` is the end of the deciding bucket; ``opened_at`` the end of the bucket
    that opened the burst (equal to ``at`` for an opening); ``peak_z`` the highest z so far.
    """

    event: EventKind
    key: BurstKey
    at: datetime
    z: float
    count: int
    rate: float
    baseline: float
    opened_at: datetime
    peak_z: float

    def to_record(self) -> dict[str, object]:
        """JSON-ready dict (times as ISO 8601 with offset, floats rounded for humans)."""
        return {
            "event": self.event,
            "kind": self.key.kind,
            "name": self.key.name,
            "at": self.at.isoformat(),
            "z": round(self.z, 3),
            "count": self.count,
            "rate": round(self.rate, 4),
            "baseline": round(self.baseline, 4),
            "opened_at": self.opened_at.isoformat(),
            "peak_z": round(self.peak_z, 3),
        }


def score(count: int, expected: float, floor: float) -> float:
    """Poisson z-score of ``count`` against ``expected`` floored at ``floor`` (> 0)."""
    lam = max(expected, floor)
    return (count - lam) / math.sqrt(lam)


def bucket_floor(ts: datetime, bucket: timedelta) -> datetime:
    """Start (UTC) of the epoch-aligned bucket holding the tz-aware ``ts``."""
    if ts.tzinfo is None:
        msg = f"naive datetime {ts!r}; pass a tz-aware time"
        raise ValueError(msg)
    return EPOCH + ((ts - EPOCH) // bucket) * bucket


@dataclass
class _KeyState:
    ewma: float = 0.0  # m: EWMA of the key's counts per bucket, from 0 (not bias-corrected)
    z: float = 0.0
    opened_at: datetime | None = None
    peak_z: float = 0.0


@dataclass
class BurstDetector:
    """Scores bucket counts per key and reports bursts opening and closing.

    Feed buckets in time order with :meth:`observe`; a bucket at or before the last one seen is
    ignored (already scored). Buckets skipped count as buckets of zero tweets, or as a gap when
    the stream was busy (see the module doc).
    """

    config: BurstConfig = field(default_factory=BurstConfig)
    _keys: dict[BurstKey, _KeyState] = field(default_factory=dict, init=False, repr=False)
    _last: datetime | None = field(default=None, init=False)
    _seen: int = field(default=0, init=False)  # buckets learned from (gaps excluded)
    _total: float = field(default=0.0, init=False)  # EWMA of the stream's total per bucket
    _gaps: int = field(default=0, init=False)  # gap buckets held

    @property
    def gap_buckets(self) -> int:
        """Buckets held as gaps so far (no data in a stream busy enough to expect some)."""
        return self._gaps

    def expected_total(self) -> float:
        """The stream's expected total tweets per bucket (bias-corrected EWMA; 0 before data)."""
        return self._corrected(self._total)

    @property
    def last_bucket(self) -> datetime | None:
        """Start of the last bucket observed."""
        return self._last

    def scores(self) -> dict[BurstKey, float]:
        """z-score of every tracked key in the last bucket (keys never seen are absent)."""
        return {key: st.z for key, st in self._keys.items()}

    def open_bursts(self) -> dict[BurstKey, datetime]:
        """Keys with an open burst, and when each opened."""
        return {k: st.opened_at for k, st in self._keys.items() if st.opened_at is not None}

    def observe(
        self, bucket_start: datetime, counts: Mapping[BurstKey, int], total: int | None = None
    ) -> list[BurstEvent]:
        """Score one closed bucket; return the bursts it opens and closes (sorted by key).

        ``total`` is the whole stream's tweets in the bucket (None: the sum of the topic counts);
        an empty bucket of a busy stream is a gap (module doc)."""
        cfg = self.config
        start = bucket_floor(bucket_start, cfg.bucket)
        if start != bucket_start.astimezone(UTC):
            msg = f"bucket start {bucket_start.isoformat()} is not aligned to {cfg.bucket}"
            raise ValueError(msg)
        if any(n < 0 for n in counts.values()) or (total is not None and total < 0):
            msg = f"negative count in bucket {bucket_start.isoformat()}"
            raise ValueError(msg)
        if self._last is not None and start <= self._last:
            return []
        if total is None:
            total = sum(n for key, n in counts.items() if key.kind == "topic")
        events: list[BurstEvent] = []
        if self._last is not None and start > self._last + cfg.bucket:
            events.extend(self._skip((start - self._last) // cfg.bucket - 1))
        if total == 0 and self._busy():
            self._gaps += 1
            self._last = start
            return events
        end = start + cfg.bucket
        can_open = self._seen >= cfg.warmup_buckets
        growth = self._growth(counts) if cfg.traffic_adjust else 1.0
        for key in sorted(self._keys.keys() | counts.keys()):
            st = self._keys.setdefault(key, _KeyState())
            count = counts.get(key, 0)
            event = self._step(key, st, count, end, can_open=can_open, growth=growth)
            if event is not None:
                events.append(event)
            if count == 0 and st.opened_at is None and st.ewma < cfg.forget_below:
                del self._keys[key]
        self._total = (1 - cfg.alpha) * self._total + cfg.alpha * total
        self._last = start
        self._seen += 1
        return events

    def _busy(self) -> bool:
        """Is the stream busy enough that a bucket without any tweet means missing data?"""
        threshold = self.config.gap_min_expected
        return threshold > 0 and self.expected_total() >= threshold

    def _growth(self, counts: Mapping[BurstKey, int]) -> float:
        """How much the whole stream runs above its baselines in this bucket (≥ 1): the median
        ``count / λ`` over the topics with ``λ ≥ baseline_floor``; 1 with fewer than 3."""
        floor = self.config.baseline_floor
        ratios = []
        for key, st in self._keys.items():
            if key.kind == "topic":
                expected = self._expected(st)
                if expected >= floor:
                    ratios.append(counts.get(key, 0) / expected)
        if len(ratios) < 3:
            return 1.0
        return max(1.0, statistics.median(ratios))

    def _step(
        self,
        key: BurstKey,
        st: _KeyState,
        count: int,
        end: datetime,
        *,
        can_open: bool,
        growth: float = 1.0,
    ) -> BurstEvent | None:
        cfg = self.config
        expected = self._expected(st) * growth
        st.z = score(count, expected, cfg.baseline_floor)
        st.ewma = (1 - cfg.alpha) * st.ewma + cfg.alpha * count
        kind: EventKind
        if st.opened_at is None:
            if not (can_open and count >= cfg.min_count and st.z >= cfg.open_threshold):
                return None
            kind, st.opened_at, st.peak_z = "open", end, st.z
        else:
            st.peak_z = max(st.peak_z, st.z)
            if st.z >= cfg.close_threshold:
                return None
            kind = "close"
        minutes = cfg.bucket / timedelta(minutes=1)
        event = BurstEvent(
            event=kind,
            key=key,
            at=end,
            z=st.z,
            count=count,
            rate=count / minutes,
            baseline=expected / minutes,
            opened_at=st.opened_at,
            peak_z=st.peak_z,
        )
        if kind == "close":
            st.opened_at, st.peak_z = None, 0.0
        return event

    def _expected(self, st: _KeyState) -> float:
        """λ: the bias-corrected EWMA over the buckets learned before the current one."""
        return self._corrected(st.ewma)

    def _corrected(self, ewma: float) -> float:
        if self._seen == 0:
            return 0.0
        return ewma / (1 - (1 - self.config.alpha) ** self._seen)

    def _skip(self, missing: int) -> list[BurstEvent]:
        """``missing`` buckets without data after the last one: a gap if the stream was busy,
        else zero tweets for every key."""
        assert self._last is not None
        if self._busy():
            self._gaps += missing
            return []
        first_end = self._last + 2 * self.config.bucket
        events = []
        for key in sorted(self._keys):
            st = self._keys[key]
            event = self._step(key, st, 0, first_end, can_open=False)
            if event is not None:
                events.append(event)
            st.ewma *= (1 - self.config.alpha) ** (missing - 1)
        self._total *= (1 - self.config.alpha) ** missing
        self._seen += missing
        return events
