"""Error types: one base class, each subclass also inheriting the matching built-in."""

from __future__ import annotations


class PropscopeError(Exception):
    """Base class of every error propscope raises on purpose."""


class InputError(PropscopeError, ValueError):
    """An input (file, text, record) cannot be analysed; the message names it and says why."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class InputTooLargeError(InputError):
    """An input is larger than the configured limit."""


class EmptyInputError(InputError):
    """An input holds no text (empty, whitespace only, or nothing left after extraction)."""


class EncodingError(InputError):
    """An input's bytes are not valid in the expected text encoding."""


class BinaryInputError(InputError):
    """An input is binary data (NUL bytes, mostly control characters, a known binary format)."""


class FetchError(InputError):
    """A web page or feed could not be fetched: an error answer, an unreachable host, a
    broken connection (a server answers 502)."""


class FetchRefused(FetchError):
    """A URL the fetcher may not fetch: another scheme, no host, a non-public address (422)."""


class FetchTimeout(FetchError):
    """A fetch took longer than ``FetchConfig.fetch_timeout`` (504)."""


class TransientFetchError(FetchError):
    """The site was busy or the connection broke: worth one more try, after ``retry_after``
    seconds if the site said so (502)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnsupportedPageError(FetchError):
    """A fetched page of a type that cannot be analysed, or sent compressed unasked (415)."""


class PageTooLargeError(FetchError, InputTooLargeError):
    """A fetched page above ``FetchConfig.fetch_max_bytes`` (413)."""


class SpanError(PropscopeError, ValueError):
    """A span's offsets do not fit the text it points into."""


class ModelError(PropscopeError, RuntimeError):
    """A model artifact is missing, corrupt or of an unknown kind."""


class NotFittedError(PropscopeError, AttributeError):
    """A model was asked to predict before ``fit`` was called."""


class DataError(PropscopeError, ValueError):
    """Training or gold data does not follow the shared task's layout."""


class SettingError(PropscopeError, ValueError):
    """A setting (an option, an environment variable, a query parameter) has a value that
    cannot be used, for example an unknown sensitivity level."""
