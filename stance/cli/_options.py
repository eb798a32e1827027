"""Options several commands share, declared once."""

from __future__ import annotations

import argparse


def add_actors_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--actors", metavar="FILE",
                   help="actor dictionary (TOML) extending or replacing the default")


def add_docs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docs", metavar="DIR", action="append",
                   help="folder of the documents, <doc>.txt; repeat to search several "
                        "(default: seeds/, then corpus/)")
