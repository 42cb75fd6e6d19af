"""Round 11-zh of the ad classifier: the kinds of Chinese promotion the Weibo audit (weibo-1)
found missed — sponsored red-envelope templates, app share auto-posts pushing a download, shop
listings and their terms, giveaways written around the filter, course notices — and the organic
posts that share their words. Every text is an invented paraphrase of a kind, not a real post."""

from __future__ import annotations

import pytest

from streams.ads import STRONG_PHRASES, WEAK_PHRASES, AdClassifier
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS = [
    # a sponsored red envelope: the sponsor or the prize right after "抽到了"
    "#某某的红包#好运来！我在某某 的红包中抽到了@某打车 提供的“8元乘车券”，新年小惊喜~某某 的红包",
    "#品牌狂欢节#叮叮叮！我在@某某奶茶 的红包中抽到了“第二杯半价券”！也许你的更大哦~",
    "#小王的红包#手气不错！我抢到了小王 和@某某钱包 一起发出的现金红包，你也来试试手气吧~",
    # a follower-exchange site
    "我在 #互粉大厅#(example.cc) http://t.cn/Abc123",
    # an app share pushing the download
    "刚装的#某某听书#挺好用，通勤路上听小说，赶紧来试试吧。某某听书APP下载：http://t.cn/Xyz789",
    "某某相机3.2版全新升级！滤镜更多、导出更快，快来和我一起体验吧！下载地址：http://t.cn/Q1w2e3",
    "#装扮中心# 我正在使用“小熊猫”会员专属主题皮肤，你也来试试吧！ 主题：小熊猫",
    # gifts for signing up, prizes waiting to be taken
    "某某通话打国际长途低至3分钱，注册就送20分钟 http://t.cn/Rrr111",
    "某某商城周年庆，5000份小蛋糕等你来领，每人限领一份！http://t.cn/Sss222",
    "某某商城年货节，平板电脑、扫地机器人等你拿！http://t.cn/Ttt333",
    # shops: their terms and their listings
    "工厂自产的羊毛围巾，三色可选，接受零售和批发，厂家直销，价格美丽，感兴趣的私聊",
    "[日本]东京特惠：某牌双肩包，经典款，仅剩两个，899包邮包税。",
    "这款祛痘精华真的好用，用了两周痘痘全消，店主还承诺无效退款，需要的姐妹戳：http://t.cn/Uuu444",
    "新款针织开衫今日上架，买就送同色发圈！http://t.cn/Vvv555",
    "这个宝贝真不错我很喜欢 http://t.cn/Www666",
    "我蛮喜欢这个哦～【加厚保暖儿童棉拖鞋 冬季新款】http://t.cn/Xxx777",
    "#某乐#某某 麻辣花生 250g（价格：12.8元）,我的生活我定制 ----来自某乐客户端 http://t.cn/Yyy888",
    "店庆做活动，全场买一送一！只要99，为期两天！有意向联系13712345678",
    "海边民宿今日特价800元起，先抢先得！订房专线：0912-345678",
    "某某瘦身贴好评如潮，今日下单买二送一，抢购地址：http://t.cn/Zzz999",
    # a giveaway written around the filter
    "[话筒]Zhuan此微博，@ 你的闺蜜，选一位幸运宝宝SONG这款真丝衬衫，20:30开抢！",
    # a trading-signal group, a course notice
    "#现货原油喊单VIP体验群123456789# 今日油价窄幅震荡，关注晚间数据",
    "发表了博文《每日一练（12）》【开课通知】暑假班--公务员笔试培训课程 一、单选题……",
]

ORGANIC = [
    # a family chat's red envelope, the news about red envelopes
    "过年在家族群的红包中抽到了最大的一个，88块，开心一整天",
    "春节红包大战落幕，多家平台称今年参与人数创新高，专家提醒谨慎授权个人信息",
    # asking for a download, an app's launch reported
    "谁有这部纪录片的下载地址？找了一晚上都没找到",
    "某某公司今天发布了新版地图应用，新增骑行导航，媒体称下载量首日破百万",
    # a buyer's post about a bargain, a shop or a refund
    "昨天在淘宝买了个9.9元包邮的手机壳，用了两天就裂了，果然便宜没好货",
    "楼下新开的面包店做活动，排队的人好多，我买了两个菠萝包",
    "商家说无效退款，结果用完没效果就是不退，大家别上当，已经投诉了",
    "这家店的热卖款我也买了，穿起来一般般，尺码偏小",
    # a job post, a real prize draw report, a lab's launch, a warning
    "我们实验室招聘算法工程师，月薪面议，简历发邮箱",
    "恭喜@某某 在本周的读书打卡活动中获得纪念书签一枚，感谢大家参与",
    "某某实验室今天开源了新的中文大模型，权重和论文都已公开",
    "警惕！冒充客服说“注册就送红包”的短信都是诈骗，千万别点链接",
    "Weekend notes: grabbed a coffee, read the new scaling paper, and went hiking",
    "We're hiring a research engineer (onsite, salary and equity listed in the post)",
]


@pytest.mark.parametrize("text", ADS)
def test_round11_zh_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS)
def test_round11_zh_ads_by_the_rules_alone(rules_only: AdClassifier, text: str) -> None:
    """The new cues are rules: no model is needed to flag these."""
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC)
def test_round11_zh_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("phrase", "table", "family"),
    [
        ("红包中抽到了@", STRONG_PHRASES, "offer"),
        ("红包中抽到了“", STRONG_PHRASES, "offer"),
        ("互粉大厅", STRONG_PHRASES, "offer"),
        ("无效退款", STRONG_PHRASES, "offer"),
        ("下载地址:", STRONG_PHRASES, "cta"),
        ("zhuan此微博", STRONG_PHRASES, "cta"),
        ("元包邮", WEAK_PHRASES, "offer"),
        ("你也来试试吧", WEAK_PHRASES, "cta"),
        ("喊单vip", WEAK_PHRASES, "money"),
    ],
)
def test_round11_zh_phrases_are_normalized_entries(
    phrase: str, table: dict[str, tuple[str, ...]], family: str
) -> None:
    """Each cue is a plain phrase of one family, already normalized (the one Aho-Corasick
    pass matches normalized text: "：" is ":" there, "APP" is "app")."""
    assert phrase in table[family]
    assert normalize_text(phrase) == phrase


def test_the_colon_of_a_download_link_survives_normalization(clf: AdClassifier) -> None:
    """ "下载地址：" (full-width colon) is matched by the entry "下载地址:"."""
    assert normalize_text("下载地址：") == "下载地址:"
    assert clf.classify(tweet("新版上线，更快更稳！下载地址：http://t.cn/Abc")).is_ad
