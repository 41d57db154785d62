"""Passage alignment: the stretches two texts share, allowing small edits inside.

Method (seed-and-extend, as in BLAST or MOSS's passage display): every shingle the two compact
texts (:func:`.shingle.compact`) have in common is an anchor; anchors on one diagonal at
consecutive positions form exact runs; non-overlapping runs are taken longest first (like
:class:`difflib.SequenceMatcher`'s matching blocks); runs that follow each other in both texts
with gaps of at most ``max_gap`` content characters are chained into one passage. The gaps are
the edits (a name, a year, a figure changed); digit runs are one character in the compact form,
so changed figures never break a run and are read back from the original text.

Every span is ``[start, end)`` in characters of the original texts.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from .shingle import DIGIT_CLASS, SHINGLE_SIZE, Compact, compact, hash_codes, in_sorted

#: Minimum passage length in content characters (the issue's 60 characters).
MIN_PASSAGE = 60
#: Largest edit (content characters, each side) bridged inside one passage.
MAX_GAP = 12
#: Smallest exact run used as an anchor (shingles, i.e. SHINGLE_SIZE + 1 characters).
MIN_RUN = 2
#: Shingles occurring more often than this in either text are not anchors.
MAX_REPEAT = 4


@dataclass(frozen=True)
class Edit:
    """One difference inside a passage: ``span`` in text A, ``related_span`` in text B
    (either may be empty, ``start == end``), ``digits`` True when both sides are figures."""

    span: tuple[int, int]
    related_span: tuple[int, int]
    digits: bool = False


@dataclass(frozen=True)
class Passage:
    """A passage both texts contain.

    Attributes
    ----------
    span : tuple[int, int]
        Character offsets in text A, end exclusive.
    related_span : tuple[int, int]
        Character offsets in text B.
    content : int
        Content characters (compact form) of the passage in A.
    matched : int
        Content characters of A not inside an edit (``matched / content`` near 1: few edits;
        changed figures count as matched, being one digit-class character on both sides).
    edits : tuple[Edit, ...]
        Differences inside the passage, in text order.
    """

    span: tuple[int, int]
    related_span: tuple[int, int]
    content: int
    matched: int
    edits: tuple[Edit, ...] = field(default=())

    @property
    def chars(self) -> int:
        """Length of the passage in text A, in characters."""
        return self.span[1] - self.span[0]


def _runs(ha: np.ndarray, hb: np.ndarray, skip: np.ndarray | None) -> np.ndarray:
    """Exact runs as rows ``(i0, j0, length_in_shingles)``."""
    if ha.shape[0] == 0 or hb.shape[0] == 0:
        return np.zeros((0, 3), dtype=np.int64)
    ua, ca = np.unique(ha, return_counts=True)
    ub, cb = np.unique(hb, return_counts=True)
    common, ia, ib = np.intersect1d(ua, ub, assume_unique=True, return_indices=True)
    ok = (ca[ia] <= MAX_REPEAT) & (cb[ib] <= MAX_REPEAT)
    if skip is not None and skip.shape[0]:
        ok &= ~in_sorted(common, skip)
    common = common[ok]
    if common.shape[0] == 0:
        return np.zeros((0, 3), dtype=np.int64)
    pa = np.nonzero(in_sorted(ha, common))[0]
    pb = np.nonzero(in_sorted(hb, common))[0]
    # pair every occurrence in A with every occurrence in B of the same hash
    ob = np.argsort(hb[pb], kind="stable")
    pb, vb = pb[ob], hb[pb][ob]
    lo = np.searchsorted(vb, ha[pa], side="left")
    hi = np.searchsorted(vb, ha[pa], side="right")
    cnt = hi - lo
    I = np.repeat(pa, cnt)
    offs = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    J = pb[np.repeat(lo, cnt) + offs]
    D = J - I
    order = np.lexsort((I, D))
    I, D = I[order], D[order]
    brk = np.ones(I.shape[0], dtype=bool)
    brk[1:] = (D[1:] != D[:-1]) | (I[1:] != I[:-1] + 1)
    starts = np.nonzero(brk)[0]
    lens = np.diff(np.concatenate([starts, [I.shape[0]]]))
    runs = np.stack([I[starts], I[starts] + D[starts], lens], axis=1)
    return runs[lens >= MIN_RUN]


def _select(runs: np.ndarray, n: int) -> list[tuple[int, int, int, int]]:
    """Non-overlapping runs, longest first, as compact ranges ``(a0, a1, b0, b1)``."""
    order = np.lexsort((runs[:, 0], -runs[:, 2]))
    taken: list[tuple[int, int, int, int]] = []
    a_cov: list[tuple[int, int]] = []
    b_cov: list[tuple[int, int]] = []
    for i0, j0, ln in runs[order]:
        i0, j0, ln = int(i0), int(j0), int(ln)
        clash = False
        # clash test on shingle ranges: runs split by one excluded shingle overlap in characters
        for cov, x0, x1 in ((a_cov, i0, i0 + ln), (b_cov, j0, j0 + ln)):
            k = bisect.bisect_left(cov, (x0, x0))
            if k < len(cov) and cov[k][0] < x1:
                clash = True
            if k > 0 and cov[k - 1][1] > x0:
                clash = True
        if clash:
            continue
        bisect.insort(a_cov, (i0, i0 + ln))
        bisect.insort(b_cov, (j0, j0 + ln))
        taken.append((i0, i0 + ln + n - 1, j0, j0 + ln + n - 1))
    taken.sort()
    return taken


def _digit_edits(ca: Compact, cb: Compact, text_a: str, text_b: str, digits: list[int], a0: int, a1: int,
                 b0: int) -> list[Edit]:
    """Figure edits inside the exact block ``ca[a0:a1]`` = ``cb[b0:...]``: each digit run (one
    wildcard code in the compact form) whose written digits differ. ``digits``: the sorted
    compact positions of ``ca``'s digit runs (found once for all the blocks)."""
    lo, hi = bisect.bisect_left(digits, a0), bisect.bisect_left(digits, a1)
    out = []
    for i in digits[lo:hi]:
        j = b0 + i - a0
        sa = (int(ca.starts[i]), int(ca.ends[i]))
        sb = (int(cb.starts[j]), int(cb.ends[j]))
        if text_a[sa[0]:sa[1]] != text_b[sb[0]:sb[1]]:
            out.append(Edit(sa, sb, True))
    return out


def _trim(chain: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Cut the character overlap between consecutive blocks of a chain (from the later block)."""
    out = [chain[0]]
    for a0, a1, b0, b1 in chain[1:]:
        cut = max(0, out[-1][1] - a0, out[-1][3] - b0)
        out.append((a0 + cut, a1, b0 + cut, b1))
    return out


def _edges(chain: list[tuple[int, int, int, int]], codes: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Drop digit runs at the two ends of a chain: a passage starts and ends on words.

    Digit runs are one wildcard character in the compact form, so an exact run can begin or end
    inside two different table rows ("| 0 | 0 |" against "| 2 | 0 | 101 |") and report figure
    changes that are only the passage's edges (seen with shuffled paragraphs).
    """
    out = list(chain)
    while out:
        a0, a1, b0, b1 = out[0]
        k = 0
        while a0 + k < a1 and codes[a0 + k] == DIGIT_CLASS:
            k += 1
        if a0 + k < a1:
            out[0] = (a0 + k, a1, b0 + k, b1)
            break
        out.pop(0)
    while out:
        a0, a1, b0, b1 = out[-1]
        k = 0
        while a1 - k > a0 and codes[a1 - k - 1] == DIGIT_CLASS:
            k += 1
        if a1 - k > a0:
            out[-1] = (a0, a1 - k, b0, b1 - k)
            break
        out.pop()
    return out


def _gap(c: Compact, i: int, j: int) -> tuple[int, int]:
    """Original span of compact characters ``i .. j-1``; empty span after ``i-1`` when i == j."""
    if j > i:
        return int(c.starts[i]), int(c.ends[j - 1])
    end = int(c.ends[i - 1])
    return end, end


def align(text_a: str, text_b: str, skip: np.ndarray | None = None, min_chars: int = MIN_PASSAGE,
          max_gap: int = MAX_GAP, n: int = SHINGLE_SIZE) -> list[Passage]:
    """Passages of at least ``min_chars`` content characters that both texts contain.

    Parameters
    ----------
    text_a, text_b : str
        The two texts (``Document.text``).
    skip : numpy.ndarray of uint64, sorted, optional
        Shingle hashes never used as anchors (the statutory format's fixed text, shingles
        frequent in the batch); passages may still run across them through the gap allowance.
    min_chars : int
        Minimum passage length in content characters (CJK, letters, digit runs) of text A.
    max_gap : int
        Largest edit bridged inside a passage, in content characters on each side.
    n : int
        Shingle size in characters.

    Returns
    -------
    list[Passage]
        Sorted by position in text A; spans are character offsets (end exclusive).
    """
    ca, cb = compact(text_a), compact(text_b)
    runs = _runs(hash_codes(ca.codes, n), hash_codes(cb.codes, n), skip)
    if runs.shape[0] == 0:
        return []
    blocks = _select(runs, n)
    chains: list[list[tuple[int, int, int, int]]] = []
    for blk in blocks:
        a0, a1, b0, b1 = blk
        best = None
        for c in reversed(chains[-8:]):
            la1, lb1 = c[-1][1], c[-1][3]
            ga, gb = a0 - la1, b0 - lb1
            if a0 <= c[-1][0] or b0 <= c[-1][2] or ga <= -n or gb <= -n:
                continue
            if (ga <= max_gap and gb <= max_gap) or (
                    ga == gb and ga <= 10 * max_gap and np.array_equal(ca.codes[la1:a0], cb.codes[lb1:b0])):
                # a small edit, or identical text whose shingles were not anchors (repeated
                # within a document, or the statutory format's fixed text)
                best = c
                break
        if best is None:
            chains.append([blk])
        else:
            best.append(blk)
    out = []
    digits = np.flatnonzero(ca.codes == DIGIT_CLASS).tolist()
    for c in chains:
        c = _edges(_trim(c), ca.codes)
        if not c:
            continue
        a0, a1, b0, b1 = c[0][0], c[-1][1], c[0][2], c[-1][3]
        content = a1 - a0
        if content < min_chars or (b1 - b0) < min_chars:
            continue
        matched = content
        edits: list[Edit] = []
        for k, (x0, x1, y0, y1) in enumerate(c):
            px1, py1 = (c[k - 1][1], c[k - 1][3]) if k else (x0, y0)
            if k and not np.array_equal(ca.codes[px1:x0], cb.codes[py1:y0]):
                matched -= max(x0 - px1, y0 - py1)
                edits.append(Edit(_gap(ca, c[k - 1][1], x0), _gap(cb, c[k - 1][3], y0), False))
            edits.extend(_digit_edits(ca, cb, text_a, text_b, digits, x0, x1, y0))
        out.append(Passage(ca.span(a0, a1), cb.span(b0, b1), content, matched, tuple(edits)))
    out.sort(key=lambda p: p.span)
    return out
