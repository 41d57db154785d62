"""The sentence alignment of REW001 (rewrite/align.py) equals its plain definition: difflib's
ratio for every candidate pair, the candidates by shared bigrams in Python dicts, the greedy
choice over all of them (the reference below, the implementation of the previous release)."""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from summary_analysis import read_documents
from summary_analysis.rewrite import align
from summary_analysis.rewrite.align import (MIN_SENTENCE_CJK, MIN_SENTENCE_RATIO, TokenPositions,
                                            align_sentences, matched_characters, sentences,
                                            token_substitutions)
from summary_analysis.segment import segment

ROOT = Path(__file__).resolve().parents[1]


def _reference_alignment(text_a: str, text_b: str) -> list[tuple]:
    """``(span_a, span_b, ratio)`` of the aligned sentences, sorted by ``span_a``: every
    candidate (the four sentences of ``text_b`` sharing most distinct bigrams, ties first in
    ``text_b``, lengths within a factor 2) scored with difflib, then taken greedily."""
    cjk = align._CJK
    sa = [s for s in sentences(text_a) if len(cjk.findall(s.text)) >= MIN_SENTENCE_CJK]
    sb = [s for s in sentences(text_b) if len(cjk.findall(s.text)) >= MIN_SENTENCE_CJK]

    def bigrams(s: str) -> set[str]:
        return {s[i:i + 2] for i in range(len(s) - 1)}

    index: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(sb):
        for g in bigrams(s.text):
            index[g].append(j)
    scored = []
    for i, s in enumerate(sa):
        counts: dict[int, int] = defaultdict(int)
        for g in bigrams(s.text):
            for j in index.get(g, ()):
                counts[j] += 1
        for j, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4]:
            la, lb = len(s.text), len(sb[j].text)
            if min(la, lb) / max(la, lb) < 0.5:
                continue
            r = SequenceMatcher(None, s.text, sb[j].text, autojunk=False).ratio()
            if r >= MIN_SENTENCE_RATIO:
                scored.append((-r, i, j))
    scored.sort()
    used_a, used_b, out = set(), set(), []
    for neg_r, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        out.append((sa[i].span, sb[j].span, -neg_r))
    return sorted(out)


def _alignment(text_a: str, text_b: str) -> list[tuple]:
    return [(p.a.span, p.b.span, p.ratio) for p in align_sentences(text_a, text_b)]


@pytest.fixture(scope="module")
def text_pairs():
    """Seeded pairs of texts: the corpus documents with each other, generated reports with
    their spun copies (both spinners) and with each other, and random strings over a few
    characters (ideographs, punctuation, line breaks, digits)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from spinners import DISJOINT_TABLE, generate_reports, spin, thesaurus_table

    corpus = sorted(read_documents(str(ROOT / "corpus")), key=lambda d: d.doc_id)
    texts = [d.text for d in corpus]
    rng = random.Random(20261129)
    pairs = [(a, b) for a in texts for b in rng.sample(texts, 3)]
    generated = generate_reports(texts, 12, seed=7)
    for k, text in enumerate(generated):
        table = thesaurus_table() if k % 2 else DISJOINT_TABLE
        spun = spin(text, table, 0.3, seed=k).text
        pairs += [(text, spun), (spun, text), (text, generated[k - 1])]
    alphabet = "政府信息公开工作报告依申请。，；\n12a"
    for _ in range(300):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        pairs.append((a, b if rng.random() < 0.5 else a[::-1] + b[:50]))
    return pairs


def test_matched_characters_equal_difflib(text_pairs):
    rng = random.Random(5)
    cases = []
    for a, b in text_pairs[:60]:
        sa, sb = [s.text for s in sentences(a)], [s.text for s in sentences(b)]
        if sa and sb:
            cases += [(rng.choice(sa), rng.choice(sb)) for _ in range(20)]
    cases += [("".join(rng.choice("abc") for _ in range(rng.randint(0, 25))),
               "".join(rng.choice("abc") for _ in range(rng.randint(0, 25)))) for _ in range(2000)]
    cases += [("", ""), ("a", ""), ("abc", "abc"), ("abab", "baba")]
    for a, b in cases:
        blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        assert matched_characters(a, b) == sum(m.size for m in blocks), (a, b)
        assert align._ratio(a, b) == SequenceMatcher(None, a, b, autojunk=False).ratio()


def test_alignment_equals_reference(text_pairs):
    aligned = 0
    for a, b in text_pairs:
        got = _alignment(a, b)
        assert got == _reference_alignment(a, b)
        aligned += len(got)
    assert aligned > 500


def test_alignment_in_small_blocks_is_the_same(text_pairs, monkeypatch):
    """The candidate search cut into blocks of sentences (as for very long texts) finds the
    same candidates."""
    whole = [_alignment(a, b) for a, b in text_pairs[:40]]
    monkeypatch.setattr(align, "_MEETINGS_PER_BLOCK", 7)
    assert [_alignment(a, b) for a, b in text_pairs[:40]] == whole


def test_token_positions_give_the_same_substitutions(text_pairs):
    for a, b in text_pairs[:40]:
        ta, tb = segment(a), segment(b)
        pa, pb = TokenPositions(ta), TokenPositions(tb)
        for pair in align_sentences(a, b):
            assert token_substitutions(pair, pa, pb) == token_substitutions(pair, ta, tb)


def _pieces(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    from summary_analysis.rewrite.align import split_block

    return [("".join(a[k1:k2]), "".join(b[l1:l2])) for k1, k2, l1, l2 in split_block(a, b)]


def test_split_block_cuts_where_both_sides_end_a_token():
    # the seed page's 篇4 against 篇1, tokens as jieba cuts them
    assert _pieces(["坚定", "以", "工钱", "本"], ["坚持", "以人为本"]) == [("坚定", "坚持"), ("以工钱本", "以人为本")]
    assert _pieces(["环绕", "保护", "大众", "切身", "长处", "强化", "政务", "果然"],
                   ["围绕", "维护", "群众", "切身利益", "深化", "政务公开"]) == [
        ("环绕", "围绕"), ("保护", "维护"), ("大众", "群众"), ("切身长处强化", "切身利益深化"), ("政务果然", "政务公开")]
    # a word dropped on one side makes a one-sided piece
    assert _pieces(["经过", "议定", "这", "类", "式样"], ["通过", "这种", "形式"]) == [
        ("经过", "通过"), ("议定", ""), ("这类式样", "这种形式")]
    # no shared character: one piece, the whole block
    assert _pieces(["甲乙", "丙丁"], ["戊己", "庚辛"]) == [("甲乙丙丁", "戊己庚辛")]


def test_split_block_pieces_cover_both_sides_in_order():
    import random

    from summary_analysis.rewrite.align import split_block

    rng = random.Random(31)
    alphabet = "政务公开工作信息群众服务加强推进完善机制"
    for _ in range(300):
        a = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 7))]
        b = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 7))]
        pieces = split_block(a, b)
        assert pieces[0][0] == 0 and pieces[0][2] == 0
        assert pieces[-1][1] == len(a) and pieces[-1][3] == len(b)
        for (k1, k2, l1, l2), nxt in zip(pieces, pieces[1:] + [None]):
            assert k1 <= k2 and l1 <= l2 and (k1, l1) != (k2, l2)
            if nxt:
                assert (nxt[0], nxt[2]) == (k2, l2)
        # the pieces, joined, give back both sides
        assert "".join("".join(a[k1:k2]) for k1, k2, _, _ in pieces) == "".join(a)
        assert "".join("".join(b[l1:l2]) for _, _, l1, l2 in pieces) == "".join(b)


def test_skipped_sentences_take_no_part_with_the_codes_built_once():
    """Found by the session-13 second hostile-input test: a report holding hundreds of others
    is in hundreds of pairs, each skipping other sentences, and its sentence codes were rebuilt
    for every pair (quadratic: 300 reports, 28 s). The codes are now built once per text and
    the skipped sentences masked: the alignment equals that of the texts with the skipped
    sentences blanked out (seeded random texts and skips)."""
    rng = random.Random(1313)
    words = ["政务", "公开", "工作", "推进", "落实", "群众", "服务", "制度", "信息", "平台", "及时", "规范"]

    def text(n):
        return "".join("".join(rng.choice(words) for _ in range(rng.randint(4, 9))) + rng.choice("。；！\n")
                       for _ in range(n))

    def blank(t, skip):
        chars = list(t)
        for a, b in skip:
            chars[a:b] = " " * (b - a)
        return "".join(chars)

    compared = 0
    for _ in range(25):
        ta, tb = text(rng.randint(5, 30)), text(rng.randint(5, 30))
        skip_a = frozenset(s.span for s in align.sentences(ta) if rng.random() < 0.3)
        skip_b = frozenset(s.span for s in align.sentences(tb) if rng.random() < 0.3)
        got = [(p.a.span, p.b.span, p.ratio) for p in align.align_sentences(ta, tb, skip_a, skip_b)]
        want = [(p.a.span, p.b.span, p.ratio) for p in align.align_sentences(blank(ta, skip_a), blank(tb, skip_b))]
        assert got == want
        assert not {a for a, _, _ in got} & skip_a and not {b for _, b, _ in got} & skip_b
        compared += len(got)
        assert align._sentence_codes(ta) is align._sentence_codes(ta)  # one build per text
    assert compared > 50


def test_long_texts_skip_common_bigrams_with_the_same_alignment(monkeypatch):
    """Found by the session-13 hostile-input test: two long similar texts (272,000 characters)
    took 80 s to align, every sentence holding 工作 meeting every other. A bigram in more
    sentences of the other text than COMMON_BIGRAM_MIN (or 4 * sqrt of its sentences) makes no
    candidates now: on the corpus joined twice (about 1,000 sentences a side) the alignment is
    the same, with a fifth fewer bigram meetings; twice more text, half the meetings."""
    sys.path.insert(0, str(Path(__file__).parent))
    from spinners import DISJOINT_TABLE, spin

    base = "\n".join(d.text for d in sorted(read_documents(str(ROOT / "corpus")), key=lambda d: d.doc_id))
    text = base + "\n" + base
    spun = spin(text, DISJOINT_TABLE, 0.2, seed=5).text
    meetings = []
    real = align._without_common_bigrams
    monkeypatch.setattr(align, "_without_common_bigrams",
                        lambda n, rows, nb: (lambda kept: meetings.append((int(n.sum()), int(kept.sum()))) or kept)(
                            real(n, rows, nb)))
    capped = _alignment(spun, text)
    monkeypatch.setattr(align, "_CODES", align._TextCache(align.TEXT_CACHE_CHARS))
    monkeypatch.setattr(align, "COMMON_BIGRAM_MIN", 10 ** 9)
    assert _alignment(spun, text) == capped
    assert len(capped) > 900
    (before, after), (same, same_after) = meetings
    assert same == same_after == before and after < 0.85 * before


def test_a_sentence_of_common_bigrams_only_keeps_its_candidates():
    import numpy as np

    rows = np.array([0, 0, 1, 1, 2], dtype=np.int64)      # bigrams of sentences 0, 1, 2
    n = np.array([900, 3, 900, 950, 0], dtype=np.int64)  # sentences of the other text holding each
    kept = align._without_common_bigrams(n, rows, nb=1000)  # cap: max(256, 4 * 31) = 256
    assert kept.tolist() == [0, 3, 900, 950, 0]  # 0 drops its common bigram; 1 has only common ones
    assert align._without_common_bigrams(n[:2] // 10, rows[:2], nb=1000).tolist() == [90, 0]
