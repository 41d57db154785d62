"""The process the worker processes are forked from (``jobs > 1``), started as early as possible.

Workers fork from multiprocessing's *forkserver*: a clean single-threaded process that imports
:mod:`summary_analysis.pipeline` once (its preload), loads every per-document stage's resources
(``pipeline._warm_up``: segmenter, checklists, the REW002 model) and freezes them, then forks
each worker with them already in memory. Making it ready takes about a second, during which
no worker can start. :func:`start_early` starts it when a call to ``analyze`` with
``jobs > 1`` begins, before the calling process imports the stages itself, so the two
imports run at the same time on two cores instead of one after the other (this module
imports nothing of the package but :mod:`.interrupts` and, for the backend's name,
:mod:`.segment`).
"""

from __future__ import annotations

import logging
import os
import threading

from .interrupts import InterruptDeferred, hangup_ignored, interrupt_blocked

log = logging.getLogger(__name__)

#: Environment variable overriding the multiprocessing start method (fork, forkserver, spawn).
START_METHOD_ENV = "SUMMARY_ANALYSIS_MP_START"
#: Internal: set only while :func:`start_forkserver` starts the forkserver; its value is the
#: segmentation backend the forkserver's preload of ``pipeline`` warms up.
WARM_ENV = "_SUMMARY_ANALYSIS_FORKSERVER_WARM_UP"
#: The module the forkserver imports once for every worker.
PRELOAD = "summary_analysis.pipeline"

_lock = threading.Lock()


def start_method() -> str:
    """The multiprocessing start method for the workers: ``$SUMMARY_ANALYSIS_MP_START`` when
    this platform has it, else ``forkserver`` (workers fork from a clean single-threaded
    server: no inherited threads or locks, the package imported once there), else ``spawn``."""
    import multiprocessing as mp

    method = os.environ.get(START_METHOD_ENV)
    available = mp.get_all_start_methods()
    if method in available:
        return method
    return "forkserver" if "forkserver" in available else "spawn"


def start_forkserver(backend: str) -> None:
    """Start this process's forkserver, preloading :data:`PRELOAD` warmed up for ``backend``
    (``jieba`` or ``fast``), if it is not running yet (one per process; later calls return at
    once, whatever their backend: workers then load another backend themselves). The variable
    asking for the warm-up (:data:`WARM_ENV`) is removed from this process's environment again
    at once."""
    import multiprocessing as mp
    from multiprocessing import forkserver, resource_tracker

    with _lock:
        mp.get_context("forkserver").set_forkserver_preload([PRELOAD])
        old = os.environ.get(WARM_ENV)
        os.environ[WARM_ENV] = backend
        # Started while this thread blocks Ctrl-C, the server starts with it blocked (the mask
        # is inherited across fork and exec), so Ctrl-C never stops it halfway through its own
        # imports with a traceback; its warm-up unblocks it again
        # (interrupts.warm_up_ignoring_interrupt). The resource tracker is started first:
        # starting it unblocks Ctrl-C in this thread.
        with hangup_ignored():
            resource_tracker.ensure_running()
        try:
            with interrupt_blocked():
                forkserver.ensure_running()
        finally:
            if old is None:
                os.environ.pop(WARM_ENV, None)
            else:
                os.environ[WARM_ENV] = old


def start_early(inputs, jobs, segmenter) -> bool:
    """Start the forkserver now for a call ``analyze(inputs, jobs=jobs, segmenter=segmenter)``
    that will use worker processes, before that call imports the stages; a call that will not
    (``jobs`` 1 or not an int, one CPU, one file or fewer than two inputs, another start
    method, an unknown segmenter, a call from a script's unguarded top level) starts nothing. Never raises: the call itself reports what is wrong with its
    arguments, and a forkserver not started here is started by the pool as before.

    Returns
    -------
    bool
        True when the forkserver was started (or was running already).
    """
    try:
        if isinstance(jobs, bool) or not isinstance(jobs, int):
            return False
        if (jobs if jobs > 0 else (os.cpu_count() or 1)) < 2:
            return False
        if isinstance(inputs, (str, os.PathLike)):
            if not os.path.isdir(inputs):
                return False  # one file: read and analysed in this process
        elif not (isinstance(inputs, (list, tuple)) and len(inputs) > 1):
            return False
        if segmenter is not None and not isinstance(segmenter, str):
            return False
        if start_method() != "forkserver" or unguarded_main_call() is not None:
            return False  # (an unguarded call runs in one process: see unguarded_main_call)
        from .segment import resolve_backend

        backend = resolve_backend(segmenter)
        with InterruptDeferred():
            start_forkserver(backend)
        return True
    except Exception:  # noqa: BLE001 - an optimisation only
        log.debug("early forkserver start failed", exc_info=True)
        return False


def _names_main(test, op) -> bool:
    """True for ``__name__ == "__main__"`` (``op`` ``ast.Eq``; either side of it) or
    ``__name__ != "__main__"`` (``op`` ``ast.NotEq``)."""
    import ast

    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], op):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    values = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and values == ["__main__"]


def _false_in_workers(test, branch: str) -> bool:
    """True when the ``branch`` (``body`` or ``orelse``) of ``if test:`` is never taken where
    ``__name__`` is not ``"__main__"``: the body of ``if __name__ == "__main__"`` (also as one
    term of an ``and``), the ``else`` of ``if __name__ != "__main__"`` (also one term of an
    ``or``)."""
    import ast

    op, joint = (ast.Eq, ast.And) if branch == "body" else (ast.NotEq, ast.Or)
    if isinstance(test, ast.BoolOp) and isinstance(test.op, joint):
        return any(_false_in_workers(v, branch) for v in test.values)
    return _names_main(test, op)


def _under_main_guard(statements, line: int) -> bool:
    """Whether the statement of ``statements`` (a module's or a block's body) running at
    ``line`` sits in a branch that only ``__main__`` takes (see :func:`_false_in_workers`),
    looking into the blocks of ``if``, ``try``, ``with``, ``for``, ``while`` and ``match``
    (a function's or class's body runs in a frame of its own: not looked into)."""
    import ast

    for node in statements:
        if not node.lineno <= line <= (node.end_lineno or node.lineno):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        if isinstance(node, ast.If):
            for branch in ("body", "orelse"):
                block = getattr(node, branch)
                if block and block[0].lineno <= line <= (block[-1].end_lineno or block[-1].lineno):
                    return _false_in_workers(node.test, branch) or _under_main_guard(block, line)
            return False  # the test itself
        inner = [s for field in ("body", "orelse", "finalbody") for s in getattr(node, field, None) or []]
        inner += [s for part in getattr(node, "handlers", None) or [] for s in part.body]
        inner += [s for part in getattr(node, "cases", None) or [] for s in part.body]
        return _under_main_guard(inner, line)
    return False


def unguarded_main_call(frame=None) -> tuple[str, int] | None:
    """Where this call comes from top-level code of the ``__main__`` script that is not under
    ``if __name__ == "__main__":``, or None.

    With the ``forkserver`` and ``spawn`` start methods every worker process runs the main
    script's top-level code again (as ``__mp_main__``) before its first task (Python's
    multiprocessing, "Safe importing of main module"): a call of ``analyze(jobs=2)`` there
    would start worker processes from each worker's start-up, which multiprocessing refuses
    with a RuntimeError, so every worker died at start. The call stack is walked up to the
    main script's module-level frame, and the line it runs looked up in the script's syntax
    tree: it is guarded inside the body of ``if __name__ == "__main__"`` (or of an ``and``
    holding that test; or the ``else`` of ``!=``), also within ``try``, ``with``, ``for``,
    ``while`` and ``match`` blocks.

    Parameters
    ----------
    frame : frame or None
        Where to start walking up (None: the caller's frame).

    Returns
    -------
    (str, int) or None
        The script's path and the line its module-level frame is running; None when the
        call is under the guard, comes from no script file (an interactive session, Jupyter,
        ``python -c``) or the script cannot be read or parsed.
    """
    import ast
    import sys

    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if not path or getattr(main, "__dict__", None) is None:
        return None
    # what multiprocessing runs again (spawn.get_preparation_data, _fixup_main_from_name and
    # _fixup_main_from_path): a main module run by name unless it is a package's __main__, a
    # script by its path unless it is IPython's
    by_name = getattr(getattr(main, "__spec__", None), "name", None)
    if by_name is not None and (by_name == "__main__" or by_name.endswith(".__main__")):
        return None
    if by_name is None and os.path.splitext(os.path.basename(path))[0] == "ipython":
        return None
    frame = frame or sys._getframe(1)
    while frame is not None and not (frame.f_globals is main.__dict__ and frame.f_code.co_name == "<module>"):
        frame = frame.f_back
    if frame is None:
        return None
    line = frame.f_lineno
    if line is None:
        return None
    try:
        with open(path, "rb") as f:
            tree = ast.parse(f.read(), filename=path)
    except (OSError, SyntaxError, ValueError):
        return None
    if not any(node.lineno <= line <= (node.end_lineno or node.lineno) for node in tree.body):
        return None  # the file changed since it was started
    return None if _under_main_guard(tree.body, line) else (path, line)
