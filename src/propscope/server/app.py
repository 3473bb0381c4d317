"""The web app: one Starlette application owning the settings, the store and the Analyzer.

``create_app(config)`` builds it; ``propscope serve`` runs it under uvicorn. The app refuses
to start on a non-loopback address without a token, so the safe setup is the default one.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from propscope.analyzer import Analyzer
from propscope.config import Config
from propscope.errors import ModelError, PropscopeError
from propscope.server import api, pages
from propscope.server.errors import HTTPError, ServerConfigError, clipped, error_response, status_for
from propscope.server.security import (
    BodyLimit,
    HostGuard,
    RateLimit,
    SecurityHeaders,
    TokenAuth,
    is_loopback,
)
from propscope.server.state import ServerState

log = logging.getLogger("propscope.server")


def check_config(config: Config) -> None:
    """Raise ``ServerConfigError`` for unsafe or impossible server settings."""
    server = config.server
    if not is_loopback(server.host) and not server.token:
        raise ServerConfigError(
            f"Refusing to listen on {server.host}: any address other than loopback needs an API "
            "token. Set one with --token or PROPSCOPE_TOKEN, or bind to 127.0.0.1.")
    if server.token is not None and not server.token.strip():
        raise ServerConfigError("The API token is blank, which anyone can guess; set a long "
                                "random one with --token or PROPSCOPE_TOKEN, or leave it unset "
                                "on 127.0.0.1.")
    for section, name in (("server", "max_body_bytes"), ("server", "max_batch"),
                          ("fetch", "fetch_max_bytes"), ("server", "analysis_threads"),
                          ("fetch", "fetch_concurrency"), ("server", "max_connections"),
                          ("server", "max_client_connections"), ("server", "store_max_mb")):
        if (value := getattr(getattr(config, section), name)) < 1:
            raise ServerConfigError(f"Server setting {name} must be at least 1, got {value}.")
    # From the environment these come unchecked: a timeout of -5 s failed every fetch.
    if not config.fetch.fetch_timeout > 0:
        raise ServerConfigError(f"Server setting fetch_timeout must be above 0 seconds, got "
                                f"{config.fetch.fetch_timeout}.")
    if not 0 < server.header_timeout <= 300:
        raise ServerConfigError(f"Server setting header_timeout must be above 0 and at most 300 "
                                f"seconds, got {server.header_timeout}.")
    if server.max_client_connections > server.max_connections:
        raise ServerConfigError(f"Server setting max_client_connections ({server.max_client_connections}) "
                                f"must be at most max_connections ({server.max_connections}).")
    if server.store_days < 0:
        raise ServerConfigError(f"Server setting store_days must be 0 (no expiry) or more, got "
                                f"{server.store_days}.")
    if not 0 <= server.port <= 65535:
        raise ServerConfigError(f"Server setting port must be from 0 to 65535, got {server.port}.")
    if server.rate_limit < 0:
        raise ServerConfigError(f"Server setting rate_limit must be 0 (off) or more, got "
                                f"{server.rate_limit}.")


def _message(request: Request, status: int, message: str,
             headers: dict[str, str] | None = None) -> Response:
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return error_response(status, message, headers)
    return pages.error_page(request, status, message, headers)


async def _on_propscope_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PropscopeError)
    if isinstance(exc, ModelError):
        return _message(request, 503, f"The model could not be loaded: {exc}")
    if isinstance(exc, HTTPError):
        return _message(request, exc.status, exc.message, exc.headers)
    return _message(request, status_for(exc), str(exc))


async def _on_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail
    if exc.status_code == 404:
        detail = (f"Nothing at {clipped(request.url.path)}; the API is under /api/ (see "
                  "/api/openapi.json).")
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {clipped(request.url.path)}."
    return _message(request, exc.status_code, str(detail), dict(exc.headers or {}))


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("Unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, f"Internal error ({type(exc).__name__}); see the server log.")


def create_app(config: Config | None = None, *, analyzer: Analyzer | None = None) -> Starlette:
    """Build the web app.

    Args:
        config: the settings tree (default: built-in defaults).
        analyzer: an Analyzer to share; by default the model named in ``config.analyzer`` is
            loaded once at startup.
    """
    config = config or Config()
    check_config(config)
    state = ServerState(config, analyzer)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await state.warm_up()
        yield

    server = config.server
    app = Starlette(
        routes=[*api.routes, *pages.routes],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(HostGuard, config=server),
            # Rate limit before the token check, so it also slows down token guessing.
            Middleware(RateLimit, config=server),
            Middleware(TokenAuth, config=server),
            Middleware(BodyLimit, config=server),
        ],
        exception_handlers={PropscopeError: _on_propscope_error,
                            HTTPException: _on_http_exception,
                            Exception: _on_unexpected},
        lifespan=lifespan,
    )
    app.state.propscope = state
    return app
