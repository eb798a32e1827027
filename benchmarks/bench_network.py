"""Benchmark of `stance network`: time and peak memory on N predicted sentences.

Usage: python benchmarks/bench_network.py [--n 1000000] [--real FILE] [--keep DIR]

Real `stance predict` output (of seeds/ and corpus/, made once with the
shipped model unless --real gives a file) is repeated until N records: each
copy gets its own document ids (``<doc>~<copy>``) and a ``date`` field, copy
k in month k mod 24 from January 2014, so the documents, the dates and the
periods grow the way a real collection's would.  Then `stance network FILE
--out DIR` runs (default options: by month, 1000 bootstrap rounds, seed 0) in
a fresh process, at N and at N / 10, and the benchmark reports wall time and
peak resident memory of each run and their ratios.  Memory should be flat in
the number of sentences; it grows only with edges x documents.

Ratios are what to compare: the machine is shared and absolute figures vary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _measure import ROOT, run_measured

STANCE = [sys.executable, "-m", "stance"]


def real_output(folder: Path) -> Path:
    path = folder / "real.jsonl"
    subprocess.run([*STANCE, "predict", "seeds/", "corpus/", "-o", str(path)], check=True,
                   cwd=ROOT)
    return path


def synthesise(real: Path, out: Path, n: int) -> int:
    """Write n records repeating ``real``, each copy with new doc ids and a month's date."""
    lines = [json.loads(line) for line in real.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    written, copy = 0, 0
    with open(out, "w", encoding="utf-8") as fh:
        while written < n:
            month = copy % 24
            date = dt.date(2014 + month // 12, month % 12 + 1, 15).isoformat()
            for rec in lines[: n - written]:
                doc = f"{rec['doc']}~{copy}"
                fh.write(json.dumps({**rec, "id": f"{doc}:{rec['id'].rsplit(':', 1)[1]}",
                                     "doc": doc, "date": date}, ensure_ascii=False) + "\n")
            written += min(len(lines), n - (written))
            copy += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="records (default 1,000,000)")
    parser.add_argument("--real", type=Path, help="real stance predict output to repeat")
    parser.add_argument("--keep", type=Path, help="write the network outputs here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        real = args.real or real_output(tmp)
        results = {}
        for n in (args.n // 10, args.n):
            data = tmp / f"pred{n}.jsonl"
            t = time.perf_counter()
            synthesise(real, data, n)
            made = time.perf_counter() - t
            out = (args.keep / f"n{n}") if args.keep else tmp / f"out{n}"
            seconds, rss, _, stdout = run_measured([*STANCE, "network", str(data), "--out",
                                                    str(out)], capture=True)
            size = data.stat().st_size
            data.unlink()
            results[n] = (seconds, rss)
            print(f"N = {n:,} records ({size / 2**20:,.0f} MiB, synthesised in {made:.1f} s): "
                  f"stance network {seconds:.1f} s ({n / seconds:,.0f} records/s), "
                  f"peak RSS {rss / 1024:.1f} MiB")
            print("   " + stdout.splitlines()[0])
        (t1, m1), (t2, m2) = results[args.n // 10], results[args.n]
        print(f"ratio N / (N/10): time {t2 / t1:.2f}, peak RSS {m2 / m1:.3f}")


if __name__ == "__main__":
    main()
