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
* ``_figure`` builds the same object as ``Figure(...)``.
"""

from __future__ import annotations

import dataclasses
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

from conftest import SHUYANG

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
    assert found > 5000


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
             "填写", "文字描述", "）", ")", "20", "19", "年", "度", "二", "a", "@", "中文", " ", "\n"]
    hits = 0
    for _ in range(5000):
        text = "".join(rng.choice(marks) for _ in range(rng.randrange(0, 25)))
        doc = Document("d", "t", text, "p")
        got = [(f.span.start, f.span.end, f.evidence["kind"]) for f in find_placeholders(doc)]
        want = [(m.start(), m.end(), m.lastgroup) for m in placeholders._RE.finditer(text)]
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
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.value = 1
    from summary_analysis.figures import extract_figures

    figs = extract_figures(shuyang, [])
    assert len(figs) > 100
    assert figs == [Figure(**{k.name: getattr(f, k.name) for k in dataclasses.fields(Figure)}) for f in figs]


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
