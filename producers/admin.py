"""Create (and, for tests, delete) tweetpulse's Kafka topics with kafka-python's admin client.

The layout is in :func:`topic_specs`: the ``tweets.*`` topics get ``settings.partitions``
partitions, the low-volume control topics one partition (so each keeps a total order).
Replication factor 1 (one local broker); ``max.message.bytes`` 8 MiB so big batch records fit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from streams.errors import ServiceError
from streams.settings import Settings
from streams.topics import PARTITIONED, SINGLE, partitions_of

log = logging.getLogger(__name__)

TOPIC_CONFIGS: Final = {"max.message.bytes": str(8 * 1024 * 1024)}
_TOPIC_ALREADY_EXISTS: Final = 36
# how long the admin client tries to reach a bootstrap server before the clear "cannot reach
# Kafka" error (kafka-python's default is 30 s; a reachable broker answers in milliseconds)
CONNECT_TIMEOUT_S: Final = 10.0


def topic_specs(settings: Settings) -> dict[str, int]:
    """Full topic name → partition count."""
    specs = {settings.topic(n): partitions_of(n, settings) for n in (*PARTITIONED, *SINGLE)}
    return specs


@contextmanager
def _admin(settings: Settings) -> Iterator[Any]:
    from kafka.admin import KafkaAdminClient
    from kafka.errors import KafkaError

    try:
        client = KafkaAdminClient(
            bootstrap_servers=[s.strip() for s in settings.kafka_bootstrap.split(",")],
            client_id=f"{settings.app_id}-admin",
            bootstrap_timeout_ms=int(CONNECT_TIMEOUT_S * 1000),
        )
    except KafkaError as exc:
        msg = (
            f"cannot reach Kafka at {settings.kafka_bootstrap} ({exc!r}). Operator action: "
            "start Kafka (deploy/local) or set TWEETPULSE_KAFKA_BOOTSTRAP."
        )
        raise ServiceError(msg) from exc
    try:
        yield client
    finally:
        client.close()


def ensure_topics(settings: Settings, *, timeout_s: float = 30.0) -> None:
    """Create the missing topics and wait until the metadata shows a leader for every partition.

    Idempotent: existing topics are kept as they are (a partition count that differs from the
    settings is logged, not changed).
    """
    from kafka.errors import KafkaError

    specs = topic_specs(settings)
    request = {
        name: {"num_partitions": parts, "replication_factor": 1, "configs": TOPIC_CONFIGS}
        for name, parts in specs.items()
    }
    with _admin(settings) as admin:
        try:
            result = admin.create_topics(request, raise_errors=False)
            failed = [
                f"{t['name']}: {t.get('error_message') or t['error_code']}"
                for t in result["topics"]
                if t["error_code"] not in (0, _TOPIC_ALREADY_EXISTS)
            ]
            if failed:
                msg = f"cannot create Kafka topics: {'; '.join(failed)}"
                raise ServiceError(msg)
            admin.wait_for_topics(list(specs), timeout_ms=int(timeout_s * 1000))
            for topic in admin.describe_topics(list(specs)):
                have = len(topic.get("partitions") or [])
                want = specs[topic["name"]]
                if have != want:
                    log.warning(
                        "topic %s exists with %d partitions, settings say %d (left unchanged)",
                        topic["name"],
                        have,
                        want,
                    )
        except KafkaError as exc:
            msg = f"creating topics on {settings.kafka_bootstrap} failed: {exc!r}"
            raise ServiceError(msg) from exc


def delete_topics(settings: Settings) -> None:
    """Delete this prefix's topics (test clean-up); topics that do not exist are ignored."""
    from kafka.errors import KafkaError

    with _admin(settings) as admin:
        try:
            existing = set(admin.list_topics())
            names = [name for name in topic_specs(settings) if name in existing]
            if names:
                admin.delete_topics(names)
        except KafkaError as exc:
            msg = f"deleting topics on {settings.kafka_bootstrap} failed: {exc!r}"
            raise ServiceError(msg) from exc
