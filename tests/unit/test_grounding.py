"""Grounding rules (pure): what an LLM draft may publish, as tables of drafts and outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from summarizer.extractive import build_extractive
from summarizer.grounding import Problem, check, coverage_problems, ground, uncovered
from summarizer.prompt import Draft, top_topics, topics_of
from summarizer.report import KEY_POINTS, Point
from tests.fake_llm import AD_IDS, LABELS, make_agg

AGG = make_agg()
GIVEN = frozenset({"101", "102", "103", "104", "105", "106", "107", "108"})
TOP = top_topics(AGG)  # apps_agents, chips_inference, models_open_source, markets, crypto…
TOPICS_OF = topics_of(AGG)
EXTRACTIVE = build_extractive(AGG, LABELS, "zh")


def kp(text: str, *ids: str) -> dict[str, Any]:
    return {"text": text, "tweet_ids": list(ids)}


# ten good key points covering the top five topics (104 = markets + chips, 106 = crypto)
GOOD_KPS = [
    kp("智能体重塑应用入口", "101"),
    kp("推理算力成为焦点", "103"),
    kp("开源模型低成本训练", "105"),
    kp("算力股上涨", "104"),
    kp("代理支付与稳定币", "106"),
    kp("政府兜底争议", "107"),
    kp("Agent 吞噬 SaaS", "102"),
    kp("推理速度竞赛", "108"),
    kp("应用与算力双线推进", "101", "103"),
    kp("开源与推理结合", "105", "108"),
]


def draft(**changes: Any) -> Draft:
    base: dict[str, Any] = {
        "overview": "概述",
        "key_points": GOOD_KPS,
        "insights": [kp("观点一", "102"), kp("未引用的统计观察")],
        "events": [kp("TPU 发布", "103")],
        "market": [kp("NVDA 上涨", "104")],
        "ai_sections": [{"title": "应用", "points": [kp("生态扩张", "101")]}],
        "finance_sections": [{"title": "市场", "points": [kp("稳定币", "106")]}],
    }
    base.update(changes)
    return Draft.model_validate(base)


def with_kp(index: int, point: dict[str, Any]) -> list[dict[str, Any]]:
    points = list(GOOD_KPS)
    points[index] = point
    return points


def grounded(d: Draft, lang: str = "zh") -> Any:
    return ground(
        d,
        GIVEN,
        top=TOP,
        topics_of=TOPICS_OF,
        labels=LABELS,
        extractive=EXTRACTIVE,
        lang=lang,  # type: ignore[arg-type]  # the table passes "zh"/"en"
    )


def test_top_topics_and_topic_map() -> None:
    assert TOP == [
        "apps_agents",
        "chips_inference",
        "models_open_source",
        "markets",
        "crypto_agent_payments",
    ]
    assert TOPICS_OF["104"] == {"markets", "chips_inference"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        (
            {"key_points": with_kp(2, kp("编造", "999"))},
            [Problem("key_points[2]", "编造", ("999",), False)],
        ),
        (
            {"key_points": with_kp(0, kp("广告", AD_IDS[0], "101"))},
            [Problem("key_points[0]", "广告", (AD_IDS[0],), False)],
        ),
        (
            {"key_points": with_kp(9, kp("没有引用"))},
            [Problem("key_points[9]", "没有引用", (), True)],
        ),
        ({"events": [kp("无引用事件")]}, [Problem("events[0]", "无引用事件", (), True)]),
        ({"insights": [kp("无引用观点")]}, []),  # analysis may be uncited
        (
            {"market": [kp("x", "1", "1", "101")]},
            [Problem("market[0]", "x", ("1",), False)],
        ),
        (
            {"ai_sections": [{"title": "t", "points": [kp("ok", "101"), kp("bad", "5")]}]},
            [Problem("ai_sections[0].points[1]", "bad", ("5",), False)],
        ),
    ],
)
def test_check(changes: dict[str, Any], expected: list[Problem]) -> None:
    assert check(draft(**changes), GIVEN) == expected


def test_problem_describe_names_ids_and_excerpt() -> None:
    long = "很长的句子" * 40
    (problem,) = check(draft(key_points=with_kp(1, kp(long, "31337"))), GIVEN)
    text = problem.describe()
    assert text.startswith("key_points[1] ") and "31337" in text
    assert len(problem.text) == 80 and problem.text.endswith("…")


def test_good_draft_is_published_as_is() -> None:
    g = grounded(draft())
    assert (g.kept, g.filled, g.dropped) == (10, 0, 0)
    assert g.report.mode == "llm" and g.report.mode_note is None
    assert g.report.ad_note == EXTRACTIVE.ad_note
    assert [p.text for p in g.report.key_points] == [p["text"] for p in GOOD_KPS]


@pytest.mark.parametrize(
    ("bad", "kept", "note"),
    [
        (
            [5],
            9,
            "LLM 撰写；其中 1 个核心信息点由抽取式摘要补足"
            "（1 个 LLM 信息点引用了未提供的推文或未给出引用，已删除）",
        ),
        (
            [5, 6, 7],
            7,
            "LLM 撰写；其中 3 个核心信息点由抽取式摘要补足"
            "（3 个 LLM 信息点引用了未提供的推文或未给出引用，已删除）",
        ),
    ],
)
def test_invalid_key_points_are_dropped_and_filled(bad: list[int], kept: int, note: str) -> None:
    points = [kp(p["text"], "8888") if i in bad else p for i, p in enumerate(GOOD_KPS)]
    g = grounded(draft(key_points=points))
    assert (g.kept, g.filled) == (kept, KEY_POINTS - kept)
    assert len(g.report.key_points) == KEY_POINTS
    assert "8888" not in g.report.cited_ids()
    assert g.report.mode_note == note
    fills = g.report.key_points[kept:]
    assert all(p in EXTRACTIVE.key_points for p in fills)


def test_uncovered_top_topic_replaces_the_last_llm_point() -> None:
    points = [p for p in GOOD_KPS if "106" not in p["tweet_ids"]] + [kp("再谈智能体", "102")]
    d = draft(key_points=points)
    assert uncovered(d.key_points, TOP, TOPICS_OF) == ["crypto_agent_payments"]
    lines = coverage_problems(d, GIVEN, TOP, TOPICS_OF, LABELS)
    assert lines == [
        "no key point covers the top topic crypto_agent_payments (加密与代理支付): "
        "one key point must cite a tweet of it (for example cite 106)"
    ]
    g = grounded(d)
    assert (g.kept, g.filled) == (9, 1)
    assert uncovered(g.report.key_points, TOP, TOPICS_OF) == []
    assert g.report.key_points[-1].tweet_ids[0] == "106"  # the extractive crypto point
    assert "再谈智能体" not in {p.text for p in g.report.key_points}  # the last one made room
    assert (
        g.report.mode_note
        == "LLM 撰写；其中 1 个核心信息点由抽取式摘要补足（未覆盖的热门话题：加密与代理支付）"
    )


def test_making_room_never_uncovers_another_top_topic() -> None:
    # points 0-4 each carry one top topic; 5-9 are all about apps_agents; crypto is missing
    points = [*GOOD_KPS[:4], *(kp(f"智能体 {k}", "101") for k in range(6))]
    g = grounded(draft(key_points=points))
    assert uncovered(g.report.key_points, TOP, TOPICS_OF) == []
    assert [p.text for p in g.report.key_points[:4]] == [p["text"] for p in GOOD_KPS[:4]]


def test_duplicate_key_points_are_published_once() -> None:
    points = [*GOOD_KPS[:9], GOOD_KPS[0]]
    g = grounded(draft(key_points=points))
    texts = [p.text for p in g.report.key_points]
    assert len(texts) == len(set(texts)) == KEY_POINTS
    assert (g.kept, g.filled) == (9, 1)
    assert g.report.mode_note == "LLM 撰写；其中 1 个核心信息点由抽取式摘要补足"


def test_bad_analysis_points_and_emptied_sections_are_dropped() -> None:
    d = draft(
        insights=[kp("好", "101"), kp("坏", "31337")],
        events=[kp("无引用事件")],
        ai_sections=[
            {"title": "全坏", "points": [kp("x", "1")]},
            {"title": "半好", "points": [kp("y", "101"), kp("z", "2")]},
        ],
    )
    g = grounded(d, "en")
    r = g.report
    assert [p.text for p in r.insights] == ["好"]
    assert r.events == []
    assert [(s.title, [p.text for p in s.points]) for s in r.ai_sections] == [("半好", ["y"])]
    assert g.dropped == 4
    assert (
        r.mode_note == "written by the LLM; 4 analysis points with invalid citations were dropped"
    )
    assert r.cited_ids() <= GIVEN


def test_nothing_grounded_keeps_zero() -> None:
    g = grounded(draft(key_points=[kp(f"p{k}", "7") for k in range(10)]))
    assert g.kept == 0 and g.filled == KEY_POINTS  # the caller turns this into a fallback


def test_a_fill_never_duplicates_an_llm_point() -> None:
    first = EXTRACTIVE.key_points[0]
    points = with_kp(9, kp("坏", "404"))
    points[8] = {"text": first.text, "tweet_ids": list(first.tweet_ids)}
    g = grounded(draft(key_points=points))
    texts = [p.text for p in g.report.key_points]
    assert texts.count(first.text) == 1 and len(texts) == KEY_POINTS


def test_point_model_is_reused() -> None:
    assert isinstance(draft().key_points[0], Point)
