"""`summary-analysis sections FILE...`: print each document's outline as an indented tree.

One block per document (a compilation page gives one per split part)::

    == seed-compilation-page.txt#2 ==
    title: 街道政务公开工作总结2000字(篇2)  kind: annual-report-legacy  issuer: XX街道  year: 2020
      line  lvl  outline
         3    1  一、 概述
         7    2    (一) 强化组织领导
        57    3      · 一是 进一步加大政务公开力度

``line`` is the 1-based line of the number in the cleaned document text, ``lvl`` the heading
level (GB/T 9704-2012 §7.3.3; points: parent level + 1), points are marked ``·``. With
``--format json`` the same as a list of objects (Batch.sections columns plus ``line`` and
``children``). Exit status 0, or 2 when no file gave a document.
"""

from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    """Add the ``sections`` sub-command to ``subparsers`` and set its ``func``."""
    p = subparsers.add_parser("sections", help="print the heading outline of reports (tree with levels and lines)")
    p.add_argument("paths", nargs="+", metavar="FILE",
                   help="report files or folders, or PAGE#N for the N-th document of a compilation page")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--no-points", action="store_true", help="hide 一是/二是 points")
    p.set_defaults(func=run)


def _as_dict(s, document, points: bool) -> dict:
    return {"kind": s.kind, "level": s.level, "number": s.number, "path": s.path, "title": s.title,
            "line": s.line, "start": s.span.start, "end": s.span.end, "chars": len(s.span),
            "children": [_as_dict(c, document, points) for c in s.children
                         if points or c.kind != "point"]}


def _prune(forest, points: bool):
    from dataclasses import replace

    out = []
    for s in forest:
        if not points and s.kind == "point":
            continue
        out.append(replace(s, children=tuple(_prune(s.children, points))))
    return out


def run(args) -> int:
    """Print the outlines; returns the exit status."""
    from . import read_inputs
    from ..sections import document_meta, outline_lines, sections

    read = read_inputs(args.paths, "sections")
    if read is None:
        return 2
    points = not args.no_points
    blocks = []
    for doc in read.documents:
        forest = sections(doc)
        meta = document_meta(doc, forest)
        shown = _prune(forest, points)
        if args.format == "json":
            blocks.append({"doc_id": doc.doc_id, "title": meta.title, "kind": meta.kind,
                           "issuer": meta.issuer, "year": meta.year,
                           "sections": [_as_dict(s, doc, points) for s in shown]})
            continue
        lines = [f"== {doc.doc_id} ==",
                 f"title: {meta.title or '-'}  kind: {meta.kind}  issuer: {meta.issuer or '-'}  "
                 f"year: {meta.year or '-'}"]
        rows = outline_lines(doc, shown)
        lines += ["  line  lvl  outline"] + rows if rows else ["  (no numbered headings)"]
        blocks.append("\n".join(lines))
    if args.format == "json":
        sys.stdout.write(json.dumps(blocks, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write("\n\n".join(blocks) + "\n")
    return 0
