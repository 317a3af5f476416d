"""Block quotations that only layout sets apart: no quotation marks, maybe no attribution.

A paragraph set off by layout (a Markdown blockquote or emphasis, an indented, italic or smaller
block in a PDF) is a quotation when a lead-in introduces it; lists, references and tables set
off the same way are not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import normalise
from ingest.pdf_layout import load_pdf
from ingest.quotes import find_quotes
from ingest.records import Quote, RawDocument
from ingest.text_loader import load_text
from tests.pdf_factory import Run, prose_lines, write_pdf


def _quotes(raw: RawDocument) -> tuple[str, list[Quote]]:
    clean = normalise(raw)
    return clean.text, find_quotes(clean.text, set_off=clean.set_off)


def _markdown(tmp_path: Path, text: str) -> tuple[str, list[Quote]]:
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8")
    return _quotes(load_text(path))


def _pdf(tmp_path: Path, runs: list[Run]) -> tuple[str, list[Quote]]:
    return _quotes(load_pdf(write_pdf(tmp_path, [runs])))


def test_markdown_blockquote_after_a_lead_in_is_an_unattributed_quotation(tmp_path: Path) -> None:
    text, quotes = _markdown(
        tmp_path,
        "Volunteers spoke about the winter rota:\n\n"
        "> Nobody told us the van had been sold, so we kept\n> turning up at the depot every Tuesday.\n\n"
        "The rota was changed in March.\n",
    )

    assert [q.text for q in quotes] == [
        "Nobody told us the van had been sold, so we kept turning up at the depot every Tuesday."
    ]
    assert quotes[0].attribution.code is None
    assert ">" not in text[quotes[0].char_start:quotes[0].char_end]


def test_markdown_blockquote_takes_the_code_on_the_line_below(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "One volunteer described the handover:\n\n"
        "> We wrote everything on the whiteboard and hoped the next shift would read it.\n"
        "\n(Participant 6)\n\nThe board is still there.\n",
    )

    assert [q.attribution.code for q in quotes] == ["Participant 6"]


@pytest.mark.parametrize("between", ["\n>\n", "\n"])
def test_markdown_blockquote_signed_with_a_dash_takes_the_signature(tmp_path: Path, between: str) -> None:
    _, quotes = _markdown(
        tmp_path,
        "A volunteer coordinator looked back on the first year:\n\n"
        "> We recruited forty people and kept about half of them, which everyone said was good."
        f"{between}> — Volunteer coordinator, Hub 2\n\nRetention improved later.\n",
    )

    (quote,) = quotes
    assert quote.text == "We recruited forty people and kept about half of them, which everyone said was good."
    assert quote.attribution.code == "Volunteer coordinator, Hub 2"
    assert quote.attribution.source_kind == "interview"


def test_markdown_blockquote_with_a_signature_below_it(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "One trustee was blunt about the reserves:\n\n"
        "> We spent the rainy-day money in the first dry spell and never rebuilt it.\n"
        "\n— Trustee, Board B\n\nThe reserves policy changed in the spring.\n",
    )

    assert [q.attribution.code for q in quotes] == ["Trustee, Board B"]


def test_markdown_blockquote_with_an_italic_source_line_below_takes_its_speaker(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "### Ada Lowther (b. 1936)\n\n"
        "> We'd had rain all week, that fine rain that doesn't look like anything, and I knew what it meant.\n\n"
        "*Ada Lowther, interviewed by Ruth Dale, 14 March 2019 (HOG/3, 00:06:12)*\n\n"
        "Later in the same recording she talked about the animals.\n",
    )

    assert [q.attribution.code for q in quotes] == ["Ada Lowther"]
    assert "HOG/3" in quotes[0].attribution.facets["provenance"]


def test_markdown_blockquote_without_a_lead_in_in_a_document_quoting_nobody_is_not_a_quotation(
    tmp_path: Path,
) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Background.\n\n> This guide explains how the rota works and who to call when a shift is missed.\n",
    )

    assert quotes == []


def test_emphasis_only_paragraph_after_a_colon_is_a_quotation(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "A driver put the problem plainly:\n\n"
        "*The satnav sends us down the farm track and the van gets stuck every time it rains.*\n\n"
        "Routes were redrawn after that.\n",
    )

    assert [q.text for q in quotes] == [
        "The satnav sends us down the farm track and the van gets stuck every time it rains."
    ]


def test_underscore_emphasis_is_not_part_of_the_quotation(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "A dispatcher added:\n\n_We only hear about a missed drop when the family rings us the next day._\n",
    )

    assert [q.text for q in quotes] == ["We only hear about a missed drop when the family rings us the next day."]


def test_emphasis_only_paragraph_without_a_lead_in_is_not_a_quotation(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Routes were redrawn.\n\n*This section was added to the guide after the spring review of all routes.*\n",
    )

    assert quotes == []


def test_pdf_indented_italic_block_after_a_colon_is_a_quotation(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, [
        "The drivers were asked how the new routes worked", "in practice, and one answer stood out:",
    ])
    runs += prose_lines(100, 112, [
        "We lose an hour at the bridge every morning because", "the lorries block the turning for the school.",
    ], style="italic")
    runs += prose_lines(60, 150, ["The council moved the lorry bay in the autumn and the", "delays stopped."])

    text, quotes = _pdf(tmp_path, runs)

    assert [q.text for q in quotes] == [
        "We lose an hour at the bridge every morning because the lorries block the turning for the school."
    ]
    assert quotes[0].attribution.code is None
    assert text[quotes[0].char_start:quotes[0].char_end].startswith("We lose an hour")


def test_pdf_indented_block_without_a_lead_in_is_not_a_quotation(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The drivers were asked how the new routes worked.", "Most of them answered."])
    runs += prose_lines(100, 112, [
        "The survey ran for six weeks across all of the depots", "and was sent to every driver on the rota.",
    ])

    _, quotes = _pdf(tmp_path, runs)

    assert quotes == []


def test_pdf_indented_block_signed_by_a_label_set_off_below_it_takes_the_label(tmp_path: Path) -> None:
    """No lead-in and no dash: the label set in smaller type to the right of the block signs it."""
    runs = prose_lines(60, 80, ["The drivers were asked how the new routes worked.", "Most of them answered."])
    runs += prose_lines(100, 112, [
        "We lose an hour at the bridge every morning because", "the lorries block the turning for the school.",
    ], style="italic")
    runs += [Run(330, 140, "Driver, North depot", size=8)]
    runs += prose_lines(60, 165, ["The council moved the lorry bay in the autumn and the", "delays stopped."])

    _, quotes = _pdf(tmp_path, runs)

    assert [(q.text[:15], q.attribution.code, q.attribution.source_kind) for q in quotes] == [
        ("We lose an hour", "Driver, North depot", "interview"),
    ]


def test_pdf_pull_quote_in_large_type_signed_by_a_label_below_it_is_a_quotation(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["Mentors met young people every fortnight, even when sessions were cancelled.",
                                "The hubs treated consistency as the heart of the programme."])
    runs += prose_lines(60, 120, ["She is the first adult who ever turned", "up when she said she would."], size=17,
                        leading=21, style="bold")
    runs += [Run(60, 168, "YOUNG PERSON, 17, LEEDS HUB", size=9)]
    runs += prose_lines(60, 190, ["Consistency mattered as much as warmth to the young people we interviewed.",
                                  "Staff described the fortnightly rhythm as a deliberate strategy."])

    _, quotes = _pdf(tmp_path, runs)

    assert [(q.text[:16], q.attribution.code) for q in quotes] == [("She is the first", "YOUNG PERSON, 17, LEEDS HUB")]


def test_pdf_indented_paragraphs_signed_once_below_the_last_are_one_quotation(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The drivers were asked how the new routes worked.", "Most of them answered."])
    runs += prose_lines(100, 112, [
        "We lose an hour at the bridge every morning because", "the lorries block the turning for the school.",
    ], style="italic")
    runs += prose_lines(100, 150, ["So we leave earlier, and the early shift pays nothing extra."], style="italic")
    runs += [Run(330, 172, "D-07, driver, North depot, night shift", size=8)]
    runs += prose_lines(60, 195, ["The council moved the lorry bay in the autumn and the", "delays stopped."])

    _, quotes = _pdf(tmp_path, runs)

    assert [q.attribution.code for q in quotes] == ["D-07"]
    assert quotes[0].text.startswith("We lose an hour") and quotes[0].text.endswith("pays nothing extra.")


def test_pdf_indented_block_runs_on_over_the_last_word_set_apart_below_it(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["Health workers described the tension in their role:"])
    runs += prose_lines(100, 100, [
        "We are told we are volunteers, but the work is full-time. When the stipend is late", "people stop coming "
        "and the supervisor says our numbers are",
    ])
    runs += prose_lines(100, 140, ["low."])
    runs += [Run(330, 160, "— Community health worker, Kembe district", size=8)]
    runs += prose_lines(60, 185, ["District managers generally agreed with this account of", "the stipend."])

    _, quotes = _pdf(tmp_path, runs)

    assert [q.attribution.code for q in quotes] == ["Community health worker, Kembe district"]
    assert quotes[0].text.endswith("our numbers are low.")


def test_pdf_indented_block_ending_in_an_interview_notes_number_is_that_interviewees(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["A mayor in the north described the frustration of keeping", "to the rule:"])
    runs += prose_lines(100, 112, [
        "We kept to the rule and said no to a new sports hall. Next", "door they borrowed and were bailed out.7",
    ])
    runs += prose_lines(60, 150, ["Others argued that the rule itself was poorly designed.", "So did the banks."])
    runs += prose_lines(60, 190, ["7 Interview with mayor of a mid-sized town, 21 March 2023."], size=8)

    _, quotes = _pdf(tmp_path, runs)

    assert [q.attribution.code for q in quotes] == ["mayor of a mid-sized town"]
    assert quotes[0].text.startswith("We kept to the rule") and quotes[0].text.endswith("were bailed out.")


def test_pdf_indented_block_followed_by_a_heading_set_off_alone_is_not_signed(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The drivers were asked how the new routes worked.", "Most of them answered."])
    runs += prose_lines(100, 112, [
        "The survey ran for six weeks across all of the depots", "and was sent to every driver on the rota.",
    ])
    runs += [Run(100, 140, "Results by depot", size=8)]

    _, quotes = _pdf(tmp_path, runs)

    assert quotes == []


@pytest.mark.parametrize(
    ("lead_in", "block"),
    [
        ("The route changes drew on three earlier studies:", [
            "1. Marsh T, Lane B. Rural delivery rounds in winter. Transport Notes. 2011;4:12-19.",
            "2. Hollis R. Depot closures and volunteer drivers. Rural Review. 2015;9:40-52.",
        ]),
        ("Deliveries per depot were as follows:", [
            "North depot 120 140 160 180 2019 2020",
            "South depot 90 110 130 150 2019 2020.",
        ]),
    ],
    ids=["reference list", "table of figures"],
)
def test_pdf_indented_list_or_table_after_a_colon_is_not_a_quotation(
    tmp_path: Path, lead_in: str, block: list[str]
) -> None:
    runs = prose_lines(60, 80, [lead_in]) + prose_lines(100, 100, block)

    _, quotes = _pdf(tmp_path, runs)

    assert quotes == []


def _plain_text(tmp_path: Path, text: str) -> tuple[str, list[Quote]]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return _quotes(load_text(path))


def test_plain_text_indented_block_after_a_colon_is_a_quotation(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "Drivers described the winter timetable:\n\n"
        "    We leave the depot in the dark and come back in the dark,\n"
        "    and nobody at head office has ever done the round.\n\n"
        "The timetable was changed in March.\n",
    )

    assert [q.text for q in quotes] == [
        "We leave the depot in the dark and come back in the dark, and nobody at head office has ever done the round."
    ]


def test_plain_text_indented_block_signed_with_a_dash_needs_no_lead_in(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "Funding was uncertain from one year to the next.\n\n"
        "    Every spring we waited to hear whether the posts would carry on.\n"
        "                                        – Scheme lead, district council\n\n"
        "The posts were made permanent in 2021.\n",
    )

    (quote,) = quotes
    assert quote.text == "Every spring we waited to hear whether the posts would carry on."
    assert quote.attribution.code == "Scheme lead, district council"


def test_plain_text_block_quoted_as_an_email_quotes_it_after_a_lead_in(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "Forwarded by the duty officer, an email from a tenant on Mill Lane:\n\n"
        "> The boiler has been fixed three times now and each time the engineer\n"
        "> says a part is on order. I would rather wait and have it done once.\n\n"
        "We have passed this to the repairs manager.\n",
    )

    assert [q.text for q in quotes] == [
        "The boiler has been fixed three times now and each time the engineer says a part is on order. "
        "I would rather wait and have it done once."
    ]


def test_a_line_of_plain_text_opening_with_a_greater_than_sign_keeps_it(tmp_path: Path) -> None:
    text, _ = _plain_text(tmp_path, "Waiting times fell for most patients.\n> 90% were seen within a week.\n")
    assert "> 90% were seen" in text


def test_plain_text_indented_block_closed_by_a_few_words_describing_the_speaker_is_theirs(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "Families valued the home visits above all else.\n\n"
        "    When the nurse rang me, she asked about my church and my mother.\n"
        "    It made us feel they saw the whole family. (Samoan mother\n"
        "    of four)\n\n"
        "The clinic now phones every family before a first visit.\n",
    )

    (quote,) = quotes
    assert quote.attribution.code == "Samoan mother of four"


def test_plain_text_indented_block_closed_by_a_file_size_has_no_speaker(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "Supplementary material is listed below.\n\n"
        "    Additional file 2: the checklist used at every site visit. (PDF 2311 kb)\n"
        "    Additional file 3: the interview guides for staff. (DOCX 22 kb)\n\n"
        "The files are also held by the study team.\n",
    )

    assert quotes == []


def test_plain_text_indented_block_signed_after_its_last_sentence_with_a_year_of_birth(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "Several narrators remembered their first day in the lofts in detail.\n\n"
        "    My mother took me up on the Monday, and all the women turned round\n"
        "    and looked at me, and that was it, I was in. — Elsie Marr, b. 1938\n\n"
        "Belonging in the lofts was inherited.\n",
    )

    (quote,) = quotes
    assert quote.text.endswith("I was in.") and quote.attribution.code == "Elsie Marr, b. 1938"


def test_plain_text_indented_block_after_a_person_named_in_full_before_a_speech_verb(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "Jack Temple, one of the few men to work in the lofts, described the busiest weeks:\n\n"
        "    You would have a boat come in on the morning tide with her nets torn, and\n"
        "    she had to be away again on the evening tide or they would lose the shoal.\n\n"
        "The season followed the herring.\n",
    )

    (quote,) = quotes
    assert quote.attribution.code == "Jack Temple"


def test_plain_text_paragraph_with_only_its_first_line_indented_is_not_set_off(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "The survey asked drivers about their routes:\n\n"
        "    The survey ran for six weeks across all of the depots and was\n"
        "sent to every driver on the rota, with a reminder after a fortnight.\n",
    )

    assert quotes == []


@pytest.mark.parametrize("heading", ["Summary:", "Key findings:"])
def test_a_block_after_a_run_in_heading_is_not_a_quotation(tmp_path: Path, heading: str) -> None:
    _, quotes = _plain_text(
        tmp_path,
        f"Report on the depots\n\n{heading}\n\n"
        "    This report describes how the winter timetable was drawn up across\n"
        "    the four depots, with interviews of drivers and a survey of managers.\n",
    )

    assert quotes == []


def test_a_block_after_a_short_speech_lead_in_is_a_quotation(tmp_path: Path) -> None:
    _, quotes = _plain_text(
        tmp_path,
        "The depot had changed hands twice. She said:\n\n"
        "    We never knew from one month to the next who we were working for,\n"
        "    and nobody ever came down to the yard to tell us.\n",
    )

    assert len(quotes) == 1


def test_two_paragraphs_of_one_blockquote_closed_by_one_code_are_one_quotation_of_that_respondents(
        tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Drivers were candid about the pressure on the rota:\n\n"
        "> Every week we choose who goes out first, and every week someone waits who should not.\n>\n"
        "> We cannot make more hours in the day, whatever the depot says. (Participant 3)\n\n"
        "Others agreed.\n",
    )
    assert [(q.text[:10], q.text[-10:], q.attribution.code) for q in quotes] == [
        ("Every week", "epot says.", "Participant 3")]


def test_a_short_block_quotation_counts_when_it_is_signed(tmp_path: Path) -> None:
    _, quotes = _markdown(tmp_path, "Peer workers came up often.\n\n> He never judged. He had been there.\n>\n"
                                    "> — Service user, North\n\nStaff agreed.\n")
    assert [(q.text, q.attribution.code) for q in quotes] == [("He never judged. He had been there.",
                                                               "Service user, North")]


def test_signed_blockquotes_show_a_document_quoting_people_so_its_inline_quotations_count(tmp_path: Path) -> None:
    signed = "".join(f"> We heat one room and {n}.\n>\n> — Household {n}\n\n" for n in ("two", "five", "nine"))
    _, quotes = _markdown(
        tmp_path, f"# Findings\n\n{signed}Several called emergency credit “borrowing from yourself at a worse rate” "
                  "in interviews.\n",
    )

    assert quotes[-1].text == "borrowing from yourself at a worse rate"


def test_a_label_of_parts_in_brackets_closing_a_block_signs_it(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Traders raised deliveries.\n\n"
        "> We rely on people stopping on their way through. If they cannot park, they go elsewhere. "
        "(Business owner, Mill Road)\n\nThe council replied.\n",
    )

    assert [(q.text[-13:], q.attribution.code) for q in quotes] == [("go elsewhere.", "Business owner, Mill Road")]


@pytest.mark.parametrize("reference", ["(see Table 2)", "(Figure 3)", "(PDF 2311 kb)"])
def test_a_cross_reference_closing_a_block_signs_nothing(tmp_path: Path, reference: str) -> None:
    _, quotes = _markdown(tmp_path, f"The depot results follow.\n\n> Waiting times fell in every depot over the "
                                    f"winter months of the trial period. {reference}\n\nOthers agreed.\n")

    assert quotes == []


def test_a_label_of_many_parts_in_brackets_below_a_block_signs_it(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Expectations were low at first.\n\n"
        "> I thought it would be another course where you do your CV again in a room.\n\n"
        "> (Participant, aged 45-54, Area D)\n\nCoaches agreed.\n",
    )

    assert [q.attribution.code for q in quotes] == ["Participant, aged 45-54, Area D"]


def test_pdf_pull_quote_in_body_type_signed_in_smaller_type_below_it_is_a_quotation(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The fund changed how grantees worked with each other", "over five years."])
    runs += prose_lines(60, 120, ["You stopped asking us to prove we were worth it, and we",
                                  "started having the time."])
    runs += [Run(60, 150, "Aisha Rahman, Southside Community Pantry", size=8)]
    runs += prose_lines(60, 175, ["Residents joined the grants panel only in the third year", "of the fund."])

    _, quotes = _pdf(tmp_path, runs)

    assert [(q.text[:20], q.attribution.code) for q in quotes] == [
        ("You stopped asking u", "Aisha Rahman, Southside Community Pantry")
    ]


def test_pdf_prose_above_a_credit_in_smaller_type_is_not_signed_by_it(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The fund changed how grantees worked with each other", "over five years."])
    runs += [Run(60, 110, "Photograph by Aisha Rahman, Southside Studio", size=8)]
    runs += prose_lines(60, 135, ["Residents joined the grants panel only in the third year", "of the fund."])

    assert _pdf(tmp_path, runs)[1] == []


def test_a_person_named_in_full_with_a_long_role_below_a_block_signs_it(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Staff were candid about the pace.\n\n"
        "> We had to unlearn the habit of arriving at the first meeting with a plan.\n\n"
        "> Dr Priya Raman, Curator of Social History\n\nThe project ran for two years.\n",
    )

    assert [(q.attribution.code, q.attribution.facets["role"]) for q in quotes] == [
        ("Dr Priya Raman", "Curator of Social History")]


def test_pdf_a_quoted_paragraph_above_a_label_in_smaller_type_is_signed_by_it(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["What residents told us"])
    runs += prose_lines(60, 110, ["“The room is fine, it is clean. But it is an hour and a half",
                                  "from my mum, and she was the only help I had.”"])
    runs += [Run(60, 140, "Parent of three, placed out of borough", size=8)]
    runs += prose_lines(60, 165, ["Schools described the effect of long journeys on attendance", "and wellbeing."])

    _, quotes = _pdf(tmp_path, runs)

    assert [q.attribution.code for q in quotes] == ["Parent of three, placed out of borough"]


def test_a_notes_number_after_a_blocks_last_sentence_is_not_among_its_words(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "The chair of the trust told us:\n\n"
        "> We closed two wards in one winter and the town has not forgiven us for it.14\n\n"
        "14 Oral evidence taken on 3 May.\n",
    )

    assert [q.text for q in quotes] == ["We closed two wards in one winter and the town has not forgiven us for it."]


def test_a_set_off_exchange_gives_each_turn_its_speaker_and_leaves_the_questions_out(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "We asked the group about moving:\n\n"
        "> Peer researcher: What is the hardest thing about moving so often?\n\n"
        "> Tash: Your stuff. I have got bags of it at three different addresses.\n\n"
        "> Dee: For me it is school. I changed college twice because we kept moving.\n\n"
        "> Peer researcher: Did anyone know?\n\n"
        "> Dee: One teacher. She let me charge my phone in her room.\n\n"
        "Both had moved more than twice.\n",
    )

    assert [(q.text[:9], q.attribution.code) for q in quotes] == [
        ("Your stuf", "Tash"), ("For me it", "Dee"), ("One teach", "Dee")]


def test_a_block_of_turns_gives_each_turn_its_speaker_under_the_groups_label(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "The meeting was divided on the causes:\n\n"
        "> Resident A: The kids on the bikes are not criminals, most of them are bored.\n"
        "> Resident B: Bored or not, my mother is scared to walk to the shop.\n>\n"
        "> (Ashby Road community meeting)\n\nFew had heard of the scheme.\n",
    )

    assert [(q.text[:12], q.attribution.code) for q in quotes] == [("The kids on ", "Resident A"),
                                                                   ("Bored or not", "Resident B")]
    assert quotes[0].attribution.raw == "Resident A (Ashby Road community meeting)"


def test_blocks_signed_once_by_a_group_are_each_a_members_quotation(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "At the drop-in, residents told us:\n\n"
        "> The bus is brilliant when it turns up. You just cannot plan your life around it.\n\n"
        "> I book it on Monday for Thursday and still do not know if I will get a seat.\n\n"
        "— Drop-in participants, Upper Wennington\n\nHealth care was harder still.\n",
    )

    assert [q.text[:10] for q in quotes] == ["The bus is", "I book it "]
    assert {q.attribution.code for q in quotes} == {"Drop-in participants, Upper Wennington"}


def test_blocks_signed_once_by_one_member_of_a_group_are_one_quotation(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "One grandmother put it this way:\n\n"
        "> When you are a nan bringing up a seven-year-old, you do not fit anywhere.\n>\n"
        "> Walking into that first group and seeing a room of grandparents changed that for me.\n\n"
        "— Grandmother, focus group 2\n\nThe groups grew.\n",
    )

    assert len(quotes) == 1 and quotes[0].attribution.code == "Grandmother, focus group 2"


def test_a_run_in_heading_opening_a_set_off_block_names_no_speaker(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Residents told us what should change:\n\n"
        "> Recommendation: The council should publish every repair it promises and the date it keeps.\n\n"
        "The council agreed.\n",
    )

    assert quotes and all(q.attribution.code != "Recommendation" for q in quotes)


def test_a_label_that_only_asks_in_a_set_off_exchange_is_the_interviewers(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "The Monday session divided members:\n\n"
        "> JH: You said earlier that some people do not come on Mondays any more. Why is that?\n\n"
        "> Mohinder: When they opened it to everybody, it was polite, but polite is not the same as friends.\n\n"
        "> JH: Do you think that is a problem?\n\n"
        "> Mohinder: No. We are old. We want to sit with people who know the same songs.\n\n"
        "The club kept both sessions.\n",
    )

    assert [q.attribution.code for q in quotes] == ["Mohinder", "Mohinder"]


def test_pdf_numbered_paragraph_ending_in_a_colon_leads_in_to_an_indented_block(tmp_path: Path) -> None:
    runs = [Run(60, 80, "8."), *prose_lines(90, 80, [
        "The tenant rang the office twice in October. Nobody called", "her back, and in November she told us:",
    ])]
    runs += prose_lines(120, 112, [
        "I kept every letter they sent me in a shoebox by the door", "because I knew I would need them one day.",
    ])
    runs += [Run(60, 150, "9."), *prose_lines(90, 150, ["The office closed the case in December."])]

    _, quotes = _pdf(tmp_path, runs)

    assert [q.text for q in quotes] == [
        "I kept every letter they sent me in a shoebox by the door because I knew I would need them one day."
    ]


def test_pdf_numbered_list_item_ending_in_a_colon_does_not_lead_in(tmp_path: Path) -> None:
    runs = [Run(60, 80, "2."), *prose_lines(90, 80, ["Records kept by the office over the year:"])]
    runs += prose_lines(120, 100, [
        "Every call the office took about a repair, with the date", "and the name of the officer who took it.",
    ])

    _, quotes = _pdf(tmp_path, runs)

    assert quotes == []


def test_pdf_block_quotation_a_page_break_cuts_mid_sentence_is_one_quotation(tmp_path: Path) -> None:
    body = ["A line of the report's account of the case, which runs on down the page."] * 40
    first = [*prose_lines(60, 80, body), *prose_lines(60, 80 + 13 * len(body), ["The tenant told us:"])]
    first += prose_lines(100, 100 + 13 * len(body), [
        "I sent the letter three times and every time I rang I was told that",
        "someone would look at it. In the end the school nurse phoned them for me,",
    ])
    second = prose_lines(100, 80, [
        "and that was the first time anyone from the office came to see the room.",
        "By then we had been there nearly three months.",
    ])
    second += prose_lines(60, 120, ["The office accepted the findings in full.", *body[:5]])

    clean = normalise(load_pdf(write_pdf(tmp_path, [first, second])))
    quotes = find_quotes(clean.text, set_off=clean.set_off)

    assert [q.text.split()[:3] for q in quotes] == [["I", "sent", "the"]]
    assert quotes[0].text.endswith("nearly three months.")


def test_blocks_in_person_taking_turns_with_short_labels_are_quotations_signed_by_them(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "In their words\n\n*I only found out he had been to a college open day because I saw the leaflet.*\n\n"
        "Parent\n\n*When it works, it is the best thing we can offer a child, but we need to be told.*\n\n"
        "Pastoral lead, referring school\n\nRecommendations\n",
    )

    assert [(q.text[:14], q.attribution.code) for q in quotes] == [
        ("I only found o", "Parent"), ("When it works,", "Pastoral lead, referring school")]


def test_a_block_in_person_above_a_short_line_on_its_own_is_no_quotation(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Our approach\n\n*We spoke to every school in the county before the programme began in the spring.*\n\n"
        "Recommendations\n\nThe partnership should agree a protocol with schools.\n",
    )

    assert quotes == []


def test_blocks_describing_others_between_short_lines_are_no_quotations(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "*The programme matched young people with mentors from local firms for a school year.*\n\nMentoring\n\n"
        "*The residential took place in the spring, at a centre in the hills north of the town.*\n\nResidentials\n",
    )

    assert quotes == []


def test_pdf_pull_quote_repeating_a_body_quotation_is_not_a_second_quotation(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["Officers described the tension between budgets and the transfer of decisions.",
                                "“We sat in the dark for a week before anyone came.” (P4) The council agreed."])
    runs += [Run(60, 130, "“We sat in the dark for a week before anyone came.”", size=16)]
    runs += prose_lines(60, 170, ["The second section turns to the costs of the scheme, which rose each year."])

    _, quotes = _pdf(tmp_path, runs)

    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("We sat in the dark for a week before anyone came.", "P4")]


def test_markdown_block_wholly_in_single_marks_ends_before_its_closing_mark(tmp_path: Path) -> None:
    _, quotes = _markdown(tmp_path, "One officer put it bluntly:\n\n> ‘You cannot devolve a cut and call it "
                                    "empowerment, whatever the plan says’\n\nThe plan was revised.\n")

    assert [q.text for q in quotes] == ["You cannot devolve a cut and call it empowerment, whatever the plan says"]


def _indented_answer(tmp_path: Path, code: str) -> list[Quote]:
    """A lead-in, then an answer in two paragraphs indented against the body, signed once at its end by
    a code of the document's shape (the quotations after the answer show it); the answer's quotations."""
    runs = prose_lines(60, 80, ["Nurses described a reversal of the usual power dynamic between", "them and patients:"])
    runs += prose_lines(100, 112, ["You are a guest in their house, and that changes everything", "about the visit."])
    runs += prose_lines(100, 144, ["And you see things you would never see on a ward. The empty",
                                   f"fridge, the stairs they cannot manage. {code}"])
    runs += prose_lines(60, 176, ["Carers were part of the monitoring. “We are asking his wife to be",
                                  "the night staff.” [HCP 14, nurse] Nurses valued them. “Nobody has",
                                  "written that down anywhere.” [HCP 3, nurse]"])
    return _pdf(tmp_path, runs)[1][:-2]


def test_paragraphs_of_one_block_signed_once_by_one_speakers_code_are_one_quotation(tmp_path: Path) -> None:
    quotes = _indented_answer(tmp_path, "[HCP 6, nurse]")

    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("You are a guest in their house, and that changes everything about the visit. And you see things you "
         "would never see on a ward. The empty fridge, the stairs they cannot manage.", "HCP 6, nurse")]


def test_paragraphs_of_a_block_signed_once_by_a_group_are_one_quotation_each(tmp_path: Path) -> None:
    quotes = _indented_answer(tmp_path, "[Nurses, focus group 2]")

    assert [q.text[:10] for q in quotes] == ["You are a ", "And you se"]


def test_a_name_in_brackets_ending_a_block_signs_it_where_the_document_gives_that_name(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["Tomasz, who had taken the job as a stopgap, described a shift", "in how he saw it:"])
    runs += prose_lines(100, 112, ["I thought I would do six months and go back to the warehouse,",
                                   "and then I started the calls."])
    runs += prose_lines(100, 144, ["When he died I was surprised how much it hit me. That was when",
                                   "I thought, maybe this is my job now. (Tomasz)"])
    runs += prose_lines(60, 176, ["Pay was a concern for all of the participants in the study,", "as it was."])

    _, quotes = _pdf(tmp_path, runs)

    assert [(q.text[:9], q.text[-12:], q.attribution.code) for q in quotes] == [
        ("I thought", " my job now.", "Tomasz")]


def test_pdf_quotation_cards_side_by_side_are_each_a_quotation_signed_by_its_label(tmp_path: Path) -> None:
    # The prose around the cards spans the page, so the page has no gutter: the cards line up as a
    # table's columns would.
    prose = [f"Paragraph line {word} of the findings on the befriending element of the programme." for word in
             ("one", "two", "three", "four", "five", "six", "seven", "eight")]
    runs = prose_lines(60, 10, prose)
    runs += [Run(74, 120, "“", size=30), Run(300, 120, "“", size=30)]
    runs += prose_lines(74, 150, ["I didn’t want a stranger in the", "house. Now I don’t want her to",
                                  "leave, and I tell her so."], size=11)
    runs += prose_lines(300, 150, ["It’s the first time anyone asked", "me what I wanted to be able to",
                                   "do, not what I couldn’t do."], size=11)
    runs += [Run(74, 200, "Participant, aged 80–84", size=8), Run(300, 215, "Participant, aged 75–79", size=8)]
    runs += prose_lines(60, 250, ["Volunteer recruitment was slower than planned in the first year of the scheme."])

    _, quotes = _pdf(tmp_path, runs)

    assert [(q.text[:16], q.attribution.code) for q in quotes] == [
        ("I didn’t want a ", "Participant, aged 80–84"), ("It’s the first t", "Participant, aged 75–79")]


def test_pdf_table_of_short_labels_beside_quotations_is_no_row_of_cards(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["Staff described the pressure of the winter in similar terms to the patients."])
    rows = [(110, "Nurse", ["“We covered nights and days in the same week,", "and nobody noticed.”"]),
            (140, "Porter", ["“The lifts were out for a month and we carried", "everything up by hand.”"]),
            (170, "Cleaner", ["“We did the wards twice a day all winter, and", "nobody thanked us.”"])]
    for top, label, words in rows:
        runs += [Run(60, top, label, size=9), *prose_lines(170, top, words, size=9, leading=11)]

    text, _ = _pdf(tmp_path, runs)

    assert "Nurse\t“We covered nights" in text


def test_a_block_a_break_cuts_mid_sentence_under_a_groups_signature_is_one_quotation(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Residents valued the new trees:\n\n"
        "> That summer was unbearable in the flats. The only place you could breathe was under the trees by the\n\n"
        "> school, and you would see the mums sat there with the prams. I had never seen that on our road.\n>\n"
        "> — Focus group 5, Site B\n\nOthers were less sure.\n",
    )

    assert [(q.text[-18:], q.attribution.code) for q in quotes] == [(" that on our road.", "Focus group 5, Site B")]


def test_markdown_blockquotes_signed_once_below_the_last_are_each_a_quotation_of_that_speaker(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Renters hunted through their phones for proof of the state of the flat.\n\n"
        "> I had photos, but they were of my cat, with the carpet behind her.\n\n"
        "> The inventory was forty pages and I had never seen it before.\n\n"
        "> They had a professional report. I had my phone and a feeling.\n>\n> — P12, private renter\n\n"
        "Landlords saw it from the other side.\n",
    )

    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("I had photos, but they were of my cat, with the carpet behind her.", "P12"),
        ("The inventory was forty pages and I had never seen it before.", "P12"),
        ("They had a professional report. I had my phone and a feeling.", "P12")]


def test_a_signature_with_a_long_record_of_the_recording_names_the_speaker_and_keeps_the_record_apart(
        tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "Eleanor Wiebe still lives within sight of the old elevators.\n\n"
        "> When you came home from the city you would watch for them. Then you knew you were home.\n"
        "> — Eleanor Wiebe, Corlis, interviewed by Lorna Friesen, July 9, 2019 [00:12:40]\n\n"
        "Not everyone was nostalgic.\n",
    )

    (quote,) = quotes
    assert quote.attribution.code == "Eleanor Wiebe"
    assert quote.attribution.facets["provenance"] == "interviewed by Lorna Friesen, July 9, 2019, 00:12:40"


def test_turns_labelled_by_pseudonyms_with_ages_in_a_blockquote_are_each_speakers(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "The following exchange is typical:\n\n"
        "> **Jade (15):** There is nowhere else to go that is warm and you do not have to buy anything.\n>\n"
        "> **Ryan (14):** And the computers. My mum has not got the internet.\n>\n"
        "> **Jade (15):** Nobody's mum has got the internet.\n\nThe group moved on.\n",
    )

    assert [(q.attribution.code, q.attribution.raw) for q in quotes] == [
        ("Jade", "Jade (15)"), ("Ryan", "Ryan (14)"), ("Jade", "Jade (15)")]


COMMITTEE_EVIDENCE = (
    "4.    The Committee took oral evidence from operators, councils and passengers,\n"
    "      and received some forty written memoranda.\n\n"
    "5.    The shape of the network has changed since the Act, and most witnesses\n"
    "      agreed that the villages off the main corridors have fared worst.\n\n"
    "6.    Mr Graham Stott, Managing Director of Fellside Motor Services, did not dispute\n"
    "      this but rejected the implication that operators had behaved\n"
    "      irresponsibly:\n\n"
    "            We run a business, not a social service. If a route\n"
    "            covers its costs we will run it, and we will run it well.\n\n"
    "                                                   (Q 96)\n\n"
    "7.    Several witnesses described tendering in unflattering terms. Mr Desmond\n"
    "      Kyle, for the Association, called it a lottery. Pressed by us, he accepted\n"
    "      that many contracts were well run, but went on:\n\n"
    "            The difficulty is that a contract is let for three years\n"
    "            by an officer who may never have travelled on the route.\n\n"
    "            But where a district and a county sit down together, you\n"
    "            can get a very good service for not much money.\n\n"
    "                                                   (Q 143)\n\n"
    "8.    The exchange below illustrates the position of those without a car:\n\n"
    "            (Chairman) So when does the last bus back from Kirkby\n"
    "            leave, in practical terms?\n\n"
    "            (Mrs Dunmore) Ten past five on a weekday, and there is\n"
    "            nothing at all on a Sunday.\n\n"
    "9.    We return to this below, and to the question of information, in the\n"
    "      next part of this Report.\n"
)


def test_a_block_signed_only_by_a_question_in_the_record_is_the_person_handing_over_to_it(tmp_path: Path) -> None:
    _, quotes = _plain_text(tmp_path, COMMITTEE_EVIDENCE)
    assert (quotes[0].attribution.code, quotes[0].attribution.facets["provenance"]) == ("Mr Graham Stott", "Q 96")


def test_blocks_after_a_pronoun_speaking_are_the_one_person_the_paragraph_names(tmp_path: Path) -> None:
    _, quotes = _plain_text(tmp_path, COMMITTEE_EVIDENCE)
    assert [(q.text[:14], q.text[-6:], q.attribution.code) for q in quotes[1:2]] == [
        ("The difficulty", "money.", "Mr Desmond Kyle")]


def test_turns_opening_with_a_bracketed_name_are_its_speakers_and_the_chair_asks(tmp_path: Path) -> None:
    _, quotes = _plain_text(tmp_path, COMMITTEE_EVIDENCE)
    assert [(q.text[:14], q.attribution.code) for q in quotes[2:]] == [("Ten past five ", "Mrs Dunmore")]


def test_a_lead_in_whose_colon_carries_a_notes_call_hands_over_to_the_block(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "2.1 Witnesses agreed the expansion was real. Ms Gráinne Ní Fhloinn, Chief Executive Officer of Rural "
        "Access Ireland, told the Committee that the headline figures concealed significant gaps:1\n\n"
        "> We welcome every new route. But the places that had nothing in 2019 largely still have nothing.\n\n"
        "2.2 The Committee agrees.\n",
    )
    assert [q.attribution.code for q in quotes] == ["Ms Gráinne Ní Fhloinn"]


NARRATED = (
    "Starting work\n\n"
    "Most of the narrators went into the mill at fourteen, as their parents had.\n\n"
    "EDITH MARSDEN\n\n"
    "born 1921; winder, Holme Bridge Mill, 1935–1970; recorded by the group in May 2003\n\n"
    "    I finished school on the Friday and I was in the mill on the Monday. There was\n"
    "    no talk of anything else in our house.\n\n"
    "    They put me with an older woman to learn, and she was very good to me. She\n"
    "    showed me how to tie a weaver's knot.\n\n"
    "The mill closed in 1970.\n"
)


def test_a_block_under_a_narrators_name_heading_and_headnote_is_one_quotation_of_theirs(tmp_path: Path) -> None:
    _, quotes = _plain_text(tmp_path, NARRATED)

    assert [(q.text[:28], q.text[-25:], q.attribution.code) for q in quotes] == [
        ("I finished school on the Fri", "w to tie a weaver's knot.", "Edith Marsden")]


def test_a_block_under_a_heading_in_capitals_with_no_headnote_that_names_no_one_is_no_quotation(
        tmp_path: Path) -> None:
    text = NARRATED.replace("EDITH MARSDEN", "WORKING LIVES").replace(
        "born 1921; winder, Holme Bridge Mill, 1935–1970; recorded by the group in May 2003\n\n", "")

    _, quotes = _plain_text(tmp_path, text)

    assert quotes == []


def test_a_name_heading_without_a_headnote_names_the_narrator_the_prose_names(tmp_path: Path) -> None:
    text = NARRATED.replace("as their parents had.", "as Edith Marsden's parents had.").replace(
        "born 1921; winder, Holme Bridge Mill, 1935–1970; recorded by the group in May 2003\n\n", "")

    _, quotes = _plain_text(tmp_path, text)

    assert [q.attribution.code for q in quotes] == ["Edith Marsden"]


def test_a_signature_set_off_like_the_blocks_signs_the_one_above_and_joins_none_below(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["We close with a few short extracts from the last weeks of the mill."])
    top = 110
    for words, name in [("They told us on a Thursday. A man came from head office and read it out.", "— Jack Turner"),
                        ("I was fifty. Who was going to take on a weaver of fifty, with no mill left?",
                         "— Ada Bright")]:
        runs += [*prose_lines(100, top, [words, "That was the end of it."], style="italic"),
                 Run(330, top + 28, name, size=9.6, style="italic")]
        top += 50
    runs += prose_lines(60, top, ["The mill was pulled down within the year, and the site is now houses."])

    _, quotes = _pdf(tmp_path, runs)

    assert [(q.text[:12], q.attribution.code) for q in quotes] == [("They told us", "Jack Turner"),
                                                                   ("I was fifty.", "Ada Bright")]


def test_extracts_further_into_a_narrators_section_signed_by_a_place_in_the_recording_are_theirs(
        tmp_path: Path) -> None:
    text = NARRATED.replace("The mill closed in 1970.\n", (
        "Edith went back to the mill after her children were at school, and stayed until it closed.\n\n"
        "    When it shut they gave us a week's notice and a tea in the canteen. I\n"
        "    still have the cup they gave me.\n\n"
        "    [HBM/OH/04, 00:41:10]\n\n"
        "The mill closed in 1970.\n"))

    _, quotes = _plain_text(tmp_path, text)

    assert [(q.text[:14], q.attribution.code, q.attribution.facets.get("provenance")) for q in quotes][-1] == (
        "When it shut t", "Edith Marsden", "HBM/OH/04, 00:41:10")


def test_a_numbered_extract_whose_headnote_opens_with_a_name_and_dates_is_that_narrators(tmp_path: Path) -> None:
    paragraph = ("Everybody knew the rota, and nobody ever missed a Tuesday if they could help it, not even in "
                 "the snow, because we knew they would be sat waiting for us by the window all afternoon.")
    prose = ("The scheme began in a church hall with a kettle and a list of names, and for its first ten years it "
             "was run by whoever happened to be on the church council that year, with no money of its own.\n\n")
    text = ("Beginnings\n\n" + prose * 3
            + "Extract 3\nRuth Ellery (b. 1944), volunteer driver 1981-2009. Recorded 4 June 2021. TS/OH/03.\n\n"
            + f"\t{paragraph}\n\n\t{paragraph}\n\n" + prose * 3)

    _, quotes = _plain_text(tmp_path, text)

    assert [(q.text[:20], q.attribution.code) for q in quotes] == [("Everybody knew the r", "Ruth Ellery")]


def test_blockquotes_signed_with_parts_between_middle_dots_are_each_that_reviewers(tmp_path: Path) -> None:
    _, quotes = _markdown(
        tmp_path,
        "The biggest theme was loss.\n\n"
        "> Used this app for four years, every single run. Now my plan is locked behind a subscription.\n>\n"
        "> — U-0217 · ★☆☆☆☆ · Play Store · v5.0.2\n\n"
        "> I would happily have paid for new things but paying for the old ones feels like being mugged\n>\n"
        "> — U-1042 · ★★☆☆☆ · App Store · v5.0.3\n\n"
        "Most reviews were specific about what had been lost.\n",
    )

    assert [(q.text.split()[-1], q.attribution.code) for q in quotes] == [("subscription.", "U-0217"),
                                                                          ("mugged", "U-1042")]


def test_a_long_note_on_the_narrator_between_heading_and_extract_leaves_the_extract_theirs(tmp_path: Path) -> None:
    note = " ".join(["Edith went back to the mill after her children were at school, and stayed on."] * 60)
    text = NARRATED.replace("The mill closed in 1970.\n", (
        f"{note}\n\n"
        "    When it shut they gave us a week's notice and a tea in the canteen. I\n"
        "    still have the cup they gave me.\n\n"
        "    [HBM/OH/04, 00:41:10]\n\n"
        "The mill closed in 1970.\n"))

    _, quotes = _plain_text(tmp_path, text)

    assert quotes[-1].attribution.code == "Edith Marsden"
