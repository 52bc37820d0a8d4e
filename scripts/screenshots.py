"""Screenshots of running pages at a desktop's and a phone's width, and what they measure.

    python scripts/screenshots.py http://127.0.0.1:8000 OUT_DIR /path/ /other/path/ \
        [--user admin --password lodestar-demo] [--widths 1280,390]

Signs in (the demo's admin by default), opens each path at each width, saves a full-page
PNG as OUT_DIR/<width>-<path as a name>.png and prints, per page, the top bar's height and
the page's width (wider than the screen means it scrolls sideways). Uses Debian's
chromium ($CHROMIUM or `chromium` on the PATH) through Playwright.
"""

import argparse
import os
import re
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

MEASURE = """() => ({
  topbar: Math.round(document.querySelector('.topbar')?.getBoundingClientRect().height ?? 0),
  page: document.documentElement.scrollWidth,
})"""


def file_name(width: int, path: str) -> str:
    return f"{width}-{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-') or 'home'}.png"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="lodestar-demo")
    parser.add_argument("--widths", default="1280,390")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width in (int(w) for w in args.widths.split(",")):
            context = browser.new_context(
                base_url=args.base_url, viewport={"width": width, "height": 900}
            )
            tab = context.new_page()
            tab.goto("/login/")
            tab.get_by_label("User name").fill(args.user)
            tab.get_by_label("Password").fill(args.password)
            tab.get_by_role("button", name="Sign in").click()
            tab.wait_for_url(lambda url: "/login/" not in url)
            for path in args.paths:
                tab.goto(path)
                measured = tab.evaluate(MEASURE)
                tab.screenshot(path=str(args.out_dir / file_name(width, path)), full_page=True)
                print(
                    f"{width:>5} px  {path:<40} top bar {measured['topbar']:>4} px"
                    f"  page {measured['page']:>5} px"
                )
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
