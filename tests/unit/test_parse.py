"""Input parsing and dead-letter records: tables of inputs → tweets / reject reasons.

The X API v2 samples are READ from the shared corpora (never copied into the repo); they are
part of the project's shared data, so a missing file fails the test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import orjson
import pytest

from streams.dlq import dlq_record, file_source, kafka_source
from streams.model import Tweet
from streams.parse import (
    EXCERPT_MAX_CHARS,
    REASONS,
    ParsedRecord,
    Reject,
    encode_raw_batch,
    parse_raw_record,
    tweets_from_v2,
)
from tests.shared_data import CORPORA as SHARED_CORPORA

V2_DIR = SHARED_CORPORA / "d_twitter_v2_samples"
V2_STREAM = V2_DIR / "filtered_stream_2024-05-13_49msgs.jsonl"
V2_FILES = {
    "filtered_stream_message_full_fields_2024-05-09.json": 1,
    "quote_tweets_response_context_annotations_2022.json": 15,
    "search_recent_response_2020-06.json": 4,
}
MAX = 10_000


def tweet(**over: Any) -> dict[str, Any]:
    """A valid normalized tweet object (made up), with fields replaced/removed (None)."""
    base: dict[str, Any] = {
        "id": "1790124601021706634",
        "text": "GPT-5 rumours again #AI",
        "created_at": "2024-05-13T20:58:58.000Z",
        "lang": "en",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not ...}


def raw(obj: object) -> bytes:
    return orjson.dumps(obj)


def parse(value: bytes) -> ParsedRecord:
    return parse_raw_record(value, max_text_chars=MAX)


def only_reject(record: ParsedRecord) -> Reject:
    assert record.tweets == []
    assert len(record.rejects) == 1, record.rejects
    return record.rejects[0]


# --- every reject reason ----------------------------------------------------------------------

BAD_TWEETS: list[tuple[str, dict[str, Any], str, str]] = [
    # (case id, tweet object, reason, a word the detail must contain)
    ("missing id", tweet(id=...), "missing_id", "id"),
    ("null id", tweet(id=None), "missing_id", "id"),
    ("missing text", tweet(text=...), "missing_text", "text"),
    ("empty text", tweet(text=""), "missing_text", "text"),
    ("missing created_at", tweet(created_at=...), "missing_created_at", "created_at"),
    ("naive timestamp", tweet(created_at="2024-05-13T20:58:58"), "naive_timestamp", "timezone"),
    ("invalid timestamp", tweet(created_at="yesterday noon"), "invalid_timestamp", "created_at"),
    (
        "impossible date",
        tweet(created_at="2024-02-30T10:00:00Z"),
        "invalid_timestamp",
        "created_at",
    ),
    ("id with letters", tweet(id="12ab"), "invalid_id", "id"),
    ("id as number", tweet(id=1790124601021706634), "invalid_id", "id"),
    ("id too long", tweet(id="1" * 21), "invalid_id", "id"),
    ("1 MB text", tweet(text="x" * 1_000_000), "text_too_long", "max_text_chars"),
    ("lang not a string", tweet(lang=5), "invalid_tweet", "lang"),
    (
        "unknown reference type",
        tweet(references=[{"type": "liked"}]),
        "invalid_tweet",
        "references",
    ),
    (
        "naive author date",
        tweet(author={"created_at": "2020-01-01T00:00:00"}),
        "invalid_tweet",
        "author",
    ),
    ("metrics not a number", tweet(metrics={"like_count": "many"}), "invalid_tweet", "metrics"),
]


@pytest.mark.parametrize(
    ("obj", "reason", "word"), [c[1:] for c in BAD_TWEETS], ids=[c[0] for c in BAD_TWEETS]
)
def test_bad_bare_tweet_is_rejected_with_its_reason(
    obj: dict[str, Any], reason: str, word: str
) -> None:
    rej = only_reject(parse(raw(obj)))
    assert rej.reason == reason
    assert word in rej.detail
    assert len(rej.excerpt) <= EXCERPT_MAX_CHARS


@pytest.mark.parametrize(
    ("obj", "reason", "word"), [c[1:] for c in BAD_TWEETS], ids=[c[0] for c in BAD_TWEETS]
)
def test_one_bad_tweet_never_rejects_its_neighbours(
    obj: dict[str, Any], reason: str, word: str
) -> None:
    good1, good2 = tweet(id="1"), tweet(id="3")
    record = parse(raw({"v": 1, "tweets": [good1, obj, good2]}))
    assert [t.id for t in record.tweets] == ["1", "3"]
    assert len(record.rejects) == 1
    assert record.rejects[0].reason == reason
    assert record.rejects[0].detail.startswith("tweets[1].")
    assert word in record.rejects[0].detail


RECORD_REJECTS: list[tuple[str, bytes, str]] = [
    ("truncated JSON", b'{"id": "1", "text": ', "invalid_json"),
    ("not JSON", b"hello", "invalid_json"),
    ("empty value", b"", "invalid_json"),
    ("invalid UTF-8", b'{"id": "1", "text": "caf\xe9"}', "invalid_utf8"),
    ("lone continuation byte", b"\x80", "invalid_utf8"),
    ("array", b"[1, 2]", "not_an_object"),
    ("string", b'"tweet"', "not_an_object"),
    ("null", b"null", "not_an_object"),
    ("object of no known shape", b'{"foo": 1, "bar": [2]}', "unknown_record"),
    ("batch v2", raw({"v": 2, "tweets": [tweet()]}), "unsupported_version"),
    ("batch v as string", raw({"v": "1", "tweets": [tweet()]}), "unsupported_version"),
    ("batch tweets not a list", raw({"v": 1, "tweets": {"id": "1"}}), "unknown_record"),
    ("X API error message", raw({"errors": [{"title": "ConnectionException"}]}), "unknown_record"),
]


@pytest.mark.parametrize(
    ("value", "reason"), [c[1:] for c in RECORD_REJECTS], ids=[c[0] for c in RECORD_REJECTS]
)
def test_bad_record_is_one_reject(value: bytes, reason: str) -> None:
    rej = only_reject(parse(value))
    assert rej.reason == reason
    assert rej.detail


def test_every_reason_code_is_covered_by_a_table() -> None:
    covered = {c[2] for c in BAD_TWEETS} | {c[2] for c in RECORD_REJECTS}
    assert covered == set(REASONS)


def test_invalid_utf8_excerpt_is_backslash_escaped() -> None:
    rej = only_reject(parse(b'{"text": "caf\xe9"}'))
    assert rej.excerpt == '{"text": "caf\\xe9"}'


def test_excerpt_is_cut_to_2000_chars() -> None:
    rej = only_reject(parse(b"x" * 50_000))
    assert len(rej.excerpt) == EXCERPT_MAX_CHARS
    rej = only_reject(parse(raw(tweet(text="y" * 1_000_000))))
    assert len(rej.excerpt) == EXCERPT_MAX_CHARS


def test_text_limit_is_inclusive() -> None:
    assert len(parse_raw_record(raw(tweet(text="z" * 300)), max_text_chars=300).tweets) == 1
    rej = only_reject(parse_raw_record(raw(tweet(text="z" * 301)), max_text_chars=300))
    assert rej.reason == "text_too_long"


def test_bad_batch_watermark_is_rejected_but_tweets_still_parse() -> None:
    record = parse(raw({"v": 1, "tweets": [tweet()], "watermark": "2024-05-14T00:00:00"}))
    assert len(record.tweets) == 1
    assert record.watermark is None
    assert [r.reason for r in record.rejects] == ["naive_timestamp"]


def test_non_object_batch_element_is_rejected_alone() -> None:
    record = parse(raw({"v": 1, "tweets": [tweet(id="1"), "oops", 7]}))
    assert [t.id for t in record.tweets] == ["1"]
    assert [r.reason for r in record.rejects] == ["not_an_object", "not_an_object"]


# --- accepted shapes --------------------------------------------------------------------------


def test_bare_tweet_is_normalized_to_utc() -> None:
    record = parse(raw(tweet(created_at="2024-05-14T04:58:58+08:00")))
    assert record.rejects == []
    (tw,) = record.tweets
    assert tw.created_at == datetime(2024, 5, 13, 20, 58, 58, tzinfo=UTC)
    assert tw.created_at.tzinfo is UTC


def test_watermark_only_batch() -> None:
    wm = datetime(2024, 5, 14, 16, 10, 1, tzinfo=UTC)
    record = parse(encode_raw_batch([], wm))
    assert record == ParsedRecord([], [], wm)


def test_batch_without_v_reads_as_v1() -> None:
    record = parse(raw({"tweets": [tweet()]}))
    assert len(record.tweets) == 1


def v2_message(data: object, users: list[dict[str, Any]] | None = None) -> bytes:
    return raw({"data": data, "includes": {"users": users or []}})


def test_v2_fields_are_mapped() -> None:
    data = {
        "id": "42",
        "text": "short text",
        "note_tweet": {
            "text": "the long text of a note tweet $NVDA #AI",
            "entities": {"cashtags": [{"tag": "NVDA"}], "hashtags": [{"tag": "AI"}]},
        },
        "created_at": "2024-05-13T20:58:58.000Z",
        "author_id": "7",
        "lang": "en",
        "source": "Twitter Web App",
        "public_metrics": {"like_count": 3, "retweet_count": 2, "bookmark_count": 9},
        "entities": {"hashtags": [{"tag": "ignored-note-wins"}]},
        "referenced_tweets": [{"type": "quoted", "id": "41"}],
        "context_annotations": [
            {"domain": {"id": "65", "name": "Interests"}, "entity": {"id": "1", "name": "Tech"}},
            {"domain": {"id": "65", "name": "Interests"}, "entity": {"id": "1", "name": "Tech"}},
        ],
    }
    users = [
        {
            "id": "7",
            "username": "someone",
            "name": "Some One",
            "verified": True,
            "created_at": "2009-08-05T05:46:48.000Z",
            "public_metrics": {"followers_count": 10, "following_count": 2, "tweet_count": 99},
        }
    ]
    (tw,) = parse(v2_message(data, users)).tweets
    assert tw.text == "the long text of a note tweet $NVDA #AI"
    assert (tw.hashtags, tw.cashtags) == (("AI",), ("NVDA",))
    assert tw.author.username == "someone"
    assert tw.author.verified is True
    assert (tw.author.followers_count, tw.author.following_count, tw.author.tweet_count) == (
        10,
        2,
        99,
    )
    assert tw.author.created_at == datetime(2009, 8, 5, 5, 46, 48, tzinfo=UTC)
    assert tw.metrics.like_count == 3 and tw.metrics.retweet_count == 2
    assert tw.source == "Twitter Web App"
    assert [(r.type, r.id) for r in tw.references] == [("quoted", "41")]
    assert tw.context_annotations == ("Interests/Tech",)


def test_v2_urls_prefer_expanded_url_and_mentions_keep_usernames() -> None:
    data = {
        "id": "42",
        "text": "@a @b look https://t.co/x https://t.co/y",
        "created_at": "2024-05-13T20:58:58Z",
        "entities": {
            "mentions": [{"username": "a"}, {"username": "b", "id": "2"}],
            "urls": [
                {"url": "https://t.co/x", "expanded_url": "https://example.com/x"},
                {"url": "https://t.co/y"},
            ],
        },
    }
    (tw,) = parse(v2_message(data)).tweets
    assert tw.mentions == ("a", "b")
    assert tw.urls == ("https://example.com/x", "https://t.co/y")
    assert tw.author.id is None


def test_v2_inferred_references_and_unknown_author() -> None:
    data = {
        "id": 1642693206365044736,  # an int id, as in converted corpora
        "text": "RT @x: hi",
        "created_at": "2023-04-03T00:59:14.000Z",
        "author_id": "99",
        "referenced_tweets_inferred": [{"type": "retweeted", "id": None}],
    }
    (tw,) = parse(v2_message(data)).tweets
    assert tw.id == "1642693206365044736"
    assert tw.author.id == "99" and tw.author.username is None
    assert tw.is_retweet


def test_v2_bad_profile_fields_and_null_counts_do_not_reject_the_post() -> None:
    data = {
        "id": "42",
        "text": "hello",
        "created_at": "2023-04-05T08:59:18.000Z",
        "author_id": "7",
        "public_metrics": {"retweet_count": None, "like_count": 4},
    }
    users = [
        {
            "id": "7",
            "username": "u",
            "created_at": "",
            "public_metrics": {"followers_count": None, "tweet_count": 5},
        }
    ]
    record = parse(v2_message(data, users))
    assert record.rejects == []
    (tw,) = record.tweets
    assert tw.author.created_at is None and tw.author.username == "u"
    assert tw.author.tweet_count == 5 and tw.author.followers_count is None
    assert (tw.metrics.retweet_count, tw.metrics.like_count) == (0, 4)


def test_v2_bad_items_are_rejected_alone() -> None:
    good = {"id": "1", "text": "ok", "created_at": "2024-05-13T20:58:58Z"}
    naive = {"id": "2", "text": "ok", "created_at": "2024-05-13T20:58:58"}
    no_text = {"id": "3", "created_at": "2024-05-13T20:58:58Z"}
    tweets, rejects = tweets_from_v2({"data": [good, naive, "junk", no_text]})
    assert [t.id for t in tweets] == ["1"]
    assert [r.reason for r in rejects] == ["naive_timestamp", "not_an_object", "missing_text"]
    assert rejects[0].detail.startswith("data[1].")
    assert orjson.loads(rejects[2].excerpt) == no_text  # the item as received


def test_v2_response_without_data_is_empty() -> None:
    assert parse(raw({"meta": {"result_count": 0}})) == ParsedRecord([], [], None)


# --- the real X API v2 samples ---------------------------------------------------------------


def check_v2_envelope(obj: dict[str, Any], tweets: list[Tweet]) -> None:
    """Tweets correspond 1:1 to ``data`` items, with the author joined from includes.users."""
    data = obj["data"] if isinstance(obj["data"], list) else [obj["data"]]
    users = {u["id"]: u for u in obj.get("includes", {}).get("users", [])}
    assert [t.id for t in tweets] == [d["id"] for d in data]
    for tw, item in zip(tweets, data, strict=True):
        assert tw.created_at.tzinfo is UTC
        assert tw.author.id == item["author_id"]
        user = users.get(item["author_id"])
        if user is not None:
            assert tw.author.username == user["username"]
            assert tw.author.name == user["name"]
        assert tw.text == item.get("note_tweet", {}).get("text", item["text"])
        refs = item.get("referenced_tweets", [])
        assert [(r.type, r.id) for r in tw.references] == [(r["type"], r["id"]) for r in refs]
        mentions = item.get("entities", {}).get("mentions", [])
        assert list(tw.mentions) == [m["username"] for m in mentions]


def stream_lines() -> list[bytes]:
    lines = [line for line in V2_STREAM.read_bytes().splitlines() if line.strip()]
    assert len(lines) == 49
    return lines


def test_every_filtered_stream_message_parses() -> None:
    for number, line in enumerate(stream_lines(), 1):
        record = parse(line)
        assert record.rejects == [], (number, record.rejects)
        assert len(record.tweets) == 1, number
        check_v2_envelope(orjson.loads(line), record.tweets)


@pytest.mark.parametrize(("name", "count"), sorted(V2_FILES.items()))
def test_v2_sample_responses_parse(name: str, count: int) -> None:
    value = (V2_DIR / name).read_bytes()
    record = parse(value)
    assert record.rejects == []
    assert len(record.tweets) == count
    check_v2_envelope(orjson.loads(value), record.tweets)


def test_v2_samples_carry_context_annotations_urls_metrics_and_source() -> None:
    quotes = parse((V2_DIR / "quote_tweets_response_context_annotations_2022.json").read_bytes())
    assert all(t.context_annotations for t in quotes.tweets)
    assert all("/" in name for t in quotes.tweets for name in t.context_annotations)
    assert any(t.metrics.retweet_count > 0 for t in quotes.tweets)
    full = parse((V2_DIR / "filtered_stream_message_full_fields_2024-05-09.json").read_bytes())
    (tw,) = full.tweets
    assert tw.urls and not tw.urls[0].startswith("https://t.co/")
    search = parse((V2_DIR / "search_recent_response_2020-06.json").read_bytes())
    assert any(t.source for t in search.tweets)
    assert any(t.author.created_at is not None for t in search.tweets)


def all_sample_tweets() -> list[Tweet]:
    tweets = [t for line in stream_lines() for t in parse(line).tweets]
    for name in V2_FILES:
        tweets += parse((V2_DIR / name).read_bytes()).tweets
    return tweets


def test_encode_parse_round_trip() -> None:
    tweets = all_sample_tweets()
    wm = datetime(2024, 5, 14, 0, 10, 1, tzinfo=timezone(timedelta(hours=8)))
    record = parse(encode_raw_batch(tweets, wm))
    assert record.rejects == []
    assert record.tweets == tweets
    assert record.watermark == wm


def test_encoded_records_are_small() -> None:
    minimal = Tweet.model_validate(tweet())
    value = encode_raw_batch([minimal])
    assert orjson.loads(value) == {
        "v": 1,
        "tweets": [
            {
                "id": "1790124601021706634",
                "text": "GPT-5 rumours again #AI",
                "created_at": "2024-05-13T20:58:58Z",
                "lang": "en",
            }
        ],
    }


def test_encode_refuses_a_naive_watermark() -> None:
    with pytest.raises(ValueError, match="timezone"):
        encode_raw_batch([], datetime(2024, 5, 14))  # naive on purpose


# --- dead-letter records ----------------------------------------------------------------------


def test_dlq_record_shape() -> None:
    rej = only_reject(parse(b'{"id": "1", "text": "x", "created_at": "2024-05-13T20:58:58"}'))
    now = datetime(2024, 5, 14, 4, 0, tzinfo=timezone(timedelta(hours=8)))
    out = orjson.loads(dlq_record(rej, source=kafka_source("tweets.raw", 3, 1234), now=now))
    assert out == {
        "error": "naive_timestamp",
        "detail": rej.detail,
        "source": "tweets.raw/3@1234",
        "time": "2024-05-13T20:00:00Z",
        "excerpt": '{"id": "1", "text": "x", "created_at": "2024-05-13T20:58:58"}',
    }


def test_dlq_record_needs_an_aware_time_and_keeps_excerpts_short() -> None:
    rej = Reject("invalid_json", "detail", "e" * 5000)
    out = orjson.loads(
        dlq_record(rej, source=file_source(Path("a.jsonl"), 7), now=datetime.now(UTC))
    )
    assert out["source"] == "a.jsonl:7"
    assert len(out["excerpt"]) == EXCERPT_MAX_CHARS
    with pytest.raises(ValueError, match="aware"):
        dlq_record(rej, source="x", now=datetime(2024, 1, 1))  # naive on purpose
