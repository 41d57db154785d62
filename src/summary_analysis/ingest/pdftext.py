"""Cleaning of text extracted from PDFs: page footers, and lines broken by the page width."""

from __future__ import annotations

import re

#: Page footers and headers as PDF extractors leave them: ``— 1 —``, ``- 2 -``, ``第 3 页``.
FOOTER_RE = re.compile(r"^\s*(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*/?\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")

_SENTENCE_END = "。！？；：:;!?…”」』）)】"


def is_footer(line: str) -> bool:
    """True for a page-footer line such as ``— 1 —`` or ``- 2 -``."""
    return bool(FOOTER_RE.match(line))


def rejoin_lines(lines: list[str]) -> list[str]:
    """Re-join lines that the page width broke mid-sentence.

    A line is joined to the next when it is about as long as the page's full lines (at least
    85 % of the 90th-percentile length of the non-table lines) and does not end a sentence; short lines
    (headings, the last line of a paragraph) are kept. Table rows (``|``) are never joined.

    Parameters
    ----------
    lines : list[str]
        Lines without footers.

    Returns
    -------
    list[str]
        Fewer or equally many lines; no character other than line breaks is removed.
    """
    lengths = sorted(len(l.strip()) for l in lines if l.strip() and not l.lstrip().startswith("|"))
    if len(lengths) < 5:
        return lines
    full = lengths[int(0.9 * (len(lengths) - 1))]
    threshold = max(12, int(0.85 * full))
    out: list[str] = []
    carry = ""
    for line in lines:
        stripped = line.rstrip()
        joined = carry + stripped if carry else stripped
        if (len(stripped.strip()) >= threshold and stripped and stripped[-1] not in _SENTENCE_END
                and not stripped.lstrip().startswith("|")):
            carry = joined
            continue
        out.append(joined)
        carry = ""
    if carry:
        out.append(carry)
    return out


def clean_pdf_text(pages: list[str]) -> str:
    """Join pages' text, dropping footers and re-joining broken lines (see :func:`rejoin_lines`)."""
    lines: list[str] = []
    for page in pages:
        for line in page.splitlines():
            if is_footer(line):
                continue
            lines.append(line)
    return "\n".join(rejoin_lines(lines))


def looks_like_pdf_extract(text: str) -> bool:
    """True for plain text that a PDF extractor produced: two or more page-footer lines."""
    n = 0
    for line in text.splitlines():
        if is_footer(line):
            n += 1
            if n >= 2:
                return True
    return False


def clean_pdf_extract(text: str) -> str:
    """Apply the PDF cleaning to a plain-text PDF extract (footers, broken lines)."""
    return clean_pdf_text([text])
