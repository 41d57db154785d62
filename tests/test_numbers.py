"""Number parsing (figures/numbers.py): every number form of issue 4, item 1, and cn2an's traps."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from summary_analysis.document import Document
from summary_analysis.figures import extract_figures
from summary_analysis.figures.numbers import parse_chinese, parse_number, scan_numbers, to_value


@pytest.mark.parametrize("written, expected", [
    ("4,068.208", Decimal("4068.208")),      # thousands separator and decimals
    ("5,500", Decimal(5500)),
    ("６８", Decimal(68)),                    # full-width digits
    ("两", Decimal(2)),
    ("十五", Decimal(15)),
    ("一千零十", Decimal(1010)),
    ("两百", Decimal(200)),                   # cn2an strict mode refuses 两
    ("二〇二〇", Decimal(2020)),              # positional year digits
    ("1.5万", Decimal(15000)),                # mixed Arabic + magnitude
    ("3万5千", Decimal(35000)),
    ("百分之一点五七", Decimal("1.57")),      # exact: no binary float artefact
    ("百分之九十", Decimal(90)),
    ("-6.2", Decimal("-6.2")),
    ("四千零六十八点二零八", Decimal("4068.208")),
])
def test_parse_number_forms(written, expected):
    assert parse_number(written) == expected


def test_percent_words_are_exact():
    v = parse_number("百分之一点五七")
    assert v == Decimal("1.57") and to_value(v) == 1.57
    assert str(v) == "1.57"


def test_not_numbers_and_no_crash():
    assert parse_number("统一零售") is None
    assert parse_number("") is None
    assert parse_chinese("数十") is None
    # 13万2: parsed (cn2an's colloquial reading 13万2千) or left alone, never a crash
    assert parse_number("13万2") in (Decimal(132000), None)


def _one(text):
    found = scan_numbers(text)
    assert len(found) == 1, found
    return found[0]


def test_scan_approximations():
    m = _one("近1000条")
    assert (m.value, m.approx, m.text) == (Decimal(1000), True, "近1000")
    m = _one("5500余条")
    assert (m.value, m.approx) == (Decimal(5500), True)
    m = _one("20多年")
    assert (m.value, m.approx) == (Decimal(20), True)
    for prefix in ("约", "超", "超过", "逾"):
        assert _one(f"{prefix}300个").approx


@pytest.mark.parametrize("text, low, high", [
    ("20多年", 20, 29), ("5500余条", 5500, 5599), ("百余人", 100, 199), ("3万余元", 30000, 39999),
    ("1000 多件", 1000, 1999), ("23多", 23, 23), ("近1000条", 1000, 1000), ("30来个", 30, 30)],
    ids=["20-odd", "5500-odd", "100-odd", "30000-odd", "1000-odd", "23-odd", "nearly-1000", "about-30"])
def test_odd_numbers_run_to_the_order_of_their_last_digit(text, low, high):
    """Found by the session-10 figures audit: 20多年 had low = high = 20 while 数十 got 20..90.
    n余/n多 ("n and some") runs from n to just below n plus one unit of its last non-zero digit."""
    m = _one(text)
    assert (m.low, m.high, m.approx) == (Decimal(low), Decimal(high), True)


def test_scan_ranges():
    m = _one("3至5个")
    assert (m.value, m.low, m.high, m.approx) == (None, Decimal(3), Decimal(5), True)
    m = _one("10—20件")
    assert (m.low, m.high) == (Decimal(10), Decimal(20))
    m = _one("两三个")  # an approximate range 2–3, not 23
    assert (m.value, m.low, m.high, m.approx) == (None, Decimal(2), Decimal(3), True)


def test_scan_vague_and_signed():
    m = _one("数十人")
    assert m.value is None and m.approx and m.low == 20 and m.high == 90
    m = _one("同比-6.2%")
    assert m.value == Decimal("-6.2") and m.text == "-6.2"


def test_scan_percent_word_and_mixed():
    m = _one("百分之九十")
    assert m.percent and m.value == 90
    m = _one("1.5万人")
    assert m.value == 15000


def _figs(text):
    return extract_figures(Document("t", "t", text, "t"), [])


def test_unit_words_and_kinds():
    figs = _figs("办理申请68条，其中自然人两名；15个工作日内答复；办结率100%；收费1000万元；同比-6.2%。")
    got = [(f.raw, f.value, f.unit, f.kind) for f in figs]
    assert ("68条", 68, "条", "count") in got
    assert ("两名", 2, "名", "count") in got
    assert ("15个工作日", 15, "个工作日", "duration") in got
    assert ("100%", 100, "%", "percent") in got
    assert ("1000万元", 1000, "万元", "money") in got
    assert ("-6.2%", -6.2, "%", "percent") in got


def test_chinese_numerals_inside_words_are_not_figures():
    figs = _figs("坚持三安全一稳定，统一零售，一是加强领导，完成一项重要工作，第四季度，二十大精神。")
    assert figs == []


def test_year_in_chinese_digits_is_a_date():
    figs = _figs("二〇二〇年工作总结")
    assert [(f.raw, f.value, f.kind) for f in figs] == [("二〇二〇年", 2020, "date")]


def test_random_arabic_round_trip():
    """Seeded property check: any written Arabic amount parses back exactly."""
    rng = random.Random(4)
    for _ in range(300):
        whole = rng.randrange(0, 10**7)
        frac = rng.randrange(0, 1000)
        s = f"{whole:,}.{frac:03d}" if rng.random() < 0.5 else f"{whole}.{frac:03d}"
        assert parse_number(s) == Decimal(s.replace(",", ""))
        wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in str(whole))
        assert parse_number(wide) == whole


def test_more_forms_in_running_text():
    figs = {f.raw: f for f in _figs("开展培训十五个批次，检查3次以上，公开率17.46%，约200人参加，新增5500余条。")}
    assert (figs["十五个"].value, figs["十五个"].unit) == (15, "个")
    assert figs["3次以上"].approx and figs["3次以上"].value == 3
    assert (figs["17.46%"].value, figs["17.46%"].kind) == (17.46, "percent")
    assert figs["约200人"].approx and figs["约200人"].value == 200
    assert figs["5500余条"].approx and figs["5500余条"].value == 5500
    rng = _figs("每件3至5个工作日办结，10—20件")
    assert [(f.low, f.high, f.value, f.approx) for f in rng] == [(3, 5, None, True), (10, 20, None, True)]


def test_contact_and_identifier_forms():
    got = [(f.raw, f.kind) for f in _figs(
        "服务热线12345，热线受理群众诉求1200件。电话：0517-83605210、0517-83605211；"
        "e-mail：ab@163.com；依据国办公开办函〔2021〕30号和《条例》第二十条第（一）项、国令第 711 号。")]
    assert got == [("12345", "contact"), ("1200件", "count"), ("0517-83605210", "contact"),
                   ("0517-83605211", "contact"), ("ab@163.com", "contact"), ("〔2021〕30号", "identifier"),
                   ("第二十条第（一）项", "identifier"), ("第 711 号", "identifier")]
    heading = _figs("2.3 工作机制\n1.建立制度")
    assert [(f.raw, f.kind) for f in heading] == [("2.3", "identifier")]


def test_bare_magnitudes_and_percent_words():
    figs = {f.raw: f for f in _figs("百余人参加，千余件，满意度达98.5%以上，办结率百分之百。百姓、千万不要。")}
    assert (figs["百余人"].value, figs["百余人"].approx) == (100, True)
    assert (figs["千余件"].value, figs["千余件"].unit) == (1000, "件")
    assert figs["98.5%以上"].approx and figs["98.5%以上"].kind == "percent"
    assert (figs["百分之百"].value, figs["百分之百"].kind) == (100, "percent")
    assert set(figs) == {"百余人", "千余件", "98.5%以上", "百分之百"}


def test_month_range_is_a_period():
    figs = _figs("2023年1-6月，共收到申请1,234件；2024年3月起实施。")
    assert [(f.raw, f.kind, f.low, f.high) for f in figs if f.kind in ("date", "period")] == [
        ("2023年1-6月", "period", 2023, 2023), ("2024年3月", "date", 2024, 2024)]


def test_fractions_as_percent():
    figs = {f.raw: f for f in _figs("占全市的三分之一，四分之三以上，十分重要。")}
    assert (figs["三分之一"].value, figs["三分之一"].kind, figs["三分之一"].approx) == (33.33, "percent", True)
    assert (figs["四分之三以上"].value, figs["四分之三以上"].approx) == (75, True)
    assert set(figs) == {"三分之一", "四分之三以上"}
