"""`stance predict --dask`: a LocalCluster of 2 worker processes on 127.0.0.1.

The parts, concatenated, are the bytes `stance predict --jobs 1` writes; a rerun
skips finished parts and recomputes missing or changed ones.
"""

from __future__ import annotations

import json
import shutil

import pytest

from .._shared import ROOT

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as lc:
        yield lc.scheduler_address


def _parts(outdir):
    return sorted(outdir.glob("part-*.jsonl"))


def _joined(outdir) -> bytes:
    return b"".join(p.read_bytes() for p in _parts(outdir))


def test_dask_parts_equal_single_process_and_resume(stance, tmp_path, cluster):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "seeds", docs)
    single = stance("predict", str(docs))
    assert single.returncode == 0, single.stderr
    out = tmp_path / "out"
    args = ["predict", str(docs), "--dask", cluster, "-o", str(out), "--partition-docs", "2"]
    proc = stance(*args)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in _parts(out)] == ["part-00000.jsonl", "part-00001.jsonl",
                                             "part-00002.jsonl"]
    assert (out / "_SUCCESS").exists()
    assert _joined(out) == single.stdout.encode()
    manifest = json.loads((out / "_parts.json").read_text(encoding="utf-8"))
    assert len(manifest["parts"]) == 3 and manifest["model_sha256"]
    assert not list(out.glob(".*tmp"))

    # Resume: a missing part is recomputed, the others are left as they are.
    stamps = {p.name: p.stat().st_mtime_ns for p in _parts(out)}
    (out / "part-00001.jsonl").unlink()
    (out / "_SUCCESS").unlink()
    proc = stance(*args)
    assert proc.returncode == 0, proc.stderr
    assert "3 parts, 2 already done, 1 to predict" in proc.stderr
    assert _joined(out) == single.stdout.encode()
    assert (out / "part-00000.jsonl").stat().st_mtime_ns == stamps["part-00000.jsonl"]
    assert (out / "_SUCCESS").exists()

    # A changed input is not skipped: its part is predicted again.
    last = sorted(docs.glob("*.txt"))[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\nIran accused Israel.\n",
                    encoding="utf-8")
    proc = stance(*args)
    assert "3 parts, 2 already done, 1 to predict" in proc.stderr
    assert _joined(out) == stance("predict", str(docs)).stdout.encode()


def test_dask_reads_documents_with_their_date_and_country(stance, tmp_path, cluster):
    """--manifest, --date and --country reach the workers: parts equal one process."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = "Rebels shelled the capital, the defence ministry said.\n"
    for name in ("a", "b", "c"):
        (docs / f"{name}.txt").write_text(text + "Putin met Obama in Geneva.\n",
                                          encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("doc,date,conflict,region,outlet_style,country\n"
                        "a,2015-06-01,x,Europe,wire,UKR\nb,2012-03-01,y,Asia,wire,AFG\n",
                        encoding="utf-8")
    for options in (["--manifest", str(manifest)], ["--date", "2015-06-01", "--country", "MLI"]):
        single = stance("predict", str(docs), *options)
        assert single.returncode == 0, single.stderr
        out = tmp_path / f"out{len(options)}{options[0]}"
        proc = stance("predict", str(docs), *options, "--dask", cluster, "-o", str(out),
                      "--partition-docs", "1")
        assert proc.returncode == 0, proc.stderr
        assert _joined(out) == single.stdout.encode()
    plain = stance("predict", str(docs)).stdout
    with_manifest = stance("predict", str(docs), "--manifest", str(manifest)).stdout
    assert plain != with_manifest  # the context changes what the documents' actors are
    # A resume with another context does not reuse parts predicted without it.
    out = tmp_path / "resume"
    args = ["predict", str(docs), "--dask", cluster, "-o", str(out)]
    assert stance(*args).returncode == 0
    proc = stance(*args, "--country", "MLI")
    assert "0 already done" in proc.stderr


def test_dask_annotation_input(stance, tmp_path, cluster):
    src = str(ROOT / "annotations" / "seeds.jsonl")
    out = tmp_path / "out"
    proc = stance("predict", "--input", "annotations", src, "--dask", cluster, "-o", str(out),
                  "--partition-docs", "1")  # 32 records per part
    assert proc.returncode == 0, proc.stderr
    assert len(_parts(out)) == 4
    assert _joined(out) == stance("predict", "--input", "annotations", src).stdout.encode()


@pytest.mark.parametrize("args,message", [
    (["seeds", "--dask", "local"], "--dask writes part files into a folder"),
    (["--text", "Iraq.", "--dask", "local", "-o", "x"], "--dask reads files and folders"),
    (["seeds", "--dask", "local", "-o", "x", "--format", "csv"], "JSON Lines parts only"),
])
def test_dask_usage_errors(stance, args, message):
    proc = stance("predict", *args)
    assert proc.returncode == 2 and message in proc.stderr
