"""Quotations printed in tables: one per row, with the speaker another cell of the row names."""

from __future__ import annotations

from ingest.quotes import find_quotes


def _found(text: str) -> list[tuple[str, str | None]]:
    return [(quote.text, quote.attribution.code if quote.attribution else None) for quote in find_quotes(text)]


def test_a_markdown_table_row_gives_its_quoted_cell_the_speaker_beside_it() -> None:
    text = (
        "Table 4. Quotations by theme\n\n"
        "| Theme | Quotation | Source |\n"
        "|---|---|---|\n"
        "| Access | \"The clinic moved across town and nobody thought about the buses.\" | Parent, Group 3 |\n"
        "| Cost | \"We paid for the taxis ourselves because there was no other way.\" | Carer 11 |\n"
    )

    assert _found(text) == [
        ("The clinic moved across town and nobody thought about the buses.", "Parent, Group 3"),
        ("We paid for the taxis ourselves because there was no other way.", "Carer 11"),
    ]


def test_a_column_headed_as_quotations_holds_quotations_without_marks() -> None:
    text = (
        "Participant\tIllustrative quote\n"
        "W4\tWe never saw the same physio twice, so every session started from nothing.\n"
        "W9\tThe exercises were fine but the leaflet was written for someone half my age.\n"
    )

    assert _found(text) == [
        ("We never saw the same physio twice, so every session started from nothing.", "W4"),
        ("The exercises were fine but the leaflet was written for someone half my age.", "W9"),
    ]


def test_a_quoted_cell_without_a_speaker_cell_is_unattributed() -> None:
    text = "Theme\tExample\nTrust\t“Once they stopped ringing back, I stopped believing anything they said.”\n"

    assert _found(text) == [("Once they stopped ringing back, I stopped believing anything they said.", None)]


def test_a_table_of_descriptions_holds_no_quotations() -> None:
    text = (
        "| Theme | Description |\n"
        "|---|---|\n"
        "| Access | Travel, opening hours and the cost of getting to appointments were described by most. |\n"
        "| Trust | Whether staff kept their word shaped how families used the service afterwards. |\n"
    )

    assert find_quotes(text) == []
