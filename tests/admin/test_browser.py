"""An admin's whole round trip in a real headless Chromium against a real server."""

from __future__ import annotations

import pytest

from tests.admin.conftest import PASSWORD
from tests.alexa import intent, speech_text

pytestmark = pytest.mark.browser

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
GOOD = HEADER + (
    "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo Bloggs,Bring needles.,knitting,\n"
    "2026-05-19,13:00,14:00,Mindful lunch,Garden,,A quiet lunch.,,\n"
)
BROKEN = GOOD.replace("13:00,14:00,Mindful", "13:00,12:00,Mindful")


def what_next(page) -> str:
    """Ask the running skill, as Alexa would (the fixed test clock says 10:40 on 19 May)."""
    response = page.request.post("/alexa", data=intent("WhatsNextIntent"))
    assert response.ok, response.text()
    return speech_text(response.json())


def csv_file(text: str) -> dict:
    return {"name": "programme.csv", "mimeType": "text/csv", "buffer": text.encode()}


def test_admin_imports_fixes_previews_publishes_and_rolls_back(page):
    from playwright.sync_api import expect

    before = what_next(page)
    assert "Knitting" not in before

    page.goto("/admin/")
    expect(page).to_have_title("Log in – Voice demo admin")
    page.get_by_label("Your name").fill("Priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The spoken programme")).to_be_visible()

    # A file with a bad row: the good row becomes a draft, the bad one waits there to be
    # fixed, named by row and column, with focus on the summary.
    page.get_by_label("Programme file").set_input_files(csv_file(BROKEN))
    page.get_by_role("button", name="Import as a new draft").click()
    expect(page.get_by_role("heading", name="Draft: programme.csv")).to_be_visible()
    summary = page.get_by_role("alert").filter(has_text="Fix these before publishing")
    expect(summary).to_contain_text("Row 3, column 'end': 12:00 is before the start 13:00")
    expect(summary).to_be_focused()
    expect(page.get_by_role("heading", name="Rows to fix (1)")).to_be_visible()

    # Fixed in place: the form shows what the row said.
    page.get_by_role("link", name="Fix Row 3").click()
    expect(page.get_by_label("Title")).to_have_value("Mindful lunch")
    page.get_by_label("End time").fill("14:00")
    page.get_by_role("button", name="Save and add to the draft").click()
    expect(page.get_by_role("heading", name="Draft: programme.csv")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(
        "Fixed Row 3: “Mindful lunch” is now in the draft."
    )
    expect(page.get_by_role("heading", name="Rows to fix (1)")).to_have_count(0)
    expect(
        page.get_by_text("Added “Knitting for beginners” (Tuesday 19 May at 11:00).")
    ).to_be_visible()

    # Preview at a chosen moment, through the JSON API the page calls.
    page.get_by_role("link", name="Preview what the skill would say").click()
    page.get_by_label("Pretend it is this day").fill("2026-05-19")
    page.get_by_label("at this time").fill("10:40")
    page.get_by_label("Session to ask about").select_option(
        label="Mindful lunch (Tue 19 May 13:00)"
    )
    with page.expect_response("**/admin/api/drafts/*/preview?*") as asked:
        page.get_by_role("button", name="Show the answers").click()
    assert asked.value.ok
    answers = page.locator("#answers")
    expect(answers).to_contain_text("10:40 on Tuesday 19 May")
    expect(answers).to_contain_text("Alexa: “Next is Knitting for beginners")
    expect(answers).to_contain_text("You: “Tell me about Mindful lunch.”")
    assert "Knitting" not in what_next(page)  # a preview changes nothing

    # Publish with a note, after checking what it changes; the skill answers from the new
    # version at once.
    page.get_by_role("link", name="Back to the draft").click()
    page.get_by_role("link", name="Check and publish").click()
    expect(page.locator("#check-sentence")).to_have_text(
        "Publishing will add 2 and remove 25 sessions."
    )
    page.get_by_label("What changed").fill("Craft week")
    page.get_by_role("button", name="Publish as a new version").click()
    expect(page.get_by_role("status")).to_have_text(
        "Published version 2. The skill is using it now."
    )
    expect(page.locator("#version-2")).to_contain_text("Live")
    assert "Knitting for beginners" in what_next(page)

    # Roll back, with a reason; the old answer returns.
    page.locator("#version-1").get_by_text("What changes if version 1 goes live again").click()
    expect(page.locator("#version-1")).to_contain_text("Removed “Knitting for beginners”")
    page.get_by_role("link", name="Make version 1 live").click()
    page.get_by_label("Why are you making version 1 live?").fill("Craft week was a mistake")
    page.get_by_role("button", name="Make version 1 live").click()
    expect(page.get_by_role("status")).to_have_text(
        "Version 1 is live again. The skill is using it now."
    )
    assert what_next(page) == before

    page.get_by_role("link", name="Change log").click()
    expect(page.get_by_role("table")).to_contain_text(
        "Made version 1 live again in place of version 2. Reason: Craft week was a mistake"
    )


def test_keyboard_only_login_and_visible_focus(page):
    from playwright.sync_api import expect

    page.goto("/admin/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your name")).to_be_focused()
    outline = page.get_by_label("Your name").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid"
    page.keyboard.type("Sam")
    page.keyboard.press("Tab")
    page.keyboard.type("not it")
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="That password is not right").click()
    expect(page.get_by_label("Password")).to_be_focused()
