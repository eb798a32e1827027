"""Political actors: the dictionary and how mentions are found.

* :mod:`.sources`: the hand-edited TOML sources (``stance/data/actors/``) and
  :func:`compile_index`, which turns them into the index the matcher reads.
* :mod:`.dictionary`: :class:`ActorDictionary`, the matcher:
  ``find(text, offset=0, date=None, country=None)`` and ``find_document``.
* :mod:`.loaders`: the packaged dictionary (:func:`default_actors`), user
  TOML files (:func:`load_actors`), and :func:`find_mentions`.
* :mod:`.tagging`: sentence records with their mentions (what ``stance
  segment`` writes and prediction reads).
* :mod:`.coverage`: capitalised names no actor matched (``stance actors coverage``).
"""

from ..schema import Mention
from .dictionary import ActorDictionary
from .loaders import default_actors, find_mentions, load_actors
from .tagging import segment_records, sentence_records

__all__ = ["ActorDictionary", "Mention", "default_actors", "find_mentions", "load_actors",
           "segment_records", "sentence_records"]
