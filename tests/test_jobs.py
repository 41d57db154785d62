"""``--jobs N``: the per-document stages in N processes give byte-identical output."""

from __future__ import annotations

import pickle

import pytest

from conftest import CORPUS

from summary_analysis import segment as seg
from summary_analysis.cli import main


@pytest.fixture(scope="session")
def cli_outputs(tmp_path_factory):
    """JSON and text reports of corpus/ for several --jobs/--segmenter settings."""
    out = tmp_path_factory.mktemp("jobs")
    runs = {"j1": [], "j2": ["--jobs", "2"]}
    if seg.fast_available():
        runs["j2fast"] = ["--jobs", "2", "--segmenter", "fast"]
    results = {}
    for name, extra in runs.items():
        for fmt in ("json", "text"):
            path = out / f"{name}.{fmt}"
            status = main(["check", str(CORPUS), "--format", fmt, "--out", str(path), *extra])
            results[name, fmt] = (status, path.read_bytes())
    return results


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_jobs_2_output_is_byte_identical_to_jobs_1(cli_outputs, fmt):
    status1, out1 = cli_outputs["j1", fmt]
    status2, out2 = cli_outputs["j2", fmt]
    assert len(out1) > 1000
    assert out2 == out1
    assert status2 == status1


@pytest.mark.skipif(not seg.fast_available(), reason="rjieba not installed")
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_fast_segmenter_in_two_processes_gives_the_same_report(cli_outputs, fmt):
    assert cli_outputs["j2fast", fmt] == cli_outputs["j1", fmt]


def test_doc_analysis_pickles(corpus_batch):
    a = corpus_batch.analyses[0]
    back = pickle.loads(pickle.dumps(a))
    assert back.document == a.document
    assert back.tokens == a.tokens
    assert back.findings == a.findings


def test_parallel_analyses_match_serial(corpus_batch):
    from summary_analysis import analyze

    batch2 = analyze([str(CORPUS)], jobs=2)
    assert [a.document.doc_id for a in batch2.analyses] == [a.document.doc_id for a in corpus_batch.analyses]
    for a, b in zip(corpus_batch.analyses, batch2.analyses):
        assert b.tokens == a.tokens
        assert b.findings == a.findings
        assert b.figures == a.figures
        assert b.meta == a.meta
    assert batch2.to_dict() == corpus_batch.to_dict()
