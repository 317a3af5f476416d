"""Policy entities: gazetteer matches joined with each document's own acronym definitions."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from ingest.entities import (
    DEFAULT_GAZETTEER,
    EntityExtractor,
    GazetteerError,
    build_pipeline,
    guess_label,
    load_gazetteer,
)
from ingest.entity_patterns import EntityPatternError, load_name_patterns
from ingest.records import Mention
from tests.conftest import CORPUS

CORPUS_TEXT = CORPUS / "text"


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor()


@pytest.fixture(scope="module")
def corpus(extractor) -> dict[str, tuple[str, list[Mention]]]:
    """Each corpus text, read raw, with its mentions."""
    if not CORPUS_TEXT.is_dir():
        pytest.skip(f"corpus not present at {CORPUS_TEXT}")
    paths = sorted(CORPUS_TEXT.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return {p.name: (t, m) for p, t, m in zip(paths, texts, map(extractor.extract, texts), strict=True)}


def by_surface(mentions: list[Mention], surface: str) -> list[Mention]:
    return [m for m in mentions if m.surface == surface]


def canonical_of(extractor: EntityExtractor, text: str, surface: str) -> str:
    """The canonical entity of the one mention of `surface` in `text`."""
    (mention,) = by_surface(extractor.extract(text), surface)
    return mention.canonical


# --- the pipeline ------------------------------------------------------------------


def test_gazetteer_ruler_runs_before_the_packaged_model():
    nlp = build_pipeline(load_gazetteer(DEFAULT_GAZETTEER))
    assert nlp.pipe_names.index("entity_ruler") < nlp.pipe_names.index("ner")
    assert "parser" not in nlp.pipe_names


def test_the_five_care_models_are_care_models():
    labels = {e.canonical: e.label for e in load_gazetteer(DEFAULT_GAZETTEER)}
    for model in (
        "Multispecialty Community Provider",
        "Integrated Primary and Acute Care System",
        "Enhanced Health in Care Homes",
        "Urgent and Emergency Care",
        "Acute Care Collaboration",
    ):
        assert labels[model] == "CARE_MODEL"


# --- matching rules ---------------------------------------------------------------


def test_long_forms_match_in_any_case(extractor):
    mentions = extractor.extract("Funding for clinical commissioning groups and PRIMARY care networks.")
    assert [m.canonical for m in mentions] == ["Clinical Commissioning Group", "Primary Care Network"]


def test_acronyms_match_only_as_written(extractor):
    mentions = extractor.extract("The ACC met; the acc and Acc columns were empty.")
    assert [m.surface for m in mentions] == ["ACC"]


def test_capitalised_heading_keeps_its_acronyms(extractor):
    mentions = extractor.extract("THEME 2: THE ACC AND ACUTE CARE COLLABORATIONS")
    assert [(m.surface, m.canonical) for m in mentions] == [
        ("ACC", "Acute Care Collaboration"),
        ("ACUTE CARE COLLABORATIONS", "Acute Care Collaboration"),
    ]


def test_longest_span_wins_and_is_reported_once(extractor):
    mentions = extractor.extract("Sites followed the EHCH Framework and the Network Contract DES.")
    assert [(m.surface, m.label) for m in mentions] == [
        ("EHCH Framework", "POLICY"),
        ("Network Contract DES", "POLICY"),
    ]


def test_markup_glued_to_a_name_does_not_hide_it(extractor):
    text = "The NHS's *Long-Term Plan*²⁰ set out support."
    (mention,) = [m for m in extractor.extract(text) if m.label == "POLICY"]
    assert mention.surface == "Long-Term Plan"


def test_empty_text_has_no_mentions(extractor):
    assert extractor.extract("") == []


# --- acronyms the document defines ---------------------------------------------------


def test_acronym_and_long_form_singular_and_plural_are_one_entity(extractor):
    text = "Primary Care Networks (PCNs) were formed. Each PCN has a clinical director; PCNs vary."
    mentions = [m for m in extractor.extract(text) if m.label == "ORG"]
    assert [m.surface for m in mentions] == ["Primary Care Networks", "PCNs", "PCN", "PCNs"]
    assert {m.canonical for m in mentions} == {"Primary Care Network"}


def test_acronym_first_definition_links_to_the_gazetteer(extractor):
    text = "Money flowed to ICSs (Integrated Care Systems) from 2022."
    assert {m.canonical for m in extractor.extract(text)} == {"Integrated Care System"}


def test_unknown_definition_creates_a_new_entity(extractor):
    text = "The Regional Frailty Taskforce (RFT) met twice. Later the RFT and the regional frailty taskforce agreed."
    mentions = extractor.extract(text)
    assert [m.surface for m in mentions] == ["Regional Frailty Taskforce", "RFT", "RFT", "regional frailty taskforce"]
    assert {(m.canonical, m.label) for m in mentions} == {("Regional Frailty Taskforce", "ORG")}
    assert {"Regional Frailty Taskforce", "RFT"} <= set(mentions[0].aliases)


def test_new_entity_is_named_in_the_singular(extractor):
    text = "Two Frailty Assessment Units (FAUs) opened; each FAU is nurse led."
    assert {m.canonical for m in extractor.extract(text) if m.surface == "FAU"} == {"Frailty Assessment Unit"}


@pytest.mark.parametrize(
    ("long_form", "label"),
    [
        ("Care Home Support Plan", "POLICY"),
        ("Frailty Nurse Practitioners", "ROLE"),
        ("Healthy Ageing Programme", "PROGRAMME"),
        ("North East Transformation System", "ORG"),
    ],
)
def test_label_of_a_new_entity_comes_from_its_head_noun(long_form, label):
    assert guess_label(long_form) == label


def test_acronym_used_before_its_definition_takes_that_definition(extractor):
    text = "The STP met in May. It was a System Transformation Partnership (STP) in all but name."
    stps = by_surface(extractor.extract(text), "STP")
    assert [m.canonical for m in stps] == ["System Transformation Partnership"] * 2


def test_same_acronym_means_what_each_document_defines(extractor):
    doc_a = "The Sustainability and Transformation Partnership (STP) was formed; the STP then grew."
    doc_b = "A System Transformation Partnership (STP) was formed; the STP then grew."
    mentions_a, mentions_b = extractor.extract(doc_a), extractor.extract(doc_b)
    assert {m.canonical for m in by_surface(mentions_a, "STP")} == {"Sustainability and Transformation Partnership"}
    assert {m.canonical for m in by_surface(mentions_b, "STP")} == {"System Transformation Partnership"}


def test_without_a_definition_a_known_acronym_takes_the_gazetteer_meaning(extractor):
    meaning = canonical_of(extractor, "Each STP published a plan.", "STP")
    assert meaning == "Sustainability and Transformation Partnership"


def test_unseen_sentence_generalises(extractor):
    text = (
        "The Integrated Care Board (ICB) met the Primary Care Network clinical directors and the "
        "Community Diagnostic Centres (CDCs) team; the ICB funds two CDCs and a care home."
    )
    found = {(m.surface, m.canonical, m.label) for m in extractor.extract(text)}
    assert ("Integrated Care Board", "Integrated Care Board", "ORG") in found
    assert ("ICB", "Integrated Care Board", "ORG") in found
    assert ("Primary Care Network", "Primary Care Network", "ORG") in found
    assert ("clinical directors", "clinical director", "ROLE") in found
    assert ("CDCs", "Community Diagnostic Centre", "ORG") in found
    assert ("care home", "care home", "ORG") in found


# --- the corpus -----------------------------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_mention_points_at_its_surface(corpus):
    for text, mentions in corpus.values():
        assert mentions
        for m in mentions:
            assert text[m.char_start : m.char_end] == m.surface


@pytest.mark.corpus
def test_corpus_mentions_do_not_overlap(corpus):
    for _, mentions in corpus.values():
        for before, after in pairwise(mentions):
            assert before.char_end <= after.char_start


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("surfaces", "long_form", "acronym"),
    [
        (["NHS England", "NHSE"], "NHS England", "NHSE"),
        (["Clinical Commissioning Groups", "CCG", "CCGs"], "Clinical Commissioning Groups", "CCG"),
        (["Primary Care Networks", "PCN", "PCNs"], "Primary Care Networks", "PCNs"),
        (["Integrated Care Systems", "ICS", "ICSs"], "Integrated Care Systems", "ICS"),
        (["Enhanced Health in Care Homes", "EHCH", "ECH"], "Enhanced Health in Care Homes", "EHCH"),
        (["Network Contract DES", "DES"], "Network Contract Directed Enhanced Service", "DES"),
        (["Five Year Forward View", "FYFV", "5YFV"], "Five Year Forward View", "5YFV"),
    ],
)
def test_corpus_entity_is_one_canonical_with_acronym_and_long_form(corpus, surfaces, long_form, acronym):
    mentions = [m for _, ms in corpus.values() for m in ms if m.surface in surfaces]
    assert {m.surface for m in mentions} == set(surfaces)
    assert len({m.canonical for m in mentions}) == 1


@pytest.mark.corpus
def test_corpus_aliases_are_printed_in_the_corpus(corpus):
    texts = " ".join(" ".join(text.split()) for text, _ in corpus.values()).lower()
    for _, mentions in corpus.values():
        for m in mentions:
            assert all(alias.lower() in texts for alias in m.aliases), (m.canonical, m.aliases)


# --- the gazetteer file -----------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gazetteer.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_countable_entries_get_plurals(tmp_path):
    path = write(tmp_path, "entities:\n  - {canonical: care home, label: ORG, countable: true, acronyms: [CH]}\n")
    (entity,) = load_gazetteer(path)
    assert entity.aliases == ("care home", "care homes", "CH", "CHs")


def test_custom_gazetteer_is_used(tmp_path):
    path = write(tmp_path, "entities:\n  - {canonical: Frailty Hub, label: ORG, acronyms: [FH]}\n")
    mentions = EntityExtractor(path).extract("The FH met on Monday.")
    assert [(m.surface, m.canonical, m.source) for m in mentions] == [("FH", "Frailty Hub", "gazetteer")]


@pytest.mark.parametrize(
    "text",
    [
        "entities:\n  - {canonical: X, label: PLACE}\n",
        "entities:\n  - {canonical: X, label: ORG, names: [A], colour: red}\n",
        "entities:\n  - {canonical: X, label: ORG, names: A}\n",
        "entities:\n  - {canonical: X, label: ORG}\n  - {canonical: Y, label: ORG, names: [x]}\n",
        "entities:\n  - {canonical: X, label: ORG}\n  - {canonical: X, label: ROLE}\n",
        "entities: [\n",
        "- just a list\n",
    ],
)
def test_malformed_gazetteer_is_refused(tmp_path, text):
    with pytest.raises(GazetteerError):
        load_gazetteer(write(tmp_path, text))


def test_missing_gazetteer_is_refused(tmp_path):
    with pytest.raises(GazetteerError, match="cannot read"):
        EntityExtractor(tmp_path / "absent.yaml")


# --- beyond the gazetteer: patterns, the model, linking, precision ------------------------


@pytest.fixture(scope="module")
def bare() -> EntityExtractor:
    """An extractor with the gazetteer emptied: only the model, the patterns and the documents' definitions."""
    return EntityExtractor(use_gazetteer=False)


def found(extractor: EntityExtractor, text: str) -> dict[str, tuple[str, str, str]]:
    """Each mention's surface with its canonical name, label and source."""
    return {m.surface: (m.canonical, m.label, m.source) for m in extractor.extract(text)}


@pytest.mark.parametrize(
    ("text", "surface", "label"),
    [
        ("Funding went to Wessex Downs CCG last year.", "Wessex Downs CCG", "ORG"),
        ("The Tamar Vale Clinical Commissioning Group paid for it.", "Tamar Vale Clinical Commissioning Group", "ORG"),
        ("Staff of Harbourside NHS Foundation Trust were interviewed.", "Harbourside NHS Foundation Trust", "ORG"),
        ("Officials of Calder Vale City Council attended.", "Calder Vale City Council", "ORG"),
        ("Money was held back by HM Treasury in May.", "HM Treasury", "ORG"),
        ("Nurses from the Brambleford Homes of Care vanguard took part.", "Brambleford Homes of Care vanguard",
         "PROGRAMME"),
        ("Sites joined the Healthy Hearts Programme in 2019.", "Healthy Hearts Programme", "PROGRAMME"),
        ("Leaders read the Northern Workforce Strategy closely.", "Northern Workforce Strategy", "POLICY"),
    ],
)
def test_name_patterns_find_bodies_no_gazetteer_lists(bare, text, surface, label):
    _, found_label, source = found(bare, text)[surface]
    assert (found_label, source) == (label, "pattern")


def test_the_model_finds_an_organisation_no_one_listed(bare):
    mentions = found(bare, "Our study was funded by the Wellcome Trust and run with Oxfam in Kenya.")
    assert {surface: source for surface, (_, _, source) in mentions.items()}.get("Kenya") == "ner"
    assert any(label == "ORG" and source == "ner" for _, label, source in mentions.values())


def test_gazetteer_wins_where_it_overlaps_the_model(extractor):
    (mention,) = [m for m in extractor.extract("The Care Quality Commission inspected the home.")]
    assert (mention.canonical, mention.source) == ("Care Quality Commission", "gazetteer")


def test_role_patterns_find_roles(bare):
    mentions = found(bare, "We spoke to account managers, a senior IT manager and three policymakers.")
    assert {m[0] for m in mentions.values() if m[1] == "ROLE"} == {"account manager", "senior IT manager",
                                                                   "policymaker"}


def test_plural_and_case_are_one_entity(bare):
    text = "The Bramble Vanguard began in May. Later two Bramble vanguards were compared."
    assert {m.canonical for m in bare.extract(text) if "Bramble" in m.surface} == {"Bramble Vanguard"}


def test_the_department_refers_back_to_the_department_named(extractor):
    text = "The Department of Health set the rules. Managers said the Department changed them often."
    (later,) = [m for m in extractor.extract(text) if m.surface == "Department"]
    assert later.canonical == "Department of Health and Social Care"


def test_an_undefined_acronym_links_to_the_name_it_spells(bare):
    text = "The Tamarind Valley Integrated Care System met. Later the TVICS agreed a budget."
    mentions = found(bare, text)
    assert mentions["TVICS"][0] == mentions["Tamarind Valley Integrated Care System"][0]


# --- the problems a new user met -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We followed the Standards for Reporting Qualitative Research (SRQR) checklist.",
        "Two Community Hub Operating Centres (CHOCS) opened in Kent.",
        "Data came from the North East Commissioning Support Unit (NECS).",
    ],
)
def test_aliases_are_only_names_the_text_prints(extractor, text):
    folded = " ".join(text.split()).lower()
    for mention in extractor.extract(text):
        assert all(alias.lower() in folded for alias in mention.aliases), mention.aliases


def test_a_reporting_guideline_is_not_a_policy(extractor):
    text = "We followed the Standards for Reporting Qualitative Research (SRQR)."
    assert {m.label for m in extractor.extract(text) if m.surface == "SRQR"} == {"METHOD"}


def test_a_bare_common_word_is_no_programme(extractor):
    text = "Nurses were in the vanguard of change. The vanguard of the movement was small."
    assert [m for m in extractor.extract(text) if m.surface.lower() == "vanguard"] == []


def test_a_capitalised_vanguard_mid_sentence_is_the_programme(extractor):
    mentions = extractor.extract("Nurses said the Vanguard changed how care homes worked.")
    assert [m.label for m in mentions if m.surface == "Vanguard"] == ["PROGRAMME"]


def test_role_words_of_a_respondent_code_are_no_role_mentions(extractor):
    text = "'We changed everything twice over that year.' (EHCH-Senior Manager 6, CCG)"
    assert [m for m in extractor.extract(text) if m.label == "ROLE"] == []


def test_a_citation_is_no_mention(extractor):
    text = "Integration was the aim of national policy (NHS England, 2016)."
    assert [m.surface for m in extractor.extract(text)] == []


def test_the_model_takes_nothing_from_a_reference_list(bare):
    text = "Findings follow.\n\nReferences\n\n1. Okafor B, Lindqvist M. Working across borders. Harbour Press, 2019.\n"
    assert [m for m in bare.extract(text) if m.source == "ner"] == []


def test_a_body_s_document_in_a_reference_list_is_a_policy(bare):
    text = "Findings follow.\n\nReferences\n\n1. HM Treasury. Spending well in the regions. London, 2019.\n"
    mentions = found(bare, text)
    assert mentions["Spending well in the regions"][1] == "POLICY"


# --- the name-pattern file ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("patterns:\n  - {label: ORG, pattern: '<Town> Board'}\n", "unknown slot"),
        ("patterns:\n  - {label: TEAM, pattern: 'Board'}\n", "label must be one of"),
        ("slots: {}\n", "'patterns' list"),
        ("patterns: [\n", "not valid YAML"),
    ],
)
def test_malformed_name_patterns_are_refused(tmp_path, text, message):
    path = tmp_path / "patterns.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EntityPatternError, match=message):
        load_name_patterns(path)


def test_a_new_name_pattern_is_data(tmp_path):
    path = tmp_path / "patterns.yaml"
    path.write_text(
        "slots:\n  Place: [{IS_TITLE: true}]\npatterns:\n  - {label: ORG, pattern: '<Place> Landsting'}\n",
        encoding="utf-8",
    )
    mentions = EntityExtractor(use_gazetteer=False, patterns_path=path).extract("Money came from Uppsala Landsting.")
    assert [(m.surface, m.label, m.source) for m in mentions] == [("Uppsala Landsting", "ORG", "pattern")]


# --- a found name must be a whole name of a body, programme, policy, role or place ----------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("The practice nurses said the Wi-Fi and the printers kept failing, so they went back to paper.", []),
        ("Ada Obi, Harbour University, Okafor-Lind Building, Mill Road, Leeds LS2 9JT, UK", ["Harbour University"]),
        ("This study forms part of the National Appraisal of the hub programme, funded by the council.", []),
        ("Date Submitted:\t20-Aug-2019\nComplete List of Contributors:\tOkafor, Bisi ; Harbour University\n",
         ["Harbour University"]),
        ("These reforms took place under the banner of Quadruple Aim thinking, with its focus on staff.", []),
    ],
)
def test_the_model_keeps_no_span_without_a_body_s_head_noun(bare, text, kept):
    """A technology, a building, a study, a form's field or an idea the model reads as an organisation."""
    assert [m.surface for m in bare.extract(text) if m.source == "ner" and m.label != "PLACE"] == kept


def test_a_model_name_opening_with_a_gerund_is_an_initiative(bare):
    mentions = found(bare, "The vanguard ran a workforce model (Rethinking Primary Care) for two years.")
    assert mentions["Rethinking Primary Care"][1:] == ("PROGRAMME", "ner")


def test_a_cited_surname_is_no_place(bare):
    text = "Drawing on Okonkwo, later work grew (Okonkwo et al. 2004). Clinics in Kenya took part."
    assert [m.surface for m in bare.extract(text) if m.label == "PLACE"] == ["Kenya"]


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("Alongside the Regional Vanguard Evaluation, we spoke to staff.", "Regional Vanguard"),
        ("Nurses from the Hospital at Home team visited daily.", "Home team"),
        ("Staff from the Happy, Healthy, at Home vanguard spoke.", "Home vanguard"),
    ],
)
def test_a_pattern_keeps_no_piece_of_a_longer_name(bare, text, cut):
    assert all(cut not in m.surface for m in bare.extract(text))


def test_a_role_keeps_the_nouns_before_it(bare):
    mentions = found(bare, "We met the care model leads, and support stream leads, in May.")
    assert mentions["support stream leads"][:2] == ("support stream lead", "ROLE")


def test_a_role_keeps_a_hyphenated_modifier(bare):
    mentions = found(bare, "We spoke to national-level policy makers twice.")
    assert mentions["national-level policy makers"][:2] == ("national-level policy maker", "ROLE")


def test_a_heading_in_capitals_is_no_programme(bare):
    text = "The hubs met often.\n\nNHS SUPPORT TO THE HUBS PROGRAMME\n\nMuch support came to the hubs."
    assert [m.surface for m in bare.extract(text) if m.source == "pattern"] == []


def test_a_title_after_people_in_a_reference_list_is_no_programme(bare):
    text = ("Findings follow.\n\nReferences\n\nAdeyemi, K. (2021). Troubled NHS scheme to support carers delayed."
            " Care Weekly.\n2. Okafor B, Lindqvist M, et al. Reshaping Community Care and the Hub Initiative:"
            " lessons. Harbour Press 2019.\n")
    assert [m.surface for m in bare.extract(text) if m.source == "pattern"] == []


def test_an_acronym_s_body_keeps_the_head_noun_the_acronym_leaves_out(bare):
    text = "Data came from the West Coast Analytics Support Unit (WCAS). WCAS staff helped."
    assert {m.canonical for m in bare.extract(text)} == {"West Coast Analytics Support Unit"}


def test_a_name_inside_a_web_address_is_no_mention(bare):
    text = "The Wessex Downs CCG report is at <https://example.org/WDCCG/Wessex-Downs-CCG/report.pdf>."
    assert [m.surface for m in bare.extract(text)] == ["Wessex Downs CCG"]


def test_a_plural_name_the_model_finds_is_one_entity_with_its_singular(bare):
    text = ("Some areas set up so-called Integrated Care Providers. In one site the Integrated Care Provider "
            "had no statutory footing, unlike Health Research Wales.")
    names = {m.surface: m.canonical for m in bare.extract(text)}
    assert names.get("Integrated Care Providers") == names.get("Integrated Care Provider") == "Integrated Care Provider"


def test_a_place_keeps_its_upon_part(bare):
    text = "Clinics in Kingston upon Hull and Leeds joined."
    assert "Kingston upon Hull" in found(bare, text)
