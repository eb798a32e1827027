from __future__ import annotations

import json

import joblib
import pytest

from stance.ml.persistence import (
    ModelError,
    card_path,
    load_model,
    read_card,
    save_model,
    sha256_file,
)


@pytest.fixture(scope="module")
def saved(tmp_path_factory, trained):
    path = tmp_path_factory.mktemp("m") / "m.joblib"
    model, report = trained
    card = save_model(model, path, {"seed": 0, **report})
    return path, card


def copy(saved, tmp_path):
    path, _ = saved
    target = tmp_path / "m.joblib"
    target.write_bytes(path.read_bytes())
    card_path(target).write_text(card_path(path).read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_round_trip_and_card(saved):
    path, card = saved
    assert card["model_sha256"] == sha256_file(path)
    assert read_card(path) == card
    assert set(card["versions"]) == {"python", "scikit-learn", "nltk", "joblib", "stance",
                                     "blas"}
    model = load_model(path)
    assert model.card["model_sha256"] == card["model_sha256"]
    assert model.predict_pairs([("Iran accused Israel.", "ISR")])[0]["label"]


def test_tampered_model_refused(saved, tmp_path):
    target = copy(saved, tmp_path)
    data = bytearray(target.read_bytes())
    data[-1] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"m\.joblib: refusing to load: its sha256 [0-9a-f]{12}"
                                         r"\.\.\. does not match the model card's"):
        load_model(target)


def test_missing_card_refused(saved, tmp_path):
    target = copy(saved, tmp_path)
    card_path(target).unlink()
    with pytest.raises(ModelError, match=r"refusing to load: its model card .*m\.json is missing"):
        load_model(target)


def test_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelError, match=r"no such model; train one with `stance train --out "):
        load_model(tmp_path / "none.joblib")


def test_model_of_the_wrong_kind_refused(tmp_path):
    target = tmp_path / "m.joblib"
    joblib.dump({"not": "a model"}, target)
    card_path(target).write_text(json.dumps({"model_sha256": sha256_file(target)}),
                                 encoding="utf-8")
    with pytest.raises(ModelError, match=r"not a stance model \(found dict\)"):
        load_model(target)


def test_not_a_pickle_refused(tmp_path):
    target = tmp_path / "m.joblib"
    target.write_bytes(b"hello")
    card_path(target).write_text(json.dumps({"model_sha256": sha256_file(target)}),
                                 encoding="utf-8")
    with pytest.raises(ModelError, match=r"cannot load model"):
        load_model(target)


def test_other_sklearn_version_warns(saved, tmp_path):
    target = copy(saved, tmp_path)
    card = json.loads(card_path(target).read_text(encoding="utf-8"))
    card["versions"]["scikit-learn"] = "0.0.1"
    card_path(target).write_text(json.dumps(card), encoding="utf-8")
    with pytest.warns(UserWarning, match="trained with scikit-learn 0.0.1"):
        load_model(target)


def test_broken_card(saved, tmp_path):
    target = copy(saved, tmp_path)
    card_path(target).write_text("{", encoding="utf-8")
    with pytest.raises(ModelError, match=r"m\.json: not a valid model card"):
        load_model(target)
