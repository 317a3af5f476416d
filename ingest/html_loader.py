"""Load web pages (published evaluations, Jupyter Books) with BeautifulSoup and lxml.

Only the page's content is read: navigation, banners, sidebars, footers, scripts and forms are
dropped, and where the page marks its content (`<main>`, a single `<article>`) only that is read. An
`<aside>` inside the article that holds prose (a case study, a box) is the article's own, and kept.
Headings `h1`-`h6`, paragraphs, block quotations and list items each become a paragraph of their
own, as a heading or quotation is in every other format; a table becomes tab-separated rows, and a
definition list's term runs in to what it defines (`Moderator: What ...`). The paragraphs of a
`<blockquote>` are marked as set off (the quotation finder reads them as a Markdown blockquote), an
inline `<q>` gets the marks a browser draws around it, and a `<cite>` or a `<footer>` inside a block
quotation, or the `<figcaption>` of a figure holding one, signs it on a line of its own. The
paragraphs of one block quotation are marked as one, so that quotations printed one after another
stay apart. An element whose class says it sets a quotation (`<aside class="pull-quote">`, `<div
class="testimonial">`, `<div class="disp-quote">`) is a block quotation too, kept even where it is
an aside, and a paragraph in it whose class names its source (`<p class="testimonial-author">`)
signs it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.errors import EmptyDocument
from ingest.layout_marks import BLOCKQUOTE, BLOCKQUOTE_GOES_ON
from ingest.markdown_html import QUOTATION_CLASS_WORDS, SIGNATURE_CLASS_WORDS
from ingest.records import RawDocument, RawPage
from ingest.text.whitespace import INLINE_SPACE_RUN, collapse_spaces, squeeze_line
from ingest.text_loader import decode_text

# Elements that are never the document's words.
DROPPED_TAGS = (
    "nav", "header", "footer", "aside", "script", "style", "noscript", "form", "button", "template", "svg",
    "iframe", "select", "head", "title", "meta", "link", "input", "label", "canvas", "object", "embed",
)
DROPPED_ROLES = ("navigation", "banner", "contentinfo", "search", "complementary", "toolbar", "menu", "dialog")
# Permalink anchors beside headings ("¶", "#") and skip links.
DROPPED_CLASSES = ("headerlink", "skip-link", "toc", "breadcrumb", "breadcrumbs", "prev-next-area", "sr-only")
# A class naming an element that sets a quotation, and one naming the paragraph that signs it.
_QUOTATION_CLASS = re.compile(QUOTATION_CLASS_WORDS, re.IGNORECASE)
_SIGNATURE_CLASS = re.compile(SIGNATURE_CLASS_WORDS, re.IGNORECASE)
# Elements that end one paragraph and start another.
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "body", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li",
    "ul", "ol", "dl", "dt", "dd", "figure", "figcaption", "caption", "address", "details", "summary", "hr",
    "center",
})
# Words a paragraph holds at least to be prose, not a caption or a link.
MIN_PROSE_WORDS = 12
# Blocks that may set a quotation by their class.
QUOTATION_BLOCK_TAGS = frozenset({"aside", "div", "figure", "section", "p"})


def load_html(path: Path) -> RawDocument:
    """Read the content of an HTML page into one page of paragraphs separated by blank lines."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(path.read_bytes(), path.name), "lxml")
    body = soup.body
    if body is None or not body.get_text(strip=True):
        raise EmptyDocument(f"{path.name} has no body text")
    _drop_boilerplate(body)
    content = _content_root(body)
    paragraphs = _Paragraphs()
    paragraphs.walk(content)
    text = "\n\n".join(paragraphs.done)
    if not text.strip():
        raise EmptyDocument(f"{path.name} has no text once navigation and page furniture are dropped")
    set_off = tuple(paragraphs.quoted)
    return RawDocument(pages=[RawPage(number=1, text=text, set_off=set_off)], source_format="html")


def _drop_boilerplate(body) -> None:
    # A footer inside a block quotation is its attribution (`<footer>— Patient 4</footer>`), not the page's.
    doomed = [tag for tag in body.find_all(DROPPED_TAGS)
              if not (_signs_quotation(tag) or _sets_quotation(tag) or _box_of_the_article(tag))]
    doomed += body.find_all(attrs={"role": DROPPED_ROLES})
    doomed += body.find_all(class_=DROPPED_CLASSES)
    doomed += body.find_all(attrs={"hidden": True})
    doomed += body.find_all(attrs={"aria-hidden": "true"})
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def _signs_quotation(tag) -> bool:
    return tag.name == "footer" and tag.find_parent("blockquote") is not None


def _box_of_the_article(tag) -> bool:
    """An aside inside the article that holds prose of its own (a case study, a box beside the text),
    not a sidebar of links: part of what the article says."""
    if tag.name != "aside" or tag.find_parent(("article", "main")) is None:
        return False
    return any(_is_prose(paragraph) for paragraph in tag.find_all(("p", "blockquote", "li")))


def _is_prose(paragraph) -> bool:
    words = len(paragraph.get_text(" ").split())
    linked = sum(len(link.get_text(" ").split()) for link in paragraph.find_all("a"))
    return words >= MIN_PROSE_WORDS and linked * 2 < words


def _sets_quotation(tag) -> bool:
    """A block whose class says it holds a quotation: a pull quote, a testimonial, a display quote."""
    return tag.name in QUOTATION_BLOCK_TAGS and bool(_QUOTATION_CLASS.search(_class_names(tag)))


def _class_names(tag) -> str:
    return " ".join(tag.get("class") or ())


def _content_root(body):
    """The element the page marks as its content, else the whole body."""
    mains = body.find_all("main")
    if len(mains) == 1:
        return mains[0]
    articles = body.find_all("article")
    return articles[0] if len(articles) == 1 else body


class _Paragraphs:
    """Walk the element tree, closing a paragraph at every block boundary."""

    def __init__(self) -> None:
        self.done: list[str] = []
        # Indexes in `done` of the paragraphs inside a block quotation, each with its mark: the first
        # paragraph of a quotation opens one, the others go on with it.
        self.quoted: list[tuple[int, str]] = []
        self._buffer: list[str] = []
        self._quote_depth = 0
        self._quote_opened = False
        # A `<dt>` was read as a label running in to the `<dd>` after it.
        self._run_in = False

    def walk(self, element) -> None:
        from bs4 import NavigableString, Tag

        for child in element.children:
            if isinstance(child, Tag):
                self._element(child)
            elif type(child) is NavigableString:
                self._buffer.append(str(child).replace("\n", " "))

    def _element(self, tag) -> None:
        name = tag.name
        if name == "br":
            self._buffer.append("\n")
        elif name == "table":
            self._flush()
            rows = _table_text(tag)
            if rows:
                self.done.append(rows)
        elif name == "pre":
            self._flush()
            self._add(tag.get_text())
        elif name == "li":
            self._flush()
            self._buffer.append(f"{self._item_marker(tag)} ")
            self.walk(tag)
            self._flush()
        elif self._quote_depth and name in ("p", "div") and _SIGNATURE_CLASS.search(_class_names(tag)):
            self._flush()
            self._sign(collapse_spaces(tag.get_text(" ")).strip())
        elif name == "blockquote" or _sets_quotation(tag):
            self._flush()
            self._quote_depth += 1
            self._quote_opened = False
            self.walk(tag)
            self._flush()
            self._quote_depth -= 1
            self._quote_opened = False
        elif name == "figcaption" and (self._quote_depth or tag.parent.find("blockquote") is not None):
            self._flush()
            self._sign(collapse_spaces(tag.get_text(" ")).strip())
        elif name == "dt" and _defined_next(tag):
            self._flush()
            self.walk(tag)
            self._buffer.append(" " if "".join(self._buffer).rstrip().endswith(":") else ": ")
            self._run_in = True
        elif name == "dd" and self._run_in:
            self._run_in = False
            self.walk(tag)
            self._flush()
        elif name in BLOCK_TAGS:
            self._flush()
            self.walk(tag)
            self._flush()
        elif name == "q":
            self._buffer.append("“")
            self.walk(tag)
            self._buffer.append("”")
        elif name == "cite" and self._quote_depth:
            self._buffer.append("\n— ")
            self.walk(tag)
        elif name == "footer" and self._quote_depth:
            self._flush()
            self._sign(collapse_spaces(tag.get_text(" ")).strip())
        else:
            self.walk(tag)

    def _sign(self, signature: str) -> None:
        """A block quotation's footer, on the line below its last paragraph as a signature is printed."""
        if not signature:
            return
        signature = signature if signature[0] in "—–-" else f"— {signature}"
        if self.quoted and self.quoted[-1][0] == len(self.done) - 1:
            self.done[-1] += f"\n{signature}"
        else:
            self._add(signature)

    @staticmethod
    def _item_marker(item) -> str:
        parent = item.parent
        if parent is not None and parent.name == "ol":
            return f"{sum(1 for _ in item.find_previous_siblings('li')) + 1}."
        return "-"

    def _flush(self) -> None:
        if self._buffer:
            self._add("".join(self._buffer))
            self._buffer = []

    def _add(self, text: str) -> None:
        lines = [squeeze_line(line, INLINE_SPACE_RUN) for line in text.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph and paragraph not in ("-",) and not re.fullmatch(r"\d+\.", paragraph):
            if self._quote_depth:
                self.quoted.append((len(self.done), BLOCKQUOTE_GOES_ON if self._quote_opened else BLOCKQUOTE))
                self._quote_opened = True
            self.done.append(paragraph)


def _defined_next(term) -> bool:
    """Whether a `<dt>` is followed by its `<dd>`: a term and what it says, read on one line as a label
    and its words (`Moderator: What did you do ...`), as a transcript set as a definition list is."""
    following = term.find_next_sibling(True)
    return following is not None and following.name == "dd"


def _table_text(table) -> str:
    rows = []
    for row in table.find_all("tr"):
        cells = [collapse_spaces(cell.get_text(" ")) for cell in row.find_all(("td", "th"))]
        if any(cells):
            rows.append("\t".join(cells))
    return "\n".join(rows)
