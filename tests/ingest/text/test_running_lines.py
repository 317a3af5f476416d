"""Running headers and footers of a text copied from a paged document: left out beside its page
breaks when they recur there, kept elsewhere; a page number surely at a page's end becomes its break."""

from __future__ import annotations

from ingest.text.running_lines import without_running_lines

BODY = "\n".join(f"Sentence {n} of the chapter goes on." for n in range(16))
NEXT = BODY.replace("chapter", "next chapter")


def test_a_header_beside_two_form_feeds_is_left_out_but_the_breaks_stay() -> None:
    text = f"Pathways After Arrival\n\n{BODY}\n\fPathways After Arrival\n{BODY}\n\fPathways After Arrival\n{BODY}"
    kept = without_running_lines(text)
    assert kept.count("Pathways After Arrival") == 1
    assert kept.count("\f") == 2


def test_a_footer_whose_page_number_changes_is_one_running_line() -> None:
    text = f"{BODY}\nMRC Working Paper 11 | 17\n\f{BODY}\nMRC Working Paper 11 | 18\n\f{BODY}"
    assert "Working Paper" not in without_running_lines(text)


def test_a_line_beside_only_one_page_break_is_kept() -> None:
    text = f"{BODY}\n\nPage 3 of 9\nA heading of its own\n\n{NEXT}"
    assert "\nA heading of its own\n" in without_running_lines(text)


def test_a_page_number_that_says_page_becomes_a_page_break() -> None:
    text = f"{BODY}\n\nPage 3 of 9\nA heading of its own\n\n{NEXT}"
    assert without_running_lines(text) == f"{BODY}\n\n\f\nA heading of its own\n\n{NEXT}"


def test_a_bare_page_number_beside_a_running_header_becomes_a_page_break() -> None:
    text = (f"TENANT VOICES\n\n{BODY}\nthe words run on\n\n                  14\nTENANT VOICES\n\n"
            f"over the break.\n{BODY}")
    expected = f"TENANT VOICES\n\n{BODY}\nthe words run on\n\n\f\n\n\nover the break.\n{BODY}"
    assert without_running_lines(text) == expected


def test_a_bare_page_number_before_a_form_feed_is_left_out() -> None:
    text = f"{BODY}\n\n   7\n\f{NEXT}"
    assert without_running_lines(text) == f"{BODY}\n\n\n\f{NEXT}"


def test_a_bare_number_with_nothing_around_it_that_recurs_is_kept() -> None:
    text = f"{BODY}\n\n12\n\n{NEXT}"
    assert without_running_lines(text) == text


def test_margin_line_numbers_are_no_page_breaks() -> None:
    numbered = "\n".join(f"{n}\nWords on line {n} of the manuscript." for n in range(1, 40))
    assert without_running_lines(numbered) == numbered


def test_a_header_on_the_first_page_and_beside_one_break_is_left_out_at_the_break() -> None:
    text = f"HOSPICE AT HOME STUDY\n\n{BODY}\n\nPage 11 of 24\nHOSPICE AT HOME STUDY\n\n{BODY}"
    assert without_running_lines(text).count("HOSPICE AT HOME STUDY") == 1


def test_rows_that_differ_only_in_their_figures_are_not_one_running_line() -> None:
    text = f"Site 1 12 14\n{BODY}\n\nPage 3 of 9\nSite 2 9 11\n{NEXT}"
    kept = without_running_lines(text)
    assert "Site 1 12 14" in kept and "Site 2 9 11" in kept


def test_running_lines_carrying_their_page_numbers_become_page_breaks() -> None:
    text = (f"{BODY}\nthe words run on\n\nCHILDHOOD AND CARE     41\n\nover the break.\n{BODY}\n\n"
            f"42     ANNUAL REVIEW OF HOUSING\n\n{NEXT}")
    kept = without_running_lines(text)
    assert "CHILDHOOD" not in kept and "ANNUAL REVIEW" not in kept
    assert kept.count("\f") == 2


def test_a_running_line_that_opens_with_its_page_number_and_a_bar_is_a_page_break() -> None:
    text = f"{BODY}\nPage 14 | Year 2 Evaluation Report\n{BODY}\nPage 15 | Year 2 Evaluation Report\n{NEXT}"
    assert "Evaluation Report" not in without_running_lines(text)


def test_table_rows_ending_in_figures_are_no_running_lines() -> None:
    text = f"{BODY}\nReferrals received     212\nReferrals accepted     187\n{NEXT}"
    assert without_running_lines(text) == text


def test_footnotes_at_the_foot_of_a_page_that_cuts_a_paragraph_move_below_its_end() -> None:
    text = (f"{BODY}\nand the words run on\n\n¹ A note on the method.\n² A note on the sample.\n\n"
            f"Page 4 of 9\n\nover the break.\n\n{NEXT}")
    kept = without_running_lines(text)
    assert kept.index("over the break.") < kept.index("¹ A note") < kept.index("² A note") < kept.index(NEXT)


def test_footnotes_below_a_paragraph_the_page_break_does_not_cut_stay() -> None:
    text = f"{BODY}\nand the paragraph ends.\n\n¹ A note on the method.\n\nPage 4 of 9\n\n{NEXT}"
    kept = without_running_lines(text)
    assert kept.index("¹ A note") < kept.index(NEXT)
