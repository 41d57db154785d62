"""The Spark engine at scale: generated batches on ``local[2]`` against the local engine.

Batches come from the seeded generator of ``benchmarks/dedup_scale.py`` (reports of ~2,000
characters from sentence templates, 5% planted copies with issuer, names, year and half of the
figures changed, 5% planted passage copies) plus a cluster of ``--cluster`` identical copies
of one generated report (the copy-detection's identical-pair pass and cluster naming, so
``evidence.cluster_size`` is compared too); each batch is written as ``.txt`` files to a
temporary folder and both engines read that folder, so both include reading. Printed per size:

* Spark: whole check time (``summary_analysis.spark.analyze`` plus collecting every finding
  to the driver; session start-up and a warm-up run on 40 reports, which loads the segmenter
  in Spark's Python workers, are excluded and printed apart), findings, DUP findings,
  planted recall;
* local engine (``summary_analysis.analyze``, ``jobs=1``) on the sizes of ``--local-sizes``:
  time, and whether its findings are identical to Spark's (rule, doc_id, related_doc_id, span,
  and ``evidence.cluster_size`` of DUP001);
* the growth ratio of Spark time between the largest and smallest size, beside the size ratio
  (linear growth gives equal numbers), and Spark/local time per size measured both.

Run from the repository root::

    python benchmarks/spark_scale.py                                  # 20k and 100k; local on 20k
    python benchmarks/spark_scale.py --sizes 1000 4000 --local-sizes 1000 4000

The per-document stages dominate (segmentation, structure, checklist: ~0.05-0.2 s a report on a
loaded 2-core machine), so on two cores Spark cannot beat the local engine; it is there for a
cluster. Timing noise on a shared machine is large: quote ratios from one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def write_batch(n: int, root: Path, cluster: int = 0) -> tuple[set, set]:
    """Write ``n`` generated reports under ``root``, and ``cluster`` identical copies of the first
    one (``cluster-NNNN.txt``, every pair planted as a copy); returns the planted
    (copies, passages)."""
    from itertools import combinations

    from dedup_scale import make_batch

    docs, copies, passages = make_batch(n)
    root.mkdir(parents=True, exist_ok=True)
    for d in docs:
        (root / d.doc_id).write_text(d.text, encoding="utf-8")
    ids = [f"cluster-{k:04d}.txt" for k in range(cluster)]
    for k in ids:
        (root / k).write_text(docs[0].text, encoding="utf-8")
    copies = set(copies) | set(combinations(ids, 2))
    return copies, passages


def _keys(findings) -> list[tuple]:
    return sorted((f.rule, f.doc_id, f.related_doc_id or "", tuple(f.span.as_list()) if f.span else (),
                   f.evidence.get("cluster_size", 0) if f.rule == "DUP001" else 0) for f in findings)


def _recall(findings, copies: set, passages: set) -> float:
    found: dict = {}
    for f in findings:
        if f.related_doc_id and f.rule.startswith("DUP"):
            found.setdefault(tuple(sorted((f.doc_id, f.related_doc_id))), set()).add(f.rule)
    hit = sum(1 for p in copies if "DUP001" in found.get(p, ()))
    hit += sum(1 for p in passages if found.get(p, set()) & {"DUP001", "DUP002"})
    return hit / max(1, len(copies) + len(passages))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000])
    ap.add_argument("--local-sizes", type=int, nargs="*", default=[20000],
                    help="sizes on which the local engine also runs (and findings are compared)")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--cluster", type=int, default=12, help="identical copies of one report added to each batch")
    ap.add_argument("--driver-memory", default="2g",
                    help="spark.driver.memory (in local mode also the executors' memory); 100k reports "
                         "failed with AGGREGATE_OUT_OF_MEMORY at 2g")
    ap.add_argument("--tmp", default=None, help="folder for the generated files (default: system temp)")
    args = ap.parse_args(argv)

    from summary_analysis import analyze as local_analyze
    from summary_analysis.spark import analyze, get_session

    t0 = time.perf_counter()
    spark = get_session(args.master, conf={"spark.driver.memory": args.driver_memory})
    print(f"Spark session start-up ({args.master}): {time.perf_counter() - t0:.1f} s", flush=True)
    # warm-up (untimed): Spark's Python workers load the segmenter and resources once
    warm = Path(tempfile.mkdtemp(prefix="spark-scale-warm-", dir=args.tmp)) / "batch"
    write_batch(40, warm)
    t0 = time.perf_counter()
    analyze(spark, [str(warm)]).finding_objects()
    local_analyze([str(warm)])
    shutil.rmtree(warm.parent, ignore_errors=True)
    print(f"warm-up on 40 reports (both engines, untimed in the results): {time.perf_counter() - t0:.1f} s",
          flush=True)
    spark_s: dict[int, float] = {}
    local_s: dict[int, float] = {}
    for n in args.sizes:
        root = Path(tempfile.mkdtemp(prefix=f"spark-scale-{n}-", dir=args.tmp)) / "batch"
        try:
            copies, passages = write_batch(n, root, args.cluster)
            t0 = time.perf_counter()
            batch = analyze(spark, [str(root)])
            found = batch.finding_objects()
            spark_s[n] = time.perf_counter() - t0
            dup = sum(1 for f in found if f.rule.startswith("DUP"))
            n_files = n + args.cluster
            line = (f"n={n} (+{args.cluster} identical copies): Spark {spark_s[n]:.1f} s ({n_files / spark_s[n]:.1f} docs/s), {len(found)} findings, "
                    f"{dup} DUP, planted recall {_recall(found, copies, passages):.4f}")
            batch.unpersist()
            print(line, flush=True)
            if n in args.local_sizes:
                t0 = time.perf_counter()
                local = local_analyze([str(root)])
                local_s[n] = time.perf_counter() - t0
                same = _keys(local.finding_objects) == _keys(found)
                print(f"n={n}: local engine {local_s[n]:.1f} s ({n_files / local_s[n]:.1f} docs/s), "
                      f"Spark/local {spark_s[n] / local_s[n]:.2f}; findings identical: {same}", flush=True)
        finally:
            shutil.rmtree(root.parent, ignore_errors=True)
    if len(spark_s) >= 2:
        lo, hi = min(spark_s), max(spark_s)
        print(f"growth ratio Spark time({hi})/time({lo}) = {spark_s[hi] / spark_s[lo]:.2f} "
              f"(size ratio {hi / lo:.2f}; linear growth gives the same)")
    spark.stop()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
