"""Headless Chromium for the HTML report checks (Debian packages ``chromium`` and
``chromium-driver``, driven with selenium). Shared by tests/test_report_browser.py and
benchmarks/html_browser.py."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1000"]

#: Installed before any page script: records alert() calls instead of opening dialogs.
ALERT_RECORDER = ("window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };"
                  "window.confirm = window.prompt = window.alert;")


def chromium_paths() -> tuple[str | None, str | None]:
    """(browser, driver) executables, or None where missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    return browser, driver


def missing_reason() -> str | None:
    """Why the browser checks cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    browser, driver = chromium_paths()
    if not browser or not driver:
        return "headless Chromium not installed: apt-get install -y chromium chromium-driver"
    return None


@contextlib.contextmanager
def chromium():
    """A selenium Chrome driver on the system Chromium with a fresh profile; alert() calls
    are recorded in ``window.__alerts``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = chromium_paths()
    profile = tempfile.mkdtemp(prefix="sa-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        opts.add_argument(flag)
    opts.add_argument(f"--user-data-dir={profile}")
    drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    try:
        drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_RECORDER})
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def load(drv, path: str | Path) -> None:
    """Open a local file and wait for it to finish loading."""
    drv.get(Path(path).resolve().as_uri())
    drv.execute_script("return document.readyState")


def alerts(drv) -> list[str]:
    """alert() calls the page made, plus a native dialog if one is open."""
    from selenium.common.exceptions import NoAlertPresentException

    got = list(drv.execute_script("return window.__alerts || []"))
    try:
        a = drv.switch_to.alert
        got.append(a.text)
        a.dismiss()
    except NoAlertPresentException:
        pass
    return got


def pair_view_stats(drv, doc_id: str, related: str) -> dict:
    """Highlights in the side-by-side view of (doc_id, related): counts of substitution and
    passage marks per side and the computed background colour of the first substitution."""
    return drv.execute_script("""
      const [a, b] = arguments;
      const sec = Array.from(document.querySelectorAll('section.sa-pair')).find(
          s => s.dataset.docId === a && s.dataset.relatedDocId === b);
      if (!sec) return {found: false};
      const q = (sel) => sec.querySelectorAll(sel).length;
      const first = sec.querySelector('.sa-side-left mark.sa-sub');
      return {found: true, left_sub: q('.sa-side-left mark.sa-sub'), right_sub: q('.sa-side-right mark.sa-sub'),
              left_passage: q('.sa-side-left mark.sa-passage'), right_passage: q('.sa-side-right mark.sa-passage'),
              subs_listed: q('ul.sa-sublist li'),
              sub_bg: first ? getComputedStyle(first).backgroundColor : null,
              first_sub_text: first ? first.textContent : null,
              first_sub_title: first ? first.title : null};
    """, doc_id, related)


def dom_stats(drv) -> dict:
    """What the XSS checks look at: script and non-data images in the DOM, the marker the
    payload would set, the page title and body text."""
    return drv.execute_script("""
      return {scripts: document.querySelectorAll('script').length,
              foreign_imgs: document.querySelectorAll('img:not([src^="data:"])').length,
              xss_attr: document.body.getAttribute('data-xss'),
              title: document.title,
              overview_rows: document.querySelectorAll('#overview tbody tr.sa-docrow').length,
              overview_ids: Array.from(document.querySelectorAll('#overview tbody tr.sa-docrow')).map(r => r.dataset.docId),
              text: document.body.innerText};
    """)


def sort_overview(drv, column: int = 0) -> list[str]:
    """Click an overview header and return the doc_ids in the new row order."""
    from selenium.webdriver.common.by import By

    th = drv.find_elements(By.CSS_SELECTOR, "#overview thead th")[column]
    drv.execute_script("arguments[0].scrollIntoView()", th)
    th.click()
    return drv.execute_script(
        "return Array.from(document.querySelectorAll('#overview tbody tr.sa-docrow')).map(r => r.dataset.docId)")
