"""One command run and measured in a fresh wrapper process (shared by the benchmarks).

The wrapper waits for the command and reads ``getrusage(RUSAGE_CHILDREN)``:
the peak RSS is the largest of the command's processes, the CPU seconds are
theirs summed (user + system), and nothing of the benchmark's own process is
counted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

_WRAPPER = """\
import json, resource, subprocess, sys, time
capture = sys.argv[1] == "1"
t = time.perf_counter()
out = subprocess.run(sys.argv[2:], check=True, text=True,
                     stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
dt = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([dt, r.ru_maxrss, r.ru_utime + r.ru_stime, out.stdout or ""]))
"""


class Measured(NamedTuple):
    seconds: float  # wall clock
    rss_kib: int  # peak RSS of the largest process
    cpu_seconds: float  # user + system, all of the command's processes
    stdout: str  # the command's output, when captured


def run_measured(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT,
                 capture: bool = False) -> Measured:
    """Run ``cmd`` (its output kept only with ``capture``) and measure it."""
    out = subprocess.run([sys.executable, "-c", _WRAPPER, "1" if capture else "0", *cmd],
                         check=True, capture_output=True, text=True, cwd=cwd, env=env).stdout
    return Measured(*json.loads(out))
