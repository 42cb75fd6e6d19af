"""Baseline ad/spam classifier (pure): weighted signals → score in [0, 1] → verdict.

Every signal that fires adds its points (out of 100) and its reason code:

================  ======  ==================================================================
reason            points  fires when
================  ======  ==================================================================
promo_phrase      30–75   promotional language / calls to action, EN + ZH: a *strong* phrase
                          ("airdrop", "promo code", "加微信") is 60, a *weak* one ("discount",
                          "私信", "100x") 30; two or more distinct phrases add 15
cashtag_stuffing  30      ≥ 3 distinct cashtags
hashtag_stuffing  30      ≥ 5 distinct hashtags
mention_stuffing  25      ≥ 5 distinct mentions (a retweet's "RT @user" does not count)
url_density       20      ≥ 2 URLs, or a link shortener (bit.ly, tinyurl ...) with a promo phrase
auto_client       15      posted by an auto-poster (IFTTT, Buffer, dlvr.it, Hootsuite ...)
account_signals   30      followers < 50 and following > 20 × followers, or > 200 tweets/day
================  ======  ==================================================================

``is_ad`` is ``score >= threshold`` (default 0.6): one strong phrase is enough, weaker signals
need company, and automation or a thin account alone never is. A retweet is judged by the text it
spreads ("RT @user: " is stripped). Hard negatives that must stay organic: launch posts with a
link ("try it at ..."), "DM me if you want to collaborate", price-cut news ("cuts H100 prices").
"""

from __future__ import annotations

import re

from streams.model import AdVerdict, Tweet
from streams.taxonomy import PhraseMatcher, normalize_text

STRONG, WEAK = 60, 30
MULTI_PHRASE_BONUS = 15
WEIGHTS: dict[str, int] = {
    "cashtag_stuffing": 30,
    "hashtag_stuffing": 30,
    "mention_stuffing": 25,
    "url_density": 20,
    "auto_client": 15,
    "account_signals": 30,
}
MIN_CASHTAGS, MIN_HASHTAGS, MIN_MENTIONS, MIN_URLS = 3, 5, 5, 2
MAX_FOLLOWING_RATIO, THIN_ACCOUNT_FOLLOWERS, MAX_TWEETS_PER_DAY = 20, 50, 200

# fmt: off
# Matched on normalized text (NFKC + casefold) with word boundaries at ASCII edges.
STRONG_PHRASES = (
    "giveaway", "giveaways", "airdrop", "airdrops", "presale", "pre-sale", "free mint",
    "discount code", "coupon", "coupons", "coupon code", "promo code", "use code", "use my code",
    "referral code", "referral link", "link in bio", "link in my bio", "dm me for",
    "dm for promo", "dm for collab", "limited offer", "limited-time offer", "limited time offer",
    "claim your", "claim now", "buy now", "shop now", "order now", "passive income",
    "guaranteed profit", "guaranteed returns", "make money online", "earn money online",
    "join my telegram", "join our telegram", "join our discord for",
    "加微信", "加v", "加vx", "加我微信", "薇信", "免费领取", "返利", "兼职", "招代理", "诚招代理",
    "代理加盟", "日赚", "躺赚", "稳赚", "私信领取", "优惠券", "折扣码", "推广码", "包邮", "薅羊毛",
    "点击领取",
)
WEAK_PHRASES = (
    "discount", "discounts", "referral", "whitelist", "100x", "1000x", "% off", "sign up now",
    "don't miss", "join now", "free trial", "sponsored", "#ad", "promo", "dm me", "act now",
    "私信", "优惠", "推广", "折扣", "限时", "福利", "扫码", "进群", "秒杀", "点击链接",
)
AUTO_CLIENTS = (
    "ifttt", "buffer", "dlvr.it", "hootsuite", "zapier", "socialbee", "socialpilot",
    "sprout social", "publer", "twittbot", "botize", "integromat", "sendible", "recurpost",
    "crowdfire", "make.com",
)
SHORTENERS = (
    "bit.ly", "tinyurl.com", "t.ly", "goo.gl", "ow.ly", "is.gd", "buff.ly", "shorturl.at",
    "cutt.ly", "rebrand.ly", "tiny.cc", "rb.gy", "ift.tt", "dlvr.it", "s.id",
)
# fmt: on

_SHORTENER = "__shortener__"
# On normalized text: NFKC has turned full-width ＃＄＠ into #$@, and everything is casefolded.
_RETWEET_PREFIX = re.compile(r"rt @(\w{1,15}): ?")
_URL_RE = re.compile(r"https?://\S+")
_HASHTAG_RE = re.compile(r"(?<![\w&#])#(\w*[^\W\d]\w*)")
_CASHTAG_RE = re.compile(r"(?<![\w$])\$([a-z]{1,6}(?:[._][a-z]{1,2})?)(?!\w)")
_MENTION_RE = re.compile(r"(?<![\w@])@(\w{1,15})")
_SECONDS_PER_DAY = 86_400.0


def _phrase_table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for phrase in WEAK_PHRASES:
        table[normalize_text(phrase)] = (phrase, WEAK)
    for phrase in STRONG_PHRASES:
        table[normalize_text(phrase)] = (phrase, STRONG)
    for domain in SHORTENERS:
        table[f"{domain}/"] = (_SHORTENER, 0)
    return table


class AdClassifier:
    """Scores tweets for advertising/spam. Pure, stateless and thread-safe."""

    def __init__(self, threshold: float = 0.6) -> None:
        if not 0 < threshold <= 1:
            msg = f"ad threshold must be in (0, 1]; got {threshold!r}"
            raise ValueError(msg)
        self.threshold = threshold
        self._matcher = PhraseMatcher(_phrase_table())

    def classify(self, tweet: Tweet) -> AdVerdict:
        """Score ``tweet``; ``reasons`` lists the signals that fired, in a fixed order."""
        text = normalize_text(tweet.text)  # shared (cached) with the tagger
        retweeted = ""
        if text.startswith("rt @"):
            prefix = _RETWEET_PREFIX.match(text)
            if prefix:
                retweeted = prefix.group(1)
                text = text[prefix.end() :]
        points = 0
        reasons: list[str] = []

        phrases, shortener = self._phrases(text)
        if phrases:
            best = max(weight for _, weight in phrases)
            bonus = MULTI_PHRASE_BONUS if len(phrases) > 1 else 0
            points += best + bonus
            reasons.append("promo_phrase")
        if _count_cashtags(tweet, text) >= MIN_CASHTAGS:
            points += WEIGHTS["cashtag_stuffing"]
            reasons.append("cashtag_stuffing")
        if _count_hashtags(tweet, text) >= MIN_HASHTAGS:
            points += WEIGHTS["hashtag_stuffing"]
            reasons.append("hashtag_stuffing")
        if _count_mentions(tweet, text, retweeted) >= MIN_MENTIONS:
            points += WEIGHTS["mention_stuffing"]
            reasons.append("mention_stuffing")
        if _count_urls(tweet, text) >= MIN_URLS or (shortener and phrases):
            points += WEIGHTS["url_density"]
            reasons.append("url_density")
        if _auto_client(tweet.source):
            points += WEIGHTS["auto_client"]
            reasons.append("auto_client")
        if _thin_or_hyperactive(tweet):
            points += WEIGHTS["account_signals"]
            reasons.append("account_signals")

        score = min(points, 100) / 100
        return _verdict(score, score >= self.threshold, tuple(reasons))

    def _phrases(self, text: str) -> tuple[list[tuple[str, int]], bool]:
        """Distinct promo phrases in normalized ``text`` ("dm me" inside "dm me for" does not
        count twice), and whether a shortener link occurs."""
        found: dict[str, int] = {}
        shortener = False
        for phrase, weight in self._matcher.scan(text):
            if phrase == _SHORTENER:
                shortener = True
            else:
                found[phrase] = weight
        return list(found.items()), shortener


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


def _auto_client(source: str | None) -> bool:
    if not source:
        return False
    name = source.casefold()
    return any(client in name for client in AUTO_CLIENTS)


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
