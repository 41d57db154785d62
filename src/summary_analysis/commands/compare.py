"""`summary-analysis compare A B`: two documents side by side with their shared passages marked.

A and B are files (a compilation page may be named ``PAGE#N`` for one of its documents). Output:
the scores (Jaccard, containment both ways, verdict), one line per shared passage with its
location in both texts (``line:col``) and the differences inside it, then both texts with every
shared passage wrapped in ``【`` … ``】`` and numbered (``【1`` …), so the same number marks the
same passage in both; and when one is a synonym rewrite of the other (REW001, the check of
``check``), a line with its substitutions. ``--format json`` prints the scores, passages and
``rewrite`` as an object. Exit status 0 when the two share nothing, 1 when they share passages,
are near-duplicates or one rewrites the other, 2 on errors.
"""

from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    """Add the ``compare`` sub-command to ``subparsers`` and set its ``func``."""
    p = subparsers.add_parser("compare", help="align two documents and mark the passages they share")
    p.add_argument("a", metavar="A", help="file (or PAGE#N for one document of a compilation page)")
    p.add_argument("b", metavar="B", help="the other file (or PAGE#N)")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="json: scores, passages with their differences, and the REW001 check")
    p.add_argument("--all", action="store_true",
                   help="also mark heavily edited (rewritten) passages, not only copied ones")
    p.set_defaults(func=run)


def _load(spec: str):
    from . import _is, read_spec

    read, problem = read_spec(spec)
    if problem:
        raise ValueError(problem)
    docs = read.documents
    if len(docs) == 1:
        return docs[0]
    if not docs:
        reasons = "; ".join(f"{f.rule} {f.message}" for f in read.findings)
        raise ValueError(f"{spec}: no readable document" + (f" ({reasons})" if reasons else ""))
    hint = f"name one as {spec}#N" if _is(spec, "is_file") else "name one file"
    raise ValueError(f"{spec}: {len(docs)} documents ({hint})")


def _rewrite(a, b) -> dict | None:
    """The REW001 check of ``check`` on the two documents (:func:`~summary_analysis.rewrite.
    detect_paired_rewrites`): ``{"doc_id", "related_doc_id", "aligned_sentences",
    "substitutions"}`` when one is a synonym rewrite of the other, else None."""
    from dataclasses import replace

    from ..rewrite import detect_paired_rewrites

    if a.doc_id == b.doc_id:  # the same name twice (one file, or two folders' files)
        a, b = replace(a, doc_id=f"A:{a.doc_id}"), replace(b, doc_id=f"B:{b.doc_id}")
    found = detect_paired_rewrites({a.doc_id: a, b.doc_id: b}, {}, [(a.doc_id, b.doc_id)])
    if not found:
        return None
    f = found[0]
    return {"doc_id": f.doc_id, "related_doc_id": f.related_doc_id,
            "aligned_sentences": f.evidence.get("aligned_sentences"),
            "substitutions": [{k: x[k] for k in ("original", "replacement", "count") if k in x}
                              for x in f.evidence.get("substitutions", [])],
            "word_pairs": f.evidence.get("word_pairs", [])}


def _one_line(text: str | None) -> str:
    """A difference's text on one line of the listing: line breaks shown as ⏎, nothing as ∅."""
    return text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎") if text else "∅"


def _mark(text: str, spans: list[tuple[int, int, int]]) -> str:
    out, pos = [], 0
    for s, e, k in sorted(spans):
        out.append(text[pos:s])
        out.append(f"【{k} {text[s:e]}】")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def run(args) -> int:
    """Compare the two documents; returns the exit status."""
    from ..report.text import counted
    from ..similarity import evidence as ev
    from ..similarity import profile
    from ..similarity.shingle import template_shingles
    from ..similarity.verify import verify

    try:
        a, b = _load(args.a), _load(args.b)
    except ValueError as exc:
        print(f"summary-analysis compare: {exc}", file=sys.stderr)
        return 2
    skip = template_shingles()
    pa, pb = profile(a.text, skip), profile(b.text, skip)
    v = verify(a.text, b.text, pa.discounted, pb.discounted, skip, None)
    passages = v.all_passages if args.all else v.passages
    ia = ev.doc_info(a.text, a.title, ev.read_meta(a.doc_id, a.text, a.title))
    ib = ev.doc_info(b.text, b.title, ev.read_meta(b.doc_id, b.text, b.title))
    rows = []
    for k, p in enumerate(passages, 1):
        diffs, _ = ev.differences(a.text, b.text, [p], ia, ib)
        rows.append({"n": k, "span": list(p.span), "related_span": list(p.related_span), "chars": p.chars,
                     "matched": round(p.matched / max(1, p.content), 4), "differences": diffs})
    rewrite = _rewrite(a, b)
    status = 1 if v.verdict != "distinct" or rewrite else 0
    # as the pairs table says it (similarity.mark_rewrites)
    verdict = "rewrite" if rewrite and v.verdict != "near-duplicate" else v.verdict
    if args.format == "json":
        out = {"doc_a": a.doc_id, "doc_b": b.doc_id, "jaccard": v.jaccard, "containment_ab": v.containment_ab,
               "containment_ba": v.containment_ba, "verdict": verdict, "passages": rows,
               "rewrite": rewrite}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
        return status
    lines = [f"A: {a.doc_id} ({len(a.text)} chars)", f"B: {b.doc_id} ({len(b.text)} chars)",
             f"Jaccard {v.jaccard:.2f}; containment A in B {v.containment_ab:.2f}, B in A {v.containment_ba:.2f}; "
             f"verdict: {verdict}; {counted(len(passages), 'shared passage')}"]
    if rewrite:
        subs, words = rewrite["substitutions"], rewrite["word_pairs"]
        # the word swaps the substitutions come down to (one substitution may hold two:
        # 政府信息公开→政府讯号果然), so their counts add up to more than the substitutions
        shown = ", ".join(f"{x['original']}→{x['replacement']} ×{x['count']}" for x in (words or subs)[:8])
        more = ", …" if len(words or subs) > 8 else ""
        phrases = (f"{sum(int(x.get('count', 1)) for x in subs)} substituted phrases ({len(subs)} distinct) in "
                   f"{rewrite['aligned_sentences']} aligned sentences")
        if words:  # the phrases hold the swaps, a phrase sometimes two (政府信息公开→政府讯号果然)
            said = (f"{phrases}, holding {sum(int(x.get('count', 1)) for x in words)} word swaps of "
                    f"{len(words)} kinds: {shown}{more}")
        else:
            said = f"{phrases}: {shown}{more}"
        lines.append(f"REW001: {rewrite['doc_id']} is a synonym rewrite of {rewrite['related_doc_id']}: {said}")
    lines.append("")
    for r, p in zip(rows, passages):
        la, ca = a.line_col(p.span[0])
        lb, cb = b.line_col(p.related_span[0])
        diff = "; ".join(f"{d['kind']} {_one_line(d['text'])}→{_one_line(d['related_text'])}"
                         for d in r["differences"][:8])
        lines.append(f"[{r['n']}] {p.chars} chars  A {la}:{ca}  B {lb}:{cb}  matched {r['matched']:.0%}"
                     + (f"  differences: {diff}" if diff else ""))
    lines += ["", f"===== A: {a.doc_id} =====", _mark(a.text, [(p.span[0], p.span[1], k) for k, p in enumerate(passages, 1)]),
              "", f"===== B: {b.doc_id} =====",
              _mark(b.text, [(p.related_span[0], p.related_span[1], k) for k, p in enumerate(passages, 1)]), ""]
    sys.stdout.write("\n".join(lines))
    return status
