"""Load SemEval-2023 Task 3 data (the layout described in the shared data's README) as gold
Documents: spans, paragraph labels, genre and frames filled from the label files.

Quirks handled here, and how:
- technique names are passed through ``normalize_technique``: the corrupted
  ``Appeal_to_Fear-Prejudi-čce`` in the paragraph labels maps to ``Appeal_to_Fear-Prejudice``;
  an unrecognisable name raises ``DataError``;
- span rows whose offsets fall outside the article are dropped and counted in
  ``SemEvalData.dropped`` (none in the current data, but a scorer must not crash on them);
- articles without genre/frame labels keep ``genre=None`` / ``frames=[]`` and are skipped by
  the genre/frame metrics rather than counted as errors;
- the articles of ``train-articles-genre-frames-only/`` carry genre and frame labels but no
  technique annotation: they are read into ``SemEvalData.document_level``, never into
  ``documents``, so their unannotated paragraphs are never taken for "no technique here".
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from propscope.document import Document, Frame, Genre, Metadata, Span, split_paragraphs
from propscope.errors import DataError
from propscope.taxonomy import FRAMES, GENRES, normalize_technique


@dataclass
class SemEvalData:
    """Gold documents plus counts of what was repaired or dropped while reading."""

    documents: list[Document]
    renamed: dict[str, str] = field(default_factory=dict)  # raw name -> canonical
    dropped: int = 0
    # Articles with genre/frame labels only (for the document-level heads).
    document_level: list[Document] = field(default_factory=list)


def read_ids(path: str | Path) -> list[str]:
    """Article ids from a split file: one per line, ``article`` prefix optional, ``#`` comments."""
    ids = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            ids.append(line.removeprefix("article"))
    return ids


def _tsv(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    return [ln.rstrip("\n").split("\t") for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


DOCUMENT_LEVEL_DIR = "train-articles-genre-frames-only"


def load_semeval(data_dir: str | Path, *, ids: list[str] | None = None,
                 articles_dir: str = "train-articles", prefix: str = "train",
                 document_level_dir: str | None = DOCUMENT_LEVEL_DIR) -> SemEvalData:
    """Read articles and every label file present under ``data_dir``.

    Args:
        data_dir: folder in the shared task's layout (e.g. ``../shared/data/semeval2023-task3-en``).
        ids: restrict to these article ids (without the ``article`` prefix).
        articles_dir: sub-folder of article files.
        prefix: label file prefix (``train-labels-...``).
        document_level_dir: sub-folder of articles labelled for genre and frames only
            (read when present and ``ids`` is not given; ``None`` skips it).
    Returns:
        ``SemEvalData`` with one gold Document per article, sorted by id.
    """
    root = Path(data_dir)
    adir = root / articles_dir
    if not adir.is_dir():
        raise DataError(f"{root} does not look like SemEval-2023 Task 3 data: no {articles_dir}/ folder.")
    wanted = set(ids) if ids is not None else None
    renamed: dict[str, str] = {}
    dropped = 0

    def canon(raw: str) -> str:
        name = normalize_technique(raw)
        if name != raw.strip():
            renamed[raw] = name
        return name

    docs: dict[str, Document] = {}
    for f in sorted(adir.glob("article*.txt")):
        aid = f.stem.removeprefix("article")
        if wanted is not None and aid not in wanted:
            continue
        text = f.read_text(encoding="utf-8")
        first = text.split("\n", 1)[0].strip()
        doc = Document(text, id=aid, source=str(f), metadata=Metadata(title=first or None))
        doc.paragraphs = split_paragraphs(text)
        docs[aid] = doc

    span_dir = root / f"{prefix}-labels-spans"
    for aid, doc in docs.items():
        spans = []
        for row in _tsv(span_dir / f"article{aid}-labels-subtask-3.txt"):
            if len(row) < 4:
                dropped += 1
                continue
            start, end = int(row[2]), int(row[3])
            if not (0 <= start < end <= len(doc.text)):
                dropped += 1
                continue
            spans.append(Span(start, end, canon(row[1])))
        doc.add_spans(spans)

    by_line: dict[tuple[str, int], list[str]] = defaultdict(list)
    for row in _tsv(root / f"{prefix}-labels-paragraphs.txt"):
        if len(row) >= 3 and row[2].strip():
            by_line[(row[0], int(row[1]))] = sorted({canon(t) for t in row[2].split(",") if t.strip()})
    for aid, doc in docs.items():
        for p in doc.paragraphs:
            p.techniques = by_line.get((aid, p.line), [])

    for row in _tsv(root / f"{prefix}-labels-genre.txt"):
        if row[0] in docs and len(row) > 1:
            if row[1] not in GENRES:
                raise DataError(f"Unknown genre {row[1]!r} for article {row[0]}.")
            docs[row[0]].genre = Genre(row[1], {g: float(g == row[1]) for g in GENRES})
    for row in _tsv(root / f"{prefix}-labels-frames.txt"):
        if row[0] in docs and len(row) > 1:
            labels = [x for x in row[1].split(",") if x.strip()]
            bad = [x for x in labels if x not in FRAMES]
            if bad:
                raise DataError(f"Unknown frame(s) {bad} for article {row[0]}.")
            docs[row[0]].frames = [Frame(x, 1.0) for x in labels]
    data = SemEvalData([docs[k] for k in sorted(docs)], renamed, dropped)
    if document_level_dir and ids is None and (root / document_level_dir).is_dir():
        extra = load_semeval(root, articles_dir=document_level_dir, prefix=prefix, document_level_dir=None)
        data.document_level = [d for d in extra.documents if d.id not in docs and (d.genre or d.frames)]
    return data


# Ids of the newest articles start with this; they are closest to what users bring, so
# scores are reported on them separately too.
RECENT_PREFIX = "83"
# Ids of the English training articles that follow collection order (the Las Vegas shooting
# of October 2017 sits at 694-727 million, the Westerville police shooting of February 2018
# at 730 million, the Haspel hearings of May 2018 at 738-740 million, the Wahhaj compound of
# August 2018 at 777-787 million, the newest articles at 83x million); the others
# (111111xxx, 999xxxxxx) carry no date.
DATED_IDS = range(600_000_000, 900_000_000)


def collection_order(doc_id: str) -> float | None:
    """The article's position in collection order, or None where its id says nothing."""
    return float(doc_id) if doc_id.isdigit() and int(doc_id) in DATED_IDS else None


def validation_split(ids: list[str], *, fraction: float = 0.2,
                     recent_prefix: str = RECENT_PREFIX) -> list[str]:
    """The project's validation articles: a stable hash-sample of ``fraction`` of the ids, plus
    every id starting with ``recent_prefix`` (the newest articles, closest to what users bring).

    Splitting is by article, never by paragraph, and depends only on the ids, so it is the same
    on every machine.
    """
    def h(i: str) -> float:
        return int(hashlib.sha1(i.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF

    return sorted(i for i in ids if i.startswith(recent_prefix) or h(i) < fraction)
