"""Stage 6, checklist: completeness against required-section checklists (SEC001–SEC003).

Checklists are data (``data/checklists/*.toml``, or a user's file): see
:mod:`summary_analysis.checklist.model` for the format, :mod:`.scorer` for how items are found.
Shipped: ``gov-info-annual-2021`` (条例 Article 50 and 国办公开办函〔2021〕30号),
``gov-info-annual-2008`` (the 2008 regulation's Article 32, unverified) and ``work-summary``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Document
from ..findings import Finding
from .model import Checklist, ChecklistError, Item, available_checklists, load_checklist
from .outline import build_outline, key_of
from .scorer import (EMPTY, MISSING, PRESENT, ItemResult, completeness, findings_for,
                     match_items)

CHECKLIST_COLUMNS = ["doc_id", "checklist", "item", "status", "span", "weight"]

#: Checklist used for each document kind of :data:`summary_analysis.sections.KINDS`.
BY_KIND = {"annual-report-2021": "gov-info-annual-2021",
           "annual-report-legacy": "gov-info-annual-2008",
           "work-summary": "work-summary"}

#: The first report year scored on Article 50 of the 2019 revision of the regulation (in force
#: 2019-05-15; the 2019 reports, published by March 2020, followed its format).
FIRST_ARTICLE_50_YEAR = 2019

# Markers of the 2021 national format (its table rows and the notice itself).
_FORMAT_2021 = re.compile(r"第二十条第[（(][一五六八][）)]项|本年新收政府信息公开申请数量|"
                          r"国办公开办函〔2021〕30号|〔2021〕30号")


@dataclass
class ChecklistResult:
    """Scoring of one document.

    Attributes
    ----------
    checklist : str or None
        Name of the checklist used.
    rows : list[dict]
        One per applicable item, keys :data:`CHECKLIST_COLUMNS` (``span`` as ``[start, end]`` or
        None) plus ``title``, ``number``, ``required``, ``matched_by`` (heading, subheading,
        content or None), ``evidence`` (the heading or sentence that satisfied the item) and
        ``evidence_span``.
    findings : list[Finding]
        SEC001–SEC003.
    completeness : float or None
        0–100, the weighted share of required items present.
    reason : str
        Why this checklist was used (``auto: kind annual-report-2021`` …).
    """

    checklist: str | None = None
    rows: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    completeness: float | None = None
    reason: str = ""


def choose_checklist(document: Document, meta, forest=None) -> tuple[str, str]:
    """Pick the checklist for ``document`` by its kind and year (``--checklist auto``).

    Kind from the structure stage decides (:data:`BY_KIND`); an annual report in the current
    layout but of a year before 2019 is scored on the 2008 regulation's list: the 2019 revision
    of the regulation (in force 2019-05-15, Article 50) governs the reports from the 2019 report
    on, which followed the six-part format of 国办公开办函〔2019〕60号 that the 2021 notice
    refined (:data:`FIRST_ARTICLE_50_YEAR`). When the kind is ``other`` or unknown, the text decides:
    the 2021 format's table rows or the notice's number → 2021; two or more of the 2008 items
    named by numbered headings → 2008; anything else → work-summary.

    Returns
    -------
    (name, reason) : tuple[str, str]
    """
    kind = getattr(meta, "kind", None) if meta is not None else None
    year = getattr(meta, "year", None) if meta is not None else None
    if kind in BY_KIND:
        name = BY_KIND[kind]
        if kind == "annual-report-2021" and isinstance(year, int) and year < FIRST_ARTICLE_50_YEAR:
            name = "gov-info-annual-2008"
        return name, f"auto: kind {kind}" + (f", year {year}" if year else "")
    key = key_of(document.text)
    if _FORMAT_2021.search(key):
        return "gov-info-annual-2021", "auto: text has the 2021 format's tables"
    legacy = load_checklist("gov-info-annual-2008")
    top = [it for it in legacy.items if it.within is None]
    outline = build_outline(document.text, lambda k: any(p.search(k) for it in top for p in it.headings),
                            legacy.not_headings, forest)
    named = {it.id for p in outline.parts for it in top if any(h.search(p.key) for h in it.headings)}
    if len(named) >= 2:
        return "gov-info-annual-2008", f"auto: headings name {len(named)} items of the 2008 format"
    return "work-summary", "auto: no report format recognised"


def score_document(document: Document, forest, meta, figures, checklist: str = "auto") -> ChecklistResult:
    """Score ``document`` against a checklist.

    Parameters
    ----------
    document : Document
    forest : list[Section]
        The structure stage's heading tree (may be empty: the scorer scans the text itself).
    meta : DocMeta or None
        ``kind`` and ``year`` pick the checklist under ``auto``; ``issuer`` decides whether
        items marked ``when = "government"`` apply.
    figures : list[Figure]
        Figures of the document (a table item holding one is not empty).
    checklist : str or Checklist
        ``auto``, a shipped name, a TOML path, or a loaded :class:`Checklist`.

    Returns
    -------
    ChecklistResult

    Raises
    ------
    ChecklistError
        When ``checklist`` names no shipped checklist and no readable, valid file.
    """
    if isinstance(checklist, Checklist):
        cl, reason = checklist, "given"
    elif checklist in (None, "", "auto"):
        name, reason = choose_checklist(document, meta, forest)
        cl = load_checklist(name)
    else:
        cl, reason = load_checklist(checklist), "given"
    results, _ = match_items(document, cl, forest, meta, figures)
    rows = []
    doc_id, name = document.doc_id, cl.name
    for r in results:
        m, it = r.match, r.item
        rows.append({
            "doc_id": doc_id, "checklist": name, "item": it.id, "status": r.status,
            "span": m.span.as_list() if m else None, "weight": it.weight,
            "title": it.title, "number": it.number, "required": it.required,
            "matched_by": m.how if m else None, "evidence": m.evidence if m else None,
            "evidence_span": m.title_span.as_list() if m else None,
        })
    return ChecklistResult(checklist=cl.name, rows=rows, findings=findings_for(document, cl, results),
                           completeness=completeness(results), reason=reason)


__all__ = ["Checklist", "ChecklistError", "ChecklistResult", "Item", "ItemResult", "CHECKLIST_COLUMNS",
           "BY_KIND", "PRESENT", "EMPTY", "MISSING", "available_checklists", "choose_checklist",
           "load_checklist", "score_document"]
