"""Test data for the report tests, made by code from the real corpus texts.

The report stage renders what the other stages produce; to test it independently of their
progress, this module derives contract-shaped evidence from the real seed texts with plain
difflib/jieba alignment (not the project's detectors): the 导语 passage #4 shares with #1, the
word substitutions of #4's rewrite of #1, pair scores from character 3-gram sets, a heading
outline, a few figures and a checklist. Nothing here is a hand-made list of expected values.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from difflib import SequenceMatcher

from summary_analysis import analyze, read_documents
from summary_analysis.batch import Batch
from summary_analysis.document import Document, Span
from summary_analysis.findings import Finding
from summary_analysis.pipeline import analyze_document
from summary_analysis.sections import Section
from summary_analysis.figures import Figure
from summary_analysis.checklist import ChecklistResult
from summary_analysis.similarity import PairScore

SEED4 = "seed-compilation-page.txt#4"
SEED1 = "seed-compilation-page.txt#1"

XSS_TEXT = ("关于XX街道的工作总结\n一、概述\n本年度<script>alert(1)</script>主动公开政府信息12条。\n"
            "二、存在问题\n<img src=x onerror=\"document.body.setAttribute('data-xss','1')\">仍需改进。"
            "\n=HYPERLINK(\"http://x\",\"y\") & 'quotes' \"double\"\n")


def _grams(text: str, n: int = 3) -> set[str]:
    t = re.sub(r"\s+", "", text)
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def pair_score(a: Document, b: Document) -> PairScore:
    """Jaccard and containment of character 3-gram sets (ratios 0..1)."""
    if a.doc_id > b.doc_id:
        a, b = b, a
    ga, gb = _grams(a.text), _grams(b.text)
    inter = len(ga & gb)
    j = inter / len(ga | gb) if ga or gb else 0.0
    sm = SequenceMatcher(None, a.text, b.text, autojunk=False)
    shared = sum(m.size for m in sm.get_matching_blocks() if m.size >= 60)
    verdict = "near-duplicate" if j > 0.5 else ("shared-passages" if shared else "distinct")
    return PairScore(a.doc_id, b.doc_id, round(j, 6), round(inter / len(ga), 6) if ga else 0.0,
                     round(inter / len(gb), 6) if gb else 0.0, shared, verdict)


def rewrite_evidence(copy: Document, source: Document):
    """The 导语 passage (longest common block) and word substitutions of ``copy`` against
    ``source`` aligned with difflib on the project's jieba tokens."""
    from summary_analysis.segment import cut

    sm = SequenceMatcher(None, copy.text, source.text, autojunk=False)
    m = sm.find_longest_match(0, len(copy.text), 0, len(source.text))
    passage = (Span(m.a, m.a + m.size), Span(m.b, m.b + m.size))
    rest_start = m.a + m.size
    rest = copy.text[rest_start:]
    ta = cut(rest)
    tb = cut(source.text)
    subs: Counter = Counter()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(ta[i1:i2], tb[j1:j2]):
                if x.strip() and y.strip() and re.search(r"[\u4e00-\u9fff]", x + y):
                    subs[(y, x)] += 1
    substitutions = [{"original": o, "replacement": r, "count": c}
                     for (o, r), c in sorted(subs.items(), key=lambda kv: (-kv[1], kv[0]))]
    region = Span(rest_start, len(copy.text))
    return passage, region, substitutions


_HEAD = re.compile(r"^(?P<num>[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))(?P<title>[^\n。]{1,30})",
                   re.M)
_FIG = re.compile(r"(?P<metric>主动公开政府信息|公开政府信息|依申请公开|政府信息公开申请)[^\d\n]{0,6}?"
                  r"(?P<num>\d+)(?P<unit>条|件)")
_ITEMS = ("概述", "主动公开", "依申请公开", "存在问题", "下一步")


def outline(doc: Document) -> list[Section]:
    """Level-1 (一、) and level-2 (（一）) headings found by a regular expression."""
    heads = [(m.start(), m.end(), m.group("num"), m.group("title").strip()) for m in _HEAD.finditer(doc.text)]
    out = []
    top = None
    for k, (s, e, num, title) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(doc.text)
        level = 1 if num.endswith("、") else 2
        num_fw = num.replace("(", "（").replace(")", "）")
        if level == 1:
            top = num_fw.rstrip("、")
            path = top
        else:
            path = f"{top}/{num_fw}" if top else num_fw
        out.append(Section("heading", level, num, title, Span(s, end), Span(s, e), path))
    return out


def figures(doc: Document) -> list[Figure]:
    return [Figure(int(m.group("num")), int(m.group("num")), int(m.group("num")),
                   doc.text[m.start("num"):m.end("unit")], m.group("unit"), m.group("metric"), "count",
                   False, Span(m.start("num"), m.end("unit")), None)
            for m in _FIG.finditer(doc.text)]


def checklist(doc: Document) -> ChecklistResult:
    rows = []
    for item in _ITEMS:
        i = doc.text.find(item)
        rows.append({"doc_id": doc.doc_id, "checklist": "synthetic", "item": item,
                     "status": "present" if i >= 0 else "missing",
                     "span": [i, i + len(item)] if i >= 0 else None, "weight": 1})
    present = sum(r["status"] == "present" for r in rows)
    return ChecklistResult("synthetic", rows, [], round(100 * present / len(rows), 1))


def rich_batch(corpus_dir: str, extra_documents: list[Document] = (), base: Batch | None = None) -> Batch:
    """The corpus analysed by the pipeline (or ``base``, its analysis already made), with DUP/REW
    evidence, pairs, outline, figures and checklist of the forms above in place of whatever
    those stages produce now."""
    if base is None:
        base = analyze(read_documents(corpus_dir))
    extra = [analyze_document(d) for d in extra_documents]
    docs = [a.document for a in base.analyses] + list(extra_documents)
    by_id = {d.doc_id: d for d in docs}
    analyses = []
    base_findings = list(base.finding_objects) + [f for a in extra for f in a.findings]
    for a in list(base.analyses) + extra:
        d = a.document
        analyses.append(dataclasses.replace(a, sections=outline(d), figures=figures(d), checklist=checklist(d)))
    findings = [f for f in base_findings if f.rule[:3] not in ("DUP", "REW")]
    seed4, seed1 = by_id[SEED4], by_id[SEED1]
    passage, region, subs = rewrite_evidence(seed4, seed1)
    findings.append(Finding("DUP002", SEED4, f"passage of {len(passage[0])} characters shared with {SEED1}",
                            passage[0], SEED1, {"related_span": passage[1].as_list(),
                                                "passages": [{"span": passage[0].as_list(),
                                                              "related_span": passage[1].as_list(),
                                                              "chars": len(passage[0])}]}))
    findings.append(Finding("REW001", SEED4, f"synonym rewrite of {SEED1} ({len(subs)} substitution pairs)",
                            region, SEED1, {"related_span": [0, len(seed1.text)], "substitutions": subs}))
    seeds = sorted(d for d in by_id if d.startswith("seed-compilation-page.txt#"))
    pairs = [pair_score(by_id[a], by_id[b]) for i, a in enumerate(seeds) for b in seeds[i + 1:]]
    for extra in extra_documents:
        other = by_id[SEED1]
        pairs.append(pair_score(extra, other))
    return Batch(analyses=analyses, findings=findings, pairs=pairs, read=base.read)


def xss_document() -> Document:
    return Document(doc_id="evil<b>doc</b>.txt", title="<img src=x onerror=alert(2)>标题",
                    text=XSS_TEXT, path="evil.txt", encoding="utf-8")


def xss_findings(doc: Document) -> list[Finding]:
    """A placeholder finding and a rewrite finding whose evidence carries markup."""
    i = doc.text.index("<script>")
    j = doc.text.index("<img")
    k = doc.text.index("=HYPERLINK")
    return [Finding("PLH001", doc.doc_id, "field <script>alert(3)</script>", Span(i, i + 30)),
            Finding("PLH001", doc.doc_id, "=HYPERLINK(\"http://x\",\"y\")", Span(k, k + 28)),
            Finding("REW001", doc.doc_id, "rewrite <img src=x onerror=alert(4)>", Span(0, len(doc.text)),
                    SEED1, {"related_span": [0, 50],
                            "substitutions": [{"original": "<i>公开</i>", "replacement": "<script>alert(5)</script>",
                                               "count": 1}],
                            "passages": [{"span": [j, j + 20], "related_span": [0, 20], "chars": 20}]})]


def xss_batch(corpus_dir: str, base: Batch | None = None) -> Batch:
    """:func:`rich_batch` plus one document full of markup and findings quoting it."""
    doc = xss_document()
    b = rich_batch(corpus_dir, [doc], base=base)
    return Batch(analyses=b.analyses, findings=b.finding_objects + xss_findings(doc),
                 pairs=b.pair_objects, read=b.read)


_CACHE: dict = {}


def shared_xss_batch(corpus_dir: str, base: Batch) -> Batch:
    """:func:`xss_batch` built once per test session and ``base`` (the test modules share it)."""
    key = (corpus_dir, id(base))
    if key not in _CACHE:
        _CACHE[key] = (base, xss_batch(corpus_dir, base=base))
    return _CACHE[key][1]
