"""Heading precision and recall of the structure stage against the hand-written gold outlines.

Run from the repository root::

    .venv/bin/python benchmarks/sections.py

A predicted entry matches a gold one when kind, level, path (full-width brackets) and the first
12 characters of the title (spaces, width and punctuation ignored) agree. Headings and 一是/二是
points are scored separately; metadata (kind, issuer, year, title) is scored per field.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from outline_gold import key, load_all  # noqa: E402

from summary_analysis import read_documents  # noqa: E402
from summary_analysis.normalize import fold  # noqa: E402
from summary_analysis.sections import document_meta, iter_sections, sections  # noqa: E402


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> int:
    docs = {d.doc_id: d for d in read_documents(str(ROOT / "corpus"))}
    totals = {k: Counter() for k in ("heading", "point")}
    meta_ok = Counter()
    golds = load_all()
    for g in golds:
        doc = docs[g.doc_id]
        forest = sections(doc)
        pred = Counter(key(s.kind, s.level, s.path, s.title) for s in iter_sections(forest))
        gold = Counter(key(e.kind, e.level, e.path, e.title) for e in g.entries)
        line = [f"{g.name:<14}"]
        for kind in ("heading", "point"):
            pk = Counter({k: v for k, v in pred.items() if k[0] == kind})
            gk = Counter({k: v for k, v in gold.items() if k[0] == kind})
            tp = sum((pk & gk).values())
            totals[kind].update(tp=tp, pred=sum(pk.values()), gold=sum(gk.values()))
            line.append(f"{kind}s {tp}/{sum(pk.values())} pred, {sum(gk.values())} gold")
            for k in sorted(gk - pk):
                line.append(f"\n    MISSED {k}")
            for k in sorted(pk - gk):
                line.append(f"\n    FALSE  {k}")
        meta = document_meta(doc, forest)
        for field, want, got in (("kind", g.kind, meta.kind), ("issuer", g.issuer, meta.issuer),
                                 ("year", g.year, meta.year),
                                 ("title", fold(g.title), fold(meta.title or ""))):
            ok = want == got
            meta_ok[field] += ok
            if not ok:
                line.append(f"\n    META {field}: want {want!r}, got {got!r}")
        print("  ".join(line[:3]) + "".join(line[3:]))
    for kind in ("heading", "point"):
        t = totals[kind]
        p, r, f = prf(t["tp"], t["pred"], t["gold"])
        print(f"{kind} precision {p:.4f} recall {r:.4f} F1 {f:.4f} "
              f"({t['tp']} matched, {t['pred']} predicted, {t['gold']} gold, {len(golds)} documents)")
    print("metadata correct: " + ", ".join(f"{k} {meta_ok[k]}/{len(golds)}" for k in
                                            ("kind", "issuer", "year", "title")))
    return 0



def robustness() -> None:
    """Heading P/R on seeded reformattings of the gold documents (their outlines do not change)."""
    import random

    from outline_gold import VARIANTS

    from summary_analysis.document import Document

    docs = {d.doc_id: d for d in read_documents(str(ROOT / "corpus"))}
    golds = load_all()
    for name, fn in VARIANTS.items():
        rng = random.Random(20261129)
        tp = n_pred = n_gold = 0
        for g in golds:
            base = docs[g.doc_id]
            doc = Document(base.doc_id, base.title, fn(base.text, rng), base.path)
            pred = Counter(key(s.kind, s.level, s.path, s.title) for s in iter_sections(sections(doc))
                           if s.kind == "heading")
            gold = Counter(key(e.kind, e.level, e.path, e.title) for e in g.entries if e.kind == "heading")
            tp += sum((pred & gold).values())
            n_pred += sum(pred.values())
            n_gold += sum(gold.values())
        p, r, f = prf(tp, n_pred, n_gold)
        print(f"variant {name:<15} heading precision {p:.4f} recall {r:.4f} ({tp}/{n_pred} pred, {n_gold} gold)")


if __name__ == "__main__":
    status = main()
    robustness()
    sys.exit(status)
