"""Common mistakes at the command line end in one clear line (or argparse's usage error), never a
traceback; help texts say what each command and option does."""

from __future__ import annotations

import argparse
import logging
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from streams.eval_ads import EvalResult, Skip, nothing_scored
from tweetpulse import cli
from tweetpulse.cli import build_parser, main

REPO = Path(__file__).resolve().parents[2]
LABELLED = REPO / "tests" / "data" / "ai_promo_eval.jsonl"


def _parsers(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield prefix, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*prefix, name))


PARSERS = dict(_parsers(build_parser()))


# --- argument types ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("parse", "text", "value"),
    [
        (cli.positive_int, "1", 1),
        (cli.positive_int, "20000", 20_000),
        (cli.positive_int, "0", None),
        (cli.positive_int, "-5", None),
        (cli.positive_int, "2.5", None),
        (cli.non_negative_int, "0", 0),
        (cli.non_negative_int, "-3", None),
        (cli.non_negative_int, "x", None),
        (cli.positive_float, "0.5", 0.5),
        (cli.positive_float, "0", None),
        (cli.positive_float, "nan", None),
        (cli.positive_float, "inf", None),
        (cli.iso_date, "2025-11-07", date(2025, 11, 7)),
        (cli.iso_date, "2025-13-01", None),
        (cli.iso_date, "yesterday", None),
    ],
)
def test_argument_types(parse: Callable[[str], object], text: str, value: object) -> None:
    if value is None:
        with pytest.raises(argparse.ArgumentTypeError):
            parse(text)
    else:
        assert parse(text) == value


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["produce", "synthetic", "--day", "2025-13-01"], "argument --day: '2025-13-01' is not a"),
        (["produce", "synthetic", "--tweets", "-5"], "argument --tweets: -5 is below 1"),
        (["demo", "--day", "11/07/2025"], "argument --day"),
        (["demo", "--timeout", "0"], "argument --timeout: 0 is not above 0"),
        (["eval", "ads", "--corpus", "x", "--errors", "-3"], "argument --errors: -3 is below 0"),
        (["produce", "replay", "f.jsonl", "--speed", "-1"], "argument --speed"),
        (["produce", "x-stream", "--max-tweets", "0"], "argument --max-tweets: 0 is below 1"),
        (["rules", "sync"], "the following arguments are required: FILE"),
        (["local", "restart"], "invalid choice: 'restart'"),
    ],
)
def test_bad_arguments_are_usage_errors(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "usage: tweetpulse" in err
    assert needle in err
    assert "Traceback" not in err


# --- errors of a running command -----------------------------------------------------------------
@pytest.mark.parametrize("option", ["--to-file", "--truth"])
def test_unwritable_output_file_is_one_line(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "out.jsonl"
    argv = ["produce", "synthetic", "--tweets", "10", option, str(target)]
    if option == "--truth":
        argv += ["--to-file", str(tmp_path / "tweets.jsonl")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"tweetpulse: error: unwritable_output: {target}: No such file or directory"
    )


def test_unreachable_redis_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import redis

    def ping_nowhere(args: argparse.Namespace) -> int:  # a command that reads Redis
        client = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
        return 0

    monkeypatch.setattr(cli, "cmd_topics", ping_nowhere)
    assert main(["topics"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tweetpulse: error: cannot reach Redis (")
    assert "TWEETPULSE_REDIS_URL" in err and "Operator action" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_real_bug_still_shows_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(args: argparse.Namespace) -> int:
        msg = "a bug"
        raise ValueError(msg)

    monkeypatch.setattr(cli, "cmd_topics", broken)
    with pytest.raises(ValueError, match="a bug"):
        main(["topics"])


def test_closed_pipe_exits_quietly() -> None:
    """`tweetpulse eval ads ... | head -1`: the reader goes away; no traceback, 128 + SIGPIPE."""
    argv = [sys.executable, "-m", "tweetpulse.cli", "eval", "ads", "--corpus", str(LABELLED)]
    with subprocess.Popen(
        [*argv, "--errors", "100"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # before the command has written anything
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert code == 141, err
    assert err == ""


@pytest.mark.parametrize(
    ("argv", "env", "needle", "not_there"),
    [
        (["--threshold", "2"], {}, "--threshold 2.0: ", "TWEETPULSE_AD_THRESHOLD"),
        ([], {"TWEETPULSE_AD_THRESHOLD": "2"}, "TWEETPULSE_AD_THRESHOLD:", "--threshold"),
    ],
)
def test_a_bad_value_names_where_it_came_from(
    argv: list[str],
    env: dict[str, str],
    needle: str,
    not_there: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["eval", "ads", "--corpus", str(LABELLED), *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert not_there not in err


def test_worker_port_flag_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker", "--web-port", "99999"]) == 2
    err = capsys.readouterr().err
    assert "--web-port 99999: Input should be less than or equal to 65535" in err
    assert "TWEETPULSE_WORKER_WEB_PORT" not in err


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another process listens on (as a leftover worker would)."""
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def test_a_taken_web_port_stops_the_worker_before_it_starts(
    taken_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """Faust would connect to Kafka first and then die in a traceback from aiohttp."""
    argv = ["worker", "--web-port", str(taken_port), "--bootstrap", "127.0.0.1:1"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"tweetpulse: error: TWEETPULSE_WORKER_WEB_PORT (--web-port): port {taken_port} on "
        f"127.0.0.1 is in use. Fix: stop the process that holds it (`ss -ltnp 'sport = "
        f":{taken_port}'` names it) or set TWEETPULSE_WORKER_WEB_PORT or --web-port to a free "
        "port."
    )


def test_a_taken_metrics_port_names_its_setting(taken_port: int) -> None:
    from streams.errors import ConfigError
    from tweetpulse.runtime import check_port_free

    with pytest.raises(ConfigError, match=rf"^TWEETPULSE_METRICS_PORT: port {taken_port} on "):
        check_port_free("127.0.0.1", taken_port, "metrics_port")
    with socket.socket() as free:  # and a port nobody holds passes
        free.bind(("127.0.0.1", 0))
        port = int(free.getsockname()[1])
    check_port_free("127.0.0.1", port, "metrics_port")


@pytest.mark.parametrize(
    ("lines", "needles"),
    [
        ("", ["the corpus is empty"]),
        (
            "not json\nalso not json\n",
            ["no labelled row", "all 2 row(s) skipped (bad_json 2)", "line 1: bad_json"],
        ),
        ('{"text": "hello"}\n', ["all 1 row(s) skipped (no_label 1)"]),
    ],
)
@pytest.mark.parametrize("as_json", [False, True])
def test_eval_ads_without_a_labelled_row_is_an_error(
    lines: str,
    needles: list[str],
    as_json: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(lines)
    argv = ["eval", "ads", "--corpus", str(corpus), *(["--json"] if as_json else [])]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == ""  # no perfect scores over nothing
    assert err.startswith(f"tweetpulse: error: {corpus}: no labelled row to score: ")
    for needle in needles:
        assert needle in err


def test_nothing_scored_names_the_first_skip() -> None:
    result = EvalResult()
    result.skipped.update({"no_label": 3, "bad_json": 1})
    result.first_skips += [Skip(2, "no_label", "no label field"), Skip(5, "bad_json", "x")]
    assert nothing_scored(result) == (
        "no labelled row to score: all 4 row(s) skipped (no_label 3, bad_json 1); a row needs "
        "a label and a text (see --help); first: line 2: no_label: no label field"
    )


# --- logging -------------------------------------------------------------------------------------
@pytest.fixture
def kafka_net_level() -> Iterator[logging.Logger]:
    logger = logging.getLogger("kafka.net")
    level = logger.level
    yield logger
    logger.setLevel(level)


@pytest.mark.parametrize(
    ("command", "quiet"),
    [("topics", True), ("local", True), ("worker", False), ("summarize", False)],
)
def test_kafka_connection_chatter_is_quiet_in_short_admin_commands_only(
    command: str,
    quiet: bool,
    kafka_net_level: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int] = []

    def record(args: argparse.Namespace) -> int:
        seen.append(kafka_net_level.getEffectiveLevel())
        return 0

    monkeypatch.setattr(cli, f"cmd_{command}", record)
    argv = {"local": ["local", "status"]}.get(command, [command])
    assert main(argv) == 0
    assert (seen[0] > logging.ERROR) is quiet


# --- help texts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("path", list(PARSERS), ids=lambda p: " ".join(p) or "tweetpulse")
def test_help_renders_cleanly(path: tuple[str, ...]) -> None:
    text = PARSERS[path].format_help()
    assert "%%" not in text
    for action in PARSERS[path]._actions:
        if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            assert action.help, f"{' '.join(path)} {action.option_strings or action.dest}"
        if "--bootstrap" in action.option_strings:
            assert action.help == cli.BOOTSTRAP_HELP


@pytest.mark.parametrize("group", ["local", "rules"])
def test_each_action_has_its_own_description(group: str) -> None:
    actions = {path[-1]: p for path, p in PARSERS.items() if path[:-1] == (group,)}
    assert len(actions) >= 3
    descriptions = {p.description for p in actions.values()}
    assert len(descriptions) == len(actions)
    assert PARSERS[(group,)].description not in descriptions
    if group == "local":
        assert "topic" in (actions["up"].description or "")


def test_worker_help_names_the_api() -> None:
    text = PARSERS[("worker",)].format_help()
    assert "/api/" in text and "/metrics" in text
