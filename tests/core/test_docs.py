"""The documents say what the code does: every setting is documented, docs/settings.md is the
one config.py writes, and no page names a setting that does not exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from propscope.config import ENV_PREFIX, Setting, from_env, settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SETTINGS_MD = DOCS / "settings.md"
# Pages that describe the current tool (docs/history/ keeps the names of its time).
CURRENT_PAGES = [ROOT / "README.md", ROOT / "BENCHMARKS.md", *sorted(DOCS.glob("*.md"))]


def _make_settings() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_settings", DOCS / "make_settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_md_is_what_make_docs_writes_from_config() -> None:
    assert SETTINGS_MD.read_text(encoding="utf-8") == _make_settings().render(), \
        "docs/settings.md is out of date with src/propscope/config.py: run `make docs`."


@pytest.mark.parametrize("setting", settings(), ids=lambda s: f"{s.section}.{s.name}")
def test_every_setting_is_documented(setting: Setting) -> None:
    row = next((line for line in SETTINGS_MD.read_text(encoding="utf-8").splitlines()
                if line.startswith(f"| `{setting.name}` |")), None)
    assert row is not None, f"{setting.section}.{setting.name} is missing from docs/settings.md"
    assert f"`{setting.env}`" in row and setting.help.replace("|", "\\|") in row


def test_every_setting_is_read_from_the_variable_the_reference_names() -> None:
    names = [s.name for s in settings()]
    assert len(names) == len(set(names)), "field names must be unique across sections"
    config = from_env({"PROPSCOPE_BATCH_SIZE": "3", "PROPSCOPE_FETCH_ALLOW_HOSTS": "a,b"})
    assert config.analyzer.batch_size == 3 and config.fetch.fetch_allow_hosts == ("a", "b")
    for s in settings():
        assert s.env == ENV_PREFIX + s.name.upper()


@pytest.mark.parametrize("page", CURRENT_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_name_only_settings_that_exist(page: Path) -> None:
    known = {s.env for s in settings()}
    named = set(re.findall(r"\bPROPSCOPE_[A-Z0-9_]*[A-Z0-9]\b", page.read_text(encoding="utf-8")))
    assert named <= known, f"{page.name} names unknown settings: {sorted(named - known)}"
