"""Block quotations in Markdown signed in ways of their own, read as a blockquote signed after a dash.

Markdown lets a writer drop into HTML for a block, and documents exported from web pages or
written for static-site generators often do so for quotations: `<blockquote>`, the words, a
`<cite>` or `<footer>` naming the speaker, `</blockquote>`. Each such block becomes a Markdown
blockquote, its signature a line after a dash, so that the quotation finder reads it as it reads
any blockquote; the tags inside it are dropped, a paragraph or line break kept as a break. A
blockquote whose last paragraph is a short label wholly in bold (`> **Parent, Site C**`) is signed
the same way.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r"^[ \t]*<blockquote\b[^>\n]*>(?P<body>.*?)</blockquote>[ \t]*$", re.DOTALL | re.MULTILINE | re.I)
_SIGNATURE = re.compile(r"<(?P<tag>cite|footer)\b[^>]*>(?P<label>.*?)</(?P=tag)>", re.DOTALL | re.IGNORECASE)
_BREAK = re.compile(r"</p>|<br\s*/?>", re.IGNORECASE)
# A MyST directive that sets a quotation (```{epigraph} ... ```, :::{pull-quote} ... :::), maybe with
# options (`:class: ...`) before its body.
_QUOTE_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})[ \t]*\{(?:epigraph|pull-quote|highlights)\}[ \t]*\n(?:[ \t]*:[\w-]+:.*\n)*"
    r"(?P<body>.*?)\n(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
# A blockquote's line signed after a dash typed as two hyphens: `> -- SU-11`.
_TYPED_DASH_SIGNATURE = re.compile(r"^(?P<before>[ \t]*>[ \t]*)--[ \t]+(?=\S)", re.MULTILINE)
# The attribution line a quotation directive ends with: `-- Name`.
_DIRECTIVE_ATTRIBUTION = re.compile(r"^[ \t]*(?:--|—|–)[ \t]*(?P<label>\S.*)$", re.MULTILINE)
_TAG = re.compile(r"<[^<>\n]+>")
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n){2,}")
# A blockquote's last paragraph, or its last line after a sentence's end, a label of a few words wholly
# in bold or italics (`> **Parent, Site C**`, `> *Volunteer, Site 2*`).
_EMPHASIS_SIGNATURE = re.compile(
    r"^(?P<before>(?:[ \t]*>[ \t]*\n)?[ \t]*>[ \t]*)(?P<mark>\*\*|__|\*|_)(?P<label>[^*_\n]{1,60}?)(?P=mark)[ \t]*$"
    r"(?!\n[ \t]*>)",
    re.MULTILINE,
)
# How the line before a signature on a blockquote's last line ends: a sentence, maybe in marks.
_SENTENCE_END = re.compile(r"[.!?…][”’\"']?$")
MAX_SIGNATURE_WORDS = 8


def markdown_blockquotes(text: str) -> str:
    """`text` with every HTML block quotation, and every quotation directive (MyST's `{epigraph}`,
    `{pull-quote}`, `{highlights}`), written as a Markdown blockquote, and every blockquote signed
    in bold or italics, or after a dash typed as two hyphens, signed after a dash."""
    text = _QUOTE_DIRECTIVE.sub(_directive_as_markdown, _BLOCK.sub(_as_markdown, text))
    return _EMPHASIS_SIGNATURE.sub(_dash_signed, _TYPED_DASH_SIGNATURE.sub(r"\g<before>— ", text))


def _directive_as_markdown(directive: re.Match[str]) -> str:
    """A quotation directive's body as a blockquote; its `-- Name` attribution line signed after a dash."""
    body = _DIRECTIVE_ATTRIBUTION.sub(r"— \g<label>", directive.group("body").strip("\n"))
    return "\n".join(f"> {line.strip()}" if line.strip() else ">" for line in body.split("\n"))


def _dash_signed(signature: re.Match[str]) -> str:
    label = signature.group("label").strip()
    text, start = signature.string, signature.start()
    own_paragraph = signature.group("before").count("\n") == 1
    previous = text[text.rfind("\n", 0, max(0, start - 1)) + 1:start].strip()
    after_sentence = previous.startswith(">") and bool(_SENTENCE_END.search(previous))
    if len(label.split()) > MAX_SIGNATURE_WORDS or label[-1] in ".!?…" or not (own_paragraph or after_sentence):
        return signature.group(0)
    return f"{signature.group('before')}— {label}"


def _as_markdown(block: re.Match[str]) -> str:
    body = _SIGNATURE.sub(lambda match: f"\n\n— {_signature_label(match.group('label'))}\n", block.group("body"))
    body = _BLANK_RUN.sub("\n\n", _TAG.sub("", _BREAK.sub("\n", body))).strip("\n")
    return "\n".join(f"> {line.strip()}" if line.strip() else ">" for line in body.split("\n"))


def _signature_label(html: str) -> str:
    """A `<cite>` or `<footer>`'s words without their tags or the dash the page may print before them."""
    return _TAG.sub("", html).strip().lstrip("—–―-").strip()
