"""`evidence review ...` and `evidence agreement`: the reviewer's decisions on the command line, and
the `--unreviewed` switch every reading command takes. Standalone click commands; the main group
registers them."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click

from pipeline.cli_options import data_option, friendly
from pipeline.output import emit, output_options

REVIEWER_VARIABLE = "EVIDENCE_REVIEWER"


def unreviewed_option(command: Callable) -> Callable:
    """Give a reading command --unreviewed: show the extractor's own output instead of the reviewed state."""

    @wraps(command)
    def wrapper(*args, unreviewed: bool = False, **kwargs):
        if not unreviewed:
            return command(*args, **kwargs)
        from index.review_overlay import extractor_output

        with extractor_output():
            return command(*args, **kwargs)

    return click.option("--unreviewed", is_flag=True,
                        help="Show the extractor's own output, without the reviewers' decisions.")(wrapper)


def default_reviewer() -> str:
    return os.environ.get(REVIEWER_VARIABLE) or getpass.getuser()


def reviewer_option(command: Callable) -> Callable:
    return click.option("--reviewer", default=default_reviewer, show_default=f"${REVIEWER_VARIABLE} or your login",
                        help="Who is deciding; stored with the decision.")(command)


def _show(reviews: list, as_json: bool, as_csv: bool) -> None:
    from queries.reviewing.exchange import review_rows

    emit(review_rows(reviews), as_json, as_csv,
         columns=None if as_json or as_csv else ["at", "reviewer", "action", "doc_id", "char_start", "char_end",
                                                  "after"], wide="after")


@click.group()
def review() -> None:
    """Record a reviewer's decisions: accept or reject quotations, correct respondents and spans,
    add missed quotations, code themes, write memos; list, export and import decisions.

    Decisions go to <data>/reviews.jsonl, outside the generations an ingest replaces, and every
    answer, export and report shows them (use --unreviewed there to see the extractor's own)."""


def _status_command(action: str, summary: str) -> click.Command:
    @click.argument("quote_ids", nargs=-1, type=int, required=True)
    @reviewer_option
    @data_option
    @output_options
    @friendly
    def command(quote_ids: tuple[int, ...], reviewer: str, data_dir: Path, as_json: bool, as_csv: bool) -> None:
        from queries.reviewing.actions import review_quote

        _show([review_quote(data_dir, q, action, reviewer) for q in quote_ids], as_json, as_csv)

    command.__doc__ = summary
    return review.command(name=action)(command)


_status_command("accept", "Confirm quotations (by quote_id) as correct quotations.")
_status_command("reject", "Mark quotations (by quote_id) as not quotations: gone from every answer and export.")


@review.command()
@click.argument("quote_id", type=int)
@click.argument("code", required=False, default="")
@reviewer_option
@data_option
@output_options
@friendly
def respondent(quote_id: int, code: str, reviewer: str, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Attribute the quotation to respondent CODE (leave CODE out for no respondent)."""
    from queries.reviewing.actions import review_quote

    _show([review_quote(data_dir, quote_id, "respondent", reviewer, respondent_code=code)], as_json, as_csv)


@review.command()
@click.argument("quote_id", type=int)
@click.argument("start", type=int)
@click.argument("end", type=int)
@reviewer_option
@data_option
@output_options
@friendly
def span(quote_id: int, start: int, end: int, reviewer: str, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Widen or trim the quotation to characters START-END (exclusive) of its document's text."""
    from queries.reviewing.actions import review_quote

    _show([review_quote(data_dir, quote_id, "span", reviewer, char_start=start, char_end=end)], as_json, as_csv)


@review.command()
@click.argument("doc_id")
@click.option("--span", "span_", type=(int, int), default=None, metavar="START END",
              help="Offsets of the quotation in the document's text.")
@click.option("--text", default=None, help="The quotation's words, found in the document.")
@click.option("--respondent", "code", default=None, help="Respondent code of the speaker.")
@reviewer_option
@data_option
@output_options
@friendly
def add(doc_id: str, span_: tuple[int, int] | None, text: str | None, code: str | None, reviewer: str,
        data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Add a quotation the extractor missed, by --span or --text."""
    from queries.reviewing.actions import add_quotation

    if (span_ is None) == (text is None):
        raise click.UsageError("give the quotation by --span START END or by --text, one of them")
    start, end = span_ if span_ else (None, None)
    _show([add_quotation(data_dir, doc_id, reviewer, char_start=start, char_end=end, text=text,
                         respondent_code=code)], as_json, as_csv)


@review.command()
@click.argument("quote_id", type=int)
@click.argument("theme_name", metavar="THEME")
@click.option("--codebook", default=None, help="Codebook of THEME (needed when several hold that name).")
@click.option("--remove", is_flag=True, help="Take the quotation out of THEME instead.")
@reviewer_option
@data_option
@output_options
@friendly
def theme(quote_id: int, theme_name: str, codebook: str | None, remove: bool, reviewer: str, data_dir: Path,
          as_json: bool, as_csv: bool) -> None:
    """Code the quotation with a codebook THEME (or take it out with --remove)."""
    from queries.reviewing.actions import review_quote

    _show([review_quote(data_dir, quote_id, "theme", reviewer, theme=theme_name, codebook=codebook,
                        coded=not remove)], as_json, as_csv)


@review.command()
@click.argument("text")
@click.option("--quote", "quote_id", type=int, default=None, help="Memo on this quotation.")
@click.option("--doc", "doc_id", default=None, help="Memo on this document.")
@click.option("--respondent", "code", default=None, help="Memo on this respondent code (with --study).")
@click.option("--study", default=None, help="Study of --respondent.")
@reviewer_option
@data_option
@output_options
@friendly
def memo(text: str, quote_id: int | None, doc_id: str | None, code: str | None, study: str | None, reviewer: str,
         data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Write a memo (TEXT; empty clears it) on a quotation, a document or a respondent."""
    from queries.reviewing.actions import memo_document, memo_respondent, review_quote

    if sum(x is not None for x in (quote_id, doc_id, code)) != 1:
        raise click.UsageError("give one of --quote, --doc or --respondent")
    if code is not None and not study:
        raise click.UsageError("--respondent needs --study: a respondent code is unique within its study")
    if quote_id is not None:
        done = review_quote(data_dir, quote_id, "memo", reviewer, memo=text)
    elif doc_id is not None:
        done = memo_document(data_dir, doc_id, text, reviewer)
    else:
        done = memo_respondent(data_dir, study or "", code or "", text, reviewer)
    _show([done], as_json, as_csv)


@review.command(name="list")
@click.option("--by", "reviewer", default=None, help="Only this reviewer's decisions.")
@data_option
@output_options
@friendly
def list_(reviewer: str | None, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Every decision in the order made, with who, when, before and after."""
    from index.review_journal import read_reviews

    _show([r for r in read_reviews(data_dir) if reviewer is None or r.reviewer == reviewer], as_json, as_csv)


@review.command()
@data_option
@output_options
@friendly
def orphans(data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Decisions that no longer find their place (document gone, text changed, theme removed), with why."""
    from queries.reviewing.exchange import list_orphans

    rows = list_orphans(data_dir)
    emit(rows, as_json, as_csv, columns=None if as_json or as_csv else ["reason", "at", "reviewer", "action",
                                                                          "doc_id", "text"], wide="text")


@review.command(name="export")
@click.option("--out", "out_path", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="File to write: .csv or .jsonl.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="File format [default: from the file name].")
@data_option
@output_options(format_option=False)
@friendly
def export_(out_path: Path, fmt: str | None, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Write every decision to a CSV or JSON Lines file, anchors included."""
    from queries.reviewing.exchange import export_reviews

    emit([export_reviews(data_dir, out_path, fmt)], as_json, as_csv)


@review.command(name="import")
@click.argument("in_path", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="File format [default: from the file name].")
@data_option
@output_options(format_option=False)
@friendly
def import_(in_path: Path, fmt: str | None, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Add the decisions of a CSV or JSON Lines file (as `review export` writes); ones already held are skipped."""
    from queries.reviewing.exchange import import_reviews

    emit([import_reviews(data_dir, in_path, fmt)], as_json, as_csv)


@click.command()
@click.option("--coder", "coders", multiple=True, metavar="REVIEWER",
              help="A reviewer to compare: once for automatic vs that reviewer, twice for one reviewer vs another "
                   "[default: automatic vs all reviewers].")
@click.option("--codebook", default=None, help="Only this codebook's themes.")
@click.option("--method", type=click.Choice(["dense", "lexical", "hybrid", "heading"]), default="dense",
              show_default=True, help="Which automatic coding to compare.")
@click.option("--threshold", type=float, default=None, help="Lowest score that counts as coded [default: per method].")
@data_option
@output_options
@friendly
def agreement(coders: tuple[str, ...], codebook: str | None, method: str, threshold: float | None, data_dir: Path,
              as_json: bool, as_csv: bool) -> None:
    """Per theme, Cohen's kappa and percent agreement between the automatic coding and the reviewers',
    or between two named reviewers, over the quotations they reviewed."""
    from queries.evaluation.agreement import theme_agreement

    emit(theme_agreement(data_dir, coders, codebook, method, threshold), as_json, as_csv, wide="theme")
