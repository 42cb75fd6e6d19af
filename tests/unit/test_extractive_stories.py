"""关键事件与发展 names the day's stories: terms many authors of the top tweets mention.

Every tweet here is invented (Freedonia, Zorblax, Quuxcorp are made-up names).
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from streams.aggregates import TweetRecord, WindowAggregates
from summarizer.extractive import (
    _LAUNCH,
    _NEWS,
    FINANCE_TOPICS,
    MARKET_TOPICS,
    MAX_EVENTS,
    MIN_STORY_AUTHORS,
    _event_like,
    _heading,
    _stem,
    build_extractive,
)
from tests.unit.test_extractive_grounding import assert_grounded
from tests.unit.test_report_render import LABELS_EN, LABELS_ZH, TWEETS, make_agg, tweet

TOPICS = {
    "apps_agents": 300,
    "chips_inference": 60,
    "models_open_source": 40,
    "markets": 30,
    "policy_regulation": 25,
}


def tw(
    tweet_id: str,
    text: str,
    engagement: int,
    topics: tuple[str, ...] = ("apps_agents",),
    author: str = "",
    lang: str | None = "en",
) -> TweetRecord:
    return dataclasses.replace(tweet(tweet_id, text, topics, engagement, author=author), lang=lang)


def window(
    tweets: list[TweetRecord], terms: list[tuple[str, float]], topics: dict[str, int] = TOPICS
) -> WindowAggregates:
    agg = make_agg(tweets, topics=topics, previous={})
    return dataclasses.replace(agg, terms=terms)


FREEDONIA = [
    tw("301", "Freedonia bans Chatterbox over privacy worries", 90, ("policy_regulation",), "ana"),
    tw(
        "302",
        "The Freedonian data regulator blocked Chatterbox today",
        60,
        ("apps_agents", "policy_regulation"),
        "ben",
    ),
    tw("303", "Chatterbox is gone in #Freedonia, VPN searches jump", 40, author="cho"),
    tw(
        "304",
        "Will other countries follow Freedonia and ban Chatterbox?",
        30,
        ("apps_agents", "policy_regulation"),
        "dee",
    ),
    tw("305", "freedonia banning chatbots is a mistake", 20, ("policy_regulation",), "eli"),
]
VIRAL_LAUNCH = tw("390", "We just launched Zorblax 2, the fastest agent yet", 50_000, author="zx")
FILLER = [
    tw("380", "agents feel slow today", 700, author="f1"),
    tw("381", "inference costs keep falling", 600, ("chips_inference",), "f2"),
    tw("382", "weights for the small model are out", 500, ("models_open_source",), "f3"),
]
BUSY = [  # a busy day: more engaged tweets the key points quote before the events
    tw(f"2{k:02d}", f"note {k} on how {word} feels today", 2_000 - k, author=f"b{k}")
    for k, word in enumerate(
        ["lunch", "rain", "coffee", "traffic", "music", "sleep", "tennis", "bread", "rivers"]
    )
]
TERMS = [("freedonia", 6.0), ("chatterbox", 5.0), ("zorblax", 1.0), ("banning", 3.0)]


def test_a_story_five_authors_tell_outranks_one_viral_launch_tweet() -> None:
    agg = window([*FREEDONIA, VIRAL_LAUNCH, *FILLER], TERMS)
    report = build_extractive(agg, LABELS_ZH, "zh")
    first = report.events[0]
    assert first.text.startswith("政策与监管：热门推文中 5 位作者谈及“Freedonia”")
    # the most engaged tweet of the story quotes it (key points quote the viral tweet first,
    # and a few others, but no story tweet is the day's most engaged here)
    assert first.tweet_ids[0] in {t.id for t in FREEDONIA}
    assert len(first.tweet_ids) == 2 and len(set(first.tweet_ids)) == 2
    # one event per story: no other event cites a Freedonia tweet
    story_ids = {t.id for t in FREEDONIA}
    assert not any(set(p.tweet_ids) & story_ids for p in report.events[1:])
    assert len(report.events) <= MAX_EVENTS


def test_spellings_of_one_story_are_one_story_named_by_its_terms() -> None:
    # "Chatterbox" is in every Freedonia tweet (a second name of the same story), "banning"
    # in three: neither makes a second event; the line names them after the first term.
    agg = window([*FREEDONIA, *FILLER, *BUSY], TERMS)
    report = build_extractive(agg, LABELS_EN, "en")
    stories = [p for p in report.events if "authors among the top tweets" in p.text]
    assert len(stories) == 1
    # @ana's tweet is policy_regulation's top tweet, quoted by its key point already: the
    # event quotes the story's tweet not quoted yet that carries all three of its terms
    # (@dee; @ben's is more engaged but says "blocked", not "ban"), then the next one that
    # does (@ana)
    assert stories[0].text == (
        'Policy & regulation: 5 authors among the top tweets on "Freedonia", "Chatterbox", '
        '"banning"; the most on-topic @dee: "Will other countries follow Freedonia and ban '
        'Chatterbox?"'
    )
    assert stories[0].tweet_ids == ["304", "301"]


def test_the_ban_story_is_ai_news_not_finance() -> None:
    agg = window([*FREEDONIA, *FILLER], TERMS)
    report = build_extractive(agg, LABELS_ZH, "zh")
    assert "policy_regulation" not in FINANCE_TOPICS
    assert set(MARKET_TOPICS) <= set(FINANCE_TOPICS)
    assert "政策与监管" in [s.title for s in report.ai_sections]
    assert "政策与监管" not in [s.title for s in report.finance_sections]
    assert [s.title for s in report.finance_sections] == ["市场与个股"]
    assert report.events[0].text.startswith("政策与监管：")


def test_the_story_is_cited_by_its_most_engaged_readable_tweet() -> None:
    thai = tw("310", "Quuxcorp ข่าวใหญ่วันนี้", 5_000, author="th1", lang="th")
    english = [
        tw("311", "Quuxcorp opens its robot arm design to everyone", 300, author="r1"),
        tw("312", "tried the Quuxcorp arm, works with any gripper", 200, author="r2"),
        tw("313", "Quuxcorp arm kits sold out in an hour", 100, author="r3", lang="und"),
    ]
    agg = window([thai, *english, *FILLER, *BUSY], [("quuxcorp", 5.0)])
    zh = build_extractive(agg, LABELS_ZH, "zh")
    (story,) = [p for p in zh.events if "谈及“Quuxcorp”" in p.text]
    assert story.text.startswith("应用与智能体：热门推文中 4 位作者谈及“Quuxcorp”")
    assert story.tweet_ids == ["311", "312"]  # the Thai tweet is more engaged, not readable
    assert story.text.endswith(
        "最切题的一条 @r1：“Quuxcorp opens its robot arm design to everyone”"
    )
    en = build_extractive(agg, LABELS_EN, "en")
    (story,) = [p for p in en.events if 'on "Quuxcorp"' in p.text]
    assert story.tweet_ids == ["311", "312"]


@pytest.mark.parametrize(
    ("case", "tweets", "terms"),
    [
        (
            "two authors are no story",
            [
                tw("321", "Zorblax is down again", 90, author="a"),
                tw("322", "is Zorblax down for you too?", 80, author="b"),
            ],
            [("zorblax", 2.0)],
        ),
        (
            "three accounts posting one text are one voice",
            [
                tw("331", "Win a free Zorblax pass, follow and retweet", 9, author="s1"),
                tw("332", "Win a free Zorblax pass, follow and retweet!", 9, author="s2"),
                tw("333", "win a FREE zorblax pass follow and retweet", 9, author="s3"),
            ],
            [("zorblax", 3.0)],
        ),
        (
            "a list names its items in passing",
            [
                tw(
                    "341",
                    "10 AI tools for founders: 1. Zorblax 2. Quux 3. Foo 4. Bar",
                    900,
                    author="l1",
                ),
                tw("342", "Best tools: 1. Notes 2. Zorblax 3. Slides", 800, author="l2"),
                tw("343", "My stack 1) Zorblax 2) Mail 3) Docs", 700, author="l3"),
            ],
            [("zorblax", 3.0)],
        ),
        (
            "the stream's everyday words are no story",
            [
                tw("351", "#AI will change schools", 90, author="g1"),
                tw("352", "GPT-4 wrote my essay", 80, author="g2"),
                tw("353", "openai and ai everywhere, GPT4 too", 70, author="g3"),
            ],
            [("#ai", 30.0), ("gpt-4", 20.0), ("gpt4", 15.0), ("openai", 12.0)],
        ),
        (
            "a two-character CJK word is too generic",
            [
                tw("361", "这个工具的能力很强", 90, author="c1", lang="zh"),
                tw("362", "能力边界在哪里", 80, author="c2", lang="zh"),
                tw("363", "模型能力又提升了", 70, author="c3", lang="zh"),
            ],
            [("能力", 3.0)],
        ),
        (
            "a tag tweets of any kind carry is no story (written in no tweet's words)",
            [
                tw("3a1", "Zorblax 3 is fast #Buzzwire", 90, author="h1"),
                tw("3a2", "GPU prices fall again #Buzzwire #tech", 80, ("chips_inference",), "h2"),
                tw("3a3", "Weights are out for Quux-7B #Buzzwire", 70, ("apps_agents",), "h3"),
            ],
            [("#buzzwire", 30.0)],
        ),
        (
            "a word in tweets of every topic is no story",
            [
                tw("3b1", "Big Week for Zorblax users", 90, ("apps_agents",), "w1"),
                tw("3b2", "Big Week for chip makers", 80, ("chips_inference",), "w2"),
                tw("3b3", "Big Week for open weights", 70, ("models_open_source",), "w3"),
                tw("3b4", "Big Week on the market", 60, ("markets",), "w4"),
            ],
            [("big week", 4.0)],
        ),
        (
            "a CJK filler word in tweets of every topic is no story",
            [
                tw("3c1", "关于算力的讨论，信息量很大", 90, ("chips_inference",), "x1", "zh"),
                tw("3c2", "监管新闻一堆，信息量很大", 80, ("policy_regulation",), "x2", "zh"),
                tw("3c3", "今天的行情信息量很大", 70, ("markets",), "x3", "zh"),
            ],
            [("信息量", 3.0)],
        ),
        (
            "a lowercase common word names no entity",
            [
                tw("3d1", "my gizmos keep crashing", 90, author="k1"),
                tw("3d2", "new gizmos for the desk", 80, author="k2"),
                tw("3d3", "gizmos everywhere at the fair", 70, author="k3"),
            ],
            [("gizmos", 3.0)],
        ),
    ],
)
def test_what_is_no_story(
    case: str, tweets: list[TweetRecord], terms: list[tuple[str, float]]
) -> None:
    report = build_extractive(window([*tweets, *FILLER], terms), LABELS_ZH, "zh")
    assert not any("位作者谈及" in p.text for p in report.events), case


def test_a_hashtag_that_tweets_also_write_in_their_words_is_a_story() -> None:
    tweets = [
        tw("3e1", "Zorblax 3 ships today #Zorblax", 90, author="y1"),
        tw("3e2", "first look at the new Zorblax", 80, author="y2"),
        tw("3e3", "so fast #Zorblax", 70, author="y3"),
    ]
    report = build_extractive(window([*tweets, *FILLER], [("#zorblax", 3.0)]), LABELS_EN, "en")
    assert report.events[0].text.startswith(
        'Apps & agents: 3 authors among the top tweets on "#Zorblax"'
    )


def test_the_story_quotes_a_tweet_on_its_topic_not_its_namesake() -> None:
    # Freedonia's chatbot ban (policy and apps) and, more engaged, Freedonia's ban of
    # pineapple on pizza (policy only): the ban story quotes and cites the chatbot tweets
    ban = ("apps_agents", "policy_regulation")
    tweets = [
        tw("3f1", "Great news from Freedonia: they banned pineapple on pizza", 9_000,
           ("policy_regulation",), "p1"),
        tw("3f2", "Freedonia blocks the Chatterbox chatbot over privacy", 400, ban, "p2"),
        tw("3f3", "Freedonia has banned Chatterbox after the data leak", 300, ban, "p3"),
    ]  # fmt: skip
    terms = [("freedonia", 3.0)]
    report = build_extractive(window([*tweets, *FILLER, *BUSY], terms), LABELS_ZH, "zh")
    (story,) = [p for p in report.events if "谈及“Freedonia”" in p.text]
    assert story.text.startswith("政策与监管：热门推文中 3 位作者谈及“Freedonia”")
    assert story.tweet_ids[0] in {"3f2", "3f3"}
    assert "3f1" not in story.tweet_ids
    assert "pineapple" not in story.text


def test_a_cjk_story_of_three_characters_counts() -> None:
    tweets = [
        tw("371", "弗里多尼亚禁用聊天应用", 90, ("policy_regulation",), "z1", "zh"),
        tw("372", "弗里多尼亚的监管部门发了通知", 80, ("policy_regulation",), "z2", "zh"),
        tw("373", "看来弗里多尼亚是认真的", 70, ("policy_regulation",), "z3", "zh"),
    ]
    report = build_extractive(window([*tweets, *FILLER], [("弗里多尼亚", 3.0)]), LABELS_ZH, "zh")
    assert report.events[0].text.startswith("政策与监管：热门推文中 3 位作者谈及“弗里多尼亚”")


def test_a_term_in_most_top_tweets_is_background() -> None:
    # 24 top tweets, 12 of them (50% > 40%) mention Zorblax: the stream's subject, no story
    tweets = [
        tw(f"4{k:02d}", f"Zorblax tip number {k}", 100 - k, author=f"u{k}") for k in range(12)
    ]
    tweets += [tw(f"5{k:02d}", f"unrelated note {k}", 50 - k, author=f"v{k}") for k in range(12)]
    report = build_extractive(window(tweets, [("zorblax", 12.0)]), LABELS_ZH, "zh")
    assert not any("位作者谈及" in p.text for p in report.events)


def test_story_tweets_are_left_to_the_events_not_the_insights() -> None:
    agg = window([*FREEDONIA, *FILLER], TERMS)
    report = build_extractive(agg, LABELS_EN, "en")
    story_ids = {t.id for t in FREEDONIA}
    assert not any(set(p.tweet_ids) & story_ids for p in report.insights)


def test_same_window_in_any_order_gives_the_same_events() -> None:
    tweets = [*FREEDONIA, VIRAL_LAUNCH, *FILLER, *TWEETS]
    first = build_extractive(window(tweets, TERMS), LABELS_ZH, "zh").events
    shuffled = tweets[:]
    random.Random(3).shuffle(shuffled)
    again = build_extractive(window(shuffled, TERMS), LABELS_ZH, "zh").events
    assert first == again


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_window_with_stories_passes_the_grounding_checker(lang: str) -> None:
    agg = window([*FREEDONIA, VIRAL_LAUNCH, *FILLER, *TWEETS], TERMS)
    report = assert_grounded(agg, LABELS_ZH if lang == "zh" else LABELS_EN, lang)
    assert all(p.tweet_ids for p in report.events)
    assert MIN_STORY_AUTHORS == 3


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("italy", "ital"),
        ("italian", "ital"),
        ("italia", "ital"),
        ("italien", "ital"),
        ("ban", "ban"),
        ("bans", "ban"),
        ("banned", "ban"),
        ("banning", "ban"),
        ("leaked", "leak"),
        ("germany", "german"),
        ("samsung", "samsung"),
        ("gpt4", "gpt4"),
        ("意大利", "意大利"),
    ],
)
def test_stem(word: str, stem: str) -> None:
    assert _stem(word) == stem


@pytest.mark.parametrize(
    ("text", "news", "launch"),
    [
        ("Freedonia bans the app", True, False),
        ("regulators blocked the chatbot", True, False),
        ("workers leaked secret code through the bot", True, False),
        ("the mayor may sue the lab", True, False),
        ("a lawsuit over training data", True, False),
        ("regulators probe the lab", True, False),
        ("a call to pause giant AI experiments", True, False),
        ("弗里多尼亚禁用该应用", True, False),
        ("员工通过聊天机器人泄露源代码", True, False),
        ("L'app è stata bloccata, ChatGPT vietato", True, False),
        ("Das Tool wird gesperrt", True, False),
        ("We just launched Zorblax", False, True),
        ("发布了新模型", False, True),
        ("First answer which made me pause.", False, False),  # "pause" alone is no news
        ("Marketing Blocks AI, Warning labels", False, False),  # nouns, not news verbs
        ("just a nice day", False, False),
    ],
)
def test_news_and_launch_words(text: str, news: bool, launch: bool) -> None:
    assert bool(_NEWS.search(text)) is news
    assert bool(_LAUNCH.search(text)) is launch
    assert _event_like(text) is (news or launch)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("15 tools: 1. Zorblax 2. Quux 3. Foo", "15 tools:"),
        ("Ban day 4. Countries: 1. A 2. B 3. C", "Ban day 4. Countries:"),
        ("Top 3. 2. Sun 3. Moon 4. Stars", "Top 3. 2. Sun 3. Moon 4. Stars"),  # no "1."
        ("Two steps: 1. open 2. close", "Two steps: 1. open 2. close"),  # two items: no list
        ("Freedonia bans Chatterbox https://t.co/x", "Freedonia bans Chatterbox "),
    ],
)
def test_heading(text: str, heading: str) -> None:
    assert _heading(text) == heading
