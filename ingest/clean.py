"""Turn a loader's pages into one normalised document text with a map back to pages.

Every offset stored later points into the text this module returns, so it is the one
place that decides what counts as the document's words: extraction markup, manuscript
line numbers, page furniture and cover sheets are dropped; the words are kept exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

from ingest.layout_marks import locate_marks, markdown_marks, strip_blockquote
from ingest.records import CleanDocument, LayoutMark, RawDocument

FURNITURE_FILE = Path(__file__).with_name("furniture.yaml")

_TAGS = re.compile(
    r"</?(?:i|b|em|strong|u|sup|sub|p|br|span|div|li|ul|ol|td|tr|th|font)\b[^<>]{0,80}>", re.IGNORECASE
)
_STARS = re.compile(r"(?<![\s*])\*+|\*+(?=[^\s*])|^\*+$")
_BULLET = re.compile(r"^(\s*[-–•]\s*)[♣★→+▪●◦■✓✔➢►▶\uf0b7\uf0a7](\s+)")
_GLYPH_BULLET = re.compile(r"^(\s*)[♣★→▪●◦■✓✔➢►▶\uf0b7\uf0a7](\s+)")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_NUMBER_PREFIX = re.compile(r"^((?:\d{1,3} )+)(?=\S)")
_LINE_END_HYPHEN = re.compile(r"([a-z])-\n([a-z])")
_BARE_TOKEN = re.compile(r"(?:(?<=\s)|^)(\d{1,2})(?=[ \n][^\d\s])", re.MULTILINE)
_NUMBER_RUN = re.compile(r"^(?:\d{1,3} ){2,}(?=\S)")
_LIST_ITEM = re.compile(r"^(?:[-–•]\s|\d{1,2}[.)]\s|\(?[a-z]\)\s)")
_SPACES = re.compile(r"[ \u00a0]+")
_BLANK_RUN = re.compile(r"\n{3,}")

# Cover-sheet paragraphs are short; only this much of a paragraph is searched for markers.
COVER_PARAGRAPH_CHARS = 2000
# A manuscript carries margin line numbers when this many bare numbers follow one another.
LINE_NUMBER_RUN = 8
# Largest step between two line numbers left among the words (blank lines are numbered too).
MAX_COUNT_STEP = 8
# Bare numbers counting up inside one quotation that betray line numbers left in it.
ARTEFACT_COUNT_RUN = 3


@dataclass(frozen=True)
class FurnitureRules:
    """Publisher furniture and cover-sheet markers, read from a data file so users can extend them."""

    lines: tuple[re.Pattern[str], ...]
    cover_markers: tuple[re.Pattern[str], ...]
    cover_min_markers: int
    cover_max_share: float


@lru_cache(maxsize=4)
def load_furniture_rules(path: Path = FURNITURE_FILE) -> FurnitureRules:
    """Read furniture patterns once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FurnitureRules(
        lines=tuple(re.compile(p, re.IGNORECASE) for p in data["furniture_lines"]),
        cover_markers=tuple(re.compile(p, re.IGNORECASE) for p in data["cover_markers"]),
        cover_min_markers=int(data["cover_min_markers"]),
        cover_max_share=float(data["cover_max_share"]),
    )


def strip_markup(line: str) -> str:
    """Drop markdown emphasis and HTML emphasis tags that text extraction left in."""
    return _STARS.sub("", _TAGS.sub("", line))


def strip_bullet_glyph(line: str) -> str:
    """Reduce decorative bullet glyphs (♣ ★ → +) to a plain list dash."""
    line = _BULLET.sub(r"\1", line)
    return _GLYPH_BULLET.sub(r"\1- ", line)


def is_line_numbered(lines: list[str]) -> bool:
    """A manuscript with margin line numbers shows long runs of bare consecutive integers."""
    run = best = 0
    previous = None
    for line in lines:
        match = _BARE_NUMBER.match(line)
        if match:
            value = int(match.group(1))
            run = run + 1 if previous is not None and value == previous + 1 else 1
            previous = value
            best = max(best, run)
        elif line.strip():
            previous = None
            run = 0
    return best >= LINE_NUMBER_RUN


def drop_line_numbers(lines: list[str]) -> list[str]:
    """Remove margin line numbers: bare number lines and number prefixes on text lines.

    Prefixes are only stripped when they continue the running line count, so a sentence
    that happens to start with a number keeps it.
    """
    kept: list[str] = []
    last = 0
    for line in lines:
        bare = _BARE_NUMBER.match(line)
        if bare:
            last = int(bare.group(1))
            continue
        prefix = _NUMBER_PREFIX.match(line)
        if prefix:
            numbers = [int(n) for n in prefix.group(1).split()]
            if _continues_count(numbers, last):
                last = numbers[-1]
                line = line[prefix.end():]
        kept.append(line)
    return kept


def _continues_count(numbers: list[int], last: int) -> bool:
    consecutive = all(b == a + 1 for a, b in pairwise(numbers))
    first = numbers[0]
    return consecutive and (last < first <= last + 6 or first <= 3)


def drop_furniture(lines: list[str], rules: FurnitureRules) -> list[str]:
    """Remove running furniture lines such as "For peer review only"."""
    return [line for line in lines if not any(p.match(line.strip()) for p in rules.lines)]


def drop_cover_sheet(text: str, rules: FurnitureRules) -> str:
    """Remove a repository or publisher cover sheet at the start of the document.

    The cover is the run of paragraphs from the start up to the last paragraph holding a
    cover marker, provided markers are dense there and the run stays near the start.
    """
    limit = int(len(text) * rules.cover_max_share) or len(text)
    cover_end = 0
    markers = 0
    gap = 0
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        if match.start() > limit:
            break
        hits = sum(1 for p in rules.cover_markers if p.search(match.group(0)[:COVER_PARAGRAPH_CHARS]))
        if hits:
            markers += hits
            cover_end = match.end()
            gap = 0
        else:
            gap += 1
            if gap > 6 and markers:
                break
    if markers < rules.cover_min_markers:
        return text
    return text[cover_end:]


def drop_number_runs(line: str) -> str:
    """Drop a run of consecutive integers at a line start ("17 18 19 20 THEME 2"): reflowed line numbers."""
    match = _NUMBER_RUN.match(line)
    if not match:
        return line
    numbers = [int(n) for n in match.group(0).split()]
    return line[match.end():] if all(b == a + 1 for a, b in pairwise(numbers)) else line


def furniture_in(text: str, rules: FurnitureRules | None = None) -> str | None:
    """The first piece of page furniture or line numbering inside a passage, or None when it is clean.

    Used to hold extracted quotations to "verbatim or nothing": what the cleaner drops elsewhere
    must not survive inside a quotation.
    """
    rules = rules or load_furniture_rules()
    for pattern in rules.lines:
        found = re.search(pattern.pattern.strip("^$"), text, re.IGNORECASE)
        if found:
            return found.group(0)
    count = _longest_count(list(_BARE_TOKEN.finditer(text)))
    if len(count) >= ARTEFACT_COUNT_RUN:
        return " ".join(token.group(1) for token in count)
    return None


def drop_embedded_count(text: str) -> str:
    """Drop line numbers a layout set among the words ("...from 23 the national..."): a long count.

    A manuscript's numbering, re-typeset, leaves bare integers between words that count up
    through the page (skipping the numbers of blank lines); a number in the prose (`18 months`)
    is not part of such a run.
    """
    best = _longest_count(list(_BARE_TOKEN.finditer(text)))
    if len(best) < LINE_NUMBER_RUN:
        return text
    for token in reversed(best):
        text = text[:token.start(1)] + text[token.end(1):]
    return text


def _longest_count(tokens: list[re.Match[str]]) -> list[re.Match[str]]:
    """The longest run of bare numbers counting up with small steps, in reading order."""
    values = [int(token.group(1)) for token in tokens]
    # Longest count through the page: for each number, the longest run ending there.
    length = [1] * len(values)
    previous: list[int | None] = [None] * len(values)
    for j in range(len(values)):
        for i in range(j):
            if 0 < values[j] - values[i] <= MAX_COUNT_STEP and length[i] + 1 > length[j]:
                length[j], previous[j] = length[i] + 1, i
    best: list[re.Match[str]] = []
    index = max(range(len(values)), key=length.__getitem__) if values else None
    while index is not None:
        best.append(tokens[index])
        index = previous[index]
    return best[::-1]


def reflow(text: str) -> str:
    """Join the lines of each paragraph with spaces, as a PDF's layout broke them.

    List items and tab-separated table rows keep their own lines.
    """
    lines = text.split("\n")
    out = lines[:1]
    for line in lines[1:]:
        previous = out[-1]
        if previous and line and "\t" not in previous and "\t" not in line and not _LIST_ITEM.match(line):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def repair_hyphenation(text: str) -> str:
    """Join words split by a hyphen at a line end ("Van-\\nguard" -> "Vanguard")."""
    return _LINE_END_HYPHEN.sub(r"\1\2", text)


def tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines; trim every line."""
    lines = [_SPACES.sub(" ", line).strip() if "\t" not in line else line.strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def normalise(raw: RawDocument, rules: FurnitureRules | None = None) -> CleanDocument:
    """Clean every page and join them into one text, recording where each page starts.

    Paragraphs the layout set off (a loader's marks, or Markdown blockquotes and emphasis)
    become spans of the clean text.
    """
    rules = rules or load_furniture_rules()
    page_lines = [_newlines(page.text).split("\n") for page in raw.pages]
    numbered = is_line_numbered([line for lines in page_lines for line in lines])

    def clean(lines: list[str]) -> str:
        return _clean_page(lines, numbered, rules, raw.source_format)

    texts = [clean(lines) for lines in page_lines]
    marks: list[LayoutMark] = []
    offset = 0
    for page, text in zip(raw.pages, texts):
        page_marks = markdown_marks(_newlines(page.text)) if raw.source_format == "markdown" else page.set_off
        if page_marks:
            marks.extend(
                locate_marks(_newlines(page.text), page_marks, text, lambda part: clean(part.split("\n")), offset)
            )
        offset += len(text) + 2
    return _join_pages(texts, [page.number for page in raw.pages], rules, marks)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean_page(lines: list[str], numbered: bool, rules: FurnitureRules, source_format: str) -> str:
    """One page's lines as clean text: numbers, furniture and markup dropped, words kept."""
    if numbered:
        lines = drop_line_numbers(lines)
    lines = drop_furniture(lines, rules)
    if source_format == "markdown":
        lines = [strip_blockquote(line) for line in lines]
    lines = [drop_number_runs(strip_bullet_glyph(strip_markup(line))) for line in lines]
    text = tidy(repair_hyphenation("\n".join(lines)))
    if source_format == "pdf":
        text = tidy(drop_embedded_count(text))
    return reflow(text) if source_format == "pdf" else text


def _join_pages(texts: list[str], numbers: list[int], rules: FurnitureRules, marks: list[LayoutMark]) -> CleanDocument:
    """Join cleaned pages, dropping a cover sheet first, and keep the page map and marks exact."""
    whole = "\n\n".join(texts)
    without_cover = drop_cover_sheet(whole, rules)
    dropped = len(whole) - len(without_cover)
    stripped = without_cover.lstrip("\n")
    dropped += len(without_cover) - len(stripped)

    starts: list[int] = []
    kept_numbers: list[int] = []
    offset = 0
    for text, number in zip(texts, numbers):
        page_end = offset + len(text)
        if page_end > dropped:
            starts.append(max(offset - dropped, 0))
            kept_numbers.append(number)
        offset = page_end + 2
    kept_marks = tuple(
        LayoutMark(mark.start - dropped, mark.end - dropped, mark.kind) for mark in marks if mark.start >= dropped
    )
    return CleanDocument(text=stripped, page_starts=starts, page_numbers=kept_numbers, set_off=kept_marks)
