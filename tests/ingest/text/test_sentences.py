"""Sentence ends in their three strictnesses, sentence spans, and where a sentence starts."""

from __future__ import annotations

import pytest

from ingest.text.sentences import (
    LOOSE_SENTENCE_END,
    SENTENCE_END,
    SENTENCE_END_BEFORE_CAPITAL_OR_MARK,
    ends_sentence,
    has_inner_sentence_end,
    sentence_spans,
    sentence_starts,
    starts_sentence,
)


def spans(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, 0, len(text))]


def test_sentence_spans_end_a_sentence_at_a_paragraph_break() -> None:
    text = "We met staff in every site\n\nThey said the funding helped. It ended in 2018."
    assert spans(text) == ["We met staff in every site", "They said the funding helped.", "It ended in 2018."]


def test_sentence_spans_keep_a_wrapped_line_inside_one_sentence() -> None:
    assert spans("Staff in the care homes\nwere stretched. Managers agreed.") == [
        "Staff in the care homes\nwere stretched.", "Managers agreed."]


def test_sentence_spans_keep_closing_marks_and_note_calls_with_their_sentence() -> None:
    quoted = "\u2018It was the money.\u2019"
    assert spans(f"{quoted} Managers agreed.") == [quoted, "Managers agreed."]
    assert spans("Costs rose.\u00b9\u00b2 Staff left.") == ["Costs rose.\u00b9\u00b2", "Staff left."]


def test_sentence_spans_stay_inside_the_range_asked_for() -> None:
    text = "Heading\n\nFirst sentence here. Second one.\n\nNext section."
    start, end = text.index("First"), text.index("\n\nNext")
    found = list(sentence_spans(text, start, end))
    assert [text[s:e] for s, e in found] == ["First sentence here.", "Second one."]
    assert all(start <= s < e <= end for s, e in found)


@pytest.mark.parametrize(
    ("text", "strict", "before_capital_or_mark", "loose"),
    [
        ("It rose. Then it fell.", True, True, True),
        ("It rose in 2019. 2020 was worse.", True, False, True),
        ("As one said: 'it worked.' 'yes, it did'", False, True, True),
        ("see p. 12 for more", True, False, True),
        ("It rose\u2026 and then it fell.", False, False, True),
        ("e.g. the plan", False, False, True),
        ("It rose", False, False, False),
    ],
)
def test_each_strictness_ends_a_sentence_where_its_readers_need(
    text: str, strict: bool, before_capital_or_mark: bool, loose: bool
) -> None:
    assert bool(sentence_starts(text, SENTENCE_END)) is strict
    assert bool(sentence_starts(text, SENTENCE_END_BEFORE_CAPITAL_OR_MARK)) is before_capital_or_mark
    assert bool(sentence_starts(text, LOOSE_SENTENCE_END)) is loose


def test_sentence_starts_are_just_past_the_space_after_the_end() -> None:
    text = "One. \u201cTwo.\u201d  Three."
    assert [text[s:] for s in sentence_starts(text)] == ["\u201cTwo.\u201d  Three.", "Three."]


@pytest.mark.parametrize(("word", "ends"), [("done.", True), ("done.\u201d", True), ("well\u2026", True),
                                            ("why?)", True), ("Dr", False), ("a.b", False)])
def test_ends_sentence_reads_one_word(word: str, ends: bool) -> None:
    assert ends_sentence(word) is ends


def test_an_inner_sentence_end_needs_a_lower_case_word_before_the_stop() -> None:
    assert has_inner_sentence_end("Results were mixed. Staff left")
    assert not has_inner_sentence_end("The U.K. Plan")
    assert not has_inner_sentence_end("Section 6.3 Findings")


@pytest.mark.parametrize(
    ("text", "word", "starts"),
    [
        ("The plan", "The", True),
        ("It ended. The plan", "The", True),
        ("a list:\nThe plan", "The", True),
        ("cell\tThe plan", "The", True),
        ("It ended. \u201cThe plan", "The", True),
        ("under the Plan", "Plan", False),
    ],
)
def test_starts_sentence_at_text_line_cell_and_sentence_openings(text: str, word: str, starts: bool) -> None:
    assert starts_sentence(text, text.index(word)) is starts
