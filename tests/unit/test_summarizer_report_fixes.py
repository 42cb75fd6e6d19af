"""User-facing report wording found by a review: the non-ad term, quotes cut at word boundaries,
each tweet text quoted once per report, ad reasons in plain words, HTML entities, the publish
date, and ``summarize --window`` given a day that is not a date."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streams.aggregates import WindowAggregates
from summarizer.extractive import EXCERPT_CHARS, build_extractive, excerpt, text_key
from summarizer.prompt import report_messages
from summarizer.render import reason_label, render_markdown
from summarizer.report import Report
from summarizer.service import published_at
from tests.unit.test_report_render import (
    LABELS_EN,
    LABELS_ZH,
    WINDOW,
    make_agg,
    section,
    tweet,
)
from tweetpulse.cli import build_parser

QUOTE_ZH = re.compile(r"“(.*?)”")
QUOTE_EN = re.compile(r'@\w+: "(.*?)"')


def quoted_texts(markdown: str) -> list[str]:
    return QUOTE_ZH.findall(markdown) + QUOTE_EN.findall(markdown)


# --- 1. the Chinese word for non-ad tweets -------------------------------------------------------
def test_chinese_report_calls_non_ad_tweets_non_ad_not_original() -> None:
    markdown = render_markdown(build_extractive(make_agg(), LABELS_ZH), WINDOW)
    assert "原创" not in markdown
    assert "其中非广告推文 240 条、广告 20 条（7.7%）" in markdown
    assert "应用与智能体：120 条讨论（占非广告推文 50.0%" in markdown


def test_llm_prompt_defines_organic_and_forbids_the_word_original() -> None:
    system = report_messages("zh", "<stats></stats>", "<tweets></tweets>", [], {})[0].content
    assert "非广告推文" in system
    assert "never 原创" in system


# --- 6. quotes cut at a word boundary ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short text #AI", 40, "short text #AI"),
        ("GraphRAG over messy wikis today. #RAG #robotics #AI #GenAI", 56, None),
        ("alpha beta gamma #GenAI", 21, "alpha beta gamma…"),
        ("alpha beta gamma $NVDA", 20, "alpha beta gamma…"),
        ("tell everyone about it @someone_handle now", 30, "tell everyone about it…"),
        ("one two, three", 13, "one two…"),  # no dangling comma before the ellipsis
        ("深度求索发布新版本，信息量很大", 8, "深度求索发布新…"),  # CJK: any character boundary
        ("新模型发布了，大家都在讨论 #DeepSeekRelease", 20, "新模型发布了，大家都在讨论…"),
        ("x" * 30, 10, "x" * 9 + "…"),  # one huge word: cut inside rather than lose it all
        ("RT @bob: see https://t.co/x now", 40, "see now"),
    ],
)
def test_excerpt_cuts_at_a_word_boundary(text: str, limit: int, expected: str | None) -> None:
    got = excerpt(text, limit)
    assert len(got) <= limit
    if expected is not None:
        assert got == expected
    else:  # the real case from the review: no "#Ge…"
        assert got.endswith("#AI…") or got.endswith("#robotics…")
        assert not re.search(r"#\w*…$", got.replace("#AI…", "").replace("#robotics…", ""))


def test_default_excerpt_never_splits_a_hashtag() -> None:
    words = " ".join(f"#tag{i:03d}" for i in range(40))
    got = excerpt(words)
    assert len(got) <= EXCERPT_CHARS
    body = got.removesuffix("…")
    assert body.split(" ")[-1] in words.split(" ")


# --- 5. each text quoted once --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Connecting the dots: MCP → hiring", "connecting the dots:  MCP → hiring!", True),
        ("@alice Connecting the dots", "Connecting the dots", True),  # a reply's mention
        ("RT @bob: big news https://t.co/1", "big news https://t.co/2", True),
        ("Apps &amp; agents", "Apps & agents", True),
        ("深度求索发布新版本", "深度求索发布新版本。", True),
        ("big news", "bigger news", False),
        ("https://t.co/1", "https://t.co/2", True),  # both empty: the builder keys them by id
    ],
)
def test_text_key(a: str, b: str, same: bool) -> None:
    assert (text_key(a) == text_key(b)) is same


def _copycat_window() -> tuple[Report, str]:
    same = "Connecting the dots: MCP servers for every internal dashboard → hiring engineers"
    tweets = [
        tweet("1", same, ("apps_agents",), 900, author="alice"),
        tweet("2", same, ("apps_agents",), 800, author="bob"),
        tweet("3", "@alice " + same, ("apps_agents",), 700, author="carol"),
        tweet("4", "Agents are eating SaaS", ("apps_agents",), 600),
        tweet("5", "Another agent framework ships today", ("apps_agents",), 500),
        tweet("6", "Inference chips sold out again", ("chips_inference",), 400),
        tweet("7", same, ("chips_inference",), 300, author="dave"),
        tweet("8", "TPU v7 is about inference", ("chips_inference",), 200),
    ]
    topics = {"apps_agents": 50, "chips_inference": 20}
    report = build_extractive(make_agg(tweets, topics=topics), LABELS_ZH)
    return report, render_markdown(report, WINDOW)


def test_a_text_is_quoted_once_in_the_whole_report() -> None:
    report, markdown = _copycat_window()
    quotes = quoted_texts(markdown)
    keys = [text_key(q) for q in quotes]
    assert len(keys) == len(set(keys)), quotes
    assert sum("Connecting the dots" in q for q in quotes) == 1
    # the next candidates are quoted instead
    assert "Agents are eating SaaS" in markdown
    assert "TPU v7 is about inference" in markdown
    assert len(report.key_points) == 10
    texts = [p.text for p in report.key_points]
    assert len(set(texts)) == 10


def test_a_section_does_not_quote_one_text_twice() -> None:
    report, _ = _copycat_window()
    for sec in (*report.ai_sections, *report.finance_sections):
        keys = [text_key(m) for p in sec.points for m in QUOTE_ZH.findall(p.text)]
        assert len(keys) == len(set(keys))


def test_tweet_quoted_above_is_named_not_quoted_again() -> None:
    one = [tweet("1", "Only tweet of the day, about agents", ("apps_agents",), 9)]
    agg = make_agg(one, total=3, ads=0, topics={"apps_agents": 3}, previous={})
    markdown = render_markdown(build_extractive(agg, LABELS_ZH), WINDOW)
    assert markdown.count("Only tweet of the day") == 1
    assert "@user1（内容与上文已引用的推文相同）" in markdown
    en = render_markdown(build_extractive(agg, LABELS_EN, lang="en"), WINDOW, "en")
    assert en.count("Only tweet of the day") == 1
    assert "@user1 (same text as a tweet quoted above)" in en


# --- 3. ad reasons in plain words ----------------------------------------------------------------
def test_ad_note_keeps_the_seed_sentence_then_reasons_in_plain_words() -> None:
    agg = dataclasses.replace(make_agg(), ad_reasons={"promo_phrase": 15, "account_signals": 9})
    zh = render_markdown(build_extractive(agg, LABELS_ZH), WINDOW)
    assert section(zh, "广告内容过滤") == [
        "- 报告已剔除明显的广告性质内容，聚焦于行业技术、事件与影响。",
        "- 本窗口共 260 条推文，其中 20 条（7.7%）被识别为广告，"
        "已从话题统计与本报告内容中剔除（另行保留以备审计）。",
        "- 识别广告的主要依据：推广话术（15 条）、可疑账号特征（9 条）。",
        "- 说明：本报告为抽取式报告（未经 LLM 撰写），"
        "未配置 LLM，由窗口统计数据与热门推文自动生成。",
    ]
    en = render_markdown(build_extractive(agg, LABELS_EN, lang="en"), WINDOW, "en")
    lines = section(en, "Ad content filtering")
    assert lines[0].startswith("- Obvious advertising has been removed from this report")
    assert lines[2] == (
        "- Main reasons tweets were classified as ads: promotional language (15 tweets), "
        "suspicious account (9 tweets)."
    )
    assert "\\_" not in zh + en
    assert "promo_phrase" not in zh + en


def test_a_reason_every_ad_has_says_all_rather_than_repeating_the_total() -> None:
    agg = dataclasses.replace(make_agg(), ad_reasons={"promo_phrase": 20, "campaign": 4})
    zh = render_markdown(build_extractive(agg, LABELS_ZH), WINDOW)
    assert "- 识别广告的主要依据：推广话术（全部 20 条）、多账号同模板（4 条）。" in zh
    en = render_markdown(build_extractive(agg, LABELS_EN, lang="en"), WINDOW, "en")
    assert "promotional language (all 20), near-duplicate campaign (4 tweets)." in en


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("promo_phrase", "推广话术", "promotional language"),
        ("account_signals", "可疑账号特征", "suspicious account"),
        ("campaign", "多账号同模板", "near-duplicate campaign"),
        ("brand_new_code", "brand new code", "brand new code"),
    ],
)
def test_reason_label(code: str, zh: str, en: str) -> None:
    assert (reason_label(code, "zh"), reason_label(code, "en")) == (zh, en)


# --- 4. HTML entities ----------------------------------------------------------------------------
def test_english_report_has_no_raw_html_entities() -> None:
    tweets = [tweet("1", "R&amp;D &amp; agents &lt;3", ("apps_agents",), 9)]
    agg = make_agg(tweets, topics={"apps_agents": 5})
    markdown = render_markdown(build_extractive(agg, LABELS_EN, lang="en"), WINDOW, "en")
    body = markdown.split("\n---\n", 1)[1]
    assert "&amp;" not in body
    assert "Apps & agents: 5 tweets" in body
    assert '"R&D & agents &lt;3"' in body  # "<" stays escaped: it could open a tag


# --- 7. the publish date -------------------------------------------------------------------------
def test_published_at_reads_the_existing_post(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    assert published_at(post) is None
    published = datetime(2025, 11, 8, 1, 15, 59, tzinfo=UTC)
    report = build_extractive(make_agg(), LABELS_ZH)
    post.write_text(render_markdown(report, WINDOW, published=published), "utf-8")
    assert published_at(post) == published
    post.write_text("---\nlayout: post\ndate: 2025\n---\n", "utf-8")
    assert published_at(post) is None
    post.write_bytes(b"\xff\xfe")
    assert published_at(post) is None


def test_publish_date_is_after_the_window() -> None:
    report = build_extractive(make_agg(), LABELS_ZH)
    late = WINDOW.end + timedelta(minutes=12)
    lines = render_markdown(report, WINDOW, published=late).split("\n")
    assert lines[3] == 'date: "2025-11-08 00:12:00 +0800"'


# --- 2. summarize --window -----------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["garbage", "2025-13-01", "2025-02-30", "20251", "2025/11/07"])
def test_summarize_window_must_be_a_day(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["summarize", "--window", bad])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --window" in err
    assert "YYYY-MM-DD" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("given", "window_id"), [("2025-11-07", "20251107"), ("20251107", "20251107")]
)
def test_summarize_window_accepts_both_forms(given: str, window_id: str) -> None:
    args = build_parser().parse_args(["summarize", "--window", given, "--allow-empty"])
    assert args.window == window_id
    assert args.allow_empty is True
    assert build_parser().parse_args(["summarize"]).allow_empty is False


def test_a_tweet_that_opens_with_a_quotation_keeps_its_own_marks() -> None:
    said = "“The model is not ready,” the company told reporters on Tuesday"
    one = [tweet("1", said, ("apps_agents",), 9, author="reporter")]
    agg = make_agg(one, total=3, ads=0, topics={"apps_agents": 3}, previous={})
    zh = render_markdown(build_extractive(agg, LABELS_ZH), WINDOW)
    assert "@reporter：“The model is not ready,”" in zh
    assert "““" not in zh
    en = render_markdown(build_extractive(agg, LABELS_EN, lang="en"), WINDOW, "en")
    assert "@reporter: “The model is not ready,”" in en
    assert '"“' not in en


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a retweet's copy escaped once more: decoded twice, never cut inside an entity
        ("Try it #ChatGPT&amp;amp;#AI now", "Try it #ChatGPT&#AI now"),
        ("Log in to&amp;lt;your account&amp;gt;", "Log in to<your account>"),
        ("Q&amp;A with the team", "Q&A with the team"),
    ],
)
def test_excerpt_decodes_entities_escaped_twice(text: str, expected: str) -> None:
    assert excerpt(text) == expected


@pytest.mark.parametrize(
    ("now", "before", "zh", "en"),
    [
        (7, 2, "前一窗口 2 条", "2 in the previous window"),  # 2 → 7 is no "+250%"
        (9, 9, "前一窗口 9 条", "9 in the previous window"),
        (12, 6, "较前一窗口 +100%", "+100% vs the previous window"),
    ],
)
def test_a_topic_change_on_few_tweets_is_given_as_counts(
    now: int, before: int, zh: str, en: str
) -> None:
    one = [tweet("1", "Inference chips sold out again", ("chips_inference",), 9)]
    agg = make_agg(
        one, total=now, ads=0, topics={"chips_inference": now}, previous={"chips_inference": before}
    )
    zh_md = render_markdown(build_extractive(agg, LABELS_ZH), WINDOW)
    assert zh in zh_md
    en_md = render_markdown(build_extractive(agg, LABELS_EN, lang="en"), WINDOW, "en")
    assert en in en_md
    if max(now, before) < 10:
        assert not re.search(r"[+-]\d+%", zh_md), "a change on few tweets given as a percentage"


def _hours_agg(per_hour: int, hours: int, minutes: int | None) -> WindowAggregates:
    start = int(WINDOW.start.timestamp()) // 3600
    return dataclasses.replace(
        make_agg(),
        hourly={start + h: per_hour for h in range(hours)},
        minutes_with_tweets=minutes,
    )


@pytest.mark.parametrize(
    ("per_hour", "hours", "minutes", "sampled"),
    [
        (45, 20, 40, True),  # two minutes an hour kept: a sample
        (45, 20, 600, False),  # a live stream fills ~32 minutes of each hour
        (45, 20, 250, False),  # bursty, but not a sample
        (5, 20, 90, False),  # a quiet live stream: 5 tweets fill ~5 minutes
        (45, 4, 8, False),  # too few hours to tell
        (45, 20, None, False),  # minutes not read
    ],
)
def test_the_overview_says_when_the_data_is_a_sample(
    per_hour: int, hours: int, minutes: int | None, sampled: bool
) -> None:
    agg = _hours_agg(per_hour, hours, minutes)
    zh = build_extractive(agg, LABELS_ZH).overview
    en = build_extractive(agg, LABELS_EN, lang="en").overview
    assert ("数据为抽样" in zh) is sampled
    assert ("The data is a sample" in en) is sampled
    if sampled:
        per_hour = (minutes or 0) / hours
        assert f"有推文的 {hours} 个小时里平均每小时只有 {per_hour:.1f} 分钟有推文" in zh
