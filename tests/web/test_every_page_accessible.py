"""axe-core on every page of the app, at desktop and phone widths, and no sideways scroll.

The pages come from tests/web/tour.py: an explicit list, plus whatever the admin navigation
and each page link to (one URL per route), so a new page is checked without editing this.
One Chromium, one login, one tab; the phone check resizes the same tab.
"""

from __future__ import annotations

import pytest

from tests.browser import assert_accessible, serve
from tests.web import tour

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def test_every_page_is_accessible_at_desktop_and_phone_widths(browser, tmp_path, clock):
    demo = tour.build(tmp_path / "data", clock)
    problems: list[str] = []

    def check(target: tour.Page, status: int) -> None:
        got = page.evaluate("performance.getEntriesByType('navigation')[0]?.responseStatus")
        if got != status:
            problems.append(f"{target.path}: HTTP {got}, expected {status}")
            return
        for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
            page.set_viewport_size(size)
            try:
                assert_accessible(page, what=f"{target.path} at {label} width")
            except AssertionError as exc:
                problems.append(str(exc))
        wide = page.evaluate("document.scrollingElement.scrollWidth")
        if wide > PHONE["width"]:
            problems.append(f"{target.path}: {wide} px wide on a {PHONE['width']} px phone")
        page.set_viewport_size(DESKTOP)

    with serve(demo.app) as url:
        context = browser.new_context(base_url=url, viewport=DESKTOP)
        context.set_default_timeout(10_000)
        page = context.new_page()
        visited = tour.walk(page, demo, url, check)
        context.close()
    demo.services.homes.directory.close()
    assert len(visited) >= len(tour.explicit(demo))
    assert not problems, f"{len(problems)} problems on {len(visited)} pages:\n" + "\n".join(
        problems
    )
