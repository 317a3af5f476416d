"""A witness's answers in the transcript of a hearing: `A.` paragraphs after the witness is called.

Public inquiries, courts and committees print oral evidence as questions and answers: the witness
is called on a line of their own (`SERGEANT DANIEL OKONJO (affirmed)`, `MRS JANE HOLT (sworn)`),
counsel asks (`Q. ...`) and the witness answers (`A. ...`), a paragraph each. Every answer is the
witness's own words, so each `A.` paragraph is a quotation by the witness called last; a question
is not, as an interviewer's is not. Without a witness called before them, `Q.` and `A.` are as
often a page of questions and answers in the report's own voice, and give nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ingest.attribution_vocabulary import respondent_attribution
from ingest.quote_spans import Anchor, make_quote
from ingest.records import Quote

# A witness called, on a line of its own: a name in capitals, maybe with a rank or title, and how
# they were called. An index line (`... (affirmed) ........ 87`) is no call.
_CALLED = re.compile(
    r"^[ \t]*(?P<name>(?:[A-Z][A-Z’'.-]*[ \t]+){0,5}[A-Z][A-Z’'-]+)[ \t]*"
    r"\((?i:sworn|affirmed|re-?called|recalled|called|continued|on[ \t]+former[ \t]+oath)\)[ \t]*$",
    re.MULTILINE,
)
# A question's or an answer's letter opening a paragraph.
_QUESTION = re.compile(r"(?:^|(?<=\n\n))[ \t]*Q\.?[ \t]+(?=\S)")
_ANSWER = re.compile(r"(?:^|(?<=\n\n))[ \t]*A\.?[ \t]+(?=\S)")
# A transcript asks and answers this many times at least.
MIN_ANSWERS = 2


def hearing_answers(text: str) -> list[Quote]:
    """Each answer of a witness called in a hearing's transcript, as their quotation."""
    calls = [(match.start(), " ".join(match.group("name").split())) for match in _CALLED.finditer(text)]
    answers = list(_ANSWER.finditer(text))
    if not calls or len(answers) < MIN_ANSWERS or len(_QUESTION.findall(text)) < MIN_ANSWERS:
        return []
    starts = [start for start, _ in calls]
    quotes = []
    for answer in answers:
        called = bisect_right(starts, answer.start()) - 1
        if called < 0:
            continue
        witness = calls[called][1]
        end = text.find("\n\n", answer.end())
        anchor = Anchor(answer.start(), answer.start(), respondent_attribution(witness, witness), None)
        quote = make_quote(text, answer.end(), len(text) if end < 0 else end, anchor, inline=False)
        if quote is not None:
            quotes.append(quote)
    return quotes
