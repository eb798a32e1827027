"""Machine learning: features, pipelines, the trained model, training, persistence.

* :mod:`.cues`: the cue lexicon and cue matching (features, source rule, baseline).
* :mod:`.features`: the custom transformers (:class:`TargetMarker`,
  :class:`CueFeatures`); they take spans, never the actor dictionary.
* :mod:`.dataset`: records flattened into :class:`~stance.schema.Pair` inputs;
  the grouped cross-validation policy.
* :mod:`.pipelines`: the stance, claim and source pipelines and their grids.
* :mod:`.source`: the source rule and the source model's choice.
* :mod:`.model`: :class:`StanceModel`, prediction and explanation.
* :mod:`.training`: :func:`train`, the model card report, training from files.
* :mod:`.persistence`: sha256-checked saving and loading, the default model path.
"""

from .features import CueFeatures, TargetMarker
from .model import StanceModel
from .persistence import ModelError, default_model_path, load_model, save_model
from .training import train, train_and_save, train_with_report

__all__ = ["CueFeatures", "ModelError", "StanceModel", "TargetMarker", "default_model_path",
           "load_model", "save_model", "train", "train_and_save", "train_with_report"]
