"""nltk's Punkt module, imported without running ``nltk/__init__.py``.

``import nltk`` imports nearly all of nltk (and, through it, scipy.stats and
parts of scikit-learn): about a second of every cold start, for one module
whose own imports are a handful of small nltk helpers.  Here the two parent
packages (``nltk``, ``nltk.tokenize``) are entered as empty namespace
modules just long enough to import ``nltk.tokenize.punkt``, then removed, so
a later ``import nltk`` anywhere runs nltk's real ``__init__`` as usual (and
finds the Punkt module already imported: the same classes).  If nltk is
already imported, the real module is used directly.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any


def punkt_module() -> Any:
    if "nltk" in sys.modules or "nltk.tokenize.punkt" in sys.modules:
        return importlib.import_module("nltk.tokenize.punkt")
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        return importlib.import_module("nltk.tokenize.punkt")
    stubs = []
    for name, locations in (("nltk", list(spec.submodule_search_locations)),
                            ("nltk.tokenize",
                             [f"{p}/tokenize" for p in spec.submodule_search_locations])):
        stub = types.ModuleType(name)
        stub.__path__ = locations
        sys.modules[name] = stub
        stubs.append(name)
    try:
        return importlib.import_module("nltk.tokenize.punkt")
    finally:
        for name in stubs:
            if isinstance(sys.modules.get(name), types.ModuleType) and not getattr(
                    sys.modules[name], "__file__", None):
                del sys.modules[name]
