"""What a theme query reads, loaded once per published generation: quote window vectors, the
vectors of the passages around each quotation, a BM25 index over the quotations, their section
paths, clusters and respondents, and the stored themes.

A generation never changes once published, so this is built on the first query and kept in
memory; a warm query is then a few numpy dot products and one SQL for the filters.

Dense scores (see `dense_scores` and `codebook_dense_scores`):
- A theme is several vectors: "name. description" and each example phrase alone. One averaged
  text blurs eight different ways of talking about a theme into one point; a quotation close to
  any one of them is close to the theme, so a text's similarity is the best over the vectors.
- A quotation is read with its surroundings: its best window (quotation and lead-in), blended
  with the similarity of the passages around it in its document, weighted by a Gaussian of
  their distance in characters (a passage holding the quotation has weight 1). Quotations are
  often short and elliptical ("it fizzled out"); the authors' own prose around them says what
  they are about. Passages never hold the headings, so no heading text enters a dense score.
- A codebook theme is contrasted with the other themes of its codebook: each theme's blended
  scores are standardised over the corpus (removing what is common to the theme's wording), and
  the dense score is the softmax over the codebook's themes, i.e. the share of the quotation that
  goes to this theme rather than to its siblings. Codebook themes are alternatives (Nolte's
  factors, a report's chapters), so a quotation about funding should rank high for resources and
  low for leadership, even when both are "about implementation". Free text has no siblings: its
  dense score is the blended cosine, uncontrasted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow.compute as pc

from index.ids import text_sha256
from index.themes.headings import path_names_theme, phrase_terms
from index.themes.lexical import lexical_terms

NO_RESPONDENT = -1
# Weight of a quotation's own best window in its dense score; the passages around it take the rest.
QUOTE_WEIGHT = 0.15
# Standard deviation, in characters, of the Gaussian that weights the passages around a quotation.
CONTEXT_SCALE_CHARS = 1500.0
# Passages further than this many standard deviations away get no weight.
CONTEXT_CUTOFF = 3.0
# Temperature of the softmax over a codebook's themes, in standard deviations of each theme's scores.
CONTRAST_TEMPERATURE = 1.0
# Corpora kept in memory: the published one and the one a swap just replaced.
CACHED_GENERATIONS = 2


@dataclass(frozen=True)
class StoredTheme:
    """A codebook theme as the ingest stored it, with its query vector from the embedding cache."""

    theme_id: int
    codebook: str
    name: str
    description: str | None
    query_text: str
    headings: tuple[str, ...]
    vector: np.ndarray | None = field(repr=False, compare=False)
    facet_vectors: np.ndarray | None = field(default=None, repr=False, compare=False)
    examples: tuple[str, ...] = ()

    @property
    def heading_phrases(self) -> tuple[str, ...]:
        return (self.name, *self.headings)

    @property
    def vectors(self) -> np.ndarray | None:
        """The theme's query vectors: one per facet text when stored, else the one whole-text vector."""
        if self.facet_vectors is not None and len(self.facet_vectors):
            return self.facet_vectors
        return None if self.vector is None else self.vector[None, :]


def theme_facet_texts(name: str, description: str | None, examples: Sequence[str]) -> list[str]:
    """The texts a theme is embedded as, one vector each: "name. description", then each example."""
    head = " ".join(f"{name}. {description or ''}".split())
    return list(dict.fromkeys(t for t in [head, *(" ".join(e.split()) for e in examples)] if t))


@dataclass
class ThemeCorpus:
    """Per-quotation arrays in quote_id order; `position` maps a quote id to its row."""

    model: str | None
    quote_ids: np.ndarray
    cluster_ids: np.ndarray
    respondent_ids: np.ndarray
    doc_ids: list[str]
    section_paths: list[str | None]
    window_quote_rows: np.ndarray
    window_vectors: np.ndarray
    bm25: Any  # a bm25s.BM25 (untyped library), or None for an empty corpus
    themes: tuple[StoredTheme, ...]
    display: dict[int, tuple] = field(repr=False)
    passage_vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32), repr=False)
    # Sparse quotation x passage weights (row, passage, weight); each quotation's weights sum to 1.
    context_quote_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    context_passages: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64), repr=False)
    context_weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)
    # Theme id -> learned membership probability per row (the `coded` rows of quote_themes).
    coded: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    # Scale and offset mapping a free-text blended cosine to a membership probability.
    free_text_curve: tuple[float, float] | None = None
    position: dict[int, int] = field(init=False)
    filtered_rows: dict[object, np.ndarray] = field(default_factory=dict, init=False, repr=False)
    _heading_cache: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict, init=False)
    _codebook_cache: dict[str, dict[int, np.ndarray]] = field(default_factory=dict, init=False, repr=False)
    _last_dense: tuple[tuple[tuple[int, ...], bytes], np.ndarray] | None = field(
        default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.position = {int(q): i for i, q in enumerate(self.quote_ids)}
        self._has_context = np.zeros(len(self.quote_ids), dtype=bool)
        self._has_context[self.context_quote_rows] = True

    def __len__(self) -> int:
        return len(self.quote_ids)

    def window_scores(self, vectors: np.ndarray) -> np.ndarray:
        """Cosine of each quotation's best window with its best query vector; -inf for a quotation with none."""
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        scores = np.full(len(self), -np.inf, dtype=np.float32)
        if len(self.window_vectors) and vectors.shape[-1] == self.window_vectors.shape[1]:
            np.maximum.at(scores, self.window_quote_rows, (self.window_vectors @ vectors.T).max(axis=1))
        return scores

    def dense_scores(self, vectors: np.ndarray) -> np.ndarray:
        """Blend of each quotation's best window and the passages around it, for one or more query
        vectors (each text takes its best vector); -inf for a quotation without windows.

        A quotation without passages around it (a store without passages) keeps its window score.
        The last query's scores are kept: a free-text query reads them for its membership floor and
        again for its ranking.
        """
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        key = (vectors.shape, vectors.tobytes())
        last = self._last_dense
        if last is not None and last[0] == key:
            return last[1]
        scores = self._blended(vectors)
        scores.flags.writeable = False
        self._last_dense = (key, scores)
        return scores

    def _blended(self, vectors: np.ndarray) -> np.ndarray:
        own = self.window_scores(vectors)
        if not len(self.context_weights) or vectors.shape[-1] != self.passage_vectors.shape[1]:
            return own
        passage = (self.passage_vectors @ vectors.T).max(axis=1)
        around = np.bincount(self.context_quote_rows, self.context_weights * passage[self.context_passages],
                             minlength=len(self)).astype(np.float32)
        blended = np.where(self._has_context, QUOTE_WEIGHT * own + (1.0 - QUOTE_WEIGHT) * around, own)
        return np.where(np.isfinite(own), blended, -np.inf).astype(np.float32)

    def codebook_dense_scores(self, theme: StoredTheme) -> np.ndarray:
        """The theme's dense scores contrasted with the other themes of its codebook: for each
        quotation, the softmax over the codebook's themes of their standardised blended scores.

        Computed for the whole codebook on first use and kept (a generation never changes), so a
        warm query reads one array. A codebook with a single embedded theme has nothing to contrast
        with and gives the blended scores.
        """
        cached = self._codebook_cache.get(theme.codebook)
        if cached is None:
            cached = self._codebook_cache[theme.codebook] = self._contrast(theme.codebook)
        if theme.theme_id in cached:
            return cached[theme.theme_id]
        return self.dense_scores(theme.vectors if theme.vectors is not None else np.zeros((1, 0), np.float32))

    def _contrast(self, codebook: str) -> dict[int, np.ndarray]:
        siblings = [t for t in self.themes if t.codebook == codebook and t.vectors is not None]
        raw = [self.dense_scores(vectors) for t in siblings if (vectors := t.vectors) is not None]
        if len(siblings) < 2:
            return {t.theme_id: s for t, s in zip(siblings, raw)}
        scores = np.stack(raw).astype(np.float64)
        finite = np.isfinite(scores).all(axis=0)
        if not finite.any():
            return {t.theme_id: s for t, s in zip(siblings, raw)}
        kept = scores[:, finite]
        spread = kept.std(axis=1, keepdims=True)
        z = (kept - kept.mean(axis=1, keepdims=True)) / np.where(spread > 1e-9, spread, 1.0)
        logits = z / CONTRAST_TEMPERATURE
        shares = np.exp(logits - logits.max(axis=0))
        shares /= shares.sum(axis=0)
        out = np.full(scores.shape, -np.inf, dtype=np.float32)
        out[:, finite] = shares
        return {t.theme_id: out[i] for i, t in enumerate(siblings)}

    def lexical_scores(self, text: str) -> np.ndarray:
        """BM25 score of each quotation (with its lead-in) for the query's content words."""
        terms = lexical_terms(text)
        if self.bm25 is None or not terms:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(terms), dtype=np.float32)

    def heading_matches(self, phrases: tuple[str, ...]) -> np.ndarray:
        """Which quotations sit below a heading naming one of the phrases."""
        if phrases not in self._heading_cache:
            terms = phrase_terms(phrases)
            by_path = {path: path_names_theme(path, terms) for path in set(self.section_paths)}
            self._heading_cache[phrases] = np.array([by_path[p] for p in self.section_paths], dtype=bool)
        return self._heading_cache[phrases]

    def themes_named(self, name: str, codebook: str | None = None) -> list[StoredTheme]:
        key = " ".join(name.split()).casefold()
        return [t for t in self.themes if t.name.casefold() == key and codebook in (None, t.codebook)]


class CorpusCache:
    """Theme corpora by database file, each loaded once while its file is unchanged; the last
    CACHED_GENERATIONS are kept. Owned by whoever answers many queries (queries/store.py), never global."""

    def __init__(self) -> None:
        self._corpora: dict[tuple[str, int, int], ThemeCorpus] = {}

    def corpus_for(self, con: duckdb.DuckDBPyConnection, db_path: Path) -> ThemeCorpus:
        stat = db_path.stat()
        key = (str(db_path.resolve()), stat.st_mtime_ns, stat.st_size)
        corpus = self._corpora.get(key)
        if corpus is None:
            corpus = load_theme_corpus(con)
            while len(self._corpora) >= CACHED_GENERATIONS:
                self._corpora.pop(next(iter(self._corpora)))
            self._corpora[key] = corpus
        return corpus

    def clear(self) -> None:
        self._corpora.clear()


def load_theme_corpus(con: duckdb.DuckDBPyConnection) -> ThemeCorpus:
    """Read every array a theme query needs, with one SQL statement per kind of data."""
    model = _model(con)
    quotes = con.execute(
        "SELECT q.quote_id, coalesce(q.cluster_id, q.quote_id), coalesce(q.respondent_id, ?), s.path, "
        "coalesce(w.lead_in || ' ', '') || q.text, q.doc_id, q.char_start, q.char_end "
        "FROM quotes q LEFT JOIN sections s USING (section_id) "
        "LEFT JOIN quote_windows w ON w.quote_id = q.quote_id AND w.ordinal = 0 ORDER BY q.quote_id",
        [NO_RESPONDENT],
    ).fetchall()
    quote_ids = np.array([r[0] for r in quotes], dtype=np.int64)
    rows, vectors = _window_vectors(con, model, {int(q): i for i, q in enumerate(quote_ids)})
    passages, passage_vectors = _passages(con, model)
    context = _context_weights([(r[5], r[6], r[7]) for r in quotes], passages)
    return ThemeCorpus(
        model=model,
        quote_ids=quote_ids,
        cluster_ids=np.array([r[1] for r in quotes], dtype=np.int64),
        respondent_ids=np.array([r[2] for r in quotes], dtype=np.int64),
        doc_ids=[r[5] for r in quotes],
        section_paths=[r[3] for r in quotes],
        window_quote_rows=rows,
        window_vectors=vectors,
        bm25=_bm25([r[4] for r in quotes]),
        themes=_themes(con, model),
        display=display_rows(con),
        passage_vectors=passage_vectors,
        context_quote_rows=context[0],
        context_passages=context[1],
        context_weights=context[2],
        coded=_coded(con, {int(q): i for i, q in enumerate(quote_ids)}),
        free_text_curve=_free_text_curve(con, model),
    )


def _coded(con: duckdb.DuckDBPyConnection, position: dict[int, int]) -> dict[int, np.ndarray]:
    coded: dict[int, np.ndarray] = {}
    for theme_id, quote_id, score in con.execute(
        "SELECT theme_id, quote_id, score FROM quote_themes WHERE method = 'coded'"
    ).fetchall():
        if quote_id in position:
            coded.setdefault(theme_id, np.zeros(len(position), dtype=np.float32))[position[quote_id]] = score
    return coded


def _free_text_curve(con: duckdb.DuckDBPyConnection, model: str | None) -> tuple[float, float] | None:
    rows = con.execute('SELECT scale, "offset" FROM free_text_calibration WHERE model = ?', [model or ""]).fetchall()
    return (float(rows[0][0]), float(rows[0][1])) if rows else None


def _passages(con: duckdb.DuckDBPyConnection, model: str | None) -> tuple[list[tuple], np.ndarray]:
    """(doc_id, char_start, char_end) and vector of every embedded passage, by document and place."""
    table = con.sql(
        "SELECT p.doc_id, p.char_start, p.char_end, e.vector FROM passages p JOIN embeddings e "
        "ON e.text_sha256 = p.text_sha256 AND e.model = $model ORDER BY p.doc_id, p.char_start, p.passage_id",
        params={"model": model},
    ).to_arrow_table()
    if table.num_rows == 0:
        return [], np.zeros((0, 0), dtype=np.float32)
    flat = pc.list_flatten(table.column("vector")).to_numpy(zero_copy_only=False).astype(np.float32)
    spans = list(zip(table.column("doc_id").to_pylist(), table.column("char_start").to_pylist(),
                     table.column("char_end").to_pylist()))
    return spans, flat.reshape(table.num_rows, -1)


def _context_weights(quotes: list[tuple], passages: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse weights of the passages around each quotation: a Gaussian of the gap in characters
    between the two spans (0 when they overlap), within the same document, normalised per quotation."""
    by_doc: dict[str, list[int]] = {}
    for i, (doc_id, _, _) in enumerate(passages):
        by_doc.setdefault(doc_id, []).append(i)
    starts = {d: np.array([passages[i][1] for i in ix]) for d, ix in by_doc.items()}
    ends = {d: np.array([passages[i][2] for i in ix]) for d, ix in by_doc.items()}
    reach = CONTEXT_SCALE_CHARS * CONTEXT_CUTOFF
    rows, cols, weights = [], [], []
    for row, (doc_id, start, end) in enumerate(quotes):
        if doc_id not in by_doc or start is None or end is None:
            continue
        gap = np.maximum(0, np.maximum(starts[doc_id] - end, start - ends[doc_id]))
        near = np.flatnonzero(gap <= reach)
        if not len(near):
            continue
        w = np.exp(-0.5 * (gap[near] / CONTEXT_SCALE_CHARS) ** 2)
        rows.append(np.full(len(near), row, dtype=np.int64))
        cols.append(np.asarray(by_doc[doc_id], dtype=np.int64)[near])
        weights.append(w / w.sum())
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(weights).astype(np.float32)


def display_rows(con: duckdb.DuckDBPyConnection, ids: list[int] | None = None) -> dict[int, tuple]:
    """What a hit shows per quote id (all, or those in `ids`), in ThemeHit's field order: read once per
    generation, so a query runs no SQL for it."""
    rows = con.execute(
        "SELECT q.quote_id, q.text, q.respondent_code, r.phase, r.site, r.national, r.care_model, r.role, r.org, "
        "q.lead_in_role, q.source_kind, q.doc_id, d.title, s.path, q.page, q.attribution FROM quotes q "
        "JOIN documents d USING (doc_id) LEFT JOIN sections s USING (section_id) "
        "LEFT JOIN respondents r USING (respondent_id) WHERE ? IS NULL OR q.quote_id IN (SELECT unnest(?::BIGINT[]))",
        [ids, ids],
    ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _model(con: duckdb.DuckDBPyConnection) -> str | None:
    """The model the ingest coded the themes with, else the one whose vectors cover the quote windows."""
    row = con.execute(
        "SELECT model FROM themes WHERE model IS NOT NULL GROUP BY model ORDER BY count(*) DESC, model LIMIT 1"
    ).fetchone() or con.execute(
        "SELECT e.model FROM quote_windows w JOIN embeddings e USING (text_sha256) "
        "GROUP BY e.model ORDER BY count(*) DESC, e.model LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def _window_vectors(con: duckdb.DuckDBPyConnection, model: str | None,
                    position: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    table = con.sql(
        "SELECT w.quote_id, e.vector FROM quote_windows w JOIN embeddings e "
        "ON e.text_sha256 = w.text_sha256 AND e.model = $model ORDER BY w.quote_id, w.ordinal",
        params={"model": model},
    ).to_arrow_table()
    if table.num_rows == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    flat = pc.list_flatten(table.column("vector")).to_numpy(zero_copy_only=False).astype(np.float32)
    vectors = flat.reshape(table.num_rows, -1)
    rows = np.array([position[q] for q in table.column("quote_id").to_pylist()], dtype=np.int64)
    return rows, vectors


def _bm25(documents: list[str]):
    if not documents:
        return None
    import bm25s

    index = bm25s.BM25()
    index.index([lexical_terms(d) or ["\x00"] for d in documents], show_progress=False)
    return index


def _themes(con: duckdb.DuckDBPyConnection, model: str | None) -> tuple[StoredTheme, ...]:
    rows = con.execute(
        "SELECT t.theme_id, t.codebook, t.name, t.description, t.query_text, t.headings, e.vector, t.examples "
        "FROM themes t LEFT JOIN embeddings e ON e.text_sha256 = t.query_sha256 AND e.model = ? "
        "ORDER BY t.codebook, t.ordinal, t.theme_id",
        [model],
    ).fetchall()
    facets = {r[0]: theme_facet_texts(r[2], r[3], r[7] or ()) for r in rows}
    wanted = sorted({text_sha256(t) for texts in facets.values() for t in texts})
    stored = dict(con.execute(
        "SELECT text_sha256, vector FROM embeddings WHERE model = ? AND text_sha256 IN (SELECT unnest(?))",
        [model, wanted],
    ).fetchall()) if wanted else {}
    themes = []
    for r in rows:
        found = [stored.get(text_sha256(t)) for t in facets[r[0]]]
        facet_vectors = np.asarray(found, dtype=np.float32) if found and all(v is not None for v in found) else None
        themes.append(StoredTheme(
            theme_id=r[0], codebook=r[1], name=r[2], description=r[3], query_text=r[4] or r[2],
            headings=tuple(r[5] or ()), vector=np.asarray(r[6], dtype=np.float32) if r[6] is not None else None,
            facet_vectors=facet_vectors, examples=tuple(r[7] or ()),
        ))
    return tuple(themes)
