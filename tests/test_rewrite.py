"""Rewrite check (REW001 paired, REW002 reference-free) on the real corpus."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import needs_rjieba
from summary_analysis.rewrite import compare, detect_paired_rewrites, implausible_wording
from summary_analysis.segment import segment


@pytest.fixture(scope="session")
def corpus_docs():
    from conftest import CORPUS

    from summary_analysis import read_documents

    return {d.doc_id: d for d in read_documents(str(CORPUS))}


@pytest.fixture(scope="session")
def corpus_tokens(corpus_docs):
    return {k: segment(d.text) for k, d in corpus_docs.items()}


@pytest.fixture(scope="session")
def seed_rewrite(corpus_docs, corpus_tokens):
    ids = sorted(corpus_docs)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    return detect_paired_rewrites(corpus_docs, corpus_tokens, pairs)


def _id(n: int) -> str:
    return f"seed-compilation-page.txt#{n}"


def test_seed4_is_rewrite_of_seed1(seed_rewrite, corpus_docs):
    assert [(f.rule, f.doc_id, f.related_doc_id) for f in seed_rewrite] == [("REW001", _id(4), _id(1))]
    f = seed_rewrite[0]
    assert f.severity == "error"
    subs = f.evidence["substitutions"]
    pairs = {(s["original"], s["replacement"]) for s in subs}
    cores = pairs | {(s["changed_original"], s["changed_replacement"]) for s in subs}
    assert len(pairs) >= 30
    for pair in [("公开", "果然"), ("电话", "德律风"), ("领导", "带领"), ("机关", "构造"), ("建设", "构筑")]:
        assert pair in cores, pair
    # 政务公开 is one token of the domain dictionary: aligned as a whole, core inside it
    s = next(s for s in subs if s["original"] == "政务公开")
    assert s["replacement"] == "政务果然" and s["changed_original"] == "公开" and s["count"] >= 5
    # spans in both documents: the replacement in #4, the original in #1
    t4, t1 = corpus_docs[_id(4)].text, corpus_docs[_id(1)].text
    for s in subs:
        assert s["count"] == len(s["occurrences"])
        for occ in s["occurrences"]:
            assert t4[occ["span"][0]:occ["span"][1]] == s["replacement"]
            assert t1[occ["related_span"][0]:occ["related_span"][1]] == s["original"]
    a, b = f.evidence["related_span"]
    assert 0 <= a < b <= len(t1)
    assert f.span.start < f.span.end <= len(t4)
    # most frequent substitution first
    assert subs[0]["count"] == max(s["count"] for s in subs)


# The pairs ../shared/spec/seed-page.md lists for 篇4 against 篇1 ("the substitutions include").
SPEC_PAIRS = ("公开→果然 建设→构筑 机关→构造 领导→带领 重要→紧张 不断→连续 完善→美满 问题→题目 电话→德律风 "
              "接待→欢迎 服务→办事 群众→大众 充分→富裕 深化→强化 规范→典范 发展→成长 稳定→巩固 政府→当局 "
              "部署→安排 设立→建立 成立→建立 定期→按期 注重→珍视 协调→和谐 研究→探讨 意见建议→定见发起 "
              "通过→经过议定 负责→当真 以人为本→以工钱本 利益→长处 形式→式样 安全→安定 作用→效用 条件→前提 "
              "违反→违背 严格→严厉").split()


def test_seed4_evidence_has_the_spec_pairs(seed_rewrite):
    """Every pair of the spec's list is in the evidence (an original containing the spec's
    original, a replacement containing its replacement). Four of them stand where neighbouring
    words were spun too (坚持以人为本 / 坚定以工钱本), in replace blocks too long for word
    substitutions that split_block cuts into pieces; three are in the respun paragraph that
    follows its verbatim copy (align_past_verbatim)."""
    subs = seed_rewrite[0].evidence["substitutions"]
    missing = [p for p in SPEC_PAIRS
               if not any(p.split("→")[0] in s["original"] and p.split("→")[1] in s["replacement"] for s in subs)]
    assert missing == []
    # from the respun first paragraph, which follows a verbatim copy of it (the 导语): the
    # verbatim sentences no longer take its source sentences (align_past_verbatim)
    for original, replacement in [("政府", "当局"), ("发展", "成长"), ("稳定", "巩固"), ("围绕", "环绕")]:
        assert any(original in s["original"] and replacement in s["replacement"] for s in subs), original


def test_word_pairs_break_substitutions_down_to_the_words_swapped(seed_rewrite):
    """Found by the session-11 fresh-user test: with 政务公开 and 政府信息公开 in the domain
    dictionary, a spun copy's substitutions read 政府信息公开→政府讯号果然 ×11, 信息公开→讯号果然
    ×9, …, and the six words the spinner swapped were nowhere counted. evidence.word_pairs
    gives them, summed over the substitutions (the seed-page spec: 公开→果然, 电话→德律风,
    意见建议→定见发起)."""
    from summary_analysis.rewrite.align import word_pairs
    from summary_analysis.segment import cut

    assert word_pairs("政府信息公开", "政府讯号果然", cut) == [("信息", "讯号"), ("公开", "果然")]
    assert word_pairs("深化政务公开", "强化政务果然", cut) == [("深化", "强化"), ("公开", "果然")]
    assert word_pairs("热线电话", "热线德律风", cut) == [("电话", "德律风")]
    assert word_pairs("以", "以外", cut) == []  # a word added: no swap
    pairs = {(w["original"], w["replacement"]): w["count"] for w in seed_rewrite[0].evidence["word_pairs"]}
    subs = seed_rewrite[0].evidence["substitutions"]
    assert pairs[("公开", "果然")] == sum(s["count"] for s in subs if "公开" in s["original"]
                                          and "果然" in s["replacement"]) == 22
    assert {("电话", "德律风"), ("意见", "定见"), ("建议", "发起"), ("领导", "带领")} <= set(pairs)


@needs_rjieba
def test_word_pairs_do_not_load_a_second_segmenter():
    """Found in session 11's final review: word pairs cut their strings with the default
    backend, so a run with the fast one loaded jieba's dictionary as well (about 1 s and 100 MB
    more in each worker; seen as 223-237 MB workers in the benchmark). A fresh process runs the
    fast backend only."""
    import os
    import subprocess
    import sys

    from conftest import SEED

    code = ("from summary_analysis import analyze, read_documents, segment\n"
            f"docs = read_documents({str(SEED)!r})\n"
            "b = analyze([docs[0], docs[3]], segmenter='fast')\n"
            "rew = [f for f in b.finding_objects if f.rule == 'REW001']\n"
            "print(segment._jieba_seg is None, segment._fast is not None, rew[0].evidence['word_pairs'][0]['original'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "SUMMARY_ANALYSIS_SEGMENTER": ""})
    assert out.stdout.split() == ["True", "True", "公开"], out.stderr[-2000:]


def test_word_pairs_of_a_copy_spun_with_a_word_list(corpus_docs):
    """The fresh-user case, made by code: Shuyang's report with 信息, 工作, 公开 swapped
    everywhere (as sed does): each swap is one word pair, counted over the whole text."""
    from summary_analysis.document import Document

    src = corpus_docs["shuyang-county-2025-annual-report.md"]
    swaps = {"信息": "讯号", "工作": "活计", "公开": "果然"}
    text = src.text
    for o, r in swaps.items():
        text = text.replace(o, r)
    spun = Document("spun.md", src.title, text, "spun.md")
    docs = {src.doc_id: src, "spun.md": spun}
    found = detect_paired_rewrites(docs, {d: segment(docs[d].text) for d in docs}, [(src.doc_id, "spun.md")])
    assert [f.rule for f in found] == ["REW001"]
    pairs = {(w["original"], w["replacement"]): w["count"] for w in found[0].evidence["word_pairs"]}
    for o, r in swaps.items():
        assert pairs.get((o, r), 0) >= 0.5 * src.text.count(o), (o, pairs.get((o, r)), src.text.count(o))
    top = sorted(pairs, key=pairs.get, reverse=True)[:3]
    assert set(top) == set(swaps.items())


def test_reference_free_guesses_keep_the_word_length(corpus_docs):
    """Found by the session-11 fresh-user test: on a copy with 信息→讯号 swapped everywhere (no
    original survives in the document), REW002 read "'讯号' (likely '已')" and likely 门户网站:
    fillers of the same frame elsewhere, of another length. A frame's guess is shown only when it
    has the flagged word's length (a spinner swaps a word for one of its length; fingerprints
    such as 德律风 → 电话 keep theirs)."""
    src = corpus_docs["shuyang-county-2025-annual-report.md"]
    text = src.text.replace("信息", "讯号").replace("工作", "活计").replace("公开", "果然")
    found = implausible_wording(replace(src, doc_id="spun.md", text=text), segment(text))
    phrases = [f for f in found if f.span is not None]
    assert len(phrases) >= 10
    framed = [f for f in phrases if f.evidence["signal"] in ("slot", "register", "dictionary-frame")]
    assert framed and all(f.evidence["likely_original"] is None
                          or len(f.evidence["likely_original"]) == len(f.evidence["word"]) for f in framed)
    assert "(likely '已')" not in " ".join(f.message for f in phrases)


def test_rewrite_differences_use_the_copy_findings_kinds(seed_rewrite):
    """Found by the session-11 fresh-user and hostile-input tests: REW001's differences called
    every non-synonym edit ``name`` (东西→对象, ，→,) and had no count, where the DUP findings
    say wording, year, issuer with counts."""
    from summary_analysis.rewrite.paired import _difference_kind

    diffs = seed_rewrite[0].evidence["differences"]
    assert {"kind": "wording", "text": "东西", "related_text": "对象", "count": 1} in diffs
    assert {d["kind"] for d in diffs} == {"wording"}
    assert [_difference_kind(a, b) for a, b in [(",", "，"), ("2024", "2025"), ("12", "13"), ("××", "某"),
                                               ("泗阳", "沭阳"), ("讯息", "信息")]] == \
        ["punctuation", "year", "figure", "placeholder", "name", "wording"]


def test_pieces_of_long_blocks_are_evidence_not_counted(corpus_docs, corpus_tokens):
    """Pieces cut from long replace blocks are in the evidence but not in the pairs that decide
    (counting them doubled REW001 on pairs of reports written from the same stock sentences)."""
    c = compare(corpus_docs[_id(4)], corpus_tokens[_id(4)], corpus_docs[_id(1)], corpus_tokens[_id(1)])
    assert c.counted_pairs < set(c.substitutions)
    assert ("以人为本", "以工钱本") in c.substitutions and ("以人为本", "以工钱本") not in c.counted_pairs
    assert ("热线电话", "热线德律风") in c.counted_pairs


def test_a_verbatim_lead_does_not_hide_the_respun_paragraph(corpus_docs):
    """A spun copy of a real report that opens with its first paragraphs verbatim (a 导语), then
    the whole text spun: the spun opening aligns with the source's opening, so its substitutions
    are evidence, and the verbatim lead is left to the copy stage."""
    from spinners import spin, thesaurus_table

    from summary_analysis.document import Document
    from summary_analysis.rewrite.paired import align_past_verbatim
    from summary_analysis.rewrite.align import align_sentences

    source = corpus_docs["shuyang-county-2025-annual-report.md"]
    paras = [p for p in source.text.split("\n") if p.strip()]
    lead = "\n".join(paras[1:4])
    spun = spin(source.text, thesaurus_table(), rate=0.3, seed=8)
    text = "导语：" + lead + "\n" + spun.text
    copy = Document(doc_id="copy", title="copy", text=text, path="copy")
    plain = align_sentences(copy.text, source.text)
    past = align_past_verbatim(copy.text, source.text)
    lead_end = len("导语：" + lead)
    # the plain alignment gives the lead's source sentences to the verbatim lead ...
    assert any(p.a.span[1] <= lead_end and p.ratio >= 0.98 for p in plain)
    # ... and leaves the spun copies of those sentences without a partner; here they have one
    lead_sources = {p.b.span for p in plain if p.a.span[1] <= lead_end and p.ratio >= 0.98}
    repaired = [p for p in past if p.b.span in lead_sources]
    assert repaired and all(p.a.span[0] >= lead_end for p in repaired)
    assert len({p.a.span for p in past}) == len(past) == len({p.b.span for p in past})  # one-to-one
    # the substitutions found in those sentences are the spinner's own changes
    offset = len("导语：" + lead + "\n")
    changed = [(offset + start, offset + end) for start, end, _, _ in spun.changes]
    out = compare(copy, segment(copy.text), source, segment(source.text))
    inside = [span_a for occurrences in out.substitutions.values() for span_a, _ in occurrences
              if any(s <= span_a[0] and span_a[1] <= e for s, e in (p.a.span for p in repaired))]
    assert len(inside) >= 3
    assert all(any(a < span[1] and span[0] < b for a, b in changed) for span in inside)


def test_no_other_pair_is_a_rewrite(corpus_docs, corpus_tokens):
    """#2 and #5 share the statutory shape and stock phrases; the real reports share the format:
    none of that is a rewrite."""
    ids = sorted(k for k in corpus_docs if not k.endswith("#4"))
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    assert detect_paired_rewrites(corpus_docs, corpus_tokens, pairs) == []


def test_copy_with_names_and_figures_changed_is_not_rewrite(corpus_docs, corpus_tokens):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from spinners import change_names_figures

    from summary_analysis.document import Document

    src = corpus_docs[_id(5)]
    copy = Document("copy", src.title, change_names_figures(src.text, seed=3), "copy")
    assert copy.text != src.text
    docs = {src.doc_id: src, "copy": copy}
    toks = {src.doc_id: corpus_tokens[src.doc_id], "copy": segment(copy.text)}
    assert detect_paired_rewrites(docs, toks, [(src.doc_id, "copy")]) == []
    c = compare(copy, toks["copy"], src, toks[src.doc_id])
    assert len(c.aligned) >= 10
    assert any(d["kind"] == "figure" for d in c.differences)


def test_bad_candidates_are_skipped(corpus_docs, corpus_tokens):
    assert detect_paired_rewrites(corpus_docs, corpus_tokens, [("nope", _id(1)), (_id(1), _id(1))]) == []
    # tokens missing for a document: segmented on the fly
    docs = {k: corpus_docs[k] for k in (_id(1), _id(4))}
    out = detect_paired_rewrites(docs, {}, [(_id(1), _id(4))])
    assert [f.doc_id for f in out] == [_id(4)]


def test_seed4_alone_reference_free(corpus_docs, corpus_tokens):
    doc = corpus_docs[_id(4)]
    out = implausible_wording(doc, corpus_tokens[_id(4)])
    assert all(f.rule == "REW002" and f.severity == "warning" for f in out)
    docf = [f for f in out if f.span is None]
    assert len(docf) == 1
    assert docf[0].evidence["verdict"] == "machine-rewritten"
    assert 0 < docf[0].evidence["density"] <= 1
    phrases = [f for f in out if f.span is not None]
    texts = {doc.text[f.span.start:f.span.end] for f in phrases}
    for needle in ["政务果然", "德律风", "以工钱本", "经过议定", "定见发起"]:
        assert any(needle in t for t in texts), needle
    for f in phrases:
        assert doc.text[f.span.start:f.span.end] == f.message.split("'")[1]
        assert 0 < f.evidence["score"] <= 1
        assert "likely_original" in f.evidence
    by_text = {doc.text[f.span.start:f.span.end]: f.evidence["likely_original"] for f in phrases}
    assert by_text["以工钱本"] == "以人为本"
    assert by_text["德律风"] == "电话"
    assert by_text["政务果然"] == "公开"
    # found by the session-12 first-use test: "plus 13 weaker out-of-register words counted"
    # named none of them; the evidence lists them, with their spans, and the message the first
    weak = docf[0].evidence["weak_words"]
    assert sum(w["count"] for w in weak) == docf[0].evidence["weak_phrases"] == 13
    assert [w["count"] for w in weak] == sorted((w["count"] for w in weak), reverse=True)
    for w in weak:
        assert len(w["spans"]) == w["count"]
        # on the word itself, not its phrase (found by the session-16 fresh-user test: the
        # span of 效用 sliced to 的效用)
        assert all(doc.text[a:b] == w["word"] for a, b in w["spans"])
    assert f"({weak[0]['word']} ×{weak[0]['count']}, " in docf[0].message


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_no_rewrite_finding_on_clean_seeds(corpus_docs, corpus_tokens, n):
    assert implausible_wording(corpus_docs[_id(n)], corpus_tokens[_id(n)]) == []


def test_no_rewrite_finding_on_real_reports(corpus_docs, corpus_tokens):
    real = [k for k in corpus_docs if "seed" not in k]
    assert len(real) == 4
    for k in real:
        assert implausible_wording(corpus_docs[k], corpus_tokens[k]) == [], k


def test_ordinary_words_that_spinners_also_write_do_not_condemn_a_real_report(corpus_docs):
    """Found by the findings audit (session 8): the real Huaian report plus four ordinary
    sentences whose words (按期, 典范, 大众, 连续) are also the replacements of word fingerprints.
    Five such words used to decide "machine-rewritten" whatever the density (0.46 %, a third of
    the threshold); only phrase fingerprints (德律风, 以工钱本) take that shortcut now."""
    from summary_analysis.document import Document
    from summary_analysis.rewrite.plausibility import MIN_DENSITY, default_model

    huaian = corpus_docs["huaian-city-2024-annual-report.pdf"]
    extra = ("对不按期整改的单位进行通报批评。努力打造政务公开工作典范。"
             "自觉接受社会大众监督，让大众看得懂、用得上。各部门连续加强值守，确保假期平稳。")
    doc = Document(doc_id="huaian+", title=huaian.title, text=huaian.text + "\n" + extra, path="huaian+")
    a = default_model().assess(doc.text, segment(doc.text))
    assert len(a.reported) >= 4 and a.density < MIN_DENSITY / 2  # the words are seen, sparsely
    assert a.verdict == "plausible" and a.strong == 0
    assert implausible_wording(doc, segment(doc.text)) == []
    # 篇4 keeps its verdict on both counts: dense, and with phrase fingerprints
    seed4 = corpus_docs[_id(4)]
    b = default_model().assess(seed4.text, segment(seed4.text))
    assert b.verdict == "machine-rewritten" and b.density >= MIN_DENSITY and b.strong >= 3


def test_pipeline_reports_rew002_on_seed4_only(corpus_batch):
    f = corpus_batch.findings
    rew = f[f["rule"].str.startswith("REW")]
    assert set(rew["doc_id"]) <= {_id(4)}
    assert (rew["rule"] == "REW002").any()


def test_seed4_alone_in_a_batch(corpus_docs):
    """#1 left out of the batch: #4 still gets REW002 (and no REW001)."""
    from summary_analysis import analyze

    batch = analyze([corpus_docs[_id(4)]])
    f = batch.findings
    rew = f[f["rule"].str.startswith("REW")]
    assert set(rew["rule"]) == {"REW002"}
    doc_level = rew[rew["span"].isna()]
    assert len(doc_level) == 1
    assert doc_level.iloc[0]["evidence"]["verdict"] == "machine-rewritten"
    text = corpus_docs[_id(4)].text
    spans = [text[s[0]:s[1]] for s in rew["span"] if s is not None]
    for needle in ["政务果然", "德律风", "以工钱本", "经过议定"]:
        assert any(needle in t for t in spans), needle


@pytest.mark.parametrize("text", ["", "abc 123", "。。。\n\n", "德律风"])
def test_odd_input_gives_no_traceback(text):
    from summary_analysis.document import Document

    doc = Document("odd", "", text, "odd")
    assert implausible_wording(doc, segment(text)) == []
    other = Document("other", "", text + "。", "other")
    assert detect_paired_rewrites({"odd": doc, "other": other}, {}, [("odd", "other")]) == []


def test_seed4_document_count_matches_phrase_findings(corpus_docs, corpus_tokens):
    """The document-level REW002 counts exactly the phrase findings it lists (tester bug: the
    message said 71 phrases with 53 listed; the weaker out-of-register words are counted apart)."""
    doc = corpus_docs[_id(4)]
    out = implausible_wording(doc, corpus_tokens[_id(4)])
    phrases = [f for f in out if f.span is not None]
    docf = [f for f in out if f.span is None][0]
    assert docf.evidence["phrases"] == len(phrases) == docf.evidence["reported_phrases"]
    assert f"{len(phrases)} implausible phrases listed" in docf.message
    weak = docf.evidence["weak_phrases"]
    assert weak >= 0
    assert (f"plus {weak} weaker" in docf.message) == (weak > 0)


def test_seed4_words_kept_from_the_original_are_not_listed(corpus_docs, corpus_tokens):
    """督查 and 测评 stand unchanged in the original #1; they must not be listed with a
    reconstructed 'likely original' (before: 督查 -> 带领, itself a spun word; 测评 -> 人员)."""
    assert "督查" in corpus_docs[_id(1)].text and "工作测评" in corpus_docs[_id(1)].text
    doc = corpus_docs[_id(4)]
    out = implausible_wording(doc, corpus_tokens[_id(4)])
    words = {f.evidence["word"] for f in out if f.span is not None}
    assert "督查" not in words and "测评" not in words
    originals = {f.evidence["likely_original"] for f in out if f.span is not None}
    assert "带领" not in originals


TESTER_SENTENCE = "街道成立工作督查小组，强化工作测评和考核，人大代表按期接待选民，让大众满意。"


def _padded_clean_report(seed: int) -> str:
    """Sentences of the clean seeds #1/#2/#3/#5 in a seeded order, to the length of seed #1,
    with the tester's sentence of ordinary official wording in the middle."""
    import random
    import re

    from conftest import CORPUS

    from summary_analysis import read_documents

    docs = {d.doc_id: d for d in read_documents(str(CORPUS / "seed-compilation-page.txt"))}
    sentences = sorted({s.strip() + "。" for n in (1, 2, 3, 5)
                        for s in re.split(r"[。\n]", docs[_id(n)].text) if len(s.strip()) >= 8})
    rng = random.Random(seed)
    rng.shuffle(sentences)
    target = len(docs[_id(1)].text)
    body: list[str] = []
    while sum(map(len, body)) < target and sentences:
        body.append(sentences.pop())
    body.insert(len(body) // 2, TESTER_SENTENCE)
    return "".join(body)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_ordinary_official_wording_is_not_machine_rewritten(seed):
    """Tester's clean sentence (督查小组, 工作测评, 人大代表按期): no document-level verdict,
    and none of these words is listed with a nonsense 'likely original'."""
    from summary_analysis.document import Document

    from summary_analysis.rewrite.plausibility import default_model

    text = _padded_clean_report(seed)
    assert TESTER_SENTENCE in text
    doc = Document("clean", "", text, "clean")
    toks = segment(text)
    assert default_model().assess(text, toks).verdict != "machine-rewritten"
    out = implausible_wording(doc, toks)
    assert not any(f.span is None and f.evidence["verdict"] == "machine-rewritten" for f in out)
    assert not any(f.span is not None and f.evidence["word"] in {"督查", "测评", "按期"} for f in out)


def test_frequent_substitute_found_by_the_documents_own_frame(corpus_docs):
    """A substitute too frequent for the register signal (敞开 653 in jieba, 官府 1197) is still
    listed where the original survives in the same character frame elsewhere in the document,
    with that original as likely_original; the previous detector (frequent_slot=False) missed it."""
    import sys

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "tests"))
    from spinners import DISJOINT_TABLE, spin

    from summary_analysis.rewrite import PlausibilityModel
    from summary_analysis.rewrite.plausibility import default_model

    text = corpus_docs[_id(1)].text
    table = {k: v for k, v in DISJOINT_TABLE.items() if k in ("政府", "公开")}
    s = spin(text, table, 0.3, seed=1)
    toks = segment(s.text)
    changed = {(st, en) for st, en, _o, _r in s.changes}
    found = [p for p in default_model().assess(s.text, toks).reported if p.word in ("敞开", "官府")]
    assert found
    for p in found:
        assert s.text[p.span[0]:p.span[1]] == p.text
        assert p.signal == "slot" and p.likely_original == {"敞开": "公开", "官府": "政府"}[p.word]
        assert any(st < p.span[1] and p.span[0] < en for st, en in changed)
    old = PlausibilityModel(frequent_slot=False).assess(s.text, toks)
    assert not [p for p in old.phrases if p.word in ("敞开", "官府")]


# -- sentence order: stock sentences in scattered places are not a rewrite ----------------------

_STOCK_SUBJECTS = ["我局", "我县", "我区", "本机关", "我单位", "我委", "各科室", "办公室"]
_STOCK_ADVERBS = ["进一步", "持续", "不断", "认真", "全面", "扎实", "深入", "切实", "积极", "稳步"]
_STOCK_ACTIONS = ["完善政府信息公开工作机制", "加强政务公开标准化规范化建设", "推进重点领域信息公开",
                  "规范依申请公开办理流程", "提升政府网站信息发布质量", "强化政策解读和回应关切",
                  "优化政务新媒体运营管理", "健全信息发布审核制度", "加大基层政务公开力度", "拓展政民互动渠道"]
_STOCK_PURPOSES = ["切实保障人民群众的知情权、参与权和监督权", "让权力在阳光下运行", "不断提升政府公信力",
                   "更好地服务经济社会发展", "增强公开实效", "回应社会关切"]


def _stock_report(rng, sentences: int = 40, per_paragraph: int = 4) -> str:
    """A report written from a small pool of stock sentences with slots (as many offices write),
    in an order of its own, ``per_paragraph`` sentences a line: seeded, never a copy of another
    report."""
    out = []
    for _ in range(sentences):
        out.append(f"{rng.choice(_STOCK_SUBJECTS)}{rng.choice(_STOCK_ADVERBS)}{rng.choice(_STOCK_ACTIONS)}，"
                   f"{rng.choice(_STOCK_PURPOSES)}。")
    return "\n".join("".join(out[i:i + per_paragraph]) for i in range(0, len(out), per_paragraph))


def test_reports_from_the_same_stock_sentences_are_not_rewrites():
    """Independent reports from one pool of stock sentences align many sentences, but in
    scattered order and with slot words (我局/我县, 进一步/持续) differing: not a rewrite. Before the
    order rule, pairs like these got REW001 (27 pairs in a batch of 300 generated reports)."""
    import random

    from summary_analysis.document import Document

    rng = random.Random(2026)
    docs = {f"stock{i}": Document(doc_id=f"stock{i}", title="", text=_stock_report(rng), path="")
            for i in range(6)}
    toks = {k: segment(d.text) for k, d in docs.items()}
    ids = sorted(docs)
    pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1:]]
    assert detect_paired_rewrites(docs, toks, pairs) == []


@pytest.mark.parametrize("doc_id", ["shanghai-office-2025-annual-report-pdf-extract.txt",
                                    "shuyang-county-2025-annual-report.md", _id(2), _id(5)])
def test_rewrite_with_paragraphs_shuffled_is_found(corpus_docs, doc_id):
    """A spun copy of a real report whose paragraphs were also shuffled (seeded): the blocks that
    moved as a whole still count (moved_blocks), so REW001 names the source. The longest in-order
    chain alone kept 19-31 of the real reports' aligned sentences, too few: no finding for the
    Shanghai and Shuyang reports with any of four seeds."""
    from spinners import shuffle_paragraphs, spin, thesaurus_table

    from summary_analysis.document import Document

    src = corpus_docs[doc_id]
    for seed in range(2):
        text = shuffle_paragraphs(spin(src.text, thesaurus_table(), 0.3, seed=seed).text, seed=seed)
        docs = {"src": src, "spun": Document(doc_id="spun", title="", text=text, path="")}
        toks = {k: segment(d.text) for k, d in docs.items()}
        found = detect_paired_rewrites(docs, toks, [("spun", "src")])
        assert [(f.doc_id, f.related_doc_id) for f in found] == [("spun", "src")], seed
        assert found[0].evidence["aligned_sentences"] >= 20


def _pairs_at(order_b: list[int]):
    """SentencePairs whose first-document positions are 0, 1, 2, … and second-document
    positions are ``order_b`` (sentence k of a aligned with sentence order_b[k] of b)."""
    from summary_analysis.rewrite.align import Sentence, SentencePair

    return [SentencePair(Sentence((10 * k, 10 * k + 9), "a"), Sentence((10 * j, 10 * j + 9), "b"), 0.9)
            for k, j in enumerate(order_b)]


def test_moved_blocks_keeps_runs_wherever_they_stand():
    """Paragraphs (3, 4, 5) and (0, 1, 2) swapped, the last two sentences (6, 7) swapped too: the
    two runs are the moved blocks; sentences aligned with nothing between two neighbours of a
    run do not break it (ranks among the aligned sentences)."""
    from summary_analysis.rewrite.paired import moved_blocks

    def starts(runs):
        return [[p.b.span[0] // 10 for p in run] for run in runs]

    assert starts(moved_blocks(_pairs_at([3, 4, 5, 0, 1, 2, 7, 6]))) == [[3, 4, 5], [0, 1, 2]]
    assert starts(moved_blocks(_pairs_at([20, 23, 27, 5, 8]))) == [[20, 23, 27], [5, 8]]
    assert moved_blocks([]) == [] and moved_blocks(_pairs_at([0])) == []


def test_moved_blocks_count_when_they_keep_enough_neighbours():
    """Three paragraphs of three sentences in another order keep 6 neighbours (2 per paragraph):
    every sentence counts. Paragraphs of three and four sentences around a lone one keep 5:
    only the longest in-order chain does."""
    from summary_analysis.rewrite.paired import in_order, kept_alignments

    three = _pairs_at([6, 7, 8, 0, 1, 2, 3, 4, 5])
    assert kept_alignments(three) == three
    five = _pairs_at([5, 6, 7, 4, 0, 1, 2, 3])  # runs (5, 6, 7) and (0, 1, 2, 3): 2 + 3 neighbours
    assert kept_alignments(five) == in_order(five) != five


def test_moved_blocks_never_count_in_a_random_order():
    """Independent reports align sentences in scattered order. In seeded random orders of 4 to
    60 sentences (3,000 of them) the moved blocks never count (6 neighbours or more come about
    6 times in 10,000): only the in-order chain is kept. With the share test alone
    (MIN_BLOCK_SHARE), 20-55% of the orders of 4-20 sentences passed."""
    import random

    from summary_analysis.rewrite.paired import MIN_BLOCK_SHARE, in_order, kept_alignments, moved_blocks

    rng = random.Random(5)
    share_only = 0
    for k in range(3000):
        order = list(range(4 + k % 57))
        rng.shuffle(order)
        pairs = _pairs_at(order)
        assert kept_alignments(pairs) == in_order(pairs)
        share_only += sum(map(len, moved_blocks(pairs))) >= MIN_BLOCK_SHARE * len(pairs)
    assert share_only > 150  # the chance runs the succession test keeps out


@pytest.mark.parametrize("sentences, per_paragraph, seed, a, b", [(24, 4, 2026, 2, 13), (12, 3, 1203, 0, 6)])
def test_short_stock_reports_are_not_rewrites_through_moved_blocks(sentences, per_paragraph, seed, a, b):
    """Found by a review: short reports from the stock-sentence pool align 10-16 sentences, and
    chance runs held 30% of them, so the share test alone gave REW001 (slot words such as
    我区→我局, 持续→进一步 taken for substitutions); the old in-order rule gave none, nor does the
    succession test."""
    import random

    from summary_analysis.document import Document

    rng = random.Random(seed)
    texts = [_stock_report(rng, sentences, per_paragraph) for _ in range(max(a, b) + 1)]
    docs = {k: Document(doc_id=k, title="", text=texts[i], path="") for k, i in (("a", a), ("b", b))}
    toks = {k: segment(d.text) for k, d in docs.items()}
    assert detect_paired_rewrites(docs, toks, [("a", "b")]) == []


def test_chain_chance_bounds_the_longest_in_order_chain_of_random_orders():
    """chain_chance(k, n) is C(n, k) / k! clipped at 1, and in 3,000 seeded random orders of 12
    sentences a chain of k or more comes no more often than it says."""
    import math
    import random

    from summary_analysis.rewrite.paired import chain_chance, in_order

    for k, n in [(1, 1), (3, 3), (6, 12), (9, 12), (12, 24), (10, 10), (19, 57)]:
        assert chain_chance(k, n) == pytest.approx(min(1.0, math.comb(n, k) / math.factorial(k)), rel=1e-9)
    assert chain_chance(0, 5) == chain_chance(3, 0) == 1.0
    rng = random.Random(3)
    longest = []
    for _ in range(3000):
        order = list(range(12))
        rng.shuffle(order)
        longest.append(len(in_order(_pairs_at(order))))
    for k in range(5, 10):
        assert sum(x >= k for x in longest) / 3000 <= chain_chance(k, 12)


def test_in_order_chain_counts_when_unlikely_by_chance_or_nearly_whole():
    """The order test of is_rewrite, the other conditions met (5 distinct substitutions in
    every aligned sentence, half the text aligned): a chain of 3 of 3 candidates counts (a short
    text kept in order; found by a review: the chance test alone, 1/6, rejected every
    3-sentence rewrite); 3 of 12 does not (chance 1); 9 of 12 does (chance 6e-4); a chain
    that moved blocks joined (moved=True) was tested by kept_alignments instead."""
    from summary_analysis.rewrite.paired import PairComparison

    def comparison(n_aligned, candidates, moved=False):
        subs = {(f"原{i}", f"替{i}"): [((0, 1), (0, 1))] for i in range(5)}
        return PairComparison(aligned=_pairs_at(list(range(n_aligned))), substitutions=subs,
                              counted_pairs=set(subs), aligned_chars_a=500, aligned_chars_b=500, aligned_tokens=100,
                              substituted_blocks=10, substituted_sentences=n_aligned,
                              candidates=candidates, moved=moved)

    assert comparison(3, 3).is_rewrite(1000, 1000)
    assert not comparison(3, 12).is_rewrite(1000, 1000)
    assert comparison(9, 12).is_rewrite(1000, 1000)
    assert comparison(3, 12, moved=True).is_rewrite(1000, 1000)
    assert not comparison(2, 2).is_rewrite(1000, 1000)  # under MIN_ALIGNED_SENTENCES


def test_short_stock_reports_are_not_rewrites_by_chance_order():
    """Found by a review: 24-sentence reports from the stock-sentence pool align 10-20 sentences
    and their chance in-order chains passed the shares, so 14 of the 66 pairs of 12 such reports
    got REW001 (85 of 435 pairs of 30). With the order test of is_rewrite 2 of the 66 do."""
    import itertools
    import random

    from summary_analysis.document import Document

    rng = random.Random(2026)
    docs = {f"s{i:02d}": Document(doc_id=f"s{i:02d}", title="", text=_stock_report(rng, 24), path="")
            for i in range(12)}
    toks = {k: segment(d.text) for k, d in docs.items()}
    found = detect_paired_rewrites(docs, toks, list(itertools.combinations(sorted(docs), 2)))
    assert len(found) <= 2


def test_moved_blocks_never_take_a_finding_away(corpus_docs):
    """Found by a review: a light spin (disjoint table, 10%) of seed #4 with shuffled paragraphs
    was found by the in-order chain, but the blocks added sentences without substitutions and
    pulled its shares under the limits. When the kept sentences make no rewrite but the chain
    alone does, the chain's comparison decides."""
    from spinners import DISJOINT_TABLE, shuffle_paragraphs, spin

    from summary_analysis.document import Document
    from summary_analysis.rewrite.paired import compare, in_order, kept_alignments
    from summary_analysis.rewrite.align import align_sentences

    src = corpus_docs[_id(4)]
    text = shuffle_paragraphs(spin(src.text, DISJOINT_TABLE, 0.1, seed=1).text, seed=1)
    spun = Document(doc_id="spun", title="", text=text, path="")
    pairs = align_sentences(spun.text, src.text)
    assert len(kept_alignments(pairs)) > len(in_order(pairs))  # the blocks count here
    c = compare(spun, segment(spun.text), src, segment(src.text))
    assert c.is_rewrite(len(spun.text), len(src.text))
    assert len(c.aligned) == len(in_order(pairs))


def test_rewrite_with_paragraphs_reordered_is_still_found(corpus_docs):
    """A spun copy of seed #1 whose paragraphs were also put in reverse order: the longest
    in-order chain of aligned sentences still carries the substitutions."""
    from spinners import spin, thesaurus_table

    from summary_analysis.document import Document

    src = corpus_docs[_id(1)]
    paras = [p for p in spin(src.text, thesaurus_table(), 0.3, seed=3).text.split("\n") if p.strip()]
    text = "\n".join(paras[:1] + paras[1:][::-1])
    docs = {"src": src, "spun": Document(doc_id="spun", title="", text=text, path="")}
    toks = {k: segment(d.text) for k, d in docs.items()}
    found = detect_paired_rewrites(docs, toks, [("spun", "src")])
    assert [(f.doc_id, f.related_doc_id) for f in found] == [("spun", "src")]


def test_a_short_genuine_summary_with_rare_words_is_not_machine_rewritten():
    """Found by the session-13 fresh-user test: a 95-word bureau summary got the document
    verdict from eight rare but genuine words (专网, 成册, 发到, 局属, 路况, 测报; 职责 and 部分
    by thesaurus reversal, all below the reporting score), and 政务外网 and 政务舆情, standard
    terms, were reported as spun 政务热线. The terms are now in the domain dictionary, and a
    short document needs one phrase strong enough to be reported for the verdict."""
    from summary_analysis.document import Document

    text = ("区交通运输局2024年政务公开工作总结\n\n一、主要工作\n我局依托信息化技术，整合信息公开职责和政务公开渠道，"
            "加快推进政务外网和行业专网建设。新制定了《政务舆情收集研判和回应机制》，所有制度编制成册发到各局属单位。"
            "每月召开例会，布置政务公开重点工作，做好路况测报和热点回应。\n\n二、存在的问题\n信息公开的及时性仍有不足，"
            "部分单位政策解读质量有待提高，与群众期待还有差距。\n\n三、下一步工作打算\n2025年，我局将进一步完善政务公开制度，"
            "加强政务外网安全管理。\n")
    doc = Document("bureau", "区交通运输局2024年政务公开工作总结", text, "bureau.txt")
    assert implausible_wording(doc, segment(text)) == []
    # the same weak words in a spun context still count: a listed phrase gives the verdict back
    spun = text.replace("政务公开重点工作", "政务果然重点工作").replace("完善政务公开制度", "完善政务果然制度")
    found = implausible_wording(replace(doc, text=spun), segment(spun))
    assert [f.message for f in found if f.span is not None] == ["implausible wording '政务果然' (likely '政务公开')"] * 2
    assert [f.message.split(":")[0] for f in found if f.span is None] == ["machine-rewritten wording"]
