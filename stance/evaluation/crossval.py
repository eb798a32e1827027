"""Nested cross-validation grouped by document, conflict or region, with baselines,
ablation, calibration and learning curve.

``cross_validate`` retrains everything in each outer fold, hyperparameter
search included (the inner search sees the fold's training groups only,
grouped the same way: leave-one-conflict-out outside means conflict-grouped
selection inside), and scores the held-out groups.  Baselines (majority
label, keyword rule), the old settings (C=10, word 1-2-grams, cue lexicon,
target-id token, no relation features) retrained on the same folds and the
ablation without target marking are scored on the same folds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

from ..actors import ActorDictionary, default_actors
from ..errors import StanceError, UsageError
from ..io.manifest import ManifestRow
from ..ml.calibration import ECE_BINS, expected_calibration_error, reliability_bins
from ..ml.dataset import build_dataset
from ..ml.grouping import doc_groups, grouped_splitter
from ..ml.pipelines import make_old_pipeline, make_stance_pipeline
from ..ml.training import train_with_report
from ..schema import LABELS
from .baselines import KeywordRule
from .heldout import misclassified, pairs_of
from .metrics import claim_metrics, macro_f1, source_accuracy, stance_metrics

SYSTEMS = ("model", "old_settings", "no_target_marking", "keyword_rule", "majority")
LEARNING_FRACTIONS = (0.2, 0.4, 0.6, 0.8, 1.0)
#: Numbers of training conflicts on the learning curve (plus all of them).
LEARNING_GROUPS = (1, 2, 4, 8, 16)


def outer_splits(records: Sequence[Mapping[str, Any]], folds: int | None,
                 only_docs: Sequence[str] | None = None,
                 groups: Sequence[str] | None = None, by: str = "document"
                 ) -> list[tuple[Any, Any]]:
    """Outer folds over sentences, grouped by document (or by ``groups``, one per
    record: conflicts or regions).

    With ``only_docs``, one fold per listed document: it is held out and the
    model is trained on every other document (leave-one-document-out scored
    on those documents only).
    """
    if groups is not None and by != "document":
        if only_docs is not None:
            raise StanceError("--only-docs-of holds out documents: it goes with "
                              "--group-by document")
        n = len(set(groups))
        if n < 2:
            raise StanceError(f"cross-validation by {by} needs at least 2 {by}s, found {n}")
        if folds is not None and not 2 <= folds <= n:
            raise StanceError(f"--folds must be between 2 and the number of {by}s ({n}), "
                              f"found {folds}")
        splitter = grouped_splitter(groups, 0 if folds is None else folds, f"{by}s")
        return list(splitter.split(records, groups=groups))
    groups = [r["doc"] for r in records]
    if only_docs is not None:
        missing = sorted(set(only_docs) - set(groups))
        if missing:
            raise StanceError(f"documents to hold out are not in the data: {', '.join(missing)}")
        return [([i for i, g in enumerate(groups) if g != doc],
                 [i for i, g in enumerate(groups) if g == doc]) for doc in sorted(set(only_docs))]
    n_docs = len(set(groups))
    if n_docs < 3:
        raise StanceError(f"cross-validation needs at least 3 documents, found {n_docs}")
    if folds is None:
        splitter = LeaveOneGroupOut()
    else:
        if not 2 <= folds <= n_docs:
            raise UsageError(f"--folds must be between 2 and the number of documents "
                              f"({n_docs}), found {folds}")
        splitter = GroupKFold(n_splits=folds)
    return list(splitter.split(records, groups=groups))


def cross_validate(records: Sequence[dict], folds: int | None = None, seed: int = 0,
                   n_jobs: int = -1, actors: ActorDictionary | None = None,
                   learning_curve: bool = True, explain_top: int = 5,
                   progress: Callable[[str], None] | None = None,
                   only_docs: Sequence[str] | None = None, group_by: str = "document",
                   manifest: Mapping[str, ManifestRow] | None = None) -> dict:
    """Nested grouped CV of the model, the old settings, its ablation and the baselines;
    returns every figure.

    ``group_by`` (document, conflict or region; from the manifest) groups the
    outer folds and the inner settings search alike.
    """
    actors = actors or default_actors()
    docs = [r["doc"] for r in records]
    mapping = doc_groups(docs, group_by, manifest)
    rec_groups = [mapping[d] for d in docs]
    try:  # the per-conflict table, whatever the grouping, when the manifest knows them
        conflict_of: dict[str, str] | None = doc_groups(docs, "conflict", manifest)
    except StanceError:
        conflict_of = None
    splits = outer_splits(records, folds, only_docs, rec_groups, group_by)
    gold: list[str] = []
    preds: dict[str, list[str]] = {s: [] for s in SYSTEMS}
    probs: list[float] = []
    prob_rows: list[list[float]] = []
    temperatures: list[float] = []
    pair_docs: list[str] = []
    units, pair_actors, errors = [], [], []
    claim_gold, claim_pred, src_gold, src_pred = [], [], [], []
    fold_info = []
    rule = KeywordRule()
    for k, (train_idx, test_idx) in enumerate(splits, start=1):
        train_recs = [records[i] for i in train_idx]
        test_recs = [records[i] for i in test_idx]
        test_docs = sorted({r["doc"] for r in test_recs})
        if progress:
            progress(f"fold {k}/{len(splits)}: held out {', '.join(test_docs)}")
        model, report = train_with_report(train_recs, actors=actors, seed=seed, n_jobs=n_jobs,
                                          group_by=group_by, manifest=manifest)
        ds_train = build_dataset(train_recs, actors)
        old = make_old_pipeline(seed).fit(ds_train.pairs, ds_train.labels)
        # The ablation: the fold's chosen settings, refit with target marking off.
        ablation = clone(model.stance).set_params(mark__mode="none", mark__target_id=False)
        ablation.fit(ds_train.pairs, ds_train.labels)
        majority = Counter(ds_train.labels).most_common(1)[0][0]
        ds_test, fold_units, fold_actors = pairs_of(test_recs, actors)
        predicted = model.predict_records(test_recs, actors_from="stances")
        fold_model = [p["stances"][a] for p in predicted for a in p["stances"]]
        fold_probs = [p["probabilities"][a][p["stances"][a]]
                      for p in predicted for a in p["stances"]]
        gold += ds_test.labels
        preds["model"] += fold_model
        preds["old_settings"] += [str(x) for x in old.predict(ds_test.pairs)]
        prob_rows += [[p["probabilities"][a][lab] for lab in LABELS]
                      for p in predicted for a in p["stances"]]
        temperatures += [float(report["stance"]["calibration"].get("temperature", 1.0))
                         ] * len(ds_test.labels)
        pair_docs += [r["doc"] for r in test_recs for _ in r["stances"]]
        preds["no_target_marking"] += [str(x) for x in ablation.predict(ds_test.pairs)]
        preds["keyword_rule"] += rule.predict(ds_test.pairs)
        preds["majority"] += [majority] * len(ds_test.labels)
        probs += fold_probs
        units += fold_units
        pair_actors += fold_actors
        for rec, pred in zip(test_recs, predicted, strict=True):
            claim_gold.append(bool(rec["claim"]))
            claim_pred.append(pred["claim"])
            src_gold.append(rec["source"] if rec["claim"] else None)
            src_pred.append(pred["source"])
            errors += misclassified(model, rec, pred, explain_top)
        fold_info.append({"fold": k, "test_docs": test_docs,
                          "train_docs": sorted({r["doc"] for r in train_recs}),
                          "test_groups": sorted({mapping[d] for d in test_docs}),
                          "test_pairs": len(ds_test.labels),
                          "hyperparameters": report["stance"]["hyperparameters"],
                          "inner_cv": report["cv"]["description"],
                          "temperature": report["stance"]["calibration"].get("temperature"),
                          "source_method": report["source"]["method"],
                          "source_cv_accuracy": report["source"]["cv_accuracy"],
                          "training_seconds": report["training_seconds"]})
    systems = {name: stance_metrics(gold, preds[name], units,
                                    pair_actors if name == "model" else None, seed)
               for name in SYSTEMS}
    if group_by == "document":
        splitter = ("leave-one-document-out" if folds is None and only_docs is None else
                    f"grouped {folds}-fold" if only_docs is None else
                    f"leave-one-document-out over {len(splits)} documents, each predicted by a "
                    "model trained on all other documents")
    else:
        splitter = (f"leave-one-{group_by}-out" if folds is None else
                    f"GroupKFold({folds}) over {group_by}s")
    result = {
        "mode": "cv",
        "group_by": group_by,
        "splitter": splitter,
        "folds": fold_info,
        "stance": systems,
        "claim": claim_metrics(claim_gold, claim_pred),
        "source": source_accuracy(claim_gold, src_gold, src_pred),
        "errors": sorted(errors, key=lambda e: (e["id"], e["actor"])),
        "mean_probability_correct": _mean([p for p, g, q in zip(probs, gold, preds["model"],
                                                                strict=True)
                                           if g == q]),
    }
    result["calibration"] = calibration_summary(gold, preds["model"], prob_rows, temperatures)
    if conflict_of is not None:
        result["per_conflict"] = per_group_table(
            gold, {s: preds[s] for s in ("model", "old_settings", "keyword_rule")},
            [conflict_of[d] for d in pair_docs], pair_docs)
    if learning_curve:
        if group_by == "document":
            result["learning_curve"] = learning_curve_points(records, splits, actors, seed)
        else:
            result["learning_curve"] = group_learning_curve(records, splits, rec_groups,
                                                            actors, seed, group_by, fold_info)
    return result


def calibration_summary(gold: Sequence[str], pred: Sequence[str],
                        prob_rows: Sequence[Sequence[float]],
                        temperatures: Sequence[float]) -> dict[str, Any]:
    """Expected calibration error and reliability bins of the model's out-of-fold
    top-label probabilities, calibrated (as predicted) and before calibration
    (each fold's temperature undone; ``temperatures``: one per pair)."""
    if not prob_rows:
        return {}
    probs = np.clip(np.asarray(prob_rows, dtype=float), 1e-6, 1.0)
    correct = [g == p for g, p in zip(gold, pred, strict=True)]
    conf = probs.max(axis=1)
    out: dict[str, Any] = {
        "bins": ECE_BINS, "pairs": len(gold),
        "ece": round(expected_calibration_error(conf, correct), 4),
        "reliability": reliability_bins(conf, correct),
        "mean_temperature": round(float(np.mean(temperatures)), 4) if temperatures else None,
    }
    if any(t != 1.0 for t in temperatures):
        t = np.asarray(temperatures, dtype=float)[:, None]
        raw = np.exp(np.log(probs) * t)
        raw /= raw.sum(axis=1, keepdims=True)
        out["ece_uncalibrated"] = round(expected_calibration_error(raw.max(axis=1), correct), 4)
        out["reliability_uncalibrated"] = reliability_bins(raw.max(axis=1), correct)
    return out


def per_group_table(gold: Sequence[str], preds: Mapping[str, Sequence[str]],
                    groups: Sequence[str], docs: Sequence[str]) -> list[dict[str, Any]]:
    """Per group (conflict): documents, pairs, label counts and each system's macro-F1
    (3 labels) and accuracy on that group's held-out pairs."""
    rows = []
    for g in sorted(set(groups)):
        idx = [i for i, x in enumerate(groups) if x == g]
        t = [gold[i] for i in idx]
        row: dict[str, Any] = {"group": g, "documents": len({docs[i] for i in idx}),
                               "pairs": len(idx),
                               "labels": {lab: t.count(lab) for lab in LABELS}}
        for name, pred in preds.items():
            q = [pred[i] for i in idx]
            row[name] = {"macro_f1_stance": round(macro_f1(t, q), 4),
                         "accuracy": round(float(np.mean([a == b for a, b in zip(t, q,
                                                                                  strict=True)])),
                                           4)}
        rows.append(row)
    return rows


def group_learning_curve(records: Sequence[dict], splits, rec_groups: Sequence[str],
                         actors: ActorDictionary, seed: int, by: str,
                         fold_info: Sequence[Mapping[str, Any]],
                         sizes: Sequence[int] = LEARNING_GROUPS) -> dict:
    """Macro-F1 (3 stance labels) on the held-out groups against the number of training
    groups (conflicts): each outer fold's training groups are subsampled at random
    and the fold's chosen settings refit (no search, so nothing is tuned on the test
    folds); predictions pooled over the outer folds."""
    rng = np.random.default_rng(seed)
    n_train = min(len({rec_groups[i] for i in tr}) for tr, _ in splits)
    points = []
    for size in [s for s in sizes if s < n_train] + [n_train]:
        gold, pred, n_pairs = [], [], []
        for (train_idx, test_idx), info in zip(splits, fold_info, strict=True):
            names = sorted({rec_groups[i] for i in train_idx})
            keep = {names[j] for j in rng.permutation(len(names))[:size]}
            train_recs = [records[i] for i in train_idx if rec_groups[i] in keep]
            ds_train = build_dataset(train_recs, actors)
            ds_test = build_dataset([records[i] for i in test_idx], actors)
            if len(set(ds_train.labels)) < 2 or not ds_test.labels:
                continue
            pipe = _with_settings(make_stance_pipeline(seed), info["hyperparameters"])
            pipe.fit(ds_train.pairs, ds_train.labels)
            gold += ds_test.labels
            pred += [str(x) for x in pipe.predict(ds_test.pairs)]
            n_pairs.append(len(ds_train.labels))
        points.append({"groups": size, "mean_training_pairs": _mean(n_pairs),
                       "macro_f1_stance": round(macro_f1(gold, pred), 4) if gold else None})
    return {"settings": "each fold's chosen settings, refit without search",
            "by": by, "points": points}


def _with_settings(pipe, described: Mapping[str, Any]):
    """``pipe`` with the settings a model card describes (``"on"``: the family's default)."""
    from ..ml.features import CueFeatures
    from ..ml.pipelines import char_ngrams
    from ..ml.relations import RelationFeatures
    families: dict[str, Callable[[], Any]] = {"features__cues": CueFeatures,
                                              "features__relations": RelationFeatures,
                                              "features__chars": char_ngrams}
    params: dict[str, Any] = {}
    for key, value in described.items():
        if key in families:
            params[key] = families[key]() if value == "on" else "drop"
        elif isinstance(value, list):
            params[key] = tuple(value)
        else:
            params[key] = value
    return pipe.set_params(**params)


def _mean(values: Sequence[float]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None


def learning_curve_points(records: Sequence[dict], splits, actors: ActorDictionary,
                          seed: int = 0, fractions: Sequence[float] = LEARNING_FRACTIONS) -> dict:
    """Macro-F1 (3 stance labels) on the held-out folds against the share of
    training documents used, with the pipeline's default settings (no search,
    so nothing is tuned on the test folds), pooled over the outer folds."""
    rng = np.random.default_rng(seed)
    points = []
    for frac in fractions:
        gold, pred, n_docs = [], [], []
        for train_idx, test_idx in splits:
            docs = sorted({records[i]["doc"] for i in train_idx})
            order = list(rng.permutation(len(docs)))
            keep = {docs[j] for j in order[:max(1, math.ceil(frac * len(docs)))]}
            train_recs = [records[i] for i in train_idx if records[i]["doc"] in keep]
            ds_train = build_dataset(train_recs, actors)
            ds_test = build_dataset([records[i] for i in test_idx], actors)
            if len(set(ds_train.labels)) < 2 or not ds_test.labels:
                continue
            pipe = make_stance_pipeline(seed).fit(ds_train.pairs, ds_train.labels)
            gold += ds_test.labels
            pred += [str(x) for x in pipe.predict(ds_test.pairs)]
            n_docs.append(len(keep))
        points.append({"fraction": frac, "mean_training_documents": _mean(n_docs),
                       "macro_f1_stance": round(macro_f1(gold, pred), 4) if gold else None})
    return {"settings": "default pipeline settings (no search)", "points": points}


