"""The corpus manifest: what a valid one gives, and how every kind of mistake is reported."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from pipeline.manifest import DocumentEntry, ManifestError, load_manifest


def write_manifest(folder: Path, body: str, name: str = "corpus_manifest.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("Some words.\n", encoding="utf-8")
    return path


def manifest_error(path: Path) -> str:
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    message = str(caught.value)
    assert "\n" not in message, "a ManifestError message is one line"
    return message


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus folder with two readable documents."""
    touch(tmp_path / "docs" / "report.txt")
    touch(tmp_path / "docs" / "paper.md")
    return tmp_path


# --- a valid manifest -------------------------------------------------------------------


def test_valid_manifest_gives_entries_in_order_with_paths_under_the_root(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - id: report-1
            path: report.txt
            title: National evaluation report
            authors: [Coleman A, MacInnes J]
            year: 2021
            kind: report
          - id: paper-2
            path: paper.md
            title: Scale and spread
        """,
    )
    manifest = load_manifest(path)
    assert manifest.root == (corpus / "docs").resolve()
    assert [d.doc_id for d in manifest.documents] == ["report-1", "paper-2"]
    first = manifest.documents[0]
    assert first.path == (corpus / "docs" / "report.txt").resolve()
    assert first.title == "National evaluation report"
    assert first.authors == ("Coleman A", "MacInnes J")
    assert first.year == 2021
    assert first.kind == "report"
    assert first.problem is None


def test_root_is_resolved_relative_to_the_manifest_file_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path / "project" / "corpus" / "a.txt")
    path = write_manifest(
        tmp_path / "project",
        """
        root: corpus
        documents:
          - {id: a, path: a.txt, title: A}
        """,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    manifest = load_manifest(path)
    assert manifest.root == (tmp_path / "project" / "corpus").resolve()
    assert manifest.documents[0].path == (tmp_path / "project" / "corpus" / "a.txt").resolve()
    assert manifest.documents[0].problem is None


def test_root_defaults_to_the_manifest_folder(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        documents:
          - {id: a, path: docs/report.txt, title: A}
        """,
    )
    manifest = load_manifest(path)
    assert manifest.root == corpus.resolve()
    assert manifest.documents[0].problem is None


def test_study_defaults_to_the_document_id(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A}
        """,
    )
    assert load_manifest(path).documents[0].study == "a"


def test_interviewers_name_the_speaker_labels_of_a_transcript(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A, kind: transcript, interviewers: [Dan, Moderator 2]}
          - {id: b, path: paper.md, title: B, interviewers: Q}
        """,
    )
    a, b = load_manifest(path).documents
    assert (a.kind, a.interviewers, b.interviewers) == ("transcript", ("Dan", "Moderator 2"), ("Q",))


def test_interviewers_must_be_labels(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A, interviewers: {name: Dan}}
        """,
    )
    with pytest.raises(ManifestError, match="interviewers must be"):
        load_manifest(path)


def test_defaults_apply_to_every_entry_and_an_entry_overrides_them(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        defaults:
          study: vanguard
          kind: report
          licence: CC BY
        documents:
          - {id: a, path: report.txt, title: A}
          - {id: b, path: paper.md, title: B, kind: article}
        """,
    )
    a, b = load_manifest(path).documents
    assert (a.study, a.kind, a.licence) == ("vanguard", "report", "CC BY")
    assert (b.study, b.kind, b.licence) == ("vanguard", "article", "CC BY")


def test_password_is_not_shown_in_the_entry_repr(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A, password: s3cret-value}
        """,
    )
    entry = load_manifest(path).documents[0]
    assert entry.password == "s3cret-value"
    assert "s3cret-value" not in repr(entry)


# --- mistakes that stop the run: one line naming the entry and the problem ----------------


def test_unknown_top_level_key_names_the_key(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        document:
          - {id: a, path: report.txt, title: A}
        """,
    )
    message = manifest_error(path)
    assert "unknown top-level key" in message
    assert "'document'" in message


def test_unknown_document_key_names_the_entry_id_and_the_key(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A}
          - {id: paper-2, path: paper.md, title: B, tittle: typo}
        """,
    )
    message = manifest_error(path)
    assert "'paper-2'" in message
    assert "unknown key 'tittle'" in message


@pytest.mark.parametrize("field", ["path", "title"])
def test_missing_required_field_names_the_entry_id_and_the_field(corpus: Path, field: str) -> None:
    values = {"id": "report-1", "path": "report.txt", "title": "A"}
    del values[field]
    inline = ", ".join(f"{k}: {v}" for k, v in values.items())
    path = write_manifest(corpus, f"root: docs\ndocuments:\n  - {{{inline}}}\n")
    message = manifest_error(path)
    assert "'report-1'" in message
    assert f"missing required key '{field}'" in message


def test_missing_id_names_the_entry_by_its_position(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A}
          - {path: paper.md, title: B}
        """,
    )
    message = manifest_error(path)
    assert "#2" in message
    assert "missing required key 'id'" in message


@pytest.mark.parametrize("field", ["id", "path", "title"])
def test_required_field_left_empty_is_reported_as_missing(corpus: Path, field: str) -> None:
    values = {"id": "report-1", "path": "report.txt", "title": "A"}
    lines = "\n".join(f"    {k}:{'' if k == field else ' ' + v}" for k, v in values.items())
    path = write_manifest(corpus, f"root: docs\ndocuments:\n  -\n{lines}\n")
    message = manifest_error(path)
    assert field in message


def test_duplicate_id_names_the_id(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: report-1, path: report.txt, title: A}
          - {id: report-1, path: paper.md, title: B}
        """,
    )
    message = manifest_error(path)
    assert "'report-1'" in message
    assert "duplicate id" in message


def test_invalid_yaml_names_the_file_and_the_line(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A
          - {id: b, path: paper.md, title: B}
        """,
    )
    message = manifest_error(path)
    assert "corpus_manifest.yaml" in message
    assert "not valid YAML" in message
    assert "line" in message


def test_non_numeric_year_names_the_entry_and_the_value(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: report-1, path: report.txt, title: A, year: c. 2021}
        """,
    )
    message = manifest_error(path)
    assert "'report-1'" in message
    assert "year must be a number" in message
    assert "c. 2021" in message


def test_non_numeric_year_without_id_names_the_entry_by_position(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {path: report.txt, title: A, year: unknown}
        """,
    )
    message = manifest_error(path)
    assert "#1" in message


def test_id_with_spaces_is_refused(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: my report, path: report.txt, title: A}
        """,
    )
    message = manifest_error(path)
    assert "'my report'" in message
    assert "id must be" in message


def test_empty_documents_list_is_refused(corpus: Path) -> None:
    path = write_manifest(corpus, "root: docs\ndocuments: []\n")
    assert "'documents' must be a non-empty list" in manifest_error(path)


def test_missing_manifest_file_raises(tmp_path: Path) -> None:
    assert "manifest not found" in manifest_error(tmp_path / "nowhere.yaml")


def test_single_author_given_as_a_string_is_one_author(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        documents:
          - {id: a, path: report.txt, title: A, authors: Checkland K}
        """,
    )
    assert load_manifest(path).documents[0].authors == ("Checkland K",)


def test_defaults_that_are_not_a_mapping_raise_manifest_error(corpus: Path) -> None:
    path = write_manifest(
        corpus,
        """
        root: docs
        defaults: [study, vanguard]
        documents:
          - {id: a, path: report.txt, title: A}
        """,
    )
    assert "defaults" in manifest_error(path)


# --- one document's file problem is kept on the entry; the others load --------------------


def load_single(corpus: Path, relative: str) -> DocumentEntry:
    path = write_manifest(
        corpus,
        f"""
        root: docs
        documents:
          - {{id: good, path: report.txt, title: Good}}
          - {{id: bad, path: '{relative}', title: Bad}}
        """,
    )
    good, bad = load_manifest(path).documents
    assert good.problem is None
    return bad


def test_missing_file_is_kept_as_the_entry_problem(corpus: Path) -> None:
    entry = load_single(corpus, "absent.txt")
    assert entry.problem is not None
    assert "not found" in entry.problem


def test_path_escaping_the_root_with_dot_dot_is_refused_on_the_entry(corpus: Path) -> None:
    touch(corpus / "secret.txt")
    entry = load_single(corpus, "../secret.txt")
    assert entry.problem is not None
    assert "outside the manifest root" in entry.problem


def test_absolute_path_outside_the_root_is_refused_on_the_entry(corpus: Path) -> None:
    outside = touch(corpus / "secret.txt").resolve()
    entry = load_single(corpus, str(outside))
    assert entry.problem is not None
    assert "outside the manifest root" in entry.problem


def test_dot_dot_that_stays_inside_the_root_is_accepted(corpus: Path) -> None:
    touch(corpus / "docs" / "sub" / "x.txt")
    entry = load_single(corpus, "sub/../paper.md")
    assert entry.problem is None
    assert entry.path == (corpus / "docs" / "paper.md").resolve()


def test_unsupported_suffix_is_kept_as_the_entry_problem(corpus: Path) -> None:
    touch(corpus / "docs" / "notes.odt")
    entry = load_single(corpus, "notes.odt")
    assert entry.problem is not None
    assert "unsupported file type '.odt'" in entry.problem


@pytest.mark.parametrize("name", ["a.PDF", "b.txt", "c.md", "d.markdown", "e.text", "f.docx", "g.html", "h.HTM"])
def test_supported_suffixes_have_no_problem_in_any_case(corpus: Path, name: str) -> None:
    touch(corpus / "docs" / name)
    assert load_single(corpus, name).problem is None


# --- hostile manifests ------------------------------------------------------------------


def test_aliases_that_expand_a_value_past_the_bound_are_refused_at_once(corpus: Path) -> None:
    levels = ["&a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"&{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
    path = write_manifest(corpus, "root: docs\ndocuments:\n  - {id: report-1, path: report.txt, title: A, note: ["
                          + ", ".join(levels) + "]}\n")
    assert path.stat().st_size < 1000
    assert "aliases expand the manifest to" in manifest_error(path)


def test_merge_keys_repeating_defaults_on_every_entry_are_accepted(corpus: Path) -> None:
    entries = "\n".join(f"  - {{<<: *base, id: r{i}, path: report.txt, title: R{i}}}" for i in range(200))
    path = write_manifest(corpus, f"root: docs\ndefaults: &base {{study: s1, kind: report}}\ndocuments:\n{entries}\n")
    assert {entry.study for entry in load_manifest(path).documents} == {"s1"}


def test_a_value_past_the_size_limit_is_refused_naming_the_entry_and_key(corpus: Path) -> None:
    path = write_manifest(corpus, "root: docs\ndocuments:\n  - {id: report-1, path: report.txt, title: A, note: '"
                          + "n" * 20_000 + "'}\n")
    message = manifest_error(path)
    assert "'report-1'" in message and "note holds 20,000 characters" in message


@pytest.mark.parametrize("doc_id", ["'a\\n'", "'a '", "' a'"])
def test_an_id_with_a_trailing_newline_or_space_is_refused(corpus: Path, doc_id: str) -> None:
    path = write_manifest(corpus, f'root: docs\ndocuments:\n  - {{id: "{doc_id[1:-1]}", path: report.txt, title: A}}\n')
    assert "id must be" in manifest_error(path)


@pytest.mark.parametrize("doc_id", ["2019", "1.5", "true"])
def test_an_id_that_yaml_reads_as_a_number_or_boolean_is_refused_not_converted(corpus: Path, doc_id: str) -> None:
    path = write_manifest(corpus, f"root: docs\ndocuments:\n  - {{id: {doc_id}, path: report.txt, title: A}}\n")
    assert "id must be text; put it in quotes" in manifest_error(path)


def test_ids_that_differ_only_in_case_are_refused(corpus: Path) -> None:
    path = write_manifest(corpus, "root: docs\ndocuments:\n  - {id: Good, path: report.txt, title: A}\n"
                          "  - {id: good, path: paper.md, title: B}\n")
    assert "'good': differs from 'Good' only in case" in manifest_error(path)


@pytest.mark.parametrize(("value", "needle"), [
    ("year: 3000000000", "year 3000000000 is outside"),
    ("year: 0", "year 0 is outside"),
    ('title: "half \\ud800"', "title holds a lone surrogate"),
    ('authors: ["ok", "half \\udfff"]', "authors holds a lone surrogate"),
])
def test_a_metadata_value_the_store_cannot_hold_is_the_entry_problem(corpus: Path, value: str, needle: str) -> None:
    path = write_manifest(corpus, f"root: docs\ndocuments:\n  - {{id: r, path: report.txt, title: A, {value}}}\n")
    [entry] = load_manifest(path).documents
    assert entry.problem is not None and needle in entry.problem
    entry.title.encode("utf-8")


def test_a_folder_in_place_of_a_file_is_named_as_a_folder(corpus: Path) -> None:
    (corpus / "docs" / "box.txt").mkdir()
    path = write_manifest(corpus, "root: docs\ndocuments:\n  - {id: r, path: box.txt, title: A}\n")
    assert "is a folder" in load_manifest(path).documents[0].problem


def test_a_named_pipe_in_place_of_a_file_is_refused_without_reading_it(corpus: Path) -> None:
    os.mkfifo(corpus / "docs" / "pipe.txt")
    path = write_manifest(corpus, "root: docs\ndocuments:\n  - {id: r, path: pipe.txt, title: A}\n")
    assert "not a regular file" in load_manifest(path).documents[0].problem


def test_a_file_larger_than_any_manifest_is_refused_before_it_is_read(corpus: Path) -> None:
    path = write_manifest(corpus, "root: docs\ndocuments:\n  - {id: r, path: report.txt, title: A}\n# "
                          + "x" * 3_000_000 + "\n")
    assert "larger than a manifest can be" in manifest_error(path)
