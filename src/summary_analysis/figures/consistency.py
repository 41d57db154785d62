"""FIG001–FIG005: consistency of a report's figures.

* FIG001 — a part (``其中 …``) larger than its total; an exhaustive breakdown (``分别``, or every
  category of a closed set such as 结果维持/结果纠正/其他结果/尚未审结, or 自然人/法人或其他组织)
  that does not add up. Channel breakdowns may overlap (``通过网站… 通过微博…``) and are only
  checked part ≤ total.
* FIG002 — the statistical period (统计期限) in another year than ``meta.year``. Other dates
  (publication in January of the next year, last year's problems) are never compared.
* FIG003 — a rate (…率, 满意度, 占比, 比例) above 100 %, unless a growth or the attainment of a
  target (增长率, 完成率, 目标的…%), which may exceed it; a negative count; a date no calendar
  has (2024年2月30日, 13月1日).
* FIG004 — the identities of the 2021 national format's tables (国办公开办函〔2021〕30号,
  ``docs/checklists.md`` §B): 一 + 二 = （七）总计 + 四 per column; （七） = （一）+…+（六） per column;
  总计 column = sum of the applicant columns per row; table 四 总计 = sum of its four results.
* FIG005 — a narrative count that contradicts the table, only for counts that clearly name the
  same row: 新收, 上年结转, 结转下年度, 办结/办理/答复 (（七）总计), 受理 (accepted when equal to
  新收 or to 新收 + 上年结转: reports use both readings), the result groups, 行政复议/行政诉讼.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import itertools
import math
import re
from dataclasses import dataclass
from decimal import Decimal

from ..document import Document, Span
from ..findings import Finding
from .tables import (APPLICANT_COLUMNS, RESULT_GROUP_NUMBERS, RESULT_GROUPS, TABLE3_ROWS, TABLE4_BLOCKS,
                     TABLE4_COLUMNS, read_statutory_tables, table_regions)

_SENTENCE_END = set("。！？!?\n")
_NEW_TOTAL = re.compile(r"^[ \t]*(?:共|全年|累计|另|此外|同时|全县|全市|全区)")
#: Closed category sets: a breakdown naming every member is exhaustive.
EXHAUSTIVE_SETS = (
    ("结果维持", "结果纠正", "其他结果", "尚未审结"),
    ("自然人", "法人或其他组织"),
)
_RATE = re.compile(r"率|满意度|占比|比例|比重|知晓度|覆盖面")
#: Rates that may exceed 100 %: growth (增长率135%, 同比增长126%) and attainment of a target
#: or a plan (完成投资率108.6%, 完成年度目标的112%, 进度): over-fulfilment is ordinary.
_UNBOUNDED = re.compile(r"增长|增速|增幅|提高|提升|上升|翻番|完成|达成|超额|超过|进度|执行率|同比|环比|目标|计划")


def _dec(v) -> Decimal:
    return Decimal(str(v))


def _below(v, bound: int) -> bool:
    """``_dec(v) < bound`` for an integer ``bound`` (|bound| < 2**53), without the Decimal when
    ``v`` is an int or a finite float: an int compares exactly, and a float lies on the same side
    of an integer as the decimal its ``str`` writes (rounding to the nearest float is monotone
    and ``str`` round-trips)."""
    t = type(v)
    if t is int or (t is float and math.isfinite(v)):
        return v < bound
    return _dec(v) < bound


def _above(v, bound: int) -> bool:
    """``_dec(v) > bound``, as :func:`_below`."""
    t = type(v)
    if t is int or (t is float and math.isfinite(v)):
        return v > bound
    return _dec(v) > bound


def _fmt(v) -> int | float:
    d = _dec(v)
    return int(d) if d == d.to_integral_value() else float(d)


@dataclass(frozen=True)
class Breakdown:
    """A total and the parts stated after its 其中.

    Attributes
    ----------
    total : Figure
    parts : tuple[Figure, ...]
    exhaustive : bool
        The parts are meant to add up (分别, or a closed category set).
    category_sum : int or float or None
        Sum of the parts of the closed category set (or of all parts after 分别).
    partition : tuple[Figure, ...]
        Exact (non-approximate) parts whose values sum to the total, when such a subset exists
        (the fewest parts, first in text order; searched among at most :data:`MAX_PARTITION`
        exact parts, on first access).
    """

    total: object
    parts: tuple
    exhaustive: bool
    category_sum: int | float | None

    @functools.cached_property
    def partition(self) -> tuple:
        exact = [p for p in self.parts if not p.approx]
        if len(exact) > MAX_PARTITION:
            return ()
        values = [_dec(p.value) for p in exact]
        want = _dec(self.total.value)
        for r in range(1, len(exact) + 1):
            for combo in itertools.combinations(range(len(exact)), r):
                if sum(values[i] for i in combo) == want:
                    return tuple(exact[i] for i in combo)
        return ()


#: Most exact parts among which :attr:`Breakdown.partition` looks for a subset summing to the
#: total (2**14 subsets).
MAX_PARTITION = 14


def _is_stat(f) -> bool:
    return f.kind in ("count", "money") and f.value is not None


class _Text:
    """Sentence ends and bracket depths of a folded text, found once: :func:`breakdowns` asks
    for them at every 其中, and walking the text each time made a long line without 。 holding
    many 其中 cubic (40,000 characters: 33 s)."""

    def __init__(self, ft: str) -> None:
        self.ft = ft
        self.ends = [i for i, c in enumerate(ft) if c in _SENTENCE_END]
        depth, run = [0], 0
        for c in ft:
            if c == "（" or c == "(":
                run += 1
            elif c == "）" or c == ")":
                run -= 1
            depth.append(run)
        self.depth = depth  # depth[i]: opening minus closing brackets in ft[:i]

    def bracket_depth(self, a: int, b: int) -> int:
        """Opening minus closing brackets in ``ft[a:b]``."""
        return self.depth[b] - self.depth[a]

    def sentence(self, pos: int) -> tuple[int, int]:
        """``[a, b)`` of the sentence holding ``pos``: from after the last sentence end before
        ``pos`` to the first one at or after it (the text's ends where there is none)."""
        i = bisect.bisect_left(self.ends, pos)
        a = self.ends[i - 1] + 1 if i > 0 else 0
        b = self.ends[i] if i < len(self.ends) else len(self.ft)
        return a, b


_HEAD_CHAR = re.compile(r"[^ \t，,：:]")
#: What opens a breakdown: 其中 (parts of the total), 分别为/分别是 (the parts that make it up).
_OPENER = re.compile(r"其中|分别[为是]")
_SEMICOLON = re.compile(r"；|;")


def _counted_in_other_unit(ft: str, f) -> bool:
    """True for a figure without a unit that a Chinese character follows at once: a count in a
    measure word the extractor does not know (9860份 → 9860 of 份 if it were unknown), which is
    no part of a total counted in another unit."""
    end = f.span.end
    return end < len(ft) and "\u4e00" <= ft[end] <= "\u9fff"


def breakdowns(document: Document, figures: list) -> list[Breakdown]:
    """Every ``total，其中 part, part…`` and ``total，分别为 part, part…`` statement of the running
    text (the second exhaustive: its parts must add up to the total).

    The total is the last count before 其中 in the same sentence (or, when 其中 opens a
    sentence, the last count of the previous sentence) outside brackets; the parts are the
    counts after 其中 up to the sentence end, outside brackets, continuing past ``；`` while the
    next segment starts no new total (共…, 全年…) and holds no 其中 of its own.

    Linear in the text apart from the statements themselves (:class:`_Text`).
    """
    ft = document.folded
    if "其中" not in ft and "分别" not in ft:
        return []  # no 其中 nor 分别为, no breakdown
    regions = list(table_regions(ft).values())
    prose = [f for f in figures if _is_stat(f) and "/" not in (f.metric or "")
             and not any(a <= f.span.start < b for a, b in regions)]
    starts = [f.span.start for f in prose]
    in_order = all(a <= b for a, b in zip(starts, starts[1:]))
    tx = _Text(ft)

    def between(lo: int, hi: int) -> list:
        """The prose figures starting in [lo, hi], in list order (a bisection when sorted, so a
        long text with many 其中 is not quadratic)."""
        if not in_order:
            return prose
        return prose[bisect.bisect_left(starts, lo):bisect.bisect_right(starts, hi)]

    out = []
    for m in _OPENER.finditer(ft):
        s_a, s_b = tx.sentence(m.start())
        listed = m.group() != "其中"  # 分别为: the parts are the whole
        if listed and "其中" in ft[s_a:m.start()]:
            continue  # 其中…分别为…: the 其中 breakdown, exhaustive (below)
        t_a = s_a
        if _HEAD_CHAR.search(ft, s_a, m.start()) is None:
            # 其中 opens the sentence: the total is in the previous one
            t_a, _ = tx.sentence(max(0, s_a - 1))
        total = None
        for f in reversed(between(t_a, m.start())):  # the last count before 其中
            if t_a <= f.span.start and f.span.end <= m.start() and tx.bracket_depth(t_a, f.span.start) <= 0:
                total = f
                break
        if total is None:
            continue
        # parts: to the sentence end, segment by segment, and never past the next 其中 (whose
        # breakdown is of one of these parts; without this cut a long sentence of n 其中 gave
        # each the figures of all the later ones: quadratic, 20,000 of them took minutes)
        end = m.end()
        nxt = _OPENER.search(ft, end, s_b) if listed else None
        nxt_qz = nxt.start() if nxt else ft.find("其中", end, s_b)
        limit = p_end = nxt_qz if nxt_qz != -1 else s_b
        for semi in _SEMICOLON.finditer(ft, end, limit):
            nxt_semi = _SEMICOLON.search(ft, semi.end(), limit)
            # the segment after this ；: cut here when it holds the next 其中 or opens a new total
            seg_end = nxt_semi.start() if nxt_semi else limit
            if (nxt_semi is None and nxt_qz != -1) or _NEW_TOTAL.match(ft[semi.end():seg_end]):
                p_end = semi.start()
                break
        parts = tuple(f for f in between(end, p_end) if end <= f.span.start and f.span.end <= p_end
                      and tx.bracket_depth(end, f.span.start) <= 0
                      and (f.unit == total.unit or f.unit is None and not _counted_in_other_unit(ft, f)))
        if not parts:
            continue
        exhaustive, csum = False, None
        seg_text = ft[end:p_end]
        if listed or "分别" in seg_text:
            exhaustive, csum = True, _fmt(sum(_dec(p.value) for p in parts))
        else:
            for cats in EXHAUSTIVE_SETS:
                chosen = []
                for c in cats:
                    hit = [p for p in parts if p.metric and c in p.metric]
                    if len(hit) != 1:
                        chosen = []
                        break
                    chosen.append(hit[0])
                if chosen:
                    exhaustive, csum = True, _fmt(sum(_dec(p.value) for p in chosen))
                    break
        out.append(Breakdown(total, parts, exhaustive, csum))
    return out


def _bounds(f) -> tuple[Decimal, Decimal]:
    """The range a figure's value can have: ``[low, high]`` (5500余 → 5500..5599), or its value
    at both ends when it has no bounds."""
    low = f.low if f.low is not None else f.value
    high = f.high if f.high is not None else f.value
    return _dec(low), _dec(high)


def _fig001(document: Document, bds: list[Breakdown]) -> list[Finding]:
    out = []
    for bd in bds:
        t = bd.total
        t_low, t_high = _bounds(t)
        for p in bd.parts:
            if _bounds(p)[0] > t_high:  # even its least is over the total's most
                out.append(Finding(
                    "FIG001", document.doc_id,
                    f"part {p.raw} is larger than its total {t.raw}",
                    span=p.span,
                    evidence={"total": t.value, "total_text": t.raw, "total_span": t.span.as_list(),
                              "part": p.value, "part_text": p.raw, "metric": p.metric}))
        if bd.exhaustive and bd.category_sum is not None and not t_low <= _dec(bd.category_sum) <= t_high:
            out.append(Finding(
                "FIG001", document.doc_id,
                f"breakdown sums to {bd.category_sum}, not to its total {t.raw}",
                span=t.span,
                evidence={"total": t.value, "total_text": t.raw, "sum": bd.category_sum,
                          "parts": [p.value for p in bd.parts],
                          "parts_text": [p.raw for p in bd.parts]}))
    return out


def _fig002(document: Document, figures: list, meta) -> list[Finding]:
    year = getattr(meta, "year", None) if meta is not None else None
    if not year:
        return []
    out = []
    for f in figures:
        if f.kind != "period" or f.metric != "统计期限":
            continue
        years = sorted({y for y in (f.low, f.high) if y is not None})
        if years and any(y != year for y in years):
            out.append(Finding(
                "FIG002", document.doc_id,
                f"statistical period {f.raw} is not in the report's year {year}",
                span=f.span, evidence={"period": f.raw, "years": years, "report_year": year}))
    return out


def _fig003(document: Document, figures: list) -> list[Finding]:
    ft = document.folded
    out = []
    for f in figures:
        v = f.value
        if v is None:
            continue
        kind = f.kind
        if kind == "percent" and f.unit == "%" and _above(v, 100):
            ctx = (f.metric or "") + ft[max(0, f.span.start - 8):f.span.start]
            if _RATE.search(ctx) and not _UNBOUNDED.search(ctx):
                out.append(Finding("FIG003", document.doc_id, f"rate {f.raw} above 100%", span=f.span,
                                   evidence={"value": f.value, "metric": f.metric, "limit": 100}))
        elif (kind == "count" or kind == "money") and _below(v, 0):
            out.append(Finding("FIG003", document.doc_id,
                               f"negative {'amount' if kind == 'money' else 'count'} {f.raw}", span=f.span,
                               evidence={"value": f.value, "metric": f.metric, "limit": 0}))
    return out + _impossible_dates(document)


#: The day after a 月 (月30日, spaces allowed): the pattern starts with the literal 月, which the
#: regex engine finds fast (a pattern starting with the optional year tried every position:
#: 0.19 ms a report; one starting with a digit 0.04 ms); the month and year before it are read
#: backwards on the few characters before (:data:`_MONTH_BEFORE`, :data:`_YEAR_BEFORE`).
_DAY_AFTER = re.compile(r"月[ \u3000]*(\d{1,2})[ \u3000]*[日号]")
#: The month just before a 月: 2, 12 (not the end of a longer number, nor of 3.12).
_MONTH_BEFORE = re.compile(r"(?<![\d.])(\d{1,2})[ \u3000]*$")
#: The year written before a month: 2024年, 2024 年.
_YEAR_BEFORE = re.compile(r"(?<![\d.])(\d{4})[ \u3000]*年[ \u3000]*$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _impossible_dates(document: Document) -> list[Finding]:
    """FIG003 for each date that no calendar has: month 0 or over 12, day 0 or past the month's
    last (2月30日; 2月29日 only when the year is written and not a leap year). The span covers
    the date; ``evidence`` ``{"value", "limit", "kind": "date", "month"}`` (``limit``: the
    month's days, or 12 for a month that does not exist)."""
    ft = document.folded
    if "月" not in ft:
        return []
    out = []
    for m in _DAY_AFTER.finditer(ft):
        mo = _MONTH_BEFORE.search(ft, max(0, m.start() - 8), m.start())
        if mo is None:  # 123月, 3.12月, 本月: no month written before it
            continue
        start = mo.start()
        month, day = int(mo.group(1)), int(m.group(1))
        y = _YEAR_BEFORE.search(ft, max(0, start - 12), start)
        year = None
        if y is not None:
            year, start = int(y.group(1)), y.start()
        if not 1 <= month <= 12:
            reason, limit = f"there is no month {month}", 12
        else:
            limit = calendar.monthrange(year if year else 2024, month)[1]  # 2024: a leap year
            if 1 <= day <= limit:
                continue
            reason = f"{_MONTHS[month - 1]}{f' {year}' if year else ''} has {limit} days"
        raw = document.text[start:m.end()]
        out.append(Finding("FIG003", document.doc_id, f"impossible date {raw} ({reason})",
                           span=Span(start, m.end()),
                           evidence={"value": raw, "limit": limit, "kind": "date", "month": month}))
    return out


def terms_text(terms: dict, sep: str = ", ") -> str:
    """The cells of a broken table identity as ``一 705, 二 36, （七） 710, 四 41`` (a FIG004
    finding's ``evidence.terms``: label → value; values that are not numbers shown as given)."""
    shown = []
    for k, v in terms.items():
        try:
            shown.append(f"{k} {_fmt(v)}")
        except (TypeError, ValueError, ArithmeticError):
            shown.append(f"{k} {v}")
    return sep.join(shown)


#: Table 三's row keys (tables.TABLE3_ROWS) -> the row's name in the format, for messages.
_ROW_NAMES = {key: name for key, name, _, _ in TABLE3_ROWS}


def _fig004(document: Document, tables: dict) -> list[Finding]:
    out = []
    t3 = tables.get("三", {})
    if not t3 and not tables.get("四"):
        return out  # no cell: no identity to check

    def cell(row, col):
        return t3.get((row, col))

    def finding(identity, column, terms: dict, left, right, at):
        out.append(Finding(
            "FIG004", document.doc_id,
            f"table identity {identity} broken in column {column}: {_fmt(left)} ≠ {_fmt(right)}"
            f" ({terms_text(terms)})",
            span=Span(at.start, at.end),
            evidence={"identity": identity, "column": column, "left": _fmt(left), "right": _fmt(right),
                      "terms": terms}))

    for col in APPLICANT_COLUMNS:
        c = [cell(r, col) for r in ("new", "carried", "total", "next")]
        if all(c):
            left = _dec(c[0].value) + _dec(c[1].value)
            right = _dec(c[2].value) + _dec(c[3].value)
            if left != right:
                finding("一+二=（七）+四", col, {"一": c[0].value, "二": c[1].value, "（七）": c[2].value,
                                                "四": c[3].value}, left, right, c[2])
    result_rows = [r for g in RESULT_GROUPS.values() for r in g]
    for col in APPLICANT_COLUMNS:
        tot = cell("total", col)
        cells = [cell(r, col) for r in result_rows]
        if tot and all(cells):
            s = sum(_dec(x.value) for x in cells)
            if s != _dec(tot.value):
                # the groups by their numbers in the table, as the identity names them (they were
                # "open 290, partial 99", English in a Chinese report too; session 17)
                terms = {RESULT_GROUP_NUMBERS[g]: _fmt(sum(_dec(cell(r, col).value) for r in rows))
                         for g, rows in RESULT_GROUPS.items()}
                finding("（七）=（一）+…+（六）", col, terms, s, _dec(tot.value), tot)
    rows = {r for r, _ in t3}
    for row in sorted(rows):
        cells = [cell(row, c) for c in APPLICANT_COLUMNS]
        if all(cells):
            s = sum(_dec(x.value) for x in cells[:-1])
            if s != _dec(cells[-1].value):
                finding("总计=各申请人之和", f"{_ROW_NAMES.get(row, row)}/总计",
                        {c: x.value for c, x in zip(APPLICANT_COLUMNS, cells)}, s, _dec(cells[-1].value),
                        cells[-1])
    t4 = tables.get("四", {})
    for block in TABLE4_BLOCKS:
        cells = [t4.get((block, c)) for c in TABLE4_COLUMNS]
        if all(cells):
            s = sum(_dec(x.value) for x in cells[:4])
            if s != _dec(cells[4].value):
                finding("总计=维持+纠正+其他+未审结", block,
                        {c: x.value for c, x in zip(TABLE4_COLUMNS, cells)}, s, _dec(cells[4].value), cells[4])
    return out


def _table_value(tables: dict, key: str) -> tuple[Decimal | None, list[str]]:
    """Value of a named table quantity (None when any needed cell is missing)."""
    t3, t4 = tables.get("三", {}), tables.get("四", {})

    def t3sum(rows):
        cells = [t3.get((r, "总计")) for r in rows]
        if not all(cells):
            return None, []
        return sum(_dec(c.value) for c in cells), [c.metric for c in cells]

    if key in ("new", "carried", "next", "total"):
        return t3sum([key])
    if key == "accepted":
        return t3sum(["new", "carried"])
    if key in RESULT_GROUPS:
        return t3sum(RESULT_GROUPS[key])
    if key == "open+partial":
        return t3sum(["open", "partial"])
    if key.startswith("四:"):
        _, block, col = key.split(":")
        blocks = [b for b in TABLE4_BLOCKS if b.startswith(block)]
        cells = [t4.get((b, col)) for b in blocks]
        if not cells or not all(cells):
            return None, []
        return sum(_dec(c.value) for c in cells), [c.metric for c in cells]
    return None, []


_NARRATIVE_KEYS = [
    (re.compile(r"予以公开及部分公开$"), "open+partial"),
    (re.compile(r"不予公开$"), "withheld"),
    (re.compile(r"无法提供$"), "unavailable"),
    (re.compile(r"不予处理$"), "unprocessed"),
    (re.compile(r"其他处理$"), "other"),
    (re.compile(r"新收"), "new"),
    (re.compile(r"结转下一?年度?|顺延到下年度"), "next"),
    (re.compile(r"上年度?结转"), "carried"),
    (re.compile(r"^(?:共|全年|全市|全县)?(?:办结|办理|答复)$"), "total"),
]


def _fig005(document: Document, figures: list, tables: dict, bds: list[Breakdown]) -> list[Finding]:
    if not tables.get("三") and not tables.get("四"):
        return []
    ft = document.folded
    regions = list(table_regions(ft).values())
    out = []

    def compare(f, key, label):
        tv, cells = _table_value(tables, key)
        if tv is None:
            return
        low, high = _bounds(f)
        if f.approx and low == high:
            return  # 近300, 约300: no range to hold the table's value against
        if not low <= tv <= high:
            out.append(Finding(
                "FIG005", document.doc_id, f"{label} {f.raw} in the text, {_fmt(tv)} in the table",
                span=f.span, evidence={"narrative": f.value, "table": _fmt(tv), "metric": f.metric,
                                       "table_cells": cells}))

    prose = [f for f in figures if _is_stat(f) and f.unit == "件" and f.metric and "/" not in f.metric
             and not any(a <= f.span.start < b for a, b in regions)]
    in_breakdown = {}
    for bd in bds:
        m = bd.total.metric or ""
        block = "行政复议" if "行政复议" in m and "诉讼" not in m else ("行政诉讼" if "行政诉讼" in m and "复议" not in m else None)
        if block:
            in_breakdown[id(bd.total)] = (block, "总计")
            for p in bd.parts:
                for col in TABLE4_COLUMNS[:4]:
                    if p.metric and col in p.metric:
                        in_breakdown[id(p)] = (block, col)
    for f in prose:
        if id(f) in in_breakdown:
            block, col = in_breakdown[id(f)]
            compare(f, f"四:{block}:{col}", f"{block} {col}")
            continue
        metric = f.metric
        if "受理" in metric and "新收" not in metric and re.search(r"申请", metric):
            a, _ = _table_value(tables, "new")
            b, cells = _table_value(tables, "accepted")
            low, high = _bounds(f)
            if f.approx and low == high:
                continue  # 近300, 约300: no range to hold the table's values against
            if a is not None and b is not None and not (low <= a <= high or low <= b <= high):
                out.append(Finding(
                    "FIG005", document.doc_id,
                    f"受理 {f.raw} in the text equals neither 新收 {_fmt(a)} nor 新收+上年结转 {_fmt(b)}",
                    span=f.span, evidence={"narrative": f.value, "table": [_fmt(a), _fmt(b)], "metric": metric,
                                           "table_cells": cells}))
            continue
        for rx, key in _NARRATIVE_KEYS:
            if rx.search(metric):
                compare(f, key, metric)
                break
    return out


def check_all(document: Document, figures: list, meta) -> list[Finding]:
    """All FIG findings of one document, in text order (see the module docstring)."""
    ft = document.folded
    tables = read_statutory_tables(ft)
    bds = breakdowns(document, figures)
    out = _fig001(document, bds) + _fig002(document, figures, meta) + _fig003(document, figures)
    out += _fig004(document, tables) + _fig005(document, figures, tables, bds)
    return sorted(out, key=Finding.sort_key)


__all__ = ["check_all", "breakdowns", "Breakdown", "EXHAUSTIVE_SETS"]
