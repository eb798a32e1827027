"""Options several commands share, declared once."""

from __future__ import annotations

import argparse
import datetime
import re


def add_actors_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--actors", metavar="FILE",
                   help="actor dictionary (TOML) extending or replacing the default")


def add_docs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docs", metavar="DIR", action="append",
                   help="folder of the documents, <doc>.txt; repeat to search several "
                        "(default: seeds/, then corpus/)")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, found {value!r}") from None


def _country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise argparse.ArgumentTypeError(
            f"expected an ISO 3166-1 alpha-3 code such as SDN, found {value!r}")
    return value


def add_context_options(p: argparse.ArgumentParser) -> None:
    """--date and --country: what the actor dictionary resolves against."""
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                   help="the documents' date: people name the actor they spoke for then "
                        "(default: each document's dateline; none: only unambiguous aliases)")
    p.add_argument("--country", type=_country, metavar="ISO3",
                   help="the state the documents are about: a bare 'rebels' is its armed "
                        "opposition (default: the state each document names most)")


def add_manifest_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--manifest", metavar="CSV",
                   help="corpus manifest (doc,date,...,country): each listed document's "
                        "date and country, unless --date/--country are given")
