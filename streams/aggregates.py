"""What one closed day window looks like to the summarizer (pure data, read from Redis).

``streams.store.RedisStore.window_aggregates`` builds it; ``summarizer`` turns it into a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from streams.windows import Window


@dataclass(frozen=True, slots=True)
class TweetRecord:
    """Compact copy of a tweet kept per window for the report (ads are never kept here)."""

    id: str
    text: str
    created_at: datetime
    author: str  # username, '' when unknown
    engagement: int
    lang: str | None
    topics: tuple[str, ...]
    lossy_id: bool = False  # the id was read from a float: it names another tweet or none
    # engagement the original gained IN the window (its top-set score, count_batch.lua); None
    # when unknown (a record not read from a top set): ``engagement`` is then all there is
    window_engagement: int | None = None
    # the ad classifier's score (below its threshold: the tweet was counted as organic); the
    # report quotes a tweet only below TWEETPULSE_QUOTE_MAX_AD_SCORE
    ad_score: float = 0.0

    @property
    def score(self) -> int:
        """What the report ranks and shows a tweet by: the engagement it gained in the window
        (a retweet carries its original's lifetime counts: an old viral tweet retweeted once
        today gained little today), else its engagement."""
        return self.engagement if self.window_engagement is None else self.window_engagement

    @property
    def url(self) -> str | None:
        """The tweet's link; None when its id is lossy (a link would open another tweet)."""
        return None if self.lossy_id else f"https://x.com/i/status/{self.id}"


@dataclass(frozen=True, slots=True)
class BurstRecord:
    """A burst the worker's detector reported in the window (from its alerts.trends events)."""

    kind: str  # topic | term
    name: str  # taxonomy topic id or the term
    opened_at: datetime  # end of the bucket that opened it (UTC)
    closed_at: datetime | None  # end of the bucket that closed it; None: still open at close
    peak_z: float  # highest z-score while open
    rate: float  # tweets per minute in the opening bucket
    baseline: float  # expected tweets per minute when it opened


@dataclass(frozen=True, slots=True)
class PreviousWindow:
    """The previous day window as the report compares with it (its topic counts are
    ``WindowAggregates.previous_topics``): changes of share need its organic tweets, and a
    window the data covered only partly (a replay that starts mid-day) its hours."""

    organic: int
    hourly: dict[int, int]  # UTC epoch hour -> unique tweets, as ``WindowAggregates.hourly``


@dataclass(frozen=True, slots=True)
class EarlierTerms:
    """An earlier window's emerging terms, the baseline the report's hot words are ranked
    against (``summarizer.hotwords.rank_hot_words``)."""

    window_id: str
    organic: int  # its organic tweets: the terms' shares are of these
    terms: list[tuple[str, float]]  # its most used terms -> voices (as ``WindowAggregates.terms``)
    cut: bool  # the list was cut at the read limit: a term not in it has at most its last count


@dataclass(frozen=True, slots=True)
class WindowAggregates:
    window: Window
    total: int  # unique tweets (organic + ads) counted in the window
    ads: int  # of which classified as ads
    ad_reasons: dict[str, int]  # reason -> tweets with that reason (a tweet may have several)
    topics: dict[str, int]  # topic id -> organic tweets tagged with it
    unique_authors: int  # HyperLogLog estimate (organic + ads)
    top_tweets: dict[str, list[TweetRecord]]  # topic id -> organic tweets, score desc
    # emerging terms (hashtags, cashtags, ...) -> distinct voices using them (a text and its
    # retweets and copies count once; the tweet count in windows counted before voices), desc
    terms: list[tuple[str, float]]
    hourly: dict[int, int]  # UTC epoch hour -> unique tweets
    late: int = 0  # tweets that arrived after the window had closed (kept, counted)
    previous_topics: dict[str, int] = field(default_factory=dict)  # previous window, if any
    bursts: list[BurstRecord] = field(default_factory=list)  # by opening time
    minutes_with_tweets: int | None = None  # distinct minutes with a tweet (None: not read)
    previous: PreviousWindow | None = None  # the previous window's volume (None: not read)
    # the terms of up to a week of earlier windows, the latest first (empty: none counted, their
    # keys expired, or not read): the hot words are ranked by their rise against these
    earlier_terms: list[EarlierTerms] = field(default_factory=list)

    @property
    def organic(self) -> int:
        return self.total - self.ads

    @property
    def ad_share(self) -> float:
        return self.ads / self.total if self.total else 0.0
