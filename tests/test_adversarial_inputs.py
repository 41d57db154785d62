"""Hostile-user inputs to ``check`` found on a clean clone: each test builds its failing input by
code from the bundled corpus (seeded where random) and asserts the fixed behaviour.

Bugs covered: a file or folder given twice; an empty PATH; the tool reading its own reports;
``--select`` hiding unreadable files; raw exceptions for bad ``--out``/``--checklist``/segmenter;
unchecked ``--jobs``; a very deep path widening the text table; the doubled HTML title; Big5
text refused.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest

from conftest import SHANGHAI, SHUYANG
from summary_analysis.cli import main
from summary_analysis.ingest import read_batch
from summary_analysis.ingest.encoding import decode_bytes
from summary_analysis.ingest.errors import ReadError
from summary_analysis.ingest.walk import GIVEN_TWICE, LINK_OUTSIDE, OWN_REPORT, discover

#: Characters of each corpus report used: enough for a document, small enough to keep tests fast.
N_CHARS = 1500


@pytest.fixture()
def two_docs(tmp_path):
    """``d/a.md`` and ``d/b.txt``: the openings of two different real reports."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.md").write_text(SHUYANG.read_text(encoding="utf-8")[:N_CHARS], encoding="utf-8")
    (d / "b.txt").write_text(SHANGHAI.read_text(encoding="utf-8")[:N_CHARS], encoding="utf-8")
    return d


def _json_check(argv, out) -> tuple[int, dict]:
    rc = main(["check", *argv, "--format", "json", "--out", str(out)])
    return rc, json.loads(out.read_text(encoding="utf-8"))


# 1. a file or folder given twice ------------------------------------------------------------

def test_file_given_twice_is_read_once_and_not_a_copy_of_itself(two_docs, tmp_path):
    a = str(two_docs / "a.md")
    rc, data = _json_check([a, a], tmp_path / "r.json")
    assert [d["doc_id"] for d in data["documents"]] == ["a.md"]
    assert not [f for f in data["findings"] if f["rule"].startswith("DUP")]
    assert [s["reason"] for s in data["skipped"]] == [GIVEN_TWICE]


def test_folder_given_twice_counts_each_file_once(two_docs):
    files, skipped, missing = discover([two_docs, two_docs])
    assert [f.doc_id for f in files] == ["a.md", "b.txt"] and not missing
    assert [s.reason for s in skipped] == [GIVEN_TWICE]
    files, skipped, _ = discover([two_docs, two_docs / "a.md"])  # a folder, then a file in it
    assert [f.doc_id for f in files] == ["a.md", "b.txt"]
    assert [s.reason for s in skipped] == [GIVEN_TWICE]


def test_same_file_names_in_two_folders_both_name_their_folder(two_docs, tmp_path):
    """Found by the session-11 fresh-user test: ``check 2024 2025`` (each holding report.md)
    listed report.md and 2025/report.md: the first id did not say which folder it came from."""
    for year, src in (("2024", "a.md"), ("2025", "b.txt")):
        (tmp_path / year).mkdir()
        (tmp_path / year / "report.md").write_bytes((two_docs / src).read_bytes())
    (tmp_path / "2025" / "other.md").write_bytes((two_docs / "a.md").read_bytes())
    files, _, _ = discover([tmp_path / "2024", tmp_path / "2025"])
    # other.md clashes with nothing: its path as it stands
    assert [f.doc_id for f in files] == ["2024/report.md", "other.md", "2025/report.md"]
    # folders of one name too: numbered after that
    (tmp_path / "x" / "2024").mkdir(parents=True)
    (tmp_path / "x" / "2024" / "report.md").write_bytes((two_docs / "b.txt").read_bytes())
    files, _, _ = discover([tmp_path / "2024", tmp_path / "x" / "2024"])
    assert [f.doc_id for f in files] == ["2024/report.md", "2024/report.md~2"]


def test_hard_link_and_symbolic_links_to_one_file_are_one_file(two_docs, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    os.link(two_docs / "a.md", other / "hard.md")
    os.symlink(two_docs / "a.md", other / "soft1.md")
    os.symlink(two_docs / "a.md", other / "soft2.md")
    result = read_batch([two_docs, other])
    assert [d.doc_id for d in result.documents] == ["a.md", "b.txt"]
    assert result.files_found == 2 == result.files_read
    assert sorted(os.path.basename(s.path) for s in result.skipped) == ["hard.md", "soft1.md", "soft2.md"]
    # the links lead out of the folder walked: not followed since session 16 (a link in a
    # submission could pull in any readable file), which also keeps them from counting twice
    assert {os.path.basename(s.path): s.reason for s in result.skipped} == {
        "hard.md": GIVEN_TWICE, "soft1.md": LINK_OUTSIDE, "soft2.md": LINK_OUTSIDE}


# 2. an empty PATH -----------------------------------------------------------------------------

def test_empty_path_is_a_usage_error_not_the_current_folder(two_docs, monkeypatch, capsys):
    monkeypatch.chdir(two_docs)  # the current folder holds readable reports: none may be read
    assert main(["check", ""]) == 2
    assert "empty PATH" in capsys.readouterr().err


def test_empty_path_in_the_api_is_an_ing001_finding(two_docs, monkeypatch):
    monkeypatch.chdir(two_docs)
    result = read_batch("")
    assert result.documents == []
    assert result.files_found == 1 == result.files_refused
    [f] = result.findings
    assert f.rule == "ING001" and f.message.startswith("empty path")


# 3. the tool's own reports --------------------------------------------------------------------

def test_own_html_report_inside_the_folder_is_skipped(two_docs, tmp_path):
    report = two_docs / "report.html"
    main(["check", str(two_docs), "--format", "html", "--out", str(report)])
    assert re.search(r'<meta name="generator" content="summary-analysis [^"]+">',
                     report.read_text(encoding="utf-8"))
    rc, data = _json_check([str(two_docs)], tmp_path / "r.json")
    assert [d["doc_id"] for d in data["documents"]] == ["a.md", "b.txt"]
    assert data["skipped"] == [{"path": str(report), "reason": OWN_REPORT}]
    assert not [f for f in data["findings"] if f["rule"].startswith("DUP")]


def test_out_file_inside_the_folder_is_not_read_back(two_docs):
    out = two_docs / "report.txt"
    main(["check", str(two_docs), "--out", str(out)])  # first run: out did not exist yet
    first = out.read_text(encoding="utf-8")
    main(["check", str(two_docs), "--out", str(out)])  # second run: out exists inside PATH
    second = out.read_text(encoding="utf-8")
    assert "report.txt" not in first.split("\n\n")[0]
    assert "3 files found: 2 read" in second and "1 skipped" in second
    assert not re.search(r"^report\.txt", second, re.M)
    files, skipped, _ = discover([two_docs])
    # outside a run it is not the run's output, but still a report of this tool (its summary
    # line), so it is not read as a submission either
    assert "report.txt" not in [f.doc_id for f in files]
    assert [s.reason for s in skipped] == [OWN_REPORT]
    # a .txt submission ending otherwise is read
    out.write_text(first.rsplit("\n", 2)[0] + "\n以上为本单位年度工作总结。\n", encoding="utf-8")
    assert "report.txt" in [f.doc_id for f in discover([two_docs])[0]]


def test_summary_line_counts_in_the_singular_and_old_reports_stay_recognised(tmp_path):
    """"1 documents; … (1 errors" read oddly: one of a kind is counted in the singular. A text
    report with the singular summary line, and one written before (plural only), are both still
    taken for reports of this tool, not submissions."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(SHUYANG.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "report.txt"
    main(["check", str(folder / "a.md"), "--out", str(out)])
    last = out.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[1]
    assert last.startswith("1 file found: 1 read, 0 refused (ING), 0 skipped")
    assert "; 1 document; " in last and re.search(r"; \d+ findings? \(\d+ errors?, \d+ warnings?, \d+ info\)$", last)
    (folder / "report.txt").write_text(out.read_text(encoding="utf-8"), encoding="utf-8")
    old = folder / "old-report.txt"
    body = out.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0]
    old.write_text(body + "\n1 files found: 1 read, 0 refused (ING), 0 skipped (notes); 1 documents; "
                   "1 findings (0 errors, 1 warnings, 0 info)\n", encoding="utf-8")
    files, skipped, _ = discover([folder])
    assert [f.doc_id for f in files] == ["a.md"]
    assert sorted((Path(s.path).name, s.reason) for s in skipped) == [("old-report.txt", OWN_REPORT),
                                                                 ("report.txt", OWN_REPORT)]


# 4. --select keeps ING findings -----------------------------------------------------------------

def test_select_never_hides_unreadable_files(two_docs, tmp_path):
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "fake.pdf").write_text(SHUYANG.read_text(encoding="utf-8")[:200], encoding="utf-8")
    argv = [str(bad / "empty.txt"), str(bad / "fake.pdf"), str(two_docs)]
    rc, data = _json_check([*argv, "--select", "DUP"], tmp_path / "r1.json")
    assert sorted(f["rule"] for f in data["findings"] if f["rule"].startswith("ING")) == ["ING001", "ING003"]
    assert rc == 1
    rc, data = _json_check([*argv, "--select", "DUP", "--ignore", "ING"], tmp_path / "r2.json")
    assert not [f for f in data["findings"] if f["rule"].startswith("ING")]


def test_a_name_too_long_to_look_up_is_one_unread_file(two_docs, tmp_path, capsys):
    """Found by the session-11 hostile-input test: a PATH the system cannot look up (a name
    over 255 bytes: ENAMETOOLONG from stat, which pathlib does not swallow) ended the whole run
    with exit 2; it is an ING001 row and the rest of the batch is checked. The inspection
    commands (PAGE#N too) say so as for any unreadable file."""
    long_name = str(tmp_path / ("报" * 90 + ".txt"))  # 270 bytes in UTF-8
    rc, data = _json_check([long_name, str(two_docs)], tmp_path / "r.json")
    assert rc == 1 and sorted(d["doc_id"] for d in data["documents"]) == ["a.md", "b.txt"]
    ing = [f for f in data["findings"] if f["rule"] == "ING001"]
    assert len(ing) == 1 and "File name too long" in ing[0]["message"]
    for command in (["sections", long_name + "#1"], ["compare", long_name, str(two_docs / "a.md")]):
        assert main(command) == 2
        assert "File name too long" in capsys.readouterr().err


# 5. options validated before any file is read ------------------------------------------------

def _no_analysis(monkeypatch):
    import summary_analysis.cli as cli

    def fail(paths, args):
        raise AssertionError("the analysis ran before the options were checked")

    monkeypatch.setattr(cli, "run_analysis", fail)


def test_missing_out_folder_is_created(two_docs, tmp_path):
    out = tmp_path / "new" / "sub" / "r.json"
    rc, data = _json_check([str(two_docs)], out)
    assert [d["doc_id"] for d in data["documents"]] == ["a.md", "b.txt"]


@pytest.mark.parametrize("fmt", ["json", "text", "html", "xlsx"])
def test_out_folder_is_a_usage_error_except_for_csv(fmt, two_docs, tmp_path, monkeypatch, capsys):
    _no_analysis(monkeypatch)
    assert main(["check", str(two_docs), "--format", fmt, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder" in err and "fatal" not in err


@pytest.mark.parametrize("argv, message", [
    (["--out", ""], "empty --out: give a file name"),
    (["--index", ""], "empty --index: give a file name"),
    (["--format", "json", "--out", "NEW/"], "is a folder; --format json writes one file"),
])
def test_empty_out_or_index_and_a_new_folder_out_are_usage_errors(argv, message, two_docs, tmp_path,
                                                                  monkeypatch, capsys):
    """Found by the session-12 hostile-input test: --out '' and --index '' were ignored (the
    report went to stdout, no reference check ran) and --out sub/ with JSON wrote a file named
    sub; each is now exit 2 with one line, before anything is read."""
    _no_analysis(monkeypatch)
    argv = [str(tmp_path / "sub") + "/" if a == "NEW/" else a for a in argv]
    assert main(["check", str(two_docs), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "fatal" not in err
    assert not (tmp_path / "sub").exists()


def test_out_under_a_file_is_a_usage_error(two_docs, monkeypatch, capsys):
    _no_analysis(monkeypatch)
    assert main(["check", str(two_docs), "--format", "json", "--out", str(two_docs / "a.md" / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "cannot create the folder" in err and "fatal" not in err


def test_bad_checklist_file_is_a_usage_error_before_analysis(two_docs, tmp_path, monkeypatch, capsys):
    _no_analysis(monkeypatch)
    bad = tmp_path / "bad.toml"
    bad.write_text("[checklist\nname = \n", encoding="utf-8")
    assert main(["check", str(two_docs), "--checklist", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "--checklist" in err and "bad.toml" in err and "fatal" not in err
    assert main(["check", str(two_docs), "--checklist", "no-such-checklist"]) == 2
    assert "unknown checklist" in capsys.readouterr().err


def test_unknown_segmenter_in_environment_is_a_usage_error(two_docs, monkeypatch, capsys):
    _no_analysis(monkeypatch)
    monkeypatch.setenv("SUMMARY_ANALYSIS_SEGMENTER", "bogus")
    assert main(["check", str(two_docs)]) == 2
    err = capsys.readouterr().err
    assert "unknown segmenter 'bogus'" in err and "fatal" not in err


# 6. --jobs ----------------------------------------------------------------------------------

def test_negative_jobs_is_a_usage_error(two_docs, capsys):
    with pytest.raises(SystemExit) as e:
        main(["check", str(two_docs), "--jobs", "-1"])
    assert e.value.code == 2 and "cannot be negative" in capsys.readouterr().err


def test_huge_jobs_is_capped_with_a_note(two_docs, monkeypatch, capsys):
    import summary_analysis.cli as cli

    seen = []

    def record(paths, args):
        seen.append(args.jobs)
        raise KeyboardInterrupt  # stop right there: only the value passed on matters

    monkeypatch.setattr(cli, "run_analysis", record)
    assert main(["check", str(two_docs), "--jobs", "1000"]) == 130
    assert seen == [2 * (os.cpu_count() or 1)]
    assert "--jobs 1000 lowered to" in capsys.readouterr().err


# 7. text table with a very deep path --------------------------------------------------------

def test_deep_path_does_not_widen_the_text_table(two_docs, tmp_path):
    from summary_analysis.report.text import DOC_COLUMN_WIDTH, display_width as _width

    rng = random.Random(7)
    words = [w for w in re.findall(r"[\u4e00-\u9fff]{4,8}", SHUYANG.read_text(encoding="utf-8"))]
    deep = two_docs.joinpath(*[f"{rng.choice(words)}{i:02d}" for i in range(14)])
    deep.mkdir(parents=True)
    (two_docs / "a.md").rename(deep / "a.md")
    out = tmp_path / "r.txt"
    main(["check", str(two_docs), "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    doc_id = (deep / "a.md").relative_to(two_docs).as_posix()
    assert _width(doc_id) > 150
    finding_lines, table = text.split("\n\n")[:2]
    assert doc_id in finding_lines  # finding lines keep the whole doc_id
    rows = table.split("\n")
    assert all(_width(r) < DOC_COLUMN_WIDTH + 60 for r in rows)
    [row] = [r for r in rows if "…" in r]
    head, tail = row.split("  ")[0].split("…")
    assert doc_id.startswith(head) and doc_id.endswith(tail) and _width(head + "…" + tail) <= DOC_COLUMN_WIDTH


# 8. HTML title ----------------------------------------------------------------------------------

def test_html_title_is_not_the_heading_repeated(two_docs, tmp_path):
    from bs4 import BeautifulSoup

    out = tmp_path / "r.html"
    main(["check", str(two_docs), "--format", "html", "--out", str(out)])
    soup = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    title, h1 = soup.title.get_text(), soup.h1.get_text()
    assert title and h1 and h1 not in title
    assert "2 documents" in title


# 9. Big5 text ---------------------------------------------------------------------------------

def test_big5_text_is_read_as_big5(tmp_path):
    source = SHANGHAI.read_text(encoding="utf-8")[:N_CHARS]
    text = "".join(c for c in source if c.encode("big5hkscs", errors="ignore"))  # Big5 has it
    data = text.encode("big5hkscs")
    assert sum("\u4e00" <= c <= "\u9fff" for c in text) > 300
    assert decode_bytes(data) == (text, "big5hkscs")
    (tmp_path / "big5.txt").write_bytes(data)
    result = read_batch(tmp_path / "big5.txt")
    assert [d.encoding for d in result.documents] == ["big5hkscs"] and not result.findings


def test_undecodable_bytes_name_the_encodings_tried():
    rng = random.Random(11)
    data = bytes(rng.choice(range(0x81, 0xFF)) for _ in range(4000))
    with pytest.raises(ReadError) as e:
        decode_bytes(data)
    assert "Big5" in e.value.reason
