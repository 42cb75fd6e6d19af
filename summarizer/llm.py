"""The LLM path of the daily report, through the official ``openai`` client.

Works with OpenAI and any server speaking the chat-completions wire format (DeepSeek,
Moonshot/Kimi, vLLM, Ollama): set ``TWEETPULSE_OPENAI_BASE_URL`` and/or
``TWEETPULSE_OPENAI_API_KEY`` (``TWEETPULSE_REPORT_MODE=auto`` then uses the LLM).

One window, step by step:

1. the top tweets of every discussed topic are chosen (:func:`~summarizer.prompt.select_tweets`);
   if their digest is larger than ``llm_prompt_chars``, each topic is first condensed into cited
   notes (map), and the final call sees the notes instead (reduce);
2. the final call asks for a :class:`~summarizer.prompt.Draft` with ``response_format``
   ``json_schema`` (strict). A server that rejects that with HTTP 400 naming the response
   format is asked again, for this and later calls, with ``json_object`` and the schema in
   the system prompt; the answer is validated by pydantic either way;
3. an answer that is not JSON, does not validate, cites ids that were not given, or leaves a
   top topic uncovered gets ONE repair turn that lists what is wrong;
4. :func:`~summarizer.grounding.ground` publishes only well-cited points (exactly ten key
   points, filled from the extractive report when needed) and the program adds the ad note,
   ``mode`` and ``mode_note``.

Whatever fails — timeout, HTTP 429/5xx/4xx, no connection, invalid answers after the repair,
no grounded key point, or a bug — the window still gets a report: the extractive one with
``mode="fallback"`` and the reason in the report's language. Operator action: the log line
``LLM report … failed (<outcome>)`` names the outcome; ``tweetpulse_llm_requests_total``
counts requests by outcome.

The API key is handed to the client and nowhere else: it is never logged, never put into an
exception message (openai errors are not chained, their messages are not logged) and never
reaches the report; an unexpected traceback is logged with the key redacted.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from openai import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    OpenAI,
    RateLimitError,
)
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionMessageParam,
    ChatCompletionSystemMessageParam,
    ChatCompletionUserMessageParam,
)
from openai.types.chat.completion_create_params import ResponseFormat

from streams import metrics as m
from streams.aggregates import TweetRecord, WindowAggregates
from streams.errors import ConfigError, ReportError
from streams.settings import Settings
from summarizer.extractive import build_extractive, excerpt
from summarizer.grounding import Grounded, check, coverage_problems, ground
from summarizer.prompt import (
    NOTES_PER_TOPIC,
    Draft,
    Lang,
    Message,
    Notes,
    TopicTweets,
    fit_topic,
    notes_block,
    notes_messages,
    parse_answer,
    repair_message,
    report_messages,
    schema_instruction,
    select_tweets,
    stats_block,
    strict_schema,
    top_topics,
    topics_of,
    tweets_block,
)
from summarizer.report import Point, Report

log = logging.getLogger("tweetpulse.summarizer.llm")

Outcome = Literal[
    "ok", "invalid_json", "invalid_schema", "ungrounded", "timeout", "http_error", "rate_limited"
]

DEFAULT_BASE_URL: Final = "https://api.openai.com/v1"
KEYLESS: Final = "unused"
"""Sent as the key to a base-URL-only server (vLLM, Ollama); the client insists on one."""
REPORT_SCHEMA: Final = strict_schema(Draft)
NOTES_SCHEMA: Final = strict_schema(Notes)
RAW_NOTES: Final = 3
"""Tweets that stand in for a topic's notes when its map call gives nothing usable."""
_ECHO_CHARS: Final = 60_000

_REASONS: Final[dict[str, dict[str, str]]] = {
    "zh": {
        "timeout": "LLM 请求超时（超过 {seconds:g} 秒）",
        "rate_limited": "LLM 服务限流（HTTP 429）",
        "http": "LLM 服务返回错误（HTTP {status}）",
        "connection": "无法连接 LLM 服务",
        "bad_response": "LLM 服务返回了无法解析的响应（不是聊天补全格式）",
        "invalid_json": "LLM 返回的内容不是有效的 JSON（已要求修复一次）",
        "invalid_schema": "LLM 返回的 JSON 不符合报告结构（已要求修复一次）",
        "ungrounded": "LLM 的核心信息点均未引用本窗口提供的推文",
        "crash": "LLM 步骤出现意外错误（详见服务日志）",
        "no_tweets": "本窗口没有可供 LLM 分析的非广告推文",
        "forced": "已按设置使用抽取式模式（TWEETPULSE_REPORT_MODE=extractive），未调用 LLM",
    },
    "en": {
        "timeout": "the LLM request timed out (after {seconds:g} s)",
        "rate_limited": "the LLM service rate-limited the request (HTTP 429)",
        "http": "the LLM service returned an error (HTTP {status})",
        "connection": "could not connect to the LLM service",
        "bad_response": "the LLM service answered with something that is not a chat completion",
        "invalid_json": "the LLM did not return valid JSON (one repair was requested)",
        "invalid_schema": "the LLM's JSON did not match the report structure "
        "(one repair was requested)",
        "ungrounded": "none of the LLM's key points cited tweets given from this window",
        "crash": "the LLM step failed unexpectedly (see the service log)",
        "no_tweets": "no organic tweets in this window for the LLM to analyse",
        "forced": "extractive mode was chosen by setting (TWEETPULSE_REPORT_MODE=extractive); "
        "no LLM was called",
    },
}


class LLMFailure(ReportError):
    """The LLM step cannot give a usable report; the caller writes the extractive fallback."""

    def __init__(self, *, outcome: Outcome, why: str | None = None, **values: object) -> None:
        why = why or outcome
        self.outcome = outcome
        self.why = why
        self.values = values
        super().__init__(f"LLM step failed: {outcome} ({why})")

    def reason(self, lang: Lang) -> str:
        """Why, in the report's language (goes into the report's mode note)."""
        return _REASONS[lang][self.why].format(**self.values)


# --- settings -------------------------------------------------------------------------------
def llm_configured(settings: Settings) -> bool:
    key = settings.openai_api_key
    return bool(key is not None and key.get_secret_value()) or bool(settings.openai_base_url)


def llm_enabled(settings: Settings) -> bool:
    """Whether reports go through the LLM (``report_mode`` auto/llm/extractive).

    Raises ConfigError for ``llm`` without an API key or base URL: checked at start-up.
    """
    if settings.report_mode == "extractive":
        return False
    configured = llm_configured(settings)
    if settings.report_mode == "llm" and not configured:
        msg = (
            "TWEETPULSE_REPORT_MODE=llm (or --llm) needs an LLM server: set "
            "TWEETPULSE_OPENAI_API_KEY and/or TWEETPULSE_OPENAI_BASE_URL, or use --extractive"
        )
        raise ConfigError(msg)
    return configured


def _api_key(settings: Settings) -> str:
    key = settings.openai_api_key
    return key.get_secret_value() if key is not None and key.get_secret_value() else KEYLESS


def make_client(settings: Settings) -> OpenAI:
    """The openai client for ``settings`` (nothing taken from OPENAI_* environment variables)."""
    return OpenAI(
        api_key=_api_key(settings),
        base_url=settings.openai_base_url or DEFAULT_BASE_URL,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
    )


# --- one conversation -----------------------------------------------------------------------
def _wire(
    messages: Sequence[Message], schema: Mapping[str, Any] | None
) -> list[ChatCompletionMessageParam]:
    """Our messages as chat-completions params (schema appended to the system prompt)."""
    out: list[ChatCompletionMessageParam] = []
    for msg in messages:
        if msg.role == "system":
            text = msg.content + (schema_instruction(schema) if schema is not None else "")
            out.append(ChatCompletionSystemMessageParam(role="system", content=text))
        elif msg.role == "user":
            out.append(ChatCompletionUserMessageParam(role="user", content=msg.content))
        else:
            out.append(ChatCompletionAssistantMessageParam(role="assistant", content=msg.content))
    return out


def _rejects_json_schema(exc: BadRequestError) -> bool:
    """A 400 that names the response format: the server lacks structured outputs."""
    body = json.dumps(exc.body, default=str) if exc.body is not None else ""
    text = f"{exc.message} {body}".lower()
    return "response_format" in text or "json_schema" in text


def record(outcome: Outcome) -> None:
    m.LLM_REQUESTS.labels(outcome).inc()


@dataclass
class ChatSession:
    """The requests of one report; remembers whether the server takes ``json_schema``."""

    client: OpenAI
    settings: Settings
    json_schema: bool = True
    requests: int = 0
    tokens: dict[str, int] = field(default_factory=lambda: {"prompt": 0, "completion": 0})

    def ask(self, messages: Sequence[Message], name: str, schema: dict[str, Any]) -> str:
        """The answer's text; raises LLMFailure on transport errors (outcome recorded)."""
        s = self.settings
        while True:
            fmt: ResponseFormat
            if self.json_schema:
                fmt = {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": schema, "strict": True},
                }
            else:
                fmt = {"type": "json_object"}
            wire = _wire(messages, None if self.json_schema else schema)
            self.requests += 1
            try:
                response = self.client.chat.completions.create(
                    model=s.openai_model,
                    messages=wire,
                    response_format=fmt,
                    temperature=s.openai_temperature,
                    max_tokens=s.openai_max_tokens,
                )
            except APITimeoutError:
                record("timeout")
                raise LLMFailure(outcome="timeout", seconds=s.openai_timeout) from None
            except RateLimitError:
                record("rate_limited")
                raise LLMFailure(outcome="rate_limited") from None
            except BadRequestError as exc:
                record("http_error")
                if self.json_schema and _rejects_json_schema(exc):
                    log.info("the LLM server rejects json_schema output; using json_object")
                    self.json_schema = False
                    continue
                raise LLMFailure(outcome="http_error", why="http", status=exc.status_code) from None
            except APIStatusError as exc:
                record("http_error")
                raise LLMFailure(outcome="http_error", why="http", status=exc.status_code) from None
            except APIConnectionError:
                record("http_error")
                raise LLMFailure(outcome="http_error", why="connection") from None
            except (APIResponseValidationError, ValueError):  # 200 with a body that is not JSON
                record("http_error")
                raise LLMFailure(outcome="http_error", why="bad_response") from None
            return self._text(response)

    def _text(self, response: ChatCompletion) -> str:
        if response.usage is not None:
            self.tokens["prompt"] += response.usage.prompt_tokens
            self.tokens["completion"] += response.usage.completion_tokens
            m.LLM_TOKENS.labels("prompt").inc(response.usage.prompt_tokens)
            m.LLM_TOKENS.labels("completion").inc(response.usage.completion_tokens)
        if not response.choices:
            return ""
        choice = response.choices[0]
        if choice.finish_reason == "length":
            log.warning(
                "the LLM answer was cut at max tokens; raise TWEETPULSE_OPENAI_MAX_TOKENS (now %d)",
                self.settings.openai_max_tokens,
            )
        return choice.message.content or ""


# --- map: per-topic notes -------------------------------------------------------------------
def _tweets_as_notes(group: TopicTweets) -> list[Point]:
    out = []
    for tweet in group.tweets[:RAW_NOTES]:
        body = excerpt(tweet.text)
        if body:
            out.append(Point(text=f"@{tweet.author or '?'}: {body}", tweet_ids=[tweet.id]))
    return out


def _topic_notes(
    session: ChatSession, lang: Lang, stats: str, group: TopicTweets, labels: Mapping[str, str]
) -> list[Point]:
    s = session.settings
    text = session.ask(
        notes_messages(lang, stats, group, labels, s.llm_tweet_chars), "topic_notes", NOTES_SCHEMA
    )
    notes, status, _ = parse_answer(text, Notes)
    if notes is None:
        record(status)
        log.info("notes for topic %s unusable (%s); using its top tweets", group.topic, status)
        return _tweets_as_notes(group)
    given = {tw.id for tw in group.tweets}
    good = [p for p in notes.notes if p.tweet_ids and all(i in given for i in p.tweet_ids)]
    record("ok" if len(good) == len(notes.notes) else "ungrounded")
    return good[:NOTES_PER_TOPIC] or _tweets_as_notes(group)


# --- reduce: the report ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    agg: WindowAggregates
    labels: Mapping[str, str]
    lang: Lang
    extractive: Report
    top: list[str]
    topics_of: Mapping[str, frozenset[str]]


def _problems(ctx: _Context, draft: Draft, given: frozenset[str]) -> list[str]:
    lines = [p.describe() for p in check(draft, given)]
    return lines + coverage_problems(draft, given, ctx.top, ctx.topics_of, ctx.labels)


def _judge(ctx: _Context, text: str, given: frozenset[str]) -> tuple[Draft | None, list[str]]:
    """Parse and check one answer; records its outcome."""
    draft, status, errors = parse_answer(text, Draft)
    if draft is None:
        record(status)
        return None, errors
    problems = _problems(ctx, draft, given)
    record("ungrounded" if problems else "ok")
    return draft, problems


def _final(
    session: ChatSession, ctx: _Context, messages: list[Message], given: frozenset[str]
) -> Draft:
    text = session.ask(messages, "daily_report", REPORT_SCHEMA)
    draft, problems = _judge(ctx, text, given)
    if not problems and draft is not None:
        return draft
    log.info("LLM answer needs repair: %d problem(s)", len(problems))
    repair = [
        *messages,
        Message("assistant", text[:_ECHO_CHARS]),
        repair_message(problems, ctx.lang),
    ]
    try:
        text = session.ask(repair, "daily_report", REPORT_SCHEMA)
    except LLMFailure:
        if draft is None:
            raise
        log.info("repair request failed; publishing the first answer's grounded points")
        return draft
    repaired, _ = _judge(ctx, text, given)
    if repaired is not None:
        return repaired
    if draft is not None:
        return draft
    status = parse_answer(text, Draft)[1]
    why: Outcome = "invalid_json" if status == "invalid_json" else "invalid_schema"
    raise LLMFailure(outcome=why)


def _write(session: ChatSession, ctx: _Context) -> Grounded:
    s = session.settings
    selection = select_tweets(ctx.agg, s.llm_tweets_per_topic, s.quote_max_ad_score)
    groups = [g for g in selection.groups if g.tweets]
    stats = stats_block(ctx.agg, ctx.labels)
    digest = tweets_block(groups, ctx.labels, s.llm_tweet_chars)
    if len(stats) + len(digest) <= s.llm_prompt_chars:
        material, given = digest, selection.ids
    else:
        log.info("digest of %d chars > budget: per-topic notes first", len(stats) + len(digest))
        budget = max(s.llm_prompt_chars - len(stats), 1_000)
        fitted = [fit_topic(g, ctx.labels, s.llm_tweet_chars, budget) for g in groups]
        given = frozenset(tw.id for g in fitted for tw in g.tweets)
        notes = [(g, _topic_notes(session, ctx.lang, stats, g, ctx.labels)) for g in fitted]
        material = notes_block(notes, ctx.labels)
    messages = report_messages(ctx.lang, stats, material, ctx.top, ctx.labels)
    draft = _final(session, ctx, messages, given)
    grounded = ground(
        draft,
        given,
        top=ctx.top,
        topics_of=ctx.topics_of,
        labels=ctx.labels,
        extractive=ctx.extractive,
        lang=ctx.lang,
    )
    if grounded.kept == 0:
        raise LLMFailure(outcome="ungrounded")
    return grounded


def _has_tweets(agg: WindowAggregates) -> bool:
    records: list[TweetRecord] = [r for recs in agg.top_tweets.values() for r in recs]
    return bool(records) and any(n > 0 for n in agg.topics.values())


def write_llm_report(
    settings: Settings,
    agg: WindowAggregates,
    labels: Mapping[str, str],
    lang: Lang | None = None,
    *,
    client: OpenAI | None = None,
) -> Report:
    """The window's report written by the LLM, or the extractive fallback. Never raises for
    LLM trouble: a report always comes back (``mode`` says which)."""
    lang = lang or settings.report_lang
    bar = settings.quote_max_ad_score  # TWEETPULSE_QUOTE_MAX_AD_SCORE
    if not _has_tweets(agg):
        reason = _REASONS[lang]["no_tweets"]
        return build_extractive(agg, labels, lang, reason=reason, quote_max_ad_score=bar)
    ctx = _Context(
        agg,
        labels,
        lang,
        build_extractive(agg, labels, lang, quote_max_ad_score=bar),
        top_topics(agg),
        topics_of(agg),
    )
    started = time.perf_counter()
    own = client is None
    llm = make_client(settings) if client is None else client
    session = ChatSession(llm, settings)
    try:
        grounded = _write(session, ctx)
    except LLMFailure as exc:
        log.warning(
            "LLM report for window %s failed (%s) after %d request(s); writing the extractive "
            "fallback",
            agg.window.id,
            exc.outcome,
            session.requests,
        )
        return build_extractive(
            agg, labels, lang, reason=exc.reason(lang), mode="fallback", quote_max_ad_score=bar
        )
    except Exception as exc:  # a report is always written; the traceback is logged redacted
        log.error(
            "LLM step for window %s crashed; writing the extractive fallback\n%s",
            agg.window.id,
            redact("".join(traceback.format_exception(exc)), settings),
        )
        reason = _REASONS[lang]["crash"]
        return build_extractive(
            agg, labels, lang, reason=reason, mode="fallback", quote_max_ad_score=bar
        )
    finally:
        if own:
            llm.close()
    log.info(
        "LLM report for window %s: %d request(s), %d+%d tokens, %d key point(s) filled, "
        "%d point(s) dropped, %.2fs",
        agg.window.id,
        session.requests,
        session.tokens["prompt"],
        session.tokens["completion"],
        grounded.filled,
        grounded.dropped,
        time.perf_counter() - started,
    )
    return grounded.report


def redact(text: str, settings: Settings) -> str:
    """``text`` with the API key (if any) replaced."""
    key = settings.openai_api_key
    secret = key.get_secret_value() if key is not None else ""
    return text.replace(secret, "[redacted]") if len(secret) >= 4 else text


def build_report(settings: Settings, agg: WindowAggregates, labels: Mapping[str, str]) -> Report:
    """The window's report in the mode the settings choose (see :func:`llm_enabled`)."""
    lang = settings.report_lang
    if llm_enabled(settings):
        return write_llm_report(settings, agg, labels, lang)
    reason = _REASONS[lang]["forced"] if llm_configured(settings) else None
    return build_extractive(
        agg, labels, lang, reason, quote_max_ad_score=settings.quote_max_ad_score
    )
