from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import orjson
import pytest

from producers.synthetic import generate_day
from streams.ads import AdClassifier
from streams.counting import encode_rows, group_by_window, row_from_json, row_of
from streams.enrich import Enricher, RecentIds
from streams.model import EnrichedBatch, Tweet
from streams.taxonomy import Tagger, load_taxonomy


def tw(i: int, text: str) -> Tweet:
    return Tweet(id=str(i), text=text, created_at=datetime(2025, 11, 7, 1, tzinfo=UTC))


def test_recent_ids_forgets_the_oldest() -> None:
    r = RecentIds(capacity=2)
    assert r.add("1") and r.add("2") and not r.add("1")
    assert r.add("3")  # evicts "1"
    assert r.add("1")


def test_enricher_drops_repeats_and_tags() -> None:
    e = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())
    out, dups = e.enrich(
        [tw(1, "Google's new TPU makes inference cheaper"), tw(1, "same id again"), tw(2, "hello")]
    )
    assert dups == 1
    assert [o.tweet.id for o in out] == ["1", "2"]
    assert "chips_inference" in out[0].topics


def test_rows_keep_empty_lists_and_skip_records_of_untagged_tweets() -> None:
    e = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())
    out, _ = e.enrich([tw(5, "plain words"), tw(6, "Agents with RAG are shipping")])
    rows = orjson.loads(encode_rows([row_of(item)[1] for item in out]))
    assert rows[0]["t"] == [] and rows[0]["rec"] == ""
    assert rows[1]["rec"] and orjson.loads(rows[1]["rec"])["id"] == "6"
    assert rows[1]["m"] == str(int(datetime(2025, 11, 7, 1, tzinfo=UTC).timestamp()))


@pytest.mark.parametrize("seed", [1, 2])
def test_rows_from_record_json_equal_rows_from_objects(seed: int) -> None:
    """The count agent's fast path (orjson dicts) counts exactly what the typed path counts."""
    tweets, _ = generate_day(date(2025, 11, 7), 1000, seed, ZoneInfo("Asia/Shanghai"))
    e = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())
    out, _ = e.enrich(tweets)
    record = orjson.loads(EnrichedBatch(tweets=out).model_dump_json())
    assert [row_from_json(obj) for obj in record["tweets"]] == [row_of(item) for item in out]


def test_group_by_window_splits_at_local_midnight() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    e = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())
    before = Tweet(id="1", text="a", created_at=datetime(2025, 11, 7, 15, 59, 59, tzinfo=UTC))
    after = Tweet(id="2", text="b", created_at=datetime(2025, 11, 7, 16, 0, 0, tzinfo=UTC))
    out, _ = e.enrich([before, after])
    groups = group_by_window([row_of(i) for i in out], zone, 0)
    assert {w.id: [r["i"] for r in rows] for w, rows in groups.items()} == {
        "20251107": ["1"],
        "20251108": ["2"],
    }
