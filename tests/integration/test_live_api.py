"""Bursts, the live API and `tweetpulse top` on the real Kafka and Redis.

A synthetic day with planted bursts is replayed into the test's namespace; two workers run (so
the one-sender-per-event guard is exercised); then the API, alerts.trends and the metrics must
agree with the day's ground truth.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
import redis

from producers.synthetic import GroundTruth
from streams.keys import Keys
from streams.live import rolling
from streams.settings import Settings
from streams.taxonomy import load_taxonomy
from streams.windows import window_by_id
from summarizer.service import Summarizer
from tweetpulse.demo import child_env

from .conftest import Worker, free_port, read_topic, wait_until
from .test_pipeline import produce_day, scrape, window_closed


def get(port: int, path: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as resp:
            assert resp.headers["Content-Type"].startswith("application/json")
            return resp.status, orjson.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, orjson.loads(exc.read())


def planted_opens(truth: GroundTruth, events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Planted topic → its open event, when one opened during the planted burst."""
    found = {}
    for burst in truth.bursts:
        start, end = (datetime.fromisoformat(burst[k]) for k in ("start", "end"))
        for ev in events:
            at = datetime.fromisoformat(ev["at"])
            if (ev["event"], ev["kind"], ev["name"]) == ("open", "topic", burst["topic"]) and (
                start < at <= end + timedelta(minutes=5)
            ):
                found[burst["topic"]] = ev
    return found


def test_bursts_live_api_and_top_on_a_replayed_day(
    settings: Settings, rdb: redis.Redis, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWEETPULSE_BURST_INTERVAL", "0.5")
    monkeypatch.setenv("TWEETPULSE_LAG_INTERVAL", "1")
    keys = Keys(settings.key_prefix)
    truth, _ = produce_day(settings, 20_000, seed=11)
    assert truth.bursts, "the synthetic day must plant a burst"
    port, port2 = settings.worker_web_port, free_port()
    second = Worker(
        settings.model_copy(update={"worker_web_port": port2}),
        worker.log_path.with_name("worker2.log"),
    )
    worker.start()
    second.start()
    try:
        wait_until(lambda: window_closed(rdb, keys, truth.window_id), 120, "the close", worker)

        # /api/bursts: every planted burst opened while it was planted
        day_end = window_by_id(truth.window_id, settings.zone).end

        def scored_the_day(port: int) -> bool:
            try:
                through = get(port, "/api/bursts")[1]["scored_through"]
            except urllib.error.URLError:  # not listening (yet): wait_until checks it is alive
                return False
            return through is not None and datetime.fromisoformat(through) >= day_end

        wait_until(lambda: scored_the_day(port), 30, "bursts scored to the day's end", worker)

        # ... and it is recorded for the summarizer, which waits on it before writing the report
        def marked() -> bool:
            through = rdb.hget(keys.bursts_scored, "through")
            return through is not None and int(through) >= day_end.timestamp()

        wait_until(marked, 15, "the scored mark in Redis", worker)
        wait_until(lambda: scored_the_day(port2), 30, "the same on the 2nd worker", second)
        # an event is sent to alerts.trends just before it is stored: read both until they agree
        seen: dict[str, list[dict[str, Any]]] = {}

        def stored_and_sent_agree() -> bool:
            seen["events"] = get(port, "/api/bursts?limit=1000")[1]["recent"]
            raw = read_topic(settings, "alerts.trends", len(seen["events"]), timeout=5)
            seen["sent"] = [orjson.loads(v) for v in raw]
            stored = sorted(str(ev["id"]) for ev in seen["events"])
            return stored == sorted(str(ev["id"]) for ev in seen["sent"])

        wait_until(stored_and_sent_agree, 45, "alerts.trends to match the stored events", worker)
        events, sent = seen["events"], seen["sent"]
        assert len(planted_opens(truth, events)) == len(truth.bursts)
        ids = {ev["id"] for ev in events}
        assert len(ids) == len(events)
        # few false alarms: the only topic bursts are the planted ones
        topics_bursting = {ev["name"] for ev in events if ev["kind"] == "topic"}
        assert topics_bursting == {b["topic"] for b in truth.bursts}
        # alerts.trends carries each stored event exactly once (two workers, one sender each)
        assert len(sent) == len(ids)
        assert set(planted_opens(truth, sent)) == {b["topic"] for b in truth.bursts}
        metrics = scrape(port)
        metrics2 = scrape(port2)
        assert metrics["tweetpulse_burst_events_total"] + metrics2[
            "tweetpulse_burst_events_total"
        ] == len(events)

        # the day's report lists the planted bursts first under 关键事件与发展
        taxonomy = load_taxonomy()
        report = Summarizer(settings, rdb, taxonomy).summarize(truth.window_id)
        events_md = report.markdown.read_text("utf-8").split("### 关键事件与发展")[1]
        events_md = events_md.split("###")[0]
        for b in truth.bursts:
            assert f"{taxonomy.label(b['topic'])}讨论量突增" in events_md

        # /api/topics: rolling counts equal the ground truth's minute buckets
        status, hour = get(port, "/api/topics?window=1h")
        assert status == 200
        now = datetime.fromisoformat(hour["now"])
        assert now == datetime.fromisoformat(hour["watermark"]) + settings.allowed_lateness
        minutes = truth.window["minutes"]
        by_topic = {row["topic"]: row for row in hour["topics"]}
        assert set(by_topic) == set(load_taxonomy().topic_ids)
        for topic, row in by_topic.items():
            series = {int(k): v for k, v in minutes.get(topic, {}).items()}
            expected = rolling(series, now, timedelta(hours=1))
            assert (row["count"], row["previous"]) == (expected.count, expected.previous), topic
        assert sum(r["count"] for r in hour["topics"]) > 0
        assert hour["all"]["count"] >= max(r["count"] for r in hour["topics"])
        status, day = get(port, "/api/topics?window=24h")
        assert status == 200
        # the day ends inside the last 24 h; its first minutes fall in the 24 h before them
        assert day["all"]["count"] + day["all"]["previous"] == truth.window["total"]
        authors = {d["id"]: d["unique_authors"] for d in day["day_windows"]}
        # HyperLogLog: ~1 % standard error
        assert (
            abs(authors[truth.window_id] - truth.window["unique_authors"])
            < 0.05 * (truth.window["unique_authors"])
        )

        status, body = get(port, "/api/topics?window=2h")
        assert status == 400 and body["param"] == "window" and "5m" in body["error"]
        status, body = get(port, "/api/trending?limit=zero")
        assert status == 400 and body["param"] == "limit"
        status, trending = get(port, "/api/trending")
        assert status == 200 and isinstance(trending["terms"], list)

        status, health = get(port, "/api/health")
        assert status == 200, health
        assert health["kafka"]["ok"] and health["redis"]["ok"] and health["watermark"]

        # consumer lag: each partition reported by the one worker that owns it (a revoked
        # partition's series is removed), all at 0 once everything is committed
        def lag_drained() -> bool:
            one, two = lag_series(port), lag_series(port2)
            raw = [p for (topic, p) in [*one, *two] if topic == "tweets.raw"]
            return sorted(raw) == [str(p) for p in range(settings.partitions)] and not any(
                [*one.values(), *two.values()]
            )

        wait_until(lag_drained, 30, "consumer lag series at 0", worker)

        # tweetpulse top --once prints the topics
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "tweetpulse.cli",
                "top",
                "--once",
                "--url",
                f"http://127.0.0.1:{port}",
            ],
            env=child_env(settings) | {"COLUMNS": "160"},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        for topic in load_taxonomy().topic_ids:
            assert topic in out.stdout
        assert "burst" in out.stdout.lower()
    finally:
        second.stop()

    # a restart rebuilds the detector from Redis and sends nothing twice
    worker.stop()
    worker.start()
    wait_until(lambda: get_ok(port, "/api/bursts"), 60, "the restarted worker's API", worker)
    wait_until(
        lambda: scrape(port).get("tweetpulse_burst_zscore", 0) != 0, 30, "rebuilt scores", worker
    )
    again = read_topic(settings, "alerts.trends", len(events) + 1, timeout=3)
    assert len(again) == len(events)


def get_ok(port: int, path: str) -> bool:
    try:
        return get(port, path)[0] == 200
    except OSError:
        return False


def lag_series(port: int) -> dict[tuple[str, str], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        body = resp.read().decode()
    out = {}
    for line in body.splitlines():
        if line.startswith("tweetpulse_consumer_lag_records{"):
            labels, _, value = line.rpartition(" ")
            fields = dict(
                part.split("=", 1) for part in labels[labels.index("{") + 1 : -1].split(",")
            )
            out[(fields["topic"].strip('"'), fields["partition"].strip('"'))] = float(value)
    return out
