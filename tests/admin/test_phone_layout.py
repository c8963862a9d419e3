"""Issue 18 item 7: no admin page scrolls sideways on a phone, and row buttons stay in reach.

Every page a logged-in administrator reaches, at 390x844 (an iPhone 12-14) and 320x640 (the
narrowest phone WCAG 1.4.10 reflow asks for), with many sessions, long titles and rows to fix.
"""

from __future__ import annotations

import pytest

from skill.web.admin.context import KEY
from tests.admin.looks import log_in
from tests.browser import assert_accessible

pytestmark = pytest.mark.browser

LONG = "An introduction to the Anglo-Saxon Chronicle and its many manuscripts read aloud"
HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
ROWS = "".join(
    f"2026-05-{19 + i % 3},{9 + i % 8:02}:00,{10 + i % 8:02}:00,{LONG} part {i},"
    f"The Long Gallery on the Second Floor,Professor Bartholomew Featherstonehaugh-Smythe,"
    f"A talk.,chronicle {i}; manuscripts {i},\n"
    for i in range(24)
)
BAD = (
    "2026-05-19,13:00,12:00,Supercalifragilisticexpialidociousworkshopwithoutspaces,Garden,,,,\n"
    "2026-05-32,13:00,14:00,Mindful lunch,Garden,,,,\n"
)
SIZES = [(390, 844), (320, 640)]


@pytest.fixture
def site(admin_app, desk):
    ctx = admin_app.extensions[KEY]
    good, _ = desk.import_file("good.csv", (HEADER + ROWS).encode(), "Priya")
    assert good is not None
    desk.publish(good.id, good.revision, desk.live().version, "Long titles", "Priya")
    draft, _ = desk.import_file("programme.csv", (HEADER + ROWS + BAD).encode(), "Priya")
    assert draft is not None and draft.pending
    home = ctx.directory.add_home("Trial home A with a rather long label for a phone")
    ctx.directory.import_registry(
        home.id,
        "devices:\n  - {id: lamp, name: reading lamp by the window, aliases: [light], "
        "driver: simulated}\n",
        "a.yaml",
    )
    ctx.accounts.add("Olu Oyelaran-Featherstone", "ot", "a long ot password")
    ctx.accounts.assign("Olu Oyelaran-Featherstone", home.id)
    d = f"/admin/drafts/{draft.id}"
    h = f"/admin/homes/{home.id}"
    pages = [
        "/admin/",
        d,
        f"{d}/sessions/new",
        f"{d}/sessions/{draft.sessions[0].id}",
        f"{d}/pending/{draft.pending[0].row}",
        f"{d}/preview",
        "/admin/versions",
        "/admin/history",
        "/admin/homes/",
        h,
        f"{h}/devices/new",
        f"{h}/devices/new?kind=simulated",
        f"{h}/devices/lamp",
        f"{h}/trial-log",
        "/admin/accounts/",
        "/admin/trial-log/",
    ]
    return draft, pages


def sideways(page) -> tuple[int, int]:
    return page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")


def test_login_page_fits_a_phone(browser, live_server):
    for width, height in SIZES:
        context = browser.new_context(
            base_url=live_server, viewport={"width": width, "height": height}
        )
        tab = context.new_page()
        tab.goto("/admin/login")
        scroll, inner = sideways(tab)
        assert scroll <= inner, f"login at {width}px is {scroll}px wide"
        assert_accessible(tab)
        context.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}px")
def test_every_admin_page_fits_a_phone(page, site, size):
    draft, pages = site
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page)
    wide = []
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.ok, path
        scroll, inner = sideways(page)
        if scroll > inner:
            wide.append(f"{path}: {scroll}px on a {inner}px screen")
        assert_accessible(page, what=f"{path} at {size[0]}px")
    assert not wide, "pages scroll sideways:\n" + "\n".join(wide)


def test_row_buttons_on_a_phone_are_on_screen_and_can_be_pressed(page, site):
    draft, _ = site
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page)
    page.goto(f"/admin/drafts/{draft.id}")
    buttons = page.locator("td.actions .button")
    count = buttons.count()
    assert count >= 3 * 24 + 2 * 2
    for i in (0, 1, 2, count - 3, count - 2, count - 1):
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (i, box)
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('.button')?.outerHTML",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert hit == button.evaluate("b => b.outerHTML"), f"button {i} is covered"
    # One of them works from there: the fix link opens the row's form.
    page.locator(f"#session-pending-{draft.pending[0].row}").get_by_role("link", name="Fix").click()
    assert "/pending/" in page.url
