"""Evaluation: honest figures for the model and its baselines.

* :mod:`.metrics`: scikit-learn metrics and bootstrap intervals over sentences.
* :mod:`.baselines`: the keyword rule baseline.
* :mod:`.crossval`: nested cross-validation grouped by document, the
  ablation without target marking, the learning curve.
* :mod:`.heldout`: a trained model on unseen annotations, with the gold
  actors or end to end; the error analysis.
"""

from .baselines import KeywordRule
from .crossval import cross_validate, learning_curve_points, outer_splits
from .heldout import evaluate_end_to_end, evaluate_model, misclassified
from .metrics import claim_metrics, macro_f1, source_accuracy, stance_metrics

__all__ = ["KeywordRule", "claim_metrics", "cross_validate", "evaluate_end_to_end",
           "evaluate_model", "learning_curve_points", "macro_f1", "misclassified",
           "outer_splits", "source_accuracy", "stance_metrics"]
