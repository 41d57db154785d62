"""Stage 1: readers, compilation-page splitting, cleaning (on the real corpus files)."""

from __future__ import annotations

import re

from conftest import CORPUS, HUAIAN, SEED, SHANGHAI, SHUYANG, TEMPLATE
from summary_analysis import read_documents
from summary_analysis.ingest import read_batch
from summary_analysis.ingest.encoding import decode_bytes
from summary_analysis.ingest.errors import ReadError


def _nows(s: str) -> int:
    return len(re.sub(r"\s", "", s))


def test_seed_page_splits_into_five_titled_documents(seed_docs):
    assert sorted(seed_docs) == [1, 2, 3, 4, 5]
    for n, d in seed_docs.items():
        assert d.title == f"街道政务公开工作总结2000字(篇{n})"
        assert d.doc_id == f"seed-compilation-page.txt#{n}"


def test_seed_page_boilerplate_removed(seed_docs):
    for d in seed_docs.values():
        assert "泡泡演讲稿" not in d.text
        assert "现在就需要大家自己写范文了" not in d.text
        assert "本文网址" not in d.text
        assert "精品五篇" not in d.text


def test_seed_document_lengths_match_the_page(seed_docs):
    expected = {1: 1170, 2: 2260, 3: 3860, 4: 1350, 5: 1820}
    for n, chars in expected.items():
        assert abs(_nows(seed_docs[n].text) - chars) <= 15, (n, _nows(seed_docs[n].text))


def test_every_real_report_is_one_nonempty_document():
    result = read_batch([str(CORPUS)])
    ids = [d.doc_id for d in result.documents]
    for f in (SHUYANG, SHANGHAI, HUAIAN, TEMPLATE):
        assert ids.count(f.name) == 1
    assert all(len(d.text) > 500 for d in result.documents)
    assert [s.path.endswith("SOURCES.md") for s in result.skipped] == [True]
    assert result.findings == []
    assert result.files_found == 5 and result.files_read == 5


def test_pdf_footers_removed_and_lines_rejoined():
    (doc,) = read_documents(str(HUAIAN))
    assert not re.search(r"^\s*-\s*\d+\s*-\s*$", doc.text, re.M)
    assert "5500 余条" in doc.text
    # a sentence broken by the page width is one line again
    assert "本报告由淮安市人民政府办公室根据《中华人民共和国政府信息公开条例》" in doc.text
    assert doc.encoding == "pdf"


def test_pdf_extract_text_loses_its_footers():
    (doc,) = read_documents(str(SHANGHAI))
    assert "— 1 —" not in doc.text and "— 2 —" not in doc.text
    assert "着力发挥政务公开促落实" in doc.text


def test_docx_table_cells_are_in_the_text():
    (doc,) = read_documents(str(TEMPLATE))
    assert "| 行政规范性文件 |" in doc.text
    assert "（一）予以公开" in doc.text
    assert "维持" in doc.text and "尚未审结" in doc.text
    assert doc.text.index("二、主动公开政府信息情况") < doc.text.index("| 规章 |")


def test_encodings_detected():
    s = "政府信息公开工作年度报告：主动公开政府信息68条。"
    assert decode_bytes(s.encode("gb18030")) == (s, "gb18030")
    assert decode_bytes(s.encode("utf-8")) == (s, "utf-8")
    assert decode_bytes(s.encode("utf-16")) == (s, "utf-16")
    assert decode_bytes(b"\xef\xbb\xbf" + s.encode("utf-8")) == (s, "utf-8-sig")


def test_binary_bytes_refused():
    import pytest

    with pytest.raises(ReadError) as e:
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert e.value.rule == "ING001"


def test_bad_input_folder_every_file_accounted_for(tmp_path):
    s = "政府信息公开工作年度报告。本年度主动公开政府信息68条，依申请公开5件。" * 5
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp_path / "gb.txt").write_bytes(s.encode("gb18030"))
    (tmp_path / "u16.txt").write_bytes(s.encode("utf-16"))
    (tmp_path / "notes.doc").write_bytes(b"whatever")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    result = read_batch([str(tmp_path)])
    by_id = {f.doc_id: f.rule for f in result.findings}
    assert by_id == {"empty.txt": "ING003", "binary.txt": "ING001", "notes.doc": "ING002",
                     "dangling.txt": "ING001"}
    assert sorted(d.doc_id for d in result.documents) == ["gb.txt", "u16.txt"]
    assert {d.encoding for d in result.documents} == {"gb18030", "utf-16"}
    assert result.files_found == 6 == len(result.documents) + len(result.findings)
