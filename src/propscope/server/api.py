"""The HTTP API: analyse one or many documents, keep analyses, describe the taxonomy.

Every analysis answer is the CLI's JSON contract (``propscope.serialize.to_dict``); the
schema is in ``openapi.py`` and served at ``/api/openapi.json``. The analysing routes take
``?sensitivity=LEVEL`` (``sensitivity.py``); without it the server's configured
level applies.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from propscope.document import Document
from propscope.errors import SettingError
from propscope.models.quality import ModelQuality, add_quality
from propscope.render.html import darken
from propscope.render.summary import GENRE_RULE, display
from propscope.sensitivity import resolve_sensitivity
from propscope.serialize import SCHEMA_VERSION, model_to_dict, to_dict
from propscope.server.errors import HTTPError, clipped
from propscope.server.inputs import documents
from propscope.server.openapi import openapi_schema
from propscope.server.state import state_of
from propscope.taxonomy import FRAMES, GENRES, taxonomy_json
from propscope.version import __version__

log = logging.getLogger("propscope.server")


async def _analyze(request: Request, *, batch: bool) -> list[Document]:
    state = state_of(request)
    level = _sensitivity(request)  # before any page is fetched for a request that will fail
    docs = await documents(request, state.config.server, state.config.fetch, state.config.analyzer.max_bytes,
                           batch=batch)
    analyzer = (await state.get_analyzer()).with_sensitivity(level)
    # The model is CPU-bound: run it in a worker thread, a bounded number at a time, so the
    # event loop keeps answering health checks and other clients meanwhile.
    return await anyio.to_thread.run_sync(lambda: list(analyzer.analyze_each(docs, _fail)),
                                          limiter=state.limiter)


def _fail(doc: Document, exc: Exception) -> None:
    """A request fails with its first document that cannot be analysed (``status_for``)."""
    raise exc


def _sensitivity(request: Request) -> str | None:
    """The ``sensitivity`` query parameter, checked (422 naming the levels when invalid)."""
    value = request.query_params.get("sensitivity")
    if value is None or not value.strip():
        return None
    try:
        resolve_sensitivity(value)
    except SettingError as exc:
        raise HTTPError(422, f"sensitivity: {exc}") from exc
    return value


async def analyze(request: Request) -> JSONResponse:
    """POST /api/analyze: one document in, its analysis out."""
    (doc,) = await _analyze(request, batch=False)
    return JSONResponse(to_dict(doc))


async def analyze_batch(request: Request) -> JSONResponse:
    """POST /api/analyze/batch: up to ``max_batch`` documents, analysed in order."""
    docs = await _analyze(request, batch=True)
    return JSONResponse({"documents": [to_dict(d) for d in docs]})


# Said to the client when an analysis cannot be kept; the server log has the cause.
NOT_KEPT = ("This analysis has no permalink: the server could not keep it (its store of "
            "analyses is full or cannot be written).")


async def create_analysis(request: Request) -> JSONResponse:
    """POST /api/analyses: analyse one document and keep it under a permalink (200 with an
    ``X-Analysis-Not-Kept`` note instead of 201 when the analysis cannot be kept)."""
    (doc,) = await _analyze(request, batch=False)
    record = to_dict(doc)
    try:
        analysis_id = await anyio.to_thread.run_sync(state_of(request).store.put, record)
    except OSError as exc:
        # A full disk or an unwritable folder costs the permalink, not the analysis.
        log.warning("Analysis not kept for a permalink: %s", exc)
        return JSONResponse(record, headers={"X-Analysis-Not-Kept": NOT_KEPT})
    return JSONResponse(record, status_code=201,
                        headers={"Location": f"/a/{analysis_id}", "X-Analysis-Id": analysis_id})


async def get_analysis(request: Request) -> JSONResponse:
    """GET /api/analyses/{id}: a kept analysis."""
    record = state_of(request).store.get(request.path_params["analysis_id"])
    if record is None:
        raise HTTPError(404, f"No analysis with id {clipped(request.path_params['analysis_id'])!r}.")
    return JSONResponse(record)


def taxonomy(quality: ModelQuality | None = None) -> dict[str, Any]:
    """The taxonomy as JSON: categories (with colours), techniques (with a model's recorded
    detection rates, see ``models/quality.py``), frames, genres, ``display`` (how the reports
    show an analysis, for the page to do the same) and ``genre_rule``: why a
    genre may be chosen over one that scores higher. ``trainable`` repeats ``predicted``
    under the name this API used first; ``line`` is the colour of a technique's underline."""
    data = add_quality(taxonomy_json(), quality)
    # ``line``: the colour of its underline, as the HTML report darkens it (render/html.py).
    data["techniques"] = [t | {"trainable": t["predicted"], "line": darken(t["color"])}
                          for t in data["techniques"]]
    return data | {"frames": list(FRAMES), "genres": list(GENRES), "genre_rule": GENRE_RULE,
                   "display": display()}


async def techniques(request: Request) -> JSONResponse:
    """GET /api/techniques: the taxonomy, and how well the served model finds each technique."""
    return JSONResponse(taxonomy(await state_of(request).quality()))


def _model_info(request: Request) -> dict[str, Any] | None:
    info = state_of(request).model_info()
    return None if info is None else model_to_dict(info)


async def health(request: Request) -> JSONResponse:
    """GET /api/health: whether the model is loaded and requests can be served."""
    model = _model_info(request)
    return JSONResponse({"status": "ok" if model else "loading", "model": model})


async def version(request: Request) -> JSONResponse:
    """GET /api/version: package, JSON contract and model versions."""
    return JSONResponse({"propscope": __version__, "schema_version": SCHEMA_VERSION,
                         "model": _model_info(request)})


async def openapi(request: Request) -> JSONResponse:
    """GET /api/openapi.json: the OpenAPI 3.1 description of this API."""
    return JSONResponse(openapi_schema(state_of(request).config.server))


routes = [
    Route("/api/analyze", analyze, methods=["POST"]),
    Route("/api/analyze/batch", analyze_batch, methods=["POST"]),
    Route("/api/analyses", create_analysis, methods=["POST"]),
    Route("/api/analyses/{analysis_id}", get_analysis, methods=["GET"]),
    Route("/api/techniques", techniques, methods=["GET"]),
    Route("/api/health", health, methods=["GET"]),
    Route("/api/version", version, methods=["GET"]),
    Route("/api/openapi.json", openapi, methods=["GET"]),
]
