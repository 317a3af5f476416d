"""ASCII85 streams decode as pdfminer's own decoder decodes them, errors included."""

import base64
import random

import pytest
from pdfminer import ascii85

from ingest import pdf_ascii85


@pytest.mark.parametrize("length", [0, 1, 2, 3, 4, 5, 8, 9, 1000, 1003])
def test_decodes_what_was_encoded(length: int) -> None:
    data = random.Random(length).randbytes(length)
    encoded = base64.a85encode(data, wrapcol=75, adobe=True)
    assert pdf_ascii85.decode(encoded) == data


def test_a_zero_group_is_four_zero_bytes() -> None:
    data = b"ab\0\0\0\0cd\0\0\0\0"
    encoded = base64.a85encode(data)
    assert b"z" in encoded
    assert pdf_ascii85.decode(encoded + b"~>") == data


@pytest.mark.parametrize("text", [b"87cUzR~>", b"87c\x0cURD]i~>", b"s8W-\"s8W-!~>", b"uuuuu~>", b"u~>"])
def test_malformed_text_fails_as_the_parser_fails(text: bytes) -> None:
    with pytest.raises(ValueError) as expected:
        ascii85.ascii85decode(text)
    with pytest.raises(ValueError) as got:
        pdf_ascii85.decode(text)
    assert str(got.value) == str(expected.value)


def test_the_pdf_reader_uses_it() -> None:
    from pdfminer import pdftypes

    import ingest.pdf_layout  # noqa: F401

    assert pdftypes.ascii85decode is pdf_ascii85.decode
