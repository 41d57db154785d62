"""Views of a batch shared by the HTML report, the XLSX report and the notebook API: the
per-document overview and the comparison of two documents (:class:`PairComparison`).

Pair findings carry their evidence per ``docs/output-contract.md``: ``span`` in ``doc_id``'s text,
``evidence.related_span`` in ``related_doc_id``'s, ``evidence.passages`` (``span`` /
``related_span`` pairs), ``evidence.substitutions`` (``original`` taken from ``related_doc_id``,
``replacement`` in ``doc_id``) and ``evidence.differences``. This module turns them into character
ranges to highlight in both texts; it never recomputes similarity.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..findings import Finding
from ..rules import FAMILIES, SEVERITY_ORDER
from .messages_zh import change_label

#: Highlight classes, drawn in this order (later ones on top).
MARK_KINDS = ("region", "finding", "passage", "diff", "sub")
#: Pair findings ordered by how much they tell about the pair (first = orientation of the view).
_PAIR_RULE_ORDER = {"REW001": 0, "DUP001": 1, "DUP003": 2, "DUP002": 3}


@dataclass(frozen=True)
class Mark:
    """A range ``[start, end)`` of characters to highlight in one text.

    ``kind`` is one of :data:`MARK_KINDS`; ``title`` the tooltip (``公开 → 果然 ×19``);
    ``key`` ties the two sides of one substitution pair or passage (same key on both sides).
    """

    start: int
    end: int
    kind: str
    title: str = ""
    key: str | None = None


def worst_severity(findings) -> str | None:
    """The highest severity among ``findings`` (``error`` > ``warning`` > ``info``), or None."""
    worst = None
    for f in findings:
        if worst is None or SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[worst]:
            worst = f.severity
    return worst


def document_summary(batch) -> list[dict]:
    """One row per document: the contract's document fields, then ``findings`` (count), one
    count per rule family (``ING`` … ``SEC``) and ``worst`` (highest severity or None).

    Returns
    -------
    list of dict
        In ``batch.document_rows()`` order (one per document, same length as the JSON's
        ``documents`` array).
    """
    by_doc = findings_by_document(batch.finding_objects)
    return [_with_counts(dict(r), by_doc.get(r["doc_id"], [])) for r in batch.document_rows()]


def findings_by_document(findings) -> dict[str, list[Finding]]:
    """The findings each document's row of a summary table counts: its own (``doc_id``), and a
    DUP001 whose direction nothing told (``evidence.copier_by`` ``order``: "which of the two
    copied cannot be told") under its ``related_doc_id`` too, so that neither document of such
    a pair looks clean (the session-15 fresh-user test read the original flagged and its copy
    clean). The findings themselves stay one per pair (docs/output-contract.md).

    Parameters
    ----------
    findings : iterable of Finding

    Returns
    -------
    dict
        ``doc_id -> list of Finding``, each list in the order of ``findings``.
    """
    by_doc: dict[str, list[Finding]] = {}
    for f in findings:
        by_doc.setdefault(f.doc_id, []).append(f)
        if f.rule == "DUP001" and f.related_doc_id and (f.evidence or {}).get("copier_by") == "order":
            by_doc.setdefault(f.related_doc_id, []).append(f)
    return by_doc


def _with_counts(row: dict, findings: list[Finding]) -> dict:
    """``row`` with ``findings`` (their number), one count per rule family and ``worst``."""
    fam = Counter(f.rule[:3] for f in findings)
    row["findings"] = len(findings)
    for family in FAMILIES:
        row[family] = fam.get(family, 0)
    row["worst"] = worst_severity(findings)
    return row


def _passage_title(rule: str, kind: str, chars: int | None, lang: str) -> str:
    """The tooltip of a passage mark: ``DUP001 passage, 165 characters`` (a REW001 passage is
    an aligned sentence), in ``lang``."""
    if lang == "zh":
        what = "对齐句" if kind == "region" else "相同段落"
        return f"{rule} {what}，{chars} 字" if chars else f"{rule} {what}"
    what = "aligned sentence" if kind == "region" else "passage"
    return f"{rule} {what}, {chars} characters" if chars else f"{rule} {what}"


#: Columns :func:`located_findings` adds to the contract's finding fields.
LOCATED_COLUMNS = ["line", "column", "excerpt"]
#: Longest excerpt (characters) of :func:`located_findings`; longer ones end with …
MAX_EXCERPT = 200


def located_findings(batch, rows: list[dict]) -> list[dict]:
    """The finding rows ``rows`` (the JSON's ``findings``) with where each one stands, for
    tables read without the texts (CSV, XLSX): ``line`` and ``column`` (1-based, as the text
    output's ``doc_id:line:col``) of the span's start, and ``excerpt``, the span's text (at most
    :data:`MAX_EXCERPT` characters). Findings without a span, or on a document not in the batch,
    get none of them. Returns new dicts in the order of ``rows``."""
    texts = {a.document.doc_id: a.document for a in batch.analyses}
    out = []
    for f in rows:
        row = dict(f)
        doc, span = texts.get(f["doc_id"]), f.get("span")
        if doc is not None and span and 0 <= span[0] <= span[1] <= len(doc.text):
            row["line"], row["column"] = doc.line_col(span[0])
            excerpt = doc.text[span[0]:span[1]]
            row["excerpt"] = excerpt if len(excerpt) <= MAX_EXCERPT else excerpt[:MAX_EXCERPT - 1] + "…"
        out.append(row)
    return out


#: Rules of an input that gave no document (ING006, a failed analysis stage, is on a document).
UNREAD_RULES = ("ING001", "ING002", "ING003", "ING004", "ING005")


def unread_summary(batch, findings=None) -> list[dict]:
    """One row per input that gave no document (a file unreadable, of an unsupported type,
    empty, refused by a limit or without a text layer; an empty part of a compilation page),
    in the shape of :func:`document_summary`'s rows so an overview can list every input:
    ``doc_id``, ``path`` (the finding's ``evidence.path``), the other document fields None,
    ``findings``, the family counts, ``worst`` and ``rules`` (the ING codes, comma-separated).

    Parameters
    ----------
    batch : Batch
    findings : list of Finding or None
        The findings shown (after --select/--ignore); the batch's by default. An input whose
        ING findings are all filtered out gets no row.

    Returns
    -------
    list of dict
        Sorted by ``doc_id``; empty when every input gave documents. Not part of the JSON's
        ``documents`` array (the contract lists documents there), whose length the XLSX
        ``documents`` sheet keeps.
    """
    read_ids = {a.document.doc_id for a in batch.analyses}
    by_id: dict[str, list[Finding]] = {}
    for f in batch.finding_objects if findings is None else findings:
        if f.doc_id not in read_ids:
            by_id.setdefault(f.doc_id, []).append(f)
    rows = []
    for doc_id in sorted(by_id):
        fs = by_id[doc_id]
        rules = sorted({f.rule for f in fs if f.rule in UNREAD_RULES})
        if not rules:
            continue
        path = next((f.evidence.get("path") for f in fs if isinstance(f.evidence, dict) and f.evidence.get("path")),
                    None)
        row = _with_counts({"doc_id": doc_id, "path": path, "title": None, "chars": None, "encoding": None,
                            "kind": None, "issuer": None, "year": None, "completeness": None}, fs)
        row["rules"] = ", ".join(rules)
        rows.append(row)
    return rows


def _span(value) -> tuple[int, int] | None:
    """A span from a Span, a [start, end] list or None."""
    if value is None:
        return None
    if hasattr(value, "start") and hasattr(value, "end"):
        return int(value.start), int(value.end)
    try:
        s, e = value
        return int(s), int(e)
    except (TypeError, ValueError):
        return None


def _clip(span, n: int) -> tuple[int, int] | None:
    if span is None:
        return None
    s, e = max(0, span[0]), min(n, span[1])
    return (s, e) if e > s else None


def _find_all(text: str, needle: str, region: tuple[int, int] | None, taken: list[bool]) -> list[tuple[int, int]]:
    """Non-overlapping occurrences of ``needle`` in ``text[region]`` whose characters are not
    ``taken`` yet (marks them taken)."""
    if not needle:
        return []
    lo, hi = region if region else (0, len(text))
    out = []
    i = text.find(needle, lo)
    while i != -1 and i + len(needle) <= hi:
        j = i + len(needle)
        if not any(taken[i:j]):
            out.append((i, j))
            for k in range(i, j):
                taken[k] = True
            i = text.find(needle, j)
        else:
            i = text.find(needle, i + 1)
    return out


def _unknown(doc_id, documents: dict) -> str:
    """The message of the KeyError for a doc_id the batch does not hold: it and a few that it
    does hold (the closest by name first)."""
    import difflib

    names = sorted(documents)
    close = difflib.get_close_matches(str(doc_id), names, n=3, cutoff=0.5)
    shown = close or names[:3]
    from .text import counted

    return (f"no document {doc_id!r} in this batch ({counted(len(names), 'document')}; "
            f"{'did you mean' if close else 'e.g.'} {', '.join(map(repr, shown))})")


@dataclass
class PairComparison:
    """Two documents side by side with the evidence of every pair finding between them.

    Returned by :meth:`summary_analysis.batch.Batch.compare`; renders as HTML in Jupyter
    (``_repr_html_``): both texts with shared passages, substituted words and changed
    names/years/figures highlighted.

    Attributes
    ----------
    doc_id, related_doc_id : str
        The left and the right document (in the HTML report: the suspected copy on the left).
    text, related_text : str or None
        Their ``Document.text``; ``related_text`` is None for a document of the reference index.
    findings : list of Finding
        Pair findings (DUP, REW001) relating the two, in either direction.
    score : PairScore or None
        The similarity stage's scores of the pair, if it scored it.
    title, related_title : str
    lang : {"en", "zh"}
        Language of the rendered labels.
    """

    doc_id: str
    related_doc_id: str
    text: str | None
    related_text: str | None
    findings: list[Finding] = field(default_factory=list)
    score: Any = None
    title: str = ""
    related_title: str = ""
    lang: str = "en"

    @classmethod
    def from_batch(cls, batch, a: str, b: str, lang: str = "en", *, documents: dict | None = None,
                   findings: list[Finding] | None = None, score: Any = ...) -> "PairComparison":
        """Build the comparison of documents ``a`` (left) and ``b`` (right) of ``batch``.

        ``documents`` (doc_id → Document), ``findings`` (the pair's findings) and ``score``
        may be passed when already at hand (see :func:`pair_comparisons`); they are looked up
        in ``batch`` otherwise.

        Raises
        ------
        KeyError
            When ``a`` is not a document of the batch (``b`` may be a reference-index id that is
            named by a DUP003 finding).
        """
        if documents is None:
            documents = {x.document.doc_id: x.document for x in batch.analyses}
        doc_a = documents.get(a)
        if doc_a is None:
            raise KeyError(_unknown(a, documents))
        if findings is None:
            findings = [f for f in batch.finding_objects
                        if f.related_doc_id is not None and {f.doc_id, f.related_doc_id} == {a, b}]
        doc_b = documents.get(b)
        if doc_b is None and not any(f.related_doc_id == b and f.doc_id == a for f in findings):
            # a library document is shown through a's DUP003 naming it (session-17 fresh-user
            # test: the KeyError suggested batch documents unrelated to a library id)
            refs = sorted({f.related_doc_id for f in batch.finding_objects if f.rule == "DUP003" and f.doc_id == a})
            library = f"; reference documents are shown through a DUP003 of {a!r}: " + (
                ", ".join(map(repr, refs)) if refs else "it has none")
            raise KeyError(_unknown(b, documents) + library)
        findings = sorted(findings, key=lambda f: (_PAIR_RULE_ORDER.get(f.rule, 9),) + f.sort_key())
        if score is ...:
            lo, hi = sorted((a, b))
            score = next((p for p in batch.pair_objects if p.doc_a == lo and p.doc_b == hi), None)
        return cls(a, b, doc_a.text, doc_b.text if doc_b else None, findings, score,
                   doc_a.title, doc_b.title if doc_b else "", lang)

    # -- evidence as tables -----------------------------------------------------------------
    def _sides(self, f: Finding) -> bool:
        """True when the finding's ``doc_id`` is this view's left document."""
        return f.doc_id == self.doc_id

    @property
    def passages(self) -> pd.DataFrame:
        """Shared passages: columns ``rule``, ``span`` (left text), ``related_span`` (right
        text), ``chars``, ``text`` (the left passage); one row per passage of every finding
        (a DUP002 finding without ``passages`` contributes its own span)."""
        rows = []
        for f in self.findings:
            left = self._sides(f)
            for p in self._finding_passages(f):
                s, r = (p[0], p[1]) if left else (p[1], p[0])
                chars = p[2]
                text = self.text[s[0]:s[1]] if (s and self.text is not None) else None
                rows.append({"rule": f.rule, "span": list(s) if s else None,
                             "related_span": list(r) if r else None, "chars": chars, "text": text})
        return pd.DataFrame(rows, columns=["rule", "span", "related_span", "chars", "text"])

    @staticmethod
    def _finding_passages(f: Finding) -> list[tuple]:
        """(span in f.doc_id, span in f.related_doc_id, chars) per passage of ``f``."""
        ev = f.evidence or {}
        out = []
        for p in ev.get("passages") or []:
            if not isinstance(p, dict):
                continue
            s, r = _span(p.get("span")), _span(p.get("related_span"))
            chars = p.get("chars")
            if chars is None and s:
                chars = s[1] - s[0]
            out.append((s, r, chars))
        if not out and f.rule == "DUP002" and f.span is not None:
            s, r = _span(f.span), _span(ev.get("related_span"))
            out.append((s, r, s[1] - s[0]))
        return out

    @property
    def substitutions(self) -> pd.DataFrame:
        """Substitution pairs of the REW001 findings: columns ``original`` (word in the finding's
        ``related_doc_id``), ``replacement`` (word in its ``doc_id``), ``count``; most frequent
        first, ties by the words."""
        rows = []
        for f in self.findings:
            for s in (f.evidence or {}).get("substitutions") or []:
                if isinstance(s, dict) and s.get("original") is not None:
                    rows.append({"original": str(s.get("original")),
                                 "replacement": str(s.get("replacement") or ""),
                                 "count": int(s.get("count") or 1)})
        df = pd.DataFrame(rows, columns=["original", "replacement", "count"])
        if not df.empty:
            df = df.sort_values(["count", "original", "replacement"], ascending=[False, True, True],
                                kind="stable").reset_index(drop=True)
        return df

    @property
    def differences(self) -> pd.DataFrame:
        """What differs inside the copied passages: columns ``kind``, ``text`` (in the finding's
        ``doc_id``), ``related_text``."""
        rows = []
        for f in self.findings:
            for d in (f.evidence or {}).get("differences") or []:
                if isinstance(d, dict):
                    rows.append({"kind": d.get("kind"), "text": d.get("text"),
                                 "related_text": d.get("related_text")})
        return pd.DataFrame(rows, columns=["kind", "text", "related_text"])

    # -- highlights ---------------------------------------------------------------------------
    def marks(self, lang: str = "en") -> tuple[list[Mark], list[Mark]]:
        """Character ranges to highlight in the left and the right text, their titles (the
        tooltips) in ``lang`` (``en`` or ``zh``).

        Passages come from ``evidence.passages`` (or a DUP002 finding's own spans); the rewritten
        region from a REW001 finding's ``span`` / ``evidence.related_span``; substituted words
        are located by their ``occurrences`` (``{"span", "related_span"}`` per substitution)
        or ``spans`` / ``related_spans`` lists when a finding provides them, else as every
        occurrence of the word inside the region (longest words first, never overlapping); a
        REW001 finding's ``passages`` (aligned sentences) are drawn as region, not as copied
        text; changed names/years/figures (``differences``) at their ``spans`` /
        ``related_spans`` when given, else as every occurrence inside the passages.

        Returns
        -------
        (list of Mark, list of Mark)
            Sorted by (start, end, kind); ranges are clipped to the texts.
        """
        nl = len(self.text or "")
        nr = len(self.related_text or "")
        left: list[Mark] = []
        right: list[Mark] = []
        taken_l = [False] * nl
        taken_r = [False] * nr
        for fi, f in enumerate(self.findings):
            on_left = self._sides(f)
            ev = f.evidence or {}
            # own side / other side in view coordinates
            mine, other = (left, right) if on_left else (right, left)
            n_mine, n_other = (nl, nr) if on_left else (nr, nl)
            text_mine = self.text if on_left else self.related_text
            text_other = self.related_text if on_left else self.text
            taken_mine, taken_other = (taken_l, taken_r) if on_left else (taken_r, taken_l)
            # a DUP passage is copied text; a REW001 passage is an aligned (rewritten) sentence
            pkind = "region" if f.rule == "REW001" else "passage"
            for pi, (s, r, chars) in enumerate(self._finding_passages(f)):
                key = f"p{fi}-{pi}"
                title = _passage_title(f.rule, pkind, chars, lang)
                if (s := _clip(s, n_mine)):
                    mine.append(Mark(s[0], s[1], pkind, title, key))
                if (r := _clip(r, n_other)):
                    other.append(Mark(r[0], r[1], pkind, title, key))
            region_mine = _clip(_span(f.span), n_mine) if f.rule == "REW001" else None
            region_other = _clip(_span(ev.get("related_span")), n_other) if f.rule == "REW001" else None
            if f.rule == "REW001":
                if region_mine:
                    mine.append(Mark(region_mine[0], region_mine[1], "region", "REW001"))
                if region_other:
                    other.append(Mark(region_other[0], region_other[1], "region", "REW001"))
            subs = [s for s in ev.get("substitutions") or [] if isinstance(s, dict)]
            order = sorted(range(len(subs)), key=lambda k: (-max(len(str(subs[k].get("replacement") or "")),
                                                                  len(str(subs[k].get("original") or ""))), k))
            for k in order:
                s = subs[k]
                orig, repl = str(s.get("original") or ""), str(s.get("replacement") or "")
                key = f"s{fi}-{k}"
                title = f"{orig} → {repl} ×{s.get('count', 1)}"
                occ = [o for o in s.get("occurrences") or [] if isinstance(o, dict)]
                spans_mine = [x for x in (_clip(_span(v), n_mine)
                                          for v in [o.get("span") for o in occ] + list(s.get("spans") or [])) if x]
                spans_other = [x for x in (_clip(_span(v), n_other)
                                           for v in [o.get("related_span") for o in occ]
                                           + list(s.get("related_spans") or [])) if x]
                for a, b in spans_mine:
                    taken_mine[a:b] = [True] * (b - a)
                for a, b in spans_other:
                    taken_other[a:b] = [True] * (b - a)
                if not spans_mine and text_mine is not None:
                    spans_mine = _find_all(text_mine, repl, region_mine, taken_mine)
                if not spans_other and text_other is not None:
                    spans_other = _find_all(text_other, orig, region_other, taken_other)
                mine.extend(Mark(a, b, "sub", title, key) for a, b in spans_mine)
                other.extend(Mark(a, b, "sub", title, key) for a, b in spans_other)
            for di, d in enumerate(ev.get("differences") or []):
                if not isinstance(d, dict):
                    continue
                key = f"d{fi}-{di}"
                title = (f"{change_label(d.get('kind') or '', lang)}: {d.get('text') or ''} ↔ "
                         f"{d.get('related_text') or ''}")
                regions_mine = [m for m in mine if m.kind == pkind] or [None]
                regions_other = [m for m in other if m.kind == pkind] or [None]
                for side, txt, regions, taken, word, spans, n in (
                        (mine, text_mine, regions_mine, taken_mine, d.get("text"), d.get("spans"), n_mine),
                        (other, text_other, regions_other, taken_other, d.get("related_text"),
                         d.get("related_spans"), n_other)):
                    if txt is None or not word:
                        continue
                    if isinstance(spans, list) and spans:  # where the change is: only there
                        side.extend(Mark(a, b, "diff", title, key) for a, b in
                                    (x for x in (_clip(_span(v), n) for v in spans) if x))
                        continue
                    for reg in regions:
                        rr = (reg.start, reg.end) if reg else None
                        side.extend(Mark(a, b, "diff", title, key)
                                    for a, b in _find_all(txt, str(word), rr, taken))
        key = lambda m: (m.start, m.end, MARK_KINDS.index(m.kind), m.key or "")
        return sorted(left, key=key), sorted(right, key=key)

    # -- rendering ------------------------------------------------------------------------------
    def to_html(self, lang: str | None = None) -> str:
        """The side-by-side view as an HTML fragment (all text escaped)."""
        from .html import pair_html

        return pair_html(self, lang=lang or self.lang, standalone_style=True)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        rules = ", ".join(sorted({f.rule for f in self.findings})) or "no pair findings"
        return f"<PairComparison {self.doc_id} ↔ {self.related_doc_id}: {rules}>"


def pair_comparisons(batch, lang: str = "en") -> list[PairComparison]:
    """One :class:`PairComparison` per pair of documents related by a pair finding.

    The left document is the ``doc_id`` of the pair's most telling finding (REW001, then DUP001,
    DUP003, DUP002): the suspected copy. Ordered by worst severity (errors first), then ids.
    """
    groups: dict[frozenset, list[Finding]] = {}
    for f in batch.finding_objects:
        if f.related_doc_id is None or f.related_doc_id == f.doc_id:
            continue
        groups.setdefault(frozenset((f.doc_id, f.related_doc_id)), []).append(f)
    documents = {a.document.doc_id: a.document for a in batch.analyses}
    scores = {(p.doc_a, p.doc_b): p for p in batch.pair_objects}
    out = []
    for fs in groups.values():
        lead = min(fs, key=lambda f: (_PAIR_RULE_ORDER.get(f.rule, 9),) + f.sort_key())
        if lead.doc_id not in documents:
            continue
        score = scores.get(tuple(sorted((lead.doc_id, lead.related_doc_id))))
        out.append(PairComparison.from_batch(batch, lead.doc_id, lead.related_doc_id, lang,
                                             documents=documents, findings=fs, score=score))
    out.sort(key=lambda c: (-SEVERITY_ORDER[worst_severity(c.findings) or "info"], c.doc_id,
                            c.related_doc_id))
    return out
