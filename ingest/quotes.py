"""Find verbatim quotations in a normalised document text and the attribution each one carries.

A quotation is anchored on its attribution: a respondent code, a citation, or a short label in
the place where reports put one (right after closing quotation marks, or at the end of a
stand-alone paragraph). Working outward from the anchor keeps scare quotes ('red bag'), plain
citations and example codes in a methods section out, and it does not depend on where a loader
broke lines: paragraphs are only used as hints, and a quotation may run over page breaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.attribution import SIGNATURE_DASH, SchemeSet, is_recognised, load_schemes, strip_attribution
from ingest.attribution_vocabulary import (
    INSIDE_MARKS,
    POINTER,
    PSEUDONYM_MARKER,
    RECORDING_PLACE,
    TRANSCRIPT_REFERENCE,
    TURN_PREFIX,
    VOCABULARY_SCHEME,
    induce_vocabulary,
    is_transcript_reference,
    label_shapes,
    label_words_allowed,
    respondent_attribution,
    shape_facets,
)
from ingest.hearing_answers import hearing_answers
from ingest.inline_quotes import MIN_QUOTES_FOR_INLINE, inline_unattributed, is_prompt
from ingest.interrupted_quotes import interrupted_quotations
from ingest.interview_notes import NOTE_MARKER, interview_notes, note_name
from ingest.lead_in import SPEECH_VERBS, closing_mark_before_tag, lead_in_role, named_in_full
from ingest.list_quotes import quoted_list_items
from ingest.narrator_headings import is_narrator_headnote
from ingest.pull_quotes import without_pull_quote_repeats
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
    as_printed,
    closing_index,
    continues_previous,
    ends_lead_in,
    find_opening_mark,
    in_curly_marks,
    is_closing,
    is_opening,
    make_quote,
    wholly_quoted,
)
from ingest.records import Attribution, LayoutMark, Quote
from ingest.respondent_identity import identified_respondents
from ingest.role_turns import role_turn_quotations
from ingest.sentence_speakers import (
    person_or_antecedent_speaking,
    person_speaking,
    speaker_in_lead_in,
    speaker_in_sentence,
)
from ingest.table_quotes import table_quotations
from ingest.text.lead_ins import last_sentence
from ingest.text.paragraphs import LIST_ITEM, LIST_ITEM_START, list_items
from ingest.text.sentences import SUPERSCRIPT_DIGITS, sentence_starts
from ingest.text.whitespace import collapse_spaces, strip_span
from ingest.transcript import CAPTION_LABEL, IN_PERSON, exchange_quotations, labels_that_only_ask
from ingest.unattributed_quotes import (
    blocks_signed_once,
    other_answers_in_lists,
    set_off_quotations,
    signed_paragraphs,
    unattributed_quotations,
)

# A raw label is only an attribution when it is short, like a code or a role (see `label_words_allowed`).
MAX_LABEL_CHARS = 80
# Quoted words needed before a citation makes a quotation rather than a cited term.
MIN_WORDS_WITH_PAGE = 3
MIN_WORDS_WITHOUT_PAGE = 3

_ATTRIBUTION = re.compile(
    rf"(?=[\^(\[{{{SUPERSCRIPT_DIGITS}])"
    rf"(?P<sup>\^\{{[^{{}}\n]{{1,30}}\}}|[{SUPERSCRIPT_DIGITS}]+(?:[,–-][{SUPERSCRIPT_DIGITS}]+)*)?"
    r"(?(sup)[ \t]?)"
    r"(?P<bracket>\((?:[^()\[\]\n]|\n(?!\s*\n)){1,120}\)|\[(?:[^()\[\]\n]|\n(?!\s*\n)){1,120}\]"
    r"|\{[^{}()\[\]\n]{1,40}\})?"
)
# A quotation and its speaker in one bracketed aside: `(“we live from one bid to the next”, Site South,
# practice nurse)`, `("they need supervision" – clinical lead, Leeds)`.
_ASIDE = re.compile(
    r"\([ \t]*[“‘\"'](?:[^()\n]|\n(?!\s*\n)){3,400}?(?P<closing>[”’\"'])[ \t]*(?:,|[—–-])[ \t]*"
    r"(?P<label>[A-Za-z][^()\n“”\"]{0,60}?)[ \t]*\)"
)
# A role before a code in a signature below a quotation: `Health visitor (PR-05)`.
_ROLE_BEFORE_CODE = re.compile(r"[A-Z][a-z’'-]+(?:[ \t]+[a-z][a-z’'-]*){0,3}")
# The words of a label of parts alone on the line below a closing mark, read as its signature.
MAX_LABEL_BELOW_WORDS = 5
# A footnote number of one to three digits glued to a closing mark.
_FOOTNOTE_AFTER_MARK = re.compile(r"[”’\"]\d{1,3}$")
# A character of a label: no sentence's stop, bracket, mark or dash, but for a range of figures (`aged 35–44`).
_LABEL_CHARACTER = r"(?:[^\n.!?…—–()\[\]“”\"]|(?<=\d)[–.](?=\d))"
# A label closing a quotation's line: after a dash (where it may open in lower case: `– participant 7,
# applying for herself`), a space or on the line below; never after a tab, which makes it a table's cell.
_LINE_END_LABEL = re.compile(
    r"(?P<lead>[.!?…”’\"'])"
    rf"(?:[ \t]*(?P<dash>(?:\n(?:[ \t]*\n)?)?[ \t]*{SIGNATURE_DASH}|\s-)[ \t]*|[ ]+|[ \t]*(?P<below>\n)[ \t]*)"
    rf"(?P<label>(?(dash)[A-Za-z]|[A-Z]){_LABEL_CHARACTER}{{1,{MAX_LABEL_CHARS}}}?"
    rf"(?:[ \t]*\({PSEUDONYM_MARKER}\){_LABEL_CHARACTER}{{0,40}}?)?)"
    # A signature after a dash may close with the place in the recording: `— Ann Wiebe, 2019 [00:12:40]`.
    rf"(?(dash)(?:[ \t]*\[(?P<recording>{RECORDING_PLACE})\])?)"
    # Where the line ends; a signature after a dash may also end its sentence inside a paragraph.
    r"(?:[ \t]*\)?[ \t]*\.?[ \t]*$|(?(dash)(?P<mid>\.)(?=[ \t]+[A-Z“‘\"])|(?!)))",
    re.MULTILINE,
)
# A signature's dash and label opening the line a code in brackets closes.
_DASH_SIGNATURE_OPENING = re.compile(rf"[ \t]*(?P<dash>{SIGNATURE_DASH})[ \t]*(?P<label>[A-Z][^\n()\[\]]*)$")
# Text ending a sentence, maybe with a closing mark or a bracket after its stop.
_SENTENCE_ENDED = re.compile(r"[.!?…][”’\"')\]]?$")
# A speaker's label after a sentence's end inside an unmarked turn: the next turn, its line break lost.
_TURN_AFTER_SENTENCE = re.compile(r"(?<=[.!?…])[ \t\n]+(?P<label>[A-Z][\w-]{0,15}):[ \t]+(?=\S)")
# A numbered speaker's label opening a turn (`Nurse 1: `, `P3: `), and one after a sentence's end.
_NAMED_TURN = r"(?P<label>[A-Z][a-z]{1,15}[ \t]\d{1,3}|[A-Z]{1,3}\d{1,3}(?:-[A-Z]{1,3}\d{1,3})?):[ \t]+(?=\S)"
_OPENING_TURN_LABEL = re.compile(rf"[ \t]*{_NAMED_TURN}")
_NAMED_TURN_AFTER_SENTENCE = re.compile(rf"(?<=[.!?…])[ \t\n]+{_NAMED_TURN}")
# Paragraphs a quotation opened in one paragraph and closed in a later one may hold between the two.
MAX_PARAGRAPHS_BETWEEN_MARKS = 3
# Marks that open or close a quotation, leaving out apostrophes (`don’t`), which may stand between.
_QUOTING_MARK = re.compile(r"[“”\"‘]")
# A line after a dashed one that opens with a dash or bullet too: the dashed line was a list's item.
_LIST_GOES_ON = re.compile(r"[ \t]*\n[ \t]*[—–•-][ \t]")
# A blank line, or a Markdown fence line (```{admonition} Quote, :::), which bounds a block.
_PARAGRAPH_BREAK = re.compile(r"(?:\n[ \t]*\n|^[ \t]*(?:`{3,}|:{3,})[^\n]*(?:\n|$))+", re.MULTILINE)
_PAGE = re.compile(r"(?<![A-Za-z])(?:pp?\.?|pages?)\s*\d+")
# Editorial notes and cross-references in brackets; pointers (`e.g.`, `see`) are attribution_vocabulary.POINTER.
_NOT_A_LABEL = re.compile(
    r"^(?:table|figure|fig|box|appendix|section|chapter|emphasis|sic|original|note)\b", re.IGNORECASE
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{0,7}?[A-Z][A-Za-z&]{0,7}$|^[A-Z]{2,}s$")
_SPEECH_TAIL = re.compile(rf"\b(?:{SPEECH_VERBS}|as follows|thus|below)\s*$", re.IGNORECASE)
_COLON = re.compile(r":[ \t]*\n?[ \t]*(?=\S)")
_EXAMPLE_BEFORE = re.compile(r"(?:e\.\s?g\.?|i\.\s?e\.?|for example|such as|referred to as|coded as)\s*\S*\s*$", re.I)
_BRACKETED_PREFIX = re.compile(r"^[ \t]*(?P<attr>\((?:[^()\n]){1,120}\)|\[(?:[^\[\]\n]){1,120}\])[ \t]*[:—–-]?[ \t]*")
# A label before the words, on the same line or alone on the line above a quoted passage, maybe as a
# list's item (`- Outreach worker, voluntary sector: “...”`).
_CODE_PREFIX = re.compile(
    r"^[ \t]*(?:[-–•*\uf0b7][ \t]+)?(?P<attr>(?P<head>[A-Z][\w ,.;/’'+-]{0,60}?)(?:[ \t]*\([^()\n]{1,40}\))?)"
    rf"(?:[ \t]+(?:{SPEECH_VERBS}))?[ \t]*[:—–]"
    r"(?:[ \t]*\n?[ \t]*(?=[“‘\"])|[ \t]+|[ \t]*$)"
)
# What may stand between two quotations of one sentence by one speaker, in characters; and what may not:
# a sentence's end, a capitalised word (another speaker's name), a mark or a bracket.
MAX_CARRIED_GAP = 200
# Words a sentence may go on for after the words it quotes before the code that ends it.
MAX_WORDS_BEFORE_CODE = 8
# A stop ending a sentence.
_SENTENCE_STOP = re.compile(r"[.!?][”’\"]?\s")
# Only the speech tag of the quotation before, ending its sentence, between two quotations: the next
# sentence in marks goes on in the same voice (`“...,” says Margaret, who is 81. “You don't ...”`).
_ONLY_A_TAG = re.compile(rf"[,.!?…]?[”’\"][ \t]+(?:{SPEECH_VERBS})[ \t]+[^“”\"\n.!?]{{1,80}}[.!?][ \t]+[“‘\"]")
_NAMES_OR_ENDS = re.compile(r"[.!?…]\s|\b(?!I\b)[A-Z]|[“”\"‘’()\[\]]|\n\s*\n")
# A reference into the record in brackets after a quotation (`(Q 101)`), which names no one.
_BRACKETED_REFERENCE = re.compile(rf"[ \t]*[(\[](?:{TRANSCRIPT_REFERENCE})[)\]]", re.IGNORECASE)
# A word of letters, not a figure.
_WORD_OF_LETTERS = re.compile(r"[A-Za-z][A-Za-z’'-]*")
# Two quoted passages joined by punctuation only: `...good…”, “a burden...`, `...CTAs”…“Placing...`.
# A sentence pairing its quotations with the codes after them in order.
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# How far back a sentence giving quotations `respectively` is read, in characters.
MAX_RESPECTIVE_CHARS = 600
_JUNCTION = re.compile(r"(?P<close>[”\"’'])[ \t]*(?:[,;…]|\.{3})?[ \t]*(?P<open>[“\"‘'])(?=\S)")


def find_quotes(text: str, schemes: SchemeSet | None = None, set_off: Sequence[LayoutMark] = ()) -> list[Quote]:
    """Every attributed quotation in `text`, in reading order, located exactly by offsets.

    `set_off` are the spans the layout set off from the body text (see `ingest.layout_marks`).
    Guillemets are read as the curly marks they stand for; each quotation's words are as printed.
    """
    printed, text = text, in_curly_marks(text)
    conventions = Conventions(schemes or load_schemes(), induce_vocabulary(text), interview_notes(text))
    paragraphs = split_paragraphs(text)
    found: list[Quote] = []
    floor = 0
    for anchor in find_anchors(text, conventions, paragraphs):
        found.extend(_respective_speakers(text, anchor, conventions) or [
            _named_before_reference(text, quote, anchor, conventions)
            for quote in quotes_for_anchor(text, anchor, paragraphs, floor)])
        floor = anchor.end
    found.extend(quotes_after_leading_attribution(text, conventions, paragraphs, found))
    taken = Taken(found)
    found.extend(quote for quote in exchange_quotations(text) if not taken.overlaps(quote.char_start, quote.char_end))
    found.extend(quote for quote in hearing_answers(text) if not taken.overlaps(quote.char_start, quote.char_end))
    found.extend(role_turn_quotations(text, paragraphs, found))
    found.extend(interrupted_quotations(text, found, conventions))
    found.extend(table_quotations(text, found, conventions))
    found.extend(unattributed_quotations(text, paragraphs, found, conventions, set_off))
    found.extend(other_answers_in_lists(text, paragraphs, found))
    found.extend(quoted_list_items(text, paragraphs, found, conventions))
    set_off_quotes = set_off_quotations(text, set_off, found, conventions)
    # Blocks set off by layout alone show a document quoting people only where they are signed.
    quotes_elsewhere = len(found) + sum(bool(quote.attribution and quote.attribution.code) for quote in set_off_quotes)
    found.extend(set_off_quotes)
    found.extend(signed_paragraphs(text, paragraphs, set_off, found, conventions))
    found.extend(inline_unattributed(text, found, conventions, named_only=quotes_elsewhere < MIN_QUOTES_FOR_INLINE))
    found = [quote for quote in found if not (REFERENCE.search(quote.text) or is_prompt(quote) or (
        not quote.inline and is_narrator_headnote(text, quote.char_start, quote.char_end)))]
    found = _speakers_carried_on(text, sorted(found, key=lambda quote: quote.char_start))
    found = without_pull_quote_repeats(blocks_signed_once(text, found, set_off), set_off)
    found = identified_respondents(found, conventions.vocabulary)
    if printed != text:
        found = [as_printed(quote, printed) for quote in found]
    return [_renumbered(quote, ordinal) for ordinal, quote in enumerate(found, start=1)]


def _respective_speakers(text: str, anchor: Anchor, conventions: Conventions) -> list[Quote]:
    """Quotations a sentence gives `respectively`, one code each in the bracket closing it (`...as,
    respectively, ‘my Thursday church’, ‘cheaper than therapy’ and ‘...’ (FG1-P2, FG1-P5, FG1-P6)`):
    each passage in marks is the speaker in the same place in the bracket. Nothing where the sentence
    does not say so, or where passages and codes do not pair off."""
    raw = anchor.attribution.raw.strip()
    if raw[:1] not in "([" or anchor.closing_mark is None:
        return []
    codes = [part.strip() for part in re.split(r"[,;]", strip_attribution(raw)) if part.strip()]
    before = text[max(0, anchor.start - MAX_RESPECTIVE_CHARS):anchor.start]
    starts = sentence_starts(before)
    sentence_start = anchor.start - len(before) + (starts[-1] if starts else 0)
    if len(codes) < 2 or not _RESPECTIVELY.search(text, sentence_start, anchor.start):
        return []
    speakers = [replace(conventions.parse(f"({code})"), raw=raw) for code in codes]
    if not all(is_recognised(speaker) and speaker.source_kind == "interview" for speaker in speakers):
        return []
    passages = _marked_passages(text, sentence_start, anchor.start)
    if len(passages) != len(speakers):
        return []
    made = [make_quote(text, start, end, replace(anchor, attribution=speaker), inline=True)
            for (start, end), speaker in zip(passages, speakers)]
    return [quote for quote in made if quote is not None]


def _marked_passages(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The passages in marks between `start` and `end`, each from after its opening mark to its closing one."""
    passages = []
    position = start
    while position < end:
        opening = next((i for i in range(position, end) if text[i] in OPENING_MARKS and is_opening(text, i)), None)
        closing = None if opening is None else closing_index(text, opening, end)
        if opening is None or closing is None:
            break
        passages.append((opening + 1, closing))
        position = closing + 1
    return passages


def _speakers_carried_on(text: str, found: list[Quote]) -> list[Quote]:
    """Quotations in reading order, an inline one that names no one taking the speaker of the inline
    quotation before it in the same sentence, where no one else is named between them (`Mr Selby
    acknowledged that notification was "not always ...", but told us that his teams were making
    "upwards of forty ..."`), or in the sentence after the one its speech tag ends (`“...,” says
    Margaret, who is 81. “You don't notice ...”`)."""
    carried = list(found)
    for index in range(1, len(carried)):
        previous, quote = carried[index - 1], carried[index]
        speaker = previous.attribution
        if (speaker is None or not speaker.code or not (quote.inline and previous.inline) or quote.lead_in_role
                or _code(quote)):
            continue
        between = _BRACKETED_REFERENCE.sub("", text[previous.char_end:quote.char_start]).strip(
            CLOSING_MARKS + OPENING_MARKS + " ")
        same_sentence = len(between) <= MAX_CARRIED_GAP and not _NAMES_OR_ENDS.search(between)
        if same_sentence or _ONLY_A_TAG.fullmatch(text, previous.char_end, quote.char_start):
            carried[index] = replace(quote, attribution=_speaker_of(speaker, quote.attribution))
    return carried


def _speaker_of(speaker: Attribution, own: Attribution | None) -> Attribution:
    """`speaker`'s attribution for a quotation whose own says only where its words are in the record."""
    facets = {key: value for key, value in speaker.facets.items() if key != "provenance"}
    if own is not None and "provenance" in own.facets:
        facets["provenance"] = own.facets["provenance"]
    return replace(speaker, facets=facets)


def split_paragraphs(text: str) -> Paragraphs:
    """Spans of the blocks between blank lines and Markdown fences."""
    spans = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip() or not spans:
        spans.append((start, len(text)))
    return Paragraphs(tuple(spans))


# --- anchors -------------------------------------------------------------------------------------


def find_anchors(text: str, conventions: Conventions, paragraphs: Paragraphs) -> list[Anchor]:
    """Attributions standing where an attribution goes, in reading order, without overlaps."""
    notes = _note_anchors(text, conventions)
    cited = {anchor.start for anchor in notes}  # a note citing an interview outranks a bare superscript
    candidates = [*notes, *(anchor for anchor in [
        *_bracket_anchors(text, conventions, paragraphs), *_line_end_anchors(text, conventions, paragraphs),
        *_aside_anchors(text, conventions)] if anchor.start not in cited)]
    candidates.sort(key=lambda anchor: (anchor.start, -anchor.end))
    anchors: list[Anchor] = []
    for anchor in candidates:
        if not anchors or anchor.start >= anchors[-1].end:
            anchors.append(anchor)
    return anchors


def _note_anchors(text: str, conventions: Conventions) -> list[Anchor]:
    """Footnote numbers after a closing mark whose note cites an interview: `...not after”.2`."""
    anchors = []
    for marker in NOTE_MARKER.finditer(text):
        attribution = conventions.notes.get(note_name(marker))
        closing = marker.start("closing")
        if attribution is not None and is_closing(text, closing):
            anchors.append(Anchor(closing + 1, marker.end(), attribution, closing))
    return anchors


def _bracket_anchors(text: str, conventions: Conventions, paragraphs: Paragraphs) -> list[Anchor]:
    anchors = []
    for match in _ATTRIBUTION.finditer(text):
        if match.start() == match.end() or not (match.group("sup") or match.group("bracket")):
            continue
        raw = match.group(0)
        attribution = conventions.parse(raw)
        if not is_recognised(attribution) and is_transcript_reference(strip_attribution(raw)):
            attribution = replace(attribution, code=None, source_kind="interview")  # oral evidence: `(Q 101)`
        elif not is_recognised(attribution) and match.group("bracket") and _signs_after_dash(text, match.start()):
            label = strip_attribution(raw)
            if _looks_like_label(label, text, match.start()):
                attribution = respondent_attribution(raw, label)  # a signature names whoever spoke
        start = match.start()
        signature = _DASH_SIGNATURE_OPENING.match(text, text.rfind("\n", 0, start) + 1, start)
        if (signature is not None and match.group("bracket") and is_recognised(attribution) and attribution.code
                and named_in_full(signature.group("label").split(",")[0])):
            start = signature.start("dash")  # the code closes a signature: `— Ann Hollins, 2022 (CV/OH/07)`
            attribution = replace(attribution, raw=text[start:match.end()].strip())
        anchor = _accepted_anchor(text, start, match.end(), attribution, paragraphs)
        if anchor is None and attribution.source_kind == "interview" and match.group("bracket"):
            anchor = _role_and_code_below(text, match.start(), match.end(), attribution, paragraphs)
        if anchor is not None:
            anchors.append(anchor)
    return anchors


def _signs_after_dash(text: str, start: int) -> bool:
    """Whether only a dash opens the line before `start`, below a closing mark: `— [KI-3]`."""
    line_start = text.rfind("\n", 0, start) + 1
    return text[line_start:start].strip() in ("—", "–") and _closing_mark_before(text, start) is not None


def _role_and_code_below(text: str, start: int, end: int, attribution: Attribution,
                         paragraphs: Paragraphs) -> Anchor | None:
    """A signature of a role and a code alone below a closing mark, as call-out boxes print it
    (`...chase us.”` then `Health visitor (PR-05)`): the code attributes the quotation above, the role
    is its facet."""
    line_start = text.rfind("\n", 0, start) + 1
    paragraph_start, paragraph_end = strip_span(text, *paragraphs.spans[paragraphs.index_at(start)])
    role = text[line_start:start].strip()
    if text[end:paragraph_end].strip() or not _ROLE_BEFORE_CODE.fullmatch(role):
        return None
    closing = _closing_mark_before(text, line_start)
    if closing is None or (line_start > paragraph_start and text[paragraph_start] not in OPENING_MARKS):
        return None
    return Anchor(line_start, end, replace(attribution, facets={**attribution.facets, "role": role}), closing)


def _aside_anchors(text: str, conventions: Conventions) -> list[Anchor]:
    """Speakers named after the quotation inside one bracketed aside, by code or by a label."""
    anchors = []
    for match in _ASIDE.finditer(text):
        closing = match.start("closing")
        label = match.group("label")
        if not is_closing(text, closing) or _quoted_word_count(text, closing) < MIN_WORDS_WITH_LABEL:
            continue
        attribution = conventions.parse(label)
        if not (is_recognised(attribution) and attribution.source_kind == "interview"):
            if not _looks_like_label(label[:1].upper() + label[1:], text, closing):
                continue
            attribution = respondent_attribution(label, label)
        anchors.append(Anchor(match.start("label"), match.end("label"), attribution, closing))
    return anchors


def _line_end_anchors(text: str, conventions: Conventions, paragraphs: Paragraphs) -> list[Anchor]:
    """Unbracketed codes closing a quotation: `...resourced” P3S3R03`, `— Interviewee 7, nurse`, or a
    recognised code alone on the line below the closing mark."""
    anchors = []
    for match in _LINE_END_LABEL.finditer(text):
        end = match.end()
        if match.group("recording"):  # the place in the recording is provenance, not part of the label
            end = match.end("label")
        raw = text[match.start("dash") if match.group("dash") else match.start("label"):end].strip()
        attribution = conventions.parse(raw)
        recognised = is_recognised(attribution) and attribution.source_kind == "interview" and (
            attribution.scheme != VOCABULARY_SCHEME or match.group("dash") or match.group("below")
            or conventions.vocabulary.knows_by_its_own_shape(raw)
        )
        # A label signed after a dash, or a label of parts alone on the line below (`Carer, West locality`).
        label_of_parts = (
            bool(match.group("below")) and "," in raw and len(raw.split()) <= MAX_LABEL_BELOW_WORDS
            and _alone_with_its_label(text, match.start("lead"), match.end(), paragraphs)
        )
        dashed_label = bool(match.group("dash") or label_of_parts) and match.group("lead") in CLOSING_MARKS
        if match.group("dash") and "\n" in match.group("dash") and _LIST_GOES_ON.match(text, match.end()):
            continue  # the first item of a dashed list, not a signature (one on the closing mark's line signs)
        if match.group("mid") and not (recognised or "," in raw):
            continue  # inside a paragraph, a signature is a code or a label of parts (`Nurse, site C`)
        if raw.endswith(":"):
            continue  # a lead-in handing over to the words below (`P11 narrated them like this:`) signs none above
        dash = match.group("dash") or ""
        inline_hyphen = dash.strip() == "-" and "\n" not in dash
        if match.group("label")[0].islower() and (", " not in raw or inline_hyphen):
            continue  # in lower case, a type of respondent with parts after a dash (`– participant 7, 40`)
        if not recognised:
            if not (dashed_label and _looks_like_label(strip_attribution(raw), text, match.start())):
                continue
            if _quoted_word_count(text, match.start("lead")) < MIN_WORDS_WITH_LABEL:
                continue  # a word or two in marks signed by a label is a title or a term
            if attribution.source_kind != "document":  # a signature names whoever spoke, as printed
                attribution = respondent_attribution(raw, strip_attribution(raw))
        if match.group("below") and match.group("lead") not in CLOSING_MARKS:
            continue
        if match.group("recording"):
            attribution = replace(attribution, facets={**attribution.facets, "provenance": match.group("recording")})
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(".!?…”’\"' \t"))
        anchor = _accepted_anchor(text, start, match.end(), attribution, paragraphs, bare=True)
        if anchor is not None:
            anchors.append(anchor)
    return anchors


def _alone_with_its_label(text: str, closing: int, end: int, paragraphs: Paragraphs) -> bool:
    """Whether the quotation closing at `closing` opens its paragraph and the label ending at `end`
    ends it: a quotation and its signature alone, not prose wrapped after a closing mark."""
    opening = find_opening_mark(text, closing, max(0, closing - 5000))
    if opening is None:
        return False
    paragraph_start, _ = paragraphs.spans[paragraphs.index_at(opening)]
    _, paragraph_end = paragraphs.spans[paragraphs.index_at(end)]
    return not text[paragraph_start:opening].strip() and not text[end:paragraph_end].strip()


def _accepted_anchor(
    text: str, start: int, end: int, attribution: Attribution, paragraphs: Paragraphs, bare: bool = False
) -> Anchor | None:
    """Keep an attribution only where reports put one, and only when its kind fits that place."""
    before = text[max(0, start - 200):start]
    if _EXAMPLE_BEFORE.search(before):
        return None
    closing = _closing_mark_before(text, start)
    if closing is None and not bare:
        closing = _closing_mark_after(text, end)
    if closing is None and not bare and attribution.source_kind == "interview":
        closing = closing_mark_before_tag(text, start, end)
    if closing is not None:
        fits = _fits_after_quote(text, closing, end, attribution)
        return Anchor(start, end, attribution, closing) if fits else None
    if not _ends_line(text, end) or not _fits_block(text, start, attribution, paragraphs, bare):
        return None
    return Anchor(start, end, attribution, None)


def _closing_mark_before(text: str, start: int) -> int | None:
    """Offset of a closing quotation mark right before an attribution (punctuation, or a footnote
    number glued to the mark, may sit between: `...rang.”12 (P9)`; a dash may sign it on the line
    below: `...rang.”` then `— [P9]`)."""
    position = start
    while position > 0 and text[position - 1] in " \t\n":
        position -= 1
    if position > 0 and text[position - 1] in "—–" and text[position - 2:position - 1] in ("\n", ""):
        position -= 1
        while position > 0 and text[position - 1] in " \t\n":
            position -= 1
    footnote = _FOOTNOTE_AFTER_MARK.search(text, max(0, position - 4), position)
    if footnote is not None:
        position = footnote.start() + 1
    steps = 0
    while position > 0 and text[position - 1] in ".,;:!?" and steps < 2:
        position -= 1
        steps += 1
    if position > 0 and text[position - 1] in CLOSING_MARKS + "“" and is_closing(text, position - 1):
        return position - 1
    return None


def _closing_mark_after(text: str, end: int) -> int | None:
    """Offset of a closing quotation mark right after an attribution set inside the marks, maybe
    after the sentence's stop: `...knew my name (Patient 3).”`."""
    match = INSIDE_MARKS.match(text, end)
    return None if match is None else match.end() - 1


def _fits_after_quote(text: str, closing: int, end: int, attribution: Attribution) -> bool:
    """After closing marks: a code, a citation of a real passage, or a short label."""
    words = _quoted_word_count(text, closing)
    if attribution.source_kind == "interview":
        return True
    if attribution.source_kind == "document":
        has_page = bool(_PAGE.search(attribution.raw))
        enough = words >= (MIN_WORDS_WITH_PAGE if has_page else MIN_WORDS_WITHOUT_PAGE)
        return enough and (has_page or not _is_title(text, closing))
    label = strip_attribution(attribution.raw)
    ends_sentence = _ends_line(text, end)
    return words >= MIN_WORDS_WITH_LABEL and ends_sentence and _looks_like_label(label, text, closing)


def _is_title(text: str, closing: int) -> bool:
    """Quoted words capitalised throughout name a work or a concept ("Diffusion of Innovation")."""
    opening = find_opening_mark(text, closing, max(0, closing - 300))
    words = [w for w in WORD.findall(text[opening + 1:closing])] if opening is not None else []
    content = [w for w in words if len(w) > 3]
    return bool(content) and all(w[0].isupper() for w in content)


def _quoted_word_count(text: str, closing: int) -> int:
    opening = find_opening_mark(text, closing, max(0, closing - 5000))
    start = opening + 1 if opening is not None else max(0, closing - 300)
    return len(WORD.findall(text[start:closing]))


def _fits_block(text: str, start: int, attribution: Attribution, paragraphs: Paragraphs, bare: bool) -> bool:
    """At the end of a stand-alone paragraph: a code anywhere; citations and labels after a lead-in.
    A caption naming the extract below and its speaker (`Extract 1 (FG1, volunteers)`) is no quotation."""
    if CAPTION_LABEL.fullmatch(text, text.rfind("\n", 0, start) + 1, start):
        return False
    after_sentence = _follows_sentence_end(text, start)
    introduced = _follows_lead_in(text, start, paragraphs)
    if attribution.source_kind == "interview":
        return after_sentence or introduced or _opens_with_quote_mark(text, start, paragraphs) or _speaks(
            text, start, paragraphs
        )
    if bare:
        return False
    if attribution.source_kind == "document":
        return text[start:start + 1] in "([" and (introduced or _cited_clauses_start(text, start, paragraphs) > 0)
    label = strip_attribution(attribution.raw)
    return introduced and after_sentence and _looks_like_label(label, text, start)


def _speaks(text: str, position: int, paragraphs: Paragraphs) -> bool:
    """Whether the paragraph before an attribution reads as speech (a quotation without marks)."""
    return bool(SPEECH.search(text[paragraph_chain_start(text, position, paragraphs):position]))


def _follows_sentence_end(text: str, start: int) -> bool:
    stripped = text[max(0, start - 20):start].rstrip()
    return bool(stripped) and stripped[-1] in ".!?…" + CLOSING_MARKS + SUPERSCRIPT_DIGITS


def _ends_line(text: str, end: int) -> bool:
    """The attribution closes its line, or the next sentence starts right after it.

    A closing mark after it counts as part of it: some reports set the code inside the marks.
    """
    rest = text[end:end + 4]
    stripped = rest.lstrip(CLOSING_MARKS).lstrip(".,;").lstrip(" \t")
    return not stripped or stripped[0] == "\n" or stripped[0].isupper() or stripped[0] in OPENING_MARKS


def _looks_like_label(label: str, text: str, position: int) -> bool:
    """A short name-like label, not an editorial note, a cross-reference or an acronym's definition; in
    lower case, a respondent's type with parts (`blue badge assessment team, workshop 2`)."""
    words = label.split()
    if not words or len(words) > label_words_allowed(label) or len(label) > MAX_LABEL_CHARS:
        return False
    if not (label[0].isupper() or label[0].isdigit() or ", " in label) or _NOT_A_LABEL.match(label) or POINTER.match(
            label):
        return False
    return not (len(words) == 1 and _ACRONYM.match(label) and _defines_acronym(label, text[:position]))


def _defines_acronym(acronym: str, before: str) -> bool:
    """Whether the words just before spell the acronym: "Primary Care Networks (PCNs)"."""
    letters = acronym.rstrip("s").upper()
    initials = "".join(word[0].upper() for word in WORD.findall(before[-200:]) if word[0].isalpha())
    return initials.endswith(letters) or letters in initials[-len(letters) - 3:]


# --- one attribution, several quotations -------------------------------------------------------


def quotes_for_anchor(text: str, anchor: Anchor, paragraphs: Paragraphs, floor: int) -> list[Quote]:
    """The quotations an attribution closes.

    Usually one; an attribution on a line of its own after a run of quoted paragraphs or
    speaker turns (`Consultant 1: "..."` ... `(Site H)`) closes each of them; quoted passages
    joined only by punctuation (`"...", "..." (Site E)`) are separate quotations of one speaker;
    quoted paragraphs right before an attributed one, with no prose between, share its attribution;
    and a quotation of several paragraphs (each opened, only the last closed) is one quotation.
    """
    if anchor.attribution.source_kind == "interview" and _stands_alone(text, anchor, paragraphs):
        return _run_before(text, paragraphs.index_at(anchor.start), anchor, paragraphs, floor)
    quote = quote_before(text, anchor, paragraphs, floor)
    if quote is None:
        return []
    turns = _turns_under_label(text, quote, anchor)
    if turns:
        return turns
    pieces = _split_at_junctions(text, quote, anchor)
    if quote.inline:
        return pieces
    if text[quote.char_start - 1] not in OPENING_MARKS:
        first = _first_paragraph_opened(text, quote, anchor, paragraphs, floor)
        merged = None if first is None else make_quote(text, first, quote.char_end, anchor, inline=False)
        return pieces if merged is None else [merged]
    index = paragraphs.index_at(paragraph_chain_start(text, quote.char_start, paragraphs))
    opened = _opened_before(text, index, text[quote.char_start - 1], paragraphs, floor)
    if opened is not None:
        merged = make_quote(text, opened, pieces[0].char_end, anchor, inline=False)
        pieces = [*([merged] if merged is not None else []), *pieces[1:]]
        index = paragraphs.index_at(opened)
    if anchor.attribution.source_kind != "interview":
        return pieces
    return [*_run_before(text, index, anchor, paragraphs, floor, quoted_only=True), *pieces]


def _named_before_reference(text: str, quote: Quote, anchor: Anchor, conventions: Conventions) -> Quote:
    """A quotation whose lead-in names a person speaking, in full or with a title (`Dr Ana Mirel, of
    the Wyvern Partnership, said that "..." (Q12)`), is that person's: the code in brackets after it
    then says where the words are in the record (an oral evidence question, a written submission),
    and is kept as provenance. A reference to a hearing's transcript (`[Day 3/17]`) names no one:
    it is a witness's evidence, by the person the lead-in names, or a pronoun there stands for. Nor
    does a bracket saying only how the words were collected (`(interview, November 2021)`): they are
    by the respondent the sentence names as speaking (`Priya, a student volunteer, called it`)."""
    raw = anchor.attribution.raw.strip()
    reference = raw[:1] in "([" and is_transcript_reference(strip_attribution(raw))
    if reference:
        person = person_or_antecedent_speaking(text, quote.char_start)
        return replace(quote, attribution=replace(
            person or Attribution(raw=raw, code=None, scheme=None, source_kind="interview", facets={}),
            facets={**(person.facets if person else {}), "provenance": strip_attribution(raw)}))
    if raw[:1] not in "([" or anchor.attribution.source_kind != "interview":
        return quote
    before = text[max(0, quote.char_start - 400):quote.char_start].rstrip(OPENING_MARKS + " \t\n")
    if _SENTENCE_ENDED.search(before):
        return quote  # the words open their own sentence: the one before names someone else's
    person = person_speaking(last_sentence(before))
    if person is None and anchor.attribution.code is None:
        person = speaker_in_sentence(last_sentence(before), conventions)
    if person is None:
        return quote
    facets = {**person.facets, "provenance": strip_attribution(raw)}
    return replace(quote, attribution=replace(person, facets=facets))


def _first_paragraph_opened(text: str, quote: Quote, anchor: Anchor, paragraphs: Paragraphs,
                            floor: int) -> int | None:
    """Where a quotation of several paragraphs starts when only its first paragraph opens the marks and
    only its last closes them: the quotation found is a whole paragraph closed by the anchor's mark,
    and the paragraphs before it, without marks, go back to one that opens a mark it never closes."""
    start, _ = strip_span(text, *paragraphs.spans[paragraphs.index_at(quote.char_start)])
    if anchor.closing_mark is None or start != quote.char_start:
        return None
    index = paragraphs.index_at(start)
    for start, end in list(reversed(paragraphs.spans[:index]))[:MAX_PARAGRAPHS_BETWEEN_MARKS]:
        start, end = strip_span(text, start, end)
        if start < floor or start >= end:
            return None
        if text[start] in OPENING_MARKS:
            return start + 1 if closing_index(text, start, end) is None else None
        if _QUOTING_MARK.search(text, start, end):
            return None
    return None


def _opened_before(text: str, index: int, mark: str, paragraphs: Paragraphs, floor: int) -> int | None:
    """Where a quotation of several paragraphs starts, when the one before paragraph `index` is its
    earlier part: by print convention each paragraph of such a quotation opens with the mark and
    only the last one closes it."""
    opened = None
    for start, end in reversed(paragraphs.spans[:index]):
        start, end = strip_span(text, start, end)
        if start < floor or start >= end or text[start] != mark or closing_index(text, start, end) is not None:
            break
        opened = start
    return opened


def _stands_alone(text: str, anchor: Anchor, paragraphs: Paragraphs) -> bool:
    start, _ = paragraphs.spans[paragraphs.index_at(anchor.start)]
    return not text[start:anchor.start].strip()


def _run_before(
    text: str, index: int, anchor: Anchor, paragraphs: Paragraphs, floor: int, quoted_only: bool = False
) -> list[Quote]:
    """Quoted paragraphs, speaker turns and list items each wholly quoted, just before paragraph
    `index`, back to the first prose. A quoted paragraph that closes a quotation of several
    paragraphs (each opened, only the last closed) is that whole quotation."""
    quotes: list[Quote] = []
    while index > 0:
        index -= 1
        start, end = paragraphs.spans[index]
        if start < floor:
            break
        turn = None if quoted_only else TURN_PREFIX.match(text, start, end)
        items = _quoted_list_items(text, start, end)
        if turn is not None:
            speaker = collapse_spaces(turn.group("label"))
            attribution = with_speaker(anchor.attribution, speaker)
            made = [make_quote(text, turn.end(), end, replace(anchor, attribution=attribution), inline=False)]
        elif wholly_quoted(text, start, end):
            start = strip_span(text, start, end)[0]
            opened = _opened_before(text, index, text[start], paragraphs, floor)
            if opened is not None:
                start, index = opened, paragraphs.index_at(opened)
            made = [make_quote(text, start, end, anchor, inline=False)]
        elif items:
            made = [make_quote(text, a, b, anchor, inline=False) for a, b in reversed(items)]
        else:
            break
        quotes.extend(quote for quote in made if quote is not None)
    return quotes[::-1]


def _quoted_list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The items of the list the paragraph is, when each is wholly quoted (`- “...”` lines); else none."""
    items = list_items(text, start, end)
    return items if items and all(wholly_quoted(text, a, b) for a, b in items) else []


def with_speaker(attribution: Attribution, speaker: str) -> Attribution:
    """A group's attribution narrowed to one speaker of it: `Site H` and `Consultant 1`."""
    code = f"{attribution.code}, {speaker}" if attribution.code else speaker
    return Attribution(
        raw=f"{speaker}: {attribution.raw}",
        code=code,
        scheme=attribution.scheme,
        source_kind=attribution.source_kind,
        facets={**attribution.facets, **shape_facets(speaker)},
    )


def _split_at_junctions(text: str, quote: Quote, anchor: Anchor) -> list[Quote]:
    """Split `"...", "..."` and `"..."…"..."` into one quotation per marked passage."""
    opening = quote.char_start - 1
    if opening < 0 or text[opening] not in OPENING_MARKS:
        return [quote]
    family = "“”\"" if text[opening] in "“\"" else "‘’'"
    pieces, start = [], quote.char_start
    for junction in _JUNCTION.finditer(text, quote.char_start, quote.char_end):
        if junction.group("close") in family and junction.group("open") in family:
            pieces.append((start, junction.start()))
            start = junction.end()
    if not pieces:
        return [quote]
    pieces.append((start, quote.char_end))
    made = [make_quote(text, a, b, anchor, quote.inline) for a, b in pieces]
    return [piece for piece in made if piece is not None]


# --- where a quotation starts --------------------------------------------------------------------


def quote_before(text: str, anchor: Anchor, paragraphs: Paragraphs, floor: int) -> Quote | None:
    """The quotation an attribution closes: inside marks when inline, else the stand-alone passage."""
    at = anchor.start
    closing = anchor.closing_mark
    if closing is not None and (anchor.attribution.raw[:1] in "—–" or (
            anchor.attribution.source_kind == "interview" and "\n" in text[closing:at])):
        at = closing  # a signature, or a respondent's code, may stand on a line of its own below
    chain_start = max(paragraph_chain_start(text, at, paragraphs), floor)
    if anchor.attribution.source_kind == "document" and not _follows_lead_in(text, anchor.start, paragraphs):
        clauses_start = _cited_clauses_start(text, anchor.start, paragraphs)
        chain_start = max(clauses_start, floor) if clauses_start >= 0 else chain_start
    region_start = after_lead_in(text, chain_start, anchor.start)
    marked = _passage_before_words(text, region_start, anchor.start) if closing is None else None
    if marked is not None:
        start, end = marked
    elif closing is None:
        start, end = _last_list_item(text, region_start, anchor.start), anchor.start
    else:
        # A code set inside the closing mark is not part of the words.
        start, end = _marked_span(text, closing, region_start), min(closing, anchor.start)
    if not text[start:end].strip():
        return None
    return make_quote(text, start, end, anchor, inline=_is_inline(text, chain_start, start))


def _passage_before_words(text: str, region_start: int, at: int) -> tuple[int, int] | None:
    """The words in marks a sentence of the report's prose quotes a few words before the code that
    ends it (`carers said their relative had been ‘more themselves’ than during previous admissions
    (PC05, PC09)`): those words, not the sentence. Prose in the first person is a speaker's own, and
    a sentence end between the marks and the code makes the passage the whole."""
    starts = sentence_starts(text[region_start:at])
    sentence_start = region_start + (starts[-1] if starts else 0)
    closings = [i for i in range(sentence_start, at) if text[i] in CLOSING_MARKS and is_closing(text, i)]
    if not closings:
        return None
    closing = closings[-1]
    opening = find_opening_mark(text, closing, sentence_start)
    after = text[closing + 1:at]
    if opening is None or len(WORD.findall(after)) > MAX_WORDS_BEFORE_CODE or IN_PERSON.search(
            text, sentence_start, opening) or _SENTENCE_STOP.search(after):
        return None
    return opening + 1, closing


def _marked_span(text: str, closing: int, region_start: int) -> int:
    """Start of a quotation that ends in a closing mark.

    Inside the marks when the marks open the passage, sit in running prose or in a list's last item
    (a code after it names that item's respondent, not the list's); the whole passage
    when it is a stand-alone quotation after a lead-in and the marks only close a quotation
    nested in it ("[GPs said]: 'How long will this funding last...'").
    """
    opening = find_opening_mark(text, closing, region_start)
    if opening is None:
        return region_start
    first = strip_span(text, region_start, opening)[0]
    if first < opening and text[first] in OPENING_MARKS and (
        closing_index(text, first, opening) is None or _joined_passages(text, first, opening)
    ):
        return first + 1
    before = text[region_start:opening].strip()
    in_list = LIST_ITEM.fullmatch(f"{before} ") or LIST_ITEM_START.match(text, region_start)
    if not before or in_list or not ends_lead_in(text, region_start):
        return opening + 1
    return region_start


def _joined_passages(text: str, first: int, last: int) -> bool:
    """Whether marked passages joined only by punctuation lead from the mark at `first` to the one at `last`."""
    position = first
    while position < last:
        closing = closing_index(text, position, last)
        junction = _JUNCTION.match(text, closing) if closing is not None else None
        if junction is None:
            return False
        position = junction.start("open")
    return position == last


def _is_inline(text: str, chain_start: int, start: int) -> bool:
    """Inside a running paragraph: prose precedes the quotation, which does not open its own line
    nor, unmarked, a list's item."""
    head = text[chain_start:start].rstrip(OPENING_MARKS + " \t")
    if not head.strip() or LIST_ITEM_START.fullmatch(text, max(chain_start, text.rfind("\n", 0, start) + 1), start):
        return False
    return not (head.endswith("\n") and head.rstrip().endswith(":"))


def paragraph_chain_start(text: str, position: int, paragraphs: Paragraphs) -> int:
    """Start of the paragraph holding `position`, joined back across page and column breaks."""
    index = paragraphs.index_at(position)
    while index > 0 and continues_previous(text, paragraphs, index):
        index -= 1
    return paragraphs.spans[index][0]


def after_lead_in(text: str, start: int, end: int) -> int:
    """Skip a lead-in inside the passage: a line ending in a colon, or "as this GP said: "."""
    segment = text[start:end]
    cut = 0
    for colon in _COLON.finditer(segment):
        if _inside_brackets(segment, colon.start()):
            continue
        at_line_end = "\n" in colon.group(0)
        window = segment[max(0, colon.start() - 60):colon.start()]
        if at_line_end or (_SPEECH_TAIL.search(window) and lead_in_role(segment[: colon.end()])):
            cut = colon.end()
    return start + cut


def _last_list_item(text: str, start: int, end: int) -> int:
    """Where the words of the list item an unmarked passage's attribution closes begin: a code ending
    a bulleted answer attributes that answer, not the items above it."""
    items = list(LIST_ITEM_START.finditer(text, start, end))
    return items[-1].end() if items else start


def _inside_brackets(segment: str, position: int) -> bool:
    head = segment[:position]
    return head.count("[") > head.count("]") or head.count("(") > head.count(")")


def _follows_lead_in(text: str, position: int, paragraphs: Paragraphs) -> bool:
    """Whether the passage holding `position` is introduced by a lead-in colon."""
    chain_start = paragraph_chain_start(text, position, paragraphs)
    return ends_lead_in(text, after_lead_in(text, chain_start, position))


def _cited_clauses_start(text: str, position: int, paragraphs: Paragraphs) -> int:
    """Start of a cited passage that spans two paragraphs after its lead-in, else -1.

    Quoted policy text often comes as numbered clauses, one paragraph each, with the citation
    after the last one.
    """
    index = paragraphs.index_at(position)
    if index == 0:
        return -1
    start, end = paragraphs.spans[index - 1]
    complete = text[start:end].strip()[-1:] in ".!?"
    return start if complete and ends_lead_in(text, start) else -1


def _opens_with_quote_mark(text: str, position: int, paragraphs: Paragraphs) -> bool:
    chain_start = paragraph_chain_start(text, position, paragraphs)
    head = text[after_lead_in(text, chain_start, position):position].lstrip()
    return bool(head) and head[0] in OPENING_MARKS


# --- attribution before the quotation ------------------------------------------------------------


def quotes_after_leading_attribution(
    text: str, conventions: Conventions, paragraphs: Paragraphs, found: list[Quote]
) -> list[Quote]:
    """Quotations whose attribution comes first: `(Smith 2019 p4) 'text'`, `Interviewee 7: text`, each
    item of a list so (see `_items_apart`); not the turns of a label that only asks, where others
    answer (a researcher's initials, `RH:`)."""
    taken = Taken(found)
    quotes = []
    units = _items_apart(text, paragraphs)
    spans = units.spans
    for index, (start, end) in enumerate(spans):
        if taken.overlaps(start, end):
            continue
        following = spans[index + 1] if index + 1 < len(spans) and not taken.overlaps(*spans[index + 1]) else None
        quotes.extend(_leading_attribution_quotes(text, index, units, conventions, following))
    turns = [(code, quote.text.rstrip().endswith("?")) for quote in quotes if (code := _code(quote))]
    answers = [(code, False) for quote in found if (code := _code(quote))]
    askers = labels_that_only_ask(turns + answers)
    return [quote for quote in quotes if _code(quote) not in askers]


def _items_apart(text: str, paragraphs: Paragraphs) -> Paragraphs:
    """The paragraphs with each list of several items parted into its items: each may open with its
    own speaker's label (`- Respondent 0219 (Northfield): “...”` on consecutive lines)."""
    spans: list[tuple[int, int]] = []
    for start, end in paragraphs.spans:
        items = list_items(text, start, end)
        spans.extend(items if len(items) > 1 else [(start, end)])
    return Paragraphs(tuple(spans))


def _code(quote: Quote) -> str | None:
    return quote.attribution.code if quote.attribution else None


def _leading_attribution_quotes(text: str, index: int, paragraphs: Paragraphs, conventions: Conventions,
                                following: tuple[int, int] | None) -> list[Quote]:
    """The quotation a label opening the paragraph introduces; a label alone in its paragraph, ending
    in a colon, introduces the quoted passages of the next paragraph (`Finance director, trust:` then
    `“...” “...”`), one quotation each. Words without marks run on over the paragraphs that continue
    them, as a PDF's wrapped lines set apart may."""
    start, end = paragraphs.spans[index]
    paragraph = text[start:end]
    match = _BRACKETED_PREFIX.match(paragraph) or _CODE_PREFIX.match(paragraph)
    if match is None or CAPTION_LABEL.fullmatch(match.group("attr")):
        return []  # a caption naming the extract below (`Extract 2: Participant 6 (woman, 50s)`)
    attribution = conventions.parse(match.group("attr"))
    if not is_recognised(attribution):
        return []
    if attribution.source_kind == "document" and speaker_in_lead_in(text, start + match.end(), conventions):
        return []  # a sentence handing over to a respondent it names (`The mill closed in 1971, as P2 recalled:`)
    head = match.groupdict().get("head")
    if head is not None and head != match.group("attr") and not is_recognised(conventions.parse(head)):
        return []  # the words before an aside must name the speaker on their own
    body = start + match.end()
    anchor = Anchor(start + match.start("attr"), start + match.end("attr"), attribution, None)
    alone = not text[body:end].strip() and text[start:end].rstrip().endswith(":")
    if alone and following is not None and attribution.source_kind == "interview":
        body, end = strip_span(text, *following)
    if body < end and text[body] in OPENING_MARKS:
        closing = find_closing_mark(text, body, end)
        if closing is None or _is_title(text, closing):
            return []  # a label naming a work or a concept (`Concept A: “Money Check-in”`)
        quote = make_quote(text, body + 1, closing, anchor, inline=False)
        return [] if quote is None else _split_at_junctions(text, quote, anchor)
    if attribution.source_kind != "interview" or len(_WORD_OF_LETTERS.findall(text, body, end)) < MIN_WORDS_WITH_LABEL:
        return []  # no words after the label, or only figures (`Health and Society 29 (1): 104-121.`)
    while index + 1 < len(paragraphs.spans) and continues_previous(text, paragraphs, index + 1):
        index += 1
        end = paragraphs.spans[index][1]
    return _unmarked_turns(text, body, end, anchor, conventions)


def _turns_under_label(text: str, quote: Quote, anchor: Anchor) -> list[Quote]:
    """The turns of a passage that opens with a speaker's label and hands over to others of the same
    shape after a sentence (`Nurse 1: ... know. Nurse 2: What helps ...`, in marks or not), closed by
    one label for all of them (`(Ward B)`): one quotation per turn, by its speaker, under that label."""
    opening = _OPENING_TURN_LABEL.match(text, quote.char_start, quote.char_end)
    if opening is None:
        return []
    shapes = label_shapes(opening.group("label"))
    labels = [opening, *(match for match in _NAMED_TURN_AFTER_SENTENCE.finditer(text, opening.end(), quote.char_end)
                         if shapes & label_shapes(match.group("label")))]
    if len(labels) < 2 or not shapes:
        return []
    group = anchor.attribution.code or strip_attribution(anchor.attribution.raw)
    quotes = []
    for label, following in zip(labels, [*labels[1:], None]):
        name = label.group("label")
        speaker = respondent_attribution(f"{name} {anchor.attribution.raw}", name)
        speaker = replace(speaker, facets={**shape_facets(group), **speaker.facets})
        stop = _turn_end(text, label.end(), following.start("label") if following is not None else quote.char_end)
        made = make_quote(text, label.end(), stop, Anchor(label.start("label"), label.end("label"), speaker, None),
                          inline=False)
        if made is not None:
            quotes.append(made)
    return quotes


def _unmarked_turns(text: str, body: int, end: int, anchor: Anchor, conventions: Conventions) -> list[Quote]:
    """An unmarked turn's words, split where a label of the same shape opens the next speaker's turn
    after a sentence (`... that fast. P3: They should ...`), as a PDF joins the lines of an exchange.
    Another speaker's label opening a line ends a turn (see `_turn_end`)."""
    shapes = label_shapes(anchor.attribution.raw)
    cuts = [(body, anchor)]
    for match in _TURN_AFTER_SENTENCE.finditer(text, body, end):
        label = match.group("label")
        attribution = conventions.parse(label)
        if shapes & label_shapes(label) and is_recognised(attribution):
            cuts.append((match.end(), Anchor(match.start("label"), match.end("label"), attribution, None)))
    bounds = [match_anchor.start for _, match_anchor in cuts[1:]] + [end]
    made = [make_quote(text, start, _turn_end(text, start, stop), turn_anchor, inline=False)
            for (start, turn_anchor), stop in zip(cuts, bounds)]
    return [quote for quote in made if quote is not None]


def _turn_end(text: str, start: int, stop: int) -> int:
    """Where a turn starting at `start` ends before `stop`: at a label opening a line after a sentence
    (`Moderator: Did that improve?`), whoever's it is, since the words after it are that speaker's."""
    for match in _TURN_AFTER_SENTENCE.finditer(text, start, stop):
        if "\n" in text[match.start():match.start("label")]:
            return match.start("label")
    return stop


def find_closing_mark(text: str, opening: int, limit: int) -> int | None:
    """The last closing mark of the same family before `limit` that ends a word."""
    partners = {"“": "”\"", "\"": "\"”", "‘": "’'", "'": "'’"}.get(text[opening], "")
    for index in range(limit - 1, opening, -1):
        if text[index] in partners and is_closing(text, index):
            after = text[index + 1:index + 2]
            if not after or not after.isalnum():
                return index
    return None


# --- building the record -------------------------------------------------------------------------


def _renumbered(quote: Quote, ordinal: int) -> Quote:
    return Quote(
        ordinal=ordinal,
        text=quote.text,
        char_start=quote.char_start,
        char_end=quote.char_end,
        attribution=quote.attribution,
        inline=quote.inline,
        lead_in_role=quote.lead_in_role,
        section=quote.section,
        page=quote.page,
    )
