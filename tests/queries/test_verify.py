"""`evidence verify` says the published state is sound, and names each way it can be broken."""

from __future__ import annotations

import duckdb
import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from index.published import published
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from queries.verify import verify_published

REPORT = """Introduction

Primary Care Networks (PCNs) took on the work in care homes.

Findings

As one commissioner said:

The funding stopped when the pilot ended and the PCNs had to find the money. (P3S1R03)
"""


@pytest.fixture
def store(write_corpus, tmp_path):
    manifest = write_corpus({"a.txt": REPORT, "b.txt": REPORT.replace("P3S1R03", "P3S2R04")})
    run_ingest(manifest, tmp_path / "data", HashingEmbedder, IngestOptions(workers=2, show_progress=False))
    return tmp_path / "data"


def _break(data, sql: str) -> None:
    con = duckdb.connect(str(published(data).db_path))
    con.execute(sql)
    con.close()


def test_a_fresh_store_is_sound(store):
    assert verify_published(store) == []
    result = CliRunner().invoke(main, ["verify", "--data", str(store)])
    assert result.exit_code == 0 and "sound" in result.output


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("UPDATE passages SET char_start = char_start + 1 WHERE ordinal = 0", "passages do not match"),
        ("UPDATE mentions SET char_end = char_end + 2", "entity mentions do not match"),
        ("UPDATE quotes SET char_start = char_end - 3", "quotations are not found at their offsets"),
        ("DELETE FROM passages WHERE ordinal = 0 AND doc_id = 'a'", "index ids have no passage row"),
        ("DELETE FROM sections WHERE ordinal = 0 AND doc_id = 'a'", "point at no sections row"),
        ("DELETE FROM respondents", "point at no respondents row"),
    ],
)
def test_each_kind_of_damage_is_named_and_fails_the_command(store, damage, problem):
    _break(store, damage)
    problems = verify_published(store)
    assert any(problem in p for p in problems), problems
    result = CliRunner().invoke(main, ["verify", "--data", str(store)])
    assert result.exit_code == 1 and problem in result.output
