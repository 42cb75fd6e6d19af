"""``produce replay``: send the tweets of archive files to ``tweets.raw`` (or to a JSONL file).

Every format of :mod:`producers.formats` is read (detected from the content, or forced).
What happens to the rows:

* tweets are sent in **event-time order** by default (a stable sort by ``created_at``, all
  files merged), because the worker's watermark follows the newest event time seen and the
  archives are often newest-first. A ``v2`` JSONL file is first scanned for its event times
  only (:func:`formats.scan_event_order`, ~1/8 of parsing it); when it is in order, or a
  buffer of ``reorder_buffer`` tweets puts it in order except for at most as many outlier
  lines (late tweets, read first and merged in), it is **streamed**: read, parsed and sent
  as it goes, holding at most ~2x ``reorder_buffer`` tweets, in exactly the order the sort
  gives (tests/unit/test_replay_stream.py). Any other file (a newest-first or shuffled one,
  CSV, Weibo, a JSON document) is read whole and sorted first. A streamed file's rejects go
  to the DLQ as they are read (an outlier line's first); a sorted file's before its tweets.
  ``order="file"`` sends in file order, with no scan;
* ``since``/``until`` keep tweets with ``since <= created_at < until`` (the others are counted
  as filtered);
* ``speed`` N paces the sends at N× real time by event time (None: as fast as possible);
* rejects (rows that cannot be parsed) go to the dead-letter topic with the source
  ``<file>:<line>``, are counted, and the first few reasons are kept for the final report;
* checkpoints: every few seconds, and at the end, the sink is flushed (Kafka acknowledged
  everything) and one small JSON file per input records how many of its items are done, so
  ``resume=True`` continues an interrupted run without re-sending. Only a flush that returned
  moves a checkpoint; a crash re-sends at most the items since the last one, and re-sent tweets
  are deduplicated by id downstream;
* at the end a watermark just past the newest tweet (plus the allowed lateness) goes to every
  partition, so the worker closes every day window the replay completed.

An unreadable file or an unknown format is reported (naming the file) and skipped; the other
files are still replayed.
"""

from __future__ import annotations

import bisect
import dataclasses
import gc
import hashlib
import heapq
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, Protocol, Self
from zoneinfo import ZoneInfo

import orjson

from producers.formats import (
    JSONL_SUFFIXES,
    FileNotes,
    Item,
    detect_format,
    get_format,
    lossy_identity,
    read_file,
    read_file_fast,
    scan_event_order,
    unreadable,
    v2_line_items,
)
from streams.dlq import dlq_record, file_source
from streams.errors import ConfigError, InputError
from streams.model import Tweet
from streams.parse import Reject, TweetRecord
from streams.settings import Settings

log = logging.getLogger("tweetpulse.replay")

FIRST_REASONS_KEPT: Final = 5
PROGRESS_EVERY: Final = 1000
CHECKPOINT_SECONDS: Final = 5.0
CHECKPOINT_VERSION: Final = 1
# A streamed file holds back up to ~2x this many tweets to put slightly out-of-order input in
# order, and reads up to this many lines of late tweets first (~20 MB and ~10 MB of tweets at
# most); a file needing more is sorted whole.
REORDER_BUFFER: Final = 10_000

Order = Literal["time", "file"]


class TweetSink(Protocol):
    """Where replayed tweets go: :class:`~producers.kafka_sink.BatchingProducer` or
    :class:`FileSink`."""

    settings: Settings

    @property
    def destination(self) -> str: ...

    def add(self, tweet: Tweet) -> None: ...

    # optional: a sink with ``add_record(record: TweetRecord)`` gets the tweets of v2 JSONL
    # files validated by the fast path (already JSON) instead of Tweet models; one with
    # ``add_many(items: Sequence[Tweet | TweetRecord])`` gets them a thousand at a time

    def send_dlq(self, reject: Reject, source: str) -> None: ...

    def send_watermark(self, ts: datetime) -> None: ...

    def flush(self, timeout: float | None = None) -> None: ...

    def close(self) -> None: ...


# --- pure helpers -----------------------------------------------------------------------------


def iter_file(
    path: Path, *, fmt: str | None = None, max_text_chars: int | None = None
) -> Iterator[Item]:
    """``(line, tweet or reject)`` for every row of ``path`` (see :func:`formats.read_file`)."""
    return read_file(path, fmt, max_text_chars=max_text_chars)


def replay_watermark(latest: datetime, settings: Settings) -> datetime:
    """The watermark that says "the input is complete up to its newest tweet".

    The worker subtracts the allowed lateness, so ``latest + lateness`` makes the event-time
    watermark exactly ``latest``: every day window the data has passed closes, while the last,
    partial day (the data stops inside it) stays open for more input, as it would live.
    """
    return (latest + settings.allowed_lateness).astimezone(UTC)


def parse_time_bound(value: str, zone: ZoneInfo) -> datetime:
    """``--since``/``--until``: a date (midnight in ``zone``) or an ISO datetime with an offset."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)
        ts = datetime.fromisoformat(text)
    except ValueError:
        msg = f"{value!r} is not an ISO date (2023-04-03) or datetime (2023-04-03T12:00:00Z)"
        raise ConfigError(msg) from None
    if ts.tzinfo is None or ts.utcoffset() is None:
        msg = f"{value!r} has no timezone; add Z or an offset such as +08:00"
        raise ConfigError(msg)
    return ts.astimezone(UTC)


@dataclass
class Pacer:
    """Sleeps so that tweets go out at ``speed``× real time by their event time.

    The first tweet sets the origin; a tweet older than one already sent goes out at once.
    ``clock``/``sleep`` are injected (monotonic seconds).
    """

    speed: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _origin: tuple[datetime, float] | None = None

    def delay(self, event: datetime, now: float) -> float:
        """Seconds to wait before sending a tweet of event time ``event`` at wall time ``now``."""
        if self._origin is None:
            self._origin = (event, now)
            return 0.0
        first_event, first_wall = self._origin
        due = first_wall + (event - first_event).total_seconds() / self.speed
        return max(0.0, due - now)

    def wait(self, event: datetime) -> None:
        pause = self.delay(event, self.clock())
        if pause > 0:
            self.sleep(pause)


# --- checkpoints ------------------------------------------------------------------------------


@dataclass
class Checkpoint:
    """How many items (rows, in replay order) of one input are acknowledged."""

    path: Path  # the checkpoint file
    key: dict[str, Any]  # what must match for a resume: input identity + options
    done: int = 0
    complete: bool = False

    @staticmethod
    def location(directory: Path, input_path: Path, destination: str) -> Path:
        ident = f"{input_path.resolve()}\x1f{destination}".encode()
        return (
            directory
            / f"{input_path.name}.{hashlib.blake2b(ident, digest_size=6).hexdigest()}.json"
        )

    def load_for_resume(self) -> None:
        """Read the stored position; ConfigError when the input or the options changed."""
        try:
            stored = orjson.loads(self.path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, orjson.JSONDecodeError) as exc:
            msg = f"cannot read the replay checkpoint {self.path}: {exc}; delete it to start over"
            raise ConfigError(msg) from exc
        stored_key = stored.get("key", {})
        changed = [k for k in self.key | stored_key if stored_key.get(k) != self.key.get(k)]
        if changed:
            msg = (
                f"cannot resume {self.key['input']}: {', '.join(changed)} changed since the "
                f"checkpoint {self.path}. Run without --resume to replay it again, or delete "
                "the checkpoint."
            )
            raise ConfigError(msg)
        self.done = int(stored.get("done", 0))
        self.complete = bool(stored.get("complete", False))

    def save(self, now: datetime) -> None:
        """Write atomically (temp file + rename)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "v": CHECKPOINT_VERSION,
            "key": self.key,
            "done": self.done,
            "complete": self.complete,
            "updated": now,
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2 | orjson.OPT_UTC_Z))
        tmp.replace(self.path)


# --- the file sink (--to-file) ----------------------------------------------------------------


class FileSink:
    """Writes normalized tweets as JSONL (one bare tweet per line, readable by ``replay``);
    rejects go to ``<name>.dlq.jsonl`` beside it. Watermarks mean nothing in a file."""

    def __init__(self, settings: Settings, path: Path, *, append: bool = False) -> None:
        from producers.kafka_sink import tweet_json

        self.settings = settings
        self.path = path
        self.dlq_path = path.with_name(f"{path.stem}.dlq.jsonl")
        self.sent_tweets = 0
        self.dlq = 0
        self._encode = tweet_json
        self._fh = path.open("ab" if append else "wb")
        self._dlq_fh: Any = None
        self._append = append

    @property
    def destination(self) -> str:
        return f"file:{self.path.resolve()}"

    def add(self, tweet: Tweet) -> None:
        self._fh.write(self._encode(tweet) + b"\n")
        self.sent_tweets += 1

    def add_record(self, record: TweetRecord) -> None:
        """A tweet of the fast path: its JSON is what :meth:`add` writes for the Tweet."""
        self._fh.write(record.json + b"\n")
        self.sent_tweets += 1

    def add_many(self, tweets: Sequence[Tweet | TweetRecord]) -> None:
        if not tweets:
            return
        encode = self._encode
        lines = [t.json if isinstance(t, TweetRecord) else encode(t) for t in tweets]
        self._fh.write(b"\n".join(lines) + b"\n")
        self.sent_tweets += len(tweets)

    def send_dlq(self, reject: Reject, source: str) -> None:
        if self._dlq_fh is None:
            self._dlq_fh = self.dlq_path.open("ab" if self._append else "wb")
        self._dlq_fh.write(dlq_record(reject, source=source, now=datetime.now(UTC)) + b"\n")
        self.dlq += 1

    def send_watermark(self, ts: datetime) -> None:
        return None

    def flush(self, timeout: float | None = None) -> None:
        for fh in (self._fh, self._dlq_fh):
            if fh is not None:
                fh.flush()
                os.fsync(fh.fileno())

    def close(self) -> None:
        self.flush()
        self._fh.close()
        if self._dlq_fh is not None:
            self._dlq_fh.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_LOSSY_FLAG: Final = b'"id_lossy":true'  # how a fast-path record's JSON says its id is lossy


class LossyMergeSink:
    """A sink that passes every tweet on to ``inner`` and, before it does, calls
    ``merged(row, created_at)`` for each tweet whose lossy id (read from a float) an earlier
    tweet by another author or with another text already had: the counter counts an id once,
    so that tweet is merged into the first and the report should say so (the demo adds ``row``,
    ``"<id>:<hash of author and text>"``, to the window's :meth:`streams.keys.Keys.merged` set:
    a row sent again is the same member). Called before the send, so the note is there before
    the tweet's window can close. The same author and text again is the same tweet (a row sent
    twice), not a merge. Keeps one small hash per lossy id seen.

    In the converted AI corpus most of these are retweets of one post by several accounts in
    the same second: their ids differed only in the digits the float lost.

    ``add_record``/``add_many`` exist only when ``inner`` has them (the replay's fast paths)."""

    def __init__(self, inner: TweetSink, merged: Callable[[str, datetime], None]) -> None:
        self.inner = inner
        self.settings = inner.settings
        self._merged = merged
        self._texts: dict[str, bytes] = {}
        self.merged_rows = 0
        if getattr(inner, "add_record", None) is None:
            self.add_record = None  # type: ignore[assignment]  # the replay probes with getattr
        if getattr(inner, "add_many", None) is None:
            self.add_many = None  # type: ignore[assignment]  # likewise

    @property
    def destination(self) -> str:
        return self.inner.destination

    def _check(self, item: Tweet | TweetRecord) -> None:
        lossy = _LOSSY_FLAG in item.json if isinstance(item, TweetRecord) else item.id_lossy
        if not lossy:
            return
        digest = lossy_identity(item)
        first = self._texts.setdefault(item.id, digest)
        if first != digest:
            self.merged_rows += 1
            self._merged(f"{item.id}:{digest.hex()}", item.created_at)

    def add(self, tweet: Tweet) -> None:
        self._check(tweet)
        self.inner.add(tweet)

    def add_record(self, record: TweetRecord) -> None:
        self._check(record)
        self.inner.add_record(record)  # type: ignore[attr-defined]  # set to None otherwise

    def add_many(self, tweets: Sequence[Tweet | TweetRecord]) -> None:
        for tweet in tweets:
            self._check(tweet)
        self.inner.add_many(tweets)  # type: ignore[attr-defined]  # set to None otherwise

    def send_dlq(self, reject: Reject, source: str) -> None:
        self.inner.send_dlq(reject, source)

    def send_watermark(self, ts: datetime) -> None:
        self.inner.send_watermark(ts)

    def flush(self, timeout: float | None = None) -> None:
        self.inner.flush(timeout)

    def close(self) -> None:
        self.inner.close()


# --- replay -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReplayOptions:
    fmt: str | None = None  # None: detect per file
    order: Order = "time"
    speed: float | None = None  # N× real time by event time; None: as fast as possible
    since: datetime | None = None
    until: datetime | None = None
    resume: bool = False
    checkpoint_dir: Path | None = None  # None: no checkpoints
    final_watermark: bool = True
    reorder_buffer: int = REORDER_BUFFER  # tweets; a file needing more is sorted whole
    stream: bool = True  # False: every file is read whole and sorted (the reference order)

    def __post_init__(self) -> None:
        if self.reorder_buffer < 0:
            msg = f"the reorder buffer must be 0 or more tweets, got {self.reorder_buffer}"
            raise ConfigError(msg)
        if self.speed is not None and not self.speed > 0:
            msg = f"--speed must be a positive factor of real time, got {self.speed}"
            raise ConfigError(msg)
        if self.since is not None and self.until is not None and self.since >= self.until:
            msg = f"--since {self.since.isoformat()} is not before --until {self.until.isoformat()}"
            raise ConfigError(msg)
        for bound in (self.since, self.until):
            if bound is not None and bound.utcoffset() is None:
                msg = f"--since/--until need a timezone, got {bound.isoformat()}"
                raise ConfigError(msg)


@dataclass(frozen=True, slots=True)
class ReplayStats:
    tweets: int
    rejects: int
    first_reasons: tuple[str, ...]  # "<file>:<line> <reason>: <detail>" of the first rejects
    seconds: float
    rate: float  # tweets per second, including the final flush
    final_watermark: datetime | None = None  # the watermark sent at the end, if any
    filtered: int = 0  # tweets outside since/until
    resumed: int = 0  # items skipped because a checkpoint said they were already sent
    file_errors: tuple[str, ...] = ()  # files that could not be read at all
    notes: tuple[str, ...] = ()  # "<file>: <note>" (lossy or derived ids, ...)

    @property
    def nothing_sent(self) -> bool:
        """True when no tweet reached the sink in this run nor in the run being resumed."""
        return self.tweets == 0 and self.resumed == 0


@dataclass
class _Input:
    index: int
    path: Path
    fmt: str
    notes: FileNotes = field(default_factory=FileNotes)
    checkpoint: Checkpoint | None = None
    done: int = 0  # items handed to the sink (acknowledged once flushed)
    acked: int = 0  # items known acknowledged (written in the checkpoint)
    stream: int | None = None  # streamed with a reorder buffer of this many tweets; None: sorted
    outliers: tuple[tuple[int, bytes], ...] = ()  # streamed: lines merged in from memory
    lines: int = 0  # non-blank lines of a streamed file (the progress total)
    queued: int = 0  # add_many: done once the sink took the tweets
    out_of_order: int = 0  # streamed tweets sent after a newer one (should stay 0)


AnyTweet = Tweet | TweetRecord
Seq = tuple[_Input, int, int, AnyTweet | Reject]  # input, position in its sequence, line, item


def _items(inp: _Input, max_text_chars: int, fast: bool) -> Iterator[tuple[int, AnyTweet | Reject]]:
    read = read_file_fast if fast else read_file
    return read(inp.path, inp.fmt, max_text_chars=max_text_chars, notes=inp.notes)


def _time_ordered(inp: _Input, max_text_chars: int, fast: bool = False) -> list[Seq]:
    """Rejects first (file order), then tweets by event time (stable)."""
    rejects: list[Seq] = []
    tweets: list[tuple[int, AnyTweet]] = []
    for line, item in _items(inp, max_text_chars, fast):
        if isinstance(item, Reject):
            rejects.append((inp, len(rejects), line, item))
        else:
            tweets.append((line, item))
    tweets.sort(key=lambda lt: lt[1].created_at)
    first = len(rejects)
    return rejects + [(inp, first + i, line, tw) for i, (line, tw) in enumerate(tweets)]


def _streamed(inp: _Input, max_text_chars: int, fast: bool) -> Iterator[Seq]:
    """The items of a file :func:`formats.scan_event_order` could order, without holding the
    file, tweets in the order of :func:`_time_ordered`: sorted in a buffer of about twice
    ``inp.stream`` tweets (none when the file is in order), the outlier lines parsed first
    and merged in by (event time, line). Rejects go out as they are read (an outlier's
    first)."""
    items = _items(inp, max_text_chars, fast)
    if not inp.stream and not inp.outliers:
        yield from _in_order(inp, items)
        return
    position = 0
    early: list[tuple[datetime, int, AnyTweet]] = []
    for number, raw in inp.outliers:
        for _, parsed in v2_line_items(number, raw, max_text_chars, fast=fast):
            if isinstance(parsed, Reject):
                yield inp, position, number, parsed
                position += 1
            else:
                early.append((parsed.created_at, number, parsed))
    early.sort(key=itemgetter(0, 1))
    next_early = 0
    popped: tuple[datetime, int] | None = None
    skip = {number for number, _ in inp.outliers}
    for line, item in _buffer_ordered(items, skip, inp.stream or 0):
        if not isinstance(item, Reject):
            key = (item.created_at, line)
            while next_early < len(early) and early[next_early][:2] < key:
                _, early_line, tweet = early[next_early]
                yield inp, position, early_line, tweet
                position += 1
                next_early += 1
            if popped is not None and key < popped:
                _out_of_order(inp, line)
            popped = key
        yield inp, position, line, item
        position += 1
    for _, early_line, tweet in early[next_early:]:
        yield inp, position, early_line, tweet
        position += 1


def _buffer_ordered(
    items: Iterator[tuple[int, AnyTweet | Reject]], skip: set[int], bound: int
) -> Iterator[tuple[int, AnyTweet | Reject]]:
    """Rejects as they come; tweets by (event time, line) when every tweet is at least as new
    as every tweet more than ``bound`` places before it (the lines in ``skip`` are left out).

    Tweets are sorted a chunk of ``bound + 1`` at a time with what is still held (timsort
    merges the two runs); after ``n`` tweets, every tweet to come is at least as new as the
    newest of the first ``n - bound - 1``, so the held tweets up to that time go out."""
    lag = bound + 1
    held: list[tuple[datetime, int, int, AnyTweet]] = []  # (time, line, count): never a tie
    maxes: deque[datetime] = deque(maxlen=lag)  # running newest time of the last `lag` tweets
    newest: datetime | None = None
    fresh = 0
    by_time = itemgetter(0)
    for count, (line, item) in enumerate(items):
        if line in skip:
            continue
        if isinstance(item, Reject):
            yield line, item
            continue
        created = item.created_at
        held.append((created, line, count, item))
        if newest is None or created > newest:
            newest = created
        maxes.append(newest)
        fresh += 1
        if fresh >= lag and len(maxes) == lag:
            fresh = 0
            held.sort()
            cut = bisect.bisect_right(held, maxes[0], key=by_time)
            for entry in held[:cut]:
                yield entry[1], entry[3]
            del held[:cut]
    held.sort()
    for entry in held:
        yield entry[1], entry[3]


def _in_order(inp: _Input, items: Iterator[tuple[int, AnyTweet | Reject]]) -> Iterator[Seq]:
    """A file in event-time order: every item as it comes (the order is checked on the way)."""
    newest: datetime | None = None
    for position, (line, item) in enumerate(items):
        if type(item) is not Reject:
            created = item.created_at  # type: ignore[union-attr]
            if newest is not None and created < newest:
                _out_of_order(inp, line)
            newest = created
        yield inp, position, line, item


def _out_of_order(inp: _Input, line: int) -> None:
    # cannot happen while the scan and the parsers agree on every event time; the tweet still
    # goes out (late: the worker counts it as such)
    inp.out_of_order += 1
    if inp.out_of_order == 1:
        log.warning("%s:%d: tweet older than one already sent (the order scan missed it)",
                    inp.path, line)  # fmt: skip


def _file_ordered(inp: _Input, max_text_chars: int, fast: bool = False) -> Iterator[Seq]:
    for seq, (line, item) in enumerate(_items(inp, max_text_chars, fast)):
        yield inp, seq, line, item


_BEFORE_ALL: Final = datetime.min.replace(tzinfo=UTC)


def _keyed(items: Iterable[Seq]) -> Iterator[tuple[datetime, Seq]]:
    """``(merge key, item)``: a tweet's event time; a reject takes the key of what came before
    it in its file (the start: before everything), so it stays where its file put it."""
    key = _BEFORE_ALL
    for s in items:
        item = s[3]
        if type(item) is not Reject:
            key = item.created_at  # type: ignore[union-attr]
        yield key, s


def _merged(sources: list[Iterable[Seq]]) -> Iterator[Seq]:
    """All files merged by event time (each keeps its order; ties: the earlier file first).
    A sorted file's rejects come first (before all tweets), a streamed file's as it reads them."""
    if len(sources) == 1:
        return iter(sources[0])
    merged = heapq.merge(*(_keyed(src) for src in sources), key=itemgetter(0))
    return (s for _, s in merged)


def _estimate_items(paths: Iterable[Path]) -> int:
    """Non-blank-line count of JSONL files (fast: bytes only); 0 when any file is not JSONL."""
    total = 0
    for path in paths:
        if path.suffix.lower() not in JSONL_SUFFIXES:
            return 0
        try:
            with path.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
        except OSError:
            return 0
    return total


class _Run:
    """One replay: counters and the checkpoint bookkeeping."""

    def __init__(self, sink: TweetSink, options: ReplayOptions, pacer: Pacer | None) -> None:
        self.sink = sink
        self.options = options
        self.settings = sink.settings
        self.tweets = self.rejects = self.filtered = self.resumed = 0
        self.first_reasons: list[str] = []
        self.latest: datetime | None = None
        self.inputs: list[_Input] = []
        self.file_errors: list[str] = []
        self._last_checkpoint = time.monotonic()
        self._pacer = pacer
        self._add_record: Callable[[TweetRecord], None] | None = getattr(sink, "add_record", None)
        self._add_many: Callable[[Sequence[AnyTweet]], None] | None = getattr(
            sink, "add_many", None
        )

    def open_inputs(self, paths: Sequence[Path]) -> None:
        opts = self.options
        for path in paths:
            try:
                if path.is_dir():
                    raise unreadable(path, "is a directory")
                fmt = get_format(opts.fmt).name if opts.fmt else detect_format(path)
                inp = _Input(len(self.inputs), path, fmt)
                if opts.order == "time" and opts.stream and fmt == "v2":
                    bound = opts.reorder_buffer
                    scan = scan_event_order(path, bound, max_outliers=bound)
                    if scan is not None:
                        inp.stream = 0 if scan.in_order else bound
                        inp.outliers = scan.outliers
                        inp.lines = scan.lines
                if opts.checkpoint_dir is not None:
                    inp.checkpoint = self._checkpoint(inp, opts.checkpoint_dir)
            except InputError as exc:
                self.file_errors.append(str(exc.detail or exc))
                log.error("%s", exc.detail or exc)
                continue
            if inp.checkpoint is not None:
                if opts.resume:
                    inp.checkpoint.load_for_resume()
                    inp.acked = inp.done = inp.checkpoint.done
            self.inputs.append(inp)

    def _checkpoint(self, inp: _Input, directory: Path) -> Checkpoint:
        path, fmt = inp.path, inp.fmt
        try:
            st = path.stat()
        except OSError as exc:
            raise unreadable(path, exc) from exc
        opts = self.options
        key = {
            "input": str(path.resolve()),
            "size": st.st_size,
            "mtime_ns": st.st_mtime_ns,
            "format": fmt,
            "order": opts.order,
            "since": opts.since.isoformat() if opts.since else None,
            "until": opts.until.isoformat() if opts.until else None,
            "destination": self.sink.destination,
        }
        if inp.stream is not None:
            # a streamed file's items are counted in another order than a sorted one's
            key["reorder"] = inp.stream
        where = Checkpoint.location(directory, path, self.sink.destination)
        return Checkpoint(where, key)

    def handle(self, seq: Seq) -> None:
        inp, position, line, item = seq
        if not isinstance(item, Reject):
            opts = self.options
            in_range = (opts.since is None or item.created_at >= opts.since) and (
                opts.until is None or item.created_at < opts.until
            )
            if in_range and (self.latest is None or item.created_at > self.latest):
                self.latest = item.created_at
            if position < inp.acked:
                self.resumed += 1
                return
            if not in_range:
                self.filtered += 1
            else:
                if self._pacer is not None:
                    self._pacer.wait(item.created_at)
                if isinstance(item, Tweet):
                    self.sink.add(item)
                else:
                    assert self._add_record is not None  # records only when the sink takes them
                    self._add_record(item)
                self.tweets += 1
        else:
            if position < inp.acked:
                self.resumed += 1
                return
            source = file_source(inp.path, line)
            self.sink.send_dlq(item, source)
            self.rejects += 1
            if len(self.first_reasons) < FIRST_REASONS_KEPT:
                self.first_reasons.append(f"{source} {item.reason}: {item.detail}")
        inp.done = position + 1

    def can_handle_many(self) -> bool:
        """:meth:`handle_many` applies: nothing to pace, filter or skip, a sink taking lists."""
        opts = self.options
        return (
            self._add_many is not None
            and self._pacer is None
            and opts.since is None
            and opts.until is None
            and not any(inp.acked for inp in self.inputs)
        )

    def handle_many(self, chunk: list[Seq]) -> None:
        """:meth:`handle` for many items (when :meth:`can_handle_many`): the tweets go to the
        sink in one call; an input's position moves once the sink took them."""
        assert self._add_many is not None
        out: list[AnyTweet] = []
        latest = self.latest
        for seq in chunk:
            item = seq[3]
            if type(item) is Reject:
                self.latest = latest
                self._hand_over(out)
                out = []
                self.handle(seq)
                continue
            created = item.created_at  # type: ignore[union-attr]
            if latest is None or created > latest:
                latest = created
            out.append(item)  # type: ignore[arg-type]
            seq[0].queued = seq[1] + 1
        self.latest = latest
        self._hand_over(out)

    def _hand_over(self, tweets: list[AnyTweet]) -> None:
        if not tweets:
            return
        assert self._add_many is not None
        self._add_many(tweets)
        self.tweets += len(tweets)
        for inp in self.inputs:
            if inp.queued > inp.done:
                inp.done = inp.queued

    def maybe_checkpoint(self) -> None:
        if self.options.checkpoint_dir is None:
            return
        if time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS:
            self.checkpoint()

    def checkpoint(self, *, complete: Sequence[_Input] = ()) -> None:
        """Flush the sink, then record every input's acknowledged position."""
        self.sink.flush()
        self._last_checkpoint = time.monotonic()
        now = datetime.now(UTC)
        for inp in self.inputs:
            cp = inp.checkpoint
            if cp is None:
                continue
            finished = inp in complete or cp.complete
            if inp.done == cp.done and finished == cp.complete:
                continue
            cp.done = inp.acked = inp.done
            cp.complete = finished
            cp.save(now)


def replay(
    paths: Sequence[Path],
    producer: TweetSink,
    *,
    final_watermark: bool = True,
    progress: Callable[[int, int], None] | None = None,
    options: ReplayOptions | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> ReplayStats:
    """Send every tweet of ``paths`` through ``producer``; rejects go to the DLQ.

    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` items and at the end, with
    the items (tweets + rejects) handled so far and the total (0 when unknown: file order over
    non-JSONL input). Ends with a flush: when this returns, the sink has acknowledged
    everything (or it raised). ``final_watermark=False`` overrides the options.
    ``clock``/``sleep`` pace ``options.speed`` (injected by tests).
    """
    opts = options or ReplayOptions()
    if not final_watermark:
        opts = dataclasses.replace(opts, final_watermark=False)
    with _cyclic_gc_paused():
        pacer = Pacer(opts.speed, clock, sleep) if opts.speed else None
        return _replay(paths, producer, opts, progress, pacer)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Tweets are acyclic (reference counting frees them); with the cyclic GC on, its full
    collections over hundreds of thousands of live models cost ~40% of a time-ordered replay
    (tests/bench/produce.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _replay(
    paths: Sequence[Path],
    producer: TweetSink,
    opts: ReplayOptions,
    progress: Callable[[int, int], None] | None,
    pacer: Pacer | None,
) -> ReplayStats:
    started = time.perf_counter()
    run = _Run(producer, opts, pacer)
    run.open_inputs(paths)
    max_chars = run.settings.max_text_chars
    items: Iterator[Seq]
    total = 0
    todo = [inp for inp in run.inputs if not (inp.checkpoint and inp.checkpoint.complete)]
    for inp in run.inputs:
        if inp not in todo and inp.checkpoint is not None:
            log.info("%s: already replayed (checkpoint %s)", inp.path, inp.checkpoint.path)
            run.resumed += inp.checkpoint.done
    fast = getattr(producer, "add_record", None) is not None
    if opts.order == "time":
        sources: list[Iterable[Seq]] = []
        for inp in todo:
            if inp.stream is None:
                whole = _time_ordered(inp, max_chars, fast)
                total += len(whole)
                sources.append(whole)
            else:
                total += inp.lines
                sources.append(_streamed(inp, max_chars, fast))
        items = _merged(sources)
    else:
        total = _estimate_items(inp.path for inp in todo)
        items = (s for inp in todo for s in _file_ordered(inp, max_chars, fast))
    handled = 0
    current: _Input | None = None
    try:
        if opts.order == "time" and run.can_handle_many():
            while chunk := list(islice(items, PROGRESS_EVERY)):
                run.handle_many(chunk)
                handled += len(chunk)
                if handled % PROGRESS_EVERY == 0:
                    run.maybe_checkpoint()
                    if progress is not None:
                        progress(handled, max(total, handled) if total else 0)
        for seq in items:
            if opts.order == "file" and seq[0] is not current:
                if current is not None:
                    run.checkpoint(complete=[current])
                current = seq[0]
            run.handle(seq)
            handled += 1
            if handled % PROGRESS_EVERY == 0:
                run.maybe_checkpoint()
                if progress is not None:
                    progress(handled, max(total, handled) if total else 0)
    except KeyboardInterrupt:
        # keep what Kafka acknowledged: the next --resume starts right after it
        if opts.checkpoint_dir is not None:
            run.checkpoint()
        raise
    watermark = None
    if opts.final_watermark and run.latest is not None:
        watermark = replay_watermark(run.latest, run.settings)
        producer.send_watermark(watermark)
    if opts.checkpoint_dir is not None:
        run.checkpoint(complete=todo)
    producer.flush()
    seconds = time.perf_counter() - started
    if progress is not None:
        progress(handled, handled)
    notes = tuple(f"{inp.path}: {line}" for inp in run.inputs for line in inp.notes.lines())
    notes += tuple(
        f"{inp.path}: {inp.out_of_order} tweets were sent after a newer one"
        for inp in run.inputs
        if inp.out_of_order
    )
    return ReplayStats(
        tweets=run.tweets,
        rejects=run.rejects,
        first_reasons=tuple(run.first_reasons),
        seconds=seconds,
        rate=run.tweets / seconds if seconds > 0 else 0.0,
        final_watermark=watermark,
        filtered=run.filtered,
        resumed=run.resumed,
        file_errors=tuple(run.file_errors),
        notes=notes,
    )


def summary_lines(stats: ReplayStats, destination: str) -> list[str]:
    """The end-of-run report printed by the CLI."""
    lines = [
        f"sent {stats.tweets:,} tweets to {destination} in {stats.seconds:.1f}s "
        f"({stats.rate:,.0f}/s); {stats.rejects:,} rejected to the DLQ"
    ]
    if stats.filtered:
        lines.append(f"  {stats.filtered:,} tweets outside --since/--until were skipped")
    if stats.resumed:
        lines.append(f"  {stats.resumed:,} items were already sent (resumed from checkpoints)")
    lines += [f"  rejected: {reason}" for reason in stats.first_reasons]
    if stats.rejects > len(stats.first_reasons):
        lines.append(f"  ... and {stats.rejects - len(stats.first_reasons):,} more in tweets.dlq")
    lines += [f"  note: {note}" for note in stats.notes]
    lines += [f"  error: {err}" for err in stats.file_errors]
    if stats.final_watermark is not None:
        lines.append(f"  final watermark {stats.final_watermark.isoformat()}")
    return lines
