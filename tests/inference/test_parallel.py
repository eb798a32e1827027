"""`stance predict --jobs N`: the same bytes as one process, bounded, clean on errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from stance.cli._options import cpu_count
from stance.inference import parallel

from .._shared import ROOT

CORES = cpu_count()
needs_two = pytest.mark.skipif(CORES < 2, reason="needs 2 cores")


@needs_two
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_jobs_2_is_byte_identical_to_jobs_1(stance, tmp_path, fmt, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 4096)  # many chunks, out of order
    one, two = tmp_path / "one", tmp_path / "two"
    args = ["predict", "seeds", "corpus", "--format", fmt]
    assert stance(*args, "-o", str(one)).returncode == 0
    proc = stance(*args, "--jobs", "2", "-o", str(two))
    assert proc.returncode == 0, proc.stderr
    assert one.read_bytes() == two.read_bytes()


@needs_two
def test_jobs_2_annotation_input_and_stdout(stance, tmp_path):
    src = [str(ROOT / "annotations" / "seeds.jsonl")]
    one = stance("predict", "--input", "annotations", *src)
    two = stance("predict", "--input", "annotations", *src, "--jobs", "-1")
    assert two.returncode == 0, two.stderr
    assert one.stdout == two.stdout and one.stdout.count("\n") == 97


@pytest.mark.parametrize("value", ["0", "-2", str(CORES + 1), "abc"])
def test_jobs_validated(stance, value):
    proc = stance("predict", "--text", "Iraq.", "--jobs", value)
    assert proc.returncode == 2  # argparse: the usage line, then one error line
    assert proc.stderr.strip().splitlines()[-1].startswith(
        "stance predict: error: argument --jobs: ")


@needs_two
def test_worker_error_is_one_line_and_no_output(stance, tmp_path):
    bad = tmp_path / "docs"
    bad.mkdir()
    (bad / "a.txt").write_text("Syria accused Turkey.\n", encoding="utf-8")
    (bad / "b.txt").write_bytes(b"\xff\xfe\x00")
    out = tmp_path / "out.jsonl"
    proc = stance("predict", str(bad), "--jobs", "2", "-o", str(out))
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {bad / 'b.txt'}: expected a UTF-8 text file")
    assert not out.exists() and os.listdir(tmp_path) == ["docs"]


@needs_two
def test_tampered_model_refused_before_workers_start(stance, tmp_path):
    model = tmp_path / "m.joblib"
    model.write_bytes((ROOT / "models" / "stance.joblib").read_bytes() + b"x")
    (tmp_path / "m.json").write_text((ROOT / "models" / "stance.json").read_text())
    proc = stance("predict", "seeds", "--jobs", "2", "--model", str(model))
    assert proc.returncode == 1 and "refusing to load: its sha256" in proc.stderr


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout
    return [int(x) for x in out.split()]


@needs_two
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_leaves_no_output_and_no_workers(tmp_path, sig):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (ROOT / "seeds" / "000_9173ccc0f2f1d5b4.txt").read_text(encoding="utf-8")
    for i in range(4000):  # about 64,000 sentences: still running when the signal comes
        (docs / f"d{i:04d}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "stance", "predict", str(docs), "--jobs",
                             "2", "-o", str(out)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_all_descendants(proc.pid)) < 2:
        time.sleep(0.2)
    workers = _all_descendants(proc.pid)
    assert workers, "no worker processes started"
    time.sleep(0.5)
    assert proc.poll() is None, "finished before the signal: make the input larger"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    status, message = (130, "interrupted") if sig == signal.SIGINT else (143, "terminated")
    assert proc.returncode == status, err
    assert err.strip().splitlines()[-1] == f"error: {message}"
    assert sorted(os.listdir(tmp_path)) == ["docs"]  # no output, no temporary file
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers), "orphan worker processes"


def _all_descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        found += kids
        todo += kids
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
