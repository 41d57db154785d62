"""XLSX and CSV reports: sheets, row counts against the JSON arrays, headers (issue 8)."""

from __future__ import annotations

import csv
import json
import os

import pytest
from openpyxl import load_workbook

from conftest import CORPUS, SEED
from report_synth import shared_xss_batch

from summary_analysis.report import render_json, write_csv, write_xlsx
from summary_analysis.report.labels import ZH_HEADERS, ZH_SHEETS, csv_headers
from summary_analysis.report.xlsx import SHEETS

CONTRACT = {
    "documents": ["doc_id", "path", "title", "chars", "encoding", "kind", "issuer", "year", "completeness"],
    "findings": ["rule", "severity", "doc_id", "related_doc_id", "span", "message", "evidence"],
    "pairs": ["doc_a", "doc_b", "jaccard", "containment_ab", "containment_ba", "shared_chars", "verdict"],
    "figures": ["doc_id", "metric", "value", "low", "high", "unit", "kind", "approx", "raw", "span", "section_path"],
    "checklist": ["doc_id", "checklist", "item", "status", "span", "weight"],
    "skipped": ["path", "reason"],
    "groups": ["group", "doc_id", "size", "linked", "rules"],
}


@pytest.fixture(scope="session")
def synth_batch_x(corpus_batch):
    return shared_xss_batch(str(CORPUS), corpus_batch)


@pytest.mark.parametrize("which", ["corpus", "synthetic"])
def test_xlsx_sheets_match_json_arrays(which, corpus_batch, synth_batch_x, tmp_path):
    batch = corpus_batch if which == "corpus" else synth_batch_x
    out = tmp_path / "r.xlsx"
    write_xlsx(batch, out)
    data = json.loads(render_json(batch))
    wb = load_workbook(out)
    assert wb.sheetnames == list(SHEETS)
    for name in SHEETS:
        ws = wb[name]
        head = [c.value for c in ws[1]]
        assert head[: len(CONTRACT[name])] == CONTRACT[name]
        assert ws.max_row - 1 == len(data[name]), name
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}{max(1, len(data[name]) + 1)}"
        assert all(8 <= ws.column_dimensions[c.column_letter].width <= 60 for c in ws[1])
        # cells hold the JSON's values, row by row
        for i, item in enumerate(data[name][:50], start=2):
            for j, col in enumerate(CONTRACT[name], start=1):
                v, cell = item[col], ws.cell(i, j).value
                if isinstance(v, (list, dict)):
                    assert json.loads(cell) == v
                elif isinstance(v, float):
                    assert cell == pytest.approx(v)
                else:
                    assert cell == v, (name, col)
    if which == "corpus":
        assert len(data["documents"]) == 9 and len(data["findings"]) > 0


def test_xlsx_zh_headers_and_no_formulas(synth_batch_x, tmp_path):
    out = tmp_path / "zh.xlsx"
    write_xlsx(synth_batch_x, out, lang="zh")
    wb = load_workbook(out)
    # sheets in Chinese too, in the same order as the English workbook's (the JSON arrays' names)
    assert wb.sheetnames == ["文档", "问题", "相似文档对", "数字", "检查项", "跳过的文件", "关联组"]
    ws = wb["问题"]
    head = [c.value for c in ws[1]]
    assert head[:7] == [ZH_HEADERS["findings"][c] for c in CONTRACT["findings"]]
    assert [c.value for c in wb["文档"][1]][:9] == [ZH_HEADERS["documents"][c] for c in CONTRACT["documents"]]
    # text that starts with '=' (a formula in Excel) is stored as text (in Chinese the
    # messages start with the rule's name, so look at the English workbook too)
    write_xlsx(synth_batch_x, tmp_path / "en.xlsx")
    for ws in (ws, load_workbook(tmp_path / "en.xlsx")["findings"]):
        cells = [c for row in ws.iter_rows(min_row=2) for c in row
                 if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")]
        assert len(cells) >= 1
        assert all(c.data_type == "s" for c in cells)
    assert len(cells) >= 2


def test_csv_lang_zh_headers(synth_batch_x, tmp_path):
    write_csv(synth_batch_x, str(tmp_path) + "/", csv_headers("zh"))
    with open(tmp_path / "pairs.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [ZH_HEADERS["pairs"][c] for c in CONTRACT["pairs"]]
    assert len(rows) - 1 == len(synth_batch_x.pair_objects)
    text = write_csv(synth_batch_x, None, csv_headers("en"))
    # the contract's columns, then where each finding stands (session 11: XLSX had them, CSV not)
    assert text.splitlines()[0].split(",") == CONTRACT["findings"] + ["line", "column", "excerpt"]
    rows = list(csv.DictReader(text.splitlines()))
    plh = next(r for r in rows if r["rule"] == "PLH001")
    doc = synth_batch_x.document(plh["doc_id"])
    start, end = json.loads(plh["span"])
    assert (int(plh["line"]), int(plh["column"])) == doc.line_col(start) and plh["excerpt"] == doc.text[start:end]
    write_csv(synth_batch_x, str(tmp_path) + "/", csv_headers("zh"))
    with open(tmp_path / "findings.csv", encoding="utf-8-sig") as fh:
        assert next(csv.reader(fh))[-3:] == ["行", "列", "原文摘录"]


def test_cli_writes_xlsx_and_html(tmp_path, capsys):
    from summary_analysis.cli import main

    x, h = tmp_path / "out" / "r.xlsx", tmp_path / "r.html"
    assert main(["check", str(CORPUS / "seed-compilation-page.txt"), "--format", "xlsx",
                 "--out", str(x), "--lang", "zh", "--fail-on", "never"]) == 0
    wb = load_workbook(x)
    assert wb.sheetnames == [ZH_SHEETS[s] for s in SHEETS] and wb["文档"].max_row == 6
    assert wb["文档"]["A1"].value == "文档"
    assert main(["check", str(CORPUS / "seed-compilation-page.txt"), "--format", "html",
                 "--out", str(h), "--fail-on", "never"]) == 0
    assert h.read_text(encoding="utf-8").count('class="sa-docrow"') == 5
    assert main(["check", str(CORPUS), "--format", "html"]) == 2
    assert "needs --out" in capsys.readouterr().err


def test_csv_tables_carry_the_columns_the_xlsx_sheets_have(synth_batch_x, corpus_batch, tmp_path):
    """Found by the session-12 first-use test: documents.csv lacked the counts per rule family
    and the worst severity, checklist.csv (and the sheet, and the DataFrame) the item's title
    and evidence. Each CSV table now has its sheet's columns and rows."""
    from summary_analysis.report.xlsx import sheet_rows

    write_csv(synth_batch_x, str(tmp_path) + "/", csv_headers("en"))
    sheets = sheet_rows(synth_batch_x)
    for table in ("documents", "checklist"):
        with open(tmp_path / f"{table}.csv", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        columns, sheet = sheets[table]
        assert list(rows[0]) == columns and len(rows) == len(sheet)
    with open(tmp_path / "documents.csv", encoding="utf-8-sig") as fh:
        docs = list(csv.DictReader(fh))
    for row in docs:
        found = [f for f in synth_batch_x.finding_objects if f.doc_id == row["doc_id"]]
        assert int(row["findings"]) == len(found)
        assert int(row["PLH"] or 0) == sum(f.rule.startswith("PLH") for f in found)
    write_csv(corpus_batch, str(tmp_path / "corpus") + "/", csv_headers("en"))
    with open(tmp_path / "corpus" / "checklist.csv", encoding="utf-8-sig") as fh:
        present = [r for r in csv.DictReader(fh) if r["status"] == "present"]
    assert present and all(r["title"] and r["evidence"] and r["matched_by"] for r in present)


def test_a_figure_past_the_float_range_is_written_as_text(tmp_path):
    """Found by the session-12 hostile-input test: a 400-digit number in a table row stopped the
    XLSX and HTML reports ("OverflowError: int too large to convert to float") and no report
    was written. Integers of 16 digits or more are written as text, every digit kept."""
    from summary_analysis import Document, analyze
    from summary_analysis.report.html import write_html

    big = "9" * 400
    text = "某局2024年工作总结\n一、主要工作\n| 指标 | 数量 |\n|---|---|\n| 办理件数 | " + big + " |\n全年办理1234件。\n"
    batch = analyze([Document("big.txt", "某局2024年工作总结", text, "big.txt")])
    assert big in [str(v) for v in batch.figures["value"]]
    write_xlsx(batch, tmp_path / "b.xlsx")
    values = [c.value for row in load_workbook(tmp_path / "b.xlsx")["figures"].iter_rows(min_row=2) for c in row]
    assert big in values and 1234 in values
    write_html(batch, tmp_path / "b.html")
    assert big in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_workbook_bytes_do_not_depend_on_the_clock(corpus_batch, tmp_path, monkeypatch):
    """Found by the session-13 hostile-input test: two runs wrote different .xlsx files
    (openpyxl stamps docProps/core.xml and every zip entry with the clock)."""
    import zipfile

    from summary_analysis.report import write_xlsx
    from summary_analysis.report.xlsx import FIXED_TIME

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "r.xlsx"
    write_xlsx(corpus_batch, out)
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED_TIME}
        core = z.read("docProps/core.xml").decode()
    assert core.count(">1980-01-01T00:00:00Z</dcterms:") == 2
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    write_xlsx(corpus_batch, out)
    with zipfile.ZipFile(out) as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert z.read("docProps/core.xml").decode().count(">2023-11-14T22:13:20Z</dcterms:") == 2


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_disk_is_one_line_without_a_traceback():
    """Found by the session-14 hostile-input test: --format xlsx --out /dev/full printed the
    error line and then a traceback from openpyxl's zip file, closed again by the collector.
    The workbook is built in memory; only the final write can fail."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "from summary_analysis.cli import run; run()", "check", str(SEED),
                           "--format", "xlsx", "--out", "/dev/full"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    # the file named too (session-16 hostile-input test: --out /proc/version said only
    # "Input/output error")
    assert proc.stderr.strip() == "summary-analysis: error: /dev/full: No space left on device"
    for fmt in ("text", "json", "html"):
        proc = subprocess.run([sys.executable, "-c", "from summary_analysis.cli import run; run()", "check", str(SEED),
                               "--format", fmt, "--out", "/dev/full"], capture_output=True, text=True, timeout=300)
        assert (proc.returncode, proc.stderr.strip()) == (2, "summary-analysis: error: /dev/full: No space left on device")
