"""The :class:`Finding` value object and its table form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .document import Span
from .rules import get_rule

if TYPE_CHECKING:
    import pandas as pd

FINDING_COLUMNS = ["rule", "severity", "doc_id", "related_doc_id", "span", "message", "evidence"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding of one rule on one document (or one pair of documents).

    Parameters
    ----------
    rule : str
        Stable code from :mod:`summary_analysis.rules` (``PLH001``).
    doc_id : str
        The document the finding is about (for pairs: the suspected copy).
    message : str
        One line for people.
    span : Span or None
        Character offsets into ``doc_id``'s ``Document.text``; None for file- or document-level
        findings.
    related_doc_id : str or None
        The other document of a pair finding.
    evidence : dict
        Rule-specific, JSON-serialisable; keys per ``docs/output-contract.md``.
    severity : str or None
        Defaults to the rule's default severity.
    """

    rule: str
    doc_id: str
    message: str
    span: Span | None = None
    related_doc_id: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    severity: str | None = None

    def __post_init__(self) -> None:
        if self.severity is None:
            object.__setattr__(self, "severity", get_rule(self.rule).severity)

    def __reduce__(self):
        # Pickled as its fields in order (worker processes send findings back); the
        # slots-dataclass default calls dataclasses.fields() on each side.
        return (Finding, (self.rule, self.doc_id, self.message, self.span, self.related_doc_id, self.evidence,
                          self.severity))

    def sort_key(self) -> tuple:
        """Deterministic order: document, position, rule, related document, message."""
        start = self.span.start if self.span else -1
        end = self.span.end if self.span else -1
        return (self.doc_id, start, end, self.rule, self.related_doc_id or "", self.message)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the output contract."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "doc_id": self.doc_id,
            "related_doc_id": self.related_doc_id,
            "span": self.span.as_list() if self.span else None,
            "message": self.message,
            "evidence": self.evidence,
        }

    def _repr_html_(self) -> str:
        from .report.html import finding_html

        return finding_html(self)


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a DataFrame with the contract's columns, in :meth:`Finding.sort_key` order."""
    rows = [f.to_dict() for f in sorted(findings, key=Finding.sort_key)]
    import pandas as pd  # here, not at import: worker processes never build tables

    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


#: An object's repr with its memory address: ``<_io.BytesIO object at 0x7f5af0aca5c0>``.
_ADDRESS = re.compile(r"<([\w.]+(?: object)?) at 0x[0-9a-fA-F]+>")
#: pypdf's repr of a reference quotes the id() of its reader: IndirectObject(4, 0, 140067585814416).
_PDF_REFERENCE = re.compile(r"IndirectObject\((\d+), (\d+), \d+\)")


def without_addresses(text: str) -> str:
    """``text`` with the memory address taken out of every quoted object repr
    (``<_io.BytesIO object at 0x7f…>`` → ``<_io.BytesIO object>``; pypdf's
    ``IndirectObject(4, 0, 1400…)`` → ``IndirectObject(4, 0)``): a library's error message that
    quotes one differs from run to run, and findings must not. Raises nothing."""
    return _PDF_REFERENCE.sub(r"IndirectObject(\1, \2)", _ADDRESS.sub(r"<\1>", text))


def stage_failed(doc_id: str, stage: str, exc: BaseException) -> Finding:
    """The ING006 finding for ``doc_id`` when the analysis ``stage`` (a name such as
    ``figures`` or ``copy detection``) raised ``exc``: message ``analysis stage failed (stage:
    Type: text)``, the reason cut to 300 characters; ``evidence`` ``{"stage": stage}``. The
    document keeps the other stages' results."""
    reason = without_addresses(f"{stage}: {type(exc).__name__}: {exc}")[:300]
    return Finding("ING006", doc_id, f"analysis stage failed ({reason})", evidence={"stage": stage})
