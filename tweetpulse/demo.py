"""``tweetpulse demo``: one day through the real pipeline, end to end.

Starts Kafka and Redis when nothing answers at the configured addresses, a Faust worker and
the summarizer as child processes, replays a day (synthetic by default) into a fresh
namespace (topic prefix, Redis key prefix, consumer group, output folder — so a second demo
run really recomputes everything), waits until every window the data closes has its report,
prints the report paths and the top topics, then stops what it started.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import redis
from rich.console import Console
from rich.table import Table

from streams.errors import ServiceError
from streams.keys import Keys
from streams.settings import ENV_PREFIX, Settings
from streams.taxonomy import load_taxonomy
from streams.views import report_path, topic_counts, window_ends, window_totals
from streams.windows import window_by_id

log = logging.getLogger("tweetpulse.demo")


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def stop(self, timeout: float = 30.0) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in %.0fs; killing it", self.name, timeout)
            self.proc.kill()
            self.proc.wait()

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            tail = self.log_path.read_text("utf-8", "replace").splitlines()[-25:]
            msg = f"the {self.name} exited with code {self.proc.returncode}; its log " + (
                f"{self.log_path}:\n" + "\n".join(tail)
            )
            raise ServiceError(msg)


def namespaced(settings: Settings, run_id: str) -> Settings:
    return settings.model_copy(
        update={
            "topic_prefix": f"{settings.topic_prefix}{run_id}.",
            "key_prefix": f"{settings.key_prefix}{run_id}:",
            "app_id": f"{settings.app_id}-{run_id}",
            "out_dir": settings.out_dir / "demo" / run_id,
            "partition_idle_timeout": timedelta(seconds=10),
        }
    )


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    for name in (
        "kafka_bootstrap",
        "redis_url",
        "topic_prefix",
        "key_prefix",
        "app_id",
        "out_dir",
        "home",
        "timezone",
        "window_start_hour",
        "partitions",
        "worker_web_port",
    ):
        env[f"{ENV_PREFIX}{name.upper()}"] = str(getattr(settings, name))
    idle = int(settings.partition_idle_timeout.total_seconds())
    env[f"{ENV_PREFIX}PARTITION_IDLE_TIMEOUT"] = f"PT{idle}S"  # ISO 8601 duration
    env[f"{ENV_PREFIX}BROKER_SESSION_TIMEOUT"] = "10"
    env[f"{ENV_PREFIX}BROKER_HEARTBEAT_INTERVAL"] = "1"
    return env


def start_child(name: str, args: list[str], settings: Settings, logs: Path) -> Child:
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{name}.log"
    with log_path.open("wb") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tweetpulse.cli", *args],
            env=child_env(settings),
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Child(name, proc, log_path)


def wait_for_reports(
    settings: Settings,
    client: redis.Redis,
    final_watermark: datetime,
    children: list[Child],
    deadline: float,
) -> list[str]:
    """Block until every window ending at or before the final watermark has a report."""
    keys = Keys(settings.key_prefix)
    closable_before = final_watermark - settings.allowed_lateness
    while True:
        for child in children:
            child.check_alive()
        clocks = client.hgetall(keys.watermarks)
        caught_up = len(clocks) >= settings.partitions and all(
            int(v) >= int(final_watermark.timestamp() * 1000) for v in clocks.values()
        )
        if caught_up:
            ends = window_ends(client, keys)
            due = sorted(w for w, end in ends.items() if end <= closable_before.timestamp())
            if due and all(report_path(client, keys, w) for w in due):
                return due
        if time.monotonic() > deadline:
            msg = (
                "the demo timed out waiting for the report(s); see the worker and summarizer "
                f"logs in {children[0].log_path.parent}"
            )
            raise ServiceError(msg)
        time.sleep(0.5)


def run_demo(
    base: Settings,
    *,
    corpus: Path | None,
    tweets: int,
    seed: int,
    day: date,
    timeout: float,
) -> int:
    from producers.admin import ensure_topics
    from producers.kafka_sink import BatchingProducer
    from producers.replay import replay
    from producers.synthetic import generate_day
    from tweetpulse import local
    from tweetpulse.progress import Progress

    console = Console(width=None if sys.stdout.isatty() else 110)
    t0 = time.monotonic()
    deadline = t0 + timeout
    before = {st.name: st.running for st in local.status(base)}
    local.up(base)
    started_services = [name for name, running in before.items() if not running]
    run_id = f"demo{datetime.now().astimezone():%Y%m%d%H%M%S}"
    settings = namespaced(base, run_id)
    ensure_topics(settings)
    logs = settings.home / "logs" / run_id
    children: list[Child] = []
    client = redis.Redis.from_url(settings.redis_url)
    try:
        children.append(start_child("worker", ["worker", "--loglevel", "warn"], settings, logs))
        children.append(start_child("summarizer", ["summarize"], settings, logs))
        with BatchingProducer(settings) as producer, Progress("replay") as progress:
            if corpus is None:
                day_tweets, _truth = generate_day(
                    day, tweets, seed, settings.zone, settings.window_start_hour
                )
                for i, tw in enumerate(day_tweets, 1):
                    producer.add(tw)
                    if i % 5000 == 0:
                        progress.update(i, len(day_tweets))
                window = window_by_id(f"{day:%Y%m%d}", settings.zone, settings.window_start_hour)
                final = window.end + settings.allowed_lateness + timedelta(seconds=1)
                producer.send_watermark(final)
                sent = len(day_tweets)
                notes: tuple[str, ...] = ()
            else:
                stats = replay([corpus], producer, final_watermark=True, progress=progress.update)
                if stats.final_watermark is None:
                    msg = f"{corpus}: no valid tweet to replay ({stats.rejects} rejected)"
                    raise ServiceError(msg)
                final = stats.final_watermark
                sent = stats.tweets
                notes = stats.notes
            producer.flush()
        t_sent = time.monotonic() - t0
        console.print(f"replayed {sent:,} tweets in {t_sent:.1f}s; waiting for the report(s)…")
        for note in notes:  # what the reader wants known about the corpus (lossy ids, ...)
            console.print(f"  note: {note}", soft_wrap=True)
        due = wait_for_reports(settings, client, final, children, deadline)
        show_results(console, settings, client, due)
        console.print(f"demo finished in {time.monotonic() - t0:.1f}s (logs: {logs})")
        return 0
    finally:
        for child in reversed(children):
            child.stop()
        client.close()
        if started_services:
            local.down(base)


def show_results(
    console: Console, settings: Settings, client: redis.Redis, windows: list[str]
) -> None:
    keys = Keys(settings.key_prefix)
    taxonomy = load_taxonomy(settings.taxonomy_path)
    for wid in windows:
        console.print(f"report: {report_path(client, keys, wid)}", soft_wrap=True)
        total, ads = window_totals(client, keys, wid)
        # (a line of its own: as the table's title it wrapped to the table's width)
        console.print(f"{wid}: {total:,} tweets, {ads:,} ads ({ads / max(total, 1):.1%})")
        table = Table()
        table.add_column("topic")
        table.add_column("tweets", justify="right")
        for topic, n in sorted(topic_counts(client, keys, wid).items(), key=lambda kv: -kv[1]):
            table.add_row(taxonomy.label(topic, settings.report_lang), f"{n:,}")
        console.print(table)
