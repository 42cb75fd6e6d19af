"""On the real Redis: two day windows counted by the count script, and the second day's report
names its hot words by their rise against the first (new ones marked), while the first day's
report, with nothing before it, names them by volume. Texts are invented."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import redis

from streams.keys import Keys
from streams.model import AdVerdict, Author, EnrichedTweet, Metrics, Tweet
from streams.settings import Settings
from streams.taxonomy import load_taxonomy
from streams.views import read_window
from streams.windows import window_by_id
from summarizer.service import Summarizer
from tests.integration.counting import count_batch

T0 = datetime(2025, 11, 6, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai: window 20251106


def day(start: int, at: datetime, terms: dict[str, int], n: int = 40) -> list[EnrichedTweet]:
    """``n`` organic tweets from as many authors; the k-th carries every term used by more
    than k of them."""
    out = []
    for k in range(n):
        used = tuple(term for term, count in terms.items() if k < count)
        tweet = Tweet(
            id=str(start + k),
            text=f"{' and '.join(used) or 'nothing new'}: what people said, take {start + k}",
            created_at=at + timedelta(minutes=k),
            author=Author(id=str(start + k), username=f"u{start + k}"),
            metrics=Metrics(like_count=k),
        )
        out.append(
            EnrichedTweet(
                tweet=tweet,
                ad=AdVerdict(score=0.0, is_ad=False),
                topics=("models_open_source",),
                terms=used,
            )
        )
    return out


def test_the_report_names_the_days_rise_not_its_background(
    settings: Settings, rdb: redis.Redis
) -> None:
    s = settings.model_copy(update={"report_burst_wait": 0.0, "report_lang": "zh"})
    count_batch(s, day(1000, T0, {"#ai": 30, "openai": 20, "italy": 1}))
    count_batch(s, day(2000, T0 + timedelta(days=1), {"#ai": 30, "openai": 20, "vicuna-13b": 6}))
    count_batch(s, day(3000, T0 + timedelta(days=1, hours=1), {"italy": 5}, n=5))

    agg = read_window(rdb, Keys(s.key_prefix), window_by_id("20251107", s.zone))
    (before,) = agg.earlier_terms  # of the 7 days before: nothing counted in the other 6
    assert (before.window_id, before.organic, before.cut) == ("20251106", 40, False)
    assert dict(before.terms) == {"#ai": 30.0, "openai": 20.0, "italy": 1.0}

    summarizer = Summarizer(s, rdb, load_taxonomy(s.taxonomy_path))
    first = summarizer.summarize("20251106").markdown.read_text("utf-8")
    assert "热门词包括 #ai（30）、openai（20）、italy（1）。" in first
    second = summarizer.summarize("20251107").markdown.read_text("utf-8")
    # 45 organic tweets now, 40 before: vicuna-13b never used before, italy 5 against 1,
    # #ai and openai at about their usual share
    assert (
        "热门词（按较前一天的升幅排序）：vicuna-13b（6，新）、italy（5）、#ai（30）、openai（20）。"
        in second
    )
