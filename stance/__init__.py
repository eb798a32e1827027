"""stance: claims and stances toward political actors in news text.

The public API is re-exported here; see the README for examples.
"""

from ._version import __version__
from .actors import ActorDictionary, Mention, default_actors, find_mentions, load_actors
from .errors import StanceError
from .io import Document, read_document
from .persistence import load_model
from .segment import Sentence, Segmentation, segment_document

__all__ = [
    "ActorDictionary",
    "Document",
    "Mention",
    "Segmentation",
    "Sentence",
    "StanceError",
    "__version__",
    "default_actors",
    "find_mentions",
    "load_actors",
    "load_model",
    "read_document",
    "segment_document",
]
