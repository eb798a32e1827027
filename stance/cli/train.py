"""``stance train``: train the stance, claim and source models from annotations."""

from __future__ import annotations

import argparse
import sys

from ..actors import load_actors
from ..io.atomic import check_writable
from ..ml.grouping import GROUP_BY, manifest_option
from ..ml.persistence import card_path, default_model_path
from ..ml.training import DEFAULT_GROUP_BY, default_data, train_and_save
from ._options import add_actors_option, add_docs_option, add_jobs_option, add_seed_option

HELP = "train the models from annotation files"
DESCRIPTION = """\
Train the stance model (target-marked TF-IDF + cue-lexicon features +
logistic regression), the claim model and the source rule or model from
annotation files.  The data is validated first and refused with the
validator's messages if invalid.  Settings (C, feature families) are chosen
by cross-validation grouped by conflict (--group-by; groups from the corpus
manifest, with five grouped folds over the training conflicts), so the
settings that win are those that travel to conflicts the fit did not see.
The stance probabilities are calibrated (temperature scaling on
out-of-fold predictions of the same folds).  Same data and seed give the
same model.  Writes the model (joblib) and its card (JSON, with the
model's sha256) beside it, both atomically."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help=HELP, description=DESCRIPTION,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", nargs="+", metavar="FILE", default=None,
                   help="annotation files (default: annotations/seeds.jsonl "
                        "annotations/corpus.jsonl annotations/world.jsonl; the last is left "
                        "out, with a note, while it does not exist)")
    p.add_argument("--out", metavar="PATH", default=None,
                   help="where to write the model (default: models/stance.joblib); a "
                        ".skops name writes the format to share; the card goes beside it "
                        "as .json")
    add_seed_option(p)
    add_docs_option(p)
    add_actors_option(p)
    p.add_argument("--char-ngrams", action="store_true",
                   help="also search character n-gram features (slower; off by default because "
                        "grouped CV scored them lower on seeds + corpus)")
    p.add_argument("--group-by", choices=GROUP_BY, default=DEFAULT_GROUP_BY,
                   help="how the settings search groups documents (default: conflict; "
                        "documents are used when the data spans fewer than 3 conflicts)")
    p.add_argument("--manifest", metavar="FILE", default=None,
                   help="corpus manifest giving each document's conflict and region "
                        "(default: corpus/manifest.csv)")
    add_jobs_option(p, what="parallel jobs for the grid search")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = args.data or default_data()
    manifest = manifest_option(args.manifest)
    out = args.out or str(default_model_path())
    check_writable(out)  # before minutes of work, not after
    check_writable(card_path(out))
    print(f"training on {', '.join(files)} ...", file=sys.stderr)
    _, card = train_and_save(files, out, seed=args.seed, docs=args.docs,
                             actors=load_actors(args.actors), n_jobs=args.jobs,
                             actors_file=args.actors, chars=args.char_ngrams,
                             group_by=args.group_by, manifest=manifest)
    stance, claim, source = card["stance"], card["claim"], card["source"]
    settings = ", ".join(f"{k.split('__')[-1]}={v}" for k, v in stance["hyperparameters"].items())
    print(f"wrote {out} and its card {out.rsplit('.', 1)[0]}.json\n"
          f"  {card['counts']['sentences']} sentences, {card['counts']['pairs']} pairs, "
          f"{card['counts']['documents']} documents\n"
          f"  stance: {card['cv']['description']} macro-F1 (3 stance labels) "
          f"{stance['cv_macro_f1_stance_labels']}\n"
          f"          settings {settings}\n"
          f"  calibration: temperature {stance['calibration'].get('temperature', 'n/a')}\n"
          f"  claim:  grouped-CV F1 {claim['cv_f1']}\n"
          f"  source: {source['method']} (grouped-CV accuracy: rule "
          f"{source['cv_accuracy']['rule']}, model {source['cv_accuracy']['model']})\n"
          f"  trained in {card['training_seconds']} s",
          file=sys.stderr)
    return 0
