"""Build small Word documents for tests, including the parts python-docx cannot write (footnotes)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def add_footnote_reference(paragraph, note_id: int) -> None:
    """A footnote mark at the end of `paragraph` pointing at footnote `note_id`."""
    run = paragraph.add_run()
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(note_id))
    run._r.append(reference)


def save_with_footnotes(document: docx.document.Document, path: Path, notes: list[str]) -> None:
    """Save `document` with a footnotes part holding `notes` (ids 1..n) beside Word's two separators."""
    buffer = io.BytesIO()
    document.save(buffer)
    bodies = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote>'
        for i, text in enumerate(notes, start=1)
    )
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f"</w:footnote>{bodies}</w:footnotes>"
    )
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                override = f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_CONTENT}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif item.filename == "word/_rels/document.xml.rels":
                relation = f'<Relationship Id="rIdNotes1" Type="{_FOOTNOTES_TYPE}" Target="footnotes.xml"/>'
                data = data.replace(b"</Relationships>", relation.encode() + b"</Relationships>")
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", footnotes)
