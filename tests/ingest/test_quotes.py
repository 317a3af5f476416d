"""The quotation finder: hand-written fixtures for each convention and trap, then the annotated corpus."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.clean import normalise
from ingest.quotes import find_quotes
from ingest.records import LayoutMark, Quote
from ingest.text_loader import load_text
from queries.evaluation.quotations import load_annotations, score_quotes
from tests.conftest import SHARED

ANNOTATED = ["000_b33752787a24be7e.txt", "004_797817d61329c19d.txt"]


def collapse(text: str) -> str:
    return " ".join(text.split())


def assert_provenance(text: str, quotes: list[Quote]) -> None:
    for quote in quotes:
        assert quote.text in collapse(text[quote.char_start:quote.char_end])


def only(text: str) -> Quote:
    quotes = find_quotes(text)
    assert len(quotes) == 1, [q.text for q in quotes]
    assert_provenance(text, quotes)
    return quotes[0]


def after_coded_quotations(text: str, prefix: str = "QZ") -> str:
    """`text` after three quotations coded `{prefix}N`, so the document is seen to quote people with
    codes of that shape, as a real report does many times before any one convention."""
    coded = [("We lose a morning every week to the paperwork.", 3),
             ("Nobody reads the forms once they are filed away.", 9),
             ("The van is late on Mondays and nobody knows why.", 5)]
    return "".join(f"“{words}” ({prefix}{number})\n\n" for words, number in coded) + text


# --- stand-alone and inline quotations ------------------------------------------------------------


def test_inline_quotation_with_a_code() -> None:
    text = (
        "There was no defined structure. As one service commissioner said: "
        "'Within the Vanguard we were like our own little bubble'. (P3S1R03)\n\nNext paragraph."
    )
    quote = only(text)
    assert quote.text == "Within the Vanguard we were like our own little bubble"
    assert quote.inline and quote.attribution.code == "P3S1R03"
    assert quote.lead_in_role == "service commissioner"
    assert text[quote.char_start - 1] == "'" and text[quote.char_end] == "'"


def test_block_quotation_after_a_lead_in_without_quotation_marks() -> None:
    text = (
        "Leaders were designated, as this service commissioner said:\n\n"
        "We're working with networks through their clinical leadership. We're working with boroughs "
        "too. (P3S3R01)\n\nStakeholder involvement"
    )
    quote = only(text)
    assert quote.text.startswith("We're working with networks") and quote.text.endswith("boroughs too.")
    assert not quote.inline and quote.lead_in_role == "service commissioner"


def test_block_quotation_with_the_code_on_its_own_line() -> None:
    text = (
        "Pressure for quick results was a major complaint:\n\n"
        "There's been a lot of pressure from NHS England for certain things to be done on\n"
        "frameworks and time series, so that can be quite difficult.\n"
        "(EHCH, Senior Manager 14, CCG)\n\nOf particular concern was the pace."
    )
    quote = only(text)
    assert quote.text.endswith("quite difficult.")
    assert quote.attribution.code == "EHCH-Senior Manager 14, CCG"


def test_block_quotation_without_a_lead_in_ends_with_a_code() -> None:
    text = (
        "Hospital trusts competed and at times harboured suspicion and mistrust.\n\n"
        "Then, there needs to be a bit of a behavioural shift. Generally, it can be quite parochial. "
        "(ACC-Senior Manager 1, CCG)\n\nIt had been harder convincing partners."
    )
    quote = only(text)
    assert quote.text.startswith("Then, there needs") and quote.lead_in_role is None


def test_curly_quotation_marks_and_an_attribution_after_the_full_stop() -> None:
    text = "Relationships helped:\n\n“It was a bit of a dream come true really”. (P3S5R04).\n\nIn addition."
    quote = only(text)
    assert quote.text == "It was a bit of a dream come true really"


def test_guillemets_mark_a_quotation_and_its_words_are_as_printed() -> None:
    text = ("Officers doubted the registers: « The lists are written once and never read again, "
            "so the « audit » is a formality » (KI-04).\n\nThe next section turns to costs.")
    quote = only(text)
    assert quote.text == "The lists are written once and never read again, so the « audit » is a formality"
    assert text[quote.char_start:quote.char_end] == quote.text
    assert quote.attribution.code == "KI-04"


def test_a_stand_alone_quotation_in_guillemets_signed_below() -> None:
    text = ("Managers spoke of their standing.\n\n«We are the ones people see at the market, so when the "
            "money is late it is our name they remember.»\n– Mutual manager, North district\n\nTrust varied.")
    quote = only(text)
    assert quote.text.startswith("We are the ones") and quote.text.endswith("they remember.")
    assert quote.attribution.code == "Mutual manager, North district"


def test_quotation_running_across_a_page_break() -> None:
    text = (
        "As this service commissioner said:\n\n"
        "We're working with boroughs through the enhanced health in care homes programme\n\n"
        "approach, with the managerial and operational leads. (P3S3R01)\n\nNext."
    )
    quote = only(text)
    assert quote.text == (
        "We're working with boroughs through the enhanced health in care homes programme "
        "approach, with the managerial and operational leads."
    )


def test_a_marked_quotation_whose_sentence_ends_at_a_page_break_runs_on_to_its_closing_mark() -> None:
    text = (
        "One tenant described the winter: “We waited in the cold. We rang the office every morning.\n\n"
        "Nobody ever came out to look at the boiler.” [T04]\n\nRepairs were slow."
    )
    quote = only(text)
    assert quote.text == ("We waited in the cold. We rang the office every morning. "
                          "Nobody ever came out to look at the boiler.")
    assert quote.attribution.code == "T04"


def test_a_caption_naming_the_extract_and_its_group_is_no_quotation() -> None:
    text = ("Members liked it “like a proper shop, with a basket and everything” (Gail, FG3, member). "
            "Others called it “not charity, just cheaper in the end” (Sam, FG4, member).\n\n"
            "The first group was asked what made the pantry different:\n\nExtract 1 (FG1, volunteers)\n\n"
            "Facilitator: What makes it different?\n\nDenise: You pay. It is only a few pounds but you pay.\n\n"
            "The second group agreed.")
    assert all(not q.text.startswith("Extract") for q in find_quotes(text))


def test_nested_quotation_stays_inside_its_parent() -> None:
    text = (
        "Initiatives were terminated, as highlighted by this service commissioner:\n\n"
        "When you do a pilot and they pull it, that dampens enthusiasm. So the GPs then [said]: "
        "'Why should I put in my time?' Whenever I tried something else [GPs said]: 'How long will "
        "this funding last for?' (P3S5R04)\n\nAdditional funding."
    )
    quote = only(text)
    assert quote.text.startswith("When you do a pilot") and quote.text.endswith("last for?")
    assert not quote.inline


def test_two_quotations_back_to_back() -> None:
    text = (
        "Staff turnover was disruptive:\n\n"
        "\"We've had a good relationship with the care team, but people are changing\" (P3S1R04)\n"
        "\"what's really interesting is that there has been a change of manager and it fizzled out\" (P3S3R03)"
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["P3S1R04", "P3S3R03"]
    assert quotes[1].text.startswith("what's really interesting")
    assert_provenance(text, quotes)


def test_two_inline_quotations_in_one_sentence() -> None:
    text = (
        "Views differed: one manager found it 'a real step forward for the whole area' (R3) while "
        "another thought 'it was money wasted on consultants' (R7).\n"
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("a real step forward for the whole area", "R3"),
        ("it was money wasted on consultants", "R7"),
    ]
    assert all(q.inline for q in quotes)


def test_quotation_missing_its_opening_mark() -> None:
    text = (
        "Some organisations were less engaged:\n\n"
        "We've had a good relationship with our local care team. [It is] challenging now as the CCGs "
        "merged\" (P3S1R04)\n\nNext."
    )
    quote = only(text)
    assert quote.text.startswith("We've had a good relationship") and quote.text.endswith("merged")


# --- attribution conventions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribution", "code"),
    [
        ("(ID 027)", "ID027"),
        ("[ID 001].", "ID001"),
        ("(Participant 12, nurse)", "Participant 12"),
        ("[FG2, R4]", "FG2-R4"),
        ("(Respondent 3)", "Respondent 3"),
        ("(Int 5)", "Interview 5"),
        ("(GP, site A)", "GP, site A"),
        ("— Interviewee 7, commissioner", "Interviewee 7"),
    ],
)
def test_block_quotations_with_other_conventions(attribution: str, code: str) -> None:
    text = (
        f"Workload grew, as one nurse explained:\n\n\"We were doing two jobs at once and nobody noticed "
        f"until people started leaving.\" {attribution}\n\nThe next theme."
    )
    quote = only(text)
    assert quote.attribution.code == code
    assert quote.text == "We were doing two jobs at once and nobody noticed until people started leaving."


def test_unrecognised_short_label_after_a_lead_in_is_kept_raw() -> None:
    text = (
        "The pressure was felt by front-line staff, as this manager said:\n\n"
        "Nobody asked us what we needed, they just sent another form to fill in. (Care home manager)"
        "\n\nNext."
    )
    quote = only(text)
    assert (quote.attribution.scheme, quote.attribution.code) == ("raw", "Care home manager")
    assert quote.attribution.source_kind == "other"


def test_bare_code_after_closing_marks() -> None:
    text = (
        "Funding goes to networks:\n\n“we’ve had to apply for funding for IT support roles, and it needs "
        "to be resourced” P3S3R03\n\nA disconnect."
    )
    assert only(text).attribution.code == "P3S3R03"


def test_attribution_before_the_quotation() -> None:
    text = "Interviewee 4: We had no say in the design and it showed in the results.\n\nNext paragraph."
    quote = only(text)
    assert quote.attribution.code == "Interviewee 4"
    assert quote.text == "We had no say in the design and it showed in the results."


# --- document quotations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "One goal was to 'identify the most promising models that can be spread elsewhere'.¹⁷(p20) However,",
        "The plan noted that 'the model will be rolled out over the coming decade'.²⁰ (pp15-16)",
        "Services should offer 'new shared models of in-reach support'.^{17(p24)} A framework",
        "It was 'a national programme of standard products for spread' (NHS England, 2015b p4).",
        "The strategy says “there are opportunities to streamline support” "
        "(Site 4 Joint Care Homes Strategy 2020-25 p11)",
        "Spread is 'a series of interlinked and overlapping processes' [Nolte 2018 p9].",
    ],
)
def test_cited_document_quotations(sentence: str) -> None:
    quote = only(sentence + "\n")
    assert quote.attribution.source_kind == "document" and quote.attribution.code is None
    assert quote.inline


def test_citation_before_the_quotation() -> None:
    text = (
        "For example, the care home vanguard\n\n(Vestesson, Lloyd et al. 2019 p4) 'identified six "
        "overarching areas that they were hoping to impact'. Under the new service, the approach changed."
    )
    quote = only(text)
    assert quote.text == "identified six overarching areas that they were hoping to impact"
    assert quote.attribution.source_kind == "document"


def test_stand_alone_cited_passage_after_a_lead_in() -> None:
    text = (
        "This is difficult, for a number of reasons:\n\n"
        "For one, the introduction of novel structures is not a one-off event. It comprises a series of "
        "processes.\n[Nolte 2018 p9]\n\nDrawing upon this work."
    )
    quote = only(text)
    assert quote.text.startswith("For one") and quote.attribution.source_kind == "document"


# --- traps: not quotations ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The initiative known as the 'red bag' spread widely (see Adaptation).\n",
        "Its 'light touch' review asked what worked. The 'Vanguard' sites were pilots.\n",
        "Prominent amongst these is Rogers' 'Diffusion of Innovation',¹³ which identifies four elements.\n",
        "Despite the emphasis on 'local flexibility'¹⁰ to support implementation, sites struggled.\n",
        "Care home staff were also affected, with rates of infection high (Ladhani, Chow et al. 2020).\n",
        "Every home has a named clinical lead and a Structured Medication Review (SMR)\n",
        "Funding was available to Primary Care Networks (PCNs).\n\nNext.",
        "A county-wide 'Older People's Nursing and Residential Care Service Specification' (Dec 19) was "
        "developed at the ICS level.\n",
    ],
)
def test_scare_quotes_and_plain_citations_are_not_quotations(text: str) -> None:
    assert find_quotes(text) == []


def test_example_codes_in_a_methods_section_are_not_quotations() -> None:
    text = (
        "Lists of codes follow:\n\n"
        "To preserve anonymity, unique identification codes are used. For phase 1, the phase (P) and "
        "respondent (R) only are given (e.g. P1R11). For phases 2 and 3, the site (S) is also given "
        "(e.g. P2S6R05).\n\n"
        "Interviewees for this phase will be referred to as P3N and respondent number e.g. P3NR01 "
        "(Phase 3, national level, respondent 1).\n\nResults"
    )
    assert find_quotes(text) == []


def test_unattributed_paragraph_after_a_lead_in_is_not_a_quotation() -> None:
    text = "The components are set out below:\n\nEvery care home is aligned to a named network.\n\nNext."
    assert find_quotes(text) == []


# --- independence from line breaks ----------------------------------------------------------------

_REFLOW_FIXTURE = (
    "Relationships mattered, as this local system leader said:\n\n"
    "I think the thing about the legacy was really about relationships. So [the site] had all the right "
    "staff and it had really good relationships. It's all about the continuity of the individuals. "
    "(P3S3R01)\n\nThe experience also created a desire for change. As one GP explained: 'We are used to "
    "doing transformation quickly and being quite innovative'. (P3S5R03) The rest followed."
)


def reflow(text: str, width: int) -> str:
    """Wrap every paragraph's lines at `width`, as a PDF loader may."""
    paragraphs = text.split("\n\n")
    wrapped = []
    for paragraph in paragraphs:
        words, lines, line = paragraph.split(), [], ""
        for word in words:
            if line and len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
        wrapped.append("\n".join(lines))
    return "\n\n".join(wrapped)


@pytest.mark.parametrize("width", [40, 61, 90, 10_000])
def test_line_breaks_do_not_change_what_is_found(width: int) -> None:
    expected = [(q.text, q.attribution.code, q.inline) for q in find_quotes(_REFLOW_FIXTURE)]
    reflowed = reflow(_REFLOW_FIXTURE, width)
    quotes = find_quotes(reflowed)
    assert [(q.text, q.attribution.code, q.inline) for q in quotes] == expected
    assert len(expected) == 2
    assert_provenance(reflowed, quotes)


def test_lead_in_joined_to_the_quotation_on_one_line() -> None:
    text = "As this service commissioner said:\nIt suffered from the reduction in seed funding. (P3S4R02)\n"
    quote = only(text)
    assert quote.text == "It suffered from the reduction in seed funding." and not quote.inline


def test_ordinals_follow_reading_order() -> None:
    quotes = find_quotes(_REFLOW_FIXTURE)
    assert [q.ordinal for q in quotes] == [1, 2]
    assert quotes[0].char_start < quotes[1].char_start


# --- the annotated corpus -------------------------------------------------------------------------


def corpus_text(name: str) -> str:
    path = SHARED / "corpus" / "text" / name
    if not path.exists():
        pytest.skip(f"the corpus is not at {path.parent}; clone ../shared beside the repository")
    return normalise(load_text(path)).text


@pytest.mark.corpus
@pytest.mark.parametrize("name", ANNOTATED)
def test_annotated_documents_meet_the_quality_bar(name: str) -> None:
    text = corpus_text(name)
    scores = score_quotes(find_quotes(text), load_annotations(SHARED / "eval" / f"quotes_{name}.jsonl"), text)
    assert scores.recall >= 0.95
    assert scores.precision >= 0.90
    assert scores.respondent_accuracy >= 0.97
    assert scores.source_kind_accuracy >= 0.97


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name", ["000_b33752787a24be7e.txt", "001_2ba9a7a7ff76eece.txt", "003_8c976046bbdf297b.txt",
             "004_797817d61329c19d.txt"],
)
def test_every_quotation_is_found_where_its_offsets_point(name: str) -> None:
    text = corpus_text(name)
    assert_provenance(text, find_quotes(text))


@pytest.mark.corpus
def test_methods_section_codes_are_not_quoted_in_the_report() -> None:
    quotes = find_quotes(corpus_text("001_2ba9a7a7ff76eece.txt"))
    assert any(quote.attribution and quote.attribution.code for quote in quotes)
    assert not any(re.search(r"\be\.g\.", quote.text) for quote in quotes)


_pieces = st.sampled_from(
    ["'", "\"", "“", "”", "‘", "’", "(P3S1R03)", "(Smith 2019 p4)", "(Care manager)", "¹⁷(p20)", ":", ".", "\n",
     "\n\n", " ", "said", "as this GP said:", "we were", "Interviewee 4:", "[ID 001]", "— R12", "e.g."]
)


@given(st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=60).map("".join))
def test_finder_never_raises_and_offsets_always_hold(text: str) -> None:
    quotes = find_quotes(text)
    assert_provenance(text, quotes)
    assert all(0 <= q.char_start < q.char_end <= len(text) for q in quotes)


# --- conventions learned from the document ---------------------------------------------------------


def test_a_paragraph_ending_in_the_document_code_without_a_full_stop_is_a_quotation() -> None:
    text = (
        "Tenants described the repairs backlog:\n\n"
        "“The boiler went in March and nobody came until June.” (Block F, Tenant 2)\n\n"
        "Waiting was common.\n\n"
        "I rang every week and they kept saying it was booked in (Block D, Tenant 9)\n\n"
        "Later sections turn to rents."
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["Block F, Tenant 2", "Block D, Tenant 9"]
    assert quotes[1].text.startswith("I rang every week")


def test_speaker_turns_closed_by_one_group_attribution_name_each_speaker() -> None:
    text = (
        "The drivers argued about the timetable:\n\n"
        "Driver 1: “The early run is never on time.”\n\n"
        "Driver 2: “That is because the depot opens late.”\n\n"
        "(Depot K)\n\n"
        "Elsewhere the picture differed.\n\n"
        "“We start at six and nobody is late.” (Depot M)"
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["Depot K, Driver 1", "Depot K, Driver 2", "Depot M"]
    assert quotes[0].text == "The early run is never on time."


def test_a_list_of_quoted_items_closed_by_one_label_gives_each_item_that_label() -> None:
    text = (
        "We asked riders for one change. Answers included:\n\n"
        "- “A bus that turns up when the board says it will.”\n"
        "- “Shelters that keep the rain off, not just the sun,\n  on the hill stops.”\n\n"
        "(Focus group 3, riders over 70)\n\n"
        "These echo the survey."
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["A bus that turns up when the board says it will.",
                                        "Shelters that keep the rain off, not just the sun, on the hill stops."]
    assert {q.attribution.code for q in quotes} == {"Focus group 3, riders over 70"}


def test_a_code_alone_above_a_paragraph_of_quoted_passages_attributes_each_passage() -> None:
    text = (
        "One manager listed the savings:\n\n"
        "Participant 4:\n\n"
        "“The minibus went first.” “Then the clubs we paid for went too.”\n\n"
        "Others agreed."
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["The minibus went first.", "Then the clubs we paid for went too."]
    assert {q.attribution.code for q in quotes} == {"Participant 4"}


def test_a_sentence_ending_in_a_colon_does_not_take_a_quotation_attributed_below() -> None:
    text = (
        "Participants in both groups raised transport:\n\n"
        "“The bus only comes twice a day, so you are stuck.” (FG1, female, 70s)\n\n"
        "“My son drives me but he loses a day of pay.” (FG2, male, 80s)"
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["FG1, female, 70s", "FG2, male, 80s"]


def test_a_quotation_opened_in_its_first_paragraph_and_closed_in_its_last_is_one_quotation() -> None:
    text = (
        "Officers saw themselves as go-betweens.\n\n"
        "“Our job became translation. The centre writes in one language and the firms speak another.\n\n"
        "Nobody designed it to be confusing. It just grew that way.”\n\n"
        "— Council officer, LA02\n\n"
        "Some kept their own spreadsheets."
    )
    quote = only(text)
    assert quote.text.startswith("Our job became translation.") and quote.text.endswith("It just grew that way.")
    assert (quote.attribution.code, quote.attribution.raw) == ("LA02", "— Council officer, LA02")


def test_a_paragraph_quoting_in_between_stops_the_search_for_an_earlier_opening() -> None:
    text = (
        "“Our job became translation, as the centre never explained its forms to anyone\n\n"
        "The firms called it “the portal”, which says a lot.\n\n"
        "Nobody designed it to be confusing. It just grew that way.”\n\n"
        "— Council officer, LA02\n\n"
        "Some kept their own spreadsheets."
    )
    quote = find_quotes(text)[-1]
    assert quote.text == "Nobody designed it to be confusing. It just grew that way."


def test_an_unmarked_turn_runs_on_over_the_paragraphs_that_continue_it() -> None:
    text = (
        "The group talked about the first day.\n\n"
        "FG2-P1: I sat in the staff room for two hours until someone\n\n"
        "found the email with my name on it.\n\n"
        "FG2-P5: Mine knew I was coming and had a locker ready.\n\n"
        "Mentors made the difference."
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == [
        "I sat in the staff room for two hours until someone found the email with my name on it.",
        "Mine knew I was coming and had a locker ready.",
    ]


def test_turns_joined_on_one_line_are_each_their_speakers() -> None:
    text = (
        "Some stayed on: “They kept me after the twelve weeks.” (P7) Others did not: “Nobody asked.” (P9)\n\n"
        "A second group reflected on the end of placements.\n\n"
        "P1: The placement ends on a Friday and on Monday you are back in bed. P3: They should keep the "
        "mentoring going. P2: I kept going to the gym at seven anyway.\n\n"
        "Providers knew of this risk."
    )
    quotes = find_quotes(text)
    assert [(q.attribution.code, q.text) for q in quotes[2:]] == [
        ("P1", "The placement ends on a Friday and on Monday you are back in bed."),
        ("P3", "They should keep the mentoring going."),
        ("P2", "I kept going to the gym at seven anyway."),
    ]


def test_a_label_of_another_shape_inside_a_turn_does_not_split_it() -> None:
    text = (
        "Some stayed on: “They kept me after the twelve weeks.” (P7) Others did not: “Nobody asked.” (P9)\n\n"
        "Staff described the rota.\n\n"
        "P4: We swap shifts all the time. Note: nobody tells the office.\n\n"
        "P6: The office finds out on payday.\n\n"
        "Rotas were a common complaint."
    )
    assert find_quotes(text)[2].text == "We swap shifts all the time. Note: nobody tells the office."


def test_a_code_closing_an_unmarked_list_item_attributes_that_item_and_the_others_are_answers() -> None:
    text = (
        "Respondents who left the scheme were asked why. Some answers:\n\n"
        "• The forms took longer than the work they paid for.\n"
        "• Nobody came to check the hedges until the money was gone. (Respondent 41, tenant)\n"
        "• I could not plan a year ahead with prices like these.\n\n"
        "Most had farmed for decades."
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code if q.attribution else None) for q in quotes] == [
        ("The forms took longer than the work they paid for.", None),
        ("Nobody came to check the hedges until the money was gone.", "Respondent 41"),
        ("I could not plan a year ahead with prices like these.", None),
    ]


def test_a_list_of_findings_without_a_code_is_no_list_of_answers() -> None:
    text = (
        "The review found three problems:\n\n"
        "• The forms took longer than the work they paid for.\n"
        "• Inspections came late in the year.\n\n"
        "Each is discussed below."
    )
    assert find_quotes(text) == []


def test_a_bracketed_code_signed_after_a_dash_below_the_quotation_attributes_it() -> None:
    text = (
        "Volunteers linked distance and hygiene.\n\n"
        "“When a mother has walked two hours for water she will not use it to wash hands.”\n\n"
        "— [KI-3]\n\n"
        "Teachers saw the same."
    )
    assert only(text).attribution.code == "KI-3"


def test_a_signed_block_does_not_run_on_into_the_paragraph_after_it() -> None:
    text = (
        "Peer workers asked different questions:\n\n"
        "The nurse asks are you taking your meds. Maria asks what is getting in the way of them.\n"
        "— SU-11\n\n"
        "The trust's specification calls it \"a relationship of mutual respect grounded in shared "
        "experience\" [@spec2022, p. 4]. Workers said so too."
    )
    quotes = find_quotes(text)
    assert quotes[-1].text == "a relationship of mutual respect grounded in shared experience"


def test_a_code_in_braces_attributes_the_quotation_before_it() -> None:
    text = (
        "Farmers trusted what they could see: “At the demo plot you see the cob, you can hold it” {P3}.\n\n"
        "“They think the officer brings me fertiliser in the night.” {P17}\n\n"
        "In each group the facilitator asked, “Who in your household decides what to plant?”, and the men answered."
    )
    assert [(q.text[:20], q.attribution.code) for q in find_quotes(text)] == [
        ("At the demo plot you", "P3"), ("They think the offic", "P17"),
    ]


def test_a_list_with_an_item_in_prose_is_not_a_run_of_quotations() -> None:
    text = (
        "Riders raised two things:\n\n"
        "- “A bus that turns up when the board says it will.”\n"
        "- cheaper fares for carers\n\n"
        "(Focus group 3, riders over 70)\n\n"
        "These echo the survey."
    )
    assert all(q.attribution is None or q.attribution.code is None for q in find_quotes(text))


def test_quoted_passages_joined_by_punctuation_are_separate_quotations_of_one_speaker() -> None:
    text = (
        "Staff at one depot put it bluntly:\n\n"
        "“The buses are old and the heaters fail”, “we lose a driver a month to the new firm.” (Depot K)\n\n"
        "“Nobody asked us before the routes changed.” (Depot M)"
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes[:2]] == ["The buses are old and the heaters fail",
                                            "we lose a driver a month to the new firm."]
    assert {q.attribution.code for q in quotes[:2]} == {"Depot K"}


def test_an_attribution_inside_the_closing_mark_or_missing_its_opening_bracket_is_read() -> None:
    text = (
        "Views on the rota:\n\n"
        "“Nobody tells us about changes until the night before (Depot K, Driver 4)”\n\n"
        "Some were more positive.\n\n"
        "“The new app shows the rota a week ahead” Depot M, Driver 11)\n\n"
        "“We get the rota on the day.” (Depot P, Driver 2)\n\n"
        "The next section turns to pay."
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["Depot K, Driver 4", "Depot M, Driver 11", "Depot P, Driver 2"]
    assert quotes[0].text.endswith("night before")


def test_line_numbers_in_an_attribution_are_provenance_not_part_of_the_code() -> None:
    text = (
        "“I had to move schools twice in one year.” (Pupil 7, line 120)\n\n"
        "Another pupil agreed.\n\n"
        "“We never stayed long enough to make friends.” (Pupil 3, line 48)"
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["Pupil 7", "Pupil 3"]
    assert quotes[0].attribution.facets["provenance"] == "line 120"


def test_a_wholly_quoted_paragraph_without_attribution_is_found_with_no_respondent() -> None:
    text = (
        "Residents at the open meeting spoke freely.\n\n"
        "“I would rather the council asked us before they close the library on Saturdays.”\n\n"
        "The council's response is set out below."
    )
    quote = only(text)
    assert quote.attribution.code is None and quote.attribution.source_kind == "interview"


def test_a_quotation_of_several_paragraphs_that_only_the_last_closes_is_found_whole() -> None:
    text = (
        "The trust's chair spoke at the launch. She said:\n\n"
        "“Our aim is a service where the records about a resident reach the staff wherever that resident is seen.\n\n"
        "“We also want residents to know what their records can do and to choose to share them with consent.\n\n"
        "“This is the town record and it will change how care is given.”\n\n"
        "What comes next?"
    )
    (quote,) = find_quotes(text)
    assert quote.text.startswith("Our aim is") and quote.text.endswith("how care is given.")
    assert quote.attribution.code is None


def test_an_unclosed_quoted_paragraph_not_continued_by_another_is_not_a_quotation() -> None:
    text = (
        "The trust published its plan in the spring.\n\n"
        "“Records for all, the name the board chose for the programme that would link the services.\n\n"
        "The plan was adopted."
    )
    assert find_quotes(text) == []


def test_scare_quotes_and_short_terms_are_not_quotations() -> None:
    text = (
        "The so-called ‘hub’ model and the “care navigator” role were introduced in 2019.\n\n"
        "Staff described the ‘front door’ as confusing."
    )
    assert find_quotes(text) == []


def test_a_quotation_in_a_markdown_quote_fence_excludes_the_fence() -> None:
    text = (
        "Teachers were cautious:\n\n"
        "```{admonition} Quote\n"
        "“We tried the new scheme and the marking took twice as long.” (School B)\n"
        "```\n\n"
        "```{admonition} Quote\n"
        "“Parents liked the reports but few read them.” (School C)\n"
        "```"
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["We tried the new scheme and the marking took twice as long.",
                                        "Parents liked the reports but few read them."]


def test_a_bibliography_title_in_quotation_marks_is_not_a_quotation() -> None:
    text = (
        "“We waited months for a decision.” (Carer 2)\n\n“Nobody explained the form.” (Carer 5)\n\n"
        "“The letters came in the wrong language.” (Carer 8)\n\n"
        "[4] A. Writer, “Waiting lists and what they mean for carers in small towns,” J. Care, "
        "vol. 3, pp. 10–19, 2020."
    )
    assert all("Waiting lists" not in q.text for q in find_quotes(text))


def test_a_speaker_named_by_code_only_in_the_lead_in_is_the_respondent() -> None:
    text = (
        "Cost came up often. As R7 put it:\n\n"
        "“We cannot keep paying agency rates for every night shift on the ward.”\n\n"
        "Others were calmer.\n\n"
        "“The budget was agreed in April and nobody has questioned it since.” (R2)\n\n"
        "“I think we will be fine once the new staff start in the autumn.” (R9)"
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["R7", "R2", "R9"]


def test_a_short_inline_quotation_takes_the_code_that_ends_its_sentence() -> None:
    text = (
        "“We lose a morning every week to the paperwork.” (QZ4)\n\n"
        "“Nobody reads the forms once they are filed.” (QZ9)\n\n"
        "“The van is late on Mondays and nobody knows why.” (QZ5)\n\n"
        "Several staff wanted the records “in one place” so they could plan visits (QZ2).\n\n"
        "Staff called the office the ‘back room’ in every interview."
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code) for q in quotes][3] == ("in one place", "QZ2")
    assert all("back room" not in q.text for q in quotes)


SIGNED_ELSEWHERE = (
    "“We lose a morning every week to the paperwork.” (QZ-4)\n\n"
    "“Nobody reads the forms once they are filed.” (QZ-9)\n\n"
    "“The van is late on Mondays and nobody knows why.” (QZ-5)\n\n"
)


def test_a_quotation_in_single_marks_takes_the_code_closing_its_sentence_before_a_clause() -> None:
    quotes = find_quotes(SIGNED_ELSEWHERE + "One nurse asked relatives to ‘walk the phone round the house’ before "
                         "discharge (QZ-2), a step no guidance describes.")
    assert [(q.text, q.attribution.code) for q in quotes][3] == ("walk the phone round the house", "QZ-2")


@pytest.mark.parametrize("sentence", [
    "One volunteer (QZ-7) said she had “no idea whether a leaking roof counts”, and others agreed.",
    "One head [QZ-7] told us that lessons now start later “because otherwise I teach half a class”.",
])
def test_a_code_in_brackets_before_a_speech_verb_names_the_inline_quotation_after_it(sentence: str) -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + sentence)[3]
    assert quote.attribution.code == "QZ-7" and quote.inline


def test_a_pseudonym_and_age_opening_the_sentence_name_its_inline_quotation() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "Dorota (54), who lives with her son, described the meter as a "
                        "constant presence: “You watch the numbers like a clock.”")[3]
    assert (quote.attribution.code, quote.attribution.facets["age"]) == ("Dorota", 54)


def test_a_pseudonym_with_age_and_occupation_in_brackets_names_its_inline_quotation() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "Malik (41, bus driver) said the new timetable was “written by "
                        "someone who has never driven the route at rush hour”.")[3]
    assert (quote.attribution.code, quote.attribution.facets["age"]) == ("Malik", 41)


@pytest.mark.parametrize(("sentence", "code"), [
    ("J. (volunteer, 60s) told us why she comes: “I was on my own all last winter and this got me out.”",
     "J., 60s"),
    ("Mrs D. (80s, lives alone) said her heating is “on for an hour in the morning and that is all”.",
     "Mrs D., 80s"),
    ("Her friend Pat (70s) added, laughing, “We are not poor, love, we are just very careful.”", "Pat"),
])
def test_a_person_given_with_an_age_band_in_brackets_names_the_quotation_they_speak(
        sentence: str, code: str) -> None:
    assert [q.attribution.code for q in find_quotes(sentence)] == [code]


def test_an_author_cited_with_year_and_page_is_no_person_with_an_age() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "As Harrow (2011, 47) puts it, the sanction is “the point at "
                        "which the moral economy of the office becomes visible”.")[3]
    assert quote.attribution.source_kind == "document"


def test_a_pronoun_speaking_stands_for_the_pseudonym_given_with_an_age_before_it() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "Marcus, 15, started coming after he was excluded. He told us: “At "
                        "first I just came for the free pizza, not gonna lie.”")[3]
    assert (quote.attribution.code, quote.attribution.facets["age"]) == ("Marcus", 15)


def test_a_pronoun_in_a_speech_tag_stands_for_the_name_marked_as_a_pseudonym_before_it() -> None:
    text = ("Box 6.1 Case study\n\nMargaret (not her real name) is 78 and lives alone. She now uses the bus "
            "twice a week. “I feel like a person again, not a parcel,” she said. “I go to the library on a Tuesday.”")
    quotes = find_quotes(text)
    assert [(q.attribution.code, q.attribution.raw) for q in quotes] == [
        ("Margaret", "Margaret (not her real name)")] * 2


def test_a_turn_label_may_part_a_code_from_a_role_with_a_semicolon() -> None:
    text = after_coded_quotations("Drivers liked the app.\n\nParticipant 22; bus driver:\n    “It pools the "
                                  "bookings but it does not know the lanes.”\n")
    assert find_quotes(text)[3].attribution.code == "Participant 22"


def test_a_pronoun_with_no_one_named_before_names_nobody() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "One boy started coming after he was excluded. He told us: “At "
                        "first I just came for the free pizza, not gonna lie.”")[3]
    assert quote.attribution.code is None


def test_a_code_opening_the_sentence_as_the_speaker_names_a_short_inline_quotation() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "Interviewee 12 described the approval process as “a waterfall "
                        "in a hoodie”, and laughed.")[3]
    assert (quote.text, quote.attribution.code) == ("a waterfall in a hoodie", "Interviewee 12")


@pytest.mark.parametrize("sentence", [
    "The online survey, which asked: “How well did the council keep you informed while you waited?”, had 86 replies.",
    "In the first interview I asked each participant, “Can you describe a typical week in your first term?”, twice.",
])
def test_a_question_put_to_the_participants_is_not_their_words(sentence: str) -> None:
    assert len(find_quotes(SIGNED_ELSEWHERE + sentence)) == 3


def test_a_participants_own_question_is_their_words() -> None:
    quotes = find_quotes(SIGNED_ELSEWHERE + "One mother asked, “Why does nobody tell us when the bus is cancelled?”")
    assert quotes[3].text == "Why does nobody tell us when the bus is cancelled?"


def test_a_code_alone_on_the_line_below_the_closing_mark_attributes_the_quotation() -> None:
    text = (
        "Parents spoke about the timing of the course.\n\n"
        "“The course was useful but it came too late for most of us, after the winter.”\n"
        "Parent 12, Group 2\n\n"
        "“Once the nurse came every fortnight we felt we could cope with almost anything.”\n"
        "Parent 4, Group 1\n\n"
        "“I only heard about the helpline from another parent, and by then we had given up.”\n"
        "Parent 9, Group 2"
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["Parent 12, Group 2", "Parent 4, Group 1", "Parent 9, Group 2"]
    assert all("Parent" not in q.text for q in quotes)


def test_a_signature_on_the_line_below_the_closing_mark_attributes_the_quotation() -> None:
    text = (
        "Tenants described the repairs backlog.\n\n"
        "“We reported the damp in October and the first visit was in March, by which time it was black.”\n"
        "— Tenant, Block C\n\n"
        "“The contractor came twice and both times he had the wrong parts on the van.”\n"
        "— Tenant, Block A\n\nRepairs were later brought in house."
    )
    quotes = find_quotes(text)
    assert [q.attribution.raw for q in quotes] == ["— Tenant, Block C", "— Tenant, Block A"]
    assert all("Tenant" not in q.text for q in quotes)


def test_a_signature_naming_no_known_code_is_the_speaker_as_printed() -> None:
    text = (
        "Leadership\n\n"
        "“It felt like nobody was in charge of the whole thing, each team did its bit and went home.”\n"
        "– Practice manager, North\n\n"
        "The commissioners saw it differently."
    )
    [quote] = find_quotes(text)
    assert (quote.attribution.code, quote.attribution.source_kind) == ("Practice manager, North", "interview")


def test_a_respondents_code_in_brackets_ending_the_lead_in_names_the_speaker() -> None:
    text = after_coded_quotations(
        "The commissioners took a longer view (Int. 14): “You cannot judge a service like this on one "
        "year of data, the effects come later.”", prefix="Int. "
    )
    last = find_quotes(text)[-1]
    assert last.text.startswith("You cannot judge")
    assert (last.attribution.code, last.attribution.source_kind) == ("Interview 14", "interview")


def test_a_code_as_the_subject_of_the_speech_verb_ending_the_lead_in_names_the_speaker() -> None:
    text = after_coded_quotations(
        "Asked about the future, QZ11 explained that “we need the money guaranteed for three years or "
        "nobody will stay.”"
    )
    last = find_quotes(text)[-1]
    assert (last.text[:7], last.attribution.code) == ("we need", "QZ11")


def test_a_quotation_its_speaker_interrupts_is_two_quotations_of_that_speaker() -> None:
    text = after_coded_quotations(
        "Chasing was part of the job. “You learn to chase everything twice,” said QZ8, “because the first "
        "email always gets lost.”\n\n"
        "“Nobody trains you for it,” one ward manager said, “you pick it up from whoever is on shift.”"
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code if q.attribution else None, q.lead_in_role) for q in quotes[3:]] == [
        ("You learn to chase everything twice", "QZ8", None),
        ("because the first email always gets lost.", "QZ8", None),
        ("Nobody trains you for it", None, "ward manager"),
        ("you pick it up from whoever is on shift.", None, "ward manager"),
    ]
    assert_provenance(text, quotes)


def test_a_comma_after_the_closing_mark_still_hands_over_to_the_speech_tag() -> None:
    text = after_coded_quotations(
        "“The first month was chaos”, explained one headteacher, “but it settled down once the form was simpler.”"
    )
    quotes = find_quotes(text)
    assert [(q.text, q.lead_in_role) for q in quotes[3:]] == [
        ("The first month was chaos", "headteacher"),
        ("but it settled down once the form was simpler.", "headteacher"),
    ]


def test_a_speech_tag_naming_a_person_by_name_names_the_respondent() -> None:
    text = after_coded_quotations(
        "The lead was frank. “Body-worn video has given us a great deal in terms of\naccountability,” "
        "explained Chief Inspector Ruth Okafor-Hale, “but on the beat it can feel like a lens between us "
        "and the street.”\n\n"
        "“Leaflets did nothing. A nurse at the gate did everything,” said Dr\nBrannigan, whom we interviewed twice."
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes[3:]] == [
        "Chief Inspector Ruth Okafor-Hale", "Chief Inspector Ruth Okafor-Hale", "Dr Brannigan",
    ]


def test_a_speech_tag_standing_as_its_own_sentence_after_the_full_stop_names_the_speaker() -> None:
    text = after_coded_quotations("Marisol came to us at fourteen. “I didn’t want a mentor. I thought it meant "
                                  "somebody thought I was a problem.” Marisol says.\n")
    (quote,) = find_quotes(text)[3:]
    assert (quote.text, quote.attribution.code) == (
        "I didn’t want a mentor. I thought it meant somebody thought I was a problem.", "Marisol")


def test_a_sentence_after_a_full_stopped_quotation_that_goes_on_past_its_verb_is_no_speech_tag() -> None:
    text = after_coded_quotations("The tenants were clear. “We have waited four years for the damp to be fixed and "
                                  "nobody has come.” One tenant explained that the council had lost the file.\n")
    assert all(q.attribution is None or q.attribution.code is None for q in find_quotes(text)[3:])


def test_a_name_speaking_in_a_clause_after_a_semicolon_with_an_aside_names_the_speaker() -> None:
    text = after_coded_quotations("Several trainees felt unready; Jenna, for example, said that “nothing in the "
                                  "course prepared me for teaching four year groups in one room”.\n")
    assert find_quotes(text)[-1].attribution.code == "Jenna"


def test_a_name_with_a_clause_about_them_between_commas_before_a_speech_verb_speaks() -> None:
    text = after_coded_quotations("Kenny, who had driven the route for eleven years, told me more than once that "
                                  "‘a minute early is worse than five minutes late’.\n")
    assert find_quotes(text)[-1].attribution.code == "Kenny"


@pytest.mark.parametrize("dash", ["—", "--", "---"])
def test_a_signature_below_a_quoted_paragraph_may_open_with_hyphens_typed_for_a_dash(dash: str) -> None:
    text = ("Supporters echoed this.\n\n“I cycle to work and every morning I breathe the fumes of a queue of cars.”\n\n"
            f"{dash} Individual respondent, ID 0412\n\nSome employers agreed.\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["Individual respondent, ID 0412"]


def test_a_speech_tag_naming_an_organisation_names_no_respondent() -> None:
    text = after_coded_quotations(
        "Demand grew. “Demand for the service rose every quarter of the year,” said Public Health England.")
    assert all(q.attribution is None or q.attribution.code is None for q in find_quotes(text)[3:])


def test_straight_single_marks_interrupted_by_the_speaker_keep_their_apostrophes() -> None:
    text = after_coded_quotations(
        "Nobody came. 'We weren't ever asked,' said QZ3. 'Not once in two years, and that's the truth.'"
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code) for q in quotes[3:]] == [
        ("We weren't ever asked", "QZ3"),
        ("Not once in two years, and that's the truth.", "QZ3"),
    ]


def test_a_short_label_of_parts_below_a_quoted_paragraph_signs_it() -> None:
    text = (
        "Chapter 3: What people told us\n\n"
        "“The hub is the first place that has treated me like a person and not a case number.”\n\n"
        "Service user, North locality\n\n"
        "“We have three meetings a week about the hub and none of them is about the people.”\n\n"
        "Phase 2\n\nThe second phase began in May."
    )
    quotes = find_quotes(text)
    assert [q.attribution.code if q.attribution else None for q in quotes] == ["Service user, North locality", None]


def test_a_footnote_number_glued_to_the_closing_mark_stands_before_the_code() -> None:
    text = after_coded_quotations("Waiting was common. “We were told a fortnight and it took three months.”12 (QZ9)")
    last = find_quotes(text)[-1]
    assert (last.text, last.attribution.code) == ("We were told a fortnight and it took three months.", "QZ9")


def test_a_label_of_parts_on_the_line_below_the_closing_mark_signs_the_quotation() -> None:
    text = (
        "Box 3: In their own words\n\n"
        "“Before the hub I saw five different people in a month and told each of them my story.”\n"
        "Service user, East locality\n\n"
        "“I finally feel that someone has the whole picture of what is going on with my dad.”\n"
        "Carer, West locality\n\n"
        "The boxes above illustrate the two main themes."
    )
    quotes = find_quotes(text)
    assert [(q.text[:6], q.attribution.code) for q in quotes] == [
        ("Before", "Service user, East locality"), ("I fina", "Carer, West locality"),
    ]


@pytest.mark.parametrize("signed", ["\nLeeds, Bradford", " – Leeds, Bradford"])
def test_a_title_in_marks_followed_by_a_label_is_no_quotation(signed: str) -> None:
    assert find_quotes(f"The programme was renamed “Better Together”{signed}\n\nIt began in May.") == []


def test_prose_wrapped_onto_the_line_after_a_closing_mark_is_no_signature() -> None:
    text = after_coded_quotations(
        "Staff agreed on one thing. As one nurse said, the rota is “written for the hospital and never for the "
        "people on it.”\nHowever, others disagreed.\n\nThe rota changed in May."
    )
    last = find_quotes(text)[-1]
    assert last.text.startswith("written") and last.attribution.code is None


def test_words_in_no_marks_after_a_quoted_paragraph_are_no_ones_quotation() -> None:
    text = (
        "“Before the hub I saw five different people in a month and told each of them my story.”\n"
        "as one of many\n\n"
        "“I finally feel that someone has the whole picture of what is going on with my dad.”\n"
        "again and again\n\nThe boxes above illustrate the two main themes."
    )
    assert [q.text.split()[-1] for q in find_quotes(text)] == ["story.", "dad."]


def test_an_apostrophe_never_closes_a_quotation_in_single_marks() -> None:
    text = "‘I dasn’t scratch it, and then my ear begun to itch, and next my back, so I kept still and waited.’"
    (quote,) = find_quotes(text)
    assert quote.text.endswith("waited.")


def test_labels_of_parts_opening_paragraphs_before_quoted_words_name_their_speakers() -> None:
    text = (
        "Parent, Depot A: “The homework club is the only reason he stayed in school last year.”\n\n"
        "Driver, Depot C: “We saw attendance go up within a term, which surprised all of us.”"
    )
    assert [q.attribution.code for q in find_quotes(text)] == ["Parent, Depot A", "Driver, Depot C"]


def test_a_code_the_document_uses_before_a_short_predicate_names_the_speaker() -> None:
    text = (
        "Most managers welcomed the rota. One manager (QA2) was more cautious: “It looks good on paper, "
        "but we have not had a winter with it.”\n\n"
        "A second (QA5) went further: “Honestly, it is the first change in years that staff asked for.”"
    )
    assert [q.attribution.code for q in find_quotes(text)] == ["QA2", "QA5"]


def test_a_named_speaker_gives_the_role_set_after_the_name() -> None:
    text = after_coded_quotations(
        "“We finally have the time to talk to people properly,” says Dr Osei, a GP partner in the north of the area."
    )
    last = find_quotes(text)[-1]
    assert (last.text, last.lead_in_role) == ("We finally have the time to talk to people properly", "GP partner")


def test_a_pseudonym_with_an_age_in_the_lead_in_names_the_speaker() -> None:
    text = (
        "As Sam (15) explained: “It is the only place where nobody tells you what to do with your life.” "
        "Priya (16) agreed: “You can just turn up and be yourself, there is no pressure.”\n\n"
        "“I have learned more here than at school, whatever my mum thinks” (Jordan, 14)."
    )
    assert [q.attribution.code for q in find_quotes(text)] == ["Sam", "Priya", "Jordan"]


def test_codes_joining_letters_and_digits_with_a_hyphen_are_respondents() -> None:
    text = after_coded_quotations(
        "“Shared records have cut the phone calls in half, at least in our team” (HCP-03). Another agreed "
        "that “the handover is safer now, because everyone sees the same notes” (HCP-11).",
        prefix="KII-",
    )
    quotes = find_quotes(text)
    assert [(q.attribution.code, q.attribution.source_kind) for q in quotes] == [
        ("KII-3", "interview"), ("KII-9", "interview"), ("KII-5", "interview"),
        ("HCP-03", "interview"), ("HCP-11", "interview"),
    ]


def test_a_code_alone_on_the_line_above_a_quoted_passage_attributes_it() -> None:
    text = after_coded_quotations(
        "QZ7:\n“Honestly, the best part was the drop-in on Fridays, because people came when they could.”"
    )
    last = find_quotes(text)[-1]
    assert (last.attribution.code, last.text[:8]) == ("QZ7", "Honestly")


@pytest.mark.parametrize("signed", ["” (Chair 2)", "”\n\n(Chair 2, interview)"])
def test_an_attributed_quotation_of_several_paragraphs_is_one_quotation(signed: str) -> None:
    text = (
        "The chair looked back on the merger:\n\n"
        "“Five years ago we would not have sat in the same room, let alone shared a budget.\n\n"
        f"“It has not been easy, and there will be more arguments, but nobody wants to go back.{signed}\n\n"
        "Others were less sure."
    )
    (quote,) = find_quotes(text)
    assert quote.text.startswith("Five years ago") and quote.text.endswith("nobody wants to go back.")
    assert quote.attribution.code == "Chair 2"


MILL_EXTRACT = (
    "“I started at fourteen. The noise was terrible at first and you learned to lip-read, everybody did.\n\n"
    "“We had a good laugh, mind. Christmas was the best, the whole floor singing.”\n\n"
    "The mill closed in 1971."
)


@pytest.mark.parametrize(("above", "code"), [
    ("Memories of the mill\n\nAlice Brown\n\nWeaver, North Mill, 1950–1962. Recorded at her home, May 2018.",
     "Alice Brown"),
    ("Key Findings", None),
])
def test_an_unsigned_quotation_of_several_paragraphs_is_one_quotation_by_the_narrator_heading_it(
        above: str, code: str | None) -> None:
    (quote,) = find_quotes(f"{above}\n\n{MILL_EXTRACT}")
    assert quote.text.startswith("I started at fourteen") and quote.text.endswith("the whole floor singing.")
    assert quote.attribution.code == code


@pytest.mark.parametrize(("signature", "code", "kind"), [
    ("— Doreen Maguire, 2018 (HPV/OH/003)", "Doreen Maguire", "interview"),
    ("— Maguire, 2018", None, "document"),
])
def test_a_signature_of_a_name_and_year_is_a_speakers_only_with_an_archives_number(
        signature: str, code: str | None, kind: str) -> None:
    text = (
        "Moving in\n\n"
        "We'd been in two rooms on Canal Street, with the toilet out the back shared between three families. "
        "So when the letter came I cried, I honestly did.\n\n"
        f"{signature}\n\n"
        "The first tenants remember the small luxuries."
    )
    (quote,) = find_quotes(text)
    assert (quote.attribution.code, quote.attribution.source_kind) == (code, kind)


def test_a_reference_line_opening_with_an_archives_number_signs_the_extract_above_by_the_name_in_it() -> None:
    text = (
        "On the buses\n\n"
        "“I was nineteen. My dad didn’t want me to do it, he said it wasn’t a job for a girl.\n\n"
        "“The drivers looked after you. You were a crew, you see. You were a pair.”\n\n"
        "HOHP/2019/07, Joan Hartley, 14 March 2019\n\n"
        "Every member of the platform staff was issued with the rule book."
    )
    (quote,) = find_quotes(text)
    assert quote.text.startswith("I was nineteen") and quote.text.endswith("You were a pair.")
    assert quote.attribution.code == "Joan Hartley"
    assert quote.attribution.facets["provenance"] == "HOHP/2019/07, 14 March 2019"


EXCHANGE = (
    "FG2-P1: It was twelve pages. Twelve pages for a grant for a new floor and a chiller.\n"
    "FG2-P4: And they wanted three quotes from builders in the spring after a flood.\n"
    "Moderator: Did that improve in the later rounds?\n"
    "FG2-P1: Second time round it was much better. Two pages, and someone rang you up.\n"
)


@pytest.mark.parametrize("group_label", ["", "(Focus group 2, business owners, June 2023)\n"])
def test_turns_of_an_exchange_are_their_speakers_and_a_moderators_line_ends_the_turn_above_it(
        group_label: str) -> None:
    text = f"Findings\n\nThe following exchange is typical:\n\n{EXCHANGE}{group_label}\nThe rules changed.\n"
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["FG2-P1", "FG2-P4", "FG2-P1"]
    assert quotes[1].text.endswith("after a flood.")


def test_quotations_a_sentence_gives_respectively_take_the_codes_in_order() -> None:
    text = (
        "Findings\n\nThree women described the session, respectively, as ‘my Thursday church’,\n"
        "‘cheaper than therapy’ and ‘the only place I’m not somebody’s mum’ (FG1-P2, FG1-P5, FG1-P6). "
        "Others agreed.\n"
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("my Thursday church", "FG1-P2"), ("cheaper than therapy", "FG1-P5"),
        ("the only place I’m not somebody’s mum", "FG1-P6")]
    assert all(q.attribution.raw == "(FG1-P2, FG1-P5, FG1-P6)" for q in quotes)


def test_quotations_before_several_codes_without_respectively_are_not_paired_off() -> None:
    text = (
        "Findings\n\nThree women described the session as ‘my Thursday church’,\n"
        "‘cheaper than therapy’ and ‘the only place I’m not somebody’s mum’ (FG1-P2, FG1-P5, FG1-P6). "
        "Others agreed.\n"
    )
    codes = {q.attribution.code for q in find_quotes(text) if q.attribution}
    assert not codes & {"FG1-P2", "FG1-P5", "FG1-P6"}


def test_a_code_followed_by_more_of_the_sentence_attributes_the_quotation_before_it() -> None:
    text = (
        "Staff found the first months chaotic: ‘nobody knew who was in charge of what’ (Porter 2). "
        "Managers agreed that ‘the first year was about building trust’ (Manager 1), and a cleaner "
        "felt ‘we were always the last to hear’ (Cleaner 4)."
    )
    quotes = find_quotes(text)
    assert [q.attribution.code for q in quotes] == ["Porter 2", "Manager 1", "Cleaner 4"]
    assert all(q.attribution.source_kind == "interview" for q in quotes)


def test_a_passage_in_single_marks_handed_over_by_a_lead_in_is_a_quotation() -> None:
    text = (
        "“The rota changes every week.” (Porter 3)\n\n“Nobody reads the board.” (Cleaner 5)\n\n"
        "“The lifts are always broken.” (Porter 8)\n\n"
        "One ward clerk summed up the mood: ‘We were promised the earth and got a leaflet in the post.’\n\n"
        "The ward's ‘can do’ attitude was praised, and the clerks' 'own room' was finally opened in May."
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes][3:] == ["We were promised the earth and got a leaflet in the post."]


def test_a_passage_in_single_marks_in_a_sentence_whose_speaker_is_named_is_their_quotation() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "A governor responding for an infant school said that shorter hours "
                        "would be ‘a real loss to children who have no quiet corner at home’.")[3]
    assert quote.text == "a real loss to children who have no quiet corner at home"
    assert quote.lead_in_role == "governor responding for an infant school"


def test_words_a_respondent_wrote_are_handed_over_as_words_said() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "One allotment holder wrote that “the plots flood every winter "
                        "and nobody clears the ditch”.")[3]
    assert quote.lead_in_role == "allotment holder"


def test_a_passage_in_single_marks_in_a_sentence_citing_an_author_and_page_is_a_documents() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "As Brannock and Teale (2018: 42) argue, such families can drift into "
                        "‘a settlement in which one child carries the load and another the say’.")[3]
    assert quote.text.startswith("a settlement in which") and quote.attribution.source_kind == "document"


def test_a_single_name_the_document_only_writes_as_a_name_speaks_the_clause_it_opens() -> None:
    text = SIGNED_ELSEWHERE + ("The siblings split the work unevenly. Her brother rang Marek on Sundays. Jon felt "
                               "guilty about it, while Marek said simply that ‘you look after your own people’.")
    quote = find_quotes(text)[3]
    assert (quote.text, quote.attribution.code) == ("you look after your own people", "Marek")


def test_a_name_seen_after_another_capitalised_word_is_a_name() -> None:
    text = SIGNED_ELSEWHERE + ("In September Rhian started college. Rhian said: ‘Nobody had ever asked me what I "
                               "wanted to do before that.’")
    assert find_quotes(text)[3].attribution.code == "Rhian"


def test_a_capitalised_word_the_document_also_writes_in_lower_case_is_no_name() -> None:
    text = SIGNED_ELSEWHERE + ("The parents rang the office most weeks. Staff were patient, while Parents said "
                               "that ‘nobody ever rang us back about the school bus’.")
    quote = find_quotes(text)[3]
    assert quote.text.startswith("nobody ever rang") and quote.attribution.code != "Parents"


def test_a_short_phrase_a_group_summed_something_up_as_is_a_quotation() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "Several members described the larder as “not charity, just "
                        "cheaper”, which set it apart from the food bank.")[3]
    assert (quote.text, quote.attribution.code) == ("not charity, just cheaper", None)


def test_a_phrase_that_reports_sum_something_up_as_is_no_ones_words() -> None:
    text = SIGNED_ELSEWHERE + ("Beds were taken by patients described in the weekly situation reports as "
                               "“medically fit for discharge” all winter.")
    assert len(find_quotes(text)) == 3


def test_a_speech_tag_naming_a_pseudonym_and_age_after_its_verb_names_the_speaker() -> None:
    quote = find_quotes("Mornings were hardest.\n\n“When I am late they give me a detention, and I cannot say why,” "
                        "says Jodie, 15, who looks after her mother.")[0]
    assert (quote.text, quote.attribution.code) == ("When I am late they give me a detention, and I cannot say why",
                                                    "Jodie")


def test_a_signature_after_a_dash_may_give_an_age_range_with_a_dash() -> None:
    text = ("Advisers helped:\n\n“The landlord would not fix the windows until the adviser wrote to him.”\n\n"
            "– Householder, aged 35–44, private renter, Area A\n\nNext.")
    assert only(text).attribution.code == "Householder, aged 35–44, private renter, Area A"


def test_a_groups_label_below_quoted_paragraphs_signs_each_of_them() -> None:
    text = ("Energy costs worried people most.\n\n“I turn the heating off when the kids go to school and put it "
            "back on.”\n\n“We have got blankets on the settee now. That is how we heat the room.”\n\n"
            "(Parents, Low Ashton group discussion)\n\nNext.")
    assert [q.attribution.code for q in find_quotes(text)] == ["Parents, Low Ashton group discussion"] * 2


def test_a_groups_label_below_a_list_of_quoted_items_signs_each_item() -> None:
    text = ("At the drop-in, tenants told us the same things again and again:\n\n"
            "- “Just tell us what is happening, even if it is bad news.”\n"
            "- “You ring, you are on hold for forty minutes, and then it cuts off.”\n\n"
            "(Residents, Calder Road drop-in)\n\nDamp was the biggest worry.")
    assert [q.attribution.code for q in find_quotes(text)] == ["Residents, Calder Road drop-in"] * 2


@pytest.mark.parametrize("passage", [
    "Nurse 1: Families ask us how long every day, and we do not know. Nurse 2: What helps is saying what we "
    "do know. (Ward B)",
    "“Nurse 1: Families ask us how long every day, and we do not know. Nurse 2: What helps is saying what we "
    "do know.” (Ward B)",
])
def test_turns_inside_one_passage_closed_by_one_label_are_each_their_speakers(passage: str) -> None:
    quotes = find_quotes(f"Nurses reflected on the question:\n\n{passage}\n\nNext.")
    assert [(q.text[:8], q.attribution.code, q.attribution.facets.get("site")) for q in quotes] == [
        ("Families", "Nurse 1", "B"), ("What hel", "Nurse 2", "B")]


def test_a_quoted_paragraph_below_one_introducing_a_person_with_an_age_is_theirs() -> None:
    text = ("Case study\n\nMaureen, 67, took in her twin grandsons at three days' notice and was referred "
            "to us eight months later.\n\n“I felt like I was drowning and nobody had noticed. Now I am the "
            "one telling new carers it gets easier.”\n\nSustainability")
    assert (only(text).attribution.code, only(text).attribution.facets["age"]) == ("Maureen", 67)


def test_a_numbered_section_title_at_a_line_end_is_not_a_code_of_numbered_names() -> None:
    text = (
        "“The rota changes every week.” (Porter 3)\n\n“Nobody reads the board.” (Cleaner 5)\n\n"
        "Contents\n\n1. Introduction 11\n2. Findings about the rota and the board 17\n"
    )
    assert [q.attribution.code for q in find_quotes(text)] == ["Porter 3", "Cleaner 5"]


def test_a_quotation_closed_by_a_speech_tag_holds_only_the_words_spoken() -> None:
    text = after_coded_quotations(
        "“The waiting room was full every time I went, and you could wait two hours,” said one patient.\n\n"
        "“We chase the same forms every single week without fail,” said QZ8.\n\n"
        "“Demand will keep growing for the rest of the decade,” said the report."
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code if q.attribution else None, q.lead_in_role) for q in quotes[3:5]] == [
        ("The waiting room was full every time I went, and you could wait two hours", None, "patient"),
        ("We chase the same forms every single week without fail", "QZ8", None),
    ]
    assert all("said" not in q.text for q in quotes)


def test_a_page_after_the_documents_own_code_is_provenance_not_a_citation() -> None:
    text = after_coded_quotations("“You feel like a number, not a person.” (QZ11, p. 12)")
    last = find_quotes(text)[-1]
    assert (last.attribution.code, last.attribution.source_kind) == ("QZ11", "interview")
    assert last.attribution.facets["provenance"] == "p. 12"


def test_a_question_put_to_participants_is_not_their_words() -> None:
    text = after_coded_quotations(
        "Participants were asked “How well do services work together in your area?” on a five-point scale.\n\n"
        "One manager asked: “Who is going to pay for all of this when the grant runs out next year?”"
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes[3:]] == ["Who is going to pay for all of this when the grant runs out next year?"]


def test_a_list_items_marker_before_the_opening_mark_is_not_part_of_the_quotation() -> None:
    text = (
        "Staff put the change in their own words:\n\n"
        "- “It is more paperwork, not less, whatever was promised at the launch.” (Staff member, site A)\n"
        "- “I finally have time to sit and talk to the people I look after.” (Staff member, site B)"
    )
    assert [q.text for q in find_quotes(text)] == [
        "It is more paperwork, not less, whatever was promised at the launch.",
        "I finally have time to sit and talk to the people I look after.",
    ]


def test_a_lead_in_sentence_before_the_colon_is_not_the_speakers_label() -> None:
    text = (
        "Views on the grants\n\n"
        "As R7 put it: “They reach places we simply cannot, the mosques and the food banks.”\n\n"
        "R2 was more cautious: “We cannot run services on twelve-month grants and goodwill alone.”\n\n"
        "As R9 said: “Without the grants the whole model falls over in a year.”"
    )
    codes = [q.attribution.code for q in find_quotes(text)]
    assert codes[0] == "R7" and codes[-1] == "R9"
    assert not any(code and " " in code for code in codes)


@pytest.mark.parametrize("lead_in", ["As QZ6 recalled, ", "The depot shut that winter, as QZ6 recalled: "])
def test_a_short_quotation_handed_over_by_a_lead_in_naming_a_known_code_is_that_respondents(lead_in: str) -> None:
    text = after_coded_quotations(f"{lead_in}“we all saw it coming.”\n")
    quote = find_quotes(text)[-1]
    assert (quote.text, quote.attribution.code) == ("we all saw it coming.", "QZ6")


def test_a_sentence_with_a_year_handing_over_to_a_known_code_is_no_citation() -> None:
    text = after_coded_quotations("The mill closed in 1971, as QZ2 recalled: “we all knew it was coming.”\n")
    quote = find_quotes(text)[-1]
    assert (quote.attribution.code, quote.attribution.source_kind) == ("QZ2", "interview")


def test_a_speaker_named_in_the_lead_in_is_quoted_in_a_document_that_quotes_nobody_else() -> None:
    text = (
        "Working with the voluntary sector\n\n"
        "Commissioners valued the sector's reach. As one commissioner (C4) explained: “They get into "
        "places we simply can't, the mosques, the food banks, the school gates.”"
    )
    [quote] = find_quotes(text)
    assert (quote.attribution.code, quote.lead_in_role) == ("C4", "commissioner")
    assert quote.text.startswith("They get into places")


def test_words_in_marks_without_a_named_speaker_are_not_quoted_in_a_document_that_quotes_nobody() -> None:
    text = (
        "The campaign\n\n"
        "Its slogan, “care closer to home for everyone who needs it”, appeared on every leaflet. "
        "The board described it as “the centre of our plans for the next five years” in March."
    )
    assert find_quotes(text) == []


def test_a_code_set_inside_the_closing_mark_attributes_the_quotation_and_stays_out_of_it() -> None:
    text = (
        "Link workers\n\n"
        "They were seen as the heart of the model. “She was the only one who ever rang me back, the only "
        "one who knew my name (Patient 3).” Others valued the practical help.\n\n"
        "“Without the link worker I would have given up on the whole thing.” (Patient 12)"
    )
    quotes = find_quotes(text)
    assert [(q.text, q.attribution.code) for q in quotes] == [
        ("She was the only one who ever rang me back, the only one who knew my name", "Patient 3"),
        ("Without the link worker I would have given up on the whole thing.", "Patient 12"),
    ]


def test_a_speech_tag_after_single_marks_names_the_speakers_role() -> None:
    text = (
        "Getting through\n\n"
        "Some parents had found ways around it. ‘I just turn up at the desk now, they can’t really send you "
        "away if you’re standing there,’ one mother told us. ‘You learn to ring twice,’ said one father, "
        "‘because the first call always gets lost.’"
    )
    quotes = find_quotes(text)
    assert [(q.text[:20], q.lead_in_role) for q in quotes] == [
        ("I just turn up at th", "mother"), ("You learn to ring tw", "father"), ("because the first ca", "father"),
    ]


def test_a_label_with_an_aside_before_the_words_is_the_respondent_and_the_aside_their_facets() -> None:
    text = (
        "The helpline\n\n"
        "Participant 3 (carer, 50s): “The woman I spoke to was lovely, she stayed on the phone for an hour.”\n\n"
        "Participant 8 (patient, 70s): “I waited forty minutes to get through and then the line went dead.”"
    )
    quotes = find_quotes(text)
    assert [(q.attribution.code, q.attribution.facets.get("role")) for q in quotes] == [
        ("Participant 3", "carer"), ("Participant 8", "patient"),
    ]
    assert quotes[0].text.startswith("The woman")


def test_a_signature_in_a_paragraph_of_its_own_below_the_quotation_attributes_it() -> None:
    text = (
        "Waiting times\n\nWaiting came up in every interview with patients.\n\n"
        "“Six weeks for a scan and another four for the results, and all that time you imagine the worst.”\n\n"
        "— Patient, 58, Site 2\n\n"
        "The trust now publishes its waiting times."
    )
    [quote] = find_quotes(text)
    assert (quote.text[:9], quote.attribution.code) == ("Six weeks", "Patient, 58, Site 2")


def test_a_dashed_list_below_a_quotation_does_not_sign_it() -> None:
    text = (
        "Plans\n\nStaff wanted three things from the review:\n\n"
        "“We want the rota fixed before anything else is changed on the ward.”\n\n"
        "– Better handover notes\n– More training\n\nManagers agreed."
    )
    assert all(q.attribution.code is None for q in find_quotes(text))


def test_a_code_set_off_by_commas_before_the_speech_verb_names_the_speaker() -> None:
    text = after_coded_quotations(
        "The grants mattered most. Another commissioner, QZ7, put it simply: “Without the grants the whole "
        "model falls over in a year.”"
    )
    last = find_quotes(text)[-1]
    assert (last.text[:11], last.attribution.code) == ("Without the", "QZ7")


def test_a_known_code_opening_a_lead_in_that_hands_over_with_a_colon_names_the_speaker() -> None:
    text = after_coded_quotations(
        "QZ2 was more cautious: “We cannot keep running services on twelve-month grants and goodwill.”"
    )
    last = find_quotes(text)[-1]
    assert (last.text[:9], last.attribution.code) == ("We cannot", "QZ2")


def test_a_signature_after_a_dash_may_end_its_sentence_inside_the_paragraph() -> None:
    text = (
        "Funding\n\nPractices were unclear about its purpose. “We were never told what the money was for, so "
        "we spent it on locums.” – Practice manager, site C. Commissioners disagreed: “The guidance went to "
        "every practice in the first quarter of the year.” – Then the board moved on. Guidance followed.\n\nEnd."
    )
    quotes = find_quotes(text)
    assert (quotes[0].text[:11], quotes[0].attribution.code) == ("We were nev", "Practice manager, site C")
    assert all(q.attribution.code != "Then the board moved on" for q in quotes)


def test_a_speech_tag_between_the_closing_mark_and_a_code_stays_out_of_the_words() -> None:
    text = after_coded_quotations(
        "Deputies were more measured. “I see why they did it, I only wish they had given us a term,” said one "
        "deputy (QZ4). Others were less sure.\n\nEnd."
    )
    last = find_quotes(text)[-1]
    assert (last.text, last.attribution.code) == ("I see why they did it, I only wish they had given us a term,", "QZ4")


def test_a_code_inside_the_speech_tag_before_its_verb_names_the_speaker() -> None:
    text = after_coded_quotations(
        "“The managers mean well but they are never on the floor,” one porter (QZ8) explained. Others agreed.\n\nEnd."
    )
    last = find_quotes(text)[-1]
    assert (last.text[:12], last.attribution.code) == ("The managers", "QZ8")


def test_codes_named_only_in_speech_tags_are_learned_as_the_documents_codes() -> None:
    text = (
        "Findings\n\n“Every month there is a new form and nobody tells us why,” said one driver (DV2). Then more. "
        "“The rota changes weekly and nobody asks us first,” one fitter (DV4) explained. Later, “I have seen it "
        "all before,” said DV1, “and it always settles down in the end.” That view was rare.\n\nEnd."
    )
    quotes = find_quotes(text)
    assert [(q.attribution.code, q.attribution.source_kind) for q in quotes] == [
        ("DV2", "interview"), ("DV4", "interview"), ("DV1", "interview"), ("DV1", "interview")
    ]


def test_a_quotation_and_its_speaker_in_one_bracketed_aside_are_read_apart() -> None:
    text = (
        "Funding\n\nFunding was described as short-term and unpredictable (“we live from one bid to the next "
        "every year”, Depot South, fitter). Staff agreed.\n\nEnd."
    )
    quote = only(text)
    assert quote.text == "we live from one bid to the next every year"
    assert quote.attribution.code == "Depot South, fitter"


def test_a_short_term_in_marks_inside_a_bracketed_aside_is_not_a_quotation() -> None:
    text = "Funding\n\nThe scheme was renamed (“the fund”, Annex B) in the second year. Staff agreed.\n\nEnd."
    assert find_quotes(text) == []


def test_a_code_before_a_dash_opening_the_paragraph_names_the_speaker() -> None:
    text = "Barriers\n\n" + "".join(
        f"Driver {n} — “The depot {words} and nobody tells us until the morning.”\n\n"
        for n, words in ((3, "changes the rota weekly"), (7, "moves the start time"))
    )
    assert [(q.text[:9], q.attribution.code) for q in find_quotes(text)] == [("The depot", "Driver 3"),
                                                                          ("The depot", "Driver 7")]


def test_a_speech_tag_naming_a_role_after_the_closing_mark_makes_a_quotation() -> None:
    text = "Findings\n\nWaiting was the worst part. “Nobody ever rang us back,” said one carer. We heard this often.\n"
    [quote] = find_quotes(text)
    assert (quote.text, quote.attribution.code, quote.lead_in_role) == ("Nobody ever rang us back,", None, "carer")


def test_single_marks_followed_by_a_speech_tag_naming_a_role_make_a_quotation() -> None:
    text = "Findings\n\nThe depot was short of drivers. ‘We cover three routes each,’ one driver explained.\n"
    assert [(q.text[:9], q.lead_in_role) for q in find_quotes(text)] == [("We cover ", "driver")]


def test_a_speech_verb_and_a_comma_hand_over_to_the_quotation() -> None:
    text = ("Findings\n\nMorale was low. As one porter put it, “We are always two people short "
            "and the night shift carries it.”\n")
    assert [(q.text[:6], q.lead_in_role) for q in find_quotes(text)] == [("We are", "porter")]


def test_a_speech_tag_naming_nobody_makes_no_quotation_of_a_few_words() -> None:
    text = "Findings\n\nThe word “pathway,” he said, meant little to families.\n"
    assert find_quotes(text) == []


def test_a_name_marked_as_a_pseudonym_signs_the_quotation_above_it() -> None:
    text = ("Young carers\n\nThey valued the club:\n\n"
            "“It was the one night a week nobody needed me for anything.”\n- Kai (pseudonym), 14\n\nEnd.")
    [quote] = find_quotes(text)
    assert (quote.text[:10], quote.attribution.code, quote.attribution.facets) == (
        "It was the", "Kai (pseudonym), 14", {"pseudonym": "Kai", "age": 14})


def test_roles_in_capitals_opening_quoted_paragraphs_name_the_speakers() -> None:
    text = ("Tenants' views\n\n"
            "TENANT: “The boiler broke in November and we waited until February.”\n\n"
            "TENANT: “You ring, you get a reference number, and then nothing happens.”\n\n"
            "HOUSING OFFICER: “We have four hundred open repairs and two surveyors.”\n\nEnd.")
    assert [(q.text[:10], q.attribution.code, q.attribution.source_kind) for q in find_quotes(text)] == [
        ("The boiler", "TENANT", "interview"), ("You ring, ", "TENANT", "interview"),
        ("We have fo", "HOUSING OFFICER", "interview")]


def test_one_paragraph_opened_by_capitals_is_no_speaker_convention() -> None:
    text = "Background\n\nNOTE: “Eligible” means registered before the census date.\n\nEnd."
    assert find_quotes(text) == []


def test_a_known_code_with_a_speech_verb_and_a_colon_opens_words_without_marks() -> None:
    text = after_coded_quotations(
        "QZ6 said: I wish they had been honest with us from the start, we could have coped with it.\n\nEnd."
    )
    last = find_quotes(text)[-1]
    assert (last.text[:6], last.attribution.code) == ("I wish", "QZ6")


def test_a_known_code_followed_by_parts_describing_the_speaker_attributes_the_quotation() -> None:
    text = ("Findings\n\nOlder people were kinder: “I can't fault them at all, they were marvellous” "
            "(participant 12, male, aged 65-74).\n")
    quote = only(text)
    assert (quote.attribution.code, quote.attribution.source_kind) == ("participant 12, male, aged 65-74", "interview")
    assert quote.attribution.facets["age_band"] == "65-74"


def test_a_role_and_a_code_alone_below_a_quotation_sign_it() -> None:
    text = after_coded_quotations(
        "“We know the families who struggle most are the ones least able to chase us every week.”\n\n"
        "Health visitor (QZ5)\n\nThe next section turns to the waiting list.\n"
    )
    last = find_quotes(text)[-1]
    assert (last.text[:16], last.attribution.code) == ("We know the fami", "QZ5")
    assert last.attribution.facets["role"] == "Health visitor"


def test_a_pseudonym_named_in_a_speech_tag_is_the_respondent_its_labels_name() -> None:
    text = "Findings\n\n" + "".join(
        f"“We waited {n} weeks before anyone rang us back about it.” ({label})\n\n"
        for n, label in ((2, "Nadia, mother"), (3, "Owen, father"))
    ) + "Later it improved. “Once we had a named nurse everything changed for us,” Nadia said.\n"
    last = find_quotes(text)[-1]
    assert last.text == "Once we had a named nurse everything changed for us"
    assert last.attribution.code == "Nadia"


def test_a_speech_tag_naming_a_role_at_length_after_the_splits_an_interrupted_quotation() -> None:
    text = ("Findings\n\n“Faith gets people through the door,” the minister at Elbury Methodist Church told us, "
            "“but it is the tea and the heating that keep them coming back.”\n")
    quotes = find_quotes(text)
    assert [q.text[:12] for q in quotes] == ["Faith gets p", "but it is th"]
    assert {q.lead_in_role for q in quotes} == {"minister at Elbury Methodist Church"}


def test_a_speech_tag_naming_a_report_makes_a_document_quotation() -> None:
    quote = only("Conclusions\n\n“Young carers should not have to choose between their families and their "
                 "education,” the foundation's report concludes.\n")
    assert quote.attribution.source_kind == "document"
    assert quote.text.startswith("Young carers should not")


def test_words_a_sentence_quotes_from_a_named_document_count_where_little_else_is_quoted() -> None:
    quote = only("Policy\n\nThe attendance guidance asks schools to “have regard to the needs of pupils with "
                 "caring responsibilities”, which the report calls too weak.\n")
    assert (quote.text[:11], quote.attribution.source_kind) == ("have regard", "document")


def test_a_person_named_in_full_with_clauses_about_them_before_a_speech_verb_is_the_speaker() -> None:
    quote = only("Findings\n\nDr Ama Boateng, of the University of Tremont, who led the research, said: “These are "
                 "children doing jobs that would be hard for adults.”\n")
    assert quote.attribution.code == "Dr Ama Boateng"


def test_a_person_named_in_full_in_an_as_lead_in_is_the_speaker() -> None:
    quote = only("Findings\n\nAs Halima Abdi, a ward administrator in Merti, put it, “for the first time the paper "
                 "says this land is ours”.\n")
    assert quote.attribution.code == "Halima Abdi"


def test_a_pseudonym_the_document_signs_with_an_age_is_the_speaker_where_named_alone() -> None:
    signed = "".join(f"“The bank closed and {what} went with it, every single one.” ({who})\n\n"
                     for what, who in (("the footfall", "Dev, 42, cafe owner"), ("the buses", "Callum, 19")))
    text = (f"Findings\n\n{signed}As Callum put it, “There is no one here in winter to open a shop for.”\n\n"
            "Dev, who sits on the shop's board, was cautiously optimistic: “It is not going to make us rich.”\n")
    assert [q.attribution.code for q in find_quotes(text)[-2:]] == ["Callum", "Dev"]


@pytest.mark.parametrize("lead_in", [
    "As Kwame, a trainee at the garage, put it,",
    "One trainee, Kwame, described the bus as",
])
def test_a_name_is_the_speaker_where_who_they_are_sits_beside_it_between_commas(lead_in: str) -> None:
    text = after_coded_quotations(f"{lead_in} “the only way out of the village after six in the evening”.\n")
    assert find_quotes(text)[-1].attribution.code == "Kwame"


def test_a_role_and_letter_naming_one_person_with_who_they_are_between_commas_is_the_speaker() -> None:
    text = after_coded_quotations("3.5 Staff member D, the night porter, told the investigation that “the lift had "
                                  "been out of order since the Friday before”.\n")
    assert find_quotes(text)[-1].attribution.code == "Staff member D"


def test_a_part_of_a_document_named_by_a_letter_is_no_speaker() -> None:
    text = after_coded_quotations("Appendix C describes the rota as “a rolling pattern of four nights on and four "
                                  "nights off”.\n")
    assert find_quotes(text)[-1].attribution.code is None


def test_a_hearing_transcript_reference_with_lines_is_provenance_too() -> None:
    text = ("4.2 Ms Harriet Ng, the council's former director, told the Inquiry: “I remember the report arriving, and "
            "I remember what I thought.” [Day 14/38:4–6]\n")
    (quote,) = find_quotes(text)
    assert (quote.attribution.code, quote.attribution.facets["provenance"]) == ("Ms Harriet Ng", "Day 14/38:4–6")


def test_a_hearing_transcript_reference_is_provenance_and_a_pronoun_stands_for_the_witness_named_above() -> None:
    text = ("4.2 Mr Tomas Reid, whose father lived at the home for six years, described the visits. He told "
            "the Inquiry: “Every time I asked about the bruises I was given a different answer.” [Day 6/41]\n")
    (quote,) = find_quotes(text)
    assert quote.attribution.code == "Mr Tomas Reid"
    assert quote.attribution.facets["provenance"] == "Day 6/41"


def test_a_pronoun_stands_for_the_witness_opening_the_paragraph_above_a_set_off_quotation() -> None:
    text = ("5.1 Mrs Ana Kowal gave birth in an ambulance two weeks after the closure. She described the "
            "journey:\n\n“It was forty minutes, and every one of them I thought something would go wrong.” "
            "[Day 12/5]\n")
    (quote,) = find_quotes(text)
    assert quote.attribution.code == "Mrs Ana Kowal"


@pytest.mark.parametrize("name", ["Mr Tomasz Wiśniewski", "Ms Zoë Núñez", "Dr Łucja Ørsted"])
def test_a_witness_named_with_accented_letters_is_the_speaker(name: str) -> None:
    text = (f"3.3 {name}, a community midwife, described the effect on home visits: “The travelling doubled "
            "overnight.” [Day 10/8]\n")
    (quote,) = find_quotes(text)
    assert quote.attribution.code == name


@pytest.mark.parametrize("verb", ["maintained", "insisted", "stressed", "conceded", "testified"])
def test_a_witness_reporting_with_a_verb_of_testimony_is_the_speaker(verb: str) -> None:
    text = f"4.2 Mr Julian Frost {verb} that the decision “was driven by safety, and only by safety” [Day 11/58].\n"
    (quote,) = find_quotes(text)
    assert quote.attribution.code == "Mr Julian Frost"


def test_words_signed_only_with_how_they_were_collected_are_by_the_person_the_sentence_names() -> None:
    text = after_coded_quotations("Priya, a student volunteer at the larder, called it “outsourcing to people "
                                  "who can’t say no” (interview, November 2021).\n")
    assert find_quotes(text)[-1].attribution.code == "Priya"


def test_a_hearing_transcript_reference_names_no_one_where_the_lead_in_names_no_person() -> None:
    text = ("4.3 The evidence on staffing was consistent. One former nurse was blunt: “We were two on nights for "
            "forty residents and everyone knew it.” [Day 9/12]\n")
    (quote,) = find_quotes(text)
    assert quote.attribution.code is None and quote.attribution.facets["provenance"] == "Day 9/12"


def test_an_organisation_responding_to_a_consultation_is_the_speaker_of_its_words() -> None:
    text = after_coded_quotations("3.4 The Riverside Tenants' Association said it supported the proposal but that "
                                  "“the work must start with the blocks that flood every winter”.\n")
    assert find_quotes(text)[-1].attribution.code == "Riverside Tenants' Association"


def test_an_organisation_quoting_its_own_policy_is_a_documents_source() -> None:
    text = after_coded_quotations("In its 2022 housing strategy, the Riverside Housing Trust said that “every "
                                  "tenant should have a named officer they can call”.\n")
    attribution = find_quotes(text)[-1].attribution
    assert (attribution.code, attribution.source_kind) == (None, "document")


def test_the_code_signing_the_quotation_before_is_no_lead_in_to_the_next() -> None:
    text = ("“Energy bills are what people talk about at the school gate every week.” (Juror 6)\n\n"
            "“Nobody asked us before, so this already feels different to me.” (Juror 3)\n\n"
            "“I came in thinking this would be about wind turbines, and it is really about who pays,” a "
            "juror said at the end of the weekend.\n")
    assert find_quotes(text)[-1].attribution.code is None


def test_words_in_marks_a_note_cites_are_a_documents_quotation_where_little_else_is_quoted() -> None:
    text = ("Skills policy\n\nThe white paper opened with the claim that the government would “put employers "
            "at the heart of a system built for providers”.12 The same document promised more besides.\n\n"
            "Notes\n\n¹² Department for Education, Skills for a Stronger Nation (2022), p. 3.\n")
    (quote,) = find_quotes(text)
    assert quote.text.startswith("put employers") and quote.attribution.source_kind == "document"


def test_a_name_in_a_lead_in_with_a_longer_clause_after_its_verb_is_the_speaker() -> None:
    text = after_coded_quotations("Peggy (81) worked the lofts for years. As Peggy put it when I read the "
                                  "article to her, ‘nimble fingers, my foot, look at the state of my hands’.\n")
    assert find_quotes(text)[-1].attribution.code == "Peggy"


def test_the_turns_of_a_label_that_only_asks_beside_answers_set_off_are_no_quotations() -> None:
    answers = ["MARGARET DUNN: Nothing. That was the terrible thing. Nothing happened. The foreman came round at "
               "four o’clock and said that’s us, ladies, and we put our needles in our bags and went home.",
               "MARGARET DUNN: For a while. Then you’d see them in the Co-op. It wasn’t the same. You can’t talk "
               "like you talked up there."]
    text = ("The lofts closed one by one through the 1960s. For many narrators the closures were remembered as "
            "the loss of a social world. In the following exchange, recorded in her kitchen, Margaret looks back:"
            f"\n\nRH: What happened on the last day?\n\n{answers[0]}\n\n"
            f"RH: Did you keep in touch with the others?\n\n{answers[1]}\n")
    set_off = [LayoutMark(text.index(answer), text.index(answer) + len(answer), "indented") for answer in answers]
    assert {q.attribution.code for q in find_quotes(text, set_off=set_off)} == {"MARGARET DUNN"}


@pytest.mark.parametrize(("lead_in", "speaker"), [
    ("4.4 Ms Karen Doyle, Director of Housing at the borough council, told us that her authority had been "
     "notified of fewer than a third of the households it later found had been placed in the town:", "Ms Karen Doyle"),
    ("4.6 Witness B, a mother of three who had been moved from the city to a former guest house on the coast, "
     "described the journey:", "Witness B"),
])
def test_a_person_whose_sentence_hands_over_at_length_to_a_set_off_block_is_its_speaker(lead_in: str,
                                                                                           speaker: str) -> None:
    words = ("They rang me at half eleven and said the taxi was coming at two, and I had to get the children out "
             "of school before it came.")
    text = f"{lead_in}\n\n{words}\n\n4.7 The committee heard more of the same.\n"
    set_off = [LayoutMark(text.index(words), text.index(words) + len(words), "indented")]
    assert [q.attribution.code for q in find_quotes(text, set_off=set_off)] == [speaker]


def test_a_second_quotation_in_the_sentence_of_a_named_speaker_is_theirs_too() -> None:
    text = after_coded_quotations(
        "4.5 Mr Adrian Selby, Head of Housing Options, acknowledged that notification was “not always done as "
        "promptly as it should be”, but told us that his teams were making “upwards of forty emergency "
        "placements on a Friday afternoon”.\n")
    assert [q.attribution.code for q in find_quotes(text)[3:]] == ["Mr Adrian Selby", "Mr Adrian Selby"]


def test_a_second_quotation_after_another_person_is_named_is_not_carried_to_the_first_speaker() -> None:
    text = after_coded_quotations(
        "4.5 Mr Adrian Selby, Head of Housing Options, acknowledged that notification was “not always done as "
        "promptly as it should be”, while Ms Patel told us that her teams were making “upwards of forty "
        "emergency placements on a Friday afternoon”.\n")
    (second,) = [q for q in find_quotes(text) if q.text.startswith("upwards")]
    assert second.attribution.code != "Mr Adrian Selby"


def test_a_pull_quotes_large_opening_mark_set_apart_from_its_first_word_still_opens_it() -> None:
    text = ("Young carers told us about the breaks.\n\n“ At residential I didn’t have to listen out for anyone. "
            "I just slept.”\n\nKieran, 11\n\nThe residential ran for three nights.\n")
    assert [(q.text, q.attribution.code) for q in find_quotes(text)] == [
        ("At residential I didn’t have to listen out for anyone. I just slept.", "Kieran")]


def test_an_inline_quotation_a_page_break_cuts_mid_sentence_is_read_whole() -> None:
    text = ("Thank you to everyone who talked to us. As Gloria, one of our peer researchers, said at our "
            "last meeting: \"People have been waiting a long time for\n\nsomeone to ask them. Now we need someone "
            "to listen.\"\n\nAbout this report\n")
    assert [q.text for q in find_quotes(text)] == [
        "People have been waiting a long time for someone to ask them. Now we need someone to listen."]


def test_an_inline_quotation_never_runs_past_a_paragraphs_end() -> None:
    text = ("As Gloria Mensah said at our last meeting: \"People have been waiting a long time.\n\n"
            "Someone has to ask them.\" That was the spirit of the day.\n")
    assert not any("Someone has to" in q.text for q in find_quotes(text))


def test_a_phrase_in_single_marks_a_role_speaks_in_its_sentence_is_their_quotation() -> None:
    text = ("9. When we asked why, the Housing Options Team Leader told us that during the autumn the team was "
            "‘carrying four vacancies and simply firefighting’.\n")
    assert [(q.text, q.lead_in_role) for q in find_quotes(text)] == [
        ("carrying four vacancies and simply firefighting", "Housing Options Team Leader")]


def test_single_marks_after_a_pronoun_speaking_are_the_words_of_the_post_seen_speaking_before_it() -> None:
    text = ("9. When we asked why, the Housing Options Team Leader told us that the team was short of staff. She "
            "accepted that Mrs B’s case ‘should have been escalated much sooner than it was’.\n")
    assert [(q.text, q.lead_in_role) for q in find_quotes(text)] == [
        ("should have been escalated much sooner than it was", "Housing Options Team Leader")]


def test_single_marks_after_a_role_someone_has_are_their_words() -> None:
    text = ("12. Mrs B’s advocate from the Citizens Advice described the family’s situation as ‘a textbook case of a "
            "child falling through the gaps’. I agree.\n")
    assert [(q.text, q.lead_in_role) for q in find_quotes(text)] == [
        ("a textbook case of a child falling through the gaps", "Mrs B’s advocate from the Citizens Advice")]


def test_single_marks_in_a_clause_whose_speaker_a_code_in_apposition_names_are_that_speakers() -> None:
    text = after_coded_quotations("One link worker, LW1, explained that staff had expected a signposting service, "
                                  "‘as if we just hand people a leaflet and wave them off’, whereas most needed "
                                  "several visits.\n", prefix="LW")
    assert [(q.text, q.attribution.code) for q in find_quotes(text)][-1] == (
        "as if we just hand people a leaflet and wave them off", "LW1")


def test_a_code_after_its_role_opening_the_lead_in_is_the_speaker() -> None:
    text = after_coded_quotations("Patient P09 described how the delay had affected her: ‘By the time they rang me "
                                  "I had almost talked myself out of it.’\n", prefix="P")
    assert find_quotes(text)[-1].attribution.code == "P09"


def test_a_short_quoted_comment_in_a_list_of_quoted_comments_is_a_quotation() -> None:
    text = ("What helped most?\n\n“Having someone text me the day before to check I was still coming.”\n\n"
            "“The tea and biscuits. I am serious.”\n\nThe group met weekly.\n")
    assert [q.text for q in find_quotes(text)][-1] == "The tea and biscuits. I am serious."


def test_a_short_quoted_phrase_on_its_own_is_no_quotation() -> None:
    text = after_coded_quotations("The scheme\n\n“Fix It First, Every Time.”\n\nThe group met weekly.\n")
    assert not any(q.text.startswith("Fix It") for q in find_quotes(text))


def test_a_quotation_whose_large_mark_never_closes_is_signed_by_a_dash_signature_below_it() -> None:
    text = ("Young carers told us what mattered.\n\n“ Tuesdays are the only time in the week when nobody needs me "
            "for anything.\n\n— Amira, 14, young carer\n\nthey first joined us, and the group grew.\n")
    assert [(q.text[:9], q.attribution.code) for q in find_quotes(text)] == [("Tuesdays ", "Amira")]


def test_a_signature_after_a_dash_may_name_a_type_of_respondent_in_lower_case_with_parts() -> None:
    text = ("Staff were not surprised.\n\n“Half of what we do is chasing people for the right letter.”\n"
            "– blue badge assessment team, workshop 2\n\nThe form was changed.\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["blue badge assessment team, workshop 2"]


def test_words_in_lower_case_after_a_dash_that_go_on_with_the_sentence_are_no_signature() -> None:
    text = after_coded_quotations("The question “How satisfied are you that your home is kept in good repair?” – "
                                  "was answered by 1,146 tenants.\n")
    assert not any(q.attribution and q.attribution.code and q.attribution.code.startswith("was")
                   for q in find_quotes(text))


def test_one_written_as_a_name_in_a_document_is_no_speakers_name() -> None:
    text = ("In Year One the service opened. Free-text comments mentioned continuity.\n\n"
            "One respondent wrote simply: “Better than being stuck on a trolley in the corridor for two days.”\n")
    assert [(q.attribution.code if q.attribution else None) for q in find_quotes(text)] == [None]


def test_a_quoted_box_set_into_a_broken_sentence_is_signed_by_the_label_below_it() -> None:
    text = ("Most host employers had not employed apprentices before, and many said they would not have done\n\n"
            "“I have worked on a period drama, a car advert and a music festival in one year.”\n\n"
            "Apprentice, creative industries, 20\n\nso without an agency to carry the paperwork.\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["Apprentice, creative industries, 20"]


def test_an_evaluation_in_lower_case_after_a_hyphen_on_the_quotations_line_is_no_signature() -> None:
    text = after_coded_quotations("Prompts\n\n\"What brings you here today, and who told you about it?\" - worked "
                                  "well, people talked freely\n")
    assert not any(q.attribution and q.attribution.code and q.attribution.code.startswith("worked")
                   for q in find_quotes(text))


def test_a_quotation_in_the_sentence_after_a_speech_tag_goes_on_in_the_tagged_speakers_voice() -> None:
    text = after_coded_quotations("“For about a year I did not speak to anybody apart from the man in the paper "
                                  "shop,” says Margaret Hollis, who is 81. “You do not notice it happening. You just "
                                  "stop going out.”\n")
    assert [q.attribution.code for q in find_quotes(text)][-2:] == ["Margaret Hollis", "Margaret Hollis"]


def test_quoted_comments_back_to_back_in_one_paragraph_are_one_quotation_each() -> None:
    text = after_coded_quotations("Selected comments\n\n‘I have joined the walking group and go every Thursday "
                                  "now.’ ‘The wait was too long. I needed help in November, not January.’\n")
    assert [q.text for q in find_quotes(text)][-2:] == [
        "I have joined the walking group and go every Thursday now.",
        "The wait was too long. I needed help in November, not January."]


def test_a_term_of_a_word_or_two_in_single_marks_is_no_quotation_though_a_role_speaks() -> None:
    text = "One respondent reported that working within the ‘flat structure’ was challenging.\n"
    assert find_quotes(text) == []


def test_a_survey_item_named_before_its_words_is_no_quotation() -> None:
    text = after_coded_quotations("The wellbeing measure includes the item “I have been feeling confident about "
                                  "the future most days”, and scores on it rose.\n")
    assert not any(q.text.startswith("I have been feeling") for q in find_quotes(text))


def test_a_pupil_who_told_the_reviewers_is_the_speaker_of_single_marks() -> None:
    quote = only("Reading\n\n‘I used to hide when we had to read out loud, but now I put my hand up,’ a Year 7 "
                 "pupil told reviewers.\n")
    assert quote.lead_in_role == "Year 7 pupil"


def test_a_question_a_survey_asks_is_not_a_quotation() -> None:
    text = after_coded_quotations("The FFT asks “Overall, how was your experience of our service?” each month.\n")
    assert not any(q.text.startswith("Overall, how") for q in find_quotes(text))


def test_labels_of_a_role_with_parts_opening_list_items_are_speakers() -> None:
    text = ("Staff described the toll in similar terms:\n\n"
            "- Outreach worker, voluntary sector: “I have done CPR on the same man three times this year.”\n\n"
            "- Housing options officer, council: “People shout at you because you are the face of the system.”\n\n"
            "Survey data support this.\n")
    assert [q.attribution.code for q in find_quotes(text)] == [
        "Outreach worker, voluntary sector", "Housing options officer, council"]


def test_labels_of_a_role_and_a_named_place_opening_turns_are_speakers() -> None:
    text = ("Responses\n\nResident, Little Farnham, aged 75+: “I do not have a mobile and I do not want one.”\n\n"
            "Student, Marston College: “Half my class comes in on the 14 bus every single morning.”\n")
    assert [q.attribution.code for q in find_quotes(text)] == ["Resident, Little Farnham, aged 75+",
                                                               "Student, Marston College"]


def test_a_paragraph_above_a_signature_after_a_dash_is_a_quotation_signed_by_it() -> None:
    quote = only("Training\n\nWe offered a nurse a job in March. She started in June, after eight weeks in a "
                 "caravan.\n\n– Aboriginal community-controlled organisation representative, Kimberley\n\n"
                 "Housing came up at every session.\n")
    assert quote.attribution.code == "Aboriginal community-controlled organisation representative, Kimberley"
    assert quote.text.startswith("We offered a nurse")


def test_a_paragraph_above_another_that_is_no_signature_is_no_quotation() -> None:
    assert find_quotes("Training\n\nWe offered a nurse a job in March and she started in June.\n\n"
                       "Housing came up at every session.\n") == []


def test_a_person_named_in_the_lead_in_speaks_and_the_code_after_the_words_is_provenance() -> None:
    text = after_coded_quotations(
        "Dr Ana Mirel, Clinical Director of the Wyvern Partnership, said that “for some of our patients the "
        "nearest team is a ninety-minute round trip” (QZ12).\n", prefix="QZ")
    last = find_quotes(text)[-1]
    assert last.attribution.code == "Dr Ana Mirel"
    assert last.attribution.facets["provenance"] == "QZ12"


def test_a_role_that_sums_things_up_in_a_few_words_is_their_speaker() -> None:
    quote = only("Workshops\n\nOne participant summarised the discussion as ‘community-led is not "
                 "community-funded’, a phrase the group adopted.\n")
    assert (quote.text, quote.lead_in_role) == ("community-led is not community-funded", "participant")


def test_a_speech_verb_with_an_adverb_hands_over_to_a_short_quotation() -> None:
    quote = only("Findings\n\nAsked what helped most, one parent said simply, “They picked up the phone.”\n")
    assert quote.lead_in_role == "parent"


def test_statements_a_survey_asked_respondents_to_rate_are_not_their_words() -> None:
    text = after_coded_quotations("Families rated their agreement with statements such as “My navigator knew "
                                  "what my family needed” and “I knew who to call when I had a problem”.\n")
    assert len(find_quotes(text)) == 3


def test_a_title_with_a_subtitle_in_marks_is_not_a_quotation() -> None:
    text = after_coded_quotations("We launched our inquiry, “Rural mental health services: access and "
                                  "outcomes”, in February.\n")
    assert len(find_quotes(text)) == 3


def test_a_label_naming_a_concept_in_marks_is_not_a_speaker() -> None:
    text = after_coded_quotations("Concept A: “Money Check-in” is a monthly summary screen.\n\n"
                                  "Concept B: “Pocket Coach” is a nudge each week.\n")
    assert len(find_quotes(text)) == 3


def test_a_speech_tag_naming_a_person_with_an_age_gives_that_label() -> None:
    quotes = find_quotes("Waiting\n\n“I kept checking my emails,” Grace, 52, told us. “Every day. For five "
                         "months.”\n")
    assert [q.attribution.code for q in quotes] == ["Grace", "Grace"]


def test_words_in_single_marks_a_sentence_quotes_from_a_named_plan_are_a_document_quotation() -> None:
    quote = only("Context\n\nThe council's Bus Service Improvement Plan set the aim that ‘every settlement of more "
                 "than 200 people should have a bus on five days a week’.\n")
    assert quote.attribution.source_kind == "document"


def test_a_person_named_after_a_paragraph_number_who_told_the_panel_is_the_speaker() -> None:
    quote = only("Findings\n\n3.3 Councillor Priya Donnelly, Cabinet Member for Housing, told the Panel: “I will "
                 "not pretend this is where we want to be.”\n")
    assert quote.attribution.code == "Councillor Priya Donnelly"


def test_terms_of_reference_in_marks_are_not_a_quotation() -> None:
    text = after_coded_quotations("The Panel was set up with these terms of reference: “How effectively does "
                                  "the Council meet its duties to families in temporary accommodation?”\n")
    assert len(find_quotes(text)) == 3


def test_a_phrase_a_cited_author_calls_something_is_a_document_quotation() -> None:
    quote = only("Background\n\nLess attention has been paid to what Marchetti (2017) calls ‘the slow "
                 "accumulation of ordinary sadness’ in night work.\n")
    assert (quote.text, quote.attribution.source_kind) == ("the slow accumulation of ordinary sadness", "document")


def test_a_name_with_a_role_between_commas_before_a_speech_verb_is_the_speaker_of_single_marks() -> None:
    quote = only("Findings\n\nHannah, an emergency medical technician, said that at night crews become ‘the "
                 "social worker, the GP and the taxi’, which was itself a strain.\n")
    assert quote.attribution.code == "Hannah"


def test_figures_after_a_label_and_a_colon_are_no_ones_words() -> None:
    text = after_coded_quotations("References\n\nMarchetti L (2017) Ordinary sadness. Work,\nHealth and Society "
                                  "29 (1): 104-121.\n")
    assert len(find_quotes(text)) == 3


@pytest.mark.parametrize("prompt", [
    "“How confident are you using the internet on your own?”",
    "“Tell me about the last bus journey you made that went wrong.”",
    "“Tell us about the last birth in your family and who was there”",
    "“If you could change one thing about the service, what would it be?”",
    "“Tell me about the tutors. What makes a good tutor?”",
])
def test_a_question_or_prompt_put_to_respondents_with_no_speaker_is_not_a_quotation(prompt: str) -> None:
    text = after_coded_quotations(f"The topic guide opened with a broad question.\n\n{prompt}\n")
    assert len(find_quotes(text)) == 3


def test_a_question_a_named_respondent_asks_is_their_quotation() -> None:
    text = after_coded_quotations("“How are you supposed to plan when the rota comes out on a Friday?” (QZ4)\n")
    assert find_quotes(text)[-1].attribution.code == "QZ4"


def test_a_reports_own_recommendations_pointing_to_its_paragraphs_quote_no_one() -> None:
    text = ("Conclusions and recommendations\n\n"
            "1. The Government should, within six months, bring forward proposals to amend the remand "
            "conditions so that a child is remanded only where no community option could manage the risk. "
            "(Paragraph 16)\n\n"
            "2. Every youth court should have access, on every sitting day, to a worker able to offer an "
            "emergency placement. (Paragraph 15)\n\n"
            "3. Children on remand should be offered education on the same basis as sentenced children. "
            "(Paragraph 11)\n")
    assert find_quotes(text) == []


def test_codes_as_the_subjects_of_speech_verbs_are_learned_and_name_the_words_their_clauses_quote() -> None:
    text = ("Findings\n\nOfficers doubted the maps. PP4 observed that the trail ‘tells you where, never why’, and "
            "PP2, half-joking, described the tag as ‘a very expensive alarm clock’ for most of those on it. "
            "As FM2 put it, ‘we see the kitchen, not the map’.\n")
    assert [(q.text, q.attribution.code) for q in find_quotes(text)] == [
        ("tells you where, never why", "PP4"), ("a very expensive alarm clock", "PP2"),
        ("we see the kitchen, not the map", "FM2")]


def test_a_single_marked_quotation_with_a_comma_after_its_mark_ends_there_before_the_speech_tag() -> None:
    text = ("Findings\n\nOfficials saw themselves as caught between the state and the beach. ‘We are volunteers, "
            "but we are expected to be police’, the committee secretary told me (BMU secretary, interview, "
            "1 August 2022). The committee received no allowances.\n")
    assert [quote.text for quote in find_quotes(text)] == ["We are volunteers, but we are expected to be police"]


def test_a_speech_tag_saying_how_the_words_were_given_still_names_their_speaker() -> None:
    text = ("For Rosa and Alfredo Tapia, the formula worked.\n\n“That was our down payment. That was the whole "
            "thing,” Alfredo Tapia said by phone. “And the next family got the house at a price they could afford.”\n")
    assert [(quote.text[:12], quote.attribution.code) for quote in find_quotes(text)] == [
        ("That was our", "Alfredo Tapia"), ("And the next", "Alfredo Tapia")]


def test_a_sentence_quoting_a_few_words_before_the_code_that_ends_it_gives_those_words() -> None:
    text = ("Findings\n\nOne patient described her care at home as ‘like having the ward come to you’ (PC02). "
            "Several carers said their relative had been ‘more themselves’ than during earlier admissions "
            "(PC05, PC09).\n")
    assert [quote.text for quote in find_quotes(text)] == ["like having the ward come to you", "more themselves"]


def test_a_speakers_own_words_quoting_someone_before_their_code_are_the_whole_quotation() -> None:
    text = ("Findings\n\nOne patient described her care at home as ‘like having the ward come to you’ (PC02).\n\n"
            "I told them ‘not the hospital again’ and they listened to me for once (PC07).\n")
    assert find_quotes(text)[-1].text.startswith("I told them")


def test_a_code_opening_the_sentence_with_a_clause_about_the_speaker_names_a_short_inline_quotation() -> None:
    quote = find_quotes(SIGNED_ELSEWHERE + "Interviewee 4, who manages three hundred homes, said that most disputes "
                        "are lost “on paperwork, not on the state of the flat”.")[3]
    assert (quote.text, quote.attribution.code) == ("on paperwork, not on the state of the flat", "Interviewee 4")


def test_a_lead_in_ending_a_paragraph_with_a_colon_signs_nothing_before_it() -> None:
    text = SIGNED_ELSEWHERE + ("The household questions caused the most discomfort. QZ-11 narrated her way "
                               "through them like this:\n\n- “Why do they need to know what my rent is?”\n")
    assert not any(quote.text.startswith("The household") for quote in find_quotes(text))


def test_each_item_of_a_list_opening_with_its_own_speakers_label_is_that_speakers_quotation() -> None:
    text = ("Others questioned the choice of branches:\n\n"
            "- Respondent 0219 (Northfield): “The mobile library comes once a fortnight. That is not a service.”\n"
            "- Respondent 1877 (Central): “I would rather have one good library open until eight at night.”\n")
    assert [(q.text[:14], q.attribution.raw) for q in find_quotes(text)] == [
        ("The mobile lib", "Respondent 0219 (Northfield)"), ("I would rather", "Respondent 1877 (Central)")]


def test_a_question_of_the_record_after_an_inline_quotation_is_provenance_of_the_person_the_lead_in_names() -> None:
    text = ("5. Mr Peter Allingham, Director of Highways at the county council, told us that the operators "
            "\"concentrated on the trunk corridors between the market towns\" (Q 12). Mr Stott conceded that "
            "\"there was a period, I will not deny it, when it was a free-for-all\" (Q\n101), but considered "
            "those days \"long gone, and good riddance\" (Q 102).")
    assert [(q.attribution.code, q.attribution.facets.get("provenance")) for q in find_quotes(text)] == [
        ("Mr Peter Allingham", "Q 12"), ("Mr Stott", "Q 101"), ("Mr Stott", "Q 102")]


def test_words_quoted_earlier_in_the_sentence_stand_for_what_the_person_named_said() -> None:
    text = SIGNED_ELSEWHERE + ("Mr Desmond Kyle, giving evidence for the Association, called it “a lottery”, "
                               "“a race to the lowest price” and, on occasion, “frankly a waste of time”.")
    assert [(q.text, q.attribution.code) for q in find_quotes(text)[3:]] == [
        ("a race to the lowest price", "Mr Desmond Kyle"), ("frankly a waste of time", "Mr Desmond Kyle")]


def test_a_person_reported_at_length_before_the_words_quoted_is_their_speaker() -> None:
    text = SIGNED_ELSEWHERE + ("Mr Moriarty replied that the service was already demand-responsive and that "
                               "reducing it any further would leave it “a service in name only”.")
    assert [(q.text, q.attribution.code) for q in find_quotes(text)[3:]] == [
        ("a service in name only", "Mr Moriarty")]


def test_a_pronoun_speaking_inline_stands_for_the_one_titled_person_the_paragraph_names() -> None:
    text = SIGNED_ELSEWHERE + ("2.2 Ms Ní Fhloinn of Rural Access Ireland gave evidence on the second day. She "
                               "stressed that the operators were doing “remarkable work with very little”.")
    assert [(q.text, q.attribution.code) for q in find_quotes(text)[3:]] == [
        ("remarkable work with very little", "Ms Ní Fhloinn")]


@pytest.mark.parametrize("lead_in", ["In the words of Dr Tierney,", "Dr Tierney characterised the system as"])
def test_a_person_named_in_a_lead_in_of_their_words_or_characterising_speaks(lead_in: str) -> None:
    text = SIGNED_ELSEWHERE + f"{lead_in} “a patchwork held together by the goodwill of about four hundred people”."
    assert find_quotes(text)[3].attribution.code == "Dr Tierney"


def test_a_signature_after_a_dash_opening_with_a_code_may_describe_the_speaker_at_length() -> None:
    text = ("The waiting room was the worst part.\n\n“They call your name out and everyone turns round to look at "
            "you walking up.”\n\n“You feel like you are on trial before you have even sat down.”\n"
            "— C11, first visit to the service, aged 35 to 44, north of the city\n\nNext.")
    assert [q.attribution.code for q in find_quotes(text)] == ["C11", "C11"]


def test_a_long_dash_label_neither_opening_with_a_code_nor_describing_the_speaker_signs_nothing() -> None:
    text = ("The waiting room was the worst part.\n\n“They call your name out and everyone turns round to look at "
            "you walking up.”\n— Notes taken during the second round of visits to the three centres in the spring\n")
    assert [q.attribution for q in find_quotes(text) if q.attribution and q.attribution.code] == []


CODED_SUBJECTS = (
    "Signed quotations came first.\n\n“I rang the number on the letter and waited for forty minutes.” (C07)\n\n"
    "“The second call was answered straight away, which surprised me.” (C19)\n\n"
)


def test_a_code_opening_the_sentence_names_the_words_it_quotes_after_any_predicate() -> None:
    text = CODED_SUBJECTS + ("Some expected a test. C19 had printed every bank statement from the year “just so "
                             "nobody could say I was hiding anything”, and others came with nothing.\n")
    assert ("just so nobody could say I was hiding anything", "C19") in [
        (q.text, q.attribution and q.attribution.code) for q in find_quotes(text)]


def test_a_code_whose_predicate_says_the_words_reached_them_names_no_speaker() -> None:
    text = CODED_SUBJECTS + ("Some expected a test. C19 was told at the desk that “everyone needs photo "
                             "identification today”, which was not true.\n")
    assert [q.attribution.code for q in find_quotes(text) if q.text.startswith("everyone")] in ([], [None])


def test_a_pronoun_opening_the_clause_stands_for_the_one_code_its_paragraph_names() -> None:
    text = CODED_SUBJECTS + ("For C07, the wait set the tone for everything after it. She went on to describe "
                             "the hold music as “the soundtrack of being ignored” and hung up twice.\n")
    assert ("the soundtrack of being ignored", "C07") in [
        (q.text, q.attribution and q.attribution.code) for q in find_quotes(text)]


def test_a_pronoun_after_a_paragraph_naming_two_codes_names_no_speaker() -> None:
    text = CODED_SUBJECTS + ("C07 and C19 both waited. She went on to describe the hold music as “the "
                             "soundtrack of being ignored” and hung up twice.\n")
    assert [q.attribution and q.attribution.code for q in find_quotes(text) if q.text.startswith("the sound")] in (
        [], [None])


def test_a_place_in_the_recording_closing_a_dash_signature_leaves_the_speaker_to_the_signature() -> None:
    text = ("The elevators marked the edge of the known world.\n\n"
            "“When you came home from the city you would watch for them on the skyline, the tallest one first.”\n"
            "— Ada Krall, Corlis, July 9, 2019 [00:12:40]\n\nNext.")
    (quote,) = find_quotes(text)
    assert quote.attribution.code == "Ada Krall, Corlis"
    assert quote.attribution.facets["provenance"].endswith("00:12:40")


def test_a_titled_person_opening_a_sentence_that_hands_over_with_a_colon_names_the_words_after_it() -> None:
    text = ("Findings\n\n5. Dr Amara Osei, Chief Executive of the Network, made a similar point about the informality "
            "of much support: “A lot of what we do would not be recognised as provision at all. It is a neighbour "
            "phoning round.”\n\nNext.\n")
    assert [quote.attribution.code for quote in find_quotes(text)] == ["Dr Amara Osei"]


ARCHIVED = ("Background.\n\nWhat turned a rota into a project was the arrival of Ada Okoro. “Ada never asked anyone "
            "for permission”, as Harold Briggs put it{tag} (TS/OH/02). “She just started visiting people who were "
            "not on the list” (TS/OH/04).\n\nNext.\n")


def test_a_speech_tag_between_the_words_and_their_code_may_say_how_or_when_they_were_said() -> None:
    quotes = find_quotes(ARCHIVED.format(tag=", fondly, nearly forty years later"))
    assert [(quote.text[:9], quote.attribution.code) for quote in quotes] == [
        ("Ada never", "TS/OH/02"), ("She just ", "TS/OH/04")]


def test_words_opening_their_own_sentence_are_not_by_the_person_the_sentence_before_names() -> None:
    assert find_quotes(ARCHIVED.format(tag=""))[-1].attribution.code == "TS/OH/04"


def test_a_person_named_after_their_role_before_a_speech_verb_names_the_words_after_the_sentence() -> None:
    text = ("Findings\n\nThe partnership changed things. Buddies coordinator Grace Adeyemi says it has changed how "
            "her members see the church. “Before, it was the big building with the steps. Now it is the place "
            "where they did what we said.”\n\nNext.\n")
    assert [quote.attribution.code for quote in find_quotes(text)] == ["Grace Adeyemi"]


def test_a_document_named_after_a_possessive_before_a_speech_verb_is_no_person() -> None:
    text = ("Findings\n\nThe pilot's Project Delivery Manual stated that “the stipend is not a salary and creates "
            "no employment relationship between the worker and the county”.\n\nNext.\n")
    assert all(quote.attribution is None or quote.attribution.code != "Project Delivery Manual"
               for quote in find_quotes(text))


def test_a_first_name_with_two_clauses_about_them_before_a_speech_verb_names_the_speaker() -> None:
    text = ("Findings\n\nBev, a member since the first month, who asked us not to use her surname, says the model "
            "made the difference. “I would never have gone to a food bank. But this, you pay, you choose.”\n\nNext.\n")
    assert [quote.attribution.code for quote in find_quotes(text)] == ["Bev"]


def test_a_pronoun_interrupting_the_words_stands_for_the_one_person_its_paragraph_names_in_full() -> None:
    text = ("Findings\n\nFaith groups now provide most emergency food. Harjit Singh Gill is proud of that figure and "
            "uneasy about it. “It tells you we are doing something right,” he says, “and it tells you somebody else "
            "is doing something wrong.”\n\nNext.\n")
    assert [quote.attribution.code for quote in find_quotes(text)] == ["Harjit Singh Gill"] * 2


def test_a_label_below_a_quoted_paragraph_signs_it_rather_than_the_code_closing_the_paragraph_above() -> None:
    text = ("Findings\n\nI rang four times and gave up, and in the end I took it to the tip in my brother's van. "
            "(Tomek, 29, Ashdown)\n\n"
            "The lady was lovely. But I work shifts and by the time I am off they are shut, so it took "
            "me three weeks to get through. (Bev, 59, Meare)\n\n"
            "‘If there was a picture of my sofa and a button that said yes, we take this, I would have booked it.’\n\n"
            "Jay, 34, private renter\n\nNext.\n")
    assert find_quotes(text)[-1].attribution.code == "Jay"


def test_a_code_opening_a_later_clause_names_the_words_that_clause_runs_on_to() -> None:
    text = CODED_SUBJECTS + ("C07 called it “a bit much for a bank I have never heard of”, and C19 stopped to ask "
                             "whether the recording would be “kept forever or deleted once you have looked at it”.\n")
    assert [(q.text[:8], q.attribution.code) for q in find_quotes(text)][-2:] == [
        ("a bit mu", "C07"), ("kept for", "C19")]


def test_a_code_opening_the_sentence_keeps_the_words_its_second_predicate_runs_on_to() -> None:
    text = CODED_SUBJECTS + ("C07 had no trouble. C19 tried to tap the grey frame four times, and said afterwards "
                             "that he assumed “the app had crashed, because that is what a crash looks like”.\n")
    assert [q.attribution.code for q in find_quotes(text) if q.text.startswith("the app")] == ["C19"]


def test_turns_labelled_by_roles_in_capitals_or_with_an_acronym_and_a_site_are_each_speakers() -> None:
    text = ("Case study A\n\nThe firm introduced two home-working days for its office staff.\n\n"
            "Operations Director, Firm K: We introduced two home days for the office and I did not think about the "
            "floor at all.\n\n"
            "Machine setter, Firm K: Nobody on the floor wanted to work from home. We wanted a say over our week.\n\n"
            "HR adviser, Firm K: The petition was the best thing that happened to us. It forced the conversation.\n\n"
            "Next section.\n")
    assert [quote.attribution.code for quote in find_quotes(text)] == [
        "Operations Director, Firm K", "Machine setter, Firm K", "HR adviser, Firm K"]
