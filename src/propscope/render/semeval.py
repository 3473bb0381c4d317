"""Write predictions in SemEval-2023 Task 3's file formats, so the task's scorer can read them.

Layout under ``out_dir`` (the training data's, without its ``train-`` prefix):

- ``labels-spans/article<ID>-labels-subtask-3.txt``: ``ID<TAB>technique<TAB>start<TAB>end``
  per span (one file per article, empty when no span was found);
- ``labels-paragraphs.txt``: ``ID<TAB>line<TAB>technique,technique`` for every non-empty line
  in line order, the techniques field empty when the line has none;
- ``labels-genre.txt``: ``ID<TAB>genre``; ``labels-frames.txt``: ``ID<TAB>frame,frame``.

Rows carry the id without the ``article`` prefix, as the task's own files do. Every file is
written atomically; the three shared files are written once all documents are done.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from propscope.document import Document, split_paragraphs
from propscope.render.files import UniqueNames, atomic_write, safe_stem

SPANS_DIR = "labels-spans"
PARAGRAPHS_FILE = "labels-paragraphs.txt"
GENRE_FILE = "labels-genre.txt"
FRAMES_FILE = "labels-frames.txt"


@dataclass
class SemEvalOutput:
    """What ``write_semeval`` wrote: the folder, the ids used and every file path."""

    out_dir: Path
    ids: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def semeval_id(doc: Document) -> str:
    """The id as the task writes it in rows: no ``article`` prefix, safe for a file name."""
    return safe_stem(doc.id.removeprefix("article"))


def span_rows(doc: Document, aid: str) -> str:
    """The span file's content for one document."""
    return "".join(f"{aid}\t{s.label}\t{s.start}\t{s.end}\n" for s in doc.spans)


def paragraph_rows(doc: Document, aid: str) -> str:
    """Paragraph-label rows for one document, one per non-empty line, in line order."""
    paragraphs = doc.paragraphs or split_paragraphs(doc.text)
    return "".join(f"{aid}\t{p.line}\t{','.join(p.techniques)}\n"
                   for p in sorted(paragraphs, key=lambda p: p.line))


class SemEvalWriter:
    """Writes the task's files incrementally: ``add`` each document, then ``close``.

    Each article's span file is written as it arrives, so a long batch never holds every
    document in memory; the shared paragraph, genre and frame files are written on
    ``close``. Two documents with the same id get distinct ids (``12``, ``12-2``) rather
    than overwriting each other.
    """

    def __init__(self, out_dir: str | Path) -> None:
        self.output = SemEvalOutput(Path(out_dir))
        self._unique = UniqueNames()
        self._paragraphs: list[str] = []
        self._genres: list[str] = []
        self._frames: list[str] = []

    def add(self, doc: Document) -> str:
        """Write ``doc``'s span file and queue its shared rows; return the id used."""
        aid = self._unique(semeval_id(doc))
        out = self.output
        out.ids.append(aid)
        out.files.append(atomic_write(out.out_dir / SPANS_DIR / f"article{aid}-labels-subtask-3.txt",
                                      span_rows(doc, aid)))
        self._paragraphs.append(paragraph_rows(doc, aid))
        if doc.genre is not None:
            self._genres.append(f"{aid}\t{doc.genre.label}\n")
        self._frames.append(f"{aid}\t{','.join(f.label for f in doc.frames)}\n")
        return aid

    def close(self) -> SemEvalOutput:
        """Write the paragraph, genre and frame files; return everything written."""
        for name, rows in ((PARAGRAPHS_FILE, self._paragraphs), (GENRE_FILE, self._genres),
                           (FRAMES_FILE, self._frames)):
            self.output.files.append(atomic_write(self.output.out_dir / name, "".join(rows)))
        return self.output


def write_semeval(docs: Iterable[Document], out_dir: str | Path) -> SemEvalOutput:
    """Write the task's span, paragraph, genre and frame files for ``docs`` into ``out_dir``.

    ``docs`` may be a lazy stream (see ``SemEvalWriter``).

    Returns:
        A ``SemEvalOutput`` naming every file written.
    """
    writer = SemEvalWriter(out_dir)
    for doc in docs:
        writer.add(doc)
    return writer.close()
