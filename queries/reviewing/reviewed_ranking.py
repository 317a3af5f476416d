"""Theme evidence with the reviewers' decisions: their codes first, their rejections gone.

The automatic ranking is computed per generation (index/themes/corpus.py) and knows nothing of
reviews. On a connection carrying the reviewed overlay (index/review_overlay.py) this module
adjusts its answer: quotations a reviewer coded with the theme come first (an added quotation
too, though the ranking never saw it), quotations a reviewer took out of the theme or rejected
are left out, and every hit shows the reviewed text and respondent.
"""

from __future__ import annotations

import duckdb
import numpy as np

from index.themes.corpus import StoredTheme, ThemeCorpus, display_rows
from index.themes.ranking import ThemeQuery, diversify, rank_rows
from queries.search.quote_filters import QuoteFilter, matching_quote_ids

# Score shown for a reviewer-coded quotation the automatic ranking never scored (an added one).
REVIEWER_SCORE = 1.0


def reviewed_ranking(
    con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, theme: StoredTheme | None, query: ThemeQuery,
    where: QuoteFilter | None, k: int, method: str, respondent_cap: int | None, cap_window: int,
    above: np.ndarray | None = None,
) -> tuple[list[tuple[int, float, tuple]], int]:
    """(quote_id, score, display fields) of the k hits, reviewer-coded ones first, and how many
    quotations are members (reprints once). `above` marks the corpus rows whose probability reaches
    the floor; a quotation a reviewer coded with the theme is a member whatever its probability."""
    allowed = set(matching_quote_ids(con, where or QuoteFilter()))
    codes = dict(con.execute(
        "SELECT quote_id, coded FROM review_theme_codes WHERE theme_id = ?",
        [theme.theme_id if theme else None],
    ).fetchall())
    coded = [q for q, yes in codes.items() if yes and q in allowed]
    rows = np.array(sorted(corpus.position[q] for q in allowed
                           if q in corpus.position and q not in codes), dtype=np.int64)
    if above is not None:
        rows = rows[above[rows]]
    members = len(np.unique(corpus.cluster_ids[rows])) + len(coded)
    automatic = diversify(rank_rows(corpus, query, rows, method), corpus, k, respondent_cap, cap_window)
    scores = dict(rank_rows(corpus, query, [corpus.position[q] for q in coded if q in corpus.position], method))
    first = sorted(((q, scores.get(corpus.position.get(q, -1), REVIEWER_SCORE)) for q in coded),
                   key=lambda item: -item[1])
    chosen = [*first, *((int(corpus.quote_ids[row]), score) for row, score in automatic)][:k]
    shown = display_rows(con, [q for q, _ in chosen])
    return [(q, score, shown[q]) for q, score in chosen if q in shown], members
