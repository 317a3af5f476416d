"""A document's own respondent codes, learned from where and how often its labels stand."""

from __future__ import annotations

import pytest

from ingest.attribution_vocabulary import (
    ANY_NAMED_NUMBER,
    DEMOGRAPHIC,
    EMPTY,
    PSEUDONYM_ROLE,
    ROLE_IN_CAPITALS,
    ROLE_WITH_PARTS,
    attribution_position_labels,
    describes_speaker,
    induce_vocabulary,
    label_shapes,
    lead_in_labels,
    names_collection,
    respondent_attribution,
    shape_facets,
    split_provenance,
)
from ingest.quotes import find_quotes
from ingest.records import Attribution

REPORT = (
    "Staff spoke about rotas.\n\n"
    "“We never know who is on until the morning.” (Depot K, Driver 4)\n\n"
    "Others agreed.\n\n"
    "“The new system sends the list the night before.” (Depot M, Driver 11)\n\n"
    "A single mention of a figure (Table 2) stands apart."
)


def test_a_shape_recurring_in_attribution_positions_becomes_the_vocabulary() -> None:
    vocabulary = induce_vocabulary(REPORT)
    assert vocabulary.knows("Depot Q, Driver 7")
    assert not vocabulary.knows("Table 2")


def test_a_shape_seen_once_is_not_a_code() -> None:
    assert not induce_vocabulary("“We waited a long time for it.” (Depot K, Driver 4)").shapes


def test_labels_are_grouped_by_word_and_mark_and_by_letter_digit_pattern() -> None:
    assert label_shapes("Hospital C, Consultant 2") == {"hospital A", "consultant 9", ANY_NAMED_NUMBER}
    assert label_shapes("QB22") == label_shapes("XY7") == {"A9"}
    assert label_shapes("Smith 2019") == set()


def test_a_code_mixing_capitals_and_lower_case_letters_has_the_letter_digit_pattern() -> None:
    assert label_shapes("PoP11") == label_shapes("Pt07") == {"A9"}
    assert label_shapes("Covid19") == set()


def test_an_unrecognised_label_of_the_document_shape_is_read_as_a_respondent() -> None:
    raw = Attribution(raw="(Depot Q, Driver 7)", code="Depot Q, Driver 7", scheme="raw", source_kind="other")
    read = induce_vocabulary(REPORT).read(raw)
    assert (read.code, read.source_kind) == ("Depot Q, Driver 7", "interview")
    assert read.facets["number"] == 7


@pytest.mark.parametrize("label", ["QX3; see also QX7", "QX3, cf. QX5"])
def test_a_pointer_to_another_respondent_is_not_part_of_the_code(label: str) -> None:
    assert split_provenance(label) == ("QX3", None)


def test_provenance_is_kept_apart_from_the_code() -> None:
    assert split_provenance("Participant 7, line 120") == ("Participant 7", "line 120")
    attribution = respondent_attribution("(Tenant 3, p. 14)", "Tenant 3, p. 14")
    assert attribution.code == "Tenant 3" and attribution.facets["provenance"] == "p. 14"


@pytest.mark.parametrize("raw", ["(interview, November 2021)", "(focus group, 2022)",
                                 "(telephone interview, 3 May 2023)"])
def test_a_bracket_naming_only_how_and_when_words_were_collected_is_an_interviews_naming_no_one(raw: str) -> None:
    cited = Attribution(raw=raw, code=None, scheme="author_year_citation", source_kind="document")
    read = EMPTY.read(cited)
    assert (read.code, read.source_kind) == (None, "interview")


def test_codes_joining_a_country_a_method_and_a_number_are_learned_as_the_documents_shape() -> None:
    text = ("“The officer comes once and we never see him again.” (KE-KII-04, extension officer)\n\n"
            "“We dig the pits because our neighbour's maize stays green.” (UG-FGD-02, women farmers)\n")
    assert "A-A-9" in induce_vocabulary(text).shapes


def test_a_hearing_transcripts_day_and_page_are_provenance_not_the_code() -> None:
    assert split_provenance("N4, Day 14/31") == ("N4", "Day 14/31")


def test_sex_and_age_listed_in_a_code_are_facets_not_its_number_or_role() -> None:
    # A respondent word (`Interviewee`, `Participant`) names no role.
    assert shape_facets("Interviewee 3, female, 45") == {"number": 3, "sex": "female", "age": 45}
    assert shape_facets("Carer 12, aged 71, male") == {"number": 12, "sex": "male", "age": 71, "role": "Carer"}
    assert shape_facets("QX06, 34, female") == {"sex": "female", "age": 34}
    assert shape_facets("Tenant 4, 34 years old") == {"number": 4, "age": 34, "role": "Tenant"}


@pytest.mark.parametrize("label", ["female, 34, rural", "Grandmother, woman, 71", "Carer of a son aged 6, male, 40s"])
def test_a_label_giving_sex_and_age_in_words_describes_a_speaker(label: str) -> None:
    assert describes_speaker(label)


@pytest.mark.parametrize("label", ["M, 34", "female participants", "Table 4, 34", "women aged 30 were asked"])
def test_a_label_without_both_sex_and_age_in_words_describes_nobody(label: str) -> None:
    assert not describes_speaker(label)


def test_a_quotation_signed_once_by_sex_and_age_names_that_speaker() -> None:
    (quote,) = find_quotes("She was frank:\n\n“You have to fall apart before anyone listens to you.” "
                           "(female, 41, urban)\n")
    assert quote.attribution.source_kind == "interview"
    assert quote.attribution.code == "female, 41, urban"
    assert quote.attribution.facets["sex"] == "female" and quote.attribution.facets["age"] == 41


def test_an_age_inside_a_part_belongs_to_the_role_it_describes() -> None:
    assert shape_facets("Mother of a child aged 9, female, 39") == {
        "role": "Mother of a child aged 9", "sex": "female", "age": 39}
    assert shape_facets("Focus group 2, parents of children aged 5-11") == {
        "focus_group": 2, "role": "parents of children aged 5-11"}


def test_two_digits_standing_alone_after_a_role_are_an_age() -> None:
    assert shape_facets("Volunteer, 34") == {"role": "Volunteer", "age": 34}
    assert shape_facets("Team leader, 52, North") == {"role": "Team leader", "age": 52}


def test_a_number_standing_alone_after_no_role_stays_a_number() -> None:
    assert shape_facets("Interviewee, 34") == {"number": 34}
    assert shape_facets("Carer, 7") == {"role": "Carer", "number": 7}


@pytest.mark.parametrize("label", ["Interview, head teacher", "Focus group: parents", "Focus group 2, parents",
                                   "Interview with a ward manager",
                                   "Interviewee, female, 45"])
def test_a_label_naming_the_interview_names_a_respondent(label: str) -> None:
    assert names_collection(label)


@pytest.mark.parametrize("label", ["Interview guide", "Interview schedule, section 2", "Interviews 2019, minister",
                                   "interview"])
def test_a_label_naming_interview_material_names_nobody(label: str) -> None:
    assert not names_collection(label)


def test_a_source_line_naming_the_interview_signs_the_quotation_and_its_year_is_provenance() -> None:
    (quote,) = find_quotes("Box 3. Voices\n\n“They rang back within the hour, which nobody had ever done.”\n"
                           "Source: interview with a tenant, 2023\n")
    assert quote.attribution.source_kind == "interview"
    assert quote.attribution.code == "interview with a tenant"
    assert quote.attribution.facets == {"role": "tenant", "provenance": "2023"}


def test_a_source_line_citing_a_publication_stays_a_citation() -> None:
    (quote,) = find_quotes("“Homes should be warm, dry and safe for every tenant.”\nSource: Housing Review, 2023\n")
    assert quote.attribution.source_kind == "document"


def test_a_quotation_from_an_interview_named_once_is_an_interview_quotation() -> None:
    (quote,) = find_quotes("“We plan the whole autumn around a visit that may never come.” (Interview, head teacher)")
    assert quote.attribution.source_kind == "interview"
    assert quote.attribution.code == "Interview, head teacher"


def test_numbered_labels_share_a_shape_even_when_no_word_recurs() -> None:
    vocabulary = induce_vocabulary(
        "“The rota changes every week.” (Porter 3)\n\n“Nobody reads the board.” (Cleaner 5)\n\n"
        "See the summary (Table 4)."
    )
    assert vocabulary.knows("Nurse 12")
    assert not vocabulary.knows("Figure 12")


def test_a_numbered_lower_case_word_is_not_a_name() -> None:
    assert ANY_NAMED_NUMBER not in label_shapes("about 40")


def test_a_letter_and_digit_token_is_a_code_shape_after_a_role() -> None:
    assert "A9" in label_shapes("Nurse, HCP07")


def test_labels_signed_with_a_dash_after_the_closing_mark_teach_the_vocabulary() -> None:
    vocabulary = induce_vocabulary(
        "“We advertised three times and got one applicant.” – HCP03\n\n"
        "“Agency staff do not know the patients.” —HCP11\n"
    )
    assert vocabulary.knows("HCP20")


def test_one_numbered_word_repeated_does_not_make_every_numbered_word_a_code() -> None:
    vocabulary = induce_vocabulary("“The plan was agreed.”\nWard 19\n\n“The plan was signed.”\nWard 19\n")
    assert vocabulary.knows("Ward 4")
    assert not vocabulary.knows("Introduction 11")


@pytest.mark.parametrize("label", ["e.g., QB17", "see Site 2", "for example Ward 4"])
def test_a_pointer_to_an_example_is_not_a_code(label: str) -> None:
    assert label_shapes(label) == set()


@pytest.mark.parametrize("label", ["F, 45, carer", "M, 62", "Woman, 50s, rural", "Male, 62 years"])
def test_a_speaker_described_by_sex_and_age_has_the_demographic_shape(label: str) -> None:
    assert DEMOGRAPHIC in label_shapes(label)


def test_sex_and_age_labels_recurring_are_respondents_with_those_facets() -> None:
    vocabulary = induce_vocabulary("“It took a year.” (M, 62)\n\n“Nobody listened to me.” (F, 38)\n")
    raw = Attribution(raw="(F, 45, carer)", code="F, 45, carer", scheme="raw", source_kind="other")
    read = vocabulary.read(raw)
    assert read.source_kind == "interview"
    assert read.facets == {"sex": "female", "age": 45, "role": "carer"}


def test_a_letter_glued_to_a_number_is_a_code_not_a_sex_and_age() -> None:
    assert DEMOGRAPHIC not in label_shapes("F3")


@pytest.mark.parametrize("label", ["Dec 19", "March 2", "Sept 21"])
def test_a_month_and_a_number_is_a_date_not_a_code(label: str) -> None:
    assert label_shapes(label) == set()


@pytest.mark.parametrize(("label", "shape"), [("KII-07", "A-9"), ("SW_12", "A_9")])
def test_a_code_joining_letters_and_digits_with_a_separator_has_a_code_shape(label: str, shape: str) -> None:
    assert label_shapes(label) == {shape}


def test_codes_with_a_separator_recurring_are_the_vocabulary() -> None:
    vocabulary = induce_vocabulary("“The money took two years.” (KII-07)\n\n“Nothing moved.” (KII-12)\n")
    assert vocabulary.knows("KII-03")
    assert not vocabulary.knows("KII07")


def test_a_number_marked_with_a_hash_is_a_numbered_name() -> None:
    assert ANY_NAMED_NUMBER in label_shapes("Respondent #14")


def test_a_pseudonym_and_age_before_a_speech_verb_is_a_lead_in_label() -> None:
    vocabulary = induce_vocabulary(
        "As Sam (15) explained: “It is the only place nobody tells you what to do.” Priya (16) agreed: "
        "“You can just turn up.”"
    )
    assert vocabulary.knows("Jordan, 14")


@pytest.mark.parametrize(
    ("code", "facets"),
    [
        ("Team leader, South locality", {"role": "Team leader"}),
        ("Practice nurse, Practice 5", {"role": "Practice nurse", "site": 5}),
        ("North Site K, consultant", {"role": "consultant", "site": "K"}),
        ("Interview with parent, School B", {"role": "parent", "site": "B"}),
        ("Interview, Parent 3", {"role": "Parent", "number": 3}),
    ],
)
def test_the_role_is_the_first_part_naming_one_past_a_part_naming_a_site(code: str, facets: dict) -> None:
    assert shape_facets(code) == facets


def test_words_joining_the_respondents_of_a_group_code_are_no_role() -> None:
    assert shape_facets("Drivers 3 and 7")["role"] == "Drivers"


def test_a_compound_code_joined_by_an_underscore_is_one_code() -> None:
    report = "".join(f"“We waited {n} hours for a reply from anyone.” (GRP{n}_R{n + 1})\n\n" for n in (2, 3, 4))
    vocabulary = induce_vocabulary(report)
    assert vocabulary.knows("GRP7_R2")
    assert label_shapes("GRP2_R3") == {"A9_A9"}


def test_pseudonyms_with_roles_are_the_documents_codes_when_several_names_recur() -> None:
    report = "".join(f"“We waited {n} weeks for anyone to ring us back.” ({name})\n\n"
                     for n, name in ((2, "Nadia, mother"), (3, "Owen, a father"), (5, "Ruth, grandmother")))
    assert induce_vocabulary(report).knows("Lena, aunt")
    assert shape_facets("Owen, a father") == {"pseudonym": "Owen", "role": "father"}


def test_one_name_with_a_role_repeated_is_not_a_pseudonym_convention() -> None:
    report = "".join(f"“We waited {n} weeks for anyone to ring us back.” (Nadia, mother)\n\n" for n in (2, 3))
    assert PSEUDONYM_ROLE not in induce_vocabulary(report).shapes


def test_an_age_band_is_a_facet_not_an_age_and_a_number() -> None:
    assert shape_facets("Carer 12, male, aged 65-74") == {
        "number": 12, "sex": "male", "age_band": "65-74", "role": "Carer"
    }
    assert shape_facets("QX06, female, 75+") == {"sex": "female", "age_band": "75+"}


def test_a_respondent_named_by_where_they_work_is_a_respondent() -> None:
    raw = Attribution(raw="(Respondent from a district council)", code="Respondent from a district council",
                      scheme="raw", source_kind="other")
    read = EMPTY.read(raw)
    assert (read.source_kind, read.facets) == ("interview", {"org": "district council"})


def test_capitals_count_as_a_role_only_where_they_open_a_turn() -> None:
    cited = "".join(f"“Providers must publish waiting times {n}.” (REGULATOR)\n\n" for n in ("weekly", "monthly"))
    turns = "".join(f"PORTER: “We move {n} beds a night.”\n\n" for n in ("forty", "fifty"))
    assert ROLE_IN_CAPITALS not in induce_vocabulary(cited).shapes
    assert induce_vocabulary(turns).knows("CLEANER")


def test_capitals_that_introduce_rather_than_speak_are_no_role() -> None:
    turns = "".join(f"NOTE: “{n}” is the term the service uses.\n\n" for n in ("Client", "Service user"))
    assert ROLE_IN_CAPITALS not in induce_vocabulary(turns).shapes


def test_a_lead_in_names_a_code_joining_a_word_and_its_number_with_an_underscore() -> None:
    assert lead_in_labels("Couriers knew the rule. As Int_09 explained:") == ["Int_09"]
    assert induce_vocabulary("“The app goes quiet.” (Int_04)\n\n“Nobody explains it.” (Int_11)\n").knows("Int_09")


def test_the_people_of_a_joint_interview_share_the_shape_of_the_documents_codes() -> None:
    vocabulary = induce_vocabulary("“We waited a year.” (T-11)\n\n“Nobody came.” (T-19)\n")
    assert vocabulary.knows("T-08a") and vocabulary.knows("T-08b")


def test_roles_with_their_workplace_opening_turns_are_the_documents_speakers() -> None:
    text = ("Ward sister, surgical unit: “We close beds every winter and open them in spring.”\n\n"
            "Porter, night shift:\n\n“Nobody tells us which beds are closed until we get there.”\n\n"
            "Staffing was the common thread.")
    vocabulary = induce_vocabulary(text)
    assert vocabulary.knows("Matron, medical unit")
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["Ward sister, surgical unit", "Porter, night shift"]
    assert quotes[1].text == "Nobody tells us which beds are closed until we get there."


def test_codes_joining_sex_and_age_with_slashes_open_turns_above_their_words() -> None:
    text = ("HCW21/M/29, staff nurse:\n      “At 4 a.m. the obs are numbers on a screen.”\n\n"
            "HCW08/F/42, ward sister:\n      “You drive home and you go through it.”\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["HCW21/M/29, staff nurse", "HCW08/F/42, ward sister"]


def test_a_role_with_parts_is_counted_only_where_it_opens_a_turn() -> None:
    cited = "".join(f"“The rota changes {n}.” (Porter, night shift)\n\n" for n in ("weekly", "daily"))
    assert ROLE_WITH_PARTS not in induce_vocabulary(cited).shapes


def test_a_clause_opening_a_sentence_before_a_quotation_is_no_role() -> None:
    turns = "".join(f"However, staff {n}: “We cope.”\n\n" for n in ("disagreed", "were divided"))
    assert ROLE_WITH_PARTS not in induce_vocabulary(turns).shapes


@pytest.mark.parametrize(("code", "facets"), [
    ("Kai (pseudonym), 14", {"pseudonym": "Kai", "age": 14}),
    ("Amir (Not his real name), father", {"pseudonym": "Amir", "role": "father"}),
    ("Bea (name changed), female, aged 70", {"pseudonym": "Bea", "sex": "female", "age": 70}),
])
def test_a_name_marked_as_a_pseudonym_gives_the_name_and_what_the_parts_say(code: str, facets: dict) -> None:
    assert shape_facets(code) == facets


def test_the_interview_a_code_numbers_is_no_role() -> None:
    assert shape_facets("Interview 14") == {"number": 14}


def test_pseudonyms_signed_with_ages_are_the_documents_pseudonyms() -> None:
    text = (
        "Findings\n\n“The bank went and the footfall went with it.” (Dev, 42, cafe owner)\n\n"
        "“There is no one here in winter to open a shop for.” (Callum, 19)\n"
    )
    assert induce_vocabulary(text).pseudonyms == {"Dev": "Dev, 42, cafe owner", "Callum": "Callum, 19"}


def test_one_pseudonym_with_an_age_is_not_a_convention() -> None:
    assert induce_vocabulary("Findings\n\n“The bank went and the footfall went with it.” (Dev, 42)\n").pseudonyms == {}


@pytest.mark.parametrize("label", ["Resident, Little Farnham", "Resident, Ashwell, aged 75+"])
def test_a_role_with_a_named_place_or_an_age_has_the_shape_of_a_role_with_parts(label: str) -> None:
    assert ROLE_WITH_PARTS in label_shapes(label)


def test_labels_of_parts_opening_words_in_the_first_person_are_the_documents_speaker_shape() -> None:
    text = ("Discharge\n\nBirthing person, Riverside event: We were told we were going home at ten, then at twelve.\n\n"
            "Partner, Riverside event: I was sent home at eight every night, right when she needed me.\n")
    assert ROLE_WITH_PARTS in induce_vocabulary(text).shapes
    assert [q.attribution.code for q in find_quotes(text)] == ["Birthing person, Riverside event",
                                                               "Partner, Riverside event"]


def test_labels_of_parts_opening_the_reports_own_sentences_are_no_speaker_shape() -> None:
    text = ("Method\n\nAim, scope and timing: The review ran from May to June in two districts.\n\n"
            "Design, sample and analysis: Interviews were coded by two researchers.\n")
    assert ROLE_WITH_PARTS not in induce_vocabulary(text).shapes


CONSULTATION = (
    "Comments included:\n\n"
    "- “Why should I pay to park outside my own house every single day?” (member of the public)\n\n"
    "- “We support the closure but enforcement must start on the first day.” (parish council)\n\n"
    "- “The buses will not get through if the verges are full of cars.” (bus operator)\n"
)


def test_respondent_types_in_lower_case_after_quoted_sentences_are_the_documents_codes() -> None:
    assert [q.attribution.code for q in find_quotes(CONSULTATION)] == [
        "member of the public", "parish council", "bus operator"]


def test_respondent_types_in_lower_case_with_a_place_after_quoted_phrases_are_the_documents_codes() -> None:
    text = ("Councillors were frank. ‘People think I can get the potholes fixed and I cannot even get an answer’ "
            "(councillor, Ribble Vale). Officers agreed. ‘You cannot devolve a cut and call it empowerment’ "
            "(council officer, Dunmore).\n\nOrganisers saw it otherwise. ‘It is the same twelve faces every month "
            "in the centre’ (community organiser, Halsey Green).\n")
    assert [q.attribution.code for q in find_quotes(text)] == [
        "councillor, Ribble Vale", "council officer, Dunmore", "community organiser, Halsey Green"]


def test_editorial_notes_in_lower_case_after_quotations_name_no_speaker() -> None:
    text = CONSULTATION.replace("member of the public", "emphasis added").replace(
        "parish council", "original emphasis").replace("bus operator", "laughs")
    assert all(q.attribution is None or q.attribution.code is None for q in find_quotes(text))


def test_a_word_in_square_brackets_in_a_quotation_is_no_respondent_type() -> None:
    text = CONSULTATION + "\n“We met the team from [named hospital] every week and it helped.” (carer)\n"
    codes = [q.attribution.code for q in find_quotes(text)]
    assert "named hospital" not in codes and codes[-1] == "carer"


def test_a_code_in_a_speech_tag_that_goes_on_stands_where_attributions_stand() -> None:
    text = "“It is really about who pays,” said Juror 17 at the end of the weekend."
    assert "Juror 17" in attribution_position_labels(text)


@pytest.mark.parametrize(("label", "parts"), [
    ("Tom, interview, January 2019", ("Tom", "interview, January 2019")),
    ("Senior Fisheries Officer, interview, Kampala, 2 March 2023",
     ("Senior Fisheries Officer", "interview, Kampala, 2 March 2023")),
    ("Interview, Marisol, parent organizer, January 2019", ("Interview, Marisol, parent organizer", "January 2019")),
])
def test_how_where_and_when_the_words_were_collected_are_provenance_not_the_code(label: str, parts) -> None:
    assert split_provenance(label) == parts
