"""``produce x-stream``: the X API v2 filtered stream into ``tweets.raw``, reconnecting for ever.

``GET /2/tweets/search/stream`` asks for what :class:`~streams.model.Tweet` needs
(:data:`STREAM_PARAMS`). The stream sends one JSON message per line and a blank keep-alive line
about every 20 s. Each message goes through :func:`streams.parse.parse_object`; its tweets go to
the sink, anything else (garbage, ``operational-disconnect`` notices) to the dead-letter topic
with the source ``x-stream:<connection>:<line>``.

Reconnects follow X's guidance (:class:`Backoff`):

* network errors (refused, reset, dropped mid-message, or a stall: no byte for
  ``x_stall_seconds``, 20 s by default) — linear: 0.25 s more per attempt, up to 16 s;
* HTTP errors worth retrying (5xx and the like) — exponential from 5 s, up to 320 s;
* HTTP 429 — until ``x-rate-limit-reset`` when X sends it, else exponential from 60 s;
* 400/401/403/404 — not retried: the request or the token is wrong; a ConfigError says so.

A successful connection (HTTP 200) resets the backoff. The bearer token is only put in the
``Authorization`` header: no log line or error message contains it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from producers.rules import api_error, bearer_headers
from streams.errors import ConfigError
from streams.parse import Reject, decode_json, parse_object
from streams.settings import Settings

if TYPE_CHECKING:
    import httpx

    from producers.replay import TweetSink

log = logging.getLogger("tweetpulse.xstream")

STREAM_PATH: Final = "/2/tweets/search/stream"
STREAM_PARAMS: Final = {
    "tweet.fields": "author_id,created_at,lang,entities,public_metrics,referenced_tweets,"
    "context_annotations,source,note_tweet,conversation_id",
    "expansions": "author_id,referenced_tweets.id,referenced_tweets.id.author_id",
    "user.fields": "username,name,verified,created_at,public_metrics",
}
FATAL_STATUS: Final = frozenset({400, 401, 403, 404})
MAX_RATE_WAIT: Final = 15 * 60.0


@dataclass
class Backoff:
    """Reconnect delays as X documents them (pure; one instance per stream)."""

    network_step: float = 0.25
    network_max: float = 16.0
    http_first: float = 5.0
    http_max: float = 320.0
    rate_first: float = 60.0
    rate_max: float = MAX_RATE_WAIT
    _network: int = 0
    _http: int = 0
    _rate: int = 0

    def reset(self) -> None:
        self._network = self._http = self._rate = 0

    def network(self) -> float:
        self._network += 1
        return float(min(self.network_step * self._network, self.network_max))

    def http(self) -> float:
        self._http += 1
        return float(min(self.http_first * 2 ** (self._http - 1), self.http_max))

    def rate_limited(self, reset_at: str | None, now: float) -> float:
        """Until ``x-rate-limit-reset`` (epoch seconds) when sane, else exponential from 60 s."""
        self._rate += 1
        if reset_at is not None and reset_at.strip().isdigit():
            wait = float(reset_at) - now
            if 0 < wait <= self.rate_max:
                return wait
        return float(min(self.rate_first * 2 ** (self._rate - 1), self.rate_max))


@dataclass
class StreamStats:
    tweets: int = 0
    rejects: int = 0
    keepalives: int = 0
    connections: int = 0  # HTTP 200 streams opened
    reconnects: list[tuple[str, float]] = field(default_factory=list)  # (why, delay)


class XStream:
    """Reads the filtered stream into ``sink`` until ``stop`` is set or a limit is reached.

    ``client`` (an ``httpx.Client``), ``sleep`` and ``wall`` (epoch seconds, for
    ``x-rate-limit-reset``) are injected by tests.
    """

    def __init__(
        self,
        settings: Settings,
        sink: TweetSink,
        *,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] | None = None,
        wall: Callable[[], float] = time.time,
        stop: threading.Event | None = None,
    ) -> None:
        import httpx

        self.settings = settings
        self.sink = sink
        self.stats = StreamStats()
        self.backoff = Backoff()
        self._headers = bearer_headers(settings)
        self._client = client or httpx.Client(base_url=settings.x_api_url)
        self._owned = client is None
        self._stop = stop or threading.Event()
        self._sleep = sleep or self._pause
        self._wall = wall
        self._timeout = httpx.Timeout(10.0, read=settings.x_stall_seconds)

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def _pause(self, seconds: float) -> None:
        self._stop.wait(seconds)  # a stop request cuts a long backoff short

    def run(self, *, max_tweets: int | None = None, max_attempts: int | None = None) -> StreamStats:
        """Connect, read, reconnect. Returns after ``max_tweets`` tweets, ``max_attempts``
        connection attempts, or when ``stop`` is set; flushes the sink before returning."""
        attempts = 0
        try:
            while not self._stop.is_set():
                if max_attempts is not None and attempts >= max_attempts:
                    break
                attempts += 1
                if self._connect_once(attempts, max_tweets):
                    break
        finally:
            self.sink.flush()
        return self.stats

    def _wait(self, why: str, delay: float) -> None:
        self.stats.reconnects.append((why, delay))
        log.warning("X stream: %s; reconnecting in %.2fs", why, delay)
        self._sleep(delay)

    def _connect_once(self, attempt: int, max_tweets: int | None) -> bool:
        """One connection; True when the run is over (limit reached)."""
        import httpx

        try:
            with self._client.stream(
                "GET",
                STREAM_PATH,
                params=STREAM_PARAMS,
                headers=self._headers,
                timeout=self._timeout,
            ) as response:
                if response.status_code != 200:
                    response.read()
                    self._http_error(response)
                    return False
                self.backoff.reset()
                self.stats.connections += 1
                log.info("X stream connected (attempt %d)", attempt)
                for number, line in enumerate(response.iter_lines(), 1):
                    if self._handle(line, f"x-stream:{self.stats.connections}:{number}"):
                        if max_tweets is not None and self.stats.tweets >= max_tweets:
                            return True
                    if self._stop.is_set():
                        return True
            self._wait("the stream ended", self.backoff.network())
        except httpx.ReadTimeout:
            stall = self.settings.x_stall_seconds
            self._wait(f"no data for {stall:g}s (stall)", self.backoff.network())
        except httpx.TransportError as exc:
            self._wait(f"network error {type(exc).__name__}", self.backoff.network())
        return False

    def _http_error(self, response: httpx.Response) -> None:
        status = response.status_code
        if status in FATAL_STATUS:
            raise ConfigError(str(api_error("filtered stream", response)))
        if status == 429:
            reset = response.headers.get("x-rate-limit-reset")
            self._wait("HTTP 429 rate limited", self.backoff.rate_limited(reset, self._wall()))
        else:
            self._wait(f"HTTP {status}", self.backoff.http())

    def _handle(self, line: str, source: str) -> bool:
        """True when the line carried at least one tweet."""
        if not line.strip():
            self.stats.keepalives += 1
            return False
        raw = line.encode("utf-8", "surrogatepass")
        decoded = decode_json(raw)
        if isinstance(decoded, Reject):
            self._reject(decoded, source)
            return False
        parsed = parse_object(decoded, max_text_chars=self.settings.max_text_chars, raw=raw)
        for reject in parsed.rejects:
            self._reject(reject, source)
        for tweet in parsed.tweets:
            self.sink.add(tweet)
            self.stats.tweets += 1
        return bool(parsed.tweets)

    def _reject(self, reject: Reject, source: str) -> None:
        self.sink.send_dlq(reject, source)
        self.stats.rejects += 1
