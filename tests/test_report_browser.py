"""The HTML report in headless Chromium: rows, pair highlights, sorting, no script runs from a
document (issue 8). Skipped with the reason when Chromium, chromedriver or selenium is absent
(.ci/run installs the Debian packages chromium and chromium-driver)."""

from __future__ import annotations

import pytest

import report_browser as rb
from conftest import CORPUS
from report_synth import SEED1, SEED4, shared_xss_batch

from summary_analysis.report import write_html

pytestmark = pytest.mark.skipif(rb.missing_reason() is not None, reason=str(rb.missing_reason()))


@pytest.fixture(scope="module")
def browser():
    with rb.chromium() as drv:
        yield drv


@pytest.fixture(scope="module")
def pages(corpus_batch, tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    synth = shared_xss_batch(str(CORPUS), corpus_batch)
    write_html(corpus_batch, d / "corpus.html")
    write_html(synth, d / "synth.html")
    (d / "control.html").write_text("<html><body><script>alert(1)</script>"
                                    "<img src=x onerror=\"alert(2)\"></body></html>", encoding="utf-8")
    return d, synth


def test_alert_recorder_sees_scripts_that_run(browser, pages):
    """Control: the same payload unescaped does run in this browser, so the checks below can fail."""
    d, _ = pages
    rb.load(browser, d / "control.html")
    browser.implicitly_wait(0)
    got = []
    for _ in range(20):
        got = rb.alerts(browser)
        if len(got) >= 2:
            break
        browser.execute_script("return 1")
    assert "1" in got and "2" in got


def test_document_markup_shows_as_text_and_never_runs(browser, pages):
    d, synth = pages
    rb.load(browser, d / "synth.html")
    stats = rb.dom_stats(browser)
    assert rb.alerts(browser) == []
    assert stats["scripts"] == 1 and stats["foreign_imgs"] == 0 and stats["xss_attr"] is None
    # the corpus's findings (89 under the README's main job) and the markup document's
    assert stats["title"] == f"10 documents, {len(synth.finding_objects)} findings"
    assert len(synth.finding_objects) > 40
    assert stats["overview_rows"] == len(synth.documents)
    assert "evil<b>doc</b>.txt" in stats["overview_ids"]
    browser.execute_script("document.querySelectorAll('details').forEach(e => e.open = true)")
    text = browser.execute_script("return document.body.innerText")
    assert "<script>alert(1)</script>" in text
    assert "onerror=\"document.body.setAttribute('data-xss','1')\"" in text
    assert rb.alerts(browser) == []


def test_corpus_report_rows_pair_view_and_sorting(browser, pages, corpus_batch):
    d, _ = pages
    rb.load(browser, d / "corpus.html")
    stats = rb.dom_stats(browser)
    assert stats["overview_ids"] == list(corpus_batch.documents["doc_id"])
    pv = rb.pair_view_stats(browser, SEED4, SEED1)
    assert pv["found"], "no #4/#1 pair view"
    assert pv["left_sub"] >= 30 and pv["right_sub"] >= 30
    assert pv["sub_bg"] not in (None, "rgba(0, 0, 0, 0)", "transparent")
    assert pv["left_passage"] >= 1 and pv["right_passage"] >= 1
    # the page's script runs under its CSP: clicking a header sorts the rows
    ids = sorted(stats["overview_ids"])
    first = rb.sort_overview(browser, 0)
    second = rb.sort_overview(browser, 0)
    assert first == ids and second == ids[::-1]
    assert rb.alerts(browser) == []
