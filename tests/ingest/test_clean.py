"""Cleaning: one normalised text per document, the authors' words kept and extraction debris dropped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.clean import (
    drop_cover_sheet,
    drop_furniture,
    furniture_in,
    load_furniture_rules,
    normalise,
    strip_bullet_glyph,
    strip_markup,
)
from ingest.records import RawDocument, RawPage


@pytest.fixture(scope="module")
def rules():
    return load_furniture_rules()


def raw(*pages: str) -> RawDocument:
    return RawDocument(pages=[RawPage(number=i + 1, text=t) for i, t in enumerate(pages)], source_format="text")


# --- markup ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("an *italic* word", "an italic word"),
        ("a **bold** word", "a bold word"),
        ("**THEME 1: UNCERTAINTY AROUND POLICY", "THEME 1: UNCERTAINTY AROUND POLICY"),
        ("<i>Vanguard</i> sites", "Vanguard sites"),
        ("<I>Vanguard</I> sites", "Vanguard sites"),
        ("<p>The programme began in 2015.</p>", "The programme began in 2015."),
        ("“I have to.” - [[P03]]", "“I have to.” - P03"),
        ("see [[people/p03|P03]] and [[P04]]", "see P03 and P04"),
    ],
    ids=["italic", "bold", "unbalanced-bold", "i-tag", "upper-i-tag", "p-tag", "wikilink", "aliased-wikilink"],
)
def test_strip_markup_drops_emphasis_and_tags(line: str, expected: str) -> None:
    assert strip_markup(line) == expected


def test_strip_markup_keeps_a_lone_asterisk_between_spaces() -> None:
    assert strip_markup("scores of 5 * 3 were rare") == "scores of 5 * 3 were rare"


def test_strip_markup_keeps_angle_brackets_that_are_not_tags() -> None:
    assert strip_markup("p < 0.05 and n > 30") == "p < 0.05 and n > 30"


# --- bullet glyphs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["- ♣ care home support", "★ care home support", "- + care home support", "→ care home support"]
)
def test_strip_bullet_glyph_turns_decorative_bullets_into_a_dash(line: str) -> None:
    assert strip_bullet_glyph(line) == "- care home support"


def test_strip_bullet_glyph_leaves_a_plain_dash_item_alone() -> None:
    assert strip_bullet_glyph("- care home support") == "- care home support"


def test_strip_bullet_glyph_leaves_a_plus_that_starts_a_line_alone() -> None:
    assert strip_bullet_glyph("+ 12 per cent") == "+ 12 per cent"


# --- manuscript line numbers ----------------------------------------------------------------


def test_normalise_drops_line_numbers_from_a_line_numbered_manuscript() -> None:
    numbered = "\n".join([*map(str, range(1, 13)), "13 14 RESULTS", "15", "66 interviews were held."])
    assert normalise(raw(numbered)).text == "RESULTS\n66 interviews were held."


def test_normalise_keeps_leading_numbers_in_a_document_without_line_numbers() -> None:
    plain = "Results\n\n12 sites took part.\n\n3 of them withdrew."
    assert normalise(raw(plain)).text == plain


# --- furniture and cover sheets -------------------------------------------------------------


def test_drop_furniture_removes_running_peer_review_header(rules) -> None:
    lines = ["For peer review only", "The vanguards began in 2015.", "For peer review only - http://bmjopen.bmj.com"]
    assert drop_furniture(lines, rules) == ["The vanguards began in 2015."]


def test_drop_furniture_keeps_a_sentence_that_mentions_peer_review(rules) -> None:
    line = "Reviewers asked for peer review only once."
    assert drop_furniture([line], rules) == [line]


COVER = """\
This is a copy of an article held in the Example University Research Repository.

This document version: Author Accepted Manuscript. DOI for this version: not available.

Licence for this version: CC BY. Please cite as the published version.

Take down policy: if you believe this document breaches copyright, contact us.
"""

BODY = """\
Learning from the vanguards

Abstract

The New Care Models programme tested new ways of joining up services between 2015 and 2018.
Fifty sites took part, and their staff told us what helped change to spread.

Introduction

""" + " ".join(["Sites described the resources, leadership and communication they needed."] * 12)


def test_drop_cover_sheet_removes_a_repository_cover_at_the_start(rules) -> None:
    assert drop_cover_sheet(COVER + "\n" + BODY, rules).lstrip("\n") == BODY


def test_drop_cover_sheet_leaves_a_document_mentioning_version_of_record_once(rules) -> None:
    text = BODY.replace("Fifty sites took part,", "Fifty sites took part (see the version of record for the tables),")
    assert drop_cover_sheet(text, rules) == text


def test_drop_cover_sheet_leaves_markers_far_into_the_document(rules) -> None:
    late = BODY + "\n\n" + COVER
    assert drop_cover_sheet(late, rules) == late


# --- normalise: the page map ----------------------------------------------------------------


THREE_PAGES = (
    "Alpha page one opens here.\n\nIt has a second paragraph.",
    "Bravo page two carries on.\n\nWith more text on two.",
    "Charlie page three ends it.",
)


def test_normalise_keeps_the_words_and_separates_pages_by_a_blank_line() -> None:
    doc = normalise(raw(*THREE_PAGES))
    assert doc.text == "\n\n".join(THREE_PAGES)
    assert doc.page_numbers == [1, 2, 3]


@pytest.mark.parametrize(("word", "page"), [("Alpha", 1), ("second", 1), ("Bravo", 2), ("two.", 2), ("Charlie", 3)])
def test_page_at_finds_the_page_of_an_offset(word: str, page: int) -> None:
    doc = normalise(raw(*THREE_PAGES))
    offset = doc.text.index(word)
    assert doc.page_at(offset) == page
    assert doc.page_at(offset + len(word) - 1) == page


@pytest.mark.parametrize(("word", "page"), [("Learning", 1), ("Bravo", 2), ("two.", 2), ("Charlie", 3)])
def test_page_at_stays_right_after_a_cover_sheet_on_page_one_is_dropped(word: str, page: int) -> None:
    doc = normalise(raw(COVER + "\n" + BODY, *THREE_PAGES[1:]))
    assert doc.text.startswith("Learning from the vanguards")
    assert doc.page_at(doc.text.index(word)) == page


def test_page_one_that_is_all_cover_leaves_the_page_map() -> None:
    doc = normalise(raw(COVER, BODY, THREE_PAGES[2]))
    assert doc.text.startswith("Learning from the vanguards")
    assert doc.page_numbers == [2, 3]
    assert doc.page_starts[0] == 0
    assert doc.page_at(doc.text.index("Charlie")) == 3


def test_normalise_drops_markup_glyphs_and_furniture_in_one_pass() -> None:
    page = "For peer review only\n**FINDINGS**\n\n- ♣ <i>Care</i> homes were *supported*."
    assert normalise(raw(page)).text == "FINDINGS\n\n- Care homes were supported."


# --- properties -----------------------------------------------------------------------------

# Pieces that exercise every cleaning rule: markup, glyphs, line breaks, numbers, cover markers.
page_text = st.lists(
    st.sampled_from([*"ab Z1.-*<>i/\n\r\f\t ♣★", "\n\n", "7\n", "Van-\nguard", "version of record", "downloaded from"]),
    max_size=60,
).map("".join)


@settings(max_examples=100, deadline=None)
@given(pages=st.lists(page_text, min_size=1, max_size=5))
def test_normalise_page_starts_always_lie_in_the_text_in_order(pages: list[str]) -> None:
    doc = normalise(raw(*pages))
    assert len(doc.page_starts) == len(doc.page_numbers)
    assert all(0 <= start <= len(doc.text) for start in doc.page_starts)
    assert doc.page_starts == sorted(doc.page_starts)
    assert doc.page_numbers == sorted(doc.page_numbers)


@settings(max_examples=100, deadline=None)
@given(pages=st.lists(st.text(max_size=200), min_size=1, max_size=4))
def test_normalise_never_raises_on_arbitrary_text(pages: list[str]) -> None:
    doc = normalise(raw(*pages))
    for offset in range(0, len(doc.text), 7):
        assert doc.page_at(offset) in range(1, len(pages) + 1)


def test_furniture_in_a_passage_is_reported() -> None:
    assert furniture_in("the demand 26 to see 27 efficiencies 28 from the top") == "26 27 28"
    assert furniture_in("over the last 18 months at 3 sites") is None


# --- long documents on workers ----------------------------------------------------------------


def test_a_long_document_cleaned_in_groups_on_workers_equals_one_cleaned_whole() -> None:
    """Only the first page shows the margin numbering; the pages of every group lose theirs."""
    from ingest.clean import CLEAN_PAGES_PER_TASK
    from tests.recording_pool import RecordingMapper

    body = "1 Page {n} opens.\n2 It goes on.\n\n3 A set-off paragraph\n4 of two lines."
    numbering = "\n".join(map(str, range(1, 13)))
    pages = [RawPage(number=1, text=f"{numbering}\n\n{body.format(n=1)}", set_off=((2, "indented"),))]
    pages += [RawPage(number=n, text=body.format(n=n), set_off=((1, "indented"),))
              for n in range(2, 2 * CLEAN_PAGES_PER_TASK + 2)]
    document = RawDocument(pages=pages, source_format="pdf")
    mapper = RecordingMapper(2)

    whole = normalise(document)
    in_groups = normalise(document, parallel=mapper)

    assert mapper.calls == [3]
    assert in_groups == whole
    assert f"Page {2 * CLEAN_PAGES_PER_TASK} opens. It goes on." in whole.text
    set_off = [whole.text[mark.start:mark.end] for mark in whole.set_off]
    assert set_off == ["A set-off paragraph of two lines."] * len(pages)
