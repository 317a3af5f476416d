"""Configuration files a user edits are checked by models: every mistake is one line naming the
file, the entry and the field, raised as that file's ConfigError."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.themes.codebook import load_codebooks
from ingest.attribution import load_schemes
from ingest.entities import load_gazetteer
from ingest.entity_patterns import load_name_patterns
from ingest.errors import ConfigError
from pipeline.manifest import load_manifest
from tests.conftest import REPO

LOADERS = {
    "manifest": load_manifest,
    "codebook": load_codebooks,
    "gazetteer": load_gazetteer,
    "name patterns": load_name_patterns,
    "respondent schemes": load_schemes,
}


def _error(loader, path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        loader(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_a_missing_file_is_a_config_error_naming_it(tmp_path: Path, kind: str):
    path = tmp_path / "absent.yaml"
    assert str(path.name) in _error(LOADERS[kind], path)


@pytest.mark.parametrize("kind", sorted(LOADERS))
def test_a_file_that_is_not_yaml_is_a_config_error_naming_it(tmp_path: Path, kind: str):
    path = tmp_path / "broken.yaml"
    path.write_text("key: [unclosed\n", encoding="utf-8")
    message = _error(LOADERS[kind], path)
    assert path.name in message and "YAML" in message


@pytest.mark.parametrize(
    ("kind", "text", "entry", "field"),
    [
        ("codebook", "codebooks:\n  c:\n    themes:\n      - {name: x, description: d, hue: red}\n", "theme 1", "hue"),
        ("gazetteer", "entities:\n  - {canonical: X, label: ORG, hue: red}\n", "entry 1", "hue"),
        ("name patterns", "patterns:\n  - {label: ORG, pattern: Board, hue: red}\n", "pattern 1", "hue"),
        ("respondent schemes", "schemes:\n  - {name: s, pattern: A, hue: red}\n", "scheme s", "hue"),
        ("manifest", "documents:\n  - {id: d, path: d.txt, title: T, hue: red}\n", "document 'd'", "hue"),
    ],
)
def test_an_unknown_field_is_named_with_its_file_and_entry(tmp_path: Path, kind, text, entry, field):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    message = _error(LOADERS[kind], path)
    assert path.name in message and entry in message and f"unknown {'key' if kind == 'manifest' else 'field'} " \
        f"'{field}'" in message


@pytest.mark.parametrize(
    ("kind", "text", "field"),
    [
        ("codebook", "codebooks:\n  c:\n    themes:\n      - {name: x, description: d, examples: [a, 3]}\n",
         "item 2 of 'examples'"),
        ("gazetteer", "entities:\n  - {canonical: X, label: ORG, countable: 2}\n", "'countable'"),
        ("respondent schemes", "schemes:\n  - {name: s, pattern: A, match: somewhere}\n", "'match'"),
    ],
)
def test_a_value_of_the_wrong_kind_names_the_field(tmp_path: Path, kind, text, field):
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    assert field in _error(LOADERS[kind], path)


def test_the_shipped_rule_files_are_valid():
    assert load_schemes().schemes
    assert load_name_patterns()
    assert load_gazetteer(REPO / "ingest" / "gazetteer.yaml")
