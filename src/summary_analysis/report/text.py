"""Linter-style text output: one line per finding (a document's implausible phrases past the first
few counted on one line), then a per-document summary table."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..batch import Batch
from ..groups import copy_groups
from ..rules import FAMILIES, SEVERITY_ORDER
from .labels import check_lang, header
from .messages_zh import finding_message, severity_label, skip_reason
from .views import findings_by_document, unread_summary


def display_width(s: str) -> int:
    """Columns ``s`` takes in a terminal: 2 for each CJK character (from U+2E80 on), 1 for others."""
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def pad_to(s: str, n: int) -> str:
    """``s`` followed by spaces to ``n`` display columns (:func:`display_width`); never cut."""
    return s + " " * max(0, n - display_width(s))


def cut_to(s: str, n: int) -> str:
    """``s`` cut to at most ``n`` display columns, the cut marked by ``…`` (1 column)."""
    if display_width(s) <= n:
        return s
    out, w = [], 0
    for ch in s:
        cw = display_width(ch)
        if w + cw > n - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


#: Widest document name in the summary table, display columns (a CJK character counts 2);
#: longer names keep their start and end around an ellipsis. Finding lines keep the full doc_id.
DOC_COLUMN_WIDTH = 60


def _shorten(s: str, n: int = DOC_COLUMN_WIDTH) -> str:
    """``s`` cut to at most ``n`` display columns, the middle replaced by ``…`` (1 column)."""
    if display_width(s) <= n:
        return s
    room = n - 1
    head_room, tail_room = (room + 1) // 2, room // 2
    head, w = [], 0
    for ch in s:
        cw = display_width(ch)
        if w + cw > head_room:
            break
        head.append(ch)
        w += cw
    tail, w = [], 0
    for ch in reversed(s):
        cw = display_width(ch)
        if w + cw > tail_room:
            break
        tail.append(ch)
        w += cw
    return "".join(head) + "…" + "".join(reversed(tail))


#: Skipped files named one a line before the count line; more are counted.
MAX_SKIPPED_LINES = 10
#: Implausible phrases (REW002 with a span) given a line each per document; more are counted
#: on one line (a spun report gave 93 such lines; the session-15 fresh-user test asked for the
#: one summary line a supervisor needs). Every one is in the JSON, CSV, XLSX and HTML reports.
MAX_PHRASE_LINES = 5


def render_text(batch: Batch, findings=None, lang: str = "en") -> str:
    """Render findings as ``doc_id:line:col: RULE [severity] message`` lines (findings without a
    span: ``doc_id: RULE …``; of a document's implausible phrases, REW002, the first
    :data:`MAX_PHRASE_LINES`, then one line counting the rest), then a per-document summary
    table (closed by one row per input that gave no document, ``not read (ING00x)``:
    :func:`~.views.unread_summary`), the copy groups
    (one line each, :func:`summary_analysis.groups.copy_groups` of ``findings``), the files
    skipped on purpose (``skipped: PATH: reason``, up to :data:`MAX_SKIPPED_LINES`) and the
    file counts. In the table a document name wider than :data:`DOC_COLUMN_WIDTH` columns is
    shortened in the middle; group lines name every document in full.

    Parameters
    ----------
    batch : Batch
    findings : list[Finding] or None
        The findings to show (after --select/--ignore); all of the batch's by default.
    lang : {"en", "zh"}
        ``zh``: each finding line gives its severity and message in Chinese
        (:func:`~summary_analysis.report.messages_zh.message_zh`), and the summary table, group
        lines, skipped lines and count line are in Chinese (:data:`TEXT_ZH`); rule codes,
        document kinds and paths stay as they are.

    Raises
    ------
    ValueError
        For an unknown ``lang``.
    """
    lang = check_lang(lang)
    findings = batch.finding_objects if findings is None else findings
    docs = {a.document.doc_id: a.document for a in batch.analyses}
    lines = []
    words = TEXT_ZH if lang == "zh" else TEXT_EN
    phrases = Counter(f.doc_id for f in findings if f.rule == "REW002" and f.span is not None)
    shown: Counter = Counter()
    for f in findings:
        if f.rule == "REW002" and f.span is not None and phrases[f.doc_id] > MAX_PHRASE_LINES:
            # a spun report has dozens of implausible phrases: the first few, then their count
            shown[f.doc_id] += 1
            if shown[f.doc_id] == MAX_PHRASE_LINES + 1:
                lines.append(words["more_phrases"].format(doc=f.doc_id, n=phrases[f.doc_id] - MAX_PHRASE_LINES))
            if shown[f.doc_id] > MAX_PHRASE_LINES:
                continue
        loc = f.doc_id
        if f.span is not None and f.doc_id in docs:
            line, col = docs[f.doc_id].line_col(f.span.start)
            loc = f"{f.doc_id}:{line}:{col}"
        if lang == "zh":
            rel = f"（相关文档：{f.related_doc_id}）" if f.related_doc_id else ""
            lines.append(f"{loc}: {f.rule} [{severity_label(f.severity, lang)}] "
                         f"{finding_message(f, lang)}{rel}")
            continue
        rel = f" (related: {f.related_doc_id})" if f.related_doc_id else ""
        lines.append(f"{loc}: {f.rule} [{f.severity}] {f.message}{rel}")
    per_doc: dict[str, Counter] = defaultdict(Counter)
    worst: dict[str, str] = {}
    for doc_id, mine in findings_by_document(findings).items():
        for f in mine:
            per_doc[doc_id][f.rule[:3]] += 1
            if SEVERITY_ORDER[f.severity] > SEVERITY_ORDER.get(worst.get(doc_id, ""), -1):
                worst[doc_id] = f.severity
    rows = batch.document_rows()
    unread = unread_summary(batch, findings)
    if rows or unread:
        lines.append("")
        columns = ["doc_id", "kind", "completeness"] + list(FAMILIES[1:]) + ["worst"]
        head = (["document", "kind", "score"] + list(FAMILIES[1:]) + ["worst"] if lang == "en"
                else [header("documents", c, lang) for c in columns])
        table = [head]
        for r in rows:
            c = per_doc.get(r["doc_id"], Counter())
            score = "" if r["completeness"] is None else f"{r['completeness']:.0f}"
            table.append([_shorten(r["doc_id"]), r["kind"] or "", score]
                         + [str(c.get(fam, 0) or "") for fam in FAMILIES[1:]]
                         + [severity_label(worst.get(r["doc_id"], ""), lang)])
        for r in unread:  # inputs that gave no document: listed too, with their ING rules
            table.append([_shorten(r["doc_id"]), words["not_read"].format(rules=r["rules"]), ""]
                         + [str(r[fam] or "") for fam in FAMILIES[1:]] + [severity_label(r["worst"] or "", lang)])
        widths = [max(display_width(row[i]) for row in table) for i in range(len(head))]
        for row in table:
            lines.append("  ".join(pad_to(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
    groups = copy_groups(findings)
    if groups:
        lines.append("")
        lines.append(words["groups"])
        for g in groups:
            lines.append(words["group"].format(n=g.number, k=len(g.members), members=words["sep"].join(g.members)))
    c = batch.counts()
    sev = Counter(f.severity for f in findings)
    skipped = batch.read.skipped
    if skipped:  # named, so a supervisor sees which files were passed over and why
        lines.append("")
        lines += [words["skipped"].format(path=x.path, reason=skip_reason(x.reason, lang))
                  for x in skipped[:MAX_SKIPPED_LINES]]
        if len(skipped) > MAX_SKIPPED_LINES:
            lines.append(words["skipped_more"].format(n=len(skipped) - MAX_SKIPPED_LINES))
    lines.append("")
    lines.append(count_line(c, sev, lang))
    return "\n".join(lines) + "\n"


#: The text report's own words around the finding lines, in English…
TEXT_EN = {
    "not_read": "not read ({rules})",
    "groups": "copy groups (documents linked by near-duplicate DUP001 or rewrite REW001 findings, "
              "directly or through one another):",
    "group": "  group {n} ({k} documents): {members}",
    "sep": ", ",
    "skipped": "skipped: {path}: {reason}",
    "skipped_more": "skipped: … {n} more (all in the JSON's skipped array)",
    "more_phrases": "{doc}: REW002 … {n} more implausible phrases (every one in the JSON, CSV, XLSX and HTML "
                    "reports)",
}
#: … and in Chinese (``--lang zh``).
TEXT_ZH = {
    "not_read": "未读入（{rules}）",
    "groups": "抄袭关联组（由近似重复 DUP001 或洗稿 REW001 问题直接或间接关联在一起的文档）：",
    "group": "  第 {n} 组（{k} 篇文档）：{members}",
    "sep": "、",
    "skipped": "跳过：{path}：{reason}",
    "skipped_more": "跳过：…… 另有 {n} 个（完整列表见 JSON 报告的 skipped 数组）",
    "more_phrases": "{doc}: REW002 …… 另有 {n} 处措辞不合常理（全部列在 JSON、CSV、XLSX 和 HTML 报告中）",
}


def counted(n: int, noun: str) -> str:
    """``"1 document"``, ``"2 documents"``: ``n`` and the English ``noun`` (singular) in the
    number that ``n`` takes (``info`` has no plural)."""
    return f"{n} {noun}" if n == 1 or noun == "info" else f"{n} {noun}s"


def count_line(counts: dict, severities: Counter, lang: str = "en") -> str:
    """The text report's last line: files found, read, refused (ING), skipped; documents;
    findings by severity (``counts``: :meth:`Batch.counts`; ``severities``: findings per
    severity), in ``lang`` (``en`` or ``zh``). Own-report detection
    (:mod:`summary_analysis.ingest.walk`) recognises it in both languages."""
    c, sev = counts, severities
    total = sum(sev.values())
    if lang == "zh":
        return (f"共 {c['files_found']} 个文件：读入 {c['files_read']} 个，未读入（ING）{c['files_refused']} 个，"
                f"跳过 {c['skipped']} 个（说明文件、隐藏文件、指向文件夹的链接、重复给出的文件、本工具的报告）；"
                f"{c['documents']} 篇文档；{total} 个问题（错误 {sev.get('error', 0)} 个，"
                f"警告 {sev.get('warning', 0)} 个，提示 {sev.get('info', 0)} 个）")
    return (f"{counted(c['files_found'], 'file')} found: {c['files_read']} read, {c['files_refused']} refused "
            f"(ING), {c['skipped']} skipped (notes, hidden files, links to folders, files given twice, own "
            f"reports); {counted(c['documents'], 'document')}; {counted(total, 'finding')} "
            f"({counted(sev.get('error', 0), 'error')}, {counted(sev.get('warning', 0), 'warning')}, "
            f"{sev.get('info', 0)} info)")
