"""`stance segment` in-process, plus the two subprocess checks: the console script
and running with no nltk data and no network."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from stance import __version__
from stance.cli import COMMANDS

from .._shared import ROOT


def test_segment_seeds_jsonl(stance):
    proc = stance("segment", "seeds")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 97
    assert {r["doc"] for r in records} == {p.stem for p in (ROOT / "seeds").glob("*.txt")}
    first = records[0]
    assert set(first) == {"id", "doc", "start", "end", "text", "mentions"}
    assert first["id"] == "000_9173ccc0f2f1d5b4:0"
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")}
    for r in records:
        assert texts[r["doc"]][r["start"]:r["end"]] == r["text"]
        for m in r["mentions"]:
            assert texts[r["doc"]][m["start"]:m["end"]] == m["text"]


def test_segment_stdin_and_text_format(stance):
    proc = stance("segment", "-", "--format", "text", "--doc-id", "demo",
                  stdin="Damascus accused Ankara of arming the rebels.\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "# demo (-): 1 lines, 1 sentences, 0 furniture lines dropped",
        "   0 [0:45] Damascus accused Ankara of arming the rebels.",
        "       actors: SYR='Damascus', TUR='Ankara', REB='rebels'",
    ]


def test_segment_output_file(stance, tmp_path):
    out = tmp_path / "s.jsonl"
    proc = stance("segment", "seeds/000_9173ccc0f2f1d5b4.txt", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert len(out.read_text(encoding="utf-8").splitlines()) == 16


def test_bad_file_one_line_error_and_output_untouched(stance, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Syria \xff said")
    out = tmp_path / "s.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    proc = stance("segment", "seeds/000_9173ccc0f2f1d5b4.txt", str(bad), "-o", str(out))
    assert proc.returncode == 1
    assert proc.stderr == (f"error: {bad}: expected UTF-8 text, found byte 0xff that is not "
                           "valid UTF-8 at byte offset 6\n")
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(os.listdir(tmp_path)) == ["bad.txt", "s.jsonl"]


def test_empty_and_binary_files(stance, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"\n\n")
    proc = stance("segment", str(tmp_path / "empty.txt"))
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {tmp_path}/empty.txt: expected a document, found an empty file\n")
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = stance("segment", str(tmp_path / "bin.txt"))
    assert proc.returncode == 1
    assert "found binary data (NUL byte)" in proc.stderr and "Traceback" not in proc.stderr


def test_usage_errors_exit_2(stance):
    proc = stance("segment")
    assert proc.returncode == 2
    assert "the following arguments are required: PATH" in proc.stderr
    proc = stance("segment", "seeds", "--format", "xml")
    assert proc.returncode == 2


def test_malformed_actor_dictionary(stance, tmp_path):
    p = tmp_path / "a.toml"
    p.write_text('[actors.EGY]\naliases = []\n', encoding="utf-8")
    proc = stance("segment", "seeds", "--actors", str(p))
    assert (proc.returncode, proc.stderr) == (
        1, f"error: {p}:1: actor 'EGY': 'aliases' must be a non-empty list of strings, "
           "found list\n")


def test_help_for_every_command(stance):
    proc = stance("--help")
    assert proc.returncode == 0
    names = [module.__name__.rsplit(".", 1)[1].replace("_", "-") for module in COMMANDS]
    assert names == ["segment", "validate", "agreement", "train", "predict", "evaluate",
                     "network", "annotate", "convert", "actors", "export-model"]
    for name in names:
        assert re.search(rf"^ +{name}\b", proc.stdout, flags=re.M), name
        sub = stance(name, "--help")
        assert sub.returncode == 0, name
        assert sub.stdout.startswith(f"usage: stance {name} "), name
        assert "--help" in sub.stdout and sub.stderr == "", name


def test_console_script_and_version():
    """The installed `stance` script (a real subprocess) runs main."""
    script = Path(sys.executable).with_name("stance")
    proc = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert (proc.returncode, proc.stdout) == (0, f"stance {__version__}\n")


NO_NETWORK = """
import socket
def _refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = _refuse
socket.create_connection = _refuse
"""


def test_no_nltk_data_and_no_network_needed(tmp_path):
    """Runs with an empty NLTK_DATA and every socket connection refused."""
    (tmp_path / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    proc = subprocess.run([sys.executable, "-m", "stance", "segment", str(ROOT / "seeds")],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 97
    assert list(empty.iterdir()) == []
