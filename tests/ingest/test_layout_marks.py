"""Where the cleaner finds again the paragraphs a loader marked as set off by layout."""

from __future__ import annotations

from ingest.layout_marks import indented_marks, locate_marks


def test_a_marked_paragraph_is_found_where_it_opens_a_line_not_inside_an_earlier_paragraph() -> None:
    body = "Meeting her gave hope. “She was sitting there, fine, laughing.” (M11)"
    pull = "fine, laughing.”"
    page = f"{body}\n\n{pull}"

    [mark] = locate_marks(page, [(1, "large")], page, lambda paragraph: paragraph, offset=100)

    assert (mark.start, mark.end, mark.kind) == (100 + len(body) + 2, 100 + len(page), "large")


def test_a_one_line_paragraph_indented_in_a_text_of_unwrapped_paragraphs_is_set_off() -> None:
    prose = "The men I interviewed described the passage of time in ways that changed with their sentence. " * 3
    quoted = ("    There is no normal day. Well, there is, every day is the same, that is the problem, I get up and "
              "I am not closer to anything.")
    text = "\n\n".join([prose, prose, prose, quoted, prose])
    assert indented_marks(text) == ((3, "indented"),)


def test_a_one_line_paragraph_indented_in_a_wrapped_text_is_a_first_line_indent() -> None:
    wrapped = "The men described the passage of time\nin ways that changed with the sentence."
    text = "\n\n".join([wrapped, wrapped, "    A first line indented as a paragraph's is.", wrapped])
    assert indented_marks(text) == ()
