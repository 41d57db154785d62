"""Stage 1, read: files -> :class:`~summary_analysis.document.Document` objects.

:func:`read_batch` reads every input file, splits compilation pages, removes boilerplate and
cleans the text; a file that cannot be read becomes an ING finding, and the batch goes on.

Guarantees (tested on the generated adversarial folder, ``tests/adversarial.py``):

* every file found is accounted for: it gives documents or exactly one ING finding with a
  reason a person understands (``files_found == files_read + files_refused``);
* no exception escapes for any file content: reader failures, recursion and memory errors
  become findings;
* memory per file is bounded: files over ``max_file_mb`` are refused from ``stat`` without
  being opened, at most ``max_file_mb`` bytes are read, a .docx may expand to at most
  ``max_unzipped`` bytes, a PDF may have at most :data:`~.readers.MAX_PDF_PAGES` pages, a text
  at most ``max_chars`` characters;
* nothing is fetched: no network, no external entity (a .docx declaring a DTD is refused);
* named pipes and devices are never opened; link loops and broken links are findings.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..document import Document
from ..findings import Finding, without_addresses
from .clean import clean_text
from .errors import ReadError
from .readers import SUPPORTED_SUFFIXES, read_file
from .split import split_compilation
from .walk import InputFile, Skipped, discover, safe_name

log = logging.getLogger(__name__)

#: Default per-file size limit, megabytes (``--max-file-mb``).
DEFAULT_MAX_FILE_MB = 20.0

#: Longest document text analysed, characters. Annual reports and work summaries run to
#: 2,000–60,000 characters; a text of hundreds of thousands of characters is a book, a log or a
#: hostile file, and the per-document stages take minutes on it. Longer documents are refused
#: (ING004) after reading, before analysis.
DEFAULT_MAX_CHARS = 500_000

__all__ = ["ReadResult", "read_batch", "read_one", "ReadError", "SUPPORTED_SUFFIXES", "Skipped",
           "DEFAULT_MAX_FILE_MB", "DEFAULT_MAX_CHARS", "MAX_SPLIT_DOCUMENTS", "too_long_finding"]


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
    _ids: set = field(default_factory=set, repr=False, compare=False)
    _doc_ids: set = field(default_factory=set, repr=False, compare=False)

    @classmethod
    def started(cls, files: list, skipped: list[Skipped], missing: list[tuple[str, str]]) -> "ReadResult":
        """The result before any file is read: the ``skipped`` notes, ``files_found`` for
        ``files`` and ``missing`` (the three lists of :func:`~.walk.discover`), and one ING001
        finding per missing path (each counted as refused)."""
        result = cls(skipped=skipped)
        result.files_found = len(files) + len(missing)
        for p, reason in missing:
            result.account([], [Finding("ING001", Path(p).as_posix(), reason, evidence={"path": p})])
        return result

    def account(self, docs: list[Document], findings: list[Finding]) -> None:
        """Add one file's outcome (from :func:`read_one`): its documents, or its ING findings;
        the file counts as read when it gave at least one document, else as refused.

        doc_ids stay unique in the run (output contract): discovery makes file ids unique,
        but a split part ``page.txt#1`` can meet a file really named ``page.txt#1`` (which,
        its suffix being ``.txt#1``, is always an ING002 row), or a path given on the command
        line that does not exist. Of two holders of one id, a document keeps it and an ING row
        yields; else the later one yields. The one that yields gets ``~2`` (``~3``…) appended,
        on all its findings (and documents).
        """
        own = {d.doc_id for d in docs} | {f.doc_id for f in findings}
        clash = own & self._ids
        if clash:
            def fresh(doc_id: str) -> str:
                n = 2
                while f"{doc_id}~{n}" in self._ids or f"{doc_id}~{n}" in own:
                    n += 1
                return f"{doc_id}~{n}"

            own_docs = {d.doc_id for d in docs}
            renamed = {}
            for doc_id in sorted(clash):
                if doc_id in own_docs and doc_id not in self._doc_ids:
                    # the earlier holder is an ING row only: it yields to this document
                    earlier = fresh(doc_id)
                    self.findings = [replace(f, doc_id=earlier) if f.doc_id == doc_id else f
                                     for f in self.findings]
                    self._ids.add(earlier)
                else:
                    renamed[doc_id] = fresh(doc_id)
            docs = [replace(d, doc_id=renamed.get(d.doc_id, d.doc_id)) for d in docs]
            findings = [replace(f, doc_id=renamed.get(f.doc_id, f.doc_id)) for f in findings]
            own = {d.doc_id for d in docs} | {f.doc_id for f in findings}
        self._ids |= own
        self._doc_ids |= {d.doc_id for d in docs}
        self.documents.extend(docs)
        self.findings.extend(findings)
        if docs:
            self.files_read += 1
        else:
            self.files_refused += 1


def _title_of(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:200]
    return ""


#: What to do with the old binary formats people still submit (found by the session-14
#: fresh-user test: many real submissions are .doc or .wps).
_OLD_BINARY = {
    ".doc": "; an old Word document: save it as .docx (Word or WPS: 另存为 .docx) and check that",
    ".wps": "; a WPS document: save it as .docx (另存为 .docx) and check that",
    ".xls": "; a spreadsheet: the tables of a report are read from the .docx or .pdf that holds them",
    ".et": "; a spreadsheet: the tables of a report are read from the .docx or .pdf that holds them",
}


def _stat_target(path: Path) -> os.stat_result:
    """``stat`` of the file ``path`` points to; ReadError for broken links and link loops."""
    try:
        return path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError("ING004", "symbolic link loop (following the link leads back to it): not followed") from None
        if path.is_symlink() and exc.errno == errno.ENOENT:
            target = safe_name(os.readlink(path))
            raise ReadError("ING001", f"broken symbolic link: its target '{target}' does not exist") from None
        raise


def _read_limited(path: Path, limit: int, expected: int) -> bytes:
    """Read at most ``limit`` bytes of a file ``stat`` gave ``expected`` bytes; ReadError (ING004)
    if it holds more (it grew). The buffer is sized by ``expected``, not by ``limit``: a limit of
    100,000 MB on a 2 KB file allocated 100 GB up front and failed with MemoryError. A file
    that grew since ``stat`` (or reports size 0, as /proc files do) is read on in 1 MB pieces."""
    # opened without blocking: a regular file whose read would wait (/proc/kmsg) held the run
    # for ever (session-14 hostile-input test); regular files ignore the flag
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb", buffering=0) as fh:
        parts, total, want = [], 0, min(limit, expected) + 1
        while total <= limit:
            piece = fh.read(want - total if total < want else min(1 << 20, limit + 1 - total))
            if piece is None:
                raise ReadError("ING001", "the file has no data to give without waiting (a device or a "
                                          "kernel log?): not read")
            if not piece:
                break
            parts.append(piece)
            total += len(piece)
        data = b"".join(parts)
    if len(data) > limit:
        raise ReadError("ING004", f"file grew past the {limit / 1048576:g} MB limit while being read")
    return data


def _megabytes(size: int) -> str:
    """``size`` bytes in MB with enough digits to tell it from a limit (0.0002, 1.5, 20.1)."""
    mb = size / 1048576
    return f"{mb:.1f}" if mb >= 1 else f"{mb:.2g}"


#: Most documents one compilation page may split into; a page with more is refused (ING004).
#: Real pages of sample summaries hold 5 to 30; a 3 MB page of 10,000 small parts (each a
#: window of one text) gave 284,693 DUP001 findings, 252 s and 4.8 GB, and under a memory
#: limit lost the whole batch (session-16 hostile-input test).
MAX_SPLIT_DOCUMENTS = 200


def too_long_finding(doc_id: str, chars: int, max_chars: int, path: str) -> Finding:
    """The ING004 finding of a document text of ``chars`` characters, over ``max_chars``
    (:data:`DEFAULT_MAX_CHARS` by default): not analysed. ``path`` goes into the evidence."""
    return Finding("ING004", doc_id, f"document text of {chars:,} characters is over the "
                   f"{max_chars:,}-character limit: not analysed", evidence={"path": path})


def read_one(item: InputFile, max_file_mb: float = DEFAULT_MAX_FILE_MB,
             max_unzipped: int | None = None,
             max_chars: int = DEFAULT_MAX_CHARS) -> tuple[list[Document], list[Finding]]:
    """Read one input file into documents, or into ING findings.

    The checks run cheapest first, so a refused file is never opened: broken link or link
    loop; not a regular file (a named pipe would block); unsupported suffix (ING002); size over
    ``max_file_mb`` (ING004, decided from ``stat``); then at most ``max_file_mb`` bytes are read
    and handed to the format reader.

    Parameters
    ----------
    item : InputFile
        The file and its ``doc_id``.
    max_file_mb : float
        Per-file size limit, megabytes (MiB).
    max_unzipped : int or None
        Largest uncompressed size of a .docx archive, bytes; None: 10 × ``max_file_mb``.
    max_chars : int
        Longest cleaned document text accepted, characters (ING004 beyond).

    Returns
    -------
    (documents, findings) : tuple[list[Document], list[Finding]]
        Never raises for a bad file: every failure is one ING finding naming the reason (a
        compilation page may give documents plus an ING003 for an empty part).
    """
    path = item.path
    shown = safe_name(str(path))
    limit = int(max_file_mb * 1048576)
    if max_unzipped is None:
        max_unzipped = 10 * limit

    def refused(rule: str, reason: str) -> tuple[list[Document], list[Finding]]:
        return [], [Finding(rule, item.doc_id, without_addresses(reason), evidence={"path": shown})]

    try:
        st = _stat_target(path)
        if not stat.S_ISREG(st.st_mode):
            what = ("a named pipe" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                    else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a folder"
                    if stat.S_ISDIR(st.st_mode) else "a special file")
            raise ReadError("ING001", f"not a regular file ({what}): not read")
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            hint = _OLD_BINARY.get(suffix, "")
            raise ReadError("ING002", f"unsupported file type '{safe_name(suffix) or '(no extension)'}': "
                                      f"supported are {', '.join(sorted(SUPPORTED_SUFFIXES))}{hint}")
        if st.st_size > limit:
            raise ReadError("ING004", f"file of {_megabytes(st.st_size)} MB is over the "
                                      f"{max_file_mb:g} MB limit (--max-file-mb): not read")
        data = _read_limited(path, limit, st.st_size)
        if not data:
            raise ReadError("ING003", "empty file (0 bytes)")
        raw, encoding = read_file(path, data, max_unzipped)
        if not raw.strip():
            raise ReadError("ING003", "file holds only whitespace" if suffix in {".txt", ".md"}
                            else f"no text in this {suffix} file")
    except ReadError as err:
        return refused(err.rule, err.reason)
    except OSError as exc:
        return refused("ING001", f"cannot open file: {exc.strerror or exc}")
    except (RecursionError, MemoryError) as exc:
        return refused("ING004", f"file too complex to read safely ({type(exc).__name__})")
    except Exception as exc:  # a reader library failed on hostile input: one finding, never a crash
        log.debug("reader failed on %s", shown, exc_info=True)
        return refused("ING001", f"cannot read file: {type(exc).__name__}: {safe_name(str(exc))[:200]}")

    parts = split_compilation(raw.replace("\r\n", "\n").replace("\r", "\n"))
    if parts is not None and len(parts) > MAX_SPLIT_DOCUMENTS:
        return refused("ING004", f"a compilation page of {len(parts):,} documents, more than "
                                 f"{MAX_SPLIT_DOCUMENTS}: not split (a page of 范文 holds a few dozen at most)")
    docs: list[Document] = []
    findings: list[Finding] = []

    def too_long(doc_id: str, text: str) -> bool:
        if len(text) <= max_chars:
            return False
        findings.append(too_long_finding(doc_id, len(text), max_chars, shown))
        return True

    if parts is None:
        text = clean_text(raw)
        if not text:
            findings.append(Finding("ING003", item.doc_id, "no text left after cleaning "
                                    "(only control characters, page footers or boilerplate)",
                                    evidence={"path": shown}))
        elif not too_long(item.doc_id, text):
            docs.append(Document(item.doc_id, _title_of(text), text, shown, encoding))
    else:
        for n, part in enumerate(parts, start=1):
            doc_id = f"{item.doc_id}#{n}"
            text = clean_text(part.body)
            if not text:
                findings.append(Finding("ING003", doc_id, f"split part {n} ('{part.title}') is empty",
                                        evidence={"path": shown}))
                continue
            if too_long(doc_id, text):
                continue
            docs.append(Document(doc_id, part.title, text, shown, encoding,
                                 meta={"split_index": n, "split_of": item.doc_id}))
    if not docs and not findings:  # a page whose split gave no part: never lose the file
        findings.append(Finding("ING003", item.doc_id, "no document found in the file",
                                evidence={"path": shown}))
    return docs, findings


def read_batch(paths: list[str | os.PathLike] | str | os.PathLike,
               max_file_mb: float = DEFAULT_MAX_FILE_MB,
               max_unzipped: int | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> ReadResult:
    """Read every file under ``paths`` (files and folders; see :mod:`.walk` for the rules).

    Parameters
    ----------
    paths : path or list of paths
    max_file_mb : float
        Files larger than this many megabytes are refused (ING004) without being read.
    max_unzipped : int or None
        Largest uncompressed size of a .docx archive, bytes (zip-bomb guard); None (default):
        10 × ``max_file_mb``, i.e. 200 MB with the default limit. The command line sets both
        through ``--max-file-mb``.
    max_chars : int
        Longest document text analysed, characters (:data:`DEFAULT_MAX_CHARS`); longer ones
        become ING004 findings.

    Returns
    -------
    ReadResult
        Every discovered file is accounted for: it gave documents or an ING finding.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files, skipped, missing = discover(list(paths))
    result = ReadResult.started(files, skipped, missing)
    for item in files:
        result.account(*read_one(item, max_file_mb, max_unzipped, max_chars))
    return result
