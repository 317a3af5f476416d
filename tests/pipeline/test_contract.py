"""The data contract and the `--json` outputs do not change by accident.

Goldens written from the code as it was when they were made: the tables, views and columns of a
migrated store (tests/golden/schema.json), the keys of each query command's `--json` rows on a
small corpus ingested with the hashing embedder (tests/golden/json_keys.json), and the web
server's OpenAPI schema (tests/golden/openapi.json). The
README's data-contract table is checked against the schema too. After a deliberate change to the
contract, regenerate them with `EVIDENCE_UPDATE_GOLDEN=1 pytest tests/pipeline/test_contract.py`.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from index.schema import migrate
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.conftest import REPO
from tests.theme_store import CODEBOOK

GOLDEN = REPO / "tests" / "golden"
UPDATE = bool(os.environ.get("EVIDENCE_UPDATE_GOLDEN"))

REPORT = """Findings

Staffing

Rota gaps grew over the winter, as one ward sister put it:

"We borrowed nurses from the next ward every night, and nobody had time to train the new ones." (P2S1R04)

Money

A finance lead at the second site agreed:

"The grant was for one year and we spent the second year asking for it again." (P2S2R01)

The regional plan promised that each site would be "funded for as long as the programme runs" (Health Board 2019).
"""

# Each command whose rows have a documented shape, with the arguments that give it rows.
COMMANDS = {
    "quotes": ["quotes"],
    "respondents": ["respondents"],
    "entities": ["entities"],
    "theme codebook": ["theme", "dedicated and ongoing resources", "--min-score", "0"],
    "theme free text": ["theme", "grant money for nurses", "--min-score", "0"],
    "search": ["search", "grant money for nurses"],
    "matrix": ["matrix", "--codebook", "test", "--by", "doc_id"],
    "review-queue": ["review-queue", "--codebook", "test"],
    "sql evidence view": ["sql", "SELECT * FROM evidence LIMIT 1"],
}


def _check(name: str, actual: object) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8")), f"{name} changed; see the module docstring"


def _schema() -> dict[str, list[str]]:
    con = duckdb.connect()
    try:
        migrate(con)
        rows = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                           "ORDER BY table_name, ordinal_position").fetchall()
    finally:
        con.close()
    schema: dict[str, list[str]] = {}
    for table, column in rows:
        schema.setdefault(table, []).append(column)
    return schema


def test_the_tables_and_columns_of_the_store_are_unchanged():
    _check("schema.json", _schema())


def readme_contract() -> dict[str, list[str]]:
    """The README's data-contract table: each table with the column names it lists."""
    section = README_TEXT.split("## Data contract", 1)[1]
    contract = {}
    for table, cell in re.findall(r"^\| `(\w+)` \| (.+) \|$", section, flags=re.M):
        contract[table] = [re.match(r"\s*`(\w+)`", item).group(1) for item in _top_level(cell)]
    return contract


def _top_level(cell: str) -> list[str]:
    """The cell's comma-separated items, ignoring commas inside parentheses."""
    items, depth, current = [], 0, ""
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return [*items, current]


README_TEXT = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_data_contract_names_only_columns_the_store_has():
    schema, contract = _schema(), readme_contract()
    assert len(contract) >= 10
    missing = {table: sorted(set(columns) - set(schema.get(table, ()))) for table, columns in contract.items()}
    assert {table: columns for table, columns in missing.items() if columns} == {}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("contract")
    (root / "corpus").mkdir()
    for doc_id in ("wards", "wards_reprint"):
        (root / "corpus" / f"{doc_id}.txt").write_text(REPORT, encoding="utf-8")
    (root / "themes.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "manifest.yaml").write_text(
        "root: corpus\ndocuments:\n"
        "  - {id: wards, path: wards.txt, title: 'Wards in winter', study: s1}\n"
        "  - {id: wards_reprint, path: wards_reprint.txt, title: 'Wards in winter, reprinted', study: s1}\n",
        encoding="utf-8")
    options = IngestOptions(workers=1, show_progress=False, codebook_path=root / "themes.yaml")
    summary = run_ingest(root / "manifest.yaml", root / "data", HashingEmbedder, options)
    assert summary.ok, summary.failures
    return root / "data"


def test_the_json_keys_of_every_query_command_are_unchanged(store, monkeypatch):
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)
    keys = {}
    for name, args in COMMANDS.items():
        result = CliRunner().invoke(main, [*args, "--json", "--data", str(store)])
        assert result.exit_code == 0, f"{name}: {result.output}"
        rows = json.loads(result.stdout)
        assert rows, f"{name} gave no rows on the fixture corpus"
        keys[name] = sorted(set().union(*(row.keys() for row in rows)))
    _check("json_keys.json", keys)


def test_the_web_api_schema_is_unchanged(tmp_path):
    from pipeline.server import create_app

    _check("openapi.json", create_app(tmp_path, embedder_factory=HashingEmbedder).openapi())
