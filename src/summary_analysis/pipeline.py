"""Orchestration only: read → segment → structure → figures → similarity/rewrite → checklist.

Per-document stages run in :func:`analyze_document` (embarrassingly parallel; the same function
serves every engine); the cross-document stages run once over the batch in :func:`analyze`.

Each document is segmented once; its :class:`~summary_analysis.segment.Tokens` are shared by
every stage that needs them. With ``jobs > 1`` the per-document stages run in worker processes
on chunks of documents; results come back in input order, so the output is identical to
``jobs=1``. Workers send back the token ends (one ``int32`` array per chunk), not the token
strings, and not the document: the parent re-attaches its own :class:`Document`.
Sections and figures come back as flat tuples, built into objects only on demand.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Iterable

import numpy as np

from . import checklist as checklist_stage
from . import figures as figures_stage
from . import rewrite as rewrite_stage
from . import sections as sections_stage
from . import similarity as similarity_stage
from .batch import Batch
from .document import Document
from .findings import Finding, stage_failed
from .forkserver import WARM_ENV, start_forkserver, start_method, unguarded_main_call
from .ingest import DEFAULT_MAX_CHARS, DEFAULT_MAX_FILE_MB, ReadResult, read_batch, read_one, too_long_finding
from .ingest.walk import check_paths, discover, safe_name
from .interrupts import IgnoreInterruptOnLoad, InterruptDeferred, ignore_interrupt, warm_up_ignoring_interrupt
from .packed import Packed
from .segment import Tokens, get_segmenter, resolve_backend, segment
from .similarity.evidence import is_machine_rewritten
from .workers import OrderedPool, WorkerLost

log = logging.getLogger(__name__)


@dataclass
class DocAnalysis:
    """Everything the per-document stages produced for one document (picklable).

    ``sections`` (the heading forest) and ``figures`` are lists of
    :class:`~summary_analysis.sections.Section` and :class:`~summary_analysis.figures.Figure`.
    A document analysed in a worker process (``jobs > 1``) keeps them packed
    (:class:`~summary_analysis.sections.PackedSections`,
    :class:`~summary_analysis.figures.PackedFigures`) until one of the two attributes is first
    read, which builds the list; :meth:`figure_rows` and :meth:`section_rows` give the output
    rows without building it.
    """

    document: Document
    tokens: Tokens
    sections: list = field(default_factory=list)
    meta: Any = None
    figures: list = field(default_factory=list)
    checklist: Any = None
    findings: list[Finding] = field(default_factory=list)

    def figure_rows(self) -> list[dict]:
        """One output row per figure (see :func:`summary_analysis.figures.figure_dicts`)."""
        return figures_stage.figure_dicts(self.document.doc_id, self.__dict__["_figures"])

    def section_rows(self) -> list[dict]:
        """One output row per heading (see :func:`summary_analysis.sections.section_dicts`)."""
        return sections_stage.section_dicts(self.document.doc_id, self.__dict__["_sections"])


def _built_on_read(name: str) -> property:
    """A :class:`DocAnalysis` attribute stored as given and, when it is a
    :class:`~summary_analysis.packed.Packed` sequence, replaced by the list of its objects the
    first time it is read (so users always see a plain list, as with ``jobs=1``)."""
    key = "_" + name

    def get(self):
        value = self.__dict__[key]
        if isinstance(value, Packed):
            value = self.__dict__[key] = value.objects()
        return value

    def put(self, value) -> None:
        self.__dict__[key] = value

    return property(get, put, doc=f"``{name}`` (a list; built from the packed form on first read)")


DocAnalysis.sections = _built_on_read("sections")
DocAnalysis.figures = _built_on_read("figures")


def analyze_document(document: Document, checklist: str = "auto", *,
                     segmenter: str | None = None) -> DocAnalysis:
    """Run the per-document stages on one document.

    Parameters
    ----------
    document : Document
    checklist : str
        ``auto``, a shipped checklist name, or a path to a TOML checklist.
    segmenter : str or None
        Segmentation backend, ``jieba`` or ``fast`` (same tokens); None: the process default
        (:func:`summary_analysis.segment.resolve_backend`).

    Returns
    -------
    DocAnalysis
        Tokens, sections, metadata, figures, checklist result and the document's own findings
        (PLH, FIG, REW002, SEC).
    """
    tokens = segment(document.text, segmenter)
    failed: list[Finding] = []  # ING006 of the stages that raised

    def guarded(stage: str, fn, *args, default=None):
        # A stage that raises on one document must not end the batch: the document keeps
        # the other stages' results and gets one ING006 finding naming the stage.
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - reported as a finding, logged in full
            log.debug("stage %s failed on %s", stage, document.doc_id, exc_info=True)
            failed.append(stage_failed(document.doc_id, stage, exc))
            return default

    forest = guarded("structure", sections_stage.sections, document, tokens, default=[])
    meta = guarded("metadata", sections_stage.document_meta, document, forest,
                   default=sections_stage.DocMeta(title=document.title))
    figs = guarded("figures", figures_stage.extract_figures, document, forest, default=[])
    findings: list[Finding] = []
    findings += guarded("placeholders", figures_stage.find_placeholders, document, default=[])
    findings += guarded("consistency", figures_stage.check_figures, document, figs, meta, forest,
                        default=[])
    findings += guarded("rewrite", rewrite_stage.implausible_wording, document, tokens, default=[])
    result = guarded("checklist", checklist_stage.score_document, document, forest, meta, figs,
                     checklist, default=None)
    if result is None:
        result = checklist_stage.ChecklistResult()
    findings += result.findings
    findings += failed
    return DocAnalysis(document, tokens, forest, meta, figs, result, findings)


# -- parallel per-document stages --------------------------------------------------------------

def _worker_init(segmenter: str, _interrupt=None) -> None:
    """Pool initializer: load the segmenter once per worker process (already loaded when the
    forkserver was warmed up with the same backend: see :func:`_warm_up`). Ctrl-C is left to
    the parent (:mod:`summary_analysis.interrupts`): ``_interrupt``, an
    :class:`~summary_analysis.interrupts.IgnoreInterruptOnLoad`, made this worker ignore it
    when its arguments were unpickled; ignored here again for start methods that pass them
    otherwise."""
    ignore_interrupt()
    get_segmenter(segmenter)


# Two small reports (an annual disclosure report and a work summary) that take the per-document
# stages through their usual paths, so every resource they load lazily (segmenter dictionaries,
# checklists, the REW002 model, compiled patterns) is loaded once in the forkserver.
_WARM_TEXTS = (
    ("某县人民政府2023年政府信息公开工作年度报告",
     "某县人民政府2023年政府信息公开工作年度报告\n\n本报告依据《中华人民共和国政府信息公开条例》编制，"
     "所列数据统计期限自2023年1月1日起至2023年12月31日止。\n\n一、总体情况\n（一）主动公开\n"
     "我县进一步完善政府信息公开工作机制，全年通过政府门户网站主动公开政府信息1234条，"
     "在政务新媒体发布政策解读56篇，切实保障人民群众的知情权、参与权和监督权。\n"
     "（二）依申请公开\n收到政府信息公开申请35件，按时办结率100%。\n\n"
     "二、主动公开政府信息情况\n制发行政规范性文件3件。\n\n"
     "三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请35件。\n\n"
     "四、政府信息公开行政复议、行政诉讼情况\n行政复议0件，行政诉讼0件。\n\n"
     "五、存在的主要问题及改进情况\n一是政策解读的形式还不够丰富；二是部分栏目信息更新不够及时。\n\n"
     "六、其他需要报告的事项\n无。\n"),
    ("某局2023年工作总结",
     "某局2023年工作总结\n\n2023年，我局在县委、县政府的正确领导下，认真落实各项工作任务，现将工作总结如下：\n"
     "一、主要工作开展情况\n（一）扎实推进重点项目建设，全年完成投资2.5亿元，同比增长12%。\n"
     "二、存在的问题\n基层工作人员业务水平有待提高。\n三、2024年工作计划\n持续优化营商环境。\n"),
)


def _warm_up(backend: str) -> None:
    """Forkserver side: load ``backend``'s segmenter and every per-document stage's resources
    once, before any worker is forked, then ``gc.freeze()`` them; each worker inherits them
    (copy-on-write) instead of loading its own. Results are discarded; a failure only means the
    workers load lazily as without warm-up."""
    try:
        get_segmenter(backend)
        for i, (title, text) in enumerate(_WARM_TEXTS):
            analyze_document(Document(doc_id=f"warm-up/{i}", title=title, text=text, path=f"warm-up/{i}"),
                             segmenter=backend)
        gc.collect()
        gc.freeze()
    except Exception:  # noqa: BLE001 - an optimisation only
        log.debug("forkserver warm-up failed", exc_info=True)


def _analyze_chunk(documents: list[Document], checklist: str, segmenter: str) -> tuple:
    """Worker side: the per-document stages on a chunk, returned without documents or token
    strings (the parent already has the documents; token ends are enough to rebuild Tokens),
    with the sections and figures as flat tuples
    (:class:`~summary_analysis.sections.PackedSections`,
    :class:`~summary_analysis.figures.PackedFigures`): the parent builds those objects only
    when asked for them, not for the output tables.

    Returns ``(ends, results)``: the ``int32`` token ends of every document of the chunk, one
    array end to end (one object to send instead of one per document), and one
    ``(number of tokens, sections, meta, figures, checklist result, findings)`` per document.
    """
    analyses = []
    for d in documents:
        analyses.append(analyze_document(d, checklist, segmenter=segmenter))
        # Everything alive now lives on: the stages' resources for the whole run, this chunk's
        # results until they are sent. gc.freeze() (O(1)) keeps the cyclic collector from
        # walking them at each collection and restarts its allocation count, so young
        # collections come far less often; the stages make no cyclic garbage for it to find
        # (tests/test_transport.py), and objects are still freed by reference counting.
        if gc.isenabled():
            gc.freeze()
    ends = np.concatenate([a.tokens.ends for a in analyses]) if analyses else np.zeros(0, np.int32)
    out = [(len(a.tokens.ends), sections_stage.PackedSections.pack(a.sections), a.meta,
            figures_stage.PackedFigures.pack(a.figures), a.checklist, a.findings) for a in analyses]
    return ends, out


def _chunk_analyses(documents: list[Document], payload: tuple):
    """Parent side, inverse of :func:`_analyze_chunk`: yield the :class:`DocAnalysis` of each of
    ``documents`` (the chunk that was sent) from what the worker sent back; each document's
    token ends are a view of the chunk's one array."""
    ends, results = payload
    stop = 0
    for d, (n_tokens, forest, meta, figs, result, findings) in zip(documents, results):
        start, stop = stop, stop + n_tokens
        yield DocAnalysis(d, Tokens(text=d.text, ends=ends[start:stop]), forest, meta, figs, result, findings)


def _chunk_size(n_items: int, jobs: int, most: int = 64) -> int:
    return max(1, min(most, n_items // (jobs * 16) or 1))


def _paired_chunk(documents: dict, tokens: dict, pairs: list) -> list[Finding]:
    """Worker side: the paired rewrite check on some candidate pairs."""
    return rewrite_stage.detect_paired_rewrites(documents, tokens, pairs)


class _Workers:
    """The worker processes for the per-document stages and the per-pair rewrite check
    (an :class:`~summary_analysis.workers.OrderedPool`): results are always collected in
    submission order, so the output does not depend on scheduling, and an item whose worker
    dies (or raises) becomes ING findings while the rest of the batch goes on."""

    def __init__(self, jobs: int, segmenter: str) -> None:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        method = start_method()
        ctx = mp.get_context(method)
        if method == "forkserver":
            start_forkserver(segmenter)
        self.jobs = jobs

        def make():
            pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                                       initargs=(segmenter, IgnoreInterruptOnLoad()))
            if method == "fork":
                # fork copies the locks other threads hold: forked while the copy-detection
                # thread was importing, workers waited for ever on the import lock it held
                # (seen 1 run in 4 at 10k reports). The pool forks all its workers at its first
                # task: given one now, before any thread of this module is started.
                pool.submit(os.getpid).result()
            return pool

        self.workers = OrderedPool(make, jobs)

    @property
    def pool(self):
        """The current executor (replaced after a worker death; None once given up)."""
        return self.workers.pool

    def close(self, cancel: bool = False) -> None:
        """Shut the workers down (see :meth:`OrderedPool.close <summary_analysis.workers.OrderedPool.close>`)."""
        self.workers.close(cancel)

    def ordered(self, fn, chunks: list, extra: tuple = (), **retry):
        """Yield ``(chunk, fn(chunk, *extra))`` in chunk order, at most ``4 * jobs`` in flight
        (:meth:`OrderedPool.ordered <summary_analysis.workers.OrderedPool.ordered>`)."""
        return self.workers.ordered(fn, chunks, extra, **retry)

    def read(self, files: list, skipped: list, missing: list, max_file_mb: float) -> ReadResult:
        """:func:`~summary_analysis.ingest.read_batch` with the files read by the workers
        (same result: files in discovery order, each giving documents or ING findings)."""
        result = ReadResult.started(files, skipped, missing)
        size = _chunk_size(len(files), self.jobs, most=16)
        chunks = [files[i:i + size] for i in range(0, len(files), size)]
        for _, results in self.ordered(_read_chunk, chunks, (max_file_mb,), single=_each, lost=_file_lost):
            for docs, findings in results:
                result.account(docs, findings)
        return result

    def analyses(self, docs: list[Document], checklist: str, segmenter: str, bar, froze=None):
        """:class:`DocAnalysis` of every document, in input order, one list per chunk as the
        chunks come back. ``froze``: a :class:`_GcFreeze` that freezes the results as they
        arrive (they live until the end: full collections of the parent then skip them)."""
        size = _chunk_size(len(docs), self.jobs)
        chunks = [docs[i:i + size] for i in range(0, len(docs), size)]
        for k, (chunk, payload) in enumerate(self.ordered(_analyze_chunk, chunks, (checklist, segmenter),
                                                          single=_each, lost=_document_lost)):
            yield list(_chunk_analyses(chunk, payload))
            if froze is not None:
                froze.again() if k else froze.freeze()
            if bar is not None:
                bar.update(len(chunk))

    def paired_rewrites(self, by_id: dict, tokens: dict, candidates: list) -> list[Finding]:
        """REW001 over the candidate pairs, split among the workers (each pair is independent)."""
        pairs = sorted({tuple(sorted(p)) for p in candidates if len(p) == 2})
        size = _chunk_size(len(pairs), self.jobs, most=16)
        chunks = []
        for i in range(0, len(pairs), size):
            part = pairs[i:i + size]
            ids = {d for p in part for d in p if d in by_id}
            chunks.append((part, {d: by_id[d] for d in ids}, {d: tokens[d] for d in ids if d in tokens}))
        out: list[Finding] = []
        for _, found in self.ordered(_run_paired, chunks, single=_each_pair, lost=_pair_lost):
            out += found
        return sorted(out, key=Finding.sort_key)


def _start_workers(jobs: int, backend: str) -> _Workers:
    """A :class:`_Workers` pool made with Ctrl-C held back (a pool half made would leak its
    semaphores); a Ctrl-C held until it was made closes it again and is raised."""
    workers = None
    try:
        with InterruptDeferred():
            workers = _Workers(jobs, backend)
    except BaseException:
        if workers is not None:
            workers.close(cancel=True)
        raise
    return workers


def _read_chunk(files: list, max_file_mb: float) -> list[tuple[list[Document], list[Finding]]]:
    """Worker side: read some input files (documents or ING findings for each)."""
    return [read_one(item, max_file_mb) for item in files]


def _run_paired(chunk) -> list[Finding]:
    part, documents, tokens = chunk
    return _paired_chunk(documents, tokens, part)


# -- what an item becomes when its worker dies (OrderedPool's ``single`` and ``lost``) ---------

def _each(chunk: list) -> list[list]:
    return [[item] for item in chunk]


def _file_lost(files: list, reason: str) -> list[tuple[list[Document], list[Finding]]]:
    """A file whose reading ended its worker process: one ING001 finding, as from
    :func:`~summary_analysis.ingest.read_one`."""
    item = files[0]
    return [([], [Finding("ING001", item.doc_id, f"cannot read file: {reason}",
                          evidence={"path": safe_name(str(item.path))})])]


def _document_lost(docs: list[Document], reason: str) -> tuple:
    """What :func:`_analyze_chunk` sends for a document whose analysis ended its worker process:
    no tokens, sections or figures, and one ING006 finding (stage ``analysis``)."""
    d = docs[0]
    failed = stage_failed(d.doc_id, "analysis", WorkerLost(reason))
    return np.zeros(0, np.int32), [(0, sections_stage.PackedSections.pack([]), sections_stage.DocMeta(title=d.title),
                                    figures_stage.PackedFigures.pack([]), checklist_stage.ChecklistResult(), [failed])]


def _each_pair(chunk) -> list:
    part, documents, tokens = chunk
    return [((pair,), {d: documents[d] for d in pair if d in documents},
             {d: tokens[d] for d in pair if d in tokens}) for pair in part]


def _pair_lost(chunk, reason: str) -> list[Finding]:
    """A pair whose paired rewrite check ended its worker process: one ING006 finding for each
    of its two documents (stage ``paired rewriting with`` the other)."""
    (pair,), _, _ = chunk
    a, b = pair
    return [stage_failed(a, f"paired rewriting with {b}", WorkerLost(reason)),
            stage_failed(b, f"paired rewriting with {a}", WorkerLost(reason))]


# -- cross-document copy detection overlapped with the worker phase ---------------------------

class _MetasInFlight(Mapping):
    """``doc_id -> DocMeta`` filled in by the parent as worker results arrive, for
    :func:`~summary_analysis.similarity.detect_copies` running meanwhile in a thread: a lookup
    waits until every document with that doc_id has come back (the same value the finished
    dict would give: the last document of that id wins). ``len`` is known from the start."""

    def __init__(self, doc_ids: list[str]) -> None:
        self._expected = Counter(doc_ids)
        self._arrived: Counter = Counter()
        self._metas: dict = {}
        self._cond = threading.Condition()
        self._failed = False

    def put_many(self, items: list[tuple[str, Any]]) -> None:
        """Several documents' ``(doc_id, meta)`` arrived: one lock and at most one wake-up of
        the waiting thread for all of them (a wake-up per document cost both threads a switch
        of the interpreter lock, some 20 us each)."""
        with self._cond:
            done = False
            for doc_id, meta in items:
                self._metas[doc_id] = meta
                self._arrived[doc_id] += 1
                done = done or self._arrived[doc_id] >= self._expected[doc_id]
            if done:
                self._cond.notify_all()

    def fail(self) -> None:
        """The worker phase ended early (error, interrupt): waiting lookups give up."""
        with self._cond:
            self._failed = True
            self._cond.notify_all()

    def __getitem__(self, doc_id: str):
        if doc_id not in self._expected:
            raise KeyError(doc_id)
        with self._cond:
            while self._arrived[doc_id] < self._expected[doc_id]:
                if self._failed:
                    raise _Abandoned
                self._cond.wait()
            return self._metas[doc_id]

    def __iter__(self):
        return iter(self._expected)

    def __len__(self) -> int:
        return len(self._expected)


def _machine_rewritten(analyses) -> dict[str, bool]:
    """doc_id -> True for the documents whose wording REW002 judged machine-rewritten (a
    direction for the copy stage: :func:`~summary_analysis.similarity.evidence.choose_copier`)."""
    return {a.document.doc_id: True for a in analyses if is_machine_rewritten(a.findings)}


class _Abandoned(BaseException):
    """Raised inside the copy-detection thread when the worker phase failed."""


class _CopiesThread:
    """:func:`~summary_analysis.similarity.detect_copies` on the batch in a parent thread while
    the workers run the per-document stages: the parent is otherwise idle then, so the
    cross-document stage no longer runs after them (its result is the same call's result)."""

    def __init__(self, docs: list[Document], index: Any) -> None:
        self.metas = _MetasInFlight([d.doc_id for d in docs])
        #: doc_id -> REW002's verdict, filled before the document's meta arrives in ``metas``
        self.machine_rewritten: dict[str, bool] = {}
        self._result = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(docs, index),
                                        name="summary-analysis-copies", daemon=True)
        self._thread.start()

    def _run(self, docs, index) -> None:
        try:
            self._result = similarity_stage.detect_copies(docs, None, index=index, metas=self.metas,
                                                          machine_rewritten=self.machine_rewritten)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            self._error = exc

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result

    def abandon(self) -> None:
        """Stop waiting for results (the thread ends at its next lookup; not joined)."""
        self.metas.fail()


class _GcFreeze:
    """``gc.freeze()`` for the length of one analysis, once the first document has loaded
    every stage's resources (dictionaries, the REW002 model), and again (:meth:`again`) as the
    results pile up: full collections, which come more often as they do, then skip those
    long-lived containers. Undone at the end (``gc.unfreeze()``); nothing is done when the
    collector is off or something else froze."""

    def __init__(self) -> None:
        self.done = False

    def freeze(self) -> None:
        if gc.isenabled() and gc.get_freeze_count() == 0:
            gc.freeze()
            self.done = True

    def again(self) -> None:
        """Freeze what was created since the last freeze too (results kept to the end of the
        analysis), if this object froze at all."""
        if self.done and gc.isenabled():
            gc.freeze()

    def undo(self) -> None:
        if self.done:
            gc.unfreeze()
            self.done = False


def _iter_serial(docs: list[Document], checklist: str, segmenter: str, bar, froze=None):
    """Per-document stages in this process; ``froze`` (a :class:`_GcFreeze`) freezes after the
    first document (the stages' resources) and again after every document (the results, kept
    to the end): collections then skip them, and freezing (O(1)) restarts the collector's
    allocation count, so young collections come about ten times less often. The stages make
    no cyclic garbage (tests/test_transport.py) that freezing could keep from being found."""
    for i, d in enumerate(docs):
        a = analyze_document(d, checklist, segmenter=segmenter)
        a.tokens.release()  # keep the compact offsets only; strings are re-sliced on demand
        if froze is not None:
            froze.again() if i else froze.freeze()
        yield a
        if bar is not None:
            bar.update(1)


def _batch_stage(stage: str, fn, doc_ids: list[str], failed: list[Finding]):
    """Run one cross-document stage (``fn()``); if it raises, return None and append one ING006
    finding naming ``stage`` for each of ``doc_ids`` (the documents left without its results) to
    ``failed``, so the batch still reports everything else."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - reported as findings, logged in full
        log.warning("batch stage %s failed: %s: %s", stage, type(exc).__name__, exc)
        log.debug("batch stage %s failed", stage, exc_info=True)
        failed.extend(stage_failed(doc_id, stage, exc) for doc_id in doc_ids)
        return None


def refusal(doc: Document, max_chars: int) -> Finding | None:
    """Why a given Document (not read from a file) is not analysed: ING003 for no text (empty or
    only whitespace), as an empty file is; ING004 for more than ``max_chars`` characters, as a
    file's text is; None to analyse it. Shared by both engines."""
    if not doc.text.strip():
        return Finding("ING003", doc.doc_id, "empty document (no text)", evidence={"path": doc.path})
    if len(doc.text) > max_chars:
        return too_long_finding(doc.doc_id, len(doc.text), max_chars, doc.path)
    return None


def _named(ids: list[str]) -> str:
    """The first three of ``ids`` as reprs, "…" when there are more (for error messages)."""
    return ", ".join(map(repr, ids[:3])) + (", …" if len(ids) > 3 else "")


def given_twice(ids: list[str]) -> ValueError:
    """The error for documents whose ``doc_id`` (the sorted ``ids``) was given more than once:
    one document is never its own copy, so both engines refuse the batch (ValueError, to
    raise)."""
    return ValueError(f"inputs: documents given twice (doc_id {_named(ids)}): give each once")


def check_documents(docs: list[Document]) -> None:
    """:func:`analyze`'s checks of Documents it is given (files read from disk are cleaned):
    a TypeError for a text that is not a str, a ValueError for a doc_id that is not a non-empty
    str, a doc_id given twice or a text
    holding lone surrogates (not Unicode text: the segmenters and the shingling fail on it, so
    one such document failed the whole batch's copy detection); each names the documents."""
    no_id = [k for k, d in enumerate(docs) if not isinstance(d.doc_id, str) or not d.doc_id.strip()]
    if no_id:  # every finding and table row is keyed by it
        raise ValueError(f"inputs[{no_id[0]}]: a Document needs a doc_id, a non-empty str "
                         f"(got {docs[no_id[0]].doc_id!r})")
    wrong = [d.doc_id for d in docs if not isinstance(d.text, str)]
    if wrong:
        raise TypeError(f"inputs: Document text must be a str (doc_id {_named(wrong)})")
    seen: set[str] = set()
    twice = sorted({d.doc_id for d in docs if d.doc_id in seen or seen.add(d.doc_id)})
    if twice:  # the command line skips a file given twice; one document is never its own copy
        raise given_twice(twice)
    bad = []
    for d in docs:
        try:
            d.text.encode("utf-8")
        except UnicodeEncodeError:
            bad.append(d.doc_id)
    if bad:
        raise ValueError(f"inputs: Document text holds lone surrogates, not Unicode text (doc_id {_named(bad)}): "
                         "clean it first, e.g. text.encode('utf-8', 'replace').decode('utf-8')")


def _check_options(inputs, jobs, max_file_mb, index) -> None:
    """:func:`analyze`'s argument checks: a TypeError or ValueError naming the argument, before
    anything runs (a wrong type failed deep inside, as a comparison or in multiprocessing)."""
    import math

    if isinstance(inputs, (bytes, bytearray)) or not isinstance(inputs, (str, os.PathLike, Iterable)):
        raise TypeError("inputs: give a path (str or os.PathLike), a list of paths, or Documents; not "
                        f"{type(inputs).__name__}")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int)):
        raise TypeError(f"jobs must be an int (processes; <= 0: one per CPU), not {type(jobs).__name__}")
    if isinstance(max_file_mb, bool) or not isinstance(max_file_mb, (int, float)):
        raise TypeError(f"max_file_mb must be a number of megabytes, not {type(max_file_mb).__name__}")
    if not (math.isfinite(max_file_mb) and max_file_mb > 0):
        raise ValueError(f"max_file_mb must be a positive number of megabytes, not {max_file_mb!r}")
    if index is not None:
        from .similarity.index import ReferenceIndex

        if not isinstance(index, ReferenceIndex):
            raise TypeError(f"index must be a ReferenceIndex (summary_analysis.similarity.index), the path "
                            f"of one, or None, "
                            f"not {type(index).__name__}")


def _check_paths(inputs: list) -> None:
    """Each of ``inputs`` (a list of paths, or of Documents) is checked: a TypeError naming the
    first element that is neither a path nor a Document (``[path, None]``, a list in the list:
    a TypeError from deep in the folder walk before), a mix of both, and a ValueError for a path
    holding a NUL character (no file can have it; pathlib's "embedded null byte" before)."""
    if not inputs or all(isinstance(x, Document) for x in inputs):
        return
    if any(isinstance(x, Document) for x in inputs):
        raise TypeError("inputs: give either paths or Documents, not a mix of both")
    check_paths(inputs)


def analyze(inputs: Iterable[Document] | str | os.PathLike | list, *, checklist: str = "auto",
            index: Any = None, max_file_mb: float = DEFAULT_MAX_FILE_MB, progress: bool = False,
            jobs: int = 1, segmenter: str | None = None) -> Batch:
    """Analyse a batch of reports.

    Parameters
    ----------
    inputs : list of Document, or path(s)
        Documents from :func:`read_documents` (or built by the caller: a Document with no text
        becomes an ING003 finding, as an empty file does, and one of more than
        :data:`~summary_analysis.ingest.DEFAULT_MAX_CHARS` characters an ING004 finding, as a
        file's text does), or files/folders to read (then
        unreadable files become ING findings in the result); not a mix of both.
    checklist : str or None
        ``auto`` (per document, by kind and year; None means the same), a shipped checklist
        name, or a TOML path.
    index : ReferenceIndex, path or None
        A reference library to check copies against (DUP003): an open
        :class:`~summary_analysis.similarity.index.ReferenceIndex`, or the path of one built with
        ``summary-analysis index add`` (opened for this call, never created); None consults
        nothing.
    max_file_mb : float
        Per-file size limit when reading paths.
    progress : bool
        Show a tqdm progress bar on stderr (only when stderr is a terminal).
    jobs : int
        Processes for the per-document stages and the per-pair rewrite check (output identical
        for every value); ``jobs <= 0`` means one per CPU. Workers start with ``forkserver``
        (``spawn`` where that does not exist; ``SUMMARY_ANALYSIS_MP_START`` overrides), and
        each worker runs the main script's top level again as it starts: a call from a script
        outside the usual ``if __name__ == "__main__":`` guard runs in one process, with a
        warning naming the line (:func:`summary_analysis.forkserver.unguarded_main_call`). The forkserver loads the segmenter and the stages' resources once, before it
        forks the workers, and keeps them (about 300 MB) until this process exits; called as
        :func:`summary_analysis.analyze` (as the CLI does), it is started before this module is
        imported (:func:`summary_analysis.forkserver.start_early`), so the two imports overlap.
    segmenter : str or None
        ``jieba`` (reference) or ``fast`` (rjieba, same tokens); None: the
        ``SUMMARY_ANALYSIS_SEGMENTER`` environment variable, else ``jieba``.

    Returns
    -------
    Batch
        DataFrames ``documents``, ``findings``, ``pairs``, ``figures``, ``checklist``,
        ``sections``; sorted deterministically.

    Raises
    ------
    ValueError
        For an unknown ``segmenter`` name, a ``max_file_mb`` that is not a positive number,
        a Document whose ``doc_id`` is not a non-empty str, Documents with the same ``doc_id``
        given twice, a Document text holding lone surrogates (not Unicode text), a path
        holding a NUL character, or an empty ``index`` path.
    TypeError
        For bytes or None as ``inputs`` or as one of them, paths and Documents mixed, a Document
        text that is not a str, a ``jobs`` that is not an int, a ``max_file_mb`` that is not a number, an
        ``index`` that is neither a ReferenceIndex nor a path.
    FileNotFoundError
        For an ``index`` path where no reference index exists (an empty path: ValueError).
    IndexFileError
        (a ValueError) For an ``index`` path that is not a usable reference index.
    ChecklistError
        (a ValueError) For a ``checklist`` that is neither ``auto``, a shipped name, nor a
        valid checklist file, before anything is read (the command line exits 2 on it).
    """
    if checklist is None:
        checklist = "auto"
    if isinstance(index, (str, os.PathLike)):
        if not os.fspath(index):
            raise ValueError("index: an empty path names no reference index (None consults none)")
        from .similarity.index import ReferenceIndex

        with ReferenceIndex(index, create=False) as opened:
            return analyze(inputs, checklist=checklist, index=opened, max_file_mb=max_file_mb,
                           progress=progress, jobs=jobs, segmenter=segmenter)
    _check_options(inputs, jobs, max_file_mb, index)
    inputs = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    _check_paths(inputs)  # each element (and paths mixed with Documents)
    if checklist != "auto" and not isinstance(checklist, checklist_stage.Checklist):
        checklist_stage.load_checklist(checklist)  # raises ChecklistError; cached for the stages
    backend = resolve_backend(segmenter)
    if jobs is None or jobs <= 0:
        jobs = os.cpu_count() or 1
    if jobs > 1 and start_method() != "fork" and (where := unguarded_main_call()) is not None:
        log.warning("analyze(jobs=%d) is called from %s, line %d, outside `if __name__ == \"__main__\":`; "
                    "worker processes run that code again when they start, so this analysis runs in one "
                    "process (put the call under that guard to use %d processes)", jobs, where[0], where[1], jobs)
        jobs = 1
    workers = None
    try:
        if inputs and not all(isinstance(d, Document) for d in inputs):
            files, skipped, missing = discover(inputs) if jobs > 1 else ([], [], [])
            if len(files) > 1:
                workers = _start_workers(min(jobs, len(files)), backend)
                read = workers.read(files, skipped, missing, max_file_mb)
            else:
                read = read_batch(inputs, max_file_mb=max_file_mb)
        else:
            check_documents(inputs)
            # a Document with no text is refused as an empty file is (ING003), one longer than
            # a file's text may be as a file's is (ING004); neither is analysed
            kept, refused = [], []
            for d in inputs:
                finding = refusal(d, DEFAULT_MAX_CHARS)
                if finding:
                    refused.append(finding)
                else:
                    kept.append(d)
            read = ReadResult(documents=kept, findings=refused,
                              files_found=len({d.path for d in inputs}), files_read=len({d.path for d in kept}),
                              files_refused=len({f.evidence["path"] for f in refused} - {d.path for d in kept}))
    except BaseException:
        if workers is not None:
            workers.close(cancel=True)
        raise
    docs = read.documents
    jobs = min(jobs, max(1, len(docs)))
    if workers is None and jobs > 1:
        workers = _start_workers(jobs, backend)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(docs), desc="analysing", unit="doc", disable=None, leave=False)
    ok = False
    copier = None
    froze = _GcFreeze()
    try:
        if workers is not None:
            # the parent would wait idle for the workers: detect copies meanwhile (not with a
            # reference index: its SQLite connection belongs to this thread)
            copier = _CopiesThread(docs, index) if index is None else None
            analyses = []
            for part in workers.analyses(docs, checklist, backend, bar, froze):
                analyses += part
                if copier is not None:
                    copier.machine_rewritten.update(_machine_rewritten(part))
                    copier.metas.put_many([(a.document.doc_id, a.meta) for a in part])
        else:
            analyses = list(_iter_serial(docs, checklist, backend, bar, froze))
        if bar is not None:
            bar.close()
            bar = None
        tokens = {a.document.doc_id: a.tokens for a in analyses}
        failed: list[Finding] = []
        if copier is not None:
            find_copies = copier.result
        else:
            metas = {a.document.doc_id: a.meta for a in analyses}
            find_copies = partial(similarity_stage.detect_copies, docs, tokens, index=index, metas=metas,
                                  machine_rewritten=_machine_rewritten(analyses))
        copies = _batch_stage("copy detection", find_copies, [d.doc_id for d in docs], failed)
        copies = copies or similarity_stage.CopyResult()
        by_id = {d.doc_id: d for d in docs}
        # workers have the model loaded
        pair_check = (workers.paired_rewrites if workers is not None and copies.candidates
                      else rewrite_stage.detect_paired_rewrites)
        involved = sorted({i for pair in copies.candidates for i in pair})
        rewrites = _batch_stage("paired rewriting", partial(pair_check, by_id, tokens, copies.candidates),
                                involved, failed)
        rewrites = (rewrites or []) + failed
        # a DUP001 whose direction only the sort order decided takes REW001's on the same pair
        copies.findings = sorted(similarity_stage.follow_rewrites(copies.findings, rewrites, copies.rebuild),
                                 key=Finding.sort_key)
        copies.pairs = similarity_stage.mark_rewrites(copies.pairs, rewrites)
        copies.rebuild = {}
        ok = True
    finally:
        if bar is not None:
            bar.close()
        froze.undo()
        if copier is not None and not ok:
            copier.abandon()
        if workers is not None:
            workers.close(cancel=not ok)
    findings = list(read.findings) + copies.findings + rewrites
    for a in analyses:
        findings += a.findings
    return Batch(analyses=analyses, findings=findings, pairs=copies.pairs, read=read)


# In the forkserver (started by forkserver.start_forkserver, which preloads this module): load the
# resources once for every worker it forks.
if os.environ.get(WARM_ENV):
    warm_up_ignoring_interrupt(_warm_up, os.environ.pop(WARM_ENV))
