"""Stage 4, figures: reported numbers, unfilled template fields and consistency checks.

Modules: :mod:`.numbers` (number parsing, wrapping cn2an), :mod:`.extract` (figures of running
text), :mod:`.tables` (statutory and pipe tables), :mod:`.metric` (the noun phrase counted),
:mod:`.consistency` (FIG001–FIG005), :mod:`.placeholders` (PLH001), :mod:`.pivot` (figures of
several documents side by side, behind ``Batch.figure_table``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ..document import Document, Span
from ..findings import Finding
from ..packed import Packed
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

    def __reduce__(self):
        # Compact pickling: one flat tuple instead of the slot-state dict and a pickled Span
        # object per figure.
        return (_unpickle_figure, _flat(self))

    def to_dict(self) -> dict:
        """The JSON object of the output contract (without ``doc_id``)."""
        return {"metric": self.metric, "value": self.value, "low": self.low, "high": self.high,
                "unit": self.unit, "kind": self.kind, "approx": self.approx, "raw": self.raw,
                "span": self.span.as_list(), "section_path": self.section_path}


class _FigureFields:
    """:class:`Figure`'s slots, in the same order, in a plain class: a faster way to build the
    many figures of a batch (:func:`_figure`).

    Figure's own ``__init__`` (frozen dataclass) sets each field through
    ``object.__setattr__``; this class's ``__init__`` sets them with ordinary attribute stores
    (about a quarter of that cost), and the object's class is then set to :class:`Figure`,
    which Python allows between classes of the same layout (same base, same slots; it raises
    otherwise). Same object, same fields; tests compare it with ``Figure(...)`` and check that
    Figure still has exactly these fields and no ``__post_init__``.
    """

    __slots__ = Figure.__slots__

    def __init__(self, value, low, high, raw, unit, metric, kind, approx, span, section_path) -> None:
        self.value = value
        self.low = low
        self.high = high
        self.raw = raw
        self.unit = unit
        self.metric = metric
        self.kind = kind
        self.approx = approx
        self.span = span
        self.section_path = section_path


def _figure(value, low, high, raw, unit, metric, kind, approx, span, section_path) -> Figure:
    """``Figure(value, …, section_path)`` without the dataclass ``__init__`` (same result)."""
    f = _FigureFields(value, low, high, raw, unit, metric, kind, approx, span, section_path)
    f.__class__ = Figure
    return f


_new = object.__new__
_SPAN_START, _SPAN_END = Span.start.__set__, Span.end.__set__


def _span(start: int, end: int) -> Span:
    """``Span(start, end)`` for offsets known to be valid (``0 <= start <= end``), without
    ``Span.__post_init__``'s check (same object; a test compares it with ``Span``)."""
    sp = _new(Span)
    _SPAN_START(sp, start)
    _SPAN_END(sp, end)
    return sp


def _unpickle_figure(value, low, high, raw, unit, metric, kind, approx, start, end, section_path) -> Figure:
    """Inverse of ``Figure.__reduce__``; the strings are interned again, as the extractor does."""
    intern = sys.intern
    return _figure(value, low, high, intern(raw), None if unit is None else intern(unit),
                   None if metric is None else intern(metric), kind, approx, Span(start, end), section_path)


def _flat(f: Figure) -> tuple:
    """``(value, low, high, raw, unit, metric, kind, approx, start, end, section_path)``."""
    return (f.value, f.low, f.high, f.raw, f.unit, f.metric, f.kind, f.approx, f.span.start, f.span.end,
            f.section_path)


class PackedFigures(Packed):
    """The figures of one document as flat tuples: what a worker process sends the parent
    (building some 50 :class:`Figure` and :class:`Span` objects per document in the parent
    cost more than the rest of the transfer). A read-only sequence of :class:`Figure`, equal to
    the list it was packed from; the objects are built on first access, and
    :meth:`dicts` gives the output rows without building them.

    Parameters
    ----------
    data : tuple of tuple
        One ``(value, low, high, raw, unit, metric, kind, approx, start, end, section_path)``
        per figure, in text order (``start``/``end``: character offsets into ``Document.text``).
    """

    __slots__ = ()

    @classmethod
    def pack(cls, figures: list[Figure]) -> "PackedFigures":
        """The packed form of ``figures`` (a list of :class:`Figure`)."""
        return cls(tuple(map(_flat, figures)))

    def _unpack(self, data: tuple) -> list[Figure]:
        return [_unpickle_figure(*row) for row in data]

    def __len__(self) -> int:
        return len(self.data)

    def dicts(self, doc_id: str) -> list[dict]:
        """The output rows, as :func:`figure_dicts` gives them (without building Figure objects)."""
        return [{"doc_id": doc_id, "metric": metric, "value": value, "low": low, "high": high, "unit": unit,
                 "kind": kind, "approx": approx, "raw": raw, "span": [start, end], "section_path": path}
                for value, low, high, raw, unit, metric, kind, approx, start, end, path in self.data]


def figure_dicts(doc_id: str, figures) -> list[dict]:
    """One output row per figure: ``doc_id`` plus :meth:`Figure.to_dict` (the ``figures`` rows of
    docs/output-contract.md, in its key order).

    Parameters
    ----------
    doc_id : str
        The document's id, put in every row.
    figures : list of Figure or PackedFigures
        The document's figures, n of them, in text order.

    Returns
    -------
    list of dict
        n rows, in the order of ``figures``; ``span`` is ``[start, end]`` in characters into
        ``Document.text``. A :class:`PackedFigures` gives its rows without building Figure
        objects (:meth:`PackedFigures.dicts`); both forms give equal rows. Raises nothing.
    """
    if isinstance(figures, PackedFigures):
        return figures.dicts(doc_id)
    return [{"doc_id": doc_id, **f.to_dict()} for f in figures]


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
    from .extract import extract_rows

    rows = extract_rows(document)
    if not forest:
        return _figures_of_rows(rows, None, None)
    # section_path_at (the last section in pre-order whose span holds the offset), with the
    # forest flattened once instead of walked again for every figure; the answer is the same
    # for all offsets between two consecutive span boundaries, so it is found once per such
    # stretch
    flat = [(s.span.start, s.span.end, s.path) for s in iter_sections(forest)][::-1]
    cuts = sorted({x for a, b, _ in flat for x in (a, b)})
    return _figures_of_rows(rows, flat, cuts)


def _path_at(offset: int, flat: list) -> str | None:
    """``path`` of the last section in pre-order whose span holds ``offset`` (``flat`` is the
    pre-order list of ``(start, end, path)`` reversed)."""
    for a, b, p in flat:
        if a <= offset < b:
            return p
    return None


def _figures_of_rows(rows: list[list], flat: list | None, cuts: list | None) -> list[Figure]:
    """``[Figure(*r[2:], Span(r[0], r[1]), section_path) for r in rows]``, built through
    :func:`_figure` and :func:`_span`.

    Spans come from match offsets (``0 <= start <= end``), so Span's check is skipped
    (:func:`_span`); the section path is looked up once per stretch between two ``cuts``
    (rows sorted by start, as :func:`.extract.extract_rows` gives them).
    """
    out = []
    append = out.append
    path = None
    # rows come sorted by start: walk the cuts instead of bisecting them; ``upto`` is the cut
    # that ends the current stretch (the path changes only there)
    upto = -1 if flat is not None else None
    i = 0
    for start, end, value, low, high, raw, unit, metric, kind, approx in rows:
        if upto is not None and start >= upto:
            while i < len(cuts) and cuts[i] <= start:
                i += 1
            upto = cuts[i] if i < len(cuts) else None
            path = _path_at(start, flat)
        append(_figure(value, low, high, raw, unit, metric, kind, approx, _span(start, end), path))
    return out


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


__all__ = ["Figure", "FIGURE_KINDS", "PackedFigures", "extract_figures", "check_figures", "figure_dicts",
           "find_placeholders"]
