"""A command whose optional dependency is not installed says which extra installs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run in a fresh interpreter where importing duckdb fails exactly as if it were not installed
# (a None entry in sys.modules makes `import duckdb` raise ModuleNotFoundError).
SCRIPT = """
import sys
sys.modules["duckdb"] = None
from propscope.cli.main import main
sys.exit(main(["corpus", "profile", "--db", sys.argv[1]]))
"""


def test_corpus_without_duckdb_names_the_extra(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "c.duckdb")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "pip install 'propscope[corpus]'" in proc.stderr
    assert "Traceback" not in proc.stderr
