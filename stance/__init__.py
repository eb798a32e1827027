"""stance: claims and stances toward political actors in news text.

The public API is re-exported here, with ``__all__``; see the README for
examples.  Everything else lives in subpackages by responsibility:

==================  ==============================================================
``stance.schema``   labels, :class:`Mention`, spans, pairs, record types
``stance.io``       documents (:func:`read_document`, :func:`iter_documents`), atomic writes
``stance.text``     page furniture, Punkt, :func:`segment_document`
``stance.actors``   world dictionary sources and index, :class:`ActorDictionary`, loaders
``stance.annotations``  reading, writing, validating, agreement
``stance.ml``       cues, transformers, pipelines, :func:`train`, the model, persistence
``stance.evaluation``  metrics, baselines, nested CV, held-out scoring
``stance.inference``   streaming prediction in batches
``stance.render``   text, tables and reports
``stance.annotate``    the browser annotation tool and format conversion
``stance.network``  holder -> target stance networks per period
``stance.cli``      one module per command
==================  ==============================================================

Public names:

* documents: :class:`Document` (id, text, path, optional ``date`` and ``country``),
  :func:`read_document`, :func:`iter_documents`, :func:`atomic_write`;
* sentences: :func:`segment_document` -> :class:`Segmentation` of
  :class:`Sentence` values;
* actors: :class:`ActorDictionary` (``find(text, offset=0, date=None, country=None)``),
  :func:`default_actors`, :func:`load_actors`, :func:`find_mentions` ->
  :class:`Mention` values;
* annotations: :data:`LABELS`, :func:`load_annotations` (read, refusing
  errors), :func:`validate_file` (every problem), :func:`write_annotations`;
* models: :func:`train` (records -> trained model), :func:`save_model` (model
  and its card), :func:`load_model` (sha256-checked);
* errors: :class:`StanceError` and its kinds :class:`InputError` and
  :class:`UsageError`.
"""

from ._version import __version__
from .actors import ActorDictionary, default_actors, find_mentions, load_actors
from .annotations import load_annotations, validate_file, write_annotations
from .errors import InputError, StanceError, UsageError
from .io import Document, atomic_write, iter_documents, read_document
from .ml import load_model, save_model, train
from .schema import LABELS, Mention
from .text import Segmentation, Sentence, segment_document

__all__ = [
    "LABELS",
    "ActorDictionary",
    "Document",
    "InputError",
    "Mention",
    "Segmentation",
    "Sentence",
    "StanceError",
    "UsageError",
    "__version__",
    "atomic_write",
    "default_actors",
    "find_mentions",
    "iter_documents",
    "load_actors",
    "load_annotations",
    "load_model",
    "read_document",
    "save_model",
    "segment_document",
    "train",
    "validate_file",
    "write_annotations",
]
