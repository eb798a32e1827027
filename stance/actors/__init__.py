"""Political actors: the dictionary and how mentions are found.

* :mod:`.dictionary`: :class:`ActorDictionary` (IDs, names, aliases, blocking
  phrases) and its matcher, ``find(text, offset=0, date=None)``.
* :mod:`.loaders`: the packaged dictionary (:func:`default_actors`), user
  TOML files (:func:`load_actors`), and :func:`find_mentions`.
* :mod:`.tagging`: sentence records with their mentions (what ``stance
  segment`` writes and prediction reads).
"""

from ..schema import Mention
from .dictionary import ActorDictionary
from .loaders import default_actors, find_mentions, load_actors, parse_dictionary
from .tagging import segment_records, sentence_records

__all__ = ["ActorDictionary", "Mention", "default_actors", "find_mentions", "load_actors",
           "parse_dictionary", "segment_records", "sentence_records"]
