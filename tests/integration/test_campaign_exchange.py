"""Campaign evidence shared between workers through the real Redis stream."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import orjson
import pytest
import redis
import redis.asyncio as aioredis

from streams.campaign_exchange import CampaignExchange
from streams.campaigns import CampaignDetector, CampaignHit
from streams.keys import Keys
from streams.model import Author, Tweet
from streams.settings import Settings

T0 = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)
TEMPLATE = (
    "🚀 ${ticker} presale is LIVE! 100x potential, AI agent narrative. Claim your allocation "
    "now 👉 https://bit.ly/q{i}x #crypto #airdrop"
)


def post(i: int, account: str) -> Tweet:
    return Tweet(
        id=str(1000 + i),
        text=TEMPLATE.format(ticker=("ZEN", "MOON", "GPTX")[i % 3], i=i),
        created_at=T0 + timedelta(minutes=i),
        author=Author(id=account, username=account),
    )


async def _two_workers(
    settings: Settings, protocol: int
) -> tuple[list[CampaignHit | None], tuple[int, int]]:
    """Worker A sees three bots, then B sees two more: B's fifth account makes a campaign
    only with A's posts. Returns B's verdicts and A's last (sent, received)."""
    key = Keys(settings.key_prefix).campaign_exchange
    client = aioredis.Redis.from_url(settings.redis_url, protocol=protocol)
    try:
        a, b = CampaignDetector(min_accounts=5), CampaignDetector(min_accounts=5)
        ex_a = CampaignExchange(client, key, a, worker_id="a")
        ex_b = CampaignExchange(client, key, b, worker_id="b")
        # both start reading at the stream's end (an older run's posts never count)
        assert await ex_a.run_once() == (0, 0)
        assert await ex_b.run_once() == (0, 0)
        for i in range(3):
            a.observe(post(i, f"bot{i}"))
        assert await ex_a.run_once() == (3, 0)
        assert await ex_b.run_once() == (0, 3)
        hits = [b.observe(post(i, f"bot{i}")) for i in (3, 4)]
        assert await ex_b.run_once() == (2, 0)
        last_a = await ex_a.run_once()  # A gets B's two posts, never its own back
        return hits, last_a
    finally:
        await client.aclose()


@pytest.mark.parametrize("protocol", [2, 3])
def test_a_campaign_split_across_workers_is_found_through_the_stream(
    settings: Settings, rdb: redis.Redis, protocol: int
) -> None:
    key = Keys(settings.key_prefix).campaign_exchange
    # an earlier run's evidence in the stream: it must not count
    for i in range(10):
        rdb.xadd(key, {"w": "old", "p": orjson.dumps([[1, T0.timestamp(), f"old{i}"]])})
    hits, last_a = asyncio.run(_two_workers(settings, protocol))
    assert hits[0] is None  # four accounts
    assert hits[1] is not None and hits[1].accounts == 5
    assert last_a == (0, 2)


def test_a_malformed_entry_is_skipped(settings: Settings, rdb: redis.Redis) -> None:
    key = Keys(settings.key_prefix).campaign_exchange

    async def run() -> tuple[int, int]:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            det = CampaignDetector(min_accounts=2)
            exchange = CampaignExchange(client, key, det, worker_id="me")
            await exchange.run_once()
            rdb.xadd(key, {"w": "other", "p": b"not json"})
            rdb.xadd(key, {"w": "other", "p": orjson.dumps([[7, T0.timestamp(), "x"]])})
            result = await exchange.run_once()
            assert len(det) == 1
            return result
        finally:
            await client.aclose()

    assert asyncio.run(run()) == (0, 1)
