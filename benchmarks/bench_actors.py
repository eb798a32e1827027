"""Benchmark of actor matching: the world dictionary against round 1's.

Usage: python benchmarks/bench_actors.py [--repeat 20]

Reports, in one run on the same machine:

* matching speed per sentence (microseconds) on every sentence of the seeds
  and the corpus, repeated: round 1's matcher (a regex over the 19-actor core
  dictionary, ``_round1_matcher.py``) against today's (token index over the
  world dictionary), and their ratio (target: today's no slower);
* loading cost in a fresh process: building round 1's dictionary against
  loading today's compiled index (target: at most 0.2 s more);
* cold start of ``stance predict --text`` (for the record).

Ratios are what to compare: the machine is shared and absolute figures vary.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from _round1_matcher import Round1Matcher  # noqa: E402

from stance.actors import default_actors  # noqa: E402
from stance.io import iter_documents  # noqa: E402
from stance.text.segment import segment_document  # noqa: E402

ROUND1 = ROOT / "benchmarks" / "round1_actors.toml"


def sentences() -> list[str]:
    docs = iter_documents([str(ROOT / "seeds"), str(ROOT / "corpus")])
    return [s.text for d in docs for s in segment_document(d).sentences]


def per_sentence(find, texts: list[str], repeat: int) -> float:
    """Best of three timings, microseconds per sentence."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(repeat):
            for text in texts:
                find(text)
        best = min(best, time.perf_counter() - t)
    return best / (repeat * len(texts)) * 1e6


def fresh_process(code: str, runs: int = 5) -> float:
    """Median wall time of ``python -c code`` in a fresh process, seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    texts = sentences()
    old, new = Round1Matcher(ROUND1), default_actors()
    t_old = per_sentence(old.find, texts, args.repeat)
    t_new = per_sentence(new.find, texts, args.repeat)
    print(f"sentences: {len(texts)} x {args.repeat}")
    print(f"round 1 matcher (core, {len(old._owner)} forms): {t_old:.1f} us/sentence")
    print(f"world matcher ({len(new.forms)} forms, {len(new.actor_ids)} actors): "
          f"{t_new:.1f} us/sentence")
    print(f"ratio world/round 1: {t_new / t_old:.2f} (target <= 1)")
    base = fresh_process("import stance.actors")
    load_old = fresh_process("import sys; sys.path.insert(0, 'benchmarks'); "
                             "import stance.actors; from _round1_matcher import Round1Matcher; "
                             "from pathlib import Path; "
                             "Round1Matcher(Path('benchmarks/round1_actors.toml'))") - base
    load_new = fresh_process("from stance.actors import default_actors; default_actors()") - base
    print(f"load in a fresh process: round 1 {load_old:.3f} s, world {load_new:.3f} s, "
          f"added {load_new - load_old:+.3f} s (target <= +0.2 s)")
    cold = fresh_process("from stance.cli import main; "
                         "main(['predict', '--text', 'Damascus accused Ankara.'])", runs=3)
    print(f"cold start of stance predict --text: {cold:.2f} s")


if __name__ == "__main__":
    main()
