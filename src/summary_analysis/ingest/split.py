"""Compilation pages: one scraped page holding several documents under numbered title lines.

Template-essay sites publish ``…工作总结(篇1)`` … ``(篇5)`` on one page, wrapped in the site's
name, page titles, a promotional paragraph and a ``本文网址:`` line. :func:`split_compilation`
finds the title lines, cuts the page into documents and drops the boilerplate; an ordinary
report (no such run of numbered titles) is returned whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..normalize import small_number

_CN_NUM = "一二三四五六七八九十"

# 「…(篇1)」「…（篇一）」 at the end of a short line; 「篇一：」 at its start; 「…(22)」 at the end.
_TITLE_PATTERNS = [
    re.compile(r"^(?P<prefix>.{2,60}?)[(（]篇(?P<n>\d{1,5}|[" + _CN_NUM + r"]{1,3})[)）]\s*$"),
    re.compile(r"^篇(?P<n>\d{1,5}|[" + _CN_NUM + r"]{1,3})[:：]\s*(?P<prefix>.{0,60})$"),
    re.compile(r"^(?P<prefix>.{4,60}?)[(（](?P<n>\d{1,5})[)）]\s*$"),
]

#: Lines that end a compilation page: the site's permalink and what follows it.
TRAILER_RE = re.compile(r"^\s*(本文网址|本文链接|原文链接|文章来源|转载请注明|本文地址)\s*[:：]")


@dataclass(frozen=True)
class Part:
    """One document cut from a page: ``title`` line and ``body``; ``start``/``end`` are
    character offsets of the body in the page's text (for provenance)."""

    title: str
    body: str
    start: int
    end: int


def _title_lines(lines: list[str]) -> list[tuple[int, int, str]]:
    """Candidate title lines as ``(line_index, number, prefix)`` for the best pattern."""
    best: list[tuple[int, int, str]] = []
    for pat in _TITLE_PATTERNS:
        found = []
        for i, line in enumerate(lines):
            m = pat.match(line.strip())
            if m and len(line.strip()) <= 70 and not line.lstrip().startswith("|"):
                found.append((i, small_number(m.group("n")), m.group("prefix").strip()))
        # keep the longest run numbered 1, 2, 3… in order
        run: list[tuple[int, int, str]] = []
        for item in found:
            if item[1] == len(run) + 1:
                run.append(item)
        if len(run) >= 2 and len(run) > len(best):
            best = run
    return best


def split_compilation(text: str) -> list[Part] | None:
    """Split a compilation page into its documents.

    Parameters
    ----------
    text : str
        The whole page's text.

    Returns
    -------
    list[Part] or None
        The documents in page order (titles as on the page), or None when the text is an
        ordinary document: fewer than two title lines numbered 1, 2, … in order, or title
        lines with bodies shorter than 100 characters (a table of contents, not a page).
    """
    lines = text.split("\n")
    titles = _title_lines(lines)
    if len(titles) < 2:
        return None
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    parts: list[Part] = []
    for k, (idx, _n, _prefix) in enumerate(titles):
        body_first = idx + 1
        body_last = titles[k + 1][0] if k + 1 < len(titles) else len(lines)
        for j in range(body_first, body_last):
            if TRAILER_RE.match(lines[j]):
                body_last = j
                break
        start = offsets[body_first] if body_first < len(lines) else len(text)
        end = max(start, offsets[body_last] - 1) if body_last <= len(lines) else len(text)
        body = text[start:end]
        parts.append(Part(lines[idx].strip(), body, start, end))
    if any(len(p.body.strip()) < 100 for p in parts):
        return None
    return parts
