"""Interrupts and worker processes: SIGTERM is handled like Ctrl-C, and no worker
outlives the command.

:func:`handle_termination` turns SIGTERM into :class:`Terminated`, a
``KeyboardInterrupt``, so every cleanup path that already runs on Ctrl-C runs
on SIGTERM too: joblib aborts its parallel work, :func:`stance.io.atomic_write`
removes its temporary file and leaves the old output intact.
:func:`stop_workers` then kills joblib's reusable pool of worker processes
(loky), whose memory-mapped folders and semaphores are released with it.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived (exit status 143, as a shell reports a process killed by it)."""

    exit_status = 128 + signal.SIGTERM


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


@contextlib.contextmanager
def handle_termination() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_workers(kill: bool = True) -> None:
    """Stop joblib's reusable worker pool, if one was started (never starts one):
    kill its workers (after an interrupt or an error), or let them finish and
    exit cleanly (after a command that ended normally, so that no semaphore is
    left for loky's resource tracker to warn about)."""
    try:
        from joblib.externals.loky import reusable_executor
    except ImportError:  # pragma: no cover - joblib is a dependency
        return
    executor = getattr(reusable_executor, "_executor", None)
    if executor is None:
        return
    with contextlib.suppress(Exception):
        executor.shutdown(wait=True, kill_workers=kill)
