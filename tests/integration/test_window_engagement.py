"""The report's counting contract on the real Redis (count_batch.lua): the top sets rank by the
engagement an original gained IN the window, the hot words count each voice once, exactly once
per tweet id, in any counting order, and the in-memory store computes the same numbers."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime
from typing import Any, cast

import orjson
import redis
import redis.asyncio as aioredis

from producers.formats import read_file
from producers.synthetic import generate_day
from streams.ads import AdClassifier
from streams.counting import Row, row_of
from streams.enrich import Enricher, RecentIds
from streams.keys import Keys
from streams.memstore import MemoryStore
from streams.model import Tweet
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import Tagger, load_taxonomy
from streams.views import read_window
from streams.windows import window_by_id
from tests.shared_data import require
from tests.unit.test_window_engagement import window_tweet

from .conftest import count_batches

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251107
WID = "20251107"
REAL_DAY = "corpora/a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl"
VIRAL = "Ten prompts that changed how I write code with language models, a thread for builders"
FRESH = "Our open model tops the coding benchmark today, weights are on the hub for everyone"


def _rows(tweets: list[Tweet]) -> list[tuple[datetime, Row]]:
    enricher = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds(capacity=1))
    return [row_of(item) for item in enricher.enrich(tweets)[0]]


def _apply(
    settings: Settings, batches: list[list[tuple[datetime, Row]]], mem: MemoryStore | None = None
) -> MemoryStore:
    """Count the batches with the script and with the in-memory store (``mem``, or a new one):
    both say the same of every batch."""

    async def run(mem: MemoryStore) -> MemoryStore:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            red = RedisStore(client, settings)
            for batch in batches:
                assert await mem.apply_rows(batch) == await red.apply_rows(batch)
            return mem
        finally:
            await client.aclose()

    return asyncio.run(run(mem or MemoryStore(settings)))


def _zset(rdb: redis.Redis, key: str) -> list[tuple[bytes, float]]:
    return cast(list[tuple[bytes, float]], rdb.zrange(key, 0, -1, withscores=True))


def _quoted(record: bytes | None) -> object:
    """What a ``:tw`` field says in the report: a record's id, author, text and lossy flag
    (which tweet of an original capped out of its top sets and back supplied it may differ),
    or the id a ``rt:`` field holds."""
    if record is None or not record.startswith(b"{"):
        return record
    d = orjson.loads(record)
    return d["id"], d["author"], d["text"], d.get("l")


def _dump(rdb: redis.Redis, settings: Settings) -> dict[str, Any]:
    """The window keys the ranking and the hot words rest on, prefix removed: the top sets, the
    originals, both term sets, the voice pairs, and the records of the top members."""
    prefix = settings.key_prefix
    out: dict[str, Any] = {}
    members: dict[str, set[bytes]] = {}
    for raw in rdb.scan_iter(match=f"{prefix}*", count=1000):
        key = raw.decode()
        name = key[len(prefix) :]
        if ":top:" in key:
            out[name] = rdb.zrange(key, 0, -1, withscores=True)
            base = key[: key.index(":top:")]
            members.setdefault(base, set()).update(m for m, _ in _zset(rdb, key))
        elif key.endswith((":orig", ":oterms", ":terms")):
            out[name] = rdb.hgetall(key) if key.endswith(":orig") else rdb.zrange(key, 0, -1)
        elif key.endswith(":vterms"):
            out[name] = rdb.smembers(key)
    for base, ids in members.items():
        tws = f"{base}:tw"
        keyed = cast(list[bytes], rdb.hkeys(tws))
        fields = sorted(ids) + sorted(k for k in keyed if k.startswith(b"rt:"))
        records = zip(fields, cast(list[bytes | None], rdb.hmget(tws, fields)), strict=True)
        out[tws[len(prefix) :]] = {f: _quoted(r) for f, r in records}
    return out


def test_the_script_and_the_memory_store_rank_and_count_alike(
    settings: Settings, rdb: redis.Redis
) -> None:
    cap = 5  # small: most originals are capped out of a top set at some point
    s = settings.model_copy(update={"top_tweets_per_topic": cap})
    tweets, truth = generate_day(date(2025, 11, 7), 3000, 9, s.zone)
    rows = _rows(tweets)
    mem = _apply(s, [rows[i : i + 97] for i in range(0, len(rows), 97)])
    keys, wid = Keys(s.key_prefix), truth.window_id
    before = _dump(rdb, s)
    _apply(s, [rows[:500]], mem)  # a replayed batch changes nothing
    assert _dump(rdb, s) == before
    w = mem.windows[wid]
    assert rdb.hlen(keys.originals(wid)) == len(w.originals) > 0
    oterms = {t.decode(): int(n) for t, n in _zset(rdb, keys.voice_terms(wid))}
    assert oterms == dict(w.voice_terms)
    assert sum(oterms.values()) < sum(w.terms.values())  # retweets of one text count once
    for topic in w.topics:
        ranked = sorted(mem.top_scores(wid, topic).items(), key=lambda ms: (ms[1], ms[0]))
        expected = [(m.encode(), float(n)) for m, n in reversed(ranked[-cap:])]
        assert rdb.zrevrange(keys.top(wid, topic), 0, -1, withscores=True) == expected, topic


def test_real_retweets_give_the_same_views_in_any_counting_order(
    settings: Settings, rdb: redis.Redis
) -> None:
    """A real sampled day (retweets of unknown originals: the `k` path, lossy ids) counted in
    three orders and batchings, with a small cap, gives the same top sets, scores, records and
    hot words."""
    tweets = [t for _, t in read_file(require(REAL_DAY)) if isinstance(t, Tweet)]
    day = [t for t in tweets if t.created_at.date() in (date(2023, 4, 5), date(2023, 4, 6))]
    # lossy ids collide: two tweets read as one id count once, the first one counted; keep
    # one tweet per id, so every order counts the same tweets
    rows = list({row["i"]: (at, row) for at, row in _rows(day)}.values())
    seen = []
    for n, (seed, size) in enumerate([(None, 101), (1, 37), (2, 500)]):
        ordered = list(rows)
        if seed is not None:
            random.Random(seed).shuffle(ordered)
        s = settings.model_copy(
            update={
                "key_prefix": f"{settings.key_prefix}{n}:",
                "top_tweets_per_topic": 4,
                "top_terms": 10_000,  # no trimming of the term sets: compare them whole
            }
        )
        _apply(s, [ordered[i : i + size] for i in range(0, len(ordered), size)])
        seen.append(_dump(rdb, s))
    assert seen[0] and seen[0] == seen[1] == seen[2]


def test_an_old_viral_retweet_ranks_below_the_windows_own_stories(settings: Settings) -> None:
    viral = window_tweet("500", VIRAL, 15_000, retweet_of="")  # once today: its lifetime counts
    spread = [window_tweet(str(600 + n), FRESH, 120, retweet_of="", minute=n) for n in range(12)]
    own = window_tweet("700", "Retrieval augmented generation notes from today's meetup", 9)
    agg = count_batches(settings, WID, [viral, *spread[:6]], [own, *spread[6:]], spread[:3])
    assert agg.total == 14  # every tweet counted once, the replayed ones not again
    top = agg.top_tweets["rag_search"]
    assert [(r.id, r.score, r.engagement) for r in top] == [
        ("600", 24, 120),  # 12 retweets today: 2 each (its counts did not move)
        ("700", 9, 9),  # posted today: all of its engagement is the window's
        ("500", 2, 15_000),  # retweeted once today: a retweet's worth, not its lifetime
    ]


def test_hot_words_count_a_17_times_retweeted_tweet_once(
    settings: Settings, rdb: redis.Redis
) -> None:
    keys = Keys(settings.key_prefix)
    text = "I built a DIY voice agent on a Raspberry Pi with retrieval over my notes #diy #rag"
    retweets = [window_tweet(str(800 + n), text, 40, retweet_of="", minute=n) for n in range(17)]
    others = [
        window_tweet(str(900 + n), f"Notes on #rag, part {n}, from the meetup", 3)
        for n in (1, 2, 3)
    ]
    rows = _rows([*retweets, *others])
    assert all(row["x"] for _, row in rows[:17])
    _apply(settings, [rows[:9], rows[9:], rows[:4]])
    window = window_by_id(WID, settings.zone)
    agg = read_window(rdb, keys, window)
    hot = dict(agg.terms)
    assert hot["#diy"] == 1 and hot["#rag"] == 4  # 17 retweets of one text are one voice
    assert rdb.zscore(keys.terms(WID), "#diy") == 17  # the volume still counts every tweet
    # a window counted before voices existed: the report falls back to the tweet counts
    rdb.delete(keys.voice_terms(WID))
    assert dict(read_window(rdb, keys, window).terms)["#diy"] == 17
