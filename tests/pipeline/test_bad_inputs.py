"""Whatever lands in the corpus folder, ingest finishes: each bad file fails alone with one clear sentence.

Every bad file is generated here; no binary fixture is committed.
"""

from __future__ import annotations

import io
import os
import re
import time
import zlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from PIL import Image

from index.embedder import HashingEmbedder
from index.published import open_published
from pipeline.cli import main
from pipeline.workers import TaskTimeout, run_tasks
from tests.pdf_factory import _Rc4Security, make_pdf, prose_lines, raw_pdf

GOOD_TEXT = """Introduction

This report looks at how care homes were supported after the pilot.

Findings

As one commissioner said:

We lost the money and we lost the people who knew the homes. (P3S1R03)
"""
PROSE = ["The funding for care homes stopped when the pilot ended, and staff moved on."] * 6
INLINE_IMAGE = b"q 100 0 0 100 50 600 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"


def good_pdf(**options) -> bytes:
    return make_pdf([prose_lines(72, 72, PROSE)], **options)


def blank_scan() -> bytes:
    """A page-sized white image: a scanned PDF in which OCR finds nothing."""
    buffer = io.BytesIO()
    Image.new("L", (850, 1100), 255).save(buffer, format="PDF", resolution=100.0)
    return buffer.getvalue()


def good_docx() -> bytes:
    document = docx.Document()
    for paragraph in GOOD_TEXT.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def unrecoverable_xref(pdf: bytes) -> bytes:
    """Cross-reference table and trailer destroyed: no parser can find the document's root."""
    return pdf[: pdf.index(b"xref\n0 ")] + b"xref\nGARBAGE\nstartxref\n999999\n%%EOF\n"


def repairable_xref(pdf: bytes) -> bytes:
    """Wrong offsets but intact objects and trailer: a careful parser rebuilds the table."""
    return re.sub(rb"startxref\n\d+", b"startxref\n999999", pdf)


def hanging_pdf() -> bytes:
    """Millions of drawing operators, compressed to a few kilobytes: parsing never ends in practice."""
    return make_pdf([b"BT /F1 10 Tf 72 720 Td " + b"(x) Tj 0.001 0 Td " * 3_000_000 + b"ET"], compress=True)


ONE_PAGE = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]


def flate_bomb() -> bytes:
    """Four hundred kilobytes that inflate to 400 MB of spaces."""
    deflate, chunk = zlib.compressobj(9), b" " * (1 << 20)
    bomb = b"".join(deflate.compress(chunk) for _ in range(400)) + deflate.flush()
    return raw_pdf([*ONE_PAGE, b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(bomb), bomb)])


def undecryptable_pdf() -> bytes:
    """Encrypted so that the empty password opens it, but the streams were encrypted with another key."""
    pdf = good_pdf(password="other")
    return pdf.replace(_Rc4Security.for_password("other").dictionary(), _Rc4Security.for_password("").dictionary())


def late_nul_text() -> bytes:
    return GOOD_TEXT.encode() * 400 + b"\x00" + GOOD_TEXT.encode()


BAD = {
    "zero.pdf": (lambda: b"", "not a readable PDF"),
    "zero_text.txt": (lambda: b"", "empty"),
    "truncated.pdf": (lambda: good_pdf()[: len(good_pdf()) * 6 // 10], "not a readable PDF"),
    "broken_xref.pdf": (lambda: unrecoverable_xref(good_pdf()), "not a readable PDF"),
    "encrypted_no_password.pdf": (lambda: good_pdf(password="s3cret"), "password"),
    "image_only.pdf": (lambda: make_pdf([INLINE_IMAGE]), "no text layer and no page that looks scanned"),
    "blank_scan.pdf": (blank_scan, "no text layer and OCR found no words"),
    "not_a_zip.docx": (lambda: b"a plain text file with the wrong name", "not a readable Word document"),
    "cut_short.docx": (lambda: good_docx()[:400], "not a readable Word document"),
    "no_body.html": (lambda: b"<html><head><title>Nothing</title></head></html>", "has no body text"),
    "pages_3000.pdf": (lambda: make_pdf([prose_lines(72, 72, PROSE[:1])] * 3000), "pages"),
    "binary.txt": (lambda: bytes(range(256)) * 400, "binary data"),
    "hang.pdf": (hanging_pdf, "expands past 16 MB"),
    "self_reference.pdf": (lambda: raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"2 0 R"]), "refers to itself"),
    "self_reference_contents.pdf": (lambda: raw_pdf([*ONE_PAGE, b"4 0 R"]), "refers to itself"),
    "self_reference_length.pdf": (
        lambda: raw_pdf([*ONE_PAGE, b"<< /Length 4 0 R >>\nstream\nBT ET\nendstream"]), "damaged"
    ),
    "parent_loop.pdf": (lambda: raw_pdf([*ONE_PAGE[:2], b"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>"]),
                        "damaged"),
    "flate_bomb.pdf": (flate_bomb, "expands past 16 MB"),
    "million_chars.pdf": (lambda: make_pdf([b"BT /F1 1 Tf (" + b"x" * 3_000_000 + b") Tj ET"], compress=True),
                          "draws more than 50,000 characters"),
    "undecryptable.pdf": (undecryptable_pdf, "encrypted and no text could be decrypted"),
    "huge.txt": (lambda: b"care homes lost their funding. " * 300_000, "past the limit of 4 MB"),
    "late_nul.txt": (late_nul_text, "binary data"),
}
GOOD = {
    "good.txt": lambda: GOOD_TEXT.encode("utf-8"),
    "good_encrypted.pdf": lambda: good_pdf(password="s3cret"),
    "cp1252.txt": lambda: GOOD_TEXT.replace("the money", "£2m of money").encode("cp1252"),
    "repaired_xref.pdf": lambda: repairable_xref(good_pdf()),
    "good_word.docx": good_docx,
    "good_page.html": lambda: f"<html><body><nav>Home</nav><p>{GOOD_TEXT}</p></body></html>".encode(),
    # A quarter of a megabyte with no line break: a step quadratic in a paragraph's length would never finish.
    "single_line.txt": lambda: ("care homes lost their funding when the pilot ended " * 5_000).encode(),
}


@pytest.fixture
def fast_embedder(monkeypatch):
    """The CLI's embedder replaced by the hashing one: these tests are about failures, not vectors."""
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)


def write_bad_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir()
    entries = []
    for name, (make, _) in BAD.items():
        (corpus / name).write_bytes(make())
        entries.append(f"  - {{id: {Path(name).stem}, path: {name}, title: {name}}}")
    for name, make in GOOD.items():
        (corpus / name).write_bytes(make())
        password = ", password: s3cret" if name == "good_encrypted.pdf" else ""
        entries.append(f"  - {{id: {Path(name).stem}, path: {name}, title: {name}{password}}}")
    (root / "outside.txt").write_text(GOOD_TEXT)
    entries.append("  - {id: outside, path: ../outside.txt, title: Outside}")
    entries.append("  - {id: missing, path: missing.txt, title: Missing}")
    (corpus / "folder.txt").mkdir()
    entries.append("  - {id: folder, path: folder.txt, title: Folder}")
    os.mkfifo(corpus / "fifo.txt")
    entries.append("  - {id: fifo, path: fifo.txt, title: Pipe}")
    entries.append("  - {id: big_year, path: good.txt, title: Year, year: 3000000000}")
    entries.append('  - {id: surrogate, path: good.txt, title: "Lone \\udc80 half"}')
    manifest = root / "manifest.yaml"
    manifest.write_text("root: corpus\ndocuments:\n" + "\n".join(entries) + "\n")
    return manifest


@pytest.mark.slow
def test_every_bad_input_fails_alone_with_default_limits_and_the_good_ones_are_queryable(tmp_path, fast_embedder):
    manifest = write_bad_corpus(tmp_path)
    data = tmp_path / "data"
    result = CliRunner().invoke(main, ["ingest", "--manifest", str(manifest), "--data", str(data), "--quiet"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    con, _ = open_published(data)
    status = {
        doc_id: (state, error)
        for doc_id, state, error in con.execute("SELECT doc_id, status, error FROM documents").fetchall()
    }
    texts = dict(con.execute("SELECT doc_id, text FROM documents WHERE status = 'ok'").fetchall())
    con.close()
    for name, (_, message) in BAD.items():
        state, error = status[Path(name).stem]
        assert state == "failed" and message in error, (name, error)
        assert "\n" not in error
    assert status["outside"][0] == "failed" and "outside the manifest root" in status["outside"][1]
    assert status["missing"][0] == "failed" and "file not found" in status["missing"][1]
    assert status["folder"][0] == "failed" and "is a folder" in status["folder"][1]
    assert status["fifo"][0] == "failed" and "not a regular file" in status["fifo"][1]
    assert status["big_year"][0] == "failed" and "year 3000000000 is outside" in status["big_year"][1]
    assert status["surrogate"][0] == "failed" and "title holds a lone surrogate" in status["surrogate"][1]
    assert {Path(name).stem for name in GOOD} <= set(texts)
    assert "£2m" in texts["cp1252"]
    assert "funding for care homes" in texts["good_encrypted"]


def test_a_parse_that_never_finishes_is_stopped_and_the_others_go_on():
    results = {
        key: (value, error)
        for key, value, error in run_tasks(
            _sleep_or_answer, [("stuck", (3600,)), ("quick", (0,))], workers=2, timeout=1.0
        )
    }
    assert isinstance(results["stuck"][1], TaskTimeout)
    assert results["quick"] == ("done", None)


def _sleep_or_answer(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


@pytest.mark.parametrize(
    ("manifest", "needle"),
    [
        ("root: corpus\ndocuments:\n  - {id: a, path: a.txt, title: A\n", "not valid YAML"),
        (
            "root: corpus\ndocuments:\n  - {id: a, path: a.txt, title: A}\n  - {id: a, path: b.txt, title: B}\n",
            "document 'a': duplicate id",
        ),
        (
            "root: corpus\ndocuments:\n  - {id: a, path: a.txt, title: A, colour: red}\n",
            "document 'a': unknown key 'colour'",
        ),
    ],
)
def test_a_bad_manifest_exits_non_zero_with_one_line_naming_the_problem(tmp_path, manifest, needle):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(GOOD_TEXT)
    path = tmp_path / "manifest.yaml"
    path.write_text(manifest)
    result = CliRunner().invoke(main, ["ingest", "--manifest", str(path), "--data", str(tmp_path / "data")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.output


def test_strict_stops_at_the_first_failure_and_publishes_nothing(tmp_path, fast_embedder):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(GOOD_TEXT)
    (tmp_path / "corpus" / "b.txt").write_bytes(b"")
    path = tmp_path / "manifest.yaml"
    path.write_text(
        "root: corpus\ndocuments:\n  - {id: a, path: a.txt, title: A}\n  - {id: b, path: b.txt, title: B}\n"
    )
    result = CliRunner().invoke(
        main, ["ingest", "--manifest", str(path), "--data", str(tmp_path / "data"), "--strict", "--quiet"]
    )
    assert result.exit_code == 2 and "document 'b'" in result.output
    assert not (tmp_path / "data" / "current").exists()


def test_a_missing_codebook_is_reported_before_any_document_is_parsed(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(GOOD_TEXT)
    path = tmp_path / "manifest.yaml"
    path.write_text("root: corpus\ndocuments:\n  - {id: a, path: a.txt, title: A}\n")
    data = tmp_path / "data"
    result = CliRunner().invoke(main, ["ingest", "--manifest", str(path), "--data", str(data),
                                       "--codebook", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2 and "codebook file not found" in result.output
    assert not data.exists()
