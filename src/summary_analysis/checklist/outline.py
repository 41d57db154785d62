"""The coarse outline the checklist scorer works on: top-level parts and their sub-parts.

The structure stage (:mod:`summary_analysis.sections`) gives the full heading tree; this module
reads its level-1 and level-2 headings and adds what a line scan finds on the text itself, so that
completeness never hinges on one heading parser (and still works on text where a heading runs
into a table row, as in PDF extracts: ``…103四、政府信息公开行政复议、行政诉讼情况``).

Headings follow GB/T 9704-2012 §7.3.3 (一、 level 1, （一） level 2). A numbered line is a level-1
part when its number continues the sequence (一, 二, 三 …) or its title names a checklist item; a
line matching one of the checklist's ``not_headings`` patterns (the statutory table's rows reuse
一、二、三、四、 and （一）…（七）) never is. Pipe-table rows are never headings.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..document import Span
from ..normalize import fold, small_number
from ..sections import NUMERAL_ENUMERATION, is_toc_entry

_CN = "一二三四五六七八九十"
_L1 = re.compile(rf"^(?:第([{_CN}]{{1,3}})部分|([{_CN}]{{1,3}})[、.．])\s*")
_L2 = re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)]\s*")
_L1_FIRST = frozenset("第" + _CN)  # the characters _L1 can open with
_L2_FIRST = frozenset("（(")  # and _L2
_MID = re.compile(rf"([{_CN}]{{1,2}})、")
# a 、 after a numeral: true wherever _MID matches (opens with the literal, so it is a fast scan)
_MID_HINT = re.compile(rf"、(?<=[{_CN}]、)")
_MD = re.compile(r"^(#{1,6})\s*")
# a table's caption (``## 表二：主动公开政府信息情况`` in PDF extracts) is not a heading
_CAPTION = re.compile(r"^表[一二三四五六七八九十\d]+")


def cn_number(s: str) -> int:
    """Value of a Chinese numeral up to 99 (``十二`` → 12); 0 when not one. See
    :func:`summary_analysis.normalize.small_number` (memoised: headings use few numerals)."""
    return _small_number(s)


_small_number = lru_cache(maxsize=1024)(small_number)


def _key(text: str) -> str:
    if _FOLDABLE is None or _FOLDABLE.search(text):
        text = fold(text)
    # ``str.split()`` cuts at ``str.isspace`` characters, which are what ``\s`` matches
    parts = text.split()
    return parts[0] if len(parts) == 1 else "".join(parts)


#: Characters :func:`fold` changes (the text is folded only when it holds one of them).
_FOLDABLE = None
try:
    from ..normalize import _TABLE as _FOLD_TABLE

    _FOLDABLE = re.compile("[%s]" % "".join(re.escape(chr(c)) for c in sorted(_FOLD_TABLE)))
except ImportError:  # pragma: no cover - normalize without a table: always fold
    pass

_key_cached = lru_cache(maxsize=4096)(_key)

#: Lines and titles up to this many characters are memoised (they recur within a report: the
#: outline scan, the content match and the table-of-contents test key the same lines).
_CACHED_CHARS = 512


def _fold_keeps_spaces() -> bool:
    """Whether :func:`fold` maps every whitespace character to whitespace and every other
    character to a non-whitespace one (so a line's key is as long as its non-space part)."""
    try:
        from ..normalize import _TABLE as table
    except ImportError:  # pragma: no cover - normalize without a table: assume nothing
        return False
    return all(chr(a).isspace() == chr(b).isspace() for a, b in table.items())


_FOLD_KEEPS_SPACES = _fold_keeps_spaces()


def _key_over_30(s: str) -> bool:
    """True only when ``key_of(s)`` is longer than 30 characters, judged on the first 64
    characters of ``s``: more than 30 of them are not whitespace. (``fold`` keeps length and maps
    whitespace to whitespace and nothing else to it, :data:`_FOLD_KEEPS_SPACES`, so each of them
    stays in the key.) False when it cannot tell."""
    return _FOLD_KEEPS_SPACES and len("".join(s[:64].split())) > 30


def key_of(text: str) -> str:
    """Matching form of a title or a line: folded to half width, all whitespace removed.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``fold(text)`` without whitespace (``str.isspace`` characters). Memoised for strings of at
        most 512 characters; equal to the unmemoised form for every input.
    """
    return _key_cached(text) if len(text) <= _CACHED_CHARS else _key(text)


class _AnyOf:
    """``search(key)`` true when any of ``patterns`` searches true in ``key``.

    Patterns that begin with ``^`` (no MULTILINE) are tried as one alternation at the start of
    the key, the others as one alternation over the whole key (which keeps the regex engine's
    fast scan for the first characters). Alternation is used only where it is equivalent: one
    set of flags and no back-reference or group condition (``\\``, ``(?P=``, ``(?(`` absent);
    otherwise the patterns are searched in turn as written.
    """

    __slots__ = ("patterns", "search", "_memo")

    def __init__(self, patterns: tuple) -> None:
        self.patterns = patterns
        self.search = self._build(patterns)
        self._memo: dict[str, bool] = {}

    def test(self, key: str) -> bool:
        """``bool(self.search(key))``, memoised per process for keys of at most
        :data:`MEMO_CHARS` characters (headings and titles recur from report to report)."""
        hit = self._memo.get(key)
        if hit is None:
            hit = bool(self.search(key))
            if len(key) <= MEMO_CHARS:
                if len(self._memo) >= MEMO_SIZE:
                    self._memo.clear()
                self._memo[key] = hit
        return hit

    @staticmethod
    def _build(patterns: tuple):
        if not patterns:
            return lambda key: None
        flags = patterns[0].flags
        plain = all(p.flags == flags and "\\" not in p.pattern and "(?P=" not in p.pattern
                    and "(?(" not in p.pattern for p in patterns) and not flags & re.MULTILINE
        if plain:
            try:
                anchored, free = [], []
                for p in patterns:
                    ops = re._parser.parse(p.pattern, p.flags).data
                    at_start = bool(ops) and ops[0] == (re._constants.AT, re._constants.AT_BEGINNING)
                    (anchored if at_start else free).append(f"(?:{p.pattern})")
                rx_free = re.compile("|".join(free), flags) if free else None
                rx_start = re.compile("|".join(anchored), flags) if anchored else None
            except (re.error, AttributeError):
                plain = False
        if not plain:
            return lambda key: any(p.search(key) for p in patterns)
        if rx_start is None:
            return rx_free.search
        if rx_free is None:
            return rx_start.match
        free_search, start_match = rx_free.search, rx_start.match
        return lambda key: free_search(key) or start_match(key)


#: Keys up to this many characters are memoised by :meth:`_AnyOf.test` (and the scorer's
#: names table), at most :data:`MEMO_SIZE` per pattern set (then the memo starts afresh).
MEMO_CHARS = 64
MEMO_SIZE = 4096

_ANY_OF: dict[int, _AnyOf] = {}


def any_of(patterns) -> _AnyOf:
    """The :class:`_AnyOf` of a tuple of compiled patterns (built once per tuple object).

    Parameters
    ----------
    patterns : tuple[re.Pattern, ...]
        A checklist's pattern tuple (kept alive by the cache entry, which is keyed by identity).

    Returns
    -------
    _AnyOf
        Its ``search(key)`` is truthy exactly when ``any(p.search(key) for p in patterns)``.
    """
    a = _ANY_OF.get(id(patterns))
    if a is None or a.patterns is not patterns:  # keyed by identity; the entry keeps it alive
        a = _ANY_OF[id(patterns)] = _AnyOf(patterns)
    return a


class Block(NamedTuple):
    """A part of the document (an immutable record: built several times per document, a named
    tuple costs a fraction of a frozen dataclass to build).

    Attributes
    ----------
    level : int
        1 for a top-level part (一、), 2 for a sub-part (（一）, or an unnumbered short heading line).
    number : str
        The number as written (``四``; empty when unnumbered).
    title : str
        The heading text after its number, cut at the first 。 (run-in headings).
    title_span : Span
        Offsets of the heading (number and title) in ``Document.text``.
    span : Span
        Heading plus body, up to the next part of the same or a higher level.
    source : str
        ``scan`` (line start), ``midline`` (inside a line), ``unnumbered`` or ``forest``.
    """

    level: int
    number: str
    title: str
    title_span: Span
    span: Span
    source: str

    @property
    def key(self) -> str:
        return key_of(self.title)


@dataclass(frozen=True)
class Outline:
    """Top-level parts (``parts``, in order) and sub-parts (``subparts``, in order)."""

    parts: tuple
    subparts: tuple
    text_len: int

    def parent_of(self, sub: Block) -> Block | None:
        """The top-level part holding ``sub``, or None (text before the first part)."""
        for p in self.parts:
            if p.span.start <= sub.span.start < p.span.end:
                return p
        return None

    def children(self, part: Block) -> list[Block]:
        """Sub-parts inside ``part``, in order."""
        return [s for s in self.subparts if part.span.start <= s.span.start < part.span.end]


def _at(offset: int, head: tuple) -> tuple:
    """A head of :func:`_line_heads` moved from its line to ``offset`` (the line's start)."""
    start, title_end, number, title, source = head
    return offset + start, offset + title_end, number, title, source


def _title(rest: str) -> str:
    cut = rest.find("。")
    return (rest[:cut] if cut >= 0 else rest).strip()


def _is_not_heading(title: str, not_headings) -> bool:
    k = key_of(title)
    if not k:
        return True
    if isinstance(not_headings, tuple):
        return any_of(not_headings).test(k)
    return any(p.search(k) for p in not_headings)


def _preorder(forest):
    """Every section of ``forest`` in document order (pre-order), as
    :func:`summary_analysis.sections.iter_sections`, without nested generators."""
    stack = list(forest)[::-1]
    while stack:
        s = stack.pop()
        yield s
        children = s.children
        if children:
            stack.extend(reversed(list(children)))


def _line_heads(line: str, names_item, not_headings):
    """What the outline scan reads from one line's own characters, offsets relative to the line:
    None (no part can start here) or ``(numbered, fixed, mids, unnumbered)``.

    * ``numbered``: ``(value, named, head)`` of a ``一、`` / ``第一部分`` heading (``named``: its
      title names an item); whether it is taken depends on the numbers seen before it;
    * ``fixed``: ``(level, head)`` of a heading taken wherever it comes (a ``（一）`` heading, or
      a ``#``/``##`` line naming an item);
    * ``mids``: ``(value, head)`` of each ``X、`` inside the line after a digit, space or
      punctuation: a heading run into a table row when its value continues the numbering and its
      title names an item (judged in :func:`build_outline`, in this order, first taken wins);
    * ``unnumbered``: the head of a short unnumbered line naming an item (a sub-part unless a
      midline heading is taken).

    ``head`` is ``(start, title_end, number, title, source)`` as :func:`build_outline` keeps it.
    """
    stripped = line.lstrip()
    lead = len(line) - len(stripped)
    md = _MD.match(stripped) if stripped[:1] == "#" else None
    if md:
        lead += md.end()
        stripped = stripped[md.end():]
    if not stripped:
        return None
    first = stripped[0]
    if first == "|" or is_toc_entry(stripped):
        return None  # a table row, or a table-of-contents entry (一、总体情况……1)
    # _L1 opens with 第 or a numeral, _L2 with a bracket: other lines skip both
    m = _L1.match(stripped) if first in _L1_FIRST else None
    if m:
        num = m.group(1) or m.group(2)
        value = cn_number(num)
        if m.group(2) and NUMERAL_ENUMERATION.match(stripped, m.end()):
            return None  # 三、四月份: a list of numbers, not a heading
        title = _title(stripped[m.end():])
        if value and not _is_not_heading(title, not_headings):
            named = bool(names_item(key_of(title)))
            return (value, named, (lead, lead + m.end() + len(title), num, title, "scan")), None, (), None
        return None
    m = _L2.match(stripped) if first in _L2_FIRST else None
    if m:
        title = _title(stripped[m.end():])
        if not _is_not_heading(title, not_headings):
            return None, (2, (lead, lead + m.end() + len(title), m.group(1), title, "scan")), (), None
    elif md and md.group(1) in ("#", "##") and not _CAPTION.match(key_of(stripped)) \
            and names_item(key_of(_title(stripped))):
        title = _title(stripped)
        return None, (1, (lead, lead + len(title), "", title, "scan")), (), None
    # a heading run into the end of a table row (PDF extracts)
    mids = []
    for mm in (_MID.finditer(stripped, 1) if _MID_HINT.search(stripped) else ()):
        prev = stripped[mm.start() - 1]
        if prev.isdigit() or prev.isspace() or prev in "。；;，,）)":
            title = _title(stripped[mm.end():])
            start = lead + mm.start()
            mids.append((cn_number(mm.group(1)),
                         (start, start + (mm.end() - mm.start()) + len(title), mm.group(1), title, "midline")))
    unnumbered = None
    # an unnumbered short line naming an item (not after a （七）总计 table row): a sub-part
    # candidate. Its key is never longer than the line; long lines whose key is surely longer
    # than 30 characters are not keyed (_key_over_30).
    if not m and not (len(stripped) < 2 or (len(stripped) > 30 and _key_over_30(stripped))):
        k = key_of(stripped)
        if 2 <= len(k) <= 30 and not _CAPTION.match(k) and not k.endswith("。") and names_item(k) \
                and not _is_not_heading(stripped, not_headings):
            unnumbered = (lead, lead + len(stripped.rstrip()), "", stripped.strip(), "unnumbered")
    if not mids and unnumbered is None:
        return None
    return None, None, tuple(mids), unnumbered


#: Lines up to this many characters have their :func:`_line_heads` memoised (in the memo the
#: caller passes to :func:`build_outline`); at most :data:`MEMO_SIZE` entries per memo.
MEMO_LINE_CHARS = 100


def build_outline(text: str, names_item, not_headings=(), forest=None, *, memo: dict | None = None) -> Outline:
    """Scan ``text`` for level-1 and level-2 parts.

    Parameters
    ----------
    text : str
        ``Document.text``.
    names_item : callable(str) -> bool
        True when a title key names a checklist item (lets a numbered heading out of sequence,
        a run-in one and an unnumbered one count).
    not_headings : sequence of re.Pattern
        Titles that are table rows, never headings.
    forest : list[Section] or None
        The structure stage's heading tree; its level-1 and level-2 headings are added where the
        scan found none on the same line.
    memo : dict or None
        A memo of what each line of at most :data:`MEMO_LINE_CHARS` characters holds, kept by
        the caller across documents: valid only for one ``names_item`` and ``not_headings``
        (the scorer keeps one per checklist and set of applicable items). None: no memo.

    Returns
    -------
    Outline
        Spans are character offsets into ``text``; a part runs to the next part of the same or a
        higher level.
    """
    heads1: list[tuple[int, int, str, str, str]] = []  # (start, title_end, number, title, source)
    heads2: list[tuple[int, int, str, str, str]] = []
    # the offset of the line break before each line holding a head (-1: the first line)
    breaks1: set[int] = set()
    breaks2: set[int] = set()
    last = 0
    off = 0
    for line in text.split("\n"):
        start = off
        off += len(line) + 1
        if not line:
            continue
        if memo is not None and len(line) <= MEMO_LINE_CHARS:
            facts = memo.get(line, False)
            if facts is False:
                if len(memo) >= MEMO_SIZE:
                    memo.clear()
                facts = memo[line] = _line_heads(line, names_item, not_headings)
        else:
            facts = _line_heads(line, names_item, not_headings)
        if facts is None:
            continue
        numbered, fixed, mids, unnumbered = facts
        if numbered is not None:
            value, named, head = numbered
            if named or value == last + 1:
                heads1.append(_at(start, head))
                breaks1.add(start - 1)
                last = max(last, value)
            continue
        if fixed is not None:
            if fixed[0] == 1:
                heads1.append(_at(start, fixed[1]))
                breaks1.add(start - 1)
            else:
                heads2.append(_at(start, fixed[1]))
                breaks2.add(start - 1)
            continue
        for value, head in mids:
            title = head[3]
            if value > last and not _is_not_heading(title, not_headings) and names_item(key_of(title)):
                heads1.append(_at(start, head))
                breaks1.add(start - 1)
                last = value
                break
        else:
            if unnumbered is not None:
                heads2.append(_at(start, unnumbered))
                breaks2.add(start - 1)

    if forest:
        added = False
        for s in _preorder(forest):
            if getattr(s, "kind", "heading") != "heading" or s.level not in (1, 2):
                continue
            ts = s.title_span
            if not (0 <= ts.start <= ts.end <= len(text)):
                continue
            ls = text.rfind("\n", 0, ts.start)
            target, seen = (heads1, breaks1) if s.level == 1 else (heads2, breaks2)
            # a line the scan already holds is skipped whether or not the title is a table row
            if ls in seen or _is_not_heading(s.title, not_headings):
                continue
            target.append((ts.start, ts.end, s.number, s.title, "forest"))
            seen.add(ls)
            added = True
        if added:  # the scan's heads are in document order already
            heads1.sort()
            heads2.sort()

    if not heads1 and heads2:  # a document whose top level is （一）
        heads1 = [h for h in heads2 if h[4] != "unnumbered"]
        heads2 = [h for h in heads2 if h[4] == "unnumbered"]

    n = len(text)
    parts = []
    for i, (start, tend, num, title, src) in enumerate(heads1):
        end = heads1[i + 1][0] if i + 1 < len(heads1) else n
        parts.append(Block(1, num, title, Span(start, tend), Span(start, end), src))
    bounds = [p.span.start for p in parts] + [n]  # increasing (heads1 is in document order)
    subparts = []
    for i, (start, tend, num, title, src) in enumerate(heads2):
        j = bisect_right(bounds, start)  # the first bound after start
        limit = bounds[j] if j < len(bounds) else n
        end = heads2[i + 1][0] if i + 1 < len(heads2) else n
        subparts.append(Block(2, num, title, Span(start, tend), Span(start, min(end, limit)), src))
    return Outline(tuple(parts), tuple(subparts), n)
