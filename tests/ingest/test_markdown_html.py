"""Block quotations written as raw HTML inside Markdown are read as Markdown blockquotes."""

from __future__ import annotations

from pathlib import Path

from ingest.clean import normalise
from ingest.markdown_html import markdown_blockquotes
from ingest.quotes import find_quotes
from ingest.text_loader import load_text


def test_an_html_block_quotation_becomes_a_blockquote_signed_by_its_cite() -> None:
    markdown = "Intro.\n\n<blockquote>\n<p>We waited <em>months</em>.</p>\n<cite>Carer, East</cite>\n</blockquote>\n"
    assert markdown_blockquotes(markdown) == "Intro.\n\n> We waited months.\n>\n> — Carer, East\n"


def test_html_outside_a_block_quotation_is_left_as_written() -> None:
    markdown = "A table follows.\n\n<table><tr><td>1</td></tr></table>\n"
    assert markdown_blockquotes(markdown) == markdown


def test_a_markdown_report_quoting_in_html_gives_the_quotation_and_its_speaker(tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(
        "# Findings\n\nPeer workers came up often.\n\n<blockquote>\nHaving someone who had been through it "
        "made all the difference to how I coped that winter.\n<footer>Service user, North</footer>\n</blockquote>\n\n"
        "Staff agreed.\n",
        encoding="utf-8",
    )
    clean = normalise(load_text(path))
    [quote] = find_quotes(clean.text, set_off=clean.set_off)
    assert quote.text.startswith("Having someone") and quote.text.endswith("that winter.")
    assert quote.attribution.code == "Service user, North"


def test_a_blockquote_whose_last_paragraph_is_a_label_in_bold_is_signed_by_it() -> None:
    markdown = "Intro.\n\n> We waited months for a call.\n>\n> **Carer, East**\n\nNext.\n"
    assert markdown_blockquotes(markdown) == "Intro.\n\n> We waited months for a call.\n>\n> — Carer, East\n\nNext.\n"


def test_bold_inside_a_blockquote_that_goes_on_is_no_signature() -> None:
    markdown = "> We waited months.\n>\n> **Carer, East**\n> and then the letter came.\n"
    assert markdown_blockquotes(markdown) == markdown


def test_a_long_sentence_in_bold_closing_a_blockquote_is_no_signature() -> None:
    markdown = "> We waited months.\n>\n> **Everyone we spoke to said the same thing about the waiting list.**\n"
    assert markdown_blockquotes(markdown) == markdown
