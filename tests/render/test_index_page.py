"""The index page of a folder of HTML reports (``render/index.py``) and how ``analyze`` writes it."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from propscope.cli.main import main
from propscope.document import Document, Metadata
from propscope.render.index import entries_json, index_entry, load_entries, render_index


class Rows(HTMLParser):
    """The link and the cell texts of each body row."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.headers: list[str] = []
        self.tags: set[str] = set()
        self._th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._th = tag == "th"
        if tag == "a":
            self.links.append(dict(attrs)["href"] or "")

    def handle_data(self, data: str) -> None:
        if self._th:
            self.headers.append(data)
            self._th = False


def _rows(page: str) -> Rows:
    parser = Rows()
    parser.feed(page)
    return parser


# The render tests' document builder (conftest.py): imported by fixture, not by module name, as
# several test folders have a conftest.py.
Builder = Callable[..., Document]


def test_entries_are_ranked_by_technique_density_and_link_their_reports(doc: Document,
                                                                        make_doc: Builder) -> None:
    text = doc.text  # the render tests' article
    calm = make_doc(text, [("reckless", "Loaded_Language", 0.6)], id="calm")
    loud = make_doc(text, [("reckless", "Loaded_Language", 0.6),
                           ("shameful decision", "Name_Calling-Labeling", 0.8),
                           ("Every true patriot", "Flag_Waving", 0.7)], id="loud")
    entries = [index_entry(calm, "calm.html"), index_entry(loud, "loud.html")]
    assert entries[1].spans == 3 and entries[1].words == calm.word_count()
    assert entries[1].per_1000 == pytest.approx(3000 / calm.word_count())
    assert entries[1].top[0] == ("Flag_Waving", 1)  # ties: by name
    page = render_index(entries)
    assert _rows(page).links == ["loud.html", "calm.html"]
    assert "Flag waving × 1" in page
    # Plain-text inputs carry no outlet or date: those columns are left out.
    assert "outlet" not in _rows(page).headers and "published" not in _rows(page).headers


def test_hostile_titles_are_text_and_known_outlets_get_their_column(doc: Document,
                                                                   make_doc: Builder) -> None:
    text = doc.text  # the render tests' article
    title = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    hostile = make_doc(text, [], id="h", metadata=Metadata(title=title, outlet="<b>Daily</b>",
                                                           published="2021-04-03"))
    page = render_index([index_entry(hostile, "h.html")])
    assert "<script>alert" not in page and "<img" not in page and "<b>Daily" not in page
    assert html.escape("<b>Daily</b>", quote=False) in page
    parsed = _rows(page)
    assert not parsed.tags & {"script", "img"}
    assert {"outlet", "published"} <= set(parsed.headers)


def test_a_folder_of_reports_gets_an_index_that_no_article_overwrites(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    loud = ("Traitors Betray the Nation\n\nThese corrupt, treasonous traitors have betrayed our great "
            "nation, and every true patriot knows it.\n")
    calm = "Weather Report\n\nLight rain is expected on Tuesday, with temperatures near 12 degrees.\n"
    (inputs / "index.txt").write_text(loud, encoding="utf-8")  # an article named like the page
    (inputs / "weather.txt").write_text(calm, encoding="utf-8")
    out = tmp_path / "reports"
    assert main(["analyze", str(inputs), "--format", "html", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["index-2.html", "index.html", "index.json",
                                                     "weather.html"]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert _rows(page).links == ["index-2.html", "weather.html"]  # the loaded article first
    assert "Traitors Betray the Nation" in page and "Weather Report" in page
    assert _rows((out / "weather.html").read_text(encoding="utf-8")).links[0] == "index.html"  # the way back
    assert f"open {out / 'index.html'} for the list of reports" in capsys.readouterr().err


def test_a_later_run_into_the_folder_keeps_the_earlier_reports_listed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A daily run into one folder: Monday's reports stay listed on Tuesday, a re-run of an
    # article updates its report, and a different article with the same id gets a new name.
    monday, tuesday, out = tmp_path / "mon", tmp_path / "tue", tmp_path / "reports"
    monday.mkdir()
    tuesday.mkdir()
    (monday / "story.txt").write_text("Monday Story\n\nThe council met and approved the budget.\n",
                                      encoding="utf-8")
    (monday / "roads.txt").write_text("Roads\n\nThe bridge reopens on Friday after repairs.\n",
                                      encoding="utf-8")
    (tuesday / "story.txt").write_text("Tuesday Story\n\nThese corrupt traitors betrayed the "
                                       "nation.\n", encoding="utf-8")
    argv = ["--format", "html", "-o", str(out), "--quiet"]
    assert main(["analyze", str(monday), *argv]) == 0
    assert main(["analyze", str(tuesday), *argv]) == 0
    assert sorted(p.name for p in out.glob("*.html")) == ["index.html", "roads.html", "story-2.html",
                                                          "story.html"]
    assert "Monday Story" in (out / "story.html").read_text(encoding="utf-8")  # not replaced
    assert "Tuesday Story" in (out / "story-2.html").read_text(encoding="utf-8")
    assert sorted(_rows((out / "index.html").read_text(encoding="utf-8")).links) == [
        "roads.html", "story-2.html", "story.html"]
    assert main(["analyze", str(monday / "roads.txt"), str(tuesday), *argv]) == 0  # a re-run
    assert sorted(p.name for p in out.glob("*.html")) == ["index.html", "roads.html", "story-2.html",
                                                          "story.html"]
    assert sorted(e.file for e in load_entries(out / "index.json")) == [
        "roads.html", "story-2.html", "story.html"]
    (out / "roads.html").unlink()  # a report the user deleted drops out of the list
    assert main(["analyze", str(tuesday), *argv]) == 0
    assert sorted(e.file for e in load_entries(out / "index.json")) == ["story-2.html", "story.html"]


def test_reports_made_at_different_sensitivities_say_so_row_by_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Monday's default run and Tuesday's broad one fill one folder: the page no longer says
    # "broad" of every report, it names each one's level.
    monday, tuesday, out = tmp_path / "mon", tmp_path / "tue", tmp_path / "reports"
    for day, title in ((monday, "Monday"), (tuesday, "Tuesday")):
        day.mkdir()
        (day / f"{title.lower()}.txt").write_text(f"{title}\n\nThese corrupt traitors betrayed "
                                                   "the nation again.\n", encoding="utf-8")
    argv = ["--format", "html", "-o", str(out), "--quiet"]
    assert main(["analyze", str(monday), *argv]) == 0
    one = (out / "index.html").read_text(encoding="utf-8")
    assert "different sensitivities" not in one and "<th>sensitivity</th>" not in one
    assert main(["analyze", str(tuesday), *argv, "--sensitivity", "broad"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "made at different sensitivities (balanced, broad)" in page
    assert "Sensitivity: broad" not in page
    rows = {e.file: e.sensitivity for e in load_entries(out / "index.json")}
    assert rows == {"monday.html": 0.0, "tuesday.html": 0.5}
    assert "<td>broad</td>" in page and "<td>balanced</td>" in page


def test_an_index_json_from_before_sensitivities_were_kept_is_still_read(
        tmp_path: Path, doc: Document) -> None:
    ledger = tmp_path / "index.json"
    text = entries_json([index_entry(doc, "a.html")])
    older = json.loads(text)
    del older["reports"][0]["sensitivity"]
    ledger.write_text(json.dumps(older), encoding="utf-8")
    [entry] = load_entries(ledger)
    assert entry.file == "a.html" and entry.sensitivity is None
    assert "different sensitivities" not in render_index([entry])


def test_a_foreign_index_json_stops_the_run_before_any_work(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str],
                                                             doc: Document) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nCorrupt traitors lied to the nation.\n", encoding="utf-8")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "index.json").write_text('{"rows": [1, 2]}', encoding="utf-8")
    assert main(["analyze", str(article), str(article), "--format", "html", "-o", str(out)]) == 2
    assert "index.json is not propscope's list of reports" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["index.json"]  # nothing written, nothing lost
    assert (out / "index.json").read_text(encoding="utf-8") == '{"rows": [1, 2]}'
    (out / "index.json").write_text(entries_json([index_entry(doc, "a.html")]), encoding="utf-8")
    assert [e.file for e in load_entries(out / "index.json")] == ["a.html"]  # round trip


def test_one_named_report_gets_no_index(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nCorrupt traitors lied to the nation.\n", encoding="utf-8")
    assert main(["analyze", str(article), "-o", str(tmp_path / "one.html"), "--quiet"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "one.html"]
    assert "index.html" not in (tmp_path / "one.html").read_text(encoding="utf-8")  # no dead link
