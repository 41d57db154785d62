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


def read_inputs(paths: list[str], command: str):
    """Read ``paths`` for the sub-command ``command`` (its name, for messages): every file that
    gave no document is named on stderr with its ING rule and reason, as ``doc_id: ING00x
    message``, and a line says so when none gave one.

    Returns
    -------
    ReadResult or None
        :func:`~summary_analysis.ingest.read_batch`'s result, or None when no file gave a
        document (the command then exits with status 2). Raises nothing for unreadable files.
    """
    from ..ingest import read_batch

    read = read_batch(paths)
    for f in read.findings:
        print(f"{f.doc_id}: {f.rule} {f.message}", file=sys.stderr)
    if not read.documents:
        print(f"summary-analysis {command}: no readable document", file=sys.stderr)
        return None
    return read
