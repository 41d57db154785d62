"""`summary-analysis checklist FILE... [--checklist X]`: completeness, item by item, with evidence.

One block per document (a compilation page gives one per split part)::

    == shanghai-office-2025-annual-report-pdf-extract.txt ==
    checklist: gov-info-annual-2021 (auto: kind annual-report-2021, year 2025)  completeness: 100.0
      item        status   by          at       evidence
      一 overview  present  heading     6:1      一、总体情况
      …
      五 problems  present  subheading  130:1    （一）2024 年工作中存在问题的改进情况

``at`` is ``line:col`` (1-based) of the heading or sentence that satisfied the item in the cleaned
document text; ``by`` says how it was found (heading, subheading, content). Optional items are
marked ``(optional)``; findings (SEC001–SEC003) follow the table. ``--format json`` prints the
rows and findings instead. Exit status 0, or 2 when no file gave a document or the checklist
cannot be loaded.
"""

from __future__ import annotations

import json
import sys


def register(subparsers) -> None:
    """Add the ``checklist`` sub-command to ``subparsers`` and set its ``func``."""
    p = subparsers.add_parser("checklist",
                              help="score reports against a required-section checklist, item by item")
    p.add_argument("paths", nargs="+", metavar="FILE",
                   help="report files or folders, or PAGE#N for the N-th document of a compilation page")
    p.add_argument("--checklist", default="auto",
                   help="auto (by document kind and year), a shipped checklist name "
                        "(gov-info-annual-2021, gov-info-annual-2008, work-summary) or a TOML file")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run)


def _short(text: str | None, n: int = 60) -> str:
    if not text:
        return "-"
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def score_file_documents(documents, checklist: str):
    """Run structure, figures and the checklist stage on each document.

    Returns
    -------
    list[tuple[Document, ChecklistResult]]
    """
    from ..checklist import score_document
    from ..figures import extract_figures
    from ..sections import document_meta, sections

    out = []
    for doc in documents:
        forest = sections(doc)
        meta = document_meta(doc, forest)
        figs = extract_figures(doc, forest)
        out.append((doc, score_document(doc, forest, meta, figs, checklist)))
    return out


def run(args) -> int:
    """Print each document's checklist table; returns the exit status."""
    from ..checklist import ChecklistError, load_checklist
    from ..report.text import pad_to
    from . import read_inputs

    if args.checklist != "auto":
        try:
            load_checklist(args.checklist)
        except ChecklistError as exc:
            print(f"summary-analysis checklist: {exc}", file=sys.stderr)
            return 2
    read = read_inputs(args.paths, "checklist")
    if read is None:
        return 2
    scored = score_file_documents(read.documents, args.checklist)
    if args.format == "json":
        blocks = [{"doc_id": d.doc_id, "checklist": r.checklist, "reason": r.reason,
                   "completeness": r.completeness, "rows": r.rows,
                   "findings": [f.to_dict() for f in r.findings]} for d, r in scored]
        sys.stdout.write(json.dumps(blocks, ensure_ascii=False, indent=1) + "\n")
        return 0
    blocks = []
    for doc, r in scored:
        lines = [f"== {doc.doc_id} ==",
                 f"checklist: {r.checklist} ({r.reason})  completeness: "
                 f"{'-' if r.completeness is None else r.completeness}",
                 "  item                   status   by          at       evidence"]
        for row in r.rows:
            at = "-"
            if row["evidence_span"]:
                line, col = doc.line_col(row["evidence_span"][0])
                at = f"{line}:{col}"
            name = f"{row['number']} {row['item']}" + ("" if row["required"] else " (optional)")
            lines.append(f"  {pad_to(name, 22)} {row['status']:<8} {row['matched_by'] or '-':<11} {at:<8} "
                         f"{_short(row['evidence'])}")
        for f in r.findings:
            loc = ""
            if f.span is not None:
                line, col = doc.line_col(f.span.start)
                loc = f":{line}:{col}"
            lines.append(f"  {doc.doc_id}{loc}: {f.rule} [{f.severity}] {f.message}")
        blocks.append("\n".join(lines))
    sys.stdout.write("\n\n".join(blocks) + "\n")
    return 0
