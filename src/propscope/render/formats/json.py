"""``json``: one article as the JSON contract, indented."""

from __future__ import annotations

from propscope.document import Document
from propscope.render.formats import OutputError, OutputFormat, Stream, register_format


class JsonOutput:
    """Exactly one article as an indented JSON object."""

    def __init__(self, stream: Stream, *, include_text: bool) -> None:
        self.stream = stream
        self.include_text = include_text
        self.doc: Document | None = None

    def add(self, doc: Document) -> None:
        if self.doc is not None:
            raise OutputError("--format json writes one article, but the input holds several; "
                              "use --format jsonl (one JSON object per line) instead.")
        self.doc = doc

    def close(self) -> None:
        from propscope.serialize import to_json

        if self.doc is not None:
            self.stream.fh.write(to_json(self.doc, include_text=self.include_text, indent=2) + "\n")

    def abort(self) -> None:
        return None


JSON = register_format(OutputFormat(
    "json", "one article as the JSON contract",
    lambda t: JsonOutput(t.stream, include_text=t.include_text), suffixes=(".json",), several=False))
