"""Unattributed quotations inside running prose: passages in marks long enough to be someone's
words, in a document seen to quote people or texts elsewhere.

A word or two in marks is a scare quote or a term, and a title is capitalised throughout or has a
subtitle after a colon; the sentence around the passage says whether a participant or a document speaks.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.interview_notes import NOTE_MARKER, note_name
from ingest.lead_in import ENDS_IN_SPEECH, lead_in_role, tag_role
from ingest.quote_spans import (
    MIN_WORDS_WITH_LABEL,
    WORD,
    Anchor,
    Conventions,
    Taken,
    closing_index,
    is_opening,
    make_quote,
)
from ingest.records import Attribution, Quote
from ingest.sentence_speakers import (
    organisation_speaking,
    speaker_in_lead_in,
    speaker_in_sentence,
    speaker_named_before,
)
from ingest.text.lead_ins import last_sentence
from ingest.unattributed_quotes import in_reference

MIN_INLINE_WORDS = 7
# Words a passage needs where a verb sums something up in it (`described the larder as "..."`) in a
# sentence naming no document, or where the sentence's speaker is a role (`the Team Leader told us
# the team was '...'`): a phrase someone used, not a scare quote of a word or two.
MIN_SUMMED_UP_WORDS = 4
# Unattributed words in marks inside prose are read as quotations only in a document that is
# seen to quote people or texts elsewhere; in others they are titles, terms and survey items,
# unless a lead-in names who speaks them.
MIN_QUOTES_FOR_INLINE = 3
MAX_INLINE_CHARS = 600
_OPENING = re.compile("[“\"‘']")
# Single marks also spell apostrophes and nest inside double ones, so a passage in single marks
# counts only where a lead-in hands over to it: after a colon or a speech verb (`told us: '...'`,
# `felt that '...'`), or in a sentence whose speaker is named (`A head said cuts would be '...'`) or
# that cites an author and year (`As Okafor (2019: 117) argue, it can produce '...'`).
_AFTER_COLON = re.compile(r":[ \t]*\n?[ \t]*$")
# A verb that names a thing in someone's words: `what Marchetti (2017) calls '...'`.
_NAMES_IT = re.compile(r"\b(?:calls|called|terms|termed)[ \t]*$")
_SUMS_UP_AS = re.compile(
    r"\b(?:described|describes|summarised|summarized|summarises|summarizes|summed up|sums up|called|calls|"
    r"characterised|characterized|referred to)\b[^.;:“”\"]{0,60}\bas[ \t]*$"
)
# The rest of a sentence, without another quotation, ending in a bracketed code (or a clause, at a comma).
_SENTENCE_END_CODE = re.compile(r"[^.!?\n“”\"()]{0,160}?\((?P<code>[^()\n]{1,40})\)\s*[.;,]")
# A question put to the participants (an interview or survey item), which is not their words.
PUT_TO_THEM = re.compile(
    r"\b(?:(?:were|was|been|being) asked|(?:I|we|which|that) asked|asks|"
    r"asked (?:(?:each|every|all|the)\s+)?(?:participants?|respondents?|interviewees?|them|staff|parents|people)|"
    r"(?:interviewer|facilitator|moderator|researcher|survey|questionnaire|consultation|call for evidence|"
    r"inquiry|form)s? (?:asked|asks|put)|"
    r"(?:question|item|statement|prompt|guide)s?|terms of reference)\b",
    re.IGNORECASE,
)
# A question or prompt put to a respondent, in the second person and one sentence: `How confident are you
# using the internet on your own?`, `Tell me about the last journey that went wrong.`
_PROMPT = re.compile(
    r"(?:(?:how|what|which|when|where|why|who|do|does|did|are|is|have|has|can|could|would|will|if|to what extent)"
    r"\b[^?.!]*\b(?:you|your)\b[^?.!]*\?"
    r"|(?:tell (?:me|us)|talk (?:me|us) through|describe|walk (?:me|us) through)\b[^?.!]*[.?]?)"
    r"(?:\s+[A-Z][^?.!]*\?)?",
    re.IGNORECASE,
)


def is_prompt(quote: Quote) -> bool:
    """Whether a quotation no one is named for is a question or prompt put to respondents, in the
    second person (`How satisfied are you that ...?`, `If you could change one thing, what would it
    be?`, `Talk me through a typical day`), maybe with a question after it (`Tell me about the
    tutors. What makes a good tutor?`): a topic guide's or a survey's words, not a respondent's."""
    attribution = quote.attribution
    if (attribution is not None and attribution.code) or quote.lead_in_role:
        return False
    return _PROMPT.fullmatch(quote.text.strip()) is not None


# Statements a survey asked respondents to rate: `agreement with statements such as "..."`, `the item "..."`.
_RATED_ITEMS = re.compile(
    r"\b(?:statements?|items?)[ \t]+(?:such[ \t]+as|like)\b|\b(?:statement|item)[ \t]*$"
    r"|\bagree(?:ment|d|s)?[ \t]+with[ \t]+(?:the[ \t]+)?statements?\b",
    re.IGNORECASE,
)
# A title and its subtitle, with no sentence's stop: `Rural mental health services: access and outcomes`.
_TITLE_WITH_SUBTITLE = re.compile(r"[A-Z][^.!?:;\n]{2,80}:[ \t]+[^.!?:;\n]{2,80}")
_NAMES_A_DOCUMENT = re.compile(
    r"\b(?:(?:report|review|plan|strategy|guidance|framework|white paper|document|website|leaflet|manifesto|"
    r"charter|target|definition)s?|polic(?:y|ies)|defines|states|stated|published)\b"
    r"|(?-i:\b(?:Act|Bill)\b)",
    re.IGNORECASE,
)
# An author and year cited in the sentence (`Marchetti (2017)`, `Okello and Brandt (2020)`): a
# publication the words are quoted from, so a phrase of a few words counts.
_AUTHOR_YEAR = re.compile(
    r"\b[A-Z][a-z’'-]+(?:[ \t]+(?:and|&)[ \t]+[A-Z][a-z’'-]+|[ \t]+et[ \t]+al\.?)?[ \t]+"
    r"\(\d{4}[a-z]?(?:[:,][ \t]*(?:pp?\.?[ \t]*)?\d{1,4}(?:[–-]\d{1,4})?)?\)"
)

# A blank line between two paragraphs (or two parts of one a page break cut).
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# The words before a passage a sentence naming a document quotes from it: `the guidance asks schools
# to "..."`, `the strategy states that "..."`, `the plan: "..."`.
_QUOTES_FROM_TEXT = re.compile(r"(?:\b(?:that|to|as)|:)[ \t]*$")


def _subject(text: str, opening: int, sentence: str, conventions: Conventions) -> Attribution | None:
    """Who the sentence around the passage opening at `opening` names as speaking, if anyone."""
    return speaker_in_sentence(sentence, conventions) or speaker_named_before(text, opening, sentence, conventions)


def _within_one_paragraph(text: str, start: int, end: int) -> bool:
    """Whether a passage stays in one paragraph: any paragraph break in it cuts a sentence, as a page
    break does (`...waiting a long time for` then `someone to ask them.`), not a paragraph's end."""
    return all(text[cut.start() - 1:cut.start()].isalnum() and text[cut.end():cut.end() + 1].islower()
               for cut in _PARAGRAPH_BREAK.finditer(text, start, end))


def _code_ending_sentence(text: str, closing: int, conventions: Conventions) -> Attribution | None:
    """The document's own code closing the sentence a short quotation sits in: `"..." from X (QA11).`"""
    match = _SENTENCE_END_CODE.match(text, closing + 1)
    if match is None or not conventions.vocabulary.knows(match.group("code")):
        return None
    attribution = conventions.parse(f"({match.group('code')})")
    return attribution if attribution.source_kind == "interview" else None


def _cited_in_a_note(text: str, closing: int, conventions: Conventions) -> bool:
    """Whether a note's number right after the closing mark (`...learners”.12`) cites where the words
    come from, a note that cites no interview (those name their interviewee, see `ingest.interview_notes`):
    a publication, a speech, evidence to a committee."""
    marker = NOTE_MARKER.match(text, closing)
    return marker is not None and note_name(marker) not in conventions.notes


def _hands_over(text: str, opening: int) -> bool:
    """Whether a lead-in hands over to the passage opening at `opening`: a colon, a speech verb, or a
    verb that sums something up or names it in the speaker's words (`summarised the discussion as
    '...'`, `what Marchetti (2017) calls '...'`)."""
    start = max(0, opening - 80)
    return bool(_AFTER_COLON.search(text, start, opening) or ENDS_IN_SPEECH.search(text, start, opening)
                or _SUMS_UP_AS.search(text, start, opening) or _NAMES_IT.search(text, start, opening))


def inline_unattributed(text: str, found: list[Quote], conventions: Conventions,
                        named_only: bool = False) -> list[Quote]:
    """Quoted passages inside running prose with no attribution, long enough to be someone's words.

    A word or two in marks is a scare quote or a term, and a title is capitalised throughout;
    neither is kept, unless the sentence ends in the document's own respondent code. The kind
    of source follows the sentence before: a document it names, else a participant.

    `named_only` keeps only passages whose speaker is named: by a code after them or in the lead-in,
    by a role the lead-in hands over from (`As one commissioner explained: "..."`), or by a document
    the sentence quotes from (`the guidance asks schools to "..."`). What a document that quotes
    little needs before its words in marks are read as anyone's.
    """
    taken = Taken(found)
    quotes = []
    for mark in _OPENING.finditer(text):
        opening = mark.start()
        if not is_opening(text, opening):
            continue
        closing = closing_index(text, opening, min(len(text), opening + MAX_INLINE_CHARS))
        if closing is None or not _within_one_paragraph(text, opening, closing):
            continue
        tagged = tag_role(text, closing)
        code_later = _code_ending_sentence(text, closing, conventions)
        preceding = text[max(0, opening - 400):opening]
        sentence = last_sentence(preceding)
        role = lead_in_role(preceding)
        by_author = _AUTHOR_YEAR.search(sentence) is not None
        noted = _cited_in_a_note(text, closing, conventions)
        kind = "document" if by_author or noted or _NAMES_A_DOCUMENT.search(sentence) else "interview"
        cites = kind == "document" and bool(noted or _QUOTES_FROM_TEXT.search(sentence) or _NAMES_IT.search(sentence))
        if taken.touches(opening, closing):
            continue
        subject = None
        hands_over = _hands_over(text, opening)
        in_lead_in = speaker_in_lead_in(text, opening, conventions)
        if mark.group() in "‘'" and not (hands_over or tagged or code_later or cites or by_author or role
                                         or in_lead_in):
            subject = _subject(text, opening, sentence, conventions)
            if subject is None:
                continue  # an apostrophe or a scare quote, unless the sentence names who speaks
        subject = subject or _subject(text, opening, sentence, conventions)
        if subject is None and kind == "interview":
            subject = organisation_speaking(sentence)
        words = WORD.findall(text[opening:closing])
        capitalised = sum(word[0].isupper() for word in words)
        role_speaks = role is not None
        handed = hands_over and role_speaks
        labelled = code_later or subject or tagged or handed or (cites and by_author) or (in_lead_in and hands_over)
        summed_up = kind == "interview" and _SUMS_UP_AS.search(text, max(0, opening - 80), opening) is not None
        long_enough = len(words) >= (MIN_WORDS_WITH_LABEL if labelled else
                                     MIN_SUMMED_UP_WORDS if summed_up or role_speaks else MIN_INLINE_WORDS)
        if in_reference(text, opening, closing) or not long_enough or capitalised > len(words) / 2:
            continue
        if _TITLE_WITH_SUBTITLE.fullmatch(text, opening + 1, closing):
            continue
        if (text[closing - 1] == "?" and PUT_TO_THEM.search(sentence)) or _RATED_ITEMS.search(sentence):
            continue
        named = code_later or in_lead_in or subject
        if named_only and named is None and not (handed or tagged or cites or role_speaks):
            continue
        attribution = named or Attribution(raw="", code=None, scheme=None, source_kind=kind, facets={})
        quote = make_quote(text, opening + 1, closing, Anchor(opening, opening, attribution, None), inline=True)
        if quote is not None:
            quotes.append(replace(quote, lead_in_role=tagged) if tagged and not quote.lead_in_role else quote)
            taken.add(opening, closing)
    return quotes
