"""The one function that turns a Document into the JSON contract, and its inverse.

The contract (one object per article) is what the CLI's ``--format json/jsonl``, the HTTP
API and the corpus store exchange, so it is built in exactly one place.
"""

from __future__ import annotations

import json
from typing import Any

from propscope.document import (
    Document,
    Frame,
    Genre,
    Metadata,
    ModelInfo,
    Paragraph,
    Region,
    Span,
)
from propscope.errors import InputError
from propscope.taxonomy import category_of

SCHEMA_VERSION = "1"


def _r(x: float) -> float:
    return round(float(x), 4)


def model_to_dict(info: ModelInfo) -> dict[str, Any]:
    """The JSON form of ``info``: every field under its own name (analyses, ``/api/health``)."""
    return {"name": info.name, "version": info.version, "trained_on": info.trained_on,
            "calibrated": info.calibrated, "sensitivity": info.sensitivity}


def to_dict(doc: Document, *, include_text: bool = True) -> dict[str, Any]:
    """Serialise ``doc`` to the JSON contract (a dict of plain JSON types)."""
    out: dict[str, Any] = {"id": doc.id, "source": doc.source}
    if include_text:
        out["text"] = doc.text
    out["genre"] = (
        {"label": doc.genre.label, "scores": {k: _r(v) for k, v in doc.genre.scores.items()}}
        if doc.genre
        else None
    )
    out["frames"] = [{"label": f.label, "score": _r(f.score)} for f in doc.frames]
    out["spans"] = [
        {"technique": s.label, "category": category_of(s.label), "start": s.start,
         "end": s.end, "text": doc.span_text(s), "score": _r(s.score)}
        for s in doc.spans
    ]
    out["paragraphs"] = [
        {"line": p.line, "start": p.start, "end": p.end, "techniques": list(p.techniques),
         **({"scores": {k: _r(v) for k, v in p.scores.items()}} if p.scores else {}),
         **({"evidence": {k: [{"start": a, "end": b, "text": doc.text[a:b]} for a, b in v]
                          for k, v in p.evidence.items()}} if p.evidence else {})}
        for p in doc.paragraphs
    ]
    out["boilerplate"] = [{"start": r.start, "end": r.end, "kind": r.kind} for r in doc.boilerplate]
    m = doc.metadata
    out["metadata"] = {"title": m.title, "outlet": m.outlet, "author": m.author,
                       "published": m.published, "url": m.url,
                       "republished_from": m.republished_from}
    out["model"] = model_to_dict(doc.model) if doc.model else None
    return out


def to_json(doc: Document, *, include_text: bool = True, indent: int | None = None) -> str:
    """``to_dict`` as a JSON string (UTF-8 safe, non-ASCII kept)."""
    return json.dumps(to_dict(doc, include_text=include_text), ensure_ascii=False, indent=indent)


def from_dict(data: dict[str, Any]) -> Document:
    """Rebuild a Document from the contract; needs ``text``. Raises ``InputError`` if malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InputError("An analysis record needs a 'text' string to rebuild its document.")
    try:
        md = data.get("metadata") or {}
        doc = Document(data["text"], id=str(data.get("id") or "document"), source=data.get("source"),
                       metadata=Metadata(**{k: md.get(k) for k in Metadata.__slots__}))
        doc.add_spans(Span(s["start"], s["end"], s["technique"], s.get("score", 1.0))
                      for s in data.get("spans") or [])
        doc.paragraphs = [Paragraph(p["line"], p["start"], p["end"], list(p.get("techniques", [])),
                                    dict(p.get("scores", {})),
                                    {k: [(int(e["start"]), int(e["end"])) for e in v]
                                     for k, v in (p.get("evidence") or {}).items()})
                          for p in data.get("paragraphs") or []]
        doc.boilerplate = [Region(r["start"], r["end"], r["kind"]) for r in data.get("boilerplate") or []]
        if data.get("genre"):
            doc.genre = Genre(data["genre"]["label"], dict(data["genre"].get("scores", {})))
        doc.frames = [Frame(f["label"], f["score"]) for f in data.get("frames") or []]
        if data.get("model"):
            doc.model = ModelInfo(**data["model"])
    except (KeyError, TypeError) as exc:
        raise InputError(f"Malformed analysis record: {exc!r}.") from exc
    return doc
