"""An analyst's review of the daily report: retweets credited to the retweeter, quotes cut with
link stubs, small-number trends headlined, a double colon. Invented texts only."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from streams.counting import Original, original_of, row_from_json, row_of, split_retweet
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Reference, Tweet
from summarizer.extractive import TREND_MIN_TWEETS, build_extractive, excerpt
from summarizer.prompt import tweet_line
from summarizer.render import render_markdown
from tests.unit.test_report_render import LABELS_ZH, WINDOW, make_agg, tweet

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)
LONG = "Our vector index now serves every team, and the reranker did most of the work, see"


# --- which original a tweet stands for ----------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RT @ada_l: engines can weave patterns", ("ada_l", "engines can weave patterns")),
        ("RT @Bob_99:no space after the colon", ("Bob_99", "no space after the colon")),
        ("RT @ada: line one\nline two", ("ada", "line one\nline two")),
        ("rt @ada: lower case is not Twitter's prefix", None),
        ("Not a retweet: RT @ada: quoted inside", None),
        ("RT @: no name", None),
        ("RT @ada no colon", None),
    ],
)
def test_split_retweet(text: str, expected: tuple[str, str] | None) -> None:
    assert split_retweet(text) == expected


@pytest.mark.parametrize(
    ("text", "ref_id", "is_rt", "expected"),
    [
        ("plain words", None, False, None),
        ("RT @ada: the words", None, True, Original("ada", "the words", None)),
        ("RT @ada: the words", None, False, Original("ada", "the words", None)),  # text only
        ("RT @ada: the words", "777", True, Original("ada", "the words", "777")),
        ("the words, no prefix", "777", True, Original("", "the words, no prefix", "777")),
        ("RT @ada:", None, True, Original("ada", "RT @ada:", None)),  # nothing after it
    ],
)
def test_original_of(text: str, ref_id: str | None, is_rt: bool, expected: Original | None) -> None:
    assert original_of(text, ref_id, is_rt) == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Original("ada", "the words", None), Original("ADA", "the  words", None), True),
        (Original("ada", "the words", None), Original("bob", "the words", None), False),
        (Original("ada", "the words", None), Original("ada", "other words", None), False),
    ],
)
def test_original_key_is_author_and_text(a: Original, b: Original, same: bool) -> None:
    assert a.key.startswith("rt:") and len(a.key) == 3 + 16
    assert (a.key == b.key) is same


# --- the count script's rows --------------------------------------------------------------
def enriched(
    tweet_id: str,
    text: str,
    username: str,
    *,
    refs: tuple[Reference, ...] = (),
    likes: int = 10,
    ad: bool = False,
    topics: tuple[str, ...] = ("rag_search",),
) -> EnrichedTweet:
    tw = Tweet(
        id=tweet_id,
        text=text,
        created_at=T0,
        author=Author(id=f"id-{username}", username=username),
        metrics=Metrics(like_count=likes),
        references=refs,
    )
    return EnrichedTweet(tweet=tw, ad=AdVerdict(score=0.9 if ad else 0.1, is_ad=ad), topics=topics)


RETWEETED_777 = (Reference(type="retweeted", id="777"),)
RETWEETED_UNKNOWN = (Reference(type="retweeted", id=None),)


@pytest.mark.parametrize(
    ("item", "rec", "member_field"),
    [
        # a tweet of its own: its id, its author, its text; no o/k
        (enriched("1", "own words", "cat"), ("1", "cat", "own words"), None),
        # a retweet, original id unknown (the replay corpus): credited to the original author,
        # cited by its own id (the script may let another retweet of it stand for it)
        (
            enriched("2", "RT @ada: " + LONG, "cat", refs=RETWEETED_UNKNOWN),
            ("2", "ada", LONG),
            "k",
        ),
        (enriched("3", "RT @ada: " + LONG, "dan"), ("3", "ada", LONG), "k"),  # prefix only
        # X API v2: the reference carries the original id, which is cited
        (
            enriched("4", "RT @ada: " + LONG, "cat", refs=RETWEETED_777),
            ("777", "ada", LONG),
            "o",
        ),
        # a quote tweet or a reply is the author's own words
        (
            enriched("5", "my take on it", "cat", refs=(Reference(type="quoted", id="777"),)),
            ("5", "cat", "my take on it"),
            None,
        ),
    ],
)
def test_row_record_stands_for_the_original(
    item: EnrichedTweet, rec: tuple[str, str, str], member_field: str | None
) -> None:
    _, row = row_of(item)
    assert row_from_json(orjson.loads(item.model_dump_json()))[1] == row  # both paths agree
    assert row["i"] == item.tweet.id  # the seen-set still counts every retweet once
    assert row["a"] == f"id-{item.tweet.author.username}"  # unique authors: the retweeter
    got = orjson.loads(row["rec"])
    assert (got["id"], got["author"], got["text"]) == rec
    assert {"o", "k"} & row.keys() == ({member_field} if member_field else set())
    if member_field == "o":
        assert row["o"] == "777"


def test_retweets_of_one_original_share_a_key_and_others_do_not() -> None:
    def key(item: EnrichedTweet) -> str:
        return str(row_of(item)[1]["k"])

    first = enriched("10", "RT @ada: " + LONG, "cat")
    second = enriched("11", "RT @ada: " + LONG, "dan", likes=99)
    other_text = enriched("12", "RT @ada: something else entirely", "cat")
    other_author = enriched("13", "RT @bob: " + LONG, "cat")
    assert key(first) == key(second)
    assert len({key(first), key(other_text), key(other_author)}) == 3


def test_an_ad_retweet_has_no_record_but_keeps_its_key() -> None:
    _, row = row_of(enriched("20", "RT @ada: " + LONG, "cat", ad=True, topics=()))
    assert row["rec"] == ""
    assert row["ad"] == 1


# --- excerpts -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a link stub Twitter's cut left before its …
        ("提高图片分辨率的新方法 htt…", "提高图片分辨率的新方法…"),
        ("Sign up for the beta here: https:/…", "Sign up for the beta here…"),
        ("read the paper http…", "read the paper…"),
        ("read the paper h…", "read the paper…"),
        ("read the paper https://t.co/ab…", "read the paper"),  # a whole link goes with its …
        # a word cut by Twitter's …: end at the last whole word
        ("Instead, use Scit…", "Instead, use…"),
        ("we ship the #RetrievalBen…", "we ship the…"),
        ("新模型今天上线，效果很…", "新模型今天上线，效果…"),  # Han: its last jieba word goes
        ("模型发布 GPT-5…", "模型发布…"),
        ("it was whole …", "it was whole…"),  # a space before …: nothing was cut
        ("Unbelievab…", "Unbelievab…"),  # one word only: kept rather than lost
        # separators left dangling by a removed link
        ("Guide for Fundraising / https://t.co/x1", "Guide for Fundraising"),
        ("⏰9AM PDT/ 4PM UTC 🔗 https://t.co/x2", "⏰9AM PDT/ 4PM UTC"),
        ("Full thread 👉 https://t.co/x3 worth it", "Full thread worth it"),
        ("Details: https://t.co/x4", "Details"),
        ("A | B | https://t.co/x5", "A | B"),
        ("RT @bob: see https://t.co/x6 now", "see now"),  # unchanged: prefix and link go
        ("short text #AI", "short text #AI"),  # unchanged
    ],
)
def test_excerpt_drops_stubs_cut_words_and_dangling_separators(text: str, expected: str) -> None:
    assert excerpt(text) == expected


def test_excerpt_of_a_long_cut_text_stays_within_the_limit() -> None:
    text = " ".join(["word"] * 40) + " Scientif…"
    got = excerpt(text, 60)
    assert len(got) <= 60
    assert got.endswith("word…")


# --- a legacy record (kept before the count step credited the original) -------------------
def test_quote_and_prompt_credit_the_original_author_of_a_legacy_retweet_record() -> None:
    legacy = tweet("301", "RT @ada: engines can weave algebraic patterns", ("apps_agents",), 900)
    report = build_extractive(make_agg([legacy], topics={"apps_agents": 5}), LABELS_ZH)
    markdown = render_markdown(report, WINDOW)
    assert "@ada：“engines can weave algebraic patterns”" in markdown
    assert "@user301" not in markdown
    line = tweet_line(legacy, 500)
    assert 'author="@ada"' in line and ">engines can weave algebraic patterns</tweet>" in line


# --- trends -------------------------------------------------------------------------------
def _overview(now: dict[str, int], before: dict[str, int]) -> str:
    return build_extractive(make_agg(topics=now, previous=before), LABELS_ZH).overview


@pytest.mark.parametrize(
    ("now", "before", "rise", "fall"),
    [
        ({"chips_inference": 7}, {"chips_inference": 2}, None, None),  # +250% of 2 → 7: noise
        ({"chips_inference": 7}, {"chips_inference": 3}, None, None),
        ({"chips_inference": TREND_MIN_TWEETS}, {"chips_inference": 3}, "chips_inference", None),
        ({"chips_inference": 70}, {"chips_inference": 20}, "chips_inference", None),
        ({"chips_inference": 1}, {"chips_inference": 9}, None, None),  # a fall needs it too
        ({"chips_inference": 2}, {"chips_inference": 12}, None, "chips_inference"),
        # the small riser is skipped, the next qualifying one is named
        (
            {"chips_inference": 7, "apps_agents": 60},
            {"chips_inference": 1, "apps_agents": 30},
            "apps_agents",
            None,
        ),
    ],
)
def test_fastest_rise_needs_a_minimum_count(
    now: dict[str, int], before: dict[str, int], rise: str | None, fall: str | None
) -> None:
    overview = _overview(now, before)
    rose = next((t for t in now if f"{LABELS_ZH[t]}升温最快" in overview), None)
    fell = next((t for t in now if f"{LABELS_ZH[t]}降温最明显" in overview), None)
    assert (rose, fell) == (rise, fall)


def test_extractive_note_has_one_colon() -> None:
    markdown = render_markdown(build_extractive(make_agg(), LABELS_ZH), WINDOW)
    note = next(line for line in markdown.splitlines() if line.startswith("- 说明："))
    assert note.count("：") == 1, note
    assert note == (
        "- 说明：本报告为抽取式报告（未经 LLM 撰写），"
        "未配置 LLM，由窗口统计数据与热门推文自动生成。"
    )
