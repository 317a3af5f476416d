"""A text copied from a page, wrapped at a steady width with its blank lines lost, gets its paragraphs
back where the layout shows them end: a short last line, an indented block, an indented first line."""

from __future__ import annotations

from ingest.text.wrapped_paragraphs import with_paragraph_breaks

PROSE = (
    "Most of the staff we spoke to described the first winter as the hardest part of\n"
    "the programme, because the new rota arrived before the extra posts were filled and\n"
    "the same people covered every gap in the weekly timetable of both of the wards\n"
    "that had joined.\n"
)
QUOTE = (
    "    We were covering nights and days in the same week, and nobody upstairs\n"
    "    seemed to notice until two of us went off sick at the same time.\n"
)
AFTER = (
    "By the spring the posts were filled and the rota settled, although the two\n"
    "wards never shared their staff again in the way the plan had first intended,\n"
    "and the managers kept separate rotas for each of them from then on as well.\n"
)


def test_a_short_line_ends_its_paragraph_in_a_wrapped_block() -> None:
    assert with_paragraph_breaks(PROSE + AFTER) == PROSE + "\n" + AFTER


def test_an_indented_run_of_lines_is_set_apart_from_the_prose_around_it() -> None:
    text = PROSE.replace("that had joined.", "One nurse said:") + QUOTE + AFTER
    broken = with_paragraph_breaks(text)
    assert f"One nurse said:\n\n{QUOTE}\n{AFTER}" in broken


def test_an_indented_first_line_opens_a_paragraph_and_stays_with_it() -> None:
    opening = "   " + AFTER
    prose = PROSE.replace("that had joined.", "that had joined the programme in its first year, as it happened.")
    broken = with_paragraph_breaks(prose + opening)
    assert broken.endswith("\n\n" + opening)


def test_lines_hanging_under_a_turns_words_stay_in_the_turn_its_label_opens() -> None:
    turn = (
        "Resp: It means we end up putting them in a bed and breakfast miles from their\n"
        "      support, and then everybody wonders why they do not turn up at all for\n"
        "      appointments.\n"
    )
    text = PROSE + turn
    assert with_paragraph_breaks(text) == text


def test_a_text_whose_paragraphs_are_one_line_each_is_left_alone() -> None:
    text = "\n".join(f"Paragraph {n} is a single long line of prose, as a word processor saves it." if n % 2
                     else "Short." for n in range(10))
    assert with_paragraph_breaks(text) == text


def test_a_short_block_is_parted_at_the_width_the_whole_text_is_wrapped_at() -> None:
    block = ("5.2 Staff and training\n"
             "All delivery staff attended the initial training, and most of them rated it\n"
             "highly for phonics.\n"
             "The training was brilliant on phonics, but book talk was one slide. I went back\n"
             "and watched the videos in my own time. (Teaching assistant, School A)\n")
    broken = with_paragraph_breaks(PROSE + "\n" + AFTER + "\n" + block)
    assert broken.endswith("highly for phonics.\n\nThe training was brilliant on phonics, but book talk was one slide. "
                           "I went back\nand watched the videos in my own time. (Teaching assistant, School A)\n")


def test_a_code_in_brackets_on_the_line_below_stays_with_the_words_it_signs() -> None:
    signed = ("    We were covering nights and days in the same week, and nobody upstairs\n"
              "    noticed.\n    (Staff nurse, Ward 4)\n")
    text = PROSE + "\n" + AFTER + "\n" + signed
    assert with_paragraph_breaks(text) == text


def test_a_code_outdented_below_an_indented_exchange_still_ends_the_exchange() -> None:
    exchange = ("    Aoife:  Mrs Doherty's room is where you go if something's wrong, and\n"
                "            everyone knows that, though she teaches very few of us.\n"
                "    Rory:   She has biscuits in her drawer, but seriously, she listens, and\n"
                "            the counsellor is only in on a Wednesday, and you need a slip\n"
                "            from your form teacher on a Wednesday.\n")
    broken = with_paragraph_breaks(PROSE + "\n" + AFTER + "\n" + exchange + "    (Focus group 2, Year 12)\n")
    assert broken.endswith("on a Wednesday.\n\n    (Focus group 2, Year 12)\n")
