"""Footnotes kept apart from the body text: after it, under a heading of their own.

A note printed at the foot of a page sits, in reading order, between the last line of the page
and the first of the next, so it would split a sentence or a quotation that runs across the page.
Every loader that can tell notes from the body puts them here instead: nothing is lost, and
nothing interrupts the text the notes belong to.
"""

from __future__ import annotations

from collections.abc import Sequence

NOTES_HEADING = "Notes"


def with_notes(body: str, notes: Sequence[str]) -> str:
    """The body text followed by its notes, each a paragraph, under NOTES_HEADING (the body alone without notes)."""
    if not notes:
        return body
    return "\n\n".join(part for part in (body, NOTES_HEADING, *notes) if part)
