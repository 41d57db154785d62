"""Input discovery: which files a ``check PATH...`` call covers, and their ``doc_id``.

Rules from ``docs/output-contract.md``: folders are walked recursively in sorted order; hidden
files and folders are skipped; text files whose stem is README or SOURCES (any case) are notes,
skipped and counted; ``doc_id`` is the path relative to the PATH argument (POSIX), the file name
for a file given directly, prefixed with the PATH's own name when an earlier PATH gave the same
id. Symbolic links to files are followed (a broken link or a link loop becomes an ING finding
when read), except, inside a walked folder, links to files outside it; links to folders are not
descended (no loops) and are listed as skipped. Names holding control, invisible or
bidirectional characters or bytes that are not UTF-8 are reported escaped (:func:`safe_name`).

A file reached twice (the same PATH given twice, a folder and a file inside it, hard links or
two symbolic links to one file) is read once: the first occurrence wins, later ones are listed
as skipped ("given twice"), compared by real path and by device/inode. An empty PATH is an
error (reported as missing, "empty path"), never the current folder. Reports written by this
tool (:func:`is_own_report`: HTML, text, JSON, CSV, XLSX) are skipped, so a report saved inside
a checked folder is not read back as a submission. Hidden files and folders inside a walked
folder are listed as skipped (:data:`HIDDEN`), not read and not descended, and so are the lock
files Word and WPS leave beside an open document (:data:`LOCK_FILE`).
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

NOTE_STEMS = {"readme", "sources"}

#: Reason given for a file reached a second time.
GIVEN_TWICE = "given twice: the same file was already read under another PATH or name"

#: Reason given for a report of this tool found among the inputs.
OWN_REPORT = "a summary-analysis report, not a submission"

#: Reason given for a hidden file or folder (name starting with ".").
HIDDEN = "hidden (name starts with '.'), not read"

_GENERATOR = re.compile(rb"<meta\s+name=[\"']?generator[\"']?\s+content=[\"']?"
                        rb"summary-analysis \d+\.\d+[^\"'<>\s]*[\"']", re.I)
# the last line of the text report (report/text.py), and the header of its summary table
_TEXT_SUMMARY = re.compile(rb"\d+ files? found: \d+ read, \d+ refused \(ING\), \d+ skipped [^\n]*; "
                           rb"(\d+) documents?; \d+ findings? \(\d+ errors?, \d+ warnings?, \d+ info\)\s*\Z")
_TEXT_TABLE = re.compile(rb"^document +kind +score +DUP +REW +PLH +FIG +SEC +worst\r?$", re.M)
# the same in the Chinese text report (--lang zh)
_TEXT_SUMMARY_ZH = re.compile(r"共 \d+ 个文件：读入 \d+ 个，未读入（ING）\d+ 个，跳过 \d+ 个[^\n]*；(\d+) 篇文档；"
                              r"\d+ 个问题（错误 \d+ 个，警告 \d+ 个，提示 \d+ 个）\s*\Z".encode())
_TEXT_TABLE_ZH = re.compile(r"^文档 +文档类型 +完整度 +抄袭\(DUP\) +洗稿\(REW\) +未填模板\(PLH\) +数据\(FIG\) "
                            r"+完整性\(SEC\) +最高严重程度\r?$".encode(), re.M)
#: What the text report's first line is (report/text.py): a finding line, the summary table's
#: header, the copy groups, a skipped file or the count line, in English or Chinese. A
#: submission that only ends with a forged count line is read (session-16 hostile-input test).
_TEXT_FIRST = re.compile(rb"(?:.+?: [A-Z]{3}\d{3} \[[^\]\n]+\] |document +kind +score |copy groups \(|skipped: "
                         rb"|\d+ files? found: |" + "文档 +文档类型 |抄袭关联组（|跳过：|共 \\d+ 个文件：".encode() + rb")")
#: How far from its end the text report's table header is looked for.
_TEXT_TABLE_WINDOW = 1 << 20
# the start of the JSON report (report/jsonout.py) and the first cell of each CSV table
_JSON_HEAD = re.compile(rb'\A\s*\{\s*"contract"\s*:\s*\d')
_CSV_HEADS = ("rule,severity,doc_id", "doc_id,path,title", "doc_a,doc_b,jaccard", "doc_id,metric,value",
              "doc_id,checklist,item", "path,reason", "group,doc_id,size",
              "规则,严重程度,文档", "文档,文件路径,标题", "文档A,文档B", "文档,指标,数值", "文档,检查表,检查项",
              "文件路径,原因", "关联组,文档,组内文档数")
#: The file types :func:`is_own_report` looks into.
_REPORT_SUFFIXES = {".html", ".htm", ".txt", ".md", ".json", ".csv", ".xlsx"}
#: The ``creator`` property the Excel report carries (report/xlsx.py).
XLSX_CREATOR = "summary-analysis"


def check_paths(paths) -> list:
    """The paths ``paths`` names, as a list: one path (str or os.PathLike) or an iterable of them.

    Raises
    ------
    TypeError
        For bytes, None or another non-path as ``paths`` or as one of them, naming the first
        (``inputs[k]``); a TypeError from deep in the folder walk before.
    ValueError
        For a path holding a NUL character (no file can have it).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif isinstance(paths, (bytes, bytearray)) or not hasattr(paths, "__iter__"):
        raise TypeError(f"give a path (str or os.PathLike) or a list of paths, not {type(paths).__name__}")
    paths = list(paths)
    for k, x in enumerate(paths):
        if isinstance(x, (bytes, bytearray)) or not isinstance(x, (str, os.PathLike)):
            raise TypeError(f"inputs[{k}]: give a path (str or os.PathLike), not {type(x).__name__}")
        path = os.fspath(x)
        if not isinstance(path, str):
            raise TypeError(f"inputs[{k}]: give a path as str, not {type(path).__name__}")
        if "\x00" in path:
            raise ValueError(f"inputs[{k}]: a path cannot hold a NUL character: {safe_name(path)}")
    return paths


def is_own_report(path: Path) -> bool:
    """True when ``path`` is a report this tool wrote, by its format's mark: HTML, the generator
    meta tag in the first 4 KiB; text (.txt, .md), the summary line that ends the text report
    and, when it counts documents, the header of its summary table, in English or Chinese
    (``--lang zh``; a summary quoting the line is still read); JSON, the ``contract`` key
    first; CSV, the header row of one of the tables (English or Chinese headers); XLSX, the
    workbook's creator :data:`XLSX_CREATOR`.
    Unreadable files: False (they are reported when read)."""
    suffix = path.suffix.lower()
    if suffix not in _REPORT_SUFFIXES:  # .pdf, .docx…: never opened here
        return False
    try:
        if not path.is_file():
            return False
        if suffix == ".xlsx":
            return _xlsx_creator(path) == XLSX_CREATOR
        with open(path, "rb") as fh:
            if suffix in {".txt", ".md"}:
                size = os.fstat(fh.fileno()).st_size
                fh.seek(max(0, size - 4096))
                tail = fh.read(4096)
                for summary, table in ((_TEXT_SUMMARY, _TEXT_TABLE), (_TEXT_SUMMARY_ZH, _TEXT_TABLE_ZH)):
                    m = summary.search(tail)
                    if m:
                        break
                else:
                    return False
                fh.seek(0)
                head = fh.read(4096).lstrip()
                if not _TEXT_FIRST.match(head):  # prose with the count line pasted at its end
                    return False
                if int(m.group(1)) == 0:  # no document, no table
                    return True
                fh.seek(max(0, size - _TEXT_TABLE_WINDOW))
                return bool(table.search(fh.read(_TEXT_TABLE_WINDOW)))
            head = fh.read(4096)
    except OSError:
        return False
    if suffix == ".json":
        return bool(_JSON_HEAD.match(head))
    if suffix == ".csv":
        first = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace")
        return first.startswith(_CSV_HEADS)
    return bool(_GENERATOR.search(head))  # .html, .htm


def _xlsx_creator(path: Path) -> str | None:
    """The ``dc:creator`` of an .xlsx file's core properties, None when it has none or is not a
    readable zip (only the small docProps/core.xml member is read)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > 65536:
                return None
            xml = z.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError):
        return None
    m = re.search(r"<dc:creator\b[^>]*>([^<]*)</dc:creator>", xml)
    return m.group(1) if m else None


#: Identities (see :func:`_identity`) of files :func:`discover` skips as the run's own files,
#: with the reason given.
_EXCLUDED: dict = {}

#: Reason given for the ``--out`` file found among the inputs.
OWN_OUTPUT = "the report file of this run (--out), not a submission"
#: Reason given for the run's ``--checklist`` file found among the inputs.
RUN_CHECKLIST = "the checklist file of this run (--checklist), not a submission"
#: Reason given for the run's ``--index`` file found among the inputs.
RUN_INDEX = "the reference index of this run (--index), not a submission"


@contextlib.contextmanager
def excluding(paths):
    """Within the ``with`` block, :func:`discover` skips these files: the command line's own
    files, which may lie inside a checked folder (its ``--out`` report, ``--checklist`` and
    ``--index`` files). ``paths``: a mapping ``path -> reason`` (the reason listed with the
    skipped file), or paths (reason :data:`OWN_OUTPUT`); paths that do not exist yet are
    ignored. Only the calling process is affected."""
    items = paths.items() if hasattr(paths, "items") else ((p, OWN_OUTPUT) for p in paths)
    added = {}
    for p, reason in items:
        key = _identity(Path(p)) if p else None
        if key is not None and key[0] == "inode" and key not in _EXCLUDED and key not in added:
            added[key] = reason
    _EXCLUDED.update(added)
    try:
        yield
    finally:
        for key in added:
            _EXCLUDED.pop(key, None)


def same_file(a: Path, b: Path) -> bool:
    """True when the paths ``a`` and ``b`` name one file: same device and inode (hard and
    symbolic links included), else the same real path when a file does not exist; False when
    neither can be told. Raises nothing."""
    ka = _identity(a)
    return ka is not None and ka == _identity(b)


def _identity(path: Path):
    """Key telling two names of one file apart from two files: device and inode of the target
    (hard links, symbolic links), else the real path; None when it cannot be known."""
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        try:
            return ("path", os.path.realpath(path))
        except (OSError, ValueError):
            return None

#: Characters a name must not bring to a terminal or a report as they are: controls (C0, C1),
#: line and paragraph separators, bidirectional controls (U+061C, U+200E/F, U+202A-E,
#: U+2066-9), invisible ones (soft hyphen, zero-width space/joiners, word joiner, BOM,
#: Mongolian vowel separator, tag characters: a name that reads as another) and lone surrogates
#: (undecodable bytes).
_INVISIBLE = ("\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
              "\U000e0000-\U000e007f\ud800-\udfff")
# a backslash too, on systems where it is no path separator: escaped as \\, so a name that
# holds the text \xff cannot read as the escaped byte 0xFF of another (two files shown as one
# path; index add kept one of them: session-16 hostile-input test)
_UNSAFE_NAME = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_INVISIBLE}{'' if os.sep == chr(92) else chr(92) * 2}]")
_UNSAFE_MESSAGE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_INVISIBLE}]")


def safe_name(name: str) -> str:
    """A path or file name fit for a report: unchanged unless it holds control characters,
    bidirectional controls, invisible characters (:data:`_INVISIBLE`) or undecodable bytes,
    which become ``\\xNN``/``\\uNNNN`` escapes, or (where ``/`` separates paths) a backslash,
    written ``\\\\`` so that no name reads as another's escape.

    File names on Linux are bytes; Python maps bytes that are not UTF-8 to lone surrogates,
    which cannot be written as UTF-8 (JSON, terminal), and a name with a newline or an ANSI
    escape would forge report lines. Chinese characters and spaces are kept as they are.
    """
    if not _UNSAFE_NAME.search(name):
        return name
    return _UNSAFE_NAME.sub(_escaped, name)


def _escaped(m: re.Match) -> str:
    if m.group() == "\\":
        return "\\\\"
    o = ord(m.group())
    if 0xDC80 <= o <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o < 0x100 else (f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}")


def safe_message(text: str) -> str:
    """``text`` (a message for the terminal, lines and tabs kept) with the characters
    :func:`safe_name` escapes escaped the same way: a name quoted in any message (a
    ``--checklist`` path, a ``PAGE#N``, a rule code given on the command line) cannot send an
    escape sequence to the terminal or hide as invisible characters."""
    if not _UNSAFE_MESSAGE.search(text):
        return text
    return _UNSAFE_MESSAGE.sub(_escaped, text)


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


#: Reason given for a note beside the reports (README, SOURCES).
NOTE = "note (README/SOURCES), not a report"
#: Reason given for a symbolic link to a folder inside a walked folder.
FOLDER_LINK = "symbolic link to a folder: not followed (avoids link loops)"
#: Reason given for the files of a table written by Spark or Hadoop: in a folder holding the
#: job-commit marker ``_SUCCESS``, the marker and the ``part-…`` files (as ``--engine spark
#: --format parquet`` writes; they were ING002 rows when such a folder was checked again).
TABLE_PARTS = "part of a table written by Spark/Hadoop (a folder with _SUCCESS), not a submission"
#: Reason given for a path given again after it was reported missing.
MISSING_TWICE = "given twice: already reported as missing (ING001)"


#: File types a note (README, SOURCES) comes in; a README.docx or readme.pdf is read as a
#: report (a full report so named was skipped unread: session-16 hostile-input test).
NOTE_SUFFIXES = {"", ".md", ".txt", ".rst", ".markdown"}
#: Largest Office lock file (~$…): Word writes 162 bytes; a larger ~$ file is read.
LOCK_FILE_MAX_BYTES = 4096


def _is_note(name: str) -> bool:
    return (Path(name).stem.lower() in NOTE_STEMS and Path(name).suffix.lower() in NOTE_SUFFIXES) \
        or name.lower() in NOTE_STEMS


#: Reason given for the lock file Word or WPS leaves beside an open document (``~$报告.docx``).
LOCK_FILE = "Office lock file (~$…) of a document being edited, not a report"


def _passed_over(name: str, path: Path | None = None) -> str | None:
    """Why a file named ``name`` (at ``path``) is skipped without being read (a note, an Office
    lock file: a ``~$`` file of at most :data:`LOCK_FILE_MAX_BYTES`), or None."""
    if _is_note(name):
        return NOTE
    if name.startswith("~$"):
        try:
            small = path is None or path.stat().st_size <= LOCK_FILE_MAX_BYTES
        except OSError:
            small = True  # gone or unreadable: nothing to read either way
        return LOCK_FILE if small else None
    return None


#: Reason given for a symbolic link, inside a walked folder, to a file outside that folder.
LINK_OUTSIDE = ("symbolic link to a file outside the folder: not followed (a link in a submission "
                "could pull any readable file into the report)")


def _link_out_of(path: Path, folder: Path) -> str | None:
    """:data:`LINK_OUTSIDE` when ``path`` is a symbolic link whose target lies outside
    ``folder`` (resolved); None otherwise (a broken or looping link is left to the reader,
    which reports it)."""
    if not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return None if target.is_relative_to(folder) else LINK_OUTSIDE


def _walk(top: Path, onerror):
    """``os.walk(top, followlinks=False)`` without recursion: ``(dirpath, dirnames,
    filenames)`` top-down, depth first, a folder's sub-folders in the order ``dirnames`` holds
    them after the caller pruned it (in place); links to folders are listed in ``dirnames`` but
    not entered. os.walk recursed once per level: a folder nested 1,000 deep ended the whole
    run with RecursionError (session-16 hostile-input test)."""
    stack = [os.fspath(top)]
    while stack:
        path = stack.pop()
        try:
            with os.scandir(path) as it:
                entries = list(it)
        except OSError as exc:
            onerror(exc)
            continue
        dirs, files = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            (dirs if is_dir else files).append(entry.name)
        yield path, dirs, files
        for d in reversed(dirs):
            sub = os.path.join(path, d)
            if not os.path.islink(sub):
                stack.append(sub)


def discover(paths: list[str | os.PathLike]) -> tuple[list[InputFile], list[Skipped], list[tuple[str, str]]]:
    """Expand PATH arguments into files.

    Parameters
    ----------
    paths : list of str or PathLike
        Files and folders, as given on the command line.

    Returns
    -------
    files : list[InputFile]
        In argument order, each folder's files in sorted order; doc_ids unique: the path
        relative to the PATH argument (a file given directly: its name); when two files would
        share one, each is preceded by its PATH argument's folder name (``2024/report.md``,
        ``2025/report.md``), and a clash left after that is numbered (``…~2``).
    skipped : list[Skipped]
        Notes (README, SOURCES), symbolic links to folders (not followed) and, inside a
        folder, to files outside it (:data:`LINK_OUTSIDE`), files reached a
        second time (:data:`GIVEN_TWICE`), this tool's own reports (:data:`OWN_REPORT`),
        hidden files and folders (:data:`HIDDEN`) and Office lock files (:data:`LOCK_FILE`).
    missing : list[tuple[str, str]]
        ``(path, reason)`` for arguments that do not exist, empty arguments (``""``: path
        ``"(empty path)"``, reason "empty path…") and folders that cannot be listed.

    Notes
    -----
    ``doc_id`` and reported paths pass through :func:`safe_name`; :attr:`InputFile.path` is
    the real path to open.
    """
    files: list[InputFile] = []
    skipped: list[Skipped] = []
    missing: list[tuple[str, str]] = []
    found: list[tuple[Path, str, str]] = []  # (path, id, name of the PATH argument's folder)
    identities: set = set()

    def add(path: Path, doc_id: str, root_name: str) -> None:
        key = _identity(path)
        if key is not None and key in _EXCLUDED:
            skipped.append(Skipped(safe_name(str(path)), _EXCLUDED[key]))
            return
        if key is not None:
            if key in identities:
                skipped.append(Skipped(safe_name(str(path)), GIVEN_TWICE))
                return
            identities.add(key)
        if is_own_report(path):
            skipped.append(Skipped(safe_name(str(path)), OWN_REPORT))
            return
        found.append((path, doc_id, root_name))

    roots_seen: set = set()
    for arg in paths:
        if not str(os.fspath(arg)).strip():
            missing.append(("(empty path)", "empty path: give a file or folder name (an empty PATH is not the current folder)"))
            continue
        root = Path(arg)
        try:
            root.lstat()
        except FileNotFoundError:
            pass  # reported below as missing (or given twice)
        except OSError as exc:  # a name too long, a loop of links, no permission to look
            missing.append((safe_name(str(root)), f"cannot read: {exc.strerror or exc}"))
            continue
        if root.is_dir():
            rkey = _identity(root)
            if rkey is not None and rkey in roots_seen:
                skipped.append(Skipped(safe_name(str(root)), GIVEN_TWICE))
                continue
            roots_seen.add(rkey)
            root_name = safe_name(root.resolve().name or str(root))
            errors: list[OSError] = []
            inside = root.resolve()
            for dirpath, dirnames, filenames in _walk(root, errors.append):
                kept = []
                for d in sorted(dirnames):
                    if d.startswith("."):
                        skipped.append(Skipped(safe_name(os.path.join(dirpath, d)), HIDDEN))
                        continue
                    if os.path.islink(os.path.join(dirpath, d)):
                        skipped.append(Skipped(safe_name(os.path.join(dirpath, d)), FOLDER_LINK))
                        continue
                    kept.append(d)
                dirnames[:] = kept
                table = "_SUCCESS" in filenames
                for name in sorted(filenames):
                    full = Path(dirpath) / name
                    rel = safe_name(full.relative_to(root).as_posix())
                    if name.startswith("."):
                        skipped.append(Skipped(safe_name(str(full)), HIDDEN))
                        continue
                    if table and (name == "_SUCCESS" or name.startswith("part-")):
                        skipped.append(Skipped(safe_name(str(full)), TABLE_PARTS))
                        continue
                    reason = _passed_over(name, full) or _link_out_of(full, inside)
                    if reason:
                        skipped.append(Skipped(safe_name(str(full)), reason))
                        continue
                    add(full, rel, root_name)
            for err in errors:  # a sub-folder that cannot be listed: reported, never dropped silently
                missing.append((safe_name(str(err.filename)), f"cannot list folder: {err.strerror or err}"))
        elif root.is_file() or root.is_symlink() or root.exists():
            reason = _passed_over(root.name, root)
            if reason:
                skipped.append(Skipped(safe_name(str(root)), reason))
                continue
            add(root, safe_name(root.name), safe_name(root.parent.resolve().name or root.name))
        elif (safe_name(str(root)), "no such file or folder") in missing:
            skipped.append(Skipped(safe_name(str(root)), MISSING_TWICE))
        else:
            missing.append((safe_name(str(root)), "no such file or folder"))
    # ids are NFC: two names that differ only in their Unicode form (café as é or as e + ◌́,
    # macOS writes the second) look identical in every report, so they clash like equal ones
    found = [(path, unicodedata.normalize("NFC", doc_id), unicodedata.normalize("NFC", root_name))
             for path, doc_id, root_name in found]
    # ids two files share (report.md in the folders 2024 and 2025) name each one's folder:
    # 2024/report.md and 2025/report.md; what still clashes is numbered (…~2)
    clashing = {doc_id for doc_id, n in Counter(d for _, d, _ in found).items() if n > 1}
    seen: set[str] = set()
    for path, doc_id, root_name in found:
        if doc_id in clashing:
            doc_id = f"{root_name}/{doc_id}"
        base, n = doc_id, 2
        while doc_id in seen:
            doc_id = f"{base}~{n}"
            n += 1
        seen.add(doc_id)
        files.append(InputFile(path, doc_id))
    return files, skipped, missing
