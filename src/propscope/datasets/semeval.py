"""Load SemEval-2023 Task 3 data (the layout described in the shared data's README) as gold
Documents: spans, paragraph labels, genre and frames filled from the label files.

Quirks handled here, and how:
- technique names are passed through ``normalize_technique``: the corrupted
  ``Appeal_to_Fear-Prejudi-čce`` in the paragraph labels maps to ``Appeal_to_Fear-Prejudice``;
  an unrecognisable name raises ``DataError``;
- span rows whose offsets fall outside the article, and paragraph rows for a line the
  article does not have, are dropped, counted in ``SemEvalData.dropped`` and described in
  ``SemEvalData.problems`` (none in the current data, but a scorer must not crash on them);
  a row that is no row (an offset that is no number) is a ``DataError`` naming file and line;
- without a paragraph label file, paragraph labels are the techniques of the spans that
  overlap each paragraph (``SemEvalData.paragraphs_from_spans``; in the shared data they
  agree on 9,497 of 9,498 paragraphs); an article without a span file and without paragraph
  rows has no technique annotation at all, which ``problems`` says;
- articles without genre/frame labels keep ``genre=None`` / ``frames=[]`` and are skipped by
  the genre/frame metrics rather than counted as errors;
- the articles of ``train-articles-genre-frames-only/`` carry genre and frame labels but no
  technique annotation: they are read into ``SemEvalData.document_level``, never into
  ``documents``, so their unannotated paragraphs are never taken for "no technique here";
- the span offsets of the non-English data are noisy: with ``repair_offsets`` they are moved
  onto the words they mark, or dropped (``offsets.py`` says how), and
  ``SemEvalData.repaired`` counts what was done.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from propscope.datasets.offsets import RawSpan, repair_spans
from propscope.document import Document, Frame, Genre, Metadata, Span, split_paragraphs
from propscope.errors import DataError
from propscope.languages import DEFAULT_LANGUAGE
from propscope.taxonomy import FRAMES, GENRES, normalize_technique


@dataclass
class SemEvalData:
    """Gold documents plus counts of what was repaired or dropped while reading."""

    documents: list[Document]
    renamed: dict[str, str] = field(default_factory=dict)  # raw name -> canonical
    dropped: int = 0
    # What was dropped or doubtful, one line each ("FILE:LINE: why"), for the commands to show.
    problems: list[str] = field(default_factory=list)
    paragraphs_from_spans: bool = False

    def notes(self, shown: int = 5) -> list[str]:
        """Warnings a command should print about this data: what was dropped or doubtful (the
        first ``shown`` of it) and paragraph labels that were derived from the spans."""
        out = []
        if self.problems:
            more = len(self.problems) - shown
            out.append(f"{len(self.problems)} problem(s) in the labels: "
                       + "; ".join(self.problems[:shown]) + (f"; and {more} more" if more > 0 else ""))
        if self.paragraphs_from_spans:
            out.append("no paragraph label file: each paragraph is labelled with the techniques "
                       "of the spans that overlap it")
        return out
    # Articles with genre/frame labels only (for the document-level heads).
    document_level: list[Document] = field(default_factory=list)
    # Spans read, moved and dropped by the offset repair (``repair_offsets``), summed.
    repaired: dict[str, int] = field(default_factory=dict)


def read_ids(path: str | Path) -> list[str]:
    """Article ids from a split file: one per line, ``article`` prefix optional, ``#`` comments."""
    ids = []
    try:  # utf-8-sig: a byte order mark (Windows editors) is not part of the first id
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"Cannot read the split file {path}: {exc}.") from exc
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            ids.append(line.removeprefix("article"))
    if not ids:
        raise DataError(f"The split file {path} lists no article id; give one id per line.")
    return ids


def _tsv(path: Path) -> list[tuple[int, list[str]]]:
    """``(line number, tab-separated fields)`` of each non-blank line; none if no file."""
    if not path.is_file():
        return []
    return [(i, ln.split("\t")) for i, ln in enumerate(_read(path).splitlines(), 1) if ln.strip()]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); the shared "
                        "task's files are UTF-8.") from exc


def _number(raw: str, where: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise DataError(f"{where}: expected a whole number, got {raw!r}.") from None


DOCUMENT_LEVEL_DIR = "train-articles-genre-frames-only"


def load_semeval(data_dir: str | Path, *, ids: list[str] | None = None,
                 articles_dir: str = "train-articles", prefix: str = "train",
                 document_level_dir: str | None = DOCUMENT_LEVEL_DIR,
                 language: str = DEFAULT_LANGUAGE, repair_offsets: bool = False) -> SemEvalData:
    """Read articles and every label file present under ``data_dir``.

    Args:
        data_dir: folder in the shared task's layout (e.g. ``../shared/data/semeval2023-task3-en``).
        ids: restrict to these article ids (without the ``article`` prefix).
        articles_dir: sub-folder of article files.
        prefix: label file prefix (``train-labels-...``).
        document_level_dir: sub-folder of articles labelled for genre and frames only
            (read when present and ``ids`` is not given; ``None`` skips it).
        language: the articles' language (ISO 639-1), set on every Document.
        repair_offsets: move noisy span offsets onto words (``offsets.py``), after the
            paragraph labels are read; spans that cannot be placed are dropped.
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

    problems: list[str] = []

    def canon(raw: str, where: str) -> str:
        try:
            name = normalize_technique(raw)
        except DataError as exc:
            raise DataError(f"{where}: {exc}") from None
        if name != raw.strip():
            renamed[raw] = name
        return name

    docs: dict[str, Document] = {}
    for f in sorted(adir.glob("article*.txt")):
        aid = f.stem.removeprefix("article")
        if wanted is not None and aid not in wanted:
            continue
        text = _read(f)
        first = text.split("\n", 1)[0].strip()
        doc = Document(text, id=aid, source=str(f), metadata=Metadata(title=first or None),
                       language=language)
        doc.paragraphs = split_paragraphs(text)
        docs[aid] = doc

    span_dir = root / f"{prefix}-labels-spans"
    without_spans: set[str] = set()
    raw_spans: dict[str, list[RawSpan]] = {}  # read, placed once the paragraph labels are known
    for aid, doc in docs.items():
        spans = []
        span_file = span_dir / f"article{aid}-labels-subtask-3.txt"
        if not span_file.is_file():
            without_spans.add(aid)
        for n, row in _tsv(span_file):
            where = f"{span_file}:{n}"
            if len(row) < 4:
                dropped += 1
                problems.append(f"{where}: {len(row)} fields, not 4 (article, technique, start, end)")
                continue
            start, end = _number(row[2], where), _number(row[3], where)
            if repair_offsets:
                raw_spans.setdefault(aid, []).append((canon(row[1], where), start, end))
                continue
            if not (0 <= start < end <= len(doc.text)):
                dropped += 1
                problems.append(f"{where}: span {start}..{end} does not fit the article's "
                                f"{len(doc.text)} characters")
                continue
            spans.append(Span(start, end, canon(row[1], where)))
        doc.add_spans(spans)

    par_file = root / f"{prefix}-labels-paragraphs.txt"
    by_line: dict[tuple[str, int], list[str]] = defaultdict(list)
    for n, row in _tsv(par_file):
        where = f"{par_file}:{n}"
        if len(row) >= 2 and row[0] in docs:
            line = _number(row[1], where)
            if not any(p.line == line for p in docs[row[0]].paragraphs):
                dropped += 1
                problems.append(f"{where}: article {row[0]} has no paragraph on line {line}")
                continue
            names = row[2] if len(row) >= 3 else ""
            by_line[(row[0], line)] = sorted({canon(t, where) for t in names.split(",") if t.strip()})
    from_spans = not par_file.is_file()
    for aid, doc in docs.items():
        for p in doc.paragraphs:
            p.techniques = (sorted({s.label for s in doc.spans if s.overlaps(p.start, p.end)})
                            if from_spans else by_line.get((aid, p.line), []))
    repaired: dict[str, int] = {}
    for aid, rows in raw_spans.items():
        doc = docs[aid]
        placed, how = repair_spans(doc.text, rows, doc.paragraphs)
        doc.add_spans(Span(s, e, t) for t, s, e in placed)
        for key in ("spans", "moved", "dropped"):
            repaired[key] = repaired.get(key, 0) + getattr(how, key)
    unlabelled = sorted(a for a in without_spans
                        if from_spans or not any(k[0] == a for k in by_line))
    if unlabelled:
        problems.append(f"{len(unlabelled)} article(s) have no span file and no paragraph rows, "
                        f"so they are read as holding no technique: {', '.join(unlabelled[:5])}"
                        + (" ..." if len(unlabelled) > 5 else ""))

    genre_file = root / f"{prefix}-labels-genre.txt"
    for n, row in _tsv(genre_file):
        if row[0] in docs and len(row) > 1:
            if row[1] not in GENRES:
                raise DataError(f"{genre_file}:{n}: unknown genre {row[1]!r} for article {row[0]}.")
            if docs[row[0]].genre is not None:
                problems.append(f"{genre_file}:{n}: a second genre row for article {row[0]}; "
                                "the last one is kept")
            docs[row[0]].genre = Genre(row[1], {g: float(g == row[1]) for g in GENRES})
    for _, row in _tsv(root / f"{prefix}-labels-frames.txt"):
        if row[0] in docs and len(row) > 1:
            labels = [x for x in row[1].split(",") if x.strip()]
            bad = [x for x in labels if x not in FRAMES]
            if bad:
                raise DataError(f"Unknown frame(s) {bad} for article {row[0]}.")
            docs[row[0]].frames = [Frame(x, 1.0) for x in labels]
    data = SemEvalData([docs[k] for k in sorted(docs)], renamed, dropped, problems=problems,
                       paragraphs_from_spans=from_spans and bool(docs), repaired=repaired)
    if document_level_dir and ids is None and (root / document_level_dir).is_dir():
        extra = load_semeval(root, articles_dir=document_level_dir, prefix=prefix, document_level_dir=None,
                             language=language)
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
