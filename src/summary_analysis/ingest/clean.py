"""Text cleaning shared by every reader: line endings, control characters, blank runs."""

from __future__ import annotations

import re

from .pdftext import clean_pdf_extract, looks_like_pdf_extract

#: Dropped from every text: C0 and C1 control characters (NUL, ESC of terminal escape
#: sequences, CSI), zero-width characters, bidirectional overrides and isolates (which can
#: make a report line read differently from its bytes), lone surrogates (which cannot be
#: written as UTF-8), the BOM and non-characters.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u200b-\u200f"
                         r"\u202a-\u202e\u2060-\u2064\u2066-\u2069\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff]")
#: Line breaks other than LF: CR LF, CR, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
_BREAK_RE = re.compile(r"\r\n?|[\x85\u2028\u2029]")


def clean_text(raw: str) -> str:
    """Normalise a reader's raw text into ``Document.text`` form.

    CRLF, CR, NEL and Unicode line/paragraph separators become LF; control characters (C0,
    C1, zero-width, bidirectional overrides, BOM) are dropped; trailing spaces
    on lines are removed; runs of three or more blank lines shrink to one blank line; plain text
    left by a PDF extractor (page footers such as ``— 1 —``) loses its footers and has its
    broken lines re-joined. Leading and trailing blank lines are stripped.

    Returns
    -------
    str
        The cleaned text (possibly empty).
    """
    text = _BREAK_RE.sub("\n", raw)
    text = _CONTROL_RE.sub("", text)
    if looks_like_pdf_extract(text):
        text = clean_pdf_extract(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n").strip()
