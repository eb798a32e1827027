"""Regenerate the README's headline table from reports/metrics.json.

Usage: python tools/update_readme.py [--check] [--metrics reports/metrics.json]

The table sits between the markers <!-- headline:start --> and
<!-- headline:end -->.  `make reports` runs this after `stance evaluate --cv`;
the test suite runs it with --check, so the README's figures can never drift
from the report's.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from stance.io import atomic_write
from stance.render.report import headline_markdown

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- headline:start -->", "<!-- headline:end -->"


def block(metrics: dict) -> str:
    prov = metrics["provenance"]
    files = ", ".join(f"`{f['path']}`" for f in prov["data_files"])
    return (f"{START}\n{headline_markdown(metrics)}\n\n"
            f"Stance toward each actor, {metrics['splitter']} cross-validation over {files} "
            f"(nested: settings chosen inside each fold's training documents); 95% bootstrap "
            f"intervals over sentences.  Claim F1 {metrics['claim']['f1']:.3f}; source accuracy "
            f"{metrics['source']['accuracy']:.3f} over {metrics['source']['n']} gold claims.  "
            f"From `reports/metrics.json`, seed {prov['seed']}.\n{END}")


def render(readme: str, metrics: dict) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"README.md: markers {START} ... {END} not found")
    return pattern.sub(lambda _: block(metrics), readme)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--metrics", default=str(ROOT / "reports" / "metrics.json"))
    args = parser.parse_args()
    metrics = json.loads(Path(args.metrics).read_text(encoding="utf-8"))
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    new = render(readme, metrics)
    if args.check:
        if new != readme:
            print("README.md: headline table differs from reports/metrics.json; "
                  "run python tools/update_readme.py", file=sys.stderr)
            return 1
        return 0
    with atomic_write(readme_path) as fh:
        fh.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
