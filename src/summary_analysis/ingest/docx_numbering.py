"""Word's automatic paragraph numbering, rendered as the text Word shows before a paragraph.

A .docx heading numbered by Word (一、 （一） 1. （1） from a numbering definition, not typed) has
no number in its text: without it the structure stage sees an unnumbered line and the heading
tree is lost. :class:`ListNumbering` reads ``word/numbering.xml`` and the paragraph styles and
gives each numbered paragraph its label, as Word computes it (ECMA-376 Part 1, §17.9
"Numbering"): a paragraph's numbering instance (``w:numId``) and level (``w:ilvl``) come from
its own ``w:numPr`` or from its style's; each abstract numbering definition keeps one counter
per level, starting at ``w:start`` (or the instance's ``w:startOverride``); numbering a level
restarts the levels below it; the label is the level's ``w:lvlText`` with ``%1``…``%9`` replaced
by the counters of those levels, each in its level's ``w:numFmt``, followed by the level's
suffix (``w:suff``: a tab by default, or a space: written as one space; or nothing).

Formats: decimal (and full-width, zero-padded), Chinese counting (一, 十一, 二十三: the formats
Chinese templates use, via cn2an), 甲乙丙 (ideographTraditional), 子丑寅 (ideographZodiac),
①–⑳, letters and Roman numerals; ``bullet`` and ``none`` give no label (a bullet is not a
number); any other format is written in decimal.
"""

from __future__ import annotations

from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "taiwaneseCounting",
            "taiwaneseCountingThousand", "japaneseCounting", "ideographLegalTraditional",
            "koreanCounting", "koreanDigital"}
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
#: ``w:suff``: Word puts a tab (the default) or a space after the label, or nothing; both a tab
#: and a space are written as one space.
_SUFFIX = {"tab": " ", "space": " ", "nothing": ""}


#: Largest number written in letters (aa, bbb: one more letter every 26) or in Roman numerals
#: (m per thousand); a larger one is written in decimal. A list whose numbering starts at
#: 2,147,483,647 gave labels of 82 million letters, one a paragraph (19 GB for 40 paragraphs),
#: and one starting at 10^12 a billion Roman m's (session-12 hostile-input test).
MAX_REPEATED_LABEL = 5000
#: Longest ``w:lvlText`` read (characters; the rest is dropped) and longest label made from it:
#: real labels are a few characters (``%1、``, ``（%1）``, ``%1.%2.``). A 36 KB .docx whose level
#: text held 50,000 ``%1`` gave 3,000 labels of 200,000 characters: 9 GB before the length
#: limit refused it (session-15 hostile-input test).
MAX_LEVEL_TEXT = 64
MAX_LABEL = 128


def format_number(n: int, fmt: str) -> str:
    """``n`` (an int >= 0) written in the Word number format ``fmt`` (``w:numFmt`` value), e.g.
    ``format_number(12, "chineseCounting") == "十二"``. Formats without a rule here give decimal;
    ``bullet`` and ``none`` give ""; letters and Roman numerals past :data:`MAX_REPEATED_LABEL`
    give decimal too."""
    if fmt in ("bullet", "none"):
        return ""
    if fmt in _CHINESE:
        return _chinese(n, "up" if fmt == "chineseLegalSimplified" else "low")
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ideographTraditional" and 1 <= n <= len(_STEMS):
        return _STEMS[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= len(_BRANCHES):
        return _BRANCHES[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= MAX_REPEATED_LABEL:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n <= MAX_REPEATED_LABEL:
        out, rest = "", n
        for value, digits in _ROMAN:
            while rest >= value:
                out, rest = out + digits, rest - value
        return out if fmt == "lowerRoman" else out.upper()
    return str(n)


def _chinese(n: int, mode: str) -> str:
    import cn2an

    try:
        return cn2an.an2cn(n, mode)
    except Exception:  # noqa: BLE001 - cn2an's limits (very large numbers): decimal then
        return str(n)


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(_W + tag) if el is not None else None
    return child.get(_W + "val", default) if child is not None else default


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class ListNumbering:
    """The numbering labels of one document's paragraphs, in reading order.

    Parameters
    ----------
    document : docx.Document
        The python-docx document (its numbering and styles parts are read once).

    Call :meth:`label` on every ``w:p`` element in document order: counters advance as Word's do,
    so a paragraph's label depends on the numbered paragraphs before it. A document without
    numbering gives "" for every paragraph. Never raises on malformed definitions (a level or
    definition that cannot be resolved gives no label).
    """

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, Any]] = {}  # abstractNumId -> ilvl -> w:lvl
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self._style_num: dict[str, tuple[str | None, str | None]] = {}  # styleId -> (numId, ilvl)
        self._counters: dict[str, dict[int, int]] = {}
        self._overridden: set[str] = set()
        numbering = _part_element(document, "numbering_part")
        if numbering is not None:
            for abstract in numbering.iterchildren(_W + "abstractNum"):
                aid = abstract.get(_W + "abstractNumId")
                self._levels[aid] = {_int(lvl.get(_W + "ilvl"), 0): lvl for lvl in abstract.iterchildren(_W + "lvl")}
            for num in numbering.iterchildren(_W + "num"):
                overrides = {}
                for o in num.iterchildren(_W + "lvlOverride"):
                    start = _val(o, "startOverride")
                    if start is not None:
                        overrides[_int(o.get(_W + "ilvl"), 0)] = _int(start, 1)
                self._nums[num.get(_W + "numId")] = (_val(num, "abstractNumId"), overrides)
        styles = _part_element(document, "styles_part") if self._nums else None
        if styles is not None:
            based: dict[str, str] = {}
            for style in styles.iterchildren(_W + "style"):
                sid = style.get(_W + "styleId")
                pr = style.find(_W + "pPr")
                numpr = pr.find(_W + "numPr") if pr is not None else None
                if numpr is not None:
                    self._style_num[sid] = (_val(numpr, "numId"), _val(numpr, "ilvl"))
                parent = _val(style, "basedOn")
                if parent:
                    based[sid] = parent
            for sid in list(based):  # numbering inherited through basedOn (a few steps)
                if sid in self._style_num:
                    continue
                seen, cur = {sid}, based.get(sid)
                while cur and cur not in seen and cur not in self._style_num:
                    seen.add(cur)
                    cur = based.get(cur)
                if cur in self._style_num:
                    self._style_num[sid] = self._style_num[cur]

    def label(self, p) -> str:
        """The label Word shows before paragraph ``p`` (a ``w:p`` element), e.g. ``"一、 "``,
        ``"（二） "``, ``"3."`` (suffix nothing); "" when it is not numbered. Advances the
        counters."""
        if not self._nums:
            return ""
        num_id, ilvl = self._num_pr(p)
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return ""
        aid, overrides = self._nums[num_id]
        levels = self._levels.get(aid)
        if not levels:
            return ""
        level = _int(ilvl, 0)
        lvl = levels.get(level)
        if lvl is None:
            return ""
        counters = self._counters.setdefault(aid, {})
        if num_id not in self._overridden and overrides:
            self._overridden.add(num_id)  # an instance restarting the list: its first use
            for k, start in overrides.items():
                counters[k] = start - 1
        counters[level] = counters.get(level, self._start(levels, level) - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = (_val(lvl, "lvlText", "") or "")[:MAX_LEVEL_TEXT]
        if _val(lvl, "numFmt") in ("bullet", "none"):
            return ""
        legal = lvl.find(_W + "isLgl") is not None
        for k in range(9, 0, -1):  # %10 does not exist; replace %9 before %1
            token = f"%{k}"
            if token not in text:
                continue
            lk = levels.get(k - 1)
            value = counters.get(k - 1, self._start(levels, k - 1))
            fmt = "decimal" if legal and k - 1 < level else (_val(lk, "numFmt", "decimal") if lk is not None else "decimal")
            text = text.replace(token, format_number(value, fmt))[:MAX_LABEL]
        return text + _SUFFIX.get(_val(lvl, "suff", "tab") or "tab", " ") if text else ""

    def _num_pr(self, p) -> tuple[str | None, str | None]:
        pr = p.find(_W + "pPr")
        numpr = pr.find(_W + "numPr") if pr is not None else None
        num_id = _val(numpr, "numId")
        ilvl = _val(numpr, "ilvl")
        if num_id is None and pr is not None:
            style = _val(pr, "pStyle")
            if style in self._style_num:
                num_id, style_ilvl = self._style_num[style]
                ilvl = ilvl if ilvl is not None else style_ilvl
        return num_id, ilvl

    @staticmethod
    def _start(levels: dict, level: int) -> int:
        lvl = levels.get(level)
        return _int(_val(lvl, "start"), 1) if lvl is not None else 1


def _part_element(document: Any, name: str):
    """The root element of the document's numbering or styles part, or None when it has none.
    python-docx's ``numbering_part`` adds an empty part when there is none: look first."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rel = {"numbering_part": RT.NUMBERING, "styles_part": RT.STYLES}[name]
    part = document.part
    try:
        target = part.part_related_by(rel)
    except (KeyError, AttributeError):
        return None
    return getattr(target, "element", None)
