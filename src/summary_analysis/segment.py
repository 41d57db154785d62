"""Stage 2, segment: one quiet tokenizer per process with the shipped domain dictionary.

Segmentation runs on the width-folded text (:func:`summary_analysis.normalize.fold`), so
full-width digits are cut as numbers and every token's offsets are offsets into
``Document.text``. Dictionary terms that contain brackets (``第二十条第（一）项``,
``国办公开办函〔2021〕30号``), which jieba's pre-split regex would break, are protected: the text
is cut around their occurrences and each occurrence is one token.

Backends
--------
``jieba`` (default, the reference)
    jieba 0.42 precise mode with HMM. Its prefix-dictionary cache is written to the user cache
    dir (:func:`cache_dir`), never to the shared temp dir.
``fast``
    The same algorithm, dictionary and HMM model in Rust (``rjieba``, a binding of jieba-rs;
    ``pip install summary-analysis[fast]``), about 20 times faster. It uses jieba's own
    ``dict.txt`` (jieba-rs's built-in copy of it for the releases where that copy was checked
    equal, :data:`VERIFIED_BUILTIN_DICTIONARIES`; else the file, word by word) and the same user
    dictionary, and two known differences of jieba-rs are corrected here so that the tokens are
    the same as jieba's:

    * jieba-rs keeps an ASCII run with inner punctuation (``www.gov.cn``, ``0517-83605210``,
      ``2021-01-01``) as one token; jieba's HMM fallback splits it with its ``re_skip`` pattern
      (``www`` ``.`` ``gov`` …). Such tokens are re-split the way jieba does unless they are
      dictionary words.
    * jieba-rs treats rare CJK characters outside U+4E00–U+9FD5 (extension A/B…, compatibility
      ideographs, U+9FD6–U+9FFF) as Chinese and may join them to a neighbour; jieba cuts them
      off as one-character tokens. The text is split at such characters first.

    ``tests/test_segment.py`` checks token identity on corpus/ and on seeded mixed text.

    Not corrected: where two cuts of a run of one repeated character score (nearly) the same
    (好好好 as 好好|好 or 好|好好, 依依依府 as 依|依依|府 or 依依|依府), the two engines may choose
    differently, depending on what follows the run. The session-14 hostile-input test found
    1-2 such texts in 30,000 random ones and none in 30,000 of natural mixed text; the test
    ``test_where_jieba_rs_breaks_near_ties_otherwise`` keeps the known cases.

Select the backend with ``SUMMARY_ANALYSIS_SEGMENTER=jieba|fast``, :func:`set_backend`, the
``backend=`` argument of :func:`cut`/:func:`segment`, or ``summary-analysis check --segmenter``.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from functools import lru_cache
from importlib import resources
from typing import Iterator

import numpy as np

from .normalize import fold

log = logging.getLogger(__name__)

#: Environment variable naming the default backend (``jieba`` or ``fast``).
ENV_VAR = "SUMMARY_ANALYSIS_SEGMENTER"
#: Backend names accepted by :func:`resolve_backend` (``rjieba`` is an alias of ``fast``).
BACKENDS = ("jieba", "fast")

_lock = threading.RLock()
_tokenizer = None            # jieba.Tokenizer, once per process
_fast = None                 # _FastSegmenter, once per process
_protected_re: re.Pattern | None = None
_protected_loaded = False
_backend_override: str | None = None
_fallback_warned = False

# Characters jieba's default pre-split regex (re_han_default) keeps inside one block.
_JIEBA_BLOCK = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")
# jieba's HMM fallback (finalseg) splits non-Chinese runs with this pattern.
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_ASCII_TOKEN = re.compile(r"[a-zA-Z0-9+#&._%\-]+")
_ASCII_ONE = re.compile(r"[a-zA-Z0-9]+(?:\.\d+)?%?")
# A maximal run of jieba's block characters that holds inner punctuation and is not one plain
# number (``17.46%``, ``_ASCII_ONE``) is the only place jieba-rs can differ from jieba. This finds
# one with a single C-level scan from the punctuation marks, by what a mark needs around it to sit
# inside one number: + # & _ - never (with a run character on either side); % only last, after a
# letter or digit; . only between a letter or digit and digits that end the run or precede a
# closing %. ``tests/test_segment.py`` checks it against walking each mark's run (seeded).
_B = r"a-zA-Z0-9+#&._%\-"
_ASCII_BAD = re.compile(
    rf"[+#&._%\-](?:"
    rf"(?<=[+#&_\-])(?:(?<=[{_B}].)|(?=[{_B}]))"
    rf"|(?<=%)(?:(?=[{_B}])|(?<=[+#&._%\-].))"
    rf"|(?<=\.)(?:(?<=[+#&._%\-].)|(?<![{_B}].)(?=[{_B}])|(?<=[a-zA-Z0-9].)(?![{_B}])"
    rf"|(?=[a-zA-Z+#&._%\-])|(?=[0-9]+[a-zA-Z+#&._\-])))")
# Characters jieba-rs counts as Chinese but jieba does not (jieba: U+4E00..U+9FD5 only).
_RARE_HAN = re.compile("[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0003FFFF]")
# Characters that :func:`fold` changes (computed from fold itself, so the two never disagree).
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]
                                     if fold(chr(c)) != chr(c)) + "]")
# Either of the two: a text without any is cut as it is (fold keeps rare CJK characters).
_FOLD_OR_RARE = re.compile("[" + _FOLDABLE.pattern[1:-1] + _RARE_HAN.pattern[1:-1] + "]")


def cache_dir() -> str:
    """Where jieba's prefix-dictionary cache is written.

    Returns
    -------
    str
        The user cache dir (``platformdirs.user_cache_dir("summary-analysis")``, e.g.
        ``~/.cache/summary-analysis`` on Linux, honouring ``XDG_CACHE_HOME``), created with mode
        0700. If it cannot be created, a fresh private temporary directory (mode 0700) is used
        instead, never the shared temp dir itself.
    """
    try:
        from platformdirs import user_cache_dir

        path = user_cache_dir("summary-analysis", appauthor=False)
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        path = os.path.join(os.path.expanduser("~"), ".cache", "summary-analysis")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError:
        path = tempfile.mkdtemp(prefix="summary-analysis-")
    return path


def _user_dictionary_entries() -> list[tuple[str, int | None, str | None]]:
    text = resources.files("summary_analysis.data").joinpath("userdict.txt").read_text("utf-8")
    out = []
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[2] if len(parts) > 2 else (parts[1] if len(parts) > 1 and not parts[1].isdigit() else None)
        out.append((fold(parts[0]), freq, tag))
    return out


def user_dictionary_terms() -> list[str]:
    """The shipped domain dictionary's terms (``data/userdict.txt``), in file order."""
    text = resources.files("summary_analysis.data").joinpath("userdict.txt").read_text("utf-8")
    return [line.split()[0] for line in text.splitlines() if line.strip()]


def _protected() -> re.Pattern | None:
    """Regex of the user-dictionary terms jieba's pre-split would break, longest first."""
    global _protected_re, _protected_loaded
    if not _protected_loaded:
        with _lock:
            if not _protected_loaded:
                words = sorted({w for w, _, _ in _user_dictionary_entries() if not _JIEBA_BLOCK.match(w)},
                               key=lambda w: (-len(w), w))
                _protected_re = re.compile("|".join(map(re.escape, words))) if words else None
                _protected_loaded = True
    return _protected_re


def _quiet_jieba() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)


def get_tokenizer():
    """Return the process-wide reference ``jieba.Tokenizer`` with the domain dictionary loaded.

    Initialised once per process (about 1 s), quietly (jieba's start-up messages are
    silenced), with its cache file ``jieba.cache`` in :func:`cache_dir`.

    Returns
    -------
    jieba.Tokenizer
    """
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            _quiet_jieba()
            tk = jieba.Tokenizer()
            tk.tmp_dir = cache_dir()
            tk.initialize()
            for word, freq, tag in _user_dictionary_entries():
                tk.add_word(word, freq, tag)
            _protected()
            _tokenizer = tk
    return _tokenizer


#: ``(rjieba release, SHA-256 of jieba's dict.txt)`` for which jieba-rs's built-in dictionary was
#: checked to be that dict.txt: every one of its 349,046 words present with the same
#: ``suggest_freq`` (which reads the word's frequency and the dictionary's total) in the built-in
#: and in a word-by-word load, and the same tokens on corpus/ (``tests/test_segment.py`` checks it
#: again for the installed release). With such a pair the built-in dictionary is used (0.08 s)
#: instead of adding the words one by one from Python (0.35 s, plus 0.13 s importing jieba):
#: start-up that every ``--jobs N`` run waits for once.
VERIFIED_BUILTIN_DICTIONARIES = frozenset({
    ("0.2.2", "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8"),  # jieba 0.42.1
})


def jieba_dict_path() -> str | None:
    """Path of jieba's main dictionary (``dict.txt`` of the installed jieba), found without
    importing jieba (its import costs 0.13 s); None when jieba cannot be found."""
    from importlib.util import find_spec

    spec = find_spec("jieba")
    if spec is None or not spec.origin:
        return None
    return os.path.join(os.path.dirname(spec.origin), "dict.txt")


def builtin_dictionary_verified() -> bool:
    """True when the installed rjieba's built-in dictionary is known to be the installed jieba's
    ``dict.txt`` (:data:`VERIFIED_BUILTIN_DICTIONARIES`): release and file hash both match."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    path = jieba_dict_path()
    try:
        release = version("rjieba")
        with open(path, "rb") as f:  # type: ignore[arg-type]
            digest = hashlib.sha256(f.read()).hexdigest()
    except (PackageNotFoundError, OSError, TypeError):
        return False
    return (release, digest) in VERIFIED_BUILTIN_DICTIONARIES


def _load_jieba_dictionary(rj) -> None:
    """Add jieba's own ``dict.txt`` to ``rj`` (an empty ``rjieba.Jieba``) word by word."""
    import jieba

    _quiet_jieba()
    with jieba.Tokenizer().get_dict_file() as f:
        for raw in f:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 2:
                rj.add_word(parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None)


class _FastSegmenter:
    """jieba-rs (``rjieba``) loaded with jieba's ``dict.txt`` and the domain dictionary, with the
    two corrections that make its tokens equal jieba's (see the module docstring).

    ``builtin``: use jieba-rs's built-in dictionary (None: when
    :func:`builtin_dictionary_verified`), else jieba's ``dict.txt`` word by word."""

    def __init__(self, builtin: bool | None = None) -> None:
        import rjieba

        if builtin is None:
            builtin = builtin_dictionary_verified()
        if builtin:
            rj = rjieba.Jieba()
        else:
            rj = rjieba.Jieba.empty()
            _load_jieba_dictionary(rj)
        self.builtin = builtin
        for word, freq, tag in _user_dictionary_entries():
            rj.add_word(word, freq, tag)
        self._rj = rj
        self._cut = rj.cut

    def _fix_ascii(self, words: list[str]) -> list[str]:
        out: list[str] = []
        has_word = self._rj.has_word
        for w in words:
            if (len(w) > 1 and w[0] < "\x80" and _ASCII_TOKEN.fullmatch(w)
                    and not _ASCII_ONE.fullmatch(w) and not has_word(w)):
                out.extend(x for x in _JIEBA_SKIP.split(w) if x)
            else:
                out.append(w)
        return out

    def _cut_piece(self, text: str) -> list[str]:
        """Tokens of ``text`` (folded, no rare CJK character)."""
        words = self._cut(text)
        # Only a run of jieba's block characters with inner punctuation that is not one plain
        # number (``17.46%``) can differ; most texts have none.
        return self._fix_ascii(words) if _ASCII_BAD.search(text) else words

    lcut_plain = _cut_piece

    def lcut(self, text: str) -> list[str]:
        """Tokens of ``text`` (already folded), equal to ``jieba.Tokenizer.lcut(text)``."""
        if not _RARE_HAN.search(text):
            return self._cut_piece(text)
        out: list[str] = []
        pos = 0
        for m in _RARE_HAN.finditer(text):
            if m.start() > pos:
                out.extend(self._cut_piece(text[pos:m.start()]))
            out.append(m.group())
            pos = m.end()
        if pos < len(text):
            out.extend(self._cut_piece(text[pos:]))
        return out


#: Distinct blocks whose tokens the jieba backend memoises per process (about 1 KB each).
#: ``SUMMARY_ANALYSIS_BLOCK_CACHE=0`` in the environment turns the cache off (the benchmark uses
#: it to report the whole check's cost without memoised segmentation).
BLOCK_CACHE_SIZE = 1 << 14
BLOCK_CACHE_ENV = "SUMMARY_ANALYSIS_BLOCK_CACHE"


def _block_cache_size() -> int:
    """:data:`BLOCK_CACHE_SIZE`, or the integer in ``$SUMMARY_ANALYSIS_BLOCK_CACHE`` (0 = off)."""
    raw = os.environ.get(BLOCK_CACHE_ENV, "").strip()
    try:
        size = int(raw) if raw else BLOCK_CACHE_SIZE
    except ValueError:
        size = -1
    if size < 0 or size > _MAX_BLOCK_CACHE:  # 10**23 gave OverflowError (session-14 hostile-input test)
        log.warning("%s=%r is not a number of blocks from 0 to %d; using %d", BLOCK_CACHE_ENV, raw,
                    _MAX_BLOCK_CACHE, BLOCK_CACHE_SIZE)
        return BLOCK_CACHE_SIZE
    return size


_MAX_BLOCK_CACHE = 1 << 24


class _JiebaSegmenter:
    """jieba's ``Tokenizer.lcut`` (precise mode, HMM on) with the cut of each block memoised.

    jieba splits a text into blocks (runs of Chinese characters, letters and digits between
    punctuation, its ``re_han_default``) and cuts every block on its own with the dictionary DAG
    and the HMM; the tokens of a block depend on the block's text alone. Reports repeat their
    stock phrases (依申请公开…, 切实保障人民群众的知情权…), so the DAG cut of a block seen before
    is taken from a bounded LRU cache (:data:`BLOCK_CACHE_SIZE` blocks). The outer loop is
    jieba 0.42's own ``Tokenizer.cut``; the tokens equal ``tokenizer.lcut(text)`` (checked by
    ``tests/test_segment.py`` on corpus/ and seeded text). Without jieba's private block cutter
    (another jieba version) it is plain ``tokenizer.lcut``.

    Parameters
    ----------
    tokenizer : jieba.Tokenizer
        Initialised, with the dictionary it keeps for its lifetime (no ``add_word`` afterwards).
    cache_size : int
        Blocks memoised; 0 turns the cache off.
    """

    def __init__(self, tokenizer, cache_size: int = BLOCK_CACHE_SIZE) -> None:
        import jieba

        self.tokenizer = tokenizer
        cut_dag = getattr(tokenizer, "_Tokenizer__cut_DAG", None)
        self._re_han = getattr(jieba, "re_han_default", None)
        self._re_skip = getattr(jieba, "re_skip_default", None)
        if cache_size > 0 and cut_dag is not None and self._re_han is not None and self._re_skip is not None:
            self._block = lru_cache(maxsize=cache_size)(lambda blk: tuple(cut_dag(blk)))
        else:
            self._block = None

    def lcut(self, text: str) -> list[str]:
        """Tokens of ``text``, equal to ``tokenizer.lcut(text)``."""
        block = self._block
        if block is None:
            return self.tokenizer.lcut(text)
        re_han, re_skip = self._re_han, self._re_skip
        out: list[str] = []
        for blk in re_han.split(text):
            if not blk:
                continue
            if re_han.match(blk):
                out.extend(block(blk))
            else:
                for x in re_skip.split(blk):
                    if re_skip.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    lcut_plain = lcut

    def cache_info(self):
        """``functools`` cache statistics of the block cache (None when off)."""
        return self._block.cache_info() if self._block is not None else None


_jieba_seg: _JiebaSegmenter | None = None


def fast_available() -> bool:
    """True when the fast backend's engine (``rjieba``) is installed.

    Looked up without importing it: importing rjieba builds its default dictionary (0.1–0.2 s),
    which a process that only chooses the backend (the parent of ``--jobs N`` workers) does not
    need."""
    from importlib.util import find_spec

    try:
        return find_spec("rjieba") is not None
    except (ImportError, ValueError):
        return False


def resolve_backend(backend: str | None = None) -> str:
    """Name of the backend to use: ``jieba`` or ``fast``.

    Parameters
    ----------
    backend : str or None
        ``jieba``, ``fast`` (alias ``rjieba``), or None for :func:`set_backend`'s choice, else
        the ``SUMMARY_ANALYSIS_SEGMENTER`` environment variable, else ``jieba``.

    Returns
    -------
    str
        ``fast`` only when rjieba is installed; otherwise ``jieba`` (with one warning).

    Raises
    ------
    ValueError
        For an unknown backend name.
    """
    global _fallback_warned
    name = backend or _backend_override or os.environ.get(ENV_VAR) or "jieba"
    name = name.strip().lower()
    if name == "rjieba":
        name = "fast"
    if name not in BACKENDS:
        raise ValueError(f"unknown segmenter '{name}' (choose from {', '.join(BACKENDS)})")
    if name == "fast" and not fast_available():
        if not _fallback_warned:
            log.warning("segmenter 'fast' needs rjieba (pip install summary-analysis[fast]); using jieba")
            _fallback_warned = True
        return "jieba"
    return name


def set_backend(backend: str | None) -> None:
    """Choose the process-wide default backend (None: back to the environment variable)."""
    global _backend_override
    if backend is not None:
        resolve_backend(backend)  # validate
    _backend_override = backend


def loaded_backend() -> str | None:
    """The backend this process has already initialised (``fast`` first, then ``jieba``), or
    None: for code that segments a few strings and should not load a second dictionary (the
    backends give the same tokens)."""
    if _fast is not None:
        return "fast"
    if _jieba_seg is not None:
        return "jieba"
    return None


def get_segmenter(backend: str | None = None):
    """The process-wide segmenter of ``backend`` (see :func:`resolve_backend`), initialised once.

    Returns
    -------
    object
        Has ``lcut(text: str) -> list[str]`` on folded text without protected terms (the jieba
        backend: a :class:`_JiebaSegmenter` around :func:`get_tokenizer`).
    """
    global _fast, _jieba_seg
    if resolve_backend(backend) == "jieba":
        if _jieba_seg is None:
            with _lock:
                if _jieba_seg is None:
                    _jieba_seg = _JiebaSegmenter(get_tokenizer(), _block_cache_size())
        return _jieba_seg
    if _fast is None:
        with _lock:
            if _fast is None:
                try:
                    seg = _FastSegmenter()
                except ImportError as exc:  # installed (find_spec) but not importable
                    log.warning("segmenter 'fast' could not load rjieba (%s); using jieba", exc)
                    return get_segmenter("jieba")
                _protected()
                _fast = seg
    return _fast


class Tokens:
    """The tokens of one text, covering it without gaps.

    Stored compactly (the text and the end offset of every token, ``int32``); the token
    strings are sliced out on first use of :attr:`words` and can be dropped again with
    :meth:`release`. Pickles without the token strings.

    Parameters
    ----------
    words : iterable of str, optional
        The tokens, concatenating to the folded text.
    text : str, optional
        With ``ends``: a text whose :func:`fold` the tokens cover (``Document.text`` itself).
    ends : array-like of int, optional
        End offset (characters, exclusive) of each token, increasing, last == ``len(text)``.

    Attributes
    ----------
    words : tuple[str, ...]
        Tokens as they appear in the folded text (``''.join(words) == fold(text)``).
    """

    __slots__ = ("_text", "_ends", "_words")

    def __init__(self, words=None, *, text: str | None = None, ends=None) -> None:
        if words is not None:
            words = tuple(words)
            self._words = words
            self._text = "".join(words)
            self._ends = np.cumsum(np.fromiter(map(len, words), dtype=np.int32, count=len(words)),
                                   dtype=np.int32)
        else:
            if text is None or ends is None:
                raise ValueError("Tokens needs words, or text and ends")
            self._text = text
            self._ends = np.asarray(ends, dtype=np.int32)
            self._words = None

    @property
    def words(self) -> tuple[str, ...]:
        """Token strings of the folded text, shape ``(len(self),)``."""
        if self._words is None:
            folded = fold(self._text)
            ends = self._ends.tolist()
            self._words = tuple(folded[s:e] for s, e in zip([0, *ends[:-1]], ends))
        return self._words

    @property
    def text(self) -> str:
        """The text the tokens cover: the one given as ``text=`` (:func:`segment` passes
        ``Document.text`` itself, the same string object), else the join of ``words``. The
        token strings are the slices of its :func:`fold` at :attr:`ends`."""
        return self._text

    @property
    def ends(self) -> np.ndarray:
        """End offset of each token (characters, exclusive), ``int32``, shape ``(len(words),)``."""
        return self._ends

    @property
    def starts(self) -> np.ndarray:
        """Start offset of each token (characters), ``int64``, shape ``(len(words),)``."""
        ends = self._ends.astype(np.int64)
        return np.concatenate(([0], ends[:-1])).astype(np.int64) if len(ends) else ends

    def spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` character offsets of every token."""
        ends = self._ends.tolist()
        return list(zip([0, *ends[:-1]], ends))

    def release(self) -> None:
        """Drop the cached token strings (they are sliced again on the next use)."""
        self._words = None

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Tokens):
            return NotImplemented
        return np.array_equal(self._ends, other._ends) and fold(self._text) == fold(other._text)

    def __hash__(self) -> int:
        return hash((fold(self._text), self._ends.tobytes()))

    def __reduce__(self):
        return (_tokens_from_offsets, (self._text, self._ends))

    def __repr__(self) -> str:
        return f"Tokens({len(self)} tokens, {len(self._text)} characters)"


def _tokens_from_offsets(text: str, ends) -> Tokens:
    return Tokens(text=text, ends=ends)


def _fold(text: str) -> str:
    return fold(text) if _FOLDABLE.search(text) else text


#: Longest run of jieba's block characters (Chinese characters, letters, digits and +#&._%-,
#: between punctuation and spaces) cut as one block. jieba's HMM keeps a path per state and
#: copies it at every character, quadratic in the run's length: a 480,000-character run took
#: longer than 5 minutes (session-12 hostile-input test). A longer run, which no report
#: written by people has, is cut in pieces of this many characters, with both backends alike.
MAX_RUN = 2000
_RUN_CHARS = r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]"  # jieba's re_han_default
_LONG_RUN = re.compile(rf"(?<!{_RUN_CHARS}){_RUN_CHARS}{{{MAX_RUN},}}")


def _bounded(lcut):
    """``lcut`` with runs longer than :data:`MAX_RUN` characters cut in pieces of that length
    (see there); text without such a run is cut as ``lcut`` cuts it."""

    def pieces(run: str) -> list[str]:
        return [t for k in range(0, len(run), MAX_RUN) for t in lcut(run[k:k + MAX_RUN])]

    def run(text: str) -> list[str]:
        if len(text) < MAX_RUN or not _LONG_RUN.search(text):
            return lcut(text)
        return _cut_around(text, _LONG_RUN, lcut, pieces)

    return run


def _cut_around(text: str, pattern: re.Pattern, lcut, matched) -> list[str]:
    """Tokens of ``text``: each match of ``pattern`` gives ``matched(match text)``, the text
    between matches ``lcut(text)``."""
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.extend(lcut(text[pos:m.start()]))
        out.extend(matched(m.group()))
        pos = m.end()
    if pos < len(text):
        out.extend(lcut(text[pos:]))
    return out


def cut(text: str, backend: str | None = None) -> list[str]:
    """Segment ``text`` (jieba precise mode, HMM on, domain dictionary) into tokens.

    Parameters
    ----------
    text : str
        Any text; it is width-folded first.
    backend : str or None
        ``jieba`` or ``fast`` (see :func:`resolve_backend`); both give the same tokens.

    Returns
    -------
    list[str]
        Tokens of the folded text, concatenating to ``fold(text)``. A run of more than
        :data:`MAX_RUN` block characters is cut in pieces of that length first.
    """
    seg = get_segmenter(backend)
    if _FOLD_OR_RARE.search(text):
        folded, lcut = _fold(text), seg.lcut
    else:  # nothing to fold and no rare CJK character to split off
        folded, lcut = text, seg.lcut_plain
    if len(folded) >= MAX_RUN and _LONG_RUN.search(folded):
        lcut = _bounded(lcut)
    protected = _protected()
    if protected is None:
        return lcut(folded)
    return _cut_around(folded, protected, lcut, lambda term: [term])


def segment(text: str, backend: str | None = None) -> Tokens:
    """Segment ``text`` into :class:`Tokens` whose offsets index ``text`` (see :func:`cut`)."""
    words = cut(text, backend)
    tokens = Tokens(text=text, ends=np.cumsum(np.fromiter(map(len, words), dtype=np.int32,
                                                          count=len(words)), dtype=np.int32))
    tokens._words = tuple(words)
    return tokens
