"""Themes by facet: how many quotations each theme holds per site, phase, care model, document...

Counts come from the coding stored at ingest (`quote_themes`): a quotation counts for a theme
when its score for the chosen method reaches the threshold; by default the learned membership
probability (`coded`) and the floor 0.5, the very rule `evidence theme` answers by, so a cell equals
the number of quotations `theme` finds for the same theme and facet value. A quotation printed in
several documents (one cluster) counts once per cell and once in the row total. A quotation
without the facet (a document quotation has no site) counts under "(none)".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from index.themes.ranking import DEFAULT_METHOD, DEFAULT_MIN_SCORE, METHODS
from ingest.errors import RequestError

# Facet name -> SQL expression over quotes q, documents d, respondents r.
MATRIX_FACETS = {
    "site": "r.site",
    "phase": "r.phase",
    "national": "r.national",
    "care_model": "r.care_model",
    "role": "r.role",
    "org": "r.org",
    "respondent": "q.respondent_code",
    "source_kind": "q.source_kind",
    "doc_id": "q.doc_id",
    "study": "d.study",
}
NONE_LABEL = "(none)"
# Defaults per method. A dense score is a quotation's share of its codebook (shares over the
# codebook's themes add up to one), so 0.3 means the theme clearly leads for that quotation:
# on the default corpus most quotations get one or two themes of a codebook.
DEFAULT_THRESHOLDS = {"coded": DEFAULT_MIN_SCORE, "dense": 0.3, "lexical": 5.0, "hybrid": 0.03, "heading": 0.0}


@dataclass(frozen=True)
class ThemeMatrix:
    """Rows are themes (in codebook order), columns facet values; `total` per row."""

    codebook: str
    facet: str
    method: str
    threshold: float
    columns: list[str]
    rows: list[dict[str, Any]]
    # (theme, column value) -> the quotations counted in that cell, one per reprint cluster, best first.
    members: dict[tuple[str, str], list[int]] = field(default_factory=dict, repr=False)

    @property
    def assignments(self) -> int:
        """(quotation, theme) memberships, a cluster of reprints counted once per theme."""
        return sum(int(row["total"]) for row in self.rows)


def theme_matrix(
    con: duckdb.DuckDBPyConnection, codebook: str, by: str, threshold: float | None = None,
    method: str = DEFAULT_METHOD,
) -> ThemeMatrix:
    """Quotation counts per theme and facet value, for assignments scoring at least `threshold`."""
    if by not in MATRIX_FACETS:
        raise RequestError(f"cannot group by {by!r}; choose one of {', '.join(MATRIX_FACETS)}")
    if method not in METHODS:
        raise RequestError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    threshold = DEFAULT_THRESHOLDS[method] if threshold is None else threshold
    themes = con.execute(
        "SELECT theme_id, name FROM themes WHERE codebook = ? ORDER BY ordinal, theme_id", [codebook]
    ).fetchall()
    if not themes:
        known = [r[0] for r in con.execute("SELECT DISTINCT codebook FROM themes ORDER BY 1").fetchall()]
        raise RequestError(f"no codebook {codebook!r} in the store; codebooks: {', '.join(known) or 'none'}")
    assigned = con.execute(
        f"SELECT qt.theme_id, coalesce(CAST({MATRIX_FACETS[by]} AS VARCHAR), ?), "
        "coalesce(q.cluster_id, q.quote_id), q.quote_id "
        "FROM quote_themes qt JOIN themes t USING (theme_id) JOIN quotes q USING (quote_id) "
        "JOIN documents d USING (doc_id) LEFT JOIN respondents r USING (respondent_id) "
        "WHERE t.codebook = ? AND qt.method = ? AND qt.score >= ? ORDER BY qt.score DESC, q.quote_id",
        [NONE_LABEL, codebook, method, threshold],
    ).fetchall()
    columns = sorted({value for _, value, _, _ in assigned}, key=_natural)
    cells: dict[tuple[int, str], dict[int, int]] = {}
    totals: dict[int, set[int]] = {}
    for theme_id, value, cluster, quote_id in assigned:
        cells.setdefault((theme_id, value), {}).setdefault(cluster, quote_id)
        totals.setdefault(theme_id, set()).add(cluster)
    rows, members = [], {}
    for theme_id, name in themes:
        row: dict[str, object] = {"theme": name}
        row.update({value: len(cells.get((theme_id, value), {})) for value in columns})
        row["total"] = len(totals.get(theme_id, ()))
        rows.append(row)
        members.update({(name, value): list(cells[(theme_id, value)].values())
                        for value in columns if (theme_id, value) in cells})
    return ThemeMatrix(codebook, by, method, threshold, columns, rows, members)


def _natural(value: str) -> tuple:
    """Numbers in numeric order ("2" before "10"), "(none)" last."""
    return (value == NONE_LABEL, not value.isdigit(), int(value) if value.isdigit() else 0, value)
