"""Per-document resource limits: a small hostile file fails at once with one sentence naming the limit."""

from __future__ import annotations

import pytest

from ingest.errors import ResourceLimitExceeded, UnreadableText
from ingest.limits import MB, ResourceLimits
from ingest.pdf_layout import PdfEncrypted, PdfUnreadable, load_pdf
from ingest.pdf_readers import PDF_READERS
from ingest.text_loader import load_text
from tests.pdf_factory import prose_lines, raw_pdf, write_pdf
from tests.pipeline.test_bad_inputs import (
    GOOD_TEXT,
    ONE_PAGE,
    flate_bomb,
    good_pdf,
    late_nul_text,
    undecryptable_pdf,
)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("objects", [
    [b"<< /Type /Catalog /Pages 2 0 R >>", b"2 0 R"],
    [*ONE_PAGE, b"4 0 R"],
    [b"<< /Type /Catalog /Pages 2 0 R >>", b"3 0 R", b"2 0 R"],
])
def test_an_object_that_refers_to_itself_fails_at_once(tmp_path, objects):
    with pytest.raises(ResourceLimitExceeded, match="refers to itself"):
        load_pdf(write(tmp_path, "loop.pdf", raw_pdf(objects)))


def test_a_compressed_stream_that_expands_past_the_limit_is_refused(tmp_path):
    with pytest.raises(ResourceLimitExceeded, match="expands past 16 MB"):
        load_pdf(write(tmp_path, "bomb.pdf", flate_bomb()))


def test_the_stream_limit_is_configurable(tmp_path):
    path = write(tmp_path, "good.pdf", good_pdf(compress=True))
    assert load_pdf(path).pages
    with pytest.raises(ResourceLimitExceeded, match="expands past"):
        load_pdf(path, limits=ResourceLimits(max_stream_bytes=100))


def test_a_page_drawing_more_characters_than_the_limit_is_refused(tmp_path):
    path = write(tmp_path, "good.pdf", good_pdf())
    with pytest.raises(ResourceLimitExceeded, match="page 1 draws more than 50 characters"):
        load_pdf(path, limits=ResourceLimits(max_page_chars=50))


@pytest.mark.parametrize("reader", PDF_READERS)
def test_a_page_larger_than_a4_may_draw_characters_in_proportion_to_its_area(tmp_path, reader):
    runs = prose_lines(60, 80, ["Seventy characters of text on one line of a page, and some more here."])
    limits = ResourceLimits(max_page_chars=50)
    with pytest.raises(ResourceLimitExceeded, match="page 1 draws more than 50 characters"):
        load_pdf(write_pdf(tmp_path, [runs], name="a4.pdf"), limits=limits, reader=reader)
    twice_a4 = write_pdf(tmp_path, [runs], name="large.pdf", page_size=(842, 1190))
    assert load_pdf(twice_a4, limits=limits, reader=reader).pages[0].text.startswith("Seventy characters")


def test_a_page_tree_whose_page_is_its_own_parent_is_damaged_not_a_crash(tmp_path):
    objects = [*ONE_PAGE[:2], b"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>"]
    with pytest.raises(PdfUnreadable, match="damaged"):
        load_pdf(write(tmp_path, "parent.pdf", raw_pdf(objects)))


def test_an_encrypted_pdf_whose_text_cannot_be_decrypted_says_so_not_no_text_layer(tmp_path):
    with pytest.raises(PdfEncrypted, match="encrypted and no text could be decrypted"):
        load_pdf(write(tmp_path, "locked.pdf", undecryptable_pdf()))


def test_a_text_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = write(tmp_path, "big.txt", GOOD_TEXT.encode() * 3000)
    with pytest.raises(ResourceLimitExceeded, match=r"past the limit of 0\.5 MB for a text file"):
        load_text(path, ResourceLimits(max_text_bytes=MB // 2))


def test_a_nul_byte_anywhere_in_a_text_file_marks_it_binary(tmp_path):
    with pytest.raises(UnreadableText, match="binary data"):
        load_text(write(tmp_path, "late.txt", late_nul_text()))
