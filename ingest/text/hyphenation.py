"""Words a line end split with a hyphen ("Van-\\nguard"), joined again.

Three readers, three levels of knowledge. The plain-text cleaner joins only lower-case ASCII
halves, since it cannot tell a typesetter's break from a hyphenated word. A table cell joins any
letters but keeps a hyphen before a capital ("long-\\nTerm"). The PDF loader sees the whole
document, so it lets the document's own spelling decide ("co-ordinated" stays hyphenated where
the document never writes "coordinated"), and carries a word split across a page break back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Lower-case ASCII letters on both sides of the break.
LOWER_CASE_SPLIT = re.compile(r"([a-z])-\n[ \t]*([a-z])")
# Any letter before the break, any letter but an ASCII capital after it.
LETTER_SPLIT = re.compile(r"([^\W\d_])-\n([^\W\d_A-Z])")

# Each begins at a word's first letter (the look-behind), so the engine does not try every letter
# of every word as a start: on a long report that was most of the time these patterns took.
_LINE_END_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]+)-\n(-?)([^\W\d_]+)(\S*)( ?)")
_HYPHENATED_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?:-[^\W\d_]+)+")
_LETTERS_WORD = re.compile(r"[^\W\d_]+")
_FIRST_WORD = re.compile(r"\S+")


def join_split_words(text: str, split: re.Pattern[str] = LOWER_CASE_SPLIT) -> str:
    """Join the two halves of every word split at a line end the way `split` recognises."""
    return split.sub(r"\1\2", text)


@dataclass(frozen=True)
class Spelling:
    """How a document spells words: hyphenated words written mid-line, and all plain words, lower-cased."""

    hyphenated: frozenset[str]
    closed: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Spelling:
        """The spelling of `texts`, a document's pages or some of them."""
        hyphenated: set[str] = set()
        closed: set[str] = set()
        for text in texts:
            if "-\n" in text:
                text = _LINE_END_HYPHEN.sub(" ", text)
            if "-" in text:
                hyphenated.update(_lowered(_HYPHENATED_WORD.findall(text)))
            closed.update(_lowered(_LETTERS_WORD.findall(text)))
        return cls(frozenset(hyphenated), frozenset(closed))

    @classmethod
    def joined(cls, parts: Iterable[Spelling]) -> Spelling:
        """The spelling of a document from that of its parts (page ranges read apart)."""
        parts = list(parts)
        return cls(frozenset().union(*(p.hyphenated for p in parts)), frozenset().union(*(p.closed for p in parts)))


def repair_document_hyphenation(texts: list[str], spelling: Spelling | None = None) -> list[str]:
    """Join words split by a line-end hyphen, across lines and across page breaks (not in tables).

    `texts` are a document's pages, paragraphs separated by blank lines; a paragraph holding a
    tab is a table and is left alone. A hyphen is kept when the document writes the hyphenated
    form elsewhere and never the closed one ("co-ordinated"); otherwise the parts are joined.
    `spelling` is the pages' own (`Spelling.of(texts)`), when their ranges already worked it out.
    """
    spelling = Spelling.of(texts) if spelling is None else spelling
    texts = _carry_split_words_back(texts)

    def join(match: re.Match[str]) -> str:
        first, repeated_hyphen, second, rest, space = match.groups()
        word = f"{first}-{second}" if repeated_hyphen else _rejoined(first, second, spelling)
        return f"{word}{rest}{chr(10) if space else ''}"

    def repair(paragraph: str) -> str:
        return paragraph if "\t" in paragraph or "-\n" not in paragraph else _LINE_END_HYPHEN.sub(join, paragraph)

    return ["\n\n".join(map(repair, text.split("\n\n"))) if "-\n" in text else text for text in texts]


def _lowered(words: list[str]) -> list[str]:
    """Each word lower-cased, in one call: words hold no spaces, so they part again where they met."""
    return " ".join(words).lower().split(" ") if words else []


def _rejoined(first: str, second: str, spelling: Spelling) -> str:
    """The word split as `first`-newline-`second`, with or without its hyphen.

    The document's own spelling decides; failing that, a hyphen between lower-case
    letters is taken for a typesetter's break, which it is far more often than not.
    """
    with_hyphen, without = f"{first}-{second}", f"{first}{second}"
    if with_hyphen.lower() in spelling.hyphenated and without.lower() not in spelling.closed:
        return with_hyphen
    if without.lower() in spelling.closed or (first[-1].islower() and second[0].islower()):
        return without
    return with_hyphen


def _carry_split_words_back(texts: list[str]) -> list[str]:
    """A page ending in 'Van-' takes the rest of the word from the next page's first line."""
    repaired = list(texts)
    for i in range(len(repaired) - 1):
        following = repaired[i + 1]
        if not repaired[i].endswith("-") or not following[:1].islower():
            continue
        first_word = _FIRST_WORD.match(following)
        if first_word is None:
            continue
        repaired[i] = f"{repaired[i]}\n{first_word.group()}"
        repaired[i + 1] = following[first_word.end() :].lstrip()
    return repaired
