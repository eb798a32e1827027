"""stance: claims and stances toward political actors in news text.

The public API is re-exported here; see the README for examples.
"""

from .actors import ActorDictionary, Mention, default_actors, find_mentions, load_actors
from .errors import StanceError
from .io import Document, read_document
from .segment import Sentence, Segmentation, segment_document

__version__ = "0.1.0"

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
    "read_document",
    "segment_document",
]
