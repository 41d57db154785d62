"""Copy groups: documents linked by DUP001/REW001 findings, directly or through one another."""

from __future__ import annotations

import csv
import json
import random
from itertools import combinations

import pytest
from openpyxl import load_workbook

from conftest import CORPUS, SEED, SHUYANG
from spinners import spin, thesaurus_table

from summary_analysis import analyze
from summary_analysis.cli import main
from summary_analysis.document import Document
from summary_analysis.findings import Finding
from summary_analysis.groups import GROUP_COLUMNS, connected_components, copy_groups
from summary_analysis.report import render_html, render_text


def _pair(rule, a, b):
    return Finding(rule, a, f"{rule} {a} {b}", related_doc_id=b)


def test_components_follow_chains_and_ignore_other_rules():
    rng = random.Random(5)
    # a chain a-b-c (one DUP001, one REW001), a pair d-e, an island f linked only by DUP002
    # and DUP003 (a reference id); findings in a shuffled order
    findings = [_pair("DUP001", "b", "a"), _pair("REW001", "c", "b"), _pair("DUP001", "e", "d"),
                _pair("DUP002", "f", "a"), _pair("DUP003", "f", "ref/2023.txt"),
                Finding("PLH001", "a", "unfilled")]
    rng.shuffle(findings)
    groups = copy_groups(findings)
    assert [(g.number, g.members) for g in groups] == [(1, ("a", "b", "c")), (2, ("d", "e"))]
    assert groups[0].links == (("b", "a", "DUP001"), ("c", "b", "REW001"))
    rows = {r["doc_id"]: r for r in groups[0].rows()}
    assert rows["b"] == {"group": 1, "doc_id": "b", "size": 3, "linked": ["a", "c"],
                         "rules": ["DUP001", "REW001"]}
    assert rows["a"]["linked"] == ["b"] and rows["a"]["rules"] == ["DUP001"]
    assert copy_groups([]) == [] and copy_groups([_pair("DUP002", "x", "y")]) == []


def test_connected_components_do_not_depend_on_edge_order():
    rng = random.Random(11)
    # 60 nodes in random chains and stars; the answer is known by construction
    nodes = [f"d{i:02d}" for i in range(60)]
    rng.shuffle(nodes)
    parts, edges, i = [], [], 0
    while i < len(nodes):
        k = rng.randint(2, 7)
        part = nodes[i:i + k]
        i += k
        hub = rng.random() < 0.5
        edges += [(part[0] if hub else part[j - 1], part[j]) for j in range(1, len(part))]
        parts.append(tuple(sorted(part)))
    want = sorted(p for p in parts if len(p) > 1)  # a last part of one node has no edge
    for _ in range(5):
        rng.shuffle(edges)
        flipped = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in edges]
        assert connected_components(flipped) == want
    assert connected_components([("x", "x")]) == [("x",)] and connected_components([]) == []


def test_groups_are_numbered_largest_first_then_by_first_member():
    findings = [_pair("DUP001", "z2", "z1"), _pair("DUP001", "m2", "m1"), _pair("DUP001", "m3", "m2"),
                _pair("DUP001", "a2", "a1")]
    assert [g.members for g in copy_groups(findings)] == [("m1", "m2", "m3"), ("a1", "a2"), ("z1", "z2")]


@pytest.fixture(scope="module")
def copies_batch():
    """Five identical copies of the Shuyang report, one thesaurus-spun copy of it, and the seed
    page's five documents (篇4 a rewrite of 篇1)."""
    text = SHUYANG.read_text(encoding="utf-8")
    docs = [Document(doc_id=f"copy{i}.md", title=f"copy {i}", text=text, path=f"copy{i}.md") for i in range(5)]
    spun = spin(text, thesaurus_table(), rate=0.3, seed=3).text
    docs.append(Document(doc_id="spun.md", title="spun", text=spun, path="spun.md"))
    from summary_analysis import read_documents

    return analyze(docs + read_documents(str(SEED)))


def test_identical_copies_and_a_rewrite_make_one_group(copies_batch):
    dup = [f for f in copies_batch.finding_objects if f.rule == "DUP001"]
    copies = {f"copy{i}.md" for i in range(5)}
    # one finding per pair: the ten pairs of the five copies
    assert {frozenset((f.doc_id, f.related_doc_id)) for f in dup if f.doc_id in copies} == \
        {frozenset(p) for p in combinations(sorted(copies), 2)}
    groups = copies_batch.copy_groups()
    seed = [d for d in copies_batch.documents["doc_id"] if d.startswith("seed")]
    assert groups[0].members == tuple(sorted(copies | {"spun.md"}))
    assert groups[1].members == (seed[0], seed[3])  # 篇1 and its rewrite 篇4
    assert len(groups) == 2
    spun_rules = {r for a, b, r in groups[0].links if "spun.md" in (a, b)}
    assert "REW001" in spun_rules
    df = copies_batch.groups
    assert list(df.columns) == GROUP_COLUMNS and len(df) == 8
    assert set(df.loc[df["group"] == 1, "size"]) == {6}


def test_text_html_json_show_the_groups(copies_batch):
    text = render_text(copies_batch)
    lines = text.splitlines()
    i = lines.index("copy groups (documents linked by near-duplicate DUP001 or rewrite REW001 findings, "
                    "directly or through one another):")
    assert lines[i + 1] == ("  group 1 (6 documents): copy0.md, copy1.md, copy2.md, copy3.md, copy4.md, spun.md")
    assert lines[i + 2].startswith("  group 2 (2 documents): seed-compilation-page.txt#1, ")
    page = render_html(copies_batch, images=False)
    assert "id='sa-groups'" in page and page.count('class="sa-grouprow"') == 2
    data = copies_batch.to_dict()
    assert data["groups"] == copies_batch.group_rows() and len(data["groups"]) == 8


def test_cli_groups_respect_ignore_and_reach_every_format(tmp_path, capsys):
    assert main(["check", str(SEED), "--fail-on", "never"]) == 0
    out = capsys.readouterr().out
    assert "  group 1 (2 documents): seed-compilation-page.txt#1, seed-compilation-page.txt#4" in out
    # the seed pair is linked by REW001 only: ignoring it leaves no group, in every format
    assert main(["check", str(SEED), "--fail-on", "never", "--ignore", "REW001"]) == 0
    assert "copy groups" not in capsys.readouterr().out
    j = tmp_path / "r.json"
    assert main(["check", str(SEED), "--format", "json", "--out", str(j), "--fail-on", "never",
                 "--ignore", "REW001"]) == 0
    assert json.loads(j.read_text(encoding="utf-8"))["groups"] == []
    assert main(["check", str(SEED), "--format", "csv", "--out", str(tmp_path) + "/", "--fail-on", "never"]) == 0
    with open(tmp_path / "groups.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["doc_id"] for r in rows] == ["seed-compilation-page.txt#1", "seed-compilation-page.txt#4"]
    assert rows[0]["linked"] == '["seed-compilation-page.txt#4"]' and rows[0]["rules"] == '["REW001"]'
    x = tmp_path / "r.xlsx"
    assert main(["check", str(CORPUS), "--format", "xlsx", "--out", str(x), "--fail-on", "never"]) == 0
    wb = load_workbook(x)
    assert wb["groups"].max_row == 3 and wb["groups"]["B2"].value == "seed-compilation-page.txt#1"
    # the corpus's README/SOURCES note is skipped, and the sheet says so
    assert wb["skipped"].max_row == 2 and wb["skipped"]["B2"].value
