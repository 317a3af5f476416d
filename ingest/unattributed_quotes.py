"""Quotations that carry no attribution: stand-alone quoted paragraphs, and blocks the layout sets
off as quotations (indented, italic, small type, Markdown blockquotes) after a lead-in.

They are found with no respondent unless the lead-in names one by the document's own code or a
code stands on the line below; the rules that keep titles, lists, tables and bibliography entries
out live here with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.attribution import SIGNATURE_DASH, is_recognised, strip_attribution
from ingest.attribution_vocabulary import (
    ARCHIVE_NUMBER,
    MAX_DESCRIBING_LABEL_WORDS,
    MAX_LABEL_WORDS,
    RECORDING_PLACE,
    TRANSCRIPT_REFERENCE,
    cites_a_recording,
    describes_speaker,
    label_words_allowed,
    names_group,
    names_no_speaker,
    opens_with_code,
    respondent_attribution,
    shape_facets,
    speaker_and_recording,
)
from ingest.interview_notes import NOTE_ENDING_BLOCK, note_name
from ingest.layout_marks import BLOCKQUOTE, QUOTE_STYLE
from ingest.lead_in import ENDS_IN_SPEECH, lead_in_role, named_in_full, person_named
from ingest.narrator_headings import is_narrator_headnote, narrator_heading, section_narrator
from ingest.quote_spans import (
    CLOSING_MARKS,
    MIN_WORDS_WITH_LABEL,
    OPENING_MARKS,
    REFERENCE,
    SPEECH,
    WORD,
    Anchor,
    Conventions,
    Paragraphs,
    Taken,
    closing_index,
    ends_lead_in,
    make_quote,
    paragraph_chains,
    wholly_quoted,
)
from ingest.records import Attribution, LayoutMark, Quote
from ingest.sentence_speakers import person_introduced_above, person_leading_in, speaker_in_lead_in
from ingest.text.paragraphs import list_items
from ingest.text.whitespace import collapse_spaces, strip_span
from ingest.transcript import IN_PERSON, INTERVIEWER_WORDS, labels_that_only_ask

MIN_UNATTRIBUTED_WORDS = 8
# What a block quotation's last sentence ends with.
_BLOCK_ENDS = ".!?…" + CLOSING_MARKS
# A transcriber's note in lower case after the last sentence: `That was my training. [laughs]`.
_TRANSCRIBERS_NOTE_ENDING = re.compile(r"(?<=[.!?…”’\"])[ \t]*\[[a-z][a-z ]{1,30}\]$")
_UNCLOSED_RESTART = re.compile(r"[.!?…][ \t]+(?P<open>[“\"])(?=\S)")
# A list item or a numbered entry, which layout sets off without quoting anyone.
_LIST_OR_ENTRY = re.compile(r"^(?:[-–•*\uf0b7]\s|\d{1,3}[.)]\s|\[\d{1,3}\]|\(?[A-Za-z][.)]\s)", re.MULTILINE)
# A numbered paragraph of prose, as reports and investigations number theirs (`8. Mrs B chased the
# Council ... Mrs B told us:`): a sentence ends in it, where a list item is a phrase or one sentence.
_NUMBERED_PARAGRAPH = re.compile(r"\d{1,3}[.)][ \t]+[A-Z][^\n]*?[a-z][.!?][ \t]+[A-Z]")
# Share of a block's words that may be bare numbers: more, and it is a table or a citation.
MAX_NUMBER_SHARE = 0.2
_CODE_BELOW = re.compile(r"\s*\n(?P<code>\([^()\n]{1,60}\)|\[[^\[\]\n]{1,60}\])[ \t.]*(?:\n|$)")
# A signature: a dash, then who said it, alone on a line (`— Service manager, Authority 3`), maybe with
# a record of the recording that makes it long (see `_dash_signature`), as the last line of a set-off
# block or the line after it.
_SIGNATURE_LINE = (
    rf"[ \t]*{SIGNATURE_DASH}[ \t]*(?P<label>[A-Z](?:[^\n.!?“”\"]|(?<=\b[a-z])\.|(?<=\d)\.(?=\d)){{0,150}}?)[ \t.]*"
)
# ... on the last line or run in after its last sentence (`... I was in. — Elsie Marr, b. 1938`).
_SIGNATURE_ENDING = re.compile(rf"(?:\n|(?<=[.!?…”’\"])[ \t](?=[ \t]*{SIGNATURE_DASH}))(?:{_SIGNATURE_LINE})$")
_SIGNATURE_BELOW = re.compile(rf"[ \t]*\n(?:[ \t]*\n)?{_SIGNATURE_LINE}(?:\n|$)")
_SIGNATURE_PARAGRAPH = re.compile(_SIGNATURE_LINE)
# A label alone in a paragraph: capitalised, on one line, without a sentence's stops or marks, and
# shorter than a heading or a list entry set off alike (`Healthcare assistant, Ward 2`).
MAX_SET_OFF_LABEL_WORDS = 5
# A short paragraph in lower case that finishes the sentence the paragraph before broke off.
_FINISHING_PARAGRAPH = re.compile(r"[ \t]*\n[ \t]*\n[ \t]*(?P<words>[a-z][^\n]{0,80}?[.!?…])[ \t]*(?=\n|$)")
# Ways a PDF sets off the paragraphs of one block quotation.
_BLOCK_KINDS = frozenset({"indented", "italic"})
_BRACKETS = {"(": ")", "[": "]"}
# A label in brackets after the last sentence of a block, or in a paragraph of its own closing it: its signature.
_BRACKETED_ENDING = re.compile(
    r"(?<=[.!?…])(?:[ \t]+|[ \t]*\n\n[ \t]*)"
    r"(?P<label>\((?:[^()\n]|\n(?!\n)){1,80}\)|\[(?:[^\[\]\n]|\n(?!\n)){1,80}\])[ \t.]*$"
)
# Words a bracketed label without parts holds at least to describe the speaker closing a block:
# `(Samoan mother of four)`.
MIN_DESCRIPTION_WORDS = 2
# Words opening a bracketed cross-reference or editorial note rather than a speaker's label.
_NOT_A_SPEAKER_LABEL = re.compile(
    r"(?:see|cf|table|figure|fig|box|appendix|section|chapter|page|p\.|emphasis|sic|original|note|translated|"
    r"pdf|docx?|xlsx?|pptx?|csv|rtf|odt|zip)\b",
    re.IGNORECASE,
)
# A short line the layout aligns right: a signature's place, never a block quotation's.
RIGHT_ALIGNED = "right"
# A label set off as a signature: no sentence's stop in it, save after a one-letter abbreviation (`b. 1938`).
_SET_OFF_LABEL = re.compile(r"[A-Z](?:[^\n.!?:;“”\"]|(?<=\b[a-z])\.){1,60}")
_DIGIT = re.compile(r"\d")
# An archive's number for a recording opening a label: `HOHP/2019/07, Joan Hartley, 14 March 2019`.
_ARCHIVE_NUMBER_OPENING = re.compile(rf"{ARCHIVE_NUMBER}[ \t]*,")
# A later part of a label that starts with a capital or a digit.
_NAMED_PART = re.compile(r",[ \t]*[A-Z0-9]")
# The paragraph right after a block, when it is one line.
# The group's label in brackets on the last line of a block of turns: `(Ashby Road community meeting)`.
_GROUP_LINE = re.compile(r"\n[ \t]*(?P<label>\([^()\n]{1,80}\)|\[[^\[\]\n]{1,80}\])[ \t.]*$")
_LINE_START = re.compile(r"(?:^|(?<=\n))[ \t]*(?=\S)")
# A speaker's label opening a block: `Interviewer:`, `Peer researcher:`, `Jade (15):`, `Kezia (service
# user):`, `Carer (mother), North locality:`, `(Mrs Dunmore)`.
_OPENING_LABEL = re.compile(
    r"(?P<bracket>\()?(?P<label>[A-Z][A-Za-z]*(?:[ \t][A-Za-z]+){0,2}(?:[ \t]*\((?:\d{1,2}|[a-z][a-z ]{0,30})\))?"
    r"(?:,[ \t]*[A-Z][A-Za-z]*(?:[ \t][A-Za-z]+){0,2})?)(?(bracket)\)[ \t]|[ \t]*:)"
)
# A reference into a committee's or a hearing's record, or a place in a recording, alone below a block
# (`(Q 96)`, `[Day 3/17]`, `[OH/TL/01, 00:03:40]`):
# where its words are in the record, not who spoke them.
_REFERENCE_BELOW = re.compile(
    rf"[ \t]*\n[ \t]*\n[ \t]*(?P<label>\((?:{TRANSCRIPT_REFERENCE}|{RECORDING_PLACE})\)"
    rf"|\[(?:{TRANSCRIPT_REFERENCE}|{RECORDING_PLACE})\])[ \t.]*(?=\n|$)",
    re.IGNORECASE,
)
_PARAGRAPH_BELOW = re.compile(r"[ \t]*\n[ \t]*\n(?P<paragraph>[^\n]+)(?=\n[ \t]*\n|\n?$)")
# A quotation mark opening a passage right after the one before closed, only a space between.
_MARK_AFTER_SPACE = re.compile(rf"[ \t]+(?P<mark>[{OPENING_MARKS}])")
# A quotation mark opening a line.
_LINE_OPENING_MARK = re.compile(rf"\n[ \t]*(?P<mark>[{OPENING_MARKS}])")
# A heading of a word or two run in before a colon.
_RUN_IN_HEADING = re.compile(r"[^\W\d_][\w'’&-]*(?:[ \t]+[\w'’&-]+)?[ \t]*:")
_VOLUME = re.compile(r"\bvol\.\s*\d|\bpp\.\s*\d+\s*[-–]\s*\d|\b\d+\s*\(\d+\)\s*[:,]\s*\d+")
_YEAR_BEFORE_TITLE = re.compile(r"\((?:19|20)\d{2}[a-z]?\)[.,:]?\s*$")
_NUMBERED_ENTRY = re.compile(r"\s*\[\d{1,3}\]\s")
UNATTRIBUTED = Attribution(raw="", code=None, scheme=None, source_kind="interview", facets={})


def other_answers_in_lists(text: str, paragraphs: Paragraphs, found: list[Quote]) -> list[Quote]:
    """The other items of a list in which a respondent's code closes an unmarked item: a list of
    answers (free-text survey responses), some signed and some not, each answer a quotation."""
    taken = Taken(found)
    quotes: list[Quote] = []
    lists_done: set[int] = set()
    for quote in found:
        attribution = quote.attribution
        index = paragraphs.index_at(quote.char_start)
        if (index in lists_done or attribution is None or not attribution.code or quote.inline
                or text[quote.char_start - 1] in OPENING_MARKS):
            continue
        items = list_items(text, *paragraphs.spans[index])
        if quote.char_start not in {item_start for item_start, _ in items}:
            continue
        lists_done.add(index)
        for item_start, item_end in items:
            if taken.overlaps(item_start, item_end) or not _reads_as_words(text[item_start:item_end],
                                                                           MIN_UNATTRIBUTED_WORDS):
                continue
            anchor = Anchor(item_start, item_start, UNATTRIBUTED, None)
            made = make_quote(text, item_start, item_end, anchor, inline=False)
            if made is not None:
                quotes.append(made)
    return quotes


def unattributed_quotations(
    text: str, paragraphs: Paragraphs, found: list[Quote], conventions: Conventions,
    marks: Sequence[LayoutMark] = (),
) -> list[Quote]:
    """Stand-alone quoted paragraphs that carry no attribution: found, with no respondent.

    A paragraph counts when it opens with a quotation mark, is long enough not to be a title or
    a term, and either closes with the partner mark, reads as speech (first or second person),
    since such paragraphs often lose their closing mark in print, or is continued: it never closes
    and the next paragraph opens with the same mark (a quotation of several paragraphs opens each
    of them and closes only the last). A short label below it signs it: one of parts, or any label the
    layout sets apart (`Parent of three, placed out of borough` in smaller type). A group's label
    (`(Parents, Low Ashton group discussion)`) signs too the unsigned quoted paragraphs right above.
    """
    taken = Taken(found)
    set_apart = {strip_span(text, mark.start, mark.end) for mark in marks}
    quotes: list[Quote] = []
    unsigned_run: list[int] = []  # indices in `quotes` of the whole quoted paragraphs just above, unsigned
    chains = paragraph_chains(text, paragraphs)
    run_end = -1
    for index, (start, end) in enumerate(chains):
        if index <= run_end:
            continue
        if taken.touches(start, end):
            unsigned_run = []
            continue
        head = text[start:end].lstrip()
        words = len(WORD.findall(head))
        if not head or head[0] not in OPENING_MARKS or words < MIN_WORDS_WITH_LABEL or (
                words < MIN_UNATTRIBUTED_WORDS and not _among_quoted_paragraphs(text, chains, index)):
            unsigned_run = []
            continue
        following = chains[index + 1][0] if index + 1 < len(chains) else None
        last = _continued_run_end(text, chains, index)
        quote = _continued_quotation(text, chains, index, last, set_apart, conventions) if last > index else None
        if quote is not None:
            run_end = last
            unsigned_run = []
            quotes.append(quote)
            continue
        whole = wholly_quoted(text, start, end)
        if not (whole or SPEECH.search(head) or _continued(text, start, end, following)):
            unsigned_run = []
            continue
        # A paragraph wholly quoted, or one whose mark never closes (a card's large opening mark), is
        # signed by a label below it.
        below = (whole or _never_closes(text, start, end)) and following is not None
        signature = _signature_below(text, chains[index + 1], set_apart, conventions) if below else None
        speaker = (signature or speaker_in_lead_in(text, start, conventions)
                   or (person_introduced_above(text, start) if whole else None) or UNATTRIBUTED)
        first = len(quotes)
        for passage_start, passage_end in _quoted_passages(text, start, end):
            anchor = Anchor(start, start, speaker if passage_start == start else UNATTRIBUTED, None)
            for piece_start, piece_end in _back_to_back(text, passage_start, passage_end):
                quote = make_quote(text, piece_start, piece_end, anchor, inline=False)
                if quote is not None:
                    quotes.append(quote)
        if signature is not None and signature.code and names_group(signature.code):
            for earlier in unsigned_run:
                quotes[earlier] = replace(quotes[earlier], attribution=signature)
        unsigned_run = [*unsigned_run, *range(first, len(quotes))] if whole and speaker is UNATTRIBUTED else []
    return quotes


def _continued_run_end(text: str, chains: Sequence[tuple[int, int]], index: int) -> int:
    """The index of the last paragraph of a quotation of several paragraphs that opens at `index`: by
    print convention each of its paragraphs opens with the mark, and only the last closes it."""
    last = index
    while last + 1 < len(chains) and _continued(text, *chains[last], chains[last + 1][0]):
        last += 1
    return last


def _continued_quotation(text: str, chains: Sequence[tuple[int, int]], first: int, last: int,
                         set_apart: set[tuple[int, int]], conventions: Conventions) -> Quote | None:
    """One quotation over paragraphs `first` to `last`, by whom a label below it signs, the words above
    it name (see `_speaker_above`), a case study above introduces, or the narrator's heading right
    above it names (an oral history's extract), else by no one."""
    start, end = chains[first][0], chains[last][1]
    signature = (_signature_below(text, chains[last + 1], set_apart, conventions)
                 if last + 1 < len(chains) and wholly_quoted(text, *chains[last]) else None)
    speaker = (signature or _speaker_above(text, start, end, conventions) or person_introduced_above(text, start)
               or narrator_heading(text, start) or UNATTRIBUTED)
    return make_quote(text, *strip_span(text, start, end), Anchor(start, start, speaker, None), inline=False)


def _never_closes(text: str, start: int, end: int) -> bool:
    opening = text.find(text[start:end].lstrip()[0], start)
    return closing_index(text, opening, end) is None


def _among_quoted_paragraphs(text: str, chains: Sequence[tuple[int, int]], index: int) -> bool:
    """Whether a wholly quoted paragraph stands in a list of them, one beside it long enough to be a
    quotation on its own: a short comment among others (`“The tea and biscuits. I’m serious.”`)."""
    if not wholly_quoted(text, *chains[index]):
        return False
    beside = [chains[other] for other in (index - 1, index + 1) if 0 <= other < len(chains)]
    return any(wholly_quoted(text, *span) and len(WORD.findall(text, *span)) >= MIN_UNATTRIBUTED_WORDS
               for span in beside)


def _signature_below(text: str, span: tuple[int, int], set_apart: set[tuple[int, int]],
                     conventions: Conventions) -> Attribution | None:
    """Who the paragraph below a wholly quoted one names: a signature after a dash (`— Amira, 14, young
    carer`); a label the layout sets apart, as it stands; else a label of parts (see
    `_label_paragraph_below`)."""
    start, end = span
    paragraph_end = text.find("\n\n", start, end)
    span = (start, end if paragraph_end < 0 else paragraph_end)  # a chain's first paragraph: the label's own
    label_span = strip_span(text, *span)
    signature = _SIGNATURE_PARAGRAPH.fullmatch(text, *label_span)
    if signature is not None:
        return _dash_signature(signature, conventions)
    if label_span in set_apart:
        return _signature_label(text[slice(*label_span)], conventions, with_number=True, alone=True)
    return _label_paragraph_below(text, span, conventions)


def _quoted_passages(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The quoted passages of paragraphs joined into one chain: each from its opening mark to its
    closing one, so words in no marks between them (a label, a remark) are no one's quotation; a
    passage that never closes runs to the chain's end. A later passage opens a line, or right after
    the one before, only a space between (`‘...at my age.’ ‘The wait was too long...’`)."""
    passages = []
    opening = text.find(text[start:end].lstrip()[0], start)
    while opening >= 0:
        closing = closing_index(text, opening, end)
        if closing is None:
            passages.append((opening, end))
            break
        passages.append((opening, closing + 1))
        following = _MARK_AFTER_SPACE.match(text, closing + 1, end) or _LINE_OPENING_MARK.search(text, closing + 1, end)
        opening = following.start("mark") if following else -1
    return passages


def _continued(text: str, start: int, end: int, following: int | None) -> bool:
    """A paragraph whose opening mark never closes, followed by a paragraph that opens with the same mark."""
    if following is None:
        return False
    opening = text.find(text[start:end].lstrip()[0], start)
    next_head = text[following:].lstrip()
    return bool(next_head) and next_head[0] == text[opening] and closing_index(text, opening, end) is None


def set_off_quotations(
    text: str, marks: Sequence[LayoutMark], found: list[Quote], conventions: Conventions
) -> list[Quote]:
    """Paragraphs the layout sets off as block quotations, with no marks and maybe no attribution.

    Layout alone also sets off reference lists, abstracts, tables and captions, so a block counts
    only after a lead-in (a colon, or a sentence naming a speaker), after another such block
    with nothing between, or when signed; a Markdown blockquote also counts in a document that
    quotes participants elsewhere. The respondent is a bracketed code on the line after it, or a
    signature closing it or below it, if any. Paragraphs set off alike with nothing between, only
    the last one signed, are one quotation of several paragraphs.
    """
    taken = Taken(found)
    quotes_people = any(quote.attribution is not None and quote.attribution.source_kind == "interview"
                        and quote.attribution.code for quote in found)
    quotes: list[Quote] = []
    spans = [_set_off_span(text, mark) for mark in marks]
    askers = _askers(text, spans)
    signatures = [_signature(text, *span, marks, index, conventions, found) for index, span in enumerate(spans)]
    stops = _run_stops(text, marks, spans, [signature is not None for _, signature in signatures], taken)
    run_end = -1
    index = -1
    while index + 1 < len(marks):
        index += 1
        mark = marks[index]
        start, end = spans[index]
        if mark.kind == RIGHT_ALIGNED or taken.overlaps(start, end):
            continue
        if is_narrator_headnote(text, start, end):
            continue
        last = stops[index]
        narrator = narrator_heading(text, start) if signatures[last][1] is None else None
        if narrator is not None:
            last = next((later - 1 for later in range(index + 1, last + 1) if marks[later].kind != mark.kind), last)
            run_end = signatures[last][0]
            quotes.extend(_signed_run(text, marks[index:last + 1], run_end, narrator))
            index = last
            continue
        if last > index and (signature := signatures[last][1]) is not None:
            run_end = signatures[last][0]
            if _only_on_record(signature):
                signature = _by(_speaker_above(text, start, spans[last][1], conventions), signature)
            quotes.extend(_signed_run(text, marks[index:last + 1], run_end, signature))
            index = last
            continue
        parts_end = _sentence_runs_on(text, marks, spans, index, taken)
        end, signature = signatures[parts_end]
        turns = _turns(text, start, end, conventions, signature)
        if turns and (_body_lead_in(text, start) or (run_end >= 0 and not text[run_end:start].strip())):
            quotes.extend(turns)
            run_end = end
            continue
        # A signature is evidence enough for a short block (`He didn't judge. He'd been there.`).
        min_words = MIN_WORDS_WITH_LABEL if signature is not None else MIN_UNATTRIBUTED_WORDS
        if _asked(text, start, askers):
            run_end = end if run_end >= 0 or _body_lead_in(text, start) else run_end
            continue
        bounded = signature is not None and mark.kind in (BLOCKQUOTE, QUOTE_STYLE)
        if not _reads_as_words(text[start:end], min_words, finished=not bounded) or in_reference(text, start, end):
            continue
        continues_run = run_end >= 0 and not text[run_end:start].strip()
        words_start, turn = _turn_label(text, start, conventions)
        labelled = turn is not None and IN_PERSON.search(text, words_start, end) is not None
        introduced = _body_lead_in(text, start) or continues_run or signature is not None or labelled
        if not (introduced or (mark.kind in (BLOCKQUOTE, QUOTE_STYLE) and quotes_people)):
            continue
        below = None if signature is not None else _attribution_below(text, end, conventions)
        attribution = signature if signature is not None and not _only_on_record(signature) else _by(
            turn or below or _speaker_above(text, start, end, conventions), signature) or UNATTRIBUTED
        quote = make_quote(text, words_start, end, Anchor(start, start, attribution, None), inline=False)
        if quote is not None:
            quotes.append(quote)
            run_end = end
            index = parts_end
    return quotes


def _speaker_above(text: str, start: int, end: int, conventions: Conventions) -> Attribution | None:
    """Who the words above a block spoken in person name as its speaker: the lead-in, else the heading
    of the narrator whose section it is in (see `section_narrator`)."""
    return (speaker_in_lead_in(text, start, conventions) or person_leading_in(text, start)
            or (section_narrator(text, start) if IN_PERSON.search(text, start, end) else None))


def _sentence_runs_on(text: str, marks: Sequence[LayoutMark], spans: Sequence[tuple[int, int]], index: int,
                      taken: Taken) -> int:
    """The index of the last block that the block at `index` runs on into: a block set off alike right
    after it, nothing between, that goes on in lower case where this one ends mid-sentence, as a page
    or column break cuts a block quotation (`... phoned them for me,` then `and that was ...`)."""
    last = index
    while last + 1 < len(marks):
        end = spans[last][1]
        following_start, following_end = spans[last + 1]
        if (not _cut_mid_sentence(text, end, following_start) or not _alike(marks[last].kind, marks[last + 1].kind)
                or text[end:following_start].strip() or taken.overlaps(following_start, following_end)):
            break
        last += 1
    return last


def _asked(text: str, start: int, askers: frozenset[str] = frozenset()) -> bool:
    """A block opening with an interviewer's label (`Interviewer:`, `Peer researcher:`), or the label
    of one who only asks (`askers`): the question put, not a respondent's words."""
    label = _OPENING_LABEL.match(text, start)
    if label is None:
        return False
    name = label.group("label")
    return name in askers or any(word in INTERVIEWER_WORDS for word in name.casefold().split())


def _askers(text: str, spans: Sequence[tuple[int, int]]) -> frozenset[str]:
    """Labels opening set-off turns that only ask (see `labels_that_only_ask`): the researcher's
    initials or name (`JH: ... Why is that?` then `Mohinder: ...`)."""
    labels = ((label.group("label"), start, end) for start, end in spans
              if (label := _OPENING_LABEL.match(text, start)) is not None)
    return frozenset(labels_that_only_ask((name, text[start:end].rstrip().endswith("?"))
                                          for name, start, end in labels))


def _turns(text: str, start: int, end: int, conventions: Conventions, signature: Attribution | None) -> list[Quote]:
    """The turns of an exchange set off as one block, a line each opening with its speaker's label
    (`Resident A: ...` then `Resident B: ...`), maybe under the group's label (the block's signature,
    or a label in brackets on its last line), which each turn's attribution keeps, its facets too:
    one quotation per turn, an interviewer's left out. Fewer than two labelled lines make no exchange."""
    group = signature.raw if signature is not None else None
    below = _GROUP_LINE.search(text, start, end)
    if below is not None and group is None:
        end, group = below.start(), below.group("label")
    openings: list[tuple[int, int, Attribution]] = []
    for line in _LINE_START.finditer(text, start, end):
        words_start, speaker = _turn_label(text, line.start(), conventions)
        if speaker is not None:
            openings.append((line.start(), words_start, speaker))
    if len(openings) < 2 or openings[0][0] != start:
        return []
    quotes = []
    ends = [turn_start for turn_start, _, _ in openings[1:]] + [end]
    for (turn_start, words_start, speaker), turn_end in zip(openings, ends):
        if _asked(text, turn_start):
            continue
        if group is not None:
            speaker = replace(speaker, raw=f"{speaker.raw} {group}",
                              facets={**shape_facets(strip_attribution(group)), **speaker.facets})
        quote = make_quote(text, words_start, strip_span(text, turn_start, turn_end)[1],
                           Anchor(turn_start, turn_start, speaker, None), inline=False)
        if quote is not None:
            quotes.append(quote)
    return quotes


def _turn_label(text: str, start: int, conventions: Conventions) -> tuple[int, Attribution | None]:
    """Where the words of a block opening with its speaker's label begin (`Tash: Your stuff...`, as
    an exchange set off from the body prints each turn), and the speaker; else the block's start."""
    label = _OPENING_LABEL.match(text, start)
    if label is None or names_no_speaker(label.group("label")):
        return start, None
    attribution = conventions.parse(label.group("label"))
    if not is_recognised(attribution):
        attribution = respondent_attribution(label.group("label"), label.group("label"))
    return label.end(), attribution


def signed_paragraphs(text: str, paragraphs: Paragraphs, marks: Sequence[LayoutMark], found: list[Quote],
                      conventions: Conventions) -> list[Quote]:
    """A paragraph whose next paragraph is only a signature: a quotation signed by it, with no marks
    and no layout to set it off, as a sidebar, a pull quote or a text saved from a report prints it.
    A signature after a dash (`— Bus driver, Wrexley depot`) signs any paragraph of sentences; a label
    the layout sets apart without a dash (in smaller type, aligned right: `Aisha Rahman, Southside
    Pantry`) signs one in the first or second person, as a caption or a byline below prose does not. Only the
    paragraph right above is signed, as nothing shows where words without marks began."""
    taken = Taken(found)
    set_apart = {strip_span(text, mark.start, mark.end): mark for mark in marks}
    quotes = []
    for index in range(1, len(paragraphs.spans)):
        label_span = strip_span(text, *paragraphs.spans[index])
        signature = _SIGNATURE_PARAGRAPH.fullmatch(text, *label_span)
        if signature is None and label_span not in set_apart:
            continue
        start, end = strip_span(text, *paragraphs.spans[index - 1])
        if taken.overlaps(start, end) or not _reads_as_words(text[start:end], MIN_WORDS_WITH_LABEL):
            continue
        if in_reference(text, start, end) or _SIGNATURE_PARAGRAPH.fullmatch(text, start, end):
            continue
        if signature is not None:
            attribution = _dash_signature(signature, conventions)
        elif label_span in set_apart and IN_PERSON.search(text[start:end]):
            attribution = _label_set_apart(text[slice(*label_span)], set_apart[label_span], conventions,
                                           names_parts=True)
        else:
            continue
        quote = None if attribution is None else make_quote(text, start, end, Anchor(start, start, attribution, None),
                                                            inline=False)
        if quote is not None:
            quotes.append(quote)
    return quotes


def _dash_signature(signature: re.Match[str], conventions: Conventions) -> Attribution | None:
    """Whom a signature after a dash names: a code the document knows, else the label as printed. A
    reference in brackets closing it (`(SR/OH/003, recorded March 2016)`), or a part saying when or
    how the words were collected (`interviewed by Lorna Friesen, July 9, 2019`), counts no words. A
    label opening with a code, or describing the speaker by sex and age, may describe them at more
    length (`P03, claiming for the first time, aged 55 to 64, Leicester`), as in `_signature_label`."""
    label = signature.group("label").strip()
    described = speaker_and_recording(label)[0]
    if SPEECH.search(label) or len(WORD.findall(described)) > label_words_allowed(described):
        return None
    raw = signature.group(0).strip()
    attribution = conventions.parse(raw)
    recording = attribution.source_kind == "document" and cites_a_recording(label)
    if (is_recognised(attribution) or attribution.source_kind == "document") and not recording:
        return attribution
    return respondent_attribution(raw, label)


def _label_set_apart(label: str, mark: LayoutMark, conventions: Conventions,
                     names_parts: bool = False) -> Attribution | None:
    """Whom a short label the layout sets apart names (in smaller type, aligned right; no dash): one
    of parts after a comma or a number (`Staff nurse, Ward 4`), as a run-in heading or a phrase set
    off alone is not; a line aligned right needs no parts (`Advanced clinical practitioner`), as
    headings are not set so. `names_parts` asks more of a label that is not aligned right, where it
    alone would make the paragraph above a quotation: a later part that is a name or a code (`Aisha
    Rahman, Southside Pantry`)."""
    alone = mark.kind == RIGHT_ALIGNED
    if names_parts and not (alone or _NAMED_PART.search(label)):
        return None
    return _signature_label(label, conventions, with_number=True, alone=alone)


def _set_off_span(text: str, mark: LayoutMark) -> tuple[int, int]:
    """A set-off block's span; one that breaks off mid-sentence runs on over the paragraph in lower
    case that finishes it (a PDF's last line of a block set apart: `...our numbers are` then `low.`)."""
    start, end = strip_span(text, mark.start, mark.end)
    if mark.kind == "emphasis":
        return strip_span(text, *_inside_emphasis(text, start, end))
    rest = _FINISHING_PARAGRAPH.match(text, end) if text[end - 1:end].isalnum() else None
    return (start, rest.end("words")) if rest is not None else (start, end)


def _signed_run(text: str, run: Sequence[LayoutMark], run_end: int, attribution: Attribution | None) -> list[Quote]:
    """A run of set-off paragraphs signed once at its end, ending at `run_end` (before the signature),
    as one quotation of several paragraphs by that signature, as a block quotation of one speaker's
    answer prints it; signed by a group (`Drop-in participants, Upper Wennington`, `Focus group 2`),
    each paragraph is one of its members' words, a quotation of its own under that signature. Block
    quotations that mark their own bounds (a web page's or Markdown's blockquotes, one mark each)
    are each a quotation of their own, the signature under the last meant for every one of them.
    Either way, a paragraph a break cut mid-sentence runs on into the next."""
    start = _set_off_span(text, run[0])[0]
    if attribution is None or not _reads_as_words(text[start:run_end], MIN_WORDS_WITH_LABEL) or in_reference(
            text, start, run_end):
        return []
    spans = [(start, run_end)]
    if all(mark.kind == BLOCKQUOTE for mark in run) or names_group(strip_attribution(attribution.raw)):
        spans = _sentences_joined(text, [(block_start, min(block_end, run_end)) for block_start, block_end in
                                         (_set_off_span(text, mark) for mark in run)])
    made = [make_quote(text, span_start, span_end, Anchor(span_start, span_start, attribution, None), inline=False)
            for span_start, span_end in spans if span_start < span_end]
    return [quote for quote in made if quote is not None]


def _sentences_joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraph spans with each one that ends mid-sentence joined to the next, which goes on in lower
    case: one paragraph a column or page break cut."""
    joined = [spans[0]]
    for start, end in spans[1:]:
        previous_start, previous_end = joined[-1]
        if _cut_mid_sentence(text, previous_end, start):
            joined[-1] = (previous_start, end)
        else:
            joined.append((start, end))
    return joined


def _cut_mid_sentence(text: str, end: int, following_start: int) -> bool:
    """Whether a paragraph ending at `end` stops mid-sentence and the one at `following_start` goes on
    in lower case: one paragraph that a page or column break cut."""
    return text[:end].rstrip()[-1:] not in _BLOCK_ENDS and text[following_start:following_start + 1].islower()


def _signature(text: str, start: int, end: int, marks: Sequence[LayoutMark], index: int,
               conventions: Conventions, found: list[Quote]) -> tuple[int, Attribution | None]:
    """The end of a block closed by `marks[index]` without its signature or the number of a note
    after its last sentence, and whom the signature or the note names: on its last line or below it,
    a label set off below it, or the code of the next block."""
    end, signature = _signed(text, start, end, conventions)
    if signature is None:
        end, signature = _bracketed_ending(text, start, end, conventions)
    if signature is None and (note := NOTE_ENDING_BLOCK.search(text, start, end)) is not None:
        end, signature = note.start(), conventions.notes.get(note_name(note))
    if signature is None and (reference := _REFERENCE_BELOW.match(text, end)) is not None:
        label = reference.group("label")
        signature = replace(UNATTRIBUTED, raw=label, facets={"provenance": collapse_spaces(label[1:-1])})
    if signature is None and index + 1 < len(marks):
        signature = _label_set_off_below(text, end, marks[index + 1], conventions)
    if signature is None and (below := _PARAGRAPH_BELOW.match(text, end)) is not None:
        signature = _label_paragraph_below(text, below.span("paragraph"), conventions, names_parts=True)
    if signature is None and index + 1 < len(marks):
        signature = _code_closing_the_run(text, end, marks[index + 1], marks[index].kind, found)
    if signature is None:
        signature = _label_between_blocks(text, start, end, marks, index, conventions)
    return end, signature


def _only_on_record(signature: Attribution) -> bool:
    """Whether a block's signature only says where its words are in a committee's or a hearing's record
    (`(Q 96)`): the speaker is the one its label or lead-in names."""
    return not signature.code and "provenance" in signature.facets


def _by(speaker: Attribution | None, reference: Attribution | None) -> Attribution | None:
    """The speaker, with the place in the record a signature gave, if any."""
    if speaker is None or reference is None:
        return speaker or reference
    return replace(speaker, facets={**speaker.facets, **reference.facets})


def _label_between_blocks(text: str, start: int, end: int, marks: Sequence[LayoutMark], index: int,
                          conventions: Conventions) -> Attribution | None:
    """The short label below a block spoken in person, where blocks set off alike and each labelled so
    take turns with their labels (a box of quotations: `...go with him.` / `Parent` / `When it works,
    ...` / `Pastoral lead, referring school`): the turns, not the label, show that it signs the block."""
    label = _short_label_below(text, end)
    if label is None or not IN_PERSON.search(text, start, end):
        return None
    after = index + 1 < len(marks) and _alike(marks[index].kind, marks[index + 1].kind) and not text[
        label[1]:_set_off_span(text, marks[index + 1])[0]].strip() and _labelled_in_person(text, marks[index + 1])
    before = index > 0 and _alike(marks[index].kind, marks[index - 1].kind) and _labelled_in_person(
        text, marks[index - 1], up_to=start)
    if not (after or before):
        return None
    return _signature_label(text[slice(*label)], conventions, with_number=True, alone=True)


def _short_label_below(text: str, end: int) -> tuple[int, int] | None:
    """The span of the paragraph right after `end`, when it is a short label (see `_SET_OFF_LABEL`)."""
    below = _PARAGRAPH_BELOW.match(text, end)
    if below is None:
        return None
    start, stop = strip_span(text, *below.span("paragraph"))
    label = text[start:stop]
    if not _SET_OFF_LABEL.fullmatch(label) or len(WORD.findall(label)) > MAX_SET_OFF_LABEL_WORDS:
        return None
    return start, stop


def _labelled_in_person(text: str, mark: LayoutMark, up_to: int | None = None) -> bool:
    """Whether a set-off block speaks in person and has a short label right below it (which ends,
    given `up_to`, right before that position)."""
    start, end = _set_off_span(text, mark)
    label = _short_label_below(text, end)
    return (label is not None and IN_PERSON.search(text, start, end) is not None
            and (up_to is None or not text[label[1]:up_to].strip()))


def _run_stops(text: str, marks: Sequence[LayoutMark], spans: Sequence[tuple[int, int]], signed: Sequence[bool],
               taken: Taken) -> list[int]:
    """For each block, the index of the block its run stops at: blocks set off alike with nothing
    between run on, up to the first that is signed, or the run's last. A signature set off alike
    (`— Jack Tomlinson` in italics between indented blocks) signs the block above; it opens no run."""
    stops = list(range(len(marks)))
    for index in range(len(marks) - 2, -1, -1):
        following_start, following_end = spans[index + 1]
        joined = (_alike(marks[index + 1].kind, marks[index].kind) and not text[spans[index][1]:following_start].strip()
                  and not taken.overlaps(following_start, following_end)
                  and not _SIGNATURE_PARAGRAPH.fullmatch(text, *spans[index]))
        if joined and not signed[index]:
            stops[index] = stops[index + 1]
    return stops


def _alike(kind: str, other: str) -> bool:
    """Blocks set off alike: the same way, or indented and italic, as a block quotation's short last
    paragraph, too short to show its indent, may be told by its italics alone."""
    return kind == other or {kind, other} <= _BLOCK_KINDS


def blocks_signed_once(text: str, found: list[Quote], marks: Sequence[LayoutMark]) -> list[Quote]:
    """Quotations in reading order, with the paragraphs of one speaker's block quotation, set off alike
    with nothing between and signed once at the end of the last by one speaker's code, joined into one
    quotation (see `_code_closing_the_run`): one answer printed in paragraphs. A group's code signs
    each paragraph as one member's words, a quotation of its own; so are block quotations that mark
    their own bounds (see `_signed_run`). A quotation signed at the end of such a block starts where
    the block does (see `_from_block_start`)."""
    joined: list[Quote] = []
    for quote in found:
        previous = joined[-1] if joined else None
        quote = _from_block_start(text, quote, previous, marks)
        if previous is not None and _one_answer(text, previous, quote, marks):
            joined[-1] = replace(previous, text=collapse_spaces(text[previous.char_start:quote.char_end]),
                                 char_end=quote.char_end)
        else:
            joined.append(quote)
    return joined


def _one_answer(text: str, previous: Quote, quote: Quote, marks: Sequence[LayoutMark]) -> bool:
    attribution = quote.attribution
    if (previous.inline or quote.inline or attribution is None or not attribution.code
            or previous.attribution != attribution or names_group(attribution.code)
            or text[previous.char_end:quote.char_start].strip()):
        return False
    kinds = [next((mark.kind for mark in marks if mark.start <= position < mark.end), None)
             for position in (previous.char_start, quote.char_start)]
    return kinds[0] is not None and kinds[1] is not None and kinds[0] != BLOCKQUOTE and _alike(kinds[0], kinds[1])


def _from_block_start(text: str, quote: Quote, previous: Quote | None, marks: Sequence[LayoutMark]) -> Quote:
    """A quotation found in the last paragraph of a block quotation that marks its own bounds (a web
    page's `<blockquote>` of several paragraphs, signed below the last), running from the block's
    start: the block holds one quotation unless another was found in it, or it opens with a label."""
    if quote.inline:
        return quote
    mark = next((mark for mark in marks if mark.kind == BLOCKQUOTE and mark.start <= quote.char_start < mark.end), None)
    if mark is None:
        return quote
    start = quote.char_start - len(text[mark.start:quote.char_start].lstrip(OPENING_MARKS + " \t\n"))
    if (start >= quote.char_start or (previous is not None and previous.char_end > start)
            or _OPENING_LABEL.match(text, start)):
        return quote
    return replace(quote, text=collapse_spaces(text[start:quote.char_end]), char_start=start)


def _code_closing_the_run(text: str, end: int, following: LayoutMark, kind: str,
                          found: list[Quote]) -> Attribution | None:
    """The respondent of the next set-off paragraph, when it follows this one with nothing between,
    is set off alike and closes with the code (a block quotation of two paragraphs, or one broken by
    a column or page, signed once at its end)."""
    start = strip_span(text, following.start, following.end)[0]
    if following.kind != kind or text[end:start].strip():
        return None
    for quote in found:
        attribution = quote.attribution
        if (quote.char_start == start and not quote.inline and attribution is not None
                and attribution.source_kind == "interview" and attribution.code):
            return attribution
    return None


def _inside_emphasis(text: str, start: int, end: int) -> tuple[int, int]:
    """A paragraph without the emphasis marks around it that cleaning kept (`_..._`)."""
    while start < end and text[start] in "_*":
        start += 1
    while end > start and text[end - 1] in "_*":
        end -= 1
    return start, end


def _reads_as_words(block: str, min_words: int, finished: bool = True) -> bool:
    """Whole sentences of at least `min_words` words: not a list, an entry, a table, a caption or a
    wrapped line. A block whose bounds the file marks, signed below, need not end as a sentence does
    (`finished`): a review or a message quoted as typed (`...feels like being mugged by my own app`)."""
    words = WORD.findall(block)
    ending = _TRANSCRIBERS_NOTE_ENDING.sub("", block)
    if len(words) < min_words or block[0].islower() or not ending or (finished and ending[-1] not in _BLOCK_ENDS):
        return False
    if "\t" in block:
        return False
    if _LIST_OR_ENTRY.search(block) or REFERENCE.search(block):
        return False
    return sum(word.isdigit() for word in words) <= MAX_NUMBER_SHARE * len(words)


def _body_lead_in(text: str, start: int) -> bool:
    """The line before ends with a colon or names a speaker, and is prose: not a list item or entry
    (a numbered paragraph is prose), nor a run-in heading of a word or two opening its paragraph
    (`Summary:`, `Key findings:`; a sentence's last word wrapped alone onto its line is none) unless it
    speaks (`She said:`)."""
    before = text[:start].rstrip()
    line = before[before.rfind("\n") + 1:]
    if not line or (_LIST_OR_ENTRY.match(line) and not _NUMBERED_PARAGRAPH.match(line)):
        return False
    if lead_in_role(before[-300:]) is not None:
        return True
    opens_paragraph = len(line) == len(before) or before[:len(before) - len(line)].endswith("\n\n")
    heading = opens_paragraph and _RUN_IN_HEADING.fullmatch(line) and not ENDS_IN_SPEECH.search(line)
    return ends_lead_in(text, start) and not heading


def _attribution_below(text: str, end: int, conventions: Conventions) -> Attribution | None:
    """A respondent code on the line right after a block: `(Participant 4)`."""
    match = _CODE_BELOW.match(text, end)
    if match is None:
        return None
    attribution = conventions.parse(match.group("code"))
    return attribution if is_recognised(attribution) and attribution.source_kind == "interview" else None


def _signed(text: str, start: int, end: int, conventions: Conventions) -> tuple[int, Attribution | None]:
    """The block's end without a signature on its last line, and whom a signature there or on the
    line below names (see `_dash_signature`)."""
    ending = _SIGNATURE_ENDING.search(text, start, end)
    below = None if ending else _SIGNATURE_BELOW.match(text, end)
    signature = ending or below
    attribution = None if signature is None else _dash_signature(signature, conventions)
    if attribution is None:
        return end, None
    return (strip_span(text, start, ending.start())[1] if ending else end), attribution


def _bracketed_ending(text: str, start: int, end: int, conventions: Conventions) -> tuple[int, Attribution | None]:
    """The block's end without a label in brackets closing its last sentence, and whom the label
    names: a code the document knows, else a label of parts after a comma (`... come back. (Business
    owner, Eastgate Road)`), of a few words describing the speaker (`(Samoan mother of four)`), or a
    name the document gives someone (`(Tomasz)`), maybe wrapped over two lines; a cross-reference
    (`(see Table 2)`, `(Figure 3)`) or a file's size (`(PDF 2311 kb)`) names nobody."""
    ending = _BRACKETED_ENDING.search(text, start, end)
    if ending is None or _NOT_A_SPEAKER_LABEL.match(ending.group("label")[1:]):
        return end, None
    raw = " ".join(ending.group("label").split())
    parsed = conventions.parse(raw)
    known = is_recognised(parsed) and parsed.source_kind in ("interview", "document")
    described = len(WORD.findall(raw)) >= MIN_DESCRIPTION_WORDS
    attribution = parsed if known else _signature_label(raw, conventions, with_number=False, alone=described)
    if attribution is None and _named_elsewhere(text, raw[1:-1]):
        attribution = respondent_attribution(raw, raw[1:-1])
    return (ending.start(), replace(attribution, raw=raw)) if attribution is not None else (end, None)


def _named_elsewhere(text: str, label: str) -> bool:
    """Whether a label is one person's name that the document also gives outside brackets (`Tomasz,
    who had taken the job as a stopgap, described ...`): the pseudonym of someone it quotes."""
    return (" " not in label and person_named(label) is not None
            and text.count(label) > text.count(f"({label})") + text.count(f"[{label}]"))


def _label_set_off_below(text: str, end: int, mark: LayoutMark, conventions: Conventions) -> Attribution | None:
    """The block's signature when the layout sets a short label apart on its own line right after it
    (see `_label_set_apart`)."""
    start, label_end = strip_span(text, mark.start, mark.end)
    if text[end:start].strip():
        return None
    return _label_set_apart(text[start:label_end], mark, conventions)


def _label_paragraph_below(text: str, span: tuple[int, int], conventions: Conventions,
                           names_parts: bool = False) -> Attribution | None:
    """Who the paragraph after a quoted paragraph names, when it is only a short label of parts
    (`Service user, North locality`, `Carer 4, rural area`): the quotation's signature, as call-out
    boxes print it. With no layout to set it off, a number alone (`Phase 2`) is a heading's, so the
    label needs a comma, or a code this document uses.

    `names_parts` asks more, where the label alone would make a block a quotation: a later part
    that is a name or a code (`Clinical director, Area 1`), as a heading's list (`Barriers,
    enablers and outcomes`) is not, or a shape the document signs its quotations with (`(Dave,
    driver)` where pseudonyms with roles recur)."""
    start, end = strip_span(text, *span)
    label = text[start:end]
    if names_parts and not (_NAMED_PART.search(label) or conventions.vocabulary.knows(strip_attribution(label))):
        return None
    return _signature_label(label, conventions, with_number=conventions.vocabulary.knows(label))


def _signature_label(label: str, conventions: Conventions, with_number: bool,
                     alone: bool = False) -> Attribution | None:
    """A short label of parts read as a signature: a comma, or a number where `with_number`, and no
    sentence or speech in it; a label whose place alone makes it a signature (`alone`) needs no parts.
    A label opening with a code or a person's full name (`Dr Priya Raman, Curator of Social History`),
    in brackets or alone in its place may describe the speaker at more length, and one that describes
    them by sex and age (`Female, 25-34, Bristol, lapsed after 3 weeks`) at more length still; one in
    brackets is read inside them."""
    bracketed = _BRACKETS.get(label[:1]) == label[-1:]
    if bracketed:
        label = label[1:-1].strip()
    parts = "," in label or (with_number and _DIGIT.search(label))
    # Who spoke; when they were recorded, by whom, and where in the archive say nothing of them.
    described, recording = speaker_and_recording(label)
    if not _SET_OFF_LABEL.fullmatch(described) or not (parts or alone):
        return None
    first_part = label.split(",")[0]
    named = named_in_full(first_part)
    longer = opens_with_code(label) or bracketed or alone or named
    longest = MAX_LABEL_WORDS if longer else MAX_SET_OFF_LABEL_WORDS
    if describes_speaker(label):
        longest = MAX_DESCRIBING_LABEL_WORDS
    if SPEECH.search(described) or len(WORD.findall(described)) > longest:
        return None
    attribution = conventions.parse(label)
    if is_recognised(attribution):
        return attribution
    if described != label and _ARCHIVE_NUMBER_OPENING.match(label):
        return replace(respondent_attribution(label, described),
                       facets={**shape_facets(described), "provenance": ", ".join(recording)})
    return respondent_attribution(label, label)


def _back_to_back(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a paragraph of several speakers' words where a new mark opens before the last one closed.

    Notes of a group discussion run quotations together (`...a choice. "Yeah because ...`); each
    opening mark after a sentence end, with the previous passage still open, starts a quotation.
    """
    pieces, piece_start = [], start
    for mark in _UNCLOSED_RESTART.finditer(text, start, end):
        opening = mark.start("open")
        if closing_index(text, text.find(text[piece_start:].lstrip()[0], piece_start), opening) is None:
            pieces.append((piece_start, mark.start("open")))
            piece_start = opening
    pieces.append((piece_start, end))
    return pieces




def in_reference(text: str, start: int, end: int) -> bool:
    """Whether the passage sits in a bibliography entry (a DOI, a link, volume and pages)."""
    before = text.rfind("\n\n", 0, start)
    after = text.find("\n\n", end)
    paragraph = text[before + 1:after if after >= 0 else len(text)]
    if _YEAR_BEFORE_TITLE.search(text[max(before + 1, start - 40):start]):
        return True
    return bool(REFERENCE.search(paragraph) or _VOLUME.search(paragraph) or _NUMBERED_ENTRY.match(paragraph))
