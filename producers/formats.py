"""Readers for every replay input format: file → ``(line, Tweet or Reject)`` (no Kafka here).

Formats (``--format`` name: what it is, how it is recognised):

* ``v2``: X API v2 envelopes as JSONL or one JSON document (also normalized tweets and
  ``tweets.raw`` batch records, e.g. a ``--to-file`` output); JSON whose first object is not a
  Weibo post;
* ``flat-csv``: the flattened v2 CSV (``tweet_id, tweet_created, text, lang, user_*, ...``).
  Its ``tweet_id`` was saved as a float (``1.642889622681432e+18``): the id keeps exactly the
  digits written and fills the rest with zeros; such ids are *lossy* (counted in
  :class:`FileNotes`; the tweet carries ``id_lossy``, so the report never links one), and
  distinct tweets that round to one id count once downstream;
* ``rtweet-csv``: R twitteR/rtweet CSV (``text, created, id, statusSource, screenName, ...``):
  a UTF-8 BOM, ``#N/A`` for missing values, ``created`` as ``M/D/YYYY H:MM:SS`` in UTC and the
  client as an HTML link (its text becomes ``source``);
* ``geo-csv``: ``Date, Tweet[, City, Country]``: no id, no author. The id is *derived*: a
  stable 63-bit hash of (timestamp, text), so the same row always gets the same id and exact
  duplicates are counted once;
* ``weibo-jsonl``: Weibo posts (``content, time_iso_guess, user_id, user_name, ...``); the
  id is derived from (user, raw time, content); a post without ``time_iso_guess`` (relative
  times such as "9分钟前") is a ``missing_created_at`` reject.

Hashtags, cashtags, mentions and URLs of the CSV/Weibo formats are taken from the text.
Nothing here raises on a bad row: it becomes a :class:`~streams.parse.Reject` with the line
where the row starts. An unreadable file or an unknown format raises
:class:`~streams.errors.InputError` naming the file.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import html
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from itertools import accumulate, chain, islice
from operator import le, lt
from pathlib import Path
from typing import IO, Any, Final, cast

import orjson

from streams.errors import InputError
from streams.fastdecode import event_times, line_event_time, typed_record
from streams.model import Tweet
from streams.parse import (
    Reject,
    TweetRecord,
    decode_json,
    excerpt_of,
    fast_record,
    parse_object,
    validate_tweet,
)

Item = tuple[int, Tweet | Reject]
# read_file_fast: a plainly valid tweet comes as a TweetRecord (validated, already JSON)
FastItem = tuple[int, Tweet | TweetRecord | Reject]

JSONL_SUFFIXES: Final = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES: Final = JSONL_SUFFIXES | {".json"}
SNIFF_BYTES: Final = 64 * 1024
_BOM: Final = b"\xef\xbb\xbf"
_LOSSY_FLAG: Final = re.compile(rb'"id_is_lossy_float"\s*:\s*true')
_NA: Final = frozenset({"", "#N/A", "NA", "NaN", "nan", "null", "NULL", "None"})
# A CSV field may legitimately hold a long tweet; a runaway quote must not eat the whole file.
csv.field_size_limit(min(sys.maxsize, 16 * 1024 * 1024))


def lossy_identity(tweet: Tweet | TweetRecord) -> bytes:
    """Who posted what, as 8 bytes stable across processes: author id, username and text.
    Two rows sharing a lossy id with different identities are two tweets the count merges
    (:class:`FileNotes`, :class:`producers.replay.LossyMergeSink`); the same identity again
    is one tweet sent twice. For a fast-path record only its JSON is decoded (only lossy
    rows get here)."""
    if isinstance(tweet, TweetRecord):
        data = orjson.loads(tweet.json)
        author = data.get("author") or {}
        who = (author.get("id") or "", author.get("username") or "", data.get("text") or "")
    else:
        who = (tweet.author.id or "", tweet.author.username or "", tweet.text)
    raw = "\0".join(who).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(raw, digest_size=8).digest()


@dataclass(slots=True)
class FileNotes:
    """What a reader wants the operator to know about the ids of one file."""

    lossy_ids: int = 0  # ids rebuilt from a float: trailing digits are zeros
    # rows whose rebuilt id an earlier row by another author or with another text had (they
    # count once); the same author and text again is the same tweet sent twice
    lossy_collisions: int = 0
    derived_ids: int = 0  # ids hashed from the content (the format has none)
    _lossy_seen: dict[str, bytes] = field(default_factory=dict, repr=False)

    def lossy(self, tweet: Tweet | TweetRecord) -> None:
        """Count a tweet with a lossy id, and a collision when an earlier one with that id had
        another author or text (what :class:`producers.replay.LossyMergeSink` calls a merge;
        engagement counts or times that differ alone are no collision)."""
        self.lossy_ids += 1
        digest = lossy_identity(tweet)
        seen = self._lossy_seen.setdefault(tweet.id, digest)
        if seen != digest:
            self.lossy_collisions += 1

    def lines(self) -> list[str]:
        out = []
        if self.lossy_ids:
            out.append(
                f"{self.lossy_ids} tweet ids were stored as floats and are lossy (the digits "
                "written are kept, the rest are zeros)"
                + (
                    f"; {self.lossy_collisions} rows share such an id with a different author "
                    "or text and count once"
                    if self.lossy_collisions
                    else ""
                )
            )
        if self.derived_ids:
            out.append(
                f"{self.derived_ids} tweet ids were derived from a hash of the content "
                "(the format has no tweet id)"
            )
        return out


Reader = Callable[[Path, int | None, FileNotes], Iterator[Item]]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    summary: str
    read: Reader


# --- small helpers ----------------------------------------------------------------------------

_HASHTAG = re.compile(r"(?<![\w&/])[#＃](\w+)")
_WEIBO_TOPIC = re.compile(r"#([^#\n]{1,40})#")
_CASHTAG = re.compile(r"(?<![\w$])\$([A-Za-z][A-Za-z0-9_.]{0,11})\b")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,30})")
_URL = re.compile(r"https?://[^\s\u3000<>\"]+")
_SOURCE_LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_SURROGATE = re.compile("[\udc80-\udcff]")


def entities_from_text(text: str, *, weibo: bool = False) -> dict[str, list[str]]:
    """Hashtags, cashtags, mentions and URLs found in ``text`` (Weibo topics are ``#...#``)."""
    tags = _WEIBO_TOPIC.findall(text) if weibo else _HASHTAG.findall(text)
    return {
        "hashtags": [t.strip() for t in tags if t.strip()],
        "cashtags": _CASHTAG.findall(text),
        "mentions": _MENTION.findall(text),
        "urls": [u.rstrip(".,;:!?)…") for u in _URL.findall(text)],
    }


def derived_id(*parts: str) -> str:
    """A stable id from content: 63 bits of BLAKE2b over the parts (at most 19 digits)."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=8)
    return str(int.from_bytes(digest.digest(), "big") >> 1)


def float_id(value: str) -> tuple[str, bool] | None:
    """``(digits, lossy)`` of an id written as an integer or a float; None when not an id.

    ``1.642889622681432e+18`` → ``("1642889622681432000", True)``: exactly the digits written,
    never the invented digits of ``int(float(...))``.
    """
    value = value.strip()
    if value.isdigit():
        return value, False
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        return None
    return str(int(number)), True


def int_or_none(value: str | None) -> int | None:
    """A count written as ``12``, ``12.0`` or ``#N/A`` (lenient: garbage → None)."""
    if value is None or value in _NA:
        return None
    if value.isdigit():
        return int(value)
    try:  # "1293.0" (pandas wrote counts as floats); no exception on the common paths
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= 0 else None


def bool_or_none(value: str | None) -> bool | None:
    if value is None:
        return None
    low = value.strip().lower()
    if low in ("true", "1", "yes"):
        return True
    if low in ("false", "0", "no"):
        return False
    return None


def source_name(value: str | None) -> str | None:
    """``<a href="...">Twitter for iPhone</a>`` → ``Twitter for iPhone``; plain text as is."""
    if value is None or value in _NA:
        return None
    match = _SOURCE_LINK.search(value)
    name = html.unescape(match.group(1) if match else value).strip()
    return name or None


def _timestamp(value: str | None, column: str) -> datetime | Reject:
    if value is None or value in _NA:
        return Reject("missing_created_at", f"{column} is empty", "")
    try:
        ts = datetime.fromisoformat(value.strip())
    except ValueError:
        return Reject("invalid_timestamp", f"{column}: not ISO 8601 (got {value[:80]})", "")
    if ts.tzinfo is None or ts.utcoffset() is None:
        return Reject("naive_timestamp", f"{column}: no timezone (got {value[:80]})", "")
    return ts.astimezone(UTC)


def _rtweet_timestamp(value: str | None) -> datetime | Reject:
    """``4/27/2023 17:35:29`` (rtweet writes UTC without saying so)."""
    if value is None or value in _NA:
        return Reject("missing_created_at", "created is empty", "")
    try:
        ts = datetime.strptime(value.strip(), "%m/%d/%Y %H:%M:%S")  # noqa: DTZ007 - UTC below
    except ValueError:
        return Reject("invalid_timestamp", f"created: not M/D/YYYY H:MM:SS (got {value[:80]})", "")
    return ts.replace(tzinfo=UTC)


def _with_excerpt(reject: Reject, raw: object) -> Reject:
    return dataclasses.replace(reject, excerpt=excerpt_of(raw))


def _na(row: Mapping[str, str], key: str) -> str | None:
    value = row.get(key)
    return None if value is None or value in _NA else value


def unreadable(path: Path, why: OSError | str) -> InputError:
    """The error for a file that cannot be read at all (it names the file)."""
    detail = why if isinstance(why, str) else (why.strerror or str(why))
    return InputError("unreadable_file", f"{path}: {detail}")


# --- v2 JSON / JSONL (also normalized tweets and batch records) -------------------------------


def _json_items(value: Any, line: int, max_text_chars: int | None, raw: bytes) -> Iterator[Item]:
    """Tweets and rejects of one decoded JSON value (a top-level array is unpacked)."""
    elements = enumerate(value) if isinstance(value, list) else [(None, value)]
    for index, element in elements:
        parsed = parse_object(element, max_text_chars=max_text_chars)
        if parsed.rejects and index is None:
            # again with the raw bytes, which whole-record rejects quote (not done up front:
            # cutting an excerpt of every valid line costs ~10% of the replay)
            parsed = parse_object(element, max_text_chars=max_text_chars, raw=raw.strip())
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


def _v2_document(data: bytes, max_text_chars: int | None) -> Iterator[Item]:
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
    yield from _json_items(decoded, first_line, max_text_chars, data)


def _v2_lines(
    first: tuple[int, bytes],
    fh: Iterable[bytes],
    max_text_chars: int | None,
    *,
    fast: bool = False,
    notes: FileNotes | None = None,
) -> Iterator[FastItem]:
    """``fast``: a line holding one plainly valid tweet comes as a :class:`TweetRecord`
    (:func:`streams.fastdecode.typed_record`, else :func:`streams.parse.fast_record`); every
    other line takes the full path. A line that says its id went through a float
    (``"id_is_lossy_float": true``, as corpora converted from CSV do) is counted in ``notes``
    (its tweet carries ``id_lossy``: :func:`streams.parse.tweet_dict_from_v2`)."""
    number, line = first
    lines = chain([line], fh)
    for line in lines:
        stripped = line.strip()
        if stripped:
            items: Iterable[FastItem] = _v2_line(number, stripped, max_text_chars, fast=fast)
            if notes is not None and _lossy_line(stripped):
                items = list(items)
                for _, item in items:
                    if isinstance(item, Tweet | TweetRecord):
                        notes.lossy(item)
            yield from items
        number += 1


def _v2_line(
    number: int, stripped: bytes, max_text_chars: int | None, *, fast: bool
) -> Iterator[FastItem]:
    """The items of one non-blank line of a ``v2`` JSONL file (see :func:`_v2_lines`)."""
    if fast:
        typed = typed_record(stripped, max_text_chars=max_text_chars)
        if typed is not None:
            yield number, typed
            return
    decoded = decode_json(stripped)
    if isinstance(decoded, Reject):
        yield number, decoded
        return
    record = fast_record(decoded, max_text_chars=max_text_chars) if fast else None
    if record is not None:
        yield number, record
    else:
        yield from _json_items(decoded, number, max_text_chars, stripped)


def _lossy_line(stripped: bytes) -> bool:
    """Whether a line says its id went through a float (a substring test first: most do not)."""
    return b'"id_is_lossy_float"' in stripped and _LOSSY_FLAG.search(stripped) is not None


def _first_line(fh: IO[bytes]) -> tuple[int, bytes] | None:
    """The first non-blank line (BOM removed) and its number; None for an empty file."""
    number = 0
    while True:
        line = fh.readline()
        number += 1
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        if not line:
            return None
        if line.strip():
            return number, line


def read_v2(path: Path, max_text_chars: int | None, notes: FileNotes) -> Iterator[Item]:
    return cast(Iterator[Item], _read_v2(path, max_text_chars, fast=False, notes=notes))


def _read_v2(
    path: Path, max_text_chars: int | None, *, fast: bool, notes: FileNotes | None = None
) -> Iterator[FastItem]:
    with path.open("rb") as fh:
        first = _first_line(fh)
        if first is None:
            return
        number, line = first
        if path.suffix.lower() in JSONL_SUFFIXES or _is_json(line.strip()):
            yield from _v2_lines(first, fh, max_text_chars, fast=fast, notes=notes)
        else:
            head = b"\n" * (number - 1)  # keep line numbers of the document absolute
            yield from _v2_document(head + line + fh.read(), max_text_chars)


SCAN_BLOCK_BYTES: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class EventOrder:
    """What :func:`scan_event_order` found: how to put a file in event-time order as it is
    read. Every tweet but the ``outliers`` is at least as new as every tweet more than
    ``bound`` places before it, so a buffer of about ``bound`` tweets sorts them as they come;
    the outliers (late tweets), few, are parsed first and merged in."""

    lines: int  # non-blank lines (about one item each)
    in_order: bool  # created_at never decreases from one line to the next: nothing to reorder
    outliers: tuple[tuple[int, bytes], ...] = ()  # (line number, line) placed by merging


class _OrderCheck:
    """The scan's bookkeeping over the event times of the lines, a chunk at a time (C loops)."""

    def __init__(self, bound: int, max_outliers: int) -> None:
        self.lag = bound + 1
        self.max_outliers = max_outliers
        self.in_order = True
        self.top: datetime | None = None  # the newest time so far
        self.maxes: list[datetime] = []  # the running newest time of the last `lag` lines
        self.outliers: list[tuple[int, bytes]] = []

    def feed(self, times: list[datetime], numbers: Sequence[int], lines: list[bytes]) -> bool:
        """False when more than ``max_outliers`` lines are older than a line more than
        ``bound`` lines before them."""
        if not times:
            return True
        lag = self.lag
        top = times[0] if self.top is None else self.top
        if self.in_order and not (times[0] >= top and all(map(le, times, islice(times, 1, None)))):
            self.in_order = False
        running = list(accumulate(times, max, initial=top))[1:]
        self.top = running[-1]
        history = self.maxes + running
        self.maxes = history[-lag:]
        if self.in_order:
            return True
        # the newest time `lag` lines before each line of the chunk (none for the first lines)
        start = len(history) - len(running) - lag
        skip = max(0, -start)
        if skip >= len(times):
            return True
        before = history[start + skip : start + len(times)]
        late = list(map(lt, islice(times, skip, None), before))
        if any(late):
            for index, is_late in enumerate(late, skip):
                if is_late:
                    self.outliers.append((numbers[index], lines[index]))
            if len(self.outliers) > self.max_outliers:
                return False
        return True


def scan_event_order(path: Path, bound: int, max_outliers: int) -> EventOrder | None:
    """Read a ``v2`` JSONL file once for its tweets' event times only (no tweet is built, ~1/8
    of parsing it) and tell how to send it in exactly the order of a full stable sort by
    ``created_at`` while reading it: in order as it is, or sorted in a buffer of about
    ``bound`` tweets with at most ``max_outliers`` lines merged in (:class:`EventOrder`).

    None when that cannot be told cheaply — a JSON document, a line that is valid JSON but not
    one tweet (a batch record, a ``data`` list, an unusual timestamp) — or the file needs more
    outliers: the caller then sorts the whole file. Lines that are not JSON at all are rejects
    and are skipped; a line with a time that turns out a reject only makes the check stricter.
    """
    check = _OrderCheck(bound, max_outliers)
    count = 0
    try:
        with path.open("rb") as fh:
            first = _first_line(fh)
            if first is None:
                return EventOrder(0, True)
            number, head = first
            if path.suffix.lower() not in JSONL_SUFFIXES and not _is_json(head.strip()):
                return None
            data = head
            while True:  # a block of whole lines at a time, split and stripped in C
                more = fh.read(SCAN_BLOCK_BYTES)
                data += more
                if more:
                    cut = data.rfind(b"\n")
                    if cut < 0:
                        continue
                    block, data = data[:cut], data[cut + 1 :]
                else:
                    block, data = data, b""
                raw = block.split(b"\n")
                lines = list(filter(None, map(bytes.strip, raw)))
                numbers: Sequence[int] = range(number, number + len(raw))
                if len(lines) != len(raw):  # blank lines: number the others
                    numbers = [number + i for i, line in enumerate(raw) if line.strip()]
                number += len(raw)
                if not _scan_chunk(check, lines, numbers):
                    return None
                count += len(lines)
                if not more:
                    break
    except OSError as exc:
        raise unreadable(path, exc) from exc
    return EventOrder(count, check.in_order, tuple(check.outliers))


def _scan_chunk(check: _OrderCheck, lines: list[bytes], numbers: Sequence[int]) -> bool:
    times = event_times(lines)
    if times is None:  # one line at a time: which one is not one tweet?
        times, kept_numbers, kept_lines = [], [], []
        for number, line in zip(numbers, lines, strict=True):
            ts = line_event_time(line)
            if ts is None:
                if _is_json(line):
                    return False
                continue  # not JSON: a reject, no tweet
            times.append(ts)
            kept_numbers.append(number)
            kept_lines.append(line)
        numbers, lines = kept_numbers, kept_lines
    return check.feed(times, numbers, lines)


def v2_line_items(
    number: int, line: bytes, max_text_chars: int | None, *, fast: bool
) -> list[FastItem]:
    """The items of one line of a ``v2`` JSONL file, exactly as :func:`read_file_fast`
    (``fast``) or :func:`read_file` reads them."""
    return list(_v2_lines((number, line), iter(()), max_text_chars, fast=fast))


# --- Weibo JSONL ------------------------------------------------------------------------------


def weibo_tweet(
    post: Mapping[str, Any], max_text_chars: int | None, notes: FileNotes
) -> Tweet | Reject:
    content = post.get("content")
    text = content.strip() if isinstance(content, str) else None
    if not text:
        return Reject("missing_text", "content is missing or empty", excerpt_of(post))
    when = post.get("time_iso_guess")
    if when is None:
        raw = post.get("time_raw")
        detail = "time_iso_guess is null"
        if isinstance(raw, str):
            detail += f" (time_raw {raw[:40]!r} is relative and cannot be dated)"
        return Reject("missing_created_at", detail, excerpt_of(post))
    created = _timestamp(str(when), "time_iso_guess")
    if isinstance(created, Reject):
        return _with_excerpt(created, post)
    user_id = post.get("user_id")
    author = {
        "id": str(user_id) if user_id is not None else None,
        "name": post.get("user_name"),
        "followers_count": int_or_none(str(post.get("followers_num"))),
        "following_count": int_or_none(str(post.get("following_num"))),
    }
    tweet_id = derived_id("weibo", str(user_id), str(post.get("time_raw")), text)
    notes.derived_ids += 1
    shaped = {
        "id": tweet_id,
        "text": text,
        "created_at": created,
        "lang": "zh",
        "source": post.get("source_client") or None,
        "author": {k: v for k, v in author.items() if v is not None},
        "metrics": {
            "retweet_count": int_or_none(str(post.get("forward"))) or 0,
            "reply_count": int_or_none(str(post.get("comment"))) or 0,
            "like_count": int_or_none(str(post.get("upvote"))) or 0,
        },
        **entities_from_text(text, weibo=True),
    }
    checked = validate_tweet(shaped, max_text_chars=max_text_chars)
    return _with_excerpt(checked, post) if isinstance(checked, Reject) else checked


def read_weibo(path: Path, max_text_chars: int | None, notes: FileNotes) -> Iterator[Item]:
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            stripped = line.strip().removeprefix(_BOM) if number == 1 else line.strip()
            if not stripped:
                continue
            decoded = decode_json(stripped)
            if isinstance(decoded, Reject):
                yield number, decoded
            elif not isinstance(decoded, dict):
                detail = "line is not a JSON object"
                yield number, Reject("not_an_object", detail, excerpt_of(stripped))
            else:
                yield number, weibo_tweet(decoded, max_text_chars, notes)


# --- CSV formats ------------------------------------------------------------------------------

RowParser = Callable[[dict[str, str], int | None, FileNotes], "Tweet | Reject"]


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str] | Reject]]:
    """``(line where the row starts, fields or reject)``; the header is row 0 (line 1)."""
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh)
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, Reject("invalid_row", f"CSV: {exc}", "")
                start = reader.line_num + 1
                continue
            if row and _SURROGATE.search("\x00".join(row)):
                text = "\x00".join(row)
                excerpt = text.encode("utf-8", "surrogateescape")
                yield start, Reject("invalid_utf8", "row is not UTF-8", excerpt_of(excerpt))
            else:
                yield start, row
            start = reader.line_num + 1


def _read_csv(
    path: Path, max_text_chars: int | None, notes: FileNotes, parse_row: RowParser
) -> Iterator[Item]:
    header: list[str] | None = None
    for line, row in _csv_rows(path):
        if isinstance(row, Reject):
            yield line, row
            continue
        if header is None:
            header = [name.strip() for name in row]
            continue
        if not any(field.strip() for field in row):
            continue  # a blank line
        if len(row) != len(header):
            detail = f"row has {len(row)} fields, the header has {len(header)}"
            yield line, Reject("invalid_row", detail, excerpt_of(row))
            continue
        checked = parse_row(dict(zip(header, row, strict=True)), max_text_chars, notes)
        if isinstance(checked, Reject) and not checked.excerpt:
            checked = dataclasses.replace(checked, excerpt=excerpt_of(row))
        yield line, checked


def flat_row(row: dict[str, str], max_text_chars: int | None, notes: FileNotes) -> Tweet | Reject:
    raw_id = _na(row, "tweet_id")
    if raw_id is None:
        return Reject("missing_id", "tweet_id is empty", "")
    parsed_id = float_id(raw_id)
    if parsed_id is None:
        return Reject("invalid_id", f"tweet_id is not a whole number (got {raw_id[:40]})", "")
    tweet_id, lossy = parsed_id
    created = _timestamp(_na(row, "tweet_created"), "tweet_created")
    if isinstance(created, Reject):
        return created
    text = row.get("text") or ""
    user_created = _na(row, "user_created")
    author_created = _timestamp(user_created, "user_created") if user_created else None
    author = {
        "id": _na(row, "user_id"),
        "username": _na(row, "user_username"),
        "name": _na(row, "user_name"),
        "verified": bool_or_none(row.get("user_verified")),
        "created_at": author_created if isinstance(author_created, datetime) else None,
        "followers_count": int_or_none(row.get("user_followers_count")),
        "following_count": int_or_none(row.get("user_following_count")),
        "tweet_count": int_or_none(row.get("user_tweet_count")),
    }
    metrics = {
        "retweet_count": int_or_none(row.get("retweet_count")),
        "like_count": int_or_none(row.get("like_count")),
        "reply_count": int_or_none(row.get("reply_count")),
        "impression_count": int_or_none(row.get("impression_count")),
    }
    shaped = {
        "id": tweet_id,
        "text": text,
        "created_at": created,
        "lang": _na(row, "lang"),
        "source": source_name(row.get("source")),
        "author": {k: v for k, v in author.items() if v is not None},
        "metrics": {k: v for k, v in metrics.items() if v is not None},
        **entities_from_text(text),
        "id_lossy": lossy,  # said all the way to the report, which then links no such id
    }
    checked = validate_tweet(shaped, max_text_chars=max_text_chars)
    if lossy and isinstance(checked, Tweet):
        notes.lossy(checked)
    return checked


def rtweet_row(row: dict[str, str], max_text_chars: int | None, notes: FileNotes) -> Tweet | Reject:
    raw_id = _na(row, "id")
    if raw_id is None:
        return Reject("missing_id", "id is empty or #N/A", "")
    parsed_id = float_id(raw_id)
    if parsed_id is None:
        return Reject("invalid_id", f"id is not a whole number (got {raw_id[:40]})", "")
    tweet_id, lossy = parsed_id
    created = _rtweet_timestamp(row.get("created"))
    if isinstance(created, Reject):
        return created
    text = row.get("text") or ""
    references: list[dict[str, str]] = []
    if bool_or_none(row.get("isRetweet")):
        references.append({"type": "retweeted"})
    reply_to = _na(row, "replyToSID")
    if reply_to is not None:
        reply_id = float_id(reply_to)
        references.append(
            {"type": "replied_to", "id": reply_id[0]} if reply_id else {"type": "replied_to"}
        )
    username = _na(row, "screenName")
    shaped = {
        "id": tweet_id,
        "text": text,
        "created_at": created,
        "source": source_name(row.get("statusSource")),
        "author": {"username": username} if username else {},
        "metrics": {
            "retweet_count": int_or_none(row.get("retweetCount")) or 0,
            "like_count": int_or_none(row.get("favoriteCount")) or 0,
        },
        "references": references,
        **entities_from_text(text),
        "id_lossy": lossy,  # said all the way to the report, which then links no such id
    }
    checked = validate_tweet(shaped, max_text_chars=max_text_chars)
    if lossy and isinstance(checked, Tweet):
        notes.lossy(checked)
    return checked


def geo_row(row: dict[str, str], max_text_chars: int | None, notes: FileNotes) -> Tweet | Reject:
    created = _timestamp(_na(row, "Date"), "Date")
    if isinstance(created, Reject):
        return created
    text = row.get("Tweet") or ""
    if not text.strip():
        return Reject("missing_text", "Tweet is empty", "")
    shaped = {
        "id": derived_id("geo", created.isoformat(), text),
        "text": text,
        "created_at": created,
        **entities_from_text(text),
    }
    checked = validate_tweet(shaped, max_text_chars=max_text_chars)
    if isinstance(checked, Tweet):
        notes.derived_ids += 1
    return checked


def read_flat(path: Path, max_text_chars: int | None, notes: FileNotes) -> Iterator[Item]:
    return _read_csv(path, max_text_chars, notes, flat_row)


def read_rtweet(path: Path, max_text_chars: int | None, notes: FileNotes) -> Iterator[Item]:
    return _read_csv(path, max_text_chars, notes, rtweet_row)


def read_geo(path: Path, max_text_chars: int | None, notes: FileNotes) -> Iterator[Item]:
    return _read_csv(path, max_text_chars, notes, geo_row)


# --- the registry and detection ---------------------------------------------------------------

FORMATS: Final[dict[str, Format]] = {
    f.name: f
    for f in (
        Format("v2", "X API v2 JSON/JSONL (also normalized tweets, batch records)", read_v2),
        Format("flat-csv", "flattened v2 CSV: tweet_id, tweet_created, text, user_*", read_flat),
        Format(
            "rtweet-csv", "rtweet CSV: text, created, id, statusSource, screenName", read_rtweet
        ),
        Format("geo-csv", "CSV with Date, Tweet only (ids derived from the content)", read_geo),
        Format("weibo-jsonl", "Weibo posts JSONL: content, time_iso_guess, user_*", read_weibo),
    )
}

# CSV header columns that identify a format (all must be present).
_CSV_SIGNATURES: Final[tuple[tuple[str, frozenset[str]], ...]] = (
    ("flat-csv", frozenset({"tweet_id", "tweet_created", "text"})),
    ("rtweet-csv", frozenset({"text", "created", "id", "statusSource"})),
    ("geo-csv", frozenset({"Date", "Tweet"})),
)
_WEIBO_KEYS: Final = frozenset({"content", "time_iso_guess"})


def _sniff_json(lines: list[bytes], json_name: bool) -> str | None:
    """``weibo-jsonl`` or ``v2`` from the first line that is a JSON object; ``v2`` for any
    other JSON-looking start (a pretty-printed document) or a JSON file name; else None."""
    for line in lines[:50]:
        if not line.startswith(b"{"):
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(value, dict):
            return "weibo-jsonl" if _WEIBO_KEYS <= value.keys() else "v2"
    return "v2" if json_name or lines[0].startswith((b"{", b"[")) else None


def _sniff_csv(line: bytes) -> tuple[str | None, list[str]]:
    text = line.decode("utf-8", errors="replace")
    try:
        header = next(csv.reader([text]))
    except (csv.Error, StopIteration):
        return None, []
    columns = {name.strip() for name in header}
    for name, needed in _CSV_SIGNATURES:
        if needed <= columns:
            return name, header
    return None, header


def detect_format(path: Path) -> str:
    """The format name of ``path`` from its first bytes; InputError naming the file if none."""
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise unreadable(path, exc) from exc
    lines = [ln.strip() for ln in head.removeprefix(_BOM).splitlines() if ln.strip()]
    if not lines:
        return "v2"  # empty: any reader yields nothing
    first = lines[0]
    found = _sniff_json(lines, path.suffix.lower() in JSON_SUFFIXES)
    if found is not None:
        return found
    found, header = _sniff_csv(first)
    if found is not None:
        return found
    shown = ", ".join(header[:10]) if len(header) > 1 else excerpt_of(first)[:120]
    known = ", ".join(FORMATS)
    msg = (
        f"{path}: unknown replay format (first line: {shown}). Known formats: {known}; "
        "pass --format NAME if the file is one of them"
    )
    reason = "unknown_format"
    raise InputError(reason, msg)


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(FORMATS)
        msg, reason = f"unknown format {name!r}; known formats: {known}", "unknown_format"
        raise InputError(reason, msg) from None


def read_file(
    path: Path,
    fmt: str | None = None,
    *,
    max_text_chars: int | None = None,
    notes: FileNotes | None = None,
) -> Iterator[Item]:
    """``(line, tweet or reject)`` for every row of ``path`` in format ``fmt`` (None: detect).

    Raises :class:`~streams.errors.InputError` naming the file when it cannot be read
    (``unreadable_file``) or its format is unknown (``unknown_format``).
    """
    reader = get_format(fmt or detect_format(path)).read
    try:
        yield from reader(path, max_text_chars, notes if notes is not None else FileNotes())
    except OSError as exc:
        raise unreadable(path, exc) from exc


def read_file_fast(
    path: Path,
    fmt: str | None = None,
    *,
    max_text_chars: int | None = None,
    notes: FileNotes | None = None,
) -> Iterator[FastItem]:
    """:func:`read_file`, except that in a ``v2`` JSONL file each line holding one plainly valid
    tweet comes as a :class:`~streams.parse.TweetRecord` (validated without building a model,
    already encoded; about half the cost of model + serialization). The same lines, tweets
    and rejects as :func:`read_file` (tests/unit/test_replay_fast.py)."""
    name = get_format(fmt or detect_format(path)).name
    if name != "v2":
        yield from read_file(path, name, max_text_chars=max_text_chars, notes=notes)
        return
    try:
        yield from _read_v2(path, max_text_chars, fast=True, notes=notes)
    except OSError as exc:
        raise unreadable(path, exc) from exc


def formats_help() -> Sequence[str]:
    return [f"{f.name}: {f.summary}" for f in FORMATS.values()]
