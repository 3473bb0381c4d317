"""What ingestion reports instead of a Document when an input cannot be read."""

from __future__ import annotations

from dataclasses import dataclass

from propscope.errors import InputError

# ``Document.extra`` key of a fetched page's requested URL, set when a redirect led elsewhere
# (its ``source`` is the final URL): the corpus stores it so a re-run does not fetch it again.
REQUESTED_URL = "requested_url"


@dataclass(frozen=True)
class IngestFailure:
    """A file or record that could not be read, and why.

    Attributes:
        source: the file as given (``-`` for standard input).
        message: what was wrong and how to fix it, without the source prefix (a JSONL
            record's message starts with ``line N:``).
        line: the 1-based line of a JSONL record, ``None`` for a whole file.
    """

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"

    @classmethod
    def from_error(cls, error: Exception, *, source: str, line: int | None = None) -> IngestFailure:
        """Build a failure from an error, dropping the source its message starts with (an
        ``InputError``'s own source, else ``source``: "URL answered HTTP 404" becomes
        "answered HTTP 404", so the report does not name the URL twice)."""
        named = error.source if isinstance(error, InputError) and error.source else source
        message = str(error).removeprefix(f"{named}: ").removeprefix(f"{named} ")
        return cls(source=source, message=message or type(error).__name__, line=line)


@dataclass(frozen=True)
class SkippedInput:
    """An input left unread on purpose (a web page a corpus already holds), so a re-run does
    not fetch it again; counted as skipped, not failed.

    Attributes:
        source: the input as given (a URL).
    """

    source: str
