"""Plain listings of stored rows: respondents with their facets, and policy entities with their names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.published import open_published
from queries.search.known_values import match_document, match_label, match_study

RESPONDENT_COLUMNS = (
    "study", "code", "scheme", "phase", "site", "national", "number", "care_model", "role", "org", "n_quotes",
)


def list_respondents(data_dir: Path, study: str | None = None) -> list[dict[str, Any]]:
    """Respondents ordered by study and code, with their facets and how often they are quoted:
    `n_quotes` counts a reprinted quotation once, `printings` every place it is printed."""
    con, _ = open_published(data_dir)
    try:
        study = match_study(con, study) if study else None
        cursor = con.execute(
            f"SELECT {', '.join('r.' + c for c in RESPONDENT_COLUMNS)}, "
            "(SELECT count(*) FROM quotes q WHERE q.respondent_id = r.respondent_id) FROM respondents r "
            "WHERE ? IS NULL OR r.study = ? ORDER BY r.study, r.code",
            [study, study],
        )
        return [dict(zip((*RESPONDENT_COLUMNS, "printings"), row)) for row in cursor.fetchall()]
    finally:
        con.close()


ENTITY_COLUMNS = ("canonical", "label", "source", "mentions", "quotes", "documents", "aliases")


def list_entities(data_dir: Path, label: str | None = None, doc_id: str | None = None,
                  source: str | None = None) -> list[dict[str, Any]]:
    """Entities with how often they are mentioned, in how many quotations (a reprint once) and documents;
    `source` keeps those one source found (gazetteer, acronym, pattern, ner)."""
    con, _ = open_published(data_dir)
    try:
        label = match_label(con, label) if label else None
        doc_id = match_document(con, doc_id) if doc_id else None
        cursor = con.execute(
            "SELECT e.canonical, e.label, e.source, count(*) AS mentions, "
            "count(DISTINCT coalesce(q.cluster_id, m.quote_id)) AS quotes, "
            "count(DISTINCT m.doc_id) AS documents, e.aliases "
            "FROM entities e JOIN mentions m USING (entity_id) LEFT JOIN quotes q ON q.quote_id = m.quote_id "
            "WHERE (? IS NULL OR upper(e.label) = upper(?)) AND (? IS NULL OR m.doc_id = ?) "
            "AND (? IS NULL OR lower(e.source) = lower(?)) "
            "GROUP BY e.entity_id, e.canonical, e.label, e.source, e.aliases ORDER BY mentions DESC, e.canonical",
            [label, label, doc_id, doc_id, source, source],
        )
        return [dict(zip(ENTITY_COLUMNS, row)) for row in cursor.fetchall()]
    finally:
        con.close()
