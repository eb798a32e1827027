"""`stance evaluate`, in-process: modes, refusals, report files."""

from __future__ import annotations

import json

from .._shared import ROOT


def test_test_mode_refuses_unknown_labels_and_actors_with_validator_messages(stance, tmp_path):
    bad = tmp_path / "bad.jsonl"
    good = json.loads((ROOT / "annotations" / "seeds.jsonl").read_text(encoding="utf-8")
                      .splitlines()[0])
    lines = [dict(good, stances={"XYZ": "none"}), dict(good, id=good["id"][:-1] + "1",
                                                      stances={"SYR": "friendly"})]
    bad.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    proc = stance("evaluate", "--test", str(bad), "--out", str(tmp_path / "r"))
    assert proc.returncode == 1
    err = proc.stderr.splitlines()
    assert err[0].startswith("error: refusing to evaluate invalid data (")
    assert any(line.startswith(f"{bad}:1: error: ") and "XYZ" in line for line in err)
    assert any(line.startswith(f"{bad}:2: error: ") and "friendly" in line for line in err)
    assert not (tmp_path / "r").exists()


def test_test_mode_writes_reports(stance, tmp_path):
    out = tmp_path / "r"
    proc = stance("evaluate", "--test", "annotations/seeds.jsonl", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("| system | macro-F1 (cooperation, hostility, accusation)")
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["mode"] == "test"
    assert metrics["provenance"]["model_sha256"] == json.loads(
        (ROOT / "models" / "stance.json").read_text(encoding="utf-8"))["model_sha256"]
    assert metrics["provenance"]["data_files"][0]["sentences"] == 97


def test_end_to_end_scores_actor_detection(stance, tmp_path):
    out = tmp_path / "r"
    proc = stance("evaluate", "--test", "annotations/seeds.jsonl", "--end-to-end",
                  "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    m = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    d = m["actor_detection"]
    assert d["gold_pairs"] == 207 and m["sentences"]["aligned"] == 97
    assert d["missed"] == len(d["missed_pairs"]) and d["spurious"] == len(d["spurious_pairs"])


def test_usage_errors(stance):
    proc = stance("evaluate")
    assert proc.returncode == 2 and "one of the arguments --cv --test is required" in proc.stderr
    proc = stance("evaluate", "--cv", "--model", "m.joblib")
    assert (proc.returncode, proc.stderr) == (
        2, "error: --model and --end-to-end go with --test, not --cv\n")
    proc = stance("evaluate", "--test", "x.jsonl", "--folds", "3")
    assert (proc.returncode, proc.stderr) == (
        2, "error: --data, --folds and --only-docs-of go with --cv, not --test\n")
