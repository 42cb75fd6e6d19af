"""A tweet id read from a float (``id_lossy``) travels from the reader to the report, which never
links it: parsing (generic, fast and typed paths agree), the wire, the count rows and records
(normal ids byte-identical to before), the views' record and the renderer. Invented tweets."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest

from producers.formats import FileNotes, flat_row, rtweet_row, v2_line_items
from producers.kafka_sink import tweet_json
from streams.aggregates import TweetRecord, WindowAggregates
from streams.counting import row_from_json, row_of
from streams.fastdecode import typed_record
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Reference, Tweet
from streams.parse import TweetRecord as ParsedRecord
from streams.parse import (
    encode_raw_batch,
    fast_record,
    parse_object,
    parse_raw_record,
    validate_tweet,
)
from streams.views import _record
from streams.windows import window_by_id
from summarizer.extractive import build_extractive
from summarizer.render import render_markdown, unlinked_citations
from summarizer.report import KEY_POINTS, AdNote, KeyPoint, Point, Report

WINDOW = window_by_id("20251107", ZoneInfo("Asia/Shanghai"))
T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)
LOSSY_ID = "1642693206365044736"
NORMAL_ID = "1642693206365044999"
STATUS = re.compile(r"https://x\.com/i/status/([0-9]+)")


def v2_message(flag: object = ..., tweet_id: str = LOSSY_ID) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": tweet_id,
        "text": "Trying the new agent framework on our support queue today",
        "created_at": "2025-11-07T02:00:00.000Z",
        "lang": "en",
        "author_id": "42",
        "public_metrics": {"retweet_count": 3, "reply_count": 0, "like_count": 9},
    }
    if flag is not ...:
        data["id_is_lossy_float"] = flag
    return {"data": data, "includes": {"users": [{"id": "42", "username": "alice"}]}}


# --- parsing: the generic, fast and typed paths agree ------------------------------------------


@pytest.mark.parametrize(
    ("flag", "lossy"), [(True, True), (False, False), (None, False), (..., False), ("yes", False)]
)
def test_a_v2_flag_becomes_id_lossy_on_every_path(flag: object, lossy: bool) -> None:
    message = v2_message(flag)
    [tweet] = parse_object(message).tweets
    assert tweet.id_lossy is lossy
    expected = tweet_json(tweet)
    assert (b'"id_lossy":true' in expected) is lossy
    fast = fast_record(message)
    assert fast is not None
    assert fast.json == expected
    typed = typed_record(orjson.dumps(message))
    if flag == "yes":  # not a bool: left to the generic path, which ignores it
        assert typed is None
    else:
        assert typed is not None
        assert typed.json == expected


def test_a_normal_v2_tweet_is_encoded_as_before_the_field_existed() -> None:
    [tweet] = parse_object(v2_message()).tweets
    assert b"lossy" not in tweet_json(tweet)
    assert b"lossy" not in encode_raw_batch([tweet])
    assert "id_lossy" not in tweet.model_dump(exclude_defaults=True)


@pytest.mark.parametrize("value", [True, False])
def test_a_normalized_tweet_keeps_its_flag_on_every_path(value: bool) -> None:
    obj = {
        "id": LOSSY_ID,
        "text": "agents",
        "created_at": "2025-11-07T02:00:00Z",
        "id_lossy": value,
    }
    checked = validate_tweet(obj)
    assert isinstance(checked, Tweet)
    assert checked.id_lossy is value
    line = orjson.dumps(obj)
    for record in (fast_record(obj), typed_record(line)):
        assert record is not None
        assert record.json == tweet_json(checked)
        assert record.to_tweet().id_lossy is value


def test_a_null_flag_is_left_to_the_model_which_rejects_it() -> None:
    obj = {"id": LOSSY_ID, "text": "agents", "created_at": "2025-11-07T02:00:00Z", "id_lossy": None}
    assert fast_record(obj) is None
    assert typed_record(orjson.dumps(obj)) is None
    assert not isinstance(validate_tweet(obj), Tweet)


def test_the_flag_survives_a_raw_batch_round_trip() -> None:
    lossy = Tweet(id=LOSSY_ID, text="agents", created_at=T0, id_lossy=True)
    normal = Tweet(id=NORMAL_ID, text="agents", created_at=T0)
    parsed = parse_raw_record(encode_raw_batch([lossy, normal]), max_text_chars=10_000)
    assert [(t.id, t.id_lossy) for t in parsed.tweets] == [(LOSSY_ID, True), (NORMAL_ID, False)]


@pytest.mark.parametrize("fast", [True, False])
def test_a_replayed_v2_line_carries_the_flag(fast: bool) -> None:
    items = v2_line_items(7, orjson.dumps(v2_message(True)), None, fast=fast)
    [(number, item)] = items
    assert number == 7
    tweet = item.to_tweet() if isinstance(item, ParsedRecord) else item
    assert isinstance(tweet, Tweet)
    assert tweet.id_lossy


@pytest.mark.parametrize(
    ("raw_id", "tweet_id", "lossy"),
    [
        ("1.642889622681432e+18", "1642889622681432000", True),
        ("1642889622681432064", "1642889622681432064", False),
    ],
)
def test_csv_readers_flag_an_id_written_as_a_float(raw_id: str, tweet_id: str, lossy: bool) -> None:
    flat = flat_row(
        {"tweet_id": raw_id, "tweet_created": "2023-04-03T08:59:00+00:00", "text": "ChatGPT"},
        None,
        FileNotes(),
    )
    rtweet = rtweet_row(
        {"id": raw_id, "created": "4/27/2023 17:35:29", "text": "ChatGPT", "screenName": "bob"},
        None,
        FileNotes(),
    )
    for tweet in (flat, rtweet):
        assert isinstance(tweet, Tweet)
        assert (tweet.id, tweet.id_lossy) == (tweet_id, lossy)


# --- count rows and records ---------------------------------------------------------------------


def enriched(
    tweet_id: str,
    *,
    lossy: bool = False,
    text: str = "Trying the new agent framework",
    refs: tuple[Reference, ...] = (),
) -> EnrichedTweet:
    tweet = Tweet(
        id=tweet_id,
        text=text,
        created_at=T0,
        lang="en",
        author=Author(id="42", username="alice"),
        metrics=Metrics(like_count=5),
        references=refs,
        id_lossy=lossy,
    )
    return EnrichedTweet(tweet=tweet, ad=AdVerdict(score=0.0, is_ad=False), topics=("apps_agents",))


def both_rows(item: EnrichedTweet) -> dict[str, Any]:
    _, typed = row_of(item)
    _, decoded = row_from_json(orjson.loads(item.model_dump_json()))
    assert typed == decoded
    return typed


def test_a_normal_ids_row_and_record_are_byte_identical_to_before() -> None:
    row = both_rows(enriched("101"))
    assert "l" not in row
    assert row["rec"] == (
        '{"id":"101","src":"101","text":"Trying the new agent framework",'
        '"created_at":"2025-11-07T02:00:00+00:00","author":"alice","engagement":5,'
        '"lang":"en","topics":["apps_agents"]}'
    )


def test_a_lossy_ids_row_and_record_are_flagged() -> None:
    row = both_rows(enriched(LOSSY_ID, lossy=True))
    assert row["l"] == 1
    assert orjson.loads(row["rec"])["l"] == 1
    assert row["rec"].endswith(',"l":1}')
    assert row["i"] == LOSSY_ID  # the seen-set key is still the id as read


@pytest.mark.parametrize(
    ("original_id", "record_flagged"),
    [
        (None, True),  # the retweet's own (lossy) id stands for the original
        ("1500", False),  # the original's id from the reference is cited: not the lossy one
    ],
)
def test_a_lossy_retweet_flags_the_record_only_when_its_id_is_cited(
    original_id: str | None, record_flagged: bool
) -> None:
    row = both_rows(
        enriched(
            LOSSY_ID,
            lossy=True,
            text="RT @carol: Trying the new agent framework",
            refs=(Reference(type="retweeted", id=original_id),),
        )
    )
    rec = orjson.loads(row["rec"])
    assert row["l"] == 1  # the script re-cites with it when this retweet stands for a key
    assert rec["id"] == (original_id or LOSSY_ID)
    assert ("l" in rec) is record_flagged
    assert rec["author"] == "carol"


def test_the_views_read_the_record_flag() -> None:
    lossy = _record(both_rows(enriched(LOSSY_ID, lossy=True))["rec"])
    normal = _record(both_rows(enriched("101"))["rec"])
    assert (lossy.lossy_id, lossy.url) == (True, None)
    assert (normal.lossy_id, normal.url) == (False, "https://x.com/i/status/101")


# --- the report ---------------------------------------------------------------------------------


def record(tweet_id: str, author: str, engagement: int, *, lossy: bool) -> TweetRecord:
    return TweetRecord(
        id=tweet_id,
        text=f"Agent frameworks are changing support work, says {author}",
        created_at=WINDOW.start + timedelta(hours=3),
        author=author,
        engagement=engagement,
        lang="en",
        topics=("apps_agents",),
        lossy_id=lossy,
    )


def window_agg() -> WindowAggregates:
    top = [
        record(LOSSY_ID, "alice", 900, lossy=True),
        record(NORMAL_ID, "bob", 500, lossy=False),
        record("1642693206365044000", "", 300, lossy=True),  # author unknown
    ]
    return WindowAggregates(
        window=WINDOW,
        total=3,
        ads=0,
        ad_reasons={},
        topics={"apps_agents": 3},
        unique_authors=3,
        top_tweets={"apps_agents": top},
        terms=[],
        hourly={},
    )


def cited_report() -> Report:
    points = [KeyPoint(text=f"point {n}", tweet_ids=[NORMAL_ID]) for n in range(KEY_POINTS)]
    points[0] = KeyPoint(text="agents", tweet_ids=[LOSSY_ID, NORMAL_ID, "1642693206365044000"])
    return Report(
        overview="agents",
        key_points=points,
        insights=[Point(text="insight", tweet_ids=[LOSSY_ID])],
        events=[],
        market=[],
        ai_sections=[],
        finance_sections=[],
        ad_note=AdNote.from_counts(3, 0, {}),
        mode="llm",
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_the_lossy_ids_every_citation_is_a_link(lang: str) -> None:
    markdown = render_markdown(cited_report(), WINDOW, "zh" if lang == "zh" else "en")
    assert STATUS.findall(markdown).count(LOSSY_ID) == 2  # what the analyst saw


NO_LINK = {"zh": "部分推文的 id 在源数据中不完整", "en": "Some tweet ids are incomplete"}
ADS_HEADING = {"zh": "广告内容过滤", "en": "Ad content filtering"}


@pytest.mark.parametrize(
    ("lang", "line", "insight"),
    [
        (
            "zh",
            f"- agents (@alice, [1](https://x.com/i/status/{NORMAL_ID}), 作者不详)",
            "- insight (@alice)",
        ),
        (
            "en",
            f"- agents (@alice, [1](https://x.com/i/status/{NORMAL_ID}), author unknown)",
            "- insight (@alice)",
        ),
    ],
)
def test_a_lossy_id_is_cited_by_its_author_without_a_link(
    lang: str, line: str, insight: str
) -> None:
    unlinked = unlinked_citations(window_agg())
    assert unlinked == {LOSSY_ID: "alice", "1642693206365044000": ""}
    markdown = render_markdown(
        cited_report(), WINDOW, "zh" if lang == "zh" else "en", unlinked=unlinked
    )
    lines = markdown.split("\n")
    assert line in lines
    assert insight in lines
    assert set(STATUS.findall(markdown)) == {NORMAL_ID}
    # the closing block says why, once
    assert markdown.count(NO_LINK[lang]) == 1
    note = next(x for x in lines if NO_LINK[lang] in x)
    assert note.startswith("- ") and lines.index(note) > lines.index(ADS_HEADING[lang])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_note_on_unlinked_citations_is_there_only_when_one_is_cited(lang: str) -> None:
    unlinked = {"0": "nobody"}  # an unlinked id the report does not cite
    markdown = render_markdown(
        cited_report(), WINDOW, "zh" if lang == "zh" else "en", unlinked=unlinked
    )
    assert NO_LINK[lang] not in markdown


def test_an_author_is_named_once_per_point() -> None:
    report = cited_report()
    report.insights[0].tweet_ids.append(LOSSY_ID)  # alice twice
    markdown = render_markdown(report, WINDOW, "zh", unlinked=unlinked_citations(window_agg()))
    assert "- insight (@alice)" in markdown.split("\n")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_extractive_report_keeps_its_points_and_links_no_lossy_id(lang: str) -> None:
    agg = window_agg()
    labels = {"apps_agents": "应用与智能体" if lang == "zh" else "Apps & agents"}
    report = build_extractive(agg, labels, "zh" if lang == "zh" else "en")
    plain = render_markdown(report, WINDOW, "zh" if lang == "zh" else "en")
    fixed = render_markdown(
        report, WINDOW, "zh" if lang == "zh" else "en", unlinked=unlinked_citations(agg)
    )
    linked_before = [i for i in STATUS.findall(plain) if i != NORMAL_ID]
    assert linked_before  # the lossy ids were cited (and linked) before
    assert set(STATUS.findall(fixed)) <= {NORMAL_ID}
    # every line that cited one still cites, by the author's name; the report says why once
    before_lines = plain.split("\n")
    after_lines = [line for line in fixed.split("\n") if NO_LINK[lang] not in line]
    who = r"(?:@\w+|作者不详|author unknown)"
    for old, new in zip(before_lines, after_lines, strict=True):  # (the note adds a line)
        if any(f"status/{i})" in old for i in linked_before):
            assert re.search(rf"[(,] ?{who}", new), new
    assert fixed.count(NO_LINK[lang]) == 1
