"""Malformed input lands in tweets.dlq with a reason; the worker keeps counting valid tweets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import redis

from streams.keys import Keys
from streams.settings import Settings
from streams.topics import DLQ, RAW
from streams.windows import window_for

from .conftest import Worker, raw_producer, read_topic, wait_until

CREATED = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)


def tweet(i: int, **over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": str(1_900_000_000_000_000_000 + i),
        "text": f"Testing a new RAG pipeline with long context, run {i}",
        "created_at": (CREATED + timedelta(seconds=i)).isoformat(),
        "author": {"id": str(1000 + i), "username": f"user{i}"},
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def batch(*tweets: dict[str, object]) -> bytes:
    return orjson.dumps({"v": 1, "tweets": list(tweets)})


BAD_RECORDS: list[tuple[bytes, str]] = [
    (b'{"v": 1, "tweets": [', "invalid_json"),
    (b"\xff\xfe not utf-8 \xc3\x28", "invalid_utf8"),
    (batch(tweet(101, id=None)), "missing_id"),
    (batch(tweet(102, text=None)), "missing_text"),
    (batch(tweet(103, created_at=None)), "missing_created_at"),
    (batch(tweet(104, created_at="2025-11-07T04:00:00")), "naive_timestamp"),
    (batch(tweet(105, created_at="2025-13-45T99:00:00Z")), "invalid_timestamp"),
    (batch(tweet(106, text="x" * 1_000_000)), "text_too_long"),
]


def test_malformed_input_goes_to_dlq_and_valid_tweets_are_counted(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    keys = Keys(settings.key_prefix)
    wid = window_for(CREATED, settings.zone, settings.window_start_hour).id
    producer = raw_producer(settings)
    worker.start()
    good = [tweet(i) for i in range(20)]
    topic = settings.topic(RAW)
    producer.send(topic, batch(*good[:10]))
    for value, _reason in BAD_RECORDS:
        producer.send(topic, value)
    # one bad tweet inside a batch must not take its neighbours with it
    producer.send(topic, batch(*good[10:15], tweet(107, created_at="not a date"), *good[15:]))
    producer.flush()
    producer.close()

    def counted() -> int:
        return int(rdb.hget(keys.totals(wid), "total") or 0)

    wait_until(lambda: counted() == len(good), 120, "the 20 valid tweets to be counted", worker)
    dlq = [orjson.loads(v) for v in read_topic(settings, DLQ, expect=len(BAD_RECORDS) + 1)]
    reasons = sorted(d["error"] for d in dlq)
    assert reasons == sorted([r for _, r in BAD_RECORDS] + ["invalid_timestamp"])
    for d in dlq:
        assert d["source"].startswith(f"{topic}/")
        assert d["time"].endswith(("Z", "+00:00"))
        assert len(d["excerpt"]) <= 2000
    assert worker.alive(), "the worker keeps running after bad input"
    # and it still counts what comes next
    producer = raw_producer(settings)
    producer.send(topic, batch(tweet(200)))
    producer.flush()
    producer.close()
    wait_until(lambda: counted() == len(good) + 1, 60, "a tweet sent after the bad input", worker)
