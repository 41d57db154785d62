"""The reference library (DUP003) and the `index` / `compare` sub-commands."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import HUAIAN, SEED, SHANGHAI, SHUYANG
from summary_analysis import analyze
from summary_analysis.cli import main
from summary_analysis.document import Document
from summary_analysis.similarity import detect_copies
from summary_analysis.similarity.index import ReferenceIndex, default_path

SEED_ID = "seed-compilation-page.txt#{}"


@pytest.fixture()
def seed_index(tmp_path):
    path = tmp_path / "ref.sqlite"
    assert main(["index", "add", str(SEED), "--index", str(path)]) == 0
    return path


def test_index_add_is_idempotent_and_lists(seed_index, capsys):
    capsys.readouterr()
    assert main(["index", "add", str(SEED), "--index", str(seed_index)]) == 0
    assert "0 added, 0 replaced, 5 unchanged" in capsys.readouterr().out
    assert main(["index", "list", "--index", str(seed_index), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["ref_id"] for r in rows] == [SEED_ID.format(n) for n in range(1, 6)]
    with ReferenceIndex(seed_index, create=False) as idx:
        assert len(idx) == 5
        counts = idx.add([Document(SEED_ID.format(1), "t", "另一段文字。" * 30, "x")])
        assert counts == {"added": 0, "replaced": 1, "unchanged": 0, "same_text": 0}
        assert idx.db.execute("SELECT COUNT(*) FROM bands WHERE ref_id=?", (SEED_ID.format(1),)).fetchone()[0] == 32


def test_check_4_alone_against_the_index_names_stored_1(seed_docs, seed_index, tmp_path):
    alone = tmp_path / "p4.txt"
    alone.write_text(seed_docs[4].text, encoding="utf-8")
    with ReferenceIndex(seed_index, create=False) as idx:
        batch = analyze([str(alone)], index=idx)
    dup3 = batch.findings[batch.findings.rule == "DUP003"]
    assert SEED_ID.format(1) in set(dup3.related_doc_id)
    row = dup3[dup3.related_doc_id == SEED_ID.format(1)].iloc[0]
    assert row.doc_id == "p4.txt"
    s, e = row.span
    ref_text = seed_docs[1].text
    rs = row.evidence["related_span"]
    assert seed_docs[4].text[s:e] == ref_text[rs[0]:rs[1]]
    assert seed_docs[4].text[s:e].startswith("近年来,××街道")
    # no DUP003 naming the unrelated stored documents
    assert not set(dup3.related_doc_id) & {SEED_ID.format(2), SEED_ID.format(3), SEED_ID.format(5)}


def test_indexed_document_is_not_its_own_copy(seed_docs, seed_index):
    with ReferenceIndex(seed_index, create=False) as idx:
        result = detect_copies([seed_docs[2]], index=idx)
    assert [f for f in result.findings if f.rule == "DUP003"] == []


def test_plain_check_never_consults_an_index(seed_docs, seed_index, tmp_path):
    alone = tmp_path / "p4.txt"
    alone.write_text(seed_docs[4].text, encoding="utf-8")
    batch = analyze([str(alone)])
    assert not batch.findings.rule.str.startswith("DUP").any()


def test_index_remove_and_missing_index(seed_index, tmp_path, capsys):
    # the page's name alone names none of its documents: said, with the form that does
    # (found by the session-13 fresh-user test: no hint), and "1 document", not "1 documents"
    assert main(["index", "remove", "seed-compilation-page.txt", "--index", str(seed_index)]) == 1
    err = capsys.readouterr().err
    assert err.strip().endswith("(a compiled page's documents are stored as 'seed-compilation-page.txt#1'…; "
                                "give one, or 'seed-compilation-page.txt#' for all)")
    assert main(["index", "remove", SEED_ID.format(3), "--index", str(seed_index)]) == 0
    assert main(["index", "remove", "seed-compilation-page.txt#", "--index", str(seed_index)]) == 0
    assert "4 removed; 0 documents" in capsys.readouterr().out
    # an id that names nothing is said, exit 1 (as rm does): it printed "0 removed" and exited 0
    assert main(["index", "remove", "nosuch.txt", "--index", str(seed_index)]) == 1
    assert "no document 'nosuch.txt'" in capsys.readouterr().err
    missing = tmp_path / "none.sqlite"
    with pytest.raises(FileNotFoundError):
        ReferenceIndex(missing, create=False)
    assert not missing.exists()
    assert main(["index", "list", "--index", str(missing)]) == 2
    assert main(["check", str(SHUYANG), "--index", str(missing)]) == 2


def test_not_an_index_and_other_scheme_are_refused(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ValueError):
        ReferenceIndex(bad, create=False)
    other = tmp_path / "other.sqlite"
    ReferenceIndex(other).close()
    with sqlite3.connect(other) as db:
        db.execute("UPDATE meta SET value='another-scheme' WHERE key='scheme'")
    with pytest.raises(ValueError, match="rebuild"):
        ReferenceIndex(other, create=False)
    # an index of the first format discount (its signatures hold the shingles of filled
    # statutory tables, which this version discounts: session 18) is refused so too
    with sqlite3.connect(other) as db:
        db.execute("UPDATE meta SET value='oph-dens-splitmix64-k128-s1-v1/n4' WHERE key='scheme'")
    with pytest.raises(ValueError, match=r"built with scheme oph-dens-splitmix64-k128-s1-v1/n4, this version uses "
                                         r"oph-dens-splitmix64-k128-s1-v1/n4/f2: rebuild"):
        ReferenceIndex(other, create=False)


def test_check_never_writes_into_a_file_that_is_not_an_index(tmp_path, capsys):
    """Fresh-user bug: `check --index` on another program's SQLite database (or an empty file)
    added the index tables to it and went on with an empty library. Now it refuses, exit 2, and
    the file is left as it was; `index add` refuses a foreign database too."""
    foreign = tmp_path / "app.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
        db.execute("INSERT INTO customers VALUES (1, '张三')")
    db.close()
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    for path in (foreign, empty):
        before = path.read_bytes()
        assert main(["check", str(SEED), "--index", str(path), "--format", "json"]) == 2
        assert "is not a reference index" in capsys.readouterr().err
        assert path.read_bytes() == before
    before = foreign.read_bytes()
    assert main(["index", "add", str(SEED), "--index", str(foreign)]) == 2
    assert foreign.read_bytes() == before
    assert main(["index", "add", str(SEED), "--index", str(empty)]) == 0  # an empty file may become one
    assert ReferenceIndex(empty, create=False).list()


def test_same_file_names_of_two_years_are_kept_apart(tmp_path, capsys):
    """Found by the session-11 review: ids are relative to the folder added, so last year's and
    this year's folders (same file names) replaced each other in the library, even within one
    call, said only as "1 replaced". Clashing ids in one call, or a stored document about to be
    replaced by another file's text (fresh-user and hostile-input tests: a note was not enough,
    and was missed from another working directory), store nothing (exit 2) unless --replace;
    --prefix keeps years apart; paths are stored absolute."""
    text = SHUYANG.read_text(encoding="utf-8")
    for year in ("2024", "2025"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "沭阳县.md").write_text(text.replace("2025", year), encoding="utf-8")
    index = tmp_path / "refs.sqlite"
    assert main(["index", "add", str(tmp_path / "2024"), str(tmp_path / "2025"), "--index", str(index)]) == 2
    err = capsys.readouterr().err
    assert "two documents would be stored as '沭阳县.md'" in err and "--prefix" in err
    assert not index.exists()
    for year in ("2024", "2025"):
        assert main(["index", "add", str(tmp_path / year), "--prefix", f"{year}/", "--index", str(index)]) == 0
    with ReferenceIndex(index, create=False) as idx:
        assert [r["ref_id"] for r in idx.list()] == ["2024/沭阳县.md", "2025/沭阳县.md"]
        assert idx.list()[0]["path"] == str(tmp_path / "2024" / "沭阳县.md")
    capsys.readouterr()
    # the same folder without its prefix: the text is stored already (session 17)
    assert main(["index", "add", str(tmp_path / "2024"), "--index", str(index)]) == 0
    assert "0 added, 0 replaced, 0 unchanged, 1 not stored" in capsys.readouterr().out
    # in a library without the prefixed years
    plain = tmp_path / "plain.sqlite"
    assert main(["index", "add", str(tmp_path / "2024"), "--index", str(plain)]) == 0
    assert main(["index", "add", str(tmp_path / "2025"), "--index", str(plain)]) == 2
    out, err = capsys.readouterr()
    assert "'沭阳县.md' is stored from " + str(tmp_path / "2024" / "沭阳县.md") in err
    assert "nothing stored" in err and "--replace" in err
    with ReferenceIndex(plain, create=False) as idx:
        assert "2024年" in idx.text("沭阳县.md")[0][:200]
    assert main(["index", "add", str(tmp_path / "2025"), "--index", str(plain), "--replace"]) == 0
    assert "0 added, 1 replaced, 0 unchanged; 1 document" in capsys.readouterr().out
    # a new text of the same file replaces it without --replace (from another working directory too)
    (tmp_path / "2025" / "沭阳县.md").write_text(text + "\n补充说明。", encoding="utf-8")
    import os
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        assert main(["index", "add", "2025", "--index", str(plain)]) == 0
    finally:
        os.chdir(cwd)
    assert "0 added, 1 replaced" in capsys.readouterr().out
    assert main(["index", "add", str(tmp_path / "2024"), "--prefix", "a\nb/", "--index", str(index)]) == 2
    assert "holds a control character" in capsys.readouterr().err


def test_index_stores_the_title_check_shows(tmp_path, capsys):
    """Found by the session-11 fresh-user test: index list gave the Shanghai extract's title as
    正文 (the reader's first line), where check shows the report's title."""
    index = tmp_path / "refs.sqlite"
    assert main(["index", "add", str(SHANGHAI), "--index", str(index)]) == 0
    with ReferenceIndex(index, create=False) as idx:
        assert [r["title"] for r in idx.list()] == ["2025年上海市人民政府办公厅政府信息公开工作年度报告"]


def test_unusable_index_files_give_one_clear_line(tmp_path, capsys, monkeypatch):
    """Found by the session-11 hostile-input test: a folder or a read-only file given as the
    index printed "fatal error: OperationalError: ...", without the file's name."""
    folder = tmp_path / "idx"
    folder.mkdir()
    assert main(["check", str(SEED), "--index", str(folder)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"summary-analysis: error: {folder}: cannot open as a reference index: unable to open database file")
    assert main(["index", "add", str(SEED), "--index", str(folder)]) == 2
    assert f"{folder}: cannot open as a reference index" in capsys.readouterr().err
    # a write refused by SQLite (a read-only file: the hostile-input test dropped root's
    # capabilities to make one) is one line for remove as for add
    index = tmp_path / "ok.sqlite"
    assert main(["index", "add", str(SEED), "--index", str(index)]) == 0

    def readonly(self, ids):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(ReferenceIndex, "_remove", readonly)
    capsys.readouterr()
    assert main(["index", "remove", SEED_ID.format(1), "--index", str(index)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"summary-analysis: error: {index}: cannot write the reference index: attempt to write a readonly database")
    not_db = tmp_path / "x.sqlite"
    not_db.write_text("x" * 200, encoding="utf-8")
    assert main(["check", str(SEED), "--index", str(not_db)]) == 2
    assert capsys.readouterr().err.startswith(f"summary-analysis: error: {not_db} is not a reference index")


def test_default_index_lives_in_the_user_cache_dir():
    p = default_path()
    assert p.name == "reference-index.sqlite" and "summary-analysis" in str(p)


def test_compare_marks_the_shared_passage(capsys):
    status = main(["compare", f"{SEED}#4", f"{SEED}#1"])
    out = capsys.readouterr().out
    assert status == 1
    assert "verdict: rewrite; 1 shared passage\n" in out  # singular (session 12); 篇4 is 篇1 spun (session 17)
    assert "导语:【1 近年来,××街道" in out
    assert out.count("【1 ") == 2
    assert main(["compare", f"{SEED}#2", f"{SEED}#5", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "distinct" and data["passages"] == []
    assert main(["compare", str(SEED), str(SHUYANG)]) == 2


def test_a_damaged_index_never_costs_the_batch_its_own_copy_findings(seed_docs, seed_index, caplog):
    """Found by the session-10 hostile-input test: an index whose document rows were deleted
    (its band and fingerprint rows kept) raised KeyError in the copy stage, so every document
    got ING006 and the batch's own DUP001/REW001 were lost. An orphaned reference is skipped
    with a warning; an index that fails outright gives one ING006 per document naming the
    reference index, and the batch's own copy findings stand."""
    with sqlite3.connect(seed_index) as db:
        db.execute("DELETE FROM docs WHERE ref_id=?", (SEED_ID.format(1),))
    docs = [seed_docs[1], seed_docs[4]]
    plain = analyze(docs)
    own = sorted(plain.findings[plain.findings.rule.isin(["DUP001", "DUP002", "REW001"])].rule)
    assert "REW001" in own
    with ReferenceIndex(seed_index, create=False) as idx, caplog.at_level("WARNING"):
        batch = analyze(docs, index=idx)
    assert sorted(batch.findings[batch.findings.rule.isin(["DUP001", "DUP002", "REW001"])].rule) == own
    assert not (batch.findings.rule == "ING006").any()
    assert "has sketch rows but no document row" in caplog.text
    # a table dropped once the index is open (one dropped before is refused on opening:
    # test_an_index_missing_a_table_is_refused_not_repaired)
    with ReferenceIndex(seed_index, create=False) as idx:
        with sqlite3.connect(seed_index) as db:
            db.execute("DROP TABLE docs")
        db.close()
        broken = analyze(docs, index=idx)
    ing = broken.findings[broken.findings.rule == "ING006"]
    assert sorted(ing.doc_id) == sorted(d.doc_id for d in docs)
    assert all(e["stage"] == "reference index" for e in ing.evidence)
    assert sorted(broken.findings[broken.findings.rule.isin(["DUP001", "DUP002", "REW001"])].rule) == own


def test_compare_names_a_synonym_rewrite(capsys):
    """Found by the session-10 fresh-user test: compare on the 伪原创 pair said only "verdict:
    shared-passages; 1 shared passage" while check reported REW001. It runs the same check."""
    page = str(SEED)
    assert main(["compare", f"{page}#1", f"{page}#4"]) == 1
    out = capsys.readouterr().out
    assert ("REW001: seed-compilation-page.txt#4 is a synonym rewrite of seed-compilation-page.txt#1: "
            "156 substituted phrases (109 distinct) in 23 aligned sentences, holding ") in out
    assert main(["compare", f"{page}#1", f"{page}#4", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    # the word swaps, named as such: their counts add up past the substitutions (found by the
    # session-14 fresh-user test: "86 substitutions … e.g. 信息→讯号 ×59, …" read as a sum); the
    # line says the phrases hold the swaps and gives their total (the session-15 test still read
    # "139 substitutions" beside swaps adding up to 170 as a contradiction)
    words = data["rewrite"]["word_pairs"]
    total = sum(w["count"] for w in words)
    assert total > 156
    assert f"aligned sentences, holding {total} word swaps of {len(words)} kinds: 公开→果然 ×22, 建设→构筑 ×6, " in out
    assert out.split("\n")[3].endswith(", …")  # more kinds than the 8 shown
    assert data["rewrite"]["doc_id"] == "seed-compilation-page.txt#4"
    assert {"original": "热线电话", "replacement": "热线德律风"} in [
        {k: s[k] for k in ("original", "replacement")} for s in data["rewrite"]["substitutions"]]
    main(["compare", f"{page}#1", f"{page}#2", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["rewrite"] is None


def test_compare_lists_differences_on_one_line(tmp_path, capsys):
    """Found by the session-15 fresh-user test: a difference spanning a line break (the spun
    title and the renamed county after it) printed the break, splitting the passage's line of
    differences; breaks are shown as ⏎."""
    text = SHUYANG.read_text(encoding="utf-8")
    spun = text.replace("沐阳", "灌南")
    for old, new in (("公开", "果然"), ("信息", "讯息"), ("工作", "活计")):
        spun = spun.replace(old, new)
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(text, encoding="utf-8")
    b.write_text(spun, encoding="utf-8")
    main(["compare", str(b), str(a)])
    out = capsys.readouterr().out
    listing = [line for line in out.split("\n") if line.startswith("[")]
    assert any("⏎" in line for line in listing), listing
    assert all(line.startswith("[") for line in out.split("\n\n")[1].split("\n"))  # one line each


def test_an_index_path_under_a_file_names_the_file(tmp_path, capsys):
    """`index add --index FILE/x.db` (a file where the index's folder should be) printed only
    "error: FILE: File exists"; now one line names the index and the file in the way, at any
    depth, and nothing is created."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    for index in (blocker / "refs.sqlite", blocker / "deeper" / "refs.sqlite"):
        assert main(["index", "add", str(SEED), "--index", str(index)]) == 2
        assert capsys.readouterr().err.strip() == (
            f"summary-analysis: error: {index}: cannot create the reference index: {blocker} is a file, "
            f"not a folder")
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("table", ["docs", "bands", "fps"])
def test_an_index_missing_a_table_is_refused_not_repaired(seed_index, tmp_path, capsys, table):
    """An index another program changed (a table dropped) gave one ING006 per document on
    check, and `index add` recreated the table empty beside the orphaned rows. Both now stop
    with one line naming the damage."""
    import shutil

    from summary_analysis.similarity.index import IndexFileError

    damaged = tmp_path / f"no-{table}.sqlite"
    shutil.copy(seed_index, damaged)
    with sqlite3.connect(damaged) as db:
        db.execute(f"DROP TABLE {table}")
    db.close()
    for create in (False, True):
        with pytest.raises(IndexFileError, match=rf"is a damaged reference index \(table\(s\) {table} missing\)"):
            ReferenceIndex(damaged, create=create)
    capsys.readouterr()
    assert main(["check", str(SHUYANG), "--index", str(damaged)]) == 2
    assert main(["index", "add", str(SHUYANG), "--index", str(damaged)]) == 2
    assert capsys.readouterr().err.count("damaged reference index") == 2


def test_a_document_stored_under_a_prefix_is_not_a_copy_of_itself(tmp_path, capsys, monkeypatch):
    """Found by the session-13 second fresh-user test: after `index add t1 --prefix 2025/`,
    `check t1 --index …` reported each report as DUP003 'copied from reference document
    2025/<itself>'. The same file with the same text is skipped; a copy of it elsewhere is not."""
    import shutil

    folder = tmp_path / "t1"
    folder.mkdir()
    shutil.copy(SHUYANG, folder / "a.md")
    index = tmp_path / "ix.sqlite"
    monkeypatch.chdir(tmp_path)
    assert main(["index", "add", "t1", "--prefix", "2025/", "--index", str(index)]) == 0
    capsys.readouterr()
    assert main(["check", "t1", "--index", str(index), "--select", "DUP", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    other = tmp_path / "t2"
    other.mkdir()
    shutil.copy(SHUYANG, other / "a.md")
    assert main(["check", "t2", "--index", str(index), "--select", "DUP", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["related_doc_id"]) for f in found] == [("DUP003", "2025/a.md")]


def test_next_years_report_against_the_library_is_the_previous_year_copy_whatever_its_title_shape(tmp_path):
    """Found by the session-16 fresh-user test: the 上海 report (title 2025年上海市人民政府办公厅…,
    year first) stored in the library, next year's copy checked against it: DUP003 without
    "the same issuer's report of the previous year" (the stored document's issuer was read
    from its title alone, which finds none before a leading year), where the same two in one
    batch (DUP001) said it. The reference side's issuer and year are now read as the batch's."""
    text = SHANGHAI.read_text(encoding="utf-8")
    lib, batch = tmp_path / "2025", tmp_path / "2026"
    lib.mkdir()
    batch.mkdir()
    (lib / SHANGHAI.name).write_text(text, encoding="utf-8")
    (batch / "shanghai-2026.txt").write_text(text.replace("2025", "2026"), encoding="utf-8")
    path = tmp_path / "ref.sqlite"
    assert main(["index", "add", str(lib), "--index", str(path)]) == 0
    with ReferenceIndex(path, create=False) as idx:
        found = analyze([str(batch)], index=idx)
        dup = found.findings[found.findings.rule == "DUP003"]
    assert list(dup.related_doc_id) == [SHANGHAI.name]
    assert dup.iloc[0].evidence["previous_year"] is True
    assert "the same issuer's report of the previous year" in dup.iloc[0].message
    # the library by its path (found by the same test: a TypeError sent the user to help());
    # a path with no library is an error, not an empty library made on the spot
    by_path = analyze([str(batch)], index=str(path))
    assert list(by_path.findings[by_path.findings.rule == "DUP003"].message) == list(dup.message)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        analyze([str(batch)], index=tmp_path / "typo.sqlite")
    assert not (tmp_path / "typo.sqlite").exists()
    in_batch = analyze([str(lib / SHANGHAI.name), str(batch / "shanghai-2026.txt")])
    assert in_batch.findings[in_batch.findings.rule == "DUP001"].iloc[0].evidence["previous_year"] is True


def test_index_list_cuts_a_long_title_the_json_keeps_it(tmp_path, capsys):
    """Found by the session-16 fresh-user test: a file with no title line listed 200
    characters of its text as the title on one line of `index list`."""
    from summary_analysis.report.text import display_width

    body = SHANGHAI.read_text(encoding="utf-8").replace("\n", "")[:1500]
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "one-line.txt").write_text(body, encoding="utf-8")
    path = tmp_path / "ref.sqlite"
    assert main(["index", "add", str(tmp_path / "lib"), "--index", str(path)]) == 0
    capsys.readouterr()
    assert main(["index", "list", "--index", str(path)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    title = line.split("\t")[2]
    assert title.endswith("…") and display_width(title) <= 80
    assert main(["index", "list", "--index", str(path), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["title"].startswith(title[:-1]) and display_width(row["title"]) > 80


def test_a_verbatim_copy_with_the_stored_files_name_is_a_copy(tmp_path, capsys):
    """Found by the session-16 hostile-input test: a file with the same name (so the same id)
    and the same text as a stored document, in another folder, was taken for that document
    itself: no DUP003. It is the same document only when it is the same file."""
    import shutil

    (tmp_path / "2025").mkdir()
    (tmp_path / "2026").mkdir()
    shutil.copy(SHUYANG, tmp_path / "2025" / SHUYANG.name)
    shutil.copy(SHUYANG, tmp_path / "2026" / SHUYANG.name)
    index = tmp_path / "ix.sqlite"
    assert main(["index", "add", str(tmp_path / "2025"), "--index", str(index)]) == 0
    capsys.readouterr()
    assert main(["check", str(tmp_path / "2026"), "--index", str(index), "--select", "DUP", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["doc_id"], f["related_doc_id"]) for f in found] == [("DUP003", SHUYANG.name, SHUYANG.name)]
    assert main(["check", str(tmp_path / "2025"), "--index", str(index), "--select", "DUP", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_an_index_damaged_in_the_middle_is_named_in_the_error(seed_docs, seed_index):
    """Found by the session-16 hostile-input test: an index file damaged past its first pages
    opened, then failed with "fatal error: DatabaseError: database disk image is malformed",
    naming no file. The error names the file and says to build it again; the batch's own
    findings stand (one ING006 per document, as for any failing index)."""
    import os

    size = os.path.getsize(seed_index)
    with open(seed_index, "r+b") as f:
        f.seek(size // 2)
        f.write(b"\xde\xad" * ((size - size // 2) // 2))
    with ReferenceIndex(seed_index, create=False) as idx:
        batch = analyze([seed_docs[1], seed_docs[4]], index=idx)
    ing = batch.findings[batch.findings.rule == "ING006"]
    assert len(ing) == 2 and all(f"{seed_index}: damaged reference index" in m for m in ing.message)
    assert (batch.findings.rule == "REW001").any()


def test_many_batch_copies_of_one_reference_are_each_found(tmp_path):
    """Found by the session-17 fresh-user test: twelve township reports made from last year's
    county report (town name and figures changed) were each a DUP003 alone, nine of ten at
    Jaccard 0.41 when ten were in the batch, and none when twelve were: their shared text was
    batch-frequent and discounted against the library too. Each is now found, near-identical
    on the sets with only the statutory format discounted, with or without the other copies; so
    is a copy holding the report whole plus paragraphs of its own; unrelated reports are not."""
    import random
    import re

    from summary_analysis import read_documents

    sy, hu, sh = (read_documents(str(p))[0] for p in (SHUYANG, HUAIAN, SHANGHAI))
    rng = random.Random(17)
    towns = ["马厂", "钱集", "高墟", "胡集", "龙庙", "韩山", "沂涛", "华冲", "悦来", "新河", "庙头", "青伊湖"]
    docs = []
    for k, town in enumerate(towns):
        text = sy.text.replace("沭阳县", f"{town}镇")
        text = re.sub(r"\d+(?=[条件次个])", lambda m: str(int(m.group()) + rng.randint(1, 30)), text)
        if k == 0:  # the report whole, with three paragraphs of the town's own
            own = "".join(f"{town}镇第{n}项重点工作扎实推进，群众满意度持续提升，形成了可复制可推广的经验做法。" * 6
                          for n in range(3))
            text += "\n" + own + "\n"
        docs.append(Document(f"towns/{k:02d}.md", text.split("\n", 1)[0], text, f"towns/{k:02d}.md"))
    others = [hu, sh]
    with ReferenceIndex(tmp_path / "refs.sqlite") as idx:
        idx.add([Document("2024/shuyang.md", sy.title, sy.text, "2024/shuyang.md")])
        for batch_docs in (docs[:1], docs[:2], docs[:10], docs + others):
            found = [f for f in detect_copies(batch_docs, index=idx).findings if f.rule == "DUP003"]
            assert sorted(f.doc_id for f in found) == sorted(d.doc_id for d in batch_docs if d.doc_id.startswith("towns/"))
            assert {f.related_doc_id for f in found} == {"2024/shuyang.md"}
            # near-identical (each copy nearly all inside the reference, the contained copy's
            # reference nearly all inside it), not a passage or two
            for f in found:
                assert f.evidence["jaccard"] >= 0.5 and f.evidence["containment"] >= 0.9, f.evidence


def test_a_folder_added_again_under_another_prefix_is_not_stored_twice(seed_docs, tmp_path, capsys):
    """Found by the session-17 fresh-user test: `index add lib` after `index add lib --prefix
    2024/` stored both texts twice (4 documents), and every copy of them was then reported twice
    (two identical DUP003s). A text stored under another id is now not stored again, and said
    so; a new file of the same text in the same call is kept once too."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.txt").write_text(seed_docs[1].text, encoding="utf-8")
    (lib / "b.txt").write_text(seed_docs[3].text, encoding="utf-8")
    (lib / "b-copy.txt").write_text(seed_docs[3].text, encoding="utf-8")
    path = tmp_path / "refs.sqlite"
    assert main(["index", "add", str(lib), "--index", str(path), "--prefix", "2024/"]) == 0
    out = capsys.readouterr()
    assert "2 added, 0 replaced, 0 unchanged, 1 not stored (same text as a stored document)" in out.out
    assert "'2024/b.txt' not stored: the same text is stored as '2024/b-copy.txt'" in out.err
    assert main(["index", "add", str(lib), "--index", str(path)]) == 0
    out = capsys.readouterr()
    assert "0 added, 0 replaced, 0 unchanged, 3 not stored" in out.out and "2 documents in" in out.out
    assert "'a.txt' not stored: the same text is stored as '2024/a.txt'" in out.err
    probe = tmp_path / "probe.txt"
    probe.write_text(seed_docs[4].text, encoding="utf-8")
    batch = analyze([str(probe)], index=str(path))
    assert (batch.findings.rule == "DUP003").sum() == 1


def test_dup003_of_two_passages_names_and_spans_the_longest(tmp_path):
    """Found by the session-17 fresh-user test: a DUP003 of two copied passages read "passage
    of 227 characters copied … (2 passages, 208 characters)": its span ran from the first
    passage to the end of the second, the text between them included. As DUP002 does, the span
    and the first number are now the longest passage's."""
    import re

    from summary_analysis import read_documents

    hu = read_documents(str(HUAIAN))[0]
    paras = sorted((p for p in hu.text.split("\n") if 120 <= len(p) <= 400), key=len)
    short, long_ = paras[0], paras[-1]
    own = "本街道坚持把政务公开作为转变作风的重要抓手，结合辖区实际逐项抓好落实，群众知晓率进一步提高。"
    text = "柳林街道2025年工作总结\n" + own * 3 + "\n" + short + "\n" + own * 4 + "\n" + long_ + "\n" + own * 2 + "\n"
    doc = Document("liulin.txt", "柳林街道2025年工作总结", text, "liulin.txt")
    with ReferenceIndex(tmp_path / "refs.sqlite") as idx:
        idx.add([Document("2024/huaian.pdf", hu.title, hu.text, "2024/huaian.pdf")])
        found = [f for f in detect_copies([doc], index=idx).findings if f.rule == "DUP003"]
    assert len(found) == 1
    f = found[0]
    passages = f.evidence["passages"]
    assert len(passages) == 2
    first, total = (int(x) for x in re.search(r"passage of (\d+) characters .*\(2 passages, (\d+) characters\)",
                                              f.message).groups())
    longest = max(passages, key=lambda p: p["chars"])
    assert first == longest["chars"] < total == sum(p["chars"] for p in passages)
    assert [f.span.start, f.span.end] == longest["span"]
    assert long_[10:60] in text[f.span.start:f.span.end] and own not in text[f.span.start:f.span.end]
    assert f.evidence["related_span"] == longest["related_span"]


def test_compare_with_a_library_id_names_the_references_it_can_show(seed_docs, seed_index, tmp_path):
    """Found by the session-17 fresh-user test: ``batch.compare(doc, library_id)`` for a library
    document with no DUP003 on ``doc`` raised a KeyError suggesting batch documents unrelated to
    it. The error now names the reference documents the view can show (those of the document's
    DUP003s); one of them is shown."""
    alone = tmp_path / "p4.txt"
    alone.write_text(seed_docs[4].text, encoding="utf-8")
    batch = analyze([str(alone)], index=str(seed_index))
    view = batch.compare("p4.txt", SEED_ID.format(1))
    assert view.findings and {f.rule for f in view.findings} >= {"DUP003"}
    with pytest.raises(KeyError, match=r"reference documents are shown through a DUP003 of 'p4.txt': "
                                       r"'seed-compilation-page.txt#1'"):
        batch.compare("p4.txt", "2024/shuyang-county-2024.md")
