"""The `evidence` command: a thin layer over the library, and the one place that turns errors into messages."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from pipeline.cli_options import data_option, friendly, some
from pipeline.output import emit, output_options

DEFAULT_MANIFEST = Path("corpus_manifest.yaml")
CODEBOOK_FILE = "themes.yaml"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evidence-pipeline")
def main() -> None:
    """Turn qualitative research reports into a searchable evidence base.

    Ingest a corpus (`evidence ingest`), then ask for passages (`evidence search`).
    Everything is also in DuckDB (data/evidence.duckdb) for SQL.
    """
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


@main.command()
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path), default=DEFAULT_MANIFEST,
              show_default=True, help="Corpus manifest (YAML) listing the documents.")
@data_option
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for parsing [default: one per core].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True,
              help="Seconds one document may take to parse before it is stopped.")
@click.option("--max-pages", type=click.IntRange(min=1), default=None,
              help="Refuse PDFs with more pages than this.")
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Codebooks (YAML) to code every quotation against [default: themes.yaml here, "
                   "else beside the manifest].")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails; publish nothing.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@friendly
def ingest(manifest_path: Path, data_dir: Path, workers: int | None, timeout: float, max_pages: int | None,
           codebook_path: Path | None, strict: bool, quiet: bool) -> None:
    """Read every document in the manifest into the evidence base.

    Unchanged documents are not parsed again and unchanged text is not embedded again.
    The new state is built beside the published one and swapped in whole at the end.
    Exit code 0 when every document was ingested, 1 when any failed.
    """
    from index.embedder import SentenceTransformerEmbedder
    from pipeline.ingest_run import IngestOptions, run_ingest

    options = IngestOptions(timeout=timeout, max_pages=max_pages, strict=strict, show_progress=not quiet,
                            codebook_path=codebook_path or _default_codebook(manifest_path))
    if workers:
        options.workers = workers
    summary = run_ingest(manifest_path, data_dir, SentenceTransformerEmbedder, options)
    click.echo(
        f"{summary.documents} documents ({summary.parsed} parsed, {summary.unchanged} unchanged"
        f"{f', {summary.removed} removed' if summary.removed else ''}), {summary.pages} pages, "
        f"{summary.sections} sections, {summary.passages} passages, {summary.quotes} quotes; "
        f"{summary.embedded} texts embedded; {summary.seconds:.1f} s"
    )
    if not summary.parsed and not summary.embedded and not summary.failures:
        click.echo("Nothing changed: no document parsed, nothing embedded.")
    for doc_id, message in summary.failures:
        click.echo(f"failed: {doc_id}: {message}", err=True)
    sys.exit(1 if summary.failures else 0)


def _default_codebook(manifest_path: Path) -> Path:
    """themes.yaml in the working folder, else the one beside the manifest."""
    here = Path(CODEBOOK_FILE)
    beside = manifest_path.parent / CODEBOOK_FILE
    return here if here.exists() or not beside.exists() else beside


@main.command()
@click.argument("text")
@click.option("--k", type=click.IntRange(min=1, max=1000), default=10, show_default=True,
              help="How many passages to return.")
@data_option
@output_options
@friendly
def search(text: str, k: int, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Find the passages nearest in meaning to TEXT, with document, section and page."""
    from index.embedder import SentenceTransformerEmbedder
    from queries.search import search_passages

    hits = search_passages(data_dir, text, SentenceTransformerEmbedder(), k)
    emit(hits, as_json, as_csv,
         columns=["rank", "score", "doc_id", "page", "section_path", "text"] if not (as_json or as_csv) else None,
         wide="text")


@main.command()
@data_option
@friendly
def verify(data_dir: Path) -> None:
    """Check the published state: index ids against rows, model and dimension, every stored
    offset, and references between tables. Exit code 1 lists the problems."""
    from queries.verify import verify_published

    problems = verify_published(data_dir)
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo("The published state is sound.")


@main.command()
@click.option("--study", help="Only respondents of this study.")
@data_option
@output_options
@friendly
def respondents(study: str | None, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """List respondents (a code within a study) with their facets and quote counts."""
    from queries.listing import list_respondents

    rows = list_respondents(data_dir, study)
    emit(rows, as_json, as_csv)


@main.command()
@click.option("--label", help="Only entities with this label (ORG, PROGRAMME, CARE_MODEL, POLICY, ROLE).")
@click.option("--doc", "doc_id", help="Only mentions in this document.")
@data_option
@output_options
@friendly
def entities(label: str | None, doc_id: str | None, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """List policy entities with their mention and quotation counts and all their names."""
    from queries.listing import list_entities

    emit(list_entities(data_dir, label, doc_id), as_json, as_csv, wide="aliases")


@main.command()
@click.option("--doc", "doc_id", help="Only quotations from this document.")
@click.option("--respondent", help="Only this respondent's quotations (canonical code, e.g. P3S3R01).")
@click.option("--study", help="Only quotations from this study's documents.")
@click.option("--kind", type=click.Choice(["interview", "document", "other"]), help="Only this source kind.")
@click.option("--entity", help="Only quotations naming this entity (canonical name or any alias).")
@click.option("--where", "where", multiple=True, metavar="FACET=VALUE",
              help="Respondent facet filter, e.g. site=3 or care_model=EHCH; repeatable.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many rows.")
@data_option
@output_options
@friendly
def quotes(doc_id: str | None, respondent: str | None, study: str | None, kind: str | None, entity: str | None,
           where: tuple[str, ...], limit: int | None, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """List verbatim quotations with respondent, document, section path and page."""
    from queries.quote_filters import QuoteFilter, parse_where
    from queries.quote_listing import list_quotes

    chosen = QuoteFilter(
        docs=some(doc_id), studies=some(study), kinds=some(kind), respondents=some(respondent),
        entities=some(entity), facets=parse_where(where),
    )
    rows = list_quotes(data_dir, chosen, limit)
    table_columns = ["doc_id", "page", "respondent_code", "section_path", "text"]
    emit(rows, as_json, as_csv, columns=None if as_json or as_csv else table_columns, wide="text")


@main.command(name="eval")
@click.option("--annotations", "eval_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("../shared/eval"), show_default=True, help="Folder of annotated answers (*.jsonl).")
@click.option("--corpus", "corpus_root", type=click.Path(path_type=Path, file_okay=False),
              default=Path("../shared/corpus"), show_default=True,
              help="Folder holding the annotated documents (text and PDF renditions).")
@output_options
@friendly
def evaluate(eval_dir: Path, corpus_root: Path, as_json: bool, as_csv: bool) -> None:
    """Score quotation and heading extraction against annotated answers, per document and rendition."""
    from queries.extraction_eval import evaluate_extraction

    if not eval_dir.is_dir():
        raise ValueError(f"no annotations folder at {eval_dir}")
    rows = [_score_row(r) for r in evaluate_extraction(eval_dir, corpus_root)]
    emit(rows, as_json, as_csv)


def _score_row(result) -> dict:
    quotes, headings = result.quotes, result.headings
    return {
        "document": result.document,
        "rendition": result.rendition,
        "quotes": quotes.annotated if quotes else None,
        "found": quotes.predicted if quotes else None,
        "quote_recall": round(quotes.recall, 3) if quotes else None,
        "quote_precision": round(quotes.precision, 3) if quotes else None,
        "respondent_accuracy": round(quotes.respondent_accuracy, 3) if quotes else None,
        "source_kind_accuracy": round(quotes.source_kind_accuracy, 3) if quotes else None,
        "heading_recall": round(headings.recall, 3) if headings else None,
        "heading_precision": round(headings.precision, 3) if headings else None,
    }


def _register_commands() -> None:
    from pipeline.cli_review import report, serve
    from pipeline.cli_themes import eval_coding, eval_themes, export, learn, matrix, review_queue, theme

    for command in (theme, matrix, export, eval_themes, eval_coding, review_queue, learn, report, serve):
        main.add_command(command)


_register_commands()


if __name__ == "__main__":
    main()
