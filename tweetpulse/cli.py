"""``tweetpulse``: the one command line of the project (every subcommand has ``--help``).

Settings come from ``TWEETPULSE_*`` environment variables and ``.env``; options given here
override them for this process only.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from producers.formats import FORMATS, formats_help
from streams.errors import TweetpulseError
from streams.settings import Settings
from tweetpulse.runtime import producing

ORDER_HELP = (
    "time (default): by event time; v2 JSONL in (nearly) time order is streamed, other files "
    "are sorted in memory; file: as written, constant memory"
)

BOOTSTRAP_HELP = "Kafka host:port[,host:port] (env TWEETPULSE_KAFKA_BOOTSTRAP)"

# the option that overrides a setting, to name it when its value is bad (not the env variable)
OPTION_OF = {
    "kafka_bootstrap": "--bootstrap",
    "redis_url": "--redis-url",
    "worker_web_port": "--web-port",
    "ad_threshold": "--threshold",
    "campaign_detection": "--no-campaigns",
    "taxonomy_path": "--taxonomy",
    "out_dir": "--out",
    "report_lang": "--lang",
    "report_mode": "--llm/--extractive",
}

log = logging.getLogger("tweetpulse")


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k, v in getattr(args, "overrides", {}).items() if v is not None}
    return Settings.load(flags=OPTION_OF, **overrides)


# --- argument types: a bad value is argparse's usage error (exit 2), not a traceback ----------


def _whole_number(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        msg = f"{text!r} is not a whole number"
        raise argparse.ArgumentTypeError(msg) from None
    if value < low:
        msg = f"{value} is below {low}"
        raise argparse.ArgumentTypeError(msg)
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    return _whole_number(text, 1)


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number >= 0."""
    return _whole_number(text, 0)


def positive_float(text: str) -> float:
    """An argparse type: a number above 0."""
    try:
        value = float(text)
    except ValueError:
        msg = f"{text!r} is not a number"
        raise argparse.ArgumentTypeError(msg) from None
    if not value > 0 or value == float("inf"):
        msg = f"{text} is not above 0"
        raise argparse.ArgumentTypeError(msg)
    return value


def iso_date(text: str) -> date:
    """An argparse type: a calendar date, YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date YYYY-MM-DD (example: 2025-11-07)"
        raise argparse.ArgumentTypeError(msg) from None


@contextmanager
def _writing(path: str) -> Iterator[None]:
    """An output file that cannot be written (missing folder, permissions) is an InputError."""
    from streams.errors import InputError

    try:
        yield
    except OSError as exc:
        reason = "unwritable_output"
        raise InputError(reason, f"{path}: {exc.strerror or exc}") from None


def _add_service_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bootstrap", dest="kafka_bootstrap", help=BOOTSTRAP_HELP)
    p.add_argument("--redis-url", dest="redis_url", help="Redis URL (env TWEETPULSE_REDIS_URL)")


def _collect(args: argparse.Namespace, *names: str) -> None:
    args.overrides = {n: getattr(args, n, None) for n in names}


# --- commands ---------------------------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap", "redis_url", "worker_web_port")
    settings = _settings(args)
    from tweetpulse.runtime import run_worker

    return run_worker(settings, loglevel=args.loglevel)


def summarize_window(text: str) -> str:
    """An argparse type for ``summarize --window``: a day YYYY-MM-DD (or YYYYMMDD) → YYYYMMDD."""
    from zoneinfo import ZoneInfo

    from streams.windows import window_by_id

    try:
        return window_by_id(text, ZoneInfo("UTC")).id  # the format only: any zone will do
    except ValueError:
        msg = f"{text!r} is not a window day YYYY-MM-DD or YYYYMMDD (example: 2025-11-07)"
        raise argparse.ArgumentTypeError(msg) from None


def cmd_summarize(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap", "redis_url", "out_dir", "report_lang", "report_mode")
    settings = _settings(args)
    import redis

    from streams.taxonomy import load_taxonomy
    from summarizer.service import Summarizer, run_service

    if args.window:
        client = redis.Redis.from_url(settings.redis_url)
        try:
            summarizer = Summarizer(settings, client, load_taxonomy(settings.taxonomy_path))
            result = summarizer.summarize(
                args.window, force=args.force, allow_empty=args.allow_empty
            )
        finally:
            client.close()
        state = "written" if result.written else "already there (use --force to rewrite)"
        print(f"{result.markdown} {state}")
        return 0
    from tweetpulse.runtime import serve_metrics

    serve_metrics(settings)
    n = run_service(settings, max_reports=args.max_reports)
    log.info("summarizer stopped after %d report(s)", n)
    return 0


def cmd_produce_replay(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap")
    settings = _settings(args)
    from producers.replay import (
        FileSink,
        ReplayOptions,
        TweetSink,
        parse_time_bound,
        replay,
        summary_lines,
    )
    from tweetpulse.progress import Progress

    since, until = (parse_time_bound(v, settings.zone) if v else None
                    for v in (args.since, args.until))  # fmt: skip
    options = ReplayOptions(
        fmt=args.format,
        order=args.order,
        speed=args.speed,
        since=since,
        until=until,
        resume=args.resume,
        checkpoint_dir=args.checkpoint_dir or settings.home / "replay",
        final_watermark=not args.no_close,
    )
    sink: TweetSink
    if args.to_file:
        with _writing(args.to_file):
            sink = FileSink(settings, Path(args.to_file), append=args.resume)
    else:
        from producers.admin import ensure_topics
        from producers.kafka_sink import BatchingProducer

        ensure_topics(settings)
        sink = BatchingProducer(settings, source="replay")
    try:
        with producing(settings, "replay"), Progress("replay") as progress:
            stats = replay(args.files, sink, progress=progress.update, options=options)
    finally:
        sink.close()
    print("\n".join(summary_lines(stats, sink.destination)))
    return 1 if stats.nothing_sent else 0


def cmd_produce_synthetic(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap", "redis_url")
    settings = _settings(args)
    from producers.synthetic import generate_day, split_late, write_ground_truth
    from streams.windows import window_by_id

    day: date = args.day
    tweets, truth = generate_day(
        day, args.tweets, args.seed, settings.zone, settings.window_start_hour
    )
    if args.truth:
        with _writing(args.truth):
            write_ground_truth(truth, Path(args.truth))
        print(f"ground truth: {args.truth}")
    if args.to_file:
        from streams.parse import encode_raw_batch

        with _writing(args.to_file), Path(args.to_file).open("wb") as fh:
            for tw in tweets:
                fh.write(encode_raw_batch([tw]) + b"\n")
        print(f"wrote {len(tweets)} tweets to {args.to_file} (the last {truth.late} are late)")
        return 0
    from producers.admin import ensure_topics
    from producers.kafka_sink import BatchingProducer

    ensure_topics(settings)
    window = window_by_id(f"{day:%Y%m%d}", settings.zone, settings.window_start_hour)
    started = datetime.now().astimezone()
    on_time, late = split_late(tweets, truth)
    with (
        producing(settings, "synthetic"),
        BatchingProducer(settings, source="synthetic") as producer,
    ):
        for tw in on_time:
            producer.add(tw)
        if not args.no_close:
            producer.send_watermark(window.end + settings.allowed_lateness + timedelta(seconds=1))
            producer.flush()
            secs = (datetime.now().astimezone() - started).total_seconds()
            print(f"sent {len(on_time)} tweets and the closing watermark in {secs:.1f}s")
            if late and args.late_after > 0 and not _await_close(settings, window.id, args):
                log.warning(
                    "window %s not closed after %gs; its %d late tweets go out now anyway",
                    window.id,
                    args.late_after,
                    len(late),
                )
        for tw in late:
            producer.add(tw)
        producer.flush()
    secs = (datetime.now().astimezone() - started).total_seconds()
    print(f"sent {len(tweets)} tweets ({len(late)} late) for window {window.id} in {secs:.1f}s")
    return 0


def _await_close(settings: Settings, window_id: str, args: argparse.Namespace) -> bool:
    """Poll the window's state in Redis (the worker's closer sets it) for at most
    ``--late-after`` seconds; True once the window is closing or closed. When Redis cannot be
    read it just waits that long."""
    import time

    import redis

    from streams.keys import Keys

    log.info("waiting up to %gs for a worker to close window %s", args.late_after, window_id)
    deadline = time.monotonic() + args.late_after
    key = Keys(settings.key_prefix).state(window_id)
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
    try:
        while True:
            try:
                if client.get(key) is not None:
                    return True
            except redis.RedisError as exc:
                log.warning("cannot read the window state in Redis (%s); waiting instead", exc)
                time.sleep(max(0.0, deadline - time.monotonic()))
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(0.25, left))
    finally:
        client.close()


def cmd_x_stream(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap")
    settings = _settings(args)
    import signal
    import threading

    from producers.admin import ensure_topics
    from producers.kafka_sink import BatchingProducer
    from producers.xstream import XStream

    ensure_topics(settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with producing(settings, "xapi"), BatchingProducer(settings, source="xapi") as producer:
        stream = XStream(settings, producer, stop=stop)
        try:
            stats = stream.run(max_tweets=args.max_tweets)
        except KeyboardInterrupt:
            stats = stream.stats
        finally:
            stream.close()
    print(f"x-stream: {stats.tweets} tweets, {stats.rejects} to the DLQ, "
          f"{stats.connections} connection(s), {len(stats.reconnects)} reconnect(s)")  # fmt: skip
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    settings = _settings(args)
    from producers.rules import Rule, RulesClient, load_rules

    client = RulesClient(settings)
    dry = " (dry run)" if args.dry_run else ""
    try:
        if args.action == "list":
            for rule in client.live():
                print(f"{rule.id}\t{rule.tag or ''}\t{rule.value}")
        elif args.action == "delete":
            print(f"deleted {client.delete(args.items, dry_run=args.dry_run)} rule(s){dry}")
        elif len(args.items) != 1:
            msg = f"tweetpulse rules {args.action}: give one FILE (or VALUE for add)"
            raise SystemExit(msg)
        elif args.action == "sync":
            plan = client.sync(load_rules(Path(args.items[0])), dry_run=args.dry_run)
            print(f"kept {len(plan.keep)}, deleted {len(plan.delete)}, "
                  f"added {len(plan.add)} rule(s){dry}")  # fmt: skip
        else:
            item = Path(args.items[0])
            wanted = load_rules(item) if item.is_file() else [Rule(args.items[0], args.tag)]
            for rule in client.add(wanted, dry_run=args.dry_run):
                print(f"added{dry} {rule.id}\t{rule.tag or ''}\t{rule.value}")
    finally:
        client.close()
    return 0


def cmd_local(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap", "redis_url")
    settings = _settings(args)
    from tweetpulse import local

    if args.action == "up":
        states = local.up(settings)
        from producers.admin import ensure_topics

        ensure_topics(settings)
    elif args.action == "down":
        states = local.down(settings)
    else:
        states = local.status(settings)
    for st in states:
        flag = "up" if st.running else "down"
        print(f"{st.name:6} {st.address:22} {flag:5} {st.detail}".rstrip())
    if args.action == "status":
        return 0 if all(st.running for st in states) else 3
    return 0


def cmd_topics(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap")
    settings = _settings(args)
    from producers.admin import ensure_topics

    ensure_topics(settings)
    print("topics ready")
    return 0


def cmd_top(args: argparse.Namespace) -> int:
    if args.interval <= 0:
        print("tweetpulse: error: --interval must be above 0 seconds", file=sys.stderr)
        return 2
    settings = _settings(args)  # the worker's address, and the zone times are shown in
    url = args.url or f"http://{settings.worker_web_host}:{settings.worker_web_port}"
    from tweetpulse.top import run

    return run(url, interval=args.interval, once=args.once, zone=settings.zone)


def cmd_demo(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap", "redis_url")
    settings = _settings(args)
    from tweetpulse.demo import run_demo

    return run_demo(
        settings,
        corpus=Path(args.corpus) if args.corpus else None,
        tweets=args.tweets,
        seed=args.seed,
        day=args.day,
        timeout=args.timeout,
        lang=args.lang,
        keep=args.keep,
    )


def cmd_eval_ads(args: argparse.Namespace) -> int:
    _collect(args, "ad_threshold", "campaign_detection")
    settings = _settings(args)
    import orjson

    from streams.ads import AdClassifier
    from streams.errors import InputError
    from streams.eval_ads import (
        evaluate,
        format_errors,
        format_table,
        nothing_scored,
        read_corpus,
    )

    try:
        result = evaluate(
            read_corpus(Path(args.corpus)), AdClassifier.from_settings(settings), args.errors
        )
    except OSError as exc:
        reason = "unreadable_corpus"
        raise InputError(reason, f"{args.corpus}: {exc}") from None
    if not result.confusion.n:  # exit 1 as before; perfect scores over nothing would mislead
        print(f"tweetpulse: error: {args.corpus}: {nothing_scored(result)}", file=sys.stderr)
        return 1
    if args.json:
        print(orjson.dumps(result.summary()).decode())
    else:
        print(format_table(result))
        if args.errors:
            print(format_errors(result))
    return 0


def _corpus_folder(arg: str) -> Path:
    """The ``--corpus`` folder of the eval commands; InputError when it is not one."""
    from streams.errors import InputError

    corpus = Path(arg)
    if not corpus.is_dir():
        reason = "unreadable_corpus"
        raise InputError(reason, f"{corpus}: not a folder (set --corpus)")
    return corpus


@contextmanager
def _label_errors() -> Iterator[None]:
    """Reading a label file and its corpus: an unreadable file is ``unreadable_corpus``, a
    malformed label row ``bad_labels`` (both InputError, exit 2)."""
    from streams.errors import InputError

    try:
        yield
    except OSError as exc:
        reason = "unreadable_corpus"
        raise InputError(reason, str(exc)) from None
    except ValueError as exc:
        reason = "bad_labels"
        raise InputError(reason, str(exc)) from None


def cmd_eval_audit(args: argparse.Namespace) -> int:
    _collect(args, "ad_threshold")
    settings = _settings(args)
    import orjson

    from streams.ads import AdClassifier
    from streams.eval_audit import (
        agreement,
        corpus_tweets,
        estimate,
        format_agreement,
        format_estimates,
        format_whole_corpus,
        read_audit,
        sampled_tweets,
        text_key,
        whole_corpus,
    )
    from streams.model import Tweet

    corpus = _corpus_folder(args.corpus)
    # the filter alone: a campaign detector would see only the sampled texts, out of order
    classifier = AdClassifier(settings.ad_threshold)
    verdicts: dict[str, bool] = {}

    def is_ad(tweet: Tweet) -> bool:
        if tweet.text not in verdicts:
            verdicts[tweet.text] = classifier.classify(tweet).is_ad
        return verdicts[tweet.text]

    with _label_errors():
        rows = read_audit(Path(args.labels))
        second = read_audit(Path(args.second)) if args.second else []
        keys = {row.key for row in rows} | {row.key for row in second}
        if args.whole:  # every distinct text is classified: keep them all
            everything: dict[str, Tweet] = {}
            posted: dict[str, int] = {}
            for tweet in corpus_tweets(corpus):
                key = text_key(tweet.text)
                posted[key] = posted.get(key, 0) + 1
                everything.setdefault(key, tweet)
            by_key = {key: is_ad(tweet) for key, tweet in everything.items()}
            tweets = {key: everything[key] for key in keys if key in everything}
        else:
            tweets = sampled_tweets(corpus_tweets(corpus), keys)

    estimates = estimate(rows, tweets, is_ad)
    if not second:
        whole = whole_corpus(rows, by_key, posted) if args.whole else None
        if args.json:
            audits = [e.summary() for e in estimates]
            out = audits if whole is None else {"audits": audits, "whole": whole.summary()}
            print(orjson.dumps(out).decode())
        else:
            print(format_estimates(estimates))
            if whole is not None:
                print(format_whole_corpus(whole))
        return 0 if any(e.labelled for e in estimates) else 1
    by_second = estimate(second, tweets, is_ad)
    agreements = agreement(rows, second)
    if args.json:
        print(
            orjson.dumps(
                {
                    "first": [e.summary() for e in estimates],
                    "second": [e.summary() for e in by_second],
                    "agreement": [a.summary() for a in agreements],
                }
            ).decode()
        )
    else:
        print(format_estimates(estimates))
        print(f"\nwith the second labeller's labels ({args.second}):")
        print(format_estimates(by_second))
        print("\nagreement, first labeller / second, over the rows both decided:")
        print(format_agreement(agreements))
    return 0 if any(e.labelled for e in estimates) and agreements else 1


def cmd_eval_topics(args: argparse.Namespace) -> int:
    _collect(args, "taxonomy_path")
    settings = _settings(args)
    import orjson

    from streams.errors import InputError
    from streams.eval_audit import corpus_tweets, sampled_tweets, text_key
    from streams.eval_topics import estimate_topics, format_topic_estimates, read_topic_labels
    from streams.model import Tweet
    from streams.taxonomy import Tagger
    from streams.taxonomy_file import load_taxonomy

    taxonomy = load_taxonomy(settings.taxonomy_path)
    topics = taxonomy.topic_ids
    unknown = sorted(set(args.ignore) - set(topics))
    if unknown:
        bad = "bad_topic"
        raise InputError(bad, f"--ignore {unknown}: not a topic id (the taxonomy has {topics})")
    corpus = _corpus_folder(args.corpus)
    with _label_errors():
        rows = read_topic_labels(Path(args.labels), topics)
        tweets = sampled_tweets(corpus_tweets(corpus), {row.key for row in rows})
    tag: Callable[[Tweet], Sequence[str]] = Tagger(taxonomy).tag
    if args.second:
        # the second labeller in the tagger's place: how far two people agree, a ceiling
        try:
            second = read_topic_labels(Path(args.second), topics)
        except (OSError, ValueError) as exc:
            bad = "bad_labels"
            raise InputError(bad, str(exc)) from None
        given = {(row.audit, row.key): sorted(row.topics) for row in second}
        rows = [row for row in rows if (row.audit, row.key) in given]
        by_key = {row.key: given[row.audit, row.key] for row in rows}

        def second_tag(tweet: Tweet) -> Sequence[str]:
            return by_key[text_key(tweet.text)]

        tag = second_tag

    estimates = estimate_topics(
        rows, tweets, tag, topics, ignore=args.ignore, by_stratum=args.by_stratum
    )
    if args.json:
        print(orjson.dumps([e.summary() for e in estimates]).decode())
    else:
        if args.second:
            print(f"the second labeller ({args.second}) scored against the first:")
        print(format_topic_estimates(estimates))
        if args.ignore:
            print(f"(left out of the micro average and the exact share: {', '.join(args.ignore)})")
    return 0 if any(e.texts for e in estimates) else 1


def cmd_rebuild(args: argparse.Namespace) -> int:
    _collect(args, "kafka_bootstrap", "redis_url")
    settings = _settings(args)
    from tweetpulse.rebuild import Plan, plan_lines, rebuild, summary

    def confirm(plan: Plan) -> bool:
        for line in plan_lines(plan):
            print(line)
        if args.yes:
            return True
        if not sys.stdin.isatty():
            print("tweetpulse: error: not a terminal; add --yes to replace the counts",
                  file=sys.stderr)  # fmt: skip
            return False
        return input("replace the window's counts with the rebuild? [y/N] ").strip() in ("y", "yes")

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    result = rebuild(settings, args.window, dry_run=args.dry_run, confirm=confirm, say=say)
    if result is None:
        print("nothing changed")
        return 1
    print("\n".join(summary(result)))
    return 0


def cmd_native(args: argparse.Namespace) -> int:
    """Compile the ingest hot path with mypyc, say whether it is in use, or delete it."""
    from streams import native

    if args.action == "status":
        status = native.check()
        print(("compiled: " if status.usable else "pure Python: ") + status.reason)
        return 0
    if args.action == "clean":
        native.clean()
        print(f"removed {native.DEFAULT_DIR}")
        return 0
    if native.check().usable and not args.force:
        print(f"the compiled modules in {native.DEFAULT_DIR} are current")
        return 0
    started = time.perf_counter()
    print(f"compiling {len(native.MODULES)} modules with mypyc (about a minute)...", flush=True)
    try:
        native.build()
    except (RuntimeError, OSError) as exc:
        print(f"tweetpulse: error: {exc}", file=sys.stderr)
        print("the pipeline runs as pure Python (same results, slower)", file=sys.stderr)
        return 1
    print(f"built {native.DEFAULT_DIR} in {time.perf_counter() - started:.0f}s")
    return 0


# --- parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tweetpulse",
        description="Near-real-time AI Twitter/X topic monitoring on Kafka + Faust + Redis.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "worker",
        help="run the Faust worker (ingest, count, window closer)",
        description="Run the Faust worker: ingest, count and window-closer agents, "
        "plus the web port: /metrics (Prometheus) and the live view /api/topics, "
        "/api/trending, /api/bursts, /api/health (see README). Stops cleanly on SIGTERM/SIGINT.",
    )
    _add_service_options(p)
    p.add_argument(
        "--web-port",
        dest="worker_web_port",
        type=int,
        help="web/metrics port (env TWEETPULSE_WORKER_WEB_PORT, default 6066)",
    )
    p.add_argument(
        "--loglevel",
        default="info",
        choices=["crit", "error", "warn", "info", "debug"],
        help="the worker's log level (default info)",
    )
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "top",
        help="live terminal view of a worker's topics, trending terms and bursts",
        description="Show a worker's live view (its /api pages) like htop: topic counts over "
        "5m/1h/24h, rate, change, burst markers, trending terms and open bursts, times in "
        "the report's zone (TWEETPULSE_TIMEZONE). Press q or Ctrl-C to quit.",
    )
    p.add_argument(
        "--url",
        help="worker web address (default http://TWEETPULSE_WORKER_WEB_HOST:"
        "TWEETPULSE_WORKER_WEB_PORT, i.e. http://127.0.0.1:6066)",
    )
    p.add_argument(
        "--interval", type=float, default=2.0, help="seconds between refreshes (default 2)"
    )
    p.add_argument("--once", action="store_true", help="print one frame and exit")
    p.set_defaults(func=cmd_top)

    p = sub.add_parser(
        "summarize",
        help="write daily reports (service, or one --window)",
        description="Without --window: consume windows.closed and write one report "
        "per closed window. With --window: (re)write that window's report from Redis.",
    )
    _add_service_options(p)
    p.add_argument(
        "--window",
        type=summarize_window,
        help="window to summarize, YYYY-MM-DD (its local start date); refused when nothing "
        "was counted that day unless --allow-empty",
    )
    p.add_argument("--force", action="store_true", help="rewrite a report that already exists")
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="with --window: write the report even when nothing was counted in the window "
        "(an empty report, on purpose)",
    )
    p.add_argument("--out", dest="out_dir", type=Path, help="output root (default out/)")
    p.add_argument("--lang", dest="report_lang", choices=["zh", "en"], help="report language")
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--llm",
        dest="report_mode",
        action="store_const",
        const="llm",
        help="write through the LLM (needs TWEETPULSE_OPENAI_API_KEY or _BASE_URL); "
        "falls back to extractive if the LLM fails",
    )
    how.add_argument(
        "--extractive",
        dest="report_mode",
        action="store_const",
        const="extractive",
        help="extractive report, no LLM call (default: the LLM when one is configured)",
    )
    p.add_argument("--max-reports", type=int, help="stop after this many reports (service mode)")
    p.set_defaults(func=cmd_summarize)

    produce = sub.add_parser(
        "produce", help="send tweets to Kafka", description="Send tweets to tweets.raw."
    )
    psub = produce.add_subparsers(dest="source", required=True, metavar="SOURCE")
    p = psub.add_parser(
        "replay",
        help="replay archive files (X API v2 JSON/JSONL, CSV exports, Weibo JSONL)",
        description="Replay tweet archives in event-time order, as fast as possible or at "
        "--speed N. The format is detected per file (or --format). Rows that cannot be parsed "
        "go to tweets.dlq and are summed up at the end; at the end a watermark closes every "
        "day the data completed. Checkpoints (one per input) make --resume continue an "
        "interrupted run without re-sending. Exit status 1 only when nothing could be sent.",
    )
    p.add_argument("files", nargs="+", type=Path, help="files to replay")
    p.add_argument("--format", choices=list(FORMATS), help="; ".join(formats_help()))
    p.add_argument(
        "--speed", type=positive_float, help="N x real time by event time (default: max)"
    )
    p.add_argument("--since", help="only tweets at/after: 2023-04-03 (report zone) or ISO+offset")
    p.add_argument("--until", help="only tweets before this date/time (same forms as --since)")
    p.add_argument("--order", choices=["time", "file"], default="time", help=ORDER_HELP)
    p.add_argument("--resume", action="store_true", help="skip what a checkpoint says was sent")
    p.add_argument("--checkpoint-dir", type=Path, help="default: TWEETPULSE_HOME/replay")
    p.add_argument("--to-file", help="write normalized tweets as JSONL here instead of Kafka")
    p.add_argument("--bootstrap", dest="kafka_bootstrap", help=BOOTSTRAP_HELP)
    p.add_argument("--no-close", action="store_true", help="do not send the final watermark")
    p.set_defaults(func=cmd_produce_replay)

    p = psub.add_parser(
        "x-stream",
        help="the live X API v2 filtered stream (rules: `tweetpulse rules`)",
        description="Read GET /2/tweets/search/stream with TWEETPULSE_X_BEARER_TOKEN into "
        "tweets.raw, reconnecting with X's backoff (network, HTTP, 429) and on a stall of "
        "TWEETPULSE_X_STALL_SECONDS. Bad messages go to tweets.dlq. Stops on Ctrl-C/SIGTERM.",
    )
    p.add_argument("--max-tweets", type=positive_int, help="stop after this many tweets")
    p.add_argument("--bootstrap", dest="kafka_bootstrap", help=BOOTSTRAP_HELP)
    p.set_defaults(func=cmd_x_stream)

    p = psub.add_parser(
        "synthetic",
        help="a seeded synthetic AI-Twitter day with ground truth",
        description="Generate a deterministic AI-Twitter day (seeded) and send it, "
        "or write it to a file; optionally write the ground-truth counts. About 0.2% of the "
        "day's tweets are late (ids in the truth's late_ids): they are sent after the closing "
        "watermark, once a worker has closed the day (see --late-after), so the pipeline "
        "keeps and counts them and adds them to the window's late count; with --to-file they "
        "are the last lines, with --no-close they follow the day at once.",
    )
    p.add_argument(
        "--day",
        type=iso_date,
        default="2025-11-07",
        help="local date of the day window (YYYY-MM-DD)",
    )
    p.add_argument(
        "--tweets", type=positive_int, default=20_000, help="tweets in the day (default 20000)"
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--truth", help="write the ground-truth JSON here")
    p.add_argument("--to-file", help="write normalized tweets as JSONL instead of sending")
    p.add_argument("--bootstrap", dest="kafka_bootstrap", help=BOOTSTRAP_HELP)
    p.add_argument("--no-close", action="store_true", help="do not send the closing watermark")
    p.add_argument(
        "--late-after",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="after the closing watermark, wait until the day's window is closed (its state "
        "in Redis) but at most SECONDS, then send the late tweets (default 60; 0: at once, "
        "and they count as late only if a worker happens to close the day first)",
    )
    p.add_argument("--redis-url", dest="redis_url", help="Redis URL (env TWEETPULSE_REDIS_URL)")
    p.set_defaults(func=cmd_produce_synthetic)

    p = sub.add_parser(
        "rules",
        help="list/add/delete/sync the X filtered-stream rules",
        description="Manage the filtered-stream rules with TWEETPULSE_X_BEARER_TOKEN. "
        "sync FILE makes the live rules exactly those of a rules file "
        "(examples/rules.example.yaml).",
    )
    rsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    rsub.add_parser(
        "list",
        help="print the live rules",
        description="Print the live filtered-stream rules, one per line: id, tag, value "
        "(tab-separated).",
    ).set_defaults(func=cmd_rules, items=[], tag=None, dry_run=False)
    r = rsub.add_parser(
        "add",
        help="add a rule, or every rule of a rules file",
        description="Add the rules of a rules FILE (examples/rules.example.yaml), or one rule "
        "given by its VALUE (an X query such as '(openai OR chatgpt) lang:en -is:retweet') "
        "with an optional --tag. Prints each rule X added with its id.",
    )
    r.add_argument("items", nargs=1, metavar="FILE_OR_VALUE", help="rules file or rule value")
    r.add_argument("--tag", help="tag of a rule added by value")
    r = rsub.add_parser(
        "delete",
        help="delete rules by id",
        description="Delete the live rules with these ids (see `tweetpulse rules list`).",
    )
    r.add_argument("items", nargs="+", metavar="ID", help="rule id")
    r = rsub.add_parser(
        "sync",
        help="make the live rules exactly those of a rules file",
        description="Make the live rules exactly those of a rules FILE "
        "(examples/rules.example.yaml): keep the rules already live, delete the others, add "
        "the missing ones. Prints how many were kept, deleted and added.",
    )
    r.add_argument("items", nargs=1, metavar="FILE", help="rules file (YAML)")
    for name in ("add", "delete", "sync"):
        r = rsub.choices[name]
        r.add_argument("--dry-run", action="store_true", help="ask X to validate only")
        r.set_defaults(func=cmd_rules, tag=None)

    p = sub.add_parser(
        "local",
        help="start/stop/inspect the local Kafka and Redis",
        description="Manage a local single-node Kafka (KRaft, jars from Maven Central) "
        "and Redis (AOF on) under TWEETPULSE_HOME (default .tweetpulse/).",
    )
    lsub = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, short, text in (
        (
            "up",
            "start Kafka and Redis if needed, create the topics",
            "Start Redis, then a single-node Kafka (KRaft, jars from Maven Central on first "
            "use), each only if its address does not answer yet, wait until both are ready, "
            "then create every tweetpulse topic that is missing (as `tweetpulse topics`). "
            "Prints one line per service.",
        ),
        (
            "down",
            "stop the Kafka and Redis that `local up` started",
            "Stop the Kafka broker, then Redis, only if `tweetpulse local up` started them "
            "(their pid files under TWEETPULSE_HOME); a service started some other way is "
            "left alone. Data stays under TWEETPULSE_HOME.",
        ),
        (
            "status",
            "say whether Kafka and Redis answer",
            "Print whether Kafka and Redis answer at the configured addresses and who "
            "started them. Changes nothing. Exit status 0 when both are up, 3 otherwise.",
        ),
    ):
        r = lsub.add_parser(name, help=short, description=text)
        _add_service_options(r)
        r.set_defaults(func=cmd_local)

    p = sub.add_parser(
        "topics",
        help="create the Kafka topics (idempotent)",
        description="Create every tweetpulse topic if missing.",
    )
    p.add_argument("--bootstrap", dest="kafka_bootstrap", help=BOOTSTRAP_HELP)
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser(
        "demo",
        help="replay a day end to end and print its report",
        description="Start Kafka + Redis if needed, a worker and the summarizer; "
        "replay one day (synthetic by default, or --corpus FILE); wait for the "
        "report(s); print the path and the top topics; stop what it started and remove the "
        "run's Kafka topics, consumer groups and Redis keys (the report files stay).",
    )
    _add_service_options(p)
    p.add_argument("--corpus", help="replay this X API v2 JSON/JSONL file instead")
    p.add_argument(
        "--tweets", type=positive_int, default=20_000, help="synthetic tweets (default 20000)"
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--day", type=iso_date, default="2025-11-07", help="synthetic day (YYYY-MM-DD)")
    p.add_argument(
        "--timeout",
        type=positive_float,
        default=240.0,
        help="give up after this many seconds (default 240)",
    )
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        help="report language (default: env TWEETPULSE_REPORT_LANG, else zh)",
    )
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the run's Kafka topics and Redis keys (default: removed at the end)",
    )
    p.set_defaults(func=cmd_demo)

    evaluate = sub.add_parser(
        "eval", help="measure a classifier", description="Measure a classifier on labelled data."
    )
    esub = evaluate.add_subparsers(dest="what", required=True, metavar="WHAT")
    p = esub.add_parser(
        "ads",
        help="precision/recall of the ad filter on a labelled corpus",
        description="Run the ad classifier over a labelled JSONL or CSV corpus and print "
        "precision, recall, F1 and the confusion table (positive = ad). Rows carry a label "
        "(label / is_spammer_user / Type: ad|organic, spam|ham, Spam|Quality, yes|no, 1|0, "
        "true|false) and an X API v2 envelope or flat fields (text / content / Tweet, optional "
        "followers / following / source / time). Unreadable rows are counted, not fatal.",
    )
    p.add_argument("--corpus", required=True, help="labelled .jsonl or .csv file")
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.add_argument(
        "--threshold",
        dest="ad_threshold",
        type=float,
        help="ad score threshold (env TWEETPULSE_AD_THRESHOLD, default 0.6)",
    )
    p.add_argument(
        "--no-campaigns",
        dest="campaign_detection",
        action="store_const",
        const=False,
        help="leave the near-duplicate campaign detector out",
    )
    p.add_argument(
        "--errors",
        type=non_negative_int,
        default=0,
        metavar="N",
        help="also print N false positives/negatives",
    )
    p.set_defaults(func=cmd_eval_ads)
    p = esub.add_parser(
        "audit",
        help="the ad filter's precision/recall on real tweets, from a hand-labelled sample",
        description="Estimate the ad filter's precision, recall and share of organic texts "
        "flagged on a real corpus, from a stratified hand-labelled sample of its distinct "
        "texts (a label file of text hashes, labels and weights; see streams/eval_audit.py).",
    )
    p.add_argument(
        "--labels",
        default="tests/data/real_audit.jsonl",
        help="label file (default: tests/data/real_audit.jsonl)",
    )
    p.add_argument(
        "--corpus",
        default="../shared/corpora/a_ai_tweets",
        help="folder of the real tweets the labels name (default: ../shared/corpora/a_ai_tweets)",
    )
    one = p.add_mutually_exclusive_group()
    one.add_argument(
        "--second",
        metavar="PATH",
        help="a second labeller's label file for the same audits: also print the estimates "
        "with its labels and how the two labellers agree (raw agreement, Cohen's kappa)",
    )
    one.add_argument(
        "--whole",
        action="store_true",
        help="also classify every distinct text of the corpus and estimate recall over all of "
        "it, every audit pooled (a blind audit's recall covers only the texts no earlier "
        "audit drew)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON instead: a list of estimates; with --whole one object "
        '({"audits", "whole"}); with --second one object ({"first", "second", "agreement"})',
    )
    p.add_argument(
        "--threshold",
        dest="ad_threshold",
        type=float,
        help="ad score threshold (env TWEETPULSE_AD_THRESHOLD, default 0.6)",
    )
    p.set_defaults(func=cmd_eval_audit)
    p = esub.add_parser(
        "topics",
        help="the topic tagger's precision/recall on real tweets, from a hand-labelled sample",
        description="Score the topic tagger (the taxonomy file in use) against a hand-labelled "
        "sample of real tweets: per topic and micro-averaged precision, recall and F1, and the "
        "share of texts whose topic set it gets exactly right (a label file of text hashes, "
        "topics and weights; see streams/eval_topics.py).",
    )
    p.add_argument(
        "--labels",
        default="tests/data/real_topics.jsonl",
        help="label file (default: tests/data/real_topics.jsonl)",
    )
    p.add_argument(
        "--corpus",
        default="../shared/corpora/a_ai_tweets",
        help="folder of the real tweets the labels name (default: ../shared/corpora/a_ai_tweets)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="TOPIC",
        help="leave a topic out of the micro average and the exact share (repeatable), e.g. "
        "apps_agents on a corpus collected with the query 'ChatGPT'",
    )
    p.add_argument(
        "--second",
        metavar="PATH",
        help="score a second labeller's topics of the same texts against the labels, in the "
        "tagger's place: how far two people agree (a ceiling for the tagger)",
    )
    p.add_argument(
        "--by-stratum",
        action="store_true",
        help="score each stratum of a sample on its own (e.g. its Chinese texts)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON list instead")
    p.add_argument(
        "--taxonomy",
        dest="taxonomy_path",
        help="taxonomy YAML (env TWEETPULSE_TAXONOMY_PATH, default: the bundled one)",
    )
    p.set_defaults(func=cmd_eval_topics)

    p = sub.add_parser(
        "rebuild",
        help="recount a day window from Kafka (tweets.enriched) and swap the counts in",
        description="Replay tweets.enriched from the window's recorded start offsets up to the "
        "current end offsets (a plain consumer: the workers' group is not touched), count the "
        "window's tweets with the count script into fresh keys, then replace the live count "
        "keys in one atomic step. The close state, bursts and report are kept; a worker may "
        "keep running. Fails clearly when no offsets are recorded or Kafka retention deleted "
        "the window's first records. See docs/runbook.md#rebuilding-a-windows-counts.",
    )
    p.add_argument("--window", required=True, help="window id, YYYYMMDD or YYYY-MM-DD")
    p.add_argument("--yes", action="store_true", help="do not ask before replacing the counts")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="only count what a rebuild would count and compare with the live totals; "
        "writes nothing",
    )
    _add_service_options(p)
    p.set_defaults(func=cmd_rebuild)

    p = sub.add_parser(
        "native",
        help="compile the ad filter and tagger with mypyc (faster ingest), or check the build",
        description="build: compile the ingest hot path (ad classifier, tagger, keyphrases) "
        "with mypyc into build/native; a process loads it only while it matches the sources "
        "(edit a module and it runs as Python until the next build). Needs a C compiler. "
        "status: say whether the compiled modules would load, and why. clean: delete the build. "
        "TWEETPULSE_PURE_PYTHON=1 runs pure Python with a build present.",
    )
    p.add_argument("action", choices=["build", "status", "clean"], help="what to do")
    p.add_argument("--force", action="store_true", help="build even when the build is current")
    p.set_defaults(func=cmd_native)
    return parser


SHORT_KAFKA_COMMANDS = frozenset({"topics", "local", "rules"})


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("kafka", "aiokafka"):  # client chatter: connects, metadata refreshes
        logging.getLogger(noisy).setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    # kafka-python logs every failed connect (at ERROR) before a short admin command's own
    # one-line "cannot reach Kafka ... Operator action" error; the long-running commands
    # (worker, produce, summarize, rebuild, demo, top) keep them: a broker lost mid-run shows
    quiet = args.command in SHORT_KAFKA_COMMANDS and not args.verbose
    logging.getLogger("kafka.net").setLevel(logging.CRITICAL if quiet else logging.NOTSET)
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except TweetpulseError as exc:
        print(f"tweetpulse: error: {exc}", file=sys.stderr)
        return 2
    except _redis_unreachable() as exc:
        print(
            f"tweetpulse: error: cannot reach Redis ({exc}). Operator action: start Redis "
            "(`tweetpulse local up`) or set TWEETPULSE_REDIS_URL (or --redis-url) to a "
            "running server.",
            file=sys.stderr,
        )
        return 2
    except BrokenPipeError:
        # the reader went away (`| head`): stop quietly like a Unix tool, 128 + SIGPIPE;
        # stdout goes to /dev/null so the flush at exit does not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        return 130
    return code


def _redis_unreachable() -> tuple[type[BaseException], ...]:
    """Redis's connection errors when a command has imported redis (evaluated only when an
    exception is matched, so the CLI does not import redis for nothing); else nothing."""
    errors = sys.modules.get("redis.exceptions")
    if errors is None:
        return ()
    return (errors.ConnectionError, errors.TimeoutError)


if __name__ == "__main__":
    sys.exit(main())
