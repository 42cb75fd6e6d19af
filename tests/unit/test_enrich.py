from __future__ import annotations

from datetime import UTC, datetime

import orjson

from streams.ads import AdClassifier
from streams.enrich import Enricher, RecentIds
from streams.model import Tweet
from streams.store import script_items
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


def test_script_items_keep_empty_lists_and_skip_records_of_ads() -> None:
    e = Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())
    out, _ = e.enrich([tw(5, "plain words"), tw(6, "Agents with RAG are shipping")])
    rows = orjson.loads(script_items(out))
    assert rows[0]["t"] == [] and rows[0]["rec"] == ""
    assert rows[1]["rec"] and orjson.loads(rows[1]["rec"])["id"] == "6"
    assert rows[1]["m"] == str(int(datetime(2025, 11, 7, 1, tzinfo=UTC).timestamp()))
