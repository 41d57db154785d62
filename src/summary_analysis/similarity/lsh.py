"""Candidate pairs without comparing every pair: LSH banding of MinHash signatures and an
inverted index of winnowed shingle fingerprints.

Both generators are pure functions over per-document arrays, so a distributed engine can run
them as a join: :func:`band_keys` (per document) then group by ``(band, key)``; and
:func:`winnow` (per document) then group by fingerprint, keeping fingerprints held by few
documents.

- **LSH banding** (Leskovec, Rajaraman and Ullman, *Mining of Massive Datasets*, ch. 3.4): the
  signature's :data:`BANDS` bands of :data:`ROWS` rows each; two documents are candidates when
  any band agrees. With 32 x 4 the S-curve is at about (1/32)^(1/4) = 0.42 Jaccard: a pair at
  0.6 is a candidate with probability 0.99, one at 0.1 with 0.003.
- **Winnowing** (Schleimer, Wilkerson and Aiken, SIGMOD 2003): the minimum shingle hash of every
  window of :data:`WINDOW` consecutive shingles; any shared run of ``WINDOW + n - 1`` content
  characters shares at least one fingerprint. This catches containment (a one-page excerpt of a
  long report) and shared passages, which a Jaccard S-curve misses.
"""

from __future__ import annotations


import numpy as np

from .minhash import NUM_PERM, agreements
from .shingle import mix64, sorted_unique, sorted_unique_many, split_kept

#: LSH bands x rows = NUM_PERM.
BANDS = 32
ROWS = NUM_PERM // BANDS
#: Winnowing window (shingles).
WINDOW = 6
#: LSH buckets holding more documents are skipped (:func:`lsh_pairs`).
MAX_BUCKET = 500
#: Rare fingerprints two documents must share to be candidates (:func:`fingerprint_pairs`).
MIN_SHARED = 4
#: Fingerprints held by more documents are stock phrases of the batch (:func:`fingerprint_pairs`).
MAX_DF = 8
#: Candidate partners a document keeps when it has more (:func:`nearest_partners`); the same
#: number as ``similarity.MAX_DUPLICATE_GROUP``: up to 33 near-copies of one another are all
#: compared pair by pair, as are up to 32 identical ones.
MAX_PARTNERS = 32
_MAXH = np.uint64(0xFFFFFFFFFFFFFFFF)


def band_keys(signature: np.ndarray, bands: int = BANDS) -> np.ndarray:
    """Hash each band of a signature (or of a stack of signatures) to one key.

    Parameters
    ----------
    signature : numpy.ndarray of uint64, shape (NUM_PERM,) or (N, NUM_PERM)
    bands : int
        Number of bands; must divide the signature length.

    Returns
    -------
    numpy.ndarray of uint64, shape (bands,) or (N, bands)
        Key ``[b]`` depends on the band index and its rows only.

    Raises
    ------
    ValueError
        If ``bands`` does not divide the signature length.
    """
    sig = np.asarray(signature, dtype=np.uint64)
    one = sig.ndim == 1
    if one:
        sig = sig[None, :]
    n, k = sig.shape
    if k % bands:
        raise ValueError(f"{bands} bands do not divide a signature of {k} slots")
    rows = k // bands
    s = sig.reshape(n, bands, rows)
    h = np.broadcast_to(np.arange(bands, dtype=np.uint64)[None, :] + np.uint64(0x51ED27), (n, bands)).copy()
    with np.errstate(over="ignore"):
        for r in range(rows):
            h = mix64(h * np.uint64(0x100000001B3) + s[:, :, r])
    return h[0] if one else h


def group_pairs(sorted_ids: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """All (i, j) pairs inside groups of a sorted array (group ``k`` is
    ``sorted_ids[starts[k]:starts[k] + sizes[k]]``); shape (P, 2) int64.

    Groups of one size are expanded together: their members form a (G, s) matrix and the
    upper triangle of column index pairs (``numpy.triu_indices``) selects every pair at once.
    A pair lists its members in their order in ``sorted_ids``, so ``i < j`` when the ids
    ascend within each group (as :func:`_groups`' stable sort leaves row indices, and the
    document numbers of :func:`fingerprint_pairs`). Row order is unspecified (callers make
    pairs unique or count them).

    Parameters
    ----------
    sorted_ids : numpy.ndarray of int, shape (M,)
        Ids (row indices or document numbers) grouped: each group a contiguous run.
    starts, sizes : numpy.ndarray of int, shape (G,)
        Offset in ``sorted_ids`` and length of each group to expand; groups of fewer than 2
        ids give no pair.

    Returns
    -------
    numpy.ndarray of int64, shape (P, 2)
        ``sum(s * (s - 1) / 2)`` pairs over the group sizes ``s``; shape (0, 2) when none.
    """
    out = []
    for s in np.unique(sizes):
        s = int(s)
        if s < 2:
            continue
        st = starts[sizes == s]
        members = sorted_ids[st[:, None] + np.arange(s)[None, :]]  # (G, s)
        ia, ib = np.triu_indices(s, 1)
        out.append(np.stack([members[:, ia].ravel(), members[:, ib].ravel()], axis=1))
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    return np.concatenate(out).astype(np.int64, copy=False)


def _groups(keys: np.ndarray):
    """Groups of equal keys: the stable sort order of ``keys`` (equal keys keep ascending row
    indices), and the start and size of each group in that order."""
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    if k.shape[0] == 0:
        return order, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    brk = np.nonzero(k[1:] != k[:-1])[0] + 1
    starts = np.concatenate([[0], brk])
    sizes = np.diff(np.concatenate([starts, [k.shape[0]]]))
    return order, starts, sizes


def lsh_pairs(keys: np.ndarray, max_bucket: int = MAX_BUCKET) -> np.ndarray:
    """Candidate pairs of documents whose band keys agree in at least one band.

    Parameters
    ----------
    keys : numpy.ndarray of uint64, shape (N, bands)
        :func:`band_keys` of N signatures (rows = documents).
    max_bucket : int
        Buckets holding more documents are skipped (a mass of identical blank templates would
        otherwise make the step quadratic); those documents still meet via other bands or the
        fingerprint index.

    Returns
    -------
    numpy.ndarray of int64, shape (P, 2)
        Row indices ``(i, j)`` with ``i < j``, unique, sorted.
    """
    if keys.shape[0] < 2:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = [group_pairs(order, starts, sizes) for order, starts, sizes in band_buckets(keys, max_bucket)]
    return unique_pairs(np.concatenate(pairs))


def band_buckets(keys: np.ndarray, max_bucket: int = MAX_BUCKET):
    """The LSH buckets of :func:`lsh_pairs`, band by band, before they are expanded into pairs
    (so a caller can filter a band's pairs, or compare a large bucket as a block, before the
    union: :func:`summary_analysis.similarity.identical_pairs`).

    Parameters
    ----------
    keys : numpy.ndarray of uint64, shape (N, bands)
    max_bucket : int
        As :func:`lsh_pairs`.

    Yields
    ------
    (numpy.ndarray of intp, numpy.ndarray of int64, numpy.ndarray of int64)
        For each band, ``order`` (row indices grouped by key, ascending within a bucket) and
        the ``starts`` and ``sizes`` of its buckets of 2 to ``max_bucket`` documents: bucket
        ``k`` holds rows ``order[starts[k]:starts[k] + sizes[k]]``. :func:`group_pairs`
        expands them into the band's pairs ``(i, j)``, ``i < j``; a pair agreeing in several
        bands comes once per band.
    """
    for b in range(keys.shape[1]):
        order, starts, sizes = _groups(keys[:, b])
        keep = (sizes >= 2) & (sizes <= max_bucket)
        yield order, starts[keep], sizes[keep]


def unique_pairs(p: np.ndarray) -> np.ndarray:
    """Unique rows of (P, 2) non-negative int64 pairs, sorted by (i, j).

    Each row is coded as one integer ``i * n + j`` (``n`` = largest index + 1), whose order is the
    rows' lexicographic order, and the codes are made unique by sorting
    (:func:`.shingle.sorted_unique`): on millions of candidate pairs this is many times faster
    than ``numpy.unique(axis=0)`` (and than ``numpy.unique`` on the codes, with numpy 2.4).
    """
    if p.shape[0] == 0:
        return np.zeros((0, 2), dtype=np.int64)
    n = np.int64(int(p.max()) + 1)
    code = sorted_unique(p[:, 0] * n + p[:, 1])
    return np.stack([code // n, code % n], axis=1)


def _unique_counts(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values of a 1-D array and how often each occurs (sort-based)."""
    a = np.sort(a)
    if a.shape[0] == 0:
        return a, np.zeros(0, dtype=np.int64)
    starts = np.concatenate([[0], np.nonzero(a[1:] != a[:-1])[0] + 1])
    counts = np.diff(np.concatenate([starts, [a.shape[0]]]))
    return a[starts], counts


def winnow(hashes: np.ndarray, skip: np.ndarray | None = None, window: int = WINDOW) -> np.ndarray:
    """Winnowing fingerprints of a document's positional shingle hashes.

    Parameters
    ----------
    hashes : numpy.ndarray of uint64, shape (M,)
        Shingle hashes in text order (:func:`.shingle.hash_codes`).
    skip : numpy.ndarray of bool, shape (M,), optional
        Shingles never to select (template or batch-frequent ones).
    window : int
        Window length in shingles.

    Returns
    -------
    numpy.ndarray of uint64, shape (F,)
        Sorted unique fingerprint hashes.
    """
    return winnow_many([np.asarray(hashes, dtype=np.uint64)], skip, window)[0]


def winnow_many(hashes: list[np.ndarray], skip: np.ndarray | None = None, window: int = WINDOW) -> list[np.ndarray]:
    """:func:`winnow` of many documents, with the window minima taken, filtered and cut back
    per document in passes over their concatenated hashes (a window straddling two documents
    is computed but never read); only the sorting is per document.

    Parameters
    ----------
    hashes : list of numpy.ndarray of uint64, shapes (M_i,)
        Each document's shingle hashes in text order.
    skip : numpy.ndarray of bool, shape (sum of M_i,), optional
        The documents' skip flags (as :func:`winnow`'s), concatenated in the same order.
    window : int
        Window length in shingles.

    Returns
    -------
    list of numpy.ndarray of uint64
        ``winnow(hashes[i], skip_i, window)`` for each document: sorted unique fingerprints.
    """
    lens = [a.shape[0] for a in hashes]
    starts = np.cumsum([0] + lens)
    total = int(starts[-1])
    # the concatenation, skipped positions set to the largest value (never a fingerprint), and
    # window - 1 of them appended so that a window starts at every position
    h = np.full(total + window - 1, _MAXH, dtype=np.uint64)
    if total:
        h[:total] = np.concatenate(hashes)
    if skip is not None:
        np.putmask(h[:total], skip, _MAXH)
    # mins[p]: the minimum of the window starting at position p (values only: which copy of a
    # tied value is chosen does not matter for matching)
    mins = h[:total].copy()
    for k in range(1, window):
        np.minimum(mins, h[k:k + total], out=mins)
    # keep a window's minimum unless it is a skipped one or repeats the previous window's
    keep = mins != _MAXH
    keep[1:] &= mins[1:] != mins[:-1]
    for a, n in zip(starts[:-1].tolist(), lens):
        if n > window:  # windows at the document's first n - window + 1 positions
            keep[a + n - window + 1:a + n] = False
        elif n:  # one window, the whole document
            mins[a] = h[a:a + n].min()
            keep[a + 1:a + n] = False
        if n:  # the first window counts whatever the previous document's last one held
            keep[a] = mins[a] != _MAXH
    return sorted_unique_many(split_kept(mins, keep, starts))


def fingerprint_pairs(fingerprints: list[np.ndarray], min_shared: int = MIN_SHARED, max_df: int = MAX_DF) -> np.ndarray:
    """Candidate pairs of documents sharing at least ``min_shared`` rare fingerprints.

    Parameters
    ----------
    fingerprints : list of numpy.ndarray of uint64
        :func:`winnow` output per document (row index = list position).
    min_shared : int
        Fingerprints two documents must share.
    max_df : int
        Fingerprints held by more documents are stock phrases of the batch and ignored (this
        bounds the work by ``postings x max_df``).

    Returns
    -------
    numpy.ndarray of int64, shape (P, 2)
        ``(i, j)`` with ``i < j``, unique, sorted.
    """
    if len(fingerprints) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    lens = np.array([f.shape[0] for f in fingerprints], dtype=np.int64)
    if lens.sum() == 0:
        return np.zeros((0, 2), dtype=np.int64)
    fp = np.concatenate(fingerprints)
    doc = np.repeat(np.arange(len(fingerprints), dtype=np.int64), lens)
    order, starts, sizes = _groups(fp)
    keep = (sizes >= 2) & (sizes <= max_df)
    pairs = group_pairs(doc[order], starts[keep], sizes[keep])
    if pairs.shape[0] == 0:
        return pairs
    n = np.int64(len(fingerprints))
    code = pairs[:, 0] * n + pairs[:, 1]
    uniq, counts = _unique_counts(code)
    uniq = uniq[counts >= min_shared]
    return np.stack([uniq // n, uniq % n], axis=1)


def candidate_pairs(keys: np.ndarray, fingerprints: list[np.ndarray], min_shared: int = MIN_SHARED,
                    max_df: int = MAX_DF) -> np.ndarray:
    """Union of :func:`lsh_pairs` and :func:`fingerprint_pairs`: int64 (P, 2), sorted unique."""
    parts = [lsh_pairs(keys), fingerprint_pairs(fingerprints, min_shared, max_df)]
    return unique_pairs(np.concatenate(parts))


def estimated_jaccard(pairs: np.ndarray, signatures: np.ndarray) -> np.ndarray:
    """MinHash estimate of the Jaccard similarity of each pair: the share of signature slots
    on which its two documents agree (Broder, 1997; :func:`.minhash.agreements` / slots).

    Parameters
    ----------
    pairs : numpy.ndarray
        int64, shape ``(P, 2)``: row numbers into ``signatures``.
    signatures : numpy.ndarray
        Shape ``(n, k)``, one MinHash signature per document.

    Returns
    -------
    numpy.ndarray
        float64, ``P`` values in 0..1 (multiples of ``1/k``).
    """
    return agreements(signatures, pairs) / max(1, signatures.shape[1])


def nearest_partners(pairs: np.ndarray, signatures: np.ndarray, limit: int | None = None) -> np.ndarray:
    """The candidate pairs kept when a document has more than ``limit`` partners (default
    :data:`MAX_PARTNERS`): each document keeps its ``limit`` partners of highest
    :func:`estimated_jaccard` (ties: the partner that comes first), and a pair is kept when
    either of its documents keeps it (a k-nearest-neighbour graph). A document copied by many
    keeps every copy that counts it among its nearest; hundreds of near-copies of one another
    give at most ``limit`` pairs per document instead of every pair (300 near-identical
    reports gave 42,955 verified pairs, 11 GB and 19 minutes on a loaded machine; with the
    limit 7,105 pairs, 0.9 GB and 2 minutes).

    Parameters
    ----------
    pairs : numpy.ndarray
        int64, shape ``(P, 2)``, sorted unique ``(i, j)`` with ``i < j``: row numbers into
        ``signatures``.
    signatures : numpy.ndarray
        Shape ``(n, k)``, one MinHash signature per document.
    limit : int, optional

    Returns
    -------
    numpy.ndarray
        The kept rows of ``pairs``, in their order; ``pairs`` itself when no document has more
        than ``limit`` partners.
    """
    limit = MAX_PARTNERS if limit is None else limit
    if pairs.shape[0] == 0 or np.bincount(pairs.ravel()).max() <= limit:
        return pairs
    est = estimated_jaccard(pairs, signatures)
    doc = np.concatenate([pairs[:, 0], pairs[:, 1]])
    partner = np.concatenate([pairs[:, 1], pairs[:, 0]])
    which = np.concatenate([np.arange(pairs.shape[0])] * 2)
    order = np.lexsort((partner, -np.concatenate([est, est]), doc))  # by doc, best first
    doc = doc[order]
    starts = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1]])
    rank = np.arange(doc.shape[0]) - np.repeat(starts, np.diff(np.r_[starts, doc.shape[0]]))
    kept = np.zeros(pairs.shape[0], dtype=bool)
    kept[which[order][rank < limit]] = True
    return pairs[kept]
