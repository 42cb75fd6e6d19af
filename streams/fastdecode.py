"""Typed decoding of the two common replay line shapes straight into a :class:`TweetRecord`.

A replayed JSONL line is almost always one of two shapes: an X API v2 message with one ``data``
tweet (its author in ``includes.users``) or a normalized tweet (what ``--to-file`` writes).
:func:`streams.parse.fast_record` validates either in plain Python after ``orjson.loads``, but
walking the generic dicts costs ~3x the JSON decoding itself. Here msgspec decodes the line
into typed structs in C — the type checks happen during decoding — and Python only reshapes.

The contract is the fast path's: :func:`typed_record` returns the record that
``fast_record(orjson.loads(line))`` would return, byte for byte, or None. Anything it is not
sure of (a type other than the common one, a field it does not model — ``note_tweet`` —, a
batch record, an error message) returns None and the caller takes the generic path, which then
decides; tests/unit/test_fastdecode.py checks this on every real corpus line.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Final

import msgspec
import orjson
from msgspec import UNSET, Struct, UnsetType
from msgspec.structs import astuple

from streams.parse import (
    _FAST_TS,
    _METRIC_KEYS,
    _REF_TYPES,
    TweetRecord,
    _fast_profile_ts,
    _fast_ts,
    _Unusual,
)

__all__ = ["event_times", "line_event_time", "typed_record"]


# --- X API v2 message ---------------------------------------------------------------------------


class _Tag(Struct):
    tag: str | None = None


class _Mention(Struct):
    username: str | None = None


class _Url(Struct):
    expanded_url: str | None = None
    url: str | None = None


class _Entities(Struct):
    hashtags: list[_Tag] | None = None
    cashtags: list[_Tag] | None = None
    mentions: list[_Mention] | None = None
    urls: list[_Url] | None = None


class _Counts(Struct):
    # in streams.parse._METRIC_KEYS order (read with astuple); null means "unknown": 0
    retweet_count: int | None = None
    reply_count: int | None = None
    like_count: int | None = None
    quote_count: int | None = None
    impression_count: int | None = None


class _Ref(Struct):
    type: str
    id: str | None = None


class _Named(Struct):
    name: str


class _Annotation(Struct):
    domain: _Named
    entity: _Named


class _V2Data(Struct):
    id: str
    text: str
    created_at: str
    author_id: str | None = None
    lang: str | None = None
    source: str | None = None
    public_metrics: _Counts | None = None
    entities: _Entities | None = None
    referenced_tweets: list[_Ref] | None = None
    referenced_tweets_inferred: list[_Ref] | None = None
    context_annotations: list[_Annotation] | None = None
    note_tweet: Any = None  # the long-post text: the generic path handles it
    id_is_lossy_float: bool | None = None  # streams.parse.LOSSY_V2_KEY: the id went via a float


class _UserCounts(Struct):
    followers_count: int | None = None
    following_count: int | None = None
    tweet_count: int | None = None


class _V2User(Struct):
    id: str
    username: str | None = None
    name: str | None = None
    verified: bool | None = None
    created_at: str | None = None
    public_metrics: _UserCounts | None = None


class _Includes(Struct):
    users: list[_V2User] | None = None


class _V2Message(Struct):
    data: _V2Data
    includes: _Includes | None = None
    # present in a batch record: not a v2 message, the generic path classifies it
    v: Any | UnsetType = UNSET
    tweets: Any | UnsetType = UNSET


# --- normalized tweet -------------------------------------------------------------------------


class _NormAuthor(Struct):
    id: str | None = None
    username: str | None = None
    name: str | None = None
    verified: bool | None = None
    created_at: str | None = None
    followers_count: int | None = None
    following_count: int | None = None
    tweet_count: int | None = None


class _NormMetrics(Struct):  # in streams.parse._METRIC_KEYS order (read with astuple)
    retweet_count: int = 0
    reply_count: int = 0
    like_count: int = 0
    quote_count: int = 0
    impression_count: int = 0


class _Normalized(Struct):
    id: str
    text: str
    created_at: str
    lang: str | None = None
    author: _NormAuthor | UnsetType = UNSET
    source: str | None = None
    metrics: _NormMetrics | UnsetType = UNSET
    hashtags: list[str] | UnsetType = UNSET
    cashtags: list[str] | UnsetType = UNSET
    mentions: list[str] | UnsetType = UNSET
    urls: list[str] | UnsetType = UNSET
    references: list[_Ref] | UnsetType = UNSET
    context_annotations: list[str] | UnsetType = UNSET
    id_lossy: bool | UnsetType = UNSET
    # keys of other shapes: such a line is left to the generic path
    v: Any | UnsetType = UNSET
    tweets: Any | UnsetType = UNSET
    data: Any | UnsetType = UNSET
    errors: Any | UnsetType = UNSET
    meta: Any | UnsetType = UNSET


_V2_DECODER: Final = msgspec.json.Decoder(_V2Message)
_NORM_DECODER: Final = msgspec.json.Decoder(_Normalized)


# --- event time only (the replay's order scan) --------------------------------------------------


class _TimedData(Struct):
    created_at: str


class _TimedV2(Struct):
    data: _TimedData
    # a key of another shape (a batch record) fails the decoding: the line is not one tweet
    v: UnsetType = UNSET
    tweets: UnsetType = UNSET


class _TimedNormalized(Struct):
    created_at: str
    v: UnsetType = UNSET
    tweets: UnsetType = UNSET
    data: UnsetType = UNSET


_TIMED_V2: Final = msgspec.json.Decoder(_TimedV2)
_TIMED_NORM: Final = msgspec.json.Decoder(_TimedNormalized)
_TIMED_V2_LIST: Final = msgspec.json.Decoder(list[_TimedV2])
_TIMED_NORM_LIST: Final = msgspec.json.Decoder(list[_TimedNormalized])
# streams.parse._FAST_TS for many timestamps joined by newlines (one regex run for all)
_ONE_TS: Final = _FAST_TS.pattern.removesuffix(r"\Z")
_FAST_TS_LINES: Final = re.compile(f"(?:{_ONE_TS}\\n)*")
_fromisoformat: Final = datetime.fromisoformat


def event_times(lines: list[bytes]) -> list[datetime] | None:
    """:func:`line_event_time` of every line, or None unless every line has one — in one
    decoding call and C loops (~1/8 of :func:`typed_record` per line)."""
    joined = b"[" + b",".join(lines) + b"]"
    try:
        if lines and lines[0].startswith(b'{"data"'):
            texts = [m.data.created_at for m in _TIMED_V2_LIST.decode(joined)]
        else:
            texts = [t.created_at for t in _TIMED_NORM_LIST.decode(joined)]
    except (msgspec.ValidationError, msgspec.DecodeError):
        return None
    if _FAST_TS_LINES.fullmatch("\n".join(texts) + "\n") is None:
        return None
    try:
        return list(map(_fromisoformat, texts))
    except ValueError:  # e.g. February 30th
        return None


def line_event_time(line: bytes) -> datetime | None:
    """The event time of the one tweet a stripped JSONL line holds — a v2 message whose
    ``data`` is one tweet, or a normalized tweet — as the replay parses it; None for any other
    line (a batch record, a ``data`` list, an unusual timestamp, not JSON...).

    Only ``created_at`` is built, the rest is skipped in C. A line that yields a tweet at all
    yields it with this time (the parsers read the same field with the same rules,
    :func:`streams.parse._fast_ts`); a line that turns out to be a reject only adds a time.
    """
    try:
        if line.startswith(b'{"data"'):
            return _fast_ts(_TIMED_V2.decode(line).data.created_at)
        return _fast_ts(_TIMED_NORM.decode(line).created_at)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, _Unusual):
        return None


def typed_record(line: bytes, *, max_text_chars: int | None = None) -> TweetRecord | None:
    """The :class:`TweetRecord` of one stripped JSONL line holding a v2 message with one tweet
    or a normalized tweet; None when the generic path must decide (it may still accept it)."""
    try:
        if line.startswith(b'{"data"'):
            return _from_v2(_V2_DECODER.decode(line), max_text_chars)
        return _from_normalized(_NORM_DECODER.decode(line), max_text_chars)
    except (msgspec.ValidationError, msgspec.DecodeError, UnicodeDecodeError, _Unusual):
        return None


def _check_id_text(tweet_id: str, text: str, max_text_chars: int | None) -> None:
    if not (0 < len(tweet_id) <= 20 and tweet_id.isascii() and tweet_id.isdigit()):
        raise _Unusual
    if not text or (max_text_chars is not None and len(text) > max_text_chars):
        raise _Unusual


def _refs(refs: list[_Ref] | None) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for ref in refs or ():
        if ref.type not in _REF_TYPES:
            raise _Unusual
        out.append({"type": ref.type} if ref.id is None else {"type": ref.type, "id": ref.id})
    return out


def _author(
    author_id: str | None,
    username: str | None,
    name: str | None,
    verified: bool | None,
    created_at: str | None,
    counts: _UserCounts | _NormAuthor | None,
) -> dict[str, Any]:
    # Author's field order; only what is present
    out: dict[str, Any] = {}
    if author_id is not None:
        out["id"] = author_id
    if username is not None:
        out["username"] = username
    if name is not None:
        out["name"] = name
    if verified is not None:
        out["verified"] = verified
    if created_at is not None:
        out["created_at"] = _fast_profile_ts(created_at)
    if counts is not None:
        if counts.followers_count is not None:
            out["followers_count"] = counts.followers_count
        if counts.following_count is not None:
            out["following_count"] = counts.following_count
        if counts.tweet_count is not None:
            out["tweet_count"] = counts.tweet_count
    return out


def _encode(out: dict[str, Any], tweet_id: str, created: Any) -> TweetRecord:
    try:
        encoded = orjson.dumps(out, option=orjson.OPT_UTC_Z)
    except TypeError:  # e.g. a lone surrogate in a string
        raise _Unusual from None
    return TweetRecord(tweet_id, created, encoded)


def _from_v2(msg: _V2Message, max_text_chars: int | None) -> TweetRecord | None:
    data = msg.data
    if msg.v is not UNSET or msg.tweets is not UNSET or data.note_tweet is not None:
        return None
    _check_id_text(data.id, data.text, max_text_chars)
    created = _fast_ts(data.created_at)
    out: dict[str, Any] = {"id": data.id, "text": data.text, "created_at": created}
    if data.lang is not None:
        out["lang"] = data.lang
    author_id = data.author_id
    if author_id is not None:
        user = None
        if msg.includes is not None and msg.includes.users:
            for candidate in msg.includes.users:
                if candidate.id == author_id:
                    user = candidate  # the last one wins, as in a dict keyed by id
        if user is None:
            out["author"] = {"id": author_id}
        else:
            out["author"] = _author(
                author_id,
                user.username,
                user.name,
                user.verified,
                user.created_at,
                user.public_metrics,
            )
    if data.source is not None:
        out["source"] = data.source
    counts = data.public_metrics
    if counts is not None:
        shaped = {k: v for k, v in zip(_METRIC_KEYS, astuple(counts), strict=True) if v}
        if shaped:
            out["metrics"] = shaped
    entities = data.entities
    if entities is not None:
        # each entity's first non-empty string, in order (streams.parse._entity_values)
        if entities.hashtags and (tags := [t.tag for t in entities.hashtags if t.tag]):
            out["hashtags"] = tags
        if entities.cashtags and (tags := [t.tag for t in entities.cashtags if t.tag]):
            out["cashtags"] = tags
        if entities.mentions and (names := [m.username for m in entities.mentions if m.username]):
            out["mentions"] = names
        if entities.urls and (urls := [v for u in entities.urls if (v := u.expanded_url or u.url)]):
            out["urls"] = urls
    refs = data.referenced_tweets
    if refs is None:
        refs = data.referenced_tweets_inferred
    if refs:
        shaped_refs = _refs(refs)
        if shaped_refs:
            out["references"] = shaped_refs
    if data.context_annotations:
        unique = {f"{a.domain.name}/{a.entity.name}": None for a in data.context_annotations}
        out["context_annotations"] = list(unique)
    if data.id_is_lossy_float is True:
        out["id_lossy"] = True
    return _encode(out, data.id, created)


def _from_normalized(tw: _Normalized, max_text_chars: int | None) -> TweetRecord | None:
    if not (
        tw.v is UNSET
        and tw.tweets is UNSET
        and tw.data is UNSET
        and tw.errors is UNSET
        and tw.meta is UNSET
    ):
        return None
    _check_id_text(tw.id, tw.text, max_text_chars)
    created = _fast_ts(tw.created_at)
    out: dict[str, Any] = {"id": tw.id, "text": tw.text, "created_at": created}
    if tw.lang is not None:
        out["lang"] = tw.lang
    author = tw.author
    if author is not UNSET:
        shaped = _author(
            author.id, author.username, author.name, author.verified, author.created_at, author
        )
        if shaped:
            out["author"] = shaped
    if tw.source is not None:
        out["source"] = tw.source
    metrics = tw.metrics
    if metrics is not UNSET:
        counts = {k: v for k, v in zip(_METRIC_KEYS, astuple(metrics), strict=True) if v}
        if counts:
            out["metrics"] = counts
    for key in ("hashtags", "cashtags", "mentions", "urls"):
        values = getattr(tw, key)
        if values is not UNSET and values:
            out[key] = values
    if tw.references is not UNSET:
        shaped_refs = _refs(tw.references)
        if shaped_refs:
            out["references"] = shaped_refs
    if tw.context_annotations is not UNSET and tw.context_annotations:
        out["context_annotations"] = tw.context_annotations
    if tw.id_lossy is True:
        out["id_lossy"] = True
    return _encode(out, tw.id, created)
