"""Build the shipped actor dictionary from its hand-edited sources.

    python tools/build_actors.py            # writes stance/data/actors.json and actors_info.json
    python tools/build_actors.py --check    # exit 1 when the shipped files are out of date

The sources are ``stance/data/actors/*.toml``, compiled in name order with
``core.toml`` (the annotation scheme's core inventory) first.  The build is
deterministic: the same sources give the same bytes.  It fails, naming
FILE:LINE, when an alias would name two actors over overlapping dates.
Nothing is downloaded; see the credits in ``core.toml``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.actors.sources import build_index_json, source_files  # noqa: E402
from stance.errors import StanceError  # noqa: E402
from stance.io.atomic import atomic_write  # noqa: E402

DATA = ROOT / "stance" / "data"
TARGETS = (DATA / "actors.json", DATA / "actors_info.json")


def build() -> tuple[str, str]:
    return build_index_json(source_files(DATA / "actors"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build stance/data/actors.json.")
    parser.add_argument("--check", action="store_true",
                        help="only check that the shipped files are up to date")
    args = parser.parse_args(argv)
    try:
        texts = build()
    except StanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        stale = [t for t, text in zip(TARGETS, texts, strict=True)
                 if not t.exists() or t.read_text(encoding="utf-8") != text]
        for target in stale:
            print(f"{target.relative_to(ROOT)} is out of date: run python tools/build_actors.py",
                  file=sys.stderr)
        return 1 if stale else 0
    for target, text in zip(TARGETS, texts, strict=True):
        with atomic_write(target) as fh:
            fh.write(text)
        print(f"wrote {target.relative_to(ROOT)} ({len(text.encode()) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
