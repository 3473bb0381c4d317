"""The one function that turns a Document into the JSON contract, and its inverse.

The contract (one object per article) is what the CLI's ``--format json/jsonl``, the HTTP
API and the corpus store exchange, so it is built in exactly one place.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from propscope.document import (
    METADATA_FIELDS,
    Document,
    Frame,
    Genre,
    Metadata,
    ModelInfo,
    Paragraph,
    Quote,
    Region,
    Span,
)
from propscope.errors import InputError
from propscope.languages import get_language
from propscope.languages.detect import Detection
from propscope.taxonomy import FRAMES, GENRES, TECHNIQUES, category_of

# MAJOR.MINOR: a minor step adds keys, a major one changes or removes some. 1.1 added
# "language" (the text's language, how it was known, whether the model reads it), "notes"
# (caveats in words), the model's "languages" and "transfer"; "quotes", and whose voice
# each span and paragraph label is in ("quote", "speaker", "voices"); metadata.sources.
SCHEMA_VERSION = "1.1"


def _r(x: float) -> float:
    return round(float(x), 4)


def model_to_dict(info: ModelInfo) -> dict[str, Any]:
    """The JSON form of ``info``: every field under its own name (analyses, ``/api/health``)."""
    return {"name": info.name, "version": info.version, "trained_on": info.trained_on,
            "calibrated": info.calibrated, "sensitivity": info.sensitivity,
            "languages": list(info.languages), "transfer": list(info.transfer)}


def language_to_dict(doc: Document) -> dict[str, Any]:
    """The JSON form of ``doc``'s language: its ISO 639-1 ``code`` (``null`` if none could be
    told), its English ``name``, whether it was ``detected`` (else given), how sure the
    detection was and why it decided nothing (``note``), and how the analysing model reads it
    (``support``: trained, transfer, unsupported, unknown; ``null`` before any model ran)."""
    found = doc.language_detection
    return {"code": doc.language, "name": get_language(doc.language).name if doc.language else None,
            "detected": found is not None,
            "confidence": None if found is None else _r(found.confidence),
            "note": None if found is None else found.why,
            "support": doc.model.support(doc.language) if doc.model else None}


def _names(codes: Collection[str]) -> str:
    return ", ".join(get_language(c).name for c in codes) or "none"


def analysis_notes(doc: Document) -> list[str]:
    """What a reader must know before trusting the analysis, in words: a language the model
    does not read (the text was not analysed), one it was not trained on, or one that could
    not be told. Every interface shows these (the JSON's ``notes``)."""
    if doc.model is None:
        return []
    model, code = doc.model, doc.language
    support = model.support(code)
    name = get_language(code).name if code else None
    if support == "unsupported":
        return [f"This text is in {name}, which {model.name} does not read (it reads "
                f"{_names(model.languages + model.transfer)}): it was not analysed, so no "
                "technique, genre or frame is given. That is no finding about the text."]
    if support == "transfer":
        return [f"{model.name} was not trained on {name} text; it reads it through its "
                "multilingual encoder, and how well it finds techniques in it is not measured."]
    if support == "unknown" and doc.language_detection is not None:
        why = doc.language_detection.why or "unclear"
        return [f"The language of this text could not be told ({why}); it was analysed as it "
                f"is, but {model.name} reads {_names(model.languages)}, and its labels of "
                "text in other languages mean little."]
    return []


def _voice(doc: Document, index: dict[Quote, int], q: Quote | None) -> dict[str, Any]:
    """Whose voice: the index of the quotation in ``quotes`` and its speaker, both ``None``
    for the outlet's own words."""
    return {"quote": None, "speaker": None} if q is None else {"quote": index[q], "speaker": q.speaker}


def to_dict(doc: Document, *, include_text: bool = True) -> dict[str, Any]:
    """Serialise ``doc`` to the JSON contract (a dict of plain JSON types)."""
    index = {q: i for i, q in enumerate(doc.quotes)}
    out: dict[str, Any] = {"id": doc.id, "source": doc.source}
    if include_text:
        out["text"] = doc.text
    out["language"] = language_to_dict(doc)
    out["notes"] = analysis_notes(doc)
    out["genre"] = (
        {"label": doc.genre.label, "scores": {k: _r(v) for k, v in doc.genre.scores.items()}}
        if doc.genre
        else None
    )
    out["frames"] = [{"label": f.label, "score": _r(f.score)} for f in doc.frames]
    out["spans"] = [
        {"technique": s.label, "category": category_of(s.label), "start": s.start,
         "end": s.end, "text": doc.span_text(s), "score": _r(s.score),
         **_voice(doc, index, doc.quote_at(s.start, s.end))}
        for s in doc.spans
    ]
    out["paragraphs"] = [
        {"line": p.line, "start": p.start, "end": p.end, "techniques": list(p.techniques),
         **({"scores": {k: _r(v) for k, v in p.scores.items()}} if p.scores else {}),
         **({"evidence": {k: [{"start": a, "end": b, "text": doc.text[a:b]} for a, b in v]
                          for k, v in p.evidence.items()}} if p.evidence else {}),
         **({"voices": {t: _voice(doc, index, doc.label_quote(p, t)) for t in p.techniques}}
            if p.techniques else {})}
        for p in doc.paragraphs
    ]
    out["quotes"] = [
        {"start": q.start, "end": q.end, "text": doc.span_text(q), "speaker": q.speaker,
         "speaker_start": q.speaker_start, "speaker_end": q.speaker_end, "cue": q.cue,
         "confidence": _r(q.confidence)}
        for q in doc.quotes
    ]
    out["boilerplate"] = [{"start": r.start, "end": r.end, "kind": r.kind} for r in doc.boilerplate]
    m = doc.metadata
    out["metadata"] = {"title": m.title, "outlet": m.outlet, "author": m.author,
                       "published": m.published, "url": m.url,
                       "republished_from": m.republished_from, "sources": dict(m.sources)}
    out["model"] = model_to_dict(doc.model) if doc.model else None
    return out


def to_json(doc: Document, *, include_text: bool = True, indent: int | None = None) -> str:
    """``to_dict`` as a JSON string (UTF-8 safe, non-ASCII kept)."""
    return json.dumps(to_dict(doc, include_text=include_text), ensure_ascii=False, indent=indent)


def _range(obj: dict[str, Any], length: int, what: str) -> tuple[int, int]:
    """``obj``'s ``start`` and ``end``: whole numbers (not booleans) with
    ``0 <= start <= end <= length``."""
    start, end = obj["start"], obj["end"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise InputError(f"Malformed analysis record: {what} offsets must be whole numbers, "
                         f"got {start!r}..{end!r}.")
    if not 0 <= start <= end <= length:
        raise InputError(f"Malformed analysis record: {what} {start}..{end} does not fit a text "
                         f"of {length} characters.")
    return start, end


def _line(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError(f"Malformed analysis record: a paragraph's line is a whole number from "
                         f"1, got {value!r}.")
    return value


def _score(value: Any, what: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InputError(f"Malformed analysis record: {what} score must be a number, got {value!r}.")
    return float(value)


def _label(name: Any, known: Collection[str], what: str) -> str:
    # The type first: an unhashable name (a list) is "unknown", not a TypeError from a dict.
    if not isinstance(name, str) or name not in known:
        raise InputError(f"Malformed analysis record: unknown {what} {name!r}.")
    return name


def _technique(name: Any) -> str:
    return _label(name, TECHNIQUES, "technique")


def _optional_str(value: Any, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise InputError(f"Malformed analysis record: a quote's {what} is a string or null, got {value!r}.")
    return value


def _quote(q: dict[str, Any], length: int) -> Quote:
    """A quotation of the contract, its speaker's offsets checked like its own."""
    start, end = _range(q, length, "quote")
    s_start = s_end = None
    if q.get("speaker_start") is not None or q.get("speaker_end") is not None:
        s_start, s_end = _range({"start": q.get("speaker_start"), "end": q.get("speaker_end")},
                                length, "quote speaker")
    return Quote(start, end, _optional_str(q.get("speaker"), "speaker"), s_start, s_end,
                 _optional_str(q.get("cue"), "cue"), _score(q.get("confidence", 1.0), "a quote's"))


def _sources(value: Any) -> dict[str, str]:
    """``metadata.sources``: field -> where its value came from; absent before version 1.1."""
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
            k in METADATA_FIELDS and isinstance(v, str) for k, v in value.items()):
        raise InputError(f"Malformed analysis record: metadata.sources must map metadata fields "
                         f"({', '.join(METADATA_FIELDS)}) to strings, got {value!r}.")
    return dict(value)


def from_dict(data: dict[str, Any]) -> Document:
    """Rebuild a Document from the contract; needs ``text``. Raises ``InputError`` if malformed.

    Records are checked as they are read (offsets inside the text, line numbers, known
    techniques, genres and frames, numeric scores), so a document rebuilt here can be written
    back with ``to_dict``. Model fields this version
    does not know (a record from a newer one) are left out.
    """
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InputError("An analysis record needs a 'text' string to rebuild its document.")
    text: str = data["text"]
    n = len(text)
    try:
        md = data.get("metadata") or {}
        given_id = data.get("id")
        lang = data.get("language") or {}
        doc = Document(text, id="document" if given_id in (None, "") else str(given_id),
                       source=data.get("source"),
                       metadata=Metadata(**{k: md.get(k) for k in METADATA_FIELDS},
                                         sources=_sources(md.get("sources"))),
                       language=lang.get("code") if isinstance(lang.get("code"), str) else None)
        if lang.get("detected"):
            doc.language_detection = Detection(doc.language, _score(lang.get("confidence") or 0.0,
                                                                    "a language's"), lang.get("note"))
        doc.add_spans(Span(*_range(s, n, "span"), _technique(s["technique"]), s.get("score", 1.0))
                      for s in data.get("spans") or [])
        doc.paragraphs = [Paragraph(_line(p["line"]), *_range(p, n, "paragraph"),
                                    [_technique(t) for t in p.get("techniques", [])],
                                    {_technique(k): _score(v, "a paragraph label's")
                                     for k, v in (p.get("scores") or {}).items()},
                                    {_technique(k): [_range(e, n, "evidence") for e in v]
                                     for k, v in (p.get("evidence") or {}).items()})
                          for p in data.get("paragraphs") or []]
        doc.boilerplate = [Region(*_range(r, n, "boilerplate"), r["kind"])
                           for r in data.get("boilerplate") or []]
        doc.add_quotes(_quote(q, n) for q in data.get("quotes") or [])
        if data.get("genre"):
            g = data["genre"]
            doc.genre = Genre(_label(g["label"], GENRES, "genre"),
                              {_label(k, GENRES, "genre"): _score(v, "a genre")
                               for k, v in (g.get("scores") or {}).items()})
        doc.frames = [Frame(_label(f["label"], FRAMES, "frame"), _score(f["score"], "a frame"))
                      for f in data.get("frames") or []]
        if data.get("model"):
            known = set(ModelInfo.__dataclass_fields__) - {"quality"}
            fields = {k: v for k, v in data["model"].items() if k in known}
            for key in ("languages", "transfer"):
                if key in fields:
                    fields[key] = tuple(fields[key])
            doc.model = ModelInfo(**fields)
    except InputError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as exc:  # ValueError: SpanError too
        raise InputError(f"Malformed analysis record: {exc!r}.") from exc
    return doc
