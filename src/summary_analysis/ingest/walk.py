"""Input discovery: which files a ``check PATH...`` call covers, and their ``doc_id``.

Rules from ``spec/output-contract.md``: folders are walked recursively in sorted order; hidden
files and folders are skipped; files whose stem is README or SOURCES (any case) are notes,
skipped and counted; ``doc_id`` is the path relative to the PATH argument (POSIX), the file name
for a file given directly, prefixed with the PATH's own name when an earlier PATH gave the same
id. Symbolic links to files are followed; links to folders are not descended (no loops).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

NOTE_STEMS = {"readme", "sources"}


@dataclass(frozen=True)
class InputFile:
    """One file found: ``path`` to open, its ``doc_id``."""

    path: Path
    doc_id: str


@dataclass(frozen=True)
class Skipped:
    """A file passed over on purpose (a note), with the ``reason``."""

    path: str
    reason: str


def _is_note(name: str) -> bool:
    return Path(name).stem.lower() in NOTE_STEMS or name.lower() in NOTE_STEMS


def discover(paths: list[str | os.PathLike]) -> tuple[list[InputFile], list[Skipped], list[tuple[str, str]]]:
    """Expand PATH arguments into files.

    Parameters
    ----------
    paths : list of str or PathLike
        Files and folders, as given on the command line.

    Returns
    -------
    files : list[InputFile]
        In argument order, each folder's files in sorted order; doc_ids unique.
    skipped : list[Skipped]
        Notes (README, SOURCES) and hidden entries given directly.
    missing : list[tuple[str, str]]
        ``(path, reason)`` for arguments that do not exist.
    """
    files: list[InputFile] = []
    skipped: list[Skipped] = []
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(path: Path, doc_id: str, root_name: str) -> None:
        if doc_id in seen:
            doc_id = f"{root_name}/{doc_id}"
            n = 2
            base = doc_id
            while doc_id in seen:
                doc_id = f"{base}~{n}"
                n += 1
        seen.add(doc_id)
        files.append(InputFile(path, doc_id))

    for arg in paths:
        root = Path(arg)
        if root.is_dir():
            root_name = root.resolve().name or str(root)
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                                     and not os.path.islink(os.path.join(dirpath, d)))
                for name in sorted(filenames):
                    full = Path(dirpath) / name
                    rel = full.relative_to(root).as_posix()
                    if name.startswith("."):
                        continue
                    if _is_note(name):
                        skipped.append(Skipped(str(full), "note (README/SOURCES), not a report"))
                        continue
                    add(full, rel, root_name)
        elif root.is_file() or root.is_symlink():
            if _is_note(root.name):
                skipped.append(Skipped(str(root), "note (README/SOURCES), not a report"))
                continue
            add(root, root.name, root.parent.resolve().name or root.name)
        else:
            missing.append((str(root), "no such file or folder"))
    return files, skipped, missing
