"""Progress of long work: a rich bar on a terminal, periodic log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from types import TracebackType

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress

log = logging.getLogger("tweetpulse.progress")


class Progress:
    """``update(done, total)`` callback; total 0 means unknown."""

    def __init__(self, label: str, *, interval: float = 5.0) -> None:
        self.label = label
        self.interval = interval
        self._tty = sys.stderr.isatty()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self._last = 0.0
        self._start = time.monotonic()

    def __enter__(self) -> Progress:
        if self._tty:
            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=None, rate="")
        return self

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        rate = done / max(now - self._start, 1e-9)
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total or None, rate=f"{rate:,.0f}/s")
        elif now - self._last >= self.interval:
            self._last = now
            of = f"/{total}" if total else ""
            log.info("%s: %d%s tweets (%.0f/s)", self.label, done, of, rate)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
