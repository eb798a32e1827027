"""From annotation files to a saved model and its model card."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .actors import ActorDictionary, default_actors
from .annotations import AnnotationError, read_annotations, validate_file
from .model import StanceModel, train
from .persistence import save_model, sha256_file

#: The default model is trained on the seeds and the project's corpus.
DEFAULT_DATA = (Path("annotations/seeds.jsonl"), Path("annotations/corpus.jsonl"))


def load_training_data(files: Sequence[str | Path], docs: Sequence[str | Path] | None = None,
                       actors: ActorDictionary | None = None,
                       purpose: str = "train on") -> dict[str, list[dict]]:
    """Validate every file (texts against their documents), then read them: records per file.

    Invalid data is refused with the validator's FILE:LINE messages; warnings
    do not stop training.
    """
    actors = actors or default_actors()
    errors = []
    for path in files:
        errors += [p for p in validate_file(path, docs, actors) if p.severity == "error"]
    if errors:
        listing = "\n".join(str(p) for p in errors)
        raise AnnotationError(f"refusing to {purpose} invalid data ({len(errors)} "
                              f"error{'s' if len(errors) != 1 else ''}):\n{listing}", errors)
    return {str(path): read_annotations(path) for path in files}


def all_records(per_file: dict[str, list[dict]]) -> list[dict]:
    return [rec for records in per_file.values() for rec in records]


def data_summary(per_file: dict[str, list[dict]]) -> dict:
    """What the model card and the reports say about the data, per file and in all."""
    files = [{"path": path, "sha256": sha256_file(path), "sentences": len(recs),
              "documents": len({r["doc"] for r in recs}),
              "pairs": sum(len(r["stances"]) for r in recs)} for path, recs in per_file.items()]
    records = all_records(per_file)
    labels = Counter(label for r in records for label in r["stances"].values())
    return {
        "training_files": files,
        "counts": {"documents": len({r["doc"] for r in records}), "sentences": len(records),
                   "pairs": sum(labels.values()),
                   "claims": sum(bool(r["claim"]) for r in records)},
        "label_distribution": dict(sorted(labels.items())),
    }


def train_and_save(files: Sequence[str | Path], out: str | Path, seed: int = 0,
                   docs: Sequence[str | Path] | None = None,
                   actors: ActorDictionary | None = None, n_jobs: int = -1,
                   actors_file: str | None = None, chars: bool = False) -> tuple[StanceModel, dict]:
    """Train on ``files`` and write ``out`` and its model card; return both."""
    per_file = load_training_data(files, docs, actors)
    model, report = train(all_records(per_file), actors=actors, seed=seed, n_jobs=n_jobs, chars=chars)
    card = {"seed": seed, **data_summary(per_file),
            "actor_dictionary": ({"path": actors_file, "sha256": sha256_file(actors_file)}
                                 if actors_file else "packaged default"),
            **report}
    return model, save_model(model, out, card)
