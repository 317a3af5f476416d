"""The sentence a quotation follows, as the role reader and the quotation windows cut it."""

from __future__ import annotations

from ingest.text.lead_ins import LEAD_IN_SCAN_CHARS, last_sentence, lead_in_sentence


def test_last_sentence_is_the_text_after_the_last_sentence_break() -> None:
    assert last_sentence("As one GP said, it was hard. Funding was later withdrawn:") == "Funding was later withdrawn:"


def test_last_sentence_collapses_spaces_and_keeps_a_short_sentence_whole() -> None:
    assert last_sentence("It was hard.\n\nAs  one\nsaid:") == "As one said:"


def test_last_sentence_breaks_before_an_opening_mark_but_not_before_a_lower_case_word() -> None:
    assert last_sentence("It ended. \u2018Quietly\u2019, she said:") == "\u2018Quietly\u2019, she said:"
    assert last_sentence("see p. 12 where he said:") == "see p. 12 where he said:"


def test_last_sentence_breaks_after_a_notes_call_in_plain_digits_closing_a_sentence() -> None:
    assert last_sentence("rates have not kept pace with retail and hospitality’.2 Bev was blunt: ") == "Bev was blunt:"
    assert last_sentence("Pay rates have not kept pace.12 Bev was blunt: ") == "Bev was blunt:"


def test_last_sentence_does_not_break_inside_a_section_number() -> None:
    assert last_sentence("As set out in section 4.2 The panel said: ") == "As set out in section 4.2 The panel said:"


def test_lead_in_is_the_sentence_before_the_quotation() -> None:
    before = "Findings\n\nSites struggled. However, this funding was less, as this commissioner said:\n\n\u201c"
    assert lead_in_sentence(before) == "However, this funding was less, as this commissioner said:"


def test_a_short_lead_in_fragment_takes_the_sentence_before_it() -> None:
    assert lead_in_sentence("Costs rose. The money ran out in the spring. As one said,\n\u201c") == (
        "The money ran out in the spring. As one said,")


def test_a_heading_above_the_lead_in_paragraph_is_left_out() -> None:
    before = "Funding and its end\n\nManagers spoke of the pilot ending early:\n\n\u201c"
    assert lead_in_sentence(before) == "Managers spoke of the pilot ending early:"


def test_the_end_of_the_previous_quotation_is_no_lead_in() -> None:
    assert lead_in_sentence("an earlier quotation\u201d (P3S6R01).\n\n\u201c") == ""
    assert lead_in_sentence("  \n\u201c") == ""


def test_the_lead_in_is_read_from_the_text_just_before_the_quotation_only() -> None:
    far = "Far back the plan said little of money and less of staff" + " padding" * LEAD_IN_SCAN_CHARS
    assert "Far back" not in lead_in_sentence(far + ", and then one said:")


def test_an_initial_before_the_bracket_describing_the_person_ends_no_sentence() -> None:
    assert last_sentence("We arrived at ten. Mrs D. (80s, lives alone) said ") == "Mrs D. (80s, lives alone) said"


def test_a_letter_ending_a_sentence_before_a_bracketed_aside_still_ends_it_before_a_capital() -> None:
    assert last_sentence("The hub opened in Area B. The manager said ") == "The manager said"
