"""Every command explains itself: a summary and a description of each option in `--help`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pipeline.cli import main

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
