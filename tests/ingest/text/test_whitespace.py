"""Spaces collapsed and trimmed in a text, a line and a span."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ingest.text.whitespace import INLINE_SPACE_RUN, collapse_spaces, squeeze_line, strip_span, tidy


def test_collapse_spaces_joins_every_run_of_white_space() -> None:
    assert collapse_spaces("  the\n\tplan \u00a0 began\u2003 ") == "the plan began"


@given(st.text())
def test_collapse_spaces_leaves_single_inner_spaces_and_no_ends(text: str) -> None:
    collapsed = collapse_spaces(text)
    assert "  " not in collapsed and collapsed == collapsed.strip()
    assert collapsed.split() == text.split()


def test_squeeze_line_keeps_tabs_unless_told_they_are_space() -> None:
    assert squeeze_line("  a\u00a0 b\tc  ") == "a b\tc"
    assert squeeze_line("  a\u00a0 b\tc  ", INLINE_SPACE_RUN) == "a b c"


def test_tidy_trims_lines_and_collapses_blank_runs_but_keeps_table_tabs() -> None:
    assert tidy("\n  one   two \n\n\n\nrow\t  cell \nthree\n\n") == "one two\n\nrow\t  cell\nthree"


def test_strip_span_drops_white_space_at_both_ends() -> None:
    text = "  a quote \n"
    start, end = strip_span(text, 0, len(text))
    assert text[start:end] == "a quote"
    assert strip_span("   ", 0, 3)[0] == strip_span("   ", 0, 3)[1]
