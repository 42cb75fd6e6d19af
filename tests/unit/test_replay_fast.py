"""The replay's fast validation path (streams.parse.fast_record, formats.read_file_fast) gives
exactly what the full pydantic path gives: the same tweets (byte-identical JSON), the same
rejects with the same reason codes, on every real corpus tweet and on generated tweets.

The real corpora are READ from the shared folder (never copied into the repo).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from producers.formats import read_file, read_file_fast
from producers.kafka_sink import BatchingProducer, tweet_json
from producers.replay import FileSink, replay
from producers.synthetic import generate_day
from streams.model import Tweet
from streams.parse import (
    Reject,
    TweetRecord,
    fast_record,
    parse_object,
    parse_raw_record,
)
from streams.settings import Settings
from tests.shared_data import require
from tests.unit.test_parse import BAD_TWEETS, tweet
from tests.unit.test_replay_files import FakeClient

MAX = 10_000
CORPUS_FILES = [
    "a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl",
    "a_ai_tweets/chatgpt_daily_tweets_2023-04-03_to_07.csv",
    "a_ai_tweets/chatgpt_tweets_2023-04-27_rtweet_40min.csv",
    "a_ai_tweets/chatgpt_geo_2022-11-30_to_2023-02-24",
    "c_chinese/weibo_posts_user_labelled_spam_2011-2017.jsonl",
    "d_twitter_v2_samples",
]


def corpus_paths() -> list[Path]:
    paths: list[Path] = []
    for rel in CORPUS_FILES:
        found = require(f"corpora/{rel}")
        paths += sorted(p for p in found.iterdir() if p.is_file()) if found.is_dir() else [found]
    return paths


def v2_envelope(t: Tweet) -> dict[str, Any]:
    """The tweet as an X API v2 stream message (author joined from includes.users)."""
    data: dict[str, Any] = {
        "id": t.id,
        "text": t.text,
        "created_at": t.created_at.isoformat(),
        "lang": t.lang,
        "source": t.source,
        "public_metrics": t.metrics.model_dump(),
        "entities": {
            "hashtags": [{"tag": h} for h in t.hashtags],
            "cashtags": [{"tag": c} for c in t.cashtags],
            "mentions": [{"username": m} for m in t.mentions],
            "urls": [{"expanded_url": u} for u in t.urls],
        },
        "referenced_tweets": [r.model_dump(exclude_none=True) for r in t.references],
    }
    message: dict[str, Any] = {"data": {k: v for k, v in data.items() if v is not None}}
    if t.author.id is not None:
        data["author_id"] = t.author.id
        user = t.author.model_dump(mode="json", exclude_none=True)
        counts = {k: user.pop(k) for k in list(user) if k.endswith("_count")}
        message["includes"] = {"users": [{**user, "public_metrics": counts}]}
    return message


def assert_same(value: object) -> bool:
    """fast_record(value) is None, or the one tweet the full path makes, byte for byte.
    Returns whether the fast path took it."""
    fast = fast_record(value, max_text_chars=MAX)
    if fast is None:
        return False
    slow = parse_object(value, max_text_chars=MAX)
    assert slow.rejects == [] and len(slow.tweets) == 1, (value, slow)
    tw = slow.tweets[0]
    assert fast.json == tweet_json(tw)
    assert (fast.id, fast.created_at) == (tw.id, tw.created_at)
    assert fast.to_tweet() == tw
    return True


# --- the fast path on its own ----------------------------------------------------------------


def test_every_real_corpus_tweet_takes_the_fast_path_with_identical_json() -> None:
    """Each tweet of every corpus file (all formats), as a normalized object and as a v2
    message, gives byte-identical JSON on the fast path; every v2 JSONL line is checked too."""
    tweets = 0
    for path in corpus_paths():
        for _, item in read_file(path, max_text_chars=MAX):
            if isinstance(item, Tweet):
                tweets += 1
                assert assert_same(orjson.loads(tweet_json(item)))
                assert assert_same(orjson.loads(orjson.dumps(v2_envelope(item))))
        if path.suffix == ".jsonl":
            for line in path.read_bytes().splitlines():
                try:
                    value = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                assert_same(value)
    assert tweets > 60_000


def test_generated_tweets_take_the_fast_path_with_identical_json() -> None:
    generated, _ = generate_day(date(2025, 11, 7), 3000, 3, Settings.load().zone)
    assert len(generated) >= 3000
    for t in generated:
        assert assert_same(orjson.loads(tweet_json(t)))
        assert assert_same(v2_envelope(t))


@pytest.mark.parametrize(
    ("obj", "reason", "word"), [c[1:] for c in BAD_TWEETS], ids=[c[0] for c in BAD_TWEETS]
)
def test_every_bad_tweet_is_left_to_the_full_path(
    obj: dict[str, Any], reason: str, word: str
) -> None:
    assert fast_record(obj, max_text_chars=MAX) is None
    # as a v2 message some are fine (v2 ids may be JSON integers); the full path's verdict
    assert_same({"data": obj})


# (case, tweet object, fast path takes it): valid but unusual inputs. Whatever the fast path
# does, the result is the full path's (assert_same); None means pydantic decides.
UNUSUAL: list[tuple[str, dict[str, Any], bool]] = [
    ("offset +05:30 → UTC", tweet(created_at="2024-05-13T20:58:58+05:30"), True),
    ("no fraction", tweet(created_at="2024-05-13T20:58:58Z"), True),
    ("one-digit fraction", tweet(created_at="2024-05-13T20:58:58.1Z"), True),
    ("space separator", tweet(created_at="2024-05-13 20:58:58Z"), False),
    ("unix time", tweet(created_at=1715633938), False),
    ("count as float", tweet(metrics={"like_count": 3.0}), False),
    ("zero counts", tweet(metrics={"like_count": 0, "quote_count": 2}), True),
    ("unknown keys everywhere", tweet(x=1, author={"id": "1", "x": 2}, metrics={"y": 3}), True),
    ("verified false", tweet(author={"verified": False}), True),
    ("verified as string", tweet(author={"verified": "true"}), False),
    ("null author", tweet(author=None), False),
    ("empty author", tweet(author={}), True),
    ("reference without id", tweet(references=[{"type": "quoted", "id": None}]), True),
    ("empty lists", tweet(hashtags=[], urls=[], references=[]), True),
    ("null optional fields", tweet(lang=None, source=None), True),
    ("20-digit id", tweet(id="9" * 20), True),
    ("non-ASCII digits", tweet(id="١٢٣"), False),
    ("id with newline", tweet(id="123\n"), False),
    ("context annotations", tweet(context_annotations=["Brand/OpenAI"]), True),
    ("hashtag not a string", tweet(hashtags=[1]), False),
    ("a key of a v2 message", tweet(data=None), False),
    ("a key of a batch", tweet(v=1), False),
]


@pytest.mark.parametrize(("obj", "fast"), [c[1:] for c in UNUSUAL], ids=[c[0] for c in UNUSUAL])
def test_unusual_tweets_match_the_full_path(obj: dict[str, Any], fast: bool) -> None:
    assert assert_same(obj) is fast


def test_text_limit_is_the_full_paths() -> None:
    obj = tweet(text="x" * 50)
    assert fast_record(obj, max_text_chars=50) is not None
    assert fast_record(obj, max_text_chars=49) is None  # the full path rejects: text_too_long


# --- the readers and the sinks ---------------------------------------------------------------


def materialized(items: list[tuple[int, Tweet | TweetRecord | Reject]]) -> list[object]:
    return [(line, i.to_tweet() if isinstance(i, TweetRecord) else i) for line, i in items]


def test_read_file_fast_yields_what_read_file_yields(tmp_path: Path) -> None:
    """Same lines, same tweets, same rejects (reason, detail, excerpt) on a file of every bad
    tweet, record rejects and good lines, and on every real corpus file."""
    lines = [orjson.dumps(tweet(id=str(i))) for i in range(3)]
    lines += [orjson.dumps(obj) for _, obj, _, _ in BAD_TWEETS]
    lines += [orjson.dumps({"data": obj}) for _, obj, _, _ in BAD_TWEETS]
    lines += [b"not json", b"[1, 2]", b'{"foo": 1}', orjson.dumps({"v": 1, "tweets": [tweet()]})]
    lines += [orjson.dumps(obj) for _, obj, _ in UNUSUAL]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b"\n".join(lines) + b"\n")
    v2_corpora = [
        p for p in corpus_paths() if p.suffix in (".json", ".jsonl") and "weibo" not in p.name
    ]
    for path in [mixed, *v2_corpora]:
        fast = list(read_file_fast(path, max_text_chars=MAX))
        slow = list(read_file(path, max_text_chars=MAX))
        assert materialized(fast) == slow, path
    fast_mixed = list(read_file_fast(mixed, max_text_chars=MAX))
    assert sum(isinstance(i, TweetRecord) for _, i in fast_mixed) > 3
    rejects = [i.reason for _, i in fast_mixed if isinstance(i, Reject)]
    assert set(rejects) >= {reason for _, _, reason, _ in BAD_TWEETS}


def test_to_file_output_is_byte_identical(tmp_path: Path) -> None:
    """--to-file (FileSink takes fast records) writes exactly what the Tweet models would."""
    corpus = require(
        "corpora/a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl"
    )
    settings = Settings.load()
    out = tmp_path / "out.jsonl"
    with FileSink(settings, out) as sink:
        stats = replay([corpus], sink)
    tweets = [t for _, t in read_file(corpus, max_text_chars=settings.max_text_chars)]
    expected = sorted((t for t in tweets if isinstance(t, Tweet)), key=lambda t: t.created_at)
    assert stats.tweets == len(expected) > 5000
    assert out.read_bytes().splitlines() == [tweet_json(t) for t in expected]


def test_batching_producer_mixes_records_and_tweets() -> None:
    settings = Settings.load(topic_prefix="t.", batch_max_tweets=3, batch_max_ms=60_000)
    records = [fast_record(tweet(id=str(i)), max_text_chars=MAX) for i in range(4)]
    client = FakeClient()
    with BatchingProducer(settings, client=client) as producer:
        for rec in records:
            assert rec is not None
            producer.add_record(rec)
        producer.add(Tweet.model_validate(tweet(id="9", text="a model")))
    batches = [parse_raw_record(v, max_text_chars=MAX) for v in client.values("t.tweets.raw")]
    assert [[t.id for t in b.tweets] for b in batches] == [["0", "1", "2"], ["3", "9"]]
    assert all(b.rejects == [] for b in batches)
    assert batches[1].tweets[1].text == "a model"
