"""Exceptions of tweetpulse.

TweetpulseError
 ├── ConfigError          a setting is invalid; start-up stops (names the setting + the fix)
 ├── ServiceError         a service (Kafka, Redis, Java, Maven) is missing or not ready
 ├── InputError           a tweet or record cannot be used; carries a short ``reason``
 └── ReportError          the summarizer cannot produce a report file (e.g. no CJK font)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class TweetpulseError(Exception):
    """Base class of every error tweetpulse raises on purpose."""


class ConfigError(TweetpulseError):
    """A setting is invalid. The message names the environment variable and the fix."""

    @classmethod
    def from_validation(cls, exc: ValidationError, env_prefix: str) -> ConfigError:
        lines = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "?"
            env = f"{env_prefix}{name.upper()}"
            lines.append(f"  {env}: {err['msg']} (got {err.get('input')!r})")
        return cls(
            "invalid settings; fix these environment variables or .env:\n" + "\n".join(lines)
        )


class ServiceError(TweetpulseError):
    """A required service or tool is missing, busy or not ready. Operator action in the message."""


class InputError(TweetpulseError):
    """A tweet/record is malformed. ``reason`` is a short machine-friendly code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class ReportError(TweetpulseError):
    """The report for a window cannot be produced."""
