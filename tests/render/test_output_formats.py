"""Output writers: what each format writes, and that failures leave no partial files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from propscope.document import Document
from propscope.render.formats import OutputError, open_output


def test_jsonl_file_appears_only_when_complete(tmp_path: Path, doc: Document) -> None:
    target = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt), open_output("jsonl", str(target)) as out:
        out.add(doc)
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with open_output("jsonl", str(target), include_text=False) as out:
        out.add(doc)
        out.add(doc)
    records = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2 and "text" not in records[0]
    assert records[0]["spans"][0]["text"] == "Betrays Our Nation"


def test_json_refuses_a_second_article(tmp_path: Path, doc: Document) -> None:
    with pytest.raises(OutputError, match="--format jsonl"), \
            open_output("json", str(tmp_path / "one.json")) as out:
        out.add(doc)
        out.add(doc)
    assert list(tmp_path.iterdir()) == []


def test_json_to_stdout(doc: Document) -> None:
    buf = io.StringIO()
    with open_output("json", None, stdout=buf) as out:
        out.add(doc)
    assert json.loads(buf.getvalue())["text"] == doc.text


def test_html_folder_gets_one_safe_unique_file_per_article(tmp_path: Path, doc: Document,
                                                          make_doc) -> None:  # type: ignore[no-untyped-def]
    odd = make_doc("Some text.\n", [], id="../escape")
    with open_output("html", str(tmp_path / "reports")) as out:
        for d in (doc, doc, odd):
            out.add(d)
    names = sorted(p.name for p in (tmp_path / "reports").iterdir())
    assert names == ["123-2.html", "123.html", "escape.html", "index.html", "index.json"]
    assert "<!DOCTYPE html>" in (tmp_path / "reports" / "123.html").read_text(encoding="utf-8")


def test_html_single_file_target(tmp_path: Path, doc: Document) -> None:
    with open_output("html", str(tmp_path / "r.html")) as out:
        out.add(doc)
        with pytest.raises(OutputError, match="folder"):
            out.add(doc)
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_a_second_article_for_one_html_file_leaves_the_existing_file_alone(tmp_path: Path,
                                                                          doc: Document) -> None:
    # ``analyze a.txt b.txt -o report.html``: a usage error, and report.html as it was.
    target = tmp_path / "report.html"
    target.write_text("ORIGINAL\n")
    with pytest.raises(OutputError, match="folder"), open_output("html", str(target)) as out:
        out.add(doc)
        out.add(doc)
    assert target.read_text() == "ORIGINAL\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_an_interrupted_run_into_a_report_folder_lists_what_it_wrote(tmp_path: Path, doc: Document,
                                                                    make_doc) -> None:  # type: ignore[no-untyped-def]
    # Ctrl-C after two reports: they are listed, so a re-run updates them instead of writing
    # copies named -2 beside them.
    folder = tmp_path / "reports"
    other = make_doc("Other text.\n", [], id="other")
    with pytest.raises(KeyboardInterrupt), open_output("html", str(folder)) as out:
        out.add(doc)
        out.add(other)
        raise KeyboardInterrupt
    assert sorted(p.name for p in folder.iterdir()) == ["123.html", "index.html", "index.json",
                                                        "other.html"]
    with open_output("html", str(folder)) as out:
        out.add(doc)
        out.add(other)
    assert sorted(p.name for p in folder.iterdir()) == ["123.html", "index.html", "index.json",
                                                        "other.html"]


def test_text_to_a_file_is_plain(tmp_path: Path, doc: Document) -> None:
    target = tmp_path / "view.txt"
    with open_output("text", str(target)) as out:
        out.add(doc)
        out.add(doc)
    content = target.read_text(encoding="utf-8")
    assert "\x1b[" not in content and content.count("Paragraph labels") == 2


def test_a_registered_format_is_one_the_cli_writes(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A format is one writer and one registration: --format, -o's extension and --help follow."""
    from propscope.cli.main import main
    from propscope.render.formats import FORMATS, OutputFormat, Target, formats, register_format

    class Counts:  # "id<TAB>spans" per article
        def __init__(self, target: Target) -> None:
            self.target = target

        def add(self, doc: Document) -> None:
            self.target.stream.fh.write(f"{doc.id}\t{len(doc.spans)}\n")

        def close(self) -> None:
            return None

        def abort(self) -> None:
            return None

    register_format(OutputFormat("counts", "span counts, one line per article", Counts,
                                 suffixes=(".counts",)))
    try:
        article = tmp_path / "story.txt"
        article.write_text("Corrupt traitors lied to the nation again, shamefully.\n", encoding="utf-8")
        out = tmp_path / "all.counts"
        assert main(["analyze", str(article), "-o", str(out), "--quiet"]) == 0
        name, count = out.read_text(encoding="utf-8").strip().split("\t")
        assert name == "story" and int(count) >= 0
        assert "counts" in formats()
        with pytest.raises(SystemExit):
            main(["analyze", "--help"])
        assert "span counts, one line per article" in capsys.readouterr().out
    finally:
        del FORMATS["counts"]
