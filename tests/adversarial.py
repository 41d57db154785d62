"""Generator of the adversarial input folder (made by code, seeded; nothing hand-made).

:func:`make_adversarial` writes a folder of hostile and awkward inputs and returns the
*manifest*: for every file that ``summary-analysis check`` must account for, what it has to
become (``"doc"``: at least one analysed document; ``"ING00N"``: exactly one finding of that
rule). Files that are skipped on purpose (hidden files, notes, links to folders) are listed
in :attr:`Adversarial.skipped` / :attr:`Adversarial.hidden`.

Decisions recorded here (and tested):

* The 50 MB single-line file is refused from its size (``stat``) by the default
  ``--max-file-mb 20`` without being opened (ING004); with a higher limit it would be read.
* A .docx whose archive expands past the limit (10 × ``--max-file-mb``, 200 MB by default),
  or with one XML part over 64 MB, is refused before python-docx opens it (ING004).
* A .docx declaring a DTD/entity (XXE) is refused (ING004); nothing is fetched or read.
* An encrypted PDF is ING001 (cannot read), a PDF without text layer ING005.
* A text file with stray NUL/control characters (< 1 % NUL bytes) is read and the control
  characters dropped; text with terminal escape sequences and bidi overrides likewise.
* Symbolic link loops are ING004 (refused), broken links ING001, a named pipe ING001 (never
  opened: reading it would block), a link to a folder is skipped (not followed), a link to a file already read is skipped
  ("given twice").
"""

from __future__ import annotations

import io
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

SEED = 20240917

_SUBJECTS = ["本单位", "我局", "区政府办公室", "街道党工委", "县政务服务中心", "市卫健委", "镇人民政府"]
_VERBS = ["认真贯彻落实", "扎实推进", "持续深化", "全面加强", "稳步推进", "积极探索"]
_OBJECTS = ["政务公开工作", "政府信息公开条例", "依申请公开办理", "主动公开目录建设", "政策解读回应",
            "基层政务公开标准化规范化", "政府网站集约化", "12345热线诉求办理"]
_TAILS = ["取得了明显成效。", "群众满意度进一步提升。", "各项任务按期完成。", "工作机制不断完善。",
          "公开质量稳步提高。", "制度建设更加健全。"]
_FIGURES = ["全年主动公开政府信息{n}条。", "受理依申请公开{n}件，按期办结率100%。",
            "召开新闻发布会{n}场。", "发布政策解读{n}篇。"]


def report_text(rng: random.Random, paragraphs: int = 4, title: str | None = None) -> str:
    """A short report-like Chinese text from seeded sentence pools (title line + paragraphs)."""
    year = rng.choice([2021, 2022, 2023, 2024])
    lines = [title or f"{rng.choice(_SUBJECTS)}{year}年政务公开工作总结"]
    heads = ["一、主要工作", "二、存在问题", "三、下一步工作打算", "四、其他需要报告的事项"]
    for i in range(paragraphs):
        lines.append(heads[i % len(heads)])
        sents = []
        for _ in range(rng.randint(3, 6)):
            if rng.random() < 0.3:
                sents.append(rng.choice(_FIGURES).format(n=rng.randint(3, 900)))
            else:
                sents.append(rng.choice(_SUBJECTS) + rng.choice(_VERBS) + rng.choice(_OBJECTS)
                             + "，" + rng.choice(_TAILS))
        lines.append("".join(sents))
    return "\n".join(lines) + "\n"


# -- binary formats, built by code ------------------------------------------------------------

def png_bytes(width: int = 16, height: int = 16, seed: int = SEED) -> bytes:
    """A valid RGB PNG image of seeded noise."""
    rng = random.Random(seed)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(width * 3)) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf_bytes(content: str, with_font: bool = True) -> bytes:
    """A minimal one-page PDF whose page content stream is ``content`` (PDF operators).

    With ``with_font`` the page resources carry Helvetica as ``/F1``.
    """
    stream = content.encode("latin-1")
    res = "<< /Font << /F1 5 0 R >> >>" if with_font else "<< >>"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {res} /Contents 4 0 R >>",
        None,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        if body is None:
            out.write(f"{i} 0 obj\n<< /Length {len(stream)} >>\nstream\n".encode() + stream
                      + b"\nendstream\nendobj\n")
        else:
            out.write(f"{i} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def expanding_pdf_bytes(pages: int = 1, expand: int = 256, codes: int = 2000, blocks: int = 1) -> bytes:
    """A PDF whose font's /ToUnicode map turns code ``A`` into ``expand`` characters (一), all
    ``pages`` pages sharing one content stream of ``codes`` such codes in ``blocks`` text
    objects: about ``pages * codes * expand`` characters of text from a file of a few KB."""
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            "1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <"
            + "4e00" * expand + "> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    body = " ".join("BT /F1 12 Tf 72 700 Td (" + "A" * (codes // blocks) + ") Tj ET" for _ in range(blocks))
    kids = " ".join(f"{10 + i} 0 R" for i in range(pages))
    objs = {1: "<< /Type /Catalog /Pages 2 0 R >>",
            2: f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
            3: body.encode("latin-1"),
            4: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>",
            5: cmap.encode("latin-1")}
    for i in range(pages):
        objs[10 + i] = ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                        "/Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>")
    return _pdf_file(objs)


def _pdf_file(objs: dict) -> bytes:
    """A PDF file of numbered objects: a str is written as it is; bytes are a stream with
    ``/Length`` only; a ``(dictionary entries, bytes)`` pair is a stream whose dictionary holds
    those entries and its ``/Length``. Object 1 is the catalog; numbers left out are free."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = out.tell()
        body = objs[k]
        if isinstance(body, bytes):
            body = ("", body)
        if isinstance(body, tuple):
            entries, data = body
            out.write(f"{k} 0 obj\n<< {entries}/Length {len(data)} >>\nstream\n".encode() + data
                      + b"\nendstream\nendobj\n")
        else:
            out.write(f"{k} 0 obj\n{body}\nendobj\n".encode())
    xref, size = out.tell(), max(objs) + 1
    out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for k in range(1, size):
        out.write((f"{offsets[k]:010d} 00000 n \n" if k in offsets else "0000000000 65535 f \n").encode())
    out.write(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def busy_pdf_bytes(pages: int = 1, ops: int = 200_000, form: bool = False, calls: int = 1,
                   nested: bool = False) -> bytes:
    """A PDF whose ``pages`` pages all draw one Flate-compressed stream of ``ops`` path
    operators (``0 0 m``) and one line of text: a few KB of file, ``pages * ops`` operators
    for a reader to parse. With ``form`` the stream is a Form XObject each page calls
    ``calls`` times (``/X0 Do``) instead of the pages' own content; with ``nested`` too, the
    page calls a small form that calls that one."""
    heavy = ("BT /F1 12 Tf 72 700 Td (busy) Tj ET\n" + "0 0 m\n" * ops).encode("latin-1")
    kids = " ".join(f"{10 + i} 0 R" for i in range(pages))
    form_entries = "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
    objs = {1: "<< /Type /Catalog /Pages 2 0 R >>",
            2: f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
            3: ((form_entries if form else "") + "/Filter /FlateDecode ", zlib.compress(heavy, 9)),
            4: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
    if form:
        objs[5] = b"/X0 Do\n" * calls
    if nested:
        objs[6] = ("/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                   "/Resources << /Font << /F1 4 0 R >> /XObject << /X1 3 0 R >> >> ", b"/X1 Do\n")
    xobject = f"/XObject << /X0 {6 if nested else 3} 0 R >> " if form else ""
    for i in range(pages):
        objs[10 + i] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> "
                        f"{xobject}>> /Contents {5 if form else 3} 0 R >>")
    return _pdf_file(objs)


def font_map_pdf_bytes(entries: int, names: int, pages: int) -> bytes:
    """A PDF of ``pages`` pages sharing one resources dictionary that lists one Type0 font under
    ``names`` names, the font's /ToUnicode map holding ``entries`` codes: a reader that builds
    each font of a page's resources parses the map ``names`` times a page."""
    chunks = [f"{min(100, entries - s)} beginbfchar\n"
              + "".join(f"<{c:04X}> <{0x4E00 + c % 20000:04X}>\n" for c in range(s, min(s + 100, entries)))
              + "endbfchar\n" for s in range(0, entries, 100)]
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n" + "".join(chunks)
            + "endcmap CMapName currentdict /CMap defineresource pop end end").encode("latin-1")
    kids = " ".join(f"{10 + i} 0 R" for i in range(pages))
    fonts = " ".join(f"/F{i} 4 0 R" for i in range(names))
    objs = {1: "<< /Type /Catalog /Pages 2 0 R >>",
            2: f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
            3: b"BT /F0 12 Tf 72 700 Td <0001000200030004> Tj ET\n",
            4: "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [6 0 R] "
               "/ToUnicode 5 0 R >>",
            5: ("/Filter /FlateDecode ", zlib.compress(cmap, 9)),
            6: "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) "
               "/Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
            7: f"<< /Font << {fonts} >> >>"}
    for i in range(pages):
        objs[10 + i] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 7 0 R /Contents 3 0 R >>"
    return _pdf_file(objs)


def text_pdf_bytes(lines: list[str]) -> bytes:
    """A PDF with an ASCII text layer, one line per entry."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = "BT /F1 12 Tf 72 780 Td 16 TL " + " ".join(f"({esc(s)}) Tj T*" for s in lines) + " ET"
    return pdf_bytes(ops)


def scanned_pdf_bytes(seed: int = SEED) -> bytes:
    """A PDF page of filled rectangles and no text operator (what a scan looks like to a reader)."""
    rng = random.Random(seed)
    rects = " ".join(f"{rng.randint(40, 500)} {rng.randint(40, 780)} {rng.randint(5, 80)} "
                     f"{rng.randint(2, 12)} re f" for _ in range(60))
    return pdf_bytes("0.2 g " + rects, with_font=False)


def encrypted_pdf_bytes(lines: list[str], password: str = "s3cret-pw") -> bytes:
    """A text PDF encrypted (RC4-128) with a user password, via pypdf's writer."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf_bytes(lines))))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_bytes(text: str, table: list[list[str]] | None = None) -> bytes:
    """A .docx (python-docx) with one paragraph per line of ``text`` and an optional table."""
    import docx

    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes], extra=None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        if extra:
            extra(dst)
    return buf.getvalue()


def xxe_docx_bytes(text: str, secret_path: str, url: str = "http://127.0.0.1:9/xxe") -> bytes:
    """A .docx whose document.xml declares external entities (a local file and a URL) and uses
    them in the body: reading must neither open ``secret_path`` nor touch the network."""
    data = docx_bytes(text)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    decl_end = xml.index("?>") + 2
    dtd = (f'\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret_path}">'
           f'<!ENTITY net SYSTEM "{url}">]>')
    xml = xml[:decl_end] + dtd + xml[decl_end:]
    xml = xml.replace("<w:body>", "<w:body><w:p><w:r><w:t>&xxe;&net;</w:t></w:r></w:p>", 1)
    return _rezip(data, {"word/document.xml": xml.encode("utf-8")})


def zip_bomb_docx_bytes(text: str, expand_mb: int) -> bytes:
    """A valid .docx plus a member of ``expand_mb`` MB of zeros (deflates ~1000:1)."""
    chunk = bytes(1 << 20)

    def add_bomb(dst: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("word/media/padding.bin")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as fh:
            for _ in range(expand_mb):
                fh.write(chunk)

    return _rezip(docx_bytes(text), {}, extra=add_bomb)


def huge_xml_docx_bytes(text: str, pad_mb: int = 70) -> bytes:
    """A .docx whose document.xml is padded with ``pad_mb`` MB of whitespace (an XML part too
    large to parse safely, in an archive far under the zip-bomb limit)."""
    data = docx_bytes(text)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    xml = xml.replace(b"<w:body>", b"<w:body>" + b" " * (pad_mb << 20), 1)
    return _rezip(data, {"word/document.xml": xml})


def html_page(body_text: str) -> str:
    """An HTML page with scripts, styles, comments, a table and the visible ``body_text``."""
    paras = "".join(f"<p>{line}</p>\n" for line in body_text.splitlines())
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>政务公开</title>"
            "<style>body{color:red} .secret-css{display:none}</style>"
            "<script>var SECRET_SCRIPT = 'alert(1)'; document.write('<p>SCRIPT_TEXT</p>');</script>"
            "</head><body onload=\"evil()\"><!-- COMMENT_TEXT -->\n"
            f"<div class=\"main\">{paras}</div>"
            "<table><tr><th>项目</th><th>数量</th></tr><tr><td>主动公开</td><td>68</td></tr></table>"
            "<noscript>NOSCRIPT_TEXT</noscript><script src=\"http://127.0.0.1:9/x.js\"></script>"
            "</body></html>")


# -- the folder ---------------------------------------------------------------------------------

#: Marker strings that must never reach a document's text.
FORBIDDEN_TEXT = ("SECRET_SCRIPT", "SCRIPT_TEXT", "COMMENT_TEXT", "NOSCRIPT_TEXT", "secret-css",
                  "TOP-SECRET-XXE", "\x1b", "\u202e", "\x00", "\x9b")


@dataclass
class Adversarial:
    """The generated folder and what each file must become."""

    root: Path
    expected: dict[str, str] = field(default_factory=dict)   # doc_id -> "doc" | "ING00N"
    skipped: list[str] = field(default_factory=list)         # names counted as skipped
    hidden: list[str] = field(default_factory=list)          # hidden: never read
    secret_path: Path | None = None

    @property
    def bad(self) -> dict[str, str]:
        return {k: v for k, v in self.expected.items() if v != "doc"}

    @property
    def good(self) -> list[str]:
        return sorted(k for k, v in self.expected.items() if v == "doc")


def make_adversarial(root: Path, seed: int = SEED, big_mb: int = 50, bomb_mb: int = 210,
                     secret_dir: Path | None = None) -> Adversarial:
    """Write the adversarial folder under ``root`` (created) and return its manifest.

    Parameters
    ----------
    root : Path
        Folder to fill (must be empty or absent).
    seed : int
        Seeds every random choice: the same seed gives byte-identical files.
    big_mb : int
        Size of the single-line text file, MB (0 leaves it out). Refused by the default
        ``--max-file-mb 20`` from its size alone.
    bomb_mb : int
        Uncompressed size of the zip-bomb member, MB; must exceed 10 × ``--max-file-mb``.
    secret_dir : Path or None
        Where the XXE target file is written (outside ``root``); default ``root.parent``.
    """
    rng = random.Random(seed)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    adv = Adversarial(root)

    def put(name: str, data: bytes | str, expect: str | None) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if expect:
            adv.expected[name] = expect
        return path

    # text encodings: good files
    put("good-utf8.txt", report_text(rng), "doc")
    put("good-utf8-bom.txt", b"\xef\xbb\xbf" + report_text(rng).encode("utf-8"), "doc")
    put("good-gb18030.txt", report_text(rng).encode("gb18030"), "doc")
    put("good-utf16-bom.txt", report_text(rng).encode("utf-16"), "doc")
    put("utf16le-no-bom.txt", report_text(rng).encode("utf-16-le"), "doc")
    put("utf16be-no-bom.txt", report_text(rng).encode("utf-16-be"), "doc")
    put("crlf.txt", report_text(rng).replace("\n", "\r\n").encode("utf-8"), "doc")
    put("good.md", "# " + report_text(rng), "doc")
    noisy = list(report_text(rng))
    for ch in ("\x00", "\x07", "\x0b", "\x1b", "\x00"):
        noisy.insert(rng.randrange(5, len(noisy)), ch)
    put("nul-and-control-chars.txt", "".join(noisy), "doc")
    escape = report_text(rng).replace("一、主要工作", "\x1b[2J\x1b[31m一、主要工作\x1b[0m\u202e\u009b", 1)
    put("terminal-escapes.txt", escape, "doc")
    put("工作 总结 2024 年.txt", report_text(rng), "doc")
    same = report_text(rng)
    put("sub1/report.txt", same, "doc")
    put("sub2/report.txt", same, "doc")
    put("deep/a/b/c/d/e/f/g/深层 目录.txt", report_text(rng), "doc")
    # odd file names: bytes that are not UTF-8, a newline; reported escaped
    raw_name = os.fsencode(root) + b"/name-\xff\xfe-latin1.txt"
    with open(raw_name, "wb") as fh:
        fh.write(report_text(rng).encode("utf-8"))
    adv.expected["name-\\xff\\xfe-latin1.txt"] = "doc"
    put("new\nline.txt", report_text(rng), None)
    adv.expected["new\\x0aline.txt"] = "doc"

    # text: bad files
    put("empty.txt", b"", "ING003")
    put("whitespace-only.txt", " \n\t\r\n\u3000\u3000 \n\n", "ING003")
    put("control-only.txt", "\x00\x01\x02 \x1b\x7f\n\x00", "ING001")
    put("photo-renamed.txt", png_bytes(seed=seed), "ING001")
    good = report_text(rng).encode("utf-8")
    cut = len(good) // 2
    put("invalid-utf8.txt", good[:cut] + b"\xff\xfe\xc0\xaf" + good[cut:], "ING001")
    put("mixed-gb18030-utf8.txt", report_text(rng).encode("utf-8") + report_text(rng).encode("gb18030"),
        "ING001")
    put("random-bytes.txt", bytes(rng.randrange(256) for _ in range(4096)), "ING001")
    put("legacy-word.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "ING002")
    put("no-extension", report_text(rng), "ING002")
    if big_mb:
        with open(root / "big-single-line.txt", "wb") as fh:
            line = ("政务公开" * 1024).encode("utf-8")  # 12 KiB, no newline anywhere
            for _ in range(big_mb * 1024 * 1024 // len(line) + 1):
                fh.write(line)
        adv.expected["big-single-line.txt"] = "ING004"

    # docx
    docx_text = report_text(rng)
    good_docx = docx_bytes(docx_text, table=[["项目", "数量"], ["主动公开", "68"], ["依申请公开", "5"]])
    put("good.docx", good_docx, "doc")
    put("truncated.docx", good_docx[: len(good_docx) // 2], "ING001")
    put("text-renamed.docx", report_text(rng), "ING001")
    put("zip-bomb.docx", zip_bomb_docx_bytes(report_text(rng), bomb_mb), "ING004")
    put("huge-xml-part.docx", huge_xml_docx_bytes(report_text(rng)), "ING004")
    secret_dir = Path(secret_dir or root.parent)
    adv.secret_path = secret_dir / f"xxe-secret-{seed}.txt"
    adv.secret_path.write_text("TOP-SECRET-XXE 机密内容", encoding="utf-8")
    put("xxe.docx", xxe_docx_bytes(report_text(rng), str(adv.secret_path)), "ING004")

    # pdf
    put("good.pdf", text_pdf_bytes([f"Annual report on government information disclosure {2020 + i}."
                                    f" Item {rng.randint(1, 99)} published." for i in range(12)]), "doc")
    put("encrypted.pdf", encrypted_pdf_bytes(["Confidential annual report", "Figures withheld"]), "ING001")
    put("scanned-no-text.pdf", scanned_pdf_bytes(seed), "ING005")
    put("not-a-pdf.pdf", report_text(rng), "ING001")
    put("truncated.pdf", text_pdf_bytes(["Half a file"])[:40], "ING001")
    put("busy-shared-stream.pdf", busy_pdf_bytes(pages=2000, ops=250_000), "ING004")

    # html
    put("page-with-scripts.html", html_page(report_text(rng)), "doc")
    nested = "<div>" * 3000 + "深层嵌套的页面内容：" + report_text(rng) + "</div>" * 3000
    put("deeply-nested.htm", nested, "doc")
    put("many-breaks.html", "<html><body>" + "<br>" * 500_000 + report_text(rng) + "</body></html>", "ING004")
    put("empty-page.html", "<html><head><script>var x=1;</script></head><body> </body></html>", "ING003")

    # links, pipes, notes, hidden files
    (root / "broken-link.txt").symlink_to(root / "does-not-exist.txt")
    adv.expected["broken-link.txt"] = "ING001"
    (root / "loop-a.txt").symlink_to(root / "loop-b.txt")
    (root / "loop-b.txt").symlink_to(root / "loop-a.txt")
    adv.expected["loop-a.txt"] = adv.expected["loop-b.txt"] = "ING004"
    (root / "link-to-good.txt").symlink_to(root / "good-utf8.txt")
    adv.skipped.append("link-to-good.txt")  # the same file as good-utf8.txt: read once, "given twice"
    (root / "folder-loop").symlink_to(root, target_is_directory=True)
    adv.skipped.append("folder-loop")
    os.mkfifo(root / "named-pipe.txt")
    adv.expected["named-pipe.txt"] = "ING001"
    put("README.md", "说明文件，不是报告。\n", None)
    put("SOURCES.txt", "来源说明。\n", None)
    adv.skipped += ["README.md", "SOURCES.txt"]
    put(".hidden-report.txt", report_text(rng), None)
    put(".hidden-dir/inside.txt", report_text(rng), None)
    adv.hidden += [".hidden-report.txt", ".hidden-dir/inside.txt"]
    adv.skipped += [".hidden-report.txt", ".hidden-dir"]  # listed (the folder, not its files)
    return adv


def make_many_tiny(root: Path, n: int = 10_000, seed: int = SEED) -> dict[str, int]:
    """Write ``n`` tiny files in 100 sub-folders; returns counts by expected outcome.

    One in 50 is empty (ING003), one in 97 has an unsupported suffix (ING002), the rest hold
    one or two seeded sentences (documents).
    """
    rng = random.Random(seed)
    counts = {"doc": 0, "ING002": 0, "ING003": 0}
    for i in range(n):
        sub = root / f"d{i % 100:03d}"
        if i < 100:
            sub.mkdir(parents=True, exist_ok=True)
        if i % 50 == 7:
            (sub / f"f{i:05d}.txt").write_bytes(b"")
            counts["ING003"] += 1
        elif i % 97 == 3:
            (sub / f"f{i:05d}.xls").write_bytes(b"x")
            counts["ING002"] += 1
        else:
            s = rng.choice(_SUBJECTS) + rng.choice(_VERBS) + rng.choice(_OBJECTS) + f"，编号{i}。"
            (sub / f"f{i:05d}.txt").write_text(s, encoding="utf-8")
            counts["doc"] += 1
    return counts


if __name__ == "__main__":  # python tests/adversarial.py OUT_DIR: write the folder to look at
    import sys

    if len(sys.argv) != 2:
        sys.exit("usage: python tests/adversarial.py OUT_DIR   (OUT_DIR must not exist)")
    out = Path(sys.argv[1])
    if out.exists():
        sys.exit(f"{out} exists: choose a new folder")
    adv = make_adversarial(out / "adversarial", secret_dir=out)
    print(f"{adv.root}: {len(adv.expected)} files to account for ({len(adv.good)} good, "
          f"{len(adv.bad)} bad), {len(adv.skipped)} skipped, {len(adv.hidden)} hidden")
