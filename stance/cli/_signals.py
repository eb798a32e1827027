"""No worker process outlives the command.

:func:`stop_workers` kills joblib's reusable pool of worker processes (loky),
whose memory-mapped folders and semaphores are released with it.  SIGTERM is
turned into :class:`stance._termination.Terminated` (a ``KeyboardInterrupt``)
by :func:`stance._termination.handle_termination`, so the clean-up that runs
on Ctrl-C runs on SIGTERM too.
"""

from __future__ import annotations

import contextlib


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
