"""Rows for the count script (``count_batch.lua``), from enriched tweets (pure).

Two sources give identical rows: typed :class:`~streams.model.EnrichedTweet` objects, and the
JSON of a ``tweets.enriched`` record decoded with orjson. The count agent uses the second —
re-validating every enriched tweet with pydantic cost more than everything else it does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from streams.model import EnrichedTweet
from streams.windows import Window, window_for

Row = dict[str, Any]
"""One tweet for the script: i, a, m, h, ad, r, t, x, e, rec (see count_batch.lua)."""


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
) -> Row:
    ts = int(created_at.timestamp())
    rec = ""
    if topics and not is_ad:  # only organic, tagged tweets can be quoted in the report
        rec = orjson.dumps(
            {
                "id": tweet_id,
                "text": text,
                "created_at": created_at.isoformat(),
                "author": author_name,
                "engagement": engagement,
                "lang": lang,
                "topics": topics,
            }
        ).decode()
    return {
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


def row_of(item: EnrichedTweet) -> tuple[datetime, Row]:
    tw = item.tweet
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
    )


def row_from_json(obj: Mapping[str, Any]) -> tuple[datetime, Row]:
    """The row of one enriched tweet as ``EnrichedTweet.model_dump_json`` wrote it."""
    tw = obj["tweet"]
    author = tw.get("author") or {}
    ad = obj.get("ad") or {}
    created_at = datetime.fromisoformat(tw["created_at"])
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
