"""Rows for the count script (``count_batch.lua``), from enriched tweets (pure).

Two sources give identical rows: typed :class:`~streams.model.EnrichedTweet` objects, and the
JSON of a ``tweets.enriched`` record decoded with orjson. The count agent uses the second —
re-validating every enriched tweet with pydantic cost more than everything else it does.

A retweet stands for its ORIGINAL in the window's top tweets: its public metrics are the
original's counts, so its record (``rec``) credits the original author (the ``RT @name:``
prefix) with the original text (prefix removed), and all retweets of one original share one
top-set entry. The row says which: ``o`` (the original's id, when the tweet's ``retweeted``
reference carries it: X API v2 ``referenced_tweets``) or ``k`` (``rt:`` + a short hash of the
original author and text, when the id is unknown — the count script then lets the earliest
(smallest id) retweet of it stand for all of them, so a citation is always a real tweet id).
``i`` stays the tweet's own id for the exactly-once seen-set: every retweet is still counted.

The report's hot words count each term once per VOICE (``v``: :func:`voice_key`, a hash of the
start of the text a tweet spreads), so the retweets and copies of one text weigh as one tweet;
the volume counts (``:terms``, the burst detector) still count every tweet. The top tweets are
ranked by the engagement gained in the window (:func:`window_engagement`, which the count
script computes per original).

A tweet whose id is lossy (``Tweet.id_lossy``: read from a float, its last digits invented) is
counted under that id as read; its row has ``l: 1`` and a record citing it has ``"l": 1``, so
the report names the author instead of linking a wrong tweet. Both keys are written only when
true: rows and records of normal ids are byte-identical to what they were before. A record
citing a retweet that stands for an original of unknown id carries that retweet's flag (the
script re-cites it when an earlier retweet takes over).

An organic tweet's record carries its ad score (``"s"``, two decimals, written only when
non-zero): the counts keep a borderline tweet, but the report quotes only tweets below
``TWEETPULSE_QUOTE_MAX_AD_SCORE`` (:attr:`streams.aggregates.TweetRecord.ad_score`).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from streams.model import EnrichedTweet
from streams.windows import Window, window_for

Row = dict[str, Any]
"""One tweet for the script: i, a, m, h, ad, r, t, x, e, rec, for a retweet o or k, l for a
lossy id, and v for an organic tweet with terms (see count_batch.lua)."""

VOICE_CHARS = 80
"""Characters of a text (casefolded, spacing collapsed) its voice key hashes: a retweet Twitter
cut to 140 characters keeps at least this much of the original (``RT @name: `` is at most 19
characters), so the original, its retweets and its copies share one key."""

_RT_PREFIX = re.compile(r"^RT @([A-Za-z0-9_]{1,15}):[ \t]?")


@dataclass(frozen=True, slots=True)
class Original:
    """What a retweet stands for in the top tweets: the original tweet, as far as known."""

    author: str  # username from the ``RT @name:`` prefix, '' when the text has none
    text: str  # the retweet's text without the prefix (Twitter may have cut it with …)
    id: str | None  # from the ``retweeted`` reference, None when unknown

    @property
    def key(self) -> str:
        """The top-set key when the id is unknown: ``rt:`` + 16 hex digits of a hash of the
        author (case-insensitive) and the text (spacing ignored)."""
        raw = f"{self.author.casefold()}\n{' '.join(self.text.split())}".encode()
        return "rt:" + hashlib.blake2b(raw, digest_size=8).hexdigest()


def split_retweet(text: str) -> tuple[str, str] | None:
    """``(original author, original text)`` of a ``RT @name: text`` retweet, else None."""
    match = _RT_PREFIX.match(text)
    if match is None:
        return None
    return match.group(1), text[match.end() :]


def original_of(text: str, retweeted_id: str | None, is_retweet: bool) -> Original | None:
    """The original a tweet retweets (None for a tweet that is not a retweet).

    ``retweeted_id`` is the id of its ``retweeted`` reference (None when absent or unknown);
    ``is_retweet`` says whether it has such a reference at all. A retweet whose text lacks the
    ``RT @name:`` prefix keeps its text and an unknown author.
    """
    split = split_retweet(text)
    if split is None and not is_retweet:
        return None
    author, body = split if split is not None else ("", text)
    if not body.strip():  # "RT @name:" and nothing else: keep the text as it is
        body = text
    return Original(author=author, text=body, id=retweeted_id or None)


def voice_key(text: str, tweet_id: str) -> str:
    """The voice a text is: 16 hex digits of a hash of its first :data:`VOICE_CHARS` characters,
    casefolded, spacing collapsed, a trailing ``…`` (Twitter's cut) removed; ``tweet_id`` when
    nothing is left (an empty text is no voice shared with anyone)."""
    norm = " ".join(text.casefold().split()).rstrip("…").rstrip()[:VOICE_CHARS]
    if not norm:
        return tweet_id
    return "v" + hashlib.blake2b(norm.encode(), digest_size=8).hexdigest()


def window_engagement(high: int, low: int, own: bool, retweets: int) -> int:
    """Engagement an original gained in the window, the top sets' score (``count_batch.lua``
    computes the same per original): ``high`` and ``low`` are the highest and lowest engagement
    its tweets carried, ``own`` whether the original itself was counted (posted in the window:
    all of its engagement is the window's), ``retweets`` how many retweets of it were counted
    (each weighs 2 in the engagement formula, at least what the window surely saw)."""
    gained = high - (0 if own else low)
    return max(gained, 2 * retweets)


def _engagement(metrics: Mapping[str, Any]) -> int:
    get = metrics.get
    return int(
        (get("like_count") or 0)
        + 2 * (get("retweet_count") or 0)
        + 2 * (get("quote_count") or 0)
        + (get("reply_count") or 0)
    )


def _row(
    tweet_id: str,
    author_key: str,
    author_name: str,
    created_at: datetime,
    text: str,
    lang: str | None,
    engagement: int,
    is_ad: bool,
    reasons: list[str],
    topics: list[str],
    terms: list[str],
    original: Original | None = None,
    lossy: bool = False,
    ad_score: float = 0.0,
) -> Row:
    ts = int(created_at.timestamp())
    rec = ""
    cited, quoted, credited, cited_lossy = tweet_id, text, author_name, lossy
    if original is not None:
        if original.id:  # the reference's id, not the one read from a float
            cited, cited_lossy = original.id, False
        quoted, credited = original.text, original.author
    if topics and not is_ad:  # only organic, tagged tweets can be quoted in the report
        record: dict[str, Any] = {
            "id": cited,
            "src": tweet_id,  # the tweet the record came from (count_batch.lua: ties)
            "text": quoted,
            "created_at": created_at.isoformat(),
            "author": credited,
            "engagement": engagement,
            "lang": lang,
            "topics": topics,
        }
        if cited_lossy:  # only when true: a normal id's record is unchanged
            record["l"] = 1
        score = round(ad_score, 2)
        if score > 0:  # an organic tweet's ad score (the quote bar), only when non-zero
            record["s"] = score
        rec = orjson.dumps(record).decode()
    row: Row = {
        "i": tweet_id,
        "a": author_key,
        "m": str(ts // 60 * 60),
        "h": str(ts // 3600 * 3600),
        "ad": 1 if is_ad else 0,
        "r": reasons,
        "t": topics,
        "x": terms,
        "e": engagement,
        "rec": rec,
    }
    if original is not None:  # absent, never null: a JSON null is truthy in the Lua script
        if original.id:
            row["o"] = original.id
        else:
            row["k"] = original.key
    if lossy:  # absent unless true, as above
        row["l"] = 1
    if terms and not is_ad:  # the script counts an organic tweet's terms once per voice
        row["v"] = voice_key(quoted, tweet_id)
    return row


def row_of(item: EnrichedTweet) -> tuple[datetime, Row]:
    tw = item.tweet
    retweeted = [r for r in tw.references if r.type == "retweeted"]
    return tw.created_at, _row(
        tw.id,
        tw.author.id or tw.author.username or "",
        tw.author.username or "",
        tw.created_at,
        tw.text,
        tw.lang,
        tw.metrics.engagement,
        item.ad.is_ad,
        list(item.ad.reasons),
        list(item.topics),
        list(item.terms),
        original_of(tw.text, retweeted[0].id if retweeted else None, bool(retweeted)),
        tw.id_lossy,
        item.ad.score,
    )


def row_from_json(obj: Mapping[str, Any]) -> tuple[datetime, Row]:
    """The row of one enriched tweet as ``EnrichedTweet.model_dump_json`` wrote it."""
    tw = obj["tweet"]
    author = tw.get("author") or {}
    ad = obj.get("ad") or {}
    created_at = datetime.fromisoformat(tw["created_at"])
    retweeted = [r for r in tw.get("references") or () if r.get("type") == "retweeted"]
    return created_at, _row(
        tw["id"],
        author.get("id") or author.get("username") or "",
        author.get("username") or "",
        created_at,
        tw["text"],
        tw.get("lang"),
        _engagement(tw.get("metrics") or {}),
        bool(ad.get("is_ad")),
        list(ad.get("reasons") or ()),
        list(obj.get("topics") or ()),
        list(obj.get("terms") or ()),
        original_of(tw["text"], retweeted[0].get("id") if retweeted else None, bool(retweeted)),
        tw.get("id_lossy") is True,
        float(ad.get("score") or 0.0),
    )


def group_by_window(
    rows: Iterable[tuple[datetime, Row]], zone: ZoneInfo, start_hour: int
) -> dict[Window, list[Row]]:
    """Rows per day window (a batch straddles midnight now and then)."""
    groups: dict[Window, list[Row]] = defaultdict(list)
    last_hour: int | None = None
    window: Window | None = None
    for created_at, row in rows:
        hour = int(row["h"])
        if hour != last_hour or window is None:  # windows start on the hour: reuse per hour
            window = window_for(created_at, zone, start_hour)
            last_hour = hour
        groups[window].append(row)
    return groups


def encode_rows(rows: list[Row]) -> bytes:
    return orjson.dumps(rows)
