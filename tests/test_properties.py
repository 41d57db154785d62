"""Property tests (hypothesis): readers, heading parser, number parser, the span invariant.

Seeded (``derandomize=True``) so a run is reproducible; example counts are kept small enough
for the suite's time budget (benchmarks/fuzz.py runs the same properties for longer).
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from summary_analysis.document import Document
from summary_analysis.ingest.clean import clean_text
from summary_analysis.ingest.encoding import decode_bytes
from summary_analysis.ingest.errors import ReadError
from summary_analysis.ingest.readers import read_docx, read_html, read_pdf

FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- strategies ---------------------------------------------------------------------------------
CJK = "政府信息公开工作年度报告主动依申请办结率行政复议诉讼予以不街道社区条件个万元本年度我局全县存在问题下一步"
PUNCT = "，。；：！？、（）《》“”—…％"
ASCII = "abcXYZ0123456789 .,%-()"
report_chars = st.sampled_from(list(CJK + PUNCT + ASCII + "\n"))
report_text = st.text(report_chars, min_size=0, max_size=400)

HEADINGS = ["一、", "二、", "三、", "（一）", "（二）", "(三)", "1.", "2．", "（1）", "(2)", "①", "一是", "二是",
            "第一部分", "第二章", "十、", "十一、"]
BODIES = ["主要工作", "存在问题", "下一步工作打算", "主动公开政府信息68条。", "XX街道20xx年", "本年度共受理申请5件，办结率100%。",
          "近1000条", "3至5个", "百分之九十", "两三个", "1.5万元", "", "   ", "▲▲", "（文字描述）"]
structured_line = st.builds(lambda h, b, tail: h + b + tail, st.sampled_from(HEADINGS + [""] * 5),
                            st.sampled_from(BODIES), report_text.map(lambda s: s[:40]))
structured_text = st.lists(structured_line, min_size=0, max_size=25).map("\n".join)


# -- readers ----------------------------------------------------------------------------------
@FAST
@given(st.binary(max_size=3000))
def test_decode_bytes_is_strict_or_refuses(data):
    try:
        text, enc = decode_bytes(data)
    except ReadError as err:
        assert err.rule == "ING001" and err.reason
        return
    assert data.decode(enc) == text  # exactly the strict decode: nothing replaced or dropped


@FAST
@given(report_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_decode_bytes_round_trips_report_text(text, enc):
    data = text.encode(enc)
    if enc == "gb18030":
        assume(not _valid_utf8(data) or data.isascii())
    assume(text.strip())
    got, used = decode_bytes(data)
    assert got == text
    assert used == enc or (enc == "gb18030" and used == "utf-8" and data.isascii())


@FAST
@given(st.text(st.sampled_from(list(CJK + PUNCT + "\n")), min_size=4, max_size=300)
       .map(lambda s: s + "2024年"), st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_bom_detected(text, enc):
    got, used = decode_bytes(text.encode(enc))
    assert (got, used) == (text, enc)


def _valid_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FAST
@given(st.text(max_size=500))
def test_clean_text_idempotent_and_safe(raw):
    out = clean_text(raw)
    assert clean_text(out) == out
    assert "\r" not in out and "\x00" not in out and "\x1b" not in out
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in out)
    assert out == out.strip()


@FAST
@given(st.binary(max_size=2000))
def test_binary_readers_never_crash(data):
    for reader in (read_docx, read_pdf):
        try:
            reader(data)
        except ReadError as err:
            assert err.rule.startswith("ING") and err.reason


_GOOD_DOCX: list[bytes] = []


def _good_docx() -> bytes:
    if not _GOOD_DOCX:
        from adversarial import docx_bytes

        _GOOD_DOCX.append(docx_bytes("政务公开\n工作总结", table=[["项目", "数量"], ["主动公开", "68"]]))
    return _GOOD_DOCX[0]


@SLOW
@given(st.binary(min_size=1, max_size=400), st.integers(0, 10**6))
def test_docx_reader_on_corrupted_zip(noise, at):
    data = bytearray(_good_docx())
    pos = at % len(data)
    data[pos:pos + len(noise)] = noise
    try:
        text = read_docx(bytes(data))
    except ReadError as err:
        assert err.rule in {"ING001", "ING004"} and err.reason
    else:
        assert isinstance(text, str)


@FAST
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<table>", "<tr>", "<td>", "</td>",
                                 "<script>", "</script>", "<style>", "<!--", "-->", "<br>", "&amp;",
                                 "&#0;", "&#xD800;", "&#x1b;", "<", ">", "政务公开", "68条", "\x00",
                                 "<meta charset=gbk>", "<meta charset=nonsense>"]), max_size=60)
       .map("".join))
def test_html_reader_never_crashes(markup):
    try:
        text, enc = read_html(markup.encode("utf-8"))
    except ReadError as err:
        assert err.rule == "ING001"
        return
    cleaned = clean_text(text)
    assert "\x00" not in cleaned and "\x1b" not in cleaned


# -- heading parser -------------------------------------------------------------------------------
def _check_forest(doc, forest, lo, hi):
    from summary_analysis.sections import Section

    prev_start = lo
    for s in forest:
        assert isinstance(s, Section)
        assert lo <= s.span.start <= s.span.end <= hi
        assert s.span.start >= prev_start
        prev_start = s.span.start
        assert doc.text[s.title_span.start:s.title_span.end] == s.title
        assert s.span.start <= s.title_span.start <= s.title_span.end <= s.span.end
        assert s.kind in {"heading", "point"} and s.level >= 1
        _check_forest(doc, list(s.children), s.span.start, s.span.end)


@FAST
@given(structured_text)
def test_heading_parser_spans(text):
    from summary_analysis.sections import sections

    doc = Document("d", "", text, "d.txt")
    forest = sections(doc)
    _check_forest(doc, forest, 0, len(text))


@FAST
@given(st.text(max_size=300))
def test_heading_parser_never_raises(text):
    from summary_analysis.sections import iter_sections, sections

    doc = Document("d", "", text, "d.txt")
    for s in iter_sections(sections(doc)):
        assert 0 <= s.span.start <= s.span.end <= len(text)


# -- number parser (figures stage) ---------------------------------------------------------------
from summary_analysis.figures import numbers  # noqa: E402


@FAST
@given(st.integers(0, 10**12))
def test_parse_number_arabic_forms(n):
    assert numbers.parse_number(str(n)) == n
    assert numbers.parse_number(f"{n:,}") == n
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert numbers.parse_number(full) == n


@FAST
@given(st.integers(0, 99_999_999))
def test_parse_number_chinese_numerals(n):
    import cn2an

    assert numbers.parse_number(cn2an.an2cn(n)) == n


@FAST
@given(st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False))
def test_parse_number_decimals(d):
    assert numbers.parse_number(str(d)) == d


@FAST
@given(st.text(max_size=200) | structured_text)
def test_scan_numbers_spans(text):
    prev_end = 0
    for m in numbers.scan_numbers(text):
        assert prev_end <= m.start <= m.num_start <= m.end <= len(text)
        assert text[m.start:m.end] == m.text
        if m.low is not None and m.high is not None:
            assert m.low <= m.high
        prev_end = m.end


# -- span invariant over the whole pipeline ------------------------------------------------------
def _assert_span_invariant(batch) -> int:
    texts = {a.document.doc_id: a.document.text for a in batch.analyses}
    checked = 0
    for f in batch.finding_objects:
        if f.doc_id not in texts:
            assert f.rule.startswith("ING") or f.rule == "DUP003"
            continue
        t = texts[f.doc_id]
        ev = f.evidence or {}
        if f.span is not None:
            assert 0 <= f.span.start <= f.span.end <= len(t), f
            if isinstance(ev.get("text"), str):
                assert ev["text"] == t[f.span.start:f.span.end], f
            checked += 1
        rel = texts.get(f.related_doc_id or "")
        if ev.get("related_span") and rel is not None:
            a, b = ev["related_span"]
            assert 0 <= a <= b <= len(rel), f
        for p in ev.get("passages") or []:
            assert 0 <= p["span"][0] <= p["span"][1] <= len(t), f
            if rel is not None:
                assert 0 <= p["related_span"][0] <= p["related_span"][1] <= len(rel), f
    for a in batch.analyses:
        t = a.document.text
        for fig in a.figures:
            assert 0 <= fig.span.start <= fig.span.end <= len(t)
            assert fig.raw == t[fig.span.start:fig.span.end]
    return checked


def test_span_invariant_on_corpus(corpus_batch):
    assert _assert_span_invariant(corpus_batch) >= 10


@SLOW
@given(st.lists(structured_text.filter(lambda s: s.strip()), min_size=1, max_size=3), st.booleans())
def test_span_invariant_on_generated_batches(texts, share):
    from summary_analysis import analyze

    if share and len(texts) > 1:  # make a shared passage so pair findings appear
        texts[1] = texts[1] + "\n" + texts[0]
    docs = []
    for i, raw in enumerate(texts):
        text = clean_text(raw)
        if text:
            docs.append(Document(f"g{i}.txt", text.split("\n")[0][:50], text, f"g{i}.txt", "utf-8"))
    assume(docs)
    _assert_span_invariant(analyze(docs))


def test_big5_fallback_reports_the_codec_it_used():
    """Regression (found by the property test above): Big5 text was decoded with big5hkscs but
    labelled 'big5', and b'\\x87d\\xa4\\xa1' is valid only in the HKSCS extension."""
    data = b"\x87d\xa4\xa1"
    try:
        text, enc = decode_bytes(data)
    except ReadError:
        return
    assert data.decode(enc) == text
