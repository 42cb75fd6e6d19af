"""Round 13 of the ad classifier (English): the kinds of promotion the real-tweet audits still
missed — a reply bot's pitch that opens with the product's category right after the handles,
student-tool account resale ("premium account", "solo/shared"), a maker's own call to try or
visit its product, a seller's "what are you waiting for" — and the organic tweets that share their
words. Every text is an invented paraphrase of a kind, not a real post."""

from __future__ import annotations

import pytest

from streams.ads import AdClassifier
from tests.unit.ad_cases import tweet


@pytest.mark.parametrize(
    "text",
    [
        # a reply bot's pitch: the product's category opens the reply's body
        "@newsdesk @reader_01 AI chatbot for hospitals! #ChatGPT #HealthTech",
        "@paper_x @jo_writes -in-class AI chatbot solution for law firms. #ChatGPT #AI",
        "@techsite @sam_k alternative to #ChatGPT. It answers in any language and never sleeps!",
        "@mag_y #Chatbot for teachers and get your grading done in minutes! #OpenAI",
        "@blog_z in class AI tutor. The perfect solution for exam season #chatgpt",
        # student-tool account resale
        "PREMIUM ACCOUNTS ✨\nNetflix, Grammarly, Canva pro, Quillbot, ChatGPT\nlegit, fast",
        "Available today:\n• Grammarly Solo/Shared\n• Scribd Solo/Shared\n• ChatGPT\nmsg me",
        # the maker's own call to try or visit, beside a second cue or the feed's form
        "Visit us: https://t.co/a1 Photo retouching and background removal\n#photoshop "
        "#editing #design #ChatGPT #AIart https://t.co/a2",
        "So what are you waiting for? Sign up now and let our AI write your captions! #ChatGPT",
        "Grow your business with https://t.co/b1 the CRM that talks back. #CRM #ChatGPT #AI "
        "#sales #smallbusiness https://t.co/b2",
    ],
)
def test_round13_reply_bots_resale_and_makers_calls(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert verdict.is_ad, (text, verdict)
    assert "promo_phrase" in verdict.reasons, (text, verdict)


# Organic look-alikes: a reply that asks for an alternative, a news headline about a chatbot
# for universities, a reply that mentions a solution mid-sentence, a user's own premium account,
# a lab's launch, an invitation to try ChatGPT with nothing sold.
@pytest.mark.parametrize(
    "text",
    [
        "@friend_a what's the best alternative to #ChatGPT now that it keeps timing out?",
        "University launches a chatbot for students' admin questions, report says #ChatGPT",
        "@prof_b I think there is no easy solution for cheating with #ChatGPT in essays.",
        "My premium account got logged out again after the update, anyone else? #ChatGPT",
        "Introducing our new model for code. Try it here: https://t.co/c1",
        "I asked ChatGPT to write a sonnet about my cat. Try it now, it's hilarious 😂",
        "The lab's new chatbot for doctors is out today, per the press release. #AI",
    ],
)
def test_round13_look_alikes_stay_organic(clf: AdClassifier, text: str) -> None:
    verdict = clf.classify(tweet(text))
    assert not verdict.is_ad, (text, verdict)


@pytest.mark.parametrize(
    ("text", "promo"),
    [
        # a reply pitch needs a reply whose body opens with the category
        ("@a_one @b_two chatbot for universities! #ChatGPT", True),
        ("@a_one @b_two -in-class AI essay scoring. #ChatGPT", True),
        ("chatbot for universities! #ChatGPT", False),
        ("@a_one @b_two this is a chatbot for universities #ChatGPT", False),
        ("@a_one what's the alternative to #ChatGPT?", False),
        ("@a_one", False),
    ],
)
def test_round13_reply_pitch_needs_the_reply_to_open_with_it(
    rules_only: AdClassifier, text: str, promo: bool
) -> None:
    rules = rules_only.rules(tweet(text))
    assert ("promo_phrase" in rules.reasons) == promo, (text, rules)


def test_round13_a_makers_weak_call_alone_stays_below_the_threshold(
    rules_only: AdClassifier,
) -> None:
    rules = rules_only.rules(tweet("Visit us at the booth 12 tomorrow!"))
    assert 0 < rules.points < 60


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        # the phone pattern runs only where nine digits could make a number
        ("Order yours today. Call 0712 345 678", True),
        ("Order yours today. Call 0712 345 6", False),  # (eight digits)
        ("Order yours today. Call ٠٧١٢ ٣٤٥ ٦٧٨", True),  # (other scripts' digits: untested)
    ],
)
def test_round13_phone_line_needs_enough_digits(
    rules_only: AdClassifier, text: str, phone: bool
) -> None:
    rules = rules_only.rules(tweet(text))
    assert ("contact" in rules.reasons) == phone, (text, rules)
