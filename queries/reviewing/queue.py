"""The quotations whose coding the model is least sure of, for a reviewer to code first.

A quotation's doubt is how close its most doubtful membership is to the floor: a probability of
0.5 against a floor of 0.5 is a coin flip, and a reviewer's code there teaches the classifier
most (uncertainty sampling). One quotation per cluster of reprints.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from index.themes.ranking import DEFAULT_MIN_SCORE
from ingest.errors import RequestError


@dataclass(frozen=True)
class QueueItem:
    """One quotation to review: its closest call and its two most probable themes."""

    rank: int
    doubt: float
    closest_call: str
    closest_probability: float
    top_theme: str
    top_probability: float
    quote_id: int
    respondent_code: str | None
    doc_id: str
    page: int | None
    text: str


def review_queue(con: duckdb.DuckDBPyConnection, codebook: str, k: int = 20,
                 min_score: float = DEFAULT_MIN_SCORE) -> list[QueueItem]:
    """The k quotations whose membership of some theme of the codebook is nearest the floor."""
    if not con.execute("SELECT 1 FROM themes WHERE codebook = ? LIMIT 1", [codebook]).fetchall():
        known = [r[0] for r in con.execute("SELECT DISTINCT codebook FROM themes ORDER BY 1").fetchall()]
        raise RequestError(f"no codebook {codebook!r} in the store; codebooks: {', '.join(known) or 'none'}")
    rows = con.execute(
        "SELECT q.quote_id, coalesce(q.cluster_id, q.quote_id), t.name, qt.score, q.respondent_code, q.doc_id, "
        "q.page, q.text FROM quote_themes qt JOIN themes t USING (theme_id) JOIN quotes q USING (quote_id) "
        "WHERE t.codebook = ? AND qt.method = 'coded' ORDER BY q.quote_id, t.ordinal",
        [codebook],
    ).fetchall()
    if not rows:
        raise RequestError(f"codebook {codebook!r} has no learned coding; run `evidence learn` or re-ingest")
    by_quote: dict[int, list[tuple]] = {}
    seen_clusters: dict[int, int] = {}
    for row in rows:
        if seen_clusters.setdefault(row[1], row[0]) == row[0]:
            by_quote.setdefault(row[0], []).append(row)
    items = []
    for quote_id, scored in by_quote.items():
        closest = min(scored, key=lambda r: abs(r[3] - min_score))
        top = max(scored, key=lambda r: r[3])
        items.append((abs(closest[3] - min_score), quote_id, closest, top))
    items.sort(key=lambda item: (item[0], item[1]))
    return [
        QueueItem(rank, round(doubt, 4), closest[2], round(closest[3], 4), top[2], round(top[3], 4), quote_id,
                  top[4], top[5], top[6], top[7])
        for rank, (doubt, quote_id, closest, top) in enumerate(items[:k], start=1)
    ]
