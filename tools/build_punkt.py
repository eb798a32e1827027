"""Rebuild ``stance/data/punkt.json`` from the project's own documents.

Usage: python tools/build_punkt.py [--check]

Trains nltk's PunktTrainer on the article lines (furniture dropped) of every
``*.txt`` under ``seeds/`` and ``corpus/``, adds ``stance/data/abbreviations.toml``,
and writes the parameters.  ``--check`` writes nothing and exits 1 when the
shipped file differs from what the documents give (the test suite runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from stance.io import atomic_write, read_document
from stance.text.furniture import classify_lines
from stance.text.punkt import default_abbreviations, params_to_json, train_punkt

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "stance" / "data" / "punkt.json"
SOURCES = ("seeds", "corpus")


def training_texts(root: Path = ROOT) -> list[str]:
    """Article lines of each project document, furniture dropped."""
    texts = []
    for folder in SOURCES:
        for path in sorted((root / folder).glob("*.txt")):
            lines = read_document(path).text.split("\n")
            kept = [ln for ln, v in zip(lines, classify_lines(lines), strict=True)
                    if v is None and ln.strip()]
            texts.append("\n".join(kept))
    return texts


def build() -> str:
    return params_to_json(train_punkt(training_texts(), default_abbreviations()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = build()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET}: out of date; run python tools/build_punkt.py", file=sys.stderr)
            return 1
        return 0
    with atomic_write(TARGET) as fh:
        fh.write(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
