"""Issue 18 item 6: the focus ring is visible on every background an element sits on.

Measured in Chromium after tabbing to the element: each colour the focus adds (outline,
ring shadow, yellow fill) against the background behind the element and against the
element's own fill; the best of them must reach 3:1 (WCAG 1.4.11).
"""

from __future__ import annotations

import pytest

from tests.admin.looks import STYLE_JS, log_in, ring, tab_to
from tests.browser import assert_accessible

pytestmark = pytest.mark.browser

CSV = (
    "date,start,end,title,room,presenter,description,aliases,status\n"
    "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo,Bring needles.,knitting,\n"
    "2026-05-19,13:00,12:00,Mindful lunch,Garden,,A quiet lunch.,,\n"
)


def measure(page, locator) -> tuple[float, float | None]:
    locator.scroll_into_view_if_needed()
    before = locator.evaluate(STYLE_JS)
    tab_to(page, locator)
    after = locator.evaluate(STYLE_JS)
    assert after["focused"]
    found = ring(before, after)
    assert found.colours, f"focus adds nothing visible to {locator}"
    return found.worst_case()


def check(page, targets: dict[str, object]) -> None:
    weak = []
    for what, locator in targets.items():
        behind, fill = measure(page, locator)
        if behind < 3 or (fill is not None and fill < 3):
            weak.append(f"{what}: {behind:.2f}:1 on its background, {fill}:1 on its fill")
    assert_accessible(page)
    assert not weak, "focus ring below 3:1:\n" + "\n".join(weak)


def test_focus_ring_on_links_buttons_and_fields_of_the_draft(page, desk):
    draft, _ = desk.import_file("programme.csv", CSV.encode(), "Priya")
    assert draft is not None
    log_in(page)
    page.goto(f"/admin/drafts/{draft.id}")
    check(
        page,
        {
            "a link in the dark header": page.get_by_role("link", name="Versions"),
            "the grey button on the dark header": page.get_by_role("button", name="Log out"),
            "a grey row button on a pale yellow row": page.locator(
                "#session-pending-3"
            ).get_by_role("link", name="Fix"),
            "a red row button": page.locator("#session-pending-3").get_by_role(
                "button", name="Delete"
            ),
            "a red button on white": page.locator(".button", has_text="Discard this draft"),
            "a grey button on white": page.get_by_role("link", name="Add a session"),
        },
    )


def test_focus_ring_on_form_fields(page, desk):
    draft, _ = desk.import_file("programme.csv", CSV.encode(), "Priya")
    assert draft is not None
    log_in(page)
    page.goto(f"/admin/drafts/{draft.id}/sessions/new")
    check(
        page,
        {
            "a link on white": page.get_by_role("link", name="Back to the draft"),
            "a text input": page.locator("#field-title"),
            "a time input": page.locator("#field-start"),
            "a checkbox": page.locator("#field-status"),
            "a green button": page.get_by_role("button", name="Add session"),
        },
    )
    page.goto("/admin/accounts/")
    check(page, {"a select": page.locator("#field-role")})


def test_focus_ring_on_a_summary(page, desk):
    draft, _ = desk.import_file(
        "programme.csv", CSV.replace("13:00,12:00", "13:00,14:00").encode(), "Priya"
    )
    assert draft is not None
    desk.publish(draft.id, draft.revision, desk.live().version, "", "Priya")
    log_in(page)
    page.goto("/admin/versions")
    check(page, {"a summary": page.locator("summary").first})
