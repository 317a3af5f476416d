"""Tables a PDF sets without rules: read as rows of cells where columns line up after a wide gap,
and nowhere else (prose, bullet lists and numbered paragraphs stay text)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ingest.pdf_aligned_tables import AlignedRun
from ingest.pdf_layout import load_pdf
from tests.pdf_factory import Run, prose_lines, write_pdf

QUOTE_X = 170


def _page_text(tmp_path: Path, runs: list[Run]) -> str:
    return load_pdf(write_pdf(tmp_path, [runs])).pages[0].text


def _row(top: float, theme: list[str], quote: list[str]) -> list[Run]:
    return prose_lines(60, top, theme, leading=10, size=8) + prose_lines(QUOTE_X, top, quote, leading=10, size=8)


def test_a_table_of_quotations_without_rules_is_read_row_by_row(tmp_path: Path) -> None:
    runs = [Run(60, 80, "Theme", size=8), Run(QUOTE_X, 80, "Illustrative quotation", size=8)]
    runs += _row(96, ["Access and", "trust"],
                 ["“We only go on a Saturday because both", "of us work all week.” (Parent 15)"])
    runs += _row(126, ["Records"], ["“The summary goes to the practice and", "into a pile.” (Pharmacist 08)"])

    text = _page_text(tmp_path, runs)

    assert text.split("\n") == [
        "Theme\tIllustrative quotation",
        "Access and trust\t“We only go on a Saturday because both of us work all week.” (Parent 15)",
        "Records\t“The summary goes to the practice and into a pile.” (Pharmacist 08)",
    ]


def test_a_table_with_smaller_labels_and_padded_rows_is_read_row_by_row(tmp_path: Path) -> None:
    # Labels in 8.5-point type with their own leading, comments in 9-point type with theirs, and rows
    # set wide apart by the cells' padding, as a table printed from a web page may be.
    prose = [f"The {n} of the officers were candid about the constraints they faced, which the table sets out"
             for n in ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                       "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "last")]
    runs = [*prose_lines(60, 240, prose), Run(60, 80, "Respondent", size=9), Run(QUOTE_X, 80, "Comment", size=9)]
    for top, label, comment in [
        (100, ["Transport officer,", "county council"], ["We spent six months writing the bid and six months",
                                                         "wondering whether there would be another one.",
                                                         "That is no way to run a bus network."]),
        (150, ["Transport manager,", "unitary authority"], ["The money let us keep the Sunday service and",
                                                            "people underestimate how much that matters."]),
        (185, ["Transport planner,", "county council"], ["It works for the people who know it exists,",
                                                         "and most people still do not."]),
    ]:
        runs += prose_lines(60, top + 0.4, label, leading=11, size=8.5)
        runs += prose_lines(QUOTE_X, top, comment, leading=13.5, size=9)

    text = _page_text(tmp_path, runs)

    assert text.split("\n\n")[0].split("\n") == [
        "Respondent\tComment",
        "Transport officer, county council\tWe spent six months writing the bid and six months wondering whether "
        "there would be another one. That is no way to run a bus network.",
        "Transport manager, unitary authority\tThe money let us keep the Sunday service and people underestimate "
        "how much that matters.",
        "Transport planner, county council\tIt works for the people who know it exists, and most people still do not.",
    ]


def test_a_header_row_set_a_point_smaller_than_the_rows_heads_the_table(tmp_path: Path) -> None:
    runs = [Run(60, 80, "Stakeholder", size=8, style="bold"),
            Run(QUOTE_X, 80, "What they told us", size=8, style="bold")]
    for top, label, words in [(98, ["Food bank", "coordinator"], ["“We feel we are doing something about why",
                                                                 "people come.”"]),
                              (126, ["Volunteer"], ["“People tell me things at the table now",
                                                    "that they never said before.”"])]:
        runs += prose_lines(60, top, label, leading=11, size=9) + prose_lines(QUOTE_X, top, words, leading=11, size=9)

    text = _page_text(tmp_path, runs)

    assert text.split("\n")[0] == "Stakeholder\tWhat they told us"


def test_words_lining_up_after_ordinary_spaces_are_no_columns(tmp_path: Path) -> None:
    # "oooo" is 22.24 points wide in 10-point Helvetica: each line's second word starts one word space
    # after it, at the same x on every line.
    runs = [run for top in (80, 92, 104, 116)
            for run in (Run(60, top, "oooo"), Run(85, top, "words of running prose go on here."))]

    assert "\t" not in _page_text(tmp_path, runs)


def test_a_bulleted_list_is_no_table(tmp_path: Path) -> None:
    items = ["Who will be able to see my record?", "How will it be kept safe from hackers?",
             "Can I keep some of it private?", "When can I set my preferences?"]
    runs = [run for top, item in zip(range(80, 200, 14), items) for run in (Run(60, top, "•"), Run(78, top, item))]

    assert "\t" not in _page_text(tmp_path, runs)


def test_numbered_paragraphs_are_no_table(tmp_path: Path) -> None:
    paragraphs = [("12", "Operators told us that rural routes have become hard to run."),
                  ("13", "Local authorities described the same pressure from their side."),
                  ("14", "The consequences fall hardest on people who do not drive.")]
    runs = [run for top, (number, words) in zip(range(80, 200, 14), paragraphs)
            for run in (Run(60, top, number), Run(84, top, words))]

    assert "\t" not in _page_text(tmp_path, runs)


def test_an_exchange_with_its_speakers_labels_in_a_margin_is_read_turn_by_turn(tmp_path: Path) -> None:
    turns = [("Moderator:", ["What do you do to feel safer on the way home at night?"]),
             ("Participant B:", ["We all share our locations with each other, and if someone is",
                                 "not home by midnight somebody will text them."]),
             ("Participant D:", ["And if they do not answer, you ring their mum."]),
             ("Moderator:", ["How does that make you feel about the town centre?"])]
    runs, top = [], 80.0
    for label, lines in turns:
        runs.append(Run(60, top, label, style="bold"))
        runs += prose_lines(150, top, lines, leading=13)
        top += 13 * len(lines) + 6

    text = _page_text(tmp_path, runs)

    assert "\t" not in text
    assert "Participant B: We all share our locations with each other, and if someone is\nnot home" in text
    assert "Participant D: And if they do not answer, you ring their mum." in text


def test_a_tables_last_column_above_prose_that_spans_the_page_stays_in_its_rows(tmp_path: Path) -> None:
    runs = [Run(60, 80, "Theme", size=8), Run(QUOTE_X, 80, "Illustrative quotation", size=8),
            Run(440, 80, "Participant", size=8)]
    rows = [("Access", ["“We only go on a Saturday because both of us work all week,",
                        "and by then the queue is out of the door and round the",
                        "corner, so we wait in the car with the heater on.”"], "Parent 15, rural"),
            ("Records", ["“The summary goes to the practice and into a pile that",
                         "nobody reads, and then they ring me to ask what the",
                         "summary said, which is what it was there for.”"], "Pharmacist 08"),
            ("Trust", ["“They listened, which is more than I can say for the last",
                       "lot who came round with their clipboards and their",
                       "leaflets and never came back to tell us anything.”"], "Resident 3, urban")]
    for index, (theme, quote, participant) in enumerate(rows):
        top = 96 + 40 * index
        runs += [*_row(top, [theme], quote), Run(440, top, participant, size=8)]
    runs += prose_lines(60, 230, [f"Paragraph line {n} of the findings runs right across the page from one margin"
                                  f" to the other, {n}." for n in range(12)])

    text = _page_text(tmp_path, runs)

    assert text.split("\n")[2] == (
        "Records\t“The summary goes to the practice and into a pile that nobody reads, and then they ring me to"
        " ask what the summary said, which is what it was there for.”\tPharmacist 08")


def test_a_table_across_both_columns_of_a_two_column_page_is_read_row_by_row(tmp_path: Path) -> None:
    runs = [Run(60, 80, "Theme", size=8), Run(QUOTE_X, 80, "Illustrative quotation", size=8),
            Run(440, 80, "Source", size=8)]
    rows = [("Waiting", ["“I sat by the phone all morning and it rang at four,", "when I was on the bus.”"],
             "Study 4, patient"),
            ("Seeing", ["“She could not see the rash, so she sent me to the", "walk-in centre anyway.”"],
             "Study 9, patient")]
    for index, (theme, quote, source) in enumerate(rows):
        top = 96 + 30 * index
        runs += [*_row(top, [theme], quote), Run(440, top, source, size=8)]
    left = textwrap.wrap("Patients described waiting for calls that came late or never, and planning whole days "
                         "around a window of several hours. Those in work took calls in car parks and corridors, "
                         "and some gave up and went to the walk-in centre instead.", 40)
    right = textwrap.wrap("Clinicians valued the speed of a call for simple problems but distrusted it for anything "
                          "they needed to see or hear, and several said they booked a face-to-face appointment "
                          "after the call more often than the call replaced one.", 40)
    runs += prose_lines(60, 180, left) + prose_lines(320, 180, right)

    text = _page_text(tmp_path, runs)

    assert text.split("\n")[:3] == [
        "Theme\tIllustrative quotation\tSource",
        "Waiting\t“I sat by the phone all morning and it rang at four, when I was on the bus.”\tStudy 4, patient",
        "Seeing\t“She could not see the rash, so she sent me to the walk-in centre anyway.”\tStudy 9, patient",
    ]
    assert text.index("the walk-in centre instead.") < text.index("Clinicians valued")


def test_a_list_with_short_items_nested_under_its_bullets_is_no_table(tmp_path: Path) -> None:
    outline = [("Barriers to using the record", ["Training", "Logins", "Trust"]),
               ("Benefits for clinicians", ["Time saved", "Fewer calls", "Better notes"]),
               ("Risks to confidentiality", ["Access", "Misuse", "Consent"])]
    runs = prose_lines(60, 80, textwrap.wrap(
        "Staff were asked what helped and what hindered them in using the shared record, and their answers fell "
        "under three headings, each with the points that staff raised most often under it, as listed here.", 90))
    top = 120
    for heading, items in outline:
        runs += [Run(60, top, "•"), Run(78, top, heading)]
        for item in items:
            top += 16
            runs += [Run(96, top, "o"), Run(114, top, item)]
        top += 16

    assert "\t" not in _page_text(tmp_path, runs)


def test_a_table_whose_first_column_holds_short_sentences_is_no_row_of_boxes() -> None:
    # Both columns hold sentences and words enough; the first holds a small share of the characters.
    rows = [["Waiting at night.", "“We waited four hours in triage and nobody came to tell us what was going on.”"],
            ["Staff on the wards.", "“Lovely staff, but the ward was so hot that I barely slept for three nights.”"],
            ["Trust in the team.", "“The midwife who delivered my daughter stayed an hour past her shift for us.”"],
            ["Money and the budget.", "“Nobody could tell us who would pay for the parking after the second day.”"]]
    assert not AlignedRun(0, 8, rows, [170.0]).boxes
    assert AlignedRun(0, 8, [[row[1], rows[-1 - index][1]] for index, row in enumerate(rows)], [170.0]).boxes
