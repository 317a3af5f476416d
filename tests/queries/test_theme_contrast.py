"""Dense theme scores with hand-made vectors: a codebook theme contrasted with its sibling themes,
free text left uncontrasted, and the passages around a quotation read with it."""

from __future__ import annotations

import numpy as np
import pytest

from index.themes.corpus import StoredTheme, ThemeCorpus, _context_weights, theme_facet_texts
from index.themes.ranking import ThemeQuery, rank_rows


def _unit(*values: float) -> np.ndarray:
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


# Dimensions: (what every implementation quotation shares, funding, leadership, unrelated).
GENERAL, FUNDING, LEADERSHIP = _unit(1, 0, 0, 0), _unit(0, 1, 0, 0), _unit(0, 0, 1, 0)


def _theme(theme_id: int, name: str, *vectors: np.ndarray, codebook: str = "book") -> StoredTheme:
    stacked = np.stack(vectors)
    return StoredTheme(theme_id=theme_id, codebook=codebook, name=name, description=name, query_text=name,
                       headings=(), vector=_unit(*stacked.mean(axis=0)), facet_vectors=stacked)


RESOURCES = _theme(1, "resources", _unit(3, 1, 0, 0), _unit(4, 1, 0, 0))
LEADERS = _theme(2, "leadership", _unit(3, 0, 1, 0), _unit(4, 0, 1, 0))


def _corpus(quote_vectors: list[np.ndarray], themes=(RESOURCES, LEADERS), passages=None) -> ThemeCorpus:
    n = len(quote_vectors)
    context = _context_weights([("d", i * 10_000, i * 10_000 + 100) for i in range(n)], passages[0]) \
        if passages else (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    return ThemeCorpus(
        model="m", quote_ids=np.arange(n, dtype=np.int64), cluster_ids=np.arange(n, dtype=np.int64),
        respondent_ids=np.full(n, -1, dtype=np.int64), doc_ids=["d"] * n, section_paths=[None] * n,
        window_quote_rows=np.arange(n, dtype=np.int64), window_vectors=np.stack(quote_vectors), bm25=None,
        themes=tuple(themes), display={},
        passage_vectors=passages[1] if passages else np.zeros((0, 0), np.float32),
        context_quote_rows=context[0], context_passages=context[1], context_weights=context[2],
    )


# A funding quotation and a leadership quotation that both sound very much like "implementation"
# in general, plus quotations about other things, so each theme's scores have a spread.
FUNDING_QUOTE = _unit(1, 1, 0, 0)
LEADERSHIP_QUOTE = _unit(1, 0, 0.2, 0)
OTHERS = [_unit(0.2, 0, 0, 1), _unit(0.5, 0.1, 0.1, 1), _unit(0.3, 0, 0.2, 1)]


def test_raw_similarity_alone_ranks_the_generic_leadership_quotation_first_for_resources():
    corpus = _corpus([FUNDING_QUOTE, LEADERSHIP_QUOTE, *OTHERS])
    raw = corpus.dense_scores(RESOURCES.vectors)
    assert raw[1] > raw[0]  # the problem contrast solves


def test_a_codebook_theme_ranks_its_own_quotation_above_a_siblings_quotation():
    corpus = _corpus([FUNDING_QUOTE, LEADERSHIP_QUOTE, *OTHERS])
    resources = [row for row, _ in rank_rows(corpus, ThemeQuery.for_theme(RESOURCES), np.arange(5), "dense")]
    leaders = [row for row, _ in rank_rows(corpus, ThemeQuery.for_theme(LEADERS), np.arange(5), "dense")]
    assert resources.index(0) < resources.index(1)
    assert leaders.index(1) < leaders.index(0)


def test_contrasted_scores_are_shares_over_the_codebook_themes():
    corpus = _corpus([FUNDING_QUOTE, LEADERSHIP_QUOTE, *OTHERS])
    total = corpus.codebook_dense_scores(RESOURCES) + corpus.codebook_dense_scores(LEADERS)
    assert np.allclose(total, 1.0, atol=1e-5)


def test_free_text_is_not_contrasted():
    corpus = _corpus([FUNDING_QUOTE, LEADERSHIP_QUOTE, *OTHERS])
    query = ThemeQuery("funding", RESOURCES.vector, ("funding",))
    ranked = rank_rows(corpus, query, np.arange(5), "dense")
    expected = corpus.dense_scores(RESOURCES.vector)
    assert [score for _, score in ranked] == pytest.approx(sorted(expected, reverse=True))


def test_a_codebook_of_one_theme_falls_back_to_the_blended_scores():
    alone = _theme(3, "resources", _unit(2, 1, 0, 0), codebook="solo")
    corpus = _corpus([FUNDING_QUOTE, LEADERSHIP_QUOTE, *OTHERS], themes=(alone,))
    assert np.allclose(corpus.codebook_dense_scores(alone), corpus.dense_scores(alone.vectors))


def test_a_theme_text_is_its_best_facet():
    funding_only = _unit(0, 1, 0, 0)
    corpus = _corpus([funding_only, *OTHERS])
    two_facets = np.stack([LEADERSHIP, FUNDING, GENERAL])
    assert corpus.window_scores(two_facets)[0] == pytest.approx(1.0)


def test_passages_around_a_quotation_lift_an_elliptical_quotation():
    # Quotation 0 says nothing about funding itself ("it fizzled out"), the prose around it does;
    # quotation 1 has the same words but sits among unrelated passages.
    vague = _unit(0.2, 0, 0, 1)
    spans = [("d", -400, -10), ("d", 110, 500), ("d", 9_500, 9_990), ("d", 10_110, 10_600), ("e", 0, 100)]
    vectors = np.stack([FUNDING, FUNDING, _unit(0, 0, 0, 1), _unit(0, 0, 0, 1), FUNDING])
    corpus = _corpus([vague, vague], themes=(RESOURCES, LEADERS), passages=(spans, vectors))
    scores = corpus.dense_scores(FUNDING)
    assert scores[0] > scores[1]
    assert scores[0] > corpus.window_scores(FUNDING)[0]


def test_passages_of_another_document_and_far_away_are_not_context():
    spans = [("d", 0, 100), ("d", 50_000, 50_100), ("e", 0, 100)]
    _, passages, weights = _context_weights([("d", 0, 100)], spans)
    assert passages.tolist() == [0] and weights.tolist() == pytest.approx([1.0])


def test_facet_texts_are_the_name_with_description_then_each_example():
    assert theme_facet_texts("funding", "money  and staff", ["the money ran out", " ", "the money ran out"]) == [
        "funding. money and staff", "the money ran out"]


def test_a_query_after_another_gets_its_own_scores_not_the_ones_kept_from_before():
    corpus = _corpus([FUNDING_QUOTE, LEADERSHIP_QUOTE, *OTHERS])
    funding_first = corpus.dense_scores(FUNDING[None, :]).copy()
    leadership = corpus.dense_scores(LEADERSHIP[None, :])
    assert leadership[1] > leadership[0]
    assert np.array_equal(corpus.dense_scores(FUNDING[None, :]), funding_first)
