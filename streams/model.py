"""The normalized tweet and the records that carry it through Kafka (pure: pydantic only).

``tweets.raw`` carries :class:`RawBatch` records (``{"v": 1, "tweets": [Tweet, ...]}``), and
optionally a ``watermark``: a producer's promise that no tweet older than it will follow on that
partition (a finished replay sends one so its last day window can close).
A tweet's optional ``id_lossy`` (``true`` only; absent means false, so a record of a normal id is
what it was before the field existed) says its id is not the real one (read from a float).
``tweets.enriched`` / ``tweets.ads`` carry :class:`EnrichedBatch` records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


def _require_aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        msg = "timestamp has no timezone; send ISO 8601 with Z or an offset"
        raise ValueError(msg)
    return value.astimezone(UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_require_aware_utc)]
TweetId = Annotated[str, Field(pattern=r"^[0-9]{1,20}$")]


class Author(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str | None = None
    username: str | None = None
    name: str | None = None
    verified: bool | None = None
    created_at: AwareDatetime | None = None
    followers_count: int | None = None
    following_count: int | None = None
    tweet_count: int | None = None


class Metrics(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    retweet_count: int = 0
    reply_count: int = 0
    like_count: int = 0
    quote_count: int = 0
    impression_count: int = 0

    @property
    def engagement(self) -> int:
        """One number to rank tweets: likes + 2×retweets + 2×quotes + replies."""
        return self.like_count + 2 * self.retweet_count + 2 * self.quote_count + self.reply_count


class Reference(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    type: Literal["retweeted", "quoted", "replied_to"]
    id: str | None = None


class Tweet(BaseModel):
    """A normalized tweet: what every producer emits and every agent consumes."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: TweetId
    text: str = Field(min_length=1)
    created_at: AwareDatetime
    lang: str | None = None
    author: Author = Field(default_factory=Author)
    source: str | None = Field(None, description="Posting client, e.g. 'Twitter Web App'")
    metrics: Metrics = Field(default_factory=Metrics)
    hashtags: tuple[str, ...] = ()
    cashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    context_annotations: tuple[str, ...] = Field(
        (), description="X API context annotation entity names ('domain/entity')"
    )
    id_lossy: bool = Field(
        False,
        description=(
            "The id went through a float on its way here (a CSV export): its last digits are "
            "not the real ones. Counted under it as read, never linked to (it names another "
            "tweet or none). Optional on the wire, written only when true."
        ),
    )

    @property
    def is_retweet(self) -> bool:
        return any(r.type == "retweeted" for r in self.references) or self.text.startswith("RT @")


class AdVerdict(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: float = Field(ge=0, le=1)
    is_ad: bool
    reasons: tuple[str, ...] = ()


class EnrichedTweet(BaseModel):
    model_config = ConfigDict(frozen=True)

    tweet: Tweet
    ad: AdVerdict
    topics: tuple[str, ...] = ()
    terms: tuple[str, ...] = Field((), description="hashtags, cashtags, keyphrases (emerging)")


class RawBatch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    v: int = SCHEMA_VERSION
    tweets: list[Tweet] = Field(default_factory=list)
    watermark: AwareDatetime | None = None


class EnrichedBatch(BaseModel):
    model_config = ConfigDict(frozen=True)

    v: int = SCHEMA_VERSION
    tweets: list[EnrichedTweet] = Field(default_factory=list)
    watermark: AwareDatetime | None = None
    received_at: float | None = Field(
        None, description="Kafka timestamp (epoch s) of the raw record, for the latency metric"
    )
