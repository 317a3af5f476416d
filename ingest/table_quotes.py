"""Quotations printed in a table: a row holding a cell of quoted words and a cell naming who said
them (`| Trust | "They never rang back..." | Parent, FG1 |`, or the tab-separated rows that Word,
HTML and ruled PDF tables become).

Journal papers often print their illustrative quotations this way, a row per theme, and
consultation reports their comments by respondent type. A cell is a quotation when it is wholly in
quotation marks, or when its column's header says the column holds quotations (or, beside a column
naming who, their comments); its speaker is another cell of the row that the document's conventions
read as a respondent, or a short cell in a column whose header names the speaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.attribution import is_recognised
from ingest.attribution_vocabulary import MAX_LABEL_WORDS, respondent_attribution
from ingest.quote_spans import WORD, Anchor, Conventions, Taken, make_quote, wholly_quoted
from ingest.records import Attribution, Quote
from ingest.text.whitespace import strip_span
from ingest.unattributed_quotes import MIN_UNATTRIBUTED_WORDS, UNATTRIBUTED

Cell = tuple[int, int]

_ROW = re.compile(r"^[^\n]*(?:\t|\|)[^\n]*$", re.MULTILINE)
_PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_RULE_ROW = re.compile(r"^[\s|:+-]*$")
# A column of quotations; a translation's column holds the words as the reader reads them.
_QUOTE_HEADER = re.compile(
    r"\b(?:quot(?:e|es|ation|ations)|extracts?|excerpts?|verbatim|translations?|in (?:their|own) words)\b",
    re.IGNORECASE,
)
# A column of what people said, when another column names who: a consultation's comments by respondent type,
# or the answers to a question the header puts to them (`What has changed since you joined?`).
_COMMENT_HEADER = re.compile(
    r"^(?:(?:example|selected|illustrative|typical)[ \t]+)?(?:comments?|responses?|feedback|views?|"
    r"what(?:[ \t]+[\w’'-]+){1,3}?[ \t]+(?:said|told[ \t]+us|wrote))$"
    r"|^[^?\n]*\byou\b[^?\n]*\?$",
    re.IGNORECASE,
)
_SPEAKER_HEADER = re.compile(
    r"^(?:participants?|respondents?|interviewees?|informants?|speakers?|sources?|attributions?|stakeholders?|"
    r"contributors?|roles?|employers?|partners?|organi[sz]ations?|providers?|agenc(?:y|ies)|members?|sectors?|"
    r"who(?:[ \t]+said[ \t]+it)?|said[ \t]+by|"
    r"(?:participant|respondent|interviewee|stakeholder)s?[ \t]*(?:id|code|number|no\.?|type|group|category|role)|"
    r"(?:type|group|category)[ \t]+of[ \t]+(?:participant|respondent|stakeholder)s?|ids?|codes?)$",
    re.IGNORECASE,
)
# A respondent's code alone in a cell; a question's number (`Q3`) is none.
_CODE_CELL = re.compile(r"(?!Q[ _-]?\d)[A-Z]{1,4}[ _-]?\d{1,4}[a-z]?")
# A table's header speaks for the rows below it this far on (in characters), where a page break's
# furniture or a row's spilled line parts them.
MAX_CONTINUATION_CHARS = 500
# A sentence ends inside a cell (a quotation, not a label); a citation's "et al." ends none.
_SENTENCE_END = re.compile(r"(?<!\bet al)[.!?…]\s+\S")


def table_quotations(text: str, found: list[Quote], conventions: Conventions) -> list[Quote]:
    """The quotations of every table row that holds one, with the speaker the row names."""
    taken = Taken(found)
    quotes = []
    previous_header: list[str] = []
    previous_end = -MAX_CONTINUATION_CHARS
    for table in _tables(text):
        header, rows = [text[start:end].strip(" *_") for start, end in table[0]], table[1:]
        if any(_is_quotation(text, cell, False) for cell in table[0]):
            header, rows = [], table
            if len(previous_header) == len(table[0]) and table[0][0][0] - previous_end <= MAX_CONTINUATION_CHARS:
                header = previous_header  # the table goes on below its header, past a page break
        previous_header, previous_end = header, table[-1][-1][1]
        speaker_columns = {index for index, name in enumerate(header) if _SPEAKER_HEADER.match(name)}
        speaker_columns |= _columns_of_codes(text, rows) if header else set()
        quote_columns = {index for index, name in enumerate(header)
                         if _QUOTE_HEADER.search(name) or (speaker_columns and _COMMENT_HEADER.match(name))}
        for row in rows:
            # A row short of the header's cells lost its first ones to a cell spanning rows above.
            shift = max(0, len(header) - len(row))
            speakers = {column - shift for column in speaker_columns}
            for index, cell in enumerate(row):
                if taken.overlaps(*cell) or not _is_quotation(text, cell, index + shift in quote_columns):
                    continue
                attribution = _speaker(text, row, index, speakers, conventions) or UNATTRIBUTED
                quote = make_quote(text, *cell, Anchor(cell[0], cell[0], attribution, None), inline=False)
                if quote is not None:
                    quotes.append(quote)
                    taken.add(*cell)
    return quotes


def _columns_of_codes(text: str, rows: list[list[Cell]]) -> set[int]:
    """Columns whose every cell is a respondent's code (`V03`, `P-12`, `FG2`): who each row's words are by,
    whatever the header calls them."""
    width = min((len(row) for row in rows), default=0)
    return {index for index in range(width)
            if len(rows) >= 2 and all(_CODE_CELL.fullmatch(text, *row[index]) for row in rows)}


def _tables(text: str) -> Iterator[list[list[Cell]]]:
    """Runs of consecutive table rows, each row its cells' spans (Markdown rule rows left out)."""
    table: list[list[Cell]] = []
    previous_end = -2
    for match in _ROW.finditer(text):
        cells = _cells(text, match.start(), match.end())
        if len(cells) < 2:
            continue
        if match.start() != previous_end + 1 and table:
            yield table
            table = []
        previous_end = match.end()
        if not _RULE_ROW.match(match.group(0)):
            table.append(cells)
    if table:
        yield table


def _cells(text: str, start: int, end: int) -> list[Cell]:
    """The stripped spans of a row's cells, empty ones too (they keep the columns in line), split at
    tabs or, in a Markdown row, at pipes."""
    line = text[start:end]
    separator = "|" if _PIPE_ROW.match(line) else "\t"
    if separator == "|":
        start, end = start + line.index("|") + 1, start + line.rindex("|")
    cells, cell_start = [], start
    for position in [*(i for i in range(start, end) if text[i] == separator), end]:
        cells.append(strip_span(text, cell_start, position))
        cell_start = position + 1
    return cells


def _is_quotation(text: str, cell: Cell, in_quote_column: bool) -> bool:
    if len(WORD.findall(text[cell[0]:cell[1]])) < MIN_UNATTRIBUTED_WORDS:
        return False
    return in_quote_column or wholly_quoted(text, *cell)


def _speaker(text: str, row: list[Cell], index: int, speaker_columns: set[int],
             conventions: Conventions) -> Attribution | None:
    """The row's speaker: a cell of a speaker column, else another cell read as a respondent's code."""
    others = sorted((i for i in range(len(row)) if i != index), key=lambda i: (i not in speaker_columns, i < index))
    for other in others:
        label = text[row[other][0]:row[other][1]].strip(" *_")
        if not label or len(WORD.findall(label)) > MAX_LABEL_WORDS or _SENTENCE_END.search(label):
            continue
        attribution = conventions.parse(label)
        if is_recognised(attribution) and attribution.source_kind == "interview":
            return attribution
        if other in speaker_columns:
            return respondent_attribution(label, label)
    return None
