"""Split each section's text into sentence-aligned passages that the embedding model reads whole.

A passage never crosses a section boundary, holds whole sentences where a sentence fits,
and `text[char_start:char_end]` of the document is exactly its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ingest.records import CleanDocument, Passage, Section
from ingest.text.sentences import sentence_spans
from ingest.wordpieces import MAX_TEXT_PIECES, count_pieces

# Passages aim at this many word pieces: long enough for context, short enough to stay on one point.
TARGET_PIECES = 160

_WORD = re.compile(r"\S+")

PieceCounter = Callable[[list[str]], list[int]]


def body_ranges(doc: CleanDocument, sections: list[Section]) -> Iterator[tuple[Section | None, int, int]]:
    """Each section's own text (after its heading, before its first subsection), front matter first."""
    starts = [s.char_start for s in sections] + [len(doc.text)]
    if not sections:
        yield None, 0, len(doc.text)
        return
    if starts[0] > 0:
        yield None, 0, starts[0]
    for section, next_start in zip(sections, starts[1:]):
        heading_end = doc.text.find("\n\n", section.char_start, next_start)
        yield section, (next_start if heading_end < 0 else heading_end + 2), next_start


def split_long_sentence(text: str, start: int, end: int, count: PieceCounter) -> Iterator[tuple[int, int, int]]:
    """Cut a sentence longer than the model reads into word windows that fit, with their sizes.

    Words repeat, so each distinct word is measured once: a twenty-megabyte run-on line costs
    a dictionary lookup per word, not a tokenizer call.
    """
    words = [cut for m in _WORD.finditer(text, start, end) for cut in _cut_word(text, m.start(), m.end(), count)]
    distinct = list({text[s:e] for s, e in words})
    size = dict(zip(distinct, count(distinct)))
    window_start, used = words[0][0], 0
    previous_end = window_start
    for s, e in words:
        n = size[text[s:e]]
        if used + n > MAX_TEXT_PIECES and used:
            yield window_start, previous_end, used
            window_start, used = s, 0
        used += n
        previous_end = e
    yield window_start, previous_end, used


def _cut_word(text: str, start: int, end: int, count: PieceCounter) -> list[tuple[int, int]]:
    """A single token longer than the model reads (a dot leader, a long URL) is halved until it fits.

    A word piece holds at least one character, so a word no longer than the limit always fits.
    """
    if end - start <= MAX_TEXT_PIECES or count([text[start:end]])[0] <= MAX_TEXT_PIECES:
        return [(start, end)]
    middle = (start + end) // 2
    return _cut_word(text, start, middle, count) + _cut_word(text, middle, end, count)


def _sentence_sizes(text: str, spans: list[tuple[int, int]], count: PieceCounter) -> list[int]:
    """Word pieces per sentence; one with more words than the limit is too long without measuring."""
    too_long = MAX_TEXT_PIECES + 1
    measured = [i for i, (s, e) in enumerate(spans) if e - s <= too_long * 40 or len(text[s:e].split()) < too_long]
    sizes = [too_long] * len(spans)
    for i, n in zip(measured, count([text[spans[i][0]:spans[i][1]] for i in measured])):
        sizes[i] = n
    return sizes


def build_passages(
    doc: CleanDocument, sections: list[Section], count: PieceCounter = count_pieces
) -> list[Passage]:
    """Sentence-aligned chunks of at most MAX_TEXT_PIECES word pieces, inside one section each."""
    text = doc.text
    passages: list[Passage] = []
    for section, start, end in body_ranges(doc, sections):
        spans = list(sentence_spans(text, start, end))
        if not spans:
            continue
        fitted: list[tuple[int, int, int]] = []
        for (s, e), n in zip(spans, _sentence_sizes(text, spans, count)):
            if n <= MAX_TEXT_PIECES:
                fitted.append((s, e, n))
            else:
                fitted.extend(split_long_sentence(text, s, e, count))
        for chunk_start, chunk_end in _group(fitted):
            passages.append(
                Passage(
                    ordinal=len(passages),
                    section=section.ordinal if section else None,
                    text=text[chunk_start:chunk_end],
                    page=doc.page_at(chunk_start),
                    char_start=chunk_start,
                    char_end=chunk_end,
                )
            )
    return passages


def _group(sentences: list[tuple[int, int, int]]) -> Iterator[tuple[int, int]]:
    """Greedily pack consecutive sentences up to the target size, never past the model's limit.

    The joined text has at least the pieces of its sentences (whitespace between sentences
    adds none), so the sum is an exact bound.
    """
    group_start, group_end, used = sentences[0][0], sentences[0][1], sentences[0][2]
    for start, end, n in sentences[1:]:
        if used + n > TARGET_PIECES:
            yield group_start, group_end
            group_start, used = start, 0
        group_end = end
        used += n
    yield group_start, group_end
