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
texts; "unclear" rows are left out). ``tweetpulse eval audit`` reads the corpus, finds the
sampled texts by their hash and prints the estimates per audit.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from streams.eval_ads import tweet_from_flat_row
from streams.model import Tweet
from streams.parse import parse_object

LABELS = ("ad", "organic", "unclear")


def text_key(text: str) -> str:
    """How a label file names a text: the SHA-256 of its UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditRow:
    audit: str  # which audit (sample) the row belongs to: "audit-1", ...
    key: str  # text_key of the tweet's text
    label: str  # ad | organic | unclear
    weight: float  # distinct texts this row stands for (stratum size / sample size)


def read_audit(path: Path) -> list[AuditRow]:
    """The rows of a label file; ValueError naming the line when one is malformed."""
    rows = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = orjson.loads(line)
            row = AuditRow(str(obj["audit"]), str(obj["sha256"]), obj["label"], obj["weight"])
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            msg = f"{path}:{number}: not an audit row ({exc})"
            raise ValueError(msg) from None
        if row.label not in LABELS or not isinstance(row.weight, int | float) or row.weight <= 0:
            msg = f"{path}:{number}: label must be one of {LABELS} and weight positive"
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
    precision_margin: float  # ~95% margin of the precision (normal approximation)

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
    flagged_rows: list[tuple[float, bool]] = []  # (weight, labelled ad) of flagged rows
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
        if cell[0]:
            flagged_rows.append((row.weight, row.label == "ad"))
    flagged = weights[True, "ad"] + weights[True, "organic"]
    ads = weights[True, "ad"] + weights[False, "ad"]
    organic = weights[True, "organic"] + weights[False, "organic"]
    precision = weights[True, "ad"] / flagged if flagged else 0.0
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
        recall=weights[True, "ad"] / ads if ads else 0.0,
        organic_flagged=weights[True, "organic"] / organic if organic else 0.0,
        ad_share=ads / (ads + organic) if ads + organic else 0.0,
        precision_margin=_margin(precision, flagged_rows),
    )


def _margin(p: float, rows: list[tuple[float, bool]]) -> float:
    """~95% margin of a weighted proportion, with Kish's effective sample size."""
    if not rows:
        return 0.0
    total = sum(w for w, _ in rows)
    effective = total * total / sum(w * w for w, _ in rows)
    return 1.96 * math.sqrt(p * (1 - p) / effective)


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


def format_estimates(estimates: list[AuditEstimate]) -> str:
    lines = [
        f"{'audit':10}{'precision':>14}{'recall':>9}{'organic flagged':>17}{'ads (base)':>12}"
        f"{'sample: flagged ad/organic, passed ad/organic':>48}",
    ]
    for e in estimates:
        sample = f"{e.flagged_ads}/{e.flagged_organic}, {e.passed_ads}/{e.passed_organic}"
        lines.append(
            f"{e.audit:10}{e.precision:>8.3f} ±{e.precision_margin:.2f}{e.recall:>9.3f}"
            f"{e.organic_flagged:>16.2%}{e.ad_share:>12.1%}{sample:>48}"
        )
        if e.unclear or e.missing:
            lines.append(f"{'':10}({e.unclear} unclear left out, {e.missing} not in the corpus)")
    return "\n".join(lines)
