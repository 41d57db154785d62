"""Word's automatic numbering in .docx files (found by the session-10 sections/checklist audit: a
report whose 一、 / （一） / 1. headings were numbered by Word had no numbers in its text, so its
heading tree was empty and the checklist put items on the wrong parts)."""

from __future__ import annotations

import io
import random
import re

import pytest

from conftest import SHUYANG
from summary_analysis import read_documents
from summary_analysis.checklist import score_document
from summary_analysis.document import Document
from summary_analysis.ingest.docx_numbering import format_number
from summary_analysis.ingest.readers import read_docx
from summary_analysis.sections import document_meta, iter_sections, sections

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# the levels of a Chinese official document: 一、 （一） 1. （1）
LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）"))


@pytest.mark.parametrize("n, fmt, text", [
    (1, "chineseCounting", "一"), (11, "chineseCounting", "十一"), (23, "chineseCountingThousand", "二十三"),
    (3, "chineseLegalSimplified", "叁"), (2, "ideographTraditional", "乙"), (3, "ideographZodiac", "寅"),
    (3, "decimalEnclosedCircle", "③"), (5, "decimalFullWidth", "５"), (4, "upperRoman", "IV"),
    (9, "lowerRoman", "ix"), (28, "lowerLetter", "bb"), (7, "decimal", "7"), (7, "someNewFormat", "7"),
    (1, "bullet", ""), (1, "none", "")])
def test_format_number(n, fmt, text):
    assert format_number(n, fmt) == text


def _numbered_docx(paragraphs, levels=LEVELS, suffix=None, extra_num="", styles=()) -> bytes:
    """A .docx (python-docx) whose paragraphs are ``(level or None, text, options)``: level 0-3 is
    numbered by Word through numbering instance 7 (``options`` may give another numId or a
    paragraph style that carries the numbering instead)."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        + (f'<w:suff w:val="{suffix}"/>' if suffix else "") + "</w:lvl>"
        for i, (fmt, text) in enumerate(levels))
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(f'<w:abstractNum {W} w:abstractNumId="3">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:abstractNum {W} w:abstractNumId="4"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                               f'<w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="7"><w:abstractNumId w:val="3"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="8"><w:abstractNumId w:val="4"/></w:num>'))
    if extra_num:
        numbering.append(parse_xml(extra_num))
    for style_id, num_id, ilvl in styles:
        d.styles.element.append(parse_xml(
            f'<w:style {W} w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{style_id}"/>'
            f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr></w:style>'))
    for level, text, opts in paragraphs:
        p = d.add_paragraph(text)
        if "style" in opts:
            p._p.get_or_add_pPr().append(parse_xml(f'<w:pStyle {W} w:val="{opts["style"]}"/>'))
        elif level is not None:
            num_id = opts.get("num", 7)
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_labels_restart_below_a_level_and_follow_overrides_styles_and_bullets():
    restart = (f'<w:num {W} w:numId="9"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0">'
               f'<w:startOverride w:val="5"/></w:lvlOverride></w:num>')
    paragraphs = [(0, "总体情况", {}), (1, "主动公开", {}), (2, "重点领域", {}), (3, "财政信息", {}),
                  (3, "项目信息", {}), (2, "政策解读", {}), (1, "依申请公开", {}), (2, "规范办理", {}),
                  (None, "正文一段。", {}), (None, "要点", {"num": 8}), (0, "主动公开政府信息情况", {}),
                  (None, "样式编号的标题", {"style": "LevelTwo"}), (0, "第五部分", {"num": 9}),
                  (None, "", {})]
    text = read_docx(_numbered_docx(paragraphs, suffix="nothing", extra_num=restart,
                                    styles=[("LevelTwo", 7, 1)]))
    assert text.split("\n") == [
        "一、总体情况", "（一）主动公开", "1.重点领域", "（1）财政信息", "（2）项目信息", "2.政策解读",
        "（二）依申请公开", "1.规范办理", "正文一段。", "要点", "二、主动公开政府信息情况",
        "（一）样式编号的标题", "五、第五部分", ""]


def test_default_suffix_is_written_as_a_space_and_a_document_without_numbering_is_unchanged():
    text = read_docx(_numbered_docx([(0, "总体情况", {}), (1, "主动公开", {})]))
    assert text.split("\n") == ["一、 总体情况", "（一） 主动公开"]
    import docx

    d = docx.Document()
    d.add_paragraph("一、总体情况")
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue()).split("\n") == ["一、总体情况"]


_HEADING = re.compile(r"^#*\s*(?:(?P<l1>[一二三四五六七八九十]{1,2})、|[（(](?P<l2>[一二三四五六七八九十]{1,2})[）)])\s*")


@pytest.mark.parametrize("seed", [0, 1])
def test_a_real_report_numbered_by_word_keeps_its_heading_tree_and_score(seed):
    """The Shuyang report's prose written to .docx with its 一、 and （一） numbers left to Word
    (the tables left out, level suffix chosen by a seeded draw): the same level-1 and level-2
    headings and the same checklist score as the same text with the numbers typed."""
    rng = random.Random(seed)
    source = read_documents(str(SHUYANG))[0]
    typed, paragraphs = [], []
    for line in source.text.split("\n"):
        if not line.strip() or line.lstrip().startswith("|"):
            continue
        m = _HEADING.match(line)
        body = line[m.end():] if m else line.lstrip("# ")
        if m and not body.startswith(("本年", "上年")):  # table row labels stay typed
            level = 0 if m.group("l1") else 1
            paragraphs.append((level, body, {}))
        else:
            paragraphs.append((None, line.lstrip("# "), {}))
        typed.append(line.lstrip("# "))
    suffix = rng.choice(["nothing", "space", None])
    docx_text = read_docx(_numbered_docx(paragraphs, suffix=suffix))
    as_docx = Document(doc_id="d", title=source.title, path="d.docx", text=docx_text)
    as_typed = Document(doc_id="t", title=source.title, path="t.txt", text="\n".join([""] + typed))

    def tree(doc):
        forest = sections(doc)
        heads = [(s.level, s.title) for s in iter_sections(forest) if s.kind == "heading" and s.level <= 2]
        return heads, score_document(doc, forest, document_meta(doc, forest), [], "auto").completeness

    heads, score = tree(as_docx)
    assert (heads, score) == tree(as_typed)
    assert [t for lv, t in heads if lv == 1][:2] == ["总体情况", "主动公开政府信息情况"]
    assert len([1 for lv, _ in heads if lv == 1]) == 6 and score > 50


def test_malformed_numbering_definitions_give_no_label_and_no_error():
    """Hostile numbering parts: levels and instances that do not resolve, values that are not
    numbers, a placeholder for a level that does not exist, numbers past what a format can write."""
    weird = (("chineseCounting", "%1、%7"), ("lowerRoman", "%2)"), ("decimalEnclosedCircle", "%3"),
             ("upperLetter", "%4."))
    broken = (f'<w:num {W} w:numId="11"><w:abstractNumId w:val="404"/></w:num>')
    paragraphs = [(0, "甲", {}), (1, "乙", {}), (2, "丙", {}), (3, "丁", {}), (5, "无此级", {}),
                  (0, "坏实例", {"num": 11}), (0, "无定义", {"num": 12}), (None, "普通段落", {})]
    paragraphs += [(2, f"第{i}项", {}) for i in range(25)]
    text = read_docx(_numbered_docx(paragraphs, levels=weird, suffix="nothing", extra_num=broken))
    lines = text.split("\n")
    assert lines[:8] == ["一、1甲", "i)乙", "①丙", "A.丁", "无此级", "坏实例", "无定义", "普通段落"]
    assert lines[8] == "②第0项" and lines[-1] == "26第24项"  # ⑳ is the last circled number


def test_huge_list_numbers_are_written_in_decimal_past_the_label_limit():
    """Found by the session-12 hostile-input test: a list starting at 2,147,483,647 in letters
    gave an 82-million-letter label per paragraph (19 GB), one starting at 10^12 in Roman
    numerals a billion m's (a hang). Past MAX_REPEATED_LABEL both are written in decimal."""
    from summary_analysis.ingest.docx_numbering import MAX_REPEATED_LABEL, format_number

    assert format_number(28, "lowerLetter") == "bb" and format_number(MAX_REPEATED_LABEL, "upperRoman") == "MMMMM"
    assert format_number(2_147_483_647, "upperLetter") == "2147483647"
    assert format_number(10**12, "lowerRoman") == "1000000000000"
    assert format_number(MAX_REPEATED_LABEL + 1, "lowerLetter") == str(MAX_REPEATED_LABEL + 1)


def test_a_level_text_of_thousands_of_placeholders_gives_short_labels():
    """Found by the session-15 hostile-input test: a 36 KB .docx whose level text held 50,000
    ``%1`` (a start of 10^15 in Chinese numerals) gave 3,000 labels of 200,000 characters each,
    9 GB before the length limit refused it. Level texts are read to MAX_LEVEL_TEXT characters,
    labels kept to MAX_LABEL."""
    from summary_analysis.ingest.docx_numbering import MAX_LABEL, MAX_LEVEL_TEXT

    bomb = (("chineseCounting", "%1" * 50_000),)
    text = read_docx(_numbered_docx([(0, f"第{i}段", {}) for i in range(300)], levels=bomb))
    lines = text.split("\n")
    assert len(lines) == 300 and max(map(len, lines)) <= MAX_LABEL + 1 + len("第299段")
    assert lines[0] == "一" * (MAX_LEVEL_TEXT // 2) + " 第0段"  # 32 labels 一 then the suffix
    assert len(text) < 300 * (MAX_LABEL + 8)
