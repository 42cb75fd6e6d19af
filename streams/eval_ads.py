"""Measure the ad classifier on a labelled corpus (``tweetpulse eval ads --corpus PATH``).

Rows come from JSONL (one object per line) or CSV (a header row), told apart by the suffix
(``.csv`` / ``.tsv``; anything else is read as JSONL). Each row needs

* a **label**, under the first present key of :data:`LABEL_KEYS` (``label``,
  ``is_spammer_user``, ``Type`` ...), with a value from :data:`POSITIVE` (ad, spam, Spam, yes,
  1, true ...) or :data:`NEGATIVE` (organic, ham, Quality, no, 0, false ...), any case;
* a **tweet**: an X API v2 envelope (``data`` + ``includes.users``, one or more tweets, all
  with the row's label) or flat fields: the text under ``text`` / ``content`` / ``Tweet`` ...,
  optional account fields (``followers_num`` / ``followers`` / ``followers_count``,
  ``following_num`` / ``following`` ..., ``tweet_count``, ``user_created``), the posting
  client (``source`` / ``source_client`` / ``statusSource``, HTML stripped), a time
  (``created_at`` / ``time_iso_guess`` / ``created`` ...) and an account id or name.

A row whose label or text cannot be read is skipped with a reason (see :class:`Skip`) and
counted, never fatal. Naive timestamps are read as UTC; rows without a usable time get
:data:`UNKNOWN_TIME` (the campaign detector then sees them all at once).

The pure parts (:func:`parse_label`, :func:`example_from_row`, :class:`Confusion`,
:func:`evaluate`) take plain values; :func:`read_corpus` is the only function that reads files.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import orjson

from streams.ads import AdClassifier
from streams.model import Author, Reference, Tweet
from streams.parse import tweets_from_v2

LABEL_KEYS: Final = ("label", "is_spammer_user", "is_spammer", "is_ad", "is_spam", "Type", "type")
POSITIVE: Final = frozenset({"ad", "ads", "spam", "spammer", "promo", "yes", "y", "1", "true"})
NEGATIVE: Final = frozenset(
    {"organic", "ham", "quality", "normal", "not_ad", "no", "n", "0", "false"}
)
TEXT_KEYS: Final = ("text", "content", "Tweet", "tweet", "full_text", "body")
TIME_KEYS: Final = ("created_at", "time_iso_guess", "tweet_created", "created", "Date", "date")
ID_KEYS: Final = ("id", "Id", "tweet_id", "ID")
ACCOUNT_ID_KEYS: Final = ("author_id", "user_id")
USERNAME_KEYS: Final = ("username", "user_username", "screenName", "screen_name", "user_name")
FOLLOWERS_KEYS: Final = ("followers_count", "followers_num", "user_followers_count", "followers")
FOLLOWING_KEYS: Final = (
    "following_count",
    "following_num",
    "user_following_count",
    "friends_count",
    "following",
)
TWEET_COUNT_KEYS: Final = ("tweet_count", "user_tweet_count", "statuses_count")
ACCOUNT_CREATED_KEYS: Final = ("user_created", "author_created_at", "account_created_at")
SOURCE_KEYS: Final = ("source", "source_client", "statusSource")
RETWEET_KEYS: Final = ("is_retweet", "isRetweet")
UNKNOWN_TIME: Final = datetime(2000, 1, 1, tzinfo=UTC)

_TAG_RE: Final = re.compile(r"<[^>]*>")
_US_DATE_RE: Final = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_MISSING: Final = frozenset({"", "#n/a", "n/a", "na", "nan", "null", "none"})


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled tweet."""

    tweet: Tweet
    is_ad: bool


@dataclass(frozen=True, slots=True)
class Skip:
    """A row that could not be used: ``reason`` is one of ``no_label``, ``bad_label``,
    ``no_text``, ``bad_json``, ``bad_row``; ``line`` is the 1-based line (or CSV record)."""

    line: int
    reason: str
    detail: str = ""


# --- labels and fields --------------------------------------------------------------------------


def parse_label(value: object) -> bool | None:
    """True for an ad/spam label, False for organic, None when the value is not a label."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(int(value)) if value in (0, 1) else None
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in POSITIVE:
            return True
        if word in NEGATIVE:
            return False
    return None


def _first(row: Mapping[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        value = row.get(key)
        if value is not None and not (isinstance(value, str) and value.strip() in ("", "#N/A")):
            return value
    return None


def _count(value: object) -> int | None:
    """A non-negative count from an int, a float or a numeric string; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        if value.strip().casefold() in _MISSING:
            return None
        try:
            value = float(value.replace(",", ""))
        except ValueError:
            return None
    if isinstance(value, int | float) and value == value and 0 <= value < 1e15:  # not NaN
        return int(value)
    return None


def parse_time(value: object) -> datetime | None:
    """An aware datetime from ISO 8601 (naive = UTC), ``M/D/YYYY H:MM[:SS]`` (UTC) or epoch
    seconds; None when unreadable."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _US_DATE_RE.match(text)
    if match:
        month, day, year, hour, minute, second = match.groups()
        try:
            return datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second or 0),
                tzinfo=UTC,
            )
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _truthy(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in ("1", "1.0", "true", "yes")
    return bool(value) if isinstance(value, int | float) else False


def tweet_from_flat_row(row: Mapping[str, Any], line: int) -> Tweet | Skip:
    """A :class:`Tweet` from a flat row (see the module docstring); a Skip without text."""
    text = _first(row, TEXT_KEYS)
    if not isinstance(text, str) or not text.strip():
        return Skip(line, "no_text", "no text under " + "/".join(TEXT_KEYS))
    raw_id = _first(row, ID_KEYS)
    tweet_id = str(raw_id) if isinstance(raw_id, int | str) and str(raw_id).isdigit() else None
    source = _first(row, SOURCE_KEYS)
    account_id = _first(row, ACCOUNT_ID_KEYS)
    username = _first(row, USERNAME_KEYS)
    author = Author(
        id=str(account_id) if account_id is not None else None,
        username=str(username) if username is not None else None,
        followers_count=_count(_first(row, FOLLOWERS_KEYS)),
        following_count=_count(_first(row, FOLLOWING_KEYS)),
        tweet_count=_count(_first(row, TWEET_COUNT_KEYS)),
        created_at=parse_time(_first(row, ACCOUNT_CREATED_KEYS)),
    )
    retweet = _truthy(_first(row, RETWEET_KEYS))
    return Tweet(
        id=tweet_id[:20] if tweet_id else str(line),
        text=text,
        created_at=parse_time(_first(row, TIME_KEYS)) or UNKNOWN_TIME,
        lang=row.get("lang") if isinstance(row.get("lang"), str) else None,
        author=author,
        source=_TAG_RE.sub("", source).strip() or None if isinstance(source, str) else None,
        references=(Reference(type="retweeted"),) if retweet else (),
    )


def examples_from_row(row: object, line: int) -> list[Example] | Skip:
    """The labelled tweet(s) of one decoded row."""
    if not isinstance(row, dict):
        return Skip(line, "bad_row", "not an object")
    raw_label = _first(row, LABEL_KEYS)
    if raw_label is None:
        return Skip(line, "no_label", "no label under " + "/".join(LABEL_KEYS))
    label = parse_label(raw_label)
    if label is None:
        return Skip(line, "bad_label", f"label {str(raw_label)[:40]!r} is not ad/organic")
    if "data" in row:
        tweets, rejects = tweets_from_v2(row)
        if not tweets:
            detail = rejects[0].detail if rejects else "v2 envelope without tweets"
            return Skip(line, "no_text", detail)
        return [Example(t, label) for t in tweets]
    tweet = tweet_from_flat_row(row, line)
    if isinstance(tweet, Skip):
        return tweet
    return [Example(tweet, label)]


# --- reading files (the only I/O here) -----------------------------------------------------------


def read_corpus(path: Path) -> Iterator[Example | Skip]:
    """Examples and skipped rows of a JSONL or CSV file, in file order.

    Raises OSError when the file cannot be opened.
    """
    if path.suffix.casefold() in (".csv", ".tsv"):
        yield from _read_csv(path, "\t" if path.suffix.casefold() == ".tsv" else ",")
        return
    with path.open("rb") as fh:
        for line, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                row = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                yield Skip(line, "bad_json", str(exc)[:80])
                continue
            got = examples_from_row(row, line)
            if isinstance(got, Skip):
                yield got
            else:
                yield from got


def _read_csv(path: Path, delimiter: str) -> Iterator[Example | Skip]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        record = 0
        while True:
            record += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a NUL byte, a field too long: skip the record
                yield Skip(record, "bad_row", str(exc)[:80])
                continue
            got = examples_from_row(row, record)
            if isinstance(got, Skip):
                yield got
            else:
                yield from got


# --- scoring -------------------------------------------------------------------------------------


@dataclass(slots=True)
class Confusion:
    """Counts of an ad filter's decisions against labels (positive = ad)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was flagged (no false alarm was raised)."""
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when there is no ad to find."""
        ads = self.tp + self.fn
        return self.tp / ads if ads else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n": self.n,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


@dataclass
class EvalResult:
    confusion: Confusion = field(default_factory=Confusion)
    skipped: Counter[str] = field(default_factory=Counter)
    first_skips: list[Skip] = field(default_factory=list)
    # reason -> [fired on ads, fired on organic rows]
    reasons: dict[str, list[int]] = field(default_factory=dict)
    false_positives: list[Tweet] = field(default_factory=list)
    false_negatives: list[Tweet] = field(default_factory=list)
    # account -> (labelled ad, any post flagged); for corpora labelled per account
    accounts: dict[str, tuple[bool, bool]] = field(default_factory=dict)

    def by_account(self) -> Confusion | None:
        """Per-account outcome (an account is flagged when any of its posts is), or None when
        the rows carry no account."""
        if not self.accounts:
            return None
        confusion = Confusion()
        for actual, predicted in self.accounts.values():
            confusion.add(predicted, actual)
        return confusion

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.confusion.as_dict())
        out["skipped"] = sum(self.skipped.values())
        out["skipped_by_reason"] = dict(self.skipped)
        out["reasons"] = {k: {"ad": v[0], "organic": v[1]} for k, v in self.reasons.items()}
        accounts = self.by_account()
        if accounts is not None:
            out["by_account"] = accounts.as_dict()
        return out


KEEP_SKIPS: Final = 5


def evaluate(
    items: Iterable[Example | Skip], classifier: AdClassifier, keep_errors: int = 0
) -> EvalResult:
    """Classify every example and count the outcomes; keep up to ``keep_errors`` false
    positives and as many false negatives.

    A classifier with a campaign detector sees the examples in event-time order (a stable
    sort of the rows by ``created_at``), as the pipeline would.
    """
    result = EvalResult()
    examples: list[Example] = []
    for item in items:
        if isinstance(item, Skip):
            result.skipped[item.reason] += 1
            if len(result.first_skips) < KEEP_SKIPS:
                result.first_skips.append(item)
        else:
            examples.append(item)
    if classifier.detector is not None:
        examples.sort(key=lambda e: e.tweet.created_at)
    for example in examples:
        tweet = example.tweet
        verdict = classifier.classify(tweet)
        result.confusion.add(verdict.is_ad, example.is_ad)
        for reason in verdict.reasons:
            counts = result.reasons.setdefault(reason, [0, 0])
            counts[0 if example.is_ad else 1] += 1
        account = tweet.author.id or tweet.author.username
        if account is not None:
            seen = result.accounts.get(account, (False, False))
            result.accounts[account] = (seen[0] or example.is_ad, seen[1] or verdict.is_ad)
        if verdict.is_ad != example.is_ad:
            wrong = result.false_positives if verdict.is_ad else result.false_negatives
            if len(wrong) < keep_errors:
                wrong.append(tweet)
    return result


def format_table(result: EvalResult) -> str:
    """Human-readable metrics, confusion table, reasons and skipped rows."""
    c = result.confusion
    lines = [
        f"precision {c.precision:.3f}   recall {c.recall:.3f}   F1 {c.f1:.3f}   n {c.n:,}",
        "",
        f"{'':18}{'predicted ad':>14}{'predicted organic':>19}",
        f"{'labelled ad':18}{c.tp:>14,}{c.fn:>19,}",
        f"{'labelled organic':18}{c.fp:>14,}{c.tn:>19,}",
    ]
    accounts = result.by_account()
    if accounts is not None:
        lines += [
            "",
            f"by account ({accounts.n:,} accounts; flagged when any post is): precision "
            f"{accounts.precision:.3f}   recall {accounts.recall:.3f}   F1 {accounts.f1:.3f}"
            f"   (tp {accounts.tp:,} fp {accounts.fp:,} fn {accounts.fn:,} tn {accounts.tn:,})",
        ]
    if result.reasons:
        lines += ["", f"{'reason fired on':18}{'ad rows':>14}{'organic rows':>19}"]
        for reason, (ads, organic) in sorted(result.reasons.items(), key=lambda kv: -sum(kv[1])):
            lines.append(f"{reason:18}{ads:>14,}{organic:>19,}")
    skipped = sum(result.skipped.values())
    if skipped:
        by_reason = ", ".join(f"{r} {n:,}" for r, n in result.skipped.most_common())
        lines += ["", f"skipped {skipped:,} row(s): {by_reason}"]
        lines += [f"  line {s.line}: {s.reason}: {s.detail}" for s in result.first_skips]
    return "\n".join(lines)


def nothing_scored(result: EvalResult, first: int = 1) -> str:
    """Why a run scored no row (``result.confusion.n == 0``): how many rows were skipped, for
    which reasons, and the first few; perfect scores over nothing would mislead."""
    skipped = sum(result.skipped.values())
    if not skipped:
        return "no labelled row to score: the corpus is empty"
    by_reason = ", ".join(f"{r} {n:,}" for r, n in result.skipped.most_common())
    lines = [f"line {s.line}: {s.reason}: {s.detail}" for s in result.first_skips[:first]]
    return (
        f"no labelled row to score: all {skipped:,} row(s) skipped ({by_reason}); a row needs "
        "a label and a text (see --help); first: " + "; ".join(lines)
    )


def format_errors(result: EvalResult, width: int = 160) -> str:
    """The kept false positives and false negatives, one line each."""
    lines: list[str] = []
    for title, tweets in (
        ("false positives (organic, flagged as ads)", result.false_positives),
        ("false negatives (ads, let through)", result.false_negatives),
    ):
        lines += ["", f"{title}: {len(tweets)} shown"]
        lines += ["  " + " ".join(t.text.split())[:width] for t in tweets]
    return "\n".join(lines)
