"""The reference library (DUP003) as Parquet, for the Spark engine.

``summary-analysis index add`` stores references in SQLite
(:class:`summary_analysis.similarity.index.ReferenceIndex`); a library of millions of template
pages is better kept as one Parquet table the cluster reads in parallel. One row per reference:

========== ============== ==========================================================
column     type           meaning
========== ============== ==========================================================
ref_id     string         the reference's id (``related_doc_id`` of DUP003)
path       string         file it was read from
title      string         title line
digest     string         SHA-256 of the text (:func:`.similarity.index.digest`)
chars      int            length of the text, characters
text       string         the text
band_keys  array<long>    LSH band keys (band = array position), as stored by ``add``
fps        array<long>    winnowed fingerprints, as stored by ``add``
========== ============== ==========================================================

Hashes are the index's own uint64 values stored as signed 64-bit integers (same bits). The
table is written by :func:`export_index` from a SQLite index (values copied, not recomputed)
and read back into SQLite with :func:`import_index` (through :meth:`ReferenceIndex.add`).
"""

from __future__ import annotations

import json
from pathlib import Path

REFERENCE_COLUMNS = ["ref_id", "path", "title", "digest", "chars", "text", "band_keys", "fps"]
#: Parquet file name inside the library folder, and the scheme note beside it.
TABLE_FILE = "references.parquet"
SCHEME_FILE = "scheme.json"


def _scheme() -> str:
    from ..similarity.index import index_scheme

    return index_scheme()


def export_index(index, out: str | Path) -> int:
    """Write a SQLite reference index as a Parquet library folder (no Spark needed).

    Parameters
    ----------
    index : ReferenceIndex or str or Path
        An open index or its file.
    out : str or Path
        Folder to create (``references.parquet`` and ``scheme.json`` inside).

    Returns
    -------
    int
        References written.

    Raises
    ------
    FileNotFoundError, ValueError
        As :class:`~summary_analysis.similarity.index.ReferenceIndex` for a missing or foreign file.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..similarity.index import ReferenceIndex

    own = not isinstance(index, ReferenceIndex)
    idx = ReferenceIndex(index, create=False) if own else index
    try:
        db = idx.db
        bands: dict[str, dict[int, int]] = {}
        for band, key, ref in db.execute("SELECT band, key, ref_id FROM bands"):
            bands.setdefault(ref, {})[band] = key
        fps: dict[str, list[int]] = {}
        for fp, ref in db.execute("SELECT fp, ref_id FROM fps"):
            fps.setdefault(ref, []).append(fp)
        rows = {c: [] for c in REFERENCE_COLUMNS}
        for ref_id, path, title, dg, chars, text in db.execute(
                "SELECT ref_id, path, title, digest, chars, text FROM docs ORDER BY ref_id"):
            b = bands.get(ref_id, {})
            for c, v in zip(REFERENCE_COLUMNS, (ref_id, path, title, dg, chars, text,
                                                [b[k] for k in sorted(b)], sorted(fps.get(ref_id, [])))):
                rows[c].append(v)
    finally:
        if own:
            idx.close()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([("ref_id", pa.string()), ("path", pa.string()), ("title", pa.string()),
                        ("digest", pa.string()), ("chars", pa.int32()), ("text", pa.string()),
                        ("band_keys", pa.list_(pa.int64())), ("fps", pa.list_(pa.int64()))])
    pq.write_table(pa.table(rows, schema=schema), out / TABLE_FILE)
    (out / SCHEME_FILE).write_text(json.dumps({"scheme": _scheme()}) + "\n", encoding="utf-8")
    return len(rows["ref_id"])


def check_scheme(folder: str | Path) -> None:
    """Refuse a library written with another MinHash scheme, shingle size or format discount
    (ValueError; :func:`~summary_analysis.similarity.index.index_scheme`)."""
    f = Path(folder) / SCHEME_FILE
    if f.exists():
        got = json.loads(f.read_text(encoding="utf-8")).get("scheme")
        if got != _scheme():
            raise ValueError(f"reference library {folder} was built with scheme {got}, this version uses "
                             f"{_scheme()}: export it again from a rebuilt index")


def import_index(folder: str | Path, index) -> dict[str, int]:
    """Add the references of a Parquet library folder to a SQLite index
    (:meth:`ReferenceIndex.add`: idempotent). Returns its ``{"added", "replaced", "unchanged",
    "same_text"}``."""
    import pyarrow.parquet as pq

    from ..document import Document
    from ..similarity.index import ReferenceIndex

    check_scheme(folder)
    t = pq.read_table(Path(folder) / TABLE_FILE, columns=["ref_id", "path", "title", "text"]).to_pylist()
    docs = [Document(r["ref_id"], r["title"] or "", r["text"], r["path"] or r["ref_id"]) for r in t]
    own = not isinstance(index, ReferenceIndex)
    idx = ReferenceIndex(index, create=True) if own else index
    try:
        return idx.add(docs)
    finally:
        if own:
            idx.close()


def library_missing(index) -> bool:
    """True when ``index`` (a path: str or os.PathLike) names a local file or folder that does
    not exist; False for one that exists and for a URL (``hdfs://``, ``s3a://`` …: Spark's to
    find). Lets the command line refuse a missing ``--index`` before Spark starts."""
    return "://" not in str(index) and not Path(index).exists()


def load_references(spark, index):
    """The library as a Spark DataFrame: ``index`` a Parquet folder (:func:`export_index`), a
    SQLite index file (exported to a temporary folder first), or a DataFrame already.

    Raises
    ------
    FileNotFoundError
        For a local path that does not exist (:func:`library_missing`).
    ValueError
        For a table without the columns :data:`REFERENCE_COLUMNS` (not a library), or one
        written with another MinHash scheme (:func:`check_scheme`).
    """
    from pyspark.sql import DataFrame

    if isinstance(index, DataFrame):
        return _library_columns(index, "the reference DataFrame")
    p = Path(index)
    if library_missing(index):
        raise FileNotFoundError(f"reference library {index} does not exist (export one with "
                                "summary_analysis.spark.reference.export_index, or give a SQLite index file)")
    if p.is_file():  # a SQLite index: export it next to nothing the user owns
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix="sa-refs-"))
        export_index(p, tmp)
        p = tmp
    check_scheme(p)
    target = p / TABLE_FILE if (p / TABLE_FILE).exists() else p
    return _library_columns(spark.read.parquet(str(target)), str(index))


def _library_columns(df, what: str):
    """``df`` when it has the library's :data:`REFERENCE_COLUMNS`; a ValueError naming what is
    missing otherwise (session-22 API test: a foreign Parquet folder failed in a join with
    Spark's UNRESOLVED_COLUMN)."""
    missing = [c for c in REFERENCE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{what} is not a reference library: it lacks the columns {', '.join(missing)} "
                         "(export one with summary_analysis.spark.reference.export_index)")
    return df


def candidate_references(spark, docs, index, skip_bc):
    """Join the batch with the library: each document with the references that share a band
    key in the same band or at least :data:`~summary_analysis.similarity.index.MIN_SHARED_FINGERPRINTS`
    fingerprints (the criteria of :meth:`ReferenceIndex.lookup`), and, when the batch discount
    removed anything, a band key of its format-discounted set (:meth:`ReferenceIndex.check`).

    Returns
    -------
    DataFrame
        The document's columns (``doc_id``, ``doc_title``, ``text``, ``path``, ``encoding``,
        ``meta_json``, ``info_json``) and ``refs``: array of struct(ref_id, title, text, path).
    """
    from pyspark.sql import functions as F

    from ..similarity.index import MIN_SHARED_FINGERPRINTS
    from .engine import _SKETCH_DDL, _sketch_partition

    from ..similarity.lsh import BANDS
    from ..similarity.shingle import template_shingles

    refs = load_references(spark, index)
    # with a batch discount, also the band keys of the sets with only the statutory format
    # discounted: the keys the library stores (ReferenceIndex.check looks them up too)
    identical = skip_bc.value.shape[0] > template_shingles().shape[0]
    sk = docs.select("doc_id", "text").mapInPandas(lambda it: _sketch_partition(it, skip_bc, identical),
                                                   _SKETCH_DDL)
    # one pass over the sketch: both key arrays end to end (each BANDS long), band = position mod BANDS
    db = (sk.select("doc_id", F.posexplode(F.concat("band_keys", "identical_keys")).alias("pos", "key"))
          .select("doc_id", (F.col("pos") % BANDS).alias("band"), "key"))
    rb = refs.select("ref_id", F.posexplode("band_keys").alias("band", "key"))
    by_band = db.join(rb, ["band", "key"]).select("doc_id", "ref_id")
    df = sk.select("doc_id", F.explode("fingerprints").alias("fp"))
    rf = refs.select("ref_id", F.explode("fps").alias("fp"))
    by_fp = (df.join(rf, "fp").groupBy("doc_id", "ref_id").count()
             .where(F.col("count") >= MIN_SHARED_FINGERPRINTS).select("doc_id", "ref_id"))
    pairs = by_band.unionByName(by_fp).distinct()
    withref = (pairs.join(refs.select("ref_id", "title", "text", "path"), "ref_id")
               .groupBy("doc_id")
               .agg(F.sort_array(F.collect_list(F.struct("ref_id", "title", "text", "path"))).alias("refs")))
    cols = ["doc_id", "doc_title", "text", "path", "encoding", "meta_json", "info_json"]
    return docs.select(*cols).join(withref, "doc_id")
