"""Headless Chromium for the browser tests (and the README screenshot).

Uses the system's Chromium and chromedriver (Debian: ``apt-get install
chromium chromium-driver``) through an explicit ``Service`` path, so
Selenium Manager never downloads anything.  Override the paths with
``STANCE_CHROMIUM`` and ``STANCE_CHROMEDRIVER``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOW = ("browser tests need Chromium, chromedriver and selenium: "
       "apt-get install chromium chromium-driver; pip install -e '.[test]' "
       "(.ci/run installs them)")


def _find(env: str, *names: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_paths() -> tuple[str | None, str | None]:
    return (_find("STANCE_CHROMIUM", "chromium", "chromium-browser"),
            _find("STANCE_CHROMEDRIVER", "chromedriver"))


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return HOW + " (selenium is not installed)"
    binary, driver = chromium_paths()
    if not binary or not driver:
        return HOW + f" (chromium: {binary or 'not found'}, chromedriver: {driver or 'not found'})"
    return None


def make_driver(width: int = 1300, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium_paths()
    if not binary or not driver:
        raise RuntimeError(missing())
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='stance-chromium-')}",
                 f"--window-size={width},{height}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def start_server(*args: str, cwd: Path = ROOT) -> tuple[subprocess.Popen, str]:
    """``stance annotate ARGS --port 0`` in a subprocess; returns it and its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "stance", "annotate", *args, "--port", "0"],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None  # both are pipes
    line = proc.stdout.readline()
    match = re.search(r"http://\S+", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"server did not start: {line!r} {proc.stderr.read()}")
    return proc, match.group(0)
