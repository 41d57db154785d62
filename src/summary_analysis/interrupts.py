"""Ctrl-C (SIGINT) and the worker processes of ``analyze(..., jobs > 1)``.

A terminal sends Ctrl-C to the whole foreground process group: the parent, the forkserver
and every worker. The parent alone acts on it (it cancels the queued chunks and shuts the pool
down, and the command line exits 130); every other process of this package must neither die
from it halfway (a traceback each, a pool left waiting on a half-written pipe) nor keep the
caller's process from being interrupted later. The pieces:

* :func:`ignore_interrupt` in each worker, as early as possible: the worker's start-up state
  carries an :class:`IgnoreInterruptOnLoad` object, whose unpickling ignores Ctrl-C before the
  worker runs any code of ours;
* :func:`interrupt_blocked` around starting the forkserver, which then starts with Ctrl-C
  blocked; :func:`warm_up_ignoring_interrupt` runs its warm-up with Ctrl-C ignored and then
  gives the server back the disposition it started with, unblocked, so that processes it forks
  later for other pools of the caller's process are as they would have been;
* :class:`InterruptDeferred` in the parent around making the pool and starting workers;
* :func:`hangup_ignored` around starting multiprocessing's resource tracker, which should
  outlive a hang-up of the process group (SIGHUP) as it outlives Ctrl-C.

Everything here does nothing outside the main thread (where Python runs signal handlers) or
on platforms without the call it needs.
"""

from __future__ import annotations

import contextlib
import signal
import threading


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def ignore_interrupt() -> None:
    """Ignore Ctrl-C in this process from now on (a worker of this package's pools)."""
    if not _main_thread():
        return
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass


class IgnoreInterruptOnLoad:
    """An object that, unpickled in a new worker process, makes it ignore Ctrl-C.

    Passed among the pool initializer's arguments, it is unpickled with the worker's start-up
    state, before the worker runs any code of ours (the initializer comes later): a worker is
    interruptible only for the milliseconds between its fork and that unpickling, during which
    an interrupt ends it silently (the forkserver's child exits without a traceback). It
    unpickles as None.
    """

    def __reduce__(self):
        return (ignore_interrupt, ())


@contextlib.contextmanager
def interrupt_blocked():
    """Block Ctrl-C in this thread for the block (``pthread_sigmask``); a Ctrl-C arriving
    meanwhile is delivered when the block ends. A process started inside the block inherits
    the mask across fork and exec, so it starts with Ctrl-C blocked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def hangup_ignored():
    """SIGHUP ignored in this thread's process for the length of the block, then given back its
    handler: a helper process started meanwhile (multiprocessing's resource tracker) inherits
    the ignored disposition across exec and outlives a hang-up of the process group, as it
    outlives Ctrl-C and SIGTERM, which it ignores itself. Killed by the hang-up, the tracker was
    relaunched by the parent's clean-up, which then printed a KeyError traceback for each
    semaphore the new tracker had never seen. Nothing is done off the main thread or without
    SIGHUP."""
    hup = getattr(signal, "SIGHUP", None)
    if hup is None or not _main_thread():
        yield
        return
    try:
        old = signal.signal(hup, signal.SIG_IGN)
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.signal(hup, old if old is not None else signal.SIG_DFL)


def warm_up_ignoring_interrupt(warm_up, *args) -> None:
    """In the forkserver: run ``warm_up(*args)`` with Ctrl-C ignored, then restore the
    disposition found on entry and unblock Ctrl-C (it was blocked by :func:`interrupt_blocked`
    in the parent; a Ctrl-C pending from then is discarded, being ignored at that moment).

    The forkserver then ignores Ctrl-C for itself and gives each process it forks the
    disposition found here, so pools the caller makes later are not affected."""
    found = None
    try:
        found = signal.getsignal(signal.SIGINT)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        found = None
    try:
        warm_up(*args)
    finally:
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        if found is not None:
            signal.signal(signal.SIGINT, found)


#: Signals :class:`InterruptDeferred` holds back (not blocks) when a Python handler takes them.
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class InterruptDeferred:
    """Context manager (parent side): a Ctrl-C arriving inside the block is raised when the
    block ends, and processes started inside the block start with Ctrl-C blocked.

    Used around making the pool (interrupted inside a semaphore's constructor, the parent
    leaks it and the resource tracker warns at exit) and around ``pool.submit``, which starts
    worker processes: interrupted halfway through sending a new worker its start-up state,
    the parent would exit without that worker in the pool's list, and the worker, still
    unpickling, would print a traceback. A worker started by ``spawn`` (a new interpreter)
    keeps the blocked mask through its imports until :class:`IgnoreInterruptOnLoad` runs.

    SIGTERM and SIGHUP are held back the same way when their handler is a Python function (the
    console script's, :func:`summary_analysis.cli.run`), but never blocked: a ``spawn`` worker
    started with SIGTERM blocked could not be terminated.

    Does nothing outside the main thread, when Ctrl-C is already ignored, or when its handler
    was installed by C code (Python cannot put such a handler back).
    """

    def __enter__(self) -> "InterruptDeferred":
        self.hit = False
        self.old = None
        self._mask = None
        self._others: dict = {}  # signal -> its handler, for SIGTERM/SIGHUP held back here
        self._pending: list = []
        if not _main_thread():
            return self
        for signum in _STOP_SIGNALS:
            try:
                handler = signal.getsignal(signum)
                if callable(handler):
                    self._others[signum] = signal.signal(signum, self._note_other)
            except (ValueError, OSError):
                pass
        try:
            current = signal.getsignal(signal.SIGINT)
        except (ValueError, OSError):
            return self
        if current is None or current == signal.SIG_IGN:
            return self
        self.old = signal.signal(signal.SIGINT, self._note)
        if hasattr(signal, "pthread_sigmask"):
            self._mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        return self

    def _note(self, signum, frame) -> None:
        self.hit = True

    def _note_other(self, signum, frame) -> None:
        self._pending.append(signum)

    def __exit__(self, *exc) -> None:
        if self.old is not None:
            if self._mask is not None:  # a Ctrl-C held by the mask arrives now, at _note
                signal.pthread_sigmask(signal.SIG_SETMASK, self._mask)
            signal.signal(signal.SIGINT, self.old)
        for signum, handler in self._others.items():
            signal.signal(signum, handler)
        if self._pending:  # every disposition is back: now raise (cli.Terminated)
            signum = self._pending[0]
            self._others[signum](signum, None)
        if self.old is None:
            return
        if self.hit:
            if callable(self.old):
                self.old(signal.SIGINT, None)
            elif self.old == signal.SIG_DFL:
                raise KeyboardInterrupt
