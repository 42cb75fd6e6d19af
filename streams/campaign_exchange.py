"""Campaign evidence shared between workers through one Redis stream.

Each worker's :class:`~streams.campaigns.CampaignDetector` sees only the tweets of the
partitions it owns, so with three workers a template posted by nine accounts reaches each
detector about three times, short of the five accounts that make a campaign. Every
``TWEETPULSE_CAMPAIGN_EXCHANGE_INTERVAL`` seconds each worker therefore

1. appends the posts its detector added since the last exchange to the stream ``<prefix>{meta}:
   campaigns`` (one entry per exchange: the worker's id and its posts as JSON
   ``[[fingerprint, event time, account], …]``), and
2. reads the entries the other workers appended since its last read and adds their posts to
   its detector (:meth:`~streams.campaigns.CampaignDetector.add_shared`).

Every detector so holds the fingerprints of the whole stream, up to one interval late. Shared
posts are evidence only: the verdicts stay each worker's own, and the counts stay exactly once
(a verdict is made once per tweet, in the worker that consumes it).

A worker starts reading at the end of the stream: posts from before its start (a previous run,
another replay of the same day) never count. The stream keeps about :data:`MAX_ENTRIES`
entries (``XADD MAXLEN ~``), and one read takes at most :data:`READ_COUNT` of them; a worker
that falls further behind skips evidence, never a tweet. Only posts the classifier already fed
its detector (those a campaign hit could turn into ads, a few percent) travel.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, cast

import orjson
import redis.asyncio as aioredis

from streams.campaigns import CampaignDetector, SharedPost

log = logging.getLogger(__name__)

MAX_ENTRIES = 10_000  # stream entries kept (each holds one worker's posts of one interval)
READ_COUNT = 1_000  # entries read per exchange at most

_Entry = tuple[bytes, dict[bytes, bytes]]  # a stream entry as redis-py returns it (bytes mode)


class CampaignExchange:
    """Publishes one detector's new posts and adds the other workers' (see the module)."""

    def __init__(
        self,
        client: aioredis.Redis,
        key: str,
        detector: CampaignDetector,
        worker_id: str | None = None,
    ) -> None:
        self.client = client
        self.key = key
        self.detector = detector
        self.worker_id = worker_id or uuid.uuid4().hex
        self._last_id: bytes | None = None  # last stream entry read; None before the first run
        detector.share()

    async def run_once(self) -> tuple[int, int]:
        """One exchange; returns (posts published, posts received). A Redis error leaves the
        detector's unsent posts waiting for the next run."""
        if self._last_id is None:
            self._last_id = await self._stream_end()
        posts = self.detector.take_shared()
        if posts:
            try:
                await self.client.xadd(
                    self.key,
                    {"w": self.worker_id, "p": orjson.dumps([list(post) for post in posts])},
                    maxlen=MAX_ENTRIES,
                    approximate=True,
                )
            except Exception:
                self.detector.keep_unsent(posts)  # sent with the next run
                raise
        received = await self._read()
        return len(posts), received

    async def _stream_end(self) -> bytes:
        newest = cast(list[_Entry], await self.client.xrevrange(self.key, count=1))
        return newest[0][0] if newest else b"0-0"

    async def _read(self) -> int:
        assert self._last_id is not None
        reply = await self.client.xread({self.key: self._last_id}, count=READ_COUNT)
        received = 0
        me = self.worker_id.encode()
        for entries in _entries_by_stream(reply):
            for entry_id, fields in entries:
                self._last_id = entry_id
                if fields.get(b"w") == me:
                    continue
                try:
                    posts = [
                        SharedPost(int(fp), float(ts), str(account))
                        for fp, ts, account in orjson.loads(fields[b"p"])
                    ]
                except (KeyError, ValueError, TypeError):
                    log.warning("campaign exchange: skipped a malformed entry %r", entry_id)
                    continue
                self.detector.add_shared(posts)
                received += len(posts)
        return received


def _entries_by_stream(reply: Any) -> list[list[_Entry]]:
    """XREAD's entries per stream, in either protocol: RESP2 ``[[key, entries]]``, RESP3
    ``{key: [entries]}`` (a client made with ``?protocol=3`` in the Redis URL)."""
    if isinstance(reply, dict):
        return [cast(list[_Entry], value[0]) for value in reply.values() if value]
    return [cast(list[_Entry], entries) for _key, entries in reply or ()]
