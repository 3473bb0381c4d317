"""The real page in headless Chromium: paste, upload, fetch, slider, tooltips, downloads, escaping."""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serverkit import ARTICLE, BLATANT, Server

from propscope.render.summary import genre_note
from propscope.sensitivity import LEVELS

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
HOSTILE = (
    "Breaking: <script>window.__pwned = 1; document.title = 'pwned'; alert(1)</script> story\n\n"
    "These corrupt, treasonous traitors have betrayed our great nation. "
    "<img src=x onerror=\"window.__pwned = 2\"> and "
    "<a href=\"javascript:window.__pwned = 3\">read more</a> &amp; &lt;b&gt;bold&lt;/b&gt; "
    "<style>body { display: none }</style>\n"
)


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="propscope-downloads-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[object]:
    if not CHROMIUM or not Path(CHROMEDRIVER).exists():
        pytest.skip("Chromium or chromedriver not installed (run `make browser`)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="propscope-chromium-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait(predicate, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the page")


def _open(driver, url: str) -> None:  # type: ignore[no-untyped-def]
    driver.get(url)
    _wait(lambda: driver.execute_script("return document.body.dataset.ready === 'true'"))


def _analyse_text(driver, server: Server, text: str) -> str:  # type: ignore[no-untyped-def]
    """Paste ``text``, press Analyse, wait for the result; return the analysis id."""
    from selenium.webdriver.common.by import By

    _open(driver, server.url + "/")
    area = driver.find_element(By.ID, "text")
    driver.execute_script("arguments[0].value = arguments[1]", area, text)
    driver.find_element(By.ID, "analyze-button").click()
    return _wait_for_result(driver)


def _wait_for_result(driver) -> str:  # type: ignore[no-untyped-def]
    _wait(lambda: driver.execute_script(
        "return !document.getElementById('result').hidden || !document.getElementById('error').hidden"))
    error = driver.execute_script("return document.getElementById('error').textContent")
    assert not error, error
    return str(driver.current_url.rsplit("/a/", 1)[1])


def _marks(driver) -> list[str]:  # type: ignore[no-untyped-def]
    return list(driver.execute_script(
        "return [...document.querySelectorAll('#article mark.hl')].map(m => m.dataset.techniques)"))


def _shown_span_numbers(driver) -> set[int]:  # type: ignore[no-untyped-def]
    numbers = driver.execute_script(
        "return [...document.querySelectorAll('#article mark.hl')].map(m => m.dataset.spans)")
    return {int(n) for group in numbers for n in group.split()}


def test_pasted_article_is_highlighted_with_the_models_techniques(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    analysis_id = _analyse_text(browser, server, ARTICLE)
    record = httpx.get(f"{server.url}/api/analyses/{analysis_id}").json()
    assert record["spans"], "the model should find something in the blatant article"
    shown = {t for m in _marks(browser) for t in m.split()}
    assert shown == {s["technique"] for s in record["spans"]}
    article = browser.execute_script("return document.getElementById('article').textContent")
    assert "Lawmakers met on Tuesday" in article
    counts = browser.execute_script("return document.getElementById('counts').textContent")
    title = httpx.get(server.url + "/api/techniques").json()["techniques"]
    titles = {t["name"]: t["title"] for t in title}
    assert titles[record["spans"][0]["technique"]] in counts
    assert browser.execute_script("return document.getElementById('genre').textContent")
    # Each paragraph label's chip says how sure the model is and which words raised it.
    tips = browser.execute_script(
        "return [...document.querySelectorAll('#paragraphs .mini-chip')].map(c => c.title)")
    assert tips and all("confidence" in t for t in tips), tips
    evidence = [e["text"] for p in record["paragraphs"] for es in p.get("evidence", {}).values() for e in es]
    assert evidence and any(f"\u201c{w}\u201d" in t for t in tips for w in evidence), tips


def test_highlights_stay_on_their_words_after_emoji(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    # Offsets count characters; the page's strings count UTF-16 units, two per emoji: every
    # mark after "\U0001F600" was one character off before the page converted them.
    text = "\U0001F600 \U0001F1FA\U0001F1F8 Breaking news \U0001F4F0\n\n" + ARTICLE
    analysis_id = _analyse_text(browser, server, text)
    record = httpx.get(f"{server.url}/api/analyses/{analysis_id}").json()
    assert record["spans"]
    # Each span's text, put together from the marks that carry its number, in page order.
    pieces = browser.execute_script(
        "return [...document.querySelectorAll('#article mark.hl')]"
        ".map(m => [m.dataset.spans.split(' ').map(Number), m.textContent])")
    shown: dict[int, str] = {}
    for numbers, piece in pieces:
        for n in numbers:
            shown[n] = shown.get(n, "") + piece
    assert shown == {n: s["text"] for n, s in enumerate(record["spans"], 1)}


def test_paragraph_previews_stay_on_their_text_after_emoji(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    # The panel cut previews with the API's code-point offsets: 20 emoji shifted each by 20.
    text = "\U0001F600" * 20 + " Breaking news\n\n" + ARTICLE
    record = httpx.get(f"{server.url}/api/analyses/{_analyse_text(browser, server, text)}").json()
    want = [record["text"][p["start"]:p["end"]].strip()[:70]
            for p in record["paragraphs"] if p["techniques"]]
    got = browser.execute_script(
        "return [...document.querySelectorAll('#paragraphs .para-preview')].map(p => p.textContent)")
    assert want and got == want


def test_line_links_jump_without_reloading_the_page(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    # A "Line N" link fired popstate, which reloaded the page: the filter and the place lost.
    _analyse_text(browser, server, ARTICLE)
    browser.find_element(By.ID, "threshold").send_keys(Keys.HOME + Keys.ARROW_RIGHT * 5)
    browser.execute_script("window.__still = 1")
    link = browser.find_elements(By.CSS_SELECTOR, "#paragraphs .para-link")[-1]
    link.click()
    _wait(lambda: browser.execute_script("return location.hash") == link.get_attribute("hash"))
    time.sleep(0.5)  # a reload, if one were coming
    assert browser.execute_script("return window.__still") == 1
    assert browser.find_element(By.ID, "threshold-value").text == "0.05"


def test_a_new_result_starts_with_every_span_shown(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    # The last result's filter hid the next one's spans ("0 of 358 spans shown").
    _analyse_text(browser, server, ARTICLE)
    browser.find_element(By.ID, "threshold").send_keys(Keys.END)
    record = httpx.get(f"{server.url}/api/analyses/{_reanalyse(browser, BLATANT)}").json()
    assert browser.find_element(By.ID, "threshold-value").text == "0.00"
    assert _shown_span_numbers(browser) == set(range(1, len(record["spans"]) + 1))


def test_highlights_are_as_strong_as_their_confidence_and_underlines_keep_their_height(
        browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    record = httpx.get(f"{server.url}/api/analyses/{_analyse_text(browser, server, ARTICLE)}").json()
    marks = browser.execute_script(
        "return [...document.querySelectorAll('#article mark.hl')].map(m => [m.dataset.spans,"
        " getComputedStyle(m).backgroundColor, m.style.paddingBottom, m.closest('p').id])")
    scores = {n: s["score"] for n, s in enumerate(record["spans"], 1)}
    padding: dict[str, set[str]] = {}
    for numbers, colour, pad, line in marks:
        top = max(scores[int(n)] for n in numbers.split())
        alpha = float(colour.rsplit(",", 1)[1].rstrip(")")) if colour.startswith("rgba") else 1.0
        assert alpha == pytest.approx(0.35 + 0.65 * min(1.0, top / 0.5), abs=0.01), (numbers, colour)
        padding.setdefault(line, set()).add(pad)
    assert all(len(p) == 1 for p in padding.values()), padding  # one bottom per line


def test_techniques_of_one_category_are_drawn_apart_and_keyed(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    # Loaded language and exaggeration (both manipulative wording) had one colour and one
    # solid line: only hovering told them apart. Now each has its own shade and underline
    # pattern, a tag where it starts, and the key under the legend says which is which.
    _analyse_text(browser, server, ARTICLE)
    key = {name: (text, colour, line) for name, text, colour, line in browser.execute_script(
        "return [...document.querySelectorAll('#technique-key li')].map(li => [li.dataset.technique,"
        " li.textContent, getComputedStyle(li.querySelector('.key-tag')).backgroundColor,"
        " getComputedStyle(li.querySelector('.key-line')).backgroundImage])")}
    loaded, exaggeration = key["Loaded_Language"], key["Exaggeration-Minimisation"]
    assert (loaded[0], exaggeration[0]) == ("LLLoaded language", "EMExaggeration / minimisation")
    assert loaded[1] != exaggeration[1] and loaded[2] != exaggeration[2]
    assert "repeating-linear-gradient" in exaggeration[2]  # dotted: told apart without colour
    marks = browser.execute_script(
        "return [...document.querySelectorAll('#article mark.hl')].map(m => [m.dataset.techniques,"
        " getComputedStyle(m).backgroundImage, m.dataset.tags || '',"
        " getComputedStyle(m, '::before').content])")
    for techniques, image, _, _ in marks:  # one underline per covering span, in its pattern
        assert image.count("gradient(") == len(techniques.split())
        if "Exaggeration-Minimisation" in techniques:
            assert exaggeration[2] in image
    started = [(tags, before) for _, _, tags, before in marks if tags]
    assert started and all(before == f'"{tags}"' for tags, before in started)
    assert {"LL", "EM"} <= {tag for tags, _ in started for tag in tags.split()}
    # The article's own text is untouched by the tags (they are drawn, not inserted).
    article = browser.execute_script("return document.getElementById('article').textContent")
    assert not {"LL", "EM", "NC"} & set(article.split())


def test_printing_keeps_the_highlights_and_drops_the_controls(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    # Printed with the browser's defaults, every highlight (a background) was dropped, and the
    # form and toolbar were printed; focused spans could also hide under the sticky toolbar.
    _analyse_text(browser, server, ARTICLE)
    style = "getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]"
    assert float(browser.execute_script(f"return parseFloat({style})", "#article mark.hl",
                                        "scrollMarginTop")) > 40
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert browser.execute_script(f"return {style}", "#input-card", "display") == "none"
        assert browser.execute_script(f"return {style}", "#toolbar", "display") == "none"
        assert browser.execute_script(f"return {style}", "#article mark.hl", "printColorAdjust") == "exact"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_a_language_the_model_does_not_read_is_said_on_the_page(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    arabic = ("هؤلاء الخونة الفاسدون يكذبون على الشعب كل يوم ويدمرون كل ما نحب في هذا البلد "
              "العظيم.\n\nلا تصدقوا وسائل الإعلام.\n")
    _analyse_text(browser, server, arabic)
    note = browser.execute_script("const n = document.getElementById('script-note'); "
                                  "return n.hidden ? null : n.textContent")
    assert note is not None and "This text is in Arabic" in note and "was not analysed" in note
    assert browser.execute_script("return document.querySelector('#article p').dir") == "auto"
    _analyse_text(browser, server, ARTICLE)
    assert browser.execute_script("return document.getElementById('script-note').hidden")


def test_slider_hides_weaker_spans_live(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    analysis_id = _analyse_text(browser, server, ARTICLE)
    spans = httpx.get(f"{server.url}/api/analyses/{analysis_id}").json()["spans"]
    scores = sorted(s["score"] for s in spans)
    steps = math.ceil(scores[len(scores) // 2] * 100)  # the median, on the slider's 0.01 grid
    threshold = steps / 100
    slider = browser.find_element(By.ID, "threshold")
    slider.send_keys(Keys.HOME + Keys.ARROW_RIGHT * steps)
    assert browser.find_element(By.ID, "threshold-value").text == f"{threshold:.2f}"
    expected = {i + 1 for i, s in enumerate(spans) if s["score"] >= threshold}
    assert len(expected) < len(spans) or scores[0] >= threshold
    assert _shown_span_numbers(browser) == expected
    count = browser.find_element(By.ID, "visible-count").text
    assert count.startswith(f"{len(expected)} of {len(spans)}")
    right = math.floor(sum(s["score"] for s in spans if s["score"] >= threshold) + 0.5)  # Math.round
    assert count.endswith(f"about {right} expected right"), count  # the shipped model calibrates
    slider.send_keys(Keys.END)
    assert _shown_span_numbers(browser) == {i + 1 for i, s in enumerate(spans) if s["score"] >= 1.0}
    slider.send_keys(Keys.HOME)
    assert _shown_span_numbers(browser) == set(range(1, len(spans) + 1))


def test_keyboard_focus_shows_technique_definition_and_confidence(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _analyse_text(browser, server, ARTICLE)
    first = browser.find_element(By.CSS_SELECTOR, "#article mark.hl[tabindex='0']")
    browser.execute_script("arguments[0].focus()", first)
    tooltip = browser.find_element(By.ID, "tooltip")
    assert tooltip.is_displayed()
    assert "confidence" in tooltip.text
    technique = first.get_attribute("data-techniques").split()[0]
    taxonomy = {t["name"]: t for t in httpx.get(server.url + "/api/techniques").json()["techniques"]}
    assert taxonomy[technique]["title"] in tooltip.text
    assert taxonomy[technique]["definition"] in tooltip.text
    quality = taxonomy[technique]["quality"]  # how well the served model finds it, if scored
    assert quality is None or quality["summary"] in tooltip.text
    first.send_keys(Keys.TAB)  # the next highlighted span takes focus, or focus leaves the article
    first.send_keys(Keys.ESCAPE)
    browser.execute_script("document.activeElement.blur()")
    assert not tooltip.is_displayed()


def test_json_download_is_the_api_contract(browser, server: Server, downloads: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    analysis_id = _analyse_text(browser, server, ARTICLE)
    browser.find_element(By.ID, "download-json").click()
    files = _wait(lambda: [p for p in downloads.glob("*.json")])
    saved = json.loads(files[0].read_text(encoding="utf-8"))
    assert saved == httpx.get(f"{server.url}/api/analyses/{analysis_id}").json()
    assert saved["text"] == ARTICLE


def test_uploaded_file_is_analysed(browser, server: Server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    path = tmp_path / "council-report.md"
    path.write_text(f"# Council report\n\n{ARTICLE}", encoding="utf-8")
    _open(browser, server.url + "/")
    browser.find_element(By.ID, "tab-upload").click()
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.ID, "analyze-button").click()
    analysis_id = _wait_for_result(browser)
    record = httpx.get(f"{server.url}/api/analyses/{analysis_id}").json()
    assert record["id"] == "council-report"
    assert "Lawmakers met on Tuesday" in browser.find_element(By.ID, "article").text


def test_url_is_fetched_by_the_server(browser, server: Server, pages: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _open(browser, server.url + "/")
    browser.find_element(By.ID, "tab-url").click()
    browser.find_element(By.ID, "url").send_keys(pages + "/article.txt")
    browser.find_element(By.ID, "analyze-button").click()
    _wait_for_result(browser)
    assert "Lawmakers met on Tuesday" in browser.find_element(By.ID, "article").text


def test_api_error_is_shown_on_the_page(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _open(browser, server.url + "/")
    browser.find_element(By.ID, "tab-url").click()
    browser.find_element(By.ID, "url").send_keys("http://10.0.0.1/secret")
    browser.find_element(By.ID, "analyze-button").click()
    error = _wait(lambda: browser.find_element(By.ID, "error").text)
    assert "non-public address" in error


def test_hostile_article_renders_as_text_and_runs_nothing(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    analysis_id = _analyse_text(browser, server, HOSTILE)
    assert browser.execute_script("return window.__pwned") is None
    assert browser.title == "propscope"
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    article = browser.find_element(By.ID, "article")
    text = article.text
    assert "<script>window.__pwned = 1;" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    assert "&amp; &lt;b&gt;bold&lt;/b&gt;" in text  # entities stay as typed, not decoded
    assert browser.execute_script(
        "const a = document.getElementById('article');"
        "return a.querySelectorAll('script, img, a, style, iframe').length") == 0
    assert browser.find_element(By.TAG_NAME, "body").is_displayed()
    record = httpx.get(f"{server.url}/api/analyses/{analysis_id}").json()
    title = record["metadata"]["title"] or HOSTILE.split("\n")[0]
    assert browser.find_element(By.ID, "article-title").text == title.strip()
    browser.refresh()  # the permalink page renders the stored analysis just as safely
    _wait(lambda: browser.execute_script("return document.querySelectorAll('#article .para').length"))
    assert browser.execute_script("return window.__pwned") is None
    assert "<script>window.__pwned = 1;" in browser.find_element(By.ID, "article").text


def test_page_fits_a_phone_screen(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    browser.set_window_size(390, 844)
    try:
        _open(browser, server.url + "/")  # the form, with its options, fits too
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        _analyse_text(browser, server, ARTICLE)
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        side_top = browser.execute_script(
            "return document.querySelector('.side').getBoundingClientRect().top")
        article_bottom = browser.execute_script(
            "return document.querySelector('.article-card').getBoundingClientRect().bottom")
        assert side_top >= article_bottom  # one column: the summary comes after the article
        # A title of one long word pushed the page sideways (587 px on a 390 px screen).
        _analyse_text(browser, server, "Breaking" + "x" * 120 + "\n\n" + ARTICLE)
        assert browser.execute_script(
            "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        browser.set_window_size(1280, 900)


def _choose_sensitivity(driver, level: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element(By.ID, "sensitivity")).select_by_value(level)


def _meta(driver) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The result's metadata line as {term: value}."""
    return dict(driver.execute_script(
        "return [...document.querySelectorAll('#article-meta .meta-item')]"
        ".map(i => [i.querySelector('dt').textContent, i.querySelector('dd').textContent])"))


def _reanalyse(driver, text: str) -> str:  # type: ignore[no-untyped-def]
    """On a shown result: press New analysis, paste ``text``, analyse; return the new id."""
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "new-analysis").click()
    assert driver.find_element(By.ID, "sensitivity").is_displayed()
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, "text"), text)
    driver.find_element(By.ID, "analyze-button").click()
    _wait(lambda: driver.execute_script(
        "return document.getElementById('status').textContent.startsWith('Analysed')"
        " || !document.getElementById('error').hidden"))
    error = driver.execute_script("return document.getElementById('error').textContent")
    assert not error, error
    return str(driver.current_url.rsplit("/a/", 1)[1])


def test_sensitivity_defaults_to_balanced_and_balanced_results_say_nothing(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    _open(browser, server.url + "/")
    options = browser.execute_script(
        "return [...document.getElementById('sensitivity').options]"
        ".map(o => [o.value, Number(o.dataset.shift), o.textContent, o.defaultSelected])")
    assert {value: shift for value, shift, _, _ in options} == LEVELS  # the page's levels are the model's
    assert [value for value, _, _, default in options if default] == ["balanced"]
    assert all(text.startswith(f"{value} — ") for value, _, text, _ in options)
    assert browser.execute_script("return document.getElementById('sensitivity').value") == "balanced"
    label = browser.execute_script("return document.querySelector('label:has(#sensitivity)').textContent")
    assert label.strip().startswith("Sensitivity")
    analysis_id = _analyse_text(browser, server, ARTICLE)
    record = httpx.get(f"{server.url}/api/analyses/{analysis_id}").json()
    assert record["model"]["sensitivity"] == 0.0
    meta = _meta(browser)
    assert "Model" in meta and "Sensitivity" not in meta, meta
    assert "sensitivity" not in browser.find_element(By.ID, "article-meta").text.lower()


def test_broad_sensitivity_is_sent_and_shows_more_spans(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    balanced_id = _analyse_text(browser, server, ARTICLE)
    balanced = httpx.get(f"{server.url}/api/analyses/{balanced_id}").json()
    balanced_shown = _shown_span_numbers(browser)
    assert balanced_shown == set(range(1, len(balanced["spans"]) + 1))

    _open(browser, server.url + "/")
    _choose_sensitivity(browser, "broad")
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, "text"), ARTICLE)
    browser.find_element(By.ID, "analyze-button").click()
    broad_id = _wait_for_result(browser)
    assert broad_id != balanced_id
    broad = httpx.get(f"{server.url}/api/analyses/{broad_id}").json()
    assert broad["model"]["sensitivity"] == 0.5  # the page sent ?sensitivity=broad
    broad_shown = _shown_span_numbers(browser)
    assert broad_shown == set(range(1, len(broad["spans"]) + 1))
    # On this blatant article a lower threshold adds spans (the shipped model: 14 -> 20).
    assert len(broad_shown) > len(balanced_shown)
    assert browser.find_element(By.ID, "visible-count").text.startswith(
        f"{len(broad['spans'])} of {len(broad['spans'])}")
    assert _meta(browser)["Sensitivity"] == "broad"

    # The permalink page shows the level and sets the select to it, so re-analysing keeps it.
    _open(browser, f"{server.url}/a/{broad_id}")
    _wait(lambda: browser.execute_script("return !document.getElementById('result').hidden"))
    assert _meta(browser)["Sensitivity"] == "broad"
    assert browser.execute_script("return document.getElementById('sensitivity').value") == "broad"
    assert _reanalyse(browser, ARTICLE) == broad_id  # the same text at the same level
    assert _meta(browser)["Sensitivity"] == "broad"


def test_sensitivity_is_sent_with_uploads_and_urls(browser, server: Server, pages: str,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    path = tmp_path / "upload.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    _open(browser, server.url + "/")
    browser.find_element(By.ID, "tab-upload").click()
    _choose_sensitivity(browser, "precise")
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.ID, "analyze-button").click()
    record = httpx.get(f"{server.url}/api/analyses/{_wait_for_result(browser)}").json()
    assert record["model"]["sensitivity"] == -1.0
    assert _meta(browser)["Sensitivity"] == "precise"

    _open(browser, server.url + "/")
    browser.find_element(By.ID, "tab-url").click()
    _choose_sensitivity(browser, "exhaustive")
    browser.find_element(By.ID, "url").send_keys(pages + "/article.txt")
    browser.find_element(By.ID, "analyze-button").click()
    record = httpx.get(f"{server.url}/api/analyses/{_wait_for_result(browser)}").json()
    assert record["model"]["sensitivity"] == 1.0
    assert _meta(browser)["Sensitivity"] == "exhaustive"


def test_permalink_with_an_unnamed_sensitivity_shows_the_number(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    r = httpx.post(f"{server.url}/api/analyses?sensitivity=0.8", json={"text": ARTICLE})
    assert r.status_code == 201, r.text
    _open(browser, f"{server.url}/a/{r.headers['x-analysis-id']}")
    _wait(lambda: browser.execute_script("return !document.getElementById('result').hidden"))
    assert _meta(browser)["Sensitivity"] == "0.8"
    assert browser.execute_script("return document.getElementById('sensitivity').value") == "0.8"
    record = httpx.get(f"{server.url}/api/analyses/{_reanalyse(browser, BLATANT)}").json()
    assert record["model"]["sensitivity"] == 0.8
    assert _meta(browser)["Sensitivity"] == "0.8"


def test_a_genre_chosen_below_the_top_score_is_explained(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    # A stored analysis whose label is not its highest score, as the genre rule allows (the
    # rare genres win with less score); written into the real server's store as it keeps them.
    r = httpx.post(f"{server.url}/api/analyses", json={"text": ARTICLE})
    assert r.status_code == 201, r.text
    record = json.loads((server.store / f"{r.headers['x-analysis-id']}.json").read_text(encoding="utf-8"))
    record["genre"] = {"label": "reporting", "scores": {"opinion": 0.54, "reporting": 0.46, "satire": 0.0}}
    crafted = "0123456789abcdef0123"
    (server.store / f"{crafted}.json").write_text(json.dumps(record), encoding="utf-8")
    _open(browser, f"{server.url}/a/{crafted}")
    _wait(lambda: browser.execute_script("return !document.getElementById('result').hidden"))
    note = browser.execute_script("return document.getElementById('genre-note').textContent")
    assert note == genre_note("reporting", "opinion")  # the reports' very words
    # A label that is also the top score needs no note.
    _open(browser, f"{server.url}/a/{r.headers['x-analysis-id']}")
    _wait(lambda: browser.execute_script("return !document.getElementById('result').hidden"))
    stored = httpx.get(f"{server.url}/api/analyses/{r.headers['x-analysis-id']}").json()["genre"]
    has_note = browser.execute_script("return document.getElementById('genre-note') !== null")
    assert has_note == (stored["label"] != max(stored["scores"], key=stored["scores"].get))
