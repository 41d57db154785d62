"""The Spark engine gives the local engine's findings (issue 10).

One Spark session (local mode) for the whole module; corpus/ plus a generated batch of a few
hundred reports (seeded code below, with planted copies, passage copies, a cluster of identical
copies of one report, and one text over the length cap) is analysed by both engines and
compared finding by finding.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, SEED, SHUYANG

pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'summary-analysis[spark]'")
pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install 'summary-analysis[spark]'")
if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
    # found by a fresh-user test: the test extra installs pyspark, which cannot start without Java
    pytest.skip("Spark needs Java (17 or later), and there is none on PATH or in JAVA_HOME",
                allow_module_level=True)

pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

N_REPORTS = 200
N_COPIES = 10
N_PASSAGES = 10
#: Identical copies of one generated report: more than the batch-frequency threshold
#: (max(10, 5% of ~225 documents) = 12), so the copied text is discounted as batch template and
#: only the identical-pair pass finds the cluster.
N_CLUSTER = 14
#: The cluster's size: the identical copies and one holding their text with three paragraphs of
#: another report added (a contained copy: Jaccard about 0.7 with each, containment about 1).
CLUSTER_SIZE = N_CLUSTER + 1
GEN_SEED = 20261129

_CHARS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
          "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性")
_ORGS = ["人民政府", "人民政府办公室", "教育局", "财政局", "卫生健康委员会", "自然资源局"]
_VERBS = ["持续推进", "认真落实", "不断完善", "扎实开展", "深入推进", "切实加强", "全面规范", "着力提升"]
_OBJS = ["政务公开标准化规范化建设", "依申请公开办理工作", "重大决策预公开", "政策解读和回应关切", "政府网站集约化建设",
         "政务新媒体管理", "基层政务公开", "信息发布审核机制", "公开目录动态调整", "财政预决算信息公开"]
_SENTS = ["{y}年，{s}{v}{o}，围绕{p}{v2}{o2}，全年发布相关信息{n}条。",
          "{s}把{o}作为重点，依托{q}和{p}，{v}{o2}，累计开展{p2}{n}次。",
          "在{p}中，{s}{v}{o}，会同{q}{v2}{p2}，受理群众诉求{n}件，按时办结率{m}%。",
          "针对{p}推进中的难点，{s}组织召开专题会议{n}次，{v}{o}。",
          "{s}在{q}设立{p}公开栏{n}处，{v}{o2}，全年更新内容{m}条。"]
_HEADS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
          "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def _word(rng: random.Random, k: int = 3) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(k))


def _report(rng: random.Random) -> dict:
    issuer = _word(rng, 2) + rng.choice("县区市") + rng.choice(_ORGS)
    year = rng.choice([2022, 2023, 2024])
    person = rng.choice("王李张刘陈杨赵黄") + _word(rng, 2)
    lines = [f"{issuer}{year}年政府信息公开工作年度报告"]
    for head in _HEADS:
        lines.append(head)
        lines.append("".join(rng.choice(_SENTS).format(
            y=year, s=rng.choice(["我", "本"]) + issuer[-3:], v=rng.choice(_VERBS), v2=rng.choice(_VERBS),
            o=rng.choice(_OBJS), o2=rng.choice(_OBJS), p=_word(rng) + "工程", p2=_word(rng) + "行动",
            q=_word(rng) + "社区", n=rng.randint(2, 999), m=rng.randint(1, 99)) for _ in range(rng.randint(2, 3))))
    lines.append(f"联系人：{person}")
    return {"text": "\n".join(lines) + "\n", "issuer": issuer, "year": year, "person": person}


def make_batch(root: Path, seed: int = GEN_SEED) -> dict:
    """Write the generated batch under ``root``; returns the planted pairs (sorted doc_id pairs)
    ``{"copies", "passages", "cluster"}`` (``cluster``: every pair of the identical copies) and
    the id of the over-long text (``"long"``)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    n_base = N_REPORTS - N_COPIES
    base = [_report(rng) for _ in range(n_base)]
    texts = [r["text"] for r in base]
    ids = [f"r{i:04d}.txt" for i in range(n_base)]
    order = list(range(n_base))
    rng.shuffle(order)
    copies, passages = set(), set()
    for s, d in zip(order[N_COPIES:N_COPIES + N_PASSAGES], order[N_COPIES + N_PASSAGES:N_COPIES + 2 * N_PASSAGES]):
        src = texts[s].split("\n")
        chunk = src[2] + src[4]  # two body paragraphs of the source
        lines = texts[d].split("\n")
        lines[6] = lines[6] + chunk
        texts[d] = "\n".join(lines)
        passages.add(tuple(sorted((ids[s], ids[d]))))
    for i, t in enumerate(texts):
        (root / ids[i]).write_text(t, encoding="utf-8")
    for c, s in enumerate(order[:N_COPIES]):
        r = base[s]
        t = texts[s].replace(r["issuer"], _word(rng, 2) + "县" + rng.choice(_ORGS)).replace(r["person"], "周" + _word(rng, 2))
        t = t.replace(f"{r['year']}年", f"{r['year'] + 1}年")
        t = re.sub(r"\d{1,3}(?=[条次件处%])", lambda m: str(int(m.group()) + rng.randint(1, 9)) if rng.random() < 0.5
                   else m.group(), t)
        cid = f"c{c:04d}.txt"
        (root / cid).write_text(t, encoding="utf-8")
        copies.add(tuple(sorted((ids[s], cid))))
    same = _report(rng)["text"]
    kids = [f"k{c:04d}.txt" for c in range(N_CLUSTER)]
    for k in kids:
        (root / k).write_text(same, encoding="utf-8")
    src = texts[order[-1]].split("\n")
    (root / "k-plus.txt").write_text(same + src[2] + "\n" + src[4] + "\n" + src[6] + "\n", encoding="utf-8")
    passages.add(tuple(sorted((ids[order[-1]], "k-plus.txt"))))
    kids.append("k-plus.txt")
    cluster = {(a, b) for a in kids for b in kids if a < b}
    from summary_analysis.ingest import DEFAULT_MAX_CHARS

    long_text = (texts[0] * (DEFAULT_MAX_CHARS // len(texts[0]) + 2))
    (root / "z-long.txt").write_text(long_text, encoding="utf-8")
    return {"copies": copies, "passages": passages, "cluster": cluster, "long": "z-long.txt"}


@pytest.fixture(scope="module")
def spark():
    from summary_analysis.spark import get_session

    session = get_session("local[2]", conf={"spark.sql.shuffle.partitions": "4"})
    yield session
    session.stop()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark") / "gen"
    return root, make_batch(root)


#: Library id of the text the generated cluster copied (the reference library holds it).
CLUSTER_SOURCE = "lib/cluster-source.txt"


@pytest.fixture(scope="module")
def references(seed_docs, generated, tmp_path_factory):
    """A reference library (seed documents #1 and #3, and the text the generated cluster
    copied) in SQLite, and exported as Parquet."""
    from summary_analysis.document import Document
    from summary_analysis.similarity.index import ReferenceIndex
    from summary_analysis.spark.reference import export_index

    root = tmp_path_factory.mktemp("refs")
    same = (generated[0] / "k0000.txt").read_text(encoding="utf-8")
    with ReferenceIndex(root / "refs.sqlite") as idx:
        idx.add([seed_docs[1], seed_docs[3], Document(CLUSTER_SOURCE, same.split("\n", 1)[0], same, CLUSTER_SOURCE)])
        assert export_index(idx, root / "refs") == 3
    return root / "refs.sqlite", root / "refs"


@pytest.fixture(scope="module")
def both(spark, generated, references):
    """(local Batch, SparkBatch) on corpus/ plus the generated batch, checked against the
    reference library (SQLite for the local engine, Parquet for Spark)."""
    from summary_analysis import analyze
    from summary_analysis.similarity.index import ReferenceIndex
    from summary_analysis.spark import analyze as spark_analyze

    root, _ = generated
    paths = [str(CORPUS), str(root)]
    with ReferenceIndex(references[0], create=False) as idx:
        local = analyze(paths, index=idx)
    return local, spark_analyze(spark, paths, index=str(references[1]))


@pytest.fixture(scope="module")
def shuyang_local():
    from summary_analysis import analyze

    return analyze([str(SHUYANG)])


def _keys(findings) -> list[tuple]:
    return sorted((f.rule, f.doc_id, f.related_doc_id or "", tuple(f.span.as_list()) if f.span else ())
                  for f in findings)


def test_findings_identical_to_local_engine(both):
    local, sb = both
    got = sb.finding_objects()
    assert len(got) > 100
    assert _keys(got) == _keys(local.finding_objects)
    # messages and evidence too
    assert [f.to_dict() for f in got] == [f.to_dict() for f in local.finding_objects]


def test_whole_json_contract_identical(both):
    from summary_analysis.report.jsonout import _clean

    local, sb = both
    assert _clean(sb.to_dict()) == _clean(local.to_dict())


def test_planted_copies_are_found_and_pairs_match(both, generated):
    local, sb = both
    _, planted = generated
    rules: dict[tuple, set] = {}
    for f in sb.finding_objects():
        if f.related_doc_id and f.rule.startswith("DUP"):
            rules.setdefault(tuple(sorted((f.doc_id, f.related_doc_id))), set()).add(f.rule)
    copy_hits = sum(bool({"DUP001"} & rules.get(p, set())) for p in planted["copies"])
    passage_hits = sum(bool({"DUP001", "DUP002"} & rules.get(p, set())) for p in planted["passages"])
    assert copy_hits == len(planted["copies"])
    assert passage_hits >= 0.9 * len(planted["passages"])
    seed_pair = ("seed-compilation-page.txt#1", "seed-compilation-page.txt#4")
    assert all(rules.get(p) == {"DUP001"} for p in planted["cluster"])
    library = {p for p in rules if CLUSTER_SOURCE in p}  # DUP003s of the cluster: the test below
    assert set(rules) - planted["copies"] - planted["passages"] - planted["cluster"] - library == {seed_pair}
    spark_pairs = [tuple(r) for r in sb.pairs.toPandas().itertuples(index=False)]
    assert spark_pairs == [tuple(r) for r in local.pairs.itertuples(index=False)]


def test_cluster_of_identical_copies_found_as_locally(both, generated):
    """A text copied by more offices than the batch-frequency threshold is discounted as batch
    template; both engines still find every pair of the cluster through the identical-pair pass,
    the contained copy (the text plus three paragraphs of its own) included,
    and give each DUP001 the cluster's size."""
    local, sb = both
    cluster = generated[1]["cluster"]

    def dup(findings) -> list[tuple]:
        return sorted((f.rule, f.doc_id, f.related_doc_id, tuple(f.span.as_list()), f.evidence["cluster_size"])
                      for f in findings if f.rule == "DUP001")

    got, want = dup(sb.finding_objects()), dup(local.finding_objects)
    assert got == want
    in_cluster = [g for g in got if tuple(sorted(g[1:3])) in cluster]
    assert len(in_cluster) == len(cluster) == CLUSTER_SIZE * (CLUSTER_SIZE - 1) // 2
    assert {g[4] for g in in_cluster} == {CLUSTER_SIZE}
    assert {g[4] for g in got if g not in in_cluster} == {2}


def test_long_text_is_refused_as_locally_and_never_analysed(both, generated):
    from summary_analysis.ingest import DEFAULT_MAX_CHARS

    local, sb = both
    long_id = planted_long = generated[1]["long"]
    ing = [f for f in sb.finding_objects() if f.rule == "ING004" and f.doc_id.endswith(long_id)]
    assert len(ing) == 1 and "characters is over" in ing[0].message
    assert _keys(ing) == _keys(f for f in local.finding_objects if f.rule == "ING004" and f.doc_id.endswith(planted_long))
    longest = sb.documents.selectExpr("max(chars)").first()[0]
    assert 0 < longest <= DEFAULT_MAX_CHARS


def test_parquet_tables_hold_the_contract_columns(both, tmp_path):
    import pyarrow.parquet as pq

    from summary_analysis.batch import PAIR_COLUMNS
    from summary_analysis.findings import FINDING_COLUMNS
    from summary_analysis.spark import write

    local, sb = both
    write(sb, str(tmp_path / "out"))
    f = pq.read_table(tmp_path / "out" / "findings").to_pandas()
    assert list(f.columns) == FINDING_COLUMNS
    assert len(f) == len(local.finding_objects)
    # the batch-global cluster sizes are in the table, as in the local engine's findings
    dup = f[f.rule == "DUP001"]
    got = sorted((r.doc_id, r.related_doc_id, json.loads(r.evidence)["cluster_size"]) for r in dup.itertuples())
    assert got == sorted((x.doc_id, x.related_doc_id, x.evidence["cluster_size"])
                         for x in local.finding_objects if x.rule == "DUP001")
    assert sum(n == CLUSTER_SIZE for _, _, n in got) == CLUSTER_SIZE * (CLUSTER_SIZE - 1) // 2
    p = pq.read_table(tmp_path / "out" / "pairs").to_pandas()
    assert list(p.columns) == PAIR_COLUMNS and len(p) == len(local.pairs)
    for name, df in (("documents", local.documents), ("figures", local.figures), ("checklist", local.checklist)):
        assert pq.read_table(tmp_path / "out" / name).num_rows == len(df)


def test_reference_library_as_parquet_gives_the_sqlite_index_findings(both, seed_docs, references, generated):
    from summary_analysis.similarity.index import ReferenceIndex
    from summary_analysis.spark.reference import import_index

    """Both engines give the same DUP003s: the seed page's spun copy of #1, and every member of
    the generated cluster against the library text they copied, which their number makes
    batch-frequent (found by the session-17 fresh-user test: twelve copies of a library report
    in a batch gave no DUP003), the contained copy (k-plus) included."""
    local, sb = both
    got = [f for f in sb.finding_objects() if f.rule == "DUP003"]
    kids = sorted({d for pair in generated[1]["cluster"] for d in pair})
    assert len(kids) == CLUSTER_SIZE
    assert sorted((f.doc_id, f.related_doc_id) for f in got) == sorted(
        [(seed_docs[4].doc_id, seed_docs[1].doc_id)] + [(k, CLUSTER_SOURCE) for k in kids])
    assert [f.to_dict() for f in got] == [f.to_dict() for f in local.finding_objects if f.rule == "DUP003"]
    with ReferenceIndex(references[0].parent / "back.sqlite") as back:
        assert import_index(references[1], back) == {"added": 3, "replaced": 0, "unchanged": 0, "same_text": 0}
        assert [r["ref_id"] for r in back.list()] == sorted([seed_docs[1].doc_id, seed_docs[3].doc_id, CLUSTER_SOURCE])


def test_binary_file_input_reads_like_files(spark, shuyang_local):
    """Bytes from Spark's binaryFile source are read like the file itself."""
    from pyspark.sql import functions as F

    from summary_analysis.spark import analyze as spark_analyze

    df = spark.read.format("binaryFile").load(str(SHUYANG)).withColumn("doc_id", F.lit(SHUYANG.name))
    got = spark_analyze(spark, df)
    assert _keys(got.finding_objects()) == _keys(shuyang_local.finding_objects)
    assert got.documents.select("path").first()[0].endswith(SHUYANG.name)


def test_cli_spark_engine_json_and_install_hint(spark, shuyang_local, tmp_path, monkeypatch, capsys):
    from summary_analysis import spark_entry
    from summary_analysis.cli import main

    out = tmp_path / "shuyang.json"
    status = main(["check", str(SHUYANG), "--engine", "spark", "--format", "json", "--out", str(out),
                   "--jobs", "2", "--lang", "zh"])
    want = shuyang_local.to_dict()
    assert status == (1 if want["findings"] else 0)
    err = capsys.readouterr().err  # options that do not apply are said (session 22: ignored silently)
    assert "note: --jobs does not apply with --engine spark" in err and "note: --lang applies to" in err
    got = json.loads(out.read_text(encoding="utf-8"))
    assert [(f["rule"], f["doc_id"], f["related_doc_id"], f["span"]) for f in got["findings"]] == \
        [(f["rule"], f["doc_id"], f["related_doc_id"], f["span"]) for f in want["findings"]]
    assert spark.sparkContext._jsc is not None  # the caller's session was left running

    assert main(["check", str(SEED), "--engine", "spark", "--format", "json", "--spark-conf", "no-equals"]) == 2
    assert "--spark-conf wants KEY=VALUE" in capsys.readouterr().err
    assert spark_entry.spark_conf(["spark.driver.memory=8g", " a = b ", "a=c"]) == \
        {"spark.driver.memory": "8g", "a": "c"}

    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    assert not spark_entry.spark_available()
    assert main(["check", str(SEED), "--engine", "spark", "--format", "parquet", "--out", str(tmp_path / "p")]) == 2
    assert "pip install 'summary-analysis[spark]'" in capsys.readouterr().err


def test_bucket_estimate_keeps_exactly_the_pairs_identical_jaccard_would_test():
    """The identical-pair pass's per-bucket MinHash filter (``_bucket_pairs_partition``) keeps a
    pair exactly when :func:`identical_jaccard`'s own estimate test passes, so filtering before
    the text join changes nothing. Signatures are seeded near-copies of one base signature with
    30 to 93 of 128 values replaced, which straddles the bar of sets of one size (84 equal
    values pass, 83 fail) and, for sets of 200 and 300 shingles, the contained copy's (53
    pass, 52 fail)."""
    import numpy as np
    import pandas as pd

    from summary_analysis.similarity import identical_jaccard
    from summary_analysis.similarity.minhash import NUM_PERM
    from summary_analysis.spark.engine import _bucket_pairs_partition

    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.int64)
    # nested sets: whatever the sizes, the exact values pass (200 in 300: Jaccard 0.67,
    # containment 1), so only the estimate decides
    whole = {200: np.arange(200, dtype=np.uint64), 300: np.arange(300, dtype=np.uint64)}
    buckets = []
    for b in range(6):
        sigs, ids, sizes = [base], [f"d{b}-base"], [200]
        for k in range(64):
            # k-th variant: 30..93 values replaced, so its pair with the base has 98..35 equal
            # values: both bars' both sides (equal sizes 84/83, 200 and 300: 53/52) included
            s = base.copy()
            idx = rng.choice(NUM_PERM, size=30 + k, replace=False)
            s[idx] = rng.integers(0, 2**63, size=idx.shape[0], dtype=np.int64)
            sigs.append(s)
            ids.append(f"d{b}-{rng.integers(0, 10**6):06d}-{k}")
            sizes.append(200 if b < 3 else int(rng.choice([200, 300])))
        buckets.append((ids, sigs, sizes))
    frame = pd.DataFrame({"ids": [b[0] for b in buckets], "sigs": [[list(s) for s in b[1]] for b in buckets],
                          "sizes": [b[2] for b in buckets]})
    got = set()
    for out in _bucket_pairs_partition(iter([frame])):
        got |= set(zip(out["doc_a"], out["doc_b"]))
    want, unequal = set(), 0
    for ids, sigs, sizes in buckets:
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                if identical_jaccard(whole[sizes[i]], whole[sizes[j]], sigs[i], sigs[j]) is not None:
                    want.add((min(ids[i], ids[j]), max(ids[i], ids[j])))
                    unequal += sizes[i] != sizes[j] and (sigs[i] == sigs[j]).sum() < 84
    assert got == want
    assert 0 < len(want) < sum(len(b[0]) * (len(b[0]) - 1) // 2 for b in buckets)  # both sides of the bar occur
    assert unequal > 0  # pairs only the contained-copy bar keeps


def test_cli_spark_engine_writes_parquet_folders_and_its_exit_status(spark, tmp_path, capsys):
    """Found by the session-13 fresh-user test: the README's ``--format parquet --out results/``
    was refused (a folder "is for csv"), and without the slash the run wrote its tables and then
    failed on the exit status (two plans of ``batch.findings`` mixed in one filter)."""
    import pandas as pd

    from summary_analysis import analyze
    from summary_analysis.cli import main

    out = tmp_path / "results"
    want = analyze([str(SEED)]).to_dict()["findings"]
    assert len(want) > 20
    status = main(["check", str(SEED), "--engine", "spark", "--format", "parquet", "--out", f"{out}/"])
    assert status == (1 if any(f["severity"] in ("error", "warning") for f in want) else 0)
    assert sorted(p.name for p in out.iterdir()) == ["checklist", "documents", "figures", "findings", "pairs",
                                                     "skipped"]
    assert list(pd.read_parquet(out / "skipped").columns) == ["path", "reason"]
    # a later check of a folder holding the tables reads none of their files (session 22: ING002s)
    from summary_analysis.ingest.walk import discover

    files, passed_over, _ = discover([str(out)])
    assert files == [] and len(passed_over) >= 10
    got = pd.read_parquet(out / "findings")
    assert sorted(zip(got["rule"], got["doc_id"])) == sorted((f["rule"], f["doc_id"]) for f in want)
    assert main(["check", str(SEED), "--engine", "spark", "--format", "parquet", "--out", str(tmp_path / "r2"),
                 "--fail-on", "never", "--ignore", "SEC"]) == 0
    kept = set(pd.read_parquet(tmp_path / "r2" / "findings")["rule"])
    assert kept and not kept & {"SEC001", "SEC002", "SEC003"} and {f["rule"] for f in want} & {"SEC001", "SEC002"}
    capsys.readouterr()
    assert main(["check", str(SHUYANG), "--engine", "spark", "--out", str(tmp_path / "s.json")]) in (0, 1)
    assert "--engine spark writes the JSON report" in capsys.readouterr().err
    assert [d["doc_id"] for d in json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["documents"]] == \
        ["shuyang-county-2025-annual-report.md"]


def test_more_identical_copies_than_the_bucket_limit_as_locally(spark, tmp_path, monkeypatch):
    """The local engine pairs each member of an identical-pair bucket over MAX_BUCKET with the
    bucket's first (session 12: 501 copies had given no finding); the Spark engine dropped such
    buckets. Both now give the same DUP001 findings (a bucket limit of 5 here, 10 copies: more
    than MAX_DF, so their fingerprints pair nothing either)."""
    from functools import partial

    from summary_analysis import analyze, read_documents
    from summary_analysis import similarity
    from summary_analysis.similarity import lsh
    from summary_analysis.spark import analyze as spark_analyze

    text = read_documents(str(SHUYANG))[0].text[:3000]
    folder = tmp_path / "copies"
    folder.mkdir()
    n = lsh.MAX_DF + 2
    for k in range(n):
        (folder / f"c{k:02d}.txt").write_text(text, encoding="utf-8")
    for k, other in enumerate(sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".pdf") and p != SEED)):
        (folder / f"o{k}.txt").write_text(read_documents(str(other))[0].text[:3000], encoding="utf-8")
    monkeypatch.setattr(similarity, "MAX_BUCKET", 5)
    monkeypatch.setattr(similarity, "_BLOCK_BUCKET", 4)  # buckets under it are paired whole
    monkeypatch.setattr(lsh, "lsh_pairs", partial(lsh.lsh_pairs, max_bucket=5))
    local = analyze([str(folder)])
    sb = spark_analyze(spark, [str(folder)], max_bucket=5)
    pairs = {frozenset((f.doc_id, f.related_doc_id)) for f in local.finding_objects if f.rule == "DUP001"}
    assert pairs == {frozenset(("c00.txt", f"c{k:02d}.txt")) for k in range(1, n)}
    assert _keys([f for f in sb.finding_objects() if f.rule == "DUP001"]) == \
        _keys([f for f in local.finding_objects if f.rule == "DUP001"])


def test_large_group_of_copies_is_a_star_as_locally(spark, tmp_path, monkeypatch):
    """A group of more than MAX_DUPLICATE_GROUP documents with one text is verified as a star
    (each copy with the group's first) by both engines (a limit of 3 here, 6 copies and a
    renamed near-copy). Also the size of the Spark plan: it read the candidate pairs three
    times, each a copy of the whole candidate search, and this batch of 7 documents ran 291
    Spark jobs (969 shuffles); with the candidates persisted once, 45 to 49."""
    from summary_analysis import analyze, read_documents
    from summary_analysis import similarity
    from summary_analysis.spark import analyze as spark_analyze

    text = read_documents(str(SHUYANG))[0].text[:3000]
    folder = tmp_path / "star"
    folder.mkdir()
    for k in range(6):
        (folder / f"c{k}.txt").write_text(text, encoding="utf-8")
    (folder / "near.txt").write_text(text.replace("沐阳县", "宿豫区"), encoding="utf-8")
    monkeypatch.setattr(similarity, "MAX_DUPLICATE_GROUP", 3)
    local = analyze([str(folder)])
    tracker = spark.sparkContext.statusTracker()
    # job ids only grow; the tracker keeps the newest 1,000 jobs, so their number would stop growing
    last_job = max(tracker.getJobIdsForGroup(), default=-1)
    sb = spark_analyze(spark, [str(folder)])
    got = sb.finding_objects()
    assert 0 < max(tracker.getJobIdsForGroup()) - last_job < 100
    pairs = {frozenset((f.doc_id, f.related_doc_id)) for f in local.finding_objects if f.rule == "DUP001"}
    assert pairs == {frozenset(("c0.txt", x)) for x in ("c1.txt", "c2.txt", "c3.txt", "c4.txt", "c5.txt", "near.txt")}
    assert _keys([f for f in got if f.rule.startswith("DUP")]) == \
        _keys([f for f in local.finding_objects if f.rule.startswith("DUP")])


def test_near_copies_keep_their_nearest_partners_as_locally(spark, tmp_path, monkeypatch):
    """A document with more than MAX_PARTNERS candidates keeps its nearest partners by MinHash
    estimate in both engines (a limit of 3 here, 9 near-copies with a third of their figures
    changed): the same DUP001 pairs, fewer than all 36."""
    import random
    import re

    from summary_analysis import analyze, read_documents
    from summary_analysis.similarity import lsh
    from summary_analysis.spark import analyze as spark_analyze

    rng = random.Random(15)
    base = read_documents(str(SHUYANG))[0].text[:3000]
    folder = tmp_path / "near"
    folder.mkdir()
    for k in range(9):
        text = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)) if rng.random() < 0.3 else m.group(),
                      base.replace("沐阳", "甲乙丙丁戊己庚辛壬"[k] + "城"))
        (folder / f"n{k}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(lsh, "MAX_PARTNERS", 3)
    local = analyze([str(folder)])
    sb = spark_analyze(spark, [str(folder)])
    dup = [f for f in local.finding_objects if f.rule == "DUP001"]
    assert 9 * 3 // 2 <= len(dup) < 36
    assert _keys([f for f in sb.finding_objects() if f.rule.startswith("DUP")]) == \
        _keys([f for f in local.finding_objects if f.rule.startswith("DUP")])


def test_bad_document_and_dataframe_inputs_are_refused_as_locally(spark, seed_docs, tmp_path):
    """Found by the session-22 API test: the Spark engine had none of the local engine's input
    checks. Two documents of one doc_id hid their copy (the pair step pairs a < b); a DataFrame
    without text or path, or with an int text, failed in a worker; a blank doc_id was analysed;
    a foreign Parquet folder as the library failed in a join; a missing one only after step 1."""
    from summary_analysis.document import Document
    from summary_analysis.spark import analyze as spark_analyze

    a, b = seed_docs[1], seed_docs[3]

    def df(rows, ddl="doc_id string, text string"):
        return spark.createDataFrame(rows, ddl)

    cases = [
        ([a, a, b], ValueError, f"documents given twice (doc_id {a.doc_id!r})"),
        (df([("x", a.text), ("x", a.text), ("y", b.text)]), ValueError, "documents given twice (doc_id 'x')"),
        (df([("", a.text), ("y", b.text)]), ValueError, "null or blank doc_id"),
        ([Document(5, "", a.text, "p")], ValueError, "a Document needs a doc_id"),
        (df([("a", 1)], "doc_id string, text int"), TypeError, "text column is int, not string"),
        (df([("a",)], "doc_id string"), ValueError, "needs the columns doc_id and text"),
        (df([("a", bytearray(b"x"))], "doc_id string, content binary"), ValueError, "it has doc_id, content"),
    ]
    for inputs, error, said in cases:
        with pytest.raises(error, match=re.escape(said)):
            spark_analyze(spark, inputs)
    spark.range(3).write.parquet(str(tmp_path / "foreign"))
    with pytest.raises(ValueError, match="is not a reference library: it lacks the columns ref_id"):
        spark_analyze(spark, [a, b], index=str(tmp_path / "foreign"))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        spark_analyze(spark, [a, b], index=str(tmp_path / "no-such-library"))


def test_documents_without_text_or_too_long_are_ing_rows_as_locally(spark, seed_docs):
    """Found by the session-22 API test: empty, whitespace-only and over-long texts given as
    Documents or DataFrame rows were analysed (three SEC001 each) where the local engine gives
    ING003/ING004 and leaves them out of the tables; a null text failed in a worker."""
    from summary_analysis import analyze
    from summary_analysis.document import Document
    from summary_analysis.ingest import DEFAULT_MAX_CHARS
    from summary_analysis.spark import analyze as spark_analyze

    a, b = seed_docs[1], seed_docs[3]
    long_text = "政府信息公开工作。" * (DEFAULT_MAX_CHARS // 9 + 10)
    docs = [Document("empty", "", "", "empty"), Document("blank", "", " \n\t\u3000", "blank"),
            Document("long", "", long_text, "long"), a, b]
    local = analyze(docs)
    sb = spark_analyze(spark, docs)
    assert [f.to_dict() for f in sb.finding_objects()] == [f.to_dict() for f in local.finding_objects]
    assert sb.to_dict() == local.to_dict()
    assert sorted((f.rule, f.doc_id) for f in local.finding_objects if f.rule.startswith("ING")) == \
        [("ING003", "blank"), ("ING003", "empty"), ("ING004", "long")]
    rows = spark.createDataFrame([("null", None), (a.doc_id, a.text)], "doc_id string, text string")
    got = spark_analyze(spark, rows).finding_objects()
    assert [(f.rule, f.doc_id) for f in got if f.rule.startswith("ING")] == [("ING003", "null")]
