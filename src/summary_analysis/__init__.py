"""summary-analysis: find copied, machine-rewritten, unfinished and incomplete Chinese work
summaries and government-information-disclosure annual reports.

Public API::

    from summary_analysis import read_documents, analyze
    batch = analyze(read_documents("corpus"))
    batch.findings        # pandas DataFrame, columns per docs/output-contract.md
"""

from __future__ import annotations

__version__ = "0.1.0"

#: Public names imported on first use (PEP 562), so that ``import summary_analysis`` is
#: quick: the console script starts, and can answer Ctrl-C, before the stages are imported.
_LAZY = {"Document": ".document", "Span": ".document", "Finding": ".findings",
         "load_checklist": ".checklist"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_documents(paths) -> list:
    """Read files and folders into documents (compilation pages split, text cleaned).

    Parameters
    ----------
    paths : str, PathLike, or list of them

    Returns
    -------
    list[Document]
        Readable documents only (:class:`~summary_analysis.document.Document`); pass the paths
        to :func:`analyze` instead to get unreadable files as ING findings.

    Raises
    ------
    TypeError
        For None, bytes or another non-path as ``paths`` or as one of them.
    ValueError
        For a path holding a NUL character.
    """
    from .ingest import read_batch
    from .ingest.walk import check_paths

    return read_batch(check_paths(paths)).documents


def analyze(inputs, **options):
    """Analyse documents or paths; see :func:`summary_analysis.pipeline.analyze`."""
    from .forkserver import start_early

    # with worker processes: their forkserver starts importing the stages while this process does
    start_early(inputs, options.get("jobs", 1), options.get("segmenter"))
    from .pipeline import analyze as _analyze

    return _analyze(inputs, **options)


__all__ = ["Document", "Span", "Finding", "read_documents", "analyze", "load_checklist", "__version__"]
