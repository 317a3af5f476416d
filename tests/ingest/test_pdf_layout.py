"""The PDF loader: reading order, furniture, hyphenation and paragraphs, and its errors.

Behaviour tests run on small PDFs written here byte by byte (Helvetica text drawn
with `Tj`), so no binary fixture or PDF-writing package is needed. The parity tests
compare the loader's words on the corpus PDFs with their text twins in
`../shared/corpus/`, and are skipped where that folder is absent.
"""

from __future__ import annotations

import difflib
import pickle
import re
from pathlib import Path

import pytest

from ingest.limits import ResourceLimits
from ingest.notes import NOTES_HEADING
from ingest.pdf_layout import (
    PageLimitExceeded,
    PdfEncrypted,
    PdfNoTextLayer,
    PdfUnreadable,
    load_pdf,
    page_count,
    read_page_range,
)
from tests.conftest import CORPUS
from tests.pdf_factory import Rule, Run, make_pdf, prose_lines, write_pdf

CORPUS_STEMS = [
    "000_b33752787a24be7e",
    "001_2ba9a7a7ff76eece",
    "003_8c976046bbdf297b",
    "004_797817d61329c19d",
]
MIN_PARITY = 0.97

# --- behaviour on generated PDFs ----------------------------------------------


def test_two_columns_are_read_left_then_right(tmp_path: Path) -> None:
    left = [f"left column line {i} says alpha {i}" for i in range(12)]
    right = [f"right column line {i} says beta {i}" for i in range(12)]
    runs = [Run(60, 60, "A Title That Spans The Whole Page Width Of This Article", size=14, style="bold")]
    for i in range(12):  # drawn row by row, as a naive text dump would read them
        runs.append(Run(60, 100 + 13 * i, left[i]))
        runs.append(Run(320, 100 + 13 * i, right[i]))
    runs.append(Run(60, 300, "A closing note that runs across both of the columns of this page"))

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    positions = [text.index(line) for line in left + right]
    assert positions == sorted(positions)
    assert text.index("A Title") < positions[0]
    assert text.index("A closing note") > positions[-1]


def test_single_column_justified_text_is_not_split(tmp_path: Path) -> None:
    lines = [f"word{i}    spaced    widely    across    line    {i}    of    the    page" for i in range(10)]
    text = load_pdf(write_pdf(tmp_path, [prose_lines(60, 80, lines)])).pages[0].text
    assert [line.split() for line in text.split("\n")] == [line.split() for line in lines]


def test_line_end_hyphens_are_joined_and_real_hyphens_kept(tmp_path: Path) -> None:
    lines = [
        "The co-ordinated work of each Van-",
        "guard site was long-term, and the long-",
        "term view shaped imple-",
        "mentation in every place.",
    ]
    text = load_pdf(write_pdf(tmp_path, [prose_lines(60, 80, lines)])).pages[0].text
    words = text.split()
    assert "Vanguard" in words
    assert "co-ordinated" in words
    assert words.count("long-term") == 1 and "long-term," in words
    assert "implementation" in words


def test_word_split_across_a_page_break_is_joined_on_the_first_page(tmp_path: Path) -> None:
    pages = [prose_lines(60, 80, ["The evaluation of the trans-"]), prose_lines(60, 80, ["formation ended there."])]
    document = load_pdf(write_pdf(tmp_path, pages))
    assert "transformation" in document.pages[0].text
    assert document.pages[1].text == "ended there."


def test_running_headers_footers_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    bodies = ["Findings came first.", "Then the discussion.", "And the conclusions."]
    pages = []
    for number, body in enumerate(bodies, 1):
        runs = [Run(60, 30, "Journal of Examples 12(3)", size=8), Run(520, 30, str(number), size=8)]
        runs += prose_lines(60, 80, [body])
        runs.append(Run(280, 800, f"Page {number}", size=8))
        pages.append(runs)

    document = load_pdf(write_pdf(tmp_path, pages))

    assert [page.number for page in document.pages] == [1, 2, 3]
    assert [page.text for page in document.pages] == bodies


def test_a_running_head_made_of_the_title_blocks_words_is_dropped_from_a_two_page_document(tmp_path: Path) -> None:
    first = [Run(60, 40, "Children and Young People Scrutiny Panel", size=9),
             Run(60, 70, "Review of Home to School Transport", size=16)]
    first += prose_lines(60, 120, ["The Panel heard that contracts were ‘priced on the assumption that the"])
    second = [Run(60, 30, "Children and Young People Scrutiny Panel", size=8),
              Run(330, 30, "Home to School Transport Review", size=8)]
    second += prose_lines(60, 80, ["same people turn up every day’, and that they do not."])

    pages = load_pdf(write_pdf(tmp_path, [first, second])).pages

    assert pages[0].text.startswith("Children and Young People Scrutiny Panel")
    assert pages[1].text == "same people turn up every day’, and that they do not."


def test_a_running_head_naming_authors_with_affiliation_letters_is_dropped_from_a_short_document(
        tmp_path: Path) -> None:
    first = [Run(60, 40, "Social Science and Medicine", size=9), Run(60, 70, "Care by the clock", size=16),
             Run(60, 100, "Mirela Quintero-Halea and Sean Branniganb", size=9)]
    first += prose_lines(60, 130, ["Comments on the survey echoed this view, one of them simply: “We are"])
    second = [Run(60, 30, "M. Quintero-Hale and S. Brannigan   Social Science and Medicine", size=8)]
    second += prose_lines(60, 80, ["paid for the visit, not for the person.” The agency replied."])

    pages = load_pdf(write_pdf(tmp_path, [first, second])).pages

    assert pages[1].text.startswith("paid for the visit")


def test_a_paragraphs_last_words_carried_to_the_next_page_are_no_running_head(tmp_path: Path) -> None:
    first = [Run(60, 40, "Review of Home to School Transport by the Scrutiny Panel", size=9)]
    first += prose_lines(60, 80, ["The Panel took evidence on the cost of the service and on the way it is run, and",
                                  "then it asked the officers for their view on the future of"])
    second = prose_lines(60, 30, ["transport to school by the Panel."], size=10)
    second += prose_lines(60, 80, ["The officers answered in writing in the spring, and the Panel met again."])

    pages = load_pdf(write_pdf(tmp_path, [first, second])).pages

    assert pages[1].text.startswith("transport to school by the Panel.")


def test_a_large_opening_mark_on_a_line_of_its_own_opens_the_paragraph_below_it(tmp_path: Path) -> None:
    runs = [Run(60, 80, "“", size=30), *prose_lines(60, 110, ["I came to help someone else and ended up",
                                                                "with a friend of my own."], size=11)]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert text.startswith("“\nI came to help")


def test_a_signature_aligned_right_ends_its_paragraph_before_the_next_line_at_the_left(tmp_path: Path) -> None:
    runs = [*prose_lines(100, 80, ["We have asked teachers to open a door, and that is right, but there is",
                                   "sometimes a child behind it who has been self-harming for a year."]),
            Run(400, 106, "— Head teacher, School D"),
            *prose_lines(60, 119, ["Wellbeing leads supported colleagues but described themselves as stretched."])]
    runs.append(Run(60, 132, "Several had taken on the role in addition to a full teaching load."))

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "— Head teacher, School D\n\nWellbeing leads" in text


def test_each_turn_of_an_exchange_with_plain_labels_opens_a_paragraph(tmp_path: Path) -> None:
    runs = [Run(74, 80, "Interviewer:"), Run(140, 80, "What do you remember about the assessment itself?"),
            Run(74, 93, "Rosa:"), Run(140, 93, "The chair. There was a chair by the door and I did not know"),
            Run(140, 106, "whether to sit in it, so I stood for the whole thing."),
            Run(74, 119, "Interviewer:"), Run(140, 119, "Did she ask you to sit?")]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert text.split("\n\n") == [
        "Interviewer: What do you remember about the assessment itself?",
        "Rosa: The chair. There was a chair by the door and I did not know\nwhether to sit in it, so I stood for the "
        "whole thing.",
        "Interviewer: Did she ask you to sit?"]


def test_footnotes_move_after_the_body_so_a_sentence_runs_on_across_the_page(tmp_path: Path) -> None:
    first = prose_lines(60, 80, ["The nurse said the new record, EMIS2, had changed how", "the two homes"])
    first += [Run(60, 700, "2", size=5), Run(66, 700, "Egton Medical Information Systems.", size=8)]
    second = prose_lines(60, 80, ["worked with the practice."])

    pages = load_pdf(write_pdf(tmp_path, [first, second])).pages

    assert pages[0].text == "The nurse said the new record, EMIS2, had changed how\nthe two homes"
    assert pages[1].text == f"worked with the practice.\n\n{NOTES_HEADING}\n\n² Egton Medical Information Systems."


def test_small_type_at_the_foot_without_a_note_marker_stays_in_place(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["Most homes joined in the first year."])
    runs.append(Run(60, 700, "Source: survey of 40 homes, 2019.", size=8))

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert text == "Most homes joined in the first year.\n\nSource: survey of 40 homes, 2019."


def test_margin_line_numbers_are_dropped_and_numbers_in_text_kept(tmp_path: Path) -> None:
    runs = [Run(36, 70 + 14 * i, str(i + 1), size=8) for i in range(20)]
    runs += prose_lines(70, 72, ["The study had 66 interviews", "across 5 sites in 2017."], leading=14)
    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text
    assert text == "The study had 66 interviews\nacross 5 sites in 2017."


def test_headings_block_quotes_and_attributions_are_paragraphs(tmp_path: Path) -> None:
    runs = [Run(60, 60, "Dedicated resources", size=12, style="bold")]
    runs += prose_lines(60, 80, ["Funding mattered, as this", "commissioner said:"])
    runs += prose_lines(90, 112, ["We were topping up the homes", "to keep the service going."], style="italic")
    runs.append(Run(90, 138, "(EHCH, Senior Manager 14, CCG)"))
    runs += prose_lines(60, 164, ["The next paragraph starts after", "a wider gap."])

    paragraphs = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text.split("\n\n")

    assert paragraphs == [
        "Dedicated resources",
        "Funding mattered, as this\ncommissioner said:",
        "We were topping up the homes\nto keep the service going.\n(EHCH, Senior Manager 14, CCG)",
        "The next paragraph starts after\na wider gap.",
    ]


def test_one_line_turns_with_space_between_stay_apart_and_a_wrapped_turn_joins(tmp_path: Path) -> None:
    # Most turns are one line, so most gaps between lines are the space between turns; the leading
    # is what lies between the lines of the turns that wrap. Equal words give the wrapped lines one width.
    wrapped = [
        ("Participant: money was short and time was short and staff were short,", "so we waited."),
        ("Participant: staff were short and money was short and time was short,", "and it showed."),
        ("Participant: time was short and staff were short and money was short,", "as ever."),
    ]
    turns = []
    for first, rest in wrapped:
        turns += [["Interviewer: What happened next?"], [first, rest]]
    turns.append(["Interviewer: Thank you."])
    runs, top = [], 80.0
    for turn in turns:
        runs += prose_lines(60, top, turn, leading=12)
        top += 12 * len(turn) + 12

    paragraphs = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text.split("\n\n")

    assert paragraphs == ["\n".join(turn) for turn in turns]


def test_turns_set_with_a_hanging_indent_are_one_paragraph_each(tmp_path: Path) -> None:
    turns = [
        ("Facilitator: What do you think makes this place different from the", "food bank?"),
        ("Denise: You pay. It is only a few pounds but you pay, and you", "choose. That is the difference to me."),
        ("Alan: And we never ask for a referral letter from anybody at all, and", "nobody has to explain themselves."),
    ]
    runs, top = [], 80.0
    for first, rest in turns:
        runs += [Run(60, top, first), Run(72, top + 12, rest)]
        top += 24

    paragraphs = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text.split("\n\n")

    assert paragraphs == [f"{first}\n{rest}" for first, rest in turns]


def test_a_line_opening_with_a_bold_label_after_a_finished_sentence_opens_a_paragraph(tmp_path: Path) -> None:
    runs = [
        Run(60, 80, "Facilitator:", style="italic"), Run(118, 80, "Is there anything about the hall you would change?"),
        Run(60, 92, "Gail:", style="bold"), Run(90, 92, "The queue. You stand outside where everyone"),
        Run(72, 104, "can see you, every single week."),
    ]

    paragraphs = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text.split("\n\n")

    assert [p.split(":")[0] for p in paragraphs] == ["Facilitator", "Gail"]


def test_attribution_at_the_margin_stays_with_its_quotation(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["As one lead put it:"])
    runs += prose_lines(90, 100, ["It takes time to build trust", "between the partners."], style="italic")
    runs += prose_lines(60, 126, ["(P3S1R03)", "The theme recurred at every site."])

    paragraphs = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text.split("\n\n")

    assert paragraphs == [
        "As one lead put it:",
        "It takes time to build trust\nbetween the partners.\n(P3S1R03)",
        "The theme recurred at every site.",
    ]


def test_ruled_table_rows_are_tab_separated_and_kept_in_place(tmp_path: Path) -> None:
    rows = [
        ["Factor", "Key component"],
        ["Leadership", "Supportive and commit-"],
        ["Evaluation", "Demonstrating value"],
    ]
    runs: list[Run | Rule] = prose_lines(60, 60, ["Text before the table."])
    for i, (first, second) in enumerate(rows):
        runs += [Run(64, 104 + 30 * i, first), Run(264, 104 + 30 * i, second)]
    runs.append(Run(264, 146, "ted to change"))
    runs += [Rule(60, 100 + 30 * i, 460, 100 + 30 * i) for i in range(4)]
    runs += [Rule(x, 100, x, 190) for x in (60, 260, 460)]
    runs += prose_lines(60, 210, ["Text after the table."])

    paragraphs = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text.split("\n\n")

    assert paragraphs == [
        "Text before the table.",
        "Factor\tKey component\nLeadership\tSupportive and committed to change\nEvaluation\tDemonstrating value",
        "Text after the table.",
    ]


def test_a_page_read_in_another_process_comes_back_as_it_was_read(tmp_path: Path) -> None:
    rows = [Run(64, 104 + 30 * i, f"Row {i}") for i in range(3)]
    rules = [Rule(60, 100 + 30 * i, 460, 100 + 30 * i) for i in range(4)] + [Rule(x, 100, x, 190) for x in (60, 460)]
    path = write_pdf(tmp_path, [[*prose_lines(60, 60, ["Words before a ruled box."]), *rows, *rules]])
    [page] = read_page_range(path, None, range(1, 2), ResourceLimits())
    assert page.lines and page.tables

    back = pickle.loads(pickle.dumps(page))

    assert (back.number, back.width, back.height) == (page.number, page.width, page.height)
    for lines, lines_back in ((page.lines, back.lines), (page.tables, back.tables)):
        assert [vars_of(line) for line in lines_back] == [vars_of(line) for line in lines]
        assert all(type(word) is type(lines[0].words[0]) for line in lines_back for word in line.words)


def vars_of(line: object) -> dict:
    return {name: getattr(line, name) for name in line.__slots__}  # type: ignore[attr-defined]


def test_max_pages_is_enforced_before_reading(tmp_path: Path) -> None:
    path = write_pdf(tmp_path, [prose_lines(60, 80, [f"page {n}"]) for n in range(3)])
    assert page_count(path) == 3
    with pytest.raises(PageLimitExceeded, match="3 pages, more than the limit of 2"):
        load_pdf(path, max_pages=2)
    assert len(load_pdf(path, max_pages=3).pages) == 3


def test_pdf_without_text_raises_no_text_layer(tmp_path: Path) -> None:
    with pytest.raises(PdfNoTextLayer, match="no text layer; OCR is not enabled"):
        load_pdf(write_pdf(tmp_path, [[], []]))


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_pdf_raises_unreadable(tmp_path: Path, keep: float) -> None:
    whole = make_pdf([prose_lines(60, 80, ["Some text that will be cut off."])])
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: int(len(whole) * keep)])
    with pytest.raises(PdfUnreadable):
        load_pdf(path)


def test_file_that_is_not_a_pdf_raises_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("just some notes, not a PDF")
    with pytest.raises(PdfUnreadable, match="not a readable PDF"):
        load_pdf(path)


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    path = write_pdf(tmp_path, [prose_lines(60, 80, ["Confidential findings."])], password="s3cret")
    with pytest.raises(PdfEncrypted, match="password is missing or wrong"):
        load_pdf(path)
    with pytest.raises(PdfEncrypted):
        load_pdf(path, password="wrong")
    assert load_pdf(path, password="s3cret").pages[0].text == "Confidential findings."


# --- parity with the corpus text twins ----------------------------------------

MARKUP = re.compile(r"\*\*|\*|</?i>")
LINE_NUMBER_PREFIX = re.compile(r"^(?:(?:[1-9]|[1-5][0-9]|60)(?:\s+|$))+")
LIST_MARKERS = {"-", "•"}


def comparable_words(text: str) -> list[str]:
    """Words of `text` without what is not prose: markup, line numbers, review furniture, table rows, list markers."""
    words = []
    for line in text.splitlines():
        if "\t" in line or "For peer review only" in line:
            continue
        line = LINE_NUMBER_PREFIX.sub("", MARKUP.sub("", line).strip())
        words.extend(word for word in line.split() if word not in LIST_MARKERS)
    return words


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("stem", CORPUS_STEMS)
def test_corpus_pdf_matches_its_text_twin(stem: str) -> None:
    document = load_pdf(CORPUS / "pdf" / f"{stem}.pdf")
    twin = (CORPUS / "text" / f"{stem}.txt").read_text(encoding="utf-8")

    loaded = comparable_words("\n\n".join(page.text for page in document.pages))
    expected = comparable_words(twin)
    ratio = difflib.SequenceMatcher(None, loaded, expected, autojunk=False).ratio()

    assert ratio >= MIN_PARITY, f"{stem}: word parity {ratio:.4f} < {MIN_PARITY}"
    assert [page.number for page in document.pages] == list(range(1, len(document.pages) + 1))


def test_ruled_box_of_running_prose_is_read_as_paragraphs_not_a_table(tmp_path: Path) -> None:
    box = [(104, "“The depot will stay open on Saturdays for as long as the"), (117, "drivers want it to."),
           (143, "“We will ask them again next spring and publish what they"), (156, "tell us about the rota.”")]
    runs: list[Run | Rule] = prose_lines(60, 48, [
        "The manager wrote to the drivers about the rota and the", "depot hours. She said:",
    ])
    runs += [Run(64, top, line) for top, line in box]
    runs += [Rule(60, top - 3, 460, top - 3) for top, _ in box] + [Rule(60, 172, 460, 172)]
    runs += [Rule(x, 101, x, 172) for x in (60, 460)]
    runs += prose_lines(60, 190, ["The rota was agreed in May and the drivers", "kept their Saturday shifts."])

    paragraphs = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text.split("\n\n")

    assert [" ".join(p.split()) for p in paragraphs] == [
        "The manager wrote to the drivers about the rota and the depot hours. She said:",
        "“The depot will stay open on Saturdays for as long as the drivers want it to.",
        "“We will ask them again next spring and publish what they tell us about the rota.”",
        "The rota was agreed in May and the drivers kept their Saturday shifts.",
    ]


def test_speakers_labels_in_a_margin_beside_their_turns_make_no_second_column(tmp_path: Path) -> None:
    runs = prose_lines(60, 60, ["Findings from the second round of groups were much the same as the first, and",
                                "the students spoke about the walk home more than anything else in town."])
    turns = [("Moderator:", "What do you do to feel safer on the way home at night?"),
             ("Participant B:", "We all share our locations with each other now."),
             ("Participant D:", "And if they do not answer, you ring their mum."),
             ("Moderator:", "How does that make you feel about the town centre?")]
    for index, (label, words) in enumerate(turns):
        runs += [Run(60, 110 + 30 * index, label, style="bold"), Run(150, 110 + 30 * index, words)]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "Participant B: We all share our locations with each other now." in text
    assert "Participant D: And if they do not answer, you ring their mum." in text


def test_a_note_call_raised_above_its_line_stays_in_the_sentence(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The white paper promised to “put employers first in a system built",
                                "for providers”."])
    runs.append(Run(124, 91, "12", size=5))

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    _, second = text.split("\n")
    assert second.startswith("for providers”.") and second.endswith("12")


def test_a_paragraphs_number_set_smaller_beside_a_line_with_a_raised_call_stays_on_that_line(tmp_path: Path) -> None:
    # The call's middle is near enough the line's to join it, the number's near enough the line's
    # but not the call's.
    runs = [Run(90, 80, "We investigate complaints about fault and injustice."), Run(330, 78.5, "1", size=6),
            Run(60, 82, "4.", size=9), *prose_lines(90, 93, ["The council accepted the findings in full."])]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert text.startswith("4. We investigate complaints")


def test_a_note_call_raised_above_a_line_opens_no_paragraph_below_it(tmp_path: Path) -> None:
    lines = ["The ombudsman investigates complaints about councils and the",
             "bodies in its remit, and the law says it cannot normally name the",
             "person complaining, so the report calls her Mrs B throughout."]
    runs = [*prose_lines(60, 80, lines), Run(342, 90.5, "1", size=6)]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "\n\n" not in text.strip()


def test_notes_numbered_one_after_another_keep_their_numbers_as_superscripts(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, [f"Line {n} of the body text of the page, with its calls to the notes below."
                                for n in range(1, 13)])
    for number in range(1, 6):
        runs += [Run(60, 690 + 12 * number, str(number), size=5),
                 Run(66, 692 + 12 * number, f"Interview with official {number}, March 2023.", size=8)]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "¹ Interview with official 1, March 2023." in text and "⁵ Interview with official 5" in text


def test_notes_numbered_with_a_stop_at_the_page_foot_in_smaller_type_leave_the_body(tmp_path: Path) -> None:
    body = [f"Line {n} of the body text of the page, with its calls to the notes below." for n in range(1, 13)]
    runs = prose_lines(60, 80, body)
    runs += [Run(60, 700, "3. Interview with a council leader, Ashby Moor District Council, 14 March 2024.", size=8),
             Run(60, 712, "4. Harwood Commission (2019), Trust and the Local State, p. 61.", size=8)]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert text.split("\n")[:len(body)] == body
    assert text[text.index(body[-1]) + len(body[-1]):].startswith(f"\n\n{NOTES_HEADING}\n\n3. Interview with")


def _body_beside(sidebar: list[Run]) -> list[Run]:
    body = [f"Line {word} of the body text, which runs down the page beside the" for word in
            ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
             "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")]
    return [*prose_lines(60, 80, body, size=9), *sidebar]


def test_a_narrow_sidebar_of_quotations_beside_the_body_is_a_column_of_its_own(tmp_path: Path) -> None:
    card = ["“I slept properly for the", "first time in weeks because", "I knew someone would ring.”"]
    runs = _body_beside([*prose_lines(420, 80, card, size=9), Run(420, 120, "Carer, interview 6", size=8),
                         *prose_lines(420, 150, card, size=9), Run(420, 190, "Carer, interview 9", size=8)])

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "\n".join(card) in text
    assert "Line one of the body text, which runs down the page beside the\nLine two" in text


def test_a_sidebar_on_baselines_of_its_own_is_a_column_of_its_own(tmp_path: Path) -> None:
    card = ["“Give us the bins and the", "parks and see what happens.", "Start with the bins.”"]
    runs = [*prose_lines(60, 85.5, card, leading=16.5, size=9), Run(60, 150, "Workshop participant", size=8)]
    # The card holds a twenty-fifth of the characters beside the gutter, its lines between the body's.
    body = [f"Line {number} of the paper's body text, set in a wide column beside" for number in range(1, 35)]
    runs += prose_lines(200, 80, body, size=9, leading=11)

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert re.search(r"Give us the bins and the\s+parks and see what happens\.\s+Start with the bins", text)


def test_attributions_set_alone_at_the_right_margin_make_no_sidebar(tmp_path: Path) -> None:
    runs: list[Run] = []
    top = 80
    for number in range(1, 4):
        runs += prose_lines(60, top, [f"Paragraph {number} of the findings, set in the body text of this page,",
                                      "with more of its sentences running on down to the quotation below."] * 3)
        runs += prose_lines(80, top + 80, [f"“The committee tells me things number {number} would never say",
                                           "in the clinic, and I would never hear them anywhere else.”"])
        runs.append(Run(430, top + 108, f"— Nurse {number}, Tali health centre", size=8))
        top += 130

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert re.search(r"anywhere else\.”\s+— Nurse 1, Tali health centre\s+Paragraph 2", text)


def test_a_tables_narrow_last_column_beside_its_other_columns_makes_no_sidebar(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The extracts below were chosen by the team from the interviews with staff."])
    rows = [("Distance", "“My mentor was forty minutes away in the high", "Marisol, first year teacher"),
            ("", "school, so we would text, and that was all.”", ""),
            ("Access", "“The meetings were in the county town on a", "Caleb, first year teacher"),
            ("", "Thursday night, ninety minutes each way.”", ""),
            ("Mentoring", "“The best thing she did was sit at the back", "Hannah, second year teacher"),
            ("", "of my room in October and just take notes.”", "")]
    for top, (theme, quotation, participant) in zip(range(110, 200, 14), rows):
        runs += [Run(60, top, theme, size=9), Run(150, top, quotation, size=9), Run(420, top, participant, size=9)]
    runs += prose_lines(60, 210, ["The themes are those of the fourth chapter, where they are discussed."] * 2)

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "\tMarisol, first year teacher" in text


def test_prose_lines_with_word_spaces_lined_up_make_no_page_column_of_a_tables_figures(tmp_path: Path) -> None:
    # Every prose line has a word space at the same x, as lines of a long page may by chance; the
    # table's last column of figures sits right of it.
    prose = ["The service was reviewed at each of the three sites over two years by a small team."] * 10
    runs = prose_lines(60, 80, [*prose, "It ended in May."])
    for top, (site, share) in zip(range(260, 320, 15), [("Site and number of patients seen", "Share (%)"),
                                                        ("A (Fenbridge) 112 21 64", "9"),
                                                        ("B (Cawley Vale) 98 35 78", "4"),
                                                        ("C (Harrowgate and District) 104 12 51", "22")]):
        runs += [Run(64, top, site, size=8.5), Run(420, top, share, size=8.5)]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    table = next(paragraph for paragraph in text.split("\n\n") if "Fenbridge" in paragraph)
    assert table.endswith("\tShare (%) 9 4 22")


def test_signatures_aligned_right_between_extracts_make_no_column(tmp_path: Path) -> None:
    runs = prose_lines(60, 80, ["The mills closed within a year of each other, and for many of those who worked",
                                "there the end still came as a shock. We close with a few of his short extracts."])
    top = 120
    for words, ending in [("They told us on a Thursday. A man came from head office in a big car and read", "it out."),
                          ("I was fifty. Who was going to take on a weaver of fifty? There was not a mill",
                           "left to go to."),
                          ("For the men on the night shift it was very hard. Many had no other trade, and",
                           "no English.")]:
        runs += [*prose_lines(66, top, [words, ending]), Run(330, top + 28, "— Jack Turner", size=9.6, style="italic")]
        top += 48
    runs += prose_lines(60, top, ["Jack died in the summer, before this booklet was finished, and it is his book."])

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "it out.\n\n— Jack Turner\n\nI was fifty." in text
    assert "left to go to.\n\n— Jack Turner\n\nFor the men" in text


def test_an_italic_headnote_is_a_paragraph_apart_from_the_upright_words_below_it(tmp_path: Path) -> None:
    runs = [*prose_lines(66, 80, ["born 1919; weaver at the Vale Mill from 1933 to 1968; interviewed in March 2002"],
                         size=9.6, style="italic"),
            *prose_lines(66, 95, ["I left school on the Friday and I started on the Monday. There was no question",
                                  "of doing anything else, and my mother took me down to the mill herself."])]

    text = load_pdf(write_pdf(tmp_path, [runs])).pages[0].text

    assert "March 2002\n\nI left school" in text


def _set_off_paragraphs(raw) -> list[tuple[str, str]]:
    page = raw.pages[0]
    paragraphs = page.text.split("\n\n")
    return [(paragraphs[index].split("\n")[0], kind) for index, kind in page.set_off]


def test_a_block_narrowed_a_little_on_both_sides_is_set_off_as_indented(tmp_path: Path) -> None:
    body = ["The booklet gives each narrator's words as they were spoken, with the editor's notes",
            "kept apart from them, so that a reader can tell the two voices apart at a glance."]
    runs = [*prose_lines(60, 80, body),
            *prose_lines(72, 115, ["I left school on the Friday and I started on the Monday and",
                                   "nobody asked me if I wanted to go in the mill at all."]),
            *prose_lines(60, 150, body)]

    assert _set_off_paragraphs(load_pdf(write_pdf(tmp_path, [runs]))) == [
        ("I left school on the Friday and I started on the Monday and", "indented")]


def test_a_paragraph_indented_as_little_but_reaching_the_right_edge_is_not_set_off(tmp_path: Path) -> None:
    body = ["The booklet gives each narrator's words as they were spoken, with notes",
            "kept apart from them, so that a reader can tell the two voices apart."]
    runs = [*prose_lines(60, 80, body),
            *prose_lines(72, 115, ["The second part of the booklet turns to the closures of the mills, and to",
                                   "how the narrators remember the last weeks."]),
            *prose_lines(60, 150, body)]

    assert _set_off_paragraphs(load_pdf(write_pdf(tmp_path, [runs]))) == []


def test_the_indent_of_blocks_in_smaller_type_filling_most_of_a_page_is_measured_from_the_body_text(
        tmp_path: Path) -> None:
    extract = ["I left school on the Friday and I started on the Monday. There was no question",
               "of doing anything else, and my mother took me down to the mill herself."]
    body = "The editor's notes run between the extracts in the body's type, at the column's own left edge."
    extracts = prose_lines(60, 80, [body])
    for top in range(100, 260, 40):
        extracts += prose_lines(75, top, extract, size=9.5)

    prose = [f"Page two carries on with the history of mill number {n}, in the body's type." for n in range(12)]
    raw = load_pdf(write_pdf(tmp_path, [extracts, prose_lines(60, 80, prose)]))

    assert [kind for _, kind in _set_off_paragraphs(raw)] == ["indented"] * 4
