"""Shared fixtures: paths, an in-process CLI runner, tiny annotation data and a
tiny trained model (trained once per session)."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from stance.cli import main
from stance.ml.model import StanceModel
from stance.ml.training import train_with_report

from ._shared import RECORDS, ROOT, SEEDS


@dataclass
class Result:
    """What a CLI run returned, printed and wrote to stderr."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def stance(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``stance ARGS...`` in-process via :func:`stance.cli.main`.

    ``stdin`` (text) is fed to the command; ``cwd`` is its working directory
    (default: the repository).
    """

    def run(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> Result:
        monkeypatch.chdir(cwd)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
        capsys.readouterr()
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            status = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return Result(status, out, err)

    return run


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def records() -> list[dict]:
    return [dict(r) for r in RECORDS]


@pytest.fixture(scope="session")
def trained() -> tuple[StanceModel, dict]:
    """A tiny model trained on :data:`RECORDS`, and its report (once per session)."""
    return train_with_report(RECORDS, seed=0, n_jobs=1)


@pytest.fixture(scope="session")
def tiny_model(trained: tuple[StanceModel, dict]) -> StanceModel:
    return trained[0]
