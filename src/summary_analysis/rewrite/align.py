"""Sentence alignment, then token alignment, of two documents.

Sentences (split at 。！？；!?; and line breaks) of one document are matched one-to-one with
sentences of the other by character-level similarity (difflib's ratio, autojunk off), the best
pairs first; inside each matched pair the jieba tokens are aligned with difflib's
``SequenceMatcher`` and every ``replace`` block is a candidate substitution.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

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
    first document stand where ``b_text`` at ``b_span`` stands in the second."""

    a_text: str
    b_text: str
    a_span: tuple[int, int]
    b_span: tuple[int, int]


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character spans (leading/trailing spaces trimmed)."""
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
    return out


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def align_sentences(text_a: str, text_b: str) -> list[SentencePair]:
    """Match sentences of ``text_a`` one-to-one with sentences of ``text_b``.

    Candidates share at least one character bigram (inverted index); the pair's score is
    difflib's ratio on characters; pairs from :data:`MIN_SENTENCE_RATIO` up are taken greedily,
    best first (ties by position).

    Returns
    -------
    list of SentencePair
        Sorted by position in ``text_a``.
    """
    sa = [s for s in sentences(text_a) if len(_CJK.findall(s.text)) >= MIN_SENTENCE_CJK]
    sb = [s for s in sentences(text_b) if len(_CJK.findall(s.text)) >= MIN_SENTENCE_CJK]
    index: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(sb):
        for g in _bigrams(s.text):
            index[g].append(j)
    scored = []
    for i, s in enumerate(sa):
        counts: dict[int, int] = defaultdict(int)
        for g in _bigrams(s.text):
            for j in index.get(g, ()):
                counts[j] += 1
        # only the few best candidates by shared bigrams get the exact ratio
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
        for j, _n in best:
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
        out.append(SentencePair(sa[i], sb[j], -neg_r))
    out.sort(key=lambda p: p.a.span)
    return out


def _token_slice(tokens: Tokens, span: tuple[int, int]) -> tuple[list[str], list[int]]:
    starts = tokens.starts
    i = bisect.bisect_left(starts, span[0])
    j = bisect.bisect_left(starts, span[1])
    return list(tokens.words[i:j]), [int(x) for x in starts[i:j]]


def token_substitutions(pair: SentencePair, tokens_a: Tokens, tokens_b: Tokens
                        ) -> tuple[list[Substitution], int, int]:
    """Align the tokens of one sentence pair and return its substitutions.

    Returns
    -------
    substitutions : list of Substitution
        ``replace`` blocks of at most :data:`MAX_BLOCK_TOKENS` tokens and
        :data:`MAX_BLOCK_CHARS` characters on each side.
    equal_tokens : int
        Tokens of ``a`` inside ``equal`` blocks.
    a_tokens : int
        Tokens of the sentence in ``a``.
    """
    wa, pa = _token_slice(tokens_a, pair.a.span)
    wb, pb = _token_slice(tokens_b, pair.b.span)
    sm = SequenceMatcher(None, wa, wb, autojunk=False)
    subs, equal = [], 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            equal += i2 - i1
        elif op == "replace":
            ta, tb = "".join(wa[i1:i2]), "".join(wb[j1:j2])
            if not (i2 - i1 <= MAX_BLOCK_TOKENS and j2 - j1 <= MAX_BLOCK_TOKENS
                    and len(ta) <= MAX_BLOCK_CHARS and len(tb) <= MAX_BLOCK_CHARS):
                continue
            if i2 - i1 == j2 - j1 > 1:
                # as many tokens on both sides: one substitution per differing token
                for k in range(i2 - i1):
                    x, y = wa[i1 + k], wb[j1 + k]
                    if x != y:
                        subs.append(Substitution(x, y, (pa[i1 + k], pa[i1 + k] + len(x)),
                                                 (pb[j1 + k], pb[j1 + k] + len(y))))
            else:
                subs.append(Substitution(ta, tb, (pa[i1], pa[i1] + len(ta)), (pb[j1], pb[j1] + len(tb))))
    return subs, equal, len(wa)


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
