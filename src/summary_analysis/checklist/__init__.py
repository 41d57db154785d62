"""Stage 6, checklist: completeness against required-section checklists (SEC001–SEC003).

(Skeleton: checklists and the scorer are built under issue 7.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document
from ..findings import Finding

CHECKLIST_COLUMNS = ["doc_id", "checklist", "item", "status", "span", "weight"]


@dataclass
class ChecklistResult:
    """Scoring of one document: ``checklist`` name used, ``rows`` (dicts with
    :data:`CHECKLIST_COLUMNS`), SEC ``findings``, ``completeness`` 0–100 or None."""

    checklist: str | None = None
    rows: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    completeness: float | None = None


def score_document(document: Document, forest, meta, figures, checklist: str = "auto") -> ChecklistResult:
    """Score ``document`` against ``checklist`` (``auto`` picks by kind and year)."""
    return ChecklistResult()
