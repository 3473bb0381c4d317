"""Turn an HTTP request (JSON or multipart upload) into Documents, through ingestion.

Requests are validated field by field with messages that name the field, so a client sees
*what* is wrong (400 for a body that is not JSON at all, 415 for a content type or file type
the API does not read, 422 for a well-formed request with invalid fields). Text, uploads and
fetched pages all go through ``propscope.ingest``; nothing here extracts text itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath
from typing import Any

from anyio import to_thread
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from propscope.config import FetchConfig, ServerConfig
from propscope.document import GIVEN, METADATA_FIELDS, Document
from propscope.errors import InputError, PropscopeError
from propscope.ingest.fetch import fetch_url, read_page
from propscope.ingest.jsonl import lone_surrogate
from propscope.server.errors import HTTPError, status_for

FORMATS = ("txt", "md", "html")
ITEM_FIELDS = ("text", "url", "id", "format", "metadata", "lang")
# Uploads the page and API read; JSONL (several documents) only makes sense in a batch.
UPLOAD_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")


@dataclass
class Item:
    """One document asked for: pasted ``text`` or a ``url`` to fetch, plus id and metadata."""

    where: str  # how to name this item in messages ("body", "documents[3]")
    text: str | None = None
    url: str | None = None
    id: str | None = None
    fmt: str = "txt"
    metadata: dict[str, str | None] = field(default_factory=dict)
    lang: str | None = None  # the text's language (ISO 639-1), instead of detecting it


def _invalid(where: str, message: str) -> HTTPError:
    return HTTPError(422, f"{where}: {message}")


def _opt_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise _invalid(where, f"'{key}' must be a string, got {type(value).__name__}.")
    return value


def parse_item(obj: Any, where: str) -> Item:
    """Validate one JSON document request ``{"text"|"url", "id", "format", "metadata"}``."""
    if not isinstance(obj, dict):
        raise _invalid(where, f"expected a JSON object, got {type(obj).__name__}.")
    unknown = sorted(set(obj) - set(ITEM_FIELDS))
    if unknown:
        raise _invalid(where, f"unknown field(s) {unknown}; allowed: {list(ITEM_FIELDS)}.")
    text, url = _opt_str(obj, "text", where), _opt_str(obj, "url", where)
    if (text is None) == (url is None):
        raise _invalid(where, "give exactly one of 'text' (the article) or 'url' (a page to fetch).")
    # null stands for a field left out; any other value must have the field's type ("" is
    # no format, [] or false no metadata object).
    fmt = _opt_str(obj, "format", where)
    fmt = "txt" if fmt is None else fmt
    if fmt not in FORMATS:
        raise _invalid(where, f"'format' must be one of {list(FORMATS)}, got {fmt!r}.")
    meta = obj.get("metadata")
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        raise _invalid(where, f"'metadata' must be an object, got {type(meta).__name__}.")
    bad = sorted(set(meta) - set(METADATA_FIELDS))
    if bad:
        raise _invalid(where, f"unknown metadata field(s) {bad}; allowed: {list(METADATA_FIELDS)}.")
    for key in meta:
        _opt_str(meta, key, f"{where}.metadata")
    lang = _opt_str(obj, "lang", where)
    if lang is not None and not (len(lang) == 2 and lang.isascii() and lang.isalpha() and lang.islower()):
        raise _invalid(where, f"'lang' is a two-letter ISO 639-1 code such as 'fr', got {lang[:20]!r}.")
    return Item(where=where, text=text, url=url, id=_opt_str(obj, "id", where), fmt=fmt,
                metadata=dict(meta), lang=lang)


async def read_json(request: Request) -> Any:
    """The request body parsed as JSON; 400 when it is not valid JSON."""
    body = await request.body()
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:  # ValueError: JSONDecodeError, or an
        # integer of more than 4,300 digits
        raise HTTPError(400, f"Request body is not valid JSON: {exc}.") from exc
    except RecursionError as exc:
        raise HTTPError(400, "Request body is not valid JSON: nested too deeply.") from exc
    # An escaped lone surrogate ("\ud800") parses but is no character: refused here, not
    # after the analysis, when the answer could not be encoded (a 500 before).
    if (bad := lone_surrogate(parsed)) is not None:
        raise HTTPError(400, f"Request body is not valid JSON text: the string escape {bad} is "
                             "half of a surrogate pair, not a character.")
    return parsed


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _wrong_type(request: Request) -> HTTPError:
    return HTTPError(415, f"Content-Type {media_type(request) or 'none'!r} is not accepted: send "
                          "application/json or multipart/form-data with a 'file' field.")


def _apply_metadata(doc: Document, item: Item) -> Document:
    doc.metadata.set_from(GIVEN, **item.metadata)
    doc.language = item.lang or doc.language
    return doc


async def _item_documents(item: Item, fetch: FetchConfig, max_bytes: int) -> list[Document]:
    from propscope import ingest

    if item.url is not None:
        page = await fetch_url(item.url, fetch)
        docs = await to_thread.run_sync(partial(read_page, page, max_bytes=max_bytes))
        for doc in docs:
            if item.id:
                doc.id = item.id
    else:
        assert item.text is not None
        # Extraction (HTML above all) is CPU work: keep it off the event loop too.
        docs = [await to_thread.run_sync(
            partial(ingest.read_text, item.text, id=item.id or "document", fmt=item.fmt))]
    return [_apply_metadata(d, item) for d in docs]


# Ingestion's advice names the CLI option; an upload sets the same thing in a form field.
_CLI_ENCODING = [(re.compile(r"pass --encoding ([\w-]+)"), r"send the form field encoding=\1"),
                 (re.compile(r"--encoding auto, to guess file by file"), "encoding=auto, to guess"),
                 (re.compile(r"pass --encoding"), "send an 'encoding' form field"),
                 (re.compile(r"--encoding"), "'encoding' field")]


def _upload_advice(exc: InputError) -> InputError:
    """``exc`` with its ``--encoding`` advice told as the upload's form field."""
    message = str(exc)
    for pattern, repl in _CLI_ENCODING:
        message = pattern.sub(repl, message)
    return type(exc)(message)


async def _upload_documents(upload: UploadFile, doc_id: str | None, encoding: str | None,
                            max_bytes: int) -> list[Document]:
    from propscope import ingest

    name = PurePosixPath(upload.filename or "upload.txt").name
    if PurePosixPath(name).suffix.lower() not in UPLOAD_EXTENSIONS:
        raise HTTPError(415, f"{name}: files of this type are not read; upload one of "
                             f"{', '.join(UPLOAD_EXTENSIONS)}.")
    data = await upload.read()
    try:
        docs = await to_thread.run_sync(partial(ingest.read_bytes, data, name=name,
                                                max_bytes=max_bytes, encoding=encoding))
    except InputError as exc:
        raise _upload_advice(exc) from exc
    if doc_id:
        for d in docs:
            d.id = doc_id
    return docs


async def documents(request: Request, config: ServerConfig, fetch: FetchConfig, max_bytes: int, *,
                    batch: bool) -> list[Document]:
    """Read the documents a request asks to analyse (one unless ``batch``); pages named by URL
    are fetched within ``fetch``'s limits.

    JSON bodies are one item (``/api/analyze``) or ``{"documents": [item, ...]}`` (batch);
    multipart bodies carry the article(s) in ``file`` fields and an optional ``id``.
    """
    kind = media_type(request)
    limit = config.max_batch if batch else 1
    docs: list[Document] = []
    if kind == "application/json":
        body = await read_json(request)
        if batch:
            if not isinstance(body, dict) or not isinstance(body.get("documents"), list):
                raise _invalid("body", "expected {\"documents\": [...]} with a list of documents.")
            if set(body) - {"documents"}:
                raise _invalid("body", f"unknown field(s) {sorted(set(body) - {'documents'})}.")
            raw = body["documents"]
            if not raw:
                raise _invalid("documents", "the list is empty; send at least one document.")
            _check_count(len(raw), limit)
            items = [parse_item(o, f"documents[{i}]") for i, o in enumerate(raw)]
        else:
            items = [parse_item(body, "body")]
        for item in items:
            try:
                docs.extend(await _item_documents(item, fetch, max_bytes))
            except PropscopeError as exc:
                _name_item(exc, item.where if batch else "")
    elif kind == "multipart/form-data":
        try:
            form = await request.form(max_files=limit, max_fields=16,
                                      max_part_size=config.max_body_bytes)
        except HTTPException as exc:
            if "Too many files" in str(exc.detail):
                raise (_too_many(limit) if batch else _one_only("several")) from exc
            raise
        uploads = [f for f in form.getlist("file") if isinstance(f, UploadFile)]
        if not uploads:
            raise _invalid("body", "multipart request has no 'file' field holding an uploaded file.")
        if not batch and len(uploads) > 1:
            raise _one_only(len(uploads))
        _check_count(len(uploads), limit)
        doc_id, encoding = form.get("id"), form.get("encoding")
        if encoding is not None and not (isinstance(encoding, str) and encoding.strip()):
            raise _invalid("encoding", "expected a codec name such as cp1252 or latin-1.")
        for upload in uploads:
            docs.extend(await _upload_documents(upload, doc_id if isinstance(doc_id, str) else None,
                                                encoding.strip() if encoding else None, max_bytes))
    else:
        raise _wrong_type(request)
    if not batch and len(docs) != 1:
        raise _one_only(len(docs))
    _check_count(len(docs), limit)
    return docs


def _one_only(n: int | str) -> HTTPError:
    # Not max_batch's error: raising it would not let a second document in.
    return _invalid("body", f"the input holds {n} documents, and this analyses one: send them "
                            "to /api/analyze/batch, or analyse the file with `propscope analyze "
                            "FILE`.")


def _too_many(limit: int, n: int | None = None) -> HTTPError:
    sent = f"{n} documents sent" if n is not None else "Too many documents sent"
    return HTTPError(413, f"{sent}; at most {limit} are analysed per request "
                          "(max_batch / PROPSCOPE_MAX_BATCH).")


def _check_count(n: int, limit: int) -> None:
    if n > limit:
        raise _too_many(limit, n)


def _name_item(exc: PropscopeError, where: str) -> None:
    # In a batch, say which document failed; the status stays the one its error maps to.
    if not where:
        raise exc
    message = exc.message if isinstance(exc, HTTPError) else str(exc)
    raise HTTPError(status_for(exc), f"{where}: {message}") from exc
