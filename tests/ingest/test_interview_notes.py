"""Quotations whose speaker a footnote names: `...not after”.2` with note 2 `Interview with ...`."""

from __future__ import annotations

from ingest.interview_notes import interview_notes
from ingest.quotes import find_quotes

PAPER = (
    "Officials admitted that exceptions were routine. One described the review as “built for a world "
    "in which towns ask before they borrow”.2 The ministry disagreed.3\n\n"
    "A mayor put the other side:\n\n"
    "We kept to the rule and said no to a new hall. Next door they borrowed and were bailed out.4\n\n"
    "Notes\n\n"
    "2 Interview with senior official, Ministry of Finance, 12 March 2023.\n\n"
    "3 Ministry of Finance, Annual Statement (2022), p. 4.\n\n"
    "4 Interview with mayor of a small town, 21 March 2023.\n\n"
    "5 Ibid.\n"
)


def test_a_note_citing_an_interview_names_the_interviewee_and_keeps_the_date_apart() -> None:
    notes = interview_notes(PAPER)
    assert sorted(notes) == ["2", "4", "5"]
    assert notes["2"].code == "senior official, Ministry of Finance"
    assert notes["2"].facets["provenance"] == "12 March 2023"
    assert notes["5"] == notes["4"]


def test_a_quotation_marked_with_an_interview_notes_number_is_that_interviewees() -> None:
    quote = find_quotes(PAPER)[0]
    assert quote.text == "built for a world in which towns ask before they borrow"
    assert quote.attribution.code == "senior official, Ministry of Finance"


def test_a_note_citing_a_document_names_no_interviewee() -> None:
    assert "3" not in interview_notes(PAPER)


def test_a_markdown_footnote_citing_an_interview_names_the_interviewee() -> None:
    text = ("Peer work was called “a professional friendship, which is a contradiction you live with”[^pw].\n\n"
            "[^pw]: Interview with PSW-07, November 2023.\n")
    assert find_quotes(text)[0].attribution.code == "PSW-07"


def test_a_note_naming_a_respondents_code_and_the_interview_names_that_respondent() -> None:
    text = ("Volunteers found the old displays “very much about the owners and not the rope makers,”¹² and said so.\n\n"
            "¹² R19, interview, 14 March 2022.\n")
    quote = find_quotes(text)[0]
    assert quote.attribution.code == "R19" and quote.attribution.facets["provenance"] == "14 March 2022"


def test_a_note_citing_a_written_response_names_the_respondent() -> None:
    text = ("Health providers were wary. As one response put it, ‘a same-day appointment is no use to someone "
            "who books transport the day before’.15\n\nNotes\n\n"
            "15 Written response from practice manager, Eskdale Medical Group.\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["practice manager, Eskdale Medical Group"]


def test_notes_naming_a_witness_and_their_evidence_session_name_the_witness() -> None:
    text = ("The Panel heard that “we are placing families thirty miles away because that is where the rooms "
            "are”.1 One head wrote that “the children arrive exhausted and some have been up since five”.2\n\n"
            "Notes\n\n1 Head of Housing Options, evidence session, 12 October 2023.\n\n"
            "2 Written evidence, Headteacher, St Aidan's Primary School, November 2023.\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["Head of Housing Options",
                                                               "Headteacher, St Aidan's Primary School"]


def test_a_markdown_note_naming_a_code_its_description_and_the_interview_names_that_respondent() -> None:
    text = ("Students doubted themselves. “I kept thinking it wasn't bad enough to count.”[^1]\n\n"
            "[^1]: S14, second-year undergraduate, individual interview.\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["S14"]


def test_a_note_citing_oral_evidence_names_the_witness_and_keeps_the_questions_apart() -> None:
    text = ("12. The councillor told us:\n\n"
            "We have cut the routes year after year and the villages notice every one.7\n\n"
            "7\tQ101 [Councillor Ruth Amberley]\n")
    note = interview_notes(text)["7"]
    assert (note.code, note.facets["provenance"]) == ("Councillor Ruth Amberley", "Q101")


def test_notes_a_page_ran_together_on_one_line_each_cite_their_own_witness() -> None:
    text = ("Witnesses agreed. The judge said she had “perhaps twenty minutes and a charge sheet”.5 The "
            "director put it plainly: “a sentenced child has a date and a remanded child does not”.6\n\n"
            "4 Youth Custody Service (CRM0042) table 2 5 Q58 [District Judge Helen Ashby] 6 Q21 [Amanda Reyes] "
            "7 HM Inspectorate of Prisons, Children in Custody, February 2025\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["District Judge Helen Ashby", "Amanda Reyes"]


def test_a_note_citing_a_hearings_record_names_the_witness_before_it() -> None:
    text = ("3.5 Ms Thornbury added that the working day was driving people out: ‘we are losing them faster "
            "than we can train them’.³³ The providers disagreed.\n\n"
            "33 Ms Rebecca Thornbury, Policy Manager, Home Care Workers Alliance, Committee Hansard, 4 March 2025, "
            "p. 13.\n")
    [quote] = find_quotes(text)
    assert (quote.attribution.code, quote.attribution.facets["provenance"]) == ("Ms Rebecca Thornbury", "4 March 2025")


def test_a_block_ending_in_a_raised_note_call_is_not_run_on_into_the_paragraph_after_it() -> None:
    text = ("3.4 Ms Thornbury told the committee that this had become normal across the sector:\n\n"
            "When you talk to workers, they don’t describe a job. They describe a day that starts at 6.30 and "
            "finishes at seven at night.³²\n\n"
            "3.5 She added that ‘we are losing them faster than we can train them’.³³\n\n"
            "32 Ms Rebecca Thornbury, Committee Hansard, 4 March 2025, p. 12. 33 Ms Rebecca Thornbury, Committee "
            "Hansard, 4 March 2025, p. 13.\n")
    assert [quote.text for quote in find_quotes(text)][-1] == "we are losing them faster than we can train them"


def test_notes_a_page_carried_into_the_paragraph_below_each_cite_their_own_interviewee() -> None:
    text = ("Body text.\n\n"
            "2 Borough Council, Transfer Protocol (2021), p. 6. 3 Pastoral lead, School A, interview, 14 June "
            "2023. 4 Secondary colleagues agreed. One said the forms were read\n\n"
            "last of all (Head of Year, School D). 5 Deputy head, School C, interview, 21 June 2023.\n\n"
            "More body text.\n")
    notes = interview_notes(text)
    assert (notes["3"].code, notes["5"].code) == ("Pastoral lead, School A", "Deputy head, School C")


def test_a_note_may_say_more_of_its_interviewee_or_of_the_interview_in_brackets() -> None:
    text = ("Body text.\n\n"
            "4 Year 5 teacher, Primary School 3 (feeder to School A), interview, 4 July 2023.\n\n"
            "5 Parent, School A, interview with interpreter (Somali), 10 July 2023.\n")
    notes = interview_notes(text)
    assert (notes["4"].code, notes["5"].code) == ("Year 5 teacher, Primary School 3 (feeder to School A)",
                                                  "Parent, School A")


def test_a_note_may_describe_its_interviewee_in_brackets_and_say_who_recorded_them_where() -> None:
    text = ("Body text.\n\n"
            "1 Interview with Ronald Ashe (b. 1931; 1st Battalion, Royal Norfolk Regiment, 1951–52), conducted by "
            "the author, Thetford, 14 June 2016.\n\n"
            "2 Interview with ‘Harry’ (pseudonym at the interviewee’s request; b. 1932), conducted by the author, "
            "Ely, 3 May 2016.\n")
    notes = interview_notes(text)
    assert [(notes[n].code, notes[n].facets["provenance"]) for n in ("1", "2")] == [
        ("Ronald Ashe", "14 June 2016"), ("Harry", "3 May 2016")]
