"""Testing helpers for the LLM path: a local chat-completions server and a hand-made window.

:class:`FakeLLM` is a real HTTP server on 127.0.0.1 (a thread) that speaks
``POST /v1/chat/completions`` well enough for the official ``openai`` client. Each request is
recorded (:class:`Call`: headers and JSON body) and answered by a *responder* — a function of
the call and its index returning ``(status, payload, delay_seconds)`` — so a test scripts the
server: a good report built from the ids it was given, malformed JSON, invented ids, a slow
answer, HTTP 400/429/500. :func:`good_report` plays a well-behaved model: it reads the
``<topic>``/``<tweet>``/``<note>`` blocks of the prompt and cites only what it was shown.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

from streams.aggregates import TweetRecord, WindowAggregates
from streams.windows import Window, window_by_id

Payload = dict[str, Any] | str
Reply = tuple[int, Payload, float]


@dataclass(frozen=True)
class Call:
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body["messages"])

    @property
    def system(self) -> str:
        return str(self.messages[0]["content"])

    @property
    def user(self) -> str:
        """The first user message (the data)."""
        return next(str(m["content"]) for m in self.messages if m["role"] == "user")

    @property
    def last(self) -> str:
        return str(self.messages[-1]["content"])

    @property
    def format_type(self) -> str:
        return str(self.body.get("response_format", {}).get("type"))

    @property
    def schema_name(self) -> str | None:
        fmt = self.body.get("response_format", {})
        if fmt.get("type") == "json_schema":
            return str(fmt["json_schema"]["name"])
        return None

    @property
    def is_notes(self) -> bool:
        return self.schema_name == "topic_notes" or "condense one topic" in self.system


Responder = Callable[[Call, int], Reply]


@dataclass
class FakeLLM:
    responder: Responder
    calls: list[Call] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                call = Call({k.lower(): v for k, v in self.headers.items()}, body)
                index = len(fake.calls)
                fake.calls.append(call)
                reply: Reply = (404, {"error": {"message": "no such path"}}, 0.0)
                if self.path == "/v1/chat/completions":
                    reply = fake.responder(call, index)
                status, payload, delay = reply
                if delay and fake._stop.wait(delay):
                    return
                data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out
                    pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


# --- wire payloads ----------------------------------------------------------------------------
def completion(content: str, *, prompt: int = 1200, done: int = 400) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_762_480_000,
        "model": "fake-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt,
            "completion_tokens": done,
            "total_tokens": prompt + done,
        },
    }


def ok(content: dict[str, Any] | str) -> Reply:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return 200, completion(text), 0.0


def error(status: int, message: str, kind: str = "server_error") -> Reply:
    return status, {"error": {"message": message, "type": kind, "param": None, "code": None}}, 0.0


# --- a well-behaved model ---------------------------------------------------------------------
_TOPIC = re.compile(r'<topic id="([^"]+)"[^>]*>(.*?)</topic>', re.DOTALL)
_TWEET_ID = re.compile(r'<tweet id="([^"]+)"')
_NOTE_IDS = re.compile(r'<note ids="([^"]*)"')
_ITEM = re.compile(r'<(?:tweet id|note ids)="([^",]+)[^"]*"[^>]*>([^<]*)</(?:tweet|note)>')


def shown(call: Call) -> dict[str, list[str]]:
    """Topic → the ids the prompt showed under it (tweets or notes), in order."""
    out: dict[str, list[str]] = {}
    for topic, block in _TOPIC.findall(call.user):
        ids = _TWEET_ID.findall(block)
        for group in _NOTE_IDS.findall(block):
            ids.extend(i for i in group.split(",") if i)
        out[topic] = list(dict.fromkeys(ids))
    return out


def point(text: str, *ids: str) -> dict[str, Any]:
    return {"text": text, "tweet_ids": list(ids)}


def said(call: Call) -> dict[str, str]:
    """Id → the (unescaped) text the prompt showed for it (a tweet, or the note citing it)."""
    return {i: html.unescape(text) for i, text in _ITEM.findall(call.user)}


def good_report(call: Call) -> dict[str, Any]:
    """A report citing only ids shown, one key point per shown topic first (covers the top 5)."""
    topics = shown(call)
    texts = said(call)
    pairs = [(t, i) for t, ids in topics.items() for i in ids[:1]]
    pairs += [(t, i) for t, ids in topics.items() for i in ids[1:]]
    key_points = [point(f"{t}（模型撰写）：{texts.get(i, '')[:60]}", i) for t, i in pairs]
    while len(key_points) < 10:  # a tiny window: cite the first tweet again
        key_points.append(point(f"要点 {len(key_points) + 1}：补充观察", pairs[0][1]))
    first = pairs[0][1]
    return {
        "overview": "今天的讨论集中在智能体与推理算力（模型撰写的概述）。",
        "key_points": key_points[:10],
        "insights": [point("推理成本成为竞争焦点", first), point("整体情绪偏乐观")],
        "events": [point("某产品发布", first)],
        "market": [point("市场关注算力股", first)],
        "ai_sections": [{"title": "应用层", "points": [point("应用生态扩张", first)]}],
        "finance_sections": [],
    }


def good_notes(call: Call) -> dict[str, Any]:
    (ids,) = shown(call).values()
    return {"notes": [point(f"笔记：推文 {i} 的要点", i) for i in ids[:3]]}


def good_model(call: Call, index: int) -> Reply:
    return ok(good_notes(call) if call.is_notes else good_report(call))


# --- a hand-made window -----------------------------------------------------------------------
SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = window_by_id("20251107", SHANGHAI)
LABELS = {
    "apps_agents": "应用与智能体",
    "chips_inference": "芯片与推理算力",
    "models_open_source": "模型与开源",
    "markets": "市场与个股",
    "crypto_agent_payments": "加密与代理支付",
    "policy_regulation": "政策与监管",
    "safety_society": "安全与社会影响",
}
AD_IDS = ("9001", "9002")  # ads of the window: counted, never in top tweets, never shown


def record(
    tweet_id: str, text: str, topics: tuple[str, ...], engagement: int, author: str = ""
) -> TweetRecord:
    return TweetRecord(
        id=tweet_id,
        text=text,
        created_at=WINDOW.start + timedelta(hours=3, minutes=int(tweet_id) % 60),
        author=author or f"user{tweet_id}",
        engagement=engagement,
        lang=None,
        topics=topics,
    )


TWEETS = [
    record("101", "ChatGPT 推出应用生态，智能体可以直接操作第三方应用", ("apps_agents",), 900),
    record(
        "102", "Agents are eating SaaS: every workflow becomes an agent loop", ("apps_agents",), 500
    ),
    record("103", "Google 发布第七代 TPU Ironwood，推理优先", ("chips_inference",), 800),
    record("104", "$NVDA up 4% on inference demand", ("markets", "chips_inference"), 700),
    record(
        "105",
        "Kimi K2 Thinking open-sourced, trained on a tight budget",
        ("models_open_source",),
        650,
    ),
    record(
        "106",
        "Stablecoin rails for agent payments look inevitable $USDC",
        ("crypto_agent_payments",),
        300,
    ),
    record("107", "关于政府兜底的讨论越来越多，监管分歧明显", ("policy_regulation",), 200),
    record("108", "Groq and Cerebras race on tokens per second", ("chips_inference",), 150),
]


def make_agg(
    tweets: list[TweetRecord] | None = None,
    *,
    topics: dict[str, int] | None = None,
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
        total=300 if tweets else 0,
        ads=len(AD_IDS) * 10 if tweets else 0,
        ad_reasons={"promo_link": 15, "giveaway": 9} if tweets else {},
        topics=counts,
        unique_authors=180,
        top_tweets=top,
        terms=[("#AI", 40.0), ("$NVDA", 12.0)] if tweets else [],
        hourly={start + 3 * 3600: 50, start + 5 * 3600: 80} if tweets else {},
        previous_topics={"apps_agents": 100, "markets": 40},
    )
