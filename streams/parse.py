"""Input parsing: Kafka record bytes and X API v2 JSON → normalized tweets (pure; orjson only).

Accepted shapes, told apart by their keys:

* batch record ``{"v": 1, "tweets": [Tweet, ...], "watermark": "..."}`` (what our producers
  write to ``tweets.raw``); each element is validated on its own, so one bad tweet never
  rejects its neighbours;
* a bare normalized :class:`~streams.model.Tweet` object (a foreign producer);
* an X API v2 stream message or response (``{"data": {...} | [...], "includes": {...}}``).

Nothing here raises on bad input: every problem becomes a :class:`Reject` with a stable short
``reason`` code (see :data:`REASONS`), a ``detail`` naming the field, and an ``excerpt`` of the
offending element, so the caller can send it to the dead-letter topic and carry on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final, NamedTuple

import orjson
from pydantic import TypeAdapter, ValidationError

from streams.model import SCHEMA_VERSION, AwareDatetime, RawBatch, Tweet

EXCERPT_MAX_CHARS: Final = 2000

REASONS: Final = frozenset(
    {
        "invalid_utf8",  # record bytes are not UTF-8
        "invalid_json",  # not parseable JSON
        "not_an_object",  # JSON, but not an object (record, batch element or v2 data item)
        "unknown_record",  # a JSON object of no known shape
        "unsupported_version",  # batch record with a "v" this code does not understand
        "missing_id",
        "missing_text",  # absent, null or empty
        "missing_created_at",
        "naive_timestamp",  # a timestamp without Z or an offset
        "invalid_timestamp",  # not a parseable timestamp
        "invalid_id",  # not a string of 1-20 digits
        "text_too_long",  # len(text) > max_text_chars
        "invalid_tweet",  # any other validation error; detail names the field
    }
)


@dataclass(frozen=True, slots=True)
class Reject:
    """One input that cannot be used: a reason code, what was wrong, and the bad input."""

    reason: str
    detail: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """What one Kafka record (or one file item) held."""

    tweets: list[Tweet]
    rejects: list[Reject]
    watermark: datetime | None = None


_DATETIME: Final = TypeAdapter(AwareDatetime)
_TS_PARSE_ERRORS: Final = frozenset(
    {
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_type",
        "datetime_object_invalid",
        "datetime_past",
        "datetime_future",
    }
)


def excerpt_of(value: object) -> str:
    """``value`` as text (JSON for parsed values), cut to :data:`EXCERPT_MAX_CHARS`."""
    if isinstance(value, bytes):
        # a UTF-8 character is at most 4 bytes: decode only what can show
        text = value[: 4 * EXCERPT_MAX_CHARS].decode("utf-8", errors="backslashreplace")
    elif isinstance(value, str):
        text = value
    else:
        try:
            text = orjson.dumps(value).decode()
        except TypeError:
            text = repr(value)
    return text[:EXCERPT_MAX_CHARS]


# --- rejects from validation errors ---------------------------------------------------------


def _field_path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc) or "record"


def _reject_from_validation(exc: ValidationError, element: object, prefix: str = "") -> Reject:
    """Map the first pydantic error of a Tweet validation to a reason code."""
    err = exc.errors(include_url=False)[0]
    loc = err["loc"]
    kind = err["type"]
    where = _field_path(loc)
    msg = err["msg"]
    head = loc[0] if loc else ""
    reason = "invalid_tweet"
    if head == "id" and len(loc) == 1:
        reason = "missing_id" if kind == "missing" else "invalid_id"
    elif head == "text" and len(loc) == 1:
        reason = "missing_text" if kind in ("missing", "string_too_short") else "invalid_tweet"
    elif head == "created_at" and len(loc) == 1:
        if kind == "missing":
            reason = "missing_created_at"
        elif kind == "value_error" and "no timezone" in msg:
            reason = "naive_timestamp"
        elif kind in _TS_PARSE_ERRORS:
            reason = "invalid_timestamp"
    got = excerpt_of(err.get("input"))[:80]
    detail = f"{prefix}{where}: {msg}"
    if kind != "missing":
        detail += f" (got {got})"
    return Reject(reason, detail, excerpt_of(element))


_NULL_REASONS: Final = {
    "id": "missing_id",
    "text": "missing_text",
    "created_at": "missing_created_at",
}


def _precheck(obj: Mapping[str, Any], max_text_chars: int | None, where: str) -> Reject | None:
    for key, reason in _NULL_REASONS.items():
        if obj.get(key) is None:
            return Reject(reason, f"{where}{key} is missing or null", excerpt_of(obj))
    text = obj["text"]
    if max_text_chars is not None and isinstance(text, str) and len(text) > max_text_chars:
        return Reject(
            "text_too_long",
            f"{where}text has {len(text)} characters, more than max_text_chars={max_text_chars}",
            excerpt_of(obj),
        )
    return None


def validate_tweet(
    obj: Mapping[str, Any], *, max_text_chars: int | None = None, where: str = ""
) -> Tweet | Reject:
    """Validate one normalized tweet object; ``where`` prefixes the detail (e.g. 'tweets[3].')."""
    bad = _precheck(obj, max_text_chars, where)
    if bad is not None:
        return bad
    try:
        return Tweet.model_validate(obj)
    except ValidationError as exc:
        return _reject_from_validation(exc, obj, where)


# --- X API v2 --------------------------------------------------------------------------------


def _as_dicts(value: object) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _entity_values(entities: object, kind: str, *keys: str) -> list[str]:
    """The first present string of ``keys`` for each entity of ``kind``, in order."""
    if not isinstance(entities, dict):
        return []
    out: list[str] = []
    for ent in _as_dicts(entities.get(kind)):
        for key in keys:
            value = ent.get(key)
            if isinstance(value, str) and value:
                out.append(value)
                break
    return out


def _author_from_v2(author_id: object, users: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    if author_id is None:
        return {}
    key = str(author_id)
    user = users.get(key)
    if user is None:
        return {"id": key}
    metrics = user.get("public_metrics")
    metrics = metrics if isinstance(metrics, dict) else {}
    author: dict[str, Any] = {
        "id": key,
        "username": user.get("username"),
        "name": user.get("name"),
        "verified": user.get("verified"),
        "created_at": user.get("created_at"),
        "followers_count": metrics.get("followers_count"),
        "following_count": metrics.get("following_count"),
        "tweet_count": metrics.get("tweet_count"),
    }
    return {k: v for k, v in author.items() if v is not None}


def _context_names(annotations: object) -> list[str]:
    names: dict[str, None] = {}
    for ann in _as_dicts(annotations):
        domain, entity = ann.get("domain"), ann.get("entity")
        if isinstance(domain, dict) and isinstance(entity, dict):
            d_name, e_name = domain.get("name"), entity.get("name")
            if isinstance(d_name, str) and isinstance(e_name, str):
                names[f"{d_name}/{e_name}"] = None
    return list(names)


LOSSY_V2_KEY: Final = "id_is_lossy_float"
"""Key of a v2 tweet object (not X's: corpora converted from CSV add it) saying its id was
read from a float; the tweet then carries ``id_lossy``."""


def tweet_dict_from_v2(
    data: Mapping[str, Any], users: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """Reshape one v2 tweet object (plus its expanded users) into the Tweet's field layout.

    ``note_tweet`` (the full text of a long post) wins over the 280-char ``text``;
    ``"id_is_lossy_float": true`` becomes ``id_lossy``.
    """
    raw_id = data.get("id")
    text = data.get("text")
    entities = data.get("entities")
    note = data.get("note_tweet")
    if isinstance(note, dict) and isinstance(note.get("text"), str):
        text = note["text"]
        entities = note.get("entities", entities)
    refs = data.get("referenced_tweets")
    if refs is None:
        refs = data.get("referenced_tweets_inferred")
    out: dict[str, Any] = {
        # v2 sends ids as strings; tolerate JSON integers (the derived replay files).
        "id": str(raw_id) if isinstance(raw_id, int) and not isinstance(raw_id, bool) else raw_id,
        "text": text,
        "created_at": data.get("created_at"),
        "lang": data.get("lang"),
        "source": data.get("source"),
        "author": _author_from_v2(data.get("author_id"), users),
        "hashtags": _entity_values(entities, "hashtags", "tag"),
        "cashtags": _entity_values(entities, "cashtags", "tag"),
        "mentions": _entity_values(entities, "mentions", "username"),
        "urls": _entity_values(entities, "urls", "expanded_url", "url"),
        "references": _as_dicts(refs),
        "context_annotations": _context_names(data.get("context_annotations")),
    }
    metrics = data.get("public_metrics")
    if isinstance(metrics, dict):
        # null counts (seen in derived corpora) mean "unknown": the Metrics default 0.
        out["metrics"] = {k: v for k, v in metrics.items() if v is not None}
    if data.get(LOSSY_V2_KEY) is True:  # a corpus converted from CSV: the id went through a float
        out["id_lossy"] = True
    return out


# Sub-objects whose bad fields are dropped rather than rejecting the tweet: a profile date or
# a counter the X API (or a converted corpus) got wrong does not make the post itself unusable.
_LENIENT_PARTS: Final = frozenset({"author", "metrics"})


def _validate_v2(
    shaped: dict[str, Any], *, max_text_chars: int | None, where: str
) -> Tweet | Reject:
    """Validate a reshaped v2 tweet, dropping bad author/metrics fields instead of rejecting."""
    bad = _precheck(shaped, max_text_chars, where)
    if bad is not None:
        return bad
    for _ in range(2):
        try:
            return Tweet.model_validate(shaped)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            strict = [e for e in errors if not _drop_lenient_field(shaped, e["loc"])]
            if strict:
                return _reject_from_validation(exc, shaped, where)
    return Reject("invalid_tweet", f"{where}record: cannot be validated", excerpt_of(shaped))


def _drop_lenient_field(shaped: dict[str, Any], loc: Sequence[int | str]) -> bool:
    if len(loc) < 2 or loc[0] not in _LENIENT_PARTS:
        return False
    part = shaped.get(str(loc[0]))
    if not isinstance(part, dict):
        return False
    part.pop(str(loc[1]), None)
    return True


def tweets_from_v2(
    obj: Mapping[str, Any], *, max_text_chars: int | None = None
) -> tuple[list[Tweet], list[Reject]]:
    """Tweets of an X API v2 stream message or response; bad items become rejects.

    ``data`` may be one object or a list; ``includes.users`` is joined on ``author_id``.
    ``includes.tweets`` (referenced tweets) are context, not emitted. A response without
    ``data`` (no results) yields nothing; an error-only message (``errors`` and no ``data``)
    yields one ``unknown_record`` reject so it is visible in the dead-letter topic.
    """
    tweets: list[Tweet] = []
    rejects: list[Reject] = []
    data = obj.get("data")
    if data is None:
        errors = obj.get("errors")
        if errors:
            rejects.append(
                Reject("unknown_record", "X API message with errors and no data", excerpt_of(obj))
            )
        return tweets, rejects
    includes = obj.get("includes")
    users: dict[str, dict[str, Any]] = {}
    if isinstance(includes, dict):
        for user in _as_dicts(includes.get("users")):
            if user.get("id") is not None:
                users[str(user["id"])] = user
    items: list[Any] = data if isinstance(data, list) else [data]
    many = isinstance(data, list)
    for index, item in enumerate(items):
        where = f"data[{index}]." if many else "data."
        if not isinstance(item, dict):
            rejects.append(
                Reject(
                    "not_an_object",
                    f"{where[:-1]} is a JSON {_json_type(item)}, not an object",
                    excerpt_of(item),
                )
            )
            continue
        checked = _validate_v2(
            tweet_dict_from_v2(item, users), max_text_chars=max_text_chars, where=where
        )
        if isinstance(checked, Reject):
            # The excerpt shows the v2 item as received, not our reshaped dict.
            checked = Reject(checked.reason, checked.detail, excerpt_of(item))
            rejects.append(checked)
        else:
            tweets.append(checked)
    return tweets, rejects


# --- records ---------------------------------------------------------------------------------


def _json_type(value: object) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "boolean"
        case int() | float():
            return "number"
        case str():
            return "string"
        case list():
            return "array"
        case dict():
            return "object"
    return type(value).__name__


def _parse_watermark(value: object) -> datetime | Reject:
    try:
        return _DATETIME.validate_python(value)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        naive = err["type"] == "value_error" and "no timezone" in err["msg"]
        return Reject(
            "naive_timestamp" if naive else "invalid_timestamp",
            f"watermark: {err['msg']} (got {excerpt_of(value)[:80]})",
            excerpt_of(value),
        )


def _parse_batch(
    obj: Mapping[str, Any], max_text_chars: int | None, whole: str | None = None
) -> ParsedRecord:
    version = obj.get("v", SCHEMA_VERSION)
    if type(version) is not int or version != SCHEMA_VERSION:
        return ParsedRecord(
            [],
            [
                Reject(
                    "unsupported_version",
                    f"batch record v={excerpt_of(version)[:40]}; this code reads "
                    f"v={SCHEMA_VERSION}",
                    whole or excerpt_of(obj),
                )
            ],
        )
    rejects: list[Reject] = []
    watermark: datetime | None = None
    if obj.get("watermark") is not None:
        parsed = _parse_watermark(obj["watermark"])
        if isinstance(parsed, Reject):
            rejects.append(parsed)
        else:
            watermark = parsed
    elements = obj.get("tweets", [])
    if not isinstance(elements, list):
        rejects.append(
            Reject(
                "unknown_record",
                f"batch record 'tweets' is a JSON {_json_type(elements)}, not an array",
                whole or excerpt_of(obj),
            )
        )
        return ParsedRecord([], rejects, watermark)
    tweets: list[Tweet] = []
    for index, element in enumerate(elements):
        if not isinstance(element, dict):
            rejects.append(
                Reject(
                    "not_an_object",
                    f"tweets[{index}] is a JSON {_json_type(element)}, not an object",
                    excerpt_of(element),
                )
            )
            continue
        checked = validate_tweet(element, max_text_chars=max_text_chars, where=f"tweets[{index}].")
        if isinstance(checked, Reject):
            rejects.append(checked)
        else:
            tweets.append(checked)
    return ParsedRecord(tweets, rejects, watermark)


_TWEET_KEYS: Final = ("id", "text", "created_at")


def parse_object(
    value: object, *, max_text_chars: int | None = None, raw: bytes | None = None
) -> ParsedRecord:
    """Parse one already-decoded JSON value of any accepted shape (see the module docstring).

    ``raw`` is the value as received; a reject of the whole record quotes it as the excerpt.
    """
    whole = excerpt_of(raw) if raw is not None else None
    if not isinstance(value, dict):
        reject = Reject(
            "not_an_object", f"record is a JSON {_json_type(value)}", whole or excerpt_of(value)
        )
        return ParsedRecord([], [reject])
    if "v" in value or "tweets" in value:
        return _parse_batch(value, max_text_chars, whole)
    if "data" in value or "errors" in value or "meta" in value:
        tweets, rejects = tweets_from_v2(value, max_text_chars=max_text_chars)
        if whole is not None and "data" not in value:
            rejects = [Reject(r.reason, r.detail, whole) for r in rejects]
        return ParsedRecord(tweets, rejects)
    if any(key in value for key in _TWEET_KEYS):
        checked = validate_tweet(value, max_text_chars=max_text_chars)
        if isinstance(checked, Reject):
            if whole is not None:
                checked = Reject(checked.reason, checked.detail, whole)
            return ParsedRecord([], [checked])
        return ParsedRecord([checked], [])
    keys = ", ".join(sorted(value)[:8]) or "none"
    detail = f"object is neither a batch record, a tweet nor an X API v2 message (keys: {keys})"
    return ParsedRecord([], [Reject("unknown_record", detail, whole or excerpt_of(value))])


def decode_json(value: bytes) -> Any | Reject:
    """``orjson.loads`` that returns an ``invalid_utf8``/``invalid_json`` reject on failure."""
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError as exc:
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as uexc:
            return Reject("invalid_utf8", f"byte {uexc.start}: {uexc.reason}", excerpt_of(value))
        return Reject("invalid_json", str(exc), excerpt_of(value))


# What encode_raw_batch writes first; such records take the fast path below.
_OWN_BATCH_PREFIX: Final = b'{"v":1,'


def _parse_own_batch(value: bytes, max_text_chars: int) -> ParsedRecord | None:
    """All-or-nothing validation of a whole batch in pydantic-core (about 1.7x faster than
    element by element); None when anything is off, and the caller takes the careful path."""
    try:
        batch = RawBatch.model_validate_json(value)
    except ValidationError:
        return None
    if batch.v != SCHEMA_VERSION or any(len(t.text) > max_text_chars for t in batch.tweets):
        return None
    return ParsedRecord(batch.tweets, [], batch.watermark)


def parse_raw_record(value: bytes, *, max_text_chars: int) -> ParsedRecord:
    """Parse one ``tweets.raw`` record value; never raises on bad input."""
    if value.startswith(_OWN_BATCH_PREFIX):
        fast = _parse_own_batch(value, max_text_chars)
        if fast is not None:
            return fast
    decoded = decode_json(value)
    if isinstance(decoded, Reject):
        return ParsedRecord([], [decoded])
    return parse_object(decoded, max_text_chars=max_text_chars, raw=value)


# --- encoding --------------------------------------------------------------------------------


def tweet_to_dict(tweet: Tweet) -> dict[str, Any]:
    """The tweet as JSON-ready data without defaults or nulls (small records)."""
    return tweet.model_dump(mode="json", exclude_defaults=True, exclude_none=True)


def encode_raw_batch(tweets: Iterable[Tweet], watermark: datetime | None = None) -> bytes:
    """One ``tweets.raw`` batch record; round-trips through :func:`parse_raw_record`.

    A record with no tweets and a watermark is a producer's "nothing older follows" marker.
    """
    record: dict[str, Any] = {"v": SCHEMA_VERSION, "tweets": [tweet_to_dict(t) for t in tweets]}
    if watermark is not None:
        record["watermark"] = _DATETIME.validate_python(watermark)
    return orjson.dumps(record, option=orjson.OPT_UTC_Z)


# --- the fast path of a replay -----------------------------------------------------------------
#
# Validating a Tweet model costs ~20 µs on a slow machine, most of it building three models
# and calling two Python validators; a replay then serializes the model again. For the common,
# clean case, :func:`fast_record` checks in plain Python exactly what Tweet validation checks
# and writes the JSON the model would write (``tweet_json``: no defaults, no nulls). It accepts
# only a subset of what the model accepts: anything unusual (a float count, a timestamp in
# another form, a null author, a bad field, too long a text) returns None and the caller takes
# the full path, which then decides the reject and its reason code. tests/unit/test_replay_fast.py
# proves both on every real corpus tweet and line, on generated tweets and on every reject.


class TweetRecord(NamedTuple):
    """A tweet validated by :func:`fast_record`: its id, UTC event time and normalized JSON
    (``Tweet.model_validate_json(json)`` is the Tweet the full path would have built).
    A named tuple: made once per replayed tweet, ~3x cheaper than a frozen dataclass."""

    id: str
    created_at: datetime
    json: bytes

    def to_tweet(self) -> Tweet:
        return Tweet.model_validate_json(self.json)


# What speedate (pydantic) and datetime.fromisoformat both read to the same instant.
_FAST_TS: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])\Z"
)
_FAST_TS_MATCH: Final = _FAST_TS.match
_AUTHOR_TYPES: Final[tuple[tuple[str, type], ...]] = (
    ("id", str),
    ("username", str),
    ("name", str),
    ("verified", bool),
    ("created_at", datetime),
    ("followers_count", int),
    ("following_count", int),
    ("tweet_count", int),
)
_METRIC_KEYS: Final = (
    "retweet_count",
    "reply_count",
    "like_count",
    "quote_count",
    "impression_count",
)
_STR_LISTS: Final = ("hashtags", "cashtags", "mentions", "urls")
_REF_TYPES: Final = frozenset({"retweeted", "quoted", "replied_to"})
_MISSING: Final = object()


class _Unusual(Exception):
    """Raised inside the fast path: leave this one to pydantic."""


def _fast_ts(value: object) -> datetime:
    if type(value) is not str or _FAST_TS_MATCH(value) is None:
        raise _Unusual
    try:
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Unusual from None


@lru_cache(maxsize=4096)
def _cached_ts(value: str) -> datetime | None:
    try:
        return _fast_ts(value)
    except _Unusual:
        return None


def _fast_profile_ts(value: object) -> datetime:
    """An author's created_at (repeats with the author: cached)."""
    if type(value) is not str:
        raise _Unusual
    parsed = _cached_ts(value)
    if parsed is None:
        raise _Unusual
    return parsed


def _fast_opt_str(value: object) -> str | None:
    if value is None or type(value) is str:
        return value
    raise _Unusual


def _fast_str_list(value: object) -> list[str]:
    if type(value) is not list and type(value) is not tuple:
        raise _Unusual
    for item in value:
        if type(item) is not str:
            raise _Unusual
    return list(value)


def _fast_author(value: object) -> dict[str, Any]:
    if type(value) is not dict:
        raise _Unusual
    out: dict[str, Any] = {}
    get = value.get
    for key, kind in _AUTHOR_TYPES:  # Author's field order
        item = get(key)
        if item is not None:
            if kind is datetime:
                item = _fast_profile_ts(item)
            elif type(item) is not kind:
                raise _Unusual
            out[key] = item
    return out


def _fast_metrics(value: object) -> dict[str, int]:
    if type(value) is not dict:
        raise _Unusual
    out: dict[str, int] = {}
    for key in _METRIC_KEYS:
        item = value.get(key, 0)
        if type(item) is not int:
            raise _Unusual
        if item != 0:
            out[key] = item
    return out


def _fast_references(value: object) -> list[dict[str, str]]:
    if type(value) is not list and type(value) is not tuple:
        raise _Unusual
    out: list[dict[str, str]] = []
    for ref in value:
        if type(ref) is not dict or ref.get("type") not in _REF_TYPES:
            raise _Unusual
        ref_id = ref.get("id")
        if ref_id is None:
            out.append({"type": ref["type"]})
        elif type(ref_id) is str:
            out.append({"type": ref["type"], "id": ref_id})
        else:
            raise _Unusual
    return out


def _fast_fields(obj: Mapping[str, Any], max_text_chars: int | None) -> TweetRecord:
    tweet_id = obj.get("id")
    if type(tweet_id) is not str or not (
        0 < len(tweet_id) <= 20 and tweet_id.isascii() and tweet_id.isdigit()
    ):
        raise _Unusual
    text = obj.get("text")
    if type(text) is not str or not text:
        raise _Unusual
    if max_text_chars is not None and len(text) > max_text_chars:
        raise _Unusual
    created = _fast_ts(obj.get("created_at"))
    # the keys in Tweet's field order, as the model would write them
    out: dict[str, Any] = {"id": tweet_id, "text": text, "created_at": created}
    lang = _fast_opt_str(obj.get("lang"))
    if lang is not None:
        out["lang"] = lang
    author = obj.get("author", _MISSING)
    if author is not _MISSING:
        shaped = _fast_author(author)
        if shaped:
            out["author"] = shaped
    source = _fast_opt_str(obj.get("source"))
    if source is not None:
        out["source"] = source
    metrics = obj.get("metrics", _MISSING)
    if metrics is not _MISSING:
        counts = _fast_metrics(metrics)
        if counts:
            out["metrics"] = counts
    for key in _STR_LISTS:
        items = obj.get(key, _MISSING)
        if items is not _MISSING:
            values = _fast_str_list(items)
            if values:
                out[key] = values
    refs = obj.get("references", _MISSING)
    if refs is not _MISSING:
        shaped_refs = _fast_references(refs)
        if shaped_refs:
            out["references"] = shaped_refs
    names = obj.get("context_annotations", _MISSING)
    if names is not _MISSING:
        values = _fast_str_list(names)
        if values:
            out["context_annotations"] = values
    lossy = obj.get("id_lossy", _MISSING)
    if lossy is not _MISSING:
        if type(lossy) is not bool:  # null too: the model rejects it
            raise _Unusual
        if lossy:  # written only when true, as the model's dump without defaults
            out["id_lossy"] = True
    try:
        encoded = orjson.dumps(out, option=orjson.OPT_UTC_Z)
    except TypeError:  # e.g. a lone surrogate in a string
        raise _Unusual from None
    return TweetRecord(tweet_id, created, encoded)


def fast_tweet(obj: Mapping[str, Any], *, max_text_chars: int | None = None) -> TweetRecord | None:
    """``obj`` (a normalized tweet object) as a :class:`TweetRecord` when it is plainly valid;
    None when :func:`validate_tweet` must decide (it may still accept it)."""
    try:
        return _fast_fields(obj, max_text_chars)
    except _Unusual:
        return None


def _fast_v2(obj: Mapping[str, Any], max_text_chars: int | None) -> TweetRecord | None:
    data = obj.get("data")
    if type(data) is not dict:
        return None  # a list of tweets, an error-only message: the full path
    users: dict[str, dict[str, Any]] = {}
    includes = obj.get("includes")
    if isinstance(includes, dict):
        for user in _as_dicts(includes.get("users")):
            if user.get("id") is not None:
                users[str(user["id"])] = user
    return fast_tweet(tweet_dict_from_v2(data, users), max_text_chars=max_text_chars)


def fast_record(value: object, *, max_text_chars: int | None = None) -> TweetRecord | None:
    """The one tweet of a decoded JSON value that :func:`parse_object` would classify as a bare
    tweet or an X API v2 message with one ``data`` object, via the fast path; None (take
    :func:`parse_object`) for anything else: batch records, lists, unusual or bad tweets."""
    if type(value) is not dict:
        return None
    if "v" in value or "tweets" in value:
        return None
    if "data" in value or "errors" in value or "meta" in value:
        return _fast_v2(value, max_text_chars)
    if "id" in value or "text" in value or "created_at" in value:  # _TWEET_KEYS, unrolled
        return fast_tweet(value, max_text_chars=max_text_chars)
    return None
