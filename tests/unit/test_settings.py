from __future__ import annotations

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
