"""The two PDF character readers (pdfium and pdfplumber) give the same pages, sections and quotations,
and a long PDF read as page ranges in parallel gives the same document as one read in one piece,
in a parse of its own and in an ingest."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest

from index.embedder import HashingEmbedder
from ingest import sections
from ingest.document import parse_document
from ingest.errors import ResourceLimitExceeded
from ingest.limits import ResourceLimits
from ingest.pdf_chars import read_page, table_cells
from ingest.pdf_layout import PAGES_PER_RANGE, PdfError, PdfNoTextLayer, _page_ranges, load_pdf
from ingest.pdf_readers import PDF_READERS
from pipeline.ingest_run import IngestOptions, run_ingest
from pipeline.workers import PoolMapper
from tests.conftest import CORPUS, published_rows
from tests.pdf_factory import Rule, Run, prose_lines, write_pdf
from tests.recording_pool import RecordingMapper

BODY = [
    "The district nurses met every week to plan the visits of the",
    "coming days, and the practice manager kept the list of patients",
    "who had been discharged from hospital since the last meeting.",
]
QUOTE = [
    "We knew which patients were going home before they left",
    "the ward, so nobody waited for a first visit. (Nurse 4)",
]


def _two_columns() -> list[Run | Rule]:
    return [
        *prose_lines(50, 60, ["Working across teams"], style="bold", size=12),
        *prose_lines(50, 90, BODY * 3, size=9),
        *prose_lines(310, 90, BODY * 2, size=9),
        *prose_lines(330, 180, QUOTE, size=9, style="italic"),
    ]


def _ruled_table() -> list[Run | Rule]:
    runs: list[Run | Rule] = prose_lines(60, 60, ["The roles that took part."])
    for i, (role, count) in enumerate([("Role", "Interviews"), ("Nurse", "12"), ("Manager", "7")]):
        runs += [Run(64, 104 + 30 * i, role), Run(264, 104 + 30 * i, count)]
    runs += [Rule(60, 100 + 30 * i, 460, 100 + 30 * i) for i in range(4)]
    runs += [Rule(x, 100, x, 190) for x in (60, 260, 460)]
    return runs + prose_lines(60, 210, ["The table ends here."])


def _hyphenated() -> list[Run | Rule]:
    lines = ["Discharge planning needed co-", "ordination between the", "teams and a shared", "under-",
             "standing of the patients."]
    return prose_lines(60, 80, lines)


def _report(n_pages: int) -> list[list[Run | Rule]]:
    """A long report: a header on every page, a numbered heading every few pages, a quotation on each."""
    pages = []
    for n in range(1, n_pages + 1):
        runs: list[Run | Rule] = [Run(60, 30, "Evaluation of the discharge service", size=8)]
        if n % 7 == 1:
            runs += prose_lines(60, 60, [f"{n // 7 + 1}. Findings of phase {n // 7 + 1}"], style="bold", size=12)
        runs += prose_lines(60, 90, BODY)
        runs += prose_lines(80, 140, QUOTE, style="italic")
        runs += prose_lines(60, 180, [f"Page {n} closes with a sentence split over the page-"])
        runs += prose_lines(60, 800, [str(n)], size=8)
        pages.append(runs)
    return pages


@pytest.mark.parametrize("make", [_two_columns, _ruled_table, _hyphenated])
@pytest.mark.parametrize("reader", PDF_READERS)
def test_each_reader_lays_out_generated_pages_as_the_reference_does(tmp_path: Path, make, reader: str) -> None:
    path = write_pdf(tmp_path, [make(), _two_columns()])
    reference = load_pdf(path, reader="pdfplumber")

    assert load_pdf(path, reader=reader) == reference
    assert reference.pages[0].text.strip()


def test_a_ruled_table_read_by_pdfium_is_one_tab_separated_block(tmp_path: Path) -> None:
    text = load_pdf(write_pdf(tmp_path, [_ruled_table()]), reader="pypdfium2").pages[0].text

    assert text.split("\n\n") == ["The roles that took part.", "Role\tInterviews\nNurse\t12\nManager\t7",
                                  "The table ends here."]


def test_a_tables_cells_read_row_by_row_equal_pdfplumbers_own_reading(tmp_path: Path) -> None:
    document = pypdfium2.PdfDocument(write_pdf(tmp_path, [_ruled_table()]))
    try:
        tables = read_page(document[0], 1, ResourceLimits()).find_tables()
    finally:
        document.close()

    assert tables
    assert [table_cells(table) for table in tables] == [table.extract() for table in tables]


def test_an_unknown_reader_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown PDF reader 'ocr'"):
        load_pdf(write_pdf(tmp_path, [_hyphenated()]), reader="ocr")


def test_a_long_pdf_read_as_page_ranges_by_two_workers_equals_one_read_whole(tmp_path: Path) -> None:
    path = write_pdf(tmp_path, _report(3 * PAGES_PER_RANGE))
    mapper = RecordingMapper(2)

    whole = load_pdf(path)
    in_ranges = load_pdf(path, map_ranges=mapper)

    assert mapper.calls[0] > 1 and mapper.calls == [mapper.calls[0]] * 2  # ranges read, then laid out, in parallel
    assert in_ranges == whole
    assert not any("Evaluation of the discharge service" in page.text for page in whole.pages)


def test_a_long_pdfs_last_ranges_are_shorter_so_that_the_workers_end_together() -> None:
    ranges = _page_ranges(12 * PAGES_PER_RANGE, PoolMapper(2))
    sizes = [len(numbers) for numbers in ranges]

    assert [number for numbers in ranges for number in numbers] == list(range(1, 12 * PAGES_PER_RANGE + 1))
    assert sizes[0] == PAGES_PER_RANGE and sizes == sorted(sizes, reverse=True) and sizes[-1] < PAGES_PER_RANGE / 4


def test_a_long_pdf_without_text_read_as_page_ranges_has_no_text_layer(tmp_path: Path) -> None:
    path = write_pdf(tmp_path, [[] for _ in range(2 * PAGES_PER_RANGE)])

    with pytest.raises(PdfNoTextLayer):
        load_pdf(path, map_ranges=PoolMapper(2))


def test_a_range_that_fails_fails_the_document_with_its_own_error(tmp_path: Path) -> None:
    pages = _report(2 * PAGES_PER_RANGE)
    pages[-1] = prose_lines(60, 60, ["A page with far more characters than the others."] * 40)
    path = write_pdf(tmp_path, pages)

    with pytest.raises(ResourceLimitExceeded, match=f"page {len(pages)} draws more than 1,000 characters"):
        load_pdf(path, limits=ResourceLimits(max_page_chars=1000), map_ranges=PoolMapper(2))


def _no_entities(monkeypatch) -> None:
    class NoEntities:
        def extract(self, text: str, map_pieces=None) -> list:
            return []

    monkeypatch.setattr("ingest.document.entity_extractor", NoEntities)


def _sections_and_quotes(path: Path, reader: str) -> tuple[list, list]:
    parsed = parse_document(path, pdf_reader=reader, ocr=False)
    sections = [(s.level, s.number, s.heading, s.page_start) for s in parsed.sections]
    quotes = [(q.text, q.attribution, q.inline, q.page) for q in parsed.quotes]
    return sections, quotes


def test_a_long_report_parsed_with_one_and_two_workers_is_the_same(tmp_path: Path, monkeypatch) -> None:
    _no_entities(monkeypatch)
    path = write_pdf(tmp_path, _report(2 * PAGES_PER_RANGE + 3))

    one = parse_document(path)
    two = parse_document(path, map_ranges=PoolMapper(2))

    assert (two.clean, two.sections, two.quotes) == (one.clean, one.sections, one.quotes)
    assert len(one.quotes) == 2 * PAGES_PER_RANGE + 3


def test_a_long_report_parsed_with_two_workers_has_the_entities_of_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("ingest.entity_pieces.PIECE_CHARS", 2000)
    path = write_pdf(tmp_path, _report(2 * PAGES_PER_RANGE + 3))

    two = parse_document(path, map_ranges=PoolMapper(2))
    one = parse_document(path)

    assert two.mentions == one.mentions
    assert (two.clean, two.sections, two.quotes) == (one.clean, one.sections, one.quotes)


def test_a_long_reports_sections_and_quotations_are_found_on_a_worker_beside_its_entities(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr("ingest.entity_pieces.PIECE_CHARS", 2000)
    path = write_pdf(tmp_path, _report(2 * PAGES_PER_RANGE + 3))
    builders = tmp_path / "built-by.txt"  # the process that built the sections

    def build_sections(clean, **options):
        with builders.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return sections.build_sections(clean, **options)

    monkeypatch.setattr("ingest.document.build_sections", build_sections)
    parse_document(path, map_ranges=PoolMapper(2))

    built_by = builders.read_text(encoding="utf-8").split()
    assert len(built_by) == 1 and built_by != [str(os.getpid())]


def test_a_long_report_ingested_alone_by_two_workers_is_stored_as_by_one(tmp_path: Path, monkeypatch) -> None:
    """The report's own worker reads its page ranges in processes of its own."""
    _no_entities(monkeypatch)
    monkeypatch.setattr("pipeline.ingest_run.entity_extractor", lambda: None)
    write_pdf(tmp_path, _report(2 * PAGES_PER_RANGE + 3), name="report.pdf")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("root: .\ndocuments:\n  - {id: r, path: report.pdf, title: Report}\n", encoding="utf-8")

    stored = {}
    for workers in (1, 2):
        summary = run_ingest(manifest, tmp_path / f"data-{workers}", HashingEmbedder,
                             IngestOptions(workers=workers, show_progress=False))
        assert summary.failures == []
        stored[workers] = published_rows(tmp_path / f"data-{workers}",
                                         "SELECT text, char_start, page FROM quotes ORDER BY char_start")

    assert stored[2] == stored[1]
    assert len(stored[1]) == 2 * PAGES_PER_RANGE + 3


def _pdfs(folder: str) -> list[Path]:
    return sorted((CORPUS / folder).glob("*.pdf")) if CORPUS.is_dir() else []


# Annotated PDFs: the renditions of the corpus and the external reports with answers in ../shared/eval.
ANNOTATED = _pdfs("pdf") + _pdfs("external")
# Awkward real documents without answers, to be read without crashing and without inventing quotations.
ROBUSTNESS = _pdfs("robustness")


def _compared(path: Path, reader: str, what: slice) -> tuple | str:
    """Sections and quotations (`what` picks which), or the one-line failure both readers must share."""
    try:
        return _sections_and_quotes(path, reader)[what]
    except (PdfError, ResourceLimitExceeded) as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.corpus
@pytest.mark.skipif(not ANNOTATED, reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("path", ANNOTATED, ids=lambda p: p.name)
def test_both_readers_find_the_same_sections_and_quotations_in_annotated_pdfs(path: Path, monkeypatch) -> None:
    _no_entities(monkeypatch)
    assert _compared(path, "pypdfium2", slice(0, 2)) == _compared(path, "pdfplumber", slice(0, 2))


@pytest.mark.corpus
@pytest.mark.skipif(not ROBUSTNESS, reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("path", ROBUSTNESS, ids=lambda p: p.name)
def test_both_readers_find_the_same_quotations_or_fail_alike_in_robustness_pdfs(path: Path, monkeypatch) -> None:
    _no_entities(monkeypatch)
    assert _compared(path, "pypdfium2", slice(1, 2)) == _compared(path, "pdfplumber", slice(1, 2))
