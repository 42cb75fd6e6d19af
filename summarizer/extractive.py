"""The extractive report: a :class:`~summarizer.report.Report` built from numbers and top tweets.

No LLM is involved. Every sentence comes from the window's aggregates (volumes, shares, change
against the previous window, terms, hourly peak, ad figures) or quotes a short excerpt of an
organic top tweet with its ``@author``, citing the tweet's id. Same aggregates in, same report out:
every ranking breaks ties by id/name, nothing reads the clock or a random source.

Grounding follows the LLM path's rules (:mod:`summarizer.grounding` accepts the result): when
the window has at least one organic tweet record (``agg.top_tweets``; ads are never there),
every key point and every event cites top tweets that support it. Window-wide numbers that no
tweet supports (volume, ad share, change against the previous window, late tweets) live in the
overview; the ad reasons in the ad note; bursts no top tweet was posted during go to the
insights, which may state uncited numbers.

Each tweet text is quoted once in the whole report (same text from several accounts, a
reply's leading @mentions, URLs, case and punctuation ignored: :func:`text_key`; a retweet's
copy Twitter cut short is its original's text: :func:`_same_text`): the parts are
built in the order the report reads and each takes the next candidate whose text is not quoted
yet; a point that must name a tweet already quoted (an hour whose only top tweet it is) names
its ``@author`` and says the text is the one above. Excerpts are cut at a word boundary (a
jieba word's in Han text), and a quote chosen for a term (a story's) shows that term.

Key events (关键事件与发展, at most :data:`MAX_EVENTS`): the bursts the worker detected that a top
tweet supports, then the day's stories — the emerging terms that several distinct authors of the
top tweets mention (Italy's ban of ChatGPT told by six accounts outranks one viral launch tweet)
and that name something (an entity or event written in several tweets' words, not only a tag;
tweets that keep to a topic), each quoting its most on-topic readable tweet — then top tweets
that report news (bans, leaks, lawsuits) or a launch; without any, the most engaged tweet.

Key points (always exactly ten, never duplicated), filled in this order:

1. one point per topic with top tweets, by volume (ties by topic id), citing up to two of them
   (tweets not yet cited by an earlier point first) and quoting the first — so the top five
   topics are covered;
2. further top tweets by engagement gained in the window (``TweetRecord.score``: a retweet of
   an old viral tweet carries its lifetime counts, not today's), one point each, leaving room for
3. the hot words (citing tweets that contain one of the first three; ranked by their rise
   against up to a week of earlier windows, new ones marked: see
   :func:`summarizer.hotwords.rank_hot_words`) and the busiest hour
   (quoting a tweet posted in it), each only when such a tweet exists;
4. while slots remain (small windows): the other hours by volume, each quoting one of its
   tweets, every tweet not yet quoted, and numbered "limited data" points citing the window's
   few tweets.

A window with no tweet record yields uncited points only, each saying plainly what is missing:
one on the volume, one per topic ("X：本窗口无讨论"; when more of them than slots remain, the
last slot names the rest together), then the kinds of data missing and numbered "not enough
data" points. Honest, still ten, and the report keeps the seed's shape.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from itertools import pairwise
from typing import Final, Literal

from streams.aggregates import TweetRecord, WindowAggregates
from streams.counting import split_retweet
from streams.segment import HAN_CHARS, HAN_RUN, SEGMENTER
from streams.settings import QUOTE_MAX_AD_SCORE
from summarizer.hotwords import HotWord, letters, rank_hot_words
from summarizer.report import KEY_POINTS, AdNote, KeyPoint, Point, Report, Section

Lang = Literal["zh", "en"]

MARKET_TOPICS: Final = ("markets", "crypto_agent_payments")
"""Topics of the 个股与数字货币/市场 section."""
FINANCE_TOPICS: Final = ("markets", "crypto_agent_payments")
"""Topics of the 金融市场相关内容 sections (markets, crypto, payments); every other topic counts
as AI content — policy_regulation too: a ban or a law on AI is AI news, not a market."""

EXCERPT_CHARS: Final = 120
CITES_PER_POINT: Final = 2
TOPICS_IN_OVERVIEW: Final = 5
TERMS_SHOWN: Final = 8
MAX_INSIGHTS: Final = 5
MAX_EVENTS: Final = 6
MAX_BURSTS: Final = 3  # of MAX_EVENTS, for the bursts the worker detected
BURST_LEAD: Final = timedelta(minutes=15)  # a burst is detected after its first bucket closes
QUOTES_PER_SECTION: Final = 2

READABLE: Final[Mapping[str, frozenset[str]]] = {
    "zh": frozenset({"zh", "en"}),
    "en": frozenset({"en"}),
}
"""Tweet languages (X's ``lang`` codes) a reader of each report language reads: quotes in them
come first, so a Chinese report's representative tweet is not a Thai one when a Chinese or
English tweet of the topic was among its top tweets (the numbers count every language)."""

UNKNOWN_LANGS: Final = frozenset({"und", "zxx", "art", "qam", "qct", "qht", "qme", "qst"})
"""X's codes for no language or a special one (emoji only, media, hashtags only): readable."""

TREND_MIN_TWEETS: Final = 10
SAMPLED_SHARE: Final = 1 / 3  # of the minutes random tweets would fill, below which: a sample
SAMPLED_MIN_HOURS: Final = 6  # hours with tweets, at least, before a window is called a sample
"""A topic's change against the previous window is named the fastest rise (or fall) only when
the bigger of its two counts reaches this: 2 → 7 tweets is +250% of noise."""

# What may stand between a text and its link ("Read more: ", " / ", "🔗 ", "👉 ") and is left
# dangling when the link goes; never the end of a quote.
_SEPARATORS: Final = " \t,;:，、；：/|-–—·•→⇒➡⬇▶►»👉👇🔗\ufe0f"
# A link, the separators before it and the angle brackets around it ("to <https://…>")
_URL = re.compile(rf"[{re.escape(_SEPARATORS)}]*<?(?:https?://|www\.)[^\s<>]*>?", re.IGNORECASE)
# What an excerpt never ends with (nor a window starts with): separators, an opening bracket
# or a lone "&" / "<" a removed link or a cut left behind.
_TAIL_STRIP: Final = _SEPARATORS + "&<([{（【「『“‘"
_HEAD_STRIP: Final = _SEPARATORS + "。！？.!?>)]}）】」』”’"
SAME_MIN_CHARS: Final = 20
SAME_PREFIX_CHARS: Final = 80
"""Two quotes are one text when the shorter key (20 characters or more) starts the longer, or
their first 80 characters are equal (:func:`_same_text`)."""
_RETWEET = re.compile(r"^RT @\w+:\s*")
_LEADING_MENTIONS = re.compile(r"^\s*(?:@\w+\s*)+")
_NON_WORD = re.compile(r"[\W_]+")
# CJK ideographs, kana, hangul, CJK and full-width punctuation: a text may be cut next to one.
_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
# Twitter's own cut ("… use Scit…", "… htt…"): the last run of non-space, non-CJK characters
_CUT_TAIL = re.compile(rf"[^\s{_CJK.pattern[1:-1]}]+$")
_OPEN_QUOTES: Final = ("“", '"', "「", "『", "«", "„")
_CLOSING: Final = {"“": "”", '"': '"', "「": "」", "『": "』", "«": "»", "„": "“"}


def _closed(body: str) -> str:
    """``body`` (it opens with a quotation mark) with the matching closing mark added at the
    end when it has fewer closing than opening ones: its excerpt cut the closing mark off."""
    opening = body[0]
    closing = _CLOSING.get(opening, opening)
    if closing == opening:
        unclosed = body.count(opening) % 2 == 1
    else:
        unclosed = body.count(closing) < body.count(opening)
    return body + closing if unclosed else body


_LAUNCH = re.compile(
    r"发布|推出|上线|开源|宣布|融资|收购|亮相|更新|升级|上市|"
    r"\b(?:launch(?:es|ed)?|releas(?:e|es|ed)|announc(?:e|es|ed)|introduc(?:e|es|ed|ing)|"
    r"open[- ]sourc(?:e|es|ed)|acquir(?:e|es|ed)|rais(?:e|es|ed)|funding|unveil(?:s|ed)?|"
    r"ship(?:s|ped)?|roll(?:s|ed)? out|debut(?:s|ed)?|now available|partners? with)\b",
    re.IGNORECASE,
)
"""Launch news: releases, funding, acquisitions (also the words of promotion)."""
_NEWS = re.compile(
    r"禁用|封禁|封杀|禁止|禁令|泄露|泄密|起诉|诉讼|调查|暂停|罚款|宕机|流出|提訴|"
    r"\b(?:ban(?:s|ned|ning)?|blocked|blocking|restrict(?:s|ed|ion|ions)?|leak(?:s|ed)?|"
    r"breach(?:es|ed)?|sue[sd]?|suing|lawsuits?|prob(?:e|es|ed|ing)|investigat(?:es?|ed|ion)|"
    r"outages?|paus(?:e|es|ed|ing) (?:on |of )?(?:ai|giant|training|development)|"
    r"warn(?:s|ed)|fined|"
    # Italian, Spanish, French, German
    r"vietat[oa]|bloccat[oa]|prohib(?:e|ido|ida)|prohíbe|bloquead[oa]|interdit|interdiction|"
    r"verbot(?:en)?|verbietet|gesperrt)\b",
    re.IGNORECASE,
)
"""What happened to someone: bans, blocks, leaks, lawsuits, probes, outages, warnings, fines
(zh, ja, en, then it/es/fr/de as cheap)."""


def _event_like(text: str) -> bool:
    return bool(_NEWS.search(text) or _LAUNCH.search(text))


# --- wording --------------------------------------------------------------------------------
_TEXT: Final[dict[str, dict[str, str]]] = {
    "zh": {
        "reason": "未配置 LLM，由窗口统计数据与热门推文自动生成",
        "someone": "某用户",
        "media_only": "（仅链接或媒体）",
        "quote": "@{author}：“{text}”",
        "quote_own": "@{author}：{text}",  # a text that opens with its own quotation mark
        "quote_same": "@{author}（内容与上文已引用的推文相同）",
        "sep": "、",
        "pct_new": "前一窗口无讨论",
        "vs_prev": "较前一窗口 {change}",
        "vs_prev_n": "前一窗口 {before} 条",
        "vs_prev_partial": "较前一窗口 {change}，前一窗口仅覆盖 {hours} 小时",
        "vs_prev_share": "占比较前一窗口 {change} 个百分点",
        "topic_brief": "{label}（{n} 条，{share}{change}）",
        "overview_zero": (
            "{span}未收到任何推文，本报告没有可总结的话题与趋势；以下各部分如实说明数据缺失。"
        ),
        "overview_volume": (
            "{span}共收到 {total} 条推文，其中非广告推文 {organic} 条、"
            "广告 {ads} 条（{ad_share}），独立作者约 {authors} 位。"
        ),
        "overview_coverage": (
            "数据只覆盖 {first}–{last}（{hours} 个小时段有推文），以上数字仅代表这些时段。"
        ),
        "overview_sampled": (
            "数据为抽样：有推文的 {hours} 个小时里平均每小时只有 {per_hour:.1f} 分钟有推文，"
            "数量及其变化反映采样方式，不代表讨论的全部热度。"
        ),
        "overview_topics": "讨论最集中的话题依次为：{topics}。",
        "overview_untagged": "非广告推文均未归入任何话题。",
        "overview_trend": "与前一窗口相比，{parts}。",
        "trend_rise": "{label}升温最快（{change}）",
        "trend_fall": "{label}降温最明显（{change}）",
        "trend_new": "新出现的话题：{labels}",
        "trend_partial": "{change}，前一窗口仅覆盖 {hours} 小时",
        "trend_rise_share": "{label}占比升幅最大（{before} → {now}，{change} 个百分点）",
        "trend_fall_share": "{label}占比降幅最大（{before} → {now}，{change} 个百分点）",
        "overview_prev_partial": (
            "前一窗口的数据仅覆盖 {first}–{last}（{hours} 个小时），"
            "与之相比的数量变化部分来自覆盖时长的差异。"
        ),
        "overview_terms": "热门词包括 {terms}。",
        "overview_terms_rise": "热门词（按较{before}的升幅排序）：{terms}。",
        "overview_peak": "讨论高峰出现在 {hours}（{n} 条）。",
        "overview_prev": "话题标记总量 {prev} → {cur}（较前一窗口 {change}）。",
        "overview_prev_n": "话题标记总量 {prev} → {cur}。",
        "overview_prev_zero": "前一窗口有 {prev} 次话题标记，本窗口为 0。",
        "overview_late": "另有 {n} 条推文在窗口关闭后才到达（已保留并计数）。",
        "span": "{start} 至 {end}（{tz}）",
        "kp_topic": "{label}：{n} 条讨论（占非广告推文 {share}{change}）",
        "kp_topic_quote": "{head}，代表推文 {quote}",
        "kp_tweet": "高互动推文（{label}，互动分 {engagement}）：{quote}",
        "kp_volume_zero": "{span}没有收到任何推文，以下信息点逐项说明缺失的数据。",
        "kp_no_records": (
            "{span}共 {total} 条推文（非广告推文 {organic} 条、广告 {ads} 条），"
            "但没有可引用的非广告推文，以下信息点逐项说明缺失的数据。"
        ),
        "kp_terms": "热门词：{terms}。",
        "kp_terms_rise": "热门词（按较{before}的升幅排序）：{terms}。",
        "before_one": "前一天",
        "before_n": "此前 {n} 天",
        "kp_peak": "讨论高峰在 {hours}（{tz}），该小时共 {n} 条推文，代表推文 {quote}",
        "kp_hour": "{hours}（{tz}）共 {n} 条推文，代表推文 {quote}",
        "kp_limited": (
            "数据有限：本窗口仅 {k} 条可引用的非广告推文，均已在上文引用；"
            "第 {i} 个信息点没有更多内容。"
        ),
        "kp_topic_no_records": "{label}：{n} 条讨论，但没有可引用的推文记录。",
        "kp_no_topic": "{label}：本窗口无讨论。",
        "kp_no_topics_rest": "{labels}等 {n} 个话题本窗口同样无讨论。",
        "kp_no_terms": "本窗口没有热门词数据。",
        "kp_no_hours": "本窗口没有按小时的发帖分布数据。",
        "kp_no_prev": "没有前一窗口的数据可供比较。",
        "kp_no_ads": "本窗口未识别到广告内容。",
        "kp_filler": "数据不足：第 {k} 个信息点没有可用内容。",
        "ins_lead": "讨论重心在{label}（{n} 条，占非广告推文 {share}）",
        "ins_follow": "，其后为{others}",
        "ins_trend": "与前一窗口相比：{parts}。",
        "ins_quote": "{quote}（{label}，互动分 {engagement}）",
        "ins_none": "本窗口没有可分析的非广告推文，无法形成观点与见解。",
        "ev_quote": "{label}：{quote}",
        "ev_story": "{label}：热门推文中 {n} 位作者谈及“{term}”，最切题的一条 {quote}",
        "terms_sep": "”“",
        "ev_top": "热门推文中未识别到多位作者共同讨论的话题，也没有发布、上线、融资、收购或禁令类"
        "消息；互动最高的讨论来自{label}：{quote}",
        "ev_burst": "{name}讨论量突增：{start} 检测到，每分钟 {rate:.1f} 条（基线 {base:.1f} 条），"
        "峰值 z 值 {z:.1f}{until}。",
        "ev_burst_end": "，{end} 回落",
        "ev_burst_open": "，窗口结束时仍在持续",
        "ev_none": "本窗口没有可分析的非广告推文，无关键事件可报告。",
        "mk_topic": "{label}：{n} 条讨论（占非广告推文 {share}{change}）。",
        "mk_cashtags": "被提及最多的代码：{tags}。",
        "mk_none": "本窗口未出现个股、数字货币或市场相关讨论。",
        "sec_stat": "{n} 条讨论，占非广告推文 {share}{change}。",
        "sec_none_title": "无相关讨论",
        "ai_none": "本窗口没有人工智能相关讨论。",
        "fin_none": "本窗口未涉及金融市场相关讨论。",
        "end_punct": "。",
        "comma": "，",
        "semi": "；",
        "counted": "{name}（{n}）",
        "counted_new": "{name}（{n}，新）",
    },
    "en": {
        "reason": "no LLM is configured; built from the window's statistics and top tweets",
        "someone": "a user",
        "media_only": "(link or media only)",
        "quote": '@{author}: "{text}"',
        "quote_own": "@{author}: {text}",
        "quote_same": "@{author} (same text as a tweet quoted above)",
        "sep": ", ",
        "pct_new": "new since the previous window",
        "vs_prev": "{change} vs the previous window",
        "vs_prev_n": "{before} in the previous window",
        "vs_prev_partial": "{change} vs the previous window, which covers only {hours} hours",
        "vs_prev_share": "share {change} points vs the previous window",
        "topic_brief": "{label} ({n} tweets, {share}{change})",
        "overview_zero": (
            "{span}: no tweets were received, so there are no topics or trends to summarize; "
            "the sections below state the missing data plainly."
        ),
        "overview_volume": (
            "{span}: {total} tweets, of which {organic} organic and {ads} ads ({ad_share}), "
            "from about {authors} unique authors."
        ),
        "overview_sampled": (
            " The data is a sample: in its {hours} hours with tweets only {per_hour:.1f} minutes"
            " an hour have any, so counts and their changes reflect the sampling, not the whole"
            " discussion."
        ),
        "overview_coverage": (
            " The data covers only {first}–{last} ({hours} hours with tweets); the numbers stand"
            " for those hours only."
        ),
        "overview_topics": " The most discussed topics were: {topics}.",
        "overview_untagged": " No organic tweet was tagged with a topic.",
        "overview_trend": " Against the previous window: {parts}.",
        "trend_rise": "{label} rose the most ({change})",
        "trend_fall": "{label} fell the most ({change})",
        "trend_new": "new topics: {labels}",
        "trend_partial": "{change}; the previous window covers only {hours} hours",
        "trend_rise_share": "{label} gained the most share ({before} → {now}, {change} points)",
        "trend_fall_share": "{label} lost the most share ({before} → {now}, {change} points)",
        "overview_prev_partial": (
            " The previous window's data covers only {first}–{last} ({hours} hours), so count"
            " changes against it partly reflect the shorter coverage."
        ),
        "overview_terms": " Top terms: {terms}.",
        "overview_terms_rise": " Top terms, by their rise against {before}: {terms}.",
        "overview_peak": " Activity peaked at {hours} ({n} tweets).",
        "overview_prev": " Topic mentions {prev} → {cur} ({change} vs the previous window).",
        "overview_prev_n": " Topic mentions {prev} → {cur}.",
        "overview_prev_zero": " The previous window had {prev} topic mentions; this one has none.",
        "overview_late": " {n} more tweets arrived after the window had closed (kept and counted).",
        "span": "{start} to {end} ({tz})",
        "kp_topic": "{label}: {n} tweets ({share} of organic tweets{change})",
        "kp_topic_quote": "{head}; top tweet {quote}",
        "kp_tweet": "High-engagement tweet ({label}, engagement score {engagement}): {quote}",
        "kp_volume_zero": "{span}: no tweets were received; the points below list what is missing.",
        "kp_no_records": (
            "{span}: {total} tweets ({organic} organic, {ads} ads) but no organic tweet that can "
            "be cited; the points below list what is missing."
        ),
        "kp_terms": "Top terms: {terms}.",
        "kp_terms_rise": "Top terms, by their rise against {before}: {terms}.",
        "before_one": "the previous day",
        "before_n": "the {n} previous days",
        "kp_peak": "The busiest hour was {hours} ({tz}) with {n} tweets; representative tweet "
        "{quote}",
        "kp_hour": "{hours} ({tz}): {n} tweets; representative tweet {quote}",
        "kp_limited": "Limited data: only {k} citable organic tweets in this window, all quoted "
        "above; key point {i} has nothing more to add.",
        "kp_topic_no_records": "{label}: {n} tweets, but no tweet record to cite.",
        "kp_no_topic": "{label}: no discussion in this window.",
        "kp_no_topics_rest": "{labels}: {n} more topics without discussion in this window.",
        "kp_no_terms": "No trending-term data for this window.",
        "kp_no_hours": "No hourly activity data for this window.",
        "kp_no_prev": "No previous window to compare with.",
        "kp_no_ads": "No ads were detected in this window.",
        "kp_filler": "Not enough data: key point {k} has nothing to report.",
        "ins_lead": "The discussion centred on {label} ({n} tweets, {share} of organic tweets)",
        "ins_follow": ", followed by {others}",
        "ins_trend": "Against the previous window: {parts}.",
        "ins_quote": "{quote} ({label}, engagement score {engagement})",
        "ins_none": "No organic tweets to analyse in this window, so no views or insights.",
        "ev_quote": "{label}: {quote}",
        "ev_story": '{label}: {n} authors among the top tweets on "{term}"; the most on-topic '
        "{quote}",
        "terms_sep": '", "',
        "ev_top": "No story several authors share and no launch, release, funding, acquisition "
        "or ban among the top tweets; the most engaged discussion was in {label}: {quote}",
        "ev_burst": "Burst in {name}: detected at {start}, {rate:.1f} tweets/min (baseline "
        "{base:.1f}), peak z-score {z:.1f}{until}.",
        "ev_burst_end": "; back to normal by {end}",
        "ev_burst_open": "; still running when the window closed",
        "ev_none": "No organic tweets to analyse in this window, so no key events.",
        "mk_topic": "{label}: {n} tweets ({share} of organic tweets{change}).",
        "mk_cashtags": "Most mentioned tickers: {tags}.",
        "mk_none": "No stock, crypto or market discussion in this window.",
        "sec_stat": "{n} tweets, {share} of organic tweets{change}.",
        "sec_none_title": "No related discussion",
        "ai_none": "No AI-related discussion in this window.",
        "fin_none": "No financial-market discussion in this window.",
        "end_punct": ".",
        "comma": ", ",
        "semi": "; ",
        "counted": "{name} ({n})",
        "counted_new": "{name} ({n}, new)",
    },
}


# --- small formatting helpers ---------------------------------------------------------------
def _pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "0.0%"


def _change(current: int, previous: int) -> str:
    return f"{100.0 * (current - previous) / previous:+.0f}%"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def excerpt(text: str, limit: int = EXCERPT_CHARS, about: Iterable[str] = ()) -> str:
    """A one-line excerpt of tweet text: no RT prefix, no URLs, no leading reply @mentions, at
    most ``limit`` characters.

    A link goes with the separators that led to it (``Read more: ``, `` / ``, ``🔗 ``) and the
    angle brackets around it. A text Twitter already cut (it ends in ``…``, as a retweet's copy
    of a long original does) loses its cut last word or link stub (``Scit…``, ``htt…``; in Han
    text its last jieba word, ``后…`` of ``后台``) and ends at its last whole word with ``…``. A
    longer text is cut at a word boundary (never inside a word, ``#hashtag``, ``$cashtag`` or
    ``@handle``; in Han text between two jieba words; between any other CJK characters) and
    ends with ``…``. Only a single word longer than half the limit is cut inside.

    ``about``: the terms the quote was chosen for (a story's "Midjourney", "Italy"). When the
    first of them the text mentions falls outside the excerpt's head, the excerpt is a window
    of the text around that mention instead, with ``…`` on each cut side (same limit).
    """
    clean = _LEADING_MENTIONS.sub("", " ".join(_without_links(text).split()))
    cut_by_twitter = clean.endswith("…")
    if cut_by_twitter:
        clean = _whole_words(clean[:-1])
    clean = clean.rstrip(_TAIL_STRIP)
    room = limit - 1 if cut_by_twitter else limit
    if len(clean) <= room:
        return clean + "…" if cut_by_twitter and clean else clean
    cuts = _cut_points(clean)
    end = _last_cut(cuts, limit - 1, limit // 2)
    span = _mention(clean, about)
    if span is None or span[1] <= end:
        return clean[:end].rstrip(_TAIL_STRIP) + "…"
    return _window(clean, span, cuts, limit, cut_by_twitter)


def _last_cut(cuts: list[bool], at: int, floor: int) -> int:
    """The last cut point at or before ``at`` above ``floor`` (``at`` itself when none is)."""
    cut = at
    while cut > floor and not cuts[cut]:
        cut -= 1
    return cut if cut > floor else at


def _window(
    clean: str, span: tuple[int, int], cuts: list[bool], limit: int, cut_by_twitter: bool
) -> str:
    """An excerpt of ``clean`` around the mention at ``span``: about a third of the room
    before it, cut points on both sides, ``…`` on each side that cuts the text."""
    start, stop = span
    inner = limit - 2  # an ellipsis on each side
    begin = max(0, start - max(0, inner - (stop - start)) // 3)
    tail_room = limit - 1 - (1 if cut_by_twitter else 0)  # the text's own end: one … less
    if len(clean) - begin <= tail_room:
        begin = max(begin - (tail_room - (len(clean) - begin)), 0)
    begin = next((i for i in range(begin, start + 1) if cuts[i]), start)
    if len(clean) - begin <= tail_room:
        end = len(clean)
    else:
        end = begin + inner
        while end > stop and not cuts[end]:
            end -= 1
        if end <= stop:
            end = min(begin + inner, len(clean))
    body = clean[begin:end].lstrip(_HEAD_STRIP).rstrip(_TAIL_STRIP)
    lead = "…" if begin > 0 else ""
    trail = "…" if end < len(clean) or cut_by_twitter else ""
    return f"{lead}{body}{trail}"


def _mention(clean: str, about: Iterable[str]) -> tuple[int, int] | None:
    """Where ``clean`` first mentions the first of the terms ``about`` it mentions (a CJK term
    as written, any other by its word stems, as the stories match them; a ``#``/``$`` before
    it included); ``None`` when it mentions none."""
    words: list[re.Match[str]] | None = None
    for term in about:
        key = _term_key(term) or _term_key_loose(term)
        if not key:
            continue
        if len(key) == 1 and _CJK.search(key[0]):
            found = re.search(re.escape(key[0]), clean, re.IGNORECASE)
            span = found.span() if found else None
        else:
            if words is None:
                words = list(_WORDS.finditer(clean))
            stems = [_stem(w.group().casefold()) for w in words]
            n = len(key)
            at = next((i for i in range(len(stems) - n + 1) if tuple(stems[i : i + n]) == key), -1)
            span = (words[at].start(), words[at + n - 1].end()) if at >= 0 else None
        if span is not None:
            start, stop = span
            return (start - 1 if start > 0 and clean[start - 1] in "#$" else start), stop
    return None


def _term_key_loose(term: str) -> tuple[str, ...]:
    """A term's stems (or the CJK term) even when it is too short or common to be a story's."""
    folded = term.casefold().lstrip("#$")
    if _CJK.search(folded):
        return (folded,) if folded else ()
    return tuple(_stem(w) for w in _WORDS.findall(folded))


def _cut_points(clean: str) -> list[bool]:
    """Whether ``clean`` may be cut before each index (``len(clean) + 1`` flags): next to a
    space, next to a CJK character, but inside Han text only between two jieba words."""
    cuts = [True] + [_boundary(a, b) for a, b in pairwise(clean)] + [True]
    for run in HAN_RUN.finditer(clean):
        at = run.start()
        inside: set[int] = set()
        for word in SEGMENTER.cut(run.group(), hmm=False)[:-1]:
            at += len(word)
            inside.add(at)
        for i in range(run.start() + 1, run.end()):
            cuts[i] = i in inside
    return cuts


def _whole_words(cut: str) -> str:
    """``cut`` (a text Twitter ended with ``…``) without its last, cut word: a Latin word, or
    in Han text the last jieba word (``后`` of what was ``后台``); other CJK (kana, hangul) is
    kept (any character boundary is one), and so is a text of one word only."""
    if not cut or cut[-1].isspace():
        return cut
    han = HAN_RUN.search(cut[-1])
    if han is not None:
        run = re.search(f"[{HAN_CHARS}]+$", cut)
        words = SEGMENTER.cut(run.group(), hmm=False) if run else []
        shorter = cut[: len(cut) - len(words[-1])] if words else cut
    else:
        shorter = _CUT_TAIL.sub("", cut)
    return shorter if shorter.strip(_SEPARATORS) else cut


def _boundary(before: str, after: str) -> bool:
    """Whether a text may be cut between ``before`` and ``after`` without splitting a word
    (two Han characters: see :func:`_cut_points`, which asks jieba)."""
    if before.isspace() or after.isspace():
        return True
    return bool(_CJK.match(before) or _CJK.match(after))


def text_key(text: str) -> str:
    """What makes two tweet texts "the same quote": the text without RT prefix, URLs and
    leading @mentions, and (a text Twitter cut with ``…``) without its cut last word,
    casefolded, punctuation and spacing ignored ("" for link-only text). A retweet's copy cut
    short is the start of its original's key: :func:`_same_text` compares them."""
    clean = _LEADING_MENTIONS.sub("", " ".join(_without_links(text).split()))
    if clean.endswith("…"):
        clean = _whole_words(clean[:-1])
    return " ".join(_NON_WORD.sub(" ", clean.casefold()).split())


def _same_text(a: str, b: str) -> bool:
    """Whether two :func:`text_key` keys are one text spreading: equal, the shorter (of
    :data:`SAME_MIN_CHARS` or more) the start of the longer (a retweet's copy Twitter cut, a
    copy-paste that adds a line), or equal in their first :data:`SAME_PREFIX_CHARS`."""
    if a == b:
        return True
    if not a or not b or a.startswith("id:") or b.startswith("id:"):
        return False
    short, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= SAME_MIN_CHARS and longer.startswith(short):
        return True
    prefix = SAME_PREFIX_CHARS
    return len(short) >= prefix and short[:prefix] == longer[:prefix]


def _without_links(text: str) -> str:
    """Tweet text decoded, without its RT prefix and with each URL (and the ``<…>`` around
    one) turned into a space.

    Decoded twice: a retweet's copy can carry its original's entities escaped once more
    ("&amp;amp;"), and an excerpt must not end inside one ("#ChatGPT&…")."""
    decoded = html.unescape(text)
    if "&" in decoded:
        decoded = html.unescape(decoded)
    return _URL.sub(" ", _RETWEET.sub("", decoded.strip()))


def _hour_start(key: int, zone: tzinfo | None) -> datetime:
    """Local start of an ``agg.hourly`` bucket.

    The store keys buckets by ``streams.windows.hour_bucket`` (epoch seconds of the UTC hour);
    small keys are read as hours since the epoch instead (10**8 h is year 13377, 10**8 s 1973).
    """
    seconds = key * 3600 if key < 10**8 else key
    return datetime.fromtimestamp(seconds, tz=zone or UTC)


# --- the builder's view of the window -------------------------------------------------------
@dataclass
class _View:
    agg: WindowAggregates
    labels: Mapping[str, str]
    text: Mapping[str, str]
    market: Collection[str]
    readable: Collection[str] = ()  # tweet languages the report's reader reads (see READABLE)
    ranked: list[tuple[str, int]] = field(default_factory=list)
    tweets: list[TweetRecord] = field(default_factory=list)
    quoted: set[str] = field(default_factory=set)  # text keys already quoted in the report
    max_ad_score: float = QUOTE_MAX_AD_SCORE  # TWEETPULSE_QUOTE_MAX_AD_SCORE
    hot: list[HotWord] = field(default_factory=list)  # the hot words (see :meth:`hot_words`)

    def __post_init__(self) -> None:
        topics = self.agg.topics
        self.ranked = sorted(((t, n) for t, n in topics.items() if n > 0), key=_by_count)
        seen: dict[str, TweetRecord] = {}
        for topic in sorted(self.agg.top_tweets):
            for tweet in self.top_of(topic):
                seen.setdefault(tweet.id, tweet)
        self.tweets = sorted(seen.values(), key=self._rank)
        self.hot = rank_hot_words(self.terms(), self.agg.organic, self.agg.earlier_terms)

    def quotable(self, tweet: TweetRecord) -> bool:
        """Whether the report may quote or cite ``tweet``: its ad score is below the quote bar
        (a borderline tweet the filter kept as organic is counted, never a highlight)."""
        return tweet.ad_score < self.max_ad_score

    def _rank(self, tweet: TweetRecord) -> tuple[bool, int, str]:
        """Quote order: tweets in a language the reader reads first (an unknown language
        counts as readable), then by the engagement gained in the window, then by id."""
        lang = tweet.lang
        known = lang is not None and lang not in UNKNOWN_LANGS
        unreadable = bool(self.readable) and known and lang not in self.readable
        return (unreadable, -tweet.score, tweet.id)

    def t(self, key: str, **values: object) -> str:
        return self.text[key].format(**values)

    def label(self, topic: str) -> str:
        return self.labels.get(topic, topic)

    def share(self, n: int) -> str:
        return _pct(n, self.agg.organic)

    def change_suffix(self, topic: str, n: int, lead: str, *, note: bool = True) -> str:
        """``，较前一窗口 +12%`` (or nothing when there is no previous window); below
        :data:`TREND_MIN_TWEETS` on both sides the counts, not a percentage ("2 → 7" is no
        "+250 %"). A sampled window compares shares (percentage points of the organic tweets:
        its counts reflect the sampling); against a partial previous window (:func:`_partial`)
        the change says so, unless ``note`` is false (the overview says it once)."""
        previous = self.agg.previous_topics
        if not previous:
            return ""
        before = previous.get(topic, 0)
        points = _share_points(self, n, before)
        partial = _partial(self) if note else None
        if before <= 0:
            text = self.t("pct_new")
        elif max(n, before) < TREND_MIN_TWEETS:
            text = self.t("vs_prev_n", before=before)
        elif points is not None:
            text = self.t("vs_prev_share", change=f"{points:+.1f}")
        elif partial is not None:
            text = self.t("vs_prev_partial", change=_change(n, before), hours=partial[2])
        else:
            text = self.t("vs_prev", change=_change(n, before))
        return lead + text

    def quote(self, tweet: TweetRecord, about: Iterable[str] = ()) -> str:
        """``@author：“excerpt”``; only ``@author`` and a "same text as above" note when the
        report already quotes this text (the builder prefers tweets whose text is fresh).
        ``about``: the terms the tweet is quoted for, which the excerpt then shows
        (:func:`excerpt`).

        The count step credits a retweet's record to the original author; a record kept
        before it did (text still ``RT @name: …``) is credited to ``name`` here."""
        retweet = split_retweet(tweet.text)
        author = (retweet[0] if retweet else tweet.author) or self.t("someone")
        if not self.fresh(tweet):
            return self.t("quote_same", author=author)
        body = excerpt(tweet.text, about=about) or self.t("media_only")
        if not body.startswith(_OPEN_QUOTES):
            return self.t("quote", author=author, text=body)
        # a tweet that opens with a quotation keeps its own marks (no "““The company…"), and
        # gets back the closing one its excerpt cut off
        return self.t("quote_own", author=author, text=_closed(body))

    @staticmethod
    def key(tweet: TweetRecord) -> str:
        return text_key(tweet.text) or f"id:{tweet.id}"

    def fresh(self, tweet: TweetRecord) -> bool:
        """Whether the report has not quoted this tweet's text yet (from any account; a
        retweet's cut copy and its original are one text: :func:`_same_text`)."""
        key = self.key(tweet)
        return key not in self.quoted and not any(_same_text(key, q) for q in self.quoted)

    def mark(self, tweet: TweetRecord) -> None:
        """Record that the report now quotes ``tweet``'s text (call once the point is kept)."""
        self.quoted.add(self.key(tweet))

    def by_freshness(self, tweets: Iterable[TweetRecord]) -> list[TweetRecord]:
        """``tweets`` with the fresh texts first (stable), each text only once."""
        seen: list[str] = []
        unique = []
        for tweet in tweets:
            key = self.key(tweet)
            if not any(_same_text(key, s) for s in seen):
                seen.append(key)
                unique.append(tweet)
        return sorted(unique, key=lambda tw: not self.fresh(tw))

    def topic_of(self, tweet: TweetRecord) -> str:
        """The tweet's highest-volume topic (its first topic when none was counted)."""
        rank = {topic: i for i, (topic, _) in enumerate(self.ranked)}
        known = [topic for topic in tweet.topics if topic in rank]
        if known:
            return min(known, key=rank.__getitem__)
        return tweet.topics[0] if tweet.topics else ""

    def top_of(self, topic: str) -> list[TweetRecord]:
        """The topic's top tweets the report may quote (:meth:`quotable`), in quote order."""
        records = self.agg.top_tweets.get(topic, [])
        return sorted((tw for tw in records if self.quotable(tw)), key=self._rank)

    def span(self) -> str:
        window = self.agg.window
        return self.t(
            "span",
            start=f"{window.start:%Y-%m-%d %H:%M}",
            end=f"{window.end:%Y-%m-%d %H:%M}",
            tz=window.utc_offset,
        )

    def terms(self) -> list[tuple[str, float]]:
        return [(term, n) for term, n in self.agg.terms if term.strip() and n > 0]

    def terms_text(self, terms: Iterable[tuple[str, float]]) -> str:
        return self.t("sep").join(self.t("counted", name=term, n=_num(n)) for term, n in terms)

    def hot_words(self) -> list[HotWord]:
        """The window's terms, those it uses much more than the earlier windows did first
        (:func:`~summarizer.hotwords.rank_hot_words`; the volume order without them)."""
        return self.hot[:TERMS_SHOWN]

    def hot_text(self, key: str, words: list[HotWord]) -> str:
        """``key`` (``overview_terms``/``kp_terms``) naming ``words`` with their voices, new ones
        marked; ranked by their rise, the ``_rise`` variant says against what."""
        terms = self.t("sep").join(
            self.t("counted_new" if w.new else "counted", name=w.term, n=_num(w.count))
            for w in words
        )
        if not any(w.lift is not None for w in words):
            return self.t(key, terms=terms)
        days = len(self.agg.earlier_terms)
        before = self.t("before_one") if days == 1 else self.t("before_n", n=days)
        return self.t(f"{key}_rise", before=before, terms=terms)

    def hours(self) -> list[tuple[datetime, int]]:
        """Local start and volume of every hour with tweets, busiest first (ties by time)."""
        hours = sorted(((key, n) for key, n in self.agg.hourly.items() if n > 0), key=_by_volume)
        zone = self.agg.window.start.tzinfo
        return [(_hour_start(key, zone), n) for key, n in hours]

    def peak(self) -> tuple[datetime, int] | None:
        hours = self.hours()
        return hours[0] if hours else None

    def tweets_mentioning(self, words: Iterable[str]) -> list[str]:
        """Ids of the top tweets containing one of ``words`` as a whole word (case-insensitive)."""
        needles = [re.escape(w.casefold()) for w in words if w]
        if not needles:
            return []
        pattern = re.compile(rf"(?<![0-9a-z])(?:{'|'.join(needles)})(?![0-9a-z])")
        hits = [tw.id for tw in self.tweets if pattern.search(tw.text.casefold())]
        return hits[:CITES_PER_POINT]


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def _by_volume(item: tuple[int, int]) -> tuple[int, int]:
    return (-item[1], item[0])


def _hours_text(start: datetime) -> str:
    return f"{start:%H:00}–{start + timedelta(hours=1):%H:00}"


# --- overview -------------------------------------------------------------------------------
COVERAGE_GAP: Final = timedelta(hours=2)
"""Hours without a tweet at the start or the end of a window worth saying (a replay that starts
mid-day, a collector that stopped): the day's numbers then stand for part of it."""


def _coverage(v: _View) -> str:
    """The hours a window's tweets cover, when they leave a gap of :data:`COVERAGE_GAP` or more
    at its start or its end; else ''."""
    starts = sorted(start for start, _ in v.hours())
    if not starts:
        return ""
    window = v.agg.window
    first, last = starts[0], starts[-1] + timedelta(hours=1)
    if first - window.start < COVERAGE_GAP and window.end - last < COVERAGE_GAP:
        return ""
    return v.t(
        "overview_coverage",
        first=f"{first:%m-%d %H:00}",
        last=f"{last:%m-%d %H:00}",
        hours=len(starts),
    )


PARTIAL_SPAN: Final = Fraction(5, 6)
"""The previous window is called partial when its data spans (first to last hour with tweets)
at most this share of the hours this window's data spans: 20 of 24 hours already make every
count change a fifth bigger than the discussion's."""


def _data_span(hourly: Mapping[int, int], zone: tzinfo | None) -> tuple[datetime, datetime] | None:
    """Start of the first and end of the last hour with tweets."""
    starts = sorted(_hour_start(key, zone) for key, n in hourly.items() if n > 0)
    return (starts[0], starts[-1] + timedelta(hours=1)) if starts else None


def _partial(v: _View) -> tuple[datetime, datetime, int] | None:
    """(first, last, hours) of the previous window's data when it spans much less of its day
    than this window's (:data:`PARTIAL_SPAN`: a replay that starts mid-day); else None.

    Its count changes are then said to be against a partial window rather than turned into
    rates per hour: a rate assumes the hours without data were like those with (a feed started
    at 08:00 misses the night), the counts and the span are facts the reader can weigh."""
    previous = v.agg.previous
    zone = v.agg.window.start.tzinfo
    then = _data_span(previous.hourly, zone) if previous is not None else None
    now = _data_span(v.agg.hourly, zone)
    if then is None or now is None:
        return None
    hours_then = (then[1] - then[0]) // timedelta(hours=1)
    hours_now = (now[1] - now[0]) // timedelta(hours=1)
    if hours_then > PARTIAL_SPAN * hours_now:
        return None
    return then[0], then[1], hours_then


def _share_points(v: _View, n: int, before: int) -> float | None:
    """Change of the topic's share of the organic tweets, in percentage points rounded to one
    decimal, when the window is a sample (:func:`_is_sampled`: its counts reflect how it was
    sampled, its shares do not) and the previous window's organic tweets are known; else None."""
    previous = v.agg.previous
    if previous is None or previous.organic <= 0 or v.agg.organic <= 0 or not _is_sampled(v):
        return None
    return round(100.0 * (n / v.agg.organic - before / previous.organic), 1)


def _is_sampled(v: _View) -> bool:
    """Whether the tweets sit in far fewer minutes than their number would fill (see
    :func:`_sampled`)."""
    minutes = v.agg.minutes_with_tweets
    hourly = [n for n in v.agg.hourly.values() if n > 0]
    if minutes is None or len(hourly) < SAMPLED_MIN_HOURS:
        return False
    expected = sum(60 * (1 - (59 / 60) ** n) for n in hourly)
    return minutes < SAMPLED_SHARE * expected


def _sampled(v: _View) -> str:
    """A note when the tweets sit in far fewer minutes than their number would fill (a sampled
    collection, such as a corpus that kept two minutes of each hour); else ''.

    ``n`` tweets spread at random over an hour fill ``60·(1 − (59/60)ⁿ)`` of its minutes (45
    tweets: ~32); a window whose tweets fill less than :data:`SAMPLED_SHARE` of what its hours
    would, over :data:`SAMPLED_MIN_HOURS` hours or more, is called a sample. A quiet live stream
    (5 tweets in an hour fill ~5 minutes) is not one, nor is a bursty one."""
    if not _is_sampled(v):
        return ""
    minutes = v.agg.minutes_with_tweets or 0
    hours = sum(1 for n in v.agg.hourly.values() if n > 0)
    return v.t("overview_sampled", hours=hours, per_hour=minutes / hours)


def _overview(v: _View) -> str:
    agg = v.agg
    if agg.total == 0:
        return v.t("overview_zero", span=v.span())
    parts = [
        v.t(
            "overview_volume",
            span=v.span(),
            total=agg.total,
            organic=agg.organic,
            ads=agg.ads,
            ad_share=_pct(agg.ads, agg.total),
            authors=agg.unique_authors,
        )
    ]
    coverage = _coverage(v)
    if coverage:
        parts.append(coverage)
    sampled = _sampled(v)
    if sampled:
        parts.append(sampled)
    if v.ranked:
        briefs = [
            v.t(
                "topic_brief",
                label=v.label(topic),
                n=n,
                share=v.share(n),
                change=v.change_suffix(topic, n, v.t("comma"), note=False),
            )
            for topic, n in v.ranked[:TOPICS_IN_OVERVIEW]
        ]
        parts.append(v.t("overview_topics", topics=v.t("sep").join(briefs)))
    elif agg.organic:
        parts.append(v.t("overview_untagged"))
    partial = _partial(v) if agg.previous_topics else None
    if partial is not None:  # once, for every change the overview states against it
        first, last, hours = partial
        parts.append(
            v.t(
                "overview_prev_partial",
                first=f"{first:%m-%d %H:00}",
                last=f"{last:%m-%d %H:00}",
                hours=hours,
            )
        )
    trend = _trend_parts(v, note=False)
    if trend:
        parts.append(v.t("overview_trend", parts=v.t("semi").join(trend)))
    hot = v.hot_words()
    if hot:
        parts.append(v.hot_text("overview_terms", hot))
    peak = v.peak()
    if peak and not sampled:  # a sample's busiest hour is where the sampling put the most
        parts.append(v.t("overview_peak", hours=_hours_text(peak[0]), n=peak[1]))
    before = sum(n for n in agg.previous_topics.values() if n > 0)
    now = sum(n for _, n in v.ranked)
    if before and now and (sampled or max(before, now) < TREND_MIN_TWEETS):  # sample: counts
        parts.append(v.t("overview_prev_n", prev=before, cur=now))  # too few for a percentage
    elif before and now:
        parts.append(v.t("overview_prev", prev=before, cur=now, change=_change(now, before)))
    elif before:
        parts.append(v.t("overview_prev_zero", prev=before))
    if agg.late > 0:
        parts.append(v.t("overview_late", n=agg.late))
    return "".join(parts)


def _ratio(change: tuple[str, int, int]) -> float:
    _, now, before = change
    return (now - before) / before


def _trend_parts(v: _View, *, note: bool = True) -> list[str]:
    """Biggest riser, biggest faller and new topics against the previous window.

    A sampled window ranks and states changes of share (percentage points of the organic
    tweets, :func:`_share_points`), not of counts; a change against a partial previous window
    (:func:`_partial`) says so, unless ``note`` is false (the overview says it once)."""
    previous = v.agg.previous_topics
    if not previous:
        return []
    changes = [(topic, n, previous[topic]) for topic, n in v.ranked if previous.get(topic, 0) > 0]
    for topic, before in sorted(previous.items()):
        if before > 0 and v.agg.topics.get(topic, 0) <= 0:
            changes.append((topic, 0, before))
    changes = [c for c in changes if max(c[1], c[2]) >= TREND_MIN_TWEETS]
    parts: list[str] = []
    points = {c: _share_points(v, c[1], c[2]) for c in changes}
    if v.agg.previous is not None and all(p is not None for p in points.values()) and points:
        organic = v.agg.previous.organic
        pp = {c: p or 0.0 for c, p in points.items()}
        gains = sorted((c for c in changes if pp[c] > 0), key=lambda c: (-pp[c], -c[1], c[0]))
        losses = sorted((c for c in changes if pp[c] < 0), key=lambda c: (pp[c], -c[2], c[0]))
        for key, ranked in (("trend_rise_share", gains), ("trend_fall_share", losses)):
            if ranked:
                topic, n, before = ranked[0]
                parts.append(
                    v.t(
                        key,
                        label=v.label(topic),
                        before=_pct(before, organic),
                        now=v.share(n),
                        change=f"{pp[ranked[0]]:+.1f}",
                    )
                )
    else:
        partial = _partial(v) if note else None
        risers = sorted(
            (c for c in changes if _ratio(c) > 0), key=lambda c: (-_ratio(c), -c[1], c[0])
        )
        fallers = sorted(
            (c for c in changes if _ratio(c) < 0), key=lambda c: (_ratio(c), -c[2], c[0])
        )
        for key, ranked in (("trend_rise", risers), ("trend_fall", fallers)):
            if ranked:
                topic, n, before = ranked[0]
                change = _change(n, before)
                if partial is not None:  # once: the sentence's other change reads with it
                    change = v.t("trend_partial", change=change, hours=partial[2])
                    partial = None
                parts.append(v.t(key, label=v.label(topic), change=change))
    new = [v.label(topic) for topic, _ in v.ranked if previous.get(topic, 0) <= 0]
    if new:
        parts.append(v.t("trend_new", labels=v.t("sep").join(new[:3])))
    return parts


# --- key points -----------------------------------------------------------------------------
class _Points:
    """An ordered, duplicate-free list of points with the set of tweets already cited."""

    def __init__(self, view: _View) -> None:
        self.view = view
        self.items: list[KeyPoint] = []
        self.cited: set[str] = set()

    def add(self, text: str, ids: Iterable[str] = (), quoted: TweetRecord | None = None) -> bool:
        """Append the point unless the list is full or has it; ``quoted`` is the tweet whose
        text it quotes (recorded, so the report does not quote that text again)."""
        if len(self.items) >= KEY_POINTS or any(p.text == text for p in self.items):
            return False
        ids = list(dict.fromkeys(ids))
        self.items.append(KeyPoint(text=text, tweet_ids=ids))
        self.cited.update(ids)
        if quoted is not None:
            self.view.mark(quoted)
        return True

    @property
    def free(self) -> int:
        return KEY_POINTS - len(self.items)


_Cited = tuple[str, list[str], TweetRecord | None]
"""A point's text, the ids it cites and the tweet whose text it quotes."""


def _topic_point(v: _View, topic: str, n: int, cited: set[str]) -> _Cited:
    """The topic's volume quoting its top tweet whose text the report has not quoted yet (one
    not cited yet first), citing a further uncited top tweet with another text."""
    top = v.top_of(topic)
    if not top:
        return v.t("kp_topic_no_records", label=v.label(topic), n=n), [], None
    fresh = [tw for tw in top if v.fresh(tw)]
    first = ([tw for tw in fresh if tw.id not in cited] or fresh or top)[0]
    rest = [tw for tw in top if tw.id not in cited and v.key(tw) != v.key(first)]
    chosen = [first, *rest][:CITES_PER_POINT]
    change = v.change_suffix(topic, n, v.t("comma"))
    head = v.t("kp_topic", label=v.label(topic), n=n, share=v.share(n), change=change)
    text = v.t("kp_topic_quote", head=head, quote=v.quote(first))
    return text, [tw.id for tw in chosen], first


def _tweet_point(v: _View, tweet: TweetRecord) -> _Cited:
    label = v.label(v.topic_of(tweet))
    text = v.t("kp_tweet", label=label, engagement=tweet.score, quote=v.quote(tweet))
    return text, [tweet.id], tweet


def _hour_point(v: _View, start: datetime, n: int, key: str) -> _Cited | None:
    """The hour's volume quoting a top tweet posted in it (one whose text is not quoted yet,
    when there is one); ``None`` when no top tweet was posted in that hour."""
    end = start + timedelta(hours=1)
    during = [tw for tw in v.tweets if start <= tw.created_at < end]
    if not during:
        return None
    tweet = next((tw for tw in during if v.fresh(tw)), during[0])
    tz = v.agg.window.utc_offset
    if key == "kp_peak" and _is_sampled(v):  # a sample's busiest hour: where it sampled most
        key = "kp_hour"
    text = v.t(key, hours=_hours_text(start), tz=tz, n=n, quote=v.quote(tweet))
    return text, [tweet.id], tweet


def _terms_point(v: _View) -> list[tuple[str, list[str]]]:
    """The hot words, citing top tweets that contain one of the first three (if any does)."""
    hot = v.hot_words()
    ids = v.tweets_mentioning(w.term.lstrip("#$") for w in hot[:3])
    return [(v.hot_text("kp_terms", hot), ids)] if ids else []


def _cited_points(v: _View) -> list[KeyPoint]:
    """Ten points, each citing top tweets that support it (the window has some): the topics,
    further tweets by engagement, the top terms, the busiest hour, the other hours, then (in
    a small window) every tweet not quoted yet and plain "limited data" points."""
    points = _Points(v)
    for topic, n in v.ranked:
        text, ids, quoted = _topic_point(v, topic, n, points.cited)
        if ids:
            points.add(text, ids, quoted)
    terms = _terms_point(v)
    hours = v.hours()
    peak_cited = bool(hours) and _hour_point(v, *hours[0], "kp_peak") is not None
    room = points.free - len(terms) - peak_cited
    for tweet in (tw for tw in v.tweets if tw.id not in points.cited and v.fresh(tw)):
        if room <= 0:
            break
        if points.add(*_tweet_point(v, tweet)):
            room -= 1
    for text, ids in terms:
        points.add(text, ids)
    for k, (start, n) in enumerate(hours):
        if not points.free:
            break
        hour = _hour_point(v, start, n, "kp_peak" if k == 0 else "kp_hour")
        if hour is not None:
            points.add(*hour)
    for tweet in v.tweets:  # small windows: tweets cited (not quoted) by a topic point
        if points.free and v.fresh(tweet):
            points.add(*_tweet_point(v, tweet))
    everything = [tw.id for tw in v.tweets]  # every record is quoted by now (fewer than ten)
    k = len(points.items)
    while points.free:
        k += 1
        points.add(v.t("kp_limited", k=len(everything), i=k), everything)
    return points.items


def _missing_data(v: _View) -> list[str]:
    agg = v.agg
    missing = []
    if not v.terms():
        missing.append(v.t("kp_no_terms"))
    if v.peak() is None:
        missing.append(v.t("kp_no_hours"))
    if not agg.previous_topics:
        missing.append(v.t("kp_no_prev"))
    if agg.ads == 0:
        missing.append(v.t("kp_no_ads"))
    return missing


def _no_data_points(v: _View) -> list[KeyPoint]:
    """Ten uncited points that say plainly what is missing (the window has no tweet record)."""
    agg = v.agg
    points = _Points(v)
    if agg.total == 0:
        points.add(v.t("kp_volume_zero", span=v.span()))
    else:
        head = v.t(
            "kp_no_records", span=v.span(), total=agg.total, organic=agg.organic, ads=agg.ads
        )
        points.add(head)
    for topic, n in v.ranked:
        points.add(v.t("kp_topic_no_records", label=v.label(topic), n=n))
    active = {topic for topic, _ in v.ranked}
    silent = [topic for topic in v.labels if topic not in active]
    if silent and points.free:
        alone = silent if len(silent) <= points.free else silent[: points.free - 1]
        for topic in alone:
            points.add(v.t("kp_no_topic", label=v.label(topic)))
        rest = silent[len(alone) :]
        if rest:
            names = v.t("sep").join(v.label(topic) for topic in rest)
            points.add(v.t("kp_no_topics_rest", labels=names, n=len(rest)))
    for text in _missing_data(v):
        points.add(text)
    k = len(points.items)
    while points.free:
        k += 1
        points.add(v.t("kp_filler", k=k))
    return points.items


def _key_points(v: _View) -> list[KeyPoint]:
    return _cited_points(v) if v.tweets else _no_data_points(v)


# --- detailed analysis ----------------------------------------------------------------------
def _insights(v: _View, used: set[str], stories: Collection[str] = ()) -> list[Point]:
    """The topics' weight and trend, then top tweets that are no event and of no story
    (``stories``: ids the key events tell)."""
    if not v.tweets and not v.ranked:
        return [Point(text=v.t("ins_none"))]
    out: list[Point] = []
    if v.ranked:
        topic, n = v.ranked[0]
        text = v.t("ins_lead", label=v.label(topic), n=n, share=v.share(n))
        others = [v.t("counted", name=v.label(t), n=c) for t, c in v.ranked[1:3]]
        if others:
            text += v.t("ins_follow", others=v.t("sep").join(others))
        out.append(Point(text=text + v.t("end_punct")))
    trend = _trend_parts(v)
    if trend:
        out.append(Point(text=v.t("ins_trend", parts=v.t("semi").join(trend))))
    for tweet in v.tweets:
        if len(out) >= MAX_INSIGHTS:
            break
        if tweet.id in used or tweet.id in stories or _event_like(tweet.text):
            continue
        if not v.fresh(tweet):
            continue
        label = v.label(v.topic_of(tweet))
        text = v.t("ins_quote", quote=v.quote(tweet), label=label, engagement=tweet.score)
        out.append(Point(text=text, tweet_ids=[tweet.id]))
        used.add(tweet.id)
        v.mark(tweet)
    return out


def _bursts(v: _View, used: set[str]) -> list[Point]:
    """The bursts the worker's detector reported (topics first, then the strongest terms),
    each citing a top tweet posted while it ran (one not cited yet, when there is one); a burst
    without such a tweet cites nothing."""
    zone = v.agg.window.start.tzinfo
    topics = [b for b in v.agg.bursts if b.kind == "topic"]
    terms = sorted((b for b in v.agg.bursts if b.kind != "topic"), key=lambda b: -b.peak_z)
    out = []
    for b in (topics + terms)[:MAX_BURSTS]:
        until = (
            v.t("ev_burst_end", end=f"{b.closed_at.astimezone(zone):%H:%M}")
            if b.closed_at is not None
            else v.t("ev_burst_open")
        )
        name = v.label(b.name) if b.kind == "topic" else b.name
        text = v.t(
            "ev_burst",
            name=name,
            start=f"{b.opened_at.astimezone(zone):%H:%M}",
            rate=b.rate,
            base=b.baseline,
            z=b.peak_z,
            until=until,
        )
        end = b.closed_at or v.agg.window.end
        during = [
            tw
            for tw in (v.top_of(b.name) if b.kind == "topic" else v.tweets)
            if b.opened_at - BURST_LEAD <= tw.created_at <= end
            and (b.kind == "topic" or b.name.casefold() in tw.text.casefold())
        ]
        fresh = [tw for tw in during if tw.id not in used] or during
        ids = [fresh[0].id] if fresh else []
        used.update(ids)
        out.append(Point(text=text, tweet_ids=ids))
    return out


# --- stories: what many authors talk about --------------------------------------------------
MIN_STORY_AUTHORS: Final = 3
"""Distinct authors among the top tweets (a retweet counts for its original author) who must
mention a term for it to be one of the day's stories."""
STORY_MAX_SHARE: Final = 0.4
"""A term in more than this share of the window's top tweets is the stream's background (once
there are :data:`STORY_SHARE_MIN_TWEETS` of them), not a story."""
STORY_SHARE_MIN_TWEETS: Final = 20
STORY_TERMS: Final = 3  # a story is named by at most this many of its terms ("Italy", "ban")
STORY_MIN_LETTERS: Final = 3  # "tv", "pc", "ia" say too little
STORY_MIN_CJK: Final = 3  # 能力, 工具, 教程 neither: a CJK term needs three characters (意大利)
STORY_MIN_PROSE: Final = 2
"""Tweets that must write a story's term in their words, not only as a hashtag: ``#AINews``,
``#GenAI``, ``#tech`` tag tweets of every kind, a story is something people write about."""
BACKGROUND_TERMS: Final = frozenset(
    {
        "ai", "gpt", "llm", "llms", "chatbot", "chatbots", "aichatbot", "artificialintelligence",
        "generativeai", "machinelearning", "prompt", "prompts", "promptengineering", "api",
        "openai", "bot", "bots", "free", "thread", "人工智能", "大模型", "聊天机器人",
    }
)  # fmt: skip
""":func:`~summarizer.hotwords.letters` of an AI stream's everyday words (``#AI``, ``GPT-4``,
``gpt4``, ``OpenAI``): each is in many unrelated top tweets of any day, so none is a story."""

_WORDS = re.compile(r"[^\W_]+")
_STEM_SUFFIXES: Final = ("ians", "ian", "ienne", "ien", "ies", "ing", "ia", "ie", "es", "ed", "s")
_STEM_SUFFIXES_Y: Final = (*_STEM_SUFFIXES, "y")


def _stem(word: str) -> str:
    """A light, language-blind stem so a story's spellings meet: Italy, Italian, Italia,
    Italien → ``ital``; ban, bans, banned, banning → ``ban``; leaked → ``leak``."""
    if not word.isalpha() or _CJK.search(word):
        return word
    for suffix in _STEM_SUFFIXES_Y:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # bann(ed) → ban
    return word


_LIST_ITEM = re.compile(r"(?:^|(?<=\s))([1-9]\d?)[.)、]\s*(?=\S)")
LIST_MIN_ITEMS: Final = 3


def _heading(text: str) -> str:
    """What a tweet talks about: a list ("15 AI tools: 1. ChatGPT 2. Midjourney 3. …", items
    1, 2, 3, … in order) only in the words before its item 1, since a list names things in
    passing; any other text whole."""
    clean = _without_links(text)
    start, expected = -1, 1
    for item in _LIST_ITEM.finditer(clean):
        number = int(item.group(1))
        if number == 1:
            start, expected = item.start(), 2
        elif start >= 0 and number == expected:
            expected += 1
            if expected > LIST_MIN_ITEMS:
                return clean[:start].rstrip()
    return clean


def _stems(text: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _WORDS.findall(text.casefold()))


def _term_key(term: str) -> tuple[str, ...]:
    """What a top tweet must contain to mention ``term``: its word stems in order, or (a CJK
    term) the term itself as a substring; ``()`` for a term too short or too common to tell a
    story (see :data:`BACKGROUND_TERMS`)."""
    folded = term.casefold().lstrip("#$")
    if _CJK.search(folded):
        cjk = len(_CJK.findall(folded)) >= STORY_MIN_CJK and folded not in BACKGROUND_TERMS
        return (folded,) if cjk else ()
    if len(letters(folded)) < STORY_MIN_LETTERS or letters(folded) in BACKGROUND_TERMS:
        return ()
    return tuple(_stem(w) for w in _WORDS.findall(folded))


def _mentions(key: tuple[str, ...], stems: tuple[str, ...], folded: str) -> bool:
    if len(key) == 1 and _CJK.search(key[0]):
        return key[0] in folded
    n = len(key)
    return any(stems[i : i + n] == key for i in range(len(stems) - n + 1))


def _author_key(tweet: TweetRecord) -> str:
    """Who said it: a retweet's original author, else the author (the id when unknown)."""
    retweet = split_retweet(tweet.text)
    return ((retweet[0] if retweet else tweet.author) or f"id:{tweet.id}").casefold()


def _authors(tweets: Iterable[TweetRecord]) -> int:
    return len({_author_key(tw) for tw in tweets})


def _voices(tweets: Collection[TweetRecord]) -> int:
    """Distinct authors with distinct texts: three accounts posting one text are one voice."""
    return min(_authors(tweets), len({_View.key(tw) for tw in tweets}))


@dataclass(slots=True)
class _Story:
    """A term many authors of the window's top tweets mention, and those tweets."""

    terms: list[str]  # as a tweet wrote each ("Italy"), then the same story's other terms
    tweets: tuple[TweetRecord, ...]  # in quote order (readable first, then by engagement)
    authors: int


def _surface(term: str, tweets: Iterable[TweetRecord]) -> str:
    """``term`` spelled as the first of ``tweets`` containing it writes it (``Italy``)."""
    for tweet in tweets:
        folded = tweet.text.casefold()
        at = folded.find(term)
        if at >= 0 and len(folded) == len(tweet.text):
            return tweet.text[at : at + len(term)]
    return term


_TAGS = re.compile(r"[#$][^\W_][\w-]*")


def _prose_mentions(key: tuple[str, ...], text: str) -> list[str]:
    """How ``text`` writes the term ``key`` in its words (hashtags and cashtags left out), one
    spelling per mention (``["Italy"]``)."""
    prose = _TAGS.sub(" ", text)
    if len(key) == 1 and _CJK.search(key[0]):
        return [key[0]] * prose.casefold().count(key[0])
    words = _WORDS.findall(prose)
    stems = [_stem(w.casefold()) for w in words]
    n = len(key)
    return [
        " ".join(words[i : i + n])
        for i in range(len(words) - n + 1)
        if tuple(stems[i : i + n]) == key
    ]


def _named(term: str, spellings: Collection[str]) -> bool:
    """Whether a term names an entity or an event: a CJK term (three characters or more, see
    :data:`STORY_MIN_CJK`), a news word (:data:`_NEWS`: "banning"), or a word half or more of
    its mentions write with a capital (Italy, Midjourney, GPT-4; not "agents", "tech")."""
    if _CJK.search(term) or _NEWS.search(term):
        return True
    capital = sum(1 for spelling in spellings if any(ch.isupper() for ch in spelling))
    return 2 * capital >= len(spellings) > 0


def _common_topics(tweets: Collection[TweetRecord]) -> set[str]:
    """The topics half or more of ``tweets`` carry."""
    carried = Counter(topic for tw in tweets for topic in set(tw.topics))
    return {topic for topic, n in carried.items() if 2 * n >= len(tweets)}


def _specific(v: _View, members: Collection[TweetRecord]) -> bool:
    """Whether a term's tweets keep to a topic: half or more of them carry one, all of them or
    a larger share of them than of the window's top tweets (``#tech`` tweets spread over
    markets, chips and apps, 信息量 "a lot to take in" follows any subject: neither is a story;
    Italy's ban is 政策与监管 on an apps-heavy day)."""
    window = Counter(topic for tw in v.tweets for topic in set(tw.topics))
    carried = Counter(topic for tw in members for topic in set(tw.topics))
    return any(
        n == len(members) or n * len(v.tweets) > window[topic] * len(members)
        for topic, n in carried.items()
        if 2 * n >= len(members)
    )


def _stories(v: _View) -> list[_Story]:
    """The day's stories: the window's emerging terms that :data:`MIN_STORY_AUTHORS` or more
    distinct authors of its top tweets mention (spellings with one stem are one term; the
    stream's background words are none), most authors first (then most tweet texts, the
    term's count in the window, the term; not its rise, as the hot words are: a story rests on
    its authors among the top tweets, and the background is left out by its share of them). A
    story's term is written in the words of :data:`STORY_MIN_PROSE` tweets or more, not only as
    a hashtag; names an entity or event (:func:`_named`); and its tweets keep to a topic
    (:func:`_specific`): #AINews, #tech, "agents", 信息量 are no stories.

    A top tweet tells one story: each chosen story takes its tweets from the later ones, and a
    term whose tweets are mostly taken already is the same story (Italy, then "banning")."""
    tweets = v.tweets
    heads = {tw.id: _heading(tw.text) for tw in tweets}
    stems = {tw.id: _stems(heads[tw.id]) for tw in tweets}
    folded = {tw.id: heads[tw.id].casefold() for tw in tweets}
    background = STORY_MAX_SHARE * len(tweets) if len(tweets) >= STORY_SHARE_MIN_TWEETS else None
    candidates: list[tuple[str, float, list[TweetRecord]]] = []
    seen: set[tuple[str, ...]] = set()
    for term, count in v.terms():
        key = _term_key(term)
        if not key or key in seen:
            continue
        seen.add(key)
        members = [tw for tw in tweets if _mentions(key, stems[tw.id], folded[tw.id])]
        if _voices(members) < MIN_STORY_AUTHORS:
            continue
        if background is not None and len(members) > background:
            continue
        spellings = {tw.id: _prose_mentions(key, heads[tw.id]) for tw in members}
        if sum(1 for found in spellings.values() if found) < STORY_MIN_PROSE:
            continue  # a tag, not something people write about
        if not _named(term, [sp for found in spellings.values() for sp in found]):
            continue
        if not _specific(v, members):
            continue
        candidates.append((term, count, members))
    stories: list[_Story] = []
    taken: set[str] = set()
    while candidates and len(stories) < MAX_EVENTS:
        ranked = []
        for term, count, members in candidates:
            left = [tw for tw in members if tw.id not in taken]
            if stories and 2 * len(left) <= len(members):
                # the same story as one chosen (most of its tweets are taken): name it there
                ids = _ids(members)
                same = max(stories, key=lambda st: len(_ids(st.tweets) & ids))
                if len(same.terms) < STORY_TERMS:
                    same.terms.append(_surface(term, members))
                continue
            if _voices(left) >= MIN_STORY_AUTHORS:
                texts = len({v.key(tw) for tw in left})
                ranked.append(((-_authors(left), -texts, -count, term), term, count, left))
        if not ranked:
            break
        ranked.sort(key=lambda item: item[0])
        _, term, _, left = ranked[0]
        taken.update(tw.id for tw in left)
        stories.append(_Story([_surface(term, left)], tuple(left), _authors(left)))
        candidates = [(t, c, m) for _, t, c, m in ranked[1:]]
    return stories


def _ids(tweets: Iterable[TweetRecord]) -> set[str]:
    return {tw.id for tw in tweets}


def _story_topic(v: _View, story: _Story) -> str:
    """The most specific topic (least volume in the window) that half or more of the story's
    tweets carry (Italy's ban: 政策与监管, not 应用与智能体 that nearly every tweet carries);
    else the topic most of them carry."""
    carried = Counter(topic for tw in story.tweets for topic in tw.topics)
    if not carried:
        return ""
    volume = v.agg.topics
    common = [t for t, n in carried.items() if 2 * n >= len(story.tweets)]
    if common:
        return min(common, key=lambda t: (volume.get(t, 0), t))
    return min(carried, key=lambda t: (-carried[t], t))


def _on_topic(story: _Story) -> list[TweetRecord]:
    """The story's tweets, those most about it first: carrying more of its terms ("Italy" and
    "ban"), then more of the topics half or more of its tweets carry (Italy's ChatGPT ban is
    政策与监管 and 应用与智能体; a tweet on Italy's ban of insects in pasta carries the first
    only), then in quote order."""
    keys = [key for key in map(_term_key, story.terms) if key]
    common = _common_topics(story.tweets)

    def about(tweet: TweetRecord) -> tuple[int, int]:
        head = _heading(tweet.text)
        stems, folded = _stems(head), head.casefold()
        terms = sum(1 for key in keys if _mentions(key, stems, folded))
        return (-terms, -len(common & set(tweet.topics)))

    return sorted(story.tweets, key=about)


def _story_point(v: _View, story: _Story, used: set[str]) -> Point | None:
    """The story, quoting its tweet most about it (:func:`_on_topic`; then the most engaged
    readable one) whose text is not quoted yet, citing one more tweet of it from another
    author."""
    tweets = [tw for tw in _on_topic(story) if tw.id not in used]
    if not tweets:
        return None
    first = v.by_freshness(tweets)[0]
    other = [tw for tw in tweets if _author_key(tw) != _author_key(first)][: CITES_PER_POINT - 1]
    terms = v.t("terms_sep").join(story.terms)
    label = v.label(_story_topic(v, story))
    quote = v.quote(first, about=story.terms)  # the excerpt shows the term
    text = v.t("ev_story", label=label, n=story.authors, term=terms, quote=quote)
    ids = [first.id, *(tw.id for tw in other)]
    used.update(ids)
    v.mark(first)
    return Point(text=text, tweet_ids=ids)


def _events(
    v: _View, used: set[str], stories: Iterable[_Story] = ()
) -> tuple[list[Point], list[Point]]:
    """(the key events, each citing a tweet; bursts no top tweet supports, for the insights).

    Bursts a top tweet supports first, then the day's stories (:func:`_stories`), then
    top tweets of no story yet that report news (bans, leaks, lawsuits, ... :data:`_NEWS`),
    then those that announce a launch (:data:`_LAUNCH`: every day's top tweets have some, many
    of them promotion), each by engagement.
    Without any of those, the event is the most engaged tweet."""
    if not v.tweets:
        return [Point(text=v.t("ev_none"))], []
    bursts = _bursts(v, used)
    out = [b for b in bursts if b.tweet_ids]
    told: set[str] = set()
    for story in stories:
        if len(out) >= MAX_EVENTS:
            break
        point = _story_point(v, story, used)
        if point is not None:
            out.append(point)
            told.update(tw.id for tw in story.tweets)
    news = [tw for tw in v.tweets if _NEWS.search(tw.text)]
    launches = [tw for tw in v.tweets if _LAUNCH.search(tw.text) and not _NEWS.search(tw.text)]
    for tweet in (*news, *launches):
        if len(out) >= MAX_EVENTS:
            break
        if tweet.id in used or tweet.id in told or not v.fresh(tweet):
            continue
        found = _NEWS.search(tweet.text) or _LAUNCH.search(tweet.text)
        about = [found.group()] if found else []  # the excerpt shows the news word
        quote = v.quote(tweet, about=about)
        text = v.t("ev_quote", label=v.label(v.topic_of(tweet)), quote=quote)
        out.append(Point(text=text, tweet_ids=[tweet.id]))
        used.add(tweet.id)
        v.mark(tweet)
    if not out:
        unused = [tw for tw in v.tweets if tw.id not in used]
        tweet = next(iter(v.by_freshness(unused or v.tweets)))
        text = v.t("ev_top", label=v.label(v.topic_of(tweet)), quote=v.quote(tweet))
        out.append(Point(text=text, tweet_ids=[tweet.id]))
        used.add(tweet.id)
        v.mark(tweet)
    return out, [b for b in bursts if not b.tweet_ids]


def _quotes(v: _View, topic: str, avoid: set[str], limit: int) -> list[Point]:
    """Up to ``limit`` top tweets of ``topic`` whose texts the report has not quoted yet (none
    when every text is already quoted: a section then gives its numbers only)."""
    top = v.by_freshness(v.top_of(topic))
    chosen = [tw for tw in top if tw.id not in avoid and v.fresh(tw)][:limit]
    avoid.update(tw.id for tw in chosen)
    out = [Point(text=v.quote(tw), tweet_ids=[tw.id]) for tw in chosen]
    for tweet in chosen:
        v.mark(tweet)
    return out


def _market(v: _View, used: set[str]) -> list[Point]:
    lead = v.t("comma")
    out: list[Point] = []
    for topic, n in v.ranked:
        if topic not in v.market:
            continue
        change = v.change_suffix(topic, n, lead)
        out.append(
            Point(text=v.t("mk_topic", label=v.label(topic), n=n, share=v.share(n), change=change))
        )
        out.extend(_quotes(v, topic, used, 1))
    tags = [(term, n) for term, n in v.terms() if term.startswith("$")][:TERMS_SHOWN]
    if tags:
        ids = v.tweets_mentioning(term for term, _ in tags[:3])
        out.append(Point(text=v.t("mk_cashtags", tags=v.terms_text(tags)), tweet_ids=ids))
    return out or [Point(text=v.t("mk_none"))]


def _sections(v: _View, topics: Iterable[str], empty: str, avoid: set[str]) -> list[Section]:
    lead = v.t("comma")
    counts = dict(v.ranked)
    out = []
    for topic in topics:
        n = counts[topic]
        stat = v.t("sec_stat", n=n, share=v.share(n), change=v.change_suffix(topic, n, lead))
        points = [Point(text=stat), *_quotes(v, topic, avoid, QUOTES_PER_SECTION)]
        out.append(Section(title=v.label(topic), points=points))
    if not out:
        out.append(Section(title=v.t("sec_none_title"), points=[Point(text=v.t(empty))]))
    return out


def build_extractive(
    agg: WindowAggregates,
    labels: Mapping[str, str],
    lang: Lang = "zh",
    reason: str | None = None,
    *,
    mode: Literal["extractive", "fallback"] = "extractive",
    market_topics: Collection[str] = MARKET_TOPICS,
    finance_topics: Collection[str] = FINANCE_TOPICS,
    quote_max_ad_score: float = QUOTE_MAX_AD_SCORE,
) -> Report:
    """Build the report from numbers and top tweets only (deterministic, no LLM).

    ``labels`` maps topic id → label in ``lang`` (taxonomy order: topics without discussion are
    listed in that order). ``reason`` becomes ``mode_note`` (default: "no LLM configured");
    ``mode="fallback"`` marks a report built because the LLM step failed. Top tweets whose ad
    score reaches ``quote_max_ad_score`` are counted but never quoted nor cited.
    """
    v = _View(
        agg, labels, _TEXT[lang], market_topics, READABLE[lang], max_ad_score=quote_max_ad_score
    )
    # Built in the order the report reads: a tweet text is quoted once, where it first appears.
    key_points = _key_points(v)
    stories = _stories(v) if v.tweets else []
    used: set[str] = set()
    insights = _insights(v, used, {tw.id for story in stories for tw in story.tweets})
    events, uncited_bursts = _events(v, used, stories)
    ai_topics = [t for t, _ in v.ranked if t not in finance_topics]
    fin_topics = [t for t, _ in v.ranked if t in finance_topics]
    market_used: set[str] = set()
    market = _market(v, market_used)
    ai_sections = _sections(v, ai_topics, "ai_none", set())
    return Report(
        overview=_overview(v),
        key_points=key_points,
        insights=[*insights, *uncited_bursts],
        events=events,
        market=market,
        ai_sections=ai_sections,
        finance_sections=_sections(v, fin_topics, "fin_none", market_used),
        ad_note=AdNote.from_counts(agg.total, agg.ads, agg.ad_reasons),
        mode=mode,
        mode_note=reason if reason is not None else v.t("reason"),
    )
