"""Check that the published state holds together: index ⇔ rows, offsets, and references between tables."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from index.published import Generation, open_published
from index.vector_index import read_index, read_meta

# (table, column, referenced table, referenced column): every non-null value must exist there.
REFERENCES = (
    ("sections", "doc_id", "documents", "doc_id"),
    ("sections", "parent_id", "sections", "section_id"),
    ("passages", "doc_id", "documents", "doc_id"),
    ("passages", "section_id", "sections", "section_id"),
    ("quotes", "doc_id", "documents", "doc_id"),
    ("quotes", "section_id", "sections", "section_id"),
    ("quotes", "respondent_id", "respondents", "respondent_id"),
    ("mentions", "doc_id", "documents", "doc_id"),
    ("mentions", "entity_id", "entities", "entity_id"),
    ("mentions", "passage_id", "passages", "passage_id"),
    ("mentions", "quote_id", "quotes", "quote_id"),
    ("quote_themes", "quote_id", "quotes", "quote_id"),
    ("quote_themes", "theme_id", "themes", "theme_id"),
)


def verify_published(data_dir: Path) -> list[str]:
    """Every problem found in the published state; an empty list means it is sound."""
    con, generation = open_published(data_dir, reviewed=False)
    try:
        return [
            *_index_problems(con, generation),
            *_offset_problems(con),
            *_reference_problems(con),
            *_artefact_problems(con),
            *_failed_document_problems(con),
        ]
    finally:
        con.close()


def document_issues(data_dir: Path) -> list[str]:
    """Documents whose last ingest failed: stale ones (their last good version is served) and failed ones."""
    con, _ = open_published(data_dir)
    try:
        rows = con.execute(
            "SELECT doc_id, status, error, last_good_at FROM documents WHERE status <> 'ok' ORDER BY doc_id"
        ).fetchall()
    finally:
        con.close()
    return [
        f"document {doc_id!r} is stale: {error}; serving the version ingested at {last_good:%Y-%m-%d %H:%M:%S}"
        if status == "stale" else f"document {doc_id!r} failed and has no rows: {error}"
        for doc_id, status, error, last_good in rows
    ]


def _index_problems(con: duckdb.DuckDBPyConnection, generation: Generation) -> list[str]:
    import faiss

    try:
        meta = read_meta(generation.index_dir)
        index = read_index(generation.index_dir)
    except (OSError, ValueError, RuntimeError) as error:
        return [f"the FAISS index cannot be read: {error}"]
    problems = []
    if index.ntotal != meta.count:
        problems.append(f"index holds {index.ntotal} vectors but its parameters say {meta.count}")
    if index.d != meta.dim:
        problems.append(f"index dimension {index.d} differs from its parameters' {meta.dim}")
    dims = con.execute("SELECT DISTINCT len(vector) FROM embeddings WHERE model = ?", [meta.model]).fetchall()
    if any(d != meta.dim for (d,) in dims):
        problems.append(f"stored vectors of {meta.model} do not all have {meta.dim} dimensions")
    ids = set(faiss.vector_to_array(index.id_map).tolist()) if index.ntotal else set()
    rows = {r[0] for r in con.execute("SELECT passage_id FROM passages").fetchall()}
    if ids - rows:
        problems.append(f"{len(ids - rows)} index ids have no passage row")
    if rows - ids:
        problems.append(f"{len(rows - ids)} passages are missing from the index")
    return problems


# (table, column holding the exact text, what a problem calls the rows)
EXACT_SPANS = (("passages", "text", "passages"), ("mentions", "surface", "entity mentions"))


def _offset_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    problems = []
    for table, column, label in EXACT_SPANS:
        bad = con.execute(
            f"SELECT count(*) FROM {table} t JOIN documents d USING (doc_id) "
            f"WHERE substring(d.text, t.char_start + 1, t.char_end - t.char_start) <> t.{column}"
        ).fetchall()[0][0]
        if bad:
            problems.append(f"{bad} {label} do not match their document text at their offsets")
    quotes = con.execute(
        "SELECT q.quote_id, q.text, substring(d.text, q.char_start + 1, q.char_end - q.char_start) "
        "FROM quotes q JOIN documents d USING (doc_id)"
    ).fetchall()
    misplaced = [quote_id for quote_id, text, span in quotes if _collapse(text) not in _collapse(span)]
    if misplaced:
        problems.append(f"{len(misplaced)} quotations are not found at their offsets (e.g. quote {misplaced[0]})")
    return problems


def _artefact_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Quotations must hold only the words spoken: no furniture or line numbers the cleaner knows."""
    from ingest.clean import furniture_in

    rows = con.execute("SELECT quote_id, text FROM quotes").fetchall()
    carrying = [(quote_id, found) for quote_id, text in rows if (found := furniture_in(text))]
    if not carrying:
        return []
    quote_id, found = carrying[0]
    return [f"{len(carrying)} quotations carry page furniture or line numbers (e.g. quote {quote_id}: {found!r})"]


def _reference_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    problems = []
    for table, column, target, target_column in REFERENCES:
        orphans = con.execute(
            f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {target} r WHERE r.{target_column} = t.{column})"
        ).fetchall()[0][0]
        if orphans:
            problems.append(f"{orphans} rows of {table}.{column} point at no {target} row")
    return problems


def _failed_document_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    leftovers = con.execute(
        "SELECT count(*) FROM passages p JOIN documents d USING (doc_id) WHERE d.status = 'failed'"
    ).fetchall()[0][0]
    return [f"{leftovers} passages belong to failed documents"] if leftovers else []


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
