"""The `evidence` command: a thin layer over the library, and the one place that turns errors into messages."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from ingest.errors import ConfigError
from ingest.limits import DEFAULT_MAX_PAGES, MB, ResourceLimits
from ingest.pdf_readers import DEFAULT_PDF_READER, PDF_READERS
from pipeline.cli_options import data_option, friendly, readable_rows, some
from pipeline.cli_reviewing import unreviewed_option
from pipeline.output import emit, output_options

DEFAULT_MANIFEST = Path("corpus_manifest.yaml")
CODEBOOK_FILE = "themes.yaml"
DEFAULT_LIMITS = ResourceLimits()


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
@click.option("--max-pages", type=click.IntRange(min=1), default=DEFAULT_MAX_PAGES, show_default=True,
              help="Refuse PDFs with more pages than this.")
@click.option("--max-text-mb", type=click.FloatRange(min=0.001), default=DEFAULT_LIMITS.max_text_bytes / MB,
              show_default=True,
              help="Refuse text files larger than this many megabytes.")
@click.option("--max-page-chars", type=click.IntRange(min=1), default=DEFAULT_LIMITS.max_page_chars, show_default=True,
              help="Refuse PDFs with a page drawing more characters than this (per A4 of page: a larger "
                   "page may draw proportionally more).")
@click.option("--max-stream-mb", type=click.FloatRange(min=0.001), default=DEFAULT_LIMITS.max_stream_bytes / MB,
              show_default=True,
              help="Refuse PDFs with a compressed stream expanding past this many megabytes.")
@click.option("--no-ocr", "no_ocr", is_flag=True,
              help="Do not OCR PDF pages that have no text layer (a scanned PDF then fails).")
@click.option("--codebook", "codebook_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Codebooks (YAML) to code every quotation against [default: themes.yaml here, "
                   "else beside the manifest].")
@click.option("--pdf-reader", type=click.Choice(PDF_READERS), default=DEFAULT_PDF_READER, show_default=True,
              help="Where PDF characters come from: pdfium (fast) or pdfplumber (the reference reader).")
@click.option("--strict", is_flag=True, help="Stop at the first document that fails; publish nothing.")
@click.option("--prune", is_flag=True,
              help="Drop the last good version of documents that fail now, instead of keeping them as stale.")
@click.option("--quiet", is_flag=True,
              help="No progress (bars on a terminal, a line per document and stage otherwise).")
@click.option("--embedder", type=click.Choice(["int8", "fp32"]), default="int8", show_default=True,
              help="Embed with the int8 model `make setup` builds, or with sentence-transformers in fp32.")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Parse and embed in worker processes here, or as Ray tasks and actors.")
@click.option("--address", default=None, metavar="ADDRESS",
              help="With --executor ray: the cluster to use (e.g. ray://head:10001, or auto on a cluster "
                   "node) [default: start a local Ray].")
@friendly
def ingest(manifest_path: Path, data_dir: Path, workers: int | None, timeout: float, max_pages: int,
           max_text_mb: float, max_page_chars: int, max_stream_mb: float, no_ocr: bool, codebook_path: Path | None,
           pdf_reader: str, strict: bool, prune: bool, quiet: bool, embedder: str, executor: str,
           address: str | None) -> None:
    """Read every document in the manifest into the evidence base.

    Unchanged documents are not parsed again and unchanged text is not embedded again.
    The new state is built beside the published one and swapped in whole at the end.
    A document that fails keeps its last good version, marked stale, until it leaves the
    manifest or --prune is given; when every document fails nothing is published.
    Exit code 0 when every document was ingested, 1 when any failed.
    """
    from pipeline.ingest_run import IngestOptions, run_ingest

    if address and executor != "ray":
        raise click.UsageError("--address needs --executor ray")

    limits = ResourceLimits(max_stream_bytes=int(max_stream_mb * MB), max_page_chars=max_page_chars,
                            max_text_bytes=int(max_text_mb * MB))
    options = IngestOptions(timeout=timeout, max_pages=max_pages, ocr=not no_ocr, strict=strict, prune=prune,
                            limits=limits, pdf_reader=pdf_reader,
                            show_progress=not quiet, codebook_path=codebook_path or _default_codebook(manifest_path),
                            executor=executor, address=address)
    if workers or executor == "ray":
        options.workers = workers
    summary = run_ingest(manifest_path, data_dir, _ingest_embedder(embedder), options)
    _report_failures(summary)
    if not summary.published:
        click.echo("error: every document failed; nothing was published and the previous state is unchanged.",
                   err=True)
        sys.exit(1)
    others = "".join(f", {n} {status}" for status, n in summary.statuses.items() if status != "failed")
    click.echo(
        f"{summary.documents} documents ({summary.parsed} parsed, {summary.unchanged} unchanged"
        f"{others}, {len(summary.failures)} failed"
        f"{f', {summary.removed} removed' if summary.removed else ''}), {summary.pages} pages, "
        f"{f'{summary.ocr_pages} read by OCR, ' if summary.ocr_pages else ''}"
        f"{summary.sections} sections, {summary.passages} passages, {summary.quotes} quotes; "
        f"{summary.embedded} texts embedded; {summary.seconds:.1f} s"
    )
    if summary.stale:
        click.echo(f"{_documents(len(summary.stale))} that failed kept the last good version (stale); "
                   "`evidence ingest --prune` drops it.")
    if not summary.parsed and not summary.embedded and not summary.failures:
        click.echo("Nothing changed: no document parsed, nothing embedded.")
    sys.exit(1 if summary.failures else 0)


def _ingest_embedder(precision: str):
    """The embedder for the precision asked; fp32, with a note, when the int8 model is not built."""
    from functools import partial

    import index.embedder as embedders

    if precision == "fp32":
        return partial(embedders.SentenceTransformerEmbedder, precision="fp32")
    if not embedders.int8_model_built():
        click.echo("note: the int8 embedding model is not built (`make setup` builds it); embedding in fp32.",
                   err=True)
    return embedders.SentenceTransformerEmbedder  # int8 when built, else fp32


def _documents(count: int) -> str:
    return f"{count} document{'' if count == 1 else 's'}"


def _report_failures(summary) -> None:
    for doc_id, message in summary.failures:
        state = "stale" if doc_id in summary.stale else "failed"
        click.echo(f"{state}: {doc_id}: {message}", err=True)


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
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir, SentenceTransformerEmbedder) as store:
        hits = store.search(text, k)
    emit(hits, as_json, as_csv,
         columns=["rank", "score", "doc_id", "page", "section_path", "text"] if not (as_json or as_csv) else None,
         wide="text")


@main.command()
@data_option
@friendly
def verify(data_dir: Path) -> None:
    """Check the published state: index ids against rows, model and dimension, every stored
    offset, and references between tables; list stale and failed documents. Exit code 1 lists
    the problems, or the documents whose last ingest failed."""
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store:
        problems = store.verify()
        issues = [] if problems else store.document_issues()
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        sys.exit(1)
    for issue in issues:
        click.echo(f"warning: {issue}", err=True)
    if issues:
        click.echo(f"The published state holds together, but {_documents(len(issues))} did not ingest (listed above).")
        sys.exit(1)
    click.echo("The published state is sound.")


@main.command()
@unreviewed_option
@click.option("--study", help="Only respondents of this study.")
@data_option
@output_options
@friendly
def respondents(study: str | None, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """List respondents (a code within a study) with their facets and quote counts."""
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store:
        rows = store.respondents(study)
    emit(rows, as_json, as_csv)


@main.command()
@click.option("--label", help="Only entities with this label (ORG, PROGRAMME, CARE_MODEL, POLICY, ROLE, PLACE, "
                             "METHOD, TERM).")
@click.option("--doc", "doc_id", help="Only mentions in this document.")
@click.option("--source", type=click.Choice(["gazetteer", "acronym", "pattern", "ner"], case_sensitive=False),
              help="Only entities found by this source.")
@data_option
@output_options
@friendly
def entities(label: str | None, doc_id: str | None, source: str | None, data_dir: Path, as_json: bool,
             as_csv: bool) -> None:
    """List policy entities with their source, mention and quotation counts and all their names."""
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store:
        rows = store.entities(label, doc_id, source)
    emit(rows, as_json, as_csv, wide="aliases")


@main.command()
@unreviewed_option
@click.option("--doc", "doc_id", help="Only quotations from this document (any unique start of its id or title).")
@click.option("--respondent", help="Only this respondent's quotations (their code as printed, e.g. P3S3R01).")
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
    from queries.search.quote_filters import QuoteFilter, parse_where
    from queries.store import EvidenceStore

    chosen = QuoteFilter(
        docs=some(doc_id), studies=some(study), kinds=some(kind), respondents=some(respondent),
        entities=some(entity), facets=parse_where(where),
    )
    with EvidenceStore(data_dir) as store:
        rows = store.quotes(chosen, limit)
        if as_json or as_csv:
            emit(rows, as_json, as_csv)
        else:
            emit(readable_rows(rows, store), False, False,
                 columns=["source", "respondent_code", "section_path", "text"], wide="text")


@main.command()
@click.argument("statement")
@data_option
@output_options
@friendly
def sql(statement: str, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Run one SQL STATEMENT on the published database, read-only, e.g.
    evidence sql "SELECT doc_id, path, page_start FROM sections LIMIT 10".
    Tables and columns are those of the README's data contract; nothing can be changed."""
    from queries.store import EvidenceStore

    with EvidenceStore(data_dir) as store:
        rows = store.sql(statement)
    emit(rows, as_json, as_csv, wide="text" if rows and "text" in rows[0] else None)


@main.command(name="eval")
@click.option("--annotations", "eval_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("../shared/eval"), show_default=True, help="Folder of annotated answers (*.jsonl).")
@click.option("--corpus", "corpus_root", type=click.Path(path_type=Path, file_okay=False),
              default=Path("../shared/corpus"), show_default=True,
              help="Folder holding the annotated documents (text and PDF renditions).")
@click.option("--generic-schemes", is_flag=True,
              help="Read attributions with the generic respondent schemes only (none written for one study).")
@click.option("--entities", "score_entities", is_flag=True,
              help="Score policy entities and acronym definitions instead (entities.jsonl, acronyms.jsonl).")
@click.option("--no-gazetteer", is_flag=True, help="With --entities: leave the gazetteer out.")
@click.option("--sample", type=click.IntRange(min=1), default=None,
              help="With --entities: print this many stored entities the gazetteer does not know, drawn at "
                   "random with a mention in context, to judge precision by hand.")
@click.option("--seed", type=int, default=0, show_default=True, help="With --sample: the random seed.")
@data_option
@output_options
@friendly
def evaluate(eval_dir: Path, corpus_root: Path, generic_schemes: bool, score_entities: bool, no_gazetteer: bool,
             sample: int | None, seed: int, data_dir: Path, as_json: bool, as_csv: bool) -> None:
    """Score quotation and heading extraction against annotated answers, per document and rendition.

    Answers of real reports by other teams (a sub-folder such as external/) are scored too;
    the last line pools every rendition's counts. With --entities: entity recall,
    acronym-definition recall, and how many entities each source (gazetteer, acronym,
    pattern, ner) contributed; --no-gazetteer shows what the model, the name patterns and
    the documents' own definitions find alone; --sample N draws N stored entities the
    gazetteer does not know, from --data, for a hand check of precision.
    """
    if sample is not None:
        from queries.evaluation.entities import sample_found_entities

        emit(sample_found_entities(data_dir, sample, seed), as_json, as_csv, wide="context")
        return
    if not eval_dir.is_dir():
        raise ConfigError(f"no annotations folder at {eval_dir}")
    if score_entities or no_gazetteer:
        from queries.evaluation.entities import entity_score_rows

        emit(entity_score_rows(eval_dir, corpus_root, use_gazetteer=not no_gazetteer), as_json, as_csv, wide="detail")
        return
    from ingest.attribution import load_schemes
    from queries.evaluation.extraction import RenditionScores, evaluate_extraction, pooled

    schemes = load_schemes().generic() if generic_schemes else load_schemes()
    results = evaluate_extraction(eval_dir, corpus_root, schemes)
    total = RenditionScores(document="pooled", rendition="all", quotes=pooled(results), headings=None)
    emit([_score_row(r) for r in [*results, total]], as_json, as_csv)


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
    from pipeline.cli_reviewing import agreement, review
    from pipeline.cli_themes import eval_coding, eval_themes, export, learn, matrix, review_queue, theme

    for command in (theme, matrix, export, eval_themes, eval_coding, review_queue, learn, report, serve, review,
                    agreement):
        main.add_command(command)


_register_commands()


if __name__ == "__main__":
    main()
