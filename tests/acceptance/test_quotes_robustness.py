"""Real awkward documents: quotations are found where people speak and invented nowhere else."""

from __future__ import annotations

import pytest

from ingest.clean import normalise
from ingest.document import load_raw
from ingest.quotes import find_quotes
from tests.conftest import CORPUS, require_shared

pytestmark = pytest.mark.corpus
ROBUSTNESS = CORPUS / "robustness"


def _quotes(name: str):
    require_shared()
    clean = normalise(load_raw(ROBUSTNESS / name))
    return find_quotes(clean.text, set_off=clean.set_off)


@pytest.mark.parametrize("name", ["bmc-no-quotes.pdf", "federal-register-three-columns.pdf"])
def test_documents_without_participants_yield_no_interview_quotation(name):
    assert [q.text for q in _quotes(name) if q.attribution and q.attribution.source_kind == "interview"] == []


def test_unattributed_citizen_quotations_are_found_with_no_respondent():
    quotes = _quotes("gncr-public-engagement.pdf")
    assert quotes
    assert all(q.attribution is None or q.attribution.code is None for q in quotes)
