"""A quotation its speaker interrupts: `“You learn to chase everything twice,” said P8, “because the
first email gets lost.”`

Both halves are the speaker's words and each is a quotation of its own (a quotation's text holds
only words spoken, so "said P8" stays out). The words between name the speaker: a respondent's
code gives the respondent, a person's role (`said one nurse`) the lead-in role; words that name
neither (`said the report`) leave the passage to the other passes.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.lead_in import SPEECH_VERBS, lead_in_role
from ingest.quote_spans import WORD, Anchor, Conventions, Taken, make_quote
from ingest.records import Quote
from ingest.unattributed_quotes import UNATTRIBUTED

# The two halves need this many words between them, so a pair of short terms is not a quotation.
MIN_WORDS = 7
_HALF = r"[^“”\"\n]{1,600}?"
_SPEAKER = r"[A-Za-z][\w’'.-]*(?:[ \t]+[\w’'.-]+){0,4}?"
_INTERRUPTED = re.compile(
    rf"[“\"](?P<first>{_HALF})[,…—–-][”\"][ \t]+"
    rf"(?:(?:{SPEECH_VERBS})[ \t]+(?P<after_verb>{_SPEAKER})|(?P<before_verb>{_SPEAKER})[ \t]+(?:{SPEECH_VERBS}))"
    rf"[ \t]*[,.:;—–][ \t]*[“\"](?P<second>{_HALF})[”\"]",
    re.IGNORECASE,
)


def interrupted_quotations(text: str, found: list[Quote], conventions: Conventions) -> list[Quote]:
    """Both halves of every quotation interrupted by its speaker that no other pass found."""
    taken = Taken(found)
    quotes: list[Quote] = []
    for match in _INTERRUPTED.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        if len(WORD.findall(match.group("first") + " " + match.group("second"))) < MIN_WORDS:
            continue
        speaker = match.group("after_verb") or match.group("before_verb")
        attribution = conventions.parse(speaker)
        is_code = attribution.source_kind == "interview" and attribution.code is not None
        role = None if is_code else lead_in_role(f"As {speaker} said")
        if not is_code and role is None:
            continue
        anchor = Anchor(match.start(), match.start(), attribution if is_code else UNATTRIBUTED, None)
        for half in ("first", "second"):
            quote = make_quote(text, match.start(half), match.end(half), anchor, inline=True)
            if quote is not None:
                quotes.append(replace(quote, lead_in_role=role) if role else quote)
        taken.add(match.start(), match.end())
    return quotes
