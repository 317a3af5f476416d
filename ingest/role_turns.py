"""Statements a report prints under their speakers' roles, without quotation marks, one paragraph each:

    Peer supporter: If I'm in crisis at four on a Friday, a hub that closes at five is no use to me.
    Carer: Nobody ever tells families what happens after the assessment.

Workshop write-ups, consultation summaries and evaluation reports set out what people said this
way, each role named once, so no label recurs for a transcript's reading to learn, and no one asks
as in an interview's exchange. What tells such a run from a list of fields (`Aim: ...`, `Method:
...`) or a structured abstract is that it is speech: labels that are several different roles, and
words in the first person singular or with the contractions of speech (`I'm`, `can't`), which a
report's own prose, even in its "we", rarely uses. A run of two paragraphs or more whose turns
mostly speak so is taken whole, the turns that do not (`Carer: Nobody ever tells families ...`)
with it; a run where an interviewer speaks (`Peer researcher:`, or initials that only ask, `RS:`) is
an exchange, read as one.
"""

from __future__ import annotations

import re

from ingest.attribution_vocabulary import names_no_speaker, respondent_attribution
from ingest.lead_in import SPEECH_VERBS
from ingest.quote_spans import Anchor, Paragraphs, Taken, make_quote
from ingest.records import Quote
from ingest.transcript import (
    CAPTION_LABEL,
    INTERVIEWER_WORDS,
    labels_that_only_ask,
    other_than_the_participant,
    role_key,
)

# A role opening a paragraph, then a colon and the words: a capitalised word and up to four more, maybe
# with parts that set the speaker apart (`Practice manager, Tarn Valley Medical Group:`).
_ROLE_TURN = re.compile(
    r"[ \t]*(?P<label>[A-Z][A-Za-z’'-]*(?:[ \t]+[A-Za-z][a-z’'-]*){0,4}(?:,[ \t]*[A-Z0-9][^,:\n]{0,40}){0,2})"
    r"[ \t]*:[ \t]+(?=\S)"
)
# Words no role holds: a pronoun or a question word make the label a clause (`What we found:`).
_NOT_IN_ROLE = re.compile(r"\b(?:I|we|you|they|our|your|their|what|how|why|when|where|who|which)\b", re.IGNORECASE)
# A label ending on a speech verb is a sentence handing over to the words (`Amira said:`, `Later, one
# mother explained:`), not a role; a verb's form that is also a plural noun (`Parent comments:`) may
# head a label.
_HANDS_OVER = re.compile(rf"\b(?:{SPEECH_VERBS})$")
_PLURAL_NOUNS = frozenset({"comments", "notes", "reports", "remarks", "claims", "highlights", "states", "answers"})
# Speech: the first person singular, or a contraction (`I'm`, `we've`, `can't`), not a possessive `'s`.
_SPOKEN = re.compile(r"\b(?:I|me|my|mine)\b|\b[A-Za-z]+[’'](?:m|re|ve|d|ll)\b|\b[A-Za-z]+n[’']t\b")
# A run holds this many turns at least, by this many different roles.
MIN_TURNS = 2
MIN_ROLES = 2


def role_turn_quotations(text: str, paragraphs: Paragraphs, found: list[Quote]) -> list[Quote]:
    """The turns of every run of paragraphs that open with speakers' roles and read as speech."""
    taken = Taken(found)
    quotes: list[Quote] = []
    for run in _runs(text, paragraphs):
        labels = {role_key(label) for label, _, _ in run}
        spoken = sum(bool(_SPOKEN.search(text, start, end)) for _, start, end in run)
        asks = (any(_head(label) in INTERVIEWER_WORDS for label in labels)
                or labels_that_only_ask((label, text[start:end].rstrip().endswith("?")) for label, start, end in run)
                or other_than_the_participant({label for label, _, _ in run}))
        if len(run) < MIN_TURNS or len(labels) < MIN_ROLES or 2 * spoken < len(run) or asks:
            continue
        for label, start, end in run:
            if taken.overlaps(start, end):
                continue
            anchor = Anchor(start, start, respondent_attribution(label, label), None)
            quote = make_quote(text, start, end, anchor, inline=False)
            if quote is not None:
                quotes.append(quote)
    return quotes


def _runs(text: str, paragraphs: Paragraphs) -> list[list[tuple[str, int, int]]]:
    """Runs of consecutive paragraphs that each open with a role: (label, words' start, end)."""
    runs: list[list[tuple[str, int, int]]] = [[]]
    for start, end in paragraphs.spans:
        turn = _ROLE_TURN.match(text, start, end)
        label = turn.group("label") if turn is not None else ""
        if turn is None or not _is_role(label):
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((label, turn.end(), end))
    return [run for run in runs if run]


def _is_role(label: str) -> bool:
    return not (names_no_speaker(label) or _NOT_IN_ROLE.search(label) or CAPTION_LABEL.fullmatch(label)
                or _hands_over(label))


def _hands_over(label: str) -> bool:
    verb = _HANDS_OVER.search(label)
    return verb is not None and verb.group(0) not in _PLURAL_NOUNS


def _head(label: str) -> str:
    """The word a role ends on, before any parts: `peer researcher` -> `researcher`."""
    return label.split(",")[0].split()[-1]
