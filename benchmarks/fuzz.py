"""Time-boxed fuzz run over the readers and parsers (hypothesis, random seeds, no database).

Usage::

    python benchmarks/fuzz.py --seconds 600

Each target is a function and a hypothesis strategy; a target *crashes* when it raises
anything but the exceptions it documents (readers: ``ReadError``, which becomes an ING
finding) or breaks an invariant (spans inside the text, ``raw == text[span]``, lossless
decoding). Targets run round-robin in rounds of ``--examples`` inputs with a fresh seed each
round until the time is up; the run prints, per target, the inputs tried and the distinct
crashes (exception type, message, shrunk input), then the totals. Exit status 1 when any
crash was found. A stage failure inside the analysis (an ING006 finding) counts as a crash.
"""

from __future__ import annotations

import argparse
import atexit
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from adversarial import docx_bytes, html_page, report_text, scanned_pdf_bytes, text_pdf_bytes  # noqa: E402
from summary_analysis.document import Document  # noqa: E402
from summary_analysis.ingest import read_one  # noqa: E402
from summary_analysis.ingest.clean import clean_text  # noqa: E402
from summary_analysis.ingest.encoding import decode_bytes  # noqa: E402
from summary_analysis.ingest.errors import ReadError  # noqa: E402
from summary_analysis.ingest.readers import read_docx, read_html, read_pdf  # noqa: E402
from summary_analysis.ingest.split import split_compilation  # noqa: E402
from summary_analysis.ingest.walk import InputFile  # noqa: E402

CJK = "政府信息公开工作年度报告主动依申请办结率行政复议诉讼予以不街道社区条件个万元本年度我局全县存在问题下一步篇"
PUNCT = "，。；：！？、（）()《》“”—…％%|·▲×"
ASCII = "abcXYZ0123456789 .,-xX"
HEADS = ["一、", "二、", "（一）", "(二)", "1.", "（1）", "①", "一是", "第一部分", "篇1：", "(篇2)", "本文网址:",
         "— 1 —", "- 2 -", "第3页", "| a | b |", "20xx年", "××", "近1000条", "3至5个", "百分之九十", "1.5万元",
         "两三个", "数十", "2024年1月1日", "0517-12345678", "国办公开办函〔2021〕30号"]
text_chars = st.sampled_from(list(CJK + PUNCT + ASCII + "\n\r\t\u3000\x00\x1b\u202e"))
report_like = st.lists(st.one_of(st.text(text_chars, max_size=30), st.sampled_from(HEADS)), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=400), report_like)


def _mutate(base: bytes):
    """Strategy: ``base`` with a random slice overwritten, inserted, deleted or truncated."""
    def apply(args):
        kind, pos, noise = args
        b = bytearray(base)
        pos %= max(1, len(b))
        if kind == 0:
            b[pos:pos + len(noise)] = noise
        elif kind == 1:
            b[pos:pos] = noise
        elif kind == 2:
            del b[pos:pos + len(noise)]
        else:
            b = b[:pos]
        return bytes(b)

    return st.tuples(st.integers(0, 3), st.integers(0, 10**7), st.binary(min_size=1, max_size=64)).map(apply)


def _seed_files() -> dict[str, bytes]:
    rng = random.Random(7)
    return {
        "docx": docx_bytes(report_text(rng), table=[["项目", "数量"], ["主动公开", "68"]]),
        "pdf": text_pdf_bytes(["Annual report 2024", "Item 68 published", "- 2 -"]),
        "scan": scanned_pdf_bytes(),
        "html": html_page(report_text(rng)).encode("utf-8"),
        "text": report_text(rng).encode("utf-8"),
    }


# -- targets: each raises only for a real crash -----------------------------------------------------
def t_decode(data: bytes) -> None:
    try:
        text, enc = decode_bytes(data)
    except ReadError:
        return
    assert data.decode(enc) == text, "decode_bytes is not the strict decode of the named encoding"


def _reader(fn):
    def run(data: bytes) -> None:
        try:
            out = fn(data)
        except ReadError:
            return
        text = out[0] if isinstance(out, tuple) else out
        assert isinstance(text, str)
        clean_text(text)
    return run


def t_clean_split(text: str) -> None:
    out = clean_text(text)
    assert clean_text(out) == out, "clean_text not idempotent"
    parts = split_compilation(out)
    for p in parts or []:
        assert 0 <= p.start <= p.end <= len(out)


def t_sections(text: str) -> None:
    from summary_analysis.sections import document_meta, iter_sections, sections

    doc = Document("f", "", text, "f.txt")
    forest = sections(doc)
    for s in iter_sections(forest):
        assert 0 <= s.span.start <= s.span.end <= len(text)
        assert text[s.title_span.start:s.title_span.end] == s.title
    document_meta(doc, forest)


def t_numbers(text: str) -> None:
    from summary_analysis.figures.numbers import parse_number, scan_numbers

    for m in scan_numbers(text):
        assert 0 <= m.start <= m.end <= len(text) and text[m.start:m.end] == m.text
    parse_number(text[:40])


def t_fold_segment(text: str) -> None:
    from summary_analysis.normalize import fold
    from summary_analysis.segment import segment

    assert len(fold(text)) == len(text), "fold shifted offsets"
    segment(text)


def t_analyze_document(text: str) -> None:
    from summary_analysis.pipeline import analyze_document

    text = clean_text(text)
    if not text:
        return
    doc = Document("f", text[:20], text, "f.txt", "utf-8")
    a = analyze_document(doc)
    failed = [f.message for f in a.findings if f.rule == "ING006"]
    assert not failed, f"a stage failed: {failed[0]}"
    for f in a.findings:
        if f.span is not None:
            assert 0 <= f.span.start <= f.span.end <= len(text), f
            if isinstance(f.evidence.get("text"), str):
                assert f.evidence["text"] == text[f.span.start:f.span.end], f
    for fig in a.figures:
        assert fig.raw == text[fig.span.start:fig.span.end]


def t_analyze_batch(texts: list) -> None:
    """The whole batch, cross-document stages included (copy detection, REW001): every text
    comes back as a document, no stage fails (ING006)."""
    from summary_analysis.pipeline import analyze

    docs = [Document(f"d{i}", "", t, f"d{i}.txt", "utf-8") for i, t in enumerate(texts)]
    batch = analyze(docs)
    assert sorted(batch.documents["doc_id"]) == sorted(d.doc_id for d in docs), "document lost"
    failed = [f.message for f in batch.finding_objects if f.rule == "ING006"]
    assert not failed, f"a stage failed: {failed[0]}"


digits_only = st.text(st.sampled_from(list("0123456789０１２３４５６７８９")), min_size=1, max_size=60)
long_number = st.integers(90, 5000).map(lambda n: "主动公开政府信息" + "1" * n + "条。")
batch_texts = st.lists(st.one_of(report_like.filter(bool), digits_only, long_number), min_size=1, max_size=4)


_TMP = Path(tempfile.mkdtemp(prefix="fuzz-"))
atexit.register(shutil.rmtree, _TMP, True)


def t_read_one(args) -> None:
    suffix, data = args
    p = _TMP / f"in{suffix}"
    p.write_bytes(data)
    docs, findings = read_one(InputFile(p, p.name))
    assert docs or findings, "file lost: neither a document nor a finding"
    for f in findings:
        assert f.rule.startswith("ING") and f.message


def targets() -> list[tuple[str, object, object]]:
    seeds = _seed_files()
    blobs = st.one_of(st.binary(max_size=2000), _mutate(seeds["text"]),
                      _mutate(seeds["text"].decode().encode("gb18030")),
                      _mutate(seeds["text"].decode().encode("utf-16")))
    return [
        ("decode_bytes", blobs, t_decode),
        ("read_docx", st.one_of(_mutate(seeds["docx"]), st.binary(max_size=500)), _reader(read_docx)),
        ("read_pdf", st.one_of(_mutate(seeds["pdf"]), _mutate(seeds["scan"])), _reader(read_pdf)),
        ("read_html", st.one_of(_mutate(seeds["html"]), any_text.map(lambda s: s.encode("utf-8", "surrogatepass"))),
         _reader(read_html)),
        ("read_one", st.tuples(st.sampled_from([".txt", ".md", ".docx", ".pdf", ".html", ".xyz"]),
                               st.one_of(blobs, _mutate(seeds["docx"]), _mutate(seeds["pdf"]))), t_read_one),
        ("clean+split", any_text, t_clean_split),
        ("sections", any_text, t_sections),
        ("numbers", any_text, t_numbers),
        ("fold+segment", any_text, t_fold_segment),
        ("analyze_document", st.one_of(report_like, digits_only, long_number), t_analyze_document),
        ("analyze (batch)", batch_texts, t_analyze_batch),
    ]


def _counted(fn, name: str, tried: dict):
    def body(x):
        tried[name] += 1
        fn(x)
    return body


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="total time box (default 60)")
    ap.add_argument("--examples", type=int, default=100, help="inputs per round and target")
    ap.add_argument("--seed", type=int, default=0, help="first round's seed (rounds count up)")
    args = ap.parse_args(argv)

    import logging

    logging.disable(logging.CRITICAL)
    tlist = targets()
    tried = {name: 0 for name, _, _ in tlist}
    spent = {name: 0.0 for name, _, _ in tlist}
    crashes: dict[str, dict[str, str]] = {name: {} for name, _, _ in tlist}
    start = time.monotonic()
    deadline = start + args.seconds
    rnd = args.seed
    while time.monotonic() < deadline:
        for name, strategy, fn in tlist:
            if time.monotonic() >= deadline:
                break

            prop = settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
                            phases=[Phase.generate, Phase.shrink], report_multiple_bugs=False,
                            suppress_health_check=list(HealthCheck))(given(strategy)(_counted(fn, name, tried)))
            t0 = time.monotonic()
            try:
                seed(rnd)(prop)()
            except Exception as exc:  # a crash: record once per (type, first line of message)
                key = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
                if key not in crashes[name]:
                    tb = traceback.format_exception(exc)
                    crashes[name][key] = "".join(tb[-3:])[-600:]
            spent[name] += time.monotonic() - t0
        rnd += 1
    elapsed = time.monotonic() - start
    print(f"fuzz: {elapsed:.0f} s, {rnd - args.seed} rounds, hypothesis {__import__('hypothesis').__version__}")
    for name, _, _ in tlist:
        print(f"  {name:18s} inputs tried {tried[name]:8d}  crashes {len(crashes[name])}  ({spent[name]:.0f} s)")
        for key, tb in crashes[name].items():
            print(f"    CRASH {key}\n      " + tb.replace("\n", "\n      "))
    total_tried = sum(tried.values())
    total_crashes = sum(len(c) for c in crashes.values())
    print(f"total: inputs tried {total_tried}, distinct crashes {total_crashes}")
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
