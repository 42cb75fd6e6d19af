"""Where a window's report files go, how they are written, and whether they already exist.

Layout (as the seed report links its image)::

    <out>/_posts/<start YYYY-MM-DD>-twitter_ai_<start>_<end>.md
    <out>/_posts/wordcloud_twitter_ai_<start>_<end>.jpg

Files are replaced atomically (temp file in the same folder, fsync, ``os.replace``, fsync of the
folder), so a reader or a crash never sees half a report. Write the image first and the
markdown last: the markdown's presence then means the report is complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from streams.windows import Window

POSTS_DIR = "_posts"
DEFAULT_MODE = 0o644  # new files are readable by the web server that serves the site


def report_paths(out_dir: Path, window: Window) -> tuple[Path, Path]:
    """``(markdown, image)`` paths of ``window``'s report under ``out_dir``."""
    posts = out_dir / POSTS_DIR
    markdown = posts / f"{window.start_date:%Y-%m-%d}-{window.slug}.md"
    image = posts / f"wordcloud_{window.slug}.jpg"
    return markdown, image


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; parent folders are created as needed.

    The file keeps the mode of the file it replaces (new files get 0644). On any error the
    temp file is removed and ``path`` is left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = DEFAULT_MODE
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def already_written(out_dir: Path, window: Window) -> bool:
    """True when both files of ``window``'s report exist and are non-empty."""
    return all(p.is_file() and p.stat().st_size > 0 for p in report_paths(out_dir, window))
