"""A document's own respondent codes, learned from where and how often its labels stand."""

from __future__ import annotations

import pytest

from ingest.attribution_vocabulary import (
    induce_vocabulary,
    label_shapes,
    names_collection,
    respondent_attribution,
    shape_facets,
    split_provenance,
)
from ingest.quotes import find_quotes
from ingest.records import Attribution

REPORT = (
    "Staff spoke about rotas.\n\n"
    "“We never know who is on until the morning.” (Depot K, Driver 4)\n\n"
    "Others agreed.\n\n"
    "“The new system sends the list the night before.” (Depot M, Driver 11)\n\n"
    "A single mention of a figure (Table 2) stands apart."
)


def test_a_shape_recurring_in_attribution_positions_becomes_the_vocabulary() -> None:
    vocabulary = induce_vocabulary(REPORT)
    assert vocabulary.knows("Depot Q, Driver 7")
    assert not vocabulary.knows("Table 2")


def test_a_shape_seen_once_is_not_a_code() -> None:
    assert not induce_vocabulary("“We waited a long time for it.” (Depot K, Driver 4)").shapes


def test_labels_are_grouped_by_word_and_mark_and_by_letter_digit_pattern() -> None:
    assert label_shapes("Hospital C, Consultant 2") == {"hospital A", "consultant 9"}
    assert label_shapes("QB22") == label_shapes("XY7") == {"A9"}
    assert label_shapes("Smith 2019") == set()


def test_an_unrecognised_label_of_the_document_shape_is_read_as_a_respondent() -> None:
    raw = Attribution(raw="(Depot Q, Driver 7)", code="Depot Q, Driver 7", scheme="raw", source_kind="other")
    read = induce_vocabulary(REPORT).read(raw)
    assert (read.code, read.source_kind) == ("Depot Q, Driver 7", "interview")
    assert read.facets["number"] == 7


def test_provenance_is_kept_apart_from_the_code() -> None:
    assert split_provenance("Participant 7, line 120") == ("Participant 7", "line 120")
    attribution = respondent_attribution("(Tenant 3, p. 14)", "Tenant 3, p. 14")
    assert attribution.code == "Tenant 3" and attribution.facets["provenance"] == "p. 14"


def test_sex_and_age_listed_in_a_code_are_facets_not_its_number_or_role() -> None:
    assert shape_facets("Interviewee 3, female, 45") == {"number": 3, "sex": "female", "age": 45, "role": "Interviewee"}
    assert shape_facets("Carer 12, aged 71, male") == {"number": 12, "sex": "male", "age": 71, "role": "Carer"}
    assert shape_facets("Tenant 4, 34 years old") == {"number": 4, "age": 34, "role": "Tenant"}


@pytest.mark.parametrize("label", ["Interview, head teacher", "Focus group: parents", "Interview with a ward manager",
                                   "Interviewee, female, 45"])
def test_a_label_naming_the_interview_names_a_respondent(label: str) -> None:
    assert names_collection(label)


@pytest.mark.parametrize("label", ["Interview guide", "Interview schedule, section 2", "Interviews 2019, minister",
                                   "interview"])
def test_a_label_naming_interview_material_names_nobody(label: str) -> None:
    assert not names_collection(label)


def test_a_quotation_from_an_interview_named_once_is_an_interview_quotation() -> None:
    (quote,) = find_quotes("“We plan the whole autumn around a visit that may never come.” (Interview, head teacher)")
    assert quote.attribution.source_kind == "interview"
    assert quote.attribution.code == "Interview, head teacher"
