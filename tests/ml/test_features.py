from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, LeaveOneGroupOut, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import (
    check_estimator_repr,
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
    parametrize_with_checks,
)

from stance.actors import default_actors
from stance.ml.cues import compile_cue, cue_positions, cue_regex, tokenize
from stance.ml.features import OTHER_TOKEN, TARGET_TOKEN, CueFeatures, TargetMarker, mark_text
from stance.schema import Pair, spans_from_mentions

SENTENCE = "Damascus accused Ankara of arming the rebels."


def pair(text: str, target: str | None) -> Pair:
    return Pair(text, target, spans_from_mentions(default_actors().find(text)))


ESTIMATORS = [TargetMarker(), TargetMarker(mode="none", target_id=True), CueFeatures(),
              CueFeatures(window=2)]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_estimator_checks(estimator, check):
    """scikit-learn's checks, where they apply (inputs are pairs and texts, not
    2-D arrays, so the tags skip the array checks)."""
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
@pytest.mark.parametrize("check", [check_no_attributes_set_in_init,
                                   check_parameters_default_constructible,
                                   check_get_params_invariance, check_set_params,
                                   check_estimator_repr])
def test_estimator_api(estimator, check):
    check(type(estimator).__name__, clone(estimator))


@pytest.mark.parametrize("estimator,params", [
    (TargetMarker(), {"mode": "both"}),
    (TargetMarker(), {"target_id": "yes"}),
    (CueFeatures(), {"window": -1}),
    (CueFeatures(), {"cues": ["accus*"]}),
])
def test_parameters_are_validated(estimator, params):
    with pytest.raises(InvalidParameterError):
        clone(estimator).set_params(**params).fit([pair(SENTENCE, "TUR")])


def test_transformers_hold_no_dictionary():
    for est in (TargetMarker(), CueFeatures()):
        assert set(est.get_params()) <= {"mode", "mark_others", "target_id", "window", "cues"}


def test_marker_input_differs_per_target():
    marker = TargetMarker().fit(None)
    for_tur, for_syr = marker.transform([pair(SENTENCE, "TUR"), pair(SENTENCE, "SYR")])
    assert for_tur.split() == [OTHER_TOKEN, "accused", TARGET_TOKEN, "of", "arming", "the",
                               OTHER_TOKEN, "."]
    assert for_syr.split()[:3] == [TARGET_TOKEN, "accused", OTHER_TOKEN]
    assert for_tur != for_syr


def test_marker_without_marking_is_the_ablation():
    marker = TargetMarker(mode="none").fit(None)
    assert marker.transform([pair(SENTENCE, "TUR")]) == [SENTENCE]


def test_marker_uses_given_spans_and_shows_uncovered_target():
    assert mark_text("Cairo and Iraq", "EGY", [(0, 5, "EGY"), (10, 14, "IRQ")]).split() == [
        TARGET_TOKEN, "and", OTHER_TOKEN]
    # an actor the spans do not cover is still made visible
    assert mark_text("Iraq said so", "EGY", [(0, 4, "IRQ")]).split()[-1] == TARGET_TOKEN
    assert mark_text("Iraq said so", None, [(0, 4, "IRQ")]).split() == [OTHER_TOKEN, "said", "so"]


def test_marker_target_id_token():
    marker = TargetMarker(target_id=True).fit(None)
    assert marker.transform([pair(SENTENCE, "TUR")])[0].endswith("xtidturx")


def test_unfitted_use():
    # the marker learns nothing (stateless); the cue features learn their lexicon
    assert TargetMarker().transform([pair(SENTENCE, "TUR")]) == \
        TargetMarker().fit([]).transform([pair(SENTENCE, "TUR")])
    with pytest.raises(NotFittedError):
        CueFeatures().transform([SENTENCE])


def test_cue_matching():
    assert compile_cue("sponsor* terror*") == [("sponsor", True), ("terror", True)]
    assert tokenize("He didn’t co-operate") == ["he", "did", "n't", "co", "operate"]
    regex = cue_regex([compile_cue(c) for c in ["accus*", "not", "join hands"]])
    assert cue_positions(tokenize("They accused Iraq and did not join hands"), regex) == [1, 5, 6]
    assert cue_positions(tokenize("an accusatory accusation"), regex) == [1, 2]
    assert cue_positions(tokenize("hands join"), regex) == []


def test_cue_features_around_the_target():
    cues = {"accusation": ["accus*"], "hostility": ["attack*"], "cooperation": ["cooperat*"],
            "negation": ["not"], "reporting": ["said"]}
    feats = CueFeatures(window=3, cues=cues).fit(None)
    text = f"{OTHER_TOKEN} accused {TARGET_TOKEN} , and did not cooperate , officials said ."
    names = feats.get_feature_names_out()
    row = dict(zip(names, feats.transform([text]).toarray()[0], strict=True))
    assert row["accusation_before"] == 1 and row["accusation_after"] == 0
    assert row["cooperation_any"] == 1 and row["cooperation_after"] == 0  # 5 tokens away
    assert row["hostility_any"] == 0
    assert row["target_before_reporting"] == 1 and row["others_named"] == 1
    near = f"{TARGET_TOKEN} did not cooperate"
    row = dict(zip(names, feats.transform([near]).toarray()[0], strict=True))
    assert row["cooperation_negated_near"] == 1 and row["cooperation_after"] == 1


# A tiny inline data set: (sentence, target) pairs from three documents.
X = [
    pair("Syria accused Turkey of arming rebels.", "TUR"),
    pair("Syria accused Turkey of arming rebels.", "SYR"),
    pair("Iraq and Syria agreed to cooperate.", "IRQ"),
    pair("Iraq and Syria agreed to cooperate.", "SYR"),
    pair("Turkish jets attacked Kurdish positions.", "KRD"),
    pair("Turkish jets attacked Kurdish positions.", "TUR"),
    pair("Iran accused Israel of aggression.", "ISR"),
    pair("Iran accused Israel of aggression.", "IRN"),
    pair("Russia and Iran pledged to cooperate.", "RUS"),
    pair("Russia and Iran pledged to cooperate.", "IRN"),
    pair("Israeli jets attacked Iranian positions.", "IRN"),
    pair("Israeli jets attacked Iranian positions.", "ISR"),
]
y = ["accusation", "none", "cooperation", "cooperation", "hostility", "none"] * 2
groups = ["a"] * 4 + ["b"] * 2 + ["c"] * 6


def small_pipeline():
    return Pipeline([
        ("mark", TargetMarker()),
        ("features", FeatureUnion([("words", TfidfVectorizer()), ("cues", CueFeatures())])),
        ("clf", LogisticRegression(max_iter=1000)),
    ])


def test_pipeline_works_with_clone_gridsearch_and_cross_val_predict():
    pipe = small_pipeline()
    cloned = clone(pipe)
    assert cloned.get_params()["mark__mode"] == "target"
    search = GridSearchCV(pipe, {"clf__C": [1.0, 10.0], "features__cues": ["drop", CueFeatures()],
                                 "mark__mode": ["target", "none"]},
                          cv=LeaveOneGroupOut(), scoring="accuracy")
    search.fit(X, y, groups=groups)
    assert set(search.best_params_) == {"clf__C", "features__cues", "mark__mode"}
    pred = cross_val_predict(clone(pipe), X, y, groups=groups, cv=LeaveOneGroupOut())
    assert len(pred) == len(X)
    fitted = small_pipeline().fit(X, y)
    example = pair("Syria accused Turkey of arming rebels.", "TUR")
    assert fitted.predict([example])[0] == "accusation"
    assert np.allclose(fitted.predict_proba(X).sum(axis=1), 1.0)
