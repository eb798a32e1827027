"""The fast path builds exactly the matrices the fitted pipelines build."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from stance.ml import fast
from stance.ml.model import StanceModel
from stance.schema import Pair, Span, actors_in, resolve_spans

from .._shared import ROOT

TRICKY = [
    # (text, spans): adjacent mentions, overlapping spans, mentions at the edges,
    # contractions and curly quotes at piece ends, marker words in the text itself,
    # a final sigma next to a mention, no mention at all.
    ("Syria didn’t accuse Turkey.", ((0, 5, "SYR"), (20, 26, "TUR"))),
    ("SyriaTurkey agreed", ((0, 5, "SYR"), (5, 11, "TUR"))),
    ("Iran and Iraq, said Iran.", ((0, 4, "IRN"), (2, 8, "IRQ"), (9, 13, "IRQ"),
                                   (20, 24, "IRN"))),
    ("xtargetx accused xotherx of attacks by Israel", ((39, 45, "ISR"),)),
    ("ΟΔΟΣ Syria ΟΔΟΣ", ((5, 10, "SYR"),)),
    ("Nothing named here, officials said.", ()),
    ("Russia", ((0, 6, "RUS"),)),
    ("The US-led coalition wasn't blamed, Damascus said", ((4, 6, "USA"), (36, 44, "SYR"))),
]


def _same(a, b) -> None:
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


def _features(pipeline: Pipeline, items: list[Pair]):
    return Pipeline(pipeline.steps[:-1]).transform(items)


def _check(model: StanceModel, sentences: list[tuple[str, tuple]], extra_targets=()) -> None:
    path = model.fast_path()
    assert path is not None
    spans_list = [tuple(Span(*s) for s in spans) for _, spans in sentences]
    texts = [text for text, _ in sentences]
    prepared = [path.sentence(t, s) for t, s in zip(texts, spans_list, strict=True)]
    claim_inputs = [Pair(t, None, s) for t, s in zip(texts, spans_list, strict=True)]
    _same(path.claim_matrix(prepared), _features(model.claim, claim_inputs))
    pairs, fast_pairs = [], []
    for (text, _), spans, prep in zip(sentences, spans_list, prepared, strict=True):
        for target in [*actors_in(spans), *extra_targets]:
            pairs.append(Pair(text, target, spans))
            fast_pairs.append((prep, target))
    _same(path.stance_matrix(fast_pairs), _features(model.stance, pairs))


def test_fast_path_matches_pipelines_on_tricky_text(tiny_model):
    _check(tiny_model, TRICKY, extra_targets=("EGY", "A_B"))


@pytest.fixture(scope="module")
def shipped():
    from stance.ml.persistence import load_model

    return load_model(ROOT / "models" / "stance.joblib")


def test_fast_path_matches_pipelines_on_shipped_model(shipped):
    with open(ROOT / "annotations" / "seeds.jsonl", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    sentences = [(r["text"], tuple(resolve_spans(r, shipped.actors))) for r in records]
    _check(shipped, sentences + TRICKY, extra_targets=("EGY",))


def test_records_identical_with_and_without_fast_path(shipped):
    records = [{"text": t, "mentions": [{"actor": a, "start": s, "end": e} for s, e, a in sp]}
               for t, sp in TRICKY]
    fast_out = shipped.predict_records(records)
    slow = StanceModel(shipped.stance, shipped.claim, shipped.source_method, shipped.source,
                       shipped.actors)
    slow.__dict__["_fast_path"] = None
    assert slow.fast_path() is None
    assert slow.predict_records(records) == fast_out


def test_unsupported_pipelines_fall_back(tiny_model):
    marker = tiny_model.stance.named_steps["mark"]
    other = StanceModel(tiny_model.stance, tiny_model.claim, tiny_model.source_method,
                        tiny_model.source, tiny_model.actors)
    marker_params = marker.get_params()
    try:
        marker.set_params(mark_others=False)
        assert fast.build(other.stance, other.claim) is None
    finally:
        marker.set_params(**marker_params)
    assert fast.build(other.stance, other.claim) is not None


def test_model_pickles_without_fast_path(tiny_model):
    import pickle

    tiny_model.fast_path()
    assert "_fast_path" in tiny_model.__dict__
    again = pickle.loads(pickle.dumps(tiny_model))
    assert "_fast_path" not in again.__dict__
    assert again.fast_path() is not None


def test_cue_matcher_finds_what_the_regexes_find():
    from stance.ml.cues import (
        CUE_CLASSES,
        CueMatcher,
        compile_cue,
        cue_positions,
        cue_regex,
        default_cues,
        tokenize,
    )

    lexicon = {k: [compile_cue(c) for c in default_cues()[k]] for k in CUE_CLASSES}
    matcher = CueMatcher(lexicon)
    regexes = {k: cue_regex(v) for k, v in lexicon.items()}
    with open(ROOT / "annotations" / "corpus.jsonl", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    # every cue's own words, alone and in a row, exercise prefixes and multiword cues
    texts += [c.replace("*", "s") for k in CUE_CLASSES for c in default_cues()[k]]
    texts += [" ".join(c.replace("*", "") for c in default_cues()[k]) for k in CUE_CLASSES]
    for text in texts:
        tokens = tokenize(text)
        found = matcher.positions(tokens)
        for k in CUE_CLASSES:
            assert found[k] == cue_positions(tokens, regexes[k]), (k, text)


def test_prediction_leaves_the_training_caches_alone(shipped):
    """Prediction texts do not repeat, so the fast path keeps no row per text:
    memory stays flat however many sentences go through one process."""
    from stance.ml.relations import relation_row

    assert shipped.fast_path() is not None
    texts = [f"Officials in Ankara{i} were accused by Syria of shelling." for i in range(50)]
    records = [{"text": t, "mentions": [{"actor": "SYR", "start": t.index("Syria"),
                                         "end": t.index("Syria") + 5}]} for t in texts]
    relation_row.cache_clear()
    out = shipped.predict_records(records)
    assert [r["mentions"][0]["text"] for r in out] == ["Syria"] * 50
    assert relation_row.cache_info().currsize == 0
    _features(shipped.stance, [Pair(texts[0], "SYR", ((texts[0].index("Syria"),
                                                      texts[0].index("Syria") + 5, "SYR"),))])
    assert relation_row.cache_info().currsize == 1  # the pipeline itself still caches
