"""`tweetpulse eval ads`: labels, row shapes, file formats, skipped rows, metrics and the CLI."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.ads import AdClassifier
from streams.eval_ads import (
    UNKNOWN_TIME,
    Confusion,
    Example,
    Skip,
    evaluate,
    examples_from_row,
    parse_label,
    parse_time,
    read_corpus,
    tweet_from_flat_row,
)
from tweetpulse.cli import main

AD_TEXT = "Link in bio for the AI course, use code SAVE20 at checkout"
AD_TEXT_ZH = "诚招代理！AI写作副业，日赚500+，加微信 abc123 了解"
ORGANIC_TEXT = "Reading the new paper on sparse attention, the ablations are thorough"
ORGANIC_TEXT_ZH = "今天读了一篇关于思维链蒸馏的论文，小模型也能学会多步推理"


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("ad", True), ("organic", False), ("spam", True), ("ham", False), ("Spam", True),
        ("Quality", False), ("yes", True), ("no", False), ("1", True), ("0", False),
        ("true", True), ("FALSE", False), (" Ad ", True), (1, True), (0, False), (1.0, True),
        (True, True), (False, False), ("maybe", None), (2, None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_parse_label(value: object, label: bool | None) -> None:
    assert parse_label(value) is label


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-04-03T00:59:14.000Z", datetime(2023, 4, 3, 0, 59, 14, tzinfo=UTC)),
        ("2015-08-10T16:22:29+08:00", datetime(2015, 8, 10, 8, 22, 29, tzinfo=UTC)),
        ("2023-04-27 16:56:46", datetime(2023, 4, 27, 16, 56, 46, tzinfo=UTC)),  # naive = UTC
        ("4/27/2023 16:56:46", datetime(2023, 4, 27, 16, 56, 46, tzinfo=UTC)),
        ("4/27/2023 16:56", datetime(2023, 4, 27, 16, 56, tzinfo=UTC)),
        (1_700_000_000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
        ("今天 10:00", None),
        ("13/45/2023 10:00", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_time(value: object, expected: datetime | None) -> None:
    assert parse_time(value) == expected


def test_flat_row_fields() -> None:
    row = {
        "content": "hello there",
        "user_id": "900001",
        "user_name": "测试账号",
        "followers_num": "65",
        "following_num": "493.0",
        "source_client": '<a href="http://x">皮皮时光机</a>',
        "time_iso_guess": "2015-08-10T16:22:29+08:00",
        "isRetweet": "TRUE",
        "id": "123",
    }
    tweet = tweet_from_flat_row(row, 7)
    assert not isinstance(tweet, Skip)
    assert tweet.id == "123"
    assert tweet.author.id == "900001"
    assert (tweet.author.followers_count, tweet.author.following_count) == (65, 493)
    assert tweet.source == "皮皮时光机"
    assert tweet.is_retweet
    assert tweet.created_at == datetime(2015, 8, 10, 8, 22, 29, tzinfo=UTC)
    bare = tweet_from_flat_row({"Tweet": "hi", "followers": "#N/A", "Id": "x1"}, 9)
    assert not isinstance(bare, Skip)
    assert (bare.id, bare.created_at, bare.author.followers_count) == ("9", UNKNOWN_TIME, None)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"text": "hi"}, "no_label"),
        ({"label": "maybe", "text": "hi"}, "bad_label"),
        ({"label": "ad"}, "no_text"),
        ({"label": "ad", "text": "   "}, "no_text"),
        ({"label": "ad", "data": {"id": "1"}}, "no_text"),
        (["not", "an", "object"], "bad_row"),
    ],
)
def test_rows_that_cannot_be_used(row: object, reason: str) -> None:
    got = examples_from_row(row, 3)
    assert isinstance(got, Skip)
    assert (got.line, got.reason) == (3, reason)


def test_v2_envelope_row() -> None:
    row = {
        "label": "spam",
        "data": {
            "id": "1642693206365044736",
            "text": AD_TEXT,
            "created_at": "2023-04-03T00:59:14.000Z",
            "author_id": "42",
        },
        "includes": {"users": [{"id": "42", "username": "promo", "public_metrics": {}}]},
    }
    got = examples_from_row(row, 1)
    assert isinstance(got, list)
    assert [(e.tweet.id, e.tweet.author.username, e.is_ad) for e in got] == [
        ("1642693206365044736", "promo", True)
    ]


# --- a small corpus with known counts ------------------------------------------------------------
def _jsonl_rows() -> list[object]:
    return [
        {"label": "ad", "text": AD_TEXT},  # tp
        {"label": "spam", "content": AD_TEXT_ZH, "user_id": "u1"},  # tp
        {"is_spammer_user": "yes", "content": ORGANIC_TEXT_ZH, "user_id": "u1"},  # fn
        {"Type": "Spam", "text": ORGANIC_TEXT},  # fn
        {"label": "organic", "text": ORGANIC_TEXT},  # tn
        {"label": 0, "text": ORGANIC_TEXT_ZH, "user_id": "u2"},  # tn
        {"label": "ham", "text": "Giveaway! Follow and RT to enter"},  # fp
        {  # tp, from a v2 envelope
            "label": True,
            "data": {"id": "5", "text": AD_TEXT, "created_at": "2024-01-01T00:00:00Z"},
        },
        {"label": "organic"},  # skipped: no text
        {"text": ORGANIC_TEXT},  # skipped: no label
        {"label": "perhaps", "text": ORGANIC_TEXT},  # skipped: bad label
    ]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in _jsonl_rows()]
    lines.insert(3, "{not json")  # skipped: bad json
    lines.insert(5, "")  # blank lines are ignored
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


EXPECTED = {"tp": 3, "fp": 1, "fn": 2, "tn": 2, "n": 8, "skipped": 4}


def test_evaluate_counts(corpus: Path) -> None:
    result = evaluate(read_corpus(corpus), AdClassifier(), keep_errors=5)
    c = result.confusion
    assert {"tp": c.tp, "fp": c.fp, "fn": c.fn, "tn": c.tn, "n": c.n} == {
        k: v for k, v in EXPECTED.items() if k != "skipped"
    }
    assert c.precision == pytest.approx(3 / 4)
    assert c.recall == pytest.approx(3 / 5)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert dict(result.skipped) == {"bad_json": 1, "no_text": 1, "no_label": 1, "bad_label": 1}
    assert [t.text for t in result.false_positives] == ["Giveaway! Follow and RT to enter"]
    assert len(result.false_negatives) == 2
    # u1 has one ad among its posts (flagged), u2 none: by account 1 tp, 1 tn
    by_account = result.by_account()
    assert by_account is not None
    assert (by_account.tp, by_account.fp, by_account.fn, by_account.tn) == (1, 0, 0, 1)
    assert result.reasons["promo_phrase"] == [3, 1]


def test_csv_corpus(tmp_path: Path) -> None:
    path = tmp_path / "spam.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Id", "Tweet", "following", "followers", "actions", "is_retweet", "Type"])
        writer.writerow(["1", AD_TEXT, "0.0", "11500.0", "", "0.0", "Spam"])
        writer.writerow(
            ["2", "Hello, multi-line\ntext", "3319.0", "611.0", "294.0", "0.0", "Quality"]
        )
        writer.writerow(["3", "lonely bot", "900", "10", "", "0", "Spam"])  # thin: 0.3 only
        writer.writerow(["4", "", "0", "0", "", "0", "Quality"])  # no text
        writer.writerow(["5", ORGANIC_TEXT, "0", "0", "", "0", "Unknown"])  # bad label
    with path.open("a", encoding="utf-8") as fh:
        fh.write('6,"' + "x" * 5_000 + '",0,0,,0,Quality\n')  # over the field limit below
        fh.write(f"7,{ORGANIC_TEXT},0,0,,0,Quality\n")  # and reading goes on
    limit = csv.field_size_limit(1_000)  # process-wide: restored below
    try:
        result = evaluate(read_corpus(path), AdClassifier())
    finally:
        csv.field_size_limit(limit)
    c = result.confusion
    assert (c.tp, c.fp, c.fn, c.tn) == (1, 0, 1, 2)
    assert dict(result.skipped) == {"no_text": 1, "bad_label": 1, "bad_row": 1}
    assert result.reasons["account_signals"] == [1, 0]


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "f1"),
    [
        ((0, 0, 0, 5), 1.0, 1.0, 1.0),  # nothing to find, nothing flagged
        ((0, 0, 4, 5), 1.0, 0.0, 0.0),  # nothing flagged: no false alarm, nothing found
        ((2, 2, 0, 0), 0.5, 1.0, 2 / 3),
    ],
)
def test_confusion_edges(
    counts: tuple[int, int, int, int], precision: float, recall: float, f1: float
) -> None:
    c = Confusion(*counts)
    assert (c.precision, c.recall) == (precision, recall)
    assert c.f1 == pytest.approx(f1)


# --- the command ---------------------------------------------------------------------------------
def test_cli_json(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "ads", "--corpus", str(corpus), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {k: out[k] for k in EXPECTED} == EXPECTED
    assert out["precision"] == 0.75
    assert out["recall"] == 0.6
    assert out["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert set(out) >= {"precision", "recall", "f1", "n", "tp", "fp", "fn", "tn"}


def test_cli_table(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "ads", "--corpus", str(corpus), "--errors", "3"]) == 0
    out = capsys.readouterr().out
    assert "precision 0.750   recall 0.600" in out
    assert "labelled ad                    3                  2" in out
    assert "labelled organic               1                  2" in out
    assert "skipped 4 row(s)" in out
    assert "Giveaway! Follow and RT to enter" in out


def test_cli_threshold_and_missing_file(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "ads", "--corpus", str(corpus), "--json", "--threshold", "1.0"]) == 0
    strict = json.loads(capsys.readouterr().out)  # only scores of 1.0 remain ads
    assert (strict["tp"], strict["fp"]) == (3, 0)
    assert main(["eval", "ads", "--corpus", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl" in capsys.readouterr().err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    assert main(["eval", "ads", "--corpus", str(empty), "--json"]) == 1


def test_examples_keep_file_order_without_a_detector(corpus: Path) -> None:
    items = [i for i in read_corpus(corpus) if isinstance(i, Example)]
    assert [e.is_ad for e in items] == [True, True, True, True, False, False, False, True]
