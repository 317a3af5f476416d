"""Who a sentence names as the speaker of the quotation it leads in to or holds.

A report names its speakers in its prose as often as in codes after the words: a code ending the
lead-in (`One GP (GP04) said:`), the document's own code as a subject (`P11 explained that`), a
pseudonym with an age (`Dorota (54), who lives alone, described it:`), a name with a role between
commas (`Hannah, an emergency medical technician, said that`), a person named in full (`Dr Ama
Boateng, of the University of Tremont, said:`), or a pronoun for a person named just before (`She
told us:`). Each reader here takes the sentence (or the text before a quotation) and returns the
respondent it names, or None.
"""

from __future__ import annotations

import re

from ingest.attribution import is_recognised
from ingest.attribution_vocabulary import (
    CODE_BEFORE_PREDICATE,
    CODE_SPEAKS,
    LEAD_IN_CODE_SHAPE,
    NAME_WITH_AGE,
    lead_in_labels,
    names_a_part,
    pseudonym_label,
    respondent_attribution,
)
from ingest.lead_in import (
    ORGANISATION_WORDS,
    PARAGRAPH_NUMBER,
    PERSON_NAME,
    PRONOUN_SPEAKS,
    SPEECH_VERBS,
    lead_in_role,
    named_in_full,
    person_named,
    titled,
)
from ingest.quote_spans import Conventions
from ingest.records import Attribution
from ingest.text.lead_ins import last_sentence

# A code ending a lead-in: in brackets, maybe before a speech verb (`One GP (GP04) said:`, `the view
# (Int. 14):`), or bare as the subject of one (`P5 said:`, `P11 explained that`).
_CODE_ENDING_LEAD_IN = re.compile(
    rf"(?:(?P<code>\([^()\n]{{1,40}}\))[ \t]*(?:(?:{SPEECH_VERBS})[ \t]*)?"
    rf"|\b(?P<bare>[A-Z][A-Za-z]{{0,3}}[ ]?\d{{1,4}}[A-Za-z]?)[ \t]+(?:{SPEECH_VERBS})(?:[ \t]+that)?[ \t]*)"
    r"[:,]?[ \t]*$"
)

# A bracketed code before a short predicate ending the lead-in: `One manager (QA2) was more cautious:`.
_CODE_BEFORE_PREDICATE = re.compile(CODE_BEFORE_PREDICATE + r"[ \t]*$")
# A code in brackets between the role a lead-in names and its speech verb (`As one commissioner (C4)
# explained:`): the speaker's code though the document uses it once.
_LEAD_IN_CODE_SHAPE = re.compile(LEAD_IN_CODE_SHAPE)
_LEAD_IN_CODE_WORD = re.compile(rf"(?<![\w-]){LEAD_IN_CODE_SHAPE}(?![\w-])")
# A code set off by commas before a speech verb: `Another commissioner, C7, put it simply:`.
_CODE_IN_APPOSITION = re.compile(rf",[ \t]*(?P<code>{LEAD_IN_CODE_SHAPE}),[ \t]*(?:{SPEECH_VERBS})\b[^.!?:]*:?[ \t]*$")
# A code in brackets right before a speech verb, in the sentence a quotation sits in.
_CODE_BEFORE_SPEECH = re.compile(
    rf"(?:\((?P<round>{LEAD_IN_CODE_SHAPE})\)|\[(?P<square>{LEAD_IN_CODE_SHAPE})\])"
    rf"[ \t]+(?:{SPEECH_VERBS})\b[^()\[\]]*$"
)
# What a speech verb's clause may say before handing over to the words with a colon: `told us that her
# authority had received notifications for fewer than a third of the households:`.
_HANDS_OVER_AT_LENGTH = r"[^“”\"]{0,200}:[ \t]*"
# A role in lower case after a capitalised word before a person's name: `Buddies coordinator Precious
# Adeyemi says`, `Site manager Joe Kerr told us`.
_ROLE_BEFORE_NAME = (
    r"(?!(?:The|A|An|This|That|These|Those|Its|Their|Our|His|Her|Your|My)\b)[A-Z][\w’'-]*(?:[ \t]+[a-z][\w’'-]*){1,2}"
    r"[ \t]+(?=[A-Z])"
)
# A person opening the sentence (maybe after a paragraph's number), maybe with clauses about them set
# off by commas, before a speech verb, however much of what they said the sentence reports before the
# words it quotes (`Mr Moriarty replied that the service was already demand-responsive and that ...`),
# unless it quotes other words first (`..., while Ms Patel told us that ...`: see `_QUOTED_PASSAGE`).
_PERSON_SPEAKS = re.compile(
    rf"^[ \t]*{PARAGRAPH_NUMBER}(?:{_ROLE_BEFORE_NAME})?(?P<name>{PERSON_NAME})(?:,[^“”\"]{{1,160}}?,)?[ \t]+"
    rf"(?:{SPEECH_VERBS})\b(?:[^“”\"]{{0,40}}|[^“”\";…]{{0,200}}|{_HANDS_OVER_AT_LENGTH})$"
)
# A person opening the sentence that hands over to a block with a colon, whatever its verb: `6. Mr Graham
# Stott, Managing Director of Fellside Motor Services, rejected the implication that operators had
# behaved irresponsibly:`; not a cited author (`Professor Hughes (2019) sets out three stages:`).
_PERSON_HANDS_OVER = re.compile(
    rf"^[ \t]*{PARAGRAPH_NUMBER}(?P<name>{PERSON_NAME})(?![’']s\b|[ \t]*\()[,\s][^“”\"]{{0,300}}:[ \t]*$"
)
# Every person a paragraph names in full or with a title.
_PERSON_IN_FULL = re.compile(rf"\b(?P<name>{PERSON_NAME})")
# A name opening the sentence with the person's role, or a clause or two about them, between commas before
# a speech verb: `Hannah, an emergency medical technician, said that`, `Kenny, who had driven the 72 for
# eleven years, told me`, `Bev, a member since the first month, who asked us not to use her surname, says`.
_NAME_WITH_ROLE = re.compile(
    rf"^[ \t]*(?P<name>[A-Z][a-z’'-]{{1,20}})(?:,[ \t]+(?:a|an|the|one|our|his|her|their|who|whose)[ \t]+"
    rf"[^,;“”\"]{{1,100}}){{1,2}},[ \t]+(?:{SPEECH_VERBS})\b"
)
# A pseudonym with an age as the subject of a speech verb, wherever it stands: `Her friend Pat (70s) added,`.
_NAME_WITH_AGE_SPEAKS = re.compile(rf"{NAME_WITH_AGE.pattern}[ \t]+(?:{SPEECH_VERBS})\b")
# Who a person is, set off by commas after their name: `, a team leader,`, `, one of the longest-serving coaches,`.
_APPOSITION = r",[ \t]+(?:a|an|the|one|our|his|her|their)\b[^,;“”\"]{1,120},"
# A role and a letter naming one person, opening the sentence before a speech verb, maybe with who they
# are between commas: `Staff member D, the FY1, told the investigation that`, `Practitioner B said`.
_LETTERED_PERSON = re.compile(
    rf"^[ \t]*{PARAGRAPH_NUMBER}(?P<label>(?P<role>[A-Z][a-z]+)(?:[ \t]+[a-z]+){{0,2}}[ \t]+[A-Z])"
    rf"(?:{_APPOSITION})?[ \t]+(?:{SPEECH_VERBS})\b"
)
# A person named opening a paragraph, maybe after its number: `2.2 Mrs Daphne Orr, whose mother ...`.
_PARAGRAPH_OPENS_WITH_PERSON = re.compile(rf"[ \t]*{PARAGRAPH_NUMBER}(?P<name>{PERSON_NAME})\b")
# An organisation opening the sentence as the subject of a speech verb, as a consultation's respondent:
# `The Kelmsford Bus Users' Group said`, `The Federation of Small Businesses (Kelmsford branch) argued`.
_ORGANISATION_SPEAKS = re.compile(
    rf"^[ \t]*{PARAGRAPH_NUMBER}(?:The[ \t]+)?"
    rf"(?P<name>(?:[A-Z][\w’'&.-]*[ \t]+(?:(?:of|and|for|the|&)[ \t]+)?){{0,6}}?(?:{ORGANISATION_WORDS})\b"
    rf"(?:[ \t]+(?:(?:of|for|and)[ \t]+)?[A-Z][\w’'&.-]*){{0,4}})(?:[ \t]+\([^()\n]{{1,40}}\))?[ \t]+"
    rf"(?:{SPEECH_VERBS})\b"
)
# A label in brackets right after a closing mark, ending the text before a quotation: the previous one's signature.
_SIGNS_QUOTATION_BEFORE = re.compile(r"[”\"’][.,;]?[ \t]*[(\[][^()\[\]\n]{1,60}[)\]][ \t.]*\s*$")
# A name in a lead-in (`As Marion put it,`, `As Kwame, a team leader, put it,`), and a name opening a
# sentence that hands over with a colon.
_AS_PSEUDONYM_PUT_IT = re.compile(
    rf"\b(?:[Aa]s|[Ww]hen)[ \t]+(?P<name>[A-Z][a-z’'-]+)(?:{_APPOSITION})?[ \t]+(?:{SPEECH_VERBS})\b[^“”\"]{{0,40}}$"
)
# A person named in full or with a title in a lead-in: `As Halima Abdi, a ward administrator, put it,`,
# `In the words of Dr Tierney,`.
_AS_PERSON_PUT_IT = re.compile(
    rf"\b(?:[Aa]s|[Ww]hen)[ \t]+(?P<name>{PERSON_NAME})(?:{_APPOSITION})?[ \t]+(?:{SPEECH_VERBS})\b[^“”\"]{{0,40}}$"
    rf"|\b[Ii]n[ \t]+(?:the[ \t]+)?words[ \t]+of[ \t]+(?P<words_of>{PERSON_NAME}),?[ \t]*$"
)
# A role, then the person's name between commas, before a speech verb: `One coach, Priya, described`.
_ROLE_THEN_NAME = re.compile(
    rf"^[ \t]*(?:One|Another|A|An|The)[ \t]+[a-z][\w’' -]{{1,40}},[ \t]+(?P<name>[A-Z][a-z’'-]+),"
    rf"[ \t]+(?:{SPEECH_VERBS})\b"
)
# A name opening the clause that hands over to the words, maybe with an aside before the verb:
# `..., while Bev said simply that`, `...; Jenna, for example, said that`.
_NAME_SPEAKS_IN_CLAUSE = re.compile(
    rf"(?:[,;]|\b(?:while|whereas|and|but))[ \t]+(?P<name>[A-Z][a-z’'-]+)"
    r"(?:,[ \t]+(?:for[ \t]+(?:example|instance)|too|however|though|meanwhile|in[ \t]+particular|by[ \t]+contrast),)?"
    rf"[ \t]+(?:{SPEECH_VERBS})\b[^“”\"‘’.;:]{{0,40}}$"
)
_PSEUDONYM_HANDS_OVER = re.compile(r"^[ \t]*(?P<name>[A-Z][a-z’'-]+)\b[^“”\"]*:[ \t]*$")
# Words quoted earlier in the sentence, which stand for what the person said: `called it “a lottery”,`.
_QUOTED_PASSAGE = re.compile(r"“[^“”\n]{1,200}”|\"[^\"\n]{1,200}\"")
# A double quotation mark: a paragraph holding one quotes someone.
_ANY_MARK = re.compile("[“”\"]")
# A code opening the sentence a quotation sits in, as the subject of a speech verb, maybe with a
# clause about the speaker between: `L02, who manages around 300 properties, said that`.
_ABOUT_THE_CODE = r"(?:,[ \t]+(?:who|whose|a|an|the|one|now)\b[^,.;“”‘’\"\n]{1,60},)?"
_CODE_SUBJECT = re.compile(rf"[ \t]*(?P<code>{LEAD_IN_CODE_SHAPE}){_ABOUT_THE_CODE}[ \t]+(?:{SPEECH_VERBS})\b")
# ... or of any predicate that runs on to the words, in one clause: the words are what the respondent
# said of what they did (`P22 had brought a folder of payslips “in case ...”`), unless the predicate
# says someone else's words reached them or the words are written ones (`P5 was told “...”`, `P5
# read “...”`).
_OWN_WORDS_PREDICATE = (
    r"[ \t]+(?=[a-z])"
    r"(?![^“”‘’\"]*\b(?:told|asked|heard|read|reads|wrote|writes|written|headed|titled|entitled|labelled|by)\b)"
    r"[^.!?;:,“”‘’\"\n]{1,160}"
    # ... maybe going on with a second predicate of the same subject: `, and said afterwards that he assumed`.
    r"(?:,[ \t]+(?:and|then)[ \t]+(?!(?:his|her|their|its|the|a|an|she|he|they|it|this|that)\b)[a-z]"
    r"[^.!?;:,“”‘’\"\n]{0,120})?$"
)
_CODE_SUBJECT_ACTS = re.compile(rf"[ \t]*(?P<code>{LEAD_IN_CODE_SHAPE}){_ABOUT_THE_CODE}{_OWN_WORDS_PREDICATE}")
# ... or opening the clause that runs on to the words: `..., and P08 stopped to ask whether it would be “...”`.
_CODE_ACTS_IN_CLAUSE = re.compile(
    rf"(?:[,;]|\b(?:and|but|while|whereas))[ \t]+(?P<label>{LEAD_IN_CODE_SHAPE}){_OWN_WORDS_PREDICATE}"
)
# A pronoun opening such a clause: `She went on to describe the waiting area as feeling “...”`.
_PRONOUN_ACTS = re.compile(rf"[ \t]*(?:He|She){_OWN_WORDS_PREDICATE}")
# A code opening the clause that hands over to the words: `..., and PP2, half-joking, described it as`.
_CODE_SPEAKS_IN_CLAUSE = re.compile(rf"(?:[,;]|\b(?:and|but|while|whereas))[ \t]+{CODE_SPEAKS}[^“”\"‘’.;:]{{0,60}}$")
# A code opening a sentence that hands over with a colon, maybe after the role it is a code of:
# `R2 was more cautious:`, `Patient P09 described how the delay had affected her:`.
_CODE_OPENING_LEAD_IN = re.compile(
    rf"[ \t]*(?:[A-Z][a-z]+[ \t]+)?(?P<code>{LEAD_IN_CODE_SHAPE})[ \t]+[a-z][^.!?:]*:[ \t]*$"
)


def speaker_in_lead_in(text: str, start: int, conventions: Conventions) -> Attribution | None:
    """The respondent the lead-in before `start` names, if any: by the document's own code ("As R7 put
    it:"), by a code where it ends ("One GP (GP04) said:", "took a longer view (Int. 14):", "P11
    explained that"), before a short predicate ("One manager (QA2) was more cautious:"), set off by
    commas before a speech verb ("Another commissioner, C7, put it simply:"), or opening a sentence
    that hands over with a colon ("R2 was more cautious:"). The code signing the quotation before
    (`...to me.” (Juror 3)`) is that quotation's, no lead-in."""
    before = text[max(0, start - 300):start]
    sentence = last_sentence(before)
    if _SIGNS_QUOTATION_BEFORE.search(before):
        return None
    labels = [label for label in lead_in_labels(sentence) if conventions.vocabulary.knows(label)]
    if labels:
        return respondent_attribution(labels[-1], labels[-1])
    return (
        _code_ending(sentence, conventions) or _code_before_predicate(sentence, conventions)
        or _code_in_apposition(sentence) or _code_opening(sentence, conventions)
    )


def speaker_named_before(text: str, opening: int, sentence: str, conventions: Conventions) -> Attribution | None:
    """The person a pronoun speaking in the sentence before the mark at `opening` stands for (`He told
    us: "..."`): a pseudonym given before (see `pseudonym_before`), else the one person the paragraph
    names with a title or in full (see `_only_person_above`), else the one respondent code it names.
    A pronoun opening any clause that runs on to the words stands for that code alone (`For P03, the
    wait ... She went on to describe it as “...”`): a code names a respondent, a name may not."""
    if PRONOUN_SPEAKS.search(sentence):
        return antecedent(text, opening) or _only_code_above(text, opening, conventions)
    return _only_code_above(text, opening, conventions) if _PRONOUN_ACTS.match(sentence) else None


def _only_code_above(text: str, start: int, conventions: Conventions) -> Attribution | None:
    """The one respondent code, known to the document or a scheme, that the paragraph names before `start`."""
    paragraph_start = text.rfind("\n\n", 0, start) + 1
    codes = {attribution.code: attribution for match in _LEAD_IN_CODE_WORD.finditer(text, paragraph_start, start)
             if (attribution := conventions.parse(match.group(0))).source_kind == "interview"
             and attribution.code and is_recognised(attribution)}
    return next(iter(codes.values())) if len(codes) == 1 else None


def antecedent(text: str, position: int) -> Attribution | None:
    """The person a pronoun at `position` stands for: a pseudonym given before it in the paragraph
    (see `pseudonym_before`), else the one person the paragraph names with a title or in full (see
    `_only_person_above`)."""
    return pseudonym_before(text, position) or _only_person_above(text, position)


def pseudonym_before(text: str, position: int) -> Attribution | None:
    """The last pseudonym given with an age, or marked as one, earlier in the paragraph holding
    `position` (`Marcus, 15, started coming...`, `Margaret (not her real name) is 78`): the person a
    pronoun speaking there stands for."""
    paragraph_start = text.rfind("\n\n", 0, position) + 1
    named = list(NAME_WITH_AGE.finditer(text, paragraph_start, position))
    return _pseudonym(named[-1]) if named else None


def _pseudonym(named: re.Match[str]) -> Attribution:
    """The respondent a `NAME_WITH_AGE` match names, labelled as signatures print it (`Marcus, 15`)."""
    return respondent_attribution(named.group(0).strip(" ,"), pseudonym_label(named))


def person_leading_in(text: str, start: int) -> Attribution | None:
    """The person the lead-in sentence before `start` opens with, a block quotation's speaker where no
    code signs it: a pseudonym given with an age (`Tamsin (38, teacher) described her day:`), a
    person named in full before a speech verb (`Jack Temple, one of the few men ..., described`) or
    opening a sentence that hands over with a colon; or, where a pronoun speaks, the one person the
    paragraph names in full."""
    sentence = last_sentence(text[max(0, start - 300):start])
    named = NAME_WITH_AGE.match(sentence.lstrip())
    if named is not None:
        return _pseudonym(named)
    return (person_speaking(sentence) or _described_or_lettered(sentence) or _person_handing_over(sentence)
            or (_only_person_above(text, start) if PRONOUN_SPEAKS.search(sentence) else None))


def _person_handing_over(sentence: str) -> Attribution | None:
    """The person named in full or with a title opening a lead-in that hands over with a colon."""
    hands_over = _PERSON_HANDS_OVER.match(sentence)
    if hands_over is None or not named_in_full(hands_over.group("name")):
        return None
    return respondent_attribution(hands_over.group("name"), hands_over.group("name"))


def _titled_person_handing_over(sentence: str) -> Attribution | None:
    """A person named with a title opening the sentence that hands over to words in its own paragraph
    (`5. Dr Fatima Rahman, Chief Executive of ..., made a similar point:`): in running text, where a
    table's row may end in a colon too, only a title says the words before it name a person."""
    person = _person_handing_over(sentence)
    return person if person is not None and titled(person.code or "") else None


def _only_person_above(text: str, start: int) -> Attribution | None:
    """The one person the lead-in's paragraph names with a title, or else in full, before `start`, whom
    a pronoun speaking there stands for (`Mr Desmond Kyle ... called it ... Pressed by us, he ... went
    on:`); none where it names two."""
    lead_in_end = len(text[:start].rstrip())
    paragraph_start = text.rfind("\n\n", 0, lead_in_end) + 2 if "\n\n" in text[:lead_in_end] else 0
    people = {name for match in _PERSON_IN_FULL.finditer(text, paragraph_start, lead_in_end)
              if (name := " ".join(match.group("name").split())) and named_in_full(name)}
    titled_people = {name for name in people if titled(name)}
    named = titled_people or people
    if len(named) != 1:
        return None
    (person,) = named
    return respondent_attribution(person, person)


def person_introduced_above(text: str, start: int) -> Attribution | None:
    """The person with an age whom the paragraph right above `start` opens by introducing (`Maureen,
    67, took in her twin grandsons...`), when it quotes no one: a case study's subject, whose words a
    quoted paragraph below it gives."""
    above_end = text.rfind("\n\n", 0, start)
    if above_end < 0:
        return None
    previous_break = text.rfind("\n\n", 0, above_end)
    paragraph = text[previous_break + 2 if previous_break >= 0 else 0:above_end]
    named = NAME_WITH_AGE.match(paragraph.lstrip())
    if named is None or _ANY_MARK.search(paragraph):
        return None
    return _pseudonym(named)


def speaker_in_sentence(sentence: str, conventions: Conventions) -> Attribution | None:
    """The respondent the sentence around an inline quotation names before it as the one speaking:
    a code in brackets before a speech verb (`One volunteer (V-09) said she had "..."`), a code the
    document or a scheme knows opening the sentence before one (`Interviewee 12 described it as
    "..."`), a pseudonym opening it with an age or a pseudonym's mark (`Dorota (54), who lives
    alone, described it: "..."`) or with their role between commas (`Hannah, an emergency medical
    technician, said that`), a pseudonym with an age speaking anywhere in it (`Her friend Pat (70s)
    added,`), a person named in full or by a pseudonym the document uses (see `_person_speaking`), or
    a code the document knows opening a clause before a speech verb (`..., and PP2, half-joking,
    described it as "..."`)."""
    bracketed = _CODE_BEFORE_SPEECH.search(sentence)
    if bracketed is not None:
        code = bracketed.group("round") or bracketed.group("square")
        attribution = conventions.parse(f"({code})")
        return attribution if is_recognised(attribution) else respondent_attribution(code, code)
    named = NAME_WITH_AGE.match(sentence.lstrip()) or _NAME_WITH_AGE_SPEAKS.search(sentence)
    if named is not None:
        return _pseudonym(named)
    person = _described_or_lettered(sentence) or _person_speaking(sentence, conventions)
    if person is not None:
        return person
    code = _code_speaking(sentence)
    if code is None:
        return None
    attribution = conventions.parse(code)
    return attribution if is_recognised(attribution) and attribution.source_kind == "interview" else None


def _code_speaking(sentence: str) -> str | None:
    """A code as the subject of a speech verb, opening the clause that hands over to the words, else
    opening the sentence."""
    clause = _CODE_SPEAKS_IN_CLAUSE.search(sentence) or _CODE_ACTS_IN_CLAUSE.search(sentence)
    if clause is not None:
        return clause.group("label")
    opening = _CODE_SUBJECT.match(sentence) or _CODE_SUBJECT_ACTS.match(sentence)
    return opening.group("code") if opening is not None else None


def person_speaking(sentence: str) -> Attribution | None:
    """The person a sentence opens by naming in full or with a title, maybe with clauses about them
    set off by commas, before a speech verb (`Dr Ana Mirel, of the Wyvern Partnership, said that`),
    or names so in a lead-in (`As Halima Abdi, a ward administrator, put it,`). Words the sentence
    quotes before stand for what the person said (`Mr Kyle called it “a lottery”, and`)."""
    sentence = _QUOTED_PASSAGE.sub("…", sentence)
    speaks = _PERSON_SPEAKS.match(sentence) or _AS_PERSON_PUT_IT.search(sentence)
    name = speaks and (speaks.group("name") or speaks.groupdict().get("words_of"))
    if not name or not named_in_full(name):
        return None
    return respondent_attribution(name, name)


def person_or_antecedent_speaking(text: str, start: int) -> Attribution | None:
    """The person the lead-in before `start` names as speaking (see `person_speaking`), or, where a
    pronoun speaks (`She told the Inquiry:`), the person named in full or with a title who opens the
    lead-in's paragraph (`2.2 Mrs Daphne Orr, whose mother lived there, described ...`), whether the
    words follow in that paragraph or are set off below it."""
    sentence = last_sentence(text[max(0, start - 400):start].rstrip(" \t\n“‘\"'"))
    person = person_speaking(sentence)
    if person is not None or not PRONOUN_SPEAKS.search(sentence):
        return person
    lead_in_end = len(text[:start].rstrip(" \t\n“‘\"'"))
    paragraph_break = text.rfind("\n\n", 0, lead_in_end)
    opening = _PARAGRAPH_OPENS_WITH_PERSON.match(text, paragraph_break + 2 if paragraph_break >= 0 else 0)
    if opening is None or not named_in_full(opening.group("name")):
        return None
    return respondent_attribution(opening.group("name"), opening.group("name"))


def _described_or_lettered(sentence: str) -> Attribution | None:
    """The person a sentence opens with before a speech verb by a name and who they are between commas
    (`Hannah, an emergency medical technician, said that`), or by a role and a letter (`Witness B, a
    mother of three, described the journey:`)."""
    described = _NAME_WITH_ROLE.match(sentence)
    if described is not None and person_named(described.group("name")) is not None:
        return respondent_attribution(described.group("name"), described.group("name"))
    lettered = _LETTERED_PERSON.match(sentence)
    if lettered is not None and not names_a_part(lettered.group("role")):
        return respondent_attribution(lettered.group("label"), lettered.group("label"))
    return None


def _person_speaking(sentence: str, conventions: Conventions) -> Attribution | None:
    """The person a sentence names as speaking: opening it before a speech verb, maybe with clauses
    about them set off by commas (`Dr Ama Boateng, of the University of Tremont, who led the
    research, said:`), named in full or by a pseudonym the document signs quotations with; or such a
    pseudonym in a lead-in (`As Marion put it,`), opening a sentence that hands over with a colon
    (`Dev, who sits on the shop's board, was cautiously optimistic:`), or opening the clause that does
    (`..., while Bev said simply that`). A single name counts when the document signs with it, or
    only ever writes it as a name."""
    speaks = _PERSON_SPEAKS.match(sentence)
    if speaks is not None and (known := _known_name(speaks.group("name"), conventions)) is not None:
        return known
    named = person_speaking(sentence) or _titled_person_handing_over(sentence)
    if named is not None:
        return named
    for pattern in (_AS_PSEUDONYM_PUT_IT, _ROLE_THEN_NAME, _PSEUDONYM_HANDS_OVER, _NAME_SPEAKS_IN_CLAUSE):
        match = pattern.search(sentence)
        if match is not None and (known := _known_name(match.group("name"), conventions)) is not None:
            return known
    return None


def organisation_speaking(sentence: str) -> Attribution | None:
    """The organisation a sentence opens with as the one speaking (`The Kelmsford Bus Users' Group said
    it welcomed the proposal but that "..."`): a consultation's respondent, named as printed."""
    speaks = _ORGANISATION_SPEAKS.match(sentence)
    return None if speaks is None else respondent_attribution(speaks.group("name"), speaks.group("name"))


def _known_name(name: str, conventions: Conventions) -> Attribution | None:
    """The respondent a single name is: a pseudonym the document signs with, or a word it only ever
    writes as a name."""
    vocabulary = conventions.vocabulary
    if name in vocabulary.pseudonyms:
        return respondent_attribution(name, vocabulary.pseudonyms[name])
    named = name in vocabulary.names and person_named(name) is not None  # not `One`, `Another`: no names
    return respondent_attribution(name, name) if named else None


def _code_ending(sentence: str, conventions: Conventions) -> Attribution | None:
    """A respondent's code ending the lead-in; one the document never used counts after a role
    ("As one commissioner (C4) explained:")."""
    closing_code = _CODE_ENDING_LEAD_IN.search(sentence)
    if closing_code is None:
        return None
    label = closing_code.group("code") or closing_code.group("bare")
    attribution = conventions.parse(label)
    if attribution.source_kind == "interview" and attribution.code:
        return attribution
    code = label.strip("()")
    named = _LEAD_IN_CODE_SHAPE.fullmatch(code) and lead_in_role(sentence)
    return respondent_attribution(label, code) if named else None


def _code_before_predicate(sentence: str, conventions: Conventions) -> Attribution | None:
    """A code the document uses, before a short predicate that hands over with a colon ("One
    manager (QA2) was more cautious:")."""
    match = _CODE_BEFORE_PREDICATE.search(sentence)
    if match is None or not conventions.vocabulary.knows(match.group("code")):
        return None
    return respondent_attribution(f"({match.group('code')})", match.group("code"))


def _code_in_apposition(sentence: str) -> Attribution | None:
    match = _CODE_IN_APPOSITION.search(sentence)
    return None if match is None else respondent_attribution(match.group("code"), match.group("code"))


def _code_opening(sentence: str, conventions: Conventions) -> Attribution | None:
    match = _CODE_OPENING_LEAD_IN.match(sentence)
    if match is None:
        return None
    attribution = conventions.parse(match.group("code"))
    return attribution if attribution.source_kind == "interview" and attribution.code else None
