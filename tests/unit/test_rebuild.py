"""The pure parts of ``tweetpulse rebuild``: offset min-merge, range planning and its refusals,
selecting a window's tweets from a batch record, the dry-run tally, progress and comparison."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import orjson
import pytest

from streams.counting import Row, row_from_json
from streams.keys import Keys, written_by_count_script
from streams.memstore import MemoryStore
from streams.model import AdVerdict, Author, EnrichedBatch, EnrichedTweet, Tweet
from streams.rebuild import (
    Range,
    RebuildError,
    Tally,
    Totals,
    compare_totals,
    merge_min_offsets,
    plan_ranges,
    progress_line,
    window_rows,
)
from streams.settings import Settings
from streams.store import count_args
from streams.windows import window_by_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
W = window_by_id("20251107", SHANGHAI)  # [2025-11-06T16:00Z, 2025-11-07T16:00Z)


@pytest.mark.parametrize(
    ("current", "sources", "expected"),
    [
        ({}, [], {}),
        ({}, [(0, 7)], {0: 7}),
        ({0: 7}, [(0, 9)], {0: 7}),  # never raised
        ({0: 7}, [(0, 3)], {0: 3}),  # lowered
        ({0: 7}, [(1, 9)], {0: 7, 1: 9}),  # another partition
        ({0: 7, 1: 2}, [(1, 5), (0, 1), (0, 4)], {0: 1, 1: 2}),
        ({3: 0}, [(3, 0)], {3: 0}),
    ],
)
def test_merge_min_offsets(
    current: dict[int, int], sources: list[tuple[int, int]], expected: dict[int, int]
) -> None:
    assert merge_min_offsets(current, sources) == expected
    assert merge_min_offsets(current, sources) == merge_min_offsets(current, reversed(sources))


@pytest.mark.parametrize(
    ("recorded", "log_start", "log_end", "expected"),
    [
        ({0: 5}, {0: 0, 1: 0}, {0: 10, 1: 4}, [Range(0, 5, 10)]),
        ({1: 0, 0: 3}, {0: 0, 1: 0}, {0: 10, 1: 4}, [Range(0, 3, 10), Range(1, 0, 4)]),
        ({0: 5}, {0: 5}, {0: 6}, [Range(0, 5, 6)]),  # exactly at the log start is fine
    ],
)
def test_plan_ranges(
    recorded: dict[int, int],
    log_start: dict[int, int],
    log_end: dict[int, int],
    expected: list[Range],
) -> None:
    ranges = plan_ranges(recorded, log_start, log_end, window_id="20251107", topic="t")
    assert ranges == expected
    assert sum(r.records for r in ranges) == sum(r.end - r.start for r in expected)


@pytest.mark.parametrize(
    ("recorded", "log_start", "log_end", "says"),
    [
        ({}, {0: 0}, {0: 10}, "version before rebuild support"),
        ({0: 3}, {0: 5}, {0: 10}, "retention.ms"),
        ({0: 3, 1: 0}, {0: 0, 1: 2}, {0: 10, 1: 9}, "partition 1: needs offset 0, log starts at 2"),
        ({0: 30}, {0: 0}, {0: 10}, "recreated"),
        ({0: 10}, {0: 0}, {0: 10}, "recreated"),
        ({4: 0}, {0: 0}, {0: 10}, "has no partition 4"),
    ],
)
def test_plan_ranges_refuses(
    recorded: dict[int, int], log_start: dict[int, int], log_end: dict[int, int], says: str
) -> None:
    with pytest.raises(RebuildError, match=says):
        plan_ranges(recorded, log_start, log_end, window_id="20251107", topic="t")


def _enriched(tweet_id: str, at: datetime, *, ad: bool = False) -> EnrichedTweet:
    tweet = Tweet(
        id=tweet_id, text=f"tweet {tweet_id}", created_at=at, author=Author(id="a", username="a")
    )
    verdict = AdVerdict(score=0.9 if ad else 0.1, is_ad=ad, reasons=("promo",) if ad else ())
    return EnrichedTweet(tweet=tweet, ad=verdict, topics=() if ad else ("llm",), terms=("#x",))


def _record(*items: EnrichedTweet, watermark: datetime | None = None) -> bytes:
    return EnrichedBatch(tweets=list(items), watermark=watermark).model_dump_json().encode()


@pytest.mark.parametrize(
    ("times", "kept"),
    [
        ([W.start, W.end - timedelta(seconds=1)], ["0", "1"]),  # both edges inside
        ([W.start - timedelta(seconds=1), W.start], ["1"]),  # the day before: not W
        ([W.end, W.end - timedelta(minutes=1)], ["1"]),  # end is exclusive
        ([W.start + timedelta(hours=30)], []),
        ([], []),
    ],
)
def test_window_rows_keeps_only_the_windows_tweets(times: list[datetime], kept: list[str]) -> None:
    value = _record(*(_enriched(str(i), t) for i, t in enumerate(times)))
    rows = window_rows(value, W)
    assert [r["i"] for r in rows] == kept
    # the very rows the count agent would send to the script
    expected = [row_from_json(o)[1] for o in orjson.loads(value)["tweets"]]
    assert rows == [r for r in expected if r["i"] in kept]


def test_window_rows_of_a_watermark_only_record_and_of_garbage() -> None:
    assert window_rows(_record(watermark=datetime(2025, 11, 8, tzinfo=UTC)), W) == []
    with pytest.raises(ValueError, match="not a batch record"):
        window_rows(b"[1, 2]", W)
    with pytest.raises(ValueError):  # orjson's JSONDecodeError is a ValueError
        window_rows(b"not json", W)


def test_tally_counts_like_the_script() -> None:
    at = W.start + timedelta(hours=1)
    organic, ad = _enriched("1", at), _enriched("2", at, ad=True)
    rows = window_rows(_record(organic, ad, organic), W)
    tally = Tally()
    tally.add(rows)
    tally.add(rows)  # a replayed record
    assert tally.totals() == Totals(total=2, ads=1, topics={"llm": 1})


def test_compare_totals_lines() -> None:
    lines = compare_totals(
        Totals(10, 2, {"llm": 5, "agents": 3}), Totals(12, 2, {"llm": 5, "robots": 1})
    )
    assert lines[0].split() == ["live", "rebuilt", "diff"]
    assert [line.split() for line in lines[1:]] == [
        ["total", "10", "12", "+2"],
        ["ads", "2", "2", "="],
        ["topic", "agents", "3", "0", "-3"],
        ["topic", "llm", "5", "5", "="],
        ["topic", "robots", "0", "1", "+1"],
    ]


@pytest.mark.parametrize(
    ("done", "total", "secs", "expected"),
    [
        (1000, 4000, 2.0, "1,000/4,000 records (25%), 500 records/s, ETA 6s, 7 tweets"),
        (0, 4000, 0.0, "0/4,000 records (0%), 0 records/s, ETA ?, 7 tweets"),
        (100, 100_000, 1.0, "100/100,000 records (0%), 100 records/s, ETA 16m39s, 7 tweets"),
        (1, 10_000, 1.0, "1/10,000 records (0%), 1 records/s, ETA 2h46m, 7 tweets"),
        (4000, 4000, 8.0, "4,000/4,000 records (100%), 500 records/s, done, 7 tweets"),
        (0, 0, 0.0, "0/0 records (100%), 0 records/s, done, 7 tweets"),
    ],
)
def test_progress_line(done: int, total: int, secs: float, expected: str) -> None:
    line = progress_line("20251107", done, total, 7, timedelta(seconds=secs))
    assert line == f"rebuild 20251107: {expected} of 20251107"


@pytest.mark.parametrize(
    ("suffix", "counted"),
    [
        ("seen", True),
        ("tot", True),
        ("offsets", True),
        ("min:_all", True),
        ("hour:llm", True),
        ("top:agents", True),
        ("tmin:1762444800", True),
        ("state", False),  # the close state survives a rebuild
        ("report", False),
        ("bursts", False),
        ("burst_ev", False),
        ("burst_tx:abc", False),
        ("rebuild_lock", False),
        ("rebuild:0123abcd:min:_all", False),  # a rebuild's fresh keys are not live keys
        ("minutes", False),
    ],
)
def test_which_window_keys_the_count_script_writes(suffix: str, counted: bool) -> None:
    assert written_by_count_script(suffix) is counted


def test_rebuild_keys_share_the_windows_hash_tag() -> None:
    keys = Keys("tp:")
    for key in (keys.offsets("20251107"), keys.rebuild_base("20251107", "r1") + ":seen"):
        assert key.startswith("tp:{w:20251107}:")


def test_count_args_carry_the_sources_as_pairs() -> None:
    s = Settings()
    rows = window_rows(_record(_enriched("1", W.start)), W)
    assert count_args(s, rows)[5:] == [orjson.dumps(rows)]
    assert count_args(s, rows, [(3, 120), (0, 7)])[6:] == [3, 120, 0, 7]
    assert count_args(s, rows, ttls=(1, 2, 3))[2:5] == [1, 2, 3]


async def test_memory_store_keeps_the_lowest_offset_per_partition() -> None:
    store = MemoryStore(Settings())
    at = W.start + timedelta(hours=2)
    nxt = W.end + timedelta(hours=2)  # the next day's window
    for i, (partition, offset) in enumerate([(0, 50), (0, 20), (1, 9), (0, 70)]):
        await store.apply_rows([row_of_at(f"{i}", at)], (partition, offset))
    await store.apply_rows([row_of_at("8", at), row_of_at("9", nxt)], (1, 3))
    await store.apply_rows([row_of_at("0", at)])  # no source: offsets untouched
    assert store.windows["20251107"].offsets == {0: 20, 1: 3}
    assert store.windows["20251108"].offsets == {1: 3}


def row_of_at(tweet_id: str, at: datetime) -> tuple[datetime, Row]:
    return row_from_json(orjson.loads(_enriched(tweet_id, at).model_dump_json()))
