"""Evaluation metrics, computed with scikit-learn, plus bootstrap intervals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from ..schema import LABELS, STANCE_LABELS

BOOTSTRAP_ROUNDS = 1000


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str], labels=STANCE_LABELS) -> float:
    return float(f1_score(y_true, y_pred, labels=list(labels), average="macro", zero_division=0))


def bootstrap_ci(y_true: Sequence[str], y_pred: Sequence[str], units: Sequence[str],
                 statistic: Callable[[Any, Any], float], seed: int = 0,
                 rounds: int = BOOTSTRAP_ROUNDS) -> list[float]:
    """95% percentile interval of ``statistic`` when the units (sentences) are resampled.

    All pairs of a sentence go in or out together, since they are not
    independent of each other.
    """
    true, pred = np.asarray(y_true, dtype=object), np.asarray(y_pred, dtype=object)
    unit_ids = sorted(set(units))
    index = {u: i for i, u in enumerate(unit_ids)}
    members: list[list[int]] = [[] for _ in unit_ids]
    for row, u in enumerate(units):
        members[index[u]].append(row)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(rounds):
        pick = rng.integers(0, len(unit_ids), len(unit_ids))
        rows = [r for u in pick for r in members[u]]
        values.append(statistic(true[rows], pred[rows]))
    lo, hi = np.percentile(values, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def stance_metrics(y_true: Sequence[str], y_pred: Sequence[str], units: Sequence[str],
                   actors: Sequence[str] | None = None, seed: int = 0,
                   ci: bool = True) -> dict:
    """Per-label P/R/F1/support, macro-F1 (3 stance labels; all 4), accuracy,
    bootstrap intervals over sentences, confusion matrix and per-actor scores."""
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(LABELS),
                                                 zero_division=0)
    out = {
        "n_pairs": len(y_true),
        "per_label": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, lab in enumerate(LABELS)},
        "macro_f1_stance": round(macro_f1(y_true, y_pred), 4),
        "macro_f1_all": round(macro_f1(y_true, y_pred, LABELS), 4),
        "accuracy": round(float(accuracy_score(y_true, y_pred)), 4),
        "confusion": {"labels": list(LABELS),
                      "matrix": confusion_matrix(y_true, y_pred, labels=list(LABELS)).tolist()},
    }
    if ci and len(y_true):
        out["ci95"] = {
            "macro_f1_stance": bootstrap_ci(y_true, y_pred, units, macro_f1, seed),
            "macro_f1_all": bootstrap_ci(y_true, y_pred, units,
                                         lambda a, b: macro_f1(a, b, LABELS), seed),
            "accuracy": bootstrap_ci(y_true, y_pred, units,
                                     lambda a, b: float(accuracy_score(a, b)), seed),
        }
    if actors is not None:
        per_actor = {}
        for actor in sorted(set(actors)):
            rows = [i for i, a in enumerate(actors) if a == actor]
            t = [y_true[i] for i in rows]
            q = [y_pred[i] for i in rows]
            per_actor[actor] = {"n": len(rows), "accuracy": round(float(accuracy_score(t, q)), 4),
                                "macro_f1_stance": round(macro_f1(t, q), 4)}
        out["per_actor"] = per_actor
    return out


def claim_metrics(y_true: Sequence[bool], y_pred: Sequence[bool]) -> dict:
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average="binary",
                                                 pos_label=True, zero_division=0)
    return {"n": len(y_true), "precision": round(float(p), 4), "recall": round(float(r), 4),
            "f1": round(float(f), 4), "support": int(sum(bool(v) for v in y_true))}


def source_accuracy(gold_claims: Sequence[bool], gold: Sequence[str | None],
                    pred: Sequence[str | None]) -> dict:
    """Accuracy of the predicted source over the sentences that are claims in the gold data
    (null counts as a value: a claim by a non-inventory speaker)."""
    rows = [i for i, c in enumerate(gold_claims) if c]
    if not rows:
        return {"n": 0, "accuracy": None}
    t = [str(gold[i]) for i in rows]
    q = [str(pred[i]) for i in rows]
    return {"n": len(rows), "accuracy": round(float(accuracy_score(t, q)), 4)}
