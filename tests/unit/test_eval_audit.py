"""`tweetpulse eval audit`: weighted estimates from a stratified labelled sample of real tweets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.eval_audit import (
    AuditRow,
    agreement,
    corpus_tweets,
    estimate,
    format_agreement,
    format_estimates,
    read_audit,
    sampled_tweets,
    text_key,
    whole_corpus,
)
from streams.model import Tweet
from tests.shared_data import require
from tweetpulse.cli import main

REPO = Path(__file__).resolve().parents[2]


def tweet(text: str) -> Tweet:
    return Tweet(id="1", text=text, created_at=datetime(2023, 1, 1, tzinfo=UTC))


def test_estimates_weigh_each_row_by_its_stratum() -> None:
    """Flagged stratum: 10 texts, 2 sampled (weight 5); the rest: 1000 texts, 4 sampled (250).
    A classifier that flags "A", "B" and "C" (C sampled from the rest)."""
    labels = {"A": "ad", "B": "organic", "C": "ad", "D": "ad", "E": "organic", "F": "unclear"}
    weight = {"A": 5.0, "B": 5.0, "C": 250.0, "D": 250.0, "E": 250.0, "F": 250.0}
    rows = [AuditRow("a1", text_key(t), labels[t], weight[t]) for t in labels]
    rows.append(AuditRow("a1", text_key("gone"), "ad", 250.0))  # a text the corpus lost
    tweets = {text_key(t): tweet(t) for t in labels}
    (e,) = estimate(rows, tweets, lambda tw: tw.text in "ABC")
    assert (e.labelled, e.unclear, e.missing) == (5, 1, 1)
    assert (e.flagged_ads, e.flagged_organic, e.passed_ads, e.passed_organic) == (2, 1, 1, 1)
    assert e.precision == pytest.approx(255 / 260)  # A + C over A + B + C
    assert e.recall == pytest.approx(255 / 505)  # A + C over A + C + D
    assert e.organic_flagged == pytest.approx(5 / 255)  # B over B + E
    assert e.ad_share == pytest.approx(505 / 760)
    assert e.precision_interval[0] <= e.precision <= e.precision_interval[1]
    assert e.recall_interval[0] <= e.recall <= e.recall_interval[1]
    assert "a1" in format_estimates([e]) and "1 not in the corpus" in format_estimates([e])


def test_a_sample_without_a_flag_has_no_precision() -> None:
    """The near misses are texts the classifier passes: the table says so, not 0.000."""
    rows = [AuditRow("near", text_key(t), label, 2.0, "near miss") for t, label in [("A", "ad")]]
    rows.append(AuditRow("near", text_key("B"), "organic", 2.0, "near miss"))
    (e,) = estimate(rows, {text_key(t): tweet(t) for t in "AB"}, lambda tw: False)
    assert (e.flagged_ads, e.flagged_organic, e.passed_ads, e.passed_organic) == (0, 0, 1, 1)
    line = format_estimates([e]).splitlines()[1]
    assert line.split()[:4] == ["near", "no", "flag", "0.000"]


def test_intervals_come_from_the_strata_that_were_sampled() -> None:
    """A stratum labelled whole (weight 1) is known exactly; a sample of a big stratum is not."""
    labels = ["ad"] * 8 + ["organic"] * 2 + ["ad"] * 3 + ["organic"] * 37
    texts = [f"t{i}" for i in range(len(labels))]
    flagged = set(texts[:10]) | {texts[10]}  # all of the census, one ad of the sample

    def rows(sample_weight: float) -> list[AuditRow]:
        return [
            AuditRow(
                "a", text_key(t), lab, 1.0 if i < 10 else sample_weight, "s" if i < 10 else "r"
            )
            for i, (t, lab) in enumerate(zip(texts, labels, strict=True))
        ]

    tweets = {text_key(t): tweet(t) for t in texts}
    (census,) = estimate(rows(1.0), tweets, lambda tw: tw.text in flagged)
    assert census.precision == pytest.approx(9 / 11)  # 8 + 1 ads of 11 flagged
    assert census.precision_interval == (census.precision, census.precision)
    assert census.recall_interval == (census.recall, census.recall)
    (sampled,) = estimate(rows(100.0), tweets, lambda tw: tw.text in flagged)
    low, high = sampled.recall_interval
    assert low < sampled.recall < high and high - low > 0.2  # 3 ads in 40 rows: unsure
    assert sampled.precision_interval[0] < sampled.precision_interval[1]
    (again,) = estimate(rows(100.0), tweets, lambda tw: tw.text in flagged)
    assert again == sampled  # a fixed seed: the same file always prints the same intervals


def test_audits_are_estimated_separately_in_file_order() -> None:
    rows = [
        AuditRow("second", text_key("x"), "organic", 1.0),
        AuditRow("first", text_key("y"), "ad", 1.0),
    ]
    tweets = {text_key(t): tweet(t) for t in "xy"}
    got = estimate(rows, tweets, lambda tw: True)
    assert [(e.audit, e.precision, e.recall) for e in got] == [
        ("second", 0.0, 0.0),
        ("first", 1.0, 1.0),
    ]


def test_agreement_counts_the_rows_both_decided_and_gives_cohens_kappa() -> None:
    """50 decided rows: 20 both ad, 5 ad/organic, 10 organic/ad, 15 both organic. Observed
    agreement 0.7; by chance 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa (0.7 - 0.5) / 0.5 = 0.4."""
    pairs = [("ad", "ad")] * 20 + [("ad", "organic")] * 5 + [("organic", "ad")] * 10
    pairs += [("organic", "organic")] * 15 + [("unclear", "ad"), ("ad", "unclear")]
    first = [AuditRow("a1", f"k{i}", one, 3.0) for i, (one, _) in enumerate(pairs)]
    second = [AuditRow("a1", f"k{i}", two, 3.0) for i, (_, two) in enumerate(pairs)]
    second.append(AuditRow("a1", "only-second", "ad", 3.0))  # not in the first: left out
    second.append(AuditRow("a2", "k0", "ad", 3.0))  # same text, another audit: left out
    first.append(AuditRow("a2", "k1", "ad", 3.0))  # only in the first: left out
    (a,) = agreement(first, second)
    assert (a.audit, a.rows, a.decided) == ("a1", 52, 50)
    assert (a.both_ad, a.first_only, a.second_only, a.both_organic) == (20, 5, 10, 15)
    assert a.agreement == pytest.approx(0.7)
    assert a.kappa == pytest.approx(0.4)
    assert "0.40" in format_agreement([a]) and "70.0%" in format_agreement([a])


@pytest.mark.parametrize(
    ("pairs", "kappa"),
    [
        ([("ad", "ad"), ("organic", "organic")] * 3, 1.0),  # perfect
        ([("ad", "organic"), ("organic", "ad")] * 3, -1.0),  # always opposite
        ([("organic", "organic")] * 4, 1.0),  # one class only: agreement, chance 1
    ],
)
def test_kappa_at_the_extremes(pairs: list[tuple[str, str]], kappa: float) -> None:
    first = [AuditRow("a", str(i), one, 1.0) for i, (one, _) in enumerate(pairs)]
    second = [AuditRow("a", str(i), two, 1.0) for i, (_, two) in enumerate(pairs)]
    (a,) = agreement(first, second)
    assert a.kappa == pytest.approx(kappa)


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        (b"not json", "not an audit row"),
        (b'{"audit": "a", "sha256": "x", "label": "spam", "weight": 1}', "label must be"),
        (b'{"audit": "a", "sha256": "x", "label": "ad", "weight": 0}', "weight positive"),
        (b'{"audit": "a", "label": "ad", "weight": 1}', "not an audit row"),
    ],
)
def test_bad_label_files_name_the_line(tmp_path: Path, line: bytes, needle: str) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_bytes(b'{"audit": "a", "sha256": "x", "label": "ad", "weight": 1}\n' + line)
    with pytest.raises(ValueError, match=needle) as err:
        read_audit(path)
    assert "labels.jsonl:2" in str(err.value)


def test_the_cli_reads_a_corpus_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.csv").write_text(
        'text,created_at\n"Get 50% off my prompt course, use code SAVE50 today",2023-01-01\n'
        '"Interesting paper on scaling laws today",2023-01-01\n'
    )
    labels = tmp_path / "labels.jsonl"
    labels.write_bytes(
        b"\n".join(
            orjson.dumps({"audit": "t", "sha256": text_key(text), "label": label, "weight": 2})
            for text, label in [
                ("Get 50% off my prompt course, use code SAVE50 today", "ad"),
                ("Interesting paper on scaling laws today", "organic"),
            ]
        )
    )
    assert main(["eval", "audit", "--labels", str(labels), "--corpus", str(corpus), "--json"]) == 0
    (got,) = orjson.loads(capsys.readouterr().out)
    assert (got["precision"], got["recall"], got["organic_flagged"]) == (1.0, 1.0, 0.0)
    assert main(["eval", "audit", "--labels", str(labels), "--corpus", str(tmp_path / "no")]) == 2


def test_the_cli_compares_a_second_labeller(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = ["Get 50% off my prompt course, use code SAVE50 today", "A paper on scaling laws"]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.csv").write_text(
        "text,created_at\n" + "".join(f'"{t}",2023-01-01\n' for t in texts)
    )

    def label_file(name: str, labels: list[str]) -> Path:
        path = tmp_path / name
        path.write_bytes(
            b"\n".join(
                orjson.dumps({"audit": "t", "sha256": text_key(t), "label": lab, "weight": 1})
                for t, lab in zip(texts, labels, strict=True)
            )
        )
        return path

    first, second = label_file("1.jsonl", ["ad", "organic"]), label_file("2.jsonl", ["ad", "ad"])
    args = ["eval", "audit", "--labels", str(first), "--corpus", str(corpus), "--second"]
    assert main([*args, str(second), "--json"]) == 0
    got = orjson.loads(capsys.readouterr().out)
    assert [e["precision"] for e in got["first"]] == [1.0]
    assert [(e["precision"], e["recall"]) for e in got["second"]] == [(1.0, 0.5)]
    (a,) = got["agreement"]
    assert (a["both_ad"], a["second_only"], a["agreement"]) == (1, 1, 0.5)
    assert main([*args, str(second)]) == 0
    assert "agreement, first labeller / second" in capsys.readouterr().out


def test_a_jsonl_corpus_may_hold_v2_messages_or_flat_rows(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    v2 = {
        "data": {"id": "7", "text": "a v2 tweet", "created_at": "2023-01-01T00:00:00Z"},
        "includes": {"users": []},
    }
    flat = {"user_id": "9", "content": "一条微博", "followers_num": "3", "time_iso_guess": "x"}
    path.write_bytes(b"\n".join(orjson.dumps(o) for o in (v2, flat, {"no": "text"})) + b"\n")
    got = list(corpus_tweets(tmp_path))
    assert [t.text for t in got] == ["a v2 tweet", "一条微博"]
    assert got[1].author.followers_count == 3


@pytest.mark.parametrize(
    ("labels", "corpus", "audits", "rows"),
    [
        (
            "real_audit.jsonl",
            "corpora/a_ai_tweets",
            {
                "audit-1",
                "audit-2",
                "audit-3",
                "audit-4",
                "audit-5",
                "audit-6",
                "audit-7",
                "audit-8",
                "audit-9",
                "near-1",  # the model's near misses (round 16): development rows
                "audit-10",
                "audit-11",
                "audit-12",  # blind check of round 20 (not landed): development rows
                "audit-13",  # blind check of round 21
                "audit-14",  # blind check of round 22
            },
            3282,
        ),
        (
            "real_audit_zh.jsonl",
            "corpora/c_chinese",
            {
                "weibo-1",
                "weibo-2",
                "weibo-3",
                "weibo-4",
                "weibo-5",
                "weibo-6",
                "weibo-near-1",
                "weibo-7",
                "weibo-8",
                "weibo-9",
                "weibo-10",
                "weibo-11",  # blind check of round 20 (not landed): development rows
                "weibo-12",  # blind check of round 21
            },
            2890,
        ),
        ("real_audit_second.jsonl", "corpora/a_ai_tweets", {"audit-1", "audit-2"}, 1000),
    ],
)
def test_every_labelled_text_is_in_the_real_corpus(
    labels: str, corpus: str, audits: set[str], rows: int
) -> None:
    """The committed audits name real tweets by hash only: all must still be found."""
    got = read_audit(REPO / "tests" / "data" / labels)
    assert {row.audit for row in got} == audits
    assert len({(row.audit, row.key) for row in got}) == len(got) == rows
    found = sampled_tweets(corpus_tweets(require(corpus)), {r.key for r in got})
    assert set(found) == {row.key for row in got}


def test_the_second_labelling_covers_the_same_rows_with_the_same_weights() -> None:
    """real_audit_second.jsonl relabels audits 1 and 2 row for row (another labeller, blind)."""
    first = {(r.audit, r.key): r.weight for r in read_audit(REPO / "tests/data/real_audit.jsonl")}
    second = read_audit(REPO / "tests" / "data" / "real_audit_second.jsonl")
    assert {(r.audit, r.key): r.weight for r in second} == {
        key: weight for key, weight in first.items() if key[0] in {"audit-1", "audit-2"}
    }


def test_the_whole_corpus_estimate_pools_every_audit() -> None:
    """10 flagged texts (4 labelled: 3 ads) and 90 passed (4 labelled rows of unflagged strata
    still passed: 1 ad): 7.5 ads found, 22.5 missed, recall 0.25."""
    verdicts = {f"f{i}": True for i in range(10)} | {f"p{i}": False for i in range(90)}
    rows = [
        AuditRow("a-1", "f0", "ad", 1.0, "flagged"),
        AuditRow("a-1", "f1", "organic", 1.0, "flagged"),
        AuditRow("a-2", "f2", "ad", 1.0, "flagged by the new round only"),
        AuditRow("a-2", "f3", "ad", 9.0, "unflagged"),  # flagged now: a flagged text's label
        AuditRow("a-2", "f3", "organic", 1.0, "flagged by both"),  # its second label: ignored
        AuditRow("a-1", "p0", "ad", 50.0, "unflagged"),
        AuditRow("a-1", "p1", "organic", 50.0, "unflagged"),
        AuditRow("a-2", "p2", "organic", 80.0, "flagged by neither"),
        AuditRow("a-2", "p3", "organic", 80.0, "flagged by neither"),
        AuditRow("a-2", "p4", "ad", 1.0, "flagged by the old round only"),  # not a random draw
        AuditRow("a-2", "p5", "unclear", 80.0, "flagged by neither"),
        AuditRow("a-2", "gone", "ad", 80.0, "flagged by neither"),  # not in the corpus
    ]
    got = whole_corpus(rows, verdicts)
    assert (got.texts, got.flagged, got.flagged_labelled, got.passed, got.passed_labelled) == (
        100,
        10,
        4,
        90,
        4,
    )
    assert (got.flagged_ad_share, got.passed_ad_share) == (0.75, 0.25)
    assert (got.ads_flagged, got.ads_missed, got.recall) == (7.5, 22.5, 0.25)
    low, high = got.recall_interval
    assert 0 < low < 0.25 < high <= 1  # four rows a side: a draw without missed ads is 1
    assert whole_corpus(rows, verdicts) == got  # a fixed seed
    assert (got.tweets, got.tweets_flagged) == (100, 10)
    reposted = whole_corpus(rows, verdicts, {"f0": 5, "p0": 3})  # a text posted 5 times, ...
    assert (reposted.tweets, reposted.tweets_flagged) == (106, 14)
    assert reposted.recall == got.recall  # recall is over distinct texts


def test_the_cli_estimates_the_whole_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ad, organic = "Get 50% off my prompt course, use code SAVE50 today", "A paper on scaling laws"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    extra = [f"An opinion on AI number {i}" for i in range(3)]
    (corpus / "a.csv").write_text(
        "text,created_at\n" + "".join(f'"{t}",2023-01-01\n' for t in [ad, organic, *extra])
    )
    labels = tmp_path / "labels.jsonl"
    labels.write_bytes(
        b"\n".join(
            orjson.dumps(
                {"audit": "t", "sha256": text_key(t), "label": lab, "weight": w, "stratum": s}
            )
            for t, lab, w, s in [(ad, "ad", 1, "flagged"), (organic, "organic", 4, "unflagged")]
        )
    )
    args = ["eval", "audit", "--labels", str(labels), "--corpus", str(corpus), "--whole"]
    assert main([*args, "--json"]) == 0
    got = orjson.loads(capsys.readouterr().out)
    assert [a["precision"] for a in got["audits"]] == [1.0]
    whole = got["whole"]
    assert (whole["texts"], whole["flagged"], whole["passed"], whole["recall"]) == (5, 1, 4, 1.0)
    assert main(args) == 0
    assert "whole corpus: 1 of 5 tweets flagged (20.00%)" in capsys.readouterr().out
