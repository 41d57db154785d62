"""``--lang zh``: finding messages in Chinese, rebuilt from each finding's evidence, on real
findings of the corpus and on figure contradictions made by editing the real reports."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from conftest import CORPUS, HUAIAN, SHANGHAI, SHUYANG
from summary_analysis import read_documents
from summary_analysis.cli import main
from summary_analysis.figures import check_figures, extract_figures
from summary_analysis.report.messages_zh import RULE_ZH, message_zh, specific_message_zh
from summary_analysis.rules import RULES
from summary_analysis.sections import DocMeta

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _numbers(s: str) -> set[str]:
    return set(_NUMBER.findall(s))


def test_every_rule_has_a_chinese_name():
    assert set(RULE_ZH) == set(RULES)


def test_corpus_findings_have_chinese_messages_with_the_same_numbers(corpus_batch):
    found = corpus_batch.finding_objects
    assert len(found) > 50
    rules = set()
    for f in found:
        zh = specific_message_zh(f.rule, f.message, f.evidence, f.related_doc_id)
        assert zh is not None, f.message
        rules.add(f.rule)
        # every number of the English message (counts, scores, item positions, ids) is kept
        assert _numbers(f.message) <= _numbers(zh), (f.message, zh)
        assert not re.search(r"[a-z]{4,} [a-z]{3,}", zh.replace(f.related_doc_id or "", "")), zh
    assert {"DUP002", "REW001", "REW002", "PLH001", "SEC001", "SEC002"} <= rules


@pytest.fixture(scope="module")
def real_docs():
    docs = read_documents([str(SHUYANG), str(HUAIAN), str(SHANGHAI)])
    return {d.path.rsplit("/", 1)[-1].split("-")[0]: d for d in docs}


def _edited(doc, old, new, year=None):
    assert doc.text.count(old) == 1, old
    d = replace(doc, text=doc.text.replace(old, new))
    return check_figures(d, extract_figures(d, []), DocMeta(year=year), [])


@pytest.mark.parametrize("key, old, new, year, rule, expected", [
    ("shuyang", "其中自然人申请 741 件", "其中自然人申请 841 件", None, "FIG001", "分项 841 件 大于合计"),
    ("huaian", "结果维持 72 件", "结果维持 73 件", None, "FIG001", "分项之和为 352，不等于合计"),
    ("huaian", "结果维持 72 件", "结果维持 73 件", None, "FIG005", "正文中为 73，表格中为 72"),
    ("shuyang", "统计期限从2025年1月1日至2025年12月31日", "统计期限从2024年1月1日至2024年12月31日", 2025,
     "FIG002", "不在报告年度 2025 年内"),
    ("shuyang", "| （七）总计 | 710 | 3 | 0 | 0 | 5 | 0 | 718 |", "| （七）总计 | 710 | 3 | 0 | 0 | 5 | 0 | 719 |",
     None, "FIG004", "表格勾稽关系 一+二=（七）+四"),
    ("shanghai", "受理政府信息公开申请 1295 件", "受理政府信息公开申请 1296 件", None, "FIG005",
     "正文中受理 1296 件，既不等于表中新收 1295 件，也不等于新收加上年结转 1484 件"),
    ("huaian", "合格率均为 100%", "合格率均为 120%", None, "FIG003", "为 120%，超过 100%"),
])
def test_figure_findings_in_chinese(real_docs, key, old, new, year, rule, expected):
    found = [f for f in _edited(real_docs[key], old, new, year) if f.rule == rule]
    assert found
    messages = [specific_message_zh(f.rule, f.message, f.evidence, f.related_doc_id) for f in found]
    assert None not in messages
    assert any(expected in m for m in messages), messages
    for f, m in zip(found, messages):
        assert _numbers(f.message) <= _numbers(m), (f.message, m)


def test_sec003_and_fallbacks():
    assert (message_zh("SEC003", "item out of the required order: 五 存在的主要问题及改进情况 comes after "
                                 "一 总体情况, 二 主动公开政府信息情况", {"item": "problems"})
            == "顺序不对：五 存在的主要问题及改进情况 排在 一 总体情况、二 主动公开政府信息情况 之后")
    # a common ING reason is in Chinese; one a library wrote stays, after the rule's Chinese name
    assert (message_zh("ING002", "unsupported file type '.doc': supported are .docx", {"path": "a.doc"})
            == "不支持的文件类型“.doc”：支持 .docx")
    assert (message_zh("ING001", "cannot read file: BadZipFile: Bad magic number", {"path": "a.docx"})
            == "文件无法读取或解码：cannot read file: BadZipFile: Bad magic number")
    # evidence of another shape never raises
    assert message_zh("DUP001", "near-duplicate of x", {"jaccard": "?", "containment": None}, "x").startswith(
        "与另一文档近似重复：")


def test_cli_text_and_csv_in_chinese(tmp_path, capsys):
    assert main(["check", str(CORPUS), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert "REW001 [错误] 对 seed-compilation-page.txt#1 做了同义词替换改写：" in out
    assert "[warning]" not in out and "[警告]" in out
    # the summary table, groups, skipped files and count line in Chinese too (fresh-user test,
    # session 14: English headers and totals under Chinese finding lines)
    assert "files found:" not in out and "document  kind" not in out
    lines = out.splitlines()
    head = next(line for line in lines if line.startswith("文档 "))
    assert head.split() == ["文档", "文档类型", "完整度", "抄袭(DUP)", "洗稿(REW)", "未填模板(PLH)", "数据(FIG)",
                            "完整性(SEC)", "最高严重程度"]
    row = next(line for line in lines if line.startswith("seed-compilation-page.txt#4 "))
    assert row.split() == ["seed-compilation-page.txt#4", "work-summary", "33", "1", "52", "2", "2", "错误"]
    assert "  第 1 组（2 篇文档）：seed-compilation-page.txt#1、seed-compilation-page.txt#4" in lines
    assert "跳过：" + str(CORPUS / "SOURCES.md") + "：说明文件（README/SOURCES），不是报告" in lines
    assert lines[-1] == ("共 6 个文件：读入 5 个，未读入（ING）0 个，跳过 1 个（说明文件、隐藏文件、指向文件夹的链接、"
                         "重复给出的文件、本工具的报告）；9 篇文档；89 个问题（错误 1 个，警告 88 个，提示 0 个）")
    assert main(["check", str(CORPUS), "--lang", "zh", "--format", "csv", "--out", str(tmp_path / "f.csv")]) == 1
    text = (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("规则,严重程度,文档")
    assert main(["check", str(CORPUS), "--lang", "zh", "--format", "csv", "--out", str(tmp_path / "tables") + "/"]) == 1
    found = (tmp_path / "tables" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()
    assert {line.split(",")[1] for line in found[1:] if line[:3] in ("DUP", "REW", "SEC", "PLH", "FIG")} == {"错误", "警告"}
    skipped = (tmp_path / "tables" / "skipped.csv").read_text(encoding="utf-8-sig").splitlines()
    assert skipped == ["文件路径,原因", str(CORPUS / "SOURCES.md") + ",说明文件（README/SOURCES），不是报告"]
    assert "有标题但没有内容：一 总体情况" in text
    assert main(["check", str(CORPUS), "--format", "json"]) == 1  # json keeps the contract's English
    assert "item present but empty: 一 总体情况" in capsys.readouterr().out


def test_html_and_xlsx_rows_in_chinese(corpus_batch):
    from summary_analysis.report.html import finding_html
    from summary_analysis.report.xlsx import sheet_rows

    rew = [f for f in corpus_batch.finding_objects if f.rule == "REW001"][0]
    assert "做了同义词替换改写" in finding_html(rew, "zh") and "synonym rewrite" in finding_html(rew, "en")
    cols, rows = sheet_rows(corpus_batch, "zh")["findings"]
    en_cols, en_rows = sheet_rows(corpus_batch)["findings"]
    assert cols == en_cols and len(rows) == len(en_rows)
    assert [r["rule"] for r in rows] == [r["rule"] for r in en_rows]
    assert all(r["message"] == message_zh(e["rule"], e["message"], e["evidence"], e["related_doc_id"])
               for r, e in zip(rows, en_rows))
    # severities in Chinese too (the session-15 fresh-user test: 严重程度 held "warning")
    assert {r["severity"] for r in rows} == {"错误", "警告"} and {r["severity"] for r in en_rows} == {"error", "warning"}
    assert {r["worst"] for r in sheet_rows(corpus_batch, "zh")["documents"][1]} == {"错误", "警告", None}
    assert [r["reason"] for r in sheet_rows(corpus_batch, "zh")["skipped"][1]] == ["说明文件（README/SOURCES），不是报告"]
    assert [r["reason"] for r in sheet_rows(corpus_batch)["skipped"][1]] == ["note (README/SOURCES), not a report"]


def test_wording_found_by_the_session_10_fresh_user_test(corpus_batch):
    """The REW002 suggestion is the whole phrase put back (政务果然 → 政务公开, not 公开, in both
    languages); SEC001 reads "item 3 of 4" (it read as "3 of 4 items missing"), and its Chinese
    basis has one colon; the HTML footer puts the version before 生成."""
    from summary_analysis.report.labels import ui

    rew = [f for f in corpus_batch.finding_objects if f.rule == "REW002" and f.span is not None]
    guo = next(f for f in rew if f.evidence["word"] == "果然")
    assert guo.message == "implausible wording '政务果然' (likely '政务公开')"
    assert message_zh(guo.rule, guo.message, guo.evidence) == "措辞不合常理：“政务果然”（原文可能是“政务公开”）"
    for f in rew:  # every suggestion is the phrase with its spun word put back
        word, orig = f.evidence["word"], f.evidence["likely_original"]
        phrase = f.message.split("'")[1]
        assert f.message.endswith(f"(likely '{phrase.replace(word, orig) if phrase.count(word) == 1 else orig}')")
    sec = next(f for f in corpus_batch.finding_objects if f.rule == "SEC001" and f.doc_id.endswith("#1"))
    assert sec.message.startswith("required item missing (checklist item 3 of 4): 三 存在的问题")
    assert message_zh(sec.rule, sec.message, sec.evidence).endswith("（通行写法：存在的问题/不足）")
    assert ui("generated_by", "zh").format(version="0.1.0") == "由 summary-analysis 0.1.0 生成"


def test_copy_direction_clauses_in_chinese():
    """DUP evidence `copier_by`: the place left in, or the direction that cannot be told."""
    base = {"jaccard": 0.99, "containment": 1.0, "difference_counts": {"issuer": 1}}
    left = message_zh("DUP001", "near-duplicate of z.md", {**base, "copier_by": "leftover-name",
                                                           "leftover_name": "沐阳"}, "z.md")
    assert left == "与 z.md 近似重复（Jaccard 相似度 0.99，包含度 1.00）；改动了发布机关；文中仍有对方的地名“沐阳”"
    order = message_zh("DUP001", "near-duplicate of z.md", {**base, "copier_by": "order"}, "z.md")
    assert order.endswith("；改动了发布机关；无法判断哪一篇抄了另一篇")
    # a shared passage decided by order does not say it: most shared passages are
    passage = message_zh("DUP002", "passage of 80 characters shared with z.md",
                         {**base, "copier_by": "order", "passages": [{"chars": 80}]}, "z.md")
    assert passage == "与 z.md 有一段 80 字的相同文字；改动了发布机关"
    # found by the session-16 fresh-user test: "与上一年度报告内容相同；改动了年份、数字" said
    # "the same content" beside "figures changed", and dropped "the same issuer"
    prev = message_zh("DUP001", "near-duplicate of z.md", {**base, "previous_year": True, "copier_by": "later-year",
                                                           "difference_counts": {"year": 2, "figure": 3}}, "z.md")
    assert prev == "与 z.md 近似重复（Jaccard 相似度 0.99，包含度 1.00）；对方是同一机关上一年度的报告；改动了年份、数字"


def test_rew002_density_reads_the_same_in_both_languages():
    """Found by the session-13 fresh-user test: the stored density 0.0705 read 7.1% in English
    (from the unrounded value) and 7.0% in Chinese (the float 0.0705 is just below)."""
    from summary_analysis.rewrite.plausibility import density_percent

    assert [density_percent(d) for d in (0.0705, 0.0704, 0.014, 0.0, 1.0, 0.12345)] == \
        ["7.1%", "7.0%", "1.4%", "0.0%", "100.0%", "12.3%"]
    evidence = {"density": 0.0705, "verdict": "machine-rewritten", "phrases": 2, "reported_phrases": 2,
                "weak_phrases": 0, "cjk_tokens": 95}
    assert "加权密度 7.1%，共 95 个词" in message_zh("REW002", "machine-rewritten wording: …", evidence)


def test_common_ing_reasons_read_in_chinese(adversarial):
    """Found by the session-13 fresh-user test: with --lang zh, the reasons of unreadable files
    stayed in English after the rule's Chinese name. The common ones are now Chinese, with the
    file's facts (sizes, counts, names) kept; a library's own words stay as they are."""
    from summary_analysis.ingest import read_batch
    from summary_analysis.report.messages_zh import _ING_ZH

    found = [f for f in read_batch([str(adversarial.root)]).findings if f.rule.startswith("ING")]
    zh = {f.message: message_zh(f.rule, f.message, f.evidence) for f in found}
    assert len(zh) >= 10
    translated = [m for m in zh.values() if not re.search(r"[A-Za-z]{4,} [a-z]{3,}", m)]
    assert len(translated) >= len(zh) * 0.6, zh
    assert message_zh("ING003", "empty file (0 bytes)") == "空文件（0 字节）"
    assert message_zh("ING004", "file of 25.3 MB is over the 20 MB limit (--max-file-mb): not read") == \
        "文件 25.3 MB，超过 20 MB 的上限（--max-file-mb），未读取"
    assert message_zh("ING001", "cannot read PDF (damaged or truncated file?): PdfStreamError: Stream has ended "
                                "unexpectedly") == "无法读取 PDF（文件损坏或不完整？）：PdfStreamError: Stream has ended unexpectedly"
    assert all(p.groups < 5 for p, _ in _ING_ZH)


def test_a_chinese_text_report_is_recognised_as_a_report_and_a_quote_of_its_line_is_not(tmp_path, capsys):
    """A ``--lang zh`` text report saved in a checked folder is skipped as the tool's own
    report, as the English one is; a submission quoting its last line is still read."""
    from summary_analysis.ingest.walk import OWN_REPORT, is_own_report

    folder = tmp_path / "in"
    folder.mkdir()
    text = (CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    (folder / "a.md").write_text(text, encoding="utf-8")
    assert main(["check", str(folder), "--lang", "zh", "--out", str(folder / "report.txt")]) == 0
    assert is_own_report(folder / "report.txt")
    quoting = folder / "b.md"
    last = (folder / "report.txt").read_text(encoding="utf-8").splitlines()[-1]
    quoting.write_text(text + "\n" + last + "\n", encoding="utf-8")
    assert not is_own_report(quoting)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", str(empty), "--lang", "zh", "--out", str(tmp_path / "none.txt")]) == 0
    assert is_own_report(tmp_path / "none.txt")  # no document: no table to look for
    capsys.readouterr()
    assert main(["check", str(folder), "--format", "json"]) == 1  # b.md copies a.md: DUP001, an error
    import json

    data = json.loads(capsys.readouterr().out)
    assert [d["doc_id"] for d in data["documents"]] == ["a.md", "b.md"]
    assert {"path": str(folder / "report.txt"), "reason": OWN_REPORT} in data["skipped"]


def test_every_reason_for_skipping_a_file_has_chinese():
    """Each reason the walk gives for a skipped file (a constant of ingest.walk) has a Chinese
    sentence; an unknown reason is shown as it is."""
    from summary_analysis.ingest import walk
    from summary_analysis.report.messages_zh import SKIP_REASON_ZH, skip_reason

    reasons = {v for k, v in vars(walk).items() if k.isupper() and isinstance(v, str) and ", not " in v
               or k in ("HIDDEN", "FOLDER_LINK", "LINK_OUTSIDE", "GIVEN_TWICE", "MISSING_TWICE")}
    assert len(reasons) == 12 and reasons == set(SKIP_REASON_ZH)
    assert all(re.search(r"[\u4e00-\u9fff]", skip_reason(r, "zh")) for r in reasons)
    assert skip_reason(walk.NOTE, "en") == walk.NOTE and skip_reason("other", "zh") == "other"


def test_every_rule_is_explained_in_chinese_with_the_same_numbers_and_sources(capsys):
    """`summary-analysis rule CODE --lang zh` (asked for by the session-15 fresh-user test): each
    rule's Chinese explanation keeps the English one's numbers (limits, years, document numbers)
    and its cited sources."""
    from summary_analysis.report.messages_zh import RULE_EXPLANATION_ZH

    assert set(RULE_EXPLANATION_ZH) == set(RULES)
    for code, rule in RULES.items():
        zh = RULE_EXPLANATION_ZH[code]
        assert _numbers(rule.explanation) <= _numbers(zh.replace("第五十条", "第50条")), code
        for source in ("国办公开办函〔2021〕30号", "Ratcliff", "Cabanac", "第五十条"):
            if source in rule.explanation or (source == "第五十条" and "Article 50" in rule.explanation):
                assert source in zh, (code, source)
    assert main(["rule", "FIG001", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("FIG001 part-exceeds-total [警告]：分项大于合计") and RULE_EXPLANATION_ZH["FIG001"] in out
    assert main(["rule", "--lang", "zh"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(RULES)
