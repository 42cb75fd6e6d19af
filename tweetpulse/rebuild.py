"""``tweetpulse rebuild --window W``: recount a day window from Kafka and swap the counts in.

Kafka is the source of truth; Redis holds materialized views of it. When a window's keys are
lost or damaged (a flushed key, a bad deploy, a Redis restored from an old snapshot), this
command recounts them:

1. read the window's ``<window>:offsets`` (partition → lowest ``tweets.enriched`` offset that
   carried one of its tweets; the count script keeps it), capture the partitions' end offsets,
   and refuse when retention already deleted the start (:func:`streams.rebuild.plan_ranges`);
2. replay those ranges with a plain consumer (no group, no commits: the workers' consumer group
   is not touched), keep the window's tweets and count them with the SAME count script into
   fresh keys under ``<window>:rebuild:<run>`` (same hash tag, a TTL of a day until swapped);
3. one Lua script replaces the live count keys by the fresh ones (RENAME) and gives them the
   normal TTLs; the close state, burst and report keys are left as they are, the ``late``
   counter is kept (when a tweet arrived is not in Kafka), recorded offsets are min-merged;
4. a short tail pass counts, into the live keys, what a running worker may have counted into
   the old keys while the rebuild ran (from the captured end offsets to the new ones; the
   script's seen-set makes anything counted twice count once).

``--dry-run`` does 1–2 in memory (nothing written) and compares with the live totals.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import redis
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from streams import topics as names
from streams.counting import Row
from streams.errors import ServiceError
from streams.keys import ADS, ALL, Keys, written_by_count_script
from streams.rebuild import (
    Range,
    RebuildError,
    Tally,
    Totals,
    compare_totals,
    merge_min_offsets,
    plan_ranges,
    progress_line,
    window_rows,
)
from streams.settings import Settings
from streams.store import COUNT_SCRIPT, count_args, count_ttls
from streams.taxonomy import load_taxonomy
from streams.views import text
from streams.windows import Window, minute_bucket, window_by_id
from tweetpulse.local import kafka_ready

log = logging.getLogger("tweetpulse.rebuild")

FLUSH_ROWS = 2000  # rows per count-script call while rebuilding
TEMP_TTL = 24 * 3600  # fresh keys of a run that died before its swap expire after this
LOCK_TTL = 600  # s; refreshed while the rebuild runs
STALL_SECONDS = 60.0  # no record for this long while some are due: Kafka is gone

Say = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    window: Window
    topic: str
    ranges: list[Range]
    live: Totals
    state: str | None  # closing | closed | None (open)
    late: int = 0  # the live ``late`` counter (not in Kafka: a rebuild keeps it)

    @property
    def records(self) -> int:
        return sum(r.records for r in self.ranges)


@dataclass
class RebuildResult:
    plan: Plan
    dry_run: bool
    rebuilt: Totals
    records: int = 0  # Kafka records read
    tweets: int = 0  # tweets of the window read (duplicates included)
    skipped: int = 0  # records that were not batch records
    tail_records: int = 0
    seconds: float = 0.0
    late: int = 0  # the ``late`` counter afterwards


@dataclass
class _Batcher:
    """Collects a window's rows from records and hands them on in chunks with their sources."""

    window: Window
    flush_to: Callable[[list[Row], list[tuple[int, int]]], None]
    size: int = FLUSH_ROWS
    rows: list[Row] = field(default_factory=list)
    sources: dict[int, int] = field(default_factory=dict)
    tweets: int = 0
    skipped: int = 0

    def add(self, partition: int, offset: int, value: bytes | None) -> None:
        try:
            rows = window_rows(value or b"", self.window)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            self.skipped += 1  # the worker could not count it either
            if self.skipped <= 5:
                log.warning("skipping %d@%d: not a batch record (%s)", partition, offset, exc)
            return
        if not rows:
            return
        self.rows.extend(rows)
        self.tweets += len(rows)
        self.sources = merge_min_offsets(self.sources, [(partition, offset)])
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.flush_to(self.rows, sorted(self.sources.items()))
        self.rows, self.sources = [], {}


class Rebuilder:
    """One rebuild of one window (clients are opened by :func:`rebuild` and passed in)."""

    def __init__(
        self,
        settings: Settings,
        client: redis.Redis,
        consumer: KafkaConsumer,
        window: Window,
        *,
        say: Say,
        clock: Callable[[], float] = time.monotonic,
        progress_every: float = 5.0,
    ) -> None:
        self.settings = settings
        self.client = client
        self.consumer = consumer
        self.window = window
        self.keys = Keys(settings.key_prefix)
        self.topic = settings.topic(names.ENRICHED)
        self.say = say
        self.clock = clock
        self.progress_every = progress_every
        self.count = client.register_script(COUNT_SCRIPT)
        self.swap_script = client.register_script(SWAP_SCRIPT)
        self.run = uuid.uuid4().hex[:12]

    # --- plan -------------------------------------------------------------------------------
    def plan(self) -> Plan:
        wid = self.window.id
        key = self.keys.offsets(wid)
        recorded = {int(p): int(o) for p, o in self.client.hgetall(key).items()}
        # offsets first, end offsets second: every recorded offset is below its end
        tps = self._partitions()
        ends = {tp.partition: off for tp, off in self.consumer.end_offsets(tps).items()}
        starts = {tp.partition: off for tp, off in self.consumer.beginning_offsets(tps).items()}
        ranges = plan_ranges(recorded, starts, ends, window_id=wid, topic=self.topic, key=key)
        state = self.client.get(self.keys.state(wid))
        return Plan(
            self.window,
            self.topic,
            ranges,
            self.live_totals(),
            None if state is None else text(state),
            self.live_late(),
        )

    def live_late(self) -> int:
        return int(self.client.hget(self.keys.totals(self.window.id), "late") or 0)

    def live_totals(self) -> Totals:
        wid = self.window.id
        tot = self.client.hgetall(self.keys.totals(wid))
        topics = self.client.hgetall(self.keys.topics(wid))
        return Totals(
            int(tot.get(b"total", 0)),
            int(tot.get(b"ads", 0)),
            {text(k): int(v) for k, v in topics.items()},
        )

    def _partitions(self) -> list[TopicPartition]:
        parts = self.consumer.partitions_for_topic(self.topic)
        if not parts:
            msg = f"Kafka topic {self.topic} does not exist at {self.settings.kafka_bootstrap}"
            raise RebuildError(msg)
        return [TopicPartition(self.topic, p) for p in sorted(parts)]

    # --- dry run ----------------------------------------------------------------------------
    def dry_run(self, plan: Plan) -> RebuildResult:
        started = self.clock()
        tally = Tally()
        batcher = _Batcher(self.window, lambda rows, _: tally.add(rows))
        records = self._replay(plan.ranges, batcher)
        batcher.flush()
        return RebuildResult(
            plan,
            True,
            tally.totals(),
            records=records,
            tweets=batcher.tweets,
            skipped=batcher.skipped,
            seconds=self.clock() - started,
            late=plan.late,
        )

    # --- rebuild ----------------------------------------------------------------------------
    def rebuild(self, plan: Plan) -> RebuildResult:
        started = self.clock()
        wid = self.window.id
        stem = self.keys.rebuild_base(wid, self.run)
        with self._lock():
            try:
                batcher = _Batcher(self.window, lambda rows, src: self._apply(stem, rows, src))
                records = self._replay(plan.ranges, batcher)
                batcher.flush()
                if batcher.tweets == 0:
                    msg = (
                        f"the replay of {records:,} records found no tweet of window {wid}; "
                        "the live keys are kept (is TWEETPULSE_TIMEZONE or "
                        "TWEETPULSE_WINDOW_START_HOUR different from the workers'?)"
                    )
                    raise RebuildError(msg)
                self._swap(stem)
            finally:
                self._drop(stem)
            tail = self._tail(plan)
        return RebuildResult(
            plan,
            False,
            self.live_totals(),
            records=records,
            tweets=batcher.tweets,
            skipped=batcher.skipped,
            tail_records=tail,
            seconds=self.clock() - started,
            late=self.live_late(),
        )

    def _apply(
        self,
        stem: str,
        rows: list[Row],
        sources: list[tuple[int, int]],
        ttls: tuple[int, int, int] | None = None,
    ) -> None:
        args = count_args(self.settings, rows, sources, ttls or (TEMP_TTL,) * 3)
        self.count(keys=[stem], args=args)

    def _swap(self, stem: str) -> None:
        """Replace the live count keys by the fresh ones, in one atomic script call."""
        wid = self.window.id
        base = self.keys.window_base(wid)
        fresh, live = [], set(self._possible_live_keys())
        for raw in self.client.scan_iter(match=f"{_glob_escape(base)}:*", count=1000):
            key = text(raw)
            if key.startswith(f"{stem}:"):
                fresh.append(key)
            elif written_by_count_script(key[len(base) + 1 :]):
                live.add(key)
        ttl_min, ttl_hour, ttl_state = count_ttls(self.settings)
        pairs: list[str] = []
        ttls: list[int] = []
        for key in sorted(fresh):
            suffix = key[len(stem) + 1 :]
            dest = f"{base}:{suffix}"
            pairs += [key, dest]
            live.discard(dest)
            if suffix.startswith(("min:", "tmin:")):
                ttls.append(ttl_min)
            elif suffix.startswith("hour:"):
                ttls.append(ttl_hour)
            else:
                ttls.append(ttl_state)
        fixed = [self.keys.state(wid), self.keys.totals(wid), self.keys.offsets(wid)]
        dels = sorted(live - set(fixed))
        closed = self.client.zscore(self.keys.closed_windows, wid) is not None
        renamed = self.swap_script(
            keys=[*fixed, *dels, *pairs],
            args=[len(dels), "closed" if closed else "", ttl_state, *ttls],
        )
        log.info(
            "window %s: %d fresh keys swapped in; %d other count key names cleared (most did "
            "not exist)",
            wid,
            renamed,
            len(dels),
        )

    def _possible_live_keys(self) -> Iterator[str]:
        """Count keys a running worker may create during the rebuild (the scan cannot see keys
        created after it): every topic's buckets and every minute's term counts."""
        wid = self.window.id
        topics = [ALL, ADS, *load_taxonomy(self.settings.taxonomy_path).topic_ids]
        for topic in topics:
            yield self.keys.minutes(wid, topic)
            yield self.keys.hours(wid, topic)
            yield self.keys.top(wid, topic)
        minute = minute_bucket(self.window.start)
        while minute < self.window.end.timestamp():
            yield self.keys.term_minute(wid, minute)
            minute += 60

    def _tail(self, plan: Plan) -> int:
        """Count, into the live keys, the records that arrived after the plan's end offsets,
        and those of partitions a worker recorded during the rebuild (see module doc)."""
        wid = self.window.id
        recorded = {int(p): int(o) for p, o in self.client.hgetall(self.keys.offsets(wid)).items()}
        planned = {r.partition: r.end for r in plan.ranges}
        tps = [TopicPartition(self.topic, p) for p in sorted(planned.keys() | recorded.keys())]
        ends = {tp.partition: off for tp, off in self.consumer.end_offsets(tps).items()}
        ranges = [Range(p, planned.get(p, recorded.get(p, 0)), ends[p]) for p in sorted(ends)]
        ranges = [r for r in ranges if r.records]
        if not ranges:
            return 0
        base = self.keys.window_base(wid)
        ttls = count_ttls(self.settings)
        batcher = _Batcher(self.window, lambda rows, src: self._apply(base, rows, src, ttls))
        records = self._replay(ranges, batcher, quiet=True)
        batcher.flush()
        log.info("window %s: tail pass read %d records that arrived meanwhile", wid, records)
        return records

    def _drop(self, stem: str) -> None:
        """Delete a run's fresh keys left behind by a failure (none after a swap)."""
        try:
            left = list(self.client.scan_iter(match=f"{_glob_escape(stem)}:*", count=1000))
            if left:
                self.client.delete(*left)
        except (RedisConnectionError, RedisTimeoutError):
            log.warning("could not delete %s:* (they expire within a day)", stem)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        key = self.keys.rebuild_lock(self.window.id)
        if not self.client.set(key, self.run, nx=True, ex=LOCK_TTL):
            ttl = self.client.ttl(key)
            msg = (
                f"another rebuild of window {self.window.id} is running (lock {key}); wait for "
                f"it, or if that run died, DEL the key (it expires in {ttl}s)"
            )
            raise RebuildError(msg)
        try:
            yield
        finally:
            self.client.eval(_UNLOCK_SCRIPT, 1, key, self.run)

    # --- Kafka ------------------------------------------------------------------------------
    def _replay(self, ranges: Iterable[Range], batcher: _Batcher, *, quiet: bool = False) -> int:
        """Feed every record of ``ranges`` to ``batcher``; returns the records read."""
        due = {TopicPartition(self.topic, r.partition): r for r in ranges if r.records}
        total = sum(r.records for r in due.values())
        if not due:
            return 0
        self.consumer.assign(list(due))
        for tp, r in due.items():
            self.consumer.seek(tp, r.start)
        pending = set(due)
        started = last_said = last_moved = self.clock()
        done = moved_at = 0
        while pending:
            for tp, records in self.consumer.poll(timeout_ms=500, max_records=10_000).items():
                end = due[tp].end
                for rec in records:
                    if rec.offset >= end:
                        break
                    batcher.add(tp.partition, rec.offset, rec.value)
            for tp in list(pending):
                if self.consumer.position(tp) >= due[tp].end:
                    pending.discard(tp)
                    self.consumer.pause(tp)
            done = sum(min(self.consumer.position(tp), r.end) - r.start for tp, r in due.items())
            now = self.clock()
            if done != moved_at:
                moved_at, last_moved = done, now
            elif now - last_moved > STALL_SECONDS:
                msg = (
                    f"Kafka at {self.settings.kafka_bootstrap} delivered no record of "
                    f"{self.topic} for {STALL_SECONDS:.0f}s ({done:,}/{total:,} read); check the "
                    "broker (TWEETPULSE_KAFKA_BOOTSTRAP). Nothing was swapped in."
                )
                raise ServiceError(msg)
            if not quiet and (now - last_said >= self.progress_every or not pending):
                last_said = now
                elapsed = timedelta(seconds=now - started)
                self.say(progress_line(self.window.id, done, total, batcher.tweets, elapsed))
                self.client.expire(self.keys.rebuild_lock(self.window.id), LOCK_TTL)
        self.consumer.unsubscribe()
        return done


def rebuild(
    settings: Settings,
    window_id: str,
    *,
    dry_run: bool = False,
    confirm: Callable[[Plan], bool] | None = None,
    say: Say = print,
    progress_every: float = 5.0,
) -> RebuildResult | None:
    """Rebuild (or with ``dry_run`` only recount) one window; None when ``confirm`` declined.

    Raises :class:`RebuildError` when the window cannot be rebuilt (nothing recorded,
    retention) and :class:`ServiceError` when Kafka or Redis cannot be reached."""
    try:
        window = window_by_id(window_id, settings.zone, settings.window_start_hour)
    except ValueError as exc:
        raise RebuildError(str(exc)) from None
    client = redis.Redis.from_url(settings.redis_url)
    try:
        with _redis_errors(settings), _kafka_consumer(settings) as consumer:
            job = Rebuilder(
                settings, client, consumer, window, say=say, progress_every=progress_every
            )
            plan = job.plan()
            if dry_run:
                return job.dry_run(plan)
            if confirm is not None and not confirm(plan):
                return None
            return job.rebuild(plan)
    finally:
        client.close()


@contextmanager
def _redis_errors(settings: Settings) -> Iterator[None]:
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError) as exc:
        msg = (
            f"cannot reach Redis at {settings.redis_url} ({exc}). Operator action: start Redis "
            "or set TWEETPULSE_REDIS_URL. Nothing was swapped in (fresh keys of this run, if "
            "any, expire within a day)."
        )
        raise ServiceError(msg) from exc


@contextmanager
def _kafka_consumer(settings: Settings) -> Iterator[KafkaConsumer]:
    """A plain consumer: no group, no commits, so the workers' group never sees it."""
    unreachable = (
        f"cannot reach Kafka at {settings.kafka_bootstrap}. Operator action: start Kafka "
        "(tweetpulse local up) or set TWEETPULSE_KAFKA_BOOTSTRAP."
    )
    if not kafka_ready(settings.kafka_bootstrap):
        raise ServiceError(unreachable)
    try:
        consumer = KafkaConsumer(
            bootstrap_servers=[s.strip() for s in settings.kafka_bootstrap.split(",")],
            client_id=f"{settings.app_id}-rebuild",
            group_id=None,
            enable_auto_commit=False,
            # kafka-python checks CRCs in pure Python unless the crc32c package is installed:
            # ~10x slower here. The broker validated each batch when it was written.
            check_crcs=False,
            max_partition_fetch_bytes=16 * 1024 * 1024,
            fetch_max_bytes=64 * 1024 * 1024,
        )
    except KafkaError as exc:
        msg = f"{unreachable} ({exc!r})"
        raise ServiceError(msg) from exc
    try:
        yield consumer
    except KafkaError as exc:
        msg = f"Kafka failed during the rebuild: {exc!r}. {unreachable}"
        raise ServiceError(msg) from exc
    finally:
        consumer.close()


def _glob_escape(text: str) -> str:
    """``text`` as a literal in a Redis MATCH pattern."""
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)


def summary(result: RebuildResult) -> list[str]:
    """What the CLI prints at the end."""
    plan, wid = result.plan, result.plan.window.id
    rate = result.records / result.seconds if result.seconds > 0 else 0.0
    head = (
        f"{'dry run' if result.dry_run else 'rebuilt'} window {wid} ({plan.state or 'open'}): "
        f"{result.records:,} records of {plan.topic} from {len(plan.ranges)} partition(s), "
        f"{result.tweets:,} tweets of the window, {result.seconds:.1f}s ({rate:,.0f} records/s)"
    )
    lines = [head]
    if result.skipped:
        lines.append(f"{result.skipped} record(s) were not batch records and were skipped")
    if result.tail_records:
        lines.append(f"{result.tail_records} record(s) that arrived meanwhile were counted too")
    lines.append("live vs what a rebuild would count:" if result.dry_run else "before vs after:")
    lines += ["  " + line for line in compare_totals(plan.live, result.rebuilt)]
    if plan.state is not None or result.late:
        lines.append(
            f"late tweets (counted after the close; kept from the live totals, Kafka does not "
            f"know them): {result.late:,}"
        )
    if result.dry_run:
        lines.append("nothing was written (dry run)")
    return lines


def plan_lines(plan: Plan) -> list[str]:
    parts = ", ".join(f"{r.partition}:{r.start}..{r.end}" for r in plan.ranges)
    return [
        f"window {plan.window.id} ({plan.state or 'open'}): live total {plan.live.total:,} "
        f"tweets, {plan.live.ads:,} ads",
        f"replay {plan.records:,} records of {plan.topic} (partition:start..end {parts})",
    ]


# KEYS: state, tot, offsets (live), then n live keys to delete, then pairs (fresh key, live key)
# ARGV: n, state to restore when the key is missing ("" = none), its TTL, then a TTL per pair
# Checks every fresh key exists before writing anything (a script error does not roll back).
SWAP_SCRIPT = """
local n = tonumber(ARGV[1])
local first = 4 + n
for j = first, #KEYS, 2 do
  if redis.call('EXISTS', KEYS[j]) == 0 then
    return redis.error_reply('rebuild key ' .. KEYS[j] .. ' is gone (expired?); nothing swapped')
  end
end
local late = redis.call('HGET', KEYS[2], 'late')
local old_offsets = redis.call('HGETALL', KEYS[3])
for i = 4, 3 + n do redis.call('DEL', KEYS[i]) end
redis.call('DEL', KEYS[2], KEYS[3])
local a = 4
for j = first, #KEYS, 2 do
  redis.call('RENAME', KEYS[j], KEYS[j + 1])
  redis.call('EXPIRE', KEYS[j + 1], ARGV[a])
  a = a + 1
end
if late then redis.call('HSET', KEYS[2], 'late', late) end
for i = 1, #old_offsets, 2 do
  local cur = redis.call('HGET', KEYS[3], old_offsets[i])
  if (not cur) or tonumber(old_offsets[i + 1]) < tonumber(cur) then
    redis.call('HSET', KEYS[3], old_offsets[i], old_offsets[i + 1])
  end
end
if ARGV[2] ~= '' and redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
end
return (#KEYS - first + 1) / 2
"""

_UNLOCK_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
