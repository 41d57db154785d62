"""Stage 4, figures: reported numbers, unfilled template fields and consistency checks.

Modules: :mod:`.numbers` (number parsing, wrapping cn2an), :mod:`.extract` (figures of running
text), :mod:`.tables` (statutory and pipe tables), :mod:`.metric` (the noun phrase counted),
:mod:`.consistency` (FIG001–FIG005), :mod:`.placeholders` (PLH001), :mod:`.pivot` (figures of
several documents side by side, behind ``Batch.figure_table``).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document, Span
from ..findings import Finding
from .placeholders import find_placeholders

FIGURE_KINDS = ("count", "percent", "money", "date", "period", "duration", "contact", "identifier")


@dataclass(frozen=True, slots=True)
class Figure:
    """One reported figure.

    Attributes
    ----------
    value : float or int or None
        Normalised value (``1.5万`` → 15000; a percent as written, 17.46 for ``17.46%``; money in
        the unit written, 4068.208 for 4068.208 万元; a date's or period's year). None for
        ranges (``3至5个``), vague numbers (``数十``) and for contact and identifier figures.
    low, high : float or int or None
        Bounds of a range (``3至5个`` → 3, 5; a period's first and last year); equal to
        ``value`` otherwise.
    raw : str
        As written, ``== Document.text[span.start:span.end]``.
    unit : str or None
        Measure word or unit (条, 件, %, 万元, 个工作日…); for dates the finest part written
        (年, 月, 日).
    metric : str or None
        The noun phrase the figure counts (主动公开政府信息); for a table cell ``row/column``
        (``本年新收政府信息公开申请数量/总计``).
    kind : str
        One of :data:`FIGURE_KINDS`.
    approx : bool
        True for 近/约/余/多/超/以上/数十 and ranges.
    span : Span
        Character offsets into ``Document.text``, end exclusive.
    section_path : str or None
        ``path`` of the innermost section containing the figure (``二/（一）``).
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

    def to_dict(self) -> dict:
        """The JSON object of the output contract (without ``doc_id``)."""
        return {"metric": self.metric, "value": self.value, "low": self.low, "high": self.high,
                "unit": self.unit, "kind": self.kind, "approx": self.approx, "raw": self.raw,
                "span": self.span.as_list(), "section_path": self.section_path}


def extract_figures(document: Document, forest) -> list[Figure]:
    """Figures of ``document`` in text order.

    Parameters
    ----------
    document : Document
    forest : list[Section]
        The heading forest of :func:`summary_analysis.sections.sections` (may be empty); gives
        each figure its ``section_path``.

    Returns
    -------
    list[Figure]
        Sorted by span; ``raw == document.text[span.start:span.end]``. Never raises on text.
    """
    from ..sections import iter_sections
    from .extract import extract_raw

    # section_path_at (the last section in pre-order whose span holds the offset), with the
    # forest flattened once instead of walked again for every figure
    flat = [(s.span.start, s.span.end, s.path) for s in iter_sections(forest)][::-1] if forest else []

    def path_at(offset: int) -> str | None:
        for a, b, path in flat:
            if a <= offset < b:
                return path
        return None

    return [Figure(section_path=path_at(f["span"].start) if forest else None, **f)
            for f in extract_raw(document)]


def check_figures(document: Document, figures: list[Figure], meta, forest) -> list[Finding]:
    """FIG001–FIG005 findings for one document.

    Parameters
    ----------
    document : Document
    figures : list[Figure]
        From :func:`extract_figures`.
    meta : DocMeta or None
        ``meta.year`` is the report's year for FIG002 (no FIG002 when it is None).
    forest : list[Section]

    Returns
    -------
    list[Finding]
        In text order; each finding's ``evidence`` holds the numbers compared.
    """
    from .consistency import check_all

    return check_all(document, figures, meta)


__all__ = ["Figure", "FIGURE_KINDS", "extract_figures", "check_figures", "find_placeholders"]
