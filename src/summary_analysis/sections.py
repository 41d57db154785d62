"""Stage 3, structure: the heading tree and document metadata.

Headings are recognised by their **numbering**, in the order of GB/T 9704-2012 《党政机关公文格式》
§7.3.3 (``一、`` level 1, ``（一）`` level 2, ``1.`` level 3, ``（1）`` level 4), plus the variants
real reports use (``docs/checklists.md`` §E): full- and half-width brackets, ``1、`` ``1．`` ``7. ``
for level 3, ``第一部分``/``第一章`` (level 1, ranked above ``一、``), ``①`` (level 5, below
``（1）``), headings that run into their body on one line (the title ends at the first 。), and
``一是``/``二是`` paragraph openers as *points* below the current heading. Markdown ``#`` marks and
``**bold**`` are ignored: the numbering decides the level.

Not headings (each rule is one function below):

* table rows: Markdown/docx pipe rows, separator rows, lines of three or more bare numbers, and
  the row labels of the statutory tables of the 2021 national format (国办公开办函〔2021〕30号,
  ``docs/checklists.md`` §B) written as bare lines (:func:`is_table_line`);
* anything but a level-1 heading inside a *statutory table block* (from a table marker such as
  ``第二十条第（一）项`` or ``本列数据的勾稽关系`` to the next level-1 heading);
* numbers out of sequence (``一、`` after ``三、`` restarts a table's row labels; ``三、本法提供``
  repeats ``三``), decimals and dates (``2.3``, ``2020.1``), statute references (``（一）项``).

Public API: :func:`sections`, :func:`document_meta`, :func:`iter_sections`,
:func:`section_path_at`, :func:`is_table_line`, :func:`table_line_spans`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .document import Document, Span
from .normalize import fold
from .numerals import cn2an_value
from .packed import Packed

KINDS = ("annual-report-2021", "annual-report-legacy", "work-summary", "other")

__all__ = ["KINDS", "Section", "DocMeta", "sections", "document_meta", "iter_sections",
           "PackedSections", "section_dicts", "section_path_at", "is_table_line", "table_line_spans",
           "outline_lines", "STATUTORY_TABLE_LABELS"]


@dataclass(frozen=True, slots=True)
class Section:
    """One heading (or 一是/二是 point) and its body.

    Attributes
    ----------
    kind : str
        ``heading`` or ``point``.
    level : int
        1 = 一、, 2 = （一）, 3 = 1., 4 = （1） (GB/T 9704-2012 §7.3.3); 第一部分/第一章 are level 1
        and ① level 5 (extensions). A point's level is its parent's level + 1 (1 at top).
    number : str
        The numbering as written (``（一）``, ``(一)``, ``一、``, ``7.``, ``一是``).
    title : str
        The heading text without its number (run-in titles cut at the first 。！？);
        ``text[title_span.start:title_span.end] == title``.
    span : Span
        From the number to the end of the body (up to the next heading of the same or a higher
        level, trailing whitespace excluded); character offsets into ``Document.text``.
    title_span : Span
        The title's own characters.
    path : str
        Numbers from the root, brackets full width, joined with ``/`` (``二/（一）``,
        ``六/（二）/一是``); ``一、`` contributes ``一`` and ``7.`` contributes ``7``.
    children : tuple[Section, ...]
    line : int
        1-based line of the number in ``Document.text`` (0 when unknown).
    """

    kind: str
    level: int
    number: str
    title: str
    span: Span
    title_span: Span
    path: str
    children: tuple["Section", ...] = field(default=())
    line: int = 0


@dataclass(frozen=True, slots=True)
class DocMeta:
    """Document metadata.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`: ``annual-report-2021`` (statutory report in the 2021 national
        format), ``annual-report-legacy`` (statutory report in an older shape, e.g. the 2008
        regulation's), ``work-summary`` (a 工作总结), ``other``.
    issuer : str or None
        The organ writing, as the text names it (``市交通运输局``, ``西南街道办事处``, ``××街道``).
    year : int or None
        The year reported on (from the title, the statistical period, the opening sentence or
        the date line).
    title : str or None
        The report's own title (title lines joined, spaces between CJK and digits removed), or
        ``Document.title`` when the text has no title line of its own.
    """

    kind: str = "other"
    issuer: str | None = None
    year: int | None = None
    title: str | None = None

    def __reduce__(self):
        # Pickled as its fields in order (one per document comes back from a worker process);
        # the slots-dataclass default calls dataclasses.fields() on each side.
        return (DocMeta, (self.kind, self.issuer, self.year, self.title))


# ---------------------------------------------------------------------------------------------
# numbering
# ---------------------------------------------------------------------------------------------

_CN = "〇零一二三四五六七八九十百两"
_CN_DIGITS = "一二三四五六七八九十"
_OPEN, _CLOSE = "(（", ")）"

# rank: 0 第一部分/第一章, 1 一、, 2 （一）, 3 1., 4 （1）, 5 ①; level = _LEVEL[rank]
_LEVEL = {0: 1, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Leading decoration ignored before a number: spaces, Markdown heading marks, block quotes,
# bold/italic marks.
_LEAD = re.compile(r"[ \t\u3000]*(?:>[ \t]*)?(?:#{1,6}[ \t]*)?(?:\*\*|__|\*)?[ \t\u3000]*")

_NUMBERINGS = [
    # (rank, regex on folded text at the line's content start); group "n" is the value.
    (0, re.compile(r"第(?P<n>[一二三四五六七八九十]{1,3}|\d{1,2})(?:部分|章)[ \t\u3000、，,.：:]*")),
    (-1, re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})是")),  # point
    (1, re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})[ \t]*[、.．][ \t\u3000]*")),
    (2, re.compile(r"[(（][ \t]*(?P<n>[一二三四五六七八九十]{1,3})[ \t]*[)）][ \t\u3000、.]*")),
    (3, re.compile(r"(?P<n>\d{1,2})[ \t]*[.、](?![\d.])[ \t\u3000]*")),
    (4, re.compile(r"(?:[(（][ \t]*(?P<n>\d{1,2})[ \t]*[)）]|(?P<m>\d{1,2})[)）])[ \t\u3000、.]*")),
    (5, re.compile(r"(?P<n>[①-⑳])[ \t\u3000、.]*")),
]

#: The characters each numbering of :data:`_NUMBERINGS` can start with (``\d`` is a Unicode
#: decimal digit, ``str.isdecimal``): :func:`_candidate` tries only the numberings a line's first
#: character allows, in the same order.
_FIRST = {0: lambda c: c == "第", -1: lambda c: c in _CN_DIGITS, 1: lambda c: c in _CN_DIGITS,
          2: lambda c: c in "(（", 3: str.isdecimal, 4: lambda c: c in "(（" or c.isdecimal(),
          5: lambda c: "①" <= c <= "⑳"}
_BY_FIRST: dict[str, tuple] = {}

#: After 一、 or （一）: more numerals and a word that counts them (二类, 二级, 四月份, 四季度,
#: 十一月): the line lists numbers (三、四月份 = March and April), it is not a heading.
NUMERAL_ENUMERATION = re.compile(r"[一二三四五六七八九十]{1,3}[、类级等是月季]")

#: The end of a table-of-contents entry: leader dots (…… ····· ..... ———) and a page number.
#: A 目录 line 一、总体情况……1 names a heading; the heading itself comes later.
#: The end of a table-of-contents line: a leader (…, ....., ·····, ——, ---, ___) then a page
#: number. Each leader run is tried from its first character only (the lookbehinds): tried from
#: every character, a line of 490,000 dots took minutes (session-12 hostile-input test). Search
#: a slice, not from a position: the lookbehinds see the text before the position.
TOC_ENTRY_END = re.compile(r"(?:…|(?<!\.)\.{3,}|(?<!·)·{3,}|(?<!—)—{2,}|(?<!-)-{3,}|(?<!_)_{3,})"
                           r"[ \t\u3000]*\d{1,3}[ \t\u3000]*$")

def is_toc_entry(text: str) -> bool:
    """True when ``text`` (a line, or a heading's title) ends as a table-of-contents entry does
    (:data:`TOC_ENTRY_END`). The pattern is searched only when the text ends in a digit, as
    every match does: most lines end otherwise, and the search cost about 1 s per 10,000
    reports run on every line."""
    t = text[:-1] if text.endswith("\n") else text
    t = t.rstrip(" \t\u3000")
    return bool(t) and t[-1].isdecimal() and TOC_ENTRY_END.search(text) is not None


_TITLE_CUT = re.compile("[。！？!?]")
_MAX_TITLE = 200


@lru_cache(maxsize=256)
def _cn_value(numeral: str) -> int | None:
    """Integer value of a small Chinese numeral (一…九十九) or digit string; None if not one."""
    if numeral in _CIRCLED:
        return _CIRCLED.index(numeral) + 1
    if numeral.isdecimal():
        return int(numeral)
    try:
        return int(cn2an_value(numeral, "strict"))
    except Exception:  # cn2an raises ValueError on malformed numerals ("十十")
        return None


def _path_part(rank: int, value: int, number: str) -> str:
    """Path component: 一、→一, (一)→（一）, 7.→7, (1)→（1）, ①, 一是, 第一部分."""
    if rank == -1:
        return number
    if rank == 0:
        return number.rstrip(" \t\u3000、，,.：:")
    if rank == 1:
        return number.rstrip(" \t\u3000、.．")
    if rank == 2:
        return "（" + number.strip(" \t\u3000、.()（）") + "）"
    if rank == 3:
        return str(value)
    if rank == 4:
        return f"（{value}）"
    return number.strip(" \t\u3000、.")


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------

#: Row and column labels of the three statutory tables of the 2021 national format
#: (国办公开办函〔2021〕30号; ``docs/checklists.md`` §B). A line made of one of these (after an
#: optional number) plus numbers, or a truncated prefix of one, is a table row, not a heading.
STATUTORY_TABLE_LABELS = (
    "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "予以公开",
    "部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", "不予公开", "无法提供",
    "不予处理", "其他处理", "总计", "结转下年度继续办理", "属于国家秘密", "其他法律行政法规禁止公开",
    "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息", "属于四类过程性信息",
    "属于行政执法案卷", "属于行政查询事项", "本机关不掌握相关政府信息", "没有现成信息需要另行制作",
    "补正后申请内容仍不明确", "信访举报投诉类申请", "重复申请", "要求提供公开出版物",
    "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息",
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他",
    "信息内容", "规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
    "申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉",
)
_LABELS_FOLDED = tuple(sorted({fold(x) for x in STATUTORY_TABLE_LABELS}, key=len, reverse=True))

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$|^\s*\|.*\|.*\|")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_NUMBER_CELLS = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:[ \t\u3000]+\d+(?:\.\d+)?){2,}(?![\d.])")
# The same matches, written to open with a digit (the look-behind after the first digit), so
# the regex engine skips to digits instead of trying the look-behind at every character.
_NUMBER_CELLS_FAST = re.compile(
    r"\d(?<![\d.]\d)\d*(?:\.\d+)?(?:[ \t\u3000]+\d+(?:\.\d+)?){2,}(?![\d.])")
_CELL_TAIL = re.compile(r"[\s\d.,，%|\-—－]*$")
_ARTICLE_ITEM = re.compile(r"^第[一二三四五六七八九十]+条[ \t]*第[ \t]*[(（][一二三四五六七八九十]+[)）][ \t]*项")
_ANY_NUMBER = re.compile(r"(?:[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))[ \t\u3000]*")
_BLOCK_MARKERS = ("本列数据的勾稽关系", "本年新收政府信息公开申请数量")


def _strip_lead(line: str) -> str:
    return line[_LEAD.match(line).end():]


_LABEL_SET = frozenset(_LABELS_FOLDED)
_MAX_LABEL = max(map(len, _LABELS_FOLDED))
_LABEL_PREFIXES = frozenset(x[:i] for x in _LABELS_FOLDED for i in range(1, len(x)))
# Lengths of the labels, longest first, and their first characters: ``rest[:i]`` can be a label
# only for these (the same answer as trying every length down from _MAX_LABEL).
_LABEL_LENGTHS = tuple(sorted({len(x) for x in _LABELS_FOLDED}, reverse=True))
_LABEL_FIRST = frozenset(x[0] for x in _LABELS_FOLDED if x)
#: For each first character, the lengths of the labels opening with it, longest first (a label
#: ``rest[:i]`` opens with ``rest[0]``: only these lengths can match, in the same order).
_LABEL_LENGTHS_BY_FIRST = {c: tuple(sorted({len(x) for x in _LABELS_FOLDED if x[0] == c}, reverse=True))
                           for c in _LABEL_FIRST}


def _statutory_row(rest: str, numbered: bool) -> bool:
    """``rest`` (a line without its number) is a statutory table label followed only by cells
    (numbers, or the label's own bracketed note), or, after a number, a label cut short by a
    PDF line break."""
    rest = rest.strip().rstrip("*").strip()
    if not rest:
        return False
    if numbered and rest in _LABEL_PREFIXES:
        return True  # a truncated label: "（四）无", "（六）其", "1、申请人无正当理由逾期不补"
    lengths = _LABEL_LENGTHS_BY_FIRST.get(rest[0])
    if lengths is None:
        return False
    for i in lengths:
        if i > len(rest) or rest[:i] not in _LABEL_SET:
            continue
        tail = rest[i:]
        if _CELL_TAIL.fullmatch(tail):
            return True
        if tail[:1] in "（(" and "。" not in tail:
            close = max(tail.find("）"), tail.find(")"))
            if close == -1 or _CELL_TAIL.fullmatch(tail[close + 1:]):
                return True
    return False


def is_table_line(line: str) -> bool:
    """Whether one line of text is a row (or a piece of a row) of a table.

    True for Markdown/docx pipe rows (``| 规章 | 22 |``) and separator rows (``|---|---|``),
    lines with three or more bare numbers in a row (``1288 21 0 0 50 3 1362``: a PDF's table
    row), a statutory table caption (``第二十条第（一）项``), and bare lines made of a row label of
    the statutory tables of the 2021 national format (国办公开办函〔2021〕30号, listed in
    :data:`STATUTORY_TABLE_LABELS`) followed only by numbers, or cut short by a PDF line break
    (``（二）部分公开（区分处理的，只计这一情``, ``1、申请人无正当理由逾期不补``).

    Parameters
    ----------
    line : str
        One line, without its line break (full- or half-width; Markdown marks allowed).

    Returns
    -------
    bool
        Never raises. Numbered lines for which this is true are never headings; the figures
        stage uses it to tell table figures from prose figures.
    """
    if not line or not line.strip():
        return False
    return _table_folded(fold(line))


def _table_folded(s: str) -> bool:
    """:func:`is_table_line` on an already width-folded line."""
    if "|" in s and (_PIPE_ROW.search(s) or _SEPARATOR.match(s)):
        return True
    if "|" in s and "-" in s and _SEPARATOR.match(s):
        return True
    if s.count("\t") >= 2:
        return True
    if (" " in s or "\t" in s or "\u3000" in s) and _NUMBER_CELLS_FAST.search(s):  # cells need a gap
        return True
    body = _strip_lead(s).strip()
    if _ARTICLE_ITEM.match(body) and len(body) <= 16:
        return True
    m = _ANY_NUMBER.match(body)
    if m:
        return _statutory_row(body[m.end():], numbered=True)
    return _statutory_row(body, numbered=False)


def _block_marker(line: str) -> bool:
    """A (width-folded) line that opens a statutory table block (2021 format tables of 二, 三)."""
    if not ("第" in line or "申请人情况" in line or "勾稽" in line or "本年新收" in line):
        return False
    body = _strip_lead(line).lstrip("|").strip()
    if _ARTICLE_ITEM.match(body):
        return True
    if body.startswith("申请人情况"):
        return True
    return any(m in body for m in _BLOCK_MARKERS) and len(body) < 200


# ---------------------------------------------------------------------------------------------
# lines
# ---------------------------------------------------------------------------------------------

_VIRTUAL_BREAK = re.compile(
    r"[。！？!?]|[：:；;](?=[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}[、.．是]|[(（][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,2}[.、．](?!\d)|第[一二三四五六七八九十]{1,3}(?:部分|章)))")


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line (end before the line break). A text with (almost) no line
    breaks, or a line over 5,000 characters, is also cut after each 。！？ and after a ：；
    followed by a number, so that headings in it can be found (best effort for malformed
    input)."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    few_breaks = text.count("\n") < 3 and n > 2000
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl == -1 else nl
        if few_breaks or end - pos > 5000:
            s = pos
            for m in _VIRTUAL_BREAK.finditer(text, pos, end):
                cut = m.end()
                out.append((s, cut))
                s = cut
            out.append((s, end))
        else:
            out.append((pos, end))
        if nl == -1:
            break
        pos = nl + 1
    return out


class _Item:
    """A heading or point while the tree is being built (mutable; frozen into a Section)."""

    __slots__ = ("kind", "rank", "value", "number", "start", "cut", "title_start", "title_end", "line_no",
                 "parent", "children", "last", "last_point", "level", "end")

    def __init__(self, kind: str, rank: int, value: int, number: str, start: int, cut: int,
                 title_start: int, title_end: int, line_no: int, parent: "_Item | None" = None,
                 level: int = 0) -> None:
        self.kind, self.rank, self.value, self.number = kind, rank, value, number
        self.start = start            # offset of the number
        self.cut = cut                # where the previous item's body ends (line start, or number if mid-line)
        self.title_start, self.title_end, self.line_no = title_start, title_end, line_no
        self.parent = parent
        self.children: list[_Item] = []
        self.last: dict[int, int] = {}  # rank -> value of the last accepted child
        self.last_point = 0
        self.level = level
        self.end = 0


#: Characters a numbered line can start with: _LEAD's marks and spaces, then the first character
#: of a numbering (with ``str.isdigit``, the test of :func:`_candidate`).
_CANDIDATE_FIRST = frozenset(" \t\u3000>#*_" + _CN + "第(（" + _CIRCLED)


def _candidate(text: str, folded: str, start: int, end: int):
    """Parse a numbered line: ``(rank, value, number, number_start, title_start, title_end)``
    or None. ``rank`` -1 is a point."""
    lead = _LEAD.match(folded, start, end)
    p = lead.end() if lead else start
    if p >= end:
        return None
    ch = folded[p]
    if not (ch in _CN or ch in "第(（" or ch.isdigit() or ch in _CIRCLED):
        return None
    numberings = _BY_FIRST.get(ch)
    if numberings is None:
        numberings = _BY_FIRST[ch] = tuple((r, rx) for r, rx in _NUMBERINGS if _FIRST[r](ch))
    for rank, rx in numberings:
        m = rx.match(folded, p, end)
        if not m:
            continue
        raw = m.group("n") or (m.groupdict().get("m"))
        value = _cn_value(raw)
        if value is None or value == 0:
            continue
        t0 = m.end()
        if t0 >= end:
            return None
        nxt = folded[t0]
        if rank == 2 and nxt in "项款条目":          # 第二十条第（一）项: a statute reference
            return None
        if rank in (1, 2) and nxt in _CN_DIGITS and NUMERAL_ENUMERATION.match(folded, t0, end):
            return None                               # 一、二类 / 一、二级 / 三、四月份: an enumeration
        if rank == 3 and (nxt.isdigit() or nxt in "%％"):
            return None
        if rank == -1 and nxt in "否的":
            return None
        if is_toc_entry(folded[t0:end]):  # a slice: the leader test looks behind its start
            return None                               # 一、总体情况……1: a table-of-contents entry
        number = text[p:t0].rstrip(" \t\u3000")
        while t0 < end and folded[t0] in "*_ \t\u3000":   # （一）**强化组织领导**
            t0 += 1
        # title: to the first 。！？ (run-in heading), without trailing marks
        stop = _TITLE_CUT.search(folded, t0, min(end, t0 + _MAX_TITLE))
        t1 = stop.start() if stop else min(end, t0 + _MAX_TITLE)
        while t1 > t0 and folded[t1 - 1] in " \t\r\u3000*_:：，,;；、#":
            t1 -= 1
        if t1 - t0 < 1:
            return None
        return rank, value, number, p, t0, t1
    return None


_EMBEDDED = re.compile(r"(?<=\d)(?P<n>[一二三四五六七八九十]{1,2})、(?P<t>[^\d\n|。]{4,40})$")


def _accept(parent: _Item, rank: int, value: int) -> bool:
    """Sequence check: the first child at a rank is 1 or 2 (any number for the first level-1
    heading of a document, which may be an excerpt); later ones go up by one or two (a heading
    may be lost, like 五、 in a PDF extract); a list at rank 3+ may restart at 1."""
    prev = parent.last.get(rank)
    if prev is None:
        return value <= 2 or (parent.kind == "root" and rank <= 1)
    if prev < value <= prev + 2:
        return True
    return value == 1 and rank >= 3


def _line_facts(raw: str, line: str) -> tuple:
    """What :func:`_parse` reads from one line's own characters: ``(cand, block, glued)``.

    ``raw`` is the line of ``Document.text`` and ``line`` the same line width-folded (a line's
    folding depends on its characters only). ``cand`` is :func:`_candidate` on the line, None
    for a table row; ``block`` is :func:`_block_marker`; ``glued`` (only when ``cand`` is None) is
    ``(value, number_start, title_start, title_end, glued_to_table)`` of a level-1 heading a PDF
    extractor glued to the end of a table row (``…103四、政府信息公开行政复议``), offsets relative to
    the line; ``glued_to_table`` is true when what precedes it is a table row or only cells.
    Whether such a heading is taken depends on the parse so far (:func:`_parse`). None of the
    patterns looks outside the line: :data:`_EMBEDDED`'s look-behind needs a digit, and the
    character before a line is a line break or a virtual break's punctuation (:func:`_lines`).
    """
    n = len(line)
    ch = line[0]  # a line that cannot open with a number is no candidate (see _candidate)
    cand = _candidate(raw, line, 0, n) if ch in _CANDIDATE_FIRST or ch.isdigit() else None
    if cand is not None and _table_folded(line):
        cand = None
    glued = None
    if cand is None:
        lo = max(0, n - 60)
        m = _EMBEDDED.search(line, lo) if line.find("、", lo) >= 0 else None
        if m:
            value = _cn_value(m.group("n"))
            if value and not _statutory_row(m.group("t"), True):
                glued = (value, m.start("n"), m.start("t"), m.end("t"),
                         _table_folded(line) or not _CELL_TAIL.sub("", line[:m.start()]).strip())
    return cand, _block_marker(line), glued


#: Per-process memo of :func:`_line_facts` for lines of at most :data:`_MEMO_LINE_CHARS`
#: characters (headings recur from report to report), keyed by the line of ``Document.text``;
#: at most :data:`_MEMO_LINES` entries (then it starts afresh).
_LINE_FACTS: dict[str, tuple] = {}
_MEMO_LINE_CHARS = 100
_MEMO_LINES = 8192


def _parse(document: Document) -> list[_Item]:
    """The heading tree as :class:`_Item` roots, ends set (:func:`_close`)."""
    text = document.text
    folded = document.folded
    root = _Item("root", -2, 0, "", 0, 0, 0, 0, 0, level=0)
    stack: list[_Item] = [root]
    items: list[_Item] = []
    in_block = False
    memo = _LINE_FACTS
    lines = _lines(text)
    for line_no, (start, end) in enumerate(lines, 1):
        if start >= end:
            continue
        line = folded[start:end]
        if line.isspace():
            continue
        raw = line if folded is text else text[start:end]
        if end - start <= _MEMO_LINE_CHARS:
            facts = memo.get(raw)
            if facts is None:
                if len(memo) >= _MEMO_LINES:
                    memo.clear()
                facts = memo[raw] = _line_facts(raw, line)
        else:
            facts = _line_facts(raw, line)
        cand, block, glued = facts
        if cand is None:
            if block:
                in_block = True
            if glued is not None:
                value, ns, ts, te, glued_to_table = glued
                if (in_block or glued_to_table) and root.last.get(1, 0) + 1 == value:
                    item = _Item("heading", 1, value, raw[ns:ts], start + ns, start + ns, start + ts,
                                 start + te, line_no, parent=root)
                    del stack[1:]
                    _attach(item, root, stack, items)
                    in_block = False
            continue
        rank, value, number, p, t0, t1 = cand
        if rank == -1:
            if in_block:
                continue
            parent = stack[-1]
            if not (value == 1 or parent.last_point < value <= parent.last_point + 2):
                continue
            item = _Item("point", -1, value, number, start + p, start, start + t0, start + t1, line_no,
                         parent=parent)
            parent.last_point = value
            parent.children.append(item)
            items.append(item)
            continue
        if in_block and rank > 1:
            continue
        # parent: the innermost open heading of a higher rank
        depth = len(stack) - 1
        while depth > 0 and stack[depth].rank >= rank:
            depth -= 1
        parent = stack[depth]
        if not _accept(parent, rank, value):
            continue
        del stack[depth + 1:]
        item = _Item("heading", rank, value, number, start + p, start, start + t0, start + t1, line_no,
                     parent=parent)
        _attach(item, parent, stack, items)
        if rank <= 1:
            in_block = False
        if block:
            in_block = True
    _close(items, len(text), text)
    if len(lines) != text.count("\n") + 1:  # virtual lines (see _lines): numbers of real lines
        for it in items:
            it.line_no = document.line_col(it.start)[0]
    # parent <-> children is a reference cycle: without the back links the items are freed by
    # reference counting as soon as they are frozen into Sections, not left to the cyclic
    # collector (they were all the cyclic garbage the per-document stages made)
    for it in items:
        it.parent = None
    return root.children


def _attach(item: _Item, parent: _Item, stack: list[_Item], items: list[_Item]) -> None:
    parent.last[item.rank] = item.value
    item.level = _LEVEL[item.rank]
    parent.children.append(item)
    stack.append(item)
    items.append(item)


def _close(items: list[_Item], n: int, text: str) -> None:
    """Give every item its end: the next heading of the same or a higher rank (a point: the
    next item of any kind), bounded by the parent's end; trailing whitespace excluded."""
    # backwards, with the start ("cut") of the next heading of each rank, kept only for the
    # ranks at or above the last heading seen (a heading closes every deeper one)
    nxt_by_rank: dict[int, int] = {}
    nxt_any = n
    for it in reversed(items):
        if it.kind == "point":
            it.end = nxt_any
        else:
            rank = it.rank
            e = n
            for r, v in nxt_by_rank.items():
                if r <= rank and v < e:
                    e = v
            it.end = e
            if any(r > rank for r in nxt_by_rank):
                nxt_by_rank = {r: v for r, v in nxt_by_rank.items() if r < rank}
            nxt_by_rank[rank] = it.cut
        nxt_any = it.cut
    for it in items:  # document order: parents before children, so a parent's end is final
        e = it.end
        parent = it.parent
        if parent is not None and parent.kind != "root" and parent.end < e:
            e = parent.end
        while e > it.start and text[e - 1].isspace():
            e -= 1
        it.end = e if e > it.title_end else it.title_end


def _freeze(item: _Item, text: str, prefix: str, parent_level: int) -> Section:
    part = _path_part(item.rank, item.value, item.number)
    path = f"{prefix}/{part}" if prefix else part
    level = item.level if item.kind == "heading" else parent_level + 1
    children = tuple([_freeze(c, text, path, level) for c in item.children]) if item.children else ()
    return Section(item.kind, level, item.number, text[item.title_start:item.title_end],
                   Span(item.start, item.end), Span(item.title_start, item.title_end), path, children,
                   item.line_no)


def sections(document: Document, tokens=None) -> list[Section]:
    """Return the document's heading forest.

    Parameters
    ----------
    document : Document
        Any document; malformed text (no line breaks, one 5 MB line, headings only, numbering
        that jumps levels) gives a best-effort tree.
    tokens : Tokens or None
        Unused (the numbering is read from the characters); kept for the stage interface.

    Returns
    -------
    list[Section]
        Top-level sections in document order, children nested (pre-order by
        :func:`iter_sections`). Spans are character offsets into ``document.text``; a parent's
        span contains its children's. Never raises for any ``str`` text.
    """
    text = document.text or ""
    if not text.strip():
        return []
    return [_freeze(it, text, "", 0) for it in _parse(document)]


def iter_sections(forest: list[Section]):
    """Yield every section of a forest in document order (pre-order)."""
    for s in forest:
        yield s
        yield from iter_sections(list(s.children))


class PackedSections(Packed):
    """A heading forest as flat tuples in pre-order: what a worker process sends the parent
    (fewer objects to build there than :class:`Section` trees with two :class:`Span` each). A
    read-only sequence of the root :class:`Section` objects, equal to the forest it was packed
    from; the trees are built on first access, and :meth:`rows` gives the output rows without
    building them.

    Parameters
    ----------
    data : tuple of tuple
        One ``(kind, level, number, title, start, end, title_start, title_end, path, line,
        n_children)`` per section, in document order (pre-order); offsets in characters into
        ``Document.text``.
    """

    __slots__ = ()

    @classmethod
    def pack(cls, forest: list[Section]) -> "PackedSections":
        """The packed form of ``forest`` (a list of root :class:`Section`)."""
        return cls(tuple((s.kind, s.level, s.number, s.title, s.span.start, s.span.end, s.title_span.start,
                          s.title_span.end, s.path, s.line, len(s.children)) for s in iter_sections(forest)))

    def _unpack(self, data: tuple) -> list[Section]:
        pos = 0

        def build() -> Section:
            nonlocal pos
            kind, level, number, title, start, end, t0, t1, path, line, n = data[pos]
            pos += 1
            children = tuple(build() for _ in range(n))
            return Section(kind, level, number, title, Span(start, end), Span(t0, t1), path, children, line)

        roots = []
        while pos < len(data):
            roots.append(build())
        return roots

    def __len__(self) -> int:
        """The number of root sections, from the tuples (without building the trees): every
        section but a root is counted once in its parent's number of children."""
        if self._objects is not None:
            return len(self._objects)
        return len(self.data) - sum(row[-1] for row in self.data)

    def rows(self, doc_id: str) -> list[dict]:
        """The output rows, as :func:`section_dicts` gives them (without building Sections)."""
        return [{"doc_id": doc_id, "kind": kind, "level": level, "number": number, "path": path, "title": title,
                 "start": start, "end": end, "chars": end - start}
                for kind, level, number, title, start, end, _t0, _t1, path, _line, _n in self.data]


def section_dicts(doc_id: str, forest) -> list[dict]:
    """One output row per heading of ``forest``, pre-order (the per-heading rows of pipeline.py;
    not part of the output contract).

    Parameters
    ----------
    doc_id : str
        The document's id, put in every row.
    forest : list of Section or PackedSections
        The root sections of one document (:func:`sections`), n sections in all with their
        descendants.

    Returns
    -------
    list of dict
        n rows, pre-order, with keys ``doc_id``, ``kind``, ``level``, ``number``, ``path``,
        ``title``, ``start``, ``end`` (``[start, end)`` in characters into ``Document.text``) and
        ``chars`` (``end - start``). A :class:`PackedSections` gives its rows without building
        Section objects (:meth:`PackedSections.rows`); both forms give equal rows. Raises
        nothing.
    """
    if isinstance(forest, PackedSections):
        return forest.rows(doc_id)
    return [{"doc_id": doc_id, "kind": s.kind, "level": s.level, "number": s.number, "path": s.path,
             "title": s.title, "start": s.span.start, "end": s.span.end, "chars": len(s.span)}
            for s in iter_sections(forest)]


def section_path_at(forest: list[Section], offset: int, include_points: bool = True) -> str | None:
    """The ``path`` of the innermost section whose span contains ``offset``, or None.

    Parameters
    ----------
    forest : list[Section]
    offset : int
        Character offset into ``Document.text``.
    include_points : bool
        When False, 一是/二是 points are skipped (the path of their heading is returned).
    """
    best = None
    for s in iter_sections(forest):
        if not include_points and s.kind == "point":
            continue
        if s.span.start <= offset < s.span.end:
            best = s
    return best.path if best else None


def table_line_spans(document: Document) -> list[Span]:
    """Spans of the lines of ``document`` that are table rows (:func:`is_table_line`).

    Returns
    -------
    list[Span]
        One span per table line (line break excluded), in document order.
    """
    text = document.text or ""
    out = []
    pos = 0
    for line in text.split("\n"):
        if is_table_line(line):
            out.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    return out


def outline_lines(document: Document, forest: list[Section] | None = None) -> list[str]:
    """The outline as text lines: ``line  level  indent number title`` (the CLI's tree)."""
    forest = sections(document) if forest is None else forest
    rows = []

    def walk(nodes, depth):
        for s in nodes:
            mark = "· " if s.kind == "point" else ""
            rows.append(f"{s.line:>6}  {s.level:>3}  {'  ' * depth}{mark}{s.number} {s.title}")
            walk(s.children, depth + 1)

    walk(forest, 0)
    return rows


# ---------------------------------------------------------------------------------------------
# metadata
# ---------------------------------------------------------------------------------------------

_GENERIC_FIRST_LINES = {"正文", "目录", "附件", "全文", "首页", "打印", "关闭", "下载", "来源"}
_TITLE_ENDS = ("报告", "总结", "模板", "汇报", "计划", "通知", "情况")
_CJK = r"\u3400-\u9fff"
_SPACE_CJK = re.compile(rf"(?<=[{_CJK}\d])[ \t\u3000]+(?=[{_CJK}])|(?<=[{_CJK}])[ \t\u3000]+(?=[\d{_CJK}])")
_DATE_LINE = re.compile(r"^[(（]?\s*(19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[)）]?$")


def _join_cjk(s: str) -> str:
    """``s`` without the spaces between CJK characters and digits (:data:`_SPACE_CJK`; a string
    without a space, tab or ideographic space is returned as it is, unscanned)."""
    if " " in s or "\t" in s or "\u3000" in s:
        return _SPACE_CJK.sub("", s)
    return s


def _clean_title_line(line: str) -> str:
    s = line.strip().lstrip("#").strip().strip("*").strip()
    return s


def _title(document: Document) -> str | None:
    lines = document.text.split("\n", 12)[:12]
    parts: list[str] = []
    for raw in lines:
        s = _clean_title_line(raw)
        if not s:
            if parts:
                break
            continue
        if not parts and s in _GENERIC_FIRST_LINES:
            continue
        if (len(s) > 60 or any(c in s for c in "。，,；;：:") or _DATE_LINE.match(s)
                or is_table_line(s) or _candidate(s, fold(s), 0, len(s))):
            break
        parts.append(s)
        if s.endswith(_TITLE_ENDS) or len(parts) == 3:
            break
    if parts and "".join(parts).endswith(_TITLE_ENDS):
        return _join_cjk("".join(parts))
    return document.title or None


_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年")
_PERIOD = re.compile(r"统计(?:期限|时限|区间|时间|期间)[^。\n]{0,12}?((?:19|20)\d\d)\s*年")
_OPENING_YEAR = re.compile(r"(?m)^[ \t\u3000#*]*((?:19|20)\d\d)\s*年(?:度)?[，,\s]")
_DATE = re.compile(r"(?m)^[ \t\u3000(（]*((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日[ \t)）]*$")

_ORGAN_SUFFIXES = ("人民政府办公厅", "人民政府办公室", "人民政府", "街道办事处", "办事处", "街道",
                   "管理委员会", "管委会", "委员会", "管理局", "运输局", "局", "厅", "委", "办公室", "镇", "乡")
_ORGAN = re.compile(
    r"(?:^|(?<=[，,。；;：:\n（(、]))[ \t\u3000]*(?:\d{4}\s*年[，,\s]*)?"
    r"(?P<o>(?:[××XxＸｘ]{1,2}|[" + _CJK + r"]{1,12}?)(?:" + "|".join(_ORGAN_SUFFIXES) + r"))")
#: What can follow a shortest organ match (青山镇, 东湖街道) as part of the same name.
_ORGAN_TAIL = re.compile(r"人民政府(?:办公厅|办公室)?|办事处")
_NOT_NAME_START = set("我本该全各其此今近以对在由与和及为按将从把请向经")
#: Names that begin with one of those characters all the same: development zones (经开区,
#: 经济技术开发区; the session-15 fresh-user test saw 经开区's summary get no issuer).
_NAME_STARTS = ("经开", "经济技术开发", "经济开发")
# What follows the organ when it is the subject of a report's opening sentence
# (市交通运输局以…, 西南街道办事处(以下简称…), ××街道紧紧围绕…, 上海市人民政府办公厅坚持…).
_SUBJECT_NEXT = re.compile(r"[(（]以下简称|以|坚持|认真|紧紧|紧扣|严格|为|按照|根据|依据|在|把|全面|深入|进一步"
                           r"|始终|高度|积极|围绕|环绕|扎实|着力|持续|深化|立足|聚焦|结合|不断|切实|共|全年|继续")


def _issuer_from(s: str, subject: bool = False) -> str | None:
    """The first organ name in ``s`` (``subject``: only one that opens a sentence as its
    subject, followed by a verb or adverb of :data:`_SUBJECT_NEXT`)."""
    s = _join_cjk(s)
    for m in _ORGAN.finditer(s):
        o, end = m.group("o"), m.end()
        tail = _ORGAN_TAIL.match(s, end)
        if tail:  # 青山镇 + 人民政府: the township's government, not the township
            o, end = o + tail.group(), tail.end()
        if subject and not _SUBJECT_NEXT.match(s, end):
            continue
        core = o
        for suf in _ORGAN_SUFFIXES:
            if core.endswith(suf):
                core = core[: -len(suf)]
                break
        if not core or (core[0] in _NOT_NAME_START and not core.startswith(_NAME_STARTS)) \
                or len(core) < 2 and core not in "市县区省":
            continue
        if core in ("市", "县", "区", "省") and not o.endswith(("局", "委员会")):
            continue
        return o
    return None


def _issuer(document: Document, title: str | None) -> str | None:
    if title:
        t = _join_cjk(title)
        t = _YEAR_IN_TITLE.sub("", t)
        m = re.match(r"^(.*?)(?:政府信息公开|政务公开|信息公开|工作总结|工作年度报告|年度报告)", t)
        if m and m.group(1):
            o = _issuer_from(m.group(1))
            if o:
                return o
    head = document.text[:1500]
    for raw in head.split("\n")[:6]:  # a bare organ line under the title (沭阳, 淮安)
        s = _clean_title_line(raw)
        if s and len(s) <= 20 and s.endswith(_ORGAN_SUFFIXES):
            o = _issuer_from(s)
            if o == _join_cjk(s):
                return o
    o = _issuer_from(head, subject=True)
    if o:
        return o
    tail = document.text[-300:]
    for raw in reversed(tail.split("\n")):
        s = raw.strip()
        if s and len(s) <= 20 and s.endswith(_ORGAN_SUFFIXES):
            return _issuer_from(s)
    return None


def _year(document: Document, title: str | None) -> int | None:
    for t in (title, document.title):
        if t:
            m = _YEAR_IN_TITLE.search(t)
            if m:
                return int(m.group(1))
    text = document.folded
    m = _PERIOD.search(text)
    if m:
        return int(m.group(1))
    m = _OPENING_YEAR.search(text[:3000])
    if m:
        return int(m.group(1))
    m = _DATE.search(text[-400:]) or _DATE.search(text[:400])
    if m:
        y, month = int(m.group(1)), int(m.group(2))
        return y - 1 if month <= 3 else y
    return None


_STATUTORY_TOPICS = ("主动公开政府信息", "依申请公开", "政府信息公开申请", "行政复议", "行政诉讼",
                     "收费及减免", "公开收费", "支出与收费", "咨询处理", "其他需要报告的事项")
#: Any of :data:`_STATUTORY_TOPICS` (as a substring), one alternation.
_TOPICS = re.compile("|".join(map(re.escape, _STATUTORY_TOPICS)))
_MARKERS_2021 = re.compile(r"第二十条\s*第\s*[（(]\s*[一五六八]\s*[)）]\s*项|本年新收政府信息公开申请数量"
                           r"|本年制发件数|国办公开办函\s*〔\s*2021\s*〕\s*30\s*号"
                           r"|收到和处理政府信息公开申请情况")
#: Section titles that only the 2021 format uses (its 四; the 2008 regulation's item reads
#: 因政府信息公开申请行政复议、提起行政诉讼的情况).
_HEADINGS_2021 = re.compile(r"^政府信息公开行政复议\s*[、，,]\s*行政诉讼情况")
#: A statutory annual report's title: 年度报告, 年报, or 年度…工作报告 (2023年度政务公开工作报告)
#: and (:data:`_DISCLOSURE_TITLE`) its subject.
_ANNUAL_TITLE = re.compile(r"年度报告|年报|年度\S{0,12}工作报告")
_DISCLOSURE_TITLE = re.compile(r"信息公开|政务公开")
#: First report year of the 2021 format: 国办公开办函〔2021〕30号 applies from the annual
#: reports on 2021 on (``docs/checklists.md``).
FORMAT_2021_FROM_YEAR = 2021


def _kind(document: Document, forest: list[Section], title: str | None,
          year: int | None = None) -> str:
    top = [s.title for s in forest if s.kind == "heading"]
    topics = sum(1 for t in top if _TOPICS.search(t))
    text = document.text
    # the year first: it settles most reports without a scan of the text
    is_2021 = (year is not None and year >= FORMAT_2021_FROM_YEAR) or bool(_MARKERS_2021.search(text)) \
        or any(_HEADINGS_2021.search(t) for t in top)
    # a 年度报告 about information disclosure (not any 年度报告: 法治政府建设年度报告 is not one)
    titled_report = bool(title and _ANNUAL_TITLE.search(title) and _DISCLOSURE_TITLE.search(title)) \
        or "政府信息公开工作年度报告" in text[:300]
    if topics >= 2 or (titled_report and (is_2021 or topics >= 1)):
        return "annual-report-2021" if is_2021 else "annual-report-legacy"
    if titled_report:
        return "annual-report-2021" if is_2021 else "annual-report-legacy"
    heads = " ".join(top)
    if (title and "总结" in title) or "总结如下" in text[:1500] or "工作总结" in text[:300] \
            or any(k in heads for k in ("存在问题", "下一步", "主要做法", "工作打算")):
        return "work-summary"
    return "other"


def document_meta(document: Document, forest: list[Section]) -> DocMeta:
    """Infer kind, issuer, year and title of ``document``.

    Parameters
    ----------
    document : Document
    forest : list[Section]
        The document's :func:`sections`.

    Returns
    -------
    DocMeta
        ``kind``: a statutory report when at least two level-1 headings name statutory items
        (主动公开政府信息, 依申请公开, 行政复议/诉讼, 收费, 咨询处理…; 《政府信息公开条例》 Art. 50
        and the 2008 regulation's Art. 32) or the title says 年度报告; ``annual-report-2021``
        when the report's year is 2021 or later (the 2021 format, 国办公开办函〔2021〕30号,
        applies from the 2021 annual reports on) or the text carries the 2021 format's markers
        (第二十条第（一）项 tables, 本年制发件数, 本年新收…, 国办公开办函〔2021〕30号,
        收到和处理政府信息公开申请情况, a heading 政府信息公开行政复议、行政诉讼情况), else
        ``annual-report-legacy`` (a year before 2021 or no year, and none of the markers);
        otherwise ``work-summary`` for a 总结 (title, 总结如下, 存在问题/下一步 headings), else
        ``other``. Never raises.
    """
    try:
        title = _title(document)
    except Exception:  # pragma: no cover - defensive: metadata must never stop the pipeline
        title = document.title or None
    year = _year(document, title)
    return DocMeta(kind=_kind(document, forest, title, year), issuer=_issuer(document, title),
                   year=year, title=title)
