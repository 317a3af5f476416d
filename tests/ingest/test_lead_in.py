"""The speaker's role as named by the sentence before a quotation."""

from __future__ import annotations

import pytest

from ingest.lead_in import lead_in_role, named_in_full, role_in_tag
from ingest.text.lead_ins import last_sentence


@pytest.mark.parametrize(
    ("preceding", "role"),
    [
        ("There was no defined structure. As one service commissioner said: ", "service commissioner"),
        ("whilst the roll-out was the clear responsibility of the networks, as this service commissioner said:",
         "service commissioner"),
        ("As a participant in the MCP pilot commented:", "participant in the MCP pilot"),
        ("who championed the successes, as this clinician in a Vanguard team member said:",
         "clinician in a Vanguard team member"),
        ("additional funding was provided by some groups, as this GP explained:", "GP"),
        ("impacting future initiatives as highlighted by this service commissioner:", "service commissioner"),
        ("for example, as identified by this Vanguard team member:", "Vanguard team member"),
        ("leading one interviewee to comment as follows:", "interviewee"),
        ("One respondent reported that working within the 'flat structure' was challenging.", "respondent"),
        ("One respondent reported that working within the ‘flat structure’ was challenging.", "respondent"),
        ("According to a national level respondent", "national level respondent"),
        ("Staffing was the main worry. As one practice nurse put it:", "practice nurse"),
        ("Another ward manager told us:", "ward manager"),
        ("One district nurse summed up the mood:", "district nurse"),
        ("They reach communities we cannot. As one commissioner (C4) explained:", "commissioner"),
        ("This quote from another physiotherapist illustrates how the two systems work together.", "physiotherapist"),
        ("The following extract from an interview with a ward manager describes the change:", "ward manager"),
        ("Waiting was the worst part. In the words of one patient,", "patient"),
        ("To quote one district nurse:", "district nurse"),
        ("A Year 7 pupil told reviewers,", "Year 7 pupil"),
        ("One 13-year-old girl quoted in the study said:", "13-year-old girl"),
        ("In one of our discussion groups, a retired teacher described the street as", "retired teacher"),
        ("One parent interviewed for this report explained:", "parent"),
        ("One paramedic spoke of", "paramedic"),
        ("The fee was described by one respondent as", "respondent"),
        ("When we asked why, the Housing Options Team Leader told us that the team was", "Housing Options Team Leader"),
        ("In response to my draft report, the Council’s Head of Housing said the Council", "Head of Housing"),
        ("2.2 The Head of Passenger Transport Services described the growth in demand. The number of children "
         "eligible has risen by a third. He explained:\n\n", "Head of Passenger Transport Services"),
        ("2.5 The SEND Assessment and Review Team Manager gave evidence. She was candid about the limits of "
         "current practice:\n\n", "SEND Assessment and Review Team Manager"),
        ("9. The records show no reviews. When we asked why, the Team Leader told us the team was short of staff. "
         "She accepted that the case", "Team Leader"),
        ("12. Mrs B’s advocate from the Citizens Advice described the family’s situation as",
         "Mrs B’s advocate from the Citizens Advice"),
        ("The records were incomplete. Her daughter said that", "Her daughter"),
        ("The Partnership’s clinical lead for urgent care described the first months as",
         "clinical lead for urgent care"),
        ("Readings were valued. A pharmacy technician who had trained as an adviser for the pilot said the monitor "
         "was", "pharmacy technician"),
        ("Heads agreed. Another headteacher, whose school serves a large estate, was more cautious about it:",
         "headteacher"),
        ("3.6\tAs a local authority put it,", "local authority"),
        ("2.4 The Managing Director of Vale Coaches, one of the largest contractors, told Members that drivers were "
         "hard to find. In his view the contracts were", "Managing Director of Vale Coaches"),
    ],
)
def test_role_named_in_the_lead_in(preceding: str, role: str) -> None:
    assert lead_in_role(preceding) == role


@pytest.mark.parametrize(
    "preceding",
    [
        "For some participants the inclusion of many different organisations could also add complexity.",
        "The following view is typical of those expressed in interviews.",
        "The following quote illustrates the situation found in many care homes pre-pandemic:",
        "In this context, pressure for quick results was a major complaint:",
        "that, as noted earlier, are dominating the agenda.",
        "Elsewhere there was evidence of mixed enthusiasm:",
        "A third said:",
        "Another one added that",
        "In 2019, a report described the service as",
        "Staff felt stretched, a sentiment summed up in the description of the team as",
        "In 2019 the Council said that",
        "2.5 The Council set out its plans. She said:",
        "The response said that",
        "Mrs B’s account described the room as",
        "A number of participants were concerned about it:",
        "She had trained as a nurse said to be",
        "The Team Leader told us the team was short of staff.\n\nShe accepted that the case",
        "",
    ],
)
def test_no_role_when_the_sentence_names_no_speaker(preceding: str) -> None:
    assert lead_in_role(preceding) is None


def test_only_the_last_sentence_counts() -> None:
    preceding = "As one GP said, it was hard. Funding was later withdrawn:"
    assert last_sentence(preceding) == "Funding was later withdrawn:"
    assert lead_in_role(preceding) is None


def test_a_heading_above_the_lead_in_is_not_part_of_its_sentence() -> None:
    preceding = "Staffing and rotas\n\nOne ward manager reflected on the winter:\n\n"
    assert last_sentence(preceding) == "One ward manager reflected on the winter:"
    assert lead_in_role(preceding) == "ward manager"


@pytest.mark.parametrize(
    "preceding",
    [
        "A team manager described the waiting list as “a queue that never gets shorter” (S03).",
        "One participant said the wait ‘made me feel I did not matter’, and others felt the same.",
    ],
)
def test_a_sentence_quoting_its_own_speaker_is_no_lead_in_to_the_next_quotation(preceding: str) -> None:
    assert lead_in_role(preceding) is None


@pytest.mark.parametrize(
    ("speaker", "role"),
    [("one tenant", "tenant"), ("the minister at Elbury Methodist Church", "minister at Elbury Methodist Church")],
)
def test_a_speech_tag_names_a_role_after_one_or_the(speaker: str, role: str) -> None:
    assert role_in_tag(speaker) == role


def test_a_speech_tag_naming_a_text_names_no_role() -> None:
    assert role_in_tag("the report") is None


def test_a_role_opening_a_numbered_paragraph_before_a_speech_verb_is_the_lead_in_role() -> None:
    assert lead_in_role("4.7 A senior manager described the use of agency staff as") == "senior manager"


@pytest.mark.parametrize("name", ["Maureen O’Dowd", "Anne-Marie McAllister", "Fiona MacDonald", "Joan Hartley"])
def test_a_name_with_a_capital_inside_a_word_is_a_name_in_full(name: str) -> None:
    assert named_in_full(name)


@pytest.mark.parametrize("words", ["On the buses", "Ola", "Ofsted"])
def test_words_that_are_no_name_in_full_are_not_read_as_one(words: str) -> None:
    assert not named_in_full(words)
