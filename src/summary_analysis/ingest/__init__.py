"""Stage 1, read: files -> :class:`~summary_analysis.document.Document` objects.

:func:`read_batch` reads every input file, splits compilation pages, removes boilerplate and
cleans the text; a file that cannot be read becomes an ING finding, and the batch goes on.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..document import Document
from ..findings import Finding
from .clean import clean_text
from .errors import ReadError
from .readers import DEFAULT_MAX_UNZIPPED, SUPPORTED_SUFFIXES, read_file
from .split import split_compilation
from .walk import InputFile, Skipped, discover

log = logging.getLogger(__name__)

#: Default per-file size limit, megabytes (``--max-file-mb``).
DEFAULT_MAX_FILE_MB = 20.0

__all__ = ["ReadResult", "read_batch", "read_one", "ReadError", "SUPPORTED_SUFFIXES", "Skipped",
           "DEFAULT_MAX_FILE_MB"]


@dataclass
class ReadResult:
    """What reading a batch gave.

    Attributes
    ----------
    documents : list[Document]
        Readable documents, in input order (split pages give ``PATH#1…#N``).
    findings : list[Finding]
        ING findings, one per file (or split part) that could not be used.
    skipped : list[Skipped]
        Notes passed over on purpose.
    files_found : int
        Input files discovered (excluding skipped notes); ``files_read + files_refused``.
    files_read, files_refused : int
        Files that gave at least one document; files that gave an ING finding instead.
    """

    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files_found: int = 0
    files_read: int = 0
    files_refused: int = 0


def _title_of(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return ""


def read_one(item: InputFile, max_file_mb: float = DEFAULT_MAX_FILE_MB,
             max_unzipped: int = DEFAULT_MAX_UNZIPPED) -> tuple[list[Document], list[Finding]]:
    """Read one input file into documents, or into ING findings.

    Returns
    -------
    (documents, findings) : tuple[list[Document], list[Finding]]
        Never raises for a bad file: every failure is an ING finding naming the reason.
    """
    path = item.path
    try:
        if path.is_symlink() and not path.exists():
            raise ReadError("ING001", "broken symbolic link (its target does not exist) or link loop")
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise ReadError("ING002", f"unsupported file type '{suffix or '(no extension)'}': "
                                      f"supported are {', '.join(sorted(SUPPORTED_SUFFIXES))}")
        size = path.stat().st_size
        if size > max_file_mb * 1024 * 1024:
            raise ReadError("ING004", f"file of {size / 1048576:.1f} MB is over the "
                                      f"{max_file_mb:g} MB limit (--max-file-mb)")
        data = path.read_bytes()
        if not data.strip():
            raise ReadError("ING003", "empty file" if not data else "file holds only whitespace")
        raw, encoding = read_file(path, data, max_unzipped)
    except ReadError as err:
        return [], [Finding(err.rule, item.doc_id, err.reason, evidence={"path": str(path)})]
    except OSError as exc:
        reason = "symbolic link loop" if exc.errno == 40 else f"cannot open file: {exc.strerror or exc}"
        return [], [Finding("ING001", item.doc_id, reason, evidence={"path": str(path)})]

    parts = split_compilation(raw.replace("\r\n", "\n").replace("\r", "\n"))
    docs: list[Document] = []
    findings: list[Finding] = []
    if parts is None:
        text = clean_text(raw)
        if not text:
            findings.append(Finding("ING003", item.doc_id, "no text left after cleaning",
                                    evidence={"path": str(path)}))
        else:
            docs.append(Document(item.doc_id, _title_of(text), text, str(path), encoding))
    else:
        for n, part in enumerate(parts, start=1):
            doc_id = f"{item.doc_id}#{n}"
            text = clean_text(part.body)
            if not text:
                findings.append(Finding("ING003", doc_id, f"split part {n} ('{part.title}') is empty",
                                        evidence={"path": str(path)}))
                continue
            docs.append(Document(doc_id, part.title, text, str(path), encoding,
                                 meta={"split_index": n, "split_of": item.doc_id}))
    return docs, findings


def read_batch(paths: list[str | os.PathLike] | str | os.PathLike,
               max_file_mb: float = DEFAULT_MAX_FILE_MB,
               max_unzipped: int = DEFAULT_MAX_UNZIPPED) -> ReadResult:
    """Read every file under ``paths`` (files and folders; see :mod:`.walk` for the rules).

    Parameters
    ----------
    paths : path or list of paths
    max_file_mb : float
        Files larger than this many megabytes are refused (ING004) without being read.
    max_unzipped : int
        Largest uncompressed size of a .docx archive, bytes (zip-bomb guard).

    Returns
    -------
    ReadResult
        Every discovered file is accounted for: it gave documents or an ING finding.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files, skipped, missing = discover(list(paths))
    result = ReadResult(skipped=skipped)
    for p, reason in missing:
        result.findings.append(Finding("ING001", Path(p).as_posix(), reason, evidence={"path": p}))
    result.files_found = len(files) + len(missing)
    result.files_refused = len(missing)
    for item in files:
        docs, findings = read_one(item, max_file_mb, max_unzipped)
        result.documents.extend(docs)
        result.findings.extend(findings)
        if docs:
            result.files_read += 1
        else:
            result.files_refused += 1
    return result
