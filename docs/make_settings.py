"""Write docs/settings.md, the settings reference, from ``propscope.config.settings()``.

Usage: python docs/make_settings.py [--check]   (``make docs`` runs it)

``--check`` writes nothing and exits 1 when docs/settings.md differs from what this would
write; ``tests/core/test_docs.py`` makes the same comparison.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from propscope.config import MB, Setting, settings

SETTINGS_MD = Path(__file__).resolve().parent / "settings.md"

INTRO = """\
# Settings

Every setting of propscope, with its default. This page is written from
`src/propscope/config.py` by `make docs` (`python docs/make_settings.py`); edit the help texts
there, not here: `tests/core/test_docs.py` fails when the two disagree.

Each setting is read from an environment variable, `PROPSCOPE_` and its name in capitals
(an empty variable counts as unset). A command's own option, where it has one, wins over the
variable: `propscope serve --help` shows each server option with its variable, and
`propscope analyze --help` and `propscope corpus ingest --help` name theirs. Whole numbers
(`int`) must be written as such; a list (`tuple[str, ...]`) is comma-separated
(`PROPSCOPE_FETCH_ALLOW_HOSTS=intranet,10.0.0.5`). A bad value is refused with the variable
named, by the commands that read it.

In Python the sections are frozen dataclasses of `propscope.config`:
`Analyzer(config=AnalyzerConfig(batch_size=16))`, and `from_env()` builds the whole tree as the
environment sets it.
"""


def _default(s: Setting) -> str:
    value = s.default
    if value is None or value == ():
        return "none"
    if isinstance(value, int) and not isinstance(value, bool) and s.name.endswith("bytes") \
            and value % MB == 0:
        return f"`{value}` ({value // MB} MiB)"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value!r}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render(rows: list[Setting] | None = None) -> str:
    """The whole of docs/settings.md."""
    rows = settings() if rows is None else rows
    parts = [INTRO]
    for section in dict.fromkeys(s.section for s in rows):
        in_section = [s for s in rows if s.section == section]
        parts.append(f"## {section}\n\n{in_section[0].about}\n\n"
                     "| setting | environment variable | type | default | what it does |\n"
                     "| --- | --- | --- | --- | --- |\n"
                     + "".join(f"| `{s.name}` | `{s.env}` | `{_cell(s.type)}` | {_default(s)} | "
                               f"{_cell(s.help)} |\n" for s in in_section))
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/settings.md is out of date")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        current = SETTINGS_MD.read_text(encoding="utf-8") if SETTINGS_MD.is_file() else ""
        if current != text:
            print(f"{SETTINGS_MD} is out of date: run `make docs`.", file=sys.stderr)
            return 1
        return 0
    SETTINGS_MD.write_text(text, encoding="utf-8")
    print(f"wrote {SETTINGS_MD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
