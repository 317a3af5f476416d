"""A PDF and its text twin give the same document: the same headings, and quotations scored alike.

Each annotated document is parsed from every rendition (text and PDF) and held to the same
floors; every corpus PDF's heading list must agree with its twin's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.attribution import load_schemes
from ingest.document import parse_document
from queries.evaluation.extraction import evaluate_extraction
from queries.evaluation.matching import heading_key
from tests.conftest import CORPUS, EVAL, require_shared

pytestmark = pytest.mark.corpus

STEMS = ["000_b33752787a24be7e", "001_2ba9a7a7ff76eece", "003_8c976046bbdf297b", "004_797817d61329c19d"]


@cache
def _headings(path: Path) -> list[str]:
    return [heading_key(s.heading) for s in parse_document(path).sections]


@cache
def _scores():
    return evaluate_extraction(EVAL, CORPUS)


def _f1(found: list[str], reference: list[str]) -> float:
    remaining = list(reference)
    matched = 0
    for heading in found:
        if heading in remaining:
            remaining.remove(heading)
            matched += 1
    if not matched:
        return 0.0
    precision, recall = matched / len(found), matched / len(reference)
    return 2 * precision * recall / (precision + recall)


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_headings_agree_with_the_text_twin(stem):
    require_shared()
    assert _f1(_headings(CORPUS / "pdf" / f"{stem}.pdf"), _headings(CORPUS / "text" / f"{stem}.txt")) >= 0.9


def test_every_annotated_document_is_scored_from_text_and_pdf():
    require_shared()
    annotated = {Path(p.name.removeprefix("quotes_").removesuffix(".jsonl")).stem for p in EVAL.glob("quotes_*.jsonl")}
    scored = {(s.document, s.rendition) for s in _scores() if s.quotes}
    assert annotated and {(d, r) for d in annotated for r in ("txt", "pdf")} <= scored


@cache
def _generic_scores():
    return evaluate_extraction(EVAL, CORPUS, load_schemes().generic())


@pytest.mark.parametrize("rendition", ["txt", "pdf", "md"])
def test_quotation_floors_hold_on_every_annotated_document(rendition):
    require_shared()
    for scores in (s for s in _scores() if s.rendition == rendition and s.quotes):
        assert scores.quotes.recall >= 0.95, scores
        assert scores.quotes.precision >= 0.92, scores
        assert scores.quotes.respondent_accuracy >= 0.97, scores


def test_the_real_reports_by_other_teams_are_scored():
    require_shared()
    external = {Path(p.name.removeprefix("quotes_").removesuffix(".jsonl")).stem
                for p in (EVAL / "external").glob("quotes_*.jsonl")}
    assert external and external <= {s.document for s in _scores() if s.quotes}


def test_generic_schemes_keep_recall_within_three_points_of_the_full_schemes():
    require_shared()
    full = {(s.document, s.rendition): s.quotes.recall for s in _scores() if s.quotes}
    for scores in (s for s in _generic_scores() if s.quotes):
        assert scores.quotes.recall >= full[(scores.document, scores.rendition)] - 0.03, scores


@pytest.mark.parametrize("rendition", ["txt", "pdf"])
def test_heading_floors_hold_on_every_annotated_document(rendition):
    require_shared()
    for scores in (s for s in _scores() if s.rendition == rendition and s.headings):
        assert scores.headings.recall >= 0.9 and scores.headings.precision >= 0.9, scores
