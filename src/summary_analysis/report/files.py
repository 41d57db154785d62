"""Writing report files whole or not at all.

A report that replaces a regular file (or creates one) is written to a temporary file beside
its destination, which then replaces the destination in one step (``os.replace``): a run
interrupted while writing (Ctrl-C, a full disk) leaves the previous report as it was instead
of a truncated file, and a reader never sees half a report. The new file keeps the old one's
permissions (and owner, when this process may set it).

Written in place instead, as ``open(path, "w")`` would: a destination that is not a regular
file (``/dev/null``, a pipe such as ``/dev/stdout``), a file with other hard links (they would
keep the old report), and a file in a folder this process cannot create files in.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path


def _writable_folder(path: Path) -> bool:
    return os.access(path.parent if str(path.parent) else ".", os.W_OK | os.X_OK)


@contextlib.contextmanager
def replacing(path: str | os.PathLike):
    """:func:`_replacing`, with an OSError that names no file (raised by a write, not by an
    open: a full disk, /proc/version) given ``path`` as its file name, so the one-line error
    says which file could not be written."""
    try:
        with _replacing(path) as target:
            yield target
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror or str(exc), os.fspath(path)) from None
        raise


@contextlib.contextmanager
def _replacing(path: str | os.PathLike):
    """Context manager yielding the path to write the report to: a temporary file in
    ``path``'s folder that replaces ``path`` when the block ends normally (when it raises,
    KeyboardInterrupt included, the temporary file is removed and ``path`` is untouched); or
    ``path`` itself when it must be written in place (module docstring).

    Raises
    ------
    PermissionError
        When ``path`` is a file this user may not write (as ``open`` would refuse it).
    OSError
        When the file cannot be written (from the block's own writing, or from the replace).
    """
    path = Path(path)
    try:
        st = os.stat(path)  # what the path leads to, through links
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode) and not os.access(path, os.W_OK):
        # replacing it would succeed where open() fails: a read-only report stays as it is
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    if st is not None and (not stat.S_ISREG(st.st_mode) or st.st_nlink > 1):
        yield path  # a device, a pipe, a hard-linked file: written in place
        return
    if path.is_symlink():  # write where the link points, as open() would, keeping the link
        path = Path(os.path.realpath(path))
    tmp = None
    if _writable_folder(path):
        # created as open() would (mode 0666 less the umask), under a name no one else uses;
        # a hidden name, so that a later check of the folder passes over one left by a kill
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        except OSError:
            tmp = None
    if tmp is None:
        yield path  # no file can be made beside it: written in place
        return
    try:
        yield tmp
        if st is not None:  # keep the report's permissions, and its owner where allowed
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            with contextlib.suppress(OSError):
                os.chown(tmp, st.st_uid, st.st_gid)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` whole or not at all (:func:`replacing`). Raises OSError
    when it cannot be written."""
    with replacing(path) as target:
        target.write_text(text, encoding=encoding)


def write_texts(files: list[tuple[str | os.PathLike, str]], encoding: str = "utf-8") -> None:
    """Write several files as one report: every ``(path, text)`` is written to its temporary
    file first, and the files replace their destinations only once all are written; when one
    cannot be written (a full disk, a folder where a file should be, Ctrl-C) none is replaced
    (a CSV folder mixed the tables of two runs; session-15 hostile-input test). Raises OSError
    when a file cannot be written."""
    with contextlib.ExitStack() as stack:
        targets = [(stack.enter_context(replacing(path)), text) for path, text in files]
        for target, text in targets:
            Path(target).write_text(text, encoding=encoding)
