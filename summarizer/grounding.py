"""Grounding: no claim is published unless it cites tweets the model was actually given (pure).

Rules for a :class:`~summarizer.prompt.Draft` written by the LLM:

* every id a point cites must be one of the ids given in the prompt (``allowed``) — so ids of
  other windows, invented ids and ads (never given) are rejected;
* every key point and every event must cite at least one id; the other points may be
  uncited statements (e.g. numbers from the window's stats), but what they cite is checked;
* the top topics by volume must each be covered: some key point cites a tweet of that topic.

:func:`check` lists what is wrong, for the one repair turn. :func:`ground` then publishes only
what passes: a point with any bad or missing citation is dropped (never trimmed into a
half-true point), an emptied section disappears, and the key points are made up to exactly
ten — first with the extractive report's points for uncovered top topics, then with its other
points — and ``mode_note`` says how many were filled and why.

A citation is checked as an id of the window, not as a link: whether it may be linked (a lossy
id may not) is the renderer's call (:func:`summarizer.render.unlinked_citations`), the same for
LLM and extractive reports.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from summarizer.prompt import Draft
from summarizer.report import KEY_POINTS, KeyPoint, Point, Report, Section

Lang = Literal["zh", "en"]

_EXCERPT: Final = 80


@dataclass(frozen=True, slots=True)
class Problem:
    """One point that cannot be published as written."""

    where: str  # "key_points[3]", "ai_sections[1].points[0]"
    text: str  # an excerpt of the point, so the model knows which one
    bad_ids: tuple[str, ...]  # cited ids that were not given
    uncited: bool  # a key point or event that cites nothing

    def describe(self) -> str:
        parts = []
        if self.bad_ids:
            parts.append("cites ids that were not given: " + ", ".join(self.bad_ids))
        if self.uncited:
            parts.append("cites no tweet id (key points and events must cite at least one)")
        return f'{self.where} "{self.text}": ' + "; ".join(parts)


def _excerpt(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= _EXCERPT else one_line[: _EXCERPT - 1] + "…"


def _problem(where: str, point: Point, allowed: Collection[str], must_cite: bool) -> Problem | None:
    bad = tuple(dict.fromkeys(i for i in point.tweet_ids if i not in allowed))
    uncited = must_cite and not point.tweet_ids
    if not bad and not uncited:
        return None
    return Problem(where, _excerpt(point.text), bad, uncited)


def _located(draft: Draft) -> list[tuple[str, Point, bool]]:
    """Every point of the draft with its location and whether it must cite."""
    out: list[tuple[str, Point, bool]] = []
    out.extend((f"key_points[{i}]", p, True) for i, p in enumerate(draft.key_points))
    out.extend((f"insights[{i}]", p, False) for i, p in enumerate(draft.insights))
    out.extend((f"events[{i}]", p, True) for i, p in enumerate(draft.events))
    out.extend((f"market[{i}]", p, False) for i, p in enumerate(draft.market))
    for name, sections in (
        ("ai_sections", draft.ai_sections),
        ("finance_sections", draft.finance_sections),
    ):
        for i, section in enumerate(sections):
            out.extend((f"{name}[{i}].points[{j}]", p, False) for j, p in enumerate(section.points))
    return out


def check(draft: Draft, allowed: Collection[str]) -> list[Problem]:
    """Every point whose citations break the rules, in document order."""
    found = (_problem(where, p, allowed, must) for where, p, must in _located(draft))
    return [problem for problem in found if problem is not None]


def covers(point: Point, topic: str, topics_of: Mapping[str, Collection[str]]) -> bool:
    return any(topic in topics_of.get(i, ()) for i in point.tweet_ids)


def uncovered(
    key_points: Sequence[Point], top: Sequence[str], topics_of: Mapping[str, Collection[str]]
) -> list[str]:
    """The topics of ``top`` that no key point covers (in ``top`` order)."""
    return [t for t in top if not any(covers(p, t, topics_of) for p in key_points)]


def coverage_problems(
    draft: Draft,
    allowed: Collection[str],
    top: Sequence[str],
    topics_of: Mapping[str, Collection[str]],
    labels: Mapping[str, str],
) -> list[str]:
    """Repair-prompt lines for top topics the (valid) key points leave uncovered."""
    valid = [p for p in draft.key_points if _problem("", p, allowed, True) is None]
    lines = []
    for topic in uncovered(valid, top, topics_of):
        examples = [i for i in sorted(allowed) if topic in topics_of.get(i, ())][:3]
        hint = f" (for example cite {', '.join(examples)})" if examples else ""
        lines.append(
            f"no key point covers the top topic {topic} ({labels.get(topic, topic)}): "
            f"one key point must cite a tweet of it{hint}"
        )
    return lines


# --- publishing -----------------------------------------------------------------------------
_NOTES: Final[dict[str, dict[str, str]]] = {
    "zh": {
        "filled": "LLM 撰写；其中 {n} 个核心信息点由抽取式摘要补足",
        "because": "（{why}）",
        "why_invalid": "{n} 个 LLM 信息点引用了未提供的推文或未给出引用，已删除",
        "why_topics": "未覆盖的热门话题：{topics}",
        "dropped": "LLM 撰写；{n} 条引用无效的分析内容已删除",
        "dropped_more": "另有 {n} 条引用无效的分析内容已删除",
        "sep": "；",
        "list": "、",
    },
    "en": {
        "filled": "written by the LLM; {n} of the key points were filled from the extractive "
        "summary",
        "because": " ({why})",
        "why_invalid": "{n} LLM key points cited tweets that were not given, or none, and were "
        "dropped",
        "why_topics": "top topics not covered: {topics}",
        "dropped": "written by the LLM; {n} analysis points with invalid citations were dropped",
        "dropped_more": "{n} analysis points with invalid citations were dropped as well",
        "sep": "; ",
        "list": ", ",
    },
}


@dataclass(frozen=True)
class Grounded:
    report: Report
    kept: int  # LLM key points published
    filled: int  # key points taken from the extractive report
    dropped: int  # points of any kind not published for their citations


def _valid(points: Sequence[Point], allowed: Collection[str], must_cite: bool) -> list[Point]:
    return [p for p in points if _problem("", p, allowed, must_cite) is None]


def _sections(sections: Sequence[Section], allowed: Collection[str]) -> list[Section]:
    out = []
    for section in sections:
        points = _valid(section.points, allowed, False)
        if points:
            out.append(Section(title=section.title, points=points))
    return out


def _key_points(
    draft: Draft,
    allowed: Collection[str],
    top: Sequence[str],
    topics_of: Mapping[str, Collection[str]],
    extractive: Sequence[KeyPoint],
) -> tuple[list[KeyPoint], list[KeyPoint], list[str]]:
    """(LLM key points kept, extractive fills, top topics that needed a fill)."""
    kept: list[KeyPoint] = []
    for point in draft.key_points:
        if _problem("", point, allowed, True) is None and all(p.text != point.text for p in kept):
            kept.append(point)
    missing = uncovered(kept, top, topics_of)
    fills: list[KeyPoint] = []
    for topic in missing:
        match = next((p for p in extractive if covers(p, topic, topics_of)), None)
        if match is not None and match not in fills:
            fills.append(match)
    # Make room for the coverage fills: drop LLM points from the end whose topics stay covered.
    while len(kept) + len(fills) > KEY_POINTS and kept:
        for i in range(len(kept) - 1, -1, -1):
            rest = kept[:i] + kept[i + 1 :]
            if not [t for t in top if t not in missing and t in uncovered(rest, top, topics_of)]:
                del kept[i]
                break
        else:
            fills = fills[: KEY_POINTS - len(kept)]
    texts = {p.text for p in (*kept, *fills)}
    for point in extractive:
        if len(kept) + len(fills) >= KEY_POINTS:
            break
        if point.text not in texts:
            fills.append(point)
            texts.add(point.text)
    return kept, fills, [t for t in missing if any(covers(p, t, topics_of) for p in fills)]


def _fill_note(
    words: Mapping[str, str],
    fills: int,
    rejected: int,
    topics_filled: Sequence[str],
    labels: Mapping[str, str],
    dropped_other: int,
) -> str | None:
    notes: list[str] = []
    if fills:
        why = []
        if rejected:
            why.append(words["why_invalid"].format(n=rejected))
        if topics_filled:
            names = words["list"].join(labels.get(t, t) for t in topics_filled)
            why.append(words["why_topics"].format(topics=names))
        because = words["because"].format(why=words["sep"].join(why)) if why else ""
        notes.append(words["filled"].format(n=fills) + because)
        if dropped_other:
            notes.append(words["dropped_more"].format(n=dropped_other))
    elif dropped_other:
        notes.append(words["dropped"].format(n=dropped_other))
    return words["sep"].join(notes) or None


def ground(
    draft: Draft,
    allowed: Collection[str],
    *,
    top: Sequence[str],
    topics_of: Mapping[str, Collection[str]],
    labels: Mapping[str, str],
    extractive: Report,
    lang: Lang,
) -> Grounded:
    """The publishable report: only well-cited points, exactly ten key points, top topics covered.

    ``extractive`` is the same window's extractive report (grounded by construction): it supplies
    the fill-in key points and the ad note, which the model never writes.
    """
    kept, fills, topics_filled = _key_points(draft, allowed, top, topics_of, extractive.key_points)
    problems = check(draft, allowed)
    rejected = sum(1 for p in problems if p.where.startswith("key_points["))
    dropped_other = len(problems) - rejected
    insights = _valid(draft.insights, allowed, False)
    events = _valid(draft.events, allowed, True)
    market = _valid(draft.market, allowed, False)
    ai_sections = _sections(draft.ai_sections, allowed)
    finance_sections = _sections(draft.finance_sections, allowed)
    note = _fill_note(_NOTES[lang], len(fills), rejected, topics_filled, labels, dropped_other)
    report = Report(
        overview=draft.overview,
        key_points=[*kept, *fills],
        insights=insights,
        events=events,
        market=market,
        ai_sections=ai_sections,
        finance_sections=finance_sections,
        ad_note=extractive.ad_note,
        mode="llm",
        mode_note=note,
    )
    return Grounded(report, kept=len(kept), filled=len(fills), dropped=len(problems))
