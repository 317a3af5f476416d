"""Paragraphs as runs of non-empty lines, and blocks between blank lines."""

from __future__ import annotations

from ingest.text.paragraphs import block_starts, paragraphs, split_blocks


def test_paragraphs_are_runs_of_non_empty_lines_with_exact_offsets() -> None:
    text = "Title\n\nFirst line\nwrapped line\n\n\nLast."
    found = list(paragraphs(text))
    assert [m.group(0) for m in found] == ["Title", "First line\nwrapped line", "Last."]
    assert all(text[m.start():m.end()] == m.group(0) for m in found)


def test_paragraphs_keep_to_the_range_asked_for() -> None:
    text = "One\n\nTwo\n\nThree"
    assert [m.group(0) for m in paragraphs(text, text.index("Two"), text.index("\n\nThree"))] == ["Two"]


def test_a_line_of_spaces_joins_paragraphs_but_separates_blocks() -> None:
    text = "One\n \nTwo"
    assert [m.group(0) for m in paragraphs(text)] == [text]
    assert split_blocks(text) == ["One", "Two"]


def test_blocks_count_empty_ones_so_an_index_names_the_same_block() -> None:
    assert split_blocks("\n\nOne\n\n\n\nTwo") == ["", "One", "", "Two"]


def test_block_starts_are_just_past_each_blank_line() -> None:
    text = "Heading\n\nLead-in line\n \t\nQuote"
    assert [text[s:] for s in block_starts(text)] == ["Lead-in line\n \t\nQuote", "Quote"]
