"""The trial-log admin page: behind the admin login, per-day outcomes, CSV, deleting a person."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from skill.services import build_services
from skill.web import create_app
from tests import alexa
from tests.admin.conftest import PASSWORD, AdminClient
from tests.browser import serve

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


def use(services, clock, user, outcomes, device="lamp", days_ago=0):
    """Record device commands as the skill would, `days_ago` before the fixed clock."""
    saved = clock.now
    clock.now = saved - timedelta(days=days_ago)
    for outcome in outcomes:
        services.trial_log.record(
            user_id=user, asked="TurnOnIntent", device=device, outcome=outcome, consented=True
        )
    clock.now = saved


@pytest.fixture
def history(services, clock):
    use(services, clock, alexa.USER_ID, ["done", "done", "not_understood"], days_ago=2)
    use(services, clock, alexa.USER_ID, ["done", "unreachable"])
    use(services, clock, OTHER, ["refused"], device="fan")
    return services.trial_log.hash_user(alexa.USER_ID), services.trial_log.hash_user(OTHER)


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


def test_shows_per_day_counts_and_people(admin, history):
    me, other = history
    html = admin.page("/admin/trial-log/").get_data(as_text=True)
    assert "Recording is on" in html
    assert me in html and other in html
    assert alexa.USER_ID not in html and OTHER not in html
    assert "Of 6 commands, 3 worked (50%)" in html
    assert html.count("<rect") >= 5  # chart bars plus legend


def test_filters_by_person_and_dates(admin, history):
    me, other = history
    api = admin.client.get(f"/admin/api/trial-log/?user={me}&from=2026-05-17&to=2026-05-19")
    data = api.get_json()
    assert [d["day"] for d in data["days"]] == ["2026-05-17", "2026-05-18", "2026-05-19"]
    assert [d["done"] for d in data["days"]] == [2, 0, 1]
    assert data["totals"]["refused"] == 0
    only_today = admin.client.get("/admin/api/trial-log/?from=2026-05-19&to=2026-05-19")
    assert only_today.get_json()["totals"] == {
        "done": 1,
        "not_understood": 0,
        "unreachable": 1,
        "refused": 1,
        "info": 0,
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
    assert [r["outcome"] for r in rows] == ["done", "done", "not_understood", "done", "unreachable"]
    assert {r["user"] for r in rows} == {me} and {r["device"] for r in rows} == {"lamp"}


def test_deleting_a_person_asks_first_then_keeps_everyone_else(admin, history, services):
    me, other = history
    confirm = admin.page(f"/admin/trial-log/delete-user?user={me}").get_data(as_text=True)
    assert "This deletes 5 records" in confirm
    response = admin.form("/admin/trial-log/delete-user", {"user": me})
    assert response.status_code == 302
    assert "Deleted 5 records" in admin.page("/admin/trial-log/").get_data(as_text=True)
    assert {e.user for e in services.trial_log.store.entries()} == {other}


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
def test_an_ot_reviews_exports_and_clears_a_trial_in_chromium(browser, app, history, tmp_path):
    from playwright.sync_api import expect

    me, other = history
    with serve(app) as url:
        context = browser.new_context(base_url=url, accept_downloads=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.request.post("/alexa", data=alexa.intent("AMAZON.FallbackIntent"))  # a live one

        page.goto("/admin/trial-log/")
        page.get_by_label("Your name").fill("Olu")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Voice control trial log")).to_be_visible()
        expect(page.locator("svg.trial-chart rect[data-outcome]").first).to_be_visible()
        today = page.locator("#days tbody tr").first
        expect(today.get_by_role("rowheader")).to_have_text("Tue 19 May 2026")
        expect(today.locator("td")).to_have_text(["1", "1", "1", "1", "0", "4"])

        page.get_by_label("Person").select_option(me)
        page.get_by_label("From").fill("2026-05-17")
        page.get_by_role("button", name="Show").click()
        # 5 recorded earlier + the "not understood" just asked through /alexa
        expect(page.locator("#summary")).to_contain_text("Of 6 commands, 3 worked (50%)")

        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        saved = tmp_path / "trial.csv"
        download.value.save_as(saved)
        assert len(saved.read_text().splitlines()) == 1 + 6

        page.get_by_role("link", name=f"Delete records for {other}").click()
        page.get_by_role("button", name="Delete 1 records").click()
        expect(page.get_by_role("status")).to_have_text(f"Deleted 1 records for {other}.")
        expect(page.locator("#people")).not_to_contain_text(other)
        context.close()
