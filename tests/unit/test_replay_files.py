"""Replay input files → tweets/rejects with line numbers, and replay() over a fake Kafka client.

Small files are written by the tests; the real corpora are READ from /work/shared/corpora.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from producers.kafka_sink import BatchingProducer
from producers.replay import iter_file, replay, replay_watermark
from streams.errors import InputError, ServiceError
from streams.model import Tweet
from streams.parse import Reject, parse_raw_record
from streams.settings import Settings
from tests.shared_data import CORPORA as SHARED_CORPORA

CORPORA = SHARED_CORPORA
DERIVED = CORPORA / "a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl"
V2_DIR = CORPORA / "d_twitter_v2_samples"


def v2(tweet_id: str, created_at: str = "2024-05-13T20:58:58.000Z", **data: Any) -> dict[str, Any]:
    """A made-up X API v2 stream message."""
    return {
        "data": {
            "id": tweet_id,
            "text": f"tweet {tweet_id}",
            "created_at": created_at,
            "author_id": "7",
            **data,
        },
        "includes": {"users": [{"id": "7", "username": "seven", "name": "Seven"}]},
    }


def split(items: list[tuple[int, Tweet | Reject]]) -> tuple[list[str], list[tuple[int, str]]]:
    ids = [item.id for _, item in items if isinstance(item, Tweet)]
    rejects = [(line, item.reason) for line, item in items if isinstance(item, Reject)]
    return ids, rejects


# --- iter_file on small files -----------------------------------------------------------------


def test_json_array_of_envelopes(tmp_path: Path) -> None:
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([v2("1"), v2("2"), {"nonsense": True}, v2("3")], indent=2))
    items = list(iter_file(path))
    ids, rejects = split(items)
    assert ids == ["1", "2", "3"]
    assert rejects == [(1, "unknown_record")]
    (reject,) = [item for _, item in items if isinstance(item, Reject)]
    assert reject.detail.startswith("[2] ")


def test_single_pretty_printed_response(tmp_path: Path) -> None:
    response = {"data": [v2("1")["data"], v2("2")["data"]], "meta": {"result_count": 2}}
    path = tmp_path / "response.json"
    path.write_text("\n\n" + json.dumps(response, indent=1))
    assert split(list(iter_file(path))) == (["1", "2"], [])


def test_jsonl_broken_line_is_a_reject_with_its_line_number(tmp_path: Path) -> None:
    lines = [
        json.dumps(v2("1")),
        "",
        json.dumps(v2("2")),
        '{"data": {"id": "3", "text": "cut off',
        "   ",
        json.dumps(v2("4", created_at="2024-05-13T20:58:58")),
        json.dumps(v2("5")),
        "",
    ]
    path = tmp_path / "stream.jsonl"
    path.write_text("\n".join(lines))
    ids, rejects = split(list(iter_file(path)))
    assert ids == ["1", "2", "5"]
    assert rejects == [(4, "invalid_json"), (6, "naive_timestamp")]


def test_jsonl_invalid_utf8_and_mixed_shapes(tmp_path: Path) -> None:
    bare = {"id": "10", "text": "bare", "created_at": "2024-05-13T20:58:58Z"}
    batch = {"v": 1, "tweets": [{**bare, "id": "11"}, {**bare, "id": "12", "text": ""}]}
    path = tmp_path / "mixed.json"  # JSONL content under a .json name
    path.write_bytes(
        b"\n".join([orjson.dumps(bare), b'{"text": "caf\xe9"}', orjson.dumps(batch)]) + b"\n"
    )
    items = list(iter_file(path))
    assert split(items) == (["10", "11"], [(2, "invalid_utf8"), (3, "missing_text")])
    utf8 = next(item for _, item in items if isinstance(item, Reject))
    assert utf8.excerpt == '{"text": "caf\\xe9"}'


def test_broken_json_document_is_one_reject_at_the_error_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "data": [\n    {"id": "1",\n     "text": }\n  ]\n}\n')
    ((line, item),) = list(iter_file(path))
    assert isinstance(item, Reject)
    assert (line, item.reason) == (4, "invalid_json")


def test_byte_order_mark_and_empty_files(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(v2("1")) + b"\n")
    assert split(list(iter_file(bom))) == (["1"], [])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    assert list(iter_file(empty)) == []


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(InputError, match=r"nope\.jsonl") as err:
        list(iter_file(missing))
    assert err.value.reason == "unreadable_file"
    with pytest.raises(InputError, match=re.escape(str(tmp_path))):
        list(iter_file(tmp_path))  # a directory


def test_text_limit_applies_when_given(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps(v2("1", text="x" * 500)) + "\n")
    assert split(list(iter_file(path))) == (["1"], [])
    assert split(list(iter_file(path, max_text_chars=280))) == ([], [(1, "text_too_long")])


# --- the real corpora -------------------------------------------------------------------------


def test_derived_v2like_corpus_parses_completely() -> None:
    items = list(iter_file(DERIVED))
    ids, rejects = split(items)
    assert rejects == []
    assert len(ids) == 5974
    assert [line for line, _ in items] == list(range(1, 5975))
    tweets = [item for _, item in items if isinstance(item, Tweet)]
    assert all(t.author.username for t in tweets)
    assert sum(t.is_retweet for t in tweets) > 3000
    assert min(t.created_at for t in tweets) >= datetime(2023, 4, 3, tzinfo=UTC)
    assert max(t.created_at for t in tweets) < datetime(2023, 4, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("filtered_stream_2024-05-13_49msgs.jsonl", 49),
        ("filtered_stream_message_full_fields_2024-05-09.json", 1),
        ("quote_tweets_response_context_annotations_2022.json", 15),
        ("search_recent_response_2020-06.json", 4),
    ],
)
def test_v2_samples_via_iter_file(name: str, count: int) -> None:
    ids, rejects = split(list(iter_file(V2_DIR / name)))
    assert rejects == []
    assert len(ids) == count


# --- replay() over a fake client --------------------------------------------------------------


class FakeFuture:
    def __init__(self, error: BaseException | None) -> None:
        self.error = error

    def add_errback(self, fn: Callable[..., Any], *args: Any) -> FakeFuture:
        if self.error is not None:
            fn(*args, self.error)
        return self


class FakeClient:
    """Records what a KafkaProducer would have sent; can fail deliveries to one topic."""

    def __init__(self, partitions: int = 3, fail_topic: str | None = None) -> None:
        self.partitions = partitions
        self.fail_topic = fail_topic
        self.sent: list[tuple[str, bytes | None, bytes | None, int | None]] = []
        self.closed = False
        self.flushes = 0

    def send(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        partition: int | None = None,
    ) -> FakeFuture:
        self.sent.append((topic, value, key, partition))
        failed = topic == self.fail_topic
        return FakeFuture(RuntimeError("broker said no") if failed else None)

    def partitions_for(self, topic: str) -> set[int]:
        return set(range(self.partitions))

    def flush(self, timeout: float | None = None) -> None:
        self.flushes += 1

    def close(self, timeout: float | None = None) -> None:
        self.closed = True

    def values(self, topic: str) -> list[bytes]:
        return [v for t, v, _, _ in self.sent if t == topic and v is not None]


@pytest.fixture
def settings() -> Settings:
    return Settings.load(
        topic_prefix="t.", batch_max_tweets=2, batch_max_ms=60_000, timezone="Asia/Shanghai"
    )


def test_replay_sends_batches_dlq_and_a_closing_watermark(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "day.jsonl"
    lines = [
        json.dumps(v2("1", "2024-05-13T15:00:00Z")),
        "not json",
        json.dumps(v2("2", "2024-05-13T16:30:00Z")),  # 00:30 on 05-14 in Shanghai
        json.dumps(v2("3", "2024-05-13T10:00:00Z")),
    ]
    path.write_text("\n".join(lines) + "\n")
    client = FakeClient(partitions=3)
    progress: list[tuple[int, int]] = []
    with BatchingProducer(settings, client=client) as producer:
        stats = replay(
            [path], producer, progress=lambda done, total: progress.append((done, total))
        )
        assert (producer.sent_tweets, producer.dlq) == (3, 1)
        assert producer.sent_records == 2 + 3  # two batch records + one watermark per partition
    assert client.closed
    assert (stats.tweets, stats.rejects) == (3, 1)
    (first,) = stats.first_reasons
    assert first.startswith(f"{path}:2 invalid_json: ")
    assert stats.rate > 0 and stats.seconds > 0
    # complete up to the newest tweet (16:30Z): the worker subtracts the 10 min lateness again,
    # so 05-13 (Shanghai) closes and the partial 05-14 stays open
    expected_wm = datetime(2024, 5, 13, 16, 40, tzinfo=UTC)
    assert stats.final_watermark == expected_wm
    assert progress[-1] == (4, 4)

    raw = [(v, k, p) for t, v, k, p in client.sent if t == "t.tweets.raw"]
    batches = [parse_raw_record(v, max_text_chars=10_000) for v, _, _ in raw if v]
    # event-time order (the default): 3 (10:00) before 1 (15:00) before 2 (16:30)
    assert [[tw.id for tw in b.tweets] for b in batches] == [["3", "1"], ["2"], [], [], []]
    assert [b.watermark for b in batches[2:]] == [expected_wm] * 3
    assert sorted(p for _, _, p in raw[2:] if p is not None) == [0, 1, 2]  # every partition
    keys = [k for _, k, _ in raw[:2]]
    assert len(set(keys)) == 2  # a fresh batch key per record

    (dlq,) = client.values("t.tweets.dlq")
    record = orjson.loads(dlq)
    assert (record["error"], record["source"], record["excerpt"]) == (
        "invalid_json",
        f"{path}:2",
        "not json",
    )


@pytest.mark.parametrize(
    ("latest", "lateness_min", "expected"),
    [
        (datetime(2024, 5, 13, 5, 59, tzinfo=UTC), 10, datetime(2024, 5, 13, 6, 9, tzinfo=UTC)),
        (datetime(2024, 5, 13, 5, 59, tzinfo=UTC), 0, datetime(2024, 5, 13, 5, 59, tzinfo=UTC)),
    ],
)
def test_replay_watermark_is_the_newest_tweet_plus_lateness(
    latest: datetime, lateness_min: int, expected: datetime
) -> None:
    s = Settings.load(timezone="UTC", allowed_lateness=timedelta(minutes=lateness_min))
    assert replay_watermark(latest, s) == expected


def test_no_watermark_when_asked_or_nothing_valid(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("[1]\n")
    client = FakeClient()
    with BatchingProducer(settings, client=client) as producer:
        stats = replay([path], producer)
    assert (stats.tweets, stats.rejects, stats.final_watermark) == (0, 1, None)
    assert client.values("t.tweets.raw") == []


def test_partial_batch_is_sent_after_batch_max_ms(settings: Settings) -> None:
    quick = settings.model_copy(update={"batch_max_ms": 20, "batch_max_tweets": 100})
    client = FakeClient()
    tw = Tweet.model_validate({"id": "1", "text": "x", "created_at": "2024-05-13T20:58:58Z"})
    with BatchingProducer(quick, client=client) as producer:
        producer.add(tw)
        for _ in range(200):  # up to 2 s
            if client.sent:
                break
            time.sleep(0.01)
        assert len(client.values("t.tweets.raw")) == 1


def test_delivery_errors_surface(settings: Settings) -> None:
    client = FakeClient(fail_topic="t.tweets.raw")
    tw = Tweet.model_validate({"id": "1", "text": "x", "created_at": "2024-05-13T20:58:58Z"})
    producer = BatchingProducer(settings, client=client)
    producer.add(tw)
    with pytest.raises(ServiceError, match="broker said no"):
        producer.flush()
    with pytest.raises(ServiceError, match="broker said no"):
        producer.add(tw)
    with pytest.raises(ServiceError, match="broker said no"):
        producer.close()
    assert client.closed


def test_oversized_batches_are_split(settings: Settings) -> None:
    client = FakeClient()
    big = settings.model_copy(update={"batch_max_tweets": 10})
    tweets = [
        Tweet.model_validate(
            {"id": str(i), "text": "y" * 1000, "created_at": "2024-05-13T20:58:58Z"}
        )
        for i in range(10)
    ]
    with BatchingProducer(big, client=client, max_record_bytes=3000) as producer:
        for tw in tweets:
            producer.add(tw)
    values = client.values("t.tweets.raw")
    assert all(len(v) <= 3000 for v in values)
    got = [t.id for v in values for t in parse_raw_record(v, max_text_chars=10_000).tweets]
    assert got == [str(i) for i in range(10)]


def test_naive_watermark_is_refused(settings: Settings) -> None:
    with BatchingProducer(settings, client=FakeClient()) as producer, pytest.raises(ValueError):
        producer.send_watermark(datetime(2024, 5, 14) + timedelta(hours=1))


class RefusingClient(FakeClient):
    def send(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        partition: int | None = None,
    ) -> FakeFuture:
        raise RuntimeError("record too large")


def test_synchronous_send_errors_surface_and_the_client_still_closes(settings: Settings) -> None:
    client = RefusingClient()
    tw = Tweet.model_validate({"id": "1", "text": "x", "created_at": "2024-05-13T20:58:58Z"})
    producer = BatchingProducer(settings, client=client)
    producer.add(tw)  # batch_max_tweets=2: nothing sent yet
    with pytest.raises(ServiceError, match="record too large"):
        producer.close()
    assert client.closed
    producer.close()  # a second close is a no-op


def test_producer_counts_sent_tweets_by_source(settings: Settings) -> None:
    from streams import metrics as m

    before = m.PRODUCER_TWEETS_SENT.labels("replay")._value.get()
    client = FakeClient()
    tw = Tweet.model_validate({"id": "1", "text": "x", "created_at": "2024-05-13T20:58:58Z"})
    with BatchingProducer(settings, client=client, source="replay") as producer:
        producer.add(tw)
        producer.add(tw.model_copy(update={"id": "2"}))
    assert m.PRODUCER_TWEETS_SENT.labels("replay")._value.get() - before == 2
