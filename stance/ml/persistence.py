"""Saving and loading models safely.

A joblib file is a pickle: loading one runs code.  So a model is only loaded
when its model card (``<model>.json`` beside it) exists and records the
sha256 of exactly these bytes.  The card also says how the model was made.
Model files must still come from a trusted source: the check catches a
swapped or corrupted file, not an attacker who can rewrite both files.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import joblib
import sklearn
from sklearn.pipeline import Pipeline

from .._version import __version__
from ..errors import StanceError
from ..io.atomic import atomic_write
from .model import StanceModel

CARD_SCHEMA = "stance-model-card/1"


class ModelError(StanceError):
    """A model that is missing, refused, or not a stance model."""


MODEL_ENV = "STANCE_MODEL"
_MODEL_FILE = Path("models") / "stance.joblib"


def model_search_paths() -> list[Path]:
    """Where the default model is looked for, in order.

    ``$STANCE_MODEL`` if set (and then nothing else); else ``models/stance.joblib``
    of the project the package sits in (a source checkout: the folder above
    ``stance/`` that holds ``pyproject.toml``), then of the working directory.
    """
    env = os.environ.get(MODEL_ENV)
    if env:
        return [Path(env)]
    paths = []
    repo = Path(__file__).resolve().parents[2]
    if (repo / "pyproject.toml").is_file():
        paths.append(repo / _MODEL_FILE)
    cwd = Path.cwd().resolve() / _MODEL_FILE
    if cwd not in paths:
        paths.append(cwd)
    return paths


def default_model_path() -> Path:
    """The first of :func:`model_search_paths` that exists, else the first."""
    paths = model_search_paths()
    return next((p for p in paths if p.exists()), paths[0])


def card_path(model_path: str | Path) -> Path:
    return Path(model_path).with_suffix(".json")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    return sha256_bytes(Path(path).read_bytes())


def _nltk_version() -> str:
    """nltk's version without importing all of nltk."""
    from importlib.metadata import version

    return version("nltk")


def versions() -> dict[str, str]:
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "nltk": _nltk_version(), "joblib": joblib.__version__, "stance": __version__}


def _drop_volatile_caches(model: StanceModel) -> None:
    """Remove caches that hold memory addresses, so the same model pickles to the same bytes.

    scikit-learn's text vectorizers remember ``id(stop_words)`` in
    ``_stop_words_id`` only to skip a consistency check; without it the check
    simply runs again.
    """
    for pipeline in (model.stance, model.claim, model.source):
        if not isinstance(pipeline, Pipeline):
            continue
        for est in [pipeline, *pipeline.get_params(deep=True).values()]:
            if hasattr(est, "_stop_words_id"):
                del est._stop_words_id


def save_model(model: StanceModel, path: str | Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write the model (joblib) and its card (JSON), both atomically; return the card."""
    path = Path(path)
    _drop_volatile_caches(model)
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    data = buffer.getvalue()
    full = {"schema": CARD_SCHEMA,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "model_file": path.name, "model_sha256": sha256_bytes(data),
            "versions": versions(), **card}
    with atomic_write(path, "wb") as fh:
        fh.write(data)
    with atomic_write(card_path(path)) as fh:
        fh.write(json.dumps(full, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
    return full


def read_card(path: str | Path) -> dict[str, Any]:
    """The model card of ``path``, or a :class:`ModelError` saying what is wrong."""
    path = Path(path)
    card = card_path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such model; train one with `stance train --out {path}`")
    if not card.exists():
        raise ModelError(f"{path}: refusing to load: its model card {card} is missing "
                         "(a model is only loaded when its card records its sha256)")
    try:
        data = json.loads(card.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{card}: not a valid model card: {exc}") from None
    if not isinstance(data, dict) or "model_sha256" not in data:
        raise ModelError(f"{card}: not a stance model card: expected a 'model_sha256' field")
    return data


def resolve_model_path(path: str | Path | None = None) -> Path:
    """``path``, or the default model (:func:`default_model_path`) if it exists."""
    if path is None:
        path = default_model_path()
        if not path.exists():
            searched = ", ".join(str(p) for p in model_search_paths())
            raise ModelError(f"{path}: no such model; the default model was looked for in "
                             f"{searched} (set {MODEL_ENV} or pass --model); train one with "
                             f"`stance train --out {path}`")
    return Path(path)


def checked_model_bytes(path: str | Path) -> tuple[bytes, dict[str, Any]]:
    """The model file's bytes and its card, after checking the sha256 the card records
    (nothing is unpickled)."""
    path = Path(path)
    card = read_card(path)
    data = path.read_bytes()
    digest = sha256_bytes(data)
    if digest != card["model_sha256"]:
        raise ModelError(f"{path}: refusing to load: its sha256 {digest[:12]}... does not match "
                         f"the model card's {str(card['model_sha256'])[:12]}...; the file was "
                         "changed or replaced (retrain with `stance train`)")
    return data, card


def warn_if_other_sklearn(path: str | Path, card: dict[str, Any], stacklevel: int = 2) -> None:
    """Warn when the card's scikit-learn version is not this one."""
    trained_with = card.get("versions", {}).get("scikit-learn")
    if trained_with and trained_with != sklearn.__version__:
        warnings.warn(f"{path} was trained with scikit-learn {trained_with}, this is "
                      f"{sklearn.__version__}: predictions may differ; retrain to be sure",
                      stacklevel=stacklevel)


def load_model(path: str | Path | None = None) -> StanceModel:
    """Load a :class:`stance.ml.model.StanceModel` after checking it against its card.

    Without ``path``, the default model (:func:`default_model_path`).  Refuses
    (``ModelError``) a missing model or card, a sha256 mismatch, or a file that
    is not a stance model; warns when the scikit-learn version differs from
    the one that trained it.
    """
    path = resolve_model_path(path)
    data, card = checked_model_bytes(path)
    warn_if_other_sklearn(path, card, stacklevel=3)
    try:
        model = joblib.load(io.BytesIO(data))
    except Exception as exc:  # a corrupt pickle can raise almost anything
        raise ModelError(f"{path}: cannot load model: {type(exc).__name__}: {exc}") from None
    if not isinstance(model, StanceModel):
        raise ModelError(f"{path}: not a stance model (found {type(model).__name__})")
    model.card = card
    return model
