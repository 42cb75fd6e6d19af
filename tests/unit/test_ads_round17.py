"""Round 17 of the ad classifier (English): a business's mailbox as its order line, a seller's
headline in title case ("Get Your …"), a freelancer's portfolio pitched as work for a client, a
vendor's free trial, a store's ranking auto-feed in Japanese — and the organic tweets that share
their words (a lab's or a researcher's address, a job post, a how-to titled "How To Get Your …",
a reader's "get your popcorn", news about a best-seller list). Every text is an invented
paraphrase of a kind, not a real post."""

from __future__ import annotations

import pytest

from streams.ads import AdClassifier
from tests.unit.ad_cases import tweet

TAGS = "#ChatGPT #AI #tech #business #startup #marketing #trending"


@pytest.mark.parametrize(
    "text",
    [
        # a business's mailbox or its mail label as the order line, under the feed's tags
        "Apps that grow with you. Learn more: https://t.co/a1\nTalk to us:\n📧hello.team@"
        "example-apps.test\n" + TAGS + " https://t.co/a2",
        "Logo & brochure design for your shop https://t.co/b1\nFor details, Email: "
        "studio.k@example.test\n" + TAGS + " https://t.co/b2",
        "Handy tips for your website every week 🌐 https://t.co/c1 ✉ info@example-web.test "
        + TAGS
        + " https://t.co/c2",
        "Fresh dashboard concept up on my portfolio https://t.co/d1\nProject Inquiry "
        "at: pixel.maker@example.test\n" + TAGS + " https://t.co/d2",
        "Earn reward tokens with our AI bot. Do Signup Now. Limited Time Offers. https://t.co/e1 "
        + TAGS,
        # a seller's headline in title case
        "Get Your Online Store Built Here https://t.co/f1 " + TAGS + " https://t.co/f2",
        "https://t.co/g1 Get Your Cloud VPS & Domain With Us.\n" + TAGS + " https://t.co/g2",
        "Get Your CV and cover letter rewritten at affordable prices. Text the number below\n"
        + TAGS,
        # a freelancer's portfolio as the pitch, a vendor's free trial
        "💙 Check out my latest work for my client 👉 https://t.co/h1\n"
        + TAGS
        + " https://t.co/h2",
        "Want your team to answer customers faster? Try our AI helpdesk for free now! "
        "https://t.co/i1 https://t.co/i2",
        # a store's ranking auto-feed in Japanese
        "🏆売れ筋速報! 本(ビジネス)部門【3位】\n\nAIで副業をはじめる本\n¥500\n#本 https://t.co/j1",
        "⚡5月2日 新着ランキング⚡\n\nAIと学ぶ文章術\n＼Amazonランキング第4位！／\n#ad https://t.co/k1",
        "✨週間ランキング第12位❗ 5月1日更新✨\n\nAI写真集 春の記憶\n https://t.co/l1",
    ],
)
def test_round17_mailboxes_headlines_portfolios_trials_ranking_feeds(
    rules_only: AdClassifier, text: str
) -> None:
    verdict = rules_only.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert "promo_phrase" in verdict.reasons, (text, verdict)


@pytest.mark.parametrize(
    "text",
    [
        # a lab's and a researcher's address, without the feed's tag wall
        "We released the benchmark today. Questions about the data? Email: bench@lab.example.edu",
        "Our reading group on LLM evals meets Friday; write to info@group.example.org to join",
        # a lab's launch with its address and links
        "Introducing our open-weights model: weights and docs at https://t.co/m1, press: "
        "info@lab.example.org",
        # a real job post with a mailbox
        "We're hiring a senior ML engineer (remote, salary $150k-$180k). Send your CV to "
        "jobs@example.test, email: jobs@example.test #hiring #ML",
        # a how-to titled in title case, a reader's popcorn, a reply about a point
        "How To Get Your First 100 Users Without Ads, a thread 🧵 https://t.co/n1",
        "The AI wars have started - Get your popcorn ready #ChatGPT #Bard",
        "@someone I get your point, but ChatGPT still can't do my taxes",
        # a designer who mentions a client in passing, news about a best-seller list
        "I used ChatGPT to draft the copy for my client's site and it saved me a day",
        "A book written with ChatGPT reached the Amazon best-seller list, the report says "
        "https://t.co/o1",
        "ChatGPTの本がランキングに入ったというニュースを見た",
        # a price cut in the news, an organic tweet that mentions a free tier
        "ChatGPT is free now for everyone in our school, which changes how we teach",
        # a tutorial thread with a tag wall and links
        "How to build a chatbot with the API, step by step 🧵 https://t.co/p1 "
        + TAGS
        + " https://t.co/p2",
    ],
)
def test_round17_look_alikes_stay_organic(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "promo"),
    [
        # the new calls are weak: alone they are promotional language, but no ad
        ("Email: desk@example.test", True),
        ("Get Your Copy Of The Report", True),
        ("work for my client", True),
        # a how-to's "To Get Your" and a lowercase "get your" are no seller's headline
        ("How To Get Your First Job In Data", False),
        ("get your coat, it's raining", False),
        # an address without a business mailbox or a mail label
        ("write to me at j.doe@example.test", False),
    ],
)
def test_round17_cues_are_weak_and_bounded(
    rules_only: AdClassifier, text: str, promo: bool
) -> None:
    rules = rules_only.rules(tweet(text))
    assert ("promo_phrase" in rules.reasons) == promo, (text, rules)
    assert not rules_only.classify(tweet(text)).is_ad, (text, rules)
