"""``text``: the readable view (rich), coloured on a terminal, plain in a file."""

from __future__ import annotations

from propscope.document import Document
from propscope.render.formats import FILE_WIDTH, OutputFormat, Stream, register_format


class TextOutput:
    """The rich terminal view, one article after another."""

    def __init__(self, stream: Stream, *, show_text: bool) -> None:
        self.stream = stream
        self.show_text = show_text
        self.count = 0

    def add(self, doc: Document) -> None:
        from rich.console import Console
        from rich.rule import Rule

        from propscope.render.terminal import print_document

        if self.stream.path is None:
            console = Console(file=self.stream.fh)  # colour and width follow the terminal
        else:
            console = Console(file=self.stream.fh, no_color=True, force_terminal=False,
                              width=FILE_WIDTH, emoji=False)
        if self.count:
            console.print(Rule())
        print_document(doc, console, show_text=self.show_text)
        self.count += 1

    def close(self) -> None:
        return None

    def abort(self) -> None:
        return None


TEXT = register_format(OutputFormat(
    "text", "the readable view (to standard output, or the file -o)",
    lambda t: TextOutput(t.stream, show_text=t.include_text), suffixes=(".txt",)))
