"""Regenerate the README's headline from the committed cross-validation reports.

Usage: python tools/update_readme.py [--check]

The headline sits between the markers <!-- headline:start --> and
<!-- headline:end -->: in-conflict cross-validation (reports/metrics.json,
grouped by document) beside leave-one-conflict-out
(reports/transfer/conflict/metrics.json) and leave-one-region-out
(reports/transfer/region/metrics.json), then the per-conflict table and the
learning curve over the number of training conflicts.  `make reports` runs
this after the three `stance evaluate --cv` runs; the test suite runs it with
--check, so the README's figures can never drift from the reports'.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from stance.io import atomic_write
from stance.ml.pipelines import OLD_SETTINGS
from stance.render.report import (
    group_curve_rows,
    markdown_table,
    per_conflict_rows,
    side_by_side_rows,
)

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- headline:start -->", "<!-- headline:end -->"
#: (what the README calls it, report folder relative to the repository)
REPORTS = (("in-conflict", "reports"),
           ("leave-one-conflict-out", "reports/transfer/conflict"),
           ("leave-one-region-out", "reports/transfer/region"))


def load(root: Path = ROOT) -> list[tuple[str, str, dict]]:
    """(name, folder, metrics) of each report; a missing one names the command that makes it."""
    out = []
    for name, folder in REPORTS:
        path = root / folder / "metrics.json"
        if not path.is_file():
            raise SystemExit(f"{path}: not found; `make reports` writes it")
        out.append((name, folder, json.loads(path.read_text(encoding="utf-8"))))
    return out


def _groups(metrics: dict) -> int:
    return len(metrics["folds"])


def block(reports: list[tuple[str, str, dict]]) -> str:
    (_, inner_dir, inner), (_, conflict_dir, conflict), (_, _, region) = reports
    prov = inner["provenance"]
    files = ", ".join(f"`{f['path']}`" for f in prov["data_files"])
    pairs = sum(f["pairs"] for f in prov["data_files"])
    sentences = sum(f["sentences"] for f in prov["data_files"])
    columns = [(f"in-conflict: {inner['splitter']} over documents", inner),
               (f"leave-one-conflict-out ({_groups(conflict)} conflicts)", conflict),
               (f"leave-one-region-out ({_groups(region)} regions)", region)]
    curve = conflict["learning_curve"]
    model = {name: m["stance"]["model"]["macro_f1_stance"] for name, m in
             (("inner", inner), ("conflict", conflict))}
    old = conflict["stance"]["old_settings"]["macro_f1_stance"]
    same = sum(1 for f in conflict["folds"]
               if f["hyperparameters"] == {k: OLD_SETTINGS[k] for k in f["hyperparameters"]})
    return "\n".join([
        START,
        "Macro-F1 over the three stance labels (cooperation, hostility, accusation) of "
        "each (sentence, actor) pair, with 95% bootstrap intervals over sentences:",
        "",
        markdown_table(side_by_side_rows(columns)),
        "",
        f"{sentences:,} sentences, {pairs:,} (sentence, actor) pairs: {files}.  Every column is "
        "nested cross-validation: each fold retrains everything, choosing settings by "
        "cross-validation grouped the same way inside its own training data only.  "
        "*In-conflict* holds out documents, so the other documents of the same conflict "
        "are in training; *leave-one-conflict-out* holds out each conflict (and "
        "*leave-one-region-out* each region) in turn: the figure for a conflict the model "
        f"never saw.  From `{inner_dir}/`, `{conflict_dir}/` and "
        f"`{REPORTS[2][1]}/` (`metrics.json` in each), seed {prov['seed']}; "
        "`make reports` regenerates them.",
        "",
        f"What it says: a conflict the model never saw costs it "
        f"{model['inner'] - model['conflict']:.3f} macro-F1 against in-conflict "
        f"evaluation; the settings chosen for travel (by conflict-grouped search inside "
        f"each fold) score {model['conflict']:.3f} there, the old settings {old:.3f}: in "
        f"{same} of the {len(conflict['folds'])} folds the search chose exactly the old "
        "settings (C=10, no relation features, target id).  The learning curve below shows "
        "what more training conflicts give.",
        "",
        "Each conflict held out in turn (leave-one-conflict-out, its held-out pairs):",
        "",
        markdown_table(per_conflict_rows(conflict)),
        "",
        "Learning curve over the number of training conflicts (held out as above; "
        f"{curve['settings']}):",
        "",
        markdown_table(group_curve_rows(curve)),
        "",
        f"![learning curve over the number of training conflicts]"
        f"({conflict_dir}/figures/learning_curve.png)",
        END,
    ])


def render(readme: str, reports: list[tuple[str, str, dict]]) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md: markers {START} ... {END} not found")
    return pattern.sub(lambda _: block(reports), readme)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    new = render(readme, load())
    if args.check:
        if new != readme:
            print("README.md: headline differs from the reports' metrics.json; "
                  "run python tools/update_readme.py", file=sys.stderr)
            return 1
        return 0
    with atomic_write(readme_path) as fh:
        fh.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
