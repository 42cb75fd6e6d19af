"""The report's notes on its method and data, where the seed's shape has room for them, and
sections that agree with each other (a topic with a count never reads as a topic without a
tweet). Invented tweets only."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from producers.replay import LossyMergeSink, TweetSink
from streams.aggregates import TweetRecord, WindowAggregates
from streams.model import Author, Tweet
from streams.parse import Reject
from streams.parse import TweetRecord as FastRecord
from streams.settings import Settings
from streams.windows import window_by_id, window_for
from summarizer.extractive import build_extractive
from summarizer.render import Lang, render_markdown, topic_tweets
from summarizer.report import KEY_POINTS, AdNote, KeyPoint, Mode, Point, Report, Section

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = window_by_id("20251107", SHANGHAI)
H1 = {"zh": "# Twitter AI 话题总结报告", "en": "# Twitter AI Topic Summary Report"}
BRIEF = {
    "zh": "## 简要部分（优先阅读，简洁明快，观点鲜明）",
    "en": "## Brief (read first: concise, clear, opinionated)",
}
CLOSING = {"zh": "广告内容过滤", "en": "Ad content filtering"}
CLOUD = {"zh": "## 词云分析", "en": "## Word cloud analysis"}


def report(
    mode: Mode = "extractive",
    note: str | None = "未配置 LLM",
    sections: list[Section] | None = None,
    cite: str = "101",
) -> Report:
    return Report(
        overview="overview",
        key_points=[
            KeyPoint(text=f"point {i}", tweet_ids=[cite] if i == 0 else [])
            for i in range(KEY_POINTS)
        ],
        insights=[],
        events=[],
        market=[],
        ai_sections=sections or [],
        finance_sections=[],
        ad_note=AdNote.from_counts(100, 10, {"promo_phrase": 10}),
        mode=mode,
        mode_note=note,
    )


def closing(markdown: str, lang: str) -> list[str]:
    lines = markdown.split("\n")
    return [x for x in lines[lines.index(CLOSING[lang]) + 1 : lines.index(CLOUD[lang])] if x]


# --- 1. nothing between the title and the brief; the notes close the report ---------------------
@pytest.mark.parametrize(
    ("mode", "note", "lang", "said"),
    [
        (
            "extractive",
            "未配置 LLM",
            "zh",
            "- 说明：本报告为抽取式报告（未经 LLM 撰写），未配置 LLM。",
        ),
        (
            "fallback",
            "LLM 请求超时",
            "zh",
            "- 说明：LLM 生成失败，本报告为抽取式回退版本，LLM 请求超时。",
        ),
        (
            "extractive",
            "no LLM configured",
            "en",
            "- Note: this is an extractive report (not written by an LLM): no LLM configured.",
        ),
        ("llm", "written by the LLM; 1 key point filled in", "en", None),
        ("llm", None, "zh", None),
    ],
)
def test_the_title_is_followed_by_the_brief_and_the_mode_is_said_at_the_end(
    mode: Mode, note: str | None, lang: Lang, said: str | None
) -> None:
    markdown = render_markdown(report(mode, note), WINDOW, lang)
    lines = markdown.split("\n")
    h1 = lines.index(H1[lang])
    assert lines[h1 + 1 : h1 + 3] == ["", BRIEF[lang]]  # as the seed
    assert not any(x.startswith("*") for x in lines)  # no italic note anywhere
    notes = closing(markdown, lang)[3:]  # after the seed's sentence and the ad figures
    if said is not None:
        assert notes == [said]
    elif note is not None:  # an LLM report says what code changed in it, nothing else
        assert notes == [f"- {note}."]
    else:
        assert notes == []


@pytest.mark.parametrize(
    ("lang", "unlinked", "merged", "expected"),
    [
        ("zh", {}, 0, []),
        (
            "zh",
            {"101": "alice"},  # the only cited tweet: all of them (tests/unit/test_quotes_s9.py)
            0,
            [
                "- 全部被引用推文的 id 在源数据中都不完整（以浮点数存储），"
                "引用时只列出作者、不附链接。"
            ],
        ),
        (
            "zh",
            {"999": "bob"},  # an unlinked tweet the report does not cite: nothing to explain
            17,
            [
                "- 本窗口另有 17 条推文与已计入的推文共用同一个不完整的 id（以浮点数存储），"
                "无法区分，只计入一次。"
            ],
        ),
        (
            "en",
            {"101": "alice"},
            2,
            [
                "- All cited tweet ids are incomplete in the source data (stored as floats): "
                "every tweet is cited by its author, without a link.",
                "- 2 more tweets in this window share an incomplete id (stored as a float) with "
                "a tweet already counted; they cannot be told apart, so each such id counts once.",
            ],
        ),
    ],
)
def test_unlinked_citations_and_merged_rows_are_said_in_the_closing_block(
    lang: Lang, unlinked: dict[str, str], merged: int, expected: list[str]
) -> None:
    markdown = render_markdown(
        report(),
        WINDOW,
        lang,
        unlinked=unlinked,
        merged=merged,
    )
    assert closing(markdown, lang)[4:] == expected  # after the ad lines and the mode


# --- 2. a section with a count cites its topic's tweets quoted above ------------------------------
STAT = Point(text="1 条讨论，占非广告推文 0.2%。")


@pytest.mark.parametrize(
    ("points", "by_topic", "added"),
    [
        # its only tweet was quoted in the key points: cite it, say it is above
        (
            [STAT],
            {"芯片与推理算力": ["101"]},
            "  - 代表推文已在上文引用 ([1](https://x.com/i/status/101))",
        ),
        # the topic's best tweets cited elsewhere, at most two, best first
        (
            [STAT],
            {"芯片与推理算力": ["303", "101", "404"]},
            "  - 代表推文已在上文引用 ([1](https://x.com/i/status/101))",
        ),
        ([STAT], {"芯片与推理算力": ["555"]}, None),  # none of its tweets is cited: nothing to add
        ([STAT], {}, None),  # nothing known of the topic's tweets
        ([STAT, Point(text="@a: x", tweet_ids=["202"])], {"芯片与推理算力": ["101"]}, None),
    ],
)
def test_a_section_without_a_quote_points_to_the_quote_above(
    points: list[Point], by_topic: dict[str, list[str]], added: str | None
) -> None:
    sections = [Section(title="芯片与推理算力", points=points)]
    markdown = render_markdown(report(sections=sections), WINDOW, by_topic=by_topic)
    lines = markdown.split("\n")
    at = lines.index("- 芯片与推理算力")
    end = lines.index("", at)
    rendered = lines[at + 1 : end]
    assert rendered[: len(points)] == [
        f"  - {p.text}"
        + (f" ([1](https://x.com/i/status/{p.tweet_ids[0]}))" if p.tweet_ids else "")
        for p in points
    ]
    assert rendered[len(points) :] == ([added] if added else [])


def test_extractive_sections_never_show_a_topic_without_a_tweet() -> None:
    """A small topic whose one tweet the key points quote (each text is quoted once) still cites
    it in its special section; the English report says the same."""
    start = WINDOW.start + timedelta(hours=3)
    tweets = [
        TweetRecord(
            "11", "Agents book flights end to end now", start, "ann", 90, "en", ("apps_agents",)
        ),
        TweetRecord(
            "12", "Another agent demo that books hotels", start, "ben", 80, "en", ("apps_agents",)
        ),
        TweetRecord(
            "21", "Nvidia ships a new inference chip", start, "cat", 5, "en", ("chips_inference",)
        ),
    ]
    agg = WindowAggregates(
        window=WINDOW,
        total=50,
        ads=0,
        ad_reasons={},
        topics={"apps_agents": 49, "chips_inference": 1},
        unique_authors=40,
        top_tweets={"apps_agents": tweets[:2], "chips_inference": tweets[2:]},
        terms=[],
        hourly={int(start.timestamp()) // 3600 * 3600: 50},
    )
    cases: list[tuple[Lang, dict[str, str], str]] = [
        (
            "zh",
            {"apps_agents": "应用与智能体", "chips_inference": "芯片与推理算力"},
            "代表推文已在上文引用",
        ),
        (
            "en",
            {"apps_agents": "Apps & agents", "chips_inference": "Chips & inference"},
            "Its representative tweets are quoted above",
        ),
    ]
    for lang, labels, above in cases:
        built = build_extractive(agg, labels, lang)
        markdown = render_markdown(
            built,
            WINDOW,
            lang,
            by_topic=topic_tweets(agg, labels),
        )
        lines = markdown.split("\n")
        for label in labels.values():  # every section cites a tweet of its topic
            at = lines.index(f"- {label}")
            section = lines[at + 1 : lines.index("", at)]
            assert any("](https://x.com/i/status/" in x for x in section), section
        at = lines.index(f"- {labels['chips_inference']}")
        section = lines[at + 1 : lines.index("", at)]
        # its one tweet is quoted once, higher up; the section points to it
        assert section[-1] == f"  - {above} ([1](https://x.com/i/status/21))"
        assert sum("Nvidia ships" in x for x in lines) == 1


def test_topic_tweets_maps_labels_to_ids_best_first() -> None:
    start = WINDOW.start
    rec = [TweetRecord(str(i), "t", start, "a", 10 - i, None, ("markets",)) for i in range(3)]
    agg = WindowAggregates(
        window=WINDOW,
        total=3,
        ads=0,
        ad_reasons={},
        topics={"markets": 3},
        unique_authors=1,
        top_tweets={"markets": rec, "unknown_topic": rec[:1], "crypto": []},
        terms=[],
        hourly={},
    )
    assert topic_tweets(agg, {"markets": "市场与个股", "crypto": "加密"}) == {
        "市场与个股": ["0", "1", "2"]
    }


# --- 3. rows a lossy id merges, noted per window before they are sent -----------------------------
class _Sink:
    """A sink that records what it was given (the replay's plain path only)."""

    def __init__(self) -> None:
        self.settings = Settings()
        self.sent: list[str] = []
        self.watermarks: list[datetime] = []

    @property
    def destination(self) -> str:
        return "memory"

    def add(self, tweet: Tweet) -> None:
        self.sent.append(tweet.id)

    def send_dlq(self, reject: Reject, source: str) -> None:
        return None

    def send_watermark(self, ts: datetime) -> None:
        self.watermarks.append(ts)

    def flush(self, timeout: float | None = None) -> None:
        return None

    def close(self) -> None:
        return None


class _FastSink(_Sink):
    def add_record(self, record: FastRecord) -> None:
        self.sent.append(record.id)

    def add_many(self, tweets: list[Tweet | FastRecord]) -> None:
        self.sent.extend(t.id for t in tweets)


T0 = WINDOW.start + timedelta(hours=5)


def tw(tweet_id: str, user: str, text: str, lossy: bool = True, hours: int = 0) -> Tweet:
    return Tweet(
        id=tweet_id,
        text=text,
        created_at=T0 + timedelta(hours=hours),
        author=Author(id=f"id-{user}", username=user),
        id_lossy=lossy,
    )


@pytest.mark.parametrize(
    ("tweets", "merged_windows"),
    [
        ([tw("100", "a", "x"), tw("200", "b", "x")], []),  # other ids
        ([tw("100", "a", "x"), tw("100", "a", "x")], []),  # the same tweet sent twice
        ([tw("100", "a", "x"), tw("100", "b", "x")], ["20251107"]),  # two retweeters, one id
        ([tw("100", "a", "x"), tw("100", "a", "y")], ["20251107"]),  # another text
        ([tw("100", "a", "x", False), tw("100", "b", "y", False)], []),  # exact ids: not lossy
        (
            [tw("100", "a", "x"), tw("100", "b", "x"), tw("100", "c", "x", hours=20)],
            ["20251107", "20251108"],  # each in its own window
        ),
    ],
)
def test_lossy_merge_sink_notes_merged_rows_per_window(
    tweets: list[Tweet], merged_windows: list[str]
) -> None:
    inner = _Sink()
    seen: list[str] = []

    def merged(row: str, created_at: datetime) -> None:
        assert row.startswith("100:")  # the id, then a hash of author and text
        seen.append(window_for(created_at, SHANGHAI).id)

    sink = LossyMergeSink(inner, merged)
    for tweet in tweets:
        sink.add(tweet)
    assert inner.sent == [t.id for t in tweets]  # every row still goes on
    assert seen == merged_windows
    assert sink.merged_rows == len(merged_windows)
    assert sink.add_record is None and sink.add_many is None  # the replay then takes Tweets


def test_lossy_merge_sink_notes_before_sending_and_reads_fast_records() -> None:
    inner = _FastSink()
    order: list[str] = []
    sink = LossyMergeSink(inner, lambda *_: order.append(f"noted before {len(inner.sent)}"))
    first, second = tw("100", "a", "x"), tw("100", "b", "x")
    records = [
        FastRecord(t.id, t.created_at, t.model_dump_json(exclude_defaults=True).encode())
        for t in (first, second)
    ]
    assert b'"id_lossy":true' in records[0].json
    sink.add_record(records[0])
    sink.add_many([records[1], tw("300", "c", "z")])
    assert order == ["noted before 1"]  # the merged row was noted before it went to the sink
    assert inner.sent == ["100", "100", "300"]
    sink.send_watermark(T0)
    assert inner.watermarks == [T0]


def test_lossy_merge_sink_is_a_tweet_sink() -> None:
    sink: TweetSink = LossyMergeSink(_Sink(), lambda *_: None)
    assert sink.destination == "memory"
