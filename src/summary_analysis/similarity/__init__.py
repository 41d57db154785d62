"""Stage 5, similarity: near-duplicate documents and shared passages (DUP001–DUP003).

Pipeline of :func:`detect_copies` (each step a pure function a distributed engine can reuse):

1. :func:`profile` per document — compact text, character 4-gram shingle hashes
   (:mod:`.shingle`).
2. Template-aware discount — shingles of the statutory format's fixed text
   (:func:`.shingle.template_shingles`) and shingles found in at least
   ``max(FREQUENT_MIN_DOCS, FREQUENT_SHARE x N)`` documents of the batch are dropped.
3. MinHash signature (:func:`.minhash.signature`), LSH band keys (:func:`.lsh.band_keys`) and
   winnowed fingerprints (:func:`.lsh.winnow`) per document; candidate pairs from agreeing bands
   or from >= 4 shared rare fingerprints (:func:`.lsh.candidate_pairs`). When the batch
   discount removed anything, near-identical pairs are also sought on the sets with only the
   statutory format discounted (:func:`identical_pairs`, Jaccard >= IDENTICAL_JACCARD, or a
   contained copy: :func:`identical_rule`): a text copied by FREQUENT_MIN_DOCS or more offices
   is frequent only because it is copied.
   Per document these are :func:`format_discounted` and :func:`identical_sketch`, per pair
   :func:`identical_jaccard`. :func:`detect_copies` runs the per-document steps for the whole
   batch, a few hundred documents per numpy call (same values): shingling in
   :func:`.shingle.shingle_hashes_many` and :func:`.shingle.sorted_unique_many`, the rest in
   :func:`sketch_batch` (look-ups in a :class:`.shingle.HashTable`, :func:`.lsh.winnow_many`,
   both kinds of signature in one vectorised pass, :func:`.minhash.signatures`). A document
   with more than :data:`.lsh.MAX_PARTNERS` candidate partners keeps its nearest ones by
   MinHash estimate (:func:`.lsh.nearest_partners`): hundreds of near-copies of one another
   give a bounded number of pairs per document, not every pair.
4. :func:`score_pair` per candidate: :func:`.verify.verify` (exact Jaccard and containment both
   ways, passage alignment (:func:`.align.align`), verdict; a near-identical pair the
   discounted sets did not call a near-duplicate is verified again on its format-discounted
   sets), the :class:`PairScore` and the finding (:func:`pair_finding`).
5. Findings: DUP001 (near-duplicate), DUP002 (shared passages), DUP003 (reference index,
   :class:`.index.ReferenceIndex`), with the evidence keys of the output contract. A cluster of
   k near-identical documents gives one DUP001 per pair (k(k-1)/2), each with
   ``evidence.cluster_size`` = k (:func:`name_clusters`, batch-wide connected components).

The Spark engine (:mod:`summary_analysis.spark.engine`) calls these same functions.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..document import Document, Span
from ..findings import Finding, stage_failed
from ..groups import connected_components
from . import evidence as ev
from .lsh import (MAX_BUCKET, band_buckets, band_keys, candidate_pairs, group_pairs, nearest_partners, unique_pairs,
                  winnow, winnow_many)
from .minhash import agreements, signature, signatures
from .shingle import (HashTable, in_sorted, shingle_hashes, shingle_hashes_many, sorted_unique,
                      sorted_unique_many, split_kept, template_shingles, unique_inverse)
from .verify import STOCK_DOCS, Verified, verify

log = logging.getLogger(__name__)

PAIR_COLUMNS = ["doc_a", "doc_b", "jaccard", "containment_ab", "containment_ba", "shared_chars", "verdict"]

#: A shingle in at least max(FREQUENT_MIN_DOCS, ceil(FREQUENT_SHARE * N)) of N documents is
#: template text of the batch and discounted.
FREQUENT_MIN_DOCS = 10
FREQUENT_SHARE = 0.05
#: A pair whose shingle sets with only the statutory format discounted reach this Jaccard is a
#: near-identical copy (DUP001) even when the batch-frequency discount emptied its sets: the
#: discount is meant for text common across otherwise different documents, and a text copied
#: by 10 or more offices is the worst case, not template.
IDENTICAL_JACCARD = 0.8
#: A pair whose format-discounted sets reach IDENTICAL_CONTAINED_JACCARD and whose smaller set
#: has this share (0..1) in the other is a contained copy, the same DUP001 (one document's whole
#: text inside the other's, with a paragraph or two of its own added; found by the session-16
#: fresh-user test: a summary held by nine near-copies, a paragraph of another report pasted
#: in, Jaccard 0.72 with each of them, containment 0.99, was linked to none). For two sets of
#: about one size the containment is about 2J / (1 + J), so this bar asks Jaccard 0.82 of them:
#: the contained path adds only pairs of unequal size.
IDENTICAL_CONTAINMENT = 0.9
#: The Jaccard (0..1) a contained copy must still reach: the contained document is about half
#: of the other at least (the near-duplicate bar, :data:`.verify.NEAR_DUP_JACCARD`), so a
#: short text inside a long report is a shared passage, not a copy of the report.
IDENTICAL_CONTAINED_JACCARD = 0.5
#: Shingles a document must hold beyond the statutory format to take part in the identical-pair
#: pass (about as many characters of its own): the pass is for whole texts copied. A report that
#: is its filled tables and one stock paragraph the batch shares (in 10 or more documents: batch
#: template) holds little else, so two such reports were "contained copies" of each other
#: through that paragraph alone (a 141-character sentence: 123 shingles, with the tables' rest
#: 134 to 172; session 17); their passages are judged by the batch discount instead.
IDENTICAL_MIN_SHINGLES = 200
#: LSH candidates of the identical-copy check whose MinHash estimate is this far below
#: the bars above are dropped before the exact Jaccard (about 4 standard errors).
SIGNATURE_MARGIN = 0.15


@dataclass(frozen=True)
class PairScore:
    """Similarity of two documents: ``doc_a`` < ``doc_b`` by doc_id; Jaccard and containment
    of their shingle sets (ratios in 0..1), ``shared_chars`` the characters in shared passages,
    ``verdict`` (``near-duplicate``, ``shared-passages``, ``distinct``; ``rewrite`` when REW001
    found a synonym rewrite on a pair the shingles call less than a near-duplicate:
    :func:`mark_rewrites`)."""

    doc_a: str
    doc_b: str
    jaccard: float
    containment_ab: float
    containment_ba: float
    shared_chars: int
    verdict: str

    def to_dict(self) -> dict:
        """The pair as a row of the pairs table: ``{column: value}`` for
        :data:`summary_analysis.batch.PAIR_COLUMNS`."""
        return {k: getattr(self, k) for k in PAIR_COLUMNS}


@dataclass
class CopyResult:
    """Output of :func:`detect_copies`: ``pairs`` scored, DUP ``findings``, and the
    ``candidates`` (doc_id pairs, sorted) handed on to the rewrite check."""

    pairs: list[PairScore] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    candidates: list[tuple[str, str]] = field(default_factory=list)
    #: ``(doc_a, doc_b) -> rebuild(a_copies) -> Finding`` for each DUP001 (:func:`score_pair`'s
    #: ``rebuild``), for :func:`follow_rewrites`.
    rebuild: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Profile:
    """Per-document sketch: ``shingles`` (sorted unique uint64, all shingles), ``signature``
    (uint64, shape (NUM_PERM,)), ``fingerprints`` (sorted unique uint64), ``discounted``
    (sorted unique uint64, shingles minus the discounted ones)."""

    shingles: np.ndarray
    signature: np.ndarray | None = None
    fingerprints: np.ndarray | None = None
    discounted: np.ndarray | None = None


def profile(text: str, skip: np.ndarray | None = None) -> Profile:
    """Shingle a text and, when ``skip`` (sorted uint64 shingles to discount) is given, sketch it.

    Returns
    -------
    Profile
        ``signature``, ``fingerprints`` and ``discounted`` are None when ``skip`` is None.
    """
    h = shingle_hashes(text)
    if skip is None:
        return Profile(sorted_unique(h))
    shingles, inverse = unique_inverse(h)
    return sketch(h, shingles, skip, inverse=inverse)


def sketch(hashes: np.ndarray, shingles: np.ndarray, skip: np.ndarray | None, *,
           inverse: np.ndarray | None = None) -> Profile:
    """Sketch a document from its positional shingle ``hashes`` (text order) and their sorted
    unique ``shingles``: discounted set, MinHash signature and winnowed fingerprints.

    Parameters
    ----------
    hashes : numpy.ndarray of uint64, shape (M,)
        :func:`.shingle.shingle_hashes` of the text.
    shingles : numpy.ndarray of uint64, shape (S,)
        :func:`.shingle.sorted_unique` of ``hashes``.
    skip : numpy.ndarray of uint64, sorted unique, or None
        Shingles to discount (template and batch-frequent ones); None: the set only.
    inverse : numpy.ndarray of int, shape (M,), optional
        Index in ``shingles`` of each hash (:func:`.shingle.unique_inverse`); searched for when
        None.

    Returns
    -------
    Profile
        ``signature``, ``fingerprints`` and ``discounted`` are None when ``skip`` is None.
    """
    if skip is None:
        return Profile(shingles)
    drop = in_sorted(shingles, skip)
    disc = shingles[~drop]
    return Profile(shingles, signature(disc), _fingerprints(hashes, shingles, drop, inverse), disc)


def _fingerprints(hashes: np.ndarray, shingles: np.ndarray, drop: np.ndarray,
                  inverse: np.ndarray | None) -> np.ndarray:
    """Winnowed fingerprints (:func:`.lsh.winnow`) of positional ``hashes``, never selecting a
    shingle whose entry in ``drop`` (bool, aligned with the sorted unique ``shingles``) is set;
    ``inverse`` maps positions to ``shingles`` (searched for when None)."""
    if hashes.shape[0] == 0:
        return hashes
    if inverse is None:
        inverse = np.minimum(np.searchsorted(shingles, hashes), max(0, shingles.shape[0] - 1))
    return winnow(hashes, drop[inverse])


def sketch_batch(shingled: list[tuple[np.ndarray, np.ndarray]], skip: np.ndarray, template: np.ndarray,
                 with_format: bool) -> tuple[list[Profile], list[np.ndarray], np.ndarray]:
    """:func:`sketch` of every document of a batch, plus the format-discounted sets of the
    identical-pair pass, with all MinHash signatures computed in one pass
    (:func:`.minhash.signatures`).

    Parameters
    ----------
    shingled : list of (numpy.ndarray of uint64, numpy.ndarray of uint64)
        Per document, its sorted unique shingles and its positional shingle hashes
        (:func:`.shingle.sorted_unique` of :func:`.shingle.shingle_hashes`).
    skip : numpy.ndarray of uint64, sorted unique
        Shingles to discount; must include every shingle of ``template``.
    template : numpy.ndarray of uint64, sorted unique
        :func:`.shingle.template_shingles`.
    with_format : bool
        Also build the :func:`format_discounted` sets and their signatures.

    Returns
    -------
    (list of Profile, list of numpy.ndarray, numpy.ndarray of uint64)
        Profiles equal to ``sketch(hashes, shingles, skip)`` per document; the
        :func:`format_discounted` sets and their signatures, shape (N, NUM_PERM) (``[]`` and
        shape (0, NUM_PERM) when ``with_format`` is false).
    """
    # one look-up per shingle in ``skip`` tells both discounts: a shingle is in the template
    # when it is in ``skip`` at an entry that is template text. The positional hashes are
    # looked up too: the winnowing skips discounted positions.
    skip_is_template = in_sorted(skip, template)
    table = HashTable(skip)
    discs, fps, formats = [], [], []
    for start in range(0, len(shingled), _DOCS_PER_LOOKUP):
        # the arrays of a run of documents are looked up, masked and winnowed together (numpy
        # calls per run instead of per document), then sliced back per document
        sets = [s for s, _ in shingled[start:start + _DOCS_PER_LOOKUP]]
        hashes = [h for _, h in shingled[start:start + _DOCS_PER_LOOKUP]]
        values = np.concatenate(sets + hashes)
        found, pos = table.lookup(values)
        starts = np.cumsum([0] + [s.shape[0] for s in sets])
        n = starts[-1]
        fps.extend(winnow_many(hashes, found[n:]))
        discs.extend(split_kept(values[:n], ~found[:n], starts))
        if with_format:
            in_format = found[:n] & skip_is_template[pos[:n]] if skip.shape[0] else found[:n]
            formats.extend(split_kept(values[:n], ~in_format, starts))
    sigs = signatures(discs + formats)
    profs = [Profile(u[0], sig, f, d) for u, sig, f, d in zip(shingled, sigs, fps, discs)]
    return profs, formats, sigs[len(discs):]


#: Documents whose shingles :func:`sketch_batch` looks up in one call.
_DOCS_PER_LOOKUP = 128


def document_frequency(shingle_sets: list[np.ndarray], min_docs: list[int]) -> list[np.ndarray]:
    """Shingles found in at least ``m`` of the sets, for each ``m`` of ``min_docs``.

    Parameters
    ----------
    shingle_sets : list of numpy.ndarray of uint64 (each sorted unique)
    min_docs : list[int]

    Returns
    -------
    list of numpy.ndarray of uint64, sorted unique; one per entry of ``min_docs``.
    """
    empty = np.zeros(0, dtype=np.uint64)
    if not shingle_sets:
        return [empty for _ in min_docs]
    allh = np.concatenate(shingle_sets)
    if allh.shape[0] == 0:
        return [empty for _ in min_docs]
    allh.sort()
    brk = np.nonzero(allh[1:] != allh[:-1])[0] + 1
    starts = np.concatenate([[0], brk])
    counts = np.diff(np.concatenate([starts, [allh.shape[0]]]))
    return [allh[starts[counts >= m]] for m in min_docs]


def frequent_threshold(n_docs: int) -> int:
    """Documents a shingle must be in to count as batch template text (see module doc)."""
    return max(FREQUENT_MIN_DOCS, math.ceil(FREQUENT_SHARE * n_docs))


def _flip(passages):
    from .align import Edit, Passage

    return [Passage(p.related_span, p.span, p.content, p.matched,
                    tuple(Edit(e.related_span, e.span, e.digits) for e in p.edits)) for p in passages]


#: What a DUP001/DUP003 message adds for the reason its ``doc_id`` was taken for the copy
#: (``leftover-name`` says its place; ``order`` that it cannot be told; ``reference`` nothing).
_REASON_SAID = {
    "later-year": "; it is the later year's report",
    "placeholders": "; it still has unfilled template fields",
    "lead": "; it opens with the other's text as its 导语",
    "machine-wording": "; its wording reads machine-rewritten (REW002), the other's does not",
    "rewrite": "; it is a synonym rewrite of the other (REW001)",
}


def pair_finding(rule: str, id_a: str, text_a: str, info_a: ev.DocInfo, id_b: str, text_b: str,
                 info_b: ev.DocInfo, v: Verified, b_fixed: bool = False,
                 copier: tuple[bool, str] | None = None) -> Finding:
    """Build the DUP001/DUP002/DUP003 finding of a verified pair, oriented per the contract.

    Parameters
    ----------
    rule : str
        ``DUP001``, ``DUP002`` or ``DUP003``.
    id_a, text_a, info_a, id_b, text_b, info_b
        The two documents (``v``'s spans: ``span`` in A, ``related_span`` in B).
    v : Verified
    b_fixed : bool
        B is the reference (DUP003): A is always ``doc_id``.
    copier : (a_copies, reason), optional
        The direction decided elsewhere (:func:`follow_rewrites`: reason ``rewrite``) instead of
        :func:`.evidence.choose_copier`.

    Returns
    -------
    Finding
        ``doc_id`` the suspected copy, ``related_doc_id`` the other, ``span`` in ``doc_id``'s
        text; evidence ``jaccard``, ``containment`` (the larger of the two containments),
        ``containment_doc`` (share of ``doc_id``'s shingles found in the other),
        ``containment_related`` (the converse), ``related_span``, ``passages``, ``differences``,
        ``difference_counts``, ``previous_year``, ``copier_by`` (why ``doc_id`` is taken for the
        copy: :func:`.evidence.choose_copier`), and ``leftover_name`` (the other's place that
        ``doc_id`` still names) when ``copier_by`` is ``leftover-name``. The message of a
        DUP001 decided by sort order says that the direction cannot be told.
    """
    passages = v.passages
    if b_fixed:
        a_copies, reason = True, "reference"
    elif copier is not None:
        a_copies, reason = copier
    else:
        a_copies, reason = ev.choose_copier(id_a, info_a, id_b, info_b, passages, text_a, text_b)
    if a_copies:
        cid, ctext, cinfo, rid, rtext, rinfo = id_a, text_a, info_a, id_b, text_b, info_b
        cont, cont_other, ps = v.containment_ab, v.containment_ba, passages
    else:
        cid, ctext, cinfo, rid, rtext, rinfo = id_b, text_b, info_b, id_a, text_a, info_a
        cont, cont_other, ps = v.containment_ba, v.containment_ab, _flip(passages)
    diffs, counts = ev.differences(ctext, rtext, ps, cinfo, rinfo)
    prev = bool(cinfo.year and rinfo.year and cinfo.year == rinfo.year + 1
                and (cinfo.issuer == rinfo.issuer))
    if ps and (rule == "DUP002" or rule == "DUP003" and v.verdict == "shared-passages"):
        # the longest passage, as the message says ("passage of N characters"); the span from
        # the first passage to the last, gaps and all, was longer than all of them together
        # (DUP003, session-17 fresh-user test)
        main = max(ps, key=lambda p: (p.chars, -p.span[0]))
        span, rspan = main.span, main.related_span
    elif ps:
        span = (min(p.span[0] for p in ps), max(p.span[1] for p in ps))
        rspan = (min(p.related_span[0] for p in ps), max(p.related_span[1] for p in ps))
    else:
        span, rspan = (0, len(ctext)), (0, len(rtext))
    evidence = {
        "jaccard": v.jaccard,
        "containment": max(cont, cont_other),
        "containment_doc": cont,
        "containment_related": cont_other,
        "related_span": [rspan[0], rspan[1]],
        "passages": [{"span": list(p.span), "related_span": list(p.related_span), "chars": p.chars}
                     for p in sorted(ps, key=lambda p: p.span)],
        "differences": diffs,
        "difference_counts": dict(sorted(counts.items())),
        "previous_year": prev,
        "copier_by": reason,
    }
    kinds = [k for k in ev.CHANGED_KINDS if counts.get(k)]
    changed = f"; {', '.join(kinds)} changed" if kinds else ""
    if reason == "leftover-name":
        evidence["leftover_name"] = place = ev.leftover_place(ctext, cinfo, rinfo)
        changed += f"; still names {place}, the other report's place"
    if rule == "DUP002":
        msg = f"passage of {span[1] - span[0]} characters shared with {rid}"
        if len(ps) > 1:
            msg += f" ({len(ps)} passages, {sum(p.chars for p in ps)} characters)"
        msg += changed
    elif rule == "DUP003" and v.verdict == "shared-passages":
        msg = (f"passage of {span[1] - span[0]} characters copied from reference document {rid}"
               + (f" ({len(ps)} passages, {sum(p.chars for p in ps)} characters)" if len(ps) > 1 else "") + changed)
    else:
        what = "near-duplicate of" if rule == "DUP001" else "copied from reference document"
        msg = f"{what} {rid} (Jaccard {v.jaccard:.2f}, containment {max(cont, cont_other):.2f})"
        if prev:
            msg += "; the same issuer's report of the previous year"
        msg += changed
        if reason == "order":
            msg += "; which of the two copied cannot be told"
        elif reason in _REASON_SAID and not (reason == "later-year" and prev):
            msg += _REASON_SAID[reason]
    return Finding(rule, cid, msg, span=Span(span[0], span[1]), related_doc_id=rid, evidence=evidence)


def format_discounted(shingles: np.ndarray, template: np.ndarray) -> np.ndarray:
    """A document's shingle set with only the statutory format's fixed text discounted.

    Parameters
    ----------
    shingles : numpy.ndarray of uint64, sorted unique
        All shingles of the document (:attr:`Profile.shingles`).
    template : numpy.ndarray of uint64, sorted unique
        :func:`.shingle.template_shingles`.

    Returns
    -------
    numpy.ndarray of uint64, sorted unique: the set :func:`identical_pairs` compares.
    """
    return shingles[~in_sorted(shingles, template)]


def identical_sketch(format_set: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-document sketch for the identical-pair pass: the MinHash signature of a
    :func:`format_discounted` set and its LSH band keys.

    Returns
    -------
    (numpy.ndarray of uint64, shape (NUM_PERM,), numpy.ndarray of uint64, shape (BANDS,))
        Two documents are candidates of :func:`identical_pairs` when a band key agrees (in a
        bucket of at most :data:`.lsh.MAX_BUCKET` documents).
    """
    sig = signature(format_set)
    return sig, band_keys(sig)


def identical_rule(jaccard, size_a, size_b, threshold: float = IDENTICAL_JACCARD):
    """Whether two format-discounted sets of ``size_a`` and ``size_b`` shingles with this
    Jaccard are near-identical copies: Jaccard >= ``threshold``, or a contained copy (Jaccard
    >= :data:`IDENTICAL_CONTAINED_JACCARD` and the smaller set's containment in the other >=
    :data:`IDENTICAL_CONTAINMENT`).

    The containment follows from the Jaccard and the sizes (shared = J (a + b) / (1 + J)),
    and grows with the Jaccard, so the rule is monotone in it: a pre-filter may apply it to an
    estimate plus a margin and lose no pair the exact values pass.

    Parameters
    ----------
    jaccard : float or numpy.ndarray of float (0..1)
    size_a, size_b : int or numpy.ndarray of int
        Set sizes (shingles, > 0), broadcast with ``jaccard``.
    threshold : float
        The near-identical Jaccard bar.

    Returns
    -------
    bool or numpy.ndarray of bool
    """
    j = np.asarray(jaccard, dtype=np.float64)
    a = np.asarray(size_a, dtype=np.float64)
    b = np.asarray(size_b, dtype=np.float64)
    contained = j * (a + b) / ((1.0 + j) * np.minimum(a, b))
    # the small tolerance keeps an exact share of 0.9 (computed through the Jaccard) above it
    ok = (j >= threshold) | ((j >= IDENTICAL_CONTAINED_JACCARD) & (contained >= IDENTICAL_CONTAINMENT - 1e-12))
    return bool(ok) if ok.ndim == 0 else ok


def identical_estimate_passes(agree, size_a, size_b, slots: int, threshold: float = IDENTICAL_JACCARD):
    """The MinHash pre-filter of the identical-pair pass, both engines: :func:`identical_rule`
    on the estimate (``agree`` equal values of ``slots``) raised by :data:`SIGNATURE_MARGIN`.

    Parameters
    ----------
    agree : int or numpy.ndarray of int
        Equal signature values of each pair.
    size_a, size_b : int or numpy.ndarray of int
        The pair's format-discounted set sizes.
    slots : int
        Signature length (:data:`.minhash.NUM_PERM`).

    Returns
    -------
    bool or numpy.ndarray of bool
    """
    est = np.minimum(np.asarray(agree, dtype=np.float64) / slots + SIGNATURE_MARGIN, 1.0)
    return identical_rule(est, size_a, size_b, threshold)


def _loosest_agreement(slots: int, threshold: float = IDENTICAL_JACCARD) -> float:
    """Equal values below which no pair can pass :func:`identical_estimate_passes` whatever
    its sizes (a cheap first cut before the sizes are looked at)."""
    return (min(threshold, IDENTICAL_CONTAINED_JACCARD) - SIGNATURE_MARGIN) * slots


def identical_jaccard(set_a: np.ndarray, set_b: np.ndarray, sig_a: np.ndarray, sig_b: np.ndarray,
                      threshold: float = IDENTICAL_JACCARD) -> float | None:
    """Confirm one candidate of the identical-pair pass.

    Parameters
    ----------
    set_a, set_b : numpy.ndarray of uint64, sorted unique
        :func:`format_discounted` sets of the two documents.
    sig_a, sig_b : numpy.ndarray of uint64, shape (NUM_PERM,)
        Their signatures (:func:`identical_sketch`).
    threshold : float
        Exact Jaccard (0..1) a near-identical pair must reach (a contained copy: see
        :func:`identical_rule`).

    Returns
    -------
    float or None
        The exact Jaccard (0..1) when both sets hold at least :data:`IDENTICAL_MIN_SHINGLES`
        shingles, the MinHash estimate passes :func:`identical_estimate_passes` and the exact
        values pass :func:`identical_rule`; None otherwise.
    """
    na, nb = set_a.shape[0], set_b.shape[0]
    if na < IDENTICAL_MIN_SHINGLES or nb < IDENTICAL_MIN_SHINGLES:
        return None
    if not identical_estimate_passes(int((sig_a == sig_b).sum()), na, nb, sig_a.shape[0], threshold):
        return None
    return identical_exact(set_a, set_b, threshold)


def identical_exact(set_a: np.ndarray, set_b: np.ndarray, threshold: float = IDENTICAL_JACCARD) -> float | None:
    """:func:`identical_jaccard` without the MinHash estimate: the exact Jaccard (0..1) of two
    :func:`format_discounted` sets (numpy uint64, sorted unique) when both hold at least
    :data:`IDENTICAL_MIN_SHINGLES` shingles and they pass :func:`identical_rule`, else None. For a
    pair already known to be a candidate (a reference the index's band keys matched)."""
    na, nb = set_a.shape[0], set_b.shape[0]
    if na < IDENTICAL_MIN_SHINGLES or nb < IDENTICAL_MIN_SHINGLES:
        return None
    inter = int(np.intersect1d(set_a, set_b, assume_unique=True).shape[0])
    jac = inter / (na + nb - inter)
    return jac if identical_rule(jac, na, nb, threshold) else None


def identical_pairs(raw_sets: list[np.ndarray], threshold: float = IDENTICAL_JACCARD, *,
                    sigs: np.ndarray | None = None) -> dict:
    """Pairs of near-identical documents and contained copies (:func:`identical_rule`), judged
    on their shingle sets with only the statutory format discounted (no batch-frequency
    discount).

    Candidates come from LSH over MinHash signatures of these sets (:func:`identical_sketch`;
    the buckets of :func:`.lsh.band_buckets`, each band's filtered before they are merged, large
    buckets compared in row blocks; 32 bands x 4 rows: a pair at Jaccard 0.8 shares a band with
    probability 1 - (1 - 0.8^4)^32 > 0.9999, a contained copy at Jaccard 0.6 with 0.988); each is
    confirmed by :func:`identical_jaccard` (:func:`identical_rule` on the MinHash estimate
    raised by ``SIGNATURE_MARGIN``, then on the exact values). A
    distributed engine runs the same steps: :func:`format_discounted` and
    :func:`identical_sketch` per document, a join on band keys, :func:`identical_jaccard` per
    pair.

    Parameters
    ----------
    raw_sets : list of numpy.ndarray of uint64 (each sorted unique)
        :func:`format_discounted` set per document; a set with fewer than
        :data:`IDENTICAL_MIN_SHINGLES` shingles is skipped.
    threshold : float
        Exact Jaccard (0..1) a near-identical pair must reach (contained copies:
        :func:`identical_rule`).
    sigs : numpy.ndarray of uint64, shape (N, NUM_PERM), optional
        The sets' signatures when already computed (:func:`sketch_batch`).

    Returns
    -------
    dict[tuple[int, int], float]
        ``(i, j)`` row indices with ``i < j`` mapped to their Jaccard.
    """
    if len(raw_sets) < 2:
        return {}
    if sigs is None:
        sigs = signatures(raw_sets)
    # MinHash estimate first (vectorised; its standard error at Jaccard 0.8 with 128 values is
    # 0.035, so a bar SIGNATURE_MARGIN below the rule loses no true pair), exact after.
    # The pre-filter compares only the low byte of each MinHash value (8x less memory to gather
    # for the millions of LSH pairs of a large batch): equal values have equal low bytes, so it
    # keeps every pair the full comparison keeps and a few more, which identical_jaccard (full
    # values, then exact Jaccard) rejects: the result is the same. It runs on each band's pairs
    # (row-wise the keys of identical_sketch) before their union, which then holds only the
    # few survivors: filtering commutes with the union. A large bucket is compared as a block
    # (:func:`_agreeing_in_bucket`) instead of being expanded into its pairs.
    low = sigs.astype(np.uint8)
    passes = _EstimateFilter(np.array([s.shape[0] for s in raw_sets], dtype=np.int64), sigs.shape[1], threshold)
    keep = [np.zeros((0, 2), dtype=np.int64)]
    for order, starts, sizes in band_buckets(band_keys(sigs), max_bucket=len(raw_sets)):
        small = sizes < _BLOCK_BUCKET
        keep.append(_agreeing(low, passes, group_pairs(order, starts[small], sizes[small])))
        for start, size in zip(starts[~small].tolist(), sizes[~small].tolist()):
            members = order[start:start + size]
            if size <= MAX_BUCKET:
                keep.append(_agreeing_in_bucket(low, passes, members))
            else:
                # more near-identical documents than the pairwise limit (hundreds of units
                # filing one text): each is paired with the bucket's first, not with every
                # other one, so the mass copy is reported in linear time, not dropped (found
                # by the session-12 hostile-input test: 501 copies gave no finding at all)
                first = np.full(size - 1, members[0], dtype=np.int64)
                keep.append(_agreeing(low, passes, np.stack([first, members[1:].astype(np.int64)], axis=1)))
    out = {}
    for i, j in unique_pairs(np.concatenate(keep)).tolist():
        jac = identical_jaccard(raw_sets[i], raw_sets[j], sigs[i], sigs[j], threshold)
        if jac is not None:
            out[(i, j)] = jac
    return out


#: A group of documents with the same shingle set (the same text, copied) larger than this is
#: verified as a star: each member with the group's first document only, and only the first
#: takes part in the candidate search with the rest of the batch (:func:`detect_copies`). All pairs of 500 copies (124,750 DUP001, each with its
#: evidence) took minutes and gigabytes; three such pages, 374,250 pairs, ran out of memory
#: and lost the batch (session-14 hostile-input test). The group still forms one cluster
#: (``evidence.cluster_size``).
MAX_DUPLICATE_GROUP = 32


def duplicate_groups(sets: list[np.ndarray], limit: int | None = None) -> dict[int, int]:
    """Rows of documents in a group of more than ``limit`` (default :data:`MAX_DUPLICATE_GROUP`)
    documents with equal shingle sets, each mapped to its group's first row.

    Parameters
    ----------
    sets : list of numpy.ndarray of uint64, sorted unique
        One shingle set per document (:attr:`Profile.shingles`), rows in doc_id order.

    Returns
    -------
    dict[int, int]
        ``row -> first row of its group`` (the first maps to itself); empty when no group is
        that large. Sets are first grouped by their size and 16 evenly spaced shingles (cheap:
        hashing every set cost the parent 0.15 s per 10,000 reports), then the rows of a rough
        group that large by :func:`set_key`.
    """
    limit = MAX_DUPLICATE_GROUP if limit is None else limit
    rough: dict[tuple, list[int]] = {}
    for row, s in enumerate(sets):
        n = s.shape[0]
        if n:
            rough.setdefault((n, s[::max(1, n // 16)].tobytes()), []).append(row)
    out: dict[int, int] = {}
    for rows in rough.values():
        if len(rows) <= limit:
            continue
        exact: dict[str | None, list[int]] = {}
        for row in rows:
            exact.setdefault(set_key(sets[row]), []).append(row)
        for members in exact.values():
            if len(members) > limit:
                out.update((m, members[0]) for m in members)
    return out


def set_key(shingles: np.ndarray) -> str | None:
    """Key of a sorted unique shingle set for :func:`duplicate_groups`: its size and a 128-bit
    BLAKE2 digest of its bytes (little-endian uint64), hex; None for an empty set."""
    import hashlib

    if not shingles.shape[0]:
        return None
    data = np.ascontiguousarray(shingles, dtype="<u8").tobytes()
    return f"{shingles.shape[0]}:{hashlib.blake2b(data, digest_size=16).hexdigest()}"


#: LSH buckets of the identical-pair pass with this many documents or more are compared as
#: blocks (:func:`_agreeing_in_bucket`); smaller ones pair by pair (:func:`_agreeing`).
_BLOCK_BUCKET = 32
#: Rows of a bucket :func:`_agreeing_in_bucket` compares with the others in one numpy call.
_BLOCK_ROWS = 32


class _EstimateFilter:
    """:func:`identical_estimate_passes` for rows of one batch: ``sizes`` (int64, one per
    row) the format-discounted set sizes, ``slots`` the signature length. Called with the
    agreement counts of pairs ``(i, j)`` (arrays of one length), returns the mask of those
    that pass; a count below the loosest bar is rejected without the sizes."""

    def __init__(self, sizes: np.ndarray, slots: int, threshold: float) -> None:
        self.sizes, self.slots, self.threshold = sizes, slots, threshold
        self.cut = _loosest_agreement(slots, threshold)

    def __call__(self, agree: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        ok = agree >= self.cut
        at = np.flatnonzero(ok)
        if at.shape[0]:
            ok[at] = identical_estimate_passes(agree[at], self.sizes[i[at]], self.sizes[j[at]], self.slots,
                                               self.threshold)
        return ok


def _agreeing(low: np.ndarray, passes: _EstimateFilter, pairs: np.ndarray) -> np.ndarray:
    """The ``pairs`` (int64, shape (P, 2)) whose rows of ``low`` (uint8, shape (N, NUM_PERM))
    agree in enough columns for ``passes`` (:func:`.minhash.agreements`)."""
    return pairs[passes(agreements(low, pairs), pairs[:, 0], pairs[:, 1])]


def _agreeing_in_bucket(low: np.ndarray, passes: _EstimateFilter, members: np.ndarray) -> np.ndarray:
    """As :func:`_agreeing` for every pair ``(members[a], members[b])``, ``a < b``, of one
    bucket (``members`` ascending, so the pairs are ``i < j``), without listing the pairs:
    each block of :data:`_BLOCK_ROWS` rows is compared with itself and the rows after it in
    one broadcast (about half the CPU of gathering two rows per pair). Returns int64 (P, 2)."""
    rows = low[members]
    out = [np.zeros((0, 2), dtype=np.int64)]
    for a in range(0, rows.shape[0] - 1, _BLOCK_ROWS):
        agree = np.add.reduce(rows[a:a + _BLOCK_ROWS, None, :] == rows[None, a:, :], axis=2, dtype=np.uint8)
        i, j = np.nonzero(agree >= passes.cut)  # bucket positions a + i and a + j
        upper = i < j
        i, j = i[upper], j[upper]
        pi, pj = members[a + i].astype(np.int64), members[a + j].astype(np.int64)
        ok = passes(agree[i, j], pi, pj)
        out.append(np.stack([pi[ok], pj[ok]], axis=1))
    return np.concatenate(out)


def score_pair(doc_a: Document, doc_b: Document, disc_a: np.ndarray, disc_b: np.ndarray, info_a, info_b,
               template: np.ndarray, stock: np.ndarray,
               identical: tuple[np.ndarray, np.ndarray] | None = None,
               rebuild: dict | None = None) -> tuple[PairScore | None, list[Finding]]:
    """Decide one candidate pair: verify it, score it, and build its DUP001/DUP002 finding.

    This is the body of :func:`detect_copies`' loop over candidate pairs; a distributed engine
    calls it on each pair its joins produced.

    Parameters
    ----------
    doc_a, doc_b : Document
        The pair, ``doc_a.doc_id < doc_b.doc_id``.
    disc_a, disc_b : numpy.ndarray of uint64, sorted unique
        Their discounted shingle sets (:attr:`Profile.discounted`).
    info_a, info_b : evidence.DocInfo, or a callable with no argument returning one
        Issuer/year/names of each document (:func:`.evidence.doc_info`); a callable is called
        only when a finding is built.
    template : numpy.ndarray of uint64
        :func:`.shingle.template_shingles`.
    stock : numpy.ndarray of uint64
        Shingles in :data:`.verify.STOCK_DOCS` or more documents of the batch.
    identical : (numpy.ndarray, numpy.ndarray), optional
        The pair's :func:`format_discounted` sets when :func:`identical_pairs` confirmed it
        (:func:`identical_jaccard` is not None): a pair the discounted sets do not call a
        near-duplicate is then verified again on these sets.
    rebuild : dict, optional
        When given and the pair is a DUP001, ``rebuild[(doc_a, doc_b)]`` is set to a function
        ``rebuild(a_copies: bool) -> Finding`` that builds the finding again in the direction a
        later stage tells (:func:`follow_rewrites`); it keeps the copied passages, not every
        aligned one.

    Returns
    -------
    (PairScore or None, list of Finding)
        None and ``[]`` when the pair is not a candidate
        (:attr:`.verify.Verified.candidate` false); else its score and zero or one finding
        (DUP001 for ``near-duplicate``, DUP002 for ``shared-passages``), without
        ``evidence.cluster_size`` (added batch-wide by :func:`name_clusters`).
    """
    v = verify(doc_a.text, doc_b.text, disc_a, disc_b, template, stock)
    if v.verdict != "near-duplicate" and identical is not None:
        # the batch-frequency discount removed the text these two share with each other
        v = verify(doc_a.text, doc_b.text, identical[0], identical[1], template, stock)
    if not v.candidate:
        return None, []
    shared = sum(p.chars for p in v.passages)
    score = PairScore(doc_a.doc_id, doc_b.doc_id, v.jaccard, v.containment_ab, v.containment_ba, shared,
                      v.verdict)
    rule = {"near-duplicate": "DUP001", "shared-passages": "DUP002"}.get(v.verdict)
    if rule is None:
        return score, []
    ia = info_a() if callable(info_a) else info_a
    ib = info_b() if callable(info_b) else info_b
    found = pair_finding(rule, doc_a.doc_id, doc_a.text, ia, doc_b.doc_id, doc_b.text, ib, v)
    if rebuild is not None and rule == "DUP001":
        slim = dataclasses.replace(v, all_passages=[])
        rebuild[(doc_a.doc_id, doc_b.doc_id)] = partial(_rebuilt, rule, doc_a.doc_id, doc_a.text, ia,
                                                        doc_b.doc_id, doc_b.text, ib, slim)
    return score, [found]


def _rebuilt(rule, id_a, text_a, info_a, id_b, text_b, info_b, v, a_copies: bool) -> Finding:
    return pair_finding(rule, id_a, text_a, info_a, id_b, text_b, info_b, v, copier=(a_copies, "rewrite"))


#: Directions REW001 on the same pair restates (:func:`follow_rewrites`).
_WEAKER = frozenset({"order", "machine-wording"})


def mark_rewrites(pairs: list[PairScore], rewrites: list[Finding]) -> list[PairScore]:
    """The pairs with verdict ``rewrite`` where REW001 found one document a synonym rewrite of
    the other and the shingles alone said less than ``near-duplicate`` (a spun copy shares few
    shingles: 104 substitutions left a pair ``shared-passages`` in the pairs table while REW001
    called it a rewrite; session-17 fresh-user test). Same order; other pairs unchanged.

    Parameters
    ----------
    pairs : list[PairScore]
    rewrites : list[Finding]
        The paired rewrite stage's findings (only REW001 with a ``related_doc_id`` counts).

    Returns
    -------
    list[PairScore]
    """
    rewritten = {tuple(sorted((f.doc_id, f.related_doc_id))) for f in rewrites
                 if f.rule == "REW001" and f.related_doc_id}
    if not rewritten:
        return pairs
    return [dataclasses.replace(p, verdict="rewrite")
            if p.verdict != "near-duplicate" and (p.doc_a, p.doc_b) in rewritten else p for p in pairs]


def follow_rewrites(findings: list[Finding], rewrites: list[Finding], rebuild: dict) -> list[Finding]:
    """Give every DUP001 on a pair that REW001 found a synonym rewrite the direction REW001
    found: the rewrite is the copy (spun wording is derived wording; which side is the rewrite
    :mod:`summary_analysis.rewrite.paired` tells from the implausible words). A DUP001 the copy
    stage had put on the other document (by year, unfilled fields, 导语, a place left in, or
    only by sort order) is built again on the rewrite, with ``copier_by`` ``rewrite`` and the
    message saying so, its ``cluster_size`` kept; one already on the rewrite keeps its reason,
    unless that was the sort order or REW002's verdict (REW001 says more). Before, a DUP001 could name one document the copy (or say
    the direction could not be told) while REW001 on the same pair named the other.

    Parameters
    ----------
    findings : list[Finding]
        The copy stage's findings (any rules; only DUP001 can change).
    rewrites : list[Finding]
        The paired rewrite stage's findings (REW001: ``doc_id`` the rewrite, ``related_doc_id``
        its original; other rules are ignored).
    rebuild : dict
        :attr:`CopyResult.rebuild` (``score_pair``'s ``rebuild``).

    Returns
    -------
    list[Finding]
        ``findings`` in the same order, some replaced. Raises nothing.
    """
    if not rebuild:
        return findings
    rewritten = {tuple(sorted((f.doc_id, f.related_doc_id))): f.doc_id
                 for f in rewrites if f.rule == "REW001" and f.related_doc_id}
    out = []
    for f in findings:
        key = tuple(sorted((f.doc_id, f.related_doc_id or "")))
        again = rebuild.get(key) if f.rule == "DUP001" else None
        copy = rewritten.get(key)
        if again is None or copy is None or (copy == f.doc_id and f.evidence.get("copier_by") not in _WEAKER):
            out.append(f)
            continue
        g = again(copy == key[0])
        size = f.evidence.get("cluster_size")
        out.append(with_cluster_size(g, size) if size is not None else g)
    return out


def cluster_sizes(edges) -> dict[str, int]:
    """Size of each cluster of documents linked by DUP001 findings (connected components,
    :func:`summary_analysis.groups.connected_components`).

    Parameters
    ----------
    edges : iterable of (str, str)
        ``(doc_id, related_doc_id)`` of each DUP001 finding.

    Returns
    -------
    dict[str, int]
        Each doc_id found in an edge mapped to the number of documents (>= 2) in its cluster.
    """
    return {d: len(members) for members in connected_components(edges) for d in members}


def with_cluster_size(finding: Finding, size: int) -> Finding:
    """A DUP001 finding with ``evidence.cluster_size`` = ``size`` (documents in its cluster,
    :func:`cluster_sizes`) and, when ``size >= 3``, the cluster named in the message."""
    msg = finding.message + (f"; one of {size} near-identical documents" if size >= 3 else "")
    return dataclasses.replace(finding, message=msg, evidence={**finding.evidence, "cluster_size": size})


def name_clusters(findings: list[Finding]) -> list[Finding]:
    """The findings, in the same order, with each DUP001 passed through
    :func:`with_cluster_size` (cluster sizes from :func:`cluster_sizes` over all DUP001s of
    the list; other findings unchanged). Batch-global: run it once on all pair findings."""
    sizes = cluster_sizes((f.doc_id, f.related_doc_id) for f in findings if f.rule == "DUP001")
    return [with_cluster_size(f, sizes[f.doc_id]) if f.rule == "DUP001" else f for f in findings]


def _index_findings(index, docs: list[Document], profs: list, skip, info) -> list[Finding]:
    """DUP003 findings of ``index.check``; when the reference index fails (a damaged database),
    one ING006 per document naming it instead, so the batch's own copy findings stand."""
    try:
        return index.check(docs, profs, skip, info)
    except Exception as exc:  # noqa: BLE001 - reported as findings, logged in full
        log.warning("reference index check failed: %s: %s", type(exc).__name__, exc)
        log.debug("reference index check failed", exc_info=True)
        return [stage_failed(d.doc_id, "reference index", exc) for d in docs]


def detect_copies(documents: list[Document], tokens: dict | None = None, index=None, *,
                  metas: dict | None = None, machine_rewritten: Mapping[str, bool] | None = None) -> CopyResult:
    """Find near-duplicate documents and shared passages in a batch.

    Parameters
    ----------
    documents : list[Document]
    tokens : dict, optional
        Unused (shingles are characters); accepted for the stage interface.
    index : ReferenceIndex, optional
        Reference library to check each document against (DUP003); None consults nothing.
    metas : dict[str, DocMeta], optional
        Issuer and year per doc_id from the structure stage; read off titles when absent.
    machine_rewritten : Mapping[str, bool], optional
        doc_id -> whether REW002 judged its wording machine-rewritten
        (:func:`.evidence.is_machine_rewritten`), a direction for a DUP001 that nothing else
        tells (:func:`.evidence.choose_copier`); read after ``metas[doc_id]``, so a mapping
        filled before each document's meta arrives is complete for it.

    Returns
    -------
    CopyResult
        ``pairs``: every verified pair that is a copy or a rewrite candidate, sorted;
        ``findings``: DUP001/DUP002 (and DUP003 with an index); ``candidates``: sorted
        ``(doc_a, doc_b)`` pairs for the rewrite check (REW001).
    """
    docs = sorted(documents, key=lambda d: d.doc_id)
    metas = metas or {}
    result = CopyResult()
    if not docs:
        return result
    hashes = shingle_hashes_many([d.text for d in docs])
    shingled = list(zip(sorted_unique_many(hashes), hashes))
    del hashes
    tmpl = template_shingles()
    frequent, stock = document_frequency([s for s, _ in shingled],
                                         [frequent_threshold(len(docs)), STOCK_DOCS])
    if len(docs) < 2:
        frequent = np.zeros(0, dtype=np.uint64)
    skip = np.union1d(tmpl, frequent)
    # format-discounted sets, needed only when the batch discount removed something
    profs, raw_sets, raw_sigs = sketch_batch(shingled, skip, tmpl, bool(frequent.shape[0]))
    del shingled
    infos: dict[int, ev.DocInfo] = {}

    def info(i: int) -> ev.DocInfo:
        if i not in infos:
            d = docs[i]
            meta = metas.get(d.doc_id)  # first: with jobs > 1 it waits for the document's results
            infos[i] = ev.doc_info(d.text, d.title, meta,
                                   machine_rewritten=bool(machine_rewritten and machine_rewritten.get(d.doc_id)))
        return infos[i]

    if len(docs) > 1:
        # a large group of copies (one shingle set) takes part in the candidate search through
        # its first document only; every other copy is paired with that first (a star)
        first = duplicate_groups([p.shingles for p in profs])
        rows = np.array([i for i in range(len(docs)) if first.get(i, i) == i], dtype=np.int64)
        keys = band_keys(np.stack([profs[i].signature for i in rows.tolist()]))
        cands = rows[candidate_pairs(keys, [profs[i].fingerprints for i in rows.tolist()]).reshape(-1, 2)]
        star = np.array([(f, m) for m, f in sorted(first.items()) if m != f], dtype=np.int64).reshape(-1, 2)
        identical: dict = {}
        if frequent.shape[0]:
            found = identical_pairs([raw_sets[i] for i in rows.tolist()], sigs=raw_sigs[rows])
            identical = {(int(rows[i]), int(rows[j])): jac for (i, j), jac in found.items()}
            for f, m in star.tolist():
                jac = identical_jaccard(raw_sets[f], raw_sets[m], raw_sigs[f], raw_sigs[m])
                if jac is not None:
                    identical[(f, m)] = jac
        extra = np.array(sorted(identical), dtype=np.int64).reshape(-1, 2)
        cands = unique_pairs(np.concatenate([cands, extra, star]))
        # hundreds of near-copies of one another: each document's nearest partners only
        cands = nearest_partners(cands, np.stack([p.signature for p in profs]))
        log.debug("%d candidate pairs among %d documents", cands.shape[0], len(docs))
        for i, j in cands.tolist():
            score, found = score_pair(docs[i], docs[j], profs[i].discounted, profs[j].discounted,
                                      partial(info, i), partial(info, j), tmpl, stock,
                                      (raw_sets[i], raw_sets[j]) if (i, j) in identical else None,
                                      result.rebuild)
            if score is None:
                continue
            result.candidates.append((score.doc_a, score.doc_b))
            result.pairs.append(score)
            result.findings.extend(found)
    if index is not None:
        result.findings.extend(_index_findings(index, docs, profs, skip, info))
    result.findings = name_clusters(result.findings)
    result.pairs.sort(key=lambda p: (p.doc_a, p.doc_b))
    result.candidates.sort()
    result.findings.sort(key=Finding.sort_key)
    return result
