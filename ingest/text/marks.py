"""Quotation marks, as the text's lower layers need them without the quotation finder's machinery."""

from __future__ import annotations

OPENING_MARKS = "“‘\"'"
CLOSING_MARKS = "”’\"'"
