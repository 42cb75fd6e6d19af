"""``make bench``: ad classifier + topic tagger throughput over the real corpora, on one core.

Not a test (nothing here asserts a speed). Per corpus in ``../shared/corpora`` (the tweets are
read and parsed first, outside the clock), it times what the ingest agent does per tweet:
``AdClassifier.classify`` (with the campaign detector the worker uses) + ``Tagger.tag`` +
``Tagger.terms`` (hashtags, cashtags and keyphrases: jieba where a text is Chinese) for the
tweets that are not ads, as :class:`streams.enrich.Enricher` does (an ad's terms are never
counted; the "tag+terms" column times every tweet), best of
``--rounds`` passes, and prints tweets per second of process CPU time (one core; other processes
on the machine do not count) and of wall time, per corpus, for the English corpora, for the
all-Chinese Weibo corpus and overall. The text caches (normalization, keyphrases) are cleared
before every pass, so each pass handles every text once, as the pipeline does; jieba's
dictionary loads before the clock starts. Target: >= 20,000 tweets/s.

Run: ``python -m tests.bench.ads [--rounds 3]``. Needs no services.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from streams.ads import AdClassifier
from streams.campaigns import CampaignDetector, simhash
from streams.eval_ads import Example, read_corpus
from streams.eval_audit import csv_tweets, jsonl_tweets
from streams.model import Tweet
from streams.settings import Settings
from streams.taxonomy import Tagger, load_taxonomy, normalize_text
from tests.shared_data import CORPORA

TARGET = 20_000


def _labelled(path: Path) -> Iterator[Tweet]:
    for item in read_corpus(path):
        if isinstance(item, Example):
            yield item.tweet


_DAILY = "a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl"
_FORTY_MIN = "a_ai_tweets/chatgpt_tweets_2023-04-27_rtweet_40min.csv"
_GEO_ASIA = "a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/Asia.csv"
_UTKML = "b_spam_labelled/utkml_twitter_spam_quality_vs_spam.csv"
_WEIBO = "c_chinese/weibo_posts_user_labelled_spam_2011-2017.jsonl"
CORPUS_FILES: list[tuple[str, str, Callable[[Path], Iterator[Tweet]]]] = [
    ("chatgpt daily (v2, many langs)", _DAILY, jsonl_tweets),
    ("chatgpt 40 min (rtweet CSV)", _FORTY_MIN, csv_tweets),
    ("chatgpt geo Asia (CSV)", _GEO_ASIA, csv_tweets),
    ("utkml spam (EN CSV)", _UTKML, _labelled),
    ("weibo (ZH JSONL)", _WEIBO, _labelled),
]
CHINESE = {"weibo (ZH JSONL)"}  # the all-Chinese corpus: jieba on nearly every tweet


def _time(
    work: Callable[[], None], rounds: int, tagger: Tagger | None = None
) -> tuple[float, float]:
    """Best (CPU seconds, wall seconds) of ``rounds`` runs, text caches cleared before each."""
    best_cpu = best_wall = float("inf")
    for _ in range(rounds):
        normalize_text.cache_clear()
        simhash.cache_clear()
        if tagger is not None:  # keyphrases per text (verdicts on names stay warm)
            tagger.keyphrases.cache_clear()
        cpu, wall = time.process_time(), time.perf_counter()
        work()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def bench(tweets: list[Tweet], settings: Settings, tagger: Tagger, rounds: int) -> dict[str, float]:
    """CPU-time throughput of each stage and of the whole (classify with campaigns + tag)."""

    def classify_plain() -> None:
        classifier = AdClassifier(settings.ad_threshold)
        for tweet in tweets:
            classifier.classify(tweet)

    def tag() -> None:
        for tweet in tweets:
            tagger.tag(tweet)
            tagger.terms(tweet)

    def keyphrases() -> None:  # the part of terms that needs jieba and the English tokenizer
        extract = tagger.keyphrases.extract
        for tweet in tweets:
            extract(tweet.text)

    def whole() -> None:
        classifier = AdClassifier.from_settings(settings)  # a fresh detector per pass
        for tweet in tweets:
            verdict = classifier.classify(tweet)
            tagger.tag(tweet)
            if not verdict.is_ad:
                tagger.terms(tweet)

    def campaigns_all() -> None:  # the detector fed every tweet, ungated
        detector = CampaignDetector.from_settings(settings) or CampaignDetector()
        for tweet in tweets:
            detector.observe(tweet)

    n = len(tweets)
    out: dict[str, float] = {}
    for name, work in (
        ("classify", classify_plain),
        ("tag+terms", tag),
        ("keyphrases", keyphrases),
        ("detector (every tweet)", campaigns_all),
    ):
        cpu, _ = _time(work, rounds, tagger)
        out[name] = n / cpu
    cpu, wall = _time(whole, rounds, tagger)
    out["classify+campaigns+tag"] = n / cpu
    out["  (wall clock)"] = n / wall
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes per measurement (best)")
    args = parser.parse_args()
    settings = Settings.load()
    tagger = Tagger(load_taxonomy(settings.taxonomy_path))
    tagger.keyphrases.extract("英伟达")  # load jieba's dictionary outside the clock
    AdClassifier.from_settings(settings)  # the ad model loads before the freeze, as in the worker
    rows: list[tuple[str, int, dict[str, float]]] = []
    everything: list[Tweet] = []
    for label, relative, reader in CORPUS_FILES:
        path = CORPORA / relative
        if not path.exists():
            print(f"skipped {label}: {path} not found (set TWEETPULSE_SHARED_DIR)")
            continue
        tweets = list(reader(path))
        everything += tweets
        # The corpora held in memory (hundreds of thousands of objects) are no garbage: keep
        # them out of the collector, or every full collection traverses them and charges the
        # classifier for the benchmark's own memory (~8% of its instructions). The worker
        # freezes its start-up objects the same way (tweetpulse/runtime.py).
        gc.freeze()
        rows.append((label, len(tweets), bench(tweets, settings, tagger, args.rounds)))
    if not rows:
        raise SystemExit("no corpus found")
    stages = list(rows[0][2])

    def total(label: str, part: list[tuple[str, int, dict[str, float]]]) -> None:
        """Each corpus is its own stream: a total is all tweets over the summed times."""
        n_part = sum(n for _, n, _ in part)
        if part:
            rates = {s: n_part / sum(n / result[s] for _, n, result in part) for s in stages}
            rows.append((label, n_part, rates))

    corpora = list(rows)
    total("English corpora (total)", [row for row in corpora if row[0] not in CHINESE])
    total("Chinese corpus (total)", [row for row in corpora if row[0] in CHINESE])
    total("total (corpus by corpus)", corpora)
    # one stream of every corpus back to back: unrelated texts, the harshest for the caches
    rows.append(
        (
            "all corpora as one stream",
            len(everything),
            bench(everything, settings, tagger, args.rounds),
        )
    )
    print(f"ad classifier + tagger, tweets/s per core (CPU time; target {TARGET:,})")
    print(f"{'corpus':32} {'tweets':>7} " + " ".join(f"{s:>22}" for s in stages))
    for label, n, result in rows:
        print(f"{label:32} {n:7,d} " + " ".join(f"{result[s]:22,.0f}" for s in stages))
    print("(other load on the machine inflates even CPU time: compare runs on a quiet machine)")
    for label, _, result in rows[-4:]:
        rate = result["classify+campaigns+tag"]
        verdict = "meets" if rate >= TARGET else "misses"
        print(f"classify+campaigns+tag, {label}: {rate:,.0f} tweets/s ({verdict} the target)")


if __name__ == "__main__":
    main()
