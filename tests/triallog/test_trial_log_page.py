"""The trial-log admin page: behind the admin login, per-day outcomes, CSV, deleting a person."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from skill.services import build_services
from skill.web import create_app
from tests import alexa
from tests.admin.conftest import PASSWORD, AdminClient
from tests.browser import assert_accessible, serve

OTHER = "amzn1.ask.account.SOMEONEELSE"


@pytest.fixture
def settings(settings):
    return settings.with_(trial_log=True, admin_password=PASSWORD)


@pytest.fixture
def app(settings, services):
    application = create_app(settings, services)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def admin(app) -> AdminClient:
    client = AdminClient(app.test_client())
    assert client.login("Olu").status_code == 302
    client.page("/admin/trial-log/")
    return client


def use(services, clock, user, asked, outcomes, device="lamp", days_ago=0, home=""):
    """Record requests as the skill would, `days_ago` before the fixed clock (09:40 UTC)."""
    saved = clock.now
    clock.now = saved - timedelta(days=days_ago)
    for outcome in outcomes:
        services.trial_log.record(
            user_id=user, asked=asked, device=device, outcome=outcome, consented=True, home=home
        )
    clock.now = saved


@pytest.fixture
def homes(services):
    """Trial home A (London), where the OT calls the person "Mrs B", and Flat 3 (New York),
    whose person nobody has labelled yet."""
    directory = services.homes.directory
    return directory.add_home("Trial home A", "Europe/London"), directory.add_home(
        "Flat 3", "America/New_York"
    )


@pytest.fixture
def history(services, clock, homes):
    a, flat = homes
    me, other = alexa.USER_ID, OTHER
    use(services, clock, me, "TurnOnIntent", ["done"], days_ago=20, home=a.id)
    use(services, clock, me, "TurnOnIntent", ["done"], days_ago=2, home=a.id)
    use(services, clock, me, "TurnOffIntent", ["done"], days_ago=2, home=a.id)
    use(services, clock, me, "AMAZON.FallbackIntent", ["not_understood"], None, 2, a.id)
    use(services, clock, me, "TurnOnIntent", ["unreachable"], home=a.id)
    use(services, clock, me, "WhatsOnNowIntent", ["info"], device=None, home=a.id)
    use(services, clock, other, "TurnOffIntent", ["refused"], device="fan", home=flat.id)
    hashed = services.trial_log.hash_user(me), services.trial_log.hash_user(other)
    services.homes.directory.label_person(a.id, hashed[0], "Mrs B")
    return hashed


def test_the_page_and_its_api_need_a_login(client):
    response = client.get("/admin/trial-log/")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert client.get("/admin/trial-log/export.csv").status_code == 302
    assert client.get("/admin/api/trial-log/").status_code == 401


def test_deleting_needs_the_csrf_token(admin, history):
    me, _ = history
    response = admin.client.post("/admin/trial-log/delete-user", data={"user": me})
    assert response.status_code == 403


def test_no_page_without_admin_password(settings, clock):
    bare = settings.with_(admin_password=None)
    client = create_app(bare, build_services(bare, clock=clock)).test_client()
    assert client.get("/admin/trial-log/").status_code == 503


def test_shows_people_by_their_labels_and_days_folded(admin, history):
    me, other = history
    html = admin.page("/admin/trial-log/").get_data(as_text=True)
    assert "The trial log is on" in html
    assert "Mrs B" in html and f"Flat 3 (person {other[:4]})" in html
    assert alexa.USER_ID not in html and OTHER not in html
    assert "Of 6 commands, 3 worked (50%)" in html
    assert html.count("<rect") >= 5  # chart bars
    assert "No use from 30 April to 16 May 2026" in html and "No use on 18 May 2026" in html


def test_recording_off_says_who_switches_it_on_in_plain_words(settings, clock):
    off = settings.with_(trial_log=False)
    client = AdminClient(create_app(off, build_services(off, clock=clock)).test_client())
    client.login("Olu")
    html = client.page("/admin/trial-log/").get_data(as_text=True)
    assert "Ask the person who runs the server to switch the trial log on" in html
    assert "VOICE_DEMO_TRIAL_LOG" not in html


def test_filters_by_person_and_dates(admin, history):
    me, other = history
    api = admin.client.get(f"/admin/api/trial-log/?user={me}&from=2026-05-17&to=2026-05-19")
    data = api.get_json()
    assert [d["day"] for d in data["days"]] == ["2026-05-17", "2026-05-18", "2026-05-19"]
    assert [d["done"] for d in data["days"]] == [2, 0, 0]
    assert data["totals"]["refused"] == 0
    only_today = admin.client.get("/admin/api/trial-log/?from=2026-05-19&to=2026-05-19")
    assert only_today.get_json()["totals"] == {
        "done": 0,
        "not_understood": 0,
        "unreachable": 1,
        "refused": 1,
        "info": 1,
    }


def test_bad_filters_are_refused_plainly(admin):
    assert admin.client.get("/admin/trial-log/?user=amzn1.ask.account.X").status_code == 400
    assert admin.client.get("/admin/trial-log/?from=2026-05-20&to=2026-05-19").status_code == 400
    assert admin.client.get("/admin/api/trial-log/?from=yesterday").get_json()["error"]


def test_csv_export_for_one_person(admin, history):
    me, _ = history
    response = admin.client.get(f"/admin/trial-log/export.csv?user={me}&from=2026-05-01")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["What happened"] for r in rows] == [
        "Turned on the lamp",
        "Turned off the lamp",
        "Not understood",
        "Asked to turn on the lamp: device did not answer",
        "Asked what's on now",
    ]
    assert [r["Result code (for analysis)"] for r in rows] == [
        "done",
        "done",
        "not_understood",
        "unreachable",
        "info",
    ]
    assert {(r["Person"], r["Home"]) for r in rows} == {("Mrs B", "Trial home A")}
    assert {(r["Time"], r["Time zone"]) for r in rows} == {("10:40:00", "Europe/London (BST)")}
    assert {r["Person code (for analysis)"] for r in rows} == {me}


def test_csv_times_are_in_each_homes_own_zone(admin, history):
    _, other = history
    text = admin.client.get(f"/admin/trial-log/export.csv?user={other}").get_data(as_text=True)
    (row,) = csv.DictReader(io.StringIO(text))
    assert (row["Date"], row["Time"]) == ("2026-05-19", "05:40:00")
    assert row["Time zone"] == "America/New_York (EDT)"
    assert row["What happened"] == "Asked to turn off the fan: not allowed by voice"


def test_deleting_a_person_asks_first_then_keeps_everyone_else(admin, history, services):
    me, other = history
    confirm = admin.page(f"/admin/trial-log/delete-user?user={me}").get_data(as_text=True)
    assert "This deletes 6 records" in confirm and "for Mrs B?" in confirm
    response = admin.form("/admin/trial-log/delete-user", {"user": me})
    assert response.status_code == 302
    page = admin.page("/admin/trial-log/").get_data(as_text=True)
    assert "Deleted 6 records for Mrs B." in page
    assert {e.user for e in services.trial_log.store.entries()} == {other}


# --- in a real browser ----------------------------------------------------------------------


HEX_CODE = re.compile(r"\b[0-9a-f]{16}\b")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def log_in(page, name: str = "Olu", password: str = PASSWORD) -> None:
    page.goto("/admin/login")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def chart_font_sizes(page) -> list[float]:
    """Each chart label's font size as drawn on screen, in CSS px (a scaled SVG shrinks it)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('svg.trial-chart text')].map(t =>
            parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
    )


@pytest.mark.browser
def test_an_admin_reads_the_trial_log_in_plain_words_in_chromium(browser, app, history, tmp_path):
    from playwright.sync_api import expect

    me, other = history
    with serve(app) as url:
        context = browser.new_context(base_url=url, accept_downloads=True, viewport=DESKTOP)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto("/admin/trial-log/")
        page.get_by_label("Your name").fill("Olu")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Voice control trial log")).to_be_visible()
        assert_accessible(page)
        main = page.locator("main")
        assert not HEX_CODE.search(main.inner_text()), "people must not be shown as codes"

        people = page.locator("#people tbody tr")
        expect(people.get_by_role("rowheader")).to_have_text(
            ["Mrs B", f"Flat 3 (person {other[:4]})"]
        )
        expect(people.nth(0).locator("td").nth(0)).to_have_text("Trial home A")
        expect(people.nth(0).locator("td").nth(2)).to_have_text("19 May 2026, 10:40 BST")
        expect(people.nth(1).locator("td").nth(2)).to_have_text("19 May 2026, 05:40 EDT")

        latest = page.locator("#latest tbody tr")
        expect(latest.nth(0)).to_have_text(
            re.compile(r"Tue 19 May, 05:40 EDT\s*Flat 3 .*Asked to turn off the fan: not allowed")
        )
        expect(latest.nth(1)).to_have_text(re.compile(r"10:40 BST\s*Mrs B\s*Asked what's on now"))
        expect(latest.nth(3)).to_have_text(re.compile(r"Not understood$"))
        expect(latest.nth(5)).to_have_text(re.compile(r"Turned on the lamp$"))

        expect(page.locator("#days tbody tr th")).to_have_text(
            [
                "Tue 19 May 2026",
                "No use on 18 May 2026",
                "Sun 17 May 2026",
                "No use from 30 April to 16 May 2026",
                "Wed 29 Apr 2026",
                "No use from 22 to 28 April 2026",
            ]
        )
        expect(page.locator("#days thead th")).to_have_text(
            [
                "Day",
                "Worked",
                "Not understood",
                "Device did not answer",
                "Not allowed by voice",
                "Answered",
                "Total",
            ]
        )

        page.get_by_label("Person").select_option(label="Mrs B (6 requests)")
        page.get_by_role("button", name="Show").click()
        expect(page.locator("#summary")).to_contain_text("6 requests")
        expect(page.locator("#summary")).to_contain_text("by Mrs B")
        assert_accessible(page)
        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        saved = tmp_path / "trial.csv"
        download.value.save_as(saved)
        rows = list(csv.DictReader(io.StringIO(saved.read_text())))
        assert len(rows) == 6 and {r["Person"] for r in rows} == {"Mrs B"}
        assert rows[-1]["What happened"] == "Asked what's on now"
        assert rows[-1]["Time zone"] == "Europe/London (BST)"

        page.goto("/admin/trial-log/")
        page.get_by_role("link", name=f"Delete records for Flat 3 (person {other[:4]})").click()
        expect(page.get_by_role("heading")).to_contain_text(["Flat 3 (person"])
        assert_accessible(page)
        page.get_by_role("button", name="Delete 1 records").click()
        expect(page.get_by_role("status")).to_have_text(
            f"Deleted 1 records for Flat 3 (person {other[:4]})."
        )
        expect(page.locator("#people")).not_to_contain_text("Flat 3")
        context.close()


@pytest.mark.browser
def test_the_chart_and_tables_are_readable_on_a_phone_in_chromium(browser, app, history):
    from playwright.sync_api import expect

    with serve(app) as url:
        context = browser.new_context(base_url=url, viewport=PHONE)
        context.set_default_timeout(10_000)
        page = context.new_page()
        log_in(page)
        page.goto("/admin/trial-log/")
        expect(page.locator("svg.trial-chart rect[data-outcome]").first).to_be_visible()
        sizes = chart_font_sizes(page)
        assert sizes and min(sizes) >= 12, f"chart text drawn at {min(sizes):.1f} px on a phone"
        assert page.locator("svg.trial-chart text.date").count() >= 3  # dates along the bottom
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"
        chart = page.locator("svg.trial-chart").bounding_box()
        assert chart and chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"]
        # The numbers are also there as text: the legend and the day-by-day table.
        expect(page.locator(".trial-legend li")).to_have_count(5)
        expect(page.locator("#days tbody tr").first).to_contain_text("Tue 19 May 2026")
        assert_accessible(page)
        context.close()


@pytest.mark.browser
def test_an_ot_labels_a_person_on_their_homes_trial_log_in_chromium(
    browser, app, services, homes, history
):
    from playwright.sync_api import expect

    a, _ = homes
    me, _ = history
    services.homes.directory.label_person(a.id, me, "")  # not labelled yet
    services.homes.accounts.add("Sam", "ot", "a long ot password")
    services.homes.accounts.assign("Sam", a.id)
    with serve(app) as url:
        context = browser.new_context(base_url=url, viewport=PHONE)
        context.set_default_timeout(10_000)
        page = context.new_page()
        log_in(page, "Sam", "a long ot password")
        page.get_by_role("link", name="Trial home A").click()
        page.get_by_role("link", name="This home's trial log").click()
        expect(page.locator("ul.people strong")).to_have_text(f"Trial home A (person {me[:4]})")
        assert not HEX_CODE.search(page.locator("main").inner_text())
        assert_accessible(page)

        page.get_by_label(f"Label for Trial home A (person {me[:4]})").fill("Mrs B")
        page.get_by_role("button", name="Save label").click()
        expect(page.locator("ul.people strong")).to_have_text("Mrs B")
        expect(page.locator("#latest thead")).to_contain_text("Europe/London")
        expect(page.locator("#latest tbody tr").first).to_have_text(
            re.compile(r"Tue 19 May, 10:40 BST\s*Mrs B\s*Asked what's on now")
        )
        expect(page.locator("#days tbody tr.no-use").first).to_have_text("No use on 18 May 2026")
        expect(page.locator("#days tbody tr")).to_have_count(6)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)
        context.close()
