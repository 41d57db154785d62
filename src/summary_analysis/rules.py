"""The rule registry: every finding's stable code, default severity, message and explanation.

Codes and severities follow ``docs/output-contract.md`` (version 1); like a linter's codes they
are stable once published. ``summary-analysis rule CODE`` prints :attr:`Rule.explanation`.
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: ``code`` (e.g. ``DUP001``), ``name``, default ``severity`` (error, warning or
    info), a one-line ``summary`` and a longer ``explanation`` citing its source."""

    code: str
    name: str
    severity: str
    summary: str
    explanation: str

    @property
    def family(self) -> str:
        """The three-letter family (``DUP`` for ``DUP002``)."""
        return self.code[:3]


_RULES = [
    Rule("ING001", "unreadable-file", "error", "file cannot be read or decoded",
         "The file could not be opened, or its bytes decode in no supported encoding (UTF-8, "
         "UTF-16 with BOM, GB18030). Nothing is decoded with replacement characters: fix the file "
         "or re-save it as UTF-8."),
    Rule("ING002", "unsupported-type", "error", "file type is not supported",
         "Only .txt .md .docx .html .htm .pdf are read. Convert other formats (e.g. .doc, .wps) "
         "to .docx or PDF first."),
    Rule("ING003", "empty-document", "error", "document is empty after cleaning",
         "The file (or a document split from a compilation page) holds no text once whitespace, "
         "page footers and site boilerplate are removed."),
    Rule("ING004", "refused", "error", "file refused by a size or safety limit",
         "The file is larger than --max-file-mb, or an archive inside it expands past the safety "
         "limit (zip bomb), or it is a link loop. It was not read."),
    Rule("ING005", "no-text-layer", "error", "PDF has no text layer (scanned; OCR needed)",
         "The PDF's pages carry no extractable text, typically a scan. Run OCR and submit the "
         "text, or submit the original .docx."),
    Rule("ING006", "analysis-failed", "error", "an analysis stage failed on this document",
         "The document was read, but one of the per-document stages (structure, figures, "
         "rewriting, checklist) raised an internal error on it, or a cross-document stage (copy "
         "detection, paired rewriting) failed on the batch it belongs to; the batch went on "
         "without that stage's results for this document (evidence.stage names it). Please "
         "report the file(s) to the maintainers."),
    Rule("DUP001", "near-duplicate", "error", "near-duplicate of another document",
         "The two documents share most of their character shingles (MinHash LSH candidates, "
         "verified by exact Jaccard similarity and containment both ways; shingles common to the "
         "batch or to the statutory format are discounted, except between documents holding the "
         "same text: near-identical, or one inside the other with a paragraph or two of its own "
         "added). 国办公开办函〔2021〕30号 asks that "
         "reports '内容雷同、敷衍塞责' be held to account. The finding is on the suspected copy: the "
         "one REW001 finds a synonym rewrite of the other; else the later year, else the one with "
         "unfilled template fields, a 导语 of copied text, the other issuer's place name left in, or "
         "wording REW002 judges machine-rewritten; when none of these tells, the one that sorts "
         "second, and the message says the direction cannot be told."),
    Rule("DUP002", "shared-passage", "warning", "passage shared with another document",
         "A passage of 60 or more characters occurs in both documents, allowing small edits "
         "inside (names, years, figures). Stock phrases found in three or more documents of the "
         "batch are not reported."),
    Rule("DUP003", "copied-from-reference", "error", "copied from a document of the reference index",
         "The document matches a reference document stored with `summary-analysis index add` "
         "(last year's reports, template pages)."),
    Rule("REW001", "synonym-rewrite", "error", "synonym rewrite (伪原创) of another document",
         "Aligned sentences keep their structure but differ by word substitutions of the kind "
         "made by spinning tools (公开→果然, 电话→德律风): the document is another one put through "
         "a synonym-substitution tool. Sentences count when they keep the source's order, or "
         "follow one another as in the source within paragraphs that were moved. Words are "
         "aligned with difflib's matching (Ratcliff and Obershelp, 'Pattern Matching: the "
         "Gestalt Approach', Dr. Dobb's Journal, 1988); a rewritten copy is held to account as a "
         "copy (国办公开办函〔2021〕30号: '内容雷同、敷衍塞责')."),
    Rule("REW002", "implausible-wording", "warning", "implausible wording typical of machine rewriting",
         "Phrases no one writes (政务果然, 德律风, 以工钱本) whose common synonym would restore a "
         "frequent collocation of the field; when dense enough the document is flagged as "
         "machine-rewritten even without its source (cf. 'tortured phrases', Cabanac et al. 2021)."),
    Rule("PLH001", "unfilled-placeholder", "warning", "unfilled template field",
         "Template fields left in the text: XX/××/某某/【单位名称】 for names, ▲/△ or X件 for "
         "figures, 20xx/xx年 for years, （文字描述） prompts, runs of underscores, empty brackets and "
         "dates of spaces as blanks; and statutory-table rows left empty (one finding per table, "
         "listing the rows)."),
    Rule("FIG001", "part-exceeds-total", "warning", "a part exceeds its total, or a breakdown does not add up",
         "A figure stated as part of a total (其中…) is larger than the total, or an exhaustive "
         "breakdown (分别…) does not sum to it."),
    Rule("FIG002", "period-not-report-year", "warning", "statistical period is not the report's year",
         "The 统计期限 names another year than the report's: typically last year's report copied "
         "forward. 条例 Article 50 requires the report of the year."),
    Rule("FIG003", "impossible-value", "warning", "impossible value",
         "A rate (…率, 满意度, 占比) above 100%, a negative count, or a date no calendar has "
         "(2024年2月30日, 13月1日). Growth (增长率, 同比增长) "
         "and the attainment of a target or plan (完成率, 完成年度目标的…%) may exceed 100% and "
         "are not flagged."),
    Rule("FIG004", "table-identity-broken", "error", "statutory table identity does not hold",
         "国办公开办函〔2021〕30号 table 三: 一 + 二 = （七）总计 + 四, （七） = （一）+…+（六); "
         "table 四: each 总计 equals the sum of its four result columns."),
    Rule("FIG005", "narrative-contradicts-table", "warning", "narrative figure contradicts the table",
         "A count stated in the text differs from the same count in the statutory table."),
    Rule("SEC001", "missing-item", "warning", "required checklist item missing",
         "An item the checklist requires (e.g. 条例 Article 50 and the 2021 national format's six "
         "sections) has neither a matching heading nor its content."),
    Rule("SEC002", "empty-item", "warning", "checklist item present but empty",
         "The item's heading is there but its content is not (only prompts such as （文字描述）, "
         "placeholders, or a table without figures)."),
    Rule("SEC003", "items-out-of-order", "info", "checklist items out of the required order",
         "The items appear in another order than the format prescribes."),
]

RULES: dict[str, Rule] = {r.code: r for r in _RULES}
FAMILIES = ("ING", "DUP", "REW", "PLH", "FIG", "SEC")


def get_rule(code: str) -> Rule:
    """Return the :class:`Rule` for ``code`` (case-insensitive).

    Raises
    ------
    KeyError
        If no rule has that code.
    """
    return RULES[code.upper()]


def matches(code: str, selectors: list[str] | tuple[str, ...]) -> bool:
    """True when ``code`` starts with any selector (``DUP`` selects DUP001–DUP003)."""
    code = code.upper()
    return any(code.startswith(s.strip().upper()) for s in selectors if s.strip())
