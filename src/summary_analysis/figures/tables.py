"""Tables of the 2021 national format and generic pipe tables, read into cells.

Tables reach this stage as text: Markdown pipe rows (``| 规章 | 0 | 0 | 0 |``, also what the docx and
html readers write), pipe rows left by a PDF extractor that shredded the grid (the Shanghai
extract), or bare lines with the numbers run into the next row's label (the 淮安 PDF:
``… 30 1 0 0 0 0 313.危及“三安全一稳定” …``).

The statutory tables (国办公开办函〔2021〕30号, ``docs/checklists.md`` §B) are read by their row
*labels*: every label of the format is looked for inside the table's section, and the numbers
between one label and the next label are that row's cells. Cutting at the next label (with its
own ``3.`` prefix) separates ``31`` from ``3.危及``; taking the first seven numbers skips a stray
row that a shredded grid moved. Rows that cannot be read are left out, never guessed.

Any other pipe row gives one figure per numeric cell, its metric the row label plus the column
header, its unit from a header such as ``（单位：万元）``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import fold
from ..sections import STATUTORY_TABLE_LABELS

#: Applicant columns of table 三, in the format's order, then the total column.
APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")

#: Rows of table 三: (key, canonical name, label fragment, group).
TABLE3_ROWS = [
    ("new", "本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量", None),
    ("carried", "上年结转政府信息公开申请数量", "上年结转政府信息公开申请数量", None),
    ("open", "予以公开", "(?<!不)予以公开", "result"),
    ("partial", "部分公开", "部分公开", "result"),
    ("w1", "不予公开/属于国家秘密", "#属于国家秘密", "withheld"),
    ("w2", "不予公开/其他法律行政法规禁止公开", "#其他法律行政法规禁止公开", "withheld"),
    ("w3", "不予公开/危及“三安全一稳定”", "#危及", "withheld"),
    ("w4", "不予公开/保护第三方合法权益", "#保护第三方合法权益", "withheld"),
    ("w5", "不予公开/属于三类内部事务信息", "#属于三类内部事务信息", "withheld"),
    ("w6", "不予公开/属于四类过程性信息", "#属于四类过程性信息", "withheld"),
    ("w7", "不予公开/属于行政执法案卷", "#属于行政执法案卷", "withheld"),
    ("w8", "不予公开/属于行政查询事项", "#属于行政查询事项", "withheld"),
    ("u1", "无法提供/本机关不掌握相关政府信息", "#本机关不掌握相关政府信息", "unavailable"),
    ("u2", "无法提供/没有现成信息需要另行制作", "#没有现成信息需要另行制作", "unavailable"),
    ("u3", "无法提供/补正后申请内容仍不明确", "#补正后申请内容仍不明确", "unavailable"),
    ("r1", "不予处理/信访举报投诉类申请", "#信访举报投诉类申请", "unprocessed"),
    ("r2", "不予处理/重复申请", "#重复申请", "unprocessed"),
    ("r3", "不予处理/要求提供公开出版物", "#要求提供公开出版物", "unprocessed"),
    ("r4", "不予处理/无正当理由大量反复申请", "#无正当理由大量反复申请", "unprocessed"),
    ("r5", "不予处理/要求行政机关确认或重新出具已获取信息", "#要求行政机关确认", "unprocessed"),
    ("o1", "其他处理/申请人无正当理由逾期不补正", "#申请人无正当理由逾期不补", "other"),
    ("o2", "其他处理/申请人逾期未按收费通知要求缴纳费用", "#申请人逾期未按收费通知", "other"),
    ("o3", "其他处理/其他", r"3[.、．]\s*其他(?![处法结])", "other"),
    ("total", "办理结果总计", r"[（(]七[）)]\s*总计", None),
    ("next", "结转下年度继续办理", "结转下年度继续办理", None),
]

#: The groups of result rows (（一）…（六）) in order.
RESULT_GROUPS = {
    "open": ("open",), "partial": ("partial",),
    "withheld": tuple(f"w{i}" for i in range(1, 9)),
    "unavailable": ("u1", "u2", "u3"),
    "unprocessed": tuple(f"r{i}" for i in range(1, 6)),
    "other": ("o1", "o2", "o3"),
}
#: Each group's number in table 三 of the format (三、本年度办理结果 （一）予以公开 … （六）其他处理),
#: as FIG004's identity （七）=（一）+…+（六） names them.
RESULT_GROUP_NUMBERS = {"open": "（一）", "partial": "（二）", "withheld": "（三）", "unavailable": "（四）",
                        "unprocessed": "（五）", "other": "（六）"}

#: Table 四: blocks and columns, 15 cells in the format's order.
TABLE4_BLOCKS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
TABLE4_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

#: Table 二 rows: (key, label, column names).
TABLE2_ROWS = [
    ("规章", ("本年制发件数", "本年废止件数", "现行有效件数")),
    ("行政规范性文件", ("本年制发件数", "本年废止件数", "现行有效件数")),
    ("行政许可", ("本年处理决定数量",)),
    ("行政处罚", ("本年处理决定数量",)),
    ("行政强制", ("本年处理决定数量",)),
    ("行政事业性收费", ("本年收费金额",)),
]

_NUMBER_CELL = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\d])")
_UNIT_HEADER = re.compile(r"单位\s*[:：]\s*(万元|亿元|千元|元|件|条|项|个|人|次)")
#: A pipe table's column header with its unit in brackets: 数量（件）, 金额(万元).
_UNIT_IN_BRACKETS = re.compile(r"[（(]\s*(万元|亿元|千元|元|件|条|项|个|人|次)\s*[）)]")
#: A column header naming numbers that are no statistic: phone, ID-card, account, serial
#: numbers (a table of applicants or contacts; session-18 hostile test: 13912345678 under
#: 联系电话 was a count).
_IDENTIFIER_HEADER = re.compile(r"电话|手机|传真|号码|身份证|证件号|账号|帐号|编号|代码|邮编|邮政编码|联系方式")
_LINE_START = r"(?:^|\n)[ \t#]*(?:[一二三四五六][、.．]\s*)?"


def _spaced(fragment: str) -> str:
    """A label fragment as a regex tolerant to line breaks and spaces between characters."""
    return r"\s*".join(re.escape(c) for c in fragment)


def _label_regex(fragment: str) -> str:
    if fragment.startswith("#"):  # numbered sub-row: optional "3." / "3、" prefix
        return r"(?:\d\s*[.、．]\s*)?" + _spaced(fragment[1:])
    if any(c in fragment for c in "(?[\\"):
        return fragment
    return _spaced(fragment)


_T3_LABELS = [(key, re.compile(_label_regex(frag))) for key, _, frag, _ in TABLE3_ROWS]
_T3_NAMES = {key: name for key, name, _, _ in TABLE3_ROWS}


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a statutory table.

    Attributes
    ----------
    table : str
        ``"二"``, ``"三"`` or ``"四"``.
    row, column : str
        Row key (``new``, ``total``, ``w3``… for table 三; the row label for 二; the block for 四)
        and column name (:data:`APPLICANT_COLUMNS`, :data:`TABLE4_COLUMNS`…).
    metric : str
        ``row name/column name`` (``本年新收政府信息公开申请数量/总计``).
    value : int or float
    raw : str
    start, end : int
        Character offsets of the number in ``Document.text``.
    unit : str or None
    """

    table: str
    row: str
    column: str
    metric: str
    value: int | float
    raw: str
    start: int
    end: int
    unit: str | None


def _num(raw: str) -> int | float:
    from decimal import Decimal

    from .numbers import to_value

    return to_value(Decimal(raw))


def _find_line_start(text: str, pattern: str, start: int = 0) -> re.Match | None:
    """``re.compile(_LINE_START + pattern).search(text, start)``, same span.

    ``_LINE_START`` begins with ``(?:^|\\n)``, which gives the regex engine no first character
    to look for; the two cases are searched apart instead: ``^`` (offset 0 only) with one
    ``match``, the line break with a pattern that starts with the literal ``\\n``.
    """
    pair = _LINE_START_PATTERNS.get(pattern)
    if pair is None:
        body = _LINE_START[len("(?:^|\\n)"):] + pattern
        pair = _LINE_START_PATTERNS[pattern] = (re.compile(body), re.compile("\n" + body))
    if start == 0:
        m = pair[0].match(text)
        if m:
            return m
    return pair[1].search(text, start)


_LINE_START_PATTERNS: dict[str, tuple[re.Pattern, re.Pattern]] = {}


#: Heading of table 四's section. Every match holds ``行政复议、`` at 0, 3 or 6 characters from
#: its start, so the search starts at most 6 characters before the first ``行政复议、``
#: (:func:`_t4_heading`); the pattern starts with an optional group, which the regex engine
#: would otherwise try at every offset.
_T4_HEADING = re.compile(r"(?:政府信息公开)?行政复议、\s*行政诉讼情况|被申请行政复议、\s*提起行政诉讼(?:的)?情况")


def _t4_heading(text: str, pos: int) -> re.Match | None:
    """``_T4_HEADING.search(text, pos)``, started near the first ``行政复议、`` (same match)."""
    i = text.find("行政复议、", pos)
    if i < 0:
        return None
    return _T4_HEADING.search(text, max(pos, i - 6))


#: The last text :func:`table_regions` and :func:`read_statutory_tables` read and their answers:
#: the figures stage asks for the same document's tables up to four times in a row
#: (extraction, then FIG001, FIG004 and FIG005). Keyed by the identity of the text (a ``str``
#: is immutable and the reference held here keeps it alive, so ``is`` means the same text).
_LAST_REGIONS: tuple = (object(), None)
_LAST_TABLES: tuple = (object(), None, None)


def table_regions(text: str) -> dict[str, tuple[int, int]]:
    """Character ranges of the sections holding tables 二, 三 and 四 (keys ``"二"``, ``"三"``,
    ``"四"``); a table whose section heading is not found is absent.

    The answer for the last text read is kept (a fresh dict is returned each time)."""
    global _LAST_REGIONS
    last = _LAST_REGIONS
    if last[0] is text:
        return dict(last[1])
    out = _table_regions(text)
    _LAST_REGIONS = (text, out)
    return dict(out)


_T2_CONTENT = re.compile(r"第\s*二十\s*条|信息内容")
_T3_CONTENT = re.compile(_spaced("本年新收"))
_T4_END = re.compile(r"五、|存在的主要问题|存在问题|六、")
_T4_CONTENT = re.compile(r"维\s*持")


def _table_regions(text: str) -> dict[str, tuple[int, int]]:
    """:func:`table_regions` without the memo (the definition)."""
    out: dict[str, tuple[int, int]] = {}
    m2 = _find_line_start(text, r"主动公开政府信息情况")
    m3 = _find_line_start(text, r"收到和处理政府信息公开申请情况")
    m4 = _t4_heading(text, m3.end() if m3 else 0)
    if m2:
        end2 = m3.start() if m3 and m3.start() > m2.end() else min(len(text), m2.end() + 1500)
        if _T2_CONTENT.search(text[m2.end():end2]):
            out["二"] = (m2.end(), end2)
    if m3:
        end3 = m4.start() if m4 else min(len(text), m3.end() + 6000)
        if _T3_CONTENT.search(text[m3.end():end3]):
            out["三"] = (m3.end(), end3)
    if m4 and m3:
        m5 = _T4_END.search(text, m4.end())
        end4 = m5.start() if m5 else len(text)
        if _T4_CONTENT.search(text[m4.end():end4]):
            out["四"] = (m4.end(), end4)
    return out


def read_table3(text: str, region: tuple[int, int]) -> dict[tuple[str, str], Cell]:
    """Cells of table 三 (收到和处理政府信息公开申请情况) keyed by ``(row key, column)``.

    Each row is found by its label (:data:`TABLE3_ROWS`) and takes the first 7 numbers after
    it. Rows whose label was lost or cut off in extraction (a PDF that split a cell's text away
    from its row) are then filled by position (:func:`_rows_by_position`)."""
    a, b = region
    hits = []
    for key, rx in _T3_LABELS:
        for m in rx.finditer(text, a, b):
            hits.append((m.start(), m.end(), key))
    hits.sort()
    # drop labels nested in a longer label found at the same place
    cells: dict[tuple[str, str], Cell] = {}
    rows: dict[str, tuple[int, int]] = {}  # row key -> (start of its label, end of its last number)
    for i, (s, e, key) in enumerate(hits):
        nxt = b
        for s2, _, _ in hits[i + 1:]:
            if s2 >= e:
                nxt = s2
                break
        if key in rows:
            continue
        nums = list(_NUMBER_CELL.finditer(text, e, nxt))
        if len(nums) < 7:
            continue
        rows[key] = (s, nums[6].end())
        _put_row(cells, key, nums[:7])
    for key, nums in _rows_by_position(text, rows):
        _put_row(cells, key, nums)
    return cells


def _put_row(cells: dict, key: str, nums: list[re.Match]) -> None:
    for col, m in zip(APPLICANT_COLUMNS, nums):
        cells[(key, col)] = Cell("三", key, col, f"{_T3_NAMES[key]}/{col}", _num(m.group()),
                                 m.group(), m.start(), m.end(), "件")


_T3_ORDER = [key for key, _, _, _ in TABLE3_ROWS]


def _rows_by_position(text: str, rows: dict[str, tuple[int, int]]) -> list[tuple[str, list[re.Match]]]:
    """Rows of table 三 left without cells, filled from the numbers between two rows that were
    found: when rows ``i`` and ``j`` of the format (:data:`TABLE3_ROWS` order) were read in
    that order in the text and the ``m`` rows between them were not, and exactly ``7 * m``
    numbers stand between the end of row ``i`` and the label of row ``j``, they are those rows,
    7 numbers each in the format's order, provided each group keeps the format's own identity
    (its 总计, the 7th number, is the sum of the six applicant columns). Anything else is left
    unread: an unlabelled row is only placed where nothing else can fit.

    ``rows``: row key -> (start of its label, end of its 7th number), for the rows read by label.
    Returns ``[(row key, the row's 7 number matches)]``."""
    out = []
    found = [i for i, key in enumerate(_T3_ORDER) if key in rows]
    for i, j in zip(found, found[1:]):
        m = j - i - 1
        after, before = rows[_T3_ORDER[i]][1], rows[_T3_ORDER[j]][0]
        if m == 0 or after >= before:
            continue
        nums = list(_NUMBER_CELL.finditer(text, after, before))
        if len(nums) != 7 * m:
            continue
        groups = [nums[k * 7:(k + 1) * 7] for k in range(m)]
        if all(sum(_num(x.group()) for x in g[:6]) == _num(g[6].group()) for g in groups):
            out += [(_T3_ORDER[i + 1 + k], g) for k, g in enumerate(groups)]
    return out


def read_table4(text: str, region: tuple[int, int]) -> dict[tuple[str, str], Cell]:
    """Cells of table 四 (行政复议、行政诉讼) keyed by ``(block, column)``: the first 15 numbers
    of the section in the format's order; nothing when there are fewer."""
    a, b = region
    nums = list(_NUMBER_CELL.finditer(text, a, b))
    if len(nums) < 15:
        return {}
    cells = {}
    it = iter(nums[:15])
    for block in TABLE4_BLOCKS:
        for col in TABLE4_COLUMNS:
            m = next(it)
            cells[(block, col)] = Cell("四", block, col, f"{block}/{col}", _num(m.group()), m.group(),
                                       m.start(), m.end(), "件")
    return cells


def read_table2(text: str, region: tuple[int, int]) -> dict[tuple[str, str], Cell]:
    """Cells of table 二 (第二十条 items) keyed by ``(row label, column)``; a row is read only when
    its numbers follow its label directly (pipes and spaces between)."""
    a, b = region
    cells = {}
    for label, cols in TABLE2_ROWS:
        rx = re.compile(_spaced(label) + r"[\s|]*((?:\d+(?:\.\d+)?[\s|]*){%d})" % len(cols))
        m = rx.search(text, a, b)
        if not m:
            continue
        nums = list(_NUMBER_CELL.finditer(text, m.start(1), m.end(1)))[: len(cols)]
        if len(nums) != len(cols):
            continue
        unit = "件"
        if label == "行政事业性收费":
            hm = None
            for hm in _UNIT_HEADER.finditer(text, max(a, m.start() - 120), m.start()):
                pass
            unit = hm.group(1) if hm else None
        for col, n in zip(cols, nums):
            cells[(label, col)] = Cell("二", label, col, f"{label}/{col}", _num(n.group()), n.group(),
                                       n.start(), n.end(), unit)
    return cells


def read_statutory_tables(text: str, regions: dict[str, tuple[int, int]] | None = None
                          ) -> dict[str, dict[tuple[str, str], Cell]]:
    """All readable cells of the statutory tables: ``{"二": {...}, "三": {...}, "四": {...}}``.

    Parameters
    ----------
    text : str
        ``Document.text`` (or its :func:`~summary_analysis.normalize.fold`; offsets are equal).
    regions : dict or None
        ``table_regions(text)`` when the caller has it already (it is computed otherwise).

    The cells of the last text and regions read are kept (fresh dicts are returned each
    time; the cells themselves are frozen).
    """
    global _LAST_TABLES
    if regions is None:
        regions = table_regions(text)
    last = _LAST_TABLES
    if last[0] is text and last[1] == regions:
        return {k: dict(v) for k, v in last[2].items()}
    out = _read_statutory_tables(text, regions)
    _LAST_TABLES = (text, dict(regions), out)
    return {k: dict(v) for k, v in out.items()}


def _read_statutory_tables(text: str, regions: dict[str, tuple[int, int]]
                           ) -> dict[str, dict[tuple[str, str], Cell]]:
    """:func:`read_statutory_tables` without the memo (the definition)."""
    out: dict[str, dict] = {"二": {}, "三": {}, "四": {}}
    if "二" in regions:
        out["二"] = read_table2(text, regions["二"])
    if "三" in regions:
        out["三"] = read_table3(text, regions["三"])
    if "四" in regions:
        out["四"] = read_table4(text, regions["四"])
    return out


# --------------------------------------------------------------------------- generic pipe rows
_PIPE_LINE = re.compile(r"^[ \t]*\|.*$", re.M)
_SEPARATOR = re.compile(r"^[\s|:\-]+$")
_CELL_NUMBER = re.compile(r"^\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True, slots=True)
class PipeCell:
    """A numeric cell of a pipe row: value, raw, offsets, metric and unit."""

    value: int | float
    raw: str
    start: int
    end: int
    metric: str | None
    unit: str | None


def _split_cells(text: str, line_start: int, line_end: int) -> list[tuple[int, int]]:
    """Character ranges of the cells of one pipe row (between the bars)."""
    bars = [i for i in range(line_start, line_end) if text[i] == "|"]
    return [(bars[k] + 1, bars[k + 1]) for k in range(len(bars) - 1)]


def read_pipe_rows(text: str) -> list[PipeCell]:
    """Numeric cells of every pipe row, with metric ``row label/column header``.

    The header of a cell is the cell at the same position in the nearest earlier row of the
    same block (contiguous pipe lines) that has no numeric cell, when that row has as many
    cells; a unit written in a header (``（单位：万元）``, ``数量（件）``) becomes the cell's unit.
    Cells under a header naming phone, ID-card, account or serial numbers
    (:data:`_IDENTIFIER_HEADER`) are no statistic and not returned.
    """
    out: list[PipeCell] = []
    if "|" not in text:
        return out  # no pipe row (the pattern would be tried at every offset)
    header: list[str] | None = None
    prev_end = -2
    for m in _PIPE_LINE.finditer(text):
        if m.start() != prev_end + 1:
            header = None
        prev_end = m.end()
        line = m.group()
        if _SEPARATOR.match(line):
            continue
        spans = _split_cells(text, m.start(), m.end())
        cells = [text[s:e].strip() for s, e in spans]
        numeric = [bool(_CELL_NUMBER.match(c)) for c in cells]
        if not any(numeric):
            if any(cells):
                header = cells
            continue
        label = "/".join(c for c, n in zip(cells, numeric) if c and not n and c not in "-—")
        for k, ((s, e), c, n) in enumerate(zip(spans, cells, numeric)):
            if not n:
                continue
            cm = _CELL_NUMBER.match(text[s:e])
            raw = cm.group(1)
            start = s + cm.start(1)
            head = header[k] if header and len(header) == len(cells) else None
            unit = None
            if head:
                if _IDENTIFIER_HEADER.search(head):
                    continue
                um = _UNIT_HEADER.search(head) or _UNIT_IN_BRACKETS.search(head)
                unit = um.group(1) if um else None
                head = _UNIT_IN_BRACKETS.sub("", re.sub(r"[（(]\s*单位[^）)]*[）)]", "", head)).strip()
            metric = "/".join(x for x in (label, head) if x) or None
            out.append(PipeCell(_num(raw.replace(",", "")), raw, start, start + len(raw), metric, unit))
    return out


_ROW_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十]{1,2}[）)]|\d{1,2}[.、．])\s*")
_VALUE = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")
#: Folded statutory table labels, and the long ones (8 characters or more).
_LABELS = frozenset(fold(x) for x in STATUTORY_TABLE_LABELS)
_LONG_LABELS = tuple(x for x in _LABELS if len(x) >= 8)


def _statutory_label(cell: str) -> bool:
    """Whether ``cell`` (folded) is a statutory table label after its row number, or starts with
    one of the long ones (a narrow cell cuts them short)."""
    label = _ROW_NUMBER.sub("", cell).strip()
    return label in _LABELS or any(label.startswith(x) for x in _LONG_LABELS)


def blank_rows(text: str, region: tuple[int, int]) -> list[tuple[int, int, str, int]]:
    """Rows of a statutory table left unfilled in ``text[region]`` (``text`` folded, as
    :func:`table_regions` reads it): pipe rows (a bar at both ends) whose cells are a statutory
    row label (after its number) and empty cells, and no figure; a row with any figure is not
    one (a layout's stray empty cell beside filled ones is not a blank field).

    Returns ``[(start, end, label, empty cells)]`` in text order: ``[start, end)`` the row
    without its surrounding blanks (character offsets), ``label`` its last non-empty cell."""
    a, b = region
    out = []
    for m in _PIPE_LINE.finditer(text, a, b):
        line = m.group()
        if not line.rstrip().endswith("|"):
            continue
        s = m.start() + len(line) - len(line.lstrip())
        e = m.start() + len(line.rstrip())
        cells = [text[x:y].strip() for x, y in _split_cells(text, s, e)]
        filled = [c for c in cells if c]
        if not filled or len(filled) == len(cells) or any(_VALUE.match(c) for c in filled):
            continue
        if any(_statutory_label(c) for c in filled):
            out.append((s, e, filled[-1], len(cells) - len(filled)))
    return out


__all__ = ["Cell", "PipeCell", "read_statutory_tables", "read_pipe_rows", "table_regions", "blank_rows",
           "APPLICANT_COLUMNS", "TABLE3_ROWS", "TABLE4_BLOCKS", "TABLE4_COLUMNS", "RESULT_GROUPS",
           "RESULT_GROUP_NUMBERS"]
