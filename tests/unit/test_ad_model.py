"""The learned part of the ad classifier: the committed weights are what the trainer produces,
the fast scorer equals the reference features, the model only decides where the rules found
promotional evidence, and hard negatives stay organic."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import orjson
import pytest

from streams.ad_features import features, tokens
from streams.ad_model import MODEL_PATH, AdModel, default_model
from streams.ad_train import (
    DATA_DIR,
    FIXTURES,
    Row,
    choose_cutoff,
    fit,
    load_real,
    main,
    matches,
    weighted_precision,
)
from streams.ads import AdClassifier
from streams.errors import ConfigError
from streams.eval_audit import text_key
from streams.model import Tweet
from tests.shared_data import require

T0 = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)


def tweet(text: str) -> Tweet:
    return Tweet(id="1", text=text, created_at=T0)


def test_retraining_reproduces_the_committed_model(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m streams.ad_train --check``: fixtures + the real audits (read from the shared
    corpora) retrain to exactly the committed file; one retrain (it takes a minute or two)."""
    corpora = require("corpora/a_ai_tweets").parent
    require("corpora/c_chinese")
    assert main(["--check", "--corpora", str(corpora)]) == 0
    out = capsys.readouterr().out
    assert "leave-one-batch-out CV" in out
    assert "leave-one-audit-out CV" in out
    assert "the committed model matches" in out
    notes = default_model().notes
    # the cross-validated estimates are stored; precision is the constraint
    assert notes["cv_leave_one_batch_out"]["pooled"]["precision"] >= 0.95
    for audit in ("audit-1", "audit-7", "weibo-1", "weibo-4"):
        assert audit in notes["trained_on"]
        assert audit in notes["cv_real_leave_one_audit_out"]["by_audit"]


def test_check_compares_bytes(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    assert not matches(path, b"{}\n")
    path.write_bytes(b"{}\n")
    assert matches(path, b"{}\n")
    assert not matches(path, b"{} \n")


def test_missing_corpora_name_the_folder_and_the_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ConfigError, match="TWEETPULSE_SHARED_DIR") as info:
        load_real(tmp_path)
    assert str(tmp_path / "a_ai_tweets") in str(info.value)
    assert main(["--check", "--corpora", str(tmp_path)]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_real_audit_rows_are_read_by_hash(tmp_path: Path) -> None:
    """A tiny invented corpus and label file: decided rows become training rows (one batch per
    audit, the text from the corpus), unclear rows and texts missing from the corpus do not."""
    texts = {
        "ad": "Grab our AI course today, 50% off, link in bio",
        "organic": "The new model is better at maths than I expected.",
        "unclear": "Trying a new AI app this week.",
    }
    corpus = tmp_path / "corpora" / "tiny"
    corpus.mkdir(parents=True)
    lines = [orjson.dumps({"id": str(i), "text": t}) for i, t in enumerate(texts.values())]
    (corpus / "tweets.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    labels = tmp_path / "labels.jsonl"
    rows = [
        {"audit": "x-1", "sha256": text_key(t), "label": label, "weight": 3.0, "stratum": "s"}
        for label, t in texts.items()
    ]
    rows.append(
        {"audit": "x-2", "sha256": text_key("not in the corpus"), "label": "ad", "weight": 1.0}
    )
    # a later audit (a blind check of the model) in the same file: not trained on
    rows.append({"audit": "x-3", "sha256": text_key(texts["unclear"]), "label": "ad", "weight": 1})
    labels.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    real = load_real(tmp_path / "corpora", [(labels, "tiny", "en")], frozenset({"x-1", "x-2"}))
    assert [(r.batch, r.is_ad, r.real, r.text) for r in real.rows] == [
        ("x-1", True, True, texts["ad"]),
        ("x-1", False, True, texts["organic"]),
    ]
    assert len(real.labels) == 4
    assert real.language == {"x-1": "en", "x-2": "en"}
    assert set(real.tweets) == {text_key(texts["ad"]), text_key(texts["organic"])}


def test_a_sample_weight_of_two_is_a_row_twice() -> None:
    rows = [[0], [0, 1], [1], [2]]
    y = np.array([1.0, 1.0, 0.0, 0.0])
    twice_w, twice_b = fit([*rows, [0, 1]], np.append(y, 1.0), 3, 0.01)
    weighted_w, weighted_b = fit(rows, y, 3, 0.01, sample_weight=np.array([1.0, 2.0, 1.0, 1.0]))
    assert weighted_w == pytest.approx(twice_w, abs=1e-6)
    assert weighted_b == pytest.approx(twice_b, abs=1e-6)


def _row(is_ad: bool, *, rules: bool = False, gated: bool = True, real: bool = True) -> Row:
    return Row("a", is_ad, rules, gated, (), "", real)


def test_weighted_precision_counts_the_model_flags_apart() -> None:
    rows = [
        _row(True, rules=True),  # the rules flag it
        _row(True),  # the model at p 0.9
        _row(False),  # the model at p 0.7 (a heavy organic row)
        _row(True, gated=False),  # never consulted
    ]
    probs, weight = [0.0, 0.9, 0.7, 0.99], [1.0, 2.0, 10.0, 5.0]
    assert weighted_precision(rows, probs, weight, 0.8) == pytest.approx((1.0, 3 / 8, 1.0))
    assert weighted_precision(rows, probs, weight, 0.6) == pytest.approx((3 / 13, 3 / 8, 2 / 12))
    assert weighted_precision(rows, probs, weight, 2.0) == pytest.approx((1.0, 1 / 8, 1.0))


@pytest.mark.parametrize(
    ("real_probs", "expected"),
    [
        ([0.9, 0.45, 0.3], 0.5),  # the organic row is never flagged: the lowest cutoff
        ([0.9, 0.62, 0.3], 0.65),  # flagged below 0.65: the whole precision falls to 1/2
        ([0.9, 0.99, 0.3], 0.999),  # flagged at any cutoff: none will do
    ],
)
def test_cutoff_is_the_lowest_that_keeps_real_precision(
    real_probs: list[float], expected: float
) -> None:
    fixtures = [_row(True, real=False), _row(False, real=False)]
    real = [_row(True), _row(False), _row(True)]
    cut = choose_cutoff(fixtures, [0.9, 0.1], real, real_probs, [1.0, 1.0, 1.0], ["zh"] * 3)
    assert cut == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Only $47 today, 50% off!", ["only", "$", "00", "today", "00", "%", "off"]),
        ("领取 AI 会员", ["领", "取", "ai", "会", "员"]),
        ("don't miss 🎁", ["don't", "miss", "🎁"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text.casefold()) == expected


def test_fast_scorer_equals_the_reference_features() -> None:
    model = default_model()
    rules = AdClassifier(use_model=False)
    for path in (DATA_DIR / name for name in FIXTURES):
        for line in path.read_bytes().splitlines():
            t = tweet(orjson.loads(line)["text"])
            found = rules.rules(t)
            reference = model.logit(features(found.text, t.text, found.signals))
            assert model.logit_of(found.text, t.text, found.signals) == pytest.approx(reference)


def test_structure_features_count_only_in_a_model_that_weighs_them() -> None:
    """The committed model has only word features (ad_train.GROUPS), so logit_of skips the
    structure and signal features; a model with such weights still gets them."""
    text, signals = "free trial http://x.co/a", ("contact",)
    words_only = AdModel(bias=0.5, weights={"u:free": 1.0, "b:free trial": 0.25}, cutoff=0.5)
    structural = AdModel(
        bias=0.5, weights={"u:free": 1.0, "s:url2": 2.0, "r:contact": 4.0}, cutoff=0.5
    )
    for model, expected in ((words_only, 1.75), (structural, 7.5)):
        assert model.logit_of(text, text, signals) == expected
        assert model.logit(features(text, text, signals)) == expected


@pytest.mark.parametrize(
    ("probability", "score"), [(0.0, 0.0), (0.25, 0.3), (0.5, 0.6), (0.75, 0.8), (1.0, 1.0)]
)
def test_score_maps_the_cutoff_onto_the_default_threshold(probability: float, score: float) -> None:
    model = AdModel(bias=0.0, weights={}, cutoff=0.5)
    assert model.score(probability) == pytest.approx(score)
    assert AdModel(0.0, {}, cutoff=0.8).score(0.8) == pytest.approx(0.6)


def test_model_file_validation(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cutoff"):
        AdModel(0.0, {}, cutoff=1.0)
    bad = tmp_path / "bad.json"
    bad.write_bytes(orjson.dumps({"format": "something else"}))
    with pytest.raises(ValueError, match="not an ad model"):
        AdModel.load(bad)
    assert AdModel.load(MODEL_PATH) == default_model()


# Ads whose wording the rules score below the threshold (weak promotional language) and the
# model lifts: the verdict says "model".
@pytest.mark.parametrize(
    "text",
    [
        "Stop scrolling. This AI tool will save you 10 hours a week. Free forever plan, upgrade "
        "anytime: https://bit.ly/save10h",
        # (round 3: "Cheap OpenAI API credits ... message me." is now caught by the rules alone)
        "Need AI product photos for your store? We shoot nothing and deliver 50 images in 24h "
        "for $99.",
        # (round 9: "【AI 写作训练营】第 8 期开始招生 … 学费 199" is now caught by the rules alone:
        # "第 8 期开始招生" is the next cohort)
        "AI 绘画课程上新，21 天带你出图接单，学费 199",
    ],
)
def test_model_lifts_weak_promotional_language(text: str) -> None:
    rules_only = AdClassifier(use_model=False).classify(tweet(text))
    verdict = AdClassifier().classify(tweet(text))
    assert not rules_only.is_ad
    assert verdict.is_ad
    assert verdict.reasons[-1] == "model"
    assert verdict.reasons[:-1] == rules_only.reasons


@pytest.mark.parametrize(
    "text",
    [
        # no promotional language the rules know: the model is not consulted at all
        # (round 3: "Ready to 10x your content output? Join 12,000 marketers ..." is a pitch the
        # rules now know)
        "The eval harness now covers 40 languages; the paper has the per-language numbers.",
        "We released our 7B model under Apache 2.0, weights on Hugging Face, try the demo.",
        # weak promotional language in organic posts: the model keeps them organic
        "Tip: you can get 50% off OpenAI API calls with the Batch API if you don't need the "
        "results immediately.",
        "Black Friday deals on GPUs are mostly old stock. If you're buying for local LLMs, VRAM "
        "matters more than anything else.",
        "Free workshop on responsible AI at the university library this Saturday. Open to "
        "everyone, no registration needed.",
        "最近各种 AI 课程铺天盖地，其实官方文档和公开课已经足够入门了。",
        "MiniMax 发布了新的语音模型，中文情感表达比之前自然很多，API 限时半价。",
    ],
)
def test_model_does_not_flag_organic(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert not verdict.is_ad, verdict
    assert "model" not in verdict.reasons


def test_without_the_model_the_rules_decide() -> None:
    text = "Stop scrolling. This AI tool will save you 10 hours a week. Free forever plan."
    assert AdClassifier(use_model=False).model is None
    assert AdClassifier(use_model=False).classify(tweet(text)).score < 0.6
