"""Every command has --help, and a bad setting stops the CLI with a clear message."""

from __future__ import annotations

import pytest

from tweetpulse.cli import build_parser, main


def _subcommands(parser: object, prefix: list[str]) -> list[list[str]]:
    import argparse

    found = []
    assert isinstance(parser, argparse.ArgumentParser)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append([*prefix, name])
                found.extend(_subcommands(sub, [*prefix, name]))
    return found


COMMANDS = [[], *_subcommands(build_parser(), [])]


def test_the_main_commands_exist() -> None:
    expected = {"worker", "summarize", "produce replay", "produce synthetic", "demo", "local"}
    assert expected <= {" ".join(c) for c in COMMANDS}


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a) or "tweetpulse")
def test_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*argv, "--help"])
    assert done.value.code == 0
    assert "usage: tweetpulse" in capsys.readouterr().out


def test_bad_setting_exits_2_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TWEETPULSE_TIMEZONE", "Nowhere/Special")
    assert main(["topics"]) == 2
    err = capsys.readouterr().err
    assert "TWEETPULSE_TIMEZONE" in err and "Asia/Shanghai" in err
