"""Build the Faust app and declare its topics from one Settings object."""

from __future__ import annotations

from dataclasses import dataclass

import faust

from streams import topics as names
from streams.settings import Settings


def create_app(settings: Settings) -> faust.App:
    s = settings
    return faust.App(
        s.app_id,
        broker=[f"kafka://{hp.strip()}" for hp in s.kafka_bootstrap.split(",")],
        store="memory://",
        datadir=str(s.faust_datadir),
        autodiscover=False,
        web_enabled=True,
        web_port=s.worker_web_port,
        web_bind=s.worker_web_host,
        web_host=s.worker_web_host,
        topic_partitions=s.partitions,
        topic_disable_leader=True,  # no __assignor-__leader topic: we never use on_leader timers
        topic_allow_declare=False,  # topics are created by `tweetpulse local up` / ensure_topics
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_max_request_size=8 * 1024 * 1024,
        producer_linger=0.005,
        broker_session_timeout=s.broker_session_timeout,
        broker_heartbeat_interval=s.broker_heartbeat_interval,
        broker_rebalance_timeout=s.broker_rebalance_timeout,
        broker_commit_interval=1.0,
        stream_wait_empty=False,
        # Sends made while handling a record are attached to its offset and delivered before
        # that offset is committed; a failed delivery crashes the worker instead of committing.
        stream_publish_on_commit=True,
        logging_config=None,
    )


@dataclass(frozen=True)
class Topics:
    raw: faust.TopicT
    enriched: faust.TopicT
    ads: faust.TopicT
    dlq: faust.TopicT
    windows_closed: faust.TopicT


def declare_topics(app: faust.App, settings: Settings) -> Topics:
    """The pipeline's topics on ``app``; values are raw bytes (we encode them ourselves)."""

    def topic(name: str) -> faust.TopicT:
        return app.topic(
            settings.topic(name),
            key_serializer="raw",
            value_serializer="raw",
            partitions=names.partitions_of(name, settings),
        )

    return Topics(
        raw=topic(names.RAW),
        enriched=topic(names.ENRICHED),
        ads=topic(names.ADS),
        dlq=topic(names.DLQ),
        windows_closed=topic(names.WINDOWS_CLOSED),
    )
