"""Train (or reuse) every codebook's classifier on a store and write its membership probabilities.

Run at ingest after the themes are stored, and by `evidence learn`. A codebook whose coded
examples (texts, labels and vectors) hash as when its stored classifier was trained reuses that
classifier; otherwise it is trained again (seconds on a CPU). The probabilities become the
`coded` rows of `quote_themes`; the free-text curve is refitted against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np

from index.themes.classifier import (
    CodebookClassifier,
    NotEnoughExamples,
    platt,
    quote_features,
    train_classifier,
    training_set,
)
from index.themes.corpus import ThemeCorpus
from index.themes.examples import ExampleSource, gather_examples
from index.transactions import transaction

CODED = "coded"


@dataclass(frozen=True)
class Learning:
    """What a learning run did per codebook: examples used and whether it trained anew."""

    codebook: str
    examples: int
    trained: bool


def learn_codebooks(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus,
                    sources: Sequence[ExampleSource] | None = None) -> tuple[list[Learning], dict[int, np.ndarray]]:
    """Fit or reuse each codebook's classifier; theme id -> probability per corpus row."""
    features = quote_features(con, corpus)
    learned: list[Learning] = []
    probabilities: dict[int, np.ndarray] = {}
    for codebook in dict.fromkeys(t.codebook for t in corpus.themes):
        themes = [t for t in corpus.themes if t.codebook == codebook]
        theme_ids = [t.theme_id for t in themes]
        try:
            data = training_set(con, corpus, features, theme_ids, gather_examples(con, corpus, themes, sources))
            classifier = stored_classifier(con, codebook, corpus.model, data.sha256)
            trained = classifier is None
            if classifier is None:
                classifier = train_classifier(codebook, theme_ids, data)
                _store_classifier(con, classifier, corpus.model)
        except NotEnoughExamples:
            continue
        learned.append(Learning(codebook, classifier.n_examples, trained))
        if features.shape[1]:
            p = classifier.probabilities(features)
            has_windows = np.abs(features).sum(axis=1) > 0
            for i, theme_id in enumerate(classifier.theme_ids):
                probabilities[theme_id] = np.where(has_windows, p[:, i], 0.0).astype(np.float32)
    with transaction(con):
        con.execute("DELETE FROM theme_classifiers WHERE codebook NOT IN (SELECT DISTINCT codebook FROM themes)")
    _store_free_text_curve(con, corpus, probabilities)
    return learned, probabilities


def stored_classifier(con: duckdb.DuckDBPyConnection, codebook: str, model: str | None,
                      sha256: str | None = None) -> CodebookClassifier | None:
    """The stored classifier of a codebook (only if trained on examples hashing to `sha256`, when given)."""
    rows = con.execute(
        'SELECT theme_ids, weights, bias, scale, "offset", examples_sha256, n_examples FROM theme_classifiers '
        "WHERE codebook = ? AND model = ?", [codebook, model or ""],
    ).fetchall()
    row = rows[0] if rows else None
    if row is None or (sha256 is not None and row[5] != sha256):
        return None
    theme_ids = tuple(row[0])
    weights = np.asarray(row[1], dtype=np.float32).reshape(len(theme_ids), -1)
    return CodebookClassifier(codebook, theme_ids, weights, np.asarray(row[2], dtype=np.float32), row[3], row[4],
                              row[5], row[6])


def _store_classifier(con: duckdb.DuckDBPyConnection, classifier: CodebookClassifier, model: str | None) -> None:
    with transaction(con):
        con.execute("DELETE FROM theme_classifiers WHERE codebook = ?", [classifier.codebook])
        con.execute(
            'INSERT INTO theme_classifiers (codebook, model, examples_sha256, n_examples, theme_ids, weights, bias, '
            'scale, "offset") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [classifier.codebook, model or "", classifier.examples_sha256, classifier.n_examples,
             list(classifier.theme_ids), classifier.weights.ravel().tolist(), classifier.bias.tolist(),
             classifier.scale, classifier.offset],
        )


def _store_free_text_curve(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus,
                           probabilities: dict[int, np.ndarray]) -> None:
    """Fit cosine -> probability for free text against the codebook probabilities: for every
    quotation and codebook theme, the blended cosine with the theme's "name. description" vector,
    weighted towards "member" by the classifier's probability."""
    cosines, members = [], []
    for theme in corpus.themes:
        if theme.theme_id not in probabilities or theme.vectors is None:
            continue
        dense = corpus.dense_scores(theme.vectors[0])
        finite = np.isfinite(dense)
        cosines.append(dense[finite])
        members.append(probabilities[theme.theme_id][finite])
    with transaction(con):
        con.execute("DELETE FROM free_text_calibration")
        if not cosines or not len(np.concatenate(cosines)):
            return
        x, p = np.concatenate(cosines), np.concatenate(members).astype(np.float64)
        scale, offset = platt(np.concatenate([x, x]), np.r_[np.ones(len(x)), np.zeros(len(x))], np.r_[p, 1.0 - p])
        con.execute('INSERT INTO free_text_calibration (model, scale, "offset") VALUES (?, ?, ?)',
                    [corpus.model or "", scale, offset])
