"""Scoring one document against one checklist: item status, evidence, SEC findings, completeness.

How an item is found (first that applies):

1. **heading** — a top-level part (一、…, ``##``, or a heading run into a table row) whose title
   matches one of the item's ``headings`` patterns, whatever its number;
2. **subheading** — a sub-part (（一）…, or a short unnumbered line) whose title matches, in a part
   no item claimed, or in a part claimed by another item when the sub-title matches none of that
   item's own patterns (a section whose heading was lost in extraction has run into the part
   before it: the Shanghai extract's 存在的主要问题 under 四);
3. **content** — a line holding at least ``evidence_min`` distinct ``evidence`` terms, or a stretch
   holding ``table_min`` distinct ``table_rows`` labels, outside the parts other items claim (a
   总体情况 that mentions 行政复议 in passing does not make the 复议诉讼 item present). A line that
   names three or more items (a table of contents, 全文包括总体情况、…) is never evidence.

A found item is **empty** when its body holds fewer than ``min_chars`` characters of its own text
once template placeholders (（文字描述）, XX, ▲…) and table rows without figures are removed; an item
with ``figures = true`` (a statistics table) is empty unless it holds a figure or a prose sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import is_

from ..document import Document, Span
from ..findings import Finding
from .model import Checklist, Item
from .outline import MEMO_CHARS, MEMO_SIZE, Block, Outline, any_of, build_outline, key_of

PRESENT, EMPTY, MISSING = "present", "empty", "missing"

_PLACEHOLDER_PAREN = re.compile(r"[（(][^（）()\n]{0,60}?(?:文字描述|此处|请填写|待填|略)[^（）()\n]{0,60}?[）)]")
_TABLE_NOTE = re.compile(r"[（(]本列数据的勾稽关系[^）)]*[）)]?")
_PLACEHOLDER = re.compile(r"XX+|xx+|×{2,}|▲+|_{2,}|＿{2,}|…{1,}|\.{3,}")
_LIST_NUMBER = re.compile(r"(?<![\d.])\d{1,2}[.、．](?![\d])|第[一二三四五六七八九十百]+[条项款]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_VALUE_CELL = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")
_OWN_CHARS = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
_OWN_RUN = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")
_SENTENCE = re.compile(r"[^。；;！？\n]+[。；;！？]?")
_GOVERNMENT = re.compile(r"人民政府(?!办公厅|办公室|研究室|参事室|驻|新闻办|督查室|外事办|法制办)")
_NOT_GOVERNMENT = re.compile(r"人民政府(办公厅|办公室)|局$|委员会$|厅$|办$")
_ISSUER = re.compile(r"[\u4e00-\u9fff]{2,20}?人民政府(办公厅|办公室)?")


@dataclass
class Match:
    """Where an item was found: ``how`` (heading/subheading/content), the part's ``span``, the
    ``title_span`` of its heading (content: the first matching line) and ``evidence`` text."""

    how: str
    span: Span
    title_span: Span
    evidence: str


def _names(item: Item, key: str) -> bool:
    return any_of(item.headings).test(key)


def _own_terms(item: Item, key: str) -> bool:
    return any(p.search(key) for p in _own_patterns(item))


_OWN_PATTERNS: dict[int, tuple] = {}


def _own_patterns(item: Item) -> tuple:
    """``item.headings + item.evidence + item.table_rows``, joined once per item and process
    (the entry keeps the item alive, so its id stays its)."""
    entry = _OWN_PATTERNS.get(id(item))
    if entry is None or entry[0] is not item:
        if len(_OWN_PATTERNS) >= 256:
            _OWN_PATTERNS.clear()
        entry = _OWN_PATTERNS[id(item)] = (item, item.headings + item.evidence + item.table_rows)
    return entry[1]


def _evidence_hits(item: Item, key: str) -> int:
    return sum(1 for p in item.evidence if p.search(key))


def is_government(document: Document, meta) -> bool:
    """True when the report is a 各级人民政府 report (the issuer is a people's government itself,
    not its office or a department): Article 50's extra 考核/评议/追究 requirement.

    The issuer comes from ``meta.issuer`` when the structure stage gave one, else from the first
    three non-empty lines (title and issuer line).
    """
    issuer = getattr(meta, "issuer", None) if meta is not None else None
    if not issuer:
        head = [ln for ln in document.text[:600].split("\n") if ln.strip()][:3]
        m = _ISSUER.search(key_of("".join(head)))
        issuer = m.group(0) if m else None
    if not issuer:
        return False
    issuer = key_of(issuer)
    return bool(_GOVERNMENT.search(issuer)) and not _NOT_GOVERNMENT.search(issuer)


def _applicable_items(checklist: Checklist, document: Document, meta) -> list[Item]:
    """The items of ``checklist`` whose ``when`` condition holds for ``document``, in order
    (:func:`is_government` is asked once, and only when an item depends on it)."""
    government = None
    items = []
    for it in checklist.items:
        if it.when == "government":
            if government is None:
                government = is_government(document, meta)
            if not government:
                continue
        items.append(it)
    return items


# -- emptiness --------------------------------------------------------------------------------

def _line_measure(s: str) -> tuple[int, int, int]:
    """:func:`body_measure` of one line (the definition: every rule applied in turn)."""
    s = s.strip()
    if not s:
        return 0, 0, 0
    if s.startswith("|"):
        cells = [c.strip() for c in s.strip("|").split("|")]
        values = [c for c in cells if _VALUE_CELL.match(c)]
        if values:
            return sum(len(_OWN_CHARS.findall(c)) for c in cells), len(values), 0
        return 0, 0, 0
    if "(" in s or "（" in s:  # the two patterns open with a bracket
        s = _PLACEHOLDER_PAREN.sub("", s)
        s = _TABLE_NOTE.sub("", s)
    if _PLACEHOLDER.search(s):
        s = _PLACEHOLDER.sub("", s)
    n = sum(map(len, _OWN_RUN.findall(s)))
    figs = len(_NUMBER.findall(_LIST_NUMBER.sub(" ", s) if _LIST_NUMBER.search(s) else s))
    return n, figs, (n if n and s.endswith(("。", "；", ";")) else 0)


_PAREN_WORDS = ("文字描述", "此处", "请填写", "待填", "略", "本列数据的勾稽关系")
_PAREN_BODY = r"[^（）()\n]{0,60}?(?:" + "|".join(_PAREN_WORDS) + ")"
# Lines :func:`_line_measure` may treat otherwise than a plain line hold a match of this: a
# pipe (a table row), the start of a bracketed placeholder or of the table note, a placeholder.
# It finds at least every such line (never a match across a line break); a plain line it finds
# is merely measured one by one. Every branch opens with a literal character (the bracket
# branch ``[（(]…`` is written once per bracket), so the regex engine skips ahead to those
# characters instead of trying each branch at every position.
_SPECIAL = re.compile(r"\||（" + _PAREN_BODY + r"|\(" + _PAREN_BODY + r"|XX|xx|××|▲|__|＿＿|…|\.\.\.")
_NOT_OWN = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]+")
# a non-empty line whose last non-space character is not 。；; (``str.strip`` and ``\s`` agree)
_NOT_PROSE_LINE = re.compile(r"^(?![^\n]*[。；;][^\S\n]*$)[^\n]+", re.MULTILINE)
# _LIST_NUMBER's digit branch (the look-behind after the first digit) or a figure (group 1)
_FIGURE_SCAN = re.compile(r"\d(?<![\d.]\d)\d?[.、．](?!\d)|(\d+(?:\.\d+)?)")


def _has_special(text: str) -> bool:
    """Whether ``text`` holds a line :func:`_line_measure` may treat otherwise than a plain
    line: true when it holds a match of :data:`_SPECIAL`."""
    return _SPECIAL.search(text) is not None


def _plain_measure(text: str) -> tuple[int, int, int]:
    """:func:`body_measure` of lines none of which :data:`_SPECIAL` matches, in whole-text
    passes.

    Each of the three measures is a sum over lines, and no match of the patterns involved
    crosses a line break; a line break, or a space that ``strip`` would remove, reads like the
    string's end to the look-arounds (neither is a digit or a dot). Figures: a list number
    (``_LIST_NUMBER``'s digit branch) starts where no figure can continue and is followed by no
    digit, so replacing it by a space removes exactly the figure made of its digits; its
    ``第…条`` branch holds no digit. Scanning list numbers and figures as one alternation
    therefore finds the figures of the substituted line. Prose: own characters of every line
    minus those of the lines that do not end in 。；;.
    """
    own = len(_NOT_OWN.sub("", text))
    found = _FIGURE_SCAN.findall(text)  # (\d is any decimal digit, not only own 0-9)
    figs = len(found) - found.count("")
    prose = own - len(_NOT_OWN.sub("", "".join(_NOT_PROSE_LINE.findall(text)))) if own else 0
    return own, figs, prose


def body_measure(text: str) -> tuple[int, int, int]:
    """Measure a part's body.

    Returns
    -------
    (own_chars, figures, prose_chars) : tuple[int, int, int]
        Characters (CJK, digits, letters) of own text once placeholders, the table note and table
        rows without figures are removed; count of figures (numbers that are not list numbering);
        characters in lines that read as prose (end in 。 or ；). Each is a sum over the lines
        (:func:`_line_measure`); lines without a table pipe or a placeholder are measured
        together in a few whole-text passes (:func:`_plain_measure`).
    """
    m = _SPECIAL.search(text)  # the first special line (:func:`_has_special`)
    if m is None:
        return _plain_measure(text)
    own = figs = prose = 0
    rest = []
    prev = 0
    while m is not None:
        a = text.rfind("\n", 0, m.start()) + 1
        b = text.find("\n", m.end())
        b = len(text) if b < 0 else b
        rest.append(text[prev:a])
        o, f, p = _line_measure(text[a:b])
        own += o
        figs += f
        prose += p
        prev = b
        m = _SPECIAL.search(text, b)  # the next special line (none crosses a line break)
    rest.append(text[prev:])
    o, f, p = _plain_measure("".join(rest))
    return own + o, figs + f, prose + p


def _status_of(item: Item, document: Document, match: Match, figures) -> str:
    """PRESENT or EMPTY (module docstring).

    A body without table pipes and placeholders (:func:`_has_special`) is read only as far as
    it takes to know: own characters are counted on two prefixes first (a prefix never holds
    more than the whole: the first that holds enough decides), and a statistics item is present
    at its first figure. Other bodies are measured whole (:func:`body_measure`).
    """
    text = document.text
    start = match.title_span.end if match.how != "content" else match.span.start
    body = text[start:match.span.end]
    if _has_special(body):
        own, figs, prose = body_measure(body)
    elif item.figures:
        for m in _FIGURE_SCAN.finditer(body):
            if m.group(1) is not None:  # a figure, not a list number
                return PRESENT
        own, figs, prose = _plain_measure(body)  # figs == 0
    else:
        need = max(item.min_chars, 1)
        for size in (need + 16, 4 * need + 64):  # a short prefix, a longer one, then the whole
            head = body[:size]
            if len(_NOT_OWN.sub("", head)) >= need:
                return PRESENT
            if len(head) == len(body):
                return EMPTY
        return PRESENT if len(_NOT_OWN.sub("", body)) >= need else EMPTY
    if item.figures:
        if figs == 0 and figures:
            figs = sum(1 for f in figures
                       if match.span.start <= f.span.start < match.span.end
                       and getattr(f, "kind", None) in ("count", "money", "percent"))
        return PRESENT if figs > 0 or prose >= item.min_chars else EMPTY
    return PRESENT if own >= max(item.min_chars, 1) else EMPTY


# -- finding items ----------------------------------------------------------------------------

def _nonblank_lines(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, line) of the lines of ``text[start:end]`` that are not blank."""
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _line_units(text: str, start: int, end: int, backwards: bool = False):
    """(span, key) of the non-empty lines of ``text[start:end]``, last line first when
    ``backwards``; each line is keyed only when the caller reaches it."""
    lines = _nonblank_lines(text, start, end)
    for pos, line in reversed(lines) if backwards else lines:
        yield Span(pos, pos + len(line)), key_of(line)


def _first_sentence(text: str, span: Span, item: Item) -> tuple[Span, str]:
    """The first sentence in ``span`` holding an evidence term (for the explanation)."""
    for m in _SENTENCE.finditer(text, span.start, span.end):
        k = key_of(m.group())
        if any(p.search(k) for p in item.evidence):
            s = Span(m.start(), m.end())
            return s, text[s.start:s.end].strip()
    return span, text[span.start:span.end].strip()


def _content_match(item: Item, document: Document, regions: list[Span], toc, is_toc) -> Match | None:
    text = document.text
    if item.evidence:
        for region in regions:
            units = list(_line_units(text, region.start, region.end))
            for i, (span, key) in enumerate(units):
                if span.start in toc or _evidence_hits(item, key) < item.evidence_min:
                    continue
                end = span.end
                for span2, key2 in units[i + 1:]:
                    if span2.start in toc or _evidence_hits(item, key2) < item.evidence_min:
                        break
                    end = span2.end
                ev_span, ev = _first_sentence(text, span, item)
                return Match("content", Span(span.start, end), ev_span, ev)
    if item.table_rows:
        for region in regions:
            found: dict[int, Span] = {}
            for span, key in _line_units(text, region.start, region.end):
                if is_toc(key):
                    continue
                for j, p in enumerate(item.table_rows):
                    if j not in found and p.search(key):
                        found[j] = span
            if len(found) >= item.table_min:
                first = min(s.start for s in found.values())
                last = max(s.end for s in found.values())
                return Match("content", Span(first, last), min(found.values()),
                             f"{len(found)} of the table's rows: "
                             + "、".join(sorted({item.table_rows[j].pattern for j in found})[:4]))
    return None


def _subtract(region: Span, taken: list[Span]) -> list[Span]:
    """``region`` without the spans of ``taken``: the pieces left, in order."""
    out = [region]
    for t in sorted(taken, key=_span_key):  # the order of Span's own comparison
        nxt = []
        for r in out:
            if t.end <= r.start or t.start >= r.end:
                nxt.append(r)
                continue
            if r.start < t.start:
                nxt.append(Span(r.start, t.start))
            if t.end < r.end:
                nxt.append(Span(t.end, r.end))
        out = nxt
    return [r for r in out if r.end > r.start]


def _span_key(span: Span) -> tuple[int, int]:
    """What :class:`Span` compares by (``order=True``), as a plain tuple."""
    return span.start, span.end


class _TocLines:
    """The starts of the table-of-contents lines of ``text``, as a set that answers ``in``.

    Equal to ``{span.start for span, key in _line_units(text, 0, len(text)) if is_toc(key)}``:
    an offset is in it when it starts a line of ``text`` (offset 0 or just after a line break)
    that is not blank and whose key ``is_toc``. Each offset asked is judged once, on its own
    line; lines nobody asks about are never keyed.
    """

    __slots__ = ("text", "is_toc", "seen")

    def __init__(self, text: str, is_toc) -> None:
        self.text, self.is_toc, self.seen = text, is_toc, {}

    def __contains__(self, x) -> bool:
        hit = self.seen.get(x)
        if hit is None:
            text = self.text
            if not (isinstance(x, int) and 0 <= x <= len(text)) or (x and text[x - 1] != "\n"):
                hit = False
            else:
                end = text.find("\n", x)
                line = text[x:] if end < 0 else text[x:end]
                hit = bool(line.strip()) and bool(self.is_toc(key_of(line)))
            self.seen[x] = hit
        return hit


def _names_at_least(top_search, key: str, need: int) -> bool:
    """``sum(1 for _, search in top_search if search(key)) >= need``, searching only until the
    answer is known."""
    hits, left = 0, len(top_search)
    for _, search in top_search:
        left -= 1
        if search(key):
            hits += 1
            if hits >= need:
                return True
        elif hits + left < need:
            return False
    return hits >= need


def _same_items(a: tuple, b: tuple) -> bool:
    """``list(a) == list(b)`` for items of one checklist, by identity: item ids are unique, so
    two items of a checklist are equal only when they are the same object (and the dataclass
    comparison of every field is not needed)."""
    return len(a) == len(b) and all(map(is_, a, b))


_NAMES_TABLES: dict[tuple, tuple] = {}


def _names_table(checklist: Checklist, top: list[Item]) -> tuple[dict[str, tuple], dict, list]:
    """The per-process memos of one checklist and one set of applicable top-level items: ``key
    -> items of top named by key``, the outline scan's line memo (``build_outline``'s
    ``memo``, which depends on the same two) and ``(item, search)`` for each item of ``top``
    (``search`` is :func:`_names` bound). The entry keeps the checklist alive, so its id
    stays its."""
    k = (id(checklist), tuple([it.id for it in top]))
    entry = _NAMES_TABLES.get(k)
    if entry is None or entry[0] is not checklist:
        if len(_NAMES_TABLES) >= 64:
            _NAMES_TABLES.clear()
        entry = _NAMES_TABLES[k] = (checklist, {}, {}, [(it, any_of(it.headings).search) for it in top])
    return entry[1], entry[2], entry[3]


@dataclass
class ItemResult:
    """Outcome for one item: ``status``, ``match`` (None when missing), ``applicable``."""

    item: Item
    status: str
    match: Match | None


def match_items(document: Document, checklist: Checklist, forest=None, meta=None,
                figures=None) -> tuple[list[ItemResult], Outline]:
    """Find every applicable item of ``checklist`` in ``document`` and judge it.

    Returns
    -------
    (results, outline) : tuple[list[ItemResult], Outline]
        One result per applicable item, in checklist order, and the outline scanned.
    """
    text = document.text
    items = _applicable_items(checklist, document, meta)
    top = [it for it in items if it.within is None]
    names_memo, lines_memo, top_search = _names_table(checklist, top)  # per process: headings recur
    long_memo: dict[str, tuple] = {}  # longer keys (lines): this document only

    def names_of(key: str) -> tuple:
        """The top-level items whose headings ``key`` names, in checklist order (memoised)."""
        memo = names_memo if len(key) <= MEMO_CHARS else long_memo
        named = memo.get(key)
        if named is None:
            named = tuple(it for it, search in top_search if search(key))
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[key] = named
        return named

    outline = build_outline(text, lambda k: bool(names_of(k)), checklist.not_headings, forest, memo=lines_memo)

    def is_toc(key: str) -> bool:
        """A table of contents line: over 40 characters naming three or more top-level items
        (``len(names_of(key)) >= 3``, searched only until the answer is known)."""
        if len(key) <= 40:
            return False
        named = long_memo.get(key) if len(key) > MEMO_CHARS else names_memo.get(key)
        if named is not None:
            return len(named) >= 3
        return _names_at_least(top_search, key, 3)

    # line starts of table-of-contents lines, judged when asked (a document whose items all
    # have headings never asks)
    toc = _TocLines(text, is_toc)

    # 1. headings of top-level parts
    claims: dict[int, list[Item]] = {}
    matches: dict[str, Match] = {}
    previous: tuple = ()
    for part in outline.parts:
        named = names_of(part.key)
        if named and _same_items(named, previous):  # the same heading again (a caption): one part
            for it in named:
                m = matches[it.id]
                matches[it.id] = Match(m.how, Span(m.span.start, part.span.end), m.title_span,
                                       m.evidence)
            claims.setdefault(part.span.start, []).extend(named)
            continue
        previous = named
        for it in named:  # the items of ``top`` whose headings name the part, in order
            if it.id not in matches:
                claims.setdefault(part.span.start, []).append(it)
                matches[it.id] = Match("heading", part.span, part.title_span,
                                       text[part.title_span.start:part.title_span.end])
    # a combined heading (存在问题及下一步工作打算): narrow each item to its own sub-part
    for start, its in claims.items():
        if len(its) < 2:
            continue
        part = next(p for p in outline.parts if p.span.start == start)
        for it in its:
            subs = [s for s in outline.children(part) if _names(it, s.key)]
            if subs:
                matches[it.id] = Match("heading", Span(subs[0].span.start, subs[-1].span.end),
                                       subs[0].title_span,
                                       text[subs[0].title_span.start:subs[0].title_span.end])

    # 2. sub-parts that name an item whose heading is missing
    taken: list[Span] = []
    for it in top:
        if it.id in matches:
            continue
        chosen: list[Block] = []
        for sub in outline.subparts:
            parent = outline.parent_of(sub)
            owners = claims.get(parent.span.start, []) if parent else []
            ok = _names(it, sub.key) and not any(_own_terms(o, sub.key) for o in owners)
            if ok and sub.span.start not in toc:
                if chosen and outline.parent_of(chosen[-1]) is not parent:
                    break
                chosen.append(sub)
            elif chosen:
                break
        if chosen:
            span = Span(chosen[0].span.start, chosen[-1].span.end)
            matches[it.id] = Match("subheading", span, chosen[0].title_span,
                                   text[chosen[0].title_span.start:chosen[0].title_span.end])
            taken.append(span)

    # 3. content outside the claimed parts
    free = None  # the text outside the claimed parts: worked out when an item is still missing
    for it in top:
        if it.id in matches:
            continue
        if free is None:
            claimed = [p.span for p in outline.parts if p.span.start in claims]
            free = _subtract(Span(0, len(text)), claimed + taken)
        m = _content_match(it, document, free, toc, is_toc)
        if m:
            matches[it.id] = m

    # 4. a part whose heading was lost (and has no sub-headings) ran into the end of the part
    # before it: the lines after the last one that speaks of the owner's own subject
    for it in top:
        if it.id in matches or not it.evidence:
            continue
        for part in outline.parts:
            owners = claims.get(part.span.start)
            if not owners:
                continue
            tail, owned = [], False
            for span, key in _line_units(text, part.title_span.end, part.span.end, backwards=True):
                if any(_own_terms(o, key) for o in owners):
                    owned = True
                    break
                tail.append((span, key))
            if not owned:  # the whole body: that is the owner's own text, not a lost part
                continue
            tail.reverse()
            tail = [(span, key) for span, key in tail if span.start not in toc]
            hits = {i for _, key in tail for i, p in enumerate(it.evidence) if p.search(key)}
            hit = next((span for span, key in tail if _evidence_hits(it, key)), None)
            if hit is not None and len(hits) >= it.evidence_min:
                span = Span(hit.start, part.span.end)
                ev_span, ev = _first_sentence(text, hit, it)
                matches[it.id] = Match("content", span, ev_span, ev)
                taken.append(span)
                break

    # a part that lost its heading ran into the part before it: trim that part
    for it in top:
        m = matches.get(it.id)
        if m is None or m.how == "heading":
            continue
        for other in top:
            om = matches.get(other.id)
            if om is not None and om.how == "heading" and om.span.start < m.span.start < om.span.end:
                matches[other.id] = Match(om.how, Span(om.span.start, m.span.start), om.title_span,
                                          om.evidence)

    # 5. items searched inside another item's part
    for it in items:
        if it.within is None:
            continue
        parent = matches.get(it.within)
        scope = parent.span if parent else Span(0, len(text))
        subs = [s for s in outline.subparts
                if scope.start <= s.span.start < scope.end and _names(it, s.key)]
        if subs:
            s = subs[0]
            matches[it.id] = Match("subheading", s.span, s.title_span,
                                   text[s.title_span.start:s.title_span.end])
            continue
        for m in _SENTENCE.finditer(text, scope.start, scope.end):
            k = key_of(m.group())
            if _evidence_hits(it, k) >= it.evidence_min:
                sp = Span(m.start(), m.end())
                matches[it.id] = Match("content", sp, sp, m.group().strip())
                break

    results = []
    for it in items:
        m = matches.get(it.id)
        status = MISSING if m is None else _status_of(it, document, m, figures or [])
        results.append(ItemResult(it, status, m))
    return results, outline


def _ordered(r: ItemResult) -> bool:
    """Whether ``r`` takes part in the order check: found, top-level and required."""
    return r.match is not None and r.item.within is None and r.item.required


def out_of_order(results: list[ItemResult]) -> list[ItemResult]:
    """Items found (present or empty) that break the checklist's order.

    The longest run of found top-level items whose ``order`` never decreases (in document order)
    is taken as the document's order; every other found item is out of order. Optional items
    (``required = false``) take no part: they are never out of order and put no other item out
    of order (an optional item found by a content line, wherever that line stands, made the
    required headings after it "out of order").
    """
    # (start, position in results, order): sorted, the stable sort of results by start
    keyed = sorted((r.match.span.start, i, r.item.order) for i, r in enumerate(results) if _ordered(r))
    if len(keyed) < 2:
        return []
    orders = [order for _, _, order in keyed]
    if all(a <= b for a, b in zip(orders, orders[1:])):  # the whole run is in order
        return []
    found = [results[i] for _, i, _ in keyed]
    n = len(orders)
    best = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if orders[j] <= orders[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(n), key=lambda k: (best[k], -k))
    keep = set()
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return [found[k] for k in range(n) if k not in keep]


def completeness(results: list[ItemResult]) -> float | None:
    """Score 0–100: the weighted share of required items present (empty and missing count 0);
    None when the checklist has no applicable required item."""
    req = [r for r in results if r.item.required]
    if not req:
        return None
    # weights are finite and > 0 (the loader checks), but their sum may not be (1.7e308 twice
    # gave inf / inf = nan): scaled by the largest first, a ratio of the same value
    top = max(r.item.weight for r in req)
    total = sum(r.item.weight / top for r in req)
    got = sum(r.item.weight / top for r in req if r.status == PRESENT)
    return round(100.0 * got / total, 1)


def findings_for(document: Document, checklist: Checklist, results: list[ItemResult]) -> list[Finding]:
    """SEC001 (required item missing), SEC002 (item present but empty), SEC003 (out of order).

    SEC001 messages read ``required item missing (checklist item 3 of 6): 三 … (citation)``: the item's
    position in the checklist leads, so the span-less findings sort in checklist order under
    :meth:`Finding.sort_key`.
    """
    out: list[Finding] = []
    doc_id = document.doc_id

    def evidence(r: ItemResult, **extra) -> dict:
        d = {"checklist": checklist.name, "item": r.item.id, "title": r.item.title,
             "citation": r.item.citation, "verified": r.item.verified and checklist.verified}
        d.update(extra)
        return d

    # SEC001 has no span, so findings sort by message: the item's position in the checklist
    # (zero-padded, "3 of 6") leads the message so that missing items list in checklist order.
    position = None
    width = len(str(len(checklist.items)))
    for r in results:
        it = r.item
        if r.status == MISSING and it.required:
            if position is None:
                position = {x.id: i for i, x in enumerate(checklist.items, 1)}
            pos = f"{position.get(it.id, 0):0{width}d} of {len(checklist.items)}"
            out.append(Finding("SEC001", doc_id,
                               f"required item missing (checklist item {pos}): {it.label}"
                               + (f" ({it.citation})" if it.citation else ""),
                               span=None, evidence=evidence(r)))
        elif r.status == EMPTY:
            out.append(Finding("SEC002", doc_id, f"item present but empty: {it.label}",
                               span=r.match.title_span,
                               evidence=evidence(r, matched_by=r.match.how, heading=r.match.evidence)))
    late = out_of_order(results)
    found = sorted(filter(_ordered, results), key=lambda r: r.match.span.start) if late else []
    for r in late:
        # labels (number and title), as the item itself is named; the ids are in the evidence.
        # Name the item the required order is broken against: the first one found after r that
        # should precede it, else the last one found before r that should follow it
        at, order = r.match.span.start, r.item.order
        ahead = [f for f in found if f.match.span.start > at and f.item.order < order]
        behind = [f for f in found if f.match.span.start < at and f.item.order > order]
        if not any(f.match.span.start < at for f in found):  # moved to the front
            where = f"comes first, before {next(f.item.label for f in found if f is not r)}"
        elif ahead:
            where = f"comes before {ahead[0].item.label}, which should come first"
        else:
            where = f"comes after {behind[-1].item.label}, which should come after it"
        out.append(Finding("SEC003", doc_id, f"item out of the required order: {r.item.label} {where}",
                           span=r.match.title_span,
                           evidence=evidence(r, order=[x.item.id for x in found])))
    return out
