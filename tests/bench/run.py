"""``make bench``: throughput of the hot paths, on this machine, printed as a table.

Not a test (nothing here asserts a speed): numbers to compare between commits.
1. parse     — tweets.raw batch records → Tweet objects (the ingest agent's decode)
2. enrich    — ad classifier (+ campaigns) + topic tagger + terms over the parsed tweets
   (stages 1–2 record by record in this process, one core, as the ingest agent runs them)
3. produce   — BatchingProducer into the real Kafka (acks=all, idempotent)
4. pipeline  — a real Faust worker: first tweet counted → day window closed in Redis
Run with the local services up (`make bench` starts them).
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import redis

from producers.admin import delete_topics, ensure_topics
from producers.kafka_sink import BatchingProducer
from producers.synthetic import generate_day
from streams.ads import AdClassifier
from streams.enrich import Enricher, RecentIds
from streams.keys import Keys
from streams.parse import encode_raw_batch, parse_raw_record
from streams.settings import Settings
from streams.taxonomy import Tagger, load_taxonomy
from tweetpulse.demo import child_env

DAY = date(2025, 11, 7)


def bench_parse_enrich(settings: Settings, n: int) -> list[tuple[str, int, float]]:
    """Record by record, as the ingest agent does: parse one record, enrich its tweets, drop
    both. (Holding every parsed tweet until the end would time the garbage collector walking
    them: it more than doubled the parse figure.)"""
    tweets, _ = generate_day(DAY, n, 1, settings.zone)
    records = [encode_raw_batch(tweets[i : i + 200]) for i in range(0, len(tweets), 200)]
    del tweets
    # the worker's enricher (thresholds and campaign detection from settings)
    enricher = Enricher(
        AdClassifier.from_settings(settings),
        Tagger(load_taxonomy(settings.taxonomy_path)),
        RecentIds(),
    )
    gc.collect()
    gc.freeze()  # as the worker does after start-up (tweetpulse/runtime.py)
    t_parse = t_enrich = 0.0
    n_parsed = 0
    for rec in records:
        t0 = time.perf_counter()
        parsed = parse_raw_record(rec, max_text_chars=settings.max_text_chars).tweets
        t1 = time.perf_counter()
        enricher.enrich(parsed)
        t_enrich += time.perf_counter() - t1
        t_parse += t1 - t0
        n_parsed += len(parsed)
    gc.unfreeze()
    return [("parse", n_parsed, t_parse), ("enrich", n_parsed, t_enrich)]


def bench_pipeline(settings: Settings, n: int) -> list[tuple[str, int, float]]:
    tweets, truth = generate_day(DAY, n, 2, settings.zone)
    ensure_topics(settings)
    t0 = time.perf_counter()
    with BatchingProducer(settings) as producer:
        for tw in tweets:
            producer.add(tw)
        end = truth.window_id
        from streams.windows import window_by_id

        window = window_by_id(end, settings.zone, settings.window_start_hour)
        producer.send_watermark(window.end + settings.allowed_lateness + timedelta(seconds=1))
        producer.flush()
    t_produce = time.perf_counter() - t0
    client = redis.Redis.from_url(settings.redis_url)
    keys = Keys(settings.key_prefix)
    with TemporaryDirectory() as tmp:
        env = child_env(settings)
        env["TWEETPULSE_WORKER_DATA_DIR"] = tmp
        log = Path(tmp) / "worker.log"
        with log.open("wb") as fh:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tweetpulse.cli", "worker", "--loglevel", "warn"],
                env=env,
                stdout=fh,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 600
            while not client.hget(keys.totals(truth.window_id), "total"):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit(f"worker made no progress:\n{log.read_text()[-3000:]}")
                time.sleep(0.05)
            t0 = time.perf_counter()
            while client.get(keys.state(truth.window_id)) != b"closed":
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit(f"window never closed:\n{log.read_text()[-3000:]}")
                time.sleep(0.05)
            t_pipe = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(60)
    for key in client.scan_iter(match=f"{settings.key_prefix}*", count=1000):
        client.delete(key)
    client.close()
    delete_topics(settings)
    return [("produce", len(tweets), t_produce), ("pipeline", truth.n_tweets, t_pipe)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=100_000, help="tweets per run")
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    settings = Settings.load().model_copy(
        update={
            "topic_prefix": f"bench-{run}.",
            "key_prefix": f"tpbench:{run}:",
            "app_id": f"tweetpulse-bench-{run}",
            "worker_web_port": 6099,
            "partition_idle_timeout": timedelta(seconds=10),
        }
    )
    rows = bench_parse_enrich(settings, args.tweets)
    rows += bench_pipeline(settings, args.tweets)
    print(f"{'stage':10} {'tweets':>9} {'seconds':>8} {'tweets/s':>10}")
    for name, n, secs in rows:
        print(f"{name:10} {n:9,d} {secs:8.2f} {n / secs:10,.0f}")


if __name__ == "__main__":
    main()
