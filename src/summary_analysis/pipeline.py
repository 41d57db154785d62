"""Orchestration only: read → segment → structure → figures → similarity/rewrite → checklist.

Per-document stages run in :func:`analyze_document` (embarrassingly parallel; the same function
serves every engine); the cross-document stages run once over the batch in :func:`analyze`.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import checklist as checklist_stage
from . import figures as figures_stage
from . import rewrite as rewrite_stage
from . import sections as sections_stage
from . import similarity as similarity_stage
from .batch import Batch
from .document import Document
from .findings import Finding
from .ingest import DEFAULT_MAX_FILE_MB, ReadResult, read_batch
from .segment import Tokens, segment

log = logging.getLogger(__name__)


@dataclass
class DocAnalysis:
    """Everything the per-document stages produced for one document (picklable)."""

    document: Document
    tokens: Tokens
    sections: list = field(default_factory=list)
    meta: Any = None
    figures: list = field(default_factory=list)
    checklist: Any = None
    findings: list[Finding] = field(default_factory=list)


def analyze_document(document: Document, checklist: str = "auto") -> DocAnalysis:
    """Run the per-document stages on one document.

    Parameters
    ----------
    document : Document
    checklist : str
        ``auto``, a shipped checklist name, or a path to a TOML checklist.

    Returns
    -------
    DocAnalysis
        Tokens, sections, metadata, figures, checklist result and the document's own findings
        (PLH, FIG, REW002, SEC).
    """
    tokens = segment(document.text)
    forest = sections_stage.sections(document, tokens)
    meta = sections_stage.document_meta(document, forest)
    figs = figures_stage.extract_figures(document, forest)
    findings: list[Finding] = []
    findings += figures_stage.find_placeholders(document)
    findings += figures_stage.check_figures(document, figs, meta, forest)
    findings += rewrite_stage.implausible_wording(document, tokens)
    result = checklist_stage.score_document(document, forest, meta, figs, checklist)
    findings += result.findings
    return DocAnalysis(document, tokens, forest, meta, figs, result, findings)


def analyze(inputs: Iterable[Document] | str | os.PathLike | list, *, checklist: str = "auto",
            index: Any = None, max_file_mb: float = DEFAULT_MAX_FILE_MB, progress: bool = False,
            jobs: int = 1) -> Batch:
    """Analyse a batch of reports.

    Parameters
    ----------
    inputs : list of Document, or path(s)
        Documents from :func:`read_documents`, or files/folders to read (then unreadable files
        become ING findings in the result).
    checklist : str
        ``auto`` (per document, by kind and year), a shipped checklist name, or a TOML path.
    index : ReferenceIndex or None
        A reference library to check copies against (DUP003); None consults nothing.
    max_file_mb : float
        Per-file size limit when reading paths.
    progress : bool
        Show a tqdm progress bar on stderr (only when stderr is a terminal).
    jobs : int
        Processes for the per-document stages (output identical for every value).

    Returns
    -------
    Batch
        DataFrames ``documents``, ``findings``, ``pairs``, ``figures``, ``checklist``,
        ``sections``; sorted deterministically.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    inputs = list(inputs)
    if inputs and not all(isinstance(d, Document) for d in inputs):
        read = read_batch(inputs, max_file_mb=max_file_mb)
    else:
        read = ReadResult(documents=inputs, files_found=len({d.path for d in inputs}),
                          files_read=len({d.path for d in inputs}))
    docs = read.documents
    iterator: Iterable[Document] = docs
    if progress:
        from tqdm import tqdm

        iterator = tqdm(docs, desc="analysing", unit="doc", disable=None, leave=False)
    analyses = [analyze_document(d, checklist) for d in iterator]
    tokens = {a.document.doc_id: a.tokens for a in analyses}
    copies = similarity_stage.detect_copies(docs, tokens, index=index)
    by_id = {d.doc_id: d for d in docs}
    rewrites = rewrite_stage.detect_paired_rewrites(by_id, tokens, copies.candidates)
    findings = list(read.findings) + copies.findings + rewrites
    for a in analyses:
        findings += a.findings
    return Batch(analyses=analyses, findings=findings, pairs=copies.pairs, read=read)
