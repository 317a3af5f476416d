"""Words split by a line-end hyphen, joined as plain text, a table cell and a whole document need."""

from __future__ import annotations

import pytest

from ingest.text.hyphenation import LETTER_SPLIT, Spelling, join_split_words, repair_document_hyphenation


@pytest.mark.parametrize(
    ("text", "plain_joins", "cell_joins"),
    [
        ("the Van-\nguard sites", True, True),
        ("a long-\nTerm Plan", False, False),
        ("caf\u00e9-\n\u00e9t\u00e9", False, True),
        ("item 3-\n4 weeks", False, False),
    ],
)
def test_plain_text_joins_ascii_lower_case_halves_and_a_cell_any_letters_before_no_capital(
    text: str, plain_joins: bool, cell_joins: bool
) -> None:
    joined = text.replace("-\n", "")
    assert join_split_words(text) == (joined if plain_joins else text)
    assert join_split_words(text, LETTER_SPLIT) == (joined if cell_joins else text)


def test_a_hyphen_inside_a_line_is_no_split() -> None:
    assert join_split_words("a long-term plan", LETTER_SPLIT) == "a long-term plan"


def test_the_document_spelling_keeps_a_hyphen_it_writes_elsewhere() -> None:
    pages = ["Care was co-ordinated across sites and co-\nordinated again later."]
    assert repair_document_hyphenation(pages) == ["Care was co-ordinated across sites and co-ordinated\nagain later."]


def test_the_spelling_of_page_ranges_read_apart_joins_into_the_documents() -> None:
    pages = ["Care was co-ordinated across sites.", "The pro-\ngramme was co-\nordinated again.", "A programme."]
    ranges = Spelling.joined([Spelling.of(pages[:1]), Spelling.of(pages[1:])])

    assert ranges == Spelling.of(pages)
    assert repair_document_hyphenation(pages, ranges) == repair_document_hyphenation(pages)
    assert repair_document_hyphenation(pages, ranges)[1] == "The programme\nwas co-ordinated\nagain."


def test_a_typesetter_break_between_lower_case_letters_is_joined() -> None:
    assert repair_document_hyphenation(["the pro-\ngramme began"]) == ["the programme\nbegan"]


def test_a_hyphen_before_a_capital_stays_unless_the_document_writes_the_closed_word() -> None:
    assert repair_document_hyphenation(["the North-\nWest region"]) == ["the North-West\nregion"]
    assert repair_document_hyphenation(["Vanguard sites. The Van-\nguard began"]) == [
        "Vanguard sites. The Vanguard\nbegan"]


def test_a_word_split_across_a_page_break_is_carried_back() -> None:
    assert repair_document_hyphenation(["the new pro-", "gramme began in 2015"]) == [
        "the new programme", "began in 2015"]


def test_a_table_paragraph_is_left_alone() -> None:
    table = "Site\tpro-\ngramme"
    assert repair_document_hyphenation([f"Intro text.\n\n{table}"]) == [f"Intro text.\n\n{table}"]


def test_a_word_split_before_an_indented_line_is_joined() -> None:
    assert join_split_words("I pro-\n    bably can't") == "I probably can't"
