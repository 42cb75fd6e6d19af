"""Precision and recall of the topic tagger on real tweets, from a hand-labelled sample.

The tagger matches keywords; a person reads the tweet. A **topic audit** asks how often the two
agree on real AI tweets:

1. draw a random sample of the distinct texts of a real corpus (``../shared/corpora/a_ai_tweets``;
   strata are allowed, e.g. Chinese texts oversampled);
2. have a person give each text the taxonomy topics it is really *about* (none, one or several),
   from the topics' descriptions, without seeing the tagger's answer or the keyword lists.

The label file (``tests/data/real_topics.jsonl``) holds no tweet text: each row has the text's
SHA-256 (:func:`streams.eval_audit.text_key`), its topics, its stratum and its weight (stratum
size over sample size). :func:`estimate_topics` scores any tagger against it, per topic and
micro-averaged over topics (every (text, topic) pair counts once, weighted), so a topic's
precision is the weighted share of the texts it tags that a person gave that topic.
``tweetpulse eval topics`` prints the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from streams.eval_audit import label_lines
from streams.model import Tweet


@dataclass(frozen=True, slots=True)
class TopicRow:
    audit: str  # which sample the row belongs to: "topics-1", ...
    key: str  # text_key of the tweet's text
    topics: frozenset[str]  # the topics a person gave it (empty: none applies)
    weight: float  # distinct texts this row stands for (stratum size / sample size)
    stratum: str = ""  # the stratum it was drawn from ("random", "chinese", ...)


def read_topic_labels(path: Path, known: Iterable[str]) -> list[TopicRow]:
    """The rows of a topic label file; ValueError naming the line when one is malformed or
    names a topic the taxonomy does not have (a renamed id would silently score zero)."""
    ids = set(known)
    rows = []
    for where, obj in label_lines(path, "a topic label row"):
        try:
            topics = obj["topics"]
            row = TopicRow(
                str(obj["audit"]),
                str(obj["sha256"]),
                frozenset(topics),
                obj["weight"],
                str(obj.get("stratum", "")),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            msg = f"{where}: not a topic label row ({exc!r})"
            raise ValueError(msg) from None
        if not isinstance(topics, list) or not isinstance(row.weight, int | float):
            msg = f"{where}: topics must be a list and weight a number"
            raise ValueError(msg)
        if row.weight <= 0:
            msg = f"{where}: weight must be positive"
            raise ValueError(msg)
        unknown = sorted(row.topics - ids)
        if unknown:
            msg = f"{where}: unknown topic ids {unknown} (the taxonomy has {sorted(ids)})"
            raise ValueError(msg)
        rows.append(row)
    return rows


@dataclass(frozen=True, slots=True)
class TopicScore:
    """One topic (or the micro average over topics): weighted counts and their ratios."""

    topic: str
    labelled: int  # sampled texts a person gave this topic
    tagged: int  # sampled texts the tagger gave it
    both: int
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def summary(self) -> dict[str, object]:
        out: dict[str, object] = {name: getattr(self, name) for name in self.__slots__}
        out["f1"] = self.f1
        return out


@dataclass(frozen=True, slots=True)
class TopicEstimate:
    audit: str
    texts: int  # sampled texts found in the corpus
    missing: int  # rows whose text is not in the corpus
    micro: TopicScore  # over every topic but the ignored ones
    exact: float  # weighted share of texts whose topic set the tagger got exactly right
    topics: tuple[TopicScore, ...]  # in taxonomy order

    def summary(self) -> dict[str, object]:
        return {
            "audit": self.audit,
            "texts": self.texts,
            "missing": self.missing,
            "micro": self.micro.summary(),
            "exact": self.exact,
            "topics": [t.summary() for t in self.topics],
        }


def estimate_topics(
    rows: Iterable[TopicRow],
    tweets: dict[str, Tweet],
    tag: Callable[[Tweet], Sequence[str]],
    topics: Sequence[str],
    *,
    ignore: Iterable[str] = (),
    by_stratum: bool = False,
) -> list[TopicEstimate]:
    """Per audit, in file order: how ``tag`` does against the labels. ``ignore``: topics left
    out of the micro average and the exact-match share (still scored on their own).
    ``by_stratum``: per audit and stratum instead ("topics-1/chinese")."""
    by_audit: dict[str, list[TopicRow]] = {}
    for row in rows:
        name = f"{row.audit}/{row.stratum}" if by_stratum and row.stratum else row.audit
        by_audit.setdefault(name, []).append(row)
    skip = frozenset(ignore)
    return [_estimate(audit, group, tweets, tag, topics, skip) for audit, group in by_audit.items()]


def _estimate(
    audit: str,
    rows: list[TopicRow],
    tweets: dict[str, Tweet],
    tag: Callable[[Tweet], Sequence[str]],
    topics: Sequence[str],
    skip: frozenset[str],
) -> TopicEstimate:
    # per topic: [labelled, tagged, both] sample counts, then the same weighted
    counts = {topic: [0, 0, 0] for topic in topics}
    weights = {topic: [0.0, 0.0, 0.0] for topic in topics}
    found = missing = 0
    exact = total = 0.0
    for row in rows:
        tweet = tweets.get(row.key)
        if tweet is None:
            missing += 1
            continue
        found += 1
        given = frozenset(tag(tweet))
        for topic in topics:
            cell = (topic in row.topics, topic in given, topic in row.topics and topic in given)
            for i, hit in enumerate(cell):
                if hit:
                    counts[topic][i] += 1
                    weights[topic][i] += row.weight
        total += row.weight
        if row.topics - skip == given - skip:
            exact += row.weight
    scores = tuple(_score(t, counts[t], weights[t]) for t in topics)
    kept = [t for t in topics if t not in skip]
    micro = _score(
        "(micro)",
        [sum(counts[t][i] for t in kept) for i in range(3)],
        [sum(weights[t][i] for t in kept) for i in range(3)],
    )
    return TopicEstimate(audit, found, missing, micro, exact / total if total else 0.0, scores)


def _score(topic: str, counts: list[int], weights: list[float]) -> TopicScore:
    labelled, tagged, both = weights
    return TopicScore(
        topic=topic,
        labelled=counts[0],
        tagged=counts[1],
        both=counts[2],
        precision=both / tagged if tagged else 0.0,
        recall=both / labelled if labelled else 0.0,
    )


def format_topic_estimates(estimates: list[TopicEstimate]) -> str:
    lines = []
    for e in estimates:
        lines.append(
            f"{e.audit}: {e.texts} texts ({e.missing} not in the corpus); "
            f"topic sets exactly right: {e.exact:.1%}"
        )
        lines.append(
            f"  {'topic':24}{'precision':>10}{'recall':>8}{'F1':>7}"
            f"{'sample: labelled / tagged / both':>34}"
        )
        for s in (*e.topics, e.micro):
            sample = f"{s.labelled} / {s.tagged} / {s.both}"
            lines.append(
                f"  {s.topic:24}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>7.3f}{sample:>34}"
            )
    return "\n".join(lines)
