"""What each agent does with one Kafka record, apart from Faust (so tests need no broker).

``ingest_record`` is pure: raw bytes in, the records to send out. ``count_record`` applies one
``tweets.enriched`` record to a :class:`CountStore` (Redis in the worker, memory in tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import orjson

from streams.counting import Row, row_from_json
from streams.dlq import dlq_record
from streams.enrich import Enricher
from streams.model import EnrichedBatch
from streams.parse import Reject, parse_raw_record
from streams.store import ApplyResult, Source


@dataclass
class IngestOutput:
    enriched: bytes | None = None  # to tweets.enriched, same partition (None: nothing to send)
    ads: bytes | None = None  # audit copy to tweets.ads
    dlq: list[bytes] = field(default_factory=list)  # to tweets.dlq
    rejects: list[str] = field(default_factory=list)  # reasons, for the metrics
    tweets: int = 0  # valid tweets read
    duplicates: int = 0  # dropped by the recent-id filter
    ad_reasons: list[str] = field(default_factory=list)  # one entry per (ad, reason)
    ads_count: int = 0
    topics: list[str] = field(default_factory=list)  # one entry per (organic tweet, topic)
    enriched_count: int = 0


def ingest_record(
    value: bytes,
    *,
    source: str,
    enricher: Enricher,
    max_text_chars: int,
    received_at: float | None,
    now: datetime,
) -> IngestOutput:
    """Validate → dedupe → ad filter → tag one ``tweets.raw`` record. Never raises on bad input:
    malformed tweets, and the whole record if our own code fails on it, become DLQ records."""
    out = IngestOutput()

    def dead(reject: Reject) -> None:
        out.rejects.append(reject.reason)
        out.dlq.append(dlq_record(reject, source=source, now=now))

    try:
        parsed = parse_raw_record(value, max_text_chars=max_text_chars)
        enriched, out.duplicates = enricher.enrich(parsed.tweets)
    except Exception as exc:  # a bug must not stop the stream: keep the input
        excerpt = value[:2000].decode("utf-8", "backslashreplace")
        dead(Reject("internal_error", repr(exc), excerpt))
        return out
    for reject in parsed.rejects:
        dead(reject)
    out.tweets = len(parsed.tweets)
    if not enriched and parsed.watermark is None:
        return out
    ads = []
    for item in enriched:
        if item.ad.is_ad:
            ads.append(item)
            out.ad_reasons.extend(item.ad.reasons)
        else:
            out.topics.extend(item.topics)
    out.ads_count = len(ads)
    out.enriched_count = len(enriched)
    batch = EnrichedBatch(tweets=enriched, watermark=parsed.watermark, received_at=received_at)
    out.enriched = batch.model_dump_json().encode()
    if ads:
        out.ads = EnrichedBatch(tweets=ads).model_dump_json().encode()
    return out


class CountStore(Protocol):
    """What the count agent needs from the state store."""

    async def apply_rows(
        self, rows: list[tuple[datetime, Row]], source: Source | None = None
    ) -> ApplyResult: ...

    async def advance_watermark(
        self, partition: int, event_time: datetime, now: datetime
    ) -> None: ...


@dataclass(frozen=True)
class CountOutput:
    result: ApplyResult
    rows: int
    newest: datetime | None  # the partition's event-time clock after this record
    received_at: float | None


async def count_record(
    value: bytes,
    *,
    partition: int,
    store: CountStore,
    now: datetime,
    offset: int | None = None,
) -> CountOutput:
    """Count one ``tweets.enriched`` record exactly once per tweet id, then move the
    partition's clock (after the counts: the closer must never see a clock ahead of them).
    ``offset`` (the record's) lets each window remember where in Kafka its tweets start."""
    batch = orjson.loads(value)
    rows = [row_from_json(obj) for obj in batch.get("tweets") or ()]
    mark = batch.get("watermark")
    newest = datetime.fromisoformat(mark) if mark else None
    result = ApplyResult()
    if rows:
        result = await store.apply_rows(rows, None if offset is None else (partition, offset))
        latest = max(created_at for created_at, _ in rows)
        newest = latest if newest is None else max(newest, latest)
    if newest is not None:
        await store.advance_watermark(partition, newest, now)
    return CountOutput(result, len(rows), newest, batch.get("received_at"))
