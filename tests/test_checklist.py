"""Checklist stage: loading checklists, finding items on the real reports, SEC001–SEC003, score."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import pytest

from summary_analysis import load_checklist, read_documents
from summary_analysis.checklist import (ChecklistError, available_checklists, choose_checklist,
                                        score_document)
from summary_analysis.checklist.scorer import body_measure, is_government
from summary_analysis.sections import DocMeta, document_meta, sections

from conftest import CORPUS, HUAIAN, SEED, SHANGHAI, SHUYANG, TEMPLATE

LABELS = Path(__file__).parent / "data" / "checklist_labels.csv"


@pytest.fixture(scope="session")
def docs():
    """Every document of the corpus by doc_id (read once)."""
    return {d.doc_id: d for d in read_documents(str(CORPUS))}


def _score(doc, checklist="auto", forest=True):
    f = sections(doc) if forest else []
    meta = document_meta(doc, f) if forest else None
    return score_document(doc, f, meta, [], checklist)


def _rows(result):
    return {r["item"]: r for r in result.rows}


def _codes(result):
    return sorted((f.rule, f.evidence["item"]) for f in result.findings)


# -- loading ----------------------------------------------------------------------------------

def test_shipped_checklists_load_with_citations():
    assert available_checklists() == ["gov-info-annual-2008", "gov-info-annual-2021", "work-summary"]
    c21 = load_checklist("gov-info-annual-2021")
    assert [i.id for i in c21.items][:6] == ["overview", "proactive", "requests", "review", "problems", "other"]
    assert all(i.citation and i.headings for i in c21.items)
    assert c21.item("other").required and c21.item("assessment").when == "government"
    c08 = load_checklist("gov-info-annual-2008")
    assert not c08.verified and not any(i.verified for i in c08.items)
    assert not c08.item("other").required
    ws = load_checklist("work-summary")
    assert {i.id for i in ws.items if i.required} == {"main-work", "problems", "next-steps"}


def test_user_checklist_file(tmp_path, docs):
    p = tmp_path / "mine.toml"
    p.write_text('name = "mine"\n[[items]]\nid = "fees"\ntitle = "信息处理费"\nheadings = ["其他需要报告"]\n'
                 'evidence = ["信息处理费"]\n', encoding="utf-8")
    r = score_document(docs[SHUYANG.name], [], None, [], str(p))
    assert r.checklist == "mine" and r.rows[0]["status"] == "present" and r.completeness == 100.0


@pytest.mark.parametrize("text, message", [
    ("name = 'x'\n", "items"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nbogus = 1\n", "unknown key"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['(']\n", "bad pattern"),
    # found by the session-16 fresh-user test: "duplicate item ids" named none; a typo of a key
    # named no key; \\d in a "…" string was blamed on full-width punctuation; [items] for [[items]]
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['x']\n[[items]]\nid = 'a'\ntitle = 'u'\nheadings = ['y']\n",
     "item id\\(s\\) 'a' given to more than one item"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheading = ['x']\n", "did you mean 'headings'"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nevidence = [\"受理[^。，]申请\\d+件\"]\n", "between single quotes"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nnote = \"D:\\资料\"\n", "double the backslash"),
    ("name = 'x'\n[items]\nid = 'a'\ntitle = 't'\nheadings = ['x']\n[[items]]\nid = 'b'\n", "not \\[items\\]"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['x']\nweight = 0\n", "weight"),
    ("name = [\n", "not valid TOML"),
    # found by the session-9 fresh-user test: tomllib's message alone did not say why
    ("name ＝ 'x'\n", "full-width ＝"),
    ("name = 'x'\n[[items]]\nid = “a”\n", "full-width “ ”"),
    ("name = 'x'\n标题 = 'a'\n", "English names"),
    # found by the session-8 fresh-user test: nan and inf made every score nan
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['x']\nweight = nan\n", "finite"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['x']\nweight = inf\n", "finite"),
    # found by the session-8 fresh-user test: a repeat inside a repeat hung the run
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nevidence = ['(\\d+,?)+元']\n", "repeats a repeat"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nevidence = ['(\\d{1,3},?)+万?元']\n", "repeats a repeat"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nevidence = ['(\\d|\\d\\d)+元']\n", "repeats a repeat"),
    # found by the session-9 fresh-user test: accepted, but never found or found everywhere
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\n", "can never be found"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['']\n", "empty string"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['(问题)?']\n", "empty string"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nevidence = ['短板']\nevidence_min = 2\n", "evidence_min"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['下一步 工作']\n", "remove it"),
    ("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nevidence = ['１２件']\n", "write '1'"),
    ("name = 'x'\nnot_headings = ['(.*)*b']\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['x']\n", "repeats a repeat"),
])
def test_bad_checklist_files_raise_checklist_error(tmp_path, text, message):
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistError, match=message):
        load_checklist(p)


def test_checklist_file_from_notepad_or_in_gbk(tmp_path, docs):
    """Found by the session-8 fresh-user test: a UTF-8 byte-order mark (Windows Notepad) made
    the first line invalid TOML; a GBK file gave a raw codec error."""
    text = ('name = "mine"\n[[items]]\nid = "fees"\ntitle = "信息处理费"\nheadings = ["其他需要报告"]\n'
            'evidence = ["信息处理费"]\n')
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    r = score_document(docs[SHUYANG.name], [], None, [], str(p))
    assert r.checklist == "mine" and r.rows[0]["status"] == "present"
    g = tmp_path / "gbk.toml"
    g.write_bytes(text.encode("gbk"))
    with pytest.raises(ChecklistError, match="save it as UTF-8"):
        load_checklist(g)


def test_unknown_checklist_name():
    with pytest.raises(ChecklistError, match="unknown checklist"):
        load_checklist("no-such-list")


# -- the real reports ---------------------------------------------------------------------------

@pytest.mark.parametrize("forest", [True, False])
def test_shuyang_all_six_present_score_100(docs, forest):
    doc = docs[SHUYANG.name]
    r = _score(doc, forest=forest)
    assert r.checklist == "gov-info-annual-2021"
    rows = _rows(r)
    assert [rows[i]["status"] for i in ("overview", "proactive", "requests", "review", "problems", "other")] \
        == ["present"] * 6
    assert r.completeness == 100.0 and r.findings == []
    s, e = rows["review"]["evidence_span"]
    assert doc.text[s:e] == "四、政府信息公开行政复议、行政诉讼情况"
    s, e = rows["other"]["evidence_span"]
    assert doc.text[s:e] == "六、其他需要报告的事项"  # written without ##


@pytest.mark.parametrize("forest", [True, False])
def test_shanghai_item_five_present_by_content_without_heading(docs, forest):
    doc = docs[SHANGHAI.name]
    assert "五、" not in doc.text  # the heading was lost in extraction
    r = _score(doc, forest=forest)
    rows = _rows(r)
    assert {k: v["status"] for k, v in rows.items()} == dict.fromkeys(
        ["overview", "proactive", "requests", "review", "problems", "other"], "present")
    assert rows["problems"]["matched_by"] == "subheading"
    s, e = rows["problems"]["evidence_span"]
    assert doc.text[s:e] == "（一）2024 年工作中存在问题的改进情况"
    s, e = rows["problems"]["span"]
    assert "（二）2025 年工作中存在的主要问题" in doc.text[s:e] and "六、" not in doc.text[s:e]
    # the review part ends where the lost part begins
    assert rows["review"]["span"][1] == rows["problems"]["span"][0]
    assert "assessment" not in rows  # an office of a government, not 各级人民政府
    assert r.completeness == 100.0


@pytest.mark.parametrize("forest", [True, False])
def test_huaian_all_six_present_headings_run_into_table_rows(docs, forest):
    doc = docs[HUAIAN.name]
    r = _score(doc, forest=forest)
    rows = _rows(r)
    for item in ("overview", "proactive", "requests", "review", "problems", "other"):
        assert rows[item]["status"] == "present", item
        assert rows[item]["matched_by"] == "heading", item
    s, e = rows["problems"]["evidence_span"]
    assert doc.text[s:e] == "五、存在的主要问题及改进情况"
    assert doc.text[s - 2:s] == "20"  # run into the end of the last table row
    # a city government's report: 考核/评议/追究 required, and not reported
    assert rows["assessment"]["status"] == "missing"
    assert _codes(r) == [("SEC001", "assessment")]


@pytest.mark.parametrize("forest", [True, False])
def test_blank_template_every_item_empty(docs, forest):
    doc = docs[TEMPLATE.name]
    r = _score(doc, forest=forest)
    assert r.checklist == "gov-info-annual-2021"
    assert [row["status"] for row in r.rows] == ["empty"] * 6
    assert _codes(r) == sorted(("SEC002", i) for i in
                               ["overview", "proactive", "requests", "review", "problems", "other"])
    for f in r.findings:
        assert doc.text[f.span.start:f.span.end] in {
            "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}
    assert r.completeness <= 10


@pytest.mark.parametrize("n", [2, 5])
def test_seed_legacy_reports_complete_under_2008(docs, n):
    r = _score(docs[f"{SEED.name}#{n}"])
    assert r.checklist == "gov-info-annual-2008"
    rows = _rows(r)
    assert all(rows[i.id]["status"] == "present"
               for i in load_checklist("gov-info-annual-2008").items if i.required)
    assert rows["other"]["status"] == "missing"  # optional: no finding
    assert [f for f in r.findings if f.rule in ("SEC001", "SEC002")] == []
    assert r.completeness == 100.0


def test_seed_1_work_summary_misses_problems_and_plans_only(docs):
    r = _score(docs[f"{SEED.name}#1"])
    assert r.checklist == "work-summary"
    assert _codes(r) == [("SEC001", "next-steps"), ("SEC001", "problems")]
    assert _rows(r)["main-work"]["status"] == "present"
    assert r.rows[0]["checklist"] == "work-summary"


# -- code-made variants ---------------------------------------------------------------------------

def _without(doc, start_marker, end_marker):
    t = doc.text
    return replace(doc, text=t[:t.index(start_marker)] + t[t.index(end_marker):])


@pytest.mark.parametrize("forest", [True, False])
def test_shuyang_without_sections_four_and_five(docs, forest):
    doc = _without(docs[SHUYANG.name], "## 四、", "六、其他需要报告")
    overview = doc.text[doc.text.index("## 一、"):doc.text.index("## 二、")]
    assert "行政复议" in overview  # the trap: a passing mention in 总体情况
    r = _score(doc, forest=forest)
    assert [(f.rule, f.evidence["item"]) for f in r.findings if f.rule == "SEC001"] == \
        [("SEC001", "review"), ("SEC001", "problems")]
    assert all(f.rule == "SEC001" for f in r.findings)
    assert r.completeness == pytest.approx(100 * 4.5 / 6.5, abs=0.1)


def test_huaian_without_section_four_passing_mention_does_not_count(docs):
    doc = _without(docs[HUAIAN.name], "四、政府信息公开行政复议", "五、存在的主要问题")
    assert "政府信息公开行政复议 351件" in doc.text  # still told in 总体情况
    r = _score(doc)
    assert _rows(r)["review"]["status"] == "missing"
    assert ("SEC001", "review") in _codes(r)


def test_lost_heading_content_still_counts(docs):
    doc = docs[SHUYANG.name]
    doc = replace(doc, text=doc.text.replace("## 五、政府信息公开工作存在的主要问题及改进情况", ""))
    r = _score(doc)
    row = _rows(r)["problems"]
    assert row["status"] == "present" and row["matched_by"] == "content"
    s, e = row["evidence_span"]
    assert "仍存在短板" in doc.text[s:e]
    assert r.completeness == 100.0


def test_out_of_order_is_sec003_info(docs):
    doc = docs[SHUYANG.name]
    t = doc.text
    two = t[t.index("## 二、"):t.index("## 三、")]
    five = t[t.index("## 五、"):t.index("六、其他需要报告")]
    moved = t.replace(five, "").replace(two, five + two)
    r = _score(replace(doc, text=moved))
    sec3 = [f for f in r.findings if f.rule == "SEC003"]
    assert [f.evidence["item"] for f in sec3] == ["problems"]
    assert sec3[0].severity == "info"
    assert r.completeness == 100.0
    # found by the session-12 first-use test: the message read "五 … comes after 一 总体情况",
    # true but not what is wrong; it names the item it wrongly precedes
    assert _order_messages(doc, moved) == [(
        "item out of the required order: 五 存在的主要问题及改进情况 comes before 二 主动公开政府信息情况, "
        "which should come first", "顺序不对：五 存在的主要问题及改进情况 排在 二 主动公开政府信息情况 之前，应在其后")]
    # 二 moved to the end: it comes after the last item that should follow it
    late = t.replace(two, "").replace("六、其他需要报告", two + "六、其他需要报告", 1)
    assert _order_messages(doc, late) == [(
        "item out of the required order: 二 主动公开政府信息情况 comes after 五 存在的主要问题及改进情况, "
        "which should come after it", "顺序不对：二 主动公开政府信息情况 排在 五 存在的主要问题及改进情况 之后，应在其前")]


def _order_messages(doc, text: str) -> list[tuple[str, str]]:
    """(English, Chinese) message of each SEC003 finding of ``doc`` with ``text``."""
    from summary_analysis.report.messages_zh import message_zh

    sec3 = [f for f in _score(replace(doc, text=text)).findings if f.rule == "SEC003"]
    return [(f.message, message_zh("SEC003", f.message, f.evidence)) for f in sec3]


def test_item_moved_to_the_front_names_the_item_it_precedes(docs):
    """Found by the session-10 audit: an item moved before all others read "comes after
    nothing"; it names the item it now precedes, in English and Chinese."""
    doc = docs[SHUYANG.name]
    t = doc.text
    six = t[t.index("六、其他需要报告"):t.index("沐阳县人民政府\n2026年")]
    moved = t.replace(six, "").replace("## 一、", six + "\n## 一、", 1)
    assert _order_messages(doc, moved) == [(
        "item out of the required order: 六 其他需要报告的事项 comes first, before 一 总体情况",
        "顺序不对：六 其他需要报告的事项 排在最前面，在 一 总体情况 之前")]


def test_emptied_part_is_sec002(docs):
    doc = docs[SHUYANG.name]
    t = doc.text
    body = t[t.index("## 五、") + len("## 五、政府信息公开工作存在的主要问题及改进情况"):t.index("六、其他需要报告")]
    r = _score(replace(doc, text=t.replace(body, "\n\n（文字描述）\n\n")))
    assert _codes(r) == [("SEC002", "problems")]
    assert _rows(r)["problems"]["status"] == "empty"


def test_nothing_else_to_report_is_an_answer_for_the_last_item(docs):
    """Found by the session-10 audit: 六、其他需要报告的事项 answered 无。 at the end of a report
    (nothing after it) was SEC002 "present but empty"; it is the report saying there is nothing
    else, on both statutory lists. A part with nothing under it is still empty."""
    doc = docs[SHUYANG.name]
    head = doc.text[:doc.text.index("六、其他需要报告的事项") + len("六、其他需要报告的事项")]
    for checklist in ("gov-info-annual-2021", "gov-info-annual-2008"):
        answered = _score(replace(doc, text=head + "\n\n无。\n"), checklist)
        assert _rows(answered)["other"]["status"] == "present", checklist
        assert ("SEC002", "other") not in _codes(answered)
        blank = _score(replace(doc, text=head + "\n\n"), checklist)
        assert _rows(blank)["other"]["status"] == "empty", checklist


@pytest.mark.parametrize("title", ["工作基本情况", "政务公开工作开展情况", "年度工作概述", "主要工作情况"],
                         ids=["basic", "work-done", "yearly-summary", "main-work"])
def test_overview_titled_in_other_words(docs, title):
    """Found by the session-10 audit: part 一 titled 工作基本情况 / …工作开展情况 / 年度工作概述 /
    主要工作情况 was not recognised, so the overview item shrank to one line and the 考核
    sentence searched inside it was lost (a false SEC001)."""
    doc = docs[SHUYANG.name]
    r = _score(replace(doc, text=doc.text.replace("## 一、总体情况", f"## 一、{title}", 1)))
    assert _rows(r)["overview"]["matched_by"] == "heading"
    assert r.completeness == 100.0 and not r.findings


def test_work_summary_parts_titled_in_other_words():
    """Found by the session-10 audit: 主要举措和成效, 存在的不足和原因, 面临的困难, 2025年主要安排
    were found only through one line of content; they are headings of their items now."""
    from summary_analysis.document import Document

    body = ("全年认真开展各项工作，加强组织领导，推进重点任务，完善制度建设，落实工作责任。\n",
            "宣传的针对性还不够强，基层力量仍然薄弱，有待进一步加强。\n",
            "继续围绕中心工作，力争取得新突破，着力提升群众满意度。\n")
    for a, b, c in (("主要举措和成效", "存在的不足和原因", "2025年主要安排"),
                    ("工作措施及成效", "面临的困难", "2025年工作计划")):
        text = (f"某局2024年工作总结\n\n一、{a}\n{body[0]}\n二、{b}\n{body[1]}\n三、{c}\n{body[2]}")
        r = _score(Document(doc_id="ws", title="某局2024年工作总结", text=text, path="ws.txt"))
        rows = _rows(r)
        assert [rows[i]["matched_by"] for i in ("main-work", "problems", "next-steps")] == ["heading"] * 3, (a, b, c)
        assert r.completeness == 100.0


# -- choice, measures -----------------------------------------------------------------------------

def test_auto_choice_by_kind_and_year(docs):
    doc = docs[SHUYANG.name]
    assert choose_checklist(doc, DocMeta(kind="annual-report-2021", year=2025))[0] == "gov-info-annual-2021"
    # Found by the session-10 audit: a 2020 report in the six-part layout was scored on the
    # repealed 2008 list (a false SEC001 for 收费及减免). Article 50 governs from the 2019 report on.
    assert choose_checklist(doc, DocMeta(kind="annual-report-2021", year=2020))[0] == "gov-info-annual-2021"
    assert choose_checklist(doc, DocMeta(kind="annual-report-2021", year=2019))[0] == "gov-info-annual-2021"
    assert choose_checklist(doc, DocMeta(kind="annual-report-2021", year=2018))[0] == "gov-info-annual-2008"
    assert choose_checklist(doc, DocMeta(kind="annual-report-legacy", year=2020))[0] == "gov-info-annual-2008"
    assert choose_checklist(doc, DocMeta(kind="work-summary"))[0] == "work-summary"
    # kind unknown: the text decides
    picks = {d: choose_checklist(x, DocMeta())[0] for d, x in docs.items()}
    assert picks == {
        TEMPLATE.name: "gov-info-annual-2021", HUAIAN.name: "gov-info-annual-2021",
        SHANGHAI.name: "gov-info-annual-2021", SHUYANG.name: "gov-info-annual-2021",
        f"{SEED.name}#1": "work-summary", f"{SEED.name}#2": "gov-info-annual-2008",
        f"{SEED.name}#3": "work-summary", f"{SEED.name}#4": "work-summary",
        f"{SEED.name}#5": "gov-info-annual-2008"}


def test_is_government(docs):
    assert is_government(docs[SHUYANG.name], None)
    assert is_government(docs[HUAIAN.name], None)
    assert not is_government(docs[SHANGHAI.name], None)
    assert not is_government(docs[SHANGHAI.name], DocMeta(issuer="上海市人民政府办公厅"))


@pytest.mark.parametrize("issuer, government", [
    ("青山镇人民政府", True), ("青山乡人民政府", True), ("东湖街道办事处", False),
    ("青山镇人民政府办公室", False), ("临江区教育局", False), ("临江区人民政府", True)],
    ids=["township", "village-township", "subdistrict-office", "township-office", "bureau", "district"])
def test_issuer_of_a_township_government(docs, issuer, government):
    """Found by the session-10 audit: 青山镇人民政府 was read as issuer 青山镇 (the shortest organ
    name), so the 各级人民政府-only item (考核/评议/追究, Article 50) was not asked of it."""
    doc = docs[SHUYANG.name]
    old = "沐阳县人民政府"
    text = doc.text.replace(old, issuer)
    edited = replace(doc, text=text, title=doc.title.replace(old, issuer) if doc.title else doc.title)
    meta = document_meta(edited, sections(edited))
    assert meta.issuer == issuer
    assert is_government(edited, meta) is government


def test_body_measure_on_template_text(docs):
    t = docs[TEMPLATE.name].text
    table = t[t.index("二、主动公开政府信息情况"):t.index("三、收到和处理")]
    assert body_measure(table)[1] == 0  # labels only, no figures
    assert body_measure("（文字描述）\n")[0] == 0
    own, figs, prose = body_measure("| 行政许可 | 447228 |\n")
    assert figs == 1 and own > 0


def test_hand_labels_agree(docs):
    """The benchmark's labels (>= 30 judgements read off the texts) all hold."""
    with open(LABELS, encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    assert len(labels) >= 30
    scored = {}
    wrong = []
    for lab in labels:
        key = (lab["doc_id"], lab["checklist"])
        if key not in scored:
            scored[key] = _rows(_score(docs[lab["doc_id"]], lab["checklist"]))
        got = scored[key].get(lab["item"], {}).get("status")
        if got != lab["status"]:
            wrong.append((key, lab["item"], lab["status"], got))
    assert len(wrong) / len(labels) <= 0.05, wrong


# -- pipeline and CLI -----------------------------------------------------------------------------

def test_batch_checklist_table_and_completeness(docs):
    from summary_analysis import analyze

    batch = analyze([docs[SHUYANG.name], docs[TEMPLATE.name]])
    df = batch.checklist
    # the contract's columns, then what the item is and what satisfied it (found by the session-12
    # first-use test: the DataFrame, CSV and XLSX had ids like "overview" only; the JSON had more)
    assert list(df.columns) == ["doc_id", "checklist", "item", "status", "span", "weight", "title", "number",
                                "required", "matched_by", "evidence", "evidence_span"]
    overview = df[(df.doc_id == SHUYANG.name) & (df.item == "overview")].iloc[0]
    assert (overview.title, overview.number, overview.matched_by) == ("总体情况", "一", "heading")
    text = docs[SHUYANG.name].text
    assert text[overview.evidence_span[0]:overview.evidence_span[1]] == overview.evidence
    shu = df[df.doc_id == SHUYANG.name]
    assert set(shu.status) == {"present"} and set(shu.checklist) == {"gov-info-annual-2021"}
    comp = dict(zip(batch.documents.doc_id, batch.documents.completeness))
    assert comp[SHUYANG.name] == 100.0 and comp[TEMPLATE.name] <= 10
    sec = batch.findings[batch.findings.rule.str.startswith("SEC")]
    assert (sec[sec.doc_id == TEMPLATE.name].rule == "SEC002").sum() == 6
    json.dumps(batch.to_dict()["checklist"], ensure_ascii=False)


def test_cli_checklist_command(capsys):
    from summary_analysis.cli import main

    assert main(["checklist", str(SHANGHAI)]) == 0
    out = capsys.readouterr().out
    assert "gov-info-annual-2021" in out and "completeness: 100.0" in out
    line = next(ln for ln in out.splitlines() if "problems" in ln)
    assert "subheading" in line and "129:1" in line and "2024 年工作中存在问题的改进情况" in line
    assert main(["checklist", str(SEED), "--checklist", "work-summary", "--format", "json"]) == 0
    blocks = json.loads(capsys.readouterr().out)
    assert [b["checklist"] for b in blocks] == ["work-summary"] * 5
    assert main(["checklist", str(SHUYANG), "--checklist", "no-such"]) == 2
    assert "unknown checklist" in capsys.readouterr().err


# -- fix round: 2025 reports, SEC001 order, legacy order --------------------------------------------

def _skeleton_2025(shuyang, seed: int) -> str:
    """Shuyang's 一 and 二 headings under a 2025 title, with seeded sentences of its 总体情况."""
    import random

    rng = random.Random(seed)
    t = shuyang.text
    body = t[t.index("## 一、"):t.index("## 二、")]
    sentences = [s.strip("#* \n") + "。" for s in body.split("。")
                 if 10 < len(s.strip()) < 120 and "本年" not in s]
    out = ["XX县2025年政府信息公开工作年度报告", ""]
    for h in ("一、总体情况", "二、主动公开政府信息情况"):
        out += [h, "".join(rng.sample(sentences, 3)), ""]
    return "\n".join(out)


@pytest.mark.parametrize("seed", [11, 12])
def test_2025_report_scored_on_2021_format_missing_items_in_order(docs, seed):
    from summary_analysis.findings import Finding

    doc = replace(docs[SHUYANG.name], doc_id="x.txt", text=_skeleton_2025(docs[SHUYANG.name], seed))
    r = _score(doc)
    assert r.checklist == "gov-info-annual-2021"
    sec1 = [f for f in sorted(r.findings, key=Finding.sort_key) if f.rule == "SEC001"]
    assert [f.evidence["item"] for f in sec1] == ["requests", "review", "problems", "other"]
    assert [f.message.split(":")[0] for f in sec1] == [
        f"required item missing (checklist item {i} of 7)" for i in (3, 4, 5, 6)]
    assert not any("2008" in f.message for f in r.findings)
    assert all("条例第五十条" in f.evidence["citation"] for f in sec1)


def test_legacy_order_2008_checks_order_but_accepts_review_before_fees(docs):
    seed5 = _score(docs[f"{SEED.name}#5"])
    rows = _rows(seed5)
    review, fees = rows["review"]["evidence_span"][0], rows["fees"]["evidence_span"][0]
    assert review < fees  # 六、复议诉讼 before 七、支出与收费: the older shape (spec §C)
    assert [f for f in seed5.findings if f.rule == "SEC003"] == []
    # the legacy checklist does check order: 依申请公开 moved before 主动公开 in seed #2
    doc = docs[f"{SEED.name}#2"]
    t = doc.text
    two, three = t[t.index("二、主动公开"):t.index("三、依申请")], t[t.index("三、依申请"):t.index("四、政府信息公开收费")]
    r = _score(replace(doc, text=t.replace(two + three, three + two)))
    assert r.checklist == "gov-info-annual-2008"
    assert [(f.rule, f.severity) for f in r.findings if f.rule == "SEC003"] == [("SEC003", "info")]


def test_star_height_of_patterns():
    from summary_analysis.checklist.model import star_height

    assert [star_height(p) for p in ("总体情况", r"\d+件", r"(?:总体|全年)+情况", r"(\d+,?)+元", r"(.*)*b",
                                     r"(a++)+", r"(a{1,50})+", r"(?=(a+)+)")] == [0, 1, 1, 2, 3, 1, 2, 2]
    assert star_height("(") is None
    # found by the session-9 review and fresh-user test: bounded but varying inner repeats,
    # alternatives that start alike, and what a possessive repeat holds still nest
    assert [star_height(p) for p in (r"(\d{1,3},?)+万?元", r"(\d|\d\d)+元", r"(?:(\d+,?)+元)++",
                                     r"(\d{1,20}){1,20}元", r"(\d{4}年)+", r"(a?b)+", r"(?:总体|全年)+")] \
        == [2, 2, 2, 2, 1, 1, 1]
    # found by the session-11 hostile-input test: a repeated body that can split one string in
    # several ways (an optional part matching what the rest does) hung check as (\d|\d\d)+ did
    assert [star_height(p) for p in (r"(?:\d\d?)+万元", r"(a?a?)+b", r"(?:aa?)+b", r"(a?b)+", r"(\d{4}年)+")] \
        == [2, 2, 2, 1, 1]
    # found by the session-13 hostile-input test: a fixed count of 4 or more copies of a body of
    # varying width nests too ((.?){30}问题 took 51 s on 14 characters); fewer, or fixed widths, not
    assert [star_height(p) for p in (r"(.?){30}问题", r"(\d+){4}", r"(年|年度){4}", r"(\d+){3}", r"(.?){3}",
                                     r"(ab){5}", r"(\d{4})年", r"[一二三]{2}")] == [2, 2, 2, 1, 0, 0, 0, 0]
    # found by the second session-9 review: alike branches outside any repeat are harmless
    assert [star_height(p) for p in (r"(\d+|\d+\.\d+)件", r"(?:\d+|\d+\.\d+)万元", r"(.*增长|.*下降)")] \
        == [1, 1, 1]


def test_shipped_checklists_have_no_repeat_inside_a_repeat():
    from summary_analysis.checklist.model import star_height

    for name in available_checklists():
        cl = load_checklist(name)
        patterns = list(cl.not_headings) + [p for it in cl.items for p in it.headings + it.evidence + it.table_rows]
        assert patterns and max(star_height(p) for p in patterns) <= 1, name


@pytest.mark.parametrize("pattern, line, message", [
    ("(\\d+,?)+元", "收费" + "1" * 40 + "次。", "repeats a repeat"),
    # session 11: repeats side by side that trade characters, with a free start
    (".*存在.*问题", "我们存在一些困难，" * 1000, "'.*存在.*问题' has repeats that can trade characters"),
])
def test_cli_refuses_a_checklist_that_would_hang(tmp_path, capsys, pattern, line, message):
    from summary_analysis.cli import main

    p = tmp_path / "slow.toml"
    p.write_text(f"name = 'slow'\n[[items]]\nid = 'a'\ntitle = '金额'\nevidence = ['{pattern}']\n",
                 encoding="utf-8")
    doc = tmp_path / "r.txt"
    doc.write_text("某局工作总结\n" + line + "\n", encoding="utf-8")
    assert main(["check", str(doc), "--checklist", str(p)]) == 2
    assert message in capsys.readouterr().err


def test_backtracking_degree_of_patterns():
    """Found by the session-11 review: star_height passed repeats side by side that trade
    characters, and ``.*存在.*问题`` took 9.8 s on one 9,000-character line (``\\d*\\d*\\d*x``
    on 300 digits, minutes): a user's checklist could hang the run all the same."""
    from summary_analysis.checklist.model import MAX_BACKTRACKING_DEGREE, backtracking_degree

    refused = [r".*存在.*问题", r".*存在.*问题.*不足", r"\d+\d+x", r"\d*\d*\d*x", r"(.*)存在(.*)问题",
               r"[^，]*问题.*不足", r".*存在[，,].*问题", r"\d+(?=\d)\d+x"]
    accepted = [r"存在.*问题.*不足", r"^.*存在.*问题", r"\d+件", r"\d+件\d+件", r"\d+\.\d+x", r"[0-9,]+元",
                r"存在的(主要)?问题", r"总体情况", r".*增长", r"存在.*"]
    assert [backtracking_degree(p) for p in refused] == [3, 4, 3, 4, 3, 3, 3, 3]
    assert all(backtracking_degree(p) <= MAX_BACKTRACKING_DEGREE for p in accepted)
    assert backtracking_degree("(") is None
    for name in available_checklists():  # the shipped patterns pass
        cl = load_checklist(name)
        patterns = list(cl.not_headings) + [p for it in cl.items for p in it.headings + it.evidence + it.table_rows]
        assert max(backtracking_degree(p) for p in patterns) <= MAX_BACKTRACKING_DEGREE, name


def test_optional_groups_and_optional_characters_are_read_both_ways():
    """Found by the session-15 hostile-input test: wrapping one repeat in an optional group hid
    it (``(?:\\d+)?\\d+\\d?元``: 98 s on a line of 3,000 digits), and so did a row of optional
    characters (``(?:a?a?…a?)aa…工作``, 20 of each: 27 s on 250 characters). An optional group
    now counts skipped and taken, and four optional characters in a row that can trade
    characters count as a repeat; optional parts that a required character separates still
    pass."""
    from summary_analysis.checklist.model import MAX_BACKTRACKING_DEGREE, backtracking_degree

    refused = [r"(?:\d+)?\d+\d?元", "(?:" + "a?" * 20 + ")" + "a" * 20 + "工作", r"(?:\d+)?(?:\d+)?x",
               r"(?:(?:\d+)?\d+)?\d+x", "a?a?a?a?a?a?a?a?aaaa"]
    accepted = [r"(?:[0-9]+\.)?\d+%", r"\d+(?:\.\d+)?万元", r"(?:\d+件)?\d+条", r"\d?\d?\d?\d?年", r"(?:\d+)?元",
                r"第?[一二三]?[、.]?", r"[（(]?[一二三四五六七八九十]+[）)]?", r"(?:\d)?\d+x", r"(?:共|全年)?\d+件"]
    assert [backtracking_degree(p) > MAX_BACKTRACKING_DEGREE for p in refused] == [True] * len(refused)
    assert [backtracking_degree(p) for p in accepted if backtracking_degree(p) > MAX_BACKTRACKING_DEGREE] == []
    # many optional groups: past the ways read one by one, never less than the real degree
    many = "".join(r"(?:\d+x)?" for _ in range(10)) + r"(?:\d+)?\d+y"
    assert backtracking_degree(many) > MAX_BACKTRACKING_DEGREE


def test_a_checklist_hiding_a_repeat_in_an_optional_group_is_refused(tmp_path):
    bad = tmp_path / "slow.toml"
    bad.write_text('name = "slow"\n[[items]]\nid = "work"\ntitle = "主要工作"\nheadings = ["主要工作"]\n'
                   '[[items]]\nid = "amounts"\ntitle = "金额"\nwithin = "work"\n'
                   'evidence = ["(?:\\\\d+)?\\\\d+\\\\d?元"]\n', encoding="utf-8")
    with pytest.raises(ChecklistError, match="repeats that can trade characters"):
        load_checklist(bad)


USER_SUMMARY_CHECKLIST = """name = "district-summary"
[[items]]
id = "problems"
number = "一"
title = "存在的问题"
headings = ["存在的(主要)?问题"]
[[items]]
id = "amounts"
title = "量化成效"
required = false
evidence = ["\\\\d+(\\\\.\\\\d+)?(万元|亿元|%)"]
[[items]]
id = "plan"
number = "二"
title = "下一步工作打算"
headings = ["下一步工作(打算|计划)"]
"""


def test_optional_item_found_by_a_content_line_puts_nothing_out_of_order(tmp_path, seed_docs):
    # Found writing a user checklist this session: on 篇2 the optional evidence item matched a
    # line of 二、 (35:1), before the required headings, and made them SEC003 "comes after
    # amounts"; and SEC001 ended with "()" for an item without a citation.
    from summary_analysis.checklist import MISSING, ItemResult, findings_for
    from summary_analysis.segment import segment

    p = tmp_path / "mine.toml"
    p.write_text(USER_SUMMARY_CHECKLIST, encoding="utf-8")
    doc = seed_docs[2]
    r = score_document(doc, sections(doc, segment(doc.text)), None, [], str(p))
    by_id = {row["item"]: row for row in r.rows}
    assert by_id["amounts"]["status"] == "present"
    amounts_at = by_id["amounts"]["span"][0]
    assert amounts_at < by_id["problems"]["span"][0] and amounts_at < by_id["plan"]["span"][0]
    sec003 = [f for f in r.findings if f.rule == "SEC003"]
    assert all("amounts" not in f.message for f in sec003)
    assert all(f.evidence["item"] != "amounts" for f in sec003)
    cl = load_checklist(p)
    missing = findings_for(doc, cl, [ItemResult(cl.item("problems"), MISSING, None)])
    assert [f.message for f in missing] == ["required item missing (checklist item 1 of 3): 一 存在的问题"]


def test_readme_checklist_example_loads_and_scores(tmp_path, seed_docs):
    """The TOML example of README.md's "Your own checklist" is a working checklist."""
    from conftest import ROOT
    from summary_analysis.segment import segment

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own checklist", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    p = tmp_path / "district-summary.toml"
    p.write_text(example, encoding="utf-8")
    cl = load_checklist(p)
    assert [i.id for i in cl.items] == ["work", "problems", "plan", "amounts"]
    assert [i.required for i in cl.items] == [True, True, True, False]
    doc = seed_docs[3]
    r = score_document(doc, sections(doc, segment(doc.text)), None, [], str(p))
    assert {row["item"]: row["status"] for row in r.rows}["amounts"] == "present"


def test_api_refuses_a_bad_checklist_before_reading(tmp_path):
    # Found by the session-9 fresh-user test: analyze(checklist="nope") gave an ING006 row on
    # every document instead of the error the command line gives.
    from conftest import CORPUS
    from summary_analysis import analyze

    with pytest.raises(ChecklistError, match="unknown checklist 'nope'"):
        analyze(str(CORPUS), checklist="nope")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 'x'\n[[items]]\nid = 'a'\ntitle = 't'\nheadings = ['(a+)+']\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match="repeats a repeat"):
        analyze(str(CORPUS), checklist=str(bad), jobs=2)


def test_huge_finite_weights_still_give_a_score(docs, tmp_path):
    """Found by the session-12 hostile-input test: two items weighted 1.7e308 (finite, so
    accepted) summed to inf, and the score was inf / inf = nan. One of the two present: 50."""
    p = tmp_path / "huge.toml"
    p.write_text('name = "huge"\n[[items]]\nid = "overview"\ntitle = "总体情况"\nheadings = ["总体情况"]\n'
                 'weight = 1.7e308\n[[items]]\nid = "nowhere"\ntitle = "不存在的部分"\nheadings = ["不存在的部分"]\n'
                 'weight = 1.7e308\n', encoding="utf-8")
    r = _score(docs[SHUYANG.name], str(p))
    assert r.completeness == 50.0


def test_deeply_nested_toml_is_a_checklist_error(tmp_path):
    """Found by the session-13 hostile-input test: 2,000 nested arrays raised RecursionError
    out of load_checklist ("fatal error: RecursionError" on the command line)."""
    from summary_analysis.checklist import ChecklistError

    bad = tmp_path / "deep.toml"
    bad.write_text('name="x"\ntitle="t"\nz=' + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match="nested too deeply to read"):
        load_checklist(str(bad))


def test_checklist_mistakes_found_by_the_session_13_hostile_test(tmp_path):
    """evidence_min = 0 or -3, table_min = 0 and unknown applies_to kinds loaded silently,
    [[:digit:]]+ loaded with Python's FutureWarning printed, and a 'within' circle was accepted."""
    def load(body: str, items: str = ""):
        path = tmp_path / "c.toml"
        path.write_text('name = "c"\ntitle = "t"\n' + body + '\n[[items]]\nid = "a"\ntitle = "A"\n'
                        'headings = ["主要工作"]\n' + items, encoding="utf-8")
        return load_checklist(str(path))

    for items, words in (('evidence = ["培训"]\nevidence_min = 0\n', "'evidence_min' must be 1 or more, not 0"),
                         ('evidence = ["培训"]\nevidence_min = -3\n', "'evidence_min' must be 1 or more, not -3"),
                         ("table_min = 0\n", "'table_min' must be 1 or more, not 0"),
                         ('evidence = ["[[:digit:]]+"]\n', r"POSIX classes such as \[\[:digit:\]\] do not exist"),
                         ('within = "b"\n[[items]]\nid = "b"\ntitle = "B"\nheadings = ["问题"]\nwithin = "a"\n',
                          "'a' → 'b' → 'a': 'within' goes round in a circle")):
        with pytest.raises(ChecklistError, match=words):
            load("", items)
    with pytest.raises(ChecklistError, match=r"unknown document kind\(s\) \['annual-report'\]: the kinds are "):
        load('applies_to = ["annual-report"]')
    assert load('applies_to = ["work-summary"]', 'evidence = ["培训"]\nevidence_min = 1\n').items[0].evidence_min == 1


@pytest.mark.parametrize("name, item_id, heading, message", [
    ("x\x1b[31mred", "a", "总体", r"'name' 'x\\x1b\[31mred' holds the control character '\\x1b'"),
    ("x", "a\nb", "总体", r"item 1: 'id' 'a\\nb' holds the control character '\\n'"),
    ("x", "a", "工作a{0,4294967295}", r"item 'a' headings: bad pattern '工作a\{0,4294967295\}': the repetition"),
    ("x", "a", "(?:" * 5000 + "a" + ")" * 5000, r"item 'a' headings: pattern '\(\?:.*nests groups more than 50 deep"),
    ("x", "a", "(?:" * 60 + "a" + ")" * 60, r"nests groups more than 50 deep"),
])
def test_checklist_names_and_patterns_that_would_break_a_report_are_refused(tmp_path, name, item_id, heading,
                                                                            message):
    """Found by the session-15 hostile-input test: a checklist's name and ids reached the
    terminal with their escape sequences and line breaks; a repetition past what re allows and
    groups nested 5,000 deep were refused without naming the item or the pattern (and how deep
    a pattern could nest depended on the caller's stack)."""
    import json

    p = tmp_path / "c.toml"
    p.write_text(f"name = {json.dumps(name)}\n[[items]]\nid = {json.dumps(item_id)}\ntitle = \"t\"\n"
                 f"headings = [{json.dumps(heading)}]\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match=message):
        load_checklist(p)
