"""PLH001: unfilled template fields left in a report.

Patterns seen in template essays and the 2021 national format's blank template: ``XX``/``××``/
``某某``/``〇〇``/``【单位名称】`` standing for a name; ``▲``/``△``, or X's before a measure word,
a month or a day (``X件``, ``XX%``, ``X.X%``, ``×%``, ``X月X日``) for a figure; ``20xx``/``xx年``/
``２０ＸＸ`` for a year; ``（文字描述）`` prompts; runs of underscores (``__`` before 年/月/日 or a
measure word), empty brackets (``（ ）件``), spaces left for a count (``来访    次，``) and a date
of spaces (``  年  月  日``, ``2025年  月  日``) as blanks; X's ending a written number
(``0571-8888XXXX``) as a figure; ``【填写姓名】`` prompts. A ▲ starting a line is a bullet; a
name masked after a surname (``张××``, ``李某某``) is a person kept private. Guarded against ordinary text: ``XX``
inside an ASCII word, e-mail or code (``XXL``, ``ab_xx@…``), a single ``某`` (某些, 某个),
``〇`` inside a Chinese year (二〇〇八年) are not fields. One finding per occurrence, its span
on the field itself.
"""

from __future__ import annotations

import re

from ..document import Document, Span
from ..findings import Finding

# Each alternative names its kind; order matters (longer forms first).
_FIELD_NAMES = "单位名称|部门名称|机关名称|单位全称|姓名|填报日期|日期"
_MEASURE = "件条个项次人名家户所篇场期批万亿元%％"
#: What an X-run standing for a number is followed by: a measure word, or a month/day (X月X日).
_COUNTED = _MEASURE + "月日"
#: Measure words after which a run of spaces is a blank left for a count (not 人: 工作  人员).
_BLANK_MEASURE = "件条个项次篇场家户%％"
_PATTERNS = [
    ("year", r"(?:19|20|１９|２０)[xX×＊*Ｘｘ]{2}(?:年度?)?(?![A-Za-z])|(?<![A-Za-z0-9])[xX×Ｘｘ]{2}年度?"),
    ("prompt", r"[（(【](?:文字描述|此处填写|请填写|填写|待填|待补充)[^）)】\n]{0,40}[）)】]"),
    # a figure: X's (or ×'s, not between digits: 2×2米) before a measure word, a month or a day,
    # with an X'd decimal part (X.X%)
    ("counted", rf"(?<![A-Za-z0-9@._-])(?:[xX]{{1,6}}(?:\.[xX]{{1,3}})?|[Ｘｘ]{{1,6}})(?=[{_COUNTED}])"
                rf"|(?<![0-9０-９])[×＊]{{1,6}}(?:\.[×＊]{{1,3}})?(?=[{_COUNTED}])"),
    ("name", r"(?<![A-Za-z0-9@._-])(?:[xX]{2,20}|[Ｘｘ]{2,20})(?![A-Za-z0-9@])|[×＊]{2,20}|某某+"
             r"|(?<![〇零一二三四五六七八九十])[〇○]{2,3}(?![〇零一二三四五六七八九十年])"
             rf"|[【（(][ \u3000]*(?:{_FIELD_NAMES})[ \u3000]*[】）)]"),
    # ▲ (not as a bullet: see _is_bullet); X's ending a number written out (0571-8888XXXX)
    ("figure", r"▲+|(?<=[\u4e00-\u9fff\d])△+|(?<=[0-9])(?<![A-Za-z][0-9])[xX]{2,8}(?![A-Za-z0-9@])"),
    ("blank", rf"_{{3,}}|＿{{3,}}|_{{1,2}}(?=[年月日])|＿{{1,2}}(?=[年月日])|__(?=[{_MEASURE}])|＿＿(?=[{_MEASURE}])"
              r"|[【（(][ \u3000]{1,8}[】）)]"
              # spaces left for a count (来访    次，办结率   %): after a Chinese character, before a
              # measure word that ends the phrase
              rf"|(?<=[\u4e00-\u9fff])[ \u3000]{{2,12}}(?=[{_BLANK_MEASURE}](?![\u4e00-\u9fff]))"
              r"|(?<![\d０-９〇零一二三四五六七八九十两])[ \u3000]{2}年[ \u3000]{1,4}月[ \u3000]{1,4}日"
              # a date whose year is written and month and day (or the day) are not: 2025年  月  日
              r"|(?<![\d０-９])(?:19|20)\d{2}[ \u3000]*年(?:[ \u3000]{1,4}月|[ \u3000]*\d{1,2}[ \u3000]*月)"
              r"[ \u3000]{1,4}日"),
]
_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _PATTERNS))
#: The kind each group of :data:`_RE` reports (X件, X月: a number left out, so a figure).
_KIND = {"counted": "figure"}
#: A cheap test run first: every match of ``_RE`` holds, at most 2 characters after its start
#: (``20xx``, the two spaces before an empty date's 年), one of these starts (xx, ××, 〇〇, 某某,
#: ▲, △, ___, a bracket before a prompt, a field name or spaces, an X before a measure word, a
#: space before 年). The pattern begins with a character class, so the regex engine skips all
#: other characters quickly; most reports have no candidate at all and cost one such scan.
_QUICK = re.compile(
    r"[xX×＊*Ｘｘ〇○某▲△_＿（(【 \u3000]"
    r"(?:(?<=[xX×＊*Ｘｘ])(?=[xX×＊*Ｘｘ])|(?<=[〇○])(?=[〇○])|(?<=某)(?=某)|(?<=[▲△])|(?<=_)(?=__)"
    r"|(?<=＿)(?=＿＿)|(?<=[（(【])(?=文字描述|此处填写|请填写|填写|待填|待补充)"
    rf"|(?<=[（(【])(?=[ \u3000]*(?:{_FIELD_NAMES}|[】）)]))"
    rf"|(?<=[xXＸｘ×＊])(?=[{_COUNTED}]|\.[xX×＊])|(?<=[_＿])(?=[_＿]?[{_COUNTED}])|(?<=[ \u3000])(?=年[ \u3000])"
    r"|(?<=年[ \u3000])(?=[ \u3000]*月)|(?<=月[ \u3000])(?=[ \u3000]*日)"
    rf"|(?<=[ \u3000])(?=[ \u3000]{{1,11}}[{_BLANK_MEASURE}]))"
)
#: How far before a :data:`_QUICK` candidate a match of ``_RE`` can start (``20`` of ``20xx``;
#: ``2025 年 12 月`` before the space of a blank day).
_QUICK_BACK = 14


#: A label of a number right before a field (联系电话：XXXXXXXX, 邮编 XXXXXX): the field is a
#: number (kind ``figure``), not a name (session-17 fresh-user test).
_NUMBER_LABEL = re.compile(r"(?:电话|手机|传真|邮编|邮政编码|号码|编号|代码|编码|账号|热线)[ \u3000]*[：:]?[ \u3000]*$")

#: Common Chinese surnames: a name masked after one (张××, 李某某, 王XX) is a person kept
#: private, as published documents do, not a field left unfilled.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")


def _masked_name(text: str, start: int, raw: str) -> bool:
    """True for ××, XX or 某某 right after a common surname (张××, 李某某) that the segmenter
    does not join to the character before it (浙江××有限公司, 提高××: a field). The few
    characters before are cut by the backend this process already loaded
    (:func:`~summary_analysis.segment.loaded_backend`), only when such a case comes up."""
    if start == 0 or text[start - 1] not in _SURNAMES or raw[0] in "【（(〇○":
        return False
    if start >= 2 and "\u4e00" <= text[start - 2] <= "\u9fff":
        from ..segment import cut, loaded_backend

        return len(cut(text[max(0, start - 4):start], loaded_backend())[-1]) == 1
    return True


def _is_bullet(text: str, start: int, end: int) -> bool:
    """True for a ▲ that starts its line (after white space) and is followed by text: a list
    bullet (``▲ 推进分级诊疗``), not a field."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and bool(text[end:end + 2].strip())


def blank_table_rows(document: Document) -> list[Finding]:
    """PLH001 for each statutory table (二, 三, 四 of 国办公开办函〔2021〕30号) holding rows left
    unfilled (:func:`~summary_analysis.figures.tables.blank_rows`: ``| 行政许可 |  |``, a
    statutory row label and empty cells, no figure). One finding per table, ``span`` on the
    first such row (``evidence.text``), ``evidence`` ``{"text", "kind": "blank", "table",
    "rows", "cells"}`` (the labels of all such rows and their number of empty cells)."""
    from .tables import blank_rows, table_regions

    text = document.folded
    if "|" not in text:
        return []
    out = []
    for name, region in sorted(table_regions(text).items()):
        rows = blank_rows(text, region)
        if rows:
            start, end = rows[0][0], rows[0][1]
            labels = [label for _, _, label, _ in rows]
            cells = sum(n for _, _, _, n in rows)
            out.append(Finding(
                "PLH001", document.doc_id,
                f"unfilled statutory table {name}: {cells} empty cells in {len(rows)} rows "
                f"({', '.join(labels[:3])}{', …' if len(labels) > 3 else ''})",
                span=Span(start, end),
                evidence={"text": document.text[start:end], "kind": "blank", "table": name,
                          "rows": labels, "cells": cells}))
    return out


def find_placeholders(document: Document) -> list[Finding]:
    """One PLH001 finding per unfilled template field.

    Parameters
    ----------
    document : Document

    Returns
    -------
    list[Finding]
        In text order; ``span`` on the field itself, ``evidence`` ``{"text", "kind"}`` with kind
        one of year, prompt, name, figure, blank.
    """
    out = blank_table_rows(document)
    text = document.text
    q = _QUICK.search(text)
    if q is None:
        return sorted(out, key=lambda f: f.span.start)
    # no match starts before the first candidate's offset minus _QUICK_BACK, so scanning from
    # there finds the same matches as scanning from 0 (lookbehinds still see the text before)
    for m in _RE.finditer(text, max(0, q.start() - _QUICK_BACK)):
        kind = _KIND.get(m.lastgroup, m.lastgroup)
        raw = m.group()
        if raw[0] == "▲" and _is_bullet(text, m.start(), m.end()):
            continue
        if kind == "name" and _masked_name(text, m.start(), raw):
            continue
        if kind == "name" and _NUMBER_LABEL.search(text, max(0, m.start() - 12), m.start()):
            kind = "figure"  # 联系电话：XXXXXXXX is a number left out, not a name
        out.append(Finding("PLH001", document.doc_id, f"unfilled template field '{raw}' ({kind})",
                           span=Span(m.start(), m.end()), evidence={"text": raw, "kind": kind}))
    return sorted(out, key=lambda f: f.span.start)
