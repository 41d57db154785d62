"""Choose the shingle size by measurement: template-discounted Jaccard / containment of every
pair of corpus/ documents for n = 2..8 characters. A good n separates the seed's copied pair
(#1/#4) from every pair that shares only the field's vocabulary or the statutory format.

Run: ``python benchmarks/shingle_size.py`` (from the repository root).
"""

from __future__ import annotations

import numpy as np

from summary_analysis import read_documents
from summary_analysis.similarity.shingle import remove_sorted, shingle_set, template_shingles


def main() -> None:
    docs = {d.doc_id: d for d in read_documents("corpus")}
    keys = sorted(docs)
    for n in (2, 3, 4, 5, 6, 8):
        tmpl = template_shingles(n)
        sets = {k: remove_sorted(shingle_set(docs[k].text, n), tmpl) for k in keys}
        rows = []
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                inter = np.intersect1d(sets[a], sets[b], assume_unique=True).size
                union = sets[a].size + sets[b].size - inter
                cont = inter / max(1, min(sets[a].size, sets[b].size))
                rows.append((inter / max(1, union), cont, a, b))
        rows.sort(reverse=True)
        copied = [r for r in rows if r[2].endswith("#1") and r[3].endswith("#4")][0]
        others = [r for r in rows if r is not copied]
        print(f"n={n}: seed #1/#4 jaccard {copied[0]:.2f} containment {copied[1]:.2f}; "
              f"highest other pair jaccard {max(r[0] for r in others):.2f} "
              f"containment {max(r[1] for r in others):.2f}; "
              f"separation jaccard {copied[0] / max(1e-9, max(r[0] for r in others)):.1f}x, "
              f"containment {copied[1] / max(1e-9, max(r[1] for r in others)):.1f}x")


if __name__ == "__main__":
    main()
