"""Atomic writes: complete files or nothing, never temporary leftovers."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.render.files import UniqueNames, atomic_open, atomic_write, safe_stem


def test_atomic_write_creates_folders_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    atomic_write(target, "héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


@pytest.mark.parametrize("error", [ValueError, KeyboardInterrupt])
@pytest.mark.parametrize("existing", [None, "old content\n"])
def test_failure_inside_the_block_leaves_the_target_untouched(
        tmp_path: Path, error: type[BaseException], existing: str | None) -> None:
    target = tmp_path / "out.jsonl"
    if existing is not None:
        target.write_text(existing, encoding="utf-8")
    with pytest.raises(error), atomic_open(target) as fh:
        fh.write('{"half": ')
        raise error("stop")
    if existing is None:
        assert not target.exists()
    else:
        assert target.read_text(encoding="utf-8") == existing
    assert [p.name for p in tmp_path.iterdir()] == ([] if existing is None else ["out.jsonl"])


@pytest.mark.parametrize(("raw", "expected"), [
    ("111111111", "111111111"),
    ("../../etc/passwd", "etc_passwd"),
    ("a b/c\\d", "a_b_c_d"),
    ("...", "document"),
    ("", "document"),
])
def test_safe_stem_keeps_outputs_inside_their_folder(raw: str, expected: str) -> None:
    assert safe_stem(raw) == expected


def test_unique_names_never_repeat() -> None:
    unique = UniqueNames()
    names = [unique(n) for n in ["a", "a", "a-2", "a", "b"]]
    assert names == ["a", "a-2", "a-2-2", "a-3", "b"]
    assert len(set(names)) == len(names)
