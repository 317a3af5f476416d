"""Lists of answers in quotation marks: a lead-in hands over ("Comments included:", "Pupils told
us:") to a list whose every item is a passage in marks, each item one respondent's words, as
consultation, survey and inspection reports print free-text answers.

The list is the evidence, not the words: a lone quoted line could be a title, but every item of a
list in marks after a colon is somebody's answer, in a document that quotes no one else too; so is
every item of such a list after any sentence when each is a whole sentence in marks, and every item
of a list right under a label line (`Table 2 – Booking and waiting`), as sticky notes and comment
cards are grouped, when each holds a few words. A list
of the questions or statements put to respondents (`Respondents were asked:`) is theirs, not a
respondent's; titles and names in marks are capitalised throughout and are no one's words either.
"""

from __future__ import annotations

import re

from ingest.attribution import SIGNATURE_DASH, is_recognised
from ingest.attribution_vocabulary import names_group, respondent_attribution
from ingest.inline_quotes import PUT_TO_THEM
from ingest.quote_spans import (
    OPENING_MARKS,
    WORD,
    Anchor,
    Conventions,
    Paragraphs,
    Taken,
    closing_index,
    ends_lead_in,
    make_quote,
)
from ingest.records import Attribution, Quote
from ingest.sentence_speakers import speaker_in_lead_in
from ingest.text.lead_ins import last_sentence
from ingest.text.paragraphs import LIST_ITEM_START, list_items
from ingest.unattributed_quotes import UNATTRIBUTED

MIN_LIST_ITEMS = 2
MIN_ITEM_WORDS = 4
# Without a lead-in colon, every item must be a sentence of this many words at least.
MIN_SENTENCE_WORDS = 6
# Under a label line (`Table 2 – Booking and waiting`), every item must hold this many words at least.
MIN_LABELLED_ITEM_WORDS = 5
MAX_LABEL_LINE_WORDS = 12
# What may follow an item's closing mark: a stop, a comma, or the respondent's code in brackets.
_AFTER_ITEM = re.compile(
    r"[ \t]*[.,;]?[ \t]*(?:(?P<code>\([^()\n]{1,60}\)|\[[^\[\]\n]{1,60}\])"
    rf"|(?:{SIGNATURE_DASH}|-)[ \t]*(?P<signed>[A-Z][^\n()\[\]“”\"]{{0,60}}?))?[ \t]*[.;]?[ \t]*$"
)
# A label alone on the line or paragraph right below a list: in brackets, or signed after a dash.
_LABEL_BELOW = re.compile(
    r"[ \t]*\n(?:[ \t]*\n)?[ \t]*[(\[](?P<label>[^()\[\]\n]{2,80})[)\]][ \t]*\.?[ \t]*(?:\n|$)"
    rf"|[ \t]*\n(?:[ \t]*\n)?[ \t]*{SIGNATURE_DASH}[ \t]*(?P<signed>[A-Z][^\n]{{1,80}}?)[ \t]*\.?[ \t]*(?:\n|$)"
)


def quoted_list_items(text: str, paragraphs: Paragraphs, found: list[Quote], conventions: Conventions) -> list[Quote]:
    """Each item of a list in marks after a lead-in colon, as a quotation: by the code after it, else
    by the speaker the lead-in names, else unattributed."""
    taken = Taken(found)
    quotes = []
    for items in _lists(text, paragraphs):
        first = items[0][0]
        if len(items) < MIN_LIST_ITEMS:
            continue
        if PUT_TO_THEM.search(last_sentence(text[max(0, first - 300):_marker_start(text, first)])):
            continue
        passages = [passage for start, end in items if (passage := _quoted_item(text, start, end)) is not None]
        if len(passages) < len(items):
            continue
        if not ends_lead_in(text, _marker_start(text, first)) and not all(
            _is_sentence(text, opening, closing) for opening, closing, _ in passages
        ) and not (_under_label(text, _marker_start(text, first)) and all(
            len(WORD.findall(text[opening:closing])) >= MIN_LABELLED_ITEM_WORDS for opening, closing, _ in passages
        )):
            continue
        speaker = (speaker_in_lead_in(text, first, conventions) or _label_below(text, items[-1][1], conventions)
                   or UNATTRIBUTED)
        for opening, closing, code in passages:
            words = WORD.findall(text[opening:closing])
            if taken.overlaps(opening, closing) or len(words) < MIN_ITEM_WORDS:
                continue
            if sum(word[0].isupper() for word in words) > len(words) / 2:
                continue
            attribution = _item_code(code, conventions) or speaker
            quote = make_quote(text, opening + 1, closing, Anchor(opening, opening, attribution, None), inline=False)
            if quote is not None:
                quotes.append(quote)
    return quotes


def _label_below(text: str, end: int, conventions: Conventions) -> Attribution | None:
    """Who a label in brackets or signed after a dash on the line or paragraph right below the list names,
    for each item: a code of the document's, or a group (`(Residents, Calder Road drop-in)`, `— Youth
    Forum workshop participants`)."""
    below = _LABEL_BELOW.match(text, end)
    if below is None:
        return None
    label = (below.group("label") or below.group("signed")).strip()
    parsed = conventions.parse(f"({label})")
    if is_recognised(parsed) and parsed.source_kind == "interview":
        return parsed
    return respondent_attribution(f"({label})", label) if names_group(label) else None


def _lists(text: str, paragraphs: Paragraphs) -> list[list[tuple[int, int]]]:
    """The items of each list, a list running on over paragraphs that are its items (a Word list's
    items are paragraphs of their own), or closing a paragraph below its lead-in or label line."""
    lists: list[list[tuple[int, int]]] = []
    continuing = False
    for start, end in paragraphs.spans:
        first = LIST_ITEM_START.search(text, start, end)
        items = list_items(text, first.start(), end) if first is not None else []
        if items and continuing:
            lists[-1].extend(items)
        elif items:
            lists.append(items)
        continuing = bool(items)
    return lists


def _under_label(text: str, line_start: int) -> bool:
    """Whether the line right above a list is a label heading it (`Table 1 – Knowing what's on offer`,
    `Group B (parents)`): a few words, no sentence's or clause's end, as sticky notes and comment
    cards are grouped under."""
    above_end = line_start - 1
    if above_end <= 0 or text[above_end] != "\n":
        return False
    above = text[text.rfind("\n", 0, above_end) + 1:above_end].strip()
    return bool(above) and len(above.split()) <= MAX_LABEL_LINE_WORDS and above[-1] not in ".!?:;,”\"’'"


def _marker_start(text: str, item_start: int) -> int:
    """Where the line of the item starting at `item_start` begins: before its marker."""
    return text.rfind("\n", 0, item_start) + 1


def _quoted_item(text: str, start: int, end: int) -> tuple[int, int, str | None] | None:
    """The opening and closing marks of an item that is wholly a passage in marks, and the code after
    it, in brackets or after a dash (`“...” - P03`), if any; None for an item with words outside its marks."""
    if text[start] not in OPENING_MARKS:
        return None
    closing = closing_index(text, start, end)
    if closing is None:
        return None
    rest = _AFTER_ITEM.match(text, closing + 1, end)
    return None if rest is None else (start, closing, rest.group("code") or rest.group("signed"))


def _is_sentence(text: str, opening: int, closing: int) -> bool:
    """Whether a passage in marks is a whole sentence or more: a capital, enough words, a stop."""
    words = text[opening + 1:closing].strip()
    return words[:1].isupper() and words[-1:] in ".!?…" and len(WORD.findall(words)) >= MIN_SENTENCE_WORDS


def _item_code(code: str | None, conventions: Conventions) -> Attribution | None:
    if code is None:
        return None
    attribution = conventions.parse(code)
    return attribution if is_recognised(attribution) and attribution.source_kind == "interview" else None
