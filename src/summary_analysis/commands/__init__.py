"""Inspection sub-commands; each module's ``register(subparsers)`` adds its parser and sets
``func`` (called with the parsed args, returns the exit status)."""

from __future__ import annotations

import sys
from importlib import import_module

#: Sub-command modules, in help order.
MODULES = ["sections", "figures", "checklist", "compare", "index"]


def register_all(subparsers) -> None:
    """Add every sub-command of :data:`MODULES` to ``subparsers``."""
    for name in MODULES:
        import_module(f"{__name__}.{name}").register(subparsers)


def split_part(spec: str) -> tuple[str, int | None]:
    """Split a command-line name ``PAGE#N`` into ``(PAGE, N)``: the N-th document (from 1) split
    from the compilation page PAGE, as check names it (``seed-compilation-page.txt#4``). A
    name that is an existing path as it stands, or whose part after the last ``#`` is not a
    positive whole number, is a plain path: ``(spec, None)``. Raises nothing."""
    path, sep, part = spec.rpartition("#")
    if not sep or not path or not _is_number(part) or _is(spec, "exists"):
        return spec, None
    return path, int(part)


def _is(path: str, test: str) -> bool:
    """``Path(path).exists()`` / ``.is_file()`` / ``.is_dir()``, False where the system cannot
    look (a name too long, no permission): reading the path then reports why."""
    from pathlib import Path

    try:
        return getattr(Path(path), test)()
    except OSError:
        return False


def _is_number(part: str) -> bool:
    """A document number as check writes it: ASCII digits, no leading zero (not ``²``, ``01``)."""
    return part.isascii() and part.isdigit() and part[0] != "0"


def _part_of(doc_id: str) -> int | None:
    head, sep, part = doc_id.rpartition("#")
    return int(part) if sep and head and _is_number(part) else None


def read_spec(spec: str):
    """Read one command-line name: a file or folder, or ``PAGE#N`` (:func:`split_part`) for one
    document of a compilation page.

    Returns
    -------
    (ReadResult, str or None)
        What :func:`~summary_analysis.ingest.read_batch` gave (for ``PAGE#N``, with only that
        document kept), and a one-line reason when ``PAGE#N`` names no document of a page that
        was read (the page gives fewer documents, or is not a compilation page), else None.
        Unreadable files are ING findings in the result, as for ``check``; raises nothing.
    """
    from ..ingest import ReadResult, read_batch

    path, part = split_part(spec)
    base, sep, tail = spec.rpartition("#")
    if part is None and sep and base and not _is(spec, "exists") and _is(base, "is_file"):
        return ReadResult(), (f"{spec}: {tail!r} is not a document number: PAGE#N counts the "
                              f"documents of a compilation page from 1 (#1, #2, …)")
    if part is not None and _is(path, "is_dir"):
        return ReadResult(), f"{spec}: {path} is a folder: PAGE#N names one document of a file"
    read = read_batch([path])
    if part is None or not read.documents:
        return read, None
    found = [_part_of(d.doc_id) for d in read.documents]
    read.documents = [d for d, n in zip(read.documents, found) if n == part]
    if read.documents:
        return read, None
    if all(n is None for n in found):
        return read, f"{spec}: {path} is not a compilation page (one document); name it without #{part}"
    return read, f"{spec}: no document #{part}: the page gives {len(found)} (#1 to #{len(found)})"


def read_inputs(paths: list[str], command: str):
    """Read ``paths`` for the sub-command ``command`` (its name, for messages), each a file, a
    folder or ``PAGE#N`` (:func:`read_spec`), in the order given; a document named twice is
    kept once. Every file that gave no document is named on stderr with its ING rule and
    reason, as ``doc_id: ING00x message``, as is every ``PAGE#N`` that names no document, and
    a line says so when nothing gave a document.

    Returns
    -------
    ReadResult or None
        The documents of all ``paths`` and the ING findings of the files that gave none, or
        None when no document was read (the command then exits with status 2). Raises nothing
        for unreadable files or unknown parts.
    """
    import os

    from ..ingest import ReadResult

    out = ReadResult()
    seen: set = set()
    for spec in paths:
        read, problem = read_spec(spec)
        for f in read.findings:
            print(f"{f.doc_id}: {f.rule} {f.message}", file=sys.stderr)
        if problem:
            print(problem, file=sys.stderr)
        out.findings += read.findings
        out.skipped += read.skipped
        for d in read.documents:
            key = (os.path.realpath(d.path), _part_of(d.doc_id))
            if key not in seen:
                seen.add(key)
                out.documents.append(d)
    if not out.documents:
        print(f"summary-analysis {command}: no readable document", file=sys.stderr)
        return None
    return out
