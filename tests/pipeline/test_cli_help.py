"""Every command explains itself, and the README shows every command a user can run."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_a_summary_and_described_options(name):
    command = main.commands[name]
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert command.help and len(command.help.split()) >= 5
    undocumented = [
        p.name for p in command.params if getattr(p, "help", "x") in (None, "") and p.param_type_name == "option"
    ]
    assert not undocumented, undocumented


@pytest.mark.parametrize("name", COMMANDS)
def test_the_readme_shows_every_command(name):
    assert f"evidence {name}" in README or f"make {name}" in README
