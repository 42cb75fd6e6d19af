from __future__ import annotations

from datetime import timedelta

import pytest

from streams.errors import ConfigError
from streams.settings import Settings


@pytest.mark.parametrize(
    ("env", "value", "needle"),
    [
        ("TWEETPULSE_TIMEZONE", "Mars/Olympus", "TWEETPULSE_TIMEZONE"),
        ("TWEETPULSE_KAFKA_BOOTSTRAP", "localhost", "host:port"),
        ("TWEETPULSE_REDIS_URL", "http://x", "redis://"),
        ("TWEETPULSE_PARTITIONS", "0", "TWEETPULSE_PARTITIONS"),
        ("TWEETPULSE_WINDOW_START_HOUR", "24", "TWEETPULSE_WINDOW_START_HOUR"),
        ("TWEETPULSE_CAMPAIGN_EXCHANGE_INTERVAL", "-1", "TWEETPULSE_CAMPAIGN_EXCHANGE_INTERVAL"),
        ("TWEETPULSE_QUOTE_MAX_AD_SCORE", "1.5", "TWEETPULSE_QUOTE_MAX_AD_SCORE"),
        ("TWEETPULSE_QUOTE_MAX_AD_SCORE", "-0.1", "TWEETPULSE_QUOTE_MAX_AD_SCORE"),
        ("TWEETPULSE_QUOTE_MAX_AD_SCORE", "high", "TWEETPULSE_QUOTE_MAX_AD_SCORE"),
    ],
)
def test_bad_setting_names_the_variable_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, needle: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigError) as err:
        Settings.load()
    assert needle in str(err.value)
    assert env in str(err.value)


def test_defaults_and_topic_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWEETPULSE_TOPIC_PREFIX", "prod.")
    s = Settings.load()
    assert s.topic("tweets.raw") == "prod.tweets.raw"
    assert s.timezone == "Asia/Shanghai"
    assert s.partitions == 8
    with pytest.raises(Exception, match="frozen"):
        s.partitions = 3  # type: ignore[misc]  # frozen on purpose


# --- durations: one parser for every timedelta setting -------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("600", timedelta(minutes=10)),
        ("0", timedelta(0)),
        ("1.5", timedelta(seconds=1.5)),
        ("90s", timedelta(seconds=90)),
        ("10m", timedelta(minutes=10)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(minutes=90)),
        ("1.5h", timedelta(minutes=90)),
        (" 10M ", timedelta(minutes=10)),
        ("PT10M", timedelta(minutes=10)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("pt30s", timedelta(seconds=30)),
        ("P2D", timedelta(days=2)),
    ],
)
@pytest.mark.parametrize(
    "env",
    [
        "TWEETPULSE_ALLOWED_LATENESS",
        "TWEETPULSE_MINUTE_BUCKET_TTL",
        "TWEETPULSE_PARTITION_IDLE_TIMEOUT",
        "TWEETPULSE_TRENDING_BASELINE",
    ],
)
def test_duration_forms(
    monkeypatch: pytest.MonkeyPatch, env: str, text: str, expected: timedelta
) -> None:
    monkeypatch.setenv(env, text)
    assert getattr(Settings.load(), env.removeprefix("TWEETPULSE_").lower()) == expected


@pytest.mark.parametrize("text", ["garbage", "", "10 minutes", "PT", "P", "10x", "-600", "m10"])
def test_bad_duration_names_the_setting_and_the_forms(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("TWEETPULSE_ALLOWED_LATENESS", text)
    with pytest.raises(ConfigError) as err:
        Settings.load()
    message = str(err.value)
    assert "TWEETPULSE_ALLOWED_LATENESS" in message
    assert "600" in message and "10m" in message and "PT10M" in message
    assert "identifier" not in message  # not pydantic's ISO-only wording


@pytest.mark.parametrize(
    ("text", "minutes"), [("300", 5), ("5m", 5), ("PT5M", 5), ("1h", 60), (None, 5)]
)
def test_burst_bucket_takes_every_form(
    monkeypatch: pytest.MonkeyPatch, text: str | None, minutes: int
) -> None:
    if text is not None:
        monkeypatch.setenv("TWEETPULSE_BURST_BUCKET", text)
    assert Settings.load().burst_bucket == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["90s", "30", "PT1M30S"])
def test_burst_bucket_hint_is_a_value_that_works(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("TWEETPULSE_BURST_BUCKET", text)
    with pytest.raises(ConfigError, match="whole number of minutes") as err:
        Settings.load()
    assert "(example: 300, 5m or PT5M: 5 minutes)" in str(err.value)
    for example in ("300", "5m", "PT5M"):  # the hint's own examples load
        monkeypatch.setenv("TWEETPULSE_BURST_BUCKET", example)
        assert Settings.load().burst_bucket == timedelta(minutes=5)


def test_flag_and_env_errors_are_named_by_their_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWEETPULSE_TIMEZONE", "Nowhere/Special")
    with pytest.raises(ConfigError) as err:
        Settings.load(flags={"ad_threshold": "--threshold"}, ad_threshold=2)
    lines = str(err.value).splitlines()
    assert lines[0] == "invalid options and settings:"
    assert any(line.startswith("  --threshold 2: ") for line in lines)
    assert any(line.startswith("  TWEETPULSE_TIMEZONE (environment or .env): ") for line in lines)
