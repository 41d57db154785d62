"""`summary-analysis figures FILE...`: the figures of each report, and the findings about them.

One block per document (a compilation page gives one per split part)::

    == shuyang-county-2025-annual-report.md ==
      at      kind        raw          value     unit  approx  metric
      11:27   count       4511条       4511      条            通过县政府门户网站主动公开政府信息
      …
    findings: none

``at`` is ``line:col`` (1-based) in the cleaned document text. ``--kind count,percent`` keeps
those kinds; ``--stats`` drops contact and identifier rows (never statistics); ``--format json``
prints the rows of the output contract's ``figures`` array plus the FIG/PLH findings; ``--format
csv`` prints the figure rows. Exit status 0, or 2 when no file gave a document.
"""

from __future__ import annotations

import csv
import io
import json
import sys

from ..figures import FIGURE_KINDS
from ..report.text import cut_to, pad_to


def register(subparsers) -> None:
    """Add the ``figures`` sub-command to ``subparsers`` and set its ``func``."""
    p = subparsers.add_parser("figures", help="list the figures of reports and check their consistency")
    p.add_argument("paths", nargs="+", metavar="FILE",
                   help="report files or folders, or PAGE#N for the N-th document of a compilation page")
    p.add_argument("--kind", default=None, metavar="KINDS",
                   help="only these kinds, comma-separated (" + ", ".join(FIGURE_KINDS) + ")")
    p.add_argument("--stats", action="store_true", help="leave out contact and identifier figures")
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.set_defaults(func=run)


def analyse_figures(document):
    """Structure, figures, placeholders and FIG checks of one document.

    Returns
    -------
    tuple[list[Figure], list[Finding]]
    """
    from ..figures import check_figures, extract_figures, find_placeholders
    from ..sections import document_meta, sections

    forest = sections(document)
    meta = document_meta(document, forest)
    figs = extract_figures(document, forest)
    findings = find_placeholders(document) + check_figures(document, figs, meta, forest)
    return figs, findings


def _fmt(v) -> str:
    return "-" if v is None else str(v)


def run(args) -> int:
    """Print the figures of each document; returns the exit status."""
    from . import read_inputs

    kinds = None
    if args.kind:
        kinds = {k.strip() for k in args.kind.split(",") if k.strip()}
        bad = kinds - set(FIGURE_KINDS)
        if bad:
            print(f"summary-analysis figures: unknown kind(s) {', '.join(sorted(bad))}", file=sys.stderr)
            return 2
    read = read_inputs(args.paths, "figures")
    if read is None:
        return 2
    docs = read.documents
    rows, all_findings, blocks = [], [], []
    for doc in docs:
        figs, findings = analyse_figures(doc)
        figs = [f for f in figs if (kinds is None or f.kind in kinds)
                and not (args.stats and f.kind in ("contact", "identifier"))]
        doc_rows = [dict(doc_id=doc.doc_id, **f.to_dict()) for f in figs]
        rows += doc_rows
        all_findings += findings
        blocks.append((doc, figs, findings))
    if args.format == "json":
        print(json.dumps({"figures": rows, "findings": [f.to_dict() for f in all_findings]},
                         ensure_ascii=False, indent=1))
        return 0
    if args.format == "csv":
        buf = io.StringIO()
        cols = ["doc_id", "metric", "value", "low", "high", "unit", "kind", "approx", "raw", "span",
                "section_path"]
        w = csv.DictWriter(buf, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({**r, "span": f"{r['span'][0]}-{r['span'][1]}"})
        sys.stdout.write(buf.getvalue())
        return 0
    out = []
    for doc, figs, findings in blocks:
        out.append(f"== {doc.doc_id} ==")
        out.append(f"  {'at':8s}{'kind':12s}{'raw':24s}{'value':>12s}  {'unit':8s}{'approx':7s}metric")
        for f in figs:
            line, col = doc.line_col(f.span.start)
            raw = cut_to(" ".join(f.raw.split()), 23)  # display columns: a CJK character takes 2
            out.append(f"  {f'{line}:{col}':8s}{f.kind:12s}{pad_to(raw, 24)}{_fmt(f.value):>12s}  "
                       f"{pad_to(_fmt(f.unit), 8)}{'~' if f.approx else '':7s}{f.metric or '-'}")
        if findings:
            out.append("findings:")
            for fd in findings:
                at = "%d:%d" % doc.line_col(fd.span.start) if fd.span else "-"
                out.append(f"  {at:8s}{fd.rule} {fd.message}")
        else:
            out.append("findings: none")
        out.append("")
    sys.stdout.write("\n".join(out))
    return 0
