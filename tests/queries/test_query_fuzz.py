"""Whatever a user types into a query, it comes back as results or as one clean error, never as a SQL failure.

Every value reaches SQL as a bound parameter; these tests throw arbitrary text, SQL
fragments and control characters at every query input.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.embedder import HashingEmbedder
from ingest.errors import EvidenceError
from pipeline.ingest_run import IngestOptions, run_ingest
from queries.search.quote_filters import QuoteFilter, parse_where
from queries.store import EvidenceStore
from tests.conftest import REPO

CODEBOOK = REPO / "themes.yaml"

NASTY = st.sampled_from(
    [
        "'",
        '"',
        "'; DROP TABLE quotes; --",
        "%",
        "_",
        "\\",
        "\x00",
        "NULL",
        "1 OR 1=1",
        "site=1",
        "P3S1R03",
        "ÉHCH",
        "🙂",
        " ",
        "",
    ]
)
TEXT = st.one_of(NASTY, st.text(max_size=40))
FACETS = st.sampled_from(["site", "phase", "care_model", "role", "org", "number", "bogus", "site;--", "", "1"])


REPORT = """Introduction

Primary Care Networks (PCNs) took on the enhanced health in care homes work.

Findings

As one service commissioner said:

The funding stopped when the pilot ended and the PCNs had to find the money. (P3S1R03)

Another said:

We talked to the care homes every day during the pandemic. (P3S2R01)
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A small ingested store: passages, quotations, entities, themes and the FAISS index."""
    root = tmp_path_factory.mktemp("fuzz")
    (root / "corpus").mkdir()
    (root / "corpus" / "a.txt").write_text(REPORT)
    (root / "corpus" / "b.txt").write_text(REPORT.replace("P3S1R03", "P3S4R02").replace("every day", "weekly"))
    manifest = root / "manifest.yaml"
    manifest.write_text(
        "root: corpus\ndocuments:\n  - {id: a, path: a.txt, title: A, study: s}\n"
        "  - {id: b, path: b.txt, title: B, study: s}\n"
    )
    run_ingest(
        manifest, root / "data", HashingEmbedder, IngestOptions(workers=2, show_progress=False, codebook_path=CODEBOOK)
    )
    return root / "data"


@pytest.fixture(scope="module")
def evidence(store) -> Iterator[EvidenceStore]:
    with EvidenceStore(store, HashingEmbedder) as opened:
        yield opened


def _filter(doc: str, study: str, kind: str, respondent: str, entity: str, facet: str, value: str) -> QuoteFilter:
    return QuoteFilter(
        docs=(doc,) if doc else (),
        studies=(study,) if study else (),
        kinds=(kind,) if kind else (),
        respondents=(respondent,) if respondent else (),
        entities=(entity,) if entity else (),
        facets=parse_where([f"{facet}={value}"]),
    )


@given(doc=TEXT, study=TEXT, kind=TEXT, respondent=TEXT, entity=TEXT, facet=FACETS, value=TEXT, query=TEXT)
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzzed_quote_and_theme_queries_answer_or_refuse_cleanly(
    evidence, doc, study, kind, respondent, entity, facet, value, query
):
    try:
        where = _filter(doc, study, kind, respondent, entity, facet, value)
    except EvidenceError:
        return
    try:
        rows = evidence.quotes(where)
    except EvidenceError:
        rows = None
    if rows is not None:
        assert all(row.doc_id == doc for row in rows) or not doc
    try:
        answer = evidence.theme(query, where=where, k=5)
    except EvidenceError:
        return
    assert len(answer.hits) <= 5


@given(text=TEXT, k=st.integers(min_value=1, max_value=50))
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzzed_free_text_search_answers_or_refuses_cleanly(evidence, text, k):
    try:
        hits = evidence.search(text, k=k)
    except EvidenceError:
        return
    assert len(hits) <= k
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))
