"""The speed-ups of the rewrite stage change no result: the lazy character frames of REW002 and
the remembered densities REW001 reuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from summary_analysis import read_documents
from summary_analysis.normalize import fold
from summary_analysis.rewrite import PlausibilityModel, default_model, resources as res
from summary_analysis.rewrite.plausibility import _CharSlots
from summary_analysis.segment import segment

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _char_slots(text: str) -> dict[tuple[str, str], dict[str, int]]:
    """``(two characters before, two after) -> {middle string of 1-4 CJK characters: count}``
    over every position of ``text`` where both frames are CJK.

    The whole table at once (thousands of frames per report, slow): :meth:`PlausibilityModel.assess`
    uses the lazy :class:`_CharSlots`; this is its reference, checked equal below."""
    out: dict[tuple[str, str], dict[str, int]] = {}
    n = len(text)
    for i in range(1, n):
        for lw, rw in ((2, 2), (2, 1), (1, 2)):
            left = text[max(0, i - lw):i]
            if len(left) != lw or not res.is_cjk(left):
                continue
            for m in (1, 2, 3, 4):
                if i + m + rw > n:
                    break
                mid = text[i:i + m]
                if not res.is_cjk(mid):
                    break
                right = text[i + m:i + m + rw]
                if res.is_cjk(right):
                    d = out.setdefault((left, right), {})
                    d[mid] = d.get(mid, 0) + 1
    return out


@pytest.fixture(scope="module")
def corpus_docs():
    return sorted(read_documents(str(CORPUS)), key=lambda d: d.doc_id)


def test_lazy_char_slots_equal_full_table(corpus_docs):
    checked = 0
    for doc in corpus_docs:
        folded = fold(doc.text)
        full = _char_slots(folded)
        lazy = _CharSlots(folded)
        for key, counts in full.items():
            assert lazy.get(key) == counts
            checked += 1
        # frames around every token, as assess() asks them, including absent ones
        for s0, e0 in segment(doc.text).spans():
            for key in ((folded[max(0, s0 - 2):s0], folded[e0:e0 + 2]),
                        (folded[max(0, s0 - 2):s0], folded[e0:e0 + 1]),
                        (folded[max(0, s0 - 1):s0], folded[e0:e0 + 2])):
                assert lazy.get(key) == full.get(key)
    assert checked > 10_000


def test_dictionary_pair_test_equals_collocation_set():
    model = default_model()
    pairs = res.dictionary_collocations()
    assert len(pairs) > 100_000
    for a, b in sorted(pairs)[::50]:
        assert model._dict_pair(a, b)
    # near misses: split points that the set does not hold
    words = sorted(w for w in model.words if 2 <= len(w) <= 9)[::97]
    for w in words:
        for k in range(0, len(w) + 1):
            assert model._dict_pair(w[:k], w[k:]) == ((w[:k], w[k:]) in pairs)


def test_remembered_density_equals_assessment(corpus_docs):
    model = PlausibilityModel()
    doc = next(d for d in corpus_docs if d.doc_id.endswith("#4"))
    toks = segment(doc.text)
    assert model.density(doc.text, toks) == model.assess(doc.text, toks).density > 0.0175
    other = next(d for d in corpus_docs if d.doc_id.endswith("#1"))
    # a different text is not confused with a remembered one
    assert model.density(other.text, segment(other.text)) == model.assess(other.text, segment(other.text)).density
    assert model.density(other.text, segment(other.text)) != model.density(doc.text, toks)


def test_frame_index_equals_dictionary_frames():
    for domain_only in (False, True):
        frames = res.dictionary_frames(domain_only)
        index = res.dictionary_frame_index(domain_only)
        assert len(index) == len(frames) > 0
        for (left, right, m), middles in frames.items():
            got = index[f"{left}\0{right}"]
            assert m == 2 and frozenset(got[k:k + 2] for k in range(0, len(got), 2)) == middles


_CHILD = """
import json, sys, time
t = time.perf_counter()
from summary_analysis.rewrite import resources as res
d, th = res.jieba_dictionary(), res.thesaurus()
fr = res.dictionary_frame_index()
print(json.dumps({"n": [len(d), len(th), len(fr)], "probe": [d["公开"], sorted(th.get("公开", ())),
                  fr.get("政府\\0公开", "")], "s": time.perf_counter() - t}))
"""


def _child(env_extra: dict) -> dict:
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, **env_extra)
    out = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stderr == ""
    return json.loads(out.stdout)


def test_disk_cache_round_trip_and_corrupt_file(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    built = _child({**env, "SUMMARY_ANALYSIS_REWRITE_CACHE": "0"})
    first = _child(env)  # builds and writes
    files = sorted((tmp_path / "summary-analysis" / "rewrite").glob("*.marshal"))
    assert [f.name.split("-")[0] for f in files] == ["frames", "jieba", "thesaurus"]
    assert not list((tmp_path / "summary-analysis" / "rewrite").glob("*.tmp"))
    second = _child(env)  # reads
    assert built["n"] == first["n"] == second["n"] and built["probe"] == first["probe"] == second["probe"]
    assert "信息" in built["probe"][2]
    for f in files:  # truncated files are rebuilt, not trusted
        f.write_bytes(f.read_bytes()[:100])
    third = _child(env)
    assert third["n"] == built["n"] and third["probe"] == built["probe"]


def test_length_medians_equal_in_memory_computation():
    from summary_analysis.rewrite.plausibility import _length_medians

    medians = res.length_medians()
    assert medians == _length_medians(res.jieba_dictionary())
    assert medians[2] * 50 <= 400  # "rare" two-character words: frequency at most 400 (module doc)


def test_disk_cache_racing_processes_and_stale_copies(tmp_path):
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    folder = tmp_path / "summary-analysis" / "rewrite"
    folder.mkdir(parents=True)
    (folder / ("thesaurus-" + "0" * 32 + ".marshal")).write_bytes(b"old")  # another version's copy
    procs = [subprocess.Popen([sys.executable, "-c", _CHILD], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs) and all(err == "" for _, err in outs)
    a, b = (json.loads(out) for out, _ in outs)
    assert a["n"] == b["n"] and a["probe"] == b["probe"]
    names = sorted(f.name for f in folder.iterdir())
    assert len(names) == 3 and not any(n.endswith(".tmp") or "0" * 32 in n for n in names)


def test_two_character_middles_equal_full_table(corpus_docs):
    """_CharSlots.two (the frequent-word slot's lighter scan) gives the full table's
    two-character middles, whether or not the full entry was asked for first."""
    checked = 0
    for doc in corpus_docs:
        folded = fold(doc.text)
        full = _char_slots(folded)
        fresh, warm = _CharSlots(folded), _CharSlots(folded)
        for s0, e0 in segment(doc.text).spans():
            key = (folded[max(0, s0 - 2):s0], folded[e0:e0 + 2])
            want = {m: c for m, c in (full.get(key) or {}).items() if len(m) == 2} or None
            assert fresh.two(key) == want
            warm.get(key)
            assert warm.two(key) == want
            checked += want is not None
    assert checked > 100
