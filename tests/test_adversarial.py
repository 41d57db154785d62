"""Hostile and awkward input (tests/adversarial.py): no traceback, no file lost, no attack.

Every file of the generated folder must become either analysed documents or exactly one ING
finding with a reason a person understands; the counts add up (documents' files + ING
findings = files found).
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from summary_analysis.ingest import read_batch, read_one
from summary_analysis.ingest.walk import InputFile

from adversarial import FORBIDDEN_TEXT, docx_bytes, make_adversarial, report_text

#: What the reason of each bad file must say (lower-cased substring).
REASONS = {
    "empty.txt": "empty file",
    "whitespace-only.txt": "only whitespace",
    "control-only.txt": "binary content",
    "photo-renamed.txt": "png image",
    "invalid-utf8.txt": "neither utf-8 nor gb18030",
    "mixed-gb18030-utf8.txt": "mixed encodings",
    "random-bytes.txt": "binary content",
    "legacy-word.doc": "unsupported file type '.doc'",
    "no-extension": "(no extension)",
    "big-single-line.txt": "over the 20 mb limit (--max-file-mb)",
    "truncated.docx": "damaged or truncated",
    "text-renamed.docx": "not a zip package",
    "zip-bomb.docx": "zip bomb",
    "huge-xml-part.docx": "64 mb limit for one xml part",
    "xxe.docx": "xml external entity",
    "encrypted.pdf": "encrypted",
    "scanned-no-text.pdf": "ocr needed",
    "not-a-pdf.pdf": "no %pdf- header",
    "truncated.pdf": "cannot read pdf",
    "empty-page.html": "no text",
    "broken-link.txt": "broken symbolic link",
    "loop-a.txt": "symbolic link loop",
    "loop-b.txt": "symbolic link loop",
    "named-pipe.txt": "named pipe",
}


@pytest.fixture(scope="session")
def adv_batch(adversarial):
    from summary_analysis import analyze

    return analyze([str(adversarial.root)])


def _outcomes(batch) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in batch.analyses:
        out.setdefault(d.document.doc_id.split("#")[0], []).append("doc")
    for f in batch.finding_objects:
        if f.rule.startswith("ING"):
            out.setdefault(f.doc_id, []).append(f.rule)
    return out


def test_every_file_becomes_documents_or_exactly_one_ing_finding(adversarial, adv_batch):
    got = _outcomes(adv_batch)
    assert set(got) == set(adversarial.expected)
    for name, expect in adversarial.expected.items():
        if expect == "doc":
            assert set(got[name]) == {"doc"}, name
        else:
            assert got[name] == [expect], name


def test_counts_add_up(adversarial, adv_batch):
    c = adv_batch.counts()
    # 46 read or refused: link-to-good.txt is the same file as good-utf8.txt, skipped ("given
    # twice"); every file met is counted once, as read, refused or skipped
    assert c["files_read"] + c["files_refused"] == len(adversarial.expected) == 46
    assert c["files_found"] == 46 + c["skipped"] and c["skipped"] == len(adv_batch.read.skipped)
    assert c["files_read"] == len(adversarial.good) == 20
    assert c["files_refused"] == len(adversarial.bad) == 26
    ing = [f for f in adv_batch.finding_objects if f.rule.startswith("ING")]
    doc_files = {a.document.doc_id.split("#")[0] for a in adv_batch.analyses}
    assert len(doc_files) + len(ing) == c["files_read"] + c["files_refused"]
    skipped = sorted(Path(s.path).name for s in adv_batch.read.skipped)
    assert skipped == sorted(adversarial.skipped)
    # hidden files are not read (contract: skipped) but listed, so every file is accounted for
    # (found by the session-8 fresh-user test: they used to vanish from the counts)
    assert not any(".hidden" in a.document.doc_id for a in adv_batch.analyses)
    from summary_analysis.ingest.walk import HIDDEN

    assert sorted(Path(s.path).name for s in adv_batch.read.skipped if s.reason == HIDDEN) == \
        [".hidden-dir", ".hidden-report.txt"]


def test_reasons_are_specific(adv_batch):
    msgs = {f.doc_id: f.message for f in adv_batch.finding_objects if f.rule.startswith("ING")}
    for name, phrase in REASONS.items():
        assert phrase in msgs[name].lower(), (name, msgs[name])
        assert "Traceback" not in msgs[name] and len(msgs[name]) < 300


def test_no_hostile_text_reaches_documents(adversarial, adv_batch):
    for a in adv_batch.analyses:
        text = a.document.text
        for marker in FORBIDDEN_TEXT:
            assert marker not in text, (a.document.doc_id, marker)
        assert "\r" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
        assert text == text.strip() and text
    html = adv_batch.document("page-with-scripts.html").text
    assert "| 主动公开 | 68 |" in html and "一、主要工作" in html
    assert "深层嵌套的页面内容" in adv_batch.document("deeply-nested.htm").text
    assert "| 依申请公开 | 5 |" in adv_batch.document("good.docx").text
    esc = adv_batch.document("terminal-escapes.txt").text
    assert "[2J" in esc and "一、主要工作" in esc  # only the ESC/CSI/bidi characters are dropped


def test_encodings_recorded(adv_batch):
    enc = {a.document.doc_id: a.document.encoding for a in adv_batch.analyses}
    assert enc["good-utf8.txt"] == "utf-8"
    assert enc["good-utf8-bom.txt"] == "utf-8-sig"
    assert enc["good-gb18030.txt"] == "gb18030"
    assert enc["good-utf16-bom.txt"] == "utf-16"
    assert enc["utf16le-no-bom.txt"] == "utf-16-le"
    assert enc["utf16be-no-bom.txt"] == "utf-16-be"
    assert enc["nul-and-control-chars.txt"] == "utf-8"
    assert enc["good.pdf"] == "pdf" and enc["good.docx"] == "docx"


def test_same_text_in_every_encoding_gives_the_same_document(tmp_path):
    import random

    text = report_text(random.Random(7))
    for enc in ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"):
        (tmp_path / f"{enc}.txt").write_bytes(text.encode(enc))
    (tmp_path / "crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    docs = read_batch([str(tmp_path)]).documents
    assert len(docs) == 7
    assert len({d.text for d in docs}) == 1
    assert docs[0].text == text.strip()


def test_odd_names_kept_readable_and_unique(adversarial, adv_batch):
    ids = [a.document.doc_id for a in adv_batch.analyses]
    assert "工作 总结 2024 年.txt" in ids
    assert "deep/a/b/c/d/e/f/g/深层 目录.txt" in ids
    assert "name-\\xff\\xfe-latin1.txt" in ids  # undecodable bytes escaped, not a surrogate
    assert "new\\x0aline.txt" in ids  # a newline cannot forge a report line
    assert {"sub1/report.txt", "sub2/report.txt"} <= set(ids)
    assert len(ids) == len(set(ids))
    assert adv_batch.document("sub1/report.txt").text == adv_batch.document("sub2/report.txt").text


def test_big_file_refused_from_its_size_without_being_read(adversarial, monkeypatch):
    import summary_analysis.ingest as ingest

    opened = []
    real = ingest._read_limited
    monkeypatch.setattr(ingest, "_read_limited", lambda p, n, e: opened.append(p) or real(p, n, e))
    big = adversarial.root / "big-single-line.txt"
    assert big.stat().st_size >= 50 * 1024 * 1024
    docs, findings = read_one(InputFile(big, "big.txt"))
    assert docs == [] and [f.rule for f in findings] == ["ING004"]
    assert opened == []
    docs, findings = read_one(InputFile(adversarial.root / "good-utf8.txt", "g.txt"))
    assert len(docs) == 1 and opened == [adversarial.root / "good-utf8.txt"]


def test_a_huge_size_limit_does_not_allocate_it(adversarial):
    """--max-file-mb 100000 gave every file "MemoryError": the read buffer was the limit's size
    (100 GB), not the file's. Now the buffer follows the file's size."""
    import tracemalloc

    good = adversarial.root / "good-utf8.txt"
    tracemalloc.start()
    try:
        docs, findings = read_one(InputFile(good, "g.txt"), max_file_mb=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert findings == [] and len(docs) == 1
    assert peak < 50 * good.stat().st_size + 5_000_000


def test_a_file_that_grows_while_read_is_read_to_the_limit(tmp_path):
    import summary_analysis.ingest as ingest

    f = tmp_path / "growing.txt"
    f.write_bytes("政务公开".encode() * 1000)                  # 12,000 bytes now
    assert ingest._read_limited(f, 1_000_000, 100) == f.read_bytes()   # stat said 100: read on
    with pytest.raises(ingest.ReadError) as err:
        ingest._read_limited(f, 5_000, 100)
    assert err.value.rule == "ING004" and "grew past" in err.value.reason
    assert ingest._read_limited(f, 12_000, 12_000) == f.read_bytes()  # exactly the limit


def test_size_limits_are_configurable(adversarial):
    good = adversarial.root / "good-utf8.txt"
    _, findings = read_one(InputFile(good, "g.txt"), max_file_mb=good.stat().st_size / 2 / 1048576)
    assert [f.rule for f in findings] == ["ING004"]
    docx = adversarial.root / "good.docx"
    unzipped = sum(i.file_size for i in zipfile.ZipFile(docx).infolist())
    _, findings = read_one(InputFile(docx, "d.docx"), max_unzipped=unzipped - 1)
    assert [f.rule for f in findings] == ["ING004"] and "zip bomb" in findings[0].message
    docs, findings = read_one(InputFile(docx, "d.docx"), max_unzipped=unzipped)
    assert len(docs) == 1 and findings == []
    # the default unzipped limit follows --max-file-mb (10x): 200 MB with the default 20 MB
    bomb = adversarial.root / "zip-bomb.docx"
    _, findings = read_one(InputFile(bomb, "b.docx"), max_file_mb=20)
    assert "200 MB safety limit" in findings[0].message


def test_xxe_never_resolved_even_by_python_docx(adversarial):
    import docx

    data = (adversarial.root / "xxe.docx").read_bytes()
    assert b"<!ENTITY xxe SYSTEM" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "TOP-SECRET" not in text and adversarial.secret_path.read_text(encoding="utf-8")


def test_reading_needs_no_network(adversarial, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = read_batch([str(adversarial.root)])
    assert len(result.documents) >= 20


def test_cli_on_adversarial_folder_exits_1_without_traceback(adversarial):
    exe = Path(sys.executable).with_name("summary-analysis")
    proc = subprocess.run([str(exe), "check", str(adversarial.root)], capture_output=True, timeout=600,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "Traceback" not in out
    assert f"{46 + len(adversarial.skipped)} files found: 20 read, 26 refused" in out
    for name in REASONS:
        assert f"{name}: ING00" in out, name
    assert "\x1b" not in out and "\u202e" not in out


def test_generator_is_deterministic(tmp_path):
    a = make_adversarial(tmp_path / "a", big_mb=0, bomb_mb=1, secret_dir=tmp_path)
    b = make_adversarial(tmp_path / "b", big_mb=0, bomb_mb=1, secret_dir=tmp_path)
    names = sorted(n for n, v in a.expected.items() if v == "doc" or v == "ING003")
    assert names == sorted(n for n, v in b.expected.items() if v == "doc" or v == "ING003")
    for name in ("good-utf8.txt", "good-gb18030.txt", "mixed-gb18030-utf8.txt", "photo-renamed.txt",
                 "scanned-no-text.pdf", "random-bytes.txt"):
        assert (a.root / name).read_bytes() == (b.root / name).read_bytes(), name
    assert docx_bytes("一\n二")[:2] == b"PK"


def test_hostile_document_cannot_script_the_report(tmp_path, monkeypatch):
    """Markup and spreadsheet formulas inside a submitted document stay inert in the reports."""
    from summary_analysis.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "=cmd.txt").write_text(
        '=HYPERLINK("http://evil.invalid","点击")XX街道20xx年工作总结\n一、主要工作\n'
        '<script>alert("xss")</script><img src=x onerror=alert(1)>本年度主动公开政府信息▲条。\n',
        encoding="utf-8")
    html = tmp_path / "r.html"
    assert main(["check", str(folder), "--format", "html", "--out", str(html)]) == 1
    page = html.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page
    assert '<script>alert("xss")' not in page and "<img src=x" not in page
    xlsx = tmp_path / "r.xlsx"
    assert main(["check", str(folder), "--format", "xlsx", "--out", str(xlsx)]) == 1
    import openpyxl

    cells = [c for ws in openpyxl.load_workbook(xlsx) for row in ws.iter_rows() for c in row]
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)
    assert not any(c.data_type == "f" for c in cells)  # stored as text, never as a formula


def test_over_long_text_refused_before_analysis(tmp_path):
    import random

    from summary_analysis.ingest import DEFAULT_MAX_CHARS

    rng = random.Random(3)
    body = "".join(report_text(rng).replace("\n", "") for _ in range(40))
    (tmp_path / "long.txt").write_text(body, encoding="utf-8")
    assert len(body) > 5000
    result = read_batch([str(tmp_path)], max_chars=5000)
    assert result.documents == [] and [f.rule for f in result.findings] == ["ING004"]
    assert "5,000-character limit" in result.findings[0].message
    assert len(read_batch([str(tmp_path)], max_chars=len(body)).documents) == 1
    assert DEFAULT_MAX_CHARS >= 100_000  # far above any real report (corpus: at most 20,000)


def test_html_declared_charsets(tmp_path):
    body = "<p>政府信息公開工作年度報告：主動公開政府信息68條。</p>"
    pages = {
        "gbk.html": ('<meta charset="gb2312">', "gbk", "gb18030"),
        "big5.html": ('<meta http-equiv="Content-Type" content="text/html; charset=big5">', "big5", "big5"),
        "wrong-latin1.html": ('<meta charset="iso-8859-1">', "utf-8", "utf-8"),
        "wrong-utf16.html": ('<meta charset="utf-16">', "utf-8", "utf-8"),
    }
    for name, (meta, enc, _) in pages.items():
        (tmp_path / name).write_bytes(f"<html><head>{meta}</head><body>{body}</body></html>".encode(enc))
    docs = {d.doc_id: d for d in read_batch([str(tmp_path)]).documents}
    for name, (_, _, used) in pages.items():
        assert docs[name].encoding == used, name
        assert docs[name].text == "政府信息公開工作年度報告：主動公開政府信息68條。", name


def test_a_file_whose_read_would_wait_is_refused_not_waited_for(tmp_path, monkeypatch):
    """Found by the session-14 hostile-input test: a link to /proc/kmsg (a regular file whose
    read blocks until the kernel logs) held the run until it was killed. Files are opened
    without blocking; one that has nothing to give now is ING001. Simulated with a FIFO opened
    for writing by this process (a FIFO itself is refused before it is opened), read here
    through _read_limited directly."""
    import summary_analysis.ingest as ingest

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # keeps the FIFO open, with nothing written
    try:
        with pytest.raises(ingest.ReadError) as err:
            ingest._read_limited(fifo, 1000, 0)
    finally:
        os.close(writer)
    assert err.value.rule == "ING001" and "without waiting" in err.value.reason


def test_chinese_bytes_under_a_latin1_declaration_are_refused_not_read_as_mojibake(tmp_path):
    """Left open in session 15's hostile-input test: GBK bytes with one invalid pair under
    ``<meta charset="iso-8859-1">`` were read as Latin-1 mojibake ("Õþ¸®") and analysed as text.
    A real Latin-1 page (accented letters between ASCII) is still read in its charset."""
    import random

    rng = random.Random(16)
    body = report_text(rng).replace("\n", "<br>").encode("gbk")
    cut = body.index("<br>".encode()) + 4
    spoiled = body[:cut] + b"\xff\x30" + body[cut:]  # 0xFF is never a GB18030 lead byte
    head = b'<html><head><meta charset="iso-8859-1"></head><body>'
    (tmp_path / "gbk-as-latin1.html").write_bytes(head + spoiled + b"</body></html>")
    french = "<p>Le r\u00e9sum\u00e9 annuel: 68 d\u00e9cisions publi\u00e9es, \u00e0 l'\u00e9t\u00e9.</p>"
    (tmp_path / "latin1.html").write_bytes(head + french.encode("latin-1") + b"\xff</body></html>")
    result = read_batch([str(tmp_path)])
    assert [d.doc_id for d in result.documents] == ["latin1.html"]
    assert result.documents[0].encoding == "iso-8859-1"
    assert "résumé annuel" in result.documents[0].text
    (refused,) = result.findings
    assert refused.rule == "ING001" and refused.doc_id == "gbk-as-latin1.html"
    assert "declares charset 'iso-8859-1'" in refused.message
    assert f"1 invalid byte sequence(s), the first at byte offset {len(head) + cut}" in refused.message


def test_a_folder_nested_thousands_deep_is_walked_not_the_end_of_the_batch(tmp_path):
    """Found by the session-16 hostile-input test: os.walk recursed once per level, so a
    folder nested 1,000 deep (a 2,000-character path) ended the whole run with RecursionError;
    the good files given beside it were lost too."""
    from summary_analysis import analyze

    root = tmp_path / "deep"
    root.mkdir()
    (root / "top.md").write_text("一、总体情况\n" + "我局认真落实政务公开工作。" * 20, encoding="utf-8")
    here = os.getcwd()
    try:
        try:
            os.chdir(root)
            for _ in range(1500):  # past 2,000 the path (plus tmp_path) nears PATH_MAX (4,096)
                os.mkdir("d")
                os.chdir("d")
            Path("bottom.md").write_text("二、存在问题\n" + "基层工作人员业务水平有待提高。" * 20, encoding="utf-8")
        finally:
            os.chdir(here)
        batch = analyze([str(root)])
    finally:  # pytest's own clean-up (shutil.rmtree) recurses per level too
        try:
            os.chdir(root)
            depth = 0
            while os.path.isdir("d"):
                os.chdir("d")
                depth += 1
            for _ in range(depth):
                for name in os.listdir("."):
                    os.remove(name)
                os.chdir("..")
                os.rmdir("d")
        finally:
            os.chdir(here)
    ids = sorted(batch.documents.doc_id)
    assert ids[1] == "top.md" and ids[0].startswith("d/d/") and ids[0].endswith("/bottom.md")
    assert ids[0].count("d/") == 1500


def test_a_link_out_of_a_walked_folder_is_not_followed(tmp_path):
    """Found by the session-16 hostile-input test: a submission folder holding links to
    /etc/passwd and /etc/shadow had them read as documents and printed whole in the HTML
    report. Inside a walked folder a link to a file outside it is skipped with the reason; a
    link to a file inside it, and a link given by name, are read."""
    outside = tmp_path / "secret.txt"
    outside.write_text("一、总体情况\n" + "不应被读取的文件内容。" * 20, encoding="utf-8")
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "report.md").write_text("一、总体情况\n" + "我局认真落实政务公开工作。" * 20, encoding="utf-8")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "alias.md").symlink_to(folder / "report.md")
    result = read_batch([str(folder)])
    assert [d.doc_id for d in result.documents] == ["alias.md"]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons["leak.txt"].startswith("symbolic link to a file outside the folder")
    assert "given twice" in reasons["report.md"]
    assert [d.doc_id for d in read_batch([str(folder / "leak.txt")]).documents] == ["leak.txt"]


def test_names_in_messages_reach_the_terminal_escaped(tmp_path, capsys):
    """Found by the session-16 hostile-input test: an escape sequence in a file name or an
    argument reached the terminal raw through some messages (compare's "name one as …#N", an
    unknown rule, a --select code), and zero-width, line-separator, BOM and tag characters in
    names were printed as they are (zw\\u200b\\u200dname.txt displayed as zwname.txt)."""
    from summary_analysis.cli import main
    from summary_analysis.ingest.walk import safe_name

    esc = "\x1b]0;PWNED\x07\x1b[2J"
    page = tmp_path / f"page{esc}.txt"
    page.write_text((Path(__file__).parent.parent / "corpus" / "seed-compilation-page.txt").read_text(encoding="utf-8"),
                    encoding="utf-8")
    other = Path(__file__).parent.parent / "corpus" / "shuyang-county-2025-annual-report.md"
    for argv in (["compare", str(page), str(other)], ["rule", f"DUP{esc}"], ["check", str(other), "--select", f"X{esc}"]):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's own usage error
            status = exc.code
        assert status == 2
        err = capsys.readouterr().err
        assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;PWNED\\x07\\x1b[2J" in err, argv
    for raw, shown in (("zw\u200b\u200dname.txt", "zw\\u200b\\u200dname.txt"), ("a\u2028b", "a\\u2028b"),
                       ("\ufeffbom", "\\ufeffbom"), ("tag\U000e0041", "tag\\U000e0041"), ("soft\u00adhy", "soft\\xadhy"),
                       ("报告 2025.docx", "报告 2025.docx")):
        assert safe_name(raw) == shown


def test_reports_keep_every_digit_of_a_figure(tmp_path, capsys):
    """Found by the session-16 hostile-input test: the JSON, CSV and XLSX reports rounded floats
    to 6 decimals, so 0.0000001亿元 read 0.0 and 99.9999999% read 100.0 (``figures`` showed them
    right). Floats are now written to 15 significant digits."""
    import csv
    import json

    from summary_analysis.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "s.txt").write_text("一、总体情况\n本年度财政资金0.0000001亿元，办结率99.9999999%，"
                                           "我局认真落实政务公开工作。\n", encoding="utf-8")
    main(["check", str(tmp_path / "in"), "--format", "json"])
    values = {f["raw"]: f["value"] for f in json.loads(capsys.readouterr().out)["figures"]}
    assert values == {"0.0000001亿元": 1e-07, "99.9999999%": 99.9999999}
    main(["check", str(tmp_path / "in"), "--format", "csv", "--out", str(tmp_path / "csv") + "/"])
    with open(tmp_path / "csv" / "figures.csv", encoding="utf-8-sig") as f:
        assert {r["raw"]: float(r["value"]) for r in csv.DictReader(f)} == values


@pytest.mark.parametrize("parts, split", [(30, True), (201, False)])
def test_a_compilation_page_of_hundreds_of_documents_is_refused_not_split(tmp_path, parts, split):
    """Found by the session-16 hostile-input test: a 3 MB page of 10,000 small parts titled
    总结(篇i), each a window of one text, split into 10,000 documents: 284,693 DUP001
    findings, 252 s, 4.8 GB, and under a memory limit the whole batch was lost. A page of more
    than MAX_SPLIT_DOCUMENTS parts is refused (ING004); a page of a few dozen is split."""
    import random

    from summary_analysis.ingest import MAX_SPLIT_DOCUMENTS

    rng = random.Random(16)
    source = report_text(rng).replace("\n", "")
    page = "".join(f"工作总结(篇{i})\n{source[(k := rng.randrange(len(source) - 120)):k + 120]}\n"
                   for i in range(1, parts + 1))
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    result = read_batch([str(tmp_path)])
    if split:
        assert len(result.documents) == parts and result.findings == []
    else:
        assert result.documents == [] and [f.rule for f in result.findings] == ["ING004"]
        assert f"a compilation page of {parts} documents, more than {MAX_SPLIT_DOCUMENTS}" in result.findings[0].message


def test_a_submission_cannot_pass_for_the_tools_own_report_or_a_note(tmp_path, capsys):
    """Found by the session-16 hostile-input test: a verbatim copy of a report was skipped
    unread as "a summary-analysis report" when it ended with a forged count line, or carried
    <meta name=generator content=summary-analysis-not-really>; a full report named README.docx
    or ~$县政府年报.docx was skipped as a note or an Office lock file. All are read now; the
    tool's own text and HTML reports, a README.md and a 162-byte lock file are still skipped."""
    import shutil

    from summary_analysis.cli import main

    shuyang = Path(__file__).parent.parent / "corpus" / "shuyang-county-2025-annual-report.md"
    text = shuyang.read_text(encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a-forged-line.md").write_text(text + "\n0 files found: 0 read, 0 refused (ING), 0 skipped ; 0 documents; "
                                                 "0 findings (0 errors, 0 warnings, 0 info)\n", encoding="utf-8")
    (sub / "b-meta.html").write_text('<html><head><meta name=generator content=summary-analysis-not-really></head>'
                                     f"<body><p>{text}</p></body></html>", encoding="utf-8")
    (sub / "README.docx").write_bytes(docx_bytes(text))
    (sub / "~$县政府年报.docx").write_bytes(docx_bytes(text))
    (sub / "README.md").write_text("这些是报送材料。\n", encoding="utf-8")
    (sub / "~$锁定.docx").write_bytes(b"\x00" * 162)
    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in (("text", "report.txt"), ("html", "report.html")):
        assert main(["check", str(sub), "--format", fmt, "--out", str(out / name)]) == 1
    shutil.copy(out / "report.txt", sub / "z-report.txt")
    shutil.copy(out / "report.html", sub / "z-report.html")
    # saved again on Windows (session-16 re-test: the table header's check missed it)
    (sub / "z-report-crlf.txt").write_bytes((out / "report.txt").read_bytes().replace(b"\n", b"\r\n"))
    capsys.readouterr()
    result = read_batch([str(sub)])
    assert sorted(d.doc_id for d in result.documents) == ["README.docx", "a-forged-line.md", "b-meta.html",
                                                          "~$县政府年报.docx"]
    skipped = {Path(s.path).name: s.reason for s in result.skipped}
    assert skipped == {"README.md": "note (README/SOURCES), not a report",
                       "~$锁定.docx": "Office lock file (~$…) of a document being edited, not a report",
                       "z-report.txt": "a summary-analysis report, not a submission",
                       "z-report-crlf.txt": "a summary-analysis report, not a submission",
                       "z-report.html": "a summary-analysis report, not a submission"}


@pytest.mark.skipif(os.sep != "/", reason="file names with undecodable bytes and backslashes: POSIX only")
def test_a_name_that_spells_an_escape_is_not_shown_as_the_escaped_file(tmp_path, capsys):
    """Found by the session-16 hostile-input test: a file named with the byte 0xFF and one
    named with the text \\xff were shown with one path (bad\\xff.txt), and index add, which
    keeps a document given twice once, stored only one of them. A backslash in a name is
    written \\\\ now."""
    from summary_analysis.cli import main

    folder = tmp_path / "coll"
    folder.mkdir()
    body = "一、总体情况\n" + "我局认真落实政务公开工作，全年主动公开信息1234条。" * 10
    with open(os.fsencode(folder) + b"/bad\xff.txt", "w", encoding="utf-8") as f:
        f.write(body)
    (folder / "bad\\xff.txt").write_text(body.replace("1234", "5678"), encoding="utf-8")
    docs = read_batch([str(folder)]).documents
    assert sorted(d.doc_id for d in docs) == ["bad\\\\xff.txt", "bad\\xff.txt"]
    assert len({d.path for d in docs}) == 2
    assert main(["index", "add", str(folder), "--index", str(tmp_path / "ix.sqlite")]) == 0
    assert "2 added" in capsys.readouterr().out


def test_a_report_inside_an_svg_foreign_object_is_read(tmp_path):
    """Found by the session-16 hostile-input test: a report wrapped in
    <svg><foreignObject> (browsers show it) was read as empty (ING003): svg was dropped whole.
    The foreign object's HTML is read; the drawing's own labels are not."""
    body = "".join(f"<p>{line}</p>" for line in report_text(__import__("random").Random(16)).split("\n") if line)
    (tmp_path / "wrapped.html").write_text(
        f"<html><body><svg><text>图表标签</text><foreignObject>{body}</foreignObject></svg>"
        "<svg><text>另一张图</text></svg><p>结尾段落。</p></body></html>", encoding="utf-8")
    (doc,) = read_batch([str(tmp_path)]).documents
    assert "图表标签" not in doc.text and "另一张图" not in doc.text
    assert doc.text.endswith("结尾段落。") and len(doc.text) > 200
