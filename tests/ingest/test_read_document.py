"""A document read ahead (loaded and cleaned, no language model needed) and handed to its parse."""

from __future__ import annotations

from pathlib import Path

from ingest.document import parse_document, read_document

REPORT = """Findings

Support for care homes

"We knew which residents were going home before they left the ward," said a community matron.
The Primary Care Network paid for two more district nurses.
"""


def test_a_parse_given_the_document_read_ahead_gives_what_reading_it_itself_gives(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    itself = parse_document(path)
    read = read_document(path)
    path.unlink()  # the parse must not read the file again

    given = parse_document(path, read=read)

    assert given.clean == itself.clean and given.n_pages == itself.n_pages
    assert (given.sections, given.quotes, given.mentions) == (itself.sections, itself.quotes, itself.mentions)
    assert given.timings.keys() == itself.timings.keys()
