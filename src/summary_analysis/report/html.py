"""The HTML report: one self-contained page (inline CSS, one small inline script, images as
``data:`` URIs; nothing fetched from the network), and the HTML fragments Jupyter shows for a
:class:`~summary_analysis.batch.Batch`, a :class:`~summary_analysis.findings.Finding` and a
:class:`~summary_analysis.report.views.PairComparison`.

Every piece of document text, doc_id, title and message goes through :func:`esc`
(:func:`html.escape` with quotes), so a report containing ``<script>`` shows it as text. The page
also carries a Content-Security-Policy that allows only its own script (by hash) and ``data:``
images, a second line of defence should anything ever slip through unescaped.
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
import json
import os
from collections import defaultdict
from pathlib import Path

from .. import __version__
from ..document import Document
from ..findings import Finding
from ..rules import FAMILIES, SEVERITY_ORDER, get_rule
from .labels import check_lang, family_name, header, ui
from .files import write_text
from .messages_zh import change_label, finding_message, severity_label, skip_reason, verdict_label
from .views import MARK_KINDS, Mark, PairComparison, document_summary, pair_comparisons, unread_summary

#: Above this many characters of document text in a batch, per-document texts are left out of
#: the page (pair views always show both texts).
MAX_INLINE_TEXT_CHARS = 2_000_000
#: Pair views shown at most (the most severe first).
MAX_PAIR_VIEWS = 200

CSS = """
.sa-report{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;
 font-size:14px;line-height:1.5;color:#222;max-width:1400px;margin:0 auto;padding:0 12px}
.sa-report h1{font-size:22px}.sa-report h2{font-size:18px;border-bottom:1px solid #ccc;margin-top:28px}
.sa-report h3{font-size:15px;margin:18px 0 6px}
.sa-table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
.sa-table th,.sa-table td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
.sa-table th{background:#f3f3f3;position:sticky;top:0}
.sa-sortable th{cursor:pointer;user-select:none}
.sa-sortable th[aria-sort=ascending]::after{content:" \\25B2"}
.sa-sortable th[aria-sort=descending]::after{content:" \\25BC"}
.sa-num{text-align:right!important;font-variant-numeric:tabular-nums}
.sa-sev-error{color:#b00020;font-weight:bold}.sa-sev-warning{color:#a15c00}.sa-sev-info{color:#555}
.sa-st-missing{color:#b00020}.sa-st-empty{color:#a15c00}.sa-st-present{color:#2a7a2a}
.sa-pair{border:1px solid #ccc;border-radius:4px;padding:8px;margin:12px 0}
.sa-sides{display:flex;gap:10px}.sa-side{flex:1;min-width:0}
.sa-side h4{margin:4px 0;font-size:13px;word-break:break-all}
.sa-text{white-space:pre-wrap;word-break:break-all;font-family:inherit;font-size:13px;
 background:#fafafa;border:1px solid #eee;padding:6px;max-height:600px;overflow:auto;margin:0}
mark.sa-m{background:none;color:inherit;padding:0}
mark.sa-region{border-bottom:1px dotted #9467bd}
mark.sa-passage{background:#fde2a7}
mark.sa-diff{background:#9fd3ff;outline:1px solid #2a7ab8}
mark.sa-sub{background:#e7b3f5;outline:1px solid #8e44ad}
mark.sa-finding{background:#ffd5d5}
.sa-sublist{display:grid;grid-template-columns:repeat(auto-fill,minmax(14em,1fr));column-gap:16px;list-style:none;
 padding:4px 8px;margin:4px 0;max-height:180px;overflow-y:auto;border:1px solid #eee;font-size:13px}
.sa-legend span{display:inline-block;margin-right:12px;padding:0 4px}
.sa-outline{list-style:none;padding-left:0;margin:4px 0}
.sa-outline li{margin:1px 0}
.sa-muted{color:#777}.sa-small{font-size:12px}
.sa-img{max-width:100%;height:auto;border:1px solid #eee}
details.sa-details>summary{cursor:pointer;color:#225}
"""

#: The only script of the page: sorts a table by the clicked column (numbers numerically, text
#: by locale). It never reads or writes HTML strings, only moves existing rows.
SCRIPT = """(function(){
function key(row,i){var c=row.cells[i];if(!c)return "";var s=c.getAttribute("data-sort");return s===null?c.textContent:s;}
document.querySelectorAll("table.sa-sortable").forEach(function(t){
 var ths=t.tHead?t.tHead.rows[0].cells:[];
 Array.prototype.forEach.call(ths,function(th,i){th.addEventListener("click",function(){
  var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);
  var asc=th.getAttribute("aria-sort")!=="ascending";
  Array.prototype.forEach.call(ths,function(h){h.removeAttribute("aria-sort");});
  th.setAttribute("aria-sort",asc?"ascending":"descending");
  rows.sort(function(a,b){var x=key(a,i),y=key(b,i),nx=parseFloat(x),ny=parseFloat(y);
   var c=(!isNaN(nx)&&!isNaN(ny)&&isFinite(x)&&isFinite(y))?nx-ny:x.localeCompare(y,"zh");return asc?c:-c;});
  rows.forEach(function(r){tb.appendChild(r);});
 });});
});
})();"""


def esc(value) -> str:
    """``value`` as escaped HTML text (``&``, ``<``, ``>``, both quotes); None → empty."""
    if value is None:
        return ""
    return _html.escape(str(value), quote=True)


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def _num(v, digits: int = 3) -> str:
    if v is None:
        return ""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**15:
        return esc(str(v))  # every digit (a 400-digit figure is past float's range)
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):
        return esc(v)
    if f != f:  # NaN
        return ""
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return f"{f:.{digits}f}".rstrip("0").rstrip(".")


def _sev(sev: str | None, lang: str = "en") -> str:
    """A severity cell: class and sort key by the code, shown in ``lang`` (错误 for error)."""
    if not sev:
        return '<td data-sort="-1"></td>'
    return (f'<td class="sa-sev-{esc(sev)}" data-sort="{SEVERITY_ORDER.get(sev, -1)}">'
            f"{esc(severity_label(sev, lang))}</td>")


def _excerpt(text: str | None, span, width: int = 80) -> str:
    if text is None or span is None:
        return ""
    s, e = (span.start, span.end) if hasattr(span, "start") else span
    piece = text[s:e]
    if len(piece) > width:
        piece = piece[: width - 1] + "…"
    return piece.replace("\n", " ")


# -- marked text ---------------------------------------------------------------------------------
def _kind_rank(kind: str) -> int:
    return MARK_KINDS.index(kind) if kind in MARK_KINDS else len(MARK_KINDS)


def marked_text(text: str, marks: list[Mark]) -> str:
    """``text`` as escaped HTML with each range of ``marks`` wrapped in
    ``<mark class="sa-m sa-KIND …" title=…>``; overlapping marks split the text into segments
    carrying every active kind. Newlines are kept (the container uses ``white-space: pre-wrap``).
    """
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    if not marks:
        return esc(text)
    bounds = sorted({0, n, *(m.start for m in marks), *(m.end for m in marks)})
    starts = sorted(marks, key=lambda m: m.start)
    out = []
    active: list[Mark] = []
    si = 0
    for a, b in zip(bounds, bounds[1:]):
        while si < len(starts) and starts[si].start <= a:
            active.append(starts[si])
            si += 1
        active = [m for m in active if m.end > a]
        seg = esc(text[a:b])
        here = [m for m in active if m.start <= a and m.end >= b]
        if not here:
            out.append(seg)
            continue
        kinds = sorted({m.kind for m in here}, key=_kind_rank)
        titles = []
        for m in sorted(here, key=lambda m: -_kind_rank(m.kind)):
            if m.title and m.title not in titles:
                titles.append(m.title)
        attrs = f' class="sa-m {" ".join("sa-" + k for k in kinds)}"'
        if titles:
            attrs += f' title="{esc(" | ".join(titles))}"'
        sub = next((m.key for m in here if m.kind == "sub" and m.key), None)
        if sub:
            attrs += f' data-sub="{esc(sub)}"'
        out.append(f"<mark{attrs}>{seg}</mark>")
    return "".join(out)


# -- fragments -----------------------------------------------------------------------------------
def _legend(lang: str) -> str:
    return ('<div class="sa-legend sa-small">' + esc(ui("legend", lang)) + ": "
            f'<span><mark class="sa-m sa-passage">{esc(ui("legend_passage", lang))}</mark></span>'
            f'<span><mark class="sa-m sa-sub">{esc(ui("legend_sub", lang))}</mark></span>'
            f'<span><mark class="sa-m sa-diff">{esc(ui("legend_diff", lang))}</mark></span>'
            f'<span><mark class="sa-m sa-region">{esc(ui("legend_region", lang))}</mark></span>'
            "</div>")


def _findings_table(findings: list[Finding], documents: dict[str, Document], lang: str,
                    docs_link: dict | None = None, with_doc: bool = True) -> str:
    cols = ["rule", "severity"] + (["doc_id"] if with_doc else []) + ["related_doc_id", "line", "message", "excerpt"]
    head = "".join(f"<th>{esc(header('findings', c, lang))}</th>" for c in cols)
    rows = []
    for f in findings:
        doc = documents.get(f.doc_id)
        text = doc.text if doc is not None else None
        loc = ""
        if f.span is not None and text is not None and f.span.end <= len(text):
            line, col = doc.line_col(f.span.start)
            loc = f"{line}:{col}"
        cells = [f'<td title="{esc(get_rule(f.rule).summary)}">{esc(f.rule)}</td>', _sev(f.severity, lang)]
        if with_doc:
            link = (docs_link or {}).get(f.doc_id)
            cells.append(f'<td><a href="#{link}">{esc(f.doc_id)}</a></td>' if link else f"<td>{esc(f.doc_id)}</td>")
        cells.append(f"<td>{esc(f.related_doc_id)}</td>")
        cells.append(f'<td class="sa-num">{esc(loc)}</td>')
        cells.append(f"<td>{esc(finding_message(f, lang))}</td>")
        cells.append(f"<td>{esc(_excerpt(text, f.span))}</td>")
        rows.append(f'<tr data-rule="{esc(f.rule)}">' + "".join(cells) + "</tr>")
    return (f'<table class="sa-table sa-sortable sa-findings"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _evidence_html(f: Finding, lang: str) -> str:
    ev = f.evidence or {}
    parts = []
    scalars = {k: v for k, v in ev.items() if not isinstance(v, (list, dict))}
    if scalars:
        parts.append("<div class='sa-small'>" + ", ".join(
            f"{esc(k)}: {esc(_num(v) if isinstance(v, float) else v)}" for k, v in sorted(scalars.items()))
            + "</div>")
    if ev.get("related_span") is not None:
        parts.append(f"<div class='sa-small'>related_span: {esc(ev.get('related_span'))}</div>")
    subs = [s for s in ev.get("substitutions") or [] if isinstance(s, dict)]
    if subs:
        parts.append(_subs_table(subs, lang))
    passages = [p for p in ev.get("passages") or [] if isinstance(p, dict)]
    if passages:
        parts.append(f"<div class='sa-small'>{esc(ui('passages', lang))}: {len(passages)} — "
                     + "; ".join(f"{esc(p.get('span'))} ↔ {esc(p.get('related_span'))} "
                                 f"({esc(p.get('chars'))})" for p in passages[:20]) + "</div>")
    diffs = [d for d in ev.get("differences") or [] if isinstance(d, dict)]
    if diffs:
        parts.append(f"<div class='sa-small'>{esc(ui('differences', lang))}: "
                     + "; ".join(f"{esc(change_label(d.get('kind'), lang))}: {esc(d.get('text'))} ↔ "
                                 f"{esc(d.get('related_text'))}" for d in diffs[:30]) + "</div>")
    return "".join(parts)


def _subs_table(subs: list[dict], lang: str) -> str:
    subs = sorted(subs, key=lambda s: (-int(s.get("count") or 1), str(s.get("original")),
                                       str(s.get("replacement"))))
    head = "".join(f"<th>{esc(header('substitutions', c, lang))}</th>" for c in ("original", "replacement", "count"))
    body = "".join(f"<tr><td>{esc(s.get('original'))}</td><td>{esc(s.get('replacement'))}</td>"
                   f"<td class='sa-num'>{esc(s.get('count'))}</td></tr>" for s in subs)
    return (f'<table class="sa-table sa-sortable sa-subs"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def finding_html(finding: Finding, lang: str = "en", text: str | None = None) -> str:
    """A finding as an HTML fragment: rule, severity, document, location, message, evidence
    (substitution pairs as a table). ``text`` (its document's text) adds the excerpt."""
    lang = check_lang(lang)
    f = finding
    rule = get_rule(f.rule)
    loc = ""
    if f.span is not None:
        loc = f"[{f.span.start}, {f.span.end})"
    rel = f" ↔ {esc(f.related_doc_id)}" if f.related_doc_id else ""
    excerpt = _excerpt(text, f.span, 200) if text else ""
    return (f'<div class="sa-report sa-finding-view"><style>{CSS}</style>'
            f'<div><b>{esc(f.rule)}</b> <span class="sa-sev-{esc(f.severity)}">'
            f"[{esc(severity_label(f.severity, lang))}]</span> "
            f"{esc(rule.name)} — {esc(f.doc_id)}{rel} <span class='sa-muted'>{esc(loc)}</span></div>"
            f"<div>{esc(finding_message(f, lang))}</div>"
            + (f"<div class='sa-text'>{esc(excerpt)}</div>" if excerpt else "")
            + _evidence_html(f, lang) + "</div>")


def pair_html(cmp: PairComparison, lang: str = "en", standalone_style: bool = False, anchor: str | None = None) -> str:
    """The side-by-side view of a :class:`PairComparison` as an HTML fragment.

    The section carries ``data-doc-id`` / ``data-related-doc-id``; the left and right texts are
    ``<pre class="sa-text">`` with ``<mark class="sa-m sa-passage|sa-sub|sa-diff|sa-region">``
    highlights (see :meth:`PairComparison.marks`).
    """
    lang = check_lang(lang)
    left, right = cmp.marks(lang)
    rules = " ".join(sorted({f.rule for f in cmp.findings}))
    head = f"{esc(cmp.doc_id)} ↔ {esc(cmp.related_doc_id)}"
    scores = ""
    if cmp.score is not None:
        s = cmp.score
        scores = ("<div class='sa-small'>" + esc(ui("scores_line", lang).format(
            scores=ui("scores", lang), jaccard=_num(s.jaccard), ab=_num(s.containment_ab), ba=_num(s.containment_ba),
            shared=_num(s.shared_chars), verdict=verdict_label(s.verdict, lang)))
            + "</div>")
    items = []
    for f in cmp.findings:
        items.append(f"<li><b>{esc(f.rule)}</b> <span class='sa-sev-{esc(f.severity)}'>"
                     f"[{esc(severity_label(f.severity, lang))}]</span> "
                     f"{esc(f.doc_id)}: {esc(finding_message(f, lang))}</li>")
    subs = cmp.substitutions
    subs_html = ""
    if not subs.empty:
        subs_html = (f"<details class='sa-details' open><summary>{esc(ui('substitutions', lang))} "
                     f"({len(subs)})</summary><ul class='sa-sublist'>"
                     + "".join(f"<li><span class='sa-orig'>{esc(r['original'])}</span> → "
                               f"<mark class='sa-m sa-sub'>{esc(r['replacement'])}</mark> "
                               f"<span class='sa-muted'>×{esc(r['count'])}</span></li>"
                               for r in subs.to_dict("records"))
                     + "</ul></details>")
    words = [w for f in cmp.findings if f.rule == "REW001"
             for w in (f.evidence or {}).get("word_pairs") or [] if isinstance(w, dict)]
    if words:  # the word swaps the substitutions come down to (公开→果然 inside 政务公开→政务果然)
        subs_html = (f"<div class='sa-small sa-words'>{esc(ui('word_pairs', lang))} ({len(words)}): "
                     + ", ".join(f"{esc(w.get('original'))}→{esc(w.get('replacement'))} ×{esc(w.get('count'))}"
                                 for w in words[:40])
                     + (" …" if len(words) > 40 else "") + "</div>" + subs_html)
    diffs = cmp.differences
    diffs_html = ""
    if not diffs.empty:
        diffs_html = (f"<div class='sa-small'>{esc(ui('differences', lang))}: "
                      + "; ".join(f"{esc(change_label(r['kind'], lang))}: {esc(r['text'])} ↔ {esc(r['related_text'])}"
                                  for r in diffs.to_dict("records")[:40]) + "</div>")

    def side(doc_id, title, text, marks, role):
        body = (f'<pre class="sa-text">{marked_text(text, marks)}</pre>' if text is not None
                else f"<p class='sa-muted'>{esc(ui('not_in_batch', lang))}</p>")
        return (f'<div class="sa-side sa-side-{role}" data-doc-id="{esc(doc_id)}">'
                f"<h4>{esc(doc_id)} <span class='sa-muted'>{esc(title)}</span></h4>{body}</div>")

    style = f"<style>{CSS}</style>" if standalone_style else ""
    wrap_open = '<div class="sa-report">' if standalone_style else ""
    wrap_close = "</div>" if standalone_style else ""
    aid = f' id="{esc(anchor)}"' if anchor else ""
    return (f"{wrap_open}{style}<section class=\"sa-pair\"{aid} data-doc-id=\"{esc(cmp.doc_id)}\" "
            f"data-related-doc-id=\"{esc(cmp.related_doc_id)}\" data-rules=\"{esc(rules)}\">"
            f"<h3>{head}</h3>{scores}<ul class='sa-small'>{''.join(items)}</ul>{subs_html}{diffs_html}"
            f"{_legend(lang)}<div class='sa-sides'>"
            + side(cmp.doc_id, cmp.title, cmp.text, left, "left")
            + side(cmp.related_doc_id, cmp.related_title, cmp.related_text, right, "right")
            + f"</div></section>{wrap_close}")


def _count_cells(row: dict, lang: str) -> list[str]:
    """The overview cells of one row's family counts and worst severity."""
    cells = [f'<td class="sa-num" data-sort="{row[fam]}">{row[fam] or ""}</td>' for fam in FAMILIES]
    return cells + [_sev(row["worst"], lang)]


def _overview_table(batch, lang: str, anchors: dict[str, str], max_rows: int | None = None) -> str:
    rows = document_summary(batch)
    if max_rows is not None and len(rows) > max_rows:  # notebook view: the worst documents first
        rows = sorted(rows, key=lambda r: (-SEVERITY_ORDER.get(r["worst"] or "", -1), -r["findings"],
                                           r["doc_id"]))[:max_rows]
    cols = ["doc_id", "title", "kind", "year", "completeness"] + list(FAMILIES) + ["worst"]
    head = "".join(f"<th title='{esc(family_name(c, lang)) if c in FAMILIES else ''}'>"
                   f"{esc(header('documents', c, lang))}</th>" for c in cols)
    body = []
    for r in rows:
        cells = [f'<td><a href="#{anchors[r["doc_id"]]}">{esc(r["doc_id"])}</a></td>',
                 f"<td>{esc(r['title'])}</td>", f"<td>{esc(r['kind'])}</td>",
                 f'<td class="sa-num">{esc(r["year"])}</td>',
                 f'<td class="sa-num" data-sort="{_num(r["completeness"]) or -1}">{_num(r["completeness"], 1)}</td>']
        cells += _count_cells(r, lang)
        body.append(f'<tr class="sa-docrow" data-doc-id="{esc(r["doc_id"])}">' + "".join(cells) + "</tr>")
    for r in unread_summary(batch):
        # an input that gave no document: its name (no text to link to) and its ING rules
        cells = [f"<td>{esc(r['doc_id'])}</td>",
                 f"<td class='sa-muted'>{esc(ui('not_read', lang))} ({esc(r['rules'])})</td>",
                 "<td></td>", "<td></td>", '<td class="sa-num" data-sort="-1"></td>']
        cells += _count_cells(r, lang)
        body.append(f'<tr class="sa-unreadrow" data-doc-id="{esc(r["doc_id"])}">' + "".join(cells) + "</tr>")
    return (f'<table id="overview" class="sa-table sa-sortable sa-overview"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _groups_section(batch, lang: str, anchors: dict[str, str]) -> str:
    """The copy groups as a heading, a hint and a table (group, size, linked documents)."""
    groups = batch.copy_groups()
    parts = [f"<h2 id='sa-groups'>{esc(ui('groups', lang))} ({len(groups)})</h2>",
             f"<p class='sa-muted sa-small'>{esc(ui('groups_hint', lang))}</p>"]
    if not groups:
        return "".join(parts) + f"<p class='sa-muted'>{esc(ui('none', lang))}</p>"
    head = "".join(f"<th>{esc(header('groups', c, lang))}</th>" for c in ("group", "size", "doc_id"))
    body = []
    for g in groups:
        docs = ", ".join(f'<a href="#{anchors[d]}">{esc(d)}</a>' if d in anchors else esc(d) for d in g.members)
        body.append(f'<tr class="sa-grouprow"><td class="sa-num">{g.number}</td>'
                    f'<td class="sa-num">{len(g.members)}</td><td>{docs}</td></tr>')
    return ("".join(parts) + f'<table id="groups" class="sa-table"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _pairs_table(batch, lang: str) -> str:
    from ..batch import PAIR_COLUMNS

    rows = [p.to_dict() for p in batch.pair_objects]
    return _rows_table("pairs", rows, PAIR_COLUMNS, lang, keep_empty=True)


def batch_html(batch, lang: str = "en", max_findings: int = 50, max_documents: int = 200) -> str:
    """The notebook view of a batch: counts, the sortable overview table (up to
    ``max_documents`` rows, the documents with the most severe findings first when the batch is
    larger) and the first ``max_findings`` findings (no images, so it renders fast)."""
    lang = check_lang(lang)
    anchors = {r["doc_id"]: f"sa-doc-{i}" for i, r in enumerate(batch.document_rows(), 1)}
    documents = {a.document.doc_id: a.document for a in batch.analyses}
    c = batch.counts()
    fs = batch.finding_objects
    more = (f"<p class='sa-muted'>… {len(fs) - max_findings} {esc(ui('more', lang))}</p>"
            if len(fs) > max_findings else "")
    line = ui("batch_line", lang).format(documents=c["documents"], findings=len(fs), files=c["files_found"],
                                         skipped=c["skipped"])
    return (f'<div class="sa-report sa-batch-view"><style>{CSS}</style><div>{esc(line)}</div>'
            + _overview_table(batch, lang, anchors, max_documents)
            + _findings_table(fs[:max_findings], documents, lang) + more + "</div>")


def _outline(rows: list[dict]) -> str:
    if not rows:
        return ""
    items = []
    for s in rows:
        lvl = int(s.get("level") or 1)
        cls = " sa-muted" if s.get("kind") == "point" else ""
        items.append(f'<li class="sa-lvl-{lvl}{cls}" style="padding-left:{(lvl - 1) * 1.5:.1f}em">'
                     f"{esc(s.get('number'))} {esc(s.get('title'))} "
                     f"<span class='sa-muted sa-small'>({esc(s.get('chars'))})</span></li>")
    return f'<ul class="sa-outline">{"".join(items)}</ul>'


def _rows_table(table: str, rows: list[dict], cols: list[str], lang: str, status_col: str | None = None,
                keep_empty: bool = False) -> str:
    """A sortable table of ``rows`` (dicts) with ``cols``; numbers sort numerically, nested
    values show as JSON. No rows: ``""``, or the empty table when ``keep_empty``."""
    if not rows and not keep_empty:
        return ""
    head = "".join(f"<th>{esc(header(table, c, lang))}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for c in cols:
            v = r.get(c)
            if c == status_col and v:
                cells.append(f'<td class="sa-st-{esc(v)}">{esc(v)}</td>')
            elif isinstance(v, bool):
                cells.append(f"<td>{esc(ui('yes' if v else 'no', lang))}</td>")
            elif isinstance(v, (int, float)):
                cells.append(f'<td class="sa-num" data-sort="{_num(v, 6)}">{_num(v)}</td>')
            elif isinstance(v, (list, dict)):
                cells.append(f"<td>{esc(json.dumps(v, ensure_ascii=False))}</td>")
            else:
                cells.append(f"<td>{esc(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="sa-table sa-sortable sa-{table}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _images(batch, lang: str) -> str:
    from .plots import plot_findings_by_family, plot_similarity, to_data_uri

    parts = []
    if batch.pair_objects:
        uri = to_data_uri(plot_similarity(batch, lang=lang))
        parts.append(f'<img class="sa-img sa-heatmap" alt="{esc(ui("heatmap", lang))}" src="{uri}">')
    else:
        parts.append(f"<p class='sa-muted'>{esc(ui('no_heatmap', lang))}</p>")
    if batch.finding_objects:
        uri = to_data_uri(plot_findings_by_family(batch, lang=lang))
        parts.append(f'<h3>{esc(ui("by_family", lang))}</h3>'
                     f'<img class="sa-img sa-by-family" alt="{esc(ui("by_family", lang))}" src="{uri}">')
    return "".join(parts)


def render_html(batch, lang: str = "en", images: bool = True) -> str:
    """The whole report as one self-contained HTML page.

    Parameters
    ----------
    batch : Batch
    lang : {"en", "zh"}
        Language of headers and interface words (document text is never translated).
    images : bool
        Embed the similarity heatmap and the findings-by-family chart (PNG, base64).

    Returns
    -------
    str
        UTF-8 HTML: overview (one row per document, sortable), copy groups, findings, pairs
        table and heatmap,
        one side-by-side view per pair related by a DUP/REW finding, then per document its
        outline, figures, checklist, findings and (for batches up to
        :data:`MAX_INLINE_TEXT_CHARS` characters) its text with findings highlighted.

    Raises
    ------
    ValueError
        For an unknown ``lang``.
    """
    lang = check_lang(lang)
    doc_rows = batch.document_rows()
    anchors = {r["doc_id"]: f"sa-doc-{i}" for i, r in enumerate(doc_rows, 1)}
    documents = {a.document.doc_id: a.document for a in batch.analyses}
    texts = {d: doc.text for d, doc in documents.items()}
    c = batch.counts()
    fs = batch.finding_objects
    sev = defaultdict(int)
    for f in fs:
        sev[f.severity] += 1

    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp())}">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             # the reader skips pages with this tag: a report saved in a checked folder is not a submission
             f'<meta name="generator" content="summary-analysis {esc(__version__)}">',
             # the <h1> repeats the report name; the tab title names the batch instead (no doubled text)
             f"<title>{esc(ui('page_title', lang).format(documents=c['documents'], findings=len(fs)))}</title>"
             f"<style>{CSS}</style></head>",
             '<body><div class="sa-report">',
             f"<h1>{esc(ui('report_title', lang))}</h1>",
             f"<p>{c['documents']} {esc(ui('documents', lang))}; {c['files_found']} {esc(ui('files', lang))} "
             + esc(ui('file_counts', lang).format(read=c['files_read'], refused=c['files_refused'],
                                                  skipped=c['skipped'])) + "; "
             + esc(ui('finding_counts', lang).format(n=len(fs), error=sev['error'], warning=sev['warning'],
                                                     info=sev['info'])) + " "
             f"<span class='sa-muted sa-small'>{esc(ui('generated_by', lang).format(version=__version__))}</span></p>",
             f"<h2 id='sa-overview'>{esc(ui('overview', lang))}</h2>",
             f"<p class='sa-muted sa-small'>{esc(ui('sort_hint', lang))}</p>",
             _overview_table(batch, lang, anchors),
             _groups_section(batch, lang, anchors)]

    comparisons = pair_comparisons(batch, lang)
    parts.append(f"<h2 id='sa-pair-views'>{esc(ui('pair_views', lang))} ({len(comparisons)})</h2>")
    if not comparisons:
        parts.append(f"<p class='sa-muted'>{esc(ui('none', lang))}</p>")
    for i, cmp in enumerate(comparisons[:MAX_PAIR_VIEWS], 1):
        parts.append(pair_html(cmp, lang, anchor=f"sa-pair-{i}"))
    if len(comparisons) > MAX_PAIR_VIEWS:
        parts.append(f"<p class='sa-muted'>… {len(comparisons) - MAX_PAIR_VIEWS} {esc(ui('more', lang))}</p>")

    parts.append(f"<h2 id='sa-heatmap'>{esc(ui('heatmap', lang))}</h2>")
    if images:
        parts.append(_images(batch, lang))
    parts.append(f"<h2 id='sa-pairs'>{esc(ui('pairs', lang))} ({len(batch.pair_objects)})</h2>")
    parts.append(_pairs_table(batch, lang))

    parts.append(f"<h2 id='sa-findings'>{esc(ui('findings', lang))} ({len(fs)})</h2>")
    parts.append(_findings_table(fs, documents, lang, anchors))

    by_doc = defaultdict(lambda: defaultdict(list))
    for name, rows in (("sections", batch.section_rows()), ("figures", batch.figure_rows()),
                       ("checklist", batch.checklist_rows())):
        for r in rows:
            by_doc[r["doc_id"]][name].append(r)
    doc_findings = defaultdict(list)
    for f in fs:
        doc_findings[f.doc_id].append(f)
    show_text = sum(len(t) for t in texts.values()) <= MAX_INLINE_TEXT_CHARS
    from ..batch import CHECKLIST_COLUMNS, FIGURE_COLUMNS

    parts.append(f"<h2 id='sa-documents'>{esc(ui('documents_h', lang))}</h2>")
    for r in doc_rows:
        d = r["doc_id"]
        info = " · ".join(esc(x) for x in (r["kind"], r["issuer"], r["year"],
                                            ui("chars", lang).format(n=r["chars"]),
                                            None if r["completeness"] is None
                                            else ui("completeness", lang).format(score=_num(r["completeness"], 1)))
                          if x not in (None, ""))
        parts.append(f'<section class="sa-doc" id="{anchors[d]}" data-doc-id="{esc(d)}">'
                     f"<h3>{esc(d)} <span class='sa-muted'>{esc(r['title'])}</span></h3>"
                     f"<div class='sa-small'>{info}</div>")
        secs = by_doc[d]["sections"]
        parts.append(f"<h4>{esc(ui('outline', lang))} ({len(secs)})</h4>" + (_outline(secs) or
                     f"<p class='sa-muted sa-small'>{esc(ui('none', lang))}</p>"))
        figs = by_doc[d]["figures"]
        parts.append(f"<h4>{esc(ui('figures', lang))} ({len(figs)})</h4>" + (
            _rows_table("figures", figs, [c for c in FIGURE_COLUMNS if c != "doc_id"], lang)
            or f"<p class='sa-muted sa-small'>{esc(ui('none', lang))}</p>"))
        chk = by_doc[d]["checklist"]
        parts.append(f"<h4>{esc(ui('checklist', lang))} ({len(chk)})</h4>" + (
            _rows_table("checklist", chk, [c for c in CHECKLIST_COLUMNS if c != "doc_id"], lang, "status")
            or f"<p class='sa-muted sa-small'>{esc(ui('none', lang))}</p>"))
        dfs = doc_findings.get(d, [])
        parts.append(f"<h4>{esc(ui('findings', lang))} ({len(dfs)})</h4>")
        if dfs:
            parts.append(_findings_table(dfs, documents, lang, with_doc=False))
        if show_text and d in texts:
            marks = [Mark(f.span.start, f.span.end, "finding", f"{f.rule}: {finding_message(f, lang)}")
                     for f in dfs if f.span is not None and f.span.end <= len(texts[d]) and len(f.span) > 0]
            parts.append(f"<details class='sa-details'><summary>text ({len(texts[d])} chars)</summary>"
                         f"<pre class='sa-text sa-doc-text'>{marked_text(texts[d], marks)}</pre></details>")
        parts.append("</section>")

    skipped = batch.read.skipped
    if skipped:
        colon = "：" if lang == "zh" else ": "
        parts.append(f"<h2 id='sa-skipped'>{esc(ui('skipped', lang))} ({len(skipped)})</h2><ul class='sa-small'>"
                     + "".join(f"<li>{esc(s.path)}{colon}{esc(skip_reason(s.reason, lang))}</li>" for s in skipped)
                     + "</ul>")
    parts.append(f"</div><script>{SCRIPT}</script></body></html>\n")
    return "".join(parts)


def write_html(batch, out: str | os.PathLike, lang: str = "en") -> None:
    """Write :func:`render_html` of ``batch`` to the file ``out`` (UTF-8); parent folders are
    created. Raises ValueError for an unknown ``lang``, OSError when the file cannot be written."""
    text = render_html(batch, lang=lang)
    path = Path(out)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)
