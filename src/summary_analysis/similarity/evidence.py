"""Evidence for copy findings: who copied whom, and what was changed to disguise it.

- :func:`doc_info` — issuer and year of a document, from :class:`~summary_analysis.sections.DocMeta`
  when the structure stage supplies it, else read off the title line (``沐阳县人民政府 2025 年
  政府信息公开工作年度报告`` → issuer ``沐阳县人民政府``, year 2025).
- :func:`choose_copier` — the output contract's rule for ``doc_id`` of a pair finding: the
  later year; else the one with unfilled template fields or opening with a 导语 of copied text;
  else the one that sorts second.
- :func:`differences` — the edits inside aligned passages, classified as ``issuer``, ``year``,
  ``figure``, ``name`` (a short substitution) or ``text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .align import Passage

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_ISSUER_END = re.compile(r"(政府|办公厅|办公室|局|委员会|委|厅|办|街道办事处|街道|镇|乡|县|市|区|中心|院|署|所|会)$")
#: Kinds of :func:`differences`.
KINDS = ("issuer", "year", "figure", "name", "text")
#: At most this many distinct differences are listed per finding (the count is kept).
MAX_DIFFERENCES = 50


@dataclass(frozen=True)
class DocInfo:
    """``issuer`` (str or None), ``year`` (int or None), ``has_placeholders``, ``has_lead``
    (text opens with 导语)."""

    issuer: str | None
    year: int | None
    has_placeholders: bool = False
    has_lead: bool = False


def doc_info(text: str, title: str = "", meta=None, has_placeholders: bool | None = None) -> DocInfo:
    """Issuer and year of a document.

    Parameters
    ----------
    text : str
        ``Document.text``.
    title : str
        ``Document.title``.
    meta : object with ``issuer`` and ``year`` attributes, optional
        :class:`~summary_analysis.sections.DocMeta` from the structure stage; its non-null
        values win over the ones read here.
    has_placeholders : bool, optional
        Whether the document has unfilled template fields (PLH001); computed when None.

    Returns
    -------
    DocInfo
    """
    issuer = getattr(meta, "issuer", None) if meta is not None else None
    year = getattr(meta, "year", None) if meta is not None else None
    if issuer is None or year is None:
        head = re.sub(r"\s+", "", (title or "") + "\n" + text[:200].split("\n", 1)[0])
        m = _YEAR_RE.search(head)
        if m:
            if year is None:
                year = int(m.group(1))
            if issuer is None:
                cand = re.sub(r"^[#\s]+", "", head[: m.start()]).strip()
                if 2 <= len(cand) <= 30 and _ISSUER_END.search(cand):
                    issuer = cand
    if has_placeholders is None:
        from ..document import Document
        from ..figures import find_placeholders

        has_placeholders = bool(find_placeholders(Document("_", title, text, "_")))
    lead = text.lstrip()[:6].startswith("导语")
    return DocInfo(issuer, year, has_placeholders, lead)


def choose_copier(id_a: str, info_a: DocInfo, id_b: str, info_b: DocInfo,
                  passages: list[Passage] | None = None) -> tuple[bool, str]:
    """Decide which document of a pair is the suspected copy.

    Parameters
    ----------
    id_a, id_b : str
        doc_ids, ``id_a < id_b``.
    info_a, info_b : DocInfo
    passages : list[Passage], optional
        Aligned passages with spans in A (``span``) and B (``related_span``).

    Returns
    -------
    (a_is_copier, reason) : tuple[bool, str]
        ``reason`` one of ``later-year``, ``placeholders``, ``lead``, ``order``.
    """
    if info_a.year and info_b.year and info_a.year != info_b.year:
        return info_a.year > info_b.year, "later-year"
    if info_a.has_placeholders != info_b.has_placeholders:
        return info_a.has_placeholders, "placeholders"
    if info_a.has_lead != info_b.has_lead and passages:
        first = min(passages, key=lambda p: p.span[0])
        if info_a.has_lead and first.span[0] <= 12:
            return True, "lead"
        first_b = min(passages, key=lambda p: p.related_span[0])
        if info_b.has_lead and first_b.related_span[0] <= 12:
            return False, "lead"
    return False, "order"


def _issuer_at(text: str, issuer: str | None, span: tuple[int, int]) -> tuple[int, int] | None:
    if not issuer:
        return None
    start = max(0, span[0] - len(issuer))
    for m in re.finditer(re.escape(issuer), text[start: span[1] + len(issuer)]):
        s, e = start + m.start(), start + m.end()
        if s <= span[0] and span[1] <= e and (span[1] > span[0] or s < span[0] < e):
            return s, e
    return None


def _is_year(text: str, span: tuple[int, int]) -> bool:
    raw = text[span[0]:span[1]]
    if not re.fullmatch(r"(?:19|20)\d{2}", raw):
        return False
    return text[span[1]:span[1] + 2].lstrip()[:1] == "年" or len(raw) == 4


def differences(text_a: str, text_b: str, passages: list[Passage], info_a: DocInfo | None = None,
                info_b: DocInfo | None = None) -> tuple[list[dict], dict[str, int]]:
    """The edits inside aligned passages, as the contract's ``differences``.

    Parameters
    ----------
    text_a, text_b : str
        The two texts; ``text_a`` is the one the passages' ``span`` points into.
    passages : list[Passage]
    info_a, info_b : DocInfo, optional
        Issuers of the two documents (to tell an issuer swap from another name).

    Returns
    -------
    (differences, counts)
        ``differences``: distinct ``{"kind", "text", "related_text", "count"}`` in order of first
        occurrence, at most :data:`MAX_DIFFERENCES`; ``text`` from ``text_a``, ``related_text``
        from ``text_b``. ``counts``: occurrences per kind (all edits, not only the listed).
    """
    ia = info_a.issuer if info_a else None
    ib = info_b.issuer if info_b else None
    seen: dict[tuple[str, str, str], dict] = {}
    counts: dict[str, int] = {}
    for p in passages:
        for e in p.edits:
            ta, tb = text_a[e.span[0]:e.span[1]], text_b[e.related_span[0]:e.related_span[1]]
            if e.digits:
                kind = "year" if _is_year(text_a, e.span) and _is_year(text_b, e.related_span) else "figure"
            else:
                sa = _issuer_at(text_a, ia, e.span) if ia and ia != ib else None
                sb = _issuer_at(text_b, ib, e.related_span) if ib and ia != ib else None
                if sa or sb:
                    kind = "issuer"
                    ta, tb = (ia if sa else ta), (ib if sb else tb)
                else:
                    ta, tb = ta.strip(), tb.strip()
                    if not ta and not tb:
                        continue
                    kind = "name" if max(len(ta), len(tb)) <= 8 else "text"
            counts[kind] = counts.get(kind, 0) + 1
            key = (kind, ta, tb)
            if key in seen:
                seen[key]["count"] += 1
            elif len(seen) < MAX_DIFFERENCES:
                seen[key] = {"kind": kind, "text": ta, "related_text": tb, "count": 1}
    return list(seen.values()), counts
