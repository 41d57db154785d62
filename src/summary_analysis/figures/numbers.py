"""Number parsing for Chinese reports: Arabic, full-width, Chinese numerals, mixed and approximate.

The lexical layer of the figures stage. :func:`parse_number` turns one written number into an
exact :class:`~decimal.Decimal`; :func:`scan_numbers` finds every number expression in a text
with its approximation markers, range bounds and percent form. Chinese numerals are parsed by
`cn2an <https://github.com/Ailln/cn2an>`_ (``normal`` mode) behind a wrapper that guards its
known failures:

* ``cn2an.transform`` rewrites digits inside words (``统一零售`` → ``统10售``, ``两三个`` → ``23个``):
  it is never used; only isolated numeral strings found by our own pattern reach cn2an;
* ``strict`` mode refuses ``两`` and ``〇``: ``normal`` mode is used;
* percent words (``百分之…``) and Arabic/Chinese mixtures (``1.5万``, ``3万5千``) are not parsed by
  ``normal`` mode: they are handled here;
* cn2an returns binary floats (``5500.0``): values are rebuilt as :class:`~decimal.Decimal` from
  the written digits, so ``百分之一点五七`` is exactly ``Decimal("1.57")``.

Offsets returned by :func:`scan_numbers` are character offsets into the string scanned (the
callers scan :func:`summary_analysis.normalize.fold` output, which keeps offsets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from ..numerals import cn2an_value

CN_DIGITS = "零〇一二两三四五六七八九"
CN_ALL = CN_DIGITS + "十百千万亿"
_CN_DIGIT_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT_VALUE.update({"零": 0, "两": 2})

#: Arabic number: thousands separators or plain digits, optional decimals.
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
#: Chinese numeral: starts with a digit word or 十; 点 for decimals.
CHINESE = rf"[{CN_DIGITS}十][{CN_ALL}]*(?:点[{CN_DIGITS}]+)?"
#: Arabic number with a 万/亿 magnitude and an optional colloquial remainder (3万5千, 13万2).
MIXED = rf"(?:{ARABIC})[ \t]?(?:千万|百万|万|亿)(?:\d+[千百]?|[{CN_DIGITS}][千百]?)?"

_MAGNITUDE = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千万": Decimal(10_000_000),
              "百万": Decimal(1_000_000), "千": Decimal(1000), "百": Decimal(100)}


def to_value(d: Decimal | None) -> int | float | None:
    """A :class:`Decimal` as ``int`` when integral, else the nearest ``float`` (``1.57``)."""
    if d is None:
        return None
    v = _TO_VALUE.get(d)
    if v is None:
        if d == d.to_integral_value():
            v = int(d)
        else:
            v = float(d.normalize())
        if len(_TO_VALUE) >= 8192:
            _TO_VALUE.clear()
        _TO_VALUE[d] = v
    return v


#: Memo of :func:`to_value` (equal decimals, such as 5 and 5.0, have equal results).
_TO_VALUE: dict[Decimal, int | float] = {}


def parse_chinese(s: str) -> Decimal | None:
    """Parse a Chinese numeral string (``两百``, ``一千零十``, ``二〇二〇``, ``一点五七``).

    Parameters
    ----------
    s : str
        Only numeral characters (``零〇一二两三四五六七八九十百千万亿点``).

    Returns
    -------
    Decimal or None
        None when cn2an cannot read it (never raises).
    """
    if not s or any(c not in CN_ALL + "点" for c in s):
        return None
    # Pure digit strings (二〇二〇, 一〇): positional reading, exact.
    if all(c in _CN_DIGIT_VALUE for c in s) and len(s) > 1:
        return Decimal("".join(str(_CN_DIGIT_VALUE[c]) for c in s))
    try:
        v = cn2an_value(s, "normal")
    except Exception:  # cn2an raises ValueError (and others) on malformed input
        return None
    try:
        if "点" in s:
            whole, frac = s.split("点", 1)
            w = parse_chinese(whole) if whole else Decimal(0)
            if w is None:
                return None
            digits = "".join(str(_CN_DIGIT_VALUE[c]) for c in frac if c in _CN_DIGIT_VALUE)
            return w + Decimal("0." + digits) if digits else w
        return Decimal(int(v))
    except (InvalidOperation, ValueError, TypeError):
        return None


@lru_cache(maxsize=4096)
def parse_number(s: str) -> Decimal | None:
    """Parse one written number to an exact :class:`Decimal`.

    Accepts Arabic digits with thousands separators and decimals (``4,068.208``), full-width
    digits (``６８``), Chinese numerals (``两百``), mixtures with a magnitude (``1.5万`` → 15000,
    ``3万5千`` → 35000, ``13万2`` → 132000 as cn2an's colloquial reading) and percent words
    (``百分之一点五七`` → 1.57, the percent as written).

    Returns
    -------
    Decimal or None
        None when ``s`` is not a number (never raises). Memoised (the function is pure and a
        ``Decimal`` is immutable): a report repeats its numbers.
    """
    from ..normalize import fold

    s = fold(s).strip().replace(" ", "").replace("\t", "")
    if not s:
        return None
    if s.startswith("百分之"):
        return parse_number(s[3:])
    sign = Decimal(1)
    if s[0] in "-−":
        sign, s = Decimal(-1), s[1:]
    if re.fullmatch(ARABIC, s):
        return sign * Decimal(s.replace(",", ""))
    m = re.fullmatch(rf"({ARABIC})(千万|百万|万|亿)(\d+|[{CN_DIGITS}])?([千百])?", s)
    if m:
        base = Decimal(m.group(1).replace(",", "")) * _MAGNITUDE[m.group(2)]
        if m.group(3):
            rest = m.group(3)
            r = Decimal(rest) if rest.isdigit() else Decimal(_CN_DIGIT_VALUE[rest])
            if m.group(4):
                r *= _MAGNITUDE[m.group(4)]
            else:  # 13万2 = 13万2千: the remainder is one order below the magnitude
                r *= _MAGNITUDE[m.group(2)] / 10
            base += r
        return sign * base
    v = parse_chinese(s)
    return None if v is None else sign * v


# --------------------------------------------------------------------------- scanning
_PREFIX_APPROX = r"将近|接近|大约|超过|不足|不到|近|约|超|逾"
_VAGUE = r"(?:数|几|上)(?:十|百|千|万)"  # 数十, 几百, 上千
_BARE_MAGNITUDE = r"[百千万](?=[ \t]?(?:余|多))"  # 百余人, 千余件: one hundred-odd
_RANGE_SEP = r"[ \t]*(?:至|到|-|—|–|~|－|～)[ \t]*"
_NUM = rf"(?:{MIXED}|{ARABIC}|{CHINESE})"
_SCAN = re.compile(
    rf"(?:(?P<prefix>{_PREFIX_APPROX})[ \t]*)?"
    rf"(?:(?P<vague>{_VAGUE})"
    rf"|(?P<psign>负)?(?P<pct>百分之)(?P<pnum>{ARABIC}|{CHINESE}|百)"
    rf"|(?P<bare>{_BARE_MAGNITUDE})"
    rf"|(?P<fden>{ARABIC}|{CHINESE})分之(?P<fnum>{ARABIC}|{CHINESE})"
    # a range with its unit on both ends (100%至120%): the first % only when the second is there
    rf"|(?P<sign>(?<![0-9A-Za-z.])[-−]|负)?(?P<num>{_NUM})"
    rf"(?:(?P<pct1>[ \t]?%)?(?P<sep>{_RANGE_SEP})(?P<num2>{_NUM})(?(pct1)(?=[ \t]?%)))?)"
    rf"(?P<suffix>[ \t]?(?:余|多|来))?"
)


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """One number expression found by :func:`scan_numbers`.

    Attributes
    ----------
    start, end : int
        Character offsets of the expression (approximation prefix and suffix included).
    num_start : int
        Offset where the numeral itself begins (after 近/约…).
    value : Decimal or None
        The number (None for ranges and vague numbers such as 数十).
    low, high : Decimal or None
        Bounds; equal to ``value`` for a plain number; 20多/5500余/百余 run to 29/5599/199
        (:func:`_odd_high`).
    approx : bool
        近/约/余/多/超/数十 and ranges.
    percent : bool
        Written as 百分之… or as a fraction 三分之一 (then ``value`` is the percent, 33.33).
    chinese : bool
        Written in Chinese numerals.
    text : str
        The matched text.
    """

    start: int
    end: int
    num_start: int
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    approx: bool
    percent: bool
    chinese: bool
    text: str


def _consecutive_pair(s: str) -> tuple[int, int] | None:
    """两三 / 三四 / 五六: two adjacent digit words read as an approximate range."""
    if len(s) == 2 and all(c in "一二两三四五六七八九" for c in s):
        a, b = _CN_DIGIT_VALUE[s[0]], _CN_DIGIT_VALUE[s[1]]
        if b == a + 1:
            return a, b
    return None


#: Where a match of :data:`_SCAN` can begin: a digit, a Chinese digit word or magnitude, a sign,
#: 超/近/约/逾, or the first character of a two-character word that must be followed as shown
#: (大约, 不足/不到, 接近/将近, 数十/几百/上千). The pattern consumes that one character and
#: starts with a character class, so the regex engine skips every other character in C; a
#: superset of the real starts is enough (each candidate is then tried with the full pattern).
_START = re.compile(
    rf"[\d{CN_DIGITS}十百千万超近约逾\-−负大不接将数几上]"
    r"(?:(?<=[大])(?=约)|(?<=不)(?=[足到])|(?<=[接将])(?=近)|(?<=[数几上])(?=[十百千万])"
    rf"|(?<=负)(?=[\d{CN_DIGITS}十百])"
    rf"|(?<=[\d{CN_DIGITS}十百千万超近约逾\-−]))"
)

#: :data:`_START` that goes on over the run of digits (``\\d*``) or of Chinese numeral
#: characters (``[零…九十百千万亿]*`` after a digit word or 十) that begins there: the same
#: starts (the new alternatives come first and match only where the last one of ``_START``
#: does), and the end of the run as the match's end (for :func:`plain_run`).
_START_RUN = re.compile(
    rf"[\d{CN_DIGITS}十百千万超近约逾\-−负大不接将数几上]"
    rf"(?:(?<=\d)\d*|(?<=[{CN_DIGITS}十])[{CN_ALL}]*"
    r"|(?<=[大])(?=约)|(?<=不)(?=[足到])|(?<=[接将])(?=近)|(?<=[数几上])(?=[十百千万])"
    rf"|(?<=负)(?=[\d{CN_DIGITS}十百])"
    rf"|(?<=[\d{CN_DIGITS}十百千万超近约逾\-−]))"
)
#: Characters that can continue a :data:`_SCAN` match after a whole run of digits: thousands
#: separator and decimal point, a magnitude (1.5万, 3千万), 分之, a range separator, 余/多/来 and
#: the space or tab allowed before some of them.
RUN_GOES_ON = frozenset(",. \t千百万亿分至到-—–~－～余多来")
#: The same after a whole run of Chinese numeral characters: 点 (decimals), 分之, a range
#: separator, 余/多/来, space or tab.
CN_RUN_GOES_ON = frozenset("点分 \t至到-—–~－～余多来")
_ASCII_DIGITS = frozenset("0123456789")
#: What a :data:`_RANGE_SEP` can begin with.
_RANGE_FIRST = frozenset(" \t至到-—–~－～")
_CN_RUN_FIRST = frozenset(CN_DIGITS + "十")


def plain_run(text: str, p: int, q: int) -> bool:
    """True when ``_SCAN.match(text, p)`` is exactly ``text[p:q]``, given a match of
    :data:`_START_RUN` at ``[p, q)``.

    Two cases: ``text[p]`` is an ASCII digit (``text[p:q]`` is then the whole run of ``\\d``)
    and ``text[q]`` is not in :data:`RUN_GOES_ON` (nor a ``%`` before a range separator); or
    ``text[p]`` is a digit word or 十 (``text[p:q]`` the whole run of numeral characters) and
    ``text[q]`` is not in
    :data:`CN_RUN_GOES_ON`. No alternative of ``_SCAN`` before ``num`` can then match (they
    start with other characters or need 分之 after the number), in ``num`` the Arabic
    alternatives with a magnitude, ``,`` or ``.`` fail and the last one (or ``CHINESE``) takes
    the run, and neither a range nor a suffix follows. False only means "not known".
    """
    c = text[p]
    if c in _ASCII_DIGITS:
        if q >= len(text):
            return True
        d = text[q]
        if d == "%":  # 100%至120%: a range goes on after the percent sign
            return q + 1 >= len(text) or text[q + 1] not in _RANGE_FIRST
        return d not in RUN_GOES_ON
    if c in _CN_RUN_FIRST:
        return q >= len(text) or text[q] not in CN_RUN_GOES_ON
    return False


def finditer_at(start: re.Pattern, rx: re.Pattern, text: str):
    """The matches of ``rx.finditer(text)``, trying ``rx`` only where ``start`` matches.

    Parameters
    ----------
    start : re.Pattern
        Matches (one character) at every offset where a match of ``rx`` can begin, and
        ideally few others; best written to begin with a character class, which the regex
        engine skips to without entering the pattern.
    rx : re.Pattern
        A pattern that never matches the empty string.
    text : str

    Yields
    ------
    re.Match
        Exactly the matches of ``rx.finditer(text)``, in order: ``finditer`` reports the
        leftmost match at or after the end of the previous one, every such match begins at an
        offset ``start`` finds, and lookbehinds see the text before ``pos``.
    """
    start_search = start.search
    match = rx.match
    pos = 0
    while True:
        c = start_search(text, pos)
        if c is None:
            return
        p = c.start()
        m = match(text, p)
        if m is None:
            pos = p + 1
        else:
            yield m
            pos = m.end()


#: Memo of :func:`_convert` by matched text (bounded; cleared when full).
_CONVERTED: dict[str, tuple | None] = {}
_CONVERTED_MAX = 8192


def _convert(m: re.Match) -> tuple | None:
    """The parts of one match's :class:`NumberMatch` as offsets relative to ``m.start()``.

    ``(end, num_start, value, low, high, approx, percent, chinese, text)`` or None when the
    match is not a number. Depends on the matched text only: the groups of a match are fixed
    by its text (the one lookbehind, before a sign, only decides whether the match starts with
    that sign), so results are memoised by text.
    """
    g = m.group()
    r = _CONVERTED.get(g, _CONVERTED)
    if r is not _CONVERTED:
        return r
    r = _convert_uncached(m)
    if r is not None:
        base = m.start()
        r = (r[0] - base, r[1] - base) + r[2:]
    if len(_CONVERTED) >= _CONVERTED_MAX:
        _CONVERTED.clear()
    _CONVERTED[g] = r
    return r


#: A match holding more digits than this is not a number of a report (no statistic has them;
#: Python also refuses ``int`` of a string over 4,300 digits): the scan passes over it.
MAX_DIGITS = 100


def too_long(text: str) -> bool:
    """Whether ``text`` holds more than :data:`MAX_DIGITS` decimal digits (``str.isdigit``)."""
    return len(text) > MAX_DIGITS and sum(c.isdigit() for c in text) > MAX_DIGITS


def _convert_uncached(m: re.Match) -> tuple | None:
    """:func:`_convert` without the memo, offsets absolute (the plain definition, tested)."""
    (prefix, vague, psign, pct, pnum, bare, fden, fnum, sign, num, _pct1, sep, num2, suffix) = m.groups()
    if not (vague or pnum or num or bare or fnum):
        return None
    if too_long(m.group()):
        return None
    prefix = bool(prefix)
    suffix = bool(suffix)
    start, end = m.start(), m.end()
    whole = m.group()
    num_start = m.start("vague") if vague else (
        m.start("psign" if psign else "pct") if pct else m.start("sign" if sign else "num"))
    if vague:
        # 数十 → 20..90, 几百 → 200..900: "several" tens/hundreds
        mag = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000)}[vague[1]]
        return (end, num_start, None, 2 * mag, 9 * mag, True, False, True, whole)
    if bare:  # 百余, 千多: always followed by 余 or 多
        v = _MAGNITUDE[bare]
        return (end, m.start("bare"), v, v, _odd_high(v), True, False, True, whole)
    if fnum:  # 三分之一 → 33.33 (percent, rounded to 0.01: approximate unless exact)
        den, numv = parse_number(fden), parse_number(fnum)
        if not den or numv is None:
            return None
        exact = numv * 100 / den
        v = exact.quantize(Decimal("0.01"))
        return (end, m.start("fden"), v, v, v, prefix or suffix or v != exact, True,
                not fden[0].isdigit(), whole)
    if pnum:
        v = Decimal(100) if pnum == "百" else parse_number(pnum)
        if v is None:
            return None
        if psign:  # 负百分之三十
            v = -v
        return (end, num_start, v, v, v, prefix or suffix, True, not pnum[0].isdigit(), whole)
    chinese = not num[0].isdigit()
    pair = _consecutive_pair(num) if chinese else None
    if pair:
        lo, hi = Decimal(pair[0]), Decimal(pair[1])
        return (end, num_start, None, lo, hi, True, False, True, whole)
    # ASCII digits (most numbers; an ASCII ``num`` can only be ARABIC, since MIXED and CHINESE hold
    # other characters): the value parse_number gives, without its other cases
    v = Decimal(num.replace(",", "")) if num.isascii() else parse_number(num)
    if v is None:
        return None
    if sign:
        v = -v
    if num2:
        v2 = parse_number(num2)
        if v2 is None or v2 < v:
            # not a range (e.g. a phone number 0517-83605210 is filtered by context later)
            end = m.end("num")
            return (end, num_start, v, v, v, prefix, False, chinese, whole[:end - start])
        return (end, num_start, None, v, v2, True, False, chinese, whole)
    high = _odd_high(v) if suffix and m.group("suffix").strip() in ("余", "多") else v
    return (end, num_start, v, v, high, prefix or suffix, False, chinese, whole)


def _odd_high(v: Decimal) -> Decimal:
    """The upper bound of ``v``余/``v``多 ("``v`` and some"): the odd part is below the order of
    the number's last non-zero digit, so 20多 runs to 29, 5500余 to 5599, 3万余 to 39999 and
    百余 to 199. A number without trailing zeros, or not whole, keeps ``v``."""
    if v <= 0 or v != v.to_integral_value():
        return v
    n, step = int(v), 1
    while n % 10 == 0:
        n //= 10
        step *= 10
    return v + step - 1 if step > 1 else v


def scan_tuples(text: str):
    """:func:`scan_numbers` as plain tuples, the fields of :class:`NumberMatch` in order.

    For the figures stage, which reads each match once (a tuple is several times cheaper to
    build than the frozen dataclass).
    """
    converted = _CONVERTED
    for m in finditer_at(_START, _SCAN, text):
        r = converted.get(m.group(), converted)
        if r is converted:
            r = _convert(m)
        if r is not None:
            p = m.start()
            yield (p, p + r[0], p + r[1]) + r[2:]


def scan_numbers(text: str) -> list[NumberMatch]:
    """Find number expressions in ``text`` (expected width-folded).

    Handles 近1000, 5500余, 20多, 百余, 3至5, 10—20, 100%至120%, 两三, 数十, 百分之九十,
    负百分之三十, -6.2, 负3 and 1.5万. Units and context (percent signs, measure words, dates) are
    left to the caller.

    Returns
    -------
    list[NumberMatch]
        In text order, non-overlapping. Never raises.
    """
    return [NumberMatch(*t) for t in scan_tuples(text)]


__all__ = ["parse_number", "parse_chinese", "scan_numbers", "NumberMatch", "to_value",
           "ARABIC", "CHINESE", "CN_DIGITS"]
