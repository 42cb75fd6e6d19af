"""`tweetpulse produce synthetic` end to end: the day, its close, then its late tweets.

The command sends the day and the closing watermark, waits (bounded by --late-after) until the
worker has closed the window, and only then sends the late tweets: the counts equal the ground
truth, late ones included, and exactly the late tweets count as late.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import redis

from producers.synthetic import read_ground_truth
from streams.keys import Keys
from streams.settings import Settings
from tweetpulse.demo import child_env

from .conftest import Worker, wait_until
from .test_pipeline import assert_counts_match, scrape


def test_cli_sends_the_late_tweets_after_the_close(
    settings: Settings, rdb: redis.Redis, worker: Worker, tmp_path: Path
) -> None:
    keys = Keys(settings.key_prefix)
    truth_path = tmp_path / "truth.json"
    worker.start()
    args = ["produce", "synthetic", "--tweets", "4000", "--seed", "5", "--day", "2025-11-07"]
    args += ["--truth", str(truth_path), "--late-after", "150"]
    done = subprocess.run(
        [sys.executable, "-m", "tweetpulse.cli", *args],
        env=child_env(settings),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    truth = read_ground_truth(truth_path)
    wid = truth.window_id
    assert truth.late == 8
    assert f"sent {4000 + truth.duplicates} tweets ({truth.late} late)" in done.stdout
    assert "not closed after" not in done.stderr, "the CLI waited for the close"

    def late_counted() -> bool:
        return scrape(settings.worker_web_port)["tweetpulse_late_tweets_total"] == truth.late

    wait_until(late_counted, 60, "the late tweets to be counted", worker)
    assert_counts_match(rdb, keys, truth)
    assert int(rdb.hget(keys.totals(wid), "late") or 0) == truth.late
    assert all(rdb.smismember(keys.seen(wid), truth.late_ids))
