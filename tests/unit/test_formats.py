"""Replay input formats: detection, each reader on small files written here, the real corpora.

The real corpora are READ from the shared folder (never copied): every file of a known format
must parse with zero crashes and the row counts documented in corpora/SOURCES.md.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from producers.formats import (
    FileNotes,
    bool_or_none,
    derived_id,
    detect_format,
    entities_from_text,
    float_id,
    int_or_none,
    read_file,
    read_file_fast,
    source_name,
)
from streams.errors import InputError
from streams.model import Tweet
from streams.parse import Reject
from tests.shared_data import require


def split(items: list[tuple[int, Tweet | Reject]]) -> tuple[list[Tweet], list[tuple[int, str]]]:
    tweets = [item for _, item in items if isinstance(item, Tweet)]
    rejects = [(line, item.reason) for line, item in items if isinstance(item, Reject)]
    return tweets, rejects


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = False) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode())
    return path


# --- pure helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1651641228520194048", ("1651641228520194048", False)),
        ("1.642889622681432e+18", ("1642889622681432000", True)),
        ("1.6428442314496123e+18", ("1642844231449612300", True)),
        ("42.0", ("42", True)),
        (" 7 ", ("7", False)),
        ("1.5", None),
        ("-3", None),
        ("nan", None),
        ("inf", None),
        ("abc", None),
        ("", None),
    ],
)
def test_float_id_keeps_only_the_written_digits(
    raw: str, expected: tuple[str, bool] | None
) -> None:
    assert float_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("1293.0", 1293), ("#N/A", None), ("", None), (None, None), ("x", None),
     ("1.5", None), ("-1.0", None)],
)  # fmt: skip
def test_int_or_none(raw: str | None, expected: int | None) -> None:
    assert int_or_none(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("TRUE", True), ("False", False), ("", None), (None, None), ("maybe", None)],
)
def test_bool_or_none(raw: str | None, expected: bool | None) -> None:
    assert bool_or_none(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>',
         "Twitter for iPhone"),
        ('<a href="https://buffer.com">Buffer &amp; co</a>', "Buffer & co"),
        ("TweetDeck", "TweetDeck"),
        ("#N/A", None),
        ("", None),
        (None, None),
    ],
)  # fmt: skip
def test_source_name(raw: str | None, expected: str | None) -> None:
    assert source_name(raw) == expected


@pytest.mark.parametrize(
    ("text", "weibo", "expected"),
    [
        (
            "RT @gdb: #ChatGPT for $NVDA https://t.co/x1. cc @OpenAI",
            False,
            {"hashtags": ["ChatGPT"], "cashtags": ["NVDA"], "mentions": ["gdb", "OpenAI"],
             "urls": ["https://t.co/x1"]},
        ),
        ("mail me a@b.com, price $5", False,
         {"hashtags": [], "cashtags": [], "mentions": [], "urls": []}),
        ("今天#大模型#真热 @张三 看看", True,
         {"hashtags": ["大模型"], "cashtags": [], "mentions": ["张三"], "urls": []}),
        ("#人工智能 新闻", False,
         {"hashtags": ["人工智能"], "cashtags": [], "mentions": [], "urls": []}),
    ],
)  # fmt: skip
def test_entities_from_text(text: str, weibo: bool, expected: dict[str, list[str]]) -> None:
    assert entities_from_text(text, weibo=weibo) == expected


def test_derived_id_is_stable_and_a_valid_tweet_id() -> None:
    a = derived_id("geo", "2023-02-24T07:59:26+00:00", "hello")
    assert a == derived_id("geo", "2023-02-24T07:59:26+00:00", "hello")
    assert a != derived_id("geo", "2023-02-24T07:59:27+00:00", "hello")
    assert a != derived_id("weibo", "2023-02-24T07:59:26+00:00", "hello")
    assert a.isdigit() and len(a) <= 19 and int(a) < 2**63


# --- detection --------------------------------------------------------------------------------


FLAT_HEADER = [
    "tweet_id", "tweet_created", "tweet_extracted", "text", "lang", "user_id", "user_name",
    "user_username", "user_location", "user_description", "user_created",
    "user_followers_count", "user_following_count", "user_tweet_count", "user_verified",
    "source", "retweet_count", "like_count", "reply_count", "impression_count",
]  # fmt: skip
RTWEET_HEADER = [
    "text", "favorited", "favoriteCount", "replyToSN", "created", "truncated", "replyToSID",
    "id", "replyToUID", "statusSource", "screenName", "retweetCount", "isRetweet", "retweeted",
    "longitude", "latitude",
]  # fmt: skip


def flat_row(tweet_id: str, created: str, text: str, **over: str) -> list[str]:
    row = dict.fromkeys(FLAT_HEADER, "")
    row.update(
        tweet_id=tweet_id, tweet_created=created, text=text, lang="en", user_id="99",
        user_name="Nine", user_username="nine", user_created="2016-01-04 02:27:33+00:00",
        user_followers_count="1293.0", user_verified="False", retweet_count="3.0",
        like_count="0.0",
    )  # fmt: skip
    row.update(over)
    return [row[k] for k in FLAT_HEADER]


def rtweet_row(tweet_id: str, created: str, text: str, **over: str) -> list[str]:
    row = dict.fromkeys(RTWEET_HEADER, "#N/A")
    row.update(
        text=text, favorited="FALSE", favoriteCount="2", created=created, truncated="FALSE",
        id=tweet_id, screenName="ann", retweetCount="5", isRetweet="FALSE", retweeted="FALSE",
        statusSource='<a href="http://twitter.com/download/iphone" rel="nofollow">'
        "Twitter for iPhone</a>",
    )  # fmt: skip
    row.update(over)
    return [row[k] for k in RTWEET_HEADER]


def weibo_post(**over: object) -> dict[str, object]:
    post: dict[str, object] = {
        "user_id": "1005383941", "user_name": "彩铃", "is_spammer_user": "yes",
        "followers_num": "65", "following_num": "493", "post_index": 0,
        "time_raw": "2015-08-10 16:22:29 来自微博 weibo.com",
        "time_iso_guess": "2015-08-10T16:22:29+08:00", "source_client": "微博 weibo.com",
        "content": "今天聊聊#大模型# @张三 ", "forward": "1", "comment": "2", "upvote": "3",
        "forward_flag": 0,
    }  # fmt: skip
    post.update(over)
    return post


def test_detect_every_format(tmp_path: Path) -> None:
    flat = write_csv(
        tmp_path / "a.csv", [FLAT_HEADER, flat_row("1", "2023-04-03 13:59:44+00:00", "x")]
    )
    rtweet = write_csv(tmp_path / "b.csv", [RTWEET_HEADER], bom=True)
    geo = write_csv(tmp_path / "c.txt", [["Date", "Tweet", "City", "Country"]])
    geo2 = write_csv(tmp_path / "d.csv", [["Date", "Tweet"]])
    weibo = tmp_path / "w.json"
    weibo.write_text(json.dumps(weibo_post()) + "\n")
    v2l = tmp_path / "v.jsonl"
    v2l.write_text('{"data": {"id": "1"}}\n')
    v2doc = tmp_path / "v.json"
    v2doc.write_text('{\n  "data": []\n}\n')
    empty = tmp_path / "e.jsonl"
    empty.write_text("")
    found = {p.name: detect_format(p) for p in (flat, rtweet, geo, geo2, weibo, v2l, v2doc, empty)}
    assert found == {
        "a.csv": "flat-csv", "b.csv": "rtweet-csv", "c.txt": "geo-csv", "d.csv": "geo-csv",
        "w.json": "weibo-jsonl", "v.jsonl": "v2", "v.json": "v2", "e.jsonl": "v2",
    }  # fmt: skip


def test_unknown_format_names_the_file_and_the_choices(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "spam.csv", [["Id", "Tweet", "Type"], ["1", "hi", "Spam"]])
    with pytest.raises(InputError, match=r"spam\.csv: unknown replay format") as err:
        detect_format(path)
    assert err.value.reason == "unknown_format"
    assert "Id, Tweet, Type" in str(err.value) and "--format" in str(err.value)
    with pytest.raises(InputError, match="unknown format 'xml'"):
        list(read_file(path, "xml"))


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.csv: No such file") as err:
        detect_format(tmp_path / "missing.csv")
    assert err.value.reason == "unreadable_file"
    with pytest.raises(InputError, match=r"missing\.csv"):
        list(read_file(tmp_path / "missing.csv", "geo-csv"))


# --- the readers on small files ---------------------------------------------------------------


def test_flat_csv(tmp_path: Path) -> None:
    rows = [
        FLAT_HEADER,
        flat_row("1.642889622681432e+18", "2023-04-03 13:59:44+00:00", "RT @a: #ChatGPT\nhi"),
        flat_row("1.642889622681432e+18", "2023-04-03 13:59:45+00:00", "another text"),
        flat_row("1.5", "2023-04-03 13:59:44+00:00", "bad id"),
        flat_row("7", "2023-04-03 13:59:44", "naive"),
        flat_row("8", "yesterday", "bad time"),
        flat_row("9", "2023-04-03 13:59:44+02:00", ""),
        ["only", "three", "fields"],
        flat_row("10", "2023-04-03 13:59:44+02:00", "ok", user_followers_count="lots"),
    ]
    path = write_csv(tmp_path / "flat.csv", rows)
    notes = FileNotes()
    tweets, rejects = split(list(read_file(path, max_text_chars=280, notes=notes)))
    # the first row spans lines 2-3 (a newline inside the text): the next row starts on line 4
    assert rejects == [
        (5, "invalid_id"), (6, "naive_timestamp"), (7, "invalid_timestamp"),
        (8, "missing_text"), (9, "invalid_row"),
    ]  # fmt: skip
    assert [t.id for t in tweets] == ["1642889622681432000", "1642889622681432000", "10"]
    first = tweets[0]
    assert first.created_at == datetime(2023, 4, 3, 13, 59, 44, tzinfo=UTC)
    assert first.author.username == "nine" and first.author.followers_count == 1293
    assert first.author.verified is False and first.metrics.retweet_count == 3
    assert first.hashtags == ("ChatGPT",) and first.mentions == ("a",) and first.is_retweet
    assert tweets[2].created_at == datetime(2023, 4, 3, 11, 59, 44, tzinfo=UTC)
    assert tweets[2].author.followers_count is None  # garbage count dropped, tweet kept
    assert (notes.lossy_ids, notes.lossy_collisions) == (2, 1)
    assert "lossy" in notes.lines()[0]


@pytest.mark.parametrize("fast", [False, True])
def test_v2_lines_that_say_their_id_is_lossy_are_noted(tmp_path: Path, fast: bool) -> None:
    """Corpora converted from CSV mark an id rebuilt from a float ("id_is_lossy_float": true):
    counted like the CSV readers' lossy ids, with the collisions of two texts on one id."""

    def line(tweet_id: str, text: str, lossy: bool) -> dict[str, Any]:
        data = {"id": tweet_id, "text": text, "created_at": "2023-04-03T00:59:14.000Z"}
        return {"data": data | ({"id_is_lossy_float": True} if lossy else {})}

    path = tmp_path / "v2.jsonl"
    rows = [
        line("1642693206365044000", "first", True),
        line("1642693206365044000", "another text, same rounded id", True),
        line("1642693206365044736", "exact id", False),
    ]
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in rows) + b"\n")
    notes = FileNotes()
    reader = read_file_fast if fast else read_file
    assert len(list(reader(path, max_text_chars=280, notes=notes))) == 3
    assert (notes.lossy_ids, notes.lossy_collisions) == (2, 1)
    assert notes.lines()[0].startswith("2 tweet ids were stored as floats and are lossy")


REPLY_TO = "1651584074233040902"


def test_rtweet_csv(tmp_path: Path) -> None:
    rows = [
        RTWEET_HEADER,
        rtweet_row("1651641228520194048", "4/27/2023 17:35:29", "RT @gdb: hi", isRetweet="TRUE"),
        rtweet_row("1651641214054064128", "4/27/2023 17:35:26", "@x hi", replyToSID=REPLY_TO),
        rtweet_row("#N/A", "4/27/2023 17:35:26", "no id"),
        rtweet_row("1651641214054064129", "2023-04-27 17:35", "odd time"),
        rtweet_row("1651641214054064130", "#N/A", "no time"),
    ]  # fmt: skip
    path = write_csv(tmp_path / "gpt.csv", rows, bom=True)
    assert detect_format(path) == "rtweet-csv"
    tweets, rejects = split(list(read_file(path)))
    assert rejects == [(4, "missing_id"), (5, "invalid_timestamp"), (6, "missing_created_at")]
    rt, reply = tweets
    assert rt.id == "1651641228520194048"
    assert rt.created_at == datetime(2023, 4, 27, 17, 35, 29, tzinfo=UTC)
    assert rt.source == "Twitter for iPhone" and rt.author.username == "ann"
    assert [r.type for r in rt.references] == ["retweeted"] and rt.metrics.like_count == 2
    assert [(r.type, r.id) for r in reply.references] == [("replied_to", REPLY_TO)]


def test_geo_csv_derives_ids_and_keeps_duplicates_identical(tmp_path: Path) -> None:
    rows = [
        ["Date", "Tweet", "City", "Country"],
        ["2023-02-24 07:59:26+00:00", "hire #chatgpt\nnow", "New Delhi", "India"],
        ["2023-02-24 07:59:26+00:00", "hire #chatgpt\nnow", "New Delhi", "India"],
        ["2023-02-24 07:55:54+00:00", "other", "Beijing", "China"],
        ["", "no date", "x", "y"],
        ["2023-02-24 07:55:54+00:00", "  ", "x", "y"],
    ]
    path = write_csv(tmp_path / "Asia.csv", rows)
    notes = FileNotes()
    tweets, rejects = split(list(read_file(path, notes=notes)))
    assert rejects == [(7, "missing_created_at"), (8, "missing_text")]  # rows 1-2 span 2 lines
    assert tweets[0].id == tweets[1].id != tweets[2].id  # an exact duplicate counts once
    assert tweets[0].hashtags == ("chatgpt",) and tweets[0].author.username is None
    assert notes.derived_ids == 3 and "hash" in notes.lines()[0]


def test_weibo_jsonl(tmp_path: Path) -> None:
    lines = [
        json.dumps(weibo_post(), ensure_ascii=False),
        json.dumps(weibo_post(time_iso_guess=None, time_raw="9分钟前 来自iPhone")),
        json.dumps(weibo_post(content="  ")),
        "{broken",
        "",
        json.dumps(weibo_post(time_iso_guess="2015-08-10 16:22:29")),
        "[1]",
    ]  # fmt: skip
    path = tmp_path / "weibo.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_file(path))
    tweets, rejects = split(items)
    assert rejects == [
        (2, "missing_created_at"), (3, "missing_text"), (4, "invalid_json"),
        (6, "naive_timestamp"), (7, "not_an_object"),
    ]  # fmt: skip
    reason = next(item for line, item in items if line == 2)
    assert isinstance(reason, Reject) and "9分钟前" in reason.detail
    (post,) = tweets
    assert post.created_at == datetime(2015, 8, 10, 8, 22, 29, tzinfo=UTC)
    assert post.lang == "zh" and post.text == "今天聊聊#大模型# @张三"
    assert post.hashtags == ("大模型",) and post.mentions == ("张三",)
    assert post.author.id == "1005383941" and post.author.followers_count == 65
    assert (post.metrics.retweet_count, post.metrics.reply_count, post.metrics.like_count) == (
        1,
        2,
        3,
    )


def test_csv_invalid_utf8_row_is_a_reject(tmp_path: Path) -> None:
    path = tmp_path / "geo.csv"
    path.write_bytes(
        b"Date,Tweet\n2023-02-24 07:59:26+00:00,caf\xe9\n2023-02-24 07:59:27+00:00,fine\n"
    )
    tweets, rejects = split(list(read_file(path)))
    assert rejects == [(2, "invalid_utf8")] and [t.text for t in tweets] == ["fine"]


def test_forced_format_on_a_file_of_another_shape(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Date", "Tweet"], ["2023-02-24 07:59:26+00:00", "hi"]])
    tweets, rejects = split(list(read_file(path, "rtweet-csv")))
    assert tweets == [] and rejects == [(2, "missing_id")]


# --- the real corpora -------------------------------------------------------------------------

# (file, format, tweets, rejects) — counts from corpora/SOURCES.md
REAL = [
    ("a_ai_tweets/chatgpt_daily_tweets_2023-04-03_to_07.csv", "flat-csv", 8000, 0),
    ("a_ai_tweets/chatgpt_tweets_2023-04-27_rtweet_40min.csv", "rtweet-csv", 3000, 0),
    ("a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl", "v2", 5974, 0),
    ("a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/Africa.csv", "geo-csv", 3044, 0),
    ("a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/Asia.csv", "geo-csv", 14854, 0),
    ("a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/Europe.csv", "geo-csv", 10017, 0),
    ("a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/North_America.csv", "geo-csv", 1273, 0),
    ("a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/Oceania.csv", "geo-csv", 315, 0),
    ("a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24/South_America.csv", "geo-csv", 473, 0),
    # 278 posts with a relative time (no time_iso_guess) and 10 with no content
    ("c_chinese/weibo_posts_user_labelled_spam_2011-2017.jsonl", "weibo-jsonl", 18330, 288),
    ("d_twitter_v2_samples/filtered_stream_2024-05-13_49msgs.jsonl", "v2", 49, 0),
    ("d_twitter_v2_samples/filtered_stream_message_full_fields_2024-05-09.json", "v2", 1, 0),
    ("d_twitter_v2_samples/quote_tweets_response_context_annotations_2022.json", "v2", 15, 0),
    ("d_twitter_v2_samples/search_recent_response_2020-06.json", "v2", 4, 0),
]


@pytest.mark.parametrize(("relative", "fmt", "n_tweets", "n_rejects"), REAL)
def test_real_corpus_files_parse(relative: str, fmt: str, n_tweets: int, n_rejects: int) -> None:
    path = require(f"corpora/{relative}")
    assert detect_format(path) == fmt
    items = list(read_file(path, max_text_chars=10_000))
    tweets, rejects = split(items)
    assert (len(tweets), len(rejects)) == (n_tweets, n_rejects)
    lines = [line for line, _ in items]
    assert all(line >= 1 for line in lines)


def test_real_weibo_rejects_say_why() -> None:
    path = require("corpora/c_chinese/weibo_posts_user_labelled_spam_2011-2017.jsonl")
    rejects = [item for _, item in read_file(path) if isinstance(item, Reject)]
    reasons = {r.reason for r in rejects}
    assert reasons == {"missing_created_at", "missing_text"}
    assert all("time_iso_guess is null" in r.detail for r in rejects if r.reason != "missing_text")


@pytest.mark.parametrize(
    "relative",
    [
        "b_spam_labelled/utkml_twitter_spam_quality_vs_spam.csv",  # no timestamps at all
        "c_chinese/weibo_spam_user_labels_and_features.csv",  # user features, no posts
    ],
)
def test_real_files_that_are_not_tweet_streams_are_refused_clearly(relative: str) -> None:
    path = require(f"corpora/{relative}")
    with pytest.raises(InputError, match="unknown replay format"):
        detect_format(path)
