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


def per_sentence(finders: dict, texts: list[str], repeat: int, rounds: int = 5) -> dict:
    """Microseconds per sentence of each finder: the best of ``rounds`` rounds,
    the finders taking turns within each round (the machine is shared)."""
    best = {name: float("inf") for name in finders}
    for _ in range(rounds):
        for name, find in finders.items():
            t = time.perf_counter()
            for _ in range(repeat):
                for text in texts:
                    find(text)
            best[name] = min(best[name], time.perf_counter() - t)
    return {name: b / (repeat * len(texts)) * 1e6 for name, b in best.items()}


def fresh_process(codes: dict, runs: int = 7) -> dict:
    """Best wall time of ``python -c code`` in a fresh process, seconds, taking turns."""
    best = {name: float("inf") for name in codes}
    for _ in range(runs):
        for name, code in codes.items():
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = sentences()
    old, new = Round1Matcher(ROUND1), default_actors()
    speed = per_sentence({"round1": old.find, "world": new.find}, texts, args.repeat)
    print(f"sentences: {len(texts)} x {args.repeat}, best of 5 rounds")
    print(f"round 1 matcher (core, {len(old._owner)} forms): {speed['round1']:.1f} us/sentence")
    print(f"world matcher ({len(new.actor_ids)} actors): {speed['world']:.1f} us/sentence")
    print(f"ratio world/round 1: {speed['world'] / speed['round1']:.2f} (target <= 1)")
    t = fresh_process({
        "import": "import stance.actors",
        "round1": "import sys; sys.path.insert(0, 'benchmarks'); import stance.actors; "
                  "from _round1_matcher import Round1Matcher; from pathlib import Path; "
                  "Round1Matcher(Path('benchmarks/round1_actors.toml'))",
        "world": "from stance.actors import default_actors; default_actors()",
        "predict": "from stance.cli import main; "
                   "main(['predict', '--text', 'Damascus accused Ankara.'])",
        "floor": "import sklearn, joblib, nltk; joblib.load('models/stance.joblib')",
    })
    load_old, load_new = t["round1"] - t["import"], t["world"] - t["import"]
    print(f"load in a fresh process: round 1 {load_old:.3f} s, world {load_new:.3f} s, "
          f"added {load_new - load_old:+.3f} s (target <= +0.2 s)")
    print(f"cold start of stance predict --text: {t['predict']:.2f} s "
          f"(python -c 'import sklearn, joblib, nltk; joblib.load(model)': {t['floor']:.2f} s)")

if __name__ == "__main__":
    main()
