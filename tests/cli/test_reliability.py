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
