"""Take docs/screenshot.png: the web page with the bundled example article analysed.

Usage: propscope serve &   # then
       python docs/make_screenshot.py [--url http://127.0.0.1:8000] [--out docs/screenshot.png]

Drives headless Chromium (Debian's chromium + chromedriver, as the browser tests do): pastes
examples/article.txt, analyses it, points at the first highlighted span so its tooltip shows,
and saves the page at 1280 px wide, reduced to a 128-colour palette: the page is flat colours
and text, so the picture looks the same at about a third of the bytes (it lives in git
history for good).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1160)
    ap.add_argument("--colors", type=int, default=128, help="palette size (0: keep full colour)")
    args = ap.parse_args()

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", f"--user-data-dir={tempfile.mkdtemp()}",
                f"--window-size={args.width},{args.height}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(args.url + "/")
        text = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
        driver.execute_script("document.getElementById('text').value = arguments[0]", text)
        driver.find_element(By.ID, "analyze-button").click()
        for _ in range(300):
            if driver.execute_script("return !document.getElementById('result').hidden"):
                break
            time.sleep(0.1)
        driver.execute_script("window.scrollTo(0, 0)")
        marks = driver.find_elements(By.CSS_SELECTOR, "#article mark.hl[tabindex='0']")
        if len(marks) > 2:
            ActionChains(driver).move_to_element(marks[2]).perform()
            time.sleep(0.3)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.out))
        if args.colors:
            shot = Image.open(args.out).convert("RGB")
            palette = shot.quantize(colors=args.colors, method=Image.Quantize.MEDIANCUT,
                                    dither=Image.Dither.NONE)
            palette.save(args.out, optimize=True)
        print(f"wrote {args.out}")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
