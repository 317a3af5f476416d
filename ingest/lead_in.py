"""Read the speaker's role from the sentence that introduces a quotation.

Reports often name only a role in prose ("as this service commissioner said:") and give the code
in brackets; the role is worth keeping because it is what a reviewer reads. Only a speaker named
as the subject of a speech verb counts: "For some participants the inclusion ... could add
complexity" names participants but not a speaker, so it yields nothing.
"""

from __future__ import annotations

import re

from ingest.text.lead_ins import last_sentence

SPEECH_VERBS = (
    r"said|says|commented|comments|explained|explains|noted|notes|stated|states|remarked|remarks|"
    r"observed|observes|reported|reports|described|describes|put it|puts it|"
    r"(?:told|tells)[ \t]+(?i:us|me|them|(?:the[ \t]+)?(?:research(?:ers)?|review(?:ers)?|inspect(?:ors)?|"
    r"interview(?:ers)?|evaluat(?:ors|ion)|investigat(?:ors?|ion)|survey|study|panel|committee|commission|inquiry|"
    r"board|forum|members|councillors)"
    r"(?:[ \t]+team)?)|added|adds|"
    r"suggested|suggests|reflected|reflects|recalled|recalls|remembered|remembers|argued|argues|claimed|claims|highlighted|"
    r"highlights|emphasised|emphasized|emphasises|emphasizes|mentioned|mentions|recounted|summarised|"
    r"summarized|illustrated|illustrates|answered|replied|acknowledged|acknowledges|admitted|expressed|"
    r"felt|feels|shared|indicated|indicates|pointed out|points out|identified|confirmed|warned|asked|"
    r"responded|recognised|recognized|accepted that|accepts that|concluded|concludes|recommended|recommends|"
    r"warn|warns|warned|agreed|"
    r"summed up|sums up|spoke of|spoke about|talked about|talked of|wrote|writes|maintained|maintains|insisted|"
    r"insists|stressed|stresses|conceded|concedes|contended|contends|testified|called it|calls it|"
    r"characteri[sz]ed|characteri[sz]es"
)
# The words of a speech tag that name its speaker (`one head`, `P8`, `Dr Patel`), maybe wrapped onto
# the next line. A word stops short of a sentence's stop, so a tag ends at its sentence's end; only a
# title or an abbreviation before a number keeps its stop (`Dr.`, `Int. 14`), and one inside a word stays.
_SPEAKER_WORD = r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Revd?|St|Cllr)\.|[A-Za-z]{1,5}\.(?=[ \t]?\d)|[\w’'-]+(?:\.[\w’'-]+)*"
SPEAKER = rf"(?=[^\W\d_])(?:{_SPEAKER_WORD})(?:(?:[ \t]+\n?|\n)[ \t]*(?:{_SPEAKER_WORD})){{0,6}}?"
# A person named by name, maybe after a title (`Nadia Farouk`, `Dr Brannigan`, `Chief Inspector
# Akintola-Barnes`): not a determiner or pronoun opening a phrase, nor an organisation.
_TITLE = (
    r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx|Miss|Cllr|Councillor|Sir|Dame|Lord|Lady|Rev|Revd|Judge|Mayor|"
    r"Chief[ \t]+Inspector|Inspector|Superintendent|Chief[ \t]+Superintendent|Sergeant|Constable|Detective)"
)
# Letters of names in Latin script, with their accents (`Zoë Núñez`, `Tomasz Wiśniewski`, `Łucja`).
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſ"
_LOWER = "a-zß-öø-ÿĀ-ſ"
# A word of a name, maybe with a capital inside after an apostrophe or `Mc`/`Mac` (`O’Dowd`, `McAllister`)
# and maybe joined by a hyphen (`Anne-Marie`).
_NAME_WORD = (rf"[{_UPPER}](?:(?<=O)[’'][{_UPPER}])?[{_LOWER}’']+"
              rf"(?:(?<=Mc|ac)[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}]?[{_LOWER}’']+)*")
PERSON_NAME = (
    rf"(?:{_TITLE}\.?\s+)?(?!(?:One|Another|The|This|That|These|Those|She|He|They|It|We|I|Most|Some|Several|"
    r"Many|All|Both|Each|Staff|Participants?|Respondents?|Interviewees?|As|When|While|If|In|On|At|For|But|And|So|"
    r"Yet|Although|Though|After|Before|Since|Because|Then|Here|There|Now|What|Why|How|Who|Where|Which|Whose|"
    r"Every|No|Our|Your|My|His|Her|Their|Its)\b)"
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}}"
)
_PERSON_NAME = re.compile(PERSON_NAME)
_TITLED = re.compile(rf"{_TITLE}\.?\s")
# A paragraph's number opening the sentence, if any: `4.7 `, `12. `.
PARAGRAPH_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2})*\.?[ \t]+)?"
# Words that name an organisation where they stand in a capitalised name (`Bus Users' Group`).
ORGANISATION_WORDS = (
    r"Council|Department|Ministry|Trust|Service|Services|Agency|Office|Government|Institute|University|College|"
    r"Association|Society|Board|Commission|Committee|Group|Partnership|Foundation|Authority|Bank|Network|Centre|"
    r"Center|Company|Federation|Alliance|Forum|Union|Chamber|Coalition|Consortium|Charity"
)
_ORGANISATION = re.compile(rf"\b(?:England|Scotland|Wales|{ORGANISATION_WORDS}|Limited|Ltd|Inc|Report|Review|Survey)$")
# A quotation's closing mark where a speech tag follows it: after the quotation's last punctuation
# (`...a term,” said`), or with a comma after it (`...chaos”, explained`).
MARK_BEFORE_TAG = r"(?:[,…—–!?-](?P<mark>[”’\"'])|(?P<mark_before_comma>[”’\"]),)[ \t]+"
# The speech tag after a closing mark, up to a code in brackets: `...a term,” said one head` or
# `...a term,” one head said` before `(H2)`, or `...a term,” one head` before `(H2) said`.
_TAG_BEFORE_CODE = re.compile(
    MARK_BEFORE_TAG
    + rf"(?:(?P<verb_first>{SPEECH_VERBS})[ \t]+{SPEAKER}|{SPEAKER}(?P<verb_then>[ \t]+(?:{SPEECH_VERBS}))?)"
    # ... maybe with a word on how or when they said it: `, as one tenant put it, fondly, years later`.
    r"(?(verb_then)(?:,[ \t]+(?-i:[a-z])[^,.;:“”\"()\n]{0,40}){0,2}|)[ \t]*$",
    re.IGNORECASE,
)
_VERB_AFTER_CODE = re.compile(rf"[ \t]+(?:{SPEECH_VERBS})\b", re.IGNORECASE)
# How far before a code in brackets its speech tag may start.
_TAG_REACH = 80


def speech_tag(speaker: str) -> str:
    """A speech tag naming `speaker` after or before its verb (`said one tenant`, `one tenant
    explained`, `Grace, 52, told us` and `says Jade, 15`: a name with an age); `tag_speaker` reads
    who it names, `tag_age` their age."""
    return (rf"(?:(?:{SPEECH_VERBS})\s+(?P<after_verb>{speaker})(?:,[ \t]*(?P<age_after>\d{{1,2}})(?=[ \t]*[,.;]))?"
            rf"|(?P<before_verb>{speaker})(?:,[ \t]*(?P<tag_age>\d{{1,2}}),)?[ \t]+(?:{SPEECH_VERBS}))")


def person_named(speaker: str) -> str | None:
    """The person a speech tag names by name (`Dr Brannigan`), as printed on one line; None for a
    role, a code or an organisation."""
    name = " ".join(speaker.split())
    if not _PERSON_NAME.fullmatch(name) or _ORGANISATION.search(name):
        return None
    return name


def named_in_full(words: str) -> bool:
    """Whether words name a person in full or with a title (`Ama Boateng`, `Dr Boateng`): a name no
    capitalised word opening a sentence, nor a role, a code or an organisation, passes for."""
    return person_named(words) is not None and full_name(" ".join(words.split()))


def full_name(name: str) -> bool:
    """Whether a person's name is given in full (`Ama Boateng`) or with a title (`Dr Boateng`), as a
    single capitalised word opening a sentence need not be a name at all."""
    return titled(name) or len(name.split()) >= 2


def titled(name: str) -> bool:
    """Whether a name opens with a person's title (`Dr`, `Mrs`, `Cllr`): a person, not a place."""
    return bool(_TITLED.match(name))


def tag_speaker(tag: re.Match[str]) -> str:
    """The speaker a match of `speech_tag` names."""
    return tag.group("after_verb") or tag.group("before_verb")


def tag_age(tag: re.Match[str]) -> str | None:
    """The age a match of `speech_tag` gives beside the speaker's name, if any."""
    return tag.group("tag_age") or tag.group("age_after")


# A speech tag after a closing mark that ends its sentence or clause: `...listening,” said one tenant.`
_TAG_ENDING_CLAUSE = re.compile(MARK_BEFORE_TAG + speech_tag(SPEAKER) + r"[ \t]*[.,;]", re.IGNORECASE)
# Text that ends on a speech verb (maybe with an adverb, "that" and a colon), handing over to the words
# quoted: `She said:`, `felt that`, `said simply,`.
ENDS_IN_SPEECH = re.compile(
    rf"\b(?:{SPEECH_VERBS})(?:[ \t]+\w+ly)?(?:[ \t]+that)?[ \t]*[:,]?[ \t]*\n?[ \t]*$", re.IGNORECASE
)
_VERBS_AFTER_BY = (
    r"highlighted|identified|described|noted|illustrated|explained|expressed|put|summarised|summarized|"
    r"emphasised|emphasized|articulated|captured|echoed|voiced|reported|stated|raised|reflected"
)
_INFINITIVES = r"comment|say|remark|note|observe|reflect|explain|state|add|suggest|describe|argue|conclude"
_DETERMINER = r"(?:this|that|one|a|an|another|the\s+following)"
_THE = re.compile(r"^[ \t]*the[ \t]+", re.IGNORECASE)
_ROLE_WORDS = r"[A-Za-z0-9][\w'’&/-]*(?:\s+[\w'’&/-]+){0,7}?"
_ROLE = rf"(?P<role>{_ROLE_WORDS})"
# A clause about the person speaking, between their role and the speech verb (`A pharmacy technician
# who had trained as an adviser for the pilot said`).
_WHO_CLAUSE = r"(?:,?\s+who\s+[^,.;:“”\"]{1,80}?,?)?"
# Whose the person speaking is, opening their role (`Mrs B’s advocate`, `the family’s social worker`,
# `Her daughter`): part of who they are.
_POSSESSOR = r"(?:(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?[’']s|her|his|their)"
# Words that end a noun phrase: a role never runs through them.
_NOT_IN_ROLE = re.compile(
    r"\b(?:who|whom|which|that|was|were|is|are|had|has|have|been|being|would|could|should|when|"
    r"where|while|whilst|because|and|but|also|then|there|it|they|we|he|she)\b",
    re.IGNORECASE,
)

# Head nouns that name a text, not a person: "The following quote illustrates" names no speaker;
# and words that stand for a person already named ("A third said", "another one added").
_NOT_A_PERSON = re.compile(
    r"\b(?:first|second|third|fourth|fifth|other|others|former|latter|last|next|one|same|"
    r"quote|quotes|quotation|quotations|extract|excerpt|view|views|comment|comments|example|statement|"
    r"response|passage|document|report|paper|guidance|plan|strategy|framework|policy|table|figure|box|"
    r"evidence|data|finding|findings|account|theme|case|study|review|survey|website|letter|briefing|"
    r"sentiment|feeling|idea|point|phrase|description|concern|message|opinion|perception|impression|remark|"
    r"observation|story|narrative)$",
    re.IGNORECASE,
)

# A text named by its speaker ("this quote from another physiotherapist", "an extract from an interview
# with a ward manager"): the speaker is what follows.
_TEXT_OF_SPEAKER = re.compile(
    rf"^(?:quote|quotation|comment|remark|extract|excerpt|response|reflection|account|statement|interview)s?"
    rf"\s+(?:from|by|of|with)\s+(?:{_DETERMINER}\s+)?",
    re.IGNORECASE,
)

# How the research met the speaker, after the role (`a girl quoted in the study`, `a parent
# interviewed for this report`): not part of who they are.
_HOW_HEARD = re.compile(
    r"\s+(?:quoted|interviewed|surveyed|featured|consulted|spoken to|we spoke to|taking part)\b.*$", re.IGNORECASE
)
# An organisation's name before a post in it (`the Partnership’s clinical lead`): where the person
# works, not whose they are, so the role is the post alone.
_ORGANISATIONS_POST = re.compile(rf"^(?:the\s+)?(?:[A-Z][\w-]*\s+)*?(?:{ORGANISATION_WORDS})[’']s\s+")
# A quotation inside a lead-in sentence, and the words it needs to be one rather than a term.
_QUOTATION_IN_SENTENCE = re.compile(r"“[^“”]*”|\"[^\"]*\"|‘[^‘’]*(?:’[A-Za-z][^‘’]*)*’(?![A-Za-z])")
MIN_QUOTED_WORDS = 4
# A short bracketed aside inside a lead-in: a code, an abbreviation.
_ASIDE = re.compile(r"[ \t]*\([^()\n]{1,30}\)")

_LEAD_IN_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"(?:^{PARAGRAPH_NUMBER}|[,;:–—]\s*)(?:as|when)\s+{_DETERMINER}\s+{_ROLE}\s+(?:{SPEECH_VERBS})\b",
        rf"\b(?:{_VERBS_AFTER_BY})\s+by\s+{_DETERMINER}\s+{_ROLE}(?:\s+as)?\s*(?:[:,.]|$)",
        rf"\b(?:according\s+to|in\s+the\s+words\s+of|to\s+quote)\s+{_DETERMINER}\s+{_ROLE}\s*(?:[:,.]|$)",
        rf"\b(?:one|a|an|another|this)\s+{_ROLE}\s+to\s+(?:{_INFINITIVES})\b",
        rf"(?:^{PARAGRAPH_NUMBER}|[.!?]\s+|,\s+){_DETERMINER}\s+{_ROLE}{_WHO_CLAUSE}\s+(?:{SPEECH_VERBS})\b",
        rf"^{PARAGRAPH_NUMBER}(?:one|another|a|an|this)\s+{_ROLE}(?:,[^,:]{{1,100}},)?\s+was\b[^.!?:“”\"]*:\s*$",
        rf"(?:^{PARAGRAPH_NUMBER}|[.!?]\s+|,\s+)(?P<role>{_POSSESSOR}\s+{_ROLE_WORDS})\s+(?:{SPEECH_VERBS})\b",
    )
)


def lead_in_role(preceding_text: str) -> str | None:
    """The speaker's role as the sentence before a quotation names it, or None when it names none.

    A bracketed aside after the role, such as the speaker's code, is passed over: "As one
    commissioner (C4) explained" names a commissioner. A sentence that quotes someone before the
    quotation names that speaker, not this one: only what follows its last quotation leads in."""
    sentence = _ASIDE.sub("", _after_last_quotation(last_sentence(preceding_text)))
    for pattern in _LEAD_IN_PATTERNS:
        roles = [_clean_role(match.group("role")) for match in pattern.finditer(sentence)]
        roles = [role for role in roles if role]
        if roles:
            return roles[-1]
    titles = [match.group("role") for match in _TITLE_SPEAKS.finditer(sentence)]
    if PRONOUN_SPEAKS.search(sentence) and not titles:
        titles = _post_speaking_earlier(preceding_text.rstrip(), sentence)
    titles = [title for title in titles if _is_post(title)]
    return titles[-1] if titles else None


def _post_speaking_earlier(lead_in: str, sentence: str) -> list[str]:
    """The post a pronoun speaking in `sentence` stands for: the last one seen speaking earlier in the
    paragraph (`the Housing Options Team Leader told us ... She accepted that`), or the one the
    paragraph opens with (`2.2 The Head of Passenger Transport Services described ...`)."""
    paragraph_start = lead_in.rfind("\n\n") + 2 if "\n\n" in lead_in else 0
    earlier = lead_in[paragraph_start:len(lead_in) - len(sentence.lstrip())] if lead_in.endswith(
        sentence.strip()) else ""
    speaking = [match.group("role") for match in _TITLE_SPEAKS.finditer(earlier)]
    if speaking:
        return speaking[-1:]
    opening = _PARAGRAPH_OPENS_WITH_TITLE.match(lead_in, paragraph_start)
    return [opening.group("role")] if opening is not None else []


def _is_post(title: str) -> bool:
    """Whether a capitalised title names a post, not a text or an organisation (`the Council`); a post
    may name its organisation after `of` (`Head of Passenger Transport Services`)."""
    return not (_NOT_A_PERSON.search(title) or (_ORGANISATION.search(title) and " of " not in title))


# A pronoun standing for one person named before it (`she said`, `He told us:`).
PRONOUN = re.compile(r"[Hh]e|[Ss]he")
# A pronoun as the subject of a speech verb (`He told us:`, `Later she recalled`), opening a sentence
# that hands over with a colon (`She was candid about the limits of current practice:`), or giving
# whose view the sentence is (`In his view the contracts were ‘...’`).
PRONOUN_SPEAKS = re.compile(
    rf"\b(?:{PRONOUN.pattern})[ \t]+(?:{SPEECH_VERBS})\b|^[ \t]*(?:{PRONOUN.pattern})\b[^.!?:]*:[ \t]*$"
    r"|^[ \t]*[Ii]n[ \t]+(?:his|her)[ \t]+(?:view|words|opinion)\b"
)
# A post's title, in capitals as titles are, its words maybe joined by `of`, `for` or `and` (`Head of
# Passenger Transport Services`, `SEND Assessment and Review Team Manager`).
_POST_TITLE = r"(?P<role>[A-Z][\w’'-]*(?:\s+(?:of|for|and|[A-Z][\w’'&()-]*)){0,6}?)"
# A post's title opening a paragraph after `The` (`2.2 The Head of Passenger Transport Services
# described ...`): whom a pronoun speaking later in the paragraph stands for.
_PARAGRAPH_OPENS_WITH_TITLE = re.compile(
    rf"[ \t]*{PARAGRAPH_NUMBER}The\s+{_POST_TITLE}(?:,[^,.]{{1,100}},)?\s+(?!(?:of|for|and)\b)[a-z]"
)
# A post's title after `the`, before a speech verb (`the Housing Options Team Leader told us that`, `the
# Council's Head of Housing said`): one person, whom the report names by post.
_TITLE_SPEAKS = re.compile(
    rf"(?:^{PARAGRAPH_NUMBER}|[.!?;,]\s+|\b(?:that|when|and|but)\s+)[Tt]he\s+(?:[A-Z][\w-]*[’']s\s+)?{_POST_TITLE}"
    rf"(?:,[^,.;:]{{1,100}},)?\s+(?:{SPEECH_VERBS})\b"
)


def _after_last_quotation(sentence: str) -> str:
    """The part of a sentence after the last quotation it closes, in double or single marks; a term
    in marks (`the ‘flat structure’`) is no quotation, and an apostrophe (`nurse’s`) closes none."""
    cut = 0
    for match in _QUOTATION_IN_SENTENCE.finditer(sentence):
        if len(match.group().split()) >= MIN_QUOTED_WORDS:
            cut = match.end()
    return sentence[cut:]


def _clean_role(role: str) -> str | None:
    """The person a phrase names (past a text it names them by), or None for a phrase that names none."""
    role = role.strip(" ,;:'\"’‘“”")
    while (text_of_speaker := _TEXT_OF_SPEAKER.match(role)) is not None:
        role = role[text_of_speaker.end():]
    role = _HOW_HEARD.sub("", _ORGANISATIONS_POST.sub("", role, count=1))
    if not role or _NOT_IN_ROLE.search(role) or _NOT_A_PERSON.search(role):
        return None
    return role


def tag_role(text: str, closing: int) -> str | None:
    """The speaker's role a speech tag after the closing mark at `closing` names, read as a lead-in
    naming it would be, or None: `...listening,” said one tenant.`, `...listening”, one tenant
    explained.`"""
    tag = _TAG_ENDING_CLAUSE.match(text, max(0, closing - 1)) or _TAG_ENDING_CLAUSE.match(text, closing)
    return None if tag is None else role_in_tag(tag_speaker(tag))


def role_in_tag(speaker: str) -> str | None:
    """The role the speaker of a speech tag is named by (`one tenant`, `the minister at Elbury
    Church`), read as a lead-in naming it would be. In a tag, unlike a lead-in's sentence, `the`
    before a role names a person as `one` does; a text it names (`said the report`) is no one."""
    return lead_in_role(f"As {_THE.sub('one ', speaker, count=1)} said")


def closing_mark_before_tag(text: str, start: int, end: int) -> int | None:
    """Offset of the closing mark of a quotation whose speech tag holds the code in brackets at
    [start, end): `...a term,” said one head (H2)`, `...a term,” one head (H2) explained`. The words
    in marks are the quotation; the tag is not."""
    tag = _TAG_BEFORE_CODE.search(text, max(0, start - _TAG_REACH), start)
    if tag is None or not (tag.group("verb_first") or tag.group("verb_then") or _VERB_AFTER_CODE.match(text, end)):
        return None
    return tag.start("mark") if tag.group("mark") else tag.start("mark_before_comma")
