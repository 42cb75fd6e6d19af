"""Window maths for the daily report (pure).

A day window starts at ``start_hour`` local time in ``zone`` and lasts one calendar day there
(23 or 25 hours across a DST change). Its id is the local start date, ``YYYYMMDD``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Window:
    id: str
    start: datetime  # aware, in the window's zone
    end: datetime  # aware, exclusive

    @property
    def start_date(self) -> date:
        return self.start.date()

    @property
    def end_date(self) -> date:
        return self.end.date()

    @property
    def slug(self) -> str:
        """``twitter_ai_<start>_<end>`` as in the seed report's title."""
        return f"twitter_ai_{self.start:%Y%m%d}_{self.end:%Y%m%d}"

    @property
    def utc_offset(self) -> str:
        """The window start's UTC offset as ``+0800``."""
        return self.start.strftime("%z")


def _window_starting(day: date, zone: ZoneInfo, start_hour: int) -> Window:
    start = datetime.combine(day, time(start_hour), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(start_hour), tzinfo=zone)
    return Window(id=f"{day:%Y%m%d}", start=start, end=end)


def window_for(ts: datetime, zone: ZoneInfo, start_hour: int = 0) -> Window:
    """The day window containing the aware instant ``ts``."""
    if ts.tzinfo is None:
        msg = "window_for needs an aware datetime"
        raise ValueError(msg)
    local = ts.astimezone(zone)
    day = local.date()
    if local.hour < start_hour:
        day -= timedelta(days=1)
    return _window_starting(day, zone, start_hour)


def window_by_id(window_id: str, zone: ZoneInfo, start_hour: int = 0) -> Window:
    """Parse ``YYYYMMDD`` (or ``YYYY-MM-DD``) back into its window."""
    text = window_id.replace("-", "")
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError(text)
        day = datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC).date()
    except ValueError:
        msg = f"window id {window_id!r} is not YYYYMMDD or YYYY-MM-DD"
        raise ValueError(msg) from None
    return _window_starting(day, zone, start_hour)


def minute_bucket(ts: datetime) -> int:
    """Epoch seconds of the UTC minute containing ``ts``."""
    return int(ts.timestamp()) // 60 * 60


def hour_bucket(ts: datetime) -> int:
    """Epoch seconds of the UTC hour containing ``ts``."""
    return int(ts.timestamp()) // 3600 * 3600
