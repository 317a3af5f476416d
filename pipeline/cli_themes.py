"""The theme commands of `evidence`: theme evidence, the theme x facet matrix, exports, and the
retrieval evaluation. Standalone click commands; the main group registers them."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli_options import data_option, friendly, readable_rows
from pipeline.cli_reviewing import unreviewed_option
from pipeline.output import emit, output_options

THEME_COLUMNS = ["rank", "respondent_code", "source", "section_path", "text"]


@click.command()
@unreviewed_option
@click.argument("theme")
@click.option("--codebook", default=None, help="Codebook whose theme THEME names [default: any that has it].")
@click.option("--k", type=click.IntRange(min=1, max=1000), default=10, show_default=True,
              help="How many quotations to return.")
@click.option("--method", type=click.Choice(["hybrid", "dense", "lexical", "heading"]), default="hybrid",
              show_default=True, help="Ranking: dense vectors, BM25, their fusion with headings, or headings.")
@click.option("--doc", "docs", multiple=True,
              help="Only quotations from this document, by any unique start of its id or title (repeatable).")
@click.option("--study", "studies", multiple=True, help="Only quotations from this study (repeatable).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["interview", "document", "other"]),
              help="Only this kind of source (repeatable).")
@click.option("--respondent", "respondents", multiple=True, help="Only this respondent code (repeatable).")
@click.option("--where", "where", multiple=True, metavar="FACET=VALUE",
              help="Respondent facet, e.g. site=3 or care_model=EHCH (repeatable; same facet = either).")
@click.option("--entity", "entities", multiple=True, help="Only quotations mentioning this entity or alias.")
@click.option("--per-respondent", type=click.IntRange(min=1), default=2, show_default=True,
              help="At most this many quotations per respondent in the top 10.")
@data_option
@output_options
@friendly
def theme(theme: str, codebook: str | None, k: int, method: str, docs: tuple[str, ...], studies: tuple[str, ...],
          kinds: tuple[str, ...], respondents: tuple[str, ...], where: tuple[str, ...], entities: tuple[str, ...],
          per_respondent: int, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Quotations that are evidence for THEME: a codebook theme name or free text.

    A codebook theme needs no model (its vector was stored at ingest); free text loads the
    embedding model. Filters apply before ranking; one quotation per cluster of reprints.
    """
    from index.embedder import SentenceTransformerEmbedder
    from queries.quote_filters import QuoteFilter, parse_where
    from queries.theme_evidence import theme_evidence

    filters = QuoteFilter(docs=docs, studies=studies, kinds=kinds, respondents=respondents,
                          facets=parse_where(where), entities=entities)
    answer = theme_evidence(data_dir, theme, codebook=codebook, k=k, method=method, where=filters,
                            respondent_cap=per_respondent, embedder_factory=SentenceTransformerEmbedder)
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    if as_json or as_csv:
        emit(answer.hits, as_json, as_csv)
        return
    source = f"codebook {answer.theme.codebook!r}, theme {answer.theme.name!r}" if answer.theme else "free text"
    click.echo(f"{source}; method {answer.method}", err=True)
    if answer.notice:
        click.echo(f"Note: {answer.notice}.")
    emit(readable_rows(answer.hits, data_dir), False, False, columns=THEME_COLUMNS, wide="text")


@click.command()
@unreviewed_option
@click.option("--codebook", required=True, help="Codebook whose themes are the rows.")
@click.option("--by", "facet", required=True,
              type=click.Choice(["site", "phase", "national", "care_model", "role", "org", "respondent",
                                 "source_kind", "doc_id", "study"]),
              help="Facet whose values are the columns.")
@click.option("--threshold", type=float, default=None,
              help="Lowest score that counts as an assignment [default: per method; dense 0.3].")
@click.option("--method", type=click.Choice(["dense", "lexical", "hybrid", "heading"]), default="dense",
              show_default=True, help="Which stored coding to count.")
@data_option
@output_options
@friendly
def matrix(codebook: str, facet: str, threshold: float | None, method: str, data_dir: Path, as_json: bool,
           as_csv: bool) -> None:
    """Themes x facet values: how many quotations each theme holds per site, phase, document ..."""
    from index.published import open_published
    from queries.theme_matrix import theme_matrix

    con, _ = open_published(data_dir)
    try:
        result = theme_matrix(con, codebook, facet, threshold, method)
    finally:
        con.close()
    if not (as_json or as_csv):
        click.echo(f"{result.assignments} (quotation, theme) assignments with {result.method} score "
                   f">= {result.threshold:g}; columns are {result.facet}", err=True)
    emit(result.rows, as_json, as_csv, columns=["theme", *result.columns, "total"], wide="theme")


@click.command()
@unreviewed_option
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv", "jsonl", "qdpx"]), default="parquet",
              show_default=True, help="File format of the exported tables, or qdpx for one REFI-QDA project.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Folder to write into (a .qdpx file name for --format qdpx).")
@click.option("--case-codes", is_flag=True,
              help="qdpx: also make each respondent a code (with its case's id) coded on its quotations, so "
                   "QualCoder and NVivo link respondents to their quotations.")
@data_option
@output_options(format_option=False)
@friendly
def export(fmt: str, out_dir: Path, case_codes: bool, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Write quotes (with facets and section path), respondents, entities, mentions, themes and
    quote_themes, one file each, plus schema.json describing every column.

    --format qdpx writes one REFI-QDA project instead (NVivo, ATLAS.ti, MAXQDA, QualCoder):
    documents, quotations as coded selections, respondents as cases with their facets."""
    from index.published import open_published
    from queries.export import export_tables
    from queries.qdpx import write_qdpx

    con, _ = open_published(data_dir)
    try:
        written = ([write_qdpx(con, out_dir, case_codes=case_codes)] if fmt == "qdpx"
                   else export_tables(con, out_dir, fmt))
    finally:
        con.close()
    emit(written, as_json, as_csv)


@click.command("eval-themes")
@click.option("--eval-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("../shared/eval"),
              show_default=True, help="Folder holding quotes_<doc>.jsonl annotation files.")
@click.option("--codebook", default="nolte", show_default=True, help="Codebook whose themes are scored.")
@click.option("--heading-labelled", multiple=True, default=("001_2ba9a7a7ff76eece",), show_default=True,
              help="Source file stem of a document whose theme headings label its quotations (repeatable).")
@click.option("--per-theme", is_flag=True, help="Print every theme's figures, not only the means.")
@data_option
@output_options
@friendly
def eval_themes(eval_dir: Path, codebook: str, heading_labelled: tuple[str, ...], per_theme: bool, data_dir: Path,
                as_json: bool, as_csv: bool) -> None:
    """Recall@10, recall@20 and nDCG@10 of theme retrieval per method and for a naive
    512-character chunk baseline (loads the embedding model to embed the chunks)."""
    from index.embedder import SentenceTransformerEmbedder
    from index.published import open_published
    from queries.retrieval_eval import evaluate_retrieval, mean_by_method

    con, _ = open_published(data_dir)
    try:
        scores = evaluate_retrieval(con, eval_dir, SentenceTransformerEmbedder, codebook, heading_labelled)
    finally:
        con.close()
    rows = [*(scores if per_theme else []), *mean_by_method(scores).values()]
    emit(rows, as_json, as_csv)
