"""Round 17-zh of the ad classifier: the Weibo families the near-miss audit (weibo-near-1) and
weibo-1..7 still showed passing — a product pitch whose link follows a colon and an emoticon
("…就靠它啦：[心]http://…"), a listing's price after the money emoticon or a price label
("[钱]290", "1100[钱]", "[花朵]价格：128"), the shop app's item-share template ("这个很赞哦...
【1234】…"), a push pointing at its link with arrows ("必须推荐>>", "链接分享>>", "快戳>>",
"分享给姐妹们>>", "看这里>>") — their Traditional forms, and the organic posts that share
their shapes (a person's own link after a colon, an emoticon before a link, click-bait money
emoticons, prices in people's own talk). Every text is an invented paraphrase of a kind, not a
real post."""

from __future__ import annotations

import opencc
import pytest

from streams.ads import STRONG_PHRASES, AdClassifier
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS = [
    # a product pitch in the first person, its link after a colon and an emoticon
    "用了两周脸上的痘印淡了好多，皮肤也亮了，分享给同样烦恼的姐妹们：[心]http://t.cn/Zx12Ab",
    "腰上的肉终于下去了，每天睡前抹一抹就行，秘诀就在这里：[给力]http://t.cn/Zx12Ac",
    "发际线都长回来了，想知道用的什么就戳这里： [偷笑] http://t.cn/Zx12Ad",
    "用了一個月皮膚白了兩個色號，效果看得見，祕密在這：[愛你]http://t.cn/Zx12Ae",
    # a listing's price after the money emoticon, or an emoticon before its price label
    "加厚羊毛围巾 三色可选 长180宽60 [钱]168 城东路",
    "手工银镯子 足银999 内径56mm 520[钱]/只",
    "天然月光石手链，925银扣，温柔百搭 [花朵]价格：88",
    "羊絨披肩 兩色可選 [錢]260 城南路",
    "天然粉晶手鏈 [花朵]價格：98",
    # the shop app's item-share template
    "这个很赞哦... 【2233】2016春季新款韩版宽松针织开衫女",
    "这个很赞哦... 夏季透气运动鞋 男款 轻便跑步鞋",
    "這個很讚哦... 春季新款 純棉短袖T恤",
    # a push pointing at its link with arrows
    "眼角细纹一周就淡了，真心好用，必须推荐>> http://t.cn/Zx12Af",
    "黑眼圈一周就消了，分享给熬夜的姐妹们>>http://t.cn/Zx12Am",
    "想知道我用的什么面膜？看这里>> http://t.cn/Zx12An",
    "黑头终于清干净了，效果马上看得见，链接分享>>[笑]http://t.cn/Zx12Ag",
    "春季护肤品低价抢，大牌直供，快戳>>http://t.cn/Zx12Ah",
    "眼霜真心好用，必須推薦>> http://t.cn/Zx12Ai",
]

ORGANIC = [
    # a person's own link after a colon without an emoticon, an emoticon before a link alone
    "今天的旅行视频剪好了，大家看看：http://t.cn/Zx12Aj",
    "周末去爬山了，风景超美[心]http://t.cn/Zx12Ak",
    "[围观]http://t.cn/Zx12Al 这只猫也太会了吧",
    # an English thread: a bracket after a colon is no emoticon there
    "I replaced my phone's assistant with a chatbot.\n\nHere's how:\n\n[Thread 🧵] https://t.co/Ab1",
    # click-bait decorated with the money emoticon, a red-envelope brag without a number by it
    "震惊！这个村子的人竟然这样过年[钱][哈哈]",
    "今天抢了8个红包，好开心[钱][钱]",
    # prices in people's own talk and in the news, without the listing's marks
    "今天买了件毛衣才168，开心",
    "新款手机售价3999元起，比上一代贵了200",
    # "这个很赞" as praise, "推荐" and "分享" without arrows
    "这个很赞哦，周末一起去吃吧",
    "强烈推荐这部电影，看哭了",
    "分享一下今天做的晚饭，第一次做红烧肉",
    "同学们，明天早上八点在操场集合，别迟到",
]


@pytest.mark.parametrize("text", ADS)
def test_round17_zh_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS)
def test_round17_zh_cues_flag_without_the_model(rules_only: AdClassifier, text: str) -> None:
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC)
def test_round17_zh_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("秘诀就在这里：[给力]http://t.cn/Zx12Ac", "cta60"),
        ("毛衣 [钱]168", "offer60"),
        ("这个很赞哦... 新款开衫", "offer60"),
        ("必须推荐>> http://t.cn/Zx12Af", "cta60"),
    ],
)
def test_round17_zh_each_family_is_strong(rules_only: AdClassifier, text: str, signal: str) -> None:
    """Each family is a strong phrase of its family (offer or call to action)."""
    assert signal in rules_only.rules(tweet(text)).signals, text


@pytest.mark.parametrize(
    ("phrase", "family"),
    [("这个很赞哦...", "offer"), ("推荐>>", "cta"), ("们>>", "cta"), ("这里>>", "cta")],
)
def test_round17_zh_cues_and_their_traditional_forms(phrase: str, family: str) -> None:
    """Each Simplified cue is a normalized strong phrase, and so is its Traditional form."""
    assert normalize_text(phrase) == phrase
    assert phrase in STRONG_PHRASES[family]
    form = normalize_text(opencc.OpenCC("s2t").convert(phrase))
    assert form != phrase
    assert form in STRONG_PHRASES[family], form
