"""The baseline ad/spam classifier: each signal, its weight, combinations and hard negatives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from streams.ads import AdClassifier
from streams.model import AdVerdict, Author, Tweet

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


def tweet(text: str, **fields: object) -> Tweet:
    return Tweet(id="1", text=text, created_at=T0, **fields)


@pytest.fixture(scope="module")
def clf() -> AdClassifier:
    return AdClassifier()


@pytest.mark.parametrize(
    ("text", "fields", "score", "reasons"),
    [
        # promo_phrase: a strong phrase alone is an ad, a weak one is not
        ("Huge giveaway this week, follow to enter", {}, 0.6, ("promo_phrase",)),
        ("Airdrop is live for early users", {}, 0.6, ("promo_phrase",)),
        ("Use code SAVE20 at checkout", {}, 0.6, ("promo_phrase",)),
        ("Link in bio for the full guide", {}, 0.6, ("promo_phrase",)),
        ("DM me for rates", {}, 0.6, ("promo_phrase",)),
        ("Free mint opens at noon", {}, 0.6, ("promo_phrase",)),
        ("加微信领取资料", {}, 0.6, ("promo_phrase",)),
        ("AI写作兼职，加V了解", {}, 0.75, ("promo_phrase",)),  # two strong phrases
        ("诚招代理", {}, 0.6, ("promo_phrase",)),
        ("ＧＩＶＥＡＷＡＹ time", {}, 0.6, ("promo_phrase",)),  # full-width
        ("Student discount on the course", {}, 0.3, ("promo_phrase",)),
        ("限时优惠", {}, 0.45, ("promo_phrase",)),  # two weak phrases
        ("Giveaway with a discount", {}, 0.75, ("promo_phrase",)),
        ("DM me for details", {}, 0.6, ("promo_phrase",)),  # "dm me" inside "dm me for": once
        # cashtag / hashtag / mention stuffing
        ("$NVDA $AMD $TSM all moving", {}, 0.3, ("cashtag_stuffing",)),
        ("$NVDA $AMD up", {}, 0.0, ()),
        ("nothing", {"cashtags": ("NVDA", "AMD", "TSM")}, 0.3, ("cashtag_stuffing",)),
        ("#ai #ml #llm #rag #gpu", {}, 0.3, ("hashtag_stuffing",)),
        ("#ai #ml #llm #rag #2025", {}, 0.0, ()),  # a number is not a hashtag
        ("#ai #AI #Ai #aI #ai", {}, 0.0, ()),  # one tag, five times
        ("@a @b @c @d @e hello", {}, 0.25, ("mention_stuffing",)),
        ("@a @b @c @d hello", {}, 0.0, ()),
        # url_density: two links, or a shortener together with promo language
        ("read https://a.example/x and https://b.example/y", {}, 0.2, ("url_density",)),
        ("one link https://a.example/x", {}, 0.0, ()),
        ("two links", {"urls": ("https://a.example", "https://b.example")}, 0.2, ("url_density",)),
        ("special promo at bit.ly/3abc", {}, 0.5, ("promo_phrase", "url_density")),
        ("slides at bit.ly/3abc", {}, 0.0, ()),
        # auto_client and account_signals are weak on their own
        ("hello", {"source": "IFTTT"}, 0.15, ("auto_client",)),
        ("hello", {"source": "Hootsuite Inc."}, 0.15, ("auto_client",)),
        ("hello", {"source": "Twitter for iPhone"}, 0.0, ()),
        ("hello", {"author": THIN}, 0.3, ("account_signals",)),
        ("hello", {"author": BUSY}, 0.3, ("account_signals",)),
        ("hello", {"author": NORMAL}, 0.0, ()),
        ("hello", {"author": Author(followers_count=0, following_count=15)}, 0.0, ()),
        # weak signals together cross the line
        ("Promo for you", {"author": THIN}, 0.6, ("promo_phrase", "account_signals")),
        (
            "#a #b #c #d #e $X $Y $Z",
            {"source": "dlvr.it"},
            0.75,
            ("cashtag_stuffing", "hashtag_stuffing", "auto_client"),
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
def test_signals(
    clf: AdClassifier,
    text: str,
    fields: dict[str, object],
    score: float,
    reasons: tuple[str, ...],
) -> None:
    verdict = clf.classify(tweet(text, **fields))
    assert verdict == AdVerdict(score=score, is_ad=score >= 0.6, reasons=reasons)


@pytest.mark.parametrize(
    "text",
    [
        "We're releasing Gemini 2.0 today, try it at https://ai.dev and read more at "
        "https://blog.google/gemini",
        "DM me if you want to collaborate on RAG evals",
        "Nvidia cuts H100 prices by 20%",
        "Nvidia is offering a discount on H100 systems to cloud partners",
        "Inference just got 100x cheaper",
        "We're hiring! Free trial of our eval tool for every applicant",
        "A promotional video for the launch",  # "promo" only as a whole word
        "欢迎私信交流智能体评测",
        "英伟达限时降价，云厂商受益",
        "AI 代理支付与稳定币",  # 代理 (agent) is not a promo word
        "$NVDA $AMD $TSM after the export news",
    ],
)
def test_hard_negatives_stay_organic(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text, source="Twitter Web App", author=NORMAL))
    assert not verdict.is_ad, verdict


def test_retweet_is_judged_by_the_text_it_spreads(clf: AdClassifier) -> None:
    ad = clf.classify(tweet("RT @promoking: Giveaway! Follow to enter"))
    assert ad.is_ad
    assert ad.reasons == ("promo_phrase",)
    # the retweeted account is not one of the spread text's mentions
    rt = tweet(
        "RT @lenakovacs42: thanks @a @b @c @d",
        mentions=("lenakovacs42", "a", "b", "c", "d"),
        references=[{"type": "retweeted", "id": "2"}],
    )
    assert clf.classify(rt) == AdVerdict(score=0.0, is_ad=False, reasons=())


def test_threshold(clf: AdClassifier) -> None:
    weak = tweet("Student discount on the course")
    assert not clf.classify(weak).is_ad
    assert AdClassifier(threshold=0.3).classify(weak).is_ad
    assert AdClassifier(threshold=1.0).classify(weak).score == 0.3
    for bad in (0.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="threshold"):
            AdClassifier(threshold=bad)


def test_verdicts_are_stable(clf: AdClassifier) -> None:
    t = tweet("Giveaway", source="IFTTT")
    assert (
        clf.classify(t)
        == clf.classify(t)
        == AdVerdict(score=0.75, is_ad=True, reasons=("promo_phrase", "auto_client"))
    )
