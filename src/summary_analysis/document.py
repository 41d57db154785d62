"""Core value objects: :class:`Span` and :class:`Document`.

Every later stage points into :attr:`Document.text` by character offset (spaCy's model: the
document owns its text, everything else is a view on it). Offsets count Unicode code points
(Python ``str`` indices), never bytes; ends are exclusive.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` into one ``Document.text``.

    Parameters
    ----------
    start, end : int
        Character offsets, ``0 <= start <= end``.

    Raises
    ------
    ValueError
        If ``start`` is negative or ``end < start``.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def __reduce__(self):
        # Pickled as its two offsets: the slots-dataclass default goes through
        # dataclasses.fields() on each side, several times the cost (worker processes send
        # spans back with every finding).
        return (Span, (self.start, self.end))

    def as_list(self) -> list[int]:
        """Return ``[start, end]``, the JSON form of the output contract."""
        return [self.start, self.end]


@dataclass(frozen=True)
class Document:
    """One report as read from disk, after splitting and cleaning.

    Parameters
    ----------
    doc_id : str
        Unique within a run: the path relative to the PATH argument (POSIX separators), with
        ``#N`` (N from 1) for documents split from a compilation page.
    title : str
        The title line (first non-empty line, or the compilation page's title line).
    text : str
        The cleaned text; every span of every finding is a character offset into it.
    path : str
        The file the document came from, as given on the command line.
    encoding : str or None
        The text encoding detected for text files (``utf-8``, ``gb18030``, ``utf-16``…); the
        container format (``docx``, ``pdf``) for binary formats.
    meta : dict
        Reader notes (e.g. ``{"split_index": 2}``, ``{"pages": 6}``).
    """

    doc_id: str
    title: str
    text: str
    path: str
    encoding: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def folded(self) -> str:
        """:attr:`text` width-folded by :func:`summary_analysis.normalize.fold`, computed once.

        Same length as :attr:`text`, so its offsets are offsets into :attr:`text`. The very
        ``text`` object when folding changes nothing (no second copy kept).
        """
        from .normalize import fold

        folded = fold(self.text)
        return self.text if folded == self.text else folded  # no second copy when nothing folds

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        text = self.text
        i = text.find("\n")
        while i != -1:
            starts.append(i + 1)
            i = text.find("\n", i + 1)
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """Map a character offset to a 1-based ``(line, column)`` pair in :attr:`text`.

        Raises
        ------
        ValueError
            If ``offset`` is outside ``0..len(text)``.
        """
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} outside text of {len(self.text)} characters")
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def snippet(self, span: Span | tuple[int, int]) -> str:
        """Return ``text[start:end]`` for a :class:`Span` or ``(start, end)`` pair."""
        start, end = (span.start, span.end) if isinstance(span, Span) else span
        return self.text[start:end]
