"""The speed paths of the figures stage and of ``fold`` give exactly the plain definitions' answers.

Each fast path (issue 11) is checked against the definition it replaces, on seeded random strings
built from the characters that matter to it (digits, Chinese numerals, units, template marks,
full-width forms, spaces and line breaks) and on the corpus:

* ``fold`` returns its input when nothing folds, else ``str.translate`` with the table;
* a prefiltered ``finditer_at`` finds the matches of the full ``finditer`` (numbers, dates, 7*24小时);
* the memoised match conversion and the ASCII-digit shortcut equal the plain conversion;
* the regexes rewritten to start with a character class equal the originals;
* ``find_placeholders``' first-candidate scan equals the scan of the whole text;
* the one regex after a number equals the four it replaced;
* ``clause_metric`` without precomputed bounds equals the version with them;
* ``_figure`` builds the same object as ``Figure(...)``;
* the prose pass in one loop (``extract_rows``) gives the rows of the per-number definition
  (``_extract_rows_plain``), the plain-run shortcut of the number scan equals ``_SCAN``, and
  the plain-digit reading equals the match reading;
* the hint tests before the claiming passes' regexes never skip a text with a match, and the
  rewritten line-start and table-四 searches equal the patterns;
* the table memos give fresh, equal answers; float/int comparisons equal the Decimal ones;
  breakdowns need 其中 and table identities need cells; the interned metric equals the plain
  one; ``_span`` builds the same object as ``Span``.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import random
import re
from decimal import Decimal

import pytest

from summary_analysis import read_documents
from summary_analysis.document import Document, Span
from summary_analysis.figures import Figure, _figure, extract, find_placeholders, placeholders
from summary_analysis.figures import numbers as N
from summary_analysis.figures.metric import ClauseBounds, clause_metric
from summary_analysis.normalize import _TABLE, fold

from conftest import CORPUS, SHUYANG

_WIDE = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_NUMERIC = ("0123456789一二两三四五六七八九十百千万亿零〇点分之百分之约近超逾余多来大不足接将数几上"
            "-−.,%‰ \t至到—~")
_UNITS = "个件条项次人名元万元亿元年月日号版热线小时*×xX成以上左右有余是方面、．."
_WORDS = ("主动公开政府信息", "其中", "全年", "新增", "，", "。", "；", "：", "\n", "（", "）", "第",
          "|", "20", "19", "2023年", "1-6月", "12345", "政务服务热线", "统一", "一体")


def _random_text(rng: random.Random, pieces: str | tuple, n: int) -> str:
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.45:
            out.append(rng.choice(_NUMERIC))
        elif r < 0.7:
            out.append(rng.choice(_UNITS))
        elif r < 0.85:
            out.append(rng.choice(_WORDS))
        elif r < 0.93:
            out.append(rng.choice(_WIDE))
        else:
            out.append(rng.choice(pieces))
    return "".join(out)


@pytest.fixture(scope="session")
def random_texts():
    rng = random.Random(20261129)
    return [_random_text(rng, "政府信息公开年报ABCab@_/", rng.randrange(0, 120)) for _ in range(3000)]


@pytest.fixture(scope="session")
def shuyang():
    return read_documents([str(SHUYANG)])[0]


def _spans_and_groups(matches):
    return [(m.span(), m.groups()) for m in matches]


# ------------------------------------------------------------------------------------ fold
def test_fold_fast_path_equals_translate(random_texts):
    rng = random.Random(5)
    samples = random_texts + ["".join(rng.choice(_WIDE + "（）：；，！？中文abc12") for _ in range(40))
                              for _ in range(2000)]
    changed = 0
    for t in samples:
        f = fold(t)
        assert f == t.translate(_TABLE) and len(f) == len(t)
        if f == t:
            assert f is t  # nothing folds: the input itself, no copy
        else:
            changed += 1
    assert changed > 1000  # the random texts do exercise the slow path


# ------------------------------------------------------------------------- number scanning
def test_prefiltered_scan_equals_full_scan(random_texts, shuyang):
    texts = random_texts + [shuyang.folded, shuyang.text]
    found = 0
    for t in texts:
        fast = _spans_and_groups(N.finditer_at(N._START, N._SCAN, t))
        assert fast == _spans_and_groups(N._SCAN.finditer(t))
        found += len(fast)
    assert found > 2000


def test_scan_numbers_equals_plain_conversion(random_texts, shuyang):
    """Memoised conversion (by matched text) == converting every match of the full scan."""
    N._CONVERTED.clear()
    for t in random_texts + [shuyang.folded]:
        plain = []
        for m in N._SCAN.finditer(t):
            r = N._convert_uncached(m)
            if r is not None:
                plain.append(N.NumberMatch(m.start(), *r))  # r: absolute end, num_start, …
        assert N.scan_numbers(t) == plain
        assert N.scan_numbers(t) == plain  # second time from the memo


def test_ascii_digit_shortcut_equals_parse_number():
    rng = random.Random(9)
    for _ in range(3000):
        s = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 12)))
        assert Decimal(s) == N.parse_number(s) and str(Decimal(s)) == str(N.parse_number(s))
    # every ASCII number the scan reads (thousands separators, decimals): Decimal without the commas
    texts = ["".join(rng.choice("0123456789,.") for _ in range(rng.randrange(1, 16))) for _ in range(5000)]
    nums = [m.group("num") for t in texts for m in N._SCAN.finditer(t) if m.group("num")]
    assert len(nums) > 5000 and any("," in x for x in nums) and any("." in x for x in nums)
    for x in nums:
        assert str(Decimal(x.replace(",", ""))) == str(N.parse_number(x)), x


def test_to_value_memo_keeps_int_and_float():
    for d, v in [(Decimal("5"), 5), (Decimal("5.0"), 5), (Decimal("1.50"), 1.5), (Decimal("1.5"), 1.5),
                 (Decimal("-0"), 0), (Decimal("4068.208"), 4068.208)]:
        for _ in range(2):
            got = N.to_value(d)
            assert got == v and type(got) is type(v)
    assert N.to_value(None) is None


# --------------------------------------------------------------------- rewritten patterns
# The patterns as first written (the definitions); the module's versions start with a
# character class or a literal so that the regex engine skips other characters quickly.
_ORIGINAL = {
    "_HOTLINE": r"(?<![\d.])\d{5,}(?=\s*(?:政务服务便民|服务|便民|政务)?热线)",
    "_MONTH_RANGE": r"(?<![\d.])((?:19|20)\d{2})[ \t]*年[ \t]*(?:1[0-2]|[1-9])[ \t]*(?:至|到|-|—|~|～)"
                    r"[ \t]*(?:1[0-2]|[1-9])[ \t]*月(?:份)?",
    "_CONTACT_KEY": r"(?:联系电话|咨询电话|办公电话|热线电话|服务热线|热线|电话|传真|邮政编码|邮编|通讯地址|联系地址|地址"
                    r"|电子邮箱|电子信箱|邮箱|[Ee]-?mail)\s*[:：]?",
}


@pytest.mark.parametrize("name", sorted(_ORIGINAL))
def test_rewritten_patterns_equal_originals(name, random_texts, shuyang):
    rx, orig = getattr(extract, name), re.compile(_ORIGINAL[name])
    extra = ["电话：0517-83605210，E-mail: a@b.cn e-mail Email", "2023年1-6月 2019年10至12月 a2023年1-6月",
             "12345热线 112345政务服务便民热线 .12345热线 1234热线"]
    for t in random_texts + [shuyang.folded] + extra:
        assert _spans_and_groups(rx.finditer(t)) == _spans_and_groups(orig.finditer(t)), t


def test_edition_year_pattern_equals_original(random_texts):
    rx = next(r for r in extract._IDENTIFIER_RES if "版" in r.pattern)
    orig = re.compile(r"(?<!\d)(?:19|20)\d{2}[ \t]*版")
    for t in random_texts + ["2025版 12025版 x2025 版", "2020版"]:
        assert _spans_and_groups(rx.finditer(t)) == _spans_and_groups(orig.finditer(t))


def test_prefiltered_dates_and_service_hours_equal_full_scans(random_texts, shuyang):
    extra = ["2020年1月1日起至2020年12月31日", "二〇二三年 一二三年", "7*24小时 7 × 24 小时", "3.2023年"]
    n_dates = 0
    for t in random_texts + [shuyang.folded] + extra:
        dates = _spans_and_groups(N.finditer_at(extract._DATE_START, extract._DATE_RE, t))
        assert dates == _spans_and_groups(extract._DATE_RE.finditer(t))
        n_dates += len(dates)
        assert _spans_and_groups(N.finditer_at(extract._SERVICE_START, extract._SERVICE_HOURS, t)) == \
            _spans_and_groups(extract._SERVICE_HOURS.finditer(t))
    assert n_dates > 300


# ----------------------------------------------------------------------------- placeholders
def test_placeholder_first_candidate_scan_equals_full_scan():
    rng = random.Random(13)
    marks = ["xx", "XX", "x", "×", "＊", "*", "某", "某某", "〇", "○", "▲", "_", "__", "＿", "（", "(",
             "填写", "文字描述", "）", ")", "20", "19", "年", "度", "二", "a", "@", "中文", " ", "\n",
             # session 10: full-width X, △, 【】, field names, empty brackets, dates of spaces
             "Ｘ", "ｘ", "２０", "△", "【", "】", "单位名称", "姓名", "件", "条", "%", "月", "日", "\u3000", "  ", "5",
             "  年  月  日", "\u3000\u3000年\u3000月\u3000日", "（ ）件", "文件X件", "【单位名称】", "收到△件", "２０ＸＸ年",
             "X月X日", "__月__日", "XX%", "＿日",
             # session 12: X.X%, ×%, __个, a date with only its year written, ×× before 亿元
             "X.X%", "×.×%", "×%", "__个", "＿＿件", "2025年  月  日", "2025 年 12 月  日", "××亿元", "2×2米", ".",
             # session 13: spaces left for a count, 【填写…】, X's ending a number, ▲ bullets
             "来访    次，", "率   %", "【填写姓名】", "8888XXXX", "A4XX", "\n▲ 推进", "   "]
    hits = 0
    for _ in range(5000):
        text = "".join(rng.choice(marks) for _ in range(rng.randrange(0, 25)))
        doc = Document("d", "t", text, "p")
        got = [(f.span.start, f.span.end, f.evidence["kind"]) for f in find_placeholders(doc)]
        want = [(m.start(), m.end(), placeholders._KIND.get(m.lastgroup, m.lastgroup))
                for m in placeholders._RE.finditer(text)
                if not (m.group()[0] == "▲" and placeholders._is_bullet(text, m.start(), m.end()))]
        assert got == want, text
        hits += bool(want)
    assert hits > 1000


# ---------------------------------------------------------------------- after the number
def test_after_number_regex_equals_the_separate_ones(random_texts):
    rx = extract._AFTER_NUMBER
    checked = 0
    for t in random_texts:
        for pos in range(len(t) + 1):
            m = rx.match(t, pos)
            numbering, pct, unit = m.group("numbering", "pct", "unit") if m else (None, None, None)
            assert (numbering is not None) == bool(extract._NUMBERING_AFTER.match(t, pos))
            pm = extract._PCT_RE.match(t, pos)
            assert (pct is not None) == bool(pm)
            if pm:
                end = m.end("pct")
                assert end == pm.end()
            else:
                um = extract._UNIT_RE.match(t, pos)
                assert (unit is not None) == bool(um) or numbering is not None
                if unit is not None:
                    assert unit == um.group("unit")
                    end = m.end("unit")
                    assert end == um.end()
            if pct is not None or unit is not None:
                am = extract._APPROX_AFTER.match(t, end)
                assert (m.start("approx"), m.end("approx")) == ((am.start(), am.end()) if am else (-1, -1))
                checked += 1
    assert checked > 2000


# ------------------------------------------------------------------------------- metrics
def test_windowed_clause_metric_equals_bounds(random_texts):
    rng = random.Random(17)
    long_runs = ["新增办理数据12件并且" * rng.randrange(1, 30) + "，其中" + "主动公开" * rng.randrange(1, 40)
                 for _ in range(50)]
    for t in random_texts + long_runs:
        if not t:
            continue
        bounds = ClauseBounds(t)
        for _ in range(5):
            s = rng.randrange(0, len(t) + 1)
            e = rng.randrange(s, len(t) + 1)
            for prenominal in (False, True):
                assert clause_metric(t, s, e, prenominal) == clause_metric(t, s, e, prenominal, bounds=bounds)


# ------------------------------------------------------------------------------- figures
def test_fast_figure_constructor_equals_dataclass(shuyang):
    assert [f.name for f in dataclasses.fields(Figure)] == [
        "value", "low", "high", "raw", "unit", "metric", "kind", "approx", "span", "section_path"]
    assert not hasattr(Figure, "__post_init__")
    args = (12, 10, 14, "10至14件", "件", "主动公开", "count", True, Span(3, 9), "二/（一）")
    fast, slow = _figure(*args), Figure(*args)
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert type(fast) is Figure and fast.__slots__ == slow.__slots__
    assert [getattr(fast, n) for n in Figure.__slots__] == [getattr(slow, n) for n in Figure.__slots__]
    assert not hasattr(fast, "__dict__") and not hasattr(fast, "__weakref__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.value = 1
    from summary_analysis.figures import extract_figures

    figs = extract_figures(shuyang, [])
    assert len(figs) > 100
    assert figs == [Figure(**{k.name: getattr(f, k.name) for k in dataclasses.fields(Figure)}) for f in figs]
    assert all(type(f) is Figure for f in figs)


def test_section_paths_equal_last_containing_section_in_preorder(shuyang):
    from summary_analysis.figures import extract_figures
    from summary_analysis.sections import iter_sections, sections
    from summary_analysis.segment import segment

    forest = sections(shuyang, segment(shuyang.text))
    flat = list(iter_sections(forest))
    assert len(flat) > 10
    figs = extract_figures(shuyang, forest)
    with_path = 0
    for f in figs:
        holding = [s.path for s in flat if s.span.start <= f.span.start < s.span.end]
        assert f.section_path == (holding[-1] if holding else None)
        with_path += f.section_path is not None
    assert with_path > 100



def test_figures_pickle_compactly_and_round_trip(shuyang):
    """Worker processes send figures to the parent: the compact pickle gives equal figures, with
    the repeated strings shared again, and is smaller than pickling each field and Span object."""
    import pickle

    from summary_analysis.figures import extract_figures
    from summary_analysis.sections import sections

    figs = extract_figures(shuyang, sections(shuyang))
    assert len(figs) > 100
    back = pickle.loads(pickle.dumps(figs, protocol=5))
    assert back == figs
    assert all(type(f) is Figure and type(f.span) is Span for f in back)
    assert len({id(f.unit) for f in back if f.unit == "条"}) == 1
    fields = [tuple(getattr(f, n.name) for n in dataclasses.fields(Figure)) for f in figs]
    assert len(pickle.dumps(figs, protocol=5)) < len(pickle.dumps(fields, protocol=5))


# ------------------------------------------------------------- the prose pass in one loop
# (issue 11, third round: the prose pass, the prefilters of the claiming passes, the table
# memos and the consistency shortcuts, each against its plain definition)
@pytest.fixture(scope="session")
def corpus_docs():
    return read_documents([str(CORPUS)])


def _variants(rng: random.Random, text: str, n: int) -> list[str]:
    """``n`` seeded variants of a real text: its digit runs replaced by random numbers (plain,
    decimal, with thousands separators), a few characters swapped and a few number-like
    pieces inserted, so that the contexts stay real and the numbers new."""
    out = []
    for _ in range(n):
        def number(_m):
            k = rng.random()
            if k < 0.6:
                return str(rng.randrange(0, 10 ** rng.randrange(1, 6)))
            if k < 0.8:
                return f"{rng.randrange(0, 1000)}.{rng.randrange(0, 100)}"
            return f"{rng.randrange(1, 999)},{rng.randrange(0, 1000):03d}"
        t = list(re.sub(r"\d+", number, text))
        for _ in range(len(t) // 200):
            i = rng.randrange(len(t))
            j = min(len(t) - 1, i + rng.randrange(1, 4))
            t[i], t[j] = t[j], t[i]
        for _ in range(len(t) // 150):
            t.insert(rng.randrange(len(t) + 1), rng.choice(_NUMERIC + _UNITS) if rng.random() < 0.7
                     else rng.choice(_WORDS))
        out.append("".join(t))
    return out


def _rows_repr(rows) -> str:
    return repr(rows)  # repr tells 5 from 5.0 and Decimal from int


def test_fast_prose_pass_equals_plain_pass(random_texts, corpus_docs):
    """extract_rows (the prose pass in one loop: inline scan, plain runs without _SCAN, memoised
    readings, rejections first, claims by bisection) == the per-number definition, row for row
    (values with their types), on random texts, real reports and seeded variants of them; the
    second round reads every number from the memo, the third with the memos emptied."""
    rng = random.Random(111)
    texts = [t for t in random_texts if t]
    joined = ["，".join(rng.sample(texts, 8)) + "。\n" + "\n".join(rng.sample(texts, 8)) for _ in range(300)]
    real = [d.text for d in corpus_docs]
    variants = [v for t in real for v in _variants(rng, t, 4)]
    docs = [Document(f"d{i}", "t", t, "p") for i, t in enumerate(texts + joined + real + variants)]
    fast_path = rows = 0
    for round_ in range(3):
        if round_ == 2:
            extract._PROSE_NUMBERS.clear()
            extract._TAILS.clear()
            N._CONVERTED.clear()
        for d in docs:
            fast = extract.extract_rows(d)
            assert _rows_repr(fast) == _rows_repr(extract._extract_rows_plain(d)), d.text
            rows += len(fast)
    for d in docs:
        claims, _, add = extract._collector(d.text)
        extract._claiming_passes(d.folded, claims, add)
        fast_path += claims._disjoint
    assert fast_path > 0.95 * len(docs) and rows > 30_000


def test_start_run_finds_the_starts_and_plain_runs_are_whole_matches(random_texts, shuyang):
    """_START_RUN begins where _START does, from every offset; where plain_run says so, the
    match of _SCAN is exactly the run found."""
    rng = random.Random(23)
    tails = ["分之一", "分之3", "分之", "万", " 万", "千万", "百万", "亿", "千", "百", ".5", ",000", ",00", " 至 5",
             "至十", "到3", "-3", "—4", "–2", "~5", "－6", "～7", "余", "多", " 多", "来", "点五", "点", "个",
             "件", "年", "%", "", " ", "\t余", "两", "十", "分"]
    runs = ["".join(rng.choice("0123456789一二三十百千万亿两零〇") for _ in range(rng.randrange(1, 6)))
            + rng.choice(tails) + rng.choice(_UNITS + "点分至到-—~余多来 ,.") for _ in range(6000)]
    plain = 0
    for t in random_texts + runs + [shuyang.folded[:20_000]]:
        for pos in range(len(t) + 1):
            a, b = N._START_RUN.search(t, pos), N._START.search(t, pos)
            assert (a and a.start()) == (b and b.start()), (t, pos)
            if a is not None and N.plain_run(t, *a.span()):
                plain += 1
                m = N._SCAN.match(t, a.start())
                assert m is not None and m.span() == a.span(), (t, pos)
    assert plain > 50_000


def test_fast_prose_pass_equals_plain_pass_under_any_claims(random_texts, corpus_docs):
    """Both prose passes after the same claims, random disjoint ranges (so that numbers and
    their units run into claimed text at every place): the fast pass's bisection over the
    earlier claims and the end of its last figure == the plain pass's claims."""
    rng = random.Random(113)
    texts = [t for t in random_texts if len(t) > 10] + [v for d in corpus_docs for v in _variants(rng, d.text, 1)]
    rejected = 0
    for t in texts:
        ft = fold(t)
        edges = sorted(rng.sample(range(len(ft) + 1), min(len(ft) + 1, 2 * rng.randrange(1, 12))))
        ranges = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if a < b]
        rng.shuffle(ranges)
        (c1, figs1, add1), (c2, figs2, add2), (c3, figs3, add3) = (extract._collector(t) for _ in range(3))
        for a, b in ranges:
            for c in (c1, c2, c3):
                c.add(a, b)
        pipe_lines, regions = extract._prose_context(ft, extract.table_regions(ft))
        extract._prose_pass(ft, t, c1, figs1, pipe_lines, regions)
        extract._prose_pass_plain(ft, c2, add2, pipe_lines, regions)
        assert _rows_repr(figs1) == _rows_repr(figs2), t
        extract._prose_pass_plain(ft, extract._Claims(), add3, pipe_lines, regions)
        rejected += len(figs3) - len(figs2)
    assert rejected > 1000


def test_plain_digits_reading_equals_match_reading():
    rng = random.Random(29)
    for _ in range(3000):
        g = "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 14)))
        text = g + rng.choice("个件条项人年月，。 ")
        m = N._SCAN.match(text)
        assert m.group() == g
        extract._PROSE_NUMBERS.clear()
        want = extract._prose_number(m)
        got = extract._plain_digits_number(g)
        assert repr(got) == repr(want) and got[8] is False


# ------------------------------------------------------------------- claiming passes: hints
def test_identifier_hints_and_heading_numbers_equal_full_scans(random_texts, corpus_docs):
    rng = random.Random(31)
    pieces = ["〔2021〕30号", "[2020]3号", "［2019］12 号", "第十二条", "第（一）项", "第3款", "索引号：ABC-1",
              "2025版", "\n2.3 ", "\n 1.2.3abc", "1.1 标题", "\n#4.5\t", "号", "第", "版", "\n", " ", ".",
              "V2.0版本", "1.2.3", "13912345678", "32010219800101123X", "12345678901件"]
    texts = random_texts + [d.folded for d in corpus_docs] + [
        "".join(rng.choice(pieces + list(_NUMERIC)) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    hits = [0] * len(extract._IDENTIFIER_RES)
    for t in texts:
        for k, rx in enumerate(extract._IDENTIFIER_RES):
            want = [m.span() for m in rx.finditer(t)]
            assert extract._identifier_matches(k, t) == want, (k, t)
            hits[k] += bool(want)
    assert min(hits) > 20


def test_contact_month_range_and_service_hints_hold_for_every_match(random_texts, corpus_docs):
    """A text without the hint has no match (the passes skip it)."""
    rng = random.Random(37)
    keys = ["联系电话", "咨询电话", "传真", "邮政编码", "邮编", "通讯地址", "电子信箱", "电子邮箱", "E-mail",
            "email", "热线", "服务热线", "：", "2023年1-6月", "2023 年 10 至 12 月", "年", "月", "至", "-",
            "7*24小时", "5 × 8 小时", "7x24", "7X24", "小时", "*", "×", "x", "X", " "]
    texts = random_texts + [d.folded for d in corpus_docs] + [
        "".join(rng.choice(keys + list(_NUMERIC)) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    contact = month = service = 0
    for t in texts:
        if extract._CONTACT_KEY.search(t):
            contact += 1
            assert extract._holds(t, extract._CONTACT_HINTS), t
        if extract._MONTH_RANGE.search(t):
            month += 1
            assert extract._MONTH_RANGE_HINT.search(t), t
        if extract._SERVICE_HOURS.search(t):
            service += 1
            assert "小时" in t and extract._holds(t, extract._SERVICE_HINTS), t
    assert contact > 500 and month > 100 and service > 100


def test_period_separator_starts_with_one_of_its_first_characters():
    rng = random.Random(41)
    alphabet = " \t起至到—-~～年月日12"
    found = 0
    for _ in range(20_000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
        if extract._PERIOD_SEP.fullmatch(t):
            found += 1
            assert t and t[0] in extract._PERIOD_SEP_FIRST
    assert found > 1000


def test_unreadable_chinese_year_test_is_the_original_one(random_texts):
    """``year is None and Y`` == ``Y and not Y.isdigit() and year is None`` for every date."""
    years = ["二〇二三年", "二〇二三年五月", "〇〇〇〇年", "两两两两年", "2023年", "2023年1月1日", "12月31日", "3月"]
    rng = random.Random(43)
    n = 0
    for t in random_texts + ["".join(rng.sample(years, 3)) for _ in range(500)]:
        for m in extract._DATE_RE.finditer(t):
            year, _ = extract._date_parts(m)
            y = m.group("Y")
            assert bool(year is None and y) == bool(y and not y.isdigit() and year is None)
            n += 1
    assert n > 1000


# -------------------------------------------------------------------------------- tables
def test_line_start_search_and_table_four_heading_equal_the_patterns(corpus_docs):
    from summary_analysis.figures import tables as T

    rng = random.Random(47)
    heads = ["主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况",
             "行政复议、 行政诉讼情况", "被申请行政复议、提起行政诉讼的情况", "\n", "二、", " ", "#", "行政复议、", "信息公开"]
    texts = [d.folded for d in corpus_docs] + [
        "".join(rng.choice(heads) for _ in range(rng.randrange(0, 10))) for _ in range(3000)]
    found = 0
    for t in texts:
        for label in ("主动公开政府信息情况", "收到和处理政府信息公开申请情况"):
            want = re.compile(T._LINE_START + label).search(t)
            got = T._find_line_start(t, label)
            assert (got and got.span()) == (want and want.span()), t
            found += bool(want)
        for pos in {0, len(t) // 3, len(t)}:
            want = T._T4_HEADING.search(t, pos)
            got = T._t4_heading(t, pos)
            assert (got and got.span()) == (want and want.span()), (t, pos)
    assert found > 500


def test_table_memos_give_fresh_equal_answers(corpus_docs):
    from summary_analysis.figures import tables as T

    texts = [d.folded for d in corpus_docs]
    assert any(T._table_regions(t) for t in texts)
    for t in texts + texts[::-1]:
        regions = T.table_regions(t)
        assert regions == T._table_regions(t)
        regions["x"] = (0, 0)  # the caller's copy: the memo is not changed
        assert T.table_regions(t) == T._table_regions(t)
        tables = T.read_statutory_tables(t)
        assert tables == T._read_statutory_tables(t, T._table_regions(t))
        tables["三"].clear()
        assert T.read_statutory_tables(t) == T._read_statutory_tables(t, T._table_regions(t))
        # other regions than the memo's: read again
        assert T.read_statutory_tables(t, regions={}) == {"二": {}, "三": {}, "四": {}}
    assert T.read_pipe_rows("no pipe row 12") == []


# ---------------------------------------------------------------------------- consistency
def test_float_and_int_comparisons_equal_the_decimal_ones():
    from summary_analysis.figures.consistency import _above, _below, _dec

    rng = random.Random(53)
    values = [0, -0.0, 0.0, 100, 100.0, 99.99999999999999, 100.00000000000001, -1e-300, 1e300, -5,
              float("inf"), float("-inf")]
    for _ in range(20_000):
        k = rng.random()
        if k < 0.3:
            values.append(rng.randrange(-1000, 1000))
        elif k < 0.6:
            values.append(round(rng.uniform(-200, 200), rng.randrange(0, 6)))
        else:
            x = rng.choice([0.0, 100.0, -100.0])
            for _ in range(rng.randrange(0, 4)):
                x = math.nextafter(x, rng.choice([-math.inf, math.inf]))
            values.append(x)
    for v in values:
        if isinstance(v, float) and math.isinf(v):
            assert _above(v, 100) == (v > 100) and _below(v, 0) == (v < 0)
            continue
        for bound in (0, 100, -100):
            assert _below(v, bound) == (_dec(v) < bound), v
            assert _above(v, bound) == (_dec(v) > bound), v


def test_breakdowns_and_table_identities_without_their_words_are_empty(corpus_docs):
    from summary_analysis.figures import consistency as C
    from summary_analysis.figures import extract_figures
    from summary_analysis.figures.tables import read_statutory_tables

    checked = 0
    for d in corpus_docs:
        if "其中" in d.folded:
            stripped = Document(d.doc_id, d.title, d.text.replace("其中", "其间"), d.path)
            assert C.breakdowns(stripped, extract_figures(stripped, [])) == []
            checked += 1
    assert checked >= 2
    assert C._fig004(corpus_docs[0], {"二": {}, "三": {}, "四": {}}) == []
    assert any(C._fig004(d, read_statutory_tables(d.folded)) == [] for d in corpus_docs)


# ------------------------------------------------------------------------- metric, span
def test_interned_metric_equals_plain_metric(random_texts):
    import sys

    from summary_analysis.figures import metric as M

    rng = random.Random(59)
    n = 0
    for t in random_texts:
        for _ in range(3):
            i = rng.randrange(len(t) + 1)
            for pre in (False, True):
                got = M._metric_of(t[:i], t[i:], pre)
                assert got == M._metric_plain(t[:i], t[i:], pre)
                if got is not None:
                    assert sys.intern(got) is got
                    n += 1
    assert n > 1000


def test_fast_span_equals_span():
    from summary_analysis.figures import _span

    assert [f.name for f in dataclasses.fields(Span)] == ["start", "end"]
    rng = random.Random(61)
    for _ in range(1000):
        s = rng.randrange(0, 10_000)
        e = s + rng.randrange(0, 100)
        fast, slow = _span(s, e), Span(s, e)
        assert type(fast) is Span and fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
        assert not (fast < slow) and fast <= slow


def test_dates_found_backwards_equal_the_full_scan(random_texts, corpus_docs):
    """_date_matches (places found in the reversed text) == _DATE_RE.finditer, groups included,
    on random texts, real reports and dense mixtures of years, months and their neighbours."""
    rng = random.Random(47)
    pieces = ["2020", "2023", "1999", "12019", "20", "3", "12", "31", "二〇二三", "〇二三", "一二三四五",
              "年", "月", "日", "号", "度", "份", " ", "\t", ".", "至", "起", "以来", "底", "1", "9", "五"]
    texts = random_texts + [d.folded for d in corpus_docs] + [
        "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30))) for _ in range(5000)]
    found = 0
    for t in texts:
        want = _spans_and_groups(extract._DATE_RE.finditer(t))
        assert _spans_and_groups(extract._date_matches(t)) == want, t
        found += len(want)
    assert found > 2000


def test_date_parts_memo_equals_the_reading_of_each_match(random_texts, corpus_docs):
    """The memo of _date_parts by matched text gives every match's own reading (same text, same
    groups), in any context; also after the memo is emptied."""
    rng = random.Random(53)
    pieces = ["2020", "二〇二三", "〇〇〇〇", "年", "度", "月", "日", "号", "份", "以来", "底", " ", "3", "12",
              "31", "1", "至", "，"]
    texts = random_texts + [d.folded for d in corpus_docs] + [
        "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 30))) for _ in range(3000)]
    n = 0
    for round_ in range(2):
        extract._DATE_PARTS.clear()
        for t in texts:
            for m in extract._DATE_RE.finditer(t):
                assert extract._date_parts_memo(m) == extract._date_parts(m), m.group()
                n += 1
    assert n > 5000


def test_claims_in_order_shortcut_keeps_the_same_state():
    """_Claims.add (with its shortcut for a range after every claimed one) == adding through the
    overlap test alone: same ranges, same disjointness flag, same answers; ranges mostly in
    order, some empty, some overlapping, some out of order."""

    class Plain(extract._Claims):
        def add(self, s, e):
            if self._disjoint and self.overlaps(s, e):
                self._disjoint = False
            k = bisect.bisect_right(self.ranges, (s, e))
            self.ranges.insert(k, (s, e))
            self._starts.insert(k, s)

    rng = random.Random(59)
    flips = 0
    for _ in range(3000):
        fast, plain = extract._Claims(), Plain()
        pos = 0
        for _ in range(rng.randrange(1, 25)):
            r = rng.random()
            s = pos + rng.randrange(0, 4) if r < 0.8 else rng.randrange(0, pos + 1)
            e = s + rng.randrange(0, 6)
            if r < 0.05:
                s, e = max(0, pos - 2), pos + 1  # overlaps the last range
            pos = max(pos, e)
            fast.add(s, e)
            plain.add(s, e)
            assert (fast.ranges, fast._starts, fast._disjoint) == (plain.ranges, plain._starts, plain._disjoint)
            q = rng.randrange(0, pos + 2)
            q2 = q + rng.randrange(0, 4)
            assert fast.overlaps(q, q2) == plain.overlaps(q, q2)
        flips += not fast._disjoint
    assert 100 < flips < 2900


def test_prose_tail_memo_holds_in_every_context(random_texts, corpus_docs):
    """The memo of what follows a plain run of ASCII digits (_TAILS, keyed by the clause texts
    before and after the number) gives the plain pass's rows when the same clauses come back in
    other contexts: other numbers, line starts and list numbering, brackets, pipe rows, table
    sections, claimed dates and contact details next to them, 、 and . after the number."""
    rng = random.Random(61)
    clauses = ["处理网民留言{n}条", "满意率{n}%", "参训人员{n} 人次以上", "新增{n}个触摸屏", "办结{n}件（{n}%）",
               "收到申请{n}件左右", "{n}个工作日", "{n}、", "{n}.", "{n}．5", "({n})", "（{n}）", "第{n}条",
               "{n}元", "{n}万元", "{n}年", "2023年{n}月", "电话：{n}", "|{n}|", "{n} 以上问题", "{n}以上",
               "约{n}", "{n}大项", "{n}方面", "{n}是", "{n} 、3", "{n}、一", "{n}\t、", "{n}.5", "{n} ．"]
    seps = ["，", "。", "；", "\n", "、", "：", " ", "", "\n一、", "\n|", "（", "）"]
    heads = ["", "二、主动公开政府信息情况\n", "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量 "]
    texts = []
    for _ in range(1500):
        parts = [rng.choice(heads)]
        for _ in range(rng.randrange(1, 14)):
            parts.append(rng.choice(clauses).format(n=rng.choice(["1", "7", "12", "208", "4068", "17.46"])))
            parts.append(rng.choice(seps))
        texts.append("".join(parts))
    texts += [t for t in random_texts if t] + [d.text for d in corpus_docs]
    hits = rows = 0
    for round_ in range(2):
        for t in texts:
            d = Document("d", "t", t, "p")
            before = len(extract._TAILS)
            fast = extract.extract_rows(d)
            assert _rows_repr(fast) == _rows_repr(extract._extract_rows_plain(d)), t
            rows += len(fast)
            hits += round_ == 1 and len(extract._TAILS) == before
    assert rows > 20_000 and hits > 1000


def _skipped_run(t: str, s: int, q: int) -> bool:
    """The plain definition of a run the prose pass rejects whatever its context: a plain run of
    numeral words that is 一 alone, or that list numbering follows directly."""
    if t[s] not in N.CN_DIGITS + "十" or not N.plain_run(t, s, q):
        return False
    return t[s:q] == "一" or re.compile(r"[.．、](?!\d)|是|方面|要|则|种|道").match(t, q) is not None


def test_prose_starts_skip_exactly_the_rejected_runs(random_texts, shuyang):
    """_PROSE_START.search finds what _START_RUN.search finds, except the starts of skipped runs
    (_skipped_run) and the digit words inside them; the fast prose pass with it == plain pass
    (tested above) shows these are rejected."""
    rng = random.Random(67)
    pieces = ["一", "二", "三", "十", "两", "零", "百", "千", "万", "亿", "是", "方面", "要", "来", "则", "种", "道",
              "、", ".", "．", "5", " ", "点", "分", "至", "余", "项", "个", "进", "统", "，"]
    texts = random_texts + ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 20))) for _ in range(4000)]
    texts.append(shuyang.folded[:20_000])
    skipped = 0
    for t in texts:
        for pos in range(len(t) + 1):
            a = extract._PROSE_START.search(t, pos)
            p = pos
            while True:
                b = N._START_RUN.search(t, p)
                if b is None or (a is not None and b.start() == a.start()):
                    break
                inside = any(_skipped_run(t, *N._START_RUN.match(t, x).span()) and
                             N._START_RUN.match(t, x).end() > b.start()
                             for x in range(max(pos, b.start() - 12), b.start())
                             if N._START_RUN.match(t, x) and t[b.start()] in N.CN_DIGITS + "十")
                assert _skipped_run(t, *b.span()) or inside, (t, pos, b)
                skipped += 1
                p = b.start() + 1
            assert (a is None) == (b is None), (t, pos)
            assert a is None or a.span() == b.span(), (t, pos)
    assert skipped > 10_000


def test_holds_is_every_character_of_one_hint():
    rng = random.Random(71)
    hints = ["话", "传真", "mail", ("话", "传真"), ("号〔", "号[", "号［"), extract._CONTACT_HINTS, "", ("",), ()]
    for _ in range(3000):
        t = "".join(rng.choice("话传真mail号〔[［x ") for _ in range(rng.randrange(0, 8)))
        for h in hints:
            want = all(c in t for c in h) if isinstance(h, str) else any(all(c in t for c in x) for x in h)
            assert extract._holds(t, h) == want, (t, h)
