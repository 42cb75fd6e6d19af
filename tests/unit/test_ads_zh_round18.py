"""Round 18-zh of the ad classifier: the Weibo families the misses of weibo-1..8 and weibo-near-1
still showed passing — a prize campaign's promise to those who take part ("关注@X 并转发，即有机会
获得…"), the shop app's shopping-list share ("我分享的购物清单"), a prize pool to grab ("等你来抢"),
a supplier's page shared by its title ("…厂家-…有限公司 http://…", "…设备信息 http://…"), a shop
listing's title with a year and a season's new items ("2014冬装新款…"), the red-envelope
auto-posts in the wordings quotation removal leaves ("…也许你的惊喜更大哦", "…肯定有财运～不信你
试试") — their Traditional forms, and the organic posts that share their words (a match's
chances, a hope, people's own shopping talk, the news about a company, a person's New Year).
Every text is an invented paraphrase of a kind, not a real post."""

from __future__ import annotations

import opencc
import pytest

from streams.ads import STRONG_PHRASES, AdClassifier
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS = [
    # a prize campaign's promise to those who take part
    "关注@某某书店 并转发本条微博，即有机会获得作者签名本一册，共10本",
    "评论说出你最爱的口味，就有机会获得新品礼盒一份哦",
    "完成每日任务领取奖励，分享给好友还有机会赢取平板电脑和限定皮肤",
    "参与预体验，领取新手礼包，更有机会赢到精美周边！",
    "關注@某某影城 並轉發，即有機會獲得電影票兩張",
    # the shop app's shopping-list share, a prize pool to grab
    "[星光]我分享的购物清单[星光]点赞完，别忘了拆红包 http://t.cn/Zx18Aa",
    "年终福利，万元好礼每天等你来抢: http://t.cn/Zx18Ab",
    "[星光]我分享的購物清單[星光]別忘了點贊哦 http://t.cn/Zx18Ac",
    # a supplier's page shared by its title
    "河北防水卷材厂家-某某建材有限公司 http://t.cn/Zx18Ad",
    "小型粉碎机价格说明 - 山东济南机械设备信息 http://t.cn/Zx18Ae",
    "颗粒机_颗粒机价格_颗粒机厂家-某某网【某某机械有限公司】 http://t.cn/Zx18Af",
    "天津砂浆廠家價格-某某工程技術有限公司 http://t.cn/Zx18Ag",
    # a shop listing's title: a year and a season's new items
    "2016冬装新款 韩版加厚毛领羽绒服女中长款",
    "2015秋冬新款宽松针织开衫女 外搭毛衣",
    "男童运动鞋春季新款2017 透气网面跑步鞋",
    "2016春裝新款 寬鬆條紋襯衫女",
    # the red-envelope auto-posts in the wordings quotation removal leaves
    "#某某的红包#我在某某 的红包中抽到了“某某好运卡”！新年小惊喜！也许你的惊喜更大哦~某某 的红包",
    "#某某的红包#这几天最开心的事——我抽到了@某某 和@某某某 的红包！新的一年肯定有财运～不信你试试",
]

ORGANIC = [
    # a match's chances and a hope, without a campaign's promise
    "这场打平的话中国队还有机会获得出线权",
    "下半场还有机会赢得比赛，别放弃",
    "只要肯努力，就有机会成功",
    # people's own shopping talk and the news about new items, without a listing's year
    "商场的冬装新款都上了，就是太贵了",
    "今年的新款手机又涨价了",
    "去年买的2015款外套今年还能穿",
    # the news about a company, a person's own company
    "某某科技有限公司今天宣布完成新一轮融资",
    "我们公司叫某某贸易有限公司，今天搬新办公室了",
    # a person's New Year and a family's red envelopes
    "今天捡到十块钱，新的一年肯定有财运",
    "在老妈发的红包里抽到了五十块，开心",
    "群里发红包了，手慢了没抢到",
]


@pytest.mark.parametrize("text", ADS)
def test_round18_zh_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS)
def test_round18_zh_cues_flag_without_the_model(rules_only: AdClassifier, text: str) -> None:
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC)
def test_round18_zh_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    "text",
    [
        "关注并转发即有机会获得礼品",
        "我分享的购物清单",
        "某某建材有限公司 http://t.cn/Zx18Ah",
        "2016冬装新款 外套",
        "也许你的惊喜更大哦",
    ],
)
def test_round18_zh_each_family_is_a_strong_offer(rules_only: AdClassifier, text: str) -> None:
    """Each family is a strong offer on its own."""
    assert "offer60" in rules_only.rules(tweet(text)).signals, text


@pytest.mark.parametrize(
    "phrase",
    [
        "即有机会获得",
        "就有机会获得",
        "有机会赢取",
        "有机会赢到",
        "即有机会赢",
        "我分享的购物清单",
        "等你来抢",
        "设备信息 http",
        "厂家价格",
        "厂家供应价格",
        "也许你的惊喜更大",
        "肯定有财运~不信你试试",
    ],
)
def test_round18_zh_cues_and_their_traditional_forms(phrase: str) -> None:
    """Each Simplified cue is a normalized strong offer, and so is its Traditional form."""
    assert normalize_text(phrase) == phrase
    assert phrase in STRONG_PHRASES["offer"]
    form = normalize_text(opencc.OpenCC("s2t").convert(phrase))
    assert form != phrase
    assert form in STRONG_PHRASES["offer"], form


@pytest.mark.parametrize(
    ("text", "listing"),
    [
        ("2014冬装新款 外套", True),
        ("2015年秋冬季新款连衣裙", True),
        ("童鞋秋季新款2015 中大童", True),
        ("2017春裝新款 襯衫", True),
        ("商场的冬装新款都上了", False),
        ("2016新款", False),
        ("秋冬季新款 http://t.cn/Zx18Ai", False),
        ("今年秋季新款的颜色很好看", False),
    ],
)
def test_round18_zh_a_listing_title_needs_its_year(
    rules_only: AdClassifier, text: str, listing: bool
) -> None:
    """A season's new items make a listing's title only next to a year (the Traditional "裝"
    too); without it they are people's talk or the news."""
    assert ("offer60" in rules_only.rules(tweet(text)).signals) is listing, text
