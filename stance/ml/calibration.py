"""Calibrated stance probabilities: temperature scaling, expected calibration error,
reliability bins.

The class-weighted logistic regression ranks labels well but its
probabilities are not frequencies (class weighting and the small data make
them over- or under-confident).  :func:`fit_temperature` fits one
temperature T on out-of-fold logits (the same grouped folds that chose the
settings, so by conflict when training groups by conflict) by minimising
the negative log-likelihood, then divides the classifier's coefficients and
intercepts by T.  The pipeline stays a plain pipeline (explanations, speed
and the pickle are unchanged) and its labels do not change (the argmax of
z / T is the argmax of z); only the probabilities behind ``--min-prob`` and
the annotation tool's uncertainty become calibrated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import clone
from sklearn.model_selection import BaseCrossValidator, cross_val_predict
from sklearn.pipeline import Pipeline

ECE_BINS = 15


def _logits(decision: np.ndarray) -> np.ndarray:
    decision = np.asarray(decision, dtype=float)
    if decision.ndim == 1:  # binary: P(class 1) = sigmoid(d) = softmax([0, d])
        return np.column_stack([np.zeros_like(decision), decision])
    return decision


def best_temperature(logits: np.ndarray, y_index: np.ndarray) -> float:
    """The temperature minimising the mean negative log-likelihood of ``y_index``."""
    def nll(log_t: float) -> float:
        lp = log_softmax(logits / np.exp(log_t), axis=1)
        return float(-lp[np.arange(len(y_index)), y_index].mean())
    res = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded",
                          options={"xatol": 1e-4})
    return float(np.exp(res.x))


def expected_calibration_error(confidence: Sequence[float], correct: Sequence[bool],
                               bins: int = ECE_BINS) -> float:
    """ECE of the top label: the bin-size-weighted mean |accuracy - confidence| over
    ``bins`` equal-width confidence bins."""
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=float)
    if not len(conf):
        return 0.0
    which = np.minimum((conf * bins).astype(int), bins - 1)
    ece = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            ece += mask.mean() * abs(hit[mask].mean() - conf[mask].mean())
    return float(ece)


def reliability_bins(confidence: Sequence[float], correct: Sequence[bool],
                     bins: int = ECE_BINS) -> list[dict[str, Any]]:
    """Per confidence bin: range, count, mean confidence and accuracy (non-empty bins)."""
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=float)
    which = np.minimum((conf * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            out.append({"low": round(b / bins, 4), "high": round((b + 1) / bins, 4),
                        "n": int(mask.sum()), "confidence": round(float(conf[mask].mean()), 4),
                        "accuracy": round(float(hit[mask].mean()), 4)})
    return out


def scale_classifier(pipeline: Pipeline, temperature: float) -> None:
    """Divide the final logistic regression's coefficients and intercepts by T, in place."""
    clf = pipeline.steps[-1][1]
    clf.coef_ = clf.coef_ / temperature
    clf.intercept_ = clf.intercept_ / temperature


def fit_temperature(pipeline: Pipeline, X: Sequence[Any], y: Sequence[str],
                    groups: Sequence[str], cv: BaseCrossValidator,
                    n_jobs: int | None = 1) -> dict[str, Any]:
    """Fit T on out-of-fold logits of ``pipeline``'s settings (grouped folds ``cv``)
    and scale the fitted ``pipeline`` with it; return what was done, with the
    out-of-fold expected calibration error before and after."""
    decision = cross_val_predict(clone(pipeline), X, y, groups=groups, cv=cv, n_jobs=n_jobs,
                                 method="decision_function")
    logits = _logits(decision)
    classes = list(pipeline.classes_)
    y_index = np.array([classes.index(v) for v in y])
    t = best_temperature(logits, y_index)
    scale_classifier(pipeline, t)

    def ece(temp: float) -> float:
        p = softmax(logits / temp, axis=1)
        return expected_calibration_error(p.max(axis=1), p.argmax(axis=1) == y_index)
    return {"method": "temperature scaling on out-of-fold logits", "temperature": round(t, 4),
            "ece_out_of_fold_before": round(ece(1.0), 4),
            "ece_out_of_fold_after": round(ece(t), 4), "bins": ECE_BINS}
