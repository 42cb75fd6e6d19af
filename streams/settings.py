"""One frozen settings object per process (env prefix ``TWEETPULSE_``, ``.env`` supported).

Built once at the entry point (``Settings.load()``) and passed down; modules never read the
environment themselves. A bad value stops start-up with a :class:`~streams.errors.ConfigError`
that names the setting (as its environment variable) and says how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BeforeValidator,
    Field,
    SecretStr,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from streams.bursts import GAP_MIN_EXPECTED_LOWEST
from streams.errors import ConfigError

ENV_PREFIX = "TWEETPULSE_"

QUOTE_MAX_AD_SCORE: Final = 0.35
"""Default of ``TWEETPULSE_QUOTE_MAX_AD_SCORE``: organic tweets scoring this or more as an ad
(below the ad threshold: still counted) are never quoted as a highlight. One weak signal
scores at most 0.30 and is as often organic as not (a salary, a price, a thin account); two
signals or strong promotional language are mostly self-promotion (corpus 2023-04-03..07: 6 of
425 top tweets reach 0.35, 1 of them organic; 0.30 would take 28, most of them organic)."""

DURATION_FORMS: Final = (
    "seconds (600), a number with a unit s/m/h/d (90s, 10m, 2h, 1d, 1h30m) "
    "or ISO 8601 (PT10M, P1DT2H)"
)
_UNIT_SECONDS: Final = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
_SUFFIXED: Final = re.compile(r"(?:\d+(?:\.\d+)?[dhms])+", re.IGNORECASE)
_PYDANTIC_TIMEDELTA: Final = TypeAdapter(timedelta)  # ISO 8601 ("PT10M") and "HH:MM:SS"


def parse_duration(value: object) -> object:
    """A duration setting from its text: plain seconds, suffixed or ISO 8601 (``DURATION_FORMS``).

    Numbers and timedeltas pass through to pydantic; any other text is a ValueError that lists
    the accepted forms (pydantic then names the setting).
    """
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("-"):
        msg = f"{value!r} is negative; a duration is {DURATION_FORMS}"
        raise ValueError(msg)
    try:
        return timedelta(seconds=float(text))
    except (ValueError, OverflowError):
        pass
    if _SUFFIXED.fullmatch(text):
        parts = re.findall(r"(\d+(?:\.\d+)?)([dhms])", text, re.IGNORECASE)
        return timedelta(seconds=sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts))
    try:  # the forms pydantic itself reads, in any case
        return _PYDANTIC_TIMEDELTA.validate_python(text.upper())
    except ValidationError:
        msg = f"{value!r} is not a duration; use {DURATION_FORMS}"
        raise ValueError(msg) from None


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
"""A timedelta setting that also takes "600", "10m" or "PT10M" (see :func:`parse_duration`)."""


class Settings(BaseSettings):
    """Every knob of tweetpulse. Field ``x`` is set by the environment variable ``TWEETPULSE_X``."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", extra="ignore", frozen=True
    )

    # --- services -------------------------------------------------------------------------
    kafka_bootstrap: str = Field(
        "127.0.0.1:9092", description="Kafka bootstrap servers, host:port[,host:port]"
    )
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Redis URL")
    home: Path = Field(
        Path(".tweetpulse"),
        description="Folder for local state: Kafka jars and data, Redis data, pids, logs",
    )

    # --- topics ---------------------------------------------------------------------------
    topic_prefix: str = Field("", description="Prefix for every Kafka topic name")
    partitions: int = Field(8, ge=1, le=1024, description="Partitions of the tweets.* topics")
    app_id: str = Field("tweetpulse", description="Faust app id (the Kafka consumer group)")

    # --- redis keys -----------------------------------------------------------------------
    key_prefix: str = Field("tp:", description="Prefix of every Redis key")
    minute_bucket_ttl: Duration = Field(timedelta(hours=48))
    hour_bucket_ttl: Duration = Field(timedelta(days=30))
    window_state_ttl: Duration = Field(
        timedelta(days=35), description="How long per-window aggregates stay in Redis"
    )
    top_tweets_per_topic: int = Field(50, ge=1, le=10_000)
    top_terms: int = Field(500, ge=10, le=100_000)

    # --- windows --------------------------------------------------------------------------
    timezone: str = Field("Asia/Shanghai", description="IANA zone of the daily report window")
    window_start_hour: int = Field(0, ge=0, le=23, description="Local hour a day window starts")
    allowed_lateness: Duration = Field(timedelta(minutes=10))
    partition_idle_timeout: Duration = Field(
        timedelta(seconds=30),
        description="A partition silent this long (wall clock) no longer holds the watermark",
    )
    live_mode: bool = Field(
        False, description="Let the wall clock advance the watermark (a quiet stream closes)"
    )
    close_interval: float = Field(1.0, gt=0, description="Seconds between window-closer runs")

    # --- producer -------------------------------------------------------------------------
    batch_max_tweets: int = Field(200, ge=1, le=10_000, description="Tweets packed per record")
    batch_max_ms: int = Field(200, ge=0, le=60_000, description="Max wait to fill a record")
    producer_compression: Literal["auto", "lz4", "gzip", "zstd", "snappy", "none"] = Field(
        "auto",
        description="Codec of produced records; auto = lz4 when lz4 and cramjam are installed "
        "(the worker reads lz4 with cramjam), else gzip",
    )
    x_bearer_token: SecretStr | None = Field(
        None, description="X API v2 app bearer token (produce x-stream, rules)"
    )
    x_api_url: str = Field("https://api.x.com", description="X API base URL")
    x_stall_seconds: float = Field(
        20.0, gt=0, description="Reconnect when the X stream sends no byte for this long"
    )

    # --- ingest ---------------------------------------------------------------------------
    max_text_chars: int = Field(
        10_000, ge=280, description="Longer tweet text is malformed input (goes to the DLQ)"
    )
    ad_threshold: float = Field(0.6, gt=0, le=1, description="Ad score at or above = ad")
    # near-duplicate campaigns (streams/campaigns.py): one template, many accounts, one window
    campaign_detection: bool = Field(True, description="Add campaign hits to the ad score")
    campaign_window: Duration = Field(
        timedelta(hours=1), description="Posts of one template count together within this"
    )
    campaign_min_accounts: int = Field(
        5, ge=2, le=64, description="Distinct accounts that make a template a campaign"
    )
    campaign_max_distance: int = Field(
        3, ge=0, le=3, description="SimHash bits two posts of one template may differ in"
    )
    campaign_max_entries: int = Field(
        100_000, ge=100, description="Fingerprints kept per worker (oldest evicted first)"
    )
    campaign_exchange_interval: float = Field(
        1.0,
        ge=0,
        description="Seconds between campaign-evidence exchanges with the other workers "
        "(streams/campaign_exchange.py); 0 turns the exchange off",
    )
    taxonomy_path: Path | None = Field(
        None, description="Topic taxonomy YAML (default: the one shipped in streams/)"
    )

    # --- bursts (streams/bursts.py) --------------------------------------------------------
    burst_bucket: Duration = Field(
        timedelta(minutes=5), description="Bucket a burst rate is counted in (whole minutes)"
    )
    burst_alpha: float = Field(0.1, gt=0, lt=1, description="EWMA weight of the newest bucket")
    burst_open_threshold: float = Field(4.0, gt=0, description="z-score that opens a burst")
    burst_close_threshold: float = Field(
        2.0, ge=0, description="z-score below which an open burst closes (< open threshold)"
    )
    burst_min_count: int = Field(20, ge=1, description="Tweets per bucket below which none opens")
    burst_baseline_floor: float = Field(
        5.0, gt=0, description="Lowest baseline (tweets per bucket) used in the z-score"
    )
    burst_warmup_buckets: int = Field(
        12, ge=0, description="Buckets a fresh detector only learns from before any burst opens"
    )
    burst_gap_min_expected: float = Field(
        10.0,
        ge=0,
        description="Expected tweets per bucket of the whole stream from which a bucket without "
        "any tweet is a gap in the data, not silence (baselines hold); 0: never a gap",
    )
    burst_interval: float = Field(
        5.0, gt=0, description="Seconds between burst-detector runs in the worker"
    )
    burst_history: Duration = Field(
        timedelta(hours=24),
        description="How far back a starting worker replays buckets to rebuild baselines",
    )
    burst_events_kept: int = Field(
        1000, ge=10, le=100_000, description="Burst events kept per day window in Redis"
    )

    # --- live view (streams/web.py, tweetpulse top) ------------------------------------------
    trending_baseline: Duration = Field(
        timedelta(hours=6),
        description="/api/trending compares the last hour with the hourly mean of this span",
    )
    trending_min_count: int = Field(
        5, ge=1, description="Tweets in the last hour below which a term is not trending"
    )
    lag_interval: float = Field(
        10.0, gt=0, description="Seconds between consumer-lag measurements in the worker"
    )

    # --- worker ---------------------------------------------------------------------------
    worker_web_port: int = Field(6066, ge=1, le=65535, description="Faust web + /metrics port")
    worker_web_host: str = "127.0.0.1"
    worker_data_dir: Path | None = Field(None, description="Faust datadir (default: home/faust)")
    broker_session_timeout: float = Field(30.0, gt=0)
    broker_heartbeat_interval: float = Field(3.0, gt=0)
    broker_rebalance_timeout: float = Field(60.0, gt=0)

    # --- summarizer -----------------------------------------------------------------------
    out_dir: Path = Field(Path("out"), description="Report output root (posts in _posts/)")
    report_lang: Literal["zh", "en"] = "zh"
    font_path: Path | None = Field(None, description="CJK font for the word cloud")
    report_burst_wait: float = Field(
        60.0,
        ge=0,
        description="Seconds the summarizer service waits for the day's burst events to be "
        "scored before writing a report (0: do not wait)",
    )
    metrics_host: str = Field(
        "127.0.0.1", description="Address the producer/summarizer /metrics listens on"
    )
    metrics_port: int = Field(
        0, ge=0, le=65535, description="Prometheus port for producer/summarizer (0 = off)"
    )
    # LLM (any OpenAI-compatible chat-completions server; see summarizer/llm.py)
    openai_api_key: SecretStr | None = Field(None, description="API key of the LLM server")
    openai_base_url: str | None = Field(
        None, description="OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama)"
    )
    openai_model: str = "gpt-4o-mini"
    openai_temperature: float = Field(0.3, ge=0, le=2, description="Sampling temperature")
    openai_timeout: float = Field(120.0, gt=0, description="Seconds per LLM request")
    openai_max_retries: int = Field(
        2, ge=0, le=10, description="Client retries on 408/409/429/5xx and connection errors"
    )
    openai_max_tokens: int = Field(
        8192, ge=256, le=200_000, description="Max completion tokens per LLM request"
    )
    report_mode: Literal["auto", "llm", "extractive"] = Field(
        "auto", description="auto: the LLM when an API key or base URL is set, else extractive"
    )
    llm_prompt_chars: int = Field(
        40_000,
        ge=2_000,
        description="Digest of top tweets above this size is map-reduced (per-topic notes first)",
    )
    llm_tweets_per_topic: int = Field(10, ge=1, le=200, description="Top tweets per topic shown")
    llm_tweet_chars: int = Field(400, ge=50, le=4_000, description="Tweet text cut to this size")
    quote_max_ad_score: float = Field(
        QUOTE_MAX_AD_SCORE,
        ge=0,
        le=1,
        description="A tweet whose ad score is at or above this is counted but never quoted "
        "or offered to the LLM as a highlight (1: quote every organic tweet)",
    )

    @field_validator("openai_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("http://", "https://")):
            msg = (
                f"{value!r} must start with http:// or https:// (example: http://127.0.0.1:8000/v1)"
            )
            raise ValueError(msg)
        return value or None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            msg = f"unknown IANA timezone {value!r}; use a name like 'Asia/Shanghai' or 'UTC'"
            raise ValueError(msg) from exc
        return value

    @field_validator("kafka_bootstrap")
    @classmethod
    def _host_ports(cls, value: str) -> str:
        for part in value.split(","):
            host, _, port = part.strip().rpartition(":")
            if not host or not port.isdigit():
                msg = f"{part!r} is not host:port (example: 127.0.0.1:9092)"
                raise ValueError(msg)
        return value

    @field_validator("burst_bucket")
    @classmethod
    def _whole_minutes(cls, value: timedelta) -> timedelta:
        if value < timedelta(minutes=1) or value % timedelta(minutes=1):
            msg = f"{value} is not a whole number of minutes (example: 300, 5m or PT5M: 5 minutes)"
            raise ValueError(msg)
        return value

    @field_validator("burst_gap_min_expected")
    @classmethod
    def _gap_plausible(cls, value: float) -> float:
        if 0 < value < GAP_MIN_EXPECTED_LOWEST:
            msg = (
                f"{value:g} would take quiet buckets for gaps (an empty bucket has a chance of "
                f"e^-{value:g}); use 0 (off) or at least {GAP_MIN_EXPECTED_LOWEST:g} (default 10)"
            )
            raise ValueError(msg)
        return value

    @field_validator("burst_close_threshold")
    @classmethod
    def _below_open(cls, value: float, info: ValidationInfo) -> float:
        opening = info.data.get("burst_open_threshold")
        if opening is not None and value >= opening:
            msg = f"must be below TWEETPULSE_BURST_OPEN_THRESHOLD ({opening}) for hysteresis"
            raise ValueError(msg)
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if not value.startswith(("redis://", "rediss://", "unix://")):
            msg = f"{value!r} must start with redis://, rediss:// or unix://"
            raise ValueError(msg)
        return value

    # --- derived names --------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def topic(self, name: str) -> str:
        """Full Kafka topic name for a logical name such as ``tweets.raw``."""
        return f"{self.topic_prefix}{name}"

    @property
    def faust_datadir(self) -> Path:
        return self.worker_data_dir or self.home / "faust"

    @classmethod
    def load(cls, *, flags: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from env/.env plus ``overrides``; raise ConfigError on bad values.

        ``flags`` maps a field to the command-line option that gave its override: a bad value
        from an option is reported as that option ("--threshold 2: ..."), not as a variable.
        """
        try:
            return cls(**overrides)  # type: ignore[arg-type]  # pydantic validates the kwargs
        except ValidationError as exc:
            given = {k: v for k, v in (flags or {}).items() if k in overrides}
            errors = exc.errors()
            if not any(e["loc"] and str(e["loc"][0]) in given for e in errors):
                raise ConfigError.from_validation(exc, ENV_PREFIX) from None
            lines = []
            for err in errors:
                name = str(err["loc"][0]) if err["loc"] else "?"
                if name in given:
                    lines.append(f"  {given[name]} {err.get('input')}: {err['msg']}")
                else:
                    env = f"{ENV_PREFIX}{name.upper()}"
                    lines.append(f"  {env} (environment or .env): {err['msg']}")
            head = "invalid options" if len(given) == len(lines) else "invalid options and settings"
            raise ConfigError(f"{head}:\n" + "\n".join(lines)) from None
