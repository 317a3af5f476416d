"""One ingest run, as a list of stages writing one new generation, then published whole:

1. documents: parse the changed ones (in worker processes, or on Ray) and store each (index/store.py);
2. corpus tables: quote clusters and respondents over the whole corpus (index/corpus_tables.py);
3. embeddings: the passages the embedding cache lacks (index/embedder.py);
4. themes: quote windows, codebook themes, the classifier and every quotation's theme scores
   (index/themes/coding.py);
5. passage index: the FAISS index, rebuilt or carried over (index/passage_index.py);
6. publish: the generation replaces the published one in one rename (index/published.py).

What a run that finds nothing changed never uses is imported only when used: the parser (spaCy,
the PDF readers), the model, theme coding.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from index.corpus_tables import rebuild_corpus_tables
from index.embedder import Embedder, embed_missing, passages_to_embed
from index.ids import file_sha256
from index.passage_index import refresh_passage_index
from index.published import (
    Generation,
    discard_generation,
    ingest_lock,
    publish,
    remove_stale_generations,
    start_generation,
)
from index.store import (
    DocumentMeta,
    UnstorableDocument,
    corpus_counts,
    drop_documents_not_in,
    record_failure,
    replace_document,
    status_counts,
    stored_unchanged,
)
from index.themes.codebook import load_codebooks
from index.themes.coding import load_coding, materialise_themes
from ingest.cores import available_cores
from ingest.document import PARSER_VERSION, entity_extractor, parse_document, read_document
from ingest.errors import EvidenceError
from ingest.limits import DEFAULT_MAX_PAGES, ResourceLimits
from ingest.pdf_readers import DEFAULT_PDF_READER
from ingest.records import ParsedDocument
from pipeline.executors import Executor, open_executor
from pipeline.manifest import DocumentEntry, load_manifest
from pipeline.progress import Progress
from pipeline.workers import PoolMapper

DEFAULT_TIMEOUT = 300.0


class StrictFailure(EvidenceError):
    """With --strict, the first document that fails stops the run; nothing is published."""


@dataclass
class IngestOptions:
    """How a run behaves; the defaults suit `make ingest`. `workers` None: one per CPU of the executor."""

    workers: int | None = field(default_factory=available_cores)
    timeout: float | None = DEFAULT_TIMEOUT
    max_pages: int | None = DEFAULT_MAX_PAGES
    ocr: bool = True
    strict: bool = False
    prune: bool = False
    limits: ResourceLimits = field(default_factory=ResourceLimits)
    show_progress: bool = True
    codebook_path: Path = Path("themes.yaml")
    pdf_reader: str = DEFAULT_PDF_READER
    executor: str = "local"  # or "ray"
    address: str | None = None  # the Ray cluster's; None starts a local instance


@dataclass
class IngestSummary:
    """What a run did, for the closing summary and the benchmark."""

    documents: int = 0
    parsed: int = 0
    unchanged: int = 0
    removed: int = 0
    pages: int = 0
    sections: int = 0
    passages: int = 0
    quotes: int = 0
    ocr_pages: int = 0
    embedded: int = 0
    model_loaded: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)
    # Failed documents whose last good version is still served, by id.
    stale: set[str] = field(default_factory=set)
    published: bool = False
    # Documents of the published state by status other than ok (failed, stale ...), for the summary.
    statuses: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    worker_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


@contextmanager
def _stage(summary: IngestSummary, name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        summary.stage_seconds[name] = summary.stage_seconds.get(name, 0.0) + time.perf_counter() - start


def run_ingest(
    manifest_path: Path,
    data_dir: Path,
    embedder_factory: Callable[[], Embedder],
    options: IngestOptions | None = None,
) -> IngestSummary:
    """Ingest the manifest's documents into a new generation and publish it whole.

    A run in which every document fails publishes nothing (`summary.published` stays False): the
    published state is left as it was rather than replaced by an empty or stale-only one.
    """
    options = options or IngestOptions()
    started = time.perf_counter()
    summary = IngestSummary()
    manifest = load_manifest(manifest_path)
    load_codebooks(options.codebook_path)
    summary.documents = len(manifest.documents)
    with ingest_lock(data_dir):
        remove_stale_generations(data_dir)
        generation = start_generation(data_dir)
        con = duckdb.connect(str(generation.db_path))
        try:
            with open_executor(options.executor, options.address) as executor:
                complete = _build(con, data_dir, generation, manifest.documents, embedder_factory, options, summary,
                                  executor)
        finally:
            con.close()
        if complete:
            publish(data_dir, generation)
            summary.published = True
        else:
            discard_generation(generation)
    summary.seconds = time.perf_counter() - started
    return summary


def _build(
    con: duckdb.DuckDBPyConnection, data_dir: Path, generation: Generation, entries: tuple[DocumentEntry, ...],
    embedder_factory: Callable[[], Embedder], options: IngestOptions, summary: IngestSummary, executor: Executor,
) -> bool:
    """Run the stages into the new generation; return False, leaving it unfinished, when every document failed."""
    embedder = executor.embedder(embedder_factory)
    changed = _ingest_documents(con, entries, options, summary, executor, partial(_warm_up, embedder))
    if len(summary.failures) == summary.documents:
        return False
    with _stage(summary, "store"):
        summary.removed = len(drop_documents_not_in(con, {d.doc_id for d in entries}))
        rebuild_corpus_tables(con)
    corpus_changed = changed or bool(summary.removed)
    with _stage(summary, "embed"):
        summary.embedded = _embed_passages(con, embedder, options)
    with _stage(summary, "themes"), Progress(None, "themes", options.show_progress) as bar:
        materialise_themes(con, embedder, options.codebook_path, progress=bar.advance,
                           documents_changed=corpus_changed)
    summary.model_loaded = bool(getattr(embedder, "loaded", summary.embedded > 0))
    with _stage(summary, "index"), Progress(1, "index", options.show_progress, unit="step") as bar:
        refresh_passage_index(con, data_dir, generation, embedder.model_name, embedder.dim, rebuild=corpus_changed)
        bar.advance(1)
    summary.pages, summary.sections, summary.passages, summary.quotes, summary.ocr_pages = corpus_counts(con)
    summary.statuses = status_counts(con)
    con.execute("CHECKPOINT")
    return True


def _ingest_documents(
    con: duckdb.DuckDBPyConnection, entries: tuple[DocumentEntry, ...], options: IngestOptions,
    summary: IngestSummary, executor: Executor, warm_up: Callable[[], None],
) -> bool:
    """Parse the documents that changed, store each in its own transaction; return whether any rows changed.
    `warm_up` runs once the last document is being parsed and a worker is free."""
    metas: dict[str, DocumentMeta] = {}
    changed: list[DocumentEntry] = []
    for entry in entries:
        meta = _meta(entry, options)
        metas[entry.doc_id] = meta
        if entry.problem:
            _fail(con, meta, entry.problem, options, summary)
        elif stored_unchanged(con, meta):
            summary.unchanged += 1
        else:
            changed.append(entry)
    if not changed:
        return bool(summary.failures)
    # On the local pool, cores the documents leave idle go to the page ranges of long PDFs, so one
    # long report uses them all; a Ray cluster spreads documents, not pages.
    page_workers = (options.workers or available_cores()) // len(changed) if options.executor == "local" else 1
    mapper = PoolMapper(page_workers) if page_workers > 1 else None
    changed.sort(key=lambda entry: entry.path.stat().st_size, reverse=True)  # longest first: the pool ends together
    reads = {entry.doc_id: (entry.path, entry.password, options.max_pages, options.limits, options.ocr,
                            options.pdf_reader, mapper) for entry in changed}
    jobs = [(entry.doc_id, (*reads[entry.doc_id], entry.kind, entry.interviewers)) for entry in changed]
    with _stage(summary, "load models"):
        # The longest document is read while the model loads, on a core that would otherwise wait.
        longest = changed[0].doc_id
        executor.begin(longest, read_document, reads[longest], options.workers, options.timeout)
        executor.prepare(entity_extractor)
    with Progress(len(jobs), "parse", options.show_progress) as bar, _stage(summary, "parse"):
        for doc_id, parsed, error in _parsed(executor, jobs, options, warm_up):
            if error is not None:
                bar.advance(1, f"{doc_id} failed")
                _fail(con, metas[doc_id], _describe(error), options, summary)
            else:
                bar.advance(1, doc_id)
                _store(con, metas[doc_id], parsed, options, summary)
    return True


def _parsed(executor: Executor, jobs: list[tuple[str, tuple]], options: IngestOptions,
            warm_up: Callable[[], None]) -> Iterator[tuple[str, Any, BaseException | None]]:
    """(doc_id, parsed, error) for every job. The local pool asks for a job only when a worker is
    free, so `warm_up` runs when one is free with no job left: on a core that would wait, and no
    worker is forked after it (Ray takes every job at once, and warms up at the start)."""

    def then_warm_up() -> Iterator[tuple[str, tuple]]:
        yield from jobs
        warm_up()

    return executor.run_tasks(parse_document, then_warm_up(), options.workers, options.timeout)


def _warm_up(embedder: Embedder) -> None:
    """Load what the stages after parsing use: the embedding model, and theme coding's modules."""
    load = getattr(embedder, "load", None)  # a test's embedder, or Ray's actors, load nothing here
    if load is not None:
        load()
    load_coding()


def _store(con: duckdb.DuckDBPyConnection, meta: DocumentMeta, parsed: ParsedDocument, options: IngestOptions,
           summary: IngestSummary) -> None:
    start = time.perf_counter()
    try:
        replace_document(con, meta, parsed)
    except UnstorableDocument as error:
        _fail(con, meta, str(error), options, summary)
        return
    summary.parsed += 1
    summary.stage_seconds["store"] = summary.stage_seconds.get("store", 0.0) + time.perf_counter() - start
    for stage, seconds in parsed.timings.items():
        summary.worker_seconds[stage] = summary.worker_seconds.get(stage, 0.0) + seconds


def _fail(con: duckdb.DuckDBPyConnection, meta: DocumentMeta, message: str, options: IngestOptions,
          summary: IngestSummary) -> None:
    summary.failures.append((meta.doc_id, message))
    if record_failure(con, meta, message, keep_last_good=not options.prune) == "stale":
        summary.stale.add(meta.doc_id)
    if options.strict:
        raise StrictFailure(f"document {meta.doc_id!r}: {message}")


def _describe(error: BaseException) -> str:
    """One clear sentence for a failed document: the library's own message, never a traceback."""
    message = str(error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def _meta(entry: DocumentEntry, options: IngestOptions) -> DocumentMeta:
    """The document's row; a PDF read by another than the default reader records it in the parser version,
    so that switching readers parses the PDFs again."""
    sha = file_sha256(entry.path) if entry.problem is None else None
    parser_version = PARSER_VERSION
    if options.pdf_reader != DEFAULT_PDF_READER and entry.path.suffix.lower() == ".pdf":
        parser_version = f"{PARSER_VERSION}/{options.pdf_reader}"
    return DocumentMeta(
        doc_id=entry.doc_id, study=entry.study, title=entry.title, authors=entry.authors, year=entry.year,
        kind=entry.kind, licence=entry.licence, doi=entry.doi, note=entry.note,
        source_path=str(entry.path), sha256=sha, parser_version=parser_version,
    )


def _embed_passages(con: duckdb.DuckDBPyConnection, embedder: Embedder, options: IngestOptions) -> int:
    texts = passages_to_embed(con, embedder.model_name)
    if not texts:
        return 0
    with Progress(len(texts), "embed", options.show_progress) as bar:
        return embed_missing(con, embedder, texts, progress=bar.advance)
