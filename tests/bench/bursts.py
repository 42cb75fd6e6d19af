"""Offline burst measurement: the pure detector (streams/bursts.py) on real and synthetic days.

Not a test (nothing here asserts). The tweets go through what the worker does to them (parse,
the ad classifier, the tagger, its terms; each tweet id counted once), are bucketed by
``TWEETPULSE_BURST_BUCKET`` (5 minutes), and every bucket from the first to the last with data is
fed to a fresh detector, as a worker replaying them would; each bucket's total is every counted
tweet (the worker's ``_all``). Each detector setting is run on the same buckets:

- ``gaps off`` (``gap_min_expected=0``: every empty bucket is silence, the detector before gaps),
- ``gaps on`` (the default ``TWEETPULSE_BURST_GAP_MIN_EXPECTED``),
- ``plain EWMA`` (gaps on, ``traffic_adjust=False``; synthetic only).

``corpus PATH``: open events per day window (topics and terms), and the topic openings. The
sampled ChatGPT corpus (tweets only at minutes :58-:59 of each hour) is
``corpora/a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl``.

``synthetic``: ``--days`` seeded days of ``--tweets`` (producers.synthetic, seeds 1..N) with
their planted bursts: planted bursts found (a topic opening inside the burst or within one bucket
after it), topic openings that match no planted burst (false alarms) and the days with any.
``--outage-hour H`` drops every tweet of the local hour H (a collector down for an hour).

Run: ``python -m tests.bench.bursts corpus PATH`` or ``python -m tests.bench.bursts synthetic
[--days 30] [--tweets 20000] [--outage-hour 7]``. Needs no services; 30 synthetic days take
about 10 minutes.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from producers.synthetic import generate_day
from streams.ads import AdClassifier
from streams.bursts import BurstConfig, BurstDetector, BurstEvent, BurstKey
from streams.enrich import Enricher, RecentIds
from streams.model import Tweet
from streams.parse import parse_raw_record
from streams.settings import Settings
from streams.taxonomy import Tagger, load_taxonomy
from streams.windows import window_for
from tests.shared_data import CORPORA

Buckets = dict[datetime, tuple[Counter[BurstKey], int]]  # start -> (key counts, total)


def count(tweets: Iterable[Tweet], settings: Settings) -> Buckets:
    """Per bucket: organic topic and term counts and every counted tweet (ads included)."""
    enricher = Enricher(
        AdClassifier.from_settings(settings),
        Tagger(load_taxonomy(settings.taxonomy_path)),
        RecentIds(),
    )
    width = settings.burst_bucket
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    out: dict[datetime, tuple[Counter[BurstKey], list[int]]] = {}
    enriched, _ = enricher.enrich(tweets)
    for item in enriched:
        start = epoch + (item.tweet.created_at - epoch) // width * width
        counts, total = out.setdefault(start, (Counter(), [0]))
        total[0] += 1
        if not item.ad.is_ad:
            counts.update(BurstKey("topic", t) for t in item.topics)
            counts.update(BurstKey("term", t) for t in item.terms)
    return {start: (counts, total[0]) for start, (counts, total) in out.items()}


def detect(buckets: Buckets, config: BurstConfig) -> tuple[list[BurstEvent], int]:
    """Every bucket from the first to the last with data, fed in order; (events, gap buckets)."""
    detector = BurstDetector(config)
    events: list[BurstEvent] = []
    start, last = min(buckets), max(buckets)
    while start <= last:
        counts, total = buckets.get(start, (Counter(), 0))
        events += detector.observe(start, counts, total)
        start += config.bucket
    return events, detector.gap_buckets


def _unique(tweets: Iterable[Tweet]) -> Iterator[Tweet]:
    seen: set[str] = set()
    for tweet in tweets:
        if tweet.id not in seen:
            seen.add(tweet.id)
            yield tweet


def corpus(path: Path, settings: Settings) -> None:
    def tweets() -> Iterator[Tweet]:
        with path.open("rb") as fh:
            for line in fh:
                yield from parse_raw_record(
                    line.strip(), max_text_chars=settings.max_text_chars
                ).tweets

    buckets = count(_unique(tweets()), settings)
    zone, hour = settings.zone, settings.window_start_hour
    day_tweets: Counter[str] = Counter()
    for start, (_, total) in buckets.items():
        day_tweets[window_for(start, zone, hour).id] += total
    print(f"{path.name}: {sum(day_tweets.values())} tweets, {len(buckets)} buckets with data")
    base = BurstConfig.from_settings(settings)
    for name, config in (("gaps off", replace(base, gap_min_expected=0)), ("gaps on", base)):
        events, gaps = detect(buckets, config)
        opens = [e for e in events if e.event == "open"]
        print(f"  {name}: {gaps} gap buckets; open events per day (topic / term):")
        for day in sorted(day_tweets):
            of_day = [e for e in opens if window_for(e.at - config.bucket, zone, hour).id == day]
            kinds = Counter(e.key.kind for e in of_day)
            print(
                f"    {day}: {day_tweets[day]:5d} tweets  {kinds['topic']:3d} / {kinds['term']:3d}"
            )
        kinds = Counter(e.key.kind for e in opens)
        print(f"    all: {kinds['topic']} / {kinds['term']}")
        for e in opens:
            if e.key.kind == "topic":
                print(f"      {e.at:%Y-%m-%d %H:%M} {e.key.name} count {e.count} z {e.z:.1f}")


def synthetic(days: int, n: int, outage_hour: int | None, settings: Settings) -> None:
    base = BurstConfig.from_settings(settings)
    configs = {
        "gaps off": replace(base, gap_min_expected=0),
        "gaps on": base,
        "plain EWMA": replace(base, traffic_adjust=False),
    }
    totals = {name: Counter[str]() for name in configs}
    for seed in range(1, days + 1):
        tweets, truth = generate_day(date(2025, 11, 7), n, seed, settings.zone)
        if outage_hour is not None:
            down = datetime(2025, 11, 7, outage_hour, tzinfo=settings.zone)
            tweets = [t for t in tweets if not down <= t.created_at < down + timedelta(hours=1)]
        buckets = count(_unique(tweets), settings)
        planted = [
            (b["topic"], datetime.fromisoformat(b["start"]), datetime.fromisoformat(b["end"]))
            for b in truth.bursts
        ]
        for name, config in configs.items():
            events, gaps = detect(buckets, config)
            found, false = set(), 0
            for e in events:
                if e.event != "open" or e.key.kind != "topic":
                    continue
                hits = [
                    i
                    for i, (topic, start, end) in enumerate(planted)
                    if e.key.name == topic and start < e.at <= end + config.bucket
                ]
                found.update(hits)
                false += not hits
            t = totals[name]
            t.update(planted=len(planted), found=len(found), false=false, gaps=gaps)
            t["false_days"] += false > 0
    label = f"{days} synthetic days of {n} tweets"
    if outage_hour is not None:
        label += f", no tweets {outage_hour:02d}:00-{outage_hour + 1:02d}:00"
    print(label)
    for name, t in totals.items():
        print(
            f"  {name}: planted bursts found {t['found']}/{t['planted']}, false alarms "
            f"{t['false']} on {t['false_days']} days, gap buckets {t['gaps']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.bursts", description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    c = sub.add_parser("corpus", help="a replay file (JSON lines, as `tweetpulse produce replay`)")
    c.add_argument("path", type=Path, help=f"e.g. {CORPORA}/a_ai_tweets/derived_replay_...jsonl")
    s = sub.add_parser("synthetic", help="seeded synthetic days with planted bursts")
    s.add_argument("--days", type=int, default=30)
    s.add_argument("--tweets", type=int, default=20_000)
    s.add_argument("--outage-hour", type=int, choices=range(24), default=None)
    args = parser.parse_args()
    settings = Settings.load()
    if args.what == "corpus":
        corpus(args.path, settings)
    else:
        synthetic(args.days, args.tweets, args.outage_hour, settings)


if __name__ == "__main__":
    main()
