"""The preview asks every phrase the stand and the card suggest, in a real Chromium."""

from __future__ import annotations

import re

import pytest

from skill.model.suggest import card_for, suggestions
from tests.admin.conftest import PASSWORD
from tests.browser import assert_accessible

pytestmark = pytest.mark.browser

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
DRAFT = HEADER + (
    "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo Bloggs,Bring needles.,knitting,\n"
    "2026-05-19,13:00,14:00,Mindful lunch,Garden,,A quiet lunch.,,\n"
)


def answer_to(page, phrase: str):
    """The <dd> that answers `phrase` on the preview page."""
    asked = page.locator("#answers dt").filter(has_text=re.compile(f"^You: “{re.escape(phrase)}”$"))
    return asked.locator("xpath=following-sibling::dd[1]")


def log_in(page) -> None:
    page.goto("/admin/login")
    page.get_by_label("Your name").fill("Priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_the_preview_answers_whats_on_now_and_every_suggested_phrase(page, desk):
    from playwright.sync_api import expect

    draft, _ = desk.import_file("programme.csv", DRAFT.encode(), "Priya")
    assert draft is not None
    log_in(page)
    page.goto(f"/admin/drafts/{draft.id}/preview?date=2026-05-19&time=11:30")
    expect(page.get_by_role("heading", name="What the skill would say")).to_be_visible()
    now = answer_to(page, "what's on now")
    expect(now).to_contain_text("Knitting for beginners")
    # The stand's own words, one-shot form and all, are previewed too.
    stand = answer_to(page, "Alexa, ask learning week demo what's on now")
    expect(stand).to_contain_text("Knitting for beginners")
    # Every phrase of the stand and of the card (for this draft's titles) is asked.
    titles = ["Knitting for beginners", "Mindful lunch"]
    for s in suggestions(card_for(titles)):
        expect(answer_to(page, s.phrase)).to_have_count(1)
    expect(page.locator("#answers")).not_to_contain_text("how Knitting for beginners went")
    assert_accessible(page)

    # Another moment through the form (admin.js asks the JSON API): the answers follow it.
    page.get_by_label("at this time").fill("13:30")
    with page.expect_response("**/admin/api/drafts/*/preview?*") as asked:
        page.get_by_role("button", name="Show the answers").click()
    assert asked.value.ok
    expect(page.locator("[data-moment]")).to_have_text("13:30 on Tuesday 19 May")
    expect(answer_to(page, "what's on now")).to_contain_text("Mindful lunch")
    expect(page.get_by_role("heading", name="On the stand")).to_be_visible()
    # Knitting has ended by 13:30, so the stand invites feedback on it: that is asked too.
    invitation = "Alexa, tell learning week demo how Knitting for beginners went"
    expect(answer_to(page, invitation)).to_contain_text("How was Knitting for beginners?")
    assert_accessible(page)
