"""Load plain-text and Markdown documents, detecting their encoding."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import EmptyDocument, UnreadableText
from ingest.records import RawDocument, RawPage

# Share of control characters above which a file is taken to be binary, not text.
BINARY_CONTROL_SHARE = 0.05
_FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8, else the most likely legacy encoding; refuse binary data."""
    if b"\x00" in data[:65536]:
        raise UnreadableText(f"{name} holds binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if sample and controls / len(sample) > BINARY_CONTROL_SHARE:
        raise UnreadableText(f"{name} holds binary data, not text")
    return text


def _decode_legacy(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    encodings = ((best.encoding,) if best is not None else ()) + _FALLBACK_ENCODINGS
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableText("the text could not be decoded in any known encoding")


def load_text(path: Path) -> RawDocument:
    """Read a text or Markdown file; form feeds, where present, separate pages."""
    text = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise EmptyDocument(f"{path.name} is empty")
    pages = [RawPage(number=i + 1, text=page) for i, page in enumerate(text.split("\f"))]
    return RawDocument(pages=pages, source_format="markdown" if path.suffix.lower() == ".md" else "text")
