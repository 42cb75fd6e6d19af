"""Round 13-zh of the ad classifier: Chinese promotion the Weibo audits (weibo-1..3) still
missed — a trading app's share auto-post, a members' perk auto-post, a shop's shipping terms,
a restaurant's "eat as much, get as much free", an item listing's words ("同款", "99新", "只卖"),
a link to the goods ("详情请戳") — their Traditional forms, and the organic posts that share
their words. Every text is an invented paraphrase of a kind, not a real post."""

from __future__ import annotations

import pytest

from streams.ads import STRONG_PHRASES, WEAK_PHRASES, AdClassifier
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS = [
    # an app's share auto-post
    "这个功能不错 【看懂主力资金流向】 主力追踪 (来自@某某手机炒股)",
    "收藏了 【盘中异动一眼看清】 (來自@某某手機炒股)",
    # a members' perk auto-post
    "#换装心情#周一好累，周五好开心！我正在使用“打工人一周”会员装扮，你也来感受一下！",
    # a shop's shipping terms with its goods
    "【年货节】包顺丰 某某牌无线蓝牙耳机降噪版 黑白两色 http://t.cn/Ab12Cd",
    # a restaurant's deal
    "新开的烤肉店开业做活动，吃多少送多少，周末带朋友来！",
    # an item listing: a celebrity's same item, a used item's grade and price
    "某明星同款毛呢大衣，冬季新款，详情请戳http://t.cn/Zz99Yy",
    "某牌墨镜，99新，只卖三百元，二手正品，谢绝议价",
]

ORGANIC = [
    # a buyer's words: the same item as a star, a used phone, a shipping wish
    "终于买到了和偶像同款的围巾，开心一整天",
    "我的旧手机99新也没人要，还是留着当备用机吧",
    "他只卖早餐不卖午饭，去晚了就没了",
    "卖家不包顺丰，只发普通快递，等了一个星期才到",
    # news on an app, a personal post on a restaurant
    "某某手机炒股软件今日宕机两小时，券商称已恢复",
    "昨天去那家自助吃到撑，人均一百多，下次不去了",
    # a document share's "read the rest" line
    "大学生职业规划范文(分享自@某某文库)…阅读全文请戳右边 http://t.cn/Wk12ab",
    # a fan's own giveaway that asks only for a repost, a family red envelope
    "转发这条，周末抽一个粉丝送我自己做的手账本，没有别的要求",
    "过年在家族群里抢红包，抢到了5块钱，开心",
    # a job post, a warning, a lab's launch
    "招聘店员，工资面议，二手正品回收店，有意者请联系店长",
    "警惕！有人冒充客服说同款半价，都是诈骗，千万别点链接",
    "某某實驗室今天開源了新的中文大模型，權重和論文都已公開",
    # English hard negatives
    "Got the same jacket as my favourite actor, it's 99% as good",
    "Our lab released a new open model today; weights and the paper are on the hub",
]


@pytest.mark.parametrize("text", ADS)
def test_round13_zh_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS)
def test_round13_zh_ads_by_the_rules_alone(rules_only: AdClassifier, text: str) -> None:
    """The new cues are rules: no model is needed to flag these."""
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC)
def test_round13_zh_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("phrase", "table", "family"),
    [
        ("手机炒股)", STRONG_PHRASES, "offer"),
        ("手機炒股)", STRONG_PHRASES, "offer"),
        ("包顺丰", STRONG_PHRASES, "offer"),
        ("吃多少送多少", STRONG_PHRASES, "offer"),
        ("你也来感受一下", STRONG_PHRASES, "cta"),
        ("同款", WEAK_PHRASES, "offer"),
        ("99新", WEAK_PHRASES, "offer"),
        ("只卖", WEAK_PHRASES, "offer"),
        ("谢绝议价", STRONG_PHRASES, "offer"),
        ("请戳", WEAK_PHRASES, "cta"),
    ],
)
def test_round13_zh_phrases_are_normalized_entries(
    phrase: str, table: dict[str, tuple[str, ...]], family: str
) -> None:
    """Each cue is a plain phrase of one family, already normalized."""
    assert phrase in table[family]
    assert normalize_text(phrase) == phrase
