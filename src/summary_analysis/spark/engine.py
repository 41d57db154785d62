"""The Spark engine: the local pipeline's functions run as Spark jobs.

Plan of :func:`analyze` (every step calls the function the local engine calls; nothing is
re-implemented):

1. **Per document** (``mapInPandas`` over partitions of ``(doc_id, path[, content])``):
   :func:`summary_analysis.ingest.read_one` (or the same reader on the file's bytes), then
   :func:`summary_analysis.pipeline.analyze_document` (segment, structure, figures,
   placeholders, reference-free rewrite check, checklist). The table rows come from
   :class:`summary_analysis.batch.Batch`'s own row builders; issuer/year for the copy check
   from :func:`summary_analysis.similarity.evidence.doc_info`. The result is persisted.
2. **Batch statistics** as a Spark aggregation: shingle document frequency
   (:func:`.similarity.shingle.hash_codes` per document, counted with ``groupBy``), giving the
   batch-frequent shingles discounted as template text
   (:func:`.similarity.frequent_threshold`) and the stock shingles (in
   :data:`.similarity.verify.STOCK_DOCS` or more documents).
3. **Sketches** per document: :func:`.similarity.profile` (MinHash signature, winnowed
   fingerprints) and :func:`.similarity.lsh.band_keys`.
   When the batch-frequency discount removed anything, also the identical-pair pass's sketch
   (:func:`.similarity.format_discounted`, :func:`.similarity.identical_sketch`).
4. **Candidates** as Spark joins: documents agreeing on ``(band, key)`` (buckets of at most
   ``max_bucket`` documents, as :func:`.similarity.lsh.lsh_pairs`) or sharing at least
   ``min_shared`` fingerprints held by at most ``max_df`` documents (as
   :func:`.similarity.lsh.fingerprint_pairs`); and, as :func:`.similarity.identical_pairs`, a
   second band-key grouping on the format-discounted signatures (flagged ``maybe_identical``),
   keeping per bucket only the pairs whose MinHash estimate passes
   :func:`.similarity.identical_jaccard`'s first test (:func:`_bucket_pairs_partition`); a
   bucket over ``max_bucket`` documents pairs each with its first, as locally. A group of more
   than :data:`.similarity.MAX_DUPLICATE_GROUP` documents with one shingle set takes part
   through its first ``doc_id`` only, each other copy paired with it (:func:`_duplicate_members`).
   A document with more than :data:`.similarity.lsh.MAX_PARTNERS` candidate partners keeps its
   nearest by MinHash estimate (:func:`_nearest_partners`, a window ranking), as locally.
5. **Per pair** (``mapInPandas`` over candidate pairs joined with both texts):
   :func:`.similarity.identical_jaccard` on the ``maybe_identical`` ones,
   :func:`.similarity.score_pair` (verification, re-verification of confirmed identical pairs
   on their format-discounted sets, PairScore, DUP001/DUP002) and
   :func:`summary_analysis.rewrite.detect_paired_rewrites` (REW001) on the verified candidates.
6. **Clusters** (:func:`.similarity.name_clusters`, split as
   :func:`.similarity.cluster_sizes` + :func:`.similarity.with_cluster_size`): the DUP001 edges
   ``(doc_id, related_doc_id)`` are collected to the driver for the connected components. They
   are few (one per near-duplicate pair, two short strings each), so this is acceptable; the
   sizes are broadcast and each DUP001 gets ``evidence.cluster_size`` in a ``mapInPandas``.
7. **Reference library** (optional, DUP003): the library as Parquet
   (:mod:`.reference`), joined on band keys and fingerprints, checked with
   :meth:`.similarity.index.ReferenceIndex.check`.

Findings, pairs and rows are identical to :func:`summary_analysis.pipeline.analyze` on the same
inputs (tested in ``tests/test_spark.py``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from .session import quiet_warnings

# -- schemas ------------------------------------------------------------------------------------

_DOC_DDL = ("ord long, sub int, is_doc boolean, doc_id string, path string, doc_title string, "
            "text string, encoding string, meta_json string, title string, chars int, kind string, "
            "issuer string, year int, completeness double, document_json string, "
            "findings array<string>, figures array<string>, checklist array<string>, "
            "token_ends binary, info_json string")
_SKETCH_DDL = ("doc_id string, band_keys array<long>, fingerprints array<long>, identical_keys array<long>, "
               "identical_sig array<long>, identical_size int, set_key string, signature array<long>")
_PAIR_DDL = ("doc_a string, doc_b string, jaccard double, containment_ab double, containment_ba double, "
             "shared_chars long, verdict string, findings array<string>")
_SIDES = ("_a", "_b")
_FINDING_DDL = ("rule string, severity string, doc_id string, related_doc_id string, span array<int>, "
                "message string, evidence string")
_FIGURE_DDL = ("doc_id string, metric string, value double, low double, high double, unit string, "
               "kind string, approx boolean, raw string, span array<int>, section_path string")
_CHECKLIST_DDL = ("doc_id string, checklist string, item string, status string, span array<int>, "
                  "weight double, title string, number string, required boolean, matched_by string, "
                  "evidence string, evidence_span array<int>")
_INPUT_COLUMNS = ("doc_id", "path", "content", "title", "text", "encoding", "meta_json")
_DOC_FIELDS = [c.split()[0] for c in _DOC_DDL.split(", ")]


def _u64(values) -> np.ndarray:
    """Spark longs (signed) back to the uint64 hashes they hold."""
    return np.asarray(values, dtype=np.int64).view(np.uint64)


def _i64(values: np.ndarray) -> list[int]:
    """uint64 hashes as Python ints for a Spark ``long`` column (same bits, signed)."""
    return np.asarray(values, dtype=np.uint64).view(np.int64).tolist()


def _finding_json(f) -> str:
    """A Finding as one JSON line; ``evidence`` nested as a JSON string (Spark keeps it as is)."""
    d = f.to_dict()
    d["evidence"] = json.dumps(d["evidence"], ensure_ascii=False)
    return json.dumps(d, ensure_ascii=False)


def finding_from_json(line: str):
    """Rebuild a :class:`~summary_analysis.findings.Finding` from a findings-table JSON line."""
    from ..document import Span
    from ..findings import Finding

    d = json.loads(line)
    ev = d.get("evidence")
    if isinstance(ev, str):
        ev = json.loads(ev)
    span = Span(*d["span"]) if d.get("span") else None
    return Finding(d["rule"], d["doc_id"], d["message"], span=span, related_doc_id=d.get("related_doc_id"),
                   evidence=ev or {}, severity=d.get("severity"))


# -- step 1: per document -----------------------------------------------------------------------

def _read_bytes(doc_id: str, path: str, content: bytes, max_file_mb: float, max_chars: int):
    """:func:`~summary_analysis.ingest.read_one` on bytes already loaded (Spark ``binaryFile``).

    Adapter: the bytes go to a temporary file with the original suffix so that ``read_one``'s
    own checks and readers run unchanged; the reported path is then set back to ``path``.
    """
    from ..ingest import read_one
    from ..ingest.walk import InputFile, safe_name

    shown = safe_name(path)
    suffix = Path(path).suffix
    fd, tmp = tempfile.mkstemp(suffix=suffix if len(suffix) < 16 else "", prefix="sa-spark-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        docs, findings = read_one(InputFile(Path(tmp), doc_id), max_file_mb, None, max_chars)
    finally:
        os.unlink(tmp)
    docs = [dataclasses.replace(d, path=shown) for d in docs]
    findings = [dataclasses.replace(f, evidence={**f.evidence, "path": shown}) if "path" in f.evidence else f
                for f in findings]
    return docs, findings


def _analyse_partition(batches: Iterator, checklist: str, segmenter: str | None, max_file_mb: float,
                       max_chars: int) -> Iterator:
    """mapInPandas body of step 1: read and analyse each file of the partition."""
    quiet_warnings()
    import pandas as pd

    from ..batch import Batch
    from ..document import Document
    from ..ingest import read_one
    from ..ingest.walk import InputFile
    from ..pipeline import analyze_document, refusal
    from ..similarity import evidence as ev

    for pdf in batches:
        rows = []
        cols = set(pdf.columns)
        for r in pdf.to_dict("records"):
            if "text" in cols:
                meta = json.loads(r["meta_json"]) if r.get("meta_json") else {}
                text = r["text"] if isinstance(r["text"], str) else ""  # a null arrives as None or NaN
                doc = Document(r["doc_id"], r.get("title") or "", text, r.get("path") or r["doc_id"],
                               r.get("encoding"), meta=meta)
                refused = refusal(doc, max_chars)  # no text, or too long: as the local engine
                docs, findings = ([], [refused]) if refused else ([doc], [])
            elif "content" in cols and r.get("content") is not None:
                docs, findings = _read_bytes(r["doc_id"], r["path"], bytes(r["content"]), max_file_mb, max_chars)
            else:
                docs, findings = read_one(InputFile(Path(r["path"]), r["doc_id"]), max_file_mb, None, max_chars)
            if findings:
                row = dict.fromkeys(_DOC_FIELDS)
                row.update({"ord": r["ord"], "sub": -1, "is_doc": False, "doc_id": findings[0].doc_id,
                            "findings": [_finding_json(f) for f in findings], "figures": [], "checklist": []})
                rows.append(row)
            for k, d in enumerate(docs):
                a = analyze_document(d, checklist, segmenter=segmenter)
                b = Batch([a], [], [], None)
                doc_row = b.document_rows()[0]
                info = ev.doc_info(d.text, d.title, a.meta, machine_rewritten=ev.is_machine_rewritten(a.findings))
                rows.append({
                    "ord": r["ord"], "sub": k, "is_doc": True, "doc_id": d.doc_id, "path": d.path,
                    "doc_title": d.title, "text": d.text, "encoding": d.encoding,
                    "meta_json": json.dumps(d.meta, ensure_ascii=False, sort_keys=True),
                    "title": doc_row["title"], "chars": doc_row["chars"], "kind": doc_row["kind"],
                    "issuer": doc_row["issuer"], "year": doc_row["year"], "completeness": doc_row["completeness"],
                    "document_json": json.dumps(doc_row, ensure_ascii=False),
                    "findings": [_finding_json(f) for f in a.findings],
                    "figures": [json.dumps(x, ensure_ascii=False) for x in b.figure_rows()],
                    "checklist": [json.dumps(x, ensure_ascii=False) for x in b.checklist_rows()],
                    "token_ends": np.asarray(a.tokens.ends, dtype=np.int32).tobytes(),
                    "info_json": json.dumps(dataclasses.asdict(info), ensure_ascii=False),
                })
        if rows:
            out = pd.DataFrame(rows, columns=_DOC_FIELDS)
            for c in ("year", "chars"):
                out[c] = out[c].astype("Int32")
            out["completeness"] = out["completeness"].astype("float64")
            yield out


# -- step 2: batch statistics -------------------------------------------------------------------

def _shingle_counts(batches: Iterator) -> Iterator:
    """mapInPandas body: per partition, each distinct shingle and the documents holding it
    (each document's set is sorted unique, as :func:`.similarity.document_frequency` counts)."""
    quiet_warnings()
    import pandas as pd

    from ..similarity.shingle import compact, hash_codes, sorted_unique

    for pdf in batches:
        sets = [sorted_unique(hash_codes(compact(t).codes)) for t in pdf["text"]]
        if not sets:
            continue
        allh = np.concatenate(sets)
        if allh.shape[0] == 0:
            continue
        vals, counts = np.unique(allh, return_counts=True)
        yield pd.DataFrame({"shingle": vals.view(np.int64), "n": counts.astype(np.int64)})


# -- step 3: sketches ---------------------------------------------------------------------------

def _profile(text: str, skip: np.ndarray):
    """The local engine's sketch of one document (:func:`.similarity.profile`)."""
    from ..similarity import profile

    return profile(text, skip)


def _sketch_partition(batches: Iterator, skip_bc, identical: bool = False) -> Iterator:
    """mapInPandas body of step 3: MinHash signature, band keys and fingerprints per document, plus the band keys
    and MinHash signature of the identical-pair pass and the size of its set when ``identical``
    (else empty lists and 0), and the key of its shingle set (:func:`.similarity.set_key`, for
    the duplicate groups)."""
    quiet_warnings()
    import pandas as pd

    from ..similarity import format_discounted, identical_sketch, set_key
    from ..similarity.lsh import band_keys
    from ..similarity.shingle import template_shingles

    skip = skip_bc.value
    tmpl = template_shingles()
    for pdf in batches:
        keys, fps, ikeys, isigs, isizes, sets, sigs = [], [], [], [], [], [], []
        for t in pdf["text"]:
            p = _profile(t, skip)
            sigs.append(_i64(p.signature))
            keys.append(_i64(band_keys(p.signature)))
            fps.append(_i64(p.fingerprints))
            fmt = format_discounted(p.shingles, tmpl) if identical else None
            sig, ik = identical_sketch(fmt) if identical else ([], [])
            ikeys.append(_i64(ik))
            isigs.append(_i64(sig))
            isizes.append(int(fmt.shape[0]) if identical else 0)
            sets.append(set_key(p.shingles))
        yield pd.DataFrame({"doc_id": pdf["doc_id"], "band_keys": keys, "fingerprints": fps,
                            "identical_keys": ikeys, "identical_sig": isigs, "identical_size": isizes,
                            "set_key": sets, "signature": sigs})


def _bucket_pairs_partition(batches: Iterator, max_bucket: int | None = None) -> Iterator:
    """mapInPandas body of the identical-pair pass's candidates: per LSH bucket (its members'
    ``doc_id``, signature and format-discounted set size), the pairs whose MinHash estimate
    passes :func:`.similarity.identical_estimate_passes`, as ``(doc_a, doc_b)`` with ``doc_a <
    doc_b``. A bucket of more than ``max_bucket`` documents (hundreds of units filing one text)
    pairs each member with its first ``doc_id`` only, as :func:`.similarity.identical_pairs`
    does locally.

    This is :func:`.similarity.identical_jaccard`'s estimate test, applied where the signatures
    already are, so only the pairs that can pass it are joined with their texts (a bucket of
    generated reports from one sentence pool holds up to ``max_bucket`` documents; joining all
    its pairs with both texts spilled tens of GB at 100k reports). Same result as testing them
    one by one in step 5.
    """
    import pandas as pd

    from ..similarity import identical_estimate_passes

    for pdf in batches:
        out_a, out_b = [], []
        for ids, sigs, sizes in zip(pdf["ids"], pdf["sigs"], pdf["sizes"]):
            sig = np.stack([np.asarray(s, dtype=np.int64) for s in sigs])
            size = np.asarray(sizes, dtype=np.int64)
            if max_bucket is not None and len(ids) > max_bucket:
                first = min(range(len(ids)), key=ids.__getitem__)
                j = np.array([k for k in range(len(ids)) if k != first], dtype=np.int64)
                i = np.full(j.shape[0], first, dtype=np.int64)
            else:
                i, j = np.triu_indices(sig.shape[0], 1)
            agree = (sig[i] == sig[j]).sum(axis=1)
            keep = identical_estimate_passes(agree, size[i], size[j], sig.shape[1])
            for x, y in zip(i[keep].tolist(), j[keep].tolist()):
                a, b = ids[x], ids[y]
                out_a.append(min(a, b))
                out_b.append(max(a, b))
        if out_a:
            yield pd.DataFrame({"doc_a": out_a, "doc_b": out_b})


# -- step 5: per pair ---------------------------------------------------------------------------

def _doc_of(r: dict, s: str):
    from ..document import Document

    return Document(r["doc_id" + s], r["doc_title" + s] or "", r["text" + s], r["path" + s],
                    r["encoding" + s], meta=json.loads(r["meta_json" + s] or "{}"))


def _pair_partition(batches: Iterator, skip_bc, stock_bc) -> Iterator:
    """mapInPandas body of step 5: for each candidate pair, the identical-pair confirmation
    (:func:`.similarity.identical_jaccard`) when flagged ``maybe_identical``, then
    :func:`.similarity.score_pair` (DUP001/DUP002) and REW001, as :func:`.similarity.detect_copies`.

    A pair flagged only ``maybe_identical`` (not ``regular``) is dropped unless confirmed, as
    :func:`.similarity.detect_copies` adds only confirmed identical pairs to its candidates.
    """
    quiet_warnings()
    import pandas as pd

    from ..rewrite import detect_paired_rewrites
    from ..segment import Tokens
    from ..similarity import (follow_rewrites, format_discounted, identical_jaccard, identical_sketch,
                              mark_rewrites, score_pair)
    from ..similarity.evidence import DocInfo
    from ..similarity.shingle import template_shingles

    skip, stock = skip_bc.value, stock_bc.value
    tmpl = template_shingles()
    cache: dict[str, dict] = {}

    def sketch(doc) -> dict:
        if doc.doc_id not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[doc.doc_id] = {"profile": _profile(doc.text, skip)}
        return cache[doc.doc_id]

    def disc(doc) -> np.ndarray:
        return sketch(doc)["profile"].discounted

    def fmt(doc) -> tuple[np.ndarray, np.ndarray]:
        c = sketch(doc)
        if "format" not in c:
            f = format_discounted(c["profile"].shingles, tmpl)
            c["format"] = (f, identical_sketch(f)[0])
        return c["format"]

    for pdf in batches:
        rows = []
        for r in pdf.to_dict("records"):
            da, db = _doc_of(r, "_a"), _doc_of(r, "_b")
            if db.doc_id < da.doc_id:  # Python's order, as the local engine sorts doc_ids
                da, db = db, da
                r = {(k[:-2] + _SIDES[k.endswith("_a")] if k[-2:] in _SIDES else k): v for k, v in r.items()}
            ia, ib = DocInfo(**json.loads(r["info_json_a"])), DocInfo(**json.loads(r["info_json_b"]))
            identical = None
            if r["maybe_identical"]:
                (fa, sa), (fb, sb) = fmt(da), fmt(db)
                if identical_jaccard(fa, fb, sa, sb) is not None:
                    identical = (fa, fb)
            if not r["regular"] and identical is None:
                continue
            rebuild: dict = {}
            ps, found = score_pair(da, db, disc(da), disc(db), ia, ib, tmpl, stock, identical, rebuild)
            if ps is None:
                continue
            toks = {da.doc_id: Tokens(text=da.text, ends=np.frombuffer(r["token_ends_a"], dtype=np.int32)),
                    db.doc_id: Tokens(text=db.text, ends=np.frombuffer(r["token_ends_b"], dtype=np.int32))}
            rewrites = detect_paired_rewrites({da.doc_id: da, db.doc_id: db}, toks, [(da.doc_id, db.doc_id)])
            found = follow_rewrites(found, rewrites, rebuild) + rewrites  # as the local engine
            d = mark_rewrites([ps], rewrites)[0].to_dict()
            d["findings"] = [_finding_json(f) for f in found]
            rows.append(d)
        if rows:
            out = pd.DataFrame(rows)
            out["shared_chars"] = out["shared_chars"].astype("int64")
            yield out


# -- step 7: reference library -------------------------------------------------------------------

def _reference_partition(batches: Iterator, skip_bc) -> Iterator:
    """mapInPandas body: DUP003 for each (document, candidate references) row.

    The candidate references found by the Spark join are loaded into an in-memory
    :class:`~summary_analysis.similarity.index.ReferenceIndex` and the document is checked with
    its own :meth:`~summary_analysis.similarity.index.ReferenceIndex.check` (same lookup, same
    verification as the local engine; the join only narrows which references are loaded).
    """
    quiet_warnings()
    import pandas as pd

    from ..document import Document
    from ..similarity.evidence import DocInfo
    from ..similarity.index import ReferenceIndex

    skip = skip_bc.value
    for pdf in batches:
        out = []
        for r in pdf.to_dict("records"):
            d = _doc_of(r, "")
            refs = [Document(x["ref_id"], x["title"] or "", x["text"], x["path"] or x["ref_id"])
                    for x in r["refs"]]
            info = DocInfo(**json.loads(r["info_json"]))
            idx = ReferenceIndex(":memory:", create=True)
            try:
                idx.add(refs)
                found = idx.check([d], [_profile(d.text, skip)], skip, lambda i: info)
            finally:
                idx.close()
            out.extend(_finding_json(f) for f in found)
        if out:
            yield pd.DataFrame({"finding": out})


# -- step 6: clusters ---------------------------------------------------------------------------

def _name_partition(batches: Iterator, sizes_bc) -> Iterator:
    """mapInPandas body of step 6: each DUP001 JSON line with its cluster's size
    (:func:`.similarity.with_cluster_size`)."""
    quiet_warnings()
    import pandas as pd

    from ..similarity import with_cluster_size

    sizes = sizes_bc.value
    for pdf in batches:
        out = []
        for line in pdf["finding"]:
            f = finding_from_json(line)
            out.append(_finding_json(with_cluster_size(f, sizes[f.doc_id])))
        if out:
            yield pd.DataFrame({"finding": out})


# -- driver ------------------------------------------------------------------------------------

@dataclasses.dataclass
class SparkBatch:
    """Result of :func:`analyze`: Spark DataFrames with the output contract's columns.

    Attributes
    ----------
    documents : DataFrame
        doc_id, path, title, chars, encoding, kind, issuer, year, completeness (+ ``text``).
    findings : DataFrame
        rule, severity, doc_id, related_doc_id, span (array<int>), message, evidence (JSON text).
    pairs : DataFrame
        doc_a, doc_b, jaccard, containment_ab, containment_ba, shared_chars, verdict.
    figures : DataFrame
        doc_id, metric, value, low, high, unit, kind, approx, raw, span, section_path.
    checklist : DataFrame
        doc_id, checklist, item, status, span, weight (+ title, number, required, matched_by,
        evidence, evidence_span).
    skipped : list of dict
        ``{"path", "reason"}`` of notes passed over (found on the driver).
    """

    per_document: Any
    pair_rows: Any
    extra_findings: Any
    skipped: list
    driver_findings: list
    #: Intermediate tables the pair step reads (sketches, candidate pairs), persisted until
    #: :meth:`unpersist`.
    intermediate: list = dataclasses.field(default_factory=list, repr=False)
    _dup001: Any = dataclasses.field(default=None, repr=False)

    def _named_dup001(self):
        """The pair findings' DUP001s with ``evidence.cluster_size`` (one JSON column ``finding``).

        Cluster naming is batch-global: the DUP001 edges ``(doc_id, related_doc_id)`` are
        collected to the driver and :func:`.similarity.cluster_sizes` finds the connected
        components there. Edges are few (one per near-duplicate pair, two doc_ids each), so this
        is acceptable even for large batches; the findings themselves stay on the workers and
        get their size with :func:`.similarity.with_cluster_size` in a ``mapInPandas``.
        Computed once per batch.
        """
        if self._dup001 is None:
            from pyspark.sql import functions as F

            from ..similarity import cluster_sizes

            dup = (self.pair_rows.select(F.explode("findings").alias("finding"))
                   .where(F.get_json_object("finding", "$.rule") == "DUP001"))
            edges = dup.select(F.get_json_object("finding", "$.doc_id").alias("a"),
                               F.get_json_object("finding", "$.related_doc_id").alias("b")).collect()
            sizes_bc = self.per_document.sparkSession.sparkContext.broadcast(
                cluster_sizes((r["a"], r["b"]) for r in edges))
            self._dup001 = dup.mapInPandas(lambda it: _name_partition(it, sizes_bc), "finding string")
        return self._dup001

    @property
    def documents(self):
        """DataFrame of the documents: :data:`summary_analysis.batch.DOCUMENT_COLUMNS` plus
        ``text`` (lengths in characters)."""
        from ..batch import DOCUMENT_COLUMNS

        return self.per_document.where("is_doc").select(*DOCUMENT_COLUMNS, "text")

    @property
    def findings_json(self):
        """One column ``finding``: each finding as a JSON line (evidence nested as JSON text)."""
        from pyspark.sql import functions as F

        spark = self.per_document.sparkSession
        pair = self.pair_rows.select(F.explode("findings").alias("finding"))
        parts = [self.per_document.select(F.explode("findings").alias("finding")),
                 pair.where(F.get_json_object("finding", "$.rule") != "DUP001"), self._named_dup001()]
        if self.extra_findings is not None:
            parts.append(self.extra_findings)
        if self.driver_findings:
            parts.append(spark.createDataFrame([(x,) for x in self.driver_findings], "finding string"))
        df = parts[0]
        for p in parts[1:]:
            df = df.unionByName(p)
        return df

    @property
    def findings(self):
        """DataFrame of every finding (rule, severity, doc_id, related_doc_id, span as
        ``[start, end)`` character offsets, message, evidence as JSON text), sorted as the local
        engine sorts them."""
        from pyspark.sql import functions as F

        return (self.findings_json.select(F.from_json("finding", _FINDING_DDL).alias("f")).select("f.*")
                .orderBy("doc_id", F.col("span")[0].asc_nulls_first(), "rule", "related_doc_id"))

    @property
    def pairs(self):
        """DataFrame of the verified pairs: :data:`summary_analysis.batch.PAIR_COLUMNS`
        (Jaccard and containments in 0..1, shared characters), sorted by ``(doc_a, doc_b)``."""
        from ..batch import PAIR_COLUMNS

        return self.pair_rows.select(*PAIR_COLUMNS).orderBy("doc_a", "doc_b")

    @property
    def figures(self):
        """DataFrame of the reported figures (columns of the contract's figure rows), in
        document and text order."""
        from pyspark.sql import functions as F

        return (self.per_document.select("ord", "sub", F.posexplode("figures").alias("i", "j"))
                .orderBy("ord", "sub", "i").select(F.from_json("j", _FIGURE_DDL).alias("r")).select("r.*"))

    @property
    def checklist(self):
        """DataFrame of the checklist rows (one per document and item: status, span, weight,
        …), in document and checklist order."""
        from pyspark.sql import functions as F

        return (self.per_document.select("ord", "sub", F.posexplode("checklist").alias("i", "j"))
                .orderBy("ord", "sub", "i").select(F.from_json("j", _CHECKLIST_DDL).alias("r")).select("r.*"))

    def finding_objects(self) -> list:
        """Every finding as a :class:`~summary_analysis.findings.Finding`, sorted as the local
        engine sorts them (collects to the driver: small batches only)."""
        from ..findings import Finding

        found = [finding_from_json(r[0]) for r in self.findings_json.collect()]
        return sorted(found, key=Finding.sort_key)

    def to_dict(self, findings: list | None = None) -> dict:
        """The output contract's JSON document, identical to
        :meth:`summary_analysis.batch.Batch.to_dict` of the local engine (collects to the driver:
        small batches only). ``findings`` replaces the finding list (after --select/--ignore);
        ``groups`` are the copy groups of those findings."""
        from ..groups import copy_groups, group_rows

        docs = sorted(self.per_document.where("is_doc")
                      .select("ord", "sub", "document_json", "figures", "checklist").collect(),
                      key=lambda r: (r["ord"], r["sub"]))
        findings = self.finding_objects() if findings is None else findings
        pairs = sorted((r.asDict() for r in self.pairs.collect()), key=lambda p: (p["doc_a"], p["doc_b"]))
        return {
            "contract": 1,
            "documents": [json.loads(r["document_json"]) for r in docs],
            "findings": [f.to_dict() for f in findings],
            "pairs": pairs,
            "figures": [json.loads(x) for r in docs for x in r["figures"]],
            "checklist": [json.loads(x) for r in docs for x in r["checklist"]],
            "skipped": list(self.skipped),
            "groups": group_rows(copy_groups(findings)),
        }

    def unpersist(self) -> None:
        """Release the cached per-document, pair and intermediate tables."""
        self.per_document.unpersist()
        self.pair_rows.unpersist()
        for df in self.intermediate:
            df.unpersist()


def _check_frame(df) -> None:
    """The local engine's input checks for a DataFrame input (session-22 API test: these failed
    in a worker, or gave a wrong result without a word).

    Raises
    ------
    ValueError
        Without ``doc_id`` and ``text``, or ``path`` and ``content``; for a null or blank
        ``doc_id``, or one given twice (one document is never its own copy: the pair step
        pairs ``doc_id`` a < b, so a second row of one id hid a copy).
    TypeError
        For ``text``, ``doc_id`` or ``path`` that are not strings, ``content`` not binary.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import BinaryType, StringType

    types = {f.name: f.dataType for f in df.schema.fields}
    if not ({"doc_id", "text"} <= types.keys() or {"path", "content"} <= types.keys()):
        raise ValueError("a DataFrame input needs the columns doc_id and text (optionally title, path, encoding), "
                         "or path and content (spark.read.format('binaryFile'), optionally doc_id); "
                         f"it has {', '.join(df.columns) or 'none'}")
    for name, want in (("doc_id", StringType()), ("text", StringType()), ("path", StringType()),
                       ("content", BinaryType())):
        if name in types and types[name] != want:
            raise TypeError(f"the DataFrame's {name} column is {types[name].simpleString()}, "
                            f"not {want.simpleString()}")
    if "doc_id" in types:
        bad = df.where(F.col("doc_id").isNull() | (F.trim("doc_id") == "")).limit(1).count()
        if bad:
            raise ValueError("the DataFrame has a null or blank doc_id: every document needs one")
        twice = [r[0] for r in df.groupBy("doc_id").count().where(F.col("count") > 1)
                 .orderBy("doc_id").limit(4).collect()]
        if twice:
            from ..pipeline import given_twice

            raise given_twice(twice)


def _inputs_frame(spark, inputs, partitions: int | None):
    """(DataFrame with ord, doc_id, path[, content | text...], skipped, driver findings)."""
    import pandas as pd
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    from ..document import Document
    from ..findings import Finding
    from ..ingest.walk import discover

    skipped: list = []
    driver_findings: list = []
    if isinstance(inputs, DataFrame):
        df = inputs
        _check_frame(df)
        if "doc_id" not in df.columns:
            df = df.withColumn("doc_id", F.regexp_replace("path", r"^file:(//)?", ""))
        if "content" in df.columns and "path" in df.columns:
            df = df.withColumn("path", F.regexp_replace("path", r"^file:(//)?", ""))
        keep = [c for c in _INPUT_COLUMNS if c in df.columns]
        df = df.select(*keep).withColumn("ord", F.row_number().over(Window.orderBy("doc_id")) - 1)
        n = None
    else:
        if isinstance(inputs, (str, os.PathLike, Document)):
            inputs = [inputs]
        inputs = list(inputs)
        if inputs and all(isinstance(d, Document) for d in inputs):
            from ..pipeline import check_documents

            check_documents(inputs)  # as the local engine: ids, text types, ids given twice
            pdf = pd.DataFrame({"ord": range(len(inputs)), "doc_id": [d.doc_id for d in inputs],
                                "path": [d.path for d in inputs], "title": [d.title for d in inputs],
                                "text": [d.text for d in inputs], "encoding": [d.encoding for d in inputs],
                                "meta_json": [json.dumps(d.meta, ensure_ascii=False) for d in inputs]})
            schema = "ord long, doc_id string, path string, title string, text string, encoding string, meta_json string"
        else:
            files, skipped_objs, missing = discover([str(p) for p in inputs])
            skipped = [{"path": s.path, "reason": s.reason} for s in skipped_objs]
            for p, reason in missing:
                driver_findings.append(_finding_json(Finding("ING001", Path(p).as_posix(), reason,
                                                             evidence={"path": p})))
            pdf = pd.DataFrame({"ord": range(len(files)), "doc_id": [f.doc_id for f in files],
                                "path": [str(f.path) for f in files]})
            schema = "ord long, doc_id string, path string"
        n = len(pdf)
        df = spark.createDataFrame(pdf, schema) if n else spark.createDataFrame([], schema)
    if partitions is None:
        par = spark.sparkContext.defaultParallelism
        partitions = max(1, min(n, max(2 * par, (n or 0) // 200))) if n is not None else 2 * par
    return df.repartition(max(1, partitions)), skipped, driver_findings


def _bucketed(sketches, keys: str, max_bucket: int | None, *carry: str):
    """Rows ``(doc_id, *carry, band, key)``, one per band key of ``keys`` (array column), kept
    only in buckets ``(band, key)`` of 2 to ``max_bucket`` documents (the bucket rule of
    :func:`.similarity.lsh.lsh_pairs`; None: no upper limit)."""
    from pyspark.sql import functions as F

    bands = sketches.select("doc_id", *carry, F.posexplode(keys).alias("band", "key"))
    size = F.col("count") >= 2
    if max_bucket is not None:
        size = size & (F.col("count") <= max_bucket)
    ok = bands.select("band", "key").groupBy("band", "key").count().where(size).drop("count")
    return bands.join(ok, ["band", "key"], "left_semi")


def _estimated_pairs(sketches, keys: str, sig: str, size: str, max_bucket: int):
    """Candidate pairs ``(doc_a, doc_b)``, ``doc_a < doc_b``, agreeing on a band key of ``keys``
    and whose signatures ``sig`` and set sizes ``size`` pass the identical-pair pass's MinHash
    test; the estimate is computed per bucket (:func:`_bucket_pairs_partition`), so no pair
    failing it is ever materialised. A bucket of more than ``max_bucket`` documents gives the
    pairs of its first member only (:func:`.similarity.identical_pairs`). Not deduplicated."""
    from pyspark.sql import functions as F

    # one list of members, so each document's id, signature and size stay together
    buckets = (_bucketed(sketches, keys, None, sig, size).groupBy("band", "key")
               .agg(F.collect_list(F.struct("doc_id", sig, size)).alias("members"))
               .select(F.col("members.doc_id").alias("ids"), F.col(f"members.{sig}").alias("sigs"),
                       F.col(f"members.{size}").alias("sizes")))
    return buckets.mapInPandas(lambda it: _bucket_pairs_partition(it, max_bucket), "doc_a string, doc_b string")


def _duplicate_members(sketches):
    """Rows ``(doc_id, first)`` of the documents in a group of more than
    :data:`.similarity.MAX_DUPLICATE_GROUP` documents of one shingle set (``set_key``) that are
    not its first ``doc_id`` (:func:`.similarity.duplicate_groups`): they take no part in the
    candidate search, each is paired with its first."""
    from pyspark.sql import functions as F

    from ..similarity import MAX_DUPLICATE_GROUP

    groups = (sketches.where(F.col("set_key").isNotNull()).groupBy("set_key")
              .agg(F.count("*").alias("n"), F.min("doc_id").alias("first"))
              .where(F.col("n") > MAX_DUPLICATE_GROUP))
    return (sketches.join(groups, "set_key").where(F.col("doc_id") != F.col("first"))
            .select("doc_id", "first"))


def _nearest_partners(cands, sketches):
    """The rows of ``cands`` (candidate pairs ``doc_a < doc_b``) that
    :func:`.similarity.lsh.nearest_partners` keeps: each document's
    :data:`.similarity.lsh.MAX_PARTNERS` partners of highest MinHash estimate (ties: the
    partner whose ``doc_id`` sorts first), a pair kept when either document keeps it. The
    estimate is the same division as locally (agreeing values / signature length)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from ..similarity import lsh

    sig = sketches.select("doc_id", "signature")
    est = (cands.select("doc_a", "doc_b")
           .join(sig.select(F.col("doc_id").alias("doc_a"), F.col("signature").alias("sa")), "doc_a")
           .join(sig.select(F.col("doc_id").alias("doc_b"), F.col("signature").alias("sb")), "doc_b")
           .select("doc_a", "doc_b", (F.size(F.filter(F.arrays_zip("sa", "sb"), lambda x: x["sa"] == x["sb"]))
                                      / F.size("sa")).alias("est")))
    both = (est.select(F.col("doc_a").alias("doc"), F.col("doc_b").alias("partner"), "doc_a", "doc_b", "est")
            .unionByName(est.select(F.col("doc_b").alias("doc"), F.col("doc_a").alias("partner"), "doc_a", "doc_b",
                                    "est")))
    rank = F.row_number().over(Window.partitionBy("doc").orderBy(F.desc("est"), F.asc("partner")))
    kept = both.withColumn("rank", rank).where(F.col("rank") <= lsh.MAX_PARTNERS).select("doc_a", "doc_b").distinct()
    return cands.join(kept, ["doc_a", "doc_b"], "left_semi")


def _band_pairs(sketches, column: str, max_bucket: int):
    """Candidate pairs ``(doc_a, doc_b)``, ``doc_a < doc_b``, of documents agreeing on a band key
    of ``column`` in a bucket of 2 to ``max_bucket`` documents (:func:`.similarity.lsh.lsh_pairs`
    as a join; not deduplicated)."""
    from pyspark.sql import functions as F

    b = _bucketed(sketches, column, max_bucket)
    return (b.alias("x").join(b.alias("y"), ["band", "key"]).where(F.col("x.doc_id") < F.col("y.doc_id"))
            .select(F.col("x.doc_id").alias("doc_a"), F.col("y.doc_id").alias("doc_b")))


def analyze(spark, inputs, *, checklist: str = "auto", index: Any = None, segmenter: str | None = None,
            max_file_mb: float | None = None, max_chars: int | None = None, partitions: int | None = None,
            max_bucket: int | None = None, min_shared: int | None = None, max_df: int | None = None) -> SparkBatch:
    """Analyse a batch of reports on Spark; same findings as :func:`summary_analysis.analyze`.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        E.g. from :func:`summary_analysis.spark.get_session` (workers must run an interpreter
        with this package installed).
    inputs : paths, list of Document, or Spark DataFrame
        Files and folders (discovered on the driver with the local engine's rules, then read
        by the workers, so the paths must be visible to them); or documents; or a DataFrame
        with ``path`` and ``content`` (``spark.read.format("binaryFile")``), optionally
        ``doc_id`` (default: the path), or with ``doc_id`` and ``text`` (and optionally
        ``title``, ``path``, ``encoding``).
    checklist : str
        As for the local engine.
    index : str, DataFrame or None
        Reference library for DUP003: a Parquet folder written by
        :func:`summary_analysis.spark.reference.export_index`, or its DataFrame; None: none.
    segmenter : str or None
        Segmentation backend (``jieba`` or ``fast``).
    max_file_mb, max_chars : float, int, optional
        Reading limits (defaults of :func:`summary_analysis.ingest.read_one`): bigger files and
        longer texts become ING004 findings, so no document larger than ``max_chars``
        characters ever reaches a partition's analysis.
    partitions : int, optional
        Partitions of the per-document step (default: about 200 files each, at least twice
        the default parallelism).
    max_bucket, min_shared, max_df : int, optional
        Candidate-generation settings; default the local engine's
        (:func:`.similarity.lsh.lsh_pairs`, :func:`.similarity.lsh.fingerprint_pairs`).

    Returns
    -------
    SparkBatch
        DataFrames: the per-document table and the candidate pairs are computed here and
        persisted (with the sketches; :meth:`SparkBatch.unpersist` releases them), the pair
        step and the findings are defined lazily. Nothing is collected to the driver except
        the batch statistics (frequent and stock shingles) and counts.

    Raises
    ------
    ValueError, TypeError
        As the local engine for Documents (:func:`summary_analysis.pipeline.check_documents`);
        for a DataFrame without the columns above, of other types, with a blank or repeated
        ``doc_id`` (:func:`_check_frame`); for an ``index`` that is not a reference library.
    FileNotFoundError
        For an ``index`` path that does not exist (before any document is read).

    A document given with no text or with more than ``max_chars`` characters is an ING003 or
    ING004 finding and is not analysed, as in the local engine.
    """
    quiet_warnings()
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from ..ingest import DEFAULT_MAX_CHARS, DEFAULT_MAX_FILE_MB
    from ..segment import resolve_backend
    from ..similarity import frequent_threshold
    from ..similarity.lsh import MAX_BUCKET, MAX_DF, MIN_SHARED
    from ..similarity.shingle import template_shingles
    from ..similarity.verify import STOCK_DOCS

    max_file_mb = max_file_mb or DEFAULT_MAX_FILE_MB
    max_chars = max_chars or DEFAULT_MAX_CHARS
    max_bucket = max_bucket or MAX_BUCKET
    min_shared = min_shared or MIN_SHARED
    max_df = max_df or MAX_DF
    backend = resolve_backend(segmenter)
    sc = spark.sparkContext

    refs = None
    if index is not None:  # a missing or foreign library is said before any document is read
        from .reference import load_references

        refs = load_references(spark, index)
    files, skipped, driver_findings = _inputs_frame(spark, inputs, partitions)

    # 1. per document
    per_doc = files.mapInPandas(
        lambda it: _analyse_partition(it, checklist, backend, max_file_mb, max_chars), _DOC_DDL)
    per_doc = per_doc.persist(StorageLevel.MEMORY_AND_DISK)
    docs = per_doc.where("is_doc")
    n_docs = docs.count()

    # 2. batch statistics: shingle document frequency
    tmpl = template_shingles()
    empty = np.zeros(0, dtype=np.uint64)
    frequent, stock = empty, empty
    if n_docs:
        thr = frequent_threshold(n_docs)
        counts = (docs.select("text").mapInPandas(_shingle_counts, "shingle long, n long")
                  .groupBy("shingle").agg(F.sum("n").alias("n")).where(F.col("n") >= min(STOCK_DOCS, thr)))
        got = counts.toPandas()
        vals, ns = _u64(got["shingle"].to_numpy()), got["n"].to_numpy()
        order = np.argsort(vals)
        vals, ns = vals[order], ns[order]
        stock = vals[ns >= STOCK_DOCS]
        if n_docs >= 2:
            frequent = vals[ns >= thr]
    skip = np.union1d(tmpl, frequent)
    skip_bc, stock_bc = sc.broadcast(skip), sc.broadcast(stock)

    # 3-5. sketches, candidates, verification
    pair_schema = _PAIR_DDL
    if n_docs >= 2:
        # the identical-pair pass runs when the batch discount removed something, as locally
        identical = bool(frequent.shape[0])
        sk = docs.select("doc_id", "text").mapInPandas(lambda it: _sketch_partition(it, skip_bc, identical),
                                                       _SKETCH_DDL)
        sk = sk.persist(StorageLevel.MEMORY_AND_DISK)
        # a large group of copies takes part through its first document only (as locally)
        copies = _duplicate_members(sk).persist(StorageLevel.MEMORY_AND_DISK)
        active = sk.join(F.broadcast(copies.select("doc_id")), "doc_id", "left_anti")
        lsh = _band_pairs(active, "band_keys", max_bucket)
        fps = active.select("doc_id", F.explode("fingerprints").alias("fp"))
        rare = (fps.groupBy("fp").count().where((F.col("count") >= 2) & (F.col("count") <= max_df))
                .drop("count"))
        f = fps.join(rare, "fp")
        fpp = (f.alias("x").join(f.alias("y"), "fp").where(F.col("x.doc_id") < F.col("y.doc_id"))
               .groupBy(F.col("x.doc_id").alias("doc_a"), F.col("y.doc_id").alias("doc_b")).count()
               .where(F.col("count") >= min_shared).drop("count"))
        cands = (lsh.unionByName(fpp).distinct()
                 .withColumn("regular", F.lit(True)).withColumn("maybe_identical", F.lit(False)))
        if identical:
            # only the pairs passing identical_jaccard's MinHash-estimate test (it is re-run)
            same = (_estimated_pairs(active, "identical_keys", "identical_sig", "identical_size", max_bucket)
                    .distinct()
                    .withColumn("regular", F.lit(False)).withColumn("maybe_identical", F.lit(True)))
            cands = (cands.unionByName(same).groupBy("doc_a", "doc_b")
                     .agg(F.max("regular").alias("regular"), F.max("maybe_identical").alias("maybe_identical")))
        star = (copies.select(F.col("first").alias("doc_a"), F.col("doc_id").alias("doc_b"))
                .withColumn("regular", F.lit(True)).withColumn("maybe_identical", F.lit(identical)))
        # materialised once: _nearest_partners reads the candidate pairs three times, and the
        # plan of the pair step would otherwise hold that many copies of the whole candidate
        # search (each a copy of its own self-joins): 969 shuffles and 291 jobs for 7 documents
        cands = cands.unionByName(star).persist(StorageLevel.MEMORY_AND_DISK)
        cands.count()
        intermediate = [sk, copies, cands]
        cands = _nearest_partners(cands, sk)
        side = ["doc_id", "doc_title", "text", "path", "encoding", "meta_json", "token_ends", "info_json"]
        da = docs.select(*[F.col(c).alias(c + "_a") for c in side])
        db = docs.select(*[F.col(c).alias(c + "_b") for c in side])
        joined = cands.join(da, cands.doc_a == da.doc_id_a).join(db, cands.doc_b == db.doc_id_b).drop("doc_a", "doc_b")
        # pairs of one doc_a side by side, so _pair_partition's per-document cache is reused
        joined = (joined.repartition(max(2, sc.defaultParallelism * 2), "doc_id_a")
                  .sortWithinPartitions("doc_id_a", "doc_id_b"))
        pair_rows = joined.mapInPandas(lambda it: _pair_partition(it, skip_bc, stock_bc), pair_schema)
        pair_rows = pair_rows.persist(StorageLevel.MEMORY_AND_DISK)
    else:
        pair_rows = spark.createDataFrame([], pair_schema)
        intermediate = []

    # 6. reference library
    extra = None
    if index is not None and n_docs:
        from .reference import candidate_references

        extra = candidate_references(spark, docs, refs, skip_bc).mapInPandas(
            lambda it: _reference_partition(it, skip_bc), "finding string")
    return SparkBatch(per_doc, pair_rows, extra, skipped, driver_findings, intermediate)


def write(batch: SparkBatch, out: str, fmt: str = "parquet", findings: list | None = None,
          rules: list[str] | None = None) -> None:
    """Write the tables under ``out``.

    Parameters
    ----------
    batch : SparkBatch
    out : str
        ``fmt="parquet"``: a folder; Parquet folders ``documents``, ``findings``, ``pairs``,
        ``figures``, ``checklist`` and ``skipped`` (path, reason: the files passed over, as in
        the JSON report) are (over)written inside. ``fmt="json"``: the file of the
        contract's JSON document (collected to the driver: small batches only).
    findings : list of Finding, optional
        JSON only: the findings to write (after ``--select``/``--ignore``).
    rules : list of str, optional
        Parquet only: keep findings of these rule codes.
    """
    if fmt == "json":
        from ..report.jsonout import _clean

        text = json.dumps(_clean(batch.to_dict(findings)), ensure_ascii=False, indent=1) + "\n"
        Path(out).write_text(text, encoding="utf-8")
        return
    for name in ("documents", "findings", "pairs", "figures", "checklist"):
        df = getattr(batch, name)
        if name == "findings" and rules is not None:
            df = df.where(df.rule.isin(list(rules)))
        df.write.mode("overwrite").parquet(str(Path(out) / name))
    spark = batch.per_document.sparkSession
    skipped = [(r["path"], r["reason"]) for r in batch.skipped]
    spark.createDataFrame(skipped, "path string, reason string").coalesce(1).write.mode("overwrite") \
        .parquet(str(Path(out) / "skipped"))
