"""The reference library (DUP003): an embedded SQLite store of reference documents.

``summary-analysis index add DIR`` stores, for each reference document (last year's batch,
template pages, 范文 sites), its text, its MinHash signature, the LSH band keys and its winnowed
fingerprints; ``check --index FILE`` looks each document of the batch up by band key and
fingerprint, then verifies candidates exactly against the stored text (same
:func:`~summary_analysis.similarity.verify.verify` as within a batch).

The storage sits behind the narrow interface of :class:`ReferenceIndex` (``add``, ``list``,
``remove``, ``lookup``, ``text``), so a server backend can replace SQLite, as
``datasketch``'s storage layer does. The default file lives in the user cache directory
(:func:`platformdirs.user_cache_dir`); a ``check`` without ``--index`` never opens it.

Signatures record the MinHash scheme (:data:`~summary_analysis.similarity.minhash.SCHEME`), the
shingle size and the version of the statutory-format discount
(:data:`~summary_analysis.similarity.shingle.FORMAT_DISCOUNT`: signatures are of discounted
sets); an index built with another scheme is refused rather than silently compared.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from pathlib import Path

import numpy as np

from ..document import Document
from ..findings import Finding
from . import evidence as ev
from .lsh import band_keys, winnow
from .minhash import SCHEME, signature
from .shingle import (FORMAT_DISCOUNT, SHINGLE_SIZE, in_sorted, remove_sorted, shingle_hashes, shingle_set,
                      sorted_unique, template_shingles)
from .verify import verify

log = logging.getLogger(__name__)

#: Fingerprints a document must share with a reference document to be verified against it.
MIN_SHARED_FINGERPRINTS = 4

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (ref_id TEXT PRIMARY KEY, path TEXT, title TEXT, digest TEXT NOT NULL,
    chars INTEGER NOT NULL, text TEXT NOT NULL, signature BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS docs_digest ON docs (digest);
CREATE TABLE IF NOT EXISTS bands (band INTEGER NOT NULL, key INTEGER NOT NULL, ref_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS bands_key ON bands (key);
CREATE INDEX IF NOT EXISTS bands_ref ON bands (ref_id);
CREATE TABLE IF NOT EXISTS fps (fp INTEGER NOT NULL, ref_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS fps_fp ON fps (fp);
CREATE INDEX IF NOT EXISTS fps_ref ON fps (ref_id);
"""


#: The tables every reference index holds (:data:`_SCHEMA`).
_TABLES = {"meta", "docs", "bands", "fps"}


def default_path() -> Path:
    """``<user cache dir>/summary-analysis/reference-index.sqlite`` (platformdirs)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summary-analysis")) / "reference-index.sqlite"


def _signed(a: np.ndarray) -> list[int]:
    return np.asarray(a, dtype=np.uint64).view(np.int64).tolist()


def index_scheme() -> str:
    """What stored signatures and band keys depend on, as recorded in an index (and a Parquet
    library exported from one): MinHash scheme, shingle size (characters) and format-discount
    version, e.g. ``oph-dens-splitmix64-k128-s1-v1/n4/f2``."""
    return f"{SCHEME}/n{SHINGLE_SIZE}/{FORMAT_DISCOUNT}"


class IndexFileError(ValueError):
    """A reference index file that cannot be used: not an index, another scheme, a folder, or
    not writable; the message names the file and the reason."""


def _names_the_file(method):
    """Method decorator: an ``sqlite3.DatabaseError`` raised inside (a file damaged in the
    middle: "database disk image is malformed") becomes an :class:`IndexFileError` naming the
    index file (it reached the user as a bare "fatal error: DatabaseError"; session-16
    hostile-input test)."""
    import functools

    @functools.wraps(method)
    def named(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise IndexFileError(f"{self.path}: damaged reference index ({exc}); build it again with "
                                 "summary-analysis index add") from None

    return named


def digest(text: str) -> str:
    """SHA-256 hex digest of a text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReferenceIndex:
    """A reference library stored in one SQLite file.

    Parameters
    ----------
    path : str or Path, optional
        The database file; :func:`default_path` when None.
    create : bool
        Create the file (and its folder) when missing. With ``create=False`` a missing file is
        an error: ``check --index FILE`` must not invent an empty library.

    Raises
    ------
    FileNotFoundError
        ``create=False`` and the file does not exist.
    IndexFileError
        (a ValueError) The file is not a reference index, was built with another MinHash
        scheme, or cannot be opened or created (a folder, a read-only file to create, a file
        where a folder of the path should be).
    """

    def __init__(self, path: str | Path | None = None, create: bool = True) -> None:
        self.path = Path(path) if path else default_path()
        if not self.path.exists():
            if not create:
                raise FileNotFoundError(f"reference index {self.path} does not exist "
                                        f"(build it with `summary-analysis index add DIR --index {self.path}`)")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except (FileExistsError, NotADirectoryError):  # a file where a folder of the path should be
                blocker = next(p for p in [self.path.parent, *self.path.parent.parents] if p.exists())
                raise IndexFileError(f"{self.path}: cannot create the reference index: {blocker} is a file, "
                                     f"not a folder") from None
            except OSError as exc:  # no permission, read-only file system, name too long
                raise IndexFileError(f"{self.path}: cannot create the reference index's folder: "
                                     f"{exc.strerror or exc}") from None
        try:
            self.db = sqlite3.connect(str(self.path))
        except sqlite3.Error as exc:  # a folder, a path that cannot be opened
            raise IndexFileError(f"{self.path}: cannot open as a reference index: {exc}") from None
        try:
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if tables and "meta" not in tables or not tables and not create:
                # another program's database, or an empty file given to `check`: never write to it
                raise IndexFileError(f"{self.path} is not a reference index (build one with "
                                 f"`summary-analysis index add DIR --index NEW_FILE`)")
            missing = sorted(_TABLES - tables) if tables else []
            if missing:  # an index some other program changed: never repair it silently
                raise IndexFileError(f"{self.path} is a damaged reference index (table(s) {', '.join(missing)} "
                                     f"missing): rebuild it with `summary-analysis index add DIR --index NEW_FILE`")
            if create:
                self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='scheme'").fetchone()
        except sqlite3.OperationalError as exc:  # read-only, locked, a full disk
            self.db.close()
            raise IndexFileError(f"{self.path}: cannot use as a reference index: {exc}") from None
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise IndexFileError(f"{self.path} is not a reference index: {exc}") from None
        except ValueError:
            self.db.close()
            raise
        scheme = index_scheme()
        if row is None and not create:
            self.db.close()
            raise IndexFileError(f"{self.path} is not a reference index (no MinHash scheme recorded)")
        if row is None:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('scheme', ?)", (scheme,))
        elif row[0] != scheme:
            raise IndexFileError(f"reference index {self.path} was built with scheme {row[0]}, this version "
                             f"uses {scheme}: rebuild it with `summary-analysis index add`")
        self._sets: dict[str, np.ndarray] = {}
        self._orphans: set[str] = set()

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- storage interface -----------------------------------------------------------------
    @_names_the_file
    def add(self, documents: list[Document], not_stored: dict[str, str] | None = None) -> dict[str, int]:
        """Store reference documents (idempotent).

        Parameters
        ----------
        documents : list[Document]
            ``doc_id`` becomes the reference id.
        not_stored : dict or None
            If given, filled with ``doc_id -> stored id`` for each document not stored because
            its text is stored under another id (counted as ``same_text``).

        Returns
        -------
        dict
            ``{"added", "replaced", "unchanged", "same_text"}`` counts: a document already
            stored with the same text is left as it is; with another text it is replaced. A
            document whose text is stored under another id (a folder added again under another
            ``--prefix``; two files of one text) is not stored (``same_text``, named in
            ``not_stored``): each copy would give every match a second DUP003.

        Raises
        ------
        IndexFileError
            When the file cannot be written (read-only, locked); nothing of the call is stored.
        """
        return self._writing(self._add, documents, {} if not_stored is None else not_stored)

    def _add(self, documents: list[Document], not_stored: dict[str, str]) -> dict[str, int]:
        counts = {"added": 0, "replaced": 0, "unchanged": 0, "same_text": 0}
        skip = template_shingles()
        with self.db:
            for d in sorted(documents, key=lambda d: d.doc_id):
                dg = digest(d.text)
                row = self.db.execute("SELECT digest FROM docs WHERE ref_id=?", (d.doc_id,)).fetchone()
                if row and row[0] == dg:
                    counts["unchanged"] += 1
                    continue
                stored = self._stored_as(dg, d.doc_id)
                if stored is not None:
                    counts["same_text"] += 1
                    not_stored[d.doc_id] = stored
                    continue
                if row:
                    self._delete(d.doc_id)
                    counts["replaced"] += 1
                else:
                    counts["added"] += 1
                h = shingle_hashes(d.text)
                disc = remove_sorted(sorted_unique(h), skip)
                sig = signature(disc)
                keys = band_keys(sig)
                fps = winnow(h, in_sorted(h, skip))
                self.db.execute("INSERT INTO docs VALUES (?,?,?,?,?,?,?)",
                                (d.doc_id, d.path, d.title, dg, len(d.text), d.text, sig.tobytes()))
                self.db.executemany("INSERT INTO bands VALUES (?,?,?)",
                                    [(b, k, d.doc_id) for b, k in enumerate(_signed(keys))])
                self.db.executemany("INSERT INTO fps VALUES (?,?)", [(f, d.doc_id) for f in _signed(fps)])
        return counts

    def _stored_as(self, text_digest: str, ref_id: str) -> str | None:
        """The first id (sorted) other than ``ref_id`` stored with this text digest, or None."""
        row = self.db.execute("SELECT MIN(ref_id) FROM docs WHERE digest=? AND ref_id<>?",
                              (text_digest, ref_id)).fetchone()
        return row[0] if row else None

    def _delete(self, ref_id: str) -> None:
        for table in ("docs", "bands", "fps"):
            self.db.execute(f"DELETE FROM {table} WHERE ref_id=?", (ref_id,))
        self._sets.pop(ref_id, None)

    @_names_the_file
    def stored(self, ref_ids) -> dict[str, tuple[str, str]]:
        """``ref_id -> (path, digest)`` for those of ``ref_ids`` already stored (``path`` as it
        was given when the document was added, ``digest`` the SHA-256 of its text)."""
        out = {}
        for rid in ref_ids:
            row = self.db.execute("SELECT path, digest FROM docs WHERE ref_id=?", (rid,)).fetchone()
            if row:
                out[rid] = (row[0], row[1])
        return out

    @_names_the_file
    def list(self) -> list[dict]:
        """Stored documents, sorted by id: ``{"ref_id", "title", "chars", "path"}``."""
        rows = self.db.execute("SELECT ref_id, title, chars, path FROM docs ORDER BY ref_id").fetchall()
        return [{"ref_id": r[0], "title": r[1], "chars": r[2], "path": r[3]} for r in rows]

    @_names_the_file
    def remove(self, ref_ids: list[str]) -> int:
        """Remove documents by id, or every id under a prefix ending in ``/`` or ``#``.

        Returns
        -------
        int
            Documents removed.

        Raises
        ------
        IndexFileError
            When the file cannot be written (read-only, locked); nothing is removed.
        """
        return self._writing(self._remove, ref_ids)

    def _writing(self, write, *args):
        """``write(*args)``, a refused write (read-only file or folder, locked, a full disk) raised
        as one :class:`IndexFileError` naming the file."""
        try:
            return write(*args)
        except sqlite3.OperationalError as exc:
            raise IndexFileError(f"{self.path}: cannot write the reference index: {exc}") from None

    def _remove(self, ref_ids: list[str]) -> int:
        n = 0
        with self.db:
            for rid in ref_ids:
                if rid.endswith(("/", "#")):
                    ids = [r[0] for r in self.db.execute("SELECT ref_id FROM docs WHERE substr(ref_id, 1, ?) = ?",
                                                         (len(rid), rid))]
                else:
                    ids = [r[0] for r in self.db.execute("SELECT ref_id FROM docs WHERE ref_id=?", (rid,))]
                for i in ids:
                    self._delete(i)
                    n += 1
        return n

    @_names_the_file
    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    @_names_the_file
    def text(self, ref_id: str) -> tuple[str, str, str]:
        """``(text, title, digest)`` of a stored document. Raises KeyError."""
        row = self.db.execute("SELECT text, title, digest FROM docs WHERE ref_id=?", (ref_id,)).fetchone()
        if row is None:
            raise KeyError(ref_id)
        return row[0], row[1] or "", row[2]

    def _is_itself(self, ref_id: str, document) -> bool:
        """Whether the stored ``ref_id`` (with the same text) is ``document`` itself: read from
        the same file when both paths are known and the stored one is absolute (``index add``
        stores it so), else when it has the same id or a stored relative path resolves to the
        document's file. The same id alone is not enough for files: ``report.md`` of this
        year's folder, a verbatim copy of last year's ``report.md``, got no DUP003 (session-16
        hostile-input test)."""
        row = self.db.execute("SELECT path FROM docs WHERE ref_id=?", (ref_id,)).fetchone()
        stored = row[0] if row is not None else None
        same_file = bool(document.path and stored
                         and os.path.realpath(stored) == os.path.realpath(str(document.path)))
        if document.path and stored and os.path.isabs(stored):
            return same_file
        return ref_id == document.doc_id or same_file

    @_names_the_file
    def lookup(self, keys: np.ndarray, fingerprints: np.ndarray,
               min_shared: int = MIN_SHARED_FINGERPRINTS) -> list[str]:
        """Reference ids sharing a band key (same band) or ``min_shared`` fingerprints.

        Parameters
        ----------
        keys : numpy.ndarray of uint64, shape (BANDS,)
        fingerprints : numpy.ndarray of uint64, shape (F,)

        Returns
        -------
        list[str], sorted
        """
        found: set[str] = set()
        sk = _signed(keys)
        marks = ",".join("?" * len(sk))
        rows = self.db.execute(f"SELECT band, key, ref_id FROM bands WHERE key IN ({marks})", sk).fetchall()
        for band, key, ref in rows:
            if 0 <= band < len(sk) and sk[band] == key:
                found.add(ref)
        fl = _signed(fingerprints)
        for start in range(0, len(fl), 900):
            chunk = fl[start:start + 900]
            q = ",".join("?" * len(chunk))
            for ref, cnt in self.db.execute(f"SELECT ref_id, COUNT(*) FROM fps WHERE fp IN ({q}) GROUP BY ref_id",
                                            chunk):
                if cnt >= min_shared:
                    found.add(ref)
        return sorted(found)

    # -- checking --------------------------------------------------------------------------
    @_names_the_file
    def check(self, docs: list[Document], profiles: list, skip: np.ndarray, info) -> list[Finding]:
        """DUP003 findings for documents of a batch against the stored references.

        Parameters
        ----------
        docs : list[Document]
        profiles : list of :class:`~summary_analysis.similarity.Profile` (sketched), aligned with
            ``docs``.
        skip : numpy.ndarray of uint64, sorted
            Discounted shingles of the batch (template + batch-frequent).
        info : callable
            ``info(i) -> DocInfo`` for document ``i``.

        Returns
        -------
        list[Finding]
            One DUP003 per (document, reference) pair that is a near-duplicate or shares a
            passage; ``related_doc_id`` the reference id. A reference with the document's own
            id and text (the same document indexed earlier) is not a copy of itself.
        """
        from . import identical_exact, pair_finding

        tmpl = template_shingles()
        # The batch discount (shingles in many of the batch's documents) hides a reference that
        # many of them copied whole: twelve townships filing last year's county report gave no
        # DUP003 at all (session-17 fresh-user test). As within the batch (identical_pairs),
        # the document's set with only the statutory format discounted is then looked up too
        # (the index stores band keys of exactly such sets), and a near-identical or contained
        # copy (identical_rule) is verified on those sets.
        batch_discount = skip.shape[0] > tmpl.shape[0]
        out = []
        for i, d in enumerate(docs):
            p = profiles[i]
            own = digest(d.text)
            refs = self.lookup(band_keys(p.signature), p.fingerprints)
            fmt = None
            if batch_discount:
                fmt = remove_sorted(p.shingles, tmpl)
                refs = sorted(set(refs) | set(self.lookup(band_keys(signature(fmt)), np.zeros(0, np.uint64))))
            for ref in refs:
                try:
                    rtext, rtitle, rdigest = self.text(ref)
                except KeyError:  # band/fingerprint rows left without their document
                    if ref not in self._orphans:
                        self._orphans.add(ref)
                        log.warning("reference index %s: %r has sketch rows but no document row; "
                                    "skipped (remove and add it again)", self.path, ref)
                    continue
                if rdigest == own and self._is_itself(ref, d):
                    continue  # the document itself, stored (under a --prefix too): no copy of anything
                if ref not in self._sets:
                    self._sets[ref] = shingle_set(rtext)
                rset = remove_sorted(self._sets[ref], skip)
                v = verify(d.text, rtext, p.discounted, rset, tmpl, None)
                if v.verdict != "near-duplicate" and fmt is not None:
                    rfmt = remove_sorted(self._sets[ref], tmpl)
                    if identical_exact(fmt, rfmt) is not None:
                        v = verify(d.text, rtext, fmt, rfmt, tmpl, None)
                if v.verdict == "distinct":
                    continue
                rinfo = ev.doc_info(rtext, rtitle, meta=ev.read_meta(ref, rtext, rtitle))
                out.append(pair_finding("DUP003", d.doc_id, d.text, info(i), ref, rtext, rinfo, v, b_fixed=True))
        return out
