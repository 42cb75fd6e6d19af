"""The ingest hot path's faster forms decide exactly what the plain forms decided.

Each rewrite for speed (a regex that opens with its sigil, a cheap test before a regex, fewer
CJK pairs built) is checked here against the plain form it replaced, on the cases where the two
could part: string edges, look-behinds, other scripts' digits.
"""

from __future__ import annotations

import re

import pytest

from streams import ads
from streams.campaigns import MAX_FEATURES, template_features

# The plain forms (before the speed work), as reference.
PLAIN = {
    "_HASHTAG_RE": re.compile(r"(?<![\w&#])#(\w*[^\W\d]\w*)"),
    "_CASHTAG_RE": re.compile(r"(?<![\w$])\$([a-z]{1,6}(?:[._][a-z]{1,2})?)(?!\w)"),
    "_MENTION_RE": re.compile(r"(?<![\w@])@(\w{1,15})"),
    "_QUOTED_RE": re.compile(
        r'“[^”\n]{2,40}”(?:\s*[、，,;；/]\s*“[^”\n]{2,40}”)+|"[^"\n]{2,60}"(?:\s*[,、;/]\s*"[^"\n]{2,60}")+'
        r'|"[^"]{12,300}"|“[^”]{12,300}”|「[^」]{8,300}」|『[^』]{8,300}』'
        r"|(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){21,300}'(?!\w)|‘[^’]{21,300}’"
    ),
}
PLAIN_INCOME = re.compile(
    r"赚了\s?\d|\b(?:the|another|next|going to|headed to) \d{2,4}x\b|翻了\s?\d+\s?倍"
    r"|\bnow at \d{1,3}x\b|从\s?0\s?(?:做|干|涨|赚)到"
)

TEXTS = [
    "#ai at the start",
    "#1 is a number, #a1 is a tag",
    "mid#word &#tag ##double # lone",
    "$nvda $brk.b and x$abc $5 $$aapl",
    "@sam then a@b.c and @@x, @a_very_long_handle_of_twenty",
    "'a quotation that is long enough to count' said someone",
    "x'a quotation glued to a word before it, long enough'",
    "don't 'users' data is theirs, it's a quote of some length'",
    "“一个足够长的中文引语，讲了很多很多的内容”、“第二个引语”",
    '"passive income", "quit your 9-5"',
    "「这是一段被引用的话语」和『另一段被引用的话语』",
    "‘a curly single quotation of some length here’",
    "",
    "#",
    "'",
]


@pytest.mark.parametrize("name", sorted(PLAIN))
@pytest.mark.parametrize("text", TEXTS)
def test_sigil_first_patterns_find_what_the_plain_ones_found(name: str, text: str) -> None:
    fast: re.Pattern[str] = getattr(ads, name)
    assert fast.findall(text) == PLAIN[name].findall(text)
    assert fast.sub(" ", text) == PLAIN[name].sub(" ", text)


@pytest.mark.parametrize(
    ("text", "char", "found"),
    [
        ("the 100x", "x", True),
        ("x marks 3 x", "x", False),  # a space between: no
        ("x", "x", False),  # nothing before
        ("now at ٤x", "x", True),  # an Arabic-Indic digit is a \d too
        ("max 3x", "x", True),
        ("", "x", False),
    ],
)
def test_digit_then(text: str, char: str, found: bool) -> None:
    assert ads._digit_then(text, char) is found


@pytest.mark.parametrize(
    "text",
    [
        "the 100x",
        "another 20x soon",
        "now at 4x",
        "now at 4 x",
        "going to 1000x",
        "3x faster",
        "赚了 5 万",
        "翻了3倍",
        "从0做到100万",
        "从 0 赚到",
        "从头开始",
        "nothing here",
    ],
)
def test_income_split_decides_like_one_pattern(text: str) -> None:
    gate = "x" in text or "赚了" in text or "翻了" in text or "从" in text
    plain = gate and PLAIN_INCOME.search(text) is not None
    income_zh = "赚了" in text or "翻了" in text or "从" in text
    fast = (ads._digit_then(text, "x") and ads._INCOME_EN_RE.search(text) is not None) or (
        income_zh and ads._INCOME_ZH_RE.search(text) is not None
    )
    assert fast is plain


def _plain_features(text: str) -> list[str]:
    """template_features with every CJK pair built, then cut (the plain form)."""
    features: list[str] = []
    for token in text.split():
        features.extend(map(str.__add__, token, token[1:]) if len(token) > 1 else [token])
        if len(features) >= MAX_FEATURES:
            break
    return features[:MAX_FEATURES]


@pytest.mark.parametrize(
    "text",
    [
        "人工智能" * 30,  # one long token: only the first pairs are kept
        "短句 " + "人工智能的发展非常迅速" * 5,
        "一二 三四五 " * 20,
        "英伟达发布新一代芯片",
    ],
)
def test_cjk_pairs_stop_at_the_features_kept(text: str) -> None:
    assert template_features(text) == _plain_features(text)
    assert len(template_features(text)) <= MAX_FEATURES
