"""Entities in the evidence base: where each came from, filtering by it, and quotations by a new entity."""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest_run import IngestOptions, run_ingest
from queries.evaluation.entities import sample_found_entities
from queries.search.listing import list_entities
from queries.search.quote_filters import QuoteFilter
from queries.search.quote_listing import list_quotes

REPORT = """Findings

Money for the Wessex Downs CCG came late, and the Care Quality Commission inspected twice.

One manager said: "We were told to wait for the Wessex Downs CCG budget before hiring anyone at all." (P1S1R01)
"""


def _store(write_corpus, tmp_path: Path, counting_embedder) -> Path:
    manifest = write_corpus({"a.txt": REPORT})
    data = tmp_path / "data"
    run_ingest(manifest, data, lambda: counting_embedder, IngestOptions(workers=1, show_progress=False))
    return data


def test_every_entity_row_says_where_it_came_from(write_corpus, tmp_path, counting_embedder):
    data = _store(write_corpus, tmp_path, counting_embedder)
    sources = {row["canonical"]: row["source"] for row in list_entities(data)}
    assert sources["Care Quality Commission"] == "gazetteer"
    assert sources["Wessex Downs CCG"] == "pattern"


def test_entities_filter_by_source(write_corpus, tmp_path, counting_embedder):
    data = _store(write_corpus, tmp_path, counting_embedder)
    assert {row["canonical"] for row in list_entities(data, source="pattern")} == {"Wessex Downs CCG"}


def test_quotes_by_an_entity_no_gazetteer_lists(write_corpus, tmp_path, counting_embedder):
    data = _store(write_corpus, tmp_path, counting_embedder)
    rows = list_quotes(data, QuoteFilter(entities=("Wessex Downs CCG",)), None)
    assert [row.respondent_code for row in rows] == ["P1S1R01"]


def test_a_precision_sample_holds_only_entities_the_gazetteer_does_not_know(write_corpus, tmp_path,
                                                                            counting_embedder):
    data = _store(write_corpus, tmp_path, counting_embedder)
    (row,) = sample_found_entities(data, size=5, seed=3)
    assert (row["canonical"], row["source"]) == ("Wessex Downs CCG", "pattern")
    assert "[Wessex Downs CCG]" in row["context"]


def test_a_precision_sample_is_the_same_for_the_same_seed(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT.replace("Findings", "Findings\n\nThe Tamar Vale CCG, Exe Valley CCG "
                                                     "and Moor Edge CCG met the Calder City Council.")})
    data = tmp_path / "data"
    run_ingest(manifest, data, lambda: counting_embedder, IngestOptions(workers=1, show_progress=False))
    first = sample_found_entities(data, size=2, seed=7)
    assert len(first) == 2 and first == sample_found_entities(data, size=2, seed=7)
