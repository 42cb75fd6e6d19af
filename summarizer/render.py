"""Render a :class:`~summarizer.report.Report` as the Jekyll post of the seed report's shape.

The layout (front matter, headings, their order, the plain ``广告内容过滤`` line, the word-cloud
image link) is exactly ``reference/seed_report_2025-11-07.md``; ``lang="en"`` keeps the same
structure with a faithful English translation of every heading. Nothing is added between the
title and ``## 简要部分``: what a reader should know about the data and the method (how the report
was written, unlinked citations, rows merged by a lossy id) are bullets of the closing 广告内容过滤
block, the seed's own note on the data, after the ad figures (:func:`_data_lines`).

Every string taken from the report model goes through :func:`sanitize_inline` exactly once, here:
the model holds plain text (tweet excerpts, LLM output), and only the renderer knows it is
writing kramdown that Jekyll first runs through Liquid.

A citation links the tweet (``[1](https://x.com/i/status/<id>)``) unless its id is lossy (read
from a float, :attr:`streams.aggregates.TweetRecord.lossy_id`): such a link would open another
tweet or none, so the citation is the author's name, and the closing block says once why
(:func:`unlinked_citations` gives the renderer those ids).

A special-analysis section whose topic has a count but no point citing a tweet (each text is
quoted once, and every text of the topic was quoted higher up) would read as a topic without a
single tweet: it cites the topic's tweets the report cites elsewhere and says they are quoted
above (:func:`topic_tweets` gives the renderer each topic's tweets).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from streams.ads import REASONS as AD_REASONS
from streams.aggregates import WindowAggregates
from streams.windows import Window
from summarizer.report import AdNote, Point, Report, Section

Lang = Literal["zh", "en"]

STATUS_URL: Final = "https://x.com/i/status/{id}"
_TWEET_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


# --- sanitization ---------------------------------------------------------------------------
# Zero-width characters, bidi overrides/isolates, BOM and C0/C1 controls left after whitespace
# has been collapsed: invisible, and able to disguise what a line says.
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",  # first of all: a tweet's own backslash must not un-escape what follows
        "<": "&lt;",  # HTML, <script>, <!-- -->, <autolinks>
        ">": "&gt;",  # HTML, blockquotes
        "{": "&#123;",  # Liquid {{ }} and {% %}, kramdown {: attribute lists}
        "}": "&#125;",
        "`": "&#96;",  # code spans (entities would show literally inside one)
        "[": "\\[",  # links, ![images](…), [refs][x], [^footnotes]
        "]": "\\]",
        "*": "\\*",  # emphasis, list markers
        "_": "\\_",
        "|": "\\|",  # tables
    }
)
# A line of our own always starts with "- ", "  - " or the overview text; what could turn the
# start of that text into block syntax: headings, lists, rules, setext underlines, definitions.
_LEADING_BLOCK = re.compile(r"^(?:[#+=:-]|\d+[.)])")
# An "&" that would start an HTML entity (``&amp;``, ``&#123;``, ``&#x7b;``); any other "&" is
# shown literally by kramdown and stays a plain "&" in the markdown ("Apps & agents").
_ENTITY_START = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def sanitize_inline(text: str) -> str:
    """Make untrusted text safe as one inline run of a Jekyll (Liquid + kramdown) post.

    HTML entities are decoded first (X sends ``&amp;``) and then every special character is
    re-escaped (an ``&`` only where it would start an entity), so ``<script>``,
    ``{{ liquid }}``, ``{% tag %}``, ``![img](x)``, ``[link](javascript:…)``, code spans, tables
    and ``$$math$$`` all show as literal text.
    Newlines and other whitespace runs collapse to one space; invisible and control characters
    are dropped; a leading ``#``, ``-``, ``+``, ``=``, ``:`` or ``1.`` is escaped so it cannot
    start a heading, list, rule or definition. Apply it once (it is not idempotent).
    """
    clean = _INVISIBLE.sub("", " ".join(html.unescape(text).split()))
    clean = _ENTITY_START.sub("&amp;", clean)  # before the escapes below add entities
    clean = clean.translate(_ESCAPES).replace("$$", "\\$\\$")
    match = _LEADING_BLOCK.match(clean)
    if match:
        marker = match.group()
        escaped = marker[:-1] + "\\" + marker[-1]
        clean = escaped + clean[len(marker) :]
    return clean


# --- wording --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Words:
    report_line: str
    h1: str
    brief: str
    overview: str
    key_points: str
    detail: str
    insights: str
    events: str
    market: str
    special: str
    ai: str
    finance: str
    ads: str
    cloud: str
    cloud_alt: str
    note_extractive: str
    note_fallback: str
    note_sep: str
    merged: str
    quoted_above: str
    nothing: str
    ads_seed: str
    ads_none: str
    ads_zero: str
    ads_some: str
    ads_reasons: str
    ads_reason: str
    ads_reason_all: str  # a reason every ad has: a count would repeat the total
    counted: str
    sep: str
    end: str
    no_link: str
    no_link_all: str  # every cited tweet is unlinked
    no_author: str


_WORDS: Final[dict[str, _Words]] = {
    "zh": _Words(
        report_line="Twitter Ai 报告 ({start} 至 {end})",
        h1="# Twitter AI 话题总结报告",
        brief="## 简要部分（优先阅读，简洁明快，观点鲜明）",
        overview="### 主要话题与行业趋势概述",
        key_points="### 核心信息（10个信息点概述）",
        detail="## 详细分析部分（时间充裕时阅读）",
        insights="### 重要观点与见解",
        events="### 关键事件与发展",
        market="### 个股与数字货币/市场相关观察与反应",
        special="## 专项分析",
        ai="### 人工智能相关内容（技术、发展与应用）",
        finance="### 金融市场相关内容（如果涉及）",
        ads="广告内容过滤",
        cloud="## 词云分析",
        cloud_alt="词云图",
        note_extractive="说明：本报告为抽取式报告（未经 LLM 撰写）",
        note_fallback="说明：LLM 生成失败，本报告为抽取式回退版本",
        note_sep="，",  # "说明：…（未经 LLM 撰写），未配置 LLM…": one colon per sentence
        merged="本窗口另有 {n} 条推文与已计入的推文共用同一个不完整的 id（以浮点数存储），"
        "无法区分，只计入一次",
        quoted_above="代表推文已在上文引用",
        nothing="无相关内容。",
        ads_seed="报告已剔除明显的广告性质内容，聚焦于行业技术、事件与影响。",
        ads_none="本窗口没有推文，未发现广告内容。",
        ads_zero="本窗口共 {total} 条推文，未识别到广告内容。",
        ads_some=(
            "本窗口共 {total} 条推文，其中 {ads} 条（{share}）被识别为广告，"
            "已从话题统计与本报告内容中剔除（另行保留以备审计）。"
        ),
        ads_reasons="识别广告的主要依据：{reasons}。",
        ads_reason="{name}（{n} 条）",
        ads_reason_all="{name}（全部 {n} 条）",
        counted="{name}（{n}）",
        sep="、",
        end="。",
        no_link="部分推文的 id 在源数据中不完整（以浮点数存储），"
        "引用这些推文时只列出作者、不附链接",
        no_link_all="全部被引用推文的 id 在源数据中都不完整（以浮点数存储），"
        "引用时只列出作者、不附链接",
        no_author="作者不详",
    ),
    "en": _Words(
        report_line="Twitter AI report ({start} to {end})",
        h1="# Twitter AI Topic Summary Report",
        brief="## Brief (read first: concise, clear, opinionated)",
        overview="### Main topics and industry trends",
        key_points="### Key information (10 points)",
        detail="## Detailed analysis (read when you have time)",
        insights="### Important views and insights",
        events="### Key events and developments",
        market="### Stocks, crypto and market observations and reactions",
        special="## Special analysis",
        ai="### Artificial intelligence (technology, development and applications)",
        finance="### Financial markets (if relevant)",
        ads="Ad content filtering",
        cloud="## Word cloud analysis",
        cloud_alt="Word cloud",
        note_extractive="Note: this is an extractive report (not written by an LLM)",
        note_fallback="Note: the LLM step failed; this is the extractive fallback report",
        note_sep=": ",
        merged="{n} more tweets in this window share an incomplete id (stored as a float) with "
        "a tweet already counted; they cannot be told apart, so each such id counts once",
        quoted_above="Its representative tweets are quoted above",
        nothing="Nothing to report.",
        ads_seed=(
            "Obvious advertising has been removed from this report; it focuses on the "
            "industry's technology, events and their impact."
        ),
        ads_none="No tweets in this window, so no ads were found.",
        ads_zero="{total} tweets in this window; no ads were detected.",
        ads_some=(
            "{total} tweets in this window, of which {ads} ({share}) were classified as ads and "
            "left out of the topic counts and of this report (kept separately for audit)."
        ),
        ads_reasons="Main reasons tweets were classified as ads: {reasons}.",
        ads_reason="{name} ({n} tweets)",
        ads_reason_all="{name} (all {n})",
        counted="{name} ({n})",
        sep=", ",
        end=".",
        no_link="Some tweet ids are incomplete in the source data (stored as floats): "
        "those tweets are cited by their author, without a link",
        no_link_all="All cited tweet ids are incomplete in the source data (stored as floats): "
        "every tweet is cited by its author, without a link",
        no_author="author unknown",
    ),
}


# --- pieces ---------------------------------------------------------------------------------
def unlinked_citations(agg: WindowAggregates) -> dict[str, str]:
    """Tweet id → author (username, '' when unknown) of every top tweet of ``agg`` whose id
    is lossy: :func:`render_markdown` cites those without a link."""
    return {
        tweet.id: tweet.author
        for tweets in agg.top_tweets.values()
        for tweet in tweets
        if tweet.lossy_id
    }


def topic_tweets(agg: WindowAggregates, labels: Mapping[str, str]) -> dict[str, list[str]]:
    """Topic label (as the report titles a section) → ids of the topic's top tweets, best
    first: :func:`render_markdown` cites those a section quotes elsewhere."""
    return {
        labels[topic]: [tweet.id for tweet in tweets]
        for topic, tweets in agg.top_tweets.items()
        if topic in labels and tweets
    }


@dataclass(frozen=True, slots=True)
class _Cite:
    words: _Words
    unlinked: Mapping[str, str]

    def one(self, n: int, tweet_id: str) -> str:
        if tweet_id not in self.unlinked:
            return f"[{n}]({STATUS_URL.format(id=tweet_id)})"
        author = self.unlinked[tweet_id]
        return f"@{sanitize_inline(author)}" if author else self.words.no_author

    def all(self, tweet_ids: Sequence[str]) -> str:
        """The citations of a point: " ([1](link), @a)" (an unlinked tweet by its author, each
        author once; the report says once why, see :func:`_data_lines`)."""
        ids = [tweet_id for tweet_id in tweet_ids if _TWEET_ID.fullmatch(tweet_id)]
        if not ids:
            return ""
        cited: dict[str, None] = {}
        links = 0  # links are numbered among themselves: "(@a, [1](link))"
        for tweet_id in ids:
            if tweet_id not in self.unlinked:
                links += 1
            cited[self.one(links, tweet_id)] = None
        return f" ({', '.join(cited)})"

    def point(self, point: Point, indent: str = "") -> str:
        return f"{indent}- {sanitize_inline(point.text)}{self.all(point.tweet_ids)}"


def _bullets(points: Sequence[Point], cite: _Cite) -> list[str]:
    return [cite.point(p) for p in points] or [f"- {cite.words.nothing}"]


def _sections(
    sections: Sequence[Section],
    cite: _Cite,
    elsewhere: Mapping[str, Sequence[str]],
) -> list[str]:
    """The special-analysis sections; one whose points cite no tweet ends with the tweets of its
    topic cited elsewhere in the report (``elsewhere``: title → ids), "quoted above"."""
    lines: list[str] = []
    for section in sections:
        lines.append(f"- {sanitize_inline(section.title)}")
        lines.extend(cite.point(p, "  ") for p in section.points)
        above = elsewhere.get(section.title, ())
        if above and not any(p.tweet_ids for p in section.points):
            lines.append(f"  - {cite.words.quoted_above}{cite.all(above)}")
    return lines or [f"- {cite.words.nothing}"]


def _quoted_elsewhere(
    report: Report, by_topic: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """Section title → its topic's tweets the report cites (at most two, best first)."""
    cited = report.cited_ids()
    out: dict[str, list[str]] = {}
    for title, ids in by_topic.items():
        found = [tweet_id for tweet_id in ids if tweet_id in cited][:2]
        if found:
            out[title] = found
    return out


def reason_label(reason: str, lang: Lang) -> str:
    """The ad filter's reason code in plain words (``promo_phrase`` → 推广话术 / promotional
    language); an unknown code is shown with spaces for its underscores."""
    labels = AD_REASONS.get(reason)
    if labels is None:
        return reason.replace("_", " ").strip() or reason
    return labels[0] if lang == "zh" else labels[1]


def _ad_lines(note: AdNote, words: _Words, lang: Lang) -> list[str]:
    """The seed's one sentence first (when ads were removed), then the window's figures and
    the reasons in plain words (a reason every ad has says so: "推广话术（全部 54 条）")."""
    if note.total == 0:
        return [f"- {words.ads_none}"]
    if note.ads == 0:
        return [f"- {words.ads_zero.format(total=note.total)}"]
    share = f"{note.share:.1%}"
    lines = [
        f"- {words.ads_seed}",
        f"- {words.ads_some.format(total=note.total, ads=note.ads, share=share)}",
    ]
    if note.top_reasons:
        reasons = words.sep.join(
            (words.ads_reason_all if r.count >= note.ads else words.ads_reason).format(
                name=sanitize_inline(reason_label(r.reason, lang)), n=r.count
            )
            for r in note.top_reasons
        )
        lines.append(f"- {words.ads_reasons.format(reasons=reasons)}")
    return lines


def _sentence(text: str, words: _Words) -> str:
    """``text`` as a sentence of its own (ends with 。 or .)."""
    text = text.rstrip()
    return text if text.endswith(("。", ".", "！", "!", "？", "?")) else text + words.end


def _data_lines(
    report: Report, words: _Words, unlinked: Mapping[str, str], merged: int
) -> list[str]:
    """The notes on the method and the data, as bullets of the closing block: how the report
    was written (an LLM report only when code changed it), why some citations have no link
    (when one is cited; "all" when every cited tweet is one), and the rows a lossy id merged
    (when any)."""
    lines: list[str] = []
    if report.mode == "llm":
        if report.mode_note:
            lines.append(_sentence(sanitize_inline(report.mode_note), words))
    else:
        head = words.note_fallback if report.mode == "fallback" else words.note_extractive
        why = sanitize_inline(report.mode_note or "")
        lines.append(_sentence(f"{head}{words.note_sep + why if why else ''}", words))
    cited = report.cited_ids()
    if unlinked and cited & unlinked.keys():
        every = cited <= unlinked.keys()
        lines.append(_sentence(words.no_link_all if every else words.no_link, words))
    if merged > 0:
        lines.append(_sentence(words.merged.format(n=merged), words))
    return [f"- {line}" for line in lines]


def front_matter(window: Window, published: datetime | None = None) -> list[str]:
    """Jekyll front matter; ``date``/``posttime`` are the post's publish time, in the window's
    zone (the service gives the report's day at the time of day it was written, as the seed).
    Without ``published`` (previews, tests): the window's start, the day the report covers."""
    when = window.start if published is None else published
    if when.tzinfo is None:
        msg = "front_matter needs an aware publish time"
        raise ValueError(msg)
    stamp = f"{when.astimezone(window.start.tzinfo):%Y-%m-%d %H:%M:%S %z}"
    return [
        "---",
        "layout: post",
        f'title: "{window.slug}"',
        f'date: "{stamp}"',
        f'posttime: "{stamp}"',
        "---",
    ]


def render_markdown(
    report: Report,
    window: Window,
    lang: Lang = "zh",
    *,
    published: datetime | None = None,
    unlinked: Mapping[str, str] | None = None,
    by_topic: Mapping[str, Sequence[str]] | None = None,
    merged: int = 0,
) -> str:
    """The whole post as text (ends with a newline); see the module docstring for safety.

    ``published`` (aware) is the post's ``date``; see :func:`front_matter`. ``unlinked``:
    tweet id → author of the tweets whose ids must not be linked (:func:`unlinked_citations`);
    a citation of one names the author, and the closing block says why. ``by_topic``: section
    title → its topic's tweets (:func:`topic_tweets`), for a section that cites none.
    ``merged``: rows of the window counted once because they share a lossy id with another
    (said in the closing block)."""
    words = _WORDS[lang]
    cite = _Cite(words, unlinked or {})
    elsewhere = _quoted_elsewhere(report, by_topic or {})
    report_line = words.report_line.format(
        start=f"{window.start_date:%Y-%m-%d}", end=f"{window.end_date:%Y-%m-%d}"
    )
    lines = [
        *front_matter(window, published),
        "",
        report_line,
        "",
        words.h1,
        "",
        words.brief,
        "",
        words.overview,
        sanitize_inline(report.overview) or words.nothing,
        "",
        words.key_points,
        *(cite.point(p) for p in report.key_points),
        "",
        words.detail,
        "",
        words.insights,
        *_bullets(report.insights, cite),
        "",
        words.events,
        *_bullets(report.events, cite),
        "",
        words.market,
        *_bullets(report.market, cite),
        "",
        words.special,
        "",
        words.ai,
        *_sections(report.ai_sections, cite, elsewhere),
        "",
        words.finance,
        *_sections(report.finance_sections, cite, elsewhere),
        "",
        words.ads,
        *_ad_lines(report.ad_note, words, lang),
        *_data_lines(report, words, unlinked or {}, merged),
        "",
        words.cloud,
        "",
        f"![{words.cloud_alt}](wordcloud_{window.slug}.jpg)",
    ]
    return "\n".join(lines) + "\n"
