"""HTTP errors of the web app: one JSON shape, and the status each input failure maps to.

Every error the API returns is ``{"error": {"status": N, "message": "..."}}``; pages get
the same message in a small HTML page. Input failures raised by ingestion, the fetcher and
the analyzer (``InputError`` subclasses) are translated here, in one place, so a file that is
too large gives 413 whether it was pasted, uploaded or fetched, and a page that cannot be
fetched 502 (422 for a URL that may not be, 504 for one too slow).
"""

from __future__ import annotations

from http import HTTPStatus

from starlette.responses import JSONResponse

from propscope.errors import (
    BinaryInputError,
    FetchError,
    FetchRefused,
    FetchTimeout,
    InputError,
    InputTooLargeError,
    PropscopeError,
)


class HTTPError(PropscopeError):
    """An error answered with ``status`` and a message meant for the client."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class ServerConfigError(PropscopeError, ValueError):
    """The server settings are unsafe or inconsistent (for example no token off loopback)."""


def _is_unsupported(exc: InputError) -> bool:
    # Binary data and file types ingestion does not read are "wrong type" (415); the format
    # error is matched by name so a new ingestion subclass maps without a change here.
    return isinstance(exc, BinaryInputError) or any(
        "Unsupported" in cls.__name__ or "Format" in cls.__name__ for cls in type(exc).__mro__)


def status_for(exc: PropscopeError) -> int:
    """The HTTP status for a propscope error raised while reading or analysing input."""
    if isinstance(exc, HTTPError):
        return exc.status
    if isinstance(exc, InputTooLargeError):
        return 413
    if isinstance(exc, FetchRefused):
        return 422
    if isinstance(exc, FetchTimeout):
        return 504
    if isinstance(exc, FetchError) and not _is_unsupported(exc):
        return 502
    if isinstance(exc, InputError):
        return 415 if _is_unsupported(exc) else 422
    return 500


def clipped(value: str, limit: int = 60) -> str:
    """``value`` cut to ``limit`` characters and an ellipsis: a client's text echoed in a
    message (an id, a path) is evidence, not a payload to send back whole."""
    return value if len(value) <= limit else value[:limit] + "…"


def error_body(status: int, message: str) -> dict[str, dict[str, object]]:
    """The JSON error object, the only shape of error the API returns."""
    return {"error": {"status": status, "message": message}}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON error response; ``message`` defaults to the status phrase when empty."""
    message = message or HTTPStatus(status).phrase
    return JSONResponse(error_body(status, message), status_code=status, headers=headers)
