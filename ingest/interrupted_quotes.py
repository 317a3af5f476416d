"""A quotation its speaker interrupts: `“You learn to chase everything twice,” said P8, “because the
first email gets lost.”`; or one a speech tag closes: `“The room was full every time,” said one patient.`,
or follows as a sentence of its own: `“I didn't want a mentor.” Marisol says.`

Both halves are the speaker's words and each is a quotation of its own (a quotation's text holds
only words spoken, so "said P8" stays out). The words of the tag name the speaker: a respondent's
code gives the respondent, a person's role (`said one nurse`) the lead-in role, and a text (`the
Foundation's report concludes`) makes the words a document's. A person named by name (`said
Dr Patel`) is the respondent, as printed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.attribution_vocabulary import respondent_attribution
from ingest.lead_in import PRONOUN, SPEAKER, person_named, role_in_tag, speech_tag, tag_age, tag_speaker
from ingest.quote_spans import WORD, Anchor, Conventions, Taken, make_quote
from ingest.records import Attribution, Quote
from ingest.sentence_speakers import antecedent
from ingest.unattributed_quotes import UNATTRIBUTED

# The two halves need this many words between them, so a pair of short terms is not a quotation.
MIN_WORDS = 7
# A role set after a named speaker (`says Dr Patel, a GP partner in the north`): the role, without
# where the speaker works.
# A tag's speaker that is a text, by its head noun: `the Fellwater Foundation report`.
_DOCUMENT_SPEAKER = re.compile(
    r"\b(?:report|review|plan|strategy|guidance|policy|framework|act|white paper|document|charter|manifesto|"
    r"leaflet|website|briefing|prospectus|standard|code of practice|guideline|inquiry|evaluation)s?$",
    re.IGNORECASE,
)
_APPOSITION = (
    r"(?:,[ \t]+(?P<apposition>(?:a|an|the|one|our)[ \t]+[^.;,\n“”\"]{1,60}?)"
    r"(?:[ \t]+(?:in|at|from|with|working|based)\b[^.;,\n“”\"]{0,80})?(?=[ \t]*[,.;]))?"
)
# How or when the words were said, after the tag: `“...,” Alfredo Tapia said by phone.`
_MANNER = (
    r"(?:[ \t]+(?:by[ \t]+(?:phone|telephone|email|video)|over[ \t]+the[ \t]+phone|on[ \t]+the[ \t]+phone"
    r"|in[ \t]+(?:an?[ \t]+)?interview|later|afterwards|at[ \t]+the[ \t]+time))?"
)


def _patterns(opening: str, closing: str, inside: str,
              comma_outside: bool, wraps: bool = True) -> tuple[re.Pattern[str], ...]:
    """The interrupted, the closing-tag and the tag-as-its-own-sentence pattern for one pair of marks:
    double marks, or single marks, curly or straight (a closing one after a comma is never an
    apostrophe, an opening one never follows a letter, and a closing one never precedes one).
    `comma_outside` admits the comma after the closing mark (`“...chaos”, explained one headteacher`),
    which an apostrophe would make unsafe. `wraps` lets a half run over the line breaks of a wrapped
    paragraph, where its marks are safe to pair that far."""
    half = rf"(?:[^{inside}\n]|\n(?![ \t]*\n)){{1,600}}?" if wraps else rf"[^{inside}\n]{{1,600}}?"
    first_end = rf"(?:[,…—–!?-][{closing}]|[{closing}],)" if comma_outside else rf"[,…—–!?-][{closing}]"
    tag = (
        rf"[{opening}](?<!\w[{opening}])(?P<first>{half}){first_end}[ \t]+{speech_tag(SPEAKER)}{_MANNER}{_APPOSITION}"
    )
    # The second half ends the quotation: a comma before its closing mark hands over to another tag.
    interrupted = re.compile(
        rf"{tag}[ \t]*[,.:;—–][ \t]*[{opening}](?P<second>{half})(?<!,)[{closing}](?!\w)", re.IGNORECASE
    )
    # A tag ending the sentence, or a clause about the speaker: the quotation has one half.
    closing_tag = re.compile(rf"{tag}[ \t]*(?:[.;](?=\s|$)|,(?=[ \t]+(?:who|whom|whose|which)\b))", re.IGNORECASE)
    # A tag that is a sentence of its own after the quotation's full stop: `...a problem.” Marisol says.`
    own_sentence = re.compile(
        rf"[{opening}](?<!\w[{opening}])(?P<first>{half}\.)[{closing}][ \t]+{speech_tag(SPEAKER)}{_MANNER}{_APPOSITION}"
        r"[ \t]*\.(?=\s|$)", re.IGNORECASE,
    )
    return interrupted, closing_tag, own_sentence


_PATTERNS = (
    *_patterns("“\"", "”\"", "“”\"", comma_outside=True),
    *_patterns("‘", "’", "‘", comma_outside=False),
    *_patterns("'", "'", "\n", comma_outside=False, wraps=False),
)


def interrupted_quotations(text: str, found: list[Quote], conventions: Conventions) -> list[Quote]:
    """Both halves of every quotation interrupted by its speaker, and every quotation a speech tag
    closes, that no other pass found."""
    taken = Taken(found)
    quotes: list[Quote] = []
    for match in [match for pattern in _PATTERNS for match in pattern.finditer(text)]:
        if taken.overlaps(match.start(), match.end()):
            continue
        halves = [half for half in ("first", "second") if match.re.groupindex.get(half)]
        if len(WORD.findall(" ".join(match.group(half) for half in halves))) < MIN_WORDS:
            continue
        speaker = tag_speaker(match)
        attribution = conventions.parse(speaker)
        is_code = attribution.source_kind == "interview" and attribution.code is not None
        role = None if is_code else role_in_tag(match.group("apposition") or speaker)
        named = None if is_code else _named_speaker(text, match.start(), speaker, tag_age(match))
        if named is not None:
            attribution, is_code = named, True
        cited = None if is_code or role is not None else _cited_text(speaker)
        if not is_code and role is None and cited is None:
            continue
        anchor = Anchor(match.start(), match.start(), attribution if is_code else cited or UNATTRIBUTED, None)
        for half in halves:
            quote = make_quote(text, match.start(half), match.end(half), anchor, inline=True)
            if quote is not None:
                quotes.append(replace(quote, lead_in_role=role) if role else quote)
        taken.add(match.start(), match.end())
    return quotes


def _cited_text(speaker: str) -> Attribution | None:
    """The document a tag names as speaking (`..." the Foundation's report concludes.`): its words are
    a document's, quoted from it."""
    name = " ".join(speaker.split())
    if _DOCUMENT_SPEAKER.search(name) is None:
        return None
    return Attribution(raw=name, code=None, scheme=None, source_kind="document", facets={})


def _named_speaker(text: str, tag_start: int, speaker: str, age: str | None) -> Attribution | None:
    """The respondent a tag names by name (`said Dr Patel`, `Grace, 52, told us`), or by a pronoun
    standing for the person named before it in the paragraph (`she said`: see `antecedent`)."""
    name = person_named(speaker)
    if name is not None:
        label = f"{name}, {age}" if age else name
        return respondent_attribution(label, label)
    return antecedent(text, tag_start) if PRONOUN.fullmatch(speaker.strip()) else None
