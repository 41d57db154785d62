"""What a worker process sends the parent for each document (``pipeline._analyze_chunk``):
sections and figures as flat tuples, the token ends of a chunk as one array. Each packed form
must stand for exactly the objects it was made from, and the output rows built from it must be
the rows built from the objects (the ``--jobs 2`` output is byte-identical to ``--jobs 1``)."""

from __future__ import annotations

import json
import pickle
import random
import subprocess
import sys

import numpy as np
import pytest
from conftest import needs_rjieba

from summary_analysis import pipeline
from summary_analysis.document import Document
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
        assert len(packed) == len(forest) and packed._objects is None  # counted, not built
        assert packed == forest and forest == packed
        assert len(packed) == len(forest)
        assert list(iter_sections(list(packed))) == list(iter_sections(forest))
        assert json.dumps(packed.rows(a.document.doc_id), ensure_ascii=False) == json.dumps(
            section_dicts(a.document.doc_id, forest), ensure_ascii=False)
        assert pickle.loads(pickle.dumps(packed)) == forest
        deepest = max(deepest, _depth(forest))
    assert deepest >= 3  # nested headings with points: the tree is rebuilt, not just the roots


def _chunk_documents() -> list[Document]:
    """Documents whose token counts and lengths stress the split of a chunk's one ends array:
    an empty text (no tokens), a blank one, one with offsets past 65,535 characters, report-like
    texts, in seeded random order."""
    rng = random.Random(7)
    texts = ["", "   \n\n", "x" * 70_000 + "。本报告依据条例编制。", "一、总体情况\n全年主动公开政府信息1234条。"]
    texts += ["".join(rng.choice(["我局", "进一步", "政务公开", "完善", "机制", "2023年", "56篇", "。\n"])
                      for _ in range(rng.randint(1, 400))) for _ in range(8)]
    rng.shuffle(texts)
    return [Document(doc_id=f"chunk/{i}", title=f"t{i}", text=t, path=f"chunk/{i}") for i, t in enumerate(texts)]


def test_a_chunk_sent_back_gives_each_document_its_own_analysis(monkeypatch):
    """_analyze_chunk (worker) then _chunk_analyses (parent) equals analyze_document on each
    document: the one ends array of the chunk is split at the right places."""
    monkeypatch.setattr(pipeline.gc, "freeze", lambda: None)  # not in the test process
    docs = _chunk_documents()
    payload = pickle.loads(pickle.dumps(pipeline._analyze_chunk(docs, "auto", "jieba")))
    ends, results = payload
    assert ends.dtype == np.int32 and len(ends) == sum(r[0] for r in results)
    back = list(pipeline._chunk_analyses(docs, payload))
    assert [b.document for b in back] == docs
    for d, b in zip(docs, back):
        a = pipeline.analyze_document(d, segmenter="jieba")
        assert b.tokens == a.tokens and b.tokens.words == a.tokens.words
        assert b.sections == a.sections and b.figures == a.figures and b.meta == a.meta
        assert b.checklist == a.checklist and b.findings == a.findings
    assert [len(b.tokens) for b in back if not b.document.text] == [0]
    # offsets past 65,535 (one token that long before segment.MAX_RUN cut long runs in pieces)
    assert max(int(b.tokens.ends[-1]) for b in back if len(b.tokens)) >= 65_536


def test_a_worker_freezes_after_each_document_without_counting_frozen_objects(monkeypatch):
    """A worker freezes the collector after every document (gc.freeze is O(1)); it must never
    call gc.get_freeze_count, which walks every frozen object (called after each chunk, it cost
    a worker 0.2-1 s at 10k reports)."""
    calls = []
    monkeypatch.setattr(pipeline.gc, "freeze", lambda: calls.append(1))

    def walk():
        raise AssertionError("gc.get_freeze_count called in a worker")

    monkeypatch.setattr(pipeline.gc, "get_freeze_count", walk)
    docs = _chunk_documents()[:3]
    for _ in range(2):
        pipeline._analyze_chunk(docs, "auto", "jieba")
    assert len(calls) == 6


@pytest.mark.parametrize("backend", ["jieba", pytest.param("fast", marks=needs_rjieba)])
def test_the_per_document_stages_leave_no_cyclic_garbage(corpus_batch, seed_docs, backend):
    """Both engines freeze the collector after every document (objects alive then are kept),
    which is right only if the stages make no garbage that only the cyclic collector can free.
    The heading builder's parent/child links were such garbage (17 objects per report)."""
    import gc

    docs = [a.document for a in corpus_batch.analyses] + list(seed_docs.values()) + _chunk_documents()
    pipeline.analyze_document(docs[0], segmenter=backend)  # resources loaded lazily: not garbage
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        for d in docs:
            a = pipeline.analyze_document(d, segmenter=backend)
            a.tokens.release()
        del a
        gc.set_debug(gc.DEBUG_SAVEALL)
        found = gc.collect()
        kinds = sorted({type(o).__name__ for o in gc.garbage})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()
    assert found == 0, kinds


def test_worker_processes_do_not_import_pandas():
    """The forkserver preloads ``summary_analysis.pipeline`` before forking every worker; pandas
    (about 0.6 s) is needed only where tables are built, in the parent."""
    code = "import sys, summary_analysis.pipeline; sys.exit(1 if 'pandas' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def _distinct_instance(cls, rng: random.Random):
    """An instance of dataclass ``cls`` with a distinct, non-default value in every field."""
    from dataclasses import fields

    from summary_analysis.document import Span

    values = {}
    for i, f in enumerate(fields(cls)):
        if f.name == "span":
            values[f.name] = Span(rng.randint(0, 50), rng.randint(60, 99))
        elif f.name == "evidence":
            values[f.name] = {"k": rng.random()}
        elif f.name == "rule":
            values[f.name] = "FIG002"
        elif f.name == "severity":
            values[f.name] = "info"
        elif f.type in (int, "int", "int | None"):
            values[f.name] = 1000 * (i + 1) + rng.randint(0, 999)  # increasing: a valid Span
        else:
            values[f.name] = f"{f.name}-{rng.random()}"
    return cls(**values)


def test_dataclasses_with_a_compact_pickle_keep_every_field():
    """Span, DocMeta and Finding pickle as their fields in order (``__reduce__``): each field,
    and any field added later, must come back."""
    from dataclasses import fields

    from summary_analysis.document import Span
    from summary_analysis.findings import Finding
    from summary_analysis.sections import DocMeta

    rng = random.Random(3)
    for cls in (Span, DocMeta, Finding):
        for _ in range(5):
            obj = _distinct_instance(cls, rng)
            back = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
            assert type(back) is cls
            for f in fields(cls):
                assert getattr(back, f.name) == getattr(obj, f.name), (cls.__name__, f.name)
            assert back.__reduce__()[1] == tuple(getattr(obj, f.name) for f in fields(cls))
