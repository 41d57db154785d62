"""Input discovery: which files a ``check PATH...`` call covers, and their ``doc_id``.

Rules from ``spec/output-contract.md``: folders are walked recursively in sorted order; hidden
files and folders are skipped; files whose stem is README or SOURCES (any case) are notes,
skipped and counted; ``doc_id`` is the path relative to the PATH argument (POSIX), the file name
for a file given directly, prefixed with the PATH's own name when an earlier PATH gave the same
id. Symbolic links to files are followed (a broken link or a link loop becomes an ING finding
when read); links to folders are not descended (no loops) and are listed as skipped. Names
holding control characters or bytes that are not UTF-8 are reported escaped (:func:`safe_name`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

NOTE_STEMS = {"readme", "sources"}

_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_name(name: str) -> str:
    """A path or file name fit for a report: unchanged unless it holds control characters,
    bidirectional overrides or undecodable bytes, which become ``\\xNN``/``\\uNNNN`` escapes.

    File names on Linux are bytes; Python maps bytes that are not UTF-8 to lone surrogates,
    which cannot be written as UTF-8 (JSON, terminal), and a name with a newline or an ANSI
    escape would forge report lines. Chinese characters and spaces are kept as they are.
    """
    if not _UNSAFE_NAME.search(name):
        return name

    def esc(m: re.Match) -> str:
        o = ord(m.group())
        if 0xDC80 <= o <= 0xDCFF:  # surrogateescape: the original byte
            return f"\\x{o - 0xDC00:02x}"
        return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"

    return _UNSAFE_NAME.sub(esc, name)


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
        Notes (README, SOURCES) and symbolic links to folders (not followed).
    missing : list[tuple[str, str]]
        ``(path, reason)`` for arguments that do not exist and folders that cannot be listed.

    Notes
    -----
    ``doc_id`` and reported paths pass through :func:`safe_name`; :attr:`InputFile.path` is
    the real path to open.
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
            root_name = safe_name(root.resolve().name or str(root))
            errors: list[OSError] = []
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=errors.append):
                kept = []
                for d in sorted(dirnames):
                    if d.startswith("."):
                        continue
                    if os.path.islink(os.path.join(dirpath, d)):
                        skipped.append(Skipped(safe_name(os.path.join(dirpath, d)),
                                               "symbolic link to a folder: not followed (avoids link loops)"))
                        continue
                    kept.append(d)
                dirnames[:] = kept
                for name in sorted(filenames):
                    full = Path(dirpath) / name
                    rel = safe_name(full.relative_to(root).as_posix())
                    if name.startswith("."):
                        continue
                    if _is_note(name):
                        skipped.append(Skipped(safe_name(str(full)), "note (README/SOURCES), not a report"))
                        continue
                    add(full, rel, root_name)
            for err in errors:  # a sub-folder that cannot be listed: reported, never dropped silently
                missing.append((safe_name(str(err.filename)), f"cannot list folder: {err.strerror or err}"))
        elif root.is_file() or root.is_symlink() or root.exists():
            if _is_note(root.name):
                skipped.append(Skipped(safe_name(str(root)), "note (README/SOURCES), not a report"))
                continue
            add(root, safe_name(root.name), safe_name(root.parent.resolve().name or root.name))
        else:
            missing.append((safe_name(str(root)), "no such file or folder"))
    return files, skipped, missing
