"""Agent steps without a broker: ingest → count → close on the in-memory store.

The Faust agents only decode, call these steps and send; here the steps run on a synthetic day
(with duplicates, shuffled partitions and replayed records, as after a crash) and the counts
must equal the generator's ground truth.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import orjson
import pytest

from producers.synthetic import generate_day
from streams.ads import AdClassifier
from streams.closer import WindowCloser
from streams.enrich import Enricher, RecentIds
from streams.memstore import MemoryStore
from streams.parse import encode_raw_batch
from streams.settings import Settings
from streams.steps import count_record, ingest_record
from streams.taxonomy import Tagger, load_taxonomy
from streams.windows import window_by_id

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def settings() -> Settings:
    return Settings.load(partitions=4)


@pytest.fixture
def enricher() -> Enricher:
    return Enricher(AdClassifier(), Tagger(load_taxonomy()), RecentIds())


def ingest(value: bytes, enricher: Enricher) -> object:
    return ingest_record(
        value, source="t/0@1", enricher=enricher, max_text_chars=10_000, received_at=None, now=NOW
    )


def test_ingest_splits_good_tweets_from_bad_ones(enricher: Enricher) -> None:
    good = {"id": "1", "text": "Gemini API adds managed RAG", "created_at": "2025-11-07T01:00:00Z"}
    naive = {"id": "2", "text": "x", "created_at": "2025-11-07T01:00:00"}
    out = ingest(orjson.dumps({"v": 1, "tweets": [good, naive]}), enricher)
    assert out.rejects == ["naive_timestamp"]
    assert [orjson.loads(d)["error"] for d in out.dlq] == ["naive_timestamp"]
    batch = orjson.loads(out.enriched)
    assert [t["tweet"]["id"] for t in batch["tweets"]] == ["1"]
    assert "rag_search" in batch["tweets"][0]["topics"]


def test_a_bug_in_our_code_sends_the_record_to_the_dlq(enricher: Enricher) -> None:
    class Broken(Enricher):
        def enrich(self, tweets):  # type: ignore[no-untyped-def]
            raise RuntimeError("boom")

    broken = Broken(enricher.classifier, enricher.tagger, RecentIds())
    good = {"id": "1", "text": "hello", "created_at": "2025-11-07T01:00:00Z"}
    out = ingest(orjson.dumps({"v": 1, "tweets": [good]}), broken)
    assert out.enriched is None
    (record,) = [orjson.loads(d) for d in out.dlq]
    assert record["error"] == "internal_error" and "boom" in record["detail"]
    assert '"id":"1"' in record["excerpt"]


def test_watermark_only_records_pass_through(enricher: Enricher) -> None:
    out = ingest(encode_raw_batch([], watermark=NOW), enricher)
    assert out.enriched is not None
    assert orjson.loads(out.enriched)["tweets"] == []


async def test_a_day_with_replays_counts_exactly_the_ground_truth(
    settings: Settings, enricher: Enricher
) -> None:
    tweets, truth = generate_day(date(2025, 11, 7), 3000, 5, settings.zone)
    records = [encode_raw_batch(tweets[i : i + 50]) for i in range(0, len(tweets), 50)]
    window = window_by_id(truth.window_id, settings.zone)
    final = encode_raw_batch([], watermark=window.end + settings.allowed_lateness + timedelta(1))
    rng = random.Random(1)
    store = MemoryStore(settings)
    # every record lands on one partition; a third of them is delivered twice (a crash replay),
    # and each replay uses a fresh ingest process (no memory of recent ids)
    plan = [(rng.randrange(settings.partitions), r) for r in records]
    plan += rng.sample(plan, len(plan) // 3)
    for partition, value in plan:
        worker = (
            enricher
            if rng.random() < 0.5
            else Enricher(enricher.classifier, enricher.tagger, RecentIds())
        )
        out = ingest(value, worker)
        if out.enriched is not None:  # None: every tweet was a recent duplicate
            await count_record(out.enriched, partition=partition, store=store, now=NOW)
    expected = truth.windows[truth.window_id]
    w = store.windows[truth.window_id]
    assert (w.total, w.ads) == (expected["total"], expected["ads"])
    assert dict(w.topics) == expected["topics"]

    sent: list[str] = []

    async def send(key: str, value: bytes) -> None:
        sent.append(key)

    closer = WindowCloser(store, send, settings)
    assert await closer.run_once(NOW) == []  # partitions are not past the day's end yet
    for partition in range(settings.partitions):
        out = ingest(final, enricher)
        assert out.enriched is not None
        await count_record(out.enriched, partition=partition, store=store, now=NOW)
    assert await closer.run_once(NOW) == [truth.window_id]
    assert await WindowCloser(store, send, settings).run_once(NOW) == []
    assert sent == [truth.window_id]
