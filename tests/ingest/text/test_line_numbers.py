"""A manuscript's margin line numbers, dropped in text and by position; numbers in prose kept."""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.text.line_numbers import (
    drop_embedded_count,
    drop_line_numbers,
    drop_margin_line_numbers,
    drop_number_runs,
    embedded_count,
    is_line_numbered,
)


def numbered_lines(first: int, last: int) -> list[str]:
    return [str(n) for n in range(first, last + 1)]


def test_long_run_of_bare_consecutive_numbers_marks_a_line_numbered_manuscript() -> None:
    assert is_line_numbered(["Title", "", *numbered_lines(1, 12), "Some text"])


def test_a_short_numbered_list_is_not_a_line_numbered_manuscript() -> None:
    assert not is_line_numbered(["Results", "", "1", "2", "3", "Text follows."])


def test_bare_number_lines_are_removed() -> None:
    assert drop_line_numbers([*numbered_lines(1, 12), "The text."]) == ["The text."]


def test_number_prefix_continuing_the_count_is_removed() -> None:
    lines = [*numbered_lines(1, 16), "17 18 19 20 THEME 2: LEGITIMATING RETURN ON INVESTMENT"]
    assert drop_line_numbers(lines) == ["THEME 2: LEGITIMATING RETURN ON INVESTMENT"]


def test_single_number_prefix_continuing_the_count_is_removed() -> None:
    lines = [*numbered_lines(1, 21), "22 The text goes on."]
    assert drop_line_numbers(lines) == ["The text goes on."]


def test_sentence_starting_with_a_number_that_does_not_continue_the_count_keeps_it() -> None:
    lines = [*numbered_lines(1, 12), "66 interviews were held across the sites."]
    assert drop_line_numbers(lines) == ["66 interviews were held across the sites."]


def test_a_run_of_consecutive_numbers_at_a_line_start_is_dropped_and_a_list_of_figures_is_not() -> None:
    assert drop_number_runs("17 18 19 20 THEME 2") == "THEME 2"
    assert drop_number_runs("12 15 30 sites replied") == "12 15 30 sites replied"
    assert drop_number_runs("12 sites replied") == "12 sites replied"


def test_line_numbers_typeset_among_the_words_are_dropped_from_a_pdf_page() -> None:
    page = (
        "4 The bus came late on the first morning and\nnobody 5 knew why it had been held at the depot\n"
        "for so 6 long. Drivers said the rota 7 had changed\nwithout notice, and 8 the new timetable was\n"
        "posted 11 only on the staff board, 12 where few\nsaw it 13 before the shift began 14 that day."
    )
    cleaned = drop_embedded_count(page)
    assert re.findall(r"\b\d+\b", cleaned) == []
    assert "The bus came late" in cleaned and "nobody knew why" in " ".join(cleaned.split())


def test_a_number_in_the_prose_is_not_a_line_count() -> None:
    text = "We waited 18 months for 3 new vans and 2 drivers."
    assert drop_embedded_count(text) == text


def test_embedded_count_names_the_counting_numbers_in_reading_order() -> None:
    assert [m.group(1) for m in embedded_count("the demand 26 to see 27 efficiencies 28 from the top")] == [
        "26", "27", "28"]


class Word(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    size: float


def page(numbers_x0: float, text_x0: float, numbers: list[int]) -> list[Word]:
    """A numbered column of lines: the number at `numbers_x0`, a few words from `text_x0`."""
    words = []
    for row, number in enumerate(numbers):
        top = 100.0 + 14 * row
        words.append(Word(str(number), numbers_x0, numbers_x0 + 10, top, 10.0))
        words.extend(Word(w, text_x0 + 30 * i, text_x0 + 30 * i + 25, top, 10.0) for i, w in enumerate(["the", "plan"]))
    return words


def test_a_column_of_rising_numbers_in_the_margin_is_dropped() -> None:
    words = page(40.0, 80.0, list(range(1, 9)))
    assert [w.text for w in drop_margin_line_numbers(words)] == ["the", "plan"] * 8


def test_numbers_among_the_text_or_not_counting_up_stay() -> None:
    among_the_text = page(60.0, 65.0, list(range(1, 9)))
    assert drop_margin_line_numbers(among_the_text) == among_the_text
    falling = page(40.0, 80.0, list(range(9, 1, -1)))
    assert drop_margin_line_numbers(falling) == falling
    too_few = page(40.0, 80.0, [1, 2, 3, 4])
    assert drop_margin_line_numbers(too_few) == too_few
