"""Sentence alignment, then token alignment, of two documents.

Sentences (split at 。！？；!?; and line breaks) of one document are matched one-to-one with
sentences of the other by character-level similarity (difflib's ratio, autojunk off), the best
pairs first; inside each matched pair the jieba tokens are aligned with difflib's
``SequenceMatcher`` and every ``replace`` block is a candidate substitution.

The sentence step gives difflib's results without difflib: candidate pairs come from one
vectorised join of the two documents' character bigrams, the ratio from
:func:`matched_characters` (``str.find``), and only the pairs the greedy choice reaches get an
exact ratio (:func:`align_sentences`). ``tests/test_rewrite_align.py`` checks it against the
plain definition.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from ..segment import Tokens

_SENT_END = re.compile(r"[。！？；!?;\n]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")

# A sentence takes part in alignment from this many CJK characters up.
MIN_SENTENCE_CJK = 8
# Two sentences are aligned from this character-level similarity up (difflib ratio, 0..1).
MIN_SENTENCE_RATIO = 0.45
# A replace block longer than this (tokens on either side) is a rewording, not a substitution.
MAX_BLOCK_TOKENS = 3
MAX_BLOCK_CHARS = 8
#: Characters of text whose sentences and sentence codes each process keeps (about 30 bytes
#: a character): a document of a group of copies is in a pair with every other member, one
#: after another, so a group of 80 copies of a 5,000-character report still fits.
TEXT_CACHE_CHARS = 1 << 20


@dataclass(frozen=True)
class Sentence:
    """One sentence: ``span`` [start, end) in characters of the document text; ``text``."""

    span: tuple[int, int]
    text: str


@dataclass(frozen=True)
class SentencePair:
    """Two aligned sentences (``a`` in the first document, ``b`` in the second) and their
    character-level similarity ``ratio`` (0..1)."""

    a: Sentence
    b: Sentence
    ratio: float


@dataclass(frozen=True)
class Substitution:
    """One replace block of an aligned sentence pair: the tokens ``a_text`` at ``a_span`` in the
    first document stand where ``b_text`` at ``b_span`` stands in the second. ``piece``: cut
    from a longer block (:func:`split_block`)."""

    a_text: str
    b_text: str
    a_span: tuple[int, int]
    b_span: tuple[int, int]
    piece: bool = False


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character spans (leading/trailing spaces trimmed).

    A new list each call, from a small per-process cache of the last texts split: the paired
    check splits each document once per pair it is in (a group of 30 copies of one report:
    each document in 29 pairs)."""
    return list(_SENTENCES.get(text, (), _split_sentences))


class _TextCache:
    """A least-recently-used cache of values computed from a text (and a hashable ``extra``),
    holding values for at most ``budget`` characters of text in all (a text longer than that
    is not kept). Values are shared: callers only read them. Thread-safe."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._items: OrderedDict = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, text: str, extra, make):
        """``make(text, *extra)``, computed once while the text stays in the cache."""
        key = (text, extra)
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
                return value
        value = make(text, *extra)
        if len(text) <= self.budget:
            with self._lock:
                if key not in self._items:
                    self._items[key] = value
                    self._chars += len(text)
                while self._chars > self.budget:
                    (old, _), _ = self._items.popitem(last=False)
                    self._chars -= len(old)
        return value


def _split_sentences(text: str) -> tuple[Sentence, ...]:
    out = []
    pos = 0
    for m in list(_SENT_END.finditer(text)) + [None]:
        end = m.end() if m else len(text)
        start = pos
        stop = m.start() if m else len(text)
        while start < stop and text[start].isspace():
            start += 1
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            # keep the sentence-final punctuation mark inside the span
            if m and text[m.start()] != "\n":
                stop = m.start() + 1
            out.append(Sentence((start, stop), text[start:stop]))
        pos = end
    return tuple(out)


def matched_characters(a: str, b: str) -> int:
    """Characters of ``a`` inside the matching blocks of ``difflib.SequenceMatcher(None, a, b,
    autojunk=False)`` (the ``M`` of its ``ratio() = 2 * M / (len(a) + len(b))``).

    The same blocks, found with ``str.find`` instead of difflib's table of positions: the
    longest common substring of the two ranges, the one starting first in ``a`` and then
    first in ``b`` (difflib's ``find_longest_match`` without junk), then the same on the
    ranges before and after it. For each start ``i`` in ``a`` one ``find`` asks whether a
    match longer than the best so far starts there; only a hit is extended.

    Returns
    -------
    int
        0 .. ``min(len(a), len(b))``.
    """
    if a == b:
        return len(a)
    total = 0
    find = b.find
    ranges = [(0, len(a), 0, len(b))]
    while ranges:
        alo, ahi, blo, bhi = ranges.pop()
        size, besti, bestj = 0, alo, blo
        i = alo
        while i + size < ahi:
            k = size + 1
            j = find(a[i:i + k], blo, bhi)
            while j != -1:
                # the leftmost occurrence of a[i:i+k] in b; a longer match starts there or later
                size, besti, bestj = k, i, j
                if i + k == ahi:
                    break
                k += 1
                j = find(a[i:i + k], j, bhi)
            i += 1
        if size:
            total += size
            if alo < besti and blo < bestj:
                ranges.append((alo, besti, blo, bestj))
            if besti + size < ahi and bestj + size < bhi:
                ranges.append((besti + size, ahi, bestj + size, bhi))
    return total


def _ratio(a: str, b: str) -> float:
    """``SequenceMatcher(None, a, b, autojunk=False).ratio()`` (the same float)."""
    length = len(a) + len(b)
    return 2.0 * matched_characters(a, b) / length if length else 1.0


# Keys of characters and bigrams (:class:`_SentenceCodes`): the sentence index from bit _ROW up.
_ROW = 42
_LOW = (1 << _ROW) - 1
# Sentence pairs sharing a bigram that :func:`_candidates` counts at once (memory: a few arrays of
# this many int64).
_MEETINGS_PER_BLOCK = 1 << 21


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, sorted, and how often each occurs (``np.unique(values,
    return_counts=True)``, as a sort and a mask: several times faster on these small arrays)."""
    values = np.sort(values)
    if not len(values):
        return values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return values[starts], np.diff(np.append(starts, len(values)))


def _runs(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``concatenate([arange(s, s + c) for s, c in zip(starts, counts)])`` in one step: an
    ``arange`` over the output plus, per run, its start minus where it begins in the output."""
    return np.arange(counts.sum()) + np.repeat(starts - np.cumsum(counts) + counts, counts)


class _SentenceCodes:
    """The alignable sentences of one text (:data:`MIN_SENTENCE_CJK` CJK characters up) with
    their characters and character bigrams as sorted integer keys, for the vectorised
    candidate search of :func:`align_sentences` (which leaves out the sentences a pair skips:
    the codes of a text are the same for every pair it is in, and cached once). A key holds the sentence index above bit 42
    and a code point (below 2**21) or two (``first << 21 | second``) below.

    Attributes
    ----------
    items : list of Sentence
    lengths : ndarray of int64, shape (n,)
        Characters of each sentence.
    chars, char_counts : ndarray of int64
        ``sentence << 42 | code point`` of the distinct characters of each sentence, sorted
        (so by sentence), and how often each occurs in it.
    bigrams : ndarray of int64
        ``sentence << 42 | first << 21 | second`` of the distinct bigrams (two neighbouring
        characters) of each sentence, sorted.
    """

    __slots__ = ("items", "lengths", "chars", "char_counts", "bigrams", "_by_key")

    def __init__(self, text: str) -> None:
        self._by_key = None
        self.items = [s for s in sentences(text) if len(_CJK.findall(s.text)) >= MIN_SENTENCE_CJK]
        self.lengths = np.fromiter((len(s.text) for s in self.items), dtype=np.int64,
                                   count=len(self.items))
        joined = "".join(s.text for s in self.items).encode("utf-32-le", "surrogatepass")
        codes = np.frombuffer(joined, dtype="<u4").astype(np.int64)
        rows = np.repeat(np.arange(len(self.items), dtype=np.int64) << _ROW, self.lengths)
        self.chars, self.char_counts = _distinct(rows | codes)
        same = rows[:-1] == rows[1:]  # neighbours in the same sentence
        self.bigrams = _distinct(rows[:-1][same] | (codes[:-1][same] << 21) | codes[1:][same])[0]


    def by_key(self) -> tuple[np.ndarray, np.ndarray]:
        """The bigram keys without their sentence, sorted (stable), and the sentence of each:
        computed once per text (a long text is the other side of many pairs)."""
        if self._by_key is None:
            order = np.argsort(self.bigrams & _LOW, kind="stable")
            self._by_key = (self.bigrams[order] & _LOW, self.bigrams[order] >> _ROW)
        return self._by_key

    def kept(self, skip: frozenset) -> np.ndarray | None:
        """Boolean mask of the sentences whose span is not in ``skip`` (None: all kept)."""
        if not skip:
            return None
        return np.fromiter((s.span not in skip for s in self.items), dtype=bool, count=len(self.items))


def _sentence_codes(text: str) -> _SentenceCodes:
    """:class:`_SentenceCodes` of ``text``, from a per-process cache (read only): the same for
    every pair the text is in (a report containing hundreds of others is in hundreds of pairs,
    and rebuilding its codes for each made the check quadratic)."""
    return _CODES.get(text, (), _SentenceCodes)


_SENTENCES = _TextCache(TEXT_CACHE_CHARS)
_CODES = _TextCache(TEXT_CACHE_CHARS)


def _candidates(sa: _SentenceCodes, sb: _SentenceCodes, ok_a: np.ndarray | None = None,
                ok_b: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The sentence pairs :func:`align_sentences` scores: for each sentence of ``sa``, the (at
    most) four sentences of ``sb`` sharing most distinct character bigrams with it (at least
    one; ties: first in ``sb``), without the pairs whose shorter sentence has under half the
    characters of the longer. ``ok_a``/``ok_b``: masks of the sentences taking part (None:
    all).

    Returns
    -------
    i, j : ndarray of int64
        Indices into ``sa.items`` and ``sb.items``, sorted by ``i``.
    """
    nb = len(sb.items)
    # join the bigrams of sa with those of sb: bigram k of sa meets the entries lo[k]:lo[k]+n[k]
    # of sb's bigrams sorted without their sentence; each meeting is one shared bigram of a
    # pair of sentences
    keys_b, rows_b = sb.by_key()
    keys_a, rows_a = sa.bigrams & _LOW, sa.bigrams >> _ROW
    if ok_b is not None:
        sel = ok_b[rows_b]
        keys_b, rows_b = keys_b[sel], rows_b[sel]
    if ok_a is not None:
        sel = ok_a[rows_a]
        keys_a, rows_a = keys_a[sel], rows_a[sel]
    lo = np.searchsorted(keys_b, keys_a, side="left")
    n = np.searchsorted(keys_b, keys_a, side="right") - lo
    n = _without_common_bigrams(n, rows_a, nb)
    # blocks of whole sentences of sa (bigrams are sorted by sentence), each with at most
    # _MEETINGS_PER_BLOCK meetings unless one sentence has more
    cuts = [0]
    if n.sum() > _MEETINGS_PER_BLOCK:
        # the first bigram of each sentence and the meetings before it
        firsts = np.flatnonzero(np.concatenate(([True], rows_a[1:] != rows_a[:-1]))).tolist()
        before = np.concatenate(([0], np.cumsum(n)))[firsts + [len(n)]].tolist()
        base = 0
        for k, total, after in zip(firsts, before, before[1:]):
            if after - base > _MEETINGS_PER_BLOCK and k > cuts[-1]:
                cuts.append(k)
                base = total
    cuts.append(len(keys_a))
    out_i, out_j = [], []
    for start, stop in zip(cuts, cuts[1:]):
        met = _runs(lo[start:stop], n[start:stop])
        pairs, shared = _distinct(np.repeat(rows_a[start:stop], n[start:stop]) * nb + rows_b[met])
        i, j = pairs // nb, pairs % nb
        # per sentence of sa: most shared first, ties by position in sb; the first four
        order = np.lexsort((j, -shared, i))
        i, j = i[order], j[order]
        rank = np.arange(len(i)) - np.searchsorted(i, i, side="left")
        out_i.append(i[rank < 4])
        out_j.append(j[rank < 4])
    i, j = np.concatenate(out_i), np.concatenate(out_j)
    la, lb = sa.lengths[i], sb.lengths[j]
    keep = np.minimum(la, lb) / np.maximum(la, lb) >= 0.5
    return i[keep], j[keep]


#: A bigram found in more sentences of the other text than this many (and than
#: :data:`COMMON_BIGRAM_FACTOR` times the square root of its sentence count) does not make
#: candidates: 工作 or 政府 in thousands of sentences of two long texts made every pair of them
#: meet (time quadratic in the sentences: 272,000 characters each took 80 s). Below that
#: many sentences (about 10,000 characters of text) nothing changes.
COMMON_BIGRAM_MIN = 256
COMMON_BIGRAM_FACTOR = 4


def _without_common_bigrams(n: np.ndarray, rows_a: np.ndarray, nb: int) -> np.ndarray:
    """``n`` (sentences of the other text holding each bigram of ``rows_a``'s sentences) with
    the common bigrams' counts set to 0 (:data:`COMMON_BIGRAM_MIN`), except for a sentence all of
    whose shared bigrams are common: it keeps them, so every sentence that shared a bigram
    still has candidates."""
    cap = max(COMMON_BIGRAM_MIN, COMMON_BIGRAM_FACTOR * math.isqrt(nb))
    common = n > cap
    if not common.any():
        return n
    kept = np.where(common, 0, n)
    # sentences (runs of rows_a) left with no meeting at all keep their common bigrams
    left = np.bincount(rows_a, weights=kept, minlength=int(rows_a.max()) + 1 if len(rows_a) else 0)
    had = np.bincount(rows_a, weights=n, minlength=len(left))
    bare = (left == 0) & (had > 0)
    if bare.any():
        back = bare[rows_a] & common
        kept[back] = n[back]
    return kept


def _shared_characters(sa: _SentenceCodes, sb: _SentenceCodes, i: np.ndarray, j: np.ndarray
                       ) -> np.ndarray:
    """For each pair ``(i[k], j[k])``: characters the two sentences have in common, counted
    with multiplicity (difflib's ``quick_ratio`` numerator), an upper bound of
    :func:`matched_characters`. int64, shape ``(len(i),)``."""
    # the distinct characters of sentence i[k] (a run of sa.chars), looked up in sentence j[k]
    first = np.searchsorted(sa.chars, i << _ROW)
    count = np.searchsorted(sa.chars, (i + 1) << _ROW) - first
    at = _runs(first, count)
    wanted = np.repeat(j << _ROW, count) | (sa.chars[at] & _LOW)
    pos = np.minimum(np.searchsorted(sb.chars, wanted), len(sb.chars) - 1)
    in_b = np.where(sb.chars[pos] == wanted, sb.char_counts[pos], 0)
    common = np.minimum(sa.char_counts[at], in_b)
    return np.bincount(np.repeat(np.arange(len(i)), count), weights=common,
                       minlength=len(i)).astype(np.int64)


def align_sentences(text_a: str, text_b: str, skip_a: frozenset = frozenset(),
                    skip_b: frozenset = frozenset()) -> list[SentencePair]:
    """Match sentences of ``text_a`` one-to-one with sentences of ``text_b``; the sentences
    whose ``(start, end)`` span is in ``skip_a`` (of ``text_a``) or ``skip_b`` (of ``text_b``)
    take no part.

    Candidates share at least one character bigram: for each sentence of ``text_a`` the four
    sentences of ``text_b`` sharing most (ties: first in ``text_b``), if neither has under half
    the characters of the other. In long texts the bigrams found in very many sentences of
    ``text_b`` are not counted (:data:`COMMON_BIGRAM_MIN`; a sentence that has only those keeps
    them). The pair's score is difflib's ratio on characters
    (:func:`matched_characters`); pairs from :data:`MIN_SENTENCE_RATIO` up are taken greedily,
    best first (ties: first in ``text_a``, then in ``text_b``), each sentence at most once.

    Returns
    -------
    list of SentencePair
        Sorted by position in ``text_a``.

    Notes
    -----
    The greedy choice needs the exact ratio only of the pairs it reaches: each candidate
    enters a heap with an upper bound (the characters the two sentences share, counted with
    multiplicity, as in difflib's ``quick_ratio``) and gets its exact ratio when it comes to
    the top; a pair at the top with its exact ratio is the best of all remaining ones. Pairs
    whose sentence is already taken are dropped without computing it (about two thirds of the
    candidates on generated reports).
    """
    sa, sb = _sentence_codes(text_a), _sentence_codes(text_b)
    ok_a, ok_b = sa.kept(frozenset(skip_a)), sb.kept(frozenset(skip_b))
    if not (sa.items if ok_a is None else ok_a.any()) or not (sb.items if ok_b is None else ok_b.any()):
        return []
    ci, cj = _candidates(sa, sb, ok_a, ok_b)
    lengths = sa.lengths[ci] + sb.lengths[cj]
    bound = 2.0 * _shared_characters(sa, sb, ci, cj) / lengths
    # heap entries (-ratio, i, j, exact): the order of the greedy choice, (-ratio, i, j)
    heap = [(-r, i, j, False) for r, i, j in zip(bound.tolist(), ci.tolist(), cj.tolist())
            if r >= MIN_SENTENCE_RATIO]
    heapq.heapify(heap)
    used_a, used_b, out = set(), set(), []
    while heap:
        neg_r, i, j, exact = heapq.heappop(heap)
        if i in used_a or j in used_b:
            continue
        if not exact:
            r = _ratio(sa.items[i].text, sb.items[j].text)
            if r >= MIN_SENTENCE_RATIO:
                heapq.heappush(heap, (-r, i, j, True))
            continue
        used_a.add(i)
        used_b.add(j)
        out.append(SentencePair(sa.items[i], sb.items[j], -neg_r))
    out.sort(key=lambda p: p.a.span)
    return out


class TokenPositions:
    """The token strings and start offsets of one text as Python sequences, for the many
    sentence pairs of one document (:func:`token_substitutions` bisects the offsets: on a
    list, not on the ``Tokens`` numpy array made anew at every read of ``Tokens.starts``).

    Parameters
    ----------
    tokens : Tokens

    Attributes
    ----------
    words : tuple of str
        ``tokens.words``.
    starts : list of int
        ``tokens.starts`` (characters).
    """

    __slots__ = ("words", "starts")

    def __init__(self, tokens: Tokens) -> None:
        self.words = tokens.words
        self.starts = [0, *tokens.ends.tolist()[:-1]] if len(tokens) else []


def _token_slice(tokens: Tokens | TokenPositions, span: tuple[int, int]) -> tuple[list[str], list[int]]:
    starts = tokens.starts
    i = bisect.bisect_left(starts, span[0])
    j = bisect.bisect_left(starts, span[1])
    part = starts[i:j]
    return list(tokens.words[i:j]), part if isinstance(part, list) else part.tolist()


def token_substitutions(pair: SentencePair, tokens_a: Tokens | TokenPositions,
                        tokens_b: Tokens | TokenPositions) -> tuple[list[Substitution], int, int]:
    """Align the tokens of one sentence pair and return its substitutions.

    ``tokens_a`` and ``tokens_b`` are the documents' ``Tokens``, or their
    :class:`TokenPositions` (the same result, cheaper for many pairs).

    Returns
    -------
    substitutions : list of Substitution
        ``replace`` blocks of at most :data:`MAX_BLOCK_TOKENS` tokens and
        :data:`MAX_BLOCK_CHARS` characters on each side; a longer block is cut first
        (:func:`split_block`), and its short pieces are given with ``piece`` set.
    equal_tokens : int
        Tokens of ``a`` inside ``equal`` blocks.
    a_tokens : int
        Tokens of the sentence in ``a``.
    """
    wa, pa = _token_slice(tokens_a, pair.a.span)
    wb, pb = _token_slice(tokens_b, pair.b.span)
    if wa == wb:  # a sentence copied as it is (most of them in a group of copies): one equal block
        return [], len(wa), len(wa)
    sm = SequenceMatcher(None, wa, wb, autojunk=False)
    subs, equal = [], 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            equal += i2 - i1
        elif op == "replace":
            if _short_block(wa[i1:i2], wb[j1:j2]):
                subs += _block_substitutions(wa, pa, wb, pb, i1, i2, j1, j2)
            else:
                for k1, k2, l1, l2 in split_block(wa[i1:i2], wb[j1:j2]):
                    if _short_block(wa[i1 + k1:i1 + k2], wb[j1 + l1:j1 + l2]):
                        subs += _block_substitutions(wa, pa, wb, pb, i1 + k1, i1 + k2, j1 + l1, j1 + l2,
                                                     piece=True)
    return subs, equal, len(wa)


def _short_block(wa: list[str], wb: list[str]) -> bool:
    """A replace block short enough to be word substitutions rather than rewording."""
    return (0 < len(wa) <= MAX_BLOCK_TOKENS and 0 < len(wb) <= MAX_BLOCK_TOKENS
            and sum(map(len, wa)) <= MAX_BLOCK_CHARS and sum(map(len, wb)) <= MAX_BLOCK_CHARS)


def _block_substitutions(wa, pa, wb, pb, i1: int, i2: int, j1: int, j2: int,
                         piece: bool = False) -> list[Substitution]:
    """The substitutions of the short replace block ``wa[i1:i2]`` / ``wb[j1:j2]`` (token lists
    ``wa``, ``wb`` with start offsets ``pa``, ``pb``): one per differing token when both sides
    have as many tokens, else one for the whole block; none when both spell the same text."""
    ta, tb = "".join(wa[i1:i2]), "".join(wb[j1:j2])
    if ta == tb:
        return []
    if i2 - i1 == j2 - j1 > 1:
        return [Substitution(wa[i1 + k], wb[j1 + k], (pa[i1 + k], pa[i1 + k] + len(wa[i1 + k])),
                             (pb[j1 + k], pb[j1 + k] + len(wb[j1 + k])), piece)
                for k in range(i2 - i1) if wa[i1 + k] != wb[j1 + k]]
    return [Substitution(ta, tb, (pa[i1], pa[i1] + len(ta)), (pb[j1], pb[j1] + len(tb)), piece)]


def split_block(wa: list[str], wb: list[str]) -> list[tuple[int, int, int, int]]:
    """Cut a long replace block of the token alignment where both sides have a token boundary
    at the same place of their character alignment.

    A spinner that replaced neighbouring words (坚持以人为本 → 坚定以工钱本, tokens 坚持|以人为本
    against 坚定|以|工钱|本) leaves no equal token between them, so the token alignment sees one
    block, too long to be word substitutions. Aligned on characters (difflib, autojunk off), the
    two sides still share characters (以, 本); a position inside or at either end of a run of
    equal characters where a token ends on both sides is a cut: 坚定|以工钱本 against
    坚持|以人为本.

    Parameters
    ----------
    wa, wb : list of str
        The tokens of the block on each side (non-empty).

    Returns
    -------
    list of (int, int, int, int)
        ``(k1, k2, l1, l2)`` token index ranges ``wa[k1:k2]`` / ``wb[l1:l2]`` of the pieces, in
        order, covering both blocks; a piece may be empty on one side (words added or dropped:
        经过议定这类式样 against 通过这种形式 gives 经过|通过, 议定|(nothing), 这类式样|这种形式).
        One piece (the whole block) when there is no cut. Raises nothing.
    """
    ends_a, ends_b = _token_ends(wa), _token_ends(wb)
    cuts = []
    sm = SequenceMatcher(None, "".join(wa), "".join(wb), autojunk=False)
    for op, a1, a2, b1, _ in sm.get_opcodes():
        if op == "equal":
            for d in range(a2 - a1 + 1):
                k, l = ends_a.get(a1 + d), ends_b.get(b1 + d)
                if k is not None and l is not None and 0 < k < len(wa) and 0 < l < len(wb):
                    cuts.append((k, l))
    pieces, k0, l0 = [], 0, 0
    for k, l in cuts + [(len(wa), len(wb))]:
        if k >= k0 and l >= l0 and (k, l) != (k0, l0):
            pieces.append((k0, k, l0, l))
            k0, l0 = k, l
    return pieces


def _token_ends(words: list[str]) -> dict[int, int]:
    """Character offset of each token boundary within ``"".join(words)`` -> number of tokens
    before it (0 at the start, ``len(words)`` at the end)."""
    out, pos = {0: 0}, 0
    for k, w in enumerate(words, 1):
        pos += len(w)
        out[pos] = k
    return out


def changed_core(original: str, replacement: str) -> tuple[str, str]:
    """Strip the common prefix and suffix: ``('政务公开', '政务果然') -> ('公开', '果然')``."""
    p = 0
    while p < min(len(original), len(replacement)) and original[p] == replacement[p]:
        p += 1
    s = 0
    while (s < min(len(original), len(replacement)) - p
           and original[len(original) - 1 - s] == replacement[len(replacement) - 1 - s]):
        s += 1
    return original[p:len(original) - s], replacement[p:len(replacement) - s]


def word_pairs(original: str, replacement: str, cut) -> list[tuple[str, str]]:
    """The word swaps inside one substitution: ``政府信息公开``→``政府讯号果然`` (one token of the
    domain dictionary against three) gives ``信息→讯号`` and ``公开→果然``; ``深化政务公开``→
    ``强化政务果然`` gives ``深化→强化`` and ``公开→果然``; ``热线电话``→``热线德律风`` gives
    ``电话→德律风``.

    Two sides of one length are cut at the token boundaries of either side (``cut`` segments a
    string: :func:`summary_analysis.segment.cut`), and every piece holding a changed character
    is a pair; sides of different lengths give their :func:`changed_core`, unless that leaves
    one side empty (a word added or dropped: no swap). Returns the pairs in text order; raises
    nothing.
    """
    if len(original) != len(replacement):
        co, cr = changed_core(original, replacement)
        return [(co, cr)] if co and cr else []
    bounds = {0, len(original)}
    for text in (original, replacement):
        pos = 0
        for token in cut(text):
            pos += len(token)
            bounds.add(pos)
    cuts = sorted(b for b in bounds if b <= len(original))
    out = []
    for start, end in zip(cuts, cuts[1:]):
        o, r = original[start:end], replacement[start:end]
        if o != r:
            out.append((o, r))
    return out
