"""Characters and ruling lines of a PDF page read with pdfium, in pdfplumber's vocabulary.

pdfplumber interprets every content stream in Python and reads about ten pages a second;
pdfium does the same work in C. The layout code was written against pdfplumber's objects
(char dicts with `text`, `x0`, `x1`, `top`, `bottom`, `size`, `fontname`, `upright`, and
edges for table finding), so this reader produces exactly those, in pdfplumber's
coordinates (points from the top-left corner of the media box), and the rest of the path
neither knows nor cares which reader ran.

What pdfium cannot give the way pdfplumber does is reported, not guessed: a rotated page,
ruling drawn inside a form XObject, and a text run longer than pdfium keeps (it truncates a
single string at 32,767 characters) make `PdfiumPage.exact` False, and the caller reads that
page with pdfplumber instead.
"""

from __future__ import annotations

import ctypes
import math
import struct
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, cast

import pypdfium2
import pypdfium2.raw as pdfium_c

from ingest.limits import ResourceLimits

# pdfium keeps at most this many characters of one text-showing string.
PDFIUM_RUN_LIMIT = 32767
# Ligature glyphs pdfplumber spells out (its `expand_ligatures` default), so both readers agree.
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
# A glyph the font maps to no character: pdfplumber writes "(cid:N)" for it.
UNMAPPED = "(cid:0)"
# pdfium reports a hyphen that ends a line as one of these (one by index, the other in bulk text).
LINE_END_HYPHENS = ("\x02", "\ufffe")
# Characters written otherwise than pdfium reports them: ligatures spelt out, line-end hyphens as
# hyphens, control characters (a glyph without a character) as pdfplumber's unmapped glyph.
_RESPELT = {
    **LIGATURES,
    **dict.fromkeys(LINE_END_HYPHENS, "-"),
    **{chr(code): UNMAPPED for code in range(32) if not chr(code).isspace() and chr(code) not in LINE_END_HYPHENS},
    "\uffff": UNMAPPED,
}


def _fast(name: str, restype: type | None, *argtypes: type) -> Callable[..., Any]:
    """A pdfium function with plain integer handles: ctypes builds no pointer object per call,
    which is most of the cost of a call made once per character."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"pdfium exports no {name}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_text_object = _fast("FPDFText_GetTextObject", ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_loose_box = _fast("FPDFText_GetLooseCharBox", ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)
_origin = _fast("FPDFText_GetCharOrigin", ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


# A character's origin x and y (doubles), then its loose box: left, top (skipped), right, bottom (skipped).
_MEASURES = struct.Struct("=dd8xf4x")
# One character: [text, x0, x1, top, bottom, style], style = (fontname, size, upright) shared by
# the characters of one text object (a list, because a character's x1 is trimmed once the next is read).
Char = list


@dataclass(slots=True)
class PdfiumPage:
    """One page as pdfplumber would describe it: characters in content order, and ruling edges."""

    width: float
    height: float
    glyphs: list[Char] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    # Straight lines and rectangles drawn, as pdfplumber counts them before looking for tables.
    rulings: int = 0
    exact: bool = True

    @property
    def chars(self) -> list[dict]:
        """The characters as pdfplumber's char dicts (for its table finder)."""
        return _char_dicts(self.glyphs)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    @property
    def lines(self) -> list[dict]:
        """Stand-ins for pdfplumber's lines and rectangles: only their number is read."""
        return [{}] * self.rulings

    @property
    def rects(self) -> list[dict]:
        return []

    def find_tables(self) -> list:
        """pdfplumber's own table finder, run on this page's edges and characters; each table reads
        its cells from the characters inside it only (pdfplumber would scan the page for every row)."""
        from pdfplumber.table import TableFinder, TableSettings

        tables = TableFinder(cast(Any, self), TableSettings.resolve(None)).tables
        for table in tables:
            table.page = cast(Any, _Inside(self, table.bbox))
        return tables


@dataclass(frozen=True, slots=True)
class _Inside:
    """The characters of a page whose middle lies in `bbox`: all a table needs to read its cells."""

    page: PdfiumPage
    bbox: tuple[float, float, float, float]

    @property
    def chars(self) -> list[dict]:
        x0, top, x1, bottom = self.bbox
        return _char_dicts([glyph for glyph in self.page.glyphs
                            if x0 <= (glyph[1] + glyph[2]) / 2 <= x1 and top <= (glyph[3] + glyph[4]) / 2 <= bottom])


def table_cells(table: Any) -> list[list[str | None]]:
    """The text of each cell of a table found on a PdfiumPage, as pdfplumber's `Table.extract` reads
    it, but each row reads only the characters at its height.

    `Table.extract` tests every character of the table for every row; on a table a page long (a QDA
    tool's export of coded segments, a coding frame in an appendix) that took most of the time
    the page took to read.
    """
    from pdfplumber.utils import extract_text

    chars = table.page.chars
    by_height = sorted(((char["top"] + char["bottom"]) / 2, index) for index, char in enumerate(chars))
    heights = [height for height, _ in by_height]
    rows: list[list[str | None]] = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        at_height = sorted(index for _, index in by_height[bisect_left(heights, top):bisect_left(heights, bottom)])
        row_chars = [chars[index] for index in at_height if _middle_inside(chars[index], row.bbox)]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            cell_chars = [char for char in row_chars if _middle_inside(char, cell)]
            cells.append(extract_text(cell_chars) if cell_chars else "")
        rows.append(cells)
    return rows


def _middle_inside(char: dict, bbox: tuple[float, float, float, float]) -> bool:
    """pdfplumber's test of a character in a table's row or cell: its middle inside, the right and
    bottom edges left out."""
    x0, top, x1, bottom = bbox
    middle_x, middle_y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return x0 <= middle_x < x1 and top <= middle_y < bottom


def _char_dicts(glyphs: list[Char]) -> list[dict]:
    return [
        {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
         "fontname": style[0], "size": style[1], "upright": style[2]}
        for text, x0, x1, top, bottom, style in glyphs
    ]


def read_page(page: pypdfium2.PdfPage, number: int, limits: ResourceLimits) -> PdfiumPage:
    """The characters and ruling edges of `page`; ResourceLimitExceeded past the characters `limits`
    allow a page of its size."""
    left, bottom, right, top = page.get_mediabox()
    result = PdfiumPage(width=right - left, height=top - bottom)
    if page.get_rotation() % 360:
        result.exact = False
        return result
    textpage = pdfium_c.FPDFText_LoadPage(page.raw)
    try:
        count = pdfium_c.FPDFText_CountChars(textpage)
        if count > limits.page_chars(result.width, result.height):
            raise limits.too_many_chars(number, result.width, result.height)
        _read_chars(textpage, count, result)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    if result.exact:
        _read_rulings(page, result)
    return result


def _page_text(textpage: ctypes.c_void_p, count: int) -> str | None:
    """All characters of the page by index, or None when one character is not one UTF-16 unit."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    if written != count + 1:
        return None
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", errors="surrogatepass")
    return None if len(text) != count or any("\ud800" <= ch <= "\udfff" for ch in text) else text


def _read_chars(textpage: ctypes.c_void_p, count: int, result: PdfiumPage) -> None:
    """The page's characters in content order.

    pdfplumber's box runs from the glyph's origin over its advance width; pdfium's loose box
    also covers ink outside that (the hook of an italic f), which would close the gap before
    the next word. So a character starts at its origin and ends no later than where the next
    character on its line starts; vertically it runs from the font's descent below the
    baseline up one font size, as pdfminer places it.

    pdfium leaves out some space characters that the content draws and puts its own spaces
    where it sees a gap; such a space is kept (on the previous character's line, as a word
    break) and pdfium's own line breaks are dropped.
    """
    text = _page_text(textpage, count) or "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    chars: Sequence[str] = [_RESPELT.get(char, char) for char in text] if _RESPELT.keys() & set(text) else text
    styles: dict[int, tuple | None] = {}
    fonts: dict[tuple, tuple[str, float]] = {}
    check_runs = count >= PDFIUM_RUN_LIMIT
    # The origin (two doubles) and the loose box (left, top, right, bottom as floats) land in one
    # buffer, read back with one call per character.
    measures = ctypes.create_string_buffer(_MEASURES.size)
    x_ref = ctypes.addressof(measures)
    y_ref, rect_ref = x_ref + 8, x_ref + 16
    read_measures = _MEASURES.unpack_from
    page = ctypes.cast(textpage, ctypes.c_void_p).value
    height = result.height
    glyphs = result.glyphs
    previous: Char = ["", math.inf, -math.inf, None, None, None]
    handle: int | None = None
    style: tuple | None = None
    size = descent = 0.0
    for index in range(count):
        was = handle
        handle = _text_object(page, index)
        if not handle:
            if glyphs and chars[index] == " ":
                glyphs.append([" ", previous[2], previous[2], previous[3], previous[4], previous[5]])
            continue
        if handle != was:
            if handle not in styles:
                styles[handle] = _style(textpage, index, handle, fonts, check_runs)
                if styles[handle] is None:
                    result.exact = False
            style = styles[handle]
            if style is not None:
                _, size, _, descent, key = style
        if style is None:
            continue
        _loose_box(page, index, rect_ref)
        _origin(page, index, x_ref, y_ref)
        x0, y, right = read_measures(measures)
        bottom = height - y - descent
        top = bottom - size
        if x0 < previous[2] and previous[1] < x0 and previous[3] == top:
            previous[2] = x0
        previous = [chars[index], x0, right if right > x0 else x0, top, bottom, key]
        glyphs.append(previous)


def _style(textpage: ctypes.c_void_p, index: int, handle: int, fonts: dict[tuple, tuple[str, float]],
           check_runs: bool) -> tuple | None:
    """(font name, size, upright, descent, style key) of one text object, sizes in points on the
    page; None when pdfium cut the object's string short, so that the page must be read another way.

    `fonts` caches name and descent by font and size; `check_runs` asks for the length check,
    needed only on a page with as many characters as one cut string holds."""
    obj = ctypes.cast(handle, pdfium_c.FPDF_PAGEOBJECT)
    if check_runs and pdfium_c.FPDFTextObj_GetText(obj, textpage, None, 0) - 1 >= PDFIUM_RUN_LIMIT:
        return None
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    font_size = ctypes.c_float()
    pdfium_c.FPDFTextObj_GetFontSize(obj, font_size)
    key = (ctypes.cast(font, ctypes.c_void_p).value, font_size.value)
    if key not in fonts:
        buffer = ctypes.create_string_buffer(256)
        written = pdfium_c.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
        descent_out = ctypes.c_float()
        pdfium_c.FPDFFont_GetDescent(font, font_size, descent_out)
        fonts[key] = (buffer.raw[: max(written - 1, 0)].decode("utf-8", "replace"), float(descent_out.value))
    name, descent = fonts[key]
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
    upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0
    scale = abs(matrix.d if upright else matrix.b)
    size = float(font_size.value) * scale
    return name, size, upright, descent * scale, (name, size, upright)


def _read_rulings(page: pypdfium2.PdfPage, result: PdfiumPage) -> None:
    """Edges of the page's straight lines, rectangles and polygons, as pdfplumber derives them."""
    for points, curved in _subpaths(page, result):
        coords = [(x, result.height - y) for x, y in points]
        _add_shape(coords, curved, result)


def _subpaths(page: pypdfium2.PdfPage, result: PdfiumPage) -> Iterator[tuple[list[tuple[float, float]], bool]]:
    """Each subpath of each top-level path object: its points in page space and whether it curves.

    Paths inside form XObjects would need the form's matrix too; a page that has them is not exact.
    """
    matrix = pdfium_c.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        obj = pdfium_c.FPDFPage_GetObject(page.raw, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and _form_has_paths(obj):
            result.exact = False
            return
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        points: list[tuple[float, float]] = []
        curved = False
        controls = 0
        for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                if points:
                    yield points, curved
                points, curved, controls = [point], False, 0
                continue
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                # A cubic comes as three segments: two control points, then the end point, which alone
                # pdfminer keeps.
                curved, controls = True, (controls + 1) % 3
                if controls:
                    continue
            points.append(point)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and points[-1] != points[0]:
                points.append(points[0])
        if points:
            yield points, curved


def _form_has_paths(form: ctypes.c_void_p) -> bool:
    for index in range(pdfium_c.FPDFFormObj_CountObjects(form)):
        obj = pdfium_c.FPDFFormObj_GetObject(form, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH or (kind == pdfium_c.FPDF_PAGEOBJ_FORM and _form_has_paths(obj)):
            return True
    return False


def _add_shape(pts: list[tuple[float, float]], curved: bool, result: PdfiumPage) -> None:
    """Classify a subpath as pdfminer does (a line, an upright rectangle, or any other curve)
    and add the edges pdfplumber makes of it."""
    if len(pts) > 2 and pts[-1] == pts[0] and len(pts) != 5:
        pts = pts[:-1] if len(pts) == 3 else pts
    if len(pts) == 2 and not curved:
        (x0, y0), (x1, y1) = pts
        result.rulings += 1
        result.edges.append(_edge("line", x0, y0, x1, y1, "h" if y0 == y1 else "v"))
        return
    if len(pts) == 5 and not curved and pts[0] == pts[4] and _is_upright_rectangle(pts):
        result.rulings += 1
        xs, ys = [p[0] for p in pts[:4]], [p[1] for p in pts[:4]]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        result.edges += [
            _edge("rect_edge", x0, top, x1, top, "h"), _edge("rect_edge", x0, bottom, x1, bottom, "h"),
            _edge("rect_edge", x0, top, x0, bottom, "v"), _edge("rect_edge", x1, top, x1, bottom, "v"),
        ]
        return
    for (x0, y0), (x1, y1) in pairwise(pts):
        orientation = "v" if x0 == x1 else ("h" if y0 == y1 else None)
        result.edges.append(_edge("curve_edge", x0, y0, x1, y1, orientation))


def _is_upright_rectangle(pts: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def ruling_edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    """A straight horizontal (top == bottom) or vertical (x0 == x1) ruling line as pdfplumber's edge,
    for rulings found other than in a content stream (in the picture of a scanned page)."""
    return _edge("line", x0, top, x1, bottom, "h" if top == bottom else "v")


def _edge(kind: str, xa: float, ya: float, xb: float, yb: float, orientation: str | None) -> dict:
    x0, x1, top, bottom = min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}
