"""``produce replay``: send tweets from X API v2 JSON / JSONL files to ``tweets.raw``.

File shapes (detected from the content; ``.jsonl``/``.ndjson`` are always read by line):

* JSONL: one X API v2 message/response, normalized tweet or batch record per line; blank lines
  are skipped; a bad line is a reject carrying its line number;
* one JSON document (pretty-printed or not): a v2 response/message, or an array of them.

Rejects go to the dead-letter topic with the source ``<file>:<line>``. At the end a watermark
just past the last day window that received tweets (plus the allowed lateness) is sent to every
partition, so the worker closes every day the replay covered.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Final

import orjson

from producers.kafka_sink import BatchingProducer
from streams.dlq import file_source
from streams.errors import InputError
from streams.model import Tweet
from streams.parse import Reject, decode_json, excerpt_of, parse_object
from streams.settings import Settings

JSONL_SUFFIXES: Final = frozenset({".jsonl", ".ndjson"})
FIRST_REASONS_KEPT: Final = 5
PROGRESS_EVERY: Final = 1000
_BOM: Final = b"\xef\xbb\xbf"

Item = tuple[int, Tweet | Reject]


@dataclass(frozen=True, slots=True)
class ReplayStats:
    tweets: int
    rejects: int
    first_reasons: tuple[str, ...]  # "<file>:<line> <reason>: <detail>" of the first rejects
    seconds: float
    rate: float  # tweets per second, including the final flush
    final_watermark: datetime | None = None  # the watermark sent at the end, if any


def _items(value: Any, line: int, max_text_chars: int | None, raw: bytes) -> Iterator[Item]:
    """Tweets and rejects of one decoded JSON value (a top-level array is unpacked)."""
    elements = enumerate(value) if isinstance(value, list) else [(None, value)]
    for index, element in elements:
        quoted = raw.strip() if index is None else None
        parsed = parse_object(element, max_text_chars=max_text_chars, raw=quoted)
        for tweet in parsed.tweets:
            yield line, tweet
        for reject in parsed.rejects:
            if index is None:
                yield line, reject
            else:
                yield line, dataclasses.replace(reject, detail=f"[{index}] {reject.detail}")


def _is_json(line: bytes) -> bool:
    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _iter_document(data: bytes, max_text_chars: int | None) -> Iterator[Item]:
    decoded = decode_json(data)
    if isinstance(decoded, Reject):
        line = 1
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
        else:
            try:
                orjson.loads(data)
            except orjson.JSONDecodeError as exc:
                line = exc.lineno
        yield line, dataclasses.replace(decoded, excerpt=excerpt_of(data.lstrip()))
        return
    first_line = _line_of(data, len(data) - len(data.lstrip()))
    yield from _items(decoded, first_line, max_text_chars, data)


def _iter_lines(
    first: tuple[int, bytes], fh: IO[bytes], max_text_chars: int | None
) -> Iterator[Item]:
    number, line = first
    while True:
        stripped = line.strip()
        if stripped:
            decoded = decode_json(stripped)
            if isinstance(decoded, Reject):
                yield number, decoded
            else:
                yield from _items(decoded, number, max_text_chars, stripped)
        line = fh.readline()
        if not line:
            return
        number += 1


def _read(path: Path, max_text_chars: int | None) -> Iterator[Item]:
    with path.open("rb") as fh:
        number, line = 0, b""
        while True:  # find the first non-blank line
            line = fh.readline()
            number += 1
            if number == 1 and line.startswith(_BOM):
                line = line[len(_BOM) :]
            if not line:
                return  # empty file
            if line.strip():
                break
        if path.suffix.lower() in JSONL_SUFFIXES or _is_json(line.strip()):
            yield from _iter_lines((number, line), fh, max_text_chars)
        else:
            head = b"\n" * (number - 1)  # keep line numbers of the document absolute
            yield from _iter_document(head + line + fh.read(), max_text_chars)


def iter_file(path: Path, *, max_text_chars: int | None = None) -> Iterator[Item]:
    """``(line, tweet or reject)`` for every item of a v2 JSON / JSONL file.

    The line is the JSONL line, or the first line of a JSON document (an array item's reject
    detail starts with its ``[index]``). Raises :class:`~streams.errors.InputError`
    (reason ``unreadable_file``) naming the file when it cannot be read.
    """
    try:
        yield from _read(path, max_text_chars)
    except OSError as exc:
        reason, detail = "unreadable_file", f"{path}: {exc.strerror or exc}"
        raise InputError(reason, detail) from exc


def _estimate_items(paths: Sequence[Path]) -> int:
    """Non-blank-line count of JSONL files (fast: bytes only); 0 when any file is not JSONL."""
    total = 0
    for path in paths:
        if path.suffix.lower() not in JSONL_SUFFIXES:
            return 0
        try:
            with path.open("rb") as fh:
                total += sum(1 for line in fh if line.strip())
        except OSError:
            return 0  # iter_file reports it
    return total


def replay_watermark(latest: datetime, settings: Settings) -> datetime:
    """The watermark that says "the input is complete up to its newest tweet".

    The worker subtracts the allowed lateness, so ``latest + lateness`` makes the event-time
    watermark exactly ``latest``: every day window the data has passed closes, while the last,
    partial day (the data stops inside it) stays open for more input, as it would live.
    """
    return (latest + settings.allowed_lateness).astimezone(UTC)


def replay(
    paths: Sequence[Path],
    producer: BatchingProducer,
    *,
    final_watermark: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> ReplayStats:
    """Send every tweet of ``paths`` through ``producer``; rejects go to the DLQ.

    ``progress(done, total)`` is called every :data:`PROGRESS_EVERY` items and at the end, with
    the items (tweets + rejects) read so far and an estimate of all items: the line count when
    every file is JSONL, else 0 (unknown). Ends with a flush: when this returns, Kafka has
    acknowledged everything (or it raised).
    """
    settings = producer.settings
    started = time.perf_counter()
    tweets = rejects = 0
    first_reasons: list[str] = []
    latest: datetime | None = None
    total = _estimate_items(paths) if progress is not None else 0
    for path in paths:
        for line, item in iter_file(path, max_text_chars=settings.max_text_chars):
            if isinstance(item, Reject):
                source = file_source(path, line)
                producer.send_dlq(item, source)
                rejects += 1
                if len(first_reasons) < FIRST_REASONS_KEPT:
                    first_reasons.append(f"{source} {item.reason}: {item.detail}")
            else:
                producer.add(item)
                tweets += 1
                if latest is None or item.created_at > latest:
                    latest = item.created_at
            done = tweets + rejects
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, max(total, done) if total else 0)
    watermark = None
    if final_watermark and latest is not None:
        watermark = replay_watermark(latest, settings)
        producer.send_watermark(watermark)
    producer.flush()
    seconds = time.perf_counter() - started
    if progress is not None:
        progress(tweets + rejects, tweets + rejects)
    return ReplayStats(
        tweets=tweets,
        rejects=rejects,
        first_reasons=tuple(first_reasons),
        seconds=seconds,
        rate=tweets / seconds if seconds > 0 else 0.0,
        final_watermark=watermark,
    )
