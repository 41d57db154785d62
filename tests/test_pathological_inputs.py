"""Inputs that made a stage's work grow with the square of their size (session-12 hostile-input
test): a line of 490,000 dots (the table-of-contents test), a 480,000-character run without
punctuation (jieba's HMM), 50,000 repetitions of a spun phrase (REW002's overlap test). Each
fix is checked to change no result on ordinary text; the pathological inputs themselves run
in the suite (they took minutes before, and take seconds)."""

from __future__ import annotations

import random
import re
from collections import Counter

from conftest import needs_rjieba
from summary_analysis import Document
from summary_analysis.pipeline import analyze_document
from summary_analysis.rewrite import default_model
from summary_analysis.sections import TOC_ENTRY_END
from summary_analysis.segment import MAX_RUN, cut, segment

#: The table-of-contents pattern before the fix: each leader run tried from every character.
OLD_TOC_ENTRY_END = re.compile(r"(?:…|\.{3,}|·{3,}|—{2,}|-{3,}|_{3,})[ \t\u3000]*\d{1,3}[ \t\u3000]*$")


def test_toc_leader_tried_from_its_first_character_finds_what_it_found():
    rng = random.Random(12)
    pieces = [".", "..", "...", "·", "···", "—", "——", "-", "---", "_", "___", "…", " ", "\u3000", "\t", "1",
              "12", "123", "1234", "总体情况", "一、", "\n"]
    hits = 0
    for _ in range(20000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        for pos in (0, min(3, len(line))):
            old = OLD_TOC_ENTRY_END.search(line, pos) is not None
            assert (TOC_ENTRY_END.search(line[pos:]) is not None) == old, (line, pos)
            hits += old
    assert hits > 1000


def test_a_line_of_dots_is_checked_in_seconds():
    text = "某局2024年工作总结\n一、总体情况\n" + "." * 300_000 + "\n二、存在的问题\n不足。\n"
    a = analyze_document(Document("dots.txt", "某局2024年工作总结", text, "dots.txt"))
    assert [s.number for s in a.sections] == ["一、", "二、"]
    assert not [f for f in a.findings if f.rule == "ING006"]


def test_a_long_run_is_cut_in_pieces_of_max_run_characters():
    run = "政务公开" + "工" * (2 * MAX_RUN + 500)
    text = "第一段。" + run + "，第二段。"
    tokens = cut(text, "jieba")
    assert "".join(tokens) == text
    pieces = [run[k:k + MAX_RUN] for k in range(0, len(run), MAX_RUN)]
    assert tokens == cut("第一段。", "jieba") + [t for p in pieces for t in cut(p, "jieba")] + cut("，第二段。", "jieba")
    # a run one character short of the limit is one block, as jieba cuts it
    import jieba

    short = "工作" * ((MAX_RUN - 1) // 2)
    assert cut(short, "jieba") == jieba.lcut(short)


@needs_rjieba
def test_both_backends_cut_a_long_run_alike():
    text = "本机关" + "政务公开工作" * 2000 + "。" + "工" * 5000
    assert cut(text, "fast") == cut(text, "jieba")


def test_each_repetition_of_a_spun_phrase_is_found_once():
    n = 3000
    text = "某局2024年工作总结\n" + "政务果然工作德律风" * n
    a = default_model().assess(text, segment(text))
    fingerprints = [p for p in a.phrases if p.signal == "fingerprint-phrase"]
    assert len(fingerprints) == n
    spans = sorted(p.span for p in a.phrases)
    assert all(e <= s for (_, e), (s, _) in zip(spans, spans[1:]))  # no two overlap
    assert Counter(p.text for p in a.phrases)["德律风"] == n


def test_the_toc_test_skips_the_pattern_only_where_it_cannot_match():
    """is_toc_entry searches TOC_ENTRY_END only when the text ends in a digit (spaces and one
    line break after it allowed): the same answers as the pattern alone."""
    from summary_analysis.sections import is_toc_entry

    rng = random.Random(5)
    pieces = ["...", "……", "——", "总体情况", "1", "12", "１２", "٣", " ", "\u3000", "\t", "\n", "。", "a"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))
        assert is_toc_entry(text) == (TOC_ENTRY_END.search(text) is not None), repr(text)
