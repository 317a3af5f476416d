"""Headings and the section tree: found from the shape of a line, with levels a reader would give them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ingest.clean import normalise
from ingest.records import CleanDocument, Section
from ingest.sections import build_sections
from ingest.text_loader import load_text
from tests.conftest import SHARED


def sections_of(text: str) -> list[Section]:
    return build_sections(CleanDocument(text, [0], [1]))


def outline(text: str) -> list[tuple[int, str]]:
    return [(s.level, s.heading) for s in sections_of(text)]


def headings(text: str) -> list[str]:
    return [s.heading for s in sections_of(text)]


NUMBERED = """\
6. Findings

The sites varied a great deal in what they did.

6.3 Leadership

Leaders mattered in every site we visited.

6.3.1 Clinical leads

Clinical leads were named in all sites.

Local champions

Champions were named by many respondents.

7. Discussion

We discuss the findings here.
"""

IMRAD = """\
Abstract

We studied how the vanguards spread change.

Methods

We interviewed staff in six sites.

Results

Several themes emerged from the interviews.

Organisational structure

Structures differed between sites.

Leadership and management

Leaders mattered.

Discussion

The findings echo earlier work.

Strengths and limitations

The study had limits.

Conclusion

Scale and spread need resources.
"""


# --- levels ---------------------------------------------------------------------------------


def test_numbered_headings_take_their_level_from_the_number() -> None:
    levels = {s.number: s.level for s in sections_of(NUMBERED) if s.number}
    assert levels == {"6": 1, "6.3": 2, "6.3.1": 3, "7": 1}


def test_unnumbered_heading_under_a_numbered_one_goes_one_level_down() -> None:
    assert (4, "Local champions") in outline(NUMBERED)


def test_imrad_subsections_sit_one_level_under_results_and_discussion() -> None:
    assert outline(IMRAD) == [
        (1, "Abstract"),
        (1, "Methods"),
        (1, "Results"),
        (2, "Organisational structure"),
        (2, "Leadership and management"),
        (1, "Discussion"),
        (2, "Strengths and limitations"),
        (1, "Conclusion"),
    ]


def test_all_caps_headings_are_found_with_theme_headings_under_findings() -> None:
    text = """\
INTRODUCTION

The programme began in 2015.

FINDINGS

Several themes emerged.

THEME 1: UNCERTAINTY AROUND POLICY AND GOVERNMENT TARGETS

Respondents were unsure what was wanted of them.

CONCLUSIONS

Change takes time.
"""
    assert outline(text) == [
        (1, "INTRODUCTION"),
        (1, "FINDINGS"),
        (2, "THEME 1: UNCERTAINTY AROUND POLICY AND GOVERNMENT TARGETS"),
        (1, "CONCLUSIONS"),
    ]


# --- what is not a heading ------------------------------------------------------------------


def test_front_matter_before_the_abstract_yields_no_headings() -> None:
    text = """\
Scale and spread of innovation in health and social care

Jane Smith, John Brown and Ann Green

Policy Research Unit in Health and Social Care Systems

University of Manchester, UK

Abstract

We studied the vanguards.

Introduction

The programme began in 2015.
"""
    assert headings(text) == ["Abstract", "Introduction"]


def test_reference_list_yields_no_headings() -> None:
    text = """\
Introduction

The programme began in 2015.

References

Nolte E. How do we ensure that innovation is implemented, sustained and spread

Health Foundation Briefing

Checkland K, Coleman A. Vanguards and change in the English NHS

Smith J, Brown A. Integrated care: a review of the evidence. London: King's Fund, 2019.
"""
    assert headings(text) == ["Introduction", "References"]


def test_second_abstract_after_the_references_starts_a_second_version() -> None:
    text = """\
ABSTRACT

We studied the vanguards.

INTRODUCTION

The programme began in 2015.

REFERENCES

Nolte E. Health Foundation Briefing

ABSTRACT

We studied the vanguards again.

INTRODUCTION

The programme began in 2015, as before.
"""
    assert outline(text) == [
        (1, "ABSTRACT"),
        (1, "INTRODUCTION"),
        (1, "REFERENCES"),
        (1, "ABSTRACT"),
        (1, "INTRODUCTION"),
    ]


def test_numbered_headings_of_a_second_version_are_found() -> None:
    text = """\
Abstract

First version.

1. Introduction

Text here.

2. Methods

More text here.

References

Smith J. Vanguards and change

Abstract

Second version.

1. Introduction

Text again.

2. Methods

More text again.
"""
    assert headings(text) == [
        "Abstract",
        "1. Introduction",
        "2. Methods",
        "References",
        "Abstract",
        "1. Introduction",
        "2. Methods",
    ]


def test_lead_in_line_before_a_quotation_is_not_a_heading() -> None:
    text = """\
Findings

Respondents described the programme in many ways.

As one care home manager put it

'It was the money that made the difference, nothing else really.' (P3S1R03)

Staffing

Staff were stretched.
"""
    assert headings(text) == ["Findings", "Staffing"]


def test_standard_heading_followed_by_a_quotation_is_still_a_heading() -> None:
    text = """\
Introduction

The programme began in 2015.

Findings

'It was the money that made the difference, nothing else really.' (P3S1R03)

Most respondents agreed.
"""
    assert headings(text) == ["Introduction", "Findings"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Table 1. Characteristics of the participants",
        "Figure 2: The Nolte framework",
        "- Care home support teams",
        "• Care home support teams",
        "What the sites did.",
        "Key points to note;",
        "Support for care homes across the",
    ],
    ids=["table-caption", "figure-caption", "dash-bullet", "dot-bullet", "full-stop", "semicolon", "dangling"],
)
def test_line_shaped_like_a_heading_but_marked_otherwise_is_not_a_heading(paragraph: str) -> None:
    text = f"Findings\n\nThemes emerged.\n\n{paragraph}\n\nMore text follows here.\n"
    assert headings(text) == ["Findings"]


def test_paragraph_of_a_quoted_document_numbered_out_of_sequence_is_not_a_heading() -> None:
    text = """\
6. Findings

The national plan said what follows.

1.15. We will expand the programme to every site in the country

The sites responded in different ways.

6.2 Workforce

Staff were stretched.
"""
    assert headings(text) == ["6. Findings", "6.2 Workforce"]


def test_line_followed_by_a_lowercase_continuation_is_not_a_heading() -> None:
    text = "Findings\n\nThemes emerged.\n\nCare home staff\n\nwere stretched across the sites.\n"
    assert headings(text) == ["Findings"]


# --- the tree -------------------------------------------------------------------------------


def test_path_of_a_level_three_section_holds_its_ancestors() -> None:
    deepest = next(s for s in sections_of(NUMBERED) if s.number == "6.3.1")
    assert deepest.path == ("6. Findings", "6.3 Leadership", "6.3.1 Clinical leads")


def test_parent_is_the_nearest_section_one_level_up() -> None:
    sections = sections_of(NUMBERED)
    by_number = {s.number: s for s in sections}
    assert by_number["6.3.1"].parent == by_number["6.3"].ordinal
    assert by_number["6.3"].parent == by_number["6"].ordinal
    assert by_number["7"].parent is None


@pytest.mark.parametrize("text", [NUMBERED, IMRAD], ids=["numbered", "imrad"])
def test_section_text_starts_at_its_heading(text: str) -> None:
    for section in sections_of(text):
        assert text[section.char_start :].startswith(section.heading)


@pytest.mark.parametrize("text", [NUMBERED, IMRAD], ids=["numbered", "imrad"])
def test_section_ranges_nest_inside_their_parent(text: str) -> None:
    sections = sections_of(text)
    for section in sections:
        assert section.char_start < section.char_end <= len(text)
        if section.parent is not None:
            parent = sections[section.parent]
            assert parent.char_start < section.char_start
            assert section.char_end <= parent.char_end


@pytest.mark.parametrize("text", [NUMBERED, IMRAD], ids=["numbered", "imrad"])
def test_a_section_ends_where_the_next_heading_at_its_level_or_above_begins(text: str) -> None:
    sections = sections_of(text)
    for section in sections:
        later = [s for s in sections[section.ordinal + 1 :] if s.level <= section.level]
        assert section.char_end == (later[0].char_start if later else len(text))


def test_sections_carry_the_page_range_they_span() -> None:
    text = "Introduction\n\nPage one text.\n\nMethods\n\nMethod text on page one.\n\nMore method text on two."
    doc = CleanDocument(text, [0, text.index("More method")], [1, 2])
    intro, methods = build_sections(doc)
    assert (intro.page_start, intro.page_end) == (1, 1)
    assert (methods.page_start, methods.page_end) == (1, 2)


# --- the annotated corpus -------------------------------------------------------------------


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def annotation_files() -> list[Path]:
    return sorted((SHARED / "eval").glob("sections_*.jsonl")) if SHARED.is_dir() else []


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared corpus (../shared) is not present")
@pytest.mark.parametrize("annotations", annotation_files(), ids=lambda p: p.stem)
def test_headings_match_the_annotated_corpus(annotations: Path) -> None:
    expected = [json.loads(line) for line in annotations.read_text(encoding="utf-8").splitlines() if line.strip()]
    doc = normalise(load_text(SHARED / "corpus" / "text" / expected[0]["doc"]))
    predicted = build_sections(doc)

    used = [False] * len(expected)
    level_pairs: list[tuple[int, int]] = []
    for section in predicted:
        found = collapse(section.heading)
        for i, answer in enumerate(expected):
            wanted = collapse(answer["heading"])
            if not used[i] and (found == wanted or found.startswith(wanted)):
                used[i] = True
                level_pairs.append((section.level, answer["level"]))
                break

    matched = len(level_pairs)
    missed = [a["heading"] for a, hit in zip(expected, used) if not hit]
    assert matched / len(expected) >= 0.9, f"heading recall {matched}/{len(expected)}; missed {missed}"
    assert matched / len(predicted) >= 0.9, f"heading precision {matched}/{len(predicted)}"
    agree = sum(1 for got, want in level_pairs if got == want)
    assert agree / matched >= 0.9, f"levels agree for {agree}/{matched} matched headings"


def test_a_paragraph_that_opens_a_speaker_turn_heads_no_section():
    text = "Interview notes\n\nInterviewer: And what changed?\n\nP2: Everything, once the funding came through.\n"
    turn = text.index("Interviewer:")
    assert [s.heading for s in build_sections(CleanDocument(text, [0], [1]), turns=[turn])] == ["Interview notes"]
