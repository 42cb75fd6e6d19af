"""Round 16 of the ad classifier (English): the near misses of the learned model — a small
business's own contact line and a service's quote funnel under a trending-tag wall, a newsletter
handed out as a lead magnet, a domain offered for sale in other words, an artist's presave push —
and the organic tweets that share their words (a lab's contact address, ChatGPT's error message
quoted, a newsletter recommended, a quote in a news story). Every text is an invented paraphrase
of a kind, not a real post."""

from __future__ import annotations

import pytest

from streams.ads import AdClassifier
from tests.unit.ad_cases import tweet

TAGS = "#ChatGPT #AI #tech #business #startup #marketing #trending"


@pytest.mark.parametrize(
    "text",
    [
        # a business's own contact line under its feed's tags and links
        "Printer jammed again? Don't stress, we'll assist you. Just contact us today. " + TAGS,
        "Slow office wifi? Contact us now and get a proper mesh setup https://t.co/q1 "
        + TAGS
        + " https://t.co/q2",
        "Contact us for app development & social media services https://t.co/c1 "
        + TAGS
        + " https://t.co/c2",
        # a service's quote or order funnel
        "Need a menu card design?\nGet your quote- https://t.co/r1\nhttps://t.co/r2\n" + TAGS,
        "Pitch deck design for your startup https://t.co/s1 https://t.co/s2\nFor details & "
        "order for similar work, email: studio@example.com\n" + TAGS,
        "Need a landing page this week? Request a quote https://t.co/t1 https://t.co/t2 " + TAGS,
        # a newsletter as the lead magnet
        "Want the prompts I use every day? Grab them in my free newsletter and subscribe here: "
        "https://t.co/u1",
        "Which AI coins could run next? My breakdown is up. Become a subscriber for free "
        "https://t.co/v1 #ai #crypto #altcoins #fet #agix https://t.co/v2",
        # a domain offered for sale in other words
        "neuralquill .com domain name available for sell #AI #ChatGPT #domains https://t.co/w1",
        "Domain name for sale: https://t.co/x1 promptsmith .ai https://t.co/x2",
        "promptsmith .io #makeoffer #domains #ChatGPT",
        # a seller's own price claim, a freelancer's service pitched at the reader, an order call
        "Get your shop's logo & banner on best price at https://t.co/d1 "
        + TAGS
        + " https://t.co/d2",
        "A complete Excel course at cheaper price for students and job seekers\n" + TAGS,
        "Are you in need of a fast portfolio site? I am here to provide you with a custom one "
        "that suits your needs.\n" + TAGS,
        "Need ChatGPT in your country? I offer a service to set up an account with a local phone "
        "number. Details: https://t.co/e1 https://t.co/e2 " + TAGS,
        "Outsource your data labelling and get it delivered fast. Place order! https://t.co/f1\n"
        + TAGS
        + " https://t.co/f2",
        # an artist's presave push under a trending-tag wall
        "My single Neon Rain drops Friday, help me share it! Presave: https://t.co/y1\n"
        + TAGS
        + " https://t.co/y2",
    ],
)
def test_round16_contact_lines_quotes_newsletters_domains_presaves(
    rules_only: AdClassifier, text: str
) -> None:
    verdict = rules_only.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert "promo_phrase" in verdict.reasons, (text, verdict)


@pytest.mark.parametrize(
    "text",
    [
        # ChatGPT's own error message quoted: no business's contact line
        'ChatGPT is down again lol. "An error occurred. If this issue persists please contact '
        'us through our help center at https://t.co/h1" #ChatGPT #AI #OpenAI #down #fail',
        # a lab's or a researcher's contact address, a real job post
        "Our lab released the dataset today. Questions? Contact us at data@lab.example.edu "
        "https://t.co/l1",
        "We are hiring two ML engineers in Berlin. Interested? Contact us with your CV. #jobs",
        # a launch by a lab, announced with its tags and links
        "Introducing our new open-weights model: docs and weights at https://t.co/m1 and "
        "https://t.co/m2 " + TAGS,
        # a newsletter recommended, one's own article shared without a pitch
        "The best free newsletter on AI policy I've read this year, highly recommend it "
        "https://t.co/n1",
        "My latest post for subscribers is about why eval numbers lie https://t.co/o1",
        # news and tutorials that say "quote", "domain" or "for sale"
        "Insurers now use ChatGPT to get a quote out faster, the report says https://t.co/p1",
        "ChatGPT's answers about domain adaptation were wrong in 3 of 5 cases, thread 🧵",
        "An organic tweet that mentions a discount: the ChatGPT Plus student discount is news "
        "to me",
        # an opinion on a price, a question that asks for help, a customer's own order
        "ChatGPT writes decent copy at a cheap price, and that worries me as a writer",
        "Are you in need of a break from AI news? Same. Here's a cat picture instead",
        "Finally got my GPU at a good price after months of waiting, thanks to a friend's tip",
        "Tried to place order for a pizza through the ChatGPT plugin and it actually worked 😂",
        # a tutorial thread with a tag wall
        "How to write better prompts, a thread 🧵 1/8 https://t.co/z1 " + TAGS,
    ],
)
def test_round16_look_alikes_stay_organic(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "promo"),
    [
        # the new calls are weak: alone they are promotional language, but no ad
        ("Just contact us.", True),
        ("Get your quote today", True),
        ("presave the album", True),
        # the quoted error message hides the contact line
        ("please contact us through our help center", False),
        # "pre-saved" and "quoted" are other words
        ("I pre-saved nothing and quoted nobody", False),
    ],
)
def test_round16_cues_are_weak_and_bounded(
    rules_only: AdClassifier, text: str, promo: bool
) -> None:
    rules = rules_only.rules(tweet(text))
    assert ("promo_phrase" in rules.reasons) == promo, (text, rules)
    assert not rules_only.classify(tweet(text)).is_ad, (text, rules)
