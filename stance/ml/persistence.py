"""Saving and loading models safely.

A joblib file is a pickle: loading one runs code.  So a model is only loaded
when its model card (``<model>.json`` beside it) exists and records the
sha256 of exactly these bytes.  The card also says how the model was made.
Model files must still come from a trusted source: the check catches a
swapped or corrupted file, not an attacker who can rewrite both files.

A ``.skops`` model (:mod:`skops.io`) is the format to share: loading it
builds only scikit-learn, numpy and scipy objects and the project's own
classes in :data:`TRUSTED_TYPES`, and refuses a file with any other type
before building anything.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import platform
import re
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import joblib
import sklearn
from sklearn.pipeline import Pipeline

from .._version import __version__
from ..actors import ActorDictionary, default_actors
from ..actors.loaders import packaged_sha256
from ..errors import StanceError
from ..io.atomic import atomic_write
from .model import StanceModel
from .source import SourceRule

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


def _blas() -> str:
    """numpy's BLAS and the CPU kernel it chose ("openblas 0.3.31 Haswell"): the same
    data and seed give the same bytes on the same kernel, and figures a few units
    in the fourth decimal apart on another (the solver's iterations differ)."""
    from threadpoolctl import threadpool_info

    blas = [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]
    blas.sort(key=lambda lib: "numpy" not in str(lib.get("filepath", "")))  # numpy's first
    if not blas:
        return "unknown"
    return " ".join(str(blas[0].get(k)) for k in ("internal_api", "version", "architecture"))


def versions() -> dict[str, str]:
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "nltk": _nltk_version(), "joblib": joblib.__version__, "stance": __version__,
            "blas": _blas()}


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


# --- skops: the format for models that travel ----------------------------------------

SKOPS_SUFFIX = ".skops"
SKOPS_FORMAT = "stance-skops/1"
#: The only types a .skops model may contain beyond those skops trusts by itself
#: (scikit-learn estimators, numpy and scipy arrays, builtins).  Anything else is
#: refused, with the list of unknown types, before any object is built.
TRUSTED_TYPES = (
    "stance.ml.features.CueFeatures",
    "stance.ml.features.TargetMarker",
    "stance.ml.model.StanceModel",
    "stance.ml.relations.RelationFeatures",
)


def is_skops(path: str | Path) -> bool:
    return Path(path).suffix == SKOPS_SUFFIX


def _skops_bytes(model: StanceModel) -> bytes:
    """The model as skops bytes: the actor dictionary as a reference or its index, and the
    source rule as its pattern (compiled regexes are not skops types)."""
    import zipfile

    import skops.io as sio

    portable = copy.copy(model)
    portable.actors = None  # type: ignore[assignment]
    portable.card = {}
    rule = None
    if isinstance(model.source, SourceRule):
        portable.source = None
        rule = [model.source.patterns.pattern, int(model.source.patterns.flags)]
    # The packaged dictionary travels as a reference to itself, a user's as its index.
    actors = {"packaged": True} if model.actors.packaged else {"index": model.actors.index}
    obj = {"format": SKOPS_FORMAT, "model": portable, "actors": actors, "source_rule": rule}
    return sio.dumps(obj, compression=zipfile.ZIP_DEFLATED, compresslevel=6)


def _skops_model(data: bytes, path: Path) -> StanceModel:
    """Load skops bytes, trusting only :data:`TRUSTED_TYPES`; refuse anything else."""
    import skops.io as sio

    try:
        unknown = sorted(set(sio.get_untrusted_types(data=data)) - set(TRUSTED_TYPES))
    except Exception as exc:  # not a zip, not a skops schema, ...
        raise ModelError(f"{path}: not a skops model: {type(exc).__name__}: {exc}") from None
    if unknown:
        raise ModelError(f"{path}: refusing to load: it contains types that are not on "
                         f"stance's list of trusted types: {', '.join(unknown)}")
    try:
        obj = sio.loads(data, trusted=list(TRUSTED_TYPES))
    except Exception as exc:
        raise ModelError(f"{path}: cannot load model: {type(exc).__name__}: {exc}") from None
    if not isinstance(obj, dict) or obj.get("format") != SKOPS_FORMAT \
            or not isinstance(obj.get("model"), StanceModel):
        raise ModelError(f"{path}: not a stance model (expected the {SKOPS_FORMAT} layout)")
    model: StanceModel = obj["model"]
    model.actors = (default_actors() if obj["actors"].get("packaged")
                    else ActorDictionary(obj["actors"]["index"]))
    rule = obj.get("source_rule")
    if rule is not None:
        model.source = SourceRule(patterns=re.compile(str(rule[0]), int(rule[1])))
    return model


def save_model(model: StanceModel, path: str | Path, card: dict[str, Any]) -> dict[str, Any]:
    """Write the model and its card (JSON), both atomically; return the card.

    ``.skops`` files are written with skops (the format to share: loading it
    runs no code); anything else with joblib (a pickle: for local use).
    """
    path = Path(path)
    _drop_volatile_caches(model)
    if is_skops(path):
        import skops

        data = _skops_bytes(model)
        card = {"format": "skops", "skops": skops.__version__, **card}
    else:
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


#: Card fields that describe one file, written afresh by :func:`save_model`.
FILE_FIELDS = ("schema", "created", "model_file", "model_sha256", "versions", "format", "skops")


def export_model(source: str | Path, dest: str | Path) -> dict[str, Any]:
    """Write the model at ``source`` (checked against its card) to ``dest`` in the
    format its suffix names (``.skops`` to share), with a card; return the card."""
    model = load_model(source)
    card = {k: v for k, v in model.card.items() if k not in FILE_FIELDS}
    card["exported_from"] = {"path": Path(source).name,
                             "sha256": model.card["model_sha256"],
                             "versions": model.card.get("versions", {})}
    return save_model(model, dest, card)


def read_card(path: str | Path) -> dict[str, Any]:
    """The model card of ``path``, or a :class:`ModelError` saying what is wrong."""
    path = Path(path)
    card = card_path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such model; train one with `stance train --out {path}`")
    if path.is_dir():
        raise ModelError(f"{path}: expected a model file (.joblib or .skops), found a folder")
    if not card.is_file():
        raise ModelError(f"{path}: refusing to load: its model card {card} is missing "
                         "(a model is only loaded when its card records its sha256)")
    try:
        data = json.loads(card.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"{card}: cannot read model card: {exc.strerror}") from None
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read model: {exc.strerror}") from None
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
    trained_on = card.get("actor_dictionary")
    if isinstance(trained_on, dict) and "packaged" in trained_on \
            and trained_on["packaged"] != packaged_sha256():
        warnings.warn(f"{path} was trained with another version of the packaged actor "
                      "dictionary: mentions may be found differently; retrain to be sure",
                      stacklevel=2)
    if is_skops(path):
        model = _skops_model(data, path)
        model.card = card
        return model
    try:
        model = joblib.load(io.BytesIO(data))
    except Exception as exc:  # a corrupt pickle can raise almost anything
        raise ModelError(f"{path}: cannot load model: {type(exc).__name__}: {exc}") from None
    if not isinstance(model, StanceModel):
        raise ModelError(f"{path}: not a stance model (found {type(model).__name__})")
    model.card = card
    return model
