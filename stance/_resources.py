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


def checkout_root() -> Path | None:
    """The source checkout the package runs from (the folder above ``stance/`` that
    holds ``pyproject.toml``), or None for an installed package."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def project_path(relative: Path) -> Path:
    """A default input such as ``seeds/``: ``relative`` to the working directory if
    it exists there, else in the source checkout if it exists there, else
    ``relative`` (and the error names the working directory)."""
    if relative.exists():
        return relative
    root = checkout_root()
    if root is not None and (root / relative).exists():
        return root / relative
    return relative
