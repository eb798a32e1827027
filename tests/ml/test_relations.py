from __future__ import annotations

from sklearn.base import clone

from stance.ml.features import TargetMarker
from stance.ml.relations import RelationFeatures, relation_feature_names
from stance.schema import Pair


def _features(text: str, target: str, spans) -> dict[str, float]:
    marked = TargetMarker().transform([Pair(text, target, tuple(spans))])
    rel = RelationFeatures().fit(marked)
    row = rel.transform(marked).toarray()[0]
    return dict(zip(rel.get_feature_names_out(), row, strict=True))


SYR_TUR = [(0, 5, "SYR"), (14, 20, "TUR")]


def test_target_as_object_and_subject_of_an_accusation():
    text = "Syria accused Turkey of arming rebels."
    obj = _features(text, "TUR", SYR_TUR)
    assert obj["accusation_verb_then_target"] == 1 and obj["accusation_other_cue_target"] == 1
    assert obj["accusation_clause_before_target"] == 1 and obj["accusation_distance_0_2"] == 1
    subj = _features(text, "SYR", SYR_TUR)
    assert subj["accusation_target_then_verb"] == 1 and subj["accusation_target_cue_other"] == 1
    assert subj["accusation_verb_then_target"] == 0 and subj["target_first_actor"] == 1


def test_clauses_passive_negation_and_prepositions():
    text = "Turkey was accused of shelling, but Syria did not attack Iraq."
    spans = [(0, 6, "TUR"), (36, 41, "SYR"), (57, 61, "IRQ")]
    tur = _features(text, "TUR", spans)
    assert tur["accusation_target_passive"] == 1
    assert tur["hostility_same_clause"] == 1  # shelling, before the comma
    irq = _features(text, "IRQ", spans)
    assert irq["hostility_negated_in_clause"] == 1 and irq["accusation_same_clause"] == 0
    war = _features("Iraq waged war against Syria.", "SYR", [(0, 4, "IRQ"), (23, 28, "SYR")])
    assert war["against_target"] == 1


def test_reported_speech_holder():
    text = "Russia backs Syria, according to Iran."
    spans = [(0, 6, "RUS"), (13, 18, "SYR"), (33, 37, "IRN")]
    assert _features(text, "IRN", spans)["holder_is_target"] == 1
    assert _features(text, "IRN", spans)["according_to_target"] == 1
    rus = _features(text, "RUS", spans)
    assert rus["holder_is_other"] == 1 and rus["holder_is_target"] == 0
    said = _features("Iran said Israel attacked Syria.", "ISR",
                     [(0, 4, "IRN"), (10, 16, "ISR"), (26, 31, "SYR")])
    assert said["holder_is_other"] == 1 and said["target_in_reported_content"] == 1
    none = _features("Officials said Israel attacked.", "ISR", [(15, 21, "ISR")])
    assert none["holder_unnamed"] == 1


def test_estimator_contract_and_names():
    rel = RelationFeatures()
    assert clone(rel).get_params() == {"cues": None}
    X = ["xtargetx attacked xotherx", "nothing here"]
    out = rel.fit(X).transform(X)
    assert out.shape == (2, len(relation_feature_names()))
    assert not any("xtid" in n for n in relation_feature_names())  # names no actor
