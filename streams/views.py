"""Read side of the Redis views: a window's aggregates for the summarizer and the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson
import redis

from streams.aggregates import TweetRecord, WindowAggregates
from streams.keys import ALL, Keys
from streams.windows import Window


def _i(value: bytes | None) -> int:
    return int(value) if value is not None else 0


def topic_counts(client: redis.Redis, keys: Keys, window_id: str) -> dict[str, int]:
    raw = client.hgetall(keys.topics(window_id))
    return {k.decode(): int(v) for k, v in raw.items()}


def read_window(
    client: redis.Redis, keys: Keys, window: Window, *, top_n: int = 10, n_terms: int = 100
) -> WindowAggregates:
    """Everything the report needs about ``window``, in a handful of round trips."""
    wid = window.id
    topics = topic_counts(client, keys, wid)
    pipe = client.pipeline(transaction=False)
    pipe.hgetall(keys.totals(wid))
    pipe.hgetall(keys.ad_reasons(wid))
    pipe.pfcount(keys.authors(wid))
    pipe.zrevrange(keys.terms(wid), 0, n_terms - 1, withscores=True)
    pipe.hgetall(keys.hours(wid, ALL))
    for topic in topics:
        pipe.zrevrange(keys.top(wid, topic), 0, top_n - 1)
    tot, reasons, authors, terms, hourly, *tops = pipe.execute()

    top_ids = {topic: [i.decode() for i in ids] for topic, ids in zip(topics, tops, strict=True)}
    wanted = sorted({i for ids in top_ids.values() for i in ids})
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
        ad_reasons={k.decode(): int(v) for k, v in reasons.items()},
        topics=dict(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))),
        unique_authors=int(authors),
        top_tweets={
            topic: [records[i] for i in ids if i in records] for topic, ids in top_ids.items()
        },
        terms=[(t.decode(), float(s)) for t, s in terms],
        hourly={int(k): int(v) for k, v in hourly.items()},
        late=_i(tot.get(b"late")),
        previous_topics=topic_counts(client, keys, prev_id),
    )


def _record(raw: bytes) -> TweetRecord:
    d = orjson.loads(raw)
    return TweetRecord(
        id=d["id"],
        text=d["text"],
        created_at=datetime.fromisoformat(d["created_at"]),
        author=d.get("author") or "",
        engagement=int(d.get("engagement") or 0),
        lang=d.get("lang"),
        topics=tuple(d.get("topics") or ()),
    )
