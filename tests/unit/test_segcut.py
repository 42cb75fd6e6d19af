"""The C segmenter (streams/_segcut.c) cuts exactly as rjieba (jieba-rs) does.

It runs only in a compiled build (``make native``; ``make test`` builds first, so CI always
tests it): outside CI, without a build, these tests skip. Every comparison is against a fresh
``rjieba.Jieba()``, the reference the pure-Python path uses.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
import rjieba

from streams.eval_ads import Example, read_corpus
from streams.keyphrases import stopwords
from streams.segment import SEGMENTER, jieba_dictionary, non_noun_words
from streams.taxonomy import Tagger, load_taxonomy
from tests.native_build import extension
from tests.shared_data import require

WEIBO = "corpora/c_chinese/weibo_posts_user_labelled_spam_2011-2017.jsonl"

# Texts where the details of jieba's algorithm show: blocks of Han + ASCII letters, digits and
# "+#&._%-"; single ASCII characters glued into one token; "\r\n" as one token; words of the
# dictionary that mix scripts (B超, AT&T, c#); characters no word starts with; emoji and
# supplementary-plane ideographs; full-width punctuation; ties between routes.
TEXTS = [
    "",
    "英伟达发布新一代芯片",
    "OpenAI发布GPT-5，支持多模态。",
    "我去医院做B超，花了100元，AT&T和c#都不懂",
    "第一行\r\n第二行\n第三行\r最后",
    "今天天气不错😀👍http://t.cn/abc123 #话题# [哈哈]",
    "𠀀𠀁汉字扩展B区𪜀和兼容區﨑",
    "大模型具身智能智能体Agent框架",
    "a b c 1 2 3 ab12cd 3.14% +1 -2 x_y",
    "研究生命起源，南京市长江大桥，结婚的和尚未结婚的",
    "ＦＵＬＬ－ＷＩＤＴＨ　全角字符１２３",
    "の日本語テキストと中文混合",
    "   ",
    "。。。！！！？？？",
]
USER_WORDS = ["具身智能", "大模型", "智能体", "英伟达", "GPT-5", "多模态"]


def _segcut() -> ModuleType:
    return extension("streams._segcut", "the C segmenter")


@pytest.fixture(scope="module")
def pair() -> tuple[Any, rjieba.Jieba]:
    """A C dictionary and a fresh rjieba, both with USER_WORDS added in the same order."""
    words, freqs = jieba_dictionary()
    native = _segcut().Dict(words, freqs)
    reference = rjieba.Jieba()
    for word in USER_WORDS:
        assert native.add_word(word) == reference.add_word(word, None, "nz")
    return native, reference


def test_the_dictionary_is_the_one_rjieba_embeds() -> None:
    words, freqs = jieba_dictionary()
    assert len(words) == len(freqs) > 300_000
    assert all(freq > 0 for freq in freqs)
    native = _segcut().Dict(words, freqs)
    reference = rjieba.Jieba()
    for word in ["人工智能", "芯片", "英伟达", "具身智能", "ChatGPT"]:
        assert native.add_word(word) == reference.add_word(word, None, "nz"), word


@pytest.mark.parametrize("text", TEXTS)
def test_cut_matches_rjieba_token_for_token(pair: tuple[Any, rjieba.Jieba], text: str) -> None:
    native, reference = pair
    assert native.cut(text) == reference.cut(text, False)


@pytest.mark.parametrize("text", TEXTS)
def test_words_are_the_long_non_ascii_tokens(pair: tuple[Any, rjieba.Jieba], text: str) -> None:
    native, reference = pair
    expected = [t for t in reference.cut(text, False) if len(t) > 1 and not t.isascii()]
    assert native.words(text) == expected


def test_user_words_stay_whole(pair: tuple[Any, rjieba.Jieba]) -> None:
    native, _ = pair
    assert native.words("具身智能和大模型") == ["具身智能", "大模型"]
    assert "GPT-5" in native.cut("OpenAI的GPT-5来了")


def test_a_word_listed_twice_keeps_its_last_frequency_in_the_total() -> None:
    dictionary = _segcut().Dict(["芯片", "芯片", "英伟达"], [3, 5, 7])
    assert dictionary.total == 12
    assert dictionary.add_word("芯片", 10) == 10
    assert dictionary.total == 17  # the old frequency (5) leaves the total
    assert dictionary.cut("英伟达芯片") == ["英伟达", "芯片"]


def test_bad_input_is_refused_with_a_clear_error() -> None:
    module = _segcut()
    with pytest.raises(ValueError, match="differ in length"):
        module.Dict(["芯片"], [])
    with pytest.raises(ValueError, match="1 to 65535 characters"):
        module.Dict([""], [1])
    with pytest.raises(RuntimeError, match="empty"):
        module.Dict([], []).cut("芯片")
    with pytest.raises(TypeError):
        module.Dict(["芯片"], [1]).words(b"bytes")


def test_the_segmenter_keeps_the_same_tokens_on_every_weibo_post() -> None:
    """The process's segmenter, with the taxonomy's user words, over the real corpus: the C
    path's words are rjieba's tokens filtered (18,608 posts)."""
    _segcut()
    path = require(WEIBO)
    Tagger(load_taxonomy())  # registers the taxonomy's user words, as the worker does
    texts = [item.tweet.text for item in read_corpus(path) if isinstance(item, Example)]
    assert len(texts) > 18_000
    for text in texts:
        expected = [t for t in SEGMENTER.cut(text) if len(t) > 1 and not t.isascii()]
        assert SEGMENTER.words(text) == expected, text


# Drop words as the keyphrases' (never-noun dictionary words and stopwords), with words the
# TEXTS cut and words no dictionary has.
DROP = frozenset(
    {"发布", "新一代", "支持", "不错", "今天", "天气", "花了", "都", "没有的词", "人工智"}
)


def _python_kept(tokens: list[str], drop: frozenset[str]) -> list[str]:
    """The keyphrases' filter in Python (the reference of ``Dict.words(text, drop)``)."""
    return [t for t in tokens if len(t) > 1 and not t.isascii() and t.isalnum() and t not in drop]


@pytest.mark.parametrize("text", TEXTS)
def test_words_with_a_drop_are_the_python_filter(pair: tuple[Any, rjieba.Jieba], text: str) -> None:
    native, reference = pair
    drop = native.drop(DROP)
    assert native.words(text, drop) == _python_kept(reference.cut(text, False), DROP)
    assert native.words(text, None) == native.words(text)  # (no drop: every long word)


def test_a_drop_applies_to_words_the_dictionary_gets_after_the_marking() -> None:
    native = _segcut().Dict(*jieba_dictionary())
    drop = native.drop(frozenset({"模新词", "人工智"}))
    for word in ("模新词", "人工智", "新颖词汇", "大模型-2"):  # after the marking
        native.add_word(word)
    assert native.words("模新词") == ["模新词"]
    assert native.words("模新词", drop) == []  # a new node: looked up in the set
    assert native.words("人工智", drop) == []  # a prefix node marked, a word only now
    assert native.words("新颖词汇", drop) == ["新颖词汇"]
    # "-" joins a block: a word of the dictionary with one, dropped as not str.isalnum
    assert native.words("大模型-2") == ["大模型-2"]
    assert native.words("大模型-2", drop) == []


def test_a_drop_belongs_to_its_dictionary_and_holds_str_only() -> None:
    module = _segcut()
    native = module.Dict(["芯片", "英伟达"], [3, 5])
    other = module.Dict(["芯片"], [3])
    with pytest.raises(TypeError, match="frozenset of str"):
        native.drop({"芯片"})
    with pytest.raises(TypeError, match="frozenset of str"):
        native.drop(frozenset({"芯片", 1}))
    with pytest.raises(TypeError, match="made by this Dict"):
        native.words("英伟达芯片", other.drop(frozenset()))
    with pytest.raises(TypeError, match="made by this Dict"):
        native.words("英伟达芯片", frozenset({"芯片"}))
    with pytest.raises(TypeError):
        module.Drop()
    assert native.words("英伟达芯片", native.drop(frozenset({"芯片"}))) == ["英伟达"]
    assert native.words("英伟达芯片", native.drop(frozenset())) == ["英伟达", "芯片"]


def test_the_segmenter_keeps_the_keyphrase_tokens_on_every_weibo_post() -> None:
    """``Segmenter.kept_words`` (the C drop) against the Python filter of ``Segmenter.cut``,
    with the keyphrases' own drop words, over the real corpus (18,608 posts)."""
    _segcut()
    path = require(WEIBO)
    taxonomy = load_taxonomy()
    Tagger(taxonomy)  # registers the taxonomy's user words, as the worker does
    user_words = frozenset(word.strip() for word in taxonomy.user_words())
    drop = (non_noun_words() - user_words) | stopwords()["zh"]
    texts = [item.tweet.text for item in read_corpus(path) if isinstance(item, Example)]
    assert len(texts) > 18_000
    for text in texts:
        assert SEGMENTER.kept_words(text, drop) == _python_kept(SEGMENTER.cut(text), drop), text
