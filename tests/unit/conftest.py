"""Fixtures shared by the unit tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from streams.ads import AdClassifier
from streams.errors import ReportError
from summarizer import wordcloud as wc


@pytest.fixture(scope="session")
def clf() -> AdClassifier:
    """The ad classifier as it ships (rules + model, no campaign detector): pure, stateless."""
    return AdClassifier()


@pytest.fixture(scope="session")
def rules_only() -> AdClassifier:
    """The rules alone: a round's new cues must flag their ads without the model."""
    return AdClassifier(use_model=False)


@pytest.fixture
def cjk_font() -> Path:
    """The machine's CJK font; skip without one (fail on CI, where it must be installed)."""
    try:
        return wc.find_cjk_font(None)
    except ReportError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
