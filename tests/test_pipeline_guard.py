"""A stage that raises on one document becomes an ING006 finding; the batch goes on."""

from __future__ import annotations

import re

import pytest
from conftest import SEED
from summary_analysis import analyze, read_documents
from summary_analysis import figures as figures_stage


def test_failing_stage_is_an_ing006_finding_and_the_batch_goes_on(monkeypatch):
    docs = read_documents(str(SEED))[:2]
    real = figures_stage.extract_figures

    def explode(document, forest):
        if document.doc_id.endswith("#1"):
            raise RuntimeError("boom")
        return real(document, forest)

    monkeypatch.setattr(figures_stage, "extract_figures", explode)
    batch = analyze(docs)
    ing = batch.findings[batch.findings.rule == "ING006"]
    assert list(ing.doc_id) == ["seed-compilation-page.txt#1"]
    assert "figures: RuntimeError: boom" in ing.iloc[0].message
    assert len(batch.documents) == 2
    # the other stages still ran on the failing document, and the other document is whole
    assert (batch.findings[batch.findings.doc_id.str.endswith("#1")].rule == "PLH001").any()
    assert (batch.figures.doc_id == "seed-compilation-page.txt#2").sum() > 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_failing_copy_detection_is_an_ing006_finding_per_document(monkeypatch, jobs):
    """Bug (known since session 3): an exception in the batch-wide copy detection ended the
    whole batch with a traceback; now each document gets ING006 and keeps its own findings."""
    from summary_analysis import similarity as similarity_stage

    docs = read_documents(str(SEED))
    baseline = analyze(docs)

    def explode(*args, **kwargs):
        raise RuntimeError("copies boom")

    monkeypatch.setattr(similarity_stage, "detect_copies", explode)
    batch = analyze(docs, jobs=jobs)  # jobs=2: copy detection runs in a parent thread
    ing = batch.findings[batch.findings.rule == "ING006"]
    assert sorted(ing.doc_id) == sorted(d.doc_id for d in docs)
    assert all("copy detection: RuntimeError: copies boom" in m for m in ing.message)
    assert set(ing.evidence.map(lambda e: e["stage"])) == {"copy detection"}
    # nothing cross-document is left, everything per-document is as before
    assert not batch.findings.rule.str.startswith(("DUP", "REW001")).any()
    assert len(batch.pairs) == 0
    per_doc = baseline.findings[~baseline.findings.rule.str.startswith(("DUP", "REW001"))]
    kept = batch.findings[batch.findings.rule != "ING006"]
    assert list(kept.rule) == list(per_doc.rule) and list(kept.doc_id) == list(per_doc.doc_id)


def test_failing_paired_rewriting_marks_the_candidate_documents(monkeypatch):
    from summary_analysis import rewrite as rewrite_stage

    docs = read_documents(str(SEED))
    baseline = analyze(docs)
    rew = baseline.findings[baseline.findings.rule == "REW001"]
    assert len(rew) >= 1  # 篇4 is a synonym-garbled rewrite of 篇1

    def explode(*args, **kwargs):
        raise RuntimeError("rewrite boom")

    monkeypatch.setattr(rewrite_stage, "detect_paired_rewrites", explode)
    batch = analyze(docs)
    ing = batch.findings[batch.findings.rule == "ING006"]
    involved = set(rew.doc_id) | set(rew.related_doc_id)
    assert involved <= set(ing.doc_id)
    assert all("paired rewriting: RuntimeError: rewrite boom" in m for m in ing.message)
    # the copy findings stay
    dup = baseline.findings[baseline.findings.rule.str.startswith("DUP")]
    assert (batch.findings.rule.str.startswith("DUP")).sum() == len(dup)


def test_analyze_names_a_wrong_argument_before_running(tmp_path):
    """Found by the session-13 hostile-input test: jobs='2' failed as "'<=' not supported",
    jobs=2.5 inside multiprocessing, max_file_mb='20' built a 2 MB string, b'dir' was read as
    integers, index=5 became an ING006 row, and batch.compare('nope', …) a bare KeyError."""
    import pytest

    from summary_analysis import analyze

    (tmp_path / "a.txt").write_text("某县2025年工作总结\n一、主要工作\n全年完成投资2亿元。\n", encoding="utf-8")
    for kwargs, error, words in (({"jobs": "2"}, TypeError, "jobs must be an int"),
                                 ({"jobs": 2.5}, TypeError, "jobs must be an int"),
                                 ({"max_file_mb": "20"}, TypeError, "max_file_mb must be a number"),
                                 ({"max_file_mb": -1}, ValueError, "positive number of megabytes, not -1"),
                                 ({"max_file_mb": float("nan")}, ValueError, "positive number"),
                                 ({"index": 5}, TypeError, "index must be a ReferenceIndex")):
        with pytest.raises(error, match=words):
            analyze([str(tmp_path)], **kwargs)
    with pytest.raises(TypeError, match="not bytes"):
        analyze(str(tmp_path).encode())
    batch = analyze([str(tmp_path)], jobs=1, max_file_mb=1)
    with pytest.raises(KeyError, match=r"no document 'a.tx' in this batch \(1 document; did you mean 'a.txt'\)"):
        batch.compare("a.tx", "a.txt")


def test_analyze_refuses_none_and_documents_given_twice(tmp_path):
    """Found by the session-13 second hostile-input test: analyze(None) failed as "'NoneType'
    object is not iterable", and the same documents given twice made one document a DUP001
    copy of itself."""
    import pytest

    from summary_analysis import analyze, read_documents

    (tmp_path / "a.txt").write_text("某县2025年工作总结\n一、主要工作\n全年完成投资2亿元。\n", encoding="utf-8")
    for bad in (None, 5):
        with pytest.raises(TypeError, match="inputs: give a path"):
            analyze(bad)
    docs = read_documents(str(tmp_path))
    with pytest.raises(ValueError, match=r"documents given twice \(doc_id 'a.txt'\): give each once"):
        analyze(docs * 2)


@pytest.mark.parametrize("jobs", [1, 2])
def test_analyze_checks_the_documents_it_is_given(tmp_path, jobs):
    """Found by the session-14 hostile-input test: a Document holding a lone surrogate failed
    the whole batch's copy detection with jieba (ING006 on every document) and raised
    UnicodeEncodeError with the fast segmenter; text=None or bytes gave bare TypeErrors, paths
    mixed with Documents "expected str, bytes or os.PathLike object, not Document", and an
    empty Document got SEC001 findings where an empty file gets ING003."""
    import pytest

    from summary_analysis import analyze, read_documents
    from summary_analysis.document import Document

    (tmp_path / "a.txt").write_text("某县2025年工作总结\n一、主要工作\n全年完成投资2亿元。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("某区2025年工作总结\n一、主要工作\n全年完成投资3亿元。\n", encoding="utf-8")
    good = read_documents(str(tmp_path))
    with pytest.raises(ValueError, match=r"lone surrogates, not Unicode text \(doc_id 'bad'\)"):
        analyze(good + [Document("bad", "t", "\ud800" + good[0].text, "bad")], jobs=jobs)
    for text in (None, b"bytes"):
        with pytest.raises(TypeError, match=r"Document text must be a str \(doc_id 'x'\)"):
            analyze(good + [Document("x", "t", text, "x")], jobs=jobs)
    with pytest.raises(TypeError, match="either paths or Documents, not a mix"):
        analyze([str(tmp_path / "a.txt"), good[1]], jobs=jobs)
    batch = analyze(good + [Document("empty", "", " \n", "empty.txt")], jobs=jobs)
    rows = batch.findings[batch.findings.doc_id == "empty"]
    assert rows.rule.tolist() == ["ING003"] and rows.message.tolist() == ["empty document (no text)"]
    # a Document longer than a file's text may be is refused as the file would be (session 17:
    # given as a Document it skipped the limit)
    from summary_analysis.ingest import DEFAULT_MAX_CHARS

    long = good[0].text * (DEFAULT_MAX_CHARS // len(good[0].text) + 1)
    batch = analyze(good + [Document("long", "", long, "long.txt")], jobs=jobs)
    rows = batch.findings[batch.findings.doc_id == "long"]
    assert rows.rule.tolist() == ["ING004"]
    assert rows.message.tolist() == [f"document text of {len(long):,} characters is over the 500,000-character "
                                     "limit: not analysed"]
    assert batch.counts()["files_refused"] == 1 and "long" not in set(batch.documents.doc_id)
    assert sorted(batch.documents.doc_id) == sorted(d.doc_id for d in good)


def test_analyze_options_none_empty_index_and_documents_without_an_id():
    """Session-18 hostile test: checklist=None was "unknown checklist 'None'", index="" opened
    the default library in the user cache, and a Document with doc_id None or "" was analysed
    (every row keyed by it)."""
    from summary_analysis.document import Document

    docs = read_documents(str(SEED))[:2]
    assert analyze(docs, checklist=None).to_dict() == analyze(docs).to_dict()
    with pytest.raises(ValueError, match=r"^index: an empty path names no reference index"):
        analyze(docs, index="")
    for doc_id in (None, "", " "):
        with pytest.raises(ValueError, match=rf"^inputs\[2\]: a Document needs a doc_id, a non-empty str "
                                             rf"\(got {re.escape(repr(doc_id))}\)$"):
            analyze(docs + [Document(doc_id, "t", docs[0].text, "p")])


def test_read_documents_names_a_wrong_argument():
    """Session-17 hostile-input test: read_documents(None) raised "'NoneType' object is not
    iterable" from the folder walk; it checks its argument as analyze does."""
    cases = [(None, TypeError, r"^give a path \(str or os.PathLike\) or a list of paths, not NoneType$"),
             (b"x", TypeError, "not bytes$"), (7, TypeError, "not int$"),
             ([str(SEED), None], TypeError, r"^inputs\[1\]: give a path \(str or os.PathLike\), not NoneType$"),
             ([str(SEED) + "\x00"], ValueError, r"^inputs\[0\]: a path cannot hold a NUL character")]
    for paths, error, message in cases:
        with pytest.raises(error, match=message):
            read_documents(paths)
    assert len(read_documents(SEED)) == len(read_documents([str(SEED)])) == 5


def test_analyze_names_a_wrong_element_of_its_list_of_paths():
    """Found by the session-15 hostile-input test: the top-level argument was checked but not
    its elements: ``[path, None]`` and ``[[path]]`` raised TypeError from deep in the folder
    walk, a path with a NUL pathlib's "embedded null byte"; a generator mixing Documents and
    paths was not caught as a list is."""
    doc = read_documents(str(SEED))[0]
    cases = [([str(SEED), None], TypeError, r"inputs\[1\]: give a path \(str or os.PathLike\), not NoneType"),
             ([[str(SEED)]], TypeError, r"inputs\[0\]: give a path .*not list"),
             (str(SEED) + "\x00x", ValueError, r"inputs\[0\]: a path cannot hold a NUL character: .*\\x00x"),
             ((x for x in [str(SEED), 3]), TypeError, r"inputs\[1\]: .*not int"),
             ((x for x in [str(SEED), doc]), TypeError, "not a mix of both")]
    for inputs, error, message in cases:
        with pytest.raises(error, match=message):
            analyze(inputs)
    assert analyze((x for x in [str(SEED)])).counts()["documents"] == 5  # a generator of paths is fine
