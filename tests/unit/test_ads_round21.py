"""Round 21 of the ad classifier: a giveaway's or an airdrop's task list, English and Chinese —
a prize word ("giveaway", "airdrop", "win", 抽奖, 抽3个, 开奖) with a run of two or more distinct
tasks (follow / 关注, like / 点赞, RT / 转发, tag friends / @三位好友, comment / 评论 / a wallet
address, join a Telegram or a Discord, notifications). The hard negatives have a prize word and
at most one task, tasks and no prize, tasks far apart, a warning that quotes the mechanics, or a
person's draw of money among followers. Every text is an invented paraphrase of a kind, not a
real post."""

from __future__ import annotations

import random
import re

import pytest

from streams.ads import (
    _GIVEAWAY_CUE,
    _TASK_CUES,
    _TASK_LEAD,
    _TASK_RE,
    AdClassifier,
    _phrase_table,
    _Scanner,
    _task_list,
)
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS_EN = [
    "🎉 GIVEAWAY 🎉 Win a year of a premium AI writing plan!\n1. Follow @demo_tools @demo_lab\n"
    "2. Like + RT\n3. Tag 3 friends\nWinner picked Sunday",
    "#Airdrop is live 🪂 Tasks: follow @demo_token, retweet this and drop your SOL wallet below",
    "To win 500 $DEMOAI: RT, follow @demo_chain and comment your BSC address",
    "We're giving away 3 AI art prints! Like & retweet, turn on notifications 🔔",
    "Prize: 20 invite codes. Follow us and join our Discord to enter",
]
ADS_ZH = [
    "转发抽奖：关注@某某旗舰店 并转发本微博@三位好友，周五抽3人送新款耳机",
    "本推抽50枚DEMO × 10人\n1.关注 @某某 @某某某\n2.点赞+转发＋＠三好友 评论留钱包地址",
    "#抽奖# 关注+转发，明天开奖，送小熊台灯一个",
    "新款上架啦！喜欢哪件？转评赞抽三位宝宝送同款",
    "这款面膜我回购好几次了，评论+点赞抽5个小可爱送一盒",
    "秋冬新品来啦，轉發+評論抽3位送新品唇膏",
    "考验闺蜜情的时候到了，@ 1位好友并转发，抽2对送情侣围巾",
]
ORGANIC_EN = [
    # a lab's or a media account's contest without tasks
    "Our model-building contest is open: winners get compute credits and a talk slot. Rules on "
    "the website.",
    # a person who won a giveaway (one task)
    "I won a giveaway from @demo_artist! Go follow them, their AI art is wonderful",
    # one task, no prize
    "Follow me for more AI tips and tricks",
    "Follow and like for more prompt ideas",
    # news about an airdrop
    "The token airdrop went to wallets that used the bridge before March, the report says",
    # a scam warning that quotes the mechanics
    "Beware: fake AI airdrop accounts ask you to follow, retweet and drop your wallet. It's a "
    "scam.",
    # a hackathon with prizes
    "Our AI hackathon has $10k in prizes. Register by Friday, teams of up to four",
    # tasks and a prize word far apart
    "Who will win the chatbot race? Follow the news closely, and I think people like Claude",
]
ORGANIC_ZH = [
    # a winner, news, a warning
    "终于抽中了一次奖品，开心！谢谢@某某 的好运",
    "这次空投的规则变了，只有早期用户才能领取，关注的朋友注意一下",
    "警惕！冒充官方的抽奖骗局：让你关注并转发，再索要手续费",
    # a person's draw of money among followers (no goods)
    "粉丝破万啦，转发评论里抽一位送1000元现金，祝大家周末愉快",
    # a prize cue word without a prize, tasks far apart
    "今天读了一篇很抽象的论文，评论区都在转发",
    "刚才看了下评论，大家都很热情。以前搞过抽奖，这次就不搞了，谢谢转发",
]


@pytest.mark.parametrize("text", ADS_EN + ADS_ZH)
def test_round21_task_lists_are_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS_EN + ADS_ZH)
def test_round21_task_lists_flag_without_the_model(rules_only: AdClassifier, text: str) -> None:
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC_EN + ORGANIC_ZH)
def test_round21_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. follow @a @b 2. like + rt 3. tag 3 friends", False),  # no prize word
        ("giveaway! 1. follow @a @b 2. like + rt 3. tag 3 friends", True),
        ("giveaway! follow @a", False),  # one task
        ("转发评论抽3个送", True),
        ("转发评论抽3个送100元", False),  # money
        ("抽三位送书。转发这条的朋友,我会认真看每一条评论", False),  # tasks apart
    ],
)
def test_round21_task_list(text: str, expected: bool) -> None:
    assert _task_list(normalize_text(text)) is expected


@pytest.mark.parametrize("text", ADS_EN + ADS_ZH)
def test_round21_prize_word_is_a_cue(text: str) -> None:
    """The rule is reached through a cue word of the one scan (texts without any skip it)."""
    cues = _Scanner(_phrase_table()).scan(normalize_text(text))[1]
    assert cues & _GIVEAWAY_CUE, text


@pytest.mark.parametrize("text", ADS_EN + ADS_ZH + ORGANIC_EN + ORGANIC_ZH)
def test_round21_every_task_holds_a_cue_of_its_kind(text: str) -> None:
    """_task_list skips the task regex unless two kinds' cue substrings are in the text: each
    match of a kind must hold one of that kind's cues, or the shortcut would drop task lists."""
    norm = normalize_text(text)
    kinds = ("follow", "like", "rt", "tag", "comment", "join", "notify")
    cues = dict(zip(kinds, _TASK_CUES, strict=True))
    for match in _TASK_RE.finditer(norm):
        kind = match.lastgroup or ""
        # (a look-behind may rest on the characters before the match: widen by two)
        window = norm[max(match.start() - 2, 0) : match.end()]
        assert any(cue in window for cue in cues[kind]), (kind, match.group())


def test_task_regex_lead_holds_every_first_character() -> None:
    """The look-ahead that lets the task regex skip ahead drops no match: on random strings of
    the tasks' words, their look-behinds' characters, spacing and other text, the regex finds
    exactly what its alternatives alone find."""
    assert _TASK_RE.pattern.startswith(_TASK_LEAD)
    alone = re.compile(_TASK_RE.pattern[len(_TASK_LEAD) :])
    pieces = [
        *(cue for cues in _TASK_CUES for cue in cues),
        *"关關注转轉发發评評论論赞贊讚点點+&、,/并並和及 \t\n　@#",
        "and ", "like", "tag my friends", "3位好友", "两个基友", "follow-up", "qrt", "我", "本",
        "博主", "花", "x", "9", "你的", "telegram", "join our discord", "notifications",
    ]  # fmt: skip
    rng = random.Random(21)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        got = [(m.span(), m.lastgroup) for m in _TASK_RE.finditer(text)]
        assert got == [(m.span(), m.lastgroup) for m in alone.finditer(text)], text
