"""A transcript is read as speaker turns: each participant turn is a quotation by its speaker, the
interviewer's turns are context only, and paragraph numbers and timestamps are provenance."""

from __future__ import annotations

import re

import pytest

from ingest.clean import normalise
from ingest.document import load_raw, parse_document
from ingest.quotes import find_quotes
from ingest.transcript import TRANSCRIPT_KIND, read_transcript
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.conftest import CORPUS, published_rows, require_shared

LABELLED = """Interview with a care home manager

Interviewer: How did the home hear about the new service?

P1: The district nurse told us about it at a team meeting in the spring.

Interviewer: And what changed for the residents?

P1: They saw the same GP every week, which they liked a great deal.

Interviewer: Was anything harder than before?

P1: The paperwork doubled for the first months and nobody had time for it.
"""

NAMED = """Sam: Thanks for joining. What does your team do on a normal morning?

Alex: We check the overnight notes and then we visit the two homes on the hill.

Sam: Who decides which home comes first?

Alex: The senior carer does, because she knows who had a bad night.

Sam: Does that ever cause friction?

Alex: Not really, people trust her judgement and the rota is fair.
"""

TIMED = """BSR01 00:00:05
Can you say what your role was during the pilot?

BSR02 00:00:12
I ran the referral line for the two practices and kept the waiting list.

BSR01 00:01:40
How long was the list at its worst?

BSR02 00:01:47
About sixty people, mostly waiting for a home visit from the therapist.

BSR01 00:02:30
What brought it down?

BSR02 00:02:41
A second therapist joined in the autumn and we shared the visits out.
"""

NUMBERED = """1 Interviewer: What did the pilot fund in your area?

2 Respondent: Mostly extra night staff and a shared phone line.

3 Interviewer: Did the funding continue afterwards?

4 Respondent: It stopped in March and the phone line closed with it.

5 Interviewer: What happened to the night staff?

6 Respondent: Two of them stayed on, paid out of the home's own budget.
"""

REPORT = """Findings

Staff valued the new service. In one group discussion the exchange ran as follows.

Manager: We saw fewer ambulance call-outs at night.

Nurse: And fewer falls, because someone checked on people.

Manager: The families noticed it too.

The rest of this section describes the costs of the service, which rose in the second year as more homes
joined and the team grew to cover them. The commissioners agreed to meet the rise from a shared budget.

Costs were reviewed each quarter by the steering group, which reported to the partnership board.

The board asked for a fuller account of savings, which the evaluation could not provide from the data held.
"""


def test_every_participant_turn_is_a_quotation_whose_respondent_is_the_speaker():
    reading = read_transcript(LABELLED)
    assert reading is not None
    assert [q.attribution.code for q in reading.quotes] == ["P1", "P1", "P1"]
    assert reading.quotes[0].text == "The district nurse told us about it at a team meeting in the spring."


def test_interviewer_turns_are_kept_in_the_text_but_are_never_quotations():
    reading = read_transcript(LABELLED)
    assert not any("?" in q.text for q in reading.quotes)
    assert [t.interviewer for t in reading.turns] == [True, False] * 3


def test_quotation_offsets_point_at_the_spoken_words():
    for quote in read_transcript(LABELLED).quotes:
        assert LABELLED[quote.char_start:quote.char_end] == quote.text


def test_the_speaker_who_asks_the_questions_is_the_interviewer_when_the_labels_are_names():
    reading = read_transcript(NAMED)
    assert {q.attribution.code for q in reading.quotes} == {"Alex"}


def test_the_manifest_can_name_the_interviewer():
    reading = read_transcript(NAMED, interviewers=("Alex",))
    assert {q.attribution.code for q in reading.quotes} == {"Sam"}


def test_timestamps_are_provenance_not_text():
    reading = read_transcript(TIMED)
    assert [q.attribution.code for q in reading.quotes] == ["BSR02"] * 3
    assert reading.quotes[0].attribution.facets["timestamp"] == "00:00:12"
    assert not any(re.search(r"\d:\d\d", q.text) for q in reading.quotes)


def test_paragraph_numbers_are_provenance_not_text():
    reading = read_transcript(NUMBERED)
    assert [q.attribution.facets["paragraph"] for q in reading.quotes] == [2, 4, 6]
    assert reading.quotes[1].text == "It stopped in March and the phone line closed with it."


def test_a_report_with_a_short_exchange_is_not_a_transcript():
    assert read_transcript(REPORT) is None


def test_a_document_the_manifest_calls_a_transcript_is_read_as_turns_even_when_short():
    short = "Interviewer: Why did you join?\n\nP4: The training was free and close to home."
    assert read_transcript(short) is None
    reading = read_transcript(short, declared=True)
    assert [q.text for q in reading.quotes] == ["The training was free and close to home."]


def test_a_transcripts_short_turns_head_no_section(tmp_path):
    path = tmp_path / "interview.txt"
    path.write_text(LABELLED, encoding="utf-8")
    parsed = parse_document(path)
    assert parsed.kind == TRANSCRIPT_KIND
    assert [s.heading for s in parsed.sections] == ["Interview with a care home manager"]


@pytest.mark.corpus
def test_the_robustness_transcript_gives_every_participant_turn_and_no_interviewer_turn():
    require_shared()
    text = normalise(load_raw(CORPUS / "robustness" / "transcript-numbered-paragraphs.pdf")).text
    reading = read_transcript(text)
    assert reading is not None
    labels = re.findall(r"\b(\w+):", text)
    interviewer, participant = "Dan", "Participant"
    assert {t.speaker for t in reading.turns if t.interviewer} == {interviewer}
    assert len(reading.quotes) == labels.count(participant)
    assert {q.attribution.code for q in reading.quotes} == {participant}
    assert not any(f"{interviewer}:" in q.text or f"{participant}:" in q.text for q in reading.quotes)


def test_an_ingested_transcript_is_of_kind_transcript_with_the_speaker_as_respondent(
    write_corpus, tmp_path, counting_embedder
):
    manifest = write_corpus({"interview.txt": NAMED, "report.txt": REPORT})
    summary = run_ingest(manifest, tmp_path / "data", lambda: counting_embedder,
                         IngestOptions(workers=1, show_progress=False))
    assert summary.ok
    kinds = dict(published_rows(tmp_path / "data", "SELECT doc_id, kind FROM documents"))
    assert kinds == {"interview": "transcript", "report": None}
    rows = published_rows(tmp_path / "data", "SELECT respondent_code, scheme, source_kind FROM quotes "
                                             "WHERE doc_id = 'interview'")
    assert rows == [("Alex", "speaker", "interview")] * 3


def test_the_manifest_names_the_interviewer_of_an_ingested_transcript(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"interview.txt": NAMED})
    manifest.write_text(manifest.read_text().replace("study: s1}", "study: s1, interviewers: [Alex]}"))
    run_ingest(manifest, tmp_path / "data", lambda: counting_embedder, IngestOptions(workers=1, show_progress=False))
    codes = {row[0] for row in published_rows(tmp_path / "data", "SELECT respondent_code FROM quotes")}
    assert codes == {"Sam"}


def test_the_participant_turns_of_an_exchange_printed_in_a_report_are_quotations_by_their_speakers():
    text = (
        "Findings\n\nThe exchange below was typical of the later interviews.\n\n"
        "Interviewer: What would you change first?\n"
        "R3: The phone line. It should be staffed all day, not just in the mornings.\n"
        "Interviewer: And after that?\n"
        "R3: Training for the reception team, so they know where to send people.\n\n"
        "Most staff wanted the same two changes."
    )
    quotes = find_quotes(text)
    assert [(q.attribution.code, q.text) for q in quotes] == [
        ("R3", "The phone line. It should be staffed all day, not just in the mornings."),
        ("R3", "Training for the reception team, so they know where to send people."),
    ]


def test_turns_a_generic_label_speaks_are_by_the_code_the_exchanges_caption_names():
    text = (
        "Supervision\n\nExtract 2. Interview with YW-07\n\n"
        "I: Who do you talk to after a hard session?\n"
        "R: Nobody, really. My manager covers three jobs already.\n"
        "I: And the other workers?\n"
        "R: We text each other, but that is not supervision.\n\n"
        "Most workers said the same."
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["YW-07", "YW-07"]
    assert quotes[0].attribution.facets["speaker"] == "R"


def test_a_question_and_its_answer_are_an_exchange_where_the_interviewer_is_named_in_words():
    text = (
        "Discharge\n\nThe exchange below shows how unsure staff were.\n\n"
        "Interviewer: Who decides when a patient is ready to go home?\n\n"
        "Nurse 3: Honestly? Whoever is on shift. There is no one person who owns it.\n\n"
        "Managers described a clear process."
    )
    assert [(q.attribution.code, q.text) for q in find_quotes(text)] == [
        ("Nurse 3", "Honestly? Whoever is on shift. There is no one person who owns it."),
    ]


def test_a_question_and_answer_by_letters_alone_is_no_exchange():
    text = "Questions\n\nQ: Who can apply for the grant this year?\nA: Any practice in the two counties can apply.\n"
    assert find_quotes(text) == []


def test_labelled_lines_without_an_interviewer_are_no_exchange():
    text = "Methods\n\nAim: To see what changed.\nDesign: Interviews with staff.\nSetting: Two practices.\n"
    assert find_quotes(text) == []


def test_a_question_and_an_answer_are_an_exchange_where_the_answering_label_says_so():
    text = "Box 3\n\nInt: What happens when a referral comes in late?\nResp: Late is most of them, honestly.\n"
    assert [q.text for q in find_quotes(text)] == ["Late is most of them, honestly."]


def test_the_speaker_who_only_asks_is_the_interviewer_where_no_label_says_so():
    text = (
        "Extracts\n\n"
        "[00:12:45] TOM REDDIN: Can you remember what the stand was like?\n"
        "[00:12:49] EILEEN BRADY: All the men in their caps, two or three hundred of them.\n"
        "[00:13:41] TOM REDDIN: And did that change later on?\n"
        "[00:13:44] EILEEN BRADY: It did and it didn't, to be honest with you.\n\n"
        "[...]\n\n"
        "[00:41:02] TOM REDDIN: What do you remember about the closure?\n"
        "[00:41:10] EILEEN BRADY: The quiet. That is what I remember.\n"
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["EILEEN BRADY"] * 3
    assert quotes[0].attribution.facets["timestamp"] == "00:12:49"


def test_a_records_fields_are_no_exchange():
    text = (
        "Catalogue\n\nInterviewee: Eileen Brady\nInterviewer: Tom Reddin\nDate of interview: 14 May 2019\n"
        "Location: Quay Street, Saltmere\nAccess: Open\n"
    )
    assert find_quotes(text) == []


def test_an_exchange_a_page_break_cuts_in_two_keeps_its_caption():
    text = (
        "Housing\n\nExtract 4.1: V04, Army, left 2016\n\n"
        "Q: When did you first realise you might not have anywhere to live?\n"
        "A: About three weeks before I got out of the army.\n"
        "Q: What did you do?\n"
        "A: Sofa-surfed for eight months with my sister.\n\n"
        "18\n\nVeterans and housing - final report\n\n"
        "Q: Looking back, what would have helped most?\n"
        "A: Someone telling me the truth a year out.\n"
        "Q: Anything else?\n"
        "A: Not really, no.\n"
    )
    assert {q.attribution.code for q in find_quotes(text)} == {"V04"}


def test_a_caption_naming_the_extract_and_its_respondent_is_no_turn_and_names_the_answers() -> None:
    text = (
        "Walking netball brought women back after thirty years.\n\n"
        "Extract 2: Participant 6 (woman, 50s)\n\n"
        "I:    What made you come back after the first session?\n"
        "R:    Honestly? Nobody shouted. I was dreading it being like sport at school.\n"
        "I:    Would you keep coming if it moved?\n"
        "R:    If it moved to the church hall on the bus route, yes, I would.\n"
    )
    assert [(q.text[:8], q.attribution.code) for q in find_quotes(text)] == [
        ("Honestly", "Participant 6"), ("If it mo", "Participant 6")]


EXCERPTS = """Excerpt 1
K03 (tenant, aged 70). Interview at home.
--------------------------------------------

INT: How did you hear the block was being refitted?

K03: A letter under the door, the week before the builders came.

INT: Was there a meeting?

K03: There was one, in the community room, but it was on a weekday morning.

INT: Did anyone come round?

K03: Nobody came round at all, not once.

--------------------------------------------
Excerpt 2
K08 (tenant, aged 45) and L08 (her son). Joint interview.
--------------------------------------------

INT: What was the noise like?

L08: You could not hear the television for three weeks.

K08: I went to my sister's in the end, most days.

INT: Was that arranged for you?

L08: No, we sorted that ourselves.

K08: They did send flowers afterwards, to be fair.

--------------------------------------------
Excerpt 3
M11 (caretaker).
--------------------------------------------

INT: What would you change?

M11: Tell people properly, face to face, a month before anything starts.
"""


def test_a_code_of_the_shape_the_transcripts_speakers_share_is_a_speaker_however_few_its_turns():
    codes = [q.attribution.code for q in read_transcript(EXCERPTS).quotes]
    assert codes == ["K03", "K03", "K03", "L08", "K08", "L08", "K08", "M11"]


@pytest.mark.parametrize("text", [EXCERPTS, EXCERPTS.replace("-" * 44 + "\n", "")], ids=["rule", "caption"])
def test_a_turn_ends_at_a_rule_and_at_the_caption_of_the_next_extract(text):
    quotes = read_transcript(text).quotes
    assert quotes[2].text == "Nobody came round at all, not once."
    assert quotes[6].text == "They did send flowers afterwards, to be fair."


def test_a_numbered_code_keeps_its_turns_below_a_caption_with_a_number_of_its_own():
    text = (
        "Findings\n\nExcerpt D4\n\n"
        "INT: Who told you about the change?\n"
        "P31: Nobody did. I read it in the parish newsletter.\n"
        "INT: And the other residents?\n"
        "P31: Same as me, most of them.\n\n"
        "Residents learnt of the change late."
    )
    assert [q.attribution.code for q in find_quotes(text)] == ["P31", "P31"]


FOCUS_GROUP = """Focus group 3: transcript excerpt

Facilitator:     FG
Participants:    KC1, KC2, KC3

[00:14:02] FG: What happened in the first few weeks, in terms of support?

[00:14:19] KC1: Nothing at all. Could I take them on a Friday night? Of course I said yes.

[00:15:03] KC2: Because it's family, they think you'll just cope. I got a leaflet.

[00:15:48] FG: And was it similar for you?

[00:15:55] KC3: Ours went to court, so it was six months of reports. Who pays for that?

[00:16:40] KC1: Can I add something? Nobody asked whether I could afford it.

[00:17:12] FG: Can we talk about money now?

[00:17:20] KC2: The allowance is a postcode lottery. Why should it be?

[00:18:05] KC3: I gave up work to do it.
"""


def test_codes_of_one_shape_that_each_speak_twice_are_the_transcripts_speakers():
    reading = read_transcript(FOCUS_GROUP)
    assert reading is not None
    assert {turn.speaker for turn in reading.turns} == {"FG", "KC1", "KC2", "KC3"}


def test_the_label_the_header_declares_as_facilitator_is_the_interviewer_however_others_ask():
    assert [q.attribution.code for q in read_transcript(FOCUS_GROUP).quotes] == [
        "KC1", "KC2", "KC3", "KC1", "KC2", "KC3"]


def test_a_role_with_the_respondents_code_in_brackets_labels_their_turns() -> None:
    coded = "".join(f"“We lose a morning every week to the forms, {n}.” (P0{n})\n\n" for n in (1, 2, 3))
    text = (coded + "The following exchange is typical:\n\n"
            "Interviewer: What made you willing to try the volunteering in the end?\n"
            "Respondent (P04): She went through it all with me, the hours I could do and what I had to tell them.\n"
            "Interviewer: And did that change how you felt about it?\n"
            "Respondent (P04): I stopped lying awake about it. That was the difference.\n\n"
            "Other participants said much the same (P02, P07).\n")
    quotes = find_quotes(text)[3:]
    assert [(q.text[:12], q.attribution.code) for q in quotes] == [("She went thr", "P04"), ("I stopped ly", "P04")]


def test_participants_told_apart_by_letters_speak_an_exchange_without_an_interviewer() -> None:
    text = (
        "At one table the facilitator noted this exchange:\n"
        "Participant A: My street is already full by six. Where do four more families park?\n"
        "Participant B: Half those cars belong to people whose garage is full of stuff.\n"
        "Participant A: Maybe. I still can't get into my driveway some nights.\n\n"
        "The group moved on to the question of height."
    )
    assert [(q.attribution.code, q.text[:12]) for q in find_quotes(text)] == [
        ("Participant A", "My street is"), ("Participant B", "Half those c"), ("Participant A", "Maybe. I sti")]


def test_people_talking_among_themselves_by_name_speak_an_exchange_without_an_interviewer() -> None:
    text = (
        "The group was asked what replaced the elevator as a gathering place.\n\n"
        "Ernie: This did. The coffee row. When the elevator went, we came in here.\n\n"
        "Walt: We were always here. You're making it sound like a tragedy.\n\n"
        "Ernie: Well, it was a tragedy, Walt.\n\n"
        "Walt: It was economics. I'm not saying I liked it.\n\n"
        "Marj: You two have been having this argument since 1999.\n"
    )
    assert [q.attribution.code for q in find_quotes(text)] == ["Ernie", "Walt", "Ernie", "Walt", "Marj"]


def test_short_replies_claiming_ours_and_yours_are_a_conversation_by_name() -> None:
    text = (
        "Three of the club's regulars are heard in this extract.\n\n"
        "Edna: It was the smell afterwards. Everyone says it, but it is true.\n\n"
        "Joan: Sewage and diesel.\n\n"
        "Harold: They gave us them flood doors after. Half of them do not fit.\n\n"
        "Joan: Ours fits.\n\n"
        "Harold: Yours would.\n"
    )
    assert [q.attribution.code for q in find_quotes(text)] == ["Edna", "Joan", "Harold", "Joan", "Harold"]


def test_labels_recurring_over_notes_in_the_third_person_are_no_exchange() -> None:
    text = ("Tables\n\nNote: Figures are rounded to the nearest whole number.\nSource: The annual survey of the "
            "service.\nNote: Two sites did not report in the second year.\nSource: The providers' own returns.\n")
    assert find_quotes(text) == []


def test_the_speaker_beside_a_participant_label_is_the_interviewer() -> None:
    text = (
        "Extract from a usability session.\n\n"
        "Dan: Okay. So now you can stop sharing your screen.\n\n"
        "Participant: Okay. I think I saw most of it, to be honest.\n\n"
        "Dan: Did you find the filtering useful at all?\n\n"
        "Participant: Yeah. It was useful for exploring and trying out some ideas.\n"
    )
    assert [(q.attribution.code, q.text[:8]) for q in find_quotes(text)] == [
        ("Participant", "Okay. I "), ("Participant", "Yeah. It")]
