"""A collector outage on the real Kafka and Redis: the worker's burst detector holds the hour
without tweets as a gap (it reads each bucket's ``_all`` total) instead of decaying every
baseline, so traffic coming back at its old level opens no burst."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
import redis

from producers.kafka_sink import BatchingProducer
from producers.synthetic import generate_day
from streams.keys import Keys
from streams.settings import Settings
from streams.windows import window_by_id

from .conftest import Worker, wait_until
from .test_live_api import planted_opens
from .test_pipeline import DAY, scrape, window_closed

SEED = 2  # one planted burst (chips_inference, 16:19-16:41 local)
OUTAGE_HOUR = 7  # no tweets 07:00-08:00 local: 12 buckets of a stream of ~20 tweets per bucket


def test_an_outage_is_a_gap_not_a_burst(
    settings: Settings, rdb: redis.Redis, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWEETPULSE_BURST_INTERVAL", "0.5")
    keys = Keys(settings.key_prefix)
    tweets, truth = generate_day(DAY, 20_000, SEED, settings.zone, settings.window_start_hour)
    window = window_by_id(truth.window_id, settings.zone, settings.window_start_hour)
    down = window.start + timedelta(hours=OUTAGE_HOUR)
    up = down + timedelta(hours=1)
    with BatchingProducer(settings) as producer:
        for tw in tweets:
            if not down <= tw.created_at < up:
                producer.add(tw)
        producer.send_watermark(window.end + settings.allowed_lateness + timedelta(seconds=1))
        producer.flush()
    worker.start()
    wid = truth.window_id
    wait_until(lambda: window_closed(rdb, keys, wid), 120, "the close", worker)

    def scored() -> bool:
        through = rdb.hget(keys.bursts_scored, "through")
        return through is not None and int(through) >= window.end.timestamp()

    wait_until(scored, 60, "bursts scored to the day's end", worker)
    events: list[dict[str, Any]] = [orjson.loads(v) for v in rdb.hvals(keys.burst_events(wid))]
    opened = [ev for ev in events if ev["event"] == "open"]
    # nothing opens in the hour after it (with every empty bucket silence, as before, the
    # decayed baselines made apps_agents "burst" at 08:45 when the traffic came back) ...
    after = [
        ev for ev in opened if up < datetime.fromisoformat(ev["at"]) <= up + timedelta(hours=1)
    ]
    assert after == []
    assert {ev["name"] for ev in opened if ev["kind"] == "topic"} == {"chips_inference"}
    # ... and the planted burst is still found
    assert set(planted_opens(truth, events)) == {b["topic"] for b in truth.bursts}
    # every empty bucket of the outage was a gap, held without scoring
    assert scrape(settings.worker_web_port)["tweetpulse_burst_gap_buckets_total"] == 12
