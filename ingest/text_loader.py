"""Load plain-text and Markdown documents, detecting their encoding."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.errors import EmptyDocument, ResourceLimitExceeded, UnreadableText
from ingest.limits import MB, ResourceLimits
from ingest.markdown_html import markdown_blockquotes
from ingest.records import RawDocument, RawPage
from ingest.text.running_lines import without_running_lines
from ingest.text.wrapped_paragraphs import with_paragraph_breaks

# Share of control characters above which a file is taken to be binary, not text.
BINARY_CONTROL_SHARE = 0.05
_FALLBACK_ENCODINGS = ("latin-1",)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
MARKDOWN_SUFFIXES = (".md", ".markdown")
# YAML front matter: `---` on the first line, then keys, lists and their values, then `---` or `...`.
_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\n(?:(?:[A-Za-z_][\w-]*[ \t]*:.*|[ \t]+.*|[ \t]*-[ \t].*|[ \t]*#.*|[ \t]*)\n){1,200}?"
    r"(?:---|\.\.\.)[ \t]*(?:\n|\Z)"
)
# A Kramdown attribute list alone on its line (`{: .pull-quote}`), styling the block above it.
_ATTRIBUTE_LIST_LINE = re.compile(r"^[ \t]*\{:[^{}\n]*\}[ \t]*(?:\n|\Z)", re.MULTILINE)


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8, else the most likely legacy encoding; refuse binary data."""
    wide = _decode_wide(data)
    if wide is not None:
        text = wide
    elif b"\x00" in data:
        raise UnreadableText(f"{name} holds binary data, not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    sample = text[:65536]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    if sample and controls / len(sample) > BINARY_CONTROL_SHARE:
        raise UnreadableText(f"{name} holds binary data, not text")
    return text


def _decode_wide(data: bytes) -> str | None:
    """UTF-16 and UTF-32 files (Notepad's "Unicode") announce themselves with a byte-order mark."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableText(f"the text claims {encoding} but does not decode as it") from None
    return None


def _decode_legacy(data: bytes) -> str:
    """Windows-1252 first: it is what legacy English reports use, and a detector guesses badly on short text."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    encodings = ((best.encoding,) if best is not None else ()) + _FALLBACK_ENCODINGS
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableText("the text could not be decoded in any known encoding")


def load_text(path: Path, limits: ResourceLimits | None = None) -> RawDocument:
    """Read a text or Markdown file; form feeds, where present, separate pages, and a text's running
    headers and footers beside its page breaks are left out (see `ingest.text.running_lines`). Markdown's block
    quotations written in HTML become Markdown blockquotes (see `ingest.markdown_html`), and its
    YAML front matter and Kramdown attribute lists (`{: .pull-quote}`), which a reader of the page
    never sees, are left out."""
    limit = (limits or ResourceLimits()).max_text_bytes
    size = path.stat().st_size
    if size > limit:
        raise ResourceLimitExceeded(
            f"{path.name} is {size / MB:.3g} MB, past the limit of {limit / MB:.3g} MB for a text file (--max-text-mb)"
        )
    text = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise EmptyDocument(f"{path.name} is empty")
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    if markdown:
        text = markdown_blockquotes(_ATTRIBUTE_LIST_LINE.sub("", _without_front_matter(text)))
    else:
        text = with_paragraph_breaks(without_running_lines(text))
    pages = [RawPage(number=i + 1, text=page) for i, page in enumerate(text.split("\f"))]
    return RawDocument(pages=pages, source_format="markdown" if markdown else "text")


def _without_front_matter(text: str) -> str:
    """Markdown without the YAML front matter opening it (`---`, `key: value` lines, `---`): the
    page's settings (title, date, layout), whose quoted values are no one's words."""
    match = _FRONT_MATTER.match(text)
    return text[match.end():] if match is not None else text
