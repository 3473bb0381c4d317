"""Boilerplate regions and republication sources, with ordinary sentences that must not match."""

from __future__ import annotations

import pytest

from propscope.document import Document
from propscope.ingest.boilerplate import KINDS, find_boilerplate, scan_boilerplate
from propscope.ingest.header import parse_byline, parse_dateline
from propscope.ingest.metadata import guess_metadata
from propscope.pipeline import create_component

BODY = [
    "The ministers met in Geneva on Tuesday to discuss the arms treaty.",
    "Both sides said the talks were useful but no agreement was reached.",
    "Another round is expected next month, officials said.",
    "Analysts were cautious about the prospects of a deal.",
    "The treaty, signed in 1987, banned a whole class of missiles.",
    "Washington accuses Moscow of violating it; Moscow denies this.",
    "European capitals fear a new arms race on the continent.",
    "A joint statement is expected at the end of the week.",
]


def _article(top: list[str], bottom: list[str]) -> str:
    return "\n\n".join([*top, *BODY, *bottom]) + "\n"


def _kinds(text: str) -> dict[str, str]:
    regions, _ = find_boilerplate(text)
    return {text[r.start:r.end]: r.kind for r in regions}


@pytest.mark.parametrize(("line", "kind"), [
    ("Note to readers: please click the share buttons above or below.", "share_plea"),
    ("Please share this article with your friends!", "share_plea"),
    ("Share this story!", "share_plea"),
    ("Follow us on Telegram and Twitter", "share_plea"),
    ("If you enjoyed this article, please forward it.", "share_plea"),
    ("[Comment on Example Articles on our Facebook page](#)", "share_plea"),
    ("<< Support The Duran >>", "subscribe"),
    ("[Become a Member of Example Research](#)", "subscribe"),
    ("Subscribe to our newsletter for daily updates", "subscribe"),
    ("Support our journalism. Please consider subscribing today.", "subscribe"),
    ("**Disclaimer:** The contents of this article are of sole responsibility of the author(s).",
     "disclaimer"),
    ("The views expressed in this article are the author's own.", "disclaimer"),
    ("This site contains copyrighted material the use of which has not always been authorized.",
     "disclaimer"),
    ("Copyright © [Jane Doe](#), Example Research, 2020", "copyright"),
    ("©2018 Los Angeles Times, Distributed by Tribune Content Agency, LLC.", "copyright"),
    ("COPYRIGHT 2018 CREATORS.COM", "copyright"),
    ("All rights reserved.", "copyright"),
    ("#### About the author:", "author_box"),
    ("Articles by: [Jane Doe](#)", "author_box"),
    ("Jane Doe is a journalist and a frequent contributor to Example Research.", "author_box"),
    ("For media inquiries: [press@example.org](mailto:press@example.org)", "contact"),
    ("The post Talks Stall In Geneva appeared first on Example News.", "syndication_footer"),
    ("*This article was originally published on [OneWorld](#).*", "syndication_footer"),
    ("Reprinted with permission from Consortiumnews.com.", "syndication_footer"),
    ("The original source of this article is Example Research  ", "syndication_footer"),
    ("Tags: breaking, geneva talks, arms control", "navigation"),
    ("[Read the full report](https://example.org/report)", "navigation"),
])
def test_boilerplate_lines_at_the_end_are_found(line: str, kind: str) -> None:
    text = _article(["Talks Stall In Geneva"], [line])
    assert _kinds(text) == {line: kind}


@pytest.mark.parametrize(("line", "kind", "origin"), [
    ("Via Strategic Culture", "syndication_header", "Strategic Culture"),
    ("Source: strategic-culture.org", "syndication_header", "strategic-culture.org"),
    ("By [Jane Doe](#)", "byline", None),
    ("Example Times, March 5, 2019", "dateline", None),
    ("Region: [Europe](#), [USA](#)", "navigation", None),
    ("Theme: [History](#), [Science and Medicine](#)", "navigation", None),
])
def test_header_lines_are_found(line: str, kind: str, origin: str | None) -> None:
    text = _article([line], [])
    regions, found = find_boilerplate(text)
    assert [(text[r.start:r.end], r.kind) for r in regions] == [(line, kind)]
    assert found == origin


@pytest.mark.parametrize(("lines", "origin"), [
    (["This article was originally published on Example Daily."], "Example Daily"),
    (["Via Example Wire"], "Example Wire"),
    # "Via" names the original more directly than the feed footer of the republishing site.
    (["Via Example Wire", "The post Talks Stall appeared first on Republisher."], "Example Wire"),
    (["*This article was originally published on [OneWorld](#).*",
      "The original source of this article is Example Research"], "OneWorld"),
])
def test_republication_source(lines: list[str], origin: str) -> None:
    top = [ln for ln in lines if ln.startswith("Via")]
    text = _article(top, [ln for ln in lines if ln not in top])
    assert find_boilerplate(text)[1] == origin


def test_a_feed_footer_names_the_outlet_of_the_copy_not_an_original() -> None:
    # A site's own feed adds "The post ... appeared first on Site." to each of its posts: the
    # footer says who published this copy. It names an original only where the copy is known
    # to come from another outlet (taken from the site's feed).
    scan = scan_boilerplate(_article([], ["The post Talks Stall appeared first on Example News."]))
    assert (scan.republished_from, scan.feed_site) == (None, "Example News")
    assert scan.origin_for(None) == (None, None)
    assert scan.origin_for("examplenews.com") == (None, None)  # the same site, named otherwise
    assert scan.origin_for("Aggregator Daily") == ("Example News", "syndication_footer")


def test_metadata_says_where_each_value_came_from() -> None:
    text = _article(["Via Example Wire", "Talks Stall In Geneva", "By Jane Doe"],
                    ["The post Talks Stall In Geneva appeared first on Republisher."])
    meta = guess_metadata(text)
    assert (meta.title, meta.author, meta.outlet, meta.republished_from) == (
        "Talks Stall In Geneva", "Jane Doe", "Republisher", "Example Wire")
    assert meta.sources == {"title": "title line", "author": "byline",
                            "outlet": "syndication footer", "republished_from": "syndication header"}
    dated = guess_metadata(_article(["Example Times, March 5, 2019"],
                                    ["The post Talks Stall appeared first on Republisher."]))
    # The dateline names the outlet; the footer then names where the copy was taken from.
    assert (dated.outlet, dated.republished_from) == ("Example Times", "Republisher")
    assert dated.sources == {"published": "dateline", "outlet": "dateline",
                             "republished_from": "syndication footer", "title": "title line"}


def test_original_title_from_a_feed_footer() -> None:
    scan = scan_boilerplate(_article([], ["The post Talks Stall In Geneva appeared first on X News."]))
    assert scan.original_title == "Talks Stall In Geneva"


NEGATIVES = [
    "Millions of people share this concern, according to a new poll.",
    "Users who click the share button rarely read the article first.",
    "He urged followers to share this article widely, which they did.",
    "The aid arrived via a military transport plane on Wednesday.",
    "Via negativa is a theological tradition, the bishop explained at length.",
    "The report was first published in 2016 by the Pentagon's inspector general.",
    "Originally published in 1995, the book became a bestseller in Russia.",
    "First published in The Lancet, the study was widely criticised.",
    "The original source of the leak has never been identified.",
    "Copyright law in the EU was changed last year after a long fight.",
    "Copyright holders sued the platform for damages.",
    "© AFP Protesters gather outside the parliament in Kiev",
    "Subscribe to the newsletters of websites you enjoy; do not count on social media.",
    "Support for the sanctions collapsed after the vote.",
    "Donated funds were used to buy medical equipment.",
    "Disclaimers of that sort were common in Soviet newspapers.",
    "The views expressed by the minister were widely shared in Moscow.",
    "Sources: officials speaking on condition of anonymity told the paper.",
    "By now, the letter had been read by millions of Catholics.",
    "By Monday the troops had left the town.",
    "On April 3, 2020, the plane landed at JFK airport.",
    "Theme: the war is never over, and the president knows it.",
    "Bolton is a known hawk who never sounds friendly to Moscow.",
    "Putin is a former KGB officer and a frequent critic of NATO expansion.",
    "Follow the money, the senator told reporters on Tuesday.",
    "Reporters asked who would support the bill in the Senate.",
    "About the author of the letter, little is known.",
    "From Russia With Love",
    "The post of national security adviser was created in 1953.",
    "Become a better citizen, the president urged, by voting in November.",
]


@pytest.mark.parametrize("sentence", NEGATIVES)
@pytest.mark.parametrize("where", ["top", "middle", "bottom"])
def test_ordinary_sentences_are_never_boilerplate(sentence: str, where: str) -> None:
    texts = {"top": _article([sentence], []), "bottom": _article([], [sentence]),
             "middle": "\n\n".join([*BODY[:4], sentence, *BODY[4:]])}
    text = texts[where]
    regions, origin = find_boilerplate(text)
    assert regions == [] and origin is None


def test_regions_cover_whole_lines_without_the_newline() -> None:
    text = "Title\r\n\r\nBody sentence one.\r\n\r\nShare this story!\r\n\r\nBody two.\r\n"
    [region] = find_boilerplate(text)[0]
    assert text[region.start:region.end] == "Share this story!"
    assert text[region.start - 1] == "\n" and text[region.end:region.end + 2] == "\r\n"


def test_author_box_follows_an_about_the_author_heading() -> None:
    text = _article([], ["About the author:", "She has written on Russia for twenty years."])
    assert set(_kinds(text).values()) == {"author_box"}
    assert len(_kinds(text)) == 2


def test_bio_naming_the_byline_author_is_an_author_box() -> None:
    text = _article(["By Jane Doe"], ["Jane Doe is an analyst based in Berlin."])
    assert _kinds(text)["Jane Doe is an analyst based in Berlin."] == "author_box"
    # The same sentence without a matching byline is left alone.
    assert "Jane Doe is an analyst based in Berlin." not in _kinds(
        _article(["By John Roe"], ["Jane Doe is an analyst based in Berlin."]))


def test_every_kind_found_is_declared() -> None:
    text = _article(["Via Example Wire", "By Jane Doe", "Example Times, March 5, 2019"],
                    ["Share this story!", "All rights reserved."])
    assert {r.kind for r in find_boilerplate(text)[0]} <= set(KINDS)


def test_pipeline_component_fills_regions_and_origin() -> None:
    doc = Document(_article(["Via Example Wire"], ["Share this story!"]))
    create_component("boilerplate")(doc)
    assert [r.kind for r in doc.boilerplate] == ["syndication_header", "share_plea"]
    assert doc.metadata.republished_from == "Example Wire"


@pytest.mark.parametrize(("line", "author"), [
    ("By Andrew Korybko", "Andrew Korybko"),
    ("By: Dr. Jane Doe", "Dr. Jane Doe"),
    ("BY JANE DOE and JOHN ROE", "JANE DOE and JOHN ROE"),
    ("By Jean-Luc de la Rue", "Jean-Luc de la Rue"),
    ("By now, the letter", None),
    ("By Monday Night", None),
    ("By Reuters", None),
    ("By the way", None),
])
def test_parse_byline(line: str, author: str | None) -> None:
    assert parse_byline(line) == author


@pytest.mark.parametrize(("line", "published", "outlet"), [
    ("Global Research, April 03, 2020", "2020-04-03", "Global Research"),
    ("Published: 3 April 2020", "2020-04-03", None),
    ("Friday, April 3, 2020", "2020-04-03", None),
    ("Sept. 12th, 2019 at 10:30 am EST", "2019-09-12", None),
    ("2021-01-02T10:00:00Z", "2021-01-02", None),
    ("By Jane Doe, April 3, 2020", "2020-04-03", None),
    ("April 31, 2020", None, None),
    ("The war began on April 3, 2020.", None, None),
])
def test_parse_dateline(line: str, published: str | None, outlet: str | None) -> None:
    found = parse_dateline(line)
    got = (found.published, found.outlet) if found else (None, None)
    assert got == (published, outlet)
