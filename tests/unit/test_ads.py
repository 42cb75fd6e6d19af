"""The ad/spam classifier: each signal and its weight, per language, combinations, hard negatives,
and its precision/recall on a labelled fixture of AI-Twitter examples written for this project."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streams import ads
from streams.ad_train import FIXTURES
from streams.ads import (
    JOB_DETAILS,
    JOB_PHRASES,
    JOB_SCAM_PHRASES,
    REASONS,
    WEIGHTS,
    AdClassifier,
)
from streams.campaigns import CampaignHit
from streams.eval_ads import evaluate, read_corpus
from streams.model import AdVerdict, Author, Reference, Tweet
from streams.taxonomy import normalize_text

T0 = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)
THIN = Author(username="bot", followers_count=10, following_count=900)
BUSY = Author(username="busy", tweet_count=100_000, created_at=T0 - timedelta(days=100))
NORMAL = Author(
    username="lena",
    followers_count=800,
    following_count=300,
    tweet_count=5_000,
    created_at=T0 - timedelta(days=900),
)
DATA = Path(__file__).resolve().parents[1] / "data"


def tweet(text: str, **fields: object) -> Tweet:
    return Tweet(id="1", text=text, created_at=T0, **fields)


def check(
    clf: AdClassifier, text: str, score: float, reasons: tuple[str, ...], **kw: object
) -> None:
    verdict = clf.classify(tweet(text, **kw))
    assert verdict == AdVerdict(score=score, is_ad=score >= 0.6, reasons=reasons), text


PROMO = ("promo_phrase",)


# --- promotional language, English ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "score"),
    [
        # one strong phrase is an ad on its own
        ("Link in bio for the full guide", 0.6),
        ("DM me for rates", 0.6),
        ("DM me for details", 0.6),  # "dm me" inside "dm me for" counts once
        ("Free mint opens at noon", 0.6),
        ("Passive income is the dream", 0.6),
        ("Claim your spot before Friday", 0.7),  # + verb and object
        ("Use code SAVE20 at checkout", 0.6),  # a promo code: regex on the original case
        ("Promo code: AIWEEK", 0.9),  # the code (cta) + "promo" (offer)
        # one weak phrase is not
        ("Student discount on the course", 0.4),  # two offer cues: 30 + 10
        ("The airdrop farming meta is getting out of hand", 0.3),
        ("I'm giving away my old GPU to a student", 0.3),
        ("Check out my new paper on scaling laws", 0.3),
        ("We're hiring! Free trial of our eval tool for every applicant", 0.3),
        ("Don't miss the keynote tomorrow", 0.3),
        # two families make an ad: what is offered + how to take it / a promise / urgency
        ("Huge giveaway this week, follow to enter", 0.6),
        ("Airdrop is live for early users", 0.3),
        ("Airdrop is live, claim your tokens", 0.9),
        ("50% off all AI courses, limited time", 0.6),
        ("Side hustle idea: resell prompt packs", 0.6),
        ("Giveaway! Follow + RT and tag 3 friends", 0.8),  # offer + cta + 2 more cta cues
        # one family twice: 30 + 10
        ("Giveaway with a discount", 0.4),
        # patterns beyond the phrase list
        ("Earn $300 per day with AI, join now", 0.6),  # money claim + cta
        ("Only 24h left to grab the discount", 0.9),  # scarcity + offer + "grab the discount"
        ("Comment 'AGENT' and I'll send you the guide", 0.9),  # an engagement-bait funnel
        ("Comment 'AGENT' and I'll send you my free guide", 1.0),  # ... + an offer
        ("Free prompt pack for the first 100 people", 0.6),
        # a full-width giveaway is normalized first
        ("ＧＩＶＥＡＷＡＹ time, follow to enter", 0.6),
        # a discount code that is talked about, not offered, is no code
        ("Our bot kept inventing discount codes customers could use", 0.3),
    ],
)
def test_promo_phrases_en(clf: AdClassifier, text: str, score: float) -> None:
    check(clf, text, score, PROMO)


# --- promotional language, Chinese ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("加微信领取资料", 0.6),
        ("诚招代理", 0.6),
        ("免费领取ChatGPT教程", 0.6),
        ("日赚三百不是梦", 0.6),
        ("全场包邮", 0.3),
        ("AI写作兼职，加V了解", 0.6),  # money + cta (加V alone is Weibo's verified badge)
        ("限时优惠", 0.6),  # urgency + offer
        ("年卡五折，扫码开通", 0.7),  # 五折: half price; 扫码 (scan): cta; 开通 (activate): offer
        ("前50名送工具包，扫码进群", 0.7),  # scarcity + two cta phrases
        ("转发此微博并@三位好友，抽奖送耳机", 0.7),  # a Weibo lottery: cta + offer
        ("欢迎私信交流", 0.3),
        ("推广AI应用落地仍需时间", 0.0),  # 推广 (to promote, roll out) is no promo word
        ("AI 代理支付与稳定币", 0.0),  # 代理 (agent) is no promo word
    ],
)
def test_promo_phrases_zh(clf: AdClassifier, text: str, score: float) -> None:
    check(clf, text, score, PROMO if score else ())


# --- contact handles -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "score", "reasons"),
    [
        ("细节加微信：abc_123", 0.9, ("promo_phrase", "contact")),
        ("需要的加微信 gpt8899", 0.9, ("promo_phrase", "contact")),
        ("VX：apikey_666", 0.3, ("contact",)),  # a handle alone is not an ad
        ("价格只要三折，VX：apikey_666", 0.7, ("promo_phrase", "contact")),
        ("共享账号低至 19.9 元，加 Q：12345678", 1.0, ("promo_phrase", "contact")),
        ("咨询电话：13800000000", 0.3, ("contact",)),
        ("Buy cheap accounts, WhatsApp +1 415 555 0199", 0.9, ("promo_phrase", "contact")),
        ("Make money online: t.me/profitclub", 0.9, ("promo_phrase", "contact")),
        ("WeChat: zhangwei_nlp if you want to collaborate", 0.3, ("contact",)),
        # a contact word without a handle, or a handle-like word without digits: nothing
        ("WeChat users love the new mini program", 0.0, ()),
        ("我在微信上看到的新闻", 0.0, ()),
    ],
)
def test_contact(clf: AdClassifier, text: str, score: float, reasons: tuple[str, ...]) -> None:
    check(clf, text, score, reasons)


# --- stuffing, links, clients, accounts, campaigns -----------------------------------------------
HIT = CampaignHit(fingerprint=1, accounts=5, posts=9, first_seen=T0)


@pytest.mark.parametrize(
    ("text", "fields", "score", "reasons"),
    [
        ("$NVDA $AMD $TSM all moving", {}, 0.3, ("cashtag_stuffing",)),
        ("$NVDA $AMD up", {}, 0.0, ()),
        ("nothing", {"cashtags": ("NVDA", "AMD", "TSM")}, 0.3, ("cashtag_stuffing",)),
        ("#ai #ml #llm #rag #gpu", {}, 0.25, ("hashtag_stuffing",)),
        ("#ai #ml #llm #rag #2025", {}, 0.0, ()),  # a number is not a hashtag
        ("#ai #AI #Ai #aI #ai", {}, 0.0, ()),  # one tag, five times
        ("@a @b @c @d @e hello", {}, 0.25, ("mention_stuffing",)),
        ("@a @b @c @d hello", {}, 0.0, ()),
        ("read https://a.example/x and https://b.example/y", {}, 0.2, ("url_density",)),
        ("one link https://a.example/x", {}, 0.0, ()),
        ("two links", {"urls": ("https://a.example", "https://b.example")}, 0.2, ("url_density",)),
        ("special promo at bit.ly/3abc", {}, 0.5, ("promo_phrase", "url_density")),
        ("slides at bit.ly/3abc", {}, 0.0, ()),
        # an auto-posting client alone is no evidence (real organizations schedule posts) ...
        ("hello", {"source": "IFTTT"}, 0.0, ()),
        ("hello", {"source": "Hootsuite Inc."}, 0.0, ()),
        ("hello", {"source": "皮皮时光机"}, 0.0, ()),
        ("hello", {"source": "SecurityNewsbot"}, 0.0, ()),
        # ... it only adds to another signal
        ("Promo for you", {"source": "IFTTT"}, 0.45, ("promo_phrase", "auto_client")),
        ("Promo for you", {"source": "皮皮时光机"}, 0.45, ("promo_phrase", "auto_client")),
        (
            "@a @b @c @d @e hi",
            {"source": "SecurityNewsbot"},
            0.4,
            ("mention_stuffing", "auto_client"),
        ),
        ("hello", {"source": "Twitter for iPhone"}, 0.0, ()),
        ("hello", {"source": "Twitter for Advertisers"}, 0.6, ("ad_client",)),
        ("hello", {"author": THIN}, 0.3, ("account_signals",)),
        ("hello", {"author": BUSY}, 0.3, ("account_signals",)),
        ("hello", {"author": NORMAL}, 0.0, ()),
        ("hello", {"author": Author(followers_count=0, following_count=15)}, 0.0, ()),
        # weak signals together cross the line
        ("Promo for you", {"author": THIN}, 0.6, ("promo_phrase", "account_signals")),
        # form alone (tags, mentions, links, an auto-poster) stays below it: news digests and
        # article shares look like this
        (
            "#a #b #c #d #e $X $Y $Z",
            {"source": "dlvr.it"},
            0.5,
            ("cashtag_stuffing", "hashtag_stuffing", "auto_client"),
        ),
        (
            "2023 could be the year of #LLMs #AI #GenerativeAI #ChatGPT #Tech https://a.example/x "
            "@ann @bo @cy @di @ed https://t.co/abc",
            {},
            0.5,
            ("hashtag_stuffing", "mention_stuffing", "url_density"),
        ),
        (
            "Presale live $A $B $C #x #y #z #w #v https://bit.ly/q https://t.co/r",
            {"source": "Buffer", "author": THIN},
            1.0,
            (
                "promo_phrase",
                "cashtag_stuffing",
                "hashtag_stuffing",
                "url_density",
                "auto_client",
                "account_signals",
            ),
        ),
    ],
)
def test_other_signals(
    clf: AdClassifier,
    text: str,
    fields: dict[str, object],
    score: float,
    reasons: tuple[str, ...],
) -> None:
    check(clf, text, score, reasons, **fields)


@pytest.mark.parametrize(
    ("text", "score", "reasons"),
    [
        # a campaign alone, or with one weak signal (a headline copied by a few outlets), is no ad
        ("the same template again", 0.25, ("campaign",)),
        ("Nvidia is offering a discount on H100 systems", 0.55, ("promo_phrase", "campaign")),
        # with two weak signals it is; so is form posted by a campaign's accounts
        ("Discount for you https://bit.ly/x", 0.75, ("promo_phrase", "url_density", "campaign")),
        (
            "#a #b #c #d #e $X $Y $Z https://a.example/1 https://b.example/2",
            0.75,
            ("cashtag_stuffing", "hashtag_stuffing", "url_density", "campaign"),
        ),
        ("代理商火热招募中，私信领取资料", 0.85, ("promo_phrase", "campaign")),
    ],
)
def test_campaign_hit_adds_its_points(
    clf: AdClassifier, text: str, score: float, reasons: tuple[str, ...]
) -> None:
    verdict = clf.classify(tweet(text), campaign=HIT)
    assert verdict == AdVerdict(score=score, is_ad=score >= 0.6, reasons=reasons)
    assert clf.classify(tweet(text)).score == pytest.approx(score - 0.25)


# --- hard negatives ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        # launches by labs, with links, prices and "try it"
        "We're releasing Gemini 2.0 today, try it at https://ai.dev and read more at "
        "https://blog.google/gemini",
        "Claude is available for free on claude.ai and in the API at $3 per million input tokens.",
        "GPT-4o mini is live in the API today, priced at 15 cents per million input tokens.",
        "Our open-source agent framework is now live, free trial of the hosted version inside 👇",
        # researchers and recruiters asking for DMs
        "DM me if you want to collaborate on RAG evals",
        "My DMs are open for anyone applying to PhD programs in NLP this cycle.",
        "We're hiring research engineers, feel free to DM me with questions.",
        # news about prices, discounts and scams
        "Nvidia cuts H100 prices by 20%",
        "Nvidia is offering a discount on H100 systems to cloud partners",
        "OpenAI cut the price of GPT-4o by 50% for batch requests.",
        "Inference just got 100x cheaper",
        "Beware of fake airdrop links impersonating AI projects. Never connect your wallet.",
        "Workers earn $2 an hour labelling data for AI companies, a new report says.",
        "$NVDA $AMD $TSM after the export news",
        "A promotional video for the launch",  # "promo" only as a whole word
        # Chinese
        "欢迎私信交流智能体评测",
        "我们团队在招聘推理优化工程师，感兴趣的同学可以私信。",
        "英伟达限时降价，云厂商受益",
        "DeepSeek 发布 V3，API 价格再降，输入每百万 token 只要 0.5 元，开发者又有福利了。",
        "月之暗面宣布长文本能力升级，目前限时免费开放内测。",
        "小红书上很多「AI 副业月入过万」的帖子，大部分都是卖课的，大家小心。",
        "微博账号被盗了，还好没加V",  # 加V: Weibo's verified badge
        "委员会的成员都是兼职的。",
        "AI 代理支付与稳定币",
    ],
)
def test_hard_negatives_stay_organic(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text, source="Twitter Web App", author=NORMAL))
    assert not verdict.is_ad, verdict


# --- retweets, thresholds, reasons ---------------------------------------------------------------
def test_retweet_is_judged_by_the_text_it_spreads(clf: AdClassifier) -> None:
    ad = clf.classify(tweet("RT @promoking: Giveaway! Follow to enter"))
    assert ad.is_ad
    assert ad.reasons == ("promo_phrase",)
    # the retweeted account is not one of the spread text's mentions
    rt = tweet(
        "RT @lenakovacs42: thanks @a @b @c @d",
        mentions=("lenakovacs42", "a", "b", "c", "d"),
        references=[Reference(type="retweeted", id="2")],
    )
    assert clf.classify(rt) == AdVerdict(score=0.0, is_ad=False, reasons=())


def test_threshold(clf: AdClassifier) -> None:
    weak = tweet("Student discount")
    assert not clf.classify(weak).is_ad
    assert AdClassifier(threshold=0.3).classify(weak).is_ad
    assert AdClassifier(threshold=1.0).classify(weak).score == 0.3
    for bad in (0.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="threshold"):
            AdClassifier(threshold=bad)


def test_verdicts_are_stable(clf: AdClassifier) -> None:
    t = tweet("Link in bio", source="IFTTT")
    assert (
        clf.classify(t)
        == clf.classify(t)
        == AdVerdict(score=0.75, is_ad=True, reasons=("promo_phrase", "auto_client"))
    )


def test_every_reason_has_labels_and_a_weight() -> None:
    # promotional language and the learned model score by degree, the others by weight
    assert set(WEIGHTS) | {"promo_phrase", "model"} == set(REASONS)
    for zh, en in REASONS.values():
        assert zh and en


# --- the labelled AI-Twitter fixtures (tests/data/README.md) -------------------------------------
# Targets for promotional vs organic AI tweets: precision >= 0.95, recall >= 0.85.
@pytest.mark.parametrize(
    ("name", "min_precision", "min_recall"),
    [
        # used while the rules were written and to train the model (streams/ad_train.py): it
        # only guards against regressions, it does not measure generalization (the
        # cross-validated estimate in tests/data/README.md does)
        ("ai_promo_dev.jsonl", 0.95, 0.85),
        # written after the rules were frozen (rules alone: precision 1.000, recall 0.552),
        # now in the model's training data too (rules + model: 1.000, 0.759)
        ("ai_promo_heldout.jsonl", 0.95, 0.70),
    ],
)
def test_fixture_precision_and_recall(name: str, min_precision: float, min_recall: float) -> None:
    result = evaluate(read_corpus(DATA / name), AdClassifier())
    confusion = result.confusion
    assert not result.skipped
    assert confusion.n > 80
    assert confusion.precision >= min_precision, confusion.as_dict()
    assert confusion.recall >= min_recall, confusion.as_dict()


# Pitches without the classic keywords: giveaway mechanics, engagement-bait funnels, lead
# magnets, resale, services, pump posts, income claims; Chinese sales contacts and funnels.
@pytest.mark.parametrize(
    "text",
    [
        "We're handing out 2 RTX 5090s! RT + follow @gpu_den for a chance to win. Picking "
        "winners Friday.",
        "Reply LAUNCH and I'll send you my 30-page Claude prompt playbook.",
        "Like + comment PROMPTS below and I'll DM you the whole pack.",
        "Bulk Gemini Advanced keys available, min order 20, resellers welcome. Contact "
        "@gem_keys_store",
        "Taking on 3 more clients this month for custom AI chatbots. Grab a demo slot: "
        "https://example.com/demo",
        "Made $9,200 last month with one AI workflow. Here's the exact system, free for the "
        "next 48 hours: https://example.com/system",
        "AI量化策略，稳定月化12%，想了解的加我电报 @quant_bot_cn，拉你进群",
        "整理了一份 AI 绘画接单报价表，需要的评论「报价」我一个个发",
        "大模型私有化部署，一站式交付，免费出方案。咨询热线：138 0000 1234",
    ],
)
def test_pitches_without_classic_keywords(clf: AdClassifier, text: str) -> None:
    assert clf.classify(tweet(text)).is_ad, text


# Organic posts that quote or report promotional language, first-party launches with prices,
# and organic posts from scheduling tools.
@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            'Someone keeps replying "Claim your free airdrop now, link in bio" under our paper '
            "thread. That account is not ours, please ignore it.",
            {},
        ),
        (
            'Got a DM: "You won our GPU giveaway, just pay $25 shipping." Reminder that real '
            "giveaways never ask for money.",
            {"source": "Buffer"},
        ),
        ("现在很多号在评论区发「加V领取免费会员，名额有限」，都是引流的，别理他们。", {}),
        (
            "Introducing Orion-3B, our new open-weight model. Free tier on our API, then $0.20 "
            "per 1M tokens. Weights and docs: https://example.com/orion",
            {},
        ),
        ("今天正式发布 Lark-13B 开源模型，API 价格为每百万 token 1 元，权重和文档见链接", {}),
        ("Our paper on sparse attention is out, code on GitHub", {"source": "Hootsuite Inc."}),
        ("Microsoft put $10 billion into OpenAI 👇 #AI #ChatGPT #OpenAI #Bing #tech", {}),
    ],
)
def test_reported_speech_launches_and_schedulers_stay_organic(
    clf: AdClassifier, text: str, fields: dict[str, object]
) -> None:
    verdict = clf.classify(tweet(text, **fields))
    assert not verdict.is_ad, (text, verdict)
    assert "model" not in verdict.reasons


def test_quoted_pitch_with_nothing_around_it_is_still_judged(clf: AdClassifier) -> None:
    # a pitch in quotes followed only by hashtags is nobody else's speech
    text = '"Enroll now in our ChatGPT course, 90% off today only!" #ChatGPT #AI'
    assert clf.classify(tweet(text)).is_ad


# --- round 3: cue families without the classic keywords, and the organic look-alikes ----------
# Each pitch carries two families the round-2 rules did not know (rules alone, no model).
@pytest.mark.parametrize(
    "text",
    [
        # a free offer taken up with a verb (strong), with modifiers in between
        "Our agency automates support with AI. Book a free 30-minute strategy call this week.",
        # a paid group + "friends who want to learn" (ZH)
        "想系统学 AI 剪辑的朋友可以进我的付费群，每周直播答疑。",
        # car-pooling an account with scarcity in Chinese, and "ping me"
        "Midjourney 拼车，一个月 30 元，还剩2个位置，要的扣我。",
        # pump: a gain multiple in Chinese and "hurry, get on board"
        "新币今晚开盘，早期的兄弟已经翻了8倍，还没上车的抓紧！",
        # digital goods: an instant download with a price
        "300 Notion templates for AI freelancers, $19, instant download.",
        # a course enrolment with a deadline and an income claim
        "Enrolment for my AI copywriting cohort is open. Students made $40k last quarter. Price "
        "goes up Monday.",
        # first money claim and a link at the end of the thread
        "How I'd make my first $2k with AI agents. Everything is bundled in my toolkit, link at "
        "the end of the thread.",
        # joining a paid programme with hashtag stuffing
        '"Join our exclusive ChatGPT course today!" #ChatGPT #AI #OpenAI #Udemy #learning',
    ],
)
def test_round3_pitches(text: str) -> None:
    assert AdClassifier(use_model=False).classify(tweet(text)).is_ad, text


# Organic look-alikes: price news, indie launches asking for feedback, events with sign-up and
# limited seats, sarcasm about courses, reported speech in Chinese, "of course".
@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("Anthropic raises Claude Haiku prices: $1 per million input tokens, up from $0.25 👇", {}),
        ("Midjourney's Basic plan goes from $8 to $10 next month. #midjourney", {}),
        ("Just got my RTX 5090. $1,999 MSRP, paid $2,400 🔥 benchmarks this weekend", {}),
        (
            "OpenAI just cut GPT-4o mini prices: $0.15 per 1M input tokens 👇 #AI",
            {"source": "Buffer"},
        ),
        (
            "I'm launching Tallybook today: it reads receipts and does the bookkeeping. $8/mo, "
            "free for your first 50 invoices. Would love feedback: https://example.com",
            {},
        ),
        (
            "我们的笔记助手今天正式上线了，免费版每月 300 分钟，专业版 29 元/月，欢迎大家提意见。",
            {},
        ),
        (
            "Free public talk at the library on Saturday about AI and jobs. Seats are capped at "
            "120, register here: https://example.com",
            {},
        ),
        ("下周六 AI 开发者沙龙，免费参加，名额有限，请提前报名。", {}),
        (
            "Step 1: discover ChatGPT. Step 2: sell a course on making $40k in 30 days with AI. "
            "The only product is the course.",
            {},
        ),
        ("看到有人在评论区说“扣1领取AI赚钱秘籍”，点进去是个收费群。各位省省吧。", {}),
        ("Of course the model got it wrong, but the free trial was fun.", {}),
        ("刚看完关于自动驾驶出租车的讨论，信息量很大。", {}),
    ],
)
def test_round3_organic_look_alikes(text: str, fields: dict[str, object]) -> None:
    verdict = AdClassifier().classify(tweet(text, **fields))
    assert not verdict.is_ad, (text, verdict)


# --- round 4: mockery of quoted pitches, forwarded scams, job posts ---------------------------
# Organic: the pitch is someone else's (quoted, in single quotes too, with mockery around it)
# or a real job post's terms (a salary band, equity, "email in bio").
@pytest.mark.parametrize(
    "text",
    [
        "Every 'AI side hustle guru (link in bio, DM me for the blueprint)' is the same guy with "
        "a new logo.",
        '"Comment PROMPTS and I\'ll send you my whole pack" — bro, you made $9k last month '
        "selling a course about prompt packs.",
        "My uncle forwarded me this: 'Put $500 into our AI arbitrage bot, guaranteed 20% a "
        "week.' Please check on your parents.",
        "The grift never changes: 'limited spots in my AI mastermind, link in bio'.",
        "Our 9-person lab is hiring a senior ML engineer: $170-210k + equity, Boston hybrid. "
        "Email in bio.",
        "我们在招大模型训练工程师，base 上海，年薪面议，简历发邮箱或者私信我。",
    ],
)
def test_round4_mockery_and_job_posts_stay_organic(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


# Still ads: job scams (no experience, pay per day, a messenger, a fee), a pitch put in quotes
# with nothing but hashtags around it, mockery words without any quotation.
@pytest.mark.parametrize(
    "text",
    [
        "We're hiring remote AI chat testers! No experience needed, $200/day, message us on "
        "WhatsApp to start.",
        "Hiring AI prompt reviewers, work from your phone, small onboarding fee for the starter "
        "kit. DM me now.",
        "'Limited spots in my AI mastermind, link in bio' #AI #ChatGPT",
        "Bro, my AI course is 50% off today only. Link in bio.",
    ],
)
def test_round4_pitches_stay_ads(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


# --- round 5: soft sells without the classic keywords, events and studies, quoted lists --------
# Each pitch is caught by the rules alone through a round-5 family: sponsorship sales, a paid
# post's disclosure, a testimonial with the next cohort, a first-person service, a keyword to
# DM, price anchoring, resale "of the official price", a token pump, "for everyone who buys",
# an app given "on us", a disclaimer next to the author's own code.
@pytest.mark.parametrize(
    "text",
    [
        "Our podcast reaches 25k ML researchers a week. Q4 sponsor slots are open, rate card in "
        "my DMs.",
        "Huge thanks to @gridly_ai for sponsoring this thread. Their eval dashboard is what I use "
        "every day, have a look: https://example.com",
        '"Went from support agent to ML engineer in 5 months." — Dev, Applied AI Bootcamp. The '
        "next cohort starts 2 September.",
        "Need an internal AI search for your wiki? I build them in 10 days. Case studies and "
        "pricing in the pinned tweet.",
        "I help data analysts land their first ML job in 12 weeks. DM me the word SHIFT.",
        "All 40 of my Midjourney style prompts, sorted by niche. Yours for less than a coffee: "
        "https://example.com",
        "Claude and GPT API at 35% of the official price, same SDKs. 500k free tokens when you "
        "sign up: https://example.cn",
        "这个 AI 板块的小币我已经埋伏好了，下周上所，现在进场还来得及。",
        "把我做小红书的 AI 提示词整理成了表格，链接放评论区，前 30 份半价。",
        "Sold 800 copies of my AI prompt vault. The new agent chapter is free for everyone who "
        "buys before Sunday.",
        "Translate any menu with your camera in one tap. Download free, the first 10 scans are on "
        "us.",
        "Not sponsored, just love it: use my code MAYA25 for 25% off the annual plan of NoteForge.",
    ],
)
def test_round5_pitches(text: str) -> None:
    assert AdClassifier(use_model=False).classify(tweet(text)).is_ad, text


# Organic: events and studies with fees, prizes, tickets or a thank-you gift card (two event
# markers, weak cues only), a list of quoted grift slogans, a disclaimer with nothing of the
# author's own to sell, warnings about unofficial resellers.
@pytest.mark.parametrize(
    "text",
    [
        "Our robotics hackathon is back: 36 hours, $5k in prizes, free to join for students. "
        "Register by Friday: https://example.org",
        "Tickets for the Applied NLP Summit are on sale: early bird $250, students $60. The CFP "
        "closes on 1 April.",
        "We're recruiting participants for a user study on code review with LLMs. One hour on "
        "Zoom, $40 gift card as thanks. DM me if interested.",
        "第二届多模态研讨会将在成都举办，学生免注册费，投稿截止 8 月 1 日，报名链接见主页。",
        "The AI influencer starter pack: “this changes everything”、“comment AI and I'll DM you”、"
        "“I made $30k in a week”. Unfollowing all of them.",
        "现在的 AI 课程广告就三句：“最后的红利”、“扣 1 领资料”、“月入 3 万不是梦”。看烦了。",
        "Friendly reminder that the official API has no free tier and nobody can sell you a "
        "discounted key.",
        "听说 Claude 又要涨价了，大家不要找来路不明的代充，容易封号。",
    ],
)
def test_round5_events_and_mockery_stay_organic(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


# Still ads: an event with a strong call to action ("link in bio", a funnel), a quoted list
# with nothing around it, a referral link next to "reminder that".
@pytest.mark.parametrize(
    "text",
    [
        "My paid AI automation workshop is on Saturday, tickets for the first 20 people, link in "
        "bio.",
        "Reminder that my referral link still gets you a free month of Perplexity Pro: "
        "https://example.com",
        "Every Tuesday I write up one AI tool that prints money. Free to join, link in bio.",
    ],
)
def test_round5_pitches_in_event_or_disclaimer_frames_stay_ads(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


# --- round 6: studies, hackathons, jokes on a funnel, first-party price changes ---------------
# Fresh wording (none of these rows is in a fixture). Each pitch is caught by the rules alone
# through a round-6 family: a B2B service with a free consultation, a price with a sales claim,
# token shilling, resale with escrow, a disclosed affiliate link (which a "PSA" no longer
# hides), scarcity with "once they're gone", a price rise at midnight, details on a profile, a
# report behind a work email, an audience as the selling point, a testimonial ending in a call
# to action, an income claim "from $0", invite codes for the first replies, "on us", a bare
# code to enter at checkout.
@pytest.mark.parametrize(
    "text",
    [
        "私有化知识库搭建，三天交付，已服务80多家企业，预约免费咨询。",
        "整理好的 AI 绘画关键词合集，19.9元，已经卖了500多份。",
        "$NEURO 我已经满仓了，想跟的兄弟私我，群号看主页。",
        "Selling two verified OpenAI orgs with high rate limits. Escrow available, fast handover.",
        "My 5 favourite AI writing tools, links below (affiliate, it keeps this thread free).",
        "PSA: stop overpaying for GPUs. I compared 12 clouds and linked the cheapest ones "
        "(affiliate links inside).",
        "Only 12 seats left in the agent bootcamp. Once they're gone, they're gone.",
        "The Prompt Lab closes at midnight. After that the price goes from $29 to $59.",
        "Need product shots in bulk? We do $0.05/image, details on my profile.",
        "State of AI Agents 2025 is out. Download free with your work email: https://example.com",
        "Every Friday I send 12,000 founders the 3 AI tools worth trying. Free here → "
        "https://example.com",
        "我以前也觉得AI副业都是割韭菜，后来跟着学了一个月，想了解的私我。",
        "How I went from $0 to $9k/mo with AI headshots. The exact prompt pack is in the last "
        "tweet.",
        "First 15 replies get one of my invite codes for the new AI research assistant.",
        "if your team still writes release notes by hand, we should talk. first month's on us.",
        "New voice pack for your AI companion, 30 characters. TALK15 at checkout.",
    ],
)
def test_round6_pitches(text: str) -> None:
    assert AdClassifier(use_model=False).classify(tweet(text)).is_ad, text


# Organic: a paid interview study (IRB or ethics approval, an interview, the pay), a hackathon
# with free entry and credits, free student tickets, jokes told with a funnel line, a provider's
# own price change posted through a scheduling tool, and warnings that stay warnings (no call to
# action after "I used to think", affiliate links as the topic).
@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            "We're running an interview study on how teams evaluate LLMs: 30-minute interview, "
            "$40 gift card, IRB approved. DM me if you're interested!",
            {},
        ),
        (
            "正在做一个关于大模型使用习惯的访谈研究，30分钟，有80元酬劳，"
            "已通过伦理审查，感兴趣可以私信我。",
            {},
        ),
        (
            "Our AI hackathon is on 3-4 May: free entry, food provided, 40 spots, and every "
            "accepted team gets $300 in cloud credits. Sign up: https://example.org",
            {"source": "Buffer"},
        ),
        ("开发者大会学生凭学生证免票，名额挺紧，想去的早点报名。", {}),
        (
            "Comment \"PROMPTS\" and I'll DM you... nah. It's a public doc, here it is like a "
            "normal person: https://example.com",
            {},
        ),
        (
            "Sarcasm mode: 'Reply AGENT and I'll send you my 500-prompt mega vault'. Nobody "
            "needs 500 prompts.",
            {},
        ),
        (
            "New business idea: a course on selling courses. Comment MORE and I'll DM you the "
            "link to the link.",
            {},
        ),
        (
            "Starting today, 40% off batch API pricing during off-peak hours. Your queued jobs "
            "just got cheaper.",
            {"source": "Sprout Social"},
        ),
        (
            "Starting today our GPU prices go down: L4 from $0.90 to $0.60 per hour. Nothing to "
            "change on your side.",
            {"source": "Hootsuite Inc."},
        ),
        ("I used to think AI side hustles were a scam. Then I tried one. They are a scam.", {}),
        (
            "PSA: those 'top 10 AI tools' lists are mostly affiliate links. Check who wrote them.",
            {},
        ),
    ],
)
def test_round6_studies_events_jokes_and_price_news_stay_organic(
    text: str, fields: dict[str, object]
) -> None:
    verdict = AdClassifier().classify(tweet(text, **fields))
    assert not verdict.is_ad, (text, verdict)


# Still ads: a funnel without the joke, a study frame around a paid product's strong call to
# action, a price cut with a promo code.
@pytest.mark.parametrize(
    "text",
    [
        'Comment "PROMPTS" and I\'ll DM you my full prompt library.',
        "We ran a user study: 40 participants doubled their output with our course. Link in bio.",
        "Starting today, 40% off our API plans with code SAVE40 at checkout.",
    ],
)
def test_round6_pitches_next_to_the_new_frames_stay_ads(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


# --- round 7: observers of the grift, founders' launches; fresh families ----------------------
# Fresh wording (none of these rows is in a fixture), each caught by the rules alone through a
# round-7 family: agents recruited (招募代理), a presale's last round, an income story ending in
# a free cheat sheet, a free start with no card, an urgent click, a paid community of members
# with a deadline, a disclosed referral link (推广链接 … 返佣), a merch drop, a pump with a
# tiny float, free for the first N (with a thousands comma) until it goes paid.
@pytest.mark.parametrize(
    "text",
    [
        "AI写作小程序现面向全国招募代理，零门槛，利润空间大。",
        "$NOVA 预售最后一轮，错过这次就没了。",
        "I spent a year testing prompts and it 10x'd my output. Free cheat sheet below 👇",
        "Turn any podcast into clips in one click. No card needed. Try it → https://example.com",
        "Unlimited image credits, works before they patch it, click fast 👉 https://example.com",
        "Our members get every new agent workflow first. Doors close tonight.",
        "这个AI剪辑工具我一直在用，这是我的推广链接，买会员我能拿点返佣 https://example.com",
        "Limited drop: 'Scaling Laws' mugs, ships worldwide.",
        "$QBIT tiny float, insiders buying, about to go parabolic. Loading up. NFA",
        "Free for the first 5,000 users, then it goes paid → https://example.com",
    ],
)
def test_round7_pitches(text: str) -> None:
    assert AdClassifier(use_model=False).classify(tweet(text)).is_ad, text


# Organic: an observer who reports or mocks the pitches ("saw an ad for", "my inbox", "every
# X I looked at ... hard pass", "please don't", a rhetorical "genuine question, not a setup
# for"), and a founder's own launch asking for feedback.
@pytest.mark.parametrize(
    "text",
    [
        "Saw an ad for an 'AI Prompt Master' certificate, 80% off, 'only 9 seats left'. "
        "Please don't.",
        "Opened my inbox: 6 AI courses, 2 presales and a 'limited time' masterclass for $99.",
        "Every AI course I looked at this week had a countdown timer and a 'bonus' PDF. Hard pass.",
        "Is anyone actually making money from AI side hustles? Genuine question, not a setup "
        "for a course.",
        "After two years we're finally launching Quillnote: offline AI transcription, $5/mo, "
        "free for teachers. I'd love honest feedback.",
    ],
)
def test_round7_observers_and_founder_launches_stay_organic(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


# Still ads: an observer frame around the author's own disclosed paid link, and a founder's
# launch with a call to action and a deadline.
@pytest.mark.parametrize(
    "text",
    [
        "My inbox is full of bad AI tools, so here are the 5 I pay for (affiliate links inside).",
        "We're finally launching Quillnote: $5/mo, 50% off until midnight, link in bio.",
    ],
)
def test_round7_own_offers_next_to_the_new_frames_stay_ads(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


# --- round 8: resale, newsletters, coupons, reopening doors; studies and quoted scams ---------
# Fresh wording (none of these rows is in a fixture), each caught by the rules alone through a
# round-8 family: a bare discount code, wholesale (批发), resale at a fraction of the official
# price or below list, a coupon to claim (领券), a paid circle reopening for a while, a reader
# count with an inbox funnel, hardware sold to serious buyers, a spend-story hook, money while I
# sleep with links in the replies, a giveaway to anyone who replies, a report free for
# subscribers, free units to start, a dev tool's free tokens "on us" with "start building", a
# course's job guarantee with a messenger, a template pack bought once, a retweeted coupon.
@pytest.mark.parametrize(
    "text",
    [
        "Essay detectors can't flag it. Students: code FINALS25 🎓",
        "Claude Pro 账号批发，量大价优，私聊",
        "API 中转站，价格是官方价的 4 折，注册即用 https://example.com",
        "We resell GPT-4o access at 60% below list, same endpoint, no waitlist.",
        "双12 AI 学习机好价，领券立减 200，点链接直达 https://example.com",
        "Our agent-builders circle reopens for 48h only. Weekly calls + private deals → "
        "https://example.com",
        "Membership reopens Friday, 100 seats, then closes for the quarter.",
        "The weekly AI briefing 62,000 founders read every Monday. Get it in your inbox: "
        "https://example.com",
        "Deep dive on small-model evals in this week's issue. 9k readers. Want the next one in "
        "your inbox? https://example.com",
        "For sale: 4x RTX 4090 rig, barely used, serious buyers only.",
        "I spent $12k on AI ad tools so you don't have to. The only 3 worth paying for 🧵👇",
        "5 AI tools that make money while I sleep, links in the replies 👇",
        "Giving away 20 free Pro seats to anyone who replies with their use case.",
        "Small-cap AI play nobody's watching. Full breakdown free for subscribers → "
        "https://example.com",
        "Notebook GPUs at $0.49/hr. Sign up this week and the first 20 hours are free.",
        "Ship agents faster with Relayer: tracing, retries and evals built in. First 500k tokens "
        "on us. Start building: https://example.com",
        "零基础学 AI 绘画，包就业，WhatsApp +1 555 010 0199",
        "RT @deals_cn: 618 AI 耳机史低，领券再减 50 👉 https://example.com",
        "AI 提示词模板包 1200 个，一次购买永久更新 👉 https://example.com",
    ],
)
def test_round8_pitches(text: str) -> None:
    assert AdClassifier(use_model=False).classify(tweet(text)).is_ad, text


# Organic: a warning that quotes a job scam's line (the quotes pair up wrongly around a short
# scare quote, so the observer's words carry it), a study recruiting interviewees, a lab's
# launch with a free tier and "start building", links in the replies without an offer, a
# write-up without a subscribe pitch, a newsletter's milestone, words that hold a cue without
# its meaning ("Claude Code", "error code", "off list" news, a blueprint in the news).
@pytest.mark.parametrize(
    "text",
    [
        'Another "recruiter" DM: "AI tutor job, $700/day, just pay for the onboarding kit." '
        "Real jobs don't ask you to pay.",
        "We're studying how data scientists review LLM output. If you can spare 45 min for an "
        "interview, DM me. $40 gift card for your time.",
        "Introducing Relay 2: tracing and evals for agents. Free tier with 1M tokens/month, then "
        "$2 per 1M. Start building: https://example.com",
        "Our new paper on long-context retrieval is out. Paper and code links in the replies.",
        "Wrote up what I learned evaluating 12 RAG stacks, link in the replies. Took me a month "
        "so you don't have to.",
        "Wrote up how we cut our eval costs by 60%: https://example.com",
        "My newsletter hit 10k readers today. Thank you all, seriously.",
        "Share this post if you think AI labs should publish their evals.",
        "Claude Code FIX20 is my branch name, not a promo code",
        "Got error code E1001 again from the API, anyone else?",
        "Batch APIs are now 50% off list at most providers. The price war is real.",
        "H100 rental prices are down 40% this year; some resellers are 70% off list.",
        "The White House released its AI blueprint today: https://example.com",
        "Warning: those 'GPT账号批发' DMs are scams, they take the money and vanish.",
        "Doors reopen at 9am for the AI meetup, see you there.",
    ],
)
def test_round8_studies_warnings_and_launches_stay_organic(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


# Still ads: the same soft calls to action and frames around a real pitch.
@pytest.mark.parametrize(
    "text",
    [
        # a study frame does not hide a promo code
        "We're studying how founders use AI. Take the 5-min survey, then use code STUDY30 for "
        "30% off our course.",
        # an observer's words do not hide the author's own disclosed link
        "Real jobs don't ask you to pay, but this AI course does pay off (affiliate link inside).",
    ],
)
def test_round8_pitches_next_to_the_new_frames_stay_ads(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


def _regex_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """The word lists as a regex alternation with ``\\b`` at ASCII letter/digit edges: what
    ``_Words`` replaced, kept here as its reference."""
    parts = []
    for word in sorted({normalize_text(w) for w in words}, key=len, reverse=True):
        part = re.escape(word)
        if word[0].isascii() and word[0].isalnum():
            part = r"\b" + part
        if word[-1].isascii() and word[-1].isalnum():
            part += r"\b"
        parts.append(part)
    return re.compile("|".join(parts))


def test_word_lists_match_exactly_like_a_word_boundary_regex() -> None:
    texts = [
        normalize_text(item.tweet.text)
        # the training fixtures by name, never a glob: a blind set being written there stays unread
        for path in (Path(__file__).parents[1] / "data" / name for name in FIXTURES)
        for item in read_corpus(path)
        if hasattr(item, "tweet")
    ]
    # the edges: "_" and letters of other scripts glue on, CJK glues on too (it is \w)
    for word in ("hiring", "salary", "we're hiring", "招聘"):
        texts += [word, f"x{word}", f"{word}_", f"{word}é", f"é{word}", f"工{word}工", f"({word})"]
    for words, matcher in (
        (JOB_PHRASES, ads._JOB_WORDS),
        (JOB_DETAILS, ads._JOB_DETAIL_WORDS),
        (JOB_SCAM_PHRASES, ads._JOB_SCAM_WORDS),
    ):
        regex = _regex_of(words)
        found = [matcher.search(text) for text in texts]
        assert found == [regex.search(text) is not None for text in texts]
        assert 0 < sum(found) < len(texts)  # the comparison covers both outcomes


# --- round 9: price news and opinions, events, the author's own posts -------------------------
# Organic kinds that real AI tweets are full of (tests/data/ROUNDS.md, round 9), in fresh
# wording (none of these rows is in a fixture): a plan's price reported or judged, a salary or a
# cost in the news, a livestream or a webinar, a waitlist, the author's own article, video or
# podcast, and a link share whose only "promotional" cue is a pointing emoji beside hashtags.
@pytest.mark.parametrize(
    "text",
    [
        "Perplexity unveils a Pro plan at $20 a month with more searches per day.",
        "Would you pay $15/month for an AI that answers your email? I'm not sure I would.",
        "Honestly $25/mo is too much for a writing assistant when the free one is this good.",
        "Report: machine learning leads at big labs now make a $900k salary in total pay.",
        "An analyst puts the cost of serving one chatbot answer at about $0.01. It adds up.",
        "Going live tonight at 7 to compare three coding assistants on the same bug. Come join me! "
        "https://example.com/live",
        "Our webinar on AI in radiology starts in an hour, don't miss it. Register here: "
        "https://example.com/w",
        "The waitlist for the new voice model just opened. Join the waitlist here: "
        "https://example.com/wl",
        "Check out my latest article on why evals matter more than benchmarks: "
        "https://example.com/a",
        "New video: I let an AI agent run my to-do list for a week. Comment below what I should "
        "test next! https://example.com/v",
        "Did a podcast episode on open-source licensing for models. Give it a listen: "
        "https://example.com/p",
        "Why small models are winning on phones 👇 https://example.com/s #AI #LLM #mobile "
        "#MachineLearning #tech #edge",
        "Someone asked the chatbot how to win a chess game in two moves. It tried its best.",
        "Refactor, document and test with CodeHelper: a tour of the new VS Code extension.",
    ],
)
def test_round9_price_news_events_and_own_posts_stay_organic(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


# Still ads: the same kinds of post around a real pitch (a code, a strong call to action, an
# offer with a deadline, a price with a call to action, a contact handle).
@pytest.mark.parametrize(
    "text",
    [
        # the author's video with a strong call to action
        "New video on my AI side income, full course link in bio 🔥",
        # an event frame does not hide a promo code
        "Join us live on Thursday, use code LIVE30 for 30% off the course.",
        # a price with a call to action and a deadline
        "My prompt pack is $19 today only. Grab it now: https://example.com/pack",
        # a livestream that sells a paid programme with seats running out
        "Livestream tonight: how I made $5k/month with AI. Only 10 seats left in the paid "
        "cohort, DM me.",
    ],
)
def test_round9_pitches_next_to_the_new_frames_stay_ads(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


def test_round9_a_lone_price_keeps_the_model_out_and_adds_no_evidence_to_form() -> None:
    classifier = AdClassifier()
    text = "Big news: the Pro plan is $30/month #AI #LLM #tech #news #pricing https://example.com"
    rules = classifier.rules(tweet(text))
    assert "lone_price" in rules.signals
    assert not AdClassifier.model_gate(rules)
    assert rules.points <= ads.MAX_FORM_ONLY  # (hashtags and a link beside a price alone)
    # a price with a call to action is no lone price
    rules = classifier.rules(tweet("The Pro plan is $30/month, DM me for a discount code"))
    assert "lone_price" not in rules.signals


def test_round9_the_next_cohort_in_chinese_is_a_deadline() -> None:
    rules = AdClassifier(use_model=False).rules(tweet("AI 绘画入门营第3期开班啦，零基础也能学"))
    assert "urgency30" in rules.signals
    assert "urgency30" not in AdClassifier().rules(tweet("第3期节目里我们聊了开源模型")).signals


# --- round 10: course platforms, storefronts, money-hook titles, where the links lead --------
# Real promotion is soft (tests/data/ROUNDS.md, round 10): a course pushed on a course
# marketplace or a free-coupon feed, a product on a storefront, a listicle of income schemes.
# Fresh wording, none of it from a corpus or a fixture.
@pytest.mark.parametrize(
    "text",
    [
        "Level up your prompt writing with our hands-on course on Udemy today! #AI #LLM",
        "Prompt Design From Zero  \n2 hours | 412 students  \n\n🆓 LINK => https://example.com/c "
        "\n\n#Udemy #AI",
        "Thought you might like this course on @Udemy: Agents for Busy People "
        "https://example.com/u",
        "My little guide to local LLMs is out on @gumroad, pay what you like https://example.com/g",
        "9 Simple Ways to Make Money with AI Image Tools https://example.com/m",
        # a small seller's own order line
        "Handmade leather notebooks, 3 colours, 25 USD each. Order via DM today! #ChatGPT",
        "Fresh avocados at 2 for 1 this week, call or WhatsApp us on 0700 000000 #ChatGPT",
    ],
)
def test_round10_course_storefront_and_money_hook_pitches(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


# Organic look-alikes: a learner's hashtags, the platforms named in the news or in a how-to,
# the money question asked of the chatbot, an app launch linking its store page.
@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("Finished my first neural net tutorial today! #python #udemy #learning #ml "
         "https://example.com/p", ()),
        ("Udemy reports that sign-ups for AI courses doubled this quarter.", ()),
        ("The library is closed on Monday. Visit our website for opening hours.", ()),
        ("Our lab's study on tokenizers is out, visit our website for the paper.", ()),
        ("Laid off after six years in ML. Open to work, hire me: https://example.com/cv", ()),
        ("Tagging @udemy @coursera @edx: which one teaches transformers best?", ()),
        ("Is it realistic to make money with AI art, or is the market flooded already?", ()),
        ("We just shipped our assistant on iPhone. Here it is: https://t.co/x",
         ("https://apps.apple.com/app/assistant/id1",)),
        ("A free course I enjoyed on attention, no strings: https://t.co/x",
         ("https://www.udemy.com/course/attention-basics/",)),
    ],
)  # fmt: skip
def test_round10_platform_mentions_stay_organic(text: str, urls: tuple[str, ...]) -> None:
    verdict = AdClassifier().classify(tweet(text, urls=urls))
    assert not verdict.is_ad, (text, verdict)


# Where a link leads: the expanded ``urls`` entity, never the text's t.co.
@pytest.mark.parametrize(
    ("urls", "points"),
    [
        (("https://somecreator.gumroad.com/l/promptpack",), ads.STRONG),
        (("https://gumroad.com/l/abc",), ads.STRONG),
        (("https://www.udemy.com/course/llm-apps/?couponCode=FREE10",), ads.STRONG),
        (("https://www.udemy.com/course/llm-apps/",), 0),
        (("https://example.com/blog", "https://payhip.com/b/xyz"), ads.STRONG),
        (("https://notgumroad.com/x",), 0),
        (("https://apps.apple.com/app/id1",), 0),  # (alone: a lab's app launch links there too)
        ((), 0),
    ],
)
def test_round10_store_links(urls: tuple[str, ...], points: int) -> None:
    assert ads._store_points(urls, 0) == points
    rules = AdClassifier(use_model=False).rules(tweet("Made this over the weekend", urls=urls))
    assert (rules.points >= ads.STRONG) == (points == ads.STRONG)


def test_round10_an_app_store_link_adds_to_promotional_language_only() -> None:
    assert ads._store_points(("https://apps.apple.com/app/id1",), ads.WEAK) == ads.WEAK
    assert ads._store_points(("https://play.google.com/store/apps/details?id=x",), 0) == 0
    text = "There is a discount on my AI journaling app this week"
    plain = AdClassifier(use_model=False).rules(tweet(text))
    linked = AdClassifier(use_model=False).rules(
        tweet(text, urls=("https://apps.apple.com/app/journal/id2",))
    )
    assert plain.points > ads.EMOJI
    assert linked.points == plain.points + ads.WEAK
    assert linked.reasons[0] == "promo_phrase"


def test_round10_a_storefront_link_alone_flags_but_a_launch_frame_caps_it() -> None:
    store = ("https://maker.gumroad.com/l/agents",)
    verdict = AdClassifier().classify(tweet("The agent starter kit https://t.co/x", urls=store))
    assert verdict.is_ad and "promo_phrase" in verdict.reasons, verdict
    # the author's own launch or article asking for feedback is judged as such (round 9)
    for text in (
        "We just launched our agent starter kit, feedback welcome https://t.co/x",
        "Check out my latest article on agents https://t.co/x",
    ):
        verdict = AdClassifier().classify(tweet(text, urls=store))
        assert not verdict.is_ad, (text, verdict)


# --- round 11: order lines with a phone number, assets for sale, own sign-ups, lead magnets ----
# Real promotion that round 10 missed (tests/data/ROUNDS.md, round 11): a seller's phone line, a
# price in a local currency with delivery, a domain for sale, a template feed, a vendor's own
# webinar or course pitched at the reader, a giveaway entered by tagging friends, lead magnets
# handed out in Japanese. Fresh wording, none of it from a corpus or a fixture.
@pytest.mark.parametrize(
    "text",
    [
        "Leather sandals, sizes 38-44\nCall/WhatsApp 0711 222 333\n#ChatGPT #Nairobi",
        "Websites for small shops, done in a week.\n📞: +44 7700 900123\n#AI #webdesign",
        "Laptop screens replaced while you wait. Contact us on 0733 444 555 #tech",
        "Bike lights, USB charging\nKsh 650\nDM 0722 000 111",
        "Cotton hoodies Ksh 2,800, all sizes\nWe deliver countrywide #AI #fashion",
        "Wireless earbuds ₦25,000 each, place your order today",
        "promptcraft(.)io is for SALE!\n#AI #domains #startups",
        "Premium short AI domain for sale, serious offers only #domainforsale #GPT",
        "Sync new form replies to a spreadsheet\n\nFree automation template ↓\n👉 https://example.com/t"
        "\n#nocode #ChatGPT",
        "【無料配布】ChatGPTで議事録を作るプロンプト集をプレゼントします。フォローといいねで受け取れます",
        "Wondering what LLMs could do for your support team? Join our webinar next Tuesday and "
        "see how. Register now: https://example.com/w",
        "Master prompt engineering in 30 days with hands-on projects. Enroll now! #AI #ChatGPT",
        "What a generous giveaway, fingers crossed!\n@amy_k @raj_p @li_wen\n#Giveaway #AI",
        "@shopowner Support bots for your business. We offer setup in a week. #AI",
        "Our AI meal planner is nearly ready for you to try. Join our waitlist: https://example.com/w",
    ],
)
def test_round11_order_lines_sales_and_own_sign_ups(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert verdict.is_ad, (text, verdict)


# Organic look-alikes: a number named without a number to call, a price in the news, a sale
# reported, a third party's talk, our own webinar announced without a pitch, a giveaway talked
# about, a course mentioned, first-person plural in research.
@pytest.mark.parametrize(
    "text",
    [
        "Helpline numbers are on the ministry's website; call them if you need to talk.",
        "The conference call with 300 researchers went better than expected #LLM",
        "Phone prices in Nairobi rose to Ksh 30,000 this year, and AI features are the excuse.",
        "Reports say the chip startup was put up for sale last month #AI",
        "Will be speaking on LLMs in healthcare at the city library on Friday. Register: "
        "https://example.com/r",
        "Missed our webinar on retrieval? The recording is up on the blog.",
        "Our webinar on AI in radiology starts in an hour, don't miss it. Register here: "
        "https://example.com/w",
        "That airdrop last week was a mess, @maria and I got nothing",
        "Our course on NLP this term uses ChatGPT for the first assignment.",
        "In this paper we offer a new benchmark for long-context retrieval.",
        "Template for the weekly report is in the shared drive, thanks @ana @bo @cy",
    ],
)
def test_round11_look_alikes_stay_organic(text: str) -> None:
    verdict = AdClassifier().classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "contact"),
    [
        ("Call/WhatsApp 0711 222 333", True),
        ("📞📩0710625000", True),
        ("Contact us though 0718 000000 for a quote", True),
        ("call 911", False),  # (too short for a phone number)
        ("called 0711 222 333 yesterday", False),  # ("called" is no cue)
        ("whatsapp group of 2023-2024 students", False),
    ],
)
def test_round11_phone_lines(text: str, contact: bool) -> None:
    rules = AdClassifier(use_model=False).rules(tweet(text))
    assert ("contact" in rules.reasons) == contact, (text, rules)
