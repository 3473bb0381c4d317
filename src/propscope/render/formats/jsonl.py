"""``jsonl``: one JSON object per line and article, streamed."""

from __future__ import annotations

from propscope.document import Document
from propscope.render.formats import OutputFormat, Stream, register_format


class JsonlOutput:
    """One JSON object per line and article (the JSON contract of ``propscope.serialize``)."""

    def __init__(self, stream: Stream, *, include_text: bool) -> None:
        self.stream = stream
        self.include_text = include_text

    def add(self, doc: Document) -> None:
        from propscope.serialize import to_json

        fh = self.stream.fh
        fh.write(to_json(doc, include_text=self.include_text) + "\n")
        if self.stream.path is None:
            fh.flush()  # let a consumer downstream of a pipe start on each article at once

    def close(self) -> None:
        return None

    def abort(self) -> None:
        return None


JSONL = register_format(OutputFormat(
    "jsonl", "one JSON object per line and article",
    lambda t: JsonlOutput(t.stream, include_text=t.include_text), suffixes=(".jsonl", ".ndjson")))
