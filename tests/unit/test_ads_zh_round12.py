"""Round 12-zh of the ad classifier: Chinese promotion the Weibo audits (weibo-1, weibo-2) still
missed — Weibo's theme/cover auto-posts, an app's "search for it in the App Store", a contact
word spelled around the filter, the lottery template that asks for a follow and three friends,
a seller's claims and terms, a link to the goods after a colon — the Traditional forms of the
Chinese cues, and the organic posts that share their words. Every text is an invented
paraphrase of a kind, not a real post."""

from __future__ import annotations

import opencc
import pytest

from streams.ads import DISCLAIMER_PHRASES, STRONG_PHRASES, WEAK_PHRASES, AdClassifier
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS = [
    # Weibo's cover/theme auto-post, an app's App Store line
    '初雪落在窗台上，安安静静。我正在使用"小雪人"封面图，好漂亮，你们都快来试试！http://t.cn/Ab12cd',
    "我刚换了“星河”套装，好漂亮，你们都快来试试！ 我的首页",
    '今日宜 | 早睡 - 来自@某某日历 App Store搜索"某某日历"有惊喜。 http://t.cn/Qq11ww',
    # a contact word spelled around the filter
    "各种大牌包包每天更新，微博不常看，请见谅！询价请加微亻言：abc12345",
    # the lottery template: follow, repost, tag three friends; or the template with its prize
    "#某某新车上市#即刻起至9月1日，关注@ 某某汽车，转发此条微博，并@ 3位好友，即可参与抽奖。",
    "#某某手游公测#即刻起至10月8日，转发此条微博，即可参与抽奖。 公测送周边",
    # a shop's own voice and terms
    "即日起凡购买两盒面膜的小伙伴，都送化妆包一个，回馈新老客户！",
    "店庆三天，只为回馈新老客户，全场让利，欢迎进店选购",
    # a seller's claims with a link to the goods after a colon
    "姐妹们这款纤体霜真的绝了，纯植物无副作用，无效全额退款，分享地址：[心]http://t.cn/Ww22ee",
    "专门做韩国代购的小店，好多明星同款，想要的看地址：[兔子]http://t.cn/Ee33rr",
    "百分百好评率的去黑头神器，赶紧抢吧，不要错失良机~ http://t.cn/Rr44tt",
    "给姐妹们推荐一款超火的瘦腿霜，0副作用，分享地址：http://t.cn/Tt55yy",
    # Traditional forms of cues the filter already knew in Simplified
    "台北手作皮件特價包郵，每款限量，歡迎詢價",
    "秋冬新款到貨，一手貨源，量大從優，詳情私信",
    "端午連假行程推薦，網址：http://t.cn/Yy66uu 下單備註優惠碼可再折抵，名額有限",
]

ORGANIC = [
    # a buyer's or a patient's words, a news report on side effects
    "试了好几款面霜，这款说是无副作用，用了一周脸还是过敏了，已经停用",
    "某药企新药获批上市，官方称无明显副作用，完整临床数据将于下月公布",
    "楼下新开的奶茶店新品上架，我去尝了一杯，太甜了",
    "这个牌子号称全网热销，我买了一瓶，感觉一般般",
    # Weibo's verification request: a job title and "请@… 转发此条微博帮我确认身份"
    "我正在申请微博认证，认证信息为“某某商贸公司总经理”。请@甲某 @乙某 转发此条微博帮我确认身份",
    # a fan's own giveaway that asks only for a repost
    "粉丝破十万啦！谢谢大家，转发此条微博，周日我抽三个人送我自己画的明信片~",
    # asking where to watch, a phone in daily use
    "谁知道这部纪录片的观看地址：求分享，找了一晚上",
    "我正在使用的这台旧手机已经五年了，拍照还挺好",
    # a job post, a warning, a lab's launch
    "招聘店员两名，要求能吃苦，工资面议，有意者请联系店长",
    "警惕！有人冒充客服说凡购买就返现，都是诈骗，千万别点链接",
    "某某實驗室今天開源了新的中文大模型，權重和論文都已公開",
    # English hard negatives
    "Got 20% off at the bakery today, the croissants were great",
    "Our lab released a new open model today; weights and the paper are on the hub",
]


@pytest.mark.parametrize("text", ADS)
def test_round12_zh_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS)
def test_round12_zh_ads_by_the_rules_alone(rules_only: AdClassifier, text: str) -> None:
    """The new cues are rules: no model is needed to flag these."""
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC)
def test_round12_zh_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("phrase", "table", "family"),
    [
        ("你们都快来试试", STRONG_PHRASES, "cta"),
        ("app store搜索", STRONG_PHRASES, "cta"),
        ("微亻言", STRONG_PHRASES, "cta"),
        ("回馈新老客户", STRONG_PHRASES, "offer"),
        ("无副作用", WEAK_PHRASES, "offer"),
        ("新品上架", WEAK_PHRASES, "offer"),
        ("转发此条微博", WEAK_PHRASES, "cta"),
        ("@ 3位好友", WEAK_PHRASES, "cta"),
        ("分享地址", WEAK_PHRASES, "cta"),
        ("看地址:", WEAK_PHRASES, "cta"),
        ("回报稳定", WEAK_PHRASES, "money"),
        ("赶紧抢", WEAK_PHRASES, "urgency"),
    ],
)
def test_round12_zh_phrases_are_normalized_entries(
    phrase: str, table: dict[str, tuple[str, ...]], family: str
) -> None:
    """Each cue is a plain phrase of one family, already normalized."""
    assert phrase in table[family]
    assert normalize_text(phrase) == phrase


def _chinese(phrase: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in phrase) and not any(
        "\u3040" <= ch <= "\u30ff" for ch in phrase
    )


def test_traditional_forms_keep_the_family_and_strength_of_their_simplified_cue() -> None:
    """The runtime tables are plain strings; OpenCC (the tagger's load-time dependency) says that
    the Traditional form of every Chinese cue is a cue of the same family and strength (a strong
    entry wins over a weak one, as in the matcher), except a few left out on purpose: Japanese
    reads 副業, 開通, 課程 in organic posts."""
    to_traditional = opencc.OpenCC("s2t")
    left_out = {"副業", "開通", "課程"}
    effective: dict[str, tuple[str, str]] = {}
    for strength, tables in (("weak", WEAK_PHRASES), ("strong", STRONG_PHRASES)):
        for family, phrases in tables.items():
            for phrase in phrases:
                effective[normalize_text(phrase)] = (strength, family)
    checked = 0
    for phrase, hit in effective.items():
        if not _chinese(phrase):
            continue
        form = normalize_text(to_traditional.convert(phrase))
        if form in left_out or form == phrase:
            continue
        checked += 1
        assert effective.get(form) == hit, (phrase, form, hit, effective.get(form))
    assert checked > 200


def test_the_verification_request_is_a_disclaimer() -> None:
    assert "申请微博认证" in DISCLAIMER_PHRASES
    assert "申請微博認證" in DISCLAIMER_PHRASES
