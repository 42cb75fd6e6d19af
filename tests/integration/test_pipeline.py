"""End to end on the real Kafka broker and Redis: counts equal the ground truth, exactly once."""

from __future__ import annotations

import re
import time
import urllib.request
from datetime import date, timedelta

import redis

from producers.kafka_sink import BatchingProducer
from producers.synthetic import GroundTruth, generate_day, split_late
from streams.keys import Keys
from streams.settings import Settings
from streams.taxonomy import load_taxonomy
from streams.views import topic_counts
from streams.windows import window_by_id
from summarizer.service import Summarizer

from .conftest import Worker, free_port, wait_until

DAY = date(2025, 11, 7)
SEED_SECTIONS = [
    "## 简要部分（优先阅读，简洁明快，观点鲜明）",
    "### 主要话题与行业趋势概述",
    "### 核心信息（10个信息点概述）",
    "## 详细分析部分（时间充裕时阅读）",
    "### 重要观点与见解",
    "### 关键事件与发展",
    "### 个股与数字货币/市场相关观察与反应",
    "## 专项分析",
    "### 人工智能相关内容（技术、发展与应用）",
    "### 金融市场相关内容（如果涉及）",
    "广告内容过滤",
    "## 词云分析",
]


def produce_day(settings: Settings, n: int, seed: int) -> tuple[GroundTruth, float]:
    tweets, truth = generate_day(DAY, n, seed, settings.zone, settings.window_start_hour)
    window = window_by_id(truth.window_id, settings.zone, settings.window_start_hour)
    started = time.perf_counter()
    with BatchingProducer(settings) as producer:
        for tw in tweets:
            producer.add(tw)
        producer.send_watermark(window.end + settings.allowed_lateness + timedelta(seconds=1))
        producer.flush()
    rate = len(tweets) / (time.perf_counter() - started)
    return truth, rate


def scrape(port: int) -> dict[str, float]:
    """The worker's /metrics, as {series without labels: summed value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/plain")
        body = resp.read().decode()
    values: dict[str, float] = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            series = name.split("{", 1)[0]
            values[series] = values.get(series, 0.0) + float(value)
    return values


def window_closed(rdb: redis.Redis, keys: Keys, wid: str) -> bool:
    return rdb.get(keys.state(wid)) == b"closed"


def assert_counts_match(rdb: redis.Redis, keys: Keys, truth: GroundTruth) -> None:
    wid = truth.window_id
    expected = truth.windows[wid]
    tot = rdb.hgetall(keys.totals(wid))
    assert int(tot[b"total"]) == expected["total"]
    assert int(tot.get(b"ads", 0)) == expected["ads"]
    assert topic_counts(rdb, keys, wid) == expected["topics"]
    for topic, minutes in expected["minutes"].items():
        got = {k.decode(): int(v) for k, v in rdb.hgetall(keys.minutes(wid, topic)).items()}
        assert got == minutes, f"minute buckets of {topic}"


def test_synthetic_day_counts_equal_ground_truth_and_report_is_written(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    keys = Keys(settings.key_prefix)
    truth, rate = produce_day(settings, 20_000, seed=11)
    print(f"replay into Kafka: {rate:,.0f} tweets/s")
    assert truth.duplicates > 0, "the synthetic day must exercise duplicates"
    worker.start()
    wait_until(
        lambda: window_closed(rdb, keys, truth.window_id), 180, "the window to close", worker
    )
    assert_counts_match(rdb, keys, truth)
    metrics = scrape(settings.worker_web_port)
    assert metrics["tweetpulse_tweets_counted_total"] == truth.n_tweets
    assert metrics["tweetpulse_windows_closed_total"] == 1
    assert metrics["tweetpulse_pipeline_latency_seconds_count"] > 0
    assert metrics["tweetpulse_ads_total"] == truth.windows[truth.window_id]["ads"]

    summarizer = Summarizer(settings, rdb, load_taxonomy())
    result = summarizer.summarize(truth.window_id)
    assert result.written and result.markdown.exists() and result.image.exists()
    text = result.markdown.read_text("utf-8")
    positions = [text.index(section) for section in SEED_SECTIONS]
    assert positions == sorted(positions), "sections are in the seed's order"
    brief = text.split("### 核心信息（10个信息点概述）")[1].split("## 详细分析部分")[0]
    assert len(re.findall(r"^- ", brief, flags=re.M)) == 10
    assert 'title: "twitter_ai_20251107_20251108"' in text
    assert "![词云图](wordcloud_twitter_ai_20251107_20251108.jpg)" in text
    assert f"{truth.windows[truth.window_id]['ads']}" in text.split("广告内容过滤")[1]
    # idempotent: a second close of the same window does not write it again
    assert summarizer.summarize(truth.window_id).written is False


def test_kill_9_mid_replay_loses_nothing_and_counts_nothing_twice(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    keys = Keys(settings.key_prefix)
    truth, _ = produce_day(settings, 40_000, seed=23)
    wid = truth.window_id
    worker.start()

    def counted() -> int:
        return int(rdb.hget(keys.totals(wid), "total") or 0)

    wait_until(
        lambda: counted() > truth.windows[wid]["total"] // 4, 120, "a quarter counted", worker
    )
    worker.kill9()
    at_kill = counted()
    assert 0 < at_kill < truth.windows[wid]["total"], "the kill must land mid-replay"
    worker.start()
    wait_until(lambda: window_closed(rdb, keys, wid), 180, "the window to close", worker)
    assert_counts_match(rdb, keys, truth)
    late = rdb.hget(keys.totals(wid), "late")
    assert late is None or int(late) == 0


def test_window_counts_survive_a_second_worker_joining(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    """Rebalances (a second worker joining mid-stream) neither lose nor double count."""
    keys = Keys(settings.key_prefix)
    truth, _ = produce_day(settings, 20_000, seed=31)
    worker.start()
    extra = Worker(
        settings.model_copy(
            update={
                "worker_web_port": free_port(),
                "worker_data_dir": settings.faust_datadir.with_name("faust2"),
            }
        ),
        worker.log_path.with_name("worker2.log"),
    )
    try:
        wait_until(
            lambda: int(rdb.hget(keys.totals(truth.window_id), "total") or 0) > 0,
            120,
            "first counts",
            worker,
        )
        extra.start()
        wait_until(
            lambda: window_closed(rdb, keys, truth.window_id), 180, "the window to close", worker
        )
    finally:
        extra.stop()
    assert_counts_match(rdb, keys, truth)


def test_late_tweets_after_the_close_are_kept_and_counted_as_late(
    settings: Settings, rdb: redis.Redis, worker: Worker
) -> None:
    """The day's late tweets, sent only once its window has closed: counted (totals, topics,
    minutes equal the truth, which includes them), and counted as late in Redis and metrics."""
    keys = Keys(settings.key_prefix)
    tweets, truth = generate_day(DAY, 6_000, 41, settings.zone, settings.window_start_hour)
    on_time, late = split_late(tweets, truth)
    wid = truth.window_id
    expected = truth.windows[wid]
    assert len(late) == expected["late"] >= 10
    window = window_by_id(wid, settings.zone, settings.window_start_hour)
    worker.start()
    with BatchingProducer(settings) as producer:
        for tw in on_time:
            producer.add(tw)
        producer.send_watermark(window.end + settings.allowed_lateness + timedelta(seconds=1))
        producer.flush()
        wait_until(lambda: window_closed(rdb, keys, wid), 180, "the window to close", worker)
        at_close = rdb.hgetall(keys.totals(wid))
        assert int(at_close[b"total"]) == expected["total"] - len(late)
        assert b"late" not in at_close
        assert scrape(settings.worker_web_port)["tweetpulse_late_tweets_total"] == 0
        for tw in late:
            producer.add(tw)
        producer.flush()

    def late_counted() -> bool:
        return scrape(settings.worker_web_port)["tweetpulse_late_tweets_total"] == len(late)

    wait_until(late_counted, 60, "the late tweets to be counted", worker)
    assert_counts_match(rdb, keys, truth)
    assert int(rdb.hget(keys.totals(wid), "late") or 0) == truth.late == len(truth.late_ids)
    assert all(rdb.smismember(keys.seen(wid), truth.late_ids)), "late tweets are kept"
    metrics = scrape(settings.worker_web_port)
    assert metrics["tweetpulse_tweets_counted_total"] == truth.n_tweets
    assert metrics["tweetpulse_windows_closed_total"] == 1, "a late tweet does not reopen the day"
    assert rdb.get(keys.state(wid)) == b"closed"
    assert rdb.zscore(keys.open_windows, wid) is None, "nor registers it as open again"
