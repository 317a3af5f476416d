"""EvidenceStore: one data folder opened once, its connection, theme corpus and model kept between
questions and released on close; nothing shared between stores."""

from __future__ import annotations

from pathlib import Path

import pytest

import index.themes.corpus
from index.embedder import HashingEmbedder
from ingest.errors import EvidenceError
from queries.search.quote_filters import QuoteFilter
from queries.search.quote_listing import list_quotes
from queries.store import EvidenceStore
from tests.theme_store import build_theme_store, theme_answer


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    return build_theme_store(tmp_path_factory.mktemp("store"))


@pytest.fixture
def corpus_loads(monkeypatch) -> list[int]:
    """How often a theme corpus is read from the database."""
    loads: list[int] = []
    real = index.themes.corpus.load_theme_corpus

    def counting(con):
        loads.append(1)
        return real(con)

    monkeypatch.setattr(index.themes.corpus, "load_theme_corpus", counting)
    return loads


def test_a_store_answers_a_theme_again_as_a_fresh_store_does(data):
    with EvidenceStore(data) as store:
        store.theme("dedicated and ongoing resources", k=5, min_score=0.0)
        kept = store.theme("communication", k=5, min_score=0.0)
    alone = theme_answer(data, "communication", k=5, min_score=0.0)
    assert kept.hits and kept.hits == alone.hits


def test_the_theme_corpus_is_read_once_for_many_questions(data, corpus_loads):
    with EvidenceStore(data) as store:
        for name in ("communication", "dedicated and ongoing resources", "communication"):
            store.theme(name, min_score=0.0)
    assert len(corpus_loads) == 1


def test_two_stores_share_nothing(data, corpus_loads):
    with EvidenceStore(data) as first, EvidenceStore(data) as second:
        first.theme("communication")
        second.theme("communication")
    assert len(corpus_loads) == 2


def test_a_closed_store_reads_again_when_asked_again(data, corpus_loads):
    store = EvidenceStore(data)
    store.theme("communication")
    store.close()
    store.theme("communication")
    store.close()
    assert len(corpus_loads) == 2


def test_the_model_is_made_once_on_the_first_free_text_question_only(data):
    made: list[HashingEmbedder] = []

    def factory() -> HashingEmbedder:
        made.append(HashingEmbedder())
        return made[-1]

    with EvidenceStore(data, factory) as store:
        store.theme("communication")
        assert made == []
        store.theme("nurses and money after the pilot", min_score=0.0)
        store.theme("email between teams", min_score=0.0)
    assert len(made) == 1


def test_a_free_text_question_without_a_model_is_an_evidence_error(data):
    from ingest.errors import EvidenceError

    with EvidenceStore(data) as store, pytest.raises(EvidenceError):
        store.search("nurses")


def test_the_store_lists_quotations_as_the_listing_does(data):
    where = QuoteFilter(respondents=("P1S1R01",))
    with EvidenceStore(data) as store:
        assert store.quotes(where) == list_quotes(data, where)


def test_the_store_answers_sql_read_only(data):
    with EvidenceStore(data) as store:
        rows = store.sql("SELECT count(*) AS n FROM quotes")
        assert rows[0]["n"] == len(store.quotes())
        with pytest.raises(EvidenceError):
            store.sql("DELETE FROM quotes")


def test_the_store_gives_short_document_ids_that_select_the_same_quotations(data):
    with EvidenceStore(data) as store:
        short = store.short_document_ids()
        assert short
        for doc_id, prefix in short.items():
            assert doc_id.startswith(prefix)
            assert store.quotes(QuoteFilter(docs=(prefix,))) == store.quotes(QuoteFilter(docs=(doc_id,)))


def test_the_review_queue_lists_the_closest_calls_first(data):
    with EvidenceStore(data) as store:
        items = store.review_queue("test", k=50)
    assert items
    assert [item.rank for item in items] == list(range(1, len(items) + 1))
    assert [item.doubt for item in items] == sorted(item.doubt for item in items)
