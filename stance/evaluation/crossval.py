"""Nested cross-validation grouped by document, with baselines, ablation and learning curve.

``cross_validate`` retrains everything in each outer fold, hyperparameter
search included (the inner search sees the fold's training documents only),
and scores the held-out documents.  Baselines (majority label, keyword rule)
and the ablation without target marking are scored on the same folds.
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
from ..ml.dataset import build_dataset
from ..ml.pipelines import make_stance_pipeline
from ..ml.training import train_with_report
from .baselines import KeywordRule
from .heldout import misclassified, pairs_of
from .metrics import claim_metrics, macro_f1, source_accuracy, stance_metrics

SYSTEMS = ("model", "no_target_marking", "keyword_rule", "majority")
LEARNING_FRACTIONS = (0.2, 0.4, 0.6, 0.8, 1.0)


def outer_splits(records: Sequence[Mapping[str, Any]], folds: int | None,
                 only_docs: Sequence[str] | None = None) -> list[tuple[Any, Any]]:
    """Outer folds over sentences, grouped by document.

    With ``only_docs``, one fold per listed document: it is held out and the
    model is trained on every other document (leave-one-document-out scored
    on those documents only).
    """
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
                   only_docs: Sequence[str] | None = None) -> dict:
    """Nested grouped CV of the model, its ablation and the baselines; returns every figure."""
    actors = actors or default_actors()
    splits = outer_splits(records, folds, only_docs)
    gold: list[str] = []
    preds: dict[str, list[str]] = {s: [] for s in SYSTEMS}
    probs: list[float] = []
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
        model, report = train_with_report(train_recs, actors=actors, seed=seed, n_jobs=n_jobs)
        ds_train = build_dataset(train_recs, actors)
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
                          "test_pairs": len(ds_test.labels),
                          "hyperparameters": report["stance"]["hyperparameters"],
                          "source_method": report["source"]["method"]})
    systems = {name: stance_metrics(gold, preds[name], units,
                                    pair_actors if name == "model" else None, seed)
               for name in SYSTEMS}
    result = {
        "mode": "cv",
        "splitter": ("leave-one-document-out" if folds is None and only_docs is None else
                     f"grouped {folds}-fold" if only_docs is None else
                     f"leave-one-document-out over {len(splits)} documents, each predicted by a "
                     "model trained on all other documents"),
        "folds": fold_info,
        "stance": systems,
        "claim": claim_metrics(claim_gold, claim_pred),
        "source": source_accuracy(claim_gold, src_gold, src_pred),
        "errors": sorted(errors, key=lambda e: (e["id"], e["actor"])),
        "mean_probability_correct": _mean([p for p, g, q in zip(probs, gold, preds["model"],
                                                                strict=True)
                                           if g == q]),
    }
    if learning_curve:
        result["learning_curve"] = learning_curve_points(records, splits, actors, seed)
    return result


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


