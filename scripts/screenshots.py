"""Screenshots of every page at desktop and phone widths, and axe-core's findings, for review.

    .venv/bin/python scripts/screenshots.py --out /tmp/shots     # or --out docs/screenshots

Not a test. Starts the app on 127.0.0.1 with demo data (the shipped programme moved onto
this week, a draft with rows to fix, a home with plugs, an OT, three weeks of trial log) in
a throwaway data folder, logs in once in Debian's Chromium (as tests/browser.py drives it)
and walks the same pages as tests/web/test_every_page_accessible.py (tests/web/tour.py):
each is saved full page as NAME-desktop.png (1366x768) and NAME-phone.png (390x844), and
every axe-core violation, of any impact, is printed per page. Exit status 1 if any page
has a serious or critical one (the tests fail on those), else 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, axe_violations, chromium_path, serve  # noqa: E402
from tests.web import tour  # noqa: E402

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    executable = chromium_path()
    if executable is None:
        print("chromium is not installed (scripts/ensure-chromium.sh)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    demo = tour.build(Path(tempfile.mkdtemp(prefix="voice-demo-shots-")) / "data")
    serious = 0
    with serve(demo.app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url, viewport=SIZES["desktop"])

        def visit(target: tour.Page, status: int) -> None:
            nonlocal serious
            for label, size in SIZES.items():
                page.set_viewport_size(size)
                path = args.out / f"{target.name}-{label}.png"
                page.screenshot(path=str(path), full_page=True)
                found = axe_violations(page)
                wide = page.evaluate("document.scrollingElement.scrollWidth")
                note = f"  ({wide} px wide: scrolls sideways)" if wide > size["width"] else ""
                print(f"{path}  {target.path}  axe: {len(found)} violations{note}")
                for v in found:
                    nodes = ", ".join(" ".join(n["target"]) for n in v["nodes"][:5])
                    print(f"    {v['impact']}: {v['id']}: {v['help']} -> {nodes}")
                    serious += v["impact"] in ("serious", "critical")
            page.set_viewport_size(SIZES["desktop"])

        visited = tour.walk(page, demo, url, visit)
        browser.close()
    demo.services.homes.directory.close()
    print(f"{len(visited)} pages, {2 * len(visited)} screenshots in {args.out}")
    return 1 if serious else 0


if __name__ == "__main__":
    sys.exit(main())
