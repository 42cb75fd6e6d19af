"""Where the project's shared, read-only data lives (real corpora, the seed report).

The data is never copied into the repo. Looked up in order: $TWEETPULSE_SHARED_DIR, the
``shared`` folder next to the checkout, /work/shared. Under CI a missing folder is an error.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    candidates = [Path(p) for p in (os.environ.get("TWEETPULSE_SHARED_DIR"),) if p] + [
        _ROOT.parent / "shared",
        Path("/work/shared"),
    ]
    for path in candidates:
        if (path / "reference").is_dir():
            return path
    return candidates[-1]


def require(relative: str) -> Path:
    """The shared file/folder ``relative``; fail under CI, skip elsewhere when it is absent."""
    path = shared_dir() / relative
    if not path.exists():
        msg = f"shared data not found: {path} (set TWEETPULSE_SHARED_DIR)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    return path


SHARED = shared_dir()
SEED_REPORT = SHARED / "reference" / "seed_report_2025-11-07.md"
CORPORA = SHARED / "corpora"
