"""The README's command reference cannot drift from the CLI: every `evidence` command, sub-command
and option it shows, in a code block or inline, exists with that name in `--help`, and every
command the CLI has is shown."""

from __future__ import annotations

import re
import shlex

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
_OPTION = re.compile(r"--[a-z][a-z0-9-]*")


def readme_invocations() -> list[str]:
    """Every `evidence ...` the README shows: lines of its code blocks (comments cut) and inline code."""
    found = []
    blocks = re.findall(r"```[a-z]*\n(.*?)```", README, flags=re.S)
    for block in blocks:
        for line in block.splitlines():
            if line.lstrip().startswith("#"):
                continue
            start = line.find("evidence ")
            if start >= 0 and (start == 0 or line[start - 1] in " /"):
                found.append(_without_comment(line[start:]))
    prose = re.sub(r"```.*?```", "", README, flags=re.S)
    found.extend(span for span in re.findall(r"`(evidence [^`]+)`", prose))
    return found


def _without_comment(line: str) -> str:
    try:
        return shlex.join(shlex.split(line, comments=True))
    except ValueError:
        return line.split("  #")[0]


def _command(words: list[str]) -> tuple[click.Command, list[str], list[str]]:
    """The (sub-)command the words name, the words after it, and the names leading to it."""
    command: click.Command = main
    rest, path = words[1:], []
    while isinstance(command, click.Group) and rest and rest[0] in command.commands:
        command, rest = command.commands[rest[0]], rest[1:]
        path.append(command.name or "")
    return command, rest, path


def _options(command: click.Command) -> set[str]:
    names = {"--help"}
    for param in command.params:
        names.update(name for name in (*param.opts, *param.secondary_opts) if name.startswith("--"))
    return names


INVOCATIONS = readme_invocations()


@pytest.mark.parametrize("name", sorted(main.commands))
def test_the_readme_shows_every_command(name: str):
    assert f"evidence {name}" in README or f"make {name}" in README


@pytest.mark.parametrize("text", INVOCATIONS)
def test_every_command_and_option_the_readme_shows_exists(text: str):
    command, rest, _ = _command(text.split())
    assert command is not main, f"no command named in: {text}"
    shown = set(_OPTION.findall(" ".join(rest)))
    assert shown <= _options(command), f"{text}: not options of `{command.name}`: {sorted(shown - _options(command))}"


@pytest.mark.parametrize("path", sorted({tuple(_command(t.split())[2]) for t in INVOCATIONS}))
def test_every_command_the_readme_shows_answers_help(path: tuple[str, ...]):
    assert CliRunner().invoke(main, [*path, "--help"]).exit_code == 0
