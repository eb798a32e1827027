"""The README's quick start and Python examples stay true."""

from __future__ import annotations

import re

from ._shared import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_python_examples_run(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    blocks = python_blocks()
    assert len(blocks) == 2
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "000_9173ccc0f2f1d5b4:0" in out
    assert "'label':" in out


def test_quick_start_is_the_two_make_commands():
    section = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(make \w+)", section, flags=re.M)
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_headline_matches_metrics_json():
    """The README's headline is regenerated from the reports' metrics.json (in-conflict,
    leave-one-conflict-out, leave-one-region-out), never hand-copied."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "update_readme.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    import json

    headline = README.split("<!-- headline:start -->", 1)[1].split("<!-- headline:end -->")[0]
    for folder, splitter in (("reports", "grouped 5-fold"),
                             ("reports/transfer/conflict", "leave-one-conflict-out"),
                             ("reports/transfer/region", "leave-one-region-out")):
        metrics = json.loads((ROOT / folder / "metrics.json").read_text(encoding="utf-8"))
        assert metrics["splitter"] == splitter
        model = metrics["stance"]["model"]
        low, high = model["ci95"]["macro_f1_stance"]
        assert f"{model['macro_f1_stance']:.3f} [{low:.3f}, {high:.3f}]" in headline


def test_committed_reports_were_computed_on_the_shipped_annotations():
    """A report (and so the README's headline) goes stale when the annotations change:
    every committed cross-validation report names the sha256 of the files it ran on."""
    import hashlib
    import json

    for folder in ("reports", "reports/transfer/conflict", "reports/transfer/region"):
        metrics = json.loads((ROOT / folder / "metrics.json").read_text(encoding="utf-8"))
        used = {f["path"]: f["sha256"] for f in metrics["provenance"]["data_files"]}
        shipped = {path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest()
                   for path in used}
        assert used == shipped, f"{folder}: run `make reports`"
        assert sorted(used) == ["annotations/corpus.jsonl", "annotations/seeds.jsonl",
                                "annotations/world.jsonl"]
