"""Figures against the hand-annotated gold (tests/data/figures/): the benchmark's numbers as a test,
plus a seeded fuzz check that extraction never raises and every span is exact."""

from __future__ import annotations

import random

from figures_gold import evaluate, load_gold

from summary_analysis.document import Document
from summary_analysis.figures import check_figures, extract_figures, find_placeholders
from summary_analysis.sections import DocMeta


def test_gold_files_cover_six_documents():
    gold = load_gold()
    names = {g.name for g in gold}
    assert {"seed-2", "seed-3", "seed-5", "shuyang", "huaian", "shanghai"} <= names
    assert sum(len(g.figures) for g in gold) >= 150


def test_gold_precision_and_recall(seed_docs):
    from summary_analysis import read_documents
    from conftest import HUAIAN, SHANGHAI, SHUYANG

    docs = list(seed_docs.values()) + read_documents([str(SHUYANG), str(HUAIAN), str(SHANGHAI)])
    total, per = evaluate(docs, lambda d: extract_figures(d, []))
    assert total.precision >= 0.95 and total.recall >= 0.95, total.misses
    assert total.metric_precision >= 0.95 and total.metric_recall >= 0.95, total.misses
    assert total.cell_recall == 1.0, total.misses


_ALPHABET = list("0123456789０１２３一二两三十百千万亿〇零点余多近约超至-—%％.,，。；：（）()|\n ") + [
    "条", "件", "个", "年", "月", "日", "元", "万元", "个工作日", "其中", "分别", "统计期限", "电话：",
    "第", "条", "项", "〔2021〕", "号", "百分之", "率", "XX", "▲", "20xx年", "行政复议", "总计"]


def test_fuzz_never_raises_and_spans_are_exact():
    rng = random.Random(20260404)
    for i in range(300):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 120)))
        doc = Document(f"fuzz{i}", "t", text, "t")
        figs = extract_figures(doc, [])
        for f in figs:
            assert text[f.span.start:f.span.end] == f.raw
        for finding in check_figures(doc, figs, DocMeta(year=rng.choice([None, 2024])), []):
            assert finding.rule.startswith("FIG")
        for p in find_placeholders(doc):
            assert text[p.span.start:p.span.end] == p.evidence["text"]
