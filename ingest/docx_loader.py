"""Load Word documents (.docx) with python-docx: body paragraphs and tables in reading order.

A heading is whatever the author styled as one (`Heading 1`, `Title`), and becomes a paragraph
of its own; list paragraphs keep a list dash; a table becomes tab-separated rows as from every
other loader. Footnotes are kept apart, after the body under a "Notes" heading (ingest.notes), so they
never interrupt a quotation; comments, headers and footers are not part of the text.

A block quotation is a paragraph in a quotation style (`Quote`, `Intense Quote`), indented from the
left margin (a centimetre or more: the metric and the half-inch habits), wholly in italics, or wholly
in type smaller than the body's; such paragraphs are marked as set off, as a PDF's are, so the
quotation finder reads them without quotation marks. A short paragraph aligned right is marked too:
reports sign a block quotation that way (`Community matron, north locality` below it).

Transcripts typed in Word often mark the speaker with a bold name rather than a colon; a bold
label that opens several paragraphs, beside another such label, is written back as `Name:` so it
reads as a turn.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ingest.errors import EmptyDocument, UnreadableDocument
from ingest.layout_marks import QUOTE_STYLE
from ingest.notes import with_notes
from ingest.records import RawDocument, RawPage
from ingest.text.paragraphs import split_blocks
from ingest.text.whitespace import collapse_spaces
from ingest.transcript import MIN_LABEL_TURNS

HEADING_STYLES = ("Heading", "Title", "Subtitle")
LIST_STYLES = ("List",)
QUOTE_STYLE_WORDS = ("quote", "quotation")
# A paragraph indented at least this far from the left margin (EMU; 0.25 inch) is set off.
SET_OFF_INDENT_EMU = 228_600
# Type at least this much smaller than the body's (EMU; 1 point) sets a paragraph off.
SMALLER_TYPE_EMU = 12_700
# A paragraph aligned right with at most this many words is a signature's line, not prose.
MAX_RIGHT_ALIGNED_WORDS = 12
# A bold lead-in this short can be a speaker's name.
MAX_LABEL_WORDS = 4
MAX_LABEL_CHARS = 40
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load_docx(path: Path) -> RawDocument:
    """Read a .docx into one page of paragraphs separated by blank lines."""
    document = _open(path)
    from docx.table import Table

    blocks: list[tuple[str, str | None]] = []
    kinds: list[str | None] = []
    body_size = _body_size(document)
    for block in _flowing(document.iter_inner_content(), Table):
        if isinstance(block, Table):
            blocks.append((_table_text(block), None))
            kinds.append(None)
        else:
            blocks.append(_paragraph(block))
            kinds.append(_set_off_kind(block, body_size))
    paragraphs = _with_speaker_colons(blocks)
    kept = [(text, kind) for text, kind in zip(paragraphs, kinds) if text.strip()]
    text = with_notes("\n\n".join(text for text, _ in kept), _footnotes(document))
    if not text.strip():
        raise EmptyDocument(f"{path.name} has no text")
    return RawDocument(pages=[RawPage(number=1, text=text, set_off=_block_marks(kept))], source_format="docx")


def _flowing(blocks: Iterable, table_type: type) -> Iterator:
    """The document's paragraphs and tables in reading order, a box's paragraphs in place of the box:
    a table of one column (a case study, a pull quote or a note set in a shaded or ruled box) holds
    prose, read paragraph by paragraph as the body's is, not one cell's text run together."""
    for block in blocks:
        if isinstance(block, table_type) and _is_box(block):
            for cell in _distinct_cells(block):
                yield from _flowing(cell.iter_inner_content(), table_type)
        else:
            yield block


def _is_box(table) -> bool:
    return all(len(_distinct_cells_of_row(row)) <= 1 for row in table.rows)


def _distinct_cells(table) -> list:
    return [cell for row in table.rows for cell in _distinct_cells_of_row(row)]


def _distinct_cells_of_row(row) -> list:
    """The row's cells, a cell merged across columns once."""
    cells: list = []
    for cell in row.cells:
        if not cells or cells[-1]._tc is not cell._tc:
            cells.append(cell)
    return cells


def _block_marks(kept: list[tuple[str, str | None]]) -> tuple[tuple[int, str], ...]:
    """(block index, kind) of the set-off paragraphs, counting blocks as the joined text splits them
    (a paragraph holding a blank line is two blocks, and is not marked)."""
    marks = []
    index = 0
    for text, kind in kept:
        blocks = len(split_blocks(text))
        if kind is not None and blocks == 1:
            marks.append((index, kind))
        index += blocks
    return tuple(marks)


def _format(paragraph, name: str) -> int | None:
    """A paragraph's own indent of that name, else its style's."""
    value = getattr(paragraph.paragraph_format, name)
    style = paragraph.style
    return getattr(style.paragraph_format, name) if value is None and style is not None else value


def _set_off_kind(paragraph, body_size: int | None) -> str | None:
    """How a body paragraph is set off as a block quotation, if it is: by a quotation style, by a left
    indent (its own or its style's; a hanging indent sets out a numbered paragraph or an item, not a
    quotation), by italics or smaller type throughout; or "right" for a short line aligned right.
    Headings and list items, styled or numbered, never are."""
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    if name.startswith(HEADING_STYLES + LIST_STYLES) or not paragraph.text.strip() or _numbered(paragraph):
        return None
    if any(word in name.casefold() for word in QUOTE_STYLE_WORDS):
        return QUOTE_STYLE
    if _aligned_right(paragraph) and len(paragraph.text.split()) <= MAX_RIGHT_ALIGNED_WORDS:
        return "right"
    indent = _format(paragraph, "left_indent")
    hanging = (_format(paragraph, "first_line_indent") or 0) < 0
    if indent is not None and indent >= SET_OFF_INDENT_EMU and not hanging:
        return "indented"
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return None
    style_italic = bool(style is not None and style.font.italic)
    if all(run.italic or (run.italic is None and style_italic) for run in runs):
        return "italic"
    style_size = style.font.size if style is not None and style.font.size is not None else body_size
    sizes = [run.font.size or style_size for run in runs]
    if body_size is not None and all(size is not None and size <= body_size - SMALLER_TYPE_EMU for size in sizes):
        return "small"
    return None


def _body_size(document) -> int | None:
    """The body text's type size (EMU): the Normal style's, else the document's default run size."""
    size = document.styles["Normal"].font.size if "Normal" in document.styles else None
    if size is not None:
        return int(size)
    defaults = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
    return None if defaults is None else int(defaults.get(f"{_W}val")) * 6_350


def _numbered(paragraph) -> bool:
    """Whether Word numbers or bullets the paragraph (its own numbering, not a list style)."""
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _aligned_right(paragraph) -> bool:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    alignment = paragraph.paragraph_format.alignment
    if alignment is None and paragraph.style is not None:
        alignment = paragraph.style.paragraph_format.alignment
    return alignment == WD_ALIGN_PARAGRAPH.RIGHT


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        raise UnreadableDocument(
            f"{path.name} is not a readable Word document (damaged, or not a .docx file)"
        ) from None


def _paragraph(paragraph) -> tuple[str, str | None]:
    """The paragraph's text (list items with a dash) and its bold lead-in, if any."""
    style = paragraph.style.name if paragraph.style is not None else ""
    text = paragraph.text
    if style.startswith(LIST_STYLES) and text.strip():
        text = f"- {text.strip()}"
    elif style.startswith(HEADING_STYLES):
        text = collapse_spaces(text)
    return text, None if style.startswith(HEADING_STYLES) else _bold_lead(paragraph)


def _bold_lead(paragraph) -> str | None:
    """The text of the bold runs that open the paragraph, when more text follows them."""
    lead: list[str] = []
    runs = paragraph.runs
    for i, run in enumerate(runs):
        if not run.bold:
            rest = "".join(r.text for r in runs[i:])
            return "".join(lead) if lead and rest.strip() else None
        lead.append(run.text)
    return None


def _with_speaker_colons(blocks: list[tuple[str, str | None]]) -> list[str]:
    """Give a recurring bold speaker label the colon a turn header needs ("Dan  Right." -> "Dan: Right.")."""
    labels = Counter(_label(lead) for _, lead in blocks if lead and _label(lead))
    speakers = {label for label, n in labels.items() if n >= MIN_LABEL_TURNS}
    if len(speakers) < 2:  # one recurring bold lead-in is a run-in heading style, not a conversation
        return [text for text, _ in blocks]
    out = []
    for text, lead in blocks:
        label = _label(lead) if lead else None
        if lead and label in speakers and not lead.strip().endswith(":"):
            stripped = text.lstrip()
            text = f"{label}: {stripped[len(lead.strip()):].lstrip(' :')}"
        out.append(text)
    return out


def _label(lead: str) -> str | None:
    label = lead.strip().rstrip(":").strip()
    if not label or len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS:
        return None
    return label


def _table_text(table) -> str:
    """Rows of tab-separated cells; a merged cell is read once per row."""
    rows = ["\t".join(collapse_spaces(cell.text) for cell in _distinct_cells_of_row(row)) for row in table.rows]
    return "\n".join(row for row in rows if row.strip())


def _footnotes(document) -> list[str]:
    """Each real footnote (not the separators Word keeps in the same part) as "n text"."""
    part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/footnotes.xml"), None)
    if part is None:
        return []
    from lxml import etree

    root = etree.fromstring(part.blob)
    notes = []
    for note in root.iter(f"{_W}footnote"):
        if note.get(f"{_W}type") not in (None, "normal"):
            continue
        text = collapse_spaces("".join(t.text or "" for t in note.iter(f"{_W}t")))
        if text:
            notes.append(f"{note.get(f'{_W}id')} {text}")
    return notes
