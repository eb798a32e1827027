"""The one place where ``stance.annotate`` reaches into the rest of the package.

Everything the annotation tool needs from segmentation, the actor dictionary,
validation and the stance model goes through the functions here, so a move
of the package's modules only changes the imports below.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..actors import ActorDictionary, load_actors, segment_records
from ..annotations import annotation_template, load_annotations
from ..annotations.validate import check_record
from ..errors import InputError, StanceError, UsageError
from ..evaluation.metrics import macro_f1
from ..io import atomic_write, iter_documents
from ..ml.dataset import build_dataset, grouped_cv
from ..ml.persistence import load_model
from ..ml.pipelines import make_old_pipeline
from ..ml.training import DEFAULT_DATA
from ..schema import LABELS, STANCE_LABELS, Pair, record_spans

__all__ = [
    "LABELS", "STANCE_LABELS", "ActorDictionary", "InputError", "Predictor", "StanceError",
    "UsageError", "actor_table", "atomic_write", "fit_stance", "grouped_cv_macro_f1",
    "load_actor_dictionary", "load_stance_model", "macro_f1", "read_records", "record_errors",
    "segment_paths",
]

def load_actor_dictionary(path: str | None = None) -> ActorDictionary:
    return load_actors(path)


def actor_table(actors: ActorDictionary) -> list[dict]:
    """``[{"id": "SYR", "name": "Syrian state"}, ...]`` sorted by id."""
    return [{"id": a, "name": actors.name(a)} for a in sorted(actors.actor_ids)]


def segment_paths(paths: Sequence[str], actors: ActorDictionary) -> tuple[dict, list[dict]]:
    """Segment documents: ``({doc_id: text}, [template record, ...])`` in document order.

    Templates are what ``stance segment --template`` writes: ids, offsets,
    detected ``mentions`` (document offsets) and null labels.
    """
    texts: dict[str, str] = {}
    templates: list[dict] = []
    for seg, records in segment_records(iter_documents(paths), actors):
        if seg.doc.id in texts:
            raise InputError(f"{seg.doc.path}: document id {seg.doc.id!r} is used by two files; "
                             "document ids (file stems) must be unique")
        texts[seg.doc.id] = seg.doc.text
        templates.extend(annotation_template(r) for r in records)
    return texts, templates


def record_errors(record: dict, actors: ActorDictionary) -> list[str]:
    """The scheme's errors for one record (warnings left out)."""
    return [msg for sev, msg in check_record(record, actors.actor_ids) if sev == "error"]


def read_records(path: str | Path, actors: ActorDictionary | None = None) -> list[dict]:
    """Records of an annotation file, refused (AnnotationError) if they break the scheme."""
    return load_annotations(path, actors)


def load_stance_model(path: str | Path):
    return load_model(path)


def _spans(record: dict) -> tuple | None:
    return record_spans(record)


def _dataset(records: Sequence[dict], actors: ActorDictionary):
    return build_dataset(records, actors)


def fit_stance(records: Sequence[dict], actors: ActorDictionary, seed: int = 0):
    """The stance pipeline with fixed settings (the old settings, no search, so a refit
    takes seconds) fitted on ``records``.

    None when the records hold fewer than two different labels.
    """
    ds = _dataset(records, actors)
    if len(set(ds.labels)) < 2:
        return None
    pipe = make_old_pipeline(seed)
    return pipe.fit(ds.pairs, ds.labels)


def grouped_cv_macro_f1(records: Sequence[dict], actors: ActorDictionary, seed: int = 0,
                        min_documents: int = 3) -> float | None:
    """Grouped-CV macro-F1 (3 stance labels) of the fixed-settings pipeline.

    None when the records span fewer than ``min_documents`` documents or fewer
    than two labels (too little to say anything).
    """
    from sklearn.model_selection import cross_val_score

    from ..ml.pipelines import macro_f1_stance
    ds = _dataset(records, actors)
    if len(set(ds.pair_groups)) < min_documents or len(set(ds.labels)) < 2:
        return None
    pipe = make_old_pipeline(seed)
    scores = cross_val_score(pipe, ds.pairs, ds.labels, groups=ds.pair_groups,
                             cv=grouped_cv(ds.pair_groups), scoring=macro_f1_stance)
    return round(float(scores.mean()), 4)


class Predictor:
    """Pair probabilities (and, with a full model, claim and source) for template records.

    ``model`` is a trained :class:`stance.ml.model.StanceModel` or None;
    ``stance`` a refitted stance pipeline that replaces the model's stance part.
    """

    def __init__(self, model=None, stance=None) -> None:
        self.model = model
        self.stance = stance if stance is not None else getattr(model, "stance", None)

    @property
    def ready(self) -> bool:
        return self.stance is not None

    @staticmethod
    def sentence_spans(record: dict) -> tuple:
        return _spans(record) or ()

    def pair_probabilities(self, records: Sequence[dict]) -> list[dict[str, dict[str, float]]]:
        """Per record, ``{actor: {label: probability}}`` over the actors of its mentions."""
        flat, owners = [], []
        for i, rec in enumerate(records):
            spans = self.sentence_spans(rec)
            for actor in dict.fromkeys(s[2] for s in spans):
                flat.append(Pair(rec["text"], actor, tuple(spans)))
                owners.append((i, actor))
        out: list[dict] = [{} for _ in records]
        if not flat or self.stance is None:
            return out
        proba = self.stance.predict_proba(flat)
        classes = [str(c) for c in self.stance.classes_]
        for (i, actor), row in zip(owners, proba, strict=True):
            out[i][actor] = {label: (round(float(row[classes.index(label)]), 4)
                                     if label in classes else 0.0) for label in LABELS}
        return out

    def claim_and_source(self, record: dict) -> tuple[bool, str | None] | None:
        """The full model's claim and source for a record, or None without one."""
        if self.model is None:
            return None
        spans = self.sentence_spans(record)
        p = self.model.predict_claims([Pair(record["text"], None, tuple(spans))])[0]
        claim = p >= 0.5
        return claim, (self.model.predict_source(record["text"], spans) if claim else None)


def default_base_files() -> list[str]:
    """The project's training data, where it exists from the working folder."""
    return [str(p) for p in DEFAULT_DATA if p.exists()]


def stance_pairs(records: Sequence[dict], actors: ActorDictionary) -> tuple[list, list, list]:
    """``(pairs, labels, documents)``: one (sentence, actor) pair per stance of each record."""
    ds = _dataset(records, actors)
    return ds.pairs, ds.labels, ds.pair_groups
