"""Kafka topic names and partition counts (no faust import: producers and tests use it too)."""

from __future__ import annotations

from streams.settings import Settings

RAW = "tweets.raw"
ENRICHED = "tweets.enriched"
ADS = "tweets.ads"
DLQ = "tweets.dlq"
WINDOWS_CLOSED = "windows.closed"
REPORTS = "reports.daily"
ALERTS = "alerts.trends"

PARTITIONED = (RAW, ENRICHED, ADS, DLQ)
SINGLE = (WINDOWS_CLOSED, REPORTS, ALERTS)


def partitions_of(name: str, settings: Settings) -> int:
    return settings.partitions if name in PARTITIONED else 1
