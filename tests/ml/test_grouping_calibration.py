from __future__ import annotations

import numpy as np
import pytest

from stance.errors import InputError, StanceError
from stance.ml.calibration import (
    best_temperature,
    expected_calibration_error,
    reliability_bins,
)
from stance.ml.grouping import doc_groups, grouped_splitter, record_groups
from stance.ml.source import SourceRule, rule_sources

from .._shared import ROOT


def test_groups_come_from_the_manifest():
    manifest = ROOT / "corpus" / "manifest.csv"
    groups = doc_groups(["c001", "w001", "000_9173ccc0f2f1d5b4"], "conflict",
                        manifest_path=manifest)
    assert groups["c001"] == "syria-iraq" and groups["w001"] != "syria-iraq"
    assert record_groups([{"doc": "c001"}], "region", manifest_path=manifest) == ["Middle East"]
    assert doc_groups(["x", "y"], "document") == {"x": "x", "y": "y"}


def test_documents_missing_from_the_manifest_are_named():
    with pytest.raises(InputError, match=r"no conflict for 2 documents of the data: nope1, nope2"):
        doc_groups(["c001", "nope1", "nope2"], "conflict",
                   manifest_path=ROOT / "corpus" / "manifest.csv")
    with pytest.raises(StanceError, match="group-by must be one of"):
        doc_groups(["c001"], "planet")


def test_grouped_splitter():
    assert type(grouped_splitter(list("abc"))).__name__ == "LeaveOneGroupOut"
    assert grouped_splitter([str(i) for i in range(30)], 5).get_n_splits() == 5
    assert type(grouped_splitter([str(i) for i in range(30)], 0)).__name__ == "LeaveOneGroupOut"
    with pytest.raises(StanceError, match="at least 2 conflicts, found 1"):
        grouped_splitter(["a", "a"], None, "conflicts")


def test_ece_and_temperature():
    assert expected_calibration_error([0.9, 0.9], [True, False]) == pytest.approx(0.4)
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == 0.0
    bins = reliability_bins([0.1, 0.95], [False, True])
    assert [b["n"] for b in bins] == [1, 1]
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(400, 3)) * 4  # overconfident: the labels are noisy
    y = np.where(rng.random(400) < 0.6, logits.argmax(axis=1), rng.integers(0, 3, 400))
    assert best_temperature(logits, y) > 1.2


def test_source_rule_forms():
    rule = SourceRule()
    text = "Russia backs Syria, according to Iran."
    spans = [(0, 6, "RUS"), (13, 18, "SYR"), (33, 37, "IRN")]
    assert rule.predict(text, spans) == "IRN"
    head = "Iran warns Israel over strikes"
    assert rule.predict(head, [(0, 4, "IRN"), (11, 17, "ISR")]) == "IRN"
    mid = "Turkey's foreign minister said on Monday that Syria must stop shelling."
    assert rule.predict(mid, [(0, 6, "TUR"), (46, 51, "SYR")]) == "TUR"
    inverted = "Syria must stop shelling the border towns at once, said Turkey."
    assert rule.predict(inverted, [(0, 5, "SYR"), (56, 62, "TUR")]) == "TUR"
    sentences = [("d", "Turkey accused Syria of shelling.", [(0, 6, "TUR"), (15, 20, "SYR")]),
                 ("d", "Syria must stop, he said.", [(0, 5, "SYR")])]
    assert rule_sources(rule, sentences) == ["TUR", "TUR"]
