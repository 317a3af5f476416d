"""Tables that depend on the whole corpus, rebuilt after the documents are stored.

Respondents are codes within a study, so they gather quotes from every document of
that study; quote clusters join the same utterance printed in several places, and a
respondent's `n_quotes` counts each cluster once however often it was printed.
"""

from __future__ import annotations

import json

import duckdb

from index.ids import stable_id
from index.transactions import insert_arrow, transaction
from ingest.quote_clusters import cluster_quotes

FACET_COLUMNS = ("phase", "site", "national", "number", "care_model", "role", "org")


def rebuild_corpus_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute quote clusters and the respondents table in one transaction."""
    with transaction(con):
        _assign_clusters(con)
        _rebuild_respondents(con)


def _assign_clusters(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT quote_id, text FROM quotes ORDER BY quote_id").fetchall()
    clusters = cluster_quotes([(str(quote_id), text) for quote_id, text in rows])
    con.execute("CREATE OR REPLACE TEMP TABLE _clusters (quote_id BIGINT, cluster_id BIGINT)")
    insert_arrow(con, "_clusters", {
        "quote_id": [q for q, _ in rows],
        "cluster_id": [stable_id("cluster", clusters.get(str(q), str(q))) for q, _ in rows],
    })
    con.execute(
        "UPDATE quotes SET cluster_id = c.cluster_id FROM _clusters c WHERE quotes.quote_id = c.quote_id"
    )
    con.execute("DROP TABLE _clusters")


def _rebuild_respondents(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM respondents")
    rows = con.execute(
        "SELECT q.respondent_id, d.study, q.respondent_code, any_value(q.scheme), any_value(q.facets), "
        "count(DISTINCT coalesce(q.cluster_id, q.quote_id)) "
        "FROM quotes q JOIN documents d USING (doc_id) WHERE q.respondent_id IS NOT NULL "
        "GROUP BY q.respondent_id, d.study, q.respondent_code ORDER BY q.respondent_id"
    ).fetchall()
    records = []
    for respondent_id, study, code, scheme, facets_json, n_quotes in rows:
        facets = json.loads(facets_json) if facets_json else {}
        records.append((respondent_id, study, code, scheme, *(_facet(facets, c) for c in FACET_COLUMNS), n_quotes))
    if records:
        con.executemany(
            f"INSERT INTO respondents VALUES ({', '.join('?' * (5 + len(FACET_COLUMNS)))})", records
        )


def _facet(facets: dict, column: str) -> object:
    value = facets.get(column)
    if value is None:
        return None
    if column in ("phase", "number"):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None
    if column == "national":
        return bool(value)
    return str(value)
