"""Near-duplicate campaign detection: fingerprints, accounts, windows, retweets, memory bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from producers.synthetic import generate_day
from streams.ads import AdClassifier
from streams.campaigns import (
    CampaignDetector,
    CampaignHit,
    feature_hash,
    hamming,
    python_simhash,
    simhash,
    template_features,
)
from streams.model import Author, Reference, Tweet
from streams.settings import Settings
from tests.native_build import built

T0 = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)
TEMPLATE = (
    "🚀 ${ticker} presale is LIVE! 100x potential, AI agent narrative. Claim your allocation "
    "now 👉 {link} #crypto #airdrop"
)
PROMO_ZH = "诚招代理！AI写作副业，日赚{n}+，加微信 {wx} 了解，名额有限先到先得"
ORIGINAL = (
    "We trained a 7B model on synthetic reasoning traces and it matches much larger models on "
    "grade-school math. Paper and code are out today."
)


def post(text: str, account: str | None, minutes: float = 0, **fields: object) -> Tweet:
    author = Author(id=account, username=account) if account else Author()
    created = T0 + timedelta(minutes=minutes)
    return Tweet(id="1", text=text, created_at=created, author=author, **fields)


def variant(i: int) -> str:
    return TEMPLATE.format(
        ticker=("ZEN", "MOON", "GPTX", "NOVA", "APEAI")[i % 5], link=f"https://bit.ly/q{i}x"
    )


# --- fingerprints --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        # what varies between a campaign's posts is folded away: links, tickers, codes, ids
        (variant(0), variant(1), True),
        (PROMO_ZH.format(n=500, wx="abc123"), PROMO_ZH.format(n=800, wx="zz_99x"), True),
        (
            "Use code SAVE20 for 20% off the prompt course, ends tonight https://x.co/1",
            "Use code AI55 for 55% off the prompt course, ends tonight https://x.co/2",
            True,
        ),
        # mentions and a retweet prefix are no part of the template
        ("@alice @bob " + ORIGINAL, ORIGINAL, True),
        ("RT @labnews: " + ORIGINAL, ORIGINAL, True),
        # full-width and case differences normalize away
        (
            "ＧＩＶＥＡＷＡＹ time! Follow and retweet to win three ChatGPT Plus accounts today",
            "giveaway TIME! follow and retweet to win three chatgpt plus accounts today",
            True,
        ),
        # different texts are far apart
        (variant(0), ORIGINAL, False),
        (
            PROMO_ZH.format(n=500, wx="abc123"),
            "今天读了一篇关于思维链蒸馏的论文，小模型也能学会多步推理",
            False,
        ),
        (
            "Nvidia cuts H100 prices by 20 percent for cloud partners starting next month",
            "Google releases Gemini 2 with a much longer context window for developers",
            False,
        ),
    ],
)
def test_near_duplicates_share_a_fingerprint(a: str, b: str, near: bool) -> None:
    fa, fb = simhash(a), simhash(b)
    assert fa is not None and fb is not None
    if near:
        assert hamming(fa, fb) <= 3
    else:
        assert hamming(fa, fb) > 10


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("RT @x: Hello, World! https://t.co/a @bob $NVDA #AI", ["hello", "world", "ai"]),
        ("save20 at 3pm", ["0", "at", "0"]),
        ("加微信 abc123 了解", ["加微", "微信", "0", "了解"]),  # CJK: pairs of characters
        ("加微信abc123", ["加微", "微信", "信a", "ab", "bc", "c0"]),
        ("🚀 bit.ly/x t.me/y ok", ["🚀", "ok"]),
    ],
)
def test_template_features(text: str, units: list[str]) -> None:
    assert template_features(text) == units


@pytest.mark.parametrize(
    "text", ["congrats!", "Thanks for sharing this", "哈哈哈", "https://t.co/x"]
)
def test_short_texts_have_no_fingerprint(text: str) -> None:
    assert simhash(text) is None


@pytest.mark.parametrize(
    ("feature", "expected"),
    [
        # FNV-1a 64 of the UTF-8 bytes (offset basis for b""; 0xaf63dc4c8601ec8c for b"a",
        # the published test vectors), then MurmurHash3's fmix64
        ("", 0xCBF29CE484222325),
        ("a", 0xAF63DC4C8601EC8C),
    ],
)
def test_feature_hash_is_fnv1a_then_fmix64(feature: str, expected: int) -> None:
    mask = (1 << 64) - 1
    h = expected
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & mask
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & mask
    assert feature_hash(feature) == h ^ (h >> 33)


@pytest.mark.parametrize(
    "text",
    [
        variant(0),
        PROMO_ZH.format(n=500, wx="abc123"),
        ORIGINAL,
        "RT @labnews: " + ORIGINAL,
        "加微信abc123 了解一下这个副业项目，每天两小时，月入过万不是梦 😀 #兼职#",
    ],
)
def test_a_fingerprint_bit_is_the_majority_of_the_features_bits(text: str) -> None:
    features = template_features(text)
    hashes = [feature_hash(f) for f in features]
    majority = sum(
        1 << bit for bit in range(64) if sum(h >> bit & 1 for h in hashes) > len(hashes) // 2
    )
    assert python_simhash(text) == majority
    assert simhash(text) == majority  # the C extension's too, in a compiled build


def _native_fingerprint() -> Callable[[str, int], int | None]:
    from streams import campaigns

    return built(campaigns._native_fingerprint, "the C SimHash")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "a b c d e f g h i j",
        "x" * 500,  # one long word
        " ".join(f"w{i}" for i in range(100)),  # words with digits: all "0"
        " ".join(f"word{chr(97 + i % 26)}x" for i in range(60)),  # past MAX_FEATURES
        "中" * 300,  # one CJK run past the 240 characters looked at
        "ok\u3000全角空格\u00a0不换行空格\u2028行分隔 tab\there",  # Unicode whitespace
        "...!!! ??? ((())) -- @@ $$ http www.x.com/y bit.ly/z",  # punctuation, skipped tokens
        "2023年12月31日 价格99.9元 编号007 电话400-800-1234",  # digit runs fold to one 0
        "𠀀𠀁 emoji 😀👍 mixed 中文abc混合 \ud83d lone surrogate",
        "rt @someone: after the prefix the template starts here with enough words to count",
    ],
)
def test_c_fingerprint_equals_python(text: str) -> None:
    fingerprint = _native_fingerprint()
    from streams.campaigns import _template_text

    for min_features in (1, 8):
        assert fingerprint(_template_text(text), min_features) == python_simhash(text, min_features)


def test_c_fingerprint_equals_python_on_the_bench_corpora() -> None:
    """Every text of the bench corpora (54,404: AI tweets in many languages, English spam,
    Weibo posts) has the same fingerprint in C and in Python."""
    fingerprint = _native_fingerprint()
    from streams.campaigns import _template_text
    from tests.bench.ads import CORPUS_FILES
    from tests.shared_data import require

    texts = 0
    for _, relative, reader in CORPUS_FILES:
        for tweet in reader(require(f"corpora/{relative}")):
            texts += 1
            c = fingerprint(_template_text(tweet.text), 8)
            assert c == python_simhash(tweet.text, 8), tweet.text
    assert texts > 50_000


# --- the detector --------------------------------------------------------------------------------
def test_a_template_posted_by_many_accounts_is_a_campaign() -> None:
    det = CampaignDetector(min_accounts=5)
    hits = [det.observe(post(variant(i), f"bot{i}", minutes=i)) for i in range(8)]
    assert hits[:4] == [None] * 4  # a stream cannot look back: the first four are not hits
    assert all(hit is not None for hit in hits[4:])
    last = hits[-1]
    assert last is not None
    assert (last.accounts, last.posts, last.first_seen) == (8, 8, T0)
    assert len({hit.fingerprint for hit in hits[4:] if hit}) == 1
    assert det.groups == 1


def test_one_account_repeating_itself_is_no_campaign() -> None:
    det = CampaignDetector(min_accounts=3)
    assert all(det.observe(post(variant(i), "same", minutes=i)) is None for i in range(20))


def test_retweets_of_one_original_are_no_campaign() -> None:
    det = CampaignDetector(min_accounts=3)
    assert det.observe(post(ORIGINAL, "lab")) is None
    for i in range(50):
        rt = post(
            "RT @lab: " + ORIGINAL,
            f"fan{i}",
            minutes=1,
            references=(Reference(type="retweeted", id="9"),),
        )
        assert det.observe(rt) is None
    assert len(det) == 1  # retweets are looked up, never added


def test_a_retweet_spreading_a_campaign_is_a_hit() -> None:
    det = CampaignDetector(min_accounts=3)
    for i in range(3):
        det.observe(post(variant(i), f"bot{i}", minutes=i))
    hit = det.observe(post("RT @bot0: " + variant(0), "fan", minutes=5))
    assert hit is not None
    assert hit.accounts == 3


def test_tweets_without_an_account_are_not_evidence() -> None:
    det = CampaignDetector(min_accounts=2)
    assert all(det.observe(post(variant(i), None, minutes=i)) is None for i in range(5))
    assert len(det) == 0


def test_posts_further_apart_than_the_window_do_not_add_up() -> None:
    det = CampaignDetector(window=timedelta(minutes=30), min_accounts=3)
    # one post per hour: each is alone in its window
    assert all(det.observe(post(variant(i), f"bot{i}", minutes=60 * i)) is None for i in range(6))
    assert len(det) == 1
    # three within the window make a campaign
    assert [det.observe(post(variant(i), f"x{i}", minutes=400 + i)) is None for i in range(3)] == [
        True,
        True,
        False,
    ]


def test_memory_is_bounded() -> None:
    det = CampaignDetector(max_entries=100, window=timedelta(days=365))
    for i in range(1_000):
        det.observe(
            post(f"unique post number {i} about a different topic each time {i * 7919}", f"u{i}", i)
        )
    assert len(det) == 100
    assert det.groups <= 100


def test_oldest_entries_are_evicted_first() -> None:
    det = CampaignDetector(max_entries=3, min_accounts=2, window=timedelta(days=1))
    det.observe(post(variant(0), "early", minutes=0))
    for i in range(3):  # three unrelated posts push the first one out
        det.observe(
            post(f"a completely different text number {i} with enough words in it", f"u{i}", 1)
        )
    assert det.observe(post(variant(1), "late", minutes=2)) is None


# --- several workers: shared posts ---------------------------------------------------------------
def test_a_campaign_split_across_two_detectors_is_found_once_they_share() -> None:
    """Six accounts, three per worker: neither detector alone reaches five accounts."""
    alone = [CampaignDetector(min_accounts=5), CampaignDetector(min_accounts=5)]
    shared = [CampaignDetector(min_accounts=5), CampaignDetector(min_accounts=5)]
    for det in shared:
        det.share()
    for i in range(3):
        for n, pair in enumerate((alone, shared)):
            for w, det in enumerate(pair):
                det.observe(post(variant(2 * i + w), f"bot{n}{2 * i + w}", minutes=i))
    a, b = shared
    posts_a, posts_b = a.take_shared(), b.take_shared()
    assert [p.account for p in posts_a] == ["bot10", "bot12", "bot14"]
    assert all(p.fingerprint == simhash(variant(0)) for p in posts_a + posts_b)
    a.add_shared(posts_b)
    b.add_shared(posts_a)
    assert a.take_shared() == [] and b.take_shared() == []  # shared posts are not shared again
    hit = a.observe(post(variant(6), "bot16", minutes=4))
    assert hit is not None and (hit.accounts, hit.posts) == (7, 7)
    assert all(det.observe(post(variant(6), "bot06", minutes=4)) is None for det in alone)


def test_shared_posts_older_than_the_window_are_dropped() -> None:
    det = CampaignDetector(window=timedelta(hours=1), min_accounts=2)
    det.observe(post(variant(0), "bot0", minutes=180))
    early = CampaignDetector(window=timedelta(hours=1))
    early.share()
    early.observe(post(variant(1), "bot1", minutes=60))  # two hours behind det's clock
    early.observe(post(variant(2), "bot2", minutes=150))
    det.add_shared(early.take_shared())
    assert len(det) == 2
    hit = det.observe(post(variant(3), "bot3", minutes=181))
    assert hit is not None and hit.accounts == 3


def test_only_added_posts_are_shared() -> None:
    det = CampaignDetector(min_accounts=3)
    det.share()
    det.observe(post(variant(0), None))  # no account: no evidence
    det.observe(post("RT @bot0: " + variant(0), "fan"))  # a retweet is looked up, not added
    det.observe(post("too short to fingerprint", "x"))
    assert det.take_shared() == []
    det.observe(post(variant(1), "bot1", minutes=2))
    (shared,) = det.take_shared()
    assert (shared.account, shared.ts) == ("bot1", (T0 + timedelta(minutes=2)).timestamp())


def test_a_detector_that_does_not_share_keeps_no_outbox() -> None:
    det = CampaignDetector()
    det.observe(post(variant(0), "bot0"))
    assert det.take_shared() == []


def test_unsent_posts_go_first_next_time_and_the_outbox_is_bounded() -> None:
    det = CampaignDetector(window=timedelta(days=1))
    det.share(max_posts=3)
    for i in range(2):
        det.observe(post(variant(i), f"bot{i}", minutes=i))
    unsent = det.take_shared()
    det.observe(post(variant(2), "bot2", minutes=2))
    det.keep_unsent(unsent)
    assert [p.account for p in det.take_shared()] == ["bot0", "bot1", "bot2"]
    for i in range(5):
        det.observe(post(variant(i), f"late{i}", minutes=10 + i))
    assert [p.account for p in det.take_shared()] == ["late2", "late3", "late4"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"window": timedelta(0)}, "window"),
        ({"min_accounts": 1}, "min_accounts"),
        ({"min_accounts": 65}, "min_accounts"),
        ({"max_distance": 4}, "max_distance"),
        ({"max_entries": 0}, "max_entries"),
    ],
)
def test_bad_parameters(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        CampaignDetector(**kwargs)  # type: ignore[arg-type]  # the bad values are the test


def test_from_settings() -> None:
    settings = Settings.load(campaign_min_accounts=7, campaign_window=timedelta(minutes=5))
    det = CampaignDetector.from_settings(settings)
    assert det is not None
    assert (det.min_accounts, det.window) == (7, 300.0)
    assert CampaignDetector.from_settings(Settings.load(campaign_detection=False)) is None
    clf = AdClassifier.from_settings(settings)
    assert clf.detector is not None
    assert clf.threshold == settings.ad_threshold


# --- the classifier with its own detector --------------------------------------------------------
def test_classifier_adds_campaign_hits_to_tweets_with_other_signals() -> None:
    clf = AdClassifier(detector=CampaignDetector(min_accounts=3))
    # a weak phrase and a shortener link (0.5) are no ad; posted by three accounts they are a
    # campaign (+0.25)
    text = "Student discount this week for our prompt engineering workshop https://bit.ly/{}"
    verdicts = [clf.classify(post(text.format(i), f"acct{i}", minutes=i)) for i in range(4)]
    assert [v.is_ad for v in verdicts] == [False, False, True, True]
    assert verdicts[2].reasons == ("promo_phrase", "url_density", "campaign")
    assert verdicts[2].score == pytest.approx(0.75)


def test_tweets_a_campaign_could_not_change_skip_the_detector() -> None:
    det = CampaignDetector(min_accounts=2)
    clf = AdClassifier(detector=det)
    # no signal, or one weak signal: + 0.25 would stay below 0.6, so no fingerprint is taken
    for i in range(5):
        assert not clf.classify(post(ORIGINAL, f"acct{i}", minutes=i)).is_ad
        assert not clf.classify(post("A discount for " + ORIGINAL, f"acct{i}", i)).is_ad
    assert len(det) == 0
    text = "Link in bio for the new course on agents, early access for the first few readers"
    assert clf.classify(post(text, "a")).reasons == ("promo_phrase",)
    assert len(det) == 1
    # a hit passed in by the caller is used as given: the classifier's detector is not asked
    hit = CampaignHit(fingerprint=1, accounts=5, posts=5, first_seen=T0)
    assert clf.classify(post(text, "b"), campaign=hit).reasons == ("promo_phrase", "campaign")
    assert len(det) == 1


@pytest.mark.parametrize(("n", "seed"), [(2_000, 1), (20_000, 7)])
def test_the_synthetic_day_keeps_its_verdicts_with_campaign_detection(n: int, seed: int) -> None:
    """The synthetic ground truth is computed without a detector; with one, only ads gain the
    campaign reason, so the pipeline's counts still equal the truth when the worker runs one."""
    tweets, truth = generate_day(date(2025, 11, 7), n, seed, ZoneInfo("Asia/Shanghai"))
    ads = set(truth.windows[truth.window_id]["ad_ids"])
    clf = AdClassifier(detector=CampaignDetector())
    seen: set[str] = set()
    campaign_hits = 0
    for tweet in tweets:
        if tweet.id in seen:
            continue
        seen.add(tweet.id)
        verdict = clf.classify(tweet)
        assert verdict.is_ad == (tweet.id in ads), tweet.text
        campaign_hits += "campaign" in verdict.reasons
    assert campaign_hits > 0
