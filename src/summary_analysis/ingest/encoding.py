"""Byte-to-text decoding with detection; never decodes silently with replacement characters.

Order of the attempts (first that fits wins):

1. a byte-order mark: UTF-8, UTF-32 LE/BE, UTF-16 LE/BE;
2. strict UTF-8, when NUL bytes are absent or rare (a few stray NULs in a UTF-8 file are
   control characters that cleaning removes, not a sign of another encoding);
3. UTF-16 LE/BE without BOM, when the strict decode is *plausible text* (see
   :func:`plausible_ratio`: CJK, ASCII and CJK punctuation make up at least 95 % of it);
4. strict GB18030 (a superset of GBK and GB2312), when plausible; a file whose lines are
   partly valid UTF-8 Chinese and partly not is refused as *mixed encodings* instead of being
   decoded as GB18030 mojibake;
5. strict Big5-HKSCS (encoding name ``big5hkscs``), only when GB18030 fails or gives unusual
   characters and the Big5 decode is plausible and mostly CJK (Traditional Chinese, kept as is).

Anything else is refused (:class:`~summary_analysis.ingest.errors.ReadError`, ING001), with a
reason that says what the bytes looked like.
"""

from __future__ import annotations

import codecs
import re

from .errors import ReadError

_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}

#: Magic numbers of binary formats that people rename or save with a text extension.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office/WPS binary document (.doc/.xls/.wps)"),
    (b"\x7fELF", "an executable program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: The stream an encrypted Office Open XML file (a .docx/.xlsx saved with a password) keeps its
#: package in, inside an OLE compound file ([MS-OFFCRYPTO] §2.3.4.4 ECMA-376 encryption): its
#: name in the OLE directory, UTF-16LE.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
#: What :func:`sniff_binary` calls such a file.
ENCRYPTED_OFFICE = "a password-protected (encrypted) Office document"


def _ole_stream_named(data: bytes, name: bytes) -> bool:
    """Whether an OLE compound file has a directory entry named ``name`` (UTF-16LE, no null):
    where the name sits at the start of a 128-byte entry ([MS-CFB] §2.6: entries fill the
    sectors, which start at multiples of the sector size, past the header), followed by its
    null and with the entry's name length (bytes, null included) saying so. The same bytes in
    a document's text (a .doc about 'EncryptedPackage') are not an entry."""
    size = 1 << int.from_bytes(data[30:32], "little") if len(data) >= 32 else 512
    if not 128 <= size <= 1 << 16:
        size = 512
    length = (len(name) + 2).to_bytes(2, "little")
    at = data.find(name)
    while at >= 0:
        if (at % 128 == 0 and at >= size and data[at + len(name):at + len(name) + 2] == b"\x00\x00"
                and data[at + 64:at + 66] == length):
            return True
        at = data.find(name, at + 1)
    return False


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format ``data`` starts with (``'a PNG image'``), or None. An OLE compound
    file with an ``EncryptedPackage`` stream (:func:`_ole_stream_named`) is
    :data:`ENCRYPTED_OFFICE` (a .docx saved with a password is stored so), not an old binary
    document.

    Parameters
    ----------
    data : bytes
        At least the first 16 bytes of a file (the whole file to tell an encrypted one).
    """
    if data.startswith(_OLE_MAGIC) and _ole_stream_named(data, _ENCRYPTED_PACKAGE):
        return ENCRYPTED_OFFICE
    for magic, name in SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def _is_plausible(c: str) -> bool:
    o = ord(c)
    return (0x20 <= o < 0x7F or c in _CONTROL_OK
            or 0x4E00 <= o <= 0x9FFF          # CJK unified ideographs
            or 0x3400 <= o <= 0x4DBF          # extension A
            or 0x3000 <= o <= 0x303F          # CJK symbols and punctuation
            or 0xFF00 <= o <= 0xFFEF          # full-width forms
            or 0x2000 <= o <= 0x206F          # general punctuation (“” — …)
            or 0x2460 <= o <= 0x24FF          # circled numbers ①
            or 0x2160 <= o <= 0x217F          # Roman numerals
            or 0x00A0 <= o <= 0x00FF          # Latin-1 (×, ·, °)
            or 0x25A0 <= o <= 0x25FF          # geometric shapes (▲ ■ ○)
            or 0x2190 <= o <= 0x21FF          # arrows
            or 0x0391 <= o <= 0x03C9          # Greek (GB2312 has it)
            or 0x2200 <= o <= 0x22FF          # maths (≤ ≥ ≠)
            or 0xFE30 <= o <= 0xFE4F)         # CJK compatibility forms (︰ ﹏)


def plausible_ratio(text: str, sample: int = 20000) -> float:
    """Share (0..1) of the first ``sample`` characters that are usual in Chinese reports.

    Usual: ASCII printable and whitespace, CJK ideographs (basic block and extension A), CJK
    and general punctuation, full-width forms, Latin-1, circled numbers, Roman numerals,
    Greek, arrows, geometric shapes and maths symbols. A wrong decoding (GB18030 bytes read as
    UTF-16, UTF-16 read as GB18030) gives Hangul, surrogates, private-use and rare-script
    characters and scores far lower. An empty text scores 1.
    """
    head = text[:sample]
    if not head:
        return 1.0
    return sum(1 for c in head if _is_plausible(c)) / len(head)


def _decodes(data: bytes, enc: str) -> bool:
    try:
        data.decode(enc)
    except UnicodeDecodeError:
        return False
    return True


def _printable_ratio(text: str) -> float:
    if not text:
        return 1.0
    bad = sum(1 for c in text if (ord(c) < 32 and c not in _CONTROL_OK) or 0xD800 <= ord(c) <= 0xDFFF
              or c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF)
    return 1 - bad / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order whose strict decode of ``data`` is plausible text, or None.

    Both byte orders are decoded strictly; those whose text is at least 95 % plausible
    (:func:`plausible_ratio`) qualify. ASCII read in the wrong byte order lands in the CJK
    blocks and may qualify too, so a tie goes to the order giving more ASCII characters (units
    whose high byte is NUL); CJK text read in the wrong order gives Hangul, private-use and
    surrogate units and does not qualify.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:8192]
    ascii_units = {"utf-16-le": sample[1::2].count(0), "utf-16-be": sample[0::2].count(0)}
    scored = []
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        ratio = plausible_ratio(text)
        if ratio >= 0.95:
            scored.append((ratio >= 0.99, ascii_units[enc], ratio, enc))
    return max(scored)[3] if scored else None


_UTF8_MULTI = re.compile(rb"(?:[\xe0-\xef][\x80-\xbf]{2}){3,}")


def _line_encodings(data: bytes) -> tuple[int, int, int | None]:
    """Classify the non-ASCII lines of ``data``.

    Returns ``(utf8_cjk, gb_only, first_bad)``: lines valid as UTF-8 holding a run of >= 3
    three-byte (CJK) characters; lines valid only as GB18030; the 1-based number of the first
    line valid in neither (None if none). LF never occurs inside a multi-byte character in
    UTF-8 or GB18030, so a line-by-line decode equals the whole-file decode.
    """
    utf8_cjk = gb_only = 0
    first_bad = None
    for n, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        if _decodes(line, "utf-8"):
            if _UTF8_MULTI.search(line):
                utf8_cjk += 1
        elif _decodes(line, "gb18030"):
            gb_only += 1
        elif first_bad is None:
            first_bad = n
    return utf8_cjk, gb_only, first_bad


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes, detecting the encoding.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    (text, encoding) : tuple[str, str]
        ``encoding`` is the codec name used (``utf-8``, ``utf-8-sig``, ``utf-32``, ``utf-16``,
        ``utf-16-le``, ``utf-16-be``, ``gb18030``, ``big5hkscs``). The text is the strict decode: no
        replacement characters are introduced.

    Raises
    ------
    ReadError
        ``ING001`` when the bytes are a known binary format (PNG, PDF, ZIP…), when no supported
        encoding decodes them strictly into plausible text, when they mix UTF-8 and another
        encoding, or when they look binary (many NUL or control characters).
    """
    if data.startswith(codecs.BOM_UTF8):
        body = data[3:]
        if not _decodes(body, "utf-8"):
            _fail("bytes after the UTF-8 byte-order mark are not valid UTF-8")
        return _checked(body.decode("utf-8"), "utf-8-sig")
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        # before UTF-16: the little-endian UTF-32 mark starts with the UTF-16 one (FF FE 00 00)
        try:
            text = data.decode("utf-32")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            return _checked(text, "utf-32")
        if data.startswith(codecs.BOM_UTF32_BE):
            _fail("invalid UTF-32 after the byte-order mark")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            _fail("invalid UTF-16 after the byte-order mark")
        return _checked(text, "utf-16")
    kind = sniff_binary(data)
    if kind:
        _fail(f"the file is {kind}, not text (wrong file extension?)")
    nuls = data.count(b"\x00")
    if nuls * 100 <= len(data) and _decodes(data, "utf-8"):
        return _checked(data.decode("utf-8"), "utf-8")
    enc16 = _utf16_without_bom(data)
    if enc16:
        return _checked(data.decode(enc16), enc16)
    if nuls:
        _fail(f"binary content ({nuls} NUL bytes): not a text file in any supported encoding")
    utf8_lines, gb_lines, first_bad = _line_encodings(data)
    if utf8_lines and gb_lines:
        _fail(f"mixed encodings: {utf8_lines} line(s) are UTF-8 and {gb_lines} line(s) are GB18030 "
              "(text pasted from another file?); re-save the file in one encoding")
    if first_bad is None:
        text = data.decode("gb18030")
        if plausible_ratio(text) < 0.9:
            big5 = _big5(data)
            if big5 is not None:
                return _checked(big5, "big5hkscs")
            _fail("bytes decode as GB18030 and Big5 only into unusual characters (tried UTF-8, "
                  "UTF-16, GB18030, Big5-HKSCS): binary or corrupted content")
        return _checked(text, "gb18030")
    big5 = _big5(data)
    if big5 is not None:
        return _checked(big5, "big5hkscs")
    # the bad byte as the encoding of the file's other lines reads it (GB18030 when they are)
    enc, name = ("gb18030", "GB18030") if gb_lines > utf8_lines else ("utf-8", "UTF-8")
    lines = data.split(b"\n")
    line_start = sum(len(x) + 1 for x in lines[:first_bad - 1])
    bad = lines[first_bad - 1]
    try:
        bad.decode(enc)
        where = ""
    except UnicodeDecodeError as exc:
        where = (f" (byte 0x{bad[exc.start]:02X} at offset {line_start + exc.start}, byte {exc.start + 1} "
                 f"of the line, not valid {name})")
    _fail(f"invalid bytes on line {first_bad}{where}: neither UTF-8 nor GB18030 nor UTF-16 nor Big5 "
          "(corrupted file or unknown encoding)")
    raise AssertionError("unreachable")


def _big5(data: bytes) -> str | None:
    """Strict Big5-HKSCS decode of ``data`` when it gives plausible text that is mostly CJK
    (Traditional Chinese files saved in Big5, common in Taiwan and Hong Kong); else None.

    Big5 and GB18030 share their byte ranges, so Big5 is only tried after GB18030 decoded into
    unusual characters; the text is kept as it is (Traditional characters are not converted).
    """
    try:
        text = data.decode("big5hkscs")
    except UnicodeDecodeError:
        return None
    sample = text[:20000]
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    non_space = sum(1 for c in sample if not c.isspace() and not c.isascii())
    if plausible_ratio(text) < 0.9 or not non_space or cjk < 0.5 * non_space:
        return None
    return text


#: Share of a page's non-ASCII bytes that must sit in runs of 4 or more (Chinese text in a
#: two-byte encoding: long runs; accented letters of a Latin-1 page: single bytes between ASCII).
_HIGH_BYTE_RUNS = 0.9
_HIGH_RUN = re.compile(rb"[\x80-\xff]{4,}")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def misread_chinese(data: bytes) -> str | None:
    """Why bytes a page declares as a single-byte charset (latin-1, windows-1252) are Chinese
    in GB18030 spoiled by a few invalid byte sequences, or None when they are not.

    Decoding such a page in its declared charset would give Latin-1 mojibake ("Õþ¸®"), analysed
    as if it were text; :func:`decode_bytes` refuses it (strict GB18030 fails), so the caller
    uses this to refuse it with a reason instead. They are when nearly all (90 %) of the
    non-ASCII bytes come in runs of four or more (Chinese characters are two bytes each; the
    accented letters of a Latin-1 page stand alone), the GB18030 decode with replacement is at
    least 80 % CJK among its non-ASCII characters and at most 1 % of it is replacement
    characters.

    Parameters
    ----------
    data : bytes
        The page's bytes.

    Returns
    -------
    str or None
        The reason, naming the count of invalid sequences and the byte offset of the first.
    """
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    if high < 8 or sum(len(m) for m in _HIGH_RUN.findall(data)) < _HIGH_BYTE_RUNS * high:
        return None
    text = data.decode("gb18030", errors="replace")
    wide = [c for c in text if not c.isascii()]
    bad = text.count("\ufffd")
    cjk = sum(1 for c in wide if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    if not bad or bad > 0.01 * len(text) or cjk < 0.8 * len(wide):
        return None
    try:
        data.decode("gb18030")
        first = ""
    except UnicodeDecodeError as exc:
        first = f", the first at byte offset {exc.start}"
    return (f"its bytes are Chinese in GB18030 with {bad} invalid byte sequence(s){first} "
            "(a corrupted or truncated file?); re-save the page in UTF-8")


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if _printable_ratio(text[:20000]) < 0.9:
        _fail(f"decodes as {encoding} but many characters are control or private-use: binary content")
    return text, encoding


def _fail(reason: str):
    raise ReadError("ING001", reason)
