"""``semeval``: the shared task's label files in a folder (``render/semeval.py``)."""

from __future__ import annotations

from pathlib import Path

from propscope.document import Document
from propscope.render.formats import OutputFormat, register_format

FOLDER = "propscope-semeval"


class SemEvalFiles:
    """The shared task's label files in a folder (see ``propscope.render.semeval``)."""

    def __init__(self, target: str | None) -> None:
        from propscope.render.semeval import SemEvalWriter

        self.writer = SemEvalWriter(Path(target or FOLDER))

    def add(self, doc: Document) -> None:
        self.writer.add(doc)

    def close(self) -> None:
        self.writer.close()

    def abort(self) -> None:
        return None


SEMEVAL = register_format(OutputFormat(
    "semeval", f"the shared task's label files in the folder -o (default ./{FOLDER}/)",
    lambda t: SemEvalFiles(t.path), folder=FOLDER))
