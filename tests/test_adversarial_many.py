"""10,000 tiny files: every one accounted for, in sorted order, by the read stage.

Kept to the read stage (about 2 s): the per-document analysis of 10,000 documents belongs to
benchmarks/, not to the unit tests.
"""

from __future__ import annotations

from summary_analysis.ingest import read_batch

from adversarial import make_many_tiny


def test_ten_thousand_tiny_files_all_accounted_for(tmp_path):
    counts = make_many_tiny(tmp_path / "many", n=10_000)
    result = read_batch([str(tmp_path / "many")])
    assert result.files_found == 10_000
    assert result.files_read == counts["doc"] == len(result.documents)
    assert result.files_refused == counts["ING002"] + counts["ING003"] == len(result.findings)
    rules = sorted(f.rule for f in result.findings)
    assert rules.count("ING002") == counts["ING002"] and rules.count("ING003") == counts["ING003"]
    ids = [d.doc_id for d in result.documents] + [f.doc_id for f in result.findings]
    assert len(set(ids)) == 10_000
    expected = sorted(p.relative_to(tmp_path / "many").as_posix() for p in (tmp_path / "many").rglob("*")
                      if p.is_file())
    assert sorted(ids) == expected
    doc_ids = [d.doc_id for d in result.documents]
    assert doc_ids == sorted(doc_ids)  # folders walked in sorted order
