"""Quotations cut into windows the embedding model reads whole, each led by the quotation's lead-in.

A quotation alone often lacks its subject ("it ran out when the pilot ended"); the sentence
before it ("Several sites said the funding was the problem:") supplies it. The model reads
254 word pieces and silently drops the rest, so a long quotation is split at sentence ends
into several windows (one sentence of overlap) rather than truncated; a quotation's score is
the best of its windows.

Word-piece counts add up over whitespace-separated words (the model's tokenizer splits on
whitespace and punctuation first), so each word is counted once and windows are packed from
the per-word counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.text.sentences import ends_sentence
from ingest.wordpieces import MAX_TEXT_PIECES

# The lead-in is the sentence before the quotation, cut to its last words past this many pieces.
LEAD_IN_MAX_PIECES = 64
# The model reads this many pieces besides its two markers.
WINDOW_PIECES = MAX_TEXT_PIECES


@dataclass(frozen=True)
class QuoteWindow:
    """One stretch of a quotation with its lead-in: the unit that is embedded."""

    quote_id: int
    ordinal: int
    span_start: int
    span_end: int
    lead_in: str
    n_pieces: int

    def text(self, quote_text: str) -> str:
        body = quote_text[self.span_start:self.span_end]
        return f"{self.lead_in}\n{body}" if self.lead_in else body


def split_windows(
    quote_id: int, quote_text: str, lead_in: str, word_pieces: Sequence[int], lead_in_pieces: Sequence[int],
) -> list[QuoteWindow]:
    """Windows covering the whole quotation, each with the lead-in, none over WINDOW_PIECES pieces.

    `word_pieces` are the piece counts of the quotation's whitespace-separated words and
    `lead_in_pieces` those of the lead-in's words, in order.
    """
    words = [m.span() for m in re.finditer(r"\S+", quote_text)]
    if len(words) != len(word_pieces):
        raise ValueError("one piece count per word of the quotation is needed")
    lead_in, lead_cost = _trim_lead_in(lead_in, lead_in_pieces)
    budget = WINDOW_PIECES - lead_cost - (1 if lead_in else 0)
    if not words:
        return []
    pieces = list(word_pieces)
    sentences = _sentences(quote_text, words, pieces, budget)
    windows: list[QuoteWindow] = []
    current: list[tuple[int, int, int]] = []
    for sentence in sentences:
        if current and sum(c for _, _, c in current) + sentence[2] > budget:
            windows.append(_window(quote_id, len(windows), current, lead_in, lead_cost))
            overlap = current[-1]
            current = [overlap] if overlap[2] + sentence[2] <= budget and overlap[2] <= budget // 2 else []
        current.append(sentence)
    windows.append(_window(quote_id, len(windows), current, lead_in, lead_cost))
    return windows


def _trim_lead_in(lead_in: str, pieces: Sequence[int]) -> tuple[str, int]:
    """Keep the lead-in's last words up to LEAD_IN_MAX_PIECES: the words nearest the quotation."""
    words = lead_in.split()
    kept, cost = len(words), 0
    for i in range(len(words) - 1, -1, -1):
        if cost + pieces[i] > LEAD_IN_MAX_PIECES:
            break
        cost += pieces[i]
        kept = i
    return " ".join(words[kept:]), cost


def _sentences(text: str, words: list[tuple[int, int]], pieces: list[int], budget: int) -> list[tuple[int, int, int]]:
    """(start, end, pieces) of each sentence; a sentence over the budget is cut at word boundaries."""
    out: list[tuple[int, int, int]] = []
    first, cost = 0, 0
    for i, (start, end) in enumerate(words):
        if cost and cost + pieces[i] > budget:
            out.append((words[first][0], words[i - 1][1], cost))
            first, cost = i, 0
        cost += pieces[i]
        if ends_sentence(text[start:end]) or i == len(words) - 1:
            out.append((words[first][0], end, cost))
            first, cost = i + 1, 0
    return out


def _window(quote_id: int, ordinal: int, parts: list[tuple[int, int, int]], lead_in: str,
            lead_cost: int) -> QuoteWindow:
    return QuoteWindow(
        quote_id=quote_id, ordinal=ordinal, span_start=parts[0][0], span_end=parts[-1][1], lead_in=lead_in,
        n_pieces=lead_cost + sum(c for _, _, c in parts),
    )
