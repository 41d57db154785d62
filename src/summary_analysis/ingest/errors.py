"""The error a reader raises for a file it cannot turn into text."""

from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read; becomes an ING finding, never a traceback.

    Parameters
    ----------
    rule : str
        The ING code (ING001 unreadable, ING002 unsupported, ING003 empty, ING004 refused,
        ING005 no text layer).
    reason : str
        A sentence a person understands.
    """

    def __init__(self, rule: str, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason
