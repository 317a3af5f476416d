"""Pull quotes: words a designed report repeats in large type, beside or before the passage that
quotes them.

A pull quote is no second quotation: the reader meets the words once, where the body quotes them
with their speaker. So a quotation set in large type whose words another quotation of the
document holds is dropped; where only the pull quote names a speaker, the body's quotation takes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.quote_spans import WORD
from ingest.records import LayoutMark, Quote

PULL_QUOTE = "large"


def without_pull_quote_repeats(found: list[Quote], set_off: Sequence[LayoutMark]) -> list[Quote]:
    """The quotations without those set as pull quotes that repeat another quotation's words."""
    pulls = [(mark.start, mark.end) for mark in set_off if mark.kind == PULL_QUOTE]
    if not pulls:
        return found
    words = [_words(quote) for quote in found]
    kept = list(found)
    dropped: set[int] = set()
    for index, quote in enumerate(found):
        if not any(quote.char_start < end and start < quote.char_end for start, end in pulls):
            continue
        body = next((other for other in range(len(found)) if other != index and other not in dropped
                     and _holds(words[other], words[index])), None)
        if body is None:
            continue
        dropped.add(index)
        if not _names_speaker(found[body]) and _names_speaker(quote):
            kept[body] = replace(kept[body], attribution=quote.attribution, lead_in_role=quote.lead_in_role)
    return [quote for index, quote in enumerate(kept) if index not in dropped]


def _words(quote: Quote) -> tuple[str, ...]:
    return tuple(word.casefold() for word in WORD.findall(quote.text))


def _holds(outer: tuple[str, ...], inner: tuple[str, ...]) -> bool:
    """Whether `outer` holds `inner`'s words, in a row."""
    width = len(inner)
    return 0 < width <= len(outer) and any(outer[i:i + width] == inner for i in range(len(outer) - width + 1))


def _names_speaker(quote: Quote) -> bool:
    return bool((quote.attribution is not None and quote.attribution.code) or quote.lead_in_role)
