"""Character n-gram shingles of Chinese text, hashed deterministically with numpy.

The analysis string ("compact" form) keeps only content characters of the width-folded text
(full-width ASCII forms to half width, as :func:`summary_analysis.normalize.fold`): CJK
ideographs, letters (lower-cased), the placeholder
marks ``×`` and ``▲``, and digits, where every run of digits becomes one digit-class character
``0``. Whitespace, punctuation and line breaks are dropped, so a copy re-wrapped or re-punctuated
shingles the same; figures and years changed inside a copied passage (the classic disguise) do
not break its shingles. Each compact character keeps the ``[start, end)`` range it covers in
``Document.text``, so every shingle maps back to a span.

Shingle hashes are a polynomial of the code points mixed by the SplitMix64 finaliser (Steele,
Lea and Flood 2014): pure integer arithmetic with fixed constants, identical across processes,
platforms and ``PYTHONHASHSEED`` values, so stored signatures stay comparable across versions.

Shingle size: :data:`SHINGLE_SIZE` = 4 characters, chosen by measurement on corpus/
(``benchmarks/shingle_size.py``: the seed's copied pair #1/#4 against the most similar other pair
has Jaccard 0.26 vs 0.07 at n=4, 0.21 vs 0.06 at n=5, 0.13 vs 0.08 at n=8): shorter shingles (2)
are shared by unrelated reports through common words; longer ones lose edited copies because
every changed character removes n shingles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np


#: Shingle length in compact characters.
SHINGLE_SIZE = 4

_P = np.uint64(0x100000001B3)  # FNV-64 prime, the polynomial base
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
DIGIT_CLASS = ord("0")


def mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser applied element-wise.

    Parameters
    ----------
    z : numpy.ndarray of uint64, any shape

    Returns
    -------
    numpy.ndarray of uint64, same shape (wrapping 64-bit arithmetic; deterministic).
    """
    return mix64_inplace(np.array(z, dtype=np.uint64))  # a copy, updated in place


def mix64_inplace(z: np.ndarray) -> np.ndarray:
    """:func:`mix64` overwriting ``z`` (uint64, any shape, writeable; fewer temporaries), for
    callers that own the array. Returns ``z``."""
    with np.errstate(over="ignore"):
        z ^= z >> _S30
        z *= _M1
        z ^= z >> _S27
        z *= _M2
        z ^= z >> _S31
    return z


@dataclass(frozen=True)
class Compact:
    """The compact analysis form of a text.

    Attributes
    ----------
    codes : numpy.ndarray of uint32, shape (L,)
        Code points of the kept characters (digit runs as one ``0``).
    starts, ends : numpy.ndarray of int64, shape (L,)
        ``[start, end)`` character offsets in the original text covered by each kept character.
    """

    codes: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original-text span ``[start, end)`` of compact characters ``i .. j-1`` (``i < j``)."""
        return int(self.starts[i]), int(self.ends[j - 1])


def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """For every code point below U+10000: its folded, lower-cased code (as :func:`compact` maps
    it) and its class on that code (0 dropped, 1 kept, 2 digit)."""
    cp = np.arange(0x10000, dtype=np.uint32)
    mapped = cp.copy()
    mapped[(cp >= 0xFF01) & (cp <= 0xFF5E)] -= 0xFEE0
    mapped[(mapped >= 65) & (mapped <= 90)] += 32
    digit = (mapped >= 48) & (mapped <= 57)
    keep = (digit | ((mapped >= 97) & (mapped <= 122)) | ((mapped >= 0x3400) & (mapped <= 0x9FFF))
            | ((mapped >= 0xF900) & (mapped <= 0xFAFF)) | (mapped == 0xD7) | (mapped == 0x25B2)
            | (mapped == 0x3007))
    return mapped, np.where(digit, 2, np.where(keep, 1, 0)).astype(np.uint8)


_BMP_MAP, _BMP_CLASS = _bmp_tables()


def compact(text: str) -> Compact:
    """Reduce ``text`` to its content characters with an offset map.

    Parameters
    ----------
    text : str
        Any text (``Document.text``).

    Returns
    -------
    Compact
        Codes and their character offsets into ``text`` (not bytes).
    """
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return Compact(np.zeros(0, dtype=np.uint32), empty, empty)
    arr, digit, keep = _classify(text)
    codes, idx, is_digit = _kept(arr, digit, keep)
    ends = idx + 1
    if is_digit.any():
        # a digit run ends at the next non-digit, or at the text's end (the appended sentinel;
        # a text of digits only has no non-digit at all)
        nondigit = np.append(np.nonzero(~digit)[0], arr.shape[0])
        ends = ends.copy()
        ends[is_digit] = nondigit[np.searchsorted(nondigit, idx[is_digit])]
    return Compact(codes, idx.astype(np.int64), ends.astype(np.int64))


def compact_codes(text: str) -> np.ndarray:
    """``compact(text).codes`` without the offset map (all that shingling needs).

    Parameters
    ----------
    text : str

    Returns
    -------
    numpy.ndarray of uint32, shape (L,)
        The compact characters' codes (folded; each digit run one :data:`DIGIT_CLASS` code),
        ``L <= len(text)``.
    """
    if not text:
        return np.zeros(0, dtype=np.uint32)
    return _kept(*_classify(text))[0]


def _classify(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The folded code of every character of a non-empty ``text``, which are digits, and which
    :func:`compact` keeps (content characters, the first digit of each run): three arrays of
    shape (len(text),)."""
    arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if arr.max() < 0x10000:
        # every character in the BMP (the usual case): two table look-ups instead of the
        # comparisons below (same codes, same classes; tests/test_shingle_fastpath.py)
        arr = _BMP_MAP[arr]
        cls = _BMP_CLASS[arr]
        digit = cls == 2
        keep = cls != 0
        keep[1:] &= ~(digit[1:] & digit[:-1])
        return arr, digit, keep
    arr = arr.copy()
    # width folding as normalize.fold, vectorised: full-width ASCII forms to half width
    wide = (arr >= 0xFF01) & (arr <= 0xFF5E)
    arr[wide] -= 0xFEE0
    upper = (arr >= 65) & (arr <= 90)
    arr[upper] += 32
    digit = (arr >= 48) & (arr <= 57)
    keep = (
        digit
        | ((arr >= 97) & (arr <= 122))
        | ((arr >= 0x3400) & (arr <= 0x9FFF))
        | ((arr >= 0xF900) & (arr <= 0xFAFF))
        | (arr >= 0x20000)
        | (arr == 0xD7)  # ×
        | (arr == 0x25B2)  # ▲
        | (arr == 0x3007)  # 〇
    )
    prev_digit = np.zeros_like(digit)
    prev_digit[1:] = digit[:-1]
    keep &= ~(digit & prev_digit)
    return arr, digit, keep


def _kept(arr: np.ndarray, digit: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The kept codes (digit runs as one :data:`DIGIT_CLASS` code), their positions in the text
    and which are digits."""
    idx = np.nonzero(keep)[0]
    codes = arr[idx]
    is_digit = digit[idx]
    codes[is_digit] = DIGIT_CLASS
    return codes, idx, is_digit


def hash_codes(codes: np.ndarray, n: int = SHINGLE_SIZE) -> np.ndarray:
    """Hashes of every n-gram of a code array, in position order.

    Parameters
    ----------
    codes : numpy.ndarray, shape (L,)
    n : int
        Shingle length (characters).

    Returns
    -------
    numpy.ndarray of uint64, shape (max(L - n + 1, 0),)
        ``out[i]`` hashes ``codes[i:i+n]``.
    """
    L = int(codes.shape[0])
    if L < n:
        return np.zeros(0, dtype=np.uint64)
    c = codes.astype(np.uint64)
    m = L - n + 1
    h = c[:m].copy()  # the polynomial, evaluated in place: ((c0 * P + c1) * P + c2) ...
    with np.errstate(over="ignore"):
        for k in range(1, n):
            h *= _P
            h += c[k:k + m]
        h += np.uint64(n)
    return mix64_inplace(h)


def shingle_hashes(text: str, n: int = SHINGLE_SIZE) -> np.ndarray:
    """Positional shingle hashes of ``text`` (see :func:`hash_codes`); shape (L - n + 1,)."""
    return hash_codes(compact_codes(text), n)


#: Characters of text :func:`shingle_hashes_many` shingles in one vectorised pass.
_CHARS_PER_PASS = 1 << 16


def shingle_hashes_many(texts: list[str], n: int = SHINGLE_SIZE) -> list[np.ndarray]:
    """:func:`shingle_hashes` of many texts, computed about :data:`_CHARS_PER_PASS` characters
    at a time (measured fastest: larger passes leave the CPU cache, smaller ones pay more calls).

    The texts of a pass are joined with line breaks and compacted and hashed as one text, so the
    per-call numpy overhead is paid once per pass instead of once per text. A line break is
    dropped by :func:`compact` and ends a digit run, so every compact character, digit run and
    hash of a text is the one it gets alone; the hashes of the n-grams that straddle two texts
    are left out.

    Parameters
    ----------
    texts : list of str
    n : int
        Shingle length (characters).

    Returns
    -------
    list of numpy.ndarray of uint64
        Equal to ``[shingle_hashes(t, n) for t in texts]`` (each entry may be a view of a
        larger array).
    """
    out: list[np.ndarray] = []
    start = 0
    while start < len(texts):
        stop, chars = start + 1, len(texts[start])
        while stop < len(texts) and chars + len(texts[stop]) <= _CHARS_PER_PASS:
            chars += len(texts[stop]) + 1
            stop += 1
        out.extend(_hashes_of_joined(texts[start:stop], n))
        start = stop
    return out


def _hashes_of_joined(texts: list[str], n: int) -> list[np.ndarray]:
    """The part of :func:`shingle_hashes_many` for one pass."""
    joined = "\n".join(texts)
    if not joined:
        return [np.zeros(0, dtype=np.uint64) for _ in texts]
    codes, idx, _ = _kept(*_classify(joined))
    # text k starts at offset starts[k] of the joined text; its compact characters are
    # codes[cut[k]:cut[k + 1]] and its n-grams start at cut[k] .. cut[k + 1] - n
    starts = np.cumsum([0] + [len(t) + 1 for t in texts])
    cut = np.searchsorted(idx, starts).tolist()
    h = hash_codes(codes, n)
    return [h[a:max(a, b - n + 1)] for a, b in zip(cut[:-1], cut[1:])]


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Sorted unique values of a uint64 array (sort-based; faster than ``np.unique`` here)."""
    a = np.sort(values)
    if a.shape[0] < 2:
        return a
    keep = np.empty(a.shape[0], dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def sorted_unique_many(arrays: list[np.ndarray]) -> list[np.ndarray]:
    """:func:`sorted_unique` of each of many uint64 arrays: each is sorted alone (in place in
    their concatenation), then the repeats of :data:`_ARRAYS_PER_PASS` arrays are dropped in
    one pass over their concatenation (the first value of each array is always kept) and the
    result is cut back per array (:func:`split_kept`).

    Parameters
    ----------
    arrays : list of numpy.ndarray of uint64, shapes (M_i,)

    Returns
    -------
    list of numpy.ndarray of uint64
        Equal to ``[sorted_unique(a) for a in arrays]`` (entries are views of larger arrays).
    """
    out: list[np.ndarray] = []
    for first in range(0, len(arrays), _ARRAYS_PER_PASS):
        part = arrays[first:first + _ARRAYS_PER_PASS]
        a = np.concatenate(part).astype(np.uint64, copy=False)
        starts = np.cumsum([0] + [x.shape[0] for x in part])
        for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist()):
            a[lo:hi].sort()  # in place: a is a new array
        new = np.empty(a.shape[0], dtype=bool)
        new[:1] = True
        np.not_equal(a[1:], a[:-1], out=new[1:])
        new[starts[:-1][starts[:-1] < a.shape[0]]] = True  # an array's first value is new to it
        out.extend(split_kept(a, new, starts))
    return out


#: Arrays :func:`sorted_unique_many` takes in one pass.
_ARRAYS_PER_PASS = 128


def split_kept(values: np.ndarray, keep: np.ndarray, starts: np.ndarray) -> list[np.ndarray]:
    """``values[keep]`` cut back into the pieces of concatenated arrays.

    Parameters
    ----------
    values : numpy.ndarray, shape (M,)
        Several arrays concatenated.
    keep : numpy.ndarray of bool, shape (M,)
    starts : numpy.ndarray of int, shape (K + 1,)
        Offset of each of the K arrays in ``values``, then M.

    Returns
    -------
    list of numpy.ndarray
        ``values[a:b][keep[a:b]]`` for each array (views of one array).
    """
    kept = np.flatnonzero(keep)
    # the kept values of array k are those whose positions lie in [starts[k], starts[k + 1])
    cuts = np.searchsorted(kept, starts).tolist()
    pieces = values[kept]
    return [pieces[a:b] for a, b in zip(cuts[:-1], cuts[1:])]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values of a uint64 array and, for each input position, the index of its
    value among them (as ``numpy.unique(values, return_inverse=True)``, sort-based and faster).

    Parameters
    ----------
    values : numpy.ndarray of uint64, shape (M,)

    Returns
    -------
    (numpy.ndarray of uint64, shape (S,), numpy.ndarray of int32, shape (M,))
        ``unique`` equals :func:`sorted_unique` of ``values``, and
        ``unique[inverse] == values``, so the pair can stand in for ``values`` (the inverse is
        int64 only when M reaches 2**31).
    """
    order = np.argsort(values)
    a = values[order]
    index = np.int32 if a.shape[0] < 2**31 else np.int64
    if a.shape[0] == 0:
        return a, np.zeros(0, dtype=index)
    new = np.empty(a.shape[0], dtype=bool)
    new[0] = True
    np.not_equal(a[1:], a[:-1], out=new[1:])
    inverse = np.empty(a.shape[0], dtype=index)
    inverse[order] = np.cumsum(new, dtype=index) - 1  # group of each sorted value, put back in place
    return a[new], inverse


def shingle_set(text: str, n: int = SHINGLE_SIZE) -> np.ndarray:
    """Sorted unique shingle hashes of ``text``: numpy uint64 array, shape (S,)."""
    return sorted_unique(shingle_hashes(text, n))


#: Version of what :func:`template_shingles` discounts; stored with reference-index signatures
#: (they are of discounted sets). f2: the format's lines as filled tables stand (session 18).
FORMAT_DISCOUNT = "f2"


@lru_cache(maxsize=4)
def template_shingles(n: int = SHINGLE_SIZE) -> np.ndarray:
    """Sorted unique shingles of the statutory format's fixed text.

    Source: ``data/statutory_format.txt`` (the table row labels, headings and standard preamble of
    《中华人民共和国政府信息公开工作年度报告格式》, 国办公开办函〔2021〕30号, and the usual
    2008-format preamble), also as its lines stand in a filled report: each line between numbers
    (a table row: 规章 0 0 0), and every two lines one after the other, with up to two numbers
    between them (:func:`_junction_shingles`). Shingles found there are discounted from every
    document: two reports that share only the format are not copies.
    """
    text = resources.files("summary_analysis.data").joinpath("statutory_format.txt").read_text("utf-8")
    # A filled table reads label, numbers, label, numbers: its shingles run from a label into
    # the numbers beside it (规章000) and on into the next label (0行政规). Every number is one
    # digit-class character, so two reports' tables share those shingles whatever their figures,
    # and two reports that were little more than their tables were DUP001 "near-duplicates"
    # (session-17 hostile test: three townships with one sentence of their own each).
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    filled = "\n".join(f"{' 0' * k} {line} {'0 ' * k}" for line in lines for k in (1, 2, 3))
    parts = [shingle_set(text, n), shingle_set(filled + "\n0 0 0 0 0 0 0 0\n", n),
             _junction_shingles([compact_codes(line) for line in lines], n)]
    return sorted_unique(np.concatenate(parts))


def _junction_shingles(codes: list[np.ndarray], n: int = SHINGLE_SIZE) -> np.ndarray:
    """Hashes of the shingles that cross from the end of one line into the start of another,
    for every ordered pair of the lines' compact codes (each with at least ``n - 1`` codes),
    with 0, 1 or 2 digit-class codes between: the n-grams of ``end + digits + start`` holding
    at least one code of each line. Vectorised over the pairs. Returns uint64, unsorted."""
    m = n - 1
    rows = [c for c in codes if c.shape[0] >= m]
    if not rows:
        return np.zeros(0, dtype=np.uint64)
    ends = np.stack([c[-m:] for c in rows]).astype(np.uint32)
    starts = np.stack([c[:m] for c in rows]).astype(np.uint32)
    i, j = np.meshgrid(np.arange(len(rows)), np.arange(len(rows)), indexing="ij")
    i, j = i.ravel(), j.ravel()
    out = []
    for k in range(3):
        digits = np.full((i.shape[0], k), DIGIT_CLASS, dtype=np.uint32)
        seq = np.concatenate([ends[i], digits, starts[j]], axis=1)  # (P, 2m + k)
        width = seq.shape[1]
        h = hash_codes(seq.ravel(), n)
        # windows starting in the end part and reaching the start part, within one row
        first = [w for w in range(width - n + 1) if w < m and w + n > m + k]
        at = (np.arange(seq.shape[0])[:, None] * width + np.array(first)[None, :]).ravel()
        out.append(h[at])
    return np.concatenate(out)


def remove_sorted(values: np.ndarray, drop: np.ndarray) -> np.ndarray:
    """``values`` without the elements of ``drop`` (both sorted unique uint64 arrays)."""
    if drop.shape[0] == 0 or values.shape[0] == 0:
        return values
    return values[~in_sorted(values, drop)]


def in_sorted(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Boolean mask: which ``values`` occur in the sorted array ``table``."""
    return lookup_sorted(values, table)[0]


class HashTable:
    """A sorted unique uint64 array of shingle hashes indexed for fast look-ups.

    Shingle hashes are SplitMix64-mixed, so their top ``bits`` bits spread the entries evenly
    over ``2**bits`` buckets (``bits`` about log2 of the size plus 5, clamped to 8..20: up to
    about 32k entries, about 1 bucket in 32 holds an entry; larger tables fill the buckets more).
    ``slot[b]`` is the position in the table of the entry of bucket ``b`` when it holds one, of
    some entry of another bucket when it holds none, and T (the size) when it holds several. A
    look-up reads one slot and one entry instead of a binary search (:func:`lookup_sorted`,
    about twice the CPU); the values of buckets with several entries are searched for as
    before. The results are :func:`lookup_sorted`'s, for any values.

    Parameters
    ----------
    table : numpy.ndarray of uint64, shape (T,), sorted unique
    """

    def __init__(self, table: np.ndarray):
        self.table = table
        t = table.shape[0]
        bits = min(20, max(8, int(t).bit_length() + 5))
        self._shift = np.uint64(64 - bits)
        # the table is sorted, so bucket b is the run bounds[b]:bounds[b + 1] of it
        bounds = np.searchsorted(table >> self._shift, np.arange(2**bits + 1, dtype=np.uint64))
        size = np.diff(bounds)
        self._slot = np.where(size > 1, t, np.minimum(bounds[:-1], max(t - 1, 0))).astype(np.int32)
        # entry T of the padded table is read for the buckets of several entries only, whose
        # values are then searched for
        self._padded = np.append(table, np.uint64(0))

    def lookup(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """As :func:`lookup_sorted` ``(values, self.table)``: found flags and positions.

        Parameters
        ----------
        values : numpy.ndarray of uint64, shape (M,)

        Returns
        -------
        (numpy.ndarray of bool, shape (M,), numpy.ndarray of int32, shape (M,))
            ``found[i]`` whether ``values[i]`` is in the table, and then
            ``table[pos[i]] == values[i]``; ``pos`` is in ``0 .. T-1`` (all 0 when T == 0).
        """
        t = self.table.shape[0]
        if t == 0 or t >= 2**31:
            return lookup_sorted(values, self.table)
        pos = np.take(self._slot, (values >> self._shift).astype(np.intp))
        found = np.take(self._padded, pos) == values
        several = pos == t
        if several.any():
            found[several], pos[several] = lookup_sorted(values[several], self.table)
        return found, pos


def lookup_sorted(values: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where ``values`` are in the sorted array ``table``.

    Parameters
    ----------
    values : numpy.ndarray, shape (M,)
    table : numpy.ndarray, shape (T,), sorted

    Returns
    -------
    (numpy.ndarray of bool, shape (M,), numpy.ndarray of intp, shape (M,))
        ``found[i]`` is whether ``values[i]`` occurs in ``table``, and then
        ``table[pos[i]] == values[i]``; ``pos`` is meaningless where not found (all 0 when
        ``T == 0``). Lets a caller read a per-entry flag of ``table`` (``flag[pos] & found``)
        without searching again.
    """
    if table.shape[0] == 0:
        return np.zeros(values.shape[0], dtype=bool), np.zeros(values.shape[0], dtype=np.intp)
    pos = np.searchsorted(table, values)
    pos[pos >= table.shape[0]] = table.shape[0] - 1
    return table[pos] == values, pos
