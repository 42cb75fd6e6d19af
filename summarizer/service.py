"""The summarizer service: ``windows.closed`` → one daily report per window.

For each closed window it reads the window's aggregates from Redis, builds the report
(through the LLM when one is configured, see ``summarizer.llm``; else extractive), renders
the markdown and the word cloud, writes both atomically, and publishes the report on
``reports.daily``. It is idempotent per window: a report already on disk is not written again
unless forced, so a re-sent close (windows.closed is at-least-once) or a restart produces no
second report.

The stream's own subject (the search term in most of the day's tweets, see
``summarizer.hotwords``) is taken out of the window's terms before the report is built, so
neither its hot words nor its word cloud repeat it. The terms stay in volume order (the word
cloud is a frequency picture); the report ranks its hot words by their rise against the earlier
windows' terms read with the window (``WindowAggregates.earlier_terms``).

The rows a lossy id merged (``Keys.merged``, added by the demo's replay before it sends them,
so before the window can close) are read with the window and counted in the report's closing
block.
"""

from __future__ import annotations

import logging
import re
import signal
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import orjson
import redis
from kafka import KafkaConsumer, KafkaProducer

from streams import metrics as m
from streams.aggregates import WindowAggregates
from streams.errors import ReportError
from streams.keys import Keys
from streams.settings import Settings
from streams.taxonomy import Taxonomy, load_taxonomy
from streams.topics import REPORTS, WINDOWS_CLOSED
from streams.views import read_window
from streams.windows import Window, window_by_id
from summarizer.hotwords import merge_spellings, subject_keys, without
from summarizer.llm import build_report, llm_enabled
from summarizer.output import already_written, report_paths, write_atomic
from summarizer.render import render_markdown, topic_tweets, unlinked_citations
from summarizer.wordcloud import (
    find_cjk_font,
    placeholder_frequencies,
    render_wordcloud,
    spellings,
    term_frequencies,
    word_frequencies,
)

log = logging.getLogger("tweetpulse.summarizer")

Clock = Callable[[], datetime]
_DATE_LINE = re.compile(r'^date: "(.+)"$', re.MULTILINE)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def published_at(md_path: Path) -> datetime | None:
    """The ``date`` of the post already at ``md_path`` (kept when it is rewritten, so its
    Jekyll permalink does not move); ``None`` when there is none or it cannot be read."""
    try:
        with md_path.open(encoding="utf-8") as handle:
            head = handle.read(2048)
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    match = _DATE_LINE.search(head.split("\n---", 1)[0])
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None


def cloud_frequencies(
    agg: WindowAggregates,
    labels: Mapping[str, str],
    user_words: Sequence[str],
    drop: Collection[str] = (),
) -> dict[str, float]:
    """The window's emerging-term counts (every organic tweet counted once at ingest), spelled
    as its top tweets spell them; without terms, the words of its top tweets (each distinct
    text once); without those, its topic labels. Words whose letters are in ``drop`` (the
    stream's subject) are left out."""
    texts = list(dict.fromkeys(rec.text for recs in agg.top_tweets.values() for rec in recs))
    freqs = term_frequencies(agg.terms, drop=drop)
    if freqs:
        return term_frequencies(agg.terms, drop=drop, shown=spellings(freqs, texts))
    freqs = word_frequencies(texts, user_words, drop=drop)
    return freqs or placeholder_frequencies(agg.topics, labels)


@dataclass(frozen=True)
class ReportResult:
    window_id: str
    markdown: Path
    image: Path
    written: bool  # False: it already existed and was not forced
    mode: str = "extractive"
    seconds: float = 0.0


class Summarizer:
    def __init__(
        self,
        settings: Settings,
        client: redis.Redis,
        taxonomy: Taxonomy,
        *,
        clock: Clock = _utc_now,
    ) -> None:
        self.settings = settings
        self.client = client
        self.taxonomy = taxonomy
        self.clock = clock  # the post's publish time (front matter date); tests inject one
        self.keys = Keys(settings.key_prefix)
        # Fail at start-up, not at the first window, when no CJK font is installed.
        self.font = find_cjk_font(settings.font_path)
        # Likewise for --llm / TWEETPULSE_REPORT_MODE=llm without an LLM configured.
        self.llm = llm_enabled(settings)

    def window(self, window_id: str) -> Window:
        return window_by_id(window_id, self.settings.zone, self.settings.window_start_hour)

    def cloud_frequencies(
        self,
        agg: WindowAggregates,
        labels: Mapping[str, str],
        drop: frozenset[str] = frozenset(),
    ) -> dict[str, float]:
        """The window's word cloud (see :func:`cloud_frequencies`)."""
        return cloud_frequencies(agg, labels, self.taxonomy.user_words(), drop)

    @staticmethod
    def without_subject(agg: WindowAggregates) -> tuple[WindowAggregates, frozenset[str]]:
        """``agg`` without the stream's subject in its terms and with one spelling of each term
        (:func:`~summarizer.hotwords.merge_spellings`), and the subject's letters."""
        subject = subject_keys(agg.terms, agg.organic)
        terms = merge_spellings(without(agg.terms, subject) if subject else agg.terms)
        if subject:
            log.info(
                "window %s: leaving out the stream's subject %s", agg.window.id, sorted(subject)
            )
        return (replace(agg, terms=terms) if terms != agg.terms else agg), subject

    def wait_for_bursts(self, window: Window, timeout: float) -> bool:
        """Block until the workers' burst detector has scored (and stored) the events up to the
        window's end, so 关键事件与发展 lists the day's bursts; False after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            raw = self.client.hget(self.keys.bursts_scored, "through")
            if raw is not None and int(raw) >= window.end.timestamp():
                return True
            if time.monotonic() >= deadline:
                log.warning(
                    "bursts of %s not scored after %.0fs; writing the report without waiting "
                    "(is a worker running? TWEETPULSE_REPORT_BURST_WAIT)",
                    window.id,
                    timeout,
                )
                return False
            time.sleep(0.25)

    def lossy_merged(self, window: Window) -> int:
        """Rows of ``window`` the count merged into another because they share a lossy id
        (``Keys.merged``, added by the demo's replay); 0 when none were noted."""
        return int(self.client.scard(self.keys.merged(window.id)))

    def publish_time(self, window: Window) -> datetime:
        """The post's ``date``: the day the report covers (the window's start date, in its
        zone) at the time of day it is first written, as in the seed (2025-11-07 09:15:59 for
        the day from 2025-11-07). The Jekyll permalink then carries the same day as the file
        name, also for a day replayed long after."""
        now = self.clock().astimezone(window.start.tzinfo)
        return datetime.combine(window.start_date, now.timetz())

    def summarize(
        self,
        window_id: str,
        *,
        force: bool = False,
        burst_wait: float = 0.0,
        allow_empty: bool = True,
    ) -> ReportResult:
        """Write ``window_id``'s report (unless it exists and ``force`` is off).

        ``allow_empty=False`` (an explicit ``summarize --window``) refuses, with a
        :class:`ReportError`, a window in which nothing was counted: most likely a wrong date,
        whose empty report must not be published by mistake. The service keeps the default and
        writes the report of every closed window, an empty one included.
        """
        s = self.settings
        window = self.window(window_id)
        md_path, img_path = report_paths(s.out_dir, window)
        if not force and already_written(s.out_dir, window):
            log.info("report for %s already written (%s); skipping", window_id, md_path)
            return ReportResult(window_id, md_path, img_path, written=False)
        if burst_wait > 0:
            self.wait_for_bursts(window, burst_wait)
        started = time.perf_counter()
        agg, subject = self.without_subject(read_window(self.client, self.keys, window))
        if not allow_empty and agg.total == 0 and agg.late == 0:
            msg = (
                f"nothing was counted in window {window.start_date:%Y-%m-%d} "
                f"({window.start:%Y-%m-%d %H:%M} to {window.end:%Y-%m-%d %H:%M} {s.timezone}, "
                f"Redis key prefix {s.key_prefix!r}), so its report would be empty. Check the "
                "date (the window's local start date, YYYY-MM-DD) and that a worker counted "
                "that day; pass --allow-empty to write the empty report on purpose."
            )
            raise ReportError(msg)
        labels = {tid: self.taxonomy.label(tid, s.report_lang) for tid in self.taxonomy.topic_ids}
        report = build_report(s, agg, labels)  # LLM (or its fallback) or extractive
        md_path.parent.mkdir(parents=True, exist_ok=True)
        render_wordcloud(self.cloud_frequencies(agg, labels, subject), self.font, img_path)
        published = published_at(md_path) or self.publish_time(window)
        markdown = render_markdown(
            report,
            window,
            s.report_lang,
            published=published,
            unlinked=unlinked_citations(agg),
            by_topic=topic_tweets(agg, labels),
            merged=self.lossy_merged(window),
        )
        write_atomic(md_path, markdown.encode("utf-8"))  # the markdown last: it marks "done"
        self.client.set(self.keys.report(window_id), str(md_path))
        elapsed = time.perf_counter() - started
        m.REPORTS.labels(report.mode).inc()
        m.REPORT_SECONDS.observe(elapsed)
        m.LAST_REPORT_SUCCESS.set(time.time())
        log.info("wrote report %s (%s, %.2fs)", md_path, report.mode, elapsed)
        return ReportResult(window_id, md_path, img_path, True, report.mode, elapsed)


def run_service(
    settings: Settings,
    *,
    max_reports: int | None = None,
) -> int:
    """Consume windows.closed until SIGTERM/SIGINT (or ``max_reports``); returns reports."""
    client = redis.Redis.from_url(settings.redis_url)
    summarizer = Summarizer(settings, client, load_taxonomy(settings.taxonomy_path))
    consumer = KafkaConsumer(
        settings.topic(WINDOWS_CLOSED),
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        group_id=f"{settings.app_id}-summarizer",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = KafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap.split(","),
        acks="all",
        max_request_size=8 * 1024 * 1024,
    )
    stopping = False

    def _stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    done = 0
    try:
        while not stopping:
            batches = consumer.poll(timeout_ms=500)
            if not batches:
                continue
            for records in batches.values():
                for record in records:
                    closed = orjson.loads(record.value)
                    result = summarizer.summarize(
                        closed["window"], burst_wait=settings.report_burst_wait
                    )
                    if result.written:
                        done += 1
                        _publish(producer, settings, result)
            producer.flush()
            consumer.commit()
            if max_reports is not None and done >= max_reports:
                break
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        consumer.close()
        producer.close()
        client.close()
    return done


def _publish(producer: KafkaProducer, settings: Settings, result: ReportResult) -> None:
    payload = {
        "window": result.window_id,
        "path": str(result.markdown),
        "image": str(result.image),
        "mode": result.mode,
        "seconds": round(result.seconds, 3),
        "markdown": result.markdown.read_text("utf-8"),
    }
    producer.send(
        settings.topic(REPORTS), key=result.window_id.encode(), value=orjson.dumps(payload)
    )
