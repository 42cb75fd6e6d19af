"""The learned part of the ad classifier: the committed weights are what the trainer produces,
the fast scorer equals the reference features, the model only decides where the rules found
promotional evidence, and hard negatives stay organic."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from streams.ad_features import features, tokens
from streams.ad_model import MODEL_PATH, AdModel, default_model
from streams.ad_train import DATA_DIR, FIXTURES, Config, build_model, load_rows, main
from streams.ads import AdClassifier
from streams.model import Tweet

T0 = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)


def tweet(text: str) -> Tweet:
    return Tweet(id="1", text=text, created_at=T0)


def test_retraining_reproduces_the_committed_model() -> None:
    committed = default_model()
    model, est = build_model(load_rows([DATA_DIR / name for name in FIXTURES]), Config())
    assert model.cutoff == pytest.approx(committed.cutoff, abs=1e-3)
    assert model.bias == pytest.approx(committed.bias, abs=2e-4)
    assert set(model.weights) == set(committed.weights)
    worst = max(abs(model.weights[f] - committed.weights[f]) for f in model.weights)
    assert worst <= 2e-4
    assert dict(model.notes) == dict(committed.notes)
    # the cross-validated estimate is printed and stored; precision is the constraint
    assert est["pooled"]["precision"] >= 0.95


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "model.json"
    assert main(["--out", str(out)]) == 0
    assert "leave-one-batch-out CV" in capsys.readouterr().out
    assert main(["--out", str(out), "--check"]) == 0
    out.write_bytes(out.read_bytes().replace(b'"cutoff"', b'"cutoff" ', 1))
    assert main(["--out", str(out), "--check"]) == 1


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
