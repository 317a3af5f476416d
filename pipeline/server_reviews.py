"""The evidence browser's review routes: the document view, and one POST route per reviewer action.

Safety of writes:
- POST only: a link, an image or a prefetch cannot change the evidence.
- Same origin: a write whose Origin (or, without one, Referer) names another site is refused,
  so a page elsewhere cannot submit a form to this server.
- A token when the server listens beyond loopback: every write must carry it, as the
  `evidence_token` cookie (set by opening `/login?token=...` once) or an `X-Evidence-Token`
  header. On loopback no token is needed: only this machine can reach the server.
Each write answers with a redirect back to the page it came from (303, so a reload does not
repeat it), or with JSON when the client asks for JSON.
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from index.review_journal import Review, ReviewError
from ingest.errors import EvidenceError
from pipeline.review_page import REVIEW_SCRIPT, UnknownDocument, gather_document, render_document

TOKEN_COOKIE = "evidence_token"
REVIEWER_COOKIE = "evidence_reviewer"
MAX_FORM_BYTES = 64 * 1024
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; form-action 'self'"


class WriteRefused(EvidenceError):
    """A write that is not same-origin or lacks the token."""


def add_review_routes(app: FastAPI, data_dir: Path, lock: threading.Lock, *, token: str | None,
                      reviewer: str) -> None:
    """Register the document view and the review actions on the browser's app."""

    @app.exception_handler(WriteRefused)
    async def refused(_: Request, error: WriteRefused) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=403)

    @app.exception_handler(UnknownDocument)
    async def unknown(_: Request, error: UnknownDocument) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.get("/doc/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document(doc_id: str, request: Request) -> HTMLResponse:
        """The whole document, its quotations highlighted and each with the reviewer's actions."""
        with lock:
            view = gather_document(data_dir, doc_id)
        return HTMLResponse(render_document(view, _reviewer(request, reviewer)),
                            headers={"Content-Security-Policy": PAGE_POLICY})

    @app.get("/review.js", include_in_schema=False)
    def script() -> Response:
        return Response(REVIEW_SCRIPT, media_type="application/javascript")

    @app.get("/login", include_in_schema=False)
    def login(request: Request) -> Response:
        given = request.query_params.get("token", "")
        if token is None or not secrets.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"detail": "wrong or missing token"}, status_code=403)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    @app.get("/api/reviews", tags=["reviews"])
    def reviews() -> Response:
        """Every decision in the order made: the same rows as `evidence review list --json`."""
        from queries.reviewing.exchange import list_reviews

        return JSONResponse(list_reviews(data_dir))

    @app.get("/api/reviews/orphans", tags=["reviews"])
    def orphans() -> Response:
        """Decisions that no longer find their place, with why: the rows of `evidence review orphans --json`."""
        from queries.reviewing.exchange import list_orphans

        with lock:
            return JSONResponse(list_orphans(data_dir))

    @app.post("/review/quote/{quote_id}/{action}", tags=["reviews"])
    async def quote_action(quote_id: int, action: str, request: Request) -> Response:
        """accept, reject, respondent (code), span (start, end), theme (theme_id or codebook + theme,
        coded 1/0) or memo (memo) on one quotation."""
        from queries.reviewing.actions import review_quote

        form = await _checked_form(request, token)
        value: dict[str, object] = {}
        if action == "respondent":
            value["respondent_code"] = form.get("code", "")
        elif action == "span":
            value.update(char_start=form.get("start"), char_end=form.get("end"))
        elif action == "theme":
            value.update(_theme_choice(data_dir, form), coded=form.get("coded", "1") != "0")
        elif action == "memo":
            value["memo"] = form.get("memo", "")
        with lock:
            done = review_quote(data_dir, quote_id, action, _reviewer(request, reviewer), **value)
        return _answer(request, form, done, f"#card-{quote_id}")

    @app.post("/review/add", tags=["reviews"])
    async def add(request: Request) -> Response:
        """A quotation the extractor missed: doc_id, start, end (and a respondent code)."""
        from queries.reviewing.actions import add_quotation

        form = await _checked_form(request, token)
        with lock:
            done = add_quotation(data_dir, form.get("doc_id", ""), _reviewer(request, reviewer),
                                 char_start=_int(form.get("start")), char_end=_int(form.get("end")),
                                 text=form.get("text") or None, respondent_code=form.get("respondent") or None)
        return _answer(request, form, done, "")

    @app.post("/review/memo/document", tags=["reviews"])
    async def document_memo(request: Request) -> Response:
        from queries.reviewing.actions import memo_document

        form = await _checked_form(request, token)
        with lock:
            done = memo_document(data_dir, form.get("doc_id", ""), form.get("memo", ""), _reviewer(request, reviewer))
        return _answer(request, form, done, "#doc-memo")

    @app.post("/review/memo/respondent", tags=["reviews"])
    async def respondent_memo(request: Request) -> Response:
        from queries.reviewing.actions import memo_respondent

        form = await _checked_form(request, token)
        with lock:
            done = memo_respondent(data_dir, form.get("study", ""), form.get("code", ""), form.get("memo", ""),
                                   _reviewer(request, reviewer))
        return _answer(request, form, done, "")

    @app.post("/review/reviewer", include_in_schema=False)
    async def set_reviewer(request: Request) -> Response:
        form = await _checked_form(request, token)
        name = " ".join(form.get("name", "").split())
        if not name or len(name) > 200:
            raise ReviewError("a reviewer name is 1 to 200 characters")
        response = RedirectResponse(_back(form), status_code=303)
        response.set_cookie(REVIEWER_COOKIE, name, httponly=True, samesite="strict")
        return response


async def _checked_form(request: Request, token: str | None) -> dict[str, str]:
    """The form of a write that passed the origin and token checks (first value of each field)."""
    _check_origin(request)
    if token is not None:
        given = request.headers.get("x-evidence-token") or request.cookies.get(TOKEN_COOKIE) or ""
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise WriteRefused("this server needs a token for changes: open /login?token=... first")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise ReviewError(f"the form is larger than {MAX_FORM_BYTES} bytes")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise ReviewError("the form is not UTF-8") from None
    return {name: values[0] for name, values in fields.items()}


def _check_origin(request: Request) -> None:
    """Refuse a write sent from a page of another origin (the browser names it in Origin or Referer)."""
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return
    parts = urlsplit(claimed)
    host = request.headers.get("host", "")
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != host.lower():
        raise WriteRefused(f"refusing a change sent from another site ({parts.scheme}://{parts.netloc})")


def _theme_choice(data_dir: Path, form: dict[str, str]) -> dict[str, object]:
    if form.get("theme_id"):
        from index.published import open_published

        con, _ = open_published(data_dir, reviewed=False)
        try:
            row = con.execute("SELECT codebook, name FROM themes WHERE CAST(theme_id AS VARCHAR) = ?",
                              [form["theme_id"]]).fetchone()
        finally:
            con.close()
        if row is None:
            raise ReviewError(f"no theme with id {form['theme_id']}")
        return {"codebook": row[0], "theme": row[1]}
    return {"codebook": form.get("codebook") or None, "theme": form.get("theme", "")}


def _reviewer(request: Request, default: str) -> str:
    return request.cookies.get(REVIEWER_COOKIE) or default


def _int(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise ReviewError(f"not a whole number: {value[:20]!r}") from None


def _back(form: dict[str, str]) -> str:
    """Where to send the browser after a write: a path of this server only, never another site."""
    back = form.get("back", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back:
        return "/"
    return back


def _answer(request: Request, form: dict[str, str], done: Review, fragment: str) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(done.to_json())
    return RedirectResponse(_back(form) + fragment, status_code=303)
