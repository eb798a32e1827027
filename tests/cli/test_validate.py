"""`stance validate`, in-process: exact output, messages and exit status."""

from __future__ import annotations

import json

from .._shared import ROOT

DOC = "Ankara accused Tehran of arming militants.\nIraq and Syria agreed to cooperate.\n"
GOOD = {"id": "d1:0", "doc": "d1", "start": 0, "end": 42,
        "text": "Ankara accused Tehran of arming militants.", "claim": True, "source": "TUR",
        "stances": {"TUR": "none", "IRN": "accusation"}, "evidence": "accused"}
SECOND = {"id": "d1:1", "doc": "d1", "start": 43, "end": 78,
          "text": "Iraq and Syria agreed to cooperate.", "claim": False, "source": None,
          "stances": {"IRQ": "cooperation", "SYR": "cooperation"}}


def setup(tmp_path, *lines):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "d1.txt").write_text(DOC, encoding="utf-8")
    path = tmp_path / f"a{len(list(tmp_path.glob('*.jsonl')))}.jsonl"
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                    encoding="utf-8")
    return docs, path


def test_valid_file_exit_0(stance, tmp_path):
    docs, path = setup(tmp_path, GOOD, SECOND)
    proc = stance("validate", str(path), "--docs", str(docs))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "1 file: 0 errors, 0 warnings\n")


def test_errors_and_warnings_exit_1(stance, tmp_path):
    docs, first = setup(tmp_path, GOOD, {**SECOND, "stances": {"IRQ": "ally"}}, "oops")
    _, second = setup(tmp_path, {**SECOND, "stances": {"IRQ": "cooperation"}})
    proc = stance("validate", str(first), str(second), "--docs", str(docs))
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"{first}:2: error: stances: label for 'IRQ' must be one of cooperation, hostility, "
        "accusation, none, found string \"ally\"",
        f"{first}:2: warning: actor SYR is named (\"Syria\") but has no stance",
        f"{first}:3: error: not valid JSON: Expecting value at column 1",
        f"{second}:1: warning: actor SYR is named (\"Syria\") but has no stance",
    ]
    assert proc.stderr == "2 files: 2 errors, 2 warnings\n"


def test_warnings_only_exit_0_and_quiet(stance, tmp_path):
    docs, path = setup(tmp_path, {**SECOND, "stances": {"IRQ": "cooperation"}})
    proc = stance("validate", str(path), "--docs", str(docs), "--quiet-warnings")
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        0, "", "1 file: 0 errors, 2 warnings (not shown)\n")  # + cannot train: one label


def test_missing_document_and_missing_file(stance, tmp_path):
    _, path = setup(tmp_path, {**GOOD, "id": "gone:0", "doc": "gone"})
    proc = stance("validate", str(path), str(tmp_path / "nope.jsonl"), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        f"{path}:1: error: document 'gone' not found: looked for gone.txt in "
        f"{ROOT / 'seeds'}, {ROOT / 'corpus'} (the default folders; give --docs DIR)",
        f"{tmp_path}/nope.jsonl: error: no such file",
    ]
    assert proc.stderr == "2 files: 2 errors, 0 warnings\n"


def test_bad_docs_folder_and_usage(stance, tmp_path):
    _, path = setup(tmp_path, GOOD)
    proc = stance("validate", str(path), "--docs", str(tmp_path / "nowhere"))
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        1, "", f"error: {tmp_path}/nowhere: expected a folder of documents, found nothing\n")
    proc = stance("validate")
    assert proc.returncode == 2
    assert "the following arguments are required: FILE" in proc.stderr

