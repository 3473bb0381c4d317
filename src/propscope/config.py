"""All settings in one typed tree with defaults and help text; the only reader of env vars.

The CLI, the web app and the corpus engine read the same objects, so a limit means the same
thing everywhere. Each field's ``metadata["help"]`` is the text shown by ``--help`` and in
the settings reference, ``docs/settings.md``, which ``make docs`` writes from ``settings()``
(a test fails when it is out of date).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from propscope.errors import SettingError

ENV_PREFIX = "PROPSCOPE_"
MB = 1024 * 1024


def _f(default: object, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class AnalyzerConfig:
    """How articles are analysed."""

    model: str | None = _f(None, "Model artifact folder; default: the model shipped in the package.")
    max_bytes: int = _f(10 * MB, "Largest input accepted, in bytes; larger inputs are refused.")
    batch_size: int = _f(8, "Articles analysed together (larger is faster, uses more memory).")
    sensitivity: str = _f("balanced", "How readily spans and paragraph labels are given: precise, "
                          "balanced (the calibrated thresholds), broad, exhaustive, or a shift "
                          "in logits from -3 to 3.")

    def __post_init__(self) -> None:
        # A zero batch quietly meant batches of one, a zero limit refused every text.
        for name in ("max_bytes", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise SettingError(f"AnalyzerConfig.{name} must be a whole number of at least 1, "
                                   f"got {value!r}.")


@dataclass(frozen=True)
class ServerConfig:
    """The web app and HTTP API."""

    host: str = _f("127.0.0.1", "Address to bind; any other than loopback requires a token.")
    port: int = _f(8000, "TCP port to listen on.")
    token: str | None = _f(None, "API token required on every request.")
    max_body_bytes: int = _f(2 * MB, "Largest request body or upload, in bytes (413 above).")
    max_batch: int = _f(32, "Most documents in one /api/analyze/batch request.")
    rate_limit: int = _f(0, "Requests per minute per client; 0 disables the limit (429 above).")
    store: str = _f("~/.cache/propscope/analyses", "Folder where permalinked analyses are kept.")
    store_max_mb: int = _f(1024, "Megabytes of permalinked analyses kept at most; above it the "
                           "least recently saved or opened are removed.")
    store_days: int = _f(365, "Days a permalinked analysis is kept after it was last saved or "
                         "opened; 0 keeps it until store_max_mb removes it.")
    corpus_db: str | None = _f(None, "DuckDB corpus file (from `propscope corpus ingest`) shown at /corpus.")
    analysis_threads: int = _f(2, "Analyses run at once per server process; more requests wait.")
    header_timeout: float = _f(10.0, "Seconds a client has to send a request's headers, up to 300; "
                               "the connection is then closed (408).")
    max_connections: int = _f(256, "Open connections at most (503 above); each holds a file "
                              "descriptor, so it must stay below `ulimit -n`.")
    max_client_connections: int = _f(32, "Open connections per client address, up to "
                                     "max_connections (503 above); a trusted proxy's are not "
                                     "counted per client.")
    trusted_proxies: tuple[str, ...] = _f((), "Addresses of reverse proxies whose X-Forwarded-For "
                                          "and X-Forwarded-Proto headers are believed; none by "
                                          "default.")


@dataclass(frozen=True)
class FetchConfig:
    """Fetching web pages and feeds (URLs given to the commands, the page, the API)."""

    fetch_timeout: float = _f(10.0, "Seconds allowed to fetch one URL (a page or a feed), "
                              "redirects included.")
    fetch_max_bytes: int = _f(5 * MB, "Largest page or feed fetched from a URL, in bytes.")
    fetch_allow_hosts: tuple[str, ...] = _f((), "Private/loopback hosts the URL fetcher may reach.")
    fetch_concurrency: int = _f(4, "Pages fetched at once when a command is given many URLs.")


@dataclass(frozen=True)
class CorpusConfig:
    """Corpus ingestion and queries."""

    db: str = _f("corpus.duckdb", "DuckDB file holding articles and analyses.")
    workers: int = _f(0, "Analysis processes; 0 means one per CPU core.")
    chunk_size: int = _f(64, "Articles committed per transaction (bounds memory and lost work).")
    engine: str = _f("local", "Where articles are analysed: 'local' (process pool) or 'dask'.")
    scheduler: str | None = _f(None, "Dask scheduler address (tcp://host:8786) for engine 'dask'.")
    task_size: int = _f(16, "Articles sent to a worker per task (larger amortises transfer).")
    shingle_size: int = _f(5, "Words per shingle when comparing articles for reuse.")
    num_perm: int = _f(128, "MinHash permutations (more: better similarity estimates, slower).")
    reuse_threshold: float = _f(0.5, "Least exact Jaccard similarity reported as reuse.")
    bootstrap: int = _f(1000, "Bootstrap resamples behind each profile confidence interval.")


@dataclass(frozen=True)
class Config:
    """The whole settings tree."""

    analyzer: AnalyzerConfig = field(default_factory=AnalyzerConfig)
    server: ServerConfig = field(default_factory=ServerConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    corpus: CorpusConfig = field(default_factory=CorpusConfig)


@dataclass(frozen=True)
class Setting:
    """One setting, as the settings reference lists it.

    Attributes:
        section: the ``Config`` field holding it (``server``).
        name: its field name (``max_batch``).
        env: the environment variable that sets it (``PROPSCOPE_MAX_BATCH``).
        type: its annotation as written (``int``, ``str | None``).
        default: its default value.
        help: what it does (the text ``--help`` shows).
        about: its section's one-line description.
    """

    section: str
    name: str
    env: str
    type: str
    default: object
    help: str
    about: str


def env_name(name: str) -> str:
    """The environment variable that sets the field ``name``: ``PROPSCOPE_<NAME>``."""
    return ENV_PREFIX + name.upper()


def settings() -> list[Setting]:
    """Every setting, section by section in ``Config`` order, fields in declaration order."""
    out: list[Setting] = []
    for sec in fields(Config):
        cls: Any = sec.default_factory
        about = (cls.__doc__ or "").strip().splitlines()[0]
        out += [Setting(sec.name, f.name, env_name(f.name), str(f.type), f.default,
                        f.metadata["help"], about) for f in fields(cls)]
    return out


def _coerce(key: str, value: str, typ: object) -> object:
    t = str(typ)
    try:
        if "int" in t:
            return int(value)
        if "float" in t:
            x = float(value)
            if not math.isfinite(x):
                raise ValueError(value)
            return x
    except ValueError:
        kind = "a whole number" if "int" in t else "a finite number"
        raise SettingError(f"{key} must be {kind}, got {value!r}.") from None
    if "tuple" in t:
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return value


def from_env(environ: dict[str, str] | None = None) -> Config:
    """Build a Config from defaults overridden by ``PROPSCOPE_<FIELD>`` environment variables.

    Field names are unique across sections, so ``PROPSCOPE_TOKEN`` sets ``server.token`` and
    ``PROPSCOPE_MODEL`` sets ``analyzer.model``.
    """
    env = os.environ if environ is None else environ
    sections: dict[str, object] = {}
    for sec in fields(Config):
        cls: Any = sec.default_factory
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            key = env_name(f.name)
            if key in env and env[key] != "":
                kwargs[f.name] = _coerce(key, env[key], f.type)
        sections[sec.name] = cls(**kwargs)
    return Config(**sections)  # type: ignore[arg-type]


def expand(path: str) -> Path:
    """A path from settings with ``~`` expanded."""
    return Path(path).expanduser()
