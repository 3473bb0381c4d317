"""The HTML report: escaping of hostile articles, overlapping spans, self-containment."""

from __future__ import annotations

import html
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from ratings import rated

from propscope.document import Document, Metadata
from propscope.model_info import ModelQuality
from propscope.render.html import render_html

HOSTILE = (
    "Breaking <script>alert(1)</script> news\n"
    "\n"
    "Look <img src=x onerror=alert(1)> at <a href=\"javascript:alert(1)\">this link</a> now.\n"
    "\n"
    "Fish &amp; chips &lt;b&gt; are a disgraceful scam.\n"
)


class Elements(HTMLParser):
    """Collects every start tag with its attributes, and the text of each article line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.lines: list[str] = []
        self._in_line = False
        self._in_sup = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "p" and a.get("class") == "tx":
            self._in_line = True
            self.lines.append("")
        self._in_sup = self._in_sup or tag == "sup"

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_line = False
        if tag == "sup":
            self._in_sup = False

    def handle_data(self, data: str) -> None:
        if self._in_line and not self._in_sup:
            self.lines[-1] += data


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    return parser


@pytest.fixture
def hostile(make_doc) -> Document:  # type: ignore[no-untyped-def]
    return make_doc(
        HOSTILE,
        [("<script>alert(1)</script>", "Loaded_Language", 0.7),
         ("<img src=x onerror=alert(1)>", "Doubt", 0.6),
         ("disgraceful scam", "Loaded_Language", 0.9)],
        metadata=Metadata(title="<script>alert('title')</script>", author="<b>Eve</b>",
                          url="javascript:alert(1)"),
    )


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">',
    "<script>alert('title')</script>",
    "<b>Eve</b>",
])
def test_hostile_markup_is_escaped(hostile: Document, payload: str) -> None:
    page = render_html(hostile)
    assert payload not in page
    # Jinja escapes quotes as numeric references; compare against the unquoted escaping.
    assert html.escape(payload, quote=False) in page.replace("&#34;", '"').replace("&#39;", "'")


def test_hostile_article_creates_no_active_elements(hostile: Document) -> None:
    tags = parse(render_html(hostile)).tags
    names = {t for t, _ in tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link"}
    for _, attrs in tags:
        assert not any(k.startswith("on") for k in attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:")


def test_entities_in_the_article_stay_literal(hostile: Document) -> None:
    lines = parse(render_html(hostile)).lines
    # The article says "&amp;" literally; it must read "&amp;" again, not "&".
    assert lines[-1] == "Fish &amp; chips &lt;b&gt; are a disgraceful scam."


def test_article_text_survives_highlighting(doc: Document) -> None:
    lines = parse(render_html(doc)).lines
    expected = [ln for ln in doc.text.split("\n") if ln.strip()]
    assert lines == expected


def test_overlapping_spans_are_both_marked_and_nested(doc: Document) -> None:
    page = render_html(doc)
    marks = [a for t, a in parse(page).tags if t == "mark"]
    numbers = {a["data-n"] for a in marks}
    assert numbers == {str(i) for i in range(1, len(doc.spans) + 1)}
    # "shameful decision" is covered by Name calling (inner) and Loaded language (outer).
    assert '<mark class="t t-Loaded_Language l1" data-n="2"' in page
    nested = page.split('data-n="3"', 1)[1].split("</mark>", 1)[0]
    assert ">shameful decision" in nested
    inner = next(a for a in marks if a["data-n"] == "3")
    outer = next(a for a in marks if a["data-n"] == "2")
    assert inner["class"].endswith("l0") and outer["class"].endswith("l1")


def test_each_span_is_reachable_by_keyboard_and_explained(doc: Document) -> None:
    marks = [a for t, a in parse(render_html(doc)).tags if t == "mark"]
    focusable = [a for a in marks if a.get("tabindex") == "0"]
    assert len(focusable) == len(doc.spans)
    flag = next(a for a in focusable if "Flag waving" in (a["title"] or ""))
    assert "Justification" in flag["title"] and "loyalty" in flag["title"]
    assert "Confidence 75%" in flag["title"]
    assert flag["data-tip"] == flag["title"]


def test_report_is_self_contained(doc: Document) -> None:
    tags = parse(render_html(doc)).tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe")]
    external = [a for _, a in tags if (a.get("src") or "").startswith(("http", "//"))]
    assert external == []
    links = [a["href"] for t, a in tags if t == "a" and not (a.get("href") or "").startswith("#")]
    assert links == ["https://example.org/deal"]  # the article's own URL, nothing else


def test_report_shows_summary_metadata_and_model(doc: Document) -> None:
    page = render_html(doc)
    for expected in ("Shameful Deal", "Daily Example", "J. Doe", "2020-01-02", "example.net",
                     "linear-v0 0.1.0", "Flag waving", "False dilemma / no choice",
                     "Political", "opinion", "0.70", "Manipulative wording"):
        assert expected in page
    assert 'class="line bp" id="L7"' in page  # boilerplate line greyed
    assert 'id="L3"' in page and 'href="#L5"' in page  # labelled lines linked


def test_report_is_a_pure_function_of_the_document(doc: Document) -> None:
    assert render_html(doc) == render_html(doc)


def test_document_without_annotations_renders(make_doc) -> None:  # type: ignore[no-untyped-def]
    bare = Document("Just one plain line.", id="bare")
    page = render_html(bare)
    assert "No technique found." in page and "Not predicted." in page
    assert parse(page).lines == ["Just one plain line."]


def test_report_says_how_often_the_models_labels_were_right(doc: Document, rates: ModelQuality) -> None:
    bare = render_html(doc)
    page = render_html(rated(doc, rates))
    assert "<th class=\"num\">Labels right</th>" in page
    assert ">42%</td>" in page and ">5 of 8</td>" in page  # few labels: a count
    assert ">—</td>" in page  # False_Dilemma-No_Choice: no rates recorded
    assert html.escape(rates.header(), quote=False) in page
    chips = [a.get("title") for t, a in parse(page).tags if t == "span" and "chip" in (a.get("class") or "")]
    assert any(rates.describe("Loaded_Language") in (c or "") for c in chips)
    assert "Labels right" not in bare and render_html(rated(doc, None)) == bare


def test_rates_of_another_model_are_not_shown(doc: Document, rates_of: Callable[[str], ModelQuality]) -> None:
    bare = render_html(doc)
    assert render_html(rated(doc, rates_of("hybrid-v1 0.4.0"))) == bare


def test_a_genre_chosen_below_the_top_score_is_explained(doc: Document) -> None:
    from propscope.document import Genre

    assert "is chosen although" not in render_html(doc)  # opinion 0.7: the label is the top score
    doc.genre = Genre("reporting", {"opinion": 0.54, "reporting": 0.46, "satire": 0.0})
    assert "reporting is chosen although opinion scores higher" in render_html(doc)


def test_control_characters_from_the_input_reach_no_html(make_doc) -> None:  # type: ignore[no-untyped-def]
    # A JSONL record may carry "\u0000" or ESC; HTML allows neither. Each becomes one "�", so
    # the highlight still covers the same characters.
    text = "Nul\x00 here and a disgraceful\x1b scam."
    doc = make_doc(text, [("disgraceful\x1b scam", "Loaded_Language", 0.9)],
                   metadata=Metadata(outlet="Out\x00let", title="T\x07itle"))
    page = render_html(doc)
    assert not any(c in page for c in "\x00\x1b\x07")
    assert "Out\ufffdlet" in page and "disgraceful\ufffd scam" in page


def test_a_language_the_model_does_not_read_is_flagged_in_the_report(make_doc) -> None:  # type: ignore[no-untyped-def]
    page = render_html(make_doc("Эти продажные предатели лгут народу каждый день и разрушают всё, "
                                "что мы любим в нашей великой стране.\n", [], language="ru"))
    assert "This text is in Russian, which linear-v0 does not read" in page
    assert "does not read" not in render_html(make_doc("A calm report about the weather.\n", []))


def test_an_untitled_article_is_named_by_its_first_line(make_doc) -> None:  # type: ignore[no-untyped-def]
    page = render_html(make_doc("Senate vote tonight\n\nThe council met.\n", []))
    assert "<h1>Senate vote tonight</h1>" in page


STACKED = "The useless, hopeless, shameful plan failed.\n"


@pytest.fixture
def stacked(make_doc) -> Document:  # type: ignore[no-untyped-def]
    """Three spans of one category that begin on one word, and one that begins later."""
    return make_doc(STACKED, [("useless, hopeless, shameful plan", "Name_Calling-Labeling", 0.8),
                              ("useless, hopeless", "Doubt", 0.7),
                              ("useless", "Guilt_by_Association", 0.6),
                              ("shameful", "Loaded_Language", 0.5)])


def test_markers_of_spans_that_start_together_read_apart(stacked: Document) -> None:
    # They were "⁶⁷⁸useless": one number stuck to the next and to the word.
    page = render_html(stacked)
    [group] = [g for g in page.split('<sup class="ns">')[1:2]]
    marker = html.unescape(group.split("</sup>", 1)[0])
    text = "".join(part.split(">")[-1] for part in marker.split("<"))
    assert text == "1\xa0NC, 2\xa0CD, 3\xa0GA"
    assert "Name calling / labeling" in marker  # each number says its technique on hover too


def test_techniques_of_one_category_are_drawn_apart(stacked: Document) -> None:
    # All of a category's techniques had one colour and one solid underline.
    page = render_html(stacked)
    rules = {}
    for name in ("Name_Calling-Labeling", "Doubt", "Guilt_by_Association"):
        assert f'<mark class="t t-{name} ' in page
        rules[name] = page.split(f".t-{name} {{", 1)[1].split("}", 1)[0]
    assert len(set(rules.values())) == 3
    assert "linear-gradient(" in rules["Name_Calling-Labeling"]  # solid
    assert "repeating-linear-gradient(90deg" in rules["Doubt"]  # dotted, dashed: not by colour alone
    key = page.split('aria-label="Techniques found: tag, shade and underline"', 1)[1].split("</ul>", 1)[0]
    for tag, title in (("NC", "Name calling / labeling"), ("CD", "Casting doubt"),
                       ("GA", "Guilt by association"), ("LL", "Loaded language")):
        assert f'<span class="tag">{tag}</span> {title}' in key
