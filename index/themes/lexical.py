"""Words as the lexical signals compare them: lower case, stop words dropped, light suffix stripping.

BM25 and the heading signal share this, so "Dedicated and ongoing resources" in a codebook
and "6.6 Criterion 4: Dedicated and ongoing resources, including funding" in a document
reduce to the same words. The stripping is deliberately light (plurals, -ing, -ed, final e): enough
for "funding"/"funded"/"funds" to meet, not so much that unrelated words collide.
"""

from __future__ import annotations

import re
from functools import cache

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
MIN_STEM = 4


def stem(word: str) -> str:
    """Strip one common suffix, then a final "e", keeping at least MIN_STEM letters.

    "resources" and "resource" both give "resourc"; "funding" and "funded" give "fund".
    """
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= MIN_STEM:
            if suffix in ("s", "es") and word.endswith(("ss", "us", "is")):
                break
            word = word[: len(word) - len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > MIN_STEM else word


def lexical_terms(text: str) -> list[str]:
    """Content words of a text, stemmed, in order (repeats kept: BM25 counts them)."""
    words = (w.replace("’", "'").split("'")[0] for w in _WORD.findall(text.casefold()))
    stopwords = _stopwords()
    return [stem(w) for w in words if w not in stopwords and not w.isdigit()]


@cache
def _stopwords() -> frozenset[str]:
    """bm25s's English stop words and ours; bm25s pulls in scipy, so only a process that compares words loads it."""
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN) | {"s", "t", "criterion", "theme"}
