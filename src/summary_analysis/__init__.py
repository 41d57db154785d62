"""summary-analysis: find copied, machine-rewritten, unfinished and incomplete Chinese work
summaries and government-information-disclosure annual reports.

Public API::

    from summary_analysis import read_documents, analyze
    batch = analyze(read_documents("corpus"))
    batch.findings        # pandas DataFrame, columns per docs/output-contract.md
"""

from __future__ import annotations

__version__ = "0.1.0"

from .document import Document, Span  # noqa: E402
from .findings import Finding  # noqa: E402
from .checklist import load_checklist  # noqa: E402


def read_documents(paths) -> list[Document]:
    """Read files and folders into documents (compilation pages split, text cleaned).

    Parameters
    ----------
    paths : str, PathLike, or list of them

    Returns
    -------
    list[Document]
        Readable documents only; pass the paths to :func:`analyze` instead to get unreadable
        files as ING findings.
    """
    from .ingest import read_batch

    return read_batch(paths).documents


def analyze(inputs, **options):
    """Analyse documents or paths; see :func:`summary_analysis.pipeline.analyze`."""
    from .pipeline import analyze as _analyze

    return _analyze(inputs, **options)


__all__ = ["Document", "Span", "Finding", "read_documents", "analyze", "load_checklist", "__version__"]
