"""A group of copies of one report (many units filing the same text with their own names and
figures) is checked pair by pair: the per-document work of the paired rewrite check (sentences,
their character codes) is done once per document, not once per pair, and those shortcuts change
no result.

Found by the session-12 first-use test: 30 renamed copies of one report took 15.7 s, 80 took
82 s, two thirds of it in the REW001 check splitting and indexing the same texts again for
every pair (and running difflib on sentences copied as they are)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinners import DISJOINT_TABLE, change_names_figures, spin
from summary_analysis import Document
from summary_analysis.rewrite import align as al
from summary_analysis.rewrite.paired import detect_paired_rewrites
from summary_analysis.segment import segment
from summary_analysis.similarity import align as sim_align

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def group():
    """Eight copies of the Shuyang report with names and figures changed (seeded) and two spun
    copies (synonym substitution at 30%), as documents, tokens and every pair of them."""
    text = (CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    texts = {f"copy{k}.md": change_names_figures(text, seed=k) for k in range(8)}
    texts.update({f"spun{k}.md": spin(text, DISJOINT_TABLE, 0.3, seed=k).text for k in range(2)})
    docs = {d: Document(d, d, t, d) for d, t in texts.items()}
    tokens = {d: segment(t) for d, t in texts.items()}
    ids = sorted(docs)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    return docs, tokens, pairs


def _clear():
    for cache in (al._SENTENCES, al._CODES):
        cache._items.clear()
        cache._chars = 0


def test_each_document_is_split_and_indexed_once_for_the_whole_group(group, monkeypatch):
    docs, tokens, pairs = group
    built = []
    real = al._SentenceCodes

    def counting(text):
        built.append(text)
        return real(text)

    monkeypatch.setattr(al, "_SentenceCodes", counting)
    _clear()
    found = detect_paired_rewrites(docs, tokens, pairs)
    # once per document, whatever each pair skips (session 13: the codes were rebuilt for each
    # pair's skipped sentences, quadratic for a report holding hundreds of others)
    assert len(pairs) == 45 and len(built) == len(set(built)) == len(docs)
    # the spun copies are still found, against the source's copies, and nothing else is
    assert {f.doc_id for f in found} == {"spun0.md", "spun1.md"}


def test_shortcuts_change_no_finding(group, monkeypatch):
    """The same REW001 findings, evidence included, with the caches at no size and the
    copied-sentence shortcut bypassed (a sentence pair with equal tokens goes to difflib)."""
    docs, tokens, pairs = group
    _clear()
    fast = [f.to_dict() for f in detect_paired_rewrites(docs, tokens, pairs)]
    monkeypatch.setattr(al._SENTENCES, "budget", 0)
    monkeypatch.setattr(al._CODES, "budget", 0)
    _clear()
    real = al.token_substitutions

    def through_difflib(pair, ta, tb):
        subs, equal, n = real(pair, ta, tb)
        wa, _ = al._token_slice(ta, pair.a.span)
        wb, _ = al._token_slice(tb, pair.b.span)
        if wa == wb:  # the shortcut's answer is difflib's: one equal block, nothing replaced
            blocks = al.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
            assert [op for op, *_ in blocks] == (["equal"] if wa else []) and not subs and equal == n
        return subs, equal, n

    monkeypatch.setattr(al, "token_substitutions", through_difflib)
    import summary_analysis.rewrite.paired as paired

    monkeypatch.setattr(paired, "token_substitutions", through_difflib)
    slow = [f.to_dict() for f in detect_paired_rewrites(docs, tokens, pairs)]
    assert fast == slow
    # each spun copy is a rewrite of every renamed copy of its source
    assert {(f["doc_id"], f["related_doc_id"]) for f in fast} >= {
        (f"spun{k}.md", f"copy{c}.md") for k in range(2) for c in range(8)}
    assert not al._SENTENCES._items and not al._CODES._items


def test_sentences_gives_a_new_list_each_time():
    text = "第一句。第二句！第三句"
    first = al.sentences(text)
    first.append("x")
    assert [s.text for s in al.sentences(text)] == ["第一句。", "第二句！", "第三句"]


def test_text_cache_keeps_within_its_budget():
    cache = al._TextCache(10)
    made = []

    def make(text):
        made.append(text)
        return text.upper()

    for text in ("abcd", "efgh", "abcd", "ijkl", "abcd", "efgh", "x" * 11, "x" * 11):
        assert cache.get(text, (), make) == text.upper()
    # abcd hit once (second read), efgh pushed out by ijkl and read again; the text over the
    # budget is never kept
    assert made == ["abcd", "efgh", "ijkl", "efgh", "x" * 11, "x" * 11]
    assert cache._chars <= 10


def test_digit_edits_found_once_per_alignment_equal_the_per_block_search(group, monkeypatch):
    """Passage edits (DUP evidence) with the digit positions found once per alignment equal
    those found by scanning each exact block, on every pair of the group."""
    docs, _, pairs = group

    def per_block(ca, cb, text_a, text_b, digits, a0, a1, b0):
        out = []
        for p in (sim_align.np.nonzero(ca.codes[a0:a1] == sim_align.DIGIT_CLASS)[0]).tolist():
            i, j = a0 + p, b0 + p
            sa, sb = (int(ca.starts[i]), int(ca.ends[i])), (int(cb.starts[j]), int(cb.ends[j]))
            if text_a[sa[0]:sa[1]] != text_b[sb[0]:sb[1]]:
                out.append(sim_align.Edit(sa, sb, True))
        return out

    got = [sim_align.align(docs[a].text, docs[b].text) for a, b in pairs]
    monkeypatch.setattr(sim_align, "_digit_edits", per_block)
    want = [sim_align.align(docs[a].text, docs[b].text) for a, b in pairs]
    assert got == want
    assert sum(e.digits for ps in got for p in ps for e in p.edits) > 0
