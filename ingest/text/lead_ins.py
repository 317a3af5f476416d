"""The lead-in of a quotation: the sentence, in the text before it, that introduces it.

Two readers want it, differently cut. The role reader (`ingest.lead_in`) wants the whole last
sentence, however short, to find "as this commissioner said"; the quotation windows
(`ingest.quote_windows`) want words that give a quotation its subject, so a very short fragment
takes the sentence before it, a heading above the lead-in paragraph is left out, and the end of
the previous quotation is no lead-in at all.
"""

from __future__ import annotations

import re

from ingest.text.paragraphs import block_starts
from ingest.text.sentences import LOOSE_SENTENCE_END, SENTENCE_END_BEFORE_CAPITAL_OR_MARK, sentence_starts
from ingest.text.whitespace import collapse_spaces

# How far back to look for the lead-in sentence.
LEAD_IN_SCAN_CHARS = 600
# A fragment shorter than this ("As one said,") is joined with the sentence before it.
LEAD_IN_MIN_WORDS = 4

# A lead-in's colon with a note's call printed inline after it, a word before it (`says:2`, not `10:30`).
COLON_AND_CALL = re.compile(r"[^\W\d_]:(?P<call>\d{1,2})$")
_TRAILING_OPENERS = " \t\r\n\"'“”‘’([-–—"
# Text ending like `... good work” (P3S6R01).` is the previous quotation, not a lead-in.
_ENDS_WITH_QUOTATION = re.compile(r"[\"”’']\s*\([^()]{1,80}\)\.?$")


def last_sentence(preceding_text: str) -> str:
    """The sentence a quotation follows: the text after the last sentence break, spaces collapsed,
    without the call of a note printed after its colon (`...significant gaps:1`).

    A blank line ends a sentence too, since a heading above a lead-in paragraph has no full stop,
    when the block after it is a lead-in: one that ends with a colon or holds a few words. A
    shorter block is left to the text before it (a running header the cleaner left between a
    lead-in and its quotation, the emphasis mark that opens a set-off quotation).
    """
    text = preceding_text.rstrip()
    if (call := COLON_AND_CALL.search(text)) is not None:
        text = text[:call.end() - len(call.group("call"))]
    for start in reversed(block_starts(text)):
        if text.endswith(":") or len(text[start:].split()) >= LEAD_IN_MIN_WORDS:
            text = text[start:]
            break
    text = collapse_spaces(text)
    starts = sentence_starts(text, SENTENCE_END_BEFORE_CAPITAL_OR_MARK)
    return text[starts[-1]:] if starts else text


def lead_in_sentence(before: str) -> str:
    """The sentence (or part sentence) that leads into a quotation, from the text just before it.

    Stops at a paragraph break when the paragraph itself holds enough words, so a heading
    above a lead-in paragraph is left out; a very short fragment takes the sentence before it.
    """
    tail = before[-LEAD_IN_SCAN_CHARS:].rstrip(_TRAILING_OPENERS)
    if not tail:
        return ""
    ends = sentence_starts(tail, LOOSE_SENTENCE_END)
    start = ends[-1] if ends else 0
    if len(tail[start:].split()) < LEAD_IN_MIN_WORDS and len(ends) > 1:
        start = ends[-2]
    fragment = tail[start:]
    breaks = block_starts(fragment)
    if breaks and len(fragment[breaks[-1]:].split()) >= LEAD_IN_MIN_WORDS:
        fragment = fragment[breaks[-1]:]
    fragment = collapse_spaces(fragment)
    return "" if _ENDS_WITH_QUOTATION.search(fragment) else fragment
