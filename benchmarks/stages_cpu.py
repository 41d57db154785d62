"""CPU time per report of the per-document stages other than REW (sections, figures, checklist).

Process CPU time (``time.process_time``) rather than wall time, so the numbers hold on a shared
machine; one pass over freshly generated reports (``throughput.make_documents``, seeded), the
first report excluded as warm-up. Compare two source trees by running it under each
(``PYTHONPATH=/path/to/other/src python benchmarks/stages_cpu.py 500``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(n: int) -> None:
    from throughput import make_documents

    import summary_analysis
    from summary_analysis import checklist as C
    from summary_analysis import figures as F
    from summary_analysis import sections as S
    from summary_analysis.segment import segment

    docs = make_documents(n + 1)
    tokens = [segment(d.text, "fast") for d in docs]
    times: dict[str, float] = {}

    def timed(name, fn, *a):
        t = time.process_time()
        r = fn(*a)
        times[name] = times.get(name, 0.0) + time.process_time() - t
        return r

    for i, (d, tk) in enumerate(zip(docs, tokens)):
        if i == 1:
            times.clear()  # the first report pays imports and regex compilation
        forest = timed("sections.sections", S.sections, d, tk)
        meta = timed("sections.document_meta", S.document_meta, d, forest)
        figs = timed("figures.extract_figures", F.extract_figures, d, forest)
        timed("figures.find_placeholders", F.find_placeholders, d)
        timed("figures.check_figures", F.check_figures, d, figs, meta, forest)
        timed("checklist.score_document", C.score_document, d, forest, meta, figs, "auto")
    print(f"# {summary_analysis.__file__}")
    for name, secs in times.items():
        print(f"{name:<28} {1000 * secs / n:6.2f} ms/report (CPU)")
    print(f"{'sum':<28} {1000 * sum(times.values()) / n:6.2f} ms/report (CPU, {n} reports)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
