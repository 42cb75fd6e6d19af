"""Report file names, atomic writes and the idempotence check."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from streams.windows import window_by_id
from summarizer.output import already_written, report_paths, write_atomic
from tests.shared_data import require

WINDOW = window_by_id("20251107", ZoneInfo("Asia/Shanghai"))


def test_paths_follow_the_seed_naming(tmp_path: Path) -> None:
    markdown, image = report_paths(tmp_path, WINDOW)
    assert markdown == tmp_path / "_posts" / "2025-11-07-twitter_ai_20251107_20251108.md"
    assert image == tmp_path / "_posts" / "wordcloud_twitter_ai_20251107_20251108.jpg"


def test_image_name_is_the_one_the_seed_links(tmp_path: Path) -> None:
    seed = require("reference/seed_report_2025-11-07.md")
    link = re.search(r"!\[词云图\]\(([^)]+)\)", seed.read_text("utf-8"))
    assert link is not None
    assert report_paths(tmp_path, WINDOW)[1].name == link.group(1)


def test_paths_use_the_local_start_date(tmp_path: Path) -> None:
    window = window_by_id("20251231", ZoneInfo("America/Los_Angeles"))
    markdown, image = report_paths(tmp_path, window)
    assert markdown.name == "2025-12-31-twitter_ai_20251231_20260101.md"
    assert image.name == "wordcloud_twitter_ai_20251231_20260101.jpg"


def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    path = tmp_path / "out" / "_posts" / "report.md"
    write_atomic(path, "第一版\n".encode())
    assert path.read_text("utf-8") == "第一版\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.chmod(0o600)
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the replaced file's mode is kept
    assert [p.name for p in path.parent.iterdir()] == ["report.md"]  # no temp files left


def test_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.md"
    write_atomic(path, b"old")

    def broken_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_already_written(tmp_path: Path) -> None:
    markdown, image = report_paths(tmp_path, WINDOW)
    assert not already_written(tmp_path, WINDOW)
    write_atomic(image, b"\xff\xd8jpg")
    assert not already_written(tmp_path, WINDOW)  # the markdown is written last
    write_atomic(markdown, b"")
    assert not already_written(tmp_path, WINDOW)  # an empty file is not a report
    write_atomic(markdown, b"---\n")
    assert already_written(tmp_path, WINDOW)
    other = window_by_id("20251108", ZoneInfo("Asia/Shanghai"))
    assert not already_written(tmp_path, other)
