"""PLH001: unfilled template fields left in a report.

Patterns seen in template essays and the 2021 national format's blank template: ``XX``/``××``/
``某某`` standing for a name, ``▲`` for a figure, ``20xx``/``xx年`` for a year, ``（文字描述）``
prompts, runs of underscores as blanks.
"""

from __future__ import annotations

import re

from ..document import Document, Span
from ..findings import Finding

# Each alternative names its kind; order matters (longer forms first).
_PATTERNS = [
    ("year", r"(?:19|20)[xX×＊*]{2}(?:年度?|年)?|[xX×]{2}年度?"),
    ("prompt", r"[（(]文字描述[^）)\n]{0,40}[）)]"),
    ("name", r"(?<![A-Za-z])[xX]{2,3}(?![A-Za-z])|[×＊]{2,3}|某某"),
    ("figure", r"▲+"),
    ("blank", r"_{3,}|＿{3,}"),
]
_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _PATTERNS))


def find_placeholders(document: Document) -> list[Finding]:
    """One PLH001 finding per unfilled template field.

    Parameters
    ----------
    document : Document

    Returns
    -------
    list[Finding]
        In text order; ``span`` on the field itself, ``evidence`` ``{"text", "kind"}`` with kind
        one of year, prompt, name, figure, blank.
    """
    out = []
    text = document.text
    for m in _RE.finditer(text):
        kind = m.lastgroup
        raw = m.group()
        out.append(Finding("PLH001", document.doc_id, f"unfilled template field '{raw}' ({kind})",
                           span=Span(m.start(), m.end()), evidence={"text": raw, "kind": kind}))
    return out
