"""Training: the grid searches, the source choice, the model card, and training from files.

:func:`train` trains the three models from annotation records and returns a
:class:`~stance.ml.model.StanceModel`; :func:`train_with_report` also returns
the report the model card records; :func:`train_and_save` validates files,
trains and writes the model with its card.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sklearn.model_selection import BaseCrossValidator, GridSearchCV
from sklearn.pipeline import Pipeline

from .._resources import project_path
from ..actors import ActorDictionary, default_actors
from ..actors.loaders import packaged_sha256
from ..annotations import AnnotationError, check_file
from ..annotations.validate import check_trainable
from ..io.manifest import ManifestRow
from ..schema import Pair
from .calibration import fit_temperature
from .dataset import Dataset, build_dataset, grouped_cv
from .grouping import doc_groups, grouped_splitter, splitter_name
from .model import StanceModel
from .persistence import save_model, sha256_file
from .pipelines import (
    claim_grid,
    macro_f1_stance,
    make_claim_pipeline,
    make_source_pipeline,
    make_stance_pipeline,
    stance_grid,
)
from .source import SourceRule, model_source, rule_sources

#: The default model is trained on the seeds, the project's corpus and the world corpus
#: (documents about 28 other conflicts).
DEFAULT_DATA = (Path("annotations/seeds.jsonl"), Path("annotations/corpus.jsonl"),
                Path("annotations/world.jsonl"))


#: How the default training groups documents for its settings search.
DEFAULT_GROUP_BY = "conflict"
#: Grouping by conflict or region needs at least this many groups, else documents are used.
MIN_GROUPS = 3


def default_data() -> list[str]:
    """:data:`DEFAULT_DATA` in the working directory, else in the source checkout."""
    return [str(project_path(p)) for p in DEFAULT_DATA]

Records = Sequence[Mapping[str, Any]]


def _search(pipeline: Pipeline, grid: dict[str, list[Any]], X: list[Pair], y: Sequence[Any],
            groups: Sequence[str], scoring: Any, n_jobs: int,
            cv: BaseCrossValidator | None = None) -> GridSearchCV:
    search = GridSearchCV(pipeline, grid, scoring=scoring, cv=cv or grouped_cv(groups),
                          n_jobs=n_jobs, refit=True, error_score="raise")
    search.fit(X, y, groups=groups)
    return search


def _describe(params: Mapping[str, Any]) -> dict[str, Any]:
    """Grid parameters in a JSON-friendly form."""
    out: dict[str, Any] = {}
    for k, v in sorted(params.items()):
        if isinstance(v, str) or v is None or isinstance(v, (int, float, bool)):
            out[k] = v
        elif isinstance(v, tuple):
            out[k] = list(v)
        else:
            out[k] = "on"
    return out


def family_ablation(search: GridSearchCV, families: Mapping[str, str]) -> dict[str, Any]:
    """Best grouped-CV score with and without each feature family."""
    results = search.cv_results_
    out = {}
    for name, param in families.items():
        if param not in search.param_grid:
            continue
        on: list[float] = []
        off: list[float] = []
        for params, score in zip(results["params"], results["mean_test_score"], strict=True):
            value = params[param]
            (off if value in ("drop", False) else on).append(float(score))
        out[name] = {"with": round(max(on), 4), "without": round(max(off), 4)}
    return out


def fit_source_model(indices: Iterable[int], ds: Dataset, seed: int) -> Pipeline | None:
    """The source model over (sentence, candidate) pairs of the given sentences."""
    X, y = [], []
    for i in indices:
        sent = ds.sentences[i]
        for cand in ds.candidates[i]:
            X.append(Pair(sent.text, cand, sent.spans))
            y.append(int(cand == ds.sources[i]))
    if len(set(y)) < 2:
        return None
    return make_source_pipeline(seed).fit(X, y)


def source_scores(ds: Dataset, seed: int, groups: Sequence[str] | None = None,
                  cv: BaseCrossValidator | None = None) -> dict[str, Any]:
    """Grouped-CV accuracy of the source rule and the source model over gold claims.

    ``groups`` (one per sentence; default its document) and ``cv`` choose the
    folds: with conflicts as groups, leave-one-conflict-out accuracy.  The
    rule needs no training; it resolves "he said" with its own answer for the
    document's previous gold claim.
    """
    sentence_groups = list(groups) if groups is not None else ds.sentence_groups
    idx = [i for i, c in enumerate(ds.claims) if c]
    claim_groups = [sentence_groups[i] for i in idx]
    rule_pred = rule_sources(SourceRule(), ((ds.sentence_groups[i], ds.sentences[i].text,
                                             ds.sentences[i].spans) for i in idx))
    rule_hits = sum(p == ds.sources[i] for p, i in zip(rule_pred, idx, strict=True))
    model_hits = 0
    splitter = cv or grouped_cv(claim_groups)
    for train, test in splitter.split(idx, groups=claim_groups):
        model = fit_source_model([idx[i] for i in train], ds, seed)
        for i in (idx[j] for j in test):
            sent = ds.sentences[i]
            model_hits += model_source(model, sent.text, sent.spans) == ds.sources[i]
    n = len(idx)
    return {"rule": round(rule_hits / n, 4) if n else 0.0,
            "model": round(model_hits / n, 4) if n else 0.0, "claims": n}


def fit_stance(ds: Dataset, seed: int = 0, n_jobs: int = 1, chars: bool = False,
               groups: Sequence[str] | None = None,
               cv: BaseCrossValidator | None = None) -> GridSearchCV:
    """Grid-search the stance pipeline with grouped CV over ``stance_grid``
    (groups: the pairs' documents unless given)."""
    groups = list(groups) if groups is not None else ds.pair_groups
    return _search(make_stance_pipeline(seed), stance_grid(chars), ds.pairs, ds.labels,
                   groups, macro_f1_stance, n_jobs, cv)


def inner_groups(docs: Sequence[str], group_by: str,
                 manifest: Mapping[str, ManifestRow] | None = None) -> tuple[dict[str, str], str]:
    """Each document's group for the settings search, and the grouping used: conflict
    or region from the manifest, or the document itself when the data spans
    fewer than :data:`MIN_GROUPS` conflicts (regions)."""
    groups = doc_groups(docs, group_by, manifest)
    if group_by != "document" and len(set(groups.values())) < MIN_GROUPS:
        return doc_groups(docs, "document"), "document"
    return groups, group_by


def train_with_report(records: Records, actors: ActorDictionary | None = None, seed: int = 0,
                      n_jobs: int = 1, chars: bool = False, group_by: str = "document",
                      manifest: Mapping[str, ManifestRow] | None = None,
                      calibrate: bool = True) -> tuple[StanceModel, dict[str, Any]]:
    """Train the three models; return the model and a report for the model card.

    ``group_by`` (``document``, ``conflict`` or ``region``, from the manifest)
    groups the cross-validation that chooses the settings: by conflict, a
    setting wins by travelling to conflicts its fit did not see.  With
    ``calibrate``, the stance probabilities are temperature-scaled on
    out-of-fold predictions of the same grouped folds
    (:mod:`stance.ml.calibration`; the labels do not change).
    """
    started = time.perf_counter()
    actors = actors or default_actors()
    check_trainable(records)
    ds = build_dataset(records, actors)  # check_trainable saw two labels at least
    mapping, used = inner_groups(ds.sentence_groups, group_by, manifest)
    pair_groups = [mapping[d] for d in ds.pair_groups]
    sentence_groups = [mapping[d] for d in ds.sentence_groups]
    folds = None if used == "document" else 5
    what = f"{used}s"
    cv = grouped_splitter(pair_groups, folds, what)
    stance_search = fit_stance(ds, seed, n_jobs, chars, pair_groups, cv)
    stance = stance_search.best_estimator_
    calibration: dict[str, Any] = {"method": "none"}
    if calibrate:
        calibration = fit_temperature(stance, ds.pairs, ds.labels, pair_groups, cv, n_jobs)
    claim_search = _search(make_claim_pipeline(seed), claim_grid(), ds.sentences,
                           ds.claims, sentence_groups, "f1", n_jobs,
                           grouped_splitter(sentence_groups, folds, what))
    claim_groups = [g for g, c in zip(sentence_groups, ds.claims, strict=True) if c]
    scores = (source_scores(ds, seed, sentence_groups, grouped_splitter(claim_groups, folds, what))
              if len(set(claim_groups)) >= 2 else {"rule": 0.0, "model": 0.0,
                                                   "claims": len(claim_groups)})
    method = "model" if scores["model"] > scores["rule"] else "rule"
    source: Pipeline | SourceRule | None
    if method == "model":
        source = fit_source_model(range(len(ds.sentences)), ds, seed)
    else:
        source = SourceRule()
    families = {"target id token": "mark__target_id", "relation features": "features__relations"}
    if chars:
        families["character n-grams"] = "features__chars"
    report = {
        "stance": {
            "hyperparameters": _describe(stance_search.best_params_),
            "cv_macro_f1_stance_labels": round(float(stance_search.best_score_), 4),
            "feature_family_ablation": family_ablation(stance_search, families),
            "calibration": calibration,
        },
        "claim": {"hyperparameters": _describe(claim_search.best_params_),
                  "cv_f1": round(float(claim_search.best_score_), 4)},
        "source": {"method": method, "cv_accuracy": scores,
                   "why": f"{splitter_name(cv, used)} accuracy over gold claims: rule "
                          f"{scores['rule']}, model {scores['model']}; the better one is used "
                          "(rule on a tie)"},
        "cv": {"splitter": type(cv).__name__, "group_by": used, "group_by_requested": group_by,
               "groups": len(set(pair_groups)), "documents": len(set(ds.pair_groups)),
               "description": splitter_name(cv, used),
               "note": "scores are the grid's best mean over the same grouped folds that "
                       "chose the settings (optimistic); `stance evaluate --cv` gives nested "
                       "scores"},
        "training_seconds": round(time.perf_counter() - started, 1),
    }
    model = StanceModel(stance, claim_search.best_estimator_, method,
                        source, actors, settings={"seed": seed, "group_by": used})
    return model, report


def train(records: Records, actors: ActorDictionary | None = None, seed: int = 0,
          n_jobs: int = 1, chars: bool = False, group_by: str = "document",
          manifest: Mapping[str, ManifestRow] | None = None) -> StanceModel:
    """Train the stance, claim and source models from annotation records.

    Settings are chosen by cross-validation grouped by ``group_by`` (document,
    conflict or region); the same records and seed give the same model.
    """
    return train_with_report(records, actors, seed, n_jobs, chars, group_by, manifest)[0]


# --- from files -----------------------------------------------------------------------


def load_training_data(files: Sequence[str | Path], docs: Sequence[str | Path] | None = None,
                       actors: ActorDictionary | None = None,
                       purpose: str = "train on") -> dict[str, list[dict[str, Any]]]:
    """Validate every file (texts against their documents) and read it, in one pass:
    records per file.

    Invalid data is refused with the validator's FILE:LINE messages; warnings
    do not stop training.
    """
    actors = actors or default_actors()
    errors = []
    per_file = {}
    for path in files:
        records, problems = check_file(path, docs, actors)
        errors += [p for p in problems if p.severity == "error"]
        per_file[str(path)] = records
    if errors:
        listing = "\n".join(str(p) for p in errors)
        raise AnnotationError(f"refusing to {purpose} invalid data ({len(errors)} "
                              f"error{'s' if len(errors) != 1 else ''}):\n{listing}", errors)
    return per_file


def all_records(per_file: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [rec for records in per_file.values() for rec in records]


def data_summary(per_file: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
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
                   actors_file: str | None = None, chars: bool = False,
                   group_by: str = DEFAULT_GROUP_BY,
                   manifest: Mapping[str, ManifestRow] | None = None
                   ) -> tuple[StanceModel, dict[str, Any]]:
    """Train on ``files`` and write ``out`` and its model card; return the model and card."""
    per_file = load_training_data(files, docs, actors)
    model, report = train_with_report(all_records(per_file), actors=actors, seed=seed,
                                      n_jobs=n_jobs, chars=chars, group_by=group_by,
                                      manifest=manifest)
    card = {"seed": seed, **data_summary(per_file),
            "actor_dictionary": ({"path": actors_file, "sha256": sha256_file(actors_file)}
                                 if actors_file else {"packaged": packaged_sha256()}),
            **report}
    return model, save_model(model, out, card)
