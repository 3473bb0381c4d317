"""The HTML report in headless Chromium: keyboard focus shows each span's explanation."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from propscope.document import Document
from propscope.render.html import render_html

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.skip("chromium and chromedriver are needed (make browser)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,800"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def test_tab_reaches_spans_and_shows_their_explanation(browser: Any, doc: Document,
                                                       tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    page = tmp_path / "report.html"
    page.write_text(render_html(doc), encoding="utf-8")
    browser.get(page.as_uri())
    focused = []
    for _ in range(40):  # links in the header and gutters come first; spans follow
        ActionChains(browser).send_keys(Keys.TAB).perform()
        el = browser.switch_to.active_element
        if el.tag_name == "mark":
            focused.append(el.get_attribute("data-n"))
            tip = browser.execute_script(
                "return getComputedStyle(arguments[0], '::after').content", el)
            assert "Confidence" in tip
        if len(focused) == len(doc.spans):
            break
    assert focused == [str(n) for n in range(1, len(doc.spans) + 1)]


def test_overlapping_spans_draw_separate_underlines(browser: Any, doc: Document, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    page.write_text(render_html(doc), encoding="utf-8")
    browser.get(page.as_uri())
    inner = browser.find_element(By.CSS_SELECTOR, 'mark[data-n="3"]')
    outer = inner.find_element(By.XPATH, "..")
    assert outer.get_attribute("data-n") == "2"
    # The enclosing span's box reaches lower, so its underline shows below the inner one's.
    assert outer.rect["y"] + outer.rect["height"] > inner.rect["y"] + inner.rect["height"]
    lines = {m.value_of_css_property("background-image") for m in (inner, outer)}
    assert len(lines) == 2


def test_techniques_of_one_category_look_different_in_the_browser(browser: Any, make_doc: Any,
                                                                  tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    # Name calling and casting doubt shared one colour and one solid line: only hovering told
    # them apart. Now their shades and their underline patterns differ, and a tag names each.
    text = "The useless plan failed, and its hopeless authors hid.\n"
    doc = make_doc(text, [("useless plan", "Name_Calling-Labeling", 0.8),
                          ("hopeless authors", "Doubt", 0.8)])
    page = tmp_path / "report.html"
    page.write_text(render_html(doc), encoding="utf-8")
    browser.get(page.as_uri())
    calling, doubt = (browser.find_element(By.CSS_SELECTOR, f'mark[data-n="{n}"]') for n in (1, 2))
    for prop in ("background-color", "background-image"):
        assert calling.value_of_css_property(prop) != doubt.value_of_css_property(prop), prop
    assert "repeating-linear-gradient" in doubt.value_of_css_property("background-image")
    markers = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "sup.ns")]
    assert markers == ["1 NC", "2 CD"]


def test_the_report_fits_a_phone_and_its_span_notes_stay_on_screen(browser: Any, doc: Document,
                                                                   tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    # At 375 px the Techniques and Spans tables widened the page to 456-576 px, and a focused
    # span's note (80vw from the span's left edge) ran past the right edge.
    page = tmp_path / "report.html"
    page.write_text(render_html(doc), encoding="utf-8")
    browser.set_window_size(375, 800)
    try:
        browser.get(page.as_uri())
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        mark = browser.find_elements(By.CSS_SELECTOR, "mark.t")[-1]
        browser.execute_script("arguments[0].focus()", mark)
        right = browser.execute_script(
            "const s = getComputedStyle(arguments[0], '::after');"
            "return s.position === 'fixed' ? 'fixed' : s.right", mark)
        assert right == "fixed"
    finally:
        browser.set_window_size(1000, 800)
