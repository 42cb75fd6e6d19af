"""The X filtered-stream client and the rules client against a local HTTP server.

:class:`XApiServer` (used by the integration test too) answers each connection with the next
step of a script: stream lines in small chunks (split mid-line), drop the connection mid-message,
stall, answer an HTTP status. The real messages come from corpora/d_twitter_v2_samples.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from producers.rules import LiveRule, Rule, RulesClient, load_rules, parse_rules, plan_sync
from producers.xstream import STREAM_PARAMS, Backoff, XStream
from streams.errors import ConfigError, InputError, ServiceError
from streams.model import Tweet
from streams.parse import Reject
from streams.settings import Settings
from tests.shared_data import require

TOKEN = "AAAA-secret-bearer-token-0123456789"
STALL = 0.8  # seconds without a byte before the client reconnects (20 s in production)
ROOT = Path(__file__).resolve().parents[2]


# --- a scripted local X API -------------------------------------------------------------------


@dataclass
class Step:
    """What one connection gets: ``status`` and headers; for 200, ``lines`` sent in chunks of
    ``chunk`` bytes, then ``end``: "close" (clean end), "drop" (mid-message), "stall"."""

    status: int = 200
    lines: list[bytes] = field(default_factory=list)
    chunk: int = 37
    end: str = "close"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class XApiServer:
    def __init__(self, steps: list[Step]) -> None:
        self.steps = list(steps)
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.rules: dict[str, LiveRule] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                server.handle(self)

            def do_POST(self) -> None:
                server.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> XApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, req: BaseHTTPRequestHandler) -> None:
        length = int(req.headers.get("Content-Length") or 0)
        body = req.rfile.read(length) if length else b""
        self.requests.append((req.command, req.path, dict(req.headers), body))
        if "/rules" in req.path:
            self.rules_api(req, body)
        else:
            self.stream(req)

    def rules_api(self, req: BaseHTTPRequestHandler, body: bytes) -> None:
        if req.command == "GET":
            answer: dict[str, Any] = {
                "data": [{"id": r.id, "value": r.value, "tag": r.tag} for r in self.rules.values()]
            }
        else:
            payload = json.loads(body)
            dry = "dry_run=true" in req.path
            if "add" in payload:
                made = []
                for i, rule in enumerate(payload["add"]):
                    live = LiveRule(str(1000 + len(self.rules) + i), rule["value"], rule.get("tag"))
                    made.append({"id": live.id, "value": live.value, "tag": live.tag})
                    if not dry:
                        self.rules[live.id] = live
                answer = {"data": made, "meta": {"summary": {"created": len(made)}}}
            else:
                ids = payload["delete"]["ids"]
                if not dry:
                    for rid in ids:
                        self.rules.pop(rid, None)
                answer = {"meta": {"summary": {"deleted": len(ids)}}}
        data = json.dumps(answer).encode()
        req.send_response(200)
        req.send_header("Content-Type", "application/json")
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        req.wfile.write(data)

    def stream(self, req: BaseHTTPRequestHandler) -> None:
        step = self.steps.pop(0) if self.steps else Step(status=503)
        req.send_response(step.status)
        for name, value in step.headers.items():
            req.send_header(name, value)
        if step.status != 200:
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(step.body)))
            req.end_headers()
            req.wfile.write(step.body)
            return
        req.send_header("Content-Type", "application/json")
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        data = b"".join(line + b"\r\n" for line in step.lines)
        try:
            for start in range(0, len(data), step.chunk):
                piece = data[start : start + step.chunk]
                req.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                req.wfile.flush()
            if step.end == "drop":
                # announce a chunk, send half a message, vanish
                req.wfile.write(b"40\r\n" + b'{"data": {"id": "99", "te')
                req.wfile.flush()
                req.connection.shutdown(socket.SHUT_RDWR)
            elif step.end == "stall":
                time.sleep(STALL * 3)
            else:
                req.wfile.write(b"0\r\n\r\n")
                req.wfile.flush()
        except OSError:
            pass  # the client gave up on a stalled stream
        req.close_connection = True


class RecordingSink:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tweets: list[Tweet] = []
        self.dlq: list[tuple[Reject, str]] = []
        self.flushes = 0

    @property
    def destination(self) -> str:
        return "memory:test"

    def add(self, tweet: Tweet) -> None:
        self.tweets.append(tweet)

    def send_dlq(self, reject: Reject, source: str) -> None:
        self.dlq.append((reject, source))

    def send_watermark(self, ts: datetime) -> None:
        return None

    def flush(self, timeout: float | None = None) -> None:
        self.flushes += 1

    def close(self) -> None:
        return None


def sample_messages() -> list[bytes]:
    path = require("corpora/d_twitter_v2_samples/filtered_stream_2024-05-13_49msgs.jsonl")
    return [line.strip() for line in path.read_bytes().splitlines() if line.strip()]


def messy_script(messages: list[bytes]) -> list[Step]:
    """Every failure mode once; the server resumes after the last complete message."""
    first = [
        m for pair in zip(messages[:20], [b""] * 20, strict=True) for m in pair
    ]  # + keep-alives
    garbage = [b"not json at all", b'{"unexpected": true}', b'{"data": {"id": "1"}}']
    return [
        Step(lines=first, end="drop"),
        Step(status=503, body=b'{"title": "Service Unavailable"}'),
        Step(status=429, headers={"x-rate-limit-reset": "1042"}, body=b'{"title": "Too Many"}'),
        Step(lines=messages[20:35] + garbage, chunk=53, end="stall"),
        Step(lines=messages[35:], chunk=11),
    ]


def stream_settings(url: str) -> Settings:
    return Settings.load(
        x_bearer_token=SecretStr(TOKEN), x_api_url=url, x_stall_seconds=STALL, timezone="UTC"
    )


@pytest.fixture
def messages() -> list[bytes]:
    return sample_messages()


# --- tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        (["network"] * 3, [0.25, 0.5, 0.75]),
        (["network"] * 70, [0.25 * i for i in range(1, 65)] + [16.0] * 6),
        (["http"] * 8, [5, 10, 20, 40, 80, 160, 320, 320]),
        (["rate"] * 3, [60, 120, 240]),
        (["http", "http", "reset", "http", "network"], [5, 10, None, 5, 0.25]),
    ],
)
def test_backoff_follows_the_x_guidance(calls: list[str], expected: list[float | None]) -> None:
    backoff = Backoff()
    got: list[float | None] = []
    for call in calls:
        if call == "reset":
            backoff.reset()
            got.append(None)
        elif call == "rate":
            got.append(backoff.rate_limited(None, now=0.0))
        else:
            got.append(getattr(backoff, call)())
    assert got == expected


@pytest.mark.parametrize(
    ("header", "now", "expected"),
    [("1042", 1000.0, 42.0), ("999", 1000.0, 60.0), ("soon", 0.0, 60.0), ("99999", 0.0, 60.0)],
)
def test_rate_limit_waits_for_the_reset_header(header: str, now: float, expected: float) -> None:
    assert Backoff().rate_limited(header, now) == expected


def test_stream_survives_drops_stalls_429_503_and_garbage(
    messages: list[bytes], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sleeps: list[float] = []
    with XApiServer(messy_script(messages)) as server:
        sink = RecordingSink(stream_settings(server.url))
        stream = XStream(sink.settings, sink, sleep=sleeps.append, wall=lambda: 1000.0)
        try:
            stats = stream.run(max_tweets=len(messages), max_attempts=10)
        finally:
            stream.close()
    expected = [json.loads(m)["data"]["id"] for m in messages]
    assert [t.id for t in sink.tweets] == expected  # every valid tweet, in order, once
    assert [why for why, _ in stats.reconnects] == [
        "network error RemoteProtocolError",
        "HTTP 503",
        "HTTP 429 rate limited",
        f"no data for {STALL:g}s (stall)",
    ]
    # 0.25 s after a drop; 5 s after a 5xx; until x-rate-limit-reset (1042 - 1000) after 429;
    # the 200 in between resets the backoff, so the stall waits 0.25 s again
    assert sleeps == [0.25, 5.0, 42.0, 0.25]
    assert stats.connections == 3 and stats.keepalives >= 20
    assert [(r.reason, src) for r, src in sink.dlq] == [
        ("invalid_json", "x-stream:2:16"),
        ("unknown_record", "x-stream:2:17"),
        ("missing_text", "x-stream:2:18"),
    ]
    assert sink.flushes >= 1
    # what X needs to send: the fields the Tweet model reads, and the bearer token header
    method, path, headers, _ = server.requests[0]
    assert method == "GET" and path.startswith("/2/tweets/search/stream?")
    query = httpx.URL(path).params
    assert {name: query[name] for name in STREAM_PARAMS} == STREAM_PARAMS
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in caplog.text


def test_bad_token_stops_with_a_clear_error_without_the_token(messages: list[bytes]) -> None:
    body = b'{"title": "Unauthorized", "type": "about:blank", "status": 401}'
    with XApiServer([Step(status=401, body=body)]) as server:
        sink = RecordingSink(stream_settings(server.url))
        stream = XStream(sink.settings, sink, sleep=lambda s: None)
        with pytest.raises(ConfigError) as err:
            stream.run(max_attempts=3)
        stream.close()
    assert "HTTP 401 Unauthorized" in str(err.value)
    assert "TWEETPULSE_X_BEARER_TOKEN" in str(err.value)
    assert TOKEN not in str(err.value) and TOKEN not in repr(err.value)


def test_missing_token_is_a_config_error() -> None:
    settings = Settings.load(x_bearer_token=None)
    with pytest.raises(ConfigError, match="TWEETPULSE_X_BEARER_TOKEN is not set"):
        XStream(settings, RecordingSink(settings))


def test_token_is_not_shown_by_settings() -> None:
    settings = Settings.load(x_bearer_token=SecretStr(TOKEN))
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())


def test_unreachable_api_backs_off_linearly() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    settings = stream_settings(f"http://127.0.0.1:{port}")
    sleeps: list[float] = []
    stream = XStream(settings, RecordingSink(settings), sleep=sleeps.append)
    stats = stream.run(max_attempts=3)
    stream.close()
    assert sleeps == [0.25, 0.5, 0.75] and stats.connections == 0


# --- rules ------------------------------------------------------------------------------------


def test_example_rules_file_loads() -> None:
    rules = load_rules(ROOT / "examples" / "rules.example.yaml")
    assert len(rules) >= 3 and all(r.tag for r in rules)
    assert len({r.value for r in rules}) == len(rules)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ([], "a 'rules' list"),
        ({"rules": [{"tag": "x"}]}, "non-empty 'value'"),
        ({"rules": [{"value": "a"}, {"value": " a "}]}, "repeats"),
        ({"rules": [{"value": "x" * 1025}]}, "1025 characters"),
        ({"rules": [{"value": "a", "tag": 3}]}, "tag must be text"),
    ],
)
def test_bad_rules_files_are_refused(data: object, error: str) -> None:
    with pytest.raises(InputError, match=error):
        parse_rules(data, "rules.yaml")


def test_plan_sync() -> None:
    live = [LiveRule("1", "a", "x"), LiveRule("2", "b", "old tag"), LiveRule("3", "gone")]
    plan = plan_sync([Rule("a", "x"), Rule("b", "new tag"), Rule("c")], live)
    assert plan.keep == (LiveRule("1", "a", "x"),)
    assert plan.delete == (LiveRule("2", "b", "old tag"), LiveRule("3", "gone"))
    assert plan.add == (Rule("b", "new tag"), Rule("c"))


def test_rules_client_add_list_sync_delete() -> None:
    with XApiServer([]) as server:
        client = RulesClient(stream_settings(server.url))
        try:
            assert client.live() == []
            made = client.add([Rule("from:OpenAI", "labs"), Rule("#AI lang:en")])
            assert [r.value for r in made] == ["from:OpenAI", "#AI lang:en"]
            dry = client.sync([Rule("from:OpenAI", "labs"), Rule("robotics")], dry_run=True)
            assert [r.value for r in dry.delete] == ["#AI lang:en"]
            assert len(client.live()) == 2  # a dry run changes nothing
            client.sync([Rule("from:OpenAI", "labs"), Rule("robotics")])
            assert sorted(r.value for r in client.live()) == ["from:OpenAI", "robotics"]
            assert client.delete([r.id for r in client.live()]) == 2
            assert client.live() == []
        finally:
            client.close()
    assert all(h["Authorization"] == f"Bearer {TOKEN}" for _, _, h, _ in server.requests)


def test_rules_api_errors_name_the_status_not_the_token() -> None:
    settings = stream_settings("http://127.0.0.1:9")

    def forbidden(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"title": "Forbidden", "detail": "wrong tier"})

    client = RulesClient(settings, httpx.Client(transport=httpx.MockTransport(forbidden),
                                                base_url=settings.x_api_url))  # fmt: skip
    with pytest.raises(ServiceError, match=r"HTTP 403 Forbidden") as err:
        client.live()
    assert TOKEN not in str(err.value)
