"""A process pool whose results come back in submission order and which outlives its workers.

:class:`OrderedPool` wraps a :class:`concurrent.futures.ProcessPoolExecutor`. A worker that dies
(killed by the kernel's out-of-memory killer, a segmentation fault in a C extension) breaks the
whole executor: every task in flight fails with ``BrokenProcessPool``. The pool then starts a
new executor and runs the chunks that were in flight again one item at a time, so the item that
kills a worker is found and reported (``lost``) while every other item still gets its result.
Orchestration only: what a chunk is and what a lost item becomes is the caller's.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from .interrupts import InterruptDeferred

log = logging.getLogger(__name__)


def _quiet_cancel_race(args) -> None:
    """``threading.excepthook`` link: an ``InvalidStateError`` raised in a ProcessPoolExecutor's
    manager thread is logged (debug), not printed. It is a race inside concurrent.futures
    (Python 3.11): when the workers die (a hang-up of the process group, or our terminating
    them on Ctrl-C), the thread fails every pending future with ``set_exception``, which raises
    for one that :meth:`OrderedPool.ordered` had just cancelled; the pool is being shut down
    then anyway (seen in a suite run under load, session 14). Everything else goes on to the
    hook that was there before."""
    from concurrent.futures import InvalidStateError

    try:
        from concurrent.futures.process import _ExecutorManagerThread
    except ImportError:  # another Python's executor: nothing is held back
        _ExecutorManagerThread = None
    if (_ExecutorManagerThread is not None and isinstance(args.exc_value, InvalidStateError)
            and isinstance(args.thread, _ExecutorManagerThread)):
        log.debug("executor thread: %s (a cancelled future failed again)", args.exc_value)
        return
    _hook["previous"](args)


_hook: dict = {"users": 0, "previous": threading.excepthook}
_hook_lock = threading.Lock()


def _quiet_races(on: bool) -> None:
    """Install :func:`_quiet_cancel_race` while at least one :class:`OrderedPool` is open
    (``on``: one more; else one fewer), giving back the hook found when the last one closes."""
    with _hook_lock:
        if on:
            if _hook["users"] == 0 and threading.excepthook is not _quiet_cancel_race:
                _hook["previous"] = threading.excepthook
                threading.excepthook = _quiet_cancel_race
            _hook["users"] += 1
        elif _hook["users"] > 0:
            _hook["users"] -= 1
            if _hook["users"] == 0 and threading.excepthook is _quiet_cancel_race:
                threading.excepthook = _hook["previous"]


#: Executors started again after a worker died, per pool, before the pool gives up: the items
#: not done by then are reported lost, not tried (a batch of files that each kill a worker
#: would otherwise restart the workers once per file).
MAX_RESTARTS = 16


class WorkerLost(Exception):
    """An item whose worker process ended before returning its result (the ``lost`` callback's
    reason, as an exception for :func:`summary_analysis.findings.stage_failed`)."""


class _PoolGone(Exception):
    """Internal: no executor left (``MAX_RESTARTS`` used up)."""


def death_reason(exit_codes: Iterable[int | None]) -> str:
    """What ended a broken executor's workers, from their exit codes (negative: the signal).

    The executor terminates (SIGTERM) the workers that outlived the one that died, so SIGTERM
    is not a cause unless nothing else is seen. Returns a phrase that follows "the worker
    process": ``"was killed by signal SIGKILL (out of memory?)"``, ``"exited with status 3"``
    or ``"ended abruptly"``.
    """
    codes = [c for c in exit_codes if c]
    signals = sorted({-c for c in codes if c < 0})
    for sig in [s for s in signals if s != signal.SIGTERM] + signals:
        try:
            name = signal.Signals(sig).name
        except ValueError:  # a number with no name on this platform
            name = str(sig)
        return f"was killed by signal {name}" + (" (out of memory?)" if sig == signal.SIGKILL else "")
    statuses = sorted(c for c in codes if c > 0)
    return f"exited with status {statuses[0]}" if statuses else "ended abruptly"


class OrderedPool:
    """Worker processes made by ``make()`` (a :class:`~concurrent.futures.ProcessPoolExecutor`
    of ``jobs`` workers), results yielded in submission order.

    Parameters
    ----------
    make : callable
        Makes a new executor; called once now and again after each worker death, at most
        ``max_restarts`` times.
    jobs : int
        Workers per executor; at most ``4 * jobs`` chunks are in flight.
    max_restarts : int
        Executors started again before the items left are reported lost without being tried.
    """

    def __init__(self, make: Callable[[], Any], jobs: int, max_restarts: int = MAX_RESTARTS) -> None:
        self._make = make
        self.jobs = jobs
        self.max_restarts = max_restarts
        self.restarts = 0
        self.pool = make()
        self._quiet = True
        _quiet_races(True)

    def ordered(self, fn, chunks: Iterable, extra: tuple = (), *,
                single: Callable[[Any], list] | None = None,
                lost: Callable[[Any, str], Any] | None = None) -> Iterator[tuple[Any, Any]]:
        """Yield ``(chunk, fn(chunk, *extra))`` in chunk order.

        Without ``single``/``lost`` an exception of a chunk (``BrokenProcessPool`` included) is
        raised here. With them, a chunk that raised, and with a broken executor every chunk that
        was in flight, is run again as ``single(chunk)`` (chunks of one item, in order) one at a
        time; such a chunk that raises, or whose worker dies, yields ``(one, lost(one,
        reason))`` instead, ``reason`` a phrase such as ``"the worker process handling it was
        killed by signal SIGKILL (out of memory?)"``.
        """
        pending: deque = deque()
        try:
            for chunk in chunks:
                pending.append((chunk, self._submit(fn, chunk, extra)))
                if len(pending) >= self.jobs * 4:
                    yield from self._first(pending, fn, extra, single, lost)
            while pending:
                yield from self._first(pending, fn, extra, single, lost)
        finally:
            for _, f in pending:
                if f is not None:
                    f.cancel()

    def _submit(self, fn, chunk, extra: tuple) -> Future | None:
        """The chunk's future (one already failed when the executor broke before this call);
        None when no executor is left."""
        if self.pool is None:
            return None
        with InterruptDeferred():
            try:
                return self.pool.submit(fn, chunk, *extra)
            except BrokenProcessPool as exc:
                failed: Future = Future()
                failed.set_exception(exc)
                return failed

    def _first(self, pending: deque, fn, extra: tuple, single, lost):
        chunk, future = pending.popleft()
        try:
            if future is None:
                raise _PoolGone
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - the chunk is retried item by item
            if lost is None or single is None:
                raise
            redo = [(chunk, None)]
            if isinstance(exc, BrokenProcessPool):  # every future in flight failed with it
                redo += list(pending)  # (those done before the break keep their results)
                pending.clear()
                self._restart()
            for c, f in redo:
                if f is not None and f.done() and not f.cancelled() and f.exception() is None:
                    yield c, f.result()
                else:
                    yield from self._isolated(fn, c, extra, single, lost)
            return
        yield chunk, result

    def _isolated(self, fn, chunk, extra: tuple, single, lost):
        for one in single(chunk):
            try:
                future = self._submit(fn, one, extra)
                if future is None:
                    raise _PoolGone
                result = future.result()
            except BrokenProcessPool:
                result = lost(one, "the worker process handling it " + self._restart())
            except _PoolGone:
                result = lost(one, f"not tried: worker processes died {self.restarts} times, "
                                   "the pool gave up")
            except Exception as exc:  # noqa: BLE001 - reported for this item only
                result = lost(one, f"{type(exc).__name__}: {exc}")
            yield one, result

    def _restart(self) -> str:
        """Replace the broken executor (none once ``max_restarts`` are used); return what ended
        its workers (:func:`death_reason`)."""
        processes = dict(getattr(self.pool, "_processes", None) or {})
        # read once the executor's thread has joined them: before, the dead worker may not
        # have been reaped yet (its exit code reads None)
        self.close(cancel=True)
        reason = death_reason(p.exitcode for p in processes.values())
        self.restarts += 1
        self.pool = self._make() if self.restarts <= self.max_restarts else None
        return reason

    def close(self, cancel: bool = False) -> None:
        """Shut the executor down. ``cancel`` (an interrupt or an error: the results are not
        wanted): queued chunks are cancelled and the workers are terminated first, so none is
        left blocked writing a result nobody reads (seen in CI: after a Ctrl-C, a worker stuck
        in its result pipe kept the exiting parent waiting for it for good); workers still alive
        a second later are killed, and the executor's thread is waited for at most 30 s."""
        try:
            self._close(cancel)
        finally:
            if self._quiet:
                self._quiet = False
                _quiet_races(False)

    def _close(self, cancel: bool) -> None:
        pool = self.pool
        if pool is None:
            return
        if not cancel:
            pool.shutdown(wait=True)
            return
        # the executor's own dict (pid -> Process), shared with its manager thread, so workers
        # it starts meanwhile are in it too; the executor drops its reference on shutdown
        processes = getattr(pool, "_processes", None) or {}
        manager = getattr(pool, "_executor_manager_thread", None)
        results = getattr(pool, "_result_queue", None)
        work_items = getattr(pool, "_pending_work_items", None)  # shared with the thread
        for proc in list(processes.values()):
            if proc.is_alive():
                proc.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        # Wait for the manager thread (the interpreter waits for it at exit). A worker still
        # alive after a second is killed: one blocked writing a result nobody reads, or started
        # while the pool was being cancelled, would keep the thread waiting. A worker ended
        # halfway through sending a result leaves the thread reading the rest of it for good
        # (the pipe stays open: this process holds its writing end too): once every worker is
        # gone, closing that end ends the read (EOF), and the thread ends as for a broken pool.
        start = time.monotonic()
        closed = False
        while manager is not None and manager.is_alive() and time.monotonic() - start < 30:
            manager.join(0.2)
            waited = time.monotonic() - start
            if waited > 1:
                alive = [proc for proc in list(processes.values()) if proc.is_alive()]
                for proc in alive:
                    proc.kill()
                if waited > 1.5 and not alive and not closed and results is not None:
                    closed = True
                    # the thread, failing every item left, would fail on those already
                    # cancelled (InvalidStateError, printed): it is blocked reading, so they
                    # can be taken out first
                    for key, item in list((work_items or {}).items()):
                        if item.future.done():
                            work_items.pop(key, None)
                    with contextlib.suppress(OSError, AttributeError):
                        results._writer.close()
