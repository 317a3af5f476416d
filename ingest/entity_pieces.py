"""spaCy's annotation of a long text made in pieces that can run in parallel, joined into the Doc
that one pass over the whole text gives.

The model reads a word with a few words of context either side (the tok2vec window), and the
entity recogniser decides word by word, left to right, from the words around the current one
and whether a name is open. So each piece is annotated with a margin of text on either side,
and two neighbouring pieces are joined at a word of their shared margin around which both read
the same words the same way and where no name is open: from that word on, the later piece
decides as one pass over the whole text would. The joined Doc is made of the pieces' own words,
which must agree where pieces overlap and cover the text exactly. Where no such word exists, or
the pieces' words do not line up, the whole text is annotated in one pass, so the result never
depends on how the text was cut or how many workers read it.

A finder (the name patterns) may also run on each piece where it is read; what it finds inside
the words a piece gave the Doc comes back with them, so the parent need not look again.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, IDX, LENGTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

# Runs `fn` over argument tuples, possibly in parallel, and returns the results in order.
PieceMapper = Callable[[Callable[..., Any], Sequence[tuple]], Sequence[Any]]
# Finds things in a piece's Doc where the piece is read: tuples that start with a character span.
PieceFinder = Callable[[Doc], list[tuple]]

# Characters of text per piece; a text shorter than two pieces is annotated in one pass.
PIECE_CHARS = 60_000
# Context read on each side of a piece, in characters; the join is sought inside it. Pieces begin
# and end at paragraph starts, where the model's reading differs from one pass's by a word or
# two at most, so a few hundred words leave ample room for a seam of 2 * SEAM_WORDS words.
MARGIN_CHARS = 600
# Words on each side of a join that both pieces must read alike. Far more than the model's
# window (four words) and the longest gazetteer phrase, so that neither edge reaches the join.
SEAM_WORDS = 24
# What the pipeline writes on a word: word classes, and the entity (IOB, label, id).
ANNOTATIONS = [TAG, POS, ENT_IOB, ENT_TYPE, ENT_ID, ENT_KB_ID]
# Annotations that hold a string's hash, which the process joining the pieces must know.
_NAMED = (TAG, ENT_TYPE, ENT_ID, ENT_KB_ID)
_INSIDE = 1  # ENT_IOB of a word inside a name that began before it
# A paragraph starts after a line break, at a character that is not white space.
_PARAGRAPH_START = re.compile(r"(?<=\n)(?=\S)")


@dataclass(frozen=True)
class Annotated:
    """A text's Doc, and what a finder found in each piece it was read in: (start, stop, findings),
    where [start, stop) are the characters whose words took their annotations from that piece.
    A finding made inside that range from those words alone is the one the whole Doc gives.
    Nothing was found in pieces when the text was read in one pass."""

    doc: Doc
    found: list[tuple[int, int, list[tuple]]] = field(default_factory=list)


def in_turn(fn: Callable[..., Any], args: Sequence[tuple]) -> list[Any]:
    """The pieces one after another in this process: a PieceMapper without workers."""
    return [fn(*arg) for arg in args]


def annotate(nlp: Language, text: str, map_pieces: PieceMapper = in_turn, piece_chars: int | None = None,
             find: PieceFinder | None = None) -> Annotated:
    """The Doc of `text` through `nlp`; a long text is read in pieces of about `piece_chars`
    characters (PIECE_CHARS by default), mapped by `map_pieces` (in parallel, or one after another
    here), and `find` runs on each piece's Doc where the piece is read."""
    starts = [m.start() for m in _PARAGRAPH_START.finditer(text)]
    cuts = _cuts(starts, len(text), piece_chars or PIECE_CHARS)
    if len(cuts) < 3:
        return Annotated(nlp(text))
    windows = [(_at_or_before(starts, lo - MARGIN_CHARS), _at_or_after(starts, hi + MARGIN_CHARS, len(text)))
               for lo, hi in pairwise(cuts)]
    pieces = map_pieces(annotate_window, [(nlp, text, lo, hi, find) for lo, hi in windows])
    return _joined(nlp, text, cuts, pieces) or Annotated(nlp(text))


def annotate_window(nlp: Language, text: str, start: int, stop: int,
                    find: PieceFinder | None = None) -> tuple[np.ndarray, np.ndarray, list[str], list[tuple]]:
    """Offsets and lengths of the words of `text[start:stop]`, what the pipeline wrote on each,
    the strings those annotations name (the pipeline may add some, such as entity ids, as it runs),
    and what `find` found in it, by offsets in `text`.

    A unit of work on its own, for another process: it returns arrays, which travel cheaply.
    """
    doc = nlp(text[start:stop])
    spans = doc.to_array([IDX, LENGTH]).astype(np.int64)
    spans[:, 0] += start
    values = doc.to_array(ANNOTATIONS)
    named = np.unique(values[:, [ANNOTATIONS.index(attr) for attr in _NAMED]])
    found = [(first + start, last + start, *rest) for first, last, *rest in find(doc)] if find else []
    return spans, values, [doc.vocab.strings[int(key)] for key in named if key], found


def _cuts(starts: list[int], length: int, piece_chars: int) -> list[int]:
    """0, paragraph starts about `piece_chars` apart, and the end of the text."""
    cuts = [0]
    while True:
        index = bisect.bisect_left(starts, cuts[-1] + piece_chars)
        if index >= len(starts) or length - starts[index] < piece_chars // 2:
            return [*cuts, length]
        cuts.append(starts[index])


def _at_or_before(starts: list[int], position: int) -> int:
    index = bisect.bisect_right(starts, position) - 1
    return starts[index] if position > 0 and index >= 0 else 0


def _at_or_after(starts: list[int], position: int, length: int) -> int:
    index = bisect.bisect_left(starts, position)
    return starts[index] if index < len(starts) else length


def _joined(nlp: Language, text: str, cuts: list[int],
            pieces: Sequence[tuple[np.ndarray, np.ndarray, list[str], list[tuple]]]) -> Annotated | None:
    """The whole text's Doc, its words and each word's annotations taken from the piece that read
    it as one pass would, with the pieces' findings; None where the pieces cannot be joined so."""
    firsts = [0]
    for (spans, *_), (next_spans, *_) in pairwise(pieces):
        shared = int(np.searchsorted(spans[:, 0], next_spans[0, 0]))
        overlap = len(spans) - shared
        if overlap > len(next_spans) or not np.array_equal(spans[shared:], next_spans[:overlap]):
            return None  # the pieces read the text they share as different words
        firsts.append(firsts[-1] + shared)
    n_words = firsts[-1] + len(pieces[-1][0])
    words = np.zeros((n_words, 2), dtype=np.int64)
    annotations = np.zeros((n_words, len(ANNOTATIONS)), dtype=np.uint64)
    found = []
    done = 0
    for n, (first, (spans, values, strings, findings)) in enumerate(zip(firsts, pieces, strict=True)):
        for string in strings:
            nlp.vocab.strings.add(string)
        if n + 1 < len(pieces):
            cut = first + int(np.searchsorted(spans[:, 0], cuts[n + 1]))
            seam = _seam(first, values, firsts[n + 1], pieces[n + 1][1], cut, done)
            if seam is None:
                return None
        else:
            seam = n_words
        words[done:seam] = spans[done - first : seam - first]
        annotations[done:seam] = values[done - first : seam - first]
        found.append((int(words[done, 0]), int(words[seam - 1, 0] + words[seam - 1, 1]), findings))
        done = seam
    doc = _doc_of(nlp, text, words)
    if doc is None:
        return None
    doc.from_array(ANNOTATIONS, annotations)  # type: ignore[arg-type]  # spaCy types it as int64; uint64 is its own
    return Annotated(doc, found)


def _doc_of(nlp: Language, text: str, words: np.ndarray) -> Doc | None:
    """The Doc of `text` made of `words` (offset and length of each), if they cover it all, with
    nothing but a single space after a word; None otherwise."""
    if not len(words):
        return None
    ends = words[:, 0] + words[:, 1]
    gaps = np.append(words[1:, 0], len(text)) - ends
    spaced = np.flatnonzero(gaps == 1)
    if words[0, 0] != 0 or not np.all((gaps == 0) | (gaps == 1)) or any(text[i] != " " for i in ends[spaced]):
        return None
    return Doc(nlp.vocab, words=[text[start:end] for start, end in zip(words[:, 0].tolist(), ends.tolist(),
                                                                          strict=True)],
               spaces=(gaps == 1).tolist())


def _seam(first: int, values: np.ndarray, next_first: int, next_values: np.ndarray, cut: int,
          done: int) -> int | None:
    """The word nearest `cut` from which the next piece takes over: both pieces read the words
    around it alike, far from either piece's edge, and no name runs across it."""
    lo = max(next_first + SEAM_WORDS, done + SEAM_WORDS)
    hi = first + len(values) - SEAM_WORDS
    if hi <= lo:
        return None
    window = slice(lo - SEAM_WORDS, hi + SEAM_WORDS)
    same = np.all(values[window.start - first : window.stop - first]
                  == next_values[window.start - next_first : window.stop - next_first], axis=1)
    # alike[k]: the words from lo - SEAM_WORDS + k on, 2 * SEAM_WORDS of them, all read alike.
    runs = np.concatenate([[0], np.cumsum(~same)])
    alike = runs[2 * SEAM_WORDS :] == runs[: -2 * SEAM_WORDS]
    open_name = values[lo - first : hi - first, ANNOTATIONS.index(ENT_IOB)] == _INSIDE
    good = np.flatnonzero(alike[: hi - lo] & ~open_name) + lo
    if not len(good):
        return None
    return int(good[np.argmin(np.abs(good - cut))])
