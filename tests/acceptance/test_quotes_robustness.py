"""Real awkward documents: quotations are found where people speak and invented nowhere else."""

from __future__ import annotations

import pytest

from ingest.clean import normalise
from ingest.document import load_raw
from ingest.lead_in import named_in_full
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
    """The citizens quoted are never named, so no code is invented for them; a speaker the report
    names in full in its own prose (`He said:` after naming him) may be credited."""
    require_shared()
    clean = normalise(load_raw(ROBUSTNESS / "gncr-public-engagement.pdf"))
    quotes = find_quotes(clean.text, set_off=clean.set_off)
    unattributed = [q for q in quotes if q.attribution is None or q.attribution.code is None]
    named = [q.attribution.code for q in quotes if q not in unattributed]
    prose = clean.text
    for quote in quotes:
        prose = prose[:quote.char_start] + " " * (quote.char_end - quote.char_start) + prose[quote.char_end:]
    assert unattributed
    assert all(named_in_full(code) and code in prose for code in named)
