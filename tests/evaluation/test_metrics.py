from __future__ import annotations

import pytest
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from stance.evaluation.metrics import (
    bootstrap_ci,
    claim_metrics,
    macro_f1,
    source_accuracy,
    stance_metrics,
)

GOLD = ["cooperation", "hostility", "accusation", "none", "none", "hostility", "cooperation"]
PRED = ["cooperation", "accusation", "accusation", "none", "hostility", "hostility", "none"]
UNITS = ["s1", "s1", "s2", "s3", "s3", "s4", "s5"]


def test_stance_metrics_agree_with_sklearn_and_hand_counts():
    m = stance_metrics(GOLD, PRED, UNITS, actors=list("AABBACA"), seed=0)
    labels = ["cooperation", "hostility", "accusation", "none"]
    p, r, f, s = precision_recall_fscore_support(GOLD, PRED, labels=labels, zero_division=0)
    for i, lab in enumerate(labels):
        assert m["per_label"][lab] == {"precision": round(p[i], 4), "recall": round(r[i], 4),
                                       "f1": round(f[i], 4), "support": int(s[i])}
    # by hand: cooperation P=1/1 R=1/2 F1=2/3; hostility P=1/2 R=1/2 F1=1/2;
    # accusation P=1/2 R=1/1 F1=2/3 -> macro over the three = (2/3 + 1/2 + 2/3) / 3
    assert m["macro_f1_stance"] == pytest.approx(round((2 / 3 + 1 / 2 + 2 / 3) / 3, 4))
    assert m["macro_f1_all"] == round(f1_score(GOLD, PRED, average="macro", labels=labels), 4)
    assert m["accuracy"] == round(accuracy_score(GOLD, PRED), 4) == round(4 / 7, 4)
    assert m["confusion"]["matrix"][1] == [0, 1, 1, 0]  # hostility row
    assert m["per_actor"]["C"] == {"n": 1, "accuracy": 1.0, "macro_f1_stance": round(
        macro_f1(["hostility"], ["hostility"]), 4)}
    lo, hi = m["ci95"]["accuracy"]
    assert 0 <= lo <= m["accuracy"] <= hi <= 1


def test_bootstrap_is_deterministic_and_resamples_whole_sentences():
    a = bootstrap_ci(GOLD, PRED, UNITS, macro_f1, seed=3, rounds=200)
    assert a == bootstrap_ci(GOLD, PRED, UNITS, macro_f1, seed=3, rounds=200)
    # one unit holding everything: every resample is the full data, so the interval is a point
    same = bootstrap_ci(GOLD, PRED, ["s"] * len(GOLD), macro_f1, seed=0, rounds=50)
    assert same[0] == same[1] == round(macro_f1(GOLD, PRED), 4)


def test_claim_and_source():
    c = claim_metrics([True, True, False, False], [True, False, True, False])
    assert (c["precision"], c["recall"], c["f1"], c["support"]) == (0.5, 0.5, 0.5, 2)
    s = source_accuracy([True, True, False], ["SYR", None, None], ["SYR", "IRQ", "USA"])
    assert s == {"n": 2, "accuracy": 0.5}
    assert source_accuracy([False], [None], [None]) == {"n": 0, "accuracy": None}
