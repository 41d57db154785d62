"""Exact verification of a candidate pair: shingle-set Jaccard and containment both ways, the
shared passages, and the verdict. A pure function of the two texts and their shingle sets, so a
distributed engine can run it on the pairs its LSH join produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .align import MIN_PASSAGE, Passage, align
from .shingle import DIGIT_CLASS, SHINGLE_SIZE, compact_codes, hash_codes, in_sorted, shingle_hashes, shingle_set

#: Each document needs this many discounted shingles to be compared at all (short or empty
#: documents never match).
MIN_SHINGLES = 40
#: Near-duplicate (DUP001) when the Jaccard similarity reaches this ...
NEAR_DUP_JACCARD = 0.5
#: ... or when this share of the smaller document's shingles occurs in the other.
NEAR_DUP_CONTAINMENT = 0.8
#: ... and the contained document's share found in the other before the batch-frequency discount
#: (statutory format discounted only) must reach this too, for a near-duplicate by containment.
CONTAINED_BEFORE_DISCOUNT = 0.5
#: Pairs at or above this Jaccard or containment are handed to the rewrite check (REW001):
#: machine-rewritten copies keep few shingles (seed #1/#4: 0.26).
CANDIDATE_SIMILARITY = 0.1
#: Align a pair only when it shares at least this many discounted shingles (a 60-character
#: passage with a few edits keeps more).
ALIGN_MIN_SHARED = 15
#: A passage is a copy (DUP002) when exact runs cover this share of it; rewrites keep less.
PASSAGE_MATCHED = 0.8
#: A passage most of whose shingles occur in this many documents of the batch is a stock phrase.
STOCK_DOCS = 3
#: ... unless at least this share of its shingles is found in fewer documents.
STOCK_RARE_SHARE = 0.02
#: A passage of this many content characters or more is never a stock phrase, however many
#: documents hold it: stock phrases are a sentence long; a paragraph in three documents is
#: a paragraph copied twice (found by the session-16 fresh-user test: a 241-character paragraph
#: pasted from one report into another was no finding once a third document held it).
STOCK_MAX_CHARS = 120


@dataclass(frozen=True)
class Verified:
    """Result of :func:`verify` for documents A and B.

    Attributes
    ----------
    jaccard, containment_ab, containment_ba : float
        Ratios 0..1 on discounted shingle sets; ``containment_ab`` = share of A's shingles in B.
    shared : int
        Discounted shingles the two share.
    passages : list[Passage]
        Copied passages (>= 60 content characters, few edits, not stock phrases), spans in A
        (``span``) and B (``related_span``).
    all_passages : list[Passage]
        Every aligned passage of >= 60 content characters, including heavily edited ones.
    verdict : str
        ``near-duplicate``, ``shared-passages`` or ``distinct``.
    candidate : bool
        Whether the pair goes on to the rewrite check.
    """

    jaccard: float
    containment_ab: float
    containment_ba: float
    shared: int
    passages: list[Passage] = field(default_factory=list)
    all_passages: list[Passage] = field(default_factory=list)
    verdict: str = "distinct"
    candidate: bool = False

    @property
    def containment(self) -> float:
        """The larger of the two containments."""
        return max(self.containment_ab, self.containment_ba)


def is_stock(text: str, span: tuple[int, int], stock: np.ndarray | None, kept: np.ndarray | None = None) -> bool:
    """True when ``text[span]`` is a stock phrase of the batch.

    A passage copied between two documents has shingles found in those two documents only
    (the names, places and wording of that report); a stock phrase is found in
    :data:`STOCK_DOCS` or more documents all along. So a passage is stock when almost every
    shingle of it is in ``stock``: fewer than ``max(3, STOCK_RARE_SHARE x shingles)`` are not.
    (In a large batch most 4-grams of official language occur in three documents somewhere,
    so a share-of-stock-shingles test would call every copied passage a stock phrase.) A
    passage of :data:`STOCK_MAX_CHARS` content characters or more is stock only when it is the
    batch's template text: fewer than :data:`ALIGN_MIN_SHARED` (or 2 %) of its shingles are left
    after the discounts (``kept``, the document's discounted set: statutory format and shingles
    found in 10 or more documents, or 5 %, removed); so such a passage is no finding for any pair,
    where it was one for the few pairs that were candidates for other reasons (session-16
    re-test: 7 of 45 pairs of 10 documents).

    Parameters
    ----------
    text : str
        ``Document.text``; ``span`` is ``(start, end)`` in characters into it.
    stock : numpy.ndarray of uint64, sorted, or None
        Shingles found in :data:`STOCK_DOCS` or more documents of the batch; None or empty:
        nothing is stock (a reference-library check).
    kept : numpy.ndarray of uint64, sorted unique, optional
        The document's discounted shingle set; without it a long passage is never stock.

    Returns
    -------
    bool. Raises nothing.
    """
    if stock is None or stock.shape[0] == 0:
        return False
    h = shingle_hashes(text[span[0]:span[1]])
    if h.shape[0] == 0:
        return False
    if h.shape[0] + SHINGLE_SIZE - 1 >= STOCK_MAX_CHARS:
        own = int(in_sorted(h, kept).sum()) if kept is not None else None
        return own is not None and own < max(ALIGN_MIN_SHARED, STOCK_RARE_SHARE * h.shape[0])
    rare = int((~in_sorted(h, stock)).sum())
    return rare < max(3, STOCK_RARE_SHARE * h.shape[0])


def is_format(text: str, span: tuple[int, int], template: np.ndarray | None) -> bool:
    """True when ``text[span]`` is mostly the statutory format: more than half of its shingles
    are fixed text of the format (``template``) or figures only (table cells)."""
    c = compact_codes(text[span[0]:span[1]])
    h = hash_codes(c)
    if h.shape[0] == 0:
        return True
    fixed = in_sorted(h, template) if template is not None and template.shape[0] else np.zeros(h.shape[0], bool)
    digit = c == DIGIT_CLASS
    windows = np.lib.stride_tricks.sliding_window_view(digit, c.shape[0] - h.shape[0] + 1)
    figures_only = windows.sum(axis=1) >= windows.shape[1] - 1
    return float((fixed | figures_only).mean()) > 0.5


def _contained_before_discount(text_a: str, text_b: str, skip: np.ndarray | None, a_in_b: bool) -> bool:
    """Whether the document found contained in the other (A when ``a_in_b``) is so on its
    shingle set with only ``skip`` (the statutory format) discounted too: at least
    :data:`CONTAINED_BEFORE_DISCOUNT` of it. The batch-frequency discount can leave a report
    little but a paragraph it shares with a third one (its own text held by ten near-copies of
    it: batch-frequent); that remainder "contained" in the other made a 650-character summary a
    near-duplicate of a 3,262-character report it shares 241 characters with (session-16
    fresh-user test)."""
    small, big = (text_a, text_b) if a_in_b else (text_b, text_a)
    own, other = shingle_set(small), shingle_set(big)
    if skip is not None and skip.shape[0]:
        own, other = own[~in_sorted(own, skip)], other[~in_sorted(other, skip)]
    if own.shape[0] == 0:
        return True
    return np.intersect1d(own, other, assume_unique=True).shape[0] >= CONTAINED_BEFORE_DISCOUNT * own.shape[0]


def verify(text_a: str, text_b: str, set_a: np.ndarray, set_b: np.ndarray, skip: np.ndarray | None = None,
           stock: np.ndarray | None = None) -> Verified:
    """Verify one candidate pair exactly.

    Parameters
    ----------
    text_a, text_b : str
        ``Document.text`` of A and B.
    set_a, set_b : numpy.ndarray of uint64, sorted unique
        Discounted shingle sets (template and batch-frequent shingles removed).
    skip : numpy.ndarray of uint64, sorted, optional
        Shingles not used as alignment anchors (the statutory format's fixed text).
    stock : numpy.ndarray of uint64, sorted, optional
        Shingles found in :data:`STOCK_DOCS` or more documents of the batch.

    Returns
    -------
    Verified
    """
    na, nb = set_a.shape[0], set_b.shape[0]
    if na < MIN_SHINGLES or nb < MIN_SHINGLES:
        return Verified(0.0, 0.0, 0.0, 0)
    inter = int(np.intersect1d(set_a, set_b, assume_unique=True).shape[0])
    jac = inter / (na + nb - inter)
    cab, cba = inter / na, inter / nb
    near = jac >= NEAR_DUP_JACCARD or max(cab, cba) >= NEAR_DUP_CONTAINMENT
    if near and jac < NEAR_DUP_JACCARD:
        near = _contained_before_discount(text_a, text_b, skip, cab >= cba)
    found: list[Passage] = []
    if inter >= ALIGN_MIN_SHARED:
        # a near-duplicate is aligned on every shingle, statutory tables included, so the
        # figures changed in them show up as differences
        found = align(text_a, text_b, skip=None if near else skip, min_chars=MIN_PASSAGE)
    copied = [p for p in found if p.matched >= PASSAGE_MATCHED * p.content]
    if not near:
        copied = [p for p in copied
                  if not is_format(text_a, p.span, skip) and not is_stock(text_a, p.span, stock, set_a)]
    verdict = "near-duplicate" if near else ("shared-passages" if copied else "distinct")
    candidate = near or bool(found) or jac >= CANDIDATE_SIMILARITY or max(cab, cba) >= CANDIDATE_SIMILARITY
    return Verified(round(jac, 4), round(cab, 4), round(cba, 4), inter, copied, found, verdict, candidate)
