"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from streams.ads import AdClassifier


@pytest.fixture(scope="session")
def clf() -> AdClassifier:
    """The ad classifier as it ships (rules + model, no campaign detector): pure, stateless."""
    return AdClassifier()


@pytest.fixture(scope="session")
def rules_only() -> AdClassifier:
    """The rules alone: a round's new cues must flag their ads without the model."""
    return AdClassifier(use_model=False)
