"""Keyphrases (streams/keyphrases.py), jieba's set-up (streams/segment.py) and how they reach
Tagger.terms: tables of texts → keyphrases, in English and Chinese."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from streams.keyphrases import KeyphraseExtractor, stopwords
from streams.model import Tweet
from streams.segment import SEGMENTER, Segmenter, is_chinese, non_noun_words
from streams.taxonomy import MAX_TERMS, Tagger, load_taxonomy

T0 = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


@pytest.fixture(scope="module")
def extract(tagger: Tagger) -> KeyphraseExtractor:
    return tagger.keyphrases


def tweet(text: str, **fields: object) -> Tweet:
    return Tweet(id="1", text=text, created_at=T0, **fields)


# --- English ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names: inner capitals, all caps, digits; Capitalized words that do not open a sentence
        ("Huge news from OpenAI and Nvidia today", ("openai", "nvidia")),
        ("We tried Perplexity yesterday", ("perplexity",)),
        ("benchmarks: GPT-4o vs H100 vs NVDA", ("gpt-4o", "h100", "nvda")),
        ("gpt-4o and o3 and h100 in lower case", ("gpt-4o", "o3", "h100")),
        ("iPhone users meet xAI", ("iphone", "xai")),
        # runs of two or three names, a version allowed after a name
        ("Sam Altman says Google DeepMind ships Gemini 2.5 Pro", None),
        ("Our take on Claude 3.5 Sonnet, Llama 3 and Qwen", None),
        ("The EU AI Act passed", ("eu ai act",)),
        # an opening Capitalized word is an English word, unless it is a taxonomy keyword
        ("Great thread. Amazing stuff", ()),
        ("Nvidia is up. Anthropic too", ("nvidia", "anthropic")),
        # punctuation and possessives end a run
        ('I love (Google) and "Sam Altman".', ("google", "sam altman")),
        ("OpenAI's new model, GPT-4o, beats Claude", ("openai", "gpt-4o", "claude")),
        ("AI-powered tools from ChatGPT-based apps", ("chatgpt",)),
        # Title Case headlines: capitals say nothing, strong names stay
        ("How To Use ChatGPT For Marketing In 2024", ("chatgpt",)),
        ("Apple Unveils Vision Pro With M2 Chip", ("m2", "chip")),  # "chip": a keyword
        # stopwords, generic words, shouting, numbers
        ("THIS IS HUGE!!! ChatGPT BROKE the internet", ("chatgpt",)),
        ("So AI is here. The Model era. Just wow", ()),
        ("The LLM era", ("llm",)),  # a taxonomy keyword, generic or not
        ("in 2024 we had 3 launches and 10x growth", ()),
        # generic words that capitals or shouting would make names; names keep them
        ("PRIVATE KEY: ask ChatGPT. Runs on PC and Web, 100% Free", ("chatgpt",)),
        ("A poem by Dr Seuss at the Web Summit", ("dr seuss", "web summit")),
        # URLs, mentions, hashtags, cashtags, e-mail, HTML entities are no keyphrases
        ("RT @OpenAI: Read https://t.co/AbC123XyZ #ChatGPT $NVDA", ()),
        ("mail me at Team@Example.com &amp; www.Example.org/Path", ()),
        ("@sama Congrats on Stargate", ("stargate",)),
        ("plain lower case words only", ()),
    ],
)
def test_english(extract: KeyphraseExtractor, text: str, expected: tuple[str, ...] | None) -> None:
    if expected is None:  # the longer ones, spelled out below
        expected = {
            "Sam Altman says Google DeepMind ships Gemini 2.5 Pro": (
                "sam altman",
                "google deepmind",
                "gemini 2.5 pro",
            ),
            "Our take on Claude 3.5 Sonnet, Llama 3 and Qwen": (
                "claude 3.5 sonnet",
                "llama 3",
                "qwen",
            ),
        }[text]
    assert extract.extract(text) == expected


# --- Chinese ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("英伟达发布新一代芯片", ("英伟达", "芯片")),  # verb and time word dropped
        # user words from the taxonomy stay whole
        ("智能体和大模型正在改变具身智能", ("智能体", "大模型", "具身智能")),
        ("我们认为这个问题非常重要", ()),  # stopwords, generic nouns, function words
        ("2025年发布了3款产品", ("产品",)),  # numbers dropped
        ("推荐一个网站，网址在评论区，英伟达的芯片", ("英伟达", "芯片")),  # generic nouns dropped
        ("OpenAI发布GPT-5，支持多模态", ("openai", "gpt-5", "多模态")),  # Latin names too
        ("#人工智能# 英伟达 [哈哈] 网页链接 http://t.cn/abc", ("英伟达",)),  # tags, emoticons
        ("ChatGPTを使って日本語の記事を書いた", ("chatgpt",)),  # Japanese: no jieba
    ],
)
def test_chinese(extract: KeyphraseExtractor, text: str, expected: tuple[str, ...]) -> None:
    assert extract.extract(text) == expected


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        ("英伟达", True),
        ("用AI写代码", True),
        ("ChatGPTを使って", False),  # kana: Japanese
        ("plain English", False),
        ("café ☕", False),
        ("한국어 텍스트", False),
    ],
)
def test_is_chinese(text: str, chinese: bool) -> None:
    assert is_chinese(text) is chinese


def test_dictionary_part_of_speech() -> None:
    non_nouns = non_noun_words()
    assert {"发布", "新一代", "支持", "非常"} <= non_nouns
    assert not {"芯片", "模型", "手机", "中国"} & non_nouns
    assert all(len(word) >= 2 for word in non_nouns)


def test_segmenter_keeps_user_words_and_adds_late_words() -> None:
    segmenter = Segmenter()
    segmenter.add_words(["具身智能", " ", "two words"])  # blanks and phrases are ignored
    assert not segmenter.loaded
    assert "具身智能" in segmenter.cut("具身智能的数据")
    assert segmenter.loaded
    assert segmenter.cut("龘靐齉") == ["龘", "靐", "齉"]  # rare characters: no word
    segmenter.add_words(["龘靐齉"])  # after the load: applied at once
    assert segmenter.cut("龘靐齉") == ["龘靐齉"]


def test_stopword_file_sections() -> None:
    sections = stopwords()
    assert set(sections) == {"en", "en-generic", "zh"}
    assert {"the", "just", "new", "via", "rt", "launches"} <= sections["en"]
    assert {"ai", "llm"} <= sections["en-generic"]
    assert {"网友", "微博", "问题"} <= sections["zh"]
    for words in sections.values():
        assert all(word == word.casefold() and " " not in word for word in words)


def test_results_are_cached_per_text() -> None:
    extractor = KeyphraseExtractor()
    first = extractor.extract("Ask Perplexity about Gemini")
    assert extractor.extract("Ask Perplexity about Gemini") is first
    assert extractor.extract.cache_info().hits == 1
    extractor.cache_clear()
    assert extractor.extract.cache_info().currsize == 0


# --- Tagger.terms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fields", "expected"),
    [
        ("英伟达发布新一代芯片 #AI $NVDA", {}, ("#ai", "$NVDA", "英伟达", "芯片")),
        ("Thanks to Jensen Huang https://t.co/x", {"hashtags": ("GTC",)}, ("#gtc", "jensen huang")),
        ("#OpenAI at #DevDay", {}, ("#openai", "#devday")),  # no keyphrase inside a hashtag
        (
            "DeepSeek, Qwen and Kimi: #opensource wins",
            {},
            ("#opensource", "deepseek", "qwen", "kimi"),
        ),
    ],
)
def test_terms_put_tags_first_then_keyphrases(
    tagger: Tagger, text: str, fields: dict[str, object], expected: tuple[str, ...]
) -> None:
    assert tagger.terms(tweet(text, **fields)) == expected


def test_terms_cap_holds_with_keyphrases(tagger: Tagger) -> None:
    names = " ".join(f"Name{i}X" for i in range(30))
    terms = tagger.terms(tweet(f"#tag {names}"))
    assert len(terms) == MAX_TERMS
    assert terms[:2] == ("#tag", "name0x")


def test_import_does_not_load_jieba() -> None:
    """`tweetpulse --help` stays fast: the dictionary loads on the first Chinese text only."""
    code = (
        "import sys; from streams.taxonomy import Tagger, load_taxonomy\n"
        "t = Tagger(load_taxonomy()); t.keyphrases.extract('Sam Altman')\n"
        "from streams.segment import SEGMENTER\n"
        "assert 'rjieba' not in sys.modules and not SEGMENTER.loaded, 'jieba loaded early'\n"
        "t.keyphrases.extract('英伟达'); assert SEGMENTER.loaded\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr


def test_shared_segmenter_is_the_one_the_tagger_uses(tagger: Tagger) -> None:
    tagger.terms(tweet("具身智能"))
    assert SEGMENTER.loaded
    assert "具身智能" in SEGMENTER.cut("具身智能")
