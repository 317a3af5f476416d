"""The four packages are layers, `ingest` → `index` → `queries` → `pipeline`: a module imports only
from its own layer and the ones below it, imports made inside a function included. So the write
path (`ingest`, `index`) never reaches into the read side, and a parse worker never loads the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

LAYERS = ("ingest", "index", "queries", "pipeline")


def imported_packages(path: Path) -> set[str]:
    """The top-level package of every absolute import in a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_no_module_imports_from_a_layer_above_its_own(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1:])
    upward = {f"{path.relative_to(REPO)} imports {name}"
              for path in sorted((REPO / layer).rglob("*.py")) for name in imported_packages(path) & above}
    assert not upward
