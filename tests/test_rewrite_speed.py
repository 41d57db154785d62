"""The speed-ups of the rewrite stage change no result: the lazy character frames of REW002 and
the remembered densities REW001 reuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from summary_analysis import read_documents
from summary_analysis.normalize import fold
from summary_analysis.rewrite import PlausibilityModel, default_model, resources as res
from summary_analysis.rewrite import plausibility as pl
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
            for key in pl.slot_keys(folded, s0, e0):
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


def _length_medians(words: dict) -> dict:
    """Reference: the upper median of jieba's counts per word length, computed in memory."""
    by_len: dict = {}
    for w, (f, _t) in words.items():
        by_len.setdefault(len(w), []).append(f)
    return {n: sorted(fs)[len(fs) // 2] for n, fs in by_len.items()}


def test_length_medians_equal_in_memory_computation():

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


# -- the per-word and per-(prev, word, next) tables of assess() change no result --------------------

def _plain_assess(model: PlausibilityModel, text: str, tokens) -> tuple:
    """The token loop of :meth:`PlausibilityModel.assess` written out plainly (every token
    tested, nothing remembered, CJK tokens found with the regular expression): the reference
    the table-driven loop must equal. Returns ``(phrases, density, cjk_tokens, out_of_register,
    verdict)`` with each phrase as a tuple."""
    words = tokens.words
    spans = tokens.spans()
    folded = fold(text)
    phrases = {}
    for rep, orig in model.phrase_fps:
        start = folded.find(rep)
        while start != -1:
            end = start + len(rep)
            if not any(s < end and start < e for (s, e) in phrases):
                phrases[(start, end)] = pl.Phrase((start, end), text[start:end], rep, orig,
                                                  pl.SCORE_PHRASE, "fingerprint-phrase")
            start = folded.find(rep, end)
    covered = [any(ps < e and s < pe for (ps, pe) in phrases) for (s, e) in spans]
    slots = pl._CharSlots(folded)
    vocabulary = set(words)
    is_cjk = [bool(res.CJK.match(w)) for w in words]
    cjk = oor = 0
    for i, w in enumerate(words):
        if not is_cjk[i]:
            continue
        cjk += 1
        if covered[i] or not model.is_content(w):
            continue
        prev = words[i - 1] if i > 0 and is_cjk[i - 1] else None
        nxt = words[i + 1] if i + 1 < len(words) and is_cjk[i + 1] else None
        if (prev is None and nxt is None) or model.in_register(w):
            continue
        oor += 1
        if (prev and model.attested(prev, w)) or (nxt and model.attested(w, nxt)):
            continue
        hit = model._reverse(w, prev, nxt)
        if hit is not None:
            orig, side, score, signal = hit
            if signal == "thesaurus" and orig not in vocabulary:
                score = pl.SCORE_THESAURUS_ALONE
            span = (spans[i - 1][0], spans[i][1]) if side == "prev" else (spans[i][0], spans[i + 1][1])
        elif model._out_of_register(w, prev, nxt):
            s0, e0 = span = spans[i]
            if model.register_mode == "frame" and model._frame_filler(w, prev, nxt) is None:
                continue
            orig = None
            for key in pl.slot_keys(folded, s0, e0):
                orig = model._slot_filler(w, slots.get(key))
                if orig:
                    break
            score, signal = pl.SCORE_REGISTER, "register"
            if orig and model.register_mode == "slot":
                score, signal = pl.SCORE_SLOT, "slot"
            if orig is None and model.register_mode == "slot":
                hit = model._dictionary_frame(w, folded, s0, e0)
                if hit is not None:
                    orig, span = hit[0], (s0 - hit[1], e0 + hit[2])
                    score, signal = pl.SCORE_SLOT, "dictionary-frame"
            if signal != "dictionary-frame" and not model._rare(w, pl.RARE_FACTOR):
                continue
            if orig is not None and len(orig) != len(w):  # a filler of another length: not shown
                orig = None
        elif model.frequent_slot and (hit := model._frequent_slot(w, prev, nxt, folded, slots, spans[i])):
            orig, span, score, signal = hit
        else:
            continue
        if any(ps < span[1] and span[0] < pe for (ps, pe) in phrases):
            span = spans[i]
            if any(ps < span[1] and span[0] < pe for (ps, pe) in phrases):
                continue
        phrases[span] = pl.Phrase(span, text[span[0]:span[1]], w, orig, score, signal)
    found = sorted((p for p in phrases.values() if p.score >= pl.MIN_SCORE), key=lambda p: p.span)
    density = sum(p.score for p in found) / cjk if cjk else 0.0
    strong = sum(p.score >= pl.SCORE_PHRASE for p in found)
    dense = len(found) >= pl.MIN_PHRASES and density >= pl.MIN_DENSITY
    reported = cjk >= pl.SHORT_DOCUMENT or any(p.score >= pl.MIN_REPORT_SCORE for p in found)
    verdict = "machine-rewritten" if (dense and reported) or strong >= pl.MIN_STRONG else "plausible"
    return ([tuple(vars(p).values()) for p in found], density, cjk, oor, verdict)


def _as_tuple(a) -> tuple:
    return ([tuple(vars(p).values()) for p in a.phrases], a.density, a.cjk_tokens, a.out_of_register,
            a.verdict)


@pytest.fixture(scope="module")
def random_texts(corpus_docs):
    """Seeded texts: generated reports from the corpus, spun with the thesaurus and the
    disjoint table at 0-50%, some with ASCII, digits and line breaks strewn in."""
    import random
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from spinners import DISJOINT_TABLE, generate_reports, spin, thesaurus_table

    rng = random.Random(20261129)
    sources = [d.text for d in corpus_docs]
    texts = []
    for k, text in enumerate(generate_reports(sources, 24, seed=20261129)):
        table = thesaurus_table() if k % 2 else DISJOINT_TABLE
        text = spin(text, table, rng.choice([0.0, 0.1, 0.3, 0.5]), seed=k).text
        if k % 3 == 0:
            chars = list(text)
            for _ in range(rng.randint(5, 40)):
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(["\n", "a", "7", " ", "（", "\n\n"]))
            text = "".join(chars)
        texts.append(text)
    return texts


def test_table_driven_loop_equals_plain_loop(random_texts, corpus_docs):
    """assess() (per-word codes, per-(prev, word, next) decisions, end offsets instead of
    spans) equals the plain loop on seeded random texts and on corpus/, with cold and warm
    tables, in all register modes."""
    texts = random_texts + [d.text for d in corpus_docs]
    tokens = [segment(t) for t in texts]
    flagged = phrases = 0
    for kwargs in ({}, {"register_mode": "register"}, {"register_mode": "frame"}, {"frequent_slot": False}):
        warm, cold = PlausibilityModel(**kwargs), PlausibilityModel(**kwargs)
        for text, toks in zip(texts, tokens):
            want = _plain_assess(warm, text, toks)
            cold._codes.clear()
            cold._decisions.clear()
            cold._frame_hits.clear()
            assert _as_tuple(cold.assess(text, toks)) == want  # empty tables
            assert _as_tuple(warm.assess(text, toks)) == want  # tables filled by earlier texts
            flagged += want[4] == "machine-rewritten"
            phrases += len(want[0])
    # the texts exercise the signals: flagged documents and phrases of every kind
    assert flagged >= 8 and phrases >= 200


def test_is_cjk_equals_regular_expression():
    """The character-range test of resources.is_cjk equals ``bool(CJK.match(word))``, also at
    the range's ends and with line breaks (``$`` matches before one final ``\\n``)."""
    import random

    rng = random.Random(7)
    alphabet = ["\u4e00", "\u9fff", "\u4dff", "\ua000", "政", "府", "\n", "\r", " ", "a", "1", "，",
                "\U00020000", "\u3007", "\uff21"]
    for _ in range(20_000):
        w = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
        assert res.is_cjk(w) == bool(res.CJK.match(w)), repr(w)
    assert res.is_cjk("政府\n") and not res.is_cjk("政府\n\n") and not res.is_cjk("\n")


def _plain_dictionary_frame(model: PlausibilityModel, w: str, text: str, start: int, end: int):
    """:meth:`PlausibilityModel._dictionary_frame` with every side tested by ``res.is_cjk``
    (the reference of its character-at-a-time test)."""
    if len(w) != 2:
        return None
    frames, domain_frames = res.dictionary_frame_index(), res.dictionary_frame_index(True)
    best = None
    for ll in range(1, 5):
        left = text[start - ll:start] if start - ll >= 0 else None
        if left is None or not res.is_cjk(left):
            break
        for rl in range(0, 5):
            right = text[end:end + rl]
            if len(right) != rl or (rl and not res.is_cjk(right)):
                break
            if ll + rl >= 3 and max(ll, rl) >= 2:
                found = frames.get(f"{left}\0{right}", "")
            elif rl == 0 and ll >= 2:
                found = domain_frames.get(f"{left}\0{right}", "")
            else:
                continue
            fillers = {x for x in (found[k:k + 2] for k in range(0, len(found), 2))
                       if x != w and model._same_class(w, x)}
            if len(fillers) == 1:
                for x in fillers:
                    key = (ll + rl, model.words.get(x, (0, ""))[0], x)
                    if best is None or key > best[0]:
                        best = (key, x, ll, rl)
    return None if best is None else best[1:]


def test_character_tests_equal_is_cjk_on_random_texts(random_texts):
    """_CharSlots.get and _dictionary_frame test characters one at a time instead of calling
    res.is_cjk on each growing slice: same results on texts with line breaks strewn in."""
    model = default_model()
    frames = found = 0
    for text in random_texts[::3]:  # the texts with line breaks, ASCII and digits strewn in
        folded = fold(text)
        full, lazy = _char_slots(folded), _CharSlots(folded)
        for s0, e0 in segment(text).spans():
            w = folded[s0:e0]
            for key in pl.slot_keys(folded, s0, e0):
                assert lazy.get(key) == full.get(key)
                frames += key in full
            want = _plain_dictionary_frame(model, w, folded, s0, e0)
            assert model._dictionary_frame(w, folded, s0, e0) == want
            found += want is not None
    assert frames > 1000 and found > 10


# -- the frame shortcuts of assess() (frequent-word slot, register frames) change no result ---------

_PIECES = ["市", "县", "政府", "官府", "网站", "信息", "讯号", "公开", "敞开", "民众", "群众", "科室",
           "部门", "工作", "人人", "常常", "政政", "\n", "，", "的", "政", "府", "开", "息", "a", "7",
           "德律风", "定见"]


@pytest.fixture(scope="module")
def frame_texts():
    """Seeded texts over a small alphabet of pieces (words that spinners swap, their original,
    single characters, a doubled character, line breaks, ASCII, phrase fingerprints): the same
    character frames recur with different middles, so frames hold one, two or more fillers."""
    import random

    rng = random.Random(4711)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(10, 90))) for _ in range(160)]


def _plain_register_original(model: PlausibilityModel, w: str, folded: str, s0: int, e0: int):
    """The register signal's frame search without the shortcut: the first original found in
    the 2+2, 2+1 and 1+2 character frames around ``[s0, e0)`` (fresh frame table)."""
    slots = _CharSlots(folded)
    for key in pl.slot_keys(folded, s0, e0):
        orig = model._slot_filler(w, slots.get(key))
        if orig:
            return orig
    return None


def test_frame_shortcuts_equal_plain_frame_search(frame_texts):
    """_slot_original (one find pass, then the frame table; remembered per frame) equals
    _frequent_slot, and _other_middle never rules out a frame where the plain search finds an
    original, at every position of the seeded texts, for the word there and for other words."""
    from summary_analysis.rewrite.plausibility import _other_middle

    model = default_model()
    others = ["官府", "政府", "敞开", "讯号", "科室", "民众", "工作"]
    slot_found = slot_checked = register_found = ruled_out = 0
    for k, text in enumerate(frame_texts):
        folded = fold(text)
        fast_slots, plain_slots, memo = _CharSlots(folded), _CharSlots(folded), {}
        for s0 in range(len(folded) - 1):
            e0 = s0 + 2
            for w in {folded[s0:e0], others[(k + s0) % len(others)]}:
                if w not in model.words:
                    continue
                plain = model._frequent_slot(w, "政府", "政府", folded, plain_slots, (s0, e0))
                fast = model._slot_original(w, folded, s0, e0, fast_slots, memo)
                assert fast == (plain[0] if plain else None), (text, s0, w)
                slot_checked += 1
                slot_found += fast is not None
                want = _plain_register_original(model, w, folded, s0, e0)
                if not _other_middle(folded, w, s0, e0):
                    ruled_out += 1
                    assert want is None, (text, s0, w)
                register_found += want is not None
    # both outcomes occur often: originals found, and frames the shortcuts settle
    assert slot_checked > 5000 and slot_found > 200 and register_found > 500 and ruled_out > 1000


def test_assess_equals_plain_loop_on_frame_texts(frame_texts):
    """assess() with its shortcuts equals the plain loop on the small-alphabet texts (and on
    texts of zero, one and two tokens)."""
    model = PlausibilityModel()
    flagged = phrases = 0
    signals = set()
    for text in ["", "政府", "a", "讯号", "官府公开"]:
        toks = segment(text)
        assert _as_tuple(model.assess(text, toks)) == _plain_assess(model, text, toks), text
    assert model.assess("政府", segment("政府")).cjk_tokens == 1
    for text in frame_texts:
        toks = segment(text)
        want = _plain_assess(model, text, toks)
        assert _as_tuple(model.assess(text, toks)) == want, text
        flagged += want[4] == "machine-rewritten"
        phrases += len(want[0])
        signals |= {p[5] for p in want[0]}
    assert flagged > 10 and phrases > 300
    assert {"slot", "register", "thesaurus", "fingerprint-phrase"} <= signals


def test_remembered_density_follows_the_tokens(random_texts):
    """The density memo tells apart two cuts of one text, and tokens built from their strings
    (another text object) from tokens that hold the text itself."""
    import random

    import numpy as np

    from summary_analysis.segment import Tokens

    rng = random.Random(99)
    model = PlausibilityModel()
    swap = {"公开": "敞开", "政府": "官府", "信息": "讯号", "群众": "民众", "部门": "科室"}
    changed = 0
    for text in random_texts[:8]:
        toks = segment(text)
        ends = toks.ends.tolist()
        # another cut: two neighbouring tokens merged here and there
        merged = [e for e in ends[:-1] if rng.random() > 0.3] + [ends[-1]]
        other = Tokens(text=text, ends=np.array(merged))
        from_words = Tokens(words=[w for w in toks.words])
        # strings that are not the text's (a synonym of the same length swapped in)
        swapped = Tokens(words=[swap.get(w, w) for w in toks.words])
        for t in (toks, other, from_words, swapped, toks):
            assert model.density(text, t) == PlausibilityModel().assess(text, t).density
        # each cut has its own entry, found again; a copy of the text is the same text
        for t in (toks, other, from_words, swapped):
            assert model._densities.get(text, t, model._settings()) == model.density(text, t)
            assert model._densities.get(text[:1] + text[1:], t, model._settings()) == model.density(text, t)
        # tokens sharing an array of offsets with another text are not taken for it
        assert model._densities.get(text + "。", Tokens(text=text + "。", ends=toks.ends),
                                    model._settings()) is None
        changed += model.density(text, swapped) != model.density(text, toks)
    assert changed >= 4


def test_remembered_density_is_forgotten_with_the_tokens(random_texts):
    """An entry of the density memo lives as long as its tokens' offsets, and answers only for
    the same text, tokens' text and settings."""
    import gc

    model = PlausibilityModel()
    toks = [segment(text) for text in random_texts[:6]]
    for text, t in zip(random_texts, toks):
        model.assess(text, t)
    assert len(model._densities) == 6
    first = toks[0]
    assert model._densities.get(random_texts[0], first, model._settings()) == model.assess(random_texts[0], first).density
    assert model._densities.get(random_texts[1], first, model._settings()) is None
    assert model._densities.get(random_texts[0], first, ("register",) + model._settings()[1:]) is None
    del toks[:3], first, t
    gc.collect()
    assert len(model._densities) == 3


def test_disjoint_spans_equal_plain_overlap_test():
    """_DisjointSpans.overlaps equals ``any(s < end and start < e)`` over the spans added so
    far, on seeded random spans added in any order (as assess adds phrases: a span joins only
    when it overlaps none)."""
    import random

    from summary_analysis.rewrite.plausibility import _DisjointSpans

    rng = random.Random(31)
    added = overlapping = 0
    for _ in range(300):
        first = []
        for _ in range(rng.randint(0, 3)):  # disjoint initial spans, as the phrase fingerprints
            s = rng.randrange(0, 200)
            span = (s, s + rng.randint(1, 6))
            if not any(a < span[1] and span[0] < b for a, b in first):
                first.append(span)
        plain, fast = list(first), _DisjointSpans(first)
        for _ in range(rng.randint(1, 60)):
            s = rng.randrange(0, 200)
            span = (s, s + rng.randint(1, 8))
            want = any(a < span[1] and span[0] < b for a, b in plain)
            assert fast.overlaps(*span) == want, (plain, span)
            overlapping += want
            if not want:
                plain.append(span)
                fast.add(*span)
                added += 1
    assert added > 2000 and overlapping > 2000


def test_remembered_frames_equal_plain_frames(frame_texts, random_texts):
    """_remembered_frame (the dictionary frame remembered per word and the runs of up to four
    ideographs on either side, across documents) equals the plain frame search at every
    position."""
    import random

    model = PlausibilityModel()
    # texts that spell dictionary frames with three or four characters on one side, around
    # another word of the class of the frame's middle, next to the same frame with its outer
    # characters changed (the same characters nearer the middle, another answer)
    rng = random.Random(5)
    index = res.dictionary_frame_index()
    by_class: dict[str, list[str]] = {}
    for x in sorted(w for w in model.words if len(w) == 2 and res.is_cjk(w))[::7]:
        by_class.setdefault(model.words[x][1][:1], []).append(x)
    long_left = sorted(k for k, v in index.items() if len(v) == 2 and len(k.split("\0")[0]) >= 3)
    long_right = sorted(k for k, v in index.items() if len(v) == 2 and len(k.split("\0")[1]) >= 2)
    spelled = []
    for key in rng.sample(long_left, 300) + rng.sample(long_right, 300):
        left, right = key.split("\0")
        middle = index[key]
        w = rng.choice(by_class.get(model.words.get(middle, (0, "x"))[1][:1], ["信息"]))
        spelled += [("某" * (len(left) - k) + left[-k:] if k else left) + w + right + "。。。。"
                    for k in (0, *range(2, len(left)))]
        spelled += ["。。。。" + left + w + right[:k] + "某" * (len(right) - k) for k in range(1, len(right) + 1)]
    texts = ["".join(spelled[k:k + 40]) for k in range(0, len(spelled), 40)]
    checked = found = 0
    for text in texts + frame_texts + random_texts[::3]:
        folded = fold(text)
        for s0 in range(len(folded) - 1):
            w = folded[s0:s0 + 2]
            if w not in model.words:
                continue
            want = _plain_dictionary_frame(model, w, folded, s0, s0 + 2)
            assert model._remembered_frame(w, folded, s0, s0 + 2) == want, (text, s0)
            checked += 1
            found += want is not None
    assert checked > 5000 and found > 150
