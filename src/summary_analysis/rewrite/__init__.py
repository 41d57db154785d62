"""Stage 5b, rewriting: synonym-substitution (伪原创) detection, paired (REW001) and
reference-free (REW002).

(Skeleton: built under issue 6.)
"""

from __future__ import annotations

from ..document import Document
from ..findings import Finding


def detect_paired_rewrites(documents: dict[str, Document], tokens: dict, candidates: list[tuple[str, str]]) -> list[Finding]:
    """REW001 findings for candidate pairs whose aligned sentences differ by word substitutions."""
    return []


def implausible_wording(document: Document, tokens) -> list[Finding]:
    """REW002 findings for one document (phrase-level plus one document-level finding)."""
    return []
