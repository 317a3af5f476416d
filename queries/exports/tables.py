"""Export the evidence tables for other tools: Parquet, CSV or JSON Lines, plus a schema file.

One file per table; `quotes` carries its respondent's facets and its section path so it stands
alone. `schema.json` lists every column of every file with its type and meaning. Files are
written to temporary names and swapped in with `os.replace`, so a reader never sees half a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from index.durable import replace_text, replacing
from ingest.errors import OutputError
from queries.exports.csv_cells import neutralise_formula

FORMATS = ("parquet", "csv", "jsonl")
SCHEMA_FILE = "schema.json"

EXPORT_QUERIES = {
    "quotes": (
        "SELECT q.quote_id, q.cluster_id, q.doc_id, d.study, q.section_id, s.path AS section_path, q.ordinal, "
        "q.text, q.respondent_id, q.respondent_code, q.scheme, q.attribution, q.source_kind, q.inline, "
        "q.lead_in_role, q.page, q.char_start, q.char_end, r.phase, r.site, r.national, r.number, r.care_model, "
        "r.role, r.org FROM quotes q JOIN documents d USING (doc_id) LEFT JOIN sections s USING (section_id) "
        "LEFT JOIN respondents r USING (respondent_id) ORDER BY q.doc_id, q.ordinal"
    ),
    "respondents": "SELECT * FROM respondents ORDER BY study, code",
    "entities": "SELECT * FROM entities ORDER BY canonical, label",
    "mentions": "SELECT * FROM mentions ORDER BY doc_id, char_start, entity_id",
    "themes": "SELECT * FROM themes ORDER BY codebook, ordinal, theme_id",
    "quote_themes": "SELECT * FROM quote_themes ORDER BY theme_id, method, rank",
}

COLUMN_DESCRIPTIONS = {
    "quote_id": "Deterministic id of the quotation (same input, same id).",
    "cluster_id": "Id shared by the printings of one quotation across documents or versions.",
    "doc_id": "Document id from the corpus manifest.",
    "study": "Study the document belongs to; respondent codes are unique within a study.",
    "section_id": "Id of the section the row sits in.",
    "section_path": "Headings from the top of the document down to the quotation's section, joined by ' > '.",
    "ordinal": "Position in reading order within its document (quotes) or codebook (themes).",
    "text": "The quotation's words as printed, extraction artefacts removed.",
    "respondent_id": "Id of the respondent (a code within a study).",
    "respondent_code": "Canonical respondent code, e.g. P3S1R03 or 'EHCH-Senior Manager 6, CCG'.",
    "code": "Canonical respondent code.",
    "scheme": "Coding scheme the respondent code follows (phase_site_respondent, care_model_role, ...).",
    "attribution": "The attribution as printed after the quotation.",
    "source_kind": "interview, document or other.",
    "inline": "True when the quotation sits inside a running paragraph.",
    "lead_in_role": "The speaker's role as named by the sentence before the quotation.",
    "page": "Page the quotation starts on.",
    "char_start": "Start offset into the document's normalised text.",
    "char_end": "End offset (exclusive) into the document's normalised text.",
    "phase": "Evaluation phase from the respondent code.",
    "site": "Site number from the respondent code.",
    "national": "True for national-level respondents.",
    "number": "Respondent number within site or role.",
    "care_model": "Care model from the respondent code (EHCH, PACS, MCP, UEC, ACC ...).",
    "role": "Respondent's role from the code.",
    "org": "Respondent's organisation from the code.",
    "n_quotes": "Quotations attributed to the respondent across the study.",
    "entity_id": "Deterministic id of the entity.",
    "canonical": "Canonical name of the entity.",
    "label": "Entity type (organisation, programme, care model, policy ...).",
    "aliases": "Other names and acronyms the entity appears under.",
    "passage_id": "Passage holding the mention.",
    "surface": "The mention as written.",
    "theme_id": "Deterministic id of the theme (codebook + name).",
    "codebook": "Codebook the theme belongs to.",
    "name": "Theme name.",
    "description": "What the theme is about, in the codebook's words.",
    "source": "Where the codebook's themes come from.",
    "examples": "Example phrases of the theme.",
    "headings": "Extra phrases that name the theme in a document's headings.",
    "query_text": "Text embedded and matched for the theme (name, description, examples).",
    "query_sha256": "SHA-256 of query_text: its key in the embedding cache.",
    "model": "Embedding model the theme was scored with.",
    "score": "Score of the quotation for the theme by the method: for coded, the probability that it is evidence "
             "for the theme (members reach the floor, 0.5 by default); else cosine share, BM25 or fused rank.",
    "rank": "Rank of the quotation for the theme by the method (1 = best).",
    "method": "Ranking method: coded (learned membership probability), dense, lexical, hybrid or heading.",
}


class ExportError(OutputError):
    """An export that cannot be written: unknown format, or an output path that is a file."""


@dataclass(frozen=True)
class ExportedTable:
    """One file written."""

    table: str
    path: str
    rows: int


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: str) -> list[ExportedTable]:
    """Write every exported table and the schema file into out_dir; return what was written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    schema: dict[str, dict] = {}
    for name, sql in EXPORT_QUERIES.items():
        table = con.sql(sql).to_arrow_table()
        path = out_dir / f"{name}.{fmt}"
        _write(table, path, fmt)
        written.append(ExportedTable(name, str(path), table.num_rows))
        schema[name] = {
            "file": path.name,
            "rows": table.num_rows,
            "columns": [
                {"name": f.name, "type": str(f.type), "description": COLUMN_DESCRIPTIONS.get(f.name)}
                for f in table.schema
            ],
        }
    replace_text(out_dir / SCHEMA_FILE, json.dumps({"format": fmt, "tables": schema}, indent=2))
    written.append(ExportedTable("schema", str(out_dir / SCHEMA_FILE), len(schema)))
    return written


def _write(table: pa.Table, path: Path, fmt: str) -> None:
    with replacing(path) as temporary:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(table, temporary)
        elif fmt == "csv":
            import pyarrow.csv as pacsv

            pacsv.write_csv(_spreadsheet_safe(_lists_as_json(table)), temporary)
        else:
            with open(temporary, "w", encoding="utf-8") as handle:
                for record in table.to_pylist():
                    handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _lists_as_json(table: pa.Table) -> pa.Table:
    """CSV has no lists: write list columns as JSON arrays."""
    for i, field in enumerate(table.schema):
        if pa.types.is_list(field.type) or pa.types.is_large_list(field.type):
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in table.column(i).to_pylist()]
            table = table.set_column(i, field.name, pa.array(values, pa.string()))
    return table


def _spreadsheet_safe(table: pa.Table) -> pa.Table:
    """Text cells that a spreadsheet would run as formulas are quoted (queries/exports/csv_cells.py)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            values = [neutralise_formula(v) for v in table.column(i).to_pylist()]
            table = table.set_column(i, field.name, pa.array(values, field.type))
    return table
