"""replay() options: event-time order, --since/--until, --speed, --to-file, --resume, the CLI.

Everything runs against the real FileSink or a recording sink (no Kafka: the Kafka path is in
tests/integration/test_replay_kafka.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from producers import replay as replay_module
from producers.formats import read_file
from producers.replay import (
    Checkpoint,
    FileSink,
    Pacer,
    ReplayOptions,
    parse_time_bound,
    replay,
)
from streams.errors import ConfigError
from streams.model import Tweet
from streams.parse import Reject
from streams.settings import Settings
from tests.shared_data import require
from tweetpulse.cli import main

T0 = datetime(2024, 5, 13, 12, 0, tzinfo=UTC)


@pytest.fixture
def settings() -> Settings:
    return Settings.load(timezone="UTC", allowed_lateness=timedelta(minutes=10))


def bare(tweet_id: int, at: datetime) -> bytes:
    return orjson.dumps({"id": str(tweet_id), "text": f"tweet {tweet_id}", "created_at": at})


def write_jsonl(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


class RecordingSink:
    """A TweetSink that keeps what it got; ``fail_at`` raises on that add (1-based)."""

    def __init__(self, settings: Settings, fail_at: int | None = None, exc: type = RuntimeError):
        self.settings = settings
        self.tweets: list[Tweet] = []
        self.dlq: list[tuple[Reject, str]] = []
        self.watermarks: list[datetime] = []
        self.flushed = 0  # tweets acknowledged by the last flush
        self.fail_at = fail_at
        self.exc = exc

    @property
    def destination(self) -> str:
        return "memory:test"

    def add(self, tweet: Tweet) -> None:
        if self.fail_at is not None and len(self.tweets) + 1 == self.fail_at:
            raise self.exc("stop here")
        self.tweets.append(tweet)

    def send_dlq(self, reject: Reject, source: str) -> None:
        self.dlq.append((reject, source))

    def send_watermark(self, ts: datetime) -> None:
        self.watermarks.append(ts)

    def flush(self, timeout: float | None = None) -> None:
        self.flushed = len(self.tweets)

    def close(self) -> None:
        self.flush()


# --- pure pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("speed", "events", "nows", "expected"),
    [
        # first tweet sets the origin; 10 s of event time at 5x = 2 s of wall time
        (5.0, [0, 10, 20], [100.0, 100.5, 103.0], [0.0, 1.5, 1.0]),
        (1.0, [0, 30, 10], [0.0, 0.0, 5.0], [0.0, 30.0, 5.0]),
        # an older tweet goes out at once
        (2.0, [60, 0], [0.0, 1.0], [0.0, 0.0]),
    ],
)
def test_pacer_delay(
    speed: float, events: list[int], nows: list[float], expected: list[float]
) -> None:
    pacer = Pacer(speed)
    got = [pacer.delay(T0 + timedelta(seconds=e), now) for e, now in zip(events, nows, strict=True)]
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-04-03", datetime(2023, 4, 2, 16, 0, tzinfo=UTC)),  # midnight in Shanghai
        ("2023-04-03T12:00:00Z", datetime(2023, 4, 3, 12, 0, tzinfo=UTC)),
        ("2023-04-03T12:00:00+02:00", datetime(2023, 4, 3, 10, 0, tzinfo=UTC)),
    ],
)
def test_time_bounds(value: str, expected: datetime) -> None:
    assert parse_time_bound(value, ZoneInfo("Asia/Shanghai")) == expected


@pytest.mark.parametrize("value", ["2023-04-03T12:00:00", "yesterday", "2023-13-01"])
def test_bad_time_bounds_say_how_to_fix(value: str) -> None:
    with pytest.raises(ConfigError, match=r"timezone|ISO date"):
        parse_time_bound(value, ZoneInfo("UTC"))


def test_bad_options_are_refused() -> None:
    with pytest.raises(ConfigError, match="speed"):
        ReplayOptions(speed=0)
    with pytest.raises(ConfigError, match="not before"):
        ReplayOptions(since=T0, until=T0)


# --- order, filters, pacing -------------------------------------------------------------------


def test_newest_first_files_are_sent_in_event_time_order(
    tmp_path: Path, settings: Settings
) -> None:
    a = write_jsonl(tmp_path / "a.jsonl", [bare(i, T0 - timedelta(minutes=i)) for i in (1, 3, 5)])
    b = write_jsonl(tmp_path / "b.jsonl", [bare(i, T0 - timedelta(minutes=i)) for i in (2, 4)])
    (tmp_path / "c.jsonl").write_text("not json\n")
    sink = RecordingSink(settings)
    stats = replay([a, b, tmp_path / "c.jsonl"], sink)
    assert [t.id for t in sink.tweets] == ["5", "4", "3", "2", "1"]
    assert [source for _, source in sink.dlq] == [f"{tmp_path / 'c.jsonl'}:1"]
    assert sink.watermarks == [T0 - timedelta(minutes=1) + timedelta(minutes=10)]
    assert (stats.tweets, stats.rejects) == (5, 1)

    in_file_order = RecordingSink(settings)
    replay([a, b], in_file_order, options=ReplayOptions(order="file"))
    assert [t.id for t in in_file_order.tweets] == ["1", "3", "5", "2", "4"]


def test_since_until_keep_a_half_open_interval(tmp_path: Path, settings: Settings) -> None:
    lines = [bare(i, T0 + timedelta(hours=i)) for i in range(6)]
    path = write_jsonl(tmp_path / "day.jsonl", lines)
    sink = RecordingSink(settings)
    options = ReplayOptions(since=T0 + timedelta(hours=1), until=T0 + timedelta(hours=4))
    stats = replay([path], sink, options=options)
    assert [t.id for t in sink.tweets] == ["1", "2", "3"]
    assert stats.filtered == 3
    assert sink.watermarks == [T0 + timedelta(hours=3, minutes=10)]  # newest tweet in range


def test_speed_paces_by_event_time_with_an_injected_clock(
    tmp_path: Path, settings: Settings
) -> None:
    offsets = [0, 20, 10, 40]  # seconds of event time, out of order in the file
    path = write_jsonl(tmp_path / "s.jsonl", [bare(i, T0 + timedelta(seconds=s)) for i, s in
                                              enumerate(offsets)])  # fmt: skip
    now = [1000.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    sink = RecordingSink(settings)
    replay([path], sink, options=ReplayOptions(speed=10), clock=lambda: now[0], sleep=sleep)
    assert [t.id for t in sink.tweets] == ["0", "2", "1", "3"]
    assert sleeps == pytest.approx([1.0, 1.0, 2.0])  # 10 s of event time = 1 s at 10x


# --- to-file ----------------------------------------------------------------------------------


def test_to_file_writes_normalized_tweets_that_replay_back(
    tmp_path: Path, settings: Settings
) -> None:
    geo = tmp_path / "geo.csv"
    geo.write_text(
        "Date,Tweet\n2023-02-24 07:59:26+00:00,#ChatGPT one\n,no date\n"
        "2023-02-24 07:58:00+01:00,two\n"
    )
    out = tmp_path / "out.jsonl"
    with FileSink(settings, out) as sink:
        stats = replay([geo], sink)
    assert (stats.tweets, stats.rejects) == (2, 1)
    assert any("derived" in note for note in stats.notes)
    items = [item for _, item in read_file(out)]
    back = [t for t in items if isinstance(t, Tweet)]
    assert len(back) == len(items) == 2
    assert [t.text for t in back] == ["two", "#ChatGPT one"]
    original = [item for _, item in read_file(geo) if isinstance(item, Tweet)]
    assert sorted(back, key=lambda t: t.text) == sorted(original, key=lambda t: t.text)
    (dlq,) = [json.loads(line) for line in (tmp_path / "out.dlq.jsonl").read_text().splitlines()]
    assert (dlq["error"], dlq["source"]) == ("missing_created_at", f"{geo}:3")


# --- resume -----------------------------------------------------------------------------------


def many(path: Path, n: int) -> Path:
    return write_jsonl(path, [bare(i, T0 + timedelta(seconds=i)) for i in range(1, n + 1)])


def test_interrupt_then_resume_sends_everything_exactly_once(
    tmp_path: Path, settings: Settings
) -> None:
    path = many(tmp_path / "in.jsonl", 50)
    path.write_bytes(b"garbage\n" + path.read_bytes())
    cps = tmp_path / "cp"
    options = ReplayOptions(checkpoint_dir=cps, resume=True)
    first = RecordingSink(settings, fail_at=31, exc=KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        replay([path], first, options=options)
    assert len(first.tweets) == 30 and first.flushed == 30  # flushed before the checkpoint
    (cp_file,) = cps.iterdir()
    assert orjson.loads(cp_file.read_bytes())["done"] == 31  # the reject + 30 tweets

    second = RecordingSink(settings)
    stats = replay([path], second, options=options)
    sent = [t.id for t in first.tweets + second.tweets]
    assert sent == [str(i) for i in range(1, 51)]
    assert (stats.resumed, len(first.dlq) + len(second.dlq)) == (31, 1)
    assert second.watermarks == [T0 + timedelta(seconds=50, minutes=10)]
    assert orjson.loads(cp_file.read_bytes())["complete"] is True

    third = RecordingSink(settings)
    stats = replay([path], third, options=options)
    assert third.tweets == [] and not stats.nothing_sent  # all done before: not a failure
    assert third.watermarks == []


def test_a_crash_resends_only_what_no_flush_acknowledged(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replay_module, "CHECKPOINT_SECONDS", 0.0)  # checkpoint every 1000 items
    path = many(tmp_path / "big.jsonl", 2500)
    options = ReplayOptions(checkpoint_dir=tmp_path / "cp", resume=True)
    crashed = RecordingSink(settings, fail_at=2201)
    with pytest.raises(RuntimeError):
        replay([path], crashed, options=options)
    resumed = RecordingSink(settings)
    replay([path], resumed, options=options)
    ids = [t.id for t in crashed.tweets + resumed.tweets]
    assert set(ids) == {str(i) for i in range(1, 2501)}  # nothing lost
    assert len(ids) - 2500 == 200  # re-sent: the 200 after the last flushed checkpoint (2000)
    assert resumed.tweets[0].id == "2001"


def test_resume_refuses_changed_input_or_options(tmp_path: Path, settings: Settings) -> None:
    path = many(tmp_path / "in.jsonl", 5)
    cps = tmp_path / "cp"
    replay([path], RecordingSink(settings), options=ReplayOptions(checkpoint_dir=cps))
    other = ReplayOptions(checkpoint_dir=cps, resume=True, since=T0)
    with pytest.raises(ConfigError, match="since changed"):
        replay([path], RecordingSink(settings), options=other)
    with path.open("ab") as fh:
        fh.write(bare(99, T0) + b"\n")
    with pytest.raises(ConfigError, match=r"size.*changed.*--resume"):
        replay([path], RecordingSink(settings), options=ReplayOptions(checkpoint_dir=cps,
                                                                      resume=True))  # fmt: skip


def test_checkpoint_files_are_per_input_and_destination(tmp_path: Path) -> None:
    a = Checkpoint.location(tmp_path, Path("/x/a.csv"), "kafka:h:1/t")
    assert a == Checkpoint.location(tmp_path, Path("/x/a.csv"), "kafka:h:1/t")
    assert a != Checkpoint.location(tmp_path, Path("/x/a.csv"), "file:/o.jsonl")
    assert a != Checkpoint.location(tmp_path, Path("/y/a.csv"), "kafka:h:1/t")
    assert a.name.startswith("a.csv.")


# --- the command line -------------------------------------------------------------------------


def run_cli(*args: str) -> int:
    return main(["produce", "replay", *args])


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TWEETPULSE_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"


def test_cli_to_file_with_bad_files_and_a_summary(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = many(tmp_path / "good.jsonl", 3)
    unknown = tmp_path / "labels.csv"
    unknown.write_text("user,label\n1,spam\n")
    out = tmp_path / "out.jsonl"
    code = run_cli(str(good), str(unknown), str(tmp_path / "missing.json"), "--to-file", str(out))
    printed = capsys.readouterr().out
    assert code == 0
    assert "sent 3 tweets" in printed
    assert f"error: {unknown}: unknown replay format" in printed
    assert "missing.json: No such file" in printed
    assert len(out.read_text().splitlines()) == 3
    assert any((home / "replay").iterdir())  # checkpoints under TWEETPULSE_HOME


def test_cli_exits_non_zero_only_when_nothing_could_be_sent(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n[1]\n")
    out = str(tmp_path / "o.jsonl")
    assert run_cli(str(bad), "--to-file", out) == 1
    assert f"{bad}:1 invalid_json" in capsys.readouterr().out
    assert run_cli(str(tmp_path / "none.csv"), "--to-file", out) == 1
    assert run_cli(str(many(tmp_path / "ok.jsonl", 2)), "--to-file", out, "--since",
                   "2024-05-13T12:00:01Z") == 0  # fmt: skip
    assert run_cli(str(bad), "--to-file", out, "--since", "2024-05-13T12:00") == 2
    assert "no timezone" in capsys.readouterr().err


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        run_cli("--help")
    assert done.value.code == 0
    text = capsys.readouterr().out
    for option in ("--format", "--speed", "--since", "--until", "--resume", "--to-file"):
        assert option in text


def test_fast_batch_encoding_parses_like_the_reference_encoder() -> None:
    from datetime import date

    from producers.kafka_sink import encode_batch
    from producers.synthetic import generate_day
    from streams.parse import encode_raw_batch, parse_raw_record

    tweets, _ = generate_day(date(2025, 11, 7), 1000, 5, ZoneInfo("UTC"))
    corpus = require("corpora/d_twitter_v2_samples/search_recent_response_2020-06.json")
    tweets += [t for _, t in read_file(corpus) if isinstance(t, Tweet)]
    fast = parse_raw_record(encode_batch(tweets), max_text_chars=10_000)
    reference = parse_raw_record(encode_raw_batch(tweets), max_text_chars=10_000)
    assert fast.rejects == [] and fast.tweets == reference.tweets == tweets
