"""Evidence for copy findings: who copied whom, and what was changed to disguise it.

- :func:`doc_info` — issuer and year of a document, from :class:`~summary_analysis.sections.DocMeta`
  when the structure stage supplies it, else read off the title line (``沐阳县人民政府 2025 年
  政府信息公开工作年度报告`` → issuer ``沐阳县人民政府``, year 2025).
- :func:`choose_copier` — the output contract's rule for ``doc_id`` of a pair finding: the
  later year; else the one with unfilled template fields or opening with a 导语 of copied text;
  else the one still naming the other's place (a name left in when the copy was renamed); else
  the one that sorts second.
- :func:`differences` — the edits inside aligned passages, classified as ``issuer``, ``year``,
  ``figure``, ``name`` (a short substitution of a name: a place, an organ, a person),
  ``wording`` (a short substitution of ordinary words, as a synonym spinner makes) or ``text``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..normalize import fold
from .align import Passage

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_ISSUER_END = re.compile(r"(政府|办公厅|办公室|局|委员会|委|厅|办|街道办事处|街道|镇|乡|县|市|区|中心|院|署|所|会)$")
#: Kinds of :func:`differences`.
KINDS = ("issuer", "year", "figure", "placeholder", "name", "wording", "text")
#: Kinds a finding's message names as changed (``; issuer, year changed``), in this order.
CHANGED_KINDS = ("issuer", "year", "figure", "placeholder", "name", "wording")
#: Edits up to this many characters (each side) are ``name`` or ``wording``, longer ``text``.
SHORT_EDIT = 8
#: jieba dictionary part-of-speech tags of names (ICTCLAS tag set: person, place, organisation,
#: other proper noun).
_NAME_TAGS = ("nr", "ns", "nt", "nz")
#: Common surnames (the most frequent in China's 2020 census); a 2-3 character edit outside the
#: dictionary that starts with one is taken for a person's name.
_SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
                      "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
                      "龚邵万钱严覃武戴莫孔向汤")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
#: Endings of organ and place names (a stricter list than the issuer's: no 会, 委, 办, which end
#: ordinary words too).
_NAME_END = re.compile(r"(政府|办公厅|办公室|委员会|办事处|街道|社区|局|厅|署|县|市|区|镇|乡|村|中心|公司|集团)$")
#: Endings of organ names that also end ordinary two-character words (党委, 举办): they make a
#: name of three characters or more (卫健委, 发改委).
_ORGAN_END = re.compile(r"(委|办)$")
#: What follows an organ's or a place's own name (公安|局, 沭阳|县): an edit right before it on
#: both sides is a name changed (公安局→司法局 aligns as 公安→司法).
_NAME_FOLLOWS = re.compile(r"(人民政府|政府|办公室|委员会|办事处|街道|社区|局|厅|署|县|市|区|镇|乡|中心)")
#: At most this many distinct differences are listed per finding (the count is kept).
MAX_DIFFERENCES = 50


#: Place names at the head of an issuer's name, each ending in an administrative unit
#: (宿迁市|沭阳县|人民政府: places 宿迁市, 沭阳县).
_PLACE = re.compile(r"[\u4e00-\u9fff]+?(?:特别行政区|自治区|自治州|自治县|地区|街道|省|市|县|区|旗|盟|州|镇|乡)")
#: Administrative units a place's own name is written without (沭阳"网"事, 沭阳经济).
_PLACE_UNIT = re.compile(r"(?:特别行政区|自治区|自治州|自治县|地区|街道|省|市|县|区|旗|盟|州|镇|乡)$")


@dataclass(frozen=True)
class DocInfo:
    """``issuer`` (str or None), ``year`` (int or None), ``has_placeholders``, ``has_lead``
    (text opens with 导语), ``place`` (:func:`place_name` of the issuer, or None),
    ``machine_rewritten`` (REW002 judged the document's wording machine-rewritten)."""

    issuer: str | None
    year: int | None
    has_placeholders: bool = False
    has_lead: bool = False
    place: str | None = None
    machine_rewritten: bool = False


def place_name(issuer: str | None) -> str | None:
    """The most specific place an issuer's name starts with, without its administrative unit
    when two characters or more remain: ``沐阳县人民政府`` → ``沐阳``; ``宿迁市沭阳县教育局`` →
    ``沭阳``; ``沛县人民政府`` → ``沛县`` (one character alone is too common to look for);
    None when the name starts with no place (``国家统计局``).

    Used by :func:`choose_copier`: a renamed copy often still names its source's place."""
    if not issuer:
        return None
    places = []
    pos = 0
    while (m := _PLACE.match(issuer, pos)) is not None:
        places.append(m.group())
        pos = m.end()
    if not places:
        return None
    place = places[-1]
    bare = _PLACE_UNIT.sub("", place)
    return bare if len(bare) >= 2 else place


def doc_info(text: str, title: str = "", meta=None, has_placeholders: bool | None = None,
             machine_rewritten: bool = False) -> DocInfo:
    """Issuer and year of a document.

    Parameters
    ----------
    text : str
        ``Document.text``.
    title : str
        ``Document.title``.
    meta : object with ``issuer`` and ``year`` attributes, optional
        :class:`~summary_analysis.sections.DocMeta` from the structure stage; its non-null
        values win over the ones read here.
    has_placeholders : bool, optional
        Whether the document has unfilled template fields (PLH001); computed when None.
    machine_rewritten : bool
        Whether REW002 judged the document's wording machine-rewritten (its document-level
        finding, :func:`is_machine_rewritten`).

    Returns
    -------
    DocInfo
    """
    issuer = getattr(meta, "issuer", None) if meta is not None else None
    year = getattr(meta, "year", None) if meta is not None else None
    if issuer is None or year is None:
        head = re.sub(r"\s+", "", (title or "") + "\n" + text[:200].split("\n", 1)[0])
        m = _YEAR_RE.search(head)
        if m:
            if year is None:
                year = int(m.group(1))
            if issuer is None:
                cand = re.sub(r"^[#\s]+", "", head[: m.start()]).strip()
                if 2 <= len(cand) <= 30 and _ISSUER_END.search(cand):
                    issuer = cand
    if has_placeholders is None:
        has_placeholders = bool(_field_spans(text))
    lead = text.lstrip()[:6].startswith("导语")
    return DocInfo(issuer, year, has_placeholders, lead, place_name(issuer), machine_rewritten)


def read_meta(doc_id: str, text: str, title: str):
    """Issuer and year of a document the structure stage did not see (a reference document, the
    two of ``compare``), read as it reads a batch document's
    (:func:`summary_analysis.sections.document_meta`, without the heading tree): a title that
    starts with its year (2025年上海市人民政府办公厅…) gives 上海市人民政府办公厅, where
    :func:`doc_info` alone finds no issuer (DUP003 then missed "the same issuer's report of the
    previous year": session-16 fresh-user test). Returns a DocMeta, or None if that fails
    (:func:`doc_info` then reads the title alone)."""
    from ..document import Document
    from ..sections import document_meta

    try:
        return document_meta(Document(doc_id, title, text, doc_id), [])
    except Exception:  # noqa: BLE001 - metadata only
        return None


def is_machine_rewritten(findings) -> bool:
    """Whether a document's findings (an iterable of :class:`~summary_analysis.findings.Finding`)
    hold REW002's document-level verdict: a REW002 without a span whose ``evidence.verdict`` is
    ``machine-rewritten`` (the weighted density of implausible wording over the threshold,
    :mod:`summary_analysis.rewrite.plausibility`). Returns a bool; raises nothing."""
    return any(f.rule == "REW002" and f.span is None and (f.evidence or {}).get("verdict") == "machine-rewritten"
               for f in findings)


def choose_copier(id_a: str, info_a: DocInfo, id_b: str, info_b: DocInfo,
                  passages: list[Passage] | None = None, text_a: str | None = None,
                  text_b: str | None = None) -> tuple[bool, str]:
    """Decide which document of a pair is the suspected copy.

    In this order (docs/output-contract.md, pair findings): the later year; the one with
    unfilled template fields; the one opening with a 导语 of copied text; the one whose text
    names the other's place (:func:`leftover_place`: 沐阳 in 泗阳县's report copied from
    沐阳县's) while the other does not name its place; the one whose wording REW002 judged
    machine-rewritten while the other's is not (a spun copy too short for REW001); else the one
    that sorts second. (REW001 on the same pair overrides all of these later:
    :func:`summary_analysis.similarity.follow_rewrites`.)

    Parameters
    ----------
    id_a, id_b : str
        doc_ids, ``id_a < id_b``.
    info_a, info_b : DocInfo
    passages : list[Passage], optional
        Aligned passages with spans in A (``span``) and B (``related_span``).
    text_a, text_b : str, optional
        The two texts (``Document.text``), for the place left in; without them that test is
        skipped.

    Returns
    -------
    (a_is_copier, reason) : tuple[bool, str]
        ``reason`` one of ``later-year``, ``placeholders``, ``lead``, ``leftover-name``,
        ``machine-wording``, ``order``.
    """
    if info_a.year and info_b.year and info_a.year != info_b.year:
        return info_a.year > info_b.year, "later-year"
    if info_a.has_placeholders != info_b.has_placeholders:
        return info_a.has_placeholders, "placeholders"
    if info_a.has_lead != info_b.has_lead and passages:
        first = min(passages, key=lambda p: p.span[0])
        if info_a.has_lead and first.span[0] <= 12:
            return True, "lead"
        first_b = min(passages, key=lambda p: p.related_span[0])
        if info_b.has_lead and first_b.related_span[0] <= 12:
            return False, "lead"
    if text_a is not None and text_b is not None:
        a_names_b = leftover_place(text_a, info_a, info_b)
        b_names_a = leftover_place(text_b, info_b, info_a)
        if a_names_b and not b_names_a:
            return True, "leftover-name"
        if b_names_a and not a_names_b:
            return False, "leftover-name"
    if info_a.machine_rewritten != info_b.machine_rewritten:
        return info_a.machine_rewritten, "machine-wording"
    return False, "order"


def leftover_place(text: str, own: DocInfo, other: DocInfo) -> str | None:
    """``other``'s place (:attr:`DocInfo.place`) when ``text``, whose issuer is ``own``'s, names
    it: the name a renamed copy kept from its source. None when either place is unknown, or
    one place's name holds the other's (宿迁 and 宿迁市: not two places)."""
    mine, theirs = own.place, other.place
    if not mine or not theirs or mine in theirs or theirs in mine:
        return None
    return theirs if theirs in text else None


def _issuer_at(text: str, issuer: str | None, span: tuple[int, int]) -> tuple[int, int] | None:
    if not issuer:
        return None
    start = max(0, span[0] - len(issuer))
    for m in re.finditer(re.escape(issuer), text[start: span[1] + len(issuer)]):
        s, e = start + m.start(), start + m.end()
        if s <= span[0] and span[1] <= e and (span[1] > span[0] or s < span[0] < e):
            return s, e
    return None


def _is_year(text: str, span: tuple[int, int]) -> bool:
    raw = text[span[0]:span[1]]
    if not re.fullmatch(r"(?:19|20)\d{2}", raw):
        return False
    return text[span[1]:span[1] + 2].lstrip()[:1] == "年" or len(raw) == 4


_BREAK = re.compile(r"[\s，。；：、！？,.;:!?（）()《》“”\"'【】]")


def _trim(text_a: str, span_a: tuple[int, int], text_b: str, span_b: tuple[int, int]
          ) -> tuple[tuple[int, int], tuple[int, int]]:
    """The two spans of an edit without the white space at their edges and without a common
    start (end) that ends (starts) at a line break, a space or a punctuation mark, or that
    both sides follow (precede) with one or with nothing (an edit's span may take in the
    unchanged characters before a line break: ``告\n\n泗`` for ``告\n\n沐``, ``告`` for
    ``告\n\n沐阳县``); a common part inside a word stays for :func:`_widen` to judge."""
    (sa, ea), (sb, eb) = span_a, span_b

    def free(text: str, pos: int, lo: int, hi: int) -> bool:
        """``pos`` is outside ``[lo, hi)`` or holds a break: a word cannot go on across it."""
        return not lo <= pos < hi or bool(_BREAK.match(text[pos]))

    k = 0
    while sa + k < ea and sb + k < eb and text_a[sa + k] == text_b[sb + k]:
        k += 1
    # the common start is cut where it ends with a break, or where both sides go on with one
    while k and not (_BREAK.match(text_a[sa + k - 1])
                     or free(text_a, sa + k, sa, ea) and free(text_b, sb + k, sb, eb)):
        k -= 1
    sa, sb = sa + k, sb + k
    k = 0
    while ea - k > sa and eb - k > sb and text_a[ea - k - 1] == text_b[eb - k - 1]:
        k += 1
    # the common end likewise, seen from its other side
    while k and not (_BREAK.match(text_a[ea - k])
                     or free(text_a, ea - k - 1, sa, ea) and free(text_b, eb - k - 1, sb, eb)):
        k -= 1
    return _strip(text_a, sa, ea - k), _strip(text_b, sb, eb - k)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the white space at its two ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


#: How many unchanged characters :func:`_widen` may take in on each side of an edit.
WIDEN = 2


def _widen(text_a: str, span_a: tuple[int, int], text_b: str, span_b: tuple[int, int], words
           ) -> tuple[str, str]:
    """The edit's two texts widened to whole words: the alignment gives the fewest changed
    characters (``沐``→``泗`` inside ``沐阳``→``泗阳``), so up to :data:`WIDEN` unchanged CJK
    characters, the same on both sides, are taken in before and after when that makes either
    side a dictionary word of two characters or more (the narrowest such widening: ``讯号敞``→``信息公`` becomes
    ``讯号敞开``→``信息公开``); otherwise the edit as it is. An insertion or a deletion (one
    side empty) is not widened."""
    (sa, ea), (sb, eb) = span_a, span_b
    if sa == ea or sb == eb:
        return text_a[sa:ea], text_b[sb:eb]
    best = None
    for k in range(2 * WIDEN + 1):
        for left in range(min(k, WIDEN) + 1):
            right = k - left
            if right > WIDEN or left > sa or left > sb:
                continue
            pre_a, pre_b = text_a[sa - left:sa], text_b[sb - left:sb]
            post_a, post_b = text_a[ea:ea + right], text_b[eb:eb + right]
            if pre_a != pre_b or post_a != post_b or len(post_a) < right or len(post_b) < right:
                continue
            if (pre_a + post_a) and not _CJK.match(pre_a + post_a):
                continue
            wa, wb = pre_a + text_a[sa:ea] + post_a, pre_b + text_b[sb:eb] + post_b
            if any(len(w) > 1 and words.get(w) is not None for w in (wa, wb)):
                best = (wa, wb)
                break
        if best:
            return best
    return text_a[sa:ea], text_b[sb:eb]


def _name_like(x: str, words) -> bool:
    tag = words.get(x)
    if tag is not None and tag[1].startswith(_NAME_TAGS):
        return True
    if len(x) >= 3 and (_NAME_END.search(x) or _ORGAN_END.search(x)):
        return True  # 财政局 (a dictionary noun), 卫健委
    if tag is not None:
        return False
    return bool(_NAME_END.search(x) and len(x) >= 2) or (
        2 <= len(x) <= 3 and x[0] in _SURNAMES and bool(_CJK.match(x)))


#: jieba tags of words that are no part of a name: adverbs, adjectives, verbs (not verbal nouns,
#: 教育|局), conjunctions, prepositions, particles, pronouns, numerals, measure words.
_FUNCTION_TAGS = ("d", "a", "v", "c", "p", "u", "r", "m", "q")


def _function_word(x: str, words) -> bool:
    """``x`` is a dictionary word of a kind no name is made of (果然, 公开): a swap of it before
    政府 or 局 is wording (主动果然政府 for 主动公开政府), not a renamed organ (公安局→司法局)."""
    tag = words.get(x)
    return tag is not None and tag[1] != "vn" and tag[1].startswith(_FUNCTION_TAGS)


def _word_like(x: str, words) -> bool:
    tag = words.get(x)
    return tag is not None and not tag[1].startswith(_NAME_TAGS)


def _words():
    """jieba's dictionary as the rewrite stage holds it: word -> (frequency, tag); loaded once."""
    from ..rewrite.resources import lexicon

    return lexicon().words


def short_edit_kind(a: str, b: str) -> str:
    """``name`` or ``wording`` for a short edit without digits, ``a`` replaced by ``b`` (either
    may be empty).

    A side is *name-like* when jieba's dictionary tags it as a name (nr, ns, nt, nz), or, not
    in the dictionary, it ends like an organ or a place (局, 委员会, 街道, 县…) or is a 2-3
    character word starting with a common surname; a word of three characters or more ending
    like an organ or a place is name-like even in the dictionary (财政局, 卫健委); *word-like*
    when the dictionary has it with another tag. Both sides name-like (or one, the other
    empty): ``name`` (沭阳→泗阳, 王某→李某); else either side word-like: ``wording`` (信息→讯号,
    江湖→社会); else one side name-like: ``name``; else ``wording`` (fragments of spun words,
    讯号敞→信息公). Raises nothing.
    """
    words = _words()
    na, nb = _name_like(a, words), _name_like(b, words)
    if (na or not a) and (nb or not b) and (a or b):
        return "name"
    if _word_like(a, words) or _word_like(b, words):
        return "wording"
    return "name" if na or nb else "wording"


def _word_difference(text_a: str, span_a: tuple[int, int], text_b: str, span_b: tuple[int, int]
                     ) -> tuple[str, str, str, tuple, tuple] | None:
    """``(kind, text, related_text, span, related_span)`` of an edit that is neither a figure nor
    the issuer, the spans those of the changed characters (trimmed):
    trimmed (:func:`_trim`); when short (:data:`SHORT_EDIT`), a ``name`` if an organ's or a
    place's ending follows it on both sides (公安|局 → 司法|局, reported with the ending), else
    widened to whole words (:func:`_widen`) and judged by :func:`short_edit_kind`; longer,
    ``text``. None when nothing but white space changed."""
    span_a, span_b = _trim(text_a, span_a, text_b, span_b)
    ta, tb = text_a[span_a[0]:span_a[1]], text_b[span_b[0]:span_b[1]]
    if not ta and not tb:
        return None
    if max(len(ta), len(tb)) > SHORT_EDIT:
        return "text", ta, tb, span_a, span_b
    ending = _NAME_FOLLOWS.match(text_a, span_a[1]) if ta and tb else None
    if ending and text_b.startswith(ending.group(), span_b[1]) and not (
            _function_word(ta, _words()) or _function_word(tb, _words())):
        return "name", ta + ending.group(), tb + ending.group(), span_a, span_b
    if _CJK.match(ta) and _CJK.match(tb):
        ta, tb = _widen(text_a, span_a, text_b, span_b, _words())
    return short_edit_kind(ta, tb), ta, tb, span_a, span_b


#: Longest dictionary word :func:`_dictionary_cut` looks for (characters).
_MAX_WORD = 6


def _dictionary_cut(text: str, words) -> list[int]:
    """Word ends in ``text`` by forward maximum matching on the dictionary ``words`` (a word of
    2 to :data:`_MAX_WORD` characters, else one character): ``县坚持以群众`` → ends 1, 3, 4, 6
    (县|坚持|以|群众). A cut of a few characters needs no segmenter (the copy stage runs
    without one)."""
    ends, i, n = [], 0, len(text)
    while i < n:
        step = 1
        for k in range(min(_MAX_WORD, n - i), 1, -1):
            if words.get(text[i:i + k]) is not None:
                step = k
                break
        i += step
        ends.append(i)
    return ends


def _word_differences(text_a: str, span_a: tuple[int, int], text_b: str, span_b: tuple[int, int]
                      ) -> list[tuple[str, str, str, tuple, tuple]]:
    """:func:`_word_difference` of an edit, or of each word swap inside it.

    The passage alignment merges two nearby swaps with a few unchanged characters between them
    into one edit (县坚持以群→区坚持以大: 县→区 and 群众→大众, 坚持以 being too short for an
    exact run). When both sides, trimmed, have one length and share a character inside, the
    edit is widened over the unchanged characters around it (up to :data:`WIDEN` on each side)
    and cut where both sides end a dictionary word (:func:`_dictionary_cut`); each piece that
    differs is one difference. Otherwise the edit is one difference (or none)."""
    ta_span, tb_span = _trim(text_a, span_a, text_b, span_b)
    ta, tb = text_a[ta_span[0]:ta_span[1]], text_b[tb_span[0]:tb_span[1]]
    n = len(ta)
    if n != len(tb) and 3 <= min(n, len(tb)) and max(n, len(tb)) <= 2 * SHORT_EDIT and _CJK.match(ta) and _CJK.match(tb):
        pieces = _unequal_pieces(ta, tb)
        if len(pieces) > 1:  # 德律风和监督德律风 for 电话和监督电话: two swaps of 德律风→电话
            out = []
            for (a0, a1), (b0, b1) in pieces:
                found = _word_difference(text_a, (ta_span[0] + a0, ta_span[0] + a1),
                                         text_b, (tb_span[0] + b0, tb_span[0] + b1))
                if found is not None:
                    out.append(found)
            return out
    if (n < 3 or n != len(tb) or n > 2 * SHORT_EDIT or not (_CJK.match(ta) and _CJK.match(tb))
            or not any(ta[i] == tb[i] for i in range(1, n - 1))):
        found = _word_difference(text_a, span_a, text_b, span_b)
        return [found] if found is not None else []
    (sa, ea), (sb, eb) = ta_span, tb_span
    left = 0
    while (left < WIDEN and sa - left > 0 and sb - left > 0 and text_a[sa - left - 1] == text_b[sb - left - 1]
           and _CJK.match(text_a[sa - left - 1])):
        left += 1
    right = 0
    while (right < WIDEN and ea + right < len(text_a) and eb + right < len(text_b)
           and text_a[ea + right] == text_b[eb + right] and _CJK.match(text_a[ea + right])):
        right += 1
    sa, sb, ea, eb = sa - left, sb - left, ea + right, eb + right
    wa, wb = text_a[sa:ea], text_b[sb:eb]
    words = _words()
    # where both sides end a word: a spun side's non-word (切确) is cut into characters, the
    # other side's word (精准) is not
    cuts = sorted({0} | (set(_dictionary_cut(wa, words)) & set(_dictionary_cut(wb, words))))
    out = []
    for start, end in zip(cuts, cuts[1:]):
        if wa[start:end] != wb[start:end]:
            found = _word_difference(text_a, (sa + start, sa + end), text_b, (sb + start, sb + end))
            if found is not None:
                out.append(found)
    return out


def _unequal_pieces(a: str, b: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The changed pieces of an edit whose sides differ in length, split where both keep a run
    of two or more characters (difflib's opcodes, no junk heuristic): ``((a0, a1), (b0, b1))``
    offsets into ``a`` and ``b``. One piece when no such run lies inside."""
    pieces: list[list[int]] = []
    growing = False  # the last piece goes on (no kept run of two since it began)
    for tag, a0, a1, b0, b1 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal" and a1 - a0 >= 2:
            growing = False  # a kept run: what follows is another piece
        elif growing:  # a change, or a single kept character inside one: the piece grows
            pieces[-1][1], pieces[-1][3] = a1, b1
        elif tag != "equal":
            pieces.append([a0, a1, b0, b1])
            growing = True
    return [((p[0], p[1]), (p[2], p[3])) for p in pieces]


#: The text before the first passage (after the last) of both documents counts as one edit when
#: neither side is longer than this (characters): a title whose issuer changed, at the very start.
EDGE_EDIT = 40


def _edge(text_a: str, span_a: tuple[int, int], text_b: str, span_b: tuple[int, int]) -> list:
    """``[Edit]`` for two edge texts (before the first passage, or after the last) when both are
    short (:data:`EDGE_EDIT`), both hold more than white space, and they differ; else ``[]``.
    Text on one side only is added, not changed (a 导语: label before a copied lead paragraph)."""
    from .align import Edit

    ga, gb = text_a[span_a[0]:span_a[1]].strip(), text_b[span_b[0]:span_b[1]].strip()
    if span_a[1] - span_a[0] > EDGE_EDIT or span_b[1] - span_b[0] > EDGE_EDIT or ga == gb or not ga or not gb:
        return []
    return [Edit(span_a, span_b, ga.isdigit() and gb.isdigit())]


#: The texts between two passages that follow each other in both documents count as one edit
#: when neither is longer than this (characters): a clause inserted into a copy, or cut from it,
#: ends one aligned passage and starts the next.
GAP_EDIT = 200


def _gaps(text_a: str, text_b: str, passages: list[Passage]) -> dict:
    """``{index of a passage in passages: Edit}`` for the text between it and the next passage
    in both documents (:data:`GAP_EDIT`; one side may be empty: text added or cut), when the two
    differ by more than white space and neither (longer than :data:`SHORT_EDIT`) is found in
    the other document (moved, not changed: paragraphs shuffled)."""
    from .align import Edit

    out = {}
    order = sorted(range(len(passages)), key=lambda i: passages[i].span)
    rank_b = {k: r for r, k in enumerate(sorted(range(len(passages)), key=lambda i: passages[i].related_span))}
    for i, j in zip(order, order[1:]):
        if rank_b[j] != rank_b[i] + 1:  # not next to each other in B (paragraphs moved)
            continue
        p, q = passages[i], passages[j]
        ga, gb = (p.span[1], q.span[0]), (p.related_span[1], q.related_span[0])
        if not (0 <= ga[1] - ga[0] <= GAP_EDIT and 0 <= gb[1] - gb[0] <= GAP_EDIT):
            continue
        ta, tb = text_a[ga[0]:ga[1]].strip(), text_b[gb[0]:gb[1]].strip()
        if ta.split() == tb.split():
            continue
        # a sentence found in the other document too was moved there (too short to align as
        # a passage of its own), not added or cut
        if (len(ta) > SHORT_EDIT and ta in text_b) or (len(tb) > SHORT_EDIT and tb in text_a):
            continue
        out[i] = Edit(ga, gb, False)
    return out


def _edits(text_a: str, text_b: str, passages: list[Passage]) -> list:
    """The passages' edits, in order, with the texts between two passages (:func:`_gaps`),
    between the texts before the first passage and after the last (:func:`_edge`; only where
    that passage is the first, or the last, on both sides): a change at the very start or end of
    two near-copies (a title's issuer) lies outside every aligned passage."""
    gaps = _gaps(text_a, text_b, passages)
    edits = [e for i, p in enumerate(passages) for e in (*p.edits, *([gaps[i]] if i in gaps else []))]
    if not passages:
        return edits
    head: list = []
    tail: list = []
    first = min(passages, key=lambda p: p.span)
    if first is min(passages, key=lambda p: p.related_span):
        head = _edge(text_a, (0, first.span[0]), text_b, (0, first.related_span[0]))
    last = max(passages, key=lambda p: p.span)
    if last is max(passages, key=lambda p: p.related_span):
        tail = _edge(text_a, (last.span[1], len(text_a)), text_b, (last.related_span[1], len(text_b)))
    return head + edits + tail


def differences(text_a: str, text_b: str, passages: list[Passage], info_a: DocInfo | None = None,
                info_b: DocInfo | None = None) -> tuple[list[dict], dict[str, int]]:
    """The edits inside aligned passages, as the contract's ``differences``.

    Parameters
    ----------
    text_a, text_b : str
        The two texts; ``text_a`` is the one the passages' ``span`` points into.
    passages : list[Passage]
    info_a, info_b : DocInfo, optional
        Issuers of the two documents (to tell an issuer swap from another name).

    Returns
    -------
    (differences, counts)
        ``differences``: distinct ``{"kind", "text", "related_text", "count", "spans",
        "related_spans"}`` in order of first occurrence, at most :data:`MAX_DIFFERENCES`;
        ``text`` from ``text_a``, ``related_text`` from ``text_b``; ``spans`` /
        ``related_spans`` the ``[start, end)`` character offsets of the changed characters of
        each occurrence in ``text_a`` / ``text_b`` (the first :data:`MAX_OCCURRENCE_SPANS`; a
        ``text`` widened to whole words, or given with its organ's ending, is longer than its
        span; an issuer's span is its whole name). ``counts``: occurrences per kind (all edits,
        not only the listed).
    """
    ia = info_a.issuer if info_a else None
    ib = info_b.issuer if info_b else None
    seen: dict[tuple[str, str, str], dict] = {}
    counts: dict[str, int] = {}
    edits = _edits(text_a, text_b, passages)
    holes = (_field_spans(text_a), _field_spans(text_b)) if edits else ([], [])
    k = 0
    while k < len(edits):
        filled = _filled_field(text_a, text_b, edits, k, holes)
        if filled is not None:
            k, wa, wb = filled
            _count(seen, counts, "placeholder", text_a[wa[0]:wa[1]], text_b[wb[0]:wb[1]], (wa, wb))
            continue
        e = edits[k]
        k += 1
        ta, tb = text_a[e.span[0]:e.span[1]], text_b[e.related_span[0]:e.related_span[1]]
        where = (e.span, e.related_span)
        if e.digits:
            if fold(ta) == fold(tb):  # ２０２５ for 2025: the same figure
                continue
            kind = "year" if _is_year(text_a, e.span) and _is_year(text_b, e.related_span) else "figure"
        else:
            # the edit without the white space and the unchanged text at its edges (an edit
            # before the first passage may hold the title's "# ": then it is the issuer still);
            # a name dropped (one side empty) is no issuer swapped
            span_a, span_b = _trim(text_a, e.span, text_b, e.related_span)
            swapped = span_a[1] > span_a[0] and span_b[1] > span_b[0] and ia != ib
            sa = _issuer_at(text_a, ia, span_a) if ia and swapped else None
            sb = _issuer_at(text_b, ib, span_b) if ib and swapped else None
            if sa or sb:
                kind = "issuer"
                ta, tb = (ia if sa else ta), (ib if sb else tb)
                where = (sa or span_a, sb or span_b)  # the issuer's whole name where it is given
            else:
                for kind, ta, tb, wa, wb in _word_differences(text_a, e.span, text_b, e.related_span):
                    _count(seen, counts, kind, ta, tb, (wa, wb))
                continue
        _count(seen, counts, kind, ta, tb, where)
    return list(seen.values()), counts


def _field_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each unfilled template field of ``text`` (PLH001:
    :func:`summary_analysis.figures.find_placeholders`), in text order."""
    from ..document import Document
    from ..figures import find_placeholders

    return [(f.span.start, f.span.end) for f in find_placeholders(Document("_", "", text, "_"))]


def _hole_at(holes: list[tuple[int, int]], span: tuple[int, int]) -> tuple[int, int] | None:
    """The field of ``holes`` (sorted) that the edit ``span`` overlaps (an empty span: lies in)."""
    i = bisect.bisect_right(holes, (span[1], float("inf"))) - 1
    while i >= 0 and holes[i][1] >= span[0]:
        h0, h1 = holes[i]
        if (h0 < span[1] and span[0] < h1) or (span[0] == span[1] and h0 <= span[0] <= h1):
            return holes[i]
        i -= 1
    return None


def _filled_field(text_a: str, text_b: str, edits: list, k: int, holes: tuple[list, list]):
    """When ``edits[k]`` touches a template field left unfilled in one text (``20xx年``, ``XX``,
    ``××``) and filled in the other: ``(next k, span_a, span_b)``, the spans of the field and of
    what stands in its place, the edits on the same field taken together (the aligner splits
    ``20xx年``→``2025年`` into ``20``→``2025`` and ``xx``→nothing); else None, also when
    nothing stands in its place or the edit is more than :data:`SHORT_EDIT` characters longer
    than the field (a paragraph cut or moved that holds a field is text, not a field filled)."""
    e = edits[k]
    for side in (0, 1):
        own = (lambda x: x.span) if side == 0 else (lambda x: x.related_span)
        other = (lambda x: x.related_span) if side == 0 else (lambda x: x.span)
        hole = _hole_at(holes[side], own(e))
        if hole is None:
            continue
        j = k + 1
        while j < len(edits) and _hole_at([hole], own(edits[j])) is not None:
            j += 1
        texts = (text_a, text_b) if side == 0 else (text_b, text_a)
        first, last = edits[k], edits[j - 1]
        # the field's own text and the unchanged text between it and the edits map one to one
        o0, o1 = min(hole[0], own(first)[0]), max(hole[1], own(last)[1])
        t0 = max(0, other(first)[0] - (own(first)[0] - o0))
        t1 = min(len(texts[1]), other(last)[1] + (o1 - own(last)[1]))
        while o0 < hole[0] and t0 < t1 and texts[0][o0] == texts[1][t0]:
            o0, t0 = o0 + 1, t0 + 1
        while o1 > hole[1] and t1 > t0 and texts[0][o1 - 1] == texts[1][t1 - 1]:
            o1, t1 = o1 - 1, t1 - 1
        if t1 <= t0 or (o1 - o0) - (hole[1] - hole[0]) > SHORT_EDIT:
            return None  # text cut or added that holds a field: a text edit, no field filled
        spans = ((o0, o1), (t0, t1)) if side == 0 else ((t0, t1), (o0, o1))
        return j, spans[0], spans[1]
    return None


#: Occurrences of one listed difference whose spans are given (``spans``/``related_spans``).
MAX_OCCURRENCE_SPANS = 20


def _count(seen: dict, counts: dict, kind: str, ta: str, tb: str, where: tuple) -> None:
    """One more difference ``ta``→``tb`` of ``kind`` at ``where`` (its two spans): counted, and
    listed (with its count and the spans of its first occurrences) among the first
    :data:`MAX_DIFFERENCES` distinct ones."""
    counts[kind] = counts.get(kind, 0) + 1
    key = (kind, ta, tb)
    entry = seen.get(key)
    if entry is None:
        if len(seen) >= MAX_DIFFERENCES:
            return
        entry = seen[key] = {"kind": kind, "text": ta, "related_text": tb, "count": 0, "spans": [],
                             "related_spans": []}
    entry["count"] += 1
    if len(entry["spans"]) < MAX_OCCURRENCE_SPANS:
        entry["spans"].append(list(where[0]))
        entry["related_spans"].append(list(where[1]))
