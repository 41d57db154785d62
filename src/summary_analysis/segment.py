"""Stage 2, segment: one quiet jieba tokenizer with the shipped domain dictionary.

Segmentation runs on the width-folded text (:func:`summary_analysis.normalize.fold`), so
full-width digits are cut as numbers and every token's offsets are offsets into
``Document.text``. Dictionary terms that contain brackets (``第二十条第（一）项``,
``国办公开办函〔2021〕30号``), which jieba's pre-split regex would break, are protected: the text
is cut around their occurrences and each occurrence is one token.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

import numpy as np

from .normalize import fold

log = logging.getLogger(__name__)

_lock = threading.Lock()
_tokenizer = None
_protected_re: re.Pattern | None = None

# Characters jieba's default pre-split regex (re_han_default) keeps inside one block.
_JIEBA_BLOCK = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+$")


def cache_dir() -> str:
    """Where jieba's prefix-dictionary cache is written: the user cache dir, not a shared temp dir."""
    try:
        from platformdirs import user_cache_dir

        path = user_cache_dir("summary-analysis", appauthor=False)
    except ImportError:  # pragma: no cover - platformdirs is a dependency
        path = os.path.join(os.path.expanduser("~"), ".cache", "summary-analysis")
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def user_dictionary_terms() -> list[str]:
    """The shipped domain dictionary's terms (``data/userdict.txt``), in file order."""
    text = resources.files("summary_analysis.data").joinpath("userdict.txt").read_text("utf-8")
    return [line.split()[0] for line in text.splitlines() if line.strip()]


def get_tokenizer():
    """Return the process-wide ``jieba.Tokenizer`` with the domain dictionary loaded.

    Initialised once per process, quietly (jieba's start-up messages are silenced), with its
    cache in :func:`cache_dir`.
    """
    global _tokenizer, _protected_re
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.tmp_dir = cache_dir()
            tk.initialize()
            lines = resources.files("summary_analysis.data").joinpath("userdict.txt").read_text("utf-8")
            protected = []
            for line in lines.splitlines():
                parts = line.split()
                if not parts:
                    continue
                word = parts[0]
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
                tag = parts[2] if len(parts) > 2 else None
                tk.add_word(word, freq, tag)
                if not _JIEBA_BLOCK.match(fold(word)):
                    protected.append(re.escape(fold(word)))
            protected.sort(key=len, reverse=True)
            _protected_re = re.compile("|".join(protected)) if protected else None
            _tokenizer = tk
    return _tokenizer


@dataclass(frozen=True)
class Tokens:
    """The tokens of one text, covering it without gaps.

    Attributes
    ----------
    words : tuple[str, ...]
        Tokens as they appear in the folded text (``''.join(words) == fold(text)``).
    """

    words: tuple[str, ...]

    @cached_property
    def starts(self) -> np.ndarray:
        """Start offset of each token (characters), shape ``(len(words),)``."""
        lengths = np.fromiter((len(w) for w in self.words), dtype=np.int64, count=len(self.words))
        return np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else lengths

    def spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` character offsets of every token."""
        out = []
        pos = 0
        for w in self.words:
            out.append((pos, pos + len(w)))
            pos += len(w)
        return out

    def __len__(self) -> int:
        return len(self.words)


def cut(text: str) -> list[str]:
    """Segment ``text`` (jieba precise mode, HMM on, domain dictionary) into tokens.

    Parameters
    ----------
    text : str
        Any text; it is width-folded first.

    Returns
    -------
    list[str]
        Tokens of the folded text, concatenating to ``fold(text)``.
    """
    tk = get_tokenizer()
    folded = fold(text)
    if _protected_re is None:
        return tk.lcut(folded)
    out: list[str] = []
    pos = 0
    for m in _protected_re.finditer(folded):
        if m.start() > pos:
            out.extend(tk.lcut(folded[pos:m.start()]))
        out.append(m.group())
        pos = m.end()
    if pos < len(folded):
        out.extend(tk.lcut(folded[pos:]))
    return out


def segment(text: str) -> Tokens:
    """Segment ``text`` into :class:`Tokens` whose offsets index ``text`` (see :func:`cut`)."""
    return Tokens(tuple(cut(text)))
