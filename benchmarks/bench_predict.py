"""Benchmark of `stance predict`: throughput against its floor, memory, cold start.

Usage: python benchmarks/bench_predict.py [--n 100000] [--model PATH]

Builds a corpus of N sentences from the seed article sentences (one copy of
them per document, so nothing is dropped as a repeated line) and reports, in
one run on the same machine:

* end-to-end throughput of `stance predict DIR -o FILE` (sentences/s, a
  subprocess, model loading included);
* the floor: the fitted stance pipeline's ``predict_proba`` alone on the same
  (sentence, actor, spans) pairs, pre-computed (sentences/s);
* their ratio (target: end-to-end at least 40% of the floor);
* peak resident memory of `stance predict` at N and at 10 x N sentences;
* cold start of `stance predict --text ...` against
  `python -c "import sklearn, joblib; joblib.load(model)"`.

Ratios are what to compare: the machine is shared and absolute figures vary.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from _measure import ROOT, run_measured

from stance.actors import segment_records
from stance.io import iter_documents
from stance.ml import load_model
from stance.schema import Pair, actors_in, resolve_spans

STANCE = [sys.executable, "-m", "stance"]
TEXT = "Damascus accused Ankara of arming the rebels."


def seed_sentences() -> list[str]:
    with open(ROOT / "annotations" / "seeds.jsonl", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh]


def build_corpus(folder: Path, n: int, sentences: list[str]) -> int:
    """Write documents of the seed sentences (one per line) until n sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    written, doc = 0, 0
    while written < n:
        take = sentences[: n - written]
        (folder / f"d{doc:06d}.txt").write_text("\n".join(take) + "\n", encoding="utf-8")
        written += len(take)
        doc += 1
    return written


def floor_throughput(model_path: str | None, folder: Path) -> tuple[float, int, int]:
    """Sentences/s of the stance pipeline's predict_proba on pre-computed pairs."""
    model = load_model(model_path)
    pairs: list[Pair] = []
    sentences = 0
    for _, records in segment_records(iter_documents([str(folder)]), model.actors):
        for rec in records:
            sentences += 1
            spans = resolve_spans(rec, model.actors)
            pairs += [Pair(rec["text"], a, spans) for a in actors_in(spans)]
    start = time.perf_counter()
    for i in range(0, len(pairs), 4096):
        model.stance.predict_proba(pairs[i:i + 4096])
    return sentences / (time.perf_counter() - start), sentences, len(pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="sentences (default 100000)")
    parser.add_argument("--model", default=None, help="model (default: the shipped one)")
    parser.add_argument("--skip-10x", action="store_true", help="skip the 10 x N memory run")
    args = parser.parse_args()
    model_args = ["--model", args.model] if args.model else []
    sentences = seed_sentences()
    results: dict[str, object] = {"n": args.n}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        n = build_corpus(tmp / "small", args.n, sentences)
        seconds, rss, _, _ = run_measured([*STANCE, "predict", str(tmp / "small"), "-o",
                                           str(tmp / "out.jsonl"), *model_args])
        lines = sum(1 for _ in open(tmp / "out.jsonl", encoding="utf-8"))
        assert lines == n, f"expected {n} predicted sentences, found {lines}"
        results["end_to_end_sentences_per_s"] = round(n / seconds, 1)
        results["peak_rss_mib_at_n"] = round(rss / 1024, 1)
        floor, fs, fp = floor_throughput(args.model, tmp / "small")
        results["floor_sentences_per_s"] = round(floor, 1)
        results["floor_pairs"] = fp
        results["end_to_end_over_floor"] = round(n / seconds / floor, 3)
        if not args.skip_10x:
            build_corpus(tmp / "big", 10 * args.n, sentences)
            rss10 = run_measured([*STANCE, "predict", str(tmp / "big"), "-o",
                                  str(tmp / "out10.jsonl"), *model_args]).rss_kib
            results["peak_rss_mib_at_10n"] = round(rss10 / 1024, 1)
            results["rss_10n_over_n"] = round(rss10 / rss, 3)
    cold = run_measured([*STANCE, "predict", "--text", TEXT, *model_args]).seconds
    model_path = args.model or str(ROOT / "models" / "stance.joblib")
    base = run_measured([sys.executable, "-c",
                         f"import sklearn, joblib; joblib.load({model_path!r})"]).seconds
    results["cold_start_predict_text_s"] = round(cold, 3)
    results["cold_start_import_and_load_s"] = round(base, 3)
    results["cold_start_ratio"] = round(cold / base, 3)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
