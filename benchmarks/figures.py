"""Benchmark: figure extraction against the hand-annotated gold figures.

Run from the repository root: ``python benchmarks/figures.py``. Prints, per gold document and in
total, precision and recall of (value, unit, kind) and of metric (a metric counts as right when
the gold phrase lies within the extracted one and the extracted one stays inside its clause),
the recall of the statutory-table cells listed in the gold files, and every miss.
Gold files and conventions: tests/data/figures/ (README.md there).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from figures_gold import evaluate  # noqa: E402

from summary_analysis import read_documents  # noqa: E402
from summary_analysis.figures import extract_figures  # noqa: E402
from summary_analysis.sections import sections  # noqa: E402


def main() -> int:
    docs = read_documents(str(ROOT / "corpus"))
    t0 = time.perf_counter()
    total, per = evaluate(docs, lambda d: extract_figures(d, sections(d)))
    elapsed = time.perf_counter() - t0
    print(f"{'document':12s} {'gold':>5s} {'extr':>5s} {'P(vuk)':>7s} {'R(vuk)':>7s} "
          f"{'P(metric)':>9s} {'R(metric)':>9s} {'cells':>7s}")
    for name, s in per.items():
        print(f"{name:12s} {s.gold:5d} {s.extracted:5d} {s.precision:7.3f} {s.recall:7.3f} "
              f"{s.metric_precision:9.3f} {s.metric_recall:9.3f} {s.cells_correct:3d}/{s.cells:<3d}")
    print(f"{'TOTAL':12s} {total.gold:5d} {total.extracted:5d} {total.precision:7.3f} {total.recall:7.3f} "
          f"{total.metric_precision:9.3f} {total.metric_recall:9.3f} {total.cells_correct:3d}/{total.cells:<3d}")
    print(f"precision(value,unit,kind)={total.precision:.3f} recall(value,unit,kind)={total.recall:.3f} "
          f"precision(metric)={total.metric_precision:.3f} recall(metric)={total.metric_recall:.3f} "
          f"cell_recall={total.cell_recall:.3f} documents={len(per)} seconds={elapsed:.2f}")
    if total.misses:
        print("misses:")
        for m in total.misses:
            print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
