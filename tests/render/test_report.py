"""The report's tables, from small inline results."""

from __future__ import annotations

from stance.render.report import group_curve_rows, per_conflict_rows, side_by_side_rows


def _result(f1: float, old: float, ece: float | None, source: float | None) -> dict:
    result = {"stance": {"model": {"macro_f1_stance": f1, "ci95": {"macro_f1_stance": [0.4, 0.6]}},
                         "old_settings": {"macro_f1_stance": old}},
              "claim": {"f1": 0.9}, "source": {"accuracy": source}}
    if ece is not None:
        result["calibration"] = {"ece": ece}
    return result


def test_side_by_side_puts_each_cross_validation_in_a_column():
    rows = side_by_side_rows([("in-conflict", _result(0.55, 0.54, 0.0159, 0.7)),
                              ("transfer", _result(0.52, 0.53, None, None))])
    assert rows == [
        ["system", "in-conflict", "transfer"],
        ["model", "0.550 [0.400, 0.600]", "0.520 [0.400, 0.600]"],
        ["old settings retrained on the same folds (C=10, word 1-2-grams, cues, target id)",
         "0.540", "0.530"],
        ["claim F1 (model)", "0.900", "0.900"],
        ["source accuracy over gold claims", "0.700", "n/a"],
        ["expected calibration error (stance)", "0.016", "n/a"],
    ]


def test_side_by_side_keeps_only_systems_every_column_has():
    second = _result(0.5, 0.5, 0.1, 0.5)
    del second["stance"]["old_settings"]
    rows = side_by_side_rows([("a", _result(0.5, 0.5, 0.1, 0.5)), ("b", second)])
    assert [r[0] for r in rows[1:-3]] == ["model"]


def test_per_conflict_rows():
    result = {"per_conflict": [{
        "group": "sahel", "documents": 6, "pairs": 10,
        "labels": {"cooperation": 3, "hostility": 2, "accusation": 1, "none": 4},
        "model": {"macro_f1_stance": 0.61234, "accuracy": 0.7},
        "old_settings": {"macro_f1_stance": 0.5, "accuracy": 0.6},
        "keyword_rule": {"macro_f1_stance": 0.25, "accuracy": 0.4}}]}
    assert per_conflict_rows(result)[1] == ["sahel", "6", "10", "3 / 2 / 1 / 4", "0.612",
                                            "0.500", "0.250", "0.700"]


def test_group_curve_rows():
    curve = {"by": "conflict", "settings": "s",
             "points": [{"groups": 1, "mean_training_pairs": 120.4, "macro_f1_stance": None},
                        {"groups": 28, "mean_training_pairs": 3000.0, "macro_f1_stance": 0.5}]}
    assert group_curve_rows(curve) == [
        ["training conflicts", "mean training pairs", "macro-F1 (3 labels)"],
        ["1", "120", "n/a"], ["28", "3,000", "0.500"]]
