"""Every CSV written quotes text cells a spreadsheet would run as formulas (the OWASP rule)."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from index.schema import migrate
from pipeline.output import emit
from queries.exports.csv_cells import neutralise_formula
from queries.exports.tables import export_tables

DANGEROUS = ["=HYPERLINK(\"http://x.example\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_cell_starting_a_formula_gets_a_leading_quote(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["plain words", "a = b", "", None, -3, 2.5])
def test_other_values_are_left_as_they_are(value):
    assert neutralise_formula(value) == value


def test_csv_output_of_a_query_command_neutralises_formulas(capsys):
    emit([{"text": "=1+1", "count": -4}], as_json=False, as_csv=True)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [{"text": "'=1+1", "count": "-4"}]


def test_csv_export_neutralises_formulas_in_every_table(tmp_path):
    con = duckdb.connect()
    migrate(con)
    con.execute("INSERT INTO documents (doc_id, study, status) VALUES ('d', 's', 'ok')")
    con.execute(
        "INSERT INTO quotes (quote_id, doc_id, ordinal, text, source_kind, inline, char_start, char_end) "
        "VALUES (1, 'd', 0, '=cmd|'' /C calc''!A0', 'interview', false, 0, 10)"
    )
    con.execute("INSERT INTO entities VALUES (2, '@Trust', 'ORG', ['+alias'], 'ner')")
    export_tables(con, tmp_path, "csv")
    quotes = list(csv.DictReader((tmp_path / "quotes.csv").open()))
    entities = list(csv.DictReader((tmp_path / "entities.csv").open()))
    assert quotes[0]["text"] == "'=cmd|' /C calc'!A0"
    assert entities[0]["canonical"] == "'@Trust"
    assert entities[0]["aliases"] == '["+alias"]'
