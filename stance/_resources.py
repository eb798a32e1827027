"""Access to the data files shipped in ``stance/data``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def read_text(name: str) -> str:
    """Text of the packaged data file ``name`` (UTF-8)."""
    return resources.files("stance").joinpath("data").joinpath(name).read_text(encoding="utf-8")


def data_path(name: str) -> Path:
    """Path of the packaged data file or folder ``name`` (the package is installed
    as files, never zipped)."""
    return Path(str(resources.files("stance").joinpath("data").joinpath(name)))
