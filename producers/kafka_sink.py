"""Kafka producer packing tweets into ``tweets.raw`` batch records (DESIGN.md "Why batch records").

:class:`BatchingProducer` collects tweets and sends one record per ``batch_max_tweets`` tweets, or
sooner when the oldest waiting tweet is ``batch_max_ms`` old (a background thread sends a
partial batch on a quiet stream). Each record gets a fresh batch key
(``<producer id>-<sequence>``), so records spread over the partitions.

Delivery is ``acks=all`` with the idempotent producer. A failed delivery is never swallowed:
the first error is kept, and :meth:`~BatchingProducer.add`, :meth:`~BatchingProducer.flush` and
:meth:`~BatchingProducer.close` raise :class:`~streams.errors.ServiceError` from then on.
``add_record`` takes a tweet the replay's fast path already validated and encoded
(:class:`~streams.parse.TweetRecord`); its JSON goes into the batch record as is; ``add_many``
takes a list of either.
Counters (``sent_tweets``, ``sent_records``, ``dlq``) count what was handed to the client;
after a :meth:`~BatchingProducer.flush` that returned, all of it is acknowledged.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Final, Protocol, Self, cast

from pydantic import TypeAdapter

from streams import metrics as m
from streams.dlq import dlq_record
from streams.errors import ServiceError
from streams.model import SCHEMA_VERSION, Tweet
from streams.parse import Reject, TweetRecord, encode_raw_batch
from streams.settings import Settings
from streams.topics import DLQ, RAW

MAX_REQUEST_BYTES: Final = 8 * 1024 * 1024
# Records stay under the broker's default message.max.bytes (1 MiB) even on topics that were
# not created by ensure_topics; a larger batch is split in two until it fits.
MAX_RECORD_BYTES: Final = 1_000_000
# kafka-python packs the records of a partition into one batch of up to BATCH_BYTES (its default,
# 16 KiB, is smaller than one of our records, so every record was a batch and a wake-up of the
# sender) and waits up to LINGER_MS to fill it: fewer, larger requests, one lz4 frame per
# batch. Measured (tests/bench/produce.py, 100k pre-encoded tweets, lz4): 4.6-5.2 µs of CPU
# per tweet with 16 KiB/20 ms, 3.2-3.4 µs with 512 KiB/50 ms. A batch stays under the broker's
# default message.max.bytes (1 MiB); LINGER_MS adds at most 50 ms to a live tweet's latency.
LINGER_MS: Final = 50
BATCH_BYTES: Final = 512 * 1024


_TWEET_LIST: Final = TypeAdapter(list[Tweet])
_BATCH_HEAD: Final = b'{"v":%d,"tweets":' % SCHEMA_VERSION


def encode_batch(tweets: Sequence[Tweet]) -> bytes:
    """A ``tweets.raw`` batch record of ``tweets``, parsed exactly like
    :func:`streams.parse.encode_raw_batch`'s, about 3x faster: pydantic-core serializes the
    models straight to JSON with no dict round trip, and defaults are written rather than
    compared (``exclude_defaults`` builds and compares a default Author and Metrics per
    tweet in Python; writing them costs ~25% more bytes, measured in tests/bench/produce.py)."""
    return _BATCH_HEAD + _TWEET_LIST.dump_json(list(tweets), exclude_none=True) + b"}"


def encode_mixed_batch(items: Sequence[Tweet | TweetRecord]) -> bytes:
    """A batch record of tweets some of which are :class:`~streams.parse.TweetRecord` (already
    JSON, from the replay's fast path): their JSON is joined as is, Tweets are serialized
    like :func:`tweet_json`. All Tweets: :func:`encode_batch`."""
    if all(type(item) is Tweet for item in items):
        return encode_batch(cast(Sequence[Tweet], items))
    parts = [item.json if isinstance(item, TweetRecord) else tweet_json(item) for item in items]
    return _BATCH_HEAD + b"[" + b",".join(parts) + b"]}"


def tweet_json(tweet: Tweet) -> bytes:
    """One normalized tweet as compact JSON (what :func:`streams.parse.tweet_to_dict` holds)."""
    return tweet.__pydantic_serializer__.to_json(tweet, exclude_defaults=True, exclude_none=True)


class SendFuture(Protocol):
    def add_errback(self, fn: Callable[..., Any], *args: Any) -> Any: ...


class ProducerClient(Protocol):
    """The part of ``kafka.KafkaProducer`` this module uses (a fake can stand in for tests)."""

    def send(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        partition: int | None = None,
    ) -> SendFuture: ...

    def partitions_for(self, topic: str) -> set[int] | None: ...

    def flush(self, timeout: float | None = None) -> None: ...

    def close(self, timeout: float | None = None) -> None: ...


def default_compression() -> str:
    """``lz4`` (fast) when this environment can both write and read it, else ``gzip``.

    kafka-python writes lz4 with the ``lz4`` package, but the worker's aiokafka reads it with
    ``cramjam`` (``aiokafka[lz4]``) and fails on lz4 records without it; gzip needs neither.
    A producer on another host than the worker should pass its codec explicitly.
    """
    from importlib.util import find_spec

    from kafka.codec import has_lz4

    return "lz4" if has_lz4() and find_spec("cramjam") is not None else "gzip"


def kafka_client(settings: Settings, *, compression: str | None = None) -> ProducerClient:
    """A ``KafkaProducer`` for tweetpulse: acks=all, idempotent, small linger, compressed.

    ``compression`` (default: ``settings.producer_compression``) is a kafka-python codec name,
    ``none``, or ``auto`` (:func:`default_compression`). Measured here (tests/bench/produce.py,
    2 busy cores, 100k tweets): lz4 and no codec both 40-75k tweets/s (noise decides), lz4
    records 3.6x smaller; gzip ~25k tweets/s (5.4x smaller).
    """
    from kafka import KafkaProducer
    from kafka.errors import KafkaError

    codec = compression or settings.producer_compression
    if codec == "auto":
        codec = default_compression()
    try:
        client: ProducerClient = KafkaProducer(
            bootstrap_servers=[s.strip() for s in settings.kafka_bootstrap.split(",")],
            client_id=f"{settings.app_id}-producer",
            acks="all",
            enable_idempotence=True,
            linger_ms=LINGER_MS,
            batch_size=BATCH_BYTES,
            compression_type=codec if codec != "none" else None,
            max_request_size=MAX_REQUEST_BYTES,
        )
    except KafkaError as exc:
        msg = (
            f"cannot connect a Kafka producer to {settings.kafka_bootstrap} ({exc!r}). "
            "Operator action: start Kafka (deploy/local) or set TWEETPULSE_KAFKA_BOOTSTRAP."
        )
        raise ServiceError(msg) from exc
    return client


def _utc_now() -> datetime:
    return datetime.now(UTC)


class BatchingProducer:
    """Packs tweets into batch records on ``topic`` (default ``tweets.raw``); see module doc."""

    def __init__(
        self,
        settings: Settings,
        topic: str | None = None,
        *,
        client: ProducerClient | None = None,
        clock: Callable[[], datetime] = _utc_now,
        max_record_bytes: int = MAX_RECORD_BYTES,
        source: str | None = None,
    ) -> None:
        self.settings = settings
        # `source` labels tweetpulse_producer_tweets_sent_total (replay|synthetic|xapi)
        self._sent_metric = m.PRODUCER_TWEETS_SENT.labels(source) if source else None
        self.topic = topic or settings.topic(RAW)
        self.dlq_topic = settings.topic(DLQ)
        self.sent_tweets = 0
        self.sent_records = 0
        self.dlq = 0
        self._max_tweets = settings.batch_max_tweets
        self._max_wait = settings.batch_max_ms / 1000
        self._max_bytes = max_record_bytes
        self._clock = clock
        self._id = uuid.uuid4().hex[:12]
        self._seq = 0
        self._pending: list[Tweet | TweetRecord] = []
        self._deadline: float | None = None
        self._lock = threading.Lock()  # never re-entered: a plain lock
        self._cond = threading.Condition(self._lock)
        self._errors: list[tuple[str, BaseException]] = []  # appended by the client's I/O thread
        self._closed = False
        self._client = client if client is not None else kafka_client(settings)
        self._timer = threading.Thread(
            target=self._send_when_due, name="tweetpulse-batch-timer", daemon=True
        )
        self._timer.start()

    # --- public API -------------------------------------------------------------------------

    @property
    def destination(self) -> str:
        """Where the tweets go, for checkpoints and messages: ``kafka:<bootstrap>/<topic>``."""
        return f"kafka:{self.settings.kafka_bootstrap}/{self.topic}"

    def add(self, tweet: Tweet) -> None:
        """Queue one tweet; a full batch is handed to Kafka at once."""
        self._queue(tweet)

    def add_record(self, record: TweetRecord) -> None:
        """Queue one tweet validated by the replay's fast path (its JSON goes out as is)."""
        self._queue(record)

    def add_many(self, tweets: Sequence[Tweet | TweetRecord]) -> None:
        """:meth:`add`/:meth:`add_record` for many tweets at once (one lock, no call per tweet)."""
        with self._lock:
            if self._errors or self._closed:
                self._check_usable()
            start, end = 0, len(tweets)
            while start < end:
                pending = self._pending
                if not pending:
                    self._deadline = time.monotonic() + self._max_wait
                    self._cond.notify()
                room = max(1, self._max_tweets - len(pending))
                pending.extend(tweets[start : start + room])
                start += room
                if len(pending) >= self._max_tweets or self._max_wait == 0:
                    self._send_pending()

    def _queue(self, tweet: Tweet | TweetRecord) -> None:
        with self._lock:  # the hot path (the lock itself: no Python-level __enter__)
            if self._errors or self._closed:
                self._check_usable()
            pending = self._pending
            pending.append(tweet)
            count = len(pending)
            if count == 1:
                self._deadline = time.monotonic() + self._max_wait
                self._cond.notify()
            if count >= self._max_tweets or self._max_wait == 0:
                self._send_pending()

    def send_dlq(self, reject: Reject, source: str) -> None:
        """Send one dead-letter record (``source``: ``file:line`` or ``topic/partition@offset``)."""
        value = dlq_record(reject, source=source, now=self._clock())
        with self._cond:
            self._check_usable()
            self._send(self.dlq_topic, value, key=None)
            self.dlq += 1

    def send_watermark(self, ts: datetime) -> None:
        """Promise "no tweet older than ``ts`` follows": pending tweets are sent first, then one
        tweet-less record carrying ``ts`` goes to every partition of the topic."""
        if ts.tzinfo is None or ts.utcoffset() is None:
            msg = f"send_watermark needs an aware datetime, got naive {ts.isoformat()}"
            raise ValueError(msg)
        with self._cond:
            self._check_usable()
            self._send_pending()
            partitions = self._partitions()
            value = encode_raw_batch([], ts)
            key = f"{self._id}-wm".encode()
            for partition in partitions:
                self._send(self.topic, value, key=key, partition=partition)
                self.sent_records += 1

    def flush(self, timeout: float | None = None) -> None:
        """Send pending tweets and wait until Kafka acknowledged everything sent so far."""
        with self._cond:
            self._check_usable()
            self._send_pending()
        self._client_call("flush", timeout)
        self._raise_delivery_error()

    def close(self, timeout: float | None = None) -> None:
        """Flush and close the client; raises if any delivery failed. Safe to call twice."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
            # a failed send is kept in self._errors and raised below, after the client is closed
            with contextlib.suppress(ServiceError):
                if not self._errors:
                    self._send_pending()
            self._pending.clear()
        self._timer.join()
        try:
            if not self._errors:
                self._client_call("flush", timeout)
        finally:
            self._client_call("close", timeout)
        self._raise_delivery_error()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- internals (callers hold self._cond) ------------------------------------------------

    def _check_usable(self) -> None:
        self._raise_delivery_error()
        if self._closed:
            msg = f"BatchingProducer for {self.topic!r} is closed"
            raise ServiceError(msg)

    def _raise_delivery_error(self) -> None:
        if self._errors:
            topic, exc = self._errors[0]
            more = f" (and {len(self._errors) - 1} more)" if len(self._errors) > 1 else ""
            msg = (
                f"Kafka delivery to {topic!r} failed: {exc!r}{more}. Operator action: check "
                f"the broker at {self.settings.kafka_bootstrap} and the topic, then re-send; "
                "re-sent tweets are deduplicated by id."
            )
            raise ServiceError(msg) from exc

    def _on_error(self, topic: str, exc: BaseException) -> None:
        self._errors.append((topic, exc))

    def _send(
        self, topic: str, value: bytes, *, key: bytes | None, partition: int | None = None
    ) -> None:
        try:
            future = self._client.send(topic, value=value, key=key, partition=partition)
        except Exception as exc:
            self._on_error(topic, exc)
            self._raise_delivery_error()
        future.add_errback(self._on_error, topic)

    def _send_pending(self) -> None:
        if not self._pending:
            return
        tweets, self._pending, self._deadline = self._pending, [], None
        for value, count in self._records(tweets):
            key = f"{self._id}-{self._seq}".encode()
            self._seq += 1
            self._send(self.topic, value, key=key)
            self.sent_records += 1
            self.sent_tweets += count
            if self._sent_metric is not None:
                self._sent_metric.inc(count)

    def _records(self, tweets: Sequence[Tweet | TweetRecord]) -> Iterator[tuple[bytes, int]]:
        value = encode_mixed_batch(tweets)
        if len(value) <= self._max_bytes or len(tweets) == 1:
            yield value, len(tweets)
            return
        half = len(tweets) // 2
        yield from self._records(tweets[:half])
        yield from self._records(tweets[half:])

    def _partitions(self) -> list[int]:
        try:
            partitions = self._client.partitions_for(self.topic)
        except Exception as exc:
            msg = f"cannot read the partitions of {self.topic!r}: {exc!r}"
            raise ServiceError(msg) from exc
        if not partitions:
            msg = (
                f"topic {self.topic!r} has no partitions in the cluster metadata. "
                "Operator action: create the topics (producers.admin.ensure_topics)."
            )
            raise ServiceError(msg)
        return sorted(partitions)

    def _client_call(self, name: str, timeout: float | None) -> None:
        try:
            getattr(self._client, name)(timeout=timeout)
        except Exception as exc:
            msg = f"Kafka producer {name} failed for {self.topic!r}: {exc!r}"
            raise ServiceError(msg) from exc

    def _send_when_due(self) -> None:
        """Timer thread: hand a partial batch to Kafka once its oldest tweet waited max_ms."""
        with self._cond:
            while not self._closed:
                if self._deadline is None:
                    self._cond.wait()
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                # a failed send is kept in self._errors; the next add/flush/close raises it
                with contextlib.suppress(ServiceError):
                    self._send_pending()
