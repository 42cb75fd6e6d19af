"""The compiled hot path (streams/native.py): loaded only while current, and it agrees with the
pure Python on every fixture and on real tweets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import islice
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams import native
from streams.ad_train import FIXTURES as TRAINING_FIXTURES
from streams.ads import AdClassifier
from streams.campaigns import CampaignDetector
from streams.eval_ads import Example, read_corpus
from streams.taxonomy import Tagger, load_taxonomy
from tests.shared_data import require

ROOT = Path(__file__).resolve().parents[2]
# the fixtures by name (a glob would also read a blind set while it is being written)
FIXTURES = [ROOT / "tests" / "data" / name for name in TRAINING_FIXTURES]
CORPUS_SAMPLE = (
    ("corpora/c_chinese/weibo_posts_user_labelled_spam_2011-2017.jsonl", 1500),
    ("corpora/b_spam_labelled/utkml_twitter_spam_quality_vs_spam.csv", 1500),
)


_SOURCES = (*native.MODULES, *(source for _, source in native.EXTENSIONS))


def _fake_root(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    for relative in _SOURCES:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(f"# {relative}\n", encoding="utf-8")
    return root


def _record(native_dir: Path, digest: str) -> None:
    native_dir.mkdir(parents=True, exist_ok=True)
    (native_dir / native.MANIFEST).write_text(json.dumps({"digest": digest}), encoding="utf-8")


def test_a_build_loads_only_while_it_matches_the_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    root, native_dir = _fake_root(tmp_path), tmp_path / "native"
    assert not native.check(native_dir, root).usable  # no build
    assert "no build" in native.check(native_dir, root).reason
    _record(native_dir, native.sources_digest(root))
    assert native.check(native_dir, root).usable
    (root / "streams/ads.py").write_text("# edited\n", encoding="utf-8")
    stale = native.check(native_dir, root)
    assert not stale.usable
    assert "older than the sources" in stale.reason
    (root / "streams/ads.py").write_text("# streams/ads.py\n", encoding="utf-8")
    assert native.check(native_dir, root).usable
    monkeypatch.setenv(native.PURE_ENV, "1")
    assert not native.check(native_dir, root).usable


def test_the_digest_covers_every_module_and_the_interpreter(tmp_path: Path) -> None:
    root = _fake_root(tmp_path)
    digests = {native.sources_digest(root)}
    for relative in _SOURCES:  # the mypyc modules and the C extensions' sources
        (root / relative).write_text("# changed\n", encoding="utf-8")
        digests.add(native.sources_digest(root))
    assert len(digests) == len(_SOURCES) + 1 > len(native.MODULES) + 1


def test_activate_puts_a_current_build_first_and_leaves_a_stale_one_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    monkeypatch.setattr(sys, "path", list(sys.path))
    current = tmp_path / "current"
    _record(current, native.sources_digest())
    package_path = ["/src/streams"]
    assert native.activate(package_path, current).usable
    assert package_path == [str(current / "streams"), "/src/streams"]
    assert sys.path[-1] == str(current)
    stale = tmp_path / "stale"
    _record(stale, "0" * 64)
    package_path = ["/src/streams"]
    assert not native.activate(package_path, stale).usable
    assert package_path == ["/src/streams"]


def test_ci_runs_the_compiled_hot_path() -> None:
    """`make test` builds first: CI must test the code the pipeline runs."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        pytest.skip("outside CI a build is optional (`make native`)")
    assert native.check().usable, native.check().reason
    assert native.active()


def _results() -> list[Any]:
    """Every verdict, topic list and term list over the fixtures and real tweets."""
    tagger = Tagger(load_taxonomy())
    classifier = AdClassifier(0.6, CampaignDetector(min_accounts=3))
    out: list[Any] = []
    tweets = [
        item.tweet for path in FIXTURES for item in read_corpus(path) if isinstance(item, Example)
    ]
    for relative, count in CORPUS_SAMPLE:
        items = read_corpus(require(relative))
        tweets += [item.tweet for item in islice(items, count) if isinstance(item, Example)]
    for tweet in tweets:
        verdict = classifier.classify(tweet)
        out.append([verdict.score, verdict.is_ad, verdict.reasons, tagger.tag(tweet)])
        out.append(tagger.terms(tweet))
    return out


def test_compiled_and_pure_python_agree() -> None:
    if not native.active():
        pytest.skip("no current compiled build in this process (`make native`)")
    code = (
        "import sys, orjson\n"
        "from streams import native\n"
        "from tests.unit.test_native import _results\n"
        "assert not native.active()\n"
        "sys.stdout.buffer.write(orjson.dumps(_results()))\n"
    )
    env = {**os.environ, native.PURE_ENV: "1"}
    pure = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True
    )
    compiled = orjson.loads(orjson.dumps(_results()))
    expected = orjson.loads(pure.stdout)
    assert len(compiled) == len(expected) > 3000
    assert compiled == expected
