"""The daily report's content as a pydantic model (pure data; no rendering, no I/O).

It mirrors the sections of ``reference/seed_report_2025-11-07.md`` and is meant to double as
the LLM's structured-output schema, so it stays JSON-schema friendly: plain objects, strings,
lists, one ``Literal`` and an optional string. Constraints that strict structured-output modes
reject in the schema (``minItems``/``maxItems``, ``pattern``) are enforced by validators instead,
so they do not appear in :meth:`Report.model_json_schema` but still reject bad input.

``ad_note``, ``mode`` and ``mode_note`` are facts the program knows; an LLM path should fill them
from the aggregates, not ask the model for them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

KEY_POINTS = 10
"""The seed's brief part always has exactly this many key points."""

_TWEET_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")

Mode = Literal["llm", "extractive", "fallback"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Point(_Strict):
    """One bullet: a sentence and the ids of the tweets it rests on (may be empty)."""

    text: str = Field(min_length=1, description="One sentence or two; plain text, no markdown")
    tweet_ids: list[str] = Field(
        default_factory=list, description="Ids of the window's tweets this point cites"
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            msg = "point text is blank"
            raise ValueError(msg)
        return value

    @field_validator("tweet_ids")
    @classmethod
    def _ids_are_ids(cls, value: list[str]) -> list[str]:
        for tweet_id in value:
            if not _TWEET_ID.fullmatch(tweet_id):
                msg = f"tweet id {tweet_id!r} is not 1-64 characters of [0-9A-Za-z_-]"
                raise ValueError(msg)
        return value


class KeyPoint(Point):
    """One of the ten core points of the brief part (same shape as :class:`Point`)."""


class Section(_Strict):
    """A titled group of points (the special-analysis parts: ``- title`` then nested bullets)."""

    title: str = Field(min_length=1)
    points: list[Point]


class AdReason(_Strict):
    reason: str = Field(min_length=1)
    count: int = Field(ge=0)


class AdNote(_Strict):
    """The window's real ad-filter figures (never estimated by an LLM)."""

    total: int = Field(ge=0, description="Unique tweets in the window, ads included")
    ads: int = Field(ge=0, description="Of which classified as ads")
    share: float = Field(ge=0.0, le=1.0, description="ads / total (0 when total is 0)")
    top_reasons: list[AdReason] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ads_within_total(self) -> AdNote:
        if self.ads > self.total:
            msg = f"ads ({self.ads}) exceed total ({self.total})"
            raise ValueError(msg)
        return self

    @classmethod
    def from_counts(cls, total: int, ads: int, reasons: Mapping[str, int], top: int = 5) -> AdNote:
        """Build the note from window counts; reasons by count desc, then name (deterministic)."""
        positive = ((r, c) for r, c in reasons.items() if c > 0)
        ranked = sorted(positive, key=lambda rc: (-rc[1], rc[0]))
        return cls(
            total=total,
            ads=ads,
            share=ads / total if total else 0.0,
            top_reasons=[AdReason(reason=r, count=c) for r, c in ranked[:top]],
        )


class Report(_Strict):
    """Everything the daily report says; :func:`summarizer.render.render_markdown` lays it out."""

    overview: str = Field(
        min_length=1, description="One paragraph: main topics and industry trends of the day"
    )
    key_points: list[KeyPoint] = Field(description=f"Exactly {KEY_POINTS} core points")
    insights: list[Point] = Field(description="Important views and insights")
    events: list[Point] = Field(description="Key events and developments")
    market: list[Point] = Field(description="Stocks, crypto and market observations/reactions")
    ai_sections: list[Section] = Field(description="AI content: technology, development, use")
    finance_sections: list[Section] = Field(description="Financial-market content, if any")
    ad_note: AdNote
    mode: Mode = Field(description="llm, extractive (no LLM configured) or fallback (LLM failed)")
    mode_note: str | None = Field(default=None, description="Why the report is not LLM-written")

    @field_validator("key_points")
    @classmethod
    def _exactly_ten(cls, value: list[KeyPoint]) -> list[KeyPoint]:
        if len(value) != KEY_POINTS:
            msg = f"the report needs exactly {KEY_POINTS} key points; got {len(value)}"
            raise ValueError(msg)
        return value

    def cited_ids(self) -> set[str]:
        """Every tweet id cited anywhere in the report (for checking citations against a window)."""
        points: list[Point] = [*self.key_points, *self.insights, *self.events, *self.market]
        for section in (*self.ai_sections, *self.finance_sections):
            points.extend(section.points)
        return {tweet_id for point in points for tweet_id in point.tweet_ids}
