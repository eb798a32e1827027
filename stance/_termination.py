"""SIGTERM handled like Ctrl-C, by the command line and by the library's own pools.

:func:`handle_termination` turns SIGTERM into :class:`Terminated`, a
``KeyboardInterrupt``, so every clean-up path that already runs on Ctrl-C runs
on SIGTERM too: a parallel run stops its workers, :func:`stance.io.atomic_write`
removes its temporary file and leaves the old output intact.
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
