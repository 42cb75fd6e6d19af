"""Replay into the real Kafka: read the topics back and compare ids; resume; the CLI."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import orjson
import pytest
from kafka import KafkaConsumer

from producers.formats import read_file
from producers.kafka_sink import BatchingProducer
from producers.replay import ReplayOptions, replay
from streams.model import Tweet
from streams.parse import Reject, parse_raw_record
from streams.settings import Settings
from tests.shared_data import require
from tweetpulse.cli import main

pytestmark = pytest.mark.integration


def consume(settings: Settings, name: str, timeout: float = 30.0) -> Iterator[bytes]:
    consumer = KafkaConsumer(
        settings.topic(name),
        bootstrap_servers=settings.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    deadline = time.monotonic() + timeout
    idle = 0
    try:
        while time.monotonic() < deadline and idle < 3:  # 3 empty polls: the topic is drained
            got = consumer.poll(timeout_ms=1000)
            idle = 0 if got else idle + 1
            for batch in got.values():
                for record in batch:
                    yield record.value
    finally:
        consumer.close()


def raw_contents(settings: Settings) -> tuple[list[str], list[datetime]]:
    ids: list[str] = []
    watermarks: list[datetime] = []
    for value in consume(settings, "tweets.raw"):
        parsed = parse_raw_record(value, max_text_chars=settings.max_text_chars)
        assert parsed.rejects == []
        ids += [t.id for t in parsed.tweets]
        if parsed.watermark is not None:
            watermarks.append(parsed.watermark)
    return ids, watermarks


def test_replay_a_real_csv_and_bad_rows_into_kafka(settings: Settings, tmp_path: Path) -> None:
    corpus = require("corpora/a_ai_tweets/chatgpt_tweets_2023-04-27_rtweet_40min.csv")
    broken = tmp_path / "broken.csv"
    broken.write_text("Date,Tweet\n2023-04-27 17:00:00+00:00,fine\nnot a date,bad\n")
    expected = [t.id for _, t in read_file(corpus) if isinstance(t, Tweet)]
    expected.append(next(t.id for _, t in read_file(broken) if isinstance(t, Tweet)))
    with BatchingProducer(settings) as producer:
        stats = replay([corpus, broken], producer)
    assert (stats.tweets, stats.rejects) == (3001, 1)

    ids, watermarks = raw_contents(settings)
    assert sorted(ids) == sorted(expected)  # every tweet, once
    assert len(watermarks) == settings.partitions  # the closing watermark on every partition
    assert set(watermarks) == {stats.final_watermark}
    (dlq,) = [orjson.loads(v) for v in consume(settings, "tweets.dlq")]
    assert (dlq["error"], dlq["source"]) == ("invalid_timestamp", f"{broken}:3")


class InterruptedProducer:
    """A real BatchingProducer that gets Ctrl-C on its ``stop_at``-th tweet."""

    def __init__(self, producer: BatchingProducer, stop_at: int) -> None:
        self.producer = producer
        self.settings = producer.settings
        self.destination = producer.destination
        self.stop_at = stop_at
        self.added = 0

    def add(self, tweet: Tweet) -> None:
        if self.added + 1 == self.stop_at:
            raise KeyboardInterrupt
        self.producer.add(tweet)
        self.added += 1

    def send_dlq(self, reject: Reject, source: str) -> None:
        self.producer.send_dlq(reject, source)

    def send_watermark(self, ts: datetime) -> None:
        self.producer.send_watermark(ts)

    def flush(self, timeout: float | None = None) -> None:
        self.producer.flush(timeout)

    def close(self) -> None:
        self.producer.close()


def test_resume_after_ctrl_c_sends_every_tweet_exactly_once(
    settings: Settings, tmp_path: Path
) -> None:
    corpus = require("corpora/a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/Oceania.csv")
    options = ReplayOptions(checkpoint_dir=tmp_path / "cp", resume=True)
    with BatchingProducer(settings) as producer:
        with pytest.raises(KeyboardInterrupt):
            replay([corpus], InterruptedProducer(producer, stop_at=201), options=options)
    with BatchingProducer(settings) as producer:
        stats = replay([corpus], producer, options=options)
    assert (stats.tweets, stats.resumed) == (315 - 200, 200)
    ids, _ = raw_contents(settings)
    assert len(ids) == 315 and len(set(ids)) == 315


def test_cli_replays_the_weibo_corpus(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = require("corpora/c_chinese/weibo_posts_user_labelled_spam_2011-2017.jsonl")
    monkeypatch.setenv("TWEETPULSE_TOPIC_PREFIX", settings.topic_prefix)
    monkeypatch.setenv("TWEETPULSE_PARTITIONS", str(settings.partitions))
    monkeypatch.setenv("TWEETPULSE_HOME", str(tmp_path / "home"))
    code = main(["produce", "replay", str(corpus), "--bootstrap", settings.kafka_bootstrap,
                 "--since", "2017-01-01", "--no-close"])  # fmt: skip
    assert code == 0
    expected = [
        t.id
        for _, t in read_file(corpus)
        if isinstance(t, Tweet) and t.created_at >= datetime.fromisoformat("2016-12-31T16:00Z")
    ]
    ids, watermarks = raw_contents(settings)
    assert sorted(ids) == sorted(expected) and watermarks == []
    assert len(list(consume(settings, "tweets.dlq"))) == 288
