"""The ``summary-analysis check`` command: JSON schema, text format, exit statuses, filters."""

from __future__ import annotations

import copy
import itertools
import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import CORPUS, ROOT, SEED
from summary_analysis.cli import main

LOC_RE = re.compile(r"^(?P<doc>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>[A-Z]{3}\d{3}) (?:\[(?:error|warning|info)\] )?\S")
NOSPAN_RE = re.compile(r"^(?P<doc>[^:]+(?:#\d+)?): (?P<rule>[A-Z]{3}\d{3}) (?:\[(?:error|warning|info)\] )?\S")
_RUNS = itertools.count()
SUMMARY_RE = re.compile(r"^(\d+) files? found: (\d+) read, (\d+) refused \(ING\), (\d+) skipped")


@pytest.fixture(scope="module")
def schema():
    text = resources.files("summary_analysis").joinpath("data/output-contract.schema.json").read_text("utf-8")
    s = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def _run(argv, tmp_path, monkeypatch, cwd=ROOT) -> tuple[int, str]:
    monkeypatch.chdir(cwd)
    out = tmp_path / f"out-{next(_RUNS)}.txt"
    rc = main(["check", *argv, "--out", str(out)])
    return rc, out.read_text(encoding="utf-8-sig") if out.exists() else ""


@pytest.fixture(scope="module")
def corpus_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "corpus.json"
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        rc = main(["check", "corpus", "--format", "json", "--out", str(out)])
    finally:
        os.chdir(cwd)
    return rc, json.loads(out.read_text(encoding="utf-8"))


def test_corpus_json_validates_against_the_schema(schema, corpus_json):
    rc, data = corpus_json
    assert rc == 1  # the corpus has placeholder warnings (PLH001)
    errors = [e.message for e in schema.iter_errors(data)]
    assert errors == []
    chars = {d["doc_id"]: d["chars"] for d in data["documents"]}
    assert len(chars) == 9 and sum(1 for i in chars if i.startswith("seed-compilation-page.txt#")) == 5
    for f in data["findings"]:
        if f["span"] is not None:
            assert 0 <= f["span"][0] <= f["span"][1] <= chars[f["doc_id"]], f
    assert [s["path"].endswith("SOURCES.md") for s in data["skipped"]] == [True]


def test_schema_rejects_broken_output(schema, corpus_json):
    _, data = corpus_json
    assert data["findings"], "corpus must give findings"
    broken = []
    d = copy.deepcopy(data); del d["pairs"]; broken.append(d)
    d = copy.deepcopy(data); d["contract"] = 2; broken.append(d)
    d = copy.deepcopy(data); d["findings"][0]["span"] = [3, "x"]; broken.append(d)
    d = copy.deepcopy(data); d["findings"][0]["rule"] = "XYZ001"; broken.append(d)
    d = copy.deepcopy(data); d["findings"][0]["severity"] = "fatal"; broken.append(d)
    d = copy.deepcopy(data); del d["documents"][0]["encoding"]; broken.append(d)
    d = copy.deepcopy(data); d["checklist"] = [{"doc_id": "a", "checklist": "x", "item": "i",
                                                "status": "done", "span": None, "weight": 1}]; broken.append(d)
    for b in broken:
        assert not schema.is_valid(b)


def test_adversarial_json_validates(schema, adversarial, tmp_path, monkeypatch):
    rc, text = _run([str(adversarial.root), "--format", "json"], tmp_path, monkeypatch)
    assert rc == 1
    data = json.loads(text)
    assert [e.message for e in schema.iter_errors(data)] == []
    ing = [f for f in data["findings"] if f["rule"].startswith("ING")]
    assert len(ing) == len(adversarial.bad)
    assert all(f["span"] is None and f["evidence"]["path"] for f in ing)


def test_text_output_lines_and_summary(corpus_json, tmp_path, monkeypatch):
    _, data = corpus_json
    rc, text = _run(["corpus"], tmp_path, monkeypatch)
    assert rc == 1
    lines = text.splitlines()
    finding_lines = [ln for ln in lines if LOC_RE.match(ln) or NOSPAN_RE.match(ln)]
    # one line per finding, but a document's implausible phrases past the first
    # MAX_PHRASE_LINES, which one line counts
    from summary_analysis.report.text import MAX_PHRASE_LINES

    phrases = [(k, f["doc_id"]) for k, f in enumerate(data["findings"]) if f["rule"] == "REW002" and f["span"]]
    folded = []  # the phrases of a document past its first MAX_PHRASE_LINES
    for doc in {d for _, d in phrases}:
        folded += [k for k, d in phrases if d == doc][MAX_PHRASE_LINES:]
    more = [ln for ln in lines if " more implausible phrases " in ln]
    assert len(folded) == 45 and len(more) == 1
    assert len(finding_lines) == len(data["findings"]) - len(folded) + len(more)  # the count line too
    from summary_analysis import read_documents

    texts = {d.doc_id: d.text for d in read_documents(str(CORPUS))}
    located = {(m["doc"], int(m["line"]), int(m["col"]), m["rule"])
               for m in (LOC_RE.match(ln) for ln in finding_lines) if m}
    for k, f in enumerate(data["findings"]):
        if f["span"] is None or k in folded:
            continue
        t, start = texts[f["doc_id"]], f["span"][0]
        line = t.count("\n", 0, start) + 1
        col = start - (t.rfind("\n", 0, start) + 1) + 1
        assert (f["doc_id"], line, col, f["rule"]) in located
    summary = [SUMMARY_RE.match(ln) for ln in lines if SUMMARY_RE.match(ln)]
    assert len(summary) == 1
    found, read, refused, skipped = map(int, summary[0].groups())
    assert (found, read, refused, skipped) == (6, 5, 0, 1)  # found: every file met
    for doc_id in texts:  # the per-document summary table lists every document
        assert any(ln.startswith(doc_id + " ") for ln in lines), doc_id


def test_text_output_counts_refused_files(adversarial, tmp_path, monkeypatch):
    rc, text = _run([str(adversarial.root), "--select", "ING"], tmp_path, monkeypatch)
    assert rc == 1
    lines = text.splitlines()
    assert sum(1 for ln in lines if NOSPAN_RE.match(ln) and " ING00" in ln) == len(adversarial.bad)
    (summary,) = [SUMMARY_RE.match(ln) for ln in lines if SUMMARY_RE.match(ln)]
    found, read, refused, skipped = map(int, summary.groups())
    assert found == read + refused + skipped and read + refused == len(adversarial.expected)
    assert refused == len(adversarial.bad) and skipped == len(adversarial.skipped)


def _findings(argv, tmp_path, monkeypatch) -> list[dict]:
    _, text = _run(["corpus", "--format", "json", *argv], tmp_path, monkeypatch)
    return json.loads(text)["findings"]


def test_select_and_ignore_partition_the_findings(corpus_json, tmp_path, monkeypatch):
    _, data = corpus_json
    every = data["findings"]
    plh = _findings(["--select", "PLH"], tmp_path, monkeypatch)
    rest = _findings(["--ignore", "PLH001"], tmp_path, monkeypatch)
    assert plh == [f for f in every if f["rule"] == "PLH001"] and len(plh) >= 10
    assert rest == [f for f in every if f["rule"] != "PLH001"]
    both = _findings(["--select", "PLH,ING", "--ignore", "PLH"], tmp_path, monkeypatch)
    assert both == []


def test_exit_statuses(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("XX街道20xx年政务公开工作总结\n本年度主动公开政府信息▲条。\n", encoding="utf-8")
    assert _run([str(folder), "--select", "PLH"], tmp_path, monkeypatch)[0] == 1
    assert _run([str(folder), "--select", "PLH", "--fail-on", "error"], tmp_path, monkeypatch)[0] == 0
    assert _run([str(folder), "--fail-on", "never"], tmp_path, monkeypatch)[0] == 0
    assert _run([str(folder), "--select", "ING"], tmp_path, monkeypatch)[0] == 0
    (folder / "b.txt").write_bytes(b"")
    assert _run([str(folder), "--select", "ING", "--fail-on", "error"], tmp_path, monkeypatch)[0] == 1
    assert _run(["corpus"], tmp_path, monkeypatch)[0] == 1
    assert _run(["corpus", "--fail-on", "never"], tmp_path, monkeypatch)[0] == 0


@pytest.mark.parametrize("argv", [["--select", "NOPE"], ["--ignore", "XYZ9"], ["--format", "yaml"],
                                  ["--fail-on", "sometimes"], ["--max-file-mb", "lots"],
                                  ["--max-file-mb", "0"], ["--max-file-mb", "-5"], ["--max-file-mb", "nan"],
                                  ["--max-file-mb", "1e308"], ["--max-file-mb", "inf"]])
def test_usage_errors_exit_2(argv, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(SystemExit) as e:
        main(["check", "corpus", *argv])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_no_path_reads_corpus_or_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "no PATH" in capsys.readouterr().err
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "r.txt").write_text("某局2024年政务公开工作总结\n一、主要工作\n认真贯彻落实条例。\n",
                                               encoding="utf-8")
    out = tmp_path / "o.json"
    main(["check", "--format", "json", "--out", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in data["documents"]] == ["r.txt"]


def test_fatal_error_exits_2_without_traceback(tmp_path, monkeypatch, capsys):
    # a missing --out folder is now created up front (tests/test_adversarial_inputs.py), so an
    # unexpected failure inside the run is simulated: it must still be one line, exit 2
    import summary_analysis.cli as cli

    def boom(paths, args):
        raise RuntimeError("simulated failure inside the pipeline")

    monkeypatch.setattr(cli, "run_analysis", boom)
    monkeypatch.chdir(ROOT)
    rc = main(["check", "corpus", "--format", "json", "--out", str(tmp_path / "x.json")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "fatal error" in err and "Traceback" not in err


def _unreadable_inputs(folder) -> None:
    """Three files that give no document (not a ZIP, whitespace, an unknown type) beside Shuyang."""
    folder.mkdir()
    (folder / "broken.docx").write_bytes(b"PK-not-really\xff\xfe")
    (folder / "empty.txt").write_text(" \n\u3000\n", encoding="utf-8")
    (folder / "notes.xyz").write_text("某局", encoding="utf-8")
    (folder / "shuyang.md").write_text((CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8"),
                                       encoding="utf-8")


def test_summary_table_lists_the_files_that_gave_no_document(tmp_path, monkeypatch):
    """Found by the session-11 review: a refused file had its ING line but no row in the
    per-document table, so a supervisor reading the table of a large batch did not see it."""
    _unreadable_inputs(tmp_path / "in")
    rc, text = _run([str(tmp_path / "in")], tmp_path, monkeypatch)
    table = text.split("\n\n")[1].splitlines()
    assert rc == 1 and table[0].split()[:3] == ["document", "kind", "score"]
    rows = {line.split()[0]: line for line in table[1:]}
    assert sorted(rows) == ["broken.docx", "empty.txt", "notes.xyz", "shuyang.md"]
    assert rows["broken.docx"].split()[1:] == ["not", "read", "(ING001)", "error"]
    assert rows["empty.txt"].split()[1:] == ["not", "read", "(ING003)", "error"]
    assert rows["notes.xyz"].split()[1:] == ["not", "read", "(ING002)", "error"]
    assert rows["shuyang.md"].split()[1:3] == ["annual-report-2021", "100"]
    assert "4 files found: 1 read, 3 refused (ING)" in text
    # a refused file whose ING finding is filtered out is not listed
    rc, text = _run([str(tmp_path / "in"), "--ignore", "ING002"], tmp_path, monkeypatch)
    assert "notes.xyz" not in text and "broken.docx  not read (ING001)" in text


def test_max_file_mb_option_refuses_large_files(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("某局2024年政务公开工作总结\n" + "认真贯彻落实条例。" * 200, encoding="utf-8")
    rc, text = _run([str(folder), "--format", "json", "--max-file-mb", "0.001"], tmp_path, monkeypatch)
    data = json.loads(text)
    assert rc == 1 and data["documents"] == []
    assert [f["rule"] for f in data["findings"]] == ["ING004"]
    assert "0.001 MB limit" in data["findings"][0]["message"]
    # session-11 fresh-user test: the size read "file of 0.0 MB is over the 0.01 MB limit"
    size = (folder / "a.txt").stat().st_size / 1048576
    assert data["findings"][0]["message"].startswith(f"file of {size:.2g} MB is over")


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path):
    """Regression: a file named '=cmd.txt' reached the CSV as a live spreadsheet formula."""
    import csv
    import io

    from summary_analysis import analyze
    from summary_analysis.report import write_csv

    (tmp_path / "=HYPERLINK(1).txt").write_bytes(b"")
    (tmp_path / "@sum.txt").write_bytes(b"")
    text = write_csv(analyze([str(tmp_path)]), None)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["doc_id"] for r in rows) == ["'=HYPERLINK(1).txt", "'@sum.txt"]
    assert all(r["rule"] == "ING003" for r in rows)


def test_spark_options_with_the_local_engine_get_a_note(tmp_path, capsys):
    """--master / --spark-conf without --engine spark used to be ignored silently."""
    out = tmp_path / "r.json"
    status = main(["check", str(SEED), "--spark-conf", "spark.driver.memory=8g", "--format", "json",
                   "--out", str(out)])
    assert status in (0, 1) and out.stat().st_size > 0
    assert "only apply with --engine spark" in capsys.readouterr().err


def test_the_runs_checklist_and_index_inside_the_folder_are_not_submissions(tmp_path, capsys):
    """Found by the session-12 first-use test: a checklist kept beside the reports it checks
    (``check DIR --checklist DIR/x.toml``) was read as a report, an ING002 error making the exit
    status 1. The run's --checklist and --index files are skipped, with the reason."""
    from importlib import resources as ir

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text((CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8"),
                                 encoding="utf-8")
    checklist = folder / "mine.toml"
    checklist.write_text(ir.files("summary_analysis").joinpath("data/checklists/gov-info-annual-2021.toml")
                         .read_text("utf-8").replace('name = "gov-info-annual-2021"', 'name = "mine"'),
                         encoding="utf-8")
    index = folder / "refs.sqlite"
    assert main(["index", "add", str(SEED), "--index", str(index)]) == 0
    out = tmp_path / "r.json"
    assert main(["check", str(folder), "--checklist", str(checklist), "--index", str(index),
                 "--format", "json", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in data["documents"]] == ["a.md"]
    assert not [f for f in data["findings"] if f["rule"].startswith("ING")]
    assert {r["checklist"] for r in data["checklist"]} == {"mine"}
    assert data["skipped"] == [
        {"path": str(checklist), "reason": "the checklist file of this run (--checklist), not a submission"},
        {"path": str(index), "reason": "the reference index of this run (--index), not a submission"}]
    # a checklist file that is not the run's own is still a file that cannot be read
    capsys.readouterr()
    assert main(["check", str(folder), "--format", "json", "--out", str(out)]) == 1
    assert "ING002" in {f["rule"] for f in json.loads(out.read_text(encoding="utf-8"))["findings"]}


def test_out_naming_a_file_being_checked_is_refused(tmp_path, capsys):
    """Found by the session-8 fresh-user test: ``check DIR --out DIR/a.md`` overwrote the
    submitted a.md, skipped it as the run's own output and exited 0."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = (CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    for name in ("a.md", "b.md"):
        (folder / name).write_text(text, encoding="utf-8")
    for fmt in ("text", "json"):
        assert main(["check", str(folder), "--format", fmt, "--out", str(folder / "a.md")]) == 2
        assert "would overwrite it" in capsys.readouterr().err
        assert (folder / "a.md").read_text(encoding="utf-8") == text
    # a report of this tool's in the folder may be written again, and is not read back
    report = folder / "result.txt"
    assert main(["check", str(folder), "--out", str(report), "--fail-on", "never"]) == 0
    first = report.read_text(encoding="utf-8")
    assert main(["check", str(folder), "--out", str(report), "--fail-on", "never"]) == 0
    second = report.read_text(encoding="utf-8")
    assert f"skipped: {report}: the report file of this run (--out), not a submission\n\n" in second
    assert re.sub(r"skipped: .*\n\n", "", second).replace(" 1 skipped", " 0 skipped").replace(
        "3 files found", "2 files found") == first


def test_reports_of_every_format_are_not_read_back(tmp_path, capsys):
    """Found by the session-8 fresh-user test: only the HTML report was recognised; a text
    report came back as a submission and JSON/CSV/XLSX reports as ING002 errors."""
    from summary_analysis.ingest.walk import OWN_REPORT

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_text((CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    outs = {"text": folder / "结果.txt", "json": folder / "结果.json", "xlsx": folder / "结果.xlsx",
            "html": folder / "结果.html", "csv": str(folder / "csv") + "/"}
    first = tmp_path / "first.json"
    assert main(["check", str(folder), "--format", "json", "--out", str(first)]) == 1
    for fmt, out in outs.items():
        for lang in ("en", "zh"):
            assert main(["check", str(folder), "--format", fmt, "--out", str(out), "--lang", lang]) == 1, fmt
    again = tmp_path / "again.json"
    assert main(["check", str(folder), "--format", "json", "--out", str(again)]) == 1
    a, b = json.loads(first.read_text(encoding="utf-8")), json.loads(again.read_text(encoding="utf-8"))
    assert a["findings"] == b["findings"] and a["documents"] == b["documents"]
    skipped = {s["path"]: s["reason"] for s in b["skipped"]}
    assert len(skipped) == 4 + 7  # text, json, xlsx, html, and the seven CSV tables
    assert set(skipped.values()) == {OWN_REPORT}


def test_office_lock_files_are_skipped(tmp_path):
    """Found by the session-8 fresh-user test: the ``~$报告.docx`` Word leaves beside an open
    document was an ING001 error (exit 1)."""
    from summary_analysis.ingest.walk import LOCK_FILE

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "报告.md").write_text((CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8"),
                                    encoding="utf-8")
    (folder / "~$报告.docx").write_bytes(b"\x06Owner" + b"\x00" * 156)  # what Word writes: 162 bytes, not a zip
    out = tmp_path / "r.json"
    assert main(["check", str(folder), "--format", "json", "--out", str(out), "--fail-on", "error"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["doc_id"] for d in data["documents"]] == ["报告.md"]
    assert data["skipped"] == [{"path": str(folder / "~$报告.docx"), "reason": LOCK_FILE}]


def test_tables_written_by_spark_are_passed_over_when_their_folder_is_checked(tmp_path):
    """Found by the session-22 fresh-user test: checking a folder that held an earlier
    ``--engine spark --format parquet`` output gave an ING002 error for each part file and
    ``_SUCCESS`` marker. Files of a folder with ``_SUCCESS`` named ``part-…`` are passed over;
    the same names without the marker are read."""
    from summary_analysis.ingest.walk import TABLE_PARTS, discover

    report = (CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    table = folder / "results" / "findings"
    table.mkdir(parents=True)
    (folder / "a.md").write_text(report, encoding="utf-8")
    (table / "_SUCCESS").write_bytes(b"")
    (table / "part-00000-1b2c.snappy.parquet").write_bytes(b"PAR1" + bytes(range(256)) + b"PAR1")
    (table / "part-00001-1b2c.snappy.parquet").write_bytes(b"PAR1\x00PAR1")
    (table / "notes.md").write_text(report, encoding="utf-8")  # not a part file: read
    loose = folder / "loose"
    loose.mkdir()
    (loose / "part-1.md").write_text(report, encoding="utf-8")  # no marker: read
    files, skipped, missing = discover([str(folder)])
    assert sorted(f.doc_id for f in files) == ["a.md", "loose/part-1.md", "results/findings/notes.md"]
    assert sorted((Path(s.path).name, s.reason) for s in skipped) == [
        ("_SUCCESS", TABLE_PARTS), ("part-00000-1b2c.snappy.parquet", TABLE_PARTS),
        ("part-00001-1b2c.snappy.parquet", TABLE_PARTS)]
    assert missing == []


def test_parquet_out_that_is_a_file_is_refused_before_reading(tmp_path, capsys):
    """Found by the session-22 fresh-user test: ``--format parquet --out FILE`` ran the whole
    analysis, then failed in Hadoop with a Java trace."""
    existing = tmp_path / "afile.txt"
    existing.write_text("hello", encoding="utf-8")
    assert main(["check", str(SEED), "--engine", "spark", "--format", "parquet", "--out", str(existing)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"summary-analysis check: --out '{existing}' is a file; --format parquet writes a folder of tables"]


@pytest.mark.parametrize("option, value, said", [
    ("--master", "local[abc]", "--master 'local[abc]' is not a Spark master URL"),
    ("--master", "nonsense", "--master 'nonsense' is not a Spark master URL"),
    ("--master", "local[0]", "--master 'local[0]' is not a Spark master URL"),
    ("--spark-conf", "spark.driver.memory=lots", "--spark-conf spark.driver.memory='lots' is not a size"),
    ("--spark-conf", "spark.executor.memory=1.5g", "--spark-conf spark.executor.memory='1.5g' is not a size"),
    ("--index", "/nonexistent/refs/", "--index /nonexistent/refs/ does not exist (build a library with"),
])
def test_a_bad_spark_master_or_size_is_one_line_before_spark_starts(tmp_path, capsys, option, value, said):
    """Found by the session-22 fresh-user test: these printed pages of Java traces (the JVM
    did not start, or Spark could not parse the master) and a 'fatal error' line; a missing
    --index was Spark's PATH_NOT_FOUND after Spark had started."""
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'summary-analysis[spark]'")
    pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install 'summary-analysis[spark]'")
    from pyspark.sql import SparkSession

    assert main(["check", str(SEED), "--engine", "spark", option, value, "--format", "json",
                 "--out", str(tmp_path / "r.json")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"summary-analysis check: {said}")
    assert SparkSession.getActiveSession() is None and not (tmp_path / "r.json").exists()


def test_spark_masters_and_sizes_spark_accepts_pass_the_check():
    from summary_analysis.spark_entry import check_spark_options

    for master in ("local", "local[2]", "local[*]", "local[4, 3]", "local[*,2]", "local-cluster[2, 1, 1024]",
                   "spark://host:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://k8s.example:443"):
        assert check_spark_options(master, {}) is None, master
    for size in ("4g", "512m", "10G", "2048", "1gb", "100k"):
        assert check_spark_options("local[2]", {"spark.driver.memory": size}) is None, size
    assert check_spark_options("local[2]", {"spark.app.name": "lots"}) is None  # not a size setting


def test_py4j_tracebacks_are_kept_off_the_terminal_of_a_spark_run():
    """Found by the session-22 fresh-user test: Ctrl-C during ``--engine spark`` printed four
    Python tracebacks that Py4J logs on the root logger (``logging.exception`` in
    py4j/java_gateway.py) before "interrupted". The Spark run's filter drops records of Py4J's
    modules, and only those."""
    import logging

    from summary_analysis.spark_entry import _not_py4j

    def record(path):
        return logging.LogRecord("root", logging.ERROR, path, 1060, "Exception while sending command.", None, None)

    assert not _not_py4j(record("/venv/lib/python3.11/site-packages/py4j/java_gateway.py"))
    assert not _not_py4j(record("C:\\venv\\Lib\\site-packages\\py4j\\clientserver.py"))
    assert _not_py4j(record("/venv/lib/python3.11/site-packages/pyspark/core/context.py"))
    assert _not_py4j(record("/home/py4j-notes/summary_analysis/cli.py"))


def test_out_guard_covers_spark_the_index_and_a_quoted_summary_line(tmp_path, capsys):
    """Found by the session-8 review: ``--engine spark`` bypassed the --out guard; --out could
    overwrite the run's --index file; a genuine summary whose last line quotes the text
    report's summary line was taken for a report (skipped, and overwritable)."""
    from summary_analysis.ingest.walk import is_own_report

    folder = tmp_path / "in"
    folder.mkdir()
    text = (CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    (folder / "a.md").write_text(text, encoding="utf-8")
    quoting = folder / "b.md"
    quoting.write_text(text + "\n12 files found: 12 read, 0 refused (ING), 0 skipped (notes); 12 documents; "
                       "3 findings (0 errors, 3 warnings, 0 info)\n", encoding="utf-8")
    assert not is_own_report(quoting)
    assert main(["check", str(folder), "--engine", "spark", "--format", "json", "--out", str(folder / "a.md")]) == 2
    assert main(["check", str(folder), "--out", str(quoting)]) == 2
    assert (folder / "a.md").read_text(encoding="utf-8") == text and "12 files found" in quoting.read_text("utf-8")
    index = tmp_path / "refs.sqlite"
    assert main(["index", "add", str(CORPUS / "seed-compilation-page.txt"), "--index", str(index)]) == 0
    size = index.stat().st_size
    assert main(["check", str(folder), "--index", str(index), "--format", "json", "--out", str(index)]) == 2
    assert index.stat().st_size == size
    err = capsys.readouterr().err
    assert err.count("would overwrite it") == 3 and "is the --index file of this run" in err


def test_report_written_whole_or_not_at_all(tmp_path, monkeypatch):
    # Found by the session-9 fresh-user test: Ctrl-C while the .xlsx was being saved left a
    # truncated workbook and destroyed the previous report at that path.
    import openpyxl.workbook.workbook as wbmod

    out = tmp_path / "r.xlsx"
    assert main(["check", str(CORPUS), "--format", "xlsx", "--out", str(out)]) == 1
    before = out.read_bytes()
    real_save = wbmod.Workbook.save

    def interrupted_save(self, filename):
        real_save(self, filename)  # in memory since session 14; Ctrl-C meanwhile
        raise KeyboardInterrupt

    monkeypatch.setattr(wbmod.Workbook, "save", interrupted_save)
    assert main(["check", str(CORPUS), "--format", "xlsx", "--out", str(out)]) == 130
    assert out.read_bytes() == before
    monkeypatch.undo()
    real_write = Path.write_bytes

    def interrupted_write(self, data):
        real_write(self, data[:1000])  # the file half written, then Ctrl-C
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", interrupted_write)
    assert main(["check", str(CORPUS), "--format", "xlsx", "--out", str(out)]) == 130
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]  # no temporary file left


def test_report_through_a_symbolic_link_keeps_the_link(tmp_path):
    target = tmp_path / "reports" / "r.txt"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.txt"
    link.symlink_to(target)
    assert main(["check", str(CORPUS), "--out", str(link)]) == 1
    assert link.is_symlink() and "files found" in target.read_text(encoding="utf-8")


def test_console_script_ignores_ctrl_c_once_the_report_is_out(monkeypatch):
    # Found by the session-9 fresh-user test: Ctrl-C while the interpreter shut down printed
    # the weakref callback's partial, i.e. the memo with the batch's texts, and exit status 1.
    import signal

    from summary_analysis import cli
    from summary_analysis.rewrite.plausibility import _Forget

    assert repr(_Forget({1: ("x" * 1000,)}, 1)) == "<density memo entry 1>"
    monkeypatch.setattr(cli, "main", lambda: 0)
    old = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as exc:
            cli.run()
        assert exc.value.code == 0
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, old)


def test_report_into_a_pipe_or_over_a_hard_linked_or_restricted_file(tmp_path):
    # Found by the session-9 second review: writing through a temporary file replaced a device
    # or pipe named by --out (or failed on /dev/stdout), dropped a report's restricted mode and
    # cut its hard links.
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    assert main(["check", str(CORPUS), "--out", str(fifo)]) == 1
    reader.join(30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and "files found" in got[0]

    out = tmp_path / "r.txt"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o600)
    link = tmp_path / "same.txt"
    os.link(out, link)
    assert main(["check", str(CORPUS), "--out", str(out)]) == 1
    assert "files found" in link.read_text(encoding="utf-8")  # one file, two names
    os.unlink(link)
    assert main(["check", str(CORPUS), "--format", "json", "--out", str(out)]) == 1
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600  # replaced, permissions kept
    assert json.loads(out.read_text(encoding="utf-8"))["contract"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "r.txt"]


def test_ctrl_c_while_the_command_is_imported_exits_130_quietly():
    # Found by the session-9 fresh-user test and second review: a Ctrl-C in the first ~0.2 s
    # (the imports, before main() runs) printed a traceback. The console script's entry point
    # now imports the command line itself; `import summary_analysis` no longer imports stages.
    import subprocess
    import sys
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["summary-analysis"] == "summary_analysis._console:run"
    code = ("import builtins\nreal = builtins.__import__\n"
            "def interrupted(name, *args, **kwargs):\n"
            "    if name == 'cli' or name.endswith('.cli'):\n"
            "        raise KeyboardInterrupt\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = interrupted\n"
            "from summary_analysis._console import run\nrun()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (130, "summary-analysis: interrupted\n")
    light = subprocess.run([sys.executable, "-c", "import sys, summary_analysis; "
                            "print(sorted(m for m in sys.modules if m.startswith('summary_analysis')))"],
                           capture_output=True, text=True, timeout=60)
    assert light.stdout.strip() == "['summary_analysis']"


def test_a_read_only_report_is_not_replaced(tmp_path, monkeypatch, capsys):
    """Found by the session-10 hostile-input test: --out replaced a read-only (0444) report,
    which open() would have refused (written to a temporary file beside it and moved into
    place). A file this user may not write is refused now: one line naming it, exit 2, the file
    as it was. (As root every file is writable, so the check is shown with os.access saying no.)"""
    import os

    out = tmp_path / "report.json"
    out.write_text("old report", encoding="utf-8")
    out.chmod(0o444)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p) == str(out) else real_access(p, mode, **kw))
    monkeypatch.chdir(ROOT)
    capsys.readouterr()
    assert main(["check", str(SEED), "--format", "json", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"summary-analysis: error: {out}: the file is read-only"
    assert out.read_text(encoding="utf-8") == "old report"


def test_an_empty_select_is_a_usage_error(capsys):
    """--select '' silently selected nothing (0 findings, exit 0: fresh-user test)."""
    with pytest.raises(SystemExit) as info:
        main(["check", str(SEED), "--select", ""])
    assert info.value.code == 2
    assert "no rule code or family given" in capsys.readouterr().err


def test_report_written_to_a_file_is_summed_up_on_a_terminal(tmp_path, capsys, monkeypatch):
    """Found by the session-13 fresh-user test: a run with --out printed nothing at all. On a
    terminal, a run whose report goes to a file (any format) ends with one line saying what it
    holds and where it is; piped, stderr stays quiet for scripts."""
    import sys

    out = tmp_path / "r.txt"
    assert main(["check", str(SEED), "--out", str(out), "--fail-on", "never"]) == 0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["check", str(SEED), "--out", str(out), "--fail-on", "never"]) == 0
    line = capsys.readouterr().err.split("\r")[-1].strip()  # after the progress bar's last frame
    findings = re.search(r"(\d+) findings \(", out.read_text(encoding="utf-8")).group(1)
    assert line == f"1 file found: 1 read, 0 refused, 0 skipped; {findings} findings; report written to {out}"


def test_out_dash_is_standard_output_and_a_closed_one_is_said(tmp_path, capsys, monkeypatch):
    """Found by the session-13 hostile-input test: --out - wrote a file named '-', and a run
    started with standard output closed (>&-) ended with "fatal error: AttributeError"."""
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    assert main(["check", str(SEED), "--format", "json", "--out", "-", "--fail-on", "never"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] and not (tmp_path / "-").exists()
    assert main(["check", str(SEED), "--format", "xlsx", "--out", "-"]) == 2
    assert "--format xlsx writes a file; give --out FILE" in capsys.readouterr().err
    proc = subprocess.run(["sh", "-c", f'"{sys.executable}" -m summary_analysis.cli check "{SEED}" >&-'],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == ("summary-analysis: error: standard output is closed: write the "
                                                    "report to a file with --out FILE")


def test_a_path_that_does_not_exist_is_a_usage_error_unless_others_do(tmp_path, capsys):
    """Found by the session-13 second fresh-user test: `check nonexist` exited 1 ("findings")
    with an ING001 row, so a CI job took a typo for a failed check. With no PATH existing it is
    a usage error (2); beside files that exist, the missing one stays an ING001 row."""
    missing = tmp_path / "nonexist"
    assert main(["check", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"summary-analysis check: no such file or folder: {missing}"
    assert main(["check", str(missing), str(SEED), "--format", "json", "--fail-on", "never"]) == 0
    rows = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "ING001"]
    assert [(f["doc_id"], f["message"]) for f in rows] == [(str(missing), "no such file or folder")]
    # a name holding a terminal escape is escaped, as in the reports (session-14 hostile-input test)
    assert main(["check", str(tmp_path / "\x1b[31mRED")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[31mRED" in err


def test_a_copy_whose_direction_cannot_be_told_counts_for_both_documents(tmp_path, capsys):
    """Found by the session-15 fresh-user test: a report copied with one section deleted and
    its county renamed gave one DUP001 ("which of the two copied cannot be told") on the
    document that sorts second, the original; the summary table showed the original with DUP 1
    and error and the copy clean. The finding stays one per pair (the contract); the summary
    tables count it for both documents."""
    from summary_analysis import analyze
    from summary_analysis.report.views import document_summary

    text = (CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    start, end = text.index("五、"), text.index("六、")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "shuyang.md").write_text(text, encoding="utf-8")
    (folder / "lianshui.md").write_text((text[:start] + text[end:]).replace("沐阳", "涟水"), encoding="utf-8")
    batch = analyze([str(folder)])
    dup = [f for f in batch.finding_objects if f.rule == "DUP001"]
    assert len(dup) == 1 and dup[0].evidence["copier_by"] == "order"
    rows = {r["doc_id"]: r for r in document_summary(batch)}
    assert rows["shuyang.md"]["DUP"] == rows["lianshui.md"]["DUP"] == 1
    assert rows["shuyang.md"]["worst"] == rows["lianshui.md"]["worst"] == "error"
    assert main(["check", str(folder)]) == 1
    table = [line.split() for line in capsys.readouterr().out.splitlines() if line.endswith("error")]
    assert sorted(row[0] for row in table) == ["lianshui.md", "shuyang.md"]
    assert all(row[3] == "1" for row in table)  # the DUP column


def test_a_csv_folder_is_written_whole_or_left_as_it_was(tmp_path, capsys):
    """Found by the session-15 hostile-input test: with one table's file unwritable (a folder
    in its place), `--format csv --out DIR/` exited 2 but had replaced the tables before it
    (documents.csv and findings.csv from the new run, the rest from the old one). The tables are
    now all written before any replaces its file."""
    out = tmp_path / "tables"
    assert main(["check", str(CORPUS), "--format", "csv", "--out", str(out) + "/"]) == 1
    (out / "pairs.csv").unlink()
    (out / "pairs.csv").mkdir()
    before = {p.name: p.read_bytes() for p in out.glob("*.csv") if p.is_file()}
    assert len(before) == 6
    assert main(["check", str(CORPUS / "shuyang-county-2025-annual-report.md"), "--format", "csv",
                 "--out", str(out) + "/"]) == 2
    assert "pairs.csv: Is a directory" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.glob("*.csv") if p.is_file()} == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_text_report_counts_a_documents_implausible_phrases_past_the_first_few(capsys):
    """The session-15 fresh-user test: a spun report gave 93 REW002 lines in the text report,
    where a supervisor needs the one summary line. The first MAX_PHRASE_LINES phrases keep a
    line each, then one line counts the rest; the JSON keeps every finding."""
    from summary_analysis.report.text import MAX_PHRASE_LINES

    assert main(["check", str(CORPUS), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    spun = "seed-compilation-page.txt#4"
    phrases = [f for f in data["findings"] if f["rule"] == "REW002" and f["doc_id"] == spun and f["span"]]
    assert len(phrases) == 50
    for lang, more in (("en", f"{spun}: REW002 … 45 more implausible phrases (every one in the JSON"),
                       ("zh", f"{spun}: REW002 …… 另有 45 处措辞不合常理")):
        assert main(["check", str(CORPUS), "--lang", lang]) == 1
        lines = capsys.readouterr().out.splitlines()
        listed = [line for line in lines if line.startswith(spun + ":") and " REW002 " in line
                  and re.match(re.escape(spun) + r":\d+:\d+:", line)]
        assert len(listed) == MAX_PHRASE_LINES
        assert sum(line.startswith(more) for line in lines) == 1
        assert lines[-1].endswith("89 findings (1 error, 88 warnings, 0 info)") or "89 个问题" in lines[-1]
