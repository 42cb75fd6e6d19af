"""Round 22 of the ad classifier: a token, a coin or a crypto project sold as an investment by
its upside, English and Chinese. A pitch's own words ("the next moonshot", "#gem", "tiny mc",
"time to pump", 百倍币, 撸大毛) flag with a token named (a crypto word, a cashtag, a project's
handle) or a second upside claim; words a trader's opinion or the news also use ("super
bullish", "to the moon", "sleeping giant", "return on investment", 暴涨潜力) flag only beside a
project's handle or a pitch's words. The hard negatives are crypto news, traders' opinions,
"gem" and "moon" in other senses, people bullish on AI, a lab's token-free launch and a scam
warning that quotes the pitch. Every text is an invented paraphrase of a kind, not a real post."""

from __future__ import annotations

import pytest

from streams.ads import (
    MIN_TOKEN_CLAIMS,
    TOKEN_PITCH_PHRASES,
    UPSIDE_PHRASES,
    AdClassifier,
    _phrase_table,
    _Scanner,
    _token_pitch,
    _token_subject,
)
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS_EN = [
    "$DEMOAI is a sleeping giant 💤 #gem #AI",
    "Newly listed AI token @demo_labs: stake to earn a solid return on investment. Easily the "
    "next moonshot 🚀",
    "Time to pump your bags @DemoGPT! Still way too undervalued for what it does",
    "V2 shipped, devs are building. Tiny mc for the potential $DEMO #AI",
    "Super bullish on @demoai_erc 🚀🚀 #ChatGPT",
    "Lowest mc AI coin on the exchange today, marketing starts tomorrow 💹",
    "Join now to get huge profits with this AI token https://example.com/join",
    "Look at the market cap and FOMO in. #AIcrypto #1000xGems",
]
ADS_ZH = [
    "下一个百倍币就是它！AI概念的DEMO，现在还很早",
    "AI赛道潜力币推荐：DEMO，千倍潜力，低调埋伏",
    "带你撸毛！这个AI项目的空投马上开始",
    "下一個百倍幣就是它，AI概念的DEMO",
]
ORGANIC_EN = [
    # people bullish on AI, "moon" and "gem" in other senses
    "ChatGPT is the next big thing in search, I'm super bullish on AI in general",
    "Productivity to the moon with this AI assistant 🚀",
    "Another gem from ChatGPT today 😂 it wrote my cat a sonnet",
    "This prompt library is a hidden gem for writers",
    "Regulate AI before it's too late",
    # crypto news and traders' opinions
    "ChatGPT says a dog-themed token could reach one cent, a crypto site reports",
    "AI tokens saw huge gains after the chatbot's launch, market data shows",
    "$DEMO will pump after the listing, in my opinion. Not advice",
    "Chart looks bullish, a decent level for $DEMO here",
    "$BIGTECH to the moon after earnings, super bullish on the stock",
    "Sleeping giant: the search company is finally catching up on AI",
    # a lab's token-free launch
    "We released our model today: open weights on GitHub, no token and no coin involved",
    # a scam warning that quotes the pitch
    "Beware: scam accounts call fake ChatGPT tokens 'the next moonshot' and tell you to get in "
    "early. It's a scam.",
]
ORGANIC_ZH = [
    "比特币勒索病毒又来了，大家记得打补丁",
    "昨天梭哈了某个币，亏了一半，长记性了",
    "分析师认为以太坊仍有暴涨潜力，但短期波动较大",
    "撸毛小知识：买住宅IP之前先查一下风险值",
    "警惕！骗子说这是下一个百倍币，让你转账，千万别信",
]


@pytest.mark.parametrize("text", ADS_EN + ADS_ZH)
def test_round22_token_pitches_are_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS_EN + ADS_ZH)
def test_round22_token_pitches_flag_without_the_model(rules_only: AdClassifier, text: str) -> None:
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC_EN + ORGANIC_ZH)
def test_round22_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


def _claims(text: str) -> set[int]:
    hits = _Scanner(_phrase_table()).scan(text)[0]
    return {points for kind, points, _ in hits if kind == "$"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the next moonshot", False),  # a pitch's words, nothing named
        ("the next moonshot $demo", True),  # ... with a cashtag
        ("the next moonshot, get in early", True),  # ... with a second claim
        ("super bullish", False),  # an upside alone
        ("super bullish $demo", False),  # ... with a cashtag: a trader's too
        ("super bullish @demo_erc", True),  # ... with a project's handle
        ("super bullish, to the moon", False),  # two upsides, no pitch
        ("百倍币", True),  # the coin names itself
        ("暴涨潜力的币", False),
    ],
)
def test_round22_token_pitch(text: str, expected: bool) -> None:
    norm = normalize_text(text)
    claims = _claims(norm)
    assert claims, text
    assert bool(_token_pitch(norm, claims)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an ai token", True),
        ("listed on binance", True),
        ("空投", True),
        ("$demo", True),
        ("$demo #stocks", False),  # a stock's cashtag
        ("$demo earnings beat", False),
        ("a great ai project", False),  # "project" alone names no token
        ("costs $20 a month", False),  # an amount, no cashtag
    ],
)
def test_round22_token_subject(text: str, expected: bool) -> None:
    assert bool(_token_subject(normalize_text(text))) is expected


def test_round22_two_claims() -> None:
    assert MIN_TOKEN_CLAIMS == 2


@pytest.mark.parametrize("phrase", TOKEN_PITCH_PHRASES + UPSIDE_PHRASES)
def test_round22_claims_are_scanned_markers(phrase: str) -> None:
    """Every claim is a marker of the one scan, and hides no cue of the phrase table (an
    occurrence inside a longer one is dropped: "next 100x" would hide the money cue "100x")."""
    norm = normalize_text(phrase)
    table = _phrase_table()
    assert table[norm][0] == "$", phrase
    others = {key: value for key, value in table.items() if value[0] != "$"}
    assert _Scanner(others).scan(norm)[0] == [], phrase
