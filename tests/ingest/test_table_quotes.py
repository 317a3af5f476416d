"""Quotations printed in tables: one per row, with the speaker another cell of the row names."""

from __future__ import annotations

import pytest

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


def test_a_row_whose_first_cell_spans_the_row_above_keeps_its_columns() -> None:
    text = (
        "Theme\tQuotation\tParticipant code\n"
        "Ratings\tOne bad star and suddenly I am a problem courier for a month.\tInt_03\n"
        "I smile at the door like I am in a job interview every single time.\tInt_22\n"
        "Hours\tI log on at eleven because the lunch rush pays the rent.\tInt_17\n"
    )

    assert _found(text) == [
        ("One bad star and suddenly I am a problem courier for a month.", "Int_03"),
        ("I smile at the door like I am in a job interview every single time.", "Int_22"),
        ("I log on at eleven because the lunch rush pays the rent.", "Int_17"),
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


def test_a_translations_column_holds_the_quotations_as_the_reader_reads_them() -> None:
    text = (
        "| Original | English translation | Respondent |\n|---|---|---|\n"
        "| Tuliinua nyumba zetu. | We raised our houses, but nobody raised the road. | FGD-05, young woman |\n"
    )

    assert _found(text) == [("We raised our houses, but nobody raised the road.", "FGD-05, young woman")]


def test_a_column_headed_who_said_it_names_the_speakers() -> None:
    text = "What young people said\tWho said it\n“They remembered my birthday, with my name spelt right.”\tMo\n"

    assert _found(text) == [("They remembered my birthday, with my name spelt right.", "Mo")]


def test_a_column_of_comments_beside_a_column_of_respondent_types_holds_their_words() -> None:
    text = (
        "Respondent type\tComment\n"
        "Parish council\tWe would support the scheme if the buses ran after six in the evening.\n"
        "Member of the public\tThe car park is empty by ten because nobody can afford the charges.\n"
    )

    assert _found(text) == [
        ("We would support the scheme if the buses ran after six in the evening.", "Parish council"),
        ("The car park is empty by ten because nobody can afford the charges.", "Member of the public"),
    ]


@pytest.mark.parametrize("header", ["Stakeholder", "Role", "Contributor", "Employer", "Partner", "Organisation",
                                    "Sector"])
def test_a_column_headed_by_a_noun_for_who_speaks_names_the_speakers(header: str) -> None:
    text = (f"{header}\tComment\n"
            "Practice nurse, north cluster\t‘Half the referrals come back because the form changed again.’\n")

    assert _found(text) == [("Half the referrals come back because the form changed again.",
                             "Practice nurse, north cluster")]


def test_a_column_of_comments_without_a_column_naming_who_holds_no_quotations() -> None:
    text = (
        "Site\tComments\n"
        "North depot\tThe data for March were incomplete because the scanner was replaced.\n"
        "South depot\tFigures include the two weeks when the depot closed for the flood repairs.\n"
    )

    assert _found(text) == []


def test_a_column_of_codes_names_who_said_the_comments_beside_it() -> None:
    text = (
        "Visitor\tProfile\tComment\n"
        "V03\tFamily group, local\tThe children loved the weaving and asked to come back at half term.\n"
        "V17\tAdult, first visit\tI did not expect to be so moved by the room about child workers.\n"
    )

    assert [code for _, code in _found(text)] == ["V03", "V17"]


def test_a_column_of_question_numbers_names_no_one() -> None:
    text = (
        "Question\tComment\n"
        "Q1\tThe opening hours should stay as they are, because working people need the evenings.\n"
        "Q2\tThe mobile service should stop at the school gates on Fridays after three o'clock.\n"
    )

    assert all(code not in ("Q1", "Q2") for _, code in _found(text))


def test_a_source_cell_citing_a_study_by_several_authors_names_its_participant() -> None:
    text = (
        "Theme\tIllustrative quotation\tSource\n"
        "Waiting\t“I sat by the phone all morning and it rang at four in the afternoon.”\tOduya et al. 2021, patient\n"
    )

    assert _found(text) == [("I sat by the phone all morning and it rang at four in the afternoon.",
                             "Oduya et al. 2021, patient")]


def test_rows_below_a_header_repeated_after_a_page_break_keep_its_speaker_column() -> None:
    text = (
        "Theme\tQuotation\tParticipant\n"
        "as far as I could tell, nobody else did either.”\n"
        "Travel\t“The bus only comes twice a day, so I plan the whole week round it.”\tOwen, 1st year\n"
        "Cost\t“We paid for the taxis ourselves because there was no other way.”\tRuth, 2nd year\n"
    )

    assert [code for _, code in _found(text)] == ["Owen, 1st year", "Ruth, 2nd year"]


@pytest.mark.parametrize("header", ["What they told us", "What partners said", "What people wrote", "What members said",
                                    "What the young carers told us"])
def test_a_column_headed_as_what_people_said_beside_a_column_naming_who_holds_their_words(header: str) -> None:
    text = (f"Partner\t{header}\n"
            "Northgate Primary School\tWe refer families because we know they will be treated with dignity.\n")

    assert _found(text) == [("We refer families because we know they will be treated with dignity.",
                             "Northgate Primary School")]


def test_a_column_answering_a_question_put_to_the_members_holds_their_words() -> None:
    text = ("Members told us what had changed.\n\n"
            "Member\tGroup\tWhat has changed since you joined?\n"
            "Amina Said\tTumaini Group, Kolo\tI have my own money now, and I do not wait for anyone to sell a goat.\n"
            "Peter Mushi\tUpendo Group, Pahi\tI joined for the loans and stayed because they taught me trees.\n")
    assert [(q.attribution.code, q.text[:12]) for q in find_quotes(text)] == [
        ("Amina Said", "I have my ow"), ("Peter Mushi", "I joined for")]
