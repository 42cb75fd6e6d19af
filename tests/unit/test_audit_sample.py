"""The blind-sample tool of ROUNDS.md (tests/audit_sample.py): strata, caps, weights, rows."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from tests.audit_sample import (
    BOTH,
    NEITHER,
    NEW,
    REMOVED,
    draw,
    label_rows,
    main,
    stratum,
    topic_rows,
)


def test_stratum_of_each_pair_of_verdicts() -> None:
    assert stratum(before=False, after=True) == NEW
    assert stratum(before=True, after=False) == REMOVED
    assert stratum(before=True, after=True) == BOTH
    assert stratum(before=False, after=False) == NEITHER


def test_draw_caps_each_stratum_and_weighs_by_its_size() -> None:
    keys = [f"k{i:03d}" for i in range(400)]
    before = {k: i < 50 for i, k in enumerate(keys)}  # k000-k049 flagged before
    after = {k: 20 <= i < 60 for i, k in enumerate(keys)}  # k020-k059 flagged after
    rows = draw(keys, before, after, {NEW: 5, BOTH: 30, NEITHER: 80}, random.Random(1))
    drawn = Counter(name for _, name, _ in rows)
    # 10 new (k050-k059) capped at 5; 20 removed (k000-k019), all; 30 both, all; 340 neither
    assert drawn == {NEW: 5, REMOVED: 20, BOTH: 30, NEITHER: 80}
    weights = {name: weight for _, name, weight in rows}
    assert weights == {NEW: 2.0, REMOVED: 1.0, BOTH: 1.0, NEITHER: 4.25}
    assert len({key for key, _, _ in rows}) == len(rows)
    assert all(stratum(before[k], after[k]) == name for k, name, _ in rows)
    # the same seed draws the same sample, in the same (shuffled) order
    again = draw(reversed(keys), before, after, {NEW: 5, BOTH: 30, NEITHER: 80}, random.Random(1))
    assert again == rows


def test_label_rows_keep_key_order_and_refuse_gaps_and_unknown_labels() -> None:
    key: dict[str, list[str | float]] = {"2": ["b", NEITHER, 405.8], "1": ["a", NEW, 1.0]}
    rows = label_rows("audit-99", key, {"1": "ad", "2": "organic"})
    assert rows == [
        {"audit": "audit-99", "sha256": "a", "label": "ad", "stratum": NEW, "weight": 1.0},
        {
            "audit": "audit-99",
            "sha256": "b",
            "label": "organic",
            "stratum": NEITHER,
            "weight": 405.8,
        },
    ]
    with pytest.raises(ValueError, match="1 sample rows have no label"):
        label_rows("audit-99", key, {"1": "ad"})
    with pytest.raises(ValueError, match="row 2: label 'spam'"):
        label_rows("audit-99", key, {"1": "ad", "2": "spam"})


def test_topic_rows_sort_and_deduplicate_topics() -> None:
    key: dict[str, list[str | float]] = {"1": ["a", "random", 111.84]}
    rows = topic_rows("topics-99", key, {"1": ["safety_society", "apps_agents", "apps_agents"]})
    assert rows == [
        {
            "audit": "topics-99",
            "sha256": "a",
            "topics": ["apps_agents", "safety_society"],
            "stratum": "random",
            "weight": 111.84,
        }
    ]
    with pytest.raises(ValueError, match="have no topics"):
        topic_rows("topics-99", key, {})


def test_rows_command_prints_label_file_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"1": ["a", NEW, 1.0], "2": ["b", NEITHER, 80.0]}))
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"n": 2, "label": "organic"}\n{"n": 1, "label": "ad"}\n')
    main(["rows", "audit-99", str(key), str(labels)])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["sha256"], r["label"], r["weight"]) for r in out] == [
        ("a", "ad", 1.0),
        ("b", "organic", 80.0),
    ]
    labels.write_text('{"n": 1, "label": "ad"}\n')
    with pytest.raises(SystemExit, match="1 sample rows have no label"):
        main(["rows", "audit-99", str(key), str(labels)])
