"""Footnotes that cite an interview: who a quotation marked with a note's number is by.

Policy papers, legal scholarship and think-tank reports keep their interviewees in the notes:
`...before they borrow, not after”.2` with note 2 `Interview with senior official, Ministry of
Finance, 12 March 2023.`; consultation reports their respondents (`Written response from practice
manager, Eskdale Medical Group.`), and inquiries their witnesses (`Head of Housing Options, evidence
session, 12 October 2023.`, `Written evidence, Headteacher, St Aidan's School, November 2023.`).
The quotation is that interviewee's words, described as the note describes them; the date (or the
question numbers of oral evidence, `Q101 [Councillor Ruth Ingleby]`, or the hearing's record, `Ms
Rebecca Thornbury, Policy Manager, Committee Hansard, 4 March 2025, p. 12`) is where the words come
from, not part of who said them. `Ibid.` cites the note before it again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from ingest.attribution_vocabulary import respondent_attribution
from ingest.records import Attribution
from ingest.text.sentences import SUPERSCRIPT_DIGITS

# A note: its number alone on a line (the text on the same line or a line or two below), its number and
# text on one line, or a Markdown footnote (`[^2]: ...`, `[^pw7]: ...`).
_NOTE = re.compile(
    rf"^[ \t]*(?:(?P<number>\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]{{1,3}})[ \t]*[.)]?(?:[ \t]+|[ \t]*\n(?:[ \t]*\n)?[ \t]*)"
    r"|\[\^(?P<label>[\w-]{1,20})\]:[ \t]*)(?P<text>[A-Z][^\n]*)",
    re.MULTILINE,
)
# The date an interview was held: `12 March 2023`, `March 12, 2023`, `2023-03-12`, `2023`.
_DATE = r"(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+(?:\d{1,2},\s+)?\d{4}|\d{4}(?:-\d{2}-\d{2})?"
# The note's first sentence, naming the interview or the consultation response: `Interview with
# <who>[, <date>].`, `Written response from <who>.`
_INTERVIEW = re.compile(
    r"^(?:(?:(?:telephone|online|video|email|personal|follow-up)\s+)?(?:interviews?|focus\s+group|conversation)"
    r"\s+with|(?:written\s+|oral\s+)?(?:responses?|submissions?|evidence)\s+(?:from|by))\s+(?P<who>[^.;()]{2,100}?)"
    # ... maybe with who they are in brackets, and who recorded them where: `Ronald Ashby (b. 1931; 1st
    # Battalion), conducted by the author, Thetford, 14 June 2016.`
    r"(?:\s*\([^()]{1,160}\))?(?:,\s*(?:conducted|carried\s+out|recorded)\b[^.;]{0,100}?)?"
    rf"(?:,\s*(?P<date>{_DATE}))?\s*[.;]",
    re.IGNORECASE,
)
# A note naming the speaker, then the session their words come from: `R19, interview, 14 March 2022.`,
# `R19 (interview).`, `Head of Housing Options, evidence session, 12 October 2023.`, `S14, second-year
# undergraduate, individual interview.`, `S22, first-year undergraduate, focus group 1.`; or the kind of
# evidence first: `Written evidence, Headteacher, St Aidan's Primary School, November 2023.`
_SESSION_NOTE = re.compile(
    r"^(?:(?P<who>[A-Z](?:(?!\d{4})[^.;(]|\([^()]{1,40}\)){1,80}?)[ \t]*[,(;][ \t]*"
    r"(?:(?:oral|individual|group|telephone|online|semi-structured|follow-up)[ \t]+)?"
    r"(?:evidence[ \t]+session|evidence|interview|focus[ \t]+group|workshop|transcript)\b"
    r"(?:[^.;()]|\([^()]{0,30}\)){0,40}?"
    r"|(?:[Ww]ritten|[Oo]ral)[ \t]+evidence,[ \t]*(?P<evidence_from>[A-Z][^.;\d]{2,100}?))"
    rf"(?:,[ \t]*(?P<date>{_DATE}))?[ \t]*\)?[ \t]*[.;]"
)
# A note citing oral evidence by its question numbers, the witness in brackets: `Q101 [Councillor Ruth
# Ingleby]`, `Qq 12–14 (Dr Alison Fenwick)`, as parliamentary committees cite their witnesses.
_ORAL_EVIDENCE_NOTE = re.compile(
    r"^(?P<questions>Qq?[ \t]?\d{1,4}(?:[ \t]*[–-][ \t]*\d{1,4})?(?:,[ \t]*\d{1,4})*)[ \t]*"
    r"[\[(](?P<who>[A-Z][^\[\]()\n]{1,100})[\])]"
)
# A note citing the record of a hearing after the witness and who they are: `Ms Rebecca Thornbury, Policy
# Manager, Home Care Workers Alliance, Committee Hansard, 4 March 2025, p. 12.`
_HANSARD_NOTE = re.compile(
    r"^(?P<who>[A-Z][^.;]{1,160}?),[ \t]*(?:(?:Proof|Official)[ \t]+)?(?:Committee[ \t]+)?Hansard\b"
    rf"(?:,[ \t]*(?P<date>{_DATE}))?"
)
_IBID = re.compile(r"^ibid\b", re.IGNORECASE)
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
          r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
# A note that ends as a sentence does, which no paragraph below goes on with.
_NOTE_GOES_ON = re.compile(r"[.!?”)]\s*$")
# The paragraph right below a note's line, on one line or several.
_PARAGRAPH_BELOW = re.compile(r"[ \t]*\n[ \t]*\n(?P<paragraph>(?:[^\n]+\n?)+?)(?=\n[ \t]*\n|\Z)")
_SUPERSCRIPTS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# A note's number closing a passage set off without marks: `...drew from that?7`.
NOTE_ENDING_BLOCK = re.compile(
    rf"(?<=[.!?…])(?:\^\{{(?P<braced>\d{{1,3}})\}}|(?P<number>\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]{{1,3}}))$"
)
# A note's number right after a quotation's closing mark, maybe after the sentence's stop (`...after”.2`,
# `...after.”²`), in a Markdown superscript (`^{2}`) or a Markdown footnote reference (`[^2]`).
NOTE_MARKER = re.compile(
    rf"(?P<closing>[”’\"])[.,;:!?]?(?:\^\{{(?P<braced>\d{{1,3}})\}}|\[\^(?P<label>[\w-]{{1,20}})\]"
    rf"|(?P<number>\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]{{1,3}}))(?![\d%])"
)


def interview_notes(text: str) -> Mapping[str, Attribution]:
    """Note -> the interviewee it cites, for every note of the text that cites an interview; notes are
    named by their number, or by their label in Markdown (see `note_name`)."""
    cited: dict[str, Attribution] = {}
    previous: Attribution | None = None
    for name, words in _notes(text):
        interview = (_INTERVIEW.match(words) or _SESSION_NOTE.match(words) or _ORAL_EVIDENCE_NOTE.match(words)
                     or _HANSARD_NOTE.match(words))
        if interview is not None:
            previous = _interviewee(words[:interview.end()], interview)
            cited[name] = previous
        elif not (_IBID.match(words) and previous is not None):
            previous = None
        else:
            cited[name] = previous
    return cited


def _notes(text: str) -> list[tuple[str, str]]:
    """Each note's name and words. Notes a page layout ran together on one line (`6 Magistrates’
    Association para 3.2 7 Youth Custody Service table 2 8 Practitioner survey`) are parted where the
    numbers follow on from the first."""
    notes = []
    for note in _NOTE.finditer(text):
        name, words = note_name(note), note.group("text").strip()
        carried = False
        while name.isdigit():
            following = re.search(_next_note(int(name) + 1), words)
            if following is None and not carried and _NOTE_GOES_ON.search(words) is None:
                words, carried = words + _carried_over(text, note.end(), int(name) + 1), True
                continue
            if following is None:
                break
            notes.append((name, words[:following.start()].strip()))
            name, words = str(int(name) + 1), words[following.end():]
        notes.append((name, words))
    return notes


def _next_note(number: int) -> str:
    """Where note `number` starts in the run of the note before it: its number before a capital, not a
    day of a date (`Ely, 3 May 2016.`)."""
    return rf"\s{number}\s+(?=[A-Z])(?!{_MONTH}\b)"


def _carried_over(text: str, end: int, following: int) -> str:
    """The rest of a note a page's layout carried into the paragraph below it, where that paragraph goes
    on with the next note (`...by the time I get to the` then `EAL ones it’s September”. 6 Assistant
    headteacher, ...`); nothing where the paragraph below is anything else."""
    below = _PARAGRAPH_BELOW.match(text, end)
    if below is None or re.search(_next_note(following), below.group("paragraph")) is None:
        return ""
    return " " + below.group("paragraph")


def note_name(match: re.Match[str]) -> str:
    """The note a NOTE_MARKER, NOTE_ENDING_BLOCK or note match names: its number, or its Markdown label."""
    groups = match.groupdict()
    label = groups.get("label")
    if label:
        return label
    return str(int((groups.get("braced") or groups["number"]).translate(_SUPERSCRIPTS)))


def _interviewee(raw: str, interview: re.Match[str]) -> Attribution:
    who = (interview.groupdict().get("who") or interview.group("evidence_from")).strip(" ‘’'\"“”")
    attribution = respondent_attribution(raw, " ".join(who.split()))
    where = interview.groupdict().get("date") or interview.groupdict().get("questions")
    return replace(attribution, facets={**attribution.facets, "provenance": where}) if where else attribution
