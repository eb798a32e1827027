"""Options several commands share, declared once."""

from __future__ import annotations

import argparse
import datetime
import os
import re


def add_output_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write here (atomically) instead of stdout")


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


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def jobs_type(value: str) -> int:
    """``--jobs``: 1 to the number of CPUs, or -1 for all of them; anything else is a
    usage error (argparse exits 2)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, found {value!r}") from None
    cpus = cpu_count()
    if n == -1 or 1 <= n <= cpus:
        return n
    raise argparse.ArgumentTypeError(
        f"must be 1 to {cpus} (the CPUs of this machine) or -1 for all, found {n}")


def add_jobs_option(p: argparse.ArgumentParser, default: int = -1,
                    what: str = "parallel jobs") -> None:
    """``--jobs N`` validated by :func:`jobs_type` (shared by every command with workers)."""
    p.add_argument("--jobs", type=jobs_type, default=default, metavar="N",
                   help=f"{what}: 1 to the number of CPUs, or -1 for all "
                        f"(default: {default})")


#: scikit-learn and numpy seeds are unsigned 32-bit integers.
MAX_SEED = 2**32 - 1


def seed_type(value: str) -> int:
    """``--seed``: an integer from 0 to 2**32 - 1."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, found {value!r}") from None
    if not 0 <= n <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"must be 0 to {MAX_SEED}, found {n}")
    return n


def add_seed_option(p: argparse.ArgumentParser, what: str = "random seed") -> None:
    p.add_argument("--seed", type=seed_type, default=0, metavar="N",
                   help=f"{what}, 0 to {MAX_SEED} (default: 0)")


def folds_type(value: str) -> int:
    """``--folds``: at least 2 (one fold would train and test on nothing)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, found {value!r}") from None
    if n < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, found {n}")
    return n
