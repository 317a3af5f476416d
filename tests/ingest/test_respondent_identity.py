"""A respondent is the person a signature names; what else it says of them is facets, and the label
stays as printed."""

from __future__ import annotations

from ingest.quotes import find_quotes


def _signed(*signatures: str) -> str:
    lines = [
        "I never knew from one week to the next where I would be sleeping that month.",
        "The rent went up twice and nobody could tell us why it had gone up at all.",
        "We asked for the repairs in writing and we still have not heard a single word.",
        "My daughter changed school three times in one year because of the moves.",
    ]
    quoted = "".join(f"“{line}” {signature}\n\n" for line, signature in zip(lines, signatures))
    return f"Findings\n\n{quoted}End.\n"


def _codes(text: str) -> list[str | None]:
    return [quote.attribution.code if quote.attribution else None for quote in find_quotes(text)]


def test_a_code_opening_a_signature_is_the_respondent_and_the_other_parts_describe_them() -> None:
    quote = find_quotes(_signed("(ECT-14, secondary, Site D)", "(ECT-09, primary, Site B)"))[0]
    assert (quote.attribution.code, quote.attribution.raw) == ("ECT-14", "(ECT-14, secondary, Site D)")
    assert quote.attribution.facets["site"] == "D"


def test_codes_of_one_shape_in_one_signature_are_speakers_together() -> None:
    assert _codes(_signed("(QA6, QA7)", "(QA2)", "(QA9)")) == ["QA6, QA7", "QA2", "QA9"]


def test_a_role_before_a_code_in_brackets_names_the_respondent_by_the_code() -> None:
    quote = find_quotes(_signed("\n\n— Consultant geriatrician (S01)", "\n\n— Service manager (S14)"))[0]
    assert quote.attribution.code == "S01"
    assert quote.attribution.facets["role"] == "Consultant geriatrician"


def test_a_name_in_full_before_a_description_or_a_reference_is_the_respondent_whatever_the_signature_adds() -> None:
    text = _signed("(Glenys Powell, home help, Aberdare)", "(Glenys Powell, LG/014, 00:21:15)",
                   "(Dilys Morgan, district nurse)", "(Dilys Morgan, LG/022, 01:02:30)")
    quotes = find_quotes(text)
    assert [quote.attribution.code for quote in quotes] == ["Glenys Powell", "Glenys Powell", "Dilys Morgan",
                                                            "Dilys Morgan"]
    assert quotes[1].attribution.facets["provenance"] == "LG/014, 00:21:15"


def test_a_groups_code_keeps_the_description_that_tells_its_members_apart() -> None:
    assert _codes(_signed("(FG1, female, 70s)", "(FG1, male, 80s)", "(FG2, female, 60s)")) == [
        "FG1, female, 70s", "FG1, male, 80s", "FG2, female, 60s"]


def test_words_signed_with_two_different_descriptions_name_a_place_not_a_person() -> None:
    text = _signed("(Depot South, fitter)", "(Depot South, driver)", "(Depot North, fitter)", "(Depot North, driver)")
    assert _codes(text) == ["Depot South, fitter", "Depot South, driver", "Depot North, fitter", "Depot North, driver"]


def test_a_word_the_document_numbers_elsewhere_is_a_role_not_a_name() -> None:
    text = _signed("(Consultant 1, Site H)", "(Consultant 2, Site H)", "(Consultant, Ward 3)")
    assert _codes(text)[-1] == "Consultant, Ward 3"


def test_a_speaker_named_by_surname_is_the_person_named_in_full_before() -> None:
    text = ("Marcus Bell, 38, a mechanic, bought his house in 2017. “People hear resale restriction and think "
            "you are getting a raw deal,” Bell says. “But I did the math on it.”\n\n"
            "Gerald Pruitt, 67, a retired printer, was less sure. “Nobody sat me down at closing and told me "
            "about the roof,” Pruitt said.\n")
    quotes = find_quotes(text)
    assert [(quote.attribution.code, quote.attribution.raw) for quote in quotes] == [
        ("Marcus Bell", "Bell"), ("Marcus Bell", "Bell"), ("Gerald Pruitt", "Pruitt")]


def test_a_signature_saying_the_words_above_are_all_one_speakers_names_that_speaker() -> None:
    text = ("Findings\n\nCarers were unsure who the form meant:\n\n"
            "\t\"Is 'you' me or is 'you' my husband? I never know which one it means.\"\n"
            "\t\"I'd want a big button at the start that says I'm doing this for someone else.\"\n"
            "\t– all P2, carer for husband, 70s\n\n"
            "Others found the wording clear enough.\n")
    quotes = find_quotes(text)
    assert quotes and {quote.attribution.code for quote in quotes} == {"P2"}


def test_a_name_in_full_set_in_capitals_in_a_signature_is_the_person_the_prose_names() -> None:
    text = ("Rehema Juma, 46, farms five acres near Kolo.\n\n“When the trees came back, the birds came back, and "
            "then my children came back to the farm.”\n\nREHEMA JUMA, FARMER, KONDOA DISTRICT\n\n"
            "“We used to walk three hours for firewood, and now I prune my own trees.”\n\n"
            "AMINA SAID, FARMER, KOLO\n")
    assert [quote.attribution.code for quote in find_quotes(text)][:1] == ["REHEMA JUMA"]


def test_a_code_before_a_description_without_a_comma_is_the_respondent() -> None:
    quote = find_quotes(_signed("\n\n— P07 private renter, Leeds", "\n\n— P12 letting agent, Bristol"))[0]
    assert (quote.attribution.code, quote.attribution.facets["role"]) == ("P07", "private renter")


def test_a_diary_entry_opening_a_signature_says_how_the_words_came_not_who_wrote_them() -> None:
    assert _codes(_signed("(Diary entry, P05, day 9)", "(Diary entry, P02, day 3)", "(P05)"))[:2] == ["P05", "P02"]


def test_a_numbered_role_opening_a_signature_is_the_respondent_and_a_site_keeps_its_parts() -> None:
    assert _codes(_signed("(Staff 14, call handler)", "(Staff 9, band 5 practitioner)", "(Site 3, nurse)",
                          "(Site 4, nurse)")) == ["Staff 14", "Staff 9", "Site 3, nurse", "Site 4, nurse"]


def test_a_name_before_a_role_ending_in_lower_case_or_an_age_is_the_respondent() -> None:
    text = ("Kerry has had her own flat since March.\n\n" + _signed("(Kerry, Housing First tenant)",
                                                               "(Jade, 34, night shelter guest)"))
    assert _codes(text) == ["Kerry", "Jade"]


def test_a_question_word_before_a_surname_is_no_first_name() -> None:
    text = ("What Sam remembers most is the tea. “Someone made me a cup of tea and asked how I took it,” "
            "Sam said.\n")
    assert [quote.attribution.code for quote in find_quotes(text)] == ["Sam"]


def test_a_pseudonym_with_a_date_in_a_signature_the_document_signs_others_with_is_no_citation() -> None:
    text = ("“You can’t do a sentence you can’t see the end of. You can only do today.”\n"
            "— Stephen, HMP Ashcombe, February 2019\n\n" + _signed("(Stephen, 52, IPP, HMP Ashcombe)",
                                                                   "(Dean, 34, IPP, HMP Fenwick)"))
    quote = find_quotes(text)[0]
    assert (quote.attribution.code, quote.attribution.facets["provenance"]) == ("Stephen", "February 2019")


def test_a_role_signed_with_when_and_how_its_words_were_collected_keeps_them_apart() -> None:
    quotes = find_quotes(
        "We heard from tenants about repairs.\n\n"
        "Tenant, Farrow House (drop-in, 14 June): “I’ve got mould coming through behind the wardrobe again.”\n\n"
        "Tenant, Farrow House (door-knocking, 3 July): “I’ve been here thirty-one years and I want to stay.”\n\n"
        "Tenant, Marsh Court (drop-in, 21 June): “The lift was out for nine weeks last winter, on the eleventh.”\n")
    assert [(q.attribution.code, q.attribution.facets.get("provenance")) for q in quotes] == [
        ("Tenant, Farrow House", "drop-in, 14 June"), ("Tenant, Farrow House", "door-knocking, 3 July"),
        ("Tenant, Marsh Court", "drop-in, 21 June")]


def test_a_numbered_group_is_who_spoke_not_how() -> None:
    assert _codes(_signed("(Focus Group 6, adult patients)", "(Focus Group 5, young patients)")) == [
        "Focus Group 6, adult patients", "Focus Group 5, young patients"]


def test_a_code_closing_a_signature_after_who_the_speaker_is_is_the_respondent() -> None:
    assert _codes(_signed("[GP, Practice C, GP03]", "[Triage nurse, TN2]", "[GP, Practice A, GP01]")) == [
        "GP03", "TN2", "GP01"]


NAMED_BY_FIRST_NAME = (
    "Éva Kovács was eleven when her family crossed the border on foot. “We carried one suitcase each and my "
    "father carried his violin,” says Éva Kovács. Later she found work in a mill.\n\n"
    "“People ask if I feel Hungarian or English,” says Éva. “I say, I feel I belong to this town now.”\n"
)


def test_a_speaker_named_by_first_name_is_the_one_person_named_in_full_with_it_before() -> None:
    assert [quote.attribution.code for quote in find_quotes(NAMED_BY_FIRST_NAME)] == ["Éva Kovács"] * 3


def test_a_first_name_two_people_named_in_full_share_stays_as_printed() -> None:
    text = "Éva Varga ran the hostel kitchen for a year.\n\n" + NAMED_BY_FIRST_NAME
    assert [quote.attribution.code for quote in find_quotes(text)][-1] == "Éva"


def test_a_first_name_before_a_word_the_document_writes_in_lower_case_is_no_full_name() -> None:
    text = NAMED_BY_FIRST_NAME.replace("Éva Kovács", "Éva").replace("Later she", "Éva Care, as the kitchen called her, "
                                                                    "took the care rota, and she")
    assert [quote.attribution.code for quote in find_quotes(text)][-1] == "Éva"


def test_a_signature_naming_the_speaker_before_the_number_of_their_recording_is_theirs() -> None:
    text = ("Ann Hollins worked as a weaver.\n\n"
            "“We had had rain all week, and on the Thursday night my husband went down to look at the river.”\n"
            "— Ann Hollins, interviewed by Ruth Eccles, 14 March 2022 (CVF/OH/007)\n\n"
            "Tom Rigg farms above the village.\n\n“The river does not care whose fault it is, and it never has.”\n"
            "— Tom Rigg, interviewed by Ruth Eccles, 2 April 2022 (CVF/OH/003)\n\nNext.\n")
    quotes = find_quotes(text)
    assert [(quote.attribution.code, quote.attribution.facets["provenance"]) for quote in quotes] == [
        ("Ann Hollins", "CVF/OH/007"), ("Tom Rigg", "CVF/OH/003")]


def test_a_code_closing_the_signatures_of_several_names_numbers_a_round_and_the_name_is_the_respondent() -> None:
    quotes = find_quotes(_signed("(Dean, T1)", "(Lee, T1)", "(Dean, T2)"))
    assert [quote.attribution.code for quote in quotes] == ["Dean", "Lee", "Dean"]
    assert quotes[2].attribution.facets["provenance"] == "T2"


def test_a_code_closing_the_signature_of_one_name_only_still_names_the_respondent() -> None:
    assert _codes(_signed("(Dean, T1)", "(Lee, T2)", "(Shaun, T3)")) == ["T1", "T2", "T3"]


def test_a_label_opening_with_the_interview_then_a_person_is_that_persons_whatever_its_date() -> None:
    quotes = find_quotes(_signed(
        "(Interview, Mrs. Alvarado, grandmother, March 2019)", "(Interview, Renée, PTA co-chair, May 2019)",
        "(Interview, Renée, December 2019)",
    ))
    assert [(q.attribution.code, q.attribution.source_kind) for q in quotes] == [
        ("Mrs. Alvarado", "interview"), ("Renée", "interview"), ("Renée", "interview")]


def test_a_role_told_apart_by_a_letter_may_be_described_at_length_and_is_the_respondent() -> None:
    text = (
        "Findings\n\nSeveral described asking repeatedly where they would be living:\n\n"
        "Nobody told me where I was going. I asked my key worker, I asked everyone. They kept saying it was "
        "being sorted.\n\n– Child D, aged 16, released to a children’s home out of area\n\nCase managers were frank.\n"
    )
    (quote,) = find_quotes(text)
    assert quote.attribution.code == "Child D"
    assert "pseudonym" not in quote.attribution.facets
