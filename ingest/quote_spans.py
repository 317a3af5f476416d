"""What every quotation pass shares: quotation marks and how they pair, paragraphs and the chains
they form across page and column breaks, the attribution anchor a quotation hangs on, and the
quotation record cut from a span.

The passes (attributed quotations in `ingest.quotes`, exchanges printed in a report in
`ingest.transcript`, quotations their speaker interrupts in `ingest.interrupted_quotes`,
unattributed ones in `ingest.unattributed_quotes`, inline ones in `ingest.inline_quotes`) read the
text through these, so they agree on where a quotation opens, closes and ends.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate

from ingest.attribution import SIGNATURE_DASH, SchemeSet, is_recognised, parse_attribution, strip_attribution
from ingest.attribution_vocabulary import Vocabulary, describing_parts_start, respondent_attribution, shape_facets
from ingest.lead_in import lead_in_role
from ingest.records import Attribution, Quote
from ingest.text.lead_ins import COLON_AND_CALL
from ingest.text.marks import CLOSING_MARKS, OPENING_MARKS
from ingest.text.sentences import SUPERSCRIPT_DIGITS
from ingest.text.whitespace import collapse_spaces, strip_span

# Guillemets (`« … »`, `‹ … ›`), as French-style and international reports mark quotations, read as
# the curly marks they stand for; one character for one, so every offset holds in both texts. French
# typesetting spaces the words from their guillemets: the mark is read next to the words instead.
_AS_CURLY_MARKS = str.maketrans("«»‹›", "“”‘’")
_SPACED_GUILLEMET = re.compile(
    r"(?P<opening>[«‹])(?P<after>[ \t\u00a0\u202f]+)|(?P<before>[ \t\u00a0\u202f]+)(?P<closing>[»›])"
)
# The opening marks a closing mark may pair with; typesetting mixes curly and straight marks.
_PARTNERS = {"”": "“\"", "\"": "\"“", "’": "‘'", "'": "'‘", "“": "“\""}
# Quoted words a quotation needs before a respondent label.
MIN_WORDS_WITH_LABEL = 3
WORD = re.compile(r"[\w’']+")
_MARK = re.compile(f"[{re.escape(OPENING_MARKS + CLOSING_MARKS)}]")
_DOUBLE_MARK = re.compile("[“”\"]")
# Words of speech rather than of a report: first and second person, spoken contractions.
SPEECH = re.compile(r"\b(?:I|me|my|you|your)\b|\b\w+[’'](?:m|re|ve|d|ll)\b|\w+n[’']t\b")
# A bibliography entry, not anyone's words.
REFERENCE = re.compile(r"https?://|www\.|\bdoi\s*:|\b10\.\d{4,}/", re.IGNORECASE)
# A sentence's end with a footnote's number after it (`...drew from that?7`): a paragraph's end, not a
# line broken mid-sentence.
_ENDS_AT_NOTE = re.compile(rf"[.!?…][”’\"]?(?:\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]{{1,3}})$")
# A paragraph whose last line is a signature after a dash (`— SU-11`): a quotation and its speaker, whole.
_SIGNED_LAST_LINE = re.compile(rf"(?:^|\n)[ \t]*{SIGNATURE_DASH}[ \t]*\S[^\n]*$")
# Words a passage needs before a break in mid-sentence is read as a wrapped line, not a heading.
MIN_WRAPPED_WORDS = 10


# An aside in brackets closing a label: `Participant 3 (carer, 50s)`.
_TRAILING_ASIDE = re.compile(r"[ \t]*\((?P<aside>[^()\n]{1,40})\)$")


@dataclass(frozen=True)
class Conventions:
    """How this document attributes: the configured schemes, then the codes it was seen to use."""

    schemes: SchemeSet
    vocabulary: Vocabulary
    # Note -> the interviewee a footnote cites (see `ingest.interview_notes`).
    notes: Mapping[str, Attribution] = field(default_factory=dict)

    def parse(self, raw: str) -> Attribution:
        """Read a printed attribution with the schemes, else with the document's own vocabulary; a
        respondent's code followed by an aside about them (`Participant 3 (carer, 50s)`) is that
        respondent, the aside's parts their facets; so is one followed by parts that only describe
        them (`Participant 12, male, aged 65-74`), printed whole as the document prints it."""
        attribution = self.vocabulary.read(parse_attribution(raw, self.schemes))
        if is_recognised(attribution):
            return attribution
        label = strip_attribution(raw)
        described = describing_parts_start(label)
        if described is not None and self._names_respondent(label[:described]):
            return respondent_attribution(raw, label)
        aside = _TRAILING_ASIDE.search(label)
        if aside is None or aside.start() == 0:
            return attribution
        speaker = self.vocabulary.read(parse_attribution(label[:aside.start()], self.schemes))
        if not is_recognised(speaker) or speaker.source_kind != "interview":
            return attribution
        return replace(speaker, raw=raw, facets={**shape_facets(aside.group("aside")), **speaker.facets})

    def _names_respondent(self, label: str) -> bool:
        speaker = self.vocabulary.read(parse_attribution(label, self.schemes))
        return is_recognised(speaker) and speaker.source_kind == "interview"


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


class Taken:
    """The spans of the quotations found so far, asked whether a span meets one, in log time: a long
    report has thousands of paragraphs and quotations to check against each other."""

    def __init__(self, quotes: Iterable[Quote]):
        self._spans = sorted((quote.char_start, quote.char_end) for quote in quotes)
        self._index()

    def add(self, start: int, end: int) -> None:
        """Count [start, end) as taken from now on."""
        insort(self._spans, (start, end))
        self._index()

    def _index(self) -> None:
        self._starts = [start for start, _ in self._spans]
        self._reach = list(accumulate((end for _, end in self._spans), max))  # the furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        """A quotation shares a character with [start, end)."""
        before = bisect_left(self._starts, end)
        return before > 0 and self._reach[before - 1] > start

    def touches(self, start: int, end: int) -> bool:
        """A quotation shares a character with [start, end] or is next to it."""
        before = bisect_right(self._starts, end)
        return before > 0 and self._reach[before - 1] >= start


def is_closing(text: str, index: int) -> bool:
    """A mark closes a quotation when it follows a word or punctuation, not a space; a single mark
    with a letter after it is an apostrophe (`dasn’t`, `it's`)."""
    if index <= 0 or text[index - 1].isspace():
        return False
    return not (text[index] in "’'" and text[index + 1:index + 2].isalpha())


def is_opening(text: str, index: int) -> bool:
    """A mark opens a quotation when it starts a word after a space, a bracket or a colon; a left double
    mark, which closes nothing, may stand apart from the word (a pull quote's large mark: `“ At first`)."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isspace() or before in "([{:—–-/") and (not after.isspace() or text[index] == "“")


def wholly_quoted(text: str, start: int, end: int) -> bool:
    """A paragraph that opens with a quotation mark and closes with its partner."""
    start, end = strip_span(text, start, end)
    while end > start and text[end - 1] in ".,;":
        end -= 1
    if end - start < 2 or text[start] not in OPENING_MARKS or text[end - 1] not in CLOSING_MARKS:
        return False
    return find_opening_mark(text, end - 1, start) == start


def paragraph_chains(text: str, paragraphs: Paragraphs) -> list[tuple[int, int]]:
    """Paragraphs joined across page, column and wrapped-line breaks."""
    chains: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(paragraphs.spans):
        if chains and index > 0 and continues_previous(text, paragraphs, index):
            chains[-1] = (chains[-1][0], end)
        else:
            chains.append((start, end))
    return chains


def closing_index(text: str, opening: int, limit: int) -> int | None:
    """Where the quotation opened at `opening` closes, if it closes before `limit`."""
    partners = {"“": "”", "‘": "’", "\"": "\"", "'": "'’"}.get(text[opening], "")
    return _outermost(
        (match.start() for match in _MARK.finditer(text, opening + 1, limit)),
        nests=lambda i: text[i] == text[opening] and text[i] not in partners and is_opening(text, i),
        pairs=lambda i: text[i] in partners and is_closing(text, i),
    )


def continues_previous(text: str, paragraphs: Paragraphs, index: int) -> bool:
    """A paragraph continues the one before it across a page, column or line break.

    It does when it starts in lower case (or with a bracketed insertion in lower case), when the
    one before is a long passage that stops mid-sentence, as a wrapped line of a PDF does (unless it
    is wholly quoted: a box the page set into the sentence), or when
    a quotation the one before opens is closed in it before any other opens (a page break in the
    quotation's middle; a quotation printed over two paragraphs opens each one again).
    """
    start, end = paragraphs.spans[index]
    first = text[start:start + 5].lstrip()
    previous = text[paragraphs.spans[index - 1][0]:paragraphs.spans[index - 1][1]].rstrip()
    if not first or previous.endswith(":"):
        return False
    if first[0].islower() or (first[0] == "[" and first[1:2].islower()) or _runs_on(previous, text[start:end]):
        return True
    ended = _ENDS_AT_NOTE.search(previous) is not None or _SIGNED_LAST_LINE.search(previous) is not None
    if wholly_quoted(text, start, end):
        return False  # a box of quoted words the page set into a sentence, which goes on after it
    return previous[-1:].isalnum() and not ended and len(WORD.findall(previous)) >= MIN_WRAPPED_WORDS


def _runs_on(previous: str, paragraph: str) -> bool:
    """A double-marked quotation left open at the end of `previous` closes in `paragraph` before
    any quotation opens there."""
    opened = list(_DOUBLE_MARK.finditer(previous))
    if not opened or not is_opening(previous, opened[-1].start()):
        return False
    following = _DOUBLE_MARK.search(paragraph)
    return following is not None and is_closing(paragraph, following.start())


def ends_lead_in(text: str, position: int) -> bool:
    """Whether the text just before `position` ends with a lead-in colon ("as this GP explained:"),
    maybe with a note's call after it, raised or printed inline (`the policy says:2`)."""
    before = text[max(0, position - 200):position].rstrip().rstrip(SUPERSCRIPT_DIGITS)
    return before.endswith(":") or COLON_AND_CALL.search(before) is not None


def find_opening_mark(text: str, closing: int, floor: int) -> int | None:
    """The opening mark that pairs with the closing mark at `closing`, searching back to `floor`.

    Curly marks nest, so they are counted; straight marks cannot nest and the nearest mark in an
    opening position wins.
    """
    partners = _PARTNERS.get(text[closing], "")
    closers = "”" if "“" in partners else "’"
    return _outermost(
        reversed([match.start() for match in _MARK.finditer(text, floor, closing)]),
        nests=lambda i: text[i] in closers and text[i] not in partners and is_closing(text, i),
        pairs=lambda i: text[i] in partners and is_opening(text, i),
    )


def _outermost(positions: Iterable[int], nests: Callable[[int], bool], pairs: Callable[[int], bool]) -> int | None:
    """The first of `positions` that `pairs` accepts once each earlier one that `nests` accepts is paired off.

    Both searches for a quotation's partner mark, forward to its close and back to its opening,
    are this walk: a mark like the one sought nests, a partner closes the innermost open one.
    """
    depth = 0
    for index in positions:
        if nests(index):
            depth += 1
        elif pairs(index):
            if depth == 0:
                return index
            depth -= 1
    return None


def in_curly_marks(text: str) -> str:
    """The text with its guillemets as curly marks, for the passes to read: they know curly and
    straight marks only. A quotation's words are then cut from the text as printed (`as_printed`)."""
    if not any(mark in text for mark in "«»‹›"):
        return text
    return _SPACED_GUILLEMET.sub(_beside_the_words, text).translate(_AS_CURLY_MARKS)


def _beside_the_words(match: re.Match[str]) -> str:
    if match.group("opening"):
        return match.group("after") + match.group("opening")
    return match.group("closing") + match.group("before")


def as_printed(quote: Quote, text: str) -> Quote:
    """The quotation with its words cut from `text`, the text as printed, at the same offsets."""
    return replace(quote, text=collapse_spaces(text[quote.char_start:quote.char_end]))


def make_quote(text: str, start: int, end: int, anchor: Anchor, inline: bool) -> Quote | None:
    """Trim the span to the quotation's words (no enclosing marks, no outer space) and record it."""
    start, end = _trim(text, start, end)
    if start >= end:
        return None
    preceding = text[max(0, start - 600):start]
    return Quote(
        ordinal=0,
        text=collapse_spaces(text[start:end]),
        char_start=start,
        char_end=end,
        attribution=anchor.attribution,
        inline=inline,
        lead_in_role=lead_in_role(_strip_opening(preceding)),
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop outer space and the enclosing marks of a stand-alone quotation. A closing mark right after
    a letter may be an apostrophe (`the workers’`), and stays, unless it closes the opening mark."""
    start, end = strip_span(text, start, end)
    opening = start if start < end and text[start] in OPENING_MARKS else None
    if opening is not None:
        start += 1
    closes_opening = opening is not None and closing_index(text, opening, end) == end - 1
    if end > start and text[end - 1] in CLOSING_MARKS and (not text[end - 2:end - 1].isalpha() or closes_opening):
        end -= 1
    return strip_span(text, start, end)


def _strip_opening(preceding: str) -> str:
    return preceding.rstrip().rstrip(OPENING_MARKS).rstrip()
