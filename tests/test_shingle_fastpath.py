"""Seeded property test guarding the table look-up path of ``similarity.shingle.compact``."""

from __future__ import annotations

import random

import numpy as np

from summary_analysis.similarity import shingle

from conftest import CORPUS


def _compact_by_comparisons(text: str):
    """compact() as first written: the comparisons on every code point."""
    arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    arr[(arr >= 0xFF01) & (arr <= 0xFF5E)] -= 0xFEE0
    arr[(arr >= 65) & (arr <= 90)] += 32
    digit = (arr >= 48) & (arr <= 57)
    keep = (digit | ((arr >= 97) & (arr <= 122)) | ((arr >= 0x3400) & (arr <= 0x9FFF))
            | ((arr >= 0xF900) & (arr <= 0xFAFF)) | (arr >= 0x20000) | (arr == 0xD7)
            | (arr == 0x25B2) | (arr == 0x3007))
    prev = np.zeros_like(digit)
    prev[1:] = digit[:-1]
    keep &= ~(digit & prev)
    idx = np.nonzero(keep)[0]
    codes = arr[idx]
    codes[digit[idx]] = shingle.DIGIT_CLASS
    ends = idx + 1
    for k, i in enumerate(idx):
        if digit[i]:
            j = i
            while j < len(arr) and digit[j]:
                j += 1
            ends[k] = j
    return codes, idx, ends


def test_compact_equals_the_comparisons_on_seeded_text():
    text = (CORPUS / "shuyang-county-2025-annual-report.md").read_text("utf-8")
    rng = random.Random(7)
    extra = "ＡＺａｚ０９Ａz09×▲〇㐀鿿豈﫿＿　 \t\n|-.%，。（）" + "".join(map(chr, range(0xFF00, 0xFF66)))
    rare = "𠀀𪚥😀"
    checked_rare = 0
    for i in range(600):
        parts = []
        for _ in range(rng.randint(1, 6)):
            a = rng.randrange(len(text) - 60)
            parts.append(text[a:a + rng.randint(0, 60)])
            parts.append("".join(rng.choice(extra) for _ in range(rng.randint(0, 8))))
        if i % 5 == 0:
            parts.append(rng.choice(rare))  # outside the BMP: the comparison path
            checked_rare += 1
        s = "".join(parts)
        got = shingle.compact(s)
        codes, starts, ends = _compact_by_comparisons(s)
        assert got.codes.dtype == np.uint32
        assert got.codes.tolist() == codes.tolist()
        assert got.starts.tolist() == starts.tolist()
        assert got.ends.tolist() == ends.tolist()
    assert checked_rare == 120


def test_text_of_digits_only_is_one_digit_run():
    """Regression (hostile-input run): a text with no non-digit character (a file holding just
    ``1``) made ``compact`` index an empty array, and the whole batch failed."""
    for text in ["1", "2025", "１２３", "7" * 1000]:
        got = shingle.compact(text)
        codes, starts, ends = _compact_by_comparisons(text)
        assert got.codes.tolist() == codes.tolist() == [shingle.DIGIT_CLASS]
        assert got.starts.tolist() == starts.tolist() == [0]
        assert got.ends.tolist() == ends.tolist() == [len(text)]


def test_batch_with_a_digits_only_file_is_analysed(tmp_path):
    from summary_analysis import analyze

    (tmp_path / "one-digit.txt").write_text("1", encoding="utf-8")
    (tmp_path / "digits.txt").write_text("2025\n", encoding="utf-8")
    batch = analyze([str(tmp_path)])
    assert sorted(batch.documents["doc_id"]) == ["digits.txt", "one-digit.txt"]
