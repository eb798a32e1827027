"""One test per failure of the reliability issue (#15): bounded --jobs, clean
interrupts, one-line errors, validated input, honest artefacts, safe models.

Each test names the row of the issue it covers.  In-process where possible
(the ``stance`` fixture); SIGTERM needs a real process.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance.cli._options import cpu_count

from .._shared import RECORDS, ROOT, SHIPPED_MODEL

STANCE = [sys.executable, "-m", "stance"]


def _usage_error(proc, option: str, message: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines()[-1].endswith(f"error: argument {option}: {message}")


# --- 1. unbounded --jobs ---------------------------------------------------------------


@pytest.mark.parametrize("command", [["train"], ["evaluate", "--cv"]])
@pytest.mark.parametrize("value", ["1000", "0", "-5"])
def test_1_jobs_out_of_range_is_a_usage_error(stance, command, value):
    proc = stance(*command, "--jobs", value)
    _usage_error(proc, "--jobs", f"must be 1 to {cpu_count()} (the CPUs of this machine) "
                                 f"or -1 for all, found {value}")


# --- 3. SIGTERM ------------------------------------------------------------------------


def _process_group(pgid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[2]) == pgid:
                found.append(int(entry))
    return found


def _shm_of(pid: int) -> list[str]:
    return [n for n in os.listdir("/dev/shm")
            if n.startswith((f"sem.loky-{pid}-", f"joblib_memmapping_folder_{pid}_"))]


def _wait_until(check, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


@pytest.mark.skipif(not Path("/proc").is_dir() or not Path("/dev/shm").is_dir(),
                    reason="needs Linux /proc and /dev/shm")
@pytest.mark.slow
def test_3_sigterm_mid_train_stops_workers_and_cleans_dev_shm(tmp_path):
    out = tmp_path / "m.joblib"
    proc = subprocess.Popen([*STANCE, "train", "--out", str(out), "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    # Wait for the worker processes of the grid search.
    assert _wait_until(lambda: len(_process_group(proc.pid)) > 2, 120), "no workers started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert err.splitlines()[-1] == "error: terminated"
    assert _wait_until(lambda: not _process_group(proc.pid), 15), _process_group(proc.pid)
    assert _wait_until(lambda: not _shm_of(proc.pid), 15), _shm_of(proc.pid)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_3_sigterm_during_predict_output_keeps_the_old_file(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    proc = subprocess.Popen([*STANCE, "predict", "-", "-o", str(out)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # The temporary file beside the output appears once the model is loaded and
    # the command waits for stdin.
    assert _wait_until(lambda: len(list(tmp_path.iterdir())) == 2, 60)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err) == (143, "error: terminated\n")
    assert list(tmp_path.iterdir()) == [out]
    assert out.read_text(encoding="utf-8") == "old\n"


# --- 2. quadratic time on long lines ---------------------------------------------------


def test_2_long_line_is_split_with_a_warning_and_predicted_in_linear_time(stance, tmp_path):
    from stance.text.segment import MAX_SENTENCE_CHARS

    words = "Damascus accused Ankara of arming the rebels and Turkey denied it "
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text(words * 1500, encoding="utf-8")  # about 100 kB, no line break
    large.write_text(words * 6000, encoding="utf-8")  # four times as long
    times = []
    for path in (small, large):
        started = time.perf_counter()
        proc = stance("predict", str(path))
        times.append(time.perf_counter() - started)
        assert proc.returncode == 0, proc.stderr
        length = len(path.read_text(encoding="utf-8").strip())
        assert proc.stderr == (f"warning: {path}: a sentence of {length} characters at offset 0 "
                               f"is longer than {MAX_SENTENCE_CHARS} characters: split at "
                               "whitespace\n")
    assert max(len(line) for line in proc.stdout.splitlines()) < 20 * MAX_SENTENCE_CHARS
    # Linear: four times the text takes about four times as long (quadratic: 16).
    assert times[1] < 8 * times[0] + 1.0, times


def test_2_cue_features_are_linear_in_targets_and_cues():
    from stance.ml.cues import CUE_CLASSES, default_cues
    from stance.ml.features import _cue_row

    lexicon = tuple((k, tuple(default_cues()[k])) for k in CUE_CLASSES)
    unit = "xtargetx accused attacked agreed not said "
    started = time.perf_counter()
    row = _cue_row(unit * 20000, 4, lexicon)  # 20,000 targets, 80,000 cues
    assert time.perf_counter() - started < 10
    assert row == _cue_row(unit * 3, 4, lexicon)


# --- 5. silently accepted input --------------------------------------------------------


def test_5_bare_read_more_line_is_furniture(stance, tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text("Syria accused Turkey of arming rebels.\nREAD MORE\n", encoding="utf-8")
    proc = stance("segment", str(doc), "--format", "text", "--show-furniture")
    assert proc.returncode == 0, proc.stderr
    assert "READ MORE" in proc.stdout and "read-more" in proc.stdout
    proc = stance("segment", str(doc))
    assert [line for line in proc.stdout.splitlines() if "READ MORE" in line] == []


# --- shared tiny data: documents and valid annotation files ----------------------------


def write_data(tmp_path: Path, records: list[dict], name: str = "data.jsonl"
               ) -> tuple[Path, Path]:
    """Documents (one per doc, a sentence per line) and an annotation file with
    matching offsets; returns (annotation file, docs folder)."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    texts: dict[str, str] = {}
    out = []
    for rec in records:
        text = texts.get(rec["doc"], "")
        start = len(text)
        texts[rec["doc"]] = text + rec["text"] + "\n"
        out.append({**rec, "start": start, "end": start + len(rec["text"])})
    for doc, text in texts.items():
        (docs / f"{doc}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    return path, docs


def _all_claims(value: bool) -> list[dict]:
    return [{**r, "claim": value, "source": None} for r in RECORDS]


# --- 4. tracebacks instead of one-line errors ------------------------------------------


@pytest.mark.parametrize("command,target", [
    (["segment", "seeds", "-o"], "out.jsonl"),
    (["predict", "--text", "Iraq and Syria agreed.", "-o"], "out.jsonl"),
    (["agreement", "annotations/passes/seeds.A.jsonl", "annotations/passes/seeds.B.jsonl",
      "-o"], "out.txt"),
    (["train", "--out"], "m.joblib"),
    (["evaluate", "--cv", "--out"], "reports"),
])
def test_4_read_only_output_is_one_line_error_before_work(stance, tmp_path, monkeypatch,
                                                           command, target):
    import stance.io.atomic as atomic

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", read_only)
    out = tmp_path / target
    proc = stance(*command, str(out))
    assert (proc.returncode, proc.stderr) == (1, f"error: {out}: cannot write: Read-only file "
                                                 "system\n")


@pytest.mark.parametrize("value", [True, False])
def test_4_train_refuses_one_class_claims(stance, tmp_path, value):
    data, docs = write_data(tmp_path, _all_claims(value))
    word = "true" if value else "false"
    message = (f"error: training needs sentences with claim true and claim false; every one "
               f"of the 9 sentences has claim {word}\n")
    proc = stance("train", "--data", str(data), "--docs", str(docs),
                  "--out", str(tmp_path / "m.joblib"), "--jobs", "1")
    assert (proc.returncode, proc.stderr.splitlines(keepends=True)[-1]) == (1, message)
    proc = stance("evaluate", "--cv", "--data", str(data), "--docs", str(docs),
                  "--out", str(tmp_path / "r"), "--jobs", "1")
    assert (proc.returncode, proc.stderr) == (1, message)


def test_4_validate_reports_data_that_cannot_train(stance, tmp_path):
    data, docs = write_data(tmp_path, _all_claims(True))
    proc = stance("validate", str(data), "--docs", str(docs))
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[-1] == (
        f"{data}: warning: cannot train a model on this data: training needs sentences with "
        "claim true and claim false; every one of the 9 sentences has claim true")


@pytest.mark.parametrize("command", [["train"], ["network", "x.jsonl"], ["annotate", "x"]])
@pytest.mark.parametrize("value", ["-1", str(2**32)])
def test_4_seed_out_of_range_is_a_usage_error(stance, command, value):
    _usage_error(stance(*command, "--seed", value), "--seed",
                 f"must be 0 to 4294967295, found {value}")


def test_4_jobs_zero_is_a_usage_error_not_a_traceback(stance):
    proc = stance("evaluate", "--cv", "--jobs", "0")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_4_model_pointing_at_a_folder(stance, tmp_path):
    proc = stance("predict", "--model", str(tmp_path), "--text", "Iraq and Syria agreed.")
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {tmp_path}: expected a model file (.joblib or .skops), found a folder\n")


def test_4_evaluate_test_on_an_empty_file(stance, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    proc = stance("evaluate", "--test", str(empty), "--out", str(tmp_path / "r"))
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {empty}: no annotation records to evaluate\n")


def test_4_folds_1_is_a_usage_error(stance):
    _usage_error(stance("evaluate", "--cv", "--folds", "1"), "--folds",
                 "must be at least 2, found 1")


def test_4_bad_json_in_prediction_input_is_one_clean_line(stance, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Iraq", "stances": {}}\n\n{"text": "Iraq"\n', encoding="utf-8")
    proc = stance("predict", "--input", "annotations", str(src))
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {src}:3: not valid JSON: Expecting ',' delimiter at column 16\n")


def test_4_version_skew_warning_is_one_line(stance, tmp_path):
    import shutil

    model = tmp_path / "m.joblib"
    shutil.copy(SHIPPED_MODEL, model)
    card = json.loads(SHIPPED_MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    card["versions"]["scikit-learn"] = "0.0"
    model.with_suffix(".json").write_text(json.dumps(card), encoding="utf-8")
    proc = stance("predict", "--model", str(model), "--text", "Iraq and Syria agreed.")
    assert proc.returncode == 0
    import sklearn

    assert proc.stderr == (f"warning: {model} was trained with scikit-learn 0.0, this is "
                           f"{sklearn.__version__}: predictions may differ; retrain to be sure\n")


# --- 5. silently accepted input --------------------------------------------------------


@pytest.mark.parametrize("record,message", [
    ({"text": "Iraq", "stances": {"IRQ": "angry"}},
     "stances: label for 'IRQ' must be one of cooperation, hostility, accusation, none or "
     "null, found string \"angry\""),
    ({"text": "Iraq"}, "missing field 'stances' (the actors to judge, {actor: label or null})"),
    ({"text": "Iraq", "start": 0, "end": 9, "stances": {}},
     "offsets [0:9] span 9 characters but 'text' has 4"),
])
def test_5_prediction_input_errors_stop_predict(stance, tmp_path, record, message):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    proc = stance("predict", "--input", "annotations", str(src))
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", f"error: {src}:1: {message}\n")


def test_5_unknown_actors_warned_once_with_a_count(stance, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": f"Xyzland spoke {i}.", "stances": {"XYZ": None}})
                           + "\n" for i in range(3)), encoding="utf-8")
    proc = stance("predict", "--input", "annotations", str(src))
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 3
    assert proc.stderr == (f"warning: {src}: 3 records: stances for actors the model's actor "
                           "dictionary does not know (XYZ); first on line 1\n")


def test_5_empty_prediction_input_is_an_error(stance, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n", encoding="utf-8")
    proc = stance("predict", "--input", "annotations", str(src))
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {src}: expected annotation records, found none\n")


@pytest.mark.parametrize("args,message", [
    (["segment", "seeds", "--show-furniture"],
     "--show-furniture lists dropped lines in the text listing: add --format text"),
    (["predict", "seeds", "--text", "Iraq and Syria agreed."],
     "give PATH... or --text, not both (found seeds and --text)"),
    (["segment", "-", "-"], "- (stdin) given more than once: stdin can be read only once"),
])
def test_5_ignored_options_are_usage_errors(stance, args, message):
    proc = stance(*args, stdin="Iraq and Syria agreed.\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"error: {message}\n")


# --- 6. shipped artefacts --------------------------------------------------------------


def test_6_evaluate_test_writes_its_own_folder_and_refuses_to_mix(stance, tmp_path):
    data, docs = write_data(tmp_path, list(RECORDS))
    proc = stance("evaluate", "--test", str(data), "--docs", str(docs), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "reports" / "test" / "metrics.json").is_file()
    assert not (tmp_path / "reports" / "metrics.json").exists()
    proc = stance("evaluate", "--test", str(data), "--docs", str(docs), "--end-to-end",
                  "--out", "reports/test", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (
        2, "error: reports/test: holds a held-out test report (reports/test/metrics.json); "
           "refusing to mix an end-to-end test report into it: give another --out\n")


def test_6_warns_when_test_data_is_the_models_training_data(stance, tmp_path):
    proc = stance("evaluate", "--test", "annotations/seeds.jsonl", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0] == (
        "warning: annotations/seeds.jsonl is one of the model's training files (same sha256 "
        "as in its card): these scores are not held-out")


# --- 7. shared models run code ---------------------------------------------------------


def test_7_skops_model_round_trips_with_identical_predictions(stance, tmp_path):
    out = tmp_path / "shared.skops"
    proc = stance("export-model", str(out))
    assert proc.returncode == 0, proc.stderr
    card = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["format"] == "skops" and card["model_file"] == "shared.skops"
    text = "Damascus accused Ankara of arming the rebels."
    shared = stance("predict", "--model", str(out), "--text", text)
    local = stance("predict", "--text", text)
    assert shared.returncode == 0 and shared.stdout == local.stdout


def test_7_skops_model_with_an_untrusted_type_is_refused_with_the_list(stance, tmp_path):
    import collections
    import zipfile

    import skops.io as sio

    from stance.ml.persistence import sha256_bytes

    out = tmp_path / "crafted.skops"
    data = sio.dumps({"format": "stance-skops/1", "model": collections.OrderedDict(a=1),
                      "evil": collections.Counter("ab")}, compression=zipfile.ZIP_DEFLATED)
    out.write_bytes(data)
    out.with_suffix(".json").write_text(json.dumps({"model_sha256": sha256_bytes(data)}),
                                        encoding="utf-8")
    proc = stance("predict", "--model", str(out), "--text", "Iraq and Syria agreed.")
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {out}: refusing to load: it contains types that are not on stance's list "
           "of trusted types: collections.Counter\n")


@pytest.mark.slow
def test_6_shipped_model_is_what_train_produces_from_the_shipped_data(tmp_path):
    from stance.annotations import read_annotations
    from stance.ml.persistence import load_model, versions

    out = tmp_path / "stance.joblib"
    # A fresh process, as a user runs it: `stance train` with every default.
    proc = subprocess.run([*STANCE, "train", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    shipped_card = json.loads(SHIPPED_MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    fresh_card = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    volatile = {"created", "model_file", "versions", "model_sha256", "training_seconds"}
    fresh = {k: v for k, v in fresh_card.items() if k not in volatile}
    shipped = {k: v for k, v in shipped_card.items() if k not in volatile}
    if shipped_card["versions"] == versions():  # same pinned stack and BLAS kernel: same bytes
        assert fresh == shipped
        assert fresh_card["model_sha256"] == shipped_card["model_sha256"], \
            "models/stance.joblib is not what `stance train` produces: retrain and commit it"
        return
    # Another stack or CPU kernel: the solver's iterations differ in the last digits,
    # so: the same settings and data, card figures within 0.005, the same decisions on
    # (nearly) every pair and probabilities within 0.02.
    assert _close(fresh, shipped), (fresh, shipped)
    records = [r for f in ("annotations/seeds.jsonl", "annotations/corpus.jsonl",
                           "annotations/world.jsonl") for r in read_annotations(ROOT / f)]
    old = load_model(SHIPPED_MODEL).predict_records(records, actors_from="stances")
    new = load_model(out).predict_records(records, actors_from="stances")
    pairs = [(a["stances"][k], b["stances"][k], a["probabilities"][k], b["probabilities"][k])
             for a, b in zip(old, new, strict=True) for k in a["stances"]]
    assert sum(x != y for x, y, _, _ in pairs) <= len(pairs) // 500
    assert max(abs(p[lab] - q[lab]) for _, _, p, q in pairs for lab in p) < 0.02
    assert sum(a["claim"] != b["claim"] or a["source"] != b["source"]
               for a, b in zip(old, new, strict=True)) <= len(records) // 500


def _close(a, b, tol: float = 0.005) -> bool:
    """Card values equal, floats within ``tol`` (another BLAS kernel's last digits)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tol
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tol) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, tol) for x, y in zip(a, b, strict=True))
    return a == b


def test_6_readme_feature_table_matches_the_shipped_card():
    card = json.loads(SHIPPED_MODEL.with_suffix(".json").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for family, row in card["stance"]["feature_family_ablation"].items():
        label = family if family != "target id token" else \
            "target id token (which actor is the target)"
        assert f"| {label} | {row['with']:.3f} | {row['without']:.3f} |" in readme, family


def test_6_make_demo_writes_only_to_an_ignored_folder():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "--out reports" not in demo and "update_readme" not in demo
    assert "$(DEMO)" in demo and "build/" in (ROOT / ".gitignore").read_text(encoding="utf-8")


# --- 8. default paths ------------------------------------------------------------------


def test_8_validate_from_another_folder_finds_the_default_documents(stance, tmp_path):
    proc = stance("validate", str(ROOT / "annotations" / "seeds.jsonl"), cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "1 file: 0 errors, 0 warnings\n")
    missing = tmp_path / "m.jsonl"
    missing.write_text(json.dumps({"id": "nope:0", "doc": "nope", "start": 0, "end": 4,
                                   "text": "Iraq", "claim": False, "source": None,
                                   "stances": {"IRQ": "none"}}) + "\n", encoding="utf-8")
    proc = stance("validate", str(missing), cwd=tmp_path)
    assert proc.stdout.splitlines()[0] == (
        f"{missing}:1: error: document 'nope' not found: looked for nope.txt in "
        f"{ROOT / 'seeds'}, {ROOT / 'corpus'} (the default folders; give --docs DIR)")
