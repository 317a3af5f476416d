"""Lists of answers in quotation marks: after a lead-in colon, a list whose every item is a passage in
marks is a list of respondents' words, one quotation per item, even in a document quoting no one else."""

from __future__ import annotations

from ingest.quotes import find_quotes

COMMENTS = (
    "Question 7 asked about the road closure. Comments included:\n\n"
    "- “My children can finally walk to school without holding my hand at every corner.”\n"
    "- “You are just moving the traffic onto the next street, where people also live.”\n\n"
    "The council will publish its decision in May.\n"
)


def test_each_item_of_a_list_in_marks_after_a_lead_in_is_a_quotation() -> None:
    quotes = find_quotes(COMMENTS)

    assert [q.text[:15] for q in quotes] == ["My children can", "You are just mo"]
    assert all(q.attribution.code is None and q.attribution.source_kind == "interview" for q in quotes)


def test_a_list_whose_items_are_paragraphs_of_their_own_is_one_list() -> None:
    quotes = find_quotes(COMMENTS.replace("”\n- ", "”\n\n- "))

    assert len(quotes) == 2


def test_a_code_after_an_item_names_its_respondent() -> None:
    text = COMMENTS.replace("where people also live.”", "where people also live.” (R12)")

    assert [q.attribution.code for q in find_quotes(text)] == [None, "R12"]


def test_a_list_with_an_item_outside_marks_is_not_a_list_of_answers() -> None:
    text = COMMENTS.replace("- “You are just moving", "- The council noted that “you are just moving")

    assert find_quotes(text) == []


def test_questions_put_to_respondents_are_not_their_words() -> None:
    text = (
        "Respondents were asked the following questions:\n\n"
        "- “How often do you walk to the shops or the school?”\n"
        "- “What would make the street feel safer for you?”\n"
    )

    assert find_quotes(text) == []


def test_a_list_of_names_in_marks_is_not_a_list_of_answers() -> None:
    text = "The programme has three strands:\n\n- “Safer Streets Together”\n- “Walk To School Week Again”\n"

    assert find_quotes(text) == []


def test_a_list_of_whole_sentences_in_marks_is_a_list_of_answers_without_a_colon() -> None:
    text = ("The comments below were selected to show the main themes.\n\n"
            "   •  ‘I gave up my job because the 11.40 bus was cut and I cannot get there.’\n\n"
            "   •  ‘Please keep the Tuesday market run. It is the only time some of us meet.’\n")
    assert [q.text[:12] for q in find_quotes(text)] == ["I gave up my", "Please keep "]


def test_a_list_of_phrases_in_marks_without_a_colon_is_not_a_list_of_answers() -> None:
    text = ("The fund has supported these projects.\n\n- “Safer streets for every family”\n"
            "- “Warm homes this winter again”\n")
    assert find_quotes(text) == []


STICKY_NOTES = (
    "Each table wrote its ideas on sticky notes, copied below as written.\n\n"
    "Table 2 – Getting there\n"
    "- “a bus that actually goes past the centre after six”\n"
    "- “somewhere to leave the buggy that isnt the corridor”\n\n"
    "The facilitators grouped the notes after lunch.\n"
)


def test_each_item_of_a_list_right_under_a_label_line_is_a_quotation() -> None:
    assert [q.text[:12] for q in find_quotes(STICKY_NOTES)] == ["a bus that a", "somewhere to"]


def test_a_list_of_short_phrases_under_a_label_line_is_not_a_list_of_answers() -> None:
    text = "Programme strands\n- “Warm homes, warm hearts”\n- “safer streets for all”\n"
    assert find_quotes(text) == []


def test_a_list_closing_the_paragraph_of_its_lead_in_is_a_list_of_answers() -> None:
    text = COMMENTS.replace("Comments included:\n\n", "Comments included:\n")
    assert [q.text[:15] for q in find_quotes(text)] == ["My children can", "You are just mo"]


def test_a_groups_signature_after_a_dash_below_the_list_names_each_items_speakers() -> None:
    text = COMMENTS.replace("\n\nThe council will", "\n\n— Youth Forum workshop participants\n\nThe council will")

    assert [q.attribution.code for q in find_quotes(text)] == ["Youth Forum workshop participants"] * 2


def test_a_code_after_a_hyphen_on_an_items_line_names_its_respondent_though_the_list_goes_on() -> None:
    text = ("Themes\n\n- Most visitors said heating costs were part of it\n"
            "  - “I can put the heating on. What I cannot do is make someone sit and talk to me.” - P03\n"
            "  - “Since my husband passed, some days this is the only conversation I have.” - P06\n"
            "- Staff noticed this too\n")

    assert [q.attribution.code for q in find_quotes(text)] == ["P03", "P06"]
