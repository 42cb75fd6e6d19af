"""Precision and recall of the ad filter on real tweets, from a hand-labelled stratified sample.

The labelled fixtures in tests/data are written for the project, four ads in ten. Real AI
Twitter has far fewer ads, in other words, so a filter can score well there and still flag a lot
of real discussion. An **audit** measures it on the real thing:

1. classify every distinct text of a real corpus (``../shared/corpora/a_ai_tweets``);
2. draw a random sample from the flagged texts and one from the others (the two **strata**);
3. have a person label each sampled text ad / organic / unclear, without knowing its stratum.

The label file (``tests/data/real_audit.jsonl``) holds no tweet text, only each text's SHA-256
(real tweets are never copied into the repository), its label, its stratum and its **weight**:
the stratum's size over its sample size, so each sampled text stands for that many distinct
texts. :func:`estimate` then scores *any* classifier, not just the one that drew the sample:
precision = weighted labelled ads among the texts it flags / weighted texts it flags, recall =
weighted labelled ads it flags / weighted labelled ads (Horvitz-Thompson estimates over distinct
texts; "unclear" rows are left out), with ~95% intervals from a bootstrap that respects the
strata (:func:`_intervals`). ``tweetpulse eval audit`` reads the corpus, finds the sampled texts
by their hash and prints the estimates per audit; ``--second`` adds a second labeller's labels
of the same rows and how the two agree (:func:`agreement`).
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import orjson

from streams.eval_ads import tweet_from_flat_row
from streams.model import Tweet
from streams.parse import parse_object

LABELS = ("ad", "organic", "unclear")
BOOTSTRAP_ROUNDS: Final = 2000


def text_key(text: str) -> str:
    """How a label file names a text: the SHA-256 of its UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditRow:
    audit: str  # which audit (sample) the row belongs to: "audit-1", ...
    key: str  # text_key of the tweet's text
    label: str  # ad | organic | unclear
    weight: float  # distinct texts this row stands for (stratum size / sample size)
    stratum: str = ""  # the stratum it was drawn from (for the intervals; "" = one stratum)


def label_lines(path: Path, what: str) -> Iterator[tuple[str, Any]]:
    """(``path:line``, parsed object) per non-empty line of a JSONL label file; ValueError
    naming the line when one is not JSON (``what`` names the kind of row in the message)."""
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{path}:{number}", orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            msg = f"{path}:{number}: not {what} ({exc})"
            raise ValueError(msg) from None


def read_audit(path: Path) -> list[AuditRow]:
    """The rows of a label file; ValueError naming the line when one is malformed."""
    rows = []
    for where, obj in label_lines(path, "an audit row"):
        try:
            row = AuditRow(
                str(obj["audit"]),
                str(obj["sha256"]),
                obj["label"],
                obj["weight"],
                str(obj.get("stratum", "")),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            msg = f"{where}: not an audit row ({exc!r})"
            raise ValueError(msg) from None
        if row.label not in LABELS or not isinstance(row.weight, int | float) or row.weight <= 0:
            msg = f"{where}: label must be one of {LABELS} and weight positive"
            raise ValueError(msg)
        rows.append(row)
    return rows


def jsonl_tweets(path: Path) -> Iterator[Tweet]:
    """The tweets of a JSONL file of X API v2 messages or normalized tweets, or of flat rows
    (``text`` / ``content`` and the optional columns of :func:`tweet_from_flat_row`)."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            obj = orjson.loads(line)
            parsed = parse_object(obj)
            if parsed.tweets:
                yield from parsed.tweets
            elif isinstance(obj, dict):
                tweet = tweet_from_flat_row(obj, number)
                if isinstance(tweet, Tweet):
                    yield tweet


def csv_tweets(path: Path) -> Iterator[Tweet]:
    """The tweets of a CSV file with rtweet / flat columns; rows without text are skipped."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=1):
            tweet = tweet_from_flat_row(row, number)
            if isinstance(tweet, Tweet):
                yield tweet


def corpus_tweets(folder: Path) -> Iterator[Tweet]:
    """Every tweet of a corpus folder: its JSONL files, then its CSV files, each in path order."""
    for path in sorted(folder.rglob("*.jsonl")):
        yield from jsonl_tweets(path)
    for path in sorted(folder.rglob("*.csv")):
        yield from csv_tweets(path)


def sampled_tweets(tweets: Iterable[Tweet], keys: set[str]) -> dict[str, Tweet]:
    """The first tweet of each sampled text (by key)."""
    found: dict[str, Tweet] = {}
    for tweet in tweets:
        key = text_key(tweet.text)
        if key in keys and key not in found:
            found[key] = tweet
    return found


@dataclass(frozen=True, slots=True)
class AuditEstimate:
    """One audit's estimates for one classifier (see the module docstring)."""

    audit: str
    labelled: int  # rows labelled ad or organic
    unclear: int
    missing: int  # rows whose text is not in the corpus (a changed corpus)
    flagged_ads: int  # sample counts: flagged and labelled ad, ...
    flagged_organic: int
    passed_ads: int
    passed_organic: int
    precision: float
    recall: float
    organic_flagged: float  # share of organic texts flagged (the false positive rate)
    ad_share: float  # share of texts labelled ad (the base rate)
    precision_interval: tuple[float, float]  # ~95% (see _intervals)
    recall_interval: tuple[float, float]

    def summary(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


def estimate(
    rows: Iterable[AuditRow], tweets: dict[str, Tweet], is_ad: Callable[[Tweet], bool]
) -> list[AuditEstimate]:
    """Per audit, in file order: how ``is_ad`` does on the population the sample stands for."""
    by_audit: dict[str, list[AuditRow]] = {}
    for row in rows:
        by_audit.setdefault(row.audit, []).append(row)
    return [_estimate(audit, group, tweets, is_ad) for audit, group in by_audit.items()]


def _estimate(
    audit: str, rows: list[AuditRow], tweets: dict[str, Tweet], is_ad: Callable[[Tweet], bool]
) -> AuditEstimate:
    counts = {(True, "ad"): 0, (True, "organic"): 0, (False, "ad"): 0, (False, "organic"): 0}
    weights = dict.fromkeys(counts, 0.0)
    unclear = missing = 0
    decided: list[tuple[tuple[str, float], float, bool, bool]] = []  # stratum, weight, cell
    for row in rows:
        tweet = tweets.get(row.key)
        if tweet is None:
            missing += 1
            continue
        if row.label == "unclear":
            unclear += 1
            continue
        cell = (is_ad(tweet), row.label)
        counts[cell] += 1
        weights[cell] += row.weight
        decided.append(((row.stratum, row.weight), row.weight, cell[0], row.label == "ad"))
    flagged = weights[True, "ad"] + weights[True, "organic"]
    ads = weights[True, "ad"] + weights[False, "ad"]
    organic = weights[True, "organic"] + weights[False, "organic"]
    precision = weights[True, "ad"] / flagged if flagged else 0.0
    recall = weights[True, "ad"] / ads if ads else 0.0
    precision_interval, recall_interval = _intervals(decided)
    return AuditEstimate(
        audit=audit,
        labelled=sum(counts.values()),
        unclear=unclear,
        missing=missing,
        flagged_ads=counts[True, "ad"],
        flagged_organic=counts[True, "organic"],
        passed_ads=counts[False, "ad"],
        passed_organic=counts[False, "organic"],
        precision=precision,
        recall=recall,
        organic_flagged=weights[True, "organic"] / organic if organic else 0.0,
        ad_share=ads / (ads + organic) if ads + organic else 0.0,
        precision_interval=precision_interval,
        recall_interval=recall_interval,
    )


def _intervals(
    decided: list[tuple[tuple[str, float], float, bool, bool]],
) -> tuple[tuple[float, float], tuple[float, float]]:
    """~95% intervals of precision and recall: a rescaling bootstrap for stratified samples
    (Rao and Wu, 1988), deterministic (a fixed seed).

    Each round redraws n_h - 1 of the n_h rows of every stratum h, with replacement, and
    rescales the weights so that a stratum labelled whole (weight 1) never varies and a small
    sample of a big stratum varies as much as it really does. Percentiles, not a normal
    approximation: with a few heavy rows (an ad drawn from 35,000 unflagged texts stands for
    150 of them) the estimates are far from normal."""
    cells: dict[tuple[str, float], list[int]] = {}
    for stratum, _, flagged, ad in decided:
        cells.setdefault(stratum, [0, 0, 0, 0])[2 * (not flagged) + (not ad)] += 1
    rng = np.random.default_rng(0)
    totals = np.zeros((BOOTSTRAP_ROUNDS, 4))
    for (_, weight), counts in cells.items():
        n = sum(counts)
        if n < 2 or weight <= 1:  # a census, or one row: nothing to redraw
            totals += weight * np.array(counts, dtype=float)
            continue
        scale = math.sqrt(1 - 1 / weight)  # with n_h - 1 draws (no negative weights)
        draws = rng.multinomial(n - 1, np.array(counts) / n, size=BOOTSTRAP_ROUNDS)
        totals += weight * ((1 - scale) * np.array(counts) + scale * n / (n - 1) * draws)
    flagged_ads, flagged_organic, passed_ads = totals[:, 0], totals[:, 1], totals[:, 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.nan_to_num(flagged_ads / (flagged_ads + flagged_organic))
        recall = np.nan_to_num(flagged_ads / (flagged_ads + passed_ads))
    low, high = 2.5, 97.5
    return (
        (float(np.percentile(precision, low)), float(np.percentile(precision, high))),
        (float(np.percentile(recall, low)), float(np.percentile(recall, high))),
    )


# The strata drawn at random from the texts the filter of the day did not flag ("unflagged"
# in the first audits, "flagged by neither" the old nor the new round later).
UNFLAGGED_STRATA: Final = frozenset({"unflagged", "flagged by neither"})


@dataclass(frozen=True, slots=True)
class CorpusEstimate:
    """Recall over a whole corpus, pooled over every audit (see :func:`whole_corpus`)."""

    tweets: int  # tweets in the corpus (a text posted twice counts twice)
    tweets_flagged: int
    texts: int  # distinct texts in the corpus
    flagged: int  # distinct texts the classifier flags
    flagged_labelled: int  # of those, labelled ad or organic in some audit
    flagged_ad_share: float  # share of those labelled ad (the precision of the flags)
    passed: int  # distinct texts it does not flag
    passed_labelled: int  # labelled rows of an unflagged stratum that it still does not flag
    passed_ad_share: float  # share of those labelled ad (the ads it misses, per text)
    ads_flagged: float  # estimated ads among the flagged texts
    ads_missed: float  # estimated ads among the others
    recall: float
    recall_interval: tuple[float, float]  # ~95%, binomial bootstrap of the two shares

    def summary(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}


def whole_corpus(
    rows: Iterable[AuditRow], verdicts: dict[str, bool], posted: dict[str, int] | None = None
) -> CorpusEstimate:
    """How many of a corpus's ads the classifier flags, from every audit at once.

    ``verdicts`` maps the ``text_key`` of every distinct text of the corpus to the classifier's
    verdict, ``posted`` to how many tweets carry the text (1 each when not given). A blind audit
    estimates recall on the texts no earlier audit drew, and as the audits draw the flagged
    texts, that remainder is almost all unflagged; this pools them instead. The flagged texts'
    ad share comes from those that carry a label (from any stratum; most flagged texts do); the
    unflagged texts' ad share from the rows of the random unflagged strata
    (:data:`UNFLAGGED_STRATA`) that the classifier still passes, each a random draw from the
    texts passed at the time. Both are per distinct text, unweighted; the first text's label
    counts when audits label it twice. Optimistic when the classifier was written from the same
    labels: their misses are fixed, so fewer labelled misses remain."""
    labels: dict[str, str] = {}
    passed_labels: dict[str, str] = {}
    for row in rows:
        if row.label == "unclear" or row.key not in verdicts:
            continue
        labels.setdefault(row.key, row.label)
        if row.stratum in UNFLAGGED_STRATA and not verdicts[row.key]:
            passed_labels.setdefault(row.key, row.label)
    flagged_ads = [labels[k] == "ad" for k, flagged in verdicts.items() if flagged and k in labels]
    passed_ads = [label == "ad" for label in passed_labels.values()]
    flagged = sum(verdicts.values())
    passed = len(verdicts) - flagged
    f_share = sum(flagged_ads) / len(flagged_ads) if flagged_ads else 0.0
    p_share = sum(passed_ads) / len(passed_ads) if passed_ads else 0.0
    found, missed = f_share * flagged, p_share * passed
    rng = np.random.default_rng(0)
    f_draws = rng.binomial(len(flagged_ads), f_share, BOOTSTRAP_ROUNDS) / max(len(flagged_ads), 1)
    p_draws = rng.binomial(len(passed_ads), p_share, BOOTSTRAP_ROUNDS) / max(len(passed_ads), 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        draws = np.nan_to_num(f_draws * flagged / (f_draws * flagged + p_draws * passed))
    posted = posted or {}
    return CorpusEstimate(
        tweets=sum(posted.get(key, 1) for key in verdicts),
        tweets_flagged=sum(posted.get(key, 1) for key, flagged in verdicts.items() if flagged),
        texts=len(verdicts),
        flagged=flagged,
        flagged_labelled=len(flagged_ads),
        flagged_ad_share=f_share,
        passed=passed,
        passed_labelled=len(passed_ads),
        passed_ad_share=p_share,
        ads_flagged=found,
        ads_missed=missed,
        recall=found / (found + missed) if found + missed else 0.0,
        recall_interval=(float(np.percentile(draws, 2.5)), float(np.percentile(draws, 97.5))),
    )


def format_whole_corpus(e: CorpusEstimate) -> str:
    return (
        f"whole corpus: {e.tweets_flagged:,} of {e.tweets:,} tweets flagged "
        f"({e.tweets_flagged / max(e.tweets, 1):.2%}); every audit pooled, over its "
        f"{e.texts:,} distinct texts: "
        f"{e.flagged:,} flagged, {e.flagged_ad_share:.1%} of the {e.flagged_labelled:,} "
        f"labelled ones ads; {e.passed:,} passed, {e.passed_ad_share:.1%} of "
        f"{e.passed_labelled:,} labelled rows of unflagged strata ads\n"
        f"  ads flagged ~{e.ads_flagged:,.0f}, missed ~{e.ads_missed:,.0f}: "
        f"recall {_interval(e.recall, e.recall_interval)}"
    )


@dataclass(frozen=True, slots=True)
class Agreement:
    """How two labellers of the same audit rows agree (rows both decided: ad or organic)."""

    audit: str
    rows: int  # rows both labelled (matched by audit and text)
    decided: int  # of those, rows neither called unclear
    both_ad: int
    first_only: int  # ad for the first labeller, organic for the second
    second_only: int
    both_organic: int
    kappa: float  # Cohen's kappa over the decided rows (1 = perfect, 0 = chance; 1 if one label)

    @property
    def agreement(self) -> float:
        return (self.both_ad + self.both_organic) / self.decided if self.decided else 0.0

    def summary(self) -> dict[str, object]:
        out: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        out["agreement"] = self.agreement
        return out


def agreement(first: Iterable[AuditRow], second: Iterable[AuditRow]) -> list[Agreement]:
    """Per audit of ``second``, in file order: its labels against ``first``'s on the same texts.

    Counted over the sample, unweighted: the question is whether two people draw the line in
    the same place on the texts they both read, not an estimate for the corpus."""
    labels = {(row.audit, row.key): row.label for row in first}
    cells: dict[str, dict[tuple[str, str], int]] = {}
    for row in second:
        mine = labels.get((row.audit, row.key))
        if mine is None:
            continue
        audit = cells.setdefault(row.audit, {})
        audit[mine, row.label] = audit.get((mine, row.label), 0) + 1
    return [_agreement(audit, cell) for audit, cell in cells.items()]


def _agreement(audit: str, cell: dict[tuple[str, str], int]) -> Agreement:
    both_ad, first_only = cell.get(("ad", "ad"), 0), cell.get(("ad", "organic"), 0)
    second_only, both_organic = cell.get(("organic", "ad"), 0), cell.get(("organic", "organic"), 0)
    decided = both_ad + first_only + second_only + both_organic
    kappa = 0.0
    if decided:
        observed = (both_ad + both_organic) / decided
        first_ad = (both_ad + first_only) / decided
        second_ad = (both_ad + second_only) / decided
        chance = first_ad * second_ad + (1 - first_ad) * (1 - second_ad)
        kappa = (observed - chance) / (1 - chance) if chance < 1 else 1.0
    return Agreement(
        audit=audit,
        rows=sum(cell.values()),
        decided=decided,
        both_ad=both_ad,
        first_only=first_only,
        second_only=second_only,
        both_organic=both_organic,
        kappa=kappa,
    )


def format_agreement(agreements: list[Agreement]) -> str:
    lines = [
        f"{'audit':10}{'rows':>6}{'decided':>9}{'agree':>8}{'kappa':>8}"
        f"{'ad/ad, ad/organic, organic/ad, organic/organic':>50}",
    ]
    for a in agreements:
        cells = f"{a.both_ad}, {a.first_only}, {a.second_only}, {a.both_organic}"
        lines.append(
            f"{a.audit:10}{a.rows:>6}{a.decided:>9}{a.agreement:>8.1%}{a.kappa:>8.2f}{cells:>50}"
        )
    return "\n".join(lines)


def _interval(value: float, interval: tuple[float, float]) -> str:
    return f"{value:.3f} [{interval[0]:.2f}-{interval[1]:.2f}]"


def format_estimates(estimates: list[AuditEstimate]) -> str:
    lines = [
        f"{'audit':10}{'precision [95%]':>20}{'recall [95%]':>20}{'organic flagged':>17}"
        f"{'ads (base)':>12}"
        f"{'sample: flagged ad/organic, passed ad/organic':>48}",
    ]
    for e in estimates:
        sample = f"{e.flagged_ads}/{e.flagged_organic}, {e.passed_ads}/{e.passed_organic}"
        # no flagged row (a sample of passed texts, as the near misses): precision is undefined
        flags = e.flagged_ads + e.flagged_organic
        precision = _interval(e.precision, e.precision_interval) if flags else "no flag"
        lines.append(
            f"{e.audit:10}{precision:>20}"
            f"{_interval(e.recall, e.recall_interval):>20}"
            f"{e.organic_flagged:>16.2%}{e.ad_share:>12.1%}{sample:>48}"
        )
        if e.unclear or e.missing:
            lines.append(f"{'':10}({e.unclear} unclear left out, {e.missing} not in the corpus)")
    return "\n".join(lines)
