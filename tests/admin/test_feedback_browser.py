"""The feedback results page in a real headless Chromium: the empty state, answers given by
voice (POST /alexa), the chart on a phone-sized screen, the CSV download, and the session
form's "Ask visitors for feedback" checkbox. axe-core on every state reached."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests import alexa
from tests.admin.conftest import PASSWORD
from tests.browser import assert_accessible

pytestmark = pytest.mark.browser


def log_in(page) -> None:
    page.goto("/admin/")
    page.get_by_label("Your name").fill("Priya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def answer(page, user: str, rating: str, effective: str) -> None:
    """A visitor's whole answer about Learn to code, as Alexa sends it."""
    attributes: dict = {}
    for name, slots in (
        ("GiveFeedbackIntent", {"session": "learn to code"}),
        ("RateSessionIntent", {"rating": rating}),
        (effective, None),
    ):
        body = alexa.intent(name, slots, attributes=attributes, user_id=user, new=not attributes)
        response = page.request.post("/alexa", data=body)
        assert response.ok, response.text()
        attributes = response.json().get("sessionAttributes") or {}
    assert "Thank you for your feedback." in alexa.speech_text(response.json())


def test_feedback_results_page_chart_and_csv(browser, live_server):
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=live_server, accept_downloads=True, viewport={"width": 375, "height": 740}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page)
        page.get_by_role("link", name="Feedback").click()
        expect(page.get_by_role("heading", name="Visitors’ feedback")).to_be_visible()
        expect(page.get_by_role("heading", name="No feedback yet")).to_be_visible()
        expect(page.locator("#no-feedback")).to_contain_text("Nobody has given feedback so far")
        assert_accessible(page, what="feedback, empty")

        answer(page, "amzn1.ask.account.ANA", "4", "AMAZON.YesIntent")
        answer(page, "amzn1.ask.account.BEN", "2", "NotSureIntent")
        answer(page, "amzn1.ask.account.CAI", "5", "AMAZON.YesIntent")
        answer(page, "amzn1.ask.account.CAI", "3", "AMAZON.NoIntent")  # replaces Cai's first
        page.reload()
        expect(page.locator("#summary")).to_contain_text("3 answers about 1 session.")
        row = page.locator('#results tr[data-session="learn-to-code"]')
        expect(row).to_contain_text("Learn to code")
        expect(row.locator("td").nth(1)).to_have_text("3")
        expect(row.locator("td").nth(2)).to_have_text("3.0 out of 5 (3 ratings)")
        expect(row.locator("td").nth(3)).to_have_text("1")  # yes
        expect(row.locator("td").nth(4)).to_have_text("1")  # not sure
        expect(row.locator("td").nth(5)).to_have_text("1")  # no
        # A session that ended with no answers is listed too; the chart is for answered ones.
        expect(page.locator('#results tr[data-session="mindfulness-at-work"]')).to_contain_text(
            "No ratings"
        )
        chart = page.get_by_role("img", name="Feedback on Learn to code")
        expect(chart).to_be_visible()
        expect(chart).to_contain_text("Not sure")
        box = chart.bounding_box()
        assert box is not None and box["width"] <= 375  # fits a phone, labels readable
        label = chart.locator("text", has_text="Not sure").bounding_box()
        assert label is not None and label["height"] >= 11  # not shrunk past reading
        assert_accessible(page, what="feedback, with answers")

        with page.expect_download() as download:
            page.get_by_role("link", name="Export CSV").click()
        body = Path(download.value.path()).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(body)))
        found = sorted(
            (r["session"], r["rating (1 to 5)"], r["more effective at work"]) for r in rows
        )
        assert found == [
            ("Learn to code", "2", "Not sure"),
            ("Learn to code", "3", "No"),
            ("Learn to code", "4", "Yes"),
        ]
        assert {r["session date"] for r in rows} == {"2026-05-18"}
        # Local time (BST): the fixed clock is 09:40 UTC.
        assert {r["answered at"] for r in rows} == {"2026-05-19 10:40"}
        assert "amzn1" not in body
    finally:
        context.close()


def test_an_admin_turns_feedback_off_for_a_session_in_the_form(page):
    from playwright.sync_api import expect

    log_in(page)
    page.get_by_role("button", name="Start a draft from the live programme").click()
    page.get_by_role("link", name="Edit Learn to code,").first.click()
    box = page.get_by_label("Ask visitors for feedback")
    expect(box).to_be_checked()
    assert_accessible(page, what="session form")
    box.uncheck()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved “Learn to code”.")
    page.get_by_role("link", name="Edit Learn to code,").first.click()
    expect(page.get_by_label("Ask visitors for feedback")).not_to_be_checked()
