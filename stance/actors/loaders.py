"""Loading actor dictionaries: the packaged one and user TOML files.

The packaged dictionary is compiled ahead of time (``stance/data/actors.json``,
built from ``stance/data/actors/*.toml`` by ``tools/build_actors.py``), so
loading it is one JSON read.  A user file extends it (new actors, more
aliases, people and blocking phrases; the packaged sources and the file are
compiled together, about a second) unless it starts with ``replace = true``.
A malformed file is refused with a message naming ``FILE:LINE`` and the entry.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from .._resources import data_path, read_text
from ..errors import ActorDictionaryError
from ..schema import Mention
from .dictionary import ActorDictionary
from .sources import compile_index, read_source, source_files


def packaged_sources() -> list[Path]:
    """The packaged dictionary's source files, in build order."""
    return source_files(data_path("actors"))


@lru_cache(maxsize=1)
def default_actors() -> ActorDictionary:
    """The packaged dictionary (``stance/data/actors.json``)."""
    actors = ActorDictionary.from_json(read_text("actors.json"))
    actors.packaged = True
    return actors


def packaged_sha256() -> str:
    """The sha256 of the packaged dictionary's index, for model cards."""
    return hashlib.sha256(read_text("actors.json").encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def default_info() -> Mapping:
    """Aliases, people and credits of the packaged dictionary."""
    info: Mapping = json.loads(read_text("actors_info.json"))
    return info


def load_actors(path: str | Path | None = None) -> ActorDictionary:
    """The packaged dictionary, extended or replaced by the TOML file ``path``."""
    if path is None:
        return default_actors()
    source = read_source(Path(path))
    if source.replace:
        if not source.entries:
            raise ActorDictionaryError(f"{path}: actors: replace = true needs at least one actor")
        return ActorDictionary(compile_index([source]))
    return ActorDictionary(compile_index([read_source(p) for p in packaged_sources()] + [source]))


def find_mentions(text: str, actors: ActorDictionary | None = None, offset: int = 0,
                  date: datetime.date | None = None) -> list[Mention]:
    """Mentions of inventory actors in ``text`` (packaged dictionary by default)."""
    return (actors or default_actors()).find(text, offset, date)
