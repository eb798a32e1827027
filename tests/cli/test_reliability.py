"""One test per failure of the reliability issue (#15): bounded --jobs, clean
interrupts, one-line errors, validated input, honest artefacts, safe models.

Each test names the row of the issue it covers.  In-process where possible
(the ``stance`` fixture); SIGTERM needs a real process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance.cli._options import cpu_count

from .._shared import ROOT

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
