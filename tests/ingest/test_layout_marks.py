"""Where the cleaner finds again the paragraphs a loader marked as set off by layout."""

from __future__ import annotations

from ingest.layout_marks import locate_marks


def test_a_marked_paragraph_is_found_where_it_opens_a_line_not_inside_an_earlier_paragraph() -> None:
    body = "Meeting her gave hope. “She was sitting there, fine, laughing.” (M11)"
    pull = "fine, laughing.”"
    page = f"{body}\n\n{pull}"

    [mark] = locate_marks(page, [(1, "large")], page, lambda paragraph: paragraph, offset=100)

    assert (mark.start, mark.end, mark.kind) == (100 + len(body) + 2, 100 + len(page), "large")
