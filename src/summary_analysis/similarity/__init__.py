"""Stage 5, similarity: near-duplicate documents and shared passages (DUP001–DUP003).

(Skeleton: MinHash LSH and passage alignment are built under issues 2 and 5.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Document
from ..findings import Finding

PAIR_COLUMNS = ["doc_a", "doc_b", "jaccard", "containment_ab", "containment_ba", "shared_chars", "verdict"]


@dataclass(frozen=True)
class PairScore:
    """Similarity of two documents: ``doc_a`` < ``doc_b`` by doc_id; Jaccard and containment
    of their shingle sets (ratios in 0..1), ``shared_chars`` the characters in shared passages,
    ``verdict`` (``near-duplicate``, ``shared-passages``, ``rewrite``, ``distinct``)."""

    doc_a: str
    doc_b: str
    jaccard: float
    containment_ab: float
    containment_ba: float
    shared_chars: int
    verdict: str

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in PAIR_COLUMNS}


@dataclass
class CopyResult:
    """Output of :func:`detect_copies`: ``pairs`` scored, DUP ``findings``, and the
    ``candidates`` (doc_id pairs, sorted) handed on to the rewrite check."""

    pairs: list[PairScore] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    candidates: list[tuple[str, str]] = field(default_factory=list)


def detect_copies(documents: list[Document], tokens: dict | None = None, index=None) -> CopyResult:
    """Find near-duplicate documents and shared passages in a batch."""
    return CopyResult()
