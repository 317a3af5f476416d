"""A hearing's transcript: each answer after a witness is called is the witness's quotation; the
questions are no one's, and questions and answers with no witness called are the report's own."""

from __future__ import annotations

from ingest.quotes import find_quotes

HEARING = (
    "Day 4\n\n"
    "MRS ANNE HOLT (sworn)\n\n"
    "Questions by COUNSEL TO THE INQUIRY\n\n"
    "Q. You ran the ward in the winter of 2019. How many nurses were on at night?\n\n"
    "A. Two, on a good night. On a bad night it was one and an agency nurse who had never seen the ward.\n\n"
    "Q. Did you raise that with anyone?\n\n"
    "A. I raised it every month, in writing, and I kept copies of every letter.\n\n"
    "DR PETER MARSH (affirmed)\n\n"
    "Q. Dr Marsh, you were the consultant on call that night?\n\n"
    "A. I was, and I was covering two hospitals eleven miles apart.\n"
)


def _found(text: str) -> list[tuple[str, str | None]]:
    return [(quote.text, quote.attribution.code if quote.attribution else None) for quote in find_quotes(text)]


def test_each_answer_is_a_quotation_by_the_witness_called_last_and_no_question_is() -> None:
    assert _found(HEARING) == [
        ("Two, on a good night. On a bad night it was one and an agency nurse who had never seen the ward.",
         "MRS ANNE HOLT"),
        ("I raised it every month, in writing, and I kept copies of every letter.", "MRS ANNE HOLT"),
        ("I was, and I was covering two hospitals eleven miles apart.", "DR PETER MARSH"),
    ]


def test_questions_and_answers_without_a_witness_called_are_the_reports_own() -> None:
    text = (
        "Frequently asked questions\n\n"
        "Q. Who can apply for the grant?\n\n"
        "A. Any household in the borough with an income below the threshold set out in section 2.\n\n"
        "Q. When will I hear back?\n\n"
        "A. Within six weeks of the date on which the council receives a complete application.\n"
    )
    assert _found(text) == []
