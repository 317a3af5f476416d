"""Attribution parsing: every printed convention, citations, the raw fallback, user schemes, properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.attribution import SchemeFileError, load_schemes, parse_attribution, strip_attribution

SCHEMES = load_schemes()


@pytest.mark.parametrize(
    ("printed", "code", "facets"),
    [
        ("(P3S1R03)", "P3S1R03", {"phase": 3, "site": 1, "number": 3}),
        ("(P2S6R05)", "P2S6R05", {"phase": 2, "site": 6, "number": 5}),
        ("(P1R11)", "P1R11", {"phase": 1, "number": 11}),
        ("(P3NR01)", "P3NR01", {"phase": 3, "number": 1, "national": True}),
        ("(P3 S1R01)", "P3S1R01", {"phase": 3, "site": 1, "number": 1}),
        ("(ID P3S4R01)", "P3S4R01", {"phase": 3, "site": 4, "number": 1}),
        ("(Phase 3, national level, respondent 1)", "P3NR01", {"phase": 3, "number": 1, "national": True}),
        ("P2S2R012", "P2S2R12", {"phase": 2, "site": 2, "number": 12}),
        (
            "(EHCH-Senior Manager 6, CCG)",
            "EHCH-Senior Manager 6, CCG",
            {"care_model": "EHCH", "role": "Senior Manager", "number": 6, "org": "CCG"},
        ),
        (
            "(EHCH, Senior Manager 14, CCG)",
            "EHCH-Senior Manager 14, CCG",
            {"care_model": "EHCH", "role": "Senior Manager", "number": 14, "org": "CCG"},
        ),
        (
            "(UEC-Senior IT Manager 2, CCG)",
            "UEC-Senior IT Manager 2, CCG",
            {"care_model": "UEC", "role": "Senior IT Manager", "number": 2, "org": "CCG"},
        ),
        ("(ID 027)", "ID027", {"number": 27}),
        ("(ID027)", "ID027", {"number": 27}),
        ("[ID 001].", "ID001", {"number": 1}),
    ],
)
def test_corpus_conventions_give_canonical_codes(printed: str, code: str, facets: dict) -> None:
    attribution = parse_attribution(printed, SCHEMES)
    assert (attribution.code, attribution.facets, attribution.source_kind) == (code, facets, "interview")
    assert attribution.raw == printed


@pytest.mark.parametrize(
    ("printed", "code", "facets"),
    [
        ("(Participant 12, nurse)", "Participant 12", {"number": 12, "role": "nurse"}),
        ("[FG2, R4]", "FG2-R4", {"focus_group": 2, "number": 4}),
        ("(FG2-P1)", "FG2-P1", {"focus_group": 2, "number": 1}),
        ("(Focus group 3, participant 2)", "FG3-P2", {"focus_group": 3, "number": 2}),
        ("— Interviewee 7, commissioner", "Interviewee 7", {"number": 7, "role": "commissioner"}),
        ("(Respondent 3)", "Respondent 3", {"number": 3}),
        ("(Respondent #14)", "Respondent 14", {"number": 14}),
        ("(R12)", "R12", {"number": 12}),
        ("(Int 5)", "Interview 5", {"number": 5}),
        ("(GP, site A)", "GP, site A", {"role": "GP", "site": "A"}),
        ("(Ward sister, Hospital B)", "Ward sister, Hospital B", {"role": "Ward sister", "site": "B"}),
        ("(GP, practice 3)", "GP, Practice 3", {"role": "GP", "site": 3}),
        ("(Focus group 3)", "FG3", {"focus_group": 3}),
    ],
)
def test_conventions_from_no_corpus_document(printed: str, code: str, facets: dict) -> None:
    attribution = parse_attribution(printed, SCHEMES)
    assert (attribution.code, attribution.facets, attribution.source_kind) == (code, facets, "interview")


@pytest.mark.parametrize(
    "printed",
    [
        "¹⁷(p20)",
        "²⁰ (pp15-16)",
        "^{17(p24)}",
        "(NHS England, 2015b p4)",
        "(Site 4 Joint Care Homes Strategy 2020-25 p11)",
        "(NHS England/NHS Improvement 2020 p.1)",
        "[Nolte 2018 p9]",
        "(p15/16)",
        "(Ladhani, Chow et al. 2020).",
        "(Department of Health 2021)",
        "[5]",
        "[6, 7]",
        "[9–11].",
    ],
)
def test_citations_are_documents_without_a_respondent(printed: str) -> None:
    attribution = parse_attribution(printed, SCHEMES)
    assert (attribution.source_kind, attribution.code, attribution.facets) == ("document", None, {})


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("(Care home manager)", "Care home manager"),
        ("[Senior nurse, northern team]", "Senior nurse, northern team"),
        ("(P12)", "P12"),
        ("(12)", "12"),
    ],
)
def test_unrecognised_labels_are_kept_raw(printed: str, code: str) -> None:
    attribution = parse_attribution(printed, SCHEMES)
    assert (attribution.scheme, attribution.code, attribution.source_kind) == ("raw", code, "other")


def test_example_code_with_prose_is_not_a_code() -> None:
    assert parse_attribution("(e.g. P2S6R05)", SCHEMES).scheme == "raw"


@pytest.mark.parametrize(
    ("printed", "label"),
    [("(P3S1R03).", "P3S1R03"), ("[ID 001].", "ID 001"), ("— Interviewee 7", "Interviewee 7"), ("((R3))", "R3")],
)
def test_strip_attribution_removes_brackets_dashes_and_punctuation(printed: str, label: str) -> None:
    assert strip_attribution(printed) == label


def test_a_user_scheme_file_reads_a_new_convention(tmp_path: Path) -> None:
    scheme_file = tmp_path / "my_study.yaml"
    scheme_file.write_text(
        "schemes:\n"
        "  - name: ward_staff\n"
        "    kind: interview\n"
        "    pattern: 'Ward\\s*(?P<site>[A-Z])\\s*/\\s*(?P<role>nurse|doctor)\\s*(?P<number>\\d+)'\n"
        "    canonical: 'W{site}-{role}{number:02d}'\n"
        "    facets: {site: str, role: str, number: int}\n",
        encoding="utf-8",
    )
    attribution = parse_attribution("(Ward C / nurse 4)", load_schemes(scheme_file))
    assert (attribution.code, attribution.scheme) == ("WC-nurse04", "ward_staff")
    assert attribution.facets == {"site": "C", "role": "nurse", "number": 4}
    assert parse_attribution("(Ward C / nurse 4)", SCHEMES).scheme == "raw"


@pytest.mark.parametrize(
    "body",
    [
        "schemes: [{name: broken, pattern: '(?P<x'}]",
        "schemes: [{name: missing, pattern: 'A(?P<x>\\d)', canonical: 'A{y}'}]",
        "schemes: [{name: kind, kind: survey, pattern: 'A'}]",
        "schemes: [{name: types, pattern: 'A(?P<x>\\d)', facets: {x: float}}]",
        "nothing: here",
    ],
)
def test_a_bad_scheme_file_fails_at_load_time(tmp_path: Path, body: str) -> None:
    scheme_file = tmp_path / "bad.yaml"
    scheme_file.write_text(body, encoding="utf-8")
    with pytest.raises(SchemeFileError):
        load_schemes(scheme_file)


@given(st.text(max_size=200))
def test_parsing_never_raises_on_arbitrary_text(raw: str) -> None:
    attribution = parse_attribution(raw, SCHEMES)
    assert attribution.source_kind in {"interview", "document", "other"}
    assert attribution.raw == raw


_numbers = st.integers(min_value=1, max_value=999)
_care_models = st.sampled_from(["EHCH", "UEC", "MCP", "PACS", "ACC"])
_roles = st.sampled_from(["Senior Manager", "Senior IT Manager", "Clinical Lead", "GP Partner"])
_orgs = st.sampled_from(["CCG", "LA", "Trust"])
_canonical_codes = st.one_of(
    st.builds(lambda p, s, n: f"P{p}S{s}R{n:02d}", st.integers(1, 9), st.integers(1, 99), _numbers),
    st.builds(lambda p, n: f"P{p}NR{n:02d}", st.integers(1, 9), _numbers),
    st.builds(lambda p, n: f"P{p}R{n:02d}", st.integers(1, 9), _numbers),
    st.builds(lambda n: f"ID{n:03d}", _numbers),
    st.builds(lambda m, r, n, o: f"{m}-{r} {n}, {o}", _care_models, _roles, _numbers, _orgs),
    st.builds(lambda g, n: f"FG{g}-R{n}", _numbers, _numbers),
    st.builds(lambda n: f"Participant {n}", _numbers),
    st.builds(lambda n: f"R{n}", _numbers),
)


@given(_canonical_codes, st.sampled_from(["{}", "({})", "[{}]", "({}).", "— {}"]))
def test_canonical_codes_round_trip(code: str, printed_as: str) -> None:
    assert parse_attribution(printed_as.format(code), SCHEMES).code == code


@given(st.integers(1, 9), st.integers(1, 99), st.integers(1, 99), st.sampled_from(["", " ", "ID "]))
def test_printed_variants_of_phase_site_codes_agree(phase: int, site: int, number: int, prefix: str) -> None:
    printed = f"({prefix}P{phase} S{site}R{number:03d})"
    assert parse_attribution(printed, SCHEMES).code == f"P{phase}S{site}R{number:02d}"


def test_generic_schemes_leave_out_the_conventions_written_for_one_study() -> None:
    schemes = load_schemes()
    generic = schemes.generic()
    assert generic.schemes and len(generic.schemes) < len(schemes.schemes)
    assert all(not scheme.study for scheme in generic.schemes)
    assert parse_attribution("(Participant 4)", generic).code == parse_attribution("(Participant 4)", schemes).code
