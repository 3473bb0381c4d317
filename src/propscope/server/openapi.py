"""The OpenAPI 3.1 description of the HTTP API, written out by hand so it says exactly what
the handlers do; tests validate it against the OpenAPI meta-schema, check real responses
against it and fuzz the API from it.
"""

from __future__ import annotations

from typing import Any

from propscope.config import ServerConfig
from propscope.document import METADATA_FIELDS
from propscope.sensitivity import LEVELS, LIMIT
from propscope.server.inputs import FORMATS
from propscope.version import __version__

JSON = "application/json"
_STR = {"type": "string"}
_NSTR = {"type": ["string", "null"]}
_SCORE = {"type": "number", "minimum": 0, "maximum": 1}
_INT0 = {"type": "integer", "minimum": 0}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(props: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(props) if required is None
            else required, **extra}


def _schemas(config: ServerConfig) -> dict[str, Any]:
    document_request = {
        **_obj({"text": {**_STR, "pattern": r"\S", "description": "The article text."},
                "url": {**_STR, "description": "An http(s) page to fetch and analyse instead of text."},
                "lang": {**_STR, "pattern": "^[a-z]{2}$", "description": (
                    "The text's language (ISO 639-1); detected when not given.")},
                "id": {**_STR, "description": "Identifier echoed in the analysis (default 'document')."},
                "format": {"enum": list(FORMATS), "default": "txt",
                           "description": "How to read `text`: plain, markdown or HTML."},
                "metadata": _ref("Metadata")}, required=[], additionalProperties=False),
        "oneOf": [{"required": ["text"], "not": {"required": ["url"]}},
                  {"required": ["url"], "not": {"required": ["text"]}}],
    }
    rates = _obj({"precision": _SCORE, "recall": _SCORE, "support": _INT0, "predicted": _INT0},
                 description="Out-of-sample precision and recall (spans: by partial overlap), "
                             "annotated examples (support) and the model's labels (predicted).")
    model = _obj({"name": _STR, "version": _STR, "trained_on": _STR,
                  "calibrated": {"type": "boolean", "description": (
                      "Scores are calibrated probabilities: a span's score estimates the chance "
                      "that it overlaps a gold span of its technique, so sums of scores estimate "
                      "counts of correct detections.")},
                  "sensitivity": {"type": "number", "minimum": -LIMIT, "maximum": LIMIT, "description": (
                      "How far the span and paragraph-label thresholds were moved, in logits "
                      "(0: the calibrated thresholds; positive: more labels).")},
                  "languages": {"type": "array", "items": _STR, "description": (
                      "ISO 639-1 codes of the languages the model learnt from.")},
                  "transfer": {"type": "array", "items": _STR, "description": (
                      "Languages it analyses without having learnt from them.")}},
                 required=["name", "version", "trained_on"])
    language = _obj({"code": _NSTR, "name": _NSTR, "detected": {"type": "boolean"},
                     "confidence": {"oneOf": [{"type": "null"}, _SCORE]}, "note": _NSTR,
                     "support": {"oneOf": [{"type": "null"}, {"enum": [
                         "trained", "transfer", "unsupported", "unknown"]}]}},
                    description="The text's language (ISO 639-1; null if it could not be told) "
                                "and how the model reads it: unsupported languages are not analysed.")
    voice = {"quote": {"type": ["integer", "null"], "minimum": 0, "description": (
                 "Index in `quotes` of the quotation the words are in; null: the outlet's own "
                 "voice.")},
             "speaker": {**_NSTR, "description": "That quotation's speaker; null for the "
                         "outlet's voice or a quotation whose speaker the text does not name."}}
    return {
        "Error": _obj({"error": _obj({"status": {"type": "integer"}, "message": _STR})}),
        "Metadata": _obj({k: _NSTR for k in METADATA_FIELDS}, required=[], additionalProperties=False),
        "DocumentRequest": document_request,
        "BatchRequest": _obj({"documents": {"type": "array", "items": _ref("DocumentRequest"),
                                            "minItems": 1, "maxItems": config.max_batch}},
                             additionalProperties=False),
        "Upload": _obj({"file": {**_STR, "contentMediaType": "application/octet-stream",
                                 "description": "A .txt, .md or .html article."},
                        "id": _STR,
                        "encoding": {**_STR, "description": "The file's text encoding when it "
                                     "is not UTF-8 (a Python codec name such as cp1252)."}},
                       required=["file"]),
        "Model": model,
        "Analysis": _obj({
            "id": _STR, "source": _NSTR, "text": _STR, "language": language,
            "notes": {"type": "array", "items": _STR, "description": (
                "What a reader must know before trusting the analysis (a language the model "
                "does not read, ...), in words.")},
            "genre": {"oneOf": [{"type": "null"}, _obj({"label": _STR, "scores": {
                "type": "object", "additionalProperties": _SCORE}})]},
            "frames": {"type": "array", "items": _obj({"label": _STR, "score": _SCORE})},
            "spans": {"type": "array", "items": _obj({
                "technique": _STR, "category": _STR, "start": _INT0, "end": _INT0, "text": _STR,
                "score": _SCORE, **voice})},
            "paragraphs": {"type": "array", "items": _obj(
                {"line": _INT0, "start": _INT0, "end": _INT0,
                 "techniques": {"type": "array", "items": _STR},
                 "scores": {"type": "object", "additionalProperties": _SCORE},
                 "evidence": {"type": "object", "additionalProperties": {"type": "array", "items": _obj(
                     {"start": _INT0, "end": _INT0, "text": _STR})}},
                 "voices": {"type": "object", "additionalProperties": _obj(voice), "description": (
                     "Per technique label: whose voice it is in (its evidence's quotation, else "
                     "the quotation holding most of the paragraph).")}},
                required=["line", "start", "end", "techniques"])},
            "quotes": {"type": "array", "items": _obj(
                {"start": _INT0, "end": _INT0, "text": _STR,
                 "speaker": {**_NSTR, "description": "The speaker's name as the article writes it, "
                             "pronouns and roles resolved; null where the text names nobody."},
                 "speaker_start": {"type": ["integer", "null"], "minimum": 0},
                 "speaker_end": {"type": ["integer", "null"], "minimum": 0},
                 "cue": {**_NSTR, "description": "The reporting word (says, told, according to)."},
                 "confidence": _SCORE},
                required=["start", "end", "speaker"]),
                "description": "Direct quotations: the words inside the quote marks."},
            "boilerplate": {"type": "array", "items": _obj({"start": _INT0, "end": _INT0, "kind": _STR})},
            "metadata": _obj({**{k: _NSTR for k in METADATA_FIELDS}, "sources": {
                "type": "object", "additionalProperties": _STR,
                "description": "Where each known metadata value came from: the article's own "
                               "lines (title line, byline, dateline, syndication header or "
                               "footer), the page, the feed, or given."}}),
            "model": {"oneOf": [{"type": "null"}, model]},
        }),
        "Batch": _obj({"documents": {"type": "array", "items": _ref("Analysis")}}),
        "Taxonomy": _obj({
            "categories": {"type": "array", "items": _obj(
                {"name": _STR, "title": _STR, "color": _STR, "description": _STR})},
            "techniques": {"type": "array", "items": _obj(
                {"name": _STR, "title": _STR, "category": _STR, "definition": _STR,
                 "example": _STR, "predicted": {"type": "boolean"},
                 "trainable": {"type": "boolean", "description": "The same as `predicted`."},
                 "note": _STR,
                 "tag": {**_STR, "description": "The two letters marking its highlights."},
                 "color": {**_STR, "description": "Its highlight's colour, a shade of its "
                                                  "category's."},
                 "underline": {**_STR, "description": "Its underline pattern, one of "
                                                      "display.underlines."},
                 "line": {**_STR, "description": "Its underline's colour."},
                 "quality": {"oneOf": [{"type": "null"}, _obj({
                     "found": {"type": "boolean", "description":
                               "Whether the model labelled the technique at all out of sample."},
                     "paragraphs": rates, "spans": {"oneOf": [{"type": "null"}, rates]},
                     "summary": _STR})],
                     "description": "How well the served model finds the technique on articles "
                                    "it had not seen; null where it was not scored."}},
                required=["name", "title", "category", "definition", "example", "predicted",
                          "trainable", "quality", "tag", "color", "underline", "line"])},
            "quality": {"oneOf": [{"type": "null"}, _obj(
                {"model": _STR, "scored_by": _STR, "articles": _INT0, "summary": _STR})]},
            "frames": {"type": "array", "items": _STR},
            "genres": {"type": "array", "items": _STR},
            "genre_rule": {**_STR, "description": "Why a genre may be chosen over one that "
                                                  "scores higher (the reports' genre note)."},
            "display": {**_obj({"title_limit": _INT0, "underline_darken": {"type": "number"},
                                "underlines": {"type": "object", "additionalProperties": _obj(
                                    {"image": _STR, "height": _INT0})}}),
                        "description": "How the reports show an analysis, for the page to show it "
                                       "the same way."}}),
        "Health": _obj({"status": {"enum": ["ok", "loading"]},
                        "model": {"oneOf": [{"type": "null"}, model]}}),
        "Version": _obj({"propscope": _STR, "schema_version": _STR,
                         "model": {"oneOf": [{"type": "null"}, model]}}),
    }


_ERRORS = {
    "400": "The body is not valid JSON or not a readable multipart form.",
    "401": "An API token is configured and the request did not carry it.",
    "403": "A cross-origin write was refused.",
    "404": "No such analysis.",
    "413": "The body, an upload, a fetched page or the number of documents is above its limit.",
    "415": "The content type, the file type or the fetched page's type is not accepted.",
    "422": "The request is well-formed but a field is invalid (named in the message).",
    "429": "The configured per-client rate limit was reached; see Retry-After.",
    "500": "An unexpected error; the message names its type and the server log has the details.",
    "502": "The page at `url` could not be fetched.",
    "503": "The model could not be loaded.",
    "504": "Fetching the page at `url` took too long.",
}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes}


def _ok(schema: str, description: str, status: int = 200) -> dict[str, Any]:
    return {str(status): {"description": description, "content": {JSON: {"schema": _ref(schema)}}}}


_SENSITIVITY = {
    "name": "sensitivity", "in": "query", "required": False,
    "schema": {"type": "string", "examples": [*LEVELS, "0.8"]},
    "description": (f"How readily spans and paragraph labels are given: {', '.join(LEVELS)} or a "
                    f"shift of every threshold in logits from {-LIMIT:g} to {LIMIT:g}; default: the "
                    "server's setting (balanced, the calibrated thresholds). Genre and frames are "
                    "not affected."),
}


def _analysis_op(summary: str, request: str, ok: dict[str, Any], *, upload: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "parameters": [_SENSITIVITY],
        "requestBody": {"required": True, "content": {
            JSON: {"schema": _ref(request)},
            "multipart/form-data": {"schema": _ref(upload)},
        }},
        "responses": {**ok, **_errors(400, 401, 403, 413, 415, 422, 429, 500, 502, 503, 504)},
    }


def openapi_schema(config: ServerConfig) -> dict[str, Any]:
    """The OpenAPI 3.1 document for a server running with ``config``."""
    get = _errors(401, 429, 500)
    batch_upload = _obj({"file": {"type": "array", "minItems": 1, "maxItems": config.max_batch,
                                  "items": {**_STR, "contentMediaType": "application/octet-stream"}}},
                        required=["file"])
    schemas = _schemas(config)
    schemas["BatchUpload"] = batch_upload
    return {
        "openapi": "3.1.0",
        "info": {"title": "propscope", "version": __version__,
                 "description": "Find persuasion techniques, genre and frames in news articles."},
        "paths": {
            "/api/analyze": {"post": _analysis_op(
                "Analyse one document", "DocumentRequest",
                _ok("Analysis", "The analysis, in the CLI's JSON contract."), upload="Upload")},
            "/api/analyze/batch": {"post": _analysis_op(
                f"Analyse up to {config.max_batch} documents", "BatchRequest",
                _ok("Batch", "One analysis per document, in order."), upload="BatchUpload")},
            "/api/analyses": {"post": _analysis_op(
                "Analyse one document and keep it under a permalink", "DocumentRequest",
                {"201": {"description": "Kept; `Location` is the permalink page.",
                         "headers": {"Location": {"schema": _STR}, "X-Analysis-Id": {"schema": _STR}},
                         "content": {JSON: {"schema": _ref("Analysis")}}},
                 "200": {"description": "Analysed but not kept (the server's store is full or "
                                        "cannot be written): no permalink; "
                                        "`X-Analysis-Not-Kept` says so.",
                         "headers": {"X-Analysis-Not-Kept": {"schema": _STR}},
                         "content": {JSON: {"schema": _ref("Analysis")}}}}, upload="Upload")},
            "/api/analyses/{analysis_id}": {"get": {
                "summary": "A kept analysis",
                "parameters": [{"name": "analysis_id", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^[0-9a-f]{20}$"}}],
                "responses": {**_ok("Analysis", "The kept analysis."), **_errors(404), **get}}},
            "/api/techniques": {"get": {"summary": "The taxonomy", "responses": {
                **_ok("Taxonomy", "Categories, techniques, frames and genres."), **get}}},
            "/api/health": {"get": {"summary": "Liveness and model state", "responses": {
                **_ok("Health", "The server is up."), **get}}},
            "/api/version": {"get": {"summary": "Versions", "responses": {
                **_ok("Version", "Package, JSON contract and model versions."), **get}}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": {
                "200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {"type": "object"}}}},
                **get}}},
        },
        "components": {
            "schemas": schemas,
            "responses": {f"E{code}": {"description": text, "content": {JSON: {"schema": _ref("Error")}}}
                          for code, text in _ERRORS.items()},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        **({"security": [{"bearer": []}]} if config.token else {}),
    }
