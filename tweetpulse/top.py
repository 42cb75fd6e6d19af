"""``tweetpulse top``: a worker's live view in the terminal, refreshed the way ``htop`` does.

Reads the worker's JSON API (``/api/topics`` for 5m, 1h and 24h, ``/api/trending``,
``/api/bursts``; see :mod:`streams.web`) every ``interval`` seconds and draws three tables: topics
(tweets in the last 5 minutes / hour / day, rate per minute and change over the last hour, burst
z-score, a marker while a burst is open), trending terms, and open bursts. ``q`` or Ctrl-C quits;
``--once`` prints one frame and exits (1 when the worker cannot be read), for scripts and tests.
"""

from __future__ import annotations

import contextlib
import select
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

import orjson
from rich import box
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

WINDOWS = ("5m", "1h", "24h")
RECENT_EVENTS = 8
WIDE = 110  # columns from which topic labels and burst dates are shown
BURST_MARK = "▲ burst"


@dataclass
class Frame:
    """One refresh worth of API answers (``error`` set when the worker could not be read)."""

    topics: dict[str, dict[str, Any]] = field(default_factory=dict)  # window → /api/topics
    trending: dict[str, Any] = field(default_factory=dict)
    bursts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def _get(base: str, path: str, timeout: float) -> dict[str, Any]:
    url = urllib.parse.urljoin(base.rstrip("/") + "/", path.lstrip("/"))
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 - http(s) URL from --url
        body: dict[str, Any] = orjson.loads(resp.read())
    return body


def load_frame(base_url: str, timeout: float = 5.0) -> Frame:
    """Read every page the view needs; an unreachable or failing worker gives ``Frame.error``."""
    frame = Frame()
    try:
        for window in WINDOWS:
            frame.topics[window] = _get(base_url, f"/api/topics?window={window}", timeout)
        frame.trending = _get(base_url, "/api/trending?limit=15", timeout)
        frame.bursts = _get(base_url, "/api/bursts?limit=20", timeout)
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        frame.error = f"{exc.url}: HTTP {exc.code} {detail}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        frame.error = f"{base_url}: {exc}"
    return frame


def _change(value: float | None) -> Text:
    if value is None:
        return Text("–", style="dim")
    style = "green" if value > 0 else "red" if value < 0 else ""
    return Text(f"{value:+.0%}", style=style)


def _z(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _when(iso: str | None, zone: tzinfo, date: bool = True) -> str:
    """``2025-11-07T05:05:00+00:00`` → ``11-07 05:05`` (or ``05:05``), in ``zone``."""
    if not iso:
        return "–"
    when = datetime.fromisoformat(iso).astimezone(zone)
    return when.strftime("%m-%d %H:%M" if date else "%H:%M")


Cell = str | Text


def _table(title: str, columns: list[tuple[str, bool]], rows: list[list[Cell]]) -> Table:
    """A compact table; ``(header, is_number)`` columns: numbers are right-aligned and never
    cut (their min width is their longest cell), text columns shrink with an ellipsis."""
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        min_width=len(title),
    )
    for i, (header, number) in enumerate(columns):
        longest = max([len(header), *(len(str(row[i])) for row in rows)])
        table.add_column(
            header,
            justify="right" if number else "left",
            no_wrap=True,
            overflow="ellipsis",
            min_width=longest if number else min(longest, 8),
        )
    for row in rows:
        table.add_row(*row)
    return table


def render(frame: Frame, base_url: str, width: int = 120, zone: tzinfo = UTC) -> RenderableType:
    """The frame as rich tables for a terminal ``width`` columns wide (pure: no I/O), times in
    ``zone`` (the report's zone, so a burst reads the same here and in the daily report)."""
    if frame.error is not None:
        return Text(f"tweetpulse top — {base_url}\ncannot read the worker: {frame.error}", "red")
    wide = width >= WIDE
    hour = frame.topics["1h"]
    counts = {w: {r["topic"]: r["count"] for r in frame.topics[w]["topics"]} for w in WINDOWS}
    every = "/".join(f"{frame.topics[w]['all']['count']:,}" for w in WINDOWS)
    ads = "/".join(f"{frame.topics[w]['ads']['count']:,}" for w in WINDOWS)
    authors = ", ".join(f"{d['id']} ~{d['unique_authors']:,}" for d in hour["day_windows"])
    head = Text.assemble(
        ("tweetpulse top", "bold"),
        f"  {base_url}  now {_when(hour['now'], zone)} {zone} (event time)"
        f"  bursts scored to {_when(frame.bursts.get('scored_through'), zone)}\n",
        f"tweets 5m/1h/24h {every}  ads {ads}  authors/day {authors}",
    )

    topic_rows: list[list[Cell]] = []
    for row in hour["topics"]:
        t = row["topic"]
        topic_rows.append(
            [
                t,
                *([row["label"]] if wide else []),
                *(f"{counts[w].get(t, 0):,}" for w in WINDOWS),
                f"{row['rate_per_min']:.2f}",
                _change(row["change"]),
                _z(row["z"]),
                Text(BURST_MARK, "bold red") if row["burst"] else "",
            ]
        )
    topic_cols = [("topic", False), *([("label", False)] if wide else [])]
    topic_cols += [(w, True) for w in WINDOWS]
    topic_cols += [("/min", True), ("Δ 1h", True), ("z", True), ("", False)]
    topics = _table(
        "Topics (organic tweets; rate and change over the last hour)", topic_cols, topic_rows
    )

    trend_rows: list[list[Cell]] = [
        [t["term"], f"{t['count']:,}", f"{t['baseline_per_hour']:.1f}", _z(t["z"])]
        for t in frame.trending.get("terms", [])
    ]
    trend = _table(
        "Trending terms (last hour vs hourly baseline)",
        [("term", False), ("1h", True), ("base/h", True), ("z", True)],
        trend_rows,
    )

    opened = frame.bursts.get("open", [])
    recent = frame.bursts.get("recent", [])[:RECENT_EVENTS]
    burst_rows: list[list[Cell]] = [
        [
            mark,
            b["name"],
            _when(b["opened_at"], zone, wide),
            _when(b["at"], zone, wide),
            _z(b["z"]),
            _z(b["peak_z"]),
            f"{b['rate']:.1f}",
            f"{b['baseline']:.1f}",
        ]
        for b, mark in [
            *((b, Text("OPEN", "bold red")) for b in opened),
            *((b, b["event"]) for b in recent),
        ]
    ]
    bursts = _table(
        f"Bursts: {len(opened)} open, then the last {len(recent)} events (times {zone})",
        [("", True), ("topic/term", False), ("opened", True), ("at", True), ("z", True),
         ("peak", True), ("/min", True), ("base/min", True)],
        burst_rows,
    )  # fmt: skip
    return Group(head, topics, trend, bursts)


@contextlib.contextmanager
def _keys() -> Iterator[bool]:
    """cbreak mode on a terminal stdin so a single ``q`` is read; yields whether keys work."""
    if not sys.stdin.isatty():
        yield False
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield True
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _wait_for_quit(seconds: float, keys: bool) -> bool:
    """Sleep up to ``seconds``; True when ``q`` was pressed."""
    if not keys:
        time.sleep(seconds)
        return False
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([sys.stdin], [], [], left)
        if ready and sys.stdin.read(1).lower() == "q":
            return True
    return False


def run(base_url: str, *, interval: float = 2.0, once: bool = False, zone: tzinfo = UTC) -> int:
    """Show the view until ``q``/Ctrl-C (0), or print one frame with ``once`` (1 on error);
    times in ``zone``."""
    console = Console()
    if once:
        frame = load_frame(base_url)
        console.print(render(frame, base_url, console.width, zone))
        return 1 if frame.error else 0
    try:
        with _keys() as keys, Live(console=console, screen=console.is_terminal) as live:
            while True:
                frame = load_frame(base_url)
                live.update(render(frame, base_url, console.width, zone), refresh=True)
                if _wait_for_quit(interval, keys):
                    return 0
    except KeyboardInterrupt:
        return 0
