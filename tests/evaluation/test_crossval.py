from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from sklearn.model_selection import GridSearchCV

from stance.errors import StanceError
from stance.evaluation import KeywordRule, cross_validate, outer_splits
from stance.io.manifest import ManifestRow
from stance.render.report import write_reports
from stance.schema import Pair

from .._shared import RECORDS

MORE = [
    {**r, "id": r["id"].replace("a:", "d:").replace("b:", "e:").replace("c:", "f:"),
     "doc": {"a": "d", "b": "e", "c": "f"}[r["doc"]]} for r in RECORDS
]
DATA = RECORDS + MORE


SMALL_GRID = {"clf__C": [1.0, 10.0]}


@pytest.fixture(scope="module", autouse=True)
def small_grid():
    """The tests check the procedure, not the grid: search two settings only."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("stance.ml.training.stance_grid", lambda chars=False: dict(SMALL_GRID))
        mp.setattr("stance.ml.training.claim_grid", lambda: dict(SMALL_GRID))
        yield


@pytest.fixture(scope="module")
def cv_result(small_grid):
    seen = []
    original = GridSearchCV.fit

    def spy(self, X, y=None, groups=None, **kw):
        seen.append(set(groups))
        return original(self, X, y, groups=groups, **kw)

    GridSearchCV.fit = spy
    try:
        result = cross_validate(DATA, folds=3, seed=0, n_jobs=1, explain_top=3)
    finally:
        GridSearchCV.fit = original
    return result, seen


def test_nested_cv_never_shows_a_fold_its_test_documents(cv_result):
    result, seen = cv_result
    assert len(result["folds"]) == 3
    searches_per_fold = len(seen) // 3
    assert searches_per_fold >= 2  # stance and claim searches, at least
    for k, fold in enumerate(result["folds"]):
        test_docs = set(fold["test_docs"])
        assert not test_docs & set(fold["train_docs"])
        for groups in seen[k * searches_per_fold:(k + 1) * searches_per_fold]:
            assert not groups & test_docs, (fold["fold"], groups, test_docs)
    held_out = [d for f in result["folds"] for d in f["test_docs"]]
    assert sorted(held_out) == sorted({r["doc"] for r in DATA})


def test_cv_scores_every_system_on_the_same_pairs(cv_result):
    result, _ = cv_result
    n = sum(len(r["stances"]) for r in DATA)
    for system in ("model", "old_settings", "no_target_marking", "keyword_rule", "majority"):
        assert result["stance"][system]["n_pairs"] == n
    assert result["claim"]["n"] == len(DATA)
    assert [p["fraction"] for p in result["learning_curve"]["points"]] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert result["errors"], "a model trained on 12 sentences gets some pairs wrong"
    for e in result["errors"]:
        assert e["gold"] != e["predicted"] and 0 <= e["probability"] <= 1


@pytest.mark.slow
def test_cv_is_deterministic(cv_result):
    result, _ = cv_result
    again = cross_validate(DATA, folds=3, seed=0, n_jobs=2, explain_top=3)
    assert again["stance"] == result["stance"]
    assert again["learning_curve"] == result["learning_curve"]


def test_reports_are_written_and_well_formed(cv_result, tmp_path):
    result, _ = cv_result
    provenance = {"data_files": [{"path": "x.jsonl", "sha256": "ab" * 32, "sentences": 18,
                                  "documents": 6, "pairs": 44}], "seed": 0, "date": "today"}
    write_reports(result, provenance, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "evaluation.html", "evaluation.md", "figures", "metrics.json"]
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["provenance"]["seed"] == 0 and metrics["stance"] == result["stance"]

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.imgs, self.tags = [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag == "img":
                self.imgs.append(dict(attrs)["src"])

    page = Collect()
    page.feed((tmp_path / "evaluation.html").read_text(encoding="utf-8"))
    figures = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert figures == ["confusion.png", "learning_curve.png", "per_label_f1.png",
                       "reliability.png"]
    assert len(page.imgs) == 4 and all(s.startswith("data:image/png;base64,") for s in page.imgs)
    assert "table" in page.tags
    md = (tmp_path / "evaluation.md").read_text(encoding="utf-8")
    assert "## Headline: stance toward each actor" in md
    assert all(f"figures/{name}" in md for name in figures)
    assert "x.jsonl" in md and "## Error analysis" in md


def test_outer_splits_checks():
    with pytest.raises(StanceError, match="at least 3 documents, found 2"):
        outer_splits([{"doc": "a"}, {"doc": "b"}], None)
    with pytest.raises(StanceError,
                       match=r"--folds must be between 2 and the number of documents \(3\)"):
        outer_splits([{"doc": d} for d in "abc"], 5)
    splits = outer_splits([{"doc": d} for d in "aabc"], None, only_docs=["a"])
    assert splits == [([2, 3], [0, 1])]


def test_keyword_rule_baseline():
    rule = KeywordRule()
    pairs = [Pair("Syria accused Turkey of arming rebels.", "TUR",
                  ((0, 5, "SYR"), (14, 20, "TUR"), (31, 37, "REB"))),
             Pair("Iraq and Syria agreed to cooperate.", "IRQ", ((0, 4, "IRQ"), (9, 14, "SYR"))),
             Pair("Iraq is a country.", "IRQ", ((0, 4, "IRQ"),))]
    assert rule.predict(pairs) == ["accusation", "cooperation", "none"]


MANIFEST = {d: ManifestRow(d, None, c, r, "wire", None)
            for d, c, r in [("a", "x", "R1"), ("d", "x", "R1"), ("b", "y", "R1"),
                            ("e", "y", "R1"), ("c", "z", "R2"), ("f", "z", "R2")]}


def test_leave_one_conflict_out(tmp_path):
    result = cross_validate(DATA, folds=None, seed=0, n_jobs=1, explain_top=1,
                            group_by="conflict", manifest=MANIFEST)
    assert result["splitter"] == "leave-one-conflict-out"
    assert [f["test_groups"] for f in result["folds"]] == [["x"], ["y"], ["z"]]
    for f in result["folds"]:  # nothing of the held-out conflict in training
        held = {d for d, row in MANIFEST.items() if row.conflict in f["test_groups"]}
        assert not held & set(f["train_docs"]) and set(f["test_docs"]) == held
    assert [g["group"] for g in result["per_conflict"]] == ["x", "y", "z"]
    assert sum(g["pairs"] for g in result["per_conflict"]) == result["stance"]["model"]["n_pairs"]
    assert 0 <= result["calibration"]["ece"] <= 1
    curve = result["learning_curve"]
    assert curve["by"] == "conflict" and [p["groups"] for p in curve["points"]] == [1, 2]
    write_reports(result, {"seed": 0}, tmp_path)
    md = (tmp_path / "evaluation.md").read_text(encoding="utf-8")
    assert "## Per conflict" in md and "## Calibration" in md
    with pytest.raises(StanceError, match="no conflict for 1 document of the data: f"):
        cross_validate(DATA, group_by="conflict",
                       manifest={k: v for k, v in MANIFEST.items() if k != "f"})
