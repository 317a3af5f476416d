"""Write ingest records into DuckDB: one transaction per document, replacing that document's rows.

Document status: `ok` (its rows come from the file as it is now), `stale` (the last ingest of it
failed, and the rows of the last good one are still served), `failed` (no rows at all).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from index.ids import stable_id, text_sha256
from index.transactions import insert_arrow, transaction
from ingest.entity_types import SOURCES
from ingest.errors import DocumentError
from ingest.records import ParsedDocument

DOC_TABLES = ("mentions", "quotes", "passages", "sections", "ocr_pages")


class UnstorableDocument(DocumentError, ValueError):
    """A parsed document holding a value the store cannot keep; the message names the table and column."""


@dataclass(frozen=True)
class DocumentMeta:
    """What the store keeps about a document besides its parsed content."""

    doc_id: str
    study: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    kind: str | None
    licence: str | None
    doi: str | None
    note: str | None
    source_path: str
    sha256: str | None
    parser_version: str


def section_id(doc_id: str, ordinal: int) -> int:
    return stable_id("section", doc_id, ordinal)


def passage_id(doc_id: str, ordinal: int) -> int:
    return stable_id("passage", doc_id, ordinal)


def quote_id(doc_id: str, ordinal: int) -> int:
    return stable_id("quote", doc_id, ordinal)


def entity_id(canonical: str, label: str) -> int:
    return stable_id("entity", canonical, label)


def respondent_id(study: str, code: str) -> int:
    return stable_id("respondent", study, code)


def _delete_document_rows(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    """Remove a document and its rows. A document the store does not hold has none (its rows are only
    ever written with its own row, and `evidence verify` checks it), so the deletes, each a scan of a
    table that grows with the corpus, are skipped: a first ingest of n documents stays linear in n."""
    if con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone() is None:
        return
    for table in DOC_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
    con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])


def _document_row(meta: DocumentMeta, status: str, error: str | None, parsed: ParsedDocument | None) -> dict:
    now = datetime.now(UTC).replace(tzinfo=None)
    return {
        "doc_id": [meta.doc_id],
        "study": [meta.study],
        "title": [meta.title],
        "authors": [list(meta.authors)],
        "year": [meta.year],
        "kind": [(parsed.kind if parsed else None) or meta.kind],
        "licence": [meta.licence],
        "doi": [meta.doi],
        "note": [meta.note],
        "source_path": [_storable(meta.source_path)],
        "source_format": [parsed.source_format if parsed else None],
        "sha256": [meta.sha256],
        "parser_version": [meta.parser_version],
        "n_pages": [parsed.n_pages if parsed else None],
        "text": [parsed.clean.text if parsed else None],
        "status": [status],
        "error": [_storable(error)],
        "ingested_at": [now],
        "last_good_at": [now if status == "ok" else None],
    }


def _storable(text: str | None) -> str | None:
    """Text as the store can hold it: a file name that is not UTF-8 carries lone surrogates."""
    return None if text is None else text.encode("utf-8", "replace").decode("utf-8")


def replace_document(con: duckdb.DuckDBPyConnection, meta: DocumentMeta, parsed: ParsedDocument) -> None:
    """Replace everything stored for one document, all or nothing.

    Raises UnstorableDocument, naming the table and column, when a value does not fit the store;
    the document's previous rows are then left as they were.
    """
    doc_id = meta.doc_id
    with transaction(con):
        _delete_document_rows(con, doc_id)
        _insert(con, "documents", _document_row(meta, "ok", None, parsed))
        _insert(con, "sections", _section_rows(doc_id, parsed))
        _insert(con, "passages", _passage_rows(doc_id, parsed))
        _insert(con, "quotes", _quote_rows(doc_id, meta.study, parsed))
        try:
            _upsert_entities(con, parsed)
        except (duckdb.Error, pa.ArrowException, UnicodeError, OverflowError) as error:
            raise UnstorableDocument(f"the store cannot hold a value of entities: {_first_line(error)}") from None
        _insert(con, "mentions", _mention_rows(doc_id, parsed))
        _insert(con, "ocr_pages", _ocr_rows(doc_id, parsed))


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: dict[str, list]) -> None:
    try:
        insert_arrow(con, table, rows)
    except (duckdb.Error, pa.ArrowException, UnicodeError, OverflowError) as error:
        column = _culprit(rows, _column_types(con, table))
        where = f"{table}.{column}" if column else table
        raise UnstorableDocument(f"the store cannot hold a value of {where}: {_first_line(error)}") from None


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The table's column types, read on a cursor of its own: a failed insert has aborted the
    connection's transaction, and only a failure needs them."""
    cursor = con.cursor()
    try:
        return dict(cursor.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?", [table]
        ).fetchall())
    finally:
        cursor.close()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _culprit(rows: dict[str, list], types: dict[str, str]) -> str | None:
    """The first column whose values the store refuses on their own, tried in a scratch database."""
    scratch = duckdb.connect()
    try:
        for column, values in rows.items():
            try:
                scratch.execute(f"CREATE OR REPLACE TABLE probe (v {types[column]})")
                insert_arrow(scratch, "probe", {"v": values})
            except (duckdb.Error, pa.ArrowException, UnicodeError, OverflowError, KeyError):
                return column
    finally:
        scratch.close()
    return None


def record_failure(con: duckdb.DuckDBPyConnection, meta: DocumentMeta, error: str, keep_last_good: bool) -> str:
    """Record why a document failed; return its status.

    With `keep_last_good`, a document that has good rows keeps them (and their metadata) and is
    marked stale with the error; otherwise, or when it never had any, it is kept visible as failed
    with no rows.
    """
    with transaction(con):
        if keep_last_good:
            stale = con.execute(
                "UPDATE documents SET status = 'stale', error = ?, ingested_at = ? "
                "WHERE doc_id = ? AND status IN ('ok', 'stale') RETURNING doc_id",
                [_storable(error), datetime.now(UTC).replace(tzinfo=None), meta.doc_id],
            ).fetchall()
            if stale:
                return "stale"
        _delete_document_rows(con, meta.doc_id)
        insert_arrow(con, "documents", _document_row(meta, "failed", error, None))
    return "failed"


def stored_unchanged(con: duckdb.DuckDBPyConnection, meta: DocumentMeta) -> bool:
    """The stored rows came from this very file, by this parser, with this metadata."""
    row = con.execute(
        "SELECT sha256, parser_version, status, study, title, source_path FROM documents WHERE doc_id = ?",
        [meta.doc_id],
    ).fetchone()
    return row == (meta.sha256, meta.parser_version, "ok", meta.study, meta.title, meta.source_path)


def corpus_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int, int, int]:
    """Pages, sections, passages, quotations and OCR pages of the documents not failed."""
    row = con.execute(
        "SELECT coalesce(sum(n_pages), 0), (SELECT count(*) FROM sections), (SELECT count(*) FROM passages), "
        "(SELECT count(*) FROM quotes), (SELECT count(*) FROM ocr_pages) FROM documents WHERE status <> 'failed'"
    ).fetchall()[0]
    pages, sections, passages, quotes, ocr_pages = (int(v) for v in row)
    return pages, sections, passages, quotes, ocr_pages


def status_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Documents by status other than ok (failed, stale ...)."""
    return dict(con.execute(
        "SELECT status, count(*) FROM documents WHERE status <> 'ok' GROUP BY status ORDER BY status"
    ).fetchall())


def drop_documents_not_in(con: duckdb.DuckDBPyConnection, doc_ids: set[str]) -> list[str]:
    """Remove documents that left the manifest; return their ids."""
    stored = [row[0] for row in con.execute("SELECT doc_id FROM documents").fetchall()]
    gone = sorted(set(stored) - doc_ids)
    for doc_id in gone:
        with transaction(con):
            _delete_document_rows(con, doc_id)
    return gone


def _section_rows(doc_id: str, parsed: ParsedDocument) -> dict[str, list]:
    sections = parsed.sections
    return {
        "section_id": [section_id(doc_id, s.ordinal) for s in sections],
        "doc_id": [doc_id] * len(sections),
        "parent_id": [section_id(doc_id, s.parent) if s.parent is not None else None for s in sections],
        "ordinal": [s.ordinal for s in sections],
        "level": [s.level for s in sections],
        "number": [s.number for s in sections],
        "heading": [s.heading for s in sections],
        "path": [" > ".join(s.path) for s in sections],
        "page_start": [s.page_start for s in sections],
        "page_end": [s.page_end for s in sections],
        "char_start": [s.char_start for s in sections],
        "char_end": [s.char_end for s in sections],
    }


def _passage_rows(doc_id: str, parsed: ParsedDocument) -> dict[str, list]:
    passages = parsed.passages
    return {
        "passage_id": [passage_id(doc_id, p.ordinal) for p in passages],
        "doc_id": [doc_id] * len(passages),
        "section_id": [section_id(doc_id, p.section) if p.section is not None else None for p in passages],
        "ordinal": [p.ordinal for p in passages],
        "text": [p.text for p in passages],
        "page": [p.page for p in passages],
        "char_start": [p.char_start for p in passages],
        "char_end": [p.char_end for p in passages],
        "text_sha256": [text_sha256(p.text) for p in passages],
    }


def _quote_rows(doc_id: str, study: str, parsed: ParsedDocument) -> dict[str, list]:
    quotes = parsed.quotes
    codes = [q.attribution.code if q.attribution else None for q in quotes]
    return {
        "quote_id": [quote_id(doc_id, q.ordinal) for q in quotes],
        "doc_id": [doc_id] * len(quotes),
        "section_id": [section_id(doc_id, q.section) if q.section is not None else None for q in quotes],
        "ordinal": [q.ordinal for q in quotes],
        "text": [q.text for q in quotes],
        "respondent_id": [respondent_id(study, c) if c else None for c in codes],
        "respondent_code": codes,
        "scheme": [q.attribution.scheme if q.attribution else None for q in quotes],
        "attribution": [q.attribution.raw if q.attribution else None for q in quotes],
        "source_kind": [q.attribution.source_kind if q.attribution else "other" for q in quotes],
        "inline": [q.inline for q in quotes],
        "lead_in_role": [q.lead_in_role for q in quotes],
        "page": [q.page for q in quotes],
        "char_start": [q.char_start for q in quotes],
        "char_end": [q.char_end for q in quotes],
        "facets": [json.dumps(q.attribution.facets, sort_keys=True) if q.attribution else None for q in quotes],
        "cluster_id": [quote_id(doc_id, q.ordinal) for q in quotes],
    }


def _ocr_rows(doc_id: str, parsed: ParsedDocument) -> dict[str, list]:
    pages = sorted(parsed.ocr_confidence.items())
    return {
        "doc_id": [doc_id] * len(pages),
        "page": [page for page, _ in pages],
        "confidence": [confidence for _, confidence in pages],
    }


def _upsert_entities(con: duckdb.DuckDBPyConnection, parsed: ParsedDocument) -> None:
    """Entities are shared across documents: add new ones, merge aliases into known ones, and
    keep the most trusted source that found each (gazetteer, acronym, pattern, ner).

    Known entities are read in one query and written back in one statement, and only those whose
    aliases or source changed: a statement per entity cost more with every document stored."""
    found: dict[int, tuple[str, str, set[str], str]] = {}
    for m in parsed.mentions:
        key = entity_id(m.canonical, m.label)
        canonical, label, aliases, source = found.get(key, (m.canonical, m.label, set(), m.source))
        aliases.update(m.aliases or ())
        aliases.add(m.surface)
        found[key] = (canonical, label, aliases, _trusted(source, m.source))
    if not found:
        return
    stored = {key: (aliases, source) for key, aliases, source in con.execute(
        "SELECT entity_id, aliases, source FROM entities WHERE entity_id IN (SELECT unnest(?::BIGINT[]))",
        [list(found)],
    ).fetchall()}
    added: dict[str, list] = {"entity_id": [], "canonical": [], "label": [], "aliases": [], "source": []}
    changed: dict[str, list] = {"entity_id": [], "aliases": [], "source": []}
    for key, (canonical, label, aliases, source) in found.items():
        if key not in stored:
            for column, value in zip(added, (key, canonical, label, sorted(aliases), source)):
                added[column].append(value)
            continue
        known_aliases, known_source = stored[key]
        merged, trusted = sorted(set(known_aliases or ()) | aliases), _trusted(known_source, source)
        if merged != list(known_aliases or ()) or trusted != known_source:
            for column, value in zip(changed, (key, merged, trusted)):
                changed[column].append(value)
    insert_arrow(con, "entities", pa.table(added, schema=_ENTITY_ROWS))
    if changed["entity_id"]:
        con.register("_changed", pa.table(changed, schema=_ENTITY_CHANGES))
        try:
            con.execute("UPDATE entities SET aliases = c.aliases, source = c.source FROM _changed c "
                        "WHERE entities.entity_id = c.entity_id")
        finally:
            con.unregister("_changed")


_ENTITY_ROWS = pa.schema([("entity_id", pa.int64()), ("canonical", pa.string()), ("label", pa.string()),
                          ("aliases", pa.list_(pa.string())), ("source", pa.string())])
_ENTITY_CHANGES = pa.schema([("entity_id", pa.int64()), ("aliases", pa.list_(pa.string())),
                             ("source", pa.string())])


def _trusted(first: str | None, second: str) -> str:
    """The more trusted of two sources: the order of SOURCES."""
    if first not in SOURCES:
        return second
    return min(first, second, key=SOURCES.index)


def _mention_rows(doc_id: str, parsed: ParsedDocument) -> dict[str, list]:
    mentions = parsed.mentions
    passage_spans = sorted((p.char_start, p.char_end, passage_id(doc_id, p.ordinal)) for p in parsed.passages)
    quote_spans = sorted((q.char_start, q.char_end, quote_id(doc_id, q.ordinal)) for q in parsed.quotes)
    passage_starts = [s for s, _, _ in passage_spans]
    quote_starts = [s for s, _, _ in quote_spans]
    return {
        "entity_id": [entity_id(m.canonical, m.label) for m in mentions],
        "doc_id": [doc_id] * len(mentions),
        "passage_id": [_containing(passage_spans, passage_starts, m.char_start, m.char_end) for m in mentions],
        "quote_id": [_containing(quote_spans, quote_starts, m.char_start, m.char_end) for m in mentions],
        "char_start": [m.char_start for m in mentions],
        "char_end": [m.char_end for m in mentions],
        "surface": [m.surface for m in mentions],
    }


def _containing(spans: list[tuple[int, int, int]], starts: list[int], start: int, end: int) -> int | None:
    """The id of the span (sorted by start) that holds [start, end), looking back a few spans."""
    i = bisect_right(starts, start) - 1
    for s, e, key in reversed(spans[max(i - 8, 0): i + 1]):
        if s <= start and end <= e:
            return key
    return None
