from __future__ import annotations

from pathlib import Path

import pytest

DOCS = {
    "d1": ("Ankara accused Tehran of arming militants.\n"
           "Iraq and Syria agreed to cooperate, Baghdad said.\n"
           "Langley welcomed the offer from Ankara.\n"
           "The weather was fine.\n"),
    "d2": "Russia warned Washington over Syria.\nThe Turks backed the plan.\n",
}


@pytest.fixture
def docs(tmp_path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder
