"""Access to the data files shipped in ``stance/data``."""

from __future__ import annotations

from importlib import resources


def read_text(name: str) -> str:
    """Text of the packaged data file ``name`` (UTF-8)."""
    return resources.files("stance").joinpath("data").joinpath(name).read_text(encoding="utf-8")
