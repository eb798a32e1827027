"""Take docs/annotate.png: `stance annotate` on the seeds with the default model,
in headless Chromium.

    python tools/screenshot_annotate.py        # needs chromium, chromium-driver, selenium
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.annotate.browser import make_driver, missing, start_server  # noqa: E402


def main() -> int:
    why = missing()
    if why:
        print(why, file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp())
    out = tmp / "mine.jsonl"
    server, url = start_server("seeds/", "--out", str(out), "--model", "models/stance.joblib",
                               "--suggest", "--annotator", "alice")
    driver = make_driver(1300, 1120)
    try:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys
        driver.get(url)
        time.sleep(1.5)
        for _ in range(3):  # accept three suggestions so the progress panel has numbers
            ActionChains(driver).send_keys(Keys.ENTER).perform()
            time.sleep(0.6)
        ActionChains(driver).send_keys(Keys.TAB).perform()
        time.sleep(0.3)
        driver.save_screenshot(str(ROOT / "docs" / "annotate.png"))
    finally:
        driver.quit()
        server.send_signal(signal.SIGINT)
        server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    print("wrote docs/annotate.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
