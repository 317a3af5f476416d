"""Extracts headed by their narrator: whose words a block quotation under a name heading is.

Oral-history collections, "voices" chapters and case-study booklets print each extract under the
narrator's name, often in capitals, with a headnote saying who they are and when they were recorded,
and no signature below the words:

    ANNIE GREENHALGH
    born 1919; weaver, Stubbins Vale Mill, 1933–1968; interviewed by MB, March 2002
    I left school on the Friday and I started on the Monday. ...

A later extract by the same narrator may be headed again, with `continued` for a headnote. A heading
in capitals may also be a section's (`KEY FINDINGS`), and a name's shape alone cannot tell the two
apart, so the heading names the narrator only where a headnote or `continued` follows it, or where
the document names the same person in its prose (`As Annie Greenhalgh put it`).
"""

from __future__ import annotations

import re

from ingest.attribution_vocabulary import respondent_attribution
from ingest.lead_in import full_name, person_named
from ingest.records import Attribution

# A person's name in capitals on a line of its own: two to four words.
_NAME_IN_CAPITALS = re.compile(r"[A-Z][A-Z’'.-]*(?:[ \t]+[A-Z][A-Z’'.-]*){1,3}")
# A heading's note that the narrator's extract goes on from an earlier one.
_CONTINUED = re.compile(r"\(?(?:continued|cont(?:’d|'d|\.))\)?", re.IGNORECASE)
# A headnote: one line saying when the narrator was born or how old they are, or when and by whom
# they were recorded (`born 1919; weaver, ...; interviewed by MB, March 2002`).
_HEADNOTE = re.compile(r"[^\n]*\b(?:born|b\.|aged|interviewed|recorded)\b[^\n]*", re.IGNORECASE)
# Words a headnote holds at most: a line or two, never a paragraph of prose.
MAX_HEADNOTE_WORDS = 50


def narrator_heading(text: str, start: int) -> Attribution | None:
    """The narrator whose name heads the block starting at `start`: the paragraph above it (or above
    its headnote, or its `continued`) is a name in capitals that a headnote or `continued` follows,
    or that the document names in its prose."""
    above = _paragraphs_above(text, start, 3)
    noted = bool(above) and (_CONTINUED.fullmatch(above[0]) is not None or _is_headnote(above[0]))
    heading = above[1] if noted and len(above) > 1 else (above[0] if above and not noted else None)
    if heading is None or not _NAME_IN_CAPITALS.fullmatch(heading):
        return None
    name = heading.title()
    if person_named(name) is None or not full_name(name):
        return None
    if not noted and re.search(rf"\b{re.escape(name)}\b", text) is None:
        return None
    return respondent_attribution(name, name)


def is_narrator_headnote(text: str, start: int, end: int) -> bool:
    """Whether the paragraph at `start`..`end` is the headnote under a narrator's name heading: who
    they are, not their words, however the layout sets it off."""
    return _is_headnote(" ".join(text[start:end].split())) and narrator_heading(text, start) is not None


def _is_headnote(paragraph: str) -> bool:
    return _HEADNOTE.fullmatch(paragraph) is not None and len(paragraph.split()) <= MAX_HEADNOTE_WORDS


def _paragraphs_above(text: str, start: int, count: int) -> list[str]:
    """Up to `count` paragraphs right above `start`, nearest first, each with its whitespace collapsed."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text[:start].rstrip())[-count:]]
    return [p for p in reversed(paragraphs) if p]
