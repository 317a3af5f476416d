"""Group the same quotation printed in several places (an article reusing a report's quotes,
two versions of one manuscript) under one cluster id.

Reprints are rarely identical: they are shortened with "...", edited with "[...]" and re-typeset.
Two quotations belong together when the shorter one is mostly found, in runs of words, in the
longer one. Comparing every pair would be quadratic, so candidates are first found through
shared word shingles and only those pairs are compared word by word; a pair already joined
through other printings of the same quotation is not compared again, so a quotation printed
k times costs about k comparisons rather than k squared.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from itertools import combinations

from ingest.text.whitespace import collapse_spaces

SHINGLE_WORDS = 3
# A shingle found in more quotations than this is common phrasing, not evidence of a reprint.
MAX_SHINGLE_SPREAD = 50
# Share of the shorter quotation's shingles the longer one must hold to be compared at all.
MIN_SHARED_SHINGLES = 0.5
# Share of the shorter quotation's words found in common runs for the two to be one quotation.
MIN_COVERAGE = 0.8
# Quotations shorter than this many words are too generic to be recognised as reprints.
MIN_WORDS = 4
# Common runs shorter than this many words are coincidence ("it was a"), not shared text.
MIN_RUN_WORDS = 3

_EDITORIAL = re.compile(r"\[[^\]]*\]|\.{3,}|…")
_NON_WORD = re.compile(r"[^\w\s]+")


def normalise_for_clustering(text: str) -> str:
    """Case-folded words only: editorial insertions, ellipses, punctuation and marks dropped."""
    text = _EDITORIAL.sub(" ", text.casefold())
    text = _NON_WORD.sub(" ", text.replace("’", "").replace("'", ""))
    return collapse_spaces(text)


def shingles(words: Sequence[str]) -> set[str]:
    """Overlapping runs of SHINGLE_WORDS words (as strings, whose hashes Python caches)."""
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def cluster_quotes(items: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Map each quote id to its cluster id: the smallest quote id among the reprints of one quotation."""
    words = {quote_id: normalise_for_clustering(text).split() for quote_id, text in items}
    shingle_sets = {quote_id: shingles(found) for quote_id, found in words.items()}
    parent = {quote_id: quote_id for quote_id in words}
    for first, second, containment in candidate_pairs(shingle_sets):
        if _root(parent, first) == _root(parent, second):
            continue  # already one cluster through other reprints: comparing them changes nothing
        if containment >= MIN_COVERAGE or _same_quotation(words[first], words[second]):
            _union(parent, first, second)
    return {quote_id: _root(parent, quote_id) for quote_id in words}


def candidate_pairs(shingle_sets: dict[str, set[str]]) -> Iterable[tuple[str, str, float]]:
    """Pairs of quotations sharing enough distinctive shingles to be worth comparing.

    Each pair comes with the share of the smaller quotation's shingles the other one holds.
    """
    spread = Counter(shingle for found in shingle_sets.values() for shingle in found)
    holders: dict[str, list[str]] = defaultdict(list)
    for quote_id in sorted(shingle_sets):
        for shingle in shingle_sets[quote_id]:
            if 1 < spread[shingle] <= MAX_SHINGLE_SPREAD:
                holders[shingle].append(quote_id)
    shared: Counter[tuple[str, str]] = Counter()
    for quote_ids in holders.values():
        shared.update(combinations(quote_ids, 2))
    for (first, second), count in shared.items():
        smaller = min(len(shingle_sets[first]), len(shingle_sets[second]))
        if smaller and count >= MIN_SHARED_SHINGLES * smaller:
            yield first, second, count / smaller


def _same_quotation(first: list[str], second: list[str]) -> bool:
    """Whether the shorter word list is mostly found, in runs of words, in the longer one."""
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) < MIN_WORDS:
        return False
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    common = sum(block.size for block in matcher.get_matching_blocks() if block.size >= MIN_RUN_WORDS)
    return common >= MIN_COVERAGE * len(shorter)


def _root(parent: dict[str, str], quote_id: str) -> str:
    while parent[quote_id] != quote_id:
        parent[quote_id] = parent[parent[quote_id]]
        quote_id = parent[quote_id]
    return quote_id


def _union(parent: dict[str, str], first: str, second: str) -> None:
    """Join two clusters under the smaller id, so a cluster's id never depends on input order."""
    first_root, second_root = _root(parent, first), _root(parent, second)
    if first_root != second_root:
        low, high = sorted((first_root, second_root))
        parent[high] = low
