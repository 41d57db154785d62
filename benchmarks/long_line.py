"""Figures stage on one very long line: time at growing lengths and the ratio per doubling.

The text is the bundled corpus's plain-text reports with their line breaks replaced by spaces,
repeated to the length asked (a seeded, reproducible text). A linear stage shows a ratio near
2.0 per doubling; the old quadratic one showed ~9.6 (7.7 s at 0.75 M characters, 74 s at 1.5 M).

With ``--one-sentence`` the sentence ends (。！？) become commas too, so the line is one sentence
holding every 其中 of the corpus: the breakdown search of ``check_figures`` (FIG001) was cubic in
that case (40,000 characters: 33 s) before it found sentence ends and bracket depths once.

Run: ``python benchmarks/long_line.py [--sizes 375000,750000,1500000] [--one-sentence]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def long_line(n: int, one_sentence: bool = False) -> str:
    """``n`` characters of corpus text on one line (``one_sentence``: without 。！？ either)."""
    src = " ".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))
    src += " " + (ROOT / "corpus" / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    src = src.replace("\r", " ").replace("\n", " ")
    if one_sentence:
        src = src.translate(str.maketrans("。！？!?", "，，，，，"))
    return (src * (n // len(src) + 1))[:n]


def main() -> None:
    from summary_analysis.document import Document
    from summary_analysis.figures import check_figures, extract_figures

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="375000,750000,1500000", help="lengths in characters")
    ap.add_argument("--one-sentence", action="store_true", help="no sentence ends: one sentence")
    args = ap.parse_args()
    extract_figures(Document("warm", "t", long_line(5000), "x"), [])  # imports, regex compiles
    prev = None
    for n in (int(x) for x in args.sizes.split(",")):
        doc = Document(f"line-{n}", "t", long_line(n, args.one_sentence), "generated")
        t = time.perf_counter()
        figs = extract_figures(doc, [])
        t_extract = time.perf_counter() - t
        t = time.perf_counter()
        findings = check_figures(doc, figs, None, [])
        t_check = time.perf_counter() - t
        ratio = (f" | x{t_extract / prev[0]:.2f} / x{t_check / prev[1]:.2f} vs previous size"
                 if prev else "")
        print(f"{n:>9} chars on one line | extract_figures {t_extract:7.2f} s ({len(figs)} figures)"
              f" | check_figures {t_check:6.2f} s ({len(findings)} findings){ratio}")
        prev = (t_extract, max(t_check, 1e-6))


if __name__ == "__main__":
    main()
