"""``make bench`` (producers): how fast tweets get into Kafka from one process, on this machine.

Not a test (nothing asserts a speed): numbers to compare between commits. Wall time and the
process CPU time per tweet (all threads: a fairer figure on a busy shared machine).

1. encode   — a 200-tweet batch record: streams.parse.encode_raw_batch vs kafka_sink.encode_batch
2. produce  — BatchingProducer (acks=all, idempotent) with synthetic Tweet objects, per codec
3. replay   — ``replay()`` end to end (read + parse + validate + produce) of a synthetic day
              written as normalized-tweet JSONL and as X API v2 envelopes (in generation
              order: slightly out of order, late tweets at the end; "in time order": sorted
              first), and of the real corpora that are present. v2 JSONL lines take the typed
              fast path (streams.fastdecode.typed_record, msgspec) and such files are streamed
              (producers.replay._streamed); the "(models)" rows force the full pydantic path
              (a sink without ``add_record``), the "(sorted whole)" rows the read-all-and-sort
              path, for comparison
Run with the local services up (``make bench`` starts them); ``--tweets`` sets the size.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import orjson

from producers.admin import delete_topics, ensure_topics
from producers.kafka_sink import BatchingProducer, encode_batch, kafka_client, tweet_json
from producers.replay import ReplayOptions, TweetSink, replay
from producers.synthetic import generate_day
from streams.model import Tweet
from streams.parse import encode_raw_batch
from streams.settings import Settings
from tests.shared_data import shared_dir

DAY = date(2025, 11, 7)
Row = tuple[str, int, float, float]  # name, tweets, wall seconds, cpu seconds


def timed(name: str, n: int, work: Callable[[], Any]) -> Row:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return name, n, time.perf_counter() - wall, time.process_time() - cpu


def bench_encode(tweets: Sequence[Tweet]) -> list[Row]:
    batches = [tweets[i : i + 200] for i in range(0, len(tweets), 200)]
    return [
        timed("encode parse.encode_raw_batch", len(tweets),
              lambda: [encode_raw_batch(b) for b in batches]),
        timed("encode kafka_sink.encode_batch", len(tweets),
              lambda: [encode_batch(b) for b in batches]),
    ]  # fmt: skip


def bench_produce(settings: Settings, tweets: Sequence[Tweet], codecs: Sequence[str]) -> list[Row]:
    rows = []
    for codec in codecs:
        producer = BatchingProducer(settings, client=kafka_client(settings, compression=codec))
        try:
            producer.add(tweets[0])
            producer.flush()  # connection + metadata outside the measurement

            def send(p: BatchingProducer = producer) -> None:
                for tweet in tweets:
                    p.add(tweet)
                p.flush()

            rows.append(timed(f"produce {codec}", len(tweets), send))
        finally:
            producer.close()
    return rows


def v2_envelope(tweet: Tweet) -> bytes:
    data = orjson.loads(tweet_json(tweet))
    author = data.pop("author", {})
    metrics = data.pop("metrics", {})
    # as the X API sends a user: counts nested under public_metrics
    author["public_metrics"] = {k: author.pop(k) for k in list(author) if k.endswith("_count")}
    envelope = {
        "data": {
            **{k: data[k] for k in ("id", "text", "created_at", "lang", "source") if k in data},
            "author_id": author.get("id"),
            "public_metrics": metrics,
            "entities": {
                "hashtags": [{"tag": t} for t in data.get("hashtags", [])],
                "mentions": [{"username": m} for m in data.get("mentions", [])],
                "urls": [{"expanded_url": u} for u in data.get("urls", [])],
            },
        },
        "includes": {"users": [author]},
    }
    return orjson.dumps(envelope)


class ModelsOnly:
    """A sink without ``add_record``: the replay validates every tweet into a Tweet model."""

    def __init__(self, producer: BatchingProducer) -> None:
        self.producer = producer
        self.settings = producer.settings
        self.add = producer.add
        self.send_dlq = producer.send_dlq
        self.send_watermark = producer.send_watermark
        self.flush = producer.flush
        self.close = producer.close

    @property
    def destination(self) -> str:
        return self.producer.destination


def bench_replay(settings: Settings, tweets: Sequence[Tweet], tmp: Path) -> list[Row]:
    normalized = tmp / "normalized.jsonl"
    normalized.write_bytes(b"".join(tweet_json(t) + b"\n" for t in tweets))
    envelopes = tmp / "envelopes.jsonl"
    envelopes.write_bytes(b"".join(v2_envelope(t) + b"\n" for t in tweets))
    in_order = tmp / "in_order.jsonl"
    by_time = sorted(tweets, key=lambda t: t.created_at)  # stable: duplicates keep their order
    in_order.write_bytes(b"".join(v2_envelope(t) + b"\n" for t in by_time))
    inputs = [("replay normalized JSONL", [normalized]), ("replay v2 envelopes", [envelopes])]
    inputs += [("replay v2 envelopes (in time order)", [in_order])]
    inputs += [("replay v2 envelopes (sorted whole)", [envelopes])]
    inputs += [("replay normalized JSONL (models)", [normalized])]
    inputs += [("replay v2 envelopes (models)", [envelopes])]
    corpora = shared_dir() / "corpora"
    for label, pattern in [
        ("replay flat-csv (8k rows)", "a_ai_tweets/chatgpt_daily_tweets_*.csv"),
        ("replay rtweet-csv (3k)", "a_ai_tweets/chatgpt_tweets_*_rtweet_40min.csv"),
        ("replay geo-csv (30k, 6 files)", "a_ai_tweets/chatgpt_geo_*/*.csv"),
        ("replay weibo-jsonl (18.6k)", "c_chinese/weibo_posts_*.jsonl"),
    ]:
        found = sorted(corpora.glob(pattern))
        if found:
            inputs.append((label, found))
    rows = []
    for label, paths in inputs:
        with BatchingProducer(settings) as producer:
            sink: TweetSink = ModelsOnly(producer) if "(models)" in label else producer
            wall, cpu = time.perf_counter(), time.process_time()
            options = ReplayOptions(stream="(sorted whole)" not in label)
            sent = replay(paths, sink, options=options).tweets
            rows.append((label, sent, time.perf_counter() - wall, time.process_time() - cpu))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tweets", type=int, default=100_000, help="synthetic tweets per run")
    parser.add_argument("--codecs", default="lz4,none,gzip", help="codecs to compare")
    args = parser.parse_args()
    settings = Settings.load().model_copy(
        update={"topic_prefix": f"bench-produce-{uuid.uuid4().hex[:8]}."}
    )
    tweets, _ = generate_day(DAY, args.tweets, 3, settings.zone)
    ensure_topics(settings)
    try:
        rows = bench_encode(tweets)
        rows += bench_produce(settings, tweets, args.codecs.split(","))
        with TemporaryDirectory() as tmp:
            rows += bench_replay(settings, tweets, Path(tmp))
    finally:
        delete_topics(settings)
    print(f"{'stage':36} {'tweets':>9} {'seconds':>8} {'tweets/s':>10} {'cpu us/tweet':>13}")
    for name, n, wall, cpu in rows:
        print(f"{name:36} {n:9,d} {wall:8.2f} {n / wall:10,.0f} {cpu / n * 1e6:13.1f}")


if __name__ == "__main__":
    main()
