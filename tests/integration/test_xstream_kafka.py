"""The X filtered stream into the real Kafka: every valid tweet lands once, garbage in the DLQ."""

from __future__ import annotations

import json

import orjson
import pytest
from pydantic import SecretStr

from producers.kafka_sink import BatchingProducer
from producers.xstream import XStream
from streams.settings import Settings
from tests.integration.test_replay_kafka import consume, raw_contents
from tests.unit.test_xstream import STALL, TOKEN, XApiServer, messy_script, sample_messages

pytestmark = pytest.mark.integration


def test_x_stream_into_kafka_through_every_failure(settings: Settings) -> None:
    messages = sample_messages()
    sleeps: list[float] = []
    with XApiServer(messy_script(messages)) as server:
        live = settings.model_copy(
            update={
                "x_bearer_token": SecretStr(TOKEN),
                "x_api_url": server.url,
                "x_stall_seconds": STALL,
            }
        )
        with BatchingProducer(live) as producer:
            stream = XStream(live, producer, sleep=sleeps.append, wall=lambda: 1000.0)
            try:
                stats = stream.run(max_tweets=len(messages), max_attempts=10)
            finally:
                stream.close()
    assert sleeps == [0.25, 5.0, 42.0, 0.25]
    ids, watermarks = raw_contents(settings)
    assert sorted(ids) == sorted(json.loads(m)["data"]["id"] for m in messages)
    assert watermarks == []
    dlq = [orjson.loads(v) for v in consume(settings, "tweets.dlq")]
    assert sorted(d["error"] for d in dlq) == ["invalid_json", "missing_text", "unknown_record"]
    assert all(d["source"].startswith("x-stream:2:") for d in dlq)
    assert stats.tweets == len(messages)
