"""The HTML report of corpus/ in headless Chromium (issue 8).

Run from the repository root::

    .venv/bin/python benchmarks/html_browser.py

Needs the Debian packages chromium and chromium-driver and selenium (test extra). Checks, on the
real pipeline's output:

1. corpus/: one overview row per document; the #4/#1 pair view with highlighted substitution
   pairs and the shared passage on both sides; sorting by a header works (the page's only
   script runs under its Content-Security-Policy); screenshots under benchmarks/out/.
2. corpus/ plus a .txt and a .md report carrying ``<script>alert(1)</script>`` and
   ``<img src=x onerror=…>`` (read through the normal readers): the markup shows as text, no
   script runs (alert() calls recorded from before the page's first script), no element is
   injected. A control page with the same payload unescaped proves the recorder sees alerts.

Prints one line per check and ``ALL PASS`` or the failures; exit status 0 or 1.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import report_browser as rb  # noqa: E402

from summary_analysis import analyze  # noqa: E402
from summary_analysis.report import write_html  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
SEED1, SEED4 = "seed-compilation-page.txt#1", "seed-compilation-page.txt#4"
PAYLOAD = ("关于某街道的工作总结\n一、概述\n本年度<script>alert(1)</script>主动公开政府信息12条，XX街道。\n"
           "二、存在问题\n<img src=x onerror=\"alert(2);document.body.setAttribute('data-xss','1')\">"
           "仍需改进。\n")


def main() -> int:
    reason = rb.missing_reason()
    if reason:
        print(f"SKIP: {reason}")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, bool, str]] = []

    def check(name: str, ok: bool, detail: str = "") -> None:
        results.append((name, bool(ok), detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail else ""))

    t0 = time.perf_counter()
    batch = analyze([str(ROOT / "corpus")])
    t_analyze = time.perf_counter() - t0
    corpus_html = OUT / "report-corpus.html"
    t0 = time.perf_counter()
    write_html(batch, corpus_html)
    t_write = time.perf_counter() - t0
    print(f"corpus: {len(batch.documents)} documents, {len(batch.finding_objects)} findings; "
          f"analyse {t_analyze:.1f} s, write_html {t_write:.2f} s, {corpus_html.stat().st_size / 1024:.0f} KiB")

    with tempfile.TemporaryDirectory(prefix="sa-xss-") as tmp:
        evil = Path(tmp) / "evil"
        evil.mkdir()
        (evil / "xss-report.txt").write_text(PAYLOAD, encoding="utf-8")
        (evil / "xss-summary.md").write_text("# <script>alert(3)</script>总结\n\n" + PAYLOAD, encoding="utf-8")
        (evil / "control.html.page").write_text(
            "<html><body><script>alert(1)</script><img src=x onerror=\"alert(2)\"></body></html>", encoding="utf-8")
        xss_batch = analyze([str(ROOT / "corpus"), str(evil / "xss-report.txt"), str(evil / "xss-summary.md")])
        xss_html = OUT / "report-xss.html"
        write_html(xss_batch, xss_html)
        control = evil / "control.html"
        (evil / "control.html.page").rename(control)

        with rb.chromium() as drv:
            # 1. corpus report
            rb.load(drv, corpus_html)
            stats = rb.dom_stats(drv)
            check("overview: one row per document",
                  stats["overview_ids"] == list(batch.documents["doc_id"]),
                  f"{stats['overview_rows']} rows for {len(batch.documents)} documents")
            pv = rb.pair_view_stats(drv, SEED4, SEED1)
            rew = [f for f in batch.finding_objects if f.rule == "REW001" and f.doc_id == SEED4]
            n_pairs = len(rew[0].evidence.get("substitutions") or []) if rew else 0
            check("#4/#1 pair view present", pv.get("found"), "REW001 on #4 from the pipeline: "
                  + ("yes" if rew else "NO"))
            if pv.get("found"):
                check("#4/#1 substitutions highlighted in both texts",
                      pv["left_sub"] >= 30 and pv["right_sub"] >= 30
                      and pv["sub_bg"] not in (None, "rgba(0, 0, 0, 0)"),
                      f"{pv['left_sub']} marks in #4, {pv['right_sub']} in #1, {pv['subs_listed']} pairs listed "
                      f"({n_pairs} in evidence), background {pv['sub_bg']}, first {pv['first_sub_title']!r}")
                check("#4/#1 shared passage highlighted on both sides",
                      pv["left_passage"] >= 1 and pv["right_passage"] >= 1,
                      f"{pv['left_passage']} / {pv['right_passage']} passage marks")
            drv.save_screenshot(str(OUT / "html-report-overview.png"))
            ids = sorted(stats["overview_ids"])
            s1, s2 = rb.sort_overview(drv, 0), rb.sort_overview(drv, 0)
            check("sortable overview (inline script allowed by CSP hash)", s1 == ids and s2 == ids[::-1])
            from selenium.webdriver.common.by import By

            secs = [e for e in drv.find_elements(By.CSS_SELECTOR, "section.sa-pair")
                    if e.get_attribute("data-doc-id") == SEED4 and e.get_attribute("data-related-doc-id") == SEED1]
            if secs:
                drv.execute_script("arguments[0].scrollIntoView(); window.scrollBy(0, 230)", secs[0])
                drv.save_screenshot(str(OUT / "html-report-pair.png"))
            check("no alert on the corpus report", rb.alerts(drv) == [])

            # 2. control: the recorder sees alerts of a page where the payload is live
            rb.load(drv, control)
            got = []
            for _ in range(20):
                got = rb.alerts(drv)
                if len(got) >= 2:
                    break
                time.sleep(0.05)
            check("control page: unescaped payload does run (recorder works)", "1" in got and "2" in got,
                  f"alerts {got}")

            # 3. documents with markup
            rb.load(drv, xss_html)
            time.sleep(0.3)
            st = rb.dom_stats(drv)
            drv.execute_script("document.querySelectorAll('details').forEach(e => e.open = true)")
            text = drv.execute_script("return document.body.innerText")
            alerts = rb.alerts(drv)
            check("xss: no script ran", alerts == [] and st["xss_attr"] is None, f"alerts {alerts}")
            check("xss: no element injected", st["scripts"] == 1 and st["foreign_imgs"] == 0,
                  f"{st['scripts']} script element(s), {st['foreign_imgs']} non-data images")
            check("xss: markup shown as text", "<script>alert(1)</script>" in text
                  and "<img src=x onerror=" in text,
                  f"{text.count('<script>alert(1)</script>')} visible copies of the script tag")
            check("xss: overview rows", st["overview_rows"] == len(xss_batch.documents),
                  f"{st['overview_rows']} rows")

    failed = [r for r in results if not r[1]]
    print(f"screenshots: {OUT / 'html-report-overview.png'}, {OUT / 'html-report-pair.png'}")
    print("ALL PASS" if not failed else f"{len(failed)} FAILED: " + "; ".join(r[0] for r in failed))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
