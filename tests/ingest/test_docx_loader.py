"""Word documents: headings from styles, paragraphs and tables in order, footnotes kept apart,
comments ignored, bold speaker names read as turns, block quotations and their signatures told by
style, indent, type size and alignment, and a damaged file refused in one sentence."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt

from ingest.clean import normalise
from ingest.docx_loader import load_docx
from ingest.errors import EmptyDocument, UnreadableDocument
from ingest.notes import NOTES_HEADING
from ingest.quotes import find_quotes
from ingest.sections import build_sections
from ingest.transcript import read_transcript
from tests.docx_factory import add_footnote_reference, save_with_footnotes

INTRO = "The pilot placed a named GP with every care home in the two districts."
FINDING = "Homes reported fewer emergency admissions once the weekly round began."


def _text(path) -> str:
    return normalise(load_docx(path)).text


def test_headings_from_styles_become_sections(tmp_path):
    document = docx.Document()
    document.add_heading("Introduction", level=1)
    document.add_paragraph(INTRO)
    document.add_heading("Findings", level=1)
    document.add_paragraph(FINDING)
    document.save(tmp_path / "report.docx")
    sections = build_sections(normalise(load_docx(tmp_path / "report.docx")))
    assert [s.heading for s in sections] == ["Introduction", "Findings"]


def test_paragraphs_and_tables_keep_their_order(tmp_path):
    document = docx.Document()
    document.add_paragraph(INTRO)
    table = document.add_table(rows=2, cols=2)
    for (row, col), value in {(0, 0): "Site", (0, 1): "Homes", (1, 0): "North", (1, 1): "12"}.items():
        table.cell(row, col).text = value
    document.add_paragraph(FINDING)
    document.save(tmp_path / "table.docx")
    text = _text(tmp_path / "table.docx")
    assert "Site\tHomes\nNorth\t12" in text
    assert text.index(INTRO) < text.index("Site\tHomes") < text.index(FINDING)


def test_footnotes_are_kept_apart_after_the_body(tmp_path):
    document = docx.Document()
    first = document.add_paragraph(INTRO)
    add_footnote_reference(first, 1)
    document.add_paragraph(FINDING)
    save_with_footnotes(document, tmp_path / "notes.docx", ["Figures from the quarterly returns."])
    text = _text(tmp_path / "notes.docx")
    assert text.index(FINDING) < text.index(NOTES_HEADING) < text.index("Figures from the quarterly returns.")
    assert f"{INTRO}\n\n{FINDING}" in text


def test_comments_are_not_part_of_the_text(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph(INTRO)
    document.add_comment(paragraph.runs, text="Check this figure with the team", author="Reviewer")
    document.save(tmp_path / "comments.docx")
    assert "Check this figure" not in _text(tmp_path / "comments.docx")


def test_list_paragraphs_keep_a_list_dash(tmp_path):
    document = docx.Document()
    document.add_paragraph("Weekly ward rounds", style="List Bullet")
    document.save(tmp_path / "list.docx")
    assert _text(tmp_path / "list.docx") == "- Weekly ward rounds"


def test_bold_speaker_names_are_read_as_turns(tmp_path):
    document = docx.Document()
    turns = [
        ("Interviewer", "What did the new rota change for you?"),
        ("Rowan", "I finally had two evenings a week at home with the children."),
        ("Interviewer", "Did the residents notice?"),
        ("Rowan", "They did, the same faces came round every night."),
        ("Interviewer", "Would you keep it?"),
        ("Rowan", "Yes, and I would add a weekend shift to it."),
    ]
    for speaker, words in turns:
        paragraph = document.add_paragraph()
        paragraph.add_run(speaker).bold = True
        paragraph.add_run(f"  {words}")
    document.save(tmp_path / "transcript.docx")
    reading = read_transcript(_text(tmp_path / "transcript.docx"))
    assert [(q.attribution.code, q.text) for q in reading.quotes] == [(s, w) for s, w in turns if s == "Rowan"]


def test_a_bold_lead_in_that_does_not_recur_is_left_alone(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Note").bold = True
    paragraph.add_run(" the figures are provisional.")
    document.save(tmp_path / "note.docx")
    assert _text(tmp_path / "note.docx") == "Note the figures are provisional."


def test_one_recurring_bold_lead_in_is_a_run_in_heading_not_a_speaker(tmp_path):
    document = docx.Document()
    for advice in ("Keep the rota.", "Fund the night nurse.", "Share the notes."):
        paragraph = document.add_paragraph()
        paragraph.add_run("Recommendation").bold = True
        paragraph.add_run(f" {advice}")
    document.save(tmp_path / "advice.docx")
    assert ":" not in _text(tmp_path / "advice.docx")


@pytest.mark.parametrize(
    "content",
    [b"this is not a zip file at all", b"PK\x03\x04" + b"\x00" * 64],
    ids=["not-a-zip", "truncated-zip"],
)
def test_a_damaged_word_file_is_refused_in_one_sentence(tmp_path, content):
    path = tmp_path / "damaged.docx"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match="not a readable Word document") as raised:
        load_docx(path)
    assert "\n" not in str(raised.value)


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(UnreadableDocument):
        load_docx(path)


def test_an_empty_word_document_is_refused(tmp_path):
    docx.Document().save(tmp_path / "empty.docx")
    with pytest.raises(EmptyDocument):
        load_docx(tmp_path / "empty.docx")


def _set_off_quotes(path):
    clean = normalise(load_docx(path))
    return find_quotes(clean.text, set_off=clean.set_off)


def test_quotation_styled_indented_and_italic_paragraphs_are_block_quotations(tmp_path):
    document = docx.Document()
    document.add_paragraph("Carers described the first weeks at home:")
    document.add_paragraph("We had no idea who to ring when the equipment broke down at night.", style="Quote")
    document.add_paragraph("Staff saw it differently:")
    indented = document.add_paragraph("A visit is fifteen minutes, door to door, including all of the notes.")
    indented.paragraph_format.left_indent = Inches(0.5)
    document.add_paragraph("One manager added:")
    italic = document.add_paragraph().add_run("We cover three towns with two cars and nobody to spare at weekends.")
    italic.italic = True
    document.add_paragraph("The rota changed in the spring.")
    document.save(tmp_path / "report.docx")

    quotes = _set_off_quotes(tmp_path / "report.docx")

    assert [q.text.split()[:2] for q in quotes] == [["We", "had"], ["A", "visit"], ["We", "cover"]]


def test_a_plain_body_paragraph_after_a_colon_is_not_a_block_quotation(tmp_path):
    document = docx.Document()
    document.add_paragraph("The evaluation had three aims:")
    document.add_paragraph("It described the service, measured its use and asked staff and carers about it.")
    document.save(tmp_path / "report.docx")

    assert _set_off_quotes(tmp_path / "report.docx") == []


def _indented(document, text: str, inches: float):
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.left_indent = Inches(inches)
    return paragraph


def test_a_block_indented_one_centimetre_is_a_block_quotation(tmp_path):
    document = docx.Document()
    document.add_paragraph("Tenants described the repairs line:")
    _indented(document, "You ring, you wait forty minutes, and then they tell you to ring back tomorrow.", 0.39)
    document.save(tmp_path / "report.docx")

    [quote] = _set_off_quotes(tmp_path / "report.docx")

    assert quote.text.startswith("You ring, you wait")


def test_a_numbered_paragraph_indented_like_a_quotation_is_not_one(tmp_path):
    document = docx.Document()
    document.add_paragraph("The board agreed three actions:")
    item = _indented(document, "Publish the repairs timetable on the website every month from April.", 0.5)
    numbering = item._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = 1
    document.save(tmp_path / "report.docx")

    assert _set_off_quotes(tmp_path / "report.docx") == []


def test_a_paragraph_with_a_hanging_indent_is_a_numbered_paragraph_not_a_quotation(tmp_path):
    document = docx.Document()
    document.add_paragraph("We make the following recommendations:")
    item = _indented(document, "R1. The Trust should set and publish a target for answering calls on the line.", 0.8)
    item.paragraph_format.first_line_indent = Inches(-0.35)
    document.save(tmp_path / "report.docx")

    assert _set_off_quotes(tmp_path / "report.docx") == []


def test_an_indented_paragraph_opening_with_its_speakers_label_is_their_quotation(tmp_path):
    document = docx.Document()
    document.add_paragraph("Several people described ringing the crisis line repeatedly without an answer.")
    _indented(document, "Kezia (service user): The worst thing was the call back. Nobody rang, and I sat there "
                        "with the phone in my hand all night.", 0.8)
    document.save(tmp_path / "report.docx")

    [quote] = _set_off_quotes(tmp_path / "report.docx")

    assert (quote.text[:15], quote.attribution.code) == ("The worst thing", "Kezia")


def test_a_block_in_smaller_type_than_the_body_is_a_block_quotation(tmp_path):
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    document.add_paragraph("Porters saw the change differently:")
    small = document.add_paragraph().add_run("We used to know every ward sister by name, and now it is all bleeps.")
    small.font.size = Pt(9)
    document.save(tmp_path / "report.docx")

    [quote] = _set_off_quotes(tmp_path / "report.docx")

    assert quote.text.startswith("We used to know")


def test_a_short_line_aligned_right_below_a_block_quotation_signs_it(tmp_path):
    document = docx.Document()
    document.add_paragraph("Referrals rose over the winter.")
    _indented(document, "We became the default for anyone the hospital could not discharge anywhere else.", 0.5)
    signature = document.add_paragraph("Advanced clinical practitioner")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("The criteria were revised in March.")
    document.save(tmp_path / "report.docx")

    [quote] = _set_off_quotes(tmp_path / "report.docx")

    assert quote.attribution.code == "Advanced clinical practitioner"
    assert quote.text.startswith("We became the default")


def test_a_short_line_aligned_right_is_never_a_quotation_itself(tmp_path):
    document = docx.Document()
    document.add_paragraph("The report was approved by the board.")
    signed = document.add_paragraph("Chair of the Scrutiny Committee, March 2024")
    signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(tmp_path / "report.docx")

    assert _set_off_quotes(tmp_path / "report.docx") == []


def test_a_box_of_one_column_is_read_paragraph_by_paragraph(tmp_path):
    document = docx.Document()
    document.add_paragraph(INTRO)
    box = document.add_table(rows=1, cols=1)
    cell = box.rows[0].cells[0]
    cell.paragraphs[0].text = "Case study: Ama's story"
    cell.add_paragraph("Ama was referred by her school and worked with a mentor for six months.")
    cell.add_paragraph("Ama said: 'Nobody had asked me what I wanted before. She did, every single week.'")
    document.add_paragraph(FINDING)
    document.save(tmp_path / "report.docx")

    assert _text(tmp_path / "report.docx").split("\n\n")[1:4] == [
        "Case study: Ama's story", "Ama was referred by her school and worked with a mentor for six months.",
        "Ama said: 'Nobody had asked me what I wanted before. She did, every single week.'"]


def test_a_table_of_two_columns_stays_a_table(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    for row, (theme, words) in zip(table.rows, [("Access", "We could never get through."), ("Cost", "It was dear.")]):
        row.cells[0].text, row.cells[1].text = theme, words
    document.save(tmp_path / "report.docx")

    assert _text(tmp_path / "report.docx") == "Access\tWe could never get through.\nCost\tIt was dear."
