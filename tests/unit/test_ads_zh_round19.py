"""Round 19-zh of the ad classifier: the Weibo families the near misses still showed
passing — a campaign named for its gift ("#分享有礼#", "『签到有礼』"), the platforms' perk
auto-posts ("我刚刚在#微博等级专享礼#中领取了…", "…特权，已经有1234人领取啦"), the shop
apps' share lines ("大家快来拼多多吧！ …(来自-拼多多)", "X在天猫等你"), a coupon without a
threshold ("领取无门槛现金红包"), a classified site's auto-post ("在#58同城#发布了一条#婚庆#
信息"), an app store's download share ("刚在 @某某应用市场 下载了…"), a shop share's last
line (a link's label after an emoticon: "…[爱你] 地址：http://…") — their Traditional
forms, and the organic posts that share their words (a contest open to all, a resource's
download link, a bare emoticon and a link, people's own shopping talk). Every text is an
invented paraphrase of a kind, not a real post."""

from __future__ import annotations

import opencc
import pytest

from streams.ads import STRONG_PHRASES, AdClassifier
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS = [
    # a campaign named for its gift, the platforms' perk auto-posts
    "#分享有礼#我在某某营业厅领取了50M流量，分享后还能再领，快来吧 http://t.cn/Zx19Aa",
    "每天签到拿红包『签到有礼』http://t.cn/Zx19Ab",
    "#某某手机微博有礼#我参加了抽奖，转盘转起来，大奖快到碗里来！",
    "我刚刚在#微博等级专享礼#中领取了由某某出行提供的打车券[礼物]努力升级赢豪礼",
    "我在#某某会员中心#发现了“专属挂件”特权，已经有1234人领取啦！",
    "#轉發有禮#關注並轉發本條微博，抽三位送新品禮盒",
    # the shop apps' share lines
    "我9.9元拼了【加厚抽纸 12包】，大家快来拼多多吧！ http://t.cn/Zx19Ac (来自-拼多多)",
    "#双11来了#，大家是不是也和我一样期待呢？某某服饰在天猫等你。",
    "我19元拼了【保溫杯】，大家快來拼多多吧！ http://t.cn/Zx19Ad",
    # a coupon without a threshold
    "新鲜水果两小时送到家，戳这里领取无门槛现金红包~ http://t.cn/Zx19Ae",
    "关注店铺即送10元无门槛优惠券，下单立减",
    # a classified site's auto-post
    "我刚刚在#某某同城#发布了一条#搬家#信息：“某某搬家公司价格实惠”，求扩散！http://t.cn/Zx19Af",
    # an app store's download share
    "刚在 @某某应用市场 下载了“某某赛车”，不赞不行！快来试试一键安装 http://t.cn/Zx19Ag",
    # a shop share's last line: a link's label after an emoticon
    "喜欢韩系小清新的姑娘们看过来，件件都好搭！[爱你] 地址：http://t.cn/Zx19Ah",
    "冬天必备的毛线帽，大人小孩都有哒[心]链接：http://t.cn/Zx19Ai",
    "平價又好看的圍巾，稀飯的親們快來看看！[愛你] 地 址 ：http://t.cn/Zx19Aj",
]

ORGANIC = [
    # a contest open to all, a person's own gift talk
    "这次比赛参赛无门槛，大家都可以来试试",
    "生日收到好多礼物，感谢大家的心意",
    # a resource's link and a bare emoticon with a link (no shop talk before it)
    "[震惊] 地址：http://t.cn/Zx19Ak",
    "[围观]链接：http://t.cn/Zx19Al",
    "活动详情见官网 http://t.cn/Zx19Am",
    # people's own shopping talk and app use
    "双11在天猫买了一堆纸巾，够用一年了",
    "刚在应用市场更新了微信，新版本好卡",
    "昨天在拼多多买的水果坏了一半，再也不买了",
    # a person's own listing talk and a contest announcement
    "我在同城群里发了一条找室友的消息，有人吗",
]


@pytest.mark.parametrize("text", ADS)
def test_round19_zh_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS)
def test_round19_zh_cues_flag_without_the_model(rules_only: AdClassifier, text: str) -> None:
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC)
def test_round19_zh_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("#分享有礼#", "offer60"),
        ("我刚刚在#微博等级专享礼#中领取了礼包", "offer60"),
        ("大家快来拼多多吧", "offer60"),
        ("领取无门槛红包", "offer60"),
        ("我在#某某同城#发布了一条#家政#信息", "offer60"),
        ("刚在 @某某应用市场 下载了“某某”", "cta60"),
        ("好看的外套[心] 地址：http://t.cn/Zx19An", "cta60"),
    ],
)
def test_round19_zh_each_family_is_strong(rules_only: AdClassifier, text: str, signal: str) -> None:
    """Each family is a strong offer or a strong call to action on its own."""
    assert signal in rules_only.rules(tweet(text)).signals, text


OFFERS = [
    "分享有礼",
    "签到有礼",
    "转发有礼",
    "参与有礼",
    "微博有礼",
    "注册有礼",
    "下载有礼",
    "关注有礼",
    "评论有礼",
    "微博等级专享礼",
    "特权,已经有",
    "快来拼多多吧",
    "(来自-拼多多)",
    "在天猫等你",
    "无门槛现金",
    "无门槛红包",
    "无门槛优惠",
    "无门槛券",
    "无门槛代金",
    "#发布了一条#",
]
CALLS = ["应用市场 下载了", "应用商店 下载了"]


@pytest.mark.parametrize(
    ("family", "phrase"), [("offer", p) for p in OFFERS] + [("cta", p) for p in CALLS]
)
def test_round19_zh_cues_and_their_traditional_forms(family: str, phrase: str) -> None:
    """Each Simplified cue is a normalized strong entry of its family, and so is its
    Traditional form."""
    assert normalize_text(phrase) == phrase
    assert phrase in STRONG_PHRASES[family]
    form = normalize_text(opencc.OpenCC("s2t").convert(phrase))
    assert form != phrase
    assert form in STRONG_PHRASES[family], form


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("亲们看过来，给妈妈的针织衫！[心] 地址：http://t.cn/Zx19Ao", True),
        ("好物推荐[礼物][心]地 址:http://t.cn/Zx19Ap", True),
        ("看看这家的鞋[愛你] 鏈接：https://t.cn/Zx19Aq", True),
        ("[震惊] 地址：http://t.cn/Zx19Ar", False),
        ("[礼物][心] 地址：http://t.cn/Zx19As", False),
        ("资源链接地址：http://t.cn/Zx19At", False),
        ("好看的衣服 地址：http://t.cn/Zx19Au", False),
    ],
)
def test_round19_zh_a_labelled_link_needs_an_emoticon_after_chinese_text(
    rules_only: AdClassifier, text: str, link: bool
) -> None:
    """A link's label ("地址:", "链接:") is a shop share's last line only right after an
    emoticon that ends Chinese text; a bare emoticon or a label without one is no pitch."""
    assert ("cta60" in rules_only.rules(tweet(text)).signals) is link, text
