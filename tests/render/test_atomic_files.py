"""Atomic writes: complete files or nothing, never temporary leftovers."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from propscope.render.files import UniqueNames, atomic_open, atomic_path, atomic_write, safe_stem


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_creates_folders_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    atomic_write(target, "héllo\n")
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_written_files_get_the_mode_open_would_give_them(tmp_path: Path, plain_open_mode: int) -> None:
    # The temporary file starts private (0600); a report for colleagues must not stay so.
    new = atomic_write(tmp_path / "report.html", "<p>x</p>")
    assert _mode(new) == plain_open_mode != 0o600
    shared = tmp_path / "shared.jsonl"
    shared.write_text("old\n")
    shared.chmod(0o664)
    atomic_write(shared, "new\n")
    assert _mode(shared) == 0o664 and shared.read_text() == "new\n"  # a replaced file keeps its mode
    assert _mode(atomic_write(tmp_path / "mine.json", "{}", private=True)) == 0o600


def test_atomic_path_renames_what_another_writer_wrote(tmp_path: Path) -> None:
    target = tmp_path / "t.csv"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_text("a,b\n")
        assert not target.exists()
    assert target.read_text() == "a,b\n" and [p.name for p in tmp_path.iterdir()] == ["t.csv"]
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "a,b\n" and [p.name for p in tmp_path.iterdir()] == ["t.csv"]


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


def test_a_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    # ``-o /dev/null``, ``-o >(gzip > x.gz)`` or a FIFO: renaming over it would destroy it.
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    atomic_write(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert got == ["through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a pipe
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left


def test_a_symbolic_link_keeps_pointing_at_the_replaced_file(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "latest.json"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    atomic_write(link, "new\n")
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text() == "new\n"
    dangling = tmp_path / "future.json"
    dangling.symlink_to(tmp_path / "later" / "future.json")
    atomic_write(dangling, "made\n")  # a link to a file not yet written: the file is created
    assert dangling.is_symlink() and (tmp_path / "later" / "future.json").read_text() == "made\n"
