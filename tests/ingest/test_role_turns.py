"""Statements printed under their speakers' roles, without marks, one paragraph each: a run that reads
as speech is one quotation per turn; fields, abstracts and interviewers' questions are none."""

from __future__ import annotations

import pytest

from ingest.quotes import find_quotes


def _found(text: str) -> list[tuple[str, str | None]]:
    return [(quote.text, quote.attribution.code if quote.attribution else None) for quote in find_quotes(text)]


def test_a_run_of_roles_speaking_gives_each_turn_its_role_the_plain_ones_too() -> None:
    text = (
        "The points raised in the afternoon were these.\n\n"
        "Youth worker: I can’t get them to the clinic if the bus stops at six.\n\n"
        "School nurse: We’ve asked for a drop-in at lunchtime for two years now.\n\n"
        "Parent governor: Families hear about the service from each other, not from the school.\n\n"
        "The group agreed to ask the trust for a lunchtime session."
    )

    assert _found(text) == [
        ("I can’t get them to the clinic if the bus stops at six.", "Youth worker"),
        ("We’ve asked for a drop-in at lunchtime for two years now.", "School nurse"),
        ("Families hear about the service from each other, not from the school.", "Parent governor"),
    ]


def test_a_structured_abstract_in_the_reports_own_voice_holds_no_quotations() -> None:
    text = (
        "Objectives: We aimed to explore how staff used the shared record.\n\n"
        "Design: Qualitative interview study in four practices.\n\n"
        "Participants: We interviewed 24 staff, including nurses and receptionists.\n\n"
        "Results: We identified three themes about access, trust and workload."
    )

    assert _found(text) == []


@pytest.mark.parametrize("asker", ["Peer researcher", "RS"])
def test_an_interviewers_questions_in_a_run_of_roles_are_no_quotations(asker: str) -> None:
    text = (
        f"{asker}: What was the hardest part of moving so often?\n\n"
        "Tenant: Losing my things. I’ve got bags at three addresses.\n\n"
        f"{asker}: Did anyone at the college know?\n\n"
        "Student: One tutor. She let me charge my phone in her room."
    )

    assert all(not text.endswith("?") for text, _ in _found(text))


def test_roles_with_parts_and_plain_roles_in_one_run_each_speak_their_quoted_words() -> None:
    text = (
        "Practice manager, Tarn Valley Medical Group: “The doctors like the scheme, but it doesn’t come up in a "
        "ten-minute appointment.”\n\n"
        "Social prescribing link worker: “I’d refer far more if the form was shorter.”\n"
    )

    assert [code for _, code in _found(text)] == ["Practice manager, Tarn Valley Medical Group",
                                                  "Social prescribing link worker"]


def test_paragraphs_opening_with_someone_saying_are_lead_ins_not_roles() -> None:
    text = (
        "The hub opened in March and most families used it weekly.\n\n"
        "Dorota said: “I’m in at eight now, and I don’t worry about the bus any more.” Others were less sure.\n\n"
        "Later, Kasia explained: “I can’t get time off to come to the sessions, so it passes me by.” "
        "She asked for evening sessions.\n\n"
        "The hub plans to open two evenings a week from September."
    )

    assert not any("”" in text or text.endswith("sure.") for text, _ in _found(text))
