"""What one server process holds: settings, the analysis store and the one Analyzer.

The Analyzer (and so the model) is loaded once per process, at startup, and shared by every
request; analyses run in worker threads, at most ``analysis_threads`` at a time. The model
only reads its fitted state while predicting, so threads can share it.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import anyio
import anyio.to_thread
from starlette.requests import Request

from propscope.analyzer import Analyzer
from propscope.config import MB, Config
from propscope.document import ModelInfo
from propscope.models.quality import ModelQuality
from propscope.server.store import AnalysisStore

log = logging.getLogger("propscope.server")


class ServerState:
    """The app's shared objects, reachable from a request as ``state_of(request)``.

    Args:
        config: the whole settings tree (``server`` and ``analyzer`` sections are used).
        analyzer: an already-built Analyzer to share; ``None`` loads ``config.analyzer.model``.
    """

    def __init__(self, config: Config, analyzer: Analyzer | None = None) -> None:
        self.config = config
        server = config.server
        self.store = AnalysisStore(server.store, max_bytes=server.store_max_mb * MB,
                                   max_age=server.store_days * 86400 or None)
        self.analyzer = analyzer
        self._limiter: anyio.CapacityLimiter | None = None
        self._lock: anyio.Lock | None = None
        self._quality: tuple[ModelQuality | None] | None = None  # read once, even if None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        # anyio primitives need a running event loop, so they are made on first use.
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(max(1, self.config.server.analysis_threads))
        return self._limiter

    async def get_analyzer(self) -> Analyzer:
        """The shared Analyzer, loading the model (once) if startup has not already."""
        if self.analyzer is None:
            if self._lock is None:
                self._lock = anyio.Lock()
            async with self._lock:
                if self.analyzer is None:
                    cfg = self.config.analyzer
                    self.analyzer = await anyio.to_thread.run_sync(
                        lambda: Analyzer(cfg.model, config=cfg))
        return self.analyzer

    async def warm_up(self) -> None:
        """Load the model and analyse one short text, so lazily built parts of the model
        exist before concurrent requests arrive and the first user does not wait for them."""
        analyzer = await self.get_analyzer()
        await anyio.to_thread.run_sync(
            lambda: analyzer.analyze("Warm-up.\nThe server is starting.\n", id="warm-up"))

    async def quality(self) -> ModelQuality | None:
        """The served model's recorded detection rates (``models/quality.py``), read once;
        ``None`` without any, or if they are unreadable (logged: analyses go on without)."""
        if self._quality is None:
            analyzer = await self.get_analyzer()

            def warn(exc: Exception) -> None:
                log.warning("serving without the model's detection rates: %s", exc)

            rates = await anyio.to_thread.run_sync(lambda: analyzer.quality(on_error=warn))
            self._quality = (rates,)
        return self._quality[0]

    def model_info(self) -> ModelInfo | None:
        """The loaded model's name and version, and the sensitivity analyses are made at
        unless a request asks for another; ``None`` before the model is loaded."""
        if self.analyzer is None:
            return None
        return replace(self.analyzer.model.info, sensitivity=self.analyzer.sensitivity)


def state_of(request: Request) -> ServerState:
    """The ServerState of the app serving ``request``."""
    state: ServerState = request.app.state.propscope
    return state
