"""``--jobs N``: the per-document stages (and the per-pair rewrite check) in N processes give
byte-identical output to one process."""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import CORPUS, needs_rjieba

from summary_analysis import segment as seg
from summary_analysis.cli import main


@pytest.fixture(scope="session")
def cli_json(tmp_path_factory):
    """``check corpus --format json`` output bytes for several --jobs/--segmenter settings."""
    out = tmp_path_factory.mktemp("jobs")
    runs = {"j1": [], "j2": ["--jobs", "2"]}
    if seg.fast_available():
        runs["j2fast"] = ["--jobs", "2", "--segmenter", "fast"]
    results = {}
    for name, extra in runs.items():
        path = out / f"{name}.json"
        status = main(["check", str(CORPUS), "--format", "json", "--out", str(path), *extra])
        results[name] = (status, path.read_bytes())
    return results


@pytest.fixture(scope="session")
def batch_jobs2():
    from summary_analysis import analyze

    return analyze([str(CORPUS)], jobs=2)


def test_cli_jobs_2_json_is_byte_identical_to_jobs_1(cli_json):
    status1, out1 = cli_json["j1"]
    status2, out2 = cli_json["j2"]
    assert out1.count(b'"doc_id"') > 20
    assert out2 == out1
    assert status2 == status1


@needs_rjieba
def test_fast_segmenter_in_two_processes_gives_the_same_report(cli_json):
    assert cli_json["j2fast"] == cli_json["j1"]


def test_text_report_is_identical(corpus_batch, batch_jobs2):
    from summary_analysis.report import render_text

    text1 = render_text(corpus_batch, corpus_batch.finding_objects)
    assert text1.count("\n") > 20
    assert render_text(batch_jobs2, batch_jobs2.finding_objects) == text1


def test_parallel_analyses_match_serial(corpus_batch, batch_jobs2):
    ids = [a.document.doc_id for a in corpus_batch.analyses]
    assert len(ids) == 9
    assert [a.document.doc_id for a in batch_jobs2.analyses] == ids
    for a, b in zip(corpus_batch.analyses, batch_jobs2.analyses):
        assert b.tokens == a.tokens
        assert b.findings == a.findings
        assert b.figures == a.figures
        assert b.meta == a.meta
        assert b.sections == a.sections
    assert batch_jobs2.to_dict() == corpus_batch.to_dict()


def test_rewrite_check_split_among_workers_matches_serial(seed_docs):
    """Several candidate pairs (the seed pair and three spun copies of the other seed summaries):
    the paired rewrite check runs in the workers and gives what one process gives. (The bundled
    corpus has one candidate pair since the statutory format's filled tables stopped making its
    annual reports candidates of each other, session 18.)"""
    from spinners import spin, thesaurus_table

    from summary_analysis import Document, analyze

    table = thesaurus_table()
    docs = [seed_docs[n] for n in sorted(seed_docs)]
    for n in (2, 3, 5):
        s = spin(seed_docs[n].text, table, rate=0.5, seed=n)
        docs.append(Document(f"spun-{n}", seed_docs[n].title, s.text, f"spun-{n}"))
    one, two = analyze(docs), analyze(docs, jobs=2)
    rewrites = [(p.doc_a, p.doc_b) for p in two.pair_objects if p.verdict == "rewrite"]
    assert len(rewrites) >= 3
    assert two.to_dict() == one.to_dict()


def test_parallel_batch_builds_its_tables_without_building_figure_objects(corpus_batch):
    """Worker results carry figures and sections packed; the output rows come from the packed
    tuples (no Figure objects built in the parent) and equal the serial run's; reading
    ``a.figures`` / ``a.sections`` then gives the same plain lists as ``jobs=1``."""
    import dataclasses

    from summary_analysis import analyze
    from summary_analysis.figures import PackedFigures
    from summary_analysis.sections import PackedSections

    batch = analyze([str(CORPUS)], jobs=2)
    assert batch.to_dict() == corpus_batch.to_dict()
    assert batch.sections.equals(corpus_batch.sections)
    assert batch.figures.equals(corpus_batch.figures)
    stored = [a.__dict__["_figures"] for a in batch.analyses]
    assert all(isinstance(f, PackedFigures) for f in stored)
    assert all(f._objects is None for f in stored)  # the rows came from the tuples
    assert all(isinstance(a.__dict__["_sections"], PackedSections) for a in batch.analyses)
    assert sum(map(len, stored)) > 700
    for a, b in zip(corpus_batch.analyses, batch.analyses):
        assert type(b.figures) is list and type(b.sections) is list
        assert b.figures == a.figures and b.sections == a.sections
        assert b.figures + [] == a.figures and repr(b.figures) == repr(a.figures)
        assert dataclasses.asdict(b)["figures"] == dataclasses.asdict(a)["figures"]
    assert repr(batch.analyses[0].figures).startswith("[Figure(")


def test_doc_analysis_pickles_without_token_strings(corpus_batch):
    a = corpus_batch.analyses[-1]
    data = pickle.dumps(a)
    back = pickle.loads(data)
    assert back.document == a.document
    assert back.tokens == a.tokens and back.tokens.words == a.tokens.words
    assert back.findings == a.findings
    # the text is pickled once (shared by the document and its tokens)
    assert len(pickle.dumps(a.document.text)) < len(data) < 2 * len(pickle.dumps(a.document.text)) + len(
        pickle.dumps(a.findings)) + len(pickle.dumps(a.sections)) + len(pickle.dumps(a.figures)) + \
        len(pickle.dumps(a.checklist)) + 8 * len(a.tokens) + 10_000


def test_reading_in_workers_gives_the_same_result_on_hostile_input(adversarial):
    """Files read by two worker processes: same documents, ING findings, counts and notes as
    ``read_batch`` in one process (the adversarial folder of tests/adversarial.py)."""
    from summary_analysis.ingest import read_batch
    from summary_analysis.ingest.walk import discover
    from summary_analysis.pipeline import _Workers

    paths = [str(adversarial.root)]
    serial = read_batch(paths)
    workers = _Workers(2, "jieba")
    try:
        parallel = workers.read(*discover(paths), max_file_mb=20.0)
    finally:
        workers.close()
    assert serial.files_found >= 40
    assert parallel.documents == serial.documents
    assert parallel.findings == serial.findings
    assert parallel.skipped == serial.skipped
    assert (parallel.files_found, parallel.files_read, parallel.files_refused) == \
        (serial.files_found, serial.files_read, serial.files_refused)


def test_metas_in_flight_waits_for_the_last_document_of_an_id():
    """The copy stage runs in a thread while the workers work: a lookup returns what the
    finished dict would (the last document of a doc_id wins) and waits until then."""
    import threading

    from summary_analysis.pipeline import _MetasInFlight

    metas = _MetasInFlight(["a", "b", "a"])
    assert len(metas) == 2 and bool(metas) and sorted(metas) == ["a", "b"]
    assert metas.get("zzz") is None
    got = []
    reader = threading.Thread(target=lambda: got.append(metas.get("a")))
    reader.start()
    metas.put_many([("a", "first")])
    metas.put_many([("b", "B")])
    reader.join(0.2)
    assert reader.is_alive() and got == []  # one document with id "a" is still out
    metas.put_many([("a", "second")])
    reader.join(10)
    assert got == ["second"] and metas["b"] == "B"


def test_metas_in_flight_takes_a_chunk_at_once():
    """put_many (one call per chunk of results): the same answers as one put per document,
    including an id that comes twice in one call and one that completes only in a later call."""
    import threading

    from summary_analysis.pipeline import _MetasInFlight

    metas = _MetasInFlight(["a", "b", "a", "c", "c"])
    got = []
    readers = [threading.Thread(target=lambda k=k: got.append((k, metas[k]))) for k in ("a", "c")]
    for r in readers:
        r.start()
    metas.put_many([("c", "c1"), ("a", "a1"), ("c", "c2"), ("b", "B")])
    readers[1].join(10)
    readers[0].join(0.2)
    assert got == [("c", "c2")] and readers[0].is_alive()  # "a" has one document still out
    metas.put_many([])
    metas.put_many([("a", "a2")])
    readers[0].join(10)
    assert got == [("c", "c2"), ("a", "a2")] and metas["b"] == "B" and dict(metas.items()) == {
        "a": "a2", "b": "B", "c": "c2"}


def test_abandoned_copy_thread_ends_instead_of_waiting_forever(monkeypatch):
    """When the worker phase fails, the copy-detection thread stops at its next lookup."""
    from summary_analysis import pipeline
    from summary_analysis.document import Document

    def detect(docs, tokens, index=None, metas=None, machine_rewritten=None):
        return [metas.get(d.doc_id) for d in docs]

    monkeypatch.setattr(pipeline.similarity_stage, "detect_copies", detect)
    docs = [Document(f"d{i}", "", "文本", f"d{i}") for i in range(3)]
    copier = pipeline._CopiesThread(docs, None)
    copier.metas.put_many([("d0", "m0")])
    copier.abandon()
    copier._thread.join(10)
    assert not copier._thread.is_alive()
    with pytest.raises(pipeline._Abandoned):
        copier.result()
    ok = pipeline._CopiesThread(docs, None)
    for i in range(3):
        ok.metas.put_many([(f"d{i}", f"m{i}")])
    assert ok.result() == ["m0", "m1", "m2"]


def test_serial_analysis_leaves_the_collector_as_it_found_it(corpus_docs_two):
    import gc

    from summary_analysis import analyze

    assert gc.get_freeze_count() == 0
    analyze(corpus_docs_two)
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.disable()
    try:
        analyze(corpus_docs_two)
        assert gc.get_freeze_count() == 0 and not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture(scope="module")
def corpus_docs_two():
    from conftest import SEED

    from summary_analysis import read_documents

    return read_documents(str(SEED))[:2]


def test_jobs_2_with_a_reference_index_matches_jobs_1(tmp_path):
    """Bug seen in this session: with --jobs 2 the copy check ran in a thread and the reference
    index's SQLite connection (made in the main thread) refused to be used there (fatal
    ProgrammingError). Now the result equals --jobs 1, DUP003 included."""
    idx = tmp_path / "refs.sqlite"
    assert main(["index", "add", str(CORPUS), "--index", str(idx)]) == 0
    outs = []
    for extra in ([], ["--jobs", "2"]):
        path = tmp_path / f"out{len(outs)}.json"
        status = main(["check", str(CORPUS), "--index", str(idx), "--format", "json", "--out", str(path),
                       "--fail-on", "never", *extra])
        assert status == 0
        outs.append(path.read_bytes())
    assert outs[1] == outs[0]
    assert b'"DUP003"' in outs[0]


def test_parallel_analysis_leaves_the_collector_as_it_found_it(corpus_docs_two):
    """With jobs=2 the parent freezes the results as they arrive (full collections skip them)
    and unfreezes at the end; with the collector off it does nothing."""
    import gc

    from summary_analysis import analyze

    assert gc.get_freeze_count() == 0
    batch = analyze(corpus_docs_two, jobs=2)
    assert len(batch.analyses) == 2
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    gc.disable()
    try:
        analyze(corpus_docs_two, jobs=2)
        assert gc.get_freeze_count() == 0 and not gc.isenabled()
    finally:
        gc.enable()


def test_fork_start_method_forks_the_workers_before_any_thread(monkeypatch):
    """Found in session 11: with SUMMARY_ANALYSIS_MP_START=fork the pool forked its workers at
    the first chunk, while the copy-detection thread ran; forked holding that thread's import
    lock, the workers waited for ever (py-spy: _ModuleLock.acquire in encodings; 1 run in about
    4 at 10k reports). The fork pool now has its workers before analyze starts that thread."""
    from summary_analysis import forkserver, pipeline

    monkeypatch.setenv(forkserver.START_METHOD_ENV, "fork")
    assert forkserver.start_method() == "fork"
    workers = pipeline._Workers(2, "jieba")
    try:
        # forked already (the pool forks at its first task): before analyze starts any thread
        assert len(workers.pool._processes) == 2
    finally:
        workers.close()


def test_workers_fork_from_a_warmed_up_forkserver():
    """The forkserver loads the resources once (segmenter, stage models) and freezes them;
    workers forked from it start with them (frozen objects present before their first chunk),
    and the variable that asks for the warm-up does not stay in the parent's environment."""
    import gc
    import os

    from summary_analysis import forkserver, pipeline

    if forkserver.start_method() != "forkserver":
        pytest.skip("the warm-up belongs to the forkserver start method, and this platform or "
                    "SUMMARY_ANALYSIS_MP_START chose another (workers then load the resources themselves)")
    workers = pipeline._Workers(1, "jieba")
    try:
        assert forkserver.WARM_ENV not in os.environ
        frozen = workers.pool.submit(gc.get_freeze_count).result()
    finally:
        workers.close()
    assert frozen > 10_000


def test_early_start_only_for_calls_that_will_use_workers(tmp_path, monkeypatch):
    """forkserver.start_early starts nothing for a call that will run in one process or whose
    arguments analyze will refuse, and never raises."""
    from summary_analysis import forkserver
    from summary_analysis.document import Document

    started = []
    monkeypatch.setattr(forkserver, "start_forkserver", started.append)
    monkeypatch.setattr(forkserver, "start_method", lambda: "forkserver")
    doc = Document(doc_id="a", title="t", text="一、总体情况", path="a")
    one_file = tmp_path / "a.txt"
    one_file.write_text("一、总体情况", encoding="utf-8")
    for inputs, jobs, segmenter in [([doc, doc], 1, None), ([doc, doc], True, None), ([doc, doc], "2", None),
                                    ([doc], 2, None), (doc, 2, None), (str(one_file), 2, None),
                                    (str(tmp_path / "missing"), 2, None), (None, 2, None),
                                    (iter([doc, doc]), 2, None), ([doc, doc], 2, "no-such-engine"),
                                    ([doc, doc], 2, 3)]:
        assert forkserver.start_early(inputs, jobs, segmenter) is False, (inputs, jobs, segmenter)
    assert started == []
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert forkserver.start_early([doc, doc], 0, None) is False  # one per CPU, one CPU
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert forkserver.start_early([doc, doc], 0, "jieba") is True
    assert forkserver.start_early(str(tmp_path), 2, "jieba") is True  # a folder
    assert started == ["jieba", "jieba"]
    monkeypatch.setattr(forkserver, "start_method", lambda: "spawn")
    assert forkserver.start_early([doc, doc], 2, None) is False


_EARLY_CHILD = """
import json, sys
from multiprocessing import forkserver as mp_forkserver
from summary_analysis import forkserver
from summary_analysis.document import Document
docs = [Document(doc_id=f"{i}.txt", title="t", text="一、总体情况\\n全年公开信息35条。", path=f"{i}.txt")
        for i in range(2)]
ok = forkserver.start_early(docs, 2, "jieba")
print(json.dumps({"started": ok, "server": mp_forkserver._forkserver._forkserver_pid is not None,
                  "pipeline_imported": "summary_analysis.pipeline" in sys.modules,
                  "warm_env_left": forkserver.WARM_ENV in __import__("os").environ}))
"""


def test_forkserver_starts_before_this_process_imports_the_stages():
    """analyze(jobs=2) starts the forkserver (which imports and warms up the stages, about a
    second) before the calling process imports them, so the two imports overlap on two cores."""
    from summary_analysis import forkserver

    if forkserver.start_method() != "forkserver":
        pytest.skip("the early start belongs to the forkserver start method, not available or not chosen here")
    out = subprocess.run([sys.executable, "-c", _EARLY_CHILD], capture_output=True, text=True, check=True,
                         timeout=120)
    assert json.loads(out.stdout) == {"started": True, "server": True, "pipeline_imported": False,
                                      "warm_env_left": False}


_SCRIPT_HEAD = """
import sys
from summary_analysis import analyze
from summary_analysis.document import Document
docs = [Document(doc_id=f"{i}.txt", title="t", text=f"一、总体情况\\n全年公开信息{i + 30}条，办结率100%。", path=f"{i}.txt")
        for i in range(3)]
"""

_SCRIPTS = {
    # the call at the top level: each worker would run it again at its start
    "top": _SCRIPT_HEAD + "batch = analyze(docs, jobs=2)\nprint(len(batch.findings), len(batch.figures))\n",
    # inside a function called at the top level: the same
    "function": _SCRIPT_HEAD + ("def main():\n    batch = analyze(docs, jobs=2)\n"
                                "    print(len(batch.findings), len(batch.figures))\n\nmain()\n"),
    # under the guard: workers do not run it
    "guarded": _SCRIPT_HEAD + ("if __name__ == '__main__':\n    batch = analyze(docs, jobs=2)\n"
                               "    print(len(batch.findings), len(batch.figures))\n"),
}


@pytest.mark.parametrize("kind", sorted(_SCRIPTS))
def test_script_without_main_guard_runs_in_one_process_with_one_warning(tmp_path, kind):
    """Found in session 19 (left as a known limit in sessions 17-18): a script calling
    analyze(jobs=2) outside ``if __name__ == "__main__":`` printed a RuntimeError traceback from
    every worker start (each ran the script's top level again and tried to start processes of
    its own) and lost every document (three ING006 rows, no figures). The unguarded call is now
    found before any worker starts: one warning naming the script's line and the guard, and the
    analysis runs in this process (the output jobs=2 gives under the guard)."""
    script = tmp_path / f"{kind}.py"
    script.write_text(_SCRIPTS[kind], encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr and "RuntimeError" not in out.stderr
    serial = subprocess.run([sys.executable, "-c", _SCRIPTS["top"].replace("jobs=2", "jobs=1")],
                            capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout == serial.stdout and out.stdout.split()[1] == "6"  # two figures a document
    if kind == "guarded":
        assert "__main__" not in out.stderr
    else:
        line = 7 if kind == "top" else 11
        assert f"{script}, line {line}" in out.stderr and 'if __name__ == "__main__":' in out.stderr
        assert out.stderr.count("\n") == 1  # one line, the warning


_GUARDS = """x = 1
if __name__ == '__main__':
    y = 2
if '__main__' == __name__:
    z = 3
if __name__ != '__main__':
    w = 4
try:
    if __name__ == "__main__" and x:
        a = 1
except Exception:
    pass
else:
    b = 1
if __name__ != "__main__" or not x:
    c = 1
else:
    d = 1
with open(__file__) as f:
    if x: e = 1
    elif __name__ == "__main__": e = 2
if __name__ == "__main__": f = 1
class K:
    g = 1
"""
# the lines of _GUARDS that only a __main__ run reaches (a one-line if: its body's)
_GUARDED = {3, 5, 10, 18, 21, 22}


def test_unguarded_call_finder_reads_the_scripts_syntax(tmp_path, monkeypatch):
    """unguarded_main_call() tells, for a module-level frame of the main script stopped at each
    line of _GUARDS, whether a worker re-running the script reaches it: the body of the guard
    (either side of ==, in an ``and``, inside try/with/elif, on the if's own line) and the
    ``else`` of ``!=`` (in an ``or``) are guarded; the if's test, the body of ``!=`` and an
    ``else`` of a try are not. Under pytest itself, for ``python -m pkg`` (a package's
    __main__, not run again) and for a script that no longer parses, it claims nothing."""
    import types

    from summary_analysis import forkserver

    assert forkserver.unguarded_main_call() is None  # pytest's own main module guards its call
    script = tmp_path / "s.py"
    script.write_text(_GUARDS, encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    main.__spec__ = None
    monkeypatch.setitem(sys.modules, "__main__", main)
    glb = main.__dict__
    found = {}
    glb.update(found=found, where=forkserver.unguarded_main_call, sys=sys)

    def stop_at(line):  # a module-level frame of the script, stopped at ``line``
        glb["LINE"] = line
        exec(compile("\n" * (line - 1) + "found[LINE] = where(sys._getframe())", str(script), "exec"), glb)
        return found[line]

    lines = range(1, _GUARDS.count("\n") + 1)
    assert {n for n in lines if stop_at(n) is None} == _GUARDED
    assert stop_at(1) == (str(script), 1)
    main.__spec__ = types.SimpleNamespace(name="pkg.__main__")  # python -m pkg: not run again
    assert stop_at(1) is None
    main.__spec__ = types.SimpleNamespace(name="tool")  # python -m tool: run again by name
    assert stop_at(1) == (str(script), 1)
    script.write_text("x = (", encoding="utf-8")  # unreadable now: nothing is claimed
    main.__spec__ = None
    assert stop_at(1) is None


def test_identical_pairs_equal_exact_jaccard_on_seeded_sets():
    """The identical-pair pass (LSH, then a MinHash pre-filter on the values' low bytes and the
    set sizes, then exact values) finds the pairs whose exact Jaccard reaches the threshold,
    or 0.5 with the smaller set 90 % inside the other, and no other, on seeded sets: near copies
    at Jaccard 0.75-0.95 (around the 0.8 bar), copies with 60 to 400 shingles of their own
    added (contained copies at Jaccard 0.5-0.87, around the containment bar), unrelated sets."""
    import numpy as np

    from summary_analysis.similarity import (IDENTICAL_CONTAINED_JACCARD, IDENTICAL_CONTAINMENT, IDENTICAL_JACCARD,
                                             identical_pairs)

    rng = np.random.default_rng(11)
    sets = []
    for _ in range(12):
        base = rng.integers(0, 2**63, 400, dtype=np.uint64)
        sets.append(np.unique(base))
        for _ in range(3):  # variants sharing a random share of the base
            keep = base[rng.random(400) < rng.uniform(0.85, 1.0)]
            sets.append(np.unique(np.concatenate([keep, rng.integers(0, 2**63, 20, dtype=np.uint64)])))
        for _ in range(2):  # the base, nearly whole, inside a longer text
            keep = base[rng.random(400) < rng.uniform(0.85, 1.0)]
            added = int(rng.integers(60, 400))
            sets.append(np.unique(np.concatenate([keep, rng.integers(0, 2**63, added, dtype=np.uint64)])))
    exact, contained = {}, 0
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            inter = np.intersect1d(sets[i], sets[j]).shape[0]
            jac = inter / (sets[i].shape[0] + sets[j].shape[0] - inter)
            share = inter / min(sets[i].shape[0], sets[j].shape[0])
            if jac >= IDENTICAL_JACCARD:
                exact[(i, j)] = jac
            elif jac >= IDENTICAL_CONTAINED_JACCARD and share >= IDENTICAL_CONTAINMENT:
                exact[(i, j)] = jac
                contained += 1
    found = identical_pairs(sets)
    assert 20 <= len(exact) - contained < 12 * 15
    assert 10 <= contained
    # every pair found passes on exact values; every near-identical pair is found (LSH at 0.8:
    # > 0.9999); a contained copy is missed only where LSH banding (32 x 4) can miss it, below
    # Jaccard 0.6 (found with probability 0.87 at 0.5, 0.988 at 0.6)
    assert found.keys() <= exact.keys()
    assert all(abs(found[k] - exact[k]) < 1e-12 for k in found)
    missed = exact.keys() - found.keys()
    assert all(exact[k] < 0.6 for k in missed) and len(missed) <= contained // 5


def test_overlapping_bulk_row_building_shares_one_collector_pause():
    """Known problem fixed: two threads building rows at once (``_bulk``) each disabled and then
    enabled the collector, so the first to finish turned it back on under the other; and a
    collector that was off when a call began must stay off."""
    import gc
    import threading

    from summary_analysis.batch import _bulk

    inside = threading.Barrier(2)
    first_done = threading.Event()
    seen = {}

    @_bulk
    def build(name, wait_for_first):
        inside.wait(timeout=10)  # both calls are running
        if wait_for_first:
            first_done.wait(timeout=10)
            seen[name] = gc.isenabled()  # the other call has ended: still paused for this one
        return name

    assert gc.isenabled()
    t = threading.Thread(target=lambda: (build("a", False), first_done.set()))
    t.start()
    assert build("b", True) == "b"
    t.join()
    assert seen == {"b": False} and gc.isenabled()
    gc.disable()
    try:
        build_alone = _bulk(lambda: gc.isenabled())
        assert build_alone() is False and not gc.isenabled()
    finally:
        gc.enable()


# -- Ctrl-C with --jobs 2 ----------------------------------------------------------------------

def _session_members(sid: int) -> list[str]:
    """Command lines of the live processes of session ``sid`` (Linux /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != sid or fields[0] == b"Z":
                continue
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                found.append(fh.read().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _stacks(sid: int) -> str:
    """Where the processes of session ``sid`` wait (kernel wait channel; py-spy's Python stack
    when installed), for the message of a hang."""
    import shutil

    out = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            if not entry.isdigit() or int(fields[3]) != sid:
                continue
            with open(f"/proc/{entry}/wchan") as fh:
                out.append(f"{entry} {fields[0].decode()} {fh.read()}")
            if shutil.which("py-spy"):
                out.append(subprocess.run(["py-spy", "dump", "--pid", entry], capture_output=True,
                                          text=True, timeout=20).stdout)
        except (OSError, IndexError, ValueError, subprocess.SubprocessError):
            continue
    return "\n".join(out)


def _stderr_when_ended(proc, what: str) -> str:
    """Wait (60 s at most) for the run of session ``proc.pid`` to end, then 30 s for every
    process of its session to be gone; its stderr. A hang fails with where each process waits."""
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        stacks = _stacks(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the {what} run did not end within 60 s: {stacks}")
    deadline = time.monotonic() + 30
    while _session_members(proc.pid):
        assert time.monotonic() < deadline, _session_members(proc.pid)
        time.sleep(0.05)
    return err.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def many_reports(tmp_path_factory):
    """400 reports of 30 sentences each, drawn (seeded) from the corpus's sentences: enough
    work for a --jobs 2 run to last a few seconds."""
    import random

    from summary_analysis import read_documents

    pool = sorted({s for d in read_documents(str(CORPUS)) for s in re.findall(r"[^。\n]{12,}。", d.text)})
    rng = random.Random(20261130)
    folder = tmp_path_factory.mktemp("many")
    for i in range(400):
        (folder / f"r{i:03d}.txt").write_text(f"某单位{i}号工作总结\n" + "".join(rng.sample(pool, 30)), encoding="utf-8")
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")
@pytest.mark.parametrize("when", ["forkserver", "workers"])
def test_ctrl_c_with_two_jobs_exits_130_quietly_and_leaves_no_process(many_reports, when):
    # Ctrl-C reaches the whole process group. The forkserver, interrupted during its warm-up,
    # printed a traceback; a worker interrupted while it started printed one too, or died
    # mid-send and left the parent waiting for ever on its result pipe.
    cmd = [sys.executable, "-c", "import sys; from summary_analysis.cli import main; sys.exit(main())",
           "check", str(many_reports), "--jobs", "2", "--format", "json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # the forkserver, then each worker, is a process of the session running forkserver's main
    wanted = 1 if when == "forkserver" else 3
    deadline = time.monotonic() + 120
    while sum("forkserver" in c for c in _session_members(proc.pid)) < wanted:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    text = _stderr_when_ended(proc, "interrupted")
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "Error" not in text, text
    assert text.strip() == "summary-analysis: interrupted"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")
def test_sigterm_to_a_background_run_ends_it_and_its_workers(many_reports):
    # Found by the session-10 hostile-input test: a --jobs 2 run started without job control
    # (a script's &, nohup, cron: Ctrl-C ignored) and sent SIGTERM ended at once and left the
    # forkserver and its workers running for good (about 550 MB). SIGTERM now stops the run as
    # Ctrl-C does: workers terminated, exit 128 + 15, one line on stderr.
    cmd = [sys.executable, "-c", "from summary_analysis.cli import run; run()",
           "check", str(many_reports), "--jobs", "2", "--format", "json"]

    def background():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)

    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=background)
    deadline = time.monotonic() + 120
    while sum("forkserver" in c for c in _session_members(proc.pid)) < 2:
        assert proc.poll() is None, "the run ended before it could be terminated"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGTERM)  # the main process only, as `kill PID` does
    text = _stderr_when_ended(proc, "terminated")
    assert proc.returncode == 128 + signal.SIGTERM, text
    assert text.strip() == "summary-analysis: terminated"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP") or not sys.platform.startswith("linux"),
                    reason="SIGHUP and the /proc process table are POSIX/Linux")
def test_hang_up_of_the_process_group_ends_the_run_quietly(many_reports):
    # Found by the session-12 hostile-input test: SIGHUP to the group (a closed terminal, an
    # ended ssh session) killed multiprocessing's resource tracker too; the parent's clean-up
    # relaunched it and the new tracker printed a KeyError traceback for each semaphore. The
    # tracker now starts with SIGHUP ignored, as it ignores Ctrl-C and SIGTERM itself.
    cmd = [sys.executable, "-c", "from summary_analysis.cli import run; run()",
           "check", str(many_reports), "--jobs", "2", "--format", "json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while sum("forkserver" in c for c in _session_members(proc.pid)) < 3:
        assert proc.poll() is None, "the run ended before it could be hung up"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGHUP)
    text = _stderr_when_ended(proc, "hung-up")
    assert proc.returncode == 128 + signal.SIGHUP, text
    assert text.strip() == "summary-analysis: terminated"


def test_callers_later_forkserver_pools_keep_their_ctrl_c(batch_jobs2):
    # Found by the session-9 review: the forkserver (one per process, shared with the caller's
    # own pools) ignored and blocked Ctrl-C after analyze(jobs=2), and so did every process it
    # forked later, so the caller's pools could no longer be interrupted.
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():
        pytest.skip("no forkserver start method on this platform")
    assert len(batch_jobs2.documents) > 5  # analyze(jobs=2) ran in this process
    # closed and joined, not terminated (what `with` does): a test process started with SIGTERM
    # ignored (seen in a CI run started from a background job) passes that on to the pool's
    # worker, which Pool.terminate() then waits for for good
    pool = mp.get_context("forkserver").Pool(1)
    try:
        handler = pool.apply(signal.getsignal, (signal.SIGINT,))
        blocked = pool.apply(signal.pthread_sigmask, (signal.SIG_BLOCK, []))
    finally:
        pool.close()
        pool.join()
    # what a process started from this one gets: Python's handler, or "ignored" when this
    # process ignores Ctrl-C (a background job of a script does)
    ours = signal.getsignal(signal.SIGINT)
    assert handler is (signal.SIG_IGN if ours == signal.SIG_IGN else signal.default_int_handler)
    assert signal.SIGINT not in blocked


def test_deferred_block_holds_sigterm_back_and_restores_every_disposition():
    """InterruptDeferred (around starting worker processes) holds a SIGTERM handled in Python
    back until the block ends, then raises it through that handler, with SIGINT's handler and
    the signal mask as they were: terminated halfway through starting a worker, the parent
    removed the semaphore the worker was unpickling (a traceback, 1 run in about 10)."""
    from summary_analysis.cli import Terminated, _terminate
    from summary_analysis.interrupts import InterruptDeferred

    old_term = signal.signal(signal.SIGTERM, _terminate)
    old_int = signal.getsignal(signal.SIGINT)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    reached = False
    try:
        with pytest.raises(Terminated) as info:
            with InterruptDeferred():
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(0.05)  # the handler runs here, and only notes the signal
                reached = True
        assert reached and info.value.signum == signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) is _terminate
        assert signal.getsignal(signal.SIGINT) is old_int
        assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == mask
    finally:
        signal.signal(signal.SIGTERM, old_term)
