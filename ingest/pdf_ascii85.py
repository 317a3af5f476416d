"""ASCII85 decoding for the PDF parser, whole groups at a time.

PDFs distilled from PostScript wrap every content stream in ASCII85 text around the Flate data.
pdfminer decodes it with the standard library's decoder, a Python loop over every group of five
characters: most of the time the guard against stream bombs (`pdf_layout._inflate_streams`)
spends on such a page. This decodes all groups of a stream at once with numpy, and hands anything
unusual (a `z` inside a group, a character outside the alphabet, a group past 2**32) to pdfminer's
own decoder, so that results and errors stay exactly its own.
"""

from __future__ import annotations

from pdfminer import ascii85, pdftypes

_WHITESPACE = b" \t\n\r\v"
_ZERO_GROUP = b"z"
_FIRST_DIGIT, _LAST_DIGIT = ord("!"), ord("u")
_GROUP_MAX = 2**32 - 1


def decode(data: bytes) -> bytes:
    """The bytes the ASCII85 text `data` encodes, as pdfminer's `ascii85decode` gives them."""
    import numpy as np  # only a PDF written this way needs it

    body = ascii85.end_re.sub(b"", ascii85.start_re.sub(b"", data)).translate(None, _WHITESPACE)
    pieces = body.split(_ZERO_GROUP)
    if any(len(piece) % 5 for piece in pieces[:-1]):
        return ascii85.ascii85decode(data)
    powers = np.array([85**4, 85**3, 85**2, 85, 1], dtype=np.uint64)
    decoded = []
    for piece in pieces:
        padding = -len(piece) % 5
        digits = np.frombuffer(piece + b"u" * padding, dtype=np.uint8)
        if digits.size and (digits.min() < _FIRST_DIGIT or digits.max() > _LAST_DIGIT):
            return ascii85.ascii85decode(data)
        groups = (digits.reshape(-1, 5).astype(np.uint64) - _FIRST_DIGIT) @ powers
        if groups.size and groups.max() > _GROUP_MAX:
            return ascii85.ascii85decode(data)
        raw = groups.astype(">u4").tobytes()
        decoded.append(raw[: len(raw) - padding])
    return b"\0\0\0\0".join(decoded)


def use_in_pdf_parser() -> None:
    """Make pdfminer decode ASCII85 streams with `decode` from now on in this process."""
    pdftypes.ascii85decode = decode
