"""Draw the blind samples of tests/data/ROUNDS.md and turn their labels into label-file rows.

How a round is checked (the protocol of ROUNDS.md since round 8): write the landing rule down
first; classify every distinct text of the corpus with the tree before the round and the tree
with it (``flags``, run once from each tree); draw a stratified sample of the texts no audit
labelled yet (``draw``: the new flags, all or ``--new-max``; the removed flags, all; ``--both``
texts flagged by both; ``--neither`` flagged by neither); give a new labeller only the sample
and the written definitions; turn the labels into rows of ``real_audit*.jsonl`` (``rows``), each
with its stratum and its weight (the stratum's size over the number drawn from it). ``topics``
draws a random sample of texts no topic sample drew, for ``real_topics.jsonl``.

The sample holds texts; the key (which text is which hash, stratum and weight) is written apart
and never shown to the labeller. Neither goes into the repository: the label files name texts
by hash only (tests/data/README.md).

    python -m tests.audit_sample flags en /tmp/before_en.json       # in the tree before
    python -m tests.audit_sample flags en /tmp/after_en.json        # in the tree after
    python -m tests.audit_sample draw audit-15 en /tmp/before_en.json /tmp/after_en.json \\
        --sample /tmp/label15/sample.jsonl --key /tmp/audit-15.key.json --seed 7
    python -m tests.audit_sample rows audit-15 /tmp/audit-15.key.json /tmp/label15/labels.jsonl \
        >> tests/data/real_audit.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from tests.shared_data import CORPORA

REPO = Path(__file__).resolve().parents[1]
CORPUS = {"en": "a_ai_tweets", "zh": "c_chinese"}
LABELS = {"en": "real_audit.jsonl", "zh": "real_audit_zh.jsonl"}
NEW, REMOVED, BOTH, NEITHER = (
    "flagged by the new round only",
    "flagged by main only",
    "flagged by both",
    "flagged by neither",
)
STRATA = (NEW, REMOVED, BOTH, NEITHER)
VERDICTS = ("ad", "organic", "unclear")


def stratum(before: bool, after: bool) -> str:
    """The stratum of a text the tree before flagged (``before``) and the tree after (``after``)."""
    if after:
        return BOTH if before else NEW
    return REMOVED if before else NEITHER


def draw(
    keys: Iterable[str],
    before: Mapping[str, bool],
    after: Mapping[str, bool],
    caps: Mapping[str, int],
    rng: random.Random,
) -> list[tuple[str, str, float]]:
    """(key, stratum, weight) of a stratified sample of ``keys``, shuffled: every text of a
    stratum with no cap in ``caps``, else at most the cap, drawn at random; the weight is the
    stratum's size over the number drawn."""
    by_stratum: dict[str, list[str]] = {s: [] for s in STRATA}
    for key in sorted(keys):
        by_stratum[stratum(before[key], after[key])].append(key)
    rows: list[tuple[str, str, float]] = []
    for name, members in by_stratum.items():
        cap = caps.get(name)
        picked = members if cap is None or len(members) <= cap else rng.sample(members, cap)
        rows.extend((key, name, round(len(members) / len(picked), 3)) for key in picked)
    rng.shuffle(rows)
    return rows


def _joined(
    audit: str, key: Mapping[str, list[str | float]], field: str, values: Mapping[str, object]
) -> list[dict[str, object]]:
    """One row per sample row of ``key`` (n → key, stratum, weight), in sample order, with
    ``field`` set to its value in ``values``; ValueError when a sample row has none."""
    missing = sorted(set(key) - set(values), key=int)
    if missing:
        msg = f"{len(missing)} sample rows have no {field} (first: {missing[:5]})"
        raise ValueError(msg)
    rows: list[dict[str, object]] = []
    for n in sorted(key, key=int):
        text_key, name, weight = key[n]
        row = {"audit": audit, "sha256": text_key, field: values[n]}
        rows.append(row | {"stratum": name, "weight": weight})
    return rows


def label_rows(
    audit: str, key: Mapping[str, list[str | float]], labels: Mapping[str, str]
) -> list[dict[str, object]]:
    """Label-file rows of ``audit`` from its key (n → key, stratum, weight) and the labeller's
    labels (n → ad | organic | unclear); ValueError when one is missing or unknown."""
    for n, label in labels.items():
        if n in key and label not in VERDICTS:
            msg = f"row {n}: label {label!r} is none of {', '.join(VERDICTS)}"
            raise ValueError(msg)
    return _joined(audit, key, "label", labels)


def topic_rows(
    audit: str, key: Mapping[str, list[str | float]], labels: Mapping[str, list[str]]
) -> list[dict[str, object]]:
    """``real_topics.jsonl`` rows of ``audit`` from its key and the labeller's topic lists
    (n → topic ids; empty when none applies); ValueError when one is missing."""
    return _joined(audit, key, "topics", {n: sorted(set(t)) for n, t in labels.items()})


def _texts(lang: str) -> dict[str, str]:
    """Every distinct text of the corpus of ``lang``, by its key."""
    from streams.eval_audit import corpus_tweets, text_key

    texts: dict[str, str] = {}
    for tweet in corpus_tweets(CORPORA / CORPUS[lang]):
        texts.setdefault(text_key(tweet.text), tweet.text)
    return texts


def _labelled(path: Path) -> set[str]:
    return {json.loads(line)["sha256"] for line in path.open() if line.strip()}


def _write_sample(
    rows: list[tuple[str, str, float]], texts: Mapping[str, str], args: argparse.Namespace
) -> None:
    args.sample.parent.mkdir(parents=True, exist_ok=True)
    with args.sample.open("w") as out:
        for n, (key, _, _) in enumerate(rows, 1):
            out.write(json.dumps({"n": n, "text": texts[key]}, ensure_ascii=False) + "\n")
    key_file = {n: [key, name, weight] for n, (key, name, weight) in enumerate(rows, 1)}
    args.key.write_text(json.dumps(key_file))


def _flags(args: argparse.Namespace) -> None:
    from streams.ads import AdClassifier
    from streams.eval_audit import corpus_tweets, text_key

    classifier = AdClassifier()
    flags: dict[str, list[float]] = {}
    for tweet in corpus_tweets(CORPORA / CORPUS[args.lang]):
        key = text_key(tweet.text)
        if key not in flags:
            verdict = classifier.classify(tweet)
            flags[key] = [int(verdict.is_ad), round(verdict.score, 3)]
    args.out.write_text(json.dumps(flags))
    flagged = sum(1 for is_ad, _ in flags.values() if is_ad)
    print(f"{args.lang}: {len(flags):,} distinct texts, {flagged:,} flagged -> {args.out}")


def _draw(args: argparse.Namespace) -> None:
    before = {k: bool(v[0]) for k, v in json.loads(args.before.read_text()).items()}
    after = {k: bool(v[0]) for k, v in json.loads(args.after.read_text()).items()}
    texts = _texts(args.lang)
    done = _labelled(REPO / "tests" / "data" / LABELS[args.lang])
    caps = {NEW: args.new_max, BOTH: args.both, NEITHER: args.neither}
    rows = draw((k for k in texts if k not in done), before, after, caps, random.Random(args.seed))
    _write_sample(rows, texts, args)
    for name, count in Counter(name for _, name, _ in rows).items():
        print(f"{name}: {count} drawn")
    print(f"{len(rows)} rows -> {args.sample} (key: {args.key})")


def _topics(args: argparse.Namespace) -> None:
    texts = _texts("en")
    done = _labelled(REPO / "tests" / "data" / "real_topics.jsonl")
    left = sorted(k for k in texts if k not in done)
    picked = random.Random(args.seed).sample(left, args.n)
    weight = round(len(left) / args.n, 2)
    _write_sample([(k, "random", weight) for k in picked], texts, args)
    print(
        f"{args.n} of {len(left):,} texts no topic sample drew -> {args.sample} (key: {args.key})"
    )


def _rows(args: argparse.Namespace) -> None:
    key = json.loads(args.key.read_text())
    objects = [json.loads(line) for line in args.labels.open() if line.strip()]
    topics = any("topics" in obj for obj in objects)
    try:
        if topics:
            rows = topic_rows(args.audit, key, {str(o["n"]): o["topics"] for o in objects})
        else:
            rows = label_rows(args.audit, key, {str(o["n"]): o["label"] for o in objects})
    except (ValueError, KeyError) as exc:
        sys.exit(f"audit_sample: {args.labels}: {exc}")
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    if topics:
        counts = Counter(t for r in rows for t in r["topics"])  # type: ignore[attr-defined]
        print(dict(counts.most_common()), file=sys.stderr)
        return
    table = Counter((str(r["stratum"]), str(r["label"])) for r in rows)
    for name in STRATA:
        print(name, {v: table[name, v] for v in VERDICTS}, file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.audit_sample", description=__doc__.split("\n\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "flags", help="classify every distinct text of a corpus (JSON: key -> [is_ad, score])"
    )
    p.add_argument("lang", choices=sorted(CORPUS))
    p.add_argument("out", type=Path)
    p.set_defaults(run=_flags)
    p = sub.add_parser("draw", help="a blind stratified sample of the texts no audit labelled")
    p.add_argument("audit")
    p.add_argument("lang", choices=sorted(CORPUS))
    p.add_argument("before", type=Path, help="`flags` of the tree before the round")
    p.add_argument("after", type=Path, help="`flags` of the tree with the round")
    p.add_argument("--sample", type=Path, required=True, help="what the labeller sees (n, text)")
    p.add_argument("--key", type=Path, required=True, help="n -> key, stratum, weight (kept apart)")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--new-max", type=int, default=150, help="new flags drawn at most (default 150)")
    p.add_argument("--both", type=int, default=30, help="texts flagged by both (default 30)")
    p.add_argument("--neither", type=int, default=80, help="texts flagged by neither (default 80)")
    p.set_defaults(run=_draw)
    p = sub.add_parser("topics", help="a random sample of AI tweets no topic sample drew")
    p.add_argument("n", type=int)
    p.add_argument("--sample", type=Path, required=True)
    p.add_argument("--key", type=Path, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.set_defaults(run=_topics)
    p = sub.add_parser("rows", help="label-file rows (JSONL on stdout) from a key and the labels")
    p.add_argument("audit")
    p.add_argument("key", type=Path)
    p.add_argument("labels", type=Path, help="the labeller's JSONL: {n, label} or {n, topics}")
    p.set_defaults(run=_rows)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
