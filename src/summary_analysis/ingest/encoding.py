"""Byte-to-text decoding with detection; never decodes silently with replacement characters."""

from __future__ import annotations

import codecs

from .errors import ReadError

_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}


def _looks_utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without BOM from NUL bytes at alternating positions (ASCII or CJK-heavy)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_nul = sum(1 for b in sample[0::2] if b == 0)
    odd_nul = sum(1 for b in sample[1::2] if b == 0)
    half = len(sample) // 2
    for enc, nul in (("utf-16-le", odd_nul), ("utf-16-be", even_nul)):
        if nul > 0.2 * half:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _printable_ratio(text) > 0.95:
                return enc
    # CJK text in UTF-16 has few NULs: accept a strict decode that is mostly CJK and printable
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        if text and cjk > 0.5 * len(text) and _printable_ratio(text) > 0.98:
            if not _decodes(data, "utf-8") and not _decodes(data, "gb18030"):
                return enc
    return None


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


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes, detecting the encoding.

    Tries, in order: a BOM (UTF-8, UTF-16 LE/BE), strict UTF-8, UTF-16 without BOM (by NUL
    patterns), strict GB18030 (which covers GBK and GB2312). A result with many control or
    private-use characters is treated as binary.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    (text, encoding) : tuple[str, str]
        ``encoding`` is the codec name used (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``…).

    Raises
    ------
    ReadError
        ``ING001`` when no supported encoding decodes the bytes strictly, or when they look
        binary (an image renamed ``.txt``).
    """
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:].decode("utf-8", errors="strict") if _decodes(data[3:], "utf-8")
                        else _fail("bytes after the UTF-8 BOM are not valid UTF-8"), "utf-8-sig")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return _checked(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            _fail("invalid UTF-16 after the byte-order mark")
    if b"\x00" not in data[:8192] or not data:
        if _decodes(data, "utf-8"):
            return _checked(data.decode("utf-8"), "utf-8")
    enc16 = _looks_utf16_without_bom(data)
    if enc16:
        return _checked(data.decode(enc16), enc16)
    if b"\x00" in data[:8192]:
        _fail("binary content (NUL bytes): not a text file")
    if _decodes(data, "gb18030"):
        text = data.decode("gb18030")
        return _checked(text, "gb18030")
    _fail("bytes are neither valid UTF-8 nor GB18030 (mixed or corrupted encoding)")
    raise AssertionError("unreachable")


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if _printable_ratio(text[:20000]) < 0.9:
        _fail(f"decodes as {encoding} but most characters are control or private-use: binary content")
    return text, encoding


def _fail(reason: str):
    raise ReadError("ING001", reason)
