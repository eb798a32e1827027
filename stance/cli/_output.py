"""Where a command's output goes: stdout, or a file written atomically."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import IO

from ..io.atomic import atomic_write


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """stdout for None or ``-``; else a temporary file renamed over ``path`` at the end."""
    if path in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
    else:
        with atomic_write(path) as fh:
            yield fh
