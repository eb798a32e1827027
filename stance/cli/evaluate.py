"""``stance evaluate``: honest cross-validation, or scoring a model on held-out data."""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

from ..actors import load_actors
from ..annotations import read_annotations
from ..annotations.validate import check_trainable
from ..errors import InputError, UsageError
from ..evaluation import cross_validate, evaluate_end_to_end, evaluate_model
from ..evaluation.metrics import BOOTSTRAP_ROUNDS
from ..io.atomic import check_writable
from ..ml.grouping import GROUP_BY, manifest_option
from ..ml.persistence import default_model_path, load_model, versions
from ..ml.training import all_records, data_summary, default_data, load_training_data
from ..render import headline_markdown, write_reports
from ._options import (
    add_actors_option,
    add_docs_option,
    add_jobs_option,
    add_seed_option,
    folds_type,
)

HELP = "evaluate: nested grouped cross-validation, or a model on held-out annotations"
DESCRIPTION = """\
Two modes.

--cv: cross-validation grouped by document (default), conflict or region
(--group-by; groups from the corpus manifest) over annotation files:
leave-one-group-out by default, grouped K-fold with --folds K.  Each fold
retrains everything from scratch, choosing settings by CV grouped the same
way inside its training groups only, and predicts the held-out groups:
--group-by conflict is leave-one-conflict-out, the transfer figure.
Baselines (majority label, keyword rule), the old settings (C=10, word
1-2-grams, cue lexicon, target-id token) and the model without target
marking are scored on the same folds; also a per-conflict table, the
calibration (expected calibration error, reliability diagram) and a
learning curve (over the number of training conflicts with --group-by
conflict).

--test FILE...: score a trained model (--model) on annotation files it never
saw, using the gold actors of each record; with --end-to-end, run the full
pipeline on the documents' raw text instead and also score actor detection.

Writes evaluation.md, evaluation.html (self-contained) and metrics.json to
--out (default reports/ for --cv, reports/test/ for --test).  A folder that
holds the report of another kind of run (cross-validation, held-out test,
end-to-end) is refused rather than mixed."""

_KINDS = {"cv": "a cross-validation report", "test": "a held-out test report",
          "end-to-end": "an end-to-end test report"}


def _check_out(out: str, mode: str) -> None:
    """Refuse, before any work, a folder that cannot be written or holds another kind of run."""
    metrics = Path(out) / "metrics.json"
    if metrics.is_file():
        try:
            found = json.loads(metrics.read_text(encoding="utf-8")).get("mode")
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
            found = None
        if found != mode:
            raise UsageError(f"{out}: holds {_KINDS.get(str(found), 'another report')} "
                             f"({metrics}); refusing to mix {_KINDS[mode]} into it: "
                             "give another --out")
    check_writable(out, folder=True)


def _training_overlap(data_files: list[dict], card: dict) -> list[str]:
    """Test files (as ``data_summary`` describes them, sha256 included) that are one
    of the model's training files (same sha256 as in its card)."""
    trained = {f.get("sha256") for f in card.get("training_files", []) if isinstance(f, dict)}
    return [f["path"] for f in data_files if f["sha256"] in trained]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--cv", action="store_true", help="nested grouped cross-validation")
    mode.add_argument("--test", nargs="+", metavar="FILE", help="held-out annotation files")
    p.add_argument("--data", nargs="+", metavar="FILE",
                   help="with --cv: annotation files (default: annotations/seeds.jsonl "
                        "annotations/corpus.jsonl annotations/world.jsonl; the last is left "
                        "out, with a note, while it does not exist)")
    p.add_argument("--group-by", choices=GROUP_BY, default="document",
                   help="with --cv: what the outer folds (and the inner settings search) hold "
                        "out together (default: document)")
    p.add_argument("--manifest", metavar="FILE", default=None,
                   help="corpus manifest with each document's conflict and region "
                        "(default: corpus/manifest.csv)")
    p.add_argument("--folds", type=folds_type, metavar="K",
                   help="with --cv: grouped K-fold instead of leave-one-group-out")
    p.add_argument("--only-docs-of", metavar="FILE",
                   help="with --cv: hold out each document of this annotation file in turn, "
                        "training on all other documents of --data")
    p.add_argument("--model", metavar="PATH",
                   help="with --test: the model (default: $STANCE_MODEL or models/stance.joblib)")
    p.add_argument("--end-to-end", action="store_true",
                   help="with --test: run the whole pipeline on the raw documents")
    add_docs_option(p)
    p.add_argument("--out", metavar="DIR", default=None,
                   help="report folder (default: reports for --cv, reports/test for --test); "
                        "a folder holds the reports of one kind of run only")
    add_seed_option(p)
    add_jobs_option(p, what="with --cv: parallel jobs")
    p.add_argument("--no-learning-curve", action="store_true",
                   help="with --cv: skip the learning curve")
    add_actors_option(p)
    p.set_defaults(run=run)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    if args.cv and (args.model or args.end_to_end):
        raise UsageError("--model and --end-to-end go with --test, not --cv")
    if args.test and (args.data or args.folds or args.only_docs_of):
        raise UsageError("--data, --folds and --only-docs-of go with --cv, not --test")
    if args.folds and args.only_docs_of:
        raise UsageError("--folds and --only-docs-of cannot be used together")
    mode = "cv" if args.cv else "end-to-end" if args.end_to_end else "test"
    out = args.out or ("reports" if args.cv else str(Path("reports") / "test"))
    _check_out(out, mode)
    model, model_path = None, ""
    if args.test:  # a refused model is reported before the data is read
        model_path = args.model or str(default_model_path())
        model = load_model(model_path)
    actors = load_actors(args.actors)
    if args.test and args.group_by != "document":
        raise UsageError("--group-by goes with --cv, not --test")
    manifest = manifest_option(args.manifest)
    files = args.test or args.data or default_data()
    per_file = load_training_data(files, args.docs, actors, purpose="evaluate")
    records = all_records(per_file)
    if not records:
        raise InputError(f"{', '.join(files)}: no annotation records to evaluate")
    if args.cv:
        check_trainable(records)
    started = time.perf_counter()
    provenance = {"data_files": data_summary(per_file)["training_files"],
                  "seed": args.seed,
                  "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "versions": versions(), "bootstrap_rounds": BOOTSTRAP_ROUNDS}
    if args.cv:
        provenance["jobs"] = args.jobs
        _say(f"cross-validating on {len(records)} sentences from "
             f"{len({r['doc'] for r in records})} documents ...")
        only = None
        if args.only_docs_of:
            only = sorted({r["doc"] for r in read_annotations(args.only_docs_of)})
            provenance["held_out_documents_of"] = args.only_docs_of
        result = cross_validate(records, folds=args.folds, seed=args.seed, n_jobs=args.jobs,
                                actors=actors, learning_curve=not args.no_learning_curve,
                                progress=_say, only_docs=only, group_by=args.group_by,
                                manifest=manifest)
    else:
        assert model is not None
        for path in _training_overlap(provenance["data_files"], model.card):
            warnings.warn(f"{path} is one of the model's training files (same sha256 as in "
                          f"its card): these scores are not held-out", stacklevel=1)
        provenance.update(model=model_path, model_sha256=model.card["model_sha256"],
                          model_card=model.card)
        if args.end_to_end:
            result = evaluate_end_to_end(model, records, args.docs, seed=args.seed)
        else:
            result = evaluate_model(model, records, seed=args.seed)
    provenance["seconds"] = round(time.perf_counter() - started, 1)
    written = write_reports(result, provenance, out)
    print(headline_markdown(result))
    _say(f"wrote {', '.join(str(p) for p in written if p.suffix != '.png')} "
         f"in {provenance['seconds']} s")
    return 0
