"""Kafka topics of the pipeline, declared on an app (values are raw bytes; we encode them)."""

from __future__ import annotations

from dataclasses import dataclass

import faust

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


@dataclass(frozen=True)
class Topics:
    raw: faust.TopicT
    enriched: faust.TopicT
    ads: faust.TopicT
    dlq: faust.TopicT
    windows_closed: faust.TopicT


def declare(app: faust.App, settings: Settings) -> Topics:
    def topic(name: str) -> faust.TopicT:
        return app.topic(
            settings.topic(name),
            key_serializer="raw",
            value_serializer="raw",
            partitions=partitions_of(name, settings),
        )

    return Topics(
        raw=topic(RAW),
        enriched=topic(ENRICHED),
        ads=topic(ADS),
        dlq=topic(DLQ),
        windows_closed=topic(WINDOWS_CLOSED),
    )
