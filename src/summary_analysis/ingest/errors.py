"""The error a reader raises for a file it cannot turn into text."""

from __future__ import annotations

from ..findings import without_addresses


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
        # a library's message may quote an object's repr with its memory address (python-docx:
        # "file '<_io.BytesIO object at 0x7f…>' is not a Word file"), which differs from run to
        # run: the address is dropped, so the same file gives the same finding every time
        reason = without_addresses(reason)
        super().__init__(reason)
        self.rule = rule
        self.reason = reason
