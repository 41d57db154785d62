"""HTML report and notebook views: structure, escaping, pair highlights (issue 8)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from bs4 import BeautifulSoup

from conftest import CORPUS
from report_synth import SEED1, SEED4, XSS_TEXT, shared_xss_batch

from summary_analysis.report import render_html
from summary_analysis.report.html import SCRIPT, batch_html, marked_text
from summary_analysis.report.views import Mark, document_summary


@pytest.fixture(scope="session")
def synth_batch(corpus_batch):
    """Corpus + a markup-laden document, with DUP002/REW001 evidence made by difflib."""
    return shared_xss_batch(str(CORPUS), corpus_batch)


@pytest.fixture(scope="session")
def synth_html(synth_batch):
    return render_html(synth_batch)


@pytest.fixture(scope="session")
def corpus_html(corpus_batch):
    return render_html(corpus_batch)


def _pair_section(soup, doc_id, related):
    for sec in soup.select("section.sa-pair"):
        if sec.get("data-doc-id") == doc_id and sec.get("data-related-doc-id") == related:
            return sec
    return None


def test_overview_has_one_row_per_document(corpus_batch, corpus_html):
    soup = BeautifulSoup(corpus_html, "html.parser")
    rows = soup.select("#overview tbody tr.sa-docrow")
    assert [r["data-doc-id"] for r in rows] == list(corpus_batch.documents["doc_id"])
    assert len(rows) == 9
    # the family counts of each row add up to the document's findings
    n = corpus_batch.findings.groupby("doc_id").size().to_dict()
    for r in document_summary(corpus_batch):
        assert r["findings"] == n.get(r["doc_id"], 0)
        assert sum(r[f] for f in ("ING", "DUP", "REW", "PLH", "FIG", "SEC")) == r["findings"]


def test_page_is_self_contained(corpus_html):
    soup = BeautifulSoup(corpus_html, "html.parser")
    assert not soup.select("link"), "no external stylesheet"
    for tag in soup.find_all(src=True):
        assert tag["src"].startswith("data:"), tag["src"][:40]
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    assert scripts[0].string == SCRIPT
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "default-src 'none'" in csp


def test_document_text_is_escaped(synth_html):
    soup = BeautifulSoup(synth_html, "html.parser")
    assert len(soup.find_all("script")) == 1
    assert not [i for i in soup.find_all("img") if not i["src"].startswith("data:")]
    assert not soup.find_all("b", string="doc"), "a doc_id's markup must not become an element"
    assert "<script>alert(" not in synth_html and "<img src=x" not in synth_html
    text = soup.get_text()
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=\"document.body.setAttribute('data-xss','1')\">" in text
    assert "evil<b>doc</b>.txt" in text
    # the document's own text round-trips through its <pre> unchanged
    sec = soup.find("section", attrs={"data-doc-id": "evil<b>doc</b>.txt", "class": "sa-doc"})
    assert sec.select_one("pre.sa-doc-text").get_text() == XSS_TEXT


def test_rewrite_pair_view_highlights_substitutions(synth_batch, synth_html):
    soup = BeautifulSoup(synth_html, "html.parser")
    sec = _pair_section(soup, SEED4, SEED1)
    assert sec is not None
    cmp = synth_batch.compare(SEED4, SEED1)
    left = sec.select_one(".sa-side-left pre.sa-text")
    right = sec.select_one(".sa-side-right pre.sa-text")
    # marking never adds or drops a character
    assert left.get_text() == cmp.text and right.get_text() == cmp.related_text
    subs = cmp.substitutions
    repl, orig = set(subs["replacement"]), set(subs["original"])
    left_subs = [m.get_text() for m in left.select("mark.sa-sub")]
    right_subs = [m.get_text() for m in right.select("mark.sa-sub")]
    assert len(left_subs) >= 30 and len(right_subs) >= 30
    assert set(left_subs) <= repl and set(right_subs) <= orig
    assert {"果然", "构造"} <= set(left_subs) and {"公开", "机关"} <= set(right_subs)
    # the 导语 passage is highlighted as the same text on both sides
    lp = "".join(m.get_text() for m in left.select("mark.sa-passage"))
    rp = "".join(m.get_text() for m in right.select("mark.sa-passage"))
    assert len(lp) >= 60 and lp == rp


def test_marks_point_at_the_words(synth_batch):
    cmp = synth_batch.compare(SEED4, SEED1)
    left, right = cmp.marks()
    rew = next(f for f in cmp.findings if f.rule == "REW001")
    for m in left:
        if m.kind == "sub":
            assert rew.span.start <= m.start < m.end <= rew.span.end
            orig, rest = m.title.split(" → ")
            assert cmp.text[m.start:m.end] == rest.rsplit(" ×", 1)[0]
    for m in right:
        if m.kind == "sub":
            assert cmp.related_text[m.start:m.end] == m.title.split(" → ")[0]
    # sub marks never overlap each other
    subs = sorted((m.start, m.end) for m in left if m.kind == "sub")
    assert all(a[1] <= b[0] for a, b in zip(subs, subs[1:]))


def test_compare_reversed_puts_originals_on_the_left(synth_batch):
    cmp = synth_batch.compare(SEED1, SEED4)
    left, right = cmp.marks()
    words = {cmp.text[m.start:m.end] for m in left if m.kind == "sub"}
    assert "公开" in words and "果然" not in words
    assert "<PairComparison" in repr(cmp)
    html = cmp._repr_html_()
    assert f'data-doc-id="{SEED1}"' in html and f'data-related-doc-id="{SEED4}"' in html
    with pytest.raises(KeyError):
        synth_batch.compare(SEED1, "no-such-document")


def test_real_corpus_rewrite_pair_view(corpus_batch, corpus_html):
    """The pipeline's own REW001 on #4 (issue 6) shows in the page with its substitutions."""
    rew = [f for f in corpus_batch.finding_objects if f.rule == "REW001" and f.doc_id == SEED4]
    assert rew and rew[0].related_doc_id == SEED1
    soup = BeautifulSoup(corpus_html, "html.parser")
    sec = _pair_section(soup, SEED4, SEED1)
    assert sec is not None
    assert "REW001" in sec["data-rules"]
    left_subs = [m.get_text() for m in sec.select(".sa-side-left mark.sa-sub")]
    right_subs = [m.get_text() for m in sec.select(".sa-side-right mark.sa-sub")]
    expected = sum(int(s.get("count") or 1) for s in rew[0].evidence["substitutions"])
    assert len(left_subs) >= 30 and len(right_subs) >= 30
    assert len(left_subs) <= expected
    assert any("果然" in w for w in left_subs) and any("德律风" in w for w in left_subs)
    assert sec.select_one(".sa-side-left pre").get_text() == corpus_batch.document(SEED4).text


def test_marked_text_overlaps_and_escaping():
    text = "a<b>c&d\"e'f"
    marks = [Mark(0, 5, "passage", "p"), Mark(3, 7, "sub", "x → <y>", "k")]
    out = marked_text(text, marks)
    soup = BeautifulSoup(f"<pre>{out}</pre>", "html.parser")
    assert soup.get_text() == text
    both = [m for m in soup.select("mark") if "sa-sub" in m["class"] and "sa-passage" in m["class"]]
    assert [m.get_text() for m in both] == [text[3:5]]
    assert soup.select_one("mark.sa-sub")["title"].startswith("x → <y>")
    assert not soup.find("b")


def test_lang_zh_headers(synth_batch):
    html = render_html(synth_batch, lang="zh", images=False)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "zh-CN"
    heads = [th.get_text() for th in soup.select("#overview thead th")]
    assert heads[:5] == ["文档", "标题", "文档类型", "年度", "完整度"]
    # session-11 fresh-user test: the count line and the severity cells stayed English
    counts = soup.select_one("div.sa-report > p").get_text()
    assert "（读入 " in counts and "共 " in counts and " read," not in counts and "findings:" not in counts
    cells = {td.get_text() for td in soup.select("#overview td[class^=sa-sev-]")}
    assert cells and cells <= {"错误", "警告", "提示"}
    skipped = [li.get_text() for li in soup.select("#sa-skipped + ul li")]
    assert skipped == [str(CORPUS / "SOURCES.md") + "：说明文件（README/SOURCES），不是报告"]
    view = BeautifulSoup(batch_html(synth_batch, lang="zh"), "html.parser").select_one("div.sa-batch-view > div")
    assert view.get_text().startswith("本批次：10 篇文档，") and "skipped" not in view.get_text()
    # the session-15 fresh-user test: title, tooltips, pair scores, severities, change kinds,
    # document details and True/False were still English
    assert re.fullmatch(r"10 篇文档，\d+ 个问题", soup.title.get_text())
    tips = [m["title"] for m in soup.select("mark[title]")]
    assert tips and not [t for t in tips if re.search(r"passage|aligned sentence|characters|unfilled", t)]
    assert any("对齐句" in t or "相同段落" in t for t in tips) and any("模板字段未填写" in t for t in tips)
    scores = [d.get_text() for d in soup.select("section.sa-pair > div.sa-small") if "Jaccard" in d.get_text()]
    assert scores and all("判定：" in t and "verdict" not in t for t in scores)
    assert not re.search(r"\[(error|warning|info)\]", soup.get_text())
    assert not re.search(r"\b(wording|name|figure|issuer|year): ", " ".join(
        d.get_text() for d in soup.select("div.sa-small")))
    details = [d.get_text() for d in soup.select("section.sa-doc > div.sa-small")]
    assert details and all(" chars" not in t and "completeness" not in t for t in details)
    assert any(" 字" in t for t in details)
    cells = {td.get_text() for td in soup.select("table.sa-figures td")}
    assert "否" in cells and "True" not in cells and "False" not in cells
    with pytest.raises(ValueError):
        render_html(synth_batch, lang="fr")


def test_notebook_reprs(synth_batch):
    html = synth_batch._repr_html_()
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("#overview tbody tr.sa-docrow")) == len(synth_batch.documents)
    rew = next(f for f in synth_batch.finding_objects if f.rule == "REW001" and f.doc_id == SEED4)
    fsoup = BeautifulSoup(rew._repr_html_(), "html.parser")
    rows = fsoup.select("table.sa-subs tbody tr")
    assert len(rows) == len(rew.evidence["substitutions"])
    evil = [f for f in synth_batch.finding_objects if f.doc_id.startswith("evil")]
    for f in evil:
        s = BeautifulSoup(f._repr_html_(), "html.parser")
        assert not s.find("script") and not s.find("img")
        assert f.message in s.get_text()


def test_heatmap_embedded_when_pairs_scored(synth_html):
    soup = BeautifulSoup(synth_html, "html.parser")
    img = soup.select_one("img.sa-heatmap")
    assert img is not None
    png = base64.b64decode(img["src"].split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert w > 300 and h > 300
    assert re.search(r"Copies and rewrites \(\d+\)", soup.get_text())


def test_per_document_outline_figures_checklist(synth_batch, synth_html):
    soup = BeautifulSoup(synth_html, "html.parser")
    secs = {s["data-doc-id"]: s for s in soup.select("section.sa-doc")}
    assert list(secs) == list(synth_batch.documents["doc_id"])
    sections, figures, checklist = synth_batch.sections, synth_batch.figures, synth_batch.checklist
    for doc_id, sec in secs.items():
        items = sec.select("ul.sa-outline li")
        want = sections[sections["doc_id"] == doc_id]
        assert [li.get_text().split(" (")[0] for li in items] == [f"{n} {t}" for n, t in zip(want["number"], want["title"])]
        assert len(sec.select("table.sa-figures tbody tr")) == int((figures["doc_id"] == doc_id).sum())
        rows = sec.select("table.sa-checklist tbody tr")
        mine = checklist[checklist["doc_id"] == doc_id]
        assert [r.select("td")[2].get_text() for r in rows] == list(mine["status"])
    assert len(secs["seed-compilation-page.txt#2"].select("ul.sa-outline li")) >= 6


def test_overview_lists_the_files_that_gave_no_document(tmp_path):
    """Session 11: the overview had one row per document only; a file that gave none (here an
    unsupported type and a whitespace-only file) is listed too, unlinked, with its ING rule."""
    from summary_analysis import analyze

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.xyz").write_text("某局", encoding="utf-8")
    (folder / "b.txt").write_text("\n \n", encoding="utf-8")
    (folder / "seed.txt").write_text((CORPUS / "seed-compilation-page.txt").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    batch = analyze([str(folder)])
    soup = BeautifulSoup(render_html(batch, images=False), "html.parser")
    assert len(soup.select("#overview tbody tr.sa-docrow")) == len(batch.documents) == 5
    unread = soup.select("#overview tbody tr.sa-unreadrow")
    assert [r["data-doc-id"] for r in unread] == ["a.xyz", "b.txt"]
    assert [c.get_text() for c in unread[0].select("td")][:2] == ["a.xyz", "not read (ING002)"]
    assert not unread[0].select("a") and unread[0].select("td")[-1].get_text() == "error"
    # the notebook view too
    nb = BeautifulSoup(batch._repr_html_(), "html.parser")
    assert [r["data-doc-id"] for r in nb.select("tr.sa-unreadrow")] == ["a.xyz", "b.txt"]



def test_changed_years_and_figures_are_marked_where_they_changed_only(tmp_path):
    """Found by the session-13 fresh-user test: the pair view marked every occurrence of a
    changed value (13 marks for 2025 ↔ 2024 where two years changed; the 31 of 12月31日 as
    the figure 31 ↔ 41). The differences now carry the spans of each change."""
    from summary_analysis import analyze

    original = (CORPUS / "shuyang-county-2025-annual-report.md").read_text(encoding="utf-8")
    lines = original.split("\n")
    lines[9] = lines[9].replace("2025年", "2024年", 1)
    lines[25] = lines[25].replace("结转下一年 31 件", "结转下一年 41 件")
    (tmp_path / "a.md").write_text(original, encoding="utf-8")
    (tmp_path / "b.md").write_text("\n".join(lines), encoding="utf-8")
    batch = analyze([str(tmp_path)])
    cmp = batch.compare("b.md", "a.md")
    left, right = cmp.marks()
    b_text = cmp.text
    changed_year = b_text.index("2024年，我县坚持以习近平")
    changed_figure = b_text.index("结转下一年 41 件") + len("结转下一年 ")
    diffs = sorted((m.start, m.end, m.title) for m in left if m.kind == "diff")
    assert diffs == [(changed_year, changed_year + 4, "year: 2024 ↔ 2025"),
                     (changed_figure, changed_figure + 2, "figure: 41 ↔ 31")]
    assert [cmp.related_text[m.start:m.end] for m in sorted(right, key=lambda m: m.start) if m.kind == "diff"] == \
        ["2025", "31"]
