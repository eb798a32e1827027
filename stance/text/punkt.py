"""nltk's Punkt, from parameters the package ships.

No nltk data is downloaded or read: the Punkt parameters are a data file
(``stance/data/punkt.json``) trained with :class:`nltk.tokenize.punkt.PunktTrainer`
on the project's own documents plus a list of abbreviations (see
``tools/build_punkt.py``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import _toml
from .._resources import read_text

if TYPE_CHECKING:
    from nltk.tokenize.punkt import (
        PunktLanguageVars,
        PunktParameters,
        PunktSentenceTokenizer,
        PunktTrainer,
    )
else:  # without importing all of nltk (see _nltk_punkt): a second off every cold start
    from ._nltk_punkt import punkt_module

    _punkt = punkt_module()
    PunktLanguageVars = _punkt.PunktLanguageVars
    PunktParameters = _punkt.PunktParameters
    PunktSentenceTokenizer = _punkt.PunktSentenceTokenizer
    PunktTrainer = _punkt.PunktTrainer


class NewsLanguageVars(PunktLanguageVars):
    """English Punkt rules that also treat curly quotes as closing punctuation.

    Recent nltk releases do this already; older ones only know straight quotes,
    so ``act.” He said`` would never be a candidate break there.
    """

    _re_non_word_chars = r"(?:[)\";}\]\*:@\'\({\[!?‘’“”«»])"
    re_boundary_realignment = re.compile(r"[\"\')\]}‘’“”«»]+?(?:\s+|(?=--)|$)", re.MULTILINE)



def params_to_json(params: PunktParameters) -> str:
    """Serialise Punkt parameters deterministically (sorted, one JSON object)."""
    data = {
        "abbrev_types": sorted(params.abbrev_types),
        "collocations": sorted([list(c) for c in params.collocations]),
        "sent_starters": sorted(params.sent_starters),
        "ortho_context": dict(sorted(params.ortho_context.items())),
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def params_from_json(text: str) -> PunktParameters:
    data = json.loads(text)
    params = PunktParameters()
    params.abbrev_types = set(data["abbrev_types"])
    params.collocations = {tuple(c) for c in data["collocations"]}
    params.sent_starters = set(data["sent_starters"])
    for typ, flag in data["ortho_context"].items():
        params.ortho_context[typ] = flag
    return params


@lru_cache(maxsize=1)
def _abbreviation_lists() -> dict[str, list[str]]:
    return _toml.loads(read_text("abbreviations.toml"))


def default_abbreviations() -> list[str]:
    """Titles and other abbreviations (``stance/data/abbreviations.toml``)."""
    lists = _abbreviation_lists()
    return lists["titles"] + lists["abbreviations"]


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(t.lower().rstrip(".") for t in _abbreviation_lists()["titles"])


def ends_with_title(text: str) -> bool:
    words = text.split()
    return bool(words) and text.endswith(".") and words[-1].lower().rstrip(".") in _titles()


def train_punkt(texts: Iterable[str], abbreviations: Iterable[str]) -> PunktParameters:
    """Train Punkt parameters on ``texts`` and add ``abbreviations`` to them.

    On a corpus this small the trainer takes ordinary sentence-final words for
    abbreviations ("a week ago."), so of the abbreviations it learns only those
    with an inner period ("e.g.") are kept; the curated list supplies the rest.
    The learned orthographic contexts, collocations and sentence starters stay.
    """
    trainer = PunktTrainer(lang_vars=NewsLanguageVars())
    for text in texts:
        trainer.train(text, finalize=False)
    trainer.finalize_training()
    params = trainer.get_params()
    params.abbrev_types = {a for a in params.abbrev_types if "." in a}
    params.abbrev_types |= {a.lower().rstrip(".") for a in abbreviations}
    return params


@lru_cache(maxsize=1)
def default_tokenizer() -> PunktSentenceTokenizer:
    """The Punkt tokenizer built from the packaged parameters."""
    params = params_from_json(read_text("punkt.json"))
    return PunktSentenceTokenizer(params, lang_vars=NewsLanguageVars())
