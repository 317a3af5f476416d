"""Loading plain text and Markdown: the right characters from any common encoding, or a clear refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.document import parse_document
from ingest.errors import DocumentError, EmptyDocument, UnreadableText
from ingest.text_loader import load_text

REPORT = (
    "Summary\n\n"
    "The vanguard sites received \u00a3389 million in total. Staff described the "
    "\u2018new care models\u2019 as \u201ca real change\u201d in how services worked together.\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_file_is_read_as_is(tmp_path: Path) -> None:
    doc = load_text(write(tmp_path, "report.txt", REPORT.encode("utf-8")))
    assert [page.text for page in doc.pages] == [REPORT]
    assert doc.source_format == "text"


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    doc = load_text(write(tmp_path, "report.txt", REPORT.encode("utf-8-sig")))
    assert doc.pages[0].text == REPORT
    assert not doc.pages[0].text.startswith("\ufeff")


def test_cp1252_curly_quotes_and_pound_sign_are_decoded(tmp_path: Path) -> None:
    doc = load_text(write(tmp_path, "report.txt", REPORT.encode("cp1252")))
    assert doc.pages[0].text == REPORT


def test_short_cp1252_note_is_decoded_as_cp1252(tmp_path: Path) -> None:
    note = "\u201cIt cost \u00a3300,\u201d she said. \u201cAnd that was only the start.\u201d\n"
    doc = load_text(write(tmp_path, "note.txt", note.encode("cp1252")))
    assert doc.pages[0].text == note


def test_binary_file_named_txt_is_refused_as_unreadable(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    with pytest.raises(UnreadableText, match="binary"):
        load_text(write(tmp_path, "figure.txt", png))


def test_binary_file_without_nul_bytes_is_refused_as_unreadable(tmp_path: Path) -> None:
    noise = bytes((i * 97 + 13) % 255 + 1 for i in range(4000))
    assert b"\x00" not in noise
    with pytest.raises(UnreadableText):
        load_text(write(tmp_path, "noise.txt", noise))


def test_utf16_file_with_byte_order_mark_is_decoded(tmp_path: Path) -> None:
    doc = load_text(write(tmp_path, "report.txt", REPORT.encode("utf-16")))
    assert doc.pages[0].text == REPORT


@pytest.mark.parametrize(
    "data", [b"", b" \n\t\n  \r\n", b"\xef\xbb\xbf", b"\f\f\n"], ids=["empty", "spaces", "bom", "ff"]
)
def test_file_without_words_raises_empty_document(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(EmptyDocument):
        load_text(write(tmp_path, "blank.txt", data))


def test_loader_errors_are_document_errors_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"blank\.txt"):
        load_text(write(tmp_path, "blank.txt", b""))


def test_form_feeds_separate_numbered_pages(tmp_path: Path) -> None:
    doc = load_text(write(tmp_path, "report.txt", b"Page one text.\fPage two text.\fPage three text."))
    assert [(p.number, p.text) for p in doc.pages] == [
        (1, "Page one text."),
        (2, "Page two text."),
        (3, "Page three text."),
    ]


def test_file_without_form_feeds_is_one_page(tmp_path: Path) -> None:
    doc = load_text(write(tmp_path, "report.txt", b"One.\n\nTwo.\n\nThree.\n"))
    assert len(doc.pages) == 1
    assert doc.pages[0].number == 1


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("notes.md", "markdown"),
        ("NOTES.MD", "markdown"),
        ("notes.txt", "text"),
        pytest.param("notes.markdown", "markdown"),
    ],
)
def test_source_format_follows_the_suffix(tmp_path: Path, name: str, kind: str) -> None:
    doc = load_text(write(tmp_path, name, b"# Findings\n\nStaff were stretched.\n"))
    assert doc.source_format == kind


def test_markdown_front_matter_is_left_out(tmp_path: Path) -> None:
    markdown = ('---\ntitle: "Waiting lists: a review"\ntags:\n  - health\n---\n'
                "\n# Waiting lists\n\nStaff were stretched.\n")
    doc = load_text(write(tmp_path, "review.md", markdown.encode("utf-8")))
    assert doc.pages[0].text == "\n# Waiting lists\n\nStaff were stretched.\n"


@pytest.mark.parametrize("name", ["review.txt", "review.md"])
def test_a_rule_that_opens_no_front_matter_is_kept(tmp_path: Path, name: str) -> None:
    text = "---\n\nStaff said \"we are stretched\" (P4).\n\n---\n"
    doc = load_text(write(tmp_path, name, text.encode("utf-8")))
    assert doc.pages[0].text == text


def test_a_kramdown_attribute_list_is_left_out(tmp_path: Path) -> None:
    markdown = "> We ask if they have eaten today.\n>\n> — Volunteer, St Aidan's\n{: .pull-quote}\n\nMore text.\n"
    doc = load_text(write(tmp_path, "post.md", markdown.encode("utf-8")))
    assert "{:" not in doc.pages[0].text
    assert doc.pages[0].text.startswith("> We ask if they have eaten today.\n>\n> — Volunteer, St Aidan's\n\n")


def test_a_texts_running_header_beside_its_page_breaks_is_left_out_and_its_page_numbers_are_its_pages(
    tmp_path: Path,
) -> None:
    body = "\n".join(f"Line {n} of the findings runs on here." for n in range(20))
    text = (f"Carers Review 2023\n\n{body}\n\nPage 14 of 28\nCarers Review 2023\n\n{body}\n\n"
            f"Page 15 of 28\nCarers Review 2023\n\n{body}\n")
    doc = load_text(write(tmp_path, "review.txt", text.encode("utf-8")))
    assert [page.text.count("Carers Review 2023") for page in doc.pages] == [1, 0, 0]
    assert not any("Page 1" in page.text for page in doc.pages)


def test_a_block_quotation_indented_in_text_copied_from_a_page_is_found_with_its_speaker(tmp_path: Path) -> None:
    path = tmp_path / "copied.txt"
    path.write_text(
        "Findings\n"
        "Nearly every carer we interviewed described the evenings as the hardest part\n"
        "of the week, when the day services had closed and the district nurses had gone\n"
        "home, and several said the new phone line had changed how those evenings felt.\n"
        "Ruth (58, carer for her husband) described the first time she used it:\n"
        "    I rang at ten at night because he had pulled his catheter out, and a nurse\n"
        "    was with us before midnight. Before that I would have called an ambulance\n"
        "    and sat in the emergency department until morning with him.\n"
        "Not every carer had heard of the line, and the evaluation found that the\n"
        "leaflets had reached only the two practices where the pilot was first run.\n",
        encoding="utf-8",
    )
    quotes = parse_document(path).quotes
    assert [(q.text[:14], q.attribution.code if q.attribution else None) for q in quotes] == [
        ("I rang at ten ", "Ruth")]
