"""Write ingest records into DuckDB: one transaction per document, replacing that document's rows."""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from index.ids import stable_id, text_sha256
from index.transactions import insert_arrow, transaction
from ingest.records import ParsedDocument

DOC_TABLES = ("mentions", "quotes", "passages", "sections", "ocr_pages")


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
    for table in DOC_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
    con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])


def _document_row(meta: DocumentMeta, status: str, error: str | None, parsed: ParsedDocument | None) -> dict:
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
        "source_path": [meta.source_path],
        "source_format": [parsed.source_format if parsed else None],
        "sha256": [meta.sha256],
        "parser_version": [meta.parser_version],
        "n_pages": [parsed.n_pages if parsed else None],
        "text": [parsed.clean.text if parsed else None],
        "status": [status],
        "error": [error],
        "ingested_at": [datetime.now(UTC).replace(tzinfo=None)],
    }


def replace_document(con: duckdb.DuckDBPyConnection, meta: DocumentMeta, parsed: ParsedDocument) -> None:
    """Replace everything stored for one document, all or nothing."""
    doc_id = meta.doc_id
    with transaction(con):
        _delete_document_rows(con, doc_id)
        insert_arrow(con, "documents", _document_row(meta, "ok", None, parsed))
        insert_arrow(con, "sections", _section_rows(doc_id, parsed))
        insert_arrow(con, "passages", _passage_rows(doc_id, parsed))
        insert_arrow(con, "quotes", _quote_rows(doc_id, meta.study, parsed))
        _upsert_entities(con, parsed)
        insert_arrow(con, "mentions", _mention_rows(doc_id, parsed))
        insert_arrow(con, "ocr_pages", _ocr_rows(doc_id, parsed))


def record_failure(con: duckdb.DuckDBPyConnection, meta: DocumentMeta, error: str) -> None:
    """Keep a failed document visible with its reason, and serve none of its old rows."""
    with transaction(con):
        _delete_document_rows(con, meta.doc_id)
        insert_arrow(con, "documents", _document_row(meta, "failed", error, None))


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
    """Entities are shared across documents: add new ones and merge aliases into known ones."""
    found: dict[int, tuple[str, str, set[str]]] = {}
    for m in parsed.mentions:
        key = entity_id(m.canonical, m.label)
        entry = found.setdefault(key, (m.canonical, m.label, set()))
        entry[2].update(m.aliases or ())
        entry[2].add(m.surface)
    for key, (canonical, label, aliases) in found.items():
        row = con.execute("SELECT aliases FROM entities WHERE entity_id = ?", [key]).fetchone()
        if row is None:
            con.execute(
                "INSERT INTO entities VALUES (?, ?, ?, ?)", [key, canonical, label, sorted(aliases)]
            )
        else:
            merged = sorted(set(row[0] or ()) | aliases)
            con.execute("UPDATE entities SET aliases = ? WHERE entity_id = ?", [merged, key])


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
