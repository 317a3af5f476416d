"""A Word and an HTML rendition of a seed document give the same sections and quotations as its
text twin. The renditions are written here from the text: headings the text path finds get a
heading style (`Heading 1`, `<h2>`), quotations it finds become block quotations (`Quote` style,
`<blockquote>`), tab-separated rows become tables, and the page gets navigation and a footer."""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import pytest

from ingest.clean import normalise
from ingest.document import load_raw
from ingest.quotes import find_quotes
from ingest.sections import build_sections
from tests.conftest import CORPUS, require_shared

pytestmark = pytest.mark.corpus

STEMS = ["000_b33752787a24be7e", "001_2ba9a7a7ff76eece", "003_8c976046bbdf297b", "004_797817d61329c19d"]
# Quotations shorter than this are inline phrases, left inside their paragraph.
BLOCK_QUOTE_CHARS = 40


def _reading(path: Path) -> tuple[list[tuple[int, str]], list[tuple[str, str | None]]]:
    clean = normalise(load_raw(path))
    sections = [(s.level, s.heading) for s in build_sections(clean)]
    quotes = [
        (" ".join(q.text.split()), q.attribution.code if q.attribution else None) for q in find_quotes(clean.text)
    ]
    return sections, quotes


def _blocks(text_path: Path) -> list[tuple[str, str]]:
    """The twin's paragraphs, each with the shape a publisher would give it."""
    sections, quotes = _reading(text_path)
    headings = {heading for _, heading in sections}
    long_quotes = [text for text, _ in quotes if len(text) > BLOCK_QUOTE_CHARS]
    blocks = []
    for paragraph in re.split(r"\n[ \t]*\n", text_path.read_text(encoding="utf-8")):
        if not paragraph.strip():
            continue
        flat = " ".join(paragraph.split())
        if all("\t" in line for line in paragraph.split("\n")):
            blocks.append(("table", paragraph))
        elif flat in headings:
            blocks.append(("heading", flat))
        elif any(quote in flat for quote in long_quotes):
            blocks.append(("quote", paragraph))
        else:
            blocks.append(("paragraph", paragraph))
    return blocks


def write_docx(blocks: list[tuple[str, str]], path: Path) -> None:
    document = docx.Document()
    for shape, text in blocks:
        if shape == "heading":
            document.add_heading(text, level=1)
        elif shape == "table":
            rows = [line.split("\t") for line in text.split("\n")]
            table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        else:
            paragraph = document.add_paragraph(style="Quote" if shape == "quote" else None)
            lines = text.split("\n")
            for i, line in enumerate(lines):
                run = paragraph.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
    document.save(path)


def write_html(blocks: list[tuple[str, str]], path: Path) -> None:
    parts = ["<!DOCTYPE html><html><head><title>Report</title></head><body>",
             "<nav><a href='/'>Home</a> <a href='/reports'>All reports</a></nav><main>"]
    for shape, text in blocks:
        if shape == "heading":
            parts.append(f"<h2>{html.escape(text)}</h2>")
        elif shape == "table":
            rows = ("".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) for line in text.split("\n"))
            parts.append("<table>" + "".join(f"<tr>{row}</tr>" for row in rows) + "</table>")
        else:
            inner = "<p>" + "<br>".join(html.escape(line) for line in text.split("\n")) + "</p>"
            parts.append(f"<blockquote>{inner}</blockquote>" if shape == "quote" else inner)
    parts.append("</main><footer>Published by the evaluation team. Accessibility statement.</footer></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_a_rendition_gives_the_same_sections_and_quotations_as_the_text_twin(tmp_path, stem, suffix):
    require_shared()
    twin = CORPUS / "text" / f"{stem}.txt"
    rendition = tmp_path / f"{stem}{suffix}"
    (write_docx if suffix == ".docx" else write_html)(_blocks(twin), rendition)
    expected = _reading(twin)
    assert expected[0], "the twin has sections to compare"
    assert _reading(rendition) == expected
