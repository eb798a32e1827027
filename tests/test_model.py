from __future__ import annotations

import io

import joblib
import pytest

from stance.model import SourceRule, build_dataset, grouped_cv, train
from stance.errors import StanceError


def rec(doc, n, text, claim, source, stances):
    return {"id": f"{doc}:{n}", "doc": doc, "start": 0, "end": len(text), "text": text,
            "claim": claim, "source": source, "stances": stances}


# Tiny inline training data: three documents.
RECORDS = [
    rec("a", 0, "Syria accused Turkey of arming rebels.", True, "SYR",
        {"SYR": "none", "TUR": "accusation", "REB": "none"}),
    rec("a", 1, "Iraq and Syria agreed to cooperate against Islamic State.", True, "IRQ",
        {"IRQ": "cooperation", "SYR": "cooperation", "ISIS": "hostility"}),
    rec("a", 2, "Islamic State fighters seized an Iraqi town.", False, None,
        {"ISIS": "none", "IRQ": "hostility"}),
    rec("b", 0, "Iran accused Israel of aggression, a spokesman said.", True, "IRN",
        {"IRN": "none", "ISR": "accusation"}),
    rec("b", 1, "Russia and Iran pledged to cooperate in Syria.", True, "RUS",
        {"RUS": "cooperation", "IRN": "cooperation", "SYR": "none"}),
    rec("b", 2, "Israeli jets struck Iranian positions near Damascus.", False, None,
        {"ISR": "none", "IRN": "hostility", "SYR": "none"}),
    rec("c", 0, "Turkish jets attacked Kurdish positions.", False, None,
        {"TUR": "none", "KRD": "hostility"}),
    rec("c", 1, "Ankara blamed Washington for backing the YPG, officials said.", True, "TUR",
        {"TUR": "none", "USA": "accusation", "KRD": "none"}),
    rec("c", 2, "Washington and Ankara agreed to a joint patrol plan.", True, "USA",
        {"USA": "cooperation", "TUR": "cooperation"}),
]


@pytest.fixture(scope="module")
def trained():
    return train(RECORDS, seed=0, n_jobs=1)


def test_dataset_flattens_pairs_and_sentences():
    ds = build_dataset(RECORDS)
    assert len(ds.pairs) == sum(len(r["stances"]) for r in RECORDS)
    # mention spans are resolved once, by the dictionary, for records without them
    assert ds.pairs[1] == ("Syria accused Turkey of arming rebels.", "TUR",
                           ((0, 5, "SYR"), (14, 20, "TUR"), (31, 37, "REB")))
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
    assert report["cv"] == {"splitter": "LeaveOneGroupOut", "documents": 3,
                            "note": report["cv"]["note"]}
    assert set(report["stance"]["feature_family_ablation"]) == {"cue lexicon", "target id token"}
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
    again, _ = train(RECORDS, seed=0, n_jobs=2)
    X = [(r["text"], a) for r in RECORDS for a in r["stances"]]
    assert model.predict_pairs(X) == again.predict_pairs(X)
    from stance.persistence import _drop_volatile_caches
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
