"""Read a transcript: a document whose body is speaker turns (`Interviewer:`, `P1:`, `Dan:`, `BSR01 00:23`).

In a transcript every word a participant says is verbatim evidence with a known speaker, so
each participant turn is a quotation whose respondent is the speaker; the interviewer's turns
stay in the text as the context of the answers, but are never quotations. Paragraph numbers
and timestamps in a turn's header are provenance: kept in the quotation's facets, not its text.

Speaker labels are learned from the document: a label counts when it opens several lines.
Which speaker is the interviewer comes from the manifest, else from the label's wording
(`Interviewer`, `Moderator`, `Q`), else from who asks the questions.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ingest.records import Attribution, Quote
from ingest.text.paragraphs import paragraphs

TRANSCRIPT_KIND = "transcript"
SPEAKER_SCHEME = "speaker"

# A label opens at least this many lines before it is taken for a speaker.
MIN_LABEL_TURNS = 3
# A transcript has at least this many turns, by at least two speakers,
MIN_TURNS = 6
# and turns open at least this share of its paragraphs from the first turn on.
MIN_TURN_PARAGRAPH_SHARE = 0.6
# An exchange printed inside a report has at least this many turns; a question and its answer are
# enough where the interviewer is named in words ("Interviewer:", "Facilitator:"), not by a letter ("Q:").
MIN_EXCHANGE_TURNS = 3
MIN_NAMED_EXCHANGE_TURNS = 2
# What a page break puts between two parts of one exchange: a page number, a running header or footer.
MAX_FURNITURE_LINES = 3
MAX_FURNITURE_WORDS = 12
# An interviewer's turn says this many words at least, or asks: a form's `Interviewer: Tom Reddin` does not.
MIN_SPOKEN_WORDS = 4

INTERVIEWER_WORDS = frozenset({
    "interviewer", "int", "i", "iv", "q", "question", "moderator", "facilitator", "researcher", "host",
    "chair", "chairman", "chairwoman", "chairperson",
})
PARTICIPANT_WORDS = frozenset({
    "participant", "respondent", "interviewee", "p", "r", "a", "answer", "resp", "subject",
})

# A caption naming the interview an exchange is taken from, and its respondent's code.
_CAPTION_CODE = re.compile(
    r"\b(?:[Ii]nterview(?:ee)?|[Ee]xtract|[Ee]xcerpt|[Tt]ranscript)\b[^\n]{0,40}?"
    r"\b(?P<code>[A-Z]{1,4}[-_]?\d{1,4}[a-z]?|(?:Participant|Respondent|Interviewee)[ \t]\d{1,4})\b"
)
MAX_CAPTION_CHARS = 400
# A caption's own label, which opens no turn and is no quotation: `Extract 2:`, `Box 4.2`, `Case study 3.`
CAPTION_LABEL = re.compile(
    r"(?:extract|excerpt|interview|transcript|box|table|figure|exhibit|vignette|case[ \t]+study|quote|quotation)"
    r"[ \t]+[\dA-Z][\w.]{0,6}[.:]?[ \t]*",
    re.IGNORECASE,
)

# A transcript's header naming the interviewer's label: `Facilitator:   FAC`, `Interviewer: JH (research team)`.
_DECLARED_INTERVIEWER = re.compile(
    r"^[ \t]*(?i:co-)?(?i:interviewer|facilitator|moderator|researcher)[ \t]*:[ \t]*(?P<label>[A-Z][A-Za-z0-9]{0,11})"
    r"[ \t]*(?:\(|$)", re.MULTILINE,
)
# A line no turn runs past: a rule (`-----`, `***`), or a caption's label alone (`Excerpt D2`) opening the next extract.
_TURN_BREAK = re.compile(rf"^[ \t]*(?:(?:[-=_*~][ \t]*){{3,}}|(?i:{CAPTION_LABEL.pattern}))$", re.MULTILINE)

# A speaker's label: a name, role or code of a few words, maybe with the code in brackets after a role
# (`Respondent (P04)`).
_LABEL = r"[A-Z][\w'’-]{0,24}(?: [A-Z0-9][\w'’-]{0,24}){0,2}?(?: \([A-Z]{1,4}[-_]?\d{1,4}\))?"
_TIME = r"[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?"
# Where a turn may open: a line start, or after a sentence end where a layout ran turns together.
_OPENS = r"(?:^|(?<=[.?!…\"”’)\]] ))"
_NUMBER = r"(?:(?P<number>\d{1,4})[.)]?[ \t]+)?"


def header_patterns(label: str = _LABEL) -> tuple[re.Pattern[str], ...]:
    """Turn headers with speaker labels matching `label`, in the forms transcripts print them.

    `12 Dan: ...`, `[00:01:02] Interviewer: ...`, `P1 (00:23): ...`, and `BSR01 00:23` with
    the words on the next line (or after it, where a layout joined the lines).
    """
    colon = (
        rf"{_OPENS}{_NUMBER}(?:(?P<before>{_TIME})[ \t]+)?(?P<label>{label})(?:[ \t]+(?P<after>{_TIME}))?"
        r"[ \t]*:(?:[ \t]+|[ \t]*\n)(?=\S)"
    )
    timed = rf"{_OPENS}{_NUMBER}(?P<label>{label})[ \t]+(?P<after>{_TIME})[ \t]*[:–-]?(?:[ \t]*\n|[ \t]+)(?=\S)"
    return re.compile(colon, re.MULTILINE), re.compile(timed, re.MULTILINE)


_ANY_SPEAKER = header_patterns()
_TRAILING_NUMBER = re.compile(r"\s+\d+$")
_CODE_LABEL = re.compile(r"[A-Z]{1,4}[-_]?\d{1,4}[a-z]?")
# Words in the first or second person: someone speaking, not a report describing.
IN_PERSON = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Ww]e|[Uu]s|[Oo]urs?|[Yy]ou|[Yy]ours?)\b|\b\w+n[’']t\b")
# A participant told apart by a letter or a number (`Participant A`, `Speaker 2`): the labels of a
# group's exchange, which needs no interviewer to be one.
_NUMBERED_PARTICIPANT = re.compile(r"(?:Participant|Respondent|Interviewee|Speaker)[ \t]+(?:\d{1,3}|[A-Z])")
# A role with the respondent's code in brackets after it, as a turn's label: `Respondent (P04)`.
_ROLE_AND_CODE = re.compile(r"(?P<role>[A-Z][\w'’ -]{0,50}?) \((?P<code>[A-Z]{1,4}[-_]?\d{1,4})\)")


@dataclass(frozen=True)
class Turn:
    """One speaker turn: the header span, the spoken words' span, and the header's provenance."""

    speaker: str
    interviewer: bool
    header_start: int
    start: int
    end: int
    number: int | None
    timestamp: str | None


@dataclass(frozen=True)
class TranscriptReading:
    """A document read as turns, and the quotations its participant turns make."""

    turns: list[Turn]
    quotes: list[Quote]


def role_key(label: str) -> str:
    """A label's wording without its number: "Participant 3" -> "participant"."""
    return _TRAILING_NUMBER.sub("", label.strip().rstrip(".")).casefold().rstrip("0123456789")


def _generic(label: str) -> bool:
    """Whether a label only says its speaker is the respondent (`R:`, `Participant:`), with no number."""
    return label.strip().rstrip(".").casefold() in PARTICIPANT_WORDS


def _shape(label: str) -> str | None:
    """The shape of a numbered label, which the document's other speakers of that shape share: a
    code of capitals and digits (`P14`, `C22`, `S05` alike), or a word and a number (`Speaker #`).
    None for a label without a number (a name, `Interviewer`)."""
    if _CODE_LABEL.fullmatch(label):
        return "code"
    numbered = _TRAILING_NUMBER.search(label)
    return f"{label[:numbered.start()].casefold()} #" if numbered else None


def read_transcript(
    text: str, interviewers: tuple[str, ...] = (), declared: bool = False
) -> TranscriptReading | None:
    """The document's turns and participant quotations, or None when its body is not speaker turns.

    `declared` (the manifest says "transcript") accepts fewer turns; `interviewers` names the
    interviewer's labels where their wording does not say so.
    """
    named = {label.casefold() for label in interviewers}
    line_starts = Counter(m.group("label") for m in _headers(text, _ANY_SPEAKER) if _at_line_start(text, m.start()))
    needed = 1 if declared else MIN_LABEL_TURNS
    speakers = {label for label, n in line_starts.items() if n >= needed or label.casefold() in named}
    shape_turns: Counter[str | None] = Counter()
    shape_labels: Counter[str | None] = Counter()
    for label, n in line_starts.items():
        shape_turns[_shape(label)] += n
        shape_labels[_shape(label)] += 1
    shapes = {_shape(label) for label in speakers} | {
        shape for shape, n in shape_turns.items() if n >= needed and shape_labels[shape] >= 2}
    speakers |= {label for label in line_starts if _shape(label) in shapes - {None}}
    if not speakers:
        return None
    alternatives = "|".join(re.escape(label) for label in sorted(speakers, key=len, reverse=True))
    headers = _headers(text, header_patterns(f"(?:{alternatives})"))
    if not _is_transcript(text, headers, declared):
        return None
    asking = _interviewers(text, headers, named)
    turns = [
        _turn(text, match, headers[i + 1].start() if i + 1 < len(headers) else len(text), asking)
        for i, match in enumerate(headers)
    ]
    turns = [turn for turn in turns if turn.end > turn.start]
    quotes = [_quote(text, turn) for turn in turns if not turn.interviewer]
    return TranscriptReading(turns=turns, quotes=[_numbered(q, i) for i, q in enumerate(quotes)])


def exchange_quotations(text: str) -> list[Quote]:
    """The participant turns of interview exchanges a report prints (`Interviewer: ...` then `R3: ...`).

    An exchange is a run of turns opening lines one after another, each turn one paragraph at most,
    with MIN_EXCHANGE_TURNS turns or more by two speakers or more, one of them worded as the
    interviewer (so a list of `Aim:` and `Method:` lines is no exchange) or, where none is, a
    speaker who only asks, over the document, or the one speaking with a `Participant:`. Two turns
    do where the interviewer is named in words or known by their questions, or the other label says
    in a word that it answers (`Int:` then `Resp:`; a letter alone, `Q:` then `A:`, is as often a
    list of questions and answers). A group's exchange needs no interviewer where every label is a
    participant's (`Participant A:`, `Speaker 2:`), or where its people talk among themselves (see
    `_a_conversation`). The interviewer's turns (or, with none, the participants') must read as
    speech, so a record's fields (`Interviewer: Tom Reddin`) are none. Each other speaker's turn is
    a quotation by that speaker, as in a transcript; a generic label (`R:`) speaks for the
    respondent a caption above names (`Extract 2: Participant 6`, the caption's label no turn of its
    own), and an exchange a page break cut in two keeps its caption.
    """
    headers = [match for match in _headers(text, _ANY_SPEAKER)
               if _at_line_start(text, match.start()) and not CAPTION_LABEL.fullmatch(match.group("label"))]
    runs = [(run, _turn_ends(text, run)) for run in _runs(text, headers)]
    askers = _askers(text, runs)
    quotes = []
    captioned, previous_end = None, -1
    for run, ends in runs:
        labels = {match.group("label") for match in run}
        interviewers = {label for label in labels if role_key(label) in INTERVIEWER_WORDS}
        named = any(len(role_key(label)) > len("int") for label in interviewers)
        if not interviewers:
            interviewers = (labels & askers) or other_than_the_participant(labels)
            named = bool(interviewers)
        answers = any(role_key(label) in PARTICIPANT_WORDS and len(role_key(label)) > 1
                      for label in labels - interviewers)
        among_participants = not interviewers and (all(map(_NUMBERED_PARTICIPANT.fullmatch, labels))
                                                    or _a_conversation(text, run, ends))
        enough = len(run) >= (MIN_NAMED_EXCHANGE_TURNS if named or answers else MIN_EXCHANGE_TURNS)
        if not enough or len(labels) < 2 or not (interviewers or among_participants):
            continue
        turns = [_turn(text, match, end, interviewers) for match, end in zip(run, ends)]
        spoken = [turn for turn in turns if turn.interviewer or among_participants]
        if not any(_reads_as_speech(text[turn.start:turn.end]) for turn in spoken):
            continue  # a form's fields (`Interviewer: Tom Reddin`, `Location: ...`), not an exchange
        own_caption = _captioned_code(text, run[0].start())
        if own_caption is not None or not _only_furniture_between(text, previous_end, run[0].start()):
            captioned = own_caption
        previous_end = ends[-1]
        quotes += [_quote(text, turn, captioned) for turn in turns if not turn.interviewer and turn.end > turn.start]
    return quotes


def other_than_the_participant(labels: set[str]) -> set[str]:
    """Of two speakers, the one who is not labelled the participant (`Dan:` beside `Participant:`):
    the interviewer, named."""
    participants = {label for label in labels if _generic(label)}
    return labels - participants if len(labels) == 2 and len(participants) == 1 else set()


def _a_conversation(text: str, run: list[re.Match[str]], ends: list[int]) -> bool:
    """Whether turns with no interviewer are people talking among themselves (`Ernie: This did...`,
    `Walt: We were always here...`): two speakers or more take a turn twice or more, none is labelled
    by a letter alone (`Q:` and `A:` as often head a list of questions and answers), and most turns
    speak in the first or second person, as fields' values (`Note:`, `Source:`) do not."""
    labels = Counter(match.group("label") for match in run)
    in_person = sum(bool(IN_PERSON.search(text, match.end(), end)) for match, end in zip(run, ends))
    return (sum(count >= 2 for count in labels.values()) >= 2 and all(len(label) > 1 for label in labels)
            and 2 * in_person > len(run))


def _only_furniture_between(text: str, end: int, start: int) -> bool:
    """Whether only a page's furniture lies between two exchanges: a few short lines (a page number,
    a running header), so the second goes on with the first."""
    if end < 0:
        return False
    lines = [line for line in text[end:start].split("\n") if line.strip()]
    return len(lines) <= MAX_FURNITURE_LINES and all(len(line.split()) <= MAX_FURNITURE_WORDS for line in lines)


def _turn_ends(text: str, run: list[re.Match[str]]) -> list[int]:
    """Where each turn of a run ends: at the next header, the last at the end of its paragraph."""
    paragraph_end = text.find("\n\n", run[-1].end())
    return [match.start() for match in run[1:]] + [len(text) if paragraph_end < 0 else paragraph_end]


def _askers(text: str, runs: list[tuple[list[re.Match[str]], list[int]]]) -> set[str]:
    """Labels that only ask, over the document's exchanges (see `labels_that_only_ask`)."""
    return labels_that_only_ask((match.group("label"), text[match.end():end].rstrip().endswith("?"))
                                for run, ends in runs for match, end in zip(run, ends))


def labels_that_only_ask(turns: Iterable[tuple[str, bool]]) -> set[str]:
    """Of turns given as (label, whether it asks), the labels every turn of which is a question, in
    MIN_NAMED_EXCHANGE_TURNS turns or more, while another label answers (`TOM REDDIN:` asks,
    `EILEEN BRADY:` answers; a researcher's initials, `JH:`): the interviewer, where no label says so."""
    asked: Counter[str] = Counter()
    spoke: Counter[str] = Counter()
    for label, asks in turns:
        spoke[label] += 1
        asked[label] += asks
    askers = {label for label, n in spoke.items() if asked[label] == n >= MIN_NAMED_EXCHANGE_TURNS
              and role_key(label) not in PARTICIPANT_WORDS}
    return askers if len(askers) < len(spoke) else set()


def _reads_as_speech(words: str) -> bool:
    """Whether a turn's words read as said, not as a field's value: a question, or a sentence of a few words."""
    return "?" in words or (len(words.split()) >= MIN_SPOKEN_WORDS and words.rstrip()[-1:] in ".!…”\"")


def _captioned_code(text: str, start: int) -> str | None:
    """The respondent's code a caption names in the two paragraphs above an exchange
    (`Extract 1. Interview with YW-11`, `Extract 4.1: V04, Army`), for turns that a generic label (`R:`) speaks."""
    before = text[max(0, start - MAX_CAPTION_CHARS):start].rstrip()
    paragraphs_above = re.split(r"\n[ \t>]*\n", before)[-2:]
    for paragraph in reversed(paragraphs_above):
        match = _CAPTION_CODE.search(paragraph)
        if match is not None:
            return match.group("code")
    return None


def _runs(text: str, headers: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    """Turn headers in runs: one header follows another when only one paragraph, the first's turn, lies between."""
    runs: list[list[re.Match[str]]] = []
    for match in headers:
        if runs and "\n\n" not in text[runs[-1][-1].end():match.start()].strip():
            runs[-1].append(match)
        else:
            runs.append([match])
    return runs


def _headers(text: str, patterns: tuple[re.Pattern[str], ...]) -> list[re.Match[str]]:
    """Every turn header, the earlier one winning where two forms overlap."""
    found = sorted((m for p in patterns for m in p.finditer(text)), key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match[str]] = []
    for match in found:
        if not kept or match.start() >= kept[-1].end():
            kept.append(match)
    return kept


def _at_line_start(text: str, offset: int) -> bool:
    return offset == 0 or text[offset - 1] == "\n"


def _is_transcript(text: str, headers: list[re.Match[str]], declared: bool) -> bool:
    if not headers:
        return False
    if declared:
        return True
    if len(headers) < MIN_TURNS or len({m.group("label") for m in headers}) < 2:
        return False
    first = headers[0].start()
    after_first = [m for m in paragraphs(text) if m.end() > first]
    starts = [m.start() for m in headers]
    with_turn = sum(1 for p in after_first if _holds_any(starts, p.start(), p.end()))
    return with_turn / len(after_first) >= MIN_TURN_PARAGRAPH_SHARE


def _holds_any(sorted_offsets: list[int], start: int, end: int) -> bool:
    i = bisect_left(sorted_offsets, start)
    return i < len(sorted_offsets) and sorted_offsets[i] < end


def _interviewers(text: str, headers: list[re.Match[str]], named: set[str]) -> set[str]:
    """The interviewer's labels: named in the manifest, worded as such, declared in the transcript's
    header (`Facilitator:   FAC`), else the one who asks questions."""
    labels = {m.group("label") for m in headers}
    chosen = {label for label in labels if label.casefold() in named or role_key(label) in INTERVIEWER_WORDS}
    chosen |= {match.group("label") for match in _DECLARED_INTERVIEWER.finditer(text)} & labels
    if chosen or named:
        return chosen
    asks: Counter[str] = Counter()
    turns: Counter[str] = Counter()
    for i, match in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        turns[match.group("label")] += 1
        asks[match.group("label")] += "?" in text[match.end():end]
    candidates = [label for label in labels if role_key(label) not in PARTICIPANT_WORDS]
    if not candidates:
        return set()
    share = {label: asks[label] / turns[label] for label in labels}
    best = max(candidates, key=lambda label: share[label])
    others = [share[label] for label in labels if label != best]
    return {best} if share[best] > max(others, default=0.0) else set()


def _turn(text: str, match: re.Match[str], next_start: int, interviewers: set[str]) -> Turn:
    start, end = match.end(), next_start
    rule = _TURN_BREAK.search(text, start, end)
    if rule is not None:
        end = rule.start()
    while end > start and text[end - 1].isspace():
        end -= 1
    timestamp = match.groupdict().get("before") or match.group("after")
    number = match.group("number")
    return Turn(
        speaker=match.group("label"),
        interviewer=match.group("label") in interviewers,
        header_start=match.start(),
        start=start,
        end=end,
        number=int(number) if number else None,
        timestamp=timestamp.strip("[]()") if timestamp else None,
    )


def _quote(text: str, turn: Turn, captioned: str | None = None) -> Quote:
    """A turn as a quotation by its speaker; by the code a caption names, where the turn's label
    only says it is the respondent's (`R:`); by the code in brackets after a role (`Respondent (P04)`)."""
    code = captioned if captioned is not None and _generic(turn.speaker) else turn.speaker
    facets: dict[str, object] = {"speaker": turn.speaker}
    role_and_code = _ROLE_AND_CODE.fullmatch(code)
    if role_and_code is not None:  # `Respondent (P04)`: the respondent is P04, a respondent by role
        code, facets["role"] = role_and_code.group("code"), role_and_code.group("role")
    if turn.number is not None:
        facets["paragraph"] = turn.number
    if turn.timestamp is not None:
        facets["timestamp"] = turn.timestamp
    return Quote(
        ordinal=0,
        text=text[turn.start:turn.end],
        char_start=turn.start,
        char_end=turn.end,
        attribution=Attribution(
            raw=text[turn.header_start:turn.start].strip(), code=code, scheme=SPEAKER_SCHEME,
            source_kind="interview", facets=facets,
        ),
        inline=False,
        lead_in_role=None,
    )


def _numbered(quote: Quote, ordinal: int) -> Quote:
    return replace(quote, ordinal=ordinal)
