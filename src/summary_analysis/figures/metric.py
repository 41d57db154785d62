"""Metric: the noun phrase a figure counts, read from the figure's own clause.

``主动公开政府信息68条`` → 主动公开政府信息 (the phrase before the number); ``新增4个触摸屏`` →
触摸屏 (after the number, when what precedes it is a verb such as 新增, 安排, 有, 组织). The metric
never leaves the clause (clause boundaries: ，。；：！？、 and line breaks; at most
:data:`MAX_CLAUSE_CHARS` characters either side of the figure); leading time and
scope words (全年, 累计, 其中, 全县…) and trailing copulas (达, 为, 共计…) are trimmed.
"""

from __future__ import annotations

import bisect
import re
import sys
from functools import lru_cache

#: Clause boundaries for the phrase before a figure.
BEFORE_BOUNDARY = set("，。；：！？,;:!?、\n|（）()“”‘’\"")
#: Clause boundaries for the phrase after a figure (brackets allowed inside: 村(居)).
AFTER_BOUNDARY = set("，。；：！？,;:!?、\n|“”‘’《》\"")

_LEADING = re.compile(
    r"^(?:其中|全年|今年|年内|本年度|本年|累计|共计|合计|总计|另有|此外|同时|目前|截至目前|均|还|已|"
    r"全县|全市|全区|我县|我市|我区|我局|街道|并|共|(?:19|20)(?:\d\d|[xX]{2})[ \t]*年度?|[xX]{2}年度?|"
    r"\d+月\d+日|[ \t])+")
_TRAILING = re.compile(r"(?:数量达|达到|达|为|是|共计|共|计|约|近|超过|超|逾|有|了|均|分别|合计|累计|总计|[ \t])+$")
#: Verbs after which the counted noun follows the number (新增4个触摸屏).
VERBS = ("有", "设", "设有", "拥有", "共有", "新增", "安排", "确定", "组织", "召开", "开展", "推送", "涌现",
         "完成", "举办", "配备", "选派", "建成", "建立", "形成", "分为", "覆盖", "上线", "开设", "发出",
         "印发", "编制", "出具", "增加", "打造", "建设", "聘请", "培训", "接待", "新建", "设立", "落实",
         "制定", "收取", "涉及", "包括", "含", "原有", "部署", "投入", "组建", "成立", "发放", "提供")
_AFTER_CUT = re.compile(r"(?:从事|负责|具体|进行|的|用于|参加|参与|实现|[ \t]*(?:超过?|近|约|达)?[ \t]*\d)")
_FUNCTION_START = tuple("的以内前后之左至和及与或等是为在")
#: Longest stretch (characters) read on either side of a figure for its metric. Real clauses
#: are far shorter; the cap keeps a text without punctuation (one huge "clause") linear.
MAX_CLAUSE_CHARS = 80


def _strip_before(s: str) -> str:
    s = s.strip()
    s = _LEADING.sub("", s)
    t = _TRAILING.sub("", s)
    return t if len(t) >= 2 else s


class ClauseBounds:
    """Positions of the clause boundaries of one text, for :func:`clause_metric`.

    Built once per text (one regex pass for each boundary set); each lookup is then a
    bisection instead of a character-by-character walk, so a text with long clauses (one very
    long line without punctuation) no longer costs a walk per figure.

    Parameters
    ----------
    text : str
        The width-folded document text passed to :func:`clause_metric`.
    """

    __slots__ = ("text", "_before", "_after")

    def __init__(self, text: str) -> None:
        self.text = text
        self._before = [m.start() for m in _BEFORE_RE.finditer(text)]
        self._after = [m.start() for m in _AFTER_RE.finditer(text)]

    def clause_start(self, pos: int) -> int:
        """Offset after the last :data:`BEFORE_BOUNDARY` character before ``pos`` (0 if none)."""
        i = bisect.bisect_left(self._before, pos)
        return self._before[i - 1] + 1 if i else 0

    def clause_end(self, pos: int) -> int:
        """Offset of the first :data:`AFTER_BOUNDARY` character at or after ``pos`` (text end
        if none)."""
        i = bisect.bisect_left(self._after, pos)
        return self._after[i] if i < len(self._after) else len(self.text)


def _char_class(chars: set[str]) -> re.Pattern:
    return re.compile("[%s]" % "".join(re.escape(c) for c in sorted(chars)))


_BEFORE_RE = _char_class(BEFORE_BOUNDARY)
_AFTER_RE = _char_class(AFTER_BOUNDARY)
_LAST_BEFORE = re.compile(r"(?s:.*)" + _BEFORE_RE.pattern)


def clause_metric(text: str, num_start: int, fig_end: int, prenominal: bool = False,
                  bounds: ClauseBounds | None = None) -> str | None:
    """The metric of the figure at ``[num_start, fig_end)`` in ``text``.

    Parameters
    ----------
    text : str
        The width-folded document text.
    num_start, fig_end : int
        Character offsets of the figure (number through unit).
    prenominal : bool
        Prefer the phrase after the figure (Chinese numerals: 三条政务信息网络带).
    bounds : ClauseBounds or None
        The clause boundaries of ``text``, built once (same result); None finds them with a
        regex search inside the :data:`MAX_CLAUSE_CHARS` windows on either side, which is as
        fast for the few dozen figures of a report.

    Returns
    -------
    str or None
        A substring of the figure's clause (≥ 2 characters), or None when the clause names
        nothing but a verb.
    """
    if bounds is not None and bounds.text is text:
        j = max(bounds.clause_start(num_start), num_start - MAX_CLAUSE_CHARS)
        k = min(bounds.clause_end(fig_end), fig_end + MAX_CLAUSE_CHARS)
    else:
        # the same offsets, found inside the MAX_CLAUSE_CHARS windows only
        lo = max(0, num_start - MAX_CLAUSE_CHARS)
        m = _LAST_BEFORE.match(text, lo, num_start)  # greedy: up to the last boundary
        j = m.end() if m else lo
        hi = fig_end + MAX_CLAUSE_CHARS
        m = _AFTER_RE.search(text, fig_end, hi)
        k = m.start() if m else min(len(text), hi)
    before_raw = text[j:num_start]
    return _metric_of(before_raw, text[fig_end:k], prenominal)


@lru_cache(maxsize=8192)
def _metric_of(before_raw: str, after_raw: str, prenominal: bool) -> str | None:
    """The metric from the clause text before the number and after the figure.

    Everything :func:`clause_metric` returns depends on these two strings only, so it is
    memoised: reports of one template repeat their clauses (49 distinct clauses among 19,553
    figures of 500 generated reports). The metric is returned interned (the figures keep the
    interned string; interning an interned string again is a flag test).
    """
    m = _metric_plain(before_raw, after_raw, prenominal)
    return None if m is None else sys.intern(m)


def _metric_plain(before_raw: str, after_raw: str, prenominal: bool) -> str | None:
    """:func:`_metric_of` without memo and interning (the definition)."""
    before_lead = _LEADING.sub("", before_raw.strip())
    after = after_raw.strip()
    cut = _AFTER_CUT.search(after)
    if cut:
        after = after[: cut.start()]
    after = after.strip()
    while after and after[-1] in "）)" and (after.count("）") + after.count(")")
                                            > after.count("（") + after.count("(")):
        after = after[:-1]
    if after and not (after[0].isalpha()):
        after = ""
    verbish = _SCOPE_END.sub("", before_lead.rstrip("了 \t"))
    use_after = bool(after) and len(after) >= 2 and not after.startswith(_FUNCTION_START) and (
        prenominal or not verbish or verbish.endswith(VERBS) or verbish.startswith("在"))
    if use_after:
        return after
    before = _strip_before(before_raw)
    titled = _AFTER_TITLES.search(before)
    if titled:
        before = titled.group(1)
    if len(before) < 2 or before.rstrip("了") in VERBS:
        if after and len(after) >= 2 and not after.startswith(_FUNCTION_START):
            return after
        return None
    return before


_SCOPE_END = re.compile(r"(?:全县|全市|全区|全省|全国|各类|各)$")
#: A phrase naming titles before what they are (``《项目进行时》《沐阳“网”事》等专栏``, where the
#: quotes inside a title also cut the clause, leaving ``事》等专栏``): the metric is what follows
#: the last title (``专栏``).
_AFTER_TITLES = re.compile(r"》(?:等|等等)?([^《》]{2,})$")


__all__ = ["clause_metric", "ClauseBounds", "VERBS"]
