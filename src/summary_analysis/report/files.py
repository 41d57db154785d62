"""Writing report files whole or not at all.

A report is written to a temporary file beside its destination, which then replaces the
destination in one step (``os.replace``): a run interrupted while writing (Ctrl-C, a full
disk) leaves the previous report as it was instead of a truncated file, and a reader never sees
half a report.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


@contextlib.contextmanager
def replacing(path: str | os.PathLike):
    """Context manager yielding a temporary path in ``path``'s folder; when the block ends
    normally, the file written there replaces ``path`` (created if missing); when it raises
    (KeyboardInterrupt included), the temporary file is removed and ``path`` is untouched.

    Raises
    ------
    OSError
        When the folder cannot be written (the message names it).
    """
    path = Path(path)
    if path.is_symlink():  # write where the link points, as open() would, keeping the link
        path = Path(os.path.realpath(path))
    # created as open() would (mode 0666 less the umask), under a name no one else uses; a
    # hidden name, so that a later check of the folder passes over one left by a killed run
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` whole or not at all (:func:`replacing`)."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding=encoding)
