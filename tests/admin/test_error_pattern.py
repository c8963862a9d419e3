"""Issue 18 item 8: one error pattern on every admin form (GOV.UK error summary + message).

Each test submits bad input the way an officer would and checks, in Chromium, the summary
(focused, in the fields' order, links that move focus, the inline message's words), the
message above each field, the "Error: " title, and that what was typed is still there.
"""

from __future__ import annotations

import pytest

from skill.web.admin.context import KEY
from tests.admin.conftest import PASSWORD
from tests.admin.looks import assert_accessible, assert_error_pattern, log_in

pytestmark = pytest.mark.browser

HEADER = "date,start,end,title,room,presenter,description,aliases,status\n"
GOOD = HEADER + "2026-05-19,11:00,12:00,Knitting for beginners,Craft Room,Jo,Bring needles.,,\n"
BAD_ROW = "2026-05-19,13:00,12:00,,Garden,,A quiet lunch.,,\n"


def test_login_errors(page):
    from playwright.sync_api import expect

    page.goto("/admin/login")
    page.get_by_role("button", name="Log in").click()
    assert_error_pattern(
        page,
        [
            ("field-name", "Enter your name or account name (it goes in the change log)."),
            ("field-password", "Enter your password."),
        ],
    )
    page.locator("#field-name").fill("Sam")
    page.locator("#field-password").fill("not it")
    page.get_by_role("button", name="Log in").click()
    assert_error_pattern(
        page, [("field-password", "That password is not right. Check it and try again.")]
    )
    expect(page.locator("#field-name")).to_have_value("Sam")
    page.locator("#field-password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_title("Programme – Voice demo admin")


def test_session_form_errors_follow_the_fields_and_keep_what_was_typed(page, desk):
    from playwright.sync_api import expect

    draft, _ = desk.import_file("programme.csv", GOOD.encode(), "Priya")
    assert draft is not None
    log_in(page)
    page.goto(f"/admin/drafts/{draft.id}/sessions/new")
    page.get_by_label("Date").fill("2026-05-19")
    page.get_by_label("Start time").fill("13:00")
    page.get_by_label("End time").fill("12:00")
    page.get_by_label("Room").fill("Garden")
    page.get_by_role("button", name="Add session").click()
    assert_error_pattern(
        page,
        [
            ("field-title", "Enter a title."),
            ("field-end", "Enter an end time after the start time (13:00), like 14:00."),
        ],
    )
    expect(page).to_have_title("Error: Add a session – Voice demo admin")
    for label, value in (("Start time", "13:00"), ("End time", "12:00"), ("Room", "Garden")):
        expect(page.get_by_label(label)).to_have_value(value)


def test_a_row_to_fix_opens_with_its_errors_on_its_fields(page, desk):
    draft, _ = desk.import_file("programme.csv", (GOOD + BAD_ROW).encode(), "Priya")
    assert draft is not None and draft.pending
    log_in(page)
    page.goto(f"/admin/drafts/{draft.id}/pending/{draft.pending[0].row}")
    assert_error_pattern(
        page,
        [
            ("field-title", "Enter a title."),
            ("field-end", "Enter an end time after the start time (13:00), like 14:00."),
        ],
    )


def test_import_errors_are_on_the_file_field(page):
    from playwright.sync_api import expect

    log_in(page)
    page.get_by_role("button", name="Import as a new draft").click()
    assert_error_pattern(
        page, [("field-file", "Select a CSV (.csv) or calendar (.ics) file to import.")]
    )
    page.get_by_label("Programme file").set_input_files(
        {"name": "rooms.csv", "mimeType": "text/csv", "buffer": b"when,where\nMonday,Hall\n"}
    )
    page.get_by_role("button", name="Import as a new draft").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: ")
    texts = summary.get_by_role("link").all_inner_texts()
    assert texts[0] == "rooms.csv was not imported: fix what is listed here and select it again."
    assert len(texts) >= 2 and all(
        h == "#field-file"
        for h in summary.get_by_role("link").evaluate_all("ls => ls.map(l => l.hash)")
    )
    inline = page.locator("#field-file-error").evaluate("e => e.textContent")
    assert " ".join(inline.split()) == " ".join(f"Error: {t}" for t in texts)  # same words
    assert "field-file-error" in page.get_by_label("Programme file").get_attribute(
        "aria-describedby"
    )
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Programme file")).to_be_focused()


def test_preview_date_and_time_errors_are_on_their_fields(page, desk):
    draft, _ = desk.import_file("programme.csv", GOOD.encode(), "Priya")
    assert draft is not None
    log_in(page)
    response = page.goto(f"/admin/drafts/{draft.id}/preview?date=2026-02-30&time=25:99")
    assert response is not None and response.status == 400
    assert_error_pattern(
        page,
        [
            ("field-date", "Enter the day to pretend it is as a real date, like 2026-05-19."),
            ("field-time", "Enter the time to pretend it is in 24-hour time, like 10:30."),
        ],
    )


def test_homes_forms_put_each_error_on_its_own_field(page, admin_app):
    from playwright.sync_api import expect

    ctx = admin_app.extensions[KEY]
    log_in(page)
    page.goto("/admin/homes/")
    page.get_by_label("Label").fill("Flat 3")
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Add home").click()
    zone = (
        "Enter a time zone as a name like Europe/London: 'Mars/Olympus' is not a time zone "
        "this server knows."
    )
    assert_error_pattern(page, [("field-time_zone", zone)])
    expect(page.get_by_label("Label")).to_have_value("Flat 3")
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus")

    home = ctx.directory.add_home("Flat 4")
    page.goto(f"/admin/homes/{home.id}")
    page.get_by_label("Code the speaker said").fill("123456")
    page.get_by_role("button", name="Link the speaker").click()
    assert_error_pattern(
        page, [("field-code", "No speaker gave that code. Check the six digits and try again.")]
    )
    page.get_by_role("button", name="Import").click()
    assert_error_pattern(page, [("field-file", "Select a device registry file (.yaml) to import.")])
    page.locator("#field-label").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    assert_error_pattern(page, [("field-label", "Enter a label for the home, like Trial home A.")])

    page.goto(f"/admin/homes/{home.id}/devices/new?kind=simulated")
    page.get_by_label("Switch off by itself after (minutes)").fill("half an hour")
    page.get_by_role("button", name="Save plug").click()
    assert_error_pattern(
        page,
        [
            ("field-name", "Enter the name people say, like lamp."),
            (
                "field-max_on_minutes",
                "Enter the minutes after which it switches off by itself as a whole number, "
                "like 30 (0 means never).",
            ),
        ],
    )
    expect(page.get_by_label("Switch off by itself after (minutes)")).to_have_value("half an hour")


def test_accounts_form_errors(page):
    from playwright.sync_api import expect

    log_in(page)
    page.goto("/admin/accounts/")
    page.get_by_label("Name", exact=True).fill("Olu")
    page.get_by_label("Role").select_option("ot")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Add account").click()
    assert_error_pattern(page, [("field-password", "Enter a password of at least 10 characters.")])
    expect(page.get_by_label("Name", exact=True)).to_have_value("Olu")
    expect(page.get_by_label("Role")).to_have_value("ot")


def test_trial_log_reversed_dates_show_the_form_again(page):
    from playwright.sync_api import expect

    log_in(page)
    page.goto("/admin/trial-log/")
    page.locator("#field-from").fill("2026-05-20")
    page.locator("#field-to").fill("2026-05-10")
    with page.expect_response("**/admin/trial-log/?*") as answer:
        page.get_by_role("button", name="Show").click()
    assert answer.value.status == 400
    assert_error_pattern(
        page,
        [("field-to", "Enter a ‘To’ date the same as or after the ‘From’ date (20 May 2026).")],
    )
    expect(page.locator("#field-from")).to_have_value("2026-05-20")
    expect(page.locator("#field-to")).to_have_value("2026-05-10")


def test_rollback_without_a_reason(page, desk):
    desk.publish_sessions(desk.live().sessions[:3], desk.live().version, "Priya", "Short week")
    log_in(page)
    page.goto("/admin/versions")
    page.get_by_role("link", name="Make version 1 live").click()
    page.get_by_role("button", name="Make version 1 live").click()
    reason = "Enter why you are making version 1 live, such as “The new file had the wrong week”."
    assert_error_pattern(page, [("field-reason", reason)])
    assert page.title() == "Error: Make version 1 live? – Voice demo admin"
