"""Block quotations in Markdown signed in ways of their own, read as a blockquote signed after a dash.

Markdown lets a writer drop into HTML for a block, and documents exported from web pages or
written for static-site generators often do so for quotations: `<blockquote>`, the words, a
`<cite>` or `<footer>` naming the speaker, `</blockquote>`. Each such block becomes a Markdown
blockquote, its signature a line after a dash, so that the quotation finder reads it as it reads
any blockquote; the tags inside it are dropped, a paragraph or line break kept as a break. A
blockquote whose last paragraph is a short label wholly in bold (`> **Parent, Site C**`) is signed
the same way, and so are a `<figure>` with its `<figcaption>`, an `<aside>` pull quote, a Hugo
quotation shortcode, a MyST quotation directive, an MkDocs quotation admonition and an Obsidian
`[!quote]` callout (their titles the speaker); a callout of another kind (`> [!NOTE]`) is the
writer's note and no blockquote; an inline `<q>` becomes words in curly marks.
"""

from __future__ import annotations

import re

from ingest.layout_marks import strip_blockquote

_BLOCK = re.compile(r"^[ \t]*<blockquote\b[^>\n]*>(?P<body>.*?)</blockquote>[ \t]*$", re.DOTALL | re.MULTILINE | re.I)
_SIGNATURE = re.compile(r"<(?P<tag>cite|footer)\b[^>]*>(?P<label>.*?)</(?P=tag)>", re.DOTALL | re.IGNORECASE)
# Other HTML that sets a quotation apart, rewritten as a `<blockquote>` signed by a `<cite>` first: a
# `<figure>` holding a blockquote and its `<figcaption>`; an `<aside>` whose class names a quotation,
# its attribution a paragraph whose class says so.
_FIGURE = re.compile(
    r"<figure\b[^>]*>\s*(?P<quote><blockquote\b.*?)</blockquote>\s*<figcaption\b[^>]*>(?P<label>.*?)</figcaption>"
    r"\s*</figure>",
    re.DOTALL | re.IGNORECASE,
)
# Words in a class that sets a quotation (`pull-quote`, `testimonial`), and in one that signs it
# (`attribution`, `testimonial-author`): one vocabulary for Markdown's HTML and for web pages.
QUOTATION_CLASS_WORDS = r"quot|testimonial"
SIGNATURE_CLASS_WORDS = r"attribution|cite|citation|source|byline|author"
_ASIDE = re.compile(
    rf"<aside\b[^>]*class=\"[^\"]*(?:{QUOTATION_CLASS_WORDS})[^\"]*\"[^>]*>(?P<body>.*?)</aside>",
    re.DOTALL | re.IGNORECASE,
)
_ATTRIBUTION_PARAGRAPH = re.compile(
    rf"<p\b[^>]*class=\"[^\"]*(?:{SIGNATURE_CLASS_WORDS})[^\"]*\"[^>]*>(?P<label>.*?)</p>",
    re.DOTALL | re.IGNORECASE,
)
# A Hugo shortcode that sets a quotation: `{{< pullquote cite="..." >}} ... {{< /pullquote >}}`.
_SHORTCODE = re.compile(
    r"\{\{[<%][ \t]*(?P<name>pullquote|blockquote|quote)\b(?P<params>[^>%]*)[>%]\}\}(?P<body>.*?)"
    r"\{\{[<%][ \t]*/(?P=name)[ \t]*[>%]\}\}",
    re.DOTALL | re.IGNORECASE,
)
_SHORTCODE_SPEAKER = re.compile(r"\b(?:cite|author|attribution|by|source)=\"(?P<label>[^\"]+)\"", re.IGNORECASE)
# A blockquote's line that is only a `<cite>`: `> <cite>P7, parent</cite>`.
_CITE_LINE = re.compile(r"^(?P<before>[ \t]*>[ \t]*)<cite\b[^>]*>(?P<label>[^<>\n]+)</cite>[ \t]*$",
                        re.MULTILINE | re.IGNORECASE)
# An inline quotation in HTML: `<q>...</q>`, which a browser prints in quotation marks.
_INLINE_QUOTATION = re.compile(r"<q\b[^>]*>(?P<words>[^<>]*)</q>", re.IGNORECASE)
_BREAK = re.compile(r"</p>|<br\s*/?>", re.IGNORECASE)
# A MyST directive that sets a quotation (```{epigraph} ... ```, :::{pull-quote} ... :::), maybe with
# options (`:class: ...`) before its body.
_QUOTE_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})[ \t]*\{(?:epigraph|pull-quote|highlights)\}[ \t]*\n(?:[ \t]*:[\w-]+:.*\n)*"
    r"(?P<body>.*?)\n(?P=fence)[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
# The kinds of admonition and callout that set a quotation.
_QUOTE_KINDS = ("quote", "cite", "quotation", "testimonial")
# A Python-Markdown (MkDocs) admonition that sets a quotation: `!!! quote "Woman farmer (FGD-03)"` (or
# a collapsible `???`), its body the indented lines below, its title the speaker.
_QUOTE_ADMONITION = re.compile(
    rf"^[!?]{{3}}\+?[ \t]+(?:{'|'.join(_QUOTE_KINDS)})\b[^\n\"]*(?:\"(?P<title>[^\"\n]*)\")?[ \t]*\n"
    r"(?P<body>(?:(?:[ ]{4}|\t)[^\n]*\n|[ \t]*\n(?=(?:[ ]{4}|\t)\S))+)",
    re.MULTILINE | re.IGNORECASE,
)
# An Obsidian or GitHub callout: a blockquote opening `> [!quote] P07 (mother of three)` or `> [!NOTE]`.
_CALLOUT = re.compile(
    r"^[ \t]*>[ \t]*\[!(?P<kind>[A-Za-z]+)\][+-]?[ \t]*(?P<title>[^\n]*)\n?(?P<body>(?:[ \t]*>[^\n]*(?:\n|$))*)",
    re.MULTILINE,
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
    text = _FIGURE.sub(lambda figure: f"{figure.group('quote')}<cite>{figure.group('label')}</cite></blockquote>", text)
    text = _ASIDE.sub(lambda aside: f"<blockquote>{_ATTRIBUTION_PARAGRAPH.sub(_as_cite, aside.group('body'))}"
                                    "</blockquote>", text)
    text = _QUOTE_ADMONITION.sub(_admonition_as_markdown, _SHORTCODE.sub(_shortcode_as_markdown, text))
    text = _CALLOUT.sub(_callout_as_markdown, text)
    text = _QUOTE_DIRECTIVE.sub(_directive_as_markdown, _BLOCK.sub(_as_markdown, text))
    text = _INLINE_QUOTATION.sub(r"“\g<words>”", _CITE_LINE.sub(r"\g<before>— \g<label>", text))
    return _EMPHASIS_SIGNATURE.sub(_dash_signed, _TYPED_DASH_SIGNATURE.sub(r"\g<before>— ", text))


def _as_cite(paragraph: re.Match[str]) -> str:
    return f"<cite>{paragraph.group('label')}</cite>"


def _shortcode_as_markdown(shortcode: re.Match[str]) -> str:
    """A quotation shortcode's body as a blockquote, signed after a dash by the speaker its parameters name."""
    speaker = _SHORTCODE_SPEAKER.search(shortcode.group("params"))
    body = shortcode.group("body").strip("\n")
    if speaker is not None:
        body += f"\n\n— {speaker.group('label').strip()}"
    return _as_blockquote(body)


def _admonition_as_markdown(admonition: re.Match[str]) -> str:
    """A quotation admonition's indented body as a blockquote, signed after a dash by its title."""
    body = "\n".join(line[4:] if line.startswith("    ") else line.lstrip("\t")
                     for line in admonition.group("body").rstrip("\n").split("\n"))
    title = (admonition.group("title") or "").strip()
    if title:
        body += f"\n\n— {title}"
    return _as_blockquote(body) + "\n"


def _callout_as_markdown(callout: re.Match[str]) -> str:
    """A quotation callout as a blockquote signed by its title; any other callout (`[!NOTE]`,
    `[!TIP]`, a memo) as the plain paragraphs of the writer's own note, which quotes no one."""
    lines = [strip_blockquote(line) for line in callout.group("body").rstrip("\n").split("\n") if line.strip()]
    title = callout.group("title").strip()
    if callout.group("kind").casefold() in _QUOTE_KINDS:
        signed = "\n".join(lines) + (f"\n\n— {title}" if title else "")
        return _as_blockquote(signed) + "\n"
    return "\n".join([title, *lines] if title else lines) + "\n"


def _directive_as_markdown(directive: re.Match[str]) -> str:
    """A quotation directive's body as a blockquote; its `-- Name` attribution line signed after a dash."""
    body = _DIRECTIVE_ATTRIBUTION.sub(r"— \g<label>", directive.group("body").strip("\n"))
    return _as_blockquote(body)


def _dash_signed(signature: re.Match[str]) -> str:
    label = signature.group("label").strip().lstrip("—–-").strip()  # its own dash, if the emphasis holds one
    text, start = signature.string, signature.start()
    own_paragraph = signature.group("before").count("\n") == 1
    previous = text[text.rfind("\n", 0, max(0, start - 1)) + 1:start].strip()
    after_sentence = previous.startswith(">") and bool(_SENTENCE_END.search(previous))
    if len(label.split()) > MAX_SIGNATURE_WORDS or label[-1] in ".!?…" or not (own_paragraph or after_sentence):
        return signature.group(0)
    return f"{signature.group('before')}— {label}"


def _as_markdown(block: re.Match[str]) -> str:
    body = _SIGNATURE.sub(lambda match: f"\n\n— {_signed_words(match.group('label'))}\n", block.group("body"))
    body = _BLANK_RUN.sub("\n\n", _TAG.sub("", _BREAK.sub("\n", body))).strip("\n")
    return _as_blockquote(body)


def _signed_words(html: str) -> str:
    """A `<cite>` or `<footer>`'s words without their tags or the dash the page may print before them."""
    return _TAG.sub("", html).strip().lstrip("—–―-").strip()


def _as_blockquote(body: str) -> str:
    """Lines of text as a Markdown blockquote: each line behind `> `, a blank line as a bare `>`."""
    return "\n".join(f"> {line.strip()}" if line.strip() else ">" for line in body.split("\n"))
