"""How well theme retrieval finds the quotations the authors filed under each theme.

Relevant set per theme of a codebook (nolte by default):
- annotated documents: the quotations the annotators filed under the theme (`theme` field of
  `quotes_<doc>.jsonl`), mapped to stored quotations by the evaluation set's matching rule;
- heading-labelled documents (001, which has no annotation file): the stored quotations below a
  heading that names the theme (the same heading rule as the heading signal).
Relevance is counted per quotation cluster, and every ranking keeps one quotation per cluster, so
a quotation printed in two documents is one item. Ranking runs over the whole store.

The naive baseline cuts each document's text into fixed 512-character chunks, embeds them with
the same model and ranks each quotation by the best chunk overlapping it: the theme's whole-text
vector and the same unit of result, only without quotation boundaries and lead-ins. (Dense takes
the best of the theme's facet vectors; the baseline with those instead scored 0.41 recall@20 on
the development store against 0.40 with the whole text, so the comparison does not hinge on it.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from index.embedder import Embedder
from index.themes.corpus import StoredTheme, ThemeCorpus, load_theme_corpus
from index.themes.ranking import METHODS, ThemeQuery, diversify, rank_rows
from ingest.errors import ConfigError, RequestError
from queries.evaluation.matching import match_quotations
from queries.evaluation.quotations import load_annotations

CHUNK_CHARS = 512
BASELINE = "naive-512"
DEFAULT_HEADING_LABELLED = ("001_2ba9a7a7ff76eece",)
EVALUATED_METHODS = ("coded", "dense", "lexical", "hybrid")
CUTOFFS = (10, 20)


class EvaluationSetError(ConfigError):
    """The store or the evaluation folder lacks what the evaluation needs."""


@dataclass(frozen=True)
class ThemeScores:
    """One method's figures for one theme."""

    theme: str
    method: str
    relevant: int
    recall_at_10: float
    recall_at_20: float
    ndcg_at_10: float


def evaluate_retrieval(
    con: duckdb.DuckDBPyConnection, eval_dir: Path, embedder_factory: Callable[[], Embedder],
    codebook: str = "nolte", heading_labelled: Sequence[str] = DEFAULT_HEADING_LABELLED,
    methods: Sequence[str] = EVALUATED_METHODS,
) -> list[ThemeScores]:
    """Per theme and method (plus the naive baseline): recall@10, recall@20 and nDCG@10."""
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise RequestError(f"unknown method(s): {', '.join(sorted(unknown))}")
    corpus = load_theme_corpus(con)
    themes = [t for t in corpus.themes if t.codebook == codebook]
    if not themes:
        raise EvaluationSetError(f"the store holds no codebook {codebook!r}; ingest with a codebook that has it")
    relevant = relevant_clusters(con, corpus, themes, eval_dir, heading_labelled)
    baseline = _BaselineChunks(con, corpus, embedder_factory)
    results = []
    every_row = np.arange(len(corpus))
    for theme in themes:
        wanted = relevant[theme.theme_id]
        query = ThemeQuery.for_theme(theme)
        for method in methods:
            ranked = diversify(rank_rows(corpus, query, every_row, method), corpus, max(CUTOFFS), None)
            results.append(_scores(theme.name, method, [int(corpus.cluster_ids[r]) for r, _ in ranked], wanted))
        ranked = diversify(baseline.rank(theme), corpus, max(CUTOFFS), None)
        results.append(_scores(theme.name, BASELINE, [int(corpus.cluster_ids[r]) for r, _ in ranked], wanted))
    return results


def mean_by_method(scores: Sequence[ThemeScores]) -> dict[str, ThemeScores]:
    """Each method's figures averaged over the themes (themes without relevant quotations left out)."""
    out: dict[str, ThemeScores] = {}
    for method in dict.fromkeys(s.method for s in scores):
        rows = [s for s in scores if s.method == method and s.relevant]
        if rows:
            out[method] = ThemeScores(
                theme="(mean)", method=method, relevant=sum(s.relevant for s in rows),
                recall_at_10=_mean(s.recall_at_10 for s in rows), recall_at_20=_mean(s.recall_at_20 for s in rows),
                ndcg_at_10=_mean(s.ndcg_at_10 for s in rows),
            )
    return out


def relevant_clusters(
    con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, themes: Sequence[StoredTheme], eval_dir: Path,
    heading_labelled: Sequence[str],
) -> dict[int, set[int]]:
    """Theme id -> cluster ids of its relevant quotations (annotated ones, and heading-labelled ones)."""
    by_name = {t.name.casefold(): t.theme_id for t in themes}
    relevant: dict[int, set[int]] = {t.theme_id: set() for t in themes}
    stored = con.execute(
        "SELECT q.quote_id, d.source_path, q.text, q.char_start, q.char_end, d.text, s.path "
        "FROM quotes q JOIN documents d USING (doc_id) LEFT JOIN sections s USING (section_id)"
    ).fetchall()
    by_stem: dict[str, list[tuple]] = {}
    for row in stored:
        by_stem.setdefault(Path(row[1] or "").stem, []).append(row)
    files = sorted(Path(eval_dir).glob("quotes_*.jsonl"))
    if not files:
        raise EvaluationSetError(f"no quotes_<doc>.jsonl annotation files in {eval_dir}")
    for path in files:
        annotations = load_annotations(path)
        stem = Path(annotations[0]["doc"]).stem if annotations else ""
        for annotation, quote_id in match_annotations(annotations, by_stem.get(stem, [])):
            theme_id = by_name.get(str(annotation.get("theme") or "").casefold())
            if theme_id is not None and quote_id in corpus.position:
                relevant[theme_id].add(int(corpus.cluster_ids[corpus.position[quote_id]]))
    labelled = {row[0] for stem in heading_labelled for row in by_stem.get(stem, [])}
    for theme in themes:
        relevant[theme.theme_id].update(
            int(corpus.cluster_ids[row]) for row in np.flatnonzero(corpus.heading_matches(theme.heading_phrases))
            if int(corpus.quote_ids[row]) in labelled
        )
    return relevant


def match_annotations(annotations: list[dict], stored: list[tuple]) -> list[tuple[dict, int]]:
    """Each annotation with the id of the stored quotation the evaluation set's matching rule pairs it
    with; `stored` rows are (quote_id, source_path, text, char_start, char_end, document text, ...)."""
    doc_text = (stored[0][5] or "") if stored else ""
    pairs = match_quotations(annotations, [(row[2], row[3], row[4]) for row in stored], doc_text)
    return [(annotations[a], stored[s][0]) for a, s in pairs]


class _BaselineChunks:
    """Fixed 512-character chunks of every document's text, embedded once per evaluation."""

    def __init__(self, con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus,
                 embedder_factory: Callable[[], Embedder]) -> None:
        documents = con.execute(
            "SELECT doc_id, text FROM documents WHERE status <> 'failed' AND text IS NOT NULL ORDER BY doc_id"
        ).fetchall()
        chunks = [(doc_id, start, text[start:start + CHUNK_CHARS])
                  for doc_id, text in documents for start in range(0, len(text), CHUNK_CHARS)]
        embedder = embedder_factory()
        if corpus.model is not None and embedder.model_name != corpus.model:
            raise EvaluationSetError(f"the store was embedded with {corpus.model}, not {embedder.model_name}")
        self._vectors = embedder.encode([c[2] for c in chunks]) if chunks else np.zeros((0, 1), np.float32)
        quotes = con.execute("SELECT quote_id, doc_id, char_start, char_end FROM quotes").fetchall()
        # For each quotation (corpus row), the chunks its span overlaps.
        first_chunk: dict[str, int] = {}
        for i, (doc_id, _, _) in enumerate(chunks):
            first_chunk.setdefault(doc_id, i)
        self._rows: list[int] = []
        self._chunks: list[int] = []
        for quote_id, doc_id, start, end in quotes:
            if doc_id not in first_chunk or quote_id not in corpus.position:
                continue
            for n in range(start // CHUNK_CHARS, (max(end, start + 1) - 1) // CHUNK_CHARS + 1):
                self._rows.append(corpus.position[quote_id])
                self._chunks.append(first_chunk[doc_id] + n)
        self._size = len(corpus)

    def rank(self, theme: StoredTheme) -> list[tuple[int, float]]:
        if theme.vector is None or not self._rows:
            return []
        chunk_scores = self._vectors @ theme.vector
        scores = np.full(self._size, -np.inf, dtype=np.float32)
        np.maximum.at(scores, np.array(self._rows), chunk_scores[np.array(self._chunks)])
        rows = np.flatnonzero(np.isfinite(scores))
        order = rows[np.argsort(-scores[rows], kind="stable")]
        return [(int(r), float(scores[r])) for r in order]


def _scores(theme: str, method: str, ranked_clusters: list[int], relevant: set[int]) -> ThemeScores:
    def recall(k: int) -> float:
        return len(set(ranked_clusters[:k]) & relevant) / len(relevant) if relevant else 0.0

    gains = [1.0 if c in relevant else 0.0 for c in ranked_clusters[:10]]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    return ThemeScores(theme, method, len(relevant), recall(10), recall(20), dcg / ideal if ideal else 0.0)


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0
