"""Agreement of the checklist scorer with hand labels.

Reads ``tests/data/checklist_labels.csv`` (one row per (document, checklist, item) judgement,
written by reading the texts of ``corpus/``), scores every labelled document against the
labelled checklist with the structure stage's forest and metadata, and prints the share of
judgements the scorer agrees with (target >= 0.95), a confusion table and every disagreement.
Also prints the outcome on code-made variants of the Shuyang report (sections removed, a heading
removed) as a robustness check.

Usage: ``python benchmarks/checklist.py``
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from summary_analysis import read_documents  # noqa: E402
from summary_analysis.checklist import score_document  # noqa: E402
from summary_analysis.sections import document_meta, sections  # noqa: E402


def score(doc, checklist="auto", use_forest=True):
    forest = sections(doc) if use_forest else []
    meta = document_meta(doc, forest) if use_forest else None
    return score_document(doc, forest, meta, [], checklist)


def main() -> int:
    docs = {d.doc_id: d for d in read_documents(str(ROOT / "corpus"))}
    with open(ROOT / "tests" / "data" / "checklist_labels.csv", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    for use_forest in (True, False):
        cache = {}
        agree = 0
        confusion: Counter = Counter()
        wrong = []
        for lab in labels:
            key = (lab["doc_id"], lab["checklist"])
            if key not in cache:
                r = score(docs[lab["doc_id"]], lab["checklist"], use_forest)
                cache[key] = {row["item"]: row for row in r.rows}
            row = cache[key].get(lab["item"])
            got = row["status"] if row else "not-applicable"
            confusion[(lab["status"], got)] += 1
            if got == lab["status"]:
                agree += 1
            else:
                wrong.append((lab, got))
        name = "with structure-stage forest" if use_forest else "text scan only (forest=[])"
        print(f"checklist agreement ({name}): {agree}/{len(labels)} = {agree / len(labels):.3f}")
        print("  confusion (label -> scored): "
              + ", ".join(f"{a}->{b}: {n}" for (a, b), n in sorted(confusion.items())))
        for lab, got in wrong:
            print(f"  DISAGREE {lab['doc_id']} {lab['checklist']} {lab['item']}: label {lab['status']}, "
                  f"scored {got} ({lab['note']})")

    # code-made variants of the Shuyang report
    s = docs["shuyang-county-2025-annual-report.md"]
    t = s.text
    variants = {
        "sections 四 and 五 removed": t[:t.index("## 四、")] + t[t.index("六、其他需要报告"):],
        "heading 五 removed (content kept)": t.replace("## 五、政府信息公开工作存在的主要问题及改进情况", ""),
        "section 四 removed": t[:t.index("## 四、")] + t[t.index("## 五、"):],
    }
    for name, text in variants.items():
        r = score(replace(s, text=text))
        print(f"shuyang variant, {name}: completeness {r.completeness}; "
              f"findings {sorted((f.rule, f.evidence['item']) for f in r.findings)}")
    auto = {d: score(doc) for d, doc in docs.items()}
    print("auto choice: " + "; ".join(f"{d}: {r.checklist} ({r.completeness})" for d, r in sorted(auto.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
