"""Report model, extractive builder and markdown renderer against the seed report's shape."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from streams.aggregates import TweetRecord, WindowAggregates
from streams.windows import Window, window_by_id
from summarizer.extractive import EXCERPT_CHARS, build_extractive
from summarizer.render import render_markdown, sanitize_inline
from summarizer.report import KEY_POINTS, AdNote, KeyPoint, Point, Report
from tests.shared_data import require

ROOT = Path(__file__).resolve().parents[2]
SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = window_by_id("20251107", SHANGHAI)

LABELS_ZH = {
    "apps_agents": "应用与智能体",
    "chips_inference": "芯片与推理算力",
    "models_open_source": "模型与开源",
    "markets": "市场与个股",
    "crypto_agent_payments": "加密与代理支付",
    "policy_regulation": "政策与监管",
    "safety_society": "安全与社会影响",
}
LABELS_EN = {
    "apps_agents": "Apps & agents",
    "chips_inference": "Chips & inference",
    "models_open_source": "Models & open source",
    "markets": "Markets & stocks",
    "crypto_agent_payments": "Crypto & agent payments",
    "policy_regulation": "Policy & regulation",
    "safety_society": "Safety & society",
}
EN_HEADINGS = [
    "# Twitter AI Topic Summary Report",
    "## Brief (read first: concise, clear, opinionated)",
    "### Main topics and industry trends",
    "### Key information (10 points)",
    "## Detailed analysis (read when you have time)",
    "### Important views and insights",
    "### Key events and developments",
    "### Stocks, crypto and market observations and reactions",
    "## Special analysis",
    "### Artificial intelligence (technology, development and applications)",
    "### Financial markets (if relevant)",
    "## Word cloud analysis",
]
CITATION = re.compile(r"\[(\d+)\]\(https://x\.com/i/status/([0-9A-Za-z_-]+)\)")


# --- a hand-made window -----------------------------------------------------------------------
def tweet(
    tweet_id: str,
    text: str,
    topics: tuple[str, ...],
    engagement: int,
    hour: int = 3,
    author: str = "",
) -> TweetRecord:
    return TweetRecord(
        id=tweet_id,
        text=text,
        created_at=WINDOW.start + timedelta(hours=hour, minutes=5),
        author=author or f"user{tweet_id}",
        engagement=engagement,
        lang=None,
        topics=topics,
    )


TWEETS = [
    tweet(
        "101",
        "ChatGPT 推出应用生态，智能体可以直接操作第三方应用 https://t.co/abc",
        ("apps_agents",),
        900,
    ),
    tweet(
        "102", "Agents are eating SaaS: every workflow becomes an agent loop", ("apps_agents",), 500
    ),
    tweet("103", "Google 发布第七代 TPU Ironwood，推理优先", ("chips_inference",), 800, hour=5),
    tweet(
        "104",
        "$NVDA up 4% on inference demand; $GOOGL rallies",
        ("markets", "chips_inference"),
        700,
    ),
    tweet(
        "105",
        "Kimi K2 Thinking open-sourced, trained on a tight budget",
        ("models_open_source",),
        650,
    ),
    tweet(
        "106",
        "Stablecoin rails for agent payments look inevitable $USDC",
        ("crypto_agent_payments",),
        300,
    ),
    tweet("107", "关于政府兜底的讨论越来越多，监管分歧明显", ("policy_regulation",), 200),
    tweet("108", "x" * 400, ("apps_agents",), 100),  # long text: excerpt must be cut
]


def make_agg(
    tweets: list[TweetRecord] | None = None,
    *,
    total: int = 260,
    ads: int = 20,
    topics: dict[str, int] | None = None,
    previous: dict[str, int] | None = None,
    window: Window = WINDOW,
) -> WindowAggregates:
    tweets = TWEETS if tweets is None else tweets
    top: dict[str, list[TweetRecord]] = {}
    for tw in sorted(tweets, key=lambda t: -t.engagement):
        for topic in tw.topics:
            top.setdefault(topic, []).append(tw)
    counts = (
        topics
        if topics is not None
        else {
            "apps_agents": 120,
            "chips_inference": 60,
            "models_open_source": 40,
            "markets": 30,
            "crypto_agent_payments": 12,
            "policy_regulation": 8,
        }
    )
    start = int(window.start.timestamp()) // 3600 * 3600
    return WindowAggregates(
        window=window,
        total=total,
        ads=ads,
        ad_reasons={"promo_link": 15, "giveaway": 9} if ads else {},
        topics=counts,
        unique_authors=180,
        top_tweets=top,
        terms=[("#AI", 40.0), ("$NVDA", 12.0), ("Kimi", 9.0)] if tweets else [],
        hourly={start + 3 * 3600: 50, start + 5 * 3600: 80, start + 9 * 3600: 30} if total else {},
        previous_topics=previous if previous is not None else {"apps_agents": 100, "markets": 40},
    )


def empty_agg() -> WindowAggregates:
    return make_agg([], total=0, ads=0, topics={}, previous={})


def lines_of(markdown: str) -> list[str]:
    return markdown.split("\n")


def headings(markdown: str) -> list[str]:
    return [line for line in lines_of(markdown) if line.startswith("#")]


def section(markdown: str, heading: str) -> list[str]:
    """Lines after ``heading`` up to the next blank line."""
    lines = lines_of(markdown)
    start = lines.index(heading) + 1
    end = lines.index("", start)
    return lines[start:end]


def shape(markdown: str) -> list[str]:
    """The line structure with content replaced: headings and fixed lines kept verbatim."""
    lines = lines_of(markdown.rstrip("\n"))
    close = lines.index("---", 1)
    tokens = ["---", *(line.split(":", 1)[0] for line in lines[1:close]), "---"]
    for line in lines[close + 1 :]:
        if line.startswith(("#", "广告内容过滤")):
            tokens.append(line)
        elif line.startswith("![词云图](wordcloud_twitter_ai_"):
            tokens.append("IMAGE")
        elif line.startswith("Twitter Ai 报告 ("):
            tokens.append("REPORT-LINE")
        elif line.startswith("  - "):
            tokens.append("  -")
        elif line.startswith("- "):
            tokens.append("-")
        else:
            tokens.append("TEXT" if line else "")
    collapsed: list[str] = []
    for token in tokens:  # runs of bullets → one; "- title / nested" repeats → one pair
        if collapsed and token == collapsed[-1] and token in ("-", "  -"):
            continue
        if len(collapsed) >= 3 and token == "  -" and collapsed[-3:] == ["-", "  -", "-"]:
            collapsed.pop()
            continue
        collapsed.append(token)
    return collapsed


# --- the seed's shape -------------------------------------------------------------------------
@pytest.fixture
def seed() -> str:
    return require("reference/seed_report_2025-11-07.md").read_text("utf-8")


def test_headings_follow_the_seed(seed: str) -> None:
    markdown = render_markdown(build_extractive(make_agg(), LABELS_ZH), WINDOW)
    assert headings(markdown) == headings(seed)
    assert "广告内容过滤" in lines_of(markdown)


def test_line_structure_matches_the_seed(seed: str) -> None:
    report = build_extractive(make_agg(), LABELS_ZH).model_copy(
        update={"mode": "llm", "mode_note": None}
    )
    assert shape(render_markdown(report, WINDOW)) == shape(seed)


def test_seed_shape_helper_is_not_trivial(seed: str) -> None:
    tokens = shape(seed)
    assert tokens[:6] == ["---", "layout", "title", "date", "posttime", "---"]
    assert tokens.count("TEXT") == 1  # the overview paragraph
    assert tokens[-1] == "IMAGE"


def test_front_matter() -> None:
    markdown = render_markdown(build_extractive(make_agg(), LABELS_ZH), WINDOW)
    lines = lines_of(markdown)
    assert lines[:6] == [
        "---",
        "layout: post",
        'title: "twitter_ai_20251107_20251108"',
        'date: "2025-11-07 00:00:00 +0800"',
        'posttime: "2025-11-07 00:00:00 +0800"',
        "---",
    ]
    stamp = re.fullmatch(r'date: "(.*)"', lines[3])
    assert stamp is not None
    assert datetime.strptime(stamp.group(1), "%Y-%m-%d %H:%M:%S %z") == WINDOW.start
    assert lines[6:9] == ["", "Twitter Ai 报告 (2025-11-07 至 2025-11-08)", ""]
    assert lines[-2:] == ["![词云图](wordcloud_twitter_ai_20251107_20251108.jpg)", ""]


def test_front_matter_follows_the_window_zone() -> None:
    window = window_by_id("20251102", ZoneInfo("America/New_York"))  # DST ends that day
    report = build_extractive(make_agg(window=window), LABELS_ZH)
    lines = lines_of(render_markdown(report, window))
    assert lines[2] == 'title: "twitter_ai_20251102_20251103"'
    assert lines[3] == 'date: "2025-11-02 00:00:00 -0400"'  # its start (no publish time)
    published = datetime(2025, 11, 3, 5, 30, tzinfo=UTC)
    lines = lines_of(render_markdown(report, window, published=published))
    assert lines[3:5] == [
        'date: "2025-11-03 00:30:00 -0500"',
        'posttime: "2025-11-03 00:30:00 -0500"',
    ]


def test_front_matter_date_is_the_publish_time_as_in_the_seed(seed: str) -> None:
    published = datetime(2025, 11, 8, 1, 15, 59, tzinfo=UTC)
    lines = lines_of(
        render_markdown(build_extractive(make_agg(), LABELS_ZH), WINDOW, published=published)
    )
    assert lines[3:5] == [
        'date: "2025-11-08 09:15:59 +0800"',
        'posttime: "2025-11-08 09:15:59 +0800"',
    ]
    assert [line.split('"')[0] for line in lines[3:5]] == [
        line.split('"')[0] for line in lines_of(seed)[3:5]
    ]
    with pytest.raises(ValueError, match="aware"):
        render_markdown(
            build_extractive(make_agg(), LABELS_ZH), WINDOW, published=datetime(2025, 11, 8)
        )


def test_exactly_ten_key_points() -> None:
    markdown = render_markdown(build_extractive(make_agg(), LABELS_ZH), WINDOW)
    bullets = section(markdown, "### 核心信息（10个信息点概述）")
    assert len(bullets) == KEY_POINTS
    assert all(line.startswith("- ") for line in bullets)


def test_citation_links() -> None:
    agg = make_agg()
    markdown = render_markdown(build_extractive(agg, LABELS_ZH), WINDOW)
    known = {tw.id for tw in TWEETS}
    for line in lines_of(markdown):
        found = CITATION.findall(line)
        if not found:
            continue
        assert [int(n) for n, _ in found] == list(range(1, len(found) + 1))
        assert {tid for _, tid in found} <= known
        assert line.endswith(")")
        links = ", ".join(f"[{n}](https://x.com/i/status/{tid})" for n, tid in found)
        assert line.endswith(f" ({links})")


def test_mode_note() -> None:
    report = build_extractive(make_agg(), LABELS_ZH, reason="LLM 超时")
    lines = lines_of(render_markdown(report, WINDOW))
    h1 = lines.index("# Twitter AI 话题总结报告")
    assert lines[h1 + 2] == "## 简要部分（优先阅读，简洁明快，观点鲜明）"  # as the seed: no note
    ads, cloud = lines.index("广告内容过滤"), lines.index("## 词云分析")
    assert "- 说明：本报告为抽取式报告（未经 LLM 撰写），LLM 超时。" in lines[ads:cloud]
    fallback = build_extractive(make_agg(), LABELS_ZH, reason="timeout", mode="fallback")
    assert "LLM 生成失败" in render_markdown(fallback, WINDOW)
    llm = report.model_copy(update={"mode": "llm", "mode_note": None})
    assert "说明：" not in render_markdown(llm, WINDOW)


# --- the extractive content -------------------------------------------------------------------
def test_key_points_cite_top_tweets_of_top_topics() -> None:
    report = build_extractive(make_agg(), LABELS_ZH)
    first = report.key_points[0]
    assert first.text.startswith("应用与智能体：120 条讨论")
    assert first.tweet_ids == ["101", "102"]
    assert "较前一窗口 +20%" in first.text
    texts = [p.text for p in report.key_points]
    assert len(set(texts)) == KEY_POINTS
    assert all(len(p.tweet_ids) <= 2 for p in report.key_points)
    # six topics with tweets → six topic points, then a further tweet, terms and hours
    assert [t.split("：")[0] for t in texts[:6]] == [
        "应用与智能体",
        "芯片与推理算力",
        "模型与开源",
        "市场与个股",
        "加密与代理支付",
        "政策与监管",
    ]
    assert [p.tweet_ids for p in report.key_points[6:]] == [
        ["108"],
        ["104", "105"],
        ["103"],
        ["102"],
    ]
    assert texts[6].startswith("高互动推文（应用与智能体，互动分 100）：@user108：")
    assert texts[7] == "热门词：#AI（40）、$NVDA（12）、Kimi（9）。"
    assert texts[8] == (
        "讨论高峰在 05:00–06:00（+0800），该小时共 80 条推文，"
        "代表推文 @user103（内容与上文已引用的推文相同）"  # its only tweet, quoted by point 2
    )
    assert texts[9].startswith("03:00–04:00（+0800）共 50 条推文，代表推文 @user102：")


def test_overview_names_topics_volumes_and_change() -> None:
    overview = build_extractive(make_agg(), LABELS_ZH).overview
    assert "共收到 260 条推文" in overview
    assert "应用与智能体（120 条，50.0%，较前一窗口 +20%）" in overview
    assert "市场与个股（30 条，12.5%，较前一窗口 -25%）" in overview
    assert "讨论高峰出现在 05:00–06:00（80 条）" in overview
    assert "话题标记总量 140 → 270（较前一窗口 +93%）。" in overview


def test_overview_says_when_the_tweets_cover_part_of_the_window() -> None:
    """The fixture's tweets fall in three hours (03:00-10:00 of a 24-hour window): the numbers
    stand for those hours, and the overview says so; a window with tweets from its first to
    its last hour says nothing of the kind."""
    zh = build_extractive(make_agg(), LABELS_ZH).overview
    first = WINDOW.start + timedelta(hours=3)
    last = WINDOW.start + timedelta(hours=10)
    expected = f"数据只覆盖 {first:%m-%d %H:00}–{last:%m-%d %H:00}（3 个小时段有推文）"
    assert expected in zh
    en = build_extractive(make_agg(), LABELS_EN, lang="en").overview
    assert f"The data covers only {first:%m-%d %H:00}–{last:%m-%d %H:00} (3 hours" in en
    start = int(WINDOW.start.timestamp())
    whole = dataclasses.replace(make_agg(), hourly={start + h * 3600: 10 for h in (0, 12, 23)})
    assert "数据只覆盖" not in build_extractive(whole, LABELS_ZH).overview


@pytest.mark.parametrize(
    ("lang", "langs", "first"),
    [
        # a Thai tweet with more engagement: a Chinese report quotes the best Chinese or
        # English one instead
        ("zh", {"1": "th", "2": "en", "3": "zh"}, "2"),
        ("zh", {"1": "th", "2": "ko", "3": "zh"}, "3"),
        # an English reader gets the English one
        ("en", {"1": "th", "2": "en", "3": "zh"}, "2"),
        # no language the reader reads: by engagement, as before; "und" (emoji only) is readable
        ("zh", {"1": "th", "2": "ko", "3": "ja"}, "1"),
        ("en", {"1": "th", "2": "und", "3": "zh"}, "2"),
    ],
)
def test_quotes_prefer_the_readers_languages(lang: str, langs: dict[str, str], first: str) -> None:
    tweets = [
        dataclasses.replace(
            tweet(i, f"tweet {i} about agents", ("apps_agents",), 300 - 100 * int(i)), lang=langs[i]
        )
        for i in ("1", "2", "3")
    ]
    agg = make_agg(tweets, topics={"apps_agents": 30})
    labels = LABELS_ZH if lang == "zh" else LABELS_EN
    report = build_extractive(agg, labels, lang="zh" if lang == "zh" else "en")
    assert f"tweet {first} about agents" in report.key_points[0].text
    assert report.key_points[0].tweet_ids[0] == first


def test_statistics_no_tweet_supports_live_in_the_overview_not_in_key_points() -> None:
    agg = dataclasses.replace(make_agg(), late=7)
    report = build_extractive(agg, LABELS_ZH)
    assert "其中非广告推文 240 条、广告 20 条（7.7%）" in report.overview
    assert report.overview.endswith("另有 7 条推文在窗口关闭后才到达（已保留并计数）。")
    assert all(p.tweet_ids for p in report.key_points)
    ad_figures = re.compile(r"(?<!非)广告|260")  # "占非广告推文 x%" is a share, not an ad figure
    assert not any(ad_figures.search(p.text) for p in report.key_points)


def test_quotes_are_short_organic_excerpts_with_author() -> None:
    report = build_extractive(make_agg(), LABELS_ZH)
    sections = [p for s in (*report.ai_sections, *report.finance_sections) for p in s.points]
    points = (*report.key_points, *report.insights, *report.events, *report.market, *sections)
    quoted = [p for p in points if "“" in p.text]
    assert len(quoted) == len(TWEETS)  # every text once
    for point in quoted:
        assert "@user" in point.text
        body = re.search(r"“(.*)”", point.text)
        assert body is not None
        assert len(body.group(1)) <= EXCERPT_CHARS
        assert "https://" not in body.group(1)
    assert report.cited_ids() <= {tw.id for tw in TWEETS}


def test_sections_and_ad_note() -> None:
    report = build_extractive(make_agg(), LABELS_ZH)
    # policy about AI is AI news; the finance sections are markets, crypto and payments
    assert [s.title for s in report.ai_sections] == [
        "应用与智能体",
        "芯片与推理算力",
        "模型与开源",
        "政策与监管",
    ]
    assert [s.title for s in report.finance_sections] == ["市场与个股", "加密与代理支付"]
    assert report.ad_note == AdNote.from_counts(260, 20, {"promo_link": 15, "giveaway": 9})
    markdown = render_markdown(report, WINDOW)
    ads = section(markdown, "广告内容过滤")
    assert ads == [
        "- 报告已剔除明显的广告性质内容，聚焦于行业技术、事件与影响。",  # the seed's sentence
        "- 本窗口共 260 条推文，其中 20 条（7.7%）被识别为广告，"
        "已从话题统计与本报告内容中剔除（另行保留以备审计）。",
        "- 识别广告的主要依据：promo link（15 条）、giveaway（9 条）。",  # unknown codes
        # then how the report was written (no longer a line under the title)
        "- 说明：本报告为抽取式报告（未经 LLM 撰写），"
        "未配置 LLM，由窗口统计数据与热门推文自动生成。",
    ]


def test_terms_point_cites_tweets_with_the_whole_term() -> None:
    tweets = [
        tweet("301", "she said it was fine", ("apps_agents",), 50),
        tweet("302", "the #AI wave keeps rising", ("apps_agents",), 10),
    ]
    agg = dataclasses.replace(make_agg(tweets, topics={"apps_agents": 2}), terms=[("#AI", 5.0)])
    points = build_extractive(agg, LABELS_ZH).key_points
    terms = next(p for p in points if p.text.startswith("热门词："))
    assert terms.text == "热门词：#AI（5）。"
    assert terms.tweet_ids == ["302"]


def test_tiny_window_still_has_ten_distinct_points() -> None:
    agg = make_agg([TWEETS[0]], total=3, ads=0, topics={"apps_agents": 3}, previous={})
    report = build_extractive(agg, LABELS_ZH)
    texts = [p.text for p in report.key_points]
    assert len(texts) == len(set(texts)) == KEY_POINTS
    # one record: every point still cites it, and the fillers say plainly that data is limited
    assert all(p.tweet_ids == ["101"] for p in report.key_points)
    assert texts[0].startswith("应用与智能体：3 条讨论")
    assert (
        texts[1]
        == "03:00–04:00（+0800）共 50 条推文，代表推文 @user101（内容与上文已引用的推文相同）"
    )
    assert texts[2:] == [
        f"数据有限：本窗口仅 1 条可引用的非广告推文，均已在上文引用；第 {k} 个信息点没有更多内容。"
        for k in range(3, 11)
    ]
    assert report.events[0].tweet_ids == ["101"]


def test_empty_window() -> None:
    report = build_extractive(empty_agg(), LABELS_ZH)
    texts = [p.text for p in report.key_points]
    assert len(texts) == len(set(texts)) == KEY_POINTS
    assert texts[0].endswith("没有收到任何推文，以下信息点逐项说明缺失的数据。")
    assert texts[1:8] == [f"{label}：本窗口无讨论。" for label in LABELS_ZH.values()]
    assert texts[8:] == ["本窗口没有热门词数据。", "本窗口没有按小时的发帖分布数据。"]
    assert "未收到任何推文" in report.overview
    assert not report.cited_ids()
    markdown = render_markdown(report, WINDOW)
    assert "- 本窗口没有推文，未发现广告内容。" in lines_of(markdown)
    assert len(section(markdown, "### 核心信息（10个信息点概述）")) == KEY_POINTS


def test_empty_window_with_more_silent_topics_than_slots() -> None:
    labels = {f"topic{i:02d}": f"话题{i:02d}" for i in range(11)}
    texts = [p.text for p in build_extractive(empty_agg(), labels).key_points]
    assert texts[1:9] == [f"话题{i:02d}：本窗口无讨论。" for i in range(8)]
    assert texts[9] == "话题08、话题09、话题10等 3 个话题本窗口同样无讨论。"


def test_empty_window_without_labels_is_still_ten_points() -> None:
    texts = [p.text for p in build_extractive(empty_agg(), {}).key_points]
    assert len(texts) == len(set(texts)) == KEY_POINTS


def test_window_of_only_ads() -> None:
    agg = make_agg([], total=5, ads=5, topics={}, previous={})
    report = build_extractive(agg, LABELS_ZH)
    assert len(report.key_points) == KEY_POINTS
    assert report.key_points[0].text.endswith(
        "共 5 条推文（非广告推文 0 条、广告 5 条），但没有可引用的非广告推文，"
        "以下信息点逐项说明缺失的数据。"
    )
    assert not report.cited_ids()
    assert report.insights[0].text.startswith("本窗口没有可分析的非广告推文")
    assert report.ad_note.share == 1.0


def test_deterministic() -> None:
    agg = make_agg()
    shuffled = make_agg(list(reversed(TWEETS)), previous={"markets": 40, "apps_agents": 100})
    first = render_markdown(build_extractive(agg, LABELS_ZH), WINDOW)
    assert render_markdown(build_extractive(agg, LABELS_ZH), WINDOW) == first
    assert render_markdown(build_extractive(shuffled, LABELS_ZH), WINDOW) == first


def test_english_variant() -> None:
    report = build_extractive(make_agg(), LABELS_EN, lang="en")
    markdown = render_markdown(report, WINDOW, lang="en")
    assert headings(markdown) == EN_HEADINGS
    lines = lines_of(markdown)
    assert "Twitter AI report (2025-11-07 to 2025-11-08)" in lines
    assert "Ad content filtering" in lines
    assert lines[-2] == "![Word cloud](wordcloud_twitter_ai_20251107_20251108.jpg)"
    assert report.key_points[0].text.startswith("Apps & agents: 120 tweets")
    assert len(section(markdown, "### Key information (10 points)")) == KEY_POINTS
    empty = build_extractive(empty_agg(), LABELS_EN, lang="en")
    assert all(not re.search(r"[\u4e00-\u9fff]", p.text) for p in empty.key_points)


def test_english_headings_translate_the_seed_one_to_one(seed: str) -> None:
    assert len(EN_HEADINGS) == len(headings(seed))
    for zh, en in zip(headings(seed), EN_HEADINGS, strict=True):
        assert zh.split(" ", 1)[0] == en.split(" ", 1)[0]  # same heading levels


# --- sanitization -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("AT&T & co", "AT&T & co"),  # kramdown shows a lone & as it is
        ("Apps &amp; agents", "Apps & agents"),  # entities from X are decoded first
        ("&amp;lt; &#123; &copy;", "&amp;lt; &#123; ©"),  # what would be an entity stays text
        ("R&D;x & &#x41;", "R&amp;D;x & A"),
        ("&lt;script&gt; from the X API", "&lt;script&gt; from the X API"),
        ("{{ site.secret }}", "&#123;&#123; site.secret &#125;&#125;"),
        ("{% include evil.html %}", "&#123;% include evil.html %&#125;"),
        ("![img](http://evil/x.png)", r"!\[img\](http://evil/x.png)"),
        ("[link](javascript:alert(1))", r"\[link\](javascript:alert(1))"),
        ("line1\nline2\r\n\tline3\u2028end", "line1 line2 line3 end"),
        ("# heading", r"\# heading"),
        ("  ## indented heading", r"\## indented heading"),
        ("---", r"\---"),
        ("- list", r"\- list"),
        ("1. ordered", r"1\. ordered"),
        ("`code`", "&#96;code&#96;"),
        ("a | b", r"a \| b"),
        ("**bold** _it_", r"\*\*bold\*\* \_it\_"),
        ("$$x^2$$", r"\$\$x^2\$\$"),
        ("back\\[slash", r"back\\\[slash"),
        ("zero\u200bwidth\u202eflip\x07", "zerowidthflip"),
        ("{: .class}", "&#123;: .class&#125;"),
        ("智能体 agents", "智能体 agents"),
    ],
)
def test_sanitize_inline(text: str, expected: str) -> None:
    assert sanitize_inline(text) == expected


HOSTILE = (
    "<script>alert(1)</script> {{ site.secret }} {% include x %}\n# injected heading\n"
    "![img](http://evil/x.png) [click](javascript:alert(1)) <!-- c --> `code`"
)


def test_hostile_tweets_cannot_change_the_document() -> None:
    hostile = [
        tweet("201", HOSTILE, ("apps_agents",), 999, author="evil_user"),
        tweet("202", "# launch\n---\nlayout: hacked", ("markets",), 998, author="x"),
    ]
    agg = make_agg(hostile, topics={"apps_agents": 5, "markets": 2})
    labels = {**LABELS_ZH, "markets": "<i>{{ markets }}</i>"}
    report = build_extractive(agg, labels)
    markdown = render_markdown(report, WINDOW)
    body = markdown.split("\n---\n", 1)[1]
    for bad in (
        "<script",
        "<i>",
        "<!--",
        "{{",
        "{%",
        "`",
        "\n---\n",
        "layout: hacked\n",
    ):
        assert bad not in body
    assert not re.search(r"(?<!\\)\]\(javascript", body)  # only escaped \](
    assert body.count("![") == 1  # only the word cloud image
    seed = require("reference/seed_report_2025-11-07.md")
    assert headings(markdown) == headings(seed.read_text("utf-8"))


def test_llm_text_is_sanitized_too() -> None:
    base = build_extractive(make_agg(), LABELS_ZH)
    evil = Point(text="# {{ x }}\n<img src=x onerror=alert(1)>", tweet_ids=["101"])
    report = base.model_copy(
        update={"overview": "## fake\n{% raw %}", "insights": [evil], "mode_note": "<b>*x*</b>"}
    )
    markdown = render_markdown(report, WINDOW)
    assert r"\## fake &#123;% raw %&#125;" in lines_of(markdown)
    assert r"- \# &#123;&#123; x &#125;&#125; &lt;img src=x onerror=alert(1)&gt;" in markdown
    assert r"&lt;b&gt;\*x\*&lt;/b&gt;" in markdown


# --- the model ----------------------------------------------------------------------------------
def test_report_needs_exactly_ten_key_points() -> None:
    data = build_extractive(make_agg(), LABELS_ZH).model_dump()
    data["key_points"] = data["key_points"][:9]
    with pytest.raises(ValidationError, match="exactly 10 key points; got 9"):
        Report.model_validate(data)


@pytest.mark.parametrize("bad_id", ["", "12 34", "1)](javascript:x", "x" * 65])
def test_tweet_ids_are_plain_ids(bad_id: str) -> None:
    with pytest.raises(ValidationError, match="tweet id"):
        KeyPoint(text="t", tweet_ids=[bad_id])


def test_report_json_schema_is_plain() -> None:
    schema = Report.model_json_schema()
    assert schema["properties"]["key_points"]["type"] == "array"
    assert set(schema["required"]) >= {"overview", "key_points", "ad_note", "mode"}
    assert "minItems" not in str(schema)


def test_report_round_trips_through_json() -> None:
    report = build_extractive(make_agg(), LABELS_ZH)
    assert Report.model_validate_json(report.model_dump_json()) == report
