"""A read-only sequence stored as flat tuples and built into objects on first access.

Worker processes (``analyze(..., jobs > 1)``) send each document's figures and heading forest
to the parent in this form: unpickling tuples of plain values costs a fraction of building the
objects, and the output tables are built from the tuples directly.
"""

from __future__ import annotations

from collections.abc import Sequence


class Packed(Sequence):
    """Base class: a sequence of objects kept as the tuple ``data`` of flat tuples.

    Subclasses implement :meth:`_unpack` (``data`` → list of objects, called once, on first
    access). Instances compare equal to each other by ``data``, and to a list or tuple by the
    objects; they pickle as their ``data``.
    """

    __slots__ = ("data", "_objects")

    def __init__(self, data: tuple) -> None:
        self.data = data
        self._objects: list | None = None

    def _unpack(self, data: tuple) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    def objects(self) -> list:
        """The objects (built on the first call, then kept)."""
        if self._objects is None:
            self._objects = self._unpack(self.data)
        return self._objects

    def __getitem__(self, i):
        return self.objects()[i]

    def __iter__(self):
        return iter(self.objects())

    def __len__(self) -> int:
        return len(self.objects())

    def __eq__(self, other) -> bool:
        if type(other) is type(self):
            return self.data == other.data
        if isinstance(other, (list, tuple)):
            return self.objects() == list(other)
        return NotImplemented

    __hash__ = None  # compared by value, like the list it stands for

    def __reduce__(self):
        return (type(self), (self.data,))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.data)} packed)"
