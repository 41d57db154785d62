"""Stage 4, figures: reported numbers, unfilled template fields and consistency checks.

(Skeleton: extraction and the FIG rules are built under issue 4; PLH001 lives in
:mod:`.placeholders`.)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document, Span
from ..findings import Finding
from .placeholders import find_placeholders

FIGURE_KINDS = ("count", "percent", "money", "date", "period", "duration", "contact", "identifier")


@dataclass(frozen=True)
class Figure:
    """One reported figure.

    Attributes
    ----------
    value : float or int or None
        Normalised value (``1.5万`` → 15000; a percent as written, 17.46 for ``17.46%``).
    low, high : float or int or None
        Bounds of a range (``3至5个``); equal to ``value`` otherwise.
    raw : str
        As written, ``== Document.text[span]``.
    unit : str or None
        Measure word or unit (条, 件, %, 万元, 个工作日…).
    metric : str or None
        The noun phrase the figure counts (主动公开政府信息).
    kind : str
        One of :data:`FIGURE_KINDS`.
    approx : bool
        True for 近/约/余/多/超/以上/数十 and ranges.
    span : Span
    section_path : str or None
    """

    value: float | int | None
    low: float | int | None
    high: float | int | None
    raw: str
    unit: str | None
    metric: str | None
    kind: str
    approx: bool
    span: Span
    section_path: str | None = None


def extract_figures(document: Document, forest) -> list[Figure]:
    """Figures of ``document`` in text order."""
    return []


def check_figures(document: Document, figures: list[Figure], meta, forest) -> list[Finding]:
    """FIG001–FIG005 findings for one document."""
    return []


__all__ = ["Figure", "FIGURE_KINDS", "extract_figures", "check_figures", "find_placeholders"]
