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


#: The words a report's title ends with (工作总结, 年度报告, …).
_TITLE_END = re.compile(r"(?:报告|总结|汇报|报告书|要点|计划|方案|情况)$")
#: A title's last characters wrapped onto a line of their own: a few Chinese characters.
_TITLE_REST = re.compile(r"^[\u4e00-\u9fff]{1,8}$")
#: Title lines: the document's first non-empty lines looked at by :func:`rejoin_title`.
TITLE_LINES = 3


def rejoin_title(lines: list[str]) -> list[str]:
    """Re-join a title the page width broke: in the first :data:`TITLE_LINES` non-empty
    lines, a line that does not end a sentence followed by a line of one to eight Chinese
    characters, when the two together end as a title does (报告, 总结, 汇报, …):
    ``政府信息公开工作年度报`` + ``告``. A title is set in a larger font, so its lines are
    shorter than the body's and :func:`rejoin_lines` keeps them (session-17 fresh-user test:
    a Chromium-printed report was titled ``…年度报``). Lines elsewhere are left as they are.

    Parameters
    ----------
    lines : list[str]

    Returns
    -------
    list[str]
        Equally many lines or one fewer; no character other than a line break is removed.
    """
    seen = 0
    for i, line in enumerate(lines[:-1]):
        head = line.rstrip()
        if not head.strip():
            continue
        seen += 1
        if seen > TITLE_LINES:
            break
        rest = lines[i + 1].strip()
        if (head[-1] not in _SENTENCE_END and not head.lstrip().startswith("|") and _TITLE_REST.match(rest)
                and _TITLE_END.search(head + rest)):
            return lines[:i] + [head + rest] + lines[i + 2:]
    return lines


def clean_pdf_text(pages: list[str]) -> str:
    """Join pages' text, dropping footers and re-joining broken lines (see :func:`rejoin_lines`
    and :func:`rejoin_title`)."""
    lines: list[str] = []
    for page in pages:
        for line in page.splitlines():
            if is_footer(line):
                continue
            lines.append(line)
    # the title last: a title joined first is a long line rejoin_lines would run into the
    # paragraph after it (the Shanghai extract's title and preamble became one line)
    return "\n".join(rejoin_title(rejoin_lines(lines)))


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
