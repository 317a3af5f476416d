"""Rank quotations for a theme: by learned membership probability (coded), dense, lexical (BM25),
heading, and their reciprocal rank fusion; then keep the list diverse (one quotation per cluster,
a few per respondent at the top).

Dense ranks a codebook theme by its share against the other themes of its codebook (a softmax
over the codebook's themes of the quotation-with-surroundings scores), and free text by the
blended cosine alone: free text has no sibling themes to contrast with (see corpus.py).
The dense scores use neither headings nor annotations; the heading signal is separate.

Reciprocal rank fusion adds 1 / (RRF_K + rank) over the rankings an item appears in: it needs
no score calibration between cosine and BM25, and an item several signals agree on rises.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.themes.corpus import NO_RESPONDENT, StoredTheme, ThemeCorpus
from ingest.errors import RequestError

METHODS = ("coded", "dense", "lexical", "hybrid", "heading")
DEFAULT_METHOD = "coded"
# The default membership floor: a quotation is evidence for a theme when its probability reaches it.
DEFAULT_MIN_SCORE = 0.5
RRF_K = 60


@dataclass(frozen=True)
class ThemeQuery:
    """A theme to rank for: its text for BM25, its vector for dense scores, its heading phrases, and
    the codebook theme it is (None for free text), whose facet vectors and siblings dense uses."""

    text: str
    vector: np.ndarray | None
    heading_phrases: tuple[str, ...]
    theme: StoredTheme | None = None

    @classmethod
    def for_theme(cls, theme: StoredTheme) -> ThemeQuery:
        return cls(theme.query_text, theme.vector, theme.heading_phrases, theme)


def dense_scores(corpus: ThemeCorpus, query: ThemeQuery) -> np.ndarray:
    """Contrasted scores for a codebook theme, blended cosines for free text (-inf: no windows)."""
    if query.theme is not None and query.theme.vectors is not None:
        return corpus.codebook_dense_scores(query.theme)
    if query.vector is None:
        raise RequestError("this theme has no stored vector; re-run the ingest so the codebook is embedded")
    return corpus.dense_scores(query.vector)


def membership(corpus: ThemeCorpus, query: ThemeQuery) -> np.ndarray:
    """Per corpus row, the probability that the quotation is evidence for the theme: the learned
    coding for a codebook theme, the calibrated cosine for free text (0 for a quotation without windows)."""
    if query.theme is not None:
        coded = corpus.coded.get(query.theme.theme_id)
        if coded is None:
            raise RequestError("this theme has no learned coding; re-run the ingest so the codebook is learned")
        return coded
    if corpus.free_text_curve is None or query.vector is None:
        raise RequestError("the store has no free-text calibration; re-run the ingest with a codebook")
    scale, offset = corpus.free_text_curve
    dense = corpus.dense_scores(query.vector).astype(np.float64)
    finite = np.isfinite(dense)
    out = np.zeros(len(corpus), dtype=np.float32)
    out[finite] = 1.0 / (1.0 + np.exp(-np.clip(scale * dense[finite] + offset, -50, 50)))
    return out


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Sum of 1 / (k + rank) for each item over the rankings it appears in (ranks start at 1)."""
    fused: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] += 1.0 / (k + rank)
    return dict(fused)


def rank_rows(corpus: ThemeCorpus, query: ThemeQuery, rows: np.ndarray | list[int],
              method: str) -> list[tuple[int, float]]:
    """Candidate rows of the corpus with their scores, best first, by one method."""
    if method not in METHODS:
        raise RequestError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    rows = np.asarray(rows, dtype=np.int64)
    if method == "coded":
        return _ordered(rows, membership(corpus, query))
    if method == "lexical":
        lexical = corpus.lexical_scores(query.text)
        return _ordered(rows[lexical[rows] > 0], lexical)
    dense = dense_scores(corpus, query)
    dense_order = _ordered(rows[np.isfinite(dense[rows])], dense)
    if method == "dense":
        return dense_order
    lexical = corpus.lexical_scores(query.text)
    lexical_order = _ordered(rows[lexical[rows] > 0], lexical)
    headed = corpus.heading_matches(query.heading_phrases)
    heading_order = [(row, score) for row, score in dense_order if headed[row]]
    if method == "heading":
        return _fuse([heading_order, [(r, s) for r, s in lexical_order if headed[r]]], heading_order)
    return _fuse([dense_order, lexical_order, heading_order], dense_order)


def _ordered(rows: np.ndarray, scores: np.ndarray) -> list[tuple[int, float]]:
    """Rows by score, best first; ties keep quote order, so results are deterministic."""
    order = np.argsort(-scores[rows], kind="stable")
    return [(int(rows[i]), float(scores[rows[i]])) for i in order]


def _fuse(rankings: list[list[tuple[int, float]]], base: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Fuse rankings by RRF; ties go to the order of `base`, then to rows found only elsewhere."""
    fused = reciprocal_rank_fusion([[row for row, _ in ranking] for ranking in rankings])
    tie = {row: i for i, (row, _) in enumerate(base)}
    ordered = sorted(fused, key=lambda row: (-fused[row], tie.get(row, len(tie)), row))
    return [(row, fused[row]) for row in ordered]


def diversify(
    ranked: Sequence[tuple[int, float]], corpus: ThemeCorpus, k: int, respondent_cap: int | None,
    cap_window: int = 10,
) -> list[tuple[int, float]]:
    """At most one quotation per cluster; at most `respondent_cap` per respondent in the first
    `cap_window` places, unless the candidates leave no alternative (then the best of the rest fill in).

    A quotation printed in several documents is shown once, at its best rank, by the printing whose
    document has the fewest results so far: a report and the article reusing its quotations both show.
    """
    members: dict[int, list[int]] = defaultdict(list)
    for row, _ in ranked:
        members[int(corpus.cluster_ids[row])].append(row)
    unique: list[tuple[int, float]] = []
    per_document: Counter[str] = Counter()
    for row, score in ranked:
        cluster = int(corpus.cluster_ids[row])
        if cluster not in members:
            continue
        chosen = min(members.pop(cluster), key=lambda r: per_document[corpus.doc_ids[r]])
        per_document[corpus.doc_ids[chosen]] += 1
        unique.append((chosen, score))
    if respondent_cap is None:
        return unique[:k]
    head: list[tuple[int, float]] = []
    counts: Counter[int] = Counter()
    for row, score in unique:
        if len(head) >= cap_window:
            break
        respondent = int(corpus.respondent_ids[row])
        if respondent != NO_RESPONDENT and counts[respondent] >= respondent_cap:
            continue
        head.append((row, score))
        counts[respondent] += 1
    chosen_rows = {row for row, _ in head}
    return (head + [item for item in unique if item[0] not in chosen_rows])[:k]
