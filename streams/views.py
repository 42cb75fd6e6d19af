"""Read side of the Redis views: a window's aggregates for the summarizer and the CLI."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, cast

import orjson
import redis

from streams.aggregates import (
    BurstRecord,
    EarlierTerms,
    PreviousWindow,
    TweetRecord,
    WindowAggregates,
)
from streams.keys import ALL, Keys
from streams.windows import Window

BASELINE_DAYS = 7
"""Earlier day windows the hot words are compared with (their keys live
TWEETPULSE_WINDOW_STATE_TTL, 35 days by default: a week is there unless the TTL is set below it)."""
BASELINE_TERMS = 400
"""Terms read per earlier window (its most used; the count script keeps TWEETPULSE_TOP_TERMS, 500
by default): the window's own top terms are nearly always among them when they were used."""


def text(value: bytes | str) -> str:
    """A Redis reply as text (the clients here are created without decode_responses)."""
    return value.decode() if isinstance(value, bytes) else value


def _i(value: bytes | str | None) -> int:
    return int(value) if value is not None else 0


def topic_counts(client: redis.Redis, keys: Keys, window_id: str) -> dict[str, int]:
    raw = client.hgetall(keys.topics(window_id))
    return {text(k): int(v) for k, v in raw.items()}


def window_totals(client: redis.Redis, keys: Keys, window_id: str) -> tuple[int, int]:
    """(tweets, ads) counted in the window so far."""
    tot = client.hgetall(keys.totals(window_id))
    return _i(tot.get(b"total")), _i(tot.get(b"ads"))


def window_ends(client: redis.Redis, keys: Keys) -> dict[str, float]:
    """Every known window (open and closed) → its end, epoch seconds."""
    rows = cast(
        list[tuple[bytes, float]],
        client.zrange(keys.open_windows, 0, -1, withscores=True)
        + client.zrange(keys.closed_windows, 0, -1, withscores=True),
    )
    return {text(wid): float(end) for wid, end in rows}


def report_path(client: redis.Redis, keys: Keys, window_id: str) -> str | None:
    """Where the summarizer wrote the window's report, or None."""
    value = client.get(keys.report(window_id))
    return None if value is None else text(value)


def read_window(
    client: redis.Redis,
    keys: Keys,
    window: Window,
    *,
    top_n: int = 10,
    n_terms: int = 100,
    baseline_days: int = BASELINE_DAYS,
) -> WindowAggregates:
    """Everything the report needs about ``window``, in a handful of round trips.

    Top tweets carry the engagement gained in the window (their top-set score); the terms are
    counted once per voice (``:oterms``), or per tweet (``:terms``) in a window counted before
    voices were; so are those of the ``baseline_days`` earlier day windows
    (:func:`earlier_terms`) the hot words are ranked against."""
    wid = window.id
    topics = topic_counts(client, keys, wid)
    pipe = client.pipeline(transaction=False)
    pipe.hgetall(keys.totals(wid))
    pipe.hgetall(keys.ad_reasons(wid))
    pipe.pfcount(keys.authors(wid))
    pipe.zrevrange(keys.voice_terms(wid), 0, n_terms - 1, withscores=True)
    pipe.zrevrange(keys.terms(wid), 0, n_terms - 1, withscores=True)
    pipe.hgetall(keys.hours(wid, ALL))
    pipe.hlen(keys.minutes(wid, ALL))
    for topic in topics:
        pipe.zrevrange(keys.top(wid, topic), 0, top_n - 1, withscores=True)
    tot, reasons, authors, voice_terms, tweet_terms, hourly, minutes, *tops = pipe.execute()
    terms = voice_terms or tweet_terms

    top_ids = {
        topic: [(text(i), int(score)) for i, score in ids]
        for topic, ids in zip(topics, tops, strict=True)
    }
    wanted = sorted({i for ids in top_ids.values() for i, _ in ids})
    records: dict[str, TweetRecord] = {}
    if wanted:
        for raw in client.hmget(keys.tweets(wid), wanted):
            if raw is not None:
                rec = _record(raw)
                records[rec.id] = rec
    previous = window.start - timedelta(days=1)
    prev_id = f"{previous:%Y%m%d}"
    return WindowAggregates(
        window=window,
        total=_i(tot.get(b"total")),
        ads=_i(tot.get(b"ads")),
        ad_reasons={text(k): int(v) for k, v in reasons.items()},
        topics=dict(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))),
        unique_authors=int(authors),
        top_tweets={
            topic: [replace(records[i], window_engagement=n) for i, n in ids if i in records]
            for topic, ids in top_ids.items()
        },
        terms=[(text(t), float(s)) for t, s in terms],
        hourly={int(k): int(v) for k, v in hourly.items()},
        late=_i(tot.get(b"late")),
        previous_topics=topic_counts(client, keys, prev_id),
        bursts=burst_records(client, keys, wid),
        minutes_with_tweets=int(minutes),
        previous=previous_window(client, keys, prev_id),
        earlier_terms=earlier_terms(
            client,
            keys,
            [f"{window.start - timedelta(days=k):%Y%m%d}" for k in range(1, baseline_days + 1)],
        ),
    )


def earlier_terms(
    client: redis.Redis, keys: Keys, window_ids: list[str], n_terms: int = BASELINE_TERMS
) -> list[EarlierTerms]:
    """The most used terms of each of ``window_ids`` (in their order; one pipeline), by voice
    (``:oterms``, else ``:terms`` as :func:`read_window`), with its organic tweets; a window
    without organic tweets or terms (nothing counted, or its keys expired) is left out."""
    pipe = client.pipeline(transaction=False)
    for wid in window_ids:
        pipe.hgetall(keys.totals(wid))
        pipe.zrevrange(keys.voice_terms(wid), 0, n_terms - 1, withscores=True)
        pipe.zrevrange(keys.terms(wid), 0, n_terms - 1, withscores=True)
    replies = pipe.execute()
    out = []
    for k, wid in enumerate(window_ids):
        tot, voice_terms, tweet_terms = replies[3 * k : 3 * k + 3]
        terms = [(text(t), float(n)) for t, n in voice_terms or tweet_terms]
        organic = _i(tot.get(b"total")) - _i(tot.get(b"ads"))
        if organic > 0 and terms:
            out.append(EarlierTerms(wid, organic, terms, cut=len(terms) >= n_terms))
    return out


def previous_window(client: redis.Redis, keys: Keys, window_id: str) -> PreviousWindow | None:
    """The organic tweets and hourly volume of the window the report compares with (None
    when nothing was counted in it, or its keys expired)."""
    pipe = client.pipeline(transaction=False)
    pipe.hgetall(keys.totals(window_id))
    pipe.hgetall(keys.hours(window_id, ALL))
    tot, hourly = pipe.execute()
    total = _i(tot.get(b"total"))
    if not total:
        return None
    hours = {int(k): int(v) for k, v in hourly.items()}
    return PreviousWindow(organic=total - _i(tot.get(b"ads")), hourly=hours)


def burst_records(client: redis.Redis, keys: Keys, window_id: str) -> list[BurstRecord]:
    """The window's bursts (kept by the worker's burst timer), each open paired with its close."""
    bursts: dict[tuple[str, str, str], dict[str, Any]] = {}
    events = [orjson.loads(v) for v in client.hvals(keys.burst_events(window_id))]
    for ev in sorted(events, key=lambda e: (e["at"], e["event"] == "open")):
        b = bursts.setdefault((ev["kind"], ev["name"], ev["opened_at"]), {"closed_at": None})
        b["peak_z"] = max(float(ev["peak_z"]), b.get("peak_z", 0.0))
        if ev["event"] == "open":
            b["rate"], b["baseline"] = float(ev["rate"]), float(ev["baseline"])
        else:
            b["closed_at"] = datetime.fromisoformat(ev["at"])
    out = [
        BurstRecord(
            kind=kind,
            name=name,
            opened_at=datetime.fromisoformat(opened),
            closed_at=b["closed_at"],
            peak_z=b["peak_z"],
            rate=b["rate"],
            baseline=b["baseline"],
        )
        for (kind, name, opened), b in bursts.items()
        if "rate" in b  # the open event was capped away: skip the lone close
    ]
    return sorted(out, key=lambda r: (r.opened_at, r.kind, r.name))


def _record(raw: bytes | str) -> TweetRecord:
    d = orjson.loads(raw)
    return TweetRecord(
        id=d["id"],
        text=d["text"],
        created_at=datetime.fromisoformat(d["created_at"]),
        author=d.get("author") or "",
        engagement=int(d.get("engagement") or 0),
        lang=d.get("lang"),
        topics=tuple(d.get("topics") or ()),
        lossy_id=d.get("l") == 1,  # count_batch.lua: written only for a lossy id
        ad_score=float(d.get("s") or 0.0),  # streams.counting: written only when non-zero
    )
