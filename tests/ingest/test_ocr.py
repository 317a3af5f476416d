"""OCR reads the PDF pages that have no text layer, only those, marks each with its confidence,
and refuses in one sentence a scanned PDF where it finds nothing."""

from __future__ import annotations

import shutil

import pypdfium2
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from index.embedder import HashingEmbedder
from ingest.ocr import OcrFoundNothing, load_pdf_with_ocr, ocr_pages, render_page
from ingest.ocr_layer import ocr_layer
from ingest.page_rulings import ruling_edges
from ingest.pdf_chars import ruling_edge
from ingest.pdf_layout import PdfNoTextLayer, lay_out_pages, load_pdf, page_words
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from queries.evaluation.ocr import SCAN_DPI, evaluate_ocr, image_only_pdf
from tests.conftest import CORPUS, published_rows, require_shared
from tests.pdf_factory import PAGE_WIDTH, Rule, Run, make_pdf, prose_lines, write_pdf

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
SCANNED = CORPUS / "robustness" / "scanned-page.pdf"
SEED_PDFS = ("000_b33752787a24be7e", "003_8c976046bbdf297b")
# Two seed PDFs that hold quotations, so recall is not one document's score on a score of quotations.
QUOTED_SEED_PDFS = ("000_b33752787a24be7e", "004_797817d61329c19d")
HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
# Type of about 12 points at 150 dpi: capitals 20 pixels tall, letters 11 pixels wide, words 8 apart.
CAP, LETTER, SPACE = 20, 11, 8


def _tsv(lines: list[tuple[int, list[tuple[str, int, int]]]], width: int = 1275, height: int = 1650) -> str:
    """Tesseract's word table for lines of (baseline, [(word, left, confidence)]), in Tesseract's order."""
    rows = [HEADER, f"1\t1\t0\t0\t0\t0\t0\t0\t{width}\t{height}\t-1\t"]
    for number, (baseline, words) in enumerate(lines, 1):
        right = max(left + LETTER * len(text) for text, left, _ in words)
        rows.append(f"4\t1\t{number}\t1\t1\t0\t{words[0][1]}\t{baseline - CAP}\t{right - words[0][1]}\t{CAP + 5}\t-1\t")
        for index, (text, left, confidence) in enumerate(words, 1):
            top = baseline - (CAP if any(c.isupper() or c in "bdfhklt" for c in text) else CAP * 3 // 5)
            rows.append(f"5\t1\t{number}\t1\t1\t{index}\t{left}\t{top}\t{LETTER * len(text)}\t{baseline - top}"
                        f"\t{confidence}\t{text}")
    return "\n".join(rows)


def _words(text: str, left: int = 150, confidence: int = 95) -> list[tuple[str, int, int]]:
    """The words of `text` set from `left` one after the other."""
    words = []
    for word in text.split():
        words.append((word, left, confidence))
        left += LETTER * len(word) + SPACE
    return words


def _laid_out(*tsvs: str, edges: list[dict] | None = None) -> list[str]:
    """The text of pages read from hOCR, laid out together as a document's OCR'd pages are."""
    layers = [ocr_layer(tsv, 150, edges) for tsv in tsvs]
    return [page.text for page in lay_out_pages([page_words(layer.page, n) for n, layer in enumerate(layers, 1)])]


def test_tesseract_words_become_lines_and_paragraphs_with_a_length_weighted_confidence():
    tsv = _tsv([
        (300, _words("Care homes", confidence=90)), (330, _words("agreed.", confidence=90)),
        (500, _words("No", confidence=60)),
    ])
    assert _laid_out(tsv) == ["Care homes\nagreed.\n\nNo"]
    assert ocr_layer(tsv, 150).confidence == pytest.approx((90 * 16 + 60 * 2) / 18 / 100, abs=1e-4)


def test_a_line_of_short_letters_only_keeps_the_type_size_of_its_paragraph():
    lines = ["Leaders of the care homes met", "the GPs every week in the", "summer as we saw."]
    lines += ["a common move"]
    assert _laid_out(_tsv([(300 + 30 * i, _words(line)) for i, line in enumerate(lines)])) == ["\n".join(lines)]


def test_words_tesseract_read_apart_stay_apart_however_close():
    words = [("all", 150, 95), ("of", 150 + LETTER * 3 + 1, 95), ("a", 150 + LETTER * 5 + 2, 95),
             ("sudden", 150 + LETTER * 6 + 3, 95)]
    assert _laid_out(_tsv([(300, words)])) == ["all of a sudden"]


def test_a_ruled_table_that_tesseract_reads_column_by_column_is_laid_out_row_by_row():
    rows = [("Factor", "Key component"), ("Leadership", "Supportive staff"), ("Evaluation", "Shown value")]
    tops = [300 + 60 * i for i in range(len(rows))]
    first_column = [(top + 35, _words(first, left=160)) for top, (first, _) in zip(tops, rows)]
    second_column = [(top + 35, _words(second, left=560)) for top, (_, second) in zip(tops, rows)]
    points = 72 / 150
    edges = [ruling_edge(140 * points, top * points, 1000 * points, top * points) for top in [*tops, tops[-1] + 60]]
    edges += [ruling_edge(x * points, tops[0] * points, x * points, (tops[-1] + 60) * points) for x in (140, 540, 1000)]
    table = _laid_out(_tsv(first_column + second_column), edges=edges)
    assert table == ["Factor\tKey component\nLeadership\tSupportive staff\nEvaluation\tShown value"]


def test_running_headers_and_page_numbers_are_dropped_and_the_body_kept():
    pages = [
        _tsv([(60, _words("Evaluation of the night service")), (800, _words(f"Body text of page {n}.")),
               (1600, _words(str(n), left=600))])
        for n in range(1, 4)
    ]
    assert _laid_out(*pages) == [f"Body text of page {n}." for n in range(1, 4)]


def test_a_margin_line_on_one_page_only_is_kept():
    pages = [_tsv([(60, _words("Chapter one begins here")), (800, _words("Body."))]),
             _tsv([(800, _words("Body two."))])]
    assert _laid_out(*pages)[0].startswith("Chapter one begins here")


def test_the_rules_of_a_table_are_found_in_its_picture_and_letters_are_not():
    image = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(image)
    for y in (300, 360, 420):
        draw.line([(140, y), (1000, y)], fill=200, width=2)
    for x in (140, 540, 1000):
        draw.line([(x, 300), (x, 420)], fill=200, width=2)
    draw.rectangle([(200, 600), (230, 625)], fill=0)  # a heavy letter: short runs only
    draw.rectangle([(140, 800), (1000, 840)], fill=60)  # a filled bar: its outline
    edges = ruling_edges(image, 150)
    points = 72 / 150
    horizontal = sorted(round(e["top"] / points) for e in edges if e["orientation"] == "h")
    vertical = sorted(round(e["x0"] / points) for e in edges if e["orientation"] == "v")
    assert horizontal == [301, 361, 421, 800, 841]  # three rules, and the bar's top and bottom
    assert vertical == [140, 141, 541, 1001, 1001]  # three rules, and the bar's two ends


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


@needs_tesseract
def test_a_scanned_page_with_a_ruled_table_reads_as_its_text_layer_does(tmp_path):
    rows = [["Factor", "Key component"], ["Leadership", "Supportive staff"], ["Evaluation", "Shown value"]]
    runs: list[Run | Rule] = prose_lines(60, 60, ["Text before the table."], size=12)
    for i, (first, second) in enumerate(rows):
        runs += [Run(66, 106 + 30 * i, first, size=12), Run(266, 106 + 30 * i, second, size=12)]
    runs += [Rule(60, 100 + 30 * i, 460, 100 + 30 * i) for i in range(4)]
    runs += [Rule(x, 100, x, 190) for x in (60, 260, 460)]
    runs += prose_lines(60, 220, ["Text after the table."], size=12)
    source = write_pdf(tmp_path, [runs])
    image_only_pdf(source, tmp_path / "scan.pdf")
    text_layer = load_pdf(source).pages[0].text
    assert text_layer.count("\t") == 3
    assert load_pdf_with_ocr(tmp_path / "scan.pdf").pages[0].text == text_layer


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
        layers = ocr_pages(document, [5, 1, 2, 3, 4], workers=2)
    assert ["".join(glyph[0] for glyph in layer.page.glyphs).split()[0] for layer in layers] == ["Quarry", *names[:4]]


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
