"""Every Redis key name tweetpulse uses (one module owns them all).

Per-window keys share the Redis Cluster hash tag ``{w:<window id>}`` so one Lua call can touch
them all on any shard; cross-window bookkeeping (watermarks, the window registry) lives under
``{meta}``. Layout, with the default prefix ``tp:``::

    tp:{w:20251107}:seen          SET   tweet ids counted in the window (exactly-once guard)
    tp:{w:20251107}:tot           HASH  total, ads, late
    tp:{w:20251107}:topics        HASH  topic -> organic tweets
    tp:{w:20251107}:adr           HASH  ad reason -> tweets
    tp:{w:20251107}:authors       HLL   unique authors
    tp:{w:20251107}:min:<topic>   HASH  epoch minute -> tweets   (``_all``, ``_ads`` too)
    tp:{w:20251107}:hour:<topic>  HASH  epoch hour -> tweets
    tp:{w:20251107}:top:<topic>   ZSET  tweet id -> engagement gained IN the window (capped; an
                                        original's, whatever tweet of it cites it: see orig)
    tp:{w:20251107}:orig          HASH  original (its id, or rt:<hash> when unknown) -> "high
                                        low own retweets topics..." (count_batch.lua: the top
                                        sets' score; one field per original of a tagged tweet)
    tp:{w:20251107}:tw            HASH  tweet id -> compact record (only top tweets); and
                                        rt:<hash> -> the retweet id standing for an original
                                        of unknown id (count_batch.lua), and rt:<hash>:l -> 1
                                        while that retweet's id is lossy (a record citing a
                                        lossy id has "l": 1 and is never linked)
    tp:{w:20251107}:terms         ZSET  emerging term -> count (capped)
    tp:{w:20251107}:oterms        ZSET  emerging term -> voices (texts spread: a retweet or a copy
                                        counts for the text it spreads) using it (capped): the
                                        report's hot words
    tp:{w:20251107}:vterms        SET   "<voice> <term>" pairs counted in oterms (once each)
    tp:{w:20251107}:tmin:<minute> HASH  emerging term -> tweets in that epoch minute
    tp:{w:20251107}:offsets       HASH  tweets.enriched partition -> lowest offset with a tweet
                                        of the window (where ``tweetpulse rebuild`` starts)
    tp:{w:20251107}:bursts        ZSET  burst event id -> event time (epoch s; capped)
    tp:{w:20251107}:burst_ev      HASH  burst event id -> event JSON (alerts.trends value)
    tp:{w:20251107}:burst_tx:<id> STR   sending | sent   (SET NX: one worker sends an event)
    tp:{w:20251107}:state         STR   closing | closed   (SET NX by the window closer)
    tp:{w:20251107}:report        STR   path of the written report (summarizer idempotence)
    tp:{w:20251107}:merged        SET   <lossy id>:<hash> of each row the count merged into
                                        another because they share a lossy id (added by the
                                        demo's replay before it sends the row; the report says
                                        how many)
    tp:{w:20251107}:rebuild_lock  STR   run id of the ``tweetpulse rebuild`` in progress
    tp:{w:20251107}:rebuild:<run>:<suffix>  a rebuild's fresh keys, renamed over the live ones
    tp:{meta}:wm                  HASH  partition -> max event time seen (epoch ms)
    tp:{meta}:wm_seen             HASH  partition -> wall time of its last batch (epoch ms)
    tp:{meta}:windows             ZSET  open window id -> window end (epoch s)
    tp:{meta}:closed              ZSET  closed window id -> window end (epoch s)
    tp:{meta}:campaigns           STREAM  campaign evidence the workers share (capped)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "tp:"

    # --- per window -----------------------------------------------------------------------
    def window_base(self, window_id: str) -> str:
        """Common stem of a window's keys; the Lua script appends ``:<suffix>`` to it."""
        return f"{self.prefix}{{w:{window_id}}}"

    def seen(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:seen"

    def totals(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:tot"

    def topics(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:topics"

    def ad_reasons(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:adr"

    def authors(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:authors"

    def minutes(self, window_id: str, topic: str) -> str:
        return f"{self.window_base(window_id)}:min:{topic}"

    def hours(self, window_id: str, topic: str) -> str:
        return f"{self.window_base(window_id)}:hour:{topic}"

    def top(self, window_id: str, topic: str) -> str:
        return f"{self.window_base(window_id)}:top:{topic}"

    def tweets(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:tw"

    def terms(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:terms"

    def originals(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:orig"

    def voice_terms(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:oterms"

    def voice_term_pairs(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:vterms"

    def term_minute(self, window_id: str, minute: int) -> str:
        return f"{self.window_base(window_id)}:tmin:{minute}"

    def offsets(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:offsets"

    def rebuild_base(self, window_id: str, run: str) -> str:
        """Stem of a rebuild's fresh keys: same hash tag, never matched by a live key name."""
        return f"{self.window_base(window_id)}:rebuild:{run}"

    def rebuild_lock(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:rebuild_lock"

    def bursts(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:bursts"

    def burst_events(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:burst_ev"

    def burst_claim(self, window_id: str, event_id: str) -> str:
        return f"{self.window_base(window_id)}:burst_tx:{event_id}"

    def state(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:state"

    def report(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:report"

    def merged(self, window_id: str) -> str:
        return f"{self.window_base(window_id)}:merged"

    # --- meta -----------------------------------------------------------------------------
    @property
    def watermarks(self) -> str:
        return f"{self.prefix}{{meta}}:wm"

    @property
    def watermark_seen(self) -> str:
        return f"{self.prefix}{{meta}}:wm_seen"

    @property
    def bursts_scored(self) -> str:
        """HASH ``through`` -> epoch s up to which burst events are scored and stored."""
        return f"{self.prefix}{{meta}}:bursts_scored"

    @property
    def open_windows(self) -> str:
        return f"{self.prefix}{{meta}}:windows"

    @property
    def closed_windows(self) -> str:
        return f"{self.prefix}{{meta}}:closed"

    @property
    def campaign_exchange(self) -> str:
        """STREAM of the posts each worker's campaign detector added (streams/campaign_exchange)."""
        return f"{self.prefix}{{meta}}:campaigns"


COUNTED = frozenset(
    {"seen", "tot", "topics", "adr", "authors", "tw", "terms", "offsets"}
    | {"orig", "oterms", "vterms"}  # the in-window top scores and the hot words by voice
)
"""Suffixes of the keys ``count_batch.lua`` writes (a rebuild replaces exactly these)..."""
COUNTED_FAMILIES = ("min:", "hour:", "top:", "tmin:")
"""...and these families of them (``<family><topic or minute>``)."""


def written_by_count_script(suffix: str) -> bool:
    """True for a window key suffix (what follows ``<window base>:``) the count script writes;
    burst, close-state, report and rebuild keys are not."""
    return suffix in COUNTED or suffix.startswith(COUNTED_FAMILIES)


ALL = "_all"  # pseudo-topic: every counted tweet
ADS = "_ads"  # pseudo-topic: ad tweets
