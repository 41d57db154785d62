"""What a worker process sends the parent for each document (``pipeline._analyze_chunk``):
sections and figures as flat tuples, token lengths instead of token ends. Each packed form
must stand for exactly the objects it was made from, and the output rows built from it must be
the rows built from the objects (the ``--jobs 2`` output is byte-identical to ``--jobs 1``)."""

from __future__ import annotations

import json
import pickle
import random
import subprocess
import sys

import numpy as np

from summary_analysis import pipeline
from summary_analysis.figures import PackedFigures
from summary_analysis.sections import PackedSections, iter_sections, section_dicts


def _depth(forest) -> int:
    return max((1 + _depth(s.children) for s in forest), default=0)


def test_packed_figures_stand_for_the_figures_of_every_corpus_document(corpus_batch):
    total = 0
    for a in corpus_batch.analyses:
        figs = list(a.figures)
        packed = PackedFigures.pack(figs)
        assert len(packed) == len(figs)
        assert packed == figs and figs == packed
        assert list(packed) == figs
        if figs:
            assert packed[-1] == figs[-1] and packed[:2] == figs[:2]
        # json.dumps tells 1 from 1.0, which == would not
        assert json.dumps(packed.dicts(a.document.doc_id), ensure_ascii=False) == json.dumps(
            [{"doc_id": a.document.doc_id, **f.to_dict()} for f in figs], ensure_ascii=False)
        back = pickle.loads(pickle.dumps(packed))
        assert back.data == packed.data and back == figs
        total += len(figs)
    assert total > 700  # 802 figures in the 9 corpus documents


def test_packed_figures_differ_when_one_figure_differs(corpus_batch):
    figs = list(max(corpus_batch.analyses, key=lambda a: len(a.figures)).figures)
    packed = PackedFigures.pack(figs)
    assert packed != figs[:-1]
    assert packed != PackedSections.pack([]) and packed != 5 and packed != tuple(figs)[:-1]
    changed = list(figs)
    changed[3] = pickle.loads(pickle.dumps(figs[4]))
    assert figs[3] != figs[4] and packed != changed


def test_packed_sections_stand_for_the_heading_trees_of_every_corpus_document(corpus_batch):
    deepest = 0
    for a in corpus_batch.analyses:
        forest = list(a.sections)
        packed = PackedSections.pack(forest)
        assert len(packed.data) == sum(1 for _ in iter_sections(forest))
        assert packed == forest and forest == packed
        assert len(packed) == len(forest)
        assert list(iter_sections(list(packed))) == list(iter_sections(forest))
        assert json.dumps(packed.rows(a.document.doc_id), ensure_ascii=False) == json.dumps(
            section_dicts(a.document.doc_id, forest), ensure_ascii=False)
        assert pickle.loads(pickle.dumps(packed)) == forest
        deepest = max(deepest, _depth(forest))
    assert deepest >= 3  # nested headings with points: the tree is rebuilt, not just the roots


def test_token_lengths_give_back_the_ends_for_any_token_length():
    rng = random.Random(7)
    cases = [np.zeros(0, dtype=np.int32)]
    for longest in (1, 255, 256, 65535, 65536, 200_000):
        lengths = [rng.randint(1, 4) for _ in range(50)] + [longest]
        rng.shuffle(lengths)
        cases.append(np.cumsum(lengths, dtype=np.int32))
    for ends in cases:
        packed = pipeline._token_lengths(ends)
        back = pipeline._token_ends(packed)
        assert back.dtype == np.int32 and np.array_equal(back, ends)
    assert pipeline._token_lengths(cases[1]).dtype == np.uint8
    assert pipeline._token_lengths(cases[3]).dtype == np.uint16


def test_worker_processes_do_not_import_pandas():
    """The forkserver preloads ``summary_analysis.pipeline`` before forking every worker; pandas
    (about 0.6 s) is needed only where tables are built, in the parent."""
    code = "import sys, summary_analysis.pipeline; sys.exit(1 if 'pandas' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
