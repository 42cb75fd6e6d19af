"""An organic tweet's ad score survives the real count script (stored as given, and re-encoded
when a record is re-cited to an earlier retweet) and the views read it back. Invented tweets."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import redis
import redis.asyncio as aioredis

from streams.keys import Keys
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Reference, Tweet
from streams.settings import Settings
from streams.store import RedisStore
from streams.views import read_window
from streams.windows import window_by_id

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251107
WID = "20251107"
TEXT = "Our retrieval augmented generation pipeline now answers questions over the whole wiki"


def item(tweet_id: str, likes: int, score: float, text: str, *, rt: bool = False) -> EnrichedTweet:
    tweet = Tweet(
        id=tweet_id,
        text=f"RT @rag_researcher: {text}" if rt else text,
        created_at=T0,
        lang="en",
        author=Author(id=f"id-{tweet_id}", username=f"user{tweet_id}"),
        metrics=Metrics(like_count=likes, retweet_count=10),
        references=(Reference(type="retweeted"),) if rt else (),  # original id unknown
    )
    verdict = AdVerdict(score=score, is_ad=False, reasons=("promo_phrase",) if score else ())
    return EnrichedTweet(tweet=tweet, ad=verdict, topics=("rag_search",))


def test_the_ad_score_round_trips_through_the_count_script(
    settings: Settings, rdb: redis.Redis
) -> None:
    batches = [
        [item("9001", 50, 0.0, TEXT), item("9002", 40, 0.35, TEXT + " and the reranker")],
        # later batches: the earlier retweet 9101 takes the entry over from 9102 and the record
        # kept is still 9102's (more engagement), its score re-encoded by cjson under 9101
        [item("9102", 300, 0.3, "Buy the RAG course today", rt=True)],
        [item("9101", 200, 0.0, "Buy the RAG course today", rt=True)],
    ]

    async def run() -> None:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            store = RedisStore(client, settings)
            for batch in batches:
                await store.apply(batch)
        finally:
            await client.aclose()

    asyncio.run(run())
    agg = read_window(rdb, Keys(settings.key_prefix), window_by_id(WID, settings.zone))
    scores = {r.id: r.ad_score for r in agg.top_tweets["rag_search"]}
    assert scores == {"9001": 0.0, "9002": 0.35, "9101": 0.3}
