"""Writing files safely: a temporary file in the target folder, then a rename,
so an interrupted run never leaves half a file."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, exc: OSError) -> InputError:
    return InputError(f"{path}: cannot write: {exc.strerror or exc}")


def check_writable(path: str | Path, folder: bool = False) -> None:
    """Refuse, before any work, an output that cannot be written: a missing or
    read-only folder, or a folder where a file is expected.

    With ``folder``, ``path`` is an output folder (checked at its nearest
    existing ancestor when missing: the writer creates it).  A temporary file
    is created and removed to be sure, which also catches a read-only file
    system.
    """
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            raise InputError(f"{path}: cannot write reports: expected a folder, found a file")
        where = path
        while not where.exists() and where != where.parent:
            where = where.parent  # the writer creates the rest
        if not where.is_dir():
            raise InputError(f"{path}: cannot write reports: {where} is not a folder")
    else:
        if path.is_dir():
            raise InputError(f"{path}: cannot write: expected a file name, found a folder")
        where = path.parent if str(path.parent) else Path(".")
        if not where.is_dir():
            raise InputError(f"{path}: cannot write: folder {where} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".stance-check.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    os.close(fd)
    os.unlink(tmp)


#: Errors of the file system the output goes to (not of the command's own work).
_WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG, errno.EACCES,
                 errno.EPERM, errno.EIO}


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{path}: cannot write: folder {folder} does not exist")
    if path.is_dir():
        raise InputError(f"{path}: cannot write: expected a file name, found a folder")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        text = "b" not in mode
        with os.fdopen(fd, mode, encoding="utf-8" if text else None,
                       newline="\n" if text else None) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in _WRITE_ERRNOS \
                and getattr(exc, "filename", None) in (None, tmp, str(path)):
            raise _cannot_write(path, exc) from None
        raise
