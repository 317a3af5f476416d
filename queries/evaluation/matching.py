"""The evaluation set's matching rule, the one rule every score against annotations uses: quotations
found by the extractor, stored quotations a theme's annotations point to (retrieval), and headings.

An annotated item and a candidate are paired one to one, the annotations taken in reading order:
each annotation takes at most one candidate and each candidate serves at most one annotation.
Whether a candidate fits an annotation depends on the kind of item:
- a quotation fits when the texts (whitespace collapsed, case folded, quotation marks dropped)
  share matching character runs covering at least 80% of the annotated text and at least 50% of
  the candidate's; of those that fit, the one at the annotation's printed place wins (a quotation
  printed twice, in two versions of a manuscript), else the best covered, else the first;
- a heading fits when it equals the annotated heading or starts with it (a wrapped heading),
  compared without emphasis marks, whitespace collapsed, case folded; the first that fits wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

ANNOTATED_COVERAGE = 0.8
PREDICTED_COVERAGE = 0.5
_QUOTE_MARKS = re.compile("[\"'“”‘’`]")
_SPACES = re.compile(r"\s+")


def comparable(text: str) -> str:
    """Text as the matching rule compares it: quotation marks dropped, spaces collapsed, case folded."""
    return _SPACES.sub(" ", _QUOTE_MARKS.sub("", text)).strip().casefold()


def coverage(annotated: str, predicted: str) -> tuple[float, float]:
    """Shares of the annotated and of the predicted text covered by their common character runs."""
    if not annotated or not predicted:
        return 0.0, 0.0
    matcher = SequenceMatcher(None, annotated, predicted, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks())
    return common / len(annotated), common / len(predicted)


def match_quotations(annotations: Sequence[dict], candidates: Sequence[tuple[str, int | None, int | None]],
                     text: str) -> list[tuple[int, int]]:
    """(annotation index, candidate index) of every pair; candidates are (text, char_start, char_end)
    in `text`, the document the annotations' printed starts (`start` field) are looked up in."""
    comparable_candidates = [(comparable(t), start, end) for t, start, end in candidates]
    places = annotation_places(annotations, text)
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for index, record in enumerate(annotations):
        choice = best_match(comparable(record["text"]), places[index], comparable_candidates, used)
        if choice is not None:
            used.add(choice)
            pairs.append((index, choice))
    return pairs


def annotation_places(annotations: Sequence[dict], text: str) -> list[int | None]:
    """Offset of each annotation's printed start in `text`, searched in reading order."""
    places: list[int | None] = []
    cursor = 0
    for record in annotations:
        start = record.get("start") or ""
        found = text.find(start, cursor) if start else -1
        if found < 0 and start:
            found = text.find(start)
        places.append(found if found >= 0 else None)
        if found >= 0:
            cursor = found + 1
    return places


def best_match(annotated: str, place: int | None, candidates: Sequence[tuple[str, int | None, int | None]],
               used: set[int]) -> int | None:
    """Among the unused candidates (comparable text, char_start, char_end) that fit the annotated
    quotation, the one at its printed place, else the best covered, else the first; its index, or None."""
    best: tuple[bool, float, int] | None = None
    for index, (candidate, start, end) in enumerate(candidates):
        if index in used:
            continue
        annotated_share, candidate_share = coverage(annotated, candidate)
        if annotated_share < ANNOTATED_COVERAGE or candidate_share < PREDICTED_COVERAGE:
            continue
        at_place = place is not None and start is not None and end is not None and start - 5 <= place <= end
        key = (at_place, annotated_share + candidate_share, -index)
        if best is None or key > best:
            best = key
    return None if best is None else -best[2]


def heading_key(heading: str) -> str:
    """A heading as the matching rule compares it: emphasis marks dropped, spaces collapsed, case folded."""
    return " ".join(heading.replace("*", "").split()).casefold()


def match_headings(annotated: Sequence[str], found: Sequence[str]) -> list[tuple[int, int]]:
    """(annotation index, found index) of every pair of headings."""
    keys = [heading_key(h) for h in found]
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for index, gold in enumerate(heading_key(h) for h in annotated):
        for i, candidate in enumerate(keys):
            if i not in used and (candidate == gold or candidate.startswith(gold)):
                used.add(i)
                pairs.append((index, i))
                break
    return pairs
