"""The web page, permalinks, downloads and the token login form.

Pages are Jinja templates with autoescaping and no inline script; the page's script builds
the highlighted article from the API's JSON with ``textContent`` only, so article text can
never become markup.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import anyio.to_thread
import jinja2
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from propscope.render.printable import finalize
from propscope.sensitivity import LEVEL_TEXT, LEVELS, resolve_sensitivity
from propscope.serialize import from_dict, to_json
from propscope.server.errors import HTTPError, clipped
from propscope.server.security import set_session_cookie, token_matches
from propscope.server.state import state_of
from propscope.version import __version__

log = logging.getLogger("propscope.server")

HERE = Path(__file__).parent
templates = Jinja2Templates(env=jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=finalize))


def _sensitivity_options(configured: str) -> list[dict[str, object]]:
    """The page's level choices (``sensitivity.py``), the server's own selected; a
    configured shift without a name gets an option of its own."""
    shift = resolve_sensitivity(configured)
    options: list[dict[str, object]] = [
        {"value": name, "shift": f"{value:g}", "text": f"{name} — {LEVEL_TEXT[name]}",
         "selected": value == shift} for name, value in LEVELS.items()]
    if not any(o["selected"] for o in options):
        options.append({"value": f"{shift:g}", "shift": f"{shift:g}", "selected": True,
                        "text": f"{shift:g} — this server's setting"})
    return options


def _page(request: Request, name: str, code: int = 200, headers: dict[str, str] | None = None,
          **context: object) -> Response:
    state = state_of(request)
    server = state.config.server
    return templates.TemplateResponse(request, name, {
        "version": __version__, "model": state.model_info(), "analysis_id": "",
        "max_body_bytes": server.max_body_bytes,
        "sensitivity_levels": _sensitivity_options(state.config.analyzer.sensitivity),
        "corpus_enabled": bool(server.corpus_db), **context}, status_code=code, headers=headers)


def error_page(request: Request, status: int, message: str,
               headers: dict[str, str] | None = None) -> Response:
    """An error as a page, for browsers; the API answers the same errors as JSON."""
    return _page(request, "error.html", status, headers, status=status, message=message)


async def index(request: Request) -> Response:
    """GET /: the page where an article is pasted, uploaded or fetched."""
    return _page(request, "index.html")


def _record(request: Request) -> dict[str, object]:
    analysis_id = request.path_params["analysis_id"]
    record = state_of(request).store.get(analysis_id)
    if record is None:
        raise HTTPError(404, f"No analysis with id {clipped(analysis_id)!r}; it may have been made on "
                             "another server or its store folder was cleared.")
    return record


async def permalink(request: Request) -> Response:
    """GET /a/{id}: the page showing a kept analysis."""
    _record(request)
    return _page(request, "index.html", analysis_id=request.path_params["analysis_id"])


def _download_name(record: dict[str, object], ext: str) -> str:
    # The document id comes from the client: keep it to a safe file-name alphabet.
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", str(record.get("id") or "analysis")).strip("._")
    return f"{stem[:80] or 'analysis'}.propscope.{ext}"


def _attachment(body: str, media: str, filename: str) -> Response:
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def download_json(request: Request) -> Response:
    """GET /a/{id}.json: the analysis as a JSON file (the CLI's contract)."""
    record = _record(request)
    body = to_json(from_dict(record), indent=2)
    return _attachment(body, "application/json", _download_name(record, "json"))


async def download_html(request: Request) -> Response:
    """GET /a/{id}.html: the self-contained HTML report of the analysis."""
    from propscope.render.html import render_html

    record = _record(request)
    doc = from_dict(record)
    if doc.model is not None:  # the served model's rates; none if another model made it
        doc.model = doc.model.with_quality(await state_of(request).quality())
    body = await anyio.to_thread.run_sync(render_html, doc)
    return _attachment(body, "text/html; charset=utf-8", _download_name(record, "html"))


# The corpus report is one self-contained document with inline styles and data: images and
# no script at all, so its page gets a policy that allows exactly that and nothing more.
CORPUS_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _corpus_report(db: str) -> str:
    from propscope.corpus.report import render_report
    from propscope.corpus.store import CorpusStore

    with CorpusStore(db, read_only=True) as store:
        return render_report(store)


async def corpus(request: Request) -> Response:
    """GET /corpus: the corpus report (profiles, time series, reuse) of the configured store."""
    db = state_of(request).config.server.corpus_db
    if not db:
        raise HTTPError(404, "No corpus is configured: build one with `propscope corpus ingest` "
                             "and start the server with `propscope serve --corpus-db FILE`.")
    if not Path(db).expanduser().is_file():
        raise HTTPError(404, f"The corpus file {db} does not exist.")
    from propscope.corpus.store import StoreError, StoreLockedError

    try:
        body = await anyio.to_thread.run_sync(_corpus_report, str(Path(db).expanduser()))
    except StoreError as exc:
        # An ingest holds the file while it writes (the daily workflow): a wait, not a fault.
        # The details (paths, the other process's id) go to the log, not to the browser.
        log.warning("Corpus report unavailable: %s", exc)
        if isinstance(exc, StoreLockedError):
            raise HTTPError(503, "The corpus is being updated by another process; try again in "
                                 "a minute.", headers={"Retry-After": "60"}) from exc
        raise HTTPError(503, "The corpus database cannot be read; the server log says why.") from exc
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": CORPUS_CSP})


async def login(request: Request) -> Response:
    """GET/POST /login: the token form; a right token sets the session cookie."""
    token = state_of(request).config.server.token
    if not token:
        return RedirectResponse("/", status_code=303)
    failed = request.query_params.get("failed") == "1"
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
        given = form.get("token")
        if isinstance(given, str) and token_matches(given, token):
            response = RedirectResponse("/", status_code=303)
            set_session_cookie(response, token)
            return response
        failed = True
    return _page(request, "login.html", 401 if failed else 200, failed=failed)


routes = [
    Route("/", index, methods=["GET"]),
    Route("/a/{analysis_id}.json", download_json, methods=["GET"]),
    Route("/a/{analysis_id}.html", download_html, methods=["GET"]),
    Route("/a/{analysis_id}", permalink, methods=["GET"]),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/corpus", corpus, methods=["GET"]),
    Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
]
