"""On the real Redis: the previous window's volume read for the report, and the windows a demo
leaves open (the data ends inside them) said rather than dropped silently."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import redis
from rich.console import Console

from streams.aggregates import PreviousWindow
from streams.keys import Keys
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Tweet
from streams.settings import Settings
from streams.views import read_window
from streams.windows import window_by_id
from tests.integration.counting import count_batch
from tweetpulse.demo import show_open_windows

T0 = datetime(2025, 11, 7, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251107


def item(i: int, at: datetime, *, ad: bool = False) -> EnrichedTweet:
    tweet = Tweet(
        id=str(700 + i),
        text=f"tweet number {i}",
        created_at=at,
        author=Author(id=str(i), username=f"u{i}"),
        metrics=Metrics(like_count=i),
    )
    verdict = AdVerdict(score=0.9 if ad else 0.1, is_ad=ad, reasons=("promo_phrase",) if ad else ())
    return EnrichedTweet(tweet=tweet, ad=verdict, topics=() if ad else ("rag_search",))


def test_the_previous_windows_volume_and_hours_are_read(
    settings: Settings, rdb: redis.Redis
) -> None:
    day_before = T0 - timedelta(days=1)  # 10:00 of 20251106; and 13:00 (+0800)
    count_batch(settings, [item(1, day_before), item(2, day_before + timedelta(hours=3))])
    count_batch(settings, [item(3, day_before, ad=True), item(4, T0)])
    keys = Keys(settings.key_prefix)
    agg = read_window(rdb, keys, window_by_id("20251107", settings.zone))
    hour = int(day_before.timestamp())
    assert agg.previous == PreviousWindow(organic=2, hourly={hour: 2, hour + 3 * 3600: 1})
    first = read_window(rdb, keys, window_by_id("20251106", settings.zone))
    assert first.previous is None  # nothing counted the day before


def test_windows_the_data_ends_inside_are_listed(settings: Settings, rdb: redis.Redis) -> None:
    count_batch(settings, [item(1, T0 - timedelta(days=1)), item(2, T0), item(3, T0, ad=True)])
    out = io.StringIO()
    final = T0 + settings.allowed_lateness  # the replay's final watermark: newest tweet + lateness
    left = show_open_windows(Console(file=out, width=300), settings, rdb, final, keep=False)
    assert left == ["20251107"]  # 20251106 ended before the newest tweet
    text = out.getvalue()
    assert "left open: 20251107: 2 tweets counted, no report" in text
    assert "the stream ended at 2025-11-07 10:00 +0800" in text
    assert "before the window's end (2025-11-08 00:00 +0800)" in text
    assert "removed with the run's keys" in text
