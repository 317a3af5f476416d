"""The README's command examples run as written, on the default corpus ingested as `make ingest`
does it: each `.venv/bin/evidence ...` line of its shell blocks is run through the shell, from a
working folder whose `data/` is that store and whose `../shared` is the shared corpus, exactly as
in a checkout beside `../shared` after `make setup && make ingest`.

`evidence serve` is left out: it runs until stopped and listens on a fixed port of this shared
machine; the browser tests start it on a free port.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SHARED

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

README = (REPO / "README.md").read_text(encoding="utf-8")
LONG_RUNNING = ("serve",)


def readme_commands() -> list[str]:
    """Every `.venv/bin/evidence` line in the README's ```sh blocks, without its trailing comment."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            if not line.startswith(".venv/bin/evidence "):
                continue
            words = shlex.split(line, comments=True)
            if words[1] not in LONG_RUNNING:
                commands.append(shlex.join(words))
    return commands


def test_the_readme_has_examples_of_the_query_commands():
    names = {shlex.split(c)[1] for c in readme_commands()}
    assert {"theme", "quotes", "respondents", "entities", "search", "matrix", "sql", "report"} <= names


@pytest.fixture(scope="module")
def checkout(corpus_store, tmp_path_factory) -> Path:
    """A working folder laid out like a set-up checkout: .venv/bin/evidence, data/, ../shared."""
    root = tmp_path_factory.mktemp("readme")
    work = root / "checkout"
    (work / ".venv" / "bin").mkdir(parents=True)
    launcher = work / ".venv" / "bin" / "evidence"
    launcher.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m pipeline.cli "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    (work / "data").symlink_to(corpus_store.resolve(), target_is_directory=True)
    (root / "shared").symlink_to(SHARED, target_is_directory=True)
    return work


@pytest.mark.parametrize("command", readme_commands())
def test_a_readme_example_runs_as_written(checkout, command):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(command, shell=True, cwd=checkout, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{command}\n{done.stderr}"
    assert done.stdout.strip(), command
    assert "No results." not in done.stdout, command
