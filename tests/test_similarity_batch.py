"""The batch fast paths of the copy check equal plain per-document references, and the MinHash
scheme stays pinned (issue 11, item 5: stored signatures must stay comparable across versions).

Covered: :func:`.minhash.signatures` (one vectorised pass over many sets),
:func:`.shingle.unique_inverse`, :func:`.shingle.compact_codes`, :func:`.shingle.shingle_hashes_many`
(many texts hashed as one), :func:`.shingle.sorted_unique_many`, :class:`.shingle.HashTable`
(bucketed look-ups),
:func:`.similarity.sketch_batch` and :func:`.similarity.identical_pairs` (band pairs filtered
before their union).
"""

from __future__ import annotations

import hashlib
import random
from itertools import combinations

import numpy as np
import pytest

from conftest import SEED, SHUYANG
from summary_analysis import read_documents
from summary_analysis.similarity import (document_frequency, format_discounted, frequent_threshold,
                                         identical_jaccard, identical_pairs, identical_sketch, sketch, sketch_batch)
from summary_analysis import similarity
from summary_analysis.similarity import shingle
from summary_analysis.similarity.lsh import MAX_BUCKET, WINDOW, band_keys, winnow, winnow_many
from summary_analysis.similarity.minhash import (_LOW, _ORDER, _SEED64, _SHIFT, EMPTY, NUM_PERM, signature,
                                                 signatures)
from summary_analysis.similarity.shingle import (HashTable, compact, compact_codes, lookup_sorted, mix64,
                                                 shingle_hashes, shingle_hashes_many, shingle_set, sorted_unique,
                                                 sorted_unique_many, template_shingles, unique_inverse)


def _signature_per_set(shingles: np.ndarray) -> np.ndarray:
    """The scheme as first written, one set at a time: sort the mixed values, take the first of
    each bin, borrow along _ORDER for empty bins."""
    sig = np.full(NUM_PERM, EMPTY, dtype=np.uint64)
    if shingles.shape[0] == 0:
        return sig
    with np.errstate(over="ignore"):
        h = np.sort(mix64(shingles.astype(np.uint64) ^ _SEED64))
    bins = (h >> _SHIFT).astype(np.int64)
    first = np.searchsorted(bins, np.arange(NUM_PERM), side="left")
    filled = first < np.searchsorted(bins, np.arange(NUM_PERM), side="right")
    sig[filled] = h[first[filled]] & _LOW
    for b in np.nonzero(~filled)[0]:
        src = next((int(o) for o in _ORDER[b] if filled[o]), int(_ORDER[b][0]))
        sig[b] = sig[src] if filled[src] else EMPTY
    return sig


@pytest.fixture(scope="module")
def texts():
    """Real report texts: the Shuyang report and the five documents of the seed page."""
    return [d.text for d in read_documents(str(SHUYANG))] + [d.text for d in read_documents(str(SEED))]


def _seeded_sets(texts, seed=3):
    """Shingle sets of real texts, of excerpts of them (small sets leave bins empty: the
    densification's long search) and of random values, with empty sets mixed in."""
    rng = np.random.default_rng(seed)
    sets = [shingle_set(t) for t in texts]
    for _ in range(300):
        s = sets[int(rng.integers(len(texts)))]
        sets.append(s[rng.permutation(s.shape[0])[:int(rng.integers(0, 160))]])
    sets += [rng.integers(0, 2**63, int(k), dtype=np.uint64) for k in rng.integers(0, 40, 200)]
    sets += [np.zeros(0, dtype=np.uint64)] * 3
    sets.append(np.repeat(sets[0][:5], 3))  # duplicates allowed
    order = rng.permutation(len(sets))
    return [sets[i] for i in order]


def test_signatures_equal_the_per_set_scheme(texts):
    sets = _seeded_sets(texts)
    assert len(sets) > 256  # more than one pass of minhash._SETS_PER_PASS sets
    ref = np.stack([_signature_per_set(s) for s in sets])
    assert np.array_equal(signatures(sets), ref)
    for s, r in zip(sets[:60], ref):
        assert np.array_equal(signature(s), r)
    assert signatures([]).shape == (0, NUM_PERM)


def test_minhash_and_shingle_hashes_are_pinned(texts):
    """Values recorded with the scheme before the batch paths (session 5): any change here breaks
    the comparability of stored signatures (minhash.SCHEME)."""
    digest = [(hashlib.sha256(signature(shingle_set(t)).tobytes()).hexdigest(),
               hashlib.sha256(shingle_hashes(t).tobytes()).hexdigest()) for t in texts[:2]]
    assert digest == [
        ("5255fcff1cd911c7262fe718e5157cdf40915e5e192252a229cbacfab8ffc085",
         "1a85f664858197e0ee6c8c4101aaac4ae61b1459145394b48ac6eb24755420ff"),
        ("e12050ae00ba15332b7d10276415938816950a8f45cfb4ad2c02bfa7c21d3d7c",
         "4addeb789e5750d85de529561271e9aaac65ee61221c9ff69debd1121a73665a")]
    assert ([int(x) for x in shingle_hashes("政府信息公开")]
            == [0xFAE5BA78A3E72A9A, 0xB2D3CDED5F6E7692, 0x1D8E9898C2521C22])
    small = signature(shingle_set("政府信息公开工作年度报告"))  # 9 shingles: mostly borrowed bins
    assert [int(x) for x in small[:4]] == [0x1722ED57B19C461, 0x22778814E11D8D, 0x1722ED57B19C461, 0xA3BCD0CED58135]
    assert (hashlib.sha256(signature(shingle_set("政府信息公开工作年度报告")[:3]).tobytes()).hexdigest()
            == "dabd92a15ef1ab28347b769ea6d1fd00f8117afb74b3fc629e83d7d692175b94")


def test_unique_inverse_equals_numpy_unique(texts):
    rng = np.random.default_rng(4)
    arrays = [shingle_hashes(t) for t in texts] + [np.zeros(0, np.uint64), np.array([7], np.uint64)]
    arrays += [rng.integers(0, 30, int(k)).astype(np.uint64) for k in rng.integers(1, 200, 50)]
    for a in arrays:
        u, inv = unique_inverse(a)
        ref_u, ref_inv = np.unique(a, return_inverse=True)
        assert np.array_equal(u, ref_u) and np.array_equal(u, sorted_unique(a))
        assert np.array_equal(inv, ref_inv.reshape(-1)) and np.array_equal(u[inv], a)
        assert inv.dtype == np.int32


def test_compact_codes_equal_compact(texts):
    for t in _samples(texts):
        assert np.array_equal(compact_codes(t), compact(t).codes), t
        assert compact_codes(t).dtype == compact(t).codes.dtype


def _samples(texts, seed=9):
    """The texts, the empty text, and excerpts of them with full-width, digit, placeholder,
    punctuation, line-break and non-BMP characters added."""
    rng = random.Random(seed)
    extra = "ＡＺａｚ０９Ａz09×▲〇　 \n，。（）12.5%𠀀😀"
    samples = list(texts) + [""]
    for _ in range(300):
        t = rng.choice(texts)
        a = rng.randrange(len(t))
        samples.append(t[a:a + rng.randint(0, 80)] + "".join(rng.choice(extra) for _ in range(rng.randint(0, 6))))
    return samples


def test_shingle_hashes_many_equal_one_text_at_a_time(texts, monkeypatch):
    samples = _samples(texts, seed=5)
    digits = ["12", "3", "45 6", "7", ""]  # digit runs at the texts' ends and starts
    bmp = [t for t in samples if all(ord(c) < 0x10000 for c in t)]
    for chars in (1 << 18, 300):  # a few passes, and many (a text longer than a pass is one pass)
        monkeypatch.setattr(shingle, "_CHARS_PER_PASS", chars)
        for batch in (samples, bmp, digits, [], [""], ["", ""]):
            got = shingle_hashes_many(batch)
            assert len(got) == len(batch)
            for t, h in zip(batch, got):
                assert np.array_equal(h, shingle_hashes(t)) and h.dtype == np.uint64, t


@pytest.mark.parametrize("per_pass", [128, 3])
def test_sorted_unique_many_equals_one_array_at_a_time(texts, monkeypatch, per_pass):
    monkeypatch.setattr(shingle, "_ARRAYS_PER_PASS", per_pass)
    rng = np.random.default_rng(7)
    arrays = [shingle_hashes(t) for t in texts] + [np.zeros(0, np.uint64), np.array([7], np.uint64)]
    arrays += [rng.integers(0, 30, int(k)).astype(np.uint64) for k in rng.integers(0, 60, 50)]
    arrays += [np.zeros(0, np.uint64), np.array([5, 5, 5], np.uint64)]  # repeats across arrays
    for batch in (arrays, arrays[::-1], arrays[-3:], [np.zeros(0, np.uint64)]):
        got = sorted_unique_many(batch)
        assert len(got) == len(batch)
        for a, u in zip(batch, got):
            assert np.array_equal(u, sorted_unique(a)) and u.dtype == np.uint64
    assert sorted_unique_many([]) == []


def test_hash_table_equals_lookup_sorted(texts):
    rng = np.random.default_rng(6)
    sets = [shingle_set(t) for t in texts]
    values = np.concatenate(sets + [rng.integers(0, 2**64 - 1, 3000, dtype=np.uint64, endpoint=True),
                                    np.array([0, 2**64 - 1], dtype=np.uint64)])
    tables = [sets[0], template_shingles(), np.zeros(0, np.uint64), sets[1][:1], sets[1][:2],
              np.arange(0, 3000, 3, dtype=np.uint64),  # not mixed: every entry in bucket 0
              np.unique(np.concatenate(sets))]
    for table in tables:
        found, pos = HashTable(table).lookup(values)
        ref_found, ref_pos = lookup_sorted(values, table)
        assert np.array_equal(found, ref_found) and np.array_equal(pos[found], ref_pos[found])
        assert ((pos >= 0) & (pos < max(table.shape[0], 1))).all()


def _batch_inputs(texts):
    """Documents of a batch with copies (so some shingles are batch-frequent)."""
    rng = random.Random(2)
    docs = list(texts)
    for _ in range(40):
        t = rng.choice(texts)
        a = rng.randrange(len(t) // 2)
        docs.append(t[a:a + rng.randint(200, 3000)] + rng.choice(texts)[:rng.randint(0, 400)])
    hashes = shingle_hashes_many(docs)
    return list(zip(sorted_unique_many(hashes), hashes))


@pytest.mark.parametrize("docs_per_lookup", [64, 5])  # one look-up for all, and several
def test_sketch_batch_equals_per_document_sketches(texts, monkeypatch, docs_per_lookup):
    monkeypatch.setattr(similarity, "_DOCS_PER_LOOKUP", docs_per_lookup)
    shingled = _batch_inputs(texts)
    tmpl = template_shingles()
    frequent, = document_frequency([s for s, _ in shingled], [frequent_threshold(len(shingled))])
    assert frequent.shape[0]
    for skip in (np.union1d(tmpl, frequent), tmpl):
        profs, formats, sigs = sketch_batch(shingled, skip, tmpl, True)
        for (s, h), p, f, sig in zip(shingled, profs, formats, sigs):
            ref = sketch(h, s, skip)  # positions found by searching, signature per document
            assert np.array_equal(p.shingles, ref.shingles) and np.array_equal(p.discounted, ref.discounted)
            assert np.array_equal(p.fingerprints, ref.fingerprints)
            assert np.array_equal(p.signature, ref.signature)
            assert np.array_equal(f, format_discounted(s, tmpl))
            assert np.array_equal(sig, identical_sketch(f)[0])
        _, formats, sigs = sketch_batch(shingled, skip, tmpl, False)
        assert formats == [] and sigs.shape == (0, NUM_PERM)


@pytest.mark.parametrize("block_bucket,block_rows", [(32, 32), (2, 3), (5, 1)])
def test_identical_pairs_equal_brute_force(texts, monkeypatch, block_bucket, block_rows):
    """Every pair sharing an LSH band (in a bucket of at most MAX_BUCKET documents) that
    identical_jaccard confirms, on seeded near-identical copies among unrelated excerpts; with
    buckets compared pair by pair and as blocks (every bucket, in blocks of a few rows)."""
    monkeypatch.setattr(similarity, "_BLOCK_BUCKET", block_bucket)
    monkeypatch.setattr(similarity, "_BLOCK_ROWS", block_rows)
    rng = np.random.default_rng(8)
    base = [shingle_set(t) for t in texts]
    sets = []
    for _ in range(60):
        s = base[int(rng.integers(len(base)))]
        keep = rng.random(s.shape[0]) < rng.choice([0.6, 0.85, 0.95, 1.0])
        sets.append(np.union1d(s[keep], rng.integers(0, 2**63, int(rng.integers(0, 30)), dtype=np.uint64)))
    sigs = signatures(sets)
    keys = band_keys(sigs)
    shared = set()
    for b in range(keys.shape[1]):
        buckets: dict = {}
        for d in range(len(sets)):
            buckets.setdefault(int(keys[d, b]), []).append(d)
        shared |= {p for m in buckets.values() if 2 <= len(m) <= MAX_BUCKET for p in combinations(m, 2)}
    expected = {}
    for i, j in sorted(shared):
        jac = identical_jaccard(sets[i], sets[j], sigs[i], sigs[j])
        if jac is not None:
            expected[(i, j)] = jac
    assert len(expected) > 10
    assert identical_pairs(sets) == expected
    assert identical_pairs(sets, sigs=sigs) == expected


@pytest.mark.parametrize("block_rows", [1, 7, 32, 64])
def test_bucket_compared_as_blocks_equals_pair_by_pair(monkeypatch, block_rows):
    """The identical-pair pre-filter keeps the same pairs of a bucket either way (random low
    bytes agreeing on about half of the 128 values; sets of 100 and 130 shingles, so a pair of
    unequal sizes is at the contained copy's bar, 63 equal values, about half of them kept)."""
    monkeypatch.setattr(similarity, "_BLOCK_ROWS", block_rows)
    rng = np.random.default_rng(12)
    low = rng.integers(0, 2, (80, NUM_PERM), dtype=np.uint8)
    passes = similarity._EstimateFilter(rng.choice([100, 130], 80).astype(np.int64), NUM_PERM,
                                        similarity.IDENTICAL_JACCARD)
    members = np.sort(rng.choice(80, 45, replace=False))
    pairs = np.array(list(combinations(members.tolist(), 2)), dtype=np.int64)
    want = similarity._agreeing(low, passes, pairs)
    assert 100 < want.shape[0] < pairs.shape[0] - 100
    got = similarity._agreeing_in_bucket(low, passes, members)
    assert got.dtype == np.int64
    assert sorted(map(tuple, got.tolist())) == sorted(map(tuple, want.tolist()))


def _winnow_reference(hashes, skip, window=WINDOW):
    """Winnowing as defined (Schleimer et al. 2003), one window at a time: the minimum of every
    window of ``window`` hashes (of the whole text when shorter), skipped positions never
    chosen; the sorted unique minima."""
    h = [_MAX if s else int(v) for v, s in zip(hashes.tolist(), skip.tolist())]
    windows = [h[i:i + window] for i in range(max(len(h) - window + 1, 1))] if h else []
    return np.array(sorted({min(w) for w in windows} - {_MAX}), dtype=np.uint64)


_MAX = 2**64 - 1


def test_winnow_many_equals_window_by_window(texts):
    rng = np.random.default_rng(13)
    hashes = [shingle_hashes(t) for t in texts]
    hashes += [shingle_hashes(t)[:int(k)] for t, k in zip(texts * 3, rng.integers(0, 10, 3 * len(texts)))]
    hashes.insert(3, np.zeros(0, np.uint64))
    skips = [rng.random(h.shape[0]) < rng.choice([0.0, 0.5, 0.95, 1.0]) for h in hashes]
    want = [_winnow_reference(h, s) for h, s in zip(hashes, skips)]
    got = winnow_many(hashes, np.concatenate(skips))
    assert len(got) == len(want) and sum(w.shape[0] for w in want) > 100
    for h, s, g, w in zip(hashes, skips, got, want):
        assert np.array_equal(g, w) and g.dtype == np.uint64
        assert np.array_equal(winnow(h, s), w) and np.array_equal(winnow(h), _winnow_reference(h, s & False))
