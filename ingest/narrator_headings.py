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
the document names the same person in its prose (`As Annie Greenhalgh put it`). Other booklets
number their extracts and open the headnote with the narrator's name and dates:

    Extract 2
    Winifred Okonjo (b. 1941), befriender and later organiser 1983-2015. Recorded 12 May 2021.
"""

from __future__ import annotations

import re

from ingest.attribution_vocabulary import respondent_attribution
from ingest.lead_in import PERSON_NAME, named_in_full
from ingest.records import Attribution

# A person's name in capitals on a line of its own: two to four words.
_NAME_IN_CAPITALS = re.compile(r"[A-Z][A-Z’'.-]*(?:[ \t]+[A-Z][A-Z’'.-]*){1,3}")
# A person's name as a heading in ordinary capitals: two to four words.
_NAME_IN_TITLE_CASE = re.compile(rf"(?={PERSON_NAME}$)\S+(?:[ \t]+\S+){{1,3}}")
# A heading's note that the narrator's extract goes on from an earlier one.
_CONTINUED = re.compile(r"\(?(?:continued|cont(?:’d|'d|\.))\)?", re.IGNORECASE)
# A headnote: one line saying when the narrator was born or how old they are, or when and by whom
# they were recorded (`born 1919; weaver, ...; interviewed by MB, March 2002`).
_HEADNOTE = re.compile(r"[^\n]*(?:\b(?:born|aged|interviewed|recorded)\b|\bb\.[ \t]*\d)[^\n]*", re.IGNORECASE)
# A headnote's line opening with the narrator's name and when they were born or lived: `Winifred
# Okonjo (b. 1941), befriender`, `Rev. Alan Pryce, born 1938,`, `Walter Ogden (1927-2015)`.
_NAMED_HEADNOTE_LINE = re.compile(
    rf"^[ \t]*(?P<name>{PERSON_NAME})[ \t]*"
    r"(?:\([ \t]*(?:b\.|born)[ \t]*\d{4}[ \t]*\)|,[ \t]*(?:b\.|born)[ \t]+\d{4}"
    r"|\([ \t]*\d{4}[ \t]*[-–][ \t]*\d{4}[ \t]*\))",
    re.MULTILINE,
)
# Words a headnote holds at most: a line or two, never a paragraph of prose.
MAX_HEADNOTE_WORDS = 50
# A heading in capitals: a line with no lower-case letter (`A NOTE ON THE TRANSCRIPTS`).
_CAPITALISED_LINE = re.compile(r"(?=[^a-z]*[A-Z]{2})[A-Z0-9][A-Z0-9 ’'.,&:;!?-]{2,79}")
# Paragraphs of a section a narrator's extracts and the editor's notes on them may fill above an extract.
MAX_PARAGRAPHS_INTO_SECTION = 12
# How far back each step of the search for the paragraph break above reaches, in characters.
_LOOK_BACK_CHARS = 4000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def narrator_heading(text: str, start: int) -> Attribution | None:
    """The narrator whose name heads the block starting at `start`: the paragraph above it (or above
    its headnote, or its `continued`) is a name in capitals that a headnote or `continued` follows,
    or that the document names in its prose."""
    above = _paragraphs_above(text, start, 3)
    named = _named_in_headnote(above[0]) if above else None
    if named is not None:
        return named
    noted = bool(above) and (_CONTINUED.fullmatch(above[0]) is not None or _is_headnote(above[0]))
    heading = above[1] if noted and len(above) > 1 else (above[0] if above and not noted else None)
    return None if heading is None else _narrator(text, heading, noted)


def section_narrator(text: str, start: int) -> Attribution | None:
    """The narrator of the section holding `start`: the nearest heading above it, within a few
    paragraphs, is a narrator's name heading (see `narrator_heading`), however much of the editor's
    prose stands between it and the extract (a note on the narrator, a word on the recording). Any
    other heading in capitals above it closes the search."""
    above = _paragraphs_above(text, start, MAX_PARAGRAPHS_INTO_SECTION)
    for index, paragraph in enumerate(above):
        named = _named_in_headnote(paragraph)
        if named is not None:
            return named
        if _CAPITALISED_LINE.fullmatch(paragraph):
            noted = index > 0 and (_CONTINUED.fullmatch(above[index - 1]) is not None or _is_headnote(above[index - 1]))
            return _narrator(text, paragraph, noted)
    return None


def _narrator(text: str, heading: str, noted: bool) -> Attribution | None:
    """The person a heading names, where it is a name in capitals and a headnote follows it (`noted`)
    or the document names them in its prose; a name in ordinary capitals (`Joan Hartley`) only where
    a headnote follows it, as a heading of a report's prose may have that shape too."""
    if _NAME_IN_CAPITALS.fullmatch(heading):
        name = " ".join(heading.split()).title()
    elif noted and _NAME_IN_TITLE_CASE.fullmatch(heading):
        name = " ".join(heading.split())
    else:
        return None
    if not named_in_full(name):
        return None
    if not noted and re.search(rf"\b{re.escape(name)}\b", text) is None:
        return None
    return respondent_attribution(name, name)


def is_narrator_headnote(text: str, start: int, end: int) -> bool:
    """Whether the paragraph at `start`..`end` is the headnote under a narrator's name heading, or one
    naming the narrator itself: who they are, not their words, however the layout sets it off."""
    paragraph = text[start:end]
    return _is_headnote(paragraph) and (_named_in_headnote(paragraph) is not None
                                        or narrator_heading(text, start) is not None)


def _named_in_headnote(paragraph: str) -> Attribution | None:
    """The narrator a headnote names on one of its lines, with their dates (see `_NAMED_HEADNOTE_LINE`)."""
    if not _is_headnote(paragraph):
        return None
    named = _NAMED_HEADNOTE_LINE.search(paragraph)
    name = " ".join(named.group("name").split()) if named else None
    if name is None or not named_in_full(name):
        return None
    return respondent_attribution(name, name)


def _is_headnote(paragraph: str) -> bool:
    words = paragraph.split()
    return _HEADNOTE.fullmatch(" ".join(words)) is not None and len(words) <= MAX_HEADNOTE_WORDS


def _paragraphs_above(text: str, start: int, count: int) -> list[str]:
    """Up to `count` paragraphs right above `start`, nearest first, with their lines. Only those
    paragraphs are read, so asking for every block of a long document costs no pass over all the
    text before each."""
    paragraphs: list[str] = []
    end = start
    while len(paragraphs) < count and end > 0:
        window = end
        breaks: list[re.Match[str]] = []
        while not breaks and window > 0:
            window = max(0, window - _LOOK_BACK_CHARS)
            breaks = list(_PARAGRAPH_BREAK.finditer(text, window, end))
        paragraph = text[breaks[-1].end() if breaks else 0:end].strip()
        if paragraph:
            paragraphs.append(paragraph)
        end = breaks[-1].start() if breaks else 0
    return paragraphs
