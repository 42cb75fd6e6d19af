"""Round 16-zh of the ad classifier: the Weibo platform templates the near-miss audit
(weibo-near-1) showed it passing — red-envelope campaign auto-posts in their other wordings, the
prize-campaign auto-post, second-hand listings shared from 闲鱼, shop item shares with a price
or a sales count — their Traditional forms, and the organic posts that share their words (a
user's own red envelope, a star's passcode, run logs, study check-ins, member reports). Every
text is an invented paraphrase of a kind, not a real post."""

from __future__ import annotations

import opencc
import pytest

from streams.ads import NEUTRAL_PHRASES, STRONG_PHRASES, WARNING_PHRASES, AdClassifier
from streams.taxonomy import normalize_text
from tests.unit.ad_cases import tweet

ADS = [
    # a cash envelope grabbed from an account, alone or co-sent with a brand
    "#某某的红包#好运来啦！我刚刚抢到了某某 的现金红包！小心脏激动得扑通扑通~某某 的红包",
    "#某某的红包#新年好！我抽中了某某 的现金红包，你也快一起来比比谁的红包更大吧~某某 的红包",
    "#某某的红包#开门红！我刚刚抢到某某 和@某品牌 发出的联手现金红包！某某 的红包",
    "#某品牌的红包#天降好运！我被@某品牌 的红包砸中啦~ 不信你试试~某品牌 的红包",
    "#某品牌的红包#恭喜我呀~我刚抢到@某品牌 的新年红包喔，好有诚意！某品牌 的红包",
    "#某店的红包#过小年啦！我抢到了某店 的小年现金红包~某店 的红包",
    # the sponsored template behind "一不小心" (its "小心" is no warning)
    "#某某的红包#一不小心又中奖了！我在某某 的红包中抽到了@某平台 提供的“十元代金券”～",
    # Traditional forms
    "#某某的紅包#我剛剛搶到了某某 的現金紅包！小心臟怦怦跳~某某 的紅包",
    # the prize-campaign auto-post
    "#玩微博赢平板#有奖品要说出来！我参加了活动“玩微博赢平板”，拼人品的时候到了！",
    # second-hand listings shared from 闲鱼
    "我在闲鱼卖·九成新折叠自行车#来闲鱼，发现更多闲置超值好物# http://t.cn/Ab12Cd",
    "发现一个便宜的闲置宝贝！戳进捡漏！#[转卖]二手显示器 完美屏# http://t.cn/Ab12Ce",
    "我在閒魚賣·手工陶瓷杯#來閒魚，發現更多閒置超值好物#",
    # shop item shares with a price or a sales count
    "加厚保温杯 大容量 学生便携水杯,现价8.80http://t.cn/Ab12Cf",
    "月销量2046件新款宽松卫衣女春秋韩版http://t.cn/Ab12Cg",
    "月銷量980件復古帆布包 http://t.cn/Ab12Ch",
    # the red-envelope campaign's card game
    "财运来啦！我在#某活动#PK抢卡中击败了 某某，获得Ta的财神卡！集财神卡赢现金大奖，来和我PK吧！",
    # an app or a game pushed for download
    "想体验古风武侠冒险，就快来下载《某某江湖》！ http://t.cn/Ab12Cm",
    "我在【某应用商店】发现一款很不错的应用【某笔记】，赶紧下载体验一下吧！",
    # a small seller's shipping term, a seller's call to its customers
    "加绒雪地靴 尺码35-40 [钱]199运费自理",
    "儿童凉鞋 多色可选 需要的亲们私聊哦",
    "手工皂 天然配方 需要的親快來看看 http://t.cn/Ab12Ck",
]

ORGANIC = [
    # a user's own red envelope, a star's passcode, a family chat's envelope
    "#某某的红包#发红包啦！我在红包里塞了2元现金，新的一年从红包中开启，拆开看看吧！某某 的红包",
    "#某组合的红包#送你一个红包密令，猜猜我的口令抢祝福红包！新年梦想成真！",
    "过年在家族群里抢红包，抢到了5块钱，开心",
    # news on red envelopes and on sales
    "春节期间微信红包收发总量创新高，专家提醒注意防范诈骗链接",
    "某品牌手机上月销售十万台，同比增长两成",
    # a run log, a study check-in, a member report, a year bill
    "走路3.12km，用时21分08秒，201.5大卡。#某运动App#http://t.cn/Ab12Ci",
    "［某某徽章］坚持，连续打卡100天 http://t.cn/Ab12Cj",
    "#我的会员报告# 我在5月会员报告获得【话痨达人】称号，本月还抽到了【好运符】哦~",
    "#十年账单日记# 2025年我的财富排名第8，好人有好报～",
    # "小心" as a warning still warns
    "小心！有人冒充客服发假的现金红包链接，千万别点",
    # people's own life: a heart racing, an accident
    "第一次上台演讲，小心脏扑通扑通跳个不停",
    "一不小心把咖啡洒在键盘上了，哭",
    # relatives in need
    "春节回家给需要的亲戚带了些年货，累并快乐着",
    # a question about a download, a game the author plays
    "这个资源谁有下载链接？找了好久都没找到",
    "最近在玩某某江湖，剧情还不错，就是有点肝",
]


@pytest.mark.parametrize("text", ADS)
def test_round16_zh_ads(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert verdict.reasons[0] == "promo_phrase", (text, verdict)


@pytest.mark.parametrize("text", ADS)
def test_round16_zh_cues_flag_without_the_model(rules_only: AdClassifier, text: str) -> None:
    assert rules_only.classify(tweet(text)).is_ad, text


@pytest.mark.parametrize("text", ORGANIC)
def test_round16_zh_hard_negatives(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


def test_the_warning_word_still_warns_outside_the_templates(rules_only: AdClassifier) -> None:
    """The warning word "小心" warns; "小心脏" and "一不小心" hide it only where written."""
    assert "小心" in WARNING_PHRASES
    warned = rules_only.rules(tweet("小心！冒充客服发现金红包的，转发此微博提醒家人"))
    assert "warning" in warned.signals
    plain = rules_only.rules(tweet("一不小心又中奖了！我被@某品牌 的红包砸中啦~"))
    assert "warning" not in plain.signals
    assert plain.points >= 60


ROUND16_ZH_STRONG_OFFERS = (
    "的现金红包", "联手现金红包", "的红包砸中啦", "的新年红包喔", "的小年现金红包",
    "我参加了活动“", "我在闲鱼卖", "#来闲鱼,发现更多", "发现一个便宜的闲置宝贝", ",现价",
    "月销量", "运费自理", "抢卡中击败了", "集财神卡",
)  # fmt: skip


@pytest.mark.parametrize("phrase", ROUND16_ZH_STRONG_OFFERS)
def test_round16_zh_cues_and_their_traditional_forms(phrase: str) -> None:
    """Each cue is a normalized strong offer, and so is its Traditional form (OpenCC s2t)."""
    assert normalize_text(phrase) == phrase
    assert phrase in STRONG_PHRASES["offer"]
    form = normalize_text(opencc.OpenCC("s2t").convert(phrase))
    assert form != phrase
    assert form in STRONG_PHRASES["offer"], form


@pytest.mark.parametrize("phrase", ["需要的亲", "快来下载", "赶紧下载", "赶紧来下载"])
def test_round16_zh_calls_and_their_traditional_forms(phrase: str) -> None:
    assert phrase in STRONG_PHRASES["cta"]
    assert normalize_text(opencc.OpenCC("s2t").convert(phrase)) in STRONG_PHRASES["cta"]


def test_round16_zh_neutral_phrases_have_their_traditional_forms() -> None:
    to_traditional = opencc.OpenCC("s2t")
    for phrase in ("一不小心", "小心脏", "需要的亲戚", "需要的亲人"):
        assert phrase in NEUTRAL_PHRASES
        assert normalize_text(to_traditional.convert(phrase)) in NEUTRAL_PHRASES
