"""Theme coding inside an ingest run: windows and theme texts go through the embedding cache, and
the real corpus answers theme queries as a reviewer expects (corpus and slow tiers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.published import open_published
from pipeline.ingest_run import IngestOptions, run_ingest
from queries.search.quote_filters import QuoteFilter
from tests.conftest import EVAL
from tests.theme_store import CODEBOOK, theme_answer

REPORT = """Findings

Dedicated and ongoing resources

Most sites said the money was the problem. As this commissioner said:

"When the funding ended the service stopped, and we lost the nurses we had trained." (P3S1R03)

Communication

Sharing information was hard, as one manager explained:

"We could not email the care homes, they had no secure accounts." (P3S2R01)
"""


def _ingest(manifest: Path, data: Path, embedder, codebook: Path):
    options = IngestOptions(workers=1, show_progress=False, codebook_path=codebook)
    return run_ingest(manifest, data, lambda: embedder, options)


def test_ingest_codes_quotations_and_reingest_embeds_nothing(write_corpus, tmp_path, counting_embedder):
    codebook = tmp_path / "themes.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    manifest = write_corpus({"a.txt": REPORT})
    summary = _ingest(manifest, tmp_path / "data", counting_embedder, codebook)
    assert "themes" in summary.stage_seconds
    con, _ = open_published(tmp_path / "data")
    try:
        quotes = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
        coded = con.execute("SELECT count(DISTINCT quote_id) FROM quote_themes WHERE method = 'dense'").fetchone()[0]
        themes = con.execute("SELECT count(*) FROM themes").fetchone()[0]
    finally:
        con.close()
    assert quotes and coded == quotes and themes == 2
    assert any("As this commissioner said" in text for text in counting_embedder.encoded)
    counting_embedder.encoded.clear()
    _ingest(manifest, tmp_path / "data", counting_embedder, codebook)
    assert counting_embedder.encoded == []


def test_a_broken_codebook_stops_the_run_and_keeps_the_published_state(write_corpus, tmp_path, counting_embedder):
    from index.themes.codebook import CodebookError

    manifest = write_corpus({"a.txt": REPORT})
    codebook = tmp_path / "themes.yaml"
    codebook.write_text("codebooks: {x: {themes: []}}", encoding="utf-8")
    with pytest.raises(CodebookError, match="'themes' must be a non-empty list"):
        _ingest(manifest, tmp_path / "data", counting_embedder, codebook)
    assert not (tmp_path / "data" / "current").exists()


@pytest.mark.corpus
@pytest.mark.slow
def test_resources_theme_finds_funding_quotations_from_two_documents(corpus_store):
    hits = theme_answer(corpus_store, "dedicated and ongoing resources", k=10).hits
    assert len(hits) == 10 and len({h.doc_id for h in hits}) >= 2
    assert sum("fund" in h.text.lower() or "resourc" in h.text.lower() for h in hits) >= 5
    assert all(h.respondent_code and h.section_path and h.page for h in hits if h.source_kind == "interview")
    site_one = theme_answer(corpus_store, "dedicated and ongoing resources", k=50,
                              where=QuoteFilter(facets=(("site", "1"),))).hits
    assert site_one and {h.site for h in site_one} == {"1"}


@pytest.mark.corpus
@pytest.mark.slow
def test_retrieval_evaluation_runs_on_the_annotated_set(corpus_store):
    from index.embedder import SentenceTransformerEmbedder
    from queries.evaluation.retrieval import BASELINE, evaluate_retrieval, mean_by_method

    con, _ = open_published(corpus_store)
    try:
        means = mean_by_method(evaluate_retrieval(con, EVAL, SentenceTransformerEmbedder))
    finally:
        con.close()
    assert set(means) == {"coded", "dense", "lexical", "hybrid", BASELINE}
    assert means["hybrid"].recall_at_20 >= 1.5 * max(means["lexical"].recall_at_20, means[BASELINE].recall_at_20)


@pytest.mark.corpus
@pytest.mark.slow
def test_learned_coding_agrees_with_the_annotated_themes_and_is_calibrated(corpus_store):
    from queries.evaluation.coding import default_tasks, evaluate_coding

    con, _ = open_published(corpus_store)
    try:
        nolte, north_east = (evaluate_coding(con, task, curve=()) for task in default_tasks(EVAL))
    finally:
        con.close()
    held_out = next(r for r in nolte if r.setting == "all examples, reprints held out")
    assert held_out.kappa >= 0.6 and held_out.ece <= 0.1
    assert north_east[0].quotations and north_east[0].kappa > 0.3
