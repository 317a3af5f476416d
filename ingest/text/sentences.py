"""Where sentences end and begin.

A sentence ends at a terminal (full stop, question or exclamation mark), perhaps followed by
marks that close it (a quotation mark, a bracket, a note call in superscript), then space. How
sure a stage must be differs, so the end comes in three strictnesses, each named for its use:

- `SENTENCE_END`: the next sentence opens with a capital or a digit, after an opening mark or
  not. Passages are cut here: "e.g. the plan" must not end a passage.
- `SENTENCE_END_BEFORE_CAPITAL_OR_MARK`: the next sentence opens with a capital or with any
  opening mark. The sentence a quotation follows is read from here, since a lead-in such as
  "As one said: 'it worked.'" may open with a lower-case quoted word; a note's call in plain
  digits may close the sentence before it.
- `LOOSE_SENTENCE_END`: any terminal or ellipsis, closing marks (not a note call) and space,
  whatever follows. Speech runs on in lower case after an ellipsis, and a lead-in to embed only
  needs a rough start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.text.paragraphs import paragraphs

TERMINALS = ".!?"
# Marks that may close a sentence after its terminal.
CLOSING_PUNCTUATION = "\"'’”)]"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


# A person's initial before the bracket describing them (`J. (volunteer, 60s) said`) ends no sentence.
_NOT_AN_INITIAL = r"(?:(?<!\b[A-Z]\.)|(?!\s+\())"


def sentence_end_pattern(
    *, terminals: str = TERMINALS, closers: str = CLOSING_PUNCTUATION + SUPERSCRIPT_DIGITS,
    next_opens: str | None = None, inline_calls: bool = False,
) -> re.Pattern[str]:
    """A sentence end: after a terminal, the closers (group 1) and the space that follow it, and,
    when `next_opens` (a pattern) is given, what the next sentence must open with. With `inline_calls`,
    a note's call printed in plain digits after a word's terminal, or its closing mark, closes it too
    (`...retail and hospitality’.2 Bev was blunt:`; not `section 4.2 The`)."""
    lookahead = f"(?={next_opens})" if next_opens else ""
    t, c = re.escape(terminals), re.escape(CLOSING_PUNCTUATION)
    word_end = rf"(?:[^\W\d_]|[{c}])"
    call = rf"(?:(?:(?<={word_end}[{t}])|(?<={word_end}[{t}][{c}]))\d{{1,2}})?" if inline_calls else ""
    return re.compile(rf"(?<=[{t}]){_NOT_AN_INITIAL}([{re.escape(closers)}]*{call})\s+{lookahead}")


SENTENCE_END = sentence_end_pattern(next_opens=r"[\"'‘“(\[]?[A-Z0-9]")
SENTENCE_END_BEFORE_CAPITAL_OR_MARK = sentence_end_pattern(next_opens=r"[A-Z\"'“‘(\[]", inline_calls=True)
LOOSE_SENTENCE_END = sentence_end_pattern(terminals=TERMINALS + "…", closers=CLOSING_PUNCTUATION)
_WORD_ENDS_SENTENCE = re.compile(rf"[{re.escape(TERMINALS)}…][{re.escape(CLOSING_PUNCTUATION)}]*$")
# A short line holding two sentences: a full stop after a lower-case letter, then a capital.
_INNER_SENTENCE_END = re.compile(r"[a-z]\.\s+[A-Z]")


def sentence_starts(text: str, end: re.Pattern[str] = SENTENCE_END) -> list[int]:
    """Where each sentence after the first begins in `text`, by the sentence ends `end` finds."""
    return [match.end() for match in end.finditer(text)]


def ends_sentence(word: str) -> bool:
    """Whether a whitespace-separated word closes a sentence (in the loose sense)."""
    return _WORD_ENDS_SENTENCE.search(word) is not None


def has_inner_sentence_end(text: str) -> bool:
    """Whether a full stop between a lower-case word and a capital ends a sentence inside `text`."""
    return _INNER_SENTENCE_END.search(text) is not None


def starts_sentence(text: str, position: int) -> bool:
    """True when the word at `position` opens a sentence, a line, a table cell or the text: its capital says nothing."""
    before = text[max(0, position - 4) : position].rstrip(" *_\"'‘“(")
    return not before or before[-1] in ".!?:;\n\t"


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentences of text[start:end] as (start, end) offsets, paragraph breaks always ending one.

    A sentence keeps the marks that close it and leaves the space after them.
    """
    for paragraph in paragraphs(text, start, end):
        cursor = paragraph.start()
        for boundary in SENTENCE_END.finditer(text, paragraph.start(), paragraph.end()):
            yield cursor, boundary.end(1)
            cursor = boundary.end()
        if cursor < paragraph.end():
            yield cursor, paragraph.end()
