"""Ad/spam classifier (pure): weighted signals → score in [0, 1] → verdict with reasons.

Every signal that fires adds its points (out of 100) and its reason code (:data:`REASONS`):

================  ======  ==================================================================
reason            points  fires when
================  ======  ==================================================================
promo_phrase      30–100  promotional language, EN + ZH, in four families (below)
contact           30      a contact handle to take the deal off-platform: "加微信 abc123",
                          "VX：id", "WhatsApp +1 415…", "t.me/group", a phone number
cashtag_stuffing  30      ≥ 3 distinct cashtags
hashtag_stuffing  25      ≥ 5 distinct hashtags
mention_stuffing  25      ≥ 5 distinct mentions (a retweet's "RT @user" does not count)
url_density       20      ≥ 2 URLs, or a link shortener (bit.ly, tinyurl ...) with promo language
auto_client       15      posted by an auto-poster (IFTTT, Buffer, dlvr.it, 皮皮时光机 ...)
ad_client         60      posted with an advertising tool ("Twitter for Advertisers")
account_signals   30      followers < 50 and following > 20 × followers, or > 200 tweets/day
campaign          25      a near-duplicate campaign hit (:mod:`streams.campaigns`): passed in,
                          or from the classifier's own detector
================  ======  ==================================================================

Promotional language is matched by family — what is offered (``offer``: giveaway, airdrop,
discount, a price, 优惠, 包邮 ...), the call to action (``cta``: link in bio, use code, DM me,
"comment 'X'", 私信, 扫码 ...), money promises (``money``: passive income, "earn $300 a week",
日赚, 副业 ...) and urgency (``urgency``: limited time, "only 20 left", 限时, 名额有限 ...). A
*strong* phrase, one that is promotional wherever it appears ("link in bio", "promo code
SAVE20", "加微信", "日赚"), counts 60; a *weak* one, which organic tweets also use ("airdrop",
"discount", "私信"), 30; a pointing emoji (👉 👇 🎁 💰) 15. The best family counts in full, every
further family adds up to 30, and every further phrase of a family 10 (at most 30 in all): an
ad is an offer *with* a call to action, a promise or a deadline, while a tweet that only talks
about a discount or an airdrop stays organic. A scam warning ("beware", "scam", "诈骗", "警惕")
caps promotional language at 30: warnings quote the scams they warn about.

``is_ad`` is ``score >= threshold`` (default 0.6, setting ``TWEETPULSE_AD_THRESHOLD``): one
strong phrase or two families are enough; automation, a thin account, a contact handle or a
campaign alone never are, and neither is a campaign with one weak signal (a headline with
"discount" in it, copied by a few outlets). A retweet is judged by the text it spreads ("RT
@user: " is stripped, and the retweeter's client and account do not count). Hard negatives that
stay organic: a lab's launch with links and prices ("try it at ...", "$3 per million tokens"),
"DM me if you want to collaborate", price-cut news ("cuts H100 prices", "英伟达限时降价"),
warnings about scams that name them ("beware of fake airdrop links"), hiring posts
("感兴趣的同学可以私信").

**The learned model** (``model``, :mod:`streams.ad_model`): phrase lists miss wording they
have not seen (rules alone: precision 1.00, recall 0.55 on a held-out set written after they
were frozen). Where the rules found promotional language or a contact handle but too little
to call an ad, a logistic regression over the words / Chinese characters around it and the
rule signals (:mod:`streams.ad_features`; trained by ``python -m streams.ad_train``) decides:
its probability maps onto the score so that its cutoff lands on 0.6, and when that score
reaches the threshold it replaces the rules' score and ``model`` joins the reasons. It never
flags a tweet in which the rules found no promotional evidence (real organic AI tweets are
full of links, hashtags and launch wording), and it is skipped by the ~85% of tweets without
any. Scores are cached per text (retweets repeat). Cross-validated on batches no rule was
written from: precision 0.95, recall 0.65 (tests/data/README.md).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from streams.ad_model import AdModel, default_model
from streams.campaigns import CampaignDetector, CampaignHit
from streams.model import AdVerdict, Tweet
from streams.taxonomy import PhraseMatcher, normalize_text

if TYPE_CHECKING:
    from streams.settings import Settings

STRONG, WEAK, EMOJI = 60, 30, 15
EXTRA_FAMILY, EXTRA_PHRASE, MAX_EXTRA_PHRASES = 30, 10, 30
WEIGHTS: Final[dict[str, int]] = {
    "contact": 30,
    "cashtag_stuffing": 30,
    "hashtag_stuffing": 25,
    "mention_stuffing": 25,
    "url_density": 20,
    "auto_client": 15,
    "ad_client": 60,
    "account_signals": 30,
    "campaign": 25,
}
# Every reason code, in the order reasons are listed in a verdict; with report labels (zh, en).
REASONS: Final[dict[str, tuple[str, str]]] = {
    "promo_phrase": ("推广话术", "promotional language"),
    "contact": ("站外联系方式", "off-platform contact handle"),
    "cashtag_stuffing": ("堆砌股票/代币符号", "cashtag stuffing"),
    "hashtag_stuffing": ("堆砌话题标签", "hashtag stuffing"),
    "mention_stuffing": ("堆砌@提及", "mention stuffing"),
    "url_density": ("链接过多或短链", "link density / shorteners"),
    "auto_client": ("自动发布工具", "auto-posting client"),
    "ad_client": ("广告投放工具", "advertising client"),
    "account_signals": ("可疑账号特征", "suspicious account"),
    "campaign": ("多账号同模板", "near-duplicate campaign"),
    "model": ("文本模型判定", "learned text model"),
}
# At most this many distinct (text, signals) model scores are kept (retweets repeat texts).
MODEL_CACHE_SIZE = 8192
MIN_CASHTAGS, MIN_HASHTAGS, MIN_MENTIONS, MIN_URLS = 3, 5, 5, 2
MAX_FOLLOWING_RATIO, THIN_ACCOUNT_FOLLOWERS, MAX_TWEETS_PER_DAY = 20, 50, 200

FAMILIES: Final = ("offer", "cta", "money", "urgency")
# Emoji that point at a deal; common in organic threads too ("thread below 👇"), so they count
# EMOJI points and add at most that much to another family.
EMOJI_CUES: Final[dict[str, tuple[str, ...]]] = {
    "offer": ("🎁",),
    "cta": ("👉", "👇"),
    "money": ("💰",),
}
# fmt: off
# Matched on normalized text (NFKC + casefold) with word boundaries at ASCII edges; Chinese
# phrases match anywhere. Keep each phrase in the family that says what it does.
STRONG_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "offer": (
        "free mint", "free followers", "buy followers", "real followers", "lifetime deal",
        "代充", "券后价", "下单链接", "一手货源", "淘口令", "手机淘宝", "量大从优",
    ),
    "cta": (
        "link in bio", "link in my bio", "links in bio", "link in profile", "check my bio",
        "dm me for", "dm us for", "sign up with my", "dm for promo", "dm for collab",
        "dm for price", "dm for prices", "claim your", "claim now", "claim here", "claim free",
        "claim it now", "buy now", "shop now",
        "order now", "grab yours", "grab it now", "get yours now", "drop your wallet",
        "join our telegram", "join my telegram", "join our vip", "join vip",
        "referral code", "referral link", "use my link", "use my code", "sign up with my link",
        "加微信", "加我微信", "加v信", "加vx", "加 vx", "加薇", "薇信", "私信领取", "点击领取",
        "免费领取", "评论区扣", "扣1", "详情私信", "私聊上车", "代理加盟", "招代理", "诚招代理",
        "广招", "招商加盟",
    ),
    "money": (
        "passive income", "guaranteed profit", "guaranteed profits", "guaranteed returns",
        "make money online", "earn money online", "make money while you sleep",
        "日赚", "躺赚", "稳赚", "稳赚不赔", "保本", "月入过万不是梦",
    ),
    "urgency": (),
}
WEAK_PHRASES: Final[dict[str, tuple[str, ...]]] = {
    "offer": (
        "giveaway", "giveaways", "giving away", "airdrop", "airdrops", "airdropping",
        "presale", "pre-sale", "whitelist", "lifetime access", "lifetime warranty",
        "discount", "discounts", "coupon", "coupons", "coupon code", "discount code", "promo",
        "promos", "free trial", "% off", "early-bird", "early bird", "black friday",
        "cyber monday", "flash sale", "buy cheap", "cheapest", "lowest price", "half price",
        "for just $", "only $", "prompt pack", "free guide", "free ebook", "reseller", "resell",
        "sponsored", "#ad", "#sponsored", "on sale", "normally $", "starting at $",
        "fast delivery", "instant delivery", "free webinar", "free masterclass", "masterclass",
        "free course", "free templates", "free toolkit", "no experience required",
        "no experience needed", "for sale", "price list", "white-label", "white label",
        "free credits", "free licenses", "free lifetime", "lifetime license", "lifetime licenses",
        "first week free", "first month free", "months free", "free picks", "free signals",
        "5-star reviews", "real reviews", "my gig", "fiverr", "course", "cohort", "bootcamp",
        "lessons", "coaching", "cheat sheet", "swipe file", "templates", "presets", "bundle",
        "lifetime updates", "money-back", "money back", "one-time", "free forever",
        "forever free", "free plan", "no credit card", "cancel anytime", "first issue free",
        "credits each", "paid newsletter", "private community", "vip", "happy clients",
        "proven results", "for your brand", "for your business", "accounts available",
        "serious offers", "selling my", "appsumo", "affiliate", "gift card", "gift cards",
        "stealth launch", "liquidity burned", "contract renounced", "#giveaway", "#airdrop",
        "#presale", "#affiliate",
        "优惠", "优惠券", "折扣", "福利", "空投", "抽奖", "抽送", "转发抽", "送代币", "低至",
        "特价",
        "秒杀", "包邮", "拼车", "共享账号", "独享账号", "包售后", "质保", "价格实惠", "原价",
        "立减", "买一送一", "买二送一", "代购", "代做", "代写", "出售", "转让", "不封号", "货源",
        "减肥", "瘦身", "互粉", "淘宝", "天猫", "微商", "分销", "加盟", "促销", "大促", "清仓",
        "让利", "抵用券", "代金券", "现金券", "注册就送", "注册即送", "注册送", "货到付款", "现货",
        "代付", "售后", "量大可谈", "比官方便宜", "中转", "免翻墙", "不用翻墙", "镜像站", "免费送",
        "送出", "抽取", "定制", "价格美丽", "当天交付", "发货", "全额退款", "内部版", "商用素材",
        "试用", "首月", "只要", "兑换码", "开奖", "早鸟价", "承接", "价格公道", "加急", "成色",
        "九新", "出二手", "面交", "仅剩", "训练营", "课程", "开通", "搞钱", "日入",
    ),
    "cta": (
        "dm me", "dm me now", "dm now", "to enter", "tag a friend",
        "tag 2 friends", "tag 3 friends", "tag your friends", "follow and rt", "follow + rt",
        "follow & rt", "rt and follow", "like, rt", "like and rt", "like & rt", "rt and tag",
        "follow me and", "and i'll dm", "i'll dm you", "and i'll send", "i'll send you",
        "sign up now", "register now", "register here", "enroll now", "enroll here",
        "join now", "subscribe today", "click the link", "check out my", "start your free trial",
        "try it free", "in bio", "in my bio", "grab it", "apply here",
        "book a call", "book a demo", "download now", "get started", "start now", "copy my trades",
        "dm us", "invite link", "upvote", "rt +", "rt this", "retweet this", "so i can dm you",
        "enrollment", "enroll", "apply now", "book your", "dm to book", "reply with",
        "comment below", "repost", "follow +", "try free", "click here", "link below",
        "don't fade", "connect wallet", "refer a friend", "refer friends", "refer 2 friends",
        "refer 3 friends", "refer 5 friends",
        "加v", "加 v", "加q", "加 q", "私信", "私聊", "扫码", "进群", "戳链接", "点击链接", "报名",
        "关注公众号", "回复", "详情看主页", "看主页", "免费试听", "上车", "转发此微博",
        "转发本条微博", "转发这条", "关注并转发", "关注转发", "关注+转发", "关注 + 转发",
        "转发+关注",
        "转发 + 关注", "转发+评论", "转发 + 评论", "@3位好友",
        "@三位好友", "@2位好友", "@两位好友", "店铺地址", "淘宝店", "淘宝搜", "微店", "进店",
        "询价", "赶紧来注册", "欲购从速", "速速", "v我", "私我", "滴滴我", "私聊我", "有需要的",
        "需要的老板", "需要的朋友", "立即体验", "点击下方链接", "下方链接", "下单", "私发",
        "主页链接", "欢迎咨询", "老板们", "有需要联系", "联系我", "详情见置顶", "见置顶",
        "扫码占位",
    ),
    "money": (
        "make money", "making money", "side hustle", "100x", "1000x", "50x", "win rate",
        "financial freedom", "your 9-5",
        "月入过万", "月入", "日结", "副业", "兼职", "返利", "提成", "被动收入", "变现", "月收益",
        "年化收益", "理财", "赚钱", "炒股", "包过", "get rich", "make people rich",
        "keep 100% of", "mrr", "money-making", "earn passive", "#passiveincome",
        "#makemoneyonline", "#sidehustle",
    ),
    "urgency": (
        "limited time", "limited-time", "limited offer", "limited-time offer", "last chance",
        "ends tonight", "ends at midnight", "ends today", "hurry", "don't miss", "act now",
        "today only", "this week only", "hours only", "before it closes",
        "before the price goes up", "limited seats", "limited spots", "spots left", "going fast",
        "price ends", "offer ends", "final hours", "last hours", "until monday",
        "until midnight", "after midnight", "prices increase", "slots open", "seats",
        "limited cohort", "snapshot", "ends soon", "仅限", "名额",
        "限时", "名额有限", "仅限今天", "先到先得", "最后一天", "手慢无", "数量有限", "错过不再",
    ),
}
# A tweet that warns about scams quotes their language ("scam DMs promising guaranteed
# returns"): with one of these, promotional language counts as one weak phrase at most. Spam's
# own reassurances ("not a scam", "100% legit") are offers and hide the "scam" inside them.
WARNING_PHRASES: Final = (
    "scam", "scams", "scammer", "scammers", "beware", "phishing", "report and block", "spam",
    "psa", "block and move on", "it's a bot",
    "诈骗", "骗局", "骗子", "警惕", "小心", "别上当", "智商税", "割韭菜",
)
REASSURANCES: Final = (
    "not a scam", "no scam", "not scam", "no spam", "100% legit", "绝对靠谱", "不是骗子",
)
AUTO_CLIENTS: Final = (
    "ifttt", "buffer", "dlvr.it", "hootsuite", "zapier", "socialbee", "socialpilot",
    "sprout social", "publer", "twittbot", "botize", "integromat", "sendible", "recurpost",
    "crowdfire", "make.com", "hypefury", "tweet hunter", "semrush", "zoho social", "socialdog",
    "socialflow", "revive social", "onlywire", "cloud campaign", "sprinklr", "jetpack",
    "later media", "latermedia", "n8n", "皮皮时光机", "未通过审核应用", "孔明社交管理",
)
AD_CLIENTS: Final = ("twitter for advertisers", "twitter ads", "x ads")
SHORTENERS: Final = (
    "bit.ly", "tinyurl.com", "t.ly", "goo.gl", "ow.ly", "is.gd", "buff.ly", "shorturl.at",
    "cutt.ly", "rebrand.ly", "tiny.cc", "rb.gy", "ift.tt", "dlvr.it", "s.id",
)
# Words after which a handle is a contact ("微信: abc123", "whatsapp +1 ..."): markers only.
CONTACT_WORDS: Final = (
    "微信", "vx", "v信", "wx", "weixin", "wechat", "薇信", "威信", "加v", "加 v", "加q", "加 q",
    "qq", "扣扣", "whatsapp", "telegram", "tg", "电话", "手机号", "联系方式", "t.me/", "v我",
)
# fmt: on

_Hit = tuple[str, int, bool]  # (family or "" for a marker, points, holds a contact word)
_SHORTENER: Final[_Hit] = ("", 0, False)
_CONTACT: Final[_Hit] = ("", 0, True)
_WARNING: Final[_Hit] = ("!", 0, False)
# On normalized text: NFKC has turned full-width ＃＄＠：into #$@:, and everything is casefolded.
_RETWEET_PREFIX = re.compile(r"rt @(\w{1,15}): ?")
_URL_RE = re.compile(r"https?://\S+")
_HASHTAG_RE = re.compile(r"(?<![\w&#])#(\w*[^\W\d]\w*)")
_CASHTAG_RE = re.compile(r"(?<![\w$])\$([a-z]{1,6}(?:[._][a-z]{1,2})?)(?!\w)")
_MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})")
# A promo code: "use code SAVE20", "promo code: AIWEEK", "优惠码 AI50" (case kept: codes are caps).
# Found from the word "code"/"码" outwards: a regex starting with 15 alternatives is slow.
_CODE_WORD = re.compile(r"(?i:code)|码")
_CODE_PREFIX = re.compile(
    r"(?i:promo|discount|coupon|use|using|my|with|apply|enter|referral|invite|redeem"
    r"|优惠|推广|邀请|折扣) ?$"
)
_CODE_TAIL = re.compile(r"\s*[:：]?\s*(?=[A-Z0-9_-]*[A-Z])[A-Z0-9][A-Z0-9_-]{2,15}\b")
# Money promises: "earn $300 a week", "$500/day", "turn $100 into" ("$20 per month" is a price).
_MONEY_RE = re.compile(
    r"(?:earn|earning|earned|make|making|made|turn|turned|get paid)\s+(?:up to\s+|over\s+)?\$\d"
    r"|\$\d[\d,.]*k?\+?\s*(?:/|a|per|every)\s*day\b"
)
# Scarcity: "only 200 codes left", "first 100 people", "前50名", "48 hours only".
_ONLY_LEFT_RE = re.compile(r"\bonly \d+[a-z]*(?: \w+)? (?:left|spots?|seats?|codes?|slots?)\b")
_FIRST_N_RE = re.compile(
    r"\bfirst \d+ (?:people|wallets|users|buyers|subscribers|followers|signups)\b"
)
_TOP_N_RE = re.compile(r"前\s?\d+\s?名")
_HOURS_ONLY_RE = re.compile(r"\d\s?(?:hours?|hrs?) only\b")
# "comment 'GPT' below", "reply \"SYSTEM\"", "DM 'BOT'": engagement bait for a lead magnet.
_QUOTED_CTA_RE = re.compile(r"\b(?:comment|reply|type|dm)\s+(?:with\s+)?[\"'‘“][\w ]{1,20}[\"'’”]")
_QUOTES = ("'", '"', "‘", "“")
_QUOTE_CUES = ("comment", "reply", "type", "dm")
# A price ("$29", "99 元", "29.9元") and a discount ("三折", "5 折": x0% of the price) are found
# from "$" / "元" / "折" backwards.
_DIGITS_ZH = frozenset("0123456789一二三四五六七八九")
_ASCII_DIGITS = frozenset("0123456789")
_CONTACT_RE = re.compile(
    r"(?:微信号?|vx|v信|v我|wx|weixin|wechat|薇信|威信|加 ?v|加 ?q|qq|扣扣|whatsapp|telegram|tg"
    r"|电话|手机号?|联系方式)(?:\s*[:：]\s*[a-z@][\w-]{4,}|\s*[:：]?\s*"
    r"(?:\+?\d[\d -]{6,}\d|\d{5,}|[a-z][a-z-]*[\d_][\w-]{2,}|@\w{4,}))"
    r"|t\.me/\w{3,}"
    r"|(?<!\d)1[3-9]\d{9}(?!\d)"
)
_SECONDS_PER_DAY = 86_400.0


def _phrase_table() -> dict[str, _Hit]:
    """normalized phrase → (family, points, holds a contact word); markers for shortener links
    and contact words (a phrase such as "加微信" hides the "微信" inside it, so it carries the
    contact flag itself)."""
    contact_words = [normalize_text(word) for word in CONTACT_WORDS]
    table: dict[str, _Hit] = {}
    for domain in SHORTENERS:
        table[f"{domain}/"] = _SHORTENER
    for word in contact_words:
        table[word] = _CONTACT
    for phrase in WARNING_PHRASES:
        table[normalize_text(phrase)] = _WARNING
    for phrase in REASSURANCES:
        table[normalize_text(phrase)] = ("offer", WEAK, False)
    for weight, families in ((EMOJI, EMOJI_CUES), (WEAK, WEAK_PHRASES), (STRONG, STRONG_PHRASES)):
        for family, phrases in families.items():
            for phrase in phrases:
                norm = normalize_text(phrase)
                table[norm] = (family, weight, any(word in norm for word in contact_words))
    return table


@dataclass(frozen=True, slots=True)
class RuleResult:
    """What the rules found: ``points`` (no campaign), ``reasons`` (in :data:`REASONS` order),
    ``signals`` for the model (:mod:`streams.ad_features`), and the normalized ``text`` judged
    (a retweet's "rt @user:" prefix removed)."""

    points: int
    reasons: tuple[str, ...]
    signals: tuple[str, ...]
    text: str


class AdClassifier:
    """Scores tweets for advertising/spam.

    Without a ``detector`` it is pure, stateless and thread-safe. With a
    :class:`~streams.campaigns.CampaignDetector` it feeds the detector every tweet that a
    campaign hit could turn into an ad (its other signals score at least ``threshold`` minus
    the campaign weight; the ~90% of tweets with no signal at all never could, and skip the
    fingerprint) and adds ``campaign`` to the verdicts of the hits; it is then stateful: use
    one per agent, and classify each tweet once (deduplicate first).
    """

    def __init__(
        self,
        threshold: float = 0.6,
        detector: CampaignDetector | None = None,
        *,
        use_model: bool = True,
        model: AdModel | None = None,
    ) -> None:
        if not 0 < threshold <= 1:
            msg = f"ad threshold must be in (0, 1]; got {threshold!r}"
            raise ValueError(msg)
        self.threshold = threshold
        self.detector = detector
        self.model = (model or default_model()) if use_model else None
        self._campaign_gate = round(threshold * 100) - WEIGHTS["campaign"]
        self._matcher = PhraseMatcher(_phrase_table())
        self._model_cache: dict[tuple[str, tuple[str, ...]], float] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> AdClassifier:
        """``TWEETPULSE_AD_THRESHOLD``, with a fresh campaign detector unless
        ``TWEETPULSE_CAMPAIGN_DETECTION`` is off."""
        return cls(settings.ad_threshold, detector=CampaignDetector.from_settings(settings))

    def classify(self, tweet: Tweet, campaign: CampaignHit | None = None) -> AdVerdict:
        """Score ``tweet``; ``reasons`` lists the signals that fired, in :data:`REASONS` order.

        ``campaign`` is a hit from a detector run by the caller; when it is None and the
        classifier has its own detector, that detector decides (see the class docstring).
        """
        rules = self.rules(tweet)
        points = rules.points
        reasons = list(rules.reasons)
        if campaign is None and self.detector is not None and points >= self._campaign_gate:
            campaign = self.detector.observe(tweet)
        if campaign is not None:
            points += WEIGHTS["campaign"]
            reasons.append("campaign")
        score = min(points, 100) / 100
        if self.model is not None and score < self.threshold and self.model_gate(rules):
            model_score = self._model_score(rules, tweet.text)
            if model_score >= self.threshold:
                score = model_score
                reasons.append("model")
        return _verdict(score, score >= self.threshold, tuple(reasons))

    def rules(self, tweet: Tweet) -> RuleResult:
        """What the rules find in ``tweet`` (no campaign, no model): points, reasons, and the
        signals the model sees."""
        text = normalize_text(tweet.text)  # shared (cached) with the tagger
        retweeted = ""
        if text.startswith("rt @"):
            prefix = _RETWEET_PREFIX.match(text)
            if prefix:
                retweeted = prefix.group(1)
                text = text[prefix.end() :]
        points = 0
        reasons: list[str] = []
        signals: list[str] = []

        hits = self._matcher.scan(text)
        promo, shortener, contact_word, best, warning = _promo_points(hits, tweet.text, text)
        if promo:
            points += promo
            reasons.append("promo_phrase")
            signals += [f"{family}{weight}" for family, weight in best.items()]
            signals.append(f"promo{min(promo, 60)}")
        if warning:
            signals.append("warning")
        if contact_word and _CONTACT_RE.search(text):
            points += WEIGHTS["contact"]
            reasons.append("contact")
        if _count_cashtags(tweet, text) >= MIN_CASHTAGS:
            points += WEIGHTS["cashtag_stuffing"]
            reasons.append("cashtag_stuffing")
        if _count_hashtags(tweet, text) >= MIN_HASHTAGS:
            points += WEIGHTS["hashtag_stuffing"]
            reasons.append("hashtag_stuffing")
        if _count_mentions(tweet, text, retweeted) >= MIN_MENTIONS:
            points += WEIGHTS["mention_stuffing"]
            reasons.append("mention_stuffing")
        if _count_urls(tweet, text) >= MIN_URLS or (shortener and promo):
            points += WEIGHTS["url_density"]
            reasons.append("url_density")
        if shortener:
            signals.append("shortener")
        # The client and the account of a retweet are the retweeter's, not the spread text's.
        client = "" if retweeted else _client_kind(tweet.source)
        if client:
            points += WEIGHTS[client]
            reasons.append(client)
        if not retweeted and _thin_or_hyperactive(tweet):
            points += WEIGHTS["account_signals"]
            reasons.append("account_signals")
        signals += [r for r in reasons if r != "promo_phrase"]
        return RuleResult(points, tuple(reasons), tuple(signals), text)

    @staticmethod
    def model_gate(rules: RuleResult) -> bool:
        """Whether the model is consulted: only on promotional language or a contact handle
        the rules found (too weak alone). The model weighs the wording around that evidence;
        it never flags a tweet without any (real organic AI tweets are full of links,
        hashtags and launch wording that our fixtures cannot cover), and ~85% of tweets
        skip it."""
        return "promo_phrase" in rules.reasons or "contact" in rules.reasons

    def _model_score(self, rules: RuleResult, raw: str) -> float:
        """The model's score (see :meth:`AdModel.score`), cached per (text, signals)."""
        assert self.model is not None
        key = (raw, rules.signals)
        cached = self._model_cache.get(key)
        if cached is None:
            if len(self._model_cache) >= MODEL_CACHE_SIZE:
                self._model_cache.clear()
            probability = self.model.probability_of(rules.text, raw, rules.signals)
            # in whole points, like the rules' scores (and so few distinct verdicts exist)
            cached = math.floor(self.model.score(probability) * 100) / 100
            self._model_cache[key] = cached
        return cached


def _promo_points(
    hits: list[_Hit], raw: str, text: str
) -> tuple[int, bool, bool, dict[str, int], bool]:
    """Points of the promotional language in ``text`` (normalized; ``raw`` for promo codes),
    whether a shortener link and a contact word occur, the best weight per family, and
    whether a scam warning occurs."""
    best: dict[str, int] = {}
    phrases = 0
    shortener = contact = warning = False
    for family, weight, has_contact in hits:
        contact = contact or has_contact
        if not family:
            shortener = shortener or not has_contact
            continue
        if family == "!":
            warning = True
            continue
        phrases += 1
        if weight > best.get(family, 0):
            best[family] = weight
    # Patterns the phrase table cannot hold; each only runs when its cue is in the text.
    if ("code" in text or "码" in text) and _has_promo_code(raw):
        phrases += 1
        best["cta"] = STRONG
    money_claim = "$" in text and _MONEY_RE.search(text) is not None
    if money_claim:
        phrases += 1
        best["money"] = max(best.get("money", 0), WEAK)
    if ("only" in text or "first " in text or "前" in text) and _scarcity(text):
        phrases += 1
        best["urgency"] = max(best.get("urgency", 0), WEAK)
    if (
        any(q in text for q in _QUOTES)
        and any(cue in text for cue in _QUOTE_CUES)
        and _QUOTED_CTA_RE.search(text)
    ):
        phrases += 1
        best["cta"] = max(best.get("cta", 0), WEAK)
    if not money_claim and (
        _dollar_amount(text) or _after_digit(text, "元") or _after_digit(text, "块钱")
    ):
        phrases += 1  # (the amount of a money claim is no price)
        best["offer"] = max(best.get("offer", 0), WEAK)
    if _after_digit(text, "折", _DIGITS_ZH):
        phrases += 1
        best["offer"] = max(best.get("offer", 0), WEAK)
    if not best:
        return 0, shortener, contact, best, warning
    ranked = sorted(best.values(), reverse=True)
    points = ranked[0] + sum(min(EXTRA_FAMILY, weight) for weight in ranked[1:])
    # every further phrase within a family: ads pile up cues, organic text rarely does
    points += min(EXTRA_PHRASE * (phrases - len(best)), MAX_EXTRA_PHRASES)
    if warning:
        points = min(points, WEAK)
    return points, shortener, contact, best, warning


def _has_promo_code(raw: str) -> bool:
    for word in _CODE_WORD.finditer(raw):
        start = word.start()
        if _CODE_PREFIX.search(raw, max(0, start - 10), start) and _CODE_TAIL.match(
            raw, word.end()
        ):
            return True
    return False


def _scarcity(text: str) -> bool:
    if "only" in text and (
        _ONLY_LEFT_RE.search(text) or ("h" in text and _HOURS_ONLY_RE.search(text))
    ):
        return True
    if "first " in text and _FIRST_N_RE.search(text):
        return True
    return "前" in text and _TOP_N_RE.search(text) is not None


def _dollar_amount(text: str) -> bool:
    """Whether a "$" is followed by a digit ("$29"; "$NVDA" is a cashtag)."""
    at = text.find("$")
    while at != -1:
        if text[at + 1 : at + 2] in _ASCII_DIGITS:
            return True
        at = text.find("$", at + 1)
    return False


def _after_digit(text: str, word: str, digits: frozenset[str] = _ASCII_DIGITS) -> bool:
    """Whether ``word`` occurs right after a digit (one space allowed): "99元", "5 折"."""
    at = text.find(word)
    while at > 0:
        before = text[at - 1]
        if before == " " and at > 1:
            before = text[at - 2]
        if before in digits:
            return True
        at = text.find(word, at + 1)
    return False


_VERDICTS: dict[tuple[float, bool, tuple[str, ...]], AdVerdict] = {}


def _verdict(score: float, is_ad: bool, reasons: tuple[str, ...]) -> AdVerdict:
    """AdVerdicts are immutable and few distinct ones exist: build each once."""
    key = (score, is_ad, reasons)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        verdict = _VERDICTS[key] = AdVerdict(score=score, is_ad=is_ad, reasons=reasons)
    return verdict


def _count_cashtags(tweet: Tweet, text: str) -> int:
    if len(tweet.cashtags) < MIN_CASHTAGS and text.count("$") < MIN_CASHTAGS:
        return 0
    in_text = set(_CASHTAG_RE.findall(text))
    return max(len(in_text), len({t.lstrip("$").casefold() for t in tweet.cashtags}))


def _count_hashtags(tweet: Tweet, text: str) -> int:
    if len(tweet.hashtags) < MIN_HASHTAGS and text.count("#") < MIN_HASHTAGS:
        return 0
    in_text = set(_HASHTAG_RE.findall(text))
    return max(len(in_text), len({t.lstrip("#").casefold() for t in tweet.hashtags}))


def _count_mentions(tweet: Tweet, text: str, retweeted: str) -> int:
    if len(tweet.mentions) < MIN_MENTIONS and text.count("@") < MIN_MENTIONS:
        return 0
    in_text = set(_MENTION_RE.findall(text))
    entities = {m.lstrip("@").casefold() for m in tweet.mentions}
    entities.discard(retweeted)
    return max(len(in_text), len(entities))


def _count_urls(tweet: Tweet, text: str) -> int:
    if len(tweet.urls) < MIN_URLS and text.count("http") < MIN_URLS:
        return 0
    return max(len(set(_URL_RE.findall(text))), len(set(tweet.urls)))


_CLIENT_KINDS: dict[str, str] = {}


def _client_kind(source: str | None) -> str:
    """The kind of a posting client ("ad_client", "auto_client" or ""), cached per name."""
    if not source:
        return ""
    kind = _CLIENT_KINDS.get(source)
    if kind is None:
        name = source.casefold()
        if any(client == name or name.startswith(client + " ") for client in AD_CLIENTS):
            kind = "ad_client"
        elif any(client in name for client in AUTO_CLIENTS) or name.endswith("bot"):
            kind = "auto_client"
        else:
            kind = ""
        if len(_CLIENT_KINDS) < 10_000:
            _CLIENT_KINDS[source] = kind
    return kind


def _thin_or_hyperactive(tweet: Tweet) -> bool:
    author = tweet.author
    followers, following = author.followers_count, author.following_count
    if (
        followers is not None
        and following is not None
        and followers < THIN_ACCOUNT_FOLLOWERS
        and following > MAX_FOLLOWING_RATIO * max(followers, 1)
    ):
        return True
    if author.tweet_count is not None and author.created_at is not None:
        age_days = (tweet.created_at - author.created_at).total_seconds() / _SECONDS_PER_DAY
        return author.tweet_count / max(age_days, 1.0) > MAX_TWEETS_PER_DAY
    return False
