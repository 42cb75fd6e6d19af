"""Dead-letter records for ``tweets.dlq`` (pure).

One JSON object per rejected input::

    {"error": "missing_id", "detail": "tweets[3].id is missing or null",
     "source": "tweets.raw/3@1234", "time": "2024-05-13T20:58:58.123456Z", "excerpt": "{...}"}

``source`` says where the input came from: ``<topic>/<partition>@<offset>`` for a Kafka record
(:func:`kafka_source`) or ``<file>:<line>`` for a replayed file (:func:`file_source`).
Operator action: read ``error``/``detail``, fix the producer or the file, and replay the input.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from streams.parse import EXCERPT_MAX_CHARS, Reject


def kafka_source(topic: str, partition: int, offset: int) -> str:
    return f"{topic}/{partition}@{offset}"


def file_source(path: Path | str, line: int) -> str:
    return f"{path}:{line}"


def dlq_record(reject: Reject, *, source: str, now: datetime) -> bytes:
    """The ``tweets.dlq`` value for ``reject``; ``now`` must be timezone-aware."""
    if now.tzinfo is None or now.utcoffset() is None:
        msg = f"dlq_record needs an aware 'now', got naive {now.isoformat()}"
        raise ValueError(msg)
    record = {
        "error": reject.reason,
        "detail": reject.detail,
        "source": source,
        "time": now.astimezone(UTC),
        "excerpt": reject.excerpt[:EXCERPT_MAX_CHARS],
    }
    return orjson.dumps(record, option=orjson.OPT_UTC_Z)
