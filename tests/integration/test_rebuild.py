"""``tweetpulse rebuild`` on the real Kafka broker and Redis: a damaged window's counts come
back equal to what the worker counted and to the ground truth, the close state is kept, a dry
run writes nothing, and the refusals (nothing recorded, retention) are clear."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import date, timedelta

import orjson
import pytest
import redis
import redis.asyncio as aioredis
from kafka import TopicPartition
from kafka.admin import KafkaAdminClient

from producers.kafka_sink import BatchingProducer
from producers.synthetic import GroundTruth, generate_day, split_late
from streams import topics as names
from streams.ads import AdClassifier
from streams.counting import row_of
from streams.enrich import Enricher, RecentIds
from streams.keys import Keys, written_by_count_script
from streams.model import EnrichedBatch, EnrichedTweet
from streams.rebuild import RebuildError, Totals
from streams.settings import Settings
from streams.store import RedisStore
from streams.taxonomy import Tagger, load_taxonomy
from streams.views import topic_counts
from streams.windows import window_by_id
from tweetpulse.demo import child_env
from tweetpulse.rebuild import rebuild

from .conftest import Worker, raw_producer, wait_until

DAY = date(2025, 11, 7)


def snapshot(rdb: redis.Redis, keys: Keys, wid: str) -> dict[str, object]:
    """Every key the count script writes for the window, with its full content."""
    base = keys.window_base(wid)
    out: dict[str, object] = {}
    for raw in rdb.scan_iter(match=f"{base}:*", count=1000):
        key = raw.decode()
        if not written_by_count_script(key[len(base) + 1 :]):
            continue
        kind = rdb.type(key).decode()
        if kind == "hash":
            out[key] = rdb.hgetall(key)
        elif kind == "set":
            out[key] = rdb.smembers(key)
        elif kind == "zset":
            out[key] = rdb.zrange(key, 0, -1, withscores=True)
        else:  # the authors HyperLogLog
            out[key] = rdb.pfcount(key)
    return out


def assert_equals_truth(rdb: redis.Redis, keys: Keys, truth: GroundTruth) -> None:
    wid, expected = truth.window_id, truth.window
    tot = rdb.hgetall(keys.totals(wid))
    assert (int(tot[b"total"]), int(tot.get(b"ads", 0))) == (expected["total"], expected["ads"])
    assert topic_counts(rdb, keys, wid) == expected["topics"]
    for topic, minutes in expected["minutes"].items():
        got = {k.decode(): int(v) for k, v in rdb.hgetall(keys.minutes(wid, topic)).items()}
        assert got == minutes, f"minute buckets of {topic}"
    hours = {k.decode(): int(v) for k, v in rdb.hgetall(keys.hours(wid, "_all")).items()}
    assert hours == expected["hours"]
    assert rdb.scard(keys.seen(wid)) == expected["total"]


def test_rebuild_restores_a_damaged_window_and_keeps_its_close(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    keys = Keys(settings.key_prefix)
    tweets, truth = generate_day(DAY, 2_000, 17, settings.zone, settings.window_start_hour)
    on_time, late = split_late(tweets, truth)
    wid = truth.window_id
    window = window_by_id(wid, settings.zone, settings.window_start_hour)
    worker.start()
    with BatchingProducer(settings) as producer:
        for tw in on_time:
            producer.add(tw)
        producer.send_watermark(window.end + settings.allowed_lateness + timedelta(seconds=1))
        producer.flush()
        wait_until(lambda: rdb.get(keys.state(wid)) == b"closed", 180, "the close", worker)
        for tw in late:  # after the close: counted, and counted as late
            producer.add(tw)
        producer.flush()

    def all_counted() -> bool:
        return int(rdb.hget(keys.totals(wid), "total") or 0) == truth.window["total"]

    wait_until(all_counted, 60, "the late tweets to be counted", worker)
    assert_equals_truth(rdb, keys, truth)
    late_count = int(rdb.hget(keys.totals(wid), "late") or 0)
    assert late_count == len(late) > 0
    offsets = rdb.hgetall(keys.offsets(wid))
    assert offsets, "the count script records where the window's tweets start"
    before = snapshot(rdb, keys, wid)
    # the in-window top scores and the hot words by voice are rebuilt like every count
    assert {keys.originals(wid), keys.voice_terms(wid), keys.voice_term_pairs(wid)} <= set(before)
    closed_at = rdb.zscore(keys.closed_windows, wid)
    # a closed window stays out of the open set, late tweets or not
    registered = rdb.zscore(keys.open_windows, wid)
    assert registered is None
    rdb.set(keys.report(wid), "out/_posts/report.md")  # not the count script's: must survive

    # a dry run of the intact window finds exactly the live totals and writes nothing
    dry = rebuild(settings, wid, dry_run=True, say=lambda _: None)
    assert dry is not None and dry.dry_run
    assert dry.rebuilt == dry.plan.live
    assert dry.plan.state == "closed"
    assert snapshot(rdb, keys, wid) == before

    # damage: lost keys, a wrong total, a wrong bucket, a bucket that should not exist
    rdb.delete(
        keys.topics(wid),
        keys.minutes(wid, "_all"),
        keys.seen(wid),
        keys.term_minute(wid, int(window.start.timestamp()) + 12 * 3600),
    )
    rdb.hset(keys.totals(wid), "total", 5)
    some_topic = next(iter(truth.window["topics"]))
    rdb.hincrby(keys.minutes(wid, some_topic), str(int(window.start.timestamp())), 99)
    rdb.hset(keys.minutes(wid, "bogus"), "1", 1)
    damaged = snapshot(rdb, keys, wid)

    dry = rebuild(settings, wid, dry_run=True, say=lambda _: None)
    assert dry is not None
    assert dry.plan.live == Totals(5, truth.window["ads"], {})
    assert dry.rebuilt == Totals(truth.window["total"], truth.window["ads"], truth.window["topics"])
    assert snapshot(rdb, keys, wid) == damaged, "a dry run writes nothing"

    lines: list[str] = []
    result = rebuild(settings, wid, confirm=lambda plan: True, say=lines.append, progress_every=0)
    assert result is not None and not result.dry_run
    assert lines and lines[-1].startswith(f"rebuild {wid}: ") and "records/s" in lines[-1]
    assert result.records == sum(r.records for r in result.plan.ranges)
    assert result.rebuilt == Totals(
        truth.window["total"], truth.window["ads"], truth.window["topics"]
    )
    assert_same_counts(before, snapshot(rdb, keys, wid))
    assert_equals_truth(rdb, keys, truth)
    assert int(rdb.hget(keys.totals(wid), "late") or 0) == late_count == result.late
    # the close and everything that is not a count survived; nothing re-opened the window
    assert rdb.get(keys.state(wid)) == b"closed"
    assert rdb.zscore(keys.closed_windows, wid) == closed_at
    assert rdb.zscore(keys.open_windows, wid) == registered
    assert rdb.get(keys.report(wid)) == b"out/_posts/report.md"
    assert rdb.hgetall(keys.offsets(wid)) == offsets
    # normal TTLs; no fresh keys or lock left behind
    assert 0 < rdb.ttl(keys.totals(wid)) <= settings.window_state_ttl.total_seconds()
    assert 0 < rdb.ttl(keys.minutes(wid, "_all")) <= settings.minute_bucket_ttl.total_seconds()
    assert 0 < rdb.ttl(keys.hours(wid, "_all")) <= settings.hour_bucket_ttl.total_seconds()
    assert not list(rdb.scan_iter(match=f"{keys.window_base(wid)}:rebuild*"))

    # the worst case: every count key of the window gone but its offsets (and its state)
    lost = [k for k in snapshot(rdb, keys, wid) if k != keys.offsets(wid)]
    rdb.delete(*lost)
    result = rebuild(settings, wid, confirm=lambda plan: True, say=lambda _: None)
    assert result is not None and result.plan.live == Totals(0, 0, {})
    assert_same_counts(before, snapshot(rdb, keys, wid), late_lost=True)
    assert_equals_truth(rdb, keys, truth)
    assert rdb.get(keys.state(wid)) == b"closed"
    assert worker.alive()


def assert_same_counts(
    before: dict[str, object], after: dict[str, object], *, late_lost: bool = False
) -> None:
    """Every count equal; the top-tweet record cache (``:tw``) depends on the order tweets were
    applied in, so it only has to quote the same tweet (id, author, text) for each member both
    hold — which tweet of an original capped out of its top sets and back supplied the record
    (its time, its engagement) may differ — and hold a record for every current top tweet."""
    differ = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    tw = next(k for k in before if k.endswith(":tw"))
    tot = next(k for k in before if k.endswith(":tot"))
    expected = [tot, tw] if late_lost else [tw]
    assert [k for k in differ if k not in expected] == []
    if late_lost:
        want = {k: v for k, v in before[tot].items() if k != b"late"}  # type: ignore[attr-defined]
        assert after[tot] == want
    old_tw, new_tw = before[tw], after[tw]
    assert isinstance(old_tw, dict) and isinstance(new_tw, dict)
    assert all(_quoted(old_tw[i]) == _quoted(new_tw[i]) for i in old_tw.keys() & new_tw.keys())
    tops = {m for k, v in after.items() if ":top:" in k for m, _ in v}  # type: ignore[attr-defined]
    assert tops and tops <= new_tw.keys()


def _quoted(record: bytes) -> object:
    """What a record quotes (a ``rt:`` field of ``:tw`` is a tweet id, quoted as it is)."""
    if not record.startswith(b"{"):
        return record
    d = orjson.loads(record)
    return d["id"], d["author"], d["text"], d.get("l")


def _enriched_day(settings: Settings, n: int, seed: int = 5) -> tuple[list[EnrichedTweet], str]:
    tweets, truth = generate_day(DAY, n, seed, settings.zone, settings.window_start_hour)
    enricher = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())
    return enricher.enrich(tweets)[0], truth.window_id


def _send_and_count(
    settings: Settings, items: list[EnrichedTweet], *, records: int, record_offsets: bool
) -> None:
    """Send enriched tweets to tweets.enriched (partition 0) and count them as the worker
    would — or as a worker before rebuild support did (no offsets recorded)."""
    producer = raw_producer(settings)
    sent = []
    try:
        step = len(items) // records + 1
        for i in range(0, len(items), step):
            chunk = items[i : i + step]
            value = EnrichedBatch(tweets=chunk).model_dump_json().encode()
            meta = producer.send(settings.topic(names.ENRICHED), value=value, partition=0)
            sent.append((chunk, meta.get(timeout=30).offset))
    finally:
        producer.close()

    async def count() -> None:
        client = aioredis.Redis.from_url(settings.redis_url)
        store = RedisStore(client, settings)
        try:
            for chunk, offset in sent:
                source = (0, offset) if record_offsets else None
                await store.apply_rows([row_of(item) for item in chunk], source)
        finally:
            await client.aclose()

    asyncio.run(count())


def _count_without_a_worker(settings: Settings, n: int, *, record_offsets: bool) -> str:
    items, wid = _enriched_day(settings, n)
    _send_and_count(settings, items, records=10, record_offsets=record_offsets)
    return wid


def test_tweets_a_worker_counts_while_a_rebuild_runs_are_kept(
    settings: Settings, rdb: redis.Redis
) -> None:
    """A worker that counts into the old keys during the rebuild loses nothing at the swap:
    the tail pass counts what arrived after the captured end offsets."""
    keys = Keys(settings.key_prefix)
    items, wid = _enriched_day(settings, 600, seed=8)
    first, meanwhile = items[:400], items[400:]
    _send_and_count(settings, first, records=8, record_offsets=True)
    expected = int(rdb.hget(keys.totals(wid), "total"))
    assert expected == len(first)
    concurrent: list[str] = []

    def say(line: str) -> None:  # runs inside the rebuild, after it captured its end offsets
        if not concurrent:
            concurrent.append(line)
            _send_and_count(settings, meanwhile, records=3, record_offsets=True)

    result = rebuild(settings, wid, confirm=lambda plan: True, say=say, progress_every=0)
    assert concurrent and result is not None
    assert result.tail_records == 3
    assert int(rdb.hget(keys.totals(wid), "total")) == len(items)
    assert rdb.scard(keys.seen(wid)) == len(items)
    assert result.rebuilt.total == len(items)


def test_rebuild_of_a_window_counted_before_rebuild_support_says_so(
    settings: Settings, rdb: redis.Redis
) -> None:
    keys = Keys(settings.key_prefix)
    wid = _count_without_a_worker(settings, 300, record_offsets=False)
    before = snapshot(rdb, keys, wid)
    assert before and keys.offsets(wid) not in before
    done = subprocess.run(
        [sys.executable, "-m", "tweetpulse.cli", "rebuild", "--window", wid, "--yes"],
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "no Kafka offsets are recorded" in done.stderr
    assert "version before rebuild support" in done.stderr
    assert keys.offsets(wid) in done.stderr
    assert snapshot(rdb, keys, wid) == before, "the live counts are untouched"


def test_rebuild_refuses_when_retention_deleted_the_windows_start(
    settings: Settings, rdb: redis.Redis
) -> None:
    keys = Keys(settings.key_prefix)
    wid = _count_without_a_worker(settings, 300, record_offsets=True)
    assert rdb.hgetall(keys.offsets(wid)) == {b"0": b"0"}
    result = rebuild(settings, wid, confirm=lambda plan: True, say=lambda _: None)
    assert result is not None and result.rebuilt.total == int(rdb.hget(keys.totals(wid), "total"))
    before = snapshot(rdb, keys, wid)
    # what retention does: the partition's log now starts after the window's first records
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        admin.delete_records({TopicPartition(settings.topic(names.ENRICHED), 0): 3})
    finally:
        admin.close()
    with pytest.raises(RebuildError, match=r"retention already deleted.*retention\.ms") as failed:
        rebuild(settings, wid, confirm=lambda plan: True, say=lambda _: None)
    assert "partition 0: needs offset 0, log starts at 3" in str(failed.value)
    assert snapshot(rdb, keys, wid) == before
