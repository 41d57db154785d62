"""The figures stage's fast paths give the same answers as the plain definitions they replace.

Extraction used to rescan every claimed range for each new figure, slice each line from its
start for each number and walk each clause character by character; on one very long line that
was quadratic. These tests check the replacements (bisection over claims and clause boundaries,
a bounded look-back for list numbering) against the definitions, on seeded data and on the
corpus. Timing is kept out of tests: ``benchmarks/long_line.py`` measures the scaling.
"""

from __future__ import annotations

import random

import pytest

from summary_analysis import read_documents
from summary_analysis.document import Document
from summary_analysis.figures import extract, extract_figures
from summary_analysis.figures.metric import AFTER_BOUNDARY, BEFORE_BOUNDARY, ClauseBounds, clause_metric
from summary_analysis.figures.numbers import scan_numbers

from conftest import SHUYANG


@pytest.fixture(scope="session")
def shuyang():
    return read_documents([str(SHUYANG)])[0]


def test_claims_agree_with_scan_of_all_ranges():
    rng = random.Random(7)
    for trial in range(200):
        claims = extract._Claims()
        ranges = []
        for _ in range(60):
            s = rng.randrange(0, 500)
            e = s + rng.randrange(1, 12)
            brute = any(a < e and s < b for a, b in ranges)
            assert claims.overlaps(s, e) == brute
            # the passes claim only free text; now and then force an overlap to test the fallback
            if not brute or trial % 10 == 0:
                claims.add(s, e)
                ranges.append((s, e))
        for _ in range(100):
            s = rng.randrange(0, 520)
            e = s + rng.randrange(0, 15)
            assert claims.overlaps(s, e) == any(a < e and s < b for a, b in ranges)


def test_bare_lead_agrees_with_strip():
    rng = random.Random(11)
    alphabet = " \t#|（(（)x一\n"
    for _ in range(20000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 9)))
        s = len(t)
        line_start = t.rfind("\n", 0, s) + 1
        lead = t[line_start:s].strip(" \t#|")
        assert extract._bare_lead(t, line_start, s) == (not lead or lead in "（(")


def test_clause_bounds_agree_with_walk(shuyang):
    ft = shuyang.folded
    bounds = ClauseBounds(ft)
    for pos in range(0, len(ft) + 1, 7):
        j = pos
        while j > 0 and ft[j - 1] not in BEFORE_BOUNDARY:
            j -= 1
        k = pos
        while k < len(ft) and ft[k] not in AFTER_BOUNDARY:
            k += 1
        assert (bounds.clause_start(pos), bounds.clause_end(pos)) == (j, k)
    numbers = scan_numbers(ft)
    assert len(numbers) > 100
    for nm in numbers:
        for prenominal in (False, True):
            assert clause_metric(ft, nm.start, nm.end + 1, prenominal, bounds=bounds) == \
                clause_metric(ft, nm.start, nm.end + 1, prenominal)


def test_long_single_line_uses_the_fast_claims(shuyang, monkeypatch):
    """Shuyang's report joined into one line (seeded shuffle of its lines, 8 copies): every
    claim stays on the bisection path and the figures keep their raw text."""
    created = []

    class Recording(extract._Claims):
        def __init__(self):
            super().__init__()
            created.append(self)

    monkeypatch.setattr(extract, "_Claims", Recording)
    lines = [ln for ln in shuyang.text.split("\n") if ln.strip()]
    rng = random.Random(3)
    parts = []
    for _ in range(8):
        rng.shuffle(lines)
        parts.extend(lines)
    text = " ".join(parts)
    doc = Document("long-line", "long line", text, "generated")
    figs = extract_figures(doc, [])
    assert len(created) == 1 and created[0]._disjoint
    assert len(created[0].ranges) == len(figs) > 8 * 100
    assert all(text[f.span.start:f.span.end] == f.raw for f in figs)
    assert [f.span for f in figs] == sorted(f.span for f in figs)


def test_folded_is_cached_and_offset_preserving(shuyang):
    from summary_analysis.normalize import fold

    assert shuyang.folded == fold(shuyang.text)
    assert shuyang.folded is shuyang.folded
    plain = Document("p", "t", "主动公开政府信息68条。", "p")
    assert plain.folded is plain.text  # nothing to fold: no second copy
    wide = Document("w", "t", "主动公开政府信息６８条。", "w")
    assert wide.folded == "主动公开政府信息68条。" and len(wide.folded) == len(wide.text)


def test_metric_of_a_figure_in_an_unpunctuated_line_stays_short():
    """Regression: a line with no punctuation made every metric the whole line (quadratic)."""
    from summary_analysis.document import Document
    from summary_analysis.figures import extract_figures
    from summary_analysis.figures.metric import MAX_CLAUSE_CHARS

    text = "全年新增办理数据12件并且" * 3000
    figs = extract_figures(Document("x", "x", text, "x"), [])
    assert len(figs) == 3000
    assert all(f.metric is None or len(f.metric) <= MAX_CLAUSE_CHARS for f in figs)
    assert all(text[f.span.start:f.span.end] == f.raw for f in figs)


def test_sentence_bounds_and_bracket_depth_agree_with_walking_the_text():
    """:class:`consistency._Text` (found once per text) against the character walks it replaced:
    the walks, at every 其中, made a long line without 。 and with many 其中 cubic (found by the
    session-10 hostile-input test: 40,000 characters took 33 s, 499,000 did not end)."""
    from summary_analysis.figures import consistency

    def walk(ft, pos):
        a = pos
        while a > 0 and ft[a - 1] not in consistency._SENTENCE_END:
            a -= 1
        b = pos
        while b < len(ft) and ft[b] not in consistency._SENTENCE_END:
            b += 1
        return a, b

    rng = random.Random(23)
    alphabet = "其中件（）()。！？!?\n，；12 "
    for _ in range(3000):
        ft = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        tx = consistency._Text(ft)
        for pos in range(len(ft) + 1):
            assert tx.sentence(pos) == walk(ft, pos), (ft, pos)
        for _ in range(5):
            a = rng.randrange(0, len(ft) + 1)
            b = rng.randrange(a, len(ft) + 1)
            seg = ft[a:b]
            assert tx.bracket_depth(a, b) == seg.count("（") + seg.count("(") - seg.count("）") - seg.count(")")


def test_breakdowns_on_one_long_sentence_with_many_qizhong(shuyang):
    """The hostile input's shape, built from the Shuyang report's own sentence: one line, no 。,
    the statement repeated; every repetition is one breakdown (total 749, parts 741 and 8)."""
    from dataclasses import replace

    from summary_analysis.figures.consistency import breakdowns

    t = shuyang.text
    start = t.index("受理政府信息公开申请 749 件")
    unit = t[start:t.index("。", start)].replace("\n", "") + "；"
    assert "其中" in unit
    doc = replace(shuyang, text="全年" + unit * 400)
    bds = breakdowns(doc, extract_figures(doc, []))
    assert len(bds) == 400
    assert {(bd.total.value, tuple(p.value for p in bd.parts)) for bd in bds} == {(749, (741, 8))}


def test_breakdowns_stop_at_the_next_qizhong(shuyang):
    """Found by the session-13 hostile-input test: '共计1.5万元，其中' repeated 20,000 times on one
    line (no 。, no ；) gave each 其中 the figures of all the later ones as parts: 223 s and
    1.75 GB. A 其中's parts now end where the next 其中 begins (its breakdown is of one of them),
    so the parts of all breakdowns together are fewer than the figures."""
    from dataclasses import replace

    from summary_analysis.figures import check_figures
    from summary_analysis.figures.consistency import breakdowns

    doc = replace(shuyang, text="一、主要工作\n" + "共计1.5万元，其中" * 3000 + "\n")
    figs = extract_figures(doc, [])
    bds = breakdowns(doc, figs)
    assert len(figs) == 3000 and len(bds) == 2999
    assert sum(len(bd.parts) for bd in bds) == 2999
    assert check_figures(doc, figs, None, []) == []
    # a nested 其中 takes the parts after it; the outer keeps its own (and its partition)
    nested = replace(shuyang, text="共收到申请100件，其中自然人80件、法人20件，其中线上50件、线下30件。")
    outer, inner = breakdowns(nested, extract_figures(nested, []))
    assert [p.value for p in outer.parts] == [80, 20] and [p.value for p in outer.partition] == [80, 20]
    assert (inner.total.value, [p.value for p in inner.parts]) == (20, [50, 30])
