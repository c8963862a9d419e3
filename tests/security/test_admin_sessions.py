"""Admin sessions end on the server at logout; the login throttle is per name as well."""

from __future__ import annotations

from skill.web import create_app
from skill.web.admin.context import KEY
from tests.admin.conftest import PASSWORD, AdminClient

COOKIE = "voice_demo_admin"


def copy_of(admin: AdminClient, app) -> AdminClient:
    """Another browser holding a copy of `admin`'s cookie (say, stolen before logout)."""
    thief = AdminClient(app.test_client())
    cookie = admin.client.get_cookie(COOKIE)
    assert cookie is not None
    thief.client.set_cookie(COOKIE, cookie.value)
    thief.token = admin.token
    return thief


def test_a_cookie_copied_before_logout_is_refused_after_it(admin_app, make_admin):
    admin = make_admin("Priya")
    thief = copy_of(admin, admin_app)
    assert thief.client.get("/admin/").status_code == 200  # the copy works while logged in
    assert admin.form("/admin/logout").status_code == 302
    page = thief.client.get("/admin/")
    assert page.status_code == 302 and "/admin/login" in page.headers["Location"]
    assert thief.api("GET", "/admin/api/drafts").status_code == 401
    assert thief.form("/admin/drafts").status_code in (302, 403)


def test_logout_holds_across_a_restart_and_other_sessions_stay(
    admin_settings, admin_services, admin_app, make_admin
):
    leaving = make_admin("Priya")
    staying = make_admin("Sam")
    stolen = copy_of(leaving, admin_app)
    leaving.form("/admin/logout")
    restarted = create_app(admin_settings, admin_services)  # same data folder
    assert copy_of(stolen, restarted).client.get("/admin/").status_code == 302
    assert copy_of(staying, restarted).client.get("/admin/").status_code == 200


def test_a_fresh_login_retires_the_session_cookie_it_replaces(admin_app, make_admin):
    admin = make_admin("Priya")
    old = copy_of(admin, admin_app)
    admin.login("Priya")
    assert old.client.get("/admin/").status_code == 302


def test_one_persons_wrong_passwords_do_not_lock_out_colleagues_at_the_same_address(admin_app):
    guesser = AdminClient(admin_app.test_client())
    for _ in range(5):
        assert guesser.login("Mallory", "guess").status_code == 401
    assert guesser.login("Mallory", PASSWORD).status_code == 429  # that name waits here
    colleague = AdminClient(admin_app.test_client())  # same address (127.0.0.1), other name
    assert colleague.login("Priya", PASSWORD).status_code == 302


def test_trying_name_after_name_from_one_address_is_still_throttled(admin_app):
    throttle = admin_app.extensions[KEY].throttle
    throttle.address_limit = 3  # the rule, not the default (each wrong guess costs an scrypt)
    guesser = AdminClient(admin_app.test_client())
    for number in range(throttle.address_limit):
        assert guesser.login(f"Name {number}", "guess").status_code == 401
    assert guesser.login("Someone new", PASSWORD).status_code == 429
    elsewhere = AdminClient(admin_app.test_client())
    assert elsewhere.login(environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 302
