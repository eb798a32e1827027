"""The only place `stance.network` imports from the rest of the package.

Everything the network code needs from outside its own folder comes through
here, so a move of these names elsewhere in `stance` is fixed in one file.
"""

from __future__ import annotations

from .. import __version__, default_actors, load_actors
from ..errors import InputError, StanceError, UsageError
from ..io import atomic_write, read_input_bytes
from ..schema import LABELS

__all__ = ["LABELS", "InputError", "StanceError", "UsageError", "__version__", "atomic_write",
           "default_actors", "load_actors", "read_input_bytes"]
