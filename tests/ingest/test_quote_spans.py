"""The spans of quotations already found, which later quotation passes must not cut across, and the
lead-ins that hand over to a quotation."""

from __future__ import annotations

import pytest

from ingest.quote_spans import Taken, ends_lead_in
from ingest.records import Quote


def _quote(start: int, end: int) -> Quote:
    return Quote(ordinal=0, text="x" * (end - start), char_start=start, char_end=end, attribution=None, inline=False,
                 lead_in_role=None)


TAKEN = [_quote(40, 60), _quote(10, 30), _quote(12, 14)]


@pytest.mark.parametrize(
    ("start", "end", "overlaps", "touches"),
    [
        (0, 5, False, False),
        (0, 10, False, True),
        (0, 11, True, True),
        (30, 40, False, True),
        (31, 39, False, False),
        (20, 25, True, True),
        (59, 70, True, True),
        (60, 70, False, True),
        (61, 70, False, False),
        (0, 100, True, True),
    ],
)
def test_a_span_overlaps_a_quotation_sharing_a_character_and_touches_one_beside_it(
    start: int, end: int, overlaps: bool, touches: bool
) -> None:
    taken = Taken(TAKEN)
    assert taken.overlaps(start, end) is overlaps
    assert taken.touches(start, end) is touches


def test_a_span_added_is_taken_from_then_on() -> None:
    taken = Taken(TAKEN)
    taken.add(70, 80)
    assert taken.overlaps(75, 90)
    assert not taken.overlaps(80, 90)


@pytest.mark.parametrize(
    ("lead_in", "hands_over"),
    [
        ("Mrs B told us:", True),
        ("The policy says:²", True),
        ("The policy says:2", True),
        ("The meeting opened at 10:30", False),
        ("The ratio was 3:1", False),
        ("The policy says", False),
    ],
)
def test_a_lead_in_ends_in_a_colon_maybe_with_a_notes_call_after_it(lead_in: str, hands_over: bool) -> None:
    assert ends_lead_in(lead_in + "\n\n", len(lead_in) + 2) is hands_over
