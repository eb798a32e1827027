"""Simulated annotation: does uncertainty ordering learn faster than document order?

The project's gold annotations (annotations/seeds.jsonl + corpus.jsonl) are
the oracle.  Documents are split into K grouped folds; in each fold the held
-out documents are the test set and the others the pool a simulated
annotator labels, BATCH sentences at a time, in one of three orders:

* ``document``: the pool's sentences as they stand in the files (what a
  plain text editor or `stance annotate` without --model gives);
* ``random``: shuffled once (seeded);
* ``uncertainty``: `stance annotate --model ... --retrain-every BATCH`:
  the first batch in document order, then after each batch the stance
  model is refitted on what has been labelled and the next batch is the
  most uncertain sentences (lowest pair margin, document diversity), using
  the same ordering code as the tool (stance.annotate.queue).

After each batch the stance model (fixed settings, no search) is fitted on
the labelled sentences and scored on the held-out documents: macro-F1 over
cooperation, hostility, accusation.  The learning curve is the mean over the
folds (grouped cross-validation).  Writes benchmarks/active_learning.json and
.md and prints the table.

    python tools/simulate_active_learning.py            # ~ a few minutes
    python tools/simulate_active_learning.py --folds 3 --batch 50 --budget 500
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stance.annotate import _engine as engine  # noqa: E402
from stance.annotate.queue import sentence_margin, uncertainty_order  # noqa: E402
from stance.io import atomic_write  # noqa: E402
from stance.ml.pipelines import OLD_SETTINGS  # noqa: E402

ORDERS = ("document", "random", "uncertainty")


def folds(docs: list[str], k: int, seed: int) -> list[list[str]]:
    shuffled = sorted(docs)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::k] for i in range(k)]


def score(pipe, test_pairs) -> float | None:
    if pipe is None:
        return None
    pairs, labels, _ = test_pairs
    return round(engine.macro_f1(labels, list(pipe.predict(pairs))), 4)


def margins(pipe, pool: list[dict], actors) -> list[float | None]:
    pairs, _, _ = engine.stance_pairs(pool, actors)
    proba = pipe.predict_proba(pairs) if pairs else []
    classes = [str(c) for c in pipe.classes_]
    out, i = [], 0
    for rec in pool:
        n = len(rec["stances"])
        per_actor = {a: dict(zip(classes, proba[i + j], strict=True))
                     for j, a in enumerate(rec["stances"])}
        out.append(sentence_margin(per_actor))
        i += n
    return out


def run_fold(records, test_docs, order, batch, budget, actors, seed):
    test = [r for r in records if r["doc"] in test_docs]
    pool = [r for r in records if r["doc"] not in test_docs]
    test_pairs = engine.stance_pairs(test, actors)
    if order == "random":
        pool = pool[:]
        random.Random(seed).shuffle(pool)
    labelled: list[dict] = []
    curve = []
    pipe = None  # the model fitted on `labelled`: scored, then ranks the next batch
    while len(labelled) < min(budget, len(pool) + len(labelled)) and pool:
        if order == "uncertainty" and pipe is not None:
            m = margins(pipe, pool, actors)
            items = [(r["id"], r["doc"], x) for r, x in zip(pool, m, strict=True)]
            ranked = uncertainty_order(items)
            rank = {sid: i for i, sid in enumerate(ranked)}
            pool.sort(key=lambda r: rank[r["id"]])
        labelled += pool[:batch]
        pool = pool[batch:]
        pipe = engine.fit_stance(labelled, actors, seed)
        pairs = sum(len(r["stances"]) for r in labelled)
        curve.append({"sentences": len(labelled), "pairs": pairs,
                      "macro_f1": score(pipe, test_pairs)})
    return curve


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", nargs="+", default=["annotations/seeds.jsonl",
                                                  "annotations/corpus.jsonl"])
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--budget", type=int, default=500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "active_learning"))
    args = ap.parse_args(argv)
    actors = engine.load_actor_dictionary()
    records = [r for path in args.data for r in engine.read_records(ROOT / path, actors)]
    docs = sorted({r["doc"] for r in records})
    started = time.time()
    curves: dict[str, list[list[dict]]] = {o: [] for o in ORDERS}
    for k, test_docs in enumerate(folds(docs, args.folds, args.seed)):
        for order in ORDERS:
            curves[order].append(run_fold(records, set(test_docs), order, args.batch,
                                          args.budget, actors, args.seed))
            print(f"fold {k + 1}/{args.folds} {order}: done ({time.time() - started:.0f}s)",
                  file=sys.stderr)
    points = min(len(c) for cs in curves.values() for c in cs)
    table = []
    for i in range(points):
        row = {"sentences": curves["document"][0][i]["sentences"]}
        for order in ORDERS:
            vals = [c[i]["macro_f1"] for c in curves[order] if c[i]["macro_f1"] is not None]
            row[order] = round(sum(vals) / len(vals), 4) if len(vals) == args.folds else None
            row[f"{order}_pairs"] = round(sum(c[i]["pairs"] for c in curves[order]) / args.folds)
        table.append(row)
    result = {"command": "python tools/simulate_active_learning.py " + " ".join(
                  argv if argv is not None else sys.argv[1:]),
              "data": args.data, "documents": len(docs), "sentences": len(records),
              "folds": args.folds, "batch": args.batch, "budget": args.budget, "seed": args.seed,
              "settings": {k: (list(v) if isinstance(v, tuple) else v)
                           for k, v in OLD_SETTINGS.items()},
              "seconds": round(time.time() - started), "curve": table, "per_fold": curves}
    with atomic_write(args.out + ".json") as fh:
        fh.write(json.dumps(result, indent=1) + "\n")
    lines = ["| sentences labelled | document order | random | uncertainty "
             "| pairs (doc / rand / unc) |",
             "|---|---|---|---|---|"]
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    for row in table:
        lines.append(f"| {row['sentences']} | {fmt(row['document'])} | {fmt(row['random'])} | "
                     f"{fmt(row['uncertainty'])} | {row['document_pairs']} / "
                     f"{row['random_pairs']} / {row['uncertainty_pairs']} |")
    md = "\n".join(lines) + "\n"
    with atomic_write(args.out + ".md") as fh:
        fh.write(
            f"Grouped {args.folds}-fold CV over {len(docs)} documents ({len(records)} sentences); "
            f"macro-F1 (3 stance labels) on held-out documents, mean over folds; batch "
            f"{args.batch}; seed {args.seed}.\n\n" + md)
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
