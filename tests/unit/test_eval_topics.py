"""`tweetpulse eval topics`: the tagger against hand-given topics of real tweets."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.eval_audit import corpus_tweets, sampled_tweets, text_key
from streams.eval_topics import (
    TopicRow,
    estimate_topics,
    format_topic_estimates,
    read_topic_labels,
)
from streams.model import Tweet
from streams.taxonomy_file import load_taxonomy
from tests.shared_data import require
from tweetpulse.cli import main

TOPICS = ("apps", "chips", "markets")


def tweet(text: str) -> Tweet:
    return Tweet(id="1", text=text, created_at=datetime(2023, 1, 1, tzinfo=UTC))


def test_topics_are_scored_per_topic_and_micro_averaged_with_weights() -> None:
    # text: (labelled topics, tagged topics, weight)
    table = {
        "a": ({"apps"}, ("apps",), 1.0),
        "b": ({"apps", "chips"}, ("apps",), 1.0),  # chips missed
        "c": (set(), ("markets",), 2.0),  # a wrong tag, on a row standing for 2 texts
        "d": ({"chips"}, ("chips", "markets"), 1.0),  # one right, one wrong
    }
    rows = [TopicRow("t1", text_key(t), frozenset(lab), w) for t, (lab, _, w) in table.items()]
    rows.append(TopicRow("t1", text_key("gone"), frozenset({"apps"}), 1.0))
    tweets = {text_key(t): tweet(t) for t in table}
    (e,) = estimate_topics(rows, tweets, lambda tw: table[tw.text][1], TOPICS)
    assert (e.audit, e.texts, e.missing) == ("t1", 4, 1)
    apps, chips, markets = e.topics
    assert (apps.precision, apps.recall, apps.labelled, apps.tagged) == (1.0, 1.0, 2, 2)
    assert (chips.precision, chips.recall) == (1.0, 0.5)
    assert (markets.precision, markets.recall, markets.tagged) == (0.0, 0.0, 2)
    # micro: labelled 2 + 2 + 0 = 4, tagged 2 + 1 + 3 (weighted: c counts twice) = 6, both 3
    assert [e.micro.precision, e.micro.recall] == pytest.approx([3 / 6, 3 / 4])
    assert e.micro.f1 == pytest.approx(2 * 0.5 * 0.75 / 1.25)
    assert e.exact == pytest.approx(1 / 5)  # only "a" (weight 1 of 5)
    (without,) = estimate_topics(
        rows, tweets, lambda tw: table[tw.text][1], TOPICS, ignore=["markets"]
    )
    assert [without.micro.precision, without.micro.recall] == pytest.approx([1.0, 3 / 4])
    assert without.exact == pytest.approx(4 / 5)  # "b" is the only miss left
    assert "(micro)" in format_topic_estimates([e]) and "1 not in the corpus" in (
        format_topic_estimates([e])
    )


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        (b"{", "not a topic label row"),
        (b'{"audit": "a", "sha256": "x", "weight": 1}', "not a topic label row"),
        (b'{"audit": "a", "sha256": "x", "topics": "apps", "weight": 1}', "must be a list"),
        (b'{"audit": "a", "sha256": "x", "topics": [], "weight": -1}', "weight must be positive"),
        (b'{"audit": "a", "sha256": "x", "topics": ["apps", "ai"], "weight": 1}', "unknown topic"),
    ],
)
def test_bad_label_rows_name_the_line(tmp_path: Path, line: bytes, needle: str) -> None:
    path = tmp_path / "topics.jsonl"
    path.write_bytes(b'{"audit": "a", "sha256": "y", "topics": ["apps"], "weight": 1}\n' + line)
    with pytest.raises(ValueError, match=needle) as err:
        read_topic_labels(path, TOPICS)
    assert "topics.jsonl:2" in str(err.value)


def test_the_cli_scores_the_bundled_taxonomy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = {
        "Nvidia's new H100 GPUs are sold out for months": ["chips_inference"],
        "ChatGPT wrote my cover letter and it was great": ["apps_agents"],
        "my cat is asleep on the keyboard again": [],
    }
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.csv").write_text(
        "text,created_at\n" + "".join(f'"{t}",2023-01-01\n' for t in texts)
    )
    labels = tmp_path / "topics.jsonl"
    labels.write_bytes(
        b"\n".join(
            orjson.dumps({"audit": "t", "sha256": text_key(t), "topics": lab, "weight": 1})
            for t, lab in texts.items()
        )
    )
    args = ["eval", "topics", "--labels", str(labels), "--corpus", str(corpus)]
    assert main([*args, "--json"]) == 0
    (got,) = orjson.loads(capsys.readouterr().out)
    assert (got["texts"], got["exact"]) == (3, 1.0)
    assert (got["micro"]["precision"], got["micro"]["recall"]) == (1.0, 1.0)
    assert main([*args, "--ignore", "apps_agents"]) == 0
    assert "left out of the micro average" in capsys.readouterr().out
    assert main([*args, "--ignore", "no_such_topic"]) == 2
    second = tmp_path / "second.jsonl"  # another person: one topic more on the cat
    second.write_bytes(
        b"\n".join(
            orjson.dumps(
                {
                    "audit": "t",
                    "sha256": text_key(t),
                    "topics": lab or ["safety_society"],
                    "weight": 1,
                }
            )
            for t, lab in texts.items()
        )
    )
    assert main([*args, "--second", str(second), "--json"]) == 0
    (got,) = orjson.loads(capsys.readouterr().out)
    assert (got["micro"]["precision"], got["micro"]["recall"]) == (2 / 3, 1.0)


def test_strata_can_be_scored_on_their_own() -> None:
    rows = [
        TopicRow("t", text_key("a"), frozenset({"apps"}), 10.0, "random"),
        TopicRow("t", text_key("b"), frozenset({"chips"}), 1.0, "chinese"),
    ]
    tweets = {text_key(t): tweet(t) for t in "ab"}
    got = estimate_topics(rows, tweets, lambda tw: ("apps",), TOPICS, by_stratum=True)
    assert [(e.audit, e.micro.precision, e.micro.recall) for e in got] == [
        ("t/random", 1.0, 1.0),
        ("t/chinese", 0.0, 0.0),
    ]
    (pooled,) = estimate_topics(rows, tweets, lambda tw: ("apps",), TOPICS)
    assert pooled.micro.recall == pytest.approx(10 / 11)


def test_every_labelled_text_is_in_the_real_corpus_and_every_topic_in_the_taxonomy() -> None:
    """The committed topic labels name real tweets by hash only: all must still be found."""
    repo = Path(__file__).resolve().parents[2]
    ids = load_taxonomy().topic_ids
    rows = read_topic_labels(repo / "tests" / "data" / "real_topics.jsonl", ids)
    assert {row.audit for row in rows} == {f"topics-{n}" for n in range(1, 8)}
    assert len({row.key for row in rows}) == len(rows) == 2325  # seven disjoint samples
    found = sampled_tweets(corpus_tweets(require("corpora/a_ai_tweets")), {r.key for r in rows})
    assert set(found) == {row.key for row in rows}
    # the second labeller's file relabels the same rows (same weights)
    second = read_topic_labels(repo / "tests" / "data" / "real_topics_second.jsonl", ids)
    assert {(r.audit, r.key, r.weight) for r in second} == {
        (r.audit, r.key, r.weight) for r in rows if r.audit == "topics-1"
    }
