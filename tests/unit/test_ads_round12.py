"""Round 12 of the ad classifier (English): the kinds of promotion the real-tweet audits still
missed — token pumps sold by their market cap or a running gain, a contest's "top gainer"
prediction, bounty entries praising a project with friends tagged, a vendor's feed pitching its
product against ChatGPT, "X for your business" reply pitches, a warning word used as one hashtag
of a trending-tag wall — and the organic tweets that share their words. Every text is an invented
paraphrase of a kind, not a real post."""

from __future__ import annotations

import pytest

from streams.ads import AdClassifier
from tests.unit.ad_cases import tweet


@pytest.mark.parametrize(
    "text",
    [
        # a token pump: its market cap as the upside, the gain so far
        "#OrbitDEX opened at a $40k marketcap, the GPT of swaps. Now at 3X and still such a low "
        "marketcap 🚀 $ORB",
        "Crazy low market cap for an AI chain with a ChatGPT plugin, $QXR is my pick #AI",
        "Have a look at this lowcap project before the crowd does $NEURO #ChatGPT",
        # a contest's prediction entered by tagging friends
        "$NOVA will become the top gainer in March\n@kim_a @raj_b @lu_c\n#ExchangeX #ChatGPT",
        # a bounty entry: a project praised with friends tagged under its hashtags
        "Great project with a bright future, join now\n@ana_k @bo_l\n#TokenAI #BSC #ChatGPT",
        "Nice project, looking forward to the success of this project @amy_q @dev_r @lin_s "
        "#AIbot #bnb #OpenAI",
        # a vendor's feed pitched against the famous product (a weak offer: with the feed's
        # links and tags)
        "#Video: cleaning #CRM records 📹 - https://t.co/a1 👈 Get the #BrandIcon #API that does "
        "what #chatGPT cannot do #DataEnrichment https://t.co/a2",
        # a reply pitching a product "for your business", a contact to have one built
        "@shop_owner @cafe_bob AI powered chatbot for your business 👍 #ChatGPT",
        "Contact me to build a WhatsApp assistant for your clinic, answers patients 24/7 #ChatGPT",
        # a course pitch under a trending-tag wall that holds a warning word as a hashtag
        '"Master ChatGPT with our hands-on course on Udemy!"\n#ChatGPT | #OpenAI | #phishing | '
        "#Cricket | #Grammys |\nhttps://t.co/b2",
    ],
)
def test_round12_pumps_bounties_vendor_feeds_and_reply_pitches(
    clf: AdClassifier, text: str
) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert "promo_phrase" in verdict.reasons, (text, verdict)


# Organic look-alikes: a market cap in the news, a gain reported, a top gainer in a market
# report, a project praised without a bounty's tags, a compliment to friends, a comparison with
# ChatGPT in an article, a question about business use, a real phishing warning.
@pytest.mark.parametrize(
    "text",
    [
        "The chipmaker's market cap passed $1 trillion after the earnings call #AI",
        "Alphabet lost $100B in market cap after the demo went wrong",
        "Playback is now at 2x speed by default in the new app, which is annoying",
        "Yesterday's top gainer on the index was a small AI software firm",
        "Great project by @lena, a ChatGPT plugin for reading papers. Code is on GitHub.",
        "Great project @ana @bo, loved the demo at the meetup!",
        "An essay on what ChatGPT cannot do yet, and why it matters for search",
        "@mara Are you using ChatGPT for your business already? Curious how it goes.",
        "New #phishing wave uses fake ChatGPT apps promising free credits. Don't click. #scam",
        "Our group is looking for a postdoc in multimodal learning. DM me or see the ad on our "
        "site.",
    ],
)
def test_round12_look_alikes_stay_organic(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "promo"),
    [
        # a praised project counts only with two handles and two hashtags
        ("Good project\n@a_one @b_two\n#TokenX #AI", True),
        ("Good project\n@a_one\n#TokenX #AI", False),
        ("Good project\n@a_one @b_two\n#AI", False),
        # a pump's running gain needs "now at" and a multiple
        ("Now at 4x since launch, low float", True),
        ("now at 40% of the way", False),
    ],
)
def test_round12_cues_need_their_context(rules_only: AdClassifier, text: str, promo: bool) -> None:
    rules = rules_only.rules(tweet(text))
    assert ("promo_phrase" in rules.reasons) == promo, (text, rules)


def test_round12_a_hashtagged_warning_word_no_longer_caps_but_a_worded_one_does(
    rules_only: AdClassifier,
) -> None:
    pitch = "Join our comprehensive course on Udemy now! Enroll now!"
    tagged = rules_only.rules(tweet(pitch + " #AI #phishing"))
    worded = rules_only.rules(tweet(pitch + " Beware of phishing."))
    assert tagged.points > worded.points
    assert "warning" not in tagged.signals
    assert "warning" in worded.signals
