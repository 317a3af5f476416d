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
from dataclasses import dataclass, replace

from ingest.attribution import SchemeSet, is_recognised, load_schemes, parse_attribution, strip_attribution
from ingest.attribution_vocabulary import (
    TURN_PREFIX,
    Vocabulary,
    induce_vocabulary,
    lead_in_labels,
    respondent_attribution,
    shape_facets,
)
from ingest.lead_in import SPEECH_VERBS, last_sentence, lead_in_role
from ingest.records import Attribution, LayoutMark, Quote

OPENING_MARKS = "“‘\"'"
CLOSING_MARKS = "”’\"'"
# The opening marks a closing mark may pair with; typesetting mixes curly and straight marks.
_PARTNERS = {"”": "“\"", "\"": "\"“", "’": "‘'", "'": "'‘", "“": "“\""}
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

# A raw label is only an attribution when it is short, like a code or a role.
MAX_LABEL_WORDS = 8
MAX_LABEL_CHARS = 80
# Quoted words needed before a citation makes a quotation rather than a cited term.
MIN_WORDS_WITH_PAGE = 3
MIN_WORDS_WITHOUT_PAGE = 3
MIN_WORDS_WITH_LABEL = 3

_ATTRIBUTION = re.compile(
    rf"(?=[\^(\[{_SUPERSCRIPTS}])(?P<sup>\^\{{[^{{}}\n]{{1,30}}\}}|[{_SUPERSCRIPTS}]+(?:[,–-][{_SUPERSCRIPTS}]+)*)?"
    r"(?(sup)[ \t]?)"
    r"(?P<bracket>\((?:[^()\[\]\n]|\n(?!\s*\n)){1,120}\)|\[(?:[^()\[\]\n]|\n(?!\s*\n)){1,120}\])?"
)
_LINE_END_LABEL = re.compile(
    r"(?P<lead>[.!?…”’\"'])(?:[ \t]*(?P<dash>[—–]|\s-)[ \t]*|[ \t]+)(?P<label>[A-Z][^\n.!?…—–()\[\]“”\"]{1,60}?)"
    r"[ \t]*\)?[ \t]*\.?[ \t]*$",
    re.MULTILINE,
)
# A blank line, or a Markdown fence line (```{admonition} Quote, :::), which bounds a block.
_PARAGRAPH_BREAK = re.compile(r"(?:\n[ \t]*\n|^[ \t]*(?:`{3,}|:{3,})[^\n]*(?:\n|$))+", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[\w’']+")
_PAGE = re.compile(r"(?<![A-Za-z])(?:pp?\.?|pages?)\s*\d+")
_NOT_A_LABEL = re.compile(
    r"^(?:e\.\s?g|i\.\s?e|cf|see|for example|such as|including|table|figure|fig|box|appendix|section|"
    r"chapter|emphasis|sic|original|note)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{0,7}?[A-Z][A-Za-z&]{0,7}$|^[A-Z]{2,}s$")
_SPEECH_TAIL = re.compile(rf"\b(?:{SPEECH_VERBS}|as follows|thus|below)\s*$", re.IGNORECASE)
_COLON = re.compile(r":[ \t]*\n?[ \t]*(?=\S)")
_MARK = re.compile(f"[{re.escape(OPENING_MARKS + CLOSING_MARKS)}]")
_EXAMPLE_BEFORE = re.compile(r"(?:e\.\s?g\.?|i\.\s?e\.?|for example|such as|referred to as|coded as)\s*\S*\s*$", re.I)
_BRACKETED_PREFIX = re.compile(r"^[ \t]*(?P<attr>\((?:[^()\n]){1,120}\)|\[(?:[^\[\]\n]){1,120}\])[ \t]*[:—–-]?[ \t]*")
_CODE_PREFIX = re.compile(r"^[ \t]*(?P<attr>[A-Z][\w ,.-]{0,40}?)[ \t]*[:—–](?:[ \t]+|(?=[“‘\"]))")
# Two quoted passages joined by punctuation only: `...good…”, “a burden...`, `...CTAs”…“Placing...`.
_JUNCTION = re.compile(r"(?P<close>[”\"’'])[ \t]*(?:[,;…]|\.{3})?[ \t]*(?P<open>[“\"‘'])(?=\S)")
# Words of speech rather than of a report: first and second person, spoken contractions.
_SPEECH = re.compile(r"\b(?:I|me|my|you|your)\b|\b\w+[’'](?:m|re|ve|d|ll)\b|\w+n[’']t\b")
MIN_UNATTRIBUTED_WORDS = 8
_UNCLOSED_RESTART = re.compile(r"[.!?…][ \t]+(?P<open>[“\"])(?=\S)")
MIN_INLINE_WORDS = 7
# A list item or a numbered entry, which layout sets off without quoting anyone.
_LIST_OR_ENTRY = re.compile(r"^(?:[-–•*\uf0b7]\s|\d{1,3}[.)]\s|\[\d{1,3}\]|\(?[A-Za-z][.)]\s)", re.MULTILINE)
# Share of a block's words that may be bare numbers: more, and it is a table or a citation.
MAX_NUMBER_SHARE = 0.2
_CODE_BELOW = re.compile(r"\s*\n(?P<code>\([^()\n]{1,60}\)|\[[^\[\]\n]{1,60}\])[ \t.]*(?:\n|$)")
# Unattributed words in marks inside prose are read as quotations only in a document that is
# seen to quote people or texts elsewhere; in others they are titles, terms and survey items.
MIN_QUOTES_FOR_INLINE = 3
MAX_INLINE_CHARS = 600
_DOUBLE_OPENING = re.compile("[“\"]")
# The rest of a sentence, without another quotation, ending in a bracketed code.
_SENTENCE_END_CODE = re.compile(r"[^.!?\n“”\"()]{0,160}?\((?P<code>[^()\n]{1,40})\)\s*[.;]")
# A bibliography entry, not anyone's words.
_REFERENCE = re.compile(r"https?://|www\.|\bdoi\s*:|\b10\.\d{4,}/", re.IGNORECASE)
_VOLUME = re.compile(r"\bvol\.\s*\d|\bpp\.\s*\d+\s*[-–]\s*\d|\b\d+\s*\(\d+\)\s*[:,]\s*\d+")
_YEAR_BEFORE_TITLE = re.compile(r"\((?:19|20)\d{2}[a-z]?\)[.,:]?\s*$")
_NUMBERED_ENTRY = re.compile(r"\s*\[\d{1,3}\]\s")
_NAMES_A_DOCUMENT = re.compile(
    r"\b(?:report|review|plan|strategy|guidance|policy|framework|act|bill|white paper|view|document|"
    r"website|leaflet|manifesto|charter|target|definition|defines|states|stated|published)\b",
    re.IGNORECASE,
)
# Words a passage needs before a break in mid-sentence is read as a wrapped line, not a heading.
MIN_WRAPPED_WORDS = 10
UNATTRIBUTED = Attribution(raw="", code=None, scheme=None, source_kind="interview", facets={})


@dataclass(frozen=True)
class Conventions:
    """How this document attributes: the configured schemes, then the codes it was seen to use."""

    schemes: SchemeSet
    vocabulary: Vocabulary

    def parse(self, raw: str) -> Attribution:
        """Read a printed attribution with the schemes, else with the document's own vocabulary."""
        return self.vocabulary.read(parse_attribution(raw, self.schemes))


@dataclass(frozen=True)
class Anchor:
    """An attribution in an attribution position, and what sits just before it."""

    start: int
    end: int
    attribution: Attribution
    closing_mark: int | None


@dataclass(frozen=True)
class Paragraphs:
    """Paragraph spans of the text, used as hints for where a stand-alone quotation begins."""

    spans: tuple[tuple[int, int], ...]

    def index_at(self, offset: int) -> int:
        """The paragraph holding `offset` (or the one before it when it falls on a break)."""
        low, high = 0, len(self.spans) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.spans[middle][0] <= offset:
                low = middle
            else:
                high = middle - 1
        return low


def find_quotes(text: str, schemes: SchemeSet | None = None, set_off: Sequence[LayoutMark] = ()) -> list[Quote]:
    """Every attributed quotation in `text`, in reading order, located exactly by offsets.

    `set_off` are the spans the layout set off from the body text (see `ingest.layout_marks`).
    """
    conventions = Conventions(schemes or load_schemes(), induce_vocabulary(text))
    paragraphs = split_paragraphs(text)
    found: list[Quote] = []
    floor = 0
    for anchor in find_anchors(text, conventions, paragraphs):
        found.extend(quotes_for_anchor(text, anchor, paragraphs, floor))
        floor = anchor.end
    found.extend(quotes_after_leading_attribution(text, conventions, paragraphs, found))
    found.extend(unattributed_quotations(text, paragraphs, found, conventions))
    quotes_elsewhere = len(found)
    found.extend(set_off_quotations(text, set_off, found, conventions))
    if quotes_elsewhere >= MIN_QUOTES_FOR_INLINE:
        found.extend(inline_unattributed(text, found, conventions))
    found = [quote for quote in found if not _REFERENCE.search(quote.text)]
    found.sort(key=lambda quote: quote.char_start)
    return [_renumbered(quote, ordinal) for ordinal, quote in enumerate(found, start=1)]


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
    candidates = [*_bracket_anchors(text, conventions, paragraphs), *_line_end_anchors(text, conventions, paragraphs)]
    candidates.sort(key=lambda anchor: (anchor.start, -anchor.end))
    anchors: list[Anchor] = []
    for anchor in candidates:
        if not anchors or anchor.start >= anchors[-1].end:
            anchors.append(anchor)
    return anchors


def _bracket_anchors(text: str, conventions: Conventions, paragraphs: Paragraphs) -> list[Anchor]:
    anchors = []
    for match in _ATTRIBUTION.finditer(text):
        if match.start() == match.end() or not (match.group("sup") or match.group("bracket")):
            continue
        raw = match.group(0)
        attribution = conventions.parse(raw)
        anchor = _accepted_anchor(text, match.start(), match.end(), attribution, paragraphs)
        if anchor is not None:
            anchors.append(anchor)
    return anchors


def _line_end_anchors(text: str, conventions: Conventions, paragraphs: Paragraphs) -> list[Anchor]:
    """Unbracketed codes closing a quotation: `...resourced” P3S3R03`, `— Interviewee 7, nurse`."""
    anchors = []
    for match in _LINE_END_LABEL.finditer(text):
        raw = text[match.start("dash") if match.group("dash") else match.start("label"):match.end()].strip()
        attribution = conventions.parse(raw)
        recognised = is_recognised(attribution) and attribution.source_kind == "interview"
        dashed_label = bool(match.group("dash")) and match.group("lead") in CLOSING_MARKS
        if not (recognised or (dashed_label and _looks_like_label(strip_attribution(raw), text, match.start()))):
            continue
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(".!?…”’\"' \t"))
        anchor = _accepted_anchor(text, start, match.end(), attribution, paragraphs, bare=True)
        if anchor is not None:
            anchors.append(anchor)
    return anchors


def _accepted_anchor(
    text: str, start: int, end: int, attribution: Attribution, paragraphs: Paragraphs, bare: bool = False
) -> Anchor | None:
    """Keep an attribution only where reports put one, and only when its kind fits that place."""
    before = text[max(0, start - 200):start]
    if _EXAMPLE_BEFORE.search(before):
        return None
    closing = _closing_mark_before(text, start)
    if closing is not None:
        fits = _fits_after_quote(text, closing, end, attribution)
        return Anchor(start, end, attribution, closing) if fits else None
    if not _ends_line(text, end) or not _fits_block(text, start, attribution, paragraphs, bare):
        return None
    return Anchor(start, end, attribution, None)


def _closing_mark_before(text: str, start: int) -> int | None:
    """Offset of a closing quotation mark right before an attribution (punctuation may sit between)."""
    position = start
    while position > 0 and text[position - 1] in " \t\n":
        position -= 1
    steps = 0
    while position > 0 and text[position - 1] in ".,;:!?" and steps < 2:
        position -= 1
        steps += 1
    if position > 0 and text[position - 1] in CLOSING_MARKS + "“" and _is_closing(text, position - 1):
        return position - 1
    return None


def _is_closing(text: str, index: int) -> bool:
    """A mark closes a quotation when it follows a word or punctuation, not a space."""
    return index > 0 and not text[index - 1].isspace()


def _is_opening(text: str, index: int) -> bool:
    """A mark opens a quotation when it starts a word after a space, a bracket or a colon."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([{:—–-/") and not after.isspace()


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
    words = [w for w in _WORD.findall(text[opening + 1:closing])] if opening is not None else []
    content = [w for w in words if len(w) > 3]
    return bool(content) and all(w[0].isupper() for w in content)


def _quoted_word_count(text: str, closing: int) -> int:
    opening = find_opening_mark(text, closing, max(0, closing - 5000))
    start = opening + 1 if opening is not None else max(0, closing - 300)
    return len(_WORD.findall(text[start:closing]))


def _fits_block(text: str, start: int, attribution: Attribution, paragraphs: Paragraphs, bare: bool) -> bool:
    """At the end of a stand-alone paragraph: a code anywhere; citations and labels after a lead-in."""
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
    return bool(_SPEECH.search(text[paragraph_chain_start(text, position, paragraphs):position]))


def _follows_sentence_end(text: str, start: int) -> bool:
    stripped = text[max(0, start - 20):start].rstrip()
    return bool(stripped) and stripped[-1] in ".!?…" + CLOSING_MARKS + _SUPERSCRIPTS


def _ends_line(text: str, end: int) -> bool:
    """The attribution closes its line, or the next sentence starts right after it.

    A closing mark after it counts as part of it: some reports set the code inside the marks.
    """
    rest = text[end:end + 4]
    stripped = rest.lstrip(CLOSING_MARKS).lstrip(".,;").lstrip(" \t")
    return not stripped or stripped[0] == "\n" or stripped[0].isupper() or stripped[0] in OPENING_MARKS


def _looks_like_label(label: str, text: str, position: int) -> bool:
    """A short name-like label, not an editorial note, a cross-reference or an acronym's definition."""
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS or len(label) > MAX_LABEL_CHARS:
        return False
    if not (label[0].isupper() or label[0].isdigit()) or _NOT_A_LABEL.match(label):
        return False
    return not (len(words) == 1 and _ACRONYM.match(label) and _defines_acronym(label, text[:position]))


def _defines_acronym(acronym: str, before: str) -> bool:
    """Whether the words just before spell the acronym: "Primary Care Networks (PCNs)"."""
    letters = acronym.rstrip("s").upper()
    initials = "".join(word[0].upper() for word in _WORD.findall(before[-200:]) if word[0].isalpha())
    return initials.endswith(letters) or letters in initials[-len(letters) - 3:]


# --- one attribution, several quotations -------------------------------------------------------


def quotes_for_anchor(text: str, anchor: Anchor, paragraphs: Paragraphs, floor: int) -> list[Quote]:
    """The quotations an attribution closes.

    Usually one; an attribution on a line of its own after a run of quoted paragraphs or
    speaker turns (`Consultant 1: "..."` ... `(Site H)`) closes each of them; quoted passages
    joined only by punctuation (`"...", "..." (Site E)`) are separate quotations of one speaker;
    quoted paragraphs right before an attributed one, with no prose between, share its attribution.
    """
    if anchor.attribution.source_kind == "interview" and _stands_alone(text, anchor, paragraphs):
        return _run_before(text, paragraphs.index_at(anchor.start), anchor, paragraphs, floor)
    quote = quote_before(text, anchor, paragraphs, floor)
    if quote is None:
        return []
    pieces = _split_at_junctions(text, quote, anchor)
    if anchor.attribution.source_kind != "interview" or quote.inline or text[quote.char_start - 1] not in OPENING_MARKS:
        return pieces
    index = paragraphs.index_at(paragraph_chain_start(text, quote.char_start, paragraphs))
    return [*_run_before(text, index, anchor, paragraphs, floor, quoted_only=True), *pieces]


def _stands_alone(text: str, anchor: Anchor, paragraphs: Paragraphs) -> bool:
    start, _ = paragraphs.spans[paragraphs.index_at(anchor.start)]
    return not text[start:anchor.start].strip()


def _run_before(
    text: str, index: int, anchor: Anchor, paragraphs: Paragraphs, floor: int, quoted_only: bool = False
) -> list[Quote]:
    """Quoted paragraphs and speaker turns just before paragraph `index`, back to the first prose."""
    quotes: list[Quote] = []
    for start, end in reversed(paragraphs.spans[:index]):
        if start < floor:
            break
        turn = None if quoted_only else TURN_PREFIX.match(text, start, end)
        if turn is not None:
            speaker = _SPACES.sub(" ", turn.group("label")).strip()
            attribution = with_speaker(anchor.attribution, speaker)
            quote = _make_quote(text, turn.end(), end, replace(anchor, attribution=attribution), inline=False)
        elif _wholly_quoted(text, start, end):
            quote = _make_quote(text, start, end, anchor, inline=False)
        else:
            break
        if quote is not None:
            quotes.append(quote)
    return quotes[::-1]


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


def _wholly_quoted(text: str, start: int, end: int) -> bool:
    """A paragraph that opens with a quotation mark and closes with its partner."""
    start, end = _strip_space(text, start, end)
    while end > start and text[end - 1] in ".,;":
        end -= 1
    if end - start < 2 or text[start] not in OPENING_MARKS or text[end - 1] not in CLOSING_MARKS:
        return False
    return find_opening_mark(text, end - 1, start) == start


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
    made = [_make_quote(text, a, b, anchor, quote.inline) for a, b in pieces]
    return [piece for piece in made if piece is not None]


# --- quotations without an attribution ----------------------------------------------------------


def unattributed_quotations(
    text: str, paragraphs: Paragraphs, found: list[Quote], conventions: Conventions
) -> list[Quote]:
    """Stand-alone quoted paragraphs that carry no attribution: found, with no respondent.

    A paragraph counts when it opens with a quotation mark, is long enough not to be a title or
    a term, and either closes with the partner mark or reads as speech (first or second person),
    since such paragraphs often lose their closing mark in print.
    """
    taken = [(quote.char_start, quote.char_end) for quote in found]
    quotes = []
    for start, end in paragraph_chains(text, paragraphs):
        if any(start <= q_end and q_start <= end for q_start, q_end in taken):
            continue
        head = text[start:end].lstrip()
        if not head or head[0] not in OPENING_MARKS or len(_WORD.findall(head)) < MIN_UNATTRIBUTED_WORDS:
            continue
        if _wholly_quoted(text, start, end) or _SPEECH.search(head):
            anchor = Anchor(start, start, _speaker_in_lead_in(text, start, conventions) or UNATTRIBUTED, None)
            for piece_start, piece_end in _back_to_back(text, start, end):
                quote = _make_quote(text, piece_start, piece_end, anchor, inline=False)
                if quote is not None:
                    quotes.append(quote)
    return quotes


def set_off_quotations(
    text: str, marks: Sequence[LayoutMark], found: list[Quote], conventions: Conventions
) -> list[Quote]:
    """Paragraphs the layout sets off as block quotations, with no marks and maybe no attribution.

    Layout alone also sets off reference lists, abstracts, tables and captions, so a block counts
    only after a lead-in (a colon, or a sentence naming a speaker), or after another such block
    with nothing between; a Markdown blockquote also counts in a document that quotes
    participants elsewhere. The respondent is a bracketed code on the line after it, if any.
    """
    taken = [(quote.char_start, quote.char_end) for quote in found]
    quotes_people = any(quote.attribution is not None and quote.attribution.source_kind == "interview"
                        and quote.attribution.code for quote in found)
    quotes: list[Quote] = []
    run_end = -1
    for mark in marks:
        start, end = _strip_space(text, mark.start, mark.end)
        if mark.kind == "emphasis":
            start, end = _strip_space(text, *_inside_emphasis(text, start, end))
        if any(start < q_end and q_start < end for q_start, q_end in taken):
            continue
        if not _reads_as_words(text[start:end]) or _in_reference(text, start, end):
            continue
        continues_run = run_end >= 0 and not text[run_end:start].strip()
        if not (_body_lead_in(text, start) or continues_run or (mark.kind == "blockquote" and quotes_people)):
            continue
        attribution = (
            _attribution_below(text, end, conventions) or _speaker_in_lead_in(text, start, conventions) or UNATTRIBUTED
        )
        quote = _make_quote(text, start, end, Anchor(start, start, attribution, None), inline=False)
        if quote is not None:
            quotes.append(quote)
            run_end = end
    return quotes


def _inside_emphasis(text: str, start: int, end: int) -> tuple[int, int]:
    """A paragraph without the emphasis marks around it that cleaning kept (`_..._`)."""
    while start < end and text[start] in "_*":
        start += 1
    while end > start and text[end - 1] in "_*":
        end -= 1
    return start, end


def _reads_as_words(block: str) -> bool:
    """Whole sentences of words: not a list, an entry, a table, a caption or a wrapped line."""
    words = _WORD.findall(block)
    if len(words) < MIN_UNATTRIBUTED_WORDS or block[0].islower() or block[-1] not in ".!?…" + CLOSING_MARKS:
        return False
    if "\t" in block:
        return False
    if _LIST_OR_ENTRY.search(block) or _REFERENCE.search(block):
        return False
    return sum(word.isdigit() for word in words) <= MAX_NUMBER_SHARE * len(words)


def _body_lead_in(text: str, start: int) -> bool:
    """The line before ends with a colon or names a speaker, and is prose, not a list item or entry."""
    before = text[:start].rstrip()
    line = before[before.rfind("\n") + 1:]
    if not line or _LIST_OR_ENTRY.match(line):
        return False
    return _ends_lead_in(text, start) or lead_in_role(before[-300:]) is not None


def _attribution_below(text: str, end: int, conventions: Conventions) -> Attribution | None:
    """A respondent code on the line right after a block: `(Participant 4)`."""
    match = _CODE_BELOW.match(text, end)
    if match is None:
        return None
    attribution = conventions.parse(match.group("code"))
    return attribution if is_recognised(attribution) and attribution.source_kind == "interview" else None


def _back_to_back(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a paragraph of several speakers' words where a new mark opens before the last one closed.

    Notes of a group discussion run quotations together (`...a choice. "Yeah because ...`); each
    opening mark after a sentence end, with the previous passage still open, starts a quotation.
    """
    pieces, piece_start = [], start
    for mark in _UNCLOSED_RESTART.finditer(text, start, end):
        opening = mark.start("open")
        if _closing_index(text, text.find(text[piece_start:].lstrip()[0], piece_start), opening) is None:
            pieces.append((piece_start, mark.start("open")))
            piece_start = opening
    pieces.append((piece_start, end))
    return pieces


def _speaker_in_lead_in(text: str, start: int, conventions: Conventions) -> Attribution | None:
    """The respondent a lead-in names by the document's own code ("As R7 put it:"), if any."""
    sentence = last_sentence(text[max(0, start - 300):start])
    labels = [label for label in lead_in_labels(sentence) if conventions.vocabulary.knows(label)]
    return respondent_attribution(labels[-1], labels[-1]) if labels else None


def _code_ending_sentence(text: str, closing: int, conventions: Conventions) -> Attribution | None:
    """The document's own code closing the sentence a short quotation sits in: `"..." from X (QA11).`"""
    match = _SENTENCE_END_CODE.match(text, closing + 1)
    if match is None or not conventions.vocabulary.knows(match.group("code")):
        return None
    attribution = conventions.parse(f"({match.group('code')})")
    return attribution if attribution.source_kind == "interview" else None


def inline_unattributed(text: str, found: list[Quote], conventions: Conventions) -> list[Quote]:
    """Quoted passages inside running prose with no attribution, long enough to be someone's words.

    A word or two in marks is a scare quote or a term, and a title is capitalised throughout;
    neither is kept, unless the sentence ends in the document's own respondent code. The kind
    of source follows the sentence before: a document it names, else a participant.
    """
    taken = [(quote.char_start, quote.char_end) for quote in found]
    quotes = []
    for mark in _DOUBLE_OPENING.finditer(text):
        opening = mark.start()
        if not _is_opening(text, opening):
            continue
        closing = _closing_index(text, opening, min(len(text), opening + MAX_INLINE_CHARS))
        if closing is None or "\n\n" in text[opening:closing]:
            continue
        if any(opening <= q_end and q_start <= closing for q_start, q_end in taken):
            continue
        words = _WORD.findall(text[opening:closing])
        capitalised = sum(word[0].isupper() for word in words)
        code_later = _code_ending_sentence(text, closing, conventions)
        long_enough = len(words) >= (MIN_WORDS_WITH_LABEL if code_later else MIN_INLINE_WORDS)
        if _in_reference(text, opening, closing) or not long_enough or capitalised > len(words) / 2:
            continue
        sentence = last_sentence(text[max(0, opening - 300):opening])
        kind = "document" if _NAMES_A_DOCUMENT.search(sentence) else "interview"
        attribution = code_later or _speaker_in_lead_in(text, opening, conventions) or Attribution(
            raw="", code=None, scheme=None, source_kind=kind, facets={}
        )
        quote = _make_quote(text, opening + 1, closing, Anchor(opening, opening, attribution, None), inline=True)
        if quote is not None:
            quotes.append(quote)
            taken.append((opening, closing))
    return quotes


def _in_reference(text: str, start: int, end: int) -> bool:
    """Whether the passage sits in a bibliography entry (a DOI, a link, volume and pages)."""
    before = text.rfind("\n\n", 0, start)
    after = text.find("\n\n", end)
    paragraph = text[before + 1:after if after >= 0 else len(text)]
    if _YEAR_BEFORE_TITLE.search(text[max(before + 1, start - 40):start]):
        return True
    return bool(_REFERENCE.search(paragraph) or _VOLUME.search(paragraph) or _NUMBERED_ENTRY.match(paragraph))


def paragraph_chains(text: str, paragraphs: Paragraphs) -> list[tuple[int, int]]:
    """Paragraphs joined across page, column and wrapped-line breaks."""
    chains: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(paragraphs.spans):
        if chains and index > 0 and _continues_previous(text, paragraphs, index):
            chains[-1] = (chains[-1][0], end)
        else:
            chains.append((start, end))
    return chains


# --- where a quotation starts --------------------------------------------------------------------


def quote_before(text: str, anchor: Anchor, paragraphs: Paragraphs, floor: int) -> Quote | None:
    """The quotation an attribution closes: inside marks when inline, else the stand-alone passage."""
    chain_start = max(paragraph_chain_start(text, anchor.start, paragraphs), floor)
    if anchor.attribution.source_kind == "document" and not _follows_lead_in(text, anchor.start, paragraphs):
        clauses_start = _cited_clauses_start(text, anchor.start, paragraphs)
        chain_start = max(clauses_start, floor) if clauses_start >= 0 else chain_start
    region_start = after_lead_in(text, chain_start, anchor.start)
    if anchor.closing_mark is None:
        start, end = region_start, anchor.start
    else:
        start, end = _marked_span(text, anchor.closing_mark, region_start), anchor.closing_mark
    if not text[start:end].strip():
        return None
    return _make_quote(text, start, end, anchor, inline=_is_inline(text, chain_start, start))


def _marked_span(text: str, closing: int, region_start: int) -> int:
    """Start of a quotation that ends in a closing mark.

    Inside the marks when the marks open the passage or sit in running prose; the whole passage
    when it is a stand-alone quotation after a lead-in and the marks only close a quotation
    nested in it ("[GPs said]: 'How long will this funding last...'").
    """
    opening = find_opening_mark(text, closing, region_start)
    if opening is None:
        return region_start
    first = _strip_space(text, region_start, opening)[0]
    if first < opening and text[first] in OPENING_MARKS and (
        _closing_index(text, first, opening) is None or _joined_passages(text, first, opening)
    ):
        return first + 1
    if not text[region_start:opening].strip() or not _ends_lead_in(text, region_start):
        return opening + 1
    return region_start


def _joined_passages(text: str, first: int, last: int) -> bool:
    """Whether marked passages joined only by punctuation lead from the mark at `first` to the one at `last`."""
    position = first
    while position < last:
        closing = _closing_index(text, position, last)
        junction = _JUNCTION.match(text, closing) if closing is not None else None
        if junction is None:
            return False
        position = junction.start("open")
    return position == last


def _closing_index(text: str, opening: int, limit: int) -> int | None:
    """Where the quotation opened at `opening` closes, if it closes before `limit`."""
    partners = {"“": "”", "‘": "’", "\"": "\"", "'": "'’"}.get(text[opening], "")
    depth = 0
    for index in range(opening + 1, limit):
        char = text[index]
        if char == text[opening] and char not in partners and _is_opening(text, index):
            depth += 1
        elif char in partners and _is_closing(text, index):
            if depth == 0:
                return index
            depth -= 1
    return None


def _is_inline(text: str, chain_start: int, start: int) -> bool:
    """Inside a running paragraph: prose precedes the quotation, which does not open its own line."""
    head = text[chain_start:start].rstrip(OPENING_MARKS + " \t")
    if not head.strip():
        return False
    return not (head.endswith("\n") and head.rstrip().endswith(":"))


def paragraph_chain_start(text: str, position: int, paragraphs: Paragraphs) -> int:
    """Start of the paragraph holding `position`, joined back across page and column breaks."""
    index = paragraphs.index_at(position)
    while index > 0 and _continues_previous(text, paragraphs, index):
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


def _continues_previous(text: str, paragraphs: Paragraphs, index: int) -> bool:
    """A paragraph continues the one before it across a page, column or line break.

    It does when it starts in lower case (or with a bracketed insertion in lower case), or when
    the one before is a long passage that stops mid-sentence, as a wrapped line of a PDF does.
    """
    start, _ = paragraphs.spans[index]
    first = text[start:start + 5].lstrip()
    previous = text[paragraphs.spans[index - 1][0]:paragraphs.spans[index - 1][1]].rstrip()
    if not first or previous.endswith(":"):
        return False
    if first[0].islower() or (first[0] == "[" and first[1:2].islower()):
        return True
    return previous[-1:].isalnum() and len(_WORD.findall(previous)) >= MIN_WRAPPED_WORDS


def _inside_brackets(segment: str, position: int) -> bool:
    head = segment[:position]
    return head.count("[") > head.count("]") or head.count("(") > head.count(")")


def _ends_lead_in(text: str, position: int) -> bool:
    """Whether the text just before `position` ends with a lead-in colon ("as this GP explained:")."""
    before = text[max(0, position - 200):position].rstrip().rstrip(_SUPERSCRIPTS)
    return before.endswith(":")


def _follows_lead_in(text: str, position: int, paragraphs: Paragraphs) -> bool:
    """Whether the passage holding `position` is introduced by a lead-in colon."""
    chain_start = paragraph_chain_start(text, position, paragraphs)
    return _ends_lead_in(text, after_lead_in(text, chain_start, position))


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
    return start if complete and _ends_lead_in(text, start) else -1


def _opens_with_quote_mark(text: str, position: int, paragraphs: Paragraphs) -> bool:
    chain_start = paragraph_chain_start(text, position, paragraphs)
    head = text[after_lead_in(text, chain_start, position):position].lstrip()
    return bool(head) and head[0] in OPENING_MARKS


def find_opening_mark(text: str, closing: int, floor: int) -> int | None:
    """The opening mark that pairs with the closing mark at `closing`, searching back to `floor`.

    Curly marks nest, so they are counted; straight marks cannot nest and the nearest mark in an
    opening position wins.
    """
    partners = _PARTNERS.get(text[closing], "")
    closers = "”" if "“" in partners else "’"
    depth = 0
    for mark in reversed([match.start() for match in _MARK.finditer(text, floor, closing)]):
        char = text[mark]
        if char in closers and char not in partners and _is_closing(text, mark):
            depth += 1
        elif char in partners and _is_opening(text, mark):
            if depth == 0:
                return mark
            depth -= 1
    return None


# --- attribution before the quotation ------------------------------------------------------------


def quotes_after_leading_attribution(
    text: str, conventions: Conventions, paragraphs: Paragraphs, found: list[Quote]
) -> list[Quote]:
    """Quotations whose attribution comes first: `(Smith 2019 p4) 'text'`, `Interviewee 7: text`."""
    taken = [(quote.char_start, quote.char_end) for quote in found]
    quotes = []
    for start, end in paragraphs.spans:
        if any(start <= q_start < end or q_start <= start < q_end for q_start, q_end in taken):
            continue
        quote = _leading_attribution_quote(text, start, end, conventions)
        if quote is not None:
            quotes.append(quote)
    return quotes


def _leading_attribution_quote(text: str, start: int, end: int, conventions: Conventions) -> Quote | None:
    paragraph = text[start:end]
    match = _BRACKETED_PREFIX.match(paragraph) or _CODE_PREFIX.match(paragraph)
    if match is None:
        return None
    attribution = conventions.parse(match.group("attr"))
    if not is_recognised(attribution):
        return None
    body = start + match.end()
    anchor = Anchor(start + match.start("attr"), start + match.end("attr"), attribution, None)
    if body < end and text[body] in OPENING_MARKS:
        closing = find_closing_mark(text, body, end)
        return None if closing is None else _make_quote(text, body + 1, closing, anchor, inline=False)
    if attribution.source_kind != "interview" or not text[body:end].strip():
        return None
    return _make_quote(text, body, end, anchor, inline=False)


def find_closing_mark(text: str, opening: int, limit: int) -> int | None:
    """The last closing mark of the same family before `limit` that ends a word."""
    partners = {"“": "”\"", "\"": "\"”", "‘": "’'", "'": "'’"}.get(text[opening], "")
    for index in range(limit - 1, opening, -1):
        if text[index] in partners and _is_closing(text, index):
            after = text[index + 1:index + 2]
            if not after or not after.isalnum():
                return index
    return None


# --- building the record -------------------------------------------------------------------------


def _make_quote(text: str, start: int, end: int, anchor: Anchor, inline: bool) -> Quote | None:
    """Trim the span to the quotation's words (no enclosing marks, no outer space) and record it."""
    start, end = _trim(text, start, end)
    if start >= end:
        return None
    preceding = text[max(0, start - 600):start]
    return Quote(
        ordinal=0,
        text=_SPACES.sub(" ", text[start:end]).strip(),
        char_start=start,
        char_end=end,
        attribution=anchor.attribution,
        inline=inline,
        lead_in_role=lead_in_role(_strip_opening(preceding)),
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop outer space and the enclosing marks of a stand-alone quotation."""
    start, end = _strip_space(text, start, end)
    if start < end and text[start] in OPENING_MARKS:
        start += 1
    if end > start and text[end - 1] in CLOSING_MARKS and not text[end - 2:end - 1].isalpha():
        end -= 1
    return _strip_space(text, start, end)


def _strip_space(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _strip_opening(preceding: str) -> str:
    return preceding.rstrip().rstrip(OPENING_MARKS).rstrip()


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
