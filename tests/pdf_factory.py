"""Small PDFs written byte by byte for tests: text runs, ruled lines, raw content streams, encryption.

No PDF-writing package is needed and no binary fixture is committed.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 595, 842
FONTS = {"regular": "Helvetica", "bold": "Helvetica-Bold", "italic": "Helvetica-Oblique"}


@dataclass(frozen=True)
class Run:
    """A piece of text drawn at (x, top) in points from the page's top-left corner."""

    x: float
    top: float
    text: str
    size: float = 10
    style: str = "regular"


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("cp1252")


@dataclass(frozen=True)
class Rule:
    """A straight line from (x0, top) to (x1, bottom), as tables are ruled."""

    x0: float
    top: float
    x1: float
    bottom: float


def _content_stream(items: list[Run | Rule]) -> bytes:
    names = list(FONTS)
    runs = [item for item in items if isinstance(item, Run)]
    rules = [item for item in items if isinstance(item, Rule)]
    ops = [b"0.5 w %g %g m %g %g l S" % (r.x0, PAGE_HEIGHT - r.top, r.x1, PAGE_HEIGHT - r.bottom) for r in rules]
    ops.append(b"BT")
    for run in runs:
        baseline = PAGE_HEIGHT - run.top - run.size
        font = names.index(run.style) + 1
        ops.append(b"/F%d %g Tf 1 0 0 1 %g %g Tm (%s) Tj" % (font, run.size, run.x, baseline, _escape(run.text)))
    ops.append(b"ET")
    return b"\n".join(ops)


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


PASSWORD_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
FILE_ID = bytes(range(16))
PERMISSIONS = -44


@dataclass(frozen=True)
class _Rc4Security:
    """The standard security handler, revision 2 (40-bit RC4), for a user password."""

    key: bytes
    owner_entry: bytes
    user_entry: bytes

    @classmethod
    def for_password(cls, password: str) -> _Rc4Security:
        padded = (password.encode("latin-1") + PASSWORD_PAD)[:32]
        owner_entry = _rc4(hashlib.md5(padded).digest()[:5], padded)
        key = hashlib.md5(padded + owner_entry + struct.pack("<i", PERMISSIONS) + FILE_ID).digest()[:5]
        return cls(key=key, owner_entry=owner_entry, user_entry=_rc4(key, PASSWORD_PAD))

    def encrypt(self, number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(self.key + struct.pack("<i", number)[:3] + b"\0\0").digest()[:10]
        return _rc4(object_key, data)

    def dictionary(self) -> bytes:
        return b"<< /Filter /Standard /V 1 /R 2 /P %d /O <%s> /U <%s> >>" % (
            PERMISSIONS,
            self.owner_entry.hex().encode(),
            self.user_entry.hex().encode(),
        )


def make_pdf(pages: list[list[Run | Rule] | bytes], *, password: str | None = None, compress: bool = False,
             page_size: tuple[int, int] = (PAGE_WIDTH, PAGE_HEIGHT)) -> bytes:
    """A PDF with one page per list of runs (or raw content stream); RC4-encrypted when `password` is
    given. Runs are placed from the top of an A4 page whatever `page_size` is."""
    security = _Rc4Security.for_password(password) if password else None
    n_fonts = len(FONTS)
    first_page = 3 + n_fonts
    page_numbers = [first_page + 2 * i for i in range(len(pages))]
    font_refs = b" ".join(b"/F%d %d 0 R" % (i + 1, 3 + i) for i in range(n_fonts))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % n for n in page_numbers), len(pages)),
    ]
    objects += [
        b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % name.encode()
        for name in FONTS.values()
    ]
    for number, runs in zip(page_numbers, pages):
        stream = runs if isinstance(runs, bytes) else _content_stream(runs)
        filter_entry = b""
        if compress:
            stream, filter_entry = zlib.compress(stream, 9), b" /Filter /FlateDecode"
        if security:
            stream = security.encrypt(number + 1, stream)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << %s >> >> "
            b"/Contents %d 0 R >>" % (*page_size, font_refs, number + 1)
        )
        objects.append(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(stream), filter_entry, stream))
    if security:
        objects.append(security.dictionary())
    encrypt = b" /Encrypt %d 0 R" % len(objects) if security else b""
    return raw_pdf(objects, encrypt + b" /ID [<%s> <%s>]" % (FILE_ID.hex().encode(), FILE_ID.hex().encode()))


def raw_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of exactly these objects, numbered from 1 (the first is the catalog), with a correct
    cross-reference table: for structure no writer would produce, such as loops of references."""
    body, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref_at = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref_at)
    return bytes(body)


def write_pdf(tmp_path: Path, pages: list[list[Run | Rule] | bytes], name: str = "generated.pdf", **options) -> Path:
    path = tmp_path / name
    path.write_bytes(make_pdf(pages, **options))
    return path


def prose_lines(x: float, top: float, lines: list[str], *, leading: float = 13, **style) -> list[Run]:
    return [Run(x, top + i * leading, text, **style) for i, text in enumerate(lines)]
