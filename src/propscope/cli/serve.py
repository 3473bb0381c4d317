"""`propscope serve`: run the web app and HTTP API on this machine."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from propscope.cli.options import add_sensitivity, at_least, seconds
from propscope.config import AnalyzerConfig, FetchConfig, ServerConfig, env_name


def _help(cls: type, name: str) -> str:
    f = next(f for f in dataclasses.fields(cls) if f.name == name)
    default = f" (default: {f.default})" if f.default not in (None, ()) else ""
    return f"{f.metadata['help']}{default} [env {env_name(name)}]"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "serve", help="run the web page and HTTP API (default http://127.0.0.1:8000)",
        description="Serve the analyser as a web page and an HTTP API on this machine.\n\n"
        "Paste, upload or fetch an article on the page; POST /api/analyze from scripts\n"
        "(schema at /api/openapi.json). Every option can also be set as an environment\n"
        "variable (shown in brackets); options given here win. Listening on any address\n"
        "other than loopback requires a token; the page then asks for it once.",
        epilog="Examples:\n  propscope serve\n  propscope serve --port 8080 --rate-limit 60\n"
        "  PROPSCOPE_TOKEN=s3cret propscope serve --host 0.0.0.0\n"
        "  curl -s localhost:8000/api/analyze -H 'Content-Type: application/json' "
        "-d '{\"text\": \"...\"}'",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    s, a, f = ServerConfig, AnalyzerConfig, FetchConfig
    p.add_argument("--host", help=_help(s, "host"))
    p.add_argument("--port", type=at_least(0, "(a TCP port)", 65535), help=_help(s, "port"))
    p.add_argument("--token", help=_help(s, "token") + " Prefer the environment variable: "
                   "command lines are visible to other users of the machine.")
    p.add_argument("--model", help=_help(a, "model"))
    add_sensitivity(p)
    p.add_argument("--max-body-bytes", type=at_least(1, "of bytes"), help=_help(s, "max_body_bytes"))
    p.add_argument("--max-batch", type=at_least(1, "of documents"), help=_help(s, "max_batch"))
    p.add_argument("--rate-limit", type=at_least(0, "of requests"), help=_help(s, "rate_limit"))
    p.add_argument("--fetch-timeout", type=seconds, help=_help(f, "fetch_timeout"))
    p.add_argument("--fetch-max-bytes", type=at_least(1, "of bytes"), help=_help(f, "fetch_max_bytes"))
    p.add_argument("--allow-fetch-host", action="append", dest="fetch_allow_hosts", metavar="HOST",
                   help=_help(f, "fetch_allow_hosts") + " Repeat for several hosts.")
    p.add_argument("--store", help=_help(s, "store"))
    p.add_argument("--store-max-mb", type=at_least(1, "of megabytes"), metavar="MB",
                   help=_help(s, "store_max_mb"))
    p.add_argument("--store-days", type=at_least(0, "of days"), metavar="DAYS",
                   help=_help(s, "store_days"))
    p.add_argument("--corpus-db", metavar="PATH", help=_help(s, "corpus_db"))
    p.add_argument("--threads", type=at_least(1, "of threads"), dest="analysis_threads", metavar="N",
                   help=_help(s, "analysis_threads"))
    p.add_argument("--header-timeout", type=seconds, metavar="SECONDS", help=_help(s, "header_timeout"))
    p.add_argument("--max-connections", type=at_least(1, "of connections"), metavar="N",
                   help=_help(s, "max_connections"))
    p.add_argument("--max-client-connections", type=at_least(1, "of connections"), metavar="N",
                   help=_help(s, "max_client_connections"))
    p.add_argument("--trusted-proxy", action="append", dest="trusted_proxies", metavar="ADDRESS",
                   help=_help(s, "trusted_proxies") + " Repeat for several proxies.")
    p.add_argument("--log-level", default="info",
                   choices=["critical", "error", "warning", "info", "debug"],
                   help="How much the server logs (default: info).")
    p.set_defaults(func=run)


def build_config(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The settings: defaults, then PROPSCOPE_* environment variables, then these options."""
    from propscope.config import from_env

    config = from_env()

    def given(cls: type) -> dict[str, Any]:
        return {k: v for k, v in vars(args).items()
                if v is not None and k in {f.name for f in dataclasses.fields(cls)}}

    server, fetch = given(ServerConfig), given(FetchConfig)
    for section, name in ((fetch, "fetch_allow_hosts"), (server, "trusted_proxies")):
        if name in section:
            section[name] = tuple(section[name])
    analyzer = {"model": args.model} if args.model else {}
    if args.sensitivity:
        analyzer["sensitivity"] = args.sensitivity
    return dataclasses.replace(config, server=dataclasses.replace(config.server, **server),
                               fetch=dataclasses.replace(config.fetch, **fetch),
                               analyzer=dataclasses.replace(config.analyzer, **analyzer))


def run(args: argparse.Namespace) -> int:
    import signal
    import socket

    import uvicorn

    from propscope.analyzer import Analyzer
    from propscope.models.base import DEFAULT_MODEL
    from propscope.server.app import check_config, create_app
    from propscope.server.connections import check_descriptors, server_options

    config = build_config(args)
    check_config(config)  # refuse unsafe settings before spending time on the model
    check_descriptors(config.server, config.fetch.fetch_concurrency)
    print(f"propscope: loading model {config.analyzer.model or DEFAULT_MODEL + ' (shipped)'}...",
          file=sys.stderr)
    analyzer = Analyzer(config.analyzer.model, config=config.analyzer)
    app = create_app(config, analyzer=analyzer)
    host, port = config.server.host, config.server.port
    if port == 0:  # any free port: chosen here, so that the address printed is the one served
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, 0))
            port = int(probe.getsockname()[1])
    shown = f"[{host}]" if ":" in host else host
    print(f"propscope: serving on http://{shown}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    # SIGTERM is a server's normal stop: uvicorn shuts down gracefully and raises the signal
    # again, which ends the process by SIGTERM, as supervisors expect, not as an interrupted
    # command (propscope's main() makes SIGTERM a KeyboardInterrupt for the other commands).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    uvicorn.run(app, host=host, port=port, log_level=args.log_level,
                server_header=False, timeout_graceful_shutdown=5, **server_options(config.server))
    return 0
