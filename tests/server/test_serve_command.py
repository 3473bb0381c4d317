"""`propscope serve`: its help, and how options, environment and defaults combine."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path

import pytest

from propscope.cli.main import build_parser
from propscope.cli.serve import build_config
from propscope.config import FetchConfig, ServerConfig


def test_help_names_every_server_setting_and_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--token", "--model", "--max-body-bytes", "--max-batch",
                   "--rate-limit", "--fetch-timeout", "--fetch-max-bytes", "--allow-fetch-host",
                   "--store", "--threads", "--header-timeout", "--max-connections",
                   "--max-client-connections", "--trusted-proxy", "--store-max-mb", "--store-days"):
        assert option in out
    assert "PROPSCOPE_TOKEN" in out and "127.0.0.1" in out


@pytest.mark.parametrize(("argv", "env", "expected"), [
    ([], {}, {}),
    ([], {"PROPSCOPE_PORT": "9001", "PROPSCOPE_TOKEN": "from-env"}, {"port": 9001, "token": "from-env"}),
    (["--port", "9002"], {"PROPSCOPE_PORT": "9001"}, {"port": 9002}),
    (["--allow-fetch-host", "127.0.0.1", "--allow-fetch-host", "intranet"], {},
     {"fetch_allow_hosts": ("127.0.0.1", "intranet")}),
    ([], {"PROPSCOPE_FETCH_ALLOW_HOSTS": "a, b"}, {"fetch_allow_hosts": ("a", "b")}),
    (["--threads", "3", "--rate-limit", "10"], {}, {"analysis_threads": 3, "rate_limit": 10}),
    (["--trusted-proxy", "10.0.0.2", "--header-timeout", "2.5", "--max-connections", "100",
      "--max-client-connections", "8"], {},
     {"trusted_proxies": ("10.0.0.2",), "header_timeout": 2.5, "max_connections": 100,
      "max_client_connections": 8}),
    ([], {"PROPSCOPE_TRUSTED_PROXIES": "10.0.0.2, 10.0.0.3"},
     {"trusted_proxies": ("10.0.0.2", "10.0.0.3")}),
])
def test_options_override_environment_over_defaults(monkeypatch: pytest.MonkeyPatch, argv: list[str],
                                                    env: dict[str, str],
                                                    expected: dict[str, object]) -> None:
    for name in [k for k in os.environ if k.startswith("PROPSCOPE_")]:
        monkeypatch.delenv(name)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = build_config(build_parser().parse_args(["serve", *argv]))
    fetch = {k: v for k, v in expected.items() if k.startswith("fetch_")}
    server = {k: v for k, v in expected.items() if k not in fetch}
    assert config.server == dataclasses.replace(ServerConfig(), **server)
    assert config.fetch == dataclasses.replace(FetchConfig(), **fetch)


def test_model_option_sets_the_analyzer_model() -> None:
    config = build_config(build_parser().parse_args(["serve", "--model", "some/folder"]))
    assert config.analyzer.model == "some/folder"


def test_sensitivity_option_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPSCOPE_SENSITIVITY", "precise")
    assert build_config(build_parser().parse_args(["serve"])).analyzer.sensitivity == "precise"
    args = build_parser().parse_args(["serve", "--sensitivity", "broad"])
    assert build_config(args).analyzer.sensitivity == "broad"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--sensitivity", "everything"])


@pytest.mark.parametrize("argv", [["--fetch-timeout", "nan"], ["--fetch-timeout", "-5"],
                                  ["--fetch-timeout", "inf"], ["--port", "99999"], ["--port", "-1"],
                                  ["--threads", "0"], ["--max-batch", "99999999999999999999"]])
def test_impossible_option_values_are_usage_errors(argv: list[str]) -> None:
    # --fetch-timeout nan started a server whose every fetch was a 500; --port 99999 a traceback.
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["serve", *argv])
    assert exc.value.code == 2


@pytest.mark.parametrize(("env", "said"), [
    ({"PROPSCOPE_MAX_BYTES": "abc"}, "PROPSCOPE_MAX_BYTES must be a whole number, got 'abc'"),
    ({"PROPSCOPE_FETCH_TIMEOUT": "nan"}, "PROPSCOPE_FETCH_TIMEOUT must be a finite number"),
    ({"PROPSCOPE_FETCH_TIMEOUT": "-5"}, "fetch_timeout must be above 0 seconds, got -5.0"),
    ({"PROPSCOPE_PORT": "70000"}, "port must be from 0 to 65535, got 70000"),
])
def test_bad_environment_values_are_named_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str],
        said: str) -> None:
    from propscope.cli.main import main

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["serve"]) in (1, 2)
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_bad_environment_value_fails_only_the_commands_that_read_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # PROPSCOPE_PORT=abc made every command, --version and --help included, exit 2.
    from propscope.cli.main import main

    monkeypatch.setenv("PROPSCOPE_PORT", "abc")
    assert main(["techniques", "--format", "json"]) == 0
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    capsys.readouterr()
    assert main(["corpus", "profile", "--db", str(tmp_path / "c.duckdb")]) == 2
    assert "PROPSCOPE_PORT must be a whole number, got 'abc'" in capsys.readouterr().err


def test_port_0_serves_on_the_free_port_it_prints(tmp_path: Path) -> None:
    # It printed "serving on http://127.0.0.1:0/" while listening elsewhere.
    import re
    import subprocess
    import sys
    import time

    import httpx
    from serverkit import model_dir

    model_dir()
    log = tmp_path / "server.log"
    cmd = [sys.executable, "-m", "propscope.cli.main", "serve", "--port", "0", "--store",
           str(tmp_path / "store"), "--log-level", "warning"]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline, answered = time.monotonic() + 90, False
        while time.monotonic() < deadline and not answered and process.poll() is None:
            time.sleep(0.2)
            if m := re.search(r"serving on (http://127\.0\.0\.1:(\d+))/", log.read_text()):
                assert m.group(2) != "0"
                with contextlib.suppress(httpx.TransportError):
                    answered = httpx.get(m.group(1) + "/api/health", timeout=2).status_code == 200
        assert answered, log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)
