"""The streamed time-ordered replay sends exactly what reading every file whole and sorting it
sends: the same tweets in the same order, the same rejects, with bounded memory for files
already (nearly) in event-time order (producers.formats.scan_event_order, replay._streamed).

The real corpora are READ from the shared folder (never copied into the repo).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from producers import replay as replay_module
from producers.formats import EventOrder, scan_event_order
from producers.kafka_sink import BatchingProducer, tweet_json
from producers.replay import ReplayOptions, ReplayStats, replay
from producers.synthetic import generate_day
from streams.errors import ConfigError
from streams.fastdecode import event_times, line_event_time
from streams.model import Tweet
from streams.parse import Reject, TweetRecord, _fast_ts, _Unusual, parse_raw_record
from streams.settings import Settings
from tests.bench.produce import v2_envelope
from tests.shared_data import require
from tests.unit.test_replay_files import FakeClient

T0 = datetime(2025, 11, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
def settings() -> Settings:
    return Settings.load(timezone="UTC", allowed_lateness=timedelta(minutes=10))


class Recorder:
    """A sink keeping the JSON of every tweet (fast-path records as they are), the rejects and
    the watermarks, in the order it got them; ``fail_at`` raises KeyboardInterrupt there."""

    def __init__(self, settings: Settings, fail_at: int | None = None) -> None:
        self.settings = settings
        self.sent: list[bytes] = []
        self.dlq: list[tuple[str, str]] = []
        self.watermarks: list[datetime] = []
        self.fail_at = fail_at

    @property
    def destination(self) -> str:
        return "memory:stream-test"

    def _take(self, value: bytes) -> None:
        if self.fail_at is not None and len(self.sent) + 1 == self.fail_at:
            raise KeyboardInterrupt
        self.sent.append(value)

    def add(self, tweet: Tweet) -> None:
        self._take(tweet_json(tweet))

    def add_record(self, record: TweetRecord) -> None:
        self._take(record.json)

    def send_dlq(self, reject: Reject, source: str) -> None:
        self.dlq.append((source, reject.reason))

    def send_watermark(self, ts: datetime) -> None:
        self.watermarks.append(ts)

    def flush(self, timeout: float | None = None) -> None:
        return None

    def close(self) -> None:
        return None


def run(paths: list[Path], settings: Settings, **options: object) -> tuple[Recorder, ReplayStats]:
    sink = Recorder(settings)
    stats = replay(paths, sink, options=ReplayOptions(**options))  # type: ignore[arg-type]
    return sink, stats


def assert_same_as_sorted(paths: list[Path], settings: Settings, buffer: int) -> None:
    streamed, stats = run(paths, settings, reorder_buffer=buffer)
    reference, ref_stats = run(paths, settings, stream=False)
    assert streamed.sent == reference.sent  # same tweets, same bytes, same order
    assert sorted(streamed.dlq) == sorted(reference.dlq)
    assert streamed.watermarks == reference.watermarks
    assert (stats.tweets, stats.rejects) == (ref_stats.tweets, ref_stats.rejects)
    assert not any("sent after a newer one" in note for note in stats.notes)


def bare(tweet_id: int, at: datetime) -> bytes:
    return orjson.dumps({"id": str(tweet_id), "text": f"tweet {tweet_id}", "created_at": at})


def write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def minutes(*offsets: int) -> list[bytes]:
    return [bare(i + 1, T0 + timedelta(minutes=m)) for i, m in enumerate(offsets)]


# --- the scan ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "bound", "expected"),
    [
        (minutes(0, 1, 1, 2, 5), 2, EventOrder(5, True)),
        # one tweet 2 places early: a buffer of 2 puts it in place...
        (minutes(0, 3, 1, 2, 4), 2, EventOrder(5, False)),
        (minutes(0, 3, 4, 1, 5), 2, EventOrder(5, False)),
        # ... with a buffer of 1, line 4 is older than line 2 (more than 1 place before it)
        (minutes(0, 3, 1, 2, 4), 1, EventOrder(5, False, ((4, minutes(0, 3, 1, 2, 4)[3]),))),
        (minutes(0, 3, 4, 1, 5), 1, EventOrder(5, False, ((4, minutes(0, 3, 4, 1, 5)[3]),))),
        # a late tweet at the end is an outlier, read first and merged in
        (minutes(0, 1, 2, 3, 4, 0), 1, EventOrder(6, False, ((6, minutes(0, 1, 2, 3, 4, 0)[5]),))),
        # newest-first: more outliers than allowed (bound 1 → at most 1)
        (minutes(4, 3, 2, 1, 0), 1, None),
        (minutes(4, 3, 2, 1, 0), 0, None),
        # not JSON: a reject, skipped
        ([*minutes(0, 1)[:1], b"{broken", *minutes(0, 1)[1:]], 0, EventOrder(3, True)),
        # JSON but not one tweet: cannot tell, sort the file
        ([*minutes(0), b'{"v":1,"tweets":[]}'], 5, None),
        ([*minutes(0), b'{"data":[{"id":"1","text":"a","created_at":"2025-11-07T08:00:00Z"}]}'],
         5, None),
        ([*minutes(0), b'{"id":"2","text":"a","created_at":"2025-11-07 08:00"}'], 5, None),
        ([], 5, EventOrder(0, True)),
    ],
)  # fmt: skip
def test_scan_event_order(
    tmp_path: Path, lines: list[bytes], bound: int, expected: EventOrder | None
) -> None:
    path = write(tmp_path / "in.jsonl", lines) if lines else tmp_path / "in.jsonl"
    if not lines:
        path.write_bytes(b"")
    assert scan_event_order(path, bound, max_outliers=max(bound, 1)) == expected


def test_scan_of_a_json_document_says_sort_it(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(
        '{\n  "data": {"id": "1", "text": "a", "created_at": "2025-11-07T08:00:00Z"}\n}'
    )
    assert scan_event_order(path, 10, max_outliers=10) is None


# --- streamed order == sorted order -----------------------------------------------------------


DERIVED = "a_ai_tweets/derived_replay_chatgpt_daily_2023-04-03_to_07.v2like.jsonl"  # in order
STREAM49 = "d_twitter_v2_samples/filtered_stream_2024-05-13_49msgs.jsonl"  # a little off


@pytest.mark.parametrize(
    ("name", "buffer", "streamed"),
    [
        (DERIVED, 0, True),
        (DERIVED, 1000, True),
        (STREAM49, 0, False),  # 10 lines out of place > 0 allowed: sorted whole
        (STREAM49, 4, False),  # more than 4 outliers
        (STREAM49, 6, True),  # 2 outliers (lines 10 and 46)
        (STREAM49, 8, True),  # the buffer alone
        (STREAM49, 1000, True),
    ],
)
def test_real_corpus_files_stream_in_the_sorted_order(
    name: str, buffer: int, streamed: bool, settings: Settings
) -> None:
    path = require(f"corpora/{name}")
    assert (scan_event_order(path, buffer, max_outliers=buffer) is not None) == streamed
    assert_same_as_sorted([path], settings, buffer)


@pytest.fixture(scope="module")
def synthetic_day(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A seeded synthetic day (out-of-order and late tweets, duplicates) as normalized tweets
    and as X API v2 messages, in generation order."""
    tweets, _ = generate_day(date(2025, 11, 7), 3000, 5, Settings.load().zone)
    folder = tmp_path_factory.mktemp("day")
    normalized = write(folder / "day.jsonl", [tweet_json(t) for t in tweets])
    envelopes = write(folder / "day.v2.jsonl", [v2_envelope(t) for t in tweets])
    return normalized, envelopes


@pytest.mark.parametrize("buffer", [0, 50, 10_000])
def test_a_synthetic_day_with_late_tweets_streams_in_the_sorted_order(
    synthetic_day: tuple[Path, Path], buffer: int, settings: Settings
) -> None:
    for path in synthetic_day:
        assert_same_as_sorted([path], settings, buffer)
    scan = scan_event_order(synthetic_day[0], 50, max_outliers=50)
    assert scan is not None and not scan.in_order and scan.outliers  # heap and outliers used


def test_shuffled_newest_first_and_broken_files_keep_the_sorted_order(
    tmp_path: Path, synthetic_day: tuple[Path, Path], settings: Settings
) -> None:
    lines = synthetic_day[1].read_bytes().splitlines()
    random.Random(3).shuffle(lines)
    shuffled = write(tmp_path / "shuffled.jsonl", lines)
    assert scan_event_order(shuffled, 50, max_outliers=50) is None  # sorted whole
    by_time = sorted(lines, key=lambda line: orjson.loads(line)["data"]["created_at"])
    newest_first = write(tmp_path / "newest_first.jsonl", by_time[::-1])
    nearly = by_time[:]
    nearly[100], nearly[110] = nearly[110], nearly[100]
    broken = write(tmp_path / "broken.jsonl", [b"garbage", *nearly[:500], b"\xff{", *nearly[500:]])
    for path in (shuffled, newest_first, broken):
        assert_same_as_sorted([path], settings, 50)
    streamed, _ = run([broken], settings, reorder_buffer=50)
    assert [source for source, _ in streamed.dlq] == [f"{broken}:1", f"{broken}:502"]


def test_several_files_merge_like_the_sorted_path(
    tmp_path: Path, synthetic_day: tuple[Path, Path], settings: Settings
) -> None:
    derived = require(f"corpora/{DERIVED}")
    # a streamed file, one with outliers, a file sorted whole (CSV) and a broken one, with ties
    late = write(tmp_path / "late.jsonl", minutes(0, 1, 2, 3, 0, 2))
    ties = write(tmp_path / "ties.jsonl", [b"nope", *minutes(0, 2, 2)])
    csv = require("corpora/a_ai_tweets/chatgpt_tweets_2023-04-27_rtweet_40min.csv")
    paths = [synthetic_day[0], late, derived, csv, ties]
    assert_same_as_sorted(paths, settings, 2)


def test_streamed_file_resumes_where_it_stopped(
    tmp_path: Path, synthetic_day: tuple[Path, Path], settings: Settings
) -> None:
    path = synthetic_day[1]
    whole, _ = run([path], settings, reorder_buffer=50)
    options = ReplayOptions(reorder_buffer=50, checkpoint_dir=tmp_path / "cp", resume=True)
    first = Recorder(settings, fail_at=1234)
    with pytest.raises(KeyboardInterrupt):
        replay([path], first, options=options)
    second = Recorder(settings)
    stats = replay([path], second, options=options)
    assert first.sent + second.sent == whole.sent  # nothing twice, nothing lost, same order
    assert stats.resumed == 1233
    # a checkpoint of a streamed file does not resume a sorted replay (items count differently)
    with pytest.raises(ConfigError, match="reorder changed"):
        replay([path], Recorder(settings), options=ReplayOptions(
            stream=False, checkpoint_dir=tmp_path / "cp", resume=True))  # fmt: skip


def test_a_streamed_file_is_not_held_in_memory(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first tweet of a file in order is sent after one line was read, not the whole file;
    the heap of a file out of order holds ``reorder_buffer`` tweets."""
    read: list[int] = []
    real_items = replay_module._items

    def counting(*args: Any) -> Iterator[Any]:
        for item in real_items(*args):
            read.append(1)
            yield item

    monkeypatch.setattr(replay_module, "_items", counting)
    at_first_send: list[int] = []

    class Probe(Recorder):
        def add_record(self, record: TweetRecord) -> None:
            if not at_first_send:
                at_first_send.append(len(read))
            super().add_record(record)

    in_order = write(tmp_path / "in.jsonl", minutes(*range(3000)))
    nearly = write(tmp_path / "nearly.jsonl", minutes(*range(1, 3000), 0))
    for path, buffer, expected in [(in_order, 0, 1), (nearly, 100, 101)]:
        read.clear()
        at_first_send.clear()
        sink = Probe(settings)
        replay([path], sink, options=ReplayOptions(reorder_buffer=buffer))
        assert len(sink.sent) == 3000
        assert at_first_send == [expected]


# --- many tweets per call ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_tweets", "first", "sizes", "records"),
    [
        # records of max_tweets, whatever the calls' sizes; the rest waits for more or a flush
        (3, 0, [7], [3, 3, 1]),
        (3, 2, [1, 5], [3, 3, 2]),  # two added one by one first
        (3, 0, [0, 2, 2], [3, 1]),
        (1, 0, [2], [1, 1]),
    ],
)
def test_add_many_packs_records_like_add(
    max_tweets: int, first: int, sizes: list[int], records: list[int]
) -> None:
    settings = Settings.load(
        topic_prefix="t.", batch_max_tweets=max_tweets, batch_max_ms=60_000, timezone="UTC"
    )
    client = FakeClient()
    tweets = iter(minutes(*range(first + sum(sizes))))
    made = [TweetRecord(str(i + 1), T0, next(tweets)) for i in range(first + sum(sizes))]
    with BatchingProducer(settings, client=client) as producer:
        for record in made[:first]:
            producer.add_record(record)
        start = first
        for size in sizes:
            producer.add_many(made[start : start + size])
            start += size
        assert producer.sent_tweets == len(made) - len(made) % max_tweets  # full records
    values = client.values("t.tweets.raw")
    batches = [parse_raw_record(v, max_text_chars=1000).tweets for v in values]
    assert [len(b) for b in batches] == records
    assert [t.id for b in batches for t in b] == [str(i + 1) for i in range(len(made))]


class ManySink(Recorder):
    """A Recorder taking lists; the ``fail_at``-th call raises KeyboardInterrupt."""

    def __init__(self, settings: Settings, fail_at: int | None = None) -> None:
        super().__init__(settings)
        self.calls = 0
        self.fail_call = fail_at

    def add_many(self, tweets: list[TweetRecord | Tweet]) -> None:
        self.calls += 1
        if self.calls == self.fail_call:
            raise KeyboardInterrupt
        self.sent += [t.json if isinstance(t, TweetRecord) else tweet_json(t) for t in tweets]


def test_many_per_call_sends_the_same_and_resumes_exactly_once(
    tmp_path: Path, synthetic_day: tuple[Path, Path], settings: Settings
) -> None:
    path = tmp_path / "day.jsonl"  # rejects in the middle: the tweets before go first
    lines = synthetic_day[1].read_bytes().splitlines()
    write(path, [*lines[:1500], b"garbage", *lines[1500:]])
    one_by_one, _ = run([path], settings)
    many = ManySink(settings)
    replay([path], many)
    assert many.sent == one_by_one.sent and many.dlq == one_by_one.dlq
    assert many.calls > 3

    options = ReplayOptions(checkpoint_dir=tmp_path / "cp", resume=True)
    stopped = ManySink(settings, fail_at=3)
    with pytest.raises(KeyboardInterrupt):
        replay([path], stopped, options=options)
    (checkpoint,) = (tmp_path / "cp").iterdir()
    assert orjson.loads(checkpoint.read_bytes())["done"] == len(stopped.sent) + 1  # + the reject
    resumed = ManySink(settings)
    replay([path], resumed, options=options)
    assert stopped.sent + resumed.sent == one_by_one.sent


@pytest.mark.parametrize(
    "created_at",
    [
        "2025-11-06T16:00:12Z",
        "2025-11-06T16:00:12.1Z",
        "2025-11-06T16:00:12.000000+00:00",
        "2025-11-06T16:00:12+08:00",
        "2025-11-06T16:00:12-23:59",
        # what the parsers' fast path refuses, the scan refuses too (the file is sorted whole)
        "2025-11-06T16:00:12.1234567Z",
        "2025-11-06T16:00:12+24:00",
        "2025-11-06T16:00:12+05:60",
        "2025-02-30T16:00:12Z",
        "2025-11-06 16:00:12Z",
        "2025-11-06T16:00:12",
        "2025-11-06T16:00Z",
        "2025-11-06T16:00:12z",
    ],
)
def test_scan_times_are_the_parsers_times(created_at: str) -> None:
    normalized = orjson.dumps({"id": "1", "text": "a", "created_at": created_at})
    envelope = orjson.dumps({"data": {"id": "1", "text": "a", "created_at": created_at}})
    try:
        expected: datetime | None = _fast_ts(created_at)
    except _Unusual:
        expected = None
    for line in (normalized, envelope):
        assert line_event_time(line) == expected
        assert event_times([line]) == (None if expected is None else [expected])
