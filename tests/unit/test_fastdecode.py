"""streams.fastdecode.typed_record returns exactly what the generic fast path returns for the
same line (``fast_record(orjson.loads(line))``), or None — on every real corpus line, on
generated tweets in both shapes, on every bad tweet and on the unusual-but-valid cases.

The real corpora are READ from the shared folder (never copied into the repo).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
import pytest

from producers.kafka_sink import tweet_json
from producers.synthetic import generate_day
from streams.fastdecode import typed_record
from streams.parse import fast_record
from streams.settings import Settings
from tests.unit.test_parse import BAD_TWEETS, tweet
from tests.unit.test_replay_fast import MAX, UNUSUAL, corpus_paths, v2_envelope


def same_as_generic(line: bytes, max_text_chars: int = MAX) -> bool:
    """typed_record(line) is None or the generic fast path's record; True when it took it."""
    typed = typed_record(line, max_text_chars=max_text_chars)
    if typed is None:
        return False
    generic = fast_record(orjson.loads(line), max_text_chars=max_text_chars)
    assert generic is not None, line
    assert typed == generic, line
    return True


def test_generated_tweets_take_the_typed_path_in_both_shapes() -> None:
    generated, _ = generate_day(date(2025, 11, 7), 3000, 5, Settings.load().zone)
    for t in generated:
        assert same_as_generic(tweet_json(t))
        assert same_as_generic(orjson.dumps(v2_envelope(t)))
        # the spacing of Python's json.dumps (as in the derived corpus) is fine too
        spaced = orjson.dumps(v2_envelope(t)).replace(b'{"data":', b'{"data": ', 1)
        assert same_as_generic(spaced)


def test_every_real_corpus_line_matches_the_generic_path() -> None:
    taken = lines = 0
    for path in corpus_paths():
        if path.suffix != ".jsonl" or "weibo" in path.name:  # Weibo rows are another format
            continue
        for line in path.read_bytes().splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                orjson.loads(line)
            except orjson.JSONDecodeError:
                assert typed_record(line, max_text_chars=MAX) is None
                continue
            lines += 1
            taken += same_as_generic(line)
    assert lines > 5_000
    # the derived v2 corpus is the common shape: nearly all of it takes the typed path
    assert taken / lines > 0.95, (taken, lines)


@pytest.mark.parametrize("case", BAD_TWEETS, ids=[c[0] for c in BAD_TWEETS])
def test_bad_tweets_are_never_taken(case: tuple[str, dict[str, Any], str, str]) -> None:
    _, obj, _, _ = case
    assert typed_record(orjson.dumps(obj), max_text_chars=MAX) is None
    same_as_generic(orjson.dumps({"data": obj}))


@pytest.mark.parametrize(("obj", "fast"), [c[1:] for c in UNUSUAL], ids=[c[0] for c in UNUSUAL])
def test_unusual_tweets_match_the_generic_path(obj: dict[str, Any], fast: bool) -> None:
    line = orjson.dumps(obj)
    assert same_as_generic(line) is fast
    same_as_generic(orjson.dumps({"data": obj}))


@pytest.mark.parametrize(
    ("case", "line"),
    [
        ("a batch record", orjson.dumps({"v": 1, "tweets": [tweet()]})),
        ("a v2 message with a batch key", orjson.dumps({"data": tweet(), "v": 1})),
        ("a v2 list of tweets", orjson.dumps({"data": [tweet()]})),
        ("an error-only message", b'{"errors":[{"title":"x"}]}'),
        ("a long post (note_tweet)", orjson.dumps({"data": {**tweet(), "note_tweet": {}}})),
        ("invalid JSON", b'{"id": "1", "text": '),
        ("invalid UTF-8", b'{"id":"1","text":"\xff","created_at":"2024-05-13T20:58:58Z"}'),
        ("a lone surrogate", b'{"id":"1","text":"\\ud800","created_at":"2024-05-13T20:58:58Z"}'),
        ("an integer id", b'{"data":{"id":1,"text":"a","created_at":"2024-05-13T20:58:58Z"}}'),
    ],
)
def test_other_shapes_are_left_to_the_generic_path(case: str, line: bytes) -> None:
    assert typed_record(line, max_text_chars=MAX) is None, case


def test_v2_author_and_entities_are_reshaped_like_the_generic_path() -> None:
    message = {
        "data": {
            "id": "11",
            "text": "GPT-5 notes #ai $NVDA @lab https://t.co/x",
            "created_at": "2024-05-13T20:58:58.5+02:00",
            "author_id": "7",
            "public_metrics": {"like_count": 3, "retweet_count": None, "bookmark_count": 9},
            "entities": {
                "hashtags": [{"tag": "ai"}, {"start": 3}],
                "cashtags": [{"tag": "NVDA"}],
                "mentions": [{"username": "lab"}],
                "urls": [{"url": "https://t.co/x"}, {"expanded_url": "https://e.x", "url": "u"}],
            },
            "referenced_tweets_inferred": [{"type": "quoted", "id": None}],
            "context_annotations": [
                {"domain": {"name": "Brand"}, "entity": {"name": "OpenAI"}},
                {"domain": {"name": "Brand"}, "entity": {"name": "OpenAI"}},
            ],
        },
        "includes": {
            "users": [
                {"id": "6", "username": "other"},
                {
                    "id": "7",
                    "username": "me",
                    "verified": True,
                    "created_at": "2020-01-01T00:00:00Z",
                    "public_metrics": {"followers_count": 5, "tweet_count": None},
                },
            ]
        },
    }
    line = orjson.dumps(message)
    assert same_as_generic(line)
    record = typed_record(line, max_text_chars=MAX)
    assert record is not None
    out = orjson.loads(record.json)
    assert out["author"] == {
        "id": "7",
        "username": "me",
        "verified": True,
        "created_at": "2020-01-01T00:00:00Z",
        "followers_count": 5,
    }
    assert out["urls"] == ["https://t.co/x", "https://e.x"]
    assert out["metrics"] == {"like_count": 3}
    assert out["created_at"] == "2024-05-13T18:58:58.500000Z"
    assert out["context_annotations"] == ["Brand/OpenAI"]
    assert out["references"] == [{"type": "quoted"}]


def test_text_limit() -> None:
    line = orjson.dumps(tweet(text="x" * 50))
    assert typed_record(line, max_text_chars=50) is not None
    assert typed_record(line, max_text_chars=49) is None
