"""The default corpus end to end, as `make ingest` runs it: the PDF renditions, the real embedding model.

One ingest serves every test here (slow tier); each test asks what a reviewer would ask.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from index.embedder import SentenceTransformerEmbedder
from queries.evaluation.matching import comparable
from queries.search.listing import list_entities
from queries.search.passages import search_passages
from queries.search.quote_filters import QuoteFilter, parse_where
from queries.search.quote_listing import list_quotes
from queries.verify import verify_published
from tests.conftest import published_rows
from tests.theme_store import theme_answer

pytestmark = [pytest.mark.slow, pytest.mark.corpus]


@pytest.fixture(scope="module")
def pdf_store(corpus_store) -> Path:
    return corpus_store


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


def test_the_published_state_is_sound(pdf_store):
    assert verify_published(pdf_store) == []


def test_search_for_funding_finds_passages_from_more_than_one_document(pdf_store, embedder):
    hits = search_passages(pdf_store, "funding for care homes after the pilot ended", embedder, k=5)
    assert len(hits) == 5
    assert len({hit.doc_id for hit in hits}) > 1
    assert all(hit.page and hit.section_path for hit in hits)
    assert sum("fund" in hit.text.lower() for hit in hits) >= 3


def test_no_passage_exceeds_the_model_or_crosses_a_section(pdf_store):
    from ingest.wordpieces import MAX_TEXT_PIECES, count_pieces

    texts = [row[0] for row in published_rows(pdf_store, "SELECT text FROM passages")]
    assert max(count_pieces(texts)) <= MAX_TEXT_PIECES
    crossing = published_rows(
        pdf_store,
        (
            "SELECT count(*) FROM passages p JOIN sections s USING (section_id) "
            "WHERE p.char_start < s.char_start OR p.char_end > s.char_end"
        ),
    )
    assert crossing == [(0,)]


def test_a_respondent_is_quoted_from_both_documents_of_the_study(pdf_store):
    rows = list_quotes(pdf_store, QuoteFilter(respondents=("P3S3R01",)))
    assert {row.doc_id for row in rows} == {"000_b33752787a24be7e", "001_2ba9a7a7ff76eece"}
    assert all(row.page and row.section_path for row in rows)


def test_a_quotation_printed_more_than_once_is_one_cluster_within_and_across_documents(pdf_store):
    rows = published_rows(pdf_store, "SELECT doc_id, text, coalesce(cluster_id, quote_id) FROM quotes")
    clusters_of_text: dict[str, set[int]] = defaultdict(set)
    documents_of_cluster: dict[int, set[str]] = defaultdict(set)
    for doc_id, text, cluster in rows:
        clusters_of_text[comparable(text)].add(cluster)
        documents_of_cluster[cluster].add(doc_id)
    assert all(len(clusters) == 1 for clusters in clusters_of_text.values())
    assert any(len(documents) > 1 for documents in documents_of_cluster.values())


@pytest.mark.parametrize(
    "name",
    [
        "NHS England",
        "Clinical Commissioning Group",
        "Primary Care Network",
        "Integrated Care System",
        "Enhanced Health in Care Homes",
        "Network Contract DES",
        "Five Year Forward View",
    ],
)
def test_policy_entities_are_one_entity_with_acronym_and_long_form(pdf_store, name):
    entities = list_entities(pdf_store)
    matching = [e for e in entities if name.lower() in {a.lower() for a in e["aliases"]} | {e["canonical"].lower()}]
    assert len(matching) == 1, [e["canonical"] for e in matching]
    aliases = matching[0]["aliases"]
    assert any(a.isupper() or a[:1].isdigit() for a in aliases if " " not in a), aliases
    assert any(" " in a for a in aliases), aliases


def test_quotes_mentioning_primary_care_networks_by_either_name(pdf_store):
    by_long = list_quotes(pdf_store, QuoteFilter(entities=("Primary Care Networks",)))
    by_short = list_quotes(pdf_store, QuoteFilter(entities=("PCNs",)))
    assert by_long and [r.quote_id for r in by_long] == [r.quote_id for r in by_short]


def test_resources_theme_draws_evidence_from_two_documents(pdf_store):
    answer = theme_answer(pdf_store, "dedicated and ongoing resources", k=10)
    assert len(answer.hits) == 10
    assert len({hit.doc_id for hit in answer.hits}) >= 2
    assert all(hit.respondent_code and hit.page and hit.section_path for hit in answer.hits)
    site_one = theme_answer(
        pdf_store, "dedicated and ongoing resources", k=10, where=QuoteFilter(facets=parse_where(["site=1"]))
    )
    assert site_one.hits and {hit.site for hit in site_one.hits} == {"1"}


def test_a_respondents_quotation_count_takes_each_reprint_once(pdf_store):
    counts = published_rows(
        pdf_store,
        "SELECT r.n_quotes, count(DISTINCT q.cluster_id), count(*) FROM respondents r "
        "JOIN quotes q USING (respondent_id) GROUP BY r.respondent_id, r.n_quotes",
    )
    assert all(n_quotes == clusters for n_quotes, clusters, _ in counts)
    assert any(printings > n_quotes for n_quotes, _, printings in counts)
