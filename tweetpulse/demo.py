"""``tweetpulse demo``: one day through the real pipeline, end to end.

Starts Kafka and Redis when nothing answers at the configured addresses, a Faust worker and
the summarizer as child processes, replays a day (synthetic by default) into a fresh
namespace (topic prefix, Redis key prefix, consumer group, output folder — so a second demo
run really recomputes everything), waits until every window the data closes has its report,
prints the report paths and the top topics, then stops what it started and, unless ``keep``,
removes its namespace from Kafka and Redis (:func:`clean_up`: its topics, consumer groups and
keys; the report files stay).

A replayed corpus whose ids were read from floats (lossy) can hold rows that share one id
with different texts or authors: they count once. The replay notes them per window
(:class:`producers.replay.LossyMergeSink` → ``Keys.merged``) before sending them, and the
report says how many.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import redis
from rich.console import Console
from rich.table import Table

from streams.errors import ServiceError
from streams.keys import Keys
from streams.settings import ENV_PREFIX, Settings
from streams.taxonomy import load_taxonomy
from streams.views import report_path, topic_counts, window_ends, window_totals
from streams.windows import window_by_id, window_for

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


def namespaced(
    settings: Settings, run_id: str, lang: Literal["zh", "en"] | None = None
) -> Settings:
    return settings.model_copy(
        update={
            "report_lang": lang or settings.report_lang,
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
        "report_lang",
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


@dataclass(frozen=True, slots=True)
class Removed:
    """What :func:`clean_up` removed of a run's namespace."""

    keys: int
    topics: tuple[str, ...]
    groups: tuple[str, ...]

    def summary(self, settings: Settings) -> str:
        return (
            f"removed the run's {self.keys:,} Redis keys ({settings.key_prefix}*), "
            f"{len(self.topics)} Kafka topics ({settings.topic_prefix}*) and "
            f"{len(self.groups)} consumer groups ({settings.app_id}*); the report files stay "
            f"in {settings.out_dir} (--keep keeps everything)"
        )


_GLOB_SPECIAL = re.compile(r"([\\*?\[\]])")


def unlink_prefix(client: redis.Redis, prefix: str, batch: int = 1000) -> int:
    """UNLINK every key starting with ``prefix`` (SCAN, ``batch`` keys a call); returns how
    many were removed. Keys are freed by Redis in the background."""
    pattern = _GLOB_SPECIAL.sub(r"\\\1", prefix) + "*"
    removed = 0
    chunk: list[bytes] = []
    for key in client.scan_iter(match=pattern, count=batch):
        chunk.append(key)
        if len(chunk) >= batch:
            removed += int(client.unlink(*chunk))
            chunk = []
    if chunk:
        removed += int(client.unlink(*chunk))
    return removed


def _owned(name: str, settings: Settings) -> bool:
    """A topic or group of the run: under its topic prefix or named after its app id."""
    return name.startswith(settings.topic_prefix) or (
        name == settings.app_id or name.startswith(f"{settings.app_id}-")
    )


def clean_up(settings: Settings, client: redis.Redis) -> Removed:
    """Remove a run's namespace: its Kafka topics (every topic under ``topic_prefix`` or named
    after ``app_id``: Faust's own too), its consumer groups and its Redis keys (under
    ``key_prefix``). Only for a namespace of its own (the demo's run id): nothing else may share
    the prefixes. The report files are left alone."""
    from kafka.admin import KafkaAdminClient

    if not settings.topic_prefix or not settings.key_prefix or not settings.app_id:
        msg = "clean_up needs a run's own topic prefix, key prefix and app id"
        raise ValueError(msg)
    admin: Any = KafkaAdminClient(
        bootstrap_servers=[s.strip() for s in settings.kafka_bootstrap.split(",")],
        client_id=f"{settings.app_id}-cleanup",
    )
    try:
        groups = tuple(
            sorted(g["group_id"] for g in admin.list_groups() if _owned(g["group_id"], settings))
        )
        if groups:
            # kafka-python 3: {group id: "OK" or the error's name}
            outcome: dict[str, str] = admin.delete_groups(list(groups))
            for group, result in outcome.items():
                if result != "OK":
                    log.warning("could not delete consumer group %s: %s", group, result)
            groups = tuple(g for g in groups if outcome.get(g) == "OK")
        topics = tuple(sorted(t for t in admin.list_topics() if _owned(t, settings)))
        if topics:
            admin.delete_topics(list(topics))
    finally:
        admin.close()
    return Removed(unlink_prefix(client, settings.key_prefix), topics, groups)


def note_merged(settings: Settings, client: redis.Redis) -> Callable[[str, datetime], None]:
    """A :class:`~producers.replay.LossyMergeSink` callback: the merged row joins the set of
    its window (``Keys.merged``, whose size the summarizer reports; a row sent twice is one
    member; it expires with the window's counts)."""
    keys = Keys(settings.key_prefix)

    def merged(row: str, created_at: datetime) -> None:
        window = window_for(created_at, settings.zone, settings.window_start_hour)
        key = keys.merged(window.id)
        client.sadd(key, row)
        client.expire(key, settings.window_state_ttl)  # as long as the window's counts

    return merged


def run_demo(
    base: Settings,
    *,
    corpus: Path | None,
    tweets: int,
    seed: int,
    day: date,
    timeout: float,
    lang: Literal["zh", "en"] | None = None,
    keep: bool = False,
) -> int:
    """``lang``: the report's language (default: the setting, ``TWEETPULSE_REPORT_LANG``);
    ``keep``: leave the run's topics, groups and keys in place (default: :func:`clean_up`)."""
    from producers.admin import ensure_topics
    from producers.kafka_sink import BatchingProducer
    from producers.replay import LossyMergeSink, replay
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
    settings = namespaced(base, run_id, lang)
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
                sink = LossyMergeSink(producer, note_merged(settings, client))
                stats = replay([corpus], sink, final_watermark=True, progress=progress.update)
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
        show_open_windows(console, settings, client, final, keep=keep)
        console.print(f"demo finished in {time.monotonic() - t0:.1f}s (logs: {logs})")
        return 0
    finally:
        for child in reversed(children):
            child.stop()
        try:
            if keep:
                console.print(
                    f"kept the run's Kafka topics ({settings.topic_prefix}*) and Redis keys "
                    f"({settings.key_prefix}*)",
                    soft_wrap=True,
                )
            else:
                console.print(clean_up(settings, client).summary(settings), soft_wrap=True)
        except Exception:  # clean-up must not hide how the run ended
            log.exception("could not remove the run's topics and keys (%s)", run_id)
        finally:
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


def show_open_windows(
    console: Console, settings: Settings, client: redis.Redis, final: datetime, *, keep: bool
) -> list[str]:
    """Say which windows the run leaves open (no report): the data ends before their end plus
    the allowed lateness, so the worker keeps waiting for more, as it would live. Returns their
    ids."""
    keys = Keys(settings.key_prefix)
    data_end = final - settings.allowed_lateness  # the event-time watermark: the newest tweet
    closable_before = data_end.timestamp()
    lateness = int(settings.allowed_lateness.total_seconds() // 60)
    left = sorted((w, end) for w, end in window_ends(client, keys).items() if end > closable_before)
    fate = "kept (--keep)" if keep else "removed with the run's keys"
    for wid, end in left:
        total, _ads = window_totals(client, keys, wid)
        closes = datetime.fromtimestamp(end, settings.zone)
        console.print(
            f"left open: {wid}: {total:,} tweets counted, no report: the stream ended at "
            f"{data_end.astimezone(settings.zone):%Y-%m-%d %H:%M %z}, before the window's end "
            f"({closes:%Y-%m-%d %H:%M %z}) plus {lateness} min allowed lateness; "
            f"its counts are {fate}",
            soft_wrap=True,
        )
    return [wid for wid, _ in left]
