"""An officer's journeys through publishing and the destructive steps, in a real Chromium:
check before publishing, confirm before deleting, discarding or rolling back, plain words."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.admin.conftest import PASSWORD
from tests.admin.test_publishing import plain
from tests.browser import assert_accessible

pytestmark = pytest.mark.browser


def looked_at(page) -> None:
    """Every page state an officer reaches: accessible, and no jargon on it."""
    assert_accessible(page)
    shown = page.title() + "\n" + page.locator("body").inner_text()
    assert plain(shown) == [], f"jargon on {page.url}: {plain(shown)}"


def log_in(page) -> None:
    from playwright.sync_api import expect

    page.goto("/admin/")
    page.get_by_label("Your name").fill("Priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The spoken programme")).to_be_visible()
    looked_at(page)


def test_publishing_a_draft_shows_what_it_adds_changes_and_removes_first(page, desk):
    from playwright.sync_api import expect

    live = desk.live().sessions  # the demo week: 25 sessions
    kept = [replace(s, room="Hall 2") for s in live[:9]]
    quiz = replace(live[0], id="quiz", title="Lunchtime quiz", room="Café", aliases=())
    draft = desk.drafts.create("new-week.csv", [*kept, quiz], "Priya", 1)
    log_in(page)

    page.get_by_role("link", name="new-week.csv").click()
    expect(page.get_by_role("heading", name="Draft: new-week.csv")).to_contain_text("Draft")
    looked_at(page)
    page.get_by_role("link", name="Check and publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before you publish Draft")
    expect(page.locator("#check-sentence")).to_have_text(
        "Publishing will add 1, change 9 and remove 16 sessions."
    )
    expect(page.locator("#check-warning")).to_contain_text(
        "This removes 16 sessions of the 25 in the live programme and keeps only 9."
    )
    expect(page.get_by_role("heading", name="Added (1)")).to_be_visible()
    expect(page.locator("#added")).to_contain_text("Lunchtime quiz")
    expect(page.get_by_role("heading", name="Changed (9)")).to_be_visible()
    expect(page.locator("#changed li").first).to_contain_text("What changed: room")
    expect(page.locator("#changed li").first).to_contain_text("→ “Hall 2”")
    expect(page.get_by_role("heading", name="Removed (16)")).to_be_visible()
    expect(page.locator("#removed li")).to_have_count(16)
    looked_at(page)

    # Cancel goes back to the draft and nothing went live.
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Draft: new-week.csv")).to_be_visible()
    assert desk.live().version == 1

    page.get_by_role("link", name="Check and publish").click()
    page.get_by_label("What changed").fill("The new week")
    page.get_by_role("button", name="Publish as a new version").click()
    expect(page.get_by_role("status")).to_have_text(
        "Published version 2. The skill is using it now."
    )
    expect(page.locator("#version-2")).to_contain_text("Live")
    expect(page.locator("#version-2")).to_contain_text("Published by Priya at")
    expect(page.locator("#version-1")).to_contain_text("Set up at install with the demo programme")
    looked_at(page)
    assert len(desk.live().sessions) == 10
    assert draft.id not in [d.id for d in desk.drafts.list()]


def test_deleting_a_session_and_discarding_a_draft_ask_first(page, desk):
    from playwright.sync_api import expect

    log_in(page)
    page.get_by_role("button", name="Start a draft from the live programme").click()
    expect(page.get_by_role("heading", name="Draft: Changes to version 1")).to_be_visible()
    looked_at(page)
    rows = page.locator("table.sessions tbody tr")
    expect(rows).to_have_count(25)
    first = desk.drafts.list()[0].sessions[0]

    # Mark as cancelled, and back: the button says what it does.
    row = page.locator(f"#session-{first.id}")
    row.get_by_role("button", name=f"Mark as cancelled {first.title}").click()
    expect(page.get_by_role("status")).to_have_text(f"Marked “{first.title}” as cancelled.")
    expect(page.locator(f"#session-{first.id}")).to_contain_text("Cancelled")
    looked_at(page)
    page.locator(f"#session-{first.id}").get_by_role(
        "button", name=f"Mark as on again {first.title}"
    ).click()
    expect(page.get_by_role("status")).to_have_text(f"Marked “{first.title}” as on again.")

    # Delete: a confirmation that names the session; Cancel keeps it.
    page.locator(f"#session-{first.id}").get_by_role("link", name=f"Delete {first.title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Delete “{first.title}” from this draft?"
    )
    expect(
        page.get_by_text("The live programme does not change until you publish.")
    ).to_be_visible()
    looked_at(page)
    page.get_by_role("link", name="Cancel").click()
    expect(rows).to_have_count(25)
    page.locator(f"#session-{first.id}").get_by_role("link", name=f"Delete {first.title}").click()
    page.get_by_role("button", name="Delete this session").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Deleted “{first.title}” from the draft. The live programme is unchanged."
    )
    expect(rows).to_have_count(24)
    looked_at(page)

    # Discard: says what goes and that the live programme stays; Cancel keeps the draft.
    page.get_by_role("link", name="Discard this draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Discard the draft “Changes to version 1”?"
    )
    expect(page.get_by_text("The draft and its 24 sessions will be deleted")).to_be_visible()
    expect(page.get_by_text("The live programme (version 1) stays as it is.")).to_be_visible()
    looked_at(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Draft: Changes to version 1")).to_be_visible()
    draft_url = page.url
    page.get_by_role("link", name="Discard this draft").click()
    page.get_by_role("button", name="Discard this draft").click()
    expect(page.get_by_role("status")).to_have_text(
        "Discarded the draft “Changes to version 1”. The live programme is unchanged."
    )
    expect(page.get_by_text("No drafts.")).to_be_visible()
    looked_at(page)
    assert desk.live().version == 1 and len(desk.live().sessions) == 25

    page.goto(draft_url)  # an old bookmark: plain words, not "Not Found"
    expect(page).to_have_title("Page not found – Voice demo admin")
    expect(page.get_by_text("That draft no longer exists.")).to_be_visible()
    looked_at(page)


def test_making_an_old_version_live_says_what_happens_and_asks_why(page, desk):
    from playwright.sync_api import expect

    desk.publish_sessions(desk.live().sessions[:12], 1, "cli:root", "Short week")
    log_in(page)
    page.get_by_role("link", name="Versions").click()
    expect(page.locator("#version-2")).to_contain_text("Published from the command line at")
    looked_at(page)

    page.get_by_role("link", name="Make version 1 live").click()
    expect(page.locator("#rollback-plan")).to_have_text(
        re.compile(
            r"^Version 1 \(25 sessions, set up at install with the demo programme at "
            r"\d\d:\d\d on \w{3} \d+ \w{3}\) will replace version 2 as the live programme\.$"
        )
    )
    expect(page.get_by_text("Making version 1 live will add 13 sessions.")).to_be_visible()
    looked_at(page)

    # No reason: the GOV.UK error summary and message, nothing changed.
    page.get_by_role("button", name="Make version 1 live").click()
    expect(page).to_have_title(re.compile(r"^Error: Make version 1 live\?"))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    message = "Enter why you are making version 1 live"
    expect(summary.get_by_role("link", name=re.compile(message))).to_be_visible()
    expect(page.locator("#field-reason-error")).to_contain_text(message)
    looked_at(page)
    assert desk.live().version == 2

    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Published versions")).to_be_visible()
    assert desk.live().version == 2

    page.get_by_role("link", name="Make version 1 live").click()
    page.get_by_label("Why are you making version 1 live?").fill("The short week was a mistake")
    page.get_by_role("button", name="Make version 1 live").click()
    expect(page.get_by_role("status")).to_have_text(
        "Version 1 is live again. The skill is using it now."
    )
    looked_at(page)
    assert desk.live().version == 1

    page.get_by_role("link", name="Change log").click()
    logged = page.get_by_role("row").filter(has_text="Made version 1 live again")
    expect(logged).to_contain_text(
        "Made version 1 live again in place of version 2. Reason: The short week was a mistake"
    )
    expect(logged).to_contain_text("Priya")
    expect(page.get_by_role("table")).to_contain_text("The command line")
    expect(page.get_by_role("table")).to_contain_text("Set up at install")
    looked_at(page)

    page.get_by_role("link", name="Programme").click()
    expect(page.locator("#live-title + p")).to_contain_text("Live")
    looked_at(page)
