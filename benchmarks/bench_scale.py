"""Benchmark of scaling `stance predict`: one core, several, a Dask cluster; memory; cold start.

Usage: python benchmarks/bench_scale.py [--n 20000] [--compare-src DIR] [--skip-10x]

Builds a corpus of about N sentences by copying the project's own documents
(seeds/ and corpus/, the world documents included, in turn; every line of
copy k starts with the word "Kk", so that no sentence repeats and no cache
is flattered) and reports, in one run on the same machine:

* single process: end-to-end `stance predict DIR -o FILE` (a subprocess,
  start-up and model loading included), sentences/s, and its ratio to the
  floor: a bare TF-IDF(1,2) + logistic-regression ``predict_proba`` on the
  same sentences (fitted on the annotated sentences' claim labels), timed
  in this process in batches of 4096;
* with ``--compare-src DIR`` (a checkout of an earlier version): the same
  end-to-end run with that source tree, for a before/after ratio;
* the stages end to end cannot skip, in this process: Punkt alone, and reading,
  segmentation and actor tagging, as sentences per CPU second and against the
  floor (an upper bound on the end-to-end ratio that no model work changes);
* ``--jobs 1`` and ``--jobs 2``: rates and speed-up, outputs compared byte for byte;
* Dask: a LocalCluster of 1 and of 2 single-threaded worker processes on
  127.0.0.1 (started before timing), `stance predict --dask ADDRESS -o DIR`,
  the parts concatenated and compared with the single-process output;
* peak resident memory (largest process) of `stance predict` (--jobs 1 and
  --jobs 2) at N and at 10 x N sentences;
* the parallel ceiling: the speed-up of two CPU-bound processes over one,
  measured before and after (2.0 on two idle cores; less when other jobs
  share the machine), to read the --jobs 2 and Dask figures against;
* cold start: `stance predict --text ...` against
  `python -c "import sklearn, joblib, nltk; joblib.load(model)"` (best of 5 each).

Ratios are what to compare: the machine is shared and absolute figures vary.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _measure import ROOT, run_measured

STANCE = [sys.executable, "-m", "stance"]
TEXT = "Damascus accused Ankara of arming the rebels."
MODEL = ROOT / "models" / "stance.joblib"


def build_corpus(folder: Path, n: int) -> int:
    """Copy seeds/ and corpus/ documents (renamed) into ``folder`` until about n sentences."""
    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "corpus").glob("*.txt"))
    per_doc: dict[str, int] = {}
    for name in ("seeds.jsonl", "corpus.jsonl", "world.jsonl"):
        with open(ROOT / "annotations" / name, encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)["doc"]
                per_doc[doc] = per_doc.get(doc, 0) + 1
    folder.mkdir(parents=True, exist_ok=True)
    written, copy = 0, 0
    while written < n:
        for src in sources:
            if written >= n:
                break
            # Each copy's lines start with a word of their own ("K12"), so that no
            # sentence repeats: a news archive does not, and caches must not flatter.
            lines = src.read_text(encoding="utf-8").split("\n")
            text = "\n".join(f"K{copy} {line}" if line.strip() else line for line in lines)
            (folder / f"k{copy:04d}_{src.name}").write_text(text, encoding="utf-8")
            written += per_doc.get(src.stem, 0)
        copy += 1
    return written


def floor_rate(texts: list[str]) -> float:
    """Sentences/s of a bare TF-IDF(1,2) + logistic regression predict_proba."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    train, labels = [], []
    for name in ("seeds.jsonl", "corpus.jsonl"):
        with open(ROOT / "annotations" / name, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                train.append(rec["text"])
                labels.append(int(bool(rec["claim"])))
    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                         LogisticRegression(max_iter=1000))
    pipe.fit(train, labels)
    best = float("inf")
    for _ in range(3):
        start = time.process_time()  # CPU time: the machine is shared
        for i in range(0, len(texts), 4096):
            pipe.predict_proba(texts[i:i + 4096])
        best = min(best, time.process_time() - start)
    return len(texts) / best


def stage_rates(folder: Path, texts: list[str]) -> dict[str, float]:
    """Sentences per CPU second, in this process (best of 3), of two stages that end
    to end cannot skip: Punkt's ``span_tokenize`` alone over the same sentences,
    and reading, segmenting (furniture, Punkt) and tagging actors over the
    documents: an upper bound on the end-to-end rate that no model work changes."""
    from stance.actors import load_actors
    from stance.actors.tagging import segment_records
    from stance.io.documents import iter_documents
    from stance.text.punkt import default_tokenizer

    tokenizer, actors = default_tokenizer(), load_actors()

    def best(work) -> float:
        times = []
        for _ in range(3):
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times)

    punkt = best(lambda: [list(tokenizer.span_tokenize(t)) for t in texts])
    count = [0]

    def segment_and_tag() -> None:
        count[0] = sum(len(recs) for _, recs in
                       segment_records(iter_documents([str(folder)]), actors))

    tagging = best(segment_and_tag)
    return {"punkt_alone_sentences_per_cpu_s": round(len(texts) / punkt, 1),
            "segment_and_tag_sentences_per_cpu_s": round(count[0] / tagging, 1)}


def joined_parts(outdir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(outdir.glob("part-*.jsonl")))


def dask_runs(folder: Path, tmp: Path, n: int, reference: bytes) -> dict[str, object]:
    from distributed import LocalCluster

    results: dict[str, object] = {}
    for workers in (1, 2):
        start = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster:
            results[f"dask_{workers}w_cluster_start_s"] = round(time.perf_counter() - start, 2)
            out = tmp / f"dask{workers}"
            seconds = run_measured([*STANCE, "predict", str(folder), "--dask",
                                    cluster.scheduler_address, "-o", str(out),
                                    "--partition-docs", "64"]).seconds
        results[f"dask_{workers}w_sentences_per_s"] = round(n / seconds, 1)
        results[f"dask_{workers}w_identical_to_jobs_1"] = joined_parts(out) == reference
    results["dask_2w_over_1w"] = round(results["dask_2w_sentences_per_s"]  # type: ignore[operator]
                                       / results["dask_1w_sentences_per_s"], 3)
    return results


def _burn(seconds: float) -> int:
    start, x = time.process_time(), 0
    while time.process_time() - start < seconds:
        x += 1
    return x


def parallel_ceiling() -> float:
    """The speed-up two CPU-bound processes get here now (2.0 on two idle cores): on a
    shared machine, what --jobs 2 and 2 Dask workers can reach at best."""
    import multiprocessing

    start = time.perf_counter()
    _burn(1.0)
    one = time.perf_counter() - start
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_burn, [1.0, 1.0])
    two = time.perf_counter() - start
    return 2 * one / two


def cold_start(model: Path) -> dict[str, float]:
    def best(cmd: list[str]) -> float:
        return min(run_measured(cmd).seconds for _ in range(5))

    ours = best([*STANCE, "predict", "--text", TEXT, "--model", str(model)])
    base = best([sys.executable, "-c",
                 f"import sklearn, joblib, nltk; joblib.load({str(model)!r})"])
    return {"cold_start_predict_text_s": round(ours, 3),
            "cold_start_import_sklearn_joblib_nltk_and_load_s": round(base, 3),
            "cold_start_ratio": round(ours / base, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="sentences (default 20000)")
    parser.add_argument("--compare-src", metavar="DIR",
                        help="also time end to end with this source tree (an earlier version)")
    parser.add_argument("--skip-10x", action="store_true", help="skip the 10 x N memory runs")
    parser.add_argument("--skip-dask", action="store_true", help="skip the Dask runs")
    args = parser.parse_args()
    results: dict[str, object] = {"cores": len(os.sched_getaffinity(0)),
                                  "parallel_ceiling_2_procs_before": round(parallel_ceiling(), 2)}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        folder = tmp / "small"
        build_corpus(folder, args.n)
        out1 = tmp / "jobs1.jsonl"
        cmd1 = [*STANCE, "predict", str(folder), "-o", str(out1)]
        seconds, rss, cpu1, _ = run_measured(cmd1)
        reference = out1.read_bytes()
        texts = [json.loads(line)["text"] for line in reference.decode().splitlines()]
        n = len(texts)
        results["sentences"] = n
        results["documents"] = len(list(folder.iterdir()))
        rate1 = n / seconds
        results["jobs_1_sentences_per_s"] = round(rate1, 1)
        results["peak_rss_mib_jobs_1_at_n"] = round(rss / 1024, 1)
        floor = floor_rate(texts)
        results["floor_tfidf12_logreg_sentences_per_s"] = round(floor, 1)
        results["jobs_1_over_floor"] = round(rate1 / floor, 3)
        cpu_rate1 = n / cpu1
        results["jobs_1_sentences_per_cpu_s"] = round(cpu_rate1, 1)
        results["jobs_1_cpu_over_floor_cpu"] = round(cpu_rate1 / floor, 3)
        stages = stage_rates(folder, texts)
        results.update(stages)
        for key, rate in stages.items():
            results[key.replace("_sentences_per_cpu_s", "_over_floor")] = round(rate / floor, 3)
        if args.compare_src:
            env = {**os.environ, "PYTHONPATH": str(Path(args.compare_src).resolve())}
            old = tmp / "old.jsonl"
            cmd_old = [*STANCE, "predict", str(folder), "-o", str(old), "--model", str(MODEL)]
            # cwd outside the project: `python -m` puts the cwd first on sys.path
            try:
                seconds_old, _, cpu_old_s, _ = run_measured(cmd_old, env=env, cwd=tmp)
            except subprocess.CalledProcessError:
                sys.exit(f"--compare-src {args.compare_src}: that code cannot predict with "
                         f"{MODEL} (an older tree may not know the model's feature classes)")
            cpu_old = n / cpu_old_s
            results["compare_src_sentences_per_cpu_s"] = round(cpu_old, 1)
            results["compare_src_cpu_over_floor_cpu"] = round(cpu_old / floor, 3)
            results["cpu_speedup_over_compare_src"] = round(cpu_rate1 / cpu_old, 3)
            results["compare_src_sentences_per_s"] = round(n / seconds_old, 1)
            results["compare_src_over_floor"] = round(n / seconds_old / floor, 3)
            results["compare_src_identical_output"] = old.read_bytes() == reference
            results["speedup_over_compare_src"] = round(seconds_old / seconds, 3)
        out2 = tmp / "jobs2.jsonl"
        seconds2, rss2, _, _ = run_measured([*STANCE, "predict", str(folder), "--jobs", "2",
                                             "-o", str(out2)])
        results["jobs_2_sentences_per_s"] = round(n / seconds2, 1)
        results["jobs_2_over_jobs_1"] = round(seconds / seconds2, 3)
        results["jobs_2_identical_to_jobs_1"] = out2.read_bytes() == reference
        results["peak_rss_mib_jobs_2_at_n"] = round(rss2 / 1024, 1)
        if not args.skip_dask:
            results.update(dask_runs(folder, tmp, n, reference))
        if not args.skip_10x:
            big = tmp / "big"
            build_corpus(big, 10 * args.n)
            rss10 = run_measured([*STANCE, "predict", str(big), "-o", str(tmp / "b1")]).rss_kib
            results["peak_rss_mib_jobs_1_at_10n"] = round(rss10 / 1024, 1)
            results["rss_jobs_1_10n_over_n"] = round(rss10 / rss, 3)
            rss10_2 = run_measured([*STANCE, "predict", str(big), "--jobs", "2", "-o",
                                    str(tmp / "b2")]).rss_kib
            results["peak_rss_mib_jobs_2_at_10n"] = round(rss10_2 / 1024, 1)
            results["rss_jobs_2_10n_over_n"] = round(rss10_2 / rss2, 3)
    results["parallel_ceiling_2_procs_after"] = round(parallel_ceiling(), 2)
    results.update(cold_start(MODEL))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
