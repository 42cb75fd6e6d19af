"""What the ad classifier's round tests share (tests/unit/test_ads*_round*.py): an invented tweet
at a fixed time. Their classifier fixtures (``clf``, ``rules_only``) are in conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.model import Tweet

T0 = datetime(2025, 11, 7, 4, 0, tzinfo=UTC)


def tweet(text: str, **fields: object) -> Tweet:
    return Tweet(id="1", text=text, created_at=T0, **fields)
