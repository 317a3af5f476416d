"""OCR reads the PDF pages that have no text layer, only those, marks each with its confidence,
and refuses in one sentence a scanned PDF where it finds nothing."""

from __future__ import annotations

import shutil

import pypdfium2
import pytest
from click.testing import CliRunner
from PIL import Image

from index.embedder import HashingEmbedder
from ingest.ocr import (
    OcrFoundNothing,
    OcrLine,
    OcrPage,
    load_pdf_with_ocr,
    ocr_pages,
    page_from_tsv,
    render_page,
    without_running_lines,
)
from ingest.pdf_layout import PdfNoTextLayer, load_pdf
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from queries.evaluation.ocr import SCAN_DPI, evaluate_ocr, image_only_pdf
from tests.conftest import CORPUS, published_rows, require_shared
from tests.pdf_factory import PAGE_WIDTH, make_pdf, prose_lines

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
SCANNED = CORPUS / "robustness" / "scanned-page.pdf"
SEED_PDFS = ("000_b33752787a24be7e", "003_8c976046bbdf297b")
# Two seed PDFs that hold quotations, so recall is not one document's score on a score of quotations.
QUOTED_SEED_PDFS = ("000_b33752787a24be7e", "004_797817d61329c19d")
HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _tsv(words: list[tuple[int, int, int, int, float, str]], height: int = 1000) -> str:
    rows = [HEADER, f"1\t1\t0\t0\t0\t0\t0\t0\t800\t{height}\t-1\t"]
    rows += [f"5\t1\t{b}\t{p}\t{ln}\t1\t10\t{top}\t50\t20\t{conf}\t{text}" for b, p, ln, top, conf, text in words]
    return "\n".join(rows)


def _page(*lines: tuple[str, float]) -> OcrPage:
    return OcrPage(
        lines=tuple(OcrLine((i, 1), text, top, top + 0.02) for i, (text, top) in enumerate(lines)), confidence=0.9
    )


def test_tesseract_words_become_lines_and_paragraphs_with_a_length_weighted_confidence():
    page = page_from_tsv(_tsv([
        (1, 1, 1, 100, 90.0, "Care"), (1, 1, 1, 100, 90.0, "homes"), (1, 1, 2, 130, 90.0, "agreed."),
        (2, 1, 1, 300, 60.0, "No"), (2, 1, 1, 300, -1, " "),
    ]))
    assert page.text == "Care homes\nagreed.\n\nNo"
    assert page.confidence == pytest.approx((90 * 16 + 60 * 2) / 18 / 100, abs=1e-4)


def test_running_headers_and_page_numbers_are_dropped_and_the_body_kept():
    pages = [
        _page(("Evaluation of the night service", 0.03), (f"Body text of page {n}.", 0.4), (str(n), 0.95))
        for n in range(1, 4)
    ]
    assert [page.text for page in without_running_lines(pages)] == [f"Body text of page {n}." for n in range(1, 4)]


def test_a_margin_line_on_one_page_only_is_kept():
    pages = [_page(("Chapter one begins here", 0.03), ("Body.", 0.4)), _page(("Body two.", 0.4))]
    assert without_running_lines(pages)[0].text.startswith("Chapter one begins here")


@pytest.mark.corpus
@needs_tesseract
def test_the_scanned_page_is_read_by_ocr_and_marked_with_its_confidence():
    require_shared()
    raw = load_pdf_with_ocr(SCANNED)
    assert len(raw.pages[0].text.split()) > 50
    assert 0.5 < raw.pages[0].ocr_confidence <= 1.0


@pytest.mark.corpus
def test_with_ocr_turned_off_a_scanned_pdf_fails_in_one_sentence():
    require_shared()
    with pytest.raises(PdfNoTextLayer, match="OCR is turned off") as raised:
        load_pdf_with_ocr(SCANNED, ocr=False)
    assert "\n" not in str(raised.value)


@needs_tesseract
def test_a_scanned_pdf_where_ocr_finds_nothing_fails_in_one_sentence(tmp_path):
    path = tmp_path / "blank-scan.pdf"
    Image.new("L", (850, 1100), 255).save(path, format="PDF", resolution=100.0)
    with pytest.raises(OcrFoundNothing, match="OCR found no words") as raised:
        load_pdf_with_ocr(path)
    assert "\n" not in str(raised.value)


@pytest.mark.corpus
@needs_tesseract
def test_only_pages_without_a_text_layer_are_read_by_ocr(tmp_path):
    require_shared()
    source = CORPUS / "pdf" / f"{SEED_PDFS[1]}.pdf"
    image_only_pdf(source, tmp_path / "scan.pdf")
    mixed = pypdfium2.PdfDocument.new()
    mixed.import_pages(pypdfium2.PdfDocument(str(source)), [1])
    mixed.import_pages(pypdfium2.PdfDocument(str(tmp_path / "scan.pdf")), [2])
    mixed.save(tmp_path / "mixed.pdf")
    pages = load_pdf_with_ocr(tmp_path / "mixed.pdf").pages
    assert pages[0].ocr_confidence is None
    assert pages[0].text == load_pdf(tmp_path / "mixed.pdf").pages[0].text
    assert pages[1].ocr_confidence is not None and pages[1].text.strip()


@pytest.mark.corpus
@needs_tesseract
def test_ingest_stores_each_ocr_page_with_its_confidence_and_counts_them(tmp_path, counting_embedder):
    require_shared()
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(SCANNED, root / "scan.pdf")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("root: corpus\ndocuments:\n  - {id: scan, path: scan.pdf, title: Scan}\n")
    summary = run_ingest(manifest, tmp_path / "data", lambda: counting_embedder,
                         IngestOptions(workers=1, show_progress=False))
    assert summary.ok and summary.ocr_pages == 1
    [(page, confidence)] = published_rows(tmp_path / "data", "SELECT page, confidence FROM ocr_pages")
    assert page == 1 and 0.5 < confidence <= 1.0


@pytest.mark.corpus
@pytest.mark.slow
@needs_tesseract
def test_ocr_of_image_only_seed_pdfs_matches_the_text_path(tmp_path):
    require_shared()
    scores = [evaluate_ocr(CORPUS / "pdf" / f"{stem}.pdf", tmp_path) for stem in QUOTED_SEED_PDFS]
    words = sum(s.reference_words for s in scores)
    assert sum(s.matched_words for s in scores) / words >= 0.97
    assert sum(s.reference_quotes for s in scores) > 0
    assert sum(s.matched_quotes for s in scores) / sum(s.reference_quotes for s in scores) >= 0.90


def test_an_image_only_rendition_keeps_no_text_layer(tmp_path):
    (tmp_path / "source.pdf").write_bytes(make_pdf([prose_lines(72, 72, ["Care homes agreed to the weekly round."])]))
    assert load_pdf(tmp_path / "source.pdf").pages[0].text
    image_only_pdf(tmp_path / "source.pdf", tmp_path / "scan.pdf", dpi=72)
    with pytest.raises(PdfNoTextLayer):
        load_pdf(tmp_path / "scan.pdf")


def test_a_page_with_only_a_small_image_is_not_taken_for_a_scan(tmp_path):
    logo = b"q 100 0 0 100 50 600 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
    (tmp_path / "logo.pdf").write_bytes(make_pdf([logo]))
    with pytest.raises(PdfNoTextLayer, match="no page that looks scanned"):
        load_pdf_with_ocr(tmp_path / "logo.pdf")


@pytest.mark.corpus
@needs_tesseract
@pytest.mark.parametrize(("flags", "exit_code", "expected"), [
    ([], 0, "1 read by OCR"),
    (["--no-ocr"], 1, "failed: scan: "),
])
def test_the_ingest_summary_counts_ocr_pages_and_no_ocr_turns_it_off(tmp_path, monkeypatch, flags, exit_code,
                                                                     expected):
    require_shared()
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)
    root = tmp_path / "corpus"
    root.mkdir()
    shutil.copy(SCANNED, root / "scan.pdf")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("root: corpus\ndocuments:\n  - {id: scan, path: scan.pdf, title: Scan}\n")
    result = CliRunner().invoke(
        main, ["ingest", "--manifest", str(manifest), "--data", str(tmp_path / "data"), "--quiet", *flags]
    )
    assert result.exit_code == exit_code, result.output
    assert expected in result.output and "Traceback" not in result.output


@needs_tesseract
def test_pages_read_by_several_tesseract_processes_come_back_in_page_order(tmp_path):
    names = ["Harbour", "Meadow", "Lantern", "Orchard", "Quarry"]
    (tmp_path / "five.pdf").write_bytes(make_pdf([prose_lines(72, 200, [f"{name} wing"], size=24) for name in names]))
    with pypdfium2.PdfDocument(str(tmp_path / "five.pdf")) as document:
        pages = ocr_pages(document, [5, 1, 2, 3, 4], workers=2)
    assert [page.text.split()[0] for page in pages] == ["Quarry", *names[:4]]


def test_a_rendered_page_carries_the_resolution_it_was_rendered_at(tmp_path):
    (tmp_path / "one.pdf").write_bytes(make_pdf([prose_lines(72, 72, ["Ward round"])]))
    with pypdfium2.PdfDocument(str(tmp_path / "one.pdf")) as document:
        image = render_page(document, 1, dpi=96)
    assert image.info["dpi"] == (96, 96)
    assert image.width == pytest.approx(PAGE_WIDTH * 96 / 72, abs=1)


def test_an_image_only_rendition_is_a_scan_at_the_usual_scanner_resolution(tmp_path):
    (tmp_path / "source.pdf").write_bytes(make_pdf([prose_lines(72, 72, ["Ward round"])]))
    image_only_pdf(tmp_path / "source.pdf", tmp_path / "scan.pdf")
    with pypdfium2.PdfDocument(str(tmp_path / "scan.pdf")) as document:
        [picture] = document[0].get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE])
        width, _ = picture.get_px_size()
    assert width == pytest.approx(PAGE_WIDTH * SCAN_DPI / 72, abs=1)
