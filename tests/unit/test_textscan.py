"""The keyphrase scans in C (streams/_textscan.c) equal the regexes they replace.

``runs`` is ``streams.keyphrases._RUN.findall``, ``is_chinese`` is
``streams.segment.python_is_chinese`` and ``not_words`` is
``streams.keyphrases.python_not_words``. They run only in a compiled build (``make native``;
``make test`` builds first, so CI always tests them): outside CI, without a build, these tests
skip.
"""

from __future__ import annotations

import random
from types import ModuleType

import pytest

from streams.keyphrases import _RUN, python_not_words
from streams.segment import python_is_chinese
from tests.bench.ads import CORPUS_FILES
from tests.native_build import extension
from tests.shared_data import require


def _textscan() -> ModuleType:
    return extension("streams._textscan", "the C scans")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Claude 3.5 Sonnet beats GPT-4o and o3 on SWE-bench",
        "Llama 3 70B vs Llama-3.1 405B; Gemini 1.5 Pro 2.0 Flash",
        "iPhone 15 Pro Max with xAI Grok 2 and gpt-4o-mini",
        "version 12.345 and 1.2.3 and 3.14.15 and 10.5x and 3.5_",
        "https://t.co/AbC123 @OpenAI #GPT4 $NVDA A&B O'Reilly it’s OK",
        "AI A I 3 a3 x-4 -4 .NET Node.js U.S. A-10",
        "New Year\u00a0Sale  Two  Spaces\tTab\nLine",
        "中文GPT-4模型 和 Claude 3 对比",
        "C:\\Users\\Bob path\\To ~Foo =Bar ?Baz %Qux +Quux",
    ],
)
def test_runs_equal_the_regex(text: str) -> None:
    assert _textscan().runs(text) == _RUN.findall(text)


def test_runs_equal_the_regex_on_random_texts() -> None:
    """Random strings over the characters the grammar turns on (capitals, digits, dots,
    dashes, spaces, glue characters), where a hand-written scanner would slip."""
    runs = _textscan().runs
    rng = random.Random(20261130)
    alphabet = "aZb9 0.-1Q_#@$’'x-.. 12 3.5 ab 中"
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert runs(text) == _RUN.findall(text), text


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("", False),
        ("plain ASCII", False),
        ("英伟达发布新芯片", True),
        ("ChatGPTの日本語", False),  # kana: Japanese
        ("漢字とカタカナ", False),
        ("café résumé", False),
        ("𠀀 only an extension-B ideograph", False),  # outside the Han ranges jieba cuts
        ("﨑 a compatibility ideograph", True),
    ],
)
def test_is_chinese_equals_python(text: str, chinese: bool) -> None:
    assert python_is_chinese(text) is chinese
    assert _textscan().is_chinese(text) is chinese


@pytest.mark.parametrize(
    "text",
    [
        "",
        "#话题# 今天[哈哈]不错 #AI #人工智能#[心]",
        "[太开心了哈哈哈哈] [九个字的表情太长了吗] [] [a_b] [é]",
        "## #_ #a#b# ##x [[x]] [x[y]]",
        "cafe\u0301 #cafe\u0301 [e\u0301]",  # a combining mark is no word character
        "no tags at all",
    ],
)
def test_not_words_equals_python(text: str) -> None:
    assert _textscan().not_words(text) == python_not_words(text)


def test_not_words_equals_python_on_random_texts() -> None:
    not_words = _textscan().not_words
    rng = random.Random(20261130)
    alphabet = "#[]_a中1 ！é\u0301😀#"
    for _ in range(50_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert not_words(text) == python_not_words(text), text


def test_scans_equal_python_on_the_bench_corpora() -> None:
    """Every text of the bench corpora (54,404), as it is and with its line breaks as spaces."""
    scan = _textscan()
    texts = 0
    for _, relative, reader in CORPUS_FILES:
        for tweet in reader(require(f"corpora/{relative}")):
            for text in (tweet.text, tweet.text.replace("\n", " ")):
                texts += 1
                assert scan.runs(text) == _RUN.findall(text), text
                assert scan.is_chinese(text) == python_is_chinese(text), text
                assert scan.not_words(text) == python_not_words(text), text
    assert texts > 100_000
