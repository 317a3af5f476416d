"""The theme commands of `evidence`: theme evidence, the theme x facet matrix, exports, and the
retrieval evaluation. Standalone click commands; the main group registers them."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli_options import data_option, friendly, readable_rows
from pipeline.cli_reviewing import unreviewed_option
from pipeline.output import emit, output_options

THEME_COLUMNS = ["rank", "probability", "respondent_code", "source", "section_path", "text"]


@click.command()
@unreviewed_option
@click.argument("theme")
@click.option("--codebook", default=None, help="Codebook whose theme THEME names [default: any that has it].")
@click.option("--k", type=click.IntRange(min=1, max=1000), default=10, show_default=True,
              help="How many quotations to return.")
@click.option("--method", type=click.Choice(["coded", "hybrid", "dense", "lexical", "heading"]), default="coded",
              show_default=True, help="Order of the quotations above the floor: learned probability (coded), "
              "dense vectors, BM25, their fusion with headings, or headings.")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="The floor: only quotations whose probability of being evidence for THEME reaches it. "
              "A codebook theme's probability is its learned coding; free text's is the share of codebook "
              "memberships among quotations as similar to their theme as this one is to the text (a curve "
              "fitted on every codebook), so the floor means the same for both; similarity alone is weaker "
              "evidence, so free text reaches a high floor less often. 0 lists the k best whatever their relevance.")
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
          per_respondent: int, min_score: float, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Quotations that are evidence for THEME: a codebook theme name or free text.

    Only quotations whose probability reaches --min-score are answered (the same rule `matrix`,
    `report` and `serve` count by); with none, the answer says "nothing above the floor".
    A codebook theme needs no model (its coding was stored at ingest); free text loads the
    embedding model. Filters apply before ranking; one quotation per cluster of reprints.
    """
    from index.embedder import SentenceTransformerEmbedder
    from queries.search.quote_filters import QuoteFilter, parse_where
    from queries.search.theme_evidence import answer_summary
    from queries.store import EvidenceStore

    filters = QuoteFilter(docs=docs, studies=studies, kinds=kinds, respondents=respondents,
                          facets=parse_where(where), entities=entities)
    with EvidenceStore(data_dir, SentenceTransformerEmbedder) as store:
        answer = store.theme(theme, codebook=codebook, k=k, method=method, where=filters,
                             respondent_cap=per_respondent, min_score=min_score)
        readable = readable_rows(answer.hits, store) if not (as_json or as_csv or answer.nothing_above_floor) else []
    if answer.notice:
        click.echo(f"note: {answer.notice}", err=True)
    if as_json or as_csv:
        emit(answer.hits, as_json, as_csv)
        return
    source = f"codebook {answer.theme.codebook!r}, theme {answer.theme.name!r}" if answer.theme else "free text"
    click.echo(f"{source}; {answer_summary(answer)}; ordered by {answer.method}", err=True)
    if answer.notice:
        click.echo(f"Note: {answer.notice}.")
    if answer.nothing_above_floor:
        click.echo(f"Nothing above the floor: no quotation reaches probability {min_score:g} for this theme "
                   "under these filters (lower it with --min-score).")
        return
    emit(readable, False, False, columns=THEME_COLUMNS, wide="text")


@click.command()
@unreviewed_option
@click.option("--codebook", required=True, help="Codebook whose themes are the rows.")
@click.option("--by", "facet", required=True,
              type=click.Choice(["site", "phase", "national", "care_model", "role", "org", "respondent",
                                 "source_kind", "doc_id", "study"]),
              help="Facet whose values are the columns.")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="The floor: a quotation counts for a theme when its probability reaches it (as in `theme`).")
@data_option
@output_options
@friendly
def matrix(codebook: str, facet: str, min_score: float, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Themes x facet values: how many quotations each theme holds per site, phase, document ...

    A cell counts the quotations `evidence theme` answers for that theme with the same facet
    filter and floor; reprints of one quotation count once."""
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store:
        result = store.matrix(codebook, facet, min_score)
    if not (as_json or as_csv):
        click.echo(f"{result.assignments} (quotation, theme) memberships with probability "
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
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store:
        written = store.export(out_dir, fmt, case_codes=case_codes)
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
    from queries.evaluation.retrieval import evaluate_retrieval, mean_by_method
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store, store.connection() as con:
        scores = evaluate_retrieval(con, eval_dir, SentenceTransformerEmbedder, codebook, heading_labelled)
    rows = [*(scores if per_theme else []), *mean_by_method(scores).values()]
    emit(rows, as_json, as_csv)


@click.command("eval-coding")
@click.option("--eval-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("../shared/eval"),
              show_default=True, help="Folder holding quotes_<doc>.jsonl annotation files.")
@click.option("--per-theme", is_flag=True, help="Also print every theme's figures (all examples, reprints held out).")
@data_option
@output_options
@friendly
def eval_coding(eval_dir: Path, per_theme: bool, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Agreement of the learned coding with annotated themes, heading signal off: Cohen's kappa,
    macro-F1 and accuracy of the top theme, and expected calibration error, with a learning curve
    (0, 8, 16, 32 examples per theme, each point the mean over five random draws). nolte: trained
    on the codebook and the quotations 001 files under its headings, evaluated on 000 (with reprints
    of evaluated quotations in training, then held out); north-east: codebook examples only,
    evaluated on 004."""
    from queries.evaluation.coding import default_tasks, evaluate_coding
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store, store.connection() as con:
        rows = [row for task in default_tasks(eval_dir) for row in evaluate_coding(con, task, per_theme)]
    emit(rows, as_json, as_csv)


@click.command("review-queue")
@click.option("--codebook", required=True, help="Codebook whose coding is reviewed.")
@click.option("--k", type=click.IntRange(min=1, max=1000), default=20, show_default=True,
              help="How many quotations to list.")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="The floor whose closest calls come first.")
@data_option
@output_options
@friendly
def review_queue(codebook: str, k: int, min_score: float, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Quotations whose coding the model is least sure of (a theme's probability nearest the floor)
    first: coding these teaches the classifier most."""
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store:
        items = store.review_queue(codebook, k, min_score)
    emit(items, as_json, as_csv, wide="text")


@click.command()
@data_option
@output_options
@friendly
def learn(data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Retrain every codebook's classifier from the coded examples there are now (codebook phrases,
    quotations filed under theme headings, reviewer codes) and rescore the store; a codebook whose
    examples did not change reuses its classifier."""
    from pipeline.learn_run import run_learning

    emit(run_learning(data_dir), as_json, as_csv)
