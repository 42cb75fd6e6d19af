"""Build the Faust app from one Settings object (nothing else lives here)."""

from __future__ import annotations

import faust

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
        logging_config=None,
    )
