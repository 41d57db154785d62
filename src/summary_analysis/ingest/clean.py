"""Text cleaning shared by every reader: line endings, control characters, blank runs."""

from __future__ import annotations

import re

from .pdftext import clean_pdf_extract, looks_like_pdf_extract

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")


def clean_text(raw: str) -> str:
    """Normalise a reader's raw text into ``Document.text`` form.

    CRLF/CR become LF; control characters (NUL, zero-width, BOM) are dropped; trailing spaces
    on lines are removed; runs of three or more blank lines shrink to one blank line; plain text
    left by a PDF extractor (page footers such as ``— 1 —``) loses its footers and has its
    broken lines re-joined. Leading and trailing blank lines are stripped.

    Returns
    -------
    str
        The cleaned text (possibly empty).
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    if looks_like_pdf_extract(text):
        text = clean_pdf_extract(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n").strip()
