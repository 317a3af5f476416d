"""The local evidence browser: a FastAPI app over the published store.

A search page (a codebook theme or free text, with the CLI's filters, results with their context)
and JSON endpoints that return exactly what `evidence theme/search/quotes --json` print, documented
by OpenAPI at /docs and /openapi.json.

It is meant for one reviewer's machine: it listens on loopback unless the address is given on the
command line, answers only requests whose Host header names this machine (loopback names, the
bound address, or names allowed on the command line), so a web page cannot reach it through DNS
rebinding, and every query value reaches SQL as a bound parameter (queries/search/quote_filters.py).
The API documentation at /docs is built here from the schema and loads nothing from elsewhere.
The embedding model loads on the first free-text query and stays loaded for the process.
"""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from index.embedder import Embedder
from ingest.errors import EvidenceError, RequestError, StoreError
from pipeline.api_docs import render_api_docs
from pipeline.output import as_dicts
from pipeline.server_page import PageQuery, render_page
from pipeline.server_reviews import add_review_routes
from queries.search.passages import PassageHit
from queries.search.quote_filters import QuoteFilter, parse_where
from queries.search.quote_listing import QuoteRow
from queries.search.theme_evidence import ThemeHit
from queries.store import EvidenceStore

Method = Literal["coded", "hybrid", "dense", "lexical", "heading"]
Kind = Literal["interview", "document", "other"]
# Most values one repeated filter parameter may carry, and most rows one request may ask for.
MAX_VALUES = 100
MAX_ROWS = 100_000


class UnsafeBind(RequestError):
    """A non-loopback listening address that did not come from the command line."""


def check_bind_address(host: str, explicit: bool) -> None:
    """Refuse to expose the evidence beyond this machine unless the user typed the address.

    An environment variable or a config default must never widen who can read the quotations.
    """
    if is_loopback(host) or explicit:
        return
    raise UnsafeBind(f"refusing to listen on {host}, which is not a loopback address; "
                     "pass --host explicitly on the command line to serve beyond this machine")


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a Host header, without its port, brackets or trailing dot, in lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    if header.count(":") == 1:
        header = header.partition(":")[0]
    return header.rstrip(".")


def host_allowed(header: str, allowed: frozenset[str]) -> bool:
    name = host_name(header)
    return bool(name) and (is_loopback(name) or name in allowed)


def create_app(data_dir: Path, embedder_factory: Callable[[], Embedder] | None = None,
               allowed_hosts: Sequence[str] = (), *, token: str | None = None,
               reviewer: str = "reviewer") -> FastAPI:
    """The app for one data folder; `embedder_factory` defaults to the packaged model.

    Requests must name a loopback host or one of `allowed_hosts` in their Host header; others get 421.
    Review actions need `token` when one is given (pipeline/server_reviews.py).
    """
    if embedder_factory is None:
        from index.embedder import SentenceTransformerEmbedder

        embedder_factory = SentenceTransformerEmbedder
    # One store for the process: its connection, theme corpus and embedding model (made on the first
    # free-text query) are kept between requests. They are not thread-safe, and FastAPI runs these
    # handlers on a thread pool: one query at a time.
    store = EvidenceStore(data_dir, embedder_factory)
    queries = threading.Lock()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="evidence browser",
        summary="Quotations, passages and theme evidence from the published evidence base.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    hosts = frozenset(host_name(h) for h in allowed_hosts)

    @app.middleware("http")
    async def only_this_machine(request: Request, call_next: Callable) -> Response:
        if not host_allowed(request.headers.get("host", ""), hosts):
            return PlainTextResponse("This server answers only requests addressed to it by its own name "
                                     "(Host header not allowed).", status_code=421)
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(error)}, status_code=400)

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(render_api_docs(app.openapi()), headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
        })

    @app.exception_handler(EvidenceError)
    async def bad_request(_: Request, error: EvidenceError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=400)

    @app.exception_handler(StoreError)
    async def store_unavailable(_: Request, error: StoreError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=503)

    @app.exception_handler(Exception)
    async def bug(_: Request, error: Exception) -> JSONResponse:
        """Anything outside the EvidenceError tree is a bug: say so; the traceback goes to the server's log."""
        return JSONResponse({"detail": f"internal error ({type(error).__name__}): this is a bug in evidence-pipeline, "
                                       "not a problem with the request; please report it with the traceback from "
                                       "the server's output"}, status_code=500)

    @app.get("/api/theme", response_model=list[ThemeHit], tags=["evidence"])
    def theme(
        theme: Annotated[str, Query(description="A codebook theme name or free text.", max_length=2000)],
        codebook: Annotated[str | None, Query(description="Codebook whose theme THEME names.")] = None,
        k: Annotated[int, Query(ge=1, le=1000, description="How many quotations to return.")] = 10,
        method: Annotated[Method, Query(description="Ranking method.")] = "coded",
        min_score: Annotated[float, Query(ge=0.0, le=1.0, description=(
            "Floor: only quotations whose probability of being evidence for the theme reaches it."))] = 0.5,
        doc: Annotated[Sequence[str], Query(description="Only these documents.", max_length=MAX_VALUES)] = (),
        study: Annotated[Sequence[str], Query(description="Only these studies.", max_length=MAX_VALUES)] = (),
        kind: Annotated[Sequence[Kind], Query(description="Only these kinds of source.", max_length=MAX_VALUES)] = (),
        respondent: Annotated[Sequence[str], Query(description="Only these respondent codes.",
                                                    max_length=MAX_VALUES)] = (),
        where: Annotated[Sequence[str], Query(description="Respondent facet, FACET=VALUE, e.g. site=3.",
                                           max_length=MAX_VALUES)] = (),
        entity: Annotated[Sequence[str], Query(description="Only quotations naming this entity or alias.",
                                            max_length=MAX_VALUES)] = (),
        per_respondent: Annotated[int, Query(ge=1, description="Quotations per respondent in the top 10.")] = 2,
    ) -> Response:
        """Quotations that are evidence for a theme, ranked: the same rows as `evidence theme --json`."""
        filters = QuoteFilter(docs=tuple(doc), studies=tuple(study), kinds=tuple(kind),
                              respondents=tuple(respondent), facets=parse_where(where), entities=tuple(entity))
        with queries:
            answer = store.theme(theme, codebook=codebook, k=k, method=method, where=filters,
                                 respondent_cap=per_respondent, min_score=min_score)
        return _json(answer.hits)

    @app.get("/api/search", response_model=list[PassageHit], tags=["evidence"])
    def search(
        text: Annotated[str, Query(description="What to look for, in your own words.", max_length=2000)],
        k: Annotated[int, Query(ge=1, le=1000, description="How many passages to return.")] = 10,
    ) -> Response:
        """Passages nearest in meaning to the text: the same rows as `evidence search --json`."""
        with queries:
            hits = store.search(text, k)
        return _json(hits)

    @app.get("/api/quotes", response_model=list[QuoteRow], tags=["evidence"])
    def quotes(
        doc: Annotated[str | None, Query(description="Only quotations from this document.")] = None,
        respondent: Annotated[str | None, Query(description="Only this respondent's quotations.")] = None,
        study: Annotated[str | None, Query(description="Only quotations from this study.")] = None,
        kind: Annotated[Kind | None, Query(description="Only this kind of source.")] = None,
        entity: Annotated[str | None, Query(description="Only quotations naming this entity or alias.")] = None,
        where: Annotated[Sequence[str], Query(description="Respondent facet, FACET=VALUE, e.g. site=3.",
                                           max_length=MAX_VALUES)] = (),
        limit: Annotated[int | None, Query(ge=1, le=MAX_ROWS, description="At most this many rows.")] = None,
    ) -> Response:
        """Verbatim quotations in reading order: the same rows as `evidence quotes --json`."""
        chosen = QuoteFilter(docs=_one(doc), studies=_one(study), kinds=_one(kind), respondents=_one(respondent),
                             entities=_one(entity), facets=parse_where(where))
        with queries:
            rows = store.quotes(chosen, limit)
        return _json(rows)

    add_review_routes(app, data_dir, queries, token=token, reviewer=reviewer)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page(
        q: str = "", mode: str = "quotes", codebook: str = "", doc: str = "", study: str = "", kind: str = "",
        respondent: str = "", where: str = "", entity: str = "", k: str = "10", min_score: str = "0.5",
    ) -> HTMLResponse:
        """The search page, with results when a query was given; it checks its own fields, so a bad
        choice is a message in the page rather than a validation error."""
        asked = PageQuery(q=q, mode=mode, codebook=codebook, doc=doc, study=study, kind=kind,
                          respondent=respondent, where=where, entity=entity, k=k, min_score=min_score)
        with queries:
            html, status = render_page(store, asked)
        return HTMLResponse(html, status_code=status, headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        })

    return app


def _json(rows: Sequence[Any]) -> Response:
    """Serialised exactly as `emit(..., as_json=True)` does, so the API and the CLI give the same rows and values."""
    return Response(json.dumps(as_dicts(rows), ensure_ascii=False, default=str), media_type="application/json")


def _validation_message(error: RequestValidationError) -> str:
    """One line naming the first bad parameter and what is wrong with it."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ())[1:]) or "request"
    return f"parameter {where}: {first.get('msg', 'invalid value')}"


def _one(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()
