"""Block quotations written as raw HTML inside Markdown, or signed in bold or italics, are read as Markdown
blockquotes signed after a dash."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import normalise
from ingest.markdown_html import markdown_blockquotes
from ingest.quotes import find_quotes
from ingest.text_loader import load_text


def _chapter_quotes(tmp_path: Path, markdown: str) -> list:
    """The quotations found in a Markdown chapter written to a file and read as ingest reads it."""
    path = tmp_path / "chapter.md"
    path.write_text(markdown, encoding="utf-8")
    clean = normalise(load_text(path))
    return find_quotes(clean.text, set_off=clean.set_off)


def test_an_html_block_quotation_becomes_a_blockquote_signed_by_its_cite() -> None:
    markdown = "Intro.\n\n<blockquote>\n<p>We waited <em>months</em>.</p>\n<cite>Carer, East</cite>\n</blockquote>\n"
    assert markdown_blockquotes(markdown) == "Intro.\n\n> We waited months.\n>\n> — Carer, East\n"


@pytest.mark.parametrize("markdown", [
    "A table follows.\n\n<table><tr><td>1</td></tr></table>\n",  # HTML outside a block quotation
    "> We waited months.\n>\n> **Carer, East**\n> and then the letter came.\n",  # bold in a blockquote that goes on
    "> We waited months.\n>\n> **Everyone we spoke to said the same thing about the waiting list.**\n",  # a sentence
    "> We waited months for\n> *the letter* and then the call.\n",  # italics mid-sentence
    "> We waited months.\n> *Nobody rang.*\n",  # a sentence in italics
])
def test_markdown_without_a_block_quotation_to_sign_is_left_as_written(markdown: str) -> None:
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


def test_blockquotes_signed_below_by_pseudonyms_with_roles_the_document_repeats_are_theirs(tmp_path: Path) -> None:
    path = tmp_path / "chapter.md"
    path.write_text(
        "# Keeping time\n\nDrivers spoke of the timetable as written elsewhere.\n\n"
        "> You learn the road like you learn a person, and the timetable never does.\n\n(Dave, driver)\n\n"
        "Controllers saw it differently.\n\n"
        "> I don't chase them for four minutes, because four minutes is a tractor on that road.\n\n"
        "(Marion, depot controller)\n",
        encoding="utf-8",
    )
    clean = normalise(load_text(path))
    assert [q.attribution.code for q in find_quotes(clean.text, set_off=clean.set_off)] == [
        "Dave", "Marion"]


def test_a_blockquote_whose_last_paragraph_is_a_label_in_bold_is_signed_by_it() -> None:
    markdown = "Intro.\n\n> We waited months for a call.\n>\n> **Carer, East**\n\nNext.\n"
    assert markdown_blockquotes(markdown) == "Intro.\n\n> We waited months for a call.\n>\n> — Carer, East\n\nNext.\n"


def test_a_blockquote_whose_last_line_is_a_label_in_italics_after_a_sentence_is_signed_by_it() -> None:
    markdown = "Intro.\n\n> We waited months\n> for a call.\n> *Volunteer, Site 2*\n\nNext.\n"
    signed = "Intro.\n\n> We waited months\n> for a call.\n> — Volunteer, Site 2\n\nNext.\n"
    assert markdown_blockquotes(markdown) == signed


def test_a_label_in_italics_printing_its_own_dash_is_signed_with_one_dash() -> None:
    markdown = "Intro.\n\n> We waited months for a call.\n>\n> *— Carer, East*\n\nNext.\n"
    assert markdown_blockquotes(markdown) == "Intro.\n\n> We waited months for a call.\n>\n> — Carer, East\n\nNext.\n"


def test_a_footer_printing_its_own_dash_is_signed_with_one_dash() -> None:
    markdown = "<blockquote>\n<p>We waited months.</p>\n<footer>— Carer, East</footer>\n</blockquote>\n"
    assert markdown_blockquotes(markdown) == "> We waited months.\n>\n> — Carer, East\n"


@pytest.mark.parametrize("fence", ["```", ":::"])
def test_a_myst_epigraph_is_a_blockquote_signed_by_its_attribution_line(fence: str) -> None:
    markdown = f"{fence}{{epigraph}}\nThe bus came before the rain.\n\n-- Rider, 70, North\n{fence}\n\nText.\n"
    assert markdown_blockquotes(markdown) == "> The bus came before the rain.\n>\n> — Rider, 70, North\n\nText.\n"


def test_a_directive_that_sets_no_quotation_is_left_as_written() -> None:
    markdown = "```{note}\nRiders were not given codes.\n```\n"
    assert markdown_blockquotes(markdown) == markdown


def test_a_blockquote_signed_after_two_hyphens_is_signed_after_a_dash() -> None:
    signed = markdown_blockquotes("> It sounds the same. It isn't.\n> -- SU-11\n")
    assert signed == "> It sounds the same. It isn't.\n> — SU-11\n"


@pytest.mark.parametrize("markdown", [
    "<figure>\n<blockquote>\n<p>We ran out of reasons to keep it.</p>\n</blockquote>\n"
    "<figcaption>— Social worker, SW06</figcaption>\n</figure>\n",
    '<aside class="pullquote">\n<p>We ran out of reasons to keep it.</p>\n'
    '<p class="attribution">Social worker, SW06</p>\n</aside>\n',
    '{{< pullquote cite="Social worker, SW06" >}}\nWe ran out of reasons to keep it.\n{{< /pullquote >}}\n',
    "> We ran out of reasons to keep it.\n> <cite>Social worker, SW06</cite>\n",
    '!!! quote "Social worker, SW06"\n    We ran out of reasons to keep it.\n',
], ids=["figure and figcaption", "aside pull quote", "hugo shortcode", "cite line in a blockquote",
        "mkdocs admonition"])
def test_html_and_shortcode_quotations_are_blockquotes_signed_after_a_dash(markdown: str, tmp_path: Path) -> None:
    path = tmp_path / "report.md"
    path.write_text(f"# Findings\n\nStaff were blunt.\n\n{markdown}\nCases closed early.\n", encoding="utf-8")
    clean = normalise(load_text(path))
    quotes = find_quotes(clean.text, set_off=clean.set_off)
    assert [(q.text, q.attribution.raw.lstrip("— ")) for q in quotes] == [("We ran out of reasons to keep it.",
                                                                          "Social worker, SW06")]


def test_an_html_inline_quotation_is_in_curly_marks() -> None:
    quoted = markdown_blockquotes("Credit was <q>borrowing from yourself</q> (H7).")
    assert quoted == "Credit was “borrowing from yourself” (H7)."


def test_an_admonition_of_another_kind_is_not_a_quotation() -> None:
    note = '!!! note "Definition"\n    A char is a sandy island formed by river sediment.\n'
    assert markdown_blockquotes(note) == note


def test_a_quote_callout_is_a_blockquote_signed_by_its_title() -> None:
    callout = "> [!quote] P07 (mother of three)\n> You just make it stretch.\n"
    assert markdown_blockquotes(callout) == "> You just make it stretch.\n>\n> — P07 (mother of three)\n"


def test_a_note_callout_is_the_writers_note_and_no_blockquote() -> None:
    callout = "> [!NOTE]\n> This is a working document. Findings may change.\n"
    assert markdown_blockquotes(callout) == "This is a working document. Findings may change.\n"


def test_a_blockquote_ending_in_a_transcribers_note_is_the_signed_quotation(tmp_path: Path) -> None:
    quotes = _chapter_quotes(
        tmp_path,
        "# On the round\n\nTraining, such as it was, lasted an afternoon:\n\n"
        "> They gave you a tabard and a little book with your calls in it. That was my training. [laughs]\n>\n"
        "> — Glenys Powell, home help, Aberdare\n",
    )
    assert [(q.text[-30:], q.attribution.raw) for q in quotes] == [
        ("That was my training. [laughs]", "— Glenys Powell, home help, Aberdare")]


def test_a_blockquote_closed_by_an_interview_label_in_brackets_is_the_named_persons(tmp_path: Path) -> None:
    quotes = _chapter_quotes(
        tmp_path,
        "# The campaign\n\nMarisol described the early coalition in terms of what people brought:\n\n"
        "> The new parents knew how to make a spreadsheet and call a reporter. We knew every family.\n>\n"
        "> (Interview, Marisol, parent organizer, January 2019)\n\n"
        "Tom was candid: “The school was a big part of the calculation for us.” (Tom, interview, March 2019).\n",
    )
    assert [(q.attribution.code, q.attribution.facets["provenance"]) for q in quotes] == [
        ("Marisol", "Interview, January 2019"), ("Tom", "interview, March 2019")]


def test_a_signature_describing_the_speaker_with_years_of_service_is_no_publications(tmp_path: Path) -> None:
    quotes = _chapter_quotes(
        tmp_path,
        "# Visiting days\n\nPauline Mercer joined the staff in 1974. Her first memory is of the noise:\n\n"
        "> It was like a railway station with the roof off, babies screaming and the tea urn going.\n>\n"
        "> — Pauline Mercer, officer 1974–1998 (SR/OH/003, recorded March 2016)\n\n"
        "Jean made the journey by two buses and a train:\n\n"
        "> You'd set off at six in the morning with sandwiches and you'd get there for two.\n>\n"
        "> — Jean Alcock, mother of a prisoner (SR/OH/007)\n",
    )
    assert [(q.attribution.code, q.attribution.source_kind) for q in quotes] == [
        ("Pauline Mercer", "interview"), ("Jean Alcock", "interview")]
