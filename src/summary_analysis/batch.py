"""The :class:`Batch`: the result of :func:`summary_analysis.analyze` as pandas DataFrames."""

from __future__ import annotations

import gc
import threading
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any

from . import groups as _groups
from .findings import Finding, findings_frame

if TYPE_CHECKING:
    import pandas as pd

DOCUMENT_COLUMNS = ["doc_id", "path", "title", "chars", "encoding", "kind", "issuer", "year", "completeness"]
FIGURE_COLUMNS = ["doc_id", "metric", "value", "low", "high", "unit", "kind", "approx", "raw", "span", "section_path"]
SECTION_COLUMNS = ["doc_id", "kind", "level", "number", "path", "title", "start", "end", "chars"]
PAIR_COLUMNS = ["doc_a", "doc_b", "jaccard", "containment_ab", "containment_ba", "shared_chars", "verdict"]
CHECKLIST_COLUMNS = ["doc_id", "checklist", "item", "status", "span", "weight"]
#: The checklist rows' added fields (the JSON has them too): what the item is, and what satisfied it.
CHECKLIST_DETAIL_COLUMNS = ["title", "number", "required", "matched_by", "evidence", "evidence_span"]
SKIPPED_COLUMNS = ["path", "reason"]
GROUP_COLUMNS = _groups.GROUP_COLUMNS


_pause_lock = threading.Lock()
_pausers = 0  # _bulk calls running that found the collector on (and paused it)


def _bulk(method):
    """Run ``method`` with the cyclic garbage collector paused (restored after): building the
    rows of a large batch allocates millions of dicts and lists, none of them in cycles, and
    each full collection they trigger walks every object of the batch again (at 10,000
    reports, seconds of work for nothing).

    Calls that overlap (threads) share one pause: the collector is enabled again when the last
    of them ends (the first, which found it on, paused it); a collector that was already off
    when a call began is left alone."""

    @wraps(method)
    def paused(*args, **kwargs):
        global _pausers
        with _pause_lock:
            mine = _pausers > 0 or gc.isenabled()
            if mine:
                _pausers += 1
                gc.disable()
        if not mine:
            return method(*args, **kwargs)
        try:
            return method(*args, **kwargs)
        finally:
            with _pause_lock:
                _pausers -= 1
                if _pausers == 0:
                    gc.enable()

    return paused


class Batch:
    """The analysis of one batch of reports.

    Attributes (DataFrames; column names per ``docs/output-contract.md``)
    ----------------------------------------------------------------------
    documents : doc_id, path, title, chars, encoding, kind, issuer, year, completeness, text
    findings : rule, severity, doc_id, related_doc_id, span, message, evidence
    pairs : doc_a, doc_b, jaccard, containment_ab, containment_ba, shared_chars, verdict
    figures : doc_id, metric, value, low, high, unit, kind, approx, raw, span, section_path
        (plus ``start``/``end`` columns for convenience)
    checklist : doc_id, checklist, item, status, span, weight
    sections : doc_id, kind, level, number, path, title, start, end, chars
    skipped : path, reason
    groups : group, doc_id, size, linked, rules (copy groups, :mod:`summary_analysis.groups`)
    """

    def __init__(self, analyses: list, findings: list[Finding], pairs: list, read: Any) -> None:
        self.analyses = analyses
        self.finding_objects = sorted(findings, key=Finding.sort_key)
        self.pair_objects = sorted(pairs, key=lambda p: (p.doc_a, p.doc_b))
        self.read = read

    # -- objects ---------------------------------------------------------------------------
    def document(self, doc_id: str):
        """The :class:`~summary_analysis.document.Document` with ``doc_id``. Raises KeyError."""
        for a in self.analyses:
            if a.document.doc_id == doc_id:
                return a.document
        raise KeyError(doc_id)

    # -- tables ----------------------------------------------------------------------------
    @_bulk
    def document_rows(self) -> list[dict]:
        """One dict per document: the output contract's ``documents`` fields (``chars`` in characters)."""
        rows = []
        for a in self.analyses:
            d, m = a.document, a.meta
            rows.append({
                "doc_id": d.doc_id, "path": d.path, "title": (m.title if m and m.title else d.title),
                "chars": len(d.text), "encoding": d.encoding,
                "kind": m.kind if m else None, "issuer": m.issuer if m else None,
                "year": m.year if m else None,
                "completeness": a.checklist.completeness if a.checklist else None,
            })
        return rows

    @_bulk
    def figure_rows(self) -> list[dict]:
        """One dict per reported figure: ``doc_id`` plus :meth:`Figure.to_dict` (contract order)."""
        rows = []
        for a in self.analyses:
            rows += a.figure_rows()
        return rows

    @_bulk
    def checklist_rows(self) -> list[dict]:
        """One dict per checklist item of each scored document (the contract's ``checklist`` rows)."""
        rows = []
        for a in self.analyses:
            if a.checklist:
                rows.extend(a.checklist.rows)
        return rows

    @_bulk
    def section_rows(self) -> list[dict]:
        """One dict per heading of each document's tree: level, number, path, title, ``[start, end)``
        character offsets into ``Document.text`` and ``chars``."""
        rows = []
        for a in self.analyses:
            rows += a.section_rows()
        return rows

    def copy_groups(self) -> list:
        """The copy groups of the batch's findings (:func:`summary_analysis.groups.copy_groups`):
        documents linked by DUP001/REW001 findings, directly or through each other, largest
        group first. Computed from the current ``finding_objects`` (after ``--select``/``--ignore``)."""
        return _groups.copy_groups(self.finding_objects)

    def group_rows(self) -> list[dict]:
        """One dict per document of a copy group: ``group`` (1-based), ``doc_id``, ``size``,
        ``linked`` (doc_ids it shares a DUP001/REW001 finding with), ``rules``."""
        return _groups.group_rows(self.copy_groups())

    @cached_property
    @_bulk
    def documents(self) -> pd.DataFrame:
        """DataFrame, one row per document: ``DOCUMENT_COLUMNS`` (``year`` nullable Int64) plus ``text``."""
        import pandas as pd

        df = pd.DataFrame(self.document_rows(), columns=DOCUMENT_COLUMNS)
        df["year"] = df["year"].astype("Int64")
        df["text"] = [a.document.text for a in self.analyses]
        return df

    @cached_property
    @_bulk
    def findings(self) -> pd.DataFrame:
        """DataFrame, one row per finding (sorted as the report): ``FINDING_COLUMNS``."""
        return findings_frame(self.finding_objects)

    @cached_property
    @_bulk
    def pairs(self) -> pd.DataFrame:
        """DataFrame, one row per verified document pair: ``PAIR_COLUMNS`` (Jaccard, containment 0..1)."""
        import pandas as pd

        return pd.DataFrame([p.to_dict() for p in self.pair_objects], columns=PAIR_COLUMNS)

    @cached_property
    @_bulk
    def figures(self) -> pd.DataFrame:
        """DataFrame, one row per figure: ``FIGURE_COLUMNS`` plus ``start``/``end`` character offsets."""
        import pandas as pd

        df = pd.DataFrame(self.figure_rows(), columns=FIGURE_COLUMNS)
        df["start"] = [s[0] for s in df["span"]]
        df["end"] = [s[1] for s in df["span"]]
        return df

    @cached_property
    @_bulk
    def checklist(self) -> pd.DataFrame:
        """DataFrame, one row per checklist item and document: ``CHECKLIST_COLUMNS`` then
        ``CHECKLIST_DETAIL_COLUMNS`` (the item's title and number, whether it is required, what
        matched it: heading, subheading or content, and that text with its span)."""
        import pandas as pd

        return pd.DataFrame(self.checklist_rows(), columns=CHECKLIST_COLUMNS + CHECKLIST_DETAIL_COLUMNS)

    @cached_property
    @_bulk
    def sections(self) -> pd.DataFrame:
        """DataFrame, one row per heading: ``SECTION_COLUMNS``."""
        import pandas as pd

        return pd.DataFrame(self.section_rows(), columns=SECTION_COLUMNS)

    @cached_property
    def groups(self) -> pd.DataFrame:
        """DataFrame, one row per document that is in a copy group: ``GROUP_COLUMNS``
        (see :meth:`copy_groups`); empty when no DUP001/REW001 finding links two documents."""
        import pandas as pd

        return pd.DataFrame(self.group_rows(), columns=GROUP_COLUMNS)

    @cached_property
    def skipped(self) -> pd.DataFrame:
        """DataFrame of inputs skipped on purpose (notes, links, files given twice): path, reason."""
        import pandas as pd

        return pd.DataFrame([{"path": s.path, "reason": s.reason} for s in self.read.skipped],
                            columns=SKIPPED_COLUMNS)

    # -- summary ---------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """``files_found``, ``files_read``, ``files_refused``, ``skipped``, ``documents``.

        ``files_found`` counts every file met: read, refused (ING findings) or skipped (notes,
        hidden files, files given twice, own reports), so it is the sum of the other three."""
        r = self.read
        return {"files_found": r.files_found + len(r.skipped), "files_read": r.files_read,
                "files_refused": r.files_refused, "skipped": len(r.skipped),
                "documents": len(self.analyses)}

    @_bulk
    def to_dict(self) -> dict:
        """The JSON document of the output contract (version 1), plus ``groups`` (the rows of
        :meth:`group_rows`; an added field, as the contract allows)."""
        return {
            "contract": 1,
            "documents": self.document_rows(),
            "findings": [f.to_dict() for f in self.finding_objects],
            "pairs": [p.to_dict() for p in self.pair_objects],
            "figures": self.figure_rows(),
            "checklist": self.checklist_rows(),
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.read.skipped],
            "groups": self.group_rows(),
        }

    def __repr__(self) -> str:
        c = self.counts()
        from .report.text import counted

        return f"<Batch {counted(c['documents'], 'document')}, {counted(len(self.finding_objects), 'finding')}>"

    # -- notebook views (rendering lives in summary_analysis.report) -------------------------
    def _repr_html_(self) -> str:
        from .report.html import batch_html

        return batch_html(self)

    def compare(self, a: str, b: str, lang: str = "en"):
        """Documents ``a`` (left) and ``b`` (right) side by side with the evidence of every pair
        finding between them; renders as HTML in Jupyter. Raises KeyError for an unknown doc_id.

        Returns
        -------
        summary_analysis.report.views.PairComparison
            ``.passages``, ``.substitutions``, ``.differences`` (DataFrames), ``.findings``.
        """
        from .report.views import PairComparison

        return PairComparison.from_batch(self, a, b, lang=lang)

    def pair_comparisons(self, lang: str = "en") -> list:
        """One :meth:`compare` view per pair of documents related by a DUP/REW finding, the
        suspected copy on the left, errors first."""
        from .report.views import pair_comparisons

        return pair_comparisons(self, lang=lang)

    def figure_pivot(self, metrics=None, min_documents: int = 2) -> pd.DataFrame:
        """Figures across documents: rows metric, columns doc_id, values the first figure of the
        metric in each document (see :func:`summary_analysis.report.plots.figure_pivot`)."""
        from .report.plots import figure_pivot

        return figure_pivot(self, metrics=metrics, min_documents=min_documents)

    def figure_table(self, metrics=None) -> pd.DataFrame:
        """Chosen metrics by document, for comparing units: index doc_id, one column per metric
        (default: the statutory table totals); see :func:`summary_analysis.figures.pivot.figure_table`."""
        from .figures.pivot import figure_table

        return figure_table(self.figures, list(self.documents["doc_id"]), metrics=metrics)

    def plot_similarity(self, metric: str = "jaccard", ax=None, lang: str = "en"):
        """Heatmap of pair similarity (matplotlib Figure); see :mod:`summary_analysis.report.plots`."""
        from .report.plots import plot_similarity

        return plot_similarity(self, metric=metric, ax=ax, lang=lang)

    def plot_findings(self, ax=None, lang: str = "en"):
        """Findings per document by rule family (matplotlib Figure)."""
        from .report.plots import plot_findings_by_family

        return plot_findings_by_family(self, ax=ax, lang=lang)

    def plot_figures(self, metrics=None, lang: str = "en", min_documents: int = 2):
        """Figures compared across documents, one panel per metric (matplotlib Figure)."""
        from .report.plots import plot_figure_comparison

        return plot_figure_comparison(self, metrics=metrics, lang=lang, min_documents=min_documents)
