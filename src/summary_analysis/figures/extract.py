"""Figure extraction: every reported number of a document with its unit, kind and metric.

Order of passes (each claims its spans; later passes skip claimed text):

1. contact details (电话, 传真, 邮编, 地址, 电子邮箱, hotlines such as 12345热线) → ``contact``;
2. identifiers (文号 ``〔2021〕30号``, ``第二十条第（一）项``, ``国令第 711 号``, 索引号, multi-level
   heading numbers ``2.3``, edition years ``2025版``, versions ``1.2.3`` / ``2.0版本``, runs of 11
   or more digits without a unit outside tables: mobile, ID-card and account numbers) →
   ``identifier``;
3. dates and periods (``2020年1月1日起至2020年12月31日``) → ``date`` / ``period``;
4. statutory tables (:mod:`.tables`) and other pipe rows → ``count`` / ``money``;
5. prose: :func:`.numbers.scan_numbers` plus a unit (measure word) → ``count``, ``percent``,
   ``money`` or ``duration``; metric from :mod:`.metric`.

Not figures at all: list numbering (``1.``, ``（一）``, ``一是``), ordinals (``第四季度``), Chinese
numerals without a measure word (``三安全一稳定``, ``二十大``), and 一 + measure word read as the
indefinite article (``一项重要工作``). Contact and identifier figures carry ``value`` None: they
are never statistics.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import sys
from decimal import Decimal

from ..document import Document, Span
from .metric import _AFTER_RE, _LAST_BEFORE, MAX_CLAUSE_CHARS, _metric_of, clause_metric
from .numbers import (_ASCII_DIGITS, _CN_RUN_FIRST, _RANGE_FIRST, _SCAN, _START_RUN, CN_ALL, CN_DIGITS, CN_RUN_GOES_ON,
                      RUN_GOES_ON, _convert, finditer_at, parse_number, scan_tuples, to_value, too_long)
from .tables import read_pipe_rows, read_statutory_tables, table_regions

# ----------------------------------------------------------------------------- units
MONEY_UNITS = ("亿元", "万元", "千元", "元", "美元", "欧元", "港元", "港币", "英镑")
#: Currencies written after a number with its magnitude (1.2亿美元: 1.2 in 亿美元). Not 日元:
#: 1日元旦 is a date.
_MAGNITUDE_CURRENCIES = frozenset(("元", "美元", "欧元", "港元", "港币", "英镑"))
DURATION_UNITS = ("个工作日", "工作日", "个小时", "小时", "分钟", "个月", "天", "日", "周", "年")
COUNT_UNITS = ("个百分点", "万人次", "人次", "个", "件", "条", "项", "次", "宗", "人", "名", "处", "场",
               "期", "篇", "户", "家", "类", "部", "份", "批", "套", "台", "所", "座", "张", "位",
               "支", "组", "间", "栋", "例", "倍", "岁", "辆", "吨", "亩", "公里", "平方米", "米",
               "轮", "笔", "封", "幅", "集", "门", "本", "单", "块", "群", "节",
               # archives and libraries count pages, volumes, frames and shelf metres
               "页", "卷", "册", "画幅", "延米", "盒", "箱")
_ALL_UNITS = sorted(MONEY_UNITS + DURATION_UNITS + COUNT_UNITS, key=len, reverse=True)
_UNIT_ALT = "|".join(map(re.escape, _ALL_UNITS))
_UNIT_RE = re.compile(rf"[ \t]*(?P<big>大)?(?P<unit>{_UNIT_ALT})")
_PCT_RE = re.compile(r"[ \t]*(?:%|‰)")
_APPROX = r"[ \t]*(?:以上|左右|上下|有余)"
_APPROX_AFTER = re.compile(_APPROX)
#: 成 (tenths) after a Chinese digit, when not part of a word such as 成员, 成效.
_CHENG_RE = re.compile(r"成(?![员立果效为功本熟长绩就都交型品套批])")

# ----------------------------------------------------------------------------- contact
_CONTACT_KEY = re.compile(
    r"(?:联系电话|咨询电话|办公电话|热线电话|服务热线|热线|电话|手机号码|手机号|手机|移动电话|传真|邮政编码|邮编"
    r"|通讯地址|联系地址|地址"
    r"|电子邮箱|电子信箱|邮箱|E-?mail|e-?mail)\s*[:：]?")  # every alternative starts with a literal
_CONTACT_END = re.compile(r"[，,；;。）)\n]|(?=(?:联系电话|电话|传真|邮编|邮政编码|地址|电子邮箱|邮箱)[:：])")
#: an e-mail address, or a number with an area code in brackets before it ((025)8381-2345)
_CONTACT_ITEM = re.compile(r"[\w.\-]+@[\w\-]+(?:\.[\w\-]+)+|(?:[(（][ \t]*\d{2,4}[ \t]*[)）][ \t]*)?\d[\d\- ]*\d|\d")
_AREA_CODE = re.compile(r"[ \t:：]*[(（][ \t]*\d{2,4}[ \t]*[)）]")
_CONTACT_GAP = re.compile(r"[\s:：、/或]*")
# (?<![\d.]\d) after the first digit is (?<![\d.]) before it: the pattern then starts with a
# character class, which the regex engine scans for quickly
_HOTLINE = re.compile(r"\d(?<![\d.]\d)\d{4,}(?=\s*(?:政务服务便民|服务|便民|政务)?热线)")

# ----------------------------------------------------------------------------- identifiers
_CN_NUM = rf"[{CN_DIGITS}十百千]+"
#: A run of 11 or more digits with no unit after it: a mobile (13912345678), ID-card
#: (…19800101123X), account or code number, never a count a report states so (in prose).
_LONG_RUN_RE = re.compile(rf"(?<![\d.,])\d{{11,}}[Xx]?(?![\d.,]|[ \t]*(?:%|‰|[十百千万亿]|{_UNIT_ALT}))")
_IDENTIFIER_RES = [
    re.compile(r"[〔\[［][ \t]*(?:19|20)\d{2}[ \t]*[〕\]］][ \t]*\d+[ \t]*号"),
    re.compile(rf"第[ \t]*(?:\d+|{_CN_NUM})[ \t]*条(?:[ \t]*第[ \t]*[（(]?[ \t]*(?:\d+|{_CN_NUM})[ \t]*[）)]?[ \t]*[项款])?"),
    re.compile(rf"第[ \t]*[（(][ \t]*(?:\d+|{_CN_NUM})[ \t]*[）)][ \t]*[项款]"),
    re.compile(rf"第[ \t]*(?:\d+|{_CN_NUM})[ \t]*[号款章节]"),
    re.compile(r"索引号[ \t]*[:：]?[ \t]*[\w/\-.]+"),
    re.compile(r"(?:19|20)(?<!\d..)\d{2}[ \t]*版"),  # = (?<!\d)(?:19|20)…, starting with 1 or 2
    # version numbers: three or more dotted parts (1.2.3), or two before 版/版本 (2.0版本)
    re.compile(r"(?<![\d.])[vV]?\d+(?:\.\d+){2,}(?![\d.])|(?<![\d.])[vV]?\d+\.\d+(?=[ \t]*版)"),
    _LONG_RUN_RE,
    re.compile(r"(?m)^[ \t#]*\d+(?:\.\d+)+(?=[ \t]|[^\d%万亿元个件条项次人名.\s])"),
]

# ----------------------------------------------------------------------------- dates
_YEAR = r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}"
_SP = r"[ \t]*"
_DATE = (rf"(?:(?P<Y>{_YEAR}){_SP}年(?P<du>度)?(?:{_SP}(?P<M>\d{{1,2}}){_SP}月(?:{_SP}(?P<D>\d{{1,2}}){_SP}[日号])?)?"
         rf"|(?P<M2>\d{{1,2}}){_SP}月{_SP}(?P<D2>\d{{1,2}}){_SP}[日号]"
         rf"|(?P<M3>(?:1[0-2]|[1-9])){_SP}月(?!份?[ \t]*(?:以来|底|末|初)?[ \t]*\d))")
_DATE_RE = re.compile(rf"(?<![\d.])(?:{_DATE})")
_DATE_GROUPS = tuple(_DATE_RE.groupindex[g] for g in ("Y", "D", "D2", "M", "M3"))
#: Where a match of ``_DATE_RE`` can begin: a digit run start (not after a digit or point) with
#: 年 or 月 after at most four digits, or four Chinese year digits before 年.
_DATE_START = re.compile(
    r"[\d〇零一二三四五六七八九]"
    r"(?:(?<=\d)(?<![\d.]\d)(?=\d{0,3}[ \t]*[年月])"
    r"|(?<=[〇零一二三四五六七八九])(?<![\d.].)(?=[〇零一二三四五六七八九]{3}[ \t]*年))")
#: :data:`_DATE_START` read backwards, for :func:`_date_matches`: in the reversed text, a 年 or 月,
#: spaces or tabs, then the first number of the date reversed (one to four digits not
#: preceded by a digit or point, or, before 年, four Chinese year digits). One pattern for 年
#: and one for 月: each begins with its literal character, which the regex engine finds
#: several times faster than a character class (and far faster than ``_DATE_START``, which
#: stops at every digit of the text).
_DATE_START_REVERSED = (
    re.compile(r"年(?:[ \t]*\d{1,4}(?![\d.])|[ \t]*[〇零一二三四五六七八九]{4}(?![\d.]))"),
    re.compile(r"月[ \t]*\d{1,4}(?![\d.])"),
)
_SERVICE_HOURS = re.compile(r"(\d+)[ \t]*[*×xX][ \t]*(\d+)[ \t]*小时")
#: Where ``_SERVICE_HOURS`` (7*24小时) can begin.
_SERVICE_START = re.compile(r"\d(?=\d*[ \t]*[*×xX])")
#: One of these is in every match of ``_SERVICE_HOURS`` (see :func:`_holds`).
_SERVICE_HINTS = ("*", "×", "x", "X")
_PIPE_LINES = re.compile(r"(?m)^[ \t]*\|.*$")
_MONTH_RANGE = re.compile(rf"((?:19|20)(?<![\d.]..)\d{{2}}){_SP}年{_SP}(?:1[0-2]|[1-9]){_SP}(?:至|到|-|—|~|～)"
                          rf"{_SP}(?:1[0-2]|[1-9]){_SP}月(?:份)?")
_PERIOD_SEP = re.compile(rf"{_SP}起?{_SP}(?:至|到|—|-|~|～){_SP}")
#: The characters a match of ``_PERIOD_SEP`` can begin with.
_PERIOD_SEP_FIRST = frozenset(" \t起至到—-~～")
_STAT_PERIOD = re.compile(r"统计(?:期限|期|时限|时段|时间)")

# ----------------------------------------------------------------------------- skipping
_NUMBERING = r"[.．、](?!\d)|是|方面|要|来|则|种|道"
_NUMBERING_AFTER = re.compile(rf"[ \t]*(?:{_NUMBERING})")
_IDIOMS = ("三位一体", "一体", "一站", "一网", "一件事", "一事一", "一线", "一把手")

_OPEN_QUOTES = "“\"「『‘"
_SLOGAN_UNITS = ("个", "项")
#: A slogan named by its count, in quotation marks: “四个加强”, “三个重点”, “五个中心”.
_QUOTED_SLOGAN_END = re.compile(r"[\u4e00-\u9fff]{1,6}[”\"」』’]")


def _quoted_slogan(ft: str, num_start: int, end: int) -> bool:
    """True when the Chinese-numeral count at ``[num_start, end)`` (unit 个 or 项) opens a quoted
    slogan: an opening quotation mark right before it, and after it 1-6 Chinese characters and
    the closing mark (“四个加强”, “两个维护”). Government prose names its slogans by how many
    points they hold; the number is part of a name, not a reported figure."""
    return (num_start > 0 and ft[num_start - 1] in _OPEN_QUOTES
            and _QUOTED_SLOGAN_END.match(ft, end) is not None)


class _Claims:
    """Claimed character ranges ``[a, b)``; ``overlaps(s, e)`` is true when some ``a < e`` and
    ``s < b``.

    Kept sorted by ``(a, b)``. While no two claimed ranges overlap (every pass checks before it
    claims), the ends are sorted too, so a query is one bisection: O(log n) instead of a scan of
    all claims (which made extraction quadratic in the number of figures). Should an overlapping
    range ever be added, queries fall back to the full scan, so the answer never changes.
    """

    def __init__(self) -> None:
        self.ranges: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._disjoint = True

    def overlaps(self, s: int, e: int) -> bool:
        if not self._disjoint:
            return any(a < e and s < b for a, b in self.ranges)
        i = bisect.bisect_left(self._starts, e)  # ranges[:i] are those with a < e
        return i > 0 and s < self.ranges[i - 1][1]  # the largest end among them

    def add(self, s: int, e: int) -> None:
        ranges = self.ranges
        if self._disjoint and (not ranges or s >= ranges[-1][1]):
            # at or after the end of every claimed range (ends are sorted too while the ranges
            # are disjoint): no overlap, and in order (most adds of a pass)
            ranges.append((s, e))
            self._starts.append(s)
            return
        if self._disjoint and self.overlaps(s, e):
            self._disjoint = False
        if not ranges or (s, e) >= ranges[-1]:  # in order (most adds of a pass): append
            ranges.append((s, e))
            self._starts.append(s)
            return
        k = bisect.bisect_right(ranges, (s, e))
        ranges.insert(k, (s, e))
        self._starts.insert(k, s)


def _date_matches(ft: str) -> list[re.Match]:
    """``list(_DATE_RE.finditer(ft))``, trying ``_DATE_RE`` only where a match can begin.

    Every match begins with its first number (a year or a month, see :data:`_DATE_START`),
    which ends at spaces and a 年 or 月; those places are found in the reversed text, one
    scan for 年 and one for 月 (:data:`_DATE_START_REVERSED`: a match there ending at reversed
    offset ``b`` is the original offset ``len(ft) - b``; a match holds one 年 or 月, at its
    start, so the two scans find distinct places, those one scan of ``[年月]`` would find).
    Trying them in text order, from the end of the last match on, gives the leftmost match
    each time, as ``finditer`` does (the lookbehind of ``_DATE_RE`` sees the text before the
    offset tried).
    """
    year, month = "年" in ft, "月" in ft
    if not year and not month:
        return []
    n = len(ft)
    rev = ft[::-1]
    starts = []
    for rx, present in zip(_DATE_START_REVERSED, (year, month)):
        if present:
            starts.extend(n - m.end() for m in rx.finditer(rev))
    starts.sort()
    match = _DATE_RE.match
    out = []
    pos = 0
    for p in starts:
        if p >= pos:
            m = match(ft, p)
            if m is not None:
                out.append(m)
                pos = m.end()
    return out


def _date_parts(m: re.Match) -> tuple[int | None, str]:
    y, d, d2, mo, mo3 = m.group(*_DATE_GROUPS)
    year = None
    if y:
        year = int(y) if y.isdigit() else to_value(parse_number(y))
    if d or d2:
        unit = "日"
    elif mo or mo3:
        unit = "月"
    else:
        unit = "年"
    return year, unit


#: Memo of :func:`_date_parts` by matched text (bounded; cleared when full): the groups of a
#: match of ``_DATE_RE`` are fixed by its text (a text with 年 can only match the first
#: alternative, one without 年 ends with 日/号 or with 月, the second or the third; none holds a
#: lookahead that picks between ways of matching the same text), and reports repeat their dates.
_DATE_PARTS: dict[str, tuple[int | None, str]] = {}
_DATE_PARTS_MAX = 4096


def _date_parts_memo(m: re.Match) -> tuple[int | None, str]:
    """:func:`_date_parts`, memoised by the matched text."""
    g = m.group()
    r = _DATE_PARTS.get(g)
    if r is None:
        r = _date_parts(m)
        if len(_DATE_PARTS) >= _DATE_PARTS_MAX:
            _DATE_PARTS.clear()
        _DATE_PARTS[g] = r
    return r


#: Field order of the rows built by :func:`extract_rows` (then those of
#: :class:`~summary_analysis.figures.Figure` from ``value`` on).
ROW_FIELDS = ("start", "end", "value", "low", "high", "raw", "unit", "metric", "kind", "approx")
_FIG_KEYS = ("value", "low", "high", "raw", "unit", "metric", "kind", "approx")


def extract_raw(document: Document):
    """All figures of ``document`` as keyword dicts (no section path), in text order.

    See :func:`summary_analysis.figures.extract_figures` for the public entry point.
    """
    return [dict(zip(_FIG_KEYS, r[2:]), span=Span(r[0], r[1])) for r in extract_rows(document)]


def extract_rows(document: Document) -> list[list]:
    """All figures of ``document`` as lists in :data:`ROW_FIELDS` order, sorted by span.

    The working form of :func:`extract_raw` (no dict or :class:`Span` per figure until the
    caller builds its figures). The prose pass is :func:`_prose_pass`, the same decisions as
    :func:`_prose_row` per number (tests compare it with :func:`_extract_rows_plain`).
    """
    return _rows(document, plain=False)


def _extract_rows_plain(document: Document) -> list[list]:
    """:func:`extract_rows` with the prose pass written per number (:func:`_prose_row`): the
    definition the fast prose pass is tested against."""
    return _rows(document, plain=True)


def _rows(document: Document, plain: bool) -> list[list]:
    """:func:`extract_rows` (``plain`` False) or :func:`_extract_rows_plain` (``plain`` True)."""
    text, ft = document.text, document.folded
    claims, figs, add = _collector(text)
    regions_by_table = _claiming_passes(ft, claims, add)
    pipe_lines, regions = _prose_context(ft, regions_by_table)
    if claims._disjoint and not plain:
        _prose_pass(ft, text, claims, figs, pipe_lines, regions)
    else:  # the definition; also for overlapping claims (never seen in practice)
        _prose_pass_plain(ft, claims, add, pipe_lines, regions)
    # rows are never empty: while their ranges are disjoint (claims, and prose figures tested
    # against them and each other), no two share a start, and the start alone sorts them as
    # (start, end) does, with an int key instead of a tuple per row
    figs.sort(key=_ROW_START if claims._disjoint else _ROW_KEY)
    _inherit_bracket_metrics_rows(ft, figs)
    return figs


def _collector(text: str):
    """A fresh :class:`_Claims`, the row list and ``add`` (claim a range, append its row)."""
    claims = _Claims()
    figs: list[list] = []
    claim = claims.add
    append = figs.append
    intern = sys.intern

    def add(s, e, value, low, high, unit, metric, kind, approx):
        claim(s, e)
        # raw, unit and metric strings repeat across figures and reports (10 units, a few dozen
        # metrics): one shared object each keeps the figures of a large batch small
        append([s, e, value, low, high, intern(text[s:e]), None if unit is None else intern(unit),
                None if metric is None else intern(metric), kind, approx])

    return claims, figs, add


#: The index of :data:`_LONG_RUN_RE` in ``_IDENTIFIER_RES``: identifiers in prose only.
_LONG_RUN = _IDENTIFIER_RES.index(_LONG_RUN_RE)
#: For each pattern of ``_IDENTIFIER_RES``, characters its matches hold (a string: all of
#: them; a tuple: all of one of its strings) or a regex every match holds a match of; a text
#: without them is not searched. None: the heading numbers (:data:`_HEADING_NUMBER_NL`).
_IDENTIFIER_HINTS = (("号〔", "号[", "号［"), "第", "第", "第", "索引号", "版",
                     # a pattern: what every match holds, found by a regex that starts with a
                     # literal (quick to search), or by a plainer one than the pattern's own
                     re.compile(r"\.\d+(?:\.\d|[ \t]*版)"), re.compile(r"\d\d\d\d\d\d\d\d\d\d\d"), None)
#: ``_IDENTIFIER_RES[-1]`` (a heading number at a line start) after a line break: a literal
#: first character, which the regex engine finds quickly; its matches, one character on, are
#: those of the original after offset 0 (a match never holds a line break).
_HEADING_NUMBER_NL = re.compile(r"\n[ \t#]*\d+(?:\.\d+)+(?=[ \t]|[^\d%万亿元个件条项次人名.\s])")
#: What every ``_CONTACT_KEY`` match holds (in the sense of :func:`_holds`): 话 (…电话), 线
#: (…热线, 移动电话), 传真, 邮 (邮编, 邮箱…), 址 (…地址), 信箱, mail, 手机.
_CONTACT_HINTS = ("话", "线", "传真", "邮", "址", "信箱", "mail", "手机")


def _holds(ft: str, hint: str | tuple[str, ...]) -> bool:
    """True when ``ft`` holds every character of ``hint`` (a string), or of one of its strings
    (a tuple). A test of one character (``in``) is several times faster than a search for a
    word of two or more. (Plain loops: the generators of ``any(all(...))`` cost more than the
    scans themselves.)"""
    for h in (hint,) if isinstance(hint, str) else hint:
        for c in h:
            if c not in ft:
                break
        else:
            return True
    return False


#: What every ``_MONTH_RANGE`` match holds (it starts with the literal 年, found quickly).
_MONTH_RANGE_HINT = re.compile(r"年[ \t]*(?:1[0-2]|[1-9])[ \t]*(?:至|到|-|—|~|～)")


def _identifier_matches(k: int, ft: str):
    """``_IDENTIFIER_RES[k].finditer(ft)`` as ``(start, end)`` pairs (skipping texts without the
    pattern's hint characters or hint regex; the heading numbers through :data:`_HEADING_NUMBER_NL`)."""
    hint = _IDENTIFIER_HINTS[k]
    if hint is not None:
        if not (hint.search(ft) if isinstance(hint, re.Pattern) else _holds(ft, hint)):
            return []
        return [m.span() for m in _IDENTIFIER_RES[k].finditer(ft)]
    out = []
    m = _IDENTIFIER_RES[k].match(ft)
    if m:
        out.append(m.span())
    out.extend((m.start() + 1, m.end()) for m in _HEADING_NUMBER_NL.finditer(ft))
    return out


def _claiming_passes(ft: str, claims: "_Claims", add) -> dict[str, tuple[int, int]]:
    """Passes 1–4 and 7*24小时 (see the module docstring): contact details, identifiers, dates
    and periods, table cells, service hours. Returns :func:`.tables.table_regions` of ``ft``."""
    overlaps = claims.overlaps
    # 1. contact details
    if _holds(ft, _CONTACT_HINTS):
        for km in _CONTACT_KEY.finditer(ft):
            # an area code in brackets ((025)8381-2345) does not end the value at its ")"
            area = _AREA_CODE.match(ft, km.end())
            end_m = _CONTACT_END.search(ft, area.end() if area else km.end())
            seg_end = end_m.start() if end_m else min(len(ft), km.end() + 60)
            if seg_end == km.end() and end_m:  # keyword directly followed by punctuation: nothing
                continue
            address = "地址" in km.group()
            prev = km.end()
            for im in _CONTACT_ITEM.finditer(ft, km.end(), seg_end):
                s, e = im.start(), im.end()
                if not address and not _CONTACT_GAP.fullmatch(ft, prev, s):
                    break  # a phone/fax/postcode/e-mail value follows its key directly
                prev = e
                raw = ft[s:e].rstrip(" -")
                e = s + len(raw)
                if not overlaps(s, e):
                    add(s, e, None, None, None, None, None, "contact", False)
    if "热" in ft and "热线" in ft:
        for hm in _HOTLINE.finditer(ft):
            if not overlaps(hm.start(), hm.end()):
                add(hm.start(), hm.end(), None, None, None, None, None, "contact", False)

    # 2. identifiers
    for k in range(len(_IDENTIFIER_RES)):
        for s, e in _identifier_matches(k, ft):
            while s < e and ft[s] in " \t#":
                s += 1
            if k == _LONG_RUN and ft[ft.rfind("\n", 0, s) + 1:s].lstrip(" \t").startswith("|"):
                continue  # a table cell's unit is in its header (金额（元）): a number
            if not overlaps(s, e):
                add(s, e, None, None, None, None, None, "identifier", False)

    # 3. dates and periods (2023年1-6月 is a period of one year)
    if _MONTH_RANGE_HINT.search(ft):
        for mm in _MONTH_RANGE.finditer(ft):
            if not overlaps(mm.start(), mm.end()):
                y = int(mm.group(1))
                metric = "统计期限" if _STAT_PERIOD.search(ft, max(0, mm.start() - 15), mm.start()) else None
                add(mm.start(), mm.end(), y, y, y, "月", metric, "period", False)
    dates = _date_matches(ft)
    if claims.ranges:
        dates = [m for m in dates if not overlaps(m.start(), m.end())]
    n_dates = len(dates)
    i = 0
    while i < n_dates:
        m = dates[i]
        i += 1
        start, end = m.span()
        year, unit = _date_parts_memo(m)
        if year is None and m.group("Y"):
            continue  # a year in Chinese digits that does not read (a year in digits always does)
        # 20多年 / 3年 are durations, a bare year needs 19xx/20xx (handled by the pattern)
        if i < n_dates:
            nxt = dates[i]
            nxt_start = nxt.start()
            # _PERIOD_SEP needs at least one character, and one of _PERIOD_SEP_FIRST first
            if end < nxt_start and ft[end] in _PERIOD_SEP_FIRST and _PERIOD_SEP.fullmatch(ft, end, nxt_start):
                year2, unit2 = _date_parts_memo(nxt)
                if year2 is None:
                    year2 = year
                metric = "统计期限" if _STAT_PERIOD.search(ft, max(0, start - 15), start) else None
                add(start, nxt.end(), year, year, year2, unit2, metric, "period", False)
                i += 1
                continue
        add(start, end, year, year, year, unit, None, "date", False)

    # 4. tables
    regions_by_table = table_regions(ft)
    tables = read_statutory_tables(ft, regions=regions_by_table)
    for cells in tables.values():
        for c in cells.values():
            if overlaps(c.start, c.end):
                continue
            kind = "money" if c.unit in MONEY_UNITS else "count"
            add(c.start, c.end, c.value, c.value, c.value, c.unit, c.metric, kind, False)
    for c in read_pipe_rows(ft):
        if overlaps(c.start, c.end):
            continue
        kind = "money" if c.unit in MONEY_UNITS else "count"
        add(c.start, c.end, c.value, c.value, c.value, c.unit, c.metric, kind, False)

    # 7*24小时: service hours (every match holds 小时 and one of *×xX)
    if "小时" in ft and _holds(ft, _SERVICE_HINTS):
        for sm in finditer_at(_SERVICE_START, _SERVICE_HOURS, ft):
            if not overlaps(sm.start(), sm.end()):
                v = int(sm.group(1)) * int(sm.group(2))
                add(sm.start(), sm.end(), v, v, v, "小时", None, "duration", False)
    return regions_by_table


def _prose_context(ft: str, regions_by_table: dict):
    """The pipe lines (a :class:`_Ranges`, or ``()`` without ``|``) and the table regions."""
    pipe_lines = _Ranges(m.span() for m in _PIPE_LINES.finditer(ft)) if "|" in ft else ()
    return pipe_lines, list(regions_by_table.values())


def _prose_pass_plain(ft: str, claims: "_Claims", add, pipe_lines, regions) -> None:
    """5. prose, one :func:`_prose_row` per scanned number (the definition)."""
    overlaps = claims.overlaps
    line_starts = _line_starts(ft)
    for nm in scan_tuples(ft):
        if overlaps(nm[0], nm[1]):
            continue  # the figure would hold the number's span, which is claimed (a date, …)
        row = _prose_row(ft, nm, pipe_lines, line_starts)
        if row is None:
            continue
        if regions and (nm[8] or row[5] is None) and any(x <= nm[0] < y for x, y in regions):
            continue  # inside a statutory table: row labels (属于三类…, 1.) and stray cells
        s, e = row[0], row[1]
        if overlaps(s, e):
            continue
        add(*row)


#: Memo of :func:`_prose_number` by matched text (bounded; cleared when full). Room for every
#: number from 0 to 9999 and then some (a batch of reports holds most of them; about 5 MB when full).
_PROSE_NUMBERS: dict[str, tuple | None] = {}
_PROSE_NUMBERS_MAX = 16384
_MISSING = object()


def _prose_number(m: re.Match) -> tuple | None:
    """One match of the number scan as the prose pass reads it, memoised by matched text.

    ``(end, num_start, value, low, high, approx, percent, chinese, article, v, v_low, v_high)``
    with offsets relative to ``m.start()``, the :class:`~decimal.Decimal` fields of
    :func:`.numbers.scan_tuples`, ``article`` true for 一 alone (rejected by :func:`_prose_row`
    first) and ``v…`` the fields through :func:`.numbers.to_value`; None when the match is not
    a number. Like the conversion, it depends on the matched text only.
    """
    g = m.group()
    r = _convert(m)
    if r is not None:
        end, ns, value, low, high, approx, percent, chinese = r[:8]
        article = chinese and not percent and end - ns == 1 and g[ns] == "一"
        v = to_value(value)
        r = (end, ns, value, low, high, approx, percent, chinese, article, v,
             v if low is value else to_value(low), v if high is value else to_value(high))
    if len(_PROSE_NUMBERS) >= _PROSE_NUMBERS_MAX:
        _PROSE_NUMBERS.clear()
    _PROSE_NUMBERS[g] = r
    return r


def _plain_digits_number(g: str) -> tuple:
    """:func:`_prose_number` of a match that is a plain run of ASCII digits ``g`` (only the
    ``num`` group set, see :func:`.numbers.plain_run`), without the match: the conversion of
    such a match is ``Decimal(g)`` with no approximation, percent or Chinese flag, and
    :func:`.numbers.to_value` of that is ``int(g)``; None for a run of over
    :data:`.numbers.MAX_DIGITS` digits, as the conversion. Memoised like :func:`_prose_number`.
    """
    if too_long(g):
        r = None
    else:
        value = Decimal(g)
        v = int(g)
        r = (len(g), 0, value, value, value, False, False, False, False, v, v, v)
    if len(_PROSE_NUMBERS) >= _PROSE_NUMBERS_MAX:
        _PROSE_NUMBERS.clear()
    _PROSE_NUMBERS[g] = r
    return r


def _prose_pass(ft: str, text: str, claims: "_Claims", figs: list, pipe_lines, regions) -> None:
    """5. prose: :func:`_prose_pass_plain` in one loop (same rows, same order).

    The number scan (:func:`.numbers.finditer_at` over ``_SCAN``) runs inline, a plain run of
    digits or numeral words without trying ``_SCAN`` (:func:`.numbers.plain_run`), and
    without the runs it always rejects (:data:`_PROSE_START`); each match's reading is
    memoised by its text (:func:`_prose_number`); the checks that only reject come first
    (claimed span, 一 as article, context characters), so the metric is read for kept figures
    only (:func:`.metric.clause_metric`, inline); for a plain run of ASCII digits, what
    follows the number (unit, 以上, metric) is memoised by the texts of its clause
    (:data:`_TAILS`); the two tests that depend on the position (table regions, claims
    reached by the unit) come last. Claims are tested against the ranges of the earlier
    passes (sorted and disjoint: one bisection) and the end of the last prose figure (prose
    figures come in text order, each after the claims it was tested against). Requires
    ``claims._disjoint``; appends to ``figs`` without updating ``claims`` (no later pass reads
    them).
    """
    n = len(ft)
    starts = claims._starts
    ends = [b for _, b in claims.ranges]
    n_claims = len(starts)
    last_end = -1  # end of the last prose figure
    line_starts = None
    search, match = _PROSE_START.search, _SCAN.match
    after_match = _AFTER_NUMBER.match
    memo, tails = _PROSE_NUMBERS, _TAILS
    bisect_left, bisect_right = bisect.bisect_left, bisect.bisect_right
    intern = sys.intern
    append = figs.append
    bad_before, letters = _BAD_BEFORE, _ASCII_LETTERS
    last_before, after_boundary, metric_of = _LAST_BEFORE.match, _AFTER_RE.search, _metric_of
    digits, goes_on, range_first = _ASCII_DIGITS, RUN_GOES_ON, _RANGE_FIRST
    cn_first, cn_goes_on = _CN_RUN_FIRST, CN_RUN_GOES_ON
    pos = 0
    while True:
        c = search(ft, pos)
        if c is None:
            break
        s, q = c.span()
        ch = ft[s]
        ascii_run = ch in digits
        if (ascii_run and (q >= n or (ft[q] not in goes_on and (
                ft[q] != "%" or q + 1 >= n or ft[q + 1] not in range_first)))) or (
                ch in cn_first and (q >= n or ft[q] not in cn_goes_on)):
            # a plain run of digits or numeral words: the match of _SCAN is the run (plain_run),
            # which ends the number (the reading trims only ranges): a claimed run is passed
            # over before it is read (dates, mostly)
            pos = q
            if s < last_end:
                continue
            k = bisect_left(starts, q)
            if k and s < ends[k - 1]:
                continue
            g = ft[s:q]
            r = memo.get(g, _MISSING)
            if r is _MISSING:
                r = _plain_digits_number(g) if g.isascii() else _prose_number(match(ft, s))
            if r is None:
                continue  # not a number
            e = q  # the reading of a plain run ends with it: its span was tested just above
        else:
            ascii_run = False
            m = match(ft, s)
            if m is None:
                pos = s + 1
                continue
            pos = m.end()
            r = memo.get(m.group(), _MISSING)
            if r is _MISSING:
                r = _prose_number(m)
            if r is None:
                continue  # not a number
            e = s + r[0]
            if s < last_end:
                continue  # inside the last prose figure
            k = bisect_left(starts, e)
            if k and s < ends[k - 1]:
                continue  # the figure would hold the number's span, which is claimed (a date, …)
        _, ns, value, low, high, approx, percent, chinese, article, v, v_low, v_high = r
        if article:
            continue  # 一项/一名: indefinite article
        if pipe_lines and s in pipe_lines:
            continue
        before = ft[s - 1] if s > 0 else "\n"
        after = ft[e] if e < n else "\n"
        if before in bad_before or after in letters:  # (after.isascii() and after.isalpha())
            continue
        if before == "第" or (s >= 2 and before.isspace() and ft[s - 2] == "第"):
            continue  # ordinal (第四季度, 第一责任人); identifiers were claimed before
        if (before == "（" or before == "(") and (after == "）" or after == ")"):
            continue
        tail_key = tail = None
        if ascii_run:
            # A plain run of ASCII digits (no 万/亿, no 成, not Chinese, percent or approximate):
            # what follows it depends on the text of its clause only, when the clause ends
            # within MAX_CLAUSE_CHARS of the number. The unit, 以上/左右 and the clause after them
            # lie in ft[e:clause end] (none of them holds a boundary character); so does what
            # decides whether list numbering follows (1. 1、 1是), except for a 、 that ends the
            # clause right after the number (then the character after the 、 decides). The
            # metric reads that text and the clause before the number. So the rest is memoised
            # by these two texts (_TAILS), for numbers not followed by list numbering.
            ce = after_boundary(ft, e, e + MAX_CLAUSE_CHARS)
            if ce is not None:
                clause_end = ce.start()
                after_text = ft[e:clause_end]
                if ft[clause_end] != "、" or after_text.strip(" \t"):
                    lo = s - MAX_CLAUSE_CHARS if s > MAX_CLAUSE_CHARS else 0
                    bm = last_before(ft, lo, s)
                    tail_key = (ft[bm.end() if bm else lo:s], after_text)
                    tail = tails.get(tail_key)
        if tail is not None:
            rel_end, unit, kind, approx, metric = tail
            fig_end = e + rel_end
        else:
            cm = after_match(ft, e)
            if cm is None:
                numbering = pct = unit_m = None
            else:
                numbering, pct, unit_m = cm.group(_G_NUMBERING, _G_PCT, _G_UNIT)
            if numbering is not None:
                tail_key = None  # (the memo holds numbers without list numbering only)
                if chinese and not percent:
                    # _unit's answer, given first: a Chinese numeral before 是, 、 or . (二是, 三、)
                    # has no measure word after it (nor 成), so it is no figure wherever it stands
                    continue
                # list numbering: 1. 1、 (1) （一） 一是 at a line start or in brackets
                if not approx:
                    if line_starts is None:
                        line_starts = _line_starts(ft)
                    if _bare_lead(ft, line_starts[bisect_right(line_starts, s) - 1], s):
                        continue
            num_start = s + ns
            u = _unit(ft, cm, pct, unit_m, num_start, e, percent, chinese, value)
            if u is None:
                continue  # a Chinese numeral without a measure word is part of a word
            unit, kind, fig_end, after_unit, scale = u
            if scale == _CHENG:
                value = value * 10
                v = v_low = v_high = to_value(value)
            elif scale is not None:
                value = value / scale
                v, v_low, v_high = to_value(value), to_value(low / scale), to_value(high / scale)
            if chinese and not percent:
                if e - num_start > 1 and value is not None and all(x in CN_DIGITS for x in ft[num_start:e]):
                    continue  # positional digits outside a year (统一零售)
                window = ft[max(0, num_start - 2):fig_end + 2]
                if any(idiom in window for idiom in _IDIOMS):
                    continue
                if unit in _SLOGAN_UNITS and _quoted_slogan(ft, num_start, fig_end):
                    continue
            if unit is not None:
                unit = intern(unit)
                # kind is always one of count, money, duration, percent here
                if after_unit is not None:
                    a_start = after_unit.start(_G_APPROX)
                    if a_start >= 0:
                        a_end, a_text = after_unit.end(_G_APPROX), after_unit.group(_G_APPROX)
                else:
                    am = _APPROX_AFTER.match(ft, fig_end)
                    a_start = -1 if am is None else am.start()
                    if am is not None:
                        a_end, a_text = am.end(), am.group()
                if a_start >= 0:
                    # 以上 after a unit, unless it starts a phrase such as 以上问题
                    nxt = ft[a_end:a_end + 1]
                    if not ("\u4e00" <= nxt <= "\u9fff") or a_text.strip() != "以上":
                        fig_end = a_end
                        approx = True
            if kind == "duration":
                metric = None
            else:  # clause_metric(ft, s, fig_end, prenominal=chinese), inline (interned)
                lo = s - MAX_CLAUSE_CHARS
                if lo < 0:
                    lo = 0
                bm = last_before(ft, lo, s)
                hi = fig_end + MAX_CLAUSE_CHARS
                am = after_boundary(ft, fig_end, hi)
                metric = metric_of(ft[bm.end() if bm else lo:s],
                                   ft[fig_end:am.start() if am else (n if n < hi else hi)], chinese)
            if tail_key is not None:
                if len(tails) >= _TAILS_MAX:
                    tails.clear()
                tails[tail_key] = (fig_end - e, unit, kind, approx, metric)
        # the two tests that depend on the position (both only reject)
        if regions and (chinese or unit is None) and any(x <= s < y for x, y in regions):
            continue  # inside a statutory table: row labels (属于三类…, 1.) and stray cells
        # k is bisect_left(starts, e): the claims starting before e were tested above, so only
        # one starting in [e, fig_end) can meet the figure with its unit
        if k < n_claims and starts[k] < fig_end:
            k = bisect_left(starts, fig_end)  # >= 1 here
            if s < ends[k - 1]:
                continue  # the figure with its unit reaches a claimed span
        last_end = fig_end
        append([s, fig_end, v, v_low, v_high, intern(text[s:fig_end]), unit, metric, kind, approx])


#: Memo of the prose pass (:func:`_prose_pass`) for plain runs of ASCII digits: ``(clause text
#: before the number, text after it up to the clause end)`` → ``(figure end - number end, unit,
#: kind, approx, metric)`` (bounded; cleared when full).
_TAILS: dict[tuple[str, str], tuple] = {}
_TAILS_MAX = 8192


_ROW_KEY = operator.itemgetter(0, 1)  # (start, end)
_ROW_START = operator.itemgetter(0)

#: The number starts of the prose pass: :data:`.numbers._START_RUN` without two kinds of plain
#: runs of numeral words that the pass always rejects, so that the regex engine passes over
#: them: 一 alone (the indefinite article, 一项, 进一步) and a run followed directly by list
#: numbering (二是, 三、, 四.), which :func:`_unit` never reads as a figure. The pass used to
#: go on after such a run's end; the engine goes on after its first character instead, which
#: finds nothing more: a digit word inside the run starts a shorter run of the same kind
#: (skipped too), and a 百, 千 or 万 there begins no match of ``_SCAN`` (passed over).
_SKIPPED_RUN = (rf"(?!(?<=一)(?![{re.escape(CN_ALL + ''.join(sorted(CN_RUN_GOES_ON)))}]))"
                rf"(?!(?<=[{CN_DIGITS}十])[{CN_ALL}]*+(?:[.．、](?!\d)|是|方面|要|则|种|道))")
_CUT = _START_RUN.pattern.index("]") + 1  # after the first character class
_PROSE_START = re.compile(_START_RUN.pattern[:_CUT] + _SKIPPED_RUN + _START_RUN.pattern[_CUT:])


class _Ranges:
    """Sorted, non-overlapping ``[a, b)`` ranges (one per pipe line) with an O(log n) lookup."""

    def __init__(self, spans) -> None:
        self.spans = list(spans)
        self._starts = [a for a, _ in self.spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos)
        return i > 0 and pos < self.spans[i - 1][1]

    def __bool__(self) -> bool:
        return bool(self.spans)


def _line_starts(ft: str) -> list[int]:
    """Offsets where the lines of ``ft`` start (0 and every offset after a ``\\n``)."""
    starts = [0]
    i = ft.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = ft.find("\n", i + 1)
    return starts


def _in_pipe_line(pos: int, pipe_lines) -> bool:
    return pos in pipe_lines if isinstance(pipe_lines, _Ranges) else any(
        a <= pos < b for a, b in pipe_lines)


_LEAD_STRIP = " \t#|"


def _bare_lead(ft: str, line_start: int, s: int) -> bool:
    """True when ``ft[line_start:s].strip(" \\t#|")`` is empty, ``（``, ``(`` or ``（(``.

    Walks back from ``s`` over that short lead only, so a number far into a long line costs
    O(1) (slicing the line from its start made one very long line quadratic).
    """
    j = s
    while j > line_start and ft[j - 1] in _LEAD_STRIP:
        j -= 1
    if j == line_start:
        return True
    k = j
    while k > line_start and j - k < 2 and ft[k - 1] in "（(":
        k -= 1
    if k == j or ft[k:j] not in "（(":
        return False
    while k > line_start:
        if ft[k - 1] not in _LEAD_STRIP:
            return False
        k -= 1
    return True


#: Characters that, right before a number, make it part of a code or word (ASCII letters and
#: digits, @ / _).
_BAD_BEFORE = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@/_")
#: The characters ``c`` with ``c.isascii() and c.isalpha()`` (a test a table answers at once).
_ASCII_LETTERS = frozenset(chr(i) for i in range(128) if chr(i).isalpha())
_NO_VALUE = object()


#: What can follow a number, in one pattern (one match per number instead of four): list
#: numbering (``_NUMBERING_AFTER``), a percent sign (``_PCT_RE``) or a unit (``_UNIT_RE``), then
#: an approximation (``_APPROX_AFTER``). The three alternatives begin with different
#: characters, so each group matches exactly when its own pattern would.
_AFTER_NUMBER = re.compile(rf"[ \t]*(?:(?P<numbering>{_NUMBERING})|(?P<pct>%|‰)|(?P<big>大)?(?P<unit>{_UNIT_ALT}))"
                           rf"(?P<approx>{_APPROX})?")


_G_NUMBERING, _G_PCT, _G_UNIT, _G_APPROX = (_AFTER_NUMBER.groupindex[g] for g in ("numbering", "pct", "unit",
                                                                                  "approx"))


#: The kind of a figure by its unit (:func:`_unit`): money, duration, percent (个百分点); any
#: other unit counts. Built so that the first of MONEY_UNITS, DURATION_UNITS, 个百分点 holding a
#: unit decides, as tests of the three in that order would.
_UNIT_KIND = {"个百分点": "percent", **dict.fromkeys(DURATION_UNITS, "duration"),
              **dict.fromkeys(MONEY_UNITS, "money")}

#: ``scale`` of :func:`_unit` for 三成 (a tenth: the value becomes a percent, times ten).
_CHENG = "成"


def _unit(ft: str, cm, pct, unit_m, num_start: int, e: int, percent: bool, chinese: bool, value):
    """The unit of the number ``ft[num_start:e]`` (both passes use this one rule).

    Parameters
    ----------
    cm : re.Match or None
        ``_AFTER_NUMBER.match(ft, e)``; ``pct`` and ``unit_m`` its ``pct`` and ``unit`` groups.
    percent, chinese : bool
        The number was written as a percent (百分之…) / in Chinese numerals.
    value : Decimal or None
        Its value (None for ranges and vague numbers).

    Returns
    -------
    tuple or None
        ``(unit, kind, end, after_unit, scale)``: the unit (None: a bare count), its kind
        (count, percent, money, duration), the character offset where the unit ends, the
        match whose ``approx`` group follows that end (or None), and ``scale``: None,
        :data:`_CHENG` (三成: value, low and high become ``value * 10`` percent), or the divisor
        of value, low and high (1000万元 is read as 1000 in 万元). None when a Chinese numeral
        has no measure word after it (part of a word, not a figure).
    """
    if percent:
        if pct is not None:
            return "%", "percent", cm.end(_G_PCT), cm, None
        return "%", "percent", e, None, None
    if pct is not None:
        return "%", "percent", cm.end(_G_PCT), cm, None
    if chinese and value is not None and value <= 10 and _CHENG_RE.match(ft, e):
        return "%", "percent", e + 1, None, _CHENG
    if unit_m is None:
        return None if chinese else (None, "count", e, None, None)
    scale = None
    kind = _UNIT_KIND.get(unit_m, "count")
    if kind == "money" and unit_m in _MAGNITUDE_CURRENCIES and value is not None:
        mag = _MAG_END.search(ft, num_start, e)
        if mag:  # 1000万元: value in 万元; 1.2亿美元: in 亿美元
            unit_m = mag.group(1) + unit_m
            scale = _TEN_THOUSAND if mag.group(1) == "万" else _HUNDRED_MILLION
    return unit_m, kind, cm.end(_G_UNIT), cm, scale


def _prose_row(ft: str, nm: tuple, pipe_lines, line_starts=None, bounds=None) -> tuple | None:
    """Classify one scanned number of running text (a :func:`.numbers.scan_tuples` tuple).

    Returns
    -------
    tuple or None
        ``(start, end, value, low, high, unit, metric, kind, approx)``, the figure's span
        running through its unit and any 以上/左右; None when the number is not a figure.
    """
    s, e, num_start, value, low, high, approx, percent, chinese, _ = nm
    if chinese and not percent and e - num_start == 1 and ft[num_start] == "一":
        return None  # 一项/一名: indefinite article (the test below, made first: it always wins)
    if pipe_lines and _in_pipe_line(s, pipe_lines):
        return None
    before = ft[s - 1] if s > 0 else "\n"
    after = ft[e] if e < len(ft) else "\n"
    if before in _BAD_BEFORE or (after.isascii() and after.isalpha()):
        return None
    if before == "第" or (s >= 2 and before.isspace() and ft[s - 2] == "第"):
        return None  # ordinal (第四季度, 第一责任人); identifiers were claimed before
    cm = _AFTER_NUMBER.match(ft, e)
    if cm is None:
        numbering = pct = unit_m = None
    else:
        numbering, pct, unit_m = cm.group("numbering", "pct", "unit")
    # list numbering: 1. 1、 (1) （一） 一是 at a line start or in brackets
    if numbering is not None and not approx:
        if line_starts is None:
            line_start = ft.rfind("\n", 0, s) + 1
        else:
            line_start = line_starts[bisect.bisect_right(line_starts, s) - 1]
        if _bare_lead(ft, line_start, s):
            return None
    if (before == "（" or before == "(") and (after == "）" or after == ")"):
        return None
    text_num = ft[num_start:e]
    u = _unit(ft, cm, pct, unit_m, num_start, e, percent, chinese, value)
    if u is None:
        return None  # a Chinese numeral without a measure word is part of a word
    unit, kind, pos, after_unit, scale = u
    if scale == _CHENG:
        value = low = high = value * 10
    elif scale is not None:
        value, low, high = value / scale, low / scale, high / scale
    if chinese and not percent:
        if len(text_num) > 1 and value is not None and all(c in CN_DIGITS for c in text_num):
            return None  # positional digits outside a year (统一零售)
        window = ft[max(0, num_start - 2):pos + 2]
        if any(idiom in window for idiom in _IDIOMS):
            return None
        if unit in _SLOGAN_UNITS and _quoted_slogan(ft, num_start, pos):
            return None
    if unit is not None:
        # kind is always one of count, money, duration, percent here
        if after_unit is not None:
            a_start = after_unit.start("approx")
            a_end, a_text = after_unit.end("approx"), after_unit.group("approx")
        else:
            am = _APPROX_AFTER.match(ft, pos)
            a_start = -1 if am is None else am.start()
            a_end, a_text = (-1, None) if am is None else (am.end(), am.group())
        if a_start >= 0:
            # 以上 after a unit, unless it starts a phrase such as 以上问题
            nxt = ft[a_end:a_end + 1]
            if not ("\u4e00" <= nxt <= "\u9fff") or a_text.strip() != "以上":
                pos = a_end
                approx = True
    metric = None
    if kind != "duration":
        metric = clause_metric(ft, s, pos, prenominal=chinese, bounds=bounds)
    v = to_value(value)
    return (s, pos, v, v if low is value else to_value(low), v if high is value else to_value(high),
            unit, metric, kind, approx)


_MAG_END = re.compile(r"(万|亿)[ \t]*$")
_TEN_THOUSAND = Decimal(10_000)
_HUNDRED_MILLION = Decimal(100_000_000)


def _inherit_bracket_metrics_rows(ft: str, figs: list[list]) -> None:
    """A percent in brackets right after a count (``208 件（17.46%）``) counts the same thing."""
    for prev, f in itertools.pairwise(figs):  # (a metric set here is prev's next)
        if f[8] == "percent" and f[7] is None and prev[7] is not None and _BRACKET_GAP.fullmatch(ft, prev[1], f[0]):
            f[7] = prev[7]


_BRACKET_GAP = re.compile(r"[ \t]*[（(][ \t]*")
