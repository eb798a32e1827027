from __future__ import annotations

import io

import joblib
import pytest

from stance.errors import StanceError
from stance.ml.dataset import build_dataset, grouped_cv
from stance.ml.persistence import _drop_volatile_caches
from stance.ml.source import SourceRule
from stance.ml.training import train
from stance.schema import Pair, Span

from .._shared import RECORDS


def test_dataset_flattens_pairs_and_sentences():
    ds = build_dataset(RECORDS)
    assert len(ds.pairs) == sum(len(r["stances"]) for r in RECORDS)
    # mention spans are resolved once, by the dictionary, for records without them
    assert ds.pairs[1] == Pair("Syria accused Turkey of arming rebels.", "TUR",
                               (Span(0, 5, "SYR"), Span(14, 20, "TUR"), Span(31, 37, "REB")))
    # one spans object per sentence, shared by its pairs and its sentence input
    assert ds.pairs[0].spans is ds.pairs[1].spans is ds.sentences[0].spans
    assert ds.claims[:3] == [1, 1, 0] and ds.sources[2] is None
    assert set(ds.pair_groups) == {"a", "b", "c"}


def test_grouped_cv_choice():
    assert type(grouped_cv(["a", "b", "c"])).__name__ == "LeaveOneGroupOut"
    assert type(grouped_cv([str(i) for i in range(11)])).__name__ == "GroupKFold"
    with pytest.raises(StanceError, match="at least 2 documents, found 1"):
        grouped_cv(["a", "a"])


def test_source_rule():
    rule = SourceRule()
    text = "Damascus wants more coordination with Baghdad, Syria's foreign minister said."
    spans = [(0, 8, "SYR"), (38, 45, "IRQ"), (47, 52, "SYR")]
    assert rule.predict(text, spans) == "SYR"
    assert rule.predict("Turkey denied arming rebels.", [(0, 6, "TUR"), (21, 27, "REB")]) == "TUR"
    assert rule.predict("Officials said so.", []) is None


def test_report_says_how_settings_were_chosen(trained):
    _, report = trained
    assert (report["cv"]["splitter"], report["cv"]["documents"]) == ("LeaveOneGroupOut", 3)
    assert "optimistic" in report["cv"]["note"] and "stance evaluate --cv" in report["cv"]["note"]
    assert set(report["stance"]["feature_family_ablation"]) == {"relation features",
                                                              "target id token"}
    assert report["source"]["method"] in ("rule", "model")
    assert 0 <= report["stance"]["cv_macro_f1_stance_labels"] <= 1


def test_predict_pairs_and_text_api(trained):
    model, _ = trained
    out = model.predict_pairs([("Syria accused Turkey of arming rebels.", "TUR")])
    assert out[0]["label"] in ("cooperation", "hostility", "accusation", "none")
    assert sum(out[0]["probabilities"].values()) == pytest.approx(1.0, abs=1e-3)
    records = model.predict_text("Damascus accused Ankara of arming the rebels.\n\nIran agreed.")
    assert [r["id"] for r in records] == ["text:0", "text:1"]
    assert set(records[0]["stances"]) == {"SYR", "TUR", "REB"}
    assert isinstance(records[0]["claim"], bool) and 0 <= records[0]["claim_prob"] <= 1
    assert model.predict_pairs([]) == []


def test_training_is_deterministic(trained):
    model, _ = trained
    again = train(RECORDS, seed=0, n_jobs=2)
    X = [(r["text"], a) for r in RECORDS for a in r["stances"]]
    assert model.predict_pairs(X) == again.predict_pairs(X)
    dumps = []
    for m in (model, again):
        _drop_volatile_caches(m)
        buf = io.BytesIO()
        joblib.dump(m, buf)
        dumps.append(buf.getvalue())
    assert dumps[0] == dumps[1]


def test_explain_names_features(trained):
    model, _ = trained
    feats = model.explain("Syria accused Turkey of arming rebels.", "TUR")
    assert feats and all(f["weight"] > 0 for f in feats)
    assert all(isinstance(f["feature"], str) for f in feats)


def test_training_needs_two_labels():
    one = [r | {"stances": {a: "none" for a in r["stances"]}} for r in RECORDS]
    with pytest.raises(StanceError, match="at least two different stance labels"):
        train(one)


def test_train_returns_the_model_and_report_matches(trained):
    model, report = trained
    assert report["source"]["method"] == model.source_method
    assert model.settings == {"seed": 0, "group_by": "document"}


def test_the_dictionary_is_pickled_once(trained):
    """Transformers take spans, not the dictionary: only the model holds it."""
    model, _ = trained
    params = [model.stance.get_params(deep=True), model.claim.get_params(deep=True)]
    held = [v for p in params for v in p.values() if type(v).__name__ == "ActorDictionary"]
    assert held == []
    buf = io.BytesIO()
    joblib.dump(model, buf)
    # the packaged dictionary travels as a reference to itself, not as a copy
    assert buf.getvalue().count(b"_packaged_dictionary") == 1
    assert b"ActorDictionary" not in buf.getvalue()
    assert joblib.load(io.BytesIO(buf.getvalue())).actors is model.actors

