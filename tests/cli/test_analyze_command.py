"""`propscope analyze` end to end with the shipped model, in-process and as a real process."""

from __future__ import annotations

import argparse
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from propscope.cli.analyze import choose_format
from propscope.cli.main import main
from propscope.config import from_env
from propscope.models.base import read_manifest, resolve_model_path

ARTICLE = """\
Traitors Sell Out Our Great Nation Again

The corrupt, spineless elites in Washington have once again betrayed every hard-working \
patriot in this country. These shameless crooks will stop at nothing to destroy our way of life.

Either we stand up and fight now, or we lose everything our grandparents built. There is no \
other choice. Every true American knows this is the worst disaster in the history of the republic.

Experts say the plan will cost billions, and millions of people already oppose it. \
Wake up, America! Take back control!
"""

CONTRACT_KEYS = {"id", "source", "text", "language", "notes", "genre", "frames", "spans", "paragraphs",
                 "boilerplate", "metadata", "model", "quotes"}
# The shipped model unless PROPSCOPE_MODEL names another artifact.
MODEL_NAME = read_manifest(resolve_model_path(from_env().analyzer.model))["name"]
SCRIPT_ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "traitors.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two readable articles and one empty file."""
    d = tmp_path / "news"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.md").write_text("# A calm report\n\nThe council met on Tuesday and approved the budget.\n",
                            encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    return d


def check_record(record: dict, text: str | None) -> None:  # type: ignore[type-arg]
    assert CONTRACT_KEYS - {"text"} <= set(record)
    if text is not None:
        assert record["text"] == text
        for span in record["spans"]:
            assert text[span["start"]:span["end"]] == span["text"]
    assert record["model"]["name"] == MODEL_NAME
    assert record["genre"]["label"] in ("opinion", "reporting", "satire")


def test_text_file_to_jsonl(article: Path, tmp_path: Path, plain_open_mode: int) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(article), "-o", str(out), "--quiet"]) == 0  # format from suffix
    (record,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert set(record) == CONTRACT_KEYS
    check_record(record, ARTICLE)
    assert record["spans"], "the shipped model finds nothing in an obviously loaded article"
    assert record["id"] == "traitors"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # Written through a private temporary file, but not left private: others may read it as
    # they could a file the shell wrote (0644 under the usual umask 022).
    assert stat.S_IMODE(out.stat().st_mode) == plain_open_mode


def test_folder_with_an_empty_file_fails_that_file_only(folder: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "all.jsonl"
    assert main(["analyze", str(folder), "--format", "jsonl", "-o", str(out)]) == 1
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    for r in records:
        check_record(r, r["text"])
    err = capsys.readouterr().err
    bad = [ln for ln in err.splitlines() if ln.startswith("propscope: ") and "empty.txt" in ln]
    assert len(bad) == 1 and bad[0].startswith(f"propscope: {folder / 'empty.txt'}: ")
    assert "analysed 2 articles, 1 failed" in err


@pytest.mark.parametrize("fmt", ["html", "semeval"])
def test_folder_outputs(folder: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / fmt
    assert main(["analyze", str(folder), "--format", fmt, "-o", str(out), "--quiet"]) == 1
    if fmt == "html":
        assert sorted(p.name for p in out.iterdir()) == ["a.html", "b.html", "index.html", "index.json"]
        assert "Traitors Sell Out" in (out / "a.html").read_text(encoding="utf-8")
        assert "Traitors Sell Out" in (out / "index.html").read_text(encoding="utf-8")  # one failed: kept
    else:
        assert sorted(p.name for p in (out / "labels-spans").iterdir()) == [
            "articlea-labels-subtask-3.txt", "articleb-labels-subtask-3.txt"]
        rows = (out / "labels-paragraphs.txt").read_text(encoding="utf-8").splitlines()
        assert [r.split("\t")[:2] for r in rows][:4] == [["a", "1"], ["a", "3"], ["a", "5"], ["a", "7"]]


def test_min_score_and_no_text(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(article), "--format", "json"]) == 0
    full = json.loads(capsys.readouterr().out)
    scores = sorted({s["score"] for s in full["spans"]})
    assert len(scores) >= 2
    # Halfway between two scores: JSON rounds scores, so cutting at one could go either way.
    cut = round((scores[len(scores) // 2 - 1] + scores[len(scores) // 2]) / 2, 6)
    assert main(["analyze", str(article), "--format", "json", "--no-text", "--min-score", str(cut)]) == 0
    filtered = json.loads(capsys.readouterr().out)
    assert "text" not in filtered
    assert [s for s in full["spans"] if s["score"] >= cut] == filtered["spans"]
    assert 0 < len(filtered["spans"]) < len(full["spans"])


def test_text_view(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(article), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Traitors Sell Out Our Great Nation Again" in out
    assert "Techniques" in out and "Paragraph labels" in out and "Genre:" in out


@pytest.mark.parametrize("argv", [
    ["analyze", "a.txt", "b.txt", "--format", "json"],
    ["analyze", "-", "-"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("propscope: error: ")


@pytest.mark.parametrize("bad", [["--min-score", "1.5"], ["--max-bytes", "0"], ["--encoding", "nope"],
                                 ["--encoding", "rot13"], ["--max-bytes", "99999999999999999999999"],
                                 ["--format", "xml"], ["--sensitivity", "loud"],
                                 ["--sensitivity", "5"]])
def test_bad_option_values_exit_2(bad: list[str], article: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["analyze", str(article), *bad])
    assert exc.value.code == 2


def test_auto_encoding_reads_a_folder_of_mixed_encodings_in_one_run(tmp_path: Path) -> None:
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "new.txt").write_text("Café owners are angry.\n", encoding="utf-8")
    (d / "old.txt").write_bytes("Café “owners” are angry.\n".encode("cp1252"))
    out = tmp_path / "out.jsonl"
    assert main(["analyze", str(d), "-o", str(out), "--quiet"]) == 1  # old.txt is no UTF-8
    assert main(["analyze", str(d), "-o", str(out), "--quiet", "--encoding", "AUTO"]) == 0
    texts = [json.loads(x)["text"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert texts == ["Café owners are angry.\n", "Café “owners” are angry.\n"]


def test_output_that_is_an_input_is_refused_and_the_input_kept(article: Path) -> None:
    before = article.read_bytes()
    assert main(["analyze", str(article), "-o", str(article), "--quiet"]) == 2
    assert article.read_bytes() == before


@pytest.mark.parametrize("option", ["--urls", "--feed"])
def test_output_that_is_the_list_of_pages_is_refused_and_the_list_kept(
        tmp_path: Path, option: str, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "links.txt"
    listing.write_text("https://example.org/a\n", encoding="utf-8")
    before = listing.read_bytes()
    assert main(["analyze", option, str(listing), "-o", str(listing), "--quiet"]) == 2
    assert listing.read_bytes() == before
    assert f"is also the {option} " in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "out"), [("jsonl", "out.jsonl"), ("html", "reports")])
def test_output_inside_the_input_folder_is_not_read_back(tmp_path: Path, fmt: str, out: str) -> None:
    d = tmp_path / "news"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "b.txt").write_text("The council met on Tuesday.\n", encoding="utf-8")
    for _ in range(2):  # a daily run over the same folder
        assert main(["analyze", str(d), "--format", fmt, "-o", str(d / out), "--quiet"]) == 0
    if fmt == "jsonl":
        assert [json.loads(x)["id"] for x in (d / out).read_text(encoding="utf-8").splitlines()] == ["a", "b"]
    else:
        assert sorted(p.name for p in (d / out).iterdir()) == ["a.html", "b.html", "index.html", "index.json"]


def test_json_with_a_folder_of_several_articles_is_refused(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.json"
    assert main(["analyze", str(folder), "-o", str(out), "--quiet"]) == 2
    assert not out.exists()


def test_one_report_into_a_folder_says_where_it_went(article: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # The report is named after the article's id; before, nothing said so.
    reports = tmp_path / "reports"
    assert main(["analyze", str(article), "--format", "html", "-o", f"{reports}/"]) == 0
    err = capsys.readouterr().err
    assert f"propscope: wrote {reports / 'traitors.html'}; open {reports / 'index.html'}" in err
    assert (reports / "traitors.html").is_file()
    assert main(["analyze", str(article), "-o", str(tmp_path / "one.html")]) == 0
    assert "wrote" not in capsys.readouterr().err  # a file the user named needs no word
    assert main(["analyze", str(article), "--format", "html", "-o", str(reports), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_html_into_an_existing_plain_file_is_a_usage_error(article: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes"
    notes.write_text("mine\n")
    assert main(["analyze", str(article), "--format", "html", "-o", str(notes)]) == 2
    assert "is a file; --format html writes a folder of reports" in capsys.readouterr().err
    assert notes.read_text() == "mine\n"  # was "[Errno 17] File exists" after the analysis


@pytest.mark.parametrize(("inputs", "output", "tty", "expected"), [
    (["a.txt"], None, True, "text"),
    (["a.txt"], None, False, "text"),
    (["a.txt", "b.txt"], None, False, "jsonl"),
    (["a.txt", "b.txt"], None, True, "text"),
    (["feed.jsonl"], None, False, "jsonl"),
    (["a.txt"], "out.json", True, "json"),
    (["a.txt"], "out.ndjson", True, "jsonl"),
    (["a.txt"], "report.html", False, "html"),
])
def test_default_format(inputs: list[str], output: str | None, tty: bool, expected: str) -> None:
    args = argparse.Namespace(format=None, output=output, inputs=inputs)
    assert choose_format(args, stdout_is_tty=tty) == expected


def run_script(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "propscope.cli.main", *argv], input=stdin,
                          capture_output=True, text=True, env=SCRIPT_ENV, timeout=300, check=False)


def test_real_process_reads_stdin() -> None:
    proc = run_script("analyze", "-", "--format", "jsonl", stdin=ARTICLE)
    assert proc.returncode == 0, proc.stderr
    (record,) = [json.loads(x) for x in proc.stdout.splitlines()]
    check_record(record, ARTICLE)
    assert record["source"] == "-"


def test_real_process_reads_json_lines_from_a_pipe() -> None:
    # A pipe can only be peeked, not sought back: the records must still all come, in order,
    # and a bad one must fail alone. The second record is longer than the pipe's buffer.
    long = ARTICLE + " " + "The council met again on Tuesday. " * 400
    lines = [json.dumps({"text": ARTICLE, "id": "first"}), "{not json", json.dumps({"text": long})]
    proc = run_script("analyze", "-", "--format", "jsonl", "--no-text", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 1
    records = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["id"] for r in records] == ["first", "stdin-3"]
    assert [r["source"] for r in records] == ["-:1", "-:3"]
    assert "-: line 2: not valid JSON" in proc.stderr


def test_real_process_folder_exit_code_and_plain_default(folder: Path) -> None:
    proc = run_script("analyze", str(folder))  # piped: jsonl by default
    assert proc.returncode == 1
    assert len(proc.stdout.splitlines()) == 2
    assert f"propscope: {folder / 'empty.txt'}:" in proc.stderr
    single = run_script("analyze", str(folder / "a.txt"))  # piped single file: plain text view
    assert single.returncode == 0 and "\x1b[" not in single.stdout
    assert "[1 " in single.stdout and "Paragraph labels" in single.stdout


@pytest.mark.slow
@pytest.mark.parametrize(("fmt", "out"), [("jsonl", "out.jsonl"), ("html", "reports")])
def test_sigterm_stops_analyze_as_ctrl_c_does(tmp_path: Path, fmt: str, out: str) -> None:
    # kill, timeout and container stops send SIGTERM: the outputs are left as Ctrl-C leaves
    # them, with no temporary file, and every report written listed in index.html.
    news = tmp_path / "news"
    news.mkdir()
    for i in range(300):
        (news / f"a{i:03}.txt").write_text(f"{ARTICLE}\nLetter {i}.\n", encoding="utf-8")
    target = tmp_path / out
    proc = subprocess.Popen([sys.executable, "-m", "propscope.cli.main", "analyze", str(news),
                             "--format", fmt, "-o", str(target), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=SCRIPT_ENV)
    folder, started = (tmp_path, ".out.jsonl.*.tmp") if fmt == "jsonl" else (target, "a*.html")
    deadline = time.monotonic() + 60
    while not any(folder.glob(started)) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err.strip()) == (130, "propscope: interrupted")
    assert not [p for p in tmp_path.rglob(".*") if p.name.endswith(".tmp")]
    if fmt == "jsonl":
        assert not target.exists()  # no half-written output, as after Ctrl-C
    else:
        reports = sorted(p.name for p in target.glob("a*.html"))
        index = json.loads((target / "index.json").read_text(encoding="utf-8"))
        assert reports and sorted(e["file"] for e in index["reports"]) == reports
        assert all(name in (target / "index.html").read_text(encoding="utf-8") for name in reports)


ESCAPES = "\x1b[2J\x1b]0;owned\x07\r"  # clear the screen, set the window title, overwrite the line


@pytest.mark.parametrize("argv", [["{news}"], ["{news}/gone{esc}.txt"],
                                  ["{news}", "-o", "{news}", "--format", "json"]])
def test_file_names_reach_the_terminal_without_their_escape_sequences(
        tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    news = tmp_path / f"news{ESCAPES}"
    news.mkdir()
    (news / f"empty{ESCAPES}.txt").write_bytes(b"")
    assert main(["analyze", "--quiet", *(a.format(news=news, esc=ESCAPES) for a in argv)]) in (1, 2)
    err = capsys.readouterr().err
    assert err.startswith("propscope: ") and "\ufffd[2J\ufffd]0;owned\ufffd\ufffd" in err
    assert not any(c in err for c in "\x1b\x07\r")


def test_html_report_carries_the_models_detection_rates(article: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from propscope.models.quality import load_quality

    model = resolve_model_path(from_env().analyzer.model)
    if load_quality(model) is None:
        pytest.skip("the model has no recorded scores")
    out = tmp_path / "report.html"
    assert main(["analyze", str(article), "-o", str(out), "--quiet"]) == 0
    assert "Labels right</th>" in out.read_text(encoding="utf-8")
    # Unreadable scores: the report is still written, without them, and the user is told.
    broken = tmp_path / "model"
    broken.mkdir()
    for f in model.iterdir():
        (broken / f.name).symlink_to(f)
    (broken / "validation.json").unlink()
    (broken / "validation.json").write_text("{broken", encoding="utf-8")
    capsys.readouterr()
    assert main(["analyze", str(article), "-o", str(out), "--quiet", "--model", str(broken)]) == 0
    assert "Labels right" not in out.read_text(encoding="utf-8")
    assert "without the model's detection rates" in capsys.readouterr().err


def test_text_view_carries_the_models_detection_rates(article: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from propscope.models.quality import load_quality

    if load_quality(resolve_model_path(from_env().analyzer.model)) is None:
        pytest.skip("the model has no recorded scores")
    assert main(["analyze", str(article), "--format", "text", "--no-text"]) == 0
    assert "Labels right" in capsys.readouterr().out


def test_sensitivity_changes_spans_and_is_said(article: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from propscope.models.quality import load_quality

    assert main(["analyze", str(article), "--format", "json", "--no-text"]) == 0
    balanced = json.loads(capsys.readouterr().out)
    assert main(["analyze", str(article), "--format", "json", "--no-text", "--sensitivity", "broad"]) == 0
    broad = json.loads(capsys.readouterr().out)
    assert balanced["model"]["sensitivity"] == 0.0 and broad["model"]["sensitivity"] == 0.5
    assert len(broad["spans"]) > len(balanced["spans"])
    assert broad["genre"] == balanced["genre"] and broad["frames"] == balanced["frames"]
    # The text view says the level, and leaves out rates measured at other thresholds.
    assert main(["analyze", str(article), "--format", "text", "--no-text", "--sensitivity", "broad"]) == 0
    out = capsys.readouterr().out
    assert "sensitivity broad: more spans" in out
    if load_quality(resolve_model_path(from_env().analyzer.model)) is not None:
        assert "Labels right" not in out
    assert main(["analyze", str(article), "--format", "text", "--no-text"]) == 0
    assert "\nsensitivity " not in capsys.readouterr().out



def test_html_report_says_the_sensitivity(article: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["analyze", str(article), "-o", str(out), "--quiet", "--sensitivity", "exhaustive"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<dt>Sensitivity</dt><dd>exhaustive: more spans and paragraph labels" in html
    assert "Labels right</th>" not in html  # rates measured at the calibrated thresholds
    assert main(["analyze", str(article), "-o", str(out), "--quiet"]) == 0
    assert "<dt>Sensitivity</dt>" not in out.read_text(encoding="utf-8")


def test_sensitivity_from_the_environment(article: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PROPSCOPE_SENSITIVITY", "precise")
    assert main(["analyze", str(article), "--format", "json", "--no-text"]) == 0
    assert json.loads(capsys.readouterr().out)["model"]["sensitivity"] == -1.0
    assert main(["analyze", str(article), "--format", "json", "--no-text", "--sensitivity", "0.8"]) == 0
    assert json.loads(capsys.readouterr().out)["model"]["sensitivity"] == 0.8
    monkeypatch.setenv("PROPSCOPE_SENSITIVITY", "loud")
    assert main(["analyze", str(article), "--format", "json"]) == 1
    assert "Unknown sensitivity 'loud'" in capsys.readouterr().err


def test_analysing_a_file_loads_no_http_stack(article: Path) -> None:
    # Only a URL needs the fetcher, and only a feed an XML parser; loading them for a file
    # costs the cold start.
    code = ("import sys\nfrom propscope.cli.main import main\n"
            f"main(['analyze', {str(article)!r}, '--format', 'json', '-o', {os.devnull!r}])\n"
            "print(sorted(m for m in ('httpcore', 'anyio', 'starlette', 'propscope.ingest.fetch', "
            "'xml.etree.ElementTree', 'defusedxml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_help_fits_one_screen_and_lists_every_format(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The long form is docs/cli.md; the help is what fits a 100 x 40 terminal."""
    from propscope.render.formats import formats

    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    lines = capsys.readouterr().out.rstrip("\n").splitlines()
    assert len(lines) <= 40 and max(map(len, lines)) <= 100
    assert "docs/cli.md" in "\n".join(lines)
    for name, fmt in formats().items():
        assert any(line.split()[:1] == [name] and fmt.help in line for line in lines)
