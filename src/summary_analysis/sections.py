"""Stage 3, structure: the heading tree and document metadata.

(Skeleton: the heading parser and metadata are built under issue 3; this module fixes the
interface the later stages use.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import Document, Span

KINDS = ("annual-report-2021", "annual-report-legacy", "work-summary", "other")


@dataclass(frozen=True)
class Section:
    """One heading (or 一是/二是 point) and its body.

    Attributes
    ----------
    kind : str
        ``heading`` or ``point``.
    level : int
        1 = 一、, 2 = （一）, 3 = 1., 4 = （1） (GB/T 9704-2012 §7.3.3); a point's level is its
        parent's level + 1 (1 at top).
    number : str
        The numbering as written (``（一）``, ``7.``, ``一是``).
    title : str
        The heading text without its number (run-in titles cut at the first 。).
    span : Span
        Heading line plus body, up to the next heading of the same or a higher level.
    title_span : Span
        The heading's own text.
    path : str
        Numbers from the root, brackets full width, joined with ``/`` (``二/（一）``).
    children : tuple[Section, ...]
    """

    kind: str
    level: int
    number: str
    title: str
    span: Span
    title_span: Span
    path: str
    children: tuple["Section", ...] = field(default=())


@dataclass(frozen=True)
class DocMeta:
    """Document metadata: ``kind`` (one of :data:`KINDS`), ``issuer`` (the organ writing),
    ``year`` (the report's year), ``title``."""

    kind: str = "other"
    issuer: str | None = None
    year: int | None = None
    title: str | None = None


def sections(document: Document, tokens=None) -> list[Section]:
    """Return the document's heading forest (top-level sections, children nested)."""
    return []


def iter_sections(forest: list[Section]):
    """Yield every section of a forest in document order (pre-order)."""
    for s in forest:
        yield s
        yield from iter_sections(list(s.children))


def section_path_at(forest: list[Section], offset: int) -> str | None:
    """The ``path`` of the innermost section whose span contains ``offset``, or None."""
    best = None
    for s in iter_sections(forest):
        if s.span.start <= offset < s.span.end:
            best = s
    return best.path if best else None


def document_meta(document: Document, forest: list[Section]) -> DocMeta:
    """Infer kind, issuer and year of ``document``."""
    return DocMeta(title=document.title)
