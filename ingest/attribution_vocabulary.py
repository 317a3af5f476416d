"""Learn a document's respondent codes from the document itself, before extracting its quotations.

Every team writes its codes its own way (`(QB22)`, `(Hospital C, Consultant 2)`, `(Site D)`,
`(Focus Group 4, adult patients)`), and no list of schemes can know them in advance. What they
share is where they stand (after a closing quotation mark, at the end of a stand-alone
paragraph, before a colon that opens a speaker's turn, as the speaker of a lead-in) and that
they recur with one shape: a word followed by a number or a single letter, any word followed
by a number in a capitalised label, a speaker's sex and age, or a token of letters and digits.
A shape seen in attribution positions at least twice is this document's respondent vocabulary;
any label of that shape is then read as a respondent, with a code canonicalised generically
(brackets, surplus space and provenance such as line or page numbers removed) and facets parsed
from the shape.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ingest.attribution import SIGNATURE_DASH, is_recognised, strip_attribution
from ingest.lead_in import MARK_BEFORE_TAG, SPEECH_VERBS, closing_mark_before_tag, named_in_full, tag_speaker
from ingest.records import Attribution
from ingest.text.whitespace import collapse_spaces

VOCABULARY_SCHEME = "document_vocabulary"
# Attribution positions in which a shape must be seen before the document counts it as a code.
MIN_OCCURRENCES = 2
MAX_LABEL_WORDS = 8
# Words of a label that says in words who spoke (how the words were collected, the speaker's sex and
# age), which may describe them at length: `Focus group 2, parents of children aged 5-11`.
MAX_DESCRIBING_LABEL_WORDS = 16
# The shape of a word and a number in a capitalised label, whatever the word: where every respondent's
# role or pseudonym is numbered on its own (`(Nurse 3)`, `(Link worker 4)`, `(Maria, 34, carer)`), no
# one word recurs.
# It is the document's only when labels of it name at least two different words.
ANY_NAMED_NUMBER = "<name> 9"

# A pseudonym and the speaker's role (`Ayesha, mother`, `Tom, a father`): where a report names its
# respondents instead of numbering them. It is the document's only when labels of it give at least two
# different names.
PSEUDONYM_ROLE = "<name>, <role>"
# A name the report marks as a pseudonym (`Jo (pseudonym), 17`, `Amir (not his real name)`): the name,
# then parts that describe the speaker.
PSEUDONYM_MARKER = r"(?i:(?:a[ \t]+)?(?:pseudonym|name changed|not (?:his|her|their) real name))"
_PSEUDONYM_MARKED = re.compile(rf"^(?P<name>[A-Z][a-z]{{1,20}})[ \t]*\({PSEUDONYM_MARKER}\)(?P<parts>[ \t]*,.*)?$")
# A speaker's role in capitals opening a turn (`CARER: “...”`, `HEAD TEACHER: “...”`): counted only where
# it opens a turn, since capitals in brackets after a quotation are as often an organisation (`(NICE)`).
ROLE_IN_CAPITALS = "<ROLE>"
_ROLE_IN_CAPITALS = re.compile(r"^[A-Z]{2,}(?:[ \t]+[A-Z]{2,}){0,2}$")
# A speaker's role in words and what sets them apart, opening a turn (`Headteacher, primary school: “...”`,
# `Resident, Little Farnham, aged 75+: “...”`): where a report names each speaker by role, place or age.
# Counted only where it opens a turn, like a role in capitals.
ROLE_WITH_PARTS = "<Role>, <part>"
_ROLE_WITH_PARTS = re.compile(
    r"^(?:[A-Z][a-z’'-]+(?:[ \t]+[a-z][a-z’'-]*){0,3}|(?:[A-Z]{2,4}|[A-Z][a-z’'-]+)(?:[ \t]+[A-Za-z][a-z’'-]+){1,2})"
    r"(?:[ \t]*,[ \t]*[A-Za-z0-9][\w’'+–-]*(?:[ \t]+[A-Za-z0-9][\w’'+–-]*){0,5}){1,2}$"
)
# A respondent's type or role in lower case, maybe with a place or group after a comma, in round brackets
# after a quotation (`(member of the public)`, `(parish council)`, `(councillor, Ribble Vale)`): where a
# consultation report names each comment's respondent by type.
# Like any named number, it is the document's only when labels of it name at least two different
# types; editorial notes in brackets (`(emphasis added)`, `(laughs)`) are none.
ROLE_IN_LOWER_CASE = "<role>"
_ROLE_IN_LOWER_CASE = re.compile(
    r"^[a-z][a-z’'-]+(?:[ \t]+[a-z][a-z’'-]*){0,4}(?:[ \t]*,[ \t]*[A-Za-z0-9][\w’'-]*(?:[ \t]+[\w’'-]+){0,3})?$"
)
# Such a type in round brackets after a quoted sentence or phrase, maybe with a place after a comma:
# `...every year?” (member of the public)`, `...will be decided’ (councillor, Ribble Vale)`.
_ROLE_AFTER_QUOTED_SENTENCE = re.compile(
    r"[\w.!?…][”’\"][ \t]*\((?P<label>[a-z][a-z’' -]{1,60}(?:,[ \t]*[A-Za-z0-9][\w’' -]{0,40})?)\)"
)
_EDITORIAL = re.compile(
    r"\b(?:emphasis|added|original|sic|translat\w*|laugh\w*|pause\w*|paraphras\w*|abridged|inaudible|unclear|"
    r"redacted|edited|italics|verbatim|see|ibid|cited|quoted|online|anon\w*)\b"
)
TURN_SHAPES = (ROLE_IN_CAPITALS, ROLE_WITH_PARTS)
# Words that open a sentence's clause rather than name a role (`However, parents felt:`).
_LINKING_WORD = re.compile(
    r"^(?:however|similarly|overall|instead|again|finally|here|also|yet|still|thus|therefore|moreover|meanwhile|"
    r"likewise|conversely|indeed|nevertheless|first|second|third|then|now|in|for|as|by|at|on|with|when|while|where|"
    r"although|though|because|since|after|before|so|but|and|or|note|nb|source|key|example|quote|summary)\b",
    re.IGNORECASE,
)
# Capitals that open a paragraph before a quotation without naming who speaks.
_NOT_A_SPEAKER = re.compile(r"^(?:note|nb|source|key|example|quote|quotation|summary|warning|comment|response|answer)$",
                            re.IGNORECASE)
# A run-in heading's word, maybe numbered: `Recommendation 3:`, `Key finding:`, `Case study:`.
_RUN_IN_HEADING = re.compile(
    r"^(?:key[ \t]+)?(?:recommendations?|findings?|themes?|actions?|aims?|objectives?|outcomes?|context|background|"
    r"purpose|lessons?|learning|questions?|issues?|challenges?|risks?|case[ \t]+study|box|figure|table|definitions?|"
    r"principles?|steps?|stages?|phases?|goals?|targets?|priorit(?:y|ies)|conclusions?|implications?|"
    r"mechanisms?|method|methods|results?|limitations?|strengths?|recommended|next[ \t]+steps)\b",
    re.IGNORECASE,
)
_PSEUDONYM_ROLE = re.compile(
    r"^(?P<name>[A-Z][a-z]{1,20}),[ \t]*(?:(?:a|an)[ \t]+)?(?P<role>[a-z][a-z’'-]*(?:[ \t]+[a-z][a-z’'-]*){0,3})$"
)
# A pseudonym with an age, maybe with more parts (`Dev, 42, café owner, Porthallow`).
_NAME_WITH_AGE_LABEL = re.compile(r"^(?P<name>[A-Z][a-z]{1,20}),[ \t]*\d{1,2}\b")
_CLOSE = "”’\"'“"
_BRACKETED = re.compile(r"\((?P<a>[^()\n]{1,80})\)|\[(?P<b>[^\[\]\n]{1,80})\]|\{(?P<c>[^{}\n]{1,40})\}")
_AFTER_CLOSING = re.compile(rf"[{_CLOSE}][.,;:!?]?[ \t]*$")
# The closing mark right after an attribution set inside the marks, maybe after the sentence's stop.
INSIDE_MARKS = re.compile(r"[.,;!?]?[”’\"]")
_PARAGRAPH_END = re.compile(r"[ \t]*[.;]?[ \t]*[”’\"]?[ \t]*(?:\n|$)")
# A speaker's turn inside a quoted exchange: `Consultant 1: "..."`, `R4: "..."`.
TURN_PREFIX = re.compile(r"[ \t]*(?P<label>[A-Z][\w .-]{0,30}?)[ \t]*:[ \t]*(?=[“‘\"])")
# A label opening a paragraph before the words it says, maybe in parts, then a colon or a dash
# (`Parent, School A: “...”`, `Parent 3 — “...”`).
# The label may stand alone on the line or paragraph above the words (`Finance director, trust:` then `“...”`),
# or open a list's item (`- Outreach worker, voluntary sector: “...”`).
_TURN = re.compile(
    r"^[ \t]*(?:[-–•*\uf0b7][ \t]+)?(?P<label>[A-Z][\w ,.;/’'+-]{0,60}?)[ \t]*[:—–][ \t]*(?:\n[ \t]*){0,2}(?=[“‘\"])",
    re.MULTILINE,
)
# A label opening a paragraph before words without marks that speak in the first person: `Mum of twins,
# Hillside Children's Centre: Everyone was kind, but ...`.
_UNMARKED_TURN = re.compile(
    r"^[ \t]*(?P<label>[A-Z][\w ,.;/’'+-]{0,60}?)[ \t]*:[ \t]+(?P<words>[A-Z][^\n]{0,200})", re.MULTILINE
)
_IN_FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b|\b\w+[’'](?:m|ve|d|ll)\b")
_LINE_END_CODE = re.compile(rf"[{_CLOSE}][ \t]*(?P<label>[A-Z][A-Za-z]{{0,4}}\d{{1,4}})[ \t]*$", re.MULTILINE)
# A label alone on the line below a closing mark: `...in the end.”` then `Participant 12, Focus Group 2`;
# or a label signed after a dash, on the closing mark's line, below it, or in a paragraph of its own
# below it: `...in the end.” – Nurse, HCP07`.
_LABEL_BELOW = re.compile(
    rf"[{_CLOSE}][ \t]*(?:\n[ \t]*(?:{SIGNATURE_DASH}[ \t]*)?|\n[ \t]*\n[ \t]*{SIGNATURE_DASH}[ \t]*"
    rf"|{SIGNATURE_DASH}[ \t]*)"
    rf"(?P<label>[A-Z][^\n.!?…“”\"]{{1,60}}?)[ \t]*\.?[ \t]*$",
    re.MULTILINE,
)
# A code named as the speaker in a lead-in: "As R7 put it:", "when Nurse 4 explained".
_LEAD_IN_CODE = re.compile(
    rf"\b(?:[Aa]s|[Ww]hen)\s+(?P<label>[A-Z][A-Za-z]*(?:\s[A-Z][A-Za-z]*)?[\s_-]?\d{{1,4}}[A-Za-z]?)\s+(?:{SPEECH_VERBS})\b"
)
# A respondent's code as a lead-in names it: `C4`, `GP04`, `Parent 6`, `KII-07`.
LEAD_IN_CODE_SHAPE = r"[A-Z][A-Za-z]{0,12}[ _-]?\d{1,4}[A-Za-z]?"
# A code a speech tag after a closing mark names as the speaker: `...,” said N1, “...`, `...,” N1 added.`
_TAG_NAMES_CODE = re.compile(
    rf"{MARK_BEFORE_TAG}(?:(?:{SPEECH_VERBS})[ \t]+(?P<after_verb>{LEAD_IN_CODE_SHAPE})(?=[ \t]*[,.;]|[ \t]+[a-z])"
    rf"|(?P<before_verb>{LEAD_IN_CODE_SHAPE})[ \t]+(?:{SPEECH_VERBS})\b)"
)
# A code in brackets after a lead-in's subject, before a short predicate and the colon that hands over
# to the words: `One manager (QA2) was more cautious: “...`, `A second (QA5) went further:`.
CODE_BEFORE_PREDICATE = rf"\((?P<code>{LEAD_IN_CODE_SHAPE})\)[ \t]+[a-z][\w’' -]{{0,40}}?:"
_LEAD_IN_BRACKETED_CODE = re.compile(CODE_BEFORE_PREDICATE + r"[ \t]*\n?[ \t]*[“‘\"]")
# A code of capitals and digits as the subject of a speech verb, maybe with an aside between commas: `PP4
# observed that`, `PP2, half-joking, described`; a question's number (`Q3 asked`) is none.
CODE_SPEAKS = (
    rf"(?<![\w-])(?P<label>(?!Q\d)[A-Z]{{1,4}}[-_]?\d{{1,4}}[a-z]?)(?:,[^,.;“”‘’\"\n]{{1,40}},)?[ \t]+"
    rf"(?:{SPEECH_VERBS})\b"
)
_CODE_SPEAKS = re.compile(CODE_SPEAKS)
# A pseudonym given with an age, or marked as one, in the prose: `Marcus, 15, started...`, `Dorota (54)
# described...`, `Margaret (not her real name) is 78`; `pseudonym_label` prints it as signatures do.
NAME_WITH_AGE = re.compile(
    r"\b(?P<name>(?:(?:Mrs|Mr|Ms|Miss|Dr)\.?[ \t]+)?(?:[A-Z][a-z’'-]{1,20}|[A-Z]\.))"
    r"(?:,[ \t]*(?P<comma_age>\d{1,2}s?),"
    r"|[ \t]*\((?:[^()\n,\d]{1,40},[ \t]*)?(?P<age>\d{1,2}s?)(?:,[^()\n]{1,60})?\)"
    rf"|[ \t]*\((?P<marker>{PSEUDONYM_MARKER})\))"
)
# Such a pseudonym leading in to the words, before a speech verb or a clause about them: "As Sam (15)
# explained:", "Marion, 67, who runs the shop, put it bluntly:".
_LEAD_IN_NAME_AGE = re.compile(rf"{NAME_WITH_AGE.pattern}(?=[ \t]+(?:{SPEECH_VERBS}|who|whose|a|an|the)\b)")
# A code may join its letters and digits with a hyphen or an underscore (`KII-07`, `SW_12`, `UG-FGD-02`).
_TOKEN = re.compile(
    r"[A-Z]{1,4}(?:[-_][A-Z]{1,4}){0,2}[-_]\d{1,4}[A-Za-z]?\b|[A-Za-z]+\d[\w]*|\d+[A-Za-z]*|[A-Za-z][\w'’-]*"
)
# Words naming a speaker's sex.
_SEX_WORDS = "female|male|woman|man|non-binary"
# A label that describes the speaker by sex and age (`F, 45`, `Woman, 50s, rural`, `Male, 62 years`):
# the respondent is anonymous, and the label is all a report gives.
DEMOGRAPHIC = "<sex> <age>"
_DEMOGRAPHIC = re.compile(
    rf"^(?:[FM]|{_SEX_WORDS})"
    r"(?:\s*[,;/]\s*|\s+)(?:aged\s*)?\d{1,3}s?(?:\s*(?:years?|yrs?)(?:\s*old)?)?"
    r"(?:\s*[,;]|$)",
    re.IGNORECASE,
)
# Between a name and its number: a space, a comma or `#` (`Respondent #14`), not `=` or `/` (`Control = 1`,
# `16/LO/0356`).
_NAME_TO_NUMBER = re.compile(r",?[ \t]+#?|,|#")
# A label that points to an example or a source instead of naming a speaker: `e.g., QB17`, `see Site 2`.
POINTER = re.compile(
    r"^(?:e\.?\s?g\.?|i\.?\s?e\.?|cf\.?|see|for (?:example|instance)|such as|including)(?![A-Za-z])", re.IGNORECASE
)
# A later part of a label that points elsewhere: `P3; see also P7`, `R2, cf. R5`.
_POINTER_PART = re.compile(r"\s*[;,]\s*(?:see(?:\s+also)?|cf\.?|compare)\b.*$", re.IGNORECASE)
# Words that make a label a sentence about a speaker, not the speaker's name: a verb of being or
# speech, a pronoun (`As R7 put it`, `R2 was more cautious`); in lower case, as a sentence has them.
_READS_AS_SENTENCE = re.compile(
    r"\b(?:was|were|is|are|has|had|have|it|they|we|he|she|who|which|"
    r"said|says|explained|commented|told|noted|added|remarked|recalled|reflected|stated|described)\b"
)
# What separates the parts of a label (`Nurse, HCP07`): a code token opening a part is a code alone.
_PART_SEPARATOR = re.compile(r"[,;:/·|]")
# What separates the parts a role is read from: `/` joins one role's words (`Nurse/midwife`).
_ROLE_PART_SEPARATOR = re.compile(r"[,;:·|]")
# A code's token (`QB22`, `KI-07`, `UG-FGD-02`, `P3S1R03`, `Int_09`, `PoP11`, `Pt07`); one lower-case letter
# after its number tells apart the people of a joint interview (`T-08a`, `T-08b`), who share the shape of
# the other codes.
_CODE_TOKEN = re.compile(
    r"^(?:[A-Z]{1,4}(?:[-_][A-Z]{1,4}){0,2}[-_]?\d{1,4}(?:[-_]?[A-Z]{1,3}\d{1,4})*[a-z]?|[A-Z][a-z]{1,5}[-_]\d{1,4}[a-z]?"
    r"|[A-Z][a-z]{1,2}[A-Z]?\d{1,4}[a-z]?|\d{1,4}|[A-Z])$"
)
_JOINT_SUFFIX = re.compile(r"(?<=\d)[a-z]$")
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
# A reference to a hearing's transcript by day and page, maybe with lines: `Day 3/17`, `Day 12, p. 45`,
# `Day 14/38:4–6`; or to a committee's record of evidence, by the questions put to the witness or the
# page of the written evidence: `Q 12`, `QQ 140-142`, `Ev p 56` (a number with a leading zero is an
# identifier: `Q0299` is a questionnaire's respondent).
TRANSCRIPT_REFERENCE = (
    r"Day[ \t]*\d{1,3}(?:[ \t]*/[ \t]*|,[ \t]*pp?\.?[ \t]*)\d{1,4}(?:[-–]\d{1,4})?(?::\d{1,3}(?:[-–]\d{1,3})?)?"
    r"|QQ?\s*[1-9]\d{0,3}(?:\s*[-–]\s*\d{1,4})?|Ev\s+pp?\.?\s*\d{1,4}(?:[-–]\d{1,4})?"
)
# A role told apart by a number (`Staff 14`, `Support worker 3`) or a letter (`Child D`).
ROLE_TOLD_APART = r"(?P<role>[A-Z][a-z]+(?:[ \t][a-z]+){0,2})[ \t]+(?:\d{1,4}[a-z]?|[A-Z])"
# Such a role as a label's first part: `Child D, aged 16`, `Parent 3,`.
_ROLE_TOLD_APART_PART = re.compile(rf"{ROLE_TOLD_APART}[ \t]*(?:[,;(]|$)")
# A place in a recording, maybe after the archive's number for it: `BDLHS/OH/TL/01, 00:03:40`.
RECORDING_PLACE = r"(?:[A-Z][A-Z0-9]*(?:/[A-Z0-9]+)+,[ \t]*)?\d{1,2}:\d{2}:\d{2}"
# An archive's number for a recording: a collection's capitals, then parts of capitals or figures split
# by slashes (`HPV/OH/003`, `HOHP/2019/07`), as a respondent's code is not (`SU-11`, `HCW21/M/29`).
ARCHIVE_NUMBER = r"[A-Z]{2,}(?:/(?:[A-Z]{2,}|\d+))*/\d+"
_ARCHIVE_NUMBER = re.compile(ARCHIVE_NUMBER)
_TRANSCRIPT_REFERENCE = re.compile(TRANSCRIPT_REFERENCE, re.IGNORECASE)
_PROVENANCE = re.compile(
    r"[,;]?\s*\b(?:(?:lines?|ll?\.|pp?\.|pages?|para(?:graph)?s?\.?|paras?\.?|transcript)\s*\d+(?:\s*[-–]\s*\d+)?"
    rf"|{TRANSCRIPT_REFERENCE})\b.*$",
    re.IGNORECASE,
)
_NOT_A_CODE = re.compile(
    r"^(?:table|figure|fig|box|appendix|section|chapter|paragraphs?|paras?|step|phase|stage|page|line|n|p|version|"
    r"model|equation|wave|round|year|day|week|month|part|item|question|q|scenario|option|annex|supplementary|theme|"
    r"level|grade|type|class|file|files|pdf|doc|docx|xls|xlsx|csv|kb|mb|gb|ref|no|number|vol|issue|"
    r"article|paper|study|trial|criterion|criteria|domain|factor|principle|recommendation|objective|"
    r"jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|"
    r"oct|october|nov|november|dec|december)$",
    re.IGNORECASE,
)
_SITE_WORDS = re.compile(r"^(?:site|hospital|trust|ward|practice|centre|center|clinic|area|unit|school|region|case)$",
                         re.IGNORECASE)
# The head of a label naming a group that spoke together (`Focus group 2`, `Carers' workshop`), or people
# in the plural (`Participants`, `Drop-in participants`, `Young carers`).
_GROUP_HEAD = re.compile(
    r"\b(?:(?:focus[ \t]+)?groups?(?:[ \t]+(?:discussion|interview)s?)?|workshops?|meetings?|drop-ins?|panels?|"
    r"jury|FG|participants|respondents|residents|members|parents|carers|tenants|patients|pupils|students|staff|"
    r"volunteers|visitors|users|workers|officers|nurses|managers|clinicians|practitioners|families|people)"
    r"(?:[ \t]*\d{1,3}[a-z]?)?$",
    re.IGNORECASE,
)
_GROUP_WORDS = re.compile(r"^(?:group|fg|workshop|panel)$", re.IGNORECASE)
# A label that opens by naming how the words were collected: `(Interview, head teacher)`, `(Focus
# group, parents)`, `(Focus group 2, parents)`. It says who spoke even when the document never repeats
# its shape.
_COLLECTED_BY = re.compile(
    r"^(?:(?:group|telephone|online|follow-up)\s+)?(?:interviews?|interviewees?|focus\s+groups?|workshops?)"
    r"(?P<numbered>\s+(?:\d{1,3}|[A-Z])(?=\s*[,:;–—-]))?"
    r"(?:\s*[,:;–—-]\s*|\s+with\s+(?:an?\s+|the\s+)?)(?=[A-Za-z])",
    re.IGNORECASE,
)
# `Source:` before a label naming how the words were collected (`Source: interview with a parent`),
# as boxes of quotations print it: where the words come from, not part of the speaker's code.
_SOURCE_PREFIX = re.compile(r"^source[ \t]*[:–—-][ \t]*", re.IGNORECASE)
# The year the words were collected, as the last part of such a label (`..., 2022`, `..., 2021-22`).
_COLLECTION_YEAR = re.compile(
    r"[ \t]*[,;][ \t]*(?:\d{1,2}[ \t]+)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ \t]+)?"
    r"(?:1[89]|20)\d{2}(?:[ \t]*[-–/][ \t]*\d{2,4})?$",
    re.IGNORECASE,
)
# How the words were collected, after who spoke, and all that follows it (where and when): `Tom, interview,
# January 2019`, `Senior Fisheries Officer, interview, Kampala, 2 March 2023`.
# A numbered group or workshop (`Grandmother, focus group 2`) tells its members from another's, and stays.
# The words naming how words were collected.
COLLECTION_WORDS = r"(?i:interview|focus[ \t]+group|workshop|conversation|diary(?:[ \t]+entry)?)"
_COLLECTED_AFTER = re.compile(
    r"[ \t]*[,;][ \t]*(?:(?:individual|group|telephone|online|follow-up|semi-structured)[ \t]+)?"
    rf"{COLLECTION_WORDS}\b(?![ \t]+(?:\d|[A-Z]\b)).*$"
)
# A bracket naming only how and when the words were collected (`(interview, November 2021)`, `(focus
# group, 2022)`): no one's code, and no publication's year, however a citation scheme reads it.
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# A part of a signature saying when or how its words were collected: a date (`July 9`, `2 March`,
# `2019`), a time in the recording (`00:12:40`), who recorded it (`interviewed by Lorna Friesen`), or how
# (a numbered group, `Focus Group 6`, is who spoke).
_WHEN_OR_HOW = re.compile(
    rf"^(?:(?:\d{{1,2}}[ \t]+)?{_MONTH}(?:[ \t]+\d{{1,2}})?(?:[ \t]+(?:1[89]|20)\d{{2}})?|(?:1[89]|20)\d{{2}}"
    r"|\d{1,2}:\d{2}(?::\d{2})?|(?:interviewed|recorded|transcribed)\b.*"
    rf"|(?:(?:group|telephone|online|follow-up)[ \t]+)?{COLLECTION_WORDS}\b(?![ \t]*(?:\d|[A-Z]\b)).*)$",
    re.IGNORECASE,
)
# A bracketed part closing a label: `(telephone)`, `[00:12:40]`, `(SR/OH/003, recorded March 2016)`.
_BRACKETED_TAIL = re.compile(r"(?:[ \t]*(?:\([^()\n]*\)|\[[^\[\]\n]*\]))+[ \t.]*$")
# What brackets closing a label say of the recording rather than the speaker: a reference, a time or a
# date (anything with a figure), how the words were given (`telephone`, `translated from Polish`), or
# who recorded them (`interviewer: Marc-André Gaudet`); not an age (`14`) nor a role (`service user`).
_RECORDING_NOTE = re.compile(
    r"^(?:.*\d.*|(?:by[ \t]+)?(?:telephone|phone|online|video|e-?mail|translated|interpreted|interviewer|recorded"
    r"|transcribed)\b.*)$",
    re.IGNORECASE,
)
_BRACKETED_PART = re.compile(r"\(([^()\n]*)\)|\[([^\[\]\n]*)\]")
_COLLECTION_ONLY = re.compile(
    r"^(?:(?:group|telephone|online|follow-up)[ \t]+)?(?:interviews?|focus[ \t]+groups?|workshops?)"
    rf"[ \t]*[,;][ \t]*(?P<when>(?:\d{{1,2}}[ \t]+)?(?:{_MONTH}[ \t]+)?(?:1[89]|20)\d{{2}})$",
    re.IGNORECASE,
)
_SEX_LETTERS = {"F": "female", "M": "male"}
# Words in a code that join its parts or name its kind (a respondent of any role), never the speaker's role.
_NOT_ROLE_WORDS = frozenset({"focus", "and", "or", "participant", "respondent", "interviewee", "resp", "interview"})
_DECADE = re.compile(r"^\d0s$")
_SEX = re.compile(rf"^(?:{_SEX_WORDS})$", re.IGNORECASE)
_AGE = re.compile(r"\b(?:(?P<years>\d{1,3})\s*(?:years?|yrs?)(?:\s*old)?|aged?\s*(?P<aged>\d{1,3}))\b", re.IGNORECASE)
# A part of a label that is a speaker's age and nothing else: `34`, `40s`, `aged 34`, `34 years old`, `65-74`.
_AGE_PART = re.compile(
    r"^(?:aged?[ \t]*)?\d{1,3}(?:s|[ \t]*[-–][ \t]*\d{1,3}|\+)?(?:[ \t]*(?:years?|yrs?)(?:[ \t]*old)?)?$", re.IGNORECASE
)
# An age band: `aged 65-74`, `65–74 years`, `aged 65+`.
_AGE_BAND = re.compile(
    r"\b(?:aged?\s*)?(?P<band>\d{1,3}\s*[-–]\s*\d{1,3}|\d{1,3}\s*\+)(?:\s*(?:years?|yrs?))?(?=\W|$)", re.IGNORECASE
)
# Parts after a respondent's code that only describe the speaker: `, male, aged 65-74`, `, F, 40s`.
_DESCRIBING_PARTS = re.compile(
    rf"(?:[ \t]*[,;][ \t]*(?:{_SEX_WORDS}|[FM]"
    r"|(?:aged?[ \t]*)?\d{1,3}[ \t]*(?:[-–][ \t]*\d{1,3}|\+|s)?(?:[ \t]*(?:years?|yrs?)(?:[ \t]*old)?)?))+$",
    re.IGNORECASE,
)
# A respondent named by where they work (`Respondent from a CCG`, `Participant at the local authority`).
_RESPONDENT_FROM = re.compile(
    r"^(?:respondents?|participants?|interviewees?)\s+(?:from|at|in|working\s+(?:in|at|for))\s+"
    r"(?:an?\s+|the\s+)?(?P<org>[A-Za-z][\w&’'/ -]{0,60})$",
    re.IGNORECASE,
)


# A capitalised word after another word or a comma: inside a sentence, not opening one.
_CAPITALISED_INSIDE = re.compile(r"(?<=[\w,;])[ \t]+(?P<word>[A-Z][a-z’'-]{1,20})\b(?![’'-]?[A-Za-z])")
# What a word may carry at its ends in running text: punctuation, marks and brackets.
_WORD_EDGES = "\"'“”‘’()[]{}.,;:!?…—–-*_"


@dataclass(frozen=True)
class Vocabulary:
    """The shapes of respondent codes this document uses in attribution positions, and the labels
    of its pseudonyms by name (`Ayesha` -> `Ayesha, mother`, `Dev` -> `Dev, 42, café owner`), where
    it names its respondents so."""

    shapes: frozenset[str]
    pseudonyms: Mapping[str, str] = field(default_factory=dict)
    # The document's text, read for its names (see `names`) only when a sentence asks.
    text: str = field(default="", repr=False, compare=False)

    @cached_property
    def names(self) -> frozenset[str]:
        """Single words the document capitalises inside its sentences and nowhere writes in lower
        case: names (`Bev`, `Sunil`), a pseudonym it gives without an age or role among them."""
        return proper_names(self.text)

    def knows(self, label: str) -> bool:
        """Whether a label has one of this document's code shapes."""
        return bool(self.shapes & label_shapes(label))

    def knows_by_its_own_shape(self, label: str) -> bool:
        """Whether a label has one of this document's shapes other than any numbered name or a role
        with parts: what a label printed bare at a line's end needs, where section titles with page
        numbers and sentences wrapped after a comma stand too."""
        return bool((self.shapes - {ANY_NAMED_NUMBER, ROLE_WITH_PARTS, ROLE_IN_LOWER_CASE}) & label_shapes(label))

    def read(self, attribution: Attribution) -> Attribution:
        """An attribution no scheme recognised, read as a respondent when its shape is this document's;
        and one read as a citation only for its page, when what precedes the page is this document's
        code (`(P11, p. 12)`: the respondent, and where in the transcript), or when it names the
        interview the words come from and its year (`Source: interview with a parent, 2022`), or who
        spoke before how and when (`Tom, interview, January 2019`), or when it opens with a pseudonym the
        document signs quotations with (`Stephen, HMP Ashcombe, February 2019`, where `(Stephen, 52,
        IPP)` signs others: no author of a publication). A label naming only how and when
        the words were collected (`(interview, November 2021)`) is an interview's, naming no one: the
        sentence around the words may."""
        label = strip_attribution(attribution.raw)
        collected = _COLLECTION_ONLY.match(label)
        if collected is not None:
            return Attribution(raw=attribution.raw, code=None, scheme=VOCABULARY_SCHEME, source_kind="interview",
                               facets={"provenance": collected.group("when")})
        said_in_interview = (after := _COLLECTED_AFTER.search(label)) is not None and after.start() > 0
        if said_in_interview and attribution.source_kind != "interview":
            return respondent_attribution(attribution.raw, label)
        if attribution.source_kind == "document":
            code, provenance = split_provenance(label)
            known = provenance is not None and (self.knows(code) or names_collection(label))
            signed_by = label.split(",")[0].strip() in self.pseudonyms  # `Stephen, HMP Ashcombe, February 2019`
            interviewed = _interview_of_a_person(label)
            return respondent_attribution(attribution.raw, label) if known or signed_by or interviewed else attribution
        named = self.pseudonyms.get(label)
        if named is not None and not is_recognised(attribution):
            return respondent_attribution(attribution.raw, named)
        shapes = label_shapes(label)
        if not attribution.raw.lstrip().startswith("("):
            shapes.discard(ROLE_IN_LOWER_CASE)  # a word in square brackets is the editor's
        if is_recognised(attribution) or not (self.shapes & shapes or names_collection(label)
                                              or describes_speaker(label)):
            return attribution
        return respondent_attribution(attribution.raw, label)


EMPTY = Vocabulary(frozenset())


def speaker_and_recording(label: str) -> tuple[str, list[str]]:
    """A signature's label as what it says of the speaker and what it says of the recording: the parts
    saying when or how its words were collected (see `_WHEN_OR_HOW`) and what brackets closing it say
    of the recording (see `_RECORDING_NOTE`), however long that record is (`Eleanor Wiebe, Corlis,
    interviewed by Lorna Friesen, July 9, 2019 [00:12:40]`)."""
    tail = _BRACKETED_TAIL.search(label)
    head, bracketed = (label[:tail.start()], _BRACKETED_PART.findall(tail.group(0))) if tail else (label, [])
    parts = [part.strip() for part in re.split(r"[,;]", head) if part.strip()]
    inner = [round_part or square_part for round_part, square_part in bracketed]
    noted = [part for part in inner if _RECORDING_NOTE.match(part) and not _AGE_PART.match(part)]
    recording = [part for part in parts if _WHEN_OR_HOW.match(part) or _ARCHIVE_NUMBER.fullmatch(part)]
    described = [part for part in parts if part not in recording] + [part for part in inner if part not in noted]
    return ", ".join(described), [*recording, *noted]


def cites_a_recording(label: str) -> bool:
    """Whether a signature that reads like an author and year (`Doreen Maguire, 2018 (HPV/OH/003)`)
    cites an archive's recording, by its number in brackets, not a publication: the name is a
    speaker's, the year when they were recorded."""
    head, recording = speaker_and_recording(label)
    return bool(head) and any(_ARCHIVE_NUMBER.fullmatch(part.strip()) for part in recording)


def _interview_of_a_person(label: str) -> bool:
    """A label opening with the interview its words come from, then a person by name (`Interview,
    Mrs. Alvarado, grandmother, March 2019`): a year there dates the interview, as no publication is
    cited so."""
    collected = _COLLECTED_BY.match(label)
    return collected is not None and named_in_full(_PART_SEPARATOR.split(label[collected.end():], maxsplit=1)[0])


def names_collection(label: str) -> bool:
    """A label that opens with the interview or group its words come from, and names who spoke, or
    names a respondent by where they work (`Respondent from a CCG`); the year of the interview may
    close it (`Source: interview with a parent, 2022`), but a year elsewhere makes it a citation."""
    label = split_provenance(label)[0]
    words = len(_TOKEN.findall(label))
    opens = _COLLECTED_BY.match(label) or _RESPONDENT_FROM.match(label)
    return bool(opens) and not _YEAR.search(label) and words <= MAX_DESCRIBING_LABEL_WORDS


def opens_with_code(label: str) -> bool:
    """Whether the label's first part is a respondent code's token (`T-19, tenant, lone parent`)."""
    return is_code_token(_PART_SEPARATOR.split(label, maxsplit=1)[0].strip())


def numbers_people(role: str) -> bool:
    """Whether words before a number name one of the people a study numbers (`Staff 14`, `Support
    worker 3`), not a place (`Site 3`, `Ward 4`), a gathering (`Focus group 2`) or a part of a
    document (`Table 2`)."""
    words = role.split()
    return not (_SITE_WORDS.match(words[-1]) or any(_GROUP_WORDS.match(word) for word in words)
                or _NOT_A_CODE.match(words[0]))


def names_group(label: str) -> bool:
    """A label whose head names a group of speakers, not one of them: a focus group, workshop or
    meeting, or people in the plural (`Drop-in participants, Upper Wennington`, `Focus group 2`,
    `Parents, Low Ashton`); `Grandmother, focus group 2` is one grandmother."""
    return bool(_GROUP_HEAD.search(label.split(",")[0].strip()))


def names_no_speaker(label: str) -> bool:
    """A label opening a paragraph that names no one: a run-in heading (`Note:`, `Summary:`,
    `Recommendation 3:`) or a sentence's linking word (`However:`)."""
    return bool(_NOT_A_SPEAKER.match(label) or _LINKING_WORD.match(label) or _RUN_IN_HEADING.match(label))


def describes_speaker(label: str) -> bool:
    """A label whose parts give a speaker's sex in words and their age (`female, 34, rural`, `Parent of
    a child aged 9, female, 39`): it says who spoke even where the document prints it only once."""
    parts = [part.strip() for part in _ROLE_PART_SEPARATOR.split(label)]
    return (
        any(_SEX.match(part) for part in parts) and any(_AGE_PART.match(part) for part in parts)
        and len(_TOKEN.findall(label)) <= MAX_DESCRIBING_LABEL_WORDS
        and not (_READS_AS_SENTENCE.search(label) or _YEAR.search(label) or POINTER.match(label))
    )


def label_words_allowed(label: str) -> int:
    """Words a speaker's label may hold: more where it opens with a code, or with a role told apart by
    a number or a letter, or describes the speaker by sex and age, since the parts after those only
    describe whom the label already names (`P03, claiming for the first time, aged 55 to 64, Leicester`,
    `Child D, aged 16, released to a children's home out of area`)."""
    named = opens_with_code(label) or _ROLE_TOLD_APART_PART.match(label) or describes_speaker(label)
    return MAX_DESCRIBING_LABEL_WORDS if named else MAX_LABEL_WORDS


def respondent_attribution(raw: str, label: str) -> Attribution:
    """A respondent read generically: the code as printed, provenance set apart, facets from its shape."""
    code, provenance = split_provenance(label)
    facets: dict[str, object] = dict(shape_facets(code))
    if provenance:
        facets["provenance"] = provenance
    return Attribution(raw=raw, code=code, scheme=VOCABULARY_SCHEME, source_kind="interview", facets=facets)


def split_provenance(label: str) -> tuple[str, str | None]:
    """`Participant 7, line 120` -> (`Participant 7`, `line 120`): a code never carries its place, nor
    a pointer to another respondent (`P3; see also P7` is P3), nor how, where and when the words were
    collected (`Tom, interview, January 2019` -> (`Tom`, `interview, January 2019`)). A label naming
    how the words were collected drops a `Source:` before it and keeps its year apart (`Source:
    interview with a parent, 2022` -> (`interview with a parent`, `2022`))."""
    pointer = _POINTER_PART.search(label)
    if pointer is not None and pointer.start() > 0:
        label = label[:pointer.start()]
    after = _COLLECTED_AFTER.search(label)
    if after is not None and after.start() > 0:
        return _tidy(label[:after.start()]), _tidy(after.group(0).lstrip(",; "))
    collected = _SOURCE_PREFIX.sub("", label)
    if _COLLECTED_BY.match(collected):
        label = collected
        year = _COLLECTION_YEAR.search(label)
        if year is not None:
            return _tidy(label[:year.start()]), _tidy(year.group(0))
    match = _PROVENANCE.search(label)
    if match is None or match.start() == 0:
        return _tidy(label), None
    return _tidy(label[:match.start()]), _tidy(match.group(0).lstrip(",; "))


def is_transcript_reference(label: str) -> bool:
    """Whether a label only points into a hearing's transcript (`Day 3/17`): where the words are in
    the record, naming no one."""
    return _TRANSCRIPT_REFERENCE.fullmatch(label) is not None


def _tidy(text: str) -> str:
    return collapse_spaces(text).strip(" ,;:.")


def label_shapes(label: str) -> set[str]:
    """Shapes a label can be recognised by: `word+code` pairs and the letter/digit pattern of codes."""
    label = split_provenance(strip_attribution(label))[0]
    tokens = list(_TOKEN.finditer(label))
    if not tokens or len(tokens) > MAX_LABEL_WORDS or _YEAR.search(label) or POINTER.match(label):
        return set()
    if _READS_AS_SENTENCE.search(label):
        return set()
    shapes = {DEMOGRAPHIC} if _DEMOGRAPHIC.match(label) else set()
    if _ROLE_IN_LOWER_CASE.match(label) and not (_LINKING_WORD.match(label) or _EDITORIAL.search(label)):
        shapes.add(ROLE_IN_LOWER_CASE)
    if _ROLE_IN_CAPITALS.match(label) and not (_NOT_A_CODE.match(label) or _NOT_A_SPEAKER.match(label)):
        shapes.add(ROLE_IN_CAPITALS)
    if _ROLE_WITH_PARTS.match(label) and not _LINKING_WORD.match(label):
        shapes.add(ROLE_WITH_PARTS)
    pseudonym = _PSEUDONYM_ROLE.match(label)
    if pseudonym is not None and not _NOT_A_CODE.match(pseudonym.group("name")):
        shapes.add(PSEUDONYM_ROLE)
    for previous, token in zip([None, *tokens], tokens):
        word = token.group()
        if not _CODE_TOKEN.match(word):
            continue
        before = previous.group() if previous is not None else None
        gap = label[previous.end():token.start()] if previous is not None else ""
        name = before if before is not None and not _CODE_TOKEN.match(before) else None
        if name is not None and _NOT_A_CODE.match(name):
            continue
        opens_part = previous is None or _PART_SEPARATOR.search(gap) is not None
        if (opens_part or name is None) and any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
            shapes.add(code_pattern(word))
        if name is not None:
            shapes.add(f"{name.casefold()} {code_pattern(word)}")
            if word.isdigit() and label[:1].isupper() and _NAME_TO_NUMBER.fullmatch(gap):
                shapes.add(ANY_NAMED_NUMBER)
    return shapes


def is_code_token(word: str) -> bool:
    """Whether a word is a respondent's code of letters and digits (`P7`, `ECT-14`, `FG4-S2`)."""
    return bool(_CODE_TOKEN.match(word)) and any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


def code_pattern(token: str) -> str:
    """Letters as A and digits as 9, runs collapsed, a joint interview's letter left out: QB22 -> A9,
    P3S1R03 -> A9A9A9, T-08a -> A-9."""
    token = _JOINT_SUFFIX.sub("", token)
    return re.sub(r"9+", "9", re.sub(r"A+", "A", re.sub(r"\d", "9", re.sub(r"[A-Za-z]", "A", token))))


def shape_facets(code: str) -> dict[str, object]:
    """Facets readable from any code: a site or group named by a word and a mark, a number, a role,
    and a speaker's sex and age where the code lists them (`Interviewee 3, female, 45`, `P06, 34,
    female`: a number standing alone in a code that names a sex is an age, as are two digits standing
    alone after a role: `Volunteer, 34`), which are never the respondent's number or role. The role
    is the first part that names one (`Team leader, South locality`: a team leader), passing over a
    part that names a site (`High Site H, physician`), and a site word names a site only before its
    mark (`Practice nurse, Practice 5`: a practice nurse at practice 5). How the words were
    collected (`Interview with parent`) is no role.
    A pseudonym with a role (`Ayesha, mother`) gives both."""
    pseudonym = _PSEUDONYM_ROLE.match(code)
    if pseudonym is not None:
        return {"pseudonym": pseudonym.group("name"), "role": pseudonym.group("role")}
    marked = _PSEUDONYM_MARKED.match(code)
    if marked is not None:
        return {"pseudonym": marked.group("name"), **pseudonym_parts(marked.group("parts") or "")}
    workplace = _RESPONDENT_FROM.match(code)
    if workplace is not None:
        return {"org": workplace.group("org").strip()}
    facets: dict[str, object] = {}
    band = _whole_part(_AGE_BAND, code)
    if band is not None:
        facets["age_band"] = re.sub(r"\s+", "", band.group("band"))
        code = code[:band.start()] + code[band.end():]
    collected = _COLLECTED_BY.match(code)
    if collected is not None and not collected.group("numbered"):
        code = code[collected.end():]
    age = _whole_part(_AGE, code)
    if age is not None:
        facets["age"] = int(age.group("years") or age.group("aged"))
        code = code[:age.start()] + code[age.end():]
    parts = _ROLE_PART_SEPARATOR.split(code)
    # An age inside a part with other words is someone else's (`Parent of a child aged 9`): the part
    # is a role as printed.
    roles: dict[int, list[str]] = {
        part: [text.strip()] for part, text in enumerate(parts) if _AGE.search(text) or _AGE_BAND.search(text)
    }
    words = [(part, word) for part, text in enumerate(parts) if part not in roles for word in _TOKEN.findall(text)]
    if words and _DEMOGRAPHIC.match(code) and words[0][1] in _SEX_LETTERS:
        words[0] = (0, _SEX_LETTERS[words[0][1]])
    site_parts = set()
    plain = [word for _, word in words]
    names_sex = any(_SEX.match(word) for word in plain)
    part_sizes = Counter(part for part, _ in words)
    for (part, word), previous, following in zip(words, [None, *plain], [*plain[1:], None]):
        if _SEX.match(word):
            facets["sex"] = word.casefold()
        elif _DECADE.match(word):
            facets["age_band"] = word
        elif word.isdigit() and "age" not in facets and (
            (previous and _SEX.match(previous))
            or (part > 0 and part_sizes[part] == 1 and (names_sex or (roles and len(word) == 2)))
        ):
            facets["age"] = int(word)
        elif previous and _CODE_TOKEN.match(word) and _SITE_WORDS.match(previous):
            facets["site"] = int(word) if word.isdigit() else word
            site_parts.add(part)
        elif previous and word.isdigit() and _GROUP_WORDS.match(previous):
            facets["focus_group"] = int(word)
        elif word.isdigit():
            facets["number"] = int(word)
        elif _CODE_TOKEN.match(word) or _GROUP_WORDS.match(word) or word.casefold() in _NOT_ROLE_WORDS:
            continue
        elif not (_SITE_WORDS.match(word) and (following is None or _CODE_TOKEN.match(following))):
            roles.setdefault(part, []).append(word)
    if roles:
        facets["role"] = " ".join(roles[min(roles, key=lambda part: (part in site_parts, part))])
    return facets


def _whole_part(pattern: re.Pattern[str], code: str) -> re.Match[str] | None:
    """The first match of `pattern` that is a whole part of the code, between separators or its ends."""
    for match in pattern.finditer(code):
        before, after = code[:match.start()].rstrip(), code[match.end():].lstrip()
        if (not before or before[-1] in ",;:") and (not after or after[0] in ",;:"):
            return match
    return None


def pseudonym_parts(parts: str) -> dict[str, object]:
    """What the parts after a pseudonym say of the speaker: a number alone is an age (`Jo (pseudonym),
    17`, `Dorota, 54`), as is `aged 17`; a sex word is the sex; the first other part the role."""
    facets: dict[str, object] = {}
    for part in filter(None, (piece.strip() for piece in parts.split(","))):
        age = _AGE.fullmatch(part)
        if part.isdigit():
            facets.setdefault("age", int(part))
        elif age is not None:
            facets.setdefault("age", int(age.group("years") or age.group("aged")))
        elif _SEX.match(part):
            facets.setdefault("sex", part.casefold())
        else:
            facets.setdefault("role", part)
    return facets


def induce_vocabulary(text: str) -> Vocabulary:
    """Read the whole document and keep the code shapes that recur in attribution positions."""
    counts: Counter[str] = Counter()
    numbered_names: set[str] = set()
    with_roles: dict[str, str] = {}
    with_ages: dict[str, str] = {}
    for label in attribution_position_labels(text):
        shapes = label_shapes(label)
        counts.update(shapes)
        if ANY_NAMED_NUMBER in shapes:
            numbered_names.update(shape for shape in shapes if shape.endswith(" 9") and shape != ANY_NAMED_NUMBER)
        code = split_provenance(strip_attribution(label))[0]
        pseudonym = _PSEUDONYM_ROLE.match(code) if PSEUDONYM_ROLE in shapes else None
        if pseudonym is not None:
            with_roles.setdefault(pseudonym.group("name"), code)
        aged = _NAME_WITH_AGE_LABEL.match(code)
        if aged is not None and not _NOT_A_CODE.match(aged.group("name")):
            with_ages.setdefault(aged.group("name"), code)
    if len(numbered_names) < 2:
        counts.pop(ANY_NAMED_NUMBER, None)
    roles = [match.group("label") for match in _ROLE_AFTER_QUOTED_SENTENCE.finditer(text)
             if ROLE_IN_LOWER_CASE in label_shapes(match.group("label"))]
    counts[ROLE_IN_LOWER_CASE] = len(roles) if len(set(roles)) >= 2 else 0
    unmarked = [match for match in _UNMARKED_TURN.finditer(text) if _opens_paragraph(text, match.start())]
    turns = [*_TURN.finditer(text), *(match for match in unmarked if _IN_FIRST_PERSON.search(match["words"]))]
    turn_shapes = [label_shapes(match.group("label")) for match in turns]
    for shape in TURN_SHAPES:
        counts[shape] = sum(shape in shapes for shapes in turn_shapes)
    kept = frozenset(shape for shape, count in counts.items() if count >= MIN_OCCURRENCES)
    pseudonyms = with_ages if len(with_ages) >= 2 else {}
    if len(with_roles) < 2 or PSEUDONYM_ROLE not in kept:
        return Vocabulary(kept - {PSEUDONYM_ROLE}, pseudonyms, text)
    return Vocabulary(kept, {**pseudonyms, **with_roles}, text)


def proper_names(text: str) -> frozenset[str]:
    """Single words capitalised after another word, a comma or a semicolon, inside a sentence, that the
    text never writes in lower case: proper names, as a sentence's first word need not be."""
    inside = {match.group("word") for match in _CAPITALISED_INSIDE.finditer(text)}
    if not inside:
        return frozenset()
    lower = {word for token in text.split() if (word := token.strip(_WORD_EDGES)) and word[0].islower()}
    return frozenset(word for word in inside if word.casefold() not in lower)


def _opens_paragraph(text: str, line_start: int) -> bool:
    return line_start == 0 or text.startswith("\n\n", line_start - 2)


def attribution_position_labels(text: str) -> list[str]:
    """Labels standing where attributions stand: after a closing mark or alone on the line below it,
    just inside one, ending a paragraph, opening a turn, in a speech tag after a closing mark, as the
    subject of a speech verb (a code: `PP4 observed that`)."""
    labels = []
    for match in _BRACKETED.finditer(text):
        before = text[max(0, match.start() - 4):match.start()]
        after = match.end()
        if (_AFTER_CLOSING.search(before) or _PARAGRAPH_END.match(text, after) or INSIDE_MARKS.match(text, after)
                or closing_mark_before_tag(text, match.start(), after) is not None):
            labels.append(match.group("a") or match.group("b") or match.group("c"))
    labels.extend(match.group("label") for match in _LINE_END_CODE.finditer(text))
    labels.extend(match.group("label") for match in _LABEL_BELOW.finditer(text))
    labels.extend(match.group("label") for match in _TURN.finditer(text))
    labels.extend(map(tag_speaker, _TAG_NAMES_CODE.finditer(text)))
    labels.extend(lead_in_labels(text))
    labels.extend(match.group("code") for match in _LEAD_IN_BRACKETED_CODE.finditer(text))
    labels.extend(match.group("label") for match in _CODE_SPEAKS.finditer(text))
    return labels


def lead_in_labels(text: str) -> list[str]:
    """Codes a lead-in names as the speaker ("As R7 put it"), in reading order; a pseudonym with an
    age ("Sam (15) explained", "Marion, 67, who runs the shop") as the label the document prints
    after quotations (`Sam, 15`)."""
    labels = [(match.start(), match.group("label")) for match in _LEAD_IN_CODE.finditer(text)]
    labels += [(match.start(), pseudonym_label(match)) for match in _LEAD_IN_NAME_AGE.finditer(text)
               if not match.group("marker")]
    return [label for _, label in sorted(labels)]


def names_a_part(word: str) -> bool:
    """Whether a word before a number or letter names a part of a document or a study (`Table`,
    `Appendix`, `Phase`), not a person: `Appendix C describes` quotes no one."""
    return _NOT_A_CODE.match(word) is not None


def pseudonym_label(named: re.Match[str]) -> str:
    """A `NAME_WITH_AGE` match as the document's signatures print it: `Marcus, 15`, `Jo (pseudonym)`."""
    age = named.group("comma_age") or named.group("age")
    return f"{named.group('name')}, {age}" if age else f"{named.group('name')} ({named.group('marker')})"


def describing_parts_start(label: str) -> int | None:
    """Where the parts that only describe the speaker (sex, age, age band) begin at the end of a label,
    after at least one other part: `Participant 12, male, aged 65-74` -> 14."""
    parts = _DESCRIBING_PARTS.search(label)
    return parts.start() if parts is not None and parts.start() > 0 else None
