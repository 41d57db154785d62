"""Seeded property tests guarding the fast paths of the checklist scorer, its outline scan and
the structure stage: each compares a fast path with the plain definition (written out here, or
the same code with the shortcut switched off by monkeypatching) on corpus text and seeded
variants of it.

Checklist: one alternation for "any of an item's heading patterns" and its per-process memo,
body measures in whole-text passes, item status read only as far as needed, table-of-contents
lines judged on demand, the early-exit count of named items, ``key_of`` by ``str.split``, the
outline scan's line guards. Structure stage: numbering tried by first character, the
numbered-line precheck, statutory labels by first character, the number-cell regex."""

from __future__ import annotations

import random
import re

from summary_analysis.checklist import load_checklist
from summary_analysis.checklist import outline as outline_mod
from summary_analysis.checklist import scorer
from summary_analysis.normalize import fold

from conftest import CORPUS


def _corpus_variants(seed: int, n: int, lines_to_plant: list[str], most: int, shuffled: float) -> list:
    """The corpus documents plus ``n`` seeded variants: a corpus document with up to ``most``
    of ``lines_to_plant`` inserted at random lines, its lines shuffled with probability
    ``shuffled``."""
    from summary_analysis import read_documents
    from summary_analysis.document import Document

    base = [d for p in sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]) for d in read_documents(str(p))]
    rng = random.Random(seed)
    docs = list(base)
    for i in range(n):
        lines = rng.choice(base).text.split("\n")
        for _ in range(rng.randint(0, most)):
            lines.insert(rng.randint(0, len(lines)), rng.choice(lines_to_plant))
        if rng.random() < shuffled:
            rng.shuffle(lines)
        docs.append(Document(doc_id=f"v{i}", title="", text="\n".join(lines), path=""))
    return docs


class _Everything:
    """A container holding everything: switches a first-character shortcut off."""

    def __contains__(self, x) -> bool:
        return True


def _strings(seed: int, n: int) -> list[str]:
    """Corpus fragments mixed with placeholders, brackets, whitespace and full-width forms."""
    text = "".join(p.read_text("utf-8") for p in sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]))
    rng = random.Random(seed)
    extra = ["（文字描述）", "(此处填写)", "XX", "xx", "××", "▲", "__", "＿＿", "…", "...", "（本列数据的勾稽关系",
             " ", "\u3000", "\t", "１２", "ＡＢ", "(", "）", "行政复议", "存在的主要问题", "依申请公开"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 4)):
            a = rng.randrange(len(text) - 80)
            parts.append(text[a:a + rng.randint(0, 80)].replace("\n", ""))
            parts.append(rng.choice(extra))
        out.append("".join(parts))
    return out


def _body_measure_reference(text: str) -> tuple[int, int, int]:
    """body_measure as first written: every substitution on every line, chars one by one."""
    own = figs = prose = 0
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            continue
        if s.startswith("|"):
            cells = [c.strip() for c in s.strip("|").split("|")]
            values = [c for c in cells if scorer._VALUE_CELL.match(c)]
            if values:
                figs += len(values)
                own += sum(len(scorer._OWN_CHARS.findall(c)) for c in cells)
            continue
        s = scorer._PLACEHOLDER_PAREN.sub("", s)
        s = scorer._TABLE_NOTE.sub("", s)
        s = scorer._PLACEHOLDER.sub("", s)
        n = len(scorer._OWN_CHARS.findall(s))
        own += n
        figs += len(scorer._NUMBER.findall(scorer._LIST_NUMBER.sub(" ", s)))
        if s.endswith(("。", "；", ";")) and n:
            prose += n
    return own, figs, prose


def test_one_alternation_names_the_same_items_as_each_pattern():
    strings = _strings(1, 3000)
    named = 0
    for name in ("gov-info-annual-2021", "gov-info-annual-2008", "work-summary"):
        for it in load_checklist(name).items:
            for s in strings:
                k = outline_mod.key_of(s)
                want = any(p.search(k) for p in it.headings)
                assert scorer._names(it, k) == want, (it.id, s)
                named += want
    assert named > 100


def test_body_measure_equals_the_plain_form():
    strings = _strings(2, 2000)
    rng = random.Random(3)
    bodies = ["\n".join(rng.sample(strings, 5)) for _ in range(600)]
    assert [scorer.body_measure(b) for b in bodies] == [_body_measure_reference(b) for b in bodies]


def test_key_of_equals_fold_without_whitespace():
    ws = re.compile(r"\s+")
    for s in _strings(4, 3000):
        assert outline_mod.key_of(s) == ws.sub("", fold(s))


# -- fast paths of the s3 throughput work ------------------------------------------------------

_ODD = [" ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "。", "；",
        ";", "。 ", "|", "| 12 |", "|规章|3|", "| 行政许可 | 447 |", "1.", "12、", "3.5", "1、2", "5.12、",
        "第三条", "..", "...", "X", "xx", "(", "（略）", "（策略", "(本列数据的勾稽关系", "\n", "\n\n",
        "１２", "٣", "²", "①", "四、", "103四、行政复议", "、"]


def _bodies(seed: int, n: int) -> list[str]:
    """Multi-line bodies: corpus fragments, placeholders, table rows, odd spaces and digits."""
    strings = _strings(seed, 1500)
    rng = random.Random(seed + 100)
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 10)):
            parts.append(rng.choice(strings)[:rng.randint(0, 90)] if rng.random() < 0.5 else rng.choice(_ODD))
            if rng.random() < 0.4:
                parts.append("\n")
        out.append("".join(parts))
    return out


def _status_reference(item, document, match, figures) -> str:
    """``_status_of`` as first written: the whole body measured by the plain definition."""
    body = document.text[match.title_span.end:match.span.end] if match.how != "content" \
        else document.text[match.span.start:match.span.end]
    own, figs, prose = _body_measure_reference(body)
    if item.figures:
        if figs == 0 and figures:
            figs = sum(1 for f in figures
                       if match.span.start <= f.span.start < match.span.end
                       and getattr(f, "kind", None) in ("count", "money", "percent"))
        return scorer.PRESENT if figs > 0 or prose >= item.min_chars else scorer.EMPTY
    return scorer.PRESENT if own >= max(item.min_chars, 1) else scorer.EMPTY


def test_body_measure_on_multiline_bodies_equals_the_plain_form():
    # whole-text passes over plain lines, special lines one by one, odd spaces and digits
    bodies = _bodies(6, 4000)
    assert [scorer.body_measure(b) for b in bodies] == [_body_measure_reference(b) for b in bodies]
    assert sum(scorer._has_special(b) for b in bodies) > 1000
    assert sum(not scorer._has_special(b) for b in bodies) > 500


def test_special_pattern_finds_what_its_first_form_finds():
    # the bracket branch written once per bracket (every branch opens with a literal)
    first = re.compile(r"\||[（(][^（）()\n]{0,60}?(?:文字描述|此处|请填写|待填|略|本列数据的勾稽关系)"
                       r"|XX|xx|××|▲|__|＿＿|…|\.\.\.")
    found = 0
    for b in _bodies(27, 3000) + _strings(28, 2000):
        spans = [m.span() for m in first.finditer(b)]
        assert [m.span() for m in scorer._SPECIAL.finditer(b)] == spans, b
        found += bool(spans)
    assert found > 1500


def test_has_special_is_the_special_pattern():
    for b in _bodies(7, 3000) + _strings(8, 2000):
        assert scorer._has_special(b) == (scorer._SPECIAL.search(b) is not None), b


def test_status_reads_only_what_it_needs_and_agrees_with_the_whole_measure():
    from summary_analysis import read_documents
    from summary_analysis.document import Document, Span
    from summary_analysis.figures import extract_figures
    from summary_analysis.sections import sections

    docs = [d for p in sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]) for d in read_documents(str(p))]
    docs += [Document(doc_id=f"gen{i}", title="", text=b, path="")
             for i, b in enumerate(_bodies(9, 60))]
    items = [it for name in ("gov-info-annual-2021", "gov-info-annual-2008", "work-summary")
             for it in load_checklist(name).items]
    rng = random.Random(10)
    seen = {scorer.PRESENT: 0, scorer.EMPTY: 0}
    for doc in docs:
        n = len(doc.text)
        figures = extract_figures(doc, sections(doc))
        for _ in range(150):
            a, b, c = sorted(rng.randint(0, n) for _ in range(3))
            if rng.random() < 0.5:  # short parts: the empty side of the threshold
                c = min(c, b + rng.randint(0, 40))
            how = rng.choice(["heading", "subheading", "content"])
            m = scorer.Match(how, Span(a, c), Span(a, b), "")
            it = rng.choice(items)
            figs = figures if rng.random() < 0.7 else []
            got = scorer._status_of(it, doc, m, figs)
            assert got == _status_reference(it, doc, m, figs), (doc.doc_id, it.id, a, b, c, how)
            seen[got] += 1
    assert min(seen.values()) > 300


def test_names_at_least_counts_like_the_sum():
    strings = _strings(11, 1500)
    for name in ("gov-info-annual-2021", "gov-info-annual-2008", "work-summary"):
        top = [(it, outline_mod.any_of(it.headings).search) for it in load_checklist(name).items]
        for s in strings:
            k = outline_mod.key_of(s)
            hits = sum(1 for _, search in top if search(k))
            for need in (1, 2, 3, 4):
                assert scorer._names_at_least(top, k, need) == (hits >= need)


def test_memoised_tests_and_names_table_change_nothing():
    """Scoring with cold per-process memos equals scoring with warm ones (and both equal a run
    on the same documents in the other order)."""
    from summary_analysis import read_documents
    from summary_analysis.checklist import score_document
    from summary_analysis.sections import document_meta, sections

    docs = [d for p in sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]) for d in read_documents(str(p))]

    def run(order):
        out = {}
        for d in order:
            forest = sections(d)
            meta = document_meta(d, forest)
            for cl in ("auto", "gov-info-annual-2021", "gov-info-annual-2008", "work-summary"):
                r = score_document(d, forest, meta, [], cl)
                out[d.doc_id, cl] = repr((r.rows, r.findings, r.completeness))
        return out

    def cold():
        scorer._NAMES_TABLES.clear()
        for a in outline_mod._ANY_OF.values():
            a._memo.clear()

    cold()
    first = run(docs)
    warm = run(list(reversed(docs)))
    cold()
    assert first == warm == run(docs)
    assert any(a._memo for a in outline_mod._ANY_OF.values())


def test_any_of_test_is_the_truth_of_search():
    strings = _strings(12, 2000)
    for name in ("gov-info-annual-2021", "gov-info-annual-2008", "work-summary"):
        cl = load_checklist(name)
        for patterns in [cl.not_headings] + [it.headings for it in cl.items]:
            a = outline_mod.any_of(patterns)
            for s in strings:
                k = outline_mod.key_of(s)
                assert a.test(k) == any(p.search(k) for p in patterns)
                assert a.test(k) == any(p.search(k) for p in patterns)  # memoised answer


def test_key_of_with_unusual_spaces_equals_fold_without_whitespace():
    ws = re.compile(r"\s+")
    rng = random.Random(13)
    strings = _strings(14, 1000)
    for _ in range(3000):
        s = "".join(rng.choice(strings)[:20] if rng.random() < 0.3 else rng.choice(_ODD) for _ in range(6))
        assert outline_mod.key_of(s) == ws.sub("", fold(s)), repr(s)


def test_outline_scan_guards_hold():
    """The outline scan skips a line's midline search without a 、 after a numeral, and skips
    keying a line whose first 64 characters hold more than 30 that are not spaces: both only
    where the full test could not succeed."""
    rng = random.Random(15)
    strings = _strings(16, 2000) + _bodies(17, 500)
    numerals = "一二三四五六七八九十"
    skipped = kept = 0
    for s in strings:
        t = s.replace("\n", "")
        if rng.random() < 0.5:  # plant numeral + 、 at a random place
            i = rng.randint(0, len(t))
            t = t[:i] + rng.choice(numerals) + "、" + t[i:]
        if outline_mod._MID.search(t, 1):
            assert outline_mod._MID_HINT.search(t)
        if len(t) > 30 and len(t.split(None, 1)[0] if t.split() else "") == len(t):
            assert len(outline_mod.key_of(t)) > 30
        spaced = "".join(c + rng.choice(["", " ", "\u3000", "\t", "  "]) for c in t[:rng.randint(20, 70)])
        for u in (t, spaced):
            if outline_mod._key_over_30(u):
                skipped += 1
                assert len(outline_mod.key_of(u)) > 30, repr(u)
            else:
                kept += 1
    assert skipped > 500 and kept > 500
    assert outline_mod._FOLD_KEEPS_SPACES  # the guard is in use with the shipped fold table


def test_forest_walk_is_iter_sections_order():
    from summary_analysis import read_documents
    from summary_analysis.sections import iter_sections, sections

    docs = [d for p in sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]) for d in read_documents(str(p))]
    nested = 0
    for d in docs:
        forest = sections(d)
        walked = list(outline_mod._preorder(forest))
        assert walked == list(iter_sections(forest))
        nested += len(walked) > len(forest)
    assert nested >= 3


# -- structure stage (sections.py) fast paths ------------------------------------------------

def _numbered_lines(seed: int, n: int) -> list[str]:
    """Lines opening with every kind of numbering (and near misses), then corpus text."""
    rng = random.Random(seed)
    heads = ["一、", "十二、", "一.", "二．", "第一部分", "第3章", "第十章、", "（一）", "(二)", "( 三 )", "（一）项",
             "1.", "12、", "7. ", "3.5", "2020.1", "1%", "（1）", "(12)", "3）", "①", "⑳、", "一是", "二是的",
             "三否", "一、二类", "2024年", "٣.", "１２、", "〇、", "百、", "两、", "**（二）**", "## 三、", "> 四、",
             "\u3000五、", "\t6.", "", "|", "第二十条第（一）项", "二十一、", "九十九、", "十十、",
             "__二、", "*3.", "> (4)"]
    strings = _strings(seed + 1, 800)
    return [rng.choice(heads) + rng.choice(strings)[:rng.randint(0, 40)] for _ in range(n)]


def test_candidate_tries_only_the_numberings_the_first_character_allows(monkeypatch):
    from summary_analysis import sections as S

    lines = _numbered_lines(20, 6000)
    folded = [fold(x) for x in lines]
    fast = [S._candidate(x, f, 0, len(x)) for x, f in zip(lines, folded)]
    monkeypatch.setattr(S, "_FIRST", {r: (lambda c: True) for r, _ in S._NUMBERINGS})
    monkeypatch.setattr(S, "_BY_FIRST", {})
    plain = [S._candidate(x, f, 0, len(x)) for x, f in zip(lines, folded)]
    assert fast == plain
    assert len({c[0] for c in plain if c}) == 7  # every numbering rank occurs


def _table_folded_reference(s: str) -> bool:
    """``_table_folded`` as first written."""
    from summary_analysis import sections as S

    if "|" in s and (S._PIPE_ROW.search(s) or S._SEPARATOR.match(s)):
        return True
    if S._SEPARATOR.match(s) and "-" in s and "|" in s:
        return True
    if s.count("\t") >= 2:
        return True
    if S._NUMBER_CELLS.search(s):
        return True
    body = S._strip_lead(s).strip()
    if S._ARTICLE_ITEM.match(body) and len(body) <= 16:
        return True
    m = S._ANY_NUMBER.match(body)
    if m:
        return S._statutory_row(body[m.end():], numbered=True)
    return S._statutory_row(body, numbered=False)


def test_table_line_test_equals_its_first_form():
    from summary_analysis import sections as S

    rng = random.Random(21)
    cells = ["12", "0", "3.5", "1288", "2020.1", " ", "\t", "\u3000", "  ", "|", "---", "| --- |", ".", "１２",
             "本年新收政府信息公开申请数量", "予以公开", "（二）", "1、", "总计"]
    lines = _numbered_lines(22, 2000)
    for _ in range(6000):
        lines.append("".join(rng.choice(cells) for _ in range(rng.randint(1, 9))))
    numbers, gaps = ["7", "12", "0", "3.5", "1.", "2020.1", "x", "１２", "٣"], [" ", "\t", "\u3000", "  ", "、", ""]
    for _ in range(3000):  # bare number rows of PDF tables and near misses
        lines.append(rng.choice(["", "规章", "（一）"]) + "".join(
            rng.choice(numbers) + rng.choice(gaps) for _ in range(rng.randint(1, 7))))
    hits = 0
    for x in lines:
        f = fold(x)
        assert S._table_folded(f) == _table_folded_reference(f), repr(x)
        assert S._table_folded(x) == _table_folded_reference(x), repr(x)  # unfolded: \u3000 stays
        if S._NUMBER_CELLS.search(f):
            hits += 1
            assert S._NUMBER_CELLS_FAST.search(f).span() == S._NUMBER_CELLS.search(f).span()
        else:
            assert S._NUMBER_CELLS_FAST.search(f) is None
    assert hits > 500


def test_outline_equals_the_scan_without_its_guards(monkeypatch):
    """build_outline with its line guards (numeral before 、, long lines without spaces not
    keyed), the stack walk of the forest and its line memo (cold and warm, shared by all
    documents of a checklist) equals the plain scan."""
    from summary_analysis.sections import iter_sections, sections

    planted = ["103四、政府信息公开行政复议、行政诉讼情况", "存在的主要问题", "  五、存在的主要问题及改进情况",
               "## 其他需要报告的事项", "（三）政府信息管理", "12 7 五、其他需要报告的事项", "本报告包括总体情况、主动公开、"
               "收到和处理政府信息公开申请情况、行政复议行政诉讼、存在的主要问题", "表二：主动公开政府信息情况",
               "第三部分 收到和处理政府信息公开申请情况", "第一部分总体情况", "第九部分其他需要报告的事项"]
    docs = _corpus_variants(23, 120, planted, most=6, shuffled=0.3)
    cls = [load_checklist(n) for n in ("gov-info-annual-2021", "gov-info-annual-2008", "work-summary")]

    def outlines(memos=None):
        out = []
        for d in docs:
            forest = sections(d)
            for cl in cls:
                top = [it for it in cl.items if it.within is None]
                o = outline_mod.build_outline(d.text, lambda k: any(p.search(k) for it in top for p in it.headings),
                                              cl.not_headings, forest,
                                              memo=None if memos is None else memos.setdefault(cl.name, {}))
                out.append((o.parts, o.subparts))
        return out

    memos: dict = {}
    fast = outlines(memos)
    assert outlines(memos) == fast and all(len(m) > 100 for m in memos.values())
    assert outlines() == fast
    monkeypatch.setattr(outline_mod, "_MID_HINT", re.compile("、"))
    monkeypatch.setattr(outline_mod, "_FOLD_KEEPS_SPACES", False)
    monkeypatch.setattr(outline_mod, "_preorder", lambda forest: iter_sections(list(forest)))
    monkeypatch.setattr(outline_mod, "_L1_FIRST", _Everything())
    monkeypatch.setattr(outline_mod, "_L2_FIRST", _Everything())
    assert fast == outlines()
    assert sum(len(p) for p, _ in fast) > 1000 and any(b.source == "midline" for p, _ in fast for b in p)


def test_sections_equal_the_parse_without_its_shortcuts(monkeypatch):
    """sections() and document_meta() with every structure-stage shortcut (first-character
    dispatch, numbered-line precheck, labels by first character, digit-led number-cell regex,
    the per-process memo of line facts) equal the plain definitions, on corpus text and seeded
    variants of it."""
    from summary_analysis import sections as S

    extra = _numbered_lines(25, 400) + ["本年新收政府信息公开申请数量 12 3", "（二）部分公开（区分处理的，只计这一情",
                                        "1、申请人无正当理由逾期不补", "1288 21 0 0 50 3 1362", "第二十条第（一）项",
                                        "其他 0", "总计 5", "| 规章 | 22 |", "…103四、政府信息公开行政复议、行政诉讼情况"]
    docs = _corpus_variants(24, 150, extra, most=12, shuffled=0.2)

    def run():
        out = []
        for d in docs:
            d.__dict__.pop("folded", None)
            forest = S.sections(d)
            out.append((forest, S.document_meta(d, forest)))
        return out

    fast = run()
    monkeypatch.setattr(S, "_FIRST", {r: (lambda c: True) for r, _ in S._NUMBERINGS})
    monkeypatch.setattr(S, "_BY_FIRST", {})
    monkeypatch.setattr(S, "_CANDIDATE_FIRST", _Everything())
    monkeypatch.setattr(S, "_LABEL_LENGTHS_BY_FIRST", {c: S._LABEL_LENGTHS for c in S._LABEL_FIRST})
    monkeypatch.setattr(S, "_NUMBER_CELLS_FAST", S._NUMBER_CELLS)
    monkeypatch.setattr(S, "_MEMO_LINE_CHARS", -1)  # every line judged afresh, none memoised
    assert fast == run()
    assert sum(len(list(S.iter_sections(f))) for f, _ in fast) > 1500


def test_toc_lines_judged_on_demand_equal_the_whole_set():
    from summary_analysis import read_documents

    docs = [d for p in sorted([*CORPUS.glob("*.txt"), *CORPUS.glob("*.md")]) for d in read_documents(str(p))]
    toc_line = ("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                "政府信息公开行政复议行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项")
    rng = random.Random(26)
    texts = [d.text for d in docs]
    for d in docs[:4]:
        lines = d.text.split("\n")
        for _ in range(3):
            lines.insert(rng.randint(0, len(lines)), rng.choice([toc_line, "  " + toc_line + " ", "", " "]))
        texts.append("\n".join(lines) + rng.choice(["", "\n", "\n\n"]))
    top = [it for it in load_checklist("gov-info-annual-2021").items if it.within is None]

    def is_toc(key):
        return len(key) > 40 and sum(1 for it in top if any(p.search(key) for p in it.headings)) >= 3

    def odd(key):  # any test: blank lines and short keys included
        return len(key) % 3 == 0

    found = 0
    for text in texts:
        for test in (is_toc, odd):
            whole = {span.start for span, key in scorer._line_units(text, 0, len(text)) if test(key)}
            lazy = scorer._TocLines(text, test)
            for x in [-1, len(text) + 1, *range(0, len(text) + 1)]:
                assert (x in lazy) == (x in whole), x
            found += len(whole) if test is is_toc else 0
    assert found >= 6
